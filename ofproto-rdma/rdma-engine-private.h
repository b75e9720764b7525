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

#ifndef RDMA_ENGINE_PRIVATE_H
#define RDMA_ENGINE_PRIVATE_H 1

/* The engine's own state and the functions its source files share
 * (rdma-engine.h is the interface for everyone else).
 *
 * The engine is split by concern:
 *
 *   - rdma-engine.c: the engine's state, its life cycle and main-loop
 *     work (run/wait, underlay polls, refresh), and its accessors;
 *   - rdma-engine-apply.c: recomputing paths and bindings and making the
 *     NIC's table match them;
 *   - rdma-engine-config.c: taking a new configuration snapshot and
 *     working out, in named diff steps, which paths and bindings its
 *     differences affect;
 *   - rdma-engine-request.c: resolve, bind, unbind and update requests and
 *     their checks, and the request-to-binding step;
 *   - rdma-engine-qp.c: the kernel's view of the bound QPs;
 *   - rdma-engine-restore.c: putting back the connections of an earlier
 *     ovs-rdmad after a restart (adopt, seed, orphans);
 *   - rdma-retry.c: the bookkeeping of the NIC operations to retry (the
 *     engine retries them: rdma-engine.c, rdma-engine-apply.c).
 *
 * Resolution rounds: every public entry point that resolves paths (a
 * configuration, an underlay poll, a refresh, a request, a restore) starts
 * one round with rdma_underlay_begin() (rdma-underlay-provider.h); the
 * functions here run within the caller's round.
 *
 * All of the engine's files log as one module, "rdma_engine", defined in
 * rdma-engine.c: the others say "#define this_module (*VLM_rdma_engine)"
 * (see VLOG_DEFINE_THIS_MODULE in OVS's vlog.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-qp-map.h"
#include "rdma-retry.h"
#include "smap.h"

struct ovl_tuple;
struct rdma_binding;
struct rdma_kqp;
struct rdma_map_vport;
struct rdma_path;
struct rdma_qpm_vport;
struct rdma_request;
struct vlog_module;

/* The engine. */
struct rdma_engine {
    struct rdma_qp_map *map;    /* Bindings; not owned. */
    struct rdma_nic *nic;       /* NIC; not owned. */
    struct rdma_nic_caps caps;  /* The NIC's capabilities. */
    struct rdma_mapping cfg;    /* Current configuration snapshot. */
    struct smap auto_devices;   /* Vport name to the RDMA device that
                                 * zero-touch found behind it, for vports
                                 * without other_config:rdma-device. */
    unsigned int idl_seqno;     /* Database seqno 'cfg' was built at. */
    bool have_cfg;              /* Whether 'cfg' was built at all. */
    bool restoring;             /* Connections from before a restart are
                                 * still to be restored: refuse binds. */
    int save_error;             /* Why the state file cannot be written
                                 * now (a positive errno), or 0: while
                                 * nonzero, binds and updates are refused
                                 * (rdma-persist sets it). */
    const char *state_file;     /* The state file's name, for messages, or
                                 * NULL; not owned. */
    int poll_ms;                /* Underlay re-read interval (userspace
                                 * datapaths), 0 to disable. */
    long long int next_poll;    /* When to re-read the underlay next. */
    uint64_t underlay_seqno;    /* Last underlay seqno handled. */
    size_t n_nic_failed;        /* Bindings whose NIC operation failed. */
    uint64_t next_key;          /* Next key for a binding whose cm_id is
                                 * taken as a key by another vport's. */
    uint32_t next_qpn;          /* Next automatic QPN. */
    struct rdma_engine_stats stats; /* Work done. */
    struct rdma_retry retry;    /* Failed NIC operations to retry. */
    struct rdma_unsaved_update *unsaved; /* Updates made since the last
                                 * write of the state file, oldest first,
                                 * undone if it fails. */
    size_t n_unsaved, allocated_unsaved; /* Used, allocated 'unsaved'. */
};

/* An update of a connection's peer QPN, asked for by a request, that is
 * not in the state file yet: if the write fails, it is undone
 * (rdma_engine_set_save_error()), so that a refused update leaves the
 * binding, the NIC entry and the file as they were. */
struct rdma_unsaved_update {
    char *vport;                /* The connection's vport (malloc'd). */
    uint64_t cm_id;             /* The connection's cm_id on 'vport'. */
    uint32_t old_remote_qpn;    /* The peer QPN before the update. */
};

/* The engine's log module (rdma-engine.c). */
extern struct vlog_module *VLM_rdma_engine;

/* A growable array of bindings to recompute. */
struct rdma_worklist {
    struct rdma_binding **items; /* The bindings. */
    size_t n, allocated;        /* Used and allocated elements. */
};

/* An empty worklist. */
#define RDMA_WORKLIST_INITIALIZER { NULL, 0, 0 }

/* rdma-engine-apply.c. */
int rdma_engine_remove_tombstone(struct rdma_engine *, uint64_t key);
void rdma_worklist_add(struct rdma_worklist *, struct rdma_binding *);
void rdma_worklist_add_vport(struct rdma_worklist *, struct rdma_qpm_vport *);
void rdma_engine_apply(struct rdma_engine *, struct rdma_binding *, bool want,
                       const struct ovl_tuple *,
                       enum rdma_binding_state, const char *reason);
bool rdma_engine_update_path(struct rdma_engine *, struct rdma_path *);
void rdma_engine_update_binding(struct rdma_engine *, struct rdma_binding *);
void rdma_engine_update_paths(struct rdma_engine *, struct rdma_worklist *,
                              bool all);
void rdma_engine_process_worklist(struct rdma_engine *,
                                  struct rdma_worklist *);

/* rdma-engine-config.c. */
void rdma_engine_set_config__(struct rdma_engine *, struct rdma_mapping *);
void rdma_engine_apply_auto_devices(const struct rdma_engine *,
                                    struct rdma_mapping *);

/* rdma-engine-request.c. */
struct rdma_binding *rdma_engine_add_binding(
    struct rdma_engine *, uint64_t key, uint64_t cm_id,
    const struct rdma_request *, const struct rdma_map_vport *,
    const struct in6_addr *default_src_ip, uint32_t qpn);
void rdma_engine_settle_updates(struct rdma_engine *, bool saved);
char *rdma_engine_update__(struct rdma_engine *, const char *vport,
                           uint64_t cm_id, uint32_t remote_qpn,
                           bool from_kernel, struct rdma_binding **)
    OVS_WARN_UNUSED_RESULT;

/* rdma-engine-qp.c. */
char *rdma_engine_check_qp(const struct rdma_map_vport *,
                           const struct rdma_request *, struct rdma_kqp *)
    OVS_WARN_UNUSED_RESULT;
char *rdma_engine_check_peer(const struct rdma_binding *,
                             uint32_t remote_qpn) OVS_WARN_UNUSED_RESULT;
void rdma_engine_check_qps(struct rdma_engine *);

#endif /* rdma-engine-private.h */
