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
 * should the file.  rdma-state-file.h describes its format.
 *
 * Write-ahead: the records of one main-loop iteration are appended in one
 * write() before any reply that confirms them is sent (rdma-ack.h).  With
 * --state-sync=fdatasync the replies also wait for an fdatasync() that
 * covers the write: a thread does them (rdma-syncer.h), one at a time,
 * each covering every write made while the previous one ran (group
 * commit), while the main loop goes on.
 * A write that fails is undone (the file is truncated back), retried every
 * second, and, until it succeeds, binds and updates are refused
 * ('save_error' of the engine).
 *
 * When the log holds more than twice as many records as there are live
 * connections, plus 1000, it is compacted by writing a fresh file (one
 * "put" per connection) to FILE.tmp (created with O_EXCL, never through a
 * symbolic link) and renaming it over the old one.  The file is 0600 and
 * opened with O_NOFOLLOW.
 *
 * Next to it, "FILE.config" keeps the configuration in force of every
 * tunnel and vport (rdma-last-config.h), rewritten when it changes, so
 * that after a restart the connections restored through a tunnel or vport
 * whose configuration in the database is invalid keep the one they were
 * installed with. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "openvswitch/compiler.h"
#include "rdma-state-file.h"

struct ds;
struct rdma_engine;
struct rdma_qp_map;
struct rdma_qp_map_change;
struct rdma_syncer;

/* When a write is made durable. */
enum rdma_state_sync {
    RDMA_STATE_SYNC_NONE,       /* In the kernel's page cache: survives
                                 * the daemon, not the machine. */
    RDMA_STATE_SYNC_FDATASYNC,  /* On disk: fdatasync(), grouped. */
};

/* The daemon's side: restores once the engine has its first
 * configuration, then records every change of the connections. */
struct rdma_persist {
    char *file_name;            /* The state file. */
    enum rdma_state_sync sync;  /* --state-sync. */
    int fd;                     /* The file, open for appending, or -1. */
    off_t size;                 /* Its size, if 'fd' >= 0. */
    dev_t dev;                  /* Its device and inode, if 'fd' >= 0: */
    ino_t ino;                  /* a write checks the name still has them. */
    struct rdma_saved_binding *saved; /* Loaded, not yet restored. */
    size_t n_saved;             /* Number of 'saved'. */
    struct rdma_state_report report; /* What loading the file found. */
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
    int error;                  /* Error of the last write, or 0. */
    char *config_name;          /* "FILE.config": the last valid
                                 * configuration (rdma-last-config.h). */
    char *config_saved;         /* What that file holds, or NULL. */
    unsigned int config_seqno;  /* Configuration seqno it was checked
                                 * at. */
    uint64_t n_writes;          /* Writes done. */
    uint64_t n_syncs;           /* fdatasync() calls done here (the sync
                                 * thread counts its own). */
    uint64_t n_written;         /* Writes that succeeded: the "ticket" of
                                 * the last one. */
    uint64_t n_synced;          /* Ticket of the last write known durable
                                 * (equal to 'n_written' with
                                 * --state-sync=none). */
    struct rdma_syncer *syncer; /* The sync thread, or NULL. */
    uint64_t untrusted;         /* After a failed sync, the last ticket
                                 * written then: a later sync of the old
                                 * writes does not make them durable. */
};

void rdma_persist_init(struct rdma_persist *, const char *file_name,
                       enum rdma_state_sync);
int rdma_persist_run(struct rdma_persist *, struct rdma_engine *,
                     bool must_write);
void rdma_persist_wait(const struct rdma_persist *,
                       const struct rdma_engine *);
void rdma_persist_destroy(struct rdma_persist *);
void rdma_persist_format(const struct rdma_persist *, struct ds *);

/* The file, for the tests. */
int rdma_persist_save(const char *file_name, const struct rdma_qp_map *);
int rdma_persist_append(const char *file_name, const struct rdma_qp_map *,
                        const struct rdma_qp_map_change *, size_t n);
char *rdma_persist_load(const char *file_name,
                        struct rdma_saved_binding **, size_t *n,
                        size_t *n_records)
    OVS_WARN_UNUSED_RESULT;

#endif /* rdma-persist.h */
