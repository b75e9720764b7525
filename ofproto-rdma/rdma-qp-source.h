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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"

/* A QP as the kernel shows it. */
struct rdma_kqp {
    uint32_t lqpn;              /* Local QP number. */
    uint32_t rqpn;              /* Peer's QP number, 0 if none yet. */
    uint8_t state;              /* IB QP state: 0 RESET, 1 INIT, 2 RTR,
                                 * 3 RTS, 4 SQD, 5 SQE, 6 ERR. */
};

/* Largest length of an RDMA device name, with its NUL. */
#define RDMA_KDEV_NAME_MAX 64

/* An rdma_cm id as the kernel shows it ("rdma resource show cm_id"). */
struct rdma_kcm {
    char device[RDMA_KDEV_NAME_MAX]; /* Its RDMA device. */
    uint32_t dev_index;         /* The device's index. */
    uint32_t cm_idn;            /* The kernel's number for it, unique per
                                 * device while it exists. */
    uint32_t port;              /* Device port, 0 if none yet. */
    uint32_t lqpn;              /* Its QP's number, 0 if no QP yet. */
    uint32_t pid;               /* Owning process, 0 for the kernel's. */
    uint8_t state;              /* RDMA_KCM_*: the kernel's
                                 * enum rdma_cm_state. */
    uint8_t qp_type;            /* IB QP type (2 RC, 3 UC, 4 UD), 0 until
                                 * it has a QP. */
    uint32_t ps;                /* Port space (RDMA_KCM_PS_*), 0 if not
                                 * known. */
    struct in6_addr src;        /* Source address (IPv4-mapped). */
    struct in6_addr dst;        /* Destination address (IPv4-mapped). */
    uint16_t src_port;          /* rdma_cm port of 'src'. */
    uint16_t dst_port;          /* rdma_cm port of 'dst'. */
    bool has_src;               /* Whether 'src' is known. */
    bool has_dst;               /* Whether 'dst' is known. */
    struct eth_addr dst_mac;    /* Fake source only: the peer's MAC, if
                                 * 'has_dst_mac'; the kernel's entries
                                 * never have it. */
    bool has_dst_mac;           /* Whether 'dst_mac' is set. */
};

/* A neighbour entry (IP and MAC) of the fake kernel. */
struct rdma_kneigh {
    struct in6_addr ip;         /* Its address (IPv4-mapped). */
    struct eth_addr mac;        /* Its MAC. */
};

/* The QP number of the GSI QP, which carries the connection manager's
 * requests (ConnectRequest and its replies) of every connection. */
#define RDMA_GSI_QPN 1

/* Port spaces of an rdma_cm id that carry connected QPs (the kernel's
 * enum rdma_ucm_port_space). */
#define RDMA_KCM_PS_TCP 0x0106
#define RDMA_KCM_PS_IB 0x013f

/* States of an rdma_cm id (the kernel's enum rdma_cm_state). */
enum {
    RDMA_KCM_IDLE, RDMA_KCM_ADDR_QUERY, RDMA_KCM_ADDR_RESOLVED,
    RDMA_KCM_ROUTE_QUERY, RDMA_KCM_ROUTE_RESOLVED, RDMA_KCM_CONNECT,
    RDMA_KCM_DISCONNECT, RDMA_KCM_ADDR_BOUND, RDMA_KCM_LISTEN,
    RDMA_KCM_DEVICE_REMOVAL, RDMA_KCM_DESTROYING
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
int rdma_qp_state_from_name(const char *name);
int rdma_qp_source_netdev(const char *device, uint32_t pid,
                          uint32_t *ifindex);
char *rdma_qp_source_device_peer(const char *device, uint32_t pid,
                                 char **peerp);
void rdma_qp_source_fake_neighbours(struct rdma_kneigh **, size_t *np);
int rdma_qp_source_dump(const char *device, struct rdma_kqp **qpsp,
                        size_t *np);
int rdma_qp_source_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np);
const char *rdma_kcm_state_name(uint8_t state);
int rdma_kcm_state_from_name(const char *name);
void rdma_qp_source_fake_cm_set(const struct rdma_kcm *);
bool rdma_qp_source_fake_cm_del(const char *device, uint32_t cm_idn);
void rdma_qp_source_fake_qp_set(const char *device,
                                const struct rdma_kqp *);

/* The QPs of each RDMA device are dumped once per main-loop iteration, at
 * the first lookup, and kept sorted for the others (rdma_qp_source_find());
 * rdma_qp_source_run() starts a new iteration. */
void rdma_qp_source_run(void);
int rdma_qp_source_find(const char *device, uint32_t lqpn,
                        bool refresh_on_miss, struct rdma_kqp *);
void rdma_qp_source_invalidate(void);
uint64_t rdma_qp_source_n_dumps(void);

#endif /* rdma-qp-source.h */
