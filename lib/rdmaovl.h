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


#ifndef RDMAOVL_H
#define RDMAOVL_H 1

/* librdmaovl: the application's side of ovs-rdma.
 *
 * An RDMA application (or the librdmacm preload shim, on its behalf) uses
 * this library to ask the host's ovs-rdmad, through its vport's tenant
 * socket, to put each of its connections on the tenant's Open vSwitch
 * overlay: resolve a destination, bind a connection once its QP exists,
 * unbind it when it goes.  The socket is per vport (bind-mounted into the
 * tenant's container or VM), so every request acts for that vport only.
 *
 * The library depends only on the C library and json-c; it does not need
 * Open vSwitch.  Build with `pkg-config --cflags --libs librdmaovl`.
 *
 * Every function that can fail returns 0 on success or a positive errno
 * value:
 *
 *    EREMOTEIO     ovs-rdmad refused the request; rdmaovl_last_error()
 *                  says why, in words meant for the operator (e.g. "vport
 *                  vm1 is not RDMA-enabled: set other_config:rdma=true on
 *                  its Interface").
 *    ETIMEDOUT     no answer within the timeout (rdmaovl_set_timeout()).
 *    ECONNRESET    ovs-rdmad closed the connection (it restarted?):
 *                  rdmaovl_close() and rdmaovl_open() again.
 *    EPROTO        the answer was not what the protocol says.
 *    other         from the system, e.g. ENOENT or ECONNREFUSED from
 *                  rdmaovl_open() when nothing listens on the socket.
 *
 * A "struct rdmaovl" is not thread-safe: use one per thread, or lock. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The environment variable that names the default socket. */
#define RDMAOVL_SOCKET_ENV "OVS_RDMA_SOCKET"

/* A connection to one vport's tenant socket of ovs-rdmad.  Opaque. */
struct rdmaovl;

/* What to resolve or bind.  Strings are the caller's; NULL means "not
 * given". */
struct rdmaovl_request {
    const char *dst_ip;         /* Remote tenant IP (required). */
    const char *dst_mac;        /* Remote tenant MAC, or NULL. */
    const char *src_ip;         /* Local tenant IP, or NULL for the vport's
                                 * configured one. */
    uint32_t qpn;               /* Local QP number, 0 to let ovs-rdmad
                                 * choose (bind only). */
    uint32_t remote_qpn;        /* Peer's QP number, 0 if not yet known
                                 * (bind only). */
    uint64_t cm_id;             /* Connection id, if 'has_cm_id' (bind
                                 * only). */
    bool has_cm_id;             /* Whether 'cm_id' is given; otherwise
                                 * ovs-rdmad chooses one. */
    bool persistent;            /* Keep the binding when this handle is
                                 * closed (bind only).  Otherwise ovs-rdmad
                                 * releases it when the connection closes,
                                 * which it does when the process exits:
                                 * keep the handle open for the life of the
                                 * connections it binds. */
};

/* A bound connection or, from rdmaovl_resolve(), what one would get.
 * Strings are NUL-terminated and truncated to fit. */
struct rdmaovl_entry {
    uint64_t cm_id;             /* Connection id (0 from resolve). */
    uint32_t qpn;               /* Local QP number (0 from resolve). */
    uint32_t remote_qpn;        /* Peer's QP number, 0 if unknown. */
    uint64_t generation;        /* 1 at install, +1 per modify. */
    char state[16];             /* "installed", "pending", "failed"; from
                                 * resolve "ready" or "pending". */
    char reason[256];           /* Why pending or failed, else "". */
    char tunnel[64];            /* OVS tunnel interface, "" if none. */
    char type[8];               /* "vxlan" or "geneve". */
    uint32_t vni;               /* Overlay VNI. */
    uint16_t udp_src;           /* Outer UDP source port. */
    uint16_t udp_dst;           /* Outer UDP destination port. */
    char local_ip[46];          /* Local VTEP IP. */
    char remote_ip[46];         /* Remote VTEP IP. */
    char local_mac[18];         /* Local VTEP MAC. */
    char nexthop_mac[18];       /* Underlay next hop's MAC. */
    uint16_t vlan;              /* Underlay VLAN, 0 if untagged. */
    uint16_t underlay_mtu;      /* Underlay IP MTU. */
    uint16_t path_mtu;          /* RoCE path MTU: use it for the QP. */
    char inner_src_ip[46];      /* Tenant source IP (the source GID). */
    char inner_dst_ip[46];      /* Tenant destination IP. */
};

int rdmaovl_open(const char *socket_path, struct rdmaovl **);
void rdmaovl_close(struct rdmaovl *);
void rdmaovl_set_timeout(struct rdmaovl *, int timeout_ms);
const char *rdmaovl_last_error(const struct rdmaovl *);
bool rdmaovl_qp_checked(const struct rdmaovl *);

int rdmaovl_resolve(struct rdmaovl *, const struct rdmaovl_request *,
                    struct rdmaovl_entry *);
int rdmaovl_bind(struct rdmaovl *, const struct rdmaovl_request *,
                 struct rdmaovl_entry *);
int rdmaovl_set_remote_qpn(struct rdmaovl *, uint64_t cm_id,
                           uint32_t remote_qpn, struct rdmaovl_entry *);
int rdmaovl_unbind(struct rdmaovl *, uint64_t cm_id);
int rdmaovl_list(struct rdmaovl *, struct rdmaovl_entry **entriesp,
                 size_t *n_entriesp);
int rdmaovl_call(struct rdmaovl *, const char *method, const char *params,
                 char **resultp);

#ifdef __cplusplus
}
#endif

#endif /* rdmaovl.h */
