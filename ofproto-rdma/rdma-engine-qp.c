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
#include "rdma-engine-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "util.h"

/* The kernel's view of the QPs (rdma-qp-source.h): a bind's QP must exist
 * on its vport's RDMA device, and a bound QP's peer and state follow the
 * kernel's, until the QP goes away and its binding with it. */

/* Logs as the engine, module "rdma_engine" (rdma-engine-private.h). */
#define this_module (*VLM_rdma_engine)

/* Checks that the QP that 'req' binds exists on the RDMA device of 'vp',
 * as the kernel shows it, and stores it in '*kqp'.  Returns NULL or an
 * error message (caller frees). */
char *
rdma_engine_check_qp(const struct rdma_map_vport *vp,
                     const struct rdma_request *req, struct rdma_kqp *kqp)
{
    int error;

    if (!req->has_qpn) {
        return xasprintf("vport %s is on RDMA device %s: give the number of "
                         "the QP to bind (qpn=N)", vp->name, vp->device);
    }
    error = rdma_qp_source_find(vp->device, req->qpn, true, kqp);
    if (error == ENOENT) {
        return xasprintf("qpn %"PRIu32" is not a QP of RDMA device %s (the "
                         "RDMA device of vport %s): bind a QP that exists",
                         req->qpn, vp->device, vp->name);
    } else if (error) {
        return xasprintf("cannot read the QPs of RDMA device %s (%s): try "
                         "again", vp->device, ovs_strerror(error));
    }
    return NULL;
}

/* Checks a tenant's claim that the peer of 'b', a binding whose QP the
 * kernel shows, is QP 'remote_qpn'.  Before its RTR transition a QP has no
 * peer in the kernel yet, and the tenant's word is all there is: the claim
 * is taken, so that the entry carries the peer before the first frame
 * (the kernel's own value replaces it at the next check if they differ).
 * Once the kernel knows the peer, only that value is accepted.  Returns
 * NULL or an error message (caller frees). */
char *
rdma_engine_check_peer(const struct rdma_binding *b, uint32_t remote_qpn)
{
    struct rdma_kqp kqp;
    int error;

    error = rdma_qp_source_find(b->device, b->qpn, true, &kqp);
    if (error == ENOENT) {
        return xasprintf("QP %"PRIu32" of %s/%"PRIu64" no longer exists on "
                         "RDMA device %s: nothing to update", b->qpn,
                         b->vport->name, b->cm_id, b->device);
    } else if (error) {
        return xasprintf("cannot read the QPs of RDMA device %s (%s): try "
                         "again", b->device, ovs_strerror(error));
    } else if (kqp.rqpn && kqp.rqpn != remote_qpn) {
        return xasprintf("the peer QPN of %s/%"PRIu64" comes from the "
                         "kernel once its QP is connected: QP %"PRIu32" on "
                         "RDMA device %s has peer %"PRIu32", not %"PRIu32,
                         b->vport->name, b->cm_id, b->qpn, b->device,
                         kqp.rqpn, remote_qpn);
    }
    return NULL;
}

/* Compares the QPs of the kernel (this iteration's snapshot of each RDMA
 * device) with the bindings whose QP it checks: releases those whose QP no
 * longer exists, and takes the peer QPN and state of the others from the
 * kernel.  A device whose QPs cannot be read is tried again next time. */
void
rdma_engine_check_qps(struct rdma_engine *e)
{
    struct rdma_binding **gone = NULL;
    size_t n_gone = 0, allocated = 0, i;
    struct rdma_binding *b;

    if (rdma_qp_source_type() == RDMA_QP_SOURCE_NONE) {
        return;
    }
    RDMA_QP_MAP_FOR_EACH (b, e->map) {
        struct rdma_kqp kqp;
        int error;

        if (!b->qp_checked || !b->device) {
            continue;
        }
        error = rdma_qp_source_find(b->device, b->qpn, false, &kqp);
        if (error == ENOENT) {
            if (n_gone >= allocated) {
                gone = x2nrealloc(gone, &allocated, sizeof *gone);
            }
            gone[n_gone++] = b;
            continue;
        } else if (error) {
            continue;
        }
        if (b->qp_state != kqp.state) {
            b->qp_state = kqp.state;
            e->map->seqno++;
        }
        if (kqp.rqpn && kqp.rqpn != b->remote_qpn) {
            struct rdma_binding *bb;

            free(rdma_engine_update__(e, b->vport->name, b->cm_id,
                                      kqp.rqpn, true, &bb));
        }
    }
    for (i = 0; i < n_gone; i++) {
        VLOG_INFO("%s/%"PRIu64": releasing it: its QP %"PRIu32" no "
                  "longer exists on RDMA device %s",
                  gone[i]->vport->name, gone[i]->cm_id, gone[i]->qpn,
                  gone[i]->device);
        rdma_engine_release(e, gone[i]);
    }
    free(gone);
}
