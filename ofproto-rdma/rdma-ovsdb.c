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
#include "rdma-ovsdb.h"

#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "unixctl.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_ovsdb);

COVERAGE_DEFINE(rdma_ovsdb_change);
COVERAGE_DEFINE(rdma_ovsdb_reconnect);

/* The database replica, with its transaction loop. */
static struct ovsdb_idl_loop idl_loop;

/* The replica itself (idl_loop.idl). */
static struct ovsdb_idl *idl;

/* The open transaction of this main-loop iteration, or NULL. */
static struct ovsdb_idl_txn *txn;

/* Remote the IDL connects to, for status output. */
static char *idl_remote;

/* Whether the IDL was connected at the end of the last rdma_ovsdb_run(),
 * to log connection changes once each. */
static bool was_connected;

/* Number of times the IDL (re)connected, for status output. */
static unsigned int n_connects;

/* Last IDL seqno seen by rdma_ovsdb_run(). */
static unsigned int last_seqno;

static void rdma_ovsdb_unixctl_status(struct unixctl_conn *, int argc,
                                      const char *argv[], void *aux);

/* Registers with the IDL the columns ovs-rdmad reads.  Everything else in
 * the database is left out of the monitor request. */
static void
rdma_ovsdb_register_columns(struct ovsdb_idl *idl_)
{
    ovsdb_idl_add_table(idl_, &ovsrec_table_open_vswitch);
    ovsdb_idl_add_column(idl_, &ovsrec_open_vswitch_col_bridges);

    ovsdb_idl_add_table(idl_, &ovsrec_table_bridge);
    ovsdb_idl_add_column(idl_, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(idl_, &ovsrec_bridge_col_ports);
    ovsdb_idl_add_column(idl_, &ovsrec_bridge_col_datapath_type);

    ovsdb_idl_add_table(idl_, &ovsrec_table_port);
    ovsdb_idl_add_column(idl_, &ovsrec_port_col_name);
    ovsdb_idl_add_column(idl_, &ovsrec_port_col_interfaces);
    ovsdb_idl_add_column(idl_, &ovsrec_port_col_tag);

    ovsdb_idl_add_table(idl_, &ovsrec_table_interface);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_options);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_other_config);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_external_ids);
    /* ovs-rdmad writes rdma-status into external_ids itself. */
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_mac_in_use);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_mtu);
    ovsdb_idl_add_column(idl_, &ovsrec_interface_col_ofport);
}

/* Connects to the database at 'remote' (an OVSDB connection method such as
 * "unix:/var/run/openvswitch/db.sock") and registers "rdma/ovsdb-status".
 * The connection is made asynchronously by rdma_ovsdb_run(). */
void
rdma_ovsdb_init(const char *remote)
{
    idl_remote = xstrdup(remote);
    idl = ovsdb_idl_create(remote, &ovsrec_idl_class, false, true);
    rdma_ovsdb_register_columns(idl);
    idl_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(idl);
    last_seqno = ovsdb_idl_get_seqno(idl);
    unixctl_command_register("rdma/ovsdb-status", "", 0, 0,
                             rdma_ovsdb_unixctl_status, NULL);
}

/* Processes messages from the database, logs changes of connection state,
 * and opens this iteration's transaction (see rdma_ovsdb_txn()). */
void
rdma_ovsdb_run(void)
{
    bool connected;

    txn = ovsdb_idl_loop_run(&idl_loop);

    connected = ovsdb_idl_is_connected(idl);
    if (connected != was_connected) {
        if (connected) {
            n_connects++;
            if (n_connects > 1) {
                COVERAGE_INC(rdma_ovsdb_reconnect);
            }
            VLOG_INFO("%s: connected", idl_remote);
        } else {
            VLOG_INFO("%s: connection lost, reconnecting", idl_remote);
        }
        was_connected = connected;
    }
    if (ovsdb_idl_get_seqno(idl) != last_seqno) {
        last_seqno = ovsdb_idl_get_seqno(idl);
        COVERAGE_INC(rdma_ovsdb_change);
    }
}

/* Commits this iteration's transaction, if any, and arranges for
 * poll_block() to wake up when rdma_ovsdb_run() has work. */
void
rdma_ovsdb_wait(void)
{
    ovsdb_idl_loop_commit_and_wait(&idl_loop);
    txn = NULL;
}

/* Returns the transaction that modules may add changes to in this
 * main-loop iteration, or NULL if none can be made now (not connected, or
 * an earlier transaction is still in flight). */
struct ovsdb_idl_txn *
rdma_ovsdb_txn(void)
{
    return txn;
}

/* Closes the database connection. */
void
rdma_ovsdb_destroy(void)
{
    ovsdb_idl_loop_destroy(&idl_loop);
    idl = NULL;
    free(idl_remote);
    idl_remote = NULL;
}

/* Returns the database replica, for the modules that read it. */
struct ovsdb_idl *
rdma_ovsdb_idl(void)
{
    return idl;
}

/* Appends to 'ds' a description of the database connection: the remote,
 * whether it is connected, how often it connected, and the number of
 * bridges, ports and RDMA-enabled interfaces in the replica. */
void
rdma_ovsdb_format_status(struct ds *ds)
{
    const struct ovsrec_interface *iface;
    const struct ovsrec_bridge *br;
    const struct ovsrec_port *port;
    size_t n_br = 0, n_port = 0, n_rdma = 0;

    OVSREC_BRIDGE_FOR_EACH (br, idl) {
        n_br++;
    }
    OVSREC_PORT_FOR_EACH (port, idl) {
        n_port++;
    }
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        if (smap_get_bool(&iface->other_config, "rdma", false)) {
            n_rdma++;
        }
    }

    ds_put_format(ds, "remote: %s\n", idl_remote);
    ds_put_format(ds, "status: %s\n",
                  ovsdb_idl_is_connected(idl) ? "connected"
                  : "not connected");
    ds_put_format(ds, "connections: %u\n", n_connects);
    ds_put_format(ds, "bridges: %"PRIuSIZE"\n", n_br);
    ds_put_format(ds, "ports: %"PRIuSIZE"\n", n_port);
    ds_put_format(ds, "rdma interfaces: %"PRIuSIZE"\n", n_rdma);
}

/* "rdma/ovsdb-status": prints rdma_ovsdb_format_status(). */
static void
rdma_ovsdb_unixctl_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                          const char *argv[] OVS_UNUSED,
                          void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_ovsdb_format_status(&ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}
