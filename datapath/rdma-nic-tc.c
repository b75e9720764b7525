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

/* The "tc" NIC provider: each connection's encapsulation and receive check
 * as Linux tc flower rules, the rules a ConnectX NIC in switchdev mode
 * offloads into its eswitch (DESIGN.md section 6; Documentation/
 * tc-provider.rst).
 *
 * --provider=tc[:offload=auto|hw|sw,prio=N,max_entries=N]
 *
 * Per connection, in chain 0 at clsact ingress, priority 'prio' + slot:
 *
 *   - on the vport's netdev (the OVS Interface: a VF representor), the
 *     egress rule: flower ip udp dst_port 4791 with the inner MACs and IPs,
 *     then "tunnel_key set" (VTEPs, VNI, dst_port and the tunnel's tos,
 *     ttl, csum and Geneve options) and "mirred egress redirect" to OVS's
 *     kernel tunnel device (vxlan_sys_PORT or genev_sys_PORT);
 *
 *   - on that tunnel device, the receive rule: enc_key_id (the receive
 *     VNI: options:in_key if the tunnel has one), enc_src_ip,
 *     enc_dst_ip, enc_dst_port and the inner tuple, then "tunnel_key unset"
 *     and "mirred egress redirect" to the vport's netdev.
 *
 * Flower cannot see the BTH, so a rule matches every connection between
 * the same two tenant endpoints (vport, peer): QP1's CM traffic included.
 * Each connection still has rules of its own, at its own priority, so the
 * kernel holds a full record of every connection; of identical rules the
 * one with the lowest priority carries the traffic and the others wait as
 * its replacements.
 *
 * Per (tunnel device, vport MAC and IP), at priority 'prio' + max_entries:
 * a rule that drops, and counts, RoCE to the vport from any VNI or VTEP
 * that no receive rule accepted.
 *
 * The egress rule's action cookie holds the cm_id and the generation, the
 * receive rule's the cm_id and both QPNs, so that 'dump' rebuilds every
 * entry from the kernel alone.  Rules are created and read with Open
 * vSwitch's lib/tc.c, the code OVS's own hw-offload uses toward mlx5. */

#include <config.h>

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "byte-order.h"
#include "hash.h"
#include "netlink-notifier.h"
#include "netlink-socket.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-nic-provider.h"
#include "rtnetlink.h"
#include "smap.h"
#include "tc.h"
#include "unaligned.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_nic_tc);

/* Default first priority of the provider's band: after the small
 * priorities OVS's own hw-offload allocates from 1 upward. */
#define TC_DEFAULT_PRIO 0xc000

/* Default number of connection slots. */
#define TC_DEFAULT_MAX 1024

/* Length of every action cookie the provider writes. */
#define TC_COOKIE_LEN 16

/* Cookie of the drop rules. */
static const uint8_t drop_cookie[TC_COOKIE_LEN] = "ovs-rdmad-drop!";

/* How rules are offered to the hardware. */
enum tc_offload {
    TC_OFFLOAD_AUTO,            /* Hardware if it takes them, else sw. */
    TC_OFFLOAD_HW,              /* Hardware only (skip_sw). */
    TC_OFFLOAD_SW,              /* Software only (skip_hw). */
};

/* One rule the provider created. */
struct tc_rule {
    int ifindex;                /* Device, 0 if the rule is not in place. */
    uint16_t prio;              /* Priority. */
    uint32_t handle;            /* Handle. */
};

/* One installed connection. */
struct tc_conn {
    struct hmap_node node;      /* In tc_nic's 'conns', by cm_id. */
    struct rdma_nic_entry e;    /* The entry. */
    uint16_t slot;              /* Priority 'prio_base' + slot. */
    char tun_dev[IFNAMSIZ];     /* OVS's kernel tunnel device. */
    struct tc_rule egress;      /* On the vport's netdev. */
    struct tc_rule decap;       /* On the tunnel device. */
    bool lost;                  /* The tunnel device went away. */
};

/* One drop rule, shared by the connections of one vport through one
 * tunnel device. */
struct tc_drop {
    struct hmap_node node;      /* In tc_nic's 'drops'. */
    struct tc_rule rule;        /* Where it is. */
    struct eth_addr mac;        /* Vport's MAC. */
    ovs_be32 ip;                /* Vport's IP. */
};

/* A tc NIC. */
struct tc_nic {
    struct rdma_nic up;         /* Base. */
    enum tc_offload offload;    /* offload=. */
    uint16_t prio_base;         /* prio=. */
    uint32_t max_entries;       /* max_entries=. */
    struct hmap conns;          /* "struct tc_conn"s, by cm_id. */
    unsigned long *slots;       /* Slots in use. */
    struct hmap drops;          /* "struct tc_drop"s. */
    struct nln_notifier *links; /* Link change notifier. */
    bool links_changed;         /* A link came or went since last run. */
    struct nln *tc_nln;         /* tc change notifications... */
    struct nln_notifier *tc_notifier; /* ...and their notifier. */
    int tc_msg_type;            /* Type of the last tc message. */
    bool tc_deleted;            /* A filter or qdisc was deleted since the
                                 * last run: check the provider's. */
    char *fallback;             /* offload=auto: why rules run in sw. */
    uint64_t n_ops;             /* Rules added, replaced or deleted. */
    uint64_t n_adopted;         /* Entries adopted by 'dump'. */
    uint64_t n_reinstalls;      /* Connections reinstalled after their
                                 * tunnel device was recreated. */
};

/* The most recently opened tc NIC, for "rdma-tc/stats". */
static struct tc_nic *tc_current;

static void tc_unixctl_register(void);

/* Returns the tc NIC that 'nic' is. */
static struct tc_nic *
tc_nic_cast(const struct rdma_nic *nic)
{
    return CONTAINER_OF(nic, struct tc_nic, up);
}

/* Returns the priority of the drop rules. */
static uint16_t
tc_drop_prio(const struct tc_nic *tc)
{
    return tc->prio_base + tc->max_entries;
}

/* Returns the priority of the probe rule 'open' writes. */
static uint16_t
tc_probe_prio(const struct tc_nic *tc)
{
    return tc->prio_base + tc->max_entries + 1;
}

/* Returns the name of OVS's kernel tunnel device for 'type' and 'port'
 * into 'name'. */
static void
tc_tunnel_dev(enum ovl_type type, uint16_t port, char name[IFNAMSIZ])
{
    snprintf(name, IFNAMSIZ, "%s_sys_%"PRIu16,
             type == OVL_VXLAN ? "vxlan" : "genev", port);
}

/* Returns the tc_flower policy for 'tc'. */
static enum tc_offload_policy
tc_policy_of(const struct tc_nic *tc)
{
    return (tc->offload == TC_OFFLOAD_HW ? TC_POLICY_SKIP_SW
            : tc->offload == TC_OFFLOAD_SW ? TC_POLICY_SKIP_HW
            : TC_POLICY_NONE);
}

/* Returns the tcf_id of 'rule'. */
static struct tcf_id
tc_rule_id(const struct tc_rule *rule)
{
    struct tcf_id id = tc_make_tcf_id(rule->ifindex, 0, rule->prio,
                                      TC_INGRESS);
    id.handle = rule->handle;
    return id;
}

/* Makes sure 'ifindex' has a clsact qdisc (one that OVS or an operator
 * made is used as it is; none is ever deleted). */
static void
tc_ensure_qdisc(int ifindex)
{
    /* TC_EGRESS makes tc_add_del_qdisc() create "clsact", whose ingress
     * hook is where the rules go. */
    int error = tc_add_del_qdisc(ifindex, true, 0, TC_EGRESS);

    if (error && error != EEXIST) {
        VLOG_DBG("ifindex %d: clsact: %s (trying the rule anyway)", ifindex,
                 ovs_strerror(error));
    }
}

/* Adds or replaces 'flower' as 'rule' (whose 'handle' may be 0 for the
 * kernel to choose one, stored back). */
static int
tc_put(struct tc_nic *tc, struct tc_rule *rule, struct tc_flower *flower)
{
    struct tcf_id id = tc_rule_id(rule);
    int error;

    flower->tc_policy = tc_policy_of(tc);
    tc->n_ops++;
    error = tc_replace_flower(&id, flower);
    if (!error) {
        rule->handle = id.handle;
    }
    return error;
}

/* Deletes 'rule', if in place. */
static void
tc_del(struct tc_nic *tc, struct tc_rule *rule)
{
    if (rule->ifindex) {
        struct tcf_id id = tc_rule_id(rule);
        int error;

        tc->n_ops++;
        error = tc_del_flower_filter(&id);
        if (error && error != ENOENT && error != ENODEV && error != EINVAL) {
            VLOG_WARN("deleting tc rule prio %"PRIu16" handle %#"PRIx32" on "
                      "ifindex %d failed: %s", rule->prio, rule->handle,
                      rule->ifindex, ovs_strerror(error));
        }
        rule->ifindex = 0;
    }
}

/* Puts big-endian 'value' into 'p'. */
static void
put_be64(uint8_t *p, uint64_t value)
{
    ovs_be64 be = htonll(value);
    memcpy(p, &be, sizeof be);
}

/* Returns the big-endian value at 'p'. */
static uint64_t
get_be64(const uint8_t *p)
{
    ovs_be64 be;
    memcpy(&be, p, sizeof be);
    return ntohll(be);
}

/* Fills in the match common to the provider's rules: IPv4, UDP to the
 * RoCEv2 port, to 'dst_mac' and 'dst_ip' and, if 'src_ip' is nonnull, from
 * 'src_mac' and '*src_ip' (IPv4-mapped addresses). */
static void
tc_match_roce(struct tc_flower *f, struct eth_addr src_mac,
              const struct in6_addr *src_ip, struct eth_addr dst_mac,
              const struct in6_addr *dst_ip)
{
    f->key.eth_type = htons(ETH_TYPE_IP);
    f->mask.eth_type = OVS_BE16_MAX;
    f->key.ip_proto = IPPROTO_UDP;
    f->mask.ip_proto = UINT8_MAX;
    f->key.udp_dst = htons(ROCE_V2_PORT);
    f->mask.udp_dst = OVS_BE16_MAX;
    f->key.dst_mac = dst_mac;
    f->mask.dst_mac = eth_addr_exact;
    f->key.ipv4.ipv4_dst = in6_addr_get_mapped_ipv4(dst_ip);
    f->mask.ipv4.ipv4_dst = OVS_BE32_MAX;
    if (src_ip) {
        f->key.src_mac = src_mac;
        f->mask.src_mac = eth_addr_exact;
        f->key.ipv4.ipv4_src = in6_addr_get_mapped_ipv4(src_ip);
        f->mask.ipv4.ipv4_src = OVS_BE32_MAX;
    }
}

/* Returns the VNI of the frames that 't''s connection receives. */
static uint32_t
tc_rx_vni(const struct ovl_tuple *t)
{
    return t->rx_vni_set ? t->rx_vni : t->vni;
}

/* Fills in 'a' as the "tunnel_key set" of tuple 't': VTEPs, VNI, UDP
 * destination port and the tunnel's options, as OVS's netdev-offload-tc
 * turns set(tunnel(...)) into this action: TOS (the kernel adds the inner
 * packet's ECN, as OVS does), TTL (OVS's default 64 unless options:ttl),
 * the outer UDP checksum (options:csum) and the Geneve options.  DF cannot
 * be expressed (see tc-provider.rst); tc_check_entry() refuses inherited
 * TOS or TTL. */
static void
tc_put_encap(const struct ovl_tuple *t, struct tc_action *a)
{
    a->type = TC_ACT_ENCAP;
    a->encap.id_present = true;
    a->encap.id = htonll(t->vni);
    a->encap.ipv4.ipv4_src = in6_addr_get_mapped_ipv4(&t->local_ip);
    a->encap.ipv4.ipv4_dst = in6_addr_get_mapped_ipv4(&t->remote_ip);
    a->encap.tp_dst = htons(t->udp_dst);
    a->encap.tos = t->tos & ~IP_ECN_MASK;
    a->encap.ttl = t->ttl ? t->ttl : OVL_TTL_DEFAULT;
    a->encap.no_csum = !t->csum;
    if (t->geneve_opts_len) {
        a->encap.data.present.len = t->geneve_opts_len;
        memcpy(a->encap.data.opts.u8, t->geneve_opts, t->geneve_opts_len);
    }
}

/* Stores into 't' the overlay fields and options of "tunnel_key set" 'a':
 * the inverse of tc_put_encap(), for 'dump'. */
static void
tc_get_encap(const struct tc_action *a, struct ovl_tuple *t)
{
    t->vni = ntohll(a->encap.id);
    t->udp_dst = ntohs(a->encap.tp_dst);
    in6_addr_set_mapped_ipv4(&t->local_ip, a->encap.ipv4.ipv4_src);
    in6_addr_set_mapped_ipv4(&t->remote_ip, a->encap.ipv4.ipv4_dst);
    t->tos = a->encap.tos;
    t->ttl = a->encap.ttl == OVL_TTL_DEFAULT ? 0 : a->encap.ttl;
    t->csum = !a->encap.no_csum;
    t->geneve_opts_len = MIN(a->encap.data.present.len, OVL_GENEVE_OPTS_MAX);
    memcpy(t->geneve_opts, a->encap.data.opts.u8, t->geneve_opts_len);
}

/* Builds in 'f' the egress rule of entry 'e' through tunnel device
 * 'tun_ifindex', with 'cookie' as its storage. */
static void
tc_build_egress(const struct rdma_nic_entry *e, int tun_ifindex,
                uint8_t cookie[TC_COOKIE_LEN], struct tc_flower *f)
{
    const struct ovl_tuple *t = &e->tuple;
    struct tc_action *a;

    memset(f, 0, sizeof *f);
    tc_match_roce(f, t->inner_src_mac, &t->inner_src_ip, t->inner_dst_mac,
                  &t->inner_dst_ip);

    tc_put_encap(t, &f->actions[f->action_count++]);

    a = &f->actions[f->action_count++];
    a->type = TC_ACT_OUTPUT;
    a->out.ifindex_out = tun_ifindex;

    put_be64(cookie, e->cm_id);
    put_be64(cookie + 8, e->generation);
    f->act_cookie.data = cookie;
    f->act_cookie.len = TC_COOKIE_LEN;
}

/* Builds in 'f' the receive rule of entry 'e' toward vport 'vport_ifindex',
 * with 'cookie' as its storage. */
static void
tc_build_decap(const struct rdma_nic_entry *e, int vport_ifindex,
               uint8_t cookie[TC_COOKIE_LEN], struct tc_flower *f)
{
    const struct ovl_tuple *t = &e->tuple;
    ovs_be32 qpns[2];
    struct tc_action *a;

    memset(f, 0, sizeof *f);
    tc_match_roce(f, t->inner_dst_mac, &t->inner_dst_ip, t->inner_src_mac,
                  &t->inner_src_ip);

    f->tunnel = true;
    f->key.tunnel.id = htonll(tc_rx_vni(t));
    f->mask.tunnel.id = OVS_BE64_MAX;
    f->key.tunnel.ipv4.ipv4_src = in6_addr_get_mapped_ipv4(&t->remote_ip);
    f->mask.tunnel.ipv4.ipv4_src = OVS_BE32_MAX;
    f->key.tunnel.ipv4.ipv4_dst = in6_addr_get_mapped_ipv4(&t->local_ip);
    f->mask.tunnel.ipv4.ipv4_dst = OVS_BE32_MAX;
    f->key.tunnel.tp_dst = htons(t->udp_dst);
    f->mask.tunnel.tp_dst = OVS_BE16_MAX;

    /* lib/tc.c puts "tunnel_key unset" before the output by itself. */
    a = &f->actions[f->action_count++];
    a->type = TC_ACT_OUTPUT;
    a->out.ifindex_out = vport_ifindex;

    put_be64(cookie, e->cm_id);
    qpns[0] = htonl(e->qpn);
    qpns[1] = htonl(e->remote_qpn);
    memcpy(cookie + 8, qpns, sizeof qpns);
    f->act_cookie.data = cookie;
    f->act_cookie.len = TC_COOKIE_LEN;
}

/* Builds in 'f' the drop rule for RoCE to 'mac' and 'ip'. */
static void
tc_build_drop(struct eth_addr mac, ovs_be32 ip, struct tc_flower *f)
{
    struct in6_addr ip6;

    memset(f, 0, sizeof *f);
    in6_addr_set_mapped_ipv4(&ip6, ip);
    tc_match_roce(f, eth_addr_zero, NULL, mac, &ip6);
    f->act_cookie.data = drop_cookie;
    f->act_cookie.len = TC_COOKIE_LEN;
}

/* Returns the drop rule for 'mac'/'ip' on 'ifindex', or NULL. */
static struct tc_drop *
tc_find_drop(const struct tc_nic *tc, int ifindex, struct eth_addr mac,
             ovs_be32 ip)
{
    struct tc_drop *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash_2words(ifindex, (OVS_FORCE
                                                             uint32_t) ip),
                             &tc->drops) {
        if (d->rule.ifindex == ifindex && d->ip == ip
            && eth_addr_equals(d->mac, mac)) {
            return d;
        }
    }
    return NULL;
}

/* Makes sure the drop rule for the vport of 'e' exists on 'ifindex'. */
static int
tc_get_drop(struct tc_nic *tc, const struct rdma_nic_entry *e, int ifindex)
{
    struct eth_addr mac = e->tuple.inner_src_mac;
    ovs_be32 ip = in6_addr_get_mapped_ipv4(&e->tuple.inner_src_ip);
    struct tc_flower f;
    struct tc_drop *d;
    int error;

    if (tc_find_drop(tc, ifindex, mac, ip)) {
        return 0;
    }
    d = xzalloc(sizeof *d);
    d->rule.ifindex = ifindex;
    d->rule.prio = tc_drop_prio(tc);
    d->mac = mac;
    d->ip = ip;
    tc_build_drop(mac, ip, &f);
    error = tc_put(tc, &d->rule, &f);
    if (error) {
        free(d);
        return error;
    }
    hmap_insert(&tc->drops, &d->node,
                hash_2words(ifindex, (OVS_FORCE uint32_t) ip));
    return 0;
}

/* Deletes every drop rule that no connection needs any more. */
static void
tc_gc_drops(struct tc_nic *tc)
{
    struct tc_drop *d;

    HMAP_FOR_EACH_SAFE (d, node, &tc->drops) {
        const struct tc_conn *c;
        bool used = false;

        HMAP_FOR_EACH (c, node, &tc->conns) {
            if (c->decap.ifindex == d->rule.ifindex
                && eth_addr_equals(c->e.tuple.inner_src_mac, d->mac)
                && in6_addr_get_mapped_ipv4(&c->e.tuple.inner_src_ip)
                   == d->ip) {
                used = true;
                break;
            }
        }
        if (!used) {
            tc_del(tc, &d->rule);
            hmap_remove(&tc->drops, &d->node);
            free(d);
        }
    }
}

/* Returns the connection 'cm_id', or NULL. */
static struct tc_conn *
tc_find_conn(const struct tc_nic *tc, uint64_t cm_id)
{
    struct tc_conn *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, hash_uint64(cm_id), &tc->conns) {
        if (c->e.cm_id == cm_id) {
            return c;
        }
    }
    return NULL;
}

/* Checks that 'e' is something flower rules can carry and finds its
 * devices: stores the vport's and tunnel device's ifindexes and the
 * tunnel device's name. */
static int
tc_check_entry(const struct rdma_nic_entry *e, int *vport_ifindex,
               int *tun_ifindex, char tun_dev[IFNAMSIZ])
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const struct ovl_tuple *t = &e->tuple;

    if (!rdma_ip_is_v4(&t->local_ip) || !rdma_ip_is_v4(&t->remote_ip)
        || !rdma_ip_is_v4(&t->inner_src_ip)
        || !rdma_ip_is_v4(&t->inner_dst_ip)) {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": the tc provider carries IPv4 "
                     "only (inner and outer)", e->cm_id);
        return EOPNOTSUPP;
    }
    if (t->tos_inherit || t->ttl_inherit) {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": the tunnel's options:%s=inherit "
                     "cannot be carried by a tc rule (tunnel_key sets one "
                     "value per rule, not the packet's own): set a fixed "
                     "value on the tunnel", e->cm_id,
                     t->tos_inherit ? "tos" : "ttl");
        return EOPNOTSUPP;
    }
    if (!e->vport[0]) {
        return EINVAL;
    }
    *vport_ifindex = if_nametoindex(e->vport);
    if (!*vport_ifindex) {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": vport %s has no Linux netdev "
                     "(the tc provider puts its rules on the vport's "
                     "netdev, e.g. the VF representor): check that the "
                     "OVS Interface is a kernel device", e->cm_id, e->vport);
        return ENODEV;
    }
    tc_tunnel_dev(t->type, t->udp_dst, tun_dev);
    *tun_ifindex = if_nametoindex(tun_dev);
    if (!*tun_ifindex) {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": OVS's kernel tunnel device %s "
                     "does not exist: the tunnel must be on a "
                     "datapath_type=system bridge", e->cm_id, tun_dev);
        return ENODEV;
    }
    return 0;
}

/* Logs why 'error' from putting a rule on 'dev' happened, for the
 * operator. */
static void
tc_log_put_error(const struct tc_nic *tc, const char *what, const char *dev,
                 uint64_t cm_id, int error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    if (tc->offload == TC_OFFLOAD_HW) {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": %s rule on %s refused with "
                     "offload=hw (%s): the device cannot offload it (is "
                     "hw-tc-offload on and the eswitch in switchdev "
                     "mode?); use offload=auto or offload=sw to run the "
                     "rules in the kernel", cm_id, what, dev,
                     ovs_strerror(error));
    } else {
        VLOG_WARN_RL(&rl, "cm_id %"PRIu64": %s rule on %s refused: %s",
                     cm_id, what, dev, ovs_strerror(error));
    }
}

/* Notes, with offload=auto, that the rule at 'rule' is not in hardware. */
static void
tc_note_in_hw(struct tc_nic *tc, const struct tc_rule *rule, const char *dev)
{
    struct tc_flower f;
    struct tcf_id id;

    if (tc->offload != TC_OFFLOAD_AUTO || tc->fallback) {
        return;
    }
    id = tc_rule_id(rule);
    if (!tc_get_flower(&id, &f)
        && f.offloaded_state != TC_OFFLOADED_STATE_IN_HW) {
        tc->fallback = xasprintf("%s did not take the rules into hardware: "
                                 "running them in the kernel (software)",
                                 dev);
        VLOG_INFO("offload=auto: %s", tc->fallback);
    }
}

/* Puts the rules of 'c' for entry 'e' in place: receive first, then the
 * drop rule, then egress, each one a replace of the rule at the same place
 * where there is one (make-before-break).  On failure, deletes what it
 * added and leaves 'c' as it was.  The caller deletes drop rules that are
 * no longer needed with tc_gc_drops(), once 'c' is in the table. */
static int
tc_conn_put(struct tc_nic *tc, struct tc_conn *c,
            const struct rdma_nic_entry *e)
{
    uint8_t eg_cookie[TC_COOKIE_LEN], de_cookie[TC_COOKIE_LEN];
    struct tc_rule egress = c->egress, decap = c->decap;
    char tun_dev[IFNAMSIZ];
    int vport_ifindex, tun_ifindex;
    struct tc_flower f;
    int error;

    error = tc_check_entry(e, &vport_ifindex, &tun_ifindex, tun_dev);
    if (error) {
        return error;
    }

    /* A rule that moves to another device is added there, and the old one
     * deleted after the new ones are in place. */
    if (decap.ifindex != tun_ifindex) {
        decap.ifindex = tun_ifindex;
        decap.prio = tc->prio_base + c->slot;
        decap.handle = 1;
        tc_ensure_qdisc(tun_ifindex);
    }
    if (egress.ifindex != vport_ifindex) {
        egress.ifindex = vport_ifindex;
        egress.prio = tc->prio_base + c->slot;
        egress.handle = 1;
        tc_ensure_qdisc(vport_ifindex);
    }

    tc_build_decap(e, vport_ifindex, de_cookie, &f);
    error = tc_put(tc, &decap, &f);
    if (error) {
        tc_log_put_error(tc, "receive", tun_dev, e->cm_id, error);
        goto undo_none;
    }
    error = tc_get_drop(tc, e, tun_ifindex);
    if (error) {
        tc_log_put_error(tc, "drop", tun_dev, e->cm_id, error);
        goto undo_decap;
    }
    tc_build_egress(e, tun_ifindex, eg_cookie, &f);
    error = tc_put(tc, &egress, &f);
    if (error) {
        tc_log_put_error(tc, "egress", e->vport, e->cm_id, error);
        goto undo_decap;
    }

    /* Break: the old rules, where they moved. */
    if (c->decap.ifindex && c->decap.ifindex != decap.ifindex) {
        tc_del(tc, &c->decap);
    }
    if (c->egress.ifindex && c->egress.ifindex != egress.ifindex) {
        tc_del(tc, &c->egress);
    }
    c->egress = egress;
    c->decap = decap;
    c->e = *e;
    c->lost = false;
    ovs_strlcpy(c->tun_dev, tun_dev, sizeof c->tun_dev);
    tc_note_in_hw(tc, &c->egress, e->vport);
    return 0;

undo_decap:
    if (decap.ifindex != c->decap.ifindex) {
        tc_del(tc, &decap);
    } else if (c->decap.ifindex) {
        /* Put the old receive rule back as it was. */
        tc_build_decap(&c->e, c->egress.ifindex, de_cookie, &f);
        tc_put(tc, &c->decap, &f);
    }
undo_none:
    return error;
}

/* Probes the kernel for what the rules need, on loopback, and leaves it as
 * it was.  Returns 0 or a positive errno with '*errorp' naming the missing
 * module. */
static int
tc_probe(struct tc_nic *tc, char **errorp)
{
    static const struct {
        int n_actions;          /* 0: drop; 1: mirred; 2: + tunnel_key. */
        const char *module;     /* What is missing if it fails. */
        const char *config;     /* Its kernel option. */
    } steps[] = {
        { 0, "cls_flower", "CONFIG_NET_CLS_FLOWER" },
        { 1, "act_mirred", "CONFIG_NET_ACT_MIRRED" },
        { 2, "act_tunnel_key", "CONFIG_NET_ACT_TUNNEL_KEY" },
    };
    struct rdma_nic_entry e;
    struct tc_rule rule;
    bool made_qdisc;
    int lo, error = 0;
    size_t i;

    lo = if_nametoindex("lo");
    if (!lo) {
        *errorp = xstrdup("cannot probe tc: no loopback device");
        return ENODEV;
    }
    error = tc_add_del_qdisc(lo, true, 0, TC_EGRESS);
    if (error && error != EEXIST) {
        *errorp = xasprintf("the kernel refused a clsact qdisc (%s): load "
                            "sch_ingress (CONFIG_NET_SCH_INGRESS)",
                            ovs_strerror(error));
        return error;
    }
    made_qdisc = !error;

    memset(&e, 0, sizeof e);
    e.tuple.type = OVL_VXLAN;
    e.tuple.vni = 1;
    e.tuple.udp_dst = OVL_VXLAN_PORT;
    in6_addr_set_mapped_ipv4(&e.tuple.local_ip, htonl(0xc0000201));
    in6_addr_set_mapped_ipv4(&e.tuple.remote_ip, htonl(0xc0000202));
    in6_addr_set_mapped_ipv4(&e.tuple.inner_src_ip, htonl(0xc00002fe));
    in6_addr_set_mapped_ipv4(&e.tuple.inner_dst_ip, htonl(0xc00002ff));

    memset(&rule, 0, sizeof rule);
    rule.ifindex = lo;
    rule.prio = tc_probe_prio(tc);
    rule.handle = 1;
    for (i = 0; i < ARRAY_SIZE(steps); i++) {
        uint8_t cookie[TC_COOKIE_LEN];
        enum tc_offload offload = tc->offload;
        struct tc_flower f;

        tc_build_egress(&e, lo, cookie, &f);
        f.action_count = steps[i].n_actions;
        if (f.action_count == 1) {
            f.actions[0] = f.actions[1];
        }
        tc->offload = TC_OFFLOAD_SW;
        error = tc_put(tc, &rule, &f);
        tc->offload = offload;
        tc->n_ops--;
        if (error) {
            *errorp = xasprintf("the kernel refused a tc flower rule (%s): "
                                "it has no %s; load it with \"modprobe %s\" "
                                "(%s)", ovs_strerror(error), steps[i].module,
                                steps[i].module, steps[i].config);
            break;
        }
    }
    if (!error || i) {
        tc_del(tc, &rule);
        tc->n_ops--;
    }
    if (made_qdisc) {
        tc_add_del_qdisc(lo, false, 0, TC_EGRESS);
    }
    return error;
}

/* rdma_nic_class 'open'. */
static int
tc_open(const struct smap *args, struct rdma_nic **nicp, char **errorp)
{
    enum tc_offload offload = TC_OFFLOAD_AUTO;
    unsigned int prio = TC_DEFAULT_PRIO, max = TC_DEFAULT_MAX;
    const struct smap_node *node;
    struct tc_nic *tc;
    int error;

    SMAP_FOR_EACH (node, args) {
        if (!strcmp(node->key, "offload")) {
            if (!strcmp(node->value, "auto")) {
                offload = TC_OFFLOAD_AUTO;
            } else if (!strcmp(node->value, "hw")) {
                offload = TC_OFFLOAD_HW;
            } else if (!strcmp(node->value, "sw")) {
                offload = TC_OFFLOAD_SW;
            } else {
                *errorp = xasprintf("offload: \"%s\" is not auto, hw or sw",
                                    node->value);
                return EINVAL;
            }
        } else if (!strcmp(node->key, "prio")) {
            if (!str_to_uint(node->value, 10, &prio) || prio < 4
                || prio > 0xfff0) {
                *errorp = xasprintf("prio: \"%s\" is not a tc priority "
                                    "between 4 and 65520", node->value);
                return EINVAL;
            }
        } else if (!strcmp(node->key, "max_entries")) {
            if (!str_to_uint(node->value, 10, &max) || !max
                || max > 0x8000) {
                *errorp = xasprintf("max_entries: \"%s\" is not between 1 "
                                    "and 32768", node->value);
                return EINVAL;
            }
        } else {
            *errorp = xasprintf("unknown option \"%s\" (options: offload, "
                                "prio, max_entries)", node->key);
            return EINVAL;
        }
    }
    if (prio + max + 1 > UINT16_MAX) {
        *errorp = xasprintf("prio %u + max_entries %u leave no room for the "
                            "drop and probe priorities below 65536", prio,
                            max);
        return EINVAL;
    }

    tc = xzalloc(sizeof *tc);
    tc->offload = offload;
    tc->prio_base = prio;
    tc->max_entries = max;
    hmap_init(&tc->conns);
    hmap_init(&tc->drops);
    tc->slots = bitmap_allocate(max);
    error = tc_probe(tc, errorp);
    if (error) {
        bitmap_free(tc->slots);
        hmap_destroy(&tc->conns);
        hmap_destroy(&tc->drops);
        free(tc);
        return error;
    }
    tc_current = tc;
    tc_unixctl_register();
    *nicp = &tc->up;
    return 0;
}

/* Frees 'c'. */
static void
tc_conn_free(struct tc_nic *tc, struct tc_conn *c)
{
    hmap_remove(&tc->conns, &c->node);
    bitmap_set0(tc->slots, c->slot);
    free(c);
}

/* rdma_nic_class 'close': forgets the table; the rules stay in the kernel
 * for the next ovs-rdmad to adopt. */
static void
tc_close(struct rdma_nic *nic)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c;
    struct tc_drop *d;

    if (tc_current == tc) {
        tc_current = NULL;
    }
    rtnetlink_notifier_destroy(tc->links);
    nln_notifier_destroy(tc->tc_notifier);
    nln_destroy(tc->tc_nln);
    HMAP_FOR_EACH_SAFE (c, node, &tc->conns) {
        tc_conn_free(tc, c);
    }
    HMAP_FOR_EACH_POP (d, node, &tc->drops) {
        free(d);
    }
    hmap_destroy(&tc->conns);
    hmap_destroy(&tc->drops);
    bitmap_free(tc->slots);
    free(tc->fallback);
    free(tc);
}

/* rdma_nic_class 'get_caps'. */
static int
tc_get_caps(const struct rdma_nic *nic, struct rdma_nic_caps *caps)
{
    const struct tc_nic *tc = tc_nic_cast(nic);

    /* The probe proved tunnel_key + mirred, which work the same for any
     * tunnel device: whether a Geneve device exists is the kernel's and
     * OVS's business at install time.  The underlay (VLAN and the next
     * hop's neighbour entry included) is the kernel's routing.  IPv6
     * rules are not written yet (tc-provider.rst says why). */
    caps->vxlan = true;
    caps->geneve = true;
    caps->ipv6 = false;
    caps->vlan = true;
    caps->max_entries = tc->max_entries;
    caps->kernel_underlay = true;
    caps->resolves_neighbour = true; /* The tunnel device's route lookup
                                      * resolves it at encapsulation. */
    return 0;
}

/* rdma_nic_class 'install'. */
static int
tc_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c;
    size_t slot;
    int error;

    if (tc_find_conn(tc, entry->cm_id)) {
        return EEXIST;
    }
    slot = bitmap_scan(tc->slots, 0, 0, tc->max_entries);
    if (slot >= tc->max_entries) {
        return ENOSPC;
    }
    c = xzalloc(sizeof *c);
    c->slot = slot;
    error = tc_conn_put(tc, c, entry);
    if (error) {
        free(c);
        tc_gc_drops(tc);
        return error;
    }
    bitmap_set1(tc->slots, slot);
    hmap_insert(&tc->conns, &c->node, hash_uint64(entry->cm_id));
    return 0;
}

/* rdma_nic_class 'modify'. */
static int
tc_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c = tc_find_conn(tc, entry->cm_id);

    int error;

    if (!c) {
        return ENOENT;
    }
    error = tc_conn_put(tc, c, entry);
    tc_gc_drops(tc);            /* The vport's old drop rule, if moved. */
    return error;
}

/* rdma_nic_class 'remove': egress first, so that nothing leaves
 * unencapsulated. */
static int
tc_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c = tc_find_conn(tc, cm_id);

    if (!c) {
        return ENOENT;
    }
    tc_del(tc, &c->egress);
    tc_del(tc, &c->decap);
    tc_conn_free(tc, c);
    tc_gc_drops(tc);
    return 0;
}

/* What 'dump' found of one connection. */
struct tc_found {
    struct rdma_nic_entry e;    /* Rebuilt entry. */
    struct tc_rule egress;      /* Its egress rule, ifindex 0 if none. */
    struct tc_rule decap;       /* Its receive rule, ifindex 0 if none. */
    char tun_dev[IFNAMSIZ];     /* Tunnel device of the egress rule. */
    uint32_t rx_vni;            /* VNI its receive rule matches. */
};

/* Returns the element of 'found' for 'cm_id', adding it if needed. */
static struct tc_found *
tc_found_get(struct tc_found **found, size_t *n, size_t *allocated,
             uint64_t cm_id)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        if ((*found)[i].e.cm_id == cm_id) {
            return &(*found)[i];
        }
    }
    if (*n >= *allocated) {
        *found = x2nrealloc(*found, allocated, sizeof **found);
    }
    memset(&(*found)[*n], 0, sizeof **found);
    (*found)[*n].e.cm_id = cm_id;
    return &(*found)[(*n)++];
}

/* Takes from 'f', a rule at 'id' on device 'dev', what it says of its
 * connection or drop rule, if it is one of the provider's. */
static void
tc_dump_one(struct tc_nic *tc, const struct tcf_id *id, const char *dev,
            const struct tc_flower *f, struct tc_found **found, size_t *n,
            size_t *allocated)
{
    const uint8_t *cookie = f->act_cookie.data;
    struct tc_rule rule = { id->ifindex, id->prio, id->handle };
    struct tc_found *x;

    if (id->chain || f->act_cookie.len != TC_COOKIE_LEN
        || f->key.ip_proto != IPPROTO_UDP
        || f->key.udp_dst != htons(ROCE_V2_PORT)) {
        return;
    }
    if (id->prio == tc_drop_prio(tc)
        && !memcmp(cookie, drop_cookie, TC_COOKIE_LEN)) {
        struct tc_drop *d = xzalloc(sizeof *d);

        d->rule = rule;
        d->mac = f->key.dst_mac;
        d->ip = f->key.ipv4.ipv4_dst;
        hmap_insert(&tc->drops, &d->node,
                    hash_2words(id->ifindex, (OVS_FORCE uint32_t) d->ip));
        return;
    }
    if (id->prio < tc->prio_base
        || id->prio >= tc->prio_base + tc->max_entries) {
        return;
    }

    x = tc_found_get(found, n, allocated, get_be64(cookie));
    if (f->tunnel && f->action_count == 1
        && f->actions[0].type == TC_ACT_OUTPUT) {
        ovs_be32 qpns[2];

        memcpy(qpns, cookie + 8, sizeof qpns);
        x->e.qpn = ntohl(qpns[0]);
        x->e.remote_qpn = ntohl(qpns[1]);
        x->rx_vni = ntohll(f->key.tunnel.id);
        x->decap = rule;
    } else if (!f->tunnel && f->action_count == 2
               && f->actions[0].type == TC_ACT_ENCAP
               && f->actions[1].type == TC_ACT_OUTPUT) {
        struct ovl_tuple *t = &x->e.tuple;
        char tun[IF_NAMESIZE];

        x->e.generation = get_be64(cookie + 8);
        ovs_strlcpy(x->e.vport, dev, sizeof x->e.vport);
        if (!if_indextoname(f->actions[1].out.ifindex_out, tun)) {
            tun[0] = '\0';
        }
        ovs_strlcpy(x->tun_dev, tun, sizeof x->tun_dev);
        t->type = !strncmp(tun, "genev_sys_", 10) ? OVL_GENEVE : OVL_VXLAN;
        tc_get_encap(&f->actions[0], t);
        t->inner_src_mac = f->key.src_mac;
        t->inner_dst_mac = f->key.dst_mac;
        in6_addr_set_mapped_ipv4(&t->inner_src_ip, f->key.ipv4.ipv4_src);
        in6_addr_set_mapped_ipv4(&t->inner_dst_ip, f->key.ipv4.ipv4_dst);
        x->egress = rule;
    }
}

/* Reads the provider's rules on every device into 'found' and tc's drop
 * table. */
static void
tc_dump_devices(struct tc_nic *tc, struct tc_found **found, size_t *n,
                size_t *allocated)
{
    struct if_nameindex *ifs = if_nameindex(), *i;

    for (i = ifs; i && i->if_index; i++) {
        struct tcf_id id = tc_make_tcf_id(i->if_index, 0, 0, TC_INGRESS);
        uint64_t stub[1024 / 8];
        struct ofpbuf buf, reply;
        struct nl_dump dump;

        tc_dump_flower_start(&id, &dump, false);
        ofpbuf_use_stub(&buf, stub, sizeof stub);
        while (nl_dump_next(&dump, &reply, &buf)) {
            struct tcf_id rid = id;
            struct tc_flower f;

            if (!parse_netlink_to_tc_flower(&reply, &rid, &f, false)) {
                rid.ifindex = i->if_index;
                tc_dump_one(tc, &rid, i->if_name, &f, found, n, allocated);
            }
        }
        nl_dump_done(&dump);
        ofpbuf_uninit(&buf);
    }
    if (ifs) {
        if_freenameindex(ifs);
    }
}

/* rdma_nic_class 'dump': rebuilds the table from the kernel's rules, adopting
 * each connection that has its egress rule, with no change to the kernel
 * (a receive rule without its egress rule, left by an install that was cut
 * short, is deleted). */
static int
tc_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
        size_t *n_entriesp)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    size_t n = 0, allocated = 0, n_entries = 0, i;
    struct tc_found *found = NULL;
    struct rdma_nic_entry *entries;
    struct tc_conn *c;
    struct tc_drop *d;

    HMAP_FOR_EACH_SAFE (c, node, &tc->conns) {
        tc_conn_free(tc, c);
    }
    HMAP_FOR_EACH_POP (d, node, &tc->drops) {
        free(d);
    }
    tc_dump_devices(tc, &found, &n, &allocated);

    entries = xmalloc((n ? n : 1) * sizeof *entries);
    for (i = 0; i < n; i++) {
        struct tc_found *x = &found[i];
        size_t slot = x->egress.prio - tc->prio_base;

        if (!x->egress.ifindex) {
            VLOG_INFO("cm_id %"PRIu64": deleting a receive rule that has no "
                      "egress rule", x->e.cm_id);
            tc_del(tc, &x->decap);
            continue;
        }
        if (bitmap_is_set(tc->slots, slot) || tc_find_conn(tc, x->e.cm_id)) {
            VLOG_WARN("cm_id %"PRIu64": duplicate rules at priority %"PRIu16
                      ", ignored", x->e.cm_id, x->egress.prio);
            continue;
        }
        if (x->decap.ifindex && x->rx_vni != x->e.tuple.vni) {
            x->e.tuple.rx_vni_set = true;
            x->e.tuple.rx_vni = x->rx_vni;
        }
        c = xzalloc(sizeof *c);
        c->e = x->e;
        c->slot = slot;
        c->egress = x->egress;
        c->decap = x->decap;
        ovs_strlcpy(c->tun_dev, x->tun_dev, sizeof c->tun_dev);
        bitmap_set1(tc->slots, slot);
        hmap_insert(&tc->conns, &c->node, hash_uint64(c->e.cm_id));
        entries[n_entries++] = c->e;
    }
    free(found);
    tc->n_adopted += n_entries;
    if (n_entries) {
        VLOG_INFO("adopted %"PRIuSIZE" connection%s from the kernel's tc "
                  "rules", n_entries, n_entries == 1 ? "" : "s");
    }
    *entriesp = entries;
    *n_entriesp = n_entries;
    return 0;
}

/* Adds to 'o' member 'name' describing 'rule' on 'dev' with its counters,
 * or null if the rule is not in place. */
static void
tc_rule_to_json(const struct tc_rule *rule, const char *dev,
                const char *name, struct json *o)
{
    struct json *r;
    struct tc_flower f;
    struct tcf_id id;
    int error;

    if (!rule->ifindex) {
        json_object_put(o, name, json_null_create());
        return;
    }
    r = json_object_create();
    json_object_put_string(r, "dev", dev);
    json_object_put(r, "prio", json_integer_create(rule->prio));
    json_object_put(r, "handle", json_integer_create(rule->handle));
    id = tc_rule_id(rule);
    error = tc_get_flower(&id, &f);
    if (error) {
        json_object_put_string(r, "error", ovs_strerror(error));
    } else {
        json_object_put(r, "packets",
                        json_integer_create(
                            get_32aligned_u64(&f.stats_sw.n_packets)
                            + get_32aligned_u64(&f.stats_hw.n_packets)));
        json_object_put(r, "bytes",
                        json_integer_create(
                            get_32aligned_u64(&f.stats_sw.n_bytes)
                            + get_32aligned_u64(&f.stats_hw.n_bytes)));
        json_object_put(r, "in_hw",
                        json_boolean_create(f.offloaded_state
                                            == TC_OFFLOADED_STATE_IN_HW));
    }
    json_object_put(o, name, r);
}

/* Returns the name of the offload mode. */
static const char *
tc_offload_name(enum tc_offload offload)
{
    return (offload == TC_OFFLOAD_HW ? "hw"
            : offload == TC_OFFLOAD_SW ? "sw" : "auto");
}

/* rdma_nic_class 'get_details': {"offload": MODE, ["fallback": WHY,]
 * ["lost": WHY,] "egress": RULE, "ingress": RULE, "drop": RULE}, each RULE
 * {"dev", "prio", "handle", "packets", "bytes", "in_hw"} or null.  The
 * counters are the rule's own: of several connections between the same
 * endpoints, the one installed first counts the traffic of all. */
static int
tc_get_details(struct rdma_nic *nic, uint64_t cm_id, struct json **detailsp)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c = tc_find_conn(tc, cm_id);
    const struct tc_drop *d;
    struct json *o;

    if (!c) {
        return ENOENT;
    }
    o = json_object_create();
    json_object_put_string(o, "offload", tc_offload_name(tc->offload));
    if (tc->fallback) {
        json_object_put_string(o, "fallback", tc->fallback);
    }
    if (c->lost) {
        json_object_put_format(o, "lost", "tunnel device %s is gone: "
                               "reinstalled when it returns", c->tun_dev);
    }
    tc_rule_to_json(&c->egress, c->e.vport, "egress", o);
    tc_rule_to_json(&c->decap, c->tun_dev, "ingress", o);
    d = tc_find_drop(tc, c->decap.ifindex, c->e.tuple.inner_src_mac,
                     in6_addr_get_mapped_ipv4(&c->e.tuple.inner_src_ip));
    if (d) {
        tc_rule_to_json(&d->rule, c->tun_dev, "drop", o);
    } else {
        json_object_put(o, "drop", json_null_create());
    }
    *detailsp = o;
    return 0;
}

/* Link change callback: a tunnel device that OVS recreated has a new
 * ifindex and none of the rules. */
static void
tc_link_changed(const struct rtnetlink_change *change OVS_UNUSED, void *aux)
{
    struct tc_nic *tc = aux;

    tc->links_changed = true;
}

/* nln_parse_func for tc notifications: stores the message's type. */
static int
tc_parse_notification(struct ofpbuf *buf, void *change)
{
    const struct nlmsghdr *nlmsg = buf->data;
    int *type = change;

    *type = buf->size >= sizeof *nlmsg ? nlmsg->nlmsg_type : 0;
    return RTNLGRP_TC;
}

/* tc change callback: someone (OVS's hw-offload re-initializing a port's
 * qdisc, an operator) may have deleted the provider's rules. */
static void
tc_changed(const void *change, void *aux)
{
    const int *type = change;
    struct tc_nic *tc = aux;

    if (!type || *type == RTM_DELTFILTER || *type == RTM_DELQDISC) {
        tc->tc_deleted = true;
    }
}

/* Returns true if 'rule' is in the kernel (or cannot be read). */
static bool
tc_rule_present(const struct tc_rule *rule)
{
    struct tcf_id id = tc_rule_id(rule);
    struct tc_flower f;

    return !rule->ifindex || tc_get_flower(&id, &f) != ENOENT;
}

/* After a deletion in tc: puts back every rule of the provider that is
 * gone. */
static void
tc_audit(struct tc_nic *tc)
{
    struct tc_conn *c;
    struct tc_drop *d;

    HMAP_FOR_EACH_SAFE (d, node, &tc->drops) {
        if (!tc_rule_present(&d->rule)) {
            hmap_remove(&tc->drops, &d->node);
            free(d);
        }
    }
    HMAP_FOR_EACH (c, node, &tc->conns) {
        bool egress = tc_rule_present(&c->egress);
        bool decap = tc_rule_present(&c->decap);

        if (c->lost || (egress && decap)) {
            if (c->decap.ifindex && !c->lost) {
                tc_get_drop(tc, &c->e, c->decap.ifindex);
            }
            continue;
        }
        if (!egress) {
            c->egress.ifindex = 0;
        }
        if (!decap) {
            c->decap.ifindex = 0;
        }
        if (!tc_conn_put(tc, c, &c->e)) {
            tc->n_reinstalls++;
            VLOG_INFO("cm_id %"PRIu64": %s%s%s deleted by someone else: "
                      "reinstalled", c->e.cm_id,
                      egress ? "" : "egress rule",
                      !egress && !decap ? " and " : "",
                      decap ? "" : "receive rule");
        }
    }
}

/* rdma_nic_class 'run': after link changes, puts back the rules of every
 * connection whose tunnel device came back with a new ifindex; after tc
 * deletions, the rules that someone else deleted. */
static void
tc_run(struct rdma_nic *nic)
{
    struct tc_nic *tc = tc_nic_cast(nic);
    struct tc_conn *c;
    struct tc_drop *d;

    if (!tc->links) {
        tc->links = rtnetlink_notifier_create(tc_link_changed, tc);
        tc->tc_nln = nln_create(NETLINK_ROUTE, tc_parse_notification,
                                &tc->tc_msg_type);
        tc->tc_notifier = nln_notifier_create(tc->tc_nln, RTNLGRP_TC,
                                              tc_changed, tc);
    }
    rtnetlink_run();
    nln_run(tc->tc_nln);
    if (tc->tc_deleted) {
        tc->tc_deleted = false;
        tc_audit(tc);
    }
    if (!tc->links_changed) {
        return;
    }
    tc->links_changed = false;
    HMAP_FOR_EACH (c, node, &tc->conns) {
        int ifindex = if_nametoindex(c->tun_dev);

        if (ifindex == c->decap.ifindex && !c->lost) {
            continue;
        }
        if (!ifindex) {
            if (!c->lost) {
                VLOG_WARN("cm_id %"PRIu64": tunnel device %s is gone; its "
                          "rules come back with it", c->e.cm_id, c->tun_dev);
            }
            c->lost = true;
            continue;
        }
        /* The old device's rules went with it. */
        c->decap.ifindex = 0;
        if (!tc_conn_put(tc, c, &c->e)) {
            tc->n_reinstalls++;
            VLOG_INFO("cm_id %"PRIu64": tunnel device %s recreated (ifindex "
                      "%d): rules reinstalled", c->e.cm_id, c->tun_dev,
                      ifindex);
        } else {
            c->lost = true;
        }
    }
    /* Drop rules whose device went away. */
    HMAP_FOR_EACH_SAFE (d, node, &tc->drops) {
        char name[IF_NAMESIZE];

        if (!if_indextoname(d->rule.ifindex, name)) {
            hmap_remove(&tc->drops, &d->node);
            free(d);
        }
    }
    HMAP_FOR_EACH (c, node, &tc->conns) {
        if (c->decap.ifindex && !c->lost) {
            tc_get_drop(tc, &c->e, c->decap.ifindex);
        }
    }
}

/* rdma_nic_class 'wait'. */
static void
tc_wait(struct rdma_nic *nic)
{
    struct tc_nic *tc = tc_nic_cast(nic);

    rtnetlink_wait();
    if (tc->tc_nln) {
        nln_wait(tc->tc_nln);
    }
}

/* "rdma-tc/stats": the provider's counters. */
static void
tc_unixctl_stats(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct tc_nic *tc = tc_current;

    if (!tc) {
        unixctl_command_reply_error(conn, "no tc NIC is open");
        return;
    }
    ds_put_format(&ds, "offload=%s prio=%"PRIu16" max_entries=%"PRIu32"\n",
                  tc_offload_name(tc->offload), tc->prio_base,
                  tc->max_entries);
    if (tc->fallback) {
        ds_put_format(&ds, "fallback: %s\n", tc->fallback);
    }
    ds_put_format(&ds, "connections: %"PRIuSIZE"\n",
                  hmap_count(&tc->conns));
    ds_put_format(&ds, "drop rules: %"PRIuSIZE"\n", hmap_count(&tc->drops));
    ds_put_format(&ds, "rule operations: %"PRIu64"\n", tc->n_ops);
    ds_put_format(&ds, "adopted: %"PRIu64"\n", tc->n_adopted);
    ds_put_format(&ds, "reinstalled: %"PRIu64"\n", tc->n_reinstalls);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* Registers the provider's unixctl commands, once. */
static void
tc_unixctl_register(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("rdma-tc/stats", "", 0, 0,
                                 tc_unixctl_stats, NULL);
    }
}

const struct rdma_nic_class rdma_nic_tc_class = {
    .type = "tc",
    .description = "tc flower rules, ConnectX-offloadable: "
                   "tc[:offload=auto|hw|sw]",
    .open = tc_open,
    .close = tc_close,
    .get_caps = tc_get_caps,
    .install = tc_install,
    .modify = tc_modify,
    .remove = tc_remove,
    .dump = tc_dump,
    .get_details = tc_get_details,
    .run = tc_run,
    .wait = tc_wait,
};
