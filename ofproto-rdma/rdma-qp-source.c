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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <rdma/rdma_netlink.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "rdma-request.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_qp_source);

/* The source in use. */
static enum rdma_qp_source_type source = RDMA_QP_SOURCE_NONE;

/* A QP of the fake table. */
struct fake_qp {
    struct hmap_node node;      /* In 'fake_qps'. */
    char *device;               /* Its RDMA device. */
    struct rdma_kqp qp;         /* The QP. */
};

/* The fake table. */
static struct hmap fake_qps = HMAP_INITIALIZER(&fake_qps);

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
        size_t i;

        for (i = 0; i < ARRAY_SIZE(state_names); i++) {
            if (!strcmp(argv[4], state_names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(state_names)) {
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
    unixctl_command_reply(conn, NULL);
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
        unixctl_command_register("rdma-qp/fake-set",
                                 "DEVICE QPN [RQPN [STATE]]", 2, 4,
                                 fake_set, NULL);
        unixctl_command_register("rdma-qp/fake-del", "DEVICE QPN", 2, 2,
                                 fake_del, NULL);
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

/* Adds the QP entries in 'table' (an RDMA_NLDEV_ATTR_RES_QP) to 'qps'. */
static void
add_qp_entries(const struct nlattr *table, struct rdma_kqp **qps, size_t *n,
               size_t *allocated)
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
        if (*n >= *allocated) {
            *qps = x2nrealloc(*qps, allocated, sizeof **qps);
        }
        (*qps)[(*n)++] = qp;
    }
}

/* Receives the replies to dump 'seq' on 'fd'.  For RDMA_NLDEV_CMD_GET,
 * looks for device 'device' and stores its index in '*dev_index'; for
 * RDMA_NLDEV_CMD_RES_QP_GET, adds the QPs to 'qps'.  Returns 0 or a
 * positive errno value. */
static int
nl_recv_dump(int fd, uint32_t seq, const char *device, uint32_t *dev_index,
             struct rdma_kqp **qps, size_t *n, size_t *allocated)
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
                case RDMA_NLDEV_ATTR_RES_QP:
                    if (qps) {
                        add_qp_entries(a, qps, n, allocated);
                    }
                    break;
                }
            }
            if (dev_index && name && !strcmp(name, device)) {
                *dev_index = index;
            }
        }
    }
}

/* Reads the QPs of 'device' from the kernel.  Returns 0, ENODEV if there
 * is no such device, or another positive errno value. */
static int
netlink_dump(const char *device, struct rdma_kqp **qps, size_t *n)
{
    static uint32_t seq;
    uint32_t dev_index = UINT32_MAX;
    size_t allocated = 0;
    int fd, error;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_RDMA);
    if (fd < 0) {
        return errno;
    }
    /* The kernel dumps resources one device at a time: find its index. */
    error = nl_send_dump(fd, RDMA_NLDEV_CMD_GET, UINT32_MAX, ++seq);
    if (!error) {
        error = nl_recv_dump(fd, seq, device, &dev_index, NULL, NULL, NULL);
    }
    if (!error && dev_index == UINT32_MAX) {
        error = ENODEV;
    }
    if (!error) {
        error = nl_send_dump(fd, RDMA_NLDEV_CMD_RES_QP_GET, dev_index, ++seq);
    }
    if (!error) {
        error = nl_recv_dump(fd, seq, device, NULL, qps, n, &allocated);
    }
    close(fd);
    return error;
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
    error = netlink_dump(device, qpsp, np);
    if (error) {
        free(*qpsp);
        *qpsp = NULL;
        *np = 0;
    }
    return error;
}

/* Returns the QP with local number 'lqpn' among the 'n' in 'qps', or
 * NULL. */
const struct rdma_kqp *
rdma_kqp_find(const struct rdma_kqp *qps, size_t n, uint32_t lqpn)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (qps[i].lqpn == lqpn) {
            return &qps[i];
        }
    }
    return NULL;
}
