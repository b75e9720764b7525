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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "fake-underlay.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-nic-dummy.h"
#include "rdma-persist.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-state-file.h"
#include "rdma-test.h"
#include "rdma-underlay.h"
#include "util.h"

/* Returns the number of bindings that path 'p' of 'map' lists, checking
 * that each is on 'p' and that the list links both ways. */
static size_t
path_len(const struct rdma_qp_map *map, const struct rdma_path *p)
{
    const struct rdma_binding *b;
    uint32_t prev = 0;
    size_t n = 0;

    RDMA_PATH_FOR_EACH (b, p, map) {
        CHECK(b->path == p && b->path_prev == prev);
        prev = b->id;
        n++;
    }
    CHECK_INT(p->last, prev);
    return n;
}

/* Returns the number of bindings that vport 'vp' lists. */
static size_t
vport_len(const struct rdma_qpm_vport *vp)
{
    const struct rdma_binding *b;
    size_t n = 0;

    RDMA_QPM_VPORT_FOR_EACH (b, vp) {
        CHECK(b->vport == vp);
        n++;
    }
    return n;
}

/* Returns the number of members of the JSON object 'text' whose members
 * are strings, numbers, booleans and nulls (a binding's text): the names
 * are the strings followed by a colon. */
static size_t
count_members(const char *text)
{
    bool in_string = false;
    size_t n = 0;

    for (const char *p = text; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) {
                p++;
            } else if (*p == '"') {
                in_string = false;
                n += p[1] == ':';
            }
        } else if (*p == '"') {
            in_string = true;
        }
    }
    return n;
}

/* Appends the state file's "put" record of 'b' to 'ds' as the state file
 * wrote it before it wrote records as text: a JSON tree serialized with
 * sorted members, a space, the CRC-32, a new-line. */
static void
reference_put(const struct rdma_binding *b, struct ds *ds)
{
    struct json *o = json_object_create();
    struct in6_addr dst = rdma_binding_dst_ip(b);
    struct in6_addr src = rdma_binding_src_ip(b);
    struct json *top = json_object_create();
    size_t start = ds->length;
    char buf[46];

    json_object_put(o, "cm_id", json_integer_create(b->cm_id));
    if (b->key != b->cm_id) {
        json_object_put(o, "key", json_integer_create(b->key));
    }
    json_object_put(o, "qpn", json_integer_create(b->qpn));
    json_object_put(o, "remote_qpn", json_integer_create(b->remote_qpn));
    json_object_put_string(o, "vport", b->vport->name);
    json_object_put_string(o, "dst_ip", ipv6_string_mapped(buf, &dst));
    if (b->has_dst_mac) {
        json_object_put_format(o, "dst_mac", ETH_ADDR_FMT,
                               ETH_ADDR_ARGS(b->dst_mac));
    }
    if (b->src_ip_given) {
        json_object_put_string(o, "src_ip", ipv6_string_mapped(buf, &src));
    }
    if (b->path) {
        json_object_put_string(o, "tunnel", b->path->tunnel);
    }
    json_object_put(top, "put", o);
    json_to_ds(top, JSSF_SORT, ds);
    json_destroy(top);
    ds_put_format(ds, " %08lx\n",
                  crc32(crc32(0L, Z_NULL, 0),
                        (const Bytef *) ds->string + start,
                        ds->length - start));
}

/* Checks that each binding's JSON text (rdma_binding_put_json(), a
 * tenant's reply) parses into the same JSON as rdma_binding_to_json(),
 * and that its state-file record is byte for byte what the JSON tree
 * would give (reference_put()).  Returns how many bindings it checked. */
static size_t
check_binding_text(const struct rdma_qp_map *map)
{
    const struct rdma_binding *b;
    size_t n = 0;

    RDMA_QP_MAP_FOR_EACH (b, map) {
        struct ds text = DS_EMPTY_INITIALIZER;
        struct json *tree = rdma_binding_to_json(b);
        struct json *parsed;

        rdma_binding_put_json(b, &text);
        parsed = json_from_string(ds_cstr(&text));
        /* (The parser keeps one of a repeated member: count them.) */
        CHECK_INT(count_members(ds_cstr(&text)),
                  shash_count(json_object(tree)));
        if (!json_equal(tree, parsed)) {
            char *want = json_to_string(tree, JSSF_SORT);

            rdma_test_fail(__FILE__, __LINE__, "binding text %s, expected "
                           "%s", ds_cstr(&text), want);
            free(want);
        }
        json_destroy(parsed);
        json_destroy(tree);

        struct ds want = DS_EMPTY_INITIALIZER;

        ds_clear(&text);
        rdma_state_put(b, &text);
        reference_put(b, &want);
        CHECK_STR(ds_cstr(&text), ds_cstr(&want));
        ds_destroy(&want);
        ds_destroy(&text);
        n++;
    }
    return n;
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
    a = rdma_qp_map_add(&map, 1, 1, "vm1");
    b = rdma_qp_map_add(&map, 2, 2, "vm1");
    c = rdma_qp_map_add(&map, 3, 3, "vm2");
    CHECK_INT(rdma_qp_map_count(&map), 3);
    CHECK(rdma_qp_map_find_key(&map, 2) == b);
    CHECK(!rdma_qp_map_find_key(&map, 4));
    CHECK_INT(hmap_count(&map.vports), 2);
    CHECK_INT(rdma_qp_map_find_vport(&map, "vm1")->n_bindings, 2);
    CHECK_INT(vport_len(rdma_qp_map_find_vport(&map, "vm1")), 2);
    CHECK_INT(rdma_qp_map_find_vport(&map, "vm1")->n_not_installed, 2);

    p1 = rdma_qp_map_get_path(&map, "t1");
    p2 = rdma_qp_map_get_path(&map, "t2");
    CHECK(rdma_qp_map_get_path(&map, "t1") == p1);
    rdma_binding_set_path(&map, a, p1);
    rdma_binding_set_path(&map, b, p1);
    rdma_binding_set_path(&map, c, p2);
    CHECK_INT(p1->n_bindings, 2);
    CHECK_INT(path_len(&map, p1), 2);

    /* Moving the last binding off a path frees the path. */
    rdma_binding_set_path(&map, c, p1);
    CHECK(!rdma_qp_map_find_path(&map, "t2"));
    CHECK_INT(p1->n_bindings, 3);
    CHECK_INT(path_len(&map, p1), 3);

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

    /* The reply's text: pending with a reason, not installed, a vport name
     * that needs escaping, a QP state, a binding with no path. */
    struct rdma_binding *d = rdma_qp_map_add(&map, 9, 4, "v\"m\\3\n");
    struct in6_addr src, dst;

    d->qp_checked = true;
    d->owner = 7;
    d->has_dst_mac = true;
    d->dst_mac = (struct eth_addr) { { { 0x02, 0, 0xab, 0xcd, 0xef, 0x10 } } };
    rdma_ip_parse("fd00::1", &src);
    rdma_ip_parse("10.200.3.4", &dst);
    rdma_binding_set_ips(&map, d, &src, &dst);
    d->src_ip_given = true;
    CHECK_INT(check_binding_text(&map), 4);
    rdma_qp_map_remove(&map, d);

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
    const struct rdma_engine_stats *stats = rdma_engine_get_stats(e);

    return stats->n_install + stats->n_modify + stats->n_remove;
}

/* The engine touches exactly the bindings a change affects. */
static void
test_engine_refresh(void)
{
    struct rdma_binding *b1, *b2, *b3, *b4;
    struct rdma_mapping cfg;
    struct rdma_engine *e;
    struct rdma_qp_map map;
    struct rdma_nic *nic;
    uint64_t ops;
    char *error;

    rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class);
    error = rdma_nic_open("dummy", &nic);
    CHECK(!error);
    rdma_qp_map_init(&map);
    e = rdma_engine_create(&map, nic, 0);

    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    b1 = bind_qp(e, 1, "10.1.0.2");
    b2 = bind_qp(e, 2, "10.1.0.3");
    b3 = bind_qp(e, 3, "10.2.0.2");
    b4 = bind_qp(e, 4, "10.2.0.3");
    CHECK_INT(rdma_engine_get_stats(e)->n_install, 4);
    CHECK_INT(check_binding_text(&map), 4);
    CHECK(!strcmp(b1->path->tunnel, "t1"));
    CHECK(!strcmp(b3->path->tunnel, "t2"));
    CHECK_INT(b1->state, RDMA_BINDING_INSTALLED);
    CHECK_INT(hmap_count(&map.paths), 2);

    /* The same configuration again: no operation at all. */
    ops = n_ops(e);
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(n_ops(e), ops);

    /* t1's remote_ip changes: exactly t1's two bindings are modified. */
    make_config(&cfg, "192.0.2.9", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, 2);
    CHECK_INT(b1->generation, 2);
    CHECK_INT(b2->generation, 2);
    CHECK_INT(b3->generation, 1);
    CHECK_INT(b4->generation, 1);

    /* A neighbour MAC changes: every path's next hop changes (the fake
     * underlay has one neighbour MAC), so all four are modified once. */
    fake_underlay_nexthop_byte = 0x03;
    rdma_engine_poll_underlay(e);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, 6);
    /* Polling again with nothing changed costs nothing. */
    ops = n_ops(e);
    rdma_engine_poll_underlay(e);
    CHECK_INT(n_ops(e), ops);

    /* The vport's MAC changes: its four bindings are modified. */
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, 10);

    /* t1 is deleted: t2 is then the only candidate, so t1's two bindings
     * move to it (Documentation/design.rst, section "Configuration in
     * OVSDB"); t2's are untouched. */
    ops = rdma_engine_get_stats(e)->n_modify;
    make_config(&cfg, "192.0.2.9", 7, false, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, ops + 2);
    CHECK_INT(rdma_engine_get_stats(e)->n_remove, 0);
    CHECK(!strcmp(b1->path->tunnel, "t2"));
    CHECK_INT(b3->generation, 3);
    CHECK(!rdma_qp_map_find_path(&map, "t1"));

    /* t1 comes back: its prefix wins again. */
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, ops + 4);
    CHECK(!strcmp(b1->path->tunnel, "t1"));

    /* The vport stops being RDMA-enabled: all four entries are removed and
     * the bindings wait; when it comes back they are installed again. */
    make_config(&cfg, "192.0.2.9", 7, true, false);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_remove, 4);
    CHECK_INT(b1->state, RDMA_BINDING_FAILED);
    CHECK(!b1->installed);
    CHECK_INT(b3->vport->n_not_installed, 4);
    CHECK_INT(check_binding_text(&map), 4);
    make_config(&cfg, "192.0.2.9", 7, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_get_stats(e)->n_install, 8);
    CHECK_INT(b1->state, RDMA_BINDING_INSTALLED);
    CHECK_INT(b3->vport->n_not_installed, 0);

    /* Unbinding removes one entry. */
    error = rdma_engine_unbind(e, "vm1", 2);
    CHECK(!error);
    CHECK_INT(rdma_engine_get_stats(e)->n_remove, 5);
    CHECK_INT(rdma_qp_map_count(&map), 3);
    error = rdma_engine_unbind(e, "vm1", 2);
    CHECK(error && !strcmp(error, "no binding with cm_id 2 on vport vm1"));
    free(error);

    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);
    rdma_nic_close(nic);
    rdma_underlay_set_providers(NULL, NULL);
}

/* Returns the number of entries in 'nic''s table. */
static size_t
nic_count(struct rdma_nic *nic)
{
    struct rdma_nic_entry *entries;
    size_t n;

    CHECK_INT(rdma_nic_dump(nic, &entries, &n), 0);
    free(entries);
    return n;
}

/* Starts an engine '*ep' with map 'map' and a new dummy NIC '*nicp', the
 * fake underlay and make_config()'s usual configuration. */
static void
start_engine(struct rdma_engine **ep, struct rdma_qp_map *map,
             struct rdma_nic **nicp)
{
    struct rdma_mapping cfg;
    char *error;

    rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class);
    fake_underlay_nexthop_byte = 0x02;
    error = rdma_nic_open("dummy", nicp);
    CHECK(!error);
    free(error);
    rdma_qp_map_init(map);
    *ep = rdma_engine_create(map, *nicp, 0);
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(*ep, &cfg);
}

/* Restarts the engine: saves '*map' to a state file, frees the map and
 * engine (the NIC keeps its table, as hardware does), and restores them
 * from the file with configuration 'cfg' and NIC 'nic'. */
static void
restart(struct rdma_engine **ep, struct rdma_qp_map *map,
        struct rdma_nic *nic, struct rdma_mapping *cfg,
        struct rdma_restore_stats *stats)
{
    struct rdma_saved_binding *saved;
    size_t n;
    char *error;

    CHECK_INT(rdma_persist_save("test-engine.state", map), 0);
    error = rdma_persist_load("test-engine.state", &saved, &n, NULL);
    unlink("test-engine.state");
    CHECK(!error);
    free(error);
    CHECK_INT(n, rdma_qp_map_count(map));

    rdma_engine_destroy(*ep);
    rdma_qp_map_destroy(map);
    rdma_qp_map_init(map);
    *ep = rdma_engine_create(map, nic, 0);
    rdma_engine_set_config(*ep, cfg);
    CHECK_INT(rdma_engine_restore(*ep, saved, n, true, stats), 0);
    rdma_saved_bindings_free(saved, n);
}

/* A restarted engine finds its connections again: it adopts what the NIC
 * still holds without an operation, changes only what changed meanwhile,
 * installs what the NIC lost, and removes what nobody owns. */
static void
test_engine_restore(void)
{
    struct rdma_restore_stats stats;
    struct rdma_nic_entry orphan;
    struct rdma_nic *nic, *nic2;
    struct rdma_binding *b;
    struct rdma_mapping cfg;
    struct rdma_engine *e;
    struct rdma_qp_map map;
    char *error;

    start_engine(&e, &map, &nic);
    bind_qp(e, 1, "10.1.0.2");
    bind_qp(e, 2, "10.1.0.3");
    bind_qp(e, 3, "10.2.0.2");
    CHECK_INT(nic_count(nic), 3);

    /* Nothing changed while it was down: not a single NIC operation. */
    make_config(&cfg, "192.0.2.2", 1, true, true);
    restart(&e, &map, nic, &cfg, &stats);
    CHECK_INT(stats.n_restored, 3);
    CHECK_INT(stats.n_adopted, 3);
    CHECK_INT(stats.n_orphans, 0);
    CHECK_INT(n_ops(e), 0);
    b = rdma_qp_map_find_key(&map, 1);
    CHECK(b && b->state == RDMA_BINDING_INSTALLED && b->generation == 1);
    CHECK(b && b->path && !strcmp(b->path->tunnel, "t1"));
    CHECK_INT(map.vports.n, 1);
    CHECK_INT(rdma_qp_map_find_vport(&map, "vm1")->n_not_installed, 0);

    /* t1 moved while it was down, and the NIC holds an entry nobody
     * bound: t1's two connections are modified, t2's is untouched, the
     * stray entry is removed. */
    memset(&orphan, 0, sizeof orphan);
    orphan.cm_id = 99;
    orphan.qpn = 99;
    orphan.tuple.type = OVL_VXLAN;
    orphan.generation = 1;
    CHECK_INT(rdma_nic_install(nic, &orphan), 0);
    make_config(&cfg, "192.0.2.9", 1, true, true);
    restart(&e, &map, nic, &cfg, &stats);
    CHECK_INT(stats.n_orphans, 1);
    CHECK_INT(rdma_engine_get_stats(e)->n_install, 0);
    CHECK_INT(rdma_engine_get_stats(e)->n_modify, 2);
    CHECK_INT(rdma_engine_get_stats(e)->n_remove, 1);
    CHECK_INT(rdma_qp_map_find_key(&map, 1)->generation, 2);
    CHECK_INT(rdma_qp_map_find_key(&map, 3)->generation, 1);
    CHECK_INT(nic_count(nic), 3);

    /* A new NIC (the old one's table is gone): everything is installed
     * again. */
    error = rdma_nic_open("dummy", &nic2);
    CHECK(!error);
    make_config(&cfg, "192.0.2.9", 1, true, true);
    restart(&e, &map, nic2, &cfg, &stats);
    CHECK_INT(stats.n_adopted, 0);
    CHECK_INT(rdma_engine_get_stats(e)->n_install, 3);
    CHECK_INT(nic_count(nic2), 3);
    CHECK_INT(rdma_qp_map_find_key(&map, 2)->state, RDMA_BINDING_INSTALLED);

    /* The vport lost rdma=true while the daemon was down: the connections
     * come back as failed, with the reason, and leave the NIC. */
    make_config(&cfg, "192.0.2.9", 1, true, false);
    restart(&e, &map, nic2, &cfg, &stats);
    CHECK_INT(stats.n_restored, 3);
    CHECK_INT(rdma_engine_get_stats(e)->n_remove, 3);
    CHECK_INT(nic_count(nic2), 0);
    b = rdma_qp_map_find_key(&map, 3);
    CHECK(b && b->state == RDMA_BINDING_FAILED);
    CHECK(b && b->reason && strstr(b->reason, "not RDMA-enabled"));

    /* New automatic cm_ids and QPNs do not collide with restored ones. */
    make_config(&cfg, "192.0.2.9", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK(rdma_qp_map_find_key(&map, 3) != NULL);
    {
        struct rdma_request req;

        memset(&req, 0, sizeof req);
        req.vport = "vm1";
        rdma_ip_parse("10.1.0.7", &req.dst_ip);
        b = NULL;
        error = rdma_engine_bind(e, &req, &b);
        CHECK(!error);
        free(error);
        CHECK(b && b->qpn > rdma_qp_map_find_key(&map, 3)->qpn);
        CHECK(b && b->cm_id != 3);
        if (b) {
            error = rdma_engine_unbind(e, "vm1", b->cm_id);
            CHECK(!error);
            free(error);
        }
    }

    /* ...and after the largest QPN, the next automatic one is 1, not 0. */
    rdma_binding_set_qpn(&map, rdma_qp_map_find_key(&map, 3), NULL, 0xffffff);
    make_config(&cfg, "192.0.2.9", 1, true, true);
    restart(&e, &map, nic2, &cfg, &stats);
    b = NULL;
    {
        struct rdma_request req;

        memset(&req, 0, sizeof req);
        req.vport = "vm1";
        rdma_ip_parse("10.1.0.7", &req.dst_ip);
        error = rdma_engine_bind(e, &req, &b);
        CHECK(!error);
        free(error);
        CHECK(b && b->qpn == 1);
    }

    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);
    rdma_nic_close(nic);
    rdma_nic_close(nic2);
    rdma_underlay_set_providers(NULL, NULL);
}

/* What a restore does when it cannot know everything: the NIC's table
 * cannot be read, the saved file could not be read, or the underlay cannot
 * be resolved right after the restart. */
static void
test_engine_restore_partial(void)
{
    struct rdma_restore_stats stats;
    struct rdma_saved_binding *saved;
    struct rdma_nic_entry stray;
    struct rdma_mapping cfg;
    struct rdma_engine *e;
    struct rdma_qp_map map;
    struct rdma_binding *b;
    struct rdma_nic *nic;
    char *error;
    size_t n;

    start_engine(&e, &map, &nic);
    bind_qp(e, 1, "10.1.0.2");
    bind_qp(e, 2, "10.2.0.2");
    CHECK_INT(rdma_persist_save("test-engine.state", &map), 0);
    error = rdma_persist_load("test-engine.state", &saved, &n, NULL);
    unlink("test-engine.state");
    CHECK(!error);
    free(error);
    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);

    /* The NIC's table cannot be read: nothing changes, the caller is told
     * to retry. */
    rdma_qp_map_init(&map);
    e = rdma_engine_create(&map, nic, 0);
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_nic_dummy_fail(nic, 1, EIO, "dump"), 0);
    CHECK_INT(rdma_engine_restore(e, saved, n, true, &stats), EIO);
    CHECK_INT(rdma_qp_map_count(&map), 0);
    CHECK_INT(n_ops(e), 0);
    CHECK_INT(nic_count(nic), 2);

    /* Retried, while ovs-vswitchd is unreachable: both entries are adopted
     * and kept as they are (stale), with no NIC operation at all. */
    fake_underlay_error = ECONNREFUSED;
    CHECK_INT(rdma_engine_restore(e, saved, n, true, &stats), 0);
    CHECK_INT(stats.n_adopted, 2);
    CHECK_INT(n_ops(e), 0);
    b = rdma_qp_map_find_key(&map, 1);
    CHECK(b && b->state == RDMA_BINDING_INSTALLED);
    CHECK(b && b->path && b->path->stale);
    CHECK(b && b->path && b->path->base.nexthop_mac.ea[5] == 0x02);
    CHECK_INT(check_binding_text(&map), 2);
    CHECK_INT(nic_count(nic), 2);

    /* When it answers again with what it had, still nothing to do. */
    fake_underlay_error = 0;
    rdma_engine_poll_underlay(e);
    CHECK_INT(n_ops(e), 0);
    CHECK(b && b->path && !b->path->stale);
    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);

    /* The saved file could not be read (so 'saved' is empty): the NIC's
     * entries are left alone rather than removed as strays. */
    memset(&stray, 0, sizeof stray);
    rdma_qp_map_init(&map);
    e = rdma_engine_create(&map, nic, 0);
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    CHECK_INT(rdma_engine_restore(e, NULL, 0, false, &stats), 0);
    CHECK_INT(stats.n_orphans, 0);
    CHECK_INT(nic_count(nic), 2);

    rdma_saved_bindings_free(saved, n);
    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);
    rdma_nic_close(nic);
    rdma_underlay_set_providers(NULL, NULL);
}

/* The daemon's side of the state file: the first run restores and writes
 * a compact file; later changes are appended; the log is compacted when it
 * grows; a file that went away is written again whole. */
static void
test_persist_run(void)
{
    struct rdma_saved_binding *saved;
    struct rdma_persist ps;
    struct rdma_mapping cfg;
    struct rdma_engine *e;
    struct rdma_qp_map map;
    struct rdma_nic *nic;
    size_t n, n_records;
    char *error;
    int i;

    rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class);
    unlink("test-run.state");
    unlink("test-run.state.config");
    error = rdma_nic_open("dummy", &nic);
    CHECK(!error);
    rdma_qp_map_init(&map);
    e = rdma_engine_create(&map, nic, 0);
    rdma_persist_init(&ps, "test-run.state", RDMA_STATE_SYNC_NONE);
    ps.compact_slack = 4;

    /* No configuration yet: nothing restored, binds refused. */
    rdma_persist_run(&ps, e, false);
    CHECK(!ps.restored && rdma_engine_is_restoring(e));
    make_config(&cfg, "192.0.2.2", 1, true, true);
    rdma_engine_set_config(e, &cfg);
    rdma_persist_run(&ps, e, false);
    CHECK(ps.restored && !rdma_engine_is_restoring(e));

    /* Three binds and an unbind are four appended records. */
    bind_qp(e, 1, "10.1.0.2");
    bind_qp(e, 2, "10.1.0.3");
    rdma_persist_run(&ps, e, false);
    bind_qp(e, UINT64_MAX, "10.1.0.4");   /* Beyond INT64_MAX. */
    error = rdma_engine_unbind(e, "vm1", 2);
    CHECK(!error);
    rdma_persist_run(&ps, e, false);
    error = rdma_persist_load("test-run.state", &saved, &n, &n_records);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 2);
    CHECK_INT(n_records, 4);
    CHECK(saved && (saved[0].req.cm_id == UINT64_MAX
                    || saved[1].req.cm_id == UINT64_MAX));
    rdma_saved_bindings_free(saved, n);

    /* Churn: the log is compacted before it holds more than 2 * 2 + 4
     * records. */
    for (i = 0; i < 10; i++) {
        bind_qp(e, 100, "10.1.0.5");
        rdma_persist_run(&ps, e, false);
        error = rdma_engine_unbind(e, "vm1", 100);
        CHECK(!error);
        rdma_persist_run(&ps, e, false);
    }
    error = rdma_persist_load("test-run.state", &saved, &n, &n_records);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 2);
    CHECK(n_records <= 2 * 2 + 4);
    rdma_saved_bindings_free(saved, n);

    /* The file is deleted under the daemon's feet: the next change writes
     * it whole again, at once. */
    unlink("test-run.state");
    unlink("test-run.state.config");
    bind_qp(e, 7, "10.1.0.6");
    CHECK_INT(rdma_persist_run(&ps, e, false), 0);
    error = rdma_persist_load("test-run.state", &saved, &n, &n_records);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 3);
    CHECK_INT(n_records, 3);
    rdma_saved_bindings_free(saved, n);

    rdma_persist_destroy(&ps);
    rdma_engine_destroy(e);
    rdma_qp_map_destroy(&map);
    rdma_nic_close(nic);
    rdma_underlay_set_providers(NULL, NULL);
    unlink("test-run.state");
    unlink("test-run.state.config");
}

/* Writes 'text' to a state file and loads it.  Returns the error (caller
 * frees), or NULL, and the number of connections in '*np'. */
static char *
load_state(const char *text, size_t *np)
{
    struct rdma_saved_binding *saved;
    char *error;
    FILE *f;

    f = fopen("test-persist.state", "w");
    ovs_assert(f);
    fputs(text, f);
    fclose(f);
    error = rdma_persist_load("test-persist.state", &saved, np, NULL);
    rdma_saved_bindings_free(saved, *np);
    return error;
}

/* Checks that loading 'text' fails with an error that contains 'what'. */
static void
check_bad_state(const char *text, const char *what)
{
    size_t n;
    char *error = load_state(text, &n);

    if (!error || !strstr(error, what)) {
        rdma_test_fail(__FILE__, __LINE__, "loading %s: expected an error "
                       "with \"%s\", got \"%s\"", text, what,
                       error ? error : "(none)");
    }
    free(error);
}

/* Checks that loading 'text' succeeds with 'n_live' connections and one
 * damaged record, reported with 'what'. */
static void
check_damaged(const char *text, size_t n_live, const char *what)
{
    struct rdma_saved_binding *saved;
    struct rdma_state_report r;
    size_t n;
    char *error;
    FILE *f;

    f = fopen("test-persist.state", "w");
    ovs_assert(f);
    fputs(text, f);
    fclose(f);
    error = rdma_state_load("test-persist.state", &saved, &n, &r);
    if (error || n != n_live || r.n_damaged != 1 || !r.damaged_at
        || !strstr(r.damaged_at, what)) {
        rdma_test_fail(__FILE__, __LINE__, "loading %s: expected %"PRIuSIZE
                       " connections and one damaged record with \"%s\", "
                       "got error \"%s\", %"PRIuSIZE" connections, %"PRIuSIZE
                       " damaged: %s", text, n_live, what,
                       error ? error : "(none)", n, r.n_damaged,
                       r.damaged_at ? r.damaged_at : "(none)");
    }
    free(error);
    rdma_saved_bindings_free(saved, n);
    rdma_state_report_destroy(&r);
}

/* A "put" record body for cm_id 'id' with QPN 'qpn'. */
#define PUT(ID, QPN) \
    "{\"put\":{\"cm_id\":" #ID ",\"qpn\":" #QPN ",\"remote_qpn\":0," \
    "\"vport\":\"vm1\",\"dst_ip\":\"10.1.0.2\"}}\n"

/* The state file's loader replays "put" and "del" records, tolerates only
 * a torn last line, and rejects anything else with a message that says
 * what is wrong. */
static void
test_persist_load(void)
{
    struct rdma_binding *b;
    struct rdma_qp_map map;
    struct rdma_saved_binding *saved;
    size_t n, n_records;
    char *error;
    struct rdma_qp_map_change ids[2] = { { 2, 2, "vm1" }, { 3, 3, "vm2" } };

    error = load_state("{\"version\":1}\n" PUT(1, 9) PUT(2, 9) PUT(1, 10)
                       "{\"del\":2}\n", &n);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 1);

    /* A crash in the middle of an append leaves a torn last line. */
    error = load_state("{\"version\":1}\n" PUT(1, 9) "{\"put\":{\"cm_i",
                       &n);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 1);

    /* An empty file holds nothing; only a file that is not a state file
     * at all, or of an unknown version, is refused whole. */
    error = load_state("", &n);
    CHECK(!error && !n);
    free(error);
    check_bad_state("{\"version\":3}\n", "format version 3 is not supported");
    check_bad_state("{\"bindings\":[]}\n", "not an ovs-rdmad state file");

    /* Damaged records are skipped and reported, the others kept. */
    check_damaged("{\"version\":1}\n{\"put\":{\"cm_id\":5}}\n"
                  PUT(1, 9), 1, "line 2 (byte 14): Required 'qpn' member is "
                  "missing");
    check_damaged("{\"version\":1}\n" PUT(5, 0), 0, "invalid qpn \"0\"");
    check_damaged("{\"version\":1}\n{\"put\":{\"cm_id\":5,\"qpn\":1,"
                  "\"remote_qpn\":0,\"vport\":\"vm1\","
                  "\"dst_ip\":\"10.1.0.999\"}}\n", 0,
                  "not a valid destination IP address");
    check_damaged("{\"version\":1}\n{\"put\":{\"cm_id\":5,\"qpn\":1,"
                  "\"remote_qpn\":0,\"vport\":\"vm1\","
                  "\"dst_ip\":\"10.1.0.2\",\"dst_mac\":\"zz\"}}\n", 0,
                  "not a valid unicast MAC address");
    check_damaged("{\"version\":1}\n{\"del\":1,\"put\":{}}\n", 0,
                  "exactly one of");
    check_damaged("{\"version\":1}\ngarbage\n" PUT(1, 9), 1, "line 2 ");
    /* Version 2: a record without its CRC, or with a wrong one. */
    check_damaged("{\"version\":2}\n" PUT(1, 9), 0, "no CRC");
    check_damaged("{\"version\":2}\n{\"del\":{\"cm_id\":1,\"vport\":"
                  "\"vm1\"}} 00000000\n", 0, "CRC mismatch");

    /* Save, then append: the loader sees the map as it is. */
    rdma_qp_map_init(&map);
    b = rdma_qp_map_add(&map, 1, 1, "vm1");
    rdma_binding_set_qpn(&map, b, NULL, 11);
    b = rdma_qp_map_add(&map, 2, 2, "vm1");
    rdma_binding_set_qpn(&map, b, NULL, 12);
    CHECK_INT(rdma_persist_save("test-persist.state", &map), 0);
    rdma_qp_map_remove(&map, rdma_qp_map_find_key(&map, 2));
    b = rdma_qp_map_add(&map, 3, 3, "vm2");
    rdma_binding_set_qpn(&map, b, NULL, 13);
    b->has_dst_mac = true;
    b->dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,03);
    CHECK_INT(rdma_persist_append("test-persist.state", &map, ids, 2), 0);
    error = rdma_persist_load("test-persist.state", &saved, &n, &n_records);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 2);
    CHECK_INT(n_records, 4);
    if (n == 2) {
        const struct rdma_saved_binding *s3 = (saved[0].req.cm_id == 3
                                               ? &saved[0] : &saved[1]);

        CHECK_INT(s3->req.cm_id, 3);
        CHECK_INT(s3->req.qpn, 13);
        CHECK(!strcmp(s3->req.vport, "vm2"));
        CHECK(s3->req.has_dst_mac && s3->req.dst_mac.ea[5] == 3);
        CHECK(!s3->req.has_src_ip && !s3->tunnel);
    }
    rdma_saved_bindings_free(saved, n);

    /* Keys: vm1 and vm2 both have cm_id 1; vm2's key is not its cm_id.
     * The records say so, a "del" names the key, and the replay is keyed
     * by key. */
    {
        struct rdma_qp_map_change kids[2] = { { 1, 1, "vm1" },
                                              { 1ULL << 62, 1, "vm2" } };
        const uint64_t k2 = 1ULL << 62;

        b = rdma_qp_map_add(&map, k2, 1, "vm2");
        rdma_binding_set_qpn(&map, b, NULL, 21);
        CHECK_INT(rdma_persist_save("test-persist.state", &map), 0);
        rdma_qp_map_remove(&map, rdma_qp_map_find(&map, "vm1", 1));
        CHECK_INT(rdma_persist_append("test-persist.state", &map, kids, 2),
                  0);
        error = rdma_persist_load("test-persist.state", &saved, &n,
                                  &n_records);
        CHECK(!error);
        free(error);
        CHECK_INT(n, 2);
        for (size_t i = 0; i < n; i++) {
            CHECK(strcmp(saved[i].req.vport, "vm1"));
            if (saved[i].req.cm_id == 1) {
                CHECK(!strcmp(saved[i].req.vport, "vm2"));
                CHECK(saved[i].key == k2);
            } else {
                CHECK(saved[i].key == saved[i].req.cm_id);
            }
        }
        rdma_saved_bindings_free(saved, n);
    }

    /* Version 1 files with "key" members (written before the CRCs): the
     * "del" names a key. */
    error = load_state("{\"version\":1}\n" PUT(7, 9)
                       "{\"put\":{\"cm_id\":7,\"key\":99,\"qpn\":10,"
                       "\"remote_qpn\":0,\"vport\":\"vm2\","
                       "\"dst_ip\":\"10.1.0.2\"}}\n"
                       "{\"del\":7}\n", &n);
    CHECK(!error);
    free(error);
    CHECK_INT(n, 1);

    /* Appending to a file that went away fails rather than writing a
     * headerless log. */
    unlink("test-persist.state");
    CHECK_INT(rdma_persist_append("test-persist.state", &map, ids, 2),
              ENOENT);
    rdma_qp_map_destroy(&map);
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
    test_engine_restore();
    test_engine_restore_partial();
    test_persist_run();
    test_persist_load();
}

RDMA_TEST_REGISTER("qp-map", "QP map index maintenance", run_qp_map_tests)
RDMA_TEST_REGISTER("engine", "incremental refresh with the dummy NIC",
                   run_engine_tests)
