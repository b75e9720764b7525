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

#ifndef RDMA_UNDERLAY_H
#define RDMA_UNDERLAY_H 1

/* The underlay: the path to a remote VTEP, as an underlay backend
 * resolves it, and the client side of the underlay interface
 * (rdma-underlay-provider.h).
 *
 * Documentation/design.rst, section "Underlay resolution": the Linux
 * backend resolves it from the kernel's routing, neighbour and link tables
 * for bridges with datapath_type=system; the OVS backend resolves it from
 * ovs-vswitchd's own tables for datapath_type=netdev.  Both fill in the
 * same structure.  The functions below pick the backend by the tunnel
 * bridge's datapath type; nothing else in the control plane names a
 * backend.
 *
 * Addresses are "struct in6_addr"s; an IPv4 address is IPv4-mapped
 * (::ffff:a.b.c.d), as OVS's own tunnel code keeps them. */

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/types.h"
#include "packets.h"

struct rdma_map_tunnel;
struct rdma_mapping;
struct rdma_underlay_class;

/* The underlay path to one remote VTEP. */
struct rdma_underlay_path {
    struct in6_addr local_ip;   /* Source address: the route's preferred
                                 * source, or the egress device's primary
                                 * address in the same family, or the
                                 * configured tunnel local_ip. */
    struct in6_addr nexthop_ip; /* Gateway, or the remote VTEP itself when
                                 * it is on-link. */
    char dev[IFNAMSIZ];         /* Egress device name, e.g. "eth0.100". */
    struct eth_addr local_mac;  /* Egress device's MAC. */
    struct eth_addr nexthop_mac; /* Next hop's MAC; valid only if
                                  * 'nexthop_mac_known'. */
    bool nexthop_mac_known;     /* False: the neighbour entry is missing or
                                 * not usable, so the entry stays pending. */
    uint16_t vlan;              /* VLAN ID if 'dev' is a VLAN device, else
                                 * 0. */
    int mtu;                    /* Egress device MTU, or the route's MTU
                                 * metric if set and smaller. */
};

/* Selecting the backends (by default "linux" and "ovs"). */
void rdma_underlay_set_providers(const struct rdma_underlay_class *system,
                                 const struct rdma_underlay_class *netdev);

/* Life cycle, from the main loop. */
void rdma_underlay_init(const char *vswitchd_target);
void rdma_underlay_destroy(void);
void rdma_underlay_run(void);
void rdma_underlay_wait(void);
uint64_t rdma_underlay_seqno(void);

/* Resolution, from the resolver and the engine. */
void rdma_underlay_begin(void);
int rdma_underlay_resolve(const struct rdma_mapping *,
                          const struct rdma_map_tunnel *,
                          struct rdma_underlay_path *, char **errorp);
int rdma_underlay_fdb_lookup(const char *bridge, struct eth_addr mac,
                             int64_t *ofportp);

#endif /* rdma-underlay.h */
