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

#ifndef RDMA_QP_MAP_H
#define RDMA_QP_MAP_H 1

/* The QP map: every RDMA connection ovs-rdmad has bound, and the shared
 * objects they hang off.
 *
 * A binding (one connection: cm_id, QPN, vport, destination) references
 *
 *   - the vport it belongs to ("struct rdma_qpm_vport"), which lists its
 *     bindings, so that a change of the vport (its MAC, rdma turned off)
 *     touches exactly those;
 *
 *   - the path it uses ("struct rdma_path"): one per tunnel in use, holding
 *     everything the bindings through that tunnel share (overlay type, VNI,
 *     UDP port, VTEP addresses, MACs, VLAN, MTUs), so that a change of the
 *     tunnel or of its underlay recomputes one path and then touches only
 *     that path's bindings.
 *
 * A binding's full tuple is its path's shared part plus its own inner
 * addresses and UDP source port (rdma_binding_get_tuple()); it is not
 * stored twice.  Only ovs-rdmad's main thread touches the map. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/types.h"
#include "openvswitch/util.h"
#include "ovl-tuple.h"

struct ds;
struct json;

/* State of a binding. */
enum rdma_binding_state {
    RDMA_BINDING_INSTALLED,     /* In the NIC's table. */
    RDMA_BINDING_PENDING,       /* Waiting for an input (e.g. neighbour). */
    RDMA_BINDING_FAILED,        /* Cannot be installed; see 'reason'. */
};

/* An index of bindings: a hash table whose chains link bindings by their
 * slab numbers (see "struct rdma_binding"), 4 bytes per binding and
 * bucket instead of an hmap's 16-byte node and 8-byte bucket. */
struct rdma_qpm_index {
    uint32_t *buckets;          /* Each the number of its chain's first
                                 * binding, or 0; NULL while empty. */
    uint32_t mask;              /* Number of buckets minus 1. */
    uint32_t n;                 /* Number of bindings in it. */
};

/* The indexes a binding is in: which of its 'index_next' each uses. */
enum rdma_qpm_index_type {
    RDMA_QPM_BY_KEY,            /* rdma_qp_map's 'by_key', by 'key'. */
    RDMA_QPM_BY_QPN,            /* rdma_qp_map's 'by_qpn', by 'device' and
                                 * 'qpn'. */
    RDMA_QPM_BY_CM_ID,          /* A vport's 'bindings', by 'cm_id'. */
    RDMA_QPM_N_INDEXES          /* Number of index types. */
};

/* A vport that has bindings. */
struct rdma_qpm_vport {
    struct hmap_node node;      /* In rdma_qp_map's 'vports', by name. */
    const struct rdma_qp_map *map; /* The map it is in. */
    char *name;                 /* Interface name. */
    struct rdma_qpm_index bindings; /* Its "struct rdma_binding"s, by
                                 * cm_id: how a connection is found by
                                 * name.  RDMA_QPM_VPORT_FOR_EACH()
                                 * visits them. */
    size_t n_bindings;          /* Length of 'bindings'. */
    size_t n_not_installed;     /* Bindings not in state installed. */
    struct eth_addr mac;        /* Inner source MAC of its bindings. */
    uint64_t next_cm_id;        /* Every cm_id below it is bound: where the
                                 * search for the lowest free one starts. */
};

/* What all bindings through one tunnel share. */
struct rdma_path {
    struct hmap_node node;      /* In rdma_qp_map's 'paths', by tunnel. */
    char *tunnel;               /* Tunnel interface name. */
    uint32_t first;             /* Slab number of its first binding, or 0:
                                 * its bindings are a list linked by their
                                 * 'path_prev' and 'path_next' in order of
                                 * arrival (RDMA_PATH_FOR_EACH). */
    uint32_t last;              /* Slab number of its last binding, or 0. */
    size_t n_bindings;          /* Length of that list. */
    struct ovl_tuple base;      /* Shared fields; inner ones are zero. */
    char *reason;               /* NULL if usable, else why not. */
    bool failed;                /* With 'reason': failed, not pending. */
    char *stale;                /* Why the underlay cannot be resolved now
                                 * while 'base' keeps the last good result
                                 * (e.g. ovs-vswitchd restarting), or
                                 * NULL. */
    bool dirty;                 /* Needs recomputing. */

    /* A path of the pipeline resolver (rdma-pipeline.h) is one (vport,
     * source IP, destination IP and MAC); its 'tunnel' is a key made of
     * them, and 'via' names the tunnel the trace found. */
    bool pipeline;              /* Resolved by the pipeline resolver. */
    char *vport;                /* Its vport (pipeline paths only). */
    struct in6_addr src_ip;     /* Inner source IP (pipeline paths). */
    struct in6_addr dst_ip;     /* Inner destination IP (pipeline paths). */
    struct eth_addr dst_mac;    /* Inner destination MAC, zero if unknown
                                 * (pipeline paths). */
    char *via;                  /* Tunnel interface the trace found, or
                                 * NULL. */
};

/* One bound connection.
 *
 * Kept small, since a host may hold a million (the daemon's memory per
 * binding is this struct plus about 6 bytes of index buckets; "make bench"
 * measures it): bindings live in the map's slab, so there is no malloc
 * header per binding, and the indexes and the path's list name them by
 * 4-byte slab numbers rather than by pointers in 16-byte nodes; the fields
 * that all bindings through one tunnel share live in its path; its
 * 'device' and 'reason' point into the map's string pool (shared by every
 * binding with the same text); two IPv4 addresses are stored in place and
 * IPv6 ones in the map's address pool (read them with
 * rdma_binding_src_ip() and rdma_binding_dst_ip(), set them with
 * rdma_binding_set_ips()); the flags are bit-fields. */
struct rdma_binding {
    uint32_t id;                /* Its slab number, from 1: the map's
                                 * rdma_qp_map_binding() returns it. */
    uint32_t index_next[RDMA_QPM_N_INDEXES]; /* For each index it is in
                                 * (enum rdma_qpm_index_type), the next
                                 * binding of its chain, or 0; in a free
                                 * slot, [0] is the next free one. */
    uint32_t path_prev;         /* Previous binding of its path, or 0. */
    uint32_t path_next;         /* Next binding of its path, or 0. */
    uint32_t qpn;               /* Local QP number. */
    uint32_t remote_qpn;        /* Peer's QP number, 0 if unknown. */
    uint64_t key;               /* Unique in the map; the NIC entry's key
                                 * (the "cm_id" of struct rdma_nic_entry).
                                 * Equal to 'cm_id' unless another vport's
                                 * binding had that key already. */
    uint64_t cm_id;             /* rdma_cm identifier; unique per vport
                                 * only: a connection is named by its vport
                                 * and its cm_id ("VPORT/CM_ID"). */
    const char *device;         /* The vport's RDMA device (NIC function)
                                 * at bind time, or NULL: QPNs are unique
                                 * per device.  In the map's string pool:
                                 * set it with rdma_binding_set_qpn(). */
    uint64_t owner;             /* Tenant connection whose closing releases
                                 * it, or 0 (admin, persistent, or
                                 * restored after a restart). */
    uint64_t generation;        /* 1 at install, +1 per modify, 0 if never
                                 * installed. */
    uint64_t tuple_hash;        /* ovl_tuple_hash64() of the installed
                                 * tuple, if 'installed'. */
    struct rdma_qpm_vport *vport; /* Owning vport; NULL in a free slot. */
    struct rdma_path *path;     /* Tunnel path, or NULL if none. */
    union {
        struct {
            ovs_be32 src;       /* Inner source IPv4 address. */
            ovs_be32 dst;       /* Inner destination IPv4 address. */
        } ip4;                  /* If !ip6: both addresses IPv4. */
        const struct rdma_qpm_ips *ip6; /* If 'ip6': both addresses, in
                                 * the map's address pool. */
    } ips;                      /* Inner source and destination IPs. */
    struct eth_addr dst_mac;    /* Inner destination MAC, if has_dst_mac. */
    unsigned int qp_state : 4;  /* If 'qp_checked', the QP's state (an
                                 * IBV_QPS_* value, 0 to 7). */
    unsigned int state : 2;     /* An enum rdma_binding_state, see above. */
    bool persistent : 1;        /* Bound as "persistent" by a tenant. */
    bool qp_checked : 1;        /* The QP exists on 'device' as the kernel
                                 * shows it (rdma-qp-source.h): its peer
                                 * QPN and state come from there, and the
                                 * binding goes when the QP does. */
    bool has_dst_mac : 1;       /* Whether the request gave dst_mac. */
    bool src_ip_given : 1;      /* Whether the request gave src_ip. */
    bool installed : 1;         /* Whether the NIC holds an entry. */
    bool reselect : 1;          /* Tunnel choice must be redone. */
    bool via_fdb : 1;           /* Tunnel chosen by MAC learning. */
    bool nic_failed : 1;        /* Last NIC operation failed: retry. */
    bool ip6 : 1;               /* Whether 'ips' is 'ip6' (not both
                                 * addresses IPv4). */
    const char *reason;         /* Why pending or failed, else NULL.  In
                                 * the map's string pool: set it with
                                 * rdma_binding_set_state(). */
};

/* An IPv6 (or mixed) pair of inner addresses in a map's address pool,
 * shared by every binding between the same two addresses. */
struct rdma_qpm_ips {
    struct hmap_node node;      /* In rdma_qp_map's 'ips', by content. */
    size_t n_refs;              /* Bindings that point to it. */
    struct in6_addr src;        /* Inner source IP. */
    struct in6_addr dst;        /* Inner destination IP. */
};

/* A recorded change: the binding (vport, cm_id) came, went, moved or
 * changed. */
struct rdma_qp_map_change {
    uint64_t key;               /* The binding's key (its NIC entry's). */
    uint64_t cm_id;             /* The binding's cm_id. */
    char *vport;                /* Its vport's name (malloc'd). */
};

/* All bindings and their shared objects. */
struct rdma_qp_map {
    uint64_t seqno;             /* Changes whenever a binding's state does,
                                 * or bindings come or go. */
    bool track;                 /* Whether to record 'changes'. */
    struct rdma_qp_map_change *changes; /* Bindings that came, went or
                                 * moved to another path since the last
                                 * rdma_qp_map_take_changes(), if 'track'
                                 * (what rdma-persist saves). */
    size_t n_changes;           /* Number of 'changes'. */
    size_t allocated_changes;   /* Allocated elements of 'changes'. */
    struct rdma_binding **slabs; /* The bindings' storage: 'n_slabs'
                                 * arrays of RDMA_QPM_SLAB bindings, binding
                                 * number N at slabs[(N - 1) / RDMA_QPM_SLAB]
                                 * (never moved: pointers to bindings stay
                                 * valid until they are removed). */
    size_t n_slabs;             /* Number of 'slabs'. */
    uint32_t free_id;           /* First free slot's number, or 0. */
    size_t n_bindings;          /* Number of bindings. */
    struct rdma_qpm_index by_key; /* Every binding, by key. */
    struct rdma_qpm_index by_qpn; /* Those with a QPN, by device and QPN. */
    struct hmap vports;         /* "struct rdma_qpm_vport"s, by name. */
    struct hmap paths;          /* "struct rdma_path"s, by tunnel name. */
    struct hmap strings;        /* String pool: the bindings' 'device's and
                                 * 'reason's, by content, refcounted. */
    struct hmap ips;            /* Address pool: the "struct rdma_qpm_ips"
                                 * of bindings whose addresses are not both
                                 * IPv4, by content, refcounted. */
    size_t n_via_fdb;           /* Bindings with 'via_fdb' set. */
};

/* Bindings per slab of a map's storage. */
#define RDMA_QPM_SLAB 512

/* Returns the binding of 'map' with slab number 'id' (nonzero). */
static inline struct rdma_binding *
rdma_qp_map_binding(const struct rdma_qp_map *map, uint32_t id)
{
    return &map->slabs[(id - 1) / RDMA_QPM_SLAB][(id - 1) % RDMA_QPM_SLAB];
}

/* A position in an iteration over bindings. */
struct rdma_qpm_cursor {
    size_t bucket;              /* Next bucket (or slot) to look at. */
    uint32_t next;              /* Next binding's number, or 0. */
};

struct rdma_binding *rdma_qp_map_next__(const struct rdma_qp_map *,
                                        struct rdma_qpm_cursor *);
struct rdma_binding *rdma_qpm_vport_next__(const struct rdma_qpm_vport *,
                                           struct rdma_qpm_cursor *);
struct rdma_binding *rdma_path_next__(const struct rdma_qp_map *,
                                      struct rdma_qpm_cursor *);

/* Iterates 'B' over every binding of 'MAP'.  The loop's body may remove
 * 'B' (only 'B') from the map. */
#define RDMA_QP_MAP_FOR_EACH(B, MAP)                                    \
    for (struct rdma_qpm_cursor ITER_VAR(B) = { 0, 0 };                 \
         ((B) = rdma_qp_map_next__(MAP, &ITER_VAR(B))) != NULL; )

/* Iterates 'B' over every binding of 'VPORT' (a "struct rdma_qpm_vport").
 * The loop's body may remove 'B' (only 'B'), but not the last binding of
 * the vport, which frees 'VPORT'. */
#define RDMA_QPM_VPORT_FOR_EACH(B, VPORT)                               \
    for (struct rdma_qpm_cursor ITER_VAR(B) = { 0, 0 };                 \
         ((B) = rdma_qpm_vport_next__(VPORT, &ITER_VAR(B))) != NULL; )

/* Iterates 'B' over the bindings of path 'PATH' of 'MAP', in order of
 * arrival.  The loop's body may move 'B' (only 'B') to another path. */
#define RDMA_PATH_FOR_EACH(B, PATH, MAP)                                \
    for (struct rdma_qpm_cursor ITER_VAR(B) = { 0, (PATH)->first };     \
         ((B) = rdma_path_next__(MAP, &ITER_VAR(B))) != NULL; )

size_t rdma_qpm_index_chain_length(const struct rdma_qp_map *,
                                   const struct rdma_qpm_index *,
                                   enum rdma_qpm_index_type, size_t bucket);

void rdma_qp_map_init(struct rdma_qp_map *);
void rdma_qp_map_destroy(struct rdma_qp_map *);
size_t rdma_qp_map_count(const struct rdma_qp_map *);
void rdma_qp_map_track_changes(struct rdma_qp_map *);
struct rdma_qp_map_change *rdma_qp_map_take_changes(struct rdma_qp_map *,
                                                    size_t *n);
void rdma_qp_map_changes_free(struct rdma_qp_map_change *, size_t n);

struct rdma_binding *rdma_qp_map_find(const struct rdma_qp_map *,
                                      const char *vport, uint64_t cm_id);
struct rdma_binding *rdma_qp_map_find_key(const struct rdma_qp_map *,
                                          uint64_t key);
struct rdma_binding *rdma_qp_map_find_qpn(const struct rdma_qp_map *,
                                          const char *device, uint32_t qpn);
uint64_t rdma_qp_map_free_key(const struct rdma_qp_map *, uint64_t cm_id,
                              uint64_t *next_key);
struct rdma_qpm_vport *rdma_qp_map_find_vport(const struct rdma_qp_map *,
                                              const char *name);
struct rdma_path *rdma_qp_map_find_path(const struct rdma_qp_map *,
                                        const char *tunnel);
const char *rdma_path_tunnel_name(const struct rdma_path *);
struct rdma_path *rdma_qp_map_get_path(struct rdma_qp_map *,
                                       const char *tunnel);

struct rdma_binding *rdma_qp_map_add(struct rdma_qp_map *, uint64_t key,
                                     uint64_t cm_id, const char *vport);
void rdma_binding_set_qpn(struct rdma_qp_map *, struct rdma_binding *,
                          const char *device, uint32_t qpn);
void rdma_qp_map_remove(struct rdma_qp_map *, struct rdma_binding *);
void rdma_binding_set_via_fdb(struct rdma_qp_map *, struct rdma_binding *,
                              bool via_fdb);
void rdma_binding_set_path(struct rdma_qp_map *, struct rdma_binding *,
                           struct rdma_path *);
void rdma_binding_set_state(struct rdma_qp_map *, struct rdma_binding *,
                            enum rdma_binding_state, const char *reason);
void rdma_binding_note_change(struct rdma_qp_map *,
                              const struct rdma_binding *);

struct in6_addr rdma_binding_src_ip(const struct rdma_binding *);
struct in6_addr rdma_binding_dst_ip(const struct rdma_binding *);
bool rdma_binding_dst_ip_is(const struct rdma_binding *,
                            const struct in6_addr *);
void rdma_binding_set_ips(struct rdma_qp_map *, struct rdma_binding *,
                          const struct in6_addr *src,
                          const struct in6_addr *dst);

void rdma_binding_get_tuple(const struct rdma_binding *, struct ovl_tuple *);

void rdma_binding_format(const struct rdma_binding *, struct ds *);
struct json *rdma_binding_to_json(const struct rdma_binding *);
void rdma_binding_put_json(const struct rdma_binding *, struct ds *);
/* Returns a new JSON object with a NIC provider's own detail of the entry
 * of NIC key 'key' (e.g. rdma_nic_get_details()), or NULL for none. */
typedef struct json *rdma_qp_map_details_func(uint64_t key, void *aux);

void rdma_qp_map_format(const struct rdma_qp_map *, const char *vport,
                        rdma_qp_map_details_func *, void *aux,
                        struct ds *);
struct json *rdma_qp_map_to_json(const struct rdma_qp_map *,
                                 rdma_qp_map_details_func *, void *aux,
                                 const char *vport);

#endif /* rdma-qp-map.h */
