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
#include "rdma-underlay-linux-private.h"

#include <errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include <string.h>

#include "packets.h"
#include "util.h"

/* The Linux underlay backend's request socket: route lookups with
 * RTM_GETROUTE (so that policy routing, metrics and source selection are
 * the kernel's own) and the address conversions they need.  The caches
 * and the resolution that uses them are rdma-underlay-linux.c's. */

/* Socket for synchronous requests: route lookups, links missing from the
 * cache, cache refills. */
static struct nl_sock *lookup_sock;

/* Callbacks for replies on 'lookup_sock'. */
static struct nl_cb *lookup_cb;

/* Returns the request socket, or NULL if it is not open. */
struct nl_sock *
rdma_ul_lookup_sock(void)
{
    return lookup_sock;
}

/* The answer to one RTM_GETROUTE request. */
struct route_reply {
    struct rtnl_route *route;   /* The route, if the kernel sent one. */
    int error;                  /* Positive errno, if the kernel failed. */
};

/* Opens the request socket.  Returns 0 or a negative libnl error. */
int
rdma_ul_lookup_open(void)
{
    int err;

    lookup_sock = nl_socket_alloc();
    lookup_cb = nl_cb_alloc(NL_CB_DEFAULT);
    if (!lookup_sock || !lookup_cb) {
        rdma_ul_lookup_close();
        return -NLE_NOMEM;
    }
    err = nl_connect(lookup_sock, NETLINK_ROUTE);
    if (err < 0) {
        rdma_ul_lookup_close();
        return err;
    }
    /* The kernel answers an RTM_GETROUTE request with exactly one message,
     * the route or an error: an acknowledgement would only arrive in a
     * datagram of its own after it, for the next request to trip over. */
    nl_socket_disable_auto_ack(lookup_sock);
    return 0;
}

/* Closes the request socket, if it is open. */
void
rdma_ul_lookup_close(void)
{
    if (lookup_sock) {
        nl_socket_free(lookup_sock);
        lookup_sock = NULL;
    }
    if (lookup_cb) {
        nl_cb_put(lookup_cb);
        lookup_cb = NULL;
    }
}

/* libnl callback for a message in reply to an RTM_GETROUTE request: parses
 * the route into the "struct route_reply" that 'reply_' points to. */
static int
route_reply_valid(struct nl_msg *msg, void *reply_)
{
    struct route_reply *reply = reply_;
    struct nlmsghdr *nlh = nlmsg_hdr(msg);

    if (nlh->nlmsg_type == RTM_NEWROUTE && !reply->route) {
        struct rtnl_route *route;

        if (!rtnl_route_parse(nlh, &route)) {
            reply->route = route;
        }
    }
    return NL_OK;
}

/* libnl callback for an error in reply to an RTM_GETROUTE request: notes
 * it in the "struct route_reply" that 'reply_' points to. */
static int
route_reply_error(struct sockaddr_nl *nla OVS_UNUSED, struct nlmsgerr *e,
                  void *reply_)
{
    struct route_reply *reply = reply_;

    reply->error = e->error < 0 ? -e->error : EPROTO;
    return NL_STOP;
}

/* Returns the bytes of 'ip', of 'family', and stores their number in
 * '*lenp'. */
const void *
rdma_ul_addr_bytes(const struct in6_addr *ip, int family, size_t *lenp)
{
    if (family == AF_INET) {
        *lenp = 4;
        return &ip->s6_addr[12];
    }
    *lenp = 16;
    return ip->s6_addr;
}

/* Stores 'addr', an IPv4 or IPv6 address, into '*ip', IPv4-mapped if it is
 * IPv4.  Returns false if 'addr' is neither. */
bool
rdma_ul_nl_addr_to_in6(struct nl_addr *addr, struct in6_addr *ip)
{
    const void *bytes;

    if (!addr) {
        return false;
    }
    bytes = nl_addr_get_binary_addr(addr);
    if (nl_addr_get_family(addr) == AF_INET && nl_addr_get_len(addr) == 4) {
        ovs_be32 ip4;

        memcpy(&ip4, bytes, sizeof ip4);
        *ip = in6_addr_mapped_ipv4(ip4);
        return true;
    } else if (nl_addr_get_family(addr) == AF_INET6
               && nl_addr_get_len(addr) == 16) {
        memcpy(ip->s6_addr, bytes, 16);
        return true;
    }
    return false;
}

/* Asks the kernel for its route to 'dst', from 'src' if nonnull, both of
 * 'family'.  On success, returns 0 and stores the route in '*routep', which
 * the caller must rtnl_route_put().  On failure returns a positive errno:
 * the kernel's if it answered with one (ENETUNREACH: no route), otherwise
 * EIO with '*nl_errp' set to the negative libnl error. */
int
rdma_ul_route_get(int family, const struct in6_addr *dst,
                  const struct in6_addr *src, struct rtnl_route **routep,
                  int *nl_errp)
{
    struct route_reply reply = { NULL, 0 };
    struct rtmsg rtm;
    struct nl_msg *msg;
    const void *bytes;
    size_t len;
    int err;

    *routep = NULL;
    *nl_errp = 0;
    if (!lookup_sock) {
        err = rdma_ul_lookup_open();
        if (err < 0) {
            *nl_errp = err;
            return EIO;
        }
    }

    bytes = rdma_ul_addr_bytes(dst, family, &len);
    memset(&rtm, 0, sizeof rtm);
    rtm.rtm_family = family;
    rtm.rtm_dst_len = len * 8;
    rtm.rtm_src_len = src ? len * 8 : 0;

    msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);
    if (!msg) {
        return ENOMEM;
    }
    err = nlmsg_append(msg, &rtm, sizeof rtm, NLMSG_ALIGNTO);
    if (!err) {
        err = nla_put(msg, RTA_DST, len, bytes);
    }
    if (!err && src) {
        err = nla_put(msg, RTA_SRC, len,
                      rdma_ul_addr_bytes(src, family, &len));
    }
    if (!err) {
        err = nl_send_auto(lookup_sock, msg);
    }
    nlmsg_free(msg);

    if (err >= 0) {
        nl_cb_set(lookup_cb, NL_CB_VALID, NL_CB_CUSTOM, route_reply_valid,
                  &reply);
        nl_cb_err(lookup_cb, NL_CB_CUSTOM, route_reply_error, &reply);
        do {
            err = nl_recvmsgs(lookup_sock, lookup_cb);
        } while (err >= 0 && !reply.route && !reply.error);
    }

    if (reply.error) {
        if (reply.route) {
            rtnl_route_put(reply.route);
        }
        return reply.error;
    } else if (err < 0 || !reply.route) {
        if (reply.route) {
            rtnl_route_put(reply.route);
        }
        /* The socket may hold the rest of a reply: start afresh next
         * time. */
        rdma_ul_lookup_close();
        *nl_errp = err < 0 ? err : -NLE_OBJ_NOTFOUND;
        return EIO;
    }
    *routep = reply.route;
    return 0;
}
