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


/* test-rdmaovl: drives librdmaovl against a running ovs-rdmad, for the
 * autotests.  Links nothing but librdmaovl and the C library, which also
 * shows that applications need nothing from Open vSwitch.
 *
 *   test-rdmaovl SOCKET resolve DST_IP [DST_MAC]
 *   test-rdmaovl SOCKET bind DST_IP DST_MAC [QPN [REMOTE_QPN [CM_ID]]]
 *       (then "qp_checked" if rdmaovl_qp_checked())
 *   test-rdmaovl SOCKET update CM_ID REMOTE_QPN
 *   test-rdmaovl SOCKET unbind CM_ID
 *   test-rdmaovl SOCKET list
 *   test-rdmaovl SOCKET call METHOD [PARAMS]
 *
 * SOCKET "-" means $OVS_RDMA_SOCKET.  Prints one line per entry; on error
 * prints "error: ERRNO-TEXT: MESSAGE" on stderr and exits 1. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdmaovl.h"

/* Prints 'e' on one line. */
static void
print_entry(const struct rdmaovl_entry *e)
{
    printf("cm_id=%"PRIu64" qpn=%"PRIu32" remote_qpn=%"PRIu32" "
           "state=%s%s%s tunnel=%s type=%s vni=%"PRIu32" local_ip=%s "
           "remote_ip=%s nexthop_mac=%s udp_dst=%u path_mtu=%u "
           "inner=%s->%s gen=%"PRIu64"\n",
           e->cm_id, e->qpn, e->remote_qpn, e->state,
           e->reason[0] ? ":" : "", e->reason, e->tunnel, e->type, e->vni,
           e->local_ip, e->remote_ip, e->nexthop_mac, e->udp_dst,
           e->path_mtu, e->inner_src_ip, e->inner_dst_ip, e->generation);
}

/* Reports 'error' from 'ovl' and exits. */
static void
fail(struct rdmaovl *ovl, int error)
{
    fprintf(stderr, "error: %s: %s\n", strerror(error),
            ovl ? rdmaovl_last_error(ovl) : "");
    exit(1);
}

/* Parses 's' as an unsigned integer, or exits. */
static uint64_t
parse_u64(const char *s)
{
    char *end;
    uint64_t n;

    errno = 0;
    n = strtoull(s, &end, 0);
    if (errno || *end || !*s) {
        fprintf(stderr, "\"%s\" is not a number\n", s);
        exit(2);
    }
    return n;
}

/* Runs one command: see the comment at the top. */
int
main(int argc, char *argv[])
{
    struct rdmaovl_request req;
    struct rdmaovl_entry e;
    struct rdmaovl *ovl;
    const char *cmd;
    int error;

    if (argc < 3) {
        fprintf(stderr, "usage: %s SOCKET COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    error = rdmaovl_open(strcmp(argv[1], "-") ? argv[1] : NULL, &ovl);
    if (error) {
        fail(NULL, error);
    }
    cmd = argv[2];
    memset(&req, 0, sizeof req);
    if (!strcmp(cmd, "resolve") && argc >= 4) {
        req.dst_ip = argv[3];
        req.dst_mac = argc > 4 ? argv[4] : NULL;
        error = rdmaovl_resolve(ovl, &req, &e);
        if (!error) {
            print_entry(&e);
        }
    } else if (!strcmp(cmd, "bind") && argc >= 5) {
        req.dst_ip = argv[3];
        req.dst_mac = argv[4];
        req.persistent = true;  /* This process exits right away. */
        req.qpn = argc > 5 ? parse_u64(argv[5]) : 0;
        req.remote_qpn = argc > 6 ? parse_u64(argv[6]) : 0;
        if (argc > 7) {
            req.cm_id = parse_u64(argv[7]);
            req.has_cm_id = true;
        }
        error = rdmaovl_bind(ovl, &req, &e);
        if (!error) {
            print_entry(&e);
            if (rdmaovl_qp_checked(ovl)) {
                printf("qp_checked\n");
            }
        }
    } else if (!strcmp(cmd, "update") && argc == 5) {
        error = rdmaovl_set_remote_qpn(ovl, parse_u64(argv[3]),
                                       parse_u64(argv[4]), &e);
        if (!error) {
            print_entry(&e);
        }
    } else if (!strcmp(cmd, "unbind") && argc == 4) {
        error = rdmaovl_unbind(ovl, parse_u64(argv[3]));
    } else if (!strcmp(cmd, "list") && argc == 3) {
        struct rdmaovl_entry *entries;
        size_t i, n;

        error = rdmaovl_list(ovl, &entries, &n);
        for (i = 0; !error && i < n; i++) {
            print_entry(&entries[i]);
        }
        if (!error) {
            printf("%zu bindings\n", n);
            free(entries);
        }
    } else if (!strcmp(cmd, "call") && (argc == 4 || argc == 5)) {
        char *result;

        error = rdmaovl_call(ovl, argv[3], argc > 4 ? argv[4] : NULL,
                             &result);
        if (!error) {
            puts(result);
            free(result);
        }
    } else {
        fprintf(stderr, "%s: bad command or arguments\n", argv[0]);
        return 2;
    }
    if (error) {
        fail(ovl, error);
    }
    rdmaovl_close(ovl);
    return 0;
}
