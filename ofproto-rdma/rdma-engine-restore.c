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

#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-config-guard.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "rdma-state-file.h"
#include "rdma-underlay.h"
#include "util.h"

/* Restarts: putting back the connections that an earlier ovs-rdmad bound
 * (from the state file, rdma-persist.h) in three steps, adopt, seed and
 * orphans, and reconciling the NIC's table with them. */

/* Logs as the engine, module "rdma_engine" (rdma-engine-private.h). */
#define this_module (*VLM_rdma_engine)

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

/* What one restore works with. */
struct restore {
    struct rdma_nic_entry *entries; /* The NIC's table, by cm_id. */
    size_t n_entries;           /* Number of 'entries'. */
    bool *adopted;              /* Which 'entries' a connection adopted. */
    struct shash seeds;         /* Tunnel name -> its newest adopted
                                 * "struct rdma_nic_entry". */
    struct rdma_binding **restored; /* The connections put back. */
    size_t n_restored;          /* Number of 'restored'. */
};

/* Adopt: if the NIC still holds the entry of 'b', restored from 'saved',
 * takes it as installed with the NIC's generation, and notes it as a seed
 * of its tunnel's path. */
static void
restore_adopt(struct rdma_engine *e, struct restore *r,
              struct rdma_binding *b, const struct rdma_saved_binding *saved,
              struct rdma_restore_stats *stats)
{
    const struct rdma_nic_entry key = { .cm_id = saved->key };
    const struct rdma_nic_entry *entry;

    entry = (r->n_entries
             ? bsearch(&key, r->entries, r->n_entries, sizeof *r->entries,
                       compare_entries)
             : NULL);
    if (!entry) {
        return;
    }
    r->adopted[entry - r->entries] = true;
    b->installed = true;
    b->generation = entry->generation;
    /* A tuple hash of 0 stands for "unknown": it forces a modify, here
     * because the NIC's QPNs are not the saved ones. */
    b->tuple_hash = (entry->qpn == b->qpn
                     && entry->remote_qpn == b->remote_qpn
                     ? rdma_nic_entry_hash(&e->caps, &entry->tuple)
                     : 0);
    stats->n_adopted++;
    if (saved->tunnel) {
        const struct rdma_nic_entry *best;

        /* Seed each path from its newest entry: restore_seed_paths(). */
        best = shash_find_data(&r->seeds, saved->tunnel);
        if (!best || entry->generation > best->generation) {
            shash_replace(&r->seeds, saved->tunnel, entry);
        }
        rdma_binding_set_path(e->map, b,
                              rdma_qp_map_get_path(e->map, saved->tunnel));
    }
}

/* Puts back the connection in 'saved', through the same request-to-binding
 * step as a bind, and adopts its NIC entry if the NIC kept it.  Returns
 * the binding, or NULL if it was not restored because it collides with
 * one bound already. */
static struct rdma_binding *
restore_one(struct rdma_engine *e, struct restore *r,
            const struct rdma_saved_binding *saved,
            struct rdma_restore_stats *stats)
{
    const struct rdma_request *req = &saved->req;
    const struct rdma_map_vport *vp;
    struct rdma_binding *b;

    vp = rdma_mapping_find_vport(&e->cfg, req->vport);
    if (rdma_qp_map_find(e->map, req->vport, req->cm_id)
        || rdma_qp_map_find_key(e->map, saved->key)) {
        VLOG_WARN("%s/%"PRIu64" is bound already: not restoring its "
                  "saved copy", req->vport, req->cm_id);
        return NULL;
    }
    if (req->qpn != RDMA_GSI_QPN
        && rdma_qp_map_find_qpn(e->map, vp ? vp->device : NULL, req->qpn)) {
        VLOG_WARN("%s/%"PRIu64": not restoring it: its qpn %"PRIu32" is "
                  "bound already on the same RDMA function", req->vport,
                  req->cm_id, req->qpn);
        return NULL;
    }
    /* The saved source is the one the connection had, given or not. */
    b = rdma_engine_add_binding(e, saved->key, req->cm_id, req, vp,
                                &req->src_ip, req->qpn);
    restore_adopt(e, r, b, saved, stats);
    if (saved->key >= e->next_key) {
        e->next_key = saved->key + 1;
    }
    e->next_qpn = MAX(e->next_qpn, req->qpn + 1);
    return b;
}

/* Seed: gives each path that the restore created the shared part of its
 * newest adopted entry (seed_path()). */
static void
restore_seed_paths(struct rdma_engine *e, struct restore *r)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &r->seeds) {
        struct rdma_path *p = rdma_qp_map_find_path(e->map, node->name);

        if (p && p->dirty) {
            seed_path(p, node->data);
        }
    }
}

/* Orphans: removes every NIC entry that no saved connection adopted. */
static void
restore_remove_orphans(struct rdma_engine *e, const struct restore *r,
                       struct rdma_restore_stats *stats)
{
    size_t i;

    for (i = 0; i < r->n_entries; i++) {
        const struct rdma_nic_entry *entry = &r->entries[i];
        int error;

        if (r->adopted[i]) {
            continue;
        }
        VLOG_INFO("cm_id %"PRIu64": removing the NIC's entry, which no "
                  "saved connection owns", entry->cm_id);
        error = rdma_nic_remove(e->nic, entry->cm_id);
        e->stats.n_remove++;
        if (error && error != ENOENT) {
            e->stats.n_nic_errors++;
            rdma_retry_bury(&e->retry, entry->cm_id, entry->cm_id, NULL,
                            error);
        }
        stats->n_orphans++;
    }
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
    struct restore r;
    size_t i;
    int error;

    memset(stats, 0, sizeof *stats);
    memset(&r, 0, sizeof r);
    error = rdma_nic_dump(e->nic, &r.entries, &r.n_entries);
    if (error == EOPNOTSUPP) {
        /* The NIC cannot say: take it that it kept nothing. */
        r.n_entries = 0;
    } else if (error) {
        return error;
    }
    if (r.n_entries) {
        qsort(r.entries, r.n_entries, sizeof *r.entries, compare_entries);
    }
    r.adopted = xcalloc(r.n_entries ? r.n_entries : 1, sizeof *r.adopted);
    r.restored = xmalloc((n ? n : 1) * sizeof *r.restored);
    shash_init(&r.seeds);

    for (i = 0; i < n; i++) {
        struct rdma_binding *b = restore_one(e, &r, &saved[i], stats);

        if (b) {
            r.restored[r.n_restored++] = b;
        }
    }
    stats->n_restored = r.n_restored;
    restore_seed_paths(e, &r);
    if (remove_orphans) {
        restore_remove_orphans(e, &r, stats);
    }

    /* Compute the seeded paths, then every restored connection: one
     * resolution round. */
    rdma_underlay_begin();
    for (i = 0; i < r.n_restored; i++) {
        struct rdma_path *p = r.restored[i]->path;

        if (p && p->dirty) {
            rdma_engine_update_path(e, p);
        }
    }
    for (i = 0; i < r.n_restored; i++) {
        rdma_engine_update_binding(e, r.restored[i]);
    }

    shash_destroy(&r.seeds);
    free(r.restored);
    free(r.adopted);
    free(r.entries);
    return 0;
}

/* Right after a restart, before rdma_engine_restore(): keeps in force
 * 'last', the configuration in force before the restart (as saved by
 * rdma-last-config.h), for each tunnel and vport whose configuration in
 * the engine's first snapshot is invalid (rdma-config-guard.h), so that
 * the connections restored through them keep their entries.  No binding
 * exists yet, so nothing is recomputed. */
void
rdma_engine_keep_last_config(struct rdma_engine *e,
                             const struct rdma_mapping *last)
{
    rdma_config_guard(last, &e->cfg);
}
