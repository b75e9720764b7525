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

#ifndef RDMA_ENGINE_H
#define RDMA_ENGINE_H 1

/* The engine: keeps the QP map and the NIC's table equal to what the
 * configuration and the underlay say (Documentation/design.rst, section
 * "Change notification and incremental refresh").
 *
 * Inputs reach it as a new configuration snapshot (when the database
 * changes), as a periodic or notified re-resolution of the underlay, and as
 * bind/unbind requests.  Each input recomputes only what depends on it:
 * a changed vport its own bindings; a changed tunnel, route, neighbour or
 * egress device the one path it affects, and that path's bindings only if
 * the path's shared tuple changed; a changed tunnel set the tunnel choice of
 * the vports on the bridges it touches.  A binding whose tuple did not
 * change costs no NIC operation; one whose tuple changed costs one
 * "modify" with generation + 1.
 *
 * The engine's state is its own (rdma-engine-private.h): other modules
 * reach it only through the functions below. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/compiler.h"

struct ds;
struct ovsdb_idl;
struct rdma_binding;
struct rdma_mapping;
struct rdma_nic;
struct rdma_qp_map;
struct rdma_request;
struct rdma_resolution;
struct rdma_retry;
struct rdma_saved_binding;

/* Counters of the engine's work, for "rdma/refresh" and benchmarks. */
struct rdma_engine_stats {
    uint64_t n_install;         /* NIC install operations. */
    uint64_t n_modify;          /* NIC modify operations. */
    uint64_t n_remove;          /* NIC remove operations. */
    uint64_t n_nic_errors;      /* NIC operations that failed. */
    uint64_t n_path_updates;    /* Path recomputations. */
    uint64_t n_binding_updates; /* Binding recomputations. */
};

/* What rdma_engine_restore() did. */
struct rdma_restore_stats {
    size_t n_restored;          /* Connections put back in the QP map. */
    size_t n_adopted;           /* ...of which the NIC still held. */
    size_t n_orphans;           /* NIC entries nobody bound: removed. */
};

/* Life cycle. */
struct rdma_engine *rdma_engine_create(struct rdma_qp_map *,
                                       struct rdma_nic *, int poll_ms);
void rdma_engine_destroy(struct rdma_engine *);
void rdma_engine_run(struct rdma_engine *, const struct ovsdb_idl *);
void rdma_engine_wait(struct rdma_engine *);

/* Inputs: configuration and underlay. */
void rdma_engine_set_config(struct rdma_engine *, struct rdma_mapping *);
void rdma_engine_set_auto_device(struct rdma_engine *, const char *vport,
                                 const char *device);
void rdma_engine_poll_underlay(struct rdma_engine *);
void rdma_engine_refresh(struct rdma_engine *);
void rdma_engine_retry_failed(struct rdma_engine *);

/* Inputs: requests. */
char *rdma_engine_resolve(struct rdma_engine *, const struct rdma_request *,
                          struct rdma_resolution *) OVS_WARN_UNUSED_RESULT;
char *rdma_engine_bind(struct rdma_engine *, const struct rdma_request *,
                       struct rdma_binding **) OVS_WARN_UNUSED_RESULT;
char *rdma_engine_unbind(struct rdma_engine *, const char *vport,
                         uint64_t cm_id) OVS_WARN_UNUSED_RESULT;
void rdma_engine_release(struct rdma_engine *, struct rdma_binding *);
char *rdma_engine_update(struct rdma_engine *, const char *vport,
                         uint64_t cm_id, uint32_t remote_qpn,
                         struct rdma_binding **)
    OVS_WARN_UNUSED_RESULT;
char *rdma_engine_find_named(const struct rdma_engine *, const char *name,
                             struct rdma_binding **) OVS_WARN_UNUSED_RESULT;
size_t rdma_engine_release_owner(struct rdma_engine *, const char *vport,
                                 uint64_t owner);

/* Restarts (rdma-persist.h). */
int rdma_engine_restore(struct rdma_engine *,
                        const struct rdma_saved_binding *, size_t n,
                        bool remove_orphans, struct rdma_restore_stats *);
void rdma_engine_keep_last_config(struct rdma_engine *,
                                  const struct rdma_mapping *last);
void rdma_engine_set_restoring(struct rdma_engine *, bool restoring,
                               const char *state_file);
bool rdma_engine_is_restoring(const struct rdma_engine *);
void rdma_engine_set_save_error(struct rdma_engine *, int error);

/* What other modules read. */
bool rdma_engine_has_config(const struct rdma_engine *);
const struct rdma_mapping *rdma_engine_get_config(const struct rdma_engine *);
unsigned int rdma_engine_get_config_seqno(const struct rdma_engine *);
struct rdma_qp_map *rdma_engine_get_map(const struct rdma_engine *);
struct rdma_nic *rdma_engine_get_nic(const struct rdma_engine *);
const struct rdma_engine_stats *rdma_engine_get_stats(
    const struct rdma_engine *);
const struct rdma_retry *rdma_engine_get_retry(const struct rdma_engine *);
const char *rdma_engine_vport_status(const struct rdma_engine *,
                                     const char *vport, char **bufp);

#endif /* rdma-engine.h */
