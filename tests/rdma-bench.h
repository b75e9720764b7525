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

#ifndef RDMA_BENCH_H
#define RDMA_BENCH_H 1

/* What the parts of rdma-bench share: clocks and printing (rdma-bench.c),
 * and the benchmarks that drive a running ovs-rdmad through its sockets
 * (rdma-bench-daemon.c), which main() in rdma-bench.c dispatches to. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* rdma-bench.c: clocks, memory, printing. */
long long int now_ns(void);
long long int cpu_ns(void);
long long int rss_bytes(void);
int compare_ll(const void *a_, const void *b_);
void print_target(double value, const char *target, double baseline,
                  bool lower, const char *unit);

/* rdma-bench-daemon.c: latency printing and the socket benchmarks. */
int connect_unix(const char *path);
long long int tenant_pipeline(int fd, bool bind, long long int base,
                              long long int n, int window,
                              long long int *lat);
long long int process_cpu_ns(pid_t pid);
void run_floor(long long int n, const char *dir);
void print_latency(const char *label, long long int *lat, long long int n);
void run_unixctl(long long int n, const char *socket, bool same);
void run_tenant(long long int n, const char *socket, int window, int clients);
void run_sync(const char *mode, long long int n, const char *tenant,
              const char *unixctl, const char *dir);
void run_e2e(long long int n, const char *unixctl, const char *tenant,
             const char *command, const char *label, double before_ms);
void run_idle(long long int n, const char *tenant, int seconds);
void run_flowchange(long long int n, const char *socket, const char *command,
                    const char *needle);
void run_flood(long long int n, const char *unixctl, const char *flooded,
               const char *other, int flood_nice);

#endif /* rdma-bench.h */
