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

#ifndef RDMA_MAPPING_PRIVATE_H
#define RDMA_MAPPING_PRIVATE_H 1

/* Between the mapping source's own files: what rdma-mapping-build.c, which
 * walks the database, asks of rdma-mapping-parse.c, which parses one
 * Interface row.  Other modules use rdma-mapping.h only. */

#include <stdbool.h>

#include "rdma-mapping.h"

struct ovsrec_interface;

bool rdma_map_is_tunnel_type(const char *type);
void rdma_map_tunnel_parse(struct rdma_map_tunnel *,
                           const struct ovsrec_interface *);
void rdma_map_vport_parse(struct rdma_map_vport *,
                          const struct ovsrec_interface *,
                          const char *global_resolver);

#endif /* rdma-mapping-private.h */
