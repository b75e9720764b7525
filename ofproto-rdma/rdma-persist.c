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

#include "rdma-persist.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "rdma-engine.h"
#include "rdma-last-config.h"
#include "rdma-mapping.h"
#include "rdma-qp-map.h"
#include "rdma-syncer.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_persist);

/* How long to wait before retrying a write that failed, in ms. */
#define RETRY_MS 1000

/* By default, the log is compacted when it holds more than this many
 * records beyond twice the number of live connections. */
#define COMPACT_SLACK 1000

/* Initializes 'ps' for the state file 'file_name', written with 'sync',
 * and reads the connections saved there, to be restored by
 * rdma_persist_run().  Damaged records are skipped and reported, and a
 * copy of the file is kept as "FILE.damaged"; a file that cannot be read
 * at all is moved aside to "FILE.bad", with a warning, and the daemon
 * starts with no connection: it does not guess. */
void
rdma_persist_init(struct rdma_persist *ps, const char *file_name,
                  enum rdma_state_sync sync)
{
    char *error;

    memset(ps, 0, sizeof *ps);
    ps->file_name = xstrdup(file_name);
    ps->config_name = xasprintf("%s.config", file_name);
    ps->config_seqno = UINT_MAX;
    ps->sync = sync;
    ps->fd = -1;
    ps->retry_at = LLONG_MAX;
    ps->compact_slack = COMPACT_SLACK;
    error = rdma_state_load(file_name, &ps->saved, &ps->n_saved,
                            &ps->report);
    if (error) {
        ps->load_failed = true;
        char *bad = xasprintf("%s.bad", file_name);

        VLOG_WARN("%s: cannot restore the connections bound before this "
                  "restart: %s; the file is kept as %s and ovs-rdmad starts "
                  "with an empty QP map (bind them again)", file_name,
                  error, bad);
        if (rename(file_name, bad)) {
            VLOG_WARN("%s: cannot rename to %s (%s)", file_name, bad,
                      ovs_strerror(errno));
        }
        free(bad);
        free(error);
    } else if (ps->report.n_damaged) {
        char *copy = xasprintf("%s.damaged", file_name);

        unlink(copy);
        if (link(file_name, copy)) {
            VLOG_WARN("%s: cannot keep a copy as %s (%s)", file_name, copy,
                      ovs_strerror(errno));
        }
        VLOG_WARN("%s: skipped %"PRIuSIZE" damaged record%s (%s) and "
                  "restored the %"PRIuSIZE" others; the file as it was is "
                  "kept as %s", file_name, ps->report.n_damaged,
                  ps->report.n_damaged == 1 ? "" : "s",
                  ps->report.damaged_at, ps->report.n_records, copy);
        free(copy);
    }
}

/* Compares two changes by key, then cm_id, then vport, for qsort(). */
static int
compare_changes(const void *a_, const void *b_)
{
    const struct rdma_qp_map_change *a = a_, *b = b_;

    return (a->key < b->key ? -1
            : a->key > b->key ? 1
            : a->cm_id < b->cm_id ? -1
            : a->cm_id > b->cm_id ? 1
            : strcmp(a->vport, b->vport));
}

/* Sorts the 'n' changes in 'c' and drops repeats.  Returns the new
 * count. */
static size_t
sort_unique(struct rdma_qp_map_change *c, size_t n)
{
    size_t i, j;

    qsort(c, n, sizeof *c, compare_changes);
    for (i = j = 0; i < n; i++) {
        if (!j || compare_changes(&c[i], &c[j - 1])) {
            c[j++] = c[i];
        } else {
            free(c[i].vport);
        }
    }
    return j;
}

/* Writes the 'n' bytes at 'p' to 'fd'.  Returns 0 or a positive errno. */
static int
write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t retval = write(fd, p, n);

        if (retval < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        } else if (!retval) {
            return EIO;
        }
        p += retval;
        n -= retval;
    }
    return 0;
}

/* Returns the binding in 'map' that change 'c' names (same key, cm_id and
 * vport), or NULL if it is gone. */
static const struct rdma_binding *
change_binding(const struct rdma_qp_map *map,
               const struct rdma_qp_map_change *c)
{
    const struct rdma_binding *b = rdma_qp_map_find_key(map, c->key);

    return (b && b->cm_id == c->cm_id && !strcmp(b->vport->name, c->vport)
            ? b : NULL);
}

/* Appends to 'ds' a record for each of the 'n' changes: a "del" for those
 * gone from 'map', then a "put" for the others (the deletions first, since
 * a key a gone connection had may now be another one's). */
static void
changes_to_records(const struct rdma_qp_map *map,
                   const struct rdma_qp_map_change *c, size_t n,
                   struct ds *ds)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!change_binding(map, &c[i])) {
            rdma_state_del(c[i].key, c[i].cm_id, c[i].vport, ds);
        }
    }
    for (i = 0; i < n; i++) {
        const struct rdma_binding *b = change_binding(map, &c[i]);

        if (b) {
            rdma_state_put(b, ds);
        }
    }
}

/* Appends 'ds' to the log 'file_name' through '*fdp' (opened first if it is
 * -1; '*sizep', '*devp' and '*inop' are then set).  It is not made durable
 * here: persist_append() asks for that (sync_written()).  On error the
 * file is truncated back to what it held, '*fdp' is closed and set to -1,
 * and a positive errno is returned; else 0. */
static int
append_records(const char *file_name, const struct ds *ds, int *fdp,
               off_t *sizep, dev_t *devp, ino_t *inop)
{
    int error;

    if (*fdp >= 0) {
        struct stat lst;

        /* Appending to a file that was removed or replaced meanwhile would
         * save nothing: then the caller writes a whole new one.  (One
         * lstat() per batch: the open file's own identity is known.) */
        if (lstat(file_name, &lst)
            || lst.st_ino != *inop || lst.st_dev != *devp) {
            close(*fdp);
            *fdp = -1;
            return ENOENT;
        }
    } else {
        struct stat st;

        /* Without O_CREAT: if the file went away, the caller writes a
         * whole new one instead, header included. */
        *fdp = open(file_name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        if (*fdp < 0) {
            return errno;
        }
        if (fstat(*fdp, &st)) {
            error = errno;
            goto error;
        }
        *sizep = st.st_size;
        *devp = st.st_dev;
        *inop = st.st_ino;
    }
    error = write_all(*fdp, ds->string, ds->length);
    if (!error) {
        *sizep += ds->length;
        return 0;
    }
    /* Take back whatever part of the batch made it, so that a retry, or a
     * later append, starts on a line boundary. */
    if (ftruncate(*fdp, *sizep)) {
        VLOG_WARN("%s: cannot truncate back after a failed write (%s)",
                  file_name, ovs_strerror(errno));
    }
error:
    close(*fdp);
    *fdp = -1;
    return error;
}

/* Makes durable the directory entry of 'file_name' (a rename into it).
 * Returns 0 or a positive errno value. */
static int
sync_dir(const char *file_name)
{
    char *dir = dir_name(file_name);
    int error = 0;
    int fd;

    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd)) {
        error = errno;
    }
    if (fd >= 0) {
        close(fd);
    }
    free(dir);
    return error;
}

/* Writes 'ds' to 'file_name' as a new file, atomically: a reader (or a
 * crash) sees the old file or the new one, never a mix.  The new file is
 * written as FILE.tmp, created afresh (O_EXCL, never through a symbolic
 * link), mode 0600, made durable with 'sync', and renamed over the old
 * one (with 'sync', the rename is made durable too).  Returns 0 or a
 * positive errno value, leaving the old file in place on error. */
static int
write_new_file(const char *file_name, const struct ds *ds,
               enum rdma_state_sync sync)
{
    char *tmp_name;
    int error, fd;

    tmp_name = xasprintf("%s.tmp", file_name);
    unlink(tmp_name);           /* Left by a crash (or planted): never
                                 * written through. */
    fd = open(tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0) {
        error = errno;
    } else {
        error = write_all(fd, ds->string, ds->length);
        if (!error && sync == RDMA_STATE_SYNC_FDATASYNC && fdatasync(fd)) {
            error = errno;
        }
        if (close(fd) && !error) {
            error = errno;
        }
        if (!error && rename(tmp_name, file_name)) {
            error = errno;
        }
        if (error) {
            unlink(tmp_name);
        } else if (sync == RDMA_STATE_SYNC_FDATASYNC) {
            error = sync_dir(file_name);
        }
    }
    free(tmp_name);
    return error;
}

/* Writes the connections in 'map' to 'file_name' as a new, compact log,
 * atomically (write_new_file()).  Returns 0 or a positive errno value,
 * leaving the old file in place on error. */
static int
save_file(const char *file_name, const struct rdma_qp_map *map,
          enum rdma_state_sync sync)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct rdma_binding *b;
    int error;

    rdma_state_header(&ds);
    RDMA_QP_MAP_FOR_EACH (b, map) {
        rdma_state_put(b, &ds);
    }
    error = write_new_file(file_name, &ds, sync);
    ds_destroy(&ds);
    return error;
}

/* Makes the append just done durable, with --state-sync=fdatasync: asks
 * the sync thread for it (the replies wait for it), or, if that cannot be
 * done, calls fdatasync() here.  Returns 0 or a positive errno value. */
static int
sync_written(struct rdma_persist *ps)
{
    ps->n_written++;
    if (ps->sync == RDMA_STATE_SYNC_NONE) {
        ps->n_synced = ps->n_written;
        return 0;
    }
    if (!ps->syncer) {
        ps->syncer = rdma_syncer_create();
    }
    if (!rdma_syncer_request(ps->syncer, ps->fd, ps->n_written)) {
        return 0;
    }
    ps->n_syncs++;
    if (fdatasync(ps->fd)) {
        return errno;
    }
    ps->n_synced = ps->n_written;
    return 0;
}

/* Appends the records of the 'n_changes' 'changes' to the log.  Returns 0
 * or a positive errno value (ENOENT if the file went away or was
 * replaced: then the caller writes a new one). */
static int
persist_append(struct rdma_persist *ps, const struct rdma_qp_map *map,
               const struct rdma_qp_map_change *changes, size_t n_changes)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    int error;

    changes_to_records(map, changes, n_changes, &ds);
    error = append_records(ps->file_name, &ds, &ps->fd, &ps->size,
                           &ps->dev, &ps->ino);
    if (!error) {
        error = sync_written(ps);
        if (error) {
            /* The records are in the file, perhaps not on disk: write a
             * whole new file, made durable, before confirming them. */
            close(ps->fd);
            ps->fd = -1;
        }
    }
    if (!error) {
        ps->n_records += n_changes;
    } else {
        /* Write it whole instead: at once if the file went away or was
         * replaced, else (e.g. disk full) at the next try. */
        ps->compact = true;
    }
    ps->n_writes++;
    ds_destroy(&ds);
    return error;
}

/* Writes what changed in 'map' since the last call: the whole file if it
 * is due for compaction (or after an error), else the changed records
 * appended.  Returns 0 or a positive errno value. */
static int
persist_write(struct rdma_persist *ps, struct rdma_qp_map *map)
{
    size_t n_live = rdma_qp_map_count(map);
    struct rdma_qp_map_change *changes;
    size_t n_changes;
    int error = 0;

    changes = rdma_qp_map_take_changes(map, &n_changes);
    n_changes = sort_unique(changes, n_changes);
    if (!ps->compact && ps->n_records + n_changes
                        > 2 * n_live + ps->compact_slack) {
        ps->compact = true;
    }
    if (!ps->compact && n_changes) {
        error = persist_append(ps, map, changes, n_changes);
        if (error != ENOENT) {
            rdma_qp_map_changes_free(changes, n_changes);
            return error;
        }
    }
    if (ps->compact) {
        error = save_file(ps->file_name, map, ps->sync);
        if (!error) {
            ps->compact = false;
            ps->n_records = n_live;
            if (ps->fd >= 0) {
                close(ps->fd);      /* The old file. */
                ps->fd = -1;
            }
            /* Everything is in the new file, durable with 'sync'. */
            ps->n_written++;
            ps->n_synced = ps->n_written;
        }
        ps->n_syncs += ps->sync == RDMA_STATE_SYNC_FDATASYNC;
        ps->n_writes++;
    }
    rdma_qp_map_changes_free(changes, n_changes);
    return error;
}

/* Learns from the sync thread how far the log is durable.  A failed
 * fdatasync() may have lost the records it was for, and the kernel may
 * not write them again for a later one: then no sync of a write made
 * before the failure is trusted any more, and the whole file is written
 * again, made durable, before their replies go out. */
static void
poll_syncer(struct rdma_persist *ps)
{
    uint64_t synced, error_ticket;
    int error;

    if (!ps->syncer) {
        return;
    }
    rdma_syncer_poll(ps->syncer, &synced, &error, &error_ticket);
    if (error && error_ticket > ps->n_synced) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "%s: fdatasync failed (%s): writing the whole "
                     "file again before confirming its last changes",
                     ps->file_name, ovs_strerror(error));
        ps->untrusted = ps->n_written;
        ps->compact = true;
        ps->retry_at = LLONG_MAX;
    }
    if (synced > ps->untrusted) {
        ps->n_synced = MAX(ps->n_synced, synced);
    }
}

/* Keeps in force in 'engine', whose first configuration snapshot it is,
 * the configuration in force before the restart for each tunnel and vport
 * whose configuration now is invalid (rdma_engine_keep_last_config()). */
static void
keep_last_config(struct rdma_persist *ps, struct rdma_engine *engine)
{
    struct rdma_mapping last;
    char *error;

    rdma_mapping_init(&last);
    error = rdma_last_config_load(ps->config_name, &last);
    if (error) {
        VLOG_WARN("%s: cannot read the configuration in force before this "
                  "restart (%s): an invalid configuration of a tunnel or "
                  "vport now applies", ps->config_name, error);
        free(error);
    } else {
        rdma_engine_keep_last_config(engine, &last);
    }
    rdma_mapping_destroy(&last);
}

/* Writes "FILE.config" if the configuration in force in 'engine' changed
 * since it was last written.  A failure is logged (rate-limited) and the
 * write retried at the next change or restore. */
static void
save_last_config(struct rdma_persist *ps, const struct rdma_engine *engine)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_last_config_to_json(rdma_engine_get_config(engine), &ds);
    if (!ps->config_saved || strcmp(ps->config_saved, ds_cstr(&ds))) {
        int error = write_new_file(ps->config_name, &ds, ps->sync);

        free(ps->config_saved);
        ps->config_saved = NULL;
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "%s: cannot save the configuration in force "
                         "(%s): after a restart, an invalid configuration "
                         "would apply", ps->config_name,
                         ovs_strerror(error));
        } else {
            ps->config_saved = ds_steal_cstr(&ds);
        }
    }
    ds_destroy(&ds);
}

/* Restores the saved connections into 'engine' as soon as it has its first
 * configuration. */
static void
persist_restore(struct rdma_persist *ps, struct rdma_engine *engine)
{
    struct rdma_restore_stats stats;
    int error;

    rdma_engine_set_restoring(engine, true, ps->file_name);
    if (!rdma_engine_has_config(engine)
        || (ps->retry_at != LLONG_MAX && time_msec() < ps->retry_at)) {
        return;
    }
    rdma_qp_map_track_changes(rdma_engine_get_map(engine));
    if (ps->retry_at == LLONG_MAX) {
        keep_last_config(ps, engine);
    }
    error = rdma_engine_restore(engine, ps->saved, ps->n_saved,
                                !ps->load_failed, &stats);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&rl, "cannot read the NIC's table to restore the "
                     "connections bound before this restart (%s): "
                     "binds are refused until it can; retrying",
                     ovs_strerror(error));
        ps->retry_at = time_msec() + RETRY_MS;
        return;
    }
    ps->retry_at = LLONG_MAX;
    if (stats.n_restored || stats.n_orphans) {
        VLOG_INFO("%s: restored %"PRIuSIZE" connections (%"PRIuSIZE" "
                  "still in the NIC), removed %"PRIuSIZE" NIC entries "
                  "that no connection owns", ps->file_name,
                  stats.n_restored, stats.n_adopted, stats.n_orphans);
    }
    rdma_saved_bindings_free(ps->saved, ps->n_saved);
    ps->saved = NULL;
    ps->n_saved = 0;
    ps->restored = true;
    rdma_engine_set_restoring(engine, false, ps->file_name);
    ps->compact = true;     /* Start with a compact file. */
}

/* Restores the saved connections into 'engine' as soon as it has its first
 * configuration, then records every change of its connections in the
 * file: when a failed write is due to be retried, or at once if
 * 'must_write' (replies wait for the records).  Returns 0 if everything is
 * saved, else the positive errno of this call's write (or of the last one,
 * if this call did not write). */
int
rdma_persist_run(struct rdma_persist *ps, struct rdma_engine *engine,
                 bool must_write)
{
    struct rdma_qp_map *map = rdma_engine_get_map(engine);

    poll_syncer(ps);
    if (!ps->restored) {
        persist_restore(ps, engine);
        if (!ps->restored) {
            return 0;
        }
    }
    if (rdma_engine_get_config_seqno(engine) != ps->config_seqno) {
        ps->config_seqno = rdma_engine_get_config_seqno(engine);
        save_last_config(ps, engine);
    }

    if (!ps->compact && !map->n_changes) {
        return 0;
    }
    if (must_write || ps->retry_at == LLONG_MAX
        || time_msec() >= ps->retry_at) {
        int error = persist_write(ps, map);

        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "%s: cannot save the QP map (%s): binds are "
                         "refused until it can; retrying", ps->file_name,
                         ovs_strerror(error));
            ps->retry_at = time_msec() + RETRY_MS;
        } else {
            if (ps->error) {
                VLOG_INFO("%s: saved again", ps->file_name);
            }
            ps->retry_at = LLONG_MAX;
        }
        ps->error = error;
        rdma_engine_set_save_error(engine, error);
    }
    return ps->error;
}

/* Arranges for poll_block() to wake up when rdma_persist_run() has work:
 * at once if the restore can happen or changes are waiting to be saved,
 * or when a failed restore or write is due to be retried.  So the main
 * loop calls rdma_persist_run() once per iteration, after the front ends
 * (whose records it writes before their replies go out), and changes made
 * after that call are saved in the next iteration. */
void
rdma_persist_wait(const struct rdma_persist *ps,
                  const struct rdma_engine *engine)
{
    const struct rdma_qp_map *map = rdma_engine_get_map(engine);
    bool pending = (ps->restored
                    ? ps->compact || map->n_changes
                    : rdma_engine_has_config(engine));

    if (ps->syncer) {
        rdma_syncer_wait(ps->syncer);
    }
    if (!pending) {
        return;
    }
    if (ps->retry_at == LLONG_MAX) {
        poll_immediate_wake();
    } else {
        poll_timer_wait_until(ps->retry_at);
    }
}

/* Frees 'ps' (the file stays, for the next start). */
void
rdma_persist_destroy(struct rdma_persist *ps)
{
    rdma_syncer_destroy(ps->syncer);    /* After a last pending sync. */
    rdma_saved_bindings_free(ps->saved, ps->n_saved);
    rdma_state_report_destroy(&ps->report);
    if (ps->fd >= 0) {
        close(ps->fd);
    }
    free(ps->file_name);
    free(ps->config_name);
    free(ps->config_saved);
}

/* Appends to 'ds' the state file's status, for "rdma/show-state". */
void
rdma_persist_format(const struct rdma_persist *ps, struct ds *ds)
{
    ds_put_format(ds, "state file: %s\n", ps->file_name);
    ds_put_format(ds, "sync: %s\n", (ps->sync == RDMA_STATE_SYNC_FDATASYNC
                                     ? "fdatasync" : "none"));
    ds_put_format(ds, "format version read: %d\n", ps->report.version);
    ds_put_format(ds, "records read: %"PRIuSIZE"\n", ps->report.n_records);
    ds_put_format(ds, "damaged records skipped: %"PRIuSIZE"\n",
                  ps->report.n_damaged);
    if (ps->report.damaged_at) {
        ds_put_format(ds, "damaged at: %s\n", ps->report.damaged_at);
    }
    if (ps->report.torn_tail) {
        ds_put_cstr(ds, "incomplete last record ignored: yes\n");
    }
    if (ps->load_failed) {
        ds_put_cstr(ds, "unreadable file: moved aside as .bad\n");
    }
    ds_put_format(ds, "records in file: %"PRIuSIZE"\n", ps->n_records);
    ds_put_format(ds, "writes: %"PRIu64", syncs: %"PRIu64"\n", ps->n_writes,
                  ps->n_syncs + (ps->syncer
                                 ? rdma_syncer_count(ps->syncer) : 0));
    if (ps->error) {
        ds_put_format(ds, "last write: failed (%s), retrying; binds are "
                      "refused\n", ovs_strerror(ps->error));
    } else {
        ds_put_cstr(ds, "last write: ok\n");
    }
}

/* Writes the connections in 'map' to 'file_name' as a new, compact log.
 * Returns 0 or a positive errno value. */
int
rdma_persist_save(const char *file_name, const struct rdma_qp_map *map)
{
    return save_file(file_name, map, RDMA_STATE_SYNC_NONE);
}

/* Appends to the log 'file_name' a record for each of the 'n' changes 'c':
 * a "put" for those in 'map', a "del" for the others.  Returns 0 or a
 * positive errno value. */
int
rdma_persist_append(const char *file_name, const struct rdma_qp_map *map,
                    const struct rdma_qp_map_change *c, size_t n)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    off_t size = 0;
    dev_t dev = 0;
    ino_t ino = 0;
    int fd = -1;
    int error;

    changes_to_records(map, c, n, &ds);
    error = append_records(file_name, &ds, &fd, &size, &dev, &ino);
    if (fd >= 0) {
        close(fd);
    }
    ds_destroy(&ds);
    return error;
}

/* Reads the log 'file_name': see rdma_state_load().  Stores the number of
 * intact records in '*n_records' if it is nonnull. */
char *
rdma_persist_load(const char *file_name, struct rdma_saved_binding **sp,
                  size_t *np, size_t *n_records)
{
    struct rdma_state_report r;
    char *error = rdma_state_load(file_name, sp, np, &r);

    if (n_records) {
        *n_records = error ? 0 : r.n_records;
    }
    rdma_state_report_destroy(&r);
    return error;
}
