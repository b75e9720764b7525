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

#ifndef RDMA_UNDERLAY_OVS_H
#define RDMA_UNDERLAY_OVS_H 1

/* The userspace-datapath underlay backend: resolves remote VTEPs with
 * ovs-vswitchd's own tables, read over its unixctl socket, exactly as the
 * userspace datapath's tnl_push does:
 *
 *   - "ovs/route/lookup IP": source address, gateway and egress device;
 *   - "tnl/neigh/show": the next hop's MAC;
 *   - the egress device's Interface mac_in_use and mtu and its Port's tag
 *     (from the configuration snapshot);
 *   - "fdb/show BRIDGE": the MAC-learning table, for tunnel selection.
 *
 * ovs-vswitchd is found through its pidfile in $OVS_RUNDIR; the connection
 * is reopened when ovs-vswitchd restarts.
 *
 * The resolver reaches it as the "ovs" underlay provider
 * (rdma_underlay_ovs_class, rdma-underlay-provider.h); other modules that
 * ask ovs-vswitchd something use rdma_underlay_ovs_call(), over the same
 * connection. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"

struct rdma_mapping;
struct rdma_underlay_path;

void rdma_underlay_ovs_init(const char *vswitchd_target);
void rdma_underlay_ovs_destroy(void);

int rdma_underlay_ovs_call(const char *command, int argc, char *argv[],
                           char **resultp, char **errorp);

#endif /* rdma-underlay-ovs.h */
