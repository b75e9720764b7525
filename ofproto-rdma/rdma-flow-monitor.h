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

#ifndef RDMA_FLOW_MONITOR_H
#define RDMA_FLOW_MONITOR_H 1

/* OpenFlow flow monitors on the bridges whose flows the pipeline resolver
 * traces: the trigger that re-traces pipeline paths when a flow table
 * changes (Documentation/design.rst, section "The pipeline resolver").
 *
 * For each watched bridge, one OpenFlow 1.0 connection to ovs-vswitchd's
 * management socket (OVS_RUNDIR/BRIDGE.mgmt) with an NXST_FLOW_MONITOR
 * request for every table, without the initial flows: the semantics of
 * "ovs-ofctl monitor BRIDGE watch:!initial".  ovs-vswitchd then sends an
 * update whenever a flow is added, deleted or modified, and nothing while
 * the flows stay as they are.  Updates come in bursts (ovn-controller
 * rewrites a flow as a delete then an add, 1-71 updates per change), so a
 * change counts as settled once no update came for
 * RDMA_FLOW_MONITOR_QUIET_MS, or RDMA_FLOW_MONITOR_MAX_MS after the first,
 * whichever is first. */

#include <stdbool.h>

struct ds;
struct sset;

/* A burst of updates is over after this long without one. */
#define RDMA_FLOW_MONITOR_QUIET_MS 20

/* ... or this long after its first update, whichever comes first. */
#define RDMA_FLOW_MONITOR_MAX_MS 50

void rdma_flow_monitor_set_bridges(const struct sset *names);
bool rdma_flow_monitor_run(void);
void rdma_flow_monitor_wait(void);
bool rdma_flow_monitor_is_live(void);
void rdma_flow_monitor_destroy(void);
void rdma_flow_monitor_format(struct ds *);

#endif /* rdma-flow-monitor.h */
