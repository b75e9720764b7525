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

#include <config.h>
#include "rdma-status.h"

#include <string.h>

#include "ovsdb-idl.h"
#include "rdma-engine.h"
#include "openvswitch/shash.h"
#include "rdma-mapping.h"
#include "rdma-qp-map.h"
#include "util.h"
#include "smap.h"
#include "vswitch-idl.h"

/* Key written in Interface external_ids. */
#define RDMA_STATUS_KEY "rdma-status"

/* Returns the rdma-status of an interface whose configuration is invalid
 * because of 'error' (caller frees). */
static char *
kept_status(const char *error)
{
    return xasprintf("invalid configuration (%s): the last valid one stays "
                     "in force until it is fixed", error);
}

/* Stores in 'affected', for each vport with a connection through a tunnel
 * whose configuration is invalid, that tunnel's name. */
static void
kept_tunnels_by_vport(const struct rdma_engine *engine, struct shash *affected)
{
    const struct rdma_mapping *cfg = rdma_engine_get_config(engine);
    const struct rdma_qp_map *map = rdma_engine_get_map(engine);
    const struct rdma_map_tunnel *t;

    HMAP_FOR_EACH (t, node, &cfg->tunnels) {
        const struct rdma_path *p;
        const struct rdma_binding *b;

        if (!t->kept_error) {
            continue;
        }
        p = rdma_qp_map_find_path(map, t->name);
        if (p) {
            RDMA_PATH_FOR_EACH (b, p, map) {
                shash_add_once(affected, b->vport->name, t->name);
            }
        }
    }
}

/* Adds to 'txn' an update of every RDMA vport whose rdma-status differs
 * from what 'engine' says, and removes the key from interfaces that are no
 * longer RDMA-enabled.  Does nothing if 'txn' is NULL (the next iteration
 * catches up). */
void
rdma_status_run(const struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                const struct rdma_engine *engine)
{
    const struct rdma_mapping *cfg = rdma_engine_get_config(engine);
    const struct rdma_qp_map *map = rdma_engine_get_map(engine);
    struct shash affected = SHASH_INITIALIZER(&affected);
    static unsigned int last_idl_seqno;
    static uint64_t last_map_seqno;
    const struct ovsrec_interface *iface;

    if (!txn || !rdma_engine_has_config(engine)
        || (ovsdb_idl_get_seqno(idl) == last_idl_seqno
            && map->seqno == last_map_seqno)) {
        return;
    }
    last_idl_seqno = ovsdb_idl_get_seqno(idl);
    last_map_seqno = map->seqno;
    kept_tunnels_by_vport(engine, &affected);
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        const char *cur = smap_get(&iface->external_ids, RDMA_STATUS_KEY);
        const struct rdma_map_tunnel *t;
        const struct rdma_map_vport *vp;
        const char *want = NULL;
        char *buf = NULL;

        vp = rdma_mapping_find_vport(cfg, iface->name);
        t = rdma_mapping_find_tunnel(cfg, iface->name);
        if (vp && vp->kept_error) {
            want = buf = kept_status(vp->kept_error);
        } else if (t && t->kept_error) {
            want = buf = kept_status(t->kept_error);
        } else if (smap_get_bool(&iface->other_config, "rdma", false)) {
            const char *tunnel = shash_find_data(&affected, iface->name);

            want = rdma_engine_vport_status(engine, iface->name, &buf);
            if (want && tunnel) {
                char *s = xasprintf("%s; tunnel %s has an invalid "
                                    "configuration: its last valid one "
                                    "stays in force", want, tunnel);
                free(buf);
                want = buf = s;
            }
        }
        if (want && (!cur || strcmp(cur, want))) {
            ovsrec_interface_update_external_ids_setkey(iface,
                                                        RDMA_STATUS_KEY,
                                                        want);
        } else if (!want && cur) {
            ovsrec_interface_update_external_ids_delkey(iface,
                                                        RDMA_STATUS_KEY);
        }
        free(buf);
    }
    shash_destroy(&affected);
}
