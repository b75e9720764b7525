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

#ifndef RDMA_NIC_DUMMY_H
#define RDMA_NIC_DUMMY_H 1

/* The "dummy" NIC provider's test hooks.
 *
 * The dummy provider keeps its flow table in memory.  Its spec is
 * "dummy[:key=value,...]" with these options:
 *
 *    capacity=N     Table size: 'install' fails with ENOSPC when N entries
 *                   are installed.  0 (the default) means no limit.
 *    ipv6=BOOL      Whether the NIC can offload an IPv6 underlay.
 *    vlan=BOOL      Whether the NIC can offload a VLAN-tagged underlay.
 *    geneve=BOOL    Whether the NIC can offload Geneve.  (VXLAN it always
 *                   can.)  BOOL is "true" or "false"; all default to true.
 *                   An op that needs a missing capability fails with
 *                   EOPNOTSUPP.
 *    log=N          How many ops the op log keeps, oldest dropped first;
 *                   default 10000, 0 disables the log.
 *    table=FILE     Keep the table in FILE too, so that it outlives the
 *                   process, as a real NIC's does (rdma-nic-dummy-table.h):
 *                   read at open, rewritten after every change.
 *
 * Fault injection and inspection are available as unixctl commands, which
 * act on the most recently opened dummy NIC that is still open:
 *
 *    rdma-dummy/show                 the table, sorted by cm_id
 *    rdma-dummy/op-log [--verbose]   ops since the last clear, numbered
 *    rdma-dummy/op-log-clear         clears the op log
 *    rdma-dummy/fail COUNT ERRNO [OP]
 *                                    the next COUNT ops (of kind OP:
 *                                    bind-source, install, modify, remove
 *                                    or dump, if given) fail with ERRNO, a
 *                                    name such as EIO or a number; COUNT 0
 *                                    cancels
 *    rdma-dummy/set-capacity N       changes the capacity (0 = unlimited)
 *
 * and as the functions below, for unit tests.  Fault injection and the op
 * log cover the ops that change the table (bind-source, install, modify,
 * remove), not get-caps; 'dump' fails only when named and is not logged.
 * A failed op is logged with its error. */

#include <stdbool.h>
#include <stdint.h>

#include "rdma-nic.h"

struct ds;

/* What a dummy NIC counts of its ops and batches (see "Batches" in
 * rdma-nic-provider.h): "rdma-dummy/stats" shows them. */
struct rdma_nic_dummy_batch_stats {
    unsigned long long int n_batches;       /* Batches committed. */
    unsigned long long int n_batched_ops;   /* Successful ops inside
                                             * batches. */
    unsigned long long int n_unbatched_ops; /* Successful ops outside. */
    unsigned long long int max_ops;         /* Most ops in one batch. */
    unsigned long long int cur_ops;         /* Ops in the open batch. */
    unsigned long long int n_installs;      /* Successful installs. */
    unsigned long long int n_modifies;      /* Successful modifies. */
    unsigned long long int n_removes;       /* Successful removes. */
};

bool rdma_nic_is_dummy(const struct rdma_nic *);
struct rdma_nic *rdma_nic_dummy_get_current(void);

int rdma_nic_dummy_fail(struct rdma_nic *, unsigned int count, int error,
                        const char *op);
void rdma_nic_dummy_set_capacity(struct rdma_nic *, uint32_t capacity);
void rdma_nic_dummy_format_table(const struct rdma_nic *, struct ds *);
void rdma_nic_dummy_format_log(const struct rdma_nic *, bool verbose,
                               struct ds *);
void rdma_nic_dummy_clear_log(struct rdma_nic *);
void rdma_nic_dummy_get_batch_stats(const struct rdma_nic *,
                                    struct rdma_nic_dummy_batch_stats *);
bool rdma_nic_dummy_get_source(const struct rdma_nic *, uint64_t cm_id,
                               struct rdma_nic_source *);

char *rdma_nic_dummy_command(struct rdma_nic *, int argc, const char *argv[],
                             struct ds *reply) OVS_WARN_UNUSED_RESULT;

int rdma_errno_from_string(const char *);
const char *rdma_errno_to_string(int error);

#endif /* rdma-nic-dummy.h */
