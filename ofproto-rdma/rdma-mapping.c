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
#include "rdma-mapping.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-request.h"
#include "ovl-tuple.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_mapping);

/* Interface types that are tunnels but cannot carry RDMA. */
static const char *const other_tunnel_types[] = {
    "gre", "ip6gre", "erspan", "ip6erspan", "stt", "lisp", "gtpu", "bareudp",
    "srv6",
};

/* Initializes 'm' as an empty snapshot. */
void
rdma_mapping_init(struct rdma_mapping *m)
{
    hmap_init(&m->bridges);
    hmap_init(&m->vports);
    hmap_init(&m->tunnels);
    hmap_init(&m->ifaces);
}

/* Frees everything in 'm'. */
void
rdma_mapping_destroy(struct rdma_mapping *m)
{
    struct rdma_map_bridge *br;
    struct rdma_map_vport *vp;
    struct rdma_map_tunnel *t;
    struct rdma_map_iface *ifc;

    HMAP_FOR_EACH_POP (vp, node, &m->vports) {
        free(vp->name);
        free(vp->error);
        free(vp->kept_error);
        free(vp->ips);
        free(vp->device);
        free(vp);
    }
    HMAP_FOR_EACH_POP (t, node, &m->tunnels) {
        free(t->name);
        free(t->type_name);
        free(t->peers);
        free(t->opts);
        free(t->error);
        free(t->kept_error);
        free(t);
    }
    HMAP_FOR_EACH_POP (ifc, node, &m->ifaces) {
        free(ifc->name);
        free(ifc->peer);
        free(ifc);
    }
    HMAP_FOR_EACH_POP (br, node, &m->bridges) {
        free(br->name);
        free(br->datapath_type);
        free(br);
    }
    hmap_destroy(&m->bridges);
    hmap_destroy(&m->vports);
    hmap_destroy(&m->tunnels);
    hmap_destroy(&m->ifaces);
}

/* Exchanges the contents of 'a' and 'b'. */
void
rdma_mapping_swap(struct rdma_mapping *a, struct rdma_mapping *b)
{
    hmap_swap(&a->bridges, &b->bridges);
    hmap_swap(&a->vports, &b->vports);
    hmap_swap(&a->tunnels, &b->tunnels);
    hmap_swap(&a->ifaces, &b->ifaces);
}

/* Returns true if 'br' uses the kernel's routing tables. */
bool
rdma_map_bridge_is_system(const struct rdma_map_bridge *br)
{
    return !br->datapath_type[0] || !strcmp(br->datapath_type, "system");
}

/* Union-find over bridge groups: returns the representative of 'g'. */
static int
group_find(int *parent, int g)
{
    while (parent[g] != g) {
        parent[g] = parent[parent[g]];
        g = parent[g];
    }
    return g;
}

/* Finds the bridge named 'name' in 'm'. */
static struct rdma_map_bridge *
find_bridge(const struct rdma_mapping *m, const char *name)
{
    struct rdma_map_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0), &m->bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

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
static void
tunnel_parse(struct rdma_map_tunnel *t, const struct ovsrec_interface *cfg)
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
static bool
is_tunnel_type(const char *type)
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
static void
vport_parse(struct rdma_map_vport *vp, const struct ovsrec_interface *cfg,
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

/* Adds to 'm' a bridge named 'name' with 'datapath_type', alone in its
 * group, and returns it.  For rdma_mapping_build() and for tests and
 * benchmarks that make snapshots without a database. */
struct rdma_map_bridge *
rdma_mapping_add_bridge(struct rdma_mapping *m, const char *name,
                        const char *datapath_type)
{
    struct rdma_map_bridge *br = xzalloc(sizeof *br);

    br->name = xstrdup(name);
    br->datapath_type = xstrdup(datapath_type);
    br->group = hmap_count(&m->bridges);
    br->group_name = br->name;
    hmap_insert(&m->bridges, &br->node, hash_string(br->name, 0));
    return br;
}

/* Adds to 'm' an interface named 'name' on 'br' and returns it, with no
 * MAC, MTU, tag or port number. */
struct rdma_map_iface *
rdma_mapping_add_iface(struct rdma_mapping *m,
                       const struct rdma_map_bridge *br, const char *name)
{
    struct rdma_map_iface *ifc = xzalloc(sizeof *ifc);

    ifc->name = xstrdup(name);
    ifc->bridge = br;
    ifc->ofport = -1;
    hmap_insert(&m->ifaces, &ifc->node, hash_string(name, 0));
    return ifc;
}

/* Adds to 'm' an RDMA vport named 'name' on 'br' and returns it, with
 * nothing configured.  The caller also adds it as an interface. */
struct rdma_map_vport *
rdma_mapping_add_vport(struct rdma_mapping *m,
                       const struct rdma_map_bridge *br, const char *name)
{
    struct rdma_map_vport *vp = xzalloc(sizeof *vp);

    vp->name = xstrdup(name);
    vp->bridge = br;
    vp->ofport = -1;
    vp->max_conns = RDMA_DEFAULT_MAX_CONNS;
    hmap_insert(&m->vports, &vp->node, hash_string(name, 0));
    return vp;
}

/* Adds to 'm' a tunnel named 'name' of interface type 'type' on 'br' and
 * returns it, with nothing configured.  The caller also adds it as an
 * interface. */
struct rdma_map_tunnel *
rdma_mapping_add_tunnel(struct rdma_mapping *m,
                        const struct rdma_map_bridge *br, const char *name,
                        const char *type)
{
    struct rdma_map_tunnel *t = xzalloc(sizeof *t);

    t->name = xstrdup(name);
    t->bridge = br;
    t->type_name = xstrdup(type);
    t->opts = xzalloc(sizeof *t->opts);
    ovl_type_from_string(type, &t->type);
    hmap_insert(&m->tunnels, &t->node, hash_string(name, 0));
    return t;
}

/* Build step 1, one interface: adds interface 'cfg' of 'port' on bridge
 * 'br' to 'm', as a patch port (its "NAME PEER" pair added to
 * 'patch_pairs'), a tunnel, an RDMA vport (with 'global_resolver' as its
 * default resolver) or a plain interface. */
static void
build_iface(struct rdma_mapping *m, struct rdma_map_bridge *br,
            const struct ovsrec_port *port,
            const struct ovsrec_interface *cfg, const char *global_resolver,
            struct sset *patch_pairs)
{
    struct rdma_map_iface *ifc = rdma_mapping_add_iface(m, br, cfg->name);

    if (cfg->mac_in_use) {
        eth_addr_from_string(cfg->mac_in_use, &ifc->mac);
    }
    ifc->mtu = cfg->n_mtu ? cfg->mtu[0] : 0;
    ifc->tag = port->n_tag ? port->tag[0] : 0;
    ifc->ofport = cfg->n_ofport ? cfg->ofport[0] : -1;

    if (!strcmp(cfg->type, "patch")) {
        const char *peer = smap_get(&cfg->options, "peer");
        if (peer) {
            ifc->peer = xstrdup(peer);
            sset_add_and_free(patch_pairs,
                              xasprintf("%s %s", cfg->name, peer));
        }
    } else if (is_tunnel_type(cfg->type)) {
        tunnel_parse(rdma_mapping_add_tunnel(m, br, cfg->name, cfg->type),
                     cfg);
    } else if (smap_get_bool(&cfg->other_config, "rdma", false)) {
        struct rdma_map_vport *vp;

        vp = rdma_mapping_add_vport(m, br, cfg->name);
        vp->tag = ifc->tag;
        vp->ofport = ifc->ofport;
        vport_parse(vp, cfg, global_resolver);
    }
}

/* Build step 2, bridges: adds to 'm' every bridge of 'idl' (the first of
 * any name) with its interfaces (build_iface()).  Returns the number of
 * bridges. */
static size_t
build_bridges(struct rdma_mapping *m, const struct ovsdb_idl *idl,
              struct sset *patch_pairs)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(idl);
    const char *global_resolver = (ovs ? smap_get(&ovs->other_config,
                                                  "rdma-resolver")
                                   : NULL);
    const struct ovsrec_bridge *br_cfg;
    size_t n_bridges = 0;
    size_t i, j;

    OVSREC_BRIDGE_FOR_EACH (br_cfg, idl) {
        struct rdma_map_bridge *br;

        if (find_bridge(m, br_cfg->name)) {
            continue;
        }
        br = rdma_mapping_add_bridge(m, br_cfg->name, br_cfg->datapath_type);
        n_bridges++;

        for (i = 0; i < br_cfg->n_ports; i++) {
            const struct ovsrec_port *port = br_cfg->ports[i];

            for (j = 0; j < port->n_interfaces; j++) {
                build_iface(m, br, port, port->interfaces[j],
                            global_resolver, patch_pairs);
            }
        }
    }
    return n_bridges;
}

/* Build step 3, groups: joins the 'n_bridges' bridges of 'm' that the
 * patch ports in 'patch_pairs' ("NAME PEER") connect into groups, each
 * named after its bridge with the smallest name. */
static void
build_groups(struct rdma_mapping *m, size_t n_bridges,
             const struct sset *patch_pairs)
{
    const char **group_names;
    struct rdma_map_bridge *br;
    const char *pair;
    int *parent;
    size_t i;

    parent = xmalloc((n_bridges ? n_bridges : 1) * sizeof *parent);
    for (i = 0; i < n_bridges; i++) {
        parent[i] = i;
    }
    SSET_FOR_EACH (pair, patch_pairs) {
        char *a = xstrdup(pair);
        char *b = strchr(a, ' ');
        const struct rdma_map_iface *ia, *ib;

        *b++ = '\0';
        ia = rdma_mapping_find_iface(m, a);
        ib = rdma_mapping_find_iface(m, b);
        if (ia && ib && ia->bridge && ib->bridge) {
            int ga = group_find(parent, ia->bridge->group);
            int gb = group_find(parent, ib->bridge->group);
            parent[MAX(ga, gb)] = MIN(ga, gb);
        }
        free(a);
    }
    group_names = xcalloc(n_bridges ? n_bridges : 1, sizeof *group_names);
    HMAP_FOR_EACH (br, node, &m->bridges) {
        br->group = group_find(parent, br->group);
        if (!group_names[br->group]
            || strcmp(br->name, group_names[br->group]) < 0) {
            group_names[br->group] = br->name;
        }
    }
    HMAP_FOR_EACH (br, node, &m->bridges) {
        br->group_name = group_names[br->group];
    }
    free(group_names);
    free(parent);
}

/* Replaces the contents of 'm' by a snapshot of the configuration in
 * 'idl': its bridges and their interfaces, then the bridge groups. */
void
rdma_mapping_build(struct rdma_mapping *m, const struct ovsdb_idl *idl)
{
    struct sset patch_pairs = SSET_INITIALIZER(&patch_pairs);
    size_t n_bridges;

    rdma_mapping_destroy(m);
    rdma_mapping_init(m);
    n_bridges = build_bridges(m, idl, &patch_pairs);
    build_groups(m, n_bridges, &patch_pairs);
    sset_destroy(&patch_pairs);
}

/* Returns the RDMA vport named 'name', or NULL. */
const struct rdma_map_vport *
rdma_mapping_find_vport(const struct rdma_mapping *m, const char *name)
{
    const struct rdma_map_vport *vp;

    HMAP_FOR_EACH_WITH_HASH (vp, node, hash_string(name, 0), &m->vports) {
        if (!strcmp(vp->name, name)) {
            return vp;
        }
    }
    return NULL;
}

/* Returns the tunnel named 'name', or NULL. */
const struct rdma_map_tunnel *
rdma_mapping_find_tunnel(const struct rdma_mapping *m, const char *name)
{
    const struct rdma_map_tunnel *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_string(name, 0), &m->tunnels) {
        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

/* Returns the interface named 'name', or NULL. */
const struct rdma_map_iface *
rdma_mapping_find_iface(const struct rdma_mapping *m, const char *name)
{
    const struct rdma_map_iface *ifc;

    HMAP_FOR_EACH_WITH_HASH (ifc, node, hash_string(name, 0), &m->ifaces) {
        if (!strcmp(ifc->name, name)) {
            return ifc;
        }
    }
    return NULL;
}

/* Returns the interface of bridge 'br' with OpenFlow port 'ofport', or
 * NULL. */
const struct rdma_map_iface *
rdma_mapping_find_iface_by_ofport(const struct rdma_mapping *m,
                                  const struct rdma_map_bridge *br,
                                  int64_t ofport)
{
    const struct rdma_map_iface *ifc;

    HMAP_FOR_EACH (ifc, node, &m->ifaces) {
        if (ifc->bridge == br && ifc->ofport == ofport) {
            return ifc;
        }
    }
    return NULL;
}

/* Returns the message, for every place that reports it, that interface
 * 'name' exists but is not an RDMA vport.  The caller frees it. */
char *
rdma_map_vport_not_enabled(const char *name)
{
    return xasprintf("vport %s is not RDMA-enabled: set "
                     "other_config:rdma=true on its Interface", name);
}

/* Returns the message, for every place that reports it, that RDMA vport
 * 'name' has no MAC.  The caller frees it. */
char *
rdma_map_vport_no_mac(const char *name)
{
    return xasprintf("vport %s has no MAC: set external_ids:attached-mac "
                     "on its Interface", name);
}

/* Returns true if 'a' and 'b', which may be NULL, are both NULL or name
 * bridges of the same name, datapath type and group. */
static bool
bridge_equal(const struct rdma_map_bridge *a, const struct rdma_map_bridge *b)
{
    return (a == b
            || (a && b && !strcmp(a->name, b->name)
                && !strcmp(a->datapath_type, b->datapath_type)
                && !strcmp(a->group_name, b->group_name)));
}

/* Returns true if two strings, either of which may be NULL, are equal. */
static bool
nullable_string_equal(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Returns true if 'a' and 'b' are configured the same. */
bool
rdma_map_vport_equal(const struct rdma_map_vport *a,
                     const struct rdma_map_vport *b)
{
    return (!strcmp(a->name, b->name)
            && bridge_equal(a->bridge, b->bridge)
            && a->has_mac == b->has_mac
            && eth_addr_equals(a->mac, b->mac)
            && a->has_ip == b->has_ip
            && ipv6_addr_equals(&a->ip, &b->ip)
            && a->n_ips == b->n_ips
            && (!a->n_ips
                || !memcmp(a->ips, b->ips, a->n_ips * sizeof *a->ips))
            && a->max_conns == b->max_conns
            && nullable_string_equal(a->device, b->device)
            && a->has_vni == b->has_vni
            && a->vni == b->vni
            && a->resolver == b->resolver
            && a->tag == b->tag
            && a->ofport == b->ofport
            && nullable_string_equal(a->error, b->error));
}

/* Returns true if 'a' and 'b' are configured the same. */
bool
rdma_map_tunnel_equal(const struct rdma_map_tunnel *a,
                      const struct rdma_map_tunnel *b)
{
    return (!strcmp(a->name, b->name)
            && bridge_equal(a->bridge, b->bridge)
            && !strcmp(a->type_name, b->type_name)
            && a->type == b->type
            && a->vni == b->vni
            && a->dst_port == b->dst_port
            && ipv6_addr_equals(&a->remote_ip, &b->remote_ip)
            && ipv6_addr_equals(&a->local_ip, &b->local_ip)
            && a->n_peers == b->n_peers
            && !memcmp(a->peers, b->peers, a->n_peers * sizeof *a->peers)
            && a->flow_based == b->flow_based
            && ovl_tuple_options_equal(a->opts, b->opts)
            && nullable_string_equal(a->error, b->error));
}

/* Returns true if 'a' and 'b' are the same as far as choosing a tunnel for
 * a destination is concerned (Documentation/design.rst, section
 * "Configuration in OVSDB"): same bridge group, VNI, rdma-peers and
 * usability.  Tunnels that differ only in their remote or
 * local IP, UDP port or overlay type are chosen for the same destinations;
 * only their paths differ. */
bool
rdma_map_tunnel_selection_equal(const struct rdma_map_tunnel *a,
                                const struct rdma_map_tunnel *b)
{
    return (bridge_equal(a->bridge, b->bridge)
            && a->vni == b->vni
            && a->n_peers == b->n_peers
            && !memcmp(a->peers, b->peers, a->n_peers * sizeof *a->peers)
            && nullable_string_equal(a->error, b->error));
}

/* Returns true if 'a' and 'b' have the same underlay-relevant settings. */
bool
rdma_map_iface_equal(const struct rdma_map_iface *a,
                     const struct rdma_map_iface *b)
{
    return (!strcmp(a->name, b->name)
            && bridge_equal(a->bridge, b->bridge)
            && eth_addr_equals(a->mac, b->mac)
            && a->mtu == b->mtu
            && a->tag == b->tag
            && a->ofport == b->ofport);
}
