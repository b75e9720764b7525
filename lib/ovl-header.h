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

#ifndef OVL_HEADER_H
#define OVL_HEADER_H 1

/* The outer header of an overlay frame: built from a tuple, and formatted
 * as Open vSwitch formats its own tnl_push action.
 *
 * ovl_header_build() produces exactly the bytes that Open vSwitch's
 * userspace datapath puts in front of an ordinary packet of the same
 * tenant flow (lib/netdev-native-tnl.c): outer Ethernet (with an 802.1Q
 * tag when the tuple has a VLAN), IPv4 (DF set, TTL 64, TOS 0, id 0) or
 * IPv6 (hop limit 64), UDP (checksum 0 over IPv4), then VXLAN (I flag) or
 * Geneve (no options, protocol Transparent Ethernet Bridging).  The soft
 * provider sends these bytes; a hardware provider that takes a raw
 * encapsulation header (such as a packet-reformat action) would hand the
 * NIC the same bytes. */

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"
#include "rdma-mtu.h"

struct ds;
struct ovl_tuple;

/* The outer header of a received overlay frame. */
struct ovl_header_info {
    enum ovl_type type;         /* VXLAN or Geneve. */
    uint32_t vni;               /* VNI. */
    struct eth_addr src_mac;    /* Outer Ethernet source. */
    struct eth_addr dst_mac;    /* Outer Ethernet destination. */
    uint16_t vlan;              /* 802.1Q VLAN ID, 0 if untagged. */
    struct in6_addr src_ip;     /* Outer IP source (IPv4-mapped for v4). */
    struct in6_addr dst_ip;     /* Outer IP destination. */
    uint16_t udp_src;           /* Outer UDP source port. */
    uint16_t udp_dst;           /* Outer UDP destination port. */
    size_t inner_ofs;           /* Offset of the inner Ethernet frame. */
};

/* Largest outer header: Ethernet 14 + VLAN 4 + IPv6 40 + UDP 8 + Geneve 8
 * (VXLAN is as long). */
#define OVL_HEADER_MAX 74

size_t ovl_header_build(const struct ovl_tuple *, uint8_t buf[OVL_HEADER_MAX]);
void ovl_header_finish(uint8_t *frame, size_t hdr_len, size_t inner_len);
int ovl_header_parse(const uint8_t *frame, size_t len, uint16_t vxlan_port,
                     uint16_t geneve_port, struct ovl_header_info *);
void ovl_header_format_odp(const uint8_t *hdr, size_t hdr_len, struct ds *);

#endif /* ovl-header.h */
