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


/* A stand-in for librdmacm, for testing librdmaovl-preload on a machine
 * without RDMA: the calls the shim wraps succeed without doing anything,
 * and rdma_get_cm_event() hands out the events a test queued with
 * fake_rdmacm_push_event(). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake-rdmacm.h"

/* Queued events. */
static struct rdma_cm_event events[16];
static size_t n_events;

/* If nonzero, rdma_connect() fails with this errno. */
int fake_rdmacm_connect_error;

/* Queues an event of 'type' for 'id' carrying peer QPN 'qp_num'. */
void
fake_rdmacm_push_event(struct rdma_cm_id *id, enum rdma_cm_event_type type,
                       uint32_t qp_num)
{
    struct rdma_cm_event *e = &events[n_events++ % 16];

    memset(e, 0, sizeof *e);
    e->id = id;
    e->event = type;
    e->param.conn.qp_num = qp_num;
}

/* Copies the destination into 'id''s route, as address resolution does. */
int
rdma_resolve_addr(struct rdma_cm_id *id, struct sockaddr *src,
                  struct sockaddr *dst, int timeout_ms)
{
    (void) timeout_ms;
    if (src) {
        memcpy(&id->route.addr.src_addr, src,
               src->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
               : sizeof(struct sockaddr_in));
    }
    memcpy(&id->route.addr.dst_addr, dst,
           dst->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
           : sizeof(struct sockaddr_in));
    return 0;
}

/* Succeeds, or fails with fake_rdmacm_connect_error. */
int
rdma_connect(struct rdma_cm_id *id, struct rdma_conn_param *param)
{
    (void) id;
    (void) param;
    if (fake_rdmacm_connect_error) {
        errno = fake_rdmacm_connect_error;
        return -1;
    }
    return 0;
}

/* Succeeds. */
int
rdma_accept(struct rdma_cm_id *id, struct rdma_conn_param *param)
{
    (void) id;
    (void) param;
    return 0;
}

/* Returns the oldest queued event, or fails with EAGAIN. */
int
rdma_get_cm_event(struct rdma_event_channel *channel,
                  struct rdma_cm_event **event)
{
    static size_t next;

    (void) channel;
    if (next == n_events) {
        errno = EAGAIN;
        return -1;
    }
    *event = &events[next++ % 16];
    return 0;
}

/* Does nothing. */
int
rdma_ack_cm_event(struct rdma_cm_event *event)
{
    (void) event;
    return 0;
}

/* Does nothing. */
void
rdma_destroy_qp(struct rdma_cm_id *id)
{
    (void) id;
}

/* Does nothing. */
int
rdma_destroy_id(struct rdma_cm_id *id)
{
    (void) id;
    return 0;
}

/* Does nothing. */
void
rdma_destroy_ep(struct rdma_cm_id *id)
{
    (void) id;
}
