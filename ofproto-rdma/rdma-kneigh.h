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


#ifndef RDMA_KNEIGH_H
#define RDMA_KNEIGH_H 1

/* The neighbour tables of the kernel's network namespaces, as the
 * zero-touch watcher reads them: the peer's MAC of an active connection,
 * and the peers a listener may hear from.  A cache holds each namespace's
 * table read once (a libnl neighbour dump made inside the namespace of a
 * process, /proc/PID/ns/net) until it is flushed, once per dump of the
 * kernel's connections.  With --qp-source=fake, the fake kernel's table
 * ("rdma-qp/fake-neigh-set") stands for every namespace. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdma-qp-source.h"

struct rdma_kneigh_cache *rdma_kneigh_cache_create(void);
void rdma_kneigh_cache_destroy(struct rdma_kneigh_cache *);
void rdma_kneigh_cache_flush(struct rdma_kneigh_cache *);
bool rdma_kneigh_lookup(struct rdma_kneigh_cache *, uint32_t pid,
                        const struct in6_addr *ip, struct eth_addr *mac);
void rdma_kneigh_list(struct rdma_kneigh_cache *, uint32_t pid,
                      uint32_t ifindex, struct rdma_kneigh **, size_t *n);

#endif /* rdma-kneigh.h */
