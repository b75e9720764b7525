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

#ifndef OVL_TUPLE_H
#define OVL_TUPLE_H 1

/* The overlay tuple of one RDMA connection: everything the NIC needs to
 * encapsulate the connection's RoCEv2 packets exactly as Open vSwitch
 * encapsulates an ordinary packet of the same tenant flow, and to check
 * received packets against.  See Documentation/design.rst, section "The
 * overlay tuple", for where each field comes from.
 *
 * IP addresses are IPv6 or IPv4-mapped IPv6 (::ffff:a.b.c.d), as in OVS's
 * flow_tnl and in6_addr_mapped_ipv4().  All integers are in host byte
 * order. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"
#include "ovl-type.h"

struct ds;
struct json;

/* RoCEv2's inner UDP destination port. */
#define ROCE_V2_PORT 4791

/* Range of the outer UDP source port, which carries the flow's entropy. */
#define OVL_UDP_SRC_MIN 49152
#define OVL_UDP_SRC_MAX 65535

/* Largest VNI (24 bits). */
#define OVL_VNI_MAX 0xffffff

/* Largest length of a Geneve header's options (6-bit length in 4-byte
 * words). */
#define OVL_GENEVE_OPTS_MAX 252

/* Outer TTL (hop limit) that OVS uses when a tunnel has no options:ttl. */
#define OVL_TTL_DEFAULT 64

/* Per-connection overlay tuple. */
struct ovl_tuple {
    /* Overlay. */
    enum ovl_type type;          /* VXLAN or Geneve. */
    uint32_t vni;                /* VNI, 0..OVL_VNI_MAX. */
    uint16_t udp_src;            /* Outer UDP source port (entropy). */
    uint16_t udp_dst;            /* Outer UDP destination port. */

    /* Underlay. */
    struct in6_addr local_ip;    /* Local VTEP IP. */
    struct in6_addr remote_ip;   /* Remote VTEP IP. */
    struct eth_addr local_mac;   /* Local VTEP (egress device) MAC. */
    struct eth_addr nexthop_mac; /* Next hop's MAC: outer Ethernet dst. */
    uint16_t vlan;               /* Underlay VLAN ID, 0 if untagged. */
    uint16_t underlay_mtu;       /* IP MTU of the egress device. */
    uint16_t path_mtu;           /* RoCE path MTU (256..4096), see
                                  * rdma_roce_path_mtu(). */

    /* Inner (tenant) frame. */
    struct eth_addr inner_src_mac; /* Tenant vport's MAC. */
    struct eth_addr inner_dst_mac; /* Remote tenant's MAC. */
    struct in6_addr inner_src_ip;  /* Tenant's IP (the RoCE source GID). */
    struct in6_addr inner_dst_ip;  /* Remote tenant's IP. */

    /* Tunnel options, as OVS's ofproto/tunnel.c applies them in
     * tnl_port_send().  An all-zero block means OVS's defaults (TOS 0, TTL
     * 64, DF set, no IPv4 UDP checksum, no Geneve options, receive VNI ==
     * 'vni'), so that a tuple built without them is still exact.  An
     * encapsulating provider (NIC or tc) must honour every one of these:
     *
     *   outer TOS / traffic class = (tos_inherit ? inner DSCP : tos & 0xfc)
     *                               | ECN, where ECN is always the inner
     *                               packet's ECN, except that an inner CE
     *                               becomes ECT(0) outside (as OVS does);
     *   outer TTL / hop limit     = ttl_inherit ? inner TTL
     *                               : (ttl ? ttl : OVL_TTL_DEFAULT);
     *   IPv4 DF                   = !no_df;
     *   outer UDP checksum        = computed if 'csum' (always over IPv6),
     *                               else 0;
     *   Geneve options            = geneve_opts[0 .. geneve_opts_len), on
     *                               the wire as is; the Geneve C (critical)
     *                               bit is set if any option's type has its
     *                               high bit set.
     *
     * On decapsulation, ECN CE in the outer header must be carried into an
     * ECN-capable inner header (tnl_process_ecn() in OVS); received frames
     * carry 'rx_vni' (options:in_key), or 'vni' if 'rx_vni' is 0 and
     * 'rx_vni_set' is false. */
    uint8_t tos;                 /* options:tos, DSCP bits (ECN bits 0). */
    bool tos_inherit;            /* options:tos=inherit. */
    uint8_t ttl;                 /* options:ttl, 0 for the default. */
    bool ttl_inherit;            /* options:ttl=inherit. */
    bool no_df;                  /* options:df_default=false. */
    bool csum;                   /* options:csum=true. */
    bool rx_vni_set;             /* options:in_key differs from out_key. */
    uint32_t rx_vni;             /* VNI of received frames if 'rx_vni_set'. */
    uint8_t geneve_opts_len;     /* Bytes in 'geneve_opts', multiple of 4. */
    uint8_t geneve_opts[OVL_GENEVE_OPTS_MAX]; /* Geneve options, wire
                                               * format (OVN: class 0x102,
                                               * type 0x80, ports). */
};

bool ovl_tuple_equals(const struct ovl_tuple *, const struct ovl_tuple *);
void ovl_tuple_format(const struct ovl_tuple *, struct ds *);
void ovl_tuple_to_json(const struct ovl_tuple *, struct json *object);
void ovl_tuple_put_json(const struct ovl_tuple *, struct ds *);
uint16_t ovl_udp_src_port(const struct ovl_tuple *, uint32_t qpn);
uint64_t ovl_tuple_hash64(const struct ovl_tuple *);
bool ovl_tuple_options_equal(const struct ovl_tuple *,
                             const struct ovl_tuple *);
void ovl_tuple_copy_options(struct ovl_tuple *dst,
                            const struct ovl_tuple *src);
void ovl_tuple_copy_overlay(struct ovl_tuple *dst,
                            const struct ovl_tuple *src);

#endif /* ovl-tuple.h */
