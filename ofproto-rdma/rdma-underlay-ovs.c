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
#include "rdma-underlay-ovs.h"
#include "rdma-underlay-provider.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-mapping.h"
#include "rdma-underlay.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_underlay_ovs);

COVERAGE_DEFINE(rdma_underlay_ovs_call);

/* Name ("ovs-vswitchd") or socket path of ovs-vswitchd's unixctl server. */
static char *target;

/* Open connection to ovs-vswitchd, or NULL. */
static struct jsonrpc *client;

/* "tnl/neigh/show" output fetched since the last ovs_begin(),
 * or NULL. */
static char *neigh_table;

/* "fdb/show" output per bridge fetched since the last begin: bridge name
 * -> malloc'd table.  MAC learning is read once per bridge per round,
 * however many bindings it chooses tunnels for. */
static struct shash fdb_tables = SHASH_INITIALIZER(&fdb_tables);

/* Route lookups ("ovs/route/lookup") kept across rounds: remote VTEP (the
 * string looked up) -> malloc'd result.  They stay valid while
 * ovs-vswitchd's route table ("ovs/route/show", 'route_table') does not
 * change, which each round checks once, so a round in which nothing
 * changed costs two calls (routes and neighbours) however many paths
 * there are. */
static struct shash route_cache = SHASH_INITIALIZER(&route_cache);

/* The "ovs/route/show" output that 'route_cache' is valid for, or NULL. */
static char *route_table;

/* Whether this round has compared the route table yet. */
static bool route_table_checked;

/* Sets up the backend to talk to 'vswitchd_target': a unixctl socket path
 * (containing '/') or a daemon name found through its pidfile in
 * $OVS_RUNDIR, as ovs-appctl -t does. */
void
rdma_underlay_ovs_init(const char *vswitchd_target)
{
    target = xstrdup(vswitchd_target ? vswitchd_target : "ovs-vswitchd");
}

/* Closes the connection to ovs-vswitchd. */
void
rdma_underlay_ovs_destroy(void)
{
    jsonrpc_close(client);
    client = NULL;
    free(neigh_table);
    neigh_table = NULL;
    shash_clear_free_data(&fdb_tables);
    shash_clear_free_data(&route_cache);
    free(route_table);
    route_table = NULL;
    route_table_checked = false;
    free(target);
    target = NULL;
}

/* Connects to ovs-vswitchd if not connected.  Returns 0 or an errno. */
static int
connect_vswitchd(void)
{
    char *path;
    int error;

    if (client) {
        return 0;
    } else if (!target) {
        return ENOTCONN;        /* rdma_underlay_ovs_init() not called. */
    }
    if (strchr(target, '/')) {
        path = xstrdup(target);
    } else {
        char *pidfile = xasprintf("%s/%s.pid", ovs_rundir(), target);
        pid_t pid;

        /* read_pidfile() warns about a missing file, which is normal while
         * ovs-vswitchd restarts. */
        if (access(pidfile, R_OK)) {
            int error = errno;

            free(pidfile);
            return error;
        }
        pid = read_pidfile(pidfile);
        free(pidfile);
        if (pid < 0) {
            return -pid;
        }
        path = xasprintf("%s/%s.%ld.ctl", ovs_rundir(), target, (long) pid);
    }
    error = unixctl_client_create(path, &client);
    free(path);
    return error;
}

/* Runs unixctl 'command' with 'argc' arguments 'argv' in ovs-vswitchd,
 * over the backend's own connection (no ovs-appctl process).  Returns 0
 * and the reply in '*resultp' (caller frees), or an errno with a message
 * in '*errorp' (caller frees). */
int
rdma_underlay_ovs_call(const char *command, int argc, char *argv[],
                       char **resultp, char **errorp)
{
    char *result = NULL, *err = NULL;
    int attempt;
    int error = 0;

    *resultp = NULL;
    *errorp = NULL;
    for (attempt = 0; attempt < 2; attempt++) {
        error = connect_vswitchd();
        if (error) {
            break;
        }
        COVERAGE_INC(rdma_underlay_ovs_call);
        error = unixctl_client_transact(client, command, argc, argv,
                                        &result, &err);
        if (!error) {
            break;
        }
        /* The connection broke, e.g. ovs-vswitchd restarted: retry once
         * with a new connection. */
        jsonrpc_close(client);
        client = NULL;
    }
    if (error) {
        *errorp = xasprintf("cannot reach %s: %s",
                            target ? target : "ovs-vswitchd",
                            ovs_strerror(error));
        return error;
    }
    if (err) {
        *errorp = err;
        free(result);
        return EINVAL;
    }
    *resultp = result;
    return 0;
}

/* Starts a resolution pass: tables fetched from ovs-vswitchd are fetched
 * anew by the next lookups and then reused until the next call. */
static void
ovs_begin(void)
{
    free(neigh_table);
    neigh_table = NULL;
    shash_clear_free_data(&fdb_tables);
    route_table_checked = false;
}

/* Looks up the route to 'remote_s' in ovs-vswitchd ("ovs/route/lookup"),
 * or in the route cache if ovs-vswitchd's route table is the same as when
 * the cache was filled.  Returns 0 with the result in '*resultp', or an
 * errno with the error in '*errp' (the caller frees either). */
static int
route_lookup(const char *remote_s, char **resultp, char **errp)
{
    char *argv[1] = { CONST_CAST(char *, remote_s) };
    const char *cached;
    int error;

    if (!route_table_checked) {
        char *table, *err;

        route_table_checked = true;
        if (rdma_underlay_ovs_call("ovs/route/show", 0, NULL, &table,
                                   &err)) {
            free(err);
            table = NULL;       /* Cannot tell: do not cache. */
        }
        if (!table || !route_table || strcmp(table, route_table)) {
            shash_clear_free_data(&route_cache);
            free(route_table);
            route_table = table;
        } else {
            free(table);
        }
    }
    cached = shash_find_data(&route_cache, remote_s);
    if (cached) {
        *resultp = xstrdup(cached);
        return 0;
    }
    error = rdma_underlay_ovs_call("ovs/route/lookup", 1, argv, resultp,
                                   errp);
    if (!error && route_table) {
        shash_add(&route_cache, remote_s, xstrdup(*resultp));
    }
    return error;
}

/* Stores in '*tablep' the MAC-learning table ("fdb/show") of 'bridge', read
 * once per round.  Returns 0, or an errno with the error in '*errp' (the
 * caller frees it). */
static int
fdb_table(const char *bridge, const char **tablep, char **errp)
{
    char *argv[1] = { CONST_CAST(char *, bridge) };
    char *table;
    int error;

    *tablep = shash_find_data(&fdb_tables, bridge);
    if (*tablep) {
        return 0;
    }
    error = rdma_underlay_ovs_call("fdb/show", 1, argv, &table, errp);
    if (!error) {
        shash_add(&fdb_tables, bridge, table);
        *tablep = table;
    }
    return error;
}

/* Looks up 'ip' in ovs-vswitchd's tunnel neighbour table.  Returns true
 * and stores its MAC in '*mac' if found. */
static bool
neigh_lookup(const struct in6_addr *ip, struct eth_addr *mac)
{
    const char *line;

    if (!neigh_table) {
        char *err;

        if (rdma_underlay_ovs_call("tnl/neigh/show", 0, NULL, &neigh_table,
                                   &err)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "tnl/neigh/show: %s", err);
            free(err);
            return false;
        }
    }
    for (line = neigh_table; line && *line; ) {
        const char *eol = strchr(line, '\n');
        char ip_s[64], mac_s[32];
        struct in6_addr addr;

        if (sscanf(line, "%63s %31s", ip_s, mac_s) == 2
            && rdma_ip_parse(ip_s, &addr) && ipv6_addr_equals(&addr, ip)
            && eth_addr_from_string(mac_s, mac)) {
            return true;
        }
        line = eol ? eol + 1 : NULL;
    }
    return false;
}

/* Resolves the path to 'remote' through ovs-vswitchd's tables.  'local', if
 * set, is the tunnel's options:local_ip and becomes the source address.
 * Returns 0 and fills '*path' (with nexthop_mac_known false if the
 * neighbour is not resolved yet), or an errno with a reason in '*reasonp'
 * (caller frees). */
static int
ovs_resolve(const struct rdma_mapping *m, const struct in6_addr *remote,
            const struct in6_addr *local, struct rdma_underlay_path *path,
            char **reasonp)
{
    char remote_s[INET6_ADDRSTRLEN];
    const struct rdma_map_iface *dev;
    char src_s[64] = "", gw_s[64] = "", dev_s[IFNAMSIZ + 16] = "";
    char *result, *err;
    const char *p;
    int error;

    memset(path, 0, sizeof *path);
    rdma_ip_to_string(remote, remote_s);
    error = route_lookup(remote_s, &result, &err);
    if (error) {
        *reasonp = (error == EINVAL
                    ? xasprintf("no route to %s in ovs-vswitchd (%s)",
                                remote_s, err)
                    : xasprintf("route lookup of %s failed: %s", remote_s,
                                err));
        free(err);
        return error == EINVAL ? ENETUNREACH : error;
    }
    p = strstr(result, "src ");
    if (p) {
        sscanf(p, "src %63s", src_s);
    }
    p = strstr(result, "gateway ");
    if (p) {
        sscanf(p, "gateway %63s", gw_s);
    }
    p = strstr(result, "dev ");
    if (p) {
        sscanf(p, "dev %31s", dev_s);
    }
    free(result);

    if (!dev_s[0]) {
        *reasonp = xasprintf("no route to %s in ovs-vswitchd", remote_s);
        return ENETUNREACH;
    }
    ovs_strlcpy(path->dev, dev_s, sizeof path->dev);

    if (local && rdma_ip_is_set(local)) {
        path->local_ip = *local;
    } else if (!rdma_ip_parse(src_s, &path->local_ip)
               || !rdma_ip_is_set(&path->local_ip)) {
        *reasonp = xasprintf("route to %s via %s has no source address: "
                             "set options:local_ip on the tunnel or an "
                             "address on %s", remote_s, dev_s, dev_s);
        return EADDRNOTAVAIL;
    }
    if (!rdma_ip_parse(gw_s, &path->nexthop_ip)
        || !rdma_ip_is_set(&path->nexthop_ip)) {
        path->nexthop_ip = *remote;
    }

    dev = rdma_mapping_find_iface(m, dev_s);
    if (!dev) {
        *reasonp = xasprintf("egress device %s of the route to %s is not an "
                             "Open vSwitch interface", dev_s, remote_s);
        return ENODEV;
    }
    path->local_mac = dev->mac;
    path->mtu = dev->mtu;
    path->vlan = dev->tag;
    path->nexthop_mac_known = neigh_lookup(&path->nexthop_ip,
                                           &path->nexthop_mac);
    return 0;
}

/* Looks up 'mac' in the MAC-learning table of 'bridge'.  Returns 0 and the
 * OpenFlow port it was learned on in '*ofportp', ENOENT if it is not in
 * the table, or another errno if the table could not be read. */
static int
ovs_fdb_lookup(const char *bridge, struct eth_addr mac, int64_t *ofportp)
{
    const char *result, *line;
    char *err;
    int error;

    error = fdb_table(bridge, &result, &err);
    if (error) {
        free(err);
        return error;
    }
    error = ENOENT;
    for (line = result; line && *line; ) {
        const char *eol = strchr(line, '\n');
        char port_s[32], mac_s[32];
        struct eth_addr ea;
        int vlan;

        if (sscanf(line, "%31s %d %31s", port_s, &vlan, mac_s) == 3
            && eth_addr_from_string(mac_s, &ea) && eth_addr_equals(ea, mac)) {
            char *end;
            long long n = strtoll(port_s, &end, 10);
            if (!*end) {
                *ofportp = n;
                error = 0;
            }
            break;
        }
        line = eol ? eol + 1 : NULL;
    }
    return error;
}

/* The class's 'init'. */
static int
ovs_class_init(const char *vswitchd_target)
{
    rdma_underlay_ovs_init(vswitchd_target);
    return 0;
}

/* The OVS backend as an underlay provider.  It notices no changes by
 * itself: the engine re-reads it every --underlay-poll milliseconds. */
const struct rdma_underlay_class rdma_underlay_ovs_class = {
    .name = "ovs",
    .init = ovs_class_init,
    .destroy = rdma_underlay_ovs_destroy,
    .begin = ovs_begin,
    .resolve = ovs_resolve,
    .fdb_lookup = ovs_fdb_lookup,
    .run = NULL,
    .wait = NULL,
    .seqno = NULL,
};
