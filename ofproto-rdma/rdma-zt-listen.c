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


/* The listeners' side of zero-touch binding.
 *
 * A listening rdma_cm id says nothing of its peers, but the connection
 * manager's first request (a ConnectRequest to the GSI QP, QP 1) crosses
 * the receive check only if a binding of that peer exists on the
 * listener's vport.  So for every listening cm_id on an RDMA-enabled vport
 * the watcher adds, to each dump, one connection to the GSI QP per peer
 * that the listener's netdev has a neighbour entry for (in the namespace
 * of the listener's process): the tenant resolved it, or it resolved the
 * tenant.  These are bound like any kernel connection, through the
 * engine's tenant checks (the listener's address must be the vport's, the
 * vport's quota applies), so a tenant causes entries for its own vport's
 * addresses only.  They go when the listener or the neighbour entry goes.
 * Their cm_id numbers have the top bit set (ZT_LISTEN_IDN), which the
 * kernel's do not reach in practice (Documentation/design.rst, "Zero-touch
 * binding").  A listener whose peers cannot be bound at all (no vport, no
 * netdev) is shown with the reason by rdma/zero-touch-show and logged when
 * the reason first appears or changes. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-kneigh.h"
#include "rdma-zero-touch-private.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_zt_listen);

/* Appends listener 'cm' to the listeners' lines of 'zt', as
 * "DEVICE/N SRC:PORT pid=PID: ", for the caller to finish. */
static void
zt_format_listener(struct rdma_zero_touch *zt, const struct rdma_kcm *cm)
{
    char buf[INET6_ADDRSTRLEN + 1];

    ds_put_format(&zt->listeners, "%s/%"PRIu32" %s:%"PRIu16" pid=%"PRIu32
                  ": ", cm->device, cm->cm_idn,
                  zt_ip_to_string(&cm->src, buf), cm->src_port, cm->pid);
}

/* Records that no peer of listener 'cm' is bound, because of 'reason':
 * shows it in the listeners' lines of 'zt' and adds it to 'failed', the
 * listeners of this dump that failed ("DEVICE/N" to reason as logged).
 * Logs it if the last dump did not log that reason for that listener
 * ('error': a system problem, else a configuration one); a line that the
 * rate limit drops is tried again on the next dump. */
static void
zt_listener_failed(struct rdma_zero_touch *zt, const struct rdma_kcm *cm,
                   const char *reason, bool error, struct smap *failed)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);
    char *key = xasprintf("%s/%"PRIu32, cm->device, cm->cm_idn);
    const char *last = smap_get(&zt->listen_failed, key);
    bool logged = true;

    zt_format_listener(zt, cm);
    ds_put_format(&zt->listeners, "no peer bound: %s\n", reason);
    if (!last || strcmp(last, reason)) {
        if (error ? VLOG_DROP_WARN(&rl) : VLOG_DROP_INFO(&rl)) {
            logged = false;
        } else {
            char buf[INET6_ADDRSTRLEN + 1];

            VLOG(error ? VLL_WARN : VLL_INFO, "listener %s %s:%"PRIu16
                 " pid=%"PRIu32": its peers are not bound: %s", key,
                 zt_ip_to_string(&cm->src, buf), cm->src_port, cm->pid,
                 reason);
        }
    }
    if (logged) {
        smap_replace_nocopy(failed, key, xstrdup(reason));
    }
    free(key);
}

/* Returns true if 'cm' is a listener whose peers zero-touch binds: a
 * listening rdma_cm id of a connected service (port space TCP or IB) on
 * an RDMA device of an RDMA-enabled vport.  A listener that cannot be
 * placed is recorded in 'failed' (zt_listener_failed()). */
static bool
zt_listener(struct rdma_zero_touch *zt, const struct rdma_kcm *cm,
            struct smap *failed)
{
    const struct zt_dev *d;
    char *reason;

    /* A listener has no QP, hence no QP type: its port space says. */
    if (cm->state != RDMA_KCM_LISTEN || !cm->has_src
        || (cm->ps != RDMA_KCM_PS_TCP && cm->ps != RDMA_KCM_PS_IB)
        || cm->cm_idn & ZT_LISTEN_IDN) {
        return false;
    }
    d = zt_dev_resolve(zt, cm, &reason);
    if (!d) {
        zt_listener_failed(zt, cm, reason, false, failed);
        free(reason);
    }
    return d != NULL;
}

/* Returns the cm_id number of the connection of listener 'cm' with
 * 'peer'. */
static uint32_t
zt_listen_idn(const struct rdma_kcm *cm, const struct in6_addr *peer)
{
    uint32_t h = hash_bytes(&cm->src, sizeof cm->src, 0);

    return ZT_LISTEN_IDN | (hash_bytes(peer, sizeof *peer, h)
                            & ~ZT_LISTEN_IDN);
}

/* Appends to '*cmsp' and '*np' the connections to the GSI QP of every
 * listener in '*cmsp' with each of its peers (see above). */
void
zt_add_listener_peers(struct rdma_zero_touch *zt, struct rdma_kcm **cmsp,
                      size_t *np)
{
    struct smap failed = SMAP_INITIALIZER(&failed);
    size_t n0 = *np, allocated = *np, i;

    ds_clear(&zt->listeners);
    for (i = 0; i < n0; i++) {
        struct rdma_kcm cm = (*cmsp)[i];
        struct rdma_kneigh *peers;
        uint32_t ifindex;
        size_t n_peers, j;
        int error;

        if (!zt_listener(zt, &cm, &failed)) {
            continue;
        }
        /* Only the neighbours of the RDMA device's own netdev. */
        error = rdma_qp_source_netdev(cm.device, cm.pid, &ifindex);
        if (error) {
            char *reason = xasprintf("cannot find the netdev of RDMA "
                                     "device %s (%s)", cm.device,
                                     ovs_strerror(error));

            zt_listener_failed(zt, &cm, reason, true, &failed);
            free(reason);
            continue;
        }
        rdma_kneigh_list(zt->neighs, cm.pid, ifindex, &peers, &n_peers);
        zt_format_listener(zt, &cm);
        ds_put_format(&zt->listeners, "%"PRIuSIZE" neighbour%s on "
                      "ifindex %"PRIu32"\n", n_peers, n_peers == 1 ? "" : "s",
                      ifindex);
        for (j = 0; j < n_peers; j++) {
            const struct in6_addr *peer = &peers[j].ip;
            struct rdma_kcm pc;
            size_t k;

            if (ipv6_addr_equals(peer, &cm.src)
                || (rdma_ip_is_set(&cm.src)
                    && rdma_ip_is_v4(peer) != rdma_ip_is_v4(&cm.src))) {
                continue;
            }
            pc = cm;
            pc.cm_idn = zt_listen_idn(&cm, peer);
            pc.state = RDMA_KCM_CONNECT;
            pc.lqpn = RDMA_GSI_QPN;
            pc.qp_type = 2;     /* Counts as an RC connection. */
            pc.dst = *peer;
            pc.dst_port = 0;
            pc.has_dst = true;
            pc.dst_mac = peers[j].mac;
            pc.has_dst_mac = true;
            for (k = n0; k < *np; k++) {
                if ((*cmsp)[k].cm_idn == pc.cm_idn
                    && !strcmp((*cmsp)[k].device, pc.device)) {
                    break;      /* Another listener of the same address. */
                }
            }
            if (k == *np) {
                if (*np >= allocated) {
                    *cmsp = x2nrealloc(*cmsp, &allocated, sizeof **cmsp);
                }
                (*cmsp)[(*np)++] = pc;
            }
        }
        free(peers);
    }
    /* A listener that went, or whose peers can be bound now, is logged
     * again if it fails again. */
    hmap_swap(&zt->listen_failed.map, &failed.map);
    smap_destroy(&failed);
}
