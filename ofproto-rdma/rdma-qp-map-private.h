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

#ifndef RDMA_QP_MAP_PRIVATE_H
#define RDMA_QP_MAP_PRIVATE_H 1

/* What rdma-qp-map.c and rdma-qp-map-index.c share: the indexes'
 * primitives. */

#include <stdint.h>

#include "rdma-qp-map.h"

uint32_t rdma_qpm_index_hash(const struct rdma_binding *,
                             enum rdma_qpm_index_type);
uint32_t rdma_qpm_index_first(const struct rdma_qpm_index *, uint32_t hash);
void rdma_qpm_index_insert(const struct rdma_qp_map *,
                           struct rdma_qpm_index *, enum rdma_qpm_index_type,
                           struct rdma_binding *);
void rdma_qpm_index_remove(const struct rdma_qp_map *,
                           struct rdma_qpm_index *, enum rdma_qpm_index_type,
                           struct rdma_binding *);

#endif /* rdma-qp-map-private.h */
