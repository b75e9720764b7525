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

#include "rdma-kneigh.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/route/neighbour.h>

#include "packets.h"
#include "rdma-netns.h"
#include "util.h"

/* A network namespace's neighbour table. */
struct kneigh_ns {
    uint32_t pid;               /* A process in it (0: ovs-rdmad's own). */
    struct nl_cache *cache;     /* Its neighbours, or NULL if unreadable. */
};

/* Neighbour tables read since the last flush. */
struct rdma_kneigh_cache {
    struct kneigh_ns *nss;      /* The tables. */
    size_t n_nss, allocated_nss;
};

/* Creates an empty cache. */
struct rdma_kneigh_cache *
rdma_kneigh_cache_create(void)
{
    return xzalloc(sizeof(struct rdma_kneigh_cache));
}

/* Frees the tables of 'c'. */
void
rdma_kneigh_cache_flush(struct rdma_kneigh_cache *c)
{
    size_t i;

    for (i = 0; i < c->n_nss; i++) {
        if (c->nss[i].cache) {
            nl_cache_free(c->nss[i].cache);
        }
    }
    c->n_nss = 0;
}

/* Destroys 'c'. */
void
rdma_kneigh_cache_destroy(struct rdma_kneigh_cache *c)
{
    if (c) {
        rdma_kneigh_cache_flush(c);
        free(c->nss);
        free(c);
    }
}

/* Returns the neighbour table of the namespace of process 'pid' (0:
 * ovs-rdmad's own), reading it if 'c' does not have it yet. */
static struct kneigh_ns *
kneigh_get_ns(struct rdma_kneigh_cache *c, uint32_t pid)
{
    struct nl_sock *sk;
    struct kneigh_ns *ns;
    int self = -1;
    bool ok;
    size_t i;

    for (i = 0; i < c->n_nss; i++) {
        if (c->nss[i].pid == pid) {
            return &c->nss[i];
        }
    }
    sk = nl_socket_alloc();
    ok = sk != NULL && !rdma_netns_enter(pid, &self);
    if (ok) {
        /* The socket stays in the namespace it was made in. */
        ok = !nl_connect(sk, NETLINK_ROUTE);
        rdma_netns_leave(self);
    }
    if (c->n_nss >= c->allocated_nss) {
        c->nss = x2nrealloc(c->nss, &c->allocated_nss, sizeof *c->nss);
    }
    ns = &c->nss[c->n_nss++];
    ns->pid = pid;
    ns->cache = NULL;
    if (ok && rtnl_neigh_alloc_cache(sk, &ns->cache)) {
        ns->cache = NULL;
    }
    if (sk) {
        nl_socket_free(sk);
    }
    return ns;
}

/* Stores in '*n' the usable entry 'obj' (reachable, stale, ..., with a
 * MAC) of ifindex 'ifindex' (0: any).  Returns true if it is one. */
static bool
kneigh_parse(struct nl_object *obj, uint32_t ifindex, struct rdma_kneigh *n)
{
    struct rtnl_neigh *rn = (struct rtnl_neigh *) obj;
    struct nl_addr *dst = rtnl_neigh_get_dst(rn);
    struct nl_addr *ll = rtnl_neigh_get_lladdr(rn);
    int state = rtnl_neigh_get_state(rn);

    if (!dst || !ll || nl_addr_get_len(ll) != ETH_ADDR_LEN
        || (ifindex && rtnl_neigh_get_ifindex(rn) != (int) ifindex)
        || !(state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE
                      | NUD_PERMANENT | NUD_NOARP))) {
        return false;
    }
    if (nl_addr_get_family(dst) == AF_INET && nl_addr_get_len(dst) == 4) {
        ovs_be32 v4;

        memcpy(&v4, nl_addr_get_binary_addr(dst), 4);
        n->ip = in6_addr_mapped_ipv4(v4);
    } else if (nl_addr_get_family(dst) == AF_INET6
               && nl_addr_get_len(dst) == 16) {
        memcpy(&n->ip, nl_addr_get_binary_addr(dst), 16);
    } else {
        return false;
    }
    memcpy(&n->mac, nl_addr_get_binary_addr(ll), ETH_ADDR_LEN);
    return !eth_addr_is_zero(n->mac);
}

/* Stores in '*nsp' and '*np' (the caller frees '*nsp') the usable
 * neighbour entries of interface 'ifindex' (0: every interface) in the
 * namespace of process 'pid' (0: ovs-rdmad's own). */
void
rdma_kneigh_list(struct rdma_kneigh_cache *c, uint32_t pid,
                 uint32_t ifindex, struct rdma_kneigh **nsp, size_t *np)
{
    size_t allocated = 0;
    struct kneigh_ns *ns;
    struct nl_object *obj;

    *nsp = NULL;
    *np = 0;
    if (rdma_qp_source_type() == RDMA_QP_SOURCE_FAKE) {
        rdma_qp_source_fake_neighbours(nsp, np);
        return;
    }
    ns = kneigh_get_ns(c, pid);
    if (!ns->cache) {
        return;
    }
    for (obj = nl_cache_get_first(ns->cache); obj;
         obj = nl_cache_get_next(obj)) {
        struct rdma_kneigh n;

        if (kneigh_parse(obj, ifindex, &n)) {
            if (*np >= allocated) {
                *nsp = x2nrealloc(*nsp, &allocated, sizeof **nsp);
            }
            (*nsp)[(*np)++] = n;
        }
    }
}

/* Looks up the MAC of 'ip' in the neighbour table of the network namespace
 * of process 'pid' (0: ovs-rdmad's own).  Returns true and the MAC in
 * '*mac' if it has a usable entry. */
bool
rdma_kneigh_lookup(struct rdma_kneigh_cache *c, uint32_t pid,
                   const struct in6_addr *ip, struct eth_addr *mac)
{
    struct rdma_kneigh *ns;
    bool found = false;
    size_t n, i;

    rdma_kneigh_list(c, pid, 0, &ns, &n);
    for (i = 0; i < n; i++) {
        if (ipv6_addr_equals(&ns[i].ip, ip)) {
            *mac = ns[i].mac;
            found = true;
            break;
        }
    }
    free(ns);
    return found;
}
