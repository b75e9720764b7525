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


#ifndef RDMA_TENANT_H
#define RDMA_TENANT_H 1

/* The tenants' front end: one JSON-RPC socket per RDMA vport.
 *
 * For every RDMA-enabled vport, ovs-rdmad listens on
 * "DIR/VPORT.sock" (DIR defaults to $OVS_RUNDIR/ovs-rdmad), a socket meant
 * to be bind-mounted into that tenant's VM or container and nowhere else.
 * A request on it can only ever act for that vport: the vport is the
 * socket, never a parameter.  Sockets appear and disappear with the
 * vports in the database.
 *
 * The protocol is JSON-RPC 1.0 as Open vSwitch speaks it (one JSON object
 * per message, no framing), each method taking one object parameter:
 *
 *   "resolve" [{"dst_ip": IP, "dst_mac"?: MAC, "src_ip"?: IP}]
 *       Dry run: the tunnel and tuple a connection would get.  Result: an
 *       object with "tunnel", "chosen_by", "state" ("ready" or "pending"),
 *       "reason" (when pending) and the tuple's members.
 *
 *   "bind" [{"dst_ip": IP, "dst_mac"?: MAC, "src_ip"?: IP, "qpn"?: N,
 *            "remote_qpn"?: N, "cm_id"?: N}]
 *       Binds a connection.  Result: the binding, as one element of
 *       "rdma/show-qp-map --json".
 *
 *   "update" [{"cm_id": N, "remote_qpn": N}]
 *       Sets the peer's QP number of one of this vport's connections, once
 *       known (a NIC learns it when the QP moves to RTR); the NIC entry is
 *       modified.  Result: the binding.
 *
 *   "unbind" [{"cm_id": N}]
 *       Unbinds one of this vport's connections.  Result: {}.
 *
 *   "list" []
 *       This vport's bindings.  Result: as "rdma/show-qp-map --json VPORT".
 *
 *   "echo" [ANY...]
 *       Replies with its parameters (liveness checks).
 *
 * Errors come back as JSON-RPC errors whose "error" member is a message
 * saying what was wrong and what to do; nothing changes then.  Numbers may
 * be given as JSON integers or as strings ("0x1f" too). */

struct rdma_engine;

struct rdma_tenant *rdma_tenant_create(struct rdma_engine *,
                                       const char *dir);
void rdma_tenant_run(struct rdma_tenant *);
void rdma_tenant_wait(struct rdma_tenant *);
void rdma_tenant_destroy(struct rdma_tenant *);

#endif /* rdma-tenant.h */
