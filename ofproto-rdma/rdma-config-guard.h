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

#ifndef RDMA_CONFIG_GUARD_H
#define RDMA_CONFIG_GUARD_H 1

/* Invalid configuration never tears anything down.
 *
 * When a tunnel's or a vport's configuration in the database becomes
 * invalid (a value that does not parse: other_config:rdma-peers,
 * options:key, options:remote_ip, other_config:rdma-vni,
 * external_ids:attached-mac, ...), the last valid configuration of that
 * tunnel or vport stays in force, so that its connections stay installed
 * as they are; the error is logged once and reported in the interface's
 * external_ids:rdma-status; the new configuration applies as soon as it is
 * valid again; new connections through it are refused with the error
 * (rdma_config_guard_check()).  A tunnel whose type changes to one that
 * cannot carry RDMA is a deliberate change, not an invalid value: it
 * applies. */

struct rdma_map_vport;
struct rdma_mapping;
struct rdma_request;

void rdma_config_guard(const struct rdma_mapping *old,
                       struct rdma_mapping *new);
char *rdma_config_guard_check(const struct rdma_mapping *,
                              const struct rdma_request *,
                              const struct rdma_map_vport *);

#endif /* rdma-config-guard.h */
