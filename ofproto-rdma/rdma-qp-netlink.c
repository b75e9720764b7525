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
 * cm_id" use (rdma-qp-source.h). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <rdma/rdma_netlink.h>

#include "packets.h"
#include "rdma-qp-source-private.h"
#include "util.h"

/* Sends an RDMA netlink request for nldev command 'cmd' on 'fd', a dump,
 * with attribute RDMA_NLDEV_ATTR_DEV_INDEX = 'dev_index' unless it is
 * UINT32_MAX.  Returns 0 or a positive errno value. */
static int
nl_send_dump(int fd, int cmd, uint32_t dev_index, uint32_t seq)
{
    struct {
        struct nlmsghdr nlh;
        struct nlattr nla;
        uint32_t index;
    } req;

    memset(&req, 0, sizeof req);
    req.nlh.nlmsg_len = NLMSG_LENGTH(0);
    req.nlh.nlmsg_type = RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, cmd);
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.nlh.nlmsg_seq = seq;
    if (dev_index != UINT32_MAX) {
        req.nla.nla_len = NLA_HDRLEN + sizeof req.index;
        req.nla.nla_type = RDMA_NLDEV_ATTR_DEV_INDEX;
        req.index = dev_index;
        req.nlh.nlmsg_len += NLA_ALIGN(req.nla.nla_len);
    }
    return send(fd, &req, req.nlh.nlmsg_len, 0) < 0 ? errno : 0;
}

/* Calls 'cb' for each attribute in the 'len' bytes at 'p'. */
#define NLA_FOR_EACH(NLA, P, LEN)                                       \
    for ((NLA) = (const struct nlattr *) (P);                           \
         (const char *) (NLA) + NLA_HDRLEN <= (const char *) (P) + (LEN) \
         && (NLA)->nla_len >= NLA_HDRLEN                                \
         && (const char *) (NLA) + (NLA)->nla_len                       \
            <= (const char *) (P) + (LEN);                              \
         (NLA) = (const struct nlattr *)                                \
             ((const char *) (NLA) + NLA_ALIGN((NLA)->nla_len)))

/* Returns the payload of 'nla'. */
static const void *
nla_data(const struct nlattr *nla)
{
    return (const char *) nla + NLA_HDRLEN;
}

/* Returns the payload length of 'nla'. */
static size_t
nla_len(const struct nlattr *nla)
{
    return nla->nla_len - NLA_HDRLEN;
}

/* Returns the u32 (or u8) payload of 'nla', or 0. */
static uint32_t
nla_u32(const struct nlattr *nla)
{
    uint32_t v = 0;

    if (nla_len(nla) >= 4) {
        memcpy(&v, nla_data(nla), 4);
    } else if (nla_len(nla) >= 1) {
        v = *(const uint8_t *) nla_data(nla);
    }
    return v;
}

/* An RDMA device, as RDMA_NLDEV_CMD_GET lists it. */
struct nl_dev {
    char name[RDMA_KDEV_NAME_MAX]; /* Its name. */
    uint32_t index;             /* Its index. */
};

/* What one dump collects. */
struct nl_dump {
    /* RDMA_NLDEV_CMD_GET: every device. */
    struct nl_dev *devs;        /* The devices. */
    size_t n_devs, allocated_devs;

    /* RDMA_NLDEV_CMD_RES_QP_GET: the QPs. */
    struct rdma_kqp *qps;       /* The QPs. */
    size_t n_qps, allocated_qps;

    /* RDMA_NLDEV_CMD_PORT_GET: the netdev of a device's first port. */
    uint32_t ndev_index;        /* Its ifindex, 0 if none. */
    char ndev_name[RDMA_KDEV_NAME_MAX]; /* Its name, "" if none. */

    /* RDMA_NLDEV_CMD_RES_CM_ID_GET: the cm_ids of device 'dev'. */
    const struct nl_dev *dev;   /* The device dumped. */
    struct rdma_kcm *cms;       /* The cm_ids. */
    size_t n_cms, allocated_cms;
};

/* Adds the QP entries in 'table' (an RDMA_NLDEV_ATTR_RES_QP) to 'd'. */
static void
add_qp_entries(const struct nlattr *table, struct nl_dump *d)
{
    const struct nlattr *entry, *a;

    NLA_FOR_EACH (entry, nla_data(table), nla_len(table)) {
        struct rdma_kqp qp = { 0, 0, 0 };

        if ((entry->nla_type & NLA_TYPE_MASK)
            != RDMA_NLDEV_ATTR_RES_QP_ENTRY) {
            continue;
        }
        NLA_FOR_EACH (a, nla_data(entry), nla_len(entry)) {
            switch (a->nla_type & NLA_TYPE_MASK) {
            case RDMA_NLDEV_ATTR_RES_LQPN:
                qp.lqpn = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_RQPN:
                qp.rqpn = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_STATE:
                qp.state = nla_u32(a);
                break;
            }
        }
        if (d->n_qps >= d->allocated_qps) {
            d->qps = x2nrealloc(d->qps, &d->allocated_qps, sizeof *d->qps);
        }
        d->qps[d->n_qps++] = qp;
    }
}

/* Parses the socket address in 'a' (a struct __kernel_sockaddr_storage)
 * into '*ip' (IPv4-mapped for IPv4) and '*port'.  Returns true if it is an
 * IPv4 or IPv6 address. */
static bool
parse_sockaddr(const struct nlattr *a, struct in6_addr *ip, uint16_t *port)
{
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof ss);
    memcpy(&ss, nla_data(a), MIN(nla_len(a), sizeof ss));
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

/* Adds the cm_id entries in 'table' (an RDMA_NLDEV_ATTR_RES_CM_ID) to 'd',
 * as cm_ids of device 'd->dev'. */
static void
add_cm_entries(const struct nlattr *table, struct nl_dump *d)
{
    const struct nlattr *entry, *a;

    NLA_FOR_EACH (entry, nla_data(table), nla_len(table)) {
        struct rdma_kcm cm;

        if ((entry->nla_type & NLA_TYPE_MASK)
            != RDMA_NLDEV_ATTR_RES_CM_ID_ENTRY) {
            continue;
        }
        memset(&cm, 0, sizeof cm);
        ovs_strlcpy(cm.device, d->dev->name, sizeof cm.device);
        cm.dev_index = d->dev->index;
        NLA_FOR_EACH (a, nla_data(entry), nla_len(entry)) {
            switch (a->nla_type & NLA_TYPE_MASK) {
            case RDMA_NLDEV_ATTR_RES_CM_IDN:
                cm.cm_idn = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_PORT_INDEX:
                cm.port = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_LQPN:
                cm.lqpn = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_PID:
                cm.pid = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_STATE:
                cm.state = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_TYPE:
                cm.qp_type = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_PS:
                cm.ps = nla_u32(a);
                break;
            case RDMA_NLDEV_ATTR_RES_SRC_ADDR:
                cm.has_src = parse_sockaddr(a, &cm.src, &cm.src_port);
                break;
            case RDMA_NLDEV_ATTR_RES_DST_ADDR:
                cm.has_dst = parse_sockaddr(a, &cm.dst, &cm.dst_port);
                break;
            }
        }
        if (d->n_cms >= d->allocated_cms) {
            d->cms = x2nrealloc(d->cms, &d->allocated_cms, sizeof *d->cms);
        }
        d->cms[d->n_cms++] = cm;
    }
}

/* Receives the replies to dump 'seq' on 'fd' into 'd': the devices of an
 * RDMA_NLDEV_CMD_GET, the QPs of an RDMA_NLDEV_CMD_RES_QP_GET, the cm_ids
 * of an RDMA_NLDEV_CMD_RES_CM_ID_GET.  Returns 0 or a positive errno
 * value. */
static int
nl_recv_dump(int fd, uint32_t seq, struct nl_dump *d)
{
    static char buf[65536];

    for (;;) {
        ssize_t len = recv(fd, buf, sizeof buf, 0);
        const struct nlmsghdr *nlh;
        size_t left;

        if (len < 0) {
            return errno;
        }
        left = len;
        for (nlh = (const struct nlmsghdr *) buf; NLMSG_OK(nlh, left);
             nlh = NLMSG_NEXT(nlh, left)) {
            const struct nlattr *a;
            const char *name = NULL;
            uint32_t index = UINT32_MAX;

            if (nlh->nlmsg_seq != seq) {
                continue;
            }
            if (nlh->nlmsg_type == NLMSG_DONE) {
                return 0;
            }
            if (nlh->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *err = NLMSG_DATA(nlh);

                return err->error ? -err->error : 0;
            }
            NLA_FOR_EACH (a, NLMSG_DATA(nlh), NLMSG_PAYLOAD(nlh, 0)) {
                switch (a->nla_type & NLA_TYPE_MASK) {
                case RDMA_NLDEV_ATTR_DEV_INDEX:
                    index = nla_u32(a);
                    break;
                case RDMA_NLDEV_ATTR_DEV_NAME:
                    name = nla_data(a);
                    if (!memchr(name, '\0', nla_len(a))) {
                        name = NULL;
                    }
                    break;
                case RDMA_NLDEV_ATTR_NDEV_INDEX:
                    if (!d->ndev_index) {
                        d->ndev_index = nla_u32(a);
                    }
                    break;
                case RDMA_NLDEV_ATTR_NDEV_NAME:
                    if (!d->ndev_name[0]
                        && memchr(nla_data(a), '\0', nla_len(a))) {
                        ovs_strlcpy(d->ndev_name, nla_data(a),
                                    sizeof d->ndev_name);
                    }
                    break;
                case RDMA_NLDEV_ATTR_RES_QP:
                    add_qp_entries(a, d);
                    break;
                case RDMA_NLDEV_ATTR_RES_CM_ID:
                    if (d->dev) {
                        add_cm_entries(a, d);
                    }
                    break;
                }
            }
            if (!d->dev && name && index != UINT32_MAX
                && strlen(name) < RDMA_KDEV_NAME_MAX) {
                struct nl_dev *dev;

                if (d->n_devs >= d->allocated_devs) {
                    d->devs = x2nrealloc(d->devs, &d->allocated_devs,
                                         sizeof *d->devs);
                }
                dev = &d->devs[d->n_devs++];
                ovs_strlcpy(dev->name, name, sizeof dev->name);
                dev->index = index;
            }
        }
    }
}

/* Opens an RDMA netlink socket in '*fdp', made in the network namespace of
 * process 'pid' (0: ovs-rdmad's own; the kernel tells a port's netdev only
 * to a socket of the netdev's namespace), and lists the RDMA devices into
 * 'd'.  Returns 0 or a positive errno value (then nothing is open). */
static int
netlink_open_devices_in(uint32_t pid, int *fdp, uint32_t *seq,
                        struct nl_dump *d)
{
    int self = -1, target = -1, fd = -1, error = 0;

    if (pid) {
        char path[64];

        snprintf(path, sizeof path, "/proc/%"PRIu32"/ns/net", pid);
        self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        target = open(path, O_RDONLY | O_CLOEXEC);
        if (self < 0 || target < 0 || setns(target, CLONE_NEWNET)) {
            error = errno ? errno : EINVAL;
        }
    }
    if (!error) {
        /* The socket stays in the namespace it was made in. */
        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_RDMA);
        error = fd < 0 ? errno : 0;
        if (pid && setns(self, CLONE_NEWNET)) {
            ovs_fatal(errno, "cannot return to ovs-rdmad's network "
                      "namespace");
        }
    }
    if (self >= 0) {
        close(self);
    }
    if (target >= 0) {
        close(target);
    }
    if (error) {
        return error;
    }
    /* The kernel dumps resources one device at a time: list them. */
    error = nl_send_dump(fd, RDMA_NLDEV_CMD_GET, UINT32_MAX, ++*seq);
    if (!error) {
        error = nl_recv_dump(fd, *seq, d);
    }
    if (error) {
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

/* Opens an RDMA netlink socket in '*fdp' and lists the RDMA devices into
 * 'd'.  Returns 0 or a positive errno value (then nothing is open). */
static int
netlink_open_devices(int *fdp, uint32_t *seq, struct nl_dump *d)
{
    return netlink_open_devices_in(0, fdp, seq, d);
}
/* The sequence number of the last netlink request. */
static uint32_t nl_seq;

/* Reads the QPs of 'device' from the kernel.  Returns 0, ENODEV if there
 * is no such device, or another positive errno value. */
int
rdma_qp_netlink_dump_qps(const char *device, struct rdma_kqp **qps, size_t *n)
{
    struct nl_dump d;
    int fd, error;
    size_t i;

    memset(&d, 0, sizeof d);
    error = netlink_open_devices(&fd, &nl_seq, &d);
    if (error) {
        return error;
    }
    for (i = 0; i < d.n_devs; i++) {
        if (!strcmp(d.devs[i].name, device)) {
            break;
        }
    }
    if (i == d.n_devs) {
        error = ENODEV;
    } else {
        error = nl_send_dump(fd, RDMA_NLDEV_CMD_RES_QP_GET, d.devs[i].index,
                             ++nl_seq);
        if (!error) {
            error = nl_recv_dump(fd, nl_seq, &d);
        }
    }
    close(fd);
    free(d.devs);
    *qps = d.qps;
    *n = d.n_qps;
    return error;
}

/* Reads every rdma_cm id of every RDMA device from the kernel into
 * '*cmsp' and '*np'.  Returns 0 or a positive errno value. */
int
rdma_qp_netlink_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np)
{
    struct nl_dump d;
    int fd, error;
    size_t i;

    memset(&d, 0, sizeof d);
    error = netlink_open_devices(&fd, &nl_seq, &d);
    if (error) {
        return error;
    }
    for (i = 0; !error && i < d.n_devs; i++) {
        d.dev = &d.devs[i];
        error = nl_send_dump(fd, RDMA_NLDEV_CMD_RES_CM_ID_GET,
                             d.devs[i].index, ++nl_seq);
        if (!error) {
            error = nl_recv_dump(fd, nl_seq, &d);
        }
        if (error == ENODEV || error == ENOENT) {
            error = 0;          /* The device went away meanwhile. */
        }
    }
    close(fd);
    free(d.devs);
    free(d.qps);
    *cmsp = d.cms;
    *np = d.n_cms;
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
    struct nl_dump d;
    int fd, error;
    size_t i;

    *ifindex = 0;
    memset(&d, 0, sizeof d);
    error = netlink_open_devices_in(pid, &fd, &nl_seq, &d);
    if (error) {
        return error;
    }
    for (i = 0; i < d.n_devs; i++) {
        if (!strcmp(d.devs[i].name, device)) {
            break;
        }
    }
    if (i == d.n_devs) {
        error = ENODEV;
    } else {
        error = nl_send_dump(fd, RDMA_NLDEV_CMD_PORT_GET, d.devs[i].index,
                             ++nl_seq);
        if (!error) {
            d.dev = &d.devs[i];
            error = nl_recv_dump(fd, nl_seq, &d);
        }
        if (!error && !d.ndev_index) {
            error = ENODEV;
        }
    }
    close(fd);
    free(d.devs);
    free(d.qps);
    free(d.cms);
    *ifindex = d.ndev_index;
    if (name) {
        ovs_strlcpy(name, d.ndev_name, RDMA_KDEV_NAME_MAX);
    }
    return error;
}
