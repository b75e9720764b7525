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
#include "rdma-engine.h"
#include "rdma-config-guard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-persist.h"
#include "rdma-qp-map.h"
#include "rdma-pipeline.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-underlay-linux.h"
#include "rdma-underlay-ovs.h"
#include "openvswitch/shash.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_engine);

COVERAGE_DEFINE(rdma_engine_config);
COVERAGE_DEFINE(rdma_engine_poll);

/* A growable array of bindings to recompute. */
struct worklist {
    struct rdma_binding **items; /* The bindings. */
    size_t n, allocated;        /* Used and allocated elements. */
};

/* Adds 'b' to 'wl'. */
static void
worklist_add(struct worklist *wl, struct rdma_binding *b)
{
    if (wl->n >= wl->allocated) {
        wl->items = x2nrealloc(wl->items, &wl->allocated, sizeof *wl->items);
    }
    wl->items[wl->n++] = b;
}

/* Adds every binding of vport 'vp' to 'wl', marked for a new tunnel
 * choice. */
static void
worklist_add_vport(struct worklist *wl, struct rdma_qpm_vport *vp)
{
    struct rdma_binding *b;

    LIST_FOR_EACH (b, vport_node, &vp->bindings) {
        b->reselect = true;
        worklist_add(wl, b);
    }
}

/* Initializes 'e' to keep 'map' and 'nic' in step; the userspace underlay
 * is re-read every 'poll_ms' milliseconds (0: never). */
void
rdma_engine_init(struct rdma_engine *e, struct rdma_qp_map *map,
                 struct rdma_nic *nic, int poll_ms)
{
    memset(e, 0, sizeof *e);
    e->map = map;
    e->nic = nic;
    if (rdma_nic_get_caps(nic, &e->caps)) {
        memset(&e->caps, 0, sizeof e->caps);
        e->caps.vxlan = true;
    }
    rdma_mapping_init(&e->cfg);
    e->poll_ms = poll_ms;
    e->next_poll = poll_ms ? time_msec() + poll_ms : LLONG_MAX;
    e->next_key = UINT64_C(1) << 62;
    e->next_qpn = 0x100;
    rdma_retry_init(&e->retry);
}

/* Frees 'e''s own state (not the map or the NIC). */
void
rdma_engine_destroy(struct rdma_engine *e)
{
    rdma_mapping_destroy(&e->cfg);
    rdma_retry_destroy(&e->retry);
}

/* Makes the NIC's entry for 'b' match 'tuple' (if 'want') or removes it
 * (if not), and sets 'b''s state; 'state' and 'reason' describe why it is
 * not wanted. */
static void
binding_apply(struct rdma_engine *e, struct rdma_binding *b, bool want,
              const struct ovl_tuple *tuple, enum rdma_binding_state state,
              const char *reason)
{
    int error;

    if (b->nic_failed) {
        b->nic_failed = false;
        e->n_nic_failed--;
    }
    if (want) {
        uint64_t hash = rdma_nic_entry_hash(&e->caps, tuple);
        struct rdma_nic_entry entry;

        if (b->installed && hash == b->tuple_hash) {
            rdma_binding_set_state(e->map, b, RDMA_BINDING_INSTALLED, NULL);
            return;
        }
        memset(&entry, 0, sizeof entry);
        entry.cm_id = b->key;
        entry.qpn = b->qpn;
        entry.remote_qpn = b->remote_qpn;
        entry.generation = b->generation + 1;
        entry.tuple = *tuple;
        ovs_strlcpy(entry.vport, b->vport->name, sizeof entry.vport);
        if (!b->installed) {
            struct rdma_nic_source src;

            memset(&src, 0, sizeof src);
            src.local_ip = tuple->local_ip;
            src.local_mac = tuple->local_mac;
            src.vlan = tuple->vlan;
            src.underlay_mtu = tuple->underlay_mtu;
            src.inner_src_ip = tuple->inner_src_ip;
            /* An old entry for this key whose remove failed goes
             * first. */
            error = rdma_retry_remove_now(e, b->key);
            if (error) {
                char *msg = xasprintf("its old NIC entry is still being "
                                      "removed (NIC remove failed: %s; "
                                      "retrying)", ovs_strerror(error));

                rdma_binding_set_state(e->map, b, RDMA_BINDING_FAILED, msg);
                free(msg);
                b->nic_failed = true;
                e->n_nic_failed++;
                return;
            }
            error = rdma_nic_bind_source(e->nic, b->key, &src);
            if (error == EOPNOTSUPP) {
                error = 0;      /* The provider has no separate step. */
            }
            if (!error) {
                error = rdma_nic_install(e->nic, &entry);
                e->stats.n_install++;
                if (error && error != EEXIST) {
                    /* Leave nothing behind: forget the bound source.  (Not
                     * after EEXIST: that entry is someone's, in use.) */
                    rdma_nic_remove(e->nic, b->key);
                }
            }
        } else {
            error = rdma_nic_modify(e->nic, &entry);
            e->stats.n_modify++;
        }
        if (error) {
            char *msg = xasprintf("NIC %s failed: %s",
                                  b->installed ? "modify" : "install",
                                  ovs_strerror(error));
            e->stats.n_nic_errors++;
            rdma_binding_set_state(e->map, b, RDMA_BINDING_FAILED, msg);
            free(msg);
            b->nic_failed = true;
            e->n_nic_failed++;
            return;
        }
        b->installed = true;
        b->generation = entry.generation;
        b->tuple_hash = hash;
        rdma_binding_set_state(e->map, b, RDMA_BINDING_INSTALLED, NULL);
    } else {
        if (b->installed) {
            error = rdma_nic_remove(e->nic, b->key);
            e->stats.n_remove++;
            if (error && error != ENOENT) {
                e->stats.n_nic_errors++;
                rdma_retry_bury(&e->retry, b->key, b->cm_id, b->vport->name,
                                error);
            }
            b->installed = false;
        }
        rdma_binding_set_state(e->map, b, state, reason);
    }
}

/* Returns true if 'a' and 'b' have the same fields from the tunnel's own
 * configuration, as opposed to its underlay. */
static bool
same_tunnel(const struct ovl_tuple *a, const struct ovl_tuple *b)
{
    return (a->type == b->type && a->vni == b->vni
            && a->udp_dst == b->udp_dst
            && ipv6_addr_equals(&a->remote_ip, &b->remote_ip));
}

/* Resolves pipeline path 'p' into '*base', like rdma_resolve_path(). */
static enum rdma_resolve_status
pipeline_path_update(struct rdma_engine *e, struct rdma_path *p,
                     struct ovl_tuple *base, char **reasonp)
{
    const struct rdma_map_vport *vp = rdma_mapping_find_vport(&e->cfg,
                                                              p->vport);
    enum rdma_resolve_status status;
    char *via = NULL;

    if (!vp) {
        memset(base, 0, sizeof *base);
        *reasonp = xasprintf("vport %s does not exist", p->vport);
        return RDMA_RESOLVE_FAILED;
    }
    if (rdma_pipeline_may_skip_trace() && !p->reason && p->via) {
        /* The flows did not change: keep what the last trace said, check
         * the underlay only. */
        return rdma_pipeline_refresh_underlay(&e->cfg, vp, p->via, &p->base,
                                              &e->caps, base, reasonp);
    }
    status = rdma_pipeline_resolve(&e->cfg, vp, &p->src_ip, &p->dst_ip,
                                   (eth_addr_is_zero(p->dst_mac) ? NULL
                                    : &p->dst_mac),
                                   &e->caps, base, &via, reasonp);
    if (status != RDMA_RESOLVE_UNREACHABLE
        && (!via != !p->via || (via && strcmp(via, p->via)))) {
        free(p->via);
        p->via = via;
        e->map->seqno++;
    } else {
        free(via);
    }
    return status;
}

/* Returns the key of the pipeline path of binding 'b' of vport 'vp'. */
static char *
pipeline_key(const struct rdma_binding *b)
{
    char src_s[INET6_ADDRSTRLEN], dst_s[INET6_ADDRSTRLEN];

    return xasprintf("pipeline %s %s %s "ETH_ADDR_FMT, b->vport->name,
                     rdma_ip_to_string(&b->src_ip, src_s),
                     rdma_ip_to_string(&b->dst_ip, dst_s),
                     ETH_ADDR_ARGS(b->has_dst_mac ? b->dst_mac
                                   : eth_addr_zero));
}

/* Recomputes path 'p' from the configuration and the underlay.  Returns
 * true if anything its bindings depend on changed. */
static bool
path_update(struct rdma_engine *e, struct rdma_path *p)
{
    const struct rdma_map_tunnel *t;
    enum rdma_resolve_status status;
    struct ovl_tuple base;
    char *reason = NULL;
    bool failed, changed;

    e->stats.n_path_updates++;
    p->dirty = false;
    t = p->pipeline ? NULL : rdma_mapping_find_tunnel(&e->cfg, p->tunnel);
    if (p->pipeline) {
        status = pipeline_path_update(e, p, &base, &reason);
    } else if (!t) {
        memset(&base, 0, sizeof base);
        reason = xasprintf("tunnel %s does not exist", p->tunnel);
        status = RDMA_RESOLVE_FAILED;
    } else {
        status = rdma_resolve_path(&e->cfg, t, &e->caps, &base, &reason);
    }
    if ((status == RDMA_RESOLVE_UNREACHABLE
         || (status == RDMA_RESOLVE_PENDING && same_tunnel(&base, &p->base)))
        && !p->reason && p->n_bindings) {
        /* The underlay cannot be resolved now (ovs-vswitchd restarting, a
         * route or neighbour not yet re-learned), but nothing in the
         * configuration changed: keep the last good path, and the entries
         * that use it, until it resolves again or the configuration
         * changes.  Make-before-break: never tear down on a transient. */
        if (!p->stale || strcmp(p->stale, reason)) {
            VLOG_INFO("tunnel %s: keeping the installed path: %s",
                      p->tunnel, reason);
            free(p->stale);
            p->stale = reason;
            e->map->seqno++;
        } else {
            free(reason);
        }
        return false;
    }
    if (p->stale) {
        free(p->stale);
        p->stale = NULL;
        e->map->seqno++;
    }
    failed = status == RDMA_RESOLVE_FAILED;
    changed = (!ovl_tuple_equals(&base, &p->base) || failed != p->failed
               || !reason != !p->reason
               || (reason && strcmp(reason, p->reason)));
    p->base = base;
    p->failed = failed;
    free(p->reason);
    p->reason = reason;
    return changed;
}

/* Chooses a tunnel for 'b' and moves it to that tunnel's path.  Returns
 * NULL, or the reason why no tunnel could be chosen (caller frees). */
static char *
binding_reselect(struct rdma_engine *e, struct rdma_binding *b,
                 const struct rdma_map_vport *vp)
{
    const struct rdma_map_tunnel *t;
    enum rdma_tunnel_choice choice;
    char *error = NULL;

    b->reselect = false;
    if (rdma_pipeline_wanted(&e->cfg, vp)) {
        /* One path per (vport, source, destination): resolved once, shared
         * by every connection between them. */
        char *key = pipeline_key(b);
        struct rdma_path *p = rdma_qp_map_get_path(e->map, key);

        free(key);
        if (!p->pipeline) {
            p->pipeline = true;
            p->vport = xstrdup(vp->name);
            p->src_ip = b->src_ip;
            p->dst_ip = b->dst_ip;
            p->dst_mac = b->has_dst_mac ? b->dst_mac : eth_addr_zero;
        }
        if (p->dirty) {
            path_update(e, p);
        }
        b->via_fdb = false;
        rdma_binding_set_path(e->map, b, p);
        return NULL;
    }
    t = rdma_resolve_tunnel(&e->cfg, vp, &b->dst_ip,
                            b->has_dst_mac ? &b->dst_mac : NULL, &choice,
                            &error);
    if (!t) {
        rdma_binding_set_path(e->map, b, NULL);
        b->via_fdb = false;
        return error;
    }
    b->via_fdb = choice == RDMA_CHOICE_FDB;
    if (!b->path || strcmp(b->path->tunnel, t->name)) {
        struct rdma_path *p = rdma_qp_map_get_path(e->map, t->name);

        if (p->dirty) {
            path_update(e, p);
        }
        rdma_binding_set_path(e->map, b, p);
    }
    return NULL;
}

/* Recomputes binding 'b' and updates the NIC and 'b''s state to match. */
static void
binding_update(struct rdma_engine *e, struct rdma_binding *b)
{
    const struct rdma_map_vport *vp;
    struct ovl_tuple tuple;
    char *reason = NULL;

    e->stats.n_binding_updates++;
    vp = rdma_mapping_find_vport(&e->cfg, b->vport->name);
    if (!vp) {
        reason = xasprintf(rdma_mapping_find_iface(&e->cfg, b->vport->name)
                           ? "vport %s is not RDMA-enabled "
                             "(other_config:rdma is not true)"
                           : "vport %s does not exist", b->vport->name);
        b->reselect = true;
        binding_apply(e, b, false, NULL, RDMA_BINDING_FAILED, reason);
    } else if (vp->error) {
        b->reselect = true;
        binding_apply(e, b, false, NULL, RDMA_BINDING_FAILED, vp->error);
    } else if (!vp->has_mac) {
        reason = xasprintf("vport %s has no MAC: set "
                           "external_ids:attached-mac", vp->name);
        binding_apply(e, b, false, NULL, RDMA_BINDING_FAILED, reason);
    } else {
        b->vport->mac = vp->mac;
        if (!b->src_ip_given) {
            b->src_ip = vp->ip;
        }
        if (b->reselect || !b->path) {
            reason = binding_reselect(e, b, vp);
        }
        if (reason) {
            binding_apply(e, b, false, NULL, RDMA_BINDING_PENDING, reason);
        } else if (b->path->reason) {
            binding_apply(e, b, false, NULL,
                          (b->path->failed ? RDMA_BINDING_FAILED
                           : RDMA_BINDING_PENDING), b->path->reason);
        } else if (!b->has_dst_mac) {
            binding_apply(e, b, false, NULL, RDMA_BINDING_PENDING,
                          "inner destination MAC unknown (bind with "
                          "dst_mac=MAC)");
        } else if (rdma_ip_is_v4(&b->src_ip) != rdma_ip_is_v4(&b->dst_ip)) {
            binding_apply(e, b, false, NULL, RDMA_BINDING_FAILED,
                          "source and destination IP versions differ");
        } else {
            rdma_binding_get_tuple(b, &tuple);
            binding_apply(e, b, true, &tuple, 0, NULL);
        }
    }
    free(reason);
}

/* Recomputes every dirty path and adds the bindings of those that changed
 * to 'wl'. */
static void
update_paths(struct rdma_engine *e, struct worklist *wl, bool all)
{
    struct rdma_path *p;

    HMAP_FOR_EACH (p, node, &e->map->paths) {
        if ((all || p->dirty) && path_update(e, p)) {
            struct rdma_binding *b;

            LIST_FOR_EACH (b, path_node, &p->bindings) {
                worklist_add(wl, b);
            }
        }
    }
}

/* Recomputes every binding in 'wl' and empties it. */
static void
process_worklist(struct rdma_engine *e, struct worklist *wl)
{
    size_t i;

    for (i = 0; i < wl->n; i++) {
        binding_update(e, wl->items[i]);
    }
    free(wl->items);
    memset(wl, 0, sizeof *wl);
}

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

/* Replaces the engine's configuration snapshot by 'new' (whose contents it
 * takes, leaving 'new' empty) and updates exactly the bindings that the
 * differences affect. */
void
rdma_engine_set_config(struct rdma_engine *e, struct rdma_mapping *new)
{
    struct sset tunnel_bridges = SSET_INITIALIZER(&tunnel_bridges);
    struct sset groups = SSET_INITIALIZER(&groups);
    struct sset old_groups = SSET_INITIALIZER(&old_groups);
    const struct rdma_map_tunnel *t, *t2;
    const struct rdma_map_iface *ifc, *ifc2;
    struct worklist wl = { NULL, 0, 0 };
    struct rdma_qpm_vport *qvp;
    bool ifaces_changed = false;
    struct rdma_path *p;

    COVERAGE_INC(rdma_engine_config);

    /* Tunnels changed: their paths need recomputing.  Tunnels added,
     * removed, or changed in what the choice of a tunnel depends on: the
     * vports of their bridges' groups need a new choice. */
    HMAP_FOR_EACH (t, node, &new->tunnels) {
        t2 = rdma_mapping_find_tunnel(&e->cfg, t->name);
        if (t2 && rdma_map_tunnel_equal(t, t2)) {
            continue;
        }
        p = rdma_qp_map_find_path(e->map, t->name);
        if (p) {
            p->dirty = true;
        }
        if (!t2 || !rdma_map_tunnel_selection_equal(t, t2)) {
            if (t->bridge) {
                sset_add(&tunnel_bridges, t->bridge->name);
            }
            if (t2 && t2->bridge) {
                sset_add(&tunnel_bridges, t2->bridge->name);
            }
        }
    }
    HMAP_FOR_EACH (t, node, &e->cfg.tunnels) {
        if (!rdma_mapping_find_tunnel(new, t->name)) {
            if (t->bridge) {
                sset_add(&tunnel_bridges, t->bridge->name);
            }
            p = rdma_qp_map_find_path(e->map, t->name);
            if (p) {
                p->dirty = true;
            }
        }
    }

    /* Interfaces whose MAC, MTU, tag, port number or bridge changed may be
     * egress devices: recompute every path (there are few; their bindings
     * are touched only if a path's shared tuple changed).  A change of
     * bridges or patch ports regroups bridges: every vport's choice. */
    if (hmap_count(&new->ifaces) != hmap_count(&e->cfg.ifaces)) {
        ifaces_changed = true;
    } else {
        HMAP_FOR_EACH (ifc, node, &new->ifaces) {
            ifc2 = rdma_mapping_find_iface(&e->cfg, ifc->name);
            if (!ifc2 || !rdma_map_iface_equal(ifc, ifc2)
                || !ifc->peer != !ifc2->peer
                || (ifc->peer && strcmp(ifc->peer, ifc2->peer))) {
                ifaces_changed = true;
                break;
            }
        }
    }
    if (ifaces_changed) {
        HMAP_FOR_EACH (p, node, &e->map->paths) {
            p->dirty = true;
        }
    }

    add_groups(new, &tunnel_bridges, &groups);
    add_groups(&e->cfg, &tunnel_bridges, &old_groups);

    /* Vports that changed, or on bridges whose tunnels changed. */
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
            worklist_add_vport(&wl, qvp);
        }
    }
    sset_destroy(&tunnel_bridges);
    sset_destroy(&groups);
    sset_destroy(&old_groups);

    rdma_mapping_swap(&e->cfg, new);
    rdma_mapping_destroy(new);
    rdma_mapping_init(new);
    e->have_cfg = true;

    update_paths(e, &wl, false);
    process_worklist(e, &wl);
}

/* Re-reads the underlay for every path and updates the bindings of the
 * paths that changed, and re-chooses the tunnels chosen by MAC learning. */
void
rdma_engine_poll_underlay(struct rdma_engine *e)
{
    struct worklist wl = { NULL, 0, 0 };
    bool any_pipeline = false;
    struct rdma_binding *b;
    struct rdma_path *p;

    COVERAGE_INC(rdma_engine_poll);
    rdma_underlay_ovs_begin();
    HMAP_FOR_EACH (p, node, &e->map->paths) {
        any_pipeline |= p->pipeline;
        LIST_FOR_EACH (b, path_node, &p->bindings) {
            if (b->via_fdb) {
                b->reselect = true;
                worklist_add(&wl, b);
            } else if (b->nic_failed) {
                /* Retry the NIC operation that failed. */
                worklist_add(&wl, b);
            }
        }
    }
    if (any_pipeline) {
        rdma_pipeline_poll_begin();
    }
    update_paths(e, &wl, true);
    rdma_pipeline_poll_end();
    process_worklist(e, &wl);
}

/* Retries the NIC operations of the bindings whose last one failed. */
void
rdma_engine_retry_failed(struct rdma_engine *e)
{
    struct worklist wl = { NULL, 0, 0 };
    struct rdma_binding *b;

    HMAP_FOR_EACH (b, key_node, &e->map->bindings) {
        if (b->nic_failed) {
            worklist_add(&wl, b);
        }
    }
    rdma_underlay_ovs_begin();
    process_worklist(e, &wl);
}

/* Recomputes everything: every path, every tunnel choice, every binding.
 * Only bindings whose tuple changed cost a NIC operation. */
void
rdma_engine_refresh(struct rdma_engine *e)
{
    struct worklist wl = { NULL, 0, 0 };
    struct rdma_binding *b;

    rdma_underlay_ovs_begin();
    HMAP_FOR_EACH (b, key_node, &e->map->bindings) {
        b->reselect = true;
        worklist_add(&wl, b);
    }
    update_paths(e, &wl, true);
    process_worklist(e, &wl);
}

static void check_qps(struct rdma_engine *);

/* Runs the engine: takes a new configuration snapshot if the database
 * 'idl' changed, and re-reads the underlay when it is due or notified. */
void
rdma_engine_run(struct rdma_engine *e, const struct ovsdb_idl *idl)
{
    uint64_t linux_seqno;

    /* Take a new snapshot only of a connected replica that holds the root
     * Open_vSwitch row: while ovsdb-server restarts, the replica may be
     * empty or partial for a moment, and acting on that would tear down
     * every entry only to install it again. */
    if (idl && ovsdb_idl_is_connected(idl) && ovsrec_open_vswitch_first(idl)
        && (!e->have_cfg || ovsdb_idl_get_seqno(idl) != e->idl_seqno)) {
        struct rdma_mapping new;

        e->idl_seqno = ovsdb_idl_get_seqno(idl);
        rdma_mapping_init(&new);
        rdma_mapping_build(&new, idl);
        rdma_config_guard(&e->cfg, &new);
        rdma_underlay_ovs_begin();
        rdma_engine_set_config(e, &new);
        rdma_mapping_destroy(&new);
    }

    linux_seqno = rdma_underlay_linux_seqno();
    if (linux_seqno != e->linux_seqno || time_msec() >= e->next_poll) {
        e->linux_seqno = linux_seqno;
        if (e->poll_ms) {
            e->next_poll = time_msec() + e->poll_ms;
        }
        if (hmap_count(&e->map->paths)) {
            rdma_engine_poll_underlay(e);
        }
        check_qps(e);
    }
    rdma_retry_run(e);
}

/* Arranges for poll_block() to wake up when the underlay (or the QP
 * check) is due. */
void
rdma_engine_wait(struct rdma_engine *e)
{
    if (e->poll_ms && hmap_count(&e->map->bindings)) {
        poll_timer_wait_until(e->next_poll);
    }
    rdma_retry_wait(e);
}

/* Checks that a tenant of 'vp' may use 'ip' as its inner source address:
 * it must be one of the vport's own (other_config:rdma-ip).  Returns NULL
 * or an error message (caller frees). */
static char *
check_src_ip(const struct rdma_map_vport *vp, const struct in6_addr *ip)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    char buf[INET6_ADDRSTRLEN + 1];
    size_t i;

    for (i = 0; i < vp->n_ips; i++) {
        if (ipv6_addr_equals(&vp->ips[i], ip)) {
            return NULL;
        }
    }
    if (!vp->n_ips) {
        return xasprintf("src_ip %s is not an address of vport %s: it has "
                         "none configured (the administrator sets "
                         "other_config:rdma-ip on its Interface)",
                         rdma_ip_to_string(ip, buf), vp->name);
    }
    for (i = 0; i < vp->n_ips; i++) {
        ds_put_format(&ds, "%s%s", i ? ", " : "",
                      rdma_ip_to_string(&vp->ips[i], buf));
    }
    char *error = xasprintf("src_ip %s is not an address of vport %s (its "
                            "addresses: %s): leave src_ip out or use one "
                            "of those", rdma_ip_to_string(ip, buf),
                            vp->name, ds_cstr(&ds));
    ds_destroy(&ds);
    return error;
}

/* Checks the vport of 'req' for a bind or resolve.  Returns NULL or an
 * error message (caller frees). */
static char *
check_request(const struct rdma_engine *e, const struct rdma_request *req,
              const struct rdma_map_vport **vpp)
{
    const struct rdma_map_vport *vp;

    vp = rdma_mapping_find_vport(&e->cfg, req->vport);
    if (!vp) {
        if (rdma_mapping_find_iface(&e->cfg, req->vport)) {
            return xasprintf("vport %s is not RDMA-enabled: set "
                             "other_config:rdma=true on its Interface",
                             req->vport);
        }
        return xasprintf("no interface named %s", req->vport);
    }
    if (vp->error || vp->kept_error) {
        /* (With 'kept_error', the last valid configuration stays in force
         * for the connections bound already: rdma-config-guard.h.) */
        return xasprintf("vport %s: %s", vp->name,
                         vp->error ? vp->error : vp->kept_error);
    }
    if (!vp->has_mac) {
        return xasprintf("vport %s has no MAC: set "
                         "external_ids:attached-mac on its Interface",
                         vp->name);
    }
    if (req->has_src_ip && !req->admin) {
        char *error = check_src_ip(vp, &req->src_ip);

        if (error) {
            return error;
        }
    }
    if (!req->has_src_ip && !vp->has_ip) {
        return xasprintf("no source IP for vport %s: give src_ip=IP or set "
                         "other_config:rdma-ip on its Interface", vp->name);
    }
    if (rdma_ip_is_v4(req->has_src_ip ? &req->src_ip : &vp->ip)
        != rdma_ip_is_v4(&req->dst_ip)) {
        return xstrdup("source and destination IP versions differ");
    }
    if (!rdma_ip_is_v4(&req->dst_ip) && !e->caps.ipv6_inner) {
        return xstrdup("the NIC does not support IPv6 inner addresses");
    }
    *vpp = vp;
    return NULL;
}

/* Returns the next automatic QPN on 'device', in 1...0xffffff (QPN 0 is
 * reserved), wrapping around and skipping those bindings hold, or 0 if
 * every one is taken. */
static uint32_t
alloc_qpn(struct rdma_engine *e, const char *device)
{
    uint32_t i;

    for (i = 0; i <= 0xffffff; i++) {
        uint32_t qpn = e->next_qpn++ & 0xffffff;

        if (qpn && !rdma_qp_map_find_qpn(e->map, device, qpn)) {
            return qpn;
        }
    }
    return 0;
}

static char *set_remote_qpn(struct rdma_engine *, const char *vport,
                            uint64_t cm_id, uint32_t remote_qpn,
                            bool from_kernel, struct rdma_binding **);

/* Checks that the QP that 'req' binds exists on the RDMA device of 'vp',
 * as the kernel shows it, and stores it in '*kqp'.  Returns NULL or an
 * error message (caller frees). */
static char *
check_qp(const struct rdma_map_vport *vp, const struct rdma_request *req,
         struct rdma_kqp *kqp)
{
    const struct rdma_kqp *found = NULL;
    struct rdma_kqp *qps;
    size_t n;
    int error;

    if (!req->has_qpn) {
        return xasprintf("vport %s is on RDMA device %s: give the number of "
                         "the QP to bind (qpn=N)", vp->name, vp->device);
    }
    error = rdma_qp_source_dump(vp->device, &qps, &n);
    if (error && error != ENODEV) {
        return xasprintf("cannot read the QPs of RDMA device %s (%s): try "
                         "again", vp->device, ovs_strerror(error));
    }
    found = rdma_kqp_find(qps, n, req->qpn);
    if (found) {
        *kqp = *found;
    }
    free(qps);
    if (!found) {
        return xasprintf("qpn %"PRIu32" is not a QP of RDMA device %s (the "
                         "RDMA device of vport %s): bind a QP that exists",
                         req->qpn, vp->device, vp->name);
    }
    return NULL;
}

/* Compares the QPs of the kernel with the bindings whose QP it checks:
 * releases those whose QP no longer exists, and takes the peer QPN and
 * state of the others from the kernel. */
static void
check_qps(struct rdma_engine *e)
{
    struct sset devices = SSET_INITIALIZER(&devices);
    struct rdma_binding *b;
    const char *device;

    if (rdma_qp_source_type() == RDMA_QP_SOURCE_NONE) {
        return;
    }
    HMAP_FOR_EACH (b, key_node, &e->map->bindings) {
        if (b->qp_checked && b->device) {
            sset_add(&devices, b->device);
        }
    }
    SSET_FOR_EACH (device, &devices) {
        struct rdma_binding **gone = NULL;
        size_t n_gone = 0, allocated = 0, n, i;
        struct rdma_kqp *qps;
        int error = rdma_qp_source_dump(device, &qps, &n);

        if (error && error != ENODEV) {
            continue;           /* Try again next time. */
        }
        HMAP_FOR_EACH (b, key_node, &e->map->bindings) {
            const struct rdma_kqp *kqp;

            if (!b->qp_checked || !b->device || strcmp(b->device, device)) {
                continue;
            }
            kqp = rdma_kqp_find(qps, n, b->qpn);
            if (!kqp) {
                if (n_gone >= allocated) {
                    gone = x2nrealloc(gone, &allocated, sizeof *gone);
                }
                gone[n_gone++] = b;
                continue;
            }
            if (b->qp_state != kqp->state) {
                b->qp_state = kqp->state;
                e->map->seqno++;
            }
            if (kqp->rqpn && kqp->rqpn != b->remote_qpn) {
                struct rdma_binding *bb;
                char *msg = set_remote_qpn(e, b->vport->name, b->cm_id,
                                           kqp->rqpn, true, &bb);
                free(msg);
            }
        }
        for (i = 0; i < n_gone; i++) {
            VLOG_INFO("%s/%"PRIu64": releasing it: its QP %"PRIu32" no "
                      "longer exists on RDMA device %s",
                      gone[i]->vport->name, gone[i]->cm_id, gone[i]->qpn,
                      device);
            rdma_engine_release(e, gone[i]);
        }
        free(gone);
        free(qps);
    }
    sset_destroy(&devices);
}

/* Checks that a tenant of vport 'vp' may add one more binding: its own
 * limit (other_config:rdma-max-connections), and the NIC table's fair
 * share rule.  Returns NULL or an error message (caller frees).
 *
 * The rule: with C entries in the NIC's table and N RDMA vports, each
 * vport is guaranteed G = C / N of them (or its rdma-max-connections, if
 * smaller).  A vport below its guarantee may always bind (while the table
 * has room).  A vport at or above it may bind only if the table keeps,
 * after the bind, enough free entries for every other vport to reach its
 * own guarantee.  So no tenant can take the last entries from the others;
 * one alone on the NIC may still use the whole table.  The administrator's
 * binds are not limited. */
static char *
check_quota(struct rdma_engine *e, const struct rdma_map_vport *vp)
{
    const struct rdma_qpm_vport *qvp = rdma_qp_map_find_vport(e->map,
                                                              vp->name);
    size_t held = qvp ? qvp->n_bindings : 0;
    const struct rdma_map_vport *other;
    struct rdma_nic_caps caps;
    size_t capacity, n_vports, guarantee, reserve, used;

    if (held >= vp->max_conns) {
        return xasprintf("vport %s has reached its limit of %u connections "
                         "(other_config:rdma-max-connections): unbind one "
                         "first", vp->name, vp->max_conns);
    }
    if (rdma_nic_get_caps(e->nic, &caps) || !caps.max_entries) {
        return NULL;
    }
    capacity = caps.max_entries;
    n_vports = MAX(1, hmap_count(&e->cfg.vports));
    guarantee = capacity / n_vports;
    if (held < MIN(guarantee, vp->max_conns)) {
        return NULL;
    }
    reserve = 0;
    HMAP_FOR_EACH (other, node, &e->cfg.vports) {
        if (other != vp) {
            const struct rdma_qpm_vport *q;
            size_t want = MIN(guarantee, other->max_conns);
            size_t has;

            q = rdma_qp_map_find_vport(e->map, other->name);
            has = q ? q->n_bindings : 0;
            reserve += has < want ? want - has : 0;
        }
    }
    used = rdma_qp_map_count(e->map);
    if (used + 1 + reserve > capacity) {
        return xasprintf("the NIC's table is nearly full and its remaining "
                         "entries are reserved for other vports (vport %s "
                         "holds %"PRIuSIZE" connections, its fair share is "
                         "%"PRIuSIZE" of %"PRIuSIZE"): unbind one first",
                         vp->name, held, guarantee, capacity);
    }
    return NULL;
}

/* Fills a temporary binding 'b' (not in any map) from 'req'. */
static void
request_to_binding(const struct rdma_request *req,
                   const struct rdma_map_vport *vp, struct rdma_binding *b)
{
    b->dst_ip = req->dst_ip;
    b->dst_mac = req->dst_mac;
    b->has_dst_mac = req->has_dst_mac;
    b->src_ip = req->has_src_ip ? req->src_ip : vp->ip;
    b->src_ip_given = req->has_src_ip;
    b->remote_qpn = req->remote_qpn;
}

/* Resolves 'req' without binding anything: stores in '*r' the tunnel and
 * tuple it would get, and whether it would wait (free it with
 * rdma_resolution_destroy()).  Returns NULL, or an error message (caller
 * frees) with nothing stored. */
char *
rdma_engine_resolve(struct rdma_engine *e, const struct rdma_request *req,
                    struct rdma_resolution *r)
{
    const struct rdma_map_vport *vp = NULL;
    const struct rdma_map_tunnel *t;
    enum rdma_tunnel_choice choice;
    enum rdma_resolve_status status;
    struct rdma_qpm_vport qvp;
    struct rdma_path path;
    struct rdma_binding b;
    char *pipeline_via = NULL;
    char *error;

    memset(r, 0, sizeof *r);
    error = check_request(e, req, &vp);
    if (!error) {
        error = rdma_config_guard_check(&e->cfg, req, vp);
    }
    if (error) {
        return error;
    }
    memset(&path, 0, sizeof path);
    rdma_underlay_ovs_begin();
    if (rdma_pipeline_wanted(&e->cfg, vp)) {
        struct in6_addr src_ip = req->has_src_ip ? req->src_ip : vp->ip;

        choice = RDMA_CHOICE_PIPELINE;
        status = rdma_pipeline_resolve(&e->cfg, vp, &src_ip, &req->dst_ip,
                                       (req->has_dst_mac ? &req->dst_mac
                                        : NULL), &e->caps, &path.base,
                                       &pipeline_via, &error);
        if (status == RDMA_RESOLVE_FAILED) {
            free(pipeline_via);
            return error;
        }
        path.tunnel = pipeline_via ? pipeline_via : CONST_CAST(char *,
                                                               "none");
    } else {
        t = rdma_resolve_tunnel(&e->cfg, vp, &req->dst_ip,
                                req->has_dst_mac ? &req->dst_mac : NULL,
                                &choice, &error);
        if (!t) {
            return error;
        }
        status = rdma_resolve_path(&e->cfg, t, &e->caps, &path.base,
                                   &error);
        if (status == RDMA_RESOLVE_FAILED) {
            return error;
        }
        path.tunnel = CONST_CAST(char *, t->name);
    }

    memset(&qvp, 0, sizeof qvp);
    qvp.name = vp->name;
    qvp.mac = vp->mac;
    memset(&b, 0, sizeof b);
    b.vport = &qvp;
    b.path = &path;
    request_to_binding(req, vp, &b);
    rdma_binding_get_tuple(&b, &r->tuple);

    r->tunnel = xstrdup(path.tunnel);
    free(pipeline_via);
    r->choice = choice;
    r->underlay_known = !error;
    if (error) {
        r->pending = error;
    } else if (!req->has_dst_mac) {
        r->pending = xstrdup("inner destination MAC unknown (bind with "
                             "dst_mac=MAC)");
    }
    return NULL;
}

/* Returns the message that refuses a change, 'what', because the state
 * file cannot be written (caller frees). */
static char *
save_refusal(const struct rdma_engine *e, const char *what)
{
    return xasprintf("cannot write the state file %s (%s): %s; make it "
                     "writable again (e.g. free space on its file system) "
                     "and retry", e->state_file ? e->state_file : "",
                     ovs_strerror(e->save_error), what);
}

/* Binds the connection that 'req' describes: adds it to the QP map and, if
 * everything it needs is known, installs it in the NIC.  On success returns
 * NULL and the binding in '*bp'; on error returns a message (caller frees)
 * and changes nothing.  A binding that waits for an input (a neighbour, a
 * route) is added as pending and completes when the input appears. */
char *
rdma_engine_bind(struct rdma_engine *e, const struct rdma_request *req,
                 struct rdma_binding **bp)
{
    const struct rdma_map_vport *vp = NULL;
    struct rdma_kqp kqp = { 0, 0, 0 };
    struct rdma_binding *b;
    uint64_t cm_id;
    uint32_t qpn;
    char *error;

    if (!e->have_cfg) {
        return xstrdup("ovs-rdmad has not read the database yet (is "
                       "ovsdb-server running?): try again");
    }
    if (e->restoring) {
        return xstrdup("ovs-rdmad is still restoring the connections bound "
                       "before it restarted: try again");
    }
    if (e->save_error) {
        return save_refusal(e, "bind refused, nothing installed");
    }
    error = check_request(e, req, &vp);
    if (!error) {
        error = rdma_config_guard_check(&e->cfg, req, vp);
    }
    if (error) {
        return error;
    }
    if (!req->admin) {
        error = check_quota(e, vp);
        if (error) {
            return error;
        }
    }
    if (req->has_cm_id) {
        cm_id = req->cm_id;
        if (rdma_qp_map_find(e->map, vp->name, cm_id)) {
            return xasprintf("cm_id %"PRIu64" is already bound on vport %s "
                             "(unbind it first)", cm_id, vp->name);
        }
    } else {
        /* The vport's lowest free one: it says nothing of other vports. */
        struct rdma_qpm_vport *qvp;

        qvp = rdma_qp_map_find_vport(e->map, vp->name);
        cm_id = qvp ? qvp->next_cm_id : 1;
        while (rdma_qp_map_find(e->map, vp->name, cm_id)) {
            cm_id++;
        }
        if (qvp) {
            qvp->next_cm_id = cm_id + 1;
        }
    }
    if (req->has_qpn) {
        qpn = req->qpn;
        if (rdma_qp_map_find_qpn(e->map, vp->device, qpn)) {
            return xasprintf("qpn %"PRIu32" is already bound on the RDMA "
                             "function of vport %s (a QP can be bound "
                             "once): bind the QP's own number", qpn,
                             vp->name);
        }
    } else {
        qpn = alloc_qpn(e, vp->device);
        if (!qpn) {
            return xstrdup("no free QP number left on this RDMA function");
        }
    }

    if (vp->device && rdma_qp_source_type() != RDMA_QP_SOURCE_NONE) {
        error = check_qp(vp, req, &kqp);
        if (error) {
            return error;
        }
    }

    b = rdma_qp_map_add(e->map,
                        rdma_qp_map_free_key(e->map, cm_id, &e->next_key),
                        cm_id, vp->name);
    request_to_binding(req, vp, b);
    rdma_binding_set_qpn(e->map, b, vp->device, qpn);
    if (vp->device && rdma_qp_source_type() != RDMA_QP_SOURCE_NONE) {
        /* The kernel, not the tenant, says who the peer is. */
        b->qp_checked = true;
        b->qp_state = kqp.state;
        b->remote_qpn = kqp.rqpn;
    }
    b->persistent = req->persistent;
    b->owner = req->persistent ? 0 : req->owner;
    b->vport->mac = vp->mac;
    b->reselect = true;
    rdma_underlay_ovs_begin();
    binding_update(e, b);

    if (b->state == RDMA_BINDING_FAILED
        || (b->state == RDMA_BINDING_PENDING && !b->path)) {
        /* Bad input, or the NIC refused it: change nothing. */
        error = xstrdup(b->reason);
        if (b->nic_failed) {
            e->n_nic_failed--;
        }
        rdma_qp_map_remove(e->map, b);
        return error;
    }
    *bp = b;
    return NULL;
}

/* Releases binding 'b': removes its NIC entry and the binding. */
void
rdma_engine_release(struct rdma_engine *e, struct rdma_binding *b)
{
    binding_apply(e, b, false, NULL, RDMA_BINDING_PENDING, NULL);
    if (b->nic_failed) {
        b->nic_failed = false;
        e->n_nic_failed--;
    }
    rdma_qp_map_remove(e->map, b);
}

/* Unbinds connection 'cm_id' of vport 'vport': removes its NIC entry and
 * its binding.  Returns NULL or an error message (caller frees). */
char *
rdma_engine_unbind(struct rdma_engine *e, const char *vport, uint64_t cm_id)
{
    struct rdma_binding *b = rdma_qp_map_find(e->map, vport, cm_id);

    if (!b) {
        return xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                         cm_id, vport);
    }
    rdma_engine_release(e, b);
    return NULL;
}

/* Releases every binding of vport 'vport' made by tenant connection
 * 'owner' (nonzero), which closed.  Returns how many. */
size_t
rdma_engine_release_owner(struct rdma_engine *e, const char *vport,
                          uint64_t owner)
{
    struct rdma_qpm_vport *qvp = rdma_qp_map_find_vport(e->map, vport);
    struct rdma_binding **owned;
    struct rdma_binding *b;
    size_t n = 0, i;

    if (!qvp || !owner) {
        return 0;
    }
    owned = xmalloc(qvp->n_bindings * sizeof *owned);
    LIST_FOR_EACH (b, vport_node, &qvp->bindings) {
        if (b->owner == owner) {
            owned[n++] = b;
        }
    }
    /* Releasing the last binding frees 'qvp': do not touch it after. */
    for (i = 0; i < n; i++) {
        rdma_engine_release(e, owned[i]);
    }
    free(owned);
    return n;
}

/* Finds the connection named 'name', "VPORT/CM_ID" (or a bare "CM_ID",
 * accepted when exactly one vport has that cm_id), for the administrator.
 * Returns NULL and the binding in '*bp', or an error message (caller
 * frees). */
char *
rdma_engine_find_named(const struct rdma_engine *e, const char *name,
                       struct rdma_binding **bp)
{
    const char *slash = strrchr(name, '/');
    struct rdma_binding *b, *found = NULL;
    struct ds vports = DS_EMPTY_INITIALIZER;
    struct sset names = SSET_INITIALIZER(&names);
    size_t n = 0;
    uint64_t cm_id;
    char *error;

    *bp = NULL;
    error = rdma_request_parse_cm_id(slash ? slash + 1 : name, &cm_id);
    if (error) {
        return error;
    }
    if (slash) {
        char *vport = xmemdup0(name, slash - name);

        *bp = rdma_qp_map_find(e->map, vport, cm_id);
        error = (*bp ? NULL
                 : xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                             cm_id, vport));
        free(vport);
        sset_destroy(&names);
        return error;
    }
    HMAP_FOR_EACH (b, key_node, &e->map->bindings) {
        if (b->cm_id == cm_id) {
            sset_add(&names, b->vport->name);
            found = b;
            n++;
        }
    }
    if (!n) {
        error = xasprintf("no binding with cm_id %"PRIu64, cm_id);
    } else if (n > 1) {
        const char **sorted = sset_sort(&names);
        size_t i;

        for (i = 0; i < n; i++) {
            ds_put_format(&vports, "%s%s", i ? ", " : "", sorted[i]);
        }
        free(sorted);
        error = xasprintf("cm_id %"PRIu64" is bound on %"PRIuSIZE" vports "
                          "(%s): name the connection as VPORT/%"PRIu64,
                          cm_id, n, ds_cstr(&vports), cm_id);
    } else {
        *bp = found;
    }
    sset_destroy(&names);
    ds_destroy(&vports);
    return error;
}

/* Sets the peer's QP number of connection 'cm_id' of 'vport' to
 * 'remote_qpn' (1 to 0xffffff), as a NIC learns it when the QP moves to
 * RTR; an installed entry is modified (generation + 1), unless nothing
 * changed.  Only 'from_kernel' may change it for a connection whose QP the
 * kernel shows.  On success returns NULL and the binding in '*bp'; on
 * error returns a message (caller frees) and changes nothing. */
static char *
set_remote_qpn(struct rdma_engine *e, const char *vport, uint64_t cm_id,
               uint32_t remote_qpn, bool from_kernel,
               struct rdma_binding **bp)
{
    struct rdma_binding *b = rdma_qp_map_find(e->map, vport, cm_id);

    if (!b) {
        return xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                         cm_id, vport);
    }
    if (b->qp_checked && !from_kernel) {
        return xasprintf("the peer QPN of %s/%"PRIu64" comes from the "
                         "kernel (QP %"PRIu32" on RDMA device %s), not from "
                         "requests", vport, cm_id, b->qpn, b->device);
    }
    if (e->save_error) {
        return save_refusal(e, "update refused, nothing changed");
    }
    if (!remote_qpn || remote_qpn > 0xffffff) {
        return xasprintf("remote_qpn %"PRIu32" is not a QP number (1 to "
                         "16777215)", remote_qpn);
    }
    if (b->remote_qpn != remote_qpn) {
        b->remote_qpn = remote_qpn;
        rdma_binding_note_change(e->map, b);
        if (b->installed) {
            /* The tuple is the same, so make binding_apply() see a change:
             * a tuple hash of 0 stands for "unknown". */
            b->tuple_hash = 0;
        }
        rdma_underlay_ovs_begin();
        binding_update(e, b);
    }
    *bp = b;
    return NULL;
}

/* Sets the peer's QP number of connection 'cm_id' of 'vport' to
 * 'remote_qpn' (1 to 0xffffff), for a request (see set_remote_qpn()).  A
 * connection whose QP the kernel shows takes it from there instead. */
char *
rdma_engine_set_remote_qpn(struct rdma_engine *e, const char *vport,
                           uint64_t cm_id, uint32_t remote_qpn,
                           struct rdma_binding **bp)
{
    return set_remote_qpn(e, vport, cm_id, remote_qpn, false, bp);
}

/* Compares NIC entries by cm_id, for qsort() and bsearch(). */
static int
compare_entries(const void *a_, const void *b_)
{
    const struct rdma_nic_entry *a = a_, *b = b_;

    return a->cm_id < b->cm_id ? -1 : a->cm_id > b->cm_id;
}

/* Seeds path 'p', new and not yet computed, with the shared part of
 * 'entry', the tuple the NIC holds for one of its connections, so that a
 * path that cannot be resolved right after a restart keeps the NIC's
 * entries as they are (make-before-break, as for any transient). */
static void
seed_path(struct rdma_path *p, const struct rdma_nic_entry *entry)
{
    struct ovl_tuple base = entry->tuple;

    base.udp_src = 0;
    base.inner_src_mac = eth_addr_zero;
    base.inner_dst_mac = eth_addr_zero;
    memset(&base.inner_src_ip, 0, sizeof base.inner_src_ip);
    memset(&base.inner_dst_ip, 0, sizeof base.inner_dst_ip);
    p->base = base;
}

/* Puts back, after a restart, the 'n' connections in 'saved' that an
 * earlier ovs-rdmad had bound, and reconciles the NIC's table with them
 * (Documentation/design.rst, section "Restarts and the state file"): a
 * connection the NIC still holds is adopted as installed, with the NIC's
 * generation, and costs a NIC operation only if its tuple or QPNs changed
 * meanwhile; one the NIC lost is installed again;
 * an entry the NIC holds for no saved connection is removed, if
 * 'remove_orphans' (the caller passes false when it could not read what
 * was saved, so as not to tear down connections it merely lost track of).
 * Every restored connection is then recomputed like any other, so one whose
 * vport or tunnel went away while the daemon was down ends up failed or
 * pending, with the reason, rather than lost.
 *
 * Call it after the first configuration snapshot and before any bind.
 * Returns 0 and stores what it did in '*stats', or returns a positive errno
 * value, having changed nothing, if the NIC's table cannot be read (the
 * caller retries later: without the table, reinstalling would fail on
 * the entries the NIC kept, and removing them would break connections in
 * use). */
int
rdma_engine_restore(struct rdma_engine *e,
                    const struct rdma_saved_binding *saved, size_t n,
                    bool remove_orphans, struct rdma_restore_stats *stats)
{
    struct rdma_nic_entry *entries = NULL;
    struct shash seeds = SHASH_INITIALIZER(&seeds);
    struct rdma_binding **restored;
    size_t n_entries = 0, n_restored = 0;
    struct shash_node *node;
    bool *adopted;
    size_t i;
    int error;

    memset(stats, 0, sizeof *stats);
    error = rdma_nic_dump(e->nic, &entries, &n_entries);
    if (error == EOPNOTSUPP) {
        /* The NIC cannot say: take it that it kept nothing. */
        n_entries = 0;
    } else if (error) {
        return error;
    }
    if (n_entries) {
        qsort(entries, n_entries, sizeof *entries, compare_entries);
    }
    adopted = xcalloc(n_entries ? n_entries : 1, sizeof *adopted);
    restored = xmalloc((n ? n : 1) * sizeof *restored);

    for (i = 0; i < n; i++) {
        const struct rdma_request *req = &saved[i].req;
        const struct rdma_nic_entry *entry = NULL;
        const struct rdma_nic_entry key = { .cm_id = saved[i].key };
        const struct rdma_map_vport *vp;
        struct rdma_binding *b;

        vp = rdma_mapping_find_vport(&e->cfg, req->vport);
        if (rdma_qp_map_find(e->map, req->vport, req->cm_id)
            || rdma_qp_map_find_key(e->map, saved[i].key)) {
            VLOG_WARN("%s/%"PRIu64" is bound already: not restoring its "
                      "saved copy", req->vport, req->cm_id);
            continue;
        }
        if (rdma_qp_map_find_qpn(e->map, vp ? vp->device : NULL, req->qpn)) {
            VLOG_WARN("%s/%"PRIu64": not restoring it: its qpn %"PRIu32" is "
                      "bound already on the same RDMA function", req->vport,
                      req->cm_id, req->qpn);
            continue;
        }
        b = rdma_qp_map_add(e->map, saved[i].key, req->cm_id, req->vport);
        b->dst_ip = req->dst_ip;
        b->dst_mac = req->dst_mac;
        b->has_dst_mac = req->has_dst_mac;
        b->src_ip = req->src_ip;
        b->src_ip_given = req->has_src_ip;
        rdma_binding_set_qpn(e->map, b, vp ? vp->device : NULL, req->qpn);
        b->remote_qpn = req->remote_qpn;
        b->reselect = true;
        if (vp) {
            b->vport->mac = vp->mac;
            /* Checked at the next poll: released if its QP is gone. */
            b->qp_checked = (vp->device
                             && rdma_qp_source_type() != RDMA_QP_SOURCE_NONE);
        }

        if (n_entries) {
            entry = bsearch(&key, entries, n_entries, sizeof *entries,
                            compare_entries);
        }
        if (entry) {
            adopted[entry - entries] = true;
            b->installed = true;
            b->generation = entry->generation;
            /* A tuple hash of 0 stands for "unknown": it forces a modify,
             * here because the NIC's QPNs are not the saved ones. */
            b->tuple_hash = (entry->qpn == b->qpn
                             && entry->remote_qpn == b->remote_qpn
                             ? rdma_nic_entry_hash(&e->caps, &entry->tuple)
                             : 0);
            stats->n_adopted++;
            if (saved[i].tunnel) {
                const struct rdma_nic_entry *best;

                /* Seed each path from its newest entry, below. */
                best = shash_find_data(&seeds, saved[i].tunnel);
                if (!best || entry->generation > best->generation) {
                    shash_replace(&seeds, saved[i].tunnel, entry);
                }
                rdma_binding_set_path(e->map, b,
                                      rdma_qp_map_get_path(e->map,
                                                           saved[i].tunnel));
            }
        }
        if (saved[i].key >= e->next_key) {
            e->next_key = saved[i].key + 1;
        }
        e->next_qpn = MAX(e->next_qpn, req->qpn + 1);
        restored[n_restored++] = b;
    }
    stats->n_restored = n_restored;

    SHASH_FOR_EACH (node, &seeds) {
        struct rdma_path *p = rdma_qp_map_find_path(e->map, node->name);

        if (p && p->dirty) {
            seed_path(p, node->data);
        }
    }
    shash_destroy(&seeds);

    for (i = 0; remove_orphans && i < n_entries; i++) {
        if (!adopted[i]) {
            VLOG_INFO("cm_id %"PRIu64": removing the NIC's entry, which no "
                      "saved connection owns", entries[i].cm_id);
            error = rdma_nic_remove(e->nic, entries[i].cm_id);
            e->stats.n_remove++;
            if (error && error != ENOENT) {
                e->stats.n_nic_errors++;
                rdma_retry_bury(&e->retry, entries[i].cm_id,
                                entries[i].cm_id, NULL, error);
            }
            stats->n_orphans++;
        }
    }

    /* Compute the seeded paths, then every restored connection. */
    rdma_underlay_ovs_begin();
    for (i = 0; i < n_restored; i++) {
        struct rdma_path *p = restored[i]->path;

        if (p && p->dirty) {
            path_update(e, p);
        }
    }
    for (i = 0; i < n_restored; i++) {
        binding_update(e, restored[i]);
    }

    free(restored);
    free(adopted);
    free(entries);
    return 0;
}

/* Returns the rdma-status of vport 'vport' for OVSDB: "ready", or why it
 * is not.  '*bufp' is set to memory the caller must free (or NULL). */
const char *
rdma_engine_vport_status(const struct rdma_engine *e, const char *vport,
                         char **bufp)
{
    const struct rdma_map_vport *vp = rdma_mapping_find_vport(&e->cfg, vport);
    const struct rdma_qpm_vport *qvp;
    const struct rdma_binding *b;
    size_t n_bad = 0;
    const char *first = NULL;

    *bufp = NULL;
    if (!vp) {
        return NULL;
    }
    if (vp->error) {
        return vp->error;
    }
    if (!vp->has_mac) {
        return "no MAC: set external_ids:attached-mac";
    }
    qvp = rdma_qp_map_find_vport(e->map, vport);
    if (qvp && qvp->n_not_installed) {
        n_bad = qvp->n_not_installed;
        LIST_FOR_EACH (b, vport_node, &qvp->bindings) {
            if (b->state != RDMA_BINDING_INSTALLED) {
                first = b->reason;
                break;
            }
        }
    }
    if (n_bad) {
        *bufp = xasprintf("degraded: %"PRIuSIZE" of %"PRIuSIZE" connections "
                          "not installed (%s)", n_bad, qvp->n_bindings,
                          first ? first : "unknown");
        return *bufp;
    }
    return "ready";
}
