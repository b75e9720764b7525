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
#include "rdma-engine-private.h"

#include <string.h>

#include "coverage.h"
#include "rdma-qp-map.h"
#include "rdma-underlay.h"
#include "sset.h"
#include "util.h"

/* Taking a new configuration snapshot: working out, in named diff steps
 * (tunnels, interfaces, vports), which paths and bindings its differences
 * from the current one affect, and recomputing exactly those. */

COVERAGE_DEFINE(rdma_engine_config);

/* Adds to 'groups' the group of each bridge of 'cfg' named in 'bridges'. */
static void
add_groups(const struct rdma_mapping *cfg, const struct sset *bridges,
           struct sset *groups)
{
    const struct rdma_map_bridge *br;

    HMAP_FOR_EACH (br, node, &cfg->bridges) {
        if (sset_contains(bridges, br->name)) {
            sset_add(groups, br->group_name);
        }
    }
}

/* Returns true if vport 'name' is on a bridge whose group is in 'groups',
 * in snapshot 'cfg'. */
static bool
vport_in_groups(const struct rdma_mapping *cfg, const char *name,
                const struct sset *groups)
{
    const struct rdma_map_iface *ifc = rdma_mapping_find_iface(cfg, name);

    return (ifc && ifc->bridge
            && sset_contains(groups, ifc->bridge->group_name));
}

/* Marks dirty the path through tunnel 'name', if there is one. */
static void
mark_path_dirty(struct rdma_engine *e, const char *name)
{
    struct rdma_path *p = rdma_qp_map_find_path(e->map, name);

    if (p) {
        p->dirty = true;
    }
}

/* Diff step 1, tunnels: marks dirty the paths through the tunnels that
 * 'new' adds, changes or removes, and adds to 'bridges' the bridges of
 * those added, removed, or changed in what the choice of a tunnel depends
 * on (the vports of their bridge groups need a new choice). */
static void
diff_tunnels(struct rdma_engine *e, const struct rdma_mapping *new,
             struct sset *bridges)
{
    const struct rdma_map_tunnel *t, *t2;

    HMAP_FOR_EACH (t, node, &new->tunnels) {
        t2 = rdma_mapping_find_tunnel(&e->cfg, t->name);
        if (t2 && rdma_map_tunnel_equal(t, t2)) {
            continue;
        }
        mark_path_dirty(e, t->name);
        if (!t2 || !rdma_map_tunnel_selection_equal(t, t2)) {
            if (t->bridge) {
                sset_add(bridges, t->bridge->name);
            }
            if (t2 && t2->bridge) {
                sset_add(bridges, t2->bridge->name);
            }
        }
    }
    HMAP_FOR_EACH (t, node, &e->cfg.tunnels) {
        if (!rdma_mapping_find_tunnel(new, t->name)) {
            if (t->bridge) {
                sset_add(bridges, t->bridge->name);
            }
            mark_path_dirty(e, t->name);
        }
    }
}

/* Diff step 2, interfaces: returns true if 'new' adds or removes an
 * interface or changes one's MAC, MTU, tag, port number, bridge or patch
 * peer.  Any of them may be an egress device, so then every path is marked
 * dirty (there are few; their bindings are touched only if a path's shared
 * tuple changed); and a change of bridges or patch ports regroups bridges,
 * which diff_vports() takes into account. */
static bool
diff_ifaces(struct rdma_engine *e, const struct rdma_mapping *new)
{
    const struct rdma_map_iface *ifc, *ifc2;
    bool changed = false;
    struct rdma_path *p;

    if (hmap_count(&new->ifaces) != hmap_count(&e->cfg.ifaces)) {
        changed = true;
    } else {
        HMAP_FOR_EACH (ifc, node, &new->ifaces) {
            ifc2 = rdma_mapping_find_iface(&e->cfg, ifc->name);
            if (!ifc2 || !rdma_map_iface_equal(ifc, ifc2)
                || !ifc->peer != !ifc2->peer
                || (ifc->peer && strcmp(ifc->peer, ifc2->peer))) {
                changed = true;
                break;
            }
        }
    }
    if (changed) {
        HMAP_FOR_EACH (p, node, &e->map->paths) {
            p->dirty = true;
        }
    }
    return changed;
}

/* Diff step 3, vports: adds to 'wl', marked for a new tunnel choice, the
 * bindings of every vport that 'new' changes, that is in a bridge group
 * (old or new) of one of 'tunnel_bridges', or that moved to another group
 * when 'ifaces_changed'. */
static void
diff_vports(struct rdma_engine *e, const struct rdma_mapping *new,
            const struct sset *tunnel_bridges, bool ifaces_changed,
            struct rdma_worklist *wl)
{
    struct sset groups = SSET_INITIALIZER(&groups);
    struct sset old_groups = SSET_INITIALIZER(&old_groups);
    struct rdma_qpm_vport *qvp;

    add_groups(new, tunnel_bridges, &groups);
    add_groups(&e->cfg, tunnel_bridges, &old_groups);
    HMAP_FOR_EACH (qvp, node, &e->map->vports) {
        const struct rdma_map_vport *a, *b;

        a = rdma_mapping_find_vport(&e->cfg, qvp->name);
        b = rdma_mapping_find_vport(new, qvp->name);
        if (!a != !b || (a && !rdma_map_vport_equal(a, b))
            || vport_in_groups(new, qvp->name, &groups)
            || vport_in_groups(&e->cfg, qvp->name, &old_groups)
            || (ifaces_changed
                && !vport_in_groups(new, qvp->name, &groups)
                && a && b && a->bridge && b->bridge
                && strcmp(a->bridge->group_name, b->bridge->group_name))) {
            rdma_worklist_add_vport(wl, qvp);
        }
    }
    sset_destroy(&groups);
    sset_destroy(&old_groups);
}

/* Replaces the engine's configuration snapshot by 'new' (whose contents it
 * takes, leaving 'new' empty) and updates exactly the bindings that the
 * differences affect, within the current resolution round. */
void
rdma_engine_set_config__(struct rdma_engine *e, struct rdma_mapping *new)
{
    struct sset tunnel_bridges = SSET_INITIALIZER(&tunnel_bridges);
    struct rdma_worklist wl = RDMA_WORKLIST_INITIALIZER;
    bool ifaces_changed;

    COVERAGE_INC(rdma_engine_config);
    diff_tunnels(e, new, &tunnel_bridges);
    ifaces_changed = diff_ifaces(e, new);
    diff_vports(e, new, &tunnel_bridges, ifaces_changed, &wl);
    sset_destroy(&tunnel_bridges);

    rdma_mapping_swap(&e->cfg, new);
    rdma_mapping_destroy(new);
    rdma_mapping_init(new);
    e->have_cfg = true;

    rdma_engine_update_paths(e, &wl, false);
    rdma_engine_process_worklist(e, &wl);
}

/* Replaces the engine's configuration snapshot by 'new' (whose contents it
 * takes, leaving 'new' empty) and updates exactly the bindings that the
 * differences affect: one resolution round. */
void
rdma_engine_set_config(struct rdma_engine *e, struct rdma_mapping *new)
{
    rdma_underlay_begin();
    rdma_engine_set_config__(e, new);
}

/* Gives the vports of 'm' that name no RDMA device the one that zero-touch
 * found behind them (rdma_engine_set_auto_device()). */
void
rdma_engine_apply_auto_devices(const struct rdma_engine *e,
                               struct rdma_mapping *m)
{
    const struct smap_node *node;

    SMAP_FOR_EACH (node, &e->auto_devices) {
        struct rdma_map_vport *vp;

        vp = CONST_CAST(struct rdma_map_vport *,
                        rdma_mapping_find_vport(m, node->key));
        if (vp && !vp->device) {
            vp->device = xstrdup(node->value);
        }
    }
}

/* Records that RDMA device 'device' sits behind vport 'vport' (the veth
 * peer of its netdev, found by zero-touch binding), for a vport whose
 * Interface has no other_config:rdma-device (which always wins): its
 * binds are then checked against that device's QPs from now on, as with
 * the explicit setting. */
void
rdma_engine_set_auto_device(struct rdma_engine *e, const char *vport,
                            const char *device)
{
    const char *old = smap_get(&e->auto_devices, vport);

    if (!old || strcmp(old, device)) {
        struct rdma_map_vport *vp;

        vp = CONST_CAST(struct rdma_map_vport *,
                        rdma_mapping_find_vport(&e->cfg, vport));
        if (vp && old && vp->device && !strcmp(vp->device, old)) {
            /* Its earlier automatic device. */
            free(vp->device);
            vp->device = NULL;
        }
        smap_replace(&e->auto_devices, vport, device);
        rdma_engine_apply_auto_devices(e, &e->cfg);
    }
}
