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

#ifndef RDMA_QP_SOURCE_H
#define RDMA_QP_SOURCE_H 1

/* Where ovs-rdmad sees the QPs that really exist: the kernel's RDMA
 * resource tracker, read over RDMA netlink (the nldev resource dump that
 * "rdma resource show qp" uses), or, for the autotests, a fake table that
 * "rdma-qp/fake-*" commands fill.
 *
 * A vport whose Interface names its RDMA device (other_config:rdma-device)
 * gets its QPs checked when a source is available: a bind must name a QP
 * that exists on that device, its peer QPN and state come from the kernel
 * (not from the tenant), and a binding whose QP no longer exists is
 * released (rdma-engine.c). */

#include <stddef.h>
#include <stdint.h>

/* A QP as the kernel shows it. */
struct rdma_kqp {
    uint32_t lqpn;              /* Local QP number. */
    uint32_t rqpn;              /* Peer's QP number, 0 if none yet. */
    uint8_t state;              /* IB QP state: 0 RESET, 1 INIT, 2 RTR,
                                 * 3 RTS, 4 SQD, 5 SQE, 6 ERR. */
};

/* Where QPs are read from. */
enum rdma_qp_source_type {
    RDMA_QP_SOURCE_NONE,        /* Nowhere: no checks. */
    RDMA_QP_SOURCE_NETLINK,     /* The kernel, over RDMA netlink. */
    RDMA_QP_SOURCE_FAKE,        /* The fake table (tests). */
};

int rdma_qp_source_init(const char *type);
enum rdma_qp_source_type rdma_qp_source_type(void);
const char *rdma_qp_state_name(uint8_t state);
int rdma_qp_source_dump(const char *device, struct rdma_kqp **qpsp,
                        size_t *np);
const struct rdma_kqp *rdma_kqp_find(const struct rdma_kqp *, size_t n,
                                     uint32_t lqpn);

#endif /* rdma-qp-source.h */
