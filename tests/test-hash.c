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

/* "rdma-test hash": the hash tables that grow with the number of bindings
 * spread the keys that real clients use as well as a random hash would:
 * the QP map's three indexes (the dummy NIC's and the retry tombstones'
 * tables use the same hash_uint64() of the key as the first).
 *
 * For each key pattern the test fills the table and measures its buckets:
 * the chi-square statistic of the bucket counts against a uniform spread
 * (about the number of buckets, give or take sqrt(2 * buckets), for a
 * random hash) and the longest chain.  A control with a bad hash (the low
 * bits of the key) must fail the same check, so the check can fail. */

#include <config.h>
#include "rdma-test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "openvswitch/hmap.h"
#include "rdma-qp-map.h"
#include "util.h"

/* The spread of one hash table. */
struct spread {
    size_t n;                   /* Nodes. */
    size_t buckets;             /* Buckets. */
    double chi2;                /* Chi-square against a uniform spread. */
    size_t longest;             /* Longest chain. */
};

/* Adds a bucket of 'count' nodes to 's', whose 'n' and 'buckets' are
 * set. */
static void
measure_bucket(struct spread *s, size_t count)
{
    double expected = (double) s->n / s->buckets;

    s->chi2 += (count - expected) * (count - expected) / expected;
    s->longest = MAX(s->longest, count);
}

/* Measures the spread of 'hmap'. */
static struct spread
measure(const struct hmap *hmap)
{
    struct spread s = { .n = hmap_count(hmap), .buckets = hmap->mask + 1 };
    size_t i;

    for (i = 0; i <= hmap->mask; i++) {
        const struct hmap_node *node;
        size_t count = 0;

        for (node = hmap->buckets[i]; node; node = node->next) {
            count++;
        }
        measure_bucket(&s, count);
    }
    return s;
}

/* Measures the spread of 'idx', an index of type 'type' of 'map'. */
static struct spread
measure_index(const struct rdma_qp_map *map, const struct rdma_qpm_index *idx,
              enum rdma_qpm_index_type type)
{
    struct spread s = { .n = idx->n, .buckets = (size_t) idx->mask + 1 };
    size_t i;

    for (i = 0; i <= idx->mask; i++) {
        measure_bucket(&s, rdma_qpm_index_chain_length(map, idx, type, i));
    }
    return s;
}

/* Returns true if 's' is as good as a random hash: chi-square within 6
 * standard deviations of its mean (the bucket count), and no chain longer
 * than 12 (a random hash's longest chain at these loads is 6-9). */
static bool
spreads(const struct spread *s)
{
    return (s->chi2 < s->buckets + 6 * sqrt(2.0 * s->buckets)
            && s->longest <= 12);
}

/* Checks that 's', for table 'what' under key pattern 'pattern', spreads,
 * at 'file':'line'. */
static void
check_spread(const char *file, int line, const char *what,
             const char *pattern, const struct spread *s)
{
    if (!spreads(s)) {
        rdma_test_fail(file, line, "%s, %s: %"PRIuSIZE" nodes in %"PRIuSIZE
                       " buckets: chi-square %.0f (random: %"PRIuSIZE
                       " +- %.0f), longest chain %"PRIuSIZE, what, pattern,
                       s->n, s->buckets, s->chi2, s->buckets,
                       sqrt(2.0 * s->buckets), s->longest);
    }
}
#define CHECK_SPREAD(WHAT, PATTERN, HMAP)                               \
    do {                                                                \
        struct spread s_ = measure(HMAP);                               \
        check_spread(__FILE__, __LINE__, WHAT, PATTERN, &s_);           \
    } while (0)
#define CHECK_INDEX_SPREAD(WHAT, PATTERN, MAP, INDEX, TYPE)             \
    do {                                                                \
        struct spread s_ = measure_index(MAP, INDEX, TYPE);             \
        check_spread(__FILE__, __LINE__, WHAT, PATTERN, &s_);           \
    } while (0)

/* Key patterns that clients use: cm_id and QPN of binding 'i'. */
struct pattern {
    const char *name;           /* For messages. */
    uint64_t (*cm_id)(size_t i); /* cm_id of binding 'i'. */
    uint32_t (*qpn)(size_t i);  /* QPN of binding 'i'. */
    int n_vports;               /* Bindings spread over this many vports. */
};

/* Sequential cm_ids from 1. */
static uint64_t
seq_cm_id(size_t i)
{
    return i + 1;
}

/* Sequential QPNs from 1. */
static uint32_t
seq_qpn(size_t i)
{
    return i + 1;
}

/* librdmacm's ids are pointers: 8-byte aligned, often 4 KiB apart. */
static uint64_t
ptr_cm_id(size_t i)
{
    return 0x5581a0000000ULL + i * 4096;
}

/* QPNs as a NIC hands them out: a function number in the top bits. */
static uint32_t
nic_qpn(size_t i)
{
    return 0x100000 | (i * 8);
}

/* Per-process counters with the pid in the upper half. */
static uint64_t
pid_cm_id(size_t i)
{
    return (uint64_t) (1000 + i % 64) << 32 | (i / 64);
}

/* QPNs 256 apart. */
static uint32_t
stride_qpn(size_t i)
{
    return (i + 1) << 8;
}

static const struct pattern patterns[] = {
    { "sequential ids, one vport", seq_cm_id, seq_qpn, 1 },
    { "pointer ids, strided QPNs, one vport", ptr_cm_id, nic_qpn, 1 },
    { "pid-tagged ids, 256-strided QPNs", pid_cm_id, stride_qpn, 1 },
    { "sequential ids on 100 vports", seq_cm_id, seq_qpn, 100 },
};

/* Fills a QP map with 'n' bindings of 'p' and checks its three indexes. */
static void
test_qp_map_pattern(const struct pattern *p, size_t n)
{
    uint64_t next_key = 1ULL << 62;
    struct rdma_qp_map map;
    size_t i;

    rdma_qp_map_init(&map);
    for (i = 0; i < n; i++) {
        char vport[16];
        struct rdma_binding *b;
        uint64_t cm_id = p->cm_id(i / p->n_vports);
        uint64_t key;

        snprintf(vport, sizeof vport, "vm%d", (int) (i % p->n_vports));
        key = rdma_qp_map_free_key(&map, cm_id, &next_key);
        b = rdma_qp_map_add(&map, key, cm_id, vport);
        rdma_binding_set_qpn(&map, b, p->n_vports > 1 ? vport : NULL,
                             p->qpn(i / p->n_vports));
    }
    CHECK_INDEX_SPREAD("QP map by key", p->name, &map, &map.by_key,
                       RDMA_QPM_BY_KEY);
    CHECK_INDEX_SPREAD("QP map by vport and cm_id", p->name, &map,
                       &rdma_qp_map_find_vport(&map, "vm0")->bindings,
                       RDMA_QPM_BY_CM_ID);
    CHECK_INDEX_SPREAD("QP map by device and QPN", p->name, &map,
                       &map.by_qpn, RDMA_QPM_BY_QPN);
    rdma_qp_map_destroy(&map);
}

/* A bad hash: the key's low bits. */
static void
test_control(size_t n)
{
    struct hmap_node *nodes = xcalloc(n, sizeof *nodes);
    struct spread s;
    struct hmap h;
    size_t i;

    hmap_init(&h);
    for (i = 0; i < n; i++) {
        hmap_insert(&h, &nodes[i], ptr_cm_id(i));
    }
    s = measure(&h);
    CHECK(!spreads(&s));
    hmap_destroy(&h);
    free(nodes);
}

/* "rdma-test hash [N]": N bindings per pattern (default 100000). */
static void
run_hash_tests(int argc, char *argv[])
{
    size_t n = argc > 1 ? atoi(argv[1]) : 100000;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(patterns); i++) {
        test_qp_map_pattern(&patterns[i], n);
    }
    test_control(n);
}

RDMA_TEST_REGISTER("hash", "hash tables that grow with the bindings spread "
                   "their keys", run_hash_tests)
