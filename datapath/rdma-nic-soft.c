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

/* The "soft" NIC provider: a software model of an overlay-capable RoCE NIC
 * that really sends and receives frames on a Linux device.
 *
 * --provider=soft:dev=IFNAME[,vxlan_port=N,geneve_port=N]
 *
 * It keeps the flow table the driver callback interface installs, one QP
 * per entry.  "rdma-soft/send" makes a QP transmit: outer Ethernet (802.1Q
 * when the entry has a VLAN) / IPv4 or IPv6 / UDP / VXLAN or Geneve, built
 * by lib/ovl-header.c exactly as Open vSwitch builds it, around the inner
 * Ethernet / IP / UDP 4791 / BTH / payload / ICRC frame of
 * lib/roce-frame.c, with the peer's QPN in the BTH and a PSN that advances
 * per QP.  Every frame received on the device is parsed; an overlay frame
 * for one of its QPs is checked against that QP's installed tuple (VNI,
 * remote and local VTEP IP, UDP port) and its ICRC, and delivered to the
 * QP or dropped and counted by reason.  This is how tenant isolation looks
 * from the wire.
 *
 * Frames go out and come in through an AF_PACKET socket bound to the
 * device. */

#include <config.h>

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovl-header.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-nic-provider.h"
#include "rdma-nic-soft.h"
#include "roce-frame.h"
#include "smap.h"
#include "socket-util.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_nic_soft);

/* BTH opcode of the packets the soft NIC sends: RC SEND Only. */
#define SOFT_OPCODE 0x04

/* Largest frame handled. */
#define SOFT_MAX_FRAME 9216

/* Largest payload "rdma-soft/send" accepts. */
#define SOFT_MAX_PAYLOAD 4096

/* Reasons for dropping a received frame. */
#define SOFT_DROP_REASONS                                               \
    SOFT_DROP(MALFORMED, "malformed")                                   \
    SOFT_DROP(BAD_ICRC, "bad-icrc")                                     \
    SOFT_DROP(UNKNOWN_QP, "unknown-qp")                                 \
    SOFT_DROP(OVERLAY_TYPE, "overlay-type-mismatch")                    \
    SOFT_DROP(VNI, "vni-mismatch")                                      \
    SOFT_DROP(REMOTE_VTEP, "remote-vtep-mismatch")                      \
    SOFT_DROP(LOCAL_VTEP, "local-vtep-mismatch")                        \
    SOFT_DROP(UDP_PORT, "udp-port-mismatch")                            \
    SOFT_DROP(INNER_ADDR, "inner-address-mismatch")

/* A reason for dropping a received frame. */
enum soft_drop {
#define SOFT_DROP(ENUM, NAME) SOFT_DROP_##ENUM,
    SOFT_DROP_REASONS
#undef SOFT_DROP
    SOFT_N_DROPS
};

/* Names of the drop reasons. */
static const char *const soft_drop_names[] = {
#define SOFT_DROP(ENUM, NAME) NAME,
    SOFT_DROP_REASONS
#undef SOFT_DROP
};

/* One QP: an installed entry and its counters. */
struct soft_qp {
    struct hmap_node cm_node;   /* In soft_nic's 'qps', by cm_id. */
    struct hmap_node qpn_node;  /* In soft_nic's 'by_qpn', by local QPN. */
    struct rdma_nic_entry e;    /* The installed entry. */
    uint32_t tx_psn;            /* PSN of the next packet sent. */
    uint32_t rx_psn;            /* PSN expected next. */
    bool rx_started;            /* Whether 'rx_psn' is known. */
    uint64_t tx_packets, tx_bytes; /* Sent, payload bytes. */
    uint64_t rx_packets, rx_bytes; /* Delivered, payload bytes. */
    uint64_t rx_psn_gaps;       /* Packets missing by PSN. */
    uint64_t drops[SOFT_N_DROPS]; /* Frames for this QP dropped. */
    uint8_t *last_payload;      /* Last payload delivered, or NULL. */
    size_t last_len;            /* Its length. */
};

/* A soft NIC. */
struct soft_nic {
    struct rdma_nic up;         /* Base. */
    char *dev;                  /* Device name. */
    int ifindex;                /* Device's ifindex. */
    int fd;                     /* AF_PACKET socket. */
    uint16_t vxlan_port;        /* UDP port that means VXLAN. */
    uint16_t geneve_port;       /* UDP port that means Geneve. */
    struct hmap qps;            /* "struct soft_qp"s by cm_id. */
    struct hmap by_qpn;         /* "struct soft_qp"s by local QPN. */
    uint64_t rx_frames;         /* Frames read from the device. */
    uint64_t rx_other;          /* Frames that were not RDMA over an
                                 * overlay (left to the host). */
    uint64_t drops[SOFT_N_DROPS]; /* Dropped frames, by reason. */
    uint64_t tx_errors;         /* Frames the device refused. */

    /* Batches (see "Batches" in rdma-nic-provider.h): the soft NIC applies
     * every op at once, so a batch needs no work at commit; it counts
     * them, for "rdma-soft/stats". */
    bool in_batch;              /* Between batch_begin and batch_commit. */
    uint64_t n_batches;         /* Batches committed. */
    uint64_t n_batched_ops;     /* Successful ops inside batches. */
    uint64_t cur_batch_ops;     /* Ops in the open batch. */
    uint64_t max_batch_ops;     /* Most ops in one batch. */
};

/* The most recently opened soft NIC, or NULL. */
static struct soft_nic *soft_current;

static void soft_unixctl_register(void);

/* Returns the soft NIC that 'nic' is. */
static struct soft_nic *
soft_nic_cast(const struct rdma_nic *nic)
{
    return CONTAINER_OF(nic, struct soft_nic, up);
}

/* Parses UDP port option 'name' = 'value' into '*port'. */
static int
soft_parse_port(const char *name, const char *value, uint16_t *port,
                char **errorp)
{
    int n;

    if (!str_to_int(value, 10, &n) || n <= 0 || n > 65535) {
        *errorp = xasprintf("%s: \"%s\" is not a UDP port", name, value);
        return EINVAL;
    }
    *port = n;
    return 0;
}

/* Parses the soft NIC's options 'args' into '*devp' (NULL if not given),
 * '*vxlan_port' and '*geneve_port' (left as they are if not given).
 * Returns 0, or an errno with a message in '*errorp'. */
static int
soft_parse_args(const struct smap *args, const char **devp,
                uint16_t *vxlan_port, uint16_t *geneve_port, char **errorp)
{
    const struct smap_node *node;
    int error;

    SMAP_FOR_EACH (node, args) {
        if (!strcmp(node->key, "dev")) {
            *devp = node->value;
        } else if (!strcmp(node->key, "vxlan_port")) {
            error = soft_parse_port(node->key, node->value, vxlan_port,
                                    errorp);
            if (error) {
                return error;
            }
        } else if (!strcmp(node->key, "geneve_port")) {
            error = soft_parse_port(node->key, node->value, geneve_port,
                                    errorp);
            if (error) {
                return error;
            }
        } else {
            *errorp = xasprintf("unknown option \"%s\" (options: dev, "
                                "vxlan_port, geneve_port)", node->key);
            return EINVAL;
        }
    }
    return 0;
}

/* Opens a non-blocking AF_PACKET socket bound to device 'dev', into
 * '*fdp', with the device's interface index in '*ifindexp'.  Returns 0, or
 * an errno with a message in '*errorp'. */
static int
soft_open_socket(const char *dev, int *ifindexp, int *fdp, char **errorp)
{
    struct sockaddr_ll sll;
    int ifindex, fd, error;
    int rcvbuf;

    ifindex = if_nametoindex(dev);
    if (!ifindex) {
        error = errno;
        *errorp = xasprintf("dev=%s: no such device (%s)", dev,
                            ovs_strerror(error));
        return error;
    }
    fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) {
        error = errno;
        *errorp = xasprintf("cannot open an AF_PACKET socket (%s): run as "
                            "root or with CAP_NET_RAW", ovs_strerror(error));
        return error;
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        error = errno;
        close(fd);
        *errorp = xasprintf("cannot bind to %s: %s", dev,
                            ovs_strerror(error));
        return error;
    }
    /* Room for a few milliseconds of traffic, as a NIC's receive ring
     * would have; the kernel caps it at net.core.rmem_max. */
    rcvbuf = 4 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    error = set_nonblocking(fd);
    if (error) {
        close(fd);
        *errorp = xasprintf("cannot make the socket non-blocking: %s",
                            ovs_strerror(error));
        return error;
    }
    *ifindexp = ifindex;
    *fdp = fd;
    return 0;
}

/* rdma_nic_class 'open'. */
static int
soft_open(const struct smap *args, struct rdma_nic **nicp, char **errorp)
{
    uint16_t vxlan_port = OVL_VXLAN_PORT, geneve_port = OVL_GENEVE_PORT;
    const char *dev = NULL;
    struct soft_nic *soft;
    int ifindex = 0, fd = -1;
    int error;

    error = soft_parse_args(args, &dev, &vxlan_port, &geneve_port, errorp);
    if (error) {
        return error;
    }
    if (!dev) {
        *errorp = xstrdup("dev=IFNAME is required: the Linux device the "
                          "soft NIC sends and receives frames on");
        return EINVAL;
    }
    error = soft_open_socket(dev, &ifindex, &fd, errorp);
    if (error) {
        return error;
    }

    soft = xzalloc(sizeof *soft);
    soft->dev = xstrdup(dev);
    soft->ifindex = ifindex;
    soft->fd = fd;
    soft->vxlan_port = vxlan_port;
    soft->geneve_port = geneve_port;
    hmap_init(&soft->qps);
    hmap_init(&soft->by_qpn);
    soft_current = soft;
    soft_unixctl_register();
    *nicp = &soft->up;
    VLOG_INFO("soft NIC on %s (ifindex %d)", dev, ifindex);
    return 0;
}

/* Frees 'qp'. */
static void
soft_qp_free(struct soft_qp *qp)
{
    free(qp->last_payload);
    free(qp);
}

/* rdma_nic_class 'close'. */
static void
soft_close(struct rdma_nic *nic)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    struct soft_qp *qp;

    HMAP_FOR_EACH_POP (qp, cm_node, &soft->qps) {
        soft_qp_free(qp);
    }
    hmap_destroy(&soft->qps);
    hmap_destroy(&soft->by_qpn);
    close(soft->fd);
    if (soft_current == soft) {
        soft_current = NULL;
    }
    free(soft->dev);
    free(soft);
}

/* rdma_nic_class 'get_caps'. */
static int
soft_get_caps(const struct rdma_nic *nic OVS_UNUSED,
              struct rdma_nic_caps *caps)
{
    caps->vxlan = caps->geneve = caps->vlan = true;
    caps->ipv6_underlay = caps->ipv6_inner = true;
    caps->max_entries = 0;
    return 0;
}

/* Returns 'soft''s QP for 'cm_id', or NULL. */
static struct soft_qp *
soft_find_cm(const struct soft_nic *soft, uint64_t cm_id)
{
    struct soft_qp *qp;

    HMAP_FOR_EACH_WITH_HASH (qp, cm_node, hash_uint64(cm_id), &soft->qps) {
        if (qp->e.cm_id == cm_id) {
            return qp;
        }
    }
    return NULL;
}

/* Returns 'soft''s QP whose local QPN is 'qpn', or NULL. */
static struct soft_qp *
soft_find_qpn(const struct soft_nic *soft, uint32_t qpn)
{
    struct soft_qp *qp;

    HMAP_FOR_EACH_WITH_HASH (qp, qpn_node, hash_int(qpn, 0), &soft->by_qpn) {
        if (qp->e.qpn == qpn) {
            return qp;
        }
    }
    return NULL;
}

/* Counts a successful op of 'soft' in its open batch, if any. */
static void
soft_count_op(struct soft_nic *soft)
{
    if (soft->in_batch) {
        soft->n_batched_ops++;
        soft->cur_batch_ops++;
    }
}

/* rdma_nic_class 'batch_begin'. */
static int
soft_batch_begin(struct rdma_nic *nic)
{
    struct soft_nic *soft = soft_nic_cast(nic);

    soft->in_batch = true;
    soft->cur_batch_ops = 0;
    return 0;
}

/* rdma_nic_class 'batch_commit': every op was applied when called, so
 * nothing is refused here. */
static int
soft_batch_commit(struct rdma_nic *nic,
                  struct rdma_nic_batch_failure **failedp OVS_UNUSED,
                  size_t *n_failedp OVS_UNUSED)
{
    struct soft_nic *soft = soft_nic_cast(nic);

    soft->in_batch = false;
    soft->n_batches++;
    soft->max_batch_ops = MAX(soft->max_batch_ops, soft->cur_batch_ops);
    return 0;
}

/* rdma_nic_class 'install'. */
static int
soft_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    struct soft_qp *qp;

    if (soft_find_cm(soft, entry->cm_id)) {
        return EEXIST;
    }
    if (soft_find_qpn(soft, entry->qpn)) {
        return EBUSY;           /* Another connection owns that QPN. */
    }
    qp = xzalloc(sizeof *qp);
    qp->e = *entry;
    hmap_insert(&soft->qps, &qp->cm_node, hash_uint64(entry->cm_id));
    hmap_insert(&soft->by_qpn, &qp->qpn_node, hash_int(entry->qpn, 0));
    soft_count_op(soft);
    return 0;
}

/* rdma_nic_class 'modify': the QP keeps its counters and PSNs; only the
 * tuple changes, between two packets. */
static int
soft_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    struct soft_qp *qp = soft_find_cm(soft, entry->cm_id);

    if (!qp) {
        return ENOENT;
    }
    if (qp->e.qpn != entry->qpn) {
        if (soft_find_qpn(soft, entry->qpn)) {
            return EBUSY;
        }
        hmap_remove(&soft->by_qpn, &qp->qpn_node);
        hmap_insert(&soft->by_qpn, &qp->qpn_node, hash_int(entry->qpn, 0));
    }
    qp->e = *entry;
    soft_count_op(soft);
    return 0;
}

/* rdma_nic_class 'remove'. */
static int
soft_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    struct soft_qp *qp = soft_find_cm(soft, cm_id);

    if (!qp) {
        return ENOENT;
    }
    hmap_remove(&soft->qps, &qp->cm_node);
    hmap_remove(&soft->by_qpn, &qp->qpn_node);
    soft_qp_free(qp);
    soft_count_op(soft);
    return 0;
}

/* rdma_nic_class 'dump'. */
static int
soft_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
          size_t *n_entriesp)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    const struct soft_qp *qp;
    size_t n = 0;

    *entriesp = xmalloc(MAX(hmap_count(&soft->qps), 1) * sizeof **entriesp);
    HMAP_FOR_EACH (qp, cm_node, &soft->qps) {
        (*entriesp)[n++] = qp->e;
    }
    *n_entriesp = n;
    return 0;
}

/* Sends one packet with 'payload' of 'len' bytes on 'qp'.  Returns 0 or an
 * errno. */
static int
soft_send(struct soft_nic *soft, struct soft_qp *qp, const void *payload,
          size_t len)
{
    uint8_t frame[SOFT_MAX_FRAME];
    struct roce_bth bth;
    size_t hdr_len, inner_len;

    hdr_len = ovl_header_build(&qp->e.tuple, frame);
    memset(&bth, 0, sizeof bth);
    bth.opcode = SOFT_OPCODE;
    bth.pkey = 0xffff;
    bth.dest_qp = qp->e.remote_qpn;
    bth.ack_req = false;
    bth.psn = qp->tx_psn;
    inner_len = roce_frame_build(&qp->e.tuple, &bth, payload, len,
                                 frame + hdr_len, sizeof frame - hdr_len);
    if (!inner_len) {
        return EMSGSIZE;
    }
    ovl_header_inherit(&qp->e.tuple, frame, hdr_len);
    ovl_header_finish(frame, hdr_len, inner_len);
    if (send(soft->fd, frame, hdr_len + inner_len, 0) < 0) {
        soft->tx_errors++;
        return errno;
    }
    qp->tx_psn = (qp->tx_psn + 1) & 0xffffff;
    qp->tx_packets++;
    qp->tx_bytes += len;
    return 0;
}

/* Sends 'count' packets with the 'len'-byte 'payload' on the QP of
 * connection 'cm_id' of soft NIC 'nic'.  Returns 0, ENOENT if no such
 * entry is installed, or the error that stopped sending. */
int
rdma_nic_soft_send(struct rdma_nic *nic, uint64_t cm_id,
                   const void *payload, size_t len, int count)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    struct soft_qp *qp = soft_find_cm(soft, cm_id);
    int i, error;

    if (!qp) {
        return ENOENT;
    }
    for (i = 0; i < count; i++) {
        error = soft_send(soft, qp, payload, len);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Returns the number of packets delivered to QP 'qpn' of soft NIC 'nic'
 * (0 if there is no such QP). */
uint64_t
rdma_nic_soft_rx_packets(const struct rdma_nic *nic, uint32_t qpn)
{
    const struct soft_qp *qp = soft_find_qpn(soft_nic_cast(nic), qpn);

    return qp ? qp->rx_packets : 0;
}

/* Counts a drop for 'reason', on 'qp' too if it is known. */
static void
soft_drop(struct soft_nic *soft, struct soft_qp *qp, enum soft_drop reason)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    soft->drops[reason]++;
    if (qp) {
        qp->drops[reason]++;
    }
    VLOG_DBG_RL(&rl, "%s: dropped a frame: %s", soft->dev,
                soft_drop_names[reason]);
}

/* Handles one frame received on the device. */
static void
soft_receive(struct soft_nic *soft, const uint8_t *frame, size_t len)
{
    struct ovl_header_info outer;
    struct roce_frame_info inner;
    const struct ovl_tuple *t;
    struct soft_qp *qp;
    int error;

    error = ovl_header_parse(frame, len, soft->vxlan_port, soft->geneve_port,
                             &outer);
    if (error) {
        if (error == EPROTONOSUPPORT) {
            soft->rx_other++;
        } else {
            soft_drop(soft, NULL, SOFT_DROP_MALFORMED);
        }
        return;
    }
    error = roce_frame_parse(frame + outer.inner_ofs, len - outer.inner_ofs,
                             &inner);
    if (error == EPROTONOSUPPORT) {
        /* Ordinary tenant traffic on the overlay: not the RDMA engine's
         * (a real NIC hands it to the host, where OVS takes it). */
        soft->rx_other++;
        return;
    } else if (error) {
        soft_drop(soft, NULL, (error == EBADMSG ? SOFT_DROP_BAD_ICRC
                               : SOFT_DROP_MALFORMED));
        return;
    }
    qp = soft_find_qpn(soft, inner.bth.dest_qp);
    if (!qp) {
        soft_drop(soft, NULL, SOFT_DROP_UNKNOWN_QP);
        return;
    }

    /* Tenant isolation: the frame must have come through exactly the
     * overlay the QP's entry describes, from its peer. */
    t = &qp->e.tuple;
    if (outer.type != t->type) {
        soft_drop(soft, qp, SOFT_DROP_OVERLAY_TYPE);
    } else if (outer.vni != (t->rx_vni_set ? t->rx_vni : t->vni)) {
        soft_drop(soft, qp, SOFT_DROP_VNI);
    } else if (!ipv6_addr_equals(&outer.src_ip, &t->remote_ip)) {
        soft_drop(soft, qp, SOFT_DROP_REMOTE_VTEP);
    } else if (!ipv6_addr_equals(&outer.dst_ip, &t->local_ip)) {
        soft_drop(soft, qp, SOFT_DROP_LOCAL_VTEP);
    } else if (outer.udp_dst != t->udp_dst) {
        soft_drop(soft, qp, SOFT_DROP_UDP_PORT);
    } else if (!ipv6_addr_equals(&inner.src_ip, &t->inner_dst_ip)
               || !ipv6_addr_equals(&inner.dst_ip, &t->inner_src_ip)) {
        soft_drop(soft, qp, SOFT_DROP_INNER_ADDR);
    } else {
        if (qp->rx_started && inner.bth.psn != qp->rx_psn) {
            qp->rx_psn_gaps += (inner.bth.psn - qp->rx_psn) & 0xffffff;
        }
        qp->rx_started = true;
        qp->rx_psn = (inner.bth.psn + 1) & 0xffffff;
        qp->rx_packets++;
        qp->rx_bytes += inner.payload_len;
        free(qp->last_payload);
        qp->last_payload = xmemdup(inner.payload, inner.payload_len);
        qp->last_len = inner.payload_len;
    }
}

/* rdma_nic_class 'run': receives what the device has. */
static void
soft_run(struct rdma_nic *nic)
{
    struct soft_nic *soft = soft_nic_cast(nic);
    uint8_t frame[SOFT_MAX_FRAME];
    int i;

    for (i = 0; i < 1024; i++) {
        struct sockaddr_ll sll;
        socklen_t sll_len = sizeof sll;
        ssize_t n = recvfrom(soft->fd, frame, sizeof frame, 0,
                             (struct sockaddr *) &sll, &sll_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
                VLOG_WARN_RL(&rl, "%s: receive failed: %s", soft->dev,
                             ovs_strerror(errno));
            }
            break;
        }
        if (sll.sll_pkttype == PACKET_OUTGOING) {
            continue;           /* Our own transmissions. */
        }
        soft->rx_frames++;
        soft_receive(soft, frame, n);
    }
}

/* rdma_nic_class 'wait'. */
static void
soft_wait(struct rdma_nic *nic)
{
    poll_fd_wait(soft_nic_cast(nic)->fd, POLLIN);
}

const struct rdma_nic_class rdma_nic_soft_class = {
    .type = "soft",
    .description = "software overlay RoCE NIC sending real frames: "
                   "soft:dev=IFNAME",
    .open = soft_open,
    .close = soft_close,
    .get_caps = soft_get_caps,
    .install = soft_install,
    .modify = soft_modify,
    .remove = soft_remove,
    .dump = soft_dump,
    .batch_begin = soft_batch_begin,
    .batch_commit = soft_batch_commit,
    .run = soft_run,
    .wait = soft_wait,
};

/* Returns the soft NIC the commands act on, or replies with an error and
 * returns NULL. */
static struct soft_nic *
soft_command_nic(struct unixctl_conn *conn)
{
    if (!soft_current) {
        unixctl_command_reply_error(conn, "no soft NIC is open (start "
                                    "ovs-rdmad with --provider=soft:dev=IF)");
    }
    return soft_current;
}

/* Parses the arguments of "rdma-soft/send" after CM_ID, 'argv[2]' to
 * 'argv[argc - 1]', into '*payloadp' (NULL if none), '*sizep' (-1 if
 * none) and '*countp'.  Returns true, or false after replying to 'conn'
 * with what is wrong. */
static bool
soft_send_parse(struct unixctl_conn *conn, int argc, const char *argv[],
                const char **payloadp, int *sizep, int *countp)
{
    int i;

    for (i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            if (!str_to_int(argv[++i], 10, sizep) || *sizep < 0
                || *sizep > SOFT_MAX_PAYLOAD) {
                unixctl_command_reply_error(conn, "--size must be 0 to "
                                            "4096");
                return false;
            }
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            if (!str_to_int(argv[++i], 10, countp) || *countp < 1
                || *countp > 1000000) {
                unixctl_command_reply_error(conn, "--count must be 1 to "
                                            "1000000");
                return false;
            }
        } else if (!*payloadp && argv[i][0] != '-') {
            *payloadp = argv[i];
        } else {
            unixctl_command_reply_error(conn, "usage: rdma-soft/send CM_ID "
                                        "(PAYLOAD | --size N) [--count N]");
            return false;
        }
    }
    if (!*payloadp == (*sizep < 0)) {
        unixctl_command_reply_error(conn, "give either a PAYLOAD or "
                                    "--size N");
        return false;
    }
    return true;
}

/* Returns the message of "rdma-soft/send" to 'qp' with 'payload' (NULL if
 * none) or else 'size' bytes 0, 1, 2, ..., with its length in '*sizep',
 * or NULL after replying to 'conn' with what is wrong. */
static uint8_t *
soft_send_message(struct unixctl_conn *conn, const struct soft_qp *qp,
                  const char *payload, int size, int *sizep)
{
    uint8_t *buf;
    int i;

    if ((payload ? strlen(payload) : size) > qp->e.tuple.path_mtu) {
        char *msg = xasprintf("a payload of %"PRIuSIZE" bytes exceeds the "
                              "connection's RoCE path MTU of %"PRIu16" "
                              "(the soft NIC does not segment messages)",
                              payload ? strlen(payload) : (size_t) size,
                              qp->e.tuple.path_mtu);
        unixctl_command_reply_error(conn, msg);
        free(msg);
        return NULL;
    }
    if (payload) {
        size = strlen(payload);
        if (size > SOFT_MAX_PAYLOAD) {
            unixctl_command_reply_error(conn, "PAYLOAD is longer than 4096 "
                                        "bytes");
            return NULL;
        }
        buf = xmemdup(payload, size);
    } else {
        buf = xmalloc(MAX(size, 1));
        for (i = 0; i < size; i++) {
            buf[i] = i;
        }
    }
    *sizep = size;
    return buf;
}

/* "rdma-soft/send CM_ID (PAYLOAD | --size N) [--count N]". */
static void
soft_unixctl_send(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux OVS_UNUSED)
{
    struct soft_nic *soft = soft_command_nic(conn);
    const char *payload = NULL;
    unsigned long long cm_id;
    int size = -1, count = 1, i, error = 0, sent = 0;
    struct soft_qp *qp;
    uint8_t *buf;
    char *msg;

    if (!soft) {
        return;
    }
    if (!str_to_ullong(argv[1], 10, &cm_id)) {
        unixctl_command_reply_error(conn, "CM_ID must be a number");
        return;
    }
    if (!soft_send_parse(conn, argc, argv, &payload, &size, &count)) {
        return;
    }
    qp = soft_find_cm(soft, cm_id);
    if (!qp) {
        unixctl_command_reply_error(conn, "no installed entry for that "
                                    "cm_id (see rdma/show-qp-map)");
        return;
    }
    buf = soft_send_message(conn, qp, payload, size, &size);
    if (!buf) {
        return;
    }
    for (i = 0; i < count; i++) {
        error = soft_send(soft, qp, buf, size);
        if (error) {
            break;
        }
        sent++;
    }
    free(buf);
    if (error) {
        msg = xasprintf("sent %d of %d, then: %s", sent, count,
                        ovs_strerror(error));
        unixctl_command_reply_error(conn, msg);
    } else {
        msg = xasprintf("sent %d\n", sent);
        unixctl_command_reply(conn, msg);
    }
    free(msg);
}

/* Appends the non-zero drop counters in 'drops' to 'ds'. */
static void
soft_format_drops(const uint64_t drops[SOFT_N_DROPS], struct ds *ds)
{
    bool any = false;
    int i;

    ds_put_cstr(ds, "drops:");
    for (i = 0; i < SOFT_N_DROPS; i++) {
        if (drops[i]) {
            ds_put_format(ds, " %s=%"PRIu64, soft_drop_names[i], drops[i]);
            any = true;
        }
    }
    ds_put_cstr(ds, any ? "\n" : " none\n");
}

/* "rdma-soft/show-qp QPN". */
static void
soft_unixctl_show_qp(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[], void *aux OVS_UNUSED)
{
    struct soft_nic *soft = soft_command_nic(conn);
    struct ds ds = DS_EMPTY_INITIALIZER;
    unsigned long long qpn;
    struct soft_qp *qp;

    if (!soft) {
        return;
    }
    if (!str_to_ullong(argv[1], 0, &qpn) || qpn > RDMA_QPN_MAX) {
        unixctl_command_reply_error(conn, "QPN must be a QP number");
        return;
    }
    qp = soft_find_qpn(soft, qpn);
    if (!qp) {
        unixctl_command_reply_error(conn, "no QP with that number");
        return;
    }
    ds_put_format(&ds, "qpn=%"PRIu32" cm_id=%"PRIu64" remote_qpn=%"PRIu32
                  " generation=%"PRIu64"\n", qp->e.qpn, qp->e.cm_id,
                  qp->e.remote_qpn, qp->e.generation);
    ds_put_format(&ds, "tx: packets=%"PRIu64" bytes=%"PRIu64" next_psn=%"
                  PRIu32"\n", qp->tx_packets, qp->tx_bytes, qp->tx_psn);
    ds_put_format(&ds, "rx: packets=%"PRIu64" bytes=%"PRIu64" psn_gaps=%"
                  PRIu64"\n", qp->rx_packets, qp->rx_bytes,
                  qp->rx_psn_gaps);
    soft_format_drops(qp->drops, &ds);
    if (qp->last_payload) {
        ds_put_cstr(&ds, "last payload: ");
        if (qp->last_len <= 64) {
            ds_put_buffer(&ds, (const char *) qp->last_payload,
                          qp->last_len);
        } else {
            ds_put_format(&ds, "(%"PRIuSIZE" bytes)", qp->last_len);
        }
        ds_put_char(&ds, '\n');
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* "rdma-soft/stats". */
static void
soft_unixctl_stats(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct soft_nic *soft = soft_command_nic(conn);
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (!soft) {
        return;
    }
    ds_put_format(&ds, "dev=%s qps=%"PRIuSIZE"\n", soft->dev,
                  hmap_count(&soft->qps));
    ds_put_format(&ds, "rx: frames=%"PRIu64" not_rdma=%"PRIu64"\n",
                  soft->rx_frames, soft->rx_other);
    ds_put_format(&ds, "tx: errors=%"PRIu64"\n", soft->tx_errors);
    ds_put_format(&ds, "batches: committed=%"PRIu64" ops=%"PRIu64
                  " largest=%"PRIu64"\n", soft->n_batches,
                  soft->n_batched_ops, soft->max_batch_ops);
    soft_format_drops(soft->drops, &ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* Registers the rdma-soft/... commands, once. */
static void
soft_unixctl_register(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("rdma-soft/send",
                                 "CM_ID (PAYLOAD | --size N) [--count N]",
                                 2, 5, soft_unixctl_send, NULL);
        unixctl_command_register("rdma-soft/show-qp", "QPN", 1, 1,
                                 soft_unixctl_show_qp, NULL);
        unixctl_command_register("rdma-soft/stats", "", 0, 0,
                                 soft_unixctl_stats, NULL);
    }
}
