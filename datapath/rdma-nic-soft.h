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

#ifndef RDMA_NIC_SOFT_H
#define RDMA_NIC_SOFT_H 1

/* The "soft" NIC provider's own functions, for benchmarks and tests that
 * drive it without ovs-rdmad (see rdma-nic-soft.c). */

#include <stddef.h>
#include <stdint.h>

struct rdma_nic;

int rdma_nic_soft_send(struct rdma_nic *, uint64_t cm_id,
                       const void *payload, size_t len, int count);
uint64_t rdma_nic_soft_rx_packets(const struct rdma_nic *, uint32_t qpn);

#endif /* rdma-nic-soft.h */
