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

#ifndef RDMA_PIPELINE_H
#define RDMA_PIPELINE_H 1

/* The pipeline resolver: the tunnel and overlay fields of a (vport,
 * destination) path, taken from ovs-vswitchd's own "ofproto/trace" of a
 * synthetic RoCEv2 packet through the bridge's OpenFlow pipeline
 * (Documentation/design.rst, section "The pipeline resolver").
 *
 * The packet: in_port the vport, Ethernet from the vport's MAC to the
 * destination MAC, IP from the vport's source IP to the destination, TTL
 * 64, TOS 0, UDP to port 4791.  The trace runs over ovs-vswitchd's unixctl
 * socket (rdma_underlay_ovs_call()), with "--ct-next trk,new" so that a
 * stateful ACL does not stop it.  Whatever the flows do decides: the VNI,
 * remote and local IP, TOS, TTL, DF, checksum and Geneve options come from
 * the tunnel action; a drop, a flood, an output on no tunnel, or a rewrite
 * of the tenant's packet gives a pending reason that says so.  The
 * underlay (MACs, VLAN, MTU) then comes from the same backend the static
 * resolver uses, so the two agree on static tunnels. */

#include <stdbool.h>
#include <netinet/in.h>

#include "openvswitch/types.h"
#include "rdma-resolve.h"

struct ovl_tuple;
struct rdma_map_vport;
struct rdma_mapping;
struct rdma_nic_caps;

bool rdma_pipeline_wanted(const struct rdma_mapping *,
                          const struct rdma_map_vport *);

enum rdma_resolve_status rdma_pipeline_resolve(
    const struct rdma_mapping *, const struct rdma_map_vport *,
    const struct in6_addr *src_ip, const struct in6_addr *dst_ip,
    const struct eth_addr *dst_mac, const struct rdma_nic_caps *,
    struct ovl_tuple *base, char **tunnelp, char **reasonp);

bool rdma_pipeline_run(const struct rdma_mapping *, unsigned int cfg_seqno);
void rdma_pipeline_wait(unsigned int cfg_seqno);
void rdma_pipeline_destroy(void);

void rdma_pipeline_poll_begin(void);
void rdma_pipeline_poll_end(void);
bool rdma_pipeline_may_skip_trace(void);
enum rdma_resolve_status rdma_pipeline_refresh_underlay(
    const struct rdma_mapping *, const struct rdma_map_vport *,
    const char *tunnel, const struct ovl_tuple *prev,
    const struct rdma_nic_caps *, struct ovl_tuple *base, char **reasonp);

/* A replacement for ofproto/trace, for tests and benchmarks: stores the
 * trace output of 'flow' on 'bridge' in '*outputp' and returns 0, or
 * returns an errno with a message in '*errorp'. */
typedef int rdma_pipeline_trace_hook(const char *bridge, const char *flow,
                                     char **outputp, char **errorp);
void rdma_pipeline_set_trace_hook(rdma_pipeline_trace_hook *);

#endif /* rdma-pipeline.h */
