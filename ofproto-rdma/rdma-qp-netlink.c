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

/* The kernel's QPs and rdma_cm ids, read over RDMA netlink: the nldev
 * resource dumps that "rdma resource show qp" and "rdma resource show
 * cm_id" use (rdma-qp-source.h).
 *
 * The messages are Open vSwitch's (lib/netlink.h) on its sockets
 * (lib/netlink-socket.h): nldev has no generic netlink header, its message
 * type is RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, cmd).  The dumps run on a socket
 * of their own rather than through nl_dump_start(): that one takes its
 * socket from a pool per protocol, and a socket made in a tenant's network
 * namespace must neither come from nor go back to it. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <rdma/rdma_netlink.h>

#include "netlink-socket.h"
#include "netlink.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-netns.h"
#include "rdma-qp-source-private.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_qp_netlink);

/* Rate of the debug messages about malformed replies. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Longest wait, in ms, for the next part of a dump. */
#define QPNL_TIMEOUT_MS 2000

/* Dumps tried again when the kernel says one was interrupted by a change
 * (NLM_F_DUMP_INTR). */
#define QPNL_MAX_TRIES 3

/* An RDMA device, as RDMA_NLDEV_CMD_GET lists it. */
struct qpnl_dev {
    char name[RDMA_KDEV_NAME_MAX]; /* Its name. */
    uint32_t index;             /* Its index. */
};

/* What one dump collects. */
struct qpnl_result {
    /* RDMA_NLDEV_CMD_GET: every device. */
    struct qpnl_dev *devs;      /* The devices. */
    size_t n_devs, allocated_devs;

    /* RDMA_NLDEV_CMD_RES_QP_GET: the QPs. */
    struct rdma_kqp *qps;       /* The QPs. */
    size_t n_qps, allocated_qps;

    /* RDMA_NLDEV_CMD_PORT_GET: the netdev of a device's first port. */
    uint32_t ndev_index;        /* Its ifindex, 0 if none. */
    char ndev_name[RDMA_KDEV_NAME_MAX]; /* Its name, "" if none. */

    /* RDMA_NLDEV_CMD_RES_CM_ID_GET: the cm_ids of device 'dev'. */
    const struct qpnl_dev *dev; /* The device dumped. */
    struct rdma_kcm *cms;       /* The cm_ids. */
    size_t n_cms, allocated_cms;
};

/* The attributes of a reply that are read, at its top level. */
static const struct nl_policy msg_policy[] = {
    [RDMA_NLDEV_ATTR_DEV_INDEX] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_DEV_NAME] = { .type = NL_A_STRING, .optional = true },
    [RDMA_NLDEV_ATTR_NDEV_INDEX] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_NDEV_NAME] = { .type = NL_A_STRING, .optional = true },
    [RDMA_NLDEV_ATTR_RES_QP] = { .type = NL_A_NESTED, .optional = true },
    [RDMA_NLDEV_ATTR_RES_CM_ID] = { .type = NL_A_NESTED, .optional = true },
};

/* The attributes of a QP entry that are read. */
static const struct nl_policy qp_policy[] = {
    [RDMA_NLDEV_ATTR_RES_LQPN] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_RQPN] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_STATE] = { .type = NL_A_U8, .optional = true },
};

/* The attributes of a cm_id entry that are read. */
static const struct nl_policy cm_policy[] = {
    [RDMA_NLDEV_ATTR_RES_CM_IDN] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_PORT_INDEX] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_LQPN] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_PID] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_STATE] = { .type = NL_A_U8, .optional = true },
    [RDMA_NLDEV_ATTR_RES_TYPE] = { .type = NL_A_U8, .optional = true },
    [RDMA_NLDEV_ATTR_RES_PS] = { .type = NL_A_U32, .optional = true },
    [RDMA_NLDEV_ATTR_RES_SRC_ADDR] = { .type = NL_A_UNSPEC,
                                       .optional = true },
    [RDMA_NLDEV_ATTR_RES_DST_ADDR] = { .type = NL_A_UNSPEC,
                                       .optional = true },
};

/* Returns the u32 attribute 'a', or 0 if it is absent. */
static uint32_t
attr_u32(const struct nlattr *a)
{
    return a ? nl_attr_get_u32(a) : 0;
}

/* Returns the u8 attribute 'a', or 0 if it is absent. */
static uint8_t
attr_u8(const struct nlattr *a)
{
    return a ? nl_attr_get_u8(a) : 0;
}

/* Parses the top-level attributes of reply 'msg' into 'a' (indexed by
 * type, ARRAY_SIZE(msg_policy) of them).  Returns false if it is
 * malformed. */
static bool
parse_msg(const struct ofpbuf *msg, struct nlattr *a[])
{
    if (!nl_policy_parse(msg, NLMSG_HDRLEN, msg_policy, a,
                         ARRAY_SIZE(msg_policy))) {
        VLOG_DBG_RL(&rl, "malformed RDMA netlink reply ignored");
        return false;
    }
    return true;
}

/* Adds the device that RDMA_NLDEV_CMD_GET reply 'msg' describes to 'r'. */
static void
parse_dev(const struct ofpbuf *msg, struct qpnl_result *r)
{
    struct nlattr *a[ARRAY_SIZE(msg_policy)];
    const char *name;
    struct qpnl_dev *dev;

    if (!parse_msg(msg, a) || !a[RDMA_NLDEV_ATTR_DEV_INDEX]
        || !a[RDMA_NLDEV_ATTR_DEV_NAME]) {
        return;
    }
    name = nl_attr_get_string(a[RDMA_NLDEV_ATTR_DEV_NAME]);
    if (strlen(name) >= RDMA_KDEV_NAME_MAX) {
        return;
    }
    if (r->n_devs >= r->allocated_devs) {
        r->devs = x2nrealloc(r->devs, &r->allocated_devs, sizeof *r->devs);
    }
    dev = &r->devs[r->n_devs++];
    ovs_strlcpy(dev->name, name, sizeof dev->name);
    dev->index = nl_attr_get_u32(a[RDMA_NLDEV_ATTR_DEV_INDEX]);
}

/* Takes from RDMA_NLDEV_CMD_PORT_GET reply 'msg' into 'r' the netdev of the
 * port, unless an earlier port had one. */
static void
parse_port(const struct ofpbuf *msg, struct qpnl_result *r)
{
    struct nlattr *a[ARRAY_SIZE(msg_policy)];

    if (!parse_msg(msg, a)) {
        return;
    }
    if (!r->ndev_index) {
        r->ndev_index = attr_u32(a[RDMA_NLDEV_ATTR_NDEV_INDEX]);
    }
    if (!r->ndev_name[0] && a[RDMA_NLDEV_ATTR_NDEV_NAME]) {
        ovs_strlcpy(r->ndev_name,
                    nl_attr_get_string(a[RDMA_NLDEV_ATTR_NDEV_NAME]),
                    sizeof r->ndev_name);
    }
}

/* Adds the QP entries of RDMA_NLDEV_CMD_RES_QP_GET reply 'msg' to 'r'. */
static void
parse_qps(const struct ofpbuf *msg, struct qpnl_result *r)
{
    struct nlattr *a[ARRAY_SIZE(msg_policy)];
    const struct nlattr *entry;
    size_t left;

    if (!parse_msg(msg, a) || !a[RDMA_NLDEV_ATTR_RES_QP]) {
        return;
    }
    NL_NESTED_FOR_EACH (entry, left, a[RDMA_NLDEV_ATTR_RES_QP]) {
        struct nlattr *q[ARRAY_SIZE(qp_policy)];
        struct rdma_kqp qp;

        if (nl_attr_type(entry) != RDMA_NLDEV_ATTR_RES_QP_ENTRY
            || !nl_parse_nested(entry, qp_policy, q, ARRAY_SIZE(q))) {
            continue;
        }
        qp.lqpn = attr_u32(q[RDMA_NLDEV_ATTR_RES_LQPN]);
        qp.rqpn = attr_u32(q[RDMA_NLDEV_ATTR_RES_RQPN]);
        qp.state = attr_u8(q[RDMA_NLDEV_ATTR_RES_STATE]);
        if (r->n_qps >= r->allocated_qps) {
            r->qps = x2nrealloc(r->qps, &r->allocated_qps, sizeof *r->qps);
        }
        r->qps[r->n_qps++] = qp;
    }
}

/* Parses the socket address in 'a' (a struct __kernel_sockaddr_storage)
 * into '*ip' (IPv4-mapped for IPv4) and '*port'.  Returns true if it is an
 * IPv4 or IPv6 address. */
static bool
parse_sockaddr(const struct nlattr *a, struct in6_addr *ip, uint16_t *port)
{
    struct sockaddr_storage ss;

    if (!a) {
        return false;
    }
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, nl_attr_get(a), MIN(nl_attr_get_size(a), sizeof ss));
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) &ss;

        *ip = in6_addr_mapped_ipv4(sin->sin_addr.s_addr);
        *port = ntohs(sin->sin_port);
        return true;
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) &ss;

        *ip = sin6->sin6_addr;
        *port = ntohs(sin6->sin6_port);
        return true;
    }
    return false;
}

/* Adds the cm_id entries of RDMA_NLDEV_CMD_RES_CM_ID_GET reply 'msg' to
 * 'r', as cm_ids of device 'r->dev'. */
static void
parse_cms(const struct ofpbuf *msg, struct qpnl_result *r)
{
    struct nlattr *a[ARRAY_SIZE(msg_policy)];
    const struct nlattr *entry;
    size_t left;

    if (!parse_msg(msg, a) || !a[RDMA_NLDEV_ATTR_RES_CM_ID]) {
        return;
    }
    NL_NESTED_FOR_EACH (entry, left, a[RDMA_NLDEV_ATTR_RES_CM_ID]) {
        struct nlattr *c[ARRAY_SIZE(cm_policy)];
        struct rdma_kcm cm;

        if (nl_attr_type(entry) != RDMA_NLDEV_ATTR_RES_CM_ID_ENTRY
            || !nl_parse_nested(entry, cm_policy, c, ARRAY_SIZE(c))) {
            continue;
        }
        memset(&cm, 0, sizeof cm);
        ovs_strlcpy(cm.device, r->dev->name, sizeof cm.device);
        cm.dev_index = r->dev->index;
        cm.cm_idn = attr_u32(c[RDMA_NLDEV_ATTR_RES_CM_IDN]);
        cm.port = attr_u32(c[RDMA_NLDEV_ATTR_PORT_INDEX]);
        cm.lqpn = attr_u32(c[RDMA_NLDEV_ATTR_RES_LQPN]);
        cm.pid = attr_u32(c[RDMA_NLDEV_ATTR_RES_PID]);
        cm.state = attr_u8(c[RDMA_NLDEV_ATTR_RES_STATE]);
        cm.qp_type = attr_u8(c[RDMA_NLDEV_ATTR_RES_TYPE]);
        cm.ps = attr_u32(c[RDMA_NLDEV_ATTR_RES_PS]);
        cm.has_src = parse_sockaddr(c[RDMA_NLDEV_ATTR_RES_SRC_ADDR],
                                    &cm.src, &cm.src_port);
        cm.has_dst = parse_sockaddr(c[RDMA_NLDEV_ATTR_RES_DST_ADDR],
                                    &cm.dst, &cm.dst_port);
        if (r->n_cms >= r->allocated_cms) {
            r->cms = x2nrealloc(r->cms, &r->allocated_cms, sizeof *r->cms);
        }
        r->cms[r->n_cms++] = cm;
    }
}

/* Parser of the replies of one dump command. */
typedef void qpnl_parse_func(const struct ofpbuf *, struct qpnl_result *);

/* Waits up to 'deadline' (a time_msec() value) for 'sock' to have
 * something to read.  Returns 0, ETIMEDOUT, or another positive errno
 * value. */
static int
qpnl_wait(const struct nl_sock *sock, long long int deadline)
{
    for (;;) {
        struct pollfd pfd = { .fd = nl_sock_fd(sock), .events = POLLIN };
        long long int left = deadline - time_msec();
        int retval;

        if (left <= 0) {
            return ETIMEDOUT;
        }
        retval = poll(&pfd, 1, left);
        if (retval > 0) {
            return 0;
        } else if (retval < 0 && errno != EINTR) {
            return errno;
        }
    }
}

/* Handles reply 'msg' (header 'nlh') of dump 'seq' on 'sock', parsing it
 * with 'parse' into 'r'; sets '*intr' if the kernel says the dump was
 * interrupted.  Returns 0 to go on, EOF at the dump's end, or a positive
 * errno value. */
static int
qpnl_handle(const struct nl_sock *sock, uint32_t seq,
            const struct nlmsghdr *nlh, const struct ofpbuf *msg,
            qpnl_parse_func *parse, struct qpnl_result *r, bool *intr)
{
    int error;

    if (nlh->nlmsg_seq != seq
        || (nlh->nlmsg_pid && nlh->nlmsg_pid != nl_sock_pid(sock))) {
        return 0;               /* Not this dump's: a late reply. */
    }
    if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
        *intr = true;
    }
    if (nlh->nlmsg_type == NLMSG_DONE) {
        return EOF;
    } else if (nl_msg_nlmsgerr(msg, &error, NULL)) {
        return error ? error : EOF;
    }
    parse(msg, r);
    return 0;
}

/* Runs nldev dump command 'cmd' on 'sock', for device 'dev_index' unless
 * it is UINT32_MAX, parsing each reply with 'parse' into 'r'.  Returns 0,
 * EAGAIN if the kernel interrupted the dump, or another positive errno
 * value. */
static int
qpnl_dump__(struct nl_sock *sock, int cmd, uint32_t dev_index,
            qpnl_parse_func *parse, struct qpnl_result *r)
{
    long long int deadline = time_msec() + QPNL_TIMEOUT_MS;
    uint64_t stub[4096 / 8];
    struct ofpbuf request, buf;
    bool intr = false;
    uint32_t seq;
    int error;

    ofpbuf_init(&request, 64);
    nl_msg_put_nlmsghdr(&request, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, cmd),
                        NLM_F_REQUEST | NLM_F_DUMP);
    if (dev_index != UINT32_MAX) {
        nl_msg_put_u32(&request, RDMA_NLDEV_ATTR_DEV_INDEX, dev_index);
    }
    /* nl_sock_send() numbers the request: the replies carry that. */
    error = nl_sock_send(sock, &request, true);
    seq = nl_msg_nlmsghdr(&request)->nlmsg_seq;
    ofpbuf_uninit(&request);

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    while (!error) {
        error = nl_sock_recv(sock, &buf, NULL, false);
        if (error == EAGAIN) {
            error = qpnl_wait(sock, deadline);
            continue;
        }
        while (!error && buf.size) {
            struct ofpbuf msg;
            struct nlmsghdr *nlh = nl_msg_next(&buf, &msg);

            error = (nlh ? qpnl_handle(sock, seq, nlh, &msg, parse, r, &intr)
                     : EPROTO);
        }
    }
    ofpbuf_uninit(&buf);
    return error == EOF ? (intr ? EAGAIN : 0) : error;
}

/* Runs nldev dump command 'cmd' as qpnl_dump__() does, again (results of
 * the interrupted attempt dropped) up to QPNL_MAX_TRIES times while the
 * kernel says it was interrupted by a change. */
static int
qpnl_dump(struct nl_sock *sock, int cmd, uint32_t dev_index,
          qpnl_parse_func *parse, struct qpnl_result *r)
{
    size_t n_devs = r->n_devs, n_qps = r->n_qps, n_cms = r->n_cms;
    int error, i;

    for (i = 0; i < QPNL_MAX_TRIES; i++) {
        error = qpnl_dump__(sock, cmd, dev_index, parse, r);
        if (error != EAGAIN) {
            break;
        }
        r->n_devs = n_devs;
        r->n_qps = n_qps;
        r->n_cms = n_cms;
        r->ndev_index = 0;
        r->ndev_name[0] = '\0';
    }
    return error;
}

/* Opens an RDMA netlink socket in '*sockp', made in the network namespace
 * of process 'pid' (0: ovs-rdmad's own; the kernel tells a port's netdev
 * only to a socket of the netdev's namespace), and lists the RDMA devices
 * into 'r'.  Returns 0 or a positive errno value (then nothing is open). */
static int
qpnl_open_devices_in(uint32_t pid, struct nl_sock **sockp,
                     struct qpnl_result *r)
{
    struct nl_sock *sock = NULL;
    int self, error;

    error = rdma_netns_enter(pid, &self);
    if (!error) {
        /* The socket stays in the namespace it was made in. */
        error = nl_sock_create(NETLINK_RDMA, &sock);
        rdma_netns_leave(self);
    }
    if (error) {
        return error;
    }
    /* The kernel dumps resources one device at a time: list them. */
    error = qpnl_dump(sock, RDMA_NLDEV_CMD_GET, UINT32_MAX, parse_dev, r);
    if (error) {
        nl_sock_destroy(sock);
        return error;
    }
    *sockp = sock;
    return 0;
}

/* The RDMA devices of ovs-rdmad's network namespace, listed at most once
 * per main-loop iteration (rdma_qp_netlink_flush()). */
static struct qpnl_dev *cached_devs;
static size_t n_cached_devs;    /* Number of 'cached_devs'. */
static bool have_cached_devs;   /* Whether 'cached_devs' is this
                                 * iteration's. */

/* Opens an RDMA netlink socket of ovs-rdmad's network namespace in
 * '*sockp' and puts the RDMA devices into 'r', listing them only once per
 * iteration.  Returns 0 or a positive errno value (then nothing is
 * open). */
static int
qpnl_open_devices(struct nl_sock **sockp, struct qpnl_result *r)
{
    int error;

    if (!have_cached_devs) {
        error = qpnl_open_devices_in(0, sockp, r);
        if (!error) {
            free(cached_devs);
            cached_devs = xmemdup(r->devs, r->n_devs * sizeof *r->devs);
            n_cached_devs = r->n_devs;
            have_cached_devs = true;
        }
        return error;
    }
    error = nl_sock_create(NETLINK_RDMA, sockp);
    if (!error) {
        r->devs = xmemdup(cached_devs, n_cached_devs * sizeof *cached_devs);
        r->n_devs = r->allocated_devs = n_cached_devs;
    }
    return error;
}

/* Forgets the list of RDMA devices: the next dump lists them again. */
void
rdma_qp_netlink_flush(void)
{
    have_cached_devs = false;
}

/* Returns the device named 'device' among those in 'r', or NULL. */
static const struct qpnl_dev *
qpnl_find_dev(const struct qpnl_result *r, const char *device)
{
    size_t i;

    for (i = 0; i < r->n_devs; i++) {
        if (!strcmp(r->devs[i].name, device)) {
            return &r->devs[i];
        }
    }
    return NULL;
}

/* Frees what 'r' holds, but the arrays the caller took over (set to NULL
 * by the caller). */
static void
qpnl_result_destroy(struct qpnl_result *r)
{
    free(r->devs);
    free(r->qps);
    free(r->cms);
}

/* Reads the QPs of 'device' from the kernel.  Returns 0, ENODEV if there
 * is no such device, or another positive errno value. */
int
rdma_qp_netlink_dump_qps(const char *device, struct rdma_kqp **qps, size_t *n)
{
    const struct qpnl_dev *dev;
    struct qpnl_result r;
    struct nl_sock *sock;
    int error;

    memset(&r, 0, sizeof r);
    error = qpnl_open_devices(&sock, &r);
    if (error) {
        return error;
    }
    dev = qpnl_find_dev(&r, device);
    error = (dev
             ? qpnl_dump(sock, RDMA_NLDEV_CMD_RES_QP_GET, dev->index,
                         parse_qps, &r)
             : ENODEV);
    nl_sock_destroy(sock);
    *qps = r.qps;
    *n = r.n_qps;
    r.qps = NULL;
    qpnl_result_destroy(&r);
    return error;
}

/* Reads every rdma_cm id of every RDMA device from the kernel into
 * '*cmsp' and '*np'.  Returns 0 or a positive errno value. */
int
rdma_qp_netlink_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np)
{
    struct qpnl_result r;
    struct nl_sock *sock;
    int error;
    size_t i;

    memset(&r, 0, sizeof r);
    error = qpnl_open_devices(&sock, &r);
    if (error) {
        return error;
    }
    for (i = 0; !error && i < r.n_devs; i++) {
        r.dev = &r.devs[i];
        error = qpnl_dump(sock, RDMA_NLDEV_CMD_RES_CM_ID_GET,
                          r.devs[i].index, parse_cms, &r);
        if (error == ENODEV || error == ENOENT) {
            error = 0;          /* The device went away meanwhile. */
        }
    }
    nl_sock_destroy(sock);
    *cmsp = r.cms;
    *np = r.n_cms;
    r.cms = NULL;
    qpnl_result_destroy(&r);
    return error;
}

/* Stores in '*ifindex' the ifindex of the netdev of RDMA device 'device'
 * (of its first port that has one), as the network namespace of process
 * 'pid' (0: ovs-rdmad's) sees it (only if the netdev is there), and its
 * name in 'name' (if nonnull; RDMA_KDEV_NAME_MAX bytes).  Returns 0,
 * ENODEV if there is no such device or it has no netdev, or another
 * positive errno value. */
int
rdma_qp_netlink_netdev(const char *device, uint32_t pid, uint32_t *ifindex,
                       char *name)
{
    const struct qpnl_dev *dev;
    struct qpnl_result r;
    struct nl_sock *sock;
    int error;

    *ifindex = 0;
    memset(&r, 0, sizeof r);
    error = qpnl_open_devices_in(pid, &sock, &r);
    if (error) {
        return error;
    }
    dev = qpnl_find_dev(&r, device);
    if (!dev) {
        error = ENODEV;
    } else {
        r.dev = dev;
        error = qpnl_dump(sock, RDMA_NLDEV_CMD_PORT_GET, dev->index,
                          parse_port, &r);
        if (!error && !r.ndev_index) {
            error = ENODEV;
        }
    }
    nl_sock_destroy(sock);
    *ifindex = r.ndev_index;
    if (name) {
        ovs_strlcpy(name, r.ndev_name, RDMA_KDEV_NAME_MAX);
    }
    qpnl_result_destroy(&r);
    return error;
}
