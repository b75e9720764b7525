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

#include "rdma-qp-source.h"
#include "rdma-qp-source-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_qp_source);

/* The source in use. */
static enum rdma_qp_source_type source = RDMA_QP_SOURCE_NONE;

/* Names of the IB QP states, as "rdma resource show qp" prints them. */
static const char *const state_names[] = {
    "RESET", "INIT", "RTR", "RTS", "SQD", "SQE", "ERR"
};

/* Returns the name of QP state 'state'. */
const char *
rdma_qp_state_name(uint8_t state)
{
    return state < ARRAY_SIZE(state_names) ? state_names[state] : "UNKNOWN";
}

/* Returns the QP state named 'name', or -1. */
int
rdma_qp_state_from_name(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(state_names); i++) {
        if (!strcmp(name, state_names[i])) {
            return i;
        }
    }
    return -1;
}

/* Names of the rdma_cm states, as "rdma resource show cm_id" prints them. */
static const char *const cm_state_names[] = {
    "IDLE", "ADDR_QUERY", "ADDR_RESOLVED", "ROUTE_QUERY", "ROUTE_RESOLVED",
    "CONNECT", "DISCONNECT", "ADDR_BOUND", "LISTEN", "DEVICE_REMOVAL",
    "DESTROYING"
};

/* Returns the name of rdma_cm state 'state'. */
const char *
rdma_kcm_state_name(uint8_t state)
{
    return (state < ARRAY_SIZE(cm_state_names) ? cm_state_names[state]
            : "UNKNOWN");
}

/* Returns the rdma_cm state named 'name', or -1. */
int
rdma_kcm_state_from_name(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cm_state_names); i++) {
        if (!strcmp(name, cm_state_names[i])) {
            return i;
        }
    }
    return -1;
}

/* Stores in '*cmsp' and '*np' every rdma_cm id the kernel (or the fake
 * table) has, on every RDMA device (the caller frees '*cmsp').  Returns 0,
 * EOPNOTSUPP if there is no source, or another positive errno value (then
 * '*cmsp' is NULL and '*np' 0). */
int
rdma_qp_source_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np)
{
    int error;

    *cmsp = NULL;
    *np = 0;
    if (source == RDMA_QP_SOURCE_NONE) {
        return EOPNOTSUPP;
    } else if (source == RDMA_QP_SOURCE_FAKE) {
        rdma_qp_fake_dump_cm_ids(cmsp, np);
        return 0;
    }
    error = rdma_qp_netlink_dump_cm_ids(cmsp, np);
    if (error) {
        free(*cmsp);
        *cmsp = NULL;
        *np = 0;
    }
    return error;
}

/* Chooses the QP source by 'type': "netlink" (the kernel; if it has no
 * RDMA netlink, nothing), "fake" (a table the "rdma-qp/fake-set" and
 * "rdma-qp/fake-del" commands fill) or "none".  Returns 0 or EINVAL. */
int
rdma_qp_source_init(const char *type)
{
    if (!strcmp(type, "none")) {
        source = RDMA_QP_SOURCE_NONE;
    } else if (!strcmp(type, "fake")) {
        source = RDMA_QP_SOURCE_FAKE;
        rdma_qp_fake_register();
    } else if (!strcmp(type, "netlink")) {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_RDMA);

        if (fd < 0) {
            VLOG_INFO("the kernel has no RDMA netlink (%s): QPs of vports "
                      "with other_config:rdma-device are not checked",
                      ovs_strerror(errno));
            source = RDMA_QP_SOURCE_NONE;
        } else {
            close(fd);
            source = RDMA_QP_SOURCE_NETLINK;
        }
    } else {
        return EINVAL;
    }
    return 0;
}

/* Returns the QP source in use. */
enum rdma_qp_source_type
rdma_qp_source_type(void)
{
    return source;
}

/* Stores in '*qpsp' and '*np' the QPs that exist on RDMA device 'device'
 * (the caller frees '*qpsp').  Returns 0, EOPNOTSUPP if there is no
 * source, ENODEV if there is no such device, or another positive errno
 * value (then '*qpsp' is NULL and '*np' 0). */
int
rdma_qp_source_dump(const char *device, struct rdma_kqp **qpsp, size_t *np)
{
    int error;

    *qpsp = NULL;
    *np = 0;
    if (source == RDMA_QP_SOURCE_NONE) {
        return EOPNOTSUPP;
    } else if (source == RDMA_QP_SOURCE_FAKE) {
        return rdma_qp_fake_dump_qps(device, qpsp, np);
    }
    error = rdma_qp_netlink_dump_qps(device, qpsp, np);
    if (error) {
        free(*qpsp);
        *qpsp = NULL;
        *np = 0;
    }
    return error;
}

/* Stores in '*ifindex' the ifindex of the netdev of RDMA device 'device',
 * as the network namespace of process 'pid' (0: ovs-rdmad's) sees it (0 if
 * the source cannot tell: the fake one).  Returns 0, EOPNOTSUPP if there
 * is no source, ENODEV if there is no such device or it has no netdev, or
 * another positive errno value. */
int
rdma_qp_source_netdev(const char *device, uint32_t pid, uint32_t *ifindex)
{
    *ifindex = 0;
    return (source == RDMA_QP_SOURCE_NONE ? EOPNOTSUPP
            : source == RDMA_QP_SOURCE_FAKE ? 0
            : rdma_qp_netlink_netdev(device, pid, ifindex, NULL));
}

/* Finds the interface in ovs-rdmad's network namespace that is the other
 * end of the netdev of RDMA device 'device': the veth peer of the netdev,
 * as the namespace of process 'pid' (0: the initial one) shows it.  On
 * success stores its name in '*peerp' (the caller frees it) and returns
 * NULL; otherwise returns why not (the caller frees it). */
char *
rdma_qp_source_device_peer(const char *device, uint32_t pid, char **peerp)
{
    *peerp = NULL;
    return (source == RDMA_QP_SOURCE_NONE
            ? xstrdup("no RDMA netlink to find its netdev")
            : source == RDMA_QP_SOURCE_FAKE
            ? rdma_qp_fake_device_peer(device, peerp)
            : rdma_qp_netlink_device_peer(device, pid, peerp));
}

/* The QPs of one RDMA device, as one dump showed them. */
struct qp_snapshot {
    struct hmap_node node;      /* In 'snapshots', by hash of 'device'. */
    char *device;               /* The RDMA device. */
    int error;                  /* 0, or the dump's error (not ENODEV). */
    struct rdma_kqp *qps;       /* The QPs, by increasing 'lqpn'. */
    size_t n;                   /* Number of 'qps'. */
    bool refreshed;             /* Dumped again after a miss. */
};

/* The snapshots of this main-loop iteration. */
static struct hmap snapshots = HMAP_INITIALIZER(&snapshots);

/* Number of QP dumps made, for the tests. */
static uint64_t n_dumps;

/* qsort() and bsearch() comparison of two QPs by local QPN. */
static int
compare_lqpn(const void *a_, const void *b_)
{
    const struct rdma_kqp *a = a_, *b = b_;

    return a->lqpn < b->lqpn ? -1 : a->lqpn > b->lqpn;
}

/* Dumps the QPs of the device of 's' into 's' again. */
static void
snapshot_fill(struct qp_snapshot *s)
{
    free(s->qps);
    s->error = rdma_qp_source_dump(s->device, &s->qps, &s->n);
    if (s->error == ENODEV) {
        s->error = 0;           /* No such device: it has no QPs. */
    }
    if (s->n) {
        qsort(s->qps, s->n, sizeof *s->qps, compare_lqpn);
    }
    n_dumps++;
}

/* Returns the snapshot of the QPs of 'device' of this iteration, dumping
 * them if there is none yet. */
static struct qp_snapshot *
snapshot_get(const char *device)
{
    uint32_t hash = hash_string(device, 0);
    struct qp_snapshot *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash, &snapshots) {
        if (!strcmp(s->device, device)) {
            return s;
        }
    }
    s = xzalloc(sizeof *s);
    s->device = xstrdup(device);
    hmap_insert(&snapshots, &s->node, hash);
    snapshot_fill(s);
    return s;
}

/* Returns QP 'lqpn' of snapshot 's', or NULL. */
static const struct rdma_kqp *
snapshot_search(const struct qp_snapshot *s, uint32_t lqpn)
{
    const struct rdma_kqp key = { .lqpn = lqpn };

    return (s->n ? bsearch(&key, s->qps, s->n, sizeof *s->qps, compare_lqpn)
            : NULL);
}

/* Drops the snapshots: the next lookup of each device dumps it again.
 * The fake table calls it when it changes. */
void
rdma_qp_source_invalidate(void)
{
    struct qp_snapshot *s;

    HMAP_FOR_EACH_POP (s, node, &snapshots) {
        free(s->device);
        free(s->qps);
        free(s);
    }
}

/* Starts a new main-loop iteration: the QPs are dumped again (once per
 * device) at the next lookups. */
void
rdma_qp_source_run(void)
{
    rdma_qp_source_invalidate();
    rdma_qp_netlink_flush();
}

/* Stores in '*kqp' QP 'lqpn' of RDMA device 'device', as the snapshot of
 * this iteration shows it.  If the snapshot lacks it and 'refresh_on_miss'
 * (a QP being bound may be younger than the snapshot), the device is dumped
 * again, once per iteration.  Returns 0, ENOENT if there is no such QP (or
 * no such device), or the positive errno value of a failed dump. */
int
rdma_qp_source_find(const char *device, uint32_t lqpn,
                    bool refresh_on_miss, struct rdma_kqp *kqp)
{
    struct qp_snapshot *s = snapshot_get(device);
    const struct rdma_kqp *found = snapshot_search(s, lqpn);

    if (!found && refresh_on_miss && !s->refreshed) {
        s->refreshed = true;
        snapshot_fill(s);
        found = snapshot_search(s, lqpn);
    }
    if (found) {
        *kqp = *found;
        return 0;
    }
    return s->error ? s->error : ENOENT;
}

/* Returns the number of QP dumps made so far. */
uint64_t
rdma_qp_source_n_dumps(void)
{
    return n_dumps;
}
