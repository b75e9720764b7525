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

/* Unit tests for the inner RoCEv2 frame and its ICRC, and for the outer
 * header parser. */

#include <config.h>
#include "roce-frame.h"

#include <errno.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "ovl-header.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-test.h"
#include "test-tuple.h"
#include "util.h"

/* Returns 'n' bytes at 'p' as hex, in a string the caller frees. */
static char *
to_hex(const uint8_t *p, size_t n)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t i;

    for (i = 0; i < n; i++) {
        ds_put_format(&ds, "%02x", p[i]);
    }
    return ds_steal_cstr(&ds);
}

/* Builds the frame for 'payload' and checks it against 'want', a hex
 * vector from scapy. */
static void
check_vector(const char *payload, const char *want)
{
    struct ovl_tuple t = test_tuple(OVL_VXLAN);
    struct roce_bth bth = {
        .opcode = ROCE_OPCODE_RC_SEND_ONLY, .pkey = 0xffff, .dest_qp = 18,
        .psn = 7,
    };
    uint8_t buf[256];
    size_t n;
    char *got;

    n = roce_frame_build(&t, &bth, payload, strlen(payload), buf,
                         sizeof buf);
    got = to_hex(buf, n);
    if (strcmp(got, want)) {
        rdma_test_fail(__FILE__, __LINE__, "frame:\n  got  %s\n  want %s",
                       got, want);
    }
    free(got);
}

/* The ICRC and the frame bytes equal scapy's, with and without pad.  The
 * vectors come from /usr/bin/python3 with scapy 2.5:
 *   Ether(dst="02:00:00:00:02:02", src="02:00:00:00:01:01")
 *   /IP(src="10.1.0.1", dst="10.1.0.2", ttl=64, flags="DF", id=0)
 *   /UDP(sport=50000, dport=4791, chksum=0)
 *   /BTH(opcode=4, padcount=PAD, pkey=0xffff, dqpn=18, psn=7)
 *   /Raw(PAYLOAD + b"\0" * PAD)
 * whose ICRC scapy.contrib.roce computes itself. */
static void
test_scapy_vectors(void)
{
    check_vector("hello-rdma!!",
                 "0200000002020200000001010800"
                 "4500003800004000401126b10a0100010a010002"
                 "c35012b700240000"
                 "0400ffff0000001200000007"
                 "68656c6c6f2d72646d612121"
                 "7e2ba55b");
    check_vector("hello-rdma",
                 "0200000002020200000001010800"
                 "4500003800004000401126b10a0100010a010002"
                 "c35012b700240000"
                 "0420ffff0000001200000007"
                 "68656c6c6f2d72646d610000"
                 "5b22b699");
}

/* Build and parse agree, for IPv4 and IPv6; corruption is caught where it
 * should be and masked fields are ignored. */
static void
test_parse(void)
{
    struct ovl_tuple t = test_tuple(OVL_VXLAN);
    struct roce_bth bth = {
        .opcode = ROCE_OPCODE_RC_SEND_ONLY, .pkey = 0xffff,
        .dest_qp = 0xabcdef, .psn = 0x123456, .solicited = true,
    };
    struct roce_frame_info info;
    uint8_t buf[256];
    size_t n, i;
    int v6;

    for (v6 = 0; v6 < 2; v6++) {
        if (v6) {
            rdma_ip_parse("fd00::1", &t.inner_src_ip);
            rdma_ip_parse("fd00::2", &t.inner_dst_ip);
        }
        n = roce_frame_build(&t, &bth, "payload", 7, buf, sizeof buf);
        CHECK_INT(n, 14 + (v6 ? 40 : 20) + 8 + 12 + 8 + 4);
        CHECK_INT(roce_frame_parse(buf, n, &info), 0);
        CHECK(ipv6_addr_equals(&info.src_ip, &t.inner_src_ip));
        CHECK(ipv6_addr_equals(&info.dst_ip, &t.inner_dst_ip));
        CHECK_INT(info.bth.dest_qp, 0xabcdef);
        CHECK_INT(info.bth.psn, 0x123456);
        CHECK(info.bth.solicited);
        CHECK_INT(info.payload_len, 7);
        CHECK(!memcmp(info.payload, "payload", 7));

        /* Every truncation is refused. */
        for (i = 0; i < n; i++) {
            if (!roce_frame_parse(buf, i, &info)) {
                rdma_test_fail(__FILE__, __LINE__, "parsed %"PRIuSIZE
                               " of %"PRIuSIZE" bytes", i, n);
            }
        }

        /* A flipped payload bit breaks the ICRC... */
        buf[n - 6] ^= 1;
        CHECK_INT(roce_frame_parse(buf, n, &info), EBADMSG);
        buf[n - 6] ^= 1;

        /* ...but the TTL or hop limit, which routers change, does not. */
        buf[14 + (v6 ? 7 : 8)]--;
        CHECK_INT(roce_frame_parse(buf, n, &info), 0);

        /* Another UDP port is not RoCE. */
        buf[14 + (v6 ? 40 : 20) + 3] ^= 1;
        CHECK_INT(roce_frame_parse(buf, n, &info), EPROTONOSUPPORT);
    }
    /* Too small a buffer. */
    CHECK_INT(roce_frame_build(&t, &bth, "payload", 7, buf, 40), 0);
}

/* The outer parser takes back what the builder made. */
static void
test_outer_parse(void)
{
    struct ovl_header_info info;
    uint8_t frame[OVL_HEADER_MAX + 64];
    struct ovl_tuple t;
    size_t hdr, n, i;
    int variant;

    for (variant = 0; variant < 4; variant++) {
        t = test_tuple(OVL_VXLAN);
        if (variant == 1) {
            t.vlan = 100;
        } else if (variant == 2) {
            t.type = OVL_GENEVE;
            t.udp_dst = OVL_GENEVE_PORT;
        } else if (variant == 3) {
            rdma_ip_parse("2001:db8::1", &t.local_ip);
            rdma_ip_parse("2001:db8::2", &t.remote_ip);
        }
        memset(frame, 0, sizeof frame);
        hdr = ovl_header_build(&t, frame);
        n = hdr + 64;
        ovl_header_finish(frame, hdr, 64);
        CHECK_INT(ovl_header_parse(frame, n, 4789, 6081, &info), 0);
        CHECK_INT(info.inner_ofs, hdr);
        CHECK_INT(info.type, t.type);
        CHECK_INT(info.vni, 5001);
        CHECK_INT(info.vlan, t.vlan);
        CHECK_INT(info.udp_dst, t.udp_dst);
        CHECK(ipv6_addr_equals(&info.src_ip, &t.local_ip));
        CHECK(ipv6_addr_equals(&info.dst_ip, &t.remote_ip));
        CHECK(eth_addr_equals(info.dst_mac, t.nexthop_mac));
        for (i = 0; i < hdr + 14; i++) {
            if (!ovl_header_parse(frame, i, 4789, 6081, &info)) {
                rdma_test_fail(__FILE__, __LINE__, "variant %d parsed %"
                               PRIuSIZE" bytes", variant, i);
            }
        }
        /* Another port is not an overlay. */
        CHECK_INT(ovl_header_parse(frame, n, 1, 2, &info), EPROTONOSUPPORT);
    }

    /* A bad IPv4 header checksum, and a VXLAN header without its I flag. */
    t = test_tuple(OVL_VXLAN);
    hdr = ovl_header_build(&t, frame);
    ovl_header_finish(frame, hdr, 64);
    frame[14 + 10] ^= 1;
    CHECK_INT(ovl_header_parse(frame, hdr + 64, 4789, 6081, &info), EINVAL);
    frame[14 + 10] ^= 1;
    frame[hdr - 8] = 0;
    CHECK_INT(ovl_header_parse(frame, hdr + 64, 4789, 6081, &info), EINVAL);

    /* Geneve options are skipped. */
    t.type = OVL_GENEVE;
    t.udp_dst = OVL_GENEVE_PORT;
    hdr = ovl_header_build(&t, frame);
    ovl_header_finish(frame, hdr, 64);
    frame[hdr - 8] = 2;         /* opt_len: 8 bytes of options follow. */
    CHECK_INT(ovl_header_parse(frame, hdr + 64, 4789, 6081, &info), 0);
    CHECK_INT(info.inner_ofs, hdr + 8);
}

/* "rdma-test roce". */
static void
run_roce_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    test_scapy_vectors();
    test_parse();
    test_outer_parse();
}

RDMA_TEST_REGISTER("roce", "RoCEv2 frames, ICRC, outer header parser",
                   run_roce_tests)
