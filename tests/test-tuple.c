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
#include "test-tuple.h"

#include <string.h>

#include "packets.h"
#include "rdma-addr.h"

/* Returns the tuple of the sample connection: from tenant 10.1.0.1
 * (02:00:00:00:01:01) to tenant 10.1.0.2 (02:00:00:00:02:02), over 'type'
 * with VNI 5001 and that type's default UDP port, outer UDP source port
 * 50000, between VTEPs 192.0.2.1 (aa:55:00:00:00:01) and 192.0.2.2 (the
 * next hop, aa:55:00:00:00:02); untagged, MTUs and options zero. */
struct ovl_tuple
test_tuple(enum ovl_type type)
{
    struct ovl_tuple t;

    memset(&t, 0, sizeof t);
    t.type = type;
    t.vni = 5001;
    t.udp_src = 50000;
    t.udp_dst = ovl_type_default_port(type);
    rdma_ip_parse("192.0.2.1", &t.local_ip);
    rdma_ip_parse("192.0.2.2", &t.remote_ip);
    t.local_mac = (struct eth_addr) ETH_ADDR_C(aa,55,00,00,00,01);
    t.nexthop_mac = (struct eth_addr) ETH_ADDR_C(aa,55,00,00,00,02);
    t.inner_src_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,01,01);
    t.inner_dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
    rdma_ip_parse("10.1.0.1", &t.inner_src_ip);
    rdma_ip_parse("10.1.0.2", &t.inner_dst_ip);
    return t;
}

/* Exchanges '*a' and '*b'. */
static void
swap_ip(struct in6_addr *a, struct in6_addr *b)
{
    struct in6_addr tmp = *a;

    *a = *b;
    *b = tmp;
}

/* Exchanges '*a' and '*b'. */
static void
swap_mac(struct eth_addr *a, struct eth_addr *b)
{
    struct eth_addr tmp = *a;

    *a = *b;
    *b = tmp;
}

/* Turns 't' into the tuple of the same connection at its other end:
 * swaps the VTEP IPs and MACs and the tenants' IPs and MACs. */
void
test_tuple_reverse(struct ovl_tuple *t)
{
    swap_ip(&t->local_ip, &t->remote_ip);
    swap_mac(&t->local_mac, &t->nexthop_mac);
    swap_ip(&t->inner_src_ip, &t->inner_dst_ip);
    swap_mac(&t->inner_src_mac, &t->inner_dst_mac);
}
