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

/* The active side of zero-touch binding, before its QP exists.
 *
 * An active rdma_cm id sends its first ConnectRequest from inside
 * rdma_connect(), microseconds after its QP is created: a binding made
 * only once the QP shows comes too late, OVS drops the request, and the
 * connection manager sends it again seconds later.  The address and the
 * peer are known earlier, at address resolution.  So every cm_id of a
 * connected port space (TCP or IB) whose address is resolved
 * (ADDR_RESOLVED, ROUTE_QUERY or ROUTE_RESOLVED) and that has no QP yet
 * gets, in each dump, a connection to the GSI QP (QP 1, the one
 * that carries the connection manager's messages of every connection)
 * with its own addresses: the binding a listener's peer gets
 * (rdma-zt-listen.c), made through the same engine checks (the source
 * must be the vport's, the vport's quota applies, a vport without
 * other_config:rdma=true is never bound).
 *
 * It lasts until the cm_id has its QP: in the dump that first shows the
 * QP, the connection's own binding is made first, then the GSI binding,
 * no longer in the dump, is removed, so there is no gap for the
 * ConnectReply (Documentation/design.rst, "Zero-touch binding"). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "rdma-addr.h"
#include "rdma-zero-touch-private.h"
#include "util.h"

/* Returns true if 'cm' is an active cm_id whose peer is known and whose QP
 * does not exist yet. */
static bool
zt_active_pre_qp(const struct rdma_kcm *cm)
{
    if (cm->lqpn || !cm->has_src || !cm->has_dst
        || !rdma_ip_is_set(&cm->dst)
        || (cm->ps != RDMA_KCM_PS_TCP && cm->ps != RDMA_KCM_PS_IB)
        || cm->cm_idn & (ZT_LISTEN_IDN | ZT_ACTIVE_IDN)) {
        return false;
    }
    /* Not CONNECT: an application's QP is its cm_id's from rdma_connect()
     * on, so a cm_id in CONNECT without a QP is a listener's child before
     * rdma_accept(), whose peer the listener's binding lets in already
     * (rdma-zt-listen.c). */
    switch (cm->state) {
    case RDMA_KCM_ADDR_RESOLVED:
    case RDMA_KCM_ROUTE_QUERY:
    case RDMA_KCM_ROUTE_RESOLVED:
        return true;
    default:
        return false;
    }
}

/* Appends to '*cmsp' and '*np' a connection to the GSI QP for every active
 * cm_id in '*cmsp' that has its peer but no QP yet (see above). */
void
zt_add_active_gsi(struct rdma_kcm **cmsp, size_t *np)
{
    size_t n0 = *np, allocated = *np, i;

    for (i = 0; i < n0; i++) {
        struct rdma_kcm pc = (*cmsp)[i];

        if (!zt_active_pre_qp(&pc)) {
            continue;
        }
        pc.cm_idn |= ZT_ACTIVE_IDN;
        pc.lqpn = RDMA_GSI_QPN;
        pc.qp_type = 2;         /* Counts as an RC connection. */
        if (*np >= allocated) {
            *cmsp = x2nrealloc(*cmsp, &allocated, sizeof **cmsp);
        }
        (*cmsp)[(*np)++] = pc;
    }
}
