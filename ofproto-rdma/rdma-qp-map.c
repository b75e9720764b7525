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
#include "rdma-qp-map.h"
#include "rdma-qp-map-private.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "rdma-qp-source.h"
#include "util.h"

/* Initializes 'map' as empty. */
void
rdma_qp_map_init(struct rdma_qp_map *map)
{
    map->seqno = 0;
    map->track = false;
    map->changes = NULL;
    map->n_changes = 0;
    map->allocated_changes = 0;
    map->slabs = NULL;
    map->n_slabs = 0;
    map->free_id = 0;
    map->n_bindings = 0;
    memset(&map->by_key, 0, sizeof map->by_key);
    memset(&map->by_qpn, 0, sizeof map->by_qpn);
    hmap_init(&map->vports);
    hmap_init(&map->paths);
    hmap_init(&map->strings);
    hmap_init(&map->ips);
    map->n_via_fdb = 0;
}

/* Frees every binding, vport and path in 'map'. */
void
rdma_qp_map_destroy(struct rdma_qp_map *map)
{
    struct rdma_binding *b;
    size_t i;

    RDMA_QP_MAP_FOR_EACH (b, map) {
        rdma_qp_map_remove(map, b);
    }
    free(map->by_key.buckets);
    free(map->by_qpn.buckets);
    for (i = 0; i < map->n_slabs; i++) {
        free(map->slabs[i]);
    }
    free(map->slabs);
    hmap_destroy(&map->vports);
    hmap_destroy(&map->paths);
    ovs_assert(hmap_is_empty(&map->strings));
    hmap_destroy(&map->strings);
    ovs_assert(hmap_is_empty(&map->ips));
    hmap_destroy(&map->ips);
    rdma_qp_map_changes_free(map->changes, map->n_changes);
}

/* Returns the number of bindings in 'map'. */
size_t
rdma_qp_map_count(const struct rdma_qp_map *map)
{
    return map->n_bindings;
}

/* Makes 'map' record the cm_id of every binding that comes, goes or moves
 * to another path, for rdma_qp_map_take_changes(). */
void
rdma_qp_map_track_changes(struct rdma_qp_map *map)
{
    map->track = true;
}

/* Returns the changes recorded since the last call (see
 * rdma_qp_map_track_changes()), possibly repeated, in a malloc'd array
 * that the caller frees with rdma_qp_map_changes_free(), and their number
 * in '*n'. */
struct rdma_qp_map_change *
rdma_qp_map_take_changes(struct rdma_qp_map *map, size_t *n)
{
    struct rdma_qp_map_change *changes = map->changes;

    *n = map->n_changes;
    map->changes = NULL;
    map->n_changes = map->allocated_changes = 0;
    return changes;
}

/* Frees the 'n' changes in 'changes', as returned by
 * rdma_qp_map_take_changes(). */
void
rdma_qp_map_changes_free(struct rdma_qp_map_change *changes, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(changes[i].vport);
    }
    free(changes);
}

/* Records a change of the binding with 'key' ('cm_id' on 'vport'), if 'map'
 * tracks them. */
static void
note_change(struct rdma_qp_map *map, uint64_t key, uint64_t cm_id,
            const char *vport)
{
    if (map->track) {
        struct rdma_qp_map_change *c;

        if (map->n_changes >= map->allocated_changes) {
            map->changes = x2nrealloc(map->changes, &map->allocated_changes,
                                      sizeof *map->changes);
        }
        c = &map->changes[map->n_changes++];
        c->key = key;
        c->cm_id = cm_id;
        c->vport = xstrdup(vport);
    }
}

/* Returns the hash of QPN 'qpn' on a device whose name hashes to
 * 'device_hash' (device_hash()). */
static uint32_t
hash_qpn(uint32_t device_hash, uint32_t qpn)
{
    return hash_int(qpn, device_hash);
}

/* Returns the hash of device name 'device' (NULL for the NIC's default
 * function, hashed as ""), as the string pool has it. */
static uint32_t
device_hash(const char *device)
{
    return hash_string(device ? device : "", 0);
}

static uint32_t pooled_string_hash(const char *);

/* Returns the hash of 'b' in index 'type'. */
uint32_t
rdma_qpm_index_hash(const struct rdma_binding *b,
                    enum rdma_qpm_index_type type)
{
    switch (type) {
    case RDMA_QPM_BY_KEY:
        return hash_uint64(b->key);
    case RDMA_QPM_BY_QPN:
        return hash_qpn(pooled_string_hash(b->device), b->qpn);
    case RDMA_QPM_BY_CM_ID:
        return hash_uint64(b->cm_id);
    case RDMA_QPM_N_INDEXES:
    default:
        OVS_NOT_REACHED();
    }
}

/* Returns a zeroed binding from 'map''s slabs, with its number set. */
static struct rdma_binding *
binding_alloc(struct rdma_qp_map *map)
{
    struct rdma_binding *b;
    uint32_t id;

    if (!map->free_id) {
        size_t n = map->n_slabs;
        size_t allocated = n;
        int i;

        ovs_assert((n + 1) * RDMA_QPM_SLAB <= UINT32_MAX);
        map->slabs = x2nrealloc(map->slabs, &allocated, sizeof *map->slabs);
        map->slabs[n] = xmalloc(RDMA_QPM_SLAB * sizeof *map->slabs[n]);
        map->n_slabs = n + 1;
        /* Free list in slot order, so that the lowest numbers go first. */
        for (i = RDMA_QPM_SLAB - 1; i >= 0; i--) {
            b = &map->slabs[n][i];
            memset(b, 0, sizeof *b);
            b->id = n * RDMA_QPM_SLAB + i + 1;
            b->index_next[0] = map->free_id;
            map->free_id = b->id;
        }
    }
    id = map->free_id;
    b = rdma_qp_map_binding(map, id);
    map->free_id = b->index_next[0];
    memset(b, 0, sizeof *b);
    b->id = id;
    return b;
}

/* Returns 'b' to 'map''s free slots. */
static void
binding_free(struct rdma_qp_map *map, struct rdma_binding *b)
{
    uint32_t id = b->id;

    memset(b, 0, sizeof *b);
    b->id = id;
    b->index_next[0] = map->free_id;
    map->free_id = id;
}

/* Returns the binding in 'map' of vport 'vport' with 'cm_id', or NULL. */
struct rdma_binding *
rdma_qp_map_find(const struct rdma_qp_map *map, const char *vport,
                 uint64_t cm_id)
{
    const struct rdma_qpm_vport *vp = rdma_qp_map_find_vport(map, vport);
    struct rdma_binding *b;

    if (!vp) {
        return NULL;
    }
    for (uint32_t id = rdma_qpm_index_first(&vp->bindings,
                                            hash_uint64(cm_id));
         id; id = b->index_next[RDMA_QPM_BY_CM_ID]) {
        b = rdma_qp_map_binding(map, id);
        if (b->cm_id == cm_id) {
            return b;
        }
    }
    return NULL;
}

/* A string in a map's pool (its 'strings'): one copy of a text that many
 * bindings hold (a device name, a reason), freed with its last user. */
struct qpm_string {
    struct hmap_node node;      /* In rdma_qp_map's 'strings'. */
    size_t n_refs;              /* Bindings that point to 's'. */
    char s[];                   /* The text, null-terminated. */
};

/* Returns a copy of 's' (NULL for NULL) in 'map''s string pool, with one
 * more reference; release it with string_unref(). */
static const char *
string_ref(struct rdma_qp_map *map, const char *s)
{
    struct qpm_string *ps;
    uint32_t hash;
    size_t len;

    if (!s) {
        return NULL;
    }
    hash = hash_string(s, 0);
    HMAP_FOR_EACH_WITH_HASH (ps, node, hash, &map->strings) {
        if (!strcmp(ps->s, s)) {
            ps->n_refs++;
            return ps->s;
        }
    }
    len = strlen(s);
    ps = xmalloc(sizeof *ps + len + 1);
    ps->n_refs = 1;
    memcpy(ps->s, s, len + 1);
    hmap_insert(&map->strings, &ps->node, hash);
    return ps->s;
}

/* Returns the hash of 's', a string from string_ref() or NULL, as
 * device_hash() computes it. */
static uint32_t
pooled_string_hash(const char *s)
{
    return s ? CONTAINER_OF(s, struct qpm_string, s)->node.hash
             : device_hash(NULL);
}

/* Drops a reference to 's', a string from string_ref() on 'map' or NULL,
 * freeing it with its last reference. */
static void
string_unref(struct rdma_qp_map *map, const char *s)
{
    if (s) {
        struct qpm_string *ps = CONTAINER_OF(s, struct qpm_string, s);

        if (!--ps->n_refs) {
            hmap_remove(&map->strings, &ps->node);
            free(ps);
        }
    }
}

/* Returns the binding in 'map' whose key is 'key', or NULL. */
struct rdma_binding *
rdma_qp_map_find_key(const struct rdma_qp_map *map, uint64_t key)
{
    struct rdma_binding *b;

    for (uint32_t id = rdma_qpm_index_first(&map->by_key,
                                            hash_uint64(key));
         id; id = b->index_next[RDMA_QPM_BY_KEY]) {
        b = rdma_qp_map_binding(map, id);
        if (b->key == key) {
            return b;
        }
    }
    return NULL;
}

/* Returns the binding in 'map' that holds QPN 'qpn' on 'device' (NULL for
 * the NIC's default function), or NULL. */
struct rdma_binding *
rdma_qp_map_find_qpn(const struct rdma_qp_map *map, const char *device,
                     uint32_t qpn)
{
    uint32_t hash = hash_qpn(device_hash(device), qpn);
    struct rdma_binding *b;

    for (uint32_t id = rdma_qpm_index_first(&map->by_qpn, hash); id;
         id = b->index_next[RDMA_QPM_BY_QPN]) {
        b = rdma_qp_map_binding(map, id);
        if (b->qpn == qpn && !strcmp(b->device ? b->device : "",
                                     device ? device : "")) {
            return b;
        }
    }
    return NULL;
}

/* Returns a key for a new binding with 'cm_id': 'cm_id' itself if no
 * binding has that key, else the first free key from '*next_key' on (which
 * it advances). */
uint64_t
rdma_qp_map_free_key(const struct rdma_qp_map *map, uint64_t cm_id,
                     uint64_t *next_key)
{
    if (!rdma_qp_map_find_key(map, cm_id)) {
        return cm_id;
    }
    while (rdma_qp_map_find_key(map, *next_key)) {
        (*next_key)++;
    }
    return (*next_key)++;
}

/* Gives 'b' QPN 'qpn' (0 for none) on 'device', indexed for
 * rdma_qp_map_find_qpn().  The caller has checked that no other binding
 * holds it. */
void
rdma_binding_set_qpn(struct rdma_qp_map *map, struct rdma_binding *b,
                     const char *device, uint32_t qpn)
{
    if (b->qpn) {
        rdma_qpm_index_remove(map, &map->by_qpn, RDMA_QPM_BY_QPN, b);
    }
    if (device != b->device) {
        const char *old = b->device;

        b->device = string_ref(map, device);
        string_unref(map, old);
    }
    b->qpn = qpn;
    if (qpn) {
        rdma_qpm_index_insert(map, &map->by_qpn, RDMA_QPM_BY_QPN, b);
    }
}

/* Sets whether MAC learning chose 'b''s tunnel, counting such bindings in
 * 'map' (an idle underlay round visits bindings only if there are any). */
void
rdma_binding_set_via_fdb(struct rdma_qp_map *map, struct rdma_binding *b,
                         bool via_fdb)
{
    if (b->via_fdb != via_fdb) {
        b->via_fdb = via_fdb;
        if (via_fdb) {
            map->n_via_fdb++;
        } else {
            map->n_via_fdb--;
        }
    }
}

/* Returns the vport named 'name' that has bindings in 'map', or NULL. */
struct rdma_qpm_vport *
rdma_qp_map_find_vport(const struct rdma_qp_map *map, const char *name)
{
    struct rdma_qpm_vport *vp;

    HMAP_FOR_EACH_WITH_HASH (vp, node, hash_string(name, 0), &map->vports) {
        if (!strcmp(vp->name, name)) {
            return vp;
        }
    }
    return NULL;
}

/* Returns the path through tunnel 'tunnel' in 'map', or NULL. */
struct rdma_path *
rdma_qp_map_find_path(const struct rdma_qp_map *map, const char *tunnel)
{
    struct rdma_path *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, hash_string(tunnel, 0), &map->paths) {
        if (!strcmp(p->tunnel, tunnel)) {
            return p;
        }
    }
    return NULL;
}

/* Returns the path through 'tunnel', creating it (dirty, so that its
 * caller computes it) if there is none. */
struct rdma_path *
rdma_qp_map_get_path(struct rdma_qp_map *map, const char *tunnel)
{
    struct rdma_path *p = rdma_qp_map_find_path(map, tunnel);

    if (!p) {
        p = xzalloc(sizeof *p);
        p->tunnel = xstrdup(tunnel);
        p->dirty = true;
        hmap_insert(&map->paths, &p->node, hash_string(tunnel, 0));
    }
    return p;
}

/* Returns the name of the tunnel path 'p' goes through, for display:
 * "none" for no path, "pipeline" for a pipeline path whose trace found no
 * tunnel. */
const char *
rdma_path_tunnel_name(const struct rdma_path *p)
{
    return (!p ? "none"
            : p->via ? p->via
            : p->pipeline ? "pipeline"
            : p->tunnel);
}

/* Frees 'p' if no binding uses it. */
static void
path_unref(struct rdma_qp_map *map, struct rdma_path *p)
{
    if (p && !p->n_bindings) {
        hmap_remove(&map->paths, &p->node);
        free(p->tunnel);
        free(p->vport);
        free(p->via);
        free(p->reason);
        free(p->stale);
        free(p);
    }
}

/* Adds to 'map' a new binding with 'key' for 'cm_id' on vport 'vport', in
 * state pending, with no path and no QPN, and returns it for the caller to
 * fill in.  The caller must have checked that neither 'key' nor 'vport'
 * and 'cm_id' are in 'map'. */
struct rdma_binding *
rdma_qp_map_add(struct rdma_qp_map *map, uint64_t key, uint64_t cm_id,
                const char *vport)
{
    struct rdma_binding *b = binding_alloc(map);
    struct rdma_qpm_vport *vp = rdma_qp_map_find_vport(map, vport);

    if (!vp) {
        vp = xzalloc(sizeof *vp);
        vp->map = map;
        vp->name = xstrdup(vport);
        vp->next_cm_id = 1;
        hmap_insert(&map->vports, &vp->node, hash_string(vport, 0));
    }
    b->key = key;
    b->cm_id = cm_id;
    b->vport = vp;
    b->state = RDMA_BINDING_PENDING;
    b->ip6 = true;              /* Both addresses ::, until set. */
    vp->n_not_installed++;
    map->seqno++;
    note_change(map, key, cm_id, vport);
    rdma_qpm_index_insert(map, &vp->bindings, RDMA_QPM_BY_CM_ID, b);
    vp->n_bindings++;
    rdma_qpm_index_insert(map, &map->by_key, RDMA_QPM_BY_KEY, b);
    map->n_bindings++;
    return b;
}

/* Removes 'b' from 'map' and frees it, and its vport and path if nothing
 * else uses them. */
void
rdma_qp_map_remove(struct rdma_qp_map *map, struct rdma_binding *b)
{
    struct rdma_qpm_vport *vp = b->vport;

    rdma_binding_set_path(map, b, NULL);
    rdma_binding_set_qpn(map, b, NULL, 0);
    rdma_binding_set_via_fdb(map, b, false);
    rdma_binding_set_ips(map, b, &in6addr_any, &in6addr_any);
    rdma_qpm_index_remove(map, &map->by_key, RDMA_QPM_BY_KEY, b);
    map->n_bindings--;
    rdma_qpm_index_remove(map, &vp->bindings, RDMA_QPM_BY_CM_ID, b);
    if (b->state != RDMA_BINDING_INSTALLED) {
        vp->n_not_installed--;
    }
    map->seqno++;
    note_change(map, b->key, b->cm_id, b->vport->name);
    if (b->cm_id && b->cm_id < vp->next_cm_id) {
        vp->next_cm_id = b->cm_id;
    }
    if (!--vp->n_bindings) {
        hmap_remove(&map->vports, &vp->node);
        free(vp->bindings.buckets);
        free(vp->name);
        free(vp);
    }
    string_unref(map, b->reason);
    binding_free(map, b);
}

/* Moves 'b' to path 'p' (NULL for none), freeing its old path if that was
 * the old path's last binding. */
void
rdma_binding_set_path(struct rdma_qp_map *map, struct rdma_binding *b,
                      struct rdma_path *p)
{
    struct rdma_path *old = b->path;

    if (old == p) {
        return;
    }
    note_change(map, b->key, b->cm_id, b->vport->name);
    if (old) {
        if (b->path_prev) {
            rdma_qp_map_binding(map, b->path_prev)->path_next = b->path_next;
        } else {
            old->first = b->path_next;
        }
        if (b->path_next) {
            rdma_qp_map_binding(map, b->path_next)->path_prev = b->path_prev;
        } else {
            old->last = b->path_prev;
        }
        b->path_prev = b->path_next = 0;
        old->n_bindings--;
    }
    b->path = p;
    if (p) {
        b->path_prev = p->last;
        if (p->last) {
            rdma_qp_map_binding(map, p->last)->path_next = b->id;
        } else {
            p->first = b->id;
        }
        p->last = b->id;
        p->n_bindings++;
    }
    path_unref(map, old);
}

/* Sets the state of 'b', a binding in 'map', to 'state' with 'reason'
 * (copied; NULL for installed). */
void
rdma_binding_set_state(struct rdma_qp_map *map, struct rdma_binding *b,
                       enum rdma_binding_state state, const char *reason)
{
    bool was_ok = b->state == RDMA_BINDING_INSTALLED;
    bool is_ok = state == RDMA_BINDING_INSTALLED;

    if (was_ok != is_ok) {
        b->vport->n_not_installed += was_ok ? 1 : -1;
    }
    if (b->state != state || !reason != !b->reason
        || (reason && strcmp(reason, b->reason))) {
        const char *old = b->reason;

        map->seqno++;
        b->reason = string_ref(map, reason);
        string_unref(map, old);
    }
    b->state = state;
}

/* Records that something saved of 'b' (e.g. its peer's QPN) changed, for
 * rdma_qp_map_take_changes(). */
void
rdma_binding_note_change(struct rdma_qp_map *map,
                         const struct rdma_binding *b)
{
    note_change(map, b->key, b->cm_id, b->vport->name);
}

/* Returns the inner source IP of 'b'. */
struct in6_addr
rdma_binding_src_ip(const struct rdma_binding *b)
{
    return (!b->ip6 ? in6_addr_mapped_ipv4(b->ips.ip4.src)
            : b->ips.ip6 ? b->ips.ip6->src
            : in6addr_any);
}

/* Returns the inner destination IP of 'b'. */
struct in6_addr
rdma_binding_dst_ip(const struct rdma_binding *b)
{
    return (!b->ip6 ? in6_addr_mapped_ipv4(b->ips.ip4.dst)
            : b->ips.ip6 ? b->ips.ip6->dst
            : in6addr_any);
}

/* Returns true if 'b''s inner destination IP is 'ip'. */
bool
rdma_binding_dst_ip_is(const struct rdma_binding *b,
                       const struct in6_addr *ip)
{
    struct in6_addr dst = rdma_binding_dst_ip(b);

    return ipv6_addr_equals(&dst, ip);
}

/* Sets the inner addresses of 'b', a binding of 'map' (or one on the stack
 * that is given back :: and :: before it goes), to 'src' and 'dst': in
 * place if both are IPv4, else in 'map''s address pool. */
void
rdma_binding_set_ips(struct rdma_qp_map *map, struct rdma_binding *b,
                     const struct in6_addr *src, const struct in6_addr *dst)
{
    const struct rdma_qpm_ips *old = b->ip6 ? b->ips.ip6 : NULL;

    if (IN6_IS_ADDR_V4MAPPED(src) && IN6_IS_ADDR_V4MAPPED(dst)) {
        b->ip6 = false;
        b->ips.ip4.src = in6_addr_get_mapped_ipv4(src);
        b->ips.ip4.dst = in6_addr_get_mapped_ipv4(dst);
    } else if (ipv6_addr_is_set(src) || ipv6_addr_is_set(dst)) {
        struct rdma_qpm_ips *ips;
        uint32_t hash = hash_bytes(src, sizeof *src,
                                   hash_bytes(dst, sizeof *dst, 0));

        b->ip6 = true;
        b->ips.ip6 = NULL;
        HMAP_FOR_EACH_WITH_HASH (ips, node, hash, &map->ips) {
            if (ipv6_addr_equals(&ips->src, src)
                && ipv6_addr_equals(&ips->dst, dst)) {
                ips->n_refs++;
                b->ips.ip6 = ips;
                break;
            }
        }
        if (!b->ips.ip6) {
            ips = xmalloc(sizeof *ips);
            ips->n_refs = 1;
            ips->src = *src;
            ips->dst = *dst;
            hmap_insert(&map->ips, &ips->node, hash);
            b->ips.ip6 = ips;
        }
    } else {
        b->ip6 = true;
        b->ips.ip6 = NULL;
    }
    if (old) {
        struct rdma_qpm_ips *o = CONST_CAST(struct rdma_qpm_ips *, old);

        if (!--o->n_refs) {
            hmap_remove(&map->ips, &o->node);
            free(o);
        }
    }
}

/* Stores in '*t' the full tuple of 'b': its path's shared fields (zero if
 * it has no path) plus its own. */
void
rdma_binding_get_tuple(const struct rdma_binding *b, struct ovl_tuple *t)
{
    if (b->path) {
        *t = b->path->base;
    } else {
        memset(t, 0, sizeof *t);
    }
    t->inner_src_mac = b->vport->mac;
    t->inner_dst_mac = b->has_dst_mac ? b->dst_mac : eth_addr_zero;
    t->inner_src_ip = rdma_binding_src_ip(b);
    t->inner_dst_ip = rdma_binding_dst_ip(b);
    t->udp_src = b->path ? ovl_udp_src_port(t, b->qpn) : 0;
}
