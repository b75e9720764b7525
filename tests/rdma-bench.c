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

#include "rdma-bench.h"

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
long long int
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Returns the CPU time this process has used, in nanoseconds.  On this
 * shared machine it is steadier than the wall clock, which also counts
 * the time other engineers' jobs held the CPU. */
long long int
cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Prints ", target T" and, if 'baseline' is positive, "x R against the
 * baseline B" for 'value' against them, where 'lower' says whether less
 * is better; 'unit' names their unit. */
void
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
int
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
long long int
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
                  "| tenant N SOCKET [WINDOW [CLIENTS]] | floor N DIR "
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
    } else if (!strcmp(argv[1], "floor") && argc == 4) {
        run_floor(n, argv[3]);
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
