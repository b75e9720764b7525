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

/* Unit tests for lib/rdma-addr.c's text forms of addresses, against OVS's
 * own formatting as the oracle. */

#include <config.h>
#include "rdma-addr.h"
#include "rdma-test.h"

#include <stdlib.h>
#include <string.h>

#include "packets.h"
#include "random.h"
#include "util.h"

/* rdma_ip_to_string() prints what OVS's ipv6_string_mapped() prints, for
 * IPv4-mapped addresses at every digit count and random IPv6 ones. */
static void
test_ip_to_string(void)
{
    static const uint8_t edges[] = { 0, 1, 9, 10, 99, 100, 199, 255 };
    char ours[46], theirs[46];
    struct in6_addr ip;

    for (size_t i = 0; i < 20000; i++) {
        memset(&ip, 0, sizeof ip);
        if (i % 4) {
            ip.s6_addr[10] = ip.s6_addr[11] = 0xff;
            for (int j = 12; j < 16; j++) {
                ip.s6_addr[j] = (i < ARRAY_SIZE(edges) * 4
                                 ? edges[(i + j) % ARRAY_SIZE(edges)]
                                 : random_uint8());
            }
        } else {
            random_bytes(&ip, sizeof ip);
        }
        rdma_ip_to_string(&ip, ours);
        ipv6_string_mapped(theirs, &ip);
        CHECK_STR(ours, theirs);
    }
}

/* rdma_mac_to_string() prints what ETH_ADDR_FMT prints. */
static void
test_mac_to_string(void)
{
    char ours[18];

    for (size_t i = 0; i < 20000; i++) {
        struct eth_addr mac;
        char *theirs;

        random_bytes(&mac, sizeof mac);
        if (i < 2) {
            memset(&mac, i ? 0xff : 0, sizeof mac);
        }
        theirs = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));
        rdma_mac_to_string(mac, ours);
        CHECK_STR(ours, theirs);
        free(theirs);
    }
}

/* Runs the address tests. */
static void
run_addr_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    test_ip_to_string();
    test_mac_to_string();
}

RDMA_TEST_REGISTER("addr", "text forms of IP and MAC addresses",
                   run_addr_tests)
