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

#ifndef RDMA_MTU_H
#define RDMA_MTU_H 1

/* RoCE path MTU math.
 *
 * A RoCEv2 packet carried over an overlay is an inner Ethernet frame
 * (optionally VLAN-tagged) holding IPv4 or IPv6, UDP 4791, the IB transport
 * headers, payload and ICRC, all wrapped in the overlay's outer IP, UDP and
 * VXLAN or Geneve headers.  The payload MTU that the RDMA engine may use is
 * one of the five InfiniBand MTUs (256 to 4096 bytes), the largest that
 * fits in the underlay's IP MTU once both sets of headers are taken off.
 *
 * The outer underlay VLAN tag, if any, is part of the outer Ethernet header
 * and so does not count against the underlay IP MTU. */

#include <stdbool.h>
#include <stddef.h>

#include "ovl-type.h"

/* Bytes of RoCEv2 headers that the kernel's iboe_get_mtu() reserves:
 * GRH 40 + UDP 8 + BTH 12 + XRC ETH 4 + AtomicETH 28 + ICRC 4. */
#define RDMA_ROCE_OVERHEAD 96

/* Smallest and largest InfiniBand path MTUs, in bytes. */
#define RDMA_IB_MTU_MIN 256
#define RDMA_IB_MTU_MAX 4096

int ovl_overhead(enum ovl_type, bool outer_ipv6, size_t geneve_opts_len,
                 bool inner_vlan);
int rdma_roce_path_mtu(int underlay_mtu, int overlay_overhead);
int rdma_ib_mtu_to_enum(int mtu);
int rdma_min_underlay_mtu(int overlay_overhead);

#endif /* rdma-mtu.h */
