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

/* Parsing one Interface row of the database into a snapshot object: a
 * tunnel's options (rdma_map_tunnel_parse()) or an RDMA vport's
 * configuration (rdma_map_vport_parse()), with a message that says what
 * is wrong with the first invalid value. */

#include <config.h>
#include "rdma-mapping.h"
#include "rdma-mapping-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-request.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

/* Interface types that are tunnels but cannot carry RDMA. */
static const char *const other_tunnel_types[] = {
    "gre", "ip6gre", "erspan", "ip6erspan", "stt", "lisp", "gtpu", "bareudp",
    "srv6",
};

/* Parses the VNI in tunnel option 'value' into '*vni'.  Returns NULL or an
 * error message. */
static char *
parse_vni(const char *value, uint32_t *vni)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(value, &end, 0);
    if (errno || *end || end == value) {
        return xasprintf("VNI \"%s\" is not a number", value);
    }
    if (n > OVL_VNI_MAX) {
        return xasprintf("VNI %llu is out of range (0 to %u)", n,
                         OVL_VNI_MAX);
    }
    *vni = n;
    return NULL;
}

/* What parse_list() passes to the function that parses one word. */
struct list_ctx {
    const char *list;           /* The whole list, for messages. */
    void *dst;                  /* Where the words go. */
    size_t allocated;           /* Elements allocated in that array. */
};

/* Calls 'parse_word' with each word of 'list', a list separated by commas
 * or spaces, in order, and a context whose 'dst' is 'dst', stopping at the
 * first word for which it returns an error.  Returns NULL or that
 * error. */
static char *
parse_list(const char *list,
           char *(*parse_word)(const char *word, struct list_ctx *),
           void *dst)
{
    struct list_ctx ctx = { .list = list, .dst = dst, .allocated = 0 };
    char *copy = xstrdup(list);
    char *save_ptr = NULL;
    char *error = NULL;
    char *word;

    for (word = strtok_r(copy, ", ", &save_ptr); word && !error;
         word = strtok_r(NULL, ", ", &save_ptr)) {
        error = parse_word(word, &ctx);
    }
    free(copy);
    return error;
}

/* Adds 'word', one prefix of a tunnel's other_config:rdma-peers, to the
 * tunnel 'ctx->dst'.  Returns NULL or an error message. */
static char *
parse_peer(const char *word, struct list_ctx *ctx)
{
    struct rdma_map_tunnel *t = ctx->dst;
    struct rdma_map_prefix p;
    char *error = rdma_ip_parse_cidr(word, &p.ip, &p.plen);

    if (error) {
        char *msg = xasprintf("other_config:rdma-peers: %s", error);
        free(error);
        return msg;
    }
    if (t->n_peers >= ctx->allocated) {
        t->peers = x2nrealloc(t->peers, &ctx->allocated, sizeof *t->peers);
    }
    t->peers[t->n_peers++] = p;
    return NULL;
}

/* Parses 'peers', a comma-separated list of prefixes, into 't'.  Returns
 * NULL or an error message. */
static char *
parse_peers(const char *peers, struct rdma_map_tunnel *t)
{
    return parse_list(peers, parse_peer, t);
}

/* Parses the tunnel options of 'cfg' that change the outer header, as OVS's
 * netdev-vport.c does, into 't->opts': tos (a DSCP value or "inherit"),
 * ttl (a number or "inherit"), df_default, csum, and in_key when it
 * differs from the sending key.  Returns NULL or an error message. */
static char *
tunnel_parse_options(struct rdma_map_tunnel *t,
                     const struct ovsrec_interface *cfg)
{
    const char *tos = smap_get(&cfg->options, "tos");
    const char *ttl = smap_get(&cfg->options, "ttl");
    const char *in_key = smap_get(&cfg->options, "in_key");
    struct ovl_tuple *o = t->opts;
    char *end;
    long n;

    if (tos && !strcmp(tos, "inherit")) {
        o->tos_inherit = true;
    } else if (tos) {
        n = strtol(tos, &end, 0);
        if (*end || end == tos || n < 0 || n > 255
            || n != (n & IP_DSCP_MASK)) {
            return xasprintf("options:tos \"%s\" is not \"inherit\" or a "
                             "TOS value with ECN bits 0 (0 to 252, a "
                             "multiple of 4)", tos);
        }
        o->tos = n;
    }
    if (ttl && !strcmp(ttl, "inherit")) {
        o->ttl_inherit = true;
    } else if (ttl) {
        n = strtol(ttl, &end, 0);
        if (*end || end == ttl || n < 0 || n > 255) {
            return xasprintf("options:ttl \"%s\" is not \"inherit\" or a "
                             "TTL (0 to 255)", ttl);
        }
        o->ttl = n == OVL_TTL_DEFAULT ? 0 : n;
    }
    o->no_df = !smap_get_bool(&cfg->options, "df_default", true);
    o->csum = smap_get_bool(&cfg->options, "csum", false);
    if (in_key && strcmp(in_key, "flow") && !t->flow_based) {
        uint32_t vni;
        char *error = parse_vni(in_key, &vni);

        if (error) {
            char *msg = xasprintf("options:in_key: %s", error);

            free(error);
            return msg;
        }
        if (vni != t->vni) {
            o->rx_vni_set = true;
            o->rx_vni = vni;
        }
    }
    return NULL;
}

/* Fills in the overlay fields of 't' from 'cfg'.  A tunnel whose key or
 * remote IP comes from the flows ("flow") is parsed as far as it can be
 * and marked 'flow_based', with an error that sends the static resolver's
 * users to the pipeline resolver. */
void
rdma_map_tunnel_parse(struct rdma_map_tunnel *t,
                      const struct ovsrec_interface *cfg)
{
    const char *remote = smap_get(&cfg->options, "remote_ip");
    const char *local = smap_get(&cfg->options, "local_ip");
    const char *key = smap_get(&cfg->options, "out_key");
    const char *port = smap_get(&cfg->options, "dst_port");
    const char *peers = smap_get(&cfg->other_config, "rdma-peers");

    if (!ovl_type_from_string(t->type_name, &t->type)) {
        t->error = xasprintf("tunnel type %s is not supported for RDMA "
                             "(use vxlan or geneve)", cfg->type);
        return;
    }
    t->dst_port = ovl_type_default_port(t->type);

    if (!key) {
        key = smap_get(&cfg->options, "key");
    }
    if (!remote) {
        t->error = xstrdup("tunnel has no options:remote_ip");
        return;
    } else if (strcmp(remote, "flow")
               && !rdma_ip_parse(remote, &t->remote_ip)) {
        t->error = xasprintf("options:remote_ip \"%s\" is not an IP "
                             "address", remote);
        return;
    }
    if (local && strcmp(local, "flow")
        && !rdma_ip_parse(local, &t->local_ip)) {
        t->error = xasprintf("options:local_ip \"%s\" is not an IP address",
                             local);
        return;
    }
    if (port) {
        int n = atoi(port);
        if (n <= 0 || n > 65535) {
            t->error = xasprintf("options:dst_port \"%s\" is not a UDP port",
                                 port);
            return;
        }
        t->dst_port = n;
    }
    if ((key && !strcmp(key, "flow")) || !strcmp(remote, "flow")) {
        /* OVN's and Neutron's tunnels: the flows set the key or the remote
         * IP. */
        t->flow_based = true;
    } else if (key && (t->error = parse_vni(key, &t->vni))) {
        return;
    }
    if (peers && (t->error = parse_peers(peers, t))) {
        return;
    }
    if ((t->error = tunnel_parse_options(t, cfg))) {
        return;
    }
    if (t->flow_based) {
        t->error = xasprintf("options:%s=flow: the flows choose the "
                             "tunnel's %s, which the static resolver cannot "
                             "know; set other_config:rdma-resolver=pipeline "
                             "(or auto) on the vport or in Open_vSwitch",
                             !strcmp(remote, "flow") ? "remote_ip" : "key",
                             !strcmp(remote, "flow") ? "remote IP" : "VNI");
    }
}

/* Returns true if 'type' is an OVS tunnel interface type. */
bool
rdma_map_is_tunnel_type(const char *type)
{
    size_t i;

    if (!strcmp(type, "vxlan") || !strcmp(type, "geneve")) {
        return true;
    }
    for (i = 0; i < ARRAY_SIZE(other_tunnel_types); i++) {
        if (!strcmp(type, other_tunnel_types[i])) {
            return true;
        }
    }
    return false;
}

/* Parses a vport's external_ids:attached-mac, 'mac' (NULL if unset), into
 * 'vp'.  Returns NULL or an error message. */
static char *
vport_parse_mac(struct rdma_map_vport *vp, const char *mac)
{
    if (mac) {
        if (!eth_addr_from_string(mac, &vp->mac)) {
            return xasprintf("external_ids:attached-mac \"%s\" is not a MAC "
                             "address", mac);
        }
        vp->has_mac = true;
    }
    return NULL;
}

/* Adds 'word', one address of a vport's other_config:rdma-ip, to the
 * vport 'ctx->dst'.  Returns NULL or an error message. */
static char *
parse_vport_ip(const char *word, struct list_ctx *ctx)
{
    struct rdma_map_vport *vp = ctx->dst;

    if (vp->n_ips >= ctx->allocated) {
        vp->ips = x2nrealloc(vp->ips, &ctx->allocated, sizeof *vp->ips);
    }
    if (!rdma_ip_parse(word, &vp->ips[vp->n_ips])) {
        return xasprintf("other_config:rdma-ip \"%s\" is not a list of IP "
                         "addresses (\"%s\" is not one)", ctx->list, word);
    }
    vp->n_ips++;
    return NULL;
}

/* Parses a vport's other_config:rdma-ip, 'ip' (NULL if unset), into 'vp':
 * its source addresses, the first one the default.  Returns NULL or an
 * error message. */
static char *
vport_parse_ips(struct rdma_map_vport *vp, const char *ip)
{
    if (ip) {
        char *error = parse_list(ip, parse_vport_ip, vp);

        if (error) {
            return error;
        }
        if (!vp->n_ips) {
            return xstrdup("other_config:rdma-ip is empty (give one or more "
                           "IP addresses, or remove it)");
        }
        vp->ip = vp->ips[0];
        vp->has_ip = true;
    }
    return NULL;
}

/* Parses a vport's other_config:rdma-max-connections, 'max', and
 * other_config:rdma-device, 'device' (each NULL if unset), into 'vp'.
 * Returns NULL or an error message. */
static char *
vport_parse_limits(struct rdma_map_vport *vp, const char *max,
                   const char *device)
{
    if (max) {
        uint64_t n;
        char *error = rdma_parse_decimal("other_config:rdma-max-connections",
                                         max, 1, RDMA_MAX_MAX_CONNS, &n);
        if (error) {
            return error;
        }
        vp->max_conns = n;
    }
    if (device) {
        if (!device[0] || strlen(device) > 63) {
            return xasprintf("other_config:rdma-device \"%s\" is not an RDMA "
                             "device name", device);
        }
        vp->device = xstrdup(device);
    }
    return NULL;
}

/* Parses a vport's other_config:rdma-vni, 'vni' (NULL if unset), into
 * 'vp'.  Returns NULL or an error message. */
static char *
vport_parse_vni(struct rdma_map_vport *vp, const char *vni)
{
    if (vni) {
        char *error = parse_vni(vni, &vp->vni);
        if (error) {
            char *msg = xasprintf("other_config:rdma-vni: %s", error);
            free(error);
            return msg;
        }
        vp->has_vni = true;
    }
    return NULL;
}

/* Parses the resolver of vport 'vp': its other_config:rdma-resolver in
 * 'cfg', else 'global_resolver' (the Open_vSwitch record's), else "auto".
 * Returns NULL or an error message. */
static char *
vport_parse_resolver(struct rdma_map_vport *vp,
                     const struct ovsrec_interface *cfg,
                     const char *global_resolver)
{
    const char *resolver = smap_get(&cfg->other_config, "rdma-resolver");

    if (!resolver) {
        resolver = global_resolver;
    }
    if (!resolver || !strcmp(resolver, "auto")) {
        vp->resolver = RDMA_RESOLVER_AUTO;
    } else if (!strcmp(resolver, "static")) {
        vp->resolver = RDMA_RESOLVER_STATIC;
    } else if (!strcmp(resolver, "pipeline")) {
        vp->resolver = RDMA_RESOLVER_PIPELINE;
    } else {
        return xasprintf("other_config:rdma-resolver \"%s\"%s is not auto, "
                         "static or pipeline", resolver,
                         (smap_get(&cfg->other_config, "rdma-resolver")
                          ? "" : " (of the Open_vSwitch record)"));
    }
    return NULL;
}

/* Fills in 'vp' from 'cfg', in steps, stopping at the first error, which
 * it stores in 'vp->error'. */
void
rdma_map_vport_parse(struct rdma_map_vport *vp,
                     const struct ovsrec_interface *cfg,
                     const char *global_resolver)
{
    const struct smap *oc = &cfg->other_config;

    vp->max_conns = RDMA_DEFAULT_MAX_CONNS;
    vp->error = vport_parse_mac(vp, smap_get(&cfg->external_ids,
                                             "attached-mac"));
    if (!vp->error) {
        vp->error = vport_parse_ips(vp, smap_get(oc, "rdma-ip"));
    }
    if (!vp->error) {
        vp->error = vport_parse_limits(vp,
                                       smap_get(oc, "rdma-max-connections"),
                                       smap_get(oc, "rdma-device"));
    }
    if (!vp->error) {
        vp->error = vport_parse_vni(vp, smap_get(oc, "rdma-vni"));
    }
    if (!vp->error) {
        vp->error = vport_parse_resolver(vp, cfg, global_resolver);
    }
}

