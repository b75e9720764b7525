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

#include "coverage.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "rdma-config-guard.h"
#include "rdma-pipeline.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-underlay.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

/* The engine's state, life cycle and main-loop work: run/wait, underlay
 * polls, full refreshes, and what other modules may read of it
 * (rdma-engine-private.h says where the rest of the engine lives). */

VLOG_DEFINE_THIS_MODULE(rdma_engine);

COVERAGE_DEFINE(rdma_engine_poll);

/* Creates and returns an engine that keeps 'map' and 'nic' in step; the
 * userspace underlay is re-read every 'poll_ms' milliseconds (0: never).
 * The caller keeps 'map' and 'nic' alive until rdma_engine_destroy(). */
struct rdma_engine *
rdma_engine_create(struct rdma_qp_map *map, struct rdma_nic *nic,
                   int poll_ms)
{
    struct rdma_engine *e = xzalloc(sizeof *e);

    e->map = map;
    e->nic = nic;
    if (rdma_nic_get_caps(nic, &e->caps)) {
        memset(&e->caps, 0, sizeof e->caps);
        e->caps.vxlan = true;
    }
    rdma_mapping_init(&e->cfg);
    smap_init(&e->auto_devices);
    e->poll_ms = poll_ms;
    e->next_poll = poll_ms ? time_msec() + poll_ms : LLONG_MAX;
    e->next_key = UINT64_C(1) << 62;
    e->next_qpn = 0x100;
    rdma_retry_init(&e->retry);
    return e;
}

/* Frees 'e' (not the map or the NIC). */
void
rdma_engine_destroy(struct rdma_engine *e)
{
    if (e) {
        rdma_engine_settle_updates(e, true);
        free(e->unsaved);
        rdma_mapping_destroy(&e->cfg);
        smap_destroy(&e->auto_devices);
        rdma_retry_destroy(&e->retry);
        rdma_pipeline_destroy();
        free(e);
    }
}

/* Returns true if 'e' has taken a configuration snapshot yet. */
bool
rdma_engine_has_config(const struct rdma_engine *e)
{
    return e->have_cfg;
}

/* Returns 'e''s configuration snapshot (empty before the first one). */
const struct rdma_mapping *
rdma_engine_get_config(const struct rdma_engine *e)
{
    return &e->cfg;
}

/* Returns the database seqno that 'e''s configuration was built at: it
 * changes whenever the snapshot does. */
unsigned int
rdma_engine_get_config_seqno(const struct rdma_engine *e)
{
    return e->idl_seqno;
}

/* Returns the QP map that 'e' keeps. */
struct rdma_qp_map *
rdma_engine_get_map(const struct rdma_engine *e)
{
    return e->map;
}

/* Returns the NIC that 'e' programs. */
struct rdma_nic *
rdma_engine_get_nic(const struct rdma_engine *e)
{
    return e->nic;
}

/* Returns the counters of 'e''s work. */
const struct rdma_engine_stats *
rdma_engine_get_stats(const struct rdma_engine *e)
{
    return &e->stats;
}

/* Returns 'e''s NIC entries whose remove is being retried, for display. */
const struct rdma_retry *
rdma_engine_get_retry(const struct rdma_engine *e)
{
    return &e->retry;
}

/* Marks whether connections from before a restart are still to be
 * restored into 'e' (while they are, binds are refused), and names the
 * state file, 'state_file' (kept by the caller), for messages. */
void
rdma_engine_set_restoring(struct rdma_engine *e, bool restoring,
                          const char *state_file)
{
    e->restoring = restoring;
    e->state_file = state_file;
}

/* Returns true while 'e' waits for the connections from before a restart
 * to be restored. */
bool
rdma_engine_is_restoring(const struct rdma_engine *e)
{
    return e->restoring;
}

/* Tells 'e' the outcome of a write of the state file: why it failed (a
 * positive errno), or 0.  While it cannot be written, binds and updates
 * are refused; the updates whose records the failed write held are undone
 * (rdma_engine_settle_updates()). */
void
rdma_engine_set_save_error(struct rdma_engine *e, int error)
{
    rdma_engine_settle_updates(e, !error);
    e->save_error = error;
}

/* Re-reads the underlay for every path and updates the bindings of the
 * paths that changed, and re-chooses the tunnels chosen by MAC learning,
 * within the current resolution round.  A binding whose NIC operation
 * failed is retried here only if its path changed; otherwise retry_run()
 * retries it, with backoff, so that a NIC that keeps refusing is not hit
 * at every underlay change. */
static void
poll_underlay__(struct rdma_engine *e)
{
    struct rdma_worklist wl = RDMA_WORKLIST_INITIALIZER;
    bool any_pipeline = false;
    struct rdma_binding *b;
    struct rdma_path *p;

    COVERAGE_INC(rdma_engine_poll);
    HMAP_FOR_EACH (p, node, &e->map->paths) {
        any_pipeline |= p->pipeline;
        if (!e->map->n_via_fdb) {
            /* Nothing to re-choose: an idle round costs the paths, not
             * the bindings. */
            continue;
        }
        RDMA_PATH_FOR_EACH (b, p, e->map) {
            if (b->via_fdb) {
                b->reselect = true;
                rdma_worklist_add(&wl, b);
            }
        }
    }
    if (any_pipeline) {
        rdma_pipeline_poll_begin();
    }
    rdma_engine_update_paths(e, &wl, true);
    rdma_pipeline_poll_end();
    rdma_engine_process_worklist(e, &wl);
}

/* Re-reads the underlay for every path and updates the bindings of the
 * paths that changed, and re-chooses the tunnels chosen by MAC learning:
 * one resolution round. */
void
rdma_engine_poll_underlay(struct rdma_engine *e)
{
    rdma_underlay_begin();
    poll_underlay__(e);
}

/* Retries the NIC operations of the bindings whose last one failed. */
void
rdma_engine_retry_failed(struct rdma_engine *e)
{
    struct rdma_worklist wl = RDMA_WORKLIST_INITIALIZER;
    struct rdma_binding *b;

    RDMA_QP_MAP_FOR_EACH (b, e->map) {
        if (b->nic_failed) {
            rdma_worklist_add(&wl, b);
        }
    }
    rdma_underlay_begin();
    rdma_engine_process_worklist(e, &wl);
}

/* Recomputes everything: every path, every tunnel choice, every binding.
 * Only bindings whose tuple changed cost a NIC operation. */
void
rdma_engine_refresh(struct rdma_engine *e)
{
    struct rdma_worklist wl = RDMA_WORKLIST_INITIALIZER;
    struct rdma_binding *b;

    rdma_underlay_begin();
    RDMA_QP_MAP_FOR_EACH (b, e->map) {
        b->reselect = true;
        rdma_worklist_add(&wl, b);
    }
    rdma_engine_update_paths(e, &wl, true);
    rdma_engine_process_worklist(e, &wl);
}

/* Retries what is due (rdma-retry.h): removes of tombstones, then the
 * operations of bindings whose last NIC operation failed. */
static void
retry_run(struct rdma_engine *e)
{
    struct rdma_retry *r = &e->retry;
    long long int now = time_msec();
    struct rdma_tombstone *ts;

    HMAP_FOR_EACH_SAFE (ts, node, &r->tombstones) {
        if (now >= ts->next_try) {
            rdma_engine_remove_tombstone(e, ts->key);
        }
    }

    if (!e->n_nic_failed) {
        r->backoff = RDMA_RETRY_MIN_MS;
        r->next_try = LLONG_MAX;
    } else if (r->next_try == LLONG_MAX) {
        rdma_retry_note_failure(r);
    } else if (now >= r->next_try) {
        rdma_engine_retry_failed(e);
        if (e->n_nic_failed) {
            rdma_retry_note_failure(r);
        }
    }
}

/* Arranges for poll_block() to wake up when a retry is due. */
static void
retry_wait(const struct rdma_engine *e)
{
    const struct rdma_tombstone *ts;

    HMAP_FOR_EACH (ts, node, &e->retry.tombstones) {
        poll_timer_wait_until(ts->next_try);
    }
    if (e->n_nic_failed) {
        if (e->retry.next_try == LLONG_MAX) {
            poll_immediate_wake();
        } else {
            poll_timer_wait_until(e->retry.next_try);
        }
    }
}

/* Takes a new configuration snapshot of 'idl' if it is usable and changed
 * since the last one: a connected replica that holds the root Open_vSwitch
 * row.  (While ovsdb-server restarts, the replica may be empty or partial
 * for a moment, and acting on that would tear down every entry only to
 * install it again.)  Returns true if it took one. */
static bool
take_config(struct rdma_engine *e, const struct ovsdb_idl *idl)
{
    struct rdma_mapping new;

    if (!idl || !ovsdb_idl_is_connected(idl)
        || !ovsrec_open_vswitch_first(idl)
        || (e->have_cfg && ovsdb_idl_get_seqno(idl) == e->idl_seqno)) {
        return false;
    }
    e->idl_seqno = ovsdb_idl_get_seqno(idl);
    rdma_mapping_init(&new);
    rdma_mapping_build(&new, idl);
    rdma_engine_apply_auto_devices(e, &new);
    rdma_config_guard(&e->cfg, &new);
    rdma_engine_set_config__(e, &new);
    rdma_mapping_destroy(&new);
    return true;
}

/* Runs the engine: takes a new configuration snapshot if the database
 * 'idl' changed, and re-reads the underlay when it is due or notified.
 * Both are one resolution round (rdma-underlay-provider.h). */
void
rdma_engine_run(struct rdma_engine *e, const struct ovsdb_idl *idl)
{
    bool flows_changed = rdma_pipeline_run(&e->cfg, e->idl_seqno);
    uint64_t underlay_seqno = rdma_underlay_seqno();
    bool poll_due = (flows_changed || underlay_seqno != e->underlay_seqno
                     || time_msec() >= e->next_poll);
    bool config_due = (idl && ovsdb_idl_is_connected(idl)
                       && (!e->have_cfg
                           || ovsdb_idl_get_seqno(idl) != e->idl_seqno));

    /* A new main-loop iteration: the kernel's QPs are dumped afresh, once
     * per RDMA device, for all of this iteration's checks. */
    rdma_qp_source_run();
    if (config_due || poll_due) {
        rdma_underlay_begin();
    }
    take_config(e, idl);
    if (poll_due) {
        e->underlay_seqno = underlay_seqno;
        if (e->poll_ms) {
            e->next_poll = time_msec() + e->poll_ms;
        }
        if (hmap_count(&e->map->paths)) {
            poll_underlay__(e);
        }
        rdma_engine_check_qps(e);
    }
    retry_run(e);
}

/* Arranges for poll_block() to wake up when the underlay (or the QP
 * check) is due. */
void
rdma_engine_wait(struct rdma_engine *e)
{
    if (e->poll_ms && rdma_qp_map_count(e->map)) {
        poll_timer_wait_until(e->next_poll);
    }
    retry_wait(e);
    rdma_pipeline_wait(e->idl_seqno);
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
        *bufp = rdma_map_vport_no_mac(vport);
        return *bufp;
    }
    qvp = rdma_qp_map_find_vport(e->map, vport);
    if (qvp && qvp->n_not_installed) {
        n_bad = qvp->n_not_installed;
        RDMA_QPM_VPORT_FOR_EACH (b, qvp) {
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
