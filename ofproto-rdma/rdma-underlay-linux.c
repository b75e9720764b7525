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
#include "rdma-underlay-linux.h"
#include "rdma-underlay-linux-private.h"
#include "rdma-underlay-provider.h"

#include <errno.h>
#include <net/if_arp.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>

#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-underlay.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_underlay_linux);

/* IFF_LOWER_UP ("carrier"), which <net/if.h> lacks. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* Neighbour states in which the kernel transmits to the neighbour's
 * link-layer address without resolving it first. */
#define USABLE_NUD_STATES (NUD_REACHABLE | NUD_STALE | NUD_DELAY       \
                           | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)

/* Receive buffer of the notification socket, so that a burst of changes
 * (a link going down takes its routes and neighbours with it) does not
 * overflow it. */
#define NOTIFY_RCVBUF (4 * 1024 * 1024)

/* Cache manager that keeps the caches below up to date from the kernel's
 * rtnetlink notifications, on 'notify_sock'. */
static struct nl_cache_mngr *mngr;
static struct nl_sock *notify_sock;

/* Caches owned by 'mngr'. */
static struct nl_cache *link_cache;   /* "route/link": devices. */
static struct nl_cache *addr_cache;   /* "route/addr": addresses. */
static struct nl_cache *neigh_cache;  /* "route/neigh": ARP and ND. */
static struct nl_cache *route_cache;  /* "route/route": notifications only. */

/* Increases on every change that can affect a path. */
static uint64_t seqno;

/* Rate limit for log messages about netlink trouble. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Returns the name of 'cache', one of ours, for log messages. */
static const char *
cache_name(const struct nl_cache *cache)
{
    return (cache == link_cache ? "route/link"
            : cache == addr_cache ? "route/addr"
            : cache == neigh_cache ? "route/neigh"
            : cache == route_cache ? "route/route"
            : "unknown cache");
}

/* Returns true and stores the Ethernet address of 'neigh' in '*mac' if the
 * kernel would send to 'neigh' without resolving it first. */
static bool
neigh_is_usable(struct rtnl_neigh *neigh, struct eth_addr *mac)
{
    int state = rtnl_neigh_get_state(neigh);
    struct nl_addr *lladdr = rtnl_neigh_get_lladdr(neigh);

    if (state < 0 || !(state & USABLE_NUD_STATES)
        || !lladdr || nl_addr_get_len(lladdr) != ETH_ADDR_LEN) {
        return false;
    }
    memcpy(mac->ea, nl_addr_get_binary_addr(lladdr), ETH_ADDR_LEN);
    return !eth_addr_is_zero(*mac);
}

/* Returns true if a change of a neighbour from 'old' to 'new' can change a
 * path: its usability or its MAC.  A neighbour that goes from REACHABLE to
 * STALE and back, as every neighbour in use does, changes neither. */
static bool
neigh_change_matters(struct rtnl_neigh *old, struct rtnl_neigh *new)
{
    struct eth_addr old_mac = eth_addr_zero, new_mac = eth_addr_zero;
    bool old_usable = neigh_is_usable(old, &old_mac);
    bool new_usable = neigh_is_usable(new, &new_mac);

    return old_usable != new_usable || !eth_addr_equals(old_mac, new_mac);
}

/* libnl cache manager callback: notes that object 'old' became 'new' in
 * 'cache' ('action' is NL_ACT_NEW, NL_ACT_DEL or NL_ACT_CHANGE). */
static void
underlay_changed(struct nl_cache *cache, struct nl_object *old,
                 struct nl_object *new, uint64_t diff OVS_UNUSED,
                 int action, void *aux OVS_UNUSED)
{
    if (action == NL_ACT_CHANGE && old && new && cache == neigh_cache
        && !neigh_change_matters((struct rtnl_neigh *) old,
                                 (struct rtnl_neigh *) new)) {
        return;
    }
    seqno++;
    VLOG_DBG("%s: %s (seqno %"PRIu64")", cache_name(cache),
             action == NL_ACT_NEW ? "new"
             : action == NL_ACT_DEL ? "deleted" : "changed", seqno);
}

/* Adds a cache of type 'name' (e.g. "route/link") to 'mngr' and stores it
 * in '*cachep'.  Returns 0 or a negative libnl error. */
static int
add_cache(const char *name, struct nl_cache **cachep)
{
    struct nl_cache *cache;
    int err;

    err = nl_cache_alloc_name(name, &cache);
    if (err < 0) {
        return err;
    }
    err = nl_cache_mngr_add_cache_v2(mngr, cache, underlay_changed, NULL);
    if (err < 0) {
        nl_cache_free(cache);
        return err;
    }
    *cachep = cache;
    return 0;
}

/* Sets up the cache manager with its route, neighbour, link and address
 * caches, and the socket for route lookups.  Does nothing if already set
 * up.  Returns 0 or a positive errno. */
int
rdma_underlay_linux_init(void)
{
    int err;

    if (mngr) {
        return 0;
    }

    notify_sock = nl_socket_alloc();
    if (!notify_sock) {
        return ENOMEM;
    }
    err = nl_cache_mngr_alloc(notify_sock, NETLINK_ROUTE, 0, &mngr);
    if (err < 0) {
        VLOG_ERR("cannot create netlink cache manager: %s",
                 nl_geterror(err));
        nl_socket_free(notify_sock);
        notify_sock = NULL;
        return EIO;
    }
    err = nl_socket_set_buffer_size(notify_sock, NOTIFY_RCVBUF, 0);
    if (err < 0) {
        VLOG_WARN("cannot enlarge netlink notification buffer: %s",
                  nl_geterror(err));
    }

    err = add_cache("route/link", &link_cache);
    if (!err) {
        err = add_cache("route/addr", &addr_cache);
    }
    if (!err) {
        err = add_cache("route/neigh", &neigh_cache);
    }
    if (!err) {
        err = add_cache("route/route", &route_cache);
    }
    if (!err) {
        err = rdma_ul_lookup_open();
    }
    if (err) {
        VLOG_ERR("cannot set up netlink caches: %s", nl_geterror(err));
        rdma_underlay_linux_destroy();
        return EIO;
    }

    seqno++;
    return 0;
}

/* Reloads every cache from the kernel, after notifications were lost. */
static void
resync_caches(void)
{
    struct nl_cache *caches[] = {
        link_cache, addr_cache, neigh_cache, route_cache
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(caches); i++) {
        int err = nl_cache_refill(rdma_ul_lookup_sock(), caches[i]);
        if (err < 0) {
            VLOG_WARN_RL(&rl, "cannot reload %s: %s",
                         cache_name(caches[i]), nl_geterror(err));
            rdma_ul_lookup_close();
            if (rdma_ul_lookup_open()) {
                break;
            }
        }
    }
    seqno++;
}

/* Returns true if 'fd' has something to read now.  (Asking costs one
 * poll(); letting libnl find out costs a failed recvmsg() and a buffer
 * allocation, in every main loop iteration, most of which are for other
 * modules.) */
static bool
fd_is_readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, 0) != 0;
}

/* Processes the notifications that the kernel has sent since the last
 * call. */
void
rdma_underlay_linux_run(void)
{
    int err;

    if (!mngr || !fd_is_readable(nl_cache_mngr_get_fd(mngr))) {
        return;
    }
    err = nl_cache_mngr_data_ready(mngr);
    if (err < 0 && err != -NLE_AGAIN) {
        /* Most likely ENOBUFS (libnl reports NLE_NOMEM): the kernel dropped
         * notifications, so the caches may be stale. */
        VLOG_WARN_RL(&rl, "netlink notifications lost (%s), reloading",
                     nl_geterror(err));
        resync_caches();
    }
}

/* Arranges for poll_block() to wake up when the kernel sends a
 * notification. */
void
rdma_underlay_linux_wait(void)
{
    if (mngr) {
        poll_fd_wait(nl_cache_mngr_get_fd(mngr), POLLIN);
    }
}

/* Frees everything that rdma_underlay_linux_init() set up. */
void
rdma_underlay_linux_destroy(void)
{
    rdma_ul_lookup_close();
    if (mngr) {
        /* Frees the caches too. */
        nl_cache_mngr_free(mngr);
        mngr = NULL;
    }
    if (notify_sock) {
        nl_socket_free(notify_sock);
        notify_sock = NULL;
    }
    link_cache = addr_cache = neigh_cache = route_cache = NULL;
}

/* Returns a number that increases whenever a route, neighbour, link or
 * address changes in a way that may change a resolved path. */
uint64_t
rdma_underlay_linux_seqno(void)
{
    return seqno;
}

/* Address lookups in 'addr_cache'. */

/* Address flags that make an address unusable as a source. */
#define UNUSABLE_IFA_FLAGS (IFA_F_TENTATIVE | IFA_F_DADFAILED)

/* Looks for 'ip', of 'family', among the host's addresses.  Returns 0 if it
 * is configured and usable, EADDRNOTAVAIL if it is not configured,
 * EAGAIN if it is configured but not usable (tentative or duplicate). */
static int
find_local_addr(const struct in6_addr *ip, int family)
{
    struct nl_object *obj;
    const void *bytes;
    size_t len;
    int error = EADDRNOTAVAIL;

    bytes = rdma_ul_addr_bytes(ip, family, &len);
    for (obj = nl_cache_get_first(addr_cache); obj;
         obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *addr = (struct rtnl_addr *) obj;
        struct nl_addr *local = rtnl_addr_get_local(addr);

        if (rtnl_addr_get_family(addr) == family && local
            && nl_addr_get_len(local) == len
            && !memcmp(nl_addr_get_binary_addr(local), bytes, len)) {
            if (!(rtnl_addr_get_flags(addr) & UNUSABLE_IFA_FLAGS)) {
                return 0;
            }
            error = EAGAIN;
        }
    }
    return error;
}

/* Finds the primary address of 'family' on device 'ifindex', preferring
 * global scope, and stores it in '*ip'.  Returns true if there is one. */
static bool
find_primary_addr(int ifindex, int family, struct in6_addr *ip)
{
    struct nl_object *obj;
    bool found = false;

    for (obj = nl_cache_get_first(addr_cache); obj;
         obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *addr = (struct rtnl_addr *) obj;

        if (rtnl_addr_get_ifindex(addr) == ifindex
            && rtnl_addr_get_family(addr) == family
            && !(rtnl_addr_get_flags(addr)
                 & (UNUSABLE_IFA_FLAGS | IFA_F_SECONDARY))
            && rdma_ul_nl_addr_to_in6(rtnl_addr_get_local(addr), ip)) {
            found = true;
            if (rtnl_addr_get_scope(addr) < RT_SCOPE_LINK) {
                return true;
            }
        }
    }
    return found;
}

/* Resolution. */

/* Sets '*errorp' to a malloc'd string formatted from 'format' and returns
 * 'error'. */
static int OVS_PRINTF_FORMAT(3, 4)
fail(int error, char **errorp, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    *errorp = xvasprintf(format, args);
    va_end(args);
    return error;
}

/* Returns the device with 'ifindex', from the cache or, if the cache does
 * not have it yet, from the kernel, or NULL.  The caller must
 * rtnl_link_put() it. */
static struct rtnl_link *
get_link(int ifindex)
{
    struct rtnl_link *link = rtnl_link_get(link_cache, ifindex);
    struct nl_sock *sock = rdma_ul_lookup_sock();

    if (!link && sock
        && rtnl_link_get_kernel(sock, ifindex, NULL, &link) < 0) {
        link = NULL;
    }
    return link;
}

/* Fills in the device attributes of '*path' from 'link', and the MTU also
 * from 'route'.  Returns 0 or a positive errno with '*errorp' set. */
static int
fill_link(struct rtnl_link *link, struct rtnl_route *route,
          struct rdma_underlay_path *path, char **errorp)
{
    unsigned int flags = rtnl_link_get_flags(link);
    struct nl_addr *mac = rtnl_link_get_addr(link);
    const char *name = rtnl_link_get_name(link);
    uint32_t route_mtu;

    ovs_strlcpy(path->dev, name ? name : "", sizeof path->dev);
    if (!(flags & IFF_UP)) {
        return fail(ENETDOWN, errorp, "egress device %s is down",
                    path->dev);
    }
    if (!(flags & IFF_LOWER_UP)) {
        return fail(ENETDOWN, errorp, "egress device %s has no carrier",
                    path->dev);
    }
    if (rtnl_link_get_arptype(link) != ARPHRD_ETHER
        || !mac || nl_addr_get_len(mac) != ETH_ADDR_LEN) {
        return fail(EOPNOTSUPP, errorp,
                    "egress device %s is not an Ethernet device",
                    path->dev);
    }
    memcpy(path->local_mac.ea, nl_addr_get_binary_addr(mac), ETH_ADDR_LEN);

    if (rtnl_link_is_vlan(link)) {
        int vid = rtnl_link_vlan_get_id(link);
        path->vlan = vid > 0 ? vid : 0;
    }

    path->mtu = rtnl_link_get_mtu(link);
    if (!rtnl_route_get_metric(route, RTAX_MTU, &route_mtu)
        && route_mtu && route_mtu < path->mtu) {
        path->mtu = route_mtu;
    }
    return 0;
}

/* Asks the kernel to resolve neighbour 'dst' on device 'ifindex', as if it
 * had a packet to send to it (NTF_USE), so that a next hop that nothing
 * else talks to gets resolved too.  The kernel's change notification then
 * reports the outcome. */
static void
solicit_neigh(int ifindex, struct nl_addr *dst)
{
    struct nl_sock *sock = rdma_ul_lookup_sock();
    struct rtnl_neigh *neigh;
    struct nl_msg *msg;
    int err;

    if (!sock) {
        return;
    }
    neigh = rtnl_neigh_alloc();
    if (!neigh) {
        return;
    }
    rtnl_neigh_set_ifindex(neigh, ifindex);
    rtnl_neigh_set_dst(neigh, dst);
    rtnl_neigh_set_state(neigh, NUD_NONE);
    rtnl_neigh_set_flags(neigh, NTF_USE);
    err = rtnl_neigh_build_add_request(neigh, NLM_F_CREATE | NLM_F_REPLACE,
                                       &msg);
    rtnl_neigh_put(neigh);
    if (err < 0) {
        return;
    }

    /* The request socket does not ask for acks by default, so ask for one
     * here: otherwise an error would be left behind for the next route
     * lookup to read. */
    nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
    err = nl_send_auto(sock, msg);
    nlmsg_free(msg);
    if (err >= 0) {
        err = nl_wait_for_ack(sock);
    }
    if (err < 0) {
        VLOG_DBG_RL(&rl, "cannot ask the kernel to resolve a neighbour on "
                    "ifindex %d: %s", ifindex, nl_geterror(err));
        /* Whatever the kernel may still send belongs to no request: start
         * afresh next time. */
        rdma_ul_lookup_close();
    }
}

/* Looks up the neighbour 'ip' on device 'ifindex' and, if it is usable,
 * stores its MAC in 'path'.  If it is missing or failed, asks the kernel
 * to resolve it. */
static void
fill_neigh(int ifindex, const struct in6_addr *ip,
           struct rdma_underlay_path *path)
{
    int family = IN6_IS_ADDR_V4MAPPED(ip) ? AF_INET : AF_INET6;
    struct rtnl_neigh *neigh;
    struct nl_addr *dst;
    const void *bytes;
    size_t len;

    bytes = rdma_ul_addr_bytes(ip, family, &len);
    dst = nl_addr_build(family, bytes, len);
    if (!dst) {
        return;
    }
    neigh = rtnl_neigh_get(neigh_cache, ifindex, dst);
    if (neigh) {
        int state = rtnl_neigh_get_state(neigh);

        path->nexthop_mac_known = neigh_is_usable(neigh, &path->nexthop_mac);
        if (!path->nexthop_mac_known && (state <= 0 || state & NUD_FAILED)) {
            solicit_neigh(ifindex, dst);
        }
        rtnl_neigh_put(neigh);
    } else {
        solicit_neigh(ifindex, dst);
    }
    nl_addr_put(dst);
}

/* Checks that 'local', the tunnel's configured local_ip, can be the source
 * of a path of 'family' to 'remote_s': same family, and configured and
 * usable on an interface.  Returns 0 or a positive errno with '*errorp'
 * set. */
static int
check_local_ip(const struct in6_addr *local, int family,
               const char *remote_s, char **errorp)
{
    char local_s[INET6_ADDRSTRLEN];
    int error;

    ipv6_string_mapped(local_s, local);
    if (IN6_IS_ADDR_V4MAPPED(local) != (family == AF_INET)) {
        return fail(EINVAL, errorp, "local_ip %s and remote_ip %s are in "
                    "different address families", local_s, remote_s);
    }
    error = find_local_addr(local, family);
    if (error == EADDRNOTAVAIL) {
        return fail(error, errorp, "local_ip %s is not configured on any "
                    "interface", local_s);
    } else if (error) {
        return fail(error, errorp, "local_ip %s is not usable yet "
                    "(tentative or duplicate address)", local_s);
    }
    return 0;
}

/* Asks the kernel for its route to 'remote' (named 'remote_s' in
 * messages), from 'local' if nonnull, both of 'family', and checks that it
 * is a unicast route.  Returns 0 and the route in '*routep' (the caller
 * rtnl_route_put()s it), or a positive errno with '*errorp' set. */
static int
get_unicast_route(int family, const struct in6_addr *remote,
                  const struct in6_addr *local, const char *remote_s,
                  struct rtnl_route **routep, char **errorp)
{
    struct rtnl_route *route;
    int error, nl_err;

    error = rdma_ul_route_get(family, remote, local, &route, &nl_err);
    if (error == ENETUNREACH || error == EHOSTUNREACH) {
        return fail(error, errorp, "no route to %s", remote_s);
    } else if (error == EIO && nl_err) {
        return fail(error, errorp, "route lookup for %s failed (%s)",
                    remote_s, nl_geterror(nl_err));
    } else if (error) {
        return fail(error, errorp, "route lookup for %s failed (%s)",
                    remote_s, ovs_strerror(error));
    }

    if (rtnl_route_get_type(route) == RTN_LOCAL) {
        error = fail(EINVAL, errorp, "remote_ip %s is a local address",
                     remote_s);
    } else if (rtnl_route_get_type(route) != RTN_UNICAST) {
        char type[32];

        error = fail(EHOSTUNREACH, errorp, "route to %s is of type %s",
                     remote_s, nl_rtntype2str(rtnl_route_get_type(route),
                                              type, sizeof type));
    }
    if (error) {
        rtnl_route_put(route);
        return error;
    }
    *routep = route;
    return 0;
}

/* Fills '*path' from 'route', the kernel's unicast route to 'remote'
 * (named 'remote_s' in messages) of 'family', from 'local' if nonnull:
 * next hop, egress device, source address and the next hop's MAC.
 * Returns 0 or a positive errno with '*errorp' set. */
static int
fill_from_route(struct rtnl_route *route, const struct in6_addr *remote,
                const struct in6_addr *local, int family,
                const char *remote_s, struct rdma_underlay_path *path,
                char **errorp)
{
    struct rtnl_nexthop *nh;
    struct rtnl_link *link;
    struct in6_addr gw;
    int ifindex, error;

    nh = rtnl_route_nexthop_n(route, 0);
    ifindex = nh ? rtnl_route_nh_get_ifindex(nh) : 0;
    if (ifindex <= 0) {
        return fail(EHOSTUNREACH, errorp, "route to %s has no egress "
                    "device", remote_s);
    }

    /* Next hop: the gateway (possibly of the other family, with RTA_VIA),
     * else the remote VTEP itself. */
    if (rdma_ul_nl_addr_to_in6(rtnl_route_nh_get_gateway(nh), &gw)
        || rdma_ul_nl_addr_to_in6(rtnl_route_nh_get_via(nh), &gw)) {
        path->nexthop_ip = gw;
    } else {
        path->nexthop_ip = *remote;
    }

    link = get_link(ifindex);
    if (!link) {
        return fail(ENODEV, errorp, "egress device with ifindex %d of the "
                    "route to %s does not exist", ifindex, remote_s);
    }
    error = fill_link(link, route, path, errorp);
    rtnl_link_put(link);
    if (error) {
        return error;
    }

    /* Source address. */
    if (local) {
        path->local_ip = *local;
    } else if (!rdma_ul_nl_addr_to_in6(rtnl_route_get_pref_src(route),
                                       &path->local_ip)
               && !find_primary_addr(ifindex, family, &path->local_ip)) {
        return fail(EADDRNOTAVAIL, errorp, "egress device %s has no %s "
                    "address", path->dev,
                    family == AF_INET ? "IPv4" : "IPv6");
    }

    fill_neigh(ifindex, &path->nexthop_ip, path);
    return 0;
}

/* Resolves the underlay path to 'remote', an IPv4-mapped or IPv6 address,
 * through the kernel's routing tables.
 *
 * If 'local' is nonnull and set, it is the tunnel's configured local_ip:
 * it must be configured on one of the host's interfaces, it becomes the
 * path's source address, and it takes part in the route lookup as the
 * source (for policy routing).
 *
 * Returns 0 and fills in '*path' (whose 'nexthop_mac_known' may be false:
 * the caller keeps its entry pending until a later call finds the MAC), or
 * a positive errno with '*errorp' set to a malloc'd, human-readable
 * reason, which the caller must free.  '*errorp' is NULL on success. */
int
rdma_underlay_linux_resolve(const struct in6_addr *remote,
                            const struct in6_addr *local,
                            struct rdma_underlay_path *path, char **errorp)
{
    char remote_s[INET6_ADDRSTRLEN];
    struct rtnl_route *route = NULL;
    int family, error;

    memset(path, 0, sizeof *path);
    *errorp = NULL;

    if (!rdma_ip_is_set(remote)) {
        return fail(EINVAL, errorp, "remote_ip is not set");
    }
    ipv6_string_mapped(remote_s, remote);
    family = IN6_IS_ADDR_V4MAPPED(remote) ? AF_INET : AF_INET6;

    if (!mngr) {
        error = rdma_underlay_linux_init();
        if (error) {
            return fail(error, errorp, "cannot read the kernel's routing "
                        "tables (%s)", ovs_strerror(error));
        }
    }

    if (local && !rdma_ip_is_set(local)) {
        local = NULL;
    }
    if (local) {
        error = check_local_ip(local, family, remote_s, errorp);
        if (error) {
            return error;
        }
    }
    error = get_unicast_route(family, remote, local, remote_s, &route,
                              errorp);
    if (error) {
        return error;
    }

    error = fill_from_route(route, remote, local, family, remote_s, path,
                            errorp);
    rtnl_route_put(route);
    return error;
}

/* The class's 'init': the Linux backend asks the kernel, not
 * ovs-vswitchd. */
static int
linux_class_init(const char *vswitchd_target OVS_UNUSED)
{
    return rdma_underlay_linux_init();
}

/* The class's 'resolve': the kernel's tables, not the configuration. */
static int
linux_class_resolve(const struct rdma_mapping *m OVS_UNUSED,
                    const struct in6_addr *remote,
                    const struct in6_addr *local,
                    struct rdma_underlay_path *path, char **errorp)
{
    return rdma_underlay_linux_resolve(remote, local, path, errorp);
}

/* The Linux backend as an underlay provider. */
const struct rdma_underlay_class rdma_underlay_linux_class = {
    .name = "linux",
    .init = linux_class_init,
    .destroy = rdma_underlay_linux_destroy,
    .begin = NULL,
    .resolve = linux_class_resolve,
    .fdb_lookup = NULL,
    .run = rdma_underlay_linux_run,
    .wait = rdma_underlay_linux_wait,
    .seqno = rdma_underlay_linux_seqno,
};
