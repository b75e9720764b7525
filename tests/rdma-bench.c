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

/* rdma-bench: benchmarks of the mapping engine ("make bench").
 *
 *   rdma-bench bind N        in-process bind (resolve + install with the
 *                            dummy NIC) of N connections: median and 99th
 *                            percentile latency, throughput
 *   rdma-bench refresh N     time to refresh after one tunnel's remote_ip
 *                            changes with N bound QPs, when 1% and when
 *                            100% of them use that tunnel
 *   rdma-bench memory N      resident memory per binding with N bound
 *   rdma-bench unixctl N SOCKET [same]
 *                            N binds through a running ovs-rdmad's unixctl
 *                            SOCKET, each to its own destination (or all
 *                            to one): latency and throughput
 *   rdma-bench tenant N SOCKET [WINDOW]
 *                            N binds by one client on a vport's tenant
 *                            SOCKET, with up to WINDOW (default 64)
 *                            requests in flight: throughput
 *   rdma-bench flowchange N SOCKET COMMAND NEEDLE
 *                            N binds, the time of one rdma/refresh, then
 *                            the time from shell COMMAND (a flow change)
 *                            until every entry shows NEEDLE
 *
 * The in-process benchmarks use a fake underlay (every remote VTEP
 * resolves at once), so they measure ovs-rdmad's own work. */

#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "stream.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "fake-underlay.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-underlay.h"
#include "unixctl.h"
#include "util.h"

/* Returns a monotonic time in nanoseconds. */
static long long int
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Compares long longs, for qsort(). */
static int
compare_ll(const void *a_, const void *b_)
{
    const long long int *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Number of tunnels in the benchmark configuration. */
#define N_TUNNELS 100

/* Makes a snapshot with vport vm1 and N_TUNNELS tunnels t0..t99, tunnel tI
 * to 192.0.3.I (tunnel 0 to 'remote0') for tenant prefix 10.I.0.0/16. */
static void
make_config(struct rdma_mapping *m, const char *remote0)
{
    struct rdma_map_bridge *br;
    struct rdma_map_vport *vp;
    int i;

    rdma_mapping_init(m);
    br = rdma_mapping_add_bridge(m, "br-int", "netdev");
    rdma_mapping_add_iface(m, br, "vm1");
    vp = rdma_mapping_add_vport(m, br, "vm1");
    vp->mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,01,01);
    vp->has_mac = true;
    rdma_ip_parse("10.200.0.1", &vp->ip);
    vp->has_ip = true;
    /* The benchmarks bind up to a million connections through vm1. */
    vp->max_conns = RDMA_MAX_MAX_CONNS;

    for (i = 0; i < N_TUNNELS; i++) {
        char name[16], ip[32], prefix[32];
        struct rdma_map_tunnel *t;
        char *error;

        snprintf(name, sizeof name, "t%d", i);
        snprintf(ip, sizeof ip, "192.0.3.%d", i);
        snprintf(prefix, sizeof prefix, "10.%d.0.0/16", i);
        rdma_mapping_add_iface(m, br, name);
        t = rdma_mapping_add_tunnel(m, br, name, "vxlan");
        t->vni = 1000 + i;
        t->dst_port = 4789;
        rdma_ip_parse(i ? ip : remote0, &t->remote_ip);
        t->peers = xmalloc(sizeof *t->peers);
        error = rdma_ip_parse_cidr(prefix, &t->peers[0].ip,
                                   &t->peers[0].plen);
        ovs_assert(!error);
        t->n_peers = 1;
    }
}

/* A benchmark set-up: engine, map, dummy NIC. */
struct bench {
    struct rdma_qp_map map;     /* Bindings. */
    struct rdma_engine *engine; /* Engine. */
    struct rdma_nic *nic;       /* Dummy NIC. */
};

/* Sets up 'b' with the benchmark configuration. */
static void
bench_init(struct bench *b)
{
    struct rdma_mapping cfg;
    char *error;

    fake_underlay_mtu = 9000;
    rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class);
    error = rdma_nic_open("dummy:log=0", &b->nic);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    rdma_qp_map_init(&b->map);
    b->engine = rdma_engine_create(&b->map, b->nic, 0);
    make_config(&cfg, "192.0.3.0");
    rdma_engine_set_config(b->engine, &cfg);
    rdma_mapping_destroy(&cfg);
}

/* Tears 'b' down. */
static void
bench_destroy(struct bench *b)
{
    rdma_engine_destroy(b->engine);
    rdma_qp_map_destroy(&b->map);
    rdma_nic_close(b->nic);
}

/* Binds connection 'i' from vm1 to tunnel 'tunnel''s prefix. */
static void
bench_bind(struct bench *b, uint64_t i, int tunnel)
{
    struct rdma_binding *binding;
    struct rdma_request req;
    char *error;

    memset(&req, 0, sizeof req);
    req.vport = "vm1";
    req.dst_ip = in6_addr_mapped_ipv4(htonl((10u << 24) | (tunnel << 16)
                                            | (i % 65000 + 2)));
    req.dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
    req.has_dst_mac = true;
    req.cm_id = i + 1;
    req.has_cm_id = true;
    req.qpn = (i % 0xfffffe) + 1;
    req.has_qpn = true;
    error = rdma_engine_bind(b->engine, &req, &binding);
    if (error) {
        ovs_fatal(0, "bind %"PRIu64": %s", i, error);
    }
}

/* Returns the resident set size of this process, in bytes. */
static long long int
rss_bytes(void)
{
    long long int size, resident;
    FILE *f = fopen("/proc/self/statm", "r");

    if (!f || fscanf(f, "%lld %lld", &size, &resident) != 2) {
        ovs_fatal(errno, "/proc/self/statm");
    }
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* "bind N". */
static void
run_bind(long long int n)
{
    long long int *lat = xmalloc(n * sizeof *lat);
    long long int start, total;
    struct bench b;
    long long int i;

    bench_init(&b);
    start = now_ns();
    for (i = 0; i < n; i++) {
        long long int t0 = now_ns();

        bench_bind(&b, i, i % N_TUNNELS);
        lat[i] = now_ns() - t0;
    }
    total = now_ns() - start;
    qsort(lat, n, sizeof *lat, compare_ll);
    printf("in-process bind (resolve + install, dummy NIC), %lld QPs: "
           "median %.2f us, p99 %.2f us, %.0f binds/s\n", n,
           lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3, n / (total / 1e9));
    free(lat);
    bench_destroy(&b);
}

/* Binds 'n' QPs, 'pct' percent of them through tunnel t0, changes t0's
 * remote_ip, and prints how long the refresh took and what it did. */
static void
refresh_once(long long int n, int pct)
{
    long long int n_t0 = n * pct / 100;
    struct rdma_mapping cfg;
    long long int i, t0;
    uint64_t modify0;
    struct bench b;

    bench_init(&b);
    for (i = 0; i < n; i++) {
        bench_bind(&b, i, i < n_t0 ? 0 : 1 + i % (N_TUNNELS - 1));
    }
    make_config(&cfg, "192.0.4.1");
    modify0 = rdma_engine_get_stats(b.engine)->n_modify;
    t0 = now_ns();
    rdma_engine_set_config(b.engine, &cfg);
    t0 = now_ns() - t0;
    modify0 = rdma_engine_get_stats(b.engine)->n_modify - modify0;
    printf("refresh after one remote_ip change, %lld QPs, %3d%% affected: "
           "%10.3f ms, %"PRIu64" modified (%.0f ns per affected QP)\n",
           n, pct, t0 / 1e6, modify0, n_t0 ? (double) t0 / n_t0 : 0.0);
    rdma_mapping_destroy(&cfg);
    bench_destroy(&b);
}

/* "refresh N". */
static void
run_refresh(long long int n)
{
    refresh_once(n, 1);
    refresh_once(n, 100);
}

/* "memory N": RSS per binding of the whole process, and of the dummy NIC's
 * own table measured apart, so that the QP map's share shows. */
static void
run_memory(long long int n)
{
    long long int before, after, nic_before, nic_after;
    struct rdma_nic_entry entry;
    struct rdma_nic_source src;
    struct rdma_nic *nic;
    struct bench b;
    long long int i;
    char *error;

    bench_init(&b);
    before = rss_bytes();
    for (i = 0; i < n; i++) {
        bench_bind(&b, i, i % N_TUNNELS);
    }
    after = rss_bytes();

    /* The same number of entries in a second dummy NIC alone. */
    error = rdma_nic_open("dummy:log=0", &nic);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    memset(&entry, 0, sizeof entry);
    memset(&src, 0, sizeof src);
    nic_before = rss_bytes();
    for (i = 0; i < n; i++) {
        entry.cm_id = i + 1;
        rdma_nic_bind_source(nic, entry.cm_id, &src);
        rdma_nic_install(nic, &entry);
    }
    nic_after = rss_bytes();

    printf("RSS with %lld bindings: %.0f bytes per binding in all, of which "
           "the dummy NIC's table %.0f and ovs-rdmad's QP map %.0f "
           "(struct rdma_binding: %"PRIuSIZE" bytes)\n", n,
           (double) (after - before) / n,
           (double) (nic_after - nic_before) / n,
           (double) ((after - before) - (nic_after - nic_before)) / n,
           sizeof(struct rdma_binding));
    rdma_nic_close(nic);
    bench_destroy(&b);
}

/* Binds connection 'i' (cm_id and QPN 1000000 + i) from vm1 over
 * 'client': to its own destination 10.1.X.Y, or to 10.1.0.2 if 'same'. */
static void
bind_one(struct jsonrpc *client, long long int i, bool same)
{
    char dst[32], cm_id[32], qpn[32];
    char *argv[5] = { "vm1", dst, "dst_mac=02:00:00:00:02:02", cm_id, qpn };
    char *result, *err;
    int error;

    if (same) {
        snprintf(dst, sizeof dst, "10.1.0.2");
    } else {
        snprintf(dst, sizeof dst, "10.1.%lld.%lld", (i / 250) % 250,
                 i % 250 + 1);
    }
    snprintf(cm_id, sizeof cm_id, "cm_id=%lld", 1000000 + i);
    snprintf(qpn, sizeof qpn, "qpn=%lld", 1000000 + i);
    error = unixctl_client_transact(client, "rdma/bind", 5, argv, &result,
                                    &err);
    if (error || err) {
        ovs_fatal(error, "rdma/bind: %s", err ? err : "");
    }
    free(result);
}

/* Unbinds the 'n' connections bind_one() bound. */
static void
unbind_all(struct jsonrpc *client, long long int n)
{
    long long int i;

    for (i = 0; i < n; i++) {
        char cm_id[32];
        char *argv[1] = { cm_id };
        char *result, *err;

        snprintf(cm_id, sizeof cm_id, "%lld", 1000000 + i);
        unixctl_client_transact(client, "rdma/unbind", 1, argv, &result,
                                &err);
        free(result);
        free(err);
    }
}

/* Returns how many lines of "rdma/show-qp-map" over 'client' contain
 * 'needle'. */
static long long int
count_in_qp_map(struct jsonrpc *client, const char *needle)
{
    char *result = NULL, *err = NULL;
    long long int n = 0;
    const char *p;

    unixctl_client_transact(client, "rdma/show-qp-map", 0, NULL, &result,
                            &err);
    for (p = result; p && (p = strstr(p, needle)); p++) {
        n++;
    }
    free(result);
    free(err);
    return n;
}

/* "flowchange N SOCKET COMMAND NEEDLE": binds N connections, each to its
 * own destination (so, with the pipeline resolver, N paths), times one
 * "rdma/refresh" (re-resolving every path), then runs shell COMMAND (a
 * flow-table change) and reports the time until all N entries in the QP
 * map contain NEEDLE. */
static void
run_flowchange(long long int n, const char *socket, const char *command,
               const char *needle)
{
    struct jsonrpc *client;
    char *result, *err;
    long long int i, t0, t1, t2;
    int error;

    error = unixctl_client_create(socket, &client);
    if (error) {
        ovs_fatal(error, "%s", socket);
    }
    for (i = 0; i < n; i++) {
        bind_one(client, i, false);
    }
    t0 = now_ns();
    unixctl_client_transact(client, "rdma/refresh", 0, NULL, &result, &err);
    t1 = now_ns();
    free(result);
    free(err);
    printf("re-resolve %lld paths (rdma/refresh): %.1f ms, %.1f us per "
           "path\n", n, (t1 - t0) / 1e6, (t1 - t0) / 1e3 / n);
    t0 = now_ns();
    if (system(command)) {
        ovs_fatal(0, "%s failed", command);
    }
    t1 = now_ns();
    while (count_in_qp_map(client, needle) < n) {
        if (now_ns() - t0 > 30LL * 1000 * 1000 * 1000) {
            ovs_fatal(0, "entries not updated after 30 s");
        }
        xnanosleep(1000 * 1000);
    }
    t2 = now_ns();
    printf("flow-table change to %lld updated entries: %.1f ms (the "
           "change itself took %.1f ms, then %.1f ms)\n", n, (t2 - t0) / 1e6,
           (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    /* ovs-rdmad's own account: how long the flow monitor waited for the
     * change to settle, and the re-resolution. */
    if (!unixctl_client_transact(client, "rdma/show-pipeline", 0, NULL,
                                 &result, &err) && result) {
        const char *p;

        for (p = result; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1
                                                      : NULL) {
            if (!strncmp(p, "last change", 11)) {
                printf("  ovs-rdmad: %.*s\n", (int) strcspn(p, "\n"), p);
            }
        }
    }
    free(result);
    free(err);
    unbind_all(client, n);
    jsonrpc_close(client);
}

/* "unixctl N SOCKET [same]": N "rdma/bind" requests over one unixctl
 * connection to a running ovs-rdmad, each to its own destination (or all
 * to one with "same"), then the same number of "rdma/unbind". */
static void
run_unixctl(long long int n, const char *socket, bool same)
{
    long long int *lat = xmalloc(n * sizeof *lat);
    long long int start, total;
    struct jsonrpc *client;
    long long int i;
    int error;

    error = unixctl_client_create(socket, &client);
    if (error) {
        ovs_fatal(error, "%s", socket);
    }
    start = now_ns();
    for (i = 0; i < n; i++) {
        long long int t0 = now_ns();

        bind_one(client, i, same);
        lat[i] = now_ns() - t0;
    }
    total = now_ns() - start;
    qsort(lat, n, sizeof *lat, compare_ll);
    printf("bind through unixctl, %lld QPs%s: median %.1f us, p99 %.1f us, "
           "%.0f binds/s\n", n, same ? " to one destination" : "",
           lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3, n / (total / 1e9));
    unbind_all(client, n);
    jsonrpc_close(client);
    free(lat);
}

/* Sends "bind" or "unbind" requests 0...n-1 on 'rpc', at most 'window'
 * at a time, and waits for every reply.  Returns the time taken, in ns. */
static long long int
tenant_pipeline(struct jsonrpc *rpc, const char *method, long long int n,
                int window)
{
    long long int start = now_ns();
    long long int sent = 0, received = 0;

    while (received < n) {
        struct jsonrpc_msg *reply;
        int error;

        while (sent < n && sent - received < window) {
            struct json *p = json_object_create();
            char dst[32];

            json_object_put(p, "cm_id", json_integer_create(1000000 + sent));
            if (!strcmp(method, "bind")) {
                snprintf(dst, sizeof dst, "10.1.%lld.%lld",
                         (sent / 250) % 250, sent % 250 + 1);
                json_object_put_string(p, "dst_ip", dst);
                json_object_put_string(p, "dst_mac", "02:00:00:00:02:02");
                /* Clear of the automatic QPNs (from 256), which the
                 * sandbox's own binding uses. */
                json_object_put(p, "qpn",
                                json_integer_create(1000000 + sent));
            }
            jsonrpc_send(rpc, jsonrpc_create_request(
                             method, json_array_create_1(p), NULL));
            sent++;
        }
        error = jsonrpc_recv_block(rpc, &reply);
        if (error) {
            ovs_fatal(error, "tenant socket");
        }
        if (reply->type == JSONRPC_ERROR) {
            char *s = json_to_string(reply->error, 0);

            ovs_fatal(0, "%s: %s", method, s);
        }
        jsonrpc_msg_destroy(reply);
        received++;
    }
    return now_ns() - start;
}

/* "tenant N SOCKET [WINDOW]": N "bind" requests by one client on a vport's
 * tenant socket, pipelined, then as many "unbind"s. */
static void
run_tenant(long long int n, const char *socket, int window)
{
    struct stream *stream;
    struct jsonrpc *rpc;
    long long int t;
    char *name;
    int error;

    name = xasprintf("unix:%s", socket);
    error = stream_open_block(stream_open(name, &stream, DSCP_DEFAULT), -1,
                              &stream);
    if (error) {
        ovs_fatal(error, "%s", socket);
    }
    rpc = jsonrpc_open(stream);
    t = tenant_pipeline(rpc, "bind", n, window);
    printf("bind through a tenant socket, one client, %d in flight, %lld "
           "QPs: %.0f binds/s\n", window, n, n / (t / 1e9));
    t = tenant_pipeline(rpc, "unbind", n, window);
    printf("unbind through a tenant socket, one client, %d in flight, %lld "
           "QPs: %.0f unbinds/s\n", window, n, n / (t / 1e9));
    jsonrpc_close(rpc);
    free(name);
}

/* Connects to the Unix socket 'path' and returns the fd; exits on error. */
static int
connect_unix(const char *path)
{
    struct sockaddr_un sun;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    ovs_strlcpy(sun.sun_path, path, sizeof sun.sun_path);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun)) {
        ovs_fatal(errno, "%s", path);
    }
    return fd;
}

/* Reads from 'fd' until 'n' complete top-level JSON objects have
 * arrived.  Returns false on EOF or error. */
static bool
read_objects(int fd, int n)
{
    bool in_string = false, escape = false;
    int depth = 0;

    while (n > 0) {
        char buf[65536];
        ssize_t len = read(fd, buf, sizeof buf);
        ssize_t i;

        if (len <= 0) {
            return false;
        }
        for (i = 0; i < len; i++) {
            char c = buf[i];

            if (in_string) {
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    in_string = false;
                }
            } else if (c == '"') {
                in_string = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && !--depth) {
                n--;
            }
        }
    }
    return true;
}

/* A flooding tenant: sends 'request' in batches of 20 on 'path' for ever,
 * reading the replies. */
static void OVS_NO_RETURN
flood_child(const char *path, const char *request)
{
    struct ds batch = DS_EMPTY_INITIALIZER;
    int fd = connect_unix(path);
    int i;

    for (i = 0; i < 20; i++) {
        ds_put_cstr(&batch, request);
    }
    for (;;) {
        if (write(fd, batch.string, batch.length) != batch.length
            || !read_objects(fd, 20)) {
            _exit(0);
        }
    }
}

/* Measures 'n' round trips of "rdma/show-qp-map vm2" on 'client' and of
 * "echo" on the tenant socket 'other_fd', and prints their latencies under
 * 'label'. */
static void
measure_latency(struct jsonrpc *client, int other_fd, long long int n,
                const char *label)
{
    static const char echo[] = "{\"method\":\"echo\",\"params\":[],"
                               "\"id\":1}";
    long long int *admin = xmalloc(n * sizeof *admin);
    long long int *other = xmalloc(n * sizeof *other);
    long long int i;

    for (i = 0; i < n; i++) {
        char *args[1] = { "vm2" };
        char *result, *err;
        long long int t0 = now_ns();
        int error = unixctl_client_transact(client, "rdma/show-qp-map", 1,
                                            args, &result, &err);

        if (error || err) {
            ovs_fatal(error, "rdma/show-qp-map: %s", err ? err : "");
        }
        free(result);
        admin[i] = now_ns() - t0;

        t0 = now_ns();
        if (write(other_fd, echo, sizeof echo - 1) != sizeof echo - 1
            || !read_objects(other_fd, 1)) {
            ovs_fatal(errno, "echo on the other vport's socket");
        }
        other[i] = now_ns() - t0;
    }
    qsort(admin, n, sizeof *admin, compare_ll);
    qsort(other, n, sizeof *other, compare_ll);
    printf("%s: admin socket median %.2f ms, p99 %.2f ms, max %.2f ms; "
           "other vport median %.2f ms, p99 %.2f ms, max %.2f ms\n", label,
           admin[n / 2] / 1e6, admin[n * 99 / 100] / 1e6, admin[n - 1] / 1e6,
           other[n / 2] / 1e6, other[n * 99 / 100] / 1e6, other[n - 1] / 1e6);
    free(admin);
    free(other);
}

/* "flood N UNIXCTL FLOODED OTHER": the admin's latency (N "rdma/show-qp-map"
 * on UNIXCTL) and another vport's (N "echo" on tenant socket OTHER), idle
 * and while 64 connections flood tenant socket FLOODED with "resolve"
 * requests, the most expensive that a tenant can send at will.  With
 * "flood-nice", the flooding processes run at nice 19: on a real host a
 * tenant's processes run on the tenant's own CPUs, whereas here they
 * compete with ovs-rdmad for the same two cores, so this variant shows
 * the daemon's own scheduling without that contention. */
static void
run_flood(long long int n, const char *unixctl, const char *flooded,
          const char *other, int flood_nice)
{
    static const char resolve[] = "{\"method\":\"resolve\",\"params\":"
        "[{\"dst_ip\":\"10.1.0.2\",\"dst_mac\":\"02:00:00:00:02:02\"}],"
        "\"id\":1}";
    pid_t children[64];
    struct jsonrpc *client;
    int other_fd, error;
    size_t i;

    error = unixctl_client_create(unixctl, &client);
    if (error) {
        ovs_fatal(error, "%s", unixctl);
    }
    other_fd = connect_unix(other);
    measure_latency(client, other_fd, n, "idle");

    for (i = 0; i < ARRAY_SIZE(children); i++) {
        children[i] = fork();
        if (!children[i]) {
            if (flood_nice && nice(flood_nice) == -1) {
                _exit(1);
            }
            flood_child(flooded, resolve);
        }
    }
    usleep(200000);             /* Let the flood build up. */
    measure_latency(client, other_fd, n,
                    (flood_nice
                     ? "64 connections (nice 19) flooding one vport"
                     : "64 connections flooding one vport"));
    for (i = 0; i < ARRAY_SIZE(children); i++) {
        kill(children[i], SIGKILL);
        waitpid(children[i], NULL, 0);
    }
    close(other_fd);
    jsonrpc_close(client);
}

/* Entry point. */
int
main(int argc, char *argv[])
{
    long long int n;

    set_program_name(argv[0]);
    if (argc < 3 || (n = atoll(argv[2])) <= 0) {
        ovs_fatal(0, "usage: %s bind|refresh|memory N | unixctl N SOCKET "
                  "[same] | tenant N SOCKET [WINDOW] "
                  "| flowchange N SOCKET COMMAND NEEDLE "
                  "| flood[-nice] N UNIXCTL FLOODED OTHER", argv[0]);
    }
    if (!strcmp(argv[1], "bind")) {
        run_bind(n);
    } else if (!strcmp(argv[1], "refresh")) {
        run_refresh(n);
    } else if (!strcmp(argv[1], "memory")) {
        run_memory(n);
    } else if (!strcmp(argv[1], "unixctl") && (argc == 4 || argc == 5)) {
        run_unixctl(n, argv[3], argc == 5 && !strcmp(argv[4], "same"));
    } else if (!strcmp(argv[1], "tenant") && (argc == 4 || argc == 5)) {
        run_tenant(n, argv[3], argc == 5 ? atoi(argv[4]) : 64);
    } else if (!strcmp(argv[1], "flowchange") && argc == 6) {
        run_flowchange(n, argv[3], argv[4], argv[5]);
    } else if (!strcmp(argv[1], "flood") && argc == 6) {
        run_flood(n, argv[3], argv[4], argv[5], 0);
    } else if (!strcmp(argv[1], "flood-nice") && argc == 6) {
        run_flood(n, argv[3], argv[4], argv[5], 19);
    } else {
        ovs_fatal(0, "unknown benchmark \"%s\"", argv[1]);
    }
    return 0;
}
