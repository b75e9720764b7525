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

/* The engine's own state (rdma-engine.h is the interface for everyone
 * else).  Only the engine's source files, and rdma-retry.c, which retries
 * its failed NIC operations, include this header. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-retry.h"

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

#endif /* rdma-engine-private.h */
