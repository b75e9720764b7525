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
#include "rdma-pipeline.h"

#include <errno.h>
#include <string.h>

#include "coverage.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovl-trace.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-flow-monitor.h"
#include "rdma-mapping.h"
#include "rdma-underlay-ovs.h"
#include "sset.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_pipeline);

COVERAGE_DEFINE(rdma_pipeline_trace);

/* UDP source port of the synthetic packet: any RoCE source port would do,
 * this is the first of the range RoCEv2 NICs hash into. */
#define TRACE_UDP_SRC 49152

/* Replacement for ofproto/trace, or NULL. */
static rdma_pipeline_trace_hook *trace_hook;

/* Sum of ovs-vswitchd's "rev_*" coverage counters at the last
 * rdma_pipeline_poll_begin(), or -1 if unknown. */
static long long int last_rev_total = -1;

/* True if a flow monitor reported a settled flow-table change since the
 * last rdma_pipeline_poll_begin(). */
static bool monitor_changed;

/* Traces run so far, and, for the last re-resolution that a flow monitor
 * triggered: when it started (LLONG_MIN if none is under way), how long it
 * took in ms (-1 if none yet) and how many traces it ran. */
static unsigned long long int n_traces;
static long long int monitor_poll_start = LLONG_MIN;
static unsigned long long int monitor_poll_traces;
static long long int last_monitor_poll_ms = -1;
static unsigned long long int last_monitor_poll_traces;

/* Configuration sequence number for which the monitored bridges were last
 * chosen, and whether they were chosen at all. */
static unsigned int monitor_cfg_seqno;
static bool monitor_cfg_valid;

/* True between rdma_pipeline_poll_begin() and rdma_pipeline_poll_end()
 * when the flows have not changed: paths may skip the trace. */
static bool flows_unchanged;

/* One underlay re-resolution, remembered for the rest of a poll: many
 * pipeline paths share one tunnel (OVN: one per remote chassis). */
struct memo {
    struct hmap_node node;      /* In 'memos'. */
    const struct rdma_map_bridge *bridge; /* Bridge resolved for. */
    struct ovl_tuple key;       /* Overlay fields and options asked for. */
    struct ovl_tuple base;      /* Result. */
    enum rdma_resolve_status status; /* Result. */
    char *reason;               /* Result, or NULL. */
};

/* "struct memo"s of the current poll. */
static struct hmap memos = HMAP_INITIALIZER(&memos);

/* Forgets every memo. */
static void
memos_clear(void)
{
    struct memo *m;

    HMAP_FOR_EACH_POP (m, node, &memos) {
        free(m->reason);
        free(m);
    }
}

/* Makes the pipeline resolver call 'hook' instead of ovs-vswitchd's
 * ofproto/trace (NULL restores it).  For tests and benchmarks. */
void
rdma_pipeline_set_trace_hook(rdma_pipeline_trace_hook *hook)
{
    trace_hook = hook;
}

/* Returns true if vport 'vp''s paths are resolved by the pipeline
 * resolver: it asks for it, or it asks for "auto" and a tunnel on the
 * bridges joined to its own by patch ports takes its key or remote IP
 * from the flows. */
bool
rdma_pipeline_wanted(const struct rdma_mapping *m,
                     const struct rdma_map_vport *vp)
{
    const struct rdma_map_tunnel *t;

    if (vp->resolver != RDMA_RESOLVER_AUTO) {
        return vp->resolver == RDMA_RESOLVER_PIPELINE;
    }
    HMAP_FOR_EACH (t, node, &m->tunnels) {
        if (t->flow_based && t->bridge && vp->bridge
            && t->bridge->group == vp->bridge->group) {
            return true;
        }
    }
    return false;
}

/* Returns the sum of the totals of ovs-vswitchd's revalidation coverage
 * counters ("rev_flow_table", "rev_mac_learning", "rev_reconfigure",
 * "rev_port_toggled", ...), which move whenever a bridge's flow table, MAC
 * learning table, ports or tunnel neighbours change, or -1 if they cannot
 * be read. */
static long long int
read_rev_total(void)
{
    char *output = NULL, *error = NULL;
    long long int total = 0;
    const char *p;

    if (trace_hook) {
        return -1;
    }
    if (rdma_underlay_ovs_call("coverage/show", 0, NULL, &output, &error)) {
        free(error);
        return -1;
    }
    for (p = output; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1
                                                  : NULL) {
        const char *t = strstr(p, "total: ");
        const char *eol = strchr(p, '\n');

        if (!strncmp(p, "rev_", 4) && t && (!eol || t < eol)) {
            total += strtoll(t + 7, NULL, 10);
        }
    }
    free(output);
    return total;
}

/* "rdma/show-pipeline": the flow monitors and what the last flow change
 * cost. */
static void
show_pipeline(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_flow_monitor_format(&ds);
    if (last_monitor_poll_ms >= 0) {
        ds_put_format(&ds, "last change re-resolved: %llu traces in %lld "
                      "ms\n", last_monitor_poll_traces,
                      last_monitor_poll_ms);
    }
    ds_put_format(&ds, "traces: %llu\n", n_traces);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* Watches, with OpenFlow flow monitors (rdma-flow-monitor.h), the bridges
 * whose flows decide the pipeline paths of 'm': those joined by patch
 * ports to a vport that the pipeline resolver serves.  'cfg_seqno' changes
 * whenever 'm' does; the bridges are chosen again only then.  Returns true
 * when a change of their flows has settled: the caller should re-resolve
 * its paths now (rdma_pipeline_poll_begin() will not let them skip the
 * trace). */
bool
rdma_pipeline_run(const struct rdma_mapping *m, unsigned int cfg_seqno)
{
    static bool registered;

    if (!registered) {
        unixctl_command_register("rdma/show-pipeline", "", 0, 0,
                                 show_pipeline, NULL);
        registered = true;
    }
    if (trace_hook) {
        /* No ovs-vswitchd to watch. */
        return false;
    }
    if (!monitor_cfg_valid || cfg_seqno != monitor_cfg_seqno) {
        const struct rdma_map_vport *vp;
        const struct rdma_map_bridge *br;
        struct sset names = SSET_INITIALIZER(&names);

        HMAP_FOR_EACH (vp, node, &m->vports) {
            if (!vp->bridge || !rdma_pipeline_wanted(m, vp)) {
                continue;
            }
            HMAP_FOR_EACH (br, node, &m->bridges) {
                if (br->group == vp->bridge->group) {
                    sset_add(&names, br->name);
                }
            }
        }
        rdma_flow_monitor_set_bridges(&names);
        sset_destroy(&names);
        monitor_cfg_seqno = cfg_seqno;
        monitor_cfg_valid = true;
    }
    if (rdma_flow_monitor_run()) {
        monitor_changed = true;
        return true;
    }
    return false;
}

/* Arranges for poll_block() to wake up when rdma_pipeline_run() has work
 * to do: a flow monitor has, or the configuration ('cfg_seqno', as for
 * rdma_pipeline_run()) changed since the bridges were chosen. */
void
rdma_pipeline_wait(unsigned int cfg_seqno)
{
    if (!trace_hook && (!monitor_cfg_valid
                        || cfg_seqno != monitor_cfg_seqno)) {
        poll_immediate_wake();
    }
    rdma_flow_monitor_wait();
}

/* Stops watching bridges. */
void
rdma_pipeline_destroy(void)
{
    rdma_flow_monitor_destroy();
    monitor_cfg_valid = false;
    monitor_changed = false;
}

/* Starts a periodic re-resolution: reads ovs-vswitchd's revalidation
 * counters and, if they did not move since the last call, lets the paths
 * that were usable skip the trace and re-resolve only their underlay
 * (rdma_pipeline_refresh_underlay()) until rdma_pipeline_poll_end().  One
 * unixctl call per poll instead of one trace per path (Documentation/
 * design.rst, section "The pipeline resolver"). */
void
rdma_pipeline_poll_begin(void)
{
    long long int total = read_rev_total();

    flows_unchanged = (total >= 0 && total == last_rev_total
                       && !monitor_changed);
    if (monitor_changed) {
        monitor_poll_start = time_msec();
        monitor_poll_traces = n_traces;
    }
    monitor_changed = false;
    last_rev_total = total;
    memos_clear();
}

/* Ends what rdma_pipeline_poll_begin() started: every resolution traces
 * again. */
void
rdma_pipeline_poll_end(void)
{
    flows_unchanged = false;
    memos_clear();
    if (monitor_poll_start != LLONG_MIN) {
        last_monitor_poll_ms = time_msec() - monitor_poll_start;
        last_monitor_poll_traces = n_traces - monitor_poll_traces;
        monitor_poll_start = LLONG_MIN;
    }
}

/* Returns true if a path resolved before may skip the trace now. */
bool
rdma_pipeline_may_skip_trace(void)
{
    return flows_unchanged;
}

/* Resolves, as rdma_resolve_path() does, the path of a tunnel named 'name'
 * on 'bridge' whose overlay fields are those of 'tuple' and whose options
 * are 'opts': the tunnel that a trace showed, which need not be one of
 * 'm''s.  Stores the result in '*base'; returns RDMA_RESOLVE_OK or another
 * status with a reason in '*errorp' (caller frees). */
static enum rdma_resolve_status
resolve_tuple(const struct rdma_mapping *m, const char *name,
              const struct rdma_map_bridge *bridge,
              const struct ovl_tuple *tuple, struct ovl_tuple *opts,
              const struct rdma_nic_caps *caps, struct ovl_tuple *base,
              char **errorp)
{
    struct rdma_map_tunnel tmp;

    memset(&tmp, 0, sizeof tmp);
    tmp.name = CONST_CAST(char *, name);
    tmp.bridge = bridge;
    tmp.type = tuple->type;
    tmp.vni = tuple->vni;
    tmp.dst_port = tuple->udp_dst;
    tmp.remote_ip = tuple->remote_ip;
    tmp.local_ip = tuple->local_ip;
    tmp.opts = opts;
    return rdma_resolve_path(m, &tmp, caps, base, errorp);
}

/* Re-resolves the underlay of a pipeline path whose overlay fields, as the
 * last trace gave them, are in 'prev', into '*base', with the same checks
 * as rdma_resolve_path().  'tunnel' names the tunnel for messages. */
enum rdma_resolve_status
rdma_pipeline_refresh_underlay(const struct rdma_mapping *m,
                               const struct rdma_map_vport *vp,
                               const char *tunnel,
                               const struct ovl_tuple *prev,
                               const struct rdma_nic_caps *caps,
                               struct ovl_tuple *base, char **errorp)
{
    enum rdma_resolve_status status;
    struct ovl_tuple opts, key;
    struct memo *memo;
    uint32_t hash;

    /* The fields rdma_resolve_path() reads, as the memo's key. */
    memset(&key, 0, sizeof key);
    ovl_tuple_copy_overlay(&key, prev);
    hash = hash_bytes(&key.remote_ip, sizeof key.remote_ip,
                      key.vni ^ key.udp_dst);
    HMAP_FOR_EACH_WITH_HASH (memo, node, hash, &memos) {
        if (memo->bridge == vp->bridge && ovl_tuple_equals(&memo->key, &key)) {
            *base = memo->base;
            *errorp = memo->reason ? xstrdup(memo->reason) : NULL;
            return memo->status;
        }
    }

    memset(&opts, 0, sizeof opts);
    ovl_tuple_copy_options(&opts, prev);
    status = resolve_tuple(m, tunnel ? tunnel : "?", vp->bridge, prev, &opts,
                           caps, base, errorp);
    if (flows_unchanged) {
        memo = xmalloc(sizeof *memo);
        memo->bridge = vp->bridge;
        memo->key = key;
        memo->base = *base;
        memo->status = status;
        memo->reason = *errorp ? xstrdup(*errorp) : NULL;
        hmap_insert(&memos, &memo->node, hash);
    }
    return status;
}

/* Runs ofproto/trace of 'flow' on 'bridge'.  Returns 0 with the output in
 * '*outputp', or an errno with a message in '*errorp'. */
static int
run_trace(const char *bridge, const char *flow, char **outputp,
          char **errorp)
{
    char *argv[4];

    COVERAGE_INC(rdma_pipeline_trace);
    n_traces++;
    if (trace_hook) {
        return trace_hook(bridge, flow, outputp, errorp);
    }
    argv[0] = CONST_CAST(char *, "--ct-next");
    argv[1] = CONST_CAST(char *, "trk,new");
    argv[2] = CONST_CAST(char *, bridge);
    argv[3] = CONST_CAST(char *, flow);
    return rdma_underlay_ovs_call("ofproto/trace", 4, argv, outputp,
                                  errorp);
}

/* Returns the tunnel interface of 'vp''s bridge group that the traced
 * tunnel 'tr' leaves on: the one with its remote IP and UDP port (and
 * type, if the trace tells it), else one with remote_ip=flow and that
 * port, else NULL.  Among several, the first by name. */
static const struct rdma_map_tunnel *
find_tunnel(const struct rdma_mapping *m, const struct rdma_map_vport *vp,
            const struct ovl_trace *tr)
{
    const struct rdma_map_tunnel *t, *exact = NULL, *any = NULL;

    HMAP_FOR_EACH (t, node, &m->tunnels) {
        if (!t->bridge || t->bridge->group != vp->bridge->group
            || t->dst_port != tr->tuple.udp_dst
            || (tr->type_known && t->type != tr->tuple.type)) {
            continue;
        }
        if (ipv6_addr_equals(&t->remote_ip, &tr->tuple.remote_ip)) {
            if (!exact || strcmp(t->name, exact->name) < 0) {
                exact = t;
            }
        } else if (t->flow_based && !rdma_ip_is_set(&t->remote_ip)) {
            if (!any || strcmp(t->name, any->name) < 0) {
                any = t;
            }
        }
    }
    return exact ? exact : any;
}

/* Appends to 'flow' the synthetic RoCEv2 packet of 'vp' from 'src_ip' to
 * 'dst_ip' and 'dst_mac', in ovs-ofctl(8) flow syntax. */
static void
format_flow(const struct rdma_map_vport *vp, const struct in6_addr *src_ip,
            const struct in6_addr *dst_ip, const struct eth_addr *dst_mac,
            struct ds *flow)
{
    bool v4 = rdma_ip_is_v4(dst_ip);

    ds_put_format(flow, "in_port=%"PRId64",%s,dl_src="ETH_ADDR_FMT
                  ",dl_dst="ETH_ADDR_FMT",%s=", vp->ofport,
                  v4 ? "udp" : "udp6", ETH_ADDR_ARGS(vp->mac),
                  ETH_ADDR_ARGS(*dst_mac), v4 ? "nw_src" : "ipv6_src");
    ipv6_format_mapped(src_ip, flow);
    ds_put_format(flow, ",%s=", v4 ? "nw_dst" : "ipv6_dst");
    ipv6_format_mapped(dst_ip, flow);
    ds_put_format(flow, ",nw_ttl=64,udp_src=%d,udp_dst=%d", TRACE_UDP_SRC,
                  ROCE_V2_PORT);
}

/* Checks what tracing from vport 'vp' (source IP 'src_ip') to 'dst_ip'
 * (formatted in 'dst_s') at 'dst_mac' needs.  Returns RDMA_RESOLVE_OK, or
 * another status with a reason in '*errorp' (caller frees). */
static enum rdma_resolve_status
check_traceable(const struct rdma_map_vport *vp,
                const struct in6_addr *src_ip, const struct in6_addr *dst_ip,
                const char *dst_s, const struct eth_addr *dst_mac,
                char **errorp)
{
    if (!vp->bridge) {
        *errorp = xasprintf("vport %s is on no bridge", vp->name);
        return RDMA_RESOLVE_FAILED;
    }
    if (vp->ofport <= 0) {
        *errorp = xasprintf("vport %s has no OpenFlow port number yet, so "
                             "the pipeline resolver cannot trace from it",
                             vp->name);
        return RDMA_RESOLVE_PENDING;
    }
    if (!dst_mac) {
        *errorp = xstrdup("inner destination MAC unknown (bind with "
                           "dst_mac=MAC): the pipeline resolver traces the "
                           "packet as the tenant sends it");
        return RDMA_RESOLVE_PENDING;
    }
    if (rdma_ip_is_v4(src_ip) != rdma_ip_is_v4(dst_ip)
        || !rdma_ip_is_set(src_ip)) {
        *errorp = xasprintf("no source IP of vport %s in the family of %s "
                             "(set other_config:rdma-ip or bind with "
                             "src_ip=)", vp->name, dst_s);
        return RDMA_RESOLVE_FAILED;
    }
    return RDMA_RESOLVE_OK;
}

/* Checks the outcome of trace 'tr' of 'flow' from vport 'vp' to 'dst_s'.
 * Returns RDMA_RESOLVE_OK if the packet leaves on one tunnel, else
 * RDMA_RESOLVE_PENDING with a reason in '*errorp' (caller frees). */
static enum rdma_resolve_status
check_outcome(const struct ovl_trace *tr, const struct rdma_map_vport *vp,
              const char *dst_s, const char *flow, char **errorp)
{
    switch (tr->outcome) {
    case OVL_TRACE_DROP:
        *errorp = xasprintf("the flows of %s drop RoCE from %s to %s "
                             "(ofproto/trace %s: drop)", vp->bridge->name,
                             vp->name, dst_s, flow);
        break;
    case OVL_TRACE_NEIGH_MISS:
        *errorp = xasprintf("ovs-vswitchd does not know the MAC of the "
                             "tunnel's next hop to %s yet (it sent an "
                             "ARP/ND request)", dst_s);
        break;
    case OVL_TRACE_NO_TUNNEL:
        *errorp = xasprintf("the flows of %s send RoCE from %s to %s out "
                             "on no tunnel (datapath actions: %s)",
                             vp->bridge->name, vp->name, dst_s, tr->actions);
        break;
    case OVL_TRACE_MANY_TUNNELS:
        *errorp = xasprintf("the flows of %s send RoCE from %s to %s out "
                             "on %d tunnels (flooded: the destination MAC "
                             "is not known to the bridge yet)",
                             vp->bridge->name, vp->name, dst_s,
                             tr->n_tunnels);
        break;
    case OVL_TRACE_UNFINISHED:
        *errorp = xasprintf("the trace of RoCE from %s to %s stops at a "
                             "recirculation (datapath actions: %s)",
                             vp->name, dst_s, tr->actions);
        break;
    case OVL_TRACE_TUNNEL:
        return RDMA_RESOLVE_OK;
    }
    return RDMA_RESOLVE_PENDING;
}

/* Traces the synthetic RoCEv2 packet of vport 'vp' from 'src_ip' to
 * 'dst_ip' (formatted in 'dst_s') at 'dst_mac' through its bridge's
 * flows, into '*tr'.  Returns RDMA_RESOLVE_OK if it leaves on one tunnel
 * (the caller destroys '*tr'), else another status with a reason in
 * '*errorp' (caller frees) and nothing in '*tr' to destroy. */
static enum rdma_resolve_status
trace_path(const struct rdma_map_vport *vp, const struct in6_addr *src_ip,
           const struct in6_addr *dst_ip, const char *dst_s,
           const struct eth_addr *dst_mac, struct ovl_trace *tr,
           char **errorp)
{
    enum rdma_resolve_status status;
    struct ds flow = DS_EMPTY_INITIALIZER;
    char *output = NULL, *error = NULL;
    int err;

    format_flow(vp, src_ip, dst_ip, dst_mac, &flow);
    err = run_trace(vp->bridge->name, ds_cstr(&flow), &output, &error);
    if (err) {
        *errorp = xasprintf("ofproto/trace on %s failed: %s",
                             vp->bridge->name, error);
        free(error);
        ds_destroy(&flow);
        return (err == EINVAL ? RDMA_RESOLVE_FAILED
                : RDMA_RESOLVE_UNREACHABLE);
    }
    err = ovl_trace_parse(output, tr, &error);
    free(output);
    if (err) {
        *errorp = xasprintf("pipeline of %s to %s: %s", vp->bridge->name,
                             dst_s, error);
        free(error);
        ovl_trace_destroy(tr);
        ds_destroy(&flow);
        return RDMA_RESOLVE_FAILED;
    }
    status = check_outcome(tr, vp, dst_s, ds_cstr(&flow), errorp);
    ds_destroy(&flow);
    if (status != RDMA_RESOLVE_OK) {
        ovl_trace_destroy(tr);
    }
    return status;
}

/* Fills in the overlay type of trace 'tr' if the trace did not tell it:
 * that of 'match', the tunnel it leaves on (NULL if unknown), else the
 * one of its UDP port.  Returns true if known, else false with a reason in
 * '*errorp' (caller frees). */
static bool
complete_type(struct ovl_trace *tr, const struct rdma_map_tunnel *match,
              char **errorp)
{
    if (tr->type_known) {
        return true;
    } else if (match) {
        tr->tuple.type = match->type;
    } else if (tr->tuple.udp_dst == OVL_VXLAN_PORT
               || tr->tuple.udp_dst == OVL_GENEVE_PORT) {
        tr->tuple.type = (tr->tuple.udp_dst == OVL_VXLAN_PORT
                          ? OVL_VXLAN : OVL_GENEVE);
    } else {
        *errorp = xasprintf("cannot tell the overlay type of tunnel %s "
                             "(UDP port %d)", tr->tnl_port,
                             tr->tuple.udp_dst);
        return false;
    }
    return true;
}

/* Stores in '*opts' the tunnel options of trace 'tr' as the trace shows
 * them, plus what a trace of one packet cannot show, from 'match', the
 * tunnel it leaves on (NULL if unknown): whether TOS and TTL follow the
 * inner packet, and the receive key. */
static void
trace_options(const struct ovl_trace *tr,
              const struct rdma_map_tunnel *match, struct ovl_tuple *opts)
{
    memset(opts, 0, sizeof *opts);
    ovl_tuple_copy_options(opts, &tr->tuple);
    if (opts->ttl == OVL_TTL_DEFAULT) {
        opts->ttl = 0;
    }
    if (match) {
        if (match->opts->tos_inherit) {
            opts->tos_inherit = true;
            opts->tos = 0;
        }
        if (match->opts->ttl_inherit) {
            opts->ttl_inherit = true;
            opts->ttl = 0;
        }
        opts->rx_vni_set = match->opts->rx_vni_set;
        opts->rx_vni = match->opts->rx_vni;
    }
}

/* Resolves the path from vport 'vp' (source IP 'src_ip') to 'dst_ip' at
 * 'dst_mac' through the bridge's OpenFlow pipeline, into '*base' (the
 * fields all connections of the path share, as rdma_resolve_path()
 * computes them), and checks it against 'caps'.  Stores in '*tunnelp' the
 * name of the tunnel it leaves on, or NULL (caller frees).  Returns
 * RDMA_RESOLVE_OK, or another status with a reason in '*errorp' (caller
 * frees).  In steps: check, trace, find the tunnel, complete the overlay
 * fields, resolve the underlay. */
enum rdma_resolve_status
rdma_pipeline_resolve(const struct rdma_mapping *m,
                      const struct rdma_map_vport *vp,
                      const struct in6_addr *src_ip,
                      const struct in6_addr *dst_ip,
                      const struct eth_addr *dst_mac,
                      const struct rdma_nic_caps *caps,
                      struct ovl_tuple *base, char **tunnelp, char **errorp)
{
    const struct rdma_map_tunnel *match;
    enum rdma_resolve_status status;
    char dst_s[INET6_ADDRSTRLEN];
    struct ovl_tuple opts;
    struct ovl_trace tr;

    memset(base, 0, sizeof *base);
    *tunnelp = NULL;
    *errorp = NULL;
    rdma_ip_to_string(dst_ip, dst_s);
    status = check_traceable(vp, src_ip, dst_ip, dst_s, dst_mac, errorp);
    if (status != RDMA_RESOLVE_OK) {
        return status;
    }
    status = trace_path(vp, src_ip, dst_ip, dst_s, dst_mac, &tr, errorp);
    if (status != RDMA_RESOLVE_OK) {
        return status;
    }

    match = find_tunnel(m, vp, &tr);
    if (!complete_type(&tr, match, errorp)) {
        ovl_trace_destroy(&tr);
        return RDMA_RESOLVE_FAILED;
    }
    trace_options(&tr, match, &opts);
    *tunnelp = xstrdup(match ? match->name : tr.tnl_port ? tr.tnl_port : "?");
    status = resolve_tuple(m, *tunnelp, vp->bridge, &tr.tuple, &opts, caps,
                           base, errorp);
    if (status == RDMA_RESOLVE_OK && tr.has_header) {
        /* The userspace datapath showed its whole header: its MACs are the
         * ones it uses. */
        base->local_mac = tr.tuple.local_mac;
        base->nexthop_mac = tr.tuple.nexthop_mac;
        base->local_ip = tr.tuple.local_ip;
    }
    ovl_trace_destroy(&tr);
    return status;
}
