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

#ifndef RDMA_NIC_H
#define RDMA_NIC_H 1

/* The NIC driver callback interface: client API.
 *
 * ovs-rdmad programs an overlay-capable RDMA NIC through this interface,
 * following the connection set-up steps of DESIGN.md section 6: learn what
 * the NIC can offload (rdma_nic_get_caps()), bind the source side of a
 * connection at address resolution (rdma_nic_bind_source()), install the
 * full overlay tuple for a QP (rdma_nic_install()), modify it when an input
 * changes (rdma_nic_modify()), remove it (rdma_nic_remove()), and read the
 * table back (rdma_nic_dump()).  Providers implement it; see
 * rdma-nic-provider.h.
 *
 * Every function that can fail returns 0 or a positive errno value; a
 * provider that lacks an operation yields EOPNOTSUPP.  A failed operation
 * leaves the NIC's table as it was. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/compiler.h"
#include "openvswitch/types.h"
#include "ovl-tuple.h"

struct ds;
struct rdma_nic;

/* What a NIC can offload. */
struct rdma_nic_caps {
    bool vxlan;                 /* Can encapsulate in VXLAN. */
    bool geneve;                /* Can encapsulate in Geneve. */
    bool ipv6;                  /* Supports IPv6 outer and inner headers. */
    bool vlan;                  /* Supports a VLAN-tagged underlay. */
    uint32_t max_entries;       /* Table size, 0 if unlimited. */
};

/* The source side of a connection, known at address resolution. */
struct rdma_nic_source {
    struct in6_addr local_ip;   /* Local VTEP IP (IPv4-mapped for IPv4). */
    struct eth_addr local_mac;  /* Local VTEP MAC. */
    uint16_t vlan;              /* Underlay VLAN ID, 0 if untagged. */
    uint16_t underlay_mtu;      /* Underlay IP MTU. */
    struct in6_addr inner_src_ip; /* Tenant's source IP (source GID). */
};

/* One flow-table entry: the overlay tuple of one QP. */
struct rdma_nic_entry {
    uint64_t cm_id;             /* rdma_cm identifier: the key. */
    uint32_t qpn;               /* Local QP number. */
    uint32_t remote_qpn;        /* Peer's QP number, 0 if unknown. */
    uint64_t generation;        /* 1 at install, +1 at every modify. */
    struct ovl_tuple tuple;     /* Overlay tuple. */
};

char *rdma_nic_open(const char *spec, struct rdma_nic **)
    OVS_WARN_UNUSED_RESULT;
void rdma_nic_close(struct rdma_nic *);
const char *rdma_nic_get_type(const struct rdma_nic *);
void rdma_nic_format_providers(struct ds *);

int rdma_nic_get_caps(const struct rdma_nic *, struct rdma_nic_caps *);
int rdma_nic_bind_source(struct rdma_nic *, uint64_t cm_id,
                         const struct rdma_nic_source *);
int rdma_nic_install(struct rdma_nic *, const struct rdma_nic_entry *);
int rdma_nic_modify(struct rdma_nic *, const struct rdma_nic_entry *);
int rdma_nic_remove(struct rdma_nic *, uint64_t cm_id);
int rdma_nic_dump(struct rdma_nic *, struct rdma_nic_entry **entriesp,
                  size_t *n_entriesp);

void rdma_nic_run(struct rdma_nic *);
void rdma_nic_wait(struct rdma_nic *);

#endif /* rdma-nic.h */
