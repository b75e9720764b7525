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
 * be given as JSON integers or as strings, in plain decimal only (see
 * rdma-request.h); a JSON integer must fit in 64 signed bits (larger
 * cm_ids go in strings), and no key may appear twice in an object.
 *
 * Trust: the socket is the vport's identity.  A tenant's source IP must be
 * one of the vport's own (other_config:rdma-ip) and its source MAC is the
 * vport's; its cm_ids are its own (another vport's never show, not even in
 * errors); a QPN can be bound once per RDMA function; the vport's quota
 * and the NIC table's fair share apply (rdma-engine.c, check_quota()).
 * A binding is released when the connection that made it closes, unless
 * it was bound with "persistent": true.
 *
 * Limits: a request is at most RDMA_REQUEST_MAX_SIZE bytes (a larger one
 * closes the connection); each connection gets a bucket of 100 requests
 * refilled at 500 per second (--tenant-rate; requests beyond wait, they
 * are not refused); each vport's socket is served at most 8 requests per
 * main-loop iteration, and all of them together 0.5 ms of it, round robin,
 * so that a flood on one socket delays the others and the admin socket by
 * about that; at most 64 connections per vport; a
 * connection that holds no bindings and sends nothing for the idle timeout
 * (--tenant-idle-timeout) is closed.
 *
 * Files: the socket directory is created by ovs-rdmad (mode 0750, group
 * --tenant-group) and refused if it exists with another owner, is writable
 * by group or others, or is a symbolic link; sockets are mode 0660. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rdma-ack.h"

struct ds;
struct json;
struct rdma_engine;
struct rdma_json_scanner;

/* Default idle timeout of a tenant connection that holds no bindings, in
 * ms. */
#define RDMA_TENANT_IDLE_MS 300000

/* Default rate limit of a tenant connection, in requests per second (after
 * a burst of 100). */
#define RDMA_TENANT_RATE 500

struct rdma_tenant *rdma_tenant_create(struct rdma_engine *,
                                       const char *dir, gid_t gid,
                                       int idle_ms);
void rdma_tenant_set_rate(struct rdma_tenant *, int rate);
size_t rdma_tenant_run(struct rdma_tenant *);
void rdma_tenant_flush(struct rdma_tenant *);
void rdma_tenant_wait(struct rdma_tenant *);
void rdma_tenant_destroy(struct rdma_tenant *);

/* What a tenant request changed, for holding its reply until the change
 * is saved (rdma-ack.h). */
struct rdma_tenant_change {
    bool changed;               /* Whether it changed the QP map. */
    enum rdma_ack_op op;        /* If so, how: bind, unbind or update. */
    uint64_t cm_id;             /* The connection, on the request's vport. */
    struct json *id;            /* The request's id (caller frees). */
};

int rdma_tenant_handle_message(struct rdma_engine *, const char *vport,
                               uint64_t owner,
                               const struct rdma_json_scanner *,
                               const char *text, size_t len, struct ds *reply,
                               struct rdma_tenant_change *, char **errorp);

#endif /* rdma-tenant.h */
