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


#ifndef RDMA_PERSIST_H
#define RDMA_PERSIST_H 1

/* Saving the QP map's connections across a restart of ovs-rdmad.
 *
 * The daemon keeps, in a small file in its run directory, what each bound
 * connection asked for (cm_id, QPNs, vport, destination, source) and the
 * tunnel it went through, so that a restarted ovs-rdmad (an upgrade, a
 * crash under --monitor) finds every connection again: those the NIC still
 * holds are adopted without a NIC operation, the others are installed
 * again, and entries the NIC holds for connections nobody bound any more
 * are removed (rdma_engine_restore() does that part).  The run directory
 * is the right place: RDMA connections do not survive a reboot, so neither
 * should the file.
 *
 * The file is a log, one JSON object per line, like OVSDB's: a header
 *
 *     {"version": 1}
 *
 * then one record per change, in order:
 *
 *     {"put": {"cm_id": 7, "dst_ip": "10.1.0.2",
 *              "dst_mac": "02:00:00:00:02:02", "qpn": 100,
 *              "remote_qpn": 0, "src_ip": "10.0.0.1", "tunnel": "vx1",
 *              "vport": "vm1"}}
 *     {"del": 7}
 *
 * (written without spaces, keys sorted), where "dst_mac" and "src_ip"
 * appear only if the bind request gave them and "tunnel" only if the
 * connection had one.  cm_ids are unique per vport only: a connection's
 * key in the QP map and the NIC (usually its cm_id) is written as "key"
 * when it differs from its cm_id, and a "del" names that key (files
 * written before cm_ids were per vport have no "key": each key is the
 * cm_id).  A cm_id is written as a signed 64-bit integer (one
 * above INT64_MAX as a negative number), because JSON parsers, OVS's
 * included, read larger integers as reals.  A "put" replaces an earlier
 * one for the same cm_id.  Each batch of changes is appended, so a bind
 * costs a few hundred bytes of I/O however many connections there are;
 * when the log holds more than twice as many records as there are live
 * connections, plus 1000, it is compacted by writing a fresh file (one
 * "put" per connection) and renaming it over the old one.  A last line
 * cut short by a crash in the middle of an append is ignored, with a
 * warning. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "rdma-engine.h"

struct rdma_qp_map;

/* Version of the file's format. */
#define RDMA_PERSIST_VERSION 1

/* One saved connection. */
struct rdma_saved_binding {
    struct rdma_request req;    /* The request, with 'vport' malloc'd and
                                 * 'has_cm_id' and 'has_qpn' true. */
    char *tunnel;               /* Tunnel it used, or NULL. */
    uint64_t key;               /* Its key in the QP map and the NIC. */
};

/* The daemon's side: restores once the engine has its first
 * configuration, then records every change of the connections. */
struct rdma_persist {
    char *file_name;            /* The state file. */
    struct rdma_saved_binding *saved; /* Loaded, not yet restored. */
    size_t n_saved;             /* Number of 'saved'. */
    bool restored;              /* Whether the restore has happened. */
    bool load_failed;           /* Whether the file could not be read
                                 * (then NIC entries are not removed as
                                 * orphans at the restore). */
    size_t compact_slack;       /* Records beyond twice the live set that
                                 * trigger a compaction (tests lower it). */
    bool compact;               /* Rewrite the whole file next time. */
    size_t n_records;           /* "put" and "del" records in the file. */
    long long int retry_at;     /* When to retry a failed restore or
                                 * write, or LLONG_MAX. */
};

void rdma_persist_init(struct rdma_persist *, const char *file_name);
void rdma_persist_run(struct rdma_persist *, struct rdma_engine *);
void rdma_persist_wait(const struct rdma_persist *,
                       const struct rdma_engine *);
void rdma_persist_destroy(struct rdma_persist *);

/* The file. */
int rdma_persist_save(const char *file_name, const struct rdma_qp_map *);
int rdma_persist_append(const char *file_name, const struct rdma_qp_map *,
                        const uint64_t *cm_ids, size_t n);
char *rdma_persist_load(const char *file_name,
                        struct rdma_saved_binding **, size_t *n,
                        size_t *n_records)
    OVS_WARN_UNUSED_RESULT;
void rdma_saved_bindings_free(struct rdma_saved_binding *, size_t n);

#endif /* rdma-persist.h */
