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

/* The NIC driver callback interface: the client API.
 *
 * An "rdma_nic" is one overlay-capable RDMA NIC whose flow tables ovs-rdmad
 * fills: for every RDMA connection (keyed by its rdma_cm "cm_id") an entry
 * holding the connection's QP numbers and overlay tuple, so that the NIC
 * encapsulates and decapsulates that connection's RoCEv2 packets itself.
 * See Documentation/design.rst, section "The NIC driver callback
 * interface".
 *
 * A NIC is opened from a text "spec", "TYPE[:key=value,...]", where TYPE
 * names a provider (see rdma-nic-provider.h), e.g. "dummy" or "soft";
 * rdma_nic_format_providers() lists those built in.  Every function that can fail returns 0 on success or a positive
 * errno value; EOPNOTSUPP means that the provider does not implement the
 * operation or cannot offload what was asked for.  Each operation is
 * synchronous: it has taken effect (or failed, leaving the NIC's table as it
 * was) when it returns.
 *
 * None of these functions is thread-safe: use a NIC from one thread. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/compiler.h"
#include "openvswitch/types.h"
#include "ovl-tuple.h"

struct ds;
struct json;

/* An open NIC.  Opaque to clients. */
struct rdma_nic;

/* What a NIC can offload, as reported by rdma_nic_get_caps(). */
struct rdma_nic_caps {
    bool vxlan;                 /* VXLAN encapsulation. */
    bool geneve;                /* Geneve encapsulation. */
    bool ipv6;                  /* IPv6 underlay (outer IPv6 header). */
    bool vlan;                  /* VLAN-tagged underlay. */
    uint32_t max_entries;       /* Flow-table size, 0 = no limit. */
    bool kernel_underlay;       /* The NIC's entries leave the underlay
                                 * (local and next-hop MAC, VLAN, MTUs,
                                 * outer UDP source port) to the kernel's
                                 * routing, so an entry holds and 'dump'
                                 * returns only the overlay and inner
                                 * fields: see rdma_nic_entry_hash(). */
    bool resolves_neighbour;    /* The NIC (or the kernel behind it)
                                 * finds the next hop's MAC by itself when
                                 * it encapsulates, so an entry may be
                                 * installed while the next hop has no
                                 * neighbour entry yet (its 'nexthop_mac'
                                 * is then all-zero).  Otherwise the
                                 * binding waits, pending, until the
                                 * neighbour is known. */
};

/* The source side of a connection, bound at address resolution
 * (rdma_nic_bind_source()), before the full tuple is known. */
struct rdma_nic_source {
    struct in6_addr local_ip;     /* Local VTEP IP (IPv4-mapped for v4). */
    struct eth_addr local_mac;    /* Local VTEP MAC. */
    uint16_t vlan;                /* Underlay VLAN, 0 = untagged. */
    uint16_t underlay_mtu;        /* Underlay IP MTU. */
    struct in6_addr inner_src_ip; /* Tenant source IP (the source GID). */
};

/* One installed flow-table entry: a connection's QP and overlay tuple. */
struct rdma_nic_entry {
    uint64_t cm_id;             /* Key: the connection's rdma_cm id. */
    uint32_t qpn;               /* Local QP number. */
    uint32_t remote_qpn;        /* Peer's QP number, 0 if not yet known. */
    uint64_t generation;        /* 1 at install, +1 per modify. */
    struct ovl_tuple tuple;     /* The connection's overlay tuple. */
    char vport[64];             /* The tenant vport (OVS Interface name,
                                 * for "tc" the Linux netdev, e.g. the VF
                                 * representor), "" if unknown.  Providers
                                 * that need no device ignore it. */
};

/* Opening and closing. */
/* An op of a batch that the device refused at commit (see "Batches" in
 * rdma-nic-provider.h). */
struct rdma_nic_batch_failure {
    uint64_t cm_id;             /* The op's connection. */
    enum rdma_nic_batch_op {
        RDMA_NIC_BATCH_BIND_SOURCE, /* 'bind_source'. */
        RDMA_NIC_BATCH_INSTALL,     /* 'install'. */
        RDMA_NIC_BATCH_MODIFY,      /* 'modify'. */
        RDMA_NIC_BATCH_REMOVE       /* 'remove'. */
    } op;                       /* Which op. */
    int error;                  /* Positive errno. */
};

char *rdma_nic_open(const char *spec, struct rdma_nic **nicp)
    OVS_WARN_UNUSED_RESULT;
void rdma_nic_close(struct rdma_nic *);
const char *rdma_nic_get_type(const struct rdma_nic *);

/* Capabilities. */
int rdma_nic_get_caps(const struct rdma_nic *, struct rdma_nic_caps *);

/* The flow table. */
int rdma_nic_bind_source(struct rdma_nic *, uint64_t cm_id,
                         const struct rdma_nic_source *);
int rdma_nic_install(struct rdma_nic *, const struct rdma_nic_entry *);
int rdma_nic_modify(struct rdma_nic *, const struct rdma_nic_entry *);
int rdma_nic_remove(struct rdma_nic *, uint64_t cm_id);
int rdma_nic_dump(struct rdma_nic *, struct rdma_nic_entry **entriesp,
                  size_t *n_entriesp);

void rdma_nic_batch_begin(struct rdma_nic *);
int rdma_nic_batch_commit(struct rdma_nic *,
                          struct rdma_nic_batch_failure **failedp,
                          size_t *n_failedp);
bool rdma_nic_in_batch(const struct rdma_nic *);

uint64_t rdma_nic_entry_hash(const struct rdma_nic_caps *,
                             const struct ovl_tuple *);

/* Provider-specific detail of one entry, for "rdma/show-qp-map". */
int rdma_nic_get_details(struct rdma_nic *, uint64_t cm_id,
                         struct json **detailsp);

/* Background work, from the main loop. */
void rdma_nic_run(struct rdma_nic *);
void rdma_nic_wait(struct rdma_nic *);

/* Providers. */
void rdma_nic_format_providers(struct ds *);
void rdma_nic_format_provider_help(struct ds *);

#endif /* rdma-nic.h */
