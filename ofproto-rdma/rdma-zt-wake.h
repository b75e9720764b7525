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

#ifndef RDMA_ZT_WAKE_H
#define RDMA_ZT_WAKE_H 1

/* What wakes the zero-touch watcher before its next periodic dump.
 *
 * With the kernel as the source (--qp-source=netlink), the kernel's
 * tracepoints rdma_cma:cm_event_handler (every rdma_cm event delivered:
 * ADDR_RESOLVED, ROUTE_RESOLVED, CONNECT_REQUEST, ESTABLISHED, ...),
 * cm_id_attach, cm_qp_create, cm_qp_destroy, cm_id_destroy, cm_send_req
 * and cm_send_rep (a process's QP is its cm_id's from rdma_connect() or
 * rdma_accept() on), and
 * neigh:neigh_create (a new neighbour: a listener's new peer), each opened
 * with perf_event_open(PERF_TYPE_TRACEPOINT) on every online CPU into one
 * small ring per CPU.  No BPF program: the records are only counted, and
 * a readable ring makes the watcher dump at once.  Needs the tracepoints'
 * ids from a mounted tracefs and CAP_PERFMON (or CAP_SYS_ADMIN); without
 * them the watcher polls, as it did before, and says why.
 *
 * With the autotests' fake source (--qp-source=fake), every change of the
 * fake tables (rdma-qp/fake-cm-*, rdma-qp/fake-neigh-*) wakes it, so that
 * the same path is tested without a kernel. */

#include <stdbool.h>
#include <stdint.h>

struct ds;
struct seq;

/* How the watcher is woken. */
enum zt_wake_mode {
    ZT_WAKE_POLL,               /* Not woken: periodic dumps only. */
    ZT_WAKE_TRACEPOINTS,        /* The kernel's tracepoints. */
    ZT_WAKE_FAKE,               /* Changes of the fake tables. */
};

struct zt_wake *zt_wake_create(bool enable);
void zt_wake_destroy(struct zt_wake *);
enum zt_wake_mode zt_wake_mode(const struct zt_wake *);
bool zt_wake_run(struct zt_wake *);
void zt_wake_wait(const struct zt_wake *);
void zt_wake_format(const struct zt_wake *, struct ds *);

/* Changes whenever a fake table of rdma-qp-fake.c changes. */
struct seq *rdma_qp_fake_seq(void);

#endif /* rdma-zt-wake.h */
