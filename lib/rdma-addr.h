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

#ifndef RDMA_ADDR_H
#define RDMA_ADDR_H 1

/* IP addresses as ovs-rdma keeps them: IPv6, or IPv4-mapped IPv6
 * (::ffff:a.b.c.d) for IPv4, so that one type and one longest-prefix match
 * serve both families. */

#include <stdbool.h>
#include <netinet/in.h>

#include "openvswitch/compiler.h"
#include "openvswitch/types.h"

bool rdma_ip_parse(const char *, struct in6_addr *);
char *rdma_ip_parse_cidr(const char *, struct in6_addr *, unsigned int *plen)
    OVS_WARN_UNUSED_RESULT;
bool rdma_ip_is_v4(const struct in6_addr *);
bool rdma_ip_is_set(const struct in6_addr *);
bool rdma_ip_in_prefix(const struct in6_addr *, const struct in6_addr *prefix,
                       unsigned int plen);
const char *rdma_ip_to_string(const struct in6_addr *, char buf[46]);
const char *rdma_mac_to_string(const struct eth_addr, char buf[18]);

#endif /* rdma-addr.h */
