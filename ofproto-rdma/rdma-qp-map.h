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

/* The QP map: every RDMA connection ovs-rdmad has bound, keyed by the
 * rdma_cm identifier of its connection, with the vport it belongs to.
 *
 * Only ovs-rdmad's main thread touches the map. */

#include <stdint.h>

#include "openvswitch/hmap.h"

struct ds;
struct json;

/* One bound connection. */
struct rdma_binding {
    struct hmap_node cm_id_node; /* In rdma_qp_map's 'bindings'. */
    uint64_t cm_id;              /* rdma_cm identifier; unique key. */
    uint32_t qpn;                /* Local queue pair number. */
    char *vport;                 /* Name of the tenant's RDMA Interface. */
};

/* All bindings. */
struct rdma_qp_map {
    struct hmap bindings;        /* Contains "struct rdma_binding"s. */
};

void rdma_qp_map_init(struct rdma_qp_map *);
void rdma_qp_map_destroy(struct rdma_qp_map *);
size_t rdma_qp_map_count(const struct rdma_qp_map *);
struct rdma_binding *rdma_qp_map_find(const struct rdma_qp_map *,
                                      uint64_t cm_id);

void rdma_qp_map_format(const struct rdma_qp_map *, const char *vport,
                        struct ds *);
struct json *rdma_qp_map_to_json(const struct rdma_qp_map *,
                                 const char *vport);

#endif /* rdma-qp-map.h */
