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

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "rdma-qp-source.h"
#include "util.h"

/* Version of the JSON form of "rdma/show-qp-map --json".  Bump it only
 * for changes that would break a reader; adding members is not one. */
#define RDMA_QP_MAP_JSON_VERSION 2

/* Initializes 'map' as empty. */
void
rdma_qp_map_init(struct rdma_qp_map *map)
{
    map->seqno = 0;
    map->track = false;
    map->changes = NULL;
    map->n_changes = 0;
    map->allocated_changes = 0;
    hmap_init(&map->bindings);
    hmap_init(&map->by_qpn);
    hmap_init(&map->vports);
    hmap_init(&map->paths);
    hmap_init(&map->strings);
    map->n_via_fdb = 0;
}

/* Frees every binding, vport and path in 'map'. */
void
rdma_qp_map_destroy(struct rdma_qp_map *map)
{
    struct rdma_binding *b;

    HMAP_FOR_EACH_SAFE (b, key_node, &map->bindings) {
        rdma_qp_map_remove(map, b);
    }
    hmap_destroy(&map->bindings);
    hmap_destroy(&map->by_qpn);
    hmap_destroy(&map->vports);
    hmap_destroy(&map->paths);
    ovs_assert(hmap_is_empty(&map->strings));
    hmap_destroy(&map->strings);
    rdma_qp_map_changes_free(map->changes, map->n_changes);
}

/* Returns the number of bindings in 'map'. */
size_t
rdma_qp_map_count(const struct rdma_qp_map *map)
{
    return hmap_count(&map->bindings);
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

/* Returns the hash of QPN 'qpn' on 'device' (NULL for the NIC's default
 * function). */
static uint32_t
hash_qpn(const char *device, uint32_t qpn)
{
    return hash_string(device ? device : "", qpn);
}

/* Returns the binding in 'map' of vport 'vport' with 'cm_id', or NULL. */
struct rdma_binding *
rdma_qp_map_find(const struct rdma_qp_map *map, const char *vport,
                 uint64_t cm_id)
{
    struct rdma_binding *b;

    const struct rdma_qpm_vport *vp = rdma_qp_map_find_vport(map, vport);

    if (!vp) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH (b, vport_node, hash_uint64(cm_id),
                             &vp->bindings) {
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

    HMAP_FOR_EACH_WITH_HASH (b, key_node, hash_uint64(key), &map->bindings) {
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
    struct rdma_binding *b;

    HMAP_FOR_EACH_WITH_HASH (b, qpn_node, hash_qpn(device, qpn),
                             &map->by_qpn) {
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
        hmap_remove(&map->by_qpn, &b->qpn_node);
    }
    if (device != b->device) {
        const char *old = b->device;

        b->device = string_ref(map, device);
        string_unref(map, old);
    }
    b->qpn = qpn;
    if (qpn) {
        hmap_insert(&map->by_qpn, &b->qpn_node, hash_qpn(device, qpn));
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
        ovs_list_init(&p->bindings);
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
    struct rdma_binding *b = xzalloc(sizeof *b);
    struct rdma_qpm_vport *vp = rdma_qp_map_find_vport(map, vport);

    if (!vp) {
        vp = xzalloc(sizeof *vp);
        vp->name = xstrdup(vport);
        vp->next_cm_id = 1;
        hmap_init(&vp->bindings);
        hmap_insert(&map->vports, &vp->node, hash_string(vport, 0));
    }
    b->key = key;
    b->cm_id = cm_id;
    b->vport = vp;
    b->state = RDMA_BINDING_PENDING;
    vp->n_not_installed++;
    map->seqno++;
    note_change(map, key, cm_id, vport);
    hmap_insert(&vp->bindings, &b->vport_node, hash_uint64(cm_id));
    vp->n_bindings++;
    ovs_list_init(&b->path_node);
    hmap_insert(&map->bindings, &b->key_node, hash_uint64(key));
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
    hmap_remove(&map->bindings, &b->key_node);
    hmap_remove(&vp->bindings, &b->vport_node);
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
        hmap_destroy(&vp->bindings);
        free(vp->name);
        free(vp);
    }
    string_unref(map, b->reason);
    free(b);
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
        ovs_list_remove(&b->path_node);
        ovs_list_init(&b->path_node);
        old->n_bindings--;
    }
    b->path = p;
    if (p) {
        ovs_list_push_back(&p->bindings, &b->path_node);
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
    t->inner_src_ip = b->src_ip;
    t->inner_dst_ip = b->dst_ip;
    t->udp_src = b->path ? ovl_udp_src_port(t, b->qpn) : 0;
}

/* Returns the name of 'state'. */
static const char *
state_name(enum rdma_binding_state state)
{
    switch (state) {
    case RDMA_BINDING_INSTALLED:
        return "installed";
    case RDMA_BINDING_PENDING:
        return "pending";
    case RDMA_BINDING_FAILED:
        return "failed";
    }
    return "unknown";
}

/* Appends to 'ds' one line describing 'b', with its tuple. */
void
rdma_binding_format(const struct rdma_binding *b, struct ds *ds)
{
    struct ovl_tuple t;

    ds_put_format(ds, "cm_id=%"PRIu64" qpn=%"PRIu32" remote_qpn=%"PRIu32" "
                  "vport=%s state=", b->cm_id, b->qpn, b->remote_qpn,
                  b->vport->name);
    if (b->reason) {
        ds_put_format(ds, "\"%s: %s\"", state_name(b->state), b->reason);
    } else {
        ds_put_cstr(ds, state_name(b->state));
    }
    if (b->path && b->path->stale && b->installed) {
        ds_put_format(ds, " stale=\"%s\"", b->path->stale);
    }
    ds_put_format(ds, " generation=%"PRIu64" tunnel=%s ", b->generation,
                  rdma_path_tunnel_name(b->path));
    rdma_binding_get_tuple(b, &t);
    ovl_tuple_format(&t, ds);
}

/* Compares bindings by vport name, then cm_id, for qsort(). */
static int
compare_bindings(const void *a_, const void *b_)
{
    const struct rdma_binding *const *a = a_;
    const struct rdma_binding *const *b = b_;
    int cmp = strcmp((*a)->vport->name, (*b)->vport->name);

    return (cmp ? cmp
            : (*a)->cm_id < (*b)->cm_id ? -1 : (*a)->cm_id > (*b)->cm_id);
}

/* Returns an array of the bindings of 'map', only those of 'vport' if it
 * is nonnull, sorted by cm_id, and their number in '*n'.  The caller
 * frees the array. */
static const struct rdma_binding **
sorted_bindings(const struct rdma_qp_map *map, const char *vport, size_t *n)
{
    const struct rdma_binding **array;
    const struct rdma_binding *b;

    *n = 0;
    if (vport) {
        const struct rdma_qpm_vport *vp = rdma_qp_map_find_vport(map, vport);

        array = xmalloc((vp ? vp->n_bindings : 0) * sizeof *array + 1);
        if (vp) {
            HMAP_FOR_EACH (b, vport_node, &vp->bindings) {
                array[(*n)++] = b;
            }
        }
    } else {
        array = xmalloc(hmap_count(&map->bindings) * sizeof *array + 1);
        HMAP_FOR_EACH (b, key_node, &map->bindings) {
            array[(*n)++] = b;
        }
    }
    qsort(array, *n, sizeof *array, compare_bindings);
    return array;
}

/* Appends to 'ds' the bindings in 'map', one per line in cm_id order, only
 * those of 'vport' if it is nonnull, then a count. */
void
rdma_qp_map_format(const struct rdma_qp_map *map, const char *vport,
                   rdma_qp_map_details_func *details, void *aux,
                   struct ds *ds)
{
    const struct rdma_binding **array;
    size_t i, n;

    array = sorted_bindings(map, vport, &n);
    for (i = 0; i < n; i++) {
        struct json *d = (details && array[i]->installed
                          ? details(array[i]->key, aux) : NULL);

        rdma_binding_format(array[i], ds);
        if (d) {
            ds_put_cstr(ds, " nic=");
            json_to_ds(d, JSSF_SORT, ds);
            json_destroy(d);
        }
        ds_put_char(ds, '\n');
    }
    free(array);
    ds_put_format(ds, "%"PRIuSIZE" binding%s", n, n == 1 ? "" : "s");
    if (vport) {
        ds_put_format(ds, " on %s", vport);
    }
    ds_put_char(ds, '\n');
}

/* Returns the JSON form of 'b': see rdma_qp_map_to_json(). */
struct json *
rdma_binding_to_json(const struct rdma_binding *b)
{
    struct json *o = json_object_create();
    struct ovl_tuple t;

    json_object_put(o, "cm_id", json_integer_create(b->cm_id));
    json_object_put(o, "qpn", json_integer_create(b->qpn));
    json_object_put(o, "remote_qpn", json_integer_create(b->remote_qpn));
    json_object_put_string(o, "vport", b->vport->name);
    json_object_put_format(o, "name", "%s/%"PRIu64, b->vport->name,
                           b->cm_id);
    json_object_put(o, "persistent", json_boolean_create(!b->owner));
    if (b->qp_checked) {
        json_object_put_string(o, "qp_state",
                               rdma_qp_state_name(b->qp_state));
    }
    json_object_put_string(o, "state", state_name(b->state));
    if (b->reason) {
        json_object_put_string(o, "reason", b->reason);
    }
    if (b->path && b->path->stale && b->installed) {
        json_object_put_string(o, "stale", b->path->stale);
    }
    json_object_put(o, "generation", json_integer_create(b->generation));
    json_object_put(o, "tunnel", (b->path
                                  ? json_string_create(
                                      rdma_path_tunnel_name(b->path))
                                  : json_null_create()));
    rdma_binding_get_tuple(b, &t);
    ovl_tuple_to_json(&t, o);
    return o;
}

/* Returns the JSON form of the bindings in 'map', only those of 'vport' if
 * it is nonnull, in order of vport name, then cm_id:
 *
 *     {"version": 2, "bindings": [BINDING, ...]}
 *
 * where each BINDING is an object with members cm_id, qpn, remote_qpn
 * (integers), vport (string), name (string "VPORT/CM_ID", the name that
 * identifies the connection: a cm_id is unique only within its vport),
 * persistent (boolean: false if the binding goes away when the tenant
 * connection that made it closes), qp_state (string, the QP's state as the
 * kernel shows it, e.g. "RTS", present only for QPs it checks), state
 * ("installed", "pending" or "failed"),
 * reason (string, present unless installed), stale (string, present when
 * an installed entry keeps its last good underlay because the underlay
 * cannot be resolved now), generation (integer), tunnel
 * (string, or null when none was found), the tuple's members (see
 * ovl_tuple_to_json()) and, for an installed binding when 'details' is
 * nonnull and returns an object, "nic": the NIC provider's own detail of
 * the entry.  'rdma_qp_map_format()' appends the same as " nic={...}".
 * The caller owns the returned JSON.
 *
 * Version 2 (this one) differs from version 1 in that cm_ids are per vport,
 * so (vport, cm_id), or "name", is the key, and in the members "name" and
 * "persistent". */
struct json *
rdma_qp_map_to_json(const struct rdma_qp_map *map,
                    rdma_qp_map_details_func *details, void *aux,
                    const char *vport)
{
    struct json *bindings = json_array_create_empty();
    const struct rdma_binding **array;
    struct json *top;
    size_t i, n;

    array = sorted_bindings(map, vport, &n);
    for (i = 0; i < n; i++) {
        struct json *o = rdma_binding_to_json(array[i]);
        struct json *d = (details && array[i]->installed
                          ? details(array[i]->key, aux) : NULL);

        if (d) {
            json_object_put(o, "nic", d);
        }
        json_array_add(bindings, o);
    }
    free(array);

    top = json_object_create();
    json_object_put(top, "version",
                    json_integer_create(RDMA_QP_MAP_JSON_VERSION));
    json_object_put(top, "bindings", bindings);
    return top;
}
