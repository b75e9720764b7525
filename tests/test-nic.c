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

/* Unit tests for the NIC driver callback interface (datapath/rdma-nic.h)
 * and its "dummy" provider.
 *
 * "rdma-test nic" runs them all; "rdma-test nic GROUP..." runs only the
 * groups named, see nic_groups[] below. */

#include <config.h>
#include "rdma-nic.h"
#include "rdma-nic-dummy.h"
#include "rdma-nic-dummy-table.h"
#include "rdma-nic-provider.h"
#include "rdma-errno.h"
#include "rdma-test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

/* Checks that strings A and B are equal, either of which may be NULL. */
#define NIC_CHECK_STR(A, B) \
    nic_check_str(__FILE__, __LINE__, #A, (A), (B))

/* Implements NIC_CHECK_STR: reports a failure at 'file':'line' unless 'a'
 * (the value of expression 'expr') equals 'b'. */
static void
nic_check_str(const char *file, int line, const char *expr, const char *a,
              const char *b)
{
    if (a == b || (a && b && !strcmp(a, b))) {
        return;
    }
    rdma_test_fail(file, line, "%s ==\n\"%s\"\nexpected\n\"%s\"", expr,
                   a ? a : "(null)", b ? b : "(null)");
}

/* MACs of the test tuples. */
static const struct eth_addr nic_vtep_mac = ETH_ADDR_C(02,00,00,00,00,01);
static const struct eth_addr nic_nexthop_mac = ETH_ADDR_C(02,00,00,00,00,02);
static const struct eth_addr nic_tenant1_mac = ETH_ADDR_C(0a,00,00,00,00,01);
static const struct eth_addr nic_tenant2_mac = ETH_ADDR_C(0a,00,00,00,00,02);

/* Opens 'spec', which must succeed, and returns the NIC. */
static struct rdma_nic *
nic_open_ok(const char *spec)
{
    struct rdma_nic *nic;
    char *error = rdma_nic_open(spec, &nic);

    NIC_CHECK_STR(error, NULL);
    free(error);
    ovs_assert(nic);
    return nic;
}

/* Opens 'spec', which must fail with 'expected_error', and frees the
 * error. */
static void
nic_open_fails(const char *spec, const char *expected_error)
{
    struct rdma_nic *nic = (struct rdma_nic *) &nic;
    char *error = rdma_nic_open(spec, &nic);

    NIC_CHECK_STR(error, expected_error);
    CHECK(nic == NULL);
    free(error);
}

/* Returns an IPv4-mapped address for dotted quad 's'. */
static struct in6_addr
nic_ip4(const char *s)
{
    struct in6_addr ip6;
    ovs_be32 ip4;

    ovs_assert(inet_pton(AF_INET, s, &ip4) == 1);
    in6_addr_set_mapped_ipv4(&ip6, ip4);
    return ip6;
}

/* Returns a VXLAN entry for 'cm_id' with local QPN 'qpn', generation
 * 'generation' and VNI 'vni'. */
static struct rdma_nic_entry
nic_entry(uint64_t cm_id, uint32_t qpn, uint64_t generation, uint32_t vni)
{
    struct rdma_nic_entry e;

    memset(&e, 0, sizeof e);
    e.cm_id = cm_id;
    e.qpn = qpn;
    e.generation = generation;
    e.tuple.type = OVL_VXLAN;
    e.tuple.vni = vni;
    e.tuple.udp_src = 50000;
    e.tuple.udp_dst = OVL_VXLAN_PORT;
    e.tuple.local_ip = nic_ip4("192.0.2.1");
    e.tuple.remote_ip = nic_ip4("192.0.2.2");
    e.tuple.local_mac = nic_vtep_mac;
    e.tuple.nexthop_mac = nic_nexthop_mac;
    e.tuple.underlay_mtu = 1500;
    e.tuple.path_mtu = 1024;
    e.tuple.inner_src_mac = nic_tenant1_mac;
    e.tuple.inner_dst_mac = nic_tenant2_mac;
    e.tuple.inner_src_ip = nic_ip4("10.1.0.1");
    e.tuple.inner_dst_ip = nic_ip4("10.1.0.2");
    return e;
}

/* Returns a source with local VTEP 192.0.2.1 and tenant IP 10.1.0.1. */
static struct rdma_nic_source
nic_source(void)
{
    struct rdma_nic_source s;

    memset(&s, 0, sizeof s);
    s.local_ip = nic_ip4("192.0.2.1");
    s.local_mac = nic_vtep_mac;
    s.underlay_mtu = 1500;
    s.inner_src_ip = nic_ip4("10.1.0.1");
    return s;
}

/* Returns the op log of 'nic' as a malloc'd string. */
static char *
nic_log(const struct rdma_nic *nic, bool verbose)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_nic_dummy_format_log(nic, verbose, &ds);
    return ds_steal_cstr(&ds);
}

/* Checks that the op log of 'nic' is 'expected', at 'file':'line'. */
static void
nic_check_log(const char *file, int line, const struct rdma_nic *nic,
              const char *expected)
{
    char *log = nic_log(nic, false);

    nic_check_str(file, line, "op log", log, expected);
    free(log);
}
#define NIC_CHECK_LOG(NIC, EXPECTED) \
    nic_check_log(__FILE__, __LINE__, NIC, EXPECTED)

/* Returns the table of 'nic' as "rdma-dummy/show" prints it, malloc'd. */
static char *
nic_table(const struct rdma_nic *nic)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_nic_dummy_format_table(nic, &ds);
    return ds_steal_cstr(&ds);
}

/* Runs dummy unixctl command 'argv' ('argc' words, NULL-terminated) on
 * 'nic' and checks that it replies 'reply' or fails with 'error'
 * (exactly one of which is nonnull), at 'file':'line'. */
static void
nic_check_command(const char *file, int line, struct rdma_nic *nic,
                  const char *argv[], const char *reply, const char *error)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    char *actual_error;
    int argc;

    for (argc = 0; argv[argc]; argc++) {
        continue;
    }
    actual_error = rdma_nic_dummy_command(nic, argc, argv, &ds);
    nic_check_str(file, line, argv[0], actual_error, error);
    if (!error) {
        nic_check_str(file, line, argv[0], ds_cstr(&ds), reply);
    }
    free(actual_error);
    ds_destroy(&ds);
}
#define NIC_CHECK_CMD(NIC, REPLY, ERROR, ...)                           \
    do {                                                                \
        const char *argv_[] = { __VA_ARGS__, NULL };                    \
        nic_check_command(__FILE__, __LINE__, NIC, argv_, REPLY, ERROR); \
    } while (0)

/* Opening with good and bad specs: the exact error messages. */
static void
test_open(void)
{
    struct rdma_nic_caps caps;
    struct rdma_nic *nic;
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_nic_format_providers(&ds);
    CHECK(strstr(ds_cstr(&ds), "dummy") != NULL);
    ds_destroy(&ds);

    nic = nic_open_ok("dummy");
    NIC_CHECK_STR(rdma_nic_get_type(nic), "dummy");
    CHECK(rdma_nic_is_dummy(nic));
    rdma_nic_close(nic);
    rdma_nic_close(NULL);

    nic = nic_open_ok("dummy:");
    rdma_nic_close(nic);

    nic = nic_open_ok("dummy:capacity=4,ipv6=false,vlan=true,geneve=false,"
                      "log=3");
    CHECK_INT(rdma_nic_get_caps(nic, &caps), 0);
    CHECK_INT(caps.max_entries, 4);
    CHECK(!caps.ipv6_underlay && !caps.ipv6_inner);
    CHECK(caps.vlan);
    CHECK(!caps.geneve);
    CHECK(caps.vxlan);
    rdma_nic_close(nic);

    nic = nic_open_ok("dummy:vxlan=false");
    CHECK_INT(rdma_nic_get_caps(nic, &caps), 0);
    CHECK(!caps.vxlan && caps.geneve);
    rdma_nic_close(nic);

    nic_open_fails("foo", "unknown NIC provider \"foo\" "
                   "(available: dummy, soft, tc)");
    nic_open_fails("foo:capacity=1", "unknown NIC provider \"foo\" "
                   "(available: dummy, soft, tc)");
    nic_open_fails("", "missing NIC provider type (expected "
                   "TYPE[:key=value,...], available types: dummy, soft, tc)");
    nic_open_fails(":capacity=1", "missing NIC provider type (expected "
                   "TYPE[:key=value,...], available types: dummy, soft, tc)");
    nic_open_fails("dummy:bar=1", "dummy: unknown option \"bar\" (options: "
                   "capacity, ipv6, vlan, vxlan, geneve, "
                   "resolves_neighbour, log, table)");
    nic_open_fails("dummy:capacity=x",
                   "dummy: capacity: \"x\" is not a number");
    nic_open_fails("dummy:capacity=-1",
                   "dummy: capacity: \"-1\" is not a number");
    nic_open_fails("dummy:capacity=",
                   "dummy: capacity: \"\" is not a number");
    nic_open_fails("dummy:log=many", "dummy: log: \"many\" is not a number");
    nic_open_fails("dummy:ipv6=maybe",
                   "dummy: ipv6: \"maybe\" is not true or false");
    nic_open_fails("dummy:vlan=1", "dummy: vlan: \"1\" is not true or false");
    nic_open_fails("dummy:geneve=yes",
                   "dummy: geneve: \"yes\" is not true or false");
    nic_open_fails("dummy:capacity",
                   "dummy: option \"capacity\" has no value (expected "
                   "capacity=VALUE)");
    nic_open_fails("dummy:=4", "dummy: option \"=4\" has no name (expected "
                   "key=value)");
    nic_open_fails("dummy:capacity=1,capacity=2",
                   "dummy: option \"capacity\" given more than once");
    nic_open_fails("dummy:capacity=1,,log=2", "dummy: empty option in "
                   "\"capacity=1,,log=2\" (expected key=value,...)");
    nic_open_fails("dummy:capacity=1,", "dummy: empty option in "
                   "\"capacity=1,\" (expected key=value,...)");
}

/* Capabilities: the defaults, and ops that need a missing one. */
static void
test_caps(void)
{
    struct rdma_nic_entry e;
    struct rdma_nic_source s;
    struct rdma_nic_caps caps;
    struct rdma_nic *nic;

    nic = nic_open_ok("dummy");
    CHECK_INT(rdma_nic_get_caps(nic, &caps), 0);
    CHECK(caps.vxlan && caps.geneve && caps.ipv6_underlay && caps.ipv6_inner
          && caps.vlan);
    CHECK_INT(caps.max_entries, 0);
    rdma_nic_close(nic);

    nic = nic_open_ok("dummy:ipv6=false,vlan=false,geneve=false");
    e = nic_entry(1, 17, 1, 5001);
    e.tuple.type = OVL_GENEVE;
    CHECK_INT(rdma_nic_install(nic, &e), EOPNOTSUPP);
    e = nic_entry(1, 17, 1, 5001);
    e.tuple.vlan = 100;
    CHECK_INT(rdma_nic_install(nic, &e), EOPNOTSUPP);
    e = nic_entry(1, 17, 1, 5001);
    ovs_assert(inet_pton(AF_INET6, "2001:db8::2", &e.tuple.remote_ip) == 1);
    CHECK_INT(rdma_nic_install(nic, &e), EOPNOTSUPP);

    s = nic_source();
    s.vlan = 10;
    CHECK_INT(rdma_nic_bind_source(nic, 1, &s), EOPNOTSUPP);
    s = nic_source();
    ovs_assert(inet_pton(AF_INET6, "2001:db8::1", &s.local_ip) == 1);
    CHECK_INT(rdma_nic_bind_source(nic, 1, &s), EOPNOTSUPP);
    CHECK(!rdma_nic_dummy_get_source(nic, 1, &s));

    /* What it can do, it does. */
    e = nic_entry(1, 17, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), 0);
    e.generation = 2;
    e.tuple.type = OVL_GENEVE;
    CHECK_INT(rdma_nic_modify(nic, &e), EOPNOTSUPP);
    rdma_nic_close(nic);
}

/* Dumps 'nic' and checks that it holds exactly 'n' entries, which
 * equal those in 'expected', in any order, at 'file':'line'. */
static void
nic_check_dump(const char *file, int line, struct rdma_nic *nic,
               const struct rdma_nic_entry expected[], size_t n)
{
    struct rdma_nic_entry *entries;
    size_t n_entries, i, j;
    int error;

    error = rdma_nic_dump(nic, &entries, &n_entries);
    if (error) {
        rdma_test_fail(file, line, "dump failed (%s)", ovs_strerror(error));
        return;
    }
    if (n_entries != n) {
        rdma_test_fail(file, line, "dump returned %"PRIuSIZE" entries, "
                       "expected %"PRIuSIZE, n_entries, n);
    }
    for (i = 0; i < n; i++) {
        const struct rdma_nic_entry *x = &expected[i];
        bool found = false;

        for (j = 0; j < n_entries; j++) {
            const struct rdma_nic_entry *y = &entries[j];

            if (x->cm_id == y->cm_id) {
                found = (x->qpn == y->qpn && x->remote_qpn == y->remote_qpn
                         && x->generation == y->generation
                         && ovl_tuple_equals(&x->tuple, &y->tuple));
                break;
            }
        }
        if (!found) {
            rdma_test_fail(file, line, "dump lacks cm_id %"PRIu64" or "
                           "differs", x->cm_id);
        }
    }
    free(entries);
}
#define NIC_CHECK_DUMP(NIC, ...)                                        \
    do {                                                                \
        const struct rdma_nic_entry expected_[] = { __VA_ARGS__ };      \
        nic_check_dump(__FILE__, __LINE__, NIC, expected_,              \
                       ARRAY_SIZE(expected_));                          \
    } while (0)
#define NIC_CHECK_DUMP_EMPTY(NIC) \
    nic_check_dump(__FILE__, __LINE__, NIC, NULL, 0)

/* install / modify / remove / dump, EEXIST / ENOENT / ENOSPC, generation
 * handling, bound sources, and the table's text form. */
static void
test_table(void)
{
    struct rdma_nic_entry a = nic_entry(7, 17, 1, 5001);
    struct rdma_nic_entry b = nic_entry(3, 13, 1, 5002);
    struct rdma_nic_entry c = nic_entry(9, 19, 1, 5003);
    struct rdma_nic_entry a2, *entries;
    struct rdma_nic_source s, s2;
    struct rdma_nic *nic;
    size_t n_entries;
    char *table;

    nic = nic_open_ok("dummy:capacity=2");

    /* Empty. */
    CHECK_INT(rdma_nic_dump(nic, &entries, &n_entries), 0);
    CHECK_INT(n_entries, 0);
    free(entries);
    table = nic_table(nic);
    NIC_CHECK_STR(table, "0 entries, capacity 2\n");
    free(table);

    /* Bind and install; the table copies the caller's memory. */
    s = nic_source();
    CHECK_INT(rdma_nic_bind_source(nic, 7, &s), 0);
    CHECK(rdma_nic_dummy_get_source(nic, 7, &s2));
    CHECK(!memcmp(&s, &s2, sizeof s));
    s.vlan = 100;
    CHECK_INT(rdma_nic_bind_source(nic, 7, &s), 0); /* Rebinding replaces. */
    CHECK(rdma_nic_dummy_get_source(nic, 7, &s2));
    CHECK_INT(s2.vlan, 100);

    CHECK_INT(rdma_nic_install(nic, &a), 0);
    a2 = a;
    a.qpn = 99;                 /* Caller's memory is the caller's. */
    a = a2;
    NIC_CHECK_DUMP(nic, a);
    CHECK_INT(rdma_nic_install(nic, &a), EEXIST);
    CHECK_INT(rdma_nic_install(nic, &b), 0);
    NIC_CHECK_DUMP(nic, a, b);

    /* Full. */
    CHECK_INT(rdma_nic_install(nic, &c), ENOSPC);
    NIC_CHECK_DUMP(nic, a, b);

    /* Sorted by cm_id. */
    table = nic_table(nic);
    {
        struct ds expected = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&expected, "cm_id=3 qpn=13 remote_qpn=0 gen=1 ");
        ovl_tuple_format(&b.tuple, &expected);
        ds_put_cstr(&expected, "\ncm_id=7 qpn=17 remote_qpn=0 gen=1 ");
        ovl_tuple_format(&a.tuple, &expected);
        ds_put_cstr(&expected, "\n2 entries, capacity 2\n");
        NIC_CHECK_STR(table, ds_cstr(&expected));
        ds_destroy(&expected);
    }
    free(table);

    /* Modify: replaces tuple, QPNs and generation. */
    a2 = a;
    a2.generation = 2;
    a2.remote_qpn = 42;
    a2.qpn = 18;
    a2.tuple.remote_ip = nic_ip4("192.0.2.9");
    CHECK_INT(rdma_nic_modify(nic, &a2), 0);
    NIC_CHECK_DUMP(nic, a2, b);
    a2.generation = 3;
    CHECK_INT(rdma_nic_modify(nic, &a2), 0);
    NIC_CHECK_DUMP(nic, a2, b);
    CHECK_INT(rdma_nic_modify(nic, &c), ENOENT);
    NIC_CHECK_DUMP(nic, a2, b);

    /* Remove: the entry and the bound source. */
    CHECK_INT(rdma_nic_remove(nic, 7), 0);
    CHECK(!rdma_nic_dummy_get_source(nic, 7, &s2));
    NIC_CHECK_DUMP(nic, b);
    CHECK_INT(rdma_nic_remove(nic, 7), ENOENT);
    CHECK_INT(rdma_nic_modify(nic, &a2), ENOENT);

    /* A bound source alone is removable too. */
    CHECK_INT(rdma_nic_bind_source(nic, 11, &s), 0);
    CHECK_INT(rdma_nic_remove(nic, 11), 0);
    CHECK_INT(rdma_nic_remove(nic, 11), ENOENT);

    /* Room again; then the capacity shrinks below the table. */
    CHECK_INT(rdma_nic_install(nic, &c), 0);
    NIC_CHECK_DUMP(nic, b, c);
    rdma_nic_dummy_set_capacity(nic, 1);
    NIC_CHECK_DUMP(nic, b, c);
    CHECK_INT(rdma_nic_install(nic, &a), ENOSPC);
    rdma_nic_dummy_set_capacity(nic, 0);
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    NIC_CHECK_DUMP(nic, a, b, c);
    table = nic_table(nic);
    CHECK(strstr(table, "\n3 entries, capacity unlimited\n") != NULL);
    free(table);

    /* Installing after remove starts a new generation. */
    CHECK_INT(rdma_nic_remove(nic, 7), 0);
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    NIC_CHECK_DUMP(nic, a, b, c);

    rdma_nic_close(nic);

    /* One entry. */
    nic = nic_open_ok("dummy");
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    table = nic_table(nic);
    CHECK(strstr(table, "\n1 entry, capacity unlimited\n") != NULL);
    free(table);
    rdma_nic_close(nic);
}

/* Fault injection: count, errno, op filter; failed ops leave the table
 * unchanged. */
static void
test_faults(void)
{
    struct rdma_nic_entry a = nic_entry(7, 17, 1, 5001);
    struct rdma_nic_entry b = nic_entry(8, 18, 1, 5001);
    struct rdma_nic_entry a2;
    struct rdma_nic_source s = nic_source(), s2;
    struct rdma_nic *nic;

    nic = nic_open_ok("dummy");

    /* Any op, twice. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 2, EIO, NULL), 0);
    CHECK_INT(rdma_nic_install(nic, &a), EIO);
    CHECK_INT(rdma_nic_bind_source(nic, 7, &s), EIO);
    CHECK(!rdma_nic_dummy_get_source(nic, 7, &s2));
    NIC_CHECK_DUMP_EMPTY(nic);
    CHECK_INT(rdma_nic_bind_source(nic, 7, &s), 0);
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    NIC_CHECK_DUMP(nic, a);

    /* Only modify: other ops pass, the failed modify keeps the old entry
     * and generation. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EBUSY, "modify"), 0);
    CHECK_INT(rdma_nic_install(nic, &b), 0);
    CHECK_INT(rdma_nic_remove(nic, 8), 0);
    a2 = a;
    a2.generation = 2;
    a2.tuple.vni = 6000;
    CHECK_INT(rdma_nic_modify(nic, &a2), EBUSY);
    NIC_CHECK_DUMP(nic, a);
    CHECK_INT(rdma_nic_modify(nic, &a2), 0);
    NIC_CHECK_DUMP(nic, a2);

    /* Injected failures come before ENOENT / EEXIST. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, ENOSPC, "install"), 0);
    CHECK_INT(rdma_nic_install(nic, &a), ENOSPC);
    CHECK_INT(rdma_nic_install(nic, &a), EEXIST);

    /* Remove fails: the entry and the source stay. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EIO, "remove"), 0);
    CHECK_INT(rdma_nic_remove(nic, 7), EIO);
    NIC_CHECK_DUMP(nic, a2);
    CHECK(rdma_nic_dummy_get_source(nic, 7, &s2));

    /* Cancel. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 5, EIO, NULL), 0);
    CHECK_INT(rdma_nic_dummy_fail(nic, 0, 0, NULL), 0);
    CHECK_INT(rdma_nic_remove(nic, 7), 0);
    NIC_CHECK_DUMP_EMPTY(nic);

    /* Bad arguments change nothing. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EIO, "get-caps"), EINVAL);
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, 0, NULL), EINVAL);
    CHECK_INT(rdma_nic_install(nic, &a), 0);

    /* Dump fails only when named; get-caps never. */
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EIO, NULL), 0);
    NIC_CHECK_DUMP(nic, a);
    CHECK_INT(rdma_nic_remove(nic, 7), EIO);
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EBUSY, "dump"), 0);
    {
        struct rdma_nic_entry *entries = (void *) 1;
        size_t n = 1;

        CHECK_INT(rdma_nic_dump(nic, &entries, &n), EBUSY);
        CHECK(!entries && !n);
    }
    NIC_CHECK_DUMP(nic, a);

    /* Errno names. */
    CHECK_INT(rdma_errno_from_string("ENOSPC"), ENOSPC);
    CHECK_INT(rdma_errno_from_string("eio"), EIO);
    CHECK_INT(rdma_errno_from_string("16"), 16);
    CHECK_INT(rdma_errno_from_string("0"), 0);
    CHECK_INT(rdma_errno_from_string("ENOPE"), 0);
    CHECK_INT(rdma_errno_from_string("-5"), 0);
    NIC_CHECK_STR(rdma_errno_to_string(EBUSY), "EBUSY");

    rdma_nic_close(nic);
}

/* The op log: contents, failures, clearing, verbose form, length limit. */
static void
test_log(void)
{
    struct rdma_nic_entry a = nic_entry(7, 17, 1, 5001);
    struct rdma_nic_source s = nic_source();
    struct rdma_nic *nic;
    struct ds expected;
    char *log;
    int i;

    nic = nic_open_ok("dummy");
    CHECK_INT(rdma_nic_bind_source(nic, 7, &s), 0);
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    a.generation = 2;
    CHECK_INT(rdma_nic_modify(nic, &a), 0);
    CHECK_INT(rdma_nic_remove(nic, 7), 0);
    CHECK_INT(rdma_nic_remove(nic, 7), ENOENT);
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, ENOSPC, NULL), 0);
    CHECK_INT(rdma_nic_install(nic, &a), ENOSPC);
    NIC_CHECK_LOG(nic,
        "1 bind-source cm_id=7 local_ip=192.0.2.1 "
        "local_mac=02:00:00:00:00:01 vlan=0 underlay_mtu=1500 "
        "inner_src_ip=10.1.0.1\n"
        "2 install cm_id=7 qpn=17 gen=1\n"
        "3 modify cm_id=7 qpn=17 gen=2\n"
        "4 remove cm_id=7\n"
        "5 remove cm_id=7 -> error: No such file or directory\n"
        "6 install cm_id=7 qpn=17 gen=2 -> error: "
        "No space left on device (injected)\n");

    /* Verbose. */
    log = nic_log(nic, true);
    expected = (struct ds) DS_EMPTY_INITIALIZER;
    ds_put_cstr(&expected, "2 install cm_id=7 qpn=17 gen=1 remote_qpn=0 ");
    a.generation = 1;
    ovl_tuple_format(&a.tuple, &expected);
    ds_put_char(&expected, '\n');
    CHECK(strstr(log, ds_cstr(&expected)) != NULL);
    ds_destroy(&expected);
    free(log);

    /* Clearing restarts the numbering. */
    rdma_nic_dummy_clear_log(nic);
    NIC_CHECK_LOG(nic, "");
    CHECK_INT(rdma_nic_remove(nic, 1), ENOENT);
    NIC_CHECK_LOG(nic, "1 remove cm_id=1 -> error: "
                  "No such file or directory\n");
    rdma_nic_close(nic);

    /* Length limit: the oldest go, the numbers stay. */
    nic = nic_open_ok("dummy:log=3");
    for (i = 1; i <= 5; i++) {
        CHECK_INT(rdma_nic_remove(nic, i), ENOENT);
    }
    NIC_CHECK_LOG(nic,
                  "3 remove cm_id=3 -> error: No such file or directory\n"
                  "4 remove cm_id=4 -> error: No such file or directory\n"
                  "5 remove cm_id=5 -> error: No such file or directory\n");
    rdma_nic_close(nic);

    /* Disabled. */
    nic = nic_open_ok("dummy:log=0");
    CHECK_INT(rdma_nic_install(nic, &a), 0);
    NIC_CHECK_LOG(nic, "");
    rdma_nic_close(nic);
}

/* The rdma-dummy/ unixctl commands, through rdma_nic_dummy_command(). */
static void
test_commands(void)
{
    struct rdma_nic_entry a = nic_entry(7, 17, 1, 5001);
    struct rdma_nic *nic, *nic2;

    CHECK(rdma_nic_dummy_get_current() == NULL);
    NIC_CHECK_CMD(NULL, NULL, "no dummy NIC is open (the daemon must use "
                  "the \"dummy\" NIC provider)", "rdma-dummy/show");

    /* The most recently opened NIC is current, until it closes. */
    nic = nic_open_ok("dummy");
    CHECK(rdma_nic_dummy_get_current() == nic);
    nic2 = nic_open_ok("dummy");
    CHECK(rdma_nic_dummy_get_current() == nic2);
    rdma_nic_close(nic2);
    CHECK(rdma_nic_dummy_get_current() == nic);

    NIC_CHECK_CMD(nic, "0 entries, capacity unlimited\n", NULL,
                  "rdma-dummy/show");
    NIC_CHECK_CMD(nic, NULL, "rdma-dummy/show takes no arguments",
                  "rdma-dummy/show", "x");
    NIC_CHECK_CMD(nic, "", NULL, "rdma-dummy/set-capacity", "5");
    NIC_CHECK_CMD(nic, "0 entries, capacity 5\n", NULL, "rdma-dummy/show");
    NIC_CHECK_CMD(nic, NULL, "N: \"five\" is not a number (usage: "
                  "rdma-dummy/set-capacity N, 0 = unlimited)",
                  "rdma-dummy/set-capacity", "five");

    /* fail: good and bad arguments. */
    NIC_CHECK_CMD(nic, "next 2 installs will fail with EBUSY (Device or "
                  "resource busy)\n", NULL,
                  "rdma-dummy/fail", "2", "EBUSY", "install");
    NIC_CHECK_CMD(nic, NULL, "COUNT: \"x\" is not a number (usage: "
                  "rdma-dummy/fail COUNT ERRNO "
                  "[bind-source|install|modify|remove|dump])",
                  "rdma-dummy/fail", "x", "EIO");
    NIC_CHECK_CMD(nic, NULL, "ERRNO: \"EWHAT\" is not an errno name (such "
                  "as EIO, ENOSPC, EBUSY) or number (usage: "
                  "rdma-dummy/fail COUNT ERRNO "
                  "[bind-source|install|modify|remove|dump])",
                  "rdma-dummy/fail", "1", "EWHAT");
    NIC_CHECK_CMD(nic, NULL, "OP: unknown op \"get-caps\" (usage: "
                  "rdma-dummy/fail COUNT ERRNO "
                  "[bind-source|install|modify|remove|dump])",
                  "rdma-dummy/fail", "1", "EIO", "get-caps");
    /* The bad commands did not change the pending failures. */
    CHECK_INT(rdma_nic_remove(nic, 7), ENOENT);
    CHECK_INT(rdma_nic_install(nic, &a), EBUSY);
    CHECK_INT(rdma_nic_install(nic, &a), EBUSY);
    CHECK_INT(rdma_nic_install(nic, &a), 0);

    NIC_CHECK_CMD(nic, "next 1 op will fail with EIO (Input/output "
                  "error)\n", NULL, "rdma-dummy/fail", "1", "5");
    NIC_CHECK_CMD(nic, "injected failures cancelled\n", NULL,
                  "rdma-dummy/fail", "0", "EIO");
    CHECK_INT(rdma_nic_remove(nic, 7), 0);

    /* op-log. */
    NIC_CHECK_CMD(nic,
                  "1 remove cm_id=7 -> error: No such file or directory\n"
                  "2 install cm_id=7 qpn=17 gen=1 -> error: Device or "
                  "resource busy (injected)\n"
                  "3 install cm_id=7 qpn=17 gen=1 -> error: Device or "
                  "resource busy (injected)\n"
                  "4 install cm_id=7 qpn=17 gen=1\n"
                  "5 remove cm_id=7\n", NULL, "rdma-dummy/op-log");
    NIC_CHECK_CMD(nic, NULL, "unknown argument \"-v\" (usage: "
                  "rdma-dummy/op-log [--verbose])", "rdma-dummy/op-log",
                  "-v");
    NIC_CHECK_CMD(nic, "", NULL, "rdma-dummy/op-log-clear");
    NIC_CHECK_CMD(nic, "", NULL, "rdma-dummy/op-log");
    NIC_CHECK_CMD(nic, "", NULL, "rdma-dummy/op-log", "--verbose");

    rdma_nic_close(nic);
    CHECK(rdma_nic_dummy_get_current() == NULL);
}

/* A provider that implements nothing but open and close. */
static int
null_open(const struct smap *args, struct rdma_nic **nicp, char **errorp)
{
    if (smap_get(args, "fail")) {
        *errorp = xstrdup("told to fail");
        return EINVAL;
    }
    if (smap_get(args, "quiet-fail")) {
        return EIO;
    }
    *nicp = xzalloc(sizeof **nicp);
    return 0;
}

/* Frees a NIC opened by null_open(). */
static void
null_close(struct rdma_nic *nic)
{
    free(nic);
}

/* The "null" test provider. */
static const struct rdma_nic_class null_class = {
    .type = "null",
    .description = "test provider without ops",
    .open = null_open,
    .close = null_close,
};

/* A NULL op means EOPNOTSUPP; providers register and report errors. */
static void
test_provider(void)
{
    struct rdma_nic_entry e = nic_entry(1, 2, 1, 3);
    struct rdma_nic_source s = nic_source();
    struct rdma_nic_entry *entries = (struct rdma_nic_entry *) &e;
    struct rdma_nic_caps caps;
    struct rdma_nic *nic;
    size_t n_entries = 99;
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_nic_register_provider(&null_class);
    rdma_nic_register_provider(&null_class); /* Ignored, with a warning. */
    rdma_nic_format_providers(&ds);
    NIC_CHECK_STR(ds_cstr(&ds), "dummy, null, soft, tc");
    ds_destroy(&ds);

    /* --help lists each provider with its description, aligned. */
    ds_init(&ds);
    rdma_nic_format_provider_help(&ds);
    CHECK(strstr(ds_cstr(&ds), "\n  null   test provider without ops\n")
          != NULL);
    CHECK(!strncmp(ds_cstr(&ds), "  dummy  in-memory table", 24));
    ds_destroy(&ds);

    nic_open_fails("null:fail=1", "null: told to fail");
    nic_open_fails("null:quiet-fail=1",
                   "null: cannot open NIC (Input/output error)");
    nic_open_fails("nul", "unknown NIC provider \"nul\" (available: dummy, "
                   "null, soft, tc)");

    nic = nic_open_ok("null");
    NIC_CHECK_STR(rdma_nic_get_type(nic), "null");
    CHECK(!rdma_nic_is_dummy(nic));
    memset(&caps, 0xff, sizeof caps);
    CHECK_INT(rdma_nic_get_caps(nic, &caps), EOPNOTSUPP);
    CHECK(!caps.vxlan && !caps.geneve && !caps.ipv6_underlay
          && !caps.ipv6_inner && !caps.vlan);
    CHECK_INT(caps.max_entries, 0);
    CHECK_INT(rdma_nic_bind_source(nic, 1, &s), EOPNOTSUPP);
    CHECK_INT(rdma_nic_install(nic, &e), EOPNOTSUPP);
    CHECK_INT(rdma_nic_modify(nic, &e), EOPNOTSUPP);
    CHECK_INT(rdma_nic_remove(nic, 1), EOPNOTSUPP);
    CHECK_INT(rdma_nic_dump(nic, &entries, &n_entries), EOPNOTSUPP);
    CHECK(entries == NULL);
    CHECK_INT(n_entries, 0);
    rdma_nic_run(nic);
    rdma_nic_wait(nic);
    rdma_nic_close(nic);
}

/* Returns the number of entries in the dummy table file 'file'. */
static size_t
nic_file_entries(const char *file)
{
    struct rdma_nic_entry *entries;
    size_t n;

    CHECK_INT(rdma_nic_dummy_table_load(file, &entries, &n), 0);
    free(entries);
    return n;
}

/* A provider that queues 'install's inside a batch and refuses, at
 * commit, those whose QPN is odd: the wrapper's side of a deferring
 * provider. */
struct queue_nic {
    struct rdma_nic up;         /* Base. */
    bool in_batch;              /* Inside a batch? */
    struct rdma_nic_entry queued[8]; /* Installs queued in the batch. */
    size_t n_queued;            /* Number of 'queued'. */
    size_t n_installed;         /* Installs done. */
    int n_commits;              /* Commits that reached the provider. */
};

/* Opens a "queue" NIC. */
static int
queue_open(const struct smap *args OVS_UNUSED, struct rdma_nic **nicp,
           char **errorp OVS_UNUSED)
{
    struct queue_nic *q = xzalloc(sizeof *q);

    *nicp = &q->up;
    return 0;
}

/* Frees a "queue" NIC. */
static void
queue_close(struct rdma_nic *nic)
{
    free(CONTAINER_OF(nic, struct queue_nic, up));
}

/* Installs at once outside a batch, queues inside one. */
static int
queue_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct queue_nic *q = CONTAINER_OF(nic, struct queue_nic, up);

    if (!q->in_batch) {
        q->n_installed++;
    } else if (q->n_queued < ARRAY_SIZE(q->queued)) {
        q->queued[q->n_queued++] = *entry;
    } else {
        return ENOSPC;
    }
    return 0;
}

/* Opens a batch. */
static int
queue_batch_begin(struct rdma_nic *nic)
{
    CONTAINER_OF(nic, struct queue_nic, up)->in_batch = true;
    return 0;
}

/* Applies the queued installs, refusing those with an odd QPN. */
static int
queue_batch_commit(struct rdma_nic *nic,
                   struct rdma_nic_batch_failure **failedp,
                   size_t *n_failedp)
{
    struct queue_nic *q = CONTAINER_OF(nic, struct queue_nic, up);
    int error = 0;
    size_t i;

    *failedp = xcalloc(q->n_queued, sizeof **failedp);
    for (i = 0; i < q->n_queued; i++) {
        if (q->queued[i].qpn % 2) {
            struct rdma_nic_batch_failure *f = &(*failedp)[(*n_failedp)++];

            f->cm_id = q->queued[i].cm_id;
            f->op = RDMA_NIC_BATCH_INSTALL;
            f->error = EIO;
            error = error ? error : EIO;
        } else {
            q->n_installed++;
        }
    }
    q->n_queued = 0;
    q->in_batch = false;
    q->n_commits++;
    return error;
}

/* A provider without batch ops (nor any other). */
static const struct rdma_nic_class nobatch_class = {
    .type = "nobatch",
    .description = "test provider without batches",
    .open = null_open,
    .close = null_close,
};

/* The "queue" test provider. */
static const struct rdma_nic_class queue_class = {
    .type = "queue",
    .description = "test provider that defers installs to batch commit",
    .open = queue_open,
    .close = queue_close,
    .install = queue_install,
    .batch_begin = queue_batch_begin,
    .batch_commit = queue_batch_commit,
};

/* Batches: nesting, counting in the dummy, one table write per batch,
 * dump refused inside, no batching for providers without the ops, and
 * ops refused at commit reported back. */
static void
test_batch(void)
{
    struct rdma_nic_dummy_batch_stats stats;
    struct rdma_nic_batch_failure *failed;
    struct rdma_nic_entry *entries;
    struct rdma_nic_entry e;
    struct queue_nic *q;
    struct rdma_nic *nic;
    size_t n, n_failed;
    char *spec, *file;
    int i;

    /* The dummy: three nested pairs are one batch of 10 ops; the table
     * file is written at the outer commit, not before. */
    file = xasprintf("%s/batch-table", getenv("TMPDIR") ? getenv("TMPDIR")
                     : "/tmp");
    spec = xasprintf("dummy:table=%s", file);
    unlink(file);
    nic = nic_open_ok(spec);
    e = nic_entry(100, 100, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), 0);
    CHECK_INT(nic_file_entries(file), 1);
    CHECK(!rdma_nic_in_batch(nic));
    rdma_nic_batch_begin(nic);
    rdma_nic_batch_begin(nic);
    CHECK(rdma_nic_in_batch(nic));
    for (i = 1; i <= 10; i++) {
        e = nic_entry(i, i, 1, 5001);
        CHECK_INT(rdma_nic_install(nic, &e), 0);
    }
    /* An op that fails at once is not part of the batch. */
    e = nic_entry(999, 999, 2, 5001);
    CHECK_INT(rdma_nic_modify(nic, &e), ENOENT);
    CHECK_INT(rdma_nic_dump(nic, &entries, &n), EBUSY);
    CHECK(!entries && !n);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    CHECK(!failed && !n_failed);
    CHECK(rdma_nic_in_batch(nic));
    CHECK_INT(nic_file_entries(file), 1);   /* Not written yet. */
    rdma_nic_dummy_get_batch_stats(nic, &stats);
    CHECK_INT(stats.n_batches, 0);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    CHECK(!rdma_nic_in_batch(nic));
    CHECK_INT(nic_file_entries(file), 11);
    rdma_nic_dummy_get_batch_stats(nic, &stats);
    CHECK_INT(stats.n_batches, 1);
    CHECK_INT(stats.n_batched_ops, 10);
    CHECK_INT(stats.max_ops, 10);
    CHECK_INT(stats.n_unbatched_ops, 1);
    CHECK_INT(stats.n_installs, 11);
    CHECK_INT(stats.n_modifies, 0);
    NIC_CHECK_CMD(nic, "installs: 11\nmodifies: 0\nremoves: 0\n"
                  "batches: 1\nops in batches: 10\n"
                  "largest batch: 10 ops\nops outside batches: 1\n"
                  "entries: 11\n", NULL, "rdma-dummy/stats");
    NIC_CHECK_CMD(nic, NULL, "rdma-dummy/stats takes no arguments",
                  "rdma-dummy/stats", "x");

    /* A batch of removes, then an empty batch. */
    rdma_nic_batch_begin(nic);
    for (i = 1; i <= 10; i++) {
        CHECK_INT(rdma_nic_remove(nic, i), 0);
    }
    CHECK_INT(nic_file_entries(file), 11);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    CHECK_INT(nic_file_entries(file), 1);
    rdma_nic_batch_begin(nic);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    rdma_nic_dummy_get_batch_stats(nic, &stats);
    CHECK_INT(stats.n_batches, 3);
    CHECK_INT(stats.n_batched_ops, 20);
    CHECK_INT(stats.max_ops, 10);
    CHECK_INT(stats.n_removes, 10);
    CHECK_INT(rdma_nic_dump(nic, &entries, &n), 0);
    CHECK_INT(n, 1);
    free(entries);
    rdma_nic_close(nic);
    unlink(file);
    free(spec);
    free(file);

    /* A provider without batch ops: begin and commit do nothing. */
    rdma_nic_register_provider(&nobatch_class);
    nic = nic_open_ok("nobatch");
    rdma_nic_batch_begin(nic);
    CHECK(rdma_nic_in_batch(nic));
    CHECK_INT(rdma_nic_remove(nic, 1), EOPNOTSUPP);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    CHECK(!failed && !n_failed && !rdma_nic_in_batch(nic));
    rdma_nic_close(nic);

    /* A deferring provider: what it refuses at commit comes back. */
    rdma_nic_register_provider(&queue_class);
    nic = nic_open_ok("queue");
    q = CONTAINER_OF(nic, struct queue_nic, up);
    rdma_nic_batch_begin(nic);
    for (i = 1; i <= 4; i++) {
        e = nic_entry(i, i, 1, 5001);
        CHECK_INT(rdma_nic_install(nic, &e), 0);
    }
    CHECK_INT(q->n_installed, 0);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), EIO);
    CHECK_INT(q->n_commits, 1);
    CHECK_INT(q->n_installed, 2);
    CHECK_INT(n_failed, 2);
    CHECK_INT(failed[0].cm_id, 1);
    CHECK_INT(failed[1].cm_id, 3);
    CHECK_INT(failed[0].op, RDMA_NIC_BATCH_INSTALL);
    CHECK_INT(failed[0].error, EIO);
    free(failed);
    /* Nothing refused: the wrapper frees the provider's empty array. */
    rdma_nic_batch_begin(nic);
    e = nic_entry(6, 6, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), 0);
    CHECK_INT(rdma_nic_batch_commit(nic, &failed, &n_failed), 0);
    CHECK(!failed && !n_failed);
    CHECK_INT(q->n_installed, 3);
    rdma_nic_close(nic);
}

/* "index": the dummy's compact index by key (a direct array for dense
 * keys, its hash table for the others) finds every entry however the keys
 * come: a sparse key installed before the array grew over it, keys far
 * beyond it, removed and reinstalled keys. */
static void
test_index(void)
{
    const uint64_t sparse = 70000, far = UINT64_C(1) << 40;
    struct rdma_nic_entry e, *entries;
    struct rdma_nic *nic;
    size_t n_entries;
    uint64_t key;

    nic = nic_open_ok("dummy:log=0");

    /* Installed while no array covers it. */
    e = nic_entry(sparse, 1, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), 0);
    e = nic_entry(far, 2, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), 0);

    /* Dense keys make the array grow over 'sparse'. */
    for (key = 1; key <= 66000; key++) {
        e = nic_entry(key, key, 1, 5001);
        CHECK_INT(rdma_nic_install(nic, &e), 0);
    }
    e = nic_entry(sparse, 1, 1, 5001);
    CHECK_INT(rdma_nic_install(nic, &e), EEXIST);
    e = nic_entry(sparse, 1, 2, 5002);
    CHECK_INT(rdma_nic_modify(nic, &e), 0);
    e = nic_entry(far, 2, 2, 5002);
    CHECK_INT(rdma_nic_modify(nic, &e), 0);
    e = nic_entry(66001, 3, 2, 5002);
    CHECK_INT(rdma_nic_modify(nic, &e), ENOENT);
    CHECK_INT(rdma_nic_dump(nic, &entries, &n_entries), 0);
    CHECK_INT(n_entries, 66002);
    free(entries);

    /* Removed keys are gone from the index; reinstalled ones are back. */
    CHECK_INT(rdma_nic_remove(nic, sparse), 0);
    CHECK_INT(rdma_nic_remove(nic, 5), 0);
    CHECK_INT(rdma_nic_remove(nic, far), 0);
    e = nic_entry(sparse, 1, 3, 5003);
    CHECK_INT(rdma_nic_modify(nic, &e), ENOENT);
    e = nic_entry(5, 5, 2, 5003);
    CHECK_INT(rdma_nic_modify(nic, &e), ENOENT);
    e = nic_entry(far, 2, 3, 5003);
    CHECK_INT(rdma_nic_modify(nic, &e), ENOENT);
    CHECK_INT(rdma_nic_remove(nic, 5), ENOENT);
    e = nic_entry(5, 5, 1, 5004);
    CHECK_INT(rdma_nic_install(nic, &e), 0);
    e = nic_entry(5, 5, 2, 5004);
    CHECK_INT(rdma_nic_modify(nic, &e), 0);
    CHECK_INT(rdma_nic_dump(nic, &entries, &n_entries), 0);
    CHECK_INT(n_entries, 66000);
    free(entries);
    rdma_nic_close(nic);
}

/* A group of tests that "rdma-test nic GROUP" runs. */
struct nic_group {
    const char *name;           /* GROUP on the command line. */
    void (*run)(void);          /* Runs the group. */
};

/* All groups, in the order "rdma-test nic" runs them.  "provider"
 * and "batch" come last because they register providers that change the
 * list of available types in error messages. */
static const struct nic_group nic_groups[] = {
    { "open", test_open },
    { "caps", test_caps },
    { "table", test_table },
    { "faults", test_faults },
    { "log", test_log },
    { "commands", test_commands },
    { "index", test_index },
    { "provider", test_provider },
    { "batch", test_batch },
};

/* "rdma-test nic [GROUP...]": the NIC driver callback interface. */
static void
run_nic_tests(int argc, char *argv[])
{
    size_t i;
    int j;

    /* Exercise the wrappers' debug logging too, without printing it. */
    vlog_set_levels(vlog_module_from_name("rdma_nic"), VLF_ANY_DESTINATION,
                    VLL_DBG);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);

    if (argc < 2) {
        for (i = 0; i < ARRAY_SIZE(nic_groups); i++) {
            nic_groups[i].run();
        }
        return;
    }
    for (j = 1; j < argc; j++) {
        for (i = 0; i < ARRAY_SIZE(nic_groups); i++) {
            if (!strcmp(argv[j], nic_groups[i].name)) {
                nic_groups[i].run();
                break;
            }
        }
        if (i >= ARRAY_SIZE(nic_groups)) {
            rdma_test_fail(__FILE__, __LINE__, "unknown group \"%s\"",
                           argv[j]);
        }
    }
}

RDMA_TEST_REGISTER("nic", "NIC driver callback interface and dummy provider",
                   run_nic_tests)

/* "nic-server/exit": makes run_nic_server() return. */
static void
nic_server_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

/* "nic-server/OP CM_ID [QPN GEN]": calls rdma_nic_bind_source(),
 * rdma_nic_install(), rdma_nic_modify() or rdma_nic_remove() on the NIC
 * 'nic_' with a test source or entry and replies with the result. */
static void
nic_server_op(struct unixctl_conn *conn, int argc, const char *argv[],
              void *nic_)
{
    struct rdma_nic *nic = nic_;
    const char *op = strchr(argv[0], '/') + 1;
    unsigned long long int cm_id;
    unsigned int qpn = 0, gen = 0;
    int error;

    if (!str_to_ullong(argv[1], 10, &cm_id)
        || (argc > 2 && !str_to_uint(argv[2], 10, &qpn))
        || (argc > 3 && !str_to_uint(argv[3], 10, &gen))) {
        unixctl_command_reply_error(conn, "bad number");
        return;
    }
    if (!strcmp(op, "bind-source")) {
        struct rdma_nic_source s = nic_source();

        error = rdma_nic_bind_source(nic, cm_id, &s);
    } else if (!strcmp(op, "remove")) {
        error = rdma_nic_remove(nic, cm_id);
    } else {
        struct rdma_nic_entry e = nic_entry(cm_id, qpn, gen, 5001);

        error = (!strcmp(op, "install")
                 ? rdma_nic_install(nic, &e)
                 : rdma_nic_modify(nic, &e));
    }
    if (error) {
        unixctl_command_reply_error(conn, ovs_strerror(error));
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

/* "rdma-test nic-server SPEC SOCKET": opens NIC SPEC and serves unixctl
 * on SOCKET, so that the autotests can drive the rdma-dummy/ commands with
 * ovs-appctl, until "nic-server/exit". */
static void
run_nic_server(int argc, char *argv[])
{
    struct unixctl_server *server;
    struct rdma_nic *nic;
    bool exiting = false;
    char *error;
    int retval;

    if (argc != 3) {
        ovs_fatal(0, "usage: rdma-test nic-server SPEC SOCKET");
    }
    error = rdma_nic_open(argv[1], &nic);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    retval = unixctl_server_create(argv[2], &server);
    if (retval) {
        ovs_fatal(retval, "%s: could not create unixctl server", argv[2]);
    }
    unixctl_command_register("nic-server/exit", "", 0, 0,
                             nic_server_exit, &exiting);
    unixctl_command_register("nic-server/bind-source", "CM_ID", 1, 1,
                             nic_server_op, nic);
    unixctl_command_register("nic-server/install", "CM_ID QPN GEN", 3, 3,
                             nic_server_op, nic);
    unixctl_command_register("nic-server/modify", "CM_ID QPN GEN", 3, 3,
                             nic_server_op, nic);
    unixctl_command_register("nic-server/remove", "CM_ID", 1, 1,
                             nic_server_op, nic);

    while (!exiting) {
        unixctl_server_run(server);
        rdma_nic_run(nic);
        if (exiting) {
            break;
        }
        unixctl_server_wait(server);
        rdma_nic_wait(nic);
        poll_block();
    }
    unixctl_server_destroy(server);
    rdma_nic_close(nic);
}

RDMA_TEST_REGISTER("nic-server", "serve a NIC's unixctl commands (for "
                   "the autotests)", run_nic_server)
