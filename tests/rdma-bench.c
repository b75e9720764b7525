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
 *   rdma-bench config T      CPU time of one configuration change with T
 *                            tunnels and nothing bound
 *   rdma-bench unixctl N SOCKET [same]
 *                            N binds through a running ovs-rdmad's unixctl
 *                            SOCKET, each to its own destination (or all
 *                            to one): latency and throughput
 *   rdma-bench tenant N SOCKET [WINDOW [CLIENTS]]
 *                            N binds by CLIENTS clients (default 1) on a
 *                            vport's tenant SOCKET, each with up to
 *                            WINDOW (default 64) requests in flight:
 *                            throughput, and with one client and WINDOW
 *                            1 the latency
 *   rdma-bench e2e N UNIXCTL TENANT COMMAND LABEL [BEFORE_MS]
 *                            N binds on tenant socket TENANT, then the
 *                            time from shell COMMAND until the dummy NIC
 *                            (rdma-dummy/stats on UNIXCTL) has modified N
 *                            entries
 *   rdma-bench idle N TENANT SECONDS
 *                            N binds on tenant socket TENANT, then the
 *                            daemon's CPU use over SECONDS of quiet
 *   rdma-bench zero-touch N  the zero-touch watcher over a fake kernel table
 *                            of N connections: one dump that binds them
 *                            all, dumps with nothing new, one dump after
 *                            they all went (per connection)
 *   rdma-bench flowchange N SOCKET COMMAND NEEDLE
 *                            N binds, the time of one rdma/refresh, then
 *                            the time from shell COMMAND (a flow change)
 *                            until every entry shows NEEDLE
 *
 * The in-process benchmarks use a fake underlay (every remote VTEP
 * resolves at once), so they measure ovs-rdmad's own work. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
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
#include "openvswitch/vlog.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-underlay.h"
#include "rdma-zero-touch.h"
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

/* Returns the CPU time this process has used, in nanoseconds.  On this
 * shared machine it is steadier than the wall clock, which also counts
 * the time other engineers' jobs held the CPU. */
static long long int
cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Prints ", target T" and, if 'baseline' is positive, "x R against the
 * baseline B" for 'value' against them, where 'lower' says whether less
 * is better; 'unit' names their unit. */
static void
print_target(double value, const char *target, double baseline,
             bool lower, const char *unit)
{
    printf(" [target %s", target);
    if (baseline > 0 && value > 0) {
        printf("; %.3gx the baseline %.4g %s (above 1 is better)",
               lower ? baseline / value : value / baseline, baseline, unit);
    }
    printf("]\n");
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

/* Number of tunnels make_config() makes (the "config" benchmark raises
 * it). */
static int n_config_tunnels = N_TUNNELS;

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

    for (i = 0; i < n_config_tunnels; i++) {
        char name[16], ip[32], prefix[32];
        struct rdma_map_tunnel *t;
        char *error;

        snprintf(name, sizeof name, "t%d", i);
        snprintf(ip, sizeof ip, "192.%d.%d.%d", i >> 16, (i >> 8) & 255,
                 i & 255);
        snprintf(prefix, sizeof prefix, "10.%d.%d.%d/32", i >> 16,
                 (i >> 8) & 255, i & 255);
        if (i < 256 && n_config_tunnels <= 256) {
            snprintf(ip, sizeof ip, "192.0.3.%d", i);
            snprintf(prefix, sizeof prefix, "10.%d.0.0/16", i);
        }
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
    const char *statm = "/proc/self/statm";
    FILE *f = fopen(statm, "r");

    if (!f || fscanf(f, "%lld %lld", &size, &resident) != 2) {
        ovs_fatal(errno, "/proc/self/statm");
    }
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* With BENCH_PERF_CTL set to the path of a "perf record --control
 * fifo:CTL" control FIFO, writes 'cmd' ("enable" or "disable") to it, so
 * that a profile covers only the measured step:
 *
 *   mkfifo ctl; BENCH_PERF_CTL=ctl perf record -D -1 --control fifo:ctl \
 *       tests/rdma-bench refresh 1000000
 */
static void
perf_control(const char *cmd)
{
    const char *path = getenv("BENCH_PERF_CTL");
    FILE *f;

    if (path && (f = fopen(path, "w"))) {
        fprintf(f, "%s\n", cmd);
        fclose(f);
    }
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
           "median %.2f us, p99 %.2f us, %.0f binds/s", n,
           lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3, n / (total / 1e9));
    print_target(lat[n / 2] / 1e3, "median <= 5 us", 1.5, true, "us");
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
    long long int i, t0, c0;
    uint64_t modify0;
    struct bench b;

    bench_init(&b);
    for (i = 0; i < n; i++) {
        bench_bind(&b, i, i < n_t0 ? 0 : 1 + i % (N_TUNNELS - 1));
    }
    make_config(&cfg, "192.0.4.1");
    modify0 = rdma_engine_get_stats(b.engine)->n_modify;
    perf_control("enable");
    c0 = cpu_ns();
    t0 = now_ns();
    rdma_engine_set_config(b.engine, &cfg);
    t0 = now_ns() - t0;
    c0 = cpu_ns() - c0;
    perf_control("disable");
    printf("refresh after one remote_ip change, %lld QPs, %3d%% affected: "
           "%9.3f ms (CPU %9.3f ms), %"PRIu64" modified (%.0f ns per "
           "affected QP)", n, pct, t0 / 1e6, c0 / 1e6,
           rdma_engine_get_stats(b.engine)->n_modify - modify0,
           n_t0 ? (double) t0 / n_t0 : 0.0);
    if (n == 1000000 && pct == 100) {
        print_target(c0 / 1e6, "<= 200 ms", 696, true, "ms");
    } else if (n == 1000000 && pct == 1) {
        print_target(c0 / 1e6, "proportional to affected", 9, true, "ms");
    } else {
        printf("\n");
    }
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

/* "config T": the cost of one configuration change (one tunnel's
 * remote_ip, nothing bound) with T tunnels, what every OVSDB change costs
 * ovs-rdmad whatever it affects: for the scale model, where an OVN host
 * has one tunnel per other host. */
static void
run_config(long long int t)
{
    struct rdma_mapping cfg;
    long long int c0, c1;
    struct bench b;
    int i;

    n_config_tunnels = t;
    bench_init(&b);
    c1 = 0;
    for (i = 0; i < 5; i++) {
        make_config(&cfg, i & 1 ? "192.0.3.0" : "192.0.4.1");
        c0 = cpu_ns();
        rdma_engine_set_config(b.engine, &cfg);
        c1 += cpu_ns() - c0;
        rdma_mapping_destroy(&cfg);
    }
    printf("configuration change with %lld tunnels, nothing bound: CPU "
           "%.3f ms (%.0f ns per tunnel)\n", t, c1 / 5 / 1e6,
           (double) c1 / 5 / t);

    /* Binds, each to a destination behind a different tunnel, so that
     * the tunnel choice (longest prefix match over the candidates) is
     * part of every bind. */
    c0 = cpu_ns();
    for (i = 0; i < 1000; i++) {
        struct rdma_binding *binding;
        struct rdma_request req;
        int j = (i * 7919) % t;
        char *error;

        memset(&req, 0, sizeof req);
        req.vport = "vm1";
        req.dst_ip = in6_addr_mapped_ipv4(htonl(
            t > 256 ? (10u << 24) | j : (10u << 24) | (j << 16) | 2));
        req.dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
        req.has_dst_mac = true;
        req.cm_id = i + 1;
        req.has_cm_id = true;
        req.qpn = i + 1;
        req.has_qpn = true;
        error = rdma_engine_bind(b.engine, &req, &binding);
        if (error) {
            ovs_fatal(0, "bind %d: %s", i, error);
        }
    }
    printf("bind with %lld tunnels: CPU %.2f us per bind\n", t,
           (cpu_ns() - c0) / 1e3 / 1000);
    bench_destroy(&b);
    n_config_tunnels = N_TUNNELS;
}

/* Sets kernel connection 'i' of the fake table: device rxe0, source
 * 10.200.0.1, a destination behind tunnel i % N_TUNNELS, QP i + 1. */
static void
zt_fake_cm(long long int i)
{
    struct rdma_kcm cm;

    memset(&cm, 0, sizeof cm);
    ovs_strlcpy(cm.device, "rxe0", sizeof cm.device);
    cm.dev_index = 1;
    cm.cm_idn = i;
    cm.lqpn = i % 0xfffffe + 1;
    cm.pid = 1;
    cm.state = RDMA_KCM_CONNECT;
    cm.qp_type = 2;
    cm.src = in6_addr_mapped_ipv4(htonl(0x0ac80001));
    cm.dst = in6_addr_mapped_ipv4(htonl((10u << 24)
                                        | ((i % N_TUNNELS) << 16)
                                        | (i / N_TUNNELS % 65000 + 2)));
    cm.has_src = cm.has_dst = true;
    cm.dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
    cm.has_dst_mac = true;
    rdma_qp_source_fake_cm_set(&cm);
}

/* "zero-touch N": the watcher's cost per connection with N connections in
 * the (fake) kernel table: the dump that binds them all, a dump with
 * nothing new (the idle cost), the dump after they all went.  In CPU time
 * of this process, which the shared machine's load does not inflate. */
static void
run_zero_touch(long long int n)
{
    struct rdma_zero_touch_stats st;
    struct rdma_zero_touch *zt;
    struct rdma_map_vport *vp;
    struct rdma_mapping cfg;
    long long int i, t, idle;
    size_t bound;
    struct bench b;
    int k;

    bench_init(&b);
    /* A kernel connection's source address must be one of the vport's. */
    make_config(&cfg, "192.0.3.0");
    vp = CONST_CAST(struct rdma_map_vport *,
                    rdma_mapping_find_vport(&cfg, "vm1"));
    vp->ips = xmalloc(sizeof *vp->ips);
    vp->ips[0] = vp->ip;
    vp->n_ips = 1;
    rdma_engine_set_config(b.engine, &cfg);
    rdma_mapping_destroy(&cfg);

    /* Its log of each bind and unbind would be this benchmark's cost. */
    vlog_set_levels(vlog_module_from_name("rdma_zero_touch"),
                    VLF_ANY_DESTINATION, VLL_WARN);
    if (rdma_qp_source_init("fake")) {
        ovs_fatal(0, "no fake QP source");
    }
    zt = rdma_zero_touch_create(b.engine, &b.map, 100);
    rdma_zero_touch_set_device(zt, "rxe0", "vm1", true);
    for (i = 0; i < n; i++) {
        zt_fake_cm(i);
    }

    t = cpu_ns();
    rdma_zero_touch_poll(zt);
    t = cpu_ns() - t;
    rdma_zero_touch_count(zt, &bound);
    if (bound != n || rdma_qp_map_count(&b.map) != n) {
        ovs_fatal(0, "zero-touch bound %"PRIuSIZE" of %lld connections",
                  bound, n);
    }
    printf("zero-touch, %7lld connections: first dump binds all: "
           "%8.3f ms CPU (%6.2f us per connection)\n", n, t / 1e6,
           t / 1e3 / n);

    idle = cpu_ns();
    for (k = 0; k < 10; k++) {
        rdma_zero_touch_poll(zt);
    }
    idle = (cpu_ns() - idle) / 10;
    printf("zero-touch, %7lld connections: dump with nothing new: "
           "%8.3f ms CPU (%6.3f us per connection; %.1f%% of a core at "
           "--zero-touch-poll=%d)\n", n, idle / 1e6, idle / 1e3 / n,
           idle / 1e6 / RDMA_ZT_POLL_MS * 100, RDMA_ZT_POLL_MS);

    for (i = 0; i < n; i++) {
        rdma_qp_source_fake_cm_del("rxe0", i);
    }
    t = cpu_ns();
    rdma_zero_touch_poll(zt);
    t = cpu_ns() - t;
    rdma_zero_touch_get_stats(zt, &st);
    if (rdma_qp_map_count(&b.map) || st.n_unbound != n) {
        ovs_fatal(0, "zero-touch left %"PRIuSIZE" bindings",
                  rdma_qp_map_count(&b.map));
    }
    printf("zero-touch, %7lld connections: dump after all went: "
           "%8.3f ms CPU (%6.2f us per connection)\n", n, t / 1e6,
           t / 1e3 / n);
    rdma_zero_touch_destroy(zt);
    bench_destroy(&b);
}

/* Returns the bytes of heap in use: malloc'd chunks, counting those that
 * malloc takes straight from mmap (big arrays, such as hash tables'
 * buckets), which 'uordblks' leaves out. */
static size_t
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();

    return mi.uordblks + mi.hblkhd;
}

/* "memory N": RSS per binding of the whole process, and of the dummy NIC's
 * own table measured apart, so that the QP map's share shows. */
static void
run_memory(long long int n)
{
    long long int before, after, nic_before, nic_after;
    size_t heap_before, heap_after, nic_heap_before, nic_heap_after;
    struct rdma_nic_entry entry;
    double per;
    struct rdma_nic_source src;
    struct rdma_nic *nic;
    struct bench b;
    long long int i;
    char *error;

    bench_init(&b);
    before = rss_bytes();
    heap_before = heap_in_use();
    for (i = 0; i < n; i++) {
        bench_bind(&b, i, i % N_TUNNELS);
    }
    after = rss_bytes();
    heap_after = heap_in_use();

    /* The same number of entries in a second dummy NIC alone. */
    error = rdma_nic_open("dummy:log=0", &nic);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    memset(&entry, 0, sizeof entry);
    memset(&src, 0, sizeof src);
    nic_before = rss_bytes();
    nic_heap_before = heap_in_use();
    for (i = 0; i < n; i++) {
        entry.cm_id = i + 1;
        rdma_nic_bind_source(nic, entry.cm_id, &src);
        rdma_nic_install(nic, &entry);
    }
    nic_after = rss_bytes();
    nic_heap_after = heap_in_use();

    printf("RSS with %lld bindings: %.0f bytes per binding in all, of which "
           "the dummy NIC's table %.0f and ovs-rdmad's QP map %.0f "
           "(struct rdma_binding: %"PRIuSIZE" bytes)\n", n,
           (double) (after - before) / n,
           (double) (nic_after - nic_before) / n,
           (double) ((after - before) - (nic_after - nic_before)) / n,
           sizeof(struct rdma_binding));
    per = ((double) (heap_after - heap_before)
           - (double) (nic_heap_after - nic_heap_before)) / n;
    printf("heap in use (mallinfo2, with mmap'd blocks: hash buckets "
           "included) per binding for ovs-rdmad's QP map and engine at %lld "
           "bindings: %.0f B (the dummy NIC's table: %.0f B)",
           n, per, (double) (nic_heap_after - nic_heap_before) / n);
    print_target(per, "<= 128 B", 164, true, "B");
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

/* Formats into 'buf' (of 'size' bytes) tenant request number 'i' ("bind"
 * or "unbind" of cm_id 'base' + i, QPN 'base' + i), with JSON-RPC id 'i'.
 * Returns its length. */
static int
format_tenant_request(char *buf, size_t size, bool bind, long long int base,
                      long long int i)
{
    return (bind
            ? snprintf(buf, size, "{\"method\":\"bind\",\"params\":[{"
                       "\"cm_id\":%lld,\"dst_ip\":\"10.1.%lld.%lld\","
                       "\"dst_mac\":\"02:00:00:00:02:02\",\"qpn\":%lld}],"
                       "\"id\":%lld}", base + i, (i / 250) % 250,
                       i % 250 + 1, base + i, i)
            : snprintf(buf, size, "{\"method\":\"unbind\",\"params\":[{"
                       "\"cm_id\":%lld}],\"id\":%lld}", base + i, i));
}

/* A tenant client's reply reader: splits the bytes read from a socket
 * into top-level JSON objects. */
struct reply_reader {
    int depth;                  /* Nesting depth of braces. */
    bool in_string;             /* Inside a JSON string? */
    bool escape;                /* Just after a backslash in a string? */
    struct ds cur;              /* The object read so far. */
};

/* Reads what is available on 'fd' (blocking for at least one byte) and
 * returns the number of complete replies it finished; exits if a reply is
 * an error ("error" not null) or on EOF. */
static int
read_replies(int fd, struct reply_reader *r, const char *what)
{
    char buf[65536];
    ssize_t len = read(fd, buf, sizeof buf);
    int n = 0;
    ssize_t i;

    if (len <= 0) {
        ovs_fatal(len ? errno : 0, "%s: tenant socket closed", what);
    }
    for (i = 0; i < len; i++) {
        char c = buf[i];

        if (r->depth) {
            ds_put_char(&r->cur, c);
        }
        if (r->in_string) {
            if (r->escape) {
                r->escape = false;
            } else if (c == '\\') {
                r->escape = true;
            } else if (c == '"') {
                r->in_string = false;
            }
        } else if (c == '"') {
            r->in_string = true;
        } else if (c == '{') {
            if (!r->depth++) {
                ds_put_char(&r->cur, c);
            }
        } else if (c == '}' && !--r->depth) {
            if (!strstr(ds_cstr(&r->cur), "\"error\":null")) {
                ovs_fatal(0, "%s: %s", what, ds_cstr(&r->cur));
            }
            ds_clear(&r->cur);
            n++;
        }
    }
    return n;
}

/* Sends 'n' "bind" (or "unbind") requests on the connected tenant socket
 * 'fd', for cm_ids and QPNs 'base'...'base' + n - 1, with at most 'window'
 * in flight.  If 'lat' is nonnull and 'window' is 1, stores each request's
 * round trip in ns in lat[i].  Returns the time taken, in ns. */
static long long int
tenant_pipeline(int fd, bool bind, long long int base, long long int n,
                int window, long long int *lat)
{
    struct reply_reader r = { .cur = DS_EMPTY_INITIALIZER };
    long long int start = now_ns(), t0 = start;
    long long int sent = 0, received = 0;
    struct ds out = DS_EMPTY_INITIALIZER;

    while (received < n) {
        ds_clear(&out);
        while (sent < n && sent - received < window) {
            char req[256];
            int len = format_tenant_request(req, sizeof req, bind, base,
                                            sent);

            ds_put_buffer(&out, req, len);
            sent++;
        }
        if (out.length) {
            if (lat) {
                t0 = now_ns();
            }
            if (write(fd, out.string, out.length) != out.length) {
                ovs_fatal(errno, "tenant socket write");
            }
        }
        received += read_replies(fd, &r, bind ? "bind" : "unbind");
        if (lat && window == 1) {
            lat[received - 1] = now_ns() - t0;
        }
    }
    ds_destroy(&out);
    ds_destroy(&r.cur);
    return now_ns() - start;
}

/* Prints the median and 99th percentile of the 'n' latencies in 'lat'
 * (sorting them), with 'label'. */
static void
print_latency(const char *label, long long int *lat, long long int n)
{
    qsort(lat, n, sizeof *lat, compare_ll);
    printf("%s: median %.1f us, p99 %.1f us", label, lat[n / 2] / 1e3,
           lat[n * 99 / 100] / 1e3);
    print_target(lat[n * 99 / 100] / 1e3, "p99 <= 100 us", 2300, true,
                 "us");
    if (getenv("BENCH_SCRIPT_MS")) {
        double script_ms = atof(getenv("BENCH_SCRIPT_MS"));

        printf("  median against a shell script resolving the same tuple "
               "with ovs-vsctl and ovs-appctl (%.1f ms): %.0fx faster\n",
               script_ms, script_ms * 1e6 / lat[n / 2]);
    }
}

static int connect_unix(const char *path);

/* Returns the CPU time (user + system) that process 'pid' has used, in
 * nanoseconds, or -1. */
static long long int
process_cpu_ns(pid_t pid)
{
    unsigned long long int utime, stime;
    char name[64], buf[1024], *p;
    FILE *f;

    snprintf(name, sizeof name, "/proc/%ld/stat", (long int) pid);
    f = fopen(name, "r");
    if (!f) {
        return -1;
    }
    p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
    fclose(f);
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%llu %llu", &utime, &stime) != 2) {
        return -1;
    }
    return (utime + stime) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

/* Returns the pid of the process at the other end of Unix socket 'fd'. */
static pid_t
peer_pid(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof cred;

    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ? -1
           : cred.pid;
}

/* Prints the CPU time the daemon 'pid' used since 'cpu0' per request, for
 * 'n' requests, and the rate that one core would sustain at that cost. */
static void
print_daemon_cpu(pid_t pid, long long int cpu0, long long int n,
                 const char *what)
{
    long long int cpu = process_cpu_ns(pid);

    if (cpu >= 0 && cpu0 >= 0 && cpu > cpu0) {
        printf("  ovs-rdmad CPU per %s: %.1f us (one free core: %.0f/s)\n",
               what, (cpu - cpu0) / 1e3 / n, n / ((cpu - cpu0) / 1e9));
    }
}

/* Returns the mean cost, in microseconds, of writing 100 bytes to a
 * file in directory 'dir' and calling fdatasync(): appended (the file
 * grows, as the state file does) if 'append', else overwritten in
 * place. */
static double
fdatasync_us(const char *dir, bool append)
{
    char *name = xasprintf("%s/bench-sync-probe", dir);
    char buf[100];
    long long int t;
    int fd, i;

    memset(buf, 'x', sizeof buf);
    fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        ovs_fatal(errno, "%s", name);
    }
    t = now_ns();
    for (i = 0; i < 200; i++) {
        if ((append ? write(fd, buf, sizeof buf)
             : pwrite(fd, buf, sizeof buf, 0)) != sizeof buf
            || fdatasync(fd)) {
            ovs_fatal(errno, "%s", name);
        }
    }
    t = now_ns() - t;
    close(fd);
    unlink(name);
    free(name);
    return t / 1e3 / 200;
}

/* Returns the "syncs" count in "rdma/show-state" from ovs-rdmad at
 * 'unixctl', or -1. */
static long long int
state_syncs(const char *unixctl)
{
    char *result = NULL, *err = NULL;
    struct jsonrpc *client;
    long long int syncs = -1;
    const char *p;

    if (unixctl_client_create(unixctl, &client)) {
        return -1;
    }
    if (!unixctl_client_transact(client, "rdma/show-state", 0, NULL,
                                 &result, &err)
        && result && (p = strstr(result, "syncs: "))) {
        syncs = atoll(p + 7);
    }
    jsonrpc_close(client);
    free(result);
    free(err);
    return syncs;
}

/* Returns the CPU time (user + system), in nanoseconds, of the threads
 * of process 'pid' whose name starts with 'prefix' if 'match', else of
 * its other threads; -1 on error. */
static long long int
threads_cpu_ns(pid_t pid, const char *prefix, bool match)
{
    long long int total = 0;
    struct dirent *de;
    char name[512];
    DIR *dir;

    snprintf(name, sizeof name, "/proc/%ld/task", (long int) pid);
    dir = opendir(name);
    if (!dir) {
        return -1;
    }
    while ((de = readdir(dir)) != NULL) {
        unsigned long long int utime, stime;
        char buf[1024], *p;
        FILE *f;

        if (de->d_name[0] == '.') {
            continue;
        }
        snprintf(name, sizeof name, "/proc/%ld/task/%s/stat",
                 (long int) pid, de->d_name);
        f = fopen(name, "r");
        if (!f) {
            continue;
        }
        p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
        fclose(f);
        if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
                         "%*u %llu %llu", &utime, &stime) != 2) {
            continue;
        }
        /* The name is between the first '(' and the last ')'. */
        if ((strncmp(strchr(buf, '(') + 1, prefix, strlen(prefix)) == 0)
            == match) {
            total += (utime + stime) * (1000000000LL / sysconf(_SC_CLK_TCK));
        }
    }
    closedir(dir);
    return total;
}

/* Prints the CPU time that the main thread(s) of ovs-rdmad 'pid' and its
 * sync thread used per bind, for 'n' binds, since 'main0' and 'sync0'. */
static void
print_sync_cpu(pid_t pid, long long int main0, long long int sync0,
               long long int n)
{
    long long int main1 = threads_cpu_ns(pid, "state_sync", false);
    long long int sync1 = threads_cpu_ns(pid, "state_sync", true);

    if (main0 >= 0 && main1 > main0) {
        printf("  ovs-rdmad CPU per bind: %.1f us in the main loop (one "
               "free core: %.0f binds/s), %.1f us in the sync thread\n",
               (main1 - main0) / 1e3 / n, n / ((main1 - main0) / 1e9),
               (sync1 - sync0) / 1e3 / n);
    }
}

/* "sync MODE N TENANT UNIXCTL STATE_DIR": the write-ahead benchmark for
 * ovs-rdmad running with --state-sync=MODE, its tenant socket TENANT, its
 * unixctl socket UNIXCTL and its state file in STATE_DIR.  Prints the bare
 * cost of an fdatasync() there, then binds (and unbinds) by one client one
 * at a time (N / 10 of them) and with 64 in flight (N), each rate with its
 * target and the number of fdatasync() calls per bind. */
static void
run_sync(const char *mode, long long int n, const char *tenant,
         const char *unixctl, const char *dir)
{
    bool fdatasync_mode = !strcmp(mode, "fdatasync");
    double append_us = fdatasync_us(dir, true);
    long long int seq_n = MAX(1, n / 10);
    long long int syncs0, syncs1, main0, sync0, t;
    char target[160];
    pid_t pid;
    int fd;

    /* The probes below keep this process away from its poll loop for a
     * while: not worth a warning. */
    vlog_set_levels_from_string_assert("timeval:off");
    vlog_set_levels_from_string_assert("coverage:off");
    printf("bare fdatasync() of 100 bytes on the state file's file system: "
           "%.0f us appended (the file grows, as the log does), %.0f us "
           "overwritten in place\n", append_us, fdatasync_us(dir, false));

    fd = connect_unix(tenant);
    pid = peer_pid(fd);
    syncs0 = state_syncs(unixctl);
    main0 = threads_cpu_ns(pid, "state_sync", false);
    sync0 = threads_cpu_ns(pid, "state_sync", true);
    t = tenant_pipeline(fd, true, 4000000, seq_n, 1, NULL);
    syncs1 = state_syncs(unixctl);
    printf("--state-sync=%s, one client, sequential, %lld QPs: %.0f "
           "binds/s, %.2f fdatasync per bind", mode, seq_n,
           seq_n / (t / 1e9), (syncs1 - syncs0) / (double) seq_n);
    if (fdatasync_mode) {
        snprintf(target, sizeof target, "none: each request waits for "
                 "its own sync, so at most 1/(%.0f us) = %.0f binds/s "
                 "here", append_us, 1e6 / append_us);
    } else {
        snprintf(target, sizeof target, ">= 20000 binds/s");
    }
    print_target(seq_n / (t / 1e9), target, 0, false, "");
    print_sync_cpu(pid, main0, sync0, seq_n);
    tenant_pipeline(fd, false, 4000000, seq_n, 64, NULL);

    syncs0 = state_syncs(unixctl);
    main0 = threads_cpu_ns(pid, "state_sync", false);
    sync0 = threads_cpu_ns(pid, "state_sync", true);
    t = tenant_pipeline(fd, true, 4000000, n, 64, NULL);
    syncs1 = state_syncs(unixctl);
    printf("--state-sync=%s, one client, 64 in flight, %lld QPs: %.0f "
           "binds/s, %.3f fdatasync per bind", mode, n, n / (t / 1e9),
           (syncs1 - syncs0) / (double) n);
    print_target(n / (t / 1e9), (fdatasync_mode
                                 ? ">= 10000 binds/s (group commit)"
                                 : "none (no sync)"), 0, false, "");
    print_sync_cpu(pid, main0, sync0, n);
    tenant_pipeline(fd, false, 4000000, n, 64, NULL);
    close(fd);
}

/* "tenant N SOCKET [WINDOW [CLIENTS]]": N "bind" requests on a vport's
 * tenant socket by CLIENTS clients (default 1), each on its own
 * connection with up to WINDOW (default 64) requests in flight, then as
 * many "unbind"s.  With one client and a window of 1, prints the latency
 * too. */
static void
run_tenant(long long int n, const char *socket, int window, int clients)
{
    long long int per = n / clients;
    long long int start, t;
    int c;

    if (clients == 1) {
        long long int *lat = window == 1 ? xmalloc(n * sizeof *lat) : NULL;
        int fd = connect_unix(socket);
        pid_t pid = peer_pid(fd);
        long long int cpu0 = process_cpu_ns(pid);

        t = tenant_pipeline(fd, true, 2000000, n, window, lat);
        printf("bind through a tenant socket, one client, %d in flight, "
               "%lld QPs: %.0f binds/s", window, n, n / (t / 1e9));
        if (window == 1) {
            print_target(n / (t / 1e9), ">= 20000 binds/s", 6800, false,
                         "binds/s");
        } else {
            print_target(n / (t / 1e9), "none (pipelined)", 19000, false,
                         "binds/s with 32 in flight");
        }
        if (lat) {
            print_latency("  bind latency, one client, sequential", lat, n);
        }
        print_daemon_cpu(pid, cpu0, n, "bind");
        t = tenant_pipeline(fd, false, 2000000, n, window, NULL);
        printf("unbind through a tenant socket, one client, %d in flight, "
               "%lld QPs: %.0f unbinds/s\n", window, n, n / (t / 1e9));
        close(fd);
        free(lat);
        return;
    }

    /* Several clients: each forked child connects, waits for a byte on
     * 'go', binds its share, notes the time, unbinds them, and writes
     * both end times to 'res'. */
    int go[2], res[2], probe;
    long long int bind_end = 0, unbind_end = 0, cpu0;
    pid_t pid;
    pid_t *pids = xmalloc(clients * sizeof *pids);

    if (pipe(go) || pipe(res)) {
        ovs_fatal(errno, "pipe");
    }
    for (c = 0; c < clients; c++) {
        pids[c] = fork();
        if (!pids[c]) {
            int fd = connect_unix(socket);
            long long int ends[2];
            char byte;

            if (read(go[0], &byte, 1) != 1) {
                _exit(1);
            }
            tenant_pipeline(fd, true, 2000000 + c * per, per, window, NULL);
            ends[0] = now_ns();
            tenant_pipeline(fd, false, 2000000 + c * per, per, window,
                            NULL);
            ends[1] = now_ns();
            _exit(write(res[1], ends, sizeof ends) != sizeof ends);
        }
    }
    close(res[1]);
    usleep(200000);             /* Let every child connect. */
    probe = connect_unix(socket);
    pid = peer_pid(probe);
    cpu0 = process_cpu_ns(pid);
    start = now_ns();
    for (c = 0; c < clients; c++) {
        if (write(go[1], "g", 1) != 1) {
            ovs_fatal(errno, "pipe");
        }
    }
    for (c = 0; c < clients; c++) {
        long long int ends[2];
        int status;

        if (read(res[0], ends, sizeof ends) != sizeof ends) {
            ovs_fatal(0, "a tenant client failed");
        }
        bind_end = MAX(bind_end, ends[0]);
        unbind_end = MAX(unbind_end, ends[1]);
        waitpid(pids[c], &status, 0);
    }
    printf("bind through tenant sockets, %d clients, %d in flight each, "
           "%lld QPs: %.0f binds/s in total", clients, window,
           per * clients, per * clients / ((bind_end - start) / 1e9));
    print_target(per * clients / ((bind_end - start) / 1e9),
                 ">= 100000 binds/s", 19000, false,
                 "binds/s (one client, 32 in flight)");
    printf("bind + unbind, same: %.0f requests/s in total\n",
           2 * per * clients / ((unbind_end - start) / 1e9));
    print_daemon_cpu(pid, cpu0, 2 * per * clients, "request (bind or unbind)");
    close(probe);
    close(go[0]);
    close(go[1]);
    close(res[0]);
    free(pids);
}

/* Returns what "rdma-dummy/stats" over 'client' says for 'counter'
 * ("modifies", ...), or -1. */
static long long int
dummy_counter(struct jsonrpc *client, const char *counter)
{
    char *result = NULL, *err = NULL;
    long long int value = -1;
    char *needle = xasprintf("%s: ", counter);
    const char *p;

    unixctl_client_transact(client, "rdma-dummy/stats", 0, NULL, &result,
                            &err);
    if (result && (p = strstr(result, needle))) {
        value = atoll(p + strlen(needle));
    }
    free(needle);
    free(result);
    free(err);
    return value;
}

/* "e2e N UNIXCTL TENANT COMMAND LABEL [BEFORE_MS]": binds N connections on
 * tenant socket TENANT (pipelined), runs shell COMMAND (a configuration or
 * underlay change that affects all of them), and reports the time until
 * the dummy NIC has modified N entries ("rdma-dummy/stats" on UNIXCTL),
 * then unbinds them.  BEFORE_MS is the baseline it replaces, if any. */
static void
run_e2e(long long int n, const char *unixctl, const char *tenant,
        const char *command, const char *label, double before_ms)
{
    long long int m0, m, t0, t1, t2;
    struct jsonrpc *client;
    int fd, error;

    error = unixctl_client_create(unixctl, &client);
    if (error) {
        ovs_fatal(error, "%s", unixctl);
    }
    fd = connect_unix(tenant);
    tenant_pipeline(fd, true, 3000000, n, 256, NULL);
    m0 = dummy_counter(client, "modifies");
    if (m0 < 0) {
        ovs_fatal(0, "rdma-dummy/stats: no modifies counter");
    }
    t0 = now_ns();
    if (system(command)) {
        ovs_fatal(0, "%s failed", command);
    }
    t1 = now_ns();
    while ((m = dummy_counter(client, "modifies")) - m0 < n) {
        if (now_ns() - t1 > 60LL * 1000 * 1000 * 1000) {
            ovs_fatal(0, "%s: %lld of %lld entries modified after 60 s",
                      label, m - m0, n);
        }
        xnanosleep(500 * 1000);
    }
    t2 = now_ns();
    printf("%s, %lld bindings: all modified %.1f ms after the command "
           "returned (the command took %.1f ms)", label, n, (t2 - t1) / 1e6,
           (t1 - t0) / 1e6);
    print_target((t2 - t1) / 1e6, "<= 50 ms", before_ms, true, "ms");
    tenant_pipeline(fd, false, 3000000, n, 256, NULL);
    close(fd);
    jsonrpc_close(client);
}

/* "idle N TENANT SECONDS": binds N connections on tenant socket TENANT,
 * then measures the CPU the daemon uses over SECONDS while nothing
 * happens, and unbinds them. */
static void
run_idle(long long int n, const char *tenant, int seconds)
{
    int fd = connect_unix(tenant);
    pid_t pid = peer_pid(fd);
    long long int c0, c1, t0, t1;

    tenant_pipeline(fd, true, 3000000, n, 256, NULL);
    xnanosleep(1000LL * 1000 * 1000);   /* Let the last writes settle. */
    c0 = process_cpu_ns(pid);
    t0 = now_ns();
    xnanosleep(seconds * 1000LL * 1000 * 1000);
    c1 = process_cpu_ns(pid);
    t1 = now_ns();
    printf("idle daemon with %lld bindings, %d s: %.2f%% of a core",
           n, seconds, 100.0 * (c1 - c0) / (t1 - t0));
    print_target(100.0 * (c1 - c0) / (t1 - t0), "< 1%", 0, true, "%");
    tenant_pipeline(fd, false, 3000000, n, 256, NULL);
    close(fd);
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
    if (argc == 7 && !strcmp(argv[1], "sync") && atoll(argv[3]) > 0) {
        run_sync(argv[2], atoll(argv[3]), argv[4], argv[5], argv[6]);
        return 0;
    }
    if (argc < 3 || (n = atoll(argv[2])) <= 0) {
        ovs_fatal(0, "usage: %s bind|refresh|memory|zero-touch N "
                  "| config T | unixctl N SOCKET [same] "
                  "| tenant N SOCKET [WINDOW [CLIENTS]] "
                  "| flowchange N SOCKET COMMAND NEEDLE "
                  "| e2e N UNIXCTL TENANT COMMAND LABEL [BEFORE_MS] "
                  "| idle N TENANT SECONDS "
                  "| sync MODE N TENANT UNIXCTL STATE_DIR "
                  "| flood[-nice] N UNIXCTL FLOODED OTHER", argv[0]);
    }
    if (!strcmp(argv[1], "bind")) {
        run_bind(n);
    } else if (!strcmp(argv[1], "refresh")) {
        run_refresh(n);
    } else if (!strcmp(argv[1], "memory")) {
        run_memory(n);
    } else if (!strcmp(argv[1], "zero-touch")) {
        run_zero_touch(n);
    } else if (!strcmp(argv[1], "unixctl") && (argc == 4 || argc == 5)) {
        run_unixctl(n, argv[3], argc == 5 && !strcmp(argv[4], "same"));
    } else if (!strcmp(argv[1], "tenant") && argc >= 4 && argc <= 6) {
        run_tenant(n, argv[3], argc >= 5 ? atoi(argv[4]) : 64,
                   argc == 6 ? MAX(1, atoi(argv[5])) : 1);
    } else if (!strcmp(argv[1], "config")) {
        run_config(n);
    } else if (!strcmp(argv[1], "idle") && argc == 5) {
        run_idle(n, argv[3], atoi(argv[4]));
    } else if (!strcmp(argv[1], "e2e") && (argc == 7 || argc == 8)) {
        run_e2e(n, argv[3], argv[4], argv[5], argv[6],
                argc == 8 ? atof(argv[7]) : 0);
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
