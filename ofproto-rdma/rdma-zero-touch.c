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
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/route/neighbour.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_zero_touch);

/* What became of a kernel connection. */
enum zt_state {
    ZT_WAIT,                    /* Not ready yet (no QP, no neighbour). */
    ZT_BOUND,                   /* Bound by zero-touch. */
    ZT_TENANT,                  /* Its QP is bound by another source. */
    ZT_UNPLACED,                /* Cannot be bound; see 'reason'. */
    ZT_RELEASED,                /* Its binding was released by the engine
                                 * or the administrator: left alone until
                                 * the connection changes. */
};

/* Names of the states, for show-qp-map. */
static const char *const zt_state_names[] = {
    "waiting", "bound", "bound-elsewhere", "not-bound", "released"
};

/* A kernel rdma_cm connection. */
struct zt_conn {
    struct hmap_node node;      /* In 'conns', by device and cm_idn. */
    struct hmap_node id_node;   /* In 'bound', by 'cm_id', if ZT_BOUND. */
    struct rdma_kcm cm;         /* As last dumped. */
    uint64_t seen;              /* Number of the last dump it was in. */
    enum zt_state state;        /* See above. */
    char *vport;                /* ZT_BOUND: the vport bound on. */
    uint64_t cm_id;             /* ZT_BOUND: the binding's cm_id. */
    char *reason;               /* Why not bound, or NULL. */
    bool logged;                /* 'reason' was logged. */
    long long int first_seen;   /* When its QP was first seen (ms). */
};

/* An RDMA device named by an Interface (other_config:rdma-device). */
struct zt_dev {
    struct hmap_node node;      /* In 'devs', by name. */
    char *device;               /* RDMA device name. */
    char *iface;                /* Interface that names it. */
    bool rdma;                  /* Whether it has other_config:rdma=true. */
    char *conflict;             /* Another Interface naming it, or NULL. */
};

/* A network namespace's neighbour table, read once per dump. */
struct zt_neigh_ns {
    uint32_t pid;               /* A process in it (0: ovs-rdmad's own). */
    struct nl_cache *cache;     /* Its neighbours, or NULL if unreadable. */
};

/* The watcher. */
struct rdma_zero_touch {
    struct rdma_engine *engine; /* Binds through its request API. */
    struct rdma_qp_map *map;    /* To find existing bindings. */
    int poll_ms;                /* Dump interval. */
    long long int next_poll;    /* When to dump next. */
    unsigned int idl_seqno;     /* Database seqno 'devs' was built at. */
    bool have_devs;             /* Whether 'devs' was built. */
    bool devs_changed;          /* 'devs' changed: retry all. */
    uint64_t n_dumps;           /* Dumps so far. */
    uint64_t orphan_seqno;      /* QP map seqno of the last orphan scan. */
    bool orphan_scanned;        /* Whether an orphan scan ran. */
    bool dump_error_logged;     /* Whether a failing dump was logged. */
    struct hmap conns;          /* "struct zt_conn"s. */
    struct hmap bound;          /* The ZT_BOUND ones, by 'cm_id'. */
    struct hmap devs;           /* "struct zt_dev"s. */
    struct zt_neigh_ns *nss;    /* Neighbour tables read in this dump. */
    size_t n_nss, allocated_nss;
    struct rdma_zero_touch_stats stats; /* Work done. */
};

static void zt_neigh_flush(struct rdma_zero_touch *);

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
    zt->next_poll = LLONG_MIN;
    hmap_init(&zt->conns);
    hmap_init(&zt->bound);
    hmap_init(&zt->devs);
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

/* Empties the device table of 'zt'. */
static void
zt_devs_clear(struct rdma_zero_touch *zt)
{
    struct zt_dev *d;

    HMAP_FOR_EACH_POP (d, node, &zt->devs) {
        free(d->device);
        free(d->iface);
        free(d->conflict);
        free(d);
    }
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
        zt_devs_clear(zt);
        zt_neigh_flush(zt);
        free(zt->nss);
        hmap_destroy(&zt->devs);
        free(zt);
    }
}

/* Returns the device entry for 'device', or NULL. */
static struct zt_dev *
zt_dev_find(const struct rdma_zero_touch *zt, const char *device)
{
    struct zt_dev *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash_string(device, 0), &zt->devs) {
        if (!strcmp(d->device, device)) {
            return d;
        }
    }
    return NULL;
}

/* Records that Interface 'iface' names RDMA device 'device' and whether it
 * is RDMA-enabled ('rdma').  For the database and for tests. */
void
rdma_zero_touch_set_device(struct rdma_zero_touch *zt, const char *device,
                           const char *iface, bool rdma)
{
    struct zt_dev *d = zt_dev_find(zt, device);

    if (d) {
        if (strcmp(d->iface, iface) && !d->conflict) {
            d->conflict = xstrdup(iface);
        }
    } else {
        d = xzalloc(sizeof *d);
        d->device = xstrdup(device);
        d->iface = xstrdup(iface);
        d->rdma = rdma;
        hmap_insert(&zt->devs, &d->node, hash_string(device, 0));
    }
    zt->devs_changed = true;
}

/* Rebuilds the device table from the database 'idl'. */
static void
zt_read_devices(struct rdma_zero_touch *zt, const struct ovsdb_idl *idl)
{
    const struct ovsrec_interface *iface;

    zt_devs_clear(zt);
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        const char *device = smap_get(&iface->other_config, "rdma-device");

        if (device && device[0]) {
            rdma_zero_touch_set_device(zt, device, iface->name,
                                       smap_get_bool(&iface->other_config,
                                                     "rdma", false));
        }
    }
    zt->devs_changed = true;
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

/* Formats kernel connection 'cm' into 'ds' as "DEVICE/N SRC -> DST". */
static void
zt_format_cm(const struct rdma_kcm *cm, struct ds *ds)
{
    char buf[INET6_ADDRSTRLEN + 1];

    ds_put_format(ds, "%s/%"PRIu32" %s:%"PRIu16, cm->device, cm->cm_idn,
                  rdma_ip_to_string(&cm->src, buf), cm->src_port);
    ds_put_format(ds, " -> %s:%"PRIu16, rdma_ip_to_string(&cm->dst, buf),
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

        if (error) {
            VLOG_WARN("%s/%"PRIu64": %s", c->vport, c->cm_id, error);
            free(error);
        } else {
            VLOG_INFO_RL(&bind_rl, "%s/%"PRIu64": unbound: kernel "
                         "connection %s/%"PRIu32" %s", c->vport, c->cm_id,
                         c->cm.device, c->cm.cm_idn, why);
            zt->stats.n_unbound++;
        }
    }
}

/* Looks up the MAC of 'ip' in the neighbour table of the network namespace
 * of process 'pid' (0: ovs-rdmad's own).  Returns true and the MAC in
 * '*mac' if it has a usable entry. */
static bool
zt_neigh_lookup(struct rdma_zero_touch *zt, uint32_t pid,
                const struct in6_addr *ip, struct eth_addr *mac)
{
    struct zt_neigh_ns *ns = NULL;
    struct nl_object *obj;
    size_t i;

    for (i = 0; i < zt->n_nss; i++) {
        if (zt->nss[i].pid == pid) {
            ns = &zt->nss[i];
            break;
        }
    }
    if (!ns) {
        struct nl_sock *sk = nl_socket_alloc();
        int self = -1, target = -1;
        bool ok = sk != NULL;

        if (ok && pid) {
            char path[64];

            snprintf(path, sizeof path, "/proc/%"PRIu32"/ns/net", pid);
            self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
            target = open(path, O_RDONLY | O_CLOEXEC);
            ok = self >= 0 && target >= 0 && !setns(target, CLONE_NEWNET);
        }
        if (ok) {
            /* The socket stays in the namespace it was made in. */
            ok = !nl_connect(sk, NETLINK_ROUTE);
            if (pid && setns(self, CLONE_NEWNET)) {
                ovs_fatal(errno, "cannot return to ovs-rdmad's network "
                          "namespace");
            }
        }
        if (self >= 0) {
            close(self);
        }
        if (target >= 0) {
            close(target);
        }
        if (zt->n_nss >= zt->allocated_nss) {
            zt->nss = x2nrealloc(zt->nss, &zt->allocated_nss,
                                 sizeof *zt->nss);
        }
        ns = &zt->nss[zt->n_nss++];
        ns->pid = pid;
        ns->cache = NULL;
        if (ok && rtnl_neigh_alloc_cache(sk, &ns->cache)) {
            ns->cache = NULL;
        }
        if (sk) {
            nl_socket_free(sk);
        }
    }
    if (!ns->cache) {
        return false;
    }
    for (obj = nl_cache_get_first(ns->cache); obj;
         obj = nl_cache_get_next(obj)) {
        struct rtnl_neigh *n = (struct rtnl_neigh *) obj;
        struct nl_addr *dst = rtnl_neigh_get_dst(n);
        struct nl_addr *ll = rtnl_neigh_get_lladdr(n);
        int state = rtnl_neigh_get_state(n);
        struct in6_addr a;

        if (!dst || !ll || nl_addr_get_len(ll) != ETH_ADDR_LEN
            || !(state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE
                          | NUD_PERMANENT | NUD_NOARP))) {
            continue;
        }
        if (nl_addr_get_family(dst) == AF_INET
            && nl_addr_get_len(dst) == 4) {
            ovs_be32 v4;

            memcpy(&v4, nl_addr_get_binary_addr(dst), 4);
            a = in6_addr_mapped_ipv4(v4);
        } else if (nl_addr_get_family(dst) == AF_INET6
                   && nl_addr_get_len(dst) == 16) {
            memcpy(&a, nl_addr_get_binary_addr(dst), 16);
        } else {
            continue;
        }
        if (ipv6_addr_equals(&a, ip)) {
            memcpy(mac, nl_addr_get_binary_addr(ll), ETH_ADDR_LEN);
            return !eth_addr_is_zero(*mac);
        }
    }
    return false;
}

/* Frees the neighbour tables read in this dump. */
static void
zt_neigh_flush(struct rdma_zero_touch *zt)
{
    size_t i;

    for (i = 0; i < zt->n_nss; i++) {
        if (zt->nss[i].cache) {
            nl_cache_free(zt->nss[i].cache);
        }
    }
    zt->n_nss = 0;
}

/* Tries to bind connection 'c'. */
static void
zt_place(struct rdma_zero_touch *zt, struct zt_conn *c)
{
    const struct rdma_kcm *cm = &c->cm;
    struct rdma_binding *b;
    struct rdma_request req;
    const struct zt_dev *d;
    uint64_t cm_id;
    char *error;

    if (!cm->lqpn) {
        zt_set_state(zt, c, ZT_WAIT, xstrdup("waiting for its QP"));
        return;
    }
    d = zt_dev_find(zt, cm->device);
    if (!d) {
        zt_set_state(zt, c, ZT_UNPLACED,
                     xasprintf("unknown RDMA device %s: no Interface has "
                               "other_config:rdma-device=%s (set it on the "
                               "OVS port of the tenant's netdev, its veth "
                               "peer or representor)", cm->device,
                               cm->device));
        return;
    }
    if (d->conflict) {
        zt_set_state(zt, c, ZT_UNPLACED,
                     xasprintf("RDMA device %s is named by several "
                               "Interfaces (%s, %s): keep "
                               "other_config:rdma-device on one", cm->device,
                               d->iface, d->conflict));
        return;
    }
    if (!d->rdma) {
        zt_set_state(zt, c, ZT_UNPLACED,
                     xasprintf("vport %s (RDMA device %s) is not "
                               "RDMA-enabled: set other_config:rdma=true "
                               "on its Interface", d->iface, cm->device));
        return;
    }

    cm_id = zt_cm_id(cm);
    b = rdma_qp_map_find_qpn(zt->map, cm->device, cm->lqpn);
    if (b && !(zt_binding(b) && b->cm_id == cm_id
               && !strcmp(b->vport->name, d->iface))) {
        if (!zt_binding(b)) {
            /* The first source to bind a QP keeps it. */
            zt_set_state(zt, c, ZT_TENANT,
                         xasprintf("QP %"PRIu32" is bound already as "
                                   "%s/%"PRIu64" (tenant socket or "
                                   "administrator)", cm->lqpn,
                                   b->vport->name, b->cm_id));
            return;
        }
        /* A stale zero-touch binding of another connection. */
        error = rdma_engine_unbind(zt->engine, b->vport->name, b->cm_id);
        free(error);
        b = NULL;
    }
    if (!b) {
        b = rdma_qp_map_find(zt->map, d->iface, cm_id);
        if (b && b->qpn != cm->lqpn) {
            error = rdma_engine_unbind(zt->engine, d->iface, cm_id);
            free(error);
            b = NULL;
        }
    }
    if (b && ipv6_addr_equals(&b->dst_ip, &cm->dst)) {
        /* Bound before a restart: adopt it, no NIC operation. */
        free(c->vport);
        c->vport = xstrdup(d->iface);
        c->cm_id = cm_id;
        zt_set_state(zt, c, ZT_BOUND, NULL);
        zt->stats.n_adopted++;
        VLOG_INFO("%s/%"PRIu64": adopted kernel connection %s/%"PRIu32,
                  d->iface, cm_id, cm->device, cm->cm_idn);
        return;
    } else if (b) {
        error = rdma_engine_unbind(zt->engine, d->iface, cm_id);
        free(error);
    }

    memset(&req, 0, sizeof req);
    req.vport = d->iface;
    req.dst_ip = cm->dst;
    req.src_ip = cm->src;
    req.has_src_ip = true;
    req.cm_id = cm_id;
    req.has_cm_id = true;
    req.qpn = cm->lqpn;
    req.has_qpn = true;
    if (cm->has_dst_mac) {
        req.dst_mac = cm->dst_mac;
    } else if (!zt_neigh_lookup(zt, cm->pid, &cm->dst, &req.dst_mac)) {
        char buf[INET6_ADDRSTRLEN + 1];

        zt_set_state(zt, c, ZT_WAIT,
                     xasprintf("waiting for the neighbour entry of %s in "
                               "the namespace of process %"PRIu32,
                               rdma_ip_to_string(&cm->dst, buf), cm->pid));
        return;
    }
    req.has_dst_mac = true;

    error = rdma_engine_bind(zt->engine, &req, &b);
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

    HMAP_FOR_EACH (b, key_node, &zt->map->bindings) {
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

/* Returns a monotonic time in nanoseconds. */
static long long int
zt_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Dumps the kernel's connections once and brings the bindings in line. */
void
rdma_zero_touch_poll(struct rdma_zero_touch *zt)
{
    long long int start = zt_now_ns();
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

    for (i = 0; i < n; i++) {
        const struct rdma_kcm *cm = &cms[i];
        bool changed;

        if (!zt_wanted(cm)) {
            continue;
        }
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
    free(cms);
    zt_neigh_flush(zt);

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
    zt->stats.total_poll_ns += zt->stats.last_poll_ns;
}

/* Runs the watcher: re-reads the RDMA devices of the Interfaces when the
 * database 'idl' changed, and dumps the kernel's connections when due. */
void
rdma_zero_touch_run(struct rdma_zero_touch *zt, const struct ovsdb_idl *idl)
{
    if (idl && ovsrec_open_vswitch_first(idl)
        && (!zt->have_devs || ovsdb_idl_get_seqno(idl) != zt->idl_seqno)) {
        zt->idl_seqno = ovsdb_idl_get_seqno(idl);
        zt->have_devs = true;
        zt_read_devices(zt, idl);
    }
    if (zt->have_devs && time_msec() >= zt->next_poll) {
        zt->next_poll = time_msec() + zt->poll_ms;
        rdma_zero_touch_poll(zt);
    }
}

/* Arranges for poll_block() to wake when the next dump is due. */
void
rdma_zero_touch_wait(struct rdma_zero_touch *zt)
{
    if (zt->have_devs) {
        poll_timer_wait_until(zt->next_poll);
    }
}

/* Returns the number of kernel connections 'zt' follows, and stores in
 * '*bound' how many of them it bound. */
size_t
rdma_zero_touch_count(const struct rdma_zero_touch *zt, size_t *bound)
{
    const struct zt_conn *c;

    *bound = 0;
    HMAP_FOR_EACH (c, node, &zt->conns) {
        *bound += c->state == ZT_BOUND;
    }
    return hmap_count(&zt->conns);
}

/* Stores the counters of 'zt' in '*stats'. */
void
rdma_zero_touch_get_stats(const struct rdma_zero_touch *zt,
                          struct rdma_zero_touch_stats *stats)
{
    *stats = zt->stats;
}

/* Compares connections by device, then cm_id number, for qsort(). */
static int
zt_compare(const void *a_, const void *b_)
{
    const struct zt_conn *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->cm.device, (*b)->cm.device);

    return (cmp ? cmp
            : (*a)->cm.cm_idn < (*b)->cm.cm_idn ? -1
            : (*a)->cm.cm_idn > (*b)->cm.cm_idn);
}

/* Returns the connections of 'zt' that are not bound by it, for vport
 * 'vport' (or all, if NULL), sorted; stores their number in '*np'.  The
 * caller frees the array. */
static const struct zt_conn **
zt_unplaced(const struct rdma_zero_touch *zt, const char *vport, size_t *np)
{
    const struct zt_conn **array;
    const struct zt_conn *c;
    size_t n = 0;

    array = xmalloc(MAX(1, hmap_count(&zt->conns)) * sizeof *array);
    HMAP_FOR_EACH (c, node, &zt->conns) {
        const struct zt_dev *d;

        if (c->state == ZT_BOUND) {
            continue;
        }
        d = zt_dev_find(zt, c->cm.device);
        if (vport && (!d || strcmp(d->iface, vport))) {
            continue;
        }
        array[n++] = c;
    }
    qsort(array, n, sizeof *array, zt_compare);
    *np = n;
    return array;
}

/* Appends to 'ds' the kernel connections that zero-touch did not bind
 * (of 'vport' only, if nonnull), one a line with the reason. */
void
rdma_zero_touch_format_unplaced(const struct rdma_zero_touch *zt,
                                const char *vport, struct ds *ds)
{
    const struct zt_conn **array;
    size_t n, i;

    array = zt_unplaced(zt, vport, &n);
    for (i = 0; i < n; i++) {
        ds_put_cstr(ds, "kernel ");
        zt_format_cm(&array[i]->cm, ds);
        ds_put_format(ds, " state=%s: %s\n",
                      zt_state_names[array[i]->state],
                      array[i]->reason ? array[i]->reason : "");
    }
    ds_put_format(ds, "%"PRIuSIZE" kernel connection%s not bound by "
                  "zero-touch\n", n, n == 1 ? "" : "s");
    free(array);
}

/* Returns a JSON array of the kernel connections that zero-touch did not
 * bind (of 'vport' only, if nonnull): objects with "device", "cm_idn",
 * "src", "dst", "qpn", "pid", "state" and "reason". */
struct json *
rdma_zero_touch_unplaced_to_json(const struct rdma_zero_touch *zt,
                                 const char *vport)
{
    struct json *array = json_array_create_empty();
    const struct zt_conn **conns;
    size_t n, i;

    conns = zt_unplaced(zt, vport, &n);
    for (i = 0; i < n; i++) {
        const struct rdma_kcm *cm = &conns[i]->cm;
        struct json *o = json_object_create();
        char buf[INET6_ADDRSTRLEN + 1];

        json_object_put_string(o, "device", cm->device);
        json_object_put(o, "cm_idn", json_integer_create(cm->cm_idn));
        json_object_put_string(o, "src", rdma_ip_to_string(&cm->src, buf));
        json_object_put_string(o, "dst", rdma_ip_to_string(&cm->dst, buf));
        json_object_put(o, "qpn", json_integer_create(cm->lqpn));
        json_object_put(o, "pid", json_integer_create(cm->pid));
        json_object_put_string(o, "state",
                               zt_state_names[conns[i]->state]);
        json_object_put_string(o, "reason", (conns[i]->reason
                                             ? conns[i]->reason : ""));
        json_array_add(array, o);
    }
    free(conns);
    return array;
}

/* "rdma/zero-touch-show": the watcher's counters and every kernel
 * connection it follows, with what became of it. */
static void
zt_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
        const char *argv[] OVS_UNUSED, void *zt_)
{
    const struct rdma_zero_touch *zt = zt_;
    const struct rdma_zero_touch_stats *st = &zt->stats;
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct zt_conn **array;
    const struct zt_conn *c;
    size_t n = 0, i;

    ds_put_format(&ds, "poll interval %d ms, %"PRIu64" polls (%"PRIu64
                  " failed), last %lld us, mean %lld us\n", zt->poll_ms,
                  st->n_polls, st->n_dump_errors, st->last_poll_ns / 1000,
                  st->n_polls ? st->total_poll_ns / 1000
                  / (long long int) st->n_polls : 0);
    ds_put_format(&ds, "bound %"PRIu64", unbound %"PRIu64", adopted %"PRIu64
                  ", refused %"PRIu64", orphans released %"PRIu64
                  ", longest QP-to-bound delay %lld ms\n", st->n_bound,
                  st->n_unbound, st->n_adopted, st->n_refused,
                  st->n_orphans, st->max_delay_ms);
    array = xmalloc(MAX(1, hmap_count(&zt->conns)) * sizeof *array);
    HMAP_FOR_EACH (c, node, &zt->conns) {
        array[n++] = c;
    }
    qsort(array, n, sizeof *array, zt_compare);
    for (i = 0; i < n; i++) {
        c = array[i];
        zt_format_cm(&c->cm, &ds);
        ds_put_format(&ds, " state=%s", zt_state_names[c->state]);
        if (c->state == ZT_BOUND) {
            ds_put_format(&ds, " binding=%s/%"PRIu64, c->vport, c->cm_id);
        } else if (c->reason) {
            ds_put_format(&ds, ": %s", c->reason);
        }
        ds_put_char(&ds, '\n');
    }
    free(array);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* Registers the watcher's unixctl commands (once per process). */
void
rdma_zero_touch_register_commands(struct rdma_zero_touch *zt)
{
    unixctl_command_register("rdma/zero-touch-show", "", 0, 0, zt_show, zt);
}
