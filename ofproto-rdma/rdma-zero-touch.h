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

#ifndef RDMA_ZERO_TOUCH_H
#define RDMA_ZERO_TOUCH_H 1

/* Zero-touch binding ("ovs-rdmad --bind-mode=zero-touch"): ovs-rdmad
 * follows every rdma_cm connection of the host kernel itself, with no
 * cooperation from the tenant.
 *
 * It reads the kernel's rdma_cm ids (the RDMA netlink resource dump that
 * "rdma resource show cm_id" uses, by rdma-qp-source.c) at once when the
 * kernel's rdma_cma tracepoints fire (rdma-zt-wake.h), and every
 * --zero-touch-poll milliseconds (ten times less often with the
 * tracepoints), and compares them with the previous dump:
 *
 *   - a connection whose address is resolved but has no QP yet gets a
 *     binding of the GSI QP to its peer, so that its connection manager's
 *     first request crosses (rdma-zt-active.c);
 *
 *   - a connection whose address is resolved and whose QP exists is bound
 *     through the engine's ordinary request API (rdma_engine_bind()), on
 *     the vport whose Interface names its RDMA device
 *     (other_config:rdma-device), with the kernel's source and destination
 *     addresses, the QP's number, and the peer's MAC from the neighbour
 *     table of the owning process's network namespace; the peer QPN and
 *     QP state then follow the kernel (the engine's QP check);
 *
 *   - a connection that went away is unbound;
 *
 *   - a connection that cannot be placed (unknown device, an Interface
 *     without other_config:rdma=true, no tunnel, ...) is kept aside with
 *     the reason, shown by "rdma/show-qp-map", logged once, and retried
 *     after each dump; nothing of it is installed.
 *
 * Its bindings have cm_ids from RDMA_ZT_CM_ID_BASE upward (the device's
 * index and the kernel's cm_id number), so that after a restart the
 * bindings restored from the state file are recognised and adopted, and
 * those whose connection went while ovs-rdmad was down are released.  A
 * QP bound already through a tenant socket or by the administrator is left
 * to that binding (Documentation/design.rst, "Zero-touch binding"). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct json;
struct ovsdb_idl;
struct rdma_engine;
struct rdma_qp_map;

/* First cm_id of zero-touch bindings: 2^56 + (device index << 32) + the
 * kernel's cm_id number. */
#define RDMA_ZT_CM_ID_BASE (UINT64_C(1) << 56)

/* Default --zero-touch-poll, in milliseconds. */
#define RDMA_ZT_POLL_MS 100

/* Counters of the watcher's work. */
struct rdma_zero_touch_stats {
    uint64_t n_polls;           /* Dumps read and compared. */
    uint64_t n_woken;           /* Dumps made at once because a wake-up
                                 * came (rdma-zt-wake.c). */
    uint64_t n_dump_errors;     /* Dumps that failed. */
    uint64_t n_bound;           /* Connections bound. */
    uint64_t n_unbound;         /* Connections unbound (they went). */
    uint64_t n_adopted;         /* Bindings found in place (restart). */
    uint64_t n_refused;         /* Bind attempts that failed. */
    uint64_t n_orphans;         /* Bindings of vanished connections found
                                 * after a restart: released. */
    long long int last_poll_ns; /* Duration of the last poll. */
    long long int total_poll_ns; /* Duration of all polls. */
    long long int max_delay_ms; /* Longest delay from first seeing a QP
                                 * to its binding. */
};

struct rdma_zero_touch *rdma_zero_touch_create(struct rdma_engine *,
                                               struct rdma_qp_map *,
                                               int poll_ms);
void rdma_zero_touch_destroy(struct rdma_zero_touch *);
void rdma_zero_touch_run(struct rdma_zero_touch *, const struct ovsdb_idl *);
void rdma_zero_touch_wait(struct rdma_zero_touch *);
void rdma_zero_touch_poll(struct rdma_zero_touch *);
void rdma_zero_touch_register_commands(struct rdma_zero_touch *);
void rdma_zero_touch_set_wake(struct rdma_zero_touch *, bool enable);

void rdma_zero_touch_set_device(struct rdma_zero_touch *, const char *device,
                                const char *iface, bool rdma);

bool rdma_zero_touch_owns(uint64_t cm_id);
size_t rdma_zero_touch_count(const struct rdma_zero_touch *, size_t *bound);
void rdma_zero_touch_get_stats(const struct rdma_zero_touch *,
                               struct rdma_zero_touch_stats *);
void rdma_zero_touch_format_unplaced(const struct rdma_zero_touch *,
                                     const char *vport, struct ds *);
struct json *rdma_zero_touch_unplaced_to_json(const struct rdma_zero_touch *,
                                              const char *vport);

#endif /* rdma-zero-touch.h */
