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

/* Building a snapshot from the database replica: every bridge with its
 * interfaces (each parsed by rdma-mapping-parse.c), then the groups of
 * bridges that patch ports join. */

#include <config.h>
#include "rdma-mapping.h"
#include "rdma-mapping-private.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"

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
    } else if (rdma_map_is_tunnel_type(cfg->type)) {
        rdma_map_tunnel_parse(rdma_mapping_add_tunnel(m, br, cfg->name,
                                                      cfg->type), cfg);
    } else if (smap_get_bool(&cfg->other_config, "rdma", false)) {
        struct rdma_map_vport *vp;

        vp = rdma_mapping_add_vport(m, br, cfg->name);
        vp->tag = ifc->tag;
        vp->ofport = ifc->ofport;
        rdma_map_vport_parse(vp, cfg, global_resolver);
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
