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
#include "rdma-qp-map.h"
#include "smap.h"
#include "vswitch-idl.h"

/* Key written in Interface external_ids. */
#define RDMA_STATUS_KEY "rdma-status"

/* Adds to 'txn' an update of every RDMA vport whose rdma-status differs
 * from what 'engine' says, and removes the key from interfaces that are no
 * longer RDMA-enabled.  Does nothing if 'txn' is NULL (the next iteration
 * catches up). */
void
rdma_status_run(const struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                const struct rdma_engine *engine)
{
    static unsigned int last_idl_seqno;
    static uint64_t last_map_seqno;
    const struct ovsrec_interface *iface;

    if (!txn || !engine->have_cfg
        || (ovsdb_idl_get_seqno(idl) == last_idl_seqno
            && engine->map->seqno == last_map_seqno)) {
        return;
    }
    last_idl_seqno = ovsdb_idl_get_seqno(idl);
    last_map_seqno = engine->map->seqno;
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        const char *cur = smap_get(&iface->external_ids, RDMA_STATUS_KEY);
        const char *want = NULL;
        char *buf = NULL;

        if (smap_get_bool(&iface->other_config, "rdma", false)) {
            want = rdma_engine_vport_status(engine, iface->name, &buf);
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
}
