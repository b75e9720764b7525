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
#include "roce-frame.h"

#include <errno.h>
#include <netinet/ip6.h>
#include <string.h>
#include <zlib.h>

#include "csum.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "util.h"

/* Inner TTL and hop limit. */
#define ROCE_TTL 64

/* Bytes of the masked pseudo-LRH that start the ICRC's input. */
#define ICRC_LRH_LEN 8

/* Computes the ICRC of a RoCEv2 packet whose IP header starts at 'l3',
 * over 'len' bytes (IP header through payload and pad, without the ICRC):
 * CRC-32 over 8 bytes of ones, then the packet with the fields that may
 * change in flight replaced by ones (IPv4 TOS, TTL and header checksum;
 * IPv6 traffic class, flow label and hop limit; the UDP checksum; the
 * BTH's FECN, BECN and reserved bits).  The caller stores it
 * little-endian. */
uint32_t
roce_icrc(const uint8_t *l3, size_t len)
{
    static const uint8_t ones[ICRC_LRH_LEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    uint8_t hdr[IPV6_HEADER_LEN + UDP_HEADER_LEN + ROCE_BTH_LEN];
    size_t l3_len, hdr_len;
    uLong crc;

    if ((l3[0] >> 4) == 4) {
        l3_len = (l3[0] & 0xf) * 4;
    } else {
        l3_len = IPV6_HEADER_LEN;
    }
    hdr_len = MIN(l3_len + UDP_HEADER_LEN + ROCE_BTH_LEN, len);
    if (hdr_len > sizeof hdr) {
        hdr_len = sizeof hdr;
    }
    memcpy(hdr, l3, hdr_len);
    if ((l3[0] >> 4) == 4) {
        hdr[1] = 0xff;                      /* TOS. */
        hdr[8] = 0xff;                      /* TTL. */
        hdr[10] = hdr[11] = 0xff;           /* Header checksum. */
    } else {
        hdr[0] |= 0x0f;                     /* Traffic class... */
        hdr[1] = hdr[2] = hdr[3] = 0xff;    /* ...and flow label. */
        hdr[7] = 0xff;                      /* Hop limit. */
    }
    if (hdr_len >= l3_len + UDP_HEADER_LEN) {
        hdr[l3_len + 6] = hdr[l3_len + 7] = 0xff;   /* UDP checksum. */
    }
    if (hdr_len >= l3_len + UDP_HEADER_LEN + 5) {
        hdr[l3_len + UDP_HEADER_LEN + 4] = 0xff;    /* FECN, BECN, resv6. */
    }

    crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, ones, sizeof ones);
    crc = crc32(crc, hdr, hdr_len);
    if (len > hdr_len) {
        crc = crc32(crc, l3 + hdr_len, len - hdr_len);
    }
    return crc;
}

/* Writes at 'l3' the inner IPv4 ('v4', with DF, TTL 64 and its header
 * checksum) or IPv6 (hop limit 64) header of the connection 't'
 * describes, for 'l4_len' bytes of UDP. */
static void
build_ip(const struct ovl_tuple *t, bool v4, size_t l4_len, uint8_t *l3)
{
    if (v4) {
        struct ip_header *ip = (struct ip_header *) l3;

        ip->ip_ihl_ver = IP_IHL_VER(5, 4);
        ip->ip_tot_len = htons(IP_HEADER_LEN + l4_len);
        ip->ip_frag_off = htons(IP_DONT_FRAGMENT);
        ip->ip_ttl = ROCE_TTL;
        ip->ip_proto = IPPROTO_UDP;
        put_16aligned_be32(&ip->ip_src,
                           in6_addr_get_mapped_ipv4(&t->inner_src_ip));
        put_16aligned_be32(&ip->ip_dst,
                           in6_addr_get_mapped_ipv4(&t->inner_dst_ip));
        ip->ip_csum = csum(ip, sizeof *ip);
    } else {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) l3;

        put_16aligned_be32(&ip6->ip6_flow, htonl(6 << 28));
        ip6->ip6_plen = htons(l4_len);
        ip6->ip6_nxt = IPPROTO_UDP;
        ip6->ip6_hlim = ROCE_TTL;
        memcpy(&ip6->ip6_src, &t->inner_src_ip, sizeof ip6->ip6_src);
        memcpy(&ip6->ip6_dst, &t->inner_dst_ip, sizeof ip6->ip6_dst);
    }
}

/* Writes at 'p' the ROCE_BTH_LEN bytes of the base transport header
 * 'bth', for a payload followed by 'pad' bytes of padding. */
static void
build_bth(const struct roce_bth *bth, size_t pad, uint8_t *p)
{
    p[0] = bth->opcode;
    p[1] = (bth->solicited ? 0x80 : 0) | (pad << 4);
    p[2] = bth->pkey >> 8;
    p[3] = bth->pkey;
    p[5] = bth->dest_qp >> 16;
    p[6] = bth->dest_qp >> 8;
    p[7] = bth->dest_qp;
    p[8] = bth->ack_req ? 0x80 : 0;
    p[9] = bth->psn >> 16;
    p[10] = bth->psn >> 8;
    p[11] = bth->psn;
}

/* Builds into 'buf' ('buf_size' bytes) the inner frame of one packet of the
 * connection 't' describes, from t->inner_src_* to t->inner_dst_*:
 * Ethernet, IPv4 (DF, TTL 64, header checksum) or IPv6 (hop limit 64) as
 * the inner addresses are, UDP from t->udp_src to 4791 (checksum 0 over
 * IPv4, computed over IPv6), the BTH from 'bth', 'len' bytes of 'payload',
 * zero pad to a multiple of 4 bytes, and the ICRC.  Returns the frame's
 * length, or 0 if it does not fit in 'buf_size'. */
size_t
roce_frame_build(const struct ovl_tuple *t, const struct roce_bth *bth,
                 const void *payload, size_t len, uint8_t *buf,
                 size_t buf_size)
{
    bool v4 = rdma_ip_is_v4(&t->inner_dst_ip);
    size_t pad = (4 - len % 4) % 4;
    size_t l3_len = v4 ? IP_HEADER_LEN : IPV6_HEADER_LEN;
    size_t l4_len = UDP_HEADER_LEN + ROCE_BTH_LEN + len + pad
                    + ROCE_ICRC_LEN;
    size_t total = ETH_HEADER_LEN + l3_len + l4_len;
    struct eth_header *eth = (struct eth_header *) buf;
    struct udp_header *udp;
    uint8_t *l3 = buf + ETH_HEADER_LEN;
    uint8_t *p;
    uint32_t icrc;

    if (total > buf_size) {
        return 0;
    }
    memset(buf, 0, total);
    eth->eth_dst = t->inner_dst_mac;
    eth->eth_src = t->inner_src_mac;
    eth->eth_type = htons(v4 ? ETH_TYPE_IP : ETH_TYPE_IPV6);
    build_ip(t, v4, l4_len, l3);

    udp = (struct udp_header *) (l3 + l3_len);
    udp->udp_src = htons(t->udp_src);
    udp->udp_dst = htons(ROCE_V2_PORT);
    udp->udp_len = htons(l4_len);

    p = (uint8_t *) (udp + 1);
    build_bth(bth, pad, p);
    memcpy(p + ROCE_BTH_LEN, payload, len);

    if (!v4) {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) l3;
        uint32_t partial = packet_csum_pseudoheader6(ip6);

        udp->udp_csum = csum_finish(csum_continue(partial, udp,
                                                  l4_len - ROCE_ICRC_LEN));
        if (!udp->udp_csum) {
            udp->udp_csum = htons(0xffff);
        }
    }

    icrc = roce_icrc(l3, l3_len + l4_len - ROCE_ICRC_LEN);
    p = buf + total - ROCE_ICRC_LEN;
    p[0] = icrc;
    p[1] = icrc >> 8;
    p[2] = icrc >> 16;
    p[3] = icrc >> 24;
    return total;
}

/* Parses and checks the inner frame of 'len' bytes at 'frame' into
 * '*info'.  Returns 0, EINVAL if it is malformed or truncated,
 * EPROTONOSUPPORT if it is not RoCEv2 (not IP/UDP to port 4791), or
 * EBADMSG if its ICRC is wrong. */
int
roce_frame_parse(const uint8_t *frame, size_t len,
                 struct roce_frame_info *info)
{
    const struct eth_header *eth = (const struct eth_header *) frame;
    const struct udp_header *udp;
    const uint8_t *l3, *bth, *end;
    size_t l3_len, l4_len, pad;
    uint32_t icrc, got;

    if (len < ETH_HEADER_LEN) {
        return EINVAL;
    }
    memset(info, 0, sizeof *info);
    info->dst_mac = eth->eth_dst;
    info->src_mac = eth->eth_src;
    l3 = frame + ETH_HEADER_LEN;
    if (eth->eth_type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip = (const struct ip_header *) l3;

        if (len < ETH_HEADER_LEN + IP_HEADER_LEN) {
            return EINVAL;
        }
        l3_len = IP_IHL(ip->ip_ihl_ver) * 4;
        if (IP_VER(ip->ip_ihl_ver) != 4 || l3_len < IP_HEADER_LEN
            || ntohs(ip->ip_tot_len) < l3_len
            || ETH_HEADER_LEN + ntohs(ip->ip_tot_len) > len) {
            return EINVAL;
        }
        if (ip->ip_proto != IPPROTO_UDP) {
            return EPROTONOSUPPORT;
        }
        l4_len = ntohs(ip->ip_tot_len) - l3_len;
        info->src_ip = in6_addr_mapped_ipv4(get_16aligned_be32(&ip->ip_src));
        info->dst_ip = in6_addr_mapped_ipv4(get_16aligned_be32(&ip->ip_dst));
    } else if (eth->eth_type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) l3;

        l3_len = IPV6_HEADER_LEN;
        if (len < ETH_HEADER_LEN + l3_len
            || ETH_HEADER_LEN + l3_len + ntohs(ip6->ip6_plen) > len) {
            return EINVAL;
        }
        if (ip6->ip6_nxt != IPPROTO_UDP) {
            return EPROTONOSUPPORT;
        }
        l4_len = ntohs(ip6->ip6_plen);
        memcpy(&info->src_ip, &ip6->ip6_src, sizeof info->src_ip);
        memcpy(&info->dst_ip, &ip6->ip6_dst, sizeof info->dst_ip);
    } else {
        return EPROTONOSUPPORT;
    }

    udp = (const struct udp_header *) (l3 + l3_len);
    if (l4_len < UDP_HEADER_LEN) {
        return EINVAL;
    }
    if (udp->udp_dst != htons(ROCE_V2_PORT)) {
        return EPROTONOSUPPORT;
    }
    if (ntohs(udp->udp_len) != l4_len
        || l4_len < UDP_HEADER_LEN + ROCE_BTH_LEN + ROCE_ICRC_LEN) {
        return EINVAL;
    }
    info->udp_src = ntohs(udp->udp_src);

    bth = (const uint8_t *) (udp + 1);
    end = l3 + l3_len + l4_len;
    pad = (bth[1] >> 4) & 3;
    if (bth + ROCE_BTH_LEN + pad + ROCE_ICRC_LEN > end) {
        return EINVAL;
    }
    info->bth.opcode = bth[0];
    info->bth.solicited = bth[1] & 0x80;
    info->bth.pkey = (bth[2] << 8) | bth[3];
    info->bth.dest_qp = (bth[5] << 16) | (bth[6] << 8) | bth[7];
    info->bth.ack_req = bth[8] & 0x80;
    info->bth.psn = (bth[9] << 16) | (bth[10] << 8) | bth[11];
    info->payload = bth + ROCE_BTH_LEN;
    info->payload_len = end - ROCE_ICRC_LEN - pad - info->payload;

    icrc = roce_icrc(l3, l3_len + l4_len - ROCE_ICRC_LEN);
    end -= ROCE_ICRC_LEN;       /* The ICRC, little-endian, is last. */
    got = end[0] | (end[1] << 8) | (end[2] << 16) | ((uint32_t) end[3] << 24);
    return icrc == got ? 0 : EBADMSG;
}
