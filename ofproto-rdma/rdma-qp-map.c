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

#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "util.h"

/* Version of the JSON form of "rdma/show-qp-map --json".  Bump it only
 * for changes that would break a reader; adding members is not one. */
#define RDMA_QP_MAP_JSON_VERSION 1

/* Initializes 'map' as empty. */
void
rdma_qp_map_init(struct rdma_qp_map *map)
{
    hmap_init(&map->bindings);
}

/* Frees every binding in 'map' and 'map''s own storage. */
void
rdma_qp_map_destroy(struct rdma_qp_map *map)
{
    struct rdma_binding *b;

    HMAP_FOR_EACH_POP (b, cm_id_node, &map->bindings) {
        free(b->vport);
        free(b);
    }
    hmap_destroy(&map->bindings);
}

/* Returns the number of bindings in 'map'. */
size_t
rdma_qp_map_count(const struct rdma_qp_map *map)
{
    return hmap_count(&map->bindings);
}

/* Returns the binding in 'map' whose cm_id is 'cm_id', or NULL. */
struct rdma_binding *
rdma_qp_map_find(const struct rdma_qp_map *map, uint64_t cm_id)
{
    struct rdma_binding *b;

    HMAP_FOR_EACH_WITH_HASH (b, cm_id_node, hash_uint64(cm_id),
                             &map->bindings) {
        if (b->cm_id == cm_id) {
            return b;
        }
    }
    return NULL;
}

/* Returns true if 'b' should be shown for a filter on 'vport' (NULL shows
 * every binding). */
static bool
rdma_binding_matches(const struct rdma_binding *b, const char *vport)
{
    return !vport || !strcmp(b->vport, vport);
}

/* Appends to 'ds' a human-readable table of the bindings in 'map', only
 * those of 'vport' if it is nonnull. */
void
rdma_qp_map_format(const struct rdma_qp_map *map, const char *vport,
                   struct ds *ds)
{
    const struct rdma_binding *b;
    size_t n = 0;

    HMAP_FOR_EACH (b, cm_id_node, &map->bindings) {
        if (rdma_binding_matches(b, vport)) {
            ds_put_format(ds, "cm_id=%"PRIu64" qpn=%"PRIu32" vport=%s\n",
                          b->cm_id, b->qpn, b->vport);
            n++;
        }
    }
    ds_put_format(ds, "%"PRIuSIZE" binding%s", n, n == 1 ? "" : "s");
    if (vport) {
        ds_put_format(ds, " on %s", vport);
    }
    ds_put_char(ds, '\n');
}

/* Returns the JSON form of the bindings in 'map', only those of 'vport' if
 * it is nonnull:
 *
 *     {"version": 1, "bindings": [{"cm_id": N, "qpn": N, "vport": S}, ...]}
 *
 * The caller owns the returned JSON. */
struct json *
rdma_qp_map_to_json(const struct rdma_qp_map *map, const char *vport)
{
    struct json *bindings = json_array_create_empty();
    const struct rdma_binding *b;
    struct json *top;

    HMAP_FOR_EACH (b, cm_id_node, &map->bindings) {
        if (rdma_binding_matches(b, vport)) {
            struct json *o = json_object_create();

            json_object_put(o, "cm_id", json_integer_create(b->cm_id));
            json_object_put(o, "qpn", json_integer_create(b->qpn));
            json_object_put_string(o, "vport", b->vport);
            json_array_add(bindings, o);
        }
    }

    top = json_object_create();
    json_object_put(top, "version",
                    json_integer_create(RDMA_QP_MAP_JSON_VERSION));
    json_object_put(top, "bindings", bindings);
    return top;
}
