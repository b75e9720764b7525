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

/* Unit tests for the outer-header builder: exact bytes, lengths and
 * checksums, and the tnl_push notation. */

#include <config.h>
#include "ovl-header.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "ovl-tuple.h"
#include "csum.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-test.h"
#include "test-tuple.h"
#include "util.h"

/* Inner frame length used by the tests. */
#define INNER_LEN 100

/* Returns a tuple of 'type' from 192.0.2.1 (aa:55:00:00:00:01) to
 * 192.0.2.2 (next hop aa:55:00:00:00:02), VNI 5001, UDP source port 50000,
 * on VLAN 'vlan'. */
static struct ovl_tuple
make_tuple(enum ovl_type type, uint16_t vlan)
{
    struct ovl_tuple t = test_tuple(type);

    t.vlan = vlan;
    return t;
}

/* Builds and finishes the header for 't' with an inner frame of INNER_LEN
 * zero bytes and checks its bytes against 'hex' (computed independently:
 * lengths, IPv4 header checksum by hand) and its ODP form against 'odp'. */
static void
check_header(const struct ovl_tuple *t, const char *hex, const char *odp)
{
    uint8_t frame[OVL_HEADER_MAX + INNER_LEN];
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t len, i;

    memset(frame, 0, sizeof frame);
    len = ovl_header_build(t, frame);
    CHECK_INT(len, strlen(hex) / 2);
    ovl_header_format_odp(frame, len, &s);
    if (strcmp(ds_cstr(&s), odp)) {
        rdma_test_fail(__FILE__, __LINE__, "odp:\n  got  %s\n  want %s",
                       ds_cstr(&s), odp);
    }
    ovl_header_finish(frame, len, INNER_LEN);
    ds_clear(&s);
    for (i = 0; i < len; i++) {
        ds_put_format(&s, "%02x", frame[i]);
    }
    if (strcmp(ds_cstr(&s), hex)) {
        rdma_test_fail(__FILE__, __LINE__, "bytes:\n  got  %s\n  want %s",
                       ds_cstr(&s), hex);
    }
    ds_destroy(&s);
}

/* "rdma-test header". */
static void
run_header_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    struct ovl_tuple t;

    /* VXLAN over IPv4: Ethernet, IPv4 (total length 136, DF, TTL 64,
     * checksum 0xb661), UDP 50000 -> 4789 (length 116, checksum 0), VXLAN
     * I flag, VNI 5001. */
    t = make_tuple(OVL_VXLAN, 0);
    check_header(&t,
                 "aa5500000002aa55000000010800"
                 "45000088000040004011b661c0000201c0000202"
                 "c35012b500740000"
                 "0800000000138900",
                 "header(size=50,type=4,eth(dst=aa:55:00:00:00:02,"
                 "src=aa:55:00:00:00:01,dl_type=0x0800),ipv4(src=192.0.2.1,"
                 "dst=192.0.2.2,proto=17,tos=0,ttl=64,frag=0x4000),"
                 "udp(src=0,dst=4789,csum=0x0),"
                 "vxlan(flags=0x8000000,vni=0x1389))");

    /* The same over a VLAN-tagged underlay: an 802.1Q tag with VID 100,
     * which OVS prints as a separate push_vlan. */
    t = make_tuple(OVL_VXLAN, 100);
    check_header(&t,
                 "aa5500000002aa5500000001810000640800"
                 "45000088000040004011b661c0000201c0000202"
                 "c35012b500740000"
                 "0800000000138900",
                 "header(size=50,type=4,eth(dst=aa:55:00:00:00:02,"
                 "src=aa:55:00:00:00:01,dl_type=0x0800),ipv4(src=192.0.2.1,"
                 "dst=192.0.2.2,proto=17,tos=0,ttl=64,frag=0x4000),"
                 "udp(src=0,dst=4789,csum=0x0),"
                 "vxlan(flags=0x8000000,vni=0x1389)) "
                 "push_vlan(vid=100,pcp=0)");

    /* Geneve: version 0, no options, protocol 0x6558, VNI 5001. */
    t = make_tuple(OVL_GENEVE, 0);
    check_header(&t,
                 "aa5500000002aa55000000010800"
                 "45000088000040004011b661c0000201c0000202"
                 "c35017c100740000"
                 "0000655800138900",
                 "header(size=50,type=5,eth(dst=aa:55:00:00:00:02,"
                 "src=aa:55:00:00:00:01,dl_type=0x0800),ipv4(src=192.0.2.1,"
                 "dst=192.0.2.2,proto=17,tos=0,ttl=64,frag=0x4000),"
                 "udp(src=0,dst=6081,csum=0x0),geneve(vni=0x1389))");

    /* VXLAN over IPv6: 70 bytes, and a UDP checksum, which IPv6 requires,
     * that verifies over the pseudo-header. */
    t = make_tuple(OVL_VXLAN, 0);
    rdma_ip_parse("2001:db8::1", &t.local_ip);
    rdma_ip_parse("2001:db8::2", &t.remote_ip);
    {
        uint8_t frame[OVL_HEADER_MAX + INNER_LEN];
        struct ds s = DS_EMPTY_INITIALIZER;
        size_t len;

        memset(frame, 0, sizeof frame);
        len = ovl_header_build(&t, frame);
        CHECK_INT(len, 70);
        ovl_header_finish(frame, len, INNER_LEN);
        CHECK_INT(frame[12], 0x86);
        CHECK_INT(frame[13], 0xdd);
        CHECK_INT((frame[18] << 8) | frame[19], 8 + 8 + INNER_LEN);
        CHECK_INT(frame[20], IPPROTO_UDP);
        CHECK_INT(frame[21], 64);
        /* A UDP checksum computed over the whole datagram with its
         * pseudo-header comes out as 0 (0xffff before complement). */
        {
            const struct ovs_16aligned_ip6_hdr *ip6 = (void *) (frame + 14);
            uint32_t partial = packet_csum_pseudoheader6(ip6);

            CHECK(frame[54 + 6] || frame[54 + 7]);
            CHECK_INT(csum_finish(csum_continue(partial, frame + 54,
                                                8 + 8 + INNER_LEN)), 0);
        }
        ovl_header_format_odp(frame, len, &s);
        CHECK(strstr(ds_cstr(&s), "header(size=70,type=4,")
              && strstr(ds_cstr(&s), "ipv6(src=2001:db8::1,dst=2001:db8::2,"
                        "label=0,proto=17,tclass=0x0,hlimit=64)"));
        ds_destroy(&s);
    }
}

RDMA_TEST_REGISTER("header", "outer header bytes and tnl_push notation",
                   run_header_tests)
