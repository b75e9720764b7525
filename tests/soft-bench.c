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

/* soft-bench: packet-rate benchmarks of the soft NIC ("make bench").
 *
 *   soft-bench frame SIZE N
 *       builds N frames (outer header + inner RoCEv2 frame + ICRC) with
 *       SIZE-byte payloads in-process and prints the cost per packet
 *
 *   soft-bench wire NSA DEVA NSB DEVB SIZE N
 *       opens a soft NIC on DEVA in network namespace NSA and one on DEVB
 *       in NSB (a veth pair), installs the two ends of a connection, sends
 *       N packets with SIZE-byte payloads from A and receives them at B;
 *       then sends the same inner frames through Linux kernel vxlan
 *       devices vxa (in NSA) and vxb (in NSB), which the caller set up on
 *       the same veth, and counts them at B.  Prints packets/s and Gbit/s
 *       of payload for both, and their ratio. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "ovl-header.h"
#include "ovl-tuple.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-nic-provider.h"
#include "rdma-nic-soft.h"
#include "roce-frame.h"
#include "test-tuple.h"
#include "openvswitch/vlog.h"
#include "util.h"

/* Returns a monotonic time in nanoseconds. */
static long long int
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Returns the tuple of end 'a' (or b) of the benchmark connection. */
static struct ovl_tuple
bench_tuple(bool a)
{
    struct ovl_tuple t = test_tuple(OVL_VXLAN);

    if (!a) {
        test_tuple_reverse(&t);
    }
    t.underlay_mtu = 9000;
    t.path_mtu = 4096;
    return t;
}

/* "frame SIZE N". */
static void
run_frame(int size, long long int n)
{
    struct ovl_tuple t = bench_tuple(true);
    struct roce_bth bth = { .opcode = ROCE_OPCODE_RC_SEND_ONLY,
                            .pkey = 0xffff, .dest_qp = 18 };
    uint8_t *payload = xzalloc(size + 1);
    uint8_t frame[9216];
    long long int i, start, ns;
    size_t hdr, inner = 0;

    start = now_ns();
    for (i = 0; i < n; i++) {
        bth.psn = i & 0xffffff;
        hdr = ovl_header_build(&t, frame);
        inner = roce_frame_build(&t, &bth, payload, size, frame + hdr,
                                 sizeof frame - hdr);
        ovl_header_finish(frame, hdr, inner);
    }
    ns = now_ns() - start;
    printf("header build + inner frame + ICRC, %5d-byte payload: "
           "%6.0f ns/packet (%.2f Gbit/s of payload on one core)\n", size,
           (double) ns / n, size * 8.0 * n / ns);
    free(payload);
}

/* Enters network namespace 'name'. */
static void
enter_netns(const char *name)
{
    const char *netns_dir = "/run/netns";
    char *path = xasprintf("%s/%s", netns_dir, name);
    int fd = open(path, O_RDONLY);

    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        ovs_fatal(errno, "%s", path);
    }
    close(fd);
    free(path);
}

/* Opens a soft NIC on 'dev' in namespace 'ns'. */
static struct rdma_nic *
open_soft(const char *ns, const char *dev)
{
    struct rdma_nic *nic;
    char *spec, *error;

    enter_netns(ns);
    spec = xasprintf("soft:dev=%s", dev);
    error = rdma_nic_open(spec, &nic);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    free(spec);
    return nic;
}

/* Opens an AF_PACKET socket on 'dev' in namespace 'ns'. */
static int
open_packet(const char *ns, const char *dev)
{
    struct sockaddr_ll sll;
    int fd;

    enter_netns(ns);
    fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) {
        ovs_fatal(errno, "socket");
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = if_nametoindex(dev);
    if (!sll.sll_ifindex || bind(fd, (struct sockaddr *) &sll, sizeof sll)) {
        ovs_fatal(errno, "%s", dev);
    }
    {
        int rcvbuf = 4 * 1024 * 1024;

        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    return fd;
}

/* Sends from soft NIC 'a' and receives at soft NIC 'b' in rounds of
 * 'burst', so that the receive queue never overflows.  Returns packets
 * delivered at b. */
static long long int
soft_round_trip(struct rdma_nic *a, struct rdma_nic *b, int size,
                long long int n, long long int *nsp)
{
    uint8_t *payload = xzalloc(size + 1);
    long long int sent = 0, start, delivered;
    const int burst = 16;
    int error;

    start = now_ns();
    while (sent < n) {
        int count = MIN(burst, n - sent);

        error = rdma_nic_soft_send(a, 1, payload, size, count);
        if (error) {
            ovs_fatal(error, "soft send");
        }
        sent += count;
        rdma_nic_run(b);
    }
    rdma_nic_run(b);
    *nsp = now_ns() - start;
    delivered = rdma_nic_soft_rx_packets(b, 18);
    free(payload);
    return delivered;
}

/* Reads every frame waiting on 'fd' into 'buf' and returns how many were
 * RoCE frames, i.e. UDP to port 4791 (others, such as neighbour discovery,
 * are not counted). */
static long long int
drain(int fd, uint8_t *buf, size_t size, size_t len OVS_UNUSED)
{
    struct roce_frame_info info;
    long long int n = 0;
    ssize_t got;

    while ((got = recv(fd, buf, size, MSG_DONTWAIT)) > 0) {
        if (!roce_frame_parse(buf, got, &info)) {
            n++;
        }
    }
    return n;
}

/* "wire NSA DEVA NSB DEVB SIZE N". */
static void
run_wire(const char *nsa, const char *deva, const char *nsb,
         const char *devb, int size, long long int n)
{
    struct rdma_nic *a = open_soft(nsa, deva);
    struct rdma_nic *b = open_soft(nsb, devb);
    struct rdma_nic_entry ea, eb;
    long long int got, ns, kns, kgot = 0, i;
    double soft_pps, kernel_pps;
    int ka, kb;

    memset(&ea, 0, sizeof ea);
    ea.cm_id = 1;
    ea.qpn = 17;
    ea.remote_qpn = 18;
    ea.generation = 1;
    ea.tuple = bench_tuple(true);
    eb = ea;
    eb.qpn = 18;
    eb.remote_qpn = 17;
    eb.tuple = bench_tuple(false);
    if (rdma_nic_install(a, &ea) || rdma_nic_install(b, &eb)) {
        ovs_fatal(0, "install failed");
    }

    got = soft_round_trip(a, b, size, n, &ns);
    soft_pps = got * 1e9 / ns;

    /* The same inner frames through the kernel's vxlan devices. */
    ka = open_packet(nsa, "vxa");
    kb = open_packet(nsb, "vxb");
    {
        struct ovl_tuple t = bench_tuple(true);
        struct roce_bth bth = { .opcode = ROCE_OPCODE_RC_SEND_ONLY,
                                .pkey = 0xffff, .dest_qp = 18 };
        uint8_t *payload = xzalloc(size + 1);
        uint8_t frame[9216], rx[9216];
        long long int start = now_ns();

        for (i = 0; i < n; i++) {
            size_t len;

            bth.psn = i & 0xffffff;
            len = roce_frame_build(&t, &bth, payload, size, frame,
                                   sizeof frame);
            if (send(ka, frame, len, 0) < 0) {
                ovs_fatal(errno, "send on vxa");
            }
            if (i % 16 == 15 || i == n - 1) {
                kgot += drain(kb, rx, sizeof rx, len);
            }
        }
        kgot += drain(kb, rx, sizeof rx, 0);
        kns = now_ns() - start;
        free(payload);
    }
    kernel_pps = kgot * 1e9 / kns;

    printf("%5d-byte payload, %lld packets: soft NIC %8.0f packets/s "
           "(%.2f Gbit/s, %lld delivered); kernel vxlan %8.0f packets/s "
           "(%.2f Gbit/s, %lld received); soft/kernel %.2f\n", size, n,
           soft_pps, soft_pps * size * 8 / 1e9, got, kernel_pps,
           kernel_pps * size * 8 / 1e9, kgot,
           kernel_pps ? soft_pps / kernel_pps : 0);
    rdma_nic_close(a);
    rdma_nic_close(b);
    close(ka);
    close(kb);
}

/* Entry point. */
int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    if (argc == 4 && !strcmp(argv[1], "frame")) {
        run_frame(atoi(argv[2]), atoll(argv[3]));
    } else if (argc == 8 && !strcmp(argv[1], "wire")) {
        run_wire(argv[2], argv[3], argv[4], argv[5], atoi(argv[6]),
                 atoll(argv[7]));
    } else {
        ovs_fatal(0, "usage: %s frame SIZE N | wire NSA DEVA NSB DEVB SIZE N",
                  argv[0]);
    }
    return 0;
}
