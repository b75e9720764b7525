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

/* Unit tests for the ofproto/trace parser: tnl_push and set(tunnel(...))
 * in the forms OVS 3.1 prints them, every outcome, and that the header
 * built from a parsed tuple prints back as the same tnl_push header. */

#include <config.h>
#include "ovl-trace.h"

#include <errno.h>
#include <string.h>

#include "csum.h"
#include "openvswitch/dynamic-string.h"
#include "ovl-header.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-test.h"
#include "test-tuple.h"
#include "util.h"

/* OVN's Geneve encapsulation as OVS 3.1's userspace datapath traces it. */
#define OVN_HEADER \
    "header(size=58,type=5,eth(dst=aa:55:aa:55:00:02,src=aa:55:aa:55:00:01," \
    "dl_type=0x0800),ipv4(src=172.31.1.1,dst=172.31.1.2,proto=17,tos=0," \
    "ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0xffff),geneve(crit," \
    "vni=0x1,options({class=0x102,type=0x80,len=4,0x10002})))"

/* Checks that parsing 'output' gives outcome 'outcome' and status 0. */
static void
check_outcome(const char *output, enum ovl_trace_outcome outcome)
{
    struct ovl_trace tr;
    char *error;

    CHECK_INT(ovl_trace_parse(output, &tr, &error), 0);
    CHECK(!error);
    CHECK_INT(tr.outcome, outcome);
    ovl_trace_destroy(&tr);
    free(error);
}

/* Checks that the header built from 't' prints as 'want', OVS's form. */
static void
check_roundtrip(const struct ovl_tuple *t, const char *want)
{
    uint8_t hdr[OVL_HEADER_MAX];
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t len = ovl_header_build(t, hdr);

    ovl_header_format_odp(hdr, len, &s);
    if (strcmp(ds_cstr(&s), want)) {
        rdma_test_fail(__FILE__, __LINE__, "header:\n  got  %s\n  want %s",
                       ds_cstr(&s), want);
    }
    ds_destroy(&s);
}

/* Tests the parser. */
static void
test_trace(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    static const uint8_t ovn_opt[] = { 0x01, 0x02, 0x80, 0x01,
                                       0x00, 0x01, 0x00, 0x02 };
    struct ovl_trace tr;
    struct in6_addr ip;
    char *error;

    /* OVN on the userspace datapath, after "--ct-next" output. */
    CHECK_INT(ovl_trace_parse(
        "Flow: udp,in_port=1\n\nbridge(\"br-int\")\n----\n"
        "Datapath actions: ct(zone=1),recirc(0x1)\n\n"
        "Final flow: unchanged\n"
        "Datapath actions: tnl_push(tnl_port(genev_sys_6081),"
        OVN_HEADER ",out_port(br-phy)),1\n", &tr, &error), 0);
    CHECK_INT(tr.outcome, OVL_TRACE_TUNNEL);
    CHECK(tr.has_header && tr.type_known);
    CHECK(!strcmp(tr.tnl_port, "genev_sys_6081"));
    CHECK_INT(tr.tuple.type, OVL_GENEVE);
    CHECK_INT(tr.tuple.vni, 1);
    CHECK_INT(tr.tuple.udp_dst, 6081);
    CHECK_INT(tr.tuple.ttl, 64);
    CHECK_INT(tr.tuple.tos, 0);
    CHECK(!tr.tuple.no_df);
    CHECK(tr.tuple.csum);
    rdma_ip_parse("172.31.1.2", &ip);
    CHECK(ipv6_addr_equals(&ip, &tr.tuple.remote_ip));
    rdma_ip_parse("172.31.1.1", &ip);
    CHECK(ipv6_addr_equals(&ip, &tr.tuple.local_ip));
    CHECK(eth_addr_equals(tr.tuple.nexthop_mac,
                          (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,02)));
    CHECK_INT(tr.tuple.geneve_opts_len, 8);
    CHECK(!memcmp(tr.tuple.geneve_opts, ovn_opt, sizeof ovn_opt));
    /* The header we build from it is OVS's, byte for byte as printed. */
    check_roundtrip(&tr.tuple, OVN_HEADER);
    ovl_trace_destroy(&tr);

    /* VXLAN over IPv6 with a fixed TOS, TTL 10 and two Geneve-free
     * fields. */
    CHECK_INT(ovl_trace_parse(
        "Datapath actions: tnl_push(tnl_port(3),header(size=70,type=4,"
        "eth(dst=aa:55:aa:55:00:02,src=aa:55:aa:55:00:01,dl_type=0x86dd),"
        "ipv6(src=fc00::1,dst=fc00::2,label=0,proto=17,tclass=0x28,"
        "hlimit=10),udp(src=0,dst=4790,csum=0xffff),vxlan(flags=0x8000000,"
        "vni=0x1389)),out_port(100))\n", &tr, &error), 0);
    CHECK_INT(tr.tuple.type, OVL_VXLAN);
    CHECK_INT(tr.tuple.vni, 5001);
    CHECK_INT(tr.tuple.udp_dst, 4790);
    CHECK_INT(tr.tuple.tos, 0x28);
    CHECK_INT(tr.tuple.ttl, 10);
    CHECK(!tr.tuple.csum);      /* Implied over IPv6, not an option. */
    ovl_trace_destroy(&tr);

    /* IPv4 without DF, TOS with ECN bits (dropped: ECN is per packet). */
    CHECK_INT(ovl_trace_parse(
        "Datapath actions: tnl_push(tnl_port(2),header(size=50,type=4,"
        "eth(dst=aa:55:aa:55:00:02,src=aa:55:aa:55:00:01,dl_type=0x0800),"
        "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0x2a,ttl=5,frag=0x0),"
        "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x7)),"
        "out_port(1))", &tr, &error), 0);
    CHECK_INT(tr.tuple.tos, 0x28);
    CHECK_INT(tr.tuple.ttl, 5);
    CHECK(tr.tuple.no_df);
    CHECK(!tr.tuple.csum);
    ovl_trace_destroy(&tr);

    /* The kernel datapath: metadata and the tunnel vport. */
    CHECK_INT(ovl_trace_parse(
        "Datapath actions: set(tunnel(tun_id=0x1,src=172.31.1.1,"
        "dst=172.31.1.2,ttl=64,tp_dst=6081,geneve({class=0x102,type=0x80,"
        "len=4,0x10002}),flags(df|csum|key))),4\n", &tr, &error), 0);
    CHECK_INT(tr.outcome, OVL_TRACE_TUNNEL);
    CHECK(!tr.has_header && tr.type_known);
    CHECK(!strcmp(tr.tnl_port, "4"));
    CHECK_INT(tr.tuple.type, OVL_GENEVE);
    CHECK_INT(tr.tuple.vni, 1);
    CHECK(!tr.tuple.no_df && tr.tuple.csum);
    CHECK_INT(tr.tuple.geneve_opts_len, 8);
    CHECK(!memcmp(tr.tuple.geneve_opts, ovn_opt, sizeof ovn_opt));
    ovl_trace_destroy(&tr);

    /* ...VXLAN: no metadata says which type; no df. */
    CHECK_INT(ovl_trace_parse(
        "Datapath actions: set(tunnel(tun_id=0x1234,dst=10.0.0.2,ttl=64,"
        "tp_dst=4789,flags(key))),2", &tr, &error), 0);
    CHECK(!tr.type_known);
    CHECK_INT(tr.tuple.vni, 0x1234);
    CHECK(tr.tuple.no_df);
    ovl_trace_destroy(&tr);

    /* Geneve options: several, zero-length, data with leading zeros. */
    CHECK_INT(ovl_trace_parse(
        "Datapath actions: set(tunnel(tun_id=0x2,dst=10.0.0.2,ttl=64,"
        "tp_dst=6081,geneve({class=0xffff,type=0x1,len=0}"
        "{class=0x102,type=0x80,len=8,0x1}),flags(df))),2", &tr, &error), 0);
    CHECK_INT(tr.tuple.geneve_opts_len, 16);
    CHECK_INT(tr.tuple.geneve_opts[3], 0);
    CHECK_INT(tr.tuple.geneve_opts[7], 2);
    CHECK_INT(tr.tuple.geneve_opts[15], 1);
    CHECK_INT(tr.tuple.geneve_opts[14], 0);
    ovl_trace_destroy(&tr);

    /* Outcomes. */
    check_outcome("Datapath actions: drop\n", OVL_TRACE_DROP);
    check_outcome("  -> neighbor cache miss for 172.31.1.2 on bridge br-phy, "
                  "sending ARP request\nDatapath actions: drop\n",
                  OVL_TRACE_NEIGH_MISS);
    check_outcome("Datapath actions: 3\n", OVL_TRACE_NO_TUNNEL);
    check_outcome("Datapath actions: ct(zone=1),recirc(0x2)\n",
                  OVL_TRACE_UNFINISHED);
    check_outcome("Datapath actions: set(tunnel(tun_id=0x1,dst=10.0.0.2,"
                  "ttl=64,tp_dst=4789,flags(df|key))),2,set(tunnel("
                  "tun_id=0x1,dst=10.0.0.3,ttl=64,tp_dst=4789,"
                  "flags(df|key))),2\n", OVL_TRACE_MANY_TUNNELS);

    /* Errors. */
    CHECK_INT(ovl_trace_parse("no actions here", &tr, &error), EINVAL);
    CHECK(error && strstr(error, "Datapath actions"));
    ovl_trace_destroy(&tr);
    free(error);
    CHECK_INT(ovl_trace_parse("Datapath actions: push_vlan(vid=10,pcp=0),"
                              "tnl_push(tnl_port(2)," OVN_HEADER
                              ",out_port(1))", &tr, &error), EOPNOTSUPP);
    CHECK(error && strstr(error, "change the tenant's packet"));
    ovl_trace_destroy(&tr);
    free(error);
    /* A flood that tags for a trunk port and untags before the tunnel. */
    CHECK_INT(ovl_trace_parse("Datapath actions: push_vlan(vid=10,pcp=0),3,"
                              "pop_vlan,clone(tnl_push(tnl_port(2),"
                              OVN_HEADER ",out_port(1))),4", &tr, &error),
              0);
    CHECK_INT(tr.outcome, OVL_TRACE_TUNNEL);
    ovl_trace_destroy(&tr);
    CHECK_INT(ovl_trace_parse("Datapath actions: tnl_push(tnl_port(2),"
                              "header(size=58,type=5,eth(dst=zz)),"
                              "out_port(1))", &tr, &error), EINVAL);
    CHECK(error && strstr(error, "cannot parse"));
    ovl_trace_destroy(&tr);
    free(error);
    CHECK_INT(ovl_trace_parse("Datapath actions: set(tunnel(tun_id=0x1000000,"
                              "dst=10.0.0.2,ttl=64,tp_dst=4789)),2",
                              &tr, &error), EINVAL);
    ovl_trace_destroy(&tr);
    free(error);
}

RDMA_TEST_REGISTER("trace", "ofproto/trace output parser", test_trace);

/* Tests that the header builder honours every tunnel option: TOS and TTL
 * fixed or inherited (ECN always from the inner packet, CE as ECT(0)),
 * DF, the IPv4 UDP checksum, and Geneve options with the C bit; and that
 * decapsulation carries ECN CE inward. */
static void
test_tunnel_options(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    uint8_t frame[OVL_HEADER_MAX + 64];
    struct ovl_tuple t;
    struct ip_header *ip, *iip;
    struct eth_header *ieth;
    struct udp_header *udp;
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t len;

    t = test_tuple(OVL_GENEVE);
    t.vni = 7;
    t.tos = 0x28;
    t.ttl = 9;
    t.no_df = true;
    t.csum = true;
    t.geneve_opts_len = 8;
    memcpy(t.geneve_opts, "\x01\x02\x00\x01\xde\xad\xbe\xef", 8);

    /* Fixed values, non-critical option. */
    memset(frame, 0, sizeof frame);
    len = ovl_header_build(&t, frame);
    CHECK_INT(len, 14 + 20 + 8 + 8 + 8);
    ovl_header_format_odp(frame, len, &s);
    CHECK(strstr(ds_cstr(&s), "tos=0x28,ttl=9,frag=0x0),"
                 "udp(src=0,dst=6081,csum=0xffff),geneve(vni=0x7,"
                 "options({class=0x102,type=0,len=4,0xdeadbeef}))"));
    ds_clear(&s);

    /* The inner IPv4 packet: DSCP 26 with CE, TTL 33.  (Each
     * ovl_header_build() clears OVL_HEADER_MAX bytes, so rewrite it.) */
#define INNER_IP()                                              \
    ieth = (struct eth_header *) (frame + len);                 \
    ieth->eth_type = htons(ETH_TYPE_IP);                        \
    iip = (struct ip_header *) (ieth + 1);                      \
    iip->ip_ihl_ver = IP_IHL_VER(5, 4);                         \
    iip->ip_tos = (26 << 2) | IP_ECN_CE;                        \
    iip->ip_ttl = 33
    INNER_IP();
    ip = (struct ip_header *) (frame + 14);

    ovl_header_inherit(&t, frame, len);
    CHECK_INT(ip->ip_tos, 0x28 | IP_ECN_ECT_0);
    CHECK_INT(ip->ip_ttl, 9);

    t.tos_inherit = t.ttl_inherit = true;
    ovl_header_build(&t, frame);
    INNER_IP();
    ovl_header_inherit(&t, frame, len);
    CHECK_INT(ip->ip_tos, (26 << 2) | IP_ECN_ECT_0);
    CHECK_INT(ip->ip_ttl, 33);
    iip->ip_tos = IP_ECN_ECT_1;
    ovl_header_inherit(&t, frame, len);
    CHECK_INT(ip->ip_tos, IP_ECN_ECT_1);

    /* The UDP checksum verifies (the sum over it and the pseudo-header is
     * zero). */
    ovl_header_finish(frame, len, 64);
    udp = (struct udp_header *) (ip + 1);
    CHECK(udp->udp_csum != 0);
    CHECK_INT(csum_finish(csum_continue(packet_csum_pseudoheader(ip), udp,
                                        8 + 8 + 8 + 64)), 0);
    /* The receive side sees the outer TOS (for ovl_header_decap_ecn()). */
    {
        struct ovl_header_info info;

        CHECK_INT(ovl_header_parse(frame, len + 64, OVL_VXLAN_PORT,
                                   OVL_GENEVE_PORT, &info), 0);
        CHECK_INT(info.tos, IP_ECN_ECT_1);
        CHECK_INT(info.inner_ofs, len);
    }

    /* Decapsulation carries CE inward into an ECN-capable packet, with a
     * valid IPv4 checksum, and refuses it for a Not-ECT one. */
    {
        uint8_t in[14 + 20];
        struct ip_header *iip4 = (struct ip_header *) (in + 14);

        memset(in, 0, sizeof in);
        ((struct eth_header *) in)->eth_type = htons(ETH_TYPE_IP);
        iip4->ip_ihl_ver = IP_IHL_VER(5, 4);
        iip4->ip_ttl = 64;
        iip4->ip_tos = (26 << 2) | IP_ECN_ECT_0;
        iip4->ip_csum = csum(iip4, 20);
        CHECK_INT(ovl_header_decap_ecn(IP_ECN_ECT_0, in, sizeof in), 0);
        CHECK_INT(iip4->ip_tos, (26 << 2) | IP_ECN_ECT_0);
        CHECK_INT(ovl_header_decap_ecn(IP_ECN_CE, in, sizeof in), 0);
        CHECK_INT(iip4->ip_tos, (26 << 2) | IP_ECN_CE);
        CHECK_INT(csum(iip4, 20), 0);
        iip4->ip_tos = 26 << 2;
        CHECK_INT(ovl_header_decap_ecn(IP_ECN_CE, in, sizeof in), EINVAL);
    }

    /* A critical option sets the C bit. */
    t.geneve_opts[2] = 0x80;
    ovl_header_build(&t, frame);
    ovl_header_format_odp(frame, len, &s);
    CHECK(strstr(ds_cstr(&s), "geneve(crit,vni=0x7,"));
    ds_destroy(&s);
}

RDMA_TEST_REGISTER("tunnel-options", "tunnel options in the outer header",
                   test_tunnel_options);
