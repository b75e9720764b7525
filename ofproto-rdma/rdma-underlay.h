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

/* Underlay resolution: the path from this host to a remote VTEP.
 *
 * Two backends fill in the same result, chosen by the tunnel bridge's
 * datapath type as Open vSwitch itself chooses (DESIGN.md section 4):
 * rdma-underlay-linux (the kernel's routes, neighbours and links, through
 * libnl-3) for "system" bridges, and rdma-underlay-ovs (ovs-vswitchd's own
 * route and neighbour tables, over unixctl) for userspace datapaths. */

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/types.h"

/* The resolved path to a remote VTEP. */
struct rdma_underlay_path {
    struct in6_addr local_ip;    /* Source address (IPv4-mapped for v4). */
    struct in6_addr nexthop_ip;  /* Gateway, or the remote VTEP when
                                  * on-link. */
    char dev[IFNAMSIZ];          /* Egress device name. */
    struct eth_addr local_mac;   /* Egress device MAC. */
    struct eth_addr nexthop_mac; /* Neighbour MAC, if nexthop_mac_known. */
    bool nexthop_mac_known;      /* False: neighbour not resolved (yet). */
    uint16_t vlan;               /* VLAN ID of the egress device, or 0. */
    int mtu;                     /* Egress IP MTU. */
};

#endif /* rdma-underlay.h */
