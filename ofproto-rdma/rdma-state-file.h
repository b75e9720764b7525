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

#ifndef RDMA_STATE_FILE_H
#define RDMA_STATE_FILE_H 1

/* The state file's format: records that check themselves.
 *
 * The file is a log, one record per line, like OVSDB's.  Version 2 (what
 * ovs-rdmad writes) ends every line with a space and the CRC-32 (zlib's
 * crc32(), 8 lower-case hex digits) of the text before that space:
 *
 *     {"version":2} 5e6d2b0a
 *     {"put":{"cm_id":7,"dst_ip":"10.1.0.2","dst_mac":"02:00:00:00:02:02",
 *             "qpn":100,"remote_qpn":0,"src_ip":"10.0.0.1","tunnel":"vx1",
 *             "vport":"vm1"}} 0c1d2e3f
 *     {"del":{"cm_id":7,"key":7,"vport":"vm1"}} 8a9b0c1d
 *
 * (each record on one line, without spaces, keys sorted).  "dst_mac" and
 * "src_ip" appear only if the bind request gave them, "tunnel" only if the
 * connection had one.  Every record, "del" included, names its vport: a
 * connection is (vport, cm_id).  cm_ids are unique per vport only: a
 * connection's key in the QP map and the NIC (usually its cm_id) is
 * written in a "put" as "key" when it differs from its cm_id, and a "del"
 * names it; the log is replayed by key.  A cm_id or key is written as a
 * signed 64-bit integer (one above INT64_MAX as a negative number), because
 * JSON parsers, OVS's included, read larger integers as reals.  A "put"
 * replaces an earlier one for the same connection, a "del" removes it.
 *
 * Version 1 files (no CRC, "del" as {"del":KEY}, a "put" without "key"
 * keyed by its cm_id) are still read, and so are version 2 "del" records
 * without "key" (removing the connection by its name).
 *
 * Reading never throws a file away for a bad record: a record whose CRC
 * does not match, or that does not parse, is skipped and reported (how
 * many, and where: line and byte offset), and every other record is
 * replayed.  A last line without its new-line, cut short by a crash in the
 * middle of an append that was never acknowledged, is ignored with a
 * warning.  Only a file that is not a state file at all, or of an unknown
 * version, is refused whole. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "rdma-request.h"

struct ds;
struct rdma_binding;

/* Version of the format written. */
#define RDMA_STATE_VERSION 2

/* One saved connection. */
struct rdma_saved_binding {
    struct rdma_request req;    /* The request, with 'vport' malloc'd and
                                 * 'has_cm_id' and 'has_qpn' true. */
    char *tunnel;               /* Tunnel it used, or NULL. */
    uint64_t key;               /* Its key in the QP map and the NIC. */
};

/* What reading a state file found. */
struct rdma_state_report {
    int version;                /* Format version of the file. */
    size_t n_records;           /* Intact records replayed. */
    size_t n_damaged;           /* Damaged records skipped. */
    char *damaged_at;           /* Where (the first few): "line L (byte
                                 * B): why; ...", or NULL. */
    bool torn_tail;             /* Whether a cut-short last line was
                                 * ignored. */
};

void rdma_state_header(struct ds *);
void rdma_state_put(const struct rdma_binding *, struct ds *);
void rdma_state_del(uint64_t key, uint64_t cm_id, const char *vport,
                    struct ds *);

char *rdma_state_load(const char *file_name, struct rdma_saved_binding **,
                      size_t *n, struct rdma_state_report *)
    OVS_WARN_UNUSED_RESULT;
void rdma_state_report_destroy(struct rdma_state_report *);
void rdma_saved_bindings_free(struct rdma_saved_binding *, size_t n);

#endif /* rdma-state-file.h */
