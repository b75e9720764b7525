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

/* The QP map's indexes (chains of 4-byte binding numbers in power-of-2
 * bucket arrays, grown like an hmap) and the iterations behind its
 * FOR_EACH macros. */

#include <config.h>
#include "rdma-qp-map.h"
#include "rdma-qp-map-private.h"

#include <stdlib.h>

#include "util.h"

/* Returns the number of the first binding in the chain of 'hash' in 'idx',
 * or 0. */
uint32_t
rdma_qpm_index_first(const struct rdma_qpm_index *idx, uint32_t hash)
{
    return idx->buckets ? idx->buckets[hash & idx->mask] : 0;
}

/* Gives 'idx', an index of type 'type' of 'map', 'mask' + 1 buckets (a
 * power of 2), rehashing its bindings. */
static void
index_resize(const struct rdma_qp_map *map, struct rdma_qpm_index *idx,
             enum rdma_qpm_index_type type, uint32_t mask)
{
    uint32_t *buckets = xcalloc((size_t) mask + 1, sizeof *buckets);
    size_t i;

    for (i = 0; idx->buckets && i <= idx->mask; i++) {
        uint32_t id = idx->buckets[i];

        while (id) {
            struct rdma_binding *b = rdma_qp_map_binding(map, id);
            uint32_t *head = &buckets[rdma_qpm_index_hash(b, type) & mask];

            id = b->index_next[type];
            b->index_next[type] = *head;
            *head = b->id;
        }
    }
    free(idx->buckets);
    idx->buckets = buckets;
    idx->mask = mask;
}

/* Adds 'b' to 'idx', an index of type 'type' of 'map'.  Like an hmap, the
 * index keeps between 1 and 2 bindings per bucket once it has grown. */
void
rdma_qpm_index_insert(const struct rdma_qp_map *map,
                      struct rdma_qpm_index *idx,
                      enum rdma_qpm_index_type type, struct rdma_binding *b)
{
    uint32_t *head;

    if (!idx->buckets || idx->n / 2 > idx->mask) {
        /* As hmap's calc_mask(): at least n / 2 buckets. */
        uint32_t mask = (idx->n + 1) / 2;

        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        index_resize(map, idx, type, mask);
    }
    head = &idx->buckets[rdma_qpm_index_hash(b, type) & idx->mask];
    b->index_next[type] = *head;
    *head = b->id;
    idx->n++;
}

/* Removes 'b' from 'idx', an index of type 'type' of 'map' that holds it.
 * Like an hmap, the index keeps its buckets (iterations may go on). */
void
rdma_qpm_index_remove(const struct rdma_qp_map *map,
                      struct rdma_qpm_index *idx,
                      enum rdma_qpm_index_type type, struct rdma_binding *b)
{
    uint32_t *link = &idx->buckets[rdma_qpm_index_hash(b, type) & idx->mask];

    while (*link != b->id) {
        ovs_assert(*link);
        link = &rdma_qp_map_binding(map, *link)->index_next[type];
    }
    *link = b->index_next[type];
    b->index_next[type] = 0;
    idx->n--;
}

/* Returns the number of bindings in bucket 'bucket' of 'idx', an index of
 * type 'type' of 'map' (for tests of the hash's spread). */
size_t
rdma_qpm_index_chain_length(const struct rdma_qp_map *map,
                            const struct rdma_qpm_index *idx,
                            enum rdma_qpm_index_type type, size_t bucket)
{
    uint32_t id = idx->buckets ? idx->buckets[bucket] : 0;
    size_t n = 0;

    for (; id; id = rdma_qp_map_binding(map, id)->index_next[type]) {
        n++;
    }
    return n;
}

/* Returns the next binding of 'map' from 'c' on, or NULL: the iteration
 * behind RDMA_QP_MAP_FOR_EACH(), over the slabs. */
struct rdma_binding *
rdma_qp_map_next__(const struct rdma_qp_map *map, struct rdma_qpm_cursor *c)
{
    while (c->bucket < map->n_slabs * RDMA_QPM_SLAB) {
        struct rdma_binding *b = &map->slabs[c->bucket / RDMA_QPM_SLAB]
                                            [c->bucket % RDMA_QPM_SLAB];

        c->bucket++;
        if (b->vport) {
            return b;
        }
    }
    return NULL;
}

/* Returns the next binding of 'vp' from 'c' on, or NULL: the iteration
 * behind RDMA_QPM_VPORT_FOR_EACH(). */
struct rdma_binding *
rdma_qpm_vport_next__(const struct rdma_qpm_vport *vp,
                      struct rdma_qpm_cursor *c)
{
    const struct rdma_qpm_index *idx = &vp->bindings;
    struct rdma_binding *b;

    while (!c->next) {
        if (!idx->buckets || c->bucket > idx->mask) {
            return NULL;
        }
        c->next = idx->buckets[c->bucket++];
    }
    b = rdma_qp_map_binding(vp->map, c->next);
    c->next = b->index_next[RDMA_QPM_BY_CM_ID];
    return b;
}

/* Returns the binding of 'map' that 'c' names and moves 'c' to the next
 * one of its path, or NULL: the iteration behind RDMA_PATH_FOR_EACH(). */
struct rdma_binding *
rdma_path_next__(const struct rdma_qp_map *map, struct rdma_qpm_cursor *c)
{
    struct rdma_binding *b;

    if (!c->next) {
        return NULL;
    }
    b = rdma_qp_map_binding(map, c->next);
    c->next = b->path_next;
    return b;
}
