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
#include "ovl-header.h"

#include <errno.h>
#include <netinet/ip6.h>
#include <string.h>

#include "csum.h"
#include "openvswitch/dynamic-string.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "util.h"

/* Returns the outer TTL or hop limit of tuple 't' for an inner TTL of
 * 'inner_ttl'. */
static uint8_t
outer_ttl(const struct ovl_tuple *t, uint8_t inner_ttl)
{
    return (t->ttl_inherit ? inner_ttl
            : t->ttl ? t->ttl : OVL_TTL_DEFAULT);
}

/* Writes at 'p' the outer Ethernet header of tuple 't' (and its VLAN tag,
 * if any) for an IPv4 ('v4') or IPv6 underlay, and returns the end. */
static uint8_t *
build_eth(const struct ovl_tuple *t, bool v4, uint8_t *p)
{
    struct eth_header *eth = (struct eth_header *) p;

    eth->eth_dst = t->nexthop_mac;
    eth->eth_src = t->local_mac;
    p += sizeof *eth;
    if (t->vlan) {
        struct vlan_header *vh = (struct vlan_header *) p;

        eth->eth_type = htons(ETH_TYPE_VLAN_8021Q);
        vh->vlan_tci = htons(t->vlan & VLAN_VID_MASK);
        vh->vlan_next_type = htons(v4 ? ETH_TYPE_IP : ETH_TYPE_IPV6);
        p += sizeof *vh;
    } else {
        eth->eth_type = htons(v4 ? ETH_TYPE_IP : ETH_TYPE_IPV6);
    }
    return p;
}

/* Writes at 'p' the outer IPv4 ('v4') or IPv6 header of tuple 't', with
 * its length and checksum zero, and returns the end.  For "inherit", the
 * header carries the value for an inner TTL of 64 and TOS 0, as
 * ofproto/trace shows it; ovl_header_inherit() applies the real inner
 * values per frame. */
static uint8_t *
build_ip(const struct ovl_tuple *t, bool v4, uint8_t *p)
{
    if (v4) {
        struct ip_header *ip = (struct ip_header *) p;

        ip->ip_ihl_ver = IP_IHL_VER(5, 4);
        ip->ip_ttl = outer_ttl(t, OVL_TTL_DEFAULT);
        ip->ip_tos = t->tos_inherit ? 0 : t->tos & IP_DSCP_MASK;
        ip->ip_proto = IPPROTO_UDP;
        ip->ip_frag_off = t->no_df ? 0 : htons(IP_DONT_FRAGMENT);
        put_16aligned_be32(&ip->ip_src,
                           in6_addr_get_mapped_ipv4(&t->local_ip));
        put_16aligned_be32(&ip->ip_dst,
                           in6_addr_get_mapped_ipv4(&t->remote_ip));
        p += sizeof *ip;
    } else {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) p;

        put_16aligned_be32(&ip6->ip6_flow,
                           htonl(6 << 28
                                 | ((t->tos_inherit ? 0
                                     : t->tos & IP_DSCP_MASK) << 20)));
        ip6->ip6_nxt = IPPROTO_UDP;
        ip6->ip6_hlim = outer_ttl(t, OVL_TTL_DEFAULT);
        memcpy(&ip6->ip6_src, &t->local_ip, sizeof ip6->ip6_src);
        memcpy(&ip6->ip6_dst, &t->remote_ip, sizeof ip6->ip6_dst);
        p += sizeof *ip6;
    }
    return p;
}

/* Writes at 'p' the overlay header of tuple 't' (VXLAN, or Geneve with its
 * options), and returns the end. */
static uint8_t *
build_overlay(const struct ovl_tuple *t, uint8_t *p)
{
    if (t->type == OVL_VXLAN) {
        struct vxlanhdr *vx = (struct vxlanhdr *) p;

        put_16aligned_be32(&vx->vx_flags, htonl(VXLAN_FLAGS));
        put_16aligned_be32(&vx->vx_vni, htonl(t->vni << 8));
        p += sizeof *vx;
    } else {
        struct genevehdr *gnh = (struct genevehdr *) p;

        size_t i;

        gnh->proto_type = htons(ETH_TYPE_TEB);
        put_16aligned_be32(&gnh->vni, htonl(t->vni << 8));
        gnh->opt_len = t->geneve_opts_len / 4;
        p += sizeof *gnh;
        memcpy(p, t->geneve_opts, t->geneve_opts_len);
        /* The C bit: set if any option is critical (type's high bit), as
         * OVS's geneve_build_header() does. */
        for (i = 0; i + 4 <= t->geneve_opts_len;
             i += 4 + (t->geneve_opts[i + 3] & 0x1f) * 4) {
            if (t->geneve_opts[i + 2] & 0x80) {
                gnh->critical = 1;
            }
        }
        p += t->geneve_opts_len;
    }
    return p;
}

/* Builds into 'buf' the outer header for 'tuple', with its length fields
 * and IPv4 header checksum still zero (ovl_header_finish() fills them for a
 * given inner frame), and returns its length. */
size_t
ovl_header_build(const struct ovl_tuple *t, uint8_t buf[OVL_HEADER_MAX])
{
    bool v4 = rdma_ip_is_v4(&t->remote_ip);
    struct udp_header *udp;
    uint8_t *p;

    memset(buf, 0, OVL_HEADER_MAX);
    p = build_eth(t, v4, buf);
    p = build_ip(t, v4, p);

    udp = (struct udp_header *) p;
    udp->udp_src = htons(t->udp_src);
    udp->udp_dst = htons(t->udp_dst);
    if (t->csum && v4) {
        /* As OVS marks it in tnl_push: compute per frame. */
        udp->udp_csum = htons(0xffff);
    }
    p += sizeof *udp;

    p = build_overlay(t, p);
    return p - buf;
}

/* Locates the IP header and reports whether it is IPv4, in a header built
 * by ovl_header_build(). */
static uint8_t *
l3_of(uint8_t *hdr, bool *v4)
{
    struct eth_header *eth = (struct eth_header *) hdr;
    ovs_be16 type = eth->eth_type;
    uint8_t *p = hdr + sizeof *eth;

    if (type == htons(ETH_TYPE_VLAN_8021Q)) {
        type = ((struct vlan_header *) p)->vlan_next_type;
        p += sizeof(struct vlan_header);
    }
    *v4 = type == htons(ETH_TYPE_IP);
    return p;
}

/* Applies to the outer header that ovl_header_build() put in the first
 * 'hdr_len' bytes of 'frame', for tuple 't', the values it takes from the
 * inner IP packet that follows it (after the inner Ethernet header), as
 * OVS's tnl_port_send() does: the ECN bits always (inner CE as ECT(0)),
 * the DSCP if 't' inherits the TOS, the TTL if 't' inherits it.  Call it
 * before ovl_header_finish().  Leaves a frame whose inner packet is not IP
 * unchanged. */
void
ovl_header_inherit(const struct ovl_tuple *t, uint8_t *frame,
                   size_t hdr_len)
{
    const struct eth_header *ieth = (const struct eth_header *)
                                    (frame + hdr_len);
    uint8_t in_tos, in_ttl, ecn;
    bool v4;
    uint8_t *l3 = l3_of(frame, &v4);

    if (ieth->eth_type == htons(ETH_TYPE_IP)) {
        const struct ip_header *iip = (const void *) (ieth + 1);

        in_tos = iip->ip_tos;
        in_ttl = iip->ip_ttl;
    } else if (ieth->eth_type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *iip6 = (const void *) (ieth + 1);

        in_tos = ntohl(get_16aligned_be32(&iip6->ip6_flow)) >> 20;
        in_ttl = iip6->ip6_hlim;
    } else {
        return;
    }
    ecn = in_tos & IP_ECN_MASK;
    if (ecn == IP_ECN_CE) {
        ecn = IP_ECN_ECT_0;
    }
    if (v4) {
        struct ip_header *ip = (struct ip_header *) l3;

        ip->ip_tos = ((t->tos_inherit ? in_tos : ip->ip_tos) & IP_DSCP_MASK)
                     | ecn;
        if (t->ttl_inherit) {
            ip->ip_ttl = in_ttl;
        }
    } else {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) l3;
        uint32_t flow = ntohl(get_16aligned_be32(&ip6->ip6_flow));
        uint8_t tc = (flow >> 20) & 0xff;

        tc = ((t->tos_inherit ? in_tos : tc) & IP_DSCP_MASK) | ecn;
        flow = (flow & ~(0xffu << 20)) | ((uint32_t) tc << 20);
        put_16aligned_be32(&ip6->ip6_flow, htonl(flow));
        if (t->ttl_inherit) {
            ip6->ip6_hlim = in_ttl;
        }
    }
}

/* Fills in the lengths and the IPv4 header checksum of the outer header
 * that ovl_header_build() put in the first 'hdr_len' bytes of 'frame',
 * followed contiguously by an inner frame of 'inner_len' bytes.  Over IPv6,
 * also computes the UDP checksum, which IPv6 requires. */
void
ovl_header_finish(uint8_t *frame, size_t hdr_len, size_t inner_len)
{
    bool v4;
    uint8_t *l3 = l3_of(frame, &v4);
    size_t l4_len = frame + hdr_len - l3 + inner_len;
    struct udp_header *udp;

    if (v4) {
        struct ip_header *ip = (struct ip_header *) l3;

        l4_len -= sizeof *ip;
        ip->ip_tot_len = htons(sizeof *ip + l4_len);
        ip->ip_csum = 0;
        ip->ip_csum = csum(ip, sizeof *ip);
        udp = (struct udp_header *) (ip + 1);
        udp->udp_len = htons(l4_len);
        if (udp->udp_csum) {
            /* Checksum requested (ovl_header_build() marked it). */
            udp->udp_csum = 0;
            udp->udp_csum = csum_finish(
                csum_continue(packet_csum_pseudoheader(ip), udp, l4_len));
            if (!udp->udp_csum) {
                udp->udp_csum = htons(0xffff);
            }
        }
    } else {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) l3;
        uint32_t partial;

        l4_len -= sizeof *ip6;
        ip6->ip6_plen = htons(l4_len);
        udp = (struct udp_header *) (ip6 + 1);
        udp->udp_len = htons(l4_len);
        udp->udp_csum = 0;
        partial = packet_csum_pseudoheader6(ip6);
        udp->udp_csum = csum_finish(csum_continue(partial, udp, l4_len));
        if (!udp->udp_csum) {
            udp->udp_csum = htons(0xffff);
        }
    }
}

/* Appends to 'ds' the IPv4 ('v4') or IPv6 header at 'l3' as
 * ofproto/trace prints it in a tnl_push action's header. */
static void
format_odp_ip(const uint8_t *l3, bool v4, struct ds *ds)
{
    if (v4) {
        const struct ip_header *ip = (const struct ip_header *) l3;

        ds_put_format(ds, "ipv4(src="IP_FMT",dst="IP_FMT",proto=%d,tos=%#x,"
                      "ttl=%d,frag=0x%x),",
                      IP_ARGS(get_16aligned_be32(&ip->ip_src)),
                      IP_ARGS(get_16aligned_be32(&ip->ip_dst)),
                      ip->ip_proto, ip->ip_tos, ip->ip_ttl,
                      ntohs(ip->ip_frag_off));
    } else {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) l3;
        uint32_t flow = ntohl(get_16aligned_be32(&ip6->ip6_flow));
        struct in6_addr a;

        ds_put_cstr(ds, "ipv6(src=");
        memcpy(&a, &ip6->ip6_src, sizeof a);
        ipv6_format_addr(&a, ds);
        ds_put_cstr(ds, ",dst=");
        memcpy(&a, &ip6->ip6_dst, sizeof a);
        ipv6_format_addr(&a, ds);
        ds_put_format(ds, ",label=%d,proto=%d,tclass=0x%x,hlimit=%d),",
                      (int) (flow & IPV6_LABEL_MASK), ip6->ip6_nxt,
                      (flow >> 20) & 0xff, ip6->ip6_hlim);
    }
}

/* Appends to 'ds' the Geneve options in the 'olen' bytes at 'o', as OVS's
 * format_geneve_opts() does. */
static void
format_odp_geneve_opts(const uint8_t *o, size_t olen, struct ds *ds)
{
    size_t i = 0;

    ds_put_cstr(ds, ",options(");
    while (i + 4 <= olen) {
        size_t dlen = (o[i + 3] & 0x1f) * 4;

        ds_put_format(ds, "{class=%#x,type=%#x,len=%"PRIuSIZE,
                      (o[i] << 8) | o[i + 1], o[i + 2], dlen);
        if (dlen && i + 4 + dlen <= olen) {
            ds_put_char(ds, ',');
            ds_put_hex(ds, o + i + 4, dlen);
        }
        ds_put_char(ds, '}');
        i += 4 + dlen;
    }
    ds_put_char(ds, ')');
}

/* Appends to 'ds' the Geneve or VXLAN header at 'p', the end of the outer
 * UDP header, as ofproto/trace prints it, and closes header(...). */
static void
format_odp_overlay(const uint8_t *p, struct ds *ds)
{
    const struct genevehdr *gnh = (const struct genevehdr *) p;

    if (gnh->proto_type == htons(ETH_TYPE_TEB)) {
        size_t olen = gnh->opt_len * 4;

        ds_put_format(ds, "geneve(%s%svni=0x%"PRIx32,
                      gnh->oam ? "oam," : "", gnh->critical ? "crit," : "",
                      ntohl(get_16aligned_be32(&gnh->vni)) >> 8);
        if (olen) {
            format_odp_geneve_opts((const uint8_t *) (gnh + 1), olen, ds);
        }
        ds_put_cstr(ds, "))");
    } else {
        const struct vxlanhdr *vx = (const struct vxlanhdr *) p;

        ds_put_format(ds, "vxlan(flags=0x%"PRIx32",vni=0x%"PRIx32"))",
                      ntohl(get_16aligned_be32(&vx->vx_flags)),
                      ntohl(get_16aligned_be32(&vx->vx_vni)) >> 8);
    }
}

/* Appends to 'ds' the outer header in the first 'hdr_len' bytes of 'hdr'
 * (built by ovl_header_build()) as Open vSwitch's ofproto/trace prints a
 * tnl_push action's header:
 *
 *     header(size=50,type=4,eth(...),ipv4(...),udp(...),vxlan(...))
 *
 * with the UDP source port shown as 0, as OVS shows it (its datapath
 * computes the port per packet).  An outer VLAN tag, which OVS adds with a
 * separate push_vlan action after tnl_push, is left out of header(...) and
 * appended as " push_vlan(vid=N,pcp=0)". */
void
ovl_header_format_odp(const uint8_t *hdr_, size_t hdr_len, struct ds *ds)
{
    uint8_t *hdr = CONST_CAST(uint8_t *, hdr_);
    const struct eth_header *eth = (const struct eth_header *) hdr;
    const struct vlan_header *vh = NULL;
    const struct udp_header *udp;
    bool v4;
    uint8_t *l3 = l3_of(hdr, &v4);
    size_t size = hdr_len;

    if (eth->eth_type == htons(ETH_TYPE_VLAN_8021Q)) {
        vh = (const struct vlan_header *) (eth + 1);
        size -= sizeof *vh;
    }
    udp = (const struct udp_header *) (l3 + (v4 ? IP_HEADER_LEN
                                             : IPV6_HEADER_LEN));
    ds_put_format(ds, "header(size=%"PRIuSIZE",type=%d,eth(dst="ETH_ADDR_FMT
                  ",src="ETH_ADDR_FMT",dl_type=0x%04x),", size,
                  (((const struct genevehdr *) (udp + 1))->proto_type
                   == htons(ETH_TYPE_TEB) ? 5 : 4),
                  ETH_ADDR_ARGS(eth->eth_dst), ETH_ADDR_ARGS(eth->eth_src),
                  v4 ? ETH_TYPE_IP : ETH_TYPE_IPV6);
    format_odp_ip(l3, v4, ds);
    ds_put_format(ds, "udp(src=0,dst=%d,csum=0x%x),", ntohs(udp->udp_dst),
                  ntohs(udp->udp_csum));
    format_odp_overlay((const uint8_t *) (udp + 1), ds);
    if (vh) {
        ds_put_format(ds, " push_vlan(vid=%d,pcp=%d)",
                      ntohs(vh->vlan_tci) & VLAN_VID_MASK,
                      vlan_tci_to_pcp(vh->vlan_tci));
    }
}

/* Carries ECN congestion experienced from the outer header of a received
 * overlay frame, whose outer TOS (or traffic class) is 'outer_tos', into
 * its inner frame of 'len' bytes at 'inner' (Ethernet, then IP), as OVS's
 * tnl_process_ecn() does: if the outer header says CE and the inner packet
 * is ECN-capable, the inner packet is marked CE (the IPv4 header checksum
 * updated).  Returns 0, or EINVAL if the outer header says CE but the
 * inner packet is not ECN-capable (OVS drops such a packet).  A frame
 * whose inner packet is not IP is left as it is. */
int
ovl_header_decap_ecn(uint8_t outer_tos, uint8_t *inner, size_t len)
{
    struct eth_header *eth = (struct eth_header *) inner;

    if ((outer_tos & IP_ECN_MASK) != IP_ECN_CE || len < ETH_HEADER_LEN) {
        return 0;
    }
    if (eth->eth_type == htons(ETH_TYPE_IP)
        && len >= ETH_HEADER_LEN + IP_HEADER_LEN) {
        struct ip_header *ip = (struct ip_header *) (eth + 1);
        ovs_be16 old = htons((ip->ip_ihl_ver << 8) | ip->ip_tos);

        if ((ip->ip_tos & IP_ECN_MASK) == IP_ECN_NOT_ECT) {
            return EINVAL;
        }
        ip->ip_tos |= IP_ECN_CE;
        ip->ip_csum = recalc_csum16(ip->ip_csum, old,
                                    htons((ip->ip_ihl_ver << 8)
                                          | ip->ip_tos));
    } else if (eth->eth_type == htons(ETH_TYPE_IPV6)
               && len >= ETH_HEADER_LEN + IPV6_HEADER_LEN) {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) (eth + 1);
        uint32_t flow = ntohl(get_16aligned_be32(&ip6->ip6_flow));

        if (((flow >> 20) & IP_ECN_MASK) == IP_ECN_NOT_ECT) {
            return EINVAL;
        }
        flow |= (uint32_t) IP_ECN_CE << 20;
        put_16aligned_be32(&ip6->ip6_flow, htonl(flow));
    }
    return 0;
}

/* Parses the outer header of the received frame of 'len' bytes at 'frame'
 * into '*info': Ethernet (with at most one 802.1Q tag), IPv4 (version,
 * header length, checksum, total length, not a fragment) or IPv6, UDP,
 * then VXLAN if the UDP destination port is 'vxlan_port' (the I flag must
 * be set) or Geneve if it is 'geneve_port' (version 0, Transparent
 * Ethernet Bridging, options skipped).  Returns 0, EINVAL if the frame is
 * malformed or truncated, or EPROTONOSUPPORT if it is not an overlay frame
 * (not IP and UDP, or another UDP port). */
int
ovl_header_parse(const uint8_t *frame, size_t len, uint16_t vxlan_port,
                 uint16_t geneve_port, struct ovl_header_info *info)
{
    const struct eth_header *eth = (const struct eth_header *) frame;
    const struct udp_header *udp;
    const uint8_t *p = frame + ETH_HEADER_LEN;
    const uint8_t *end = frame + len;
    ovs_be16 type;
    size_t l4_len;

    if (len < ETH_HEADER_LEN) {
        return EINVAL;
    }
    memset(info, 0, sizeof *info);
    info->dst_mac = eth->eth_dst;
    info->src_mac = eth->eth_src;
    type = eth->eth_type;
    if (type == htons(ETH_TYPE_VLAN_8021Q)) {
        const struct vlan_header *vh = (const struct vlan_header *) p;

        if (end - p < VLAN_HEADER_LEN) {
            return EINVAL;
        }
        info->vlan = ntohs(vh->vlan_tci) & VLAN_VID_MASK;
        type = vh->vlan_next_type;
        p += VLAN_HEADER_LEN;
    }

    if (type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip = (const struct ip_header *) p;
        size_t ihl;

        if (end - p < IP_HEADER_LEN) {
            return EINVAL;
        }
        ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        if (IP_VER(ip->ip_ihl_ver) != 4 || ihl < IP_HEADER_LEN
            || end - p < ihl || csum(ip, ihl)
            || ntohs(ip->ip_tot_len) < ihl
            || ntohs(ip->ip_tot_len) > end - p) {
            return EINVAL;
        }
        if (ip->ip_frag_off & htons(IP_MORE_FRAGMENTS | IP_FRAG_OFF_MASK)) {
            return EPROTONOSUPPORT;
        }
        if (ip->ip_proto != IPPROTO_UDP) {
            return EPROTONOSUPPORT;
        }
        info->tos = ip->ip_tos;
        info->src_ip = in6_addr_mapped_ipv4(get_16aligned_be32(&ip->ip_src));
        info->dst_ip = in6_addr_mapped_ipv4(get_16aligned_be32(&ip->ip_dst));
        l4_len = ntohs(ip->ip_tot_len) - ihl;
        p += ihl;
    } else if (type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) p;

        if (end - p < IPV6_HEADER_LEN
            || ntohs(ip6->ip6_plen) > end - p - IPV6_HEADER_LEN) {
            return EINVAL;
        }
        if (ip6->ip6_nxt != IPPROTO_UDP) {
            return EPROTONOSUPPORT;
        }
        info->tos = ntohl(get_16aligned_be32(&ip6->ip6_flow)) >> 20;
        memcpy(&info->src_ip, &ip6->ip6_src, sizeof info->src_ip);
        memcpy(&info->dst_ip, &ip6->ip6_dst, sizeof info->dst_ip);
        l4_len = ntohs(ip6->ip6_plen);
        p += IPV6_HEADER_LEN;
    } else {
        return EPROTONOSUPPORT;
    }

    udp = (const struct udp_header *) p;
    if (l4_len < UDP_HEADER_LEN || ntohs(udp->udp_len) != l4_len) {
        return EINVAL;
    }
    info->udp_src = ntohs(udp->udp_src);
    info->udp_dst = ntohs(udp->udp_dst);
    p += UDP_HEADER_LEN;
    l4_len -= UDP_HEADER_LEN;

    if (info->udp_dst == vxlan_port) {
        const struct vxlanhdr *vx = (const struct vxlanhdr *) p;

        if (l4_len < sizeof *vx + ETH_HEADER_LEN
            || !(get_16aligned_be32(&vx->vx_flags) & htonl(VXLAN_FLAGS))) {
            return EINVAL;
        }
        info->type = OVL_VXLAN;
        info->vni = ntohl(get_16aligned_be32(&vx->vx_vni)) >> 8;
        p += sizeof *vx;
    } else if (info->udp_dst == geneve_port) {
        const struct genevehdr *gnh = (const struct genevehdr *) p;
        size_t opts;

        if (l4_len < sizeof *gnh) {
            return EINVAL;
        }
        opts = gnh->opt_len * 4;
        if (gnh->ver != 0 || gnh->proto_type != htons(ETH_TYPE_TEB)
            || l4_len < sizeof *gnh + opts + ETH_HEADER_LEN) {
            return EINVAL;
        }
        info->type = OVL_GENEVE;
        info->vni = ntohl(get_16aligned_be32(&gnh->vni)) >> 8;
        p += sizeof *gnh + opts;
    } else {
        return EPROTONOSUPPORT;
    }
    info->inner_ofs = p - frame;
    return 0;
}
