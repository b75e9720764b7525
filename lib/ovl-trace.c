/*
 * Copyright (c) 2026 The ovs-rdma authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>
#include "ovl-trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "packets.h"
#include "rdma-addr.h"
#include "util.h"

/* A part of the actions text: 'len' bytes at 's'. */
struct span {
    const char *s;              /* Start. */
    size_t len;                 /* Length. */
};

/* Returns the length of the text at 's' up to (not including) the ')'
 * that closes the parenthesis just before 's', or SIZE_MAX if unbalanced
 * before 'end'. */
static size_t
balanced_len(const char *s, const char *end)
{
    const char *p;
    int depth = 0;

    for (p = s; p < end; p++) {
        if (*p == '(' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == '}') {
            if (!depth) {
                return p - s;
            }
            depth--;
        }
    }
    return SIZE_MAX;
}

/* Finds "NAME(" in 'in', where NAME starts 'in' or follows one of ",(",
 * and stores the text inside its parentheses in '*out'.  Returns true if
 * found. */
static bool
find_section(struct span in, const char *name, struct span *out)
{
    size_t nlen = strlen(name);
    const char *end = in.s + in.len;
    const char *p;

    for (p = in.s; p + nlen < end; p++) {
        if ((p == in.s || *(p - 1) == ',' || *(p - 1) == '(')
            && !strncmp(p, name, nlen) && p[nlen] == '(') {
            size_t len = balanced_len(p + nlen + 1, end);

            if (len == SIZE_MAX) {
                return false;
            }
            out->s = p + nlen + 1;
            out->len = len;
            return true;
        }
    }
    return false;
}

/* Copies into 'buf' (of 'size' bytes) the value of "KEY=value" at depth 0
 * of 'in'.  Returns true if found. */
static bool
get_field(struct span in, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *end = in.s + in.len;
    const char *p;
    int depth = 0;

    for (p = in.s; p < end; p++) {
        if (*p == '(' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == '}') {
            depth--;
        } else if (!depth && (p == in.s || *(p - 1) == ',')
                   && end - p > klen && !strncmp(p, key, klen)
                   && p[klen] == '=') {
            const char *v = p + klen + 1;
            const char *q = v;
            size_t n;

            while (q < end && *q != ',') {
                q++;
            }
            n = q - v;
            if (n >= size) {
                return false;
            }
            memcpy(buf, v, n);
            buf[n] = '\0';
            return true;
        }
    }
    return false;
}

/* Returns true if 'in' holds the bare word 'word' at depth 0, e.g. "crit"
 * in "crit,vni=0x1" or "df" in "df|csum". */
static bool
has_word(struct span in, const char *word, const char *seps)
{
    size_t wlen = strlen(word);
    const char *end = in.s + in.len;
    const char *p;

    for (p = in.s; p + wlen <= end; p++) {
        if ((p == in.s || strchr(seps, *(p - 1)))
            && !strncmp(p, word, wlen)
            && (p + wlen == end || strchr(seps, p[wlen]))) {
            return true;
        }
    }
    return false;
}

/* Parses integer field 'key' of 'in' (decimal or 0x hex) into '*valuep'.
 * Returns true if present and valid. */
static bool
get_uint(struct span in, const char *key, unsigned long long max,
         unsigned long long *valuep)
{
    char buf[32];
    char *tail;

    if (!get_field(in, key, buf, sizeof buf)) {
        return false;
    }
    errno = 0;
    *valuep = strtoull(buf, &tail, 0);
    return !errno && !*tail && tail != buf && *valuep <= max;
}

/* Parses IP address field 'key' of 'in' into '*ip'.  Returns true if
 * present and valid. */
static bool
get_ip(struct span in, const char *key, struct in6_addr *ip)
{
    char buf[INET6_ADDRSTRLEN + 1];

    return (get_field(in, key, buf, sizeof buf)
            && rdma_ip_parse(buf, ip));
}

/* Parses MAC field 'key' of 'in' into '*mac'. */
static bool
get_mac(struct span in, const char *key, struct eth_addr *mac)
{
    char buf[32];

    return (get_field(in, key, buf, sizeof buf)
            && eth_addr_from_string(buf, mac));
}

/* Parses Geneve options in OVS's notation, "{class=0x102,type=0x80,len=4,
 * 0x10002}" repeated (with or without commas between them), into the wire
 * format in 't''s geneve_opts.  Returns 0 or EINVAL. */
static int
parse_geneve_opts(struct span in, struct ovl_tuple *t)
{
    const char *p = in.s, *end = in.s + in.len;

    t->geneve_opts_len = 0;
    while (p < end) {
        unsigned long long class, type, len;
        struct span opt;
        uint8_t *o;
        size_t olen;
        const char *data;

        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '{') {
            return EINVAL;
        }
        olen = balanced_len(p + 1, end);
        if (olen == SIZE_MAX) {
            return EINVAL;
        }
        opt.s = p + 1;
        opt.len = olen;
        p += olen + 2;
        if (!get_uint(opt, "class", 0xffff, &class)
            || !get_uint(opt, "type", 0xff, &type)
            || !get_uint(opt, "len", 124, &len) || len % 4
            || t->geneve_opts_len + 4 + len > OVL_GENEVE_OPTS_MAX) {
            return EINVAL;
        }
        o = &t->geneve_opts[t->geneve_opts_len];
        o[0] = class >> 8;
        o[1] = class;
        o[2] = type;
        o[3] = len / 4;
        memset(o + 4, 0, len);
        /* The data: the last comma-separated item, "0x" and hex digits,
         * with leading zero bytes left out (OVS's ds_put_hex()). */
        data = memrchr(opt.s, ',', opt.len);
        data = data ? data + 1 : opt.s;
        if (len && !strncmp(data, "0x", 2)) {
            const char *h = data + 2;
            size_t nd = opt.s + opt.len - h, i;
            uint8_t *dst = o + 4 + len;

            if (nd > 2 * len) {
                return EINVAL;
            }
            for (i = 0; i < nd; i++) {
                const char c = h[nd - 1 - i];
                int v;

                if (!isxdigit((unsigned char) c)) {
                    return EINVAL;
                }
                v = isdigit((unsigned char) c) ? c - '0'
                    : tolower((unsigned char) c) - 'a' + 10;
                dst[-1 - (int) (i / 2)] |= v << (4 * (i % 2));
            }
        } else if (len && strcmp(data, "0") && strncmp(data, "0}", 2)) {
            return EINVAL;
        }
        t->geneve_opts_len += 4 + len;
    }
    return 0;
}

/* Parses tnl_push's 'header(...)' contents 'h' into 'tr'.  Returns 0 or
 * EINVAL. */
static int
parse_header(struct span h, struct ovl_trace *tr)
{
    struct ovl_tuple *t = &tr->tuple;
    unsigned long long v, type;
    struct span eth, ip, udp, tnl;

    if (!get_uint(h, "type", 255, &type) || !find_section(h, "eth", &eth)
        || !get_mac(eth, "dst", &t->nexthop_mac)
        || !get_mac(eth, "src", &t->local_mac)
        || !find_section(h, "udp", &udp)) {
        return EINVAL;
    }
    if (find_section(h, "ipv4", &ip)) {
        if (!get_ip(ip, "src", &t->local_ip)
            || !get_ip(ip, "dst", &t->remote_ip)
            || !get_uint(ip, "tos", 255, &v)) {
            return EINVAL;
        }
        t->tos = v & IP_DSCP_MASK;
        if (!get_uint(ip, "ttl", 255, &v)) {
            return EINVAL;
        }
        t->ttl = v;
        if (!get_uint(ip, "frag", 0xffff, &v)) {
            return EINVAL;
        }
        t->no_df = !(v & IP_DONT_FRAGMENT);
    } else if (find_section(h, "ipv6", &ip)) {
        if (!get_ip(ip, "src", &t->local_ip)
            || !get_ip(ip, "dst", &t->remote_ip)
            || !get_uint(ip, "tclass", 255, &v)) {
            return EINVAL;
        }
        t->tos = v & IP_DSCP_MASK;
        if (!get_uint(ip, "hlimit", 255, &v)) {
            return EINVAL;
        }
        t->ttl = v;
    } else {
        return EINVAL;
    }
    if (!get_uint(udp, "dst", 0xffff, &v)) {
        return EINVAL;
    }
    t->udp_dst = v;
    if (!get_uint(udp, "csum", 0xffff, &v)) {
        return EINVAL;
    }
    t->csum = v != 0 && rdma_ip_is_v4(&t->remote_ip);

    if (find_section(h, "vxlan", &tnl)) {
        t->type = OVL_VXLAN;
        if (!get_uint(tnl, "vni", OVL_VNI_MAX, &v)) {
            return EINVAL;
        }
        t->vni = v;
    } else if (find_section(h, "geneve", &tnl)) {
        struct span opts;

        t->type = OVL_GENEVE;
        if (!get_uint(tnl, "vni", OVL_VNI_MAX, &v)) {
            return EINVAL;
        }
        t->vni = v;
        if (find_section(tnl, "options", &opts)
            && parse_geneve_opts(opts, t)) {
            return EINVAL;
        }
    } else {
        return EPROTONOSUPPORT;
    }
    tr->has_header = true;
    tr->type_known = true;
    return 0;
}

/* Parses set(tunnel(...))'s contents 's' into 'tr'.  Returns 0 or
 * EINVAL. */
static int
parse_set_tunnel(struct span s, struct ovl_trace *tr)
{
    struct ovl_tuple *t = &tr->tuple;
    unsigned long long v;
    struct span sub;

    if (get_uint(s, "tun_id", UINT64_MAX, &v)) {
        if (v > OVL_VNI_MAX) {
            return EINVAL;
        }
        t->vni = v;
    }
    if (!get_ip(s, "dst", &t->remote_ip)
        && !get_ip(s, "ipv6_dst", &t->remote_ip)) {
        return EINVAL;
    }
    if (!get_ip(s, "src", &t->local_ip)) {
        get_ip(s, "ipv6_src", &t->local_ip);
    }
    if (get_uint(s, "tos", 255, &v)) {
        t->tos = v & IP_DSCP_MASK;
    }
    if (get_uint(s, "ttl", 255, &v)) {
        t->ttl = v;
    }
    if (!get_uint(s, "tp_dst", 0xffff, &v)) {
        return EINVAL;
    }
    t->udp_dst = v;
    if (find_section(s, "flags", &sub)) {
        t->no_df = !has_word(sub, "df", "|");
        t->csum = (has_word(sub, "csum", "|")
                   && rdma_ip_is_v4(&t->remote_ip));
    } else {
        t->no_df = true;
    }
    if (find_section(s, "geneve", &sub)) {
        t->type = OVL_GENEVE;
        tr->type_known = true;
        if (parse_geneve_opts(sub, t)) {
            return EINVAL;
        }
    } else if (find_section(s, "vxlan", &sub)) {
        t->type = OVL_VXLAN;
        tr->type_known = true;
    }
    return 0;
}


/* Counts the occurrences of 'needle' in 'in'. */
static int
count(struct span in, const char *needle)
{
    size_t nlen = strlen(needle);
    const char *p, *end = in.s + in.len;
    int n = 0;

    for (p = in.s; p + nlen <= end; p++) {
        if (!strncmp(p, needle, nlen)) {
            n++;
        }
    }
    return n;
}

/* Actions that change the tenant's packet; the NIC entry cannot repeat
 * them before encapsulating.  (VLAN tags are counted instead: a flood
 * pushes a tag for a trunk port and pops it again before the tunnel.) */
static const char *const inner_rewrites[] = {
    "set(eth(", "set(ipv4(", "set(ipv6(", "set(udp(", "push_mpls(",
    "push_eth(", "pop_eth", "push_nsh(",
};

/* Returns true if the actions in 'before', which come before the tunnel
 * action, leave the tenant's packet changed. */
static bool
rewrites_inner(struct span before)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(inner_rewrites); i++) {
        if (count(before, inner_rewrites[i])) {
            return true;
        }
    }
    return count(before, "push_vlan(") != count(before, "pop_vlan");
}

/* Stores in '*errorp' that the tunnel action of trace 'tr' cannot be
 * parsed, and returns EINVAL. */
static int
trace_bad(const struct ovl_trace *tr, char **errorp)
{
    *errorp = xasprintf("cannot parse the tunnel action in the trace "
                        "(datapath actions: %s)", tr->actions);
    return EINVAL;
}

/* Stores in '*errorp' that the flows of trace 'tr' change the tenant's
 * packet before encapsulating it, and returns EOPNOTSUPP. */
static int
trace_rewrites(const struct ovl_trace *tr, char **errorp)
{
    *errorp = xasprintf("the flows change the tenant's packet before "
                        "encapsulating it (datapath actions: %s); the NIC "
                        "cannot repeat that", tr->actions);
    return EOPNOTSUPP;
}

/* Parses the tnl_push action 'sec' (its arguments) of datapath actions
 * 'acts' into '*tr'.  Returns 0, or an errno with a message in '*errorp'
 * as ovl_trace_parse(). */
static int
parse_tnl_push_action(struct span acts, struct span sec, struct ovl_trace *tr,
                      char **errorp)
{
    struct span before = { acts.s, sec.s - acts.s };
    struct span hdr, port;

    if (rewrites_inner(before)) {
        return trace_rewrites(tr, errorp);
    }
    if (find_section(sec, "tnl_port", &port)) {
        tr->tnl_port = xmemdup0(port.s, port.len);
    }
    if (!find_section(sec, "header", &hdr)) {
        return trace_bad(tr, errorp);
    }
    switch (parse_header(hdr, tr)) {
    case 0:
        return 0;
    case EPROTONOSUPPORT:
        *errorp = xasprintf("the flows send it over a tunnel that is "
                            "neither vxlan nor geneve (%s)", tr->actions);
        return EOPNOTSUPP;
    default:
        return trace_bad(tr, errorp);
    }
}

/* Parses the set(tunnel(...)) action at 'p' in datapath actions 'acts',
 * and the output port after it, into '*tr'.  Returns 0, or an errno with
 * a message in '*errorp' as ovl_trace_parse(). */
static int
parse_set_tunnel_action(struct span acts, const char *p, struct ovl_trace *tr,
                        char **errorp)
{
    struct span before = { acts.s, p - acts.s };
    const char *after;
    struct span sec, tun;

    sec.s = p + 4;
    sec.len = balanced_len(sec.s, acts.s + acts.len);
    if (sec.len == SIZE_MAX) {
        return trace_bad(tr, errorp);
    }
    if (rewrites_inner(before)) {
        return trace_rewrites(tr, errorp);
    }
    if (!find_section(sec, "tunnel", &tun) || parse_set_tunnel(tun, tr)) {
        return trace_bad(tr, errorp);
    }
    /* The output port follows: "set(tunnel(...)),PORT". */
    after = sec.s + sec.len + 1;
    if (after < acts.s + acts.len && *after == ',') {
        const char *q = ++after;

        while (q < acts.s + acts.len && *q != ',') {
            q++;
        }
        tr->tnl_port = xmemdup0(after, q - after);
    }
    return 0;
}

/* Parses 'output', the text ofproto/trace printed, into '*tr'.  Returns
 * 0 with '*tr' filled (its 'outcome' says what happened), or an errno with
 * a message in '*errorp' (caller frees): EINVAL if the output cannot be
 * parsed, EOPNOTSUPP if the pipeline rewrites the tenant's packet before
 * encapsulating it.  Call ovl_trace_destroy() on '*tr' in either case. */
int
ovl_trace_parse(const char *output, struct ovl_trace *tr, char **errorp)
{
    static const char marker[] = "Datapath actions: ";
    const char *last = NULL, *p, *eol;
    struct span acts, sec;

    memset(tr, 0, sizeof *tr);
    *errorp = NULL;
    for (p = output; (p = strstr(p, marker)); p += sizeof marker - 1) {
        if (p == output || *(p - 1) == '\n') {
            last = p + sizeof marker - 1;
        }
    }
    if (!last) {
        *errorp = xstrdup("the trace has no \"Datapath actions:\" line");
        return EINVAL;
    }
    eol = strchr(last, '\n');
    acts.s = last;
    acts.len = eol ? eol - last : strlen(last);
    while (acts.len && isspace((unsigned char) acts.s[acts.len - 1])) {
        acts.len--;
    }
    tr->actions = xmemdup0(acts.s, acts.len);

    tr->n_tunnels = count(acts, "tnl_push(") + count(acts, "set(tunnel(");
    if (!strcmp(tr->actions, "drop")) {
        tr->outcome = (strstr(output, "neighbor cache miss")
                       ? OVL_TRACE_NEIGH_MISS : OVL_TRACE_DROP);
        return 0;
    }
    if (!tr->n_tunnels) {
        tr->outcome = (count(acts, "recirc(") ? OVL_TRACE_UNFINISHED
                       : OVL_TRACE_NO_TUNNEL);
        return 0;
    }
    if (tr->n_tunnels > 1) {
        tr->outcome = OVL_TRACE_MANY_TUNNELS;
        return 0;
    }

    tr->outcome = OVL_TRACE_TUNNEL;
    tr->tuple.ttl = OVL_TTL_DEFAULT;
    if (find_section(acts, "tnl_push", &sec)) {
        return parse_tnl_push_action(acts, sec, tr, errorp);
    } else if ((p = memmem(acts.s, acts.len, "set(tunnel(", 11))) {
        return parse_set_tunnel_action(acts, p, tr, errorp);
    }
    return trace_bad(tr, errorp);
}

/* Frees what 'tr' holds. */
void
ovl_trace_destroy(struct ovl_trace *tr)
{
    free(tr->actions);
    free(tr->tnl_port);
    tr->actions = NULL;
    tr->tnl_port = NULL;
}
