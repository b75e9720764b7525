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

/* The snapshot's containers: creating, filling, searching and freeing a
 * "struct rdma_mapping", and the messages that several modules report
 * about its vports.  rdma-mapping-build.c fills one from the database,
 * rdma-mapping-parse.c parses an Interface's options, rdma-mapping-equal.c
 * compares two snapshots' objects. */

#include <config.h>
#include "rdma-mapping.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/vlog.h"
#include "ovl-tuple.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_mapping);

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
