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

#ifndef RDMA_UNDERLAY_LINUX_H
#define RDMA_UNDERLAY_LINUX_H 1

/* The Linux underlay backend: resolves the path to a remote VTEP through
 * the kernel's routing, for bridges with datapath_type=system
 * (Documentation/design.rst, sections "Underlay resolution" and "Change
 * notification and incremental refresh").
 *
 * Each lookup asks the kernel for the route with an RTM_GETROUTE request,
 * so that policy routing, route metrics and source address selection are
 * exactly the kernel's.  libnl-3 caches of links, addresses, neighbours and
 * routes, kept up to date by a cache manager that the caller drives from
 * the OVS poll loop, give the egress device's attributes and the next
 * hop's MAC, and signal changes: rdma_underlay_linux_seqno() increases on
 * every change to any of them that can affect a path, so a caller that
 * sees it change re-resolves the paths it depends on.
 *
 * Life cycle: rdma_underlay_linux_init() once, then
 * rdma_underlay_linux_run() and rdma_underlay_linux_wait() in every main
 * loop iteration, rdma_underlay_linux_destroy() at exit.  Not thread-safe:
 * only the main thread may call these functions. */

#include <netinet/in.h>
#include <stdint.h>

struct rdma_underlay_path;

int rdma_underlay_linux_init(void);
void rdma_underlay_linux_run(void);
void rdma_underlay_linux_wait(void);
void rdma_underlay_linux_destroy(void);
uint64_t rdma_underlay_linux_seqno(void);

int rdma_underlay_linux_resolve(const struct in6_addr *remote,
                                const struct in6_addr *local,
                                struct rdma_underlay_path *path,
                                char **errorp);

#endif /* rdma-underlay-linux.h */
