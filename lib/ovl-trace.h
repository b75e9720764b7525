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

#ifndef OVL_TRACE_H
#define OVL_TRACE_H 1

/* A parser for the output of Open vSwitch's "ofproto/trace": what the
 * bridge's OpenFlow pipeline does with a packet, reduced to the tunnel
 * that would carry it.
 *
 * ofproto/trace ends with a "Datapath actions:" line.  Its tunnel action
 * depends on the datapath type (Documentation/design.rst, section "The
 * pipeline resolver"):
 *
 *   - userspace (netdev, dummy): the whole outer header,
 *         tnl_push(tnl_port(P),header(size=N,type=T,eth(dst=..,src=..,
 *         dl_type=..),ipv4(src=..,dst=..,proto=17,tos=..,ttl=..,frag=..),
 *         udp(src=0,dst=..,csum=..),geneve(crit,vni=..,options({class=..,
 *         type=..,len=..,0x..}))),out_port(Q))
 *     with ipv6(src=..,dst=..,label=..,proto=..,tclass=..,hlimit=..) or
 *     vxlan(flags=..,vni=..) in place of ipv4 or geneve;
 *
 *   - kernel (system): the tunnel metadata and the tunnel vport,
 *         set(tunnel(tun_id=..,src=..,dst=..,ttl=..,tp_dst=..,
 *         geneve({..}),flags(df|csum|key))),P
 *     which has no outer Ethernet header (the kernel routes it). */

#include <stdbool.h>
#include <stdint.h>

#include "ovl-tuple.h"

/* What the traced packet comes to. */
enum ovl_trace_outcome {
    OVL_TRACE_TUNNEL,           /* Leaves on exactly one tunnel. */
    OVL_TRACE_DROP,             /* Dropped by the flows. */
    OVL_TRACE_NEIGH_MISS,       /* Dropped while the datapath resolves the
                                 * remote VTEP's MAC (ARP/ND sent). */
    OVL_TRACE_NO_TUNNEL,        /* Leaves, but on no tunnel. */
    OVL_TRACE_MANY_TUNNELS,     /* Leaves on more than one tunnel
                                 * (flooded). */
    OVL_TRACE_UNFINISHED,       /* Stops at a recirculation. */
};

/* The result of parsing one trace. */
struct ovl_trace {
    enum ovl_trace_outcome outcome; /* What happened. */
    char *actions;              /* The last "Datapath actions:" line's
                                 * actions. */
    bool has_header;            /* tnl_push: 'tuple''s outer Ethernet and
                                 * local IP are known. */
    bool type_known;            /* 'tuple.type' is known (a tnl_push, or
                                 * geneve/vxlan metadata in set(tunnel)). */
    char *tnl_port;             /* tnl_push's tnl_port(...) or the output
                                 * port after set(tunnel(...)). */
    int n_tunnels;              /* Number of tunnel actions. */
    struct ovl_tuple tuple;     /* Overlay fields: type, vni, udp_dst,
                                 * local_ip (if given), remote_ip, and the
                                 * tunnel options tos, ttl, no_df, csum,
                                 * geneve_opts; with 'has_header' also
                                 * local_mac and nexthop_mac. */
};

int ovl_trace_parse(const char *output, struct ovl_trace *, char **errorp);
void ovl_trace_destroy(struct ovl_trace *);

#endif /* ovl-trace.h */
