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
#include "ovl-tuple.h"

#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-json-text.h"
#include "util.h"

/* Returns true if 'a' and 'b' hold the same tuple. */
bool
ovl_tuple_equals(const struct ovl_tuple *a, const struct ovl_tuple *b)
{
    return (a->type == b->type
            && a->vni == b->vni
            && a->udp_src == b->udp_src
            && a->udp_dst == b->udp_dst
            && ipv6_addr_equals(&a->local_ip, &b->local_ip)
            && ipv6_addr_equals(&a->remote_ip, &b->remote_ip)
            && eth_addr_equals(a->local_mac, b->local_mac)
            && eth_addr_equals(a->nexthop_mac, b->nexthop_mac)
            && a->vlan == b->vlan
            && a->underlay_mtu == b->underlay_mtu
            && a->path_mtu == b->path_mtu
            && eth_addr_equals(a->inner_src_mac, b->inner_src_mac)
            && eth_addr_equals(a->inner_dst_mac, b->inner_dst_mac)
            && ipv6_addr_equals(&a->inner_src_ip, &b->inner_src_ip)
            && ipv6_addr_equals(&a->inner_dst_ip, &b->inner_dst_ip)
            && ovl_tuple_options_equal(a, b));
}

/* Returns true if 'a' and 'b' have the same tunnel options (TOS, TTL, DF,
 * checksum, receive VNI, Geneve options). */
bool
ovl_tuple_options_equal(const struct ovl_tuple *a, const struct ovl_tuple *b)
{
    return (a->tos == b->tos && a->tos_inherit == b->tos_inherit
            && a->ttl == b->ttl && a->ttl_inherit == b->ttl_inherit
            && a->no_df == b->no_df && a->csum == b->csum
            && a->rx_vni_set == b->rx_vni_set && a->rx_vni == b->rx_vni
            && a->geneve_opts_len == b->geneve_opts_len
            && !memcmp(a->geneve_opts, b->geneve_opts, a->geneve_opts_len));
}

/* Copies the tunnel options of 'src' into 'dst'. */
void
ovl_tuple_copy_options(struct ovl_tuple *dst, const struct ovl_tuple *src)
{
    dst->tos = src->tos;
    dst->tos_inherit = src->tos_inherit;
    dst->ttl = src->ttl;
    dst->ttl_inherit = src->ttl_inherit;
    dst->no_df = src->no_df;
    dst->csum = src->csum;
    dst->rx_vni_set = src->rx_vni_set;
    dst->rx_vni = src->rx_vni;
    dst->geneve_opts_len = src->geneve_opts_len;
    memcpy(dst->geneve_opts, src->geneve_opts, src->geneve_opts_len);
}

/* Copies into 'dst' the overlay part of 'src', what the tunnel decides:
 * type, VNI, UDP destination port, VTEP IPs and tunnel options.  The other
 * fields of 'dst' are left as they are. */
void
ovl_tuple_copy_overlay(struct ovl_tuple *dst, const struct ovl_tuple *src)
{
    dst->type = src->type;
    dst->vni = src->vni;
    dst->udp_dst = src->udp_dst;
    dst->remote_ip = src->remote_ip;
    dst->local_ip = src->local_ip;
    ovl_tuple_copy_options(dst, src);
}

/* Returns true if 't' has any tunnel option other than OVS's defaults. */
static bool
has_options(const struct ovl_tuple *t)
{
    static const struct ovl_tuple zero;

    return !ovl_tuple_options_equal(t, &zero);
}

/* Appends to 'ds' the tunnel options of 't' that differ from the defaults,
 * each preceded by a space, in the form "tos=0x28 ttl=inherit nodf csum
 * rx_vni=N geneve_opts=HEX". */
static void
format_options(const struct ovl_tuple *t, struct ds *ds)
{
    size_t i;

    if (t->tos_inherit) {
        ds_put_cstr(ds, " tos=inherit");
    } else if (t->tos) {
        ds_put_format(ds, " tos=%#"PRIx8, t->tos);
    }
    if (t->ttl_inherit) {
        ds_put_cstr(ds, " ttl=inherit");
    } else if (t->ttl) {
        ds_put_format(ds, " ttl=%"PRIu8, t->ttl);
    }
    if (t->no_df) {
        ds_put_cstr(ds, " nodf");
    }
    if (t->csum) {
        ds_put_cstr(ds, " csum");
    }
    if (t->rx_vni_set) {
        ds_put_format(ds, " rx_vni=%"PRIu32, t->rx_vni);
    }
    if (t->geneve_opts_len) {
        ds_put_cstr(ds, " geneve_opts=");
        for (i = 0; i < t->geneve_opts_len; i++) {
            ds_put_format(ds, "%02"PRIx8, t->geneve_opts[i]);
        }
    }
}

/* Appends 'tuple' to 'ds' as space-separated "key=value" pairs, in the
 * order and with the names of the JSON form (ovl_tuple_to_json()). */
void
ovl_tuple_format(const struct ovl_tuple *t, struct ds *ds)
{
    char local_ip[46], remote_ip[46], inner_src_ip[46], inner_dst_ip[46];

    ds_put_format(ds, "type=%s vni=%"PRIu32" local_ip=%s remote_ip=%s "
                  "local_mac="ETH_ADDR_FMT" nexthop_mac="ETH_ADDR_FMT" "
                  "vlan=%"PRIu16" underlay_mtu=%"PRIu16" "
                  "path_mtu=%"PRIu16" udp_src=%"PRIu16" udp_dst=%"PRIu16" "
                  "inner_src_ip=%s inner_dst_ip=%s "
                  "inner_src_mac="ETH_ADDR_FMT" "
                  "inner_dst_mac="ETH_ADDR_FMT,
                  ovl_type_to_string(t->type), t->vni,
                  rdma_ip_to_string(&t->local_ip, local_ip),
                  rdma_ip_to_string(&t->remote_ip, remote_ip),
                  ETH_ADDR_ARGS(t->local_mac), ETH_ADDR_ARGS(t->nexthop_mac),
                  t->vlan, t->underlay_mtu, t->path_mtu, t->udp_src,
                  t->udp_dst,
                  rdma_ip_to_string(&t->inner_src_ip, inner_src_ip),
                  rdma_ip_to_string(&t->inner_dst_ip, inner_dst_ip),
                  ETH_ADDR_ARGS(t->inner_src_mac),
                  ETH_ADDR_ARGS(t->inner_dst_mac));
    format_options(t, ds);
}

/* Most members a tuple's JSON form has. */
#define TUPLE_MAX_MEMBERS 16

/* Text of a tuple's addresses, for tuple_members(). */
struct tuple_text {
    char ips[4][46];            /* The four IP addresses. */
    char macs[4][18];           /* The four MACs. */
    struct ds options;          /* Tunnel options ("" for the defaults). */
};

/* Fills 'm' with the members of 't''s JSON form, using
 * 'text' (whose 'options' the caller initializes and frees) for their
 * text.  Returns how many there are.  The one list of the members, for
 * ovl_tuple_to_json() and ovl_tuple_put_json(). */
static size_t
tuple_members(const struct ovl_tuple *t,
              struct rdma_json_member m[TUPLE_MAX_MEMBERS],
              struct tuple_text *text)
{
    const struct in6_addr *ips[] = {
        &t->local_ip, &t->remote_ip, &t->inner_src_ip, &t->inner_dst_ip,
    };
    static const char *const ip_names[] = {
        "local_ip", "remote_ip", "inner_src_ip", "inner_dst_ip",
    };
    const struct eth_addr macs[] = {
        t->local_mac, t->nexthop_mac, t->inner_src_mac, t->inner_dst_mac,
    };
    static const char *const mac_names[] = {
        "local_mac", "nexthop_mac", "inner_src_mac", "inner_dst_mac",
    };
    size_t n = 0;

    m[n++] = RDMA_JSON_MEMBER_STRING("type", ovl_type_to_string(t->type));
    m[n++] = RDMA_JSON_MEMBER_INT("vni", t->vni);
    m[n++] = RDMA_JSON_MEMBER_INT("udp_src", t->udp_src);
    m[n++] = RDMA_JSON_MEMBER_INT("udp_dst", t->udp_dst);
    m[n++] = RDMA_JSON_MEMBER_INT("vlan", t->vlan);
    m[n++] = RDMA_JSON_MEMBER_INT("underlay_mtu", t->underlay_mtu);
    m[n++] = RDMA_JSON_MEMBER_INT("path_mtu", t->path_mtu);
    for (size_t i = 0; i < 4; i++) {
        m[n++] = RDMA_JSON_MEMBER_STRING(
            ip_names[i], rdma_ip_to_string(ips[i], text->ips[i]));
    }
    for (size_t i = 0; i < 4; i++) {
        m[n++] = RDMA_JSON_MEMBER_STRING(
            mac_names[i], rdma_mac_to_string(macs[i], text->macs[i]));
    }
    if (has_options(t)) {
        /* Tunnel options, only when not the defaults: "options" is the
         * same text as ovl_tuple_format() appends, without the leading
         * space. */
        format_options(t, &text->options);
        m[n++] = RDMA_JSON_MEMBER_STRING("options",
                                         ds_cstr(&text->options) + 1);
    }
    ovs_assert(n <= TUPLE_MAX_MEMBERS);
    return n;
}

/* Adds the members of 'tuple' to JSON object 'object': strings for the
 * type, addresses and MACs, integers for the rest.  The names are those of
 * ovl_tuple_format(). */
void
ovl_tuple_to_json(const struct ovl_tuple *t, struct json *object)
{
    struct tuple_text text = { .options = DS_EMPTY_INITIALIZER };
    struct rdma_json_member m[TUPLE_MAX_MEMBERS];
    size_t n = tuple_members(t, m, &text);

    for (size_t i = 0; i < n; i++) {
        json_object_put(object, m[i].name, rdma_json_member_to_json(&m[i]));
    }
    ds_destroy(&text.options);
}

/* Appends the members of ovl_tuple_to_json()'s form of 't' to the JSON
 * object being written into 'ds' (see rdma-json-text.h), as text. */
void
ovl_tuple_put_json(const struct ovl_tuple *t, struct ds *ds)
{
    struct tuple_text text = { .options = DS_EMPTY_INITIALIZER };
    struct rdma_json_member m[TUPLE_MAX_MEMBERS];
    size_t n = tuple_members(t, m, &text);

    for (size_t i = 0; i < n; i++) {
        rdma_json_put_member(ds, &m[i]);
    }
    ds_destroy(&text.options);
}

/* Returns the outer UDP source port for a connection with tuple 't' (whose
 * 'udp_src' is ignored) and local QP number 'qpn': a hash of the inner
 * flow and the QPN, folded into OVL_UDP_SRC_MIN..OVL_UDP_SRC_MAX, so that
 * ECMP in the underlay spreads connections while each one keeps its order.
 * It depends only on tenant-side values, so it does not change when the
 * underlay does. */
uint16_t
ovl_udp_src_port(const struct ovl_tuple *t, uint32_t qpn)
{
    uint32_t h;

    h = hash_bytes(&t->inner_src_ip, sizeof t->inner_src_ip, qpn);
    h = hash_bytes(&t->inner_dst_ip, sizeof t->inner_dst_ip, h);
    h = hash_uint64_basis(t->vni, h);
    return OVL_UDP_SRC_MIN + h % (OVL_UDP_SRC_MAX - OVL_UDP_SRC_MIN + 1);
}

/* Returns a 64-bit hash of every field of 't', for detecting whether a
 * tuple changed without keeping a copy of it.  Padding bytes do not
 * matter. */
uint64_t
ovl_tuple_hash64(const struct ovl_tuple *t)
{
    struct {
        uint32_t type, vni;
        uint16_t udp_src, udp_dst, vlan, underlay_mtu, path_mtu, pad;
        struct in6_addr ips[4];
        struct eth_addr macs[4];
    } canon;

    memset(&canon, 0, sizeof canon);
    canon.type = t->type;
    canon.vni = t->vni;
    canon.udp_src = t->udp_src;
    canon.udp_dst = t->udp_dst;
    canon.vlan = t->vlan;
    canon.underlay_mtu = t->underlay_mtu;
    canon.path_mtu = t->path_mtu;
    canon.ips[0] = t->local_ip;
    canon.ips[1] = t->remote_ip;
    canon.ips[2] = t->inner_src_ip;
    canon.ips[3] = t->inner_dst_ip;
    canon.macs[0] = t->local_mac;
    canon.macs[1] = t->nexthop_mac;
    canon.macs[2] = t->inner_src_mac;
    canon.macs[3] = t->inner_dst_mac;
    ovs_u128 h;

    hash_bytes128(&canon, sizeof canon, 0, &h);
    if (has_options(t)) {
        /* Only then, so that hashes of tuples without options (such as
         * those saved before options existed) stay the same. */
        struct ds ds = DS_EMPTY_INITIALIZER;

        format_options(t, &ds);
        hash_bytes128(ds.string, ds.length, h.u64.lo, &h);
        ds_destroy(&ds);
    }
    return h.u64.lo;
}
