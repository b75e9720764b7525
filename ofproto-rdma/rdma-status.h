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

#ifndef RDMA_STATUS_H
#define RDMA_STATUS_H 1

/* Reports each RDMA vport's state back into the database as
 * external_ids:rdma-status on its Interface: "ready", or why it is not, so
 * that "ovs-vsctl list interface" shows problems (as ovn-controller does
 * with ovn-installed).  The key is removed when a vport stops being
 * RDMA-enabled. */

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct rdma_engine;

void rdma_status_run(const struct ovsdb_idl *, struct ovsdb_idl_txn *,
                     const struct rdma_engine *);

#endif /* rdma-status.h */
