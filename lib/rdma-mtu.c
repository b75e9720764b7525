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

#include <config.h>
#include "rdma-mtu.h"

/* Header sizes, in bytes, that make up the overlay overhead. */
#define OUTER_IPV4_LEN 20
#define OUTER_IPV6_LEN 40
#define OUTER_UDP_LEN 8
#define VXLAN_LEN 8
#define GENEVE_LEN 8
#define INNER_ETH_LEN 14
#define INNER_VLAN_LEN 4

/* Returns the number of bytes that encapsulation in 'type' adds to an
 * inner IP packet, counted against the underlay's IP MTU: the outer IP
 * header (IPv6 if 'outer_ipv6'), outer UDP, the VXLAN or Geneve header
 * with 'geneve_opts_len' bytes of Geneve options, and the inner Ethernet
 * header, 4 bytes more if the inner frame is VLAN-tagged ('inner_vlan'). */
int
ovl_overhead(enum ovl_type type, bool outer_ipv6, size_t geneve_opts_len,
             bool inner_vlan)
{
    int n = (outer_ipv6 ? OUTER_IPV6_LEN : OUTER_IPV4_LEN) + OUTER_UDP_LEN;

    n += type == OVL_GENEVE ? GENEVE_LEN + (int) geneve_opts_len : VXLAN_LEN;
    n += INNER_ETH_LEN + (inner_vlan ? INNER_VLAN_LEN : 0);
    return n;
}

/* Returns the RoCE path MTU, the largest of 256, 512, 1024, 2048 and 4096
 * that fits in an underlay whose IP MTU is 'underlay_mtu' once
 * 'overlay_overhead' (see ovl_overhead()) and RDMA_ROCE_OVERHEAD bytes are
 * taken off, or 0 if not even 256 fits. */
int
rdma_roce_path_mtu(int underlay_mtu, int overlay_overhead)
{
    int room = underlay_mtu - overlay_overhead - RDMA_ROCE_OVERHEAD;
    int mtu;

    for (mtu = RDMA_IB_MTU_MAX; mtu >= RDMA_IB_MTU_MIN; mtu /= 2) {
        if (mtu <= room) {
            return mtu;
        }
    }
    return 0;
}

/* Returns the verbs "enum ibv_mtu" value (IBV_MTU_256 = 1 ... IBV_MTU_4096 =
 * 5) for 'mtu' bytes, or 0 if 'mtu' is not an InfiniBand MTU. */
int
rdma_ib_mtu_to_enum(int mtu)
{
    int e = 1;
    int m;

    for (m = RDMA_IB_MTU_MIN; m <= RDMA_IB_MTU_MAX; m *= 2, e++) {
        if (m == mtu) {
            return e;
        }
    }
    return 0;
}

/* Returns the smallest underlay IP MTU that carries RoCE at the smallest
 * path MTU (256) with 'overlay_overhead' bytes of encapsulation, for error
 * messages that tell an operator what to configure. */
int
rdma_min_underlay_mtu(int overlay_overhead)
{
    return RDMA_IB_MTU_MIN + RDMA_ROCE_OVERHEAD + overlay_overhead;
}
