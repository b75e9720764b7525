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

/* The QP map as people and programs read it: one line per binding
 * ("rdma/show-qp-map"), its JSON form ("--json", a tenant's "list"), and a
 * binding's JSON as text, written without a tree, for a tenant's reply to
 * a bind. */

#include <config.h>
#include "rdma-qp-map.h"

#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "rdma-json-text.h"
#include "rdma-qp-source.h"
#include "util.h"

/* Version of the JSON form of "rdma/show-qp-map --json".  Bump it only
 * for changes that would break a reader; adding members is not one. */
#define RDMA_QP_MAP_JSON_VERSION 2

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
            RDMA_QPM_VPORT_FOR_EACH (b, vp) {
                array[(*n)++] = b;
            }
        }
    } else {
        array = xmalloc(map->n_bindings * sizeof *array + 1);
        RDMA_QP_MAP_FOR_EACH (b, map) {
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

/* Most members a binding's JSON form has before its tuple's. */
#define BINDING_MAX_MEMBERS 12

/* Fills 'm' with the members of 'b''s JSON form before its
 * tuple's, writing the "name" member's text into 'name' (caller frees).
 * Returns how many there are.  The one list, for rdma_binding_to_json()
 * and rdma_binding_put_json(). */
static size_t
binding_members(const struct rdma_binding *b,
                struct rdma_json_member m[BINDING_MAX_MEMBERS],
                char **name)
{
    size_t n = 0;

    *name = xasprintf("%s/%"PRIu64, b->vport->name, b->cm_id);
    m[n++] = RDMA_JSON_MEMBER_INT("cm_id", b->cm_id);
    m[n++] = RDMA_JSON_MEMBER_INT("qpn", b->qpn);
    m[n++] = RDMA_JSON_MEMBER_INT("remote_qpn", b->remote_qpn);
    m[n++] = RDMA_JSON_MEMBER_STRING("vport", b->vport->name);
    m[n++] = RDMA_JSON_MEMBER_STRING("name", *name);
    m[n++] = RDMA_JSON_MEMBER_BOOL("persistent", !b->owner);
    if (b->qp_checked) {
        m[n++] = RDMA_JSON_MEMBER_STRING("qp_state",
                                         rdma_qp_state_name(b->qp_state));
    }
    m[n++] = RDMA_JSON_MEMBER_STRING("state", state_name(b->state));
    if (b->reason) {
        m[n++] = RDMA_JSON_MEMBER_STRING("reason", b->reason);
    }
    if (b->path && b->path->stale && b->installed) {
        m[n++] = RDMA_JSON_MEMBER_STRING("stale", b->path->stale);
    }
    m[n++] = RDMA_JSON_MEMBER_INT("generation", b->generation);
    m[n++] = (b->path
              ? RDMA_JSON_MEMBER_STRING("tunnel",
                                        rdma_path_tunnel_name(b->path))
              : RDMA_JSON_MEMBER_NULL("tunnel"));
    ovs_assert(n <= BINDING_MAX_MEMBERS);
    return n;
}

/* Returns the JSON form of binding 'b' (see rdma_qp_map_to_json()). */
struct json *
rdma_binding_to_json(const struct rdma_binding *b)
{
    struct json *o = json_object_create();
    struct rdma_json_member m[BINDING_MAX_MEMBERS];
    struct ovl_tuple t;
    char *name;
    size_t n = binding_members(b, m, &name);

    for (size_t i = 0; i < n; i++) {
        json_object_put(o, m[i].name, rdma_json_member_to_json(&m[i]));
    }
    free(name);
    rdma_binding_get_tuple(b, &t);
    ovl_tuple_to_json(&t, o);
    return o;
}

/* Appends the text of rdma_binding_to_json(b) to 'ds' without building
 * the tree (members in another order). */
void
rdma_binding_put_json(const struct rdma_binding *b, struct ds *ds)
{
    struct rdma_json_member m[BINDING_MAX_MEMBERS];
    struct ovl_tuple t;
    char *name;
    size_t n = binding_members(b, m, &name);

    ds_put_char(ds, '{');
    for (size_t i = 0; i < n; i++) {
        rdma_json_put_member(ds, &m[i]);
    }
    free(name);
    rdma_binding_get_tuple(b, &t);
    ovl_tuple_put_json(&t, ds);
    ds_put_char(ds, '}');
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
