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

#include <config.h>
#include "rdma-ack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "rdma-engine.h"
#include "rdma-fault.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_ack);

/* One held reply. */
struct held_ack {
    enum rdma_ack_op op;        /* What it confirms. */
    char *vport;                /* The connection's vport, or NULL (for
                                 * refresh). */
    uint64_t cm_id;             /* The connection's cm_id on 'vport'. */
    const void *owner;          /* Connection it goes to, for
                                 * rdma_ack_forget(). */
    rdma_ack_cb *cb;            /* Sends or frees it, or NULL if its
                                 * connection went away. */
    void *aux;                  /* For 'cb'. */
    char *error;                /* Once settled: why the change was
                                 * refused, or NULL if it was written. */
    uint64_t ticket;            /* Once settled: the write that must be
                                 * durable before it is sent. */
    bool saved;                 /* Once settled: whether its record was
                                 * written. */
};

/* The replies held in this main-loop iteration, in arrival order. */
static struct held_ack *held;
static size_t n_held, allocated_held;

/* The replies settled in earlier iterations (their records written, or
 * their change refused) that wait for a sync, in arrival order: a FIFO
 * whose live part is 'queue[queue_head]' to 'queue[n_queue - 1]'.  Their
 * tickets never decrease along it. */
static struct held_ack *queue;
static size_t queue_head, n_queue, allocated_queue;

/* Names of the ops, as the crash points spell them. */
static const char *
op_name(enum rdma_ack_op op)
{
    switch (op) {
    case RDMA_ACK_BIND: return "bind";
    case RDMA_ACK_UNBIND: return "unbind";
    case RDMA_ACK_UPDATE: return "update";
    case RDMA_ACK_REFRESH: return "refresh";
    }
    OVS_NOT_REACHED();
}

/* Runs crash point "OP-WHEN" for 'op'. */
static void
crash_point(enum rdma_ack_op op, const char *when)
{
    if (rdma_fault_enabled()) {
        char *name = xasprintf("%s-%s", op_name(op), when);

        rdma_fault_point(name);
        free(name);
    }
}

/* Holds the reply that confirms 'op' on connection 'cm_id' of 'vport'
 * (NULL for a refresh), for 'owner', until rdma_ack_release(): 'cb' is
 * then called with 'aux'. */
void
rdma_ack_hold(enum rdma_ack_op op, const char *vport, uint64_t cm_id,
              const void *owner, rdma_ack_cb *cb, void *aux)
{
    struct held_ack *a;

    crash_point(op, "nic");
    if (n_held >= allocated_held) {
        held = x2nrealloc(held, &allocated_held, sizeof *held);
    }
    a = &held[n_held++];
    a->op = op;
    a->vport = nullable_xstrdup(vport);
    a->cm_id = cm_id;
    a->owner = owner;
    a->cb = cb;
    a->aux = aux;
}

/* Drops the replies held for 'owner', a connection that is closing. */
void
rdma_ack_forget(const void *owner)
{
    size_t i;

    for (i = 0; i < n_held; i++) {
        if (held[i].owner == owner && held[i].cb) {
            held[i].cb(held[i].aux, NULL, false);
            held[i].cb = NULL;
        }
    }
    for (i = queue_head; i < n_queue; i++) {
        if (queue[i].owner == owner && queue[i].cb) {
            queue[i].cb(queue[i].aux, NULL, false);
            queue[i].cb = NULL;
        }
    }
}

/* Returns true if any reply is held in this iteration. */
bool
rdma_ack_any(void)
{
    return n_held > 0;
}

/* Returns the refusal for held reply 'a', whose change could not be
 * written to 'file_name' ('save_error'), after undoing the change in 'e'
 * (a bind) or noting that it was (an update); NULL for an unbind or a
 * refresh, which took effect and whose record keeps being retried. */
static char *
refuse(struct rdma_engine *e, const struct held_ack *a, int save_error,
       const char *file_name)
{
    if (a->op == RDMA_ACK_BIND && a->vport) {
        free(rdma_engine_unbind(e, a->vport, a->cm_id));
        return xasprintf("cannot save the connection in the state "
                         "file %s (%s): bind refused, nothing "
                         "installed; make the file writable again "
                         "(e.g. free space on its file system) and "
                         "bind again", file_name,
                         ovs_strerror(save_error));
    } else if (a->op == RDMA_ACK_UPDATE) {
        /* rdma_engine_set_save_error() undid it already. */
        return xasprintf("cannot save the peer QPN in the state file "
                         "%s (%s): update refused, nothing changed; "
                         "make the file writable again (e.g. free "
                         "space on its file system) and update "
                         "again", file_name, ovs_strerror(save_error));
    } else if (a->op == RDMA_ACK_UNBIND) {
        VLOG_WARN("%s/%"PRIu64": unbind took effect but is not saved "
                  "yet in %s (%s): retrying",
                  a->vport ? a->vport : "(unknown)", a->cm_id,
                  file_name, ovs_strerror(save_error));
    } else {
        VLOG_WARN("refresh took effect but is not saved yet in %s (%s): "
                  "retrying", file_name, ovs_strerror(save_error));
    }
    return NULL;
}

/* Settles every reply held in this iteration, given the outcome
 * 'save_error' (0 or a positive errno) of writing their records to
 * 'file_name' (see rdma-ack.h), and queues them behind the replies that
 * wait already: they go out, in arrival order, once write 'ticket' is
 * durable (rdma_ack_flush()).  A refused change is undone now; its
 * refusal, too, waits for the replies before it. */
void
rdma_ack_release(struct rdma_engine *e, int save_error,
                 const char *file_name, uint64_t ticket)
{
    size_t i;

    if (queue_head == n_queue) {
        queue_head = n_queue = 0;
    }
    for (i = 0; i < n_held; i++) {
        struct held_ack *a = &held[i];

        a->error = save_error ? refuse(e, a, save_error, file_name) : NULL;
        a->ticket = ticket;
        a->saved = !save_error;
        if (n_queue >= allocated_queue) {
            if (queue_head) {
                memmove(queue, &queue[queue_head],
                        (n_queue - queue_head) * sizeof *queue);
                n_queue -= queue_head;
                queue_head = 0;
            }
            if (n_queue >= allocated_queue) {
                queue = x2nrealloc(queue, &allocated_queue, sizeof *queue);
            }
        }
        queue[n_queue++] = *a;
    }
    n_held = 0;
}

/* Sends, in arrival order, every settled reply whose write 'synced' (the
 * highest write known durable) covers.  Before any of them is sent, crash
 * point "OP-saved" runs for each confirmed change among them. */
void
rdma_ack_flush(uint64_t synced)
{
    size_t end, i;

    for (end = queue_head; end < n_queue && queue[end].ticket <= synced;
         end++) {
        if (queue[end].saved) {
            crash_point(queue[end].op, "saved");
        }
    }
    for (i = queue_head; i < end; i++) {
        struct held_ack *a = &queue[i];

        if (a->cb) {
            a->cb(a->aux, a->error, true);
        }
        free(a->error);
        free(a->vport);
    }
    queue_head = end;
}
