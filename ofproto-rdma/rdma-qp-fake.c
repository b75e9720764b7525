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

/* The fake kernel of "--qp-source=fake": tables of QPs, rdma_cm ids and
 * RDMA devices' netdevs that the "rdma-qp/fake-*" commands fill, for the
 * autotests (rdma-qp-source.h). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/hmap.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-qp-source-private.h"
#include "rdma-request.h"
#include "rdma-zt-wake.h"
#include "seq.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

/* A QP of the fake table. */
struct fake_qp {
    struct hmap_node node;      /* In 'fake_qps'. */
    char *device;               /* Its RDMA device. */
    struct rdma_kqp qp;         /* The QP. */
};

/* The fake table. */
static struct hmap fake_qps = HMAP_INITIALIZER(&fake_qps);

/* Returns the fake QP 'lqpn' of 'device', or NULL. */
static struct fake_qp *
fake_find(const char *device, uint32_t lqpn)
{
    struct fake_qp *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, hash_string(device, lqpn),
                             &fake_qps) {
        if (f->qp.lqpn == lqpn && !strcmp(f->device, device)) {
            return f;
        }
    }
    return NULL;
}

/* "rdma-qp/fake-set DEVICE QPN [RQPN [STATE]]": adds or changes a QP of
 * the fake table (STATE by name, default RTS). */
static void
fake_set(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux OVS_UNUSED)
{
    uint64_t lqpn, rqpn = 0;
    uint8_t state = 3;
    struct fake_qp *f;
    char *error;

    error = rdma_parse_decimal("qpn", argv[2], 1, RDMA_QPN_MAX, &lqpn);
    if (!error && argc > 3) {
        error = rdma_parse_decimal("rqpn", argv[3], 0, RDMA_QPN_MAX, &rqpn);
    }
    if (!error && argc > 4) {
        int i = rdma_qp_state_from_name(argv[4]);

        if (i < 0) {
            error = xasprintf("unknown QP state \"%s\"", argv[4]);
        }
        state = i;
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    f = fake_find(argv[1], lqpn);
    if (!f) {
        f = xzalloc(sizeof *f);
        f->device = xstrdup(argv[1]);
        f->qp.lqpn = lqpn;
        hmap_insert(&fake_qps, &f->node, hash_string(argv[1], lqpn));
    }
    f->qp.rqpn = rqpn;
    f->qp.state = state;
    rdma_qp_source_invalidate();
    unixctl_command_reply(conn, NULL);
}

/* "rdma-qp/fake-del DEVICE QPN": removes a QP from the fake table, as if
 * its process destroyed it. */
static void
fake_del(struct unixctl_conn *conn, int argc OVS_UNUSED, const char *argv[],
         void *aux OVS_UNUSED)
{
    struct fake_qp *f;
    uint64_t lqpn;
    char *error;

    error = rdma_parse_decimal("qpn", argv[2], 1, RDMA_QPN_MAX, &lqpn);
    f = error ? NULL : fake_find(argv[1], lqpn);
    if (!f) {
        unixctl_command_reply_error(conn, error ? error : "no such QP");
        free(error);
        return;
    }
    hmap_remove(&fake_qps, &f->node);
    free(f->device);
    free(f);
    rdma_qp_source_invalidate();
    unixctl_command_reply(conn, NULL);
}

/* A cm_id of the fake table. */
struct fake_cm {
    struct hmap_node node;      /* In 'fake_cms'. */
    struct rdma_kcm cm;         /* The cm_id. */
};

/* The fake table's cm_ids. */
static struct hmap fake_cms = HMAP_INITIALIZER(&fake_cms);

/* Returns the fake cm_id 'cm_idn' of 'device', or NULL. */
static struct fake_cm *
fake_cm_find(const char *device, uint32_t cm_idn)
{
    struct fake_cm *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, hash_string(device, cm_idn),
                             &fake_cms) {
        if (f->cm.cm_idn == cm_idn && !strcmp(f->cm.device, device)) {
            return f;
        }
    }
    return NULL;
}

/* Returns the sequence that changes whenever the fake cm_id or neighbour
 * table changes: the zero-touch watcher's wake-up in the autotests, as the
 * kernel's tracepoints are with the real source (rdma-zt-wake.c). */
struct seq *
rdma_qp_fake_seq(void)
{
    static struct seq *fake_seq;

    if (!fake_seq) {
        fake_seq = seq_create();
    }
    return fake_seq;
}

/* Adds 'cm' to the fake table, or replaces the entry with its device and
 * number. */
void
rdma_qp_source_fake_cm_set(const struct rdma_kcm *cm)
{
    struct fake_cm *f = fake_cm_find(cm->device, cm->cm_idn);

    if (!f) {
        f = xzalloc(sizeof *f);
        hmap_insert(&fake_cms, &f->node, hash_string(cm->device,
                                                     cm->cm_idn));
    }
    f->cm = *cm;
    seq_change(rdma_qp_fake_seq());
}

/* Removes cm_id 'cm_idn' of 'device' from the fake table.  Returns false
 * if there is no such cm_id. */
bool
rdma_qp_source_fake_cm_del(const char *device, uint32_t cm_idn)
{
    struct fake_cm *f = fake_cm_find(device, cm_idn);

    if (f) {
        hmap_remove(&fake_cms, &f->node);
        free(f);
        seq_change(rdma_qp_fake_seq());
    }
    return f != NULL;
}

/* Adds QP 'qp' of 'device' to the fake table, or changes it. */
void
rdma_qp_source_fake_qp_set(const char *device, const struct rdma_kqp *qp)
{
    struct fake_qp *f = fake_find(device, qp->lqpn);

    if (!f) {
        f = xzalloc(sizeof *f);
        f->device = xstrdup(device);
        hmap_insert(&fake_qps, &f->node, hash_string(device, qp->lqpn));
    }
    f->qp = *qp;
    rdma_qp_source_invalidate();
}

/* Parses "IP" or "IP:PORT" (IPv4) in 's' into '*ip' and '*port'.  Returns
 * true if successful. */
static bool
parse_ip_port(const char *s, struct in6_addr *ip, uint16_t *port)
{
    char *copy = xstrdup(s);
    char *colon = strchr(copy, ':');
    bool ok;

    *port = 0;
    if (colon && !strchr(colon + 1, ':')) {
        unsigned int p;

        *colon = '\0';
        if (!str_to_uint(colon + 1, 10, &p) || p > 65535) {
            free(copy);
            return false;
        }
        *port = p;
    }
    ok = rdma_ip_parse(copy, ip);
    free(copy);
    return ok;
}

/* "rdma-qp/fake-cm-set DEVICE CM_IDN STATE [src=IP[:PORT]] [dst=IP[:PORT]]
 * [qpn=N] [pid=N] [dst_mac=MAC] [index=N]": adds or changes an rdma_cm id
 * of the fake table, as "rdma resource show cm_id" would show it (the
 * kernel does not know the peer's MAC; a fake entry may carry it). */
static void
fake_cm_set(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux OVS_UNUSED)
{
    struct rdma_kcm cm;
    char *error = NULL;
    uint64_t n;
    int state;
    int i;

    memset(&cm, 0, sizeof cm);
    if (strlen(argv[1]) >= sizeof cm.device) {
        unixctl_command_reply_error(conn, "device name too long");
        return;
    }
    ovs_strlcpy(cm.device, argv[1], sizeof cm.device);
    cm.dev_index = 1;
    cm.ps = RDMA_KCM_PS_TCP;
    cm.port = 1;
    error = rdma_parse_decimal("cm_idn", argv[2], 0, UINT32_MAX, &n);
    cm.cm_idn = n;
    state = rdma_kcm_state_from_name(argv[3]);
    if (!error && state < 0) {
        error = xasprintf("unknown rdma_cm state \"%s\"", argv[3]);
    }
    cm.state = state;
    for (i = 4; !error && i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        const char *v = eq ? eq + 1 : "";
        size_t klen = eq ? eq - argv[i] : strlen(argv[i]);

        if (klen == 3 && !strncmp(argv[i], "src", 3)) {
            cm.has_src = parse_ip_port(v, &cm.src, &cm.src_port);
            error = cm.has_src ? NULL : xasprintf("bad address %s", v);
        } else if (klen == 3 && !strncmp(argv[i], "dst", 3)) {
            cm.has_dst = parse_ip_port(v, &cm.dst, &cm.dst_port);
            error = cm.has_dst ? NULL : xasprintf("bad address %s", v);
        } else if (klen == 3 && !strncmp(argv[i], "qpn", 3)) {
            error = rdma_parse_decimal("qpn", v, 0, RDMA_QPN_MAX, &n);
            cm.lqpn = n;
        } else if (klen == 3 && !strncmp(argv[i], "pid", 3)) {
            error = rdma_parse_decimal("pid", v, 0, INT32_MAX, &n);
            cm.pid = n;
        } else if (klen == 5 && !strncmp(argv[i], "index", 5)) {
            error = rdma_parse_decimal("index", v, 0, 0xffffff, &n);
            cm.dev_index = n;
        } else if (klen == 7 && !strncmp(argv[i], "dst_mac", 7)) {
            cm.has_dst_mac = eth_addr_from_string(v, &cm.dst_mac);
            error = cm.has_dst_mac ? NULL : xasprintf("bad MAC %s", v);
        } else {
            error = xasprintf("unknown key \"%s\" (keys: src dst qpn pid "
                              "index dst_mac)", argv[i]);
        }
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    /* As the kernel: a QP type only once there is a QP (RC: port space
     * TCP). */
    cm.qp_type = cm.lqpn ? 2 : 0;
    rdma_qp_source_fake_cm_set(&cm);
    unixctl_command_reply(conn, NULL);
}

/* "rdma-qp/fake-cm-del DEVICE CM_IDN": removes an rdma_cm id from the fake
 * table, as if its process destroyed it. */
static void
fake_cm_del(struct unixctl_conn *conn, int argc OVS_UNUSED,
            const char *argv[], void *aux OVS_UNUSED)
{
    uint64_t n;
    char *error = rdma_parse_decimal("cm_idn", argv[2], 0, UINT32_MAX, &n);

    if (!error && !rdma_qp_source_fake_cm_del(argv[1], n)) {
        error = xstrdup("no such cm_id");
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    unixctl_command_reply(conn, NULL);
}

/* A neighbour of the fake table. */
struct fake_neigh {
    struct hmap_node node;      /* In 'fake_neighs', by IP. */
    struct rdma_kneigh n;       /* The neighbour. */
};

/* The fake table's neighbours (the tenants' namespaces are one). */
static struct hmap fake_neighs = HMAP_INITIALIZER(&fake_neighs);

/* Returns the fake neighbour 'ip', or NULL. */
static struct fake_neigh *
fake_neigh_find(const struct in6_addr *ip)
{
    struct fake_neigh *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, hash_bytes(ip, sizeof *ip, 0),
                             &fake_neighs) {
        if (ipv6_addr_equals(&f->n.ip, ip)) {
            return f;
        }
    }
    return NULL;
}

/* "rdma-qp/fake-neigh-set IP MAC": adds or changes a neighbour entry of
 * the fake kernel, as if the tenant's netdev had resolved IP. */
static void
fake_neigh_set(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[], void *aux OVS_UNUSED)
{
    struct fake_neigh *f;
    struct eth_addr mac;
    struct in6_addr ip;

    if (!rdma_ip_parse(argv[1], &ip)) {
        unixctl_command_reply_error(conn, "bad IP address");
        return;
    }
    if (!eth_addr_from_string(argv[2], &mac) || eth_addr_is_zero(mac)) {
        unixctl_command_reply_error(conn, "bad MAC address");
        return;
    }
    f = fake_neigh_find(&ip);
    if (!f) {
        f = xzalloc(sizeof *f);
        f->n.ip = ip;
        hmap_insert(&fake_neighs, &f->node, hash_bytes(&ip, sizeof ip, 0));
    }
    f->n.mac = mac;
    seq_change(rdma_qp_fake_seq());
    unixctl_command_reply(conn, NULL);
}

/* "rdma-qp/fake-neigh-del IP": removes a neighbour entry of the fake
 * kernel. */
static void
fake_neigh_del(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[], void *aux OVS_UNUSED)
{
    struct fake_neigh *f;
    struct in6_addr ip;

    f = rdma_ip_parse(argv[1], &ip) ? fake_neigh_find(&ip) : NULL;
    if (!f) {
        unixctl_command_reply_error(conn, "no such neighbour");
        return;
    }
    hmap_remove(&fake_neighs, &f->node);
    free(f);
    seq_change(rdma_qp_fake_seq());
    unixctl_command_reply(conn, NULL);
}

/* Stores in '*np' and '*nsp' (the caller frees it) the neighbours of the
 * fake table. */
void
rdma_qp_source_fake_neighbours(struct rdma_kneigh **nsp, size_t *np)
{
    const struct fake_neigh *f;
    size_t i = 0;

    *nsp = xmalloc(MAX(1, hmap_count(&fake_neighs)) * sizeof **nsp);
    HMAP_FOR_EACH (f, node, &fake_neighs) {
        (*nsp)[i++] = f->n;
    }
    *np = i;
}

/* The fake kernel's veth peers of RDMA devices' netdevs: device name to
 * the name of the peer in ovs-rdmad's namespace. */
static struct smap fake_peers = SMAP_INITIALIZER(&fake_peers);

/* "rdma-qp/fake-netdev-peer DEVICE [PEER]": the netdev of RDMA device
 * DEVICE is a veth whose peer is PEER (without PEER: it has none). */
static void
fake_netdev_peer(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux OVS_UNUSED)
{
    if (argc > 2) {
        smap_replace(&fake_peers, argv[1], argv[2]);
    } else {
        smap_remove(&fake_peers, argv[1]);
    }
    unixctl_command_reply(conn, NULL);
}

/* The fake kernel's rdma_qp_source_device_peer(). */
char *
rdma_qp_fake_device_peer(const char *device, char **peerp)
{
    const char *peer = smap_get(&fake_peers, device);

    if (!peer) {
        return xasprintf("the netdev of RDMA device %s is not a veth "
                         "(fake kernel)", device);
    }
    *peerp = xstrdup(peer);
    return NULL;
}

/* Stores in '*cmsp' and '*np' (the caller frees '*cmsp') the cm_ids of
 * the fake table. */
void
rdma_qp_fake_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np)
{
    const struct fake_cm *f;
    size_t i = 0;

    *cmsp = xmalloc(MAX(1, hmap_count(&fake_cms)) * sizeof **cmsp);
    HMAP_FOR_EACH (f, node, &fake_cms) {
        (*cmsp)[i++] = f->cm;
    }
    *np = i;
}

/* Stores in '*qpsp' and '*np' (the caller frees '*qpsp') the QPs of
 * 'device' in the fake table.  Returns 0, or ENODEV if it has none. */
int
rdma_qp_fake_dump_qps(const char *device, struct rdma_kqp **qpsp,
                      size_t *np)
{
    const struct fake_qp *f;
    size_t allocated = 0;

    HMAP_FOR_EACH (f, node, &fake_qps) {
        if (!strcmp(f->device, device)) {
            if (*np >= allocated) {
                *qpsp = x2nrealloc(*qpsp, &allocated, sizeof **qpsp);
            }
            (*qpsp)[(*np)++] = f->qp;
        }
    }
    return *np ? 0 : ENODEV;
}

/* "rdma-qp/fake-dumps": prints the number of QP dumps made so far (one
 * per RDMA device and main-loop iteration, at most). */
static void
fake_dumps(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    char *reply = xasprintf("%"PRIu64, rdma_qp_source_n_dumps());

    unixctl_command_reply(conn, reply);
    free(reply);
}

/* Registers the "rdma-qp/fake-*" commands that fill the fake tables. */
void
rdma_qp_fake_register(void)
{
    unixctl_command_register("rdma-qp/fake-set", "DEVICE QPN [RQPN [STATE]]",
                             2, 4, fake_set, NULL);
    unixctl_command_register("rdma-qp/fake-del", "DEVICE QPN", 2, 2,
                             fake_del, NULL);
    unixctl_command_register("rdma-qp/fake-cm-set",
                             "DEVICE CM_IDN STATE [src=IP[:PORT]] "
                             "[dst=IP[:PORT]] [qpn=N] [pid=N] "
                             "[dst_mac=MAC] [index=N]", 3, 10,
                             fake_cm_set, NULL);
    unixctl_command_register("rdma-qp/fake-cm-del", "DEVICE CM_IDN", 2, 2,
                             fake_cm_del, NULL);
    unixctl_command_register("rdma-qp/fake-neigh-set", "IP MAC", 2, 2,
                             fake_neigh_set, NULL);
    unixctl_command_register("rdma-qp/fake-neigh-del", "IP", 1, 1,
                             fake_neigh_del, NULL);
    unixctl_command_register("rdma-qp/fake-netdev-peer", "DEVICE [PEER]",
                             1, 2, fake_netdev_peer, NULL);
    unixctl_command_register("rdma-qp/fake-dumps", "", 0, 0, fake_dumps,
                             NULL);
}
