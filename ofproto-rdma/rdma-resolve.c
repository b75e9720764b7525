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
#include "rdma-resolve.h"

#include <errno.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "ovl-header.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-mapping.h"
#include "rdma-mtu.h"
#include "rdma-nic.h"
#include "rdma-underlay.h"
#include "sset.h"
#include "util.h"

/* Largest number of patch-port hops followed through MAC-learning tables. */
#define MAX_FDB_HOPS 8

/* Returns true if tunnel 't' may carry traffic of vport 'vp': it is on a
 * bridge joined to the vport's by patch ports and, if the vport is pinned
 * to a VNI, has that VNI. */
static bool
is_candidate(const struct rdma_map_vport *vp, const struct rdma_map_tunnel *t)
{
    return (vp->bridge && t->bridge && vp->bridge->group == t->bridge->group
            && (!vp->has_vni || (!t->error && t->vni == vp->vni)));
}

/* Follows the MAC-learning tables from the vport's bridge for 'mac' and
 * returns the tunnel the MAC was learned on, if it is one of the
 * candidates, else NULL. */
static const struct rdma_map_tunnel *
select_by_fdb(const struct rdma_mapping *m, const struct rdma_map_vport *vp,
              struct eth_addr mac)
{
    const struct rdma_map_bridge *br = vp->bridge;
    int hop;

    for (hop = 0; br && hop < MAX_FDB_HOPS; hop++) {
        const struct rdma_map_iface *ifc, *peer;
        const struct rdma_map_tunnel *t;
        int64_t ofport;

        if (rdma_underlay_fdb_lookup(br->name, mac, &ofport)) {
            return NULL;
        }
        ifc = rdma_mapping_find_iface_by_ofport(m, br, ofport);
        if (!ifc) {
            return NULL;
        }
        t = rdma_mapping_find_tunnel(m, ifc->name);
        if (t) {
            return is_candidate(vp, t) ? t : NULL;
        }
        /* Learned on a patch port: continue on the peer bridge. */
        peer = NULL;
        if (ifc->peer) {
            peer = rdma_mapping_find_iface(m, ifc->peer);
        }
        br = peer ? peer->bridge : NULL;
    }
    return NULL;
}

/* Returns the message that says why no tunnel carries traffic from vport
 * 'vp' to 'dst_ip' (with MAC 'dst_mac', if nonnull), among its
 * 'n_candidates' candidate tunnels (caller frees). */
static char *
no_tunnel_error(const struct rdma_mapping *m,
                const struct rdma_map_vport *vp,
                const struct in6_addr *dst_ip,
                const struct eth_addr *dst_mac, size_t n_candidates)
{
    struct sset names = SSET_INITIALIZER(&names);
    struct ds ds = DS_EMPTY_INITIALIZER;
    char dst_s[INET6_ADDRSTRLEN];
    const struct rdma_map_tunnel *t;
    const char **sorted;
    char *error;
    size_t i;

    rdma_ip_to_string(dst_ip, dst_s);
    if (!n_candidates) {
        return xasprintf("no tunnel for destination %s: no vxlan or geneve "
                         "tunnel on the bridges of %s%s", dst_s, vp->name,
                         vp->has_vni ? " with its rdma-vni" : "");
    }
    HMAP_FOR_EACH (t, node, &m->tunnels) {
        if (is_candidate(vp, t)) {
            sset_add(&names, t->name);
        }
    }
    sorted = sset_sort(&names);
    for (i = 0; i < sset_count(&names); i++) {
        ds_put_format(&ds, "%s%s", i ? ", " : "", sorted[i]);
    }
    error = xasprintf("no tunnel for destination %s: none of the candidate "
                      "tunnels (%s) lists it in other_config:rdma-peers%s",
                      dst_s, ds_cstr(&ds),
                      dst_mac ? " or has learned its MAC"
                      : " (give dst_mac= to use MAC learning)");
    free(sorted);
    ds_destroy(&ds);
    sset_destroy(&names);
    return error;
}

/* Chooses the tunnel that carries traffic from vport 'vp' to inner
 * destination 'dst_ip' (with MAC 'dst_mac', if nonnull): among the
 * candidate tunnels, the longest prefix of other_config:rdma-peers that
 * holds 'dst_ip'; else the tunnel the bridge learned 'dst_mac' on; else
 * the only candidate.  Returns the tunnel and stores how it was chosen in
 * '*choicep', or returns NULL with a message in '*errorp' (caller frees). */
const struct rdma_map_tunnel *
rdma_resolve_tunnel(const struct rdma_mapping *m,
                    const struct rdma_map_vport *vp,
                    const struct in6_addr *dst_ip,
                    const struct eth_addr *dst_mac,
                    enum rdma_tunnel_choice *choicep, char **errorp)
{
    const struct rdma_map_tunnel *t, *best = NULL, *only = NULL;
    unsigned int best_plen = 0;
    size_t n_candidates = 0;

    HMAP_FOR_EACH (t, node, &m->tunnels) {
        size_t i;

        if (!is_candidate(vp, t)) {
            continue;
        }
        n_candidates++;
        only = t;
        for (i = 0; i < t->n_peers; i++) {
            const struct rdma_map_prefix *p = &t->peers[i];

            if ((!best || p->plen > best_plen
                 || (p->plen == best_plen
                     && strcmp(t->name, best->name) < 0))
                && rdma_ip_in_prefix(dst_ip, &p->ip, p->plen)) {
                best = t;
                best_plen = p->plen;
            }
        }
    }

    *choicep = RDMA_CHOICE_PEERS;
    if (!best && dst_mac && n_candidates) {
        best = select_by_fdb(m, vp, *dst_mac);
        *choicep = RDMA_CHOICE_FDB;
    }
    if (!best && n_candidates == 1) {
        best = only;
        *choicep = RDMA_CHOICE_ONLY;
    }

    if (!best) {
        *errorp = no_tunnel_error(m, vp, dst_ip, dst_mac, n_candidates);
    } else if (best->error) {
        *errorp = xasprintf("tunnel %s cannot carry RDMA: %s", best->name,
                            best->error);
        best = NULL;
    }
    return best;
}

/* Checks that the NIC with 'caps' can encapsulate for tunnel 't' ('v6' if
 * its remote_ip, 'remote_s', is IPv6).  Returns NULL or the reason why not
 * (caller frees). */
static char *
check_encap_caps(const struct rdma_map_tunnel *t,
                 const struct rdma_nic_caps *caps, bool v6,
                 const char *remote_s)
{
    if (t->type == OVL_GENEVE && !caps->geneve) {
        return xasprintf("the NIC cannot encapsulate in geneve (tunnel %s)",
                         t->name);
    }
    if (t->type == OVL_VXLAN && !caps->vxlan) {
        return xasprintf("the NIC cannot encapsulate in vxlan (tunnel %s)",
                         t->name);
    }
    if (v6 && !caps->ipv6) {
        return xasprintf("the NIC does not support IPv6 underlays (tunnel "
                         "%s remote_ip %s)", t->name, remote_s);
    }
    return NULL;
}

/* Adds to '*base' the underlay fields of path 'up', resolved for tunnel
 * 't' ('v6' if its remote_ip, 'remote_s', is IPv6), and the RoCE path
 * MTU, and checks them against 'caps'.  Returns RDMA_RESOLVE_OK, or
 * another status with a reason in '*reasonp' (caller frees). */
static enum rdma_resolve_status
apply_underlay(const struct rdma_map_tunnel *t,
               const struct rdma_nic_caps *caps,
               const struct rdma_underlay_path *up, bool v6,
               const char *remote_s, struct ovl_tuple *base, char **reasonp)
{
    int overhead;

    if (rdma_ip_is_v4(&up->local_ip) != !v6) {
        *reasonp = xasprintf("tunnel %s: local VTEP address and remote_ip "
                             "%s are of different IP versions", t->name,
                             remote_s);
        return RDMA_RESOLVE_FAILED;
    }
    base->local_ip = up->local_ip;
    base->local_mac = up->local_mac;
    base->nexthop_mac = up->nexthop_mac;
    base->vlan = up->vlan;
    base->underlay_mtu = up->mtu;

    if (up->vlan && !caps->vlan) {
        *reasonp = xasprintf("the NIC does not support a VLAN-tagged "
                             "underlay (VLAN %d on %s)", up->vlan, up->dev);
        return RDMA_RESOLVE_FAILED;
    }
    if (up->mtu <= 0) {
        /* ovs-vswitchd has not reported the device's MTU (yet). */
        *reasonp = xasprintf("the MTU of egress device %s is not known yet",
                             up->dev);
        return RDMA_RESOLVE_PENDING;
    }
    overhead = ovl_overhead(t->type, v6, base->geneve_opts_len, false);
    base->path_mtu = rdma_roce_path_mtu(up->mtu, overhead);
    if (!base->path_mtu) {
        *reasonp = xasprintf("underlay MTU %d of %s is too small for RoCE "
                             "over %s: at least %d is needed", up->mtu,
                             up->dev, ovl_type_to_string(t->type),
                             rdma_min_underlay_mtu(overhead));
        return RDMA_RESOLVE_FAILED;
    }
    if (!up->nexthop_mac_known && !caps->resolves_neighbour) {
        char nh_s[INET6_ADDRSTRLEN];

        *reasonp = xasprintf("next hop %s on %s has no neighbour entry yet",
                             rdma_ip_to_string(&up->nexthop_ip, nh_s),
                             up->dev);
        return RDMA_RESOLVE_PENDING;
    }
    return RDMA_RESOLVE_OK;
}

/* Computes into '*base' the fields that all connections through tunnel 't'
 * share, and checks them against 'caps'.  Returns RDMA_RESOLVE_OK, or
 * another status with a reason in '*reasonp' (caller frees); '*base' is
 * filled as far as it could be. */
enum rdma_resolve_status
rdma_resolve_path(const struct rdma_mapping *m,
                  const struct rdma_map_tunnel *t,
                  const struct rdma_nic_caps *caps,
                  struct ovl_tuple *base, char **reasonp)
{
    struct rdma_underlay_path up;
    char remote_s[INET6_ADDRSTRLEN];
    bool v6;
    int error;

    memset(base, 0, sizeof *base);
    *reasonp = NULL;
    if (t->error) {
        *reasonp = xasprintf("tunnel %s cannot carry RDMA: %s", t->name,
                             t->error);
        return RDMA_RESOLVE_FAILED;
    }
    base->type = t->type;
    base->vni = t->vni;
    base->udp_dst = t->dst_port;
    base->remote_ip = t->remote_ip;
    if (t->opts) {
        ovl_tuple_copy_options(base, t->opts);
    }
    v6 = !rdma_ip_is_v4(&t->remote_ip);
    rdma_ip_to_string(&t->remote_ip, remote_s);

    *reasonp = check_encap_caps(t, caps, v6, remote_s);
    if (*reasonp) {
        return RDMA_RESOLVE_FAILED;
    }
    error = rdma_underlay_resolve(m, t, &up, reasonp);
    if (error) {
        return (error == ECONNREFUSED || error == ENOENT || error == EPIPE
                || error == ESRCH
                ? RDMA_RESOLVE_UNREACHABLE : RDMA_RESOLVE_PENDING);
    }
    return apply_underlay(t, caps, &up, v6, remote_s, base, reasonp);
}

/* Returns how 'choice' chose a tunnel, in words. */
static const char *
choice_name(enum rdma_tunnel_choice choice)
{
    return (choice == RDMA_CHOICE_PEERS ? "rdma-peers"
            : choice == RDMA_CHOICE_FDB ? "MAC learning"
            : choice == RDMA_CHOICE_PIPELINE ? "the OpenFlow pipeline"
            : "being the only candidate");
}

/* Appends 'r' to 'out' as text: the tunnel and state on one line, the tuple
 * on the next and, once the underlay is known, the outer header the NIC
 * will push, in ofproto/trace's notation. */
void
rdma_resolution_format(const struct rdma_resolution *r, struct ds *out)
{
    ds_put_format(out, "tunnel=%s (chosen by %s) state=", r->tunnel,
                  choice_name(r->choice));
    if (r->pending) {
        ds_put_format(out, "\"pending: %s\"", r->pending);
    } else {
        ds_put_cstr(out, "ready");
    }
    ds_put_char(out, '\n');
    ovl_tuple_format(&r->tuple, out);
    ds_put_char(out, '\n');
    if (r->underlay_known) {
        uint8_t hdr[OVL_HEADER_MAX];
        size_t hdr_len = ovl_header_build(&r->tuple, hdr);

        ds_put_cstr(out, "odp: ");
        ovl_header_format_odp(hdr, hdr_len, out);
        ds_put_char(out, '\n');
    }
}

/* Returns 'r' as a JSON object: "tunnel" and "chosen_by" (strings),
 * "state" ("ready" or "pending"), "reason" (string, only when pending) and
 * the tuple's members (see ovl_tuple_to_json()).  The caller owns it. */
struct json *
rdma_resolution_to_json(const struct rdma_resolution *r)
{
    struct json *o = json_object_create();

    json_object_put_string(o, "tunnel", r->tunnel);
    json_object_put_string(o, "chosen_by", choice_name(r->choice));
    json_object_put_string(o, "state", r->pending ? "pending" : "ready");
    if (r->pending) {
        json_object_put_string(o, "reason", r->pending);
    }
    ovl_tuple_to_json(&r->tuple, o);
    return o;
}

/* Frees what 'r' holds. */
void
rdma_resolution_destroy(struct rdma_resolution *r)
{
    free(r->tunnel);
    free(r->pending);
}
