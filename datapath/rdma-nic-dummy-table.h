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

#ifndef RDMA_NIC_DUMMY_TABLE_H
#define RDMA_NIC_DUMMY_TABLE_H 1

/* The dummy NIC's table in a file (option "table=FILE"), so that, like a
 * real NIC's (or the kernel's tc rules), it outlives a killed ovs-rdmad:
 * the fault tests use it to check adoption and the removal of orphans
 * after "kill -9".  The file is rewritten whole (new file, then rename)
 * after every change, in this build's binary layout: for tests with a
 * few thousand entries at most, not a stable format. */

#include <stddef.h>

#include "rdma-nic.h"

int rdma_nic_dummy_table_save(const char *file_name,
                              const struct rdma_nic_entry *, size_t n);
int rdma_nic_dummy_table_load(const char *file_name,
                              struct rdma_nic_entry **, size_t *n);

#endif /* rdma-nic-dummy-table.h */
