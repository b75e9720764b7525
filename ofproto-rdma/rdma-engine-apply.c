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

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-pipeline.h"
#include "rdma-qp-map.h"
#include "rdma-resolve.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_engine_apply);

/* Recomputing the engine's paths and bindings from the configuration and
 * the underlay, and making the NIC's table match them. */

/* Logs as the engine, module "rdma_engine" (rdma-engine-private.h). */
#define this_module (*VLM_rdma_engine)

/* Adds 'b' to 'wl'. */
void
rdma_worklist_add(struct rdma_worklist *wl, struct rdma_binding *b)
{
    if (wl->n >= wl->allocated) {
        wl->items = x2nrealloc(wl->items, &wl->allocated, sizeof *wl->items);
    }
    wl->items[wl->n++] = b;
}

/* Adds every binding of vport 'vp' to 'wl', marked for a new tunnel
 * choice. */
void
rdma_worklist_add_vport(struct rdma_worklist *wl, struct rdma_qpm_vport *vp)
{
    struct rdma_binding *b;

    RDMA_QPM_VPORT_FOR_EACH (b, vp) {
        b->reselect = true;
        rdma_worklist_add(wl, b);
    }
}

/* Marks 'b' failed because a NIC operation failed, with 'msg' as the
 * reason: the engine retries it (rdma-retry.h). */
static void
binding_nic_failed(struct rdma_engine *e, struct rdma_binding *b,
                   const char *msg)
{
    rdma_binding_set_state(e->map, b, RDMA_BINDING_FAILED, msg);
    b->nic_failed = true;
    e->n_nic_failed++;
}

/* Tries to remove the NIC's entry with 'key', which has a tombstone (its
 * remove failed before, rdma-retry.h), now.
 * Returns 0 if it is gone (the tombstone too), else the positive errno of
 * the remove, with the tombstone kept.  Returns 0 at once if 'key' has no
 * tombstone. */
int
rdma_engine_remove_tombstone(struct rdma_engine *e, uint64_t key)
{
    struct rdma_tombstone *ts = rdma_retry_find(&e->retry, key);
    int error;

    if (!ts) {
        return 0;
    }
    error = rdma_nic_remove(e->nic, key);
    e->stats.n_remove++;
    if (error && error != ENOENT) {
        e->stats.n_nic_errors++;
        rdma_retry_bury(&e->retry, key, ts->cm_id, ts->vport, error);
        return error;
    }
    rdma_retry_unbury(&e->retry, ts);
    return 0;
}

/* Installs 'entry' for 'b', which the NIC does not hold: binds its source
 * first (the address-resolution step of a connection), with the fields of
 * 'tuple'.  Returns 0, or a positive errno with a reason in '*msgp'
 * (caller frees), having left nothing behind in the NIC. */
static int
binding_install(struct rdma_engine *e, struct rdma_binding *b,
                const struct ovl_tuple *tuple,
                const struct rdma_nic_entry *entry, char **msgp)
{
    struct rdma_nic_source src;
    int error;

    memset(&src, 0, sizeof src);
    src.local_ip = tuple->local_ip;
    src.local_mac = tuple->local_mac;
    src.vlan = tuple->vlan;
    src.underlay_mtu = tuple->underlay_mtu;
    src.inner_src_ip = tuple->inner_src_ip;

    /* An old entry for this key whose remove failed goes first. */
    error = rdma_engine_remove_tombstone(e, b->key);
    if (error) {
        *msgp = xasprintf("its old NIC entry is still being removed (NIC "
                          "remove failed: %s; retrying)",
                          ovs_strerror(error));
        return error;
    }
    error = rdma_nic_bind_source(e->nic, b->key, &src);
    if (error == EOPNOTSUPP) {
        error = 0;              /* The provider has no separate step. */
    }
    if (!error) {
        error = rdma_nic_install(e->nic, entry);
        e->stats.n_install++;
        if (error && error != EEXIST) {
            /* Leave nothing behind: forget the bound source.  (Not after
             * EEXIST: that entry is someone's, in use.) */
            rdma_nic_remove(e->nic, b->key);
        }
    }
    if (error) {
        *msgp = xasprintf("NIC install failed: %s", ovs_strerror(error));
        e->stats.n_nic_errors++;
    }
    return error;
}

/* Makes the NIC's entry for 'b' match 'entry->tuple' (the caller fills in
 * only that; this function fills in the rest): installs it, or modifies it
 * (generation + 1) if its tuple or QPNs changed, and sets 'b''s state.
 * Building the tuple in place saves a refresh two copies of it per
 * binding. */
static void
binding_push_entry(struct rdma_engine *e, struct rdma_binding *b,
                   struct rdma_nic_entry *entry)
{
    uint64_t hash = rdma_nic_entry_hash(&e->caps, &entry->tuple);
    const struct ovl_tuple *tuple = &entry->tuple;
    char *msg = NULL;
    size_t len;
    int error;

    if (b->installed && hash == b->tuple_hash) {
        rdma_binding_set_state(e->map, b, RDMA_BINDING_INSTALLED, NULL);
        return;
    }
    entry->cm_id = b->key;
    entry->qpn = b->qpn;
    entry->remote_qpn = b->remote_qpn;
    entry->generation = b->generation + 1;
    len = strnlen(b->vport->name, sizeof entry->vport - 1);
    memcpy(entry->vport, b->vport->name, len);
    memset(&entry->vport[len], 0, sizeof entry->vport - len);
    if (!b->installed) {
        error = binding_install(e, b, tuple, entry, &msg);
    } else {
        error = rdma_nic_modify(e->nic, entry);
        e->stats.n_modify++;
        if (error) {
            msg = xasprintf("NIC modify failed: %s", ovs_strerror(error));
            e->stats.n_nic_errors++;
        }
    }
    if (error) {
        binding_nic_failed(e, b, msg);
        free(msg);
        return;
    }
    b->installed = true;
    b->generation = entry->generation;
    b->tuple_hash = hash;
    rdma_binding_set_state(e->map, b, RDMA_BINDING_INSTALLED, NULL);
}

/* Makes the NIC's entry for 'b' match 'tuple', as binding_push_entry()
 * does. */
static void
binding_push(struct rdma_engine *e, struct rdma_binding *b,
             const struct ovl_tuple *tuple)
{
    struct rdma_nic_entry entry;

    entry.tuple = *tuple;
    binding_push_entry(e, b, &entry);
}

/* Removes the NIC's entry for 'b', if it has one (a remove that fails is
 * retried: rdma-retry.h), and sets 'b''s state to 'state' with 'reason'. */
static void
binding_withdraw(struct rdma_engine *e, struct rdma_binding *b,
                 enum rdma_binding_state state, const char *reason)
{
    if (b->installed) {
        int error = rdma_nic_remove(e->nic, b->key);

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

/* Makes the NIC's entry for 'b' match 'tuple' (if 'want') or removes it
 * (if not), and sets 'b''s state; 'state' and 'reason' describe why it is
 * not wanted. */
void
rdma_engine_apply(struct rdma_engine *e, struct rdma_binding *b, bool want,
                  const struct ovl_tuple *tuple,
                  enum rdma_binding_state state, const char *reason)
{
    if (b->nic_failed) {
        b->nic_failed = false;
        e->n_nic_failed--;
    }
    if (want) {
        binding_push(e, b, tuple);
    } else {
        binding_withdraw(e, b, state, reason);
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
                     struct ovl_tuple *base, char **errorp)
{
    const struct rdma_map_vport *vp = rdma_mapping_find_vport(&e->cfg,
                                                              p->vport);
    enum rdma_resolve_status status;
    char *via = NULL;

    if (!vp) {
        memset(base, 0, sizeof *base);
        *errorp = xasprintf("vport %s does not exist", p->vport);
        return RDMA_RESOLVE_FAILED;
    }
    if (rdma_pipeline_may_skip_trace() && !p->reason && p->via) {
        /* The flows did not change: keep what the last trace said, check
         * the underlay only. */
        return rdma_pipeline_refresh_underlay(&e->cfg, vp, p->via, &p->base,
                                              &e->caps, base, errorp);
    }
    status = rdma_pipeline_resolve(&e->cfg, vp, &p->src_ip, &p->dst_ip,
                                   (eth_addr_is_zero(p->dst_mac) ? NULL
                                    : &p->dst_mac),
                                   &e->caps, base, &via, errorp);
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
    struct in6_addr src = rdma_binding_src_ip(b);
    struct in6_addr dst = rdma_binding_dst_ip(b);

    return xasprintf("pipeline %s %s %s "ETH_ADDR_FMT, b->vport->name,
                     rdma_ip_to_string(&src, src_s),
                     rdma_ip_to_string(&dst, dst_s),
                     ETH_ADDR_ARGS(b->has_dst_mac ? b->dst_mac
                                   : eth_addr_zero));
}

/* Recomputes path 'p' from the configuration and the underlay.  Returns
 * true if anything its bindings depend on changed. */
bool
rdma_engine_update_path(struct rdma_engine *e, struct rdma_path *p)
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
    struct in6_addr dst;
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
            p->src_ip = rdma_binding_src_ip(b);
            p->dst_ip = rdma_binding_dst_ip(b);
            p->dst_mac = b->has_dst_mac ? b->dst_mac : eth_addr_zero;
        }
        if (p->dirty) {
            rdma_engine_update_path(e, p);
        }
        rdma_binding_set_via_fdb(e->map, b, false);
        rdma_binding_set_path(e->map, b, p);
        return NULL;
    }
    dst = rdma_binding_dst_ip(b);
    t = rdma_resolve_tunnel(&e->cfg, vp, &dst,
                            b->has_dst_mac ? &b->dst_mac : NULL, &choice,
                            &error);
    if (!t) {
        rdma_binding_set_path(e->map, b, NULL);
        rdma_binding_set_via_fdb(e->map, b, false);
        return error;
    }
    rdma_binding_set_via_fdb(e->map, b, choice == RDMA_CHOICE_FDB);
    if (!b->path || strcmp(b->path->tunnel, t->name)) {
        struct rdma_path *p = rdma_qp_map_get_path(e->map, t->name);

        if (p->dirty) {
            rdma_engine_update_path(e, p);
        }
        rdma_binding_set_path(e->map, b, p);
    }
    return NULL;
}

/* Recomputes binding 'b', whose vport in the configuration is 'vp' (NULL
 * if none), and updates the NIC and 'b''s state to match. */
static void
update_binding(struct rdma_engine *e, struct rdma_binding *b,
               const struct rdma_map_vport *vp)
{
    char *reason = NULL;

    e->stats.n_binding_updates++;
    if (!vp) {
        reason = (rdma_mapping_find_iface(&e->cfg, b->vport->name)
                  ? rdma_map_vport_not_enabled(b->vport->name)
                  : xasprintf("vport %s does not exist", b->vport->name));
        b->reselect = true;
        rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_FAILED, reason);
    } else if (vp->error) {
        b->reselect = true;
        rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_FAILED, vp->error);
    } else if (!vp->has_mac) {
        reason = rdma_map_vport_no_mac(vp->name);
        rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_FAILED, reason);
    } else {
        struct in6_addr src = rdma_binding_src_ip(b);
        struct in6_addr dst = rdma_binding_dst_ip(b);

        b->vport->mac = vp->mac;
        if (!b->src_ip_given && !ipv6_addr_equals(&src, &vp->ip)) {
            src = vp->ip;
            rdma_binding_set_ips(e->map, b, &src, &dst);
        }
        if (b->reselect || !b->path) {
            reason = binding_reselect(e, b, vp);
        }
        if (reason) {
            rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_PENDING, reason);
        } else if (b->path->reason) {
            rdma_engine_apply(e, b, false, NULL,
                          (b->path->failed ? RDMA_BINDING_FAILED
                           : RDMA_BINDING_PENDING), b->path->reason);
        } else if (!b->has_dst_mac) {
            rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_PENDING,
                          "inner destination MAC unknown (bind with "
                          "dst_mac=MAC)");
        } else if (rdma_ip_is_v4(&src) != rdma_ip_is_v4(&dst)) {
            rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_FAILED,
                          "source and destination IP versions differ");
        } else {
            struct rdma_nic_entry entry;

            if (b->nic_failed) {
                b->nic_failed = false;
                e->n_nic_failed--;
            }
            rdma_binding_get_tuple(b, &entry.tuple);
            binding_push_entry(e, b, &entry);
        }
    }
    free(reason);
}

/* Recomputes binding 'b' and updates the NIC and 'b''s state to match. */
void
rdma_engine_update_binding(struct rdma_engine *e, struct rdma_binding *b)
{
    update_binding(e, b, rdma_mapping_find_vport(&e->cfg, b->vport->name));
}

/* Recomputes every dirty path and adds the bindings of those that changed
 * to 'wl'. */
void
rdma_engine_update_paths(struct rdma_engine *e, struct rdma_worklist *wl,
                         bool all)
{
    struct rdma_path *p;

    HMAP_FOR_EACH (p, node, &e->map->paths) {
        if ((all || p->dirty) && rdma_engine_update_path(e, p)) {
            struct rdma_binding *b;

            RDMA_PATH_FOR_EACH (b, p, e->map) {
                rdma_worklist_add(wl, b);
            }
        }
    }
}

/* Takes back what the NIC refused when a batch was committed (the 'n'
 * ops in 'failed'; "Batches" in rdma-nic-provider.h): each refused op left
 * its entry as it was, so its binding becomes what it would have become
 * had the op failed alone, and the engine retries it. */
static void
batch_refused(struct rdma_engine *e,
              const struct rdma_nic_batch_failure *failed, size_t n)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    size_t i;

    for (i = 0; i < n; i++) {
        const struct rdma_nic_batch_failure *f = &failed[i];
        struct rdma_binding *b = rdma_qp_map_find_key(e->map, f->cm_id);
        char *msg;

        e->stats.n_nic_errors++;
        if (!b) {
            VLOG_WARN_RL(&rl, "NIC refused an operation on entry %"PRIu64
                         " that no binding has any more: %s", f->cm_id,
                         ovs_strerror(f->error));
            continue;
        }
        if (f->op == RDMA_NIC_BATCH_REMOVE) {
            rdma_retry_bury(&e->retry, b->key, b->cm_id, b->vport->name,
                            f->error);
            continue;
        }
        if (f->op != RDMA_NIC_BATCH_MODIFY) {
            b->installed = false;
        }
        if (b->generation) {
            b->generation--;
        }
        b->tuple_hash = 0;      /* Push it again at the retry. */
        if (!b->nic_failed) {
            msg = xasprintf("NIC %s failed: %s",
                            f->op == RDMA_NIC_BATCH_MODIFY ? "modify"
                            : "install", ovs_strerror(f->error));
            binding_nic_failed(e, b, msg);
            free(msg);
        }
    }
}

/* Recomputes every binding in 'wl' and empties it.  Their NIC operations
 * go to the NIC as one batch. */
void
rdma_engine_process_worklist(struct rdma_engine *e, struct rdma_worklist *wl)
{
    struct rdma_nic_batch_failure *failed;
    size_t i, n_failed;

    if (wl->n) {
        const struct rdma_qpm_vport *last = NULL;
        const struct rdma_map_vport *vp = NULL;

        rdma_nic_batch_begin(e->nic);
        for (i = 0; i < wl->n; i++) {
            struct rdma_binding *b = wl->items[i];

            /* Runs of bindings of one vport (the common case: a path's
             * bindings) look their vport up once.  (Updating a binding
             * frees no vport, and the configuration stays as it is.) */
            if (b->vport != last) {
                last = b->vport;
                vp = rdma_mapping_find_vport(&e->cfg, last->name);
            }
            update_binding(e, b, vp);
        }
        if (rdma_nic_batch_commit(e->nic, &failed, &n_failed)) {
            batch_refused(e, failed, n_failed);
        }
        free(failed);
    }
    free(wl->items);
    memset(wl, 0, sizeof *wl);
}
