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


#ifndef RDMA_QP_SOURCE_PRIVATE_H
#define RDMA_QP_SOURCE_PRIVATE_H 1

/* The two implementations behind rdma-qp-source.h: the kernel's RDMA
 * netlink (rdma-qp-netlink.c) and the fake tables of the autotests
 * (rdma-qp-fake.c).  Only rdma-qp-source.c calls them. */

#include <stddef.h>
#include <stdint.h>

#include "rdma-qp-source.h"

int rdma_qp_netlink_dump_qps(const char *device, struct rdma_kqp **,
                             size_t *);
int rdma_qp_netlink_dump_cm_ids(struct rdma_kcm **, size_t *);
void rdma_qp_netlink_flush(void);
int rdma_qp_netlink_netdev(const char *device, uint32_t pid,
                           uint32_t *ifindex, char *name);
char *rdma_qp_netlink_device_peer(const char *device, uint32_t pid,
                                  char **peerp);
char *rdma_qp_fake_device_peer(const char *device, char **peerp);

void rdma_qp_fake_register(void);
int rdma_qp_fake_dump_qps(const char *device, struct rdma_kqp **, size_t *);
void rdma_qp_fake_dump_cm_ids(struct rdma_kcm **, size_t *);

#endif /* rdma-qp-source-private.h */
