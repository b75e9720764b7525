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

#ifndef RDMA_ZERO_TOUCH_PRIVATE_H
#define RDMA_ZERO_TOUCH_PRIVATE_H 1

/* The zero-touch watcher's state, shared by its modules:
 * rdma-zero-touch.c (the dump and the bindings), rdma-zt-listen.c (the
 * listeners' peers) and rdma-zt-show.c (what it shows). */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "rdma-kneigh.h"
#include "rdma-qp-source.h"
#include "rdma-zero-touch.h"
#include "smap.h"

struct ds;
struct zt_wake;

/* The cm_id numbers of the connections of listeners to their peers
 * (rdma-zt-listen.c) have this bit set. */
#define ZT_LISTEN_IDN 0x80000000u

/* The cm_id numbers of the GSI connections of active cm_ids that have no
 * QP yet (rdma-zt-active.c) are the kernel's with this bit set. */
#define ZT_ACTIVE_IDN 0x40000000u

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
extern const char *const zt_state_names[];
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
    bool automatic;             /* Found behind a vport, not named. */
    uint32_t dev_index;         /* 'automatic': the device's index. */
    uint64_t seen;              /* 'automatic': dump it was looked for. */
    char *reason;               /* 'automatic', no 'iface': why not. */
    long long int retry_at;     /* 'automatic', no 'iface': when to look
                                 * again (time_msec()). */
};

/* The watcher. */
struct rdma_zero_touch {
    struct rdma_engine *engine; /* Binds through its request API. */
    struct rdma_qp_map *map;    /* To find existing bindings. */
    int poll_ms;                /* Dump interval when polling only. */
    bool wake_enabled;          /* Whether to look for a wake-up. */
    struct zt_wake *wake;       /* What wakes it early, once running. */
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
    struct hmap devs;           /* "struct zt_dev"s, named. */
    struct hmap auto_devs;      /* "struct zt_dev"s, found. */
    struct smap ifaces;         /* Interface name to "true" if it has
                                 * other_config:rdma=true, else "false". */
    struct smap iface_devices;  /* Interface name to its
                                 * other_config:rdma-device. */
    struct rdma_kneigh_cache *neighs; /* Neighbour tables of this dump. */
    struct ds listeners;        /* The listeners of the last dump, one a
                                 * line, with their peers or why none. */
    struct smap listen_failed;  /* Listeners of the last dump whose peers
                                 * are not bound ("DEVICE/N") to why, as
                                 * logged (rdma-zt-listen.c). */
    struct rdma_zero_touch_stats stats; /* Work done. */
};

const struct zt_dev *zt_dev_get(const struct rdma_zero_touch *,
                                const char *device);
const struct zt_dev *zt_dev_resolve(struct rdma_zero_touch *,
                                    const struct rdma_kcm *, char **reasonp);
void zt_read_devices(struct rdma_zero_touch *, const struct ovsdb_idl *);
void zt_devs_destroy(struct rdma_zero_touch *);
void zt_format_cm(const struct rdma_kcm *, struct ds *);
const char *zt_ip_to_string(const struct in6_addr *,
                            char buf[INET6_ADDRSTRLEN + 1]);
int zt_compare(const void *, const void *);
void zt_add_listener_peers(struct rdma_zero_touch *, struct rdma_kcm **cmsp,
                           size_t *np);
void zt_add_active_gsi(struct rdma_kcm **cmsp, size_t *np);
int zt_interval(const struct rdma_zero_touch *);

#endif /* rdma-zero-touch-private.h */
