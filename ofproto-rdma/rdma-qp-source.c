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
#include "packets.h"
#include "rdma-addr.h"
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

static int netlink_dump_cm_ids(struct rdma_kcm **, size_t *);

/* A cm_id of the fake table. */
struct fake_cm {
    struct hmap_node node;      /* In 'fake_cms'. */
    struct rdma_kcm cm;         /* The cm_id. */
};

/* The fake table's cm_ids. */
static struct hmap fake_cms = HMAP_INITIALIZER(&fake_cms);

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
    cm.qp_type = 2;             /* RC. */
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
        const struct fake_cm *f;
        size_t i = 0;

        *cmsp = xmalloc(MAX(1, hmap_count(&fake_cms)) * sizeof **cmsp);
        HMAP_FOR_EACH (f, node, &fake_cms) {
            (*cmsp)[i++] = f->cm;
        }
        *np = i;
        return 0;
    }
    error = netlink_dump_cm_ids(cmsp, np);
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
        unixctl_command_register("rdma-qp/fake-set",
                                 "DEVICE QPN [RQPN [STATE]]", 2, 4,
                                 fake_set, NULL);
        unixctl_command_register("rdma-qp/fake-del", "DEVICE QPN", 2, 2,
                                 fake_del, NULL);
        unixctl_command_register("rdma-qp/fake-cm-set",
                                 "DEVICE CM_IDN STATE [src=IP[:PORT]] "
                                 "[dst=IP[:PORT]] [qpn=N] [pid=N] "
                                 "[dst_mac=MAC] [index=N]", 3, 10,
                                 fake_cm_set, NULL);
        unixctl_command_register("rdma-qp/fake-cm-del", "DEVICE CM_IDN", 2, 2,
                                 fake_cm_del, NULL);
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

/* Opens an RDMA netlink socket in '*fdp' and lists the RDMA devices into
 * 'd'.  Returns 0 or a positive errno value (then nothing is open). */
static int
netlink_open_devices(int *fdp, uint32_t *seq, struct nl_dump *d)
{
    int fd, error;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_RDMA);
    if (fd < 0) {
        return errno;
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

/* The sequence number of the last netlink request. */
static uint32_t nl_seq;

/* Reads the QPs of 'device' from the kernel.  Returns 0, ENODEV if there
 * is no such device, or another positive errno value. */
static int
netlink_dump(const char *device, struct rdma_kqp **qps, size_t *n)
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
static int
netlink_dump_cm_ids(struct rdma_kcm **cmsp, size_t *np)
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
