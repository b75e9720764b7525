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
    rdma_ack_cb *cb;            /* Sends or frees it. */
    void *aux;                  /* For 'cb'. */
};

/* The replies held in this main-loop iteration, in arrival order. */
static struct held_ack *held;
static size_t n_held, allocated_held;

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
}

/* Returns true if any reply is held. */
bool
rdma_ack_any(void)
{
    return n_held > 0;
}

/* Sends every held reply, given the outcome 'save_error' (0 or a positive
 * errno) of writing their records to 'file_name': see rdma-ack.h. */
void
rdma_ack_release(struct rdma_engine *e, int save_error,
                 const char *file_name)
{
    size_t i;

    if (!save_error) {
        for (i = 0; i < n_held; i++) {
            crash_point(held[i].op, "saved");
        }
    }
    for (i = 0; i < n_held; i++) {
        struct held_ack *a = &held[i];
        char *error = NULL;

        if (!a->cb) {
            free(a->vport);
            continue;
        }
        if (save_error && a->op == RDMA_ACK_BIND && a->vport) {
            char *msg = rdma_engine_unbind(e, a->vport, a->cm_id);

            free(msg);
            error = xasprintf("cannot save the connection in the state "
                              "file %s (%s): bind refused, nothing "
                              "installed; make the file writable again "
                              "(e.g. free space on its file system) and "
                              "bind again", file_name,
                              ovs_strerror(save_error));
        } else if (save_error && a->op == RDMA_ACK_UPDATE) {
            /* rdma_engine_set_save_error() undid it already. */
            error = xasprintf("cannot save the peer QPN in the state file "
                              "%s (%s): update refused, nothing changed; "
                              "make the file writable again (e.g. free "
                              "space on its file system) and update "
                              "again", file_name, ovs_strerror(save_error));
        } else if (save_error && a->op == RDMA_ACK_UNBIND) {
            VLOG_WARN("%s/%"PRIu64": unbind took effect but is not saved "
                      "yet in %s (%s): retrying",
                      a->vport ? a->vport : "(unknown)", a->cm_id,
                      file_name, ovs_strerror(save_error));
        } else if (save_error) {
            VLOG_WARN("refresh took effect but is not saved yet in %s (%s): "
                      "retrying", file_name, ovs_strerror(save_error));
        }
        a->cb(a->aux, error, true);
        free(error);
        free(a->vport);
    }
    n_held = 0;
}
