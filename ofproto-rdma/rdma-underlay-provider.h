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

#ifndef RDMA_UNDERLAY_PROVIDER_H
#define RDMA_UNDERLAY_PROVIDER_H 1

/* The underlay interface: what an underlay backend implements.
 *
 * An underlay backend ("provider") answers, for a remote VTEP, the
 * underlay half of a tuple (struct rdma_underlay_path): source address,
 * egress device, its MAC, VLAN and MTU, and the next hop's MAC.  Clients
 * (the resolver and the engine) never call a provider directly: they use
 * the wrappers in rdma-underlay.h, which pick the provider by the tunnel
 * bridge's datapath type (Documentation/design.rst, section "Underlay
 * resolution") and turn a NULL op into a harmless default.
 *
 * Providers:
 *
 *   - "linux" (rdma-underlay-linux.c): the kernel's routing, neighbour and
 *     link tables through libnl-3, for datapath_type=system;
 *
 *   - "ovs" (rdma-underlay-ovs.c): ovs-vswitchd's own tables over its
 *     unixctl socket, for datapath_type=netdev (and dummy); it also owns
 *     the MAC-learning table lookup, for bridges of every type;
 *
 *   - "fake" (tests/fake-underlay.c): a fixed answer for unit tests,
 *     benchmarks and fuzzing, selected with rdma_underlay_set_providers().
 *
 *
 * Life cycle
 * ==========
 *
 * rdma_underlay_init() calls 'init' once on each selected provider, then
 * the main loop calls rdma_underlay_run() (each provider's 'run') once per
 * iteration and rdma_underlay_wait() (each 'wait') just before
 * poll_block(); rdma_underlay_destroy() calls 'destroy' at exit.  Between
 * those, a client brackets each resolution round (recomputing a set of
 * paths at once) with one 'begin': a provider may cache what it reads
 * (e.g. a whole neighbour table) from one 'begin' to the next, so that a
 * round of N paths costs one read, not N.
 *
 * Providers keep their state in static variables: there is one instance
 * of each, used from the main thread only.
 *
 *
 * Which ops may be NULL
 * =====================
 *
 * 'name' and 'resolve' are required.  Every other member may be NULL:
 * 'init' then succeeds, 'fdb_lookup' returns EOPNOTSUPP, 'seqno' counts as
 * 0, and the others do nothing.
 *
 *
 * Errors
 * ======
 *
 * Ops return 0 or a positive errno.  For 'resolve', ECONNREFUSED, ENOENT
 * and EPIPE mean "the source of the tables cannot be asked now" (the
 * resolver then keeps the last good path); any other errno is a reason
 * why the path cannot work as configured. */

#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/types.h"

struct rdma_mapping;
struct rdma_underlay_path;

/* An underlay backend. */
struct rdma_underlay_class {
    /* Name, for messages: "linux", "ovs", "fake". */
    const char *name;

    /* Sets the provider up.  'vswitchd_target' names ovs-vswitchd's
     * unixctl server (a socket path, or a daemon name found through its
     * pidfile), for providers that ask it.  Returns 0 or a positive errno;
     * a provider that fails to initialize still answers 'resolve', with
     * the reason. */
    int (*init)(const char *vswitchd_target);

    /* Frees everything 'init' set up. */
    void (*destroy)(void);

    /* Starts a resolution round: what the provider cached since the last
     * 'begin' is read anew by the next lookups. */
    void (*begin)(void);

    /* Resolves the underlay path to 'remote' (IPv4-mapped or IPv6) into
     * '*path'.  'local', if nonnull, is the tunnel's options:local_ip,
     * which becomes the source address.  'm' is the configuration
     * snapshot (some providers take the egress device's attributes from
     * it).  Returns 0 and fills '*path' ('nexthop_mac_known' false while
     * the neighbour is unresolved), or a positive errno with a reason in
     * '*errorp' (caller frees). */
    int (*resolve)(const struct rdma_mapping *m,
                   const struct in6_addr *remote,
                   const struct in6_addr *local,
                   struct rdma_underlay_path *path, char **errorp);

    /* Looks up 'mac' in the MAC-learning table of 'bridge'.  Returns 0 and
     * the OpenFlow port it was learned on in '*ofportp', ENOENT if it is
     * not there, or another positive errno if the table cannot be read. */
    int (*fdb_lookup)(const char *bridge, struct eth_addr mac,
                      int64_t *ofportp);

    /* Processes change notifications; called once per main-loop
     * iteration. */
    void (*run)(void);

    /* Arranges for poll_block() to wake up when 'run' has work. */
    void (*wait)(void);

    /* Returns a number that increases whenever something changed that may
     * change a resolved path; a provider that cannot notice changes (the
     * client polls it instead) leaves this NULL. */
    uint64_t (*seqno)(void);
};

extern const struct rdma_underlay_class rdma_underlay_linux_class;
extern const struct rdma_underlay_class rdma_underlay_ovs_class;

#endif /* rdma-underlay-provider.h */
