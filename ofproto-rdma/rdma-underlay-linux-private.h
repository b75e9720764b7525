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

#ifndef RDMA_UNDERLAY_LINUX_PRIVATE_H
#define RDMA_UNDERLAY_LINUX_PRIVATE_H 1

/* What the Linux underlay backend's two source files share:
 * rdma-underlay-linux-route.c owns the netlink request socket and asks the
 * kernel for routes; rdma-underlay-linux.c keeps the caches and resolves
 * paths with both. */

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

struct nl_addr;
struct nl_sock;
struct rtnl_route;

int rdma_ul_lookup_open(void);
void rdma_ul_lookup_close(void);
struct nl_sock *rdma_ul_lookup_sock(void);

int rdma_ul_route_get(int family, const struct in6_addr *dst,
                      const struct in6_addr *src, struct rtnl_route **,
                      int *nl_errp);
const void *rdma_ul_addr_bytes(const struct in6_addr *, int family,
                               size_t *lenp);
bool rdma_ul_nl_addr_to_in6(struct nl_addr *, struct in6_addr *);

#endif /* rdma-underlay-linux-private.h */
