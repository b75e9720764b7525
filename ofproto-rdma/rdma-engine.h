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
 * "modify" with generation + 1. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-retry.h"

struct ds;
struct ovsdb_idl;
struct rdma_binding;
struct rdma_qp_map;
struct rdma_resolution;
struct rdma_saved_binding;

/* A bind or resolve request, as parsed from the admin or tenant front
 * ends. */
struct rdma_request {
    const char *vport;          /* Tenant vport name. */
    struct in6_addr dst_ip;     /* Inner destination IP. */
    struct eth_addr dst_mac;    /* Inner destination MAC, if has_dst_mac. */
    bool has_dst_mac;           /* Whether 'dst_mac' was given. */
    struct in6_addr src_ip;     /* Inner source IP, if has_src_ip. */
    bool has_src_ip;            /* Whether 'src_ip' was given. */
    uint64_t cm_id;             /* rdma_cm identifier, if has_cm_id. */
    bool has_cm_id;             /* Whether 'cm_id' was given. */
    uint32_t qpn;               /* Local QPN, if has_qpn. */
    bool has_qpn;               /* Whether 'qpn' was given. */
    uint32_t remote_qpn;        /* Peer's QPN, 0 if unknown. */
    bool persistent;            /* Tenant: keep the binding when the
                                 * connection that made it closes. */
    bool admin;                 /* From the admin: may name any source IP;
                                 * not subject to the tenants' quotas. */
    uint64_t owner;             /* Tenant connection that makes it, or 0. */
};

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

/* The engine. */
struct rdma_engine {
    struct rdma_qp_map *map;    /* Bindings; not owned. */
    struct rdma_nic *nic;       /* NIC; not owned. */
    struct rdma_nic_caps caps;  /* The NIC's capabilities. */
    struct rdma_mapping cfg;    /* Current configuration snapshot. */
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
};

void rdma_engine_init(struct rdma_engine *, struct rdma_qp_map *,
                      struct rdma_nic *, int poll_ms);
void rdma_engine_destroy(struct rdma_engine *);
void rdma_engine_run(struct rdma_engine *, const struct ovsdb_idl *);
void rdma_engine_wait(struct rdma_engine *);

void rdma_engine_set_config(struct rdma_engine *, struct rdma_mapping *);
void rdma_engine_poll_underlay(struct rdma_engine *);
void rdma_engine_refresh(struct rdma_engine *);
void rdma_engine_retry_failed(struct rdma_engine *);

char *rdma_engine_resolve(struct rdma_engine *, const struct rdma_request *,
                          struct rdma_resolution *) OVS_WARN_UNUSED_RESULT;
char *rdma_engine_bind(struct rdma_engine *, const struct rdma_request *,
                       struct rdma_binding **) OVS_WARN_UNUSED_RESULT;
char *rdma_engine_unbind(struct rdma_engine *, const char *vport,
                         uint64_t cm_id) OVS_WARN_UNUSED_RESULT;
void rdma_engine_release(struct rdma_engine *, struct rdma_binding *);
char *rdma_engine_set_remote_qpn(struct rdma_engine *, const char *vport,
                                 uint64_t cm_id, uint32_t remote_qpn,
                                 struct rdma_binding **)
    OVS_WARN_UNUSED_RESULT;
char *rdma_engine_find_named(const struct rdma_engine *, const char *name,
                             struct rdma_binding **) OVS_WARN_UNUSED_RESULT;
size_t rdma_engine_release_owner(struct rdma_engine *, const char *vport,
                                 uint64_t owner);
int rdma_engine_restore(struct rdma_engine *,
                        const struct rdma_saved_binding *, size_t n,
                        bool remove_orphans, struct rdma_restore_stats *);

const char *rdma_engine_vport_status(const struct rdma_engine *,
                                     const char *vport, char **bufp);

#endif /* rdma-engine.h */
