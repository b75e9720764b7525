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

/* Unit tests for the overlay overhead and RoCE path MTU math. */

#include <config.h>
#include "rdma-mtu.h"
#include "rdma-test.h"

#include <string.h>

#include "util.h"

/* Overlay overhead for each encapsulation, as Documentation/design.rst,
 * section "The overlay tuple", counts it. */
static void
test_overhead(void)
{
    enum ovl_type t;

    CHECK_INT(ovl_overhead(OVL_VXLAN, false, 0, false), 50);
    CHECK_INT(ovl_overhead(OVL_VXLAN, false, 0, true), 54);
    CHECK_INT(ovl_overhead(OVL_VXLAN, true, 0, false), 70);
    CHECK_INT(ovl_overhead(OVL_GENEVE, false, 0, false), 50);
    CHECK_INT(ovl_overhead(OVL_GENEVE, false, 8, false), 58);
    CHECK_INT(ovl_overhead(OVL_GENEVE, true, 8, true), 82);
    /* VXLAN has no options: a length is ignored. */
    CHECK_INT(ovl_overhead(OVL_VXLAN, false, 8, false), 50);

    CHECK(ovl_type_from_string("vxlan", &t) && t == OVL_VXLAN);
    CHECK(ovl_type_from_string("geneve", &t) && t == OVL_GENEVE);
    CHECK(!ovl_type_from_string("gre", &t));
    CHECK(!strcmp(ovl_type_to_string(OVL_GENEVE), "geneve"));
}

/* Path MTU at and around every boundary. */
static void
test_path_mtu(void)
{
    static const int ib_mtus[] = { 256, 512, 1024, 2048, 4096 };
    size_t i;

    /* The usual underlays. */
    CHECK_INT(rdma_roce_path_mtu(1500, 50), 1024);
    CHECK_INT(rdma_roce_path_mtu(9000, 50), 4096);
    CHECK_INT(rdma_roce_path_mtu(9000, 70), 4096);
    CHECK_INT(rdma_roce_path_mtu(1500, 70), 1024);

    /* Each IB MTU fits exactly at its threshold and not one byte below. */
    for (i = 0; i < ARRAY_SIZE(ib_mtus); i++) {
        int edge = ib_mtus[i] + RDMA_ROCE_OVERHEAD + 50;

        CHECK_INT(rdma_roce_path_mtu(edge, 50), ib_mtus[i]);
        CHECK_INT(rdma_roce_path_mtu(edge - 1, 50),
                  i ? ib_mtus[i - 1] : 0);
        CHECK_INT(rdma_ib_mtu_to_enum(ib_mtus[i]), i + 1);
    }
    CHECK_INT(rdma_min_underlay_mtu(50), 402);
    CHECK_INT(rdma_roce_path_mtu(401, 50), 0);
    CHECK_INT(rdma_roce_path_mtu(0, 50), 0);
    CHECK_INT(rdma_roce_path_mtu(-1, 50), 0);
    CHECK_INT(rdma_roce_path_mtu(65535, 50), 4096);
    CHECK_INT(rdma_ib_mtu_to_enum(1500), 0);
}

/* "rdma-test mtu": the overlay overhead and RoCE path MTU. */
static void
run_mtu_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    test_overhead();
    test_path_mtu();
}

RDMA_TEST_REGISTER("mtu", "overlay overhead and RoCE path MTU", run_mtu_tests)
