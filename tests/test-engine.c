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

/* Unit tests for the QP map's indexes and the engine's incremental
 * refresh, with the dummy NIC and a fake underlay. */

#include <config.h>

#include <string.h>

#include "openvswitch/list.h"
#include "packets.h"
#include "fake-underlay.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-qp-map.h"
#include "rdma-resolve.h"
#include "rdma-test.h"
#include "rdma-underlay.h"
#include "util.h"

/* Checks that vport 'vp' and path 'p' list exactly 'n' bindings each. */
static size_t
list_len(const struct ovs_list *list)
{
    return ovs_list_size(list);
}

/* Index maintenance: bindings hang off vports and paths, move between
 * paths, and take their vport and path with them when they go last. */
static void
test_qp_map_indexes(void)
{
    struct rdma_qp_map map;
    struct rdma_binding *a, *b, *c;
    struct rdma_path *p1, *p2;
    uint64_t seqno;

    rdma_qp_map_init(&map);
    a = rdma_qp_map_add(&map, 1, "vm1");
    b = rdma_qp_map_add(&map, 2, "vm1");
    c = rdma_qp_map_add(&map, 3, "vm2");
    CHECK_INT(rdma_qp_map_count(&map), 3);
    CHECK(rdma_qp_map_find(&map, 2) == b);
    CHECK(!rdma_qp_map_find(&map, 4));
    CHECK_INT(hmap_count(&map.vports), 2);
    CHECK_INT(rdma_qp_map_find_vport(&map, "vm1")->n_bindings, 2);
    CHECK_INT(list_len(&rdma_qp_map_find_vport(&map, "vm1")->bindings), 2);
    CHECK_INT(rdma_qp_map_find_vport(&map, "vm1")->n_not_installed, 2);

    p1 = rdma_qp_map_get_path(&map, "t1");
    p2 = rdma_qp_map_get_path(&map, "t2");
    CHECK(rdma_qp_map_get_path(&map, "t1") == p1);
    rdma_binding_set_path(&map, a, p1);
    rdma_binding_set_path(&map, b, p1);
    rdma_binding_set_path(&map, c, p2);
    CHECK_INT(p1->n_bindings, 2);
    CHECK_INT(list_len(&p1->bindings), 2);

    /* Moving the last binding off a path frees the path. */
    rdma_binding_set_path(&map, c, p1);
    CHECK(!rdma_qp_map_find_path(&map, "t2"));
    CHECK_INT(p1->n_bindings, 3);
    CHECK_INT(list_len(&p1->bindings), 3);

    /* State changes are counted per vport and bump the seqno. */
    seqno = map.seqno;
    rdma_binding_set_state(&map, a, RDMA_BINDING_INSTALLED, NULL);
    CHECK_INT(a->vport->n_not_installed, 1);
    CHECK(map.seqno != seqno);
    seqno = map.seqno;
    rdma_binding_set_state(&map, a, RDMA_BINDING_INSTALLED, NULL);
    CHECK_INT(map.seqno, seqno);
    rdma_binding_set_state(&map, a, RDMA_BINDING_PENDING, "waiting");
    CHECK_INT(a->vport->n_not_installed, 2);
    CHECK(!strcmp(a->reason, "waiting"));

    /* Removing bindings frees vports and paths with the last one. */
    rdma_qp_map_remove(&map, c);
    CHECK(!rdma_qp_map_find_vport(&map, "vm2"));
    CHECK_INT(p1->n_bindings, 2);
    rdma_qp_map_remove(&map, a);
    rdma_qp_map_remove(&map, b);
    CHECK(!rdma_qp_map_find_path(&map, "t1"));
    CHECK_INT(hmap_count(&map.vports), 0);
    CHECK_INT(rdma_qp_map_count(&map), 0);
    rdma_qp_map_destroy(&map);
}

/* Makes a snapshot: bridge br-int with vport vm1 (MAC ending in
 * 'mac_byte'; RDMA-enabled only if 'with_vport') and tunnels t1 (to
 * 'remote1', peers 10.1.0.0/24) and t2 (to 192.0.2.3, peers 10.2.0.0/24),
 * t1 only if 'with_t1'. */
static void
make_config(struct rdma_mapping *m, const char *remote1, uint8_t mac_byte,
            bool with_t1, bool with_vport)
{
    struct rdma_map_bridge *br;
    struct rdma_map_vport *vp;
    struct rdma_map_tunnel *t;
    char *error;

    rdma_mapping_init(m);
    br = rdma_mapping_add_bridge(m, "br-int", "netdev");
    rdma_mapping_add_iface(m, br, "vm1");
    if (with_vport) {
        vp = rdma_mapping_add_vport(m, br, "vm1");
        vp->mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,01,00);
        vp->mac.ea[5] = mac_byte;
        vp->has_mac = true;
        rdma_ip_parse("10.0.0.1", &vp->ip);
        vp->has_ip = true;
    }

    if (with_t1) {
        rdma_mapping_add_iface(m, br, "t1");
        t = rdma_mapping_add_tunnel(m, br, "t1", "vxlan");
        t->vni = 1;
        t->dst_port = 4789;
        rdma_ip_parse(remote1, &t->remote_ip);
        t->peers = xmalloc(sizeof *t->peers);
        error = rdma_ip_parse_cidr("10.1.0.0/24", &t->peers[0].ip,
                                   &t->peers[0].plen);
        ovs_assert(!error);
        t->n_peers = 1;
    }

    rdma_mapping_add_iface(m, br, "t2");
    t = rdma_mapping_add_tunnel(m, br, "t2", "vxlan");
    t->vni = 2;
    t->dst_port = 4789;
    rdma_ip_parse("192.0.2.3", &t->remote_ip);
    t->peers = xmalloc(sizeof *t->peers);
    error = rdma_ip_parse_cidr("10.2.0.0/24", &t->peers[0].ip,
                               &t->peers[0].plen);
    ovs_assert(!error);
    t->n_peers = 1;
}

/* Binds cm_id 'cm_id' from vm1 to 'dst'. */
static struct rdma_binding *
bind_qp(struct rdma_engine *e, uint64_t cm_id, const char *dst)
{
    struct rdma_binding *b = NULL;
    struct rdma_request req;
    char *error;

    memset(&req, 0, sizeof req);
    req.vport = "vm1";
    rdma_ip_parse(dst, &req.dst_ip);
    req.dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
    req.has_dst_mac = true;
    req.cm_id = cm_id;
    req.has_cm_id = true;
    error = rdma_engine_bind(e, &req, &b);
    if (error) {
        rdma_test_fail(__FILE__, __LINE__, "bind: %s", error);
        free(error);
    }
    return b;
}

/* Returns the number of NIC operations the engine has made. */
static uint64_t
n_ops(const struct rdma_engine *e)
{
    return e->stats.n_install + e->stats.n_modify + e->stats.n_remove;
}

/* The engine touches exactly the bindings a change affects. */
static void
test_engine_refresh(void)
{
    struct rdma_binding *b1, *b2, *b3, *b4;
    struct rdma_mapping cfg;
    struct rdma_engine e;
    struct rdma_qp_map map;
    struct rdma_nic *nic;
    uint64_t ops;
    char *error;

    rdma_resolve_set_underlay_hook(fake_underlay);
    error = rdma_nic_open("dummy", &nic);
    CHECK(!error);
    rdma_qp_map_init(&map);
    rdma_engine_init(&e, &map, nic, 0);

    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(&e, &cfg);
    b1 = bind_qp(&e, 1, "10.1.0.2");
    b2 = bind_qp(&e, 2, "10.1.0.3");
    b3 = bind_qp(&e, 3, "10.2.0.2");
    b4 = bind_qp(&e, 4, "10.2.0.3");
    CHECK_INT(e.stats.n_install, 4);
    CHECK(!strcmp(b1->path->tunnel, "t1"));
    CHECK(!strcmp(b3->path->tunnel, "t2"));
    CHECK_INT(b1->state, RDMA_BINDING_INSTALLED);
    CHECK_INT(hmap_count(&map.paths), 2);

    /* The same configuration again: no operation at all. */
    ops = n_ops(&e);
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(n_ops(&e), ops);

    /* t1's remote_ip changes: exactly t1's two bindings are modified. */
    make_config(&cfg, "192.0.2.9", 1, true, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_modify, 2);
    CHECK_INT(b1->generation, 2);
    CHECK_INT(b2->generation, 2);
    CHECK_INT(b3->generation, 1);
    CHECK_INT(b4->generation, 1);

    /* A neighbour MAC changes: every path's next hop changes (the fake
     * underlay has one neighbour MAC), so all four are modified once. */
    fake_underlay_nexthop_byte = 0x03;
    rdma_engine_poll_underlay(&e);
    CHECK_INT(e.stats.n_modify, 6);
    /* Polling again with nothing changed costs nothing. */
    ops = n_ops(&e);
    rdma_engine_poll_underlay(&e);
    CHECK_INT(n_ops(&e), ops);

    /* The vport's MAC changes: its four bindings are modified. */
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_modify, 10);

    /* t1 is deleted: t2 is then the only candidate, so t1's two bindings
     * move to it (DESIGN.md section 3); t2's are untouched. */
    ops = e.stats.n_modify;
    make_config(&cfg, "192.0.2.9", 7, false, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_modify, ops + 2);
    CHECK_INT(e.stats.n_remove, 0);
    CHECK(!strcmp(b1->path->tunnel, "t2"));
    CHECK_INT(b3->generation, 3);
    CHECK(!rdma_qp_map_find_path(&map, "t1"));

    /* t1 comes back: its prefix wins again. */
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_modify, ops + 4);
    CHECK(!strcmp(b1->path->tunnel, "t1"));

    /* The vport stops being RDMA-enabled: all four entries are removed and
     * the bindings wait; when it comes back they are installed again. */
    make_config(&cfg, "192.0.2.9", 7, true, false);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_remove, 4);
    CHECK_INT(b1->state, RDMA_BINDING_FAILED);
    CHECK(!b1->installed);
    CHECK_INT(b3->vport->n_not_installed, 4);
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(&e, &cfg);
    CHECK_INT(e.stats.n_install, 8);
    CHECK_INT(b1->state, RDMA_BINDING_INSTALLED);
    CHECK_INT(b3->vport->n_not_installed, 0);

    /* Unbinding removes one entry. */
    error = rdma_engine_unbind(&e, 2);
    CHECK(!error);
    CHECK_INT(e.stats.n_remove, 5);
    CHECK_INT(rdma_qp_map_count(&map), 3);
    error = rdma_engine_unbind(&e, 2);
    CHECK(error && !strcmp(error, "no binding with cm_id 2"));
    free(error);

    rdma_engine_destroy(&e);
    rdma_qp_map_destroy(&map);
    rdma_nic_close(nic);
    rdma_resolve_set_underlay_hook(NULL);
}

/* "rdma-test qp-map": index maintenance. */
static void
run_qp_map_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    test_qp_map_indexes();
}

/* "rdma-test engine": incremental refresh. */
static void
run_engine_tests(int argc OVS_UNUSED, char *argv[] OVS_UNUSED)
{
    test_engine_refresh();
}

RDMA_TEST_REGISTER("qp-map", "QP map index maintenance", run_qp_map_tests)
RDMA_TEST_REGISTER("engine", "incremental refresh with the dummy NIC",
                   run_engine_tests)
