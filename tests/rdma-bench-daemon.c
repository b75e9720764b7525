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

/* rdma-bench's benchmarks that drive a running ovs-rdmad through its
 * sockets: unixctl and tenant binds, write-ahead syncs, end to end
 * convergence, idle cost, flow changes, floods (see rdma-bench.c for the
 * commands). */

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
#include <sys/wait.h>

#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "socket-util.h"
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
void
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
void
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
long long int
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
void
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


/* Returns the CPU time (user + system) that process 'pid' has used, in
 * nanoseconds, or -1. */
long long int
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
void
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
void
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
void
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
void
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
int
connect_unix(const char *path)
{
    int fd = make_unix_socket(SOCK_STREAM, false, NULL, path);

    if (fd < 0) {
        ovs_fatal(-fd, "%s", path);
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
void
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
