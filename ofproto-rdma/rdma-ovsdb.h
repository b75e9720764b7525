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

#ifndef RDMA_OVSDB_H
#define RDMA_OVSDB_H 1

/* ovs-rdmad's connection to the local Open vSwitch database.
 *
 * Wraps an ovsdb-idl replica of the vswitch schema that monitors only the
 * tables and columns ovs-rdmad needs: bridges and their datapath types,
 * ports with their VLAN tags, and interfaces with their types, options,
 * other_config, external_ids, MAC and MTU.  The IDL reconnects by itself
 * when ovsdb-server goes away and resynchronises the whole replica when it
 * comes back; the seqno tells the daemon's modules when to recompute. */

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_txn;

void rdma_ovsdb_init(const char *remote);
void rdma_ovsdb_run(void);
void rdma_ovsdb_wait(void);
void rdma_ovsdb_destroy(void);

struct ovsdb_idl *rdma_ovsdb_idl(void);
struct ovsdb_idl_txn *rdma_ovsdb_txn(void);
void rdma_ovsdb_format_status(struct ds *);

#endif /* rdma-ovsdb.h */
