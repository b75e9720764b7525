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

#ifndef RDMA_NETNS_H
#define RDMA_NETNS_H 1

/* Entering another process's network namespace for a moment, to make a
 * netlink socket there (a socket stays in the namespace it was made in).
 *
 * Usage:
 *
 *     int self, error = rdma_netns_enter(pid, &self);
 *     if (!error) {
 *         ... socket(), nl_connect() ...
 *         rdma_netns_leave(self);
 *     }
 *
 * Only the calling thread changes namespace; ovs-rdmad does this in its
 * main thread only. */

#include <stdint.h>

/* The calling process's own network namespace, in /proc. */
#define RDMA_NETNS_SELF "/proc/self/ns/net"

int rdma_netns_enter(uint32_t pid, int *selfp);
void rdma_netns_leave(int self);

#endif /* rdma-netns.h */
