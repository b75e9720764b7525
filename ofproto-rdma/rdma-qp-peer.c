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


/* The OVS side of an RDMA device's netdev: the veth peer, in ovs-rdmad's
 * network namespace, of the netdev that the RDMA device sits on, found
 * with RDMA netlink (the netdev's ifindex and name) and rtnetlink in the
 * netdev's namespace (its peer's ifindex) and in ovs-rdmad's (the peer). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "rdma-netns.h"
#include "rdma-qp-source-private.h"
#include "util.h"

/* What rtnetlink says of one link. */
struct peer_link {
    char name[RDMA_KDEV_NAME_MAX]; /* Its name. */
    bool veth;                  /* Whether it is a veth. */
    int link;                   /* Its peer's ifindex (IFLA_LINK), 0 if
                                 * none. */
    int32_t link_nsid;          /* Its peer's namespace, as an id of its
                                 * own (IFLA_LINK_NETNSID), -1: its own. */
    int32_t self_nsid;          /* ovs-rdmad's namespace as an id of its
                                 * namespace, -1 if none. */
};

/* Returns the id that the current network namespace gives the namespace
 * of 'fd', or -1 if it has none (or on error). */
static int32_t
peer_get_nsid(int fd)
{
    struct {
        struct nlmsghdr nlh;
        struct rtgenmsg g;
        char pad[3];
        struct nlattr nla;
        uint32_t fd;
    } req;
    int32_t nsid = -1;
    char buf[512];
    int sock;
    ssize_t n;

    sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (sock < 0) {
        return -1;
    }
    memset(&req, 0, sizeof req);
    req.nlh.nlmsg_len = sizeof req;
    req.nlh.nlmsg_type = RTM_GETNSID;
    req.nlh.nlmsg_flags = NLM_F_REQUEST;
    req.g.rtgen_family = AF_UNSPEC;
    req.nla.nla_len = NLA_HDRLEN + sizeof req.fd;
    req.nla.nla_type = NETNSA_FD;
    req.fd = fd;
    if (send(sock, &req, sizeof req, 0) == sizeof req
        && (n = recv(sock, buf, sizeof buf, 0)) > 0) {
        const struct nlmsghdr *nlh = (const struct nlmsghdr *) buf;

        if (NLMSG_OK(nlh, (size_t) n) && nlh->nlmsg_type == RTM_NEWNSID) {
            const struct nlattr *a;
            size_t left = NLMSG_PAYLOAD(nlh, sizeof(struct rtgenmsg));

            a = (const struct nlattr *) ((const char *) NLMSG_DATA(nlh)
                                         + NLMSG_ALIGN(sizeof(struct
                                                              rtgenmsg)));
            while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN
                   && a->nla_len <= left) {
                if ((a->nla_type & NLA_TYPE_MASK) == NETNSA_NSID
                    && a->nla_len >= NLA_HDRLEN + 4) {
                    memcpy(&nsid, (const char *) a + NLA_HDRLEN, 4);
                }
                left -= MIN(left, NLA_ALIGN(a->nla_len));
                a = (const struct nlattr *) ((const char *) a
                                             + NLA_ALIGN(a->nla_len));
            }
        }
    }
    close(sock);
    return nsid;
}

/* Reads link 'ifindex' into '*pl' over rtnetlink, in the network namespace
 * of process 'pid' (0: ovs-rdmad's own).  Returns 0 or a positive errno
 * value (ENODEV: no such link). */
static int
peer_get_link(uint32_t pid, int ifindex, struct peer_link *pl)
{
    struct nl_sock *sk = nl_socket_alloc();
    struct rtnl_link *link = NULL;
    int self, error;

    memset(pl, 0, sizeof *pl);
    pl->link_nsid = -1;
    pl->self_nsid = -1;
    if (!sk) {
        return ENOMEM;
    }
    error = rdma_netns_enter(pid, &self);
    if (!error) {
        /* The socket stays in the namespace it was made in. */
        error = nl_connect(sk, NETLINK_ROUTE) ? EIO : 0;
        if (pid) {
            pl->self_nsid = peer_get_nsid(self);
        }
        rdma_netns_leave(self);
    }
    if (!error && rtnl_link_get_kernel(sk, ifindex, NULL, &link)) {
        error = ENODEV;
    }
    if (!error) {
        const char *type = rtnl_link_get_type(link);

        ovs_strlcpy(pl->name, rtnl_link_get_name(link), sizeof pl->name);
        pl->veth = type && !strcmp(type, "veth");
        pl->link = rtnl_link_get_link(link);
        if (rtnl_link_get_link_netnsid(link, &pl->link_nsid)) {
            pl->link_nsid = -1;
        }
        rtnl_link_put(link);
    }
    nl_socket_free(sk);
    return error;
}

/* Returns true if process 'pid' is in ovs-rdmad's network namespace. */
static bool
peer_same_ns(uint32_t pid)
{
    struct stat self, other;
    char path[64];

    snprintf(path, sizeof path, "/proc/%"PRIu32"/ns/net", pid);
    return (!stat(RDMA_NETNS_SELF, &self) && !stat(path, &other)
            && self.st_ino == other.st_ino && self.st_dev == other.st_dev);
}

/* The RDMA netlink rdma_qp_source_device_peer(): the netdev is looked up in
 * the namespace of 'pid' (the connection's process, which shares the
 * container's namespace with its netdev; 0, a kernel connection: the
 * initial namespace), its veth peer in ovs-rdmad's, and each end must name
 * the other. */
char *
rdma_qp_netlink_device_peer(const char *device, uint32_t pid, char **peerp)
{
    char ndev_name[RDMA_KDEV_NAME_MAX];
    struct peer_link ndev, peer;
    uint32_t ndev_index;
    int error;

    error = rdma_qp_netlink_netdev(device, pid ? pid : 1, &ndev_index,
                                   ndev_name);
    if (error) {
        return xasprintf("cannot find the netdev of RDMA device %s (%s)",
                         device, ovs_strerror(error));
    }
    error = peer_get_link(pid ? pid : 1, ndev_index, &ndev);
    if (error || strcmp(ndev.name, ndev_name)) {
        return xasprintf("cannot find netdev %s of RDMA device %s in the "
                         "network namespace of process %"PRIu32" (%s)",
                         ndev_name, device, pid ? pid : 1,
                         error ? ovs_strerror(error) : "another netdev has "
                         "its ifindex there");
    }
    if (!ndev.veth || !ndev.link) {
        return xasprintf("netdev %s of RDMA device %s is not a veth",
                         ndev_name, device);
    }
    /* Ifindexes are per namespace: the peer must be in ovs-rdmad's. */
    if (ndev.link_nsid >= 0
        ? ndev.link_nsid != ndev.self_nsid
        : !peer_same_ns(pid ? pid : 1)) {
        return xasprintf("the veth peer of netdev %s of RDMA device %s is "
                         "not in ovs-rdmad's network namespace", ndev_name,
                         device);
    }
    error = peer_get_link(0, ndev.link, &peer);
    if (error || !peer.veth || peer.link != (int) ndev_index) {
        return xasprintf("the veth peer of netdev %s of RDMA device %s "
                         "(ifindex %d) is not in ovs-rdmad's network "
                         "namespace", ndev_name, device, ndev.link);
    }
    *peerp = xstrdup(peer.name);
    return NULL;
}
