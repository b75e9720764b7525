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

/* "rdma-test kcm-dump": prints the kernel's rdma_cm ids as ovs-rdmad's
 * zero-touch watcher reads them (RDMA netlink), one a line; for the kernel
 * lane and for debugging. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"
#include "rdma-addr.h"
#include "rdma-qp-source.h"
#include "rdma-test.h"

/* Prints every rdma_cm id that RDMA netlink shows. */
static void
run_kcm_dump(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    struct rdma_kcm *cms;
    size_t n, i;
    int error;

    if (rdma_qp_source_init("netlink")
        || rdma_qp_source_type() != RDMA_QP_SOURCE_NETLINK) {
        rdma_test_fail(__FILE__, __LINE__, "no RDMA netlink");
        return;
    }
    error = rdma_qp_source_dump_cm_ids(&cms, &n);
    if (error) {
        rdma_test_fail(__FILE__, __LINE__, "dump: %s", ovs_strerror(error));
        return;
    }
    for (i = 0; i < n; i++) {
        char src[INET6_ADDRSTRLEN + 1], dst[INET6_ADDRSTRLEN + 1];

        printf("%s index=%"PRIu32" cm_idn=%"PRIu32" state=%s type=%u "
               "lqpn=%"PRIu32" pid=%"PRIu32" src=%s:%u dst=%s:%u%s%s\n",
               cms[i].device, cms[i].dev_index, cms[i].cm_idn,
               rdma_kcm_state_name(cms[i].state), cms[i].qp_type,
               cms[i].lqpn, cms[i].pid,
               rdma_ip_to_string(&cms[i].src, src), cms[i].src_port,
               rdma_ip_to_string(&cms[i].dst, dst), cms[i].dst_port,
               cms[i].has_src ? "" : " no-src",
               cms[i].has_dst ? "" : " no-dst");
    }
    free(cms);
}

RDMA_TEST_REGISTER("kcm-dump", "print the kernel's rdma_cm ids (RDMA "
                   "netlink)", run_kcm_dump)
