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

#ifndef RDMA_TENANT_PRIVATE_H
#define RDMA_TENANT_PRIVATE_H 1

/* The tenants' front end (rdma-tenant.h), inside: its structures, shared
 * by rdma-tenant.c (serving connections) and rdma-tenant-socket.c (the
 * per-vport listening sockets and their directory). */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "rdma-request.h"

struct pollfd;

/* One vport's listening socket. */
struct tenant_socket {
    struct hmap_node node;      /* In rdma_tenant's 'sockets', by vport. */
    struct ovs_list rr_node;    /* In rdma_tenant's 'rr'. */
    char *vport;                /* The vport it serves. */
    struct pstream *pstream;    /* The listener. */
    int fd;                     /* 'pstream''s file descriptor. */
    bool readable;              /* poll() found a connection waiting. */
    struct ovs_list conns;      /* "struct tenant_conn"s, in the order they
                                 * are served next. */
    size_t n_conns;             /* Length of 'conns'. */
};

/* A connection from a tenant. */
struct tenant_conn {
    struct ovs_list node;       /* In its socket's 'conns'. */
    struct tenant_socket *socket; /* The socket it came in on. */
    struct stream *stream;      /* The connection. */
    uint64_t serial;            /* Owner of the bindings it makes. */
    struct rdma_json_scanner scanner; /* Splits and checks messages. */
    struct ds rx;               /* Bytes received, not yet scanned. */
    size_t rx_ofs;              /* Bytes of 'rx' already scanned. */
    struct ds msg;              /* The message being received. */
    bool ready;                 /* 'msg' is complete, not yet handled. */
    bool throttled;             /* 'ready' and held by the rate limit. */
    struct ds tx;               /* Reply bytes not yet sent. */
    size_t tx_ofs;              /* Bytes of 'tx' already sent. */
    double tokens;              /* Rate limit bucket. */
    long long int refilled;     /* When 'tokens' was last refilled. */
    long long int last_active;  /* Last request or connection time. */
    struct ovs_list flush_node; /* In rdma_tenant's 'to_flush', if
                                 * 'flushing'. */
    bool flushing;              /* Replies were released to 'tx' since the
                                 * last rdma_tenant_flush(). */
};

/* The tenants' front end. */
struct rdma_tenant {
    struct rdma_engine *engine; /* What requests act on; not owned. */
    char *dir;                  /* Where the sockets are. */
    gid_t gid;                  /* --tenant-group, or (gid_t) -1. */
    int idle_ms;                /* Idle timeout, 0 for none. */
    int rate;                   /* Requests per second per connection. */
    struct hmap sockets;        /* "struct tenant_socket"s. */
    struct ovs_list rr;         /* The same, in the order they are served
                                 * next (round robin). */
    bool more;                  /* Work was left for the next run. */
    size_t n_handled;           /* Requests handled in the current run. */
    struct ovs_list to_flush;   /* "struct tenant_conn"s whose held replies
                                 * were released into their 'tx'. */
    struct pollfd *pfds;        /* rdma_tenant_run()'s poll() set. */
    size_t allocated_pfds;      /* Allocated length of 'pfds'. */
    unsigned int idl_seqno;     /* Engine configuration last synced. */
    bool synced;                /* Whether synced at all. */
    bool dir_ok;                /* Whether 'dir' exists and is safe. */
    uint64_t next_serial;       /* Next connection's 'serial'. */
};

void rdma_tenant_conn_destroy(struct rdma_tenant *, struct tenant_conn *,
                              bool release);
struct tenant_socket *rdma_tenant_find_socket(const struct rdma_tenant *,
                                              const char *vport);
void rdma_tenant_socket_destroy(struct rdma_tenant *,
                                struct tenant_socket *);
void rdma_tenant_sync_sockets(struct rdma_tenant *);

#endif /* rdma-tenant-private.h */
