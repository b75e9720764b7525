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

/* Drivers for the Linux underlay backend, for the system tests in
 * tests/underlay-linux.at, which set up routes and neighbours in a network
 * namespace and run these there:
 *
 *   rdma-test underlay-linux DST [LOCAL]
 *     Resolves the path to DST once and prints it, or "error: REASON" and
 *     exits with status 1.
 *
 *   rdma-test underlay-linux-watch DST SECONDS [LOCAL]
 *     Prints the path to DST, then, for SECONDS seconds, re-resolves it
 *     whenever the backend's seqno changes and prints it again if it is
 *     different.  Reports each seqno change on stderr. */

#include <config.h>
#include "rdma-test.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "rdma-underlay-linux.h"
#include "rdma-underlay.h"
#include "timeval.h"
#include "util.h"

/* Parses 's', an IPv4 or IPv6 address, into '*ip' (IPv4-mapped for IPv4),
 * or exits with a usage error. */
static void
parse_ip(const char *s, struct in6_addr *ip)
{
    ovs_be32 ip4;

    if (ip_parse(s, &ip4)) {
        *ip = in6_addr_mapped_ipv4(ip4);
    } else if (!ipv6_parse(s, ip)) {
        fprintf(stderr, "%s: not an IP address\n", s);
        exit(2);
    }
}

/* Resolves the path to 'dst', from 'local' if nonnull, and returns it as a
 * malloc'd line of text.  Stores the resolution's errno in '*errorp'. */
static char *
resolve_to_string(const struct in6_addr *dst, const struct in6_addr *local,
                  int *errorp)
{
    struct rdma_underlay_path path;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *reason;
    int error;

    error = rdma_underlay_linux_resolve(dst, local, &path, &reason);
    if (error) {
        CHECK(reason != NULL);
        ds_put_format(&s, "error: %s", reason ? reason : "(null)");
        free(reason);
    } else {
        CHECK(reason == NULL);
        ds_put_format(&s, "dev=%s local_ip=", path.dev);
        ipv6_format_mapped(&path.local_ip, &s);
        ds_put_cstr(&s, " nexthop_ip=");
        ipv6_format_mapped(&path.nexthop_ip, &s);
        ds_put_format(&s, " local_mac="ETH_ADDR_FMT" nexthop_mac=",
                      ETH_ADDR_ARGS(path.local_mac));
        if (path.nexthop_mac_known) {
            ds_put_format(&s, ETH_ADDR_FMT, ETH_ADDR_ARGS(path.nexthop_mac));
        } else {
            ds_put_cstr(&s, "unknown");
        }
        ds_put_format(&s, " vlan=%"PRIu16" mtu=%d", path.vlan, path.mtu);
    }
    *errorp = error;
    return ds_steal_cstr(&s);
}

/* Initializes the backend or exits with an error. */
static void
init_backend(void)
{
    int error = rdma_underlay_linux_init();
    if (error) {
        fprintf(stderr, "rdma_underlay_linux_init: %s\n",
                ovs_strerror(error));
        exit(1);
    }
}

/* "underlay-linux DST [LOCAL]". */
static void
test_underlay_linux(int argc, char *argv[])
{
    struct in6_addr dst, local;
    char *line;
    int error;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: rdma-test underlay-linux DST [LOCAL]\n");
        exit(2);
    }
    parse_ip(argv[1], &dst);
    if (argc > 2) {
        parse_ip(argv[2], &local);
    }

    init_backend();
    line = resolve_to_string(&dst, argc > 2 ? &local : NULL, &error);
    puts(line);
    free(line);
    rdma_underlay_linux_destroy();
    if (error) {
        exit(1);
    }
}

/* "underlay-linux-watch DST SECONDS [LOCAL]". */
static void
test_underlay_linux_watch(int argc, char *argv[])
{
    struct in6_addr dst, local;
    long long int deadline;
    uint64_t last_seqno;
    char *last;
    int error;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: rdma-test underlay-linux-watch DST SECONDS "
                "[LOCAL]\n");
        exit(2);
    }
    parse_ip(argv[1], &dst);
    deadline = time_msec() + atoi(argv[2]) * 1000LL;
    if (argc > 3) {
        parse_ip(argv[3], &local);
    }

    init_backend();
    last_seqno = rdma_underlay_linux_seqno();
    last = resolve_to_string(&dst, argc > 3 ? &local : NULL, &error);
    puts(last);
    fflush(stdout);

    while (time_msec() < deadline) {
        uint64_t seqno;

        rdma_underlay_linux_run();
        seqno = rdma_underlay_linux_seqno();
        if (seqno != last_seqno) {
            char *line;

            CHECK(seqno > last_seqno);
            fprintf(stderr, "seqno %"PRIu64"\n", seqno);
            last_seqno = seqno;

            line = resolve_to_string(&dst, argc > 3 ? &local : NULL,
                                     &error);
            if (strcmp(line, last)) {
                puts(line);
                fflush(stdout);
                free(last);
                last = line;
            } else {
                free(line);
            }
        }

        rdma_underlay_linux_wait();
        poll_timer_wait_until(deadline);
        poll_block();
    }
    free(last);
    rdma_underlay_linux_destroy();
}

RDMA_TEST_REGISTER("underlay-linux",
                   "DST [LOCAL]: resolve the Linux underlay path to DST",
                   test_underlay_linux)
RDMA_TEST_REGISTER("underlay-linux-watch",
                   "DST SECONDS [LOCAL]: print the path to DST as it changes",
                   test_underlay_linux_watch)
