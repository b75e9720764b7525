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

#include "rdma-zero-touch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-zero-touch-private.h"
#include "rdma-zt-wake.h"
#include "rdma-request.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_zero_touch);

/* Names of the states, for show-qp-map. */
const char *const zt_state_names[] = {
    "waiting", "bound", "bound-elsewhere", "not-bound", "released"
};


/* Rate of "bound" and "unbound" log messages: 10 a second, in bursts of
 * up to 600. */
static struct vlog_rate_limit bind_rl = VLOG_RATE_LIMIT_INIT(10, 600);

/* Returns true if 'cm_id' is one of zero-touch's bindings' cm_ids. */
bool
rdma_zero_touch_owns(uint64_t cm_id)
{
    return cm_id >= RDMA_ZT_CM_ID_BASE && cm_id < 2 * RDMA_ZT_CM_ID_BASE;
}

/* Returns the cm_id of the binding of kernel connection 'cm'. */
static uint64_t
zt_cm_id(const struct rdma_kcm *cm)
{
    return (RDMA_ZT_CM_ID_BASE | ((uint64_t) (cm->dev_index & 0xffffff)
                                  << 32) | cm->cm_idn);
}

/* Returns true if 'b' is a zero-touch binding: one of its cm_ids, bound by
 * no tenant connection and not persistent. */
static bool
zt_binding(const struct rdma_binding *b)
{
    return rdma_zero_touch_owns(b->cm_id) && !b->owner && !b->persistent;
}

/* Creates a watcher that binds through 'engine', whose QP map is 'map',
 * and dumps the kernel's connections every 'poll_ms' ms. */
struct rdma_zero_touch *
rdma_zero_touch_create(struct rdma_engine *engine, struct rdma_qp_map *map,
                       int poll_ms)
{
    struct rdma_zero_touch *zt = xzalloc(sizeof *zt);

    zt->engine = engine;
    zt->map = map;
    zt->poll_ms = MAX(1, poll_ms);
    zt->wake_enabled = true;
    zt->next_poll = LLONG_MIN;
    hmap_init(&zt->conns);
    hmap_init(&zt->bound);
    hmap_init(&zt->devs);
    hmap_init(&zt->auto_devs);
    smap_init(&zt->ifaces);
    smap_init(&zt->iface_devices);
    zt->neighs = rdma_kneigh_cache_create();
    ds_init(&zt->listeners);
    smap_init(&zt->listen_failed);
    return zt;
}

/* Frees connection 'c' of 'zt'. */
static void
zt_conn_free(struct rdma_zero_touch *zt, struct zt_conn *c)
{
    hmap_remove(&zt->conns, &c->node);
    if (c->state == ZT_BOUND) {
        hmap_remove(&zt->bound, &c->id_node);
    }
    free(c->vport);
    free(c->reason);
    free(c);
}

/* Destroys 'zt', leaving its bindings in place (a restarted ovs-rdmad
 * adopts them). */
void
rdma_zero_touch_destroy(struct rdma_zero_touch *zt)
{
    if (zt) {
        struct zt_conn *c;

        HMAP_FOR_EACH_SAFE (c, node, &zt->conns) {
            zt_conn_free(zt, c);
        }
        hmap_destroy(&zt->conns);
        hmap_destroy(&zt->bound);
        zt_wake_destroy(zt->wake);
        zt_devs_destroy(zt);
        rdma_kneigh_cache_destroy(zt->neighs);
        ds_destroy(&zt->listeners);
        smap_destroy(&zt->listen_failed);
        free(zt);
    }
}

/* Returns the hash of connection (device, cm_idn). */
static uint32_t
zt_hash(const char *device, uint32_t cm_idn)
{
    return hash_string(device, cm_idn);
}

/* Returns the connection (device, cm_idn), or NULL. */
static struct zt_conn *
zt_conn_find(const struct rdma_zero_touch *zt, const char *device,
             uint32_t cm_idn)
{
    struct zt_conn *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, zt_hash(device, cm_idn), &zt->conns) {
        if (c->cm.cm_idn == cm_idn && !strcmp(c->cm.device, device)) {
            return c;
        }
    }
    return NULL;
}

/* Formats 'ip' into 'buf' as rdma_ip_to_string() does, but the IPv4
 * wildcard (a listener's) as 0.0.0.0.  Returns 'buf'. */
const char *
zt_ip_to_string(const struct in6_addr *ip, char buf[INET6_ADDRSTRLEN + 1])
{
    if (rdma_ip_is_v4(ip) && !rdma_ip_is_set(ip)) {
        ovs_strlcpy(buf, "0.0.0.0", INET6_ADDRSTRLEN + 1);
        return buf;
    }
    return rdma_ip_to_string(ip, buf);
}

/* Formats kernel connection 'cm' into 'ds' as "DEVICE/N SRC -> DST". */
void
zt_format_cm(const struct rdma_kcm *cm, struct ds *ds)
{
    char buf[INET6_ADDRSTRLEN + 1];

    if (cm->cm_idn & ZT_LISTEN_IDN) {
        ds_put_format(ds, "%s/listener %s:%"PRIu16, cm->device,
                      zt_ip_to_string(&cm->src, buf), cm->src_port);
    } else if (cm->cm_idn & ZT_ACTIVE_IDN) {
        /* The GSI binding of an active cm_id without a QP yet. */
        ds_put_format(ds, "%s/%"PRIu32"/gsi %s:%"PRIu16, cm->device,
                      cm->cm_idn & ~ZT_ACTIVE_IDN,
                      zt_ip_to_string(&cm->src, buf), cm->src_port);
    } else {
        ds_put_format(ds, "%s/%"PRIu32" %s:%"PRIu16, cm->device,
                      cm->cm_idn, zt_ip_to_string(&cm->src, buf),
                      cm->src_port);
    }
    ds_put_format(ds, " -> %s:%"PRIu16, zt_ip_to_string(&cm->dst, buf),
                  cm->dst_port);
    if (cm->lqpn) {
        ds_put_format(ds, " qpn=%"PRIu32, cm->lqpn);
    }
    if (cm->pid) {
        ds_put_format(ds, " pid=%"PRIu32, cm->pid);
    }
}

/* Sets the state of 'c' to 'state' with 'reason' (taken over, may be
 * NULL), logging an unplaced connection's reason once. */
static void
zt_set_state(struct rdma_zero_touch *zt, struct zt_conn *c,
             enum zt_state state, char *reason)
{
    bool same = (c->state == state && reason && c->reason
                 && !strcmp(reason, c->reason));

    if (c->state == ZT_BOUND && state != ZT_BOUND) {
        hmap_remove(&zt->bound, &c->id_node);
    } else if (c->state != ZT_BOUND && state == ZT_BOUND) {
        hmap_insert(&zt->bound, &c->id_node, hash_uint64(c->cm_id));
    }
    c->state = state;
    free(c->reason);
    c->reason = reason;
    if (!same) {
        c->logged = false;
    }
    if (state == ZT_UNPLACED && !c->logged) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        zt_format_cm(&c->cm, &ds);
        VLOG_INFO("kernel connection %s not bound: %s", ds_cstr(&ds),
                  reason);
        ds_destroy(&ds);
        c->logged = true;
    }
}

/* Unbinds the binding of 'c', if it is still there. */
static void
zt_unbind(struct rdma_zero_touch *zt, struct zt_conn *c, const char *why)
{
    struct rdma_binding *b = rdma_qp_map_find(zt->map, c->vport, c->cm_id);

    if (b && zt_binding(b)) {
        char *error = rdma_engine_unbind(zt->engine, c->vport, c->cm_id);
        bool gsi = ((c->cm.cm_idn & (ZT_LISTEN_IDN | ZT_ACTIVE_IDN))
                    == ZT_ACTIVE_IDN);

        if (error) {
            VLOG_WARN("%s/%"PRIu64": %s", c->vport, c->cm_id, error);
            free(error);
        } else {
            VLOG_INFO_RL(&bind_rl, "%s/%"PRIu64": unbound: kernel "
                         "connection %s/%"PRIu32"%s %s", c->vport, c->cm_id,
                         c->cm.device,
                         gsi ? c->cm.cm_idn & ~ZT_ACTIVE_IDN : c->cm.cm_idn,
                         gsi ? "/gsi" : "", why);
            zt->stats.n_unbound++;
        }
    }
}
/* Looks for an existing binding of connection 'c' of device 'd' at
 * 'cm_id', releasing zero-touch's stale ones of its QP or its cm_id.
 * Returns true if that settled 'c' (adopted, or its QP or cm_id is a
 * tenant's or the administrator's), false if it needs a new binding. */
static bool
zt_reuse(struct rdma_zero_touch *zt, struct zt_conn *c,
         const struct zt_dev *d, uint64_t cm_id)
{
    const struct rdma_kcm *cm = &c->cm;
    struct rdma_binding *b;

    /* The GSI QP is every connection's: bound once per peer. */
    b = (cm->lqpn == RDMA_GSI_QPN ? NULL
         : rdma_qp_map_find_qpn(zt->map, cm->device, cm->lqpn));
    if (b && !(zt_binding(b) && b->cm_id == cm_id
               && !strcmp(b->vport->name, d->iface))) {
        if (!zt_binding(b)) {
            /* The first source to bind a QP keeps it. */
            zt_set_state(zt, c, ZT_TENANT,
                         xasprintf("QP %"PRIu32" is bound already as "
                                   "%s/%"PRIu64" (tenant socket or "
                                   "administrator)", cm->lqpn,
                                   b->vport->name, b->cm_id));
            return true;
        }
        /* A stale zero-touch binding of another connection. */
        free(rdma_engine_unbind(zt->engine, b->vport->name, b->cm_id));
        b = NULL;
    }
    if (!b) {
        b = rdma_qp_map_find(zt->map, d->iface, cm_id);
    }
    if (b && !zt_binding(b)) {
        /* Not one of ours (a tenant's persistent binding restored from a
         * state file older than the range's reservation): it stays. */
        zt_set_state(zt, c, ZT_TENANT,
                     xasprintf("cm_id %"PRIu64" of vport %s is bound "
                               "already by a tenant socket or the "
                               "administrator: unbind it", cm_id,
                               d->iface));
        return true;
    }
    if (b && b->qpn == cm->lqpn && rdma_binding_dst_ip_is(b, &cm->dst)) {
        /* Bound before a restart: adopt it, no NIC operation. */
        free(c->vport);
        c->vport = xstrdup(d->iface);
        c->cm_id = cm_id;
        zt_set_state(zt, c, ZT_BOUND, NULL);
        zt->stats.n_adopted++;
        VLOG_INFO("%s/%"PRIu64": adopted kernel connection %s/%"PRIu32,
                  d->iface, cm_id, cm->device, cm->cm_idn);
        return true;
    } else if (b) {
        free(rdma_engine_unbind(zt->engine, d->iface, cm_id));
    }
    return false;
}

/* Returns a monotonic time in nanoseconds. */
static long long int
zt_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Binds connection 'c' of device 'd' anew as 'cm_id', or says why not. */
static void
zt_bind(struct rdma_zero_touch *zt, struct zt_conn *c,
        const struct zt_dev *d, uint64_t cm_id)
{
    const struct rdma_kcm *cm = &c->cm;
    struct rdma_binding *b;
    long long int t0 = zt_now_ns(), t1;
    struct rdma_request req;
    char *error;

    memset(&req, 0, sizeof req);
    req.vport = d->iface;
    req.dst_ip = cm->dst;
    req.src_ip = cm->src;
    req.has_src_ip = rdma_ip_is_set(&cm->src); /* Else the vport's. */
    req.cm_id = cm_id;
    req.has_cm_id = true;
    req.qpn = cm->lqpn;
    req.has_qpn = true;
    req.zero_touch = true;
    if (cm->has_dst_mac) {
        req.dst_mac = cm->dst_mac;
    } else if (!rdma_kneigh_lookup(zt->neighs, cm->pid, &cm->dst,
                                   &req.dst_mac)) {
        char buf[INET6_ADDRSTRLEN + 1];

        zt_set_state(zt, c, ZT_WAIT,
                     xasprintf("waiting for the neighbour entry of %s in "
                               "the namespace of process %"PRIu32,
                               zt_ip_to_string(&cm->dst, buf), cm->pid));
        return;
    }
    req.has_dst_mac = true;

    t1 = zt_now_ns();
    error = rdma_engine_bind(zt->engine, &req, &b);
    VLOG_DBG("%s/%"PRIu32": neighbour in %lld us, engine bind in %lld us",
             cm->device, cm->cm_idn, (t1 - t0) / 1000,
             (zt_now_ns() - t1) / 1000);
    if (error) {
        zt->stats.n_refused++;
        zt_set_state(zt, c, ZT_UNPLACED, error);
        return;
    }
    free(c->vport);
    c->vport = xstrdup(d->iface);
    c->cm_id = cm_id;
    zt_set_state(zt, c, ZT_BOUND, NULL);
    zt->stats.n_bound++;
    zt->stats.max_delay_ms = MAX(zt->stats.max_delay_ms,
                                 time_msec() - c->first_seen);
    if (!VLOG_DROP_INFO(&bind_rl)) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        zt_format_cm(cm, &ds);
        VLOG_INFO("%s/%"PRIu64": bound kernel connection %s, %lld ms "
                  "after its QP was seen", d->iface, cm_id, ds_cstr(&ds),
                  time_msec() - c->first_seen);
        ds_destroy(&ds);
    }
}

/* Tries to bind connection 'c'. */
static void
zt_place(struct rdma_zero_touch *zt, struct zt_conn *c)
{
    const struct zt_dev *d;
    uint64_t cm_id;
    char *error;

    if (!c->cm.lqpn) {
        zt_set_state(zt, c, ZT_WAIT, xstrdup("waiting for its QP"));
        return;
    }
    d = zt_dev_resolve(zt, &c->cm, &error);
    if (!d) {
        zt_set_state(zt, c, ZT_UNPLACED, error);
        return;
    }
    cm_id = zt_cm_id(&c->cm);
    if (!zt_reuse(zt, c, d, cm_id)) {
        zt_bind(zt, c, d, cm_id);
    }
}

/* Returns true if the RDMA device of bound connection 'c' still belongs
 * to the vport it is bound on (the configuration changed). */
static bool
zt_still_placed(struct rdma_zero_touch *zt, const struct zt_conn *c)
{
    const struct zt_dev *d;
    char *reason;

    d = zt_dev_resolve(zt, &c->cm, &reason);
    free(reason);
    return d && !strcmp(d->iface, c->vport);
}

/* Returns true if kernel connection 'cm' is one zero-touch follows: a
 * connected (RC or UC) rdma_cm id whose addresses are resolved. */
static bool
zt_wanted(const struct rdma_kcm *cm)
{
    if (!cm->has_src || !cm->has_dst || !rdma_ip_is_set(&cm->dst)
        || (cm->qp_type != 2 && cm->qp_type != 3)) {
        return false;
    }
    switch (cm->state) {
    case RDMA_KCM_ADDR_RESOLVED:
    case RDMA_KCM_ROUTE_QUERY:
    case RDMA_KCM_ROUTE_RESOLVED:
    case RDMA_KCM_CONNECT:
    case RDMA_KCM_DISCONNECT:
        return true;
    default:
        return false;
    }
}

/* Releases the zero-touch bindings whose kernel connection no dump shows
 * (they went while ovs-rdmad was down, or the connection moved): run when
 * the QP map changed. */
static void
zt_scan_orphans(struct rdma_zero_touch *zt)
{
    struct rdma_binding **orphans = NULL;
    size_t n = 0, allocated = 0, i;
    struct rdma_binding *b;

    RDMA_QP_MAP_FOR_EACH (b, zt->map) {
        if (zt_binding(b)) {
            const struct zt_conn *c = NULL;
            struct zt_conn *cc;

            HMAP_FOR_EACH_WITH_HASH (cc, id_node, hash_uint64(b->cm_id),
                                     &zt->bound) {
                if (cc->cm_id == b->cm_id
                    && !strcmp(cc->vport, b->vport->name)) {
                    c = cc;
                    break;
                }
            }
            if (!c) {
                if (n >= allocated) {
                    orphans = x2nrealloc(orphans, &allocated,
                                         sizeof *orphans);
                }
                orphans[n++] = b;
            }
        }
    }
    for (i = 0; i < n; i++) {
        VLOG_INFO("%s/%"PRIu64": unbound: no kernel connection has it "
                  "any more", orphans[i]->vport->name, orphans[i]->cm_id);
        rdma_engine_release(zt->engine, orphans[i]);
        zt->stats.n_orphans++;
    }
    free(orphans);
}

/* Brings the binding of kernel connection 'cm', seen in the current dump,
 * in line; 'retry_all' if the RDMA devices' vports changed. */
static void
zt_poll_cm(struct rdma_zero_touch *zt, const struct rdma_kcm *cm,
           bool retry_all)
{
    struct zt_conn *c;
    bool changed;

    c = zt_conn_find(zt, cm->device, cm->cm_idn);
    if (!c) {
        c = xzalloc(sizeof *c);
        c->cm = *cm;
        c->state = ZT_WAIT;
        c->first_seen = cm->lqpn ? time_msec() : 0;
        hmap_insert(&zt->conns, &c->node,
                    zt_hash(cm->device, cm->cm_idn));
        changed = true;
    } else {
        changed = (c->cm.lqpn != cm->lqpn
                   || c->cm.dev_index != cm->dev_index
                   || c->cm.pid != cm->pid
                   || !ipv6_addr_equals(&c->cm.src, &cm->src)
                   || !ipv6_addr_equals(&c->cm.dst, &cm->dst));
        if (changed && c->state == ZT_BOUND) {
            zt_unbind(zt, c, "changed");
            zt_set_state(zt, c, ZT_WAIT, NULL);
        }
        if (!c->first_seen && cm->lqpn) {
            c->first_seen = time_msec();
        }
        c->cm = *cm;
    }
    c->seen = zt->n_dumps;

    switch (c->state) {
    case ZT_BOUND:
        if (!rdma_qp_map_find(zt->map, c->vport, c->cm_id)) {
            zt_set_state(zt, c, ZT_RELEASED,
                         xstrdup("its binding was released (its QP "
                                 "went, or the administrator unbound "
                                 "it)"));
        } else if (retry_all && !zt_still_placed(zt, c)) {
            zt_unbind(zt, c, "belongs to another vport now");
            zt_set_state(zt, c, ZT_WAIT, NULL);
            zt_place(zt, c);
        }
        break;
    case ZT_WAIT:
        zt_place(zt, c);
        break;
    case ZT_UNPLACED:
    case ZT_TENANT:
        /* Retried after every dump: the configuration, the underlay
         * or the other binding may have changed. */
        zt_place(zt, c);
        break;
    case ZT_RELEASED:
        if (changed || retry_all) {
            zt_place(zt, c);
        }
        break;
    }
}

/* Dumps the kernel's connections once and brings the bindings in line. */
void
rdma_zero_touch_poll(struct rdma_zero_touch *zt)
{
    long long int start = zt_now_ns();
    long long int t_dump, t_listen;
    size_t n_kernel, n_gsi;
    struct zt_conn *c;
    struct rdma_kcm *cms;
    size_t n, i;
    bool retry_all;
    int error;

    error = rdma_qp_source_dump_cm_ids(&cms, &n);
    if (error) {
        zt->stats.n_dump_errors++;
        if (!zt->dump_error_logged) {
            if (error == EOPNOTSUPP) {
                VLOG_WARN("zero-touch binding cannot see the kernel's "
                          "rdma_cm connections: no RDMA netlink (the kernel "
                          "has no RDMA stack, or --qp-source is not "
                          "netlink)");
            } else {
                VLOG_WARN("cannot read the kernel's rdma_cm connections "
                          "(%s): zero-touch binding keeps the bindings it "
                          "made and tries again", ovs_strerror(error));
            }
            zt->dump_error_logged = true;
        }
        return;
    }
    zt->dump_error_logged = false;
    zt->n_dumps++;
    retry_all = zt->devs_changed;
    zt->devs_changed = false;

    /* The active sides' GSI bindings first: each races its application's
     * rdma_connect(). */
    t_dump = zt_now_ns();
    n_kernel = n;
    zt_add_active_gsi(&cms, &n);
    n_gsi = n;
    for (i = n_kernel; i < n_gsi; i++) {
        zt_poll_cm(zt, &cms[i], retry_all);
    }
    zt_add_listener_peers(zt, &cms, &n);
    t_listen = zt_now_ns();
    for (i = 0; i < n; i++) {
        if ((i < n_kernel || i >= n_gsi) && zt_wanted(&cms[i])) {
            zt_poll_cm(zt, &cms[i], retry_all);
        }
    }
    free(cms);
    rdma_kneigh_cache_flush(zt->neighs);

    HMAP_FOR_EACH_SAFE (c, node, &zt->conns) {
        if (c->seen != zt->n_dumps) {
            if (c->state == ZT_BOUND) {
                zt_unbind(zt, c, "went away");
            }
            zt_conn_free(zt, c);
        }
    }
    if (!zt->orphan_scanned || zt->orphan_seqno != zt->map->seqno) {
        zt_scan_orphans(zt);
        zt->orphan_scanned = true;
        zt->orphan_seqno = zt->map->seqno;
    }

    zt->stats.n_polls++;
    zt->stats.last_poll_ns = zt_now_ns() - start;
    VLOG_DBG("dump %"PRIu64": %"PRIuSIZE" cm_ids read in %lld us, "
             "GSI bindings and listeners' peers in %lld us, the rest "
             "placed in %lld us",
             zt->n_dumps, n, (t_dump - start) / 1000,
             (t_listen - t_dump) / 1000,
             (zt_now_ns() - t_listen) / 1000);
    zt->stats.total_poll_ns += zt->stats.last_poll_ns;
}

/* With a wake-up (rdma-zt-wake.c), a periodic dump still runs, this many
 * times less often than when polling only: it catches what no tracepoint
 * reports (a listener entering LISTEN, a neighbour entry that goes, a
 * binding the engine released). */
#define ZT_WAKE_RESCAN_FACTOR 10

/* Says whether to look for a wake-up at all ("--zero-touch-wake"): if
 * not, 'zt' only polls.  Call before its first rdma_zero_touch_run(). */
void
rdma_zero_touch_set_wake(struct rdma_zero_touch *zt, bool enable)
{
    zt->wake_enabled = enable;
}

/* Returns the interval of the periodic dumps of 'zt', in ms. */
int
zt_interval(const struct rdma_zero_touch *zt)
{
    return (zt->wake && zt_wake_mode(zt->wake) != ZT_WAKE_POLL
            ? zt->poll_ms * ZT_WAKE_RESCAN_FACTOR : zt->poll_ms);
}

/* Runs the watcher: re-reads the RDMA devices of the Interfaces when the
 * database 'idl' changed, and dumps the kernel's connections when due or
 * when woken (at most once per main-loop iteration). */
void
rdma_zero_touch_run(struct rdma_zero_touch *zt, const struct ovsdb_idl *idl)
{
    bool woken;

    if (!zt->wake) {
        zt->wake = zt_wake_create(zt->wake_enabled);
    }
    woken = zt_wake_run(zt->wake);
    if (idl && ovsrec_open_vswitch_first(idl)
        && (!zt->have_devs || ovsdb_idl_get_seqno(idl) != zt->idl_seqno)) {
        zt->idl_seqno = ovsdb_idl_get_seqno(idl);
        zt->have_devs = true;
        zt_read_devices(zt, idl);
    }
    if (zt->have_devs && (woken || time_msec() >= zt->next_poll)) {
        zt->next_poll = time_msec() + zt_interval(zt);
        zt->stats.n_woken += woken;
        rdma_zero_touch_poll(zt);
    }
}

/* Arranges for poll_block() to wake when the next dump is due, or when
 * something wakes the watcher. */
void
rdma_zero_touch_wait(struct rdma_zero_touch *zt)
{
    if (zt->wake) {
        zt_wake_wait(zt->wake);
    }
    if (zt->have_devs) {
        poll_timer_wait_until(zt->next_poll);
    }
}
