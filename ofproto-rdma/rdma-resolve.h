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

#ifndef RDMA_RESOLVE_H
#define RDMA_RESOLVE_H 1

/* The resolver: from configuration and underlay to tuples.
 *
 * Two steps, both without side effects on the QP map or the NIC:
 *
 *   - rdma_resolve_tunnel() chooses the tunnel that carries a vport's
 *     traffic to a destination, by the rules of Documentation/design.rst,
 *     section "Configuration in OVSDB";
 *
 *   - rdma_resolve_path() computes what every connection through one
 *     tunnel shares: the overlay fields from the tunnel, the underlay fields
 *     from the backend the tunnel bridge's datapath type selects, and the
 *     RoCE path MTU; and checks them against the NIC's capabilities. */

#include <stdbool.h>
#include <netinet/in.h>

#include "openvswitch/types.h"
#include "ovl-tuple.h"

struct ds;
struct json;
struct rdma_map_tunnel;
struct rdma_map_vport;
struct rdma_mapping;
struct rdma_nic_caps;

/* Outcome of resolving a path. */
enum rdma_resolve_status {
    RDMA_RESOLVE_OK,            /* Usable. */
    RDMA_RESOLVE_PENDING,       /* Waits for an input, e.g. a neighbour. */
    RDMA_RESOLVE_FAILED,        /* Cannot work as configured. */
    RDMA_RESOLVE_UNREACHABLE,   /* The underlay source cannot be asked
                                 * (e.g. ovs-vswitchd restarting): keep
                                 * what was there. */
};

/* How a tunnel was chosen. */
enum rdma_tunnel_choice {
    RDMA_CHOICE_PEERS,          /* Longest prefix in rdma-peers. */
    RDMA_CHOICE_FDB,            /* MAC-learning table. */
    RDMA_CHOICE_ONLY,           /* Only candidate. */
    RDMA_CHOICE_PIPELINE,       /* The bridge's OpenFlow pipeline
                                 * (rdma-pipeline.h). */
};

/* The answer to a dry-run "resolve" request: which tunnel a connection
 * would take and the tuple it would get. */
struct rdma_resolution {
    char *tunnel;               /* Chosen tunnel. */
    enum rdma_tunnel_choice choice; /* How it was chosen. */
    char *pending;              /* Why the connection would wait (e.g. no
                                 * neighbour yet), or NULL if ready. */
    bool underlay_known;        /* Whether the underlay fields of 'tuple'
                                 * are known. */
    struct ovl_tuple tuple;     /* The tuple, as far as known. */
};

void rdma_resolution_format(const struct rdma_resolution *, struct ds *);
struct json *rdma_resolution_to_json(const struct rdma_resolution *);
void rdma_resolution_destroy(struct rdma_resolution *);

const struct rdma_map_tunnel *rdma_resolve_tunnel(
    const struct rdma_mapping *, const struct rdma_map_vport *,
    const struct in6_addr *dst_ip, const struct eth_addr *dst_mac,
    enum rdma_tunnel_choice *, char **errorp);

enum rdma_resolve_status rdma_resolve_path(const struct rdma_mapping *,
                                           const struct rdma_map_tunnel *,
                                           const struct rdma_nic_caps *,
                                           struct ovl_tuple *base,
                                           char **errorp);

#endif /* rdma-resolve.h */
