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
#include "fake-underlay.h"

#include <string.h>

#include "packets.h"
#include "rdma-addr.h"
#include "rdma-mapping.h"
#include "rdma-underlay.h"
#include "util.h"

/* Last byte of the next hop's MAC. */
uint8_t fake_underlay_nexthop_byte = 0x02;

/* Egress MTU. */
int fake_underlay_mtu = 1500;

/* If nonzero, the error every resolution fails with. */
int fake_underlay_error = 0;

/* The class's 'resolve': resolves 'remote' as described in
 * fake-underlay.h, or fails with fake_underlay_error if that is set. */
static int
fake_underlay_resolve(const struct rdma_mapping *m OVS_UNUSED,
                      const struct in6_addr *remote,
                      const struct in6_addr *local OVS_UNUSED,
                      struct rdma_underlay_path *up, char **errorp)
{
    memset(up, 0, sizeof *up);
    if (fake_underlay_error) {
        *errorp = xasprintf("fake underlay: %s",
                             ovs_strerror(fake_underlay_error));
        return fake_underlay_error;
    }
    rdma_ip_parse("192.0.2.1", &up->local_ip);
    up->nexthop_ip = *remote;
    ovs_strlcpy(up->dev, "eth0", sizeof up->dev);
    up->local_mac = (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,01);
    up->nexthop_mac = (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,00);
    up->nexthop_mac.ea[5] = fake_underlay_nexthop_byte;
    up->nexthop_mac_known = true;
    up->mtu = fake_underlay_mtu;
    return 0;
}

/* The fake as an underlay provider: it answers at once and notices no
 * changes, and has no MAC-learning table. */
const struct rdma_underlay_class fake_underlay_class = {
    .name = "fake",
    .resolve = fake_underlay_resolve,
};
