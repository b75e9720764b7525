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

/* libFuzzer target for the tenant request handler: the bytes a tenant
 * writes to its socket, split into messages as ovs-rdmad splits them and
 * handled by rdma_tenant_handle_message() on a real engine with the dummy
 * NIC (and a fake underlay), as tenant vm1.
 *
 * After every message it checks the trust model's invariants:
 *   - vm2's bindings, made before, are exactly as they were;
 *   - the NIC's table equals the QP map: one entry per installed binding,
 *     with its key and QPNs, and nothing else;
 *   - no QPN is held twice on one RDMA function;
 *   - every vm1 binding uses one of vm1's own source addresses.
 * At the end of each input, vm1's connection "closes" (its bindings are
 * released) and its persistent bindings are unbound, so that inputs stay
 * independent. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake-underlay.h"
#include "rdma-underlay.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic-dummy.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-tenant.h"
#include "sset.h"
#include "util.h"

static struct rdma_engine *engine;
static struct rdma_qp_map map;
static struct rdma_nic *nic;
static char *vm2_before;        /* vm2's bindings, as text. */

/* Adds RDMA vport 'name' with MAC ending in 'mac_byte' and source IPs
 * 'ips' (comma-separated) to 'm' on 'br'. */
static void
add_vport(struct rdma_mapping *m, struct rdma_map_bridge *br,
          const char *name, uint8_t mac_byte, const char *ips)
{
    struct rdma_map_vport *vp;
    char *copy = xstrdup(ips), *save_ptr = NULL, *word;

    rdma_mapping_add_iface(m, br, name);
    vp = rdma_mapping_add_vport(m, br, name);
    vp->mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,01,00);
    vp->mac.ea[5] = mac_byte;
    vp->has_mac = true;
    vp->ips = xmalloc(4 * sizeof *vp->ips);
    for (word = strtok_r(copy, ",", &save_ptr); word && vp->n_ips < 4;
         word = strtok_r(NULL, ",", &save_ptr)) {
        ovs_assert(rdma_ip_parse(word, &vp->ips[vp->n_ips++]));
    }
    vp->ip = vp->ips[0];
    vp->has_ip = true;
    vp->max_conns = 40;
    free(copy);
}

/* Sets up the engine: vm1 and vm2 on br-int, tunnel t1 for 10.0.0.0/8,
 * a NIC of 64 entries; vm2 binds three connections. */
static void
setup(void)
{
    struct rdma_mapping cfg;
    struct rdma_map_bridge *br;
    struct rdma_map_tunnel *t;
    struct ds ds = DS_EMPTY_INITIALIZER;
    char *error;
    int i;

    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class);
    error = rdma_nic_open("dummy:capacity=64", &nic);
    ovs_assert(!error);
    rdma_qp_map_init(&map);
    engine = rdma_engine_create(&map, nic, 0);

    rdma_mapping_init(&cfg);
    br = rdma_mapping_add_bridge(&cfg, "br-int", "netdev");
    add_vport(&cfg, br, "vm1", 1, "10.1.0.1,10.1.0.5,fd00::1");
    add_vport(&cfg, br, "vm2", 2, "10.1.0.11");
    rdma_mapping_add_iface(&cfg, br, "t1");
    t = rdma_mapping_add_tunnel(&cfg, br, "t1", "vxlan");
    t->vni = 1;
    t->dst_port = 4789;
    rdma_ip_parse("192.0.2.2", &t->remote_ip);
    t->peers = xmalloc(sizeof *t->peers);
    error = rdma_ip_parse_cidr("10.0.0.0/8", &t->peers[0].ip,
                               &t->peers[0].plen);
    ovs_assert(!error);
    t->n_peers = 1;
    rdma_engine_set_config(engine, &cfg);
    rdma_mapping_destroy(&cfg);

    for (i = 1; i <= 3; i++) {
        struct rdma_binding *b;
        struct rdma_request req;

        memset(&req, 0, sizeof req);
        req.vport = "vm2";
        rdma_ip_parse("10.2.0.2", &req.dst_ip);
        req.dst_mac = (struct eth_addr) ETH_ADDR_C(02,00,00,00,02,02);
        req.has_dst_mac = true;
        req.cm_id = i;
        req.has_cm_id = true;
        req.qpn = 100 + i;
        req.has_qpn = true;
        req.persistent = true;
        error = rdma_engine_bind(engine, &req, &b);
        ovs_assert(!error);
        ovs_assert(b->state == RDMA_BINDING_INSTALLED);
    }
    rdma_qp_map_format(&map, "vm2", NULL, NULL, &ds);
    vm2_before = ds_steal_cstr(&ds);
}

/* Checks the invariants (see the top of the file). */
static void
check_invariants(void)
{
    struct sset qpns = SSET_INITIALIZER(&qpns);
    const struct rdma_map_vport *vm1;
    struct rdma_nic_entry *entries;
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct rdma_binding *b;
    size_t n_entries, n_installed = 0, i;

    rdma_qp_map_format(&map, "vm2", NULL, NULL, &ds);
    ovs_assert(!strcmp(ds_cstr(&ds), vm2_before));
    ds_destroy(&ds);

    ovs_assert(!rdma_nic_dump(nic, &entries, &n_entries));
    vm1 = rdma_mapping_find_vport(rdma_engine_get_config(engine), "vm1");
    RDMA_QP_MAP_FOR_EACH (b, &map) {
        char *qpn = xasprintf("%s/%"PRIu32, b->device ? b->device : "",
                              b->qpn);

        ovs_assert(sset_add(&qpns, qpn));
        free(qpn);
        if (b->installed) {
            bool found = false;

            n_installed++;
            for (i = 0; i < n_entries; i++) {
                if (entries[i].cm_id == b->key) {
                    ovs_assert(entries[i].qpn == b->qpn);
                    ovs_assert(entries[i].remote_qpn == b->remote_qpn);
                    found = true;
                }
            }
            ovs_assert(found);
        }
        if (!strcmp(b->vport->name, "vm1")) {
            struct in6_addr src = rdma_binding_src_ip(b);
            bool own = false;

            for (i = 0; i < vm1->n_ips; i++) {
                own |= ipv6_addr_equals(&vm1->ips[i], &src);
            }
            ovs_assert(own);
        }
    }
    ovs_assert(n_installed == n_entries);
    free(entries);
    sset_destroy(&qpns);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's entry point. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rdma_json_scanner scanner;
    struct ds msg = DS_EMPTY_INITIALIZER;
    struct ds reply = DS_EMPTY_INITIALIZER;
    struct rdma_qpm_vport *qvp;
    size_t ofs = 0;

    if (!nic) {
        setup();
    }
    rdma_json_scanner_init(&scanner);
    while (ofs < size) {
        enum rdma_json_scan scan;
        size_t used;

        scan = rdma_json_scanner_feed(&scanner, (const char *) data + ofs,
                                      size - ofs, &used);
        ds_put_buffer(&msg, (const char *) data + ofs, used);
        ofs += used;
        if (scan != RDMA_JSON_COMPLETE) {
            break;
        } else {
            struct rdma_tenant_change change;
            char *error;
            int retval;

            retval = rdma_tenant_handle_message(engine, "vm1", 1, &scanner,
                                                msg.string, msg.length,
                                                &reply, &change, &error);
            json_destroy(change.id);
            free(error);
            check_invariants();
            if (retval) {
                break;
            }
            ds_clear(&msg);
            rdma_json_scanner_destroy(&scanner);
            rdma_json_scanner_init(&scanner);
        }
    }
    rdma_json_scanner_destroy(&scanner);
    ds_destroy(&msg);
    ds_destroy(&reply);

    /* The connection closes; then the persistent ones go too. */
    rdma_engine_release_owner(engine, "vm1", 1);
    check_invariants();
    while ((qvp = rdma_qp_map_find_vport(&map, "vm1"))) {
        struct rdma_binding *b;

        RDMA_QPM_VPORT_FOR_EACH (b, qvp) {
            break;
        }
        rdma_engine_release(engine, b);
    }
    check_invariants();
    return 0;
}
