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
#include "rdma-underlay.h"
#include "rdma-underlay-provider.h"

#include <errno.h>

#include "openvswitch/vlog.h"
#include "rdma-addr.h"
#include "rdma-mapping.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_underlay);

/* The providers in use, by the kind of datapath they serve. */
enum underlay_kind {
    KIND_SYSTEM,                /* datapath_type=system. */
    KIND_NETDEV,                /* datapath_type=netdev, dummy, ... */
    N_KINDS
};

/* The provider for each kind. */
static const struct rdma_underlay_class *providers[N_KINDS] = {
    [KIND_SYSTEM] = &rdma_underlay_linux_class,
    [KIND_NETDEV] = &rdma_underlay_ovs_class,
};

/* The datapath types each kind serves, for messages. */
static const char *const kind_names[N_KINDS] = {
    [KIND_SYSTEM] = "system",
    [KIND_NETDEV] = "netdev",
};

/* Makes 'system' resolve the tunnels of datapath_type=system bridges and
 * 'netdev' those of every other bridge (a NULL argument selects the
 * built-in "linux" or "ovs" backend).  Tests, benchmarks and fuzz targets
 * select their fake here; call it before rdma_underlay_init(). */
void
rdma_underlay_set_providers(const struct rdma_underlay_class *system,
                            const struct rdma_underlay_class *netdev)
{
    providers[KIND_SYSTEM] = system ? system : &rdma_underlay_linux_class;
    providers[KIND_NETDEV] = netdev ? netdev : &rdma_underlay_ovs_class;
}

/* Returns true if providers[kind] is the same as the provider of an
 * earlier kind, so that per-provider calls skip it. */
static bool
is_repeat(int kind)
{
    int i;

    for (i = 0; i < kind; i++) {
        if (providers[i] == providers[kind]) {
            return true;
        }
    }
    return false;
}

/* Sets up every selected provider; 'vswitchd_target' names ovs-vswitchd's
 * unixctl server, for the providers that ask it.  A provider that cannot
 * be set up is logged: the tunnels it serves stay pending, with the
 * reason, until it can. */
void
rdma_underlay_init(const char *vswitchd_target)
{
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        const struct rdma_underlay_class *class = providers[kind];
        int error;

        if (is_repeat(kind) || !class->init) {
            continue;
        }
        error = class->init(vswitchd_target);
        if (error) {
            VLOG_WARN("%s underlay unavailable: %s; tunnels on %s bridges "
                      "will stay pending", class->name, ovs_strerror(error),
                      kind_names[kind]);
        }
    }
}

/* Frees what rdma_underlay_init() set up. */
void
rdma_underlay_destroy(void)
{
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (!is_repeat(kind) && providers[kind]->destroy) {
            providers[kind]->destroy();
        }
    }
}

/* Lets every provider process its change notifications. */
void
rdma_underlay_run(void)
{
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (!is_repeat(kind) && providers[kind]->run) {
            providers[kind]->run();
        }
    }
}

/* Arranges for poll_block() to wake up when rdma_underlay_run() has work. */
void
rdma_underlay_wait(void)
{
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (!is_repeat(kind) && providers[kind]->wait) {
            providers[kind]->wait();
        }
    }
}

/* Returns a number that increases whenever a provider noticed a change
 * that may change a resolved path. */
uint64_t
rdma_underlay_seqno(void)
{
    uint64_t seqno = 0;
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (!is_repeat(kind) && providers[kind]->seqno) {
            seqno += providers[kind]->seqno();
        }
    }
    return seqno;
}

/* Starts a resolution round (see rdma-underlay-provider.h): every
 * provider reads its tables anew at their next use. */
void
rdma_underlay_begin(void)
{
    int kind;

    for (kind = 0; kind < N_KINDS; kind++) {
        if (!is_repeat(kind) && providers[kind]->begin) {
            providers[kind]->begin();
        }
    }
}

/* Resolves the underlay path to tunnel 't''s remote VTEP with the provider
 * for its bridge's datapath type, in configuration snapshot 'm'.  Returns 0
 * and fills '*path', or a positive errno with a reason in '*errorp'
 * (caller frees). */
int
rdma_underlay_resolve(const struct rdma_mapping *m,
                      const struct rdma_map_tunnel *t,
                      struct rdma_underlay_path *path, char **errorp)
{
    const struct in6_addr *local = (rdma_ip_is_set(&t->local_ip)
                                    ? &t->local_ip : NULL);
    enum underlay_kind kind = (rdma_map_bridge_is_system(t->bridge)
                               ? KIND_SYSTEM : KIND_NETDEV);

    return providers[kind]->resolve(m, &t->remote_ip, local, path, errorp);
}

/* Looks up 'mac' in the MAC-learning table of 'bridge'.  The table is
 * ovs-vswitchd's for bridges of every datapath type, so the netdev
 * provider answers.  Returns 0 and the OpenFlow port in '*ofportp',
 * ENOENT if 'mac' is not there, or another positive errno. */
int
rdma_underlay_fdb_lookup(const char *bridge, struct eth_addr mac,
                         int64_t *ofportp)
{
    const struct rdma_underlay_class *class = providers[KIND_NETDEV];

    return (class->fdb_lookup
            ? class->fdb_lookup(bridge, mac, ofportp)
            : EOPNOTSUPP);
}
