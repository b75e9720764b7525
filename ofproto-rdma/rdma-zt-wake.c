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

#include "rdma-zt-wake.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <mntent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "rdma-qp-source.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_zt_wake);

/* Data pages of each CPU's ring (a power of 2).  Records are only
 * counted, and a record is 16 bytes: one page holds 256 of them between
 * two drains; more are counted as lost, which still wakes the watcher. */
#define ZT_RING_PAGES 1

/* How often to try the tracepoints again while they cannot be opened
 * (the rdma_cm module may be loaded later), in ms. */
#define ZT_RETRY_MS 10000

/* A tracepoint that wakes the watcher. */
struct zt_tp {
    const char *system;         /* Its tracefs system ("rdma_cma"). */
    const char *name;           /* Its name ("cm_event_handler"). */
    bool optional;              /* Whether the others work without it. */
    bool open;                  /* Open on every CPU. */
    uint64_t n_events;          /* Records seen. */
};

/* The tracepoints, in the order they are opened. */
static const struct zt_tp zt_tps[] = {
    { "rdma_cma", "cm_event_handler", false, false, 0 },
    { "rdma_cma", "cm_id_attach", false, false, 0 },
    { "rdma_cma", "cm_qp_create", false, false, 0 },
    { "rdma_cma", "cm_qp_destroy", false, false, 0 },
    { "rdma_cma", "cm_id_destroy", false, false, 0 },
    /* A QP that a process created (ibv_create_qp()) is the cm_id's only
     * from rdma_connect() or rdma_accept() on: these show when. */
    { "rdma_cma", "cm_send_req", true, false, 0 },
    { "rdma_cma", "cm_send_rep", true, false, 0 },
    { "neigh", "neigh_create", true, false, 0 },
};
#define ZT_N_TPS ARRAY_SIZE(zt_tps)

/* A perf event id and the tracepoint it counts for. */
struct zt_id {
    uint64_t id;                /* PERF_EVENT_IOC_ID. */
    size_t tp;                  /* Index in 'tps'. */
};

/* One CPU's ring, shared by its tracepoints (PERF_EVENT_IOC_SET_OUTPUT). */
struct zt_ring {
    int fd;                     /* The event that owns the ring. */
    void *base;                 /* The mapping: a control page, then
                                 * ZT_RING_PAGES data pages. */
};

/* The wake-up source. */
struct zt_wake {
    enum zt_wake_mode mode;     /* What wakes the watcher. */
    bool enable;                /* Whether a wake-up may be used at all. */
    char *reason;               /* ZT_WAKE_POLL: why. */
    char *tracefs;              /* ZT_WAKE_TRACEPOINTS: tracefs's mount. */
    struct zt_tp tps[ZT_N_TPS]; /* ZT_WAKE_TRACEPOINTS: the tracepoints. */
    int *fds;                   /* Every perf event. */
    size_t n_fds;               /* Number of 'fds'. */
    struct zt_id *ids;          /* Ids of 'fds'. */
    size_t n_ids;               /* Number of 'ids'. */
    struct zt_ring *rings;      /* One per online CPU. */
    size_t n_rings;             /* Number of 'rings'. */
    size_t page_size;           /* The system's page size. */
    uint64_t n_wakeups;         /* zt_wake_run() calls that found news. */
    uint64_t n_lost;            /* Records the kernel could not store. */
    uint64_t fake_seqno;        /* ZT_WAKE_FAKE: last seq_read(). */
    long long int next_retry;   /* ZT_WAKE_POLL: when to try again, or
                                 * LLONG_MAX never. */
};

/* Returns the directory where tracefs is mounted (its "events" directory
 * is there), or NULL.  The usual places first, then any tracefs mount of
 * this mount namespace ("ip netns exec" mounts a new /sys without it). */
static char *
zt_find_tracefs(void)
{
    static const char *const dirs[] = {
        "/sys/kernel/tracing", "/sys/kernel/debug/tracing",
    };
    struct mntent *m;
    char *found = NULL;
    FILE *mounts;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(dirs); i++) {
        char *events = xasprintf("%s/events", dirs[i]);
        bool ok = !access(events, F_OK);

        free(events);
        if (ok) {
            return xstrdup(dirs[i]);
        }
    }
    mounts = setmntent("/proc/self/mounts", "r");
    while (mounts && !found && (m = getmntent(mounts)) != NULL) {
        if (!strcmp(m->mnt_type, "tracefs")) {
            char *events = xasprintf("%s/events", m->mnt_dir);

            if (!access(events, F_OK)) {
                found = xstrdup(m->mnt_dir);
            }
            free(events);
        }
    }
    if (mounts) {
        endmntent(mounts);
    }
    return found;
}

/* Reads the perf id of tracepoint 'tp' under 'tracefs' into '*idp'.
 * Returns 0 or a positive errno. */
static int
zt_tp_id(const char *tracefs, const struct zt_tp *tp, uint64_t *idp)
{
    char *file = xasprintf("%s/events/%s/%s/id", tracefs, tp->system,
                           tp->name);
    unsigned long long int id = 0;
    FILE *f = fopen(file, "r");
    int error = 0;

    free(file);
    if (!f) {
        return errno;
    }
    if (fscanf(f, "%llu", &id) != 1) {
        error = EINVAL;
    }
    fclose(f);
    *idp = id;
    return error;
}

/* Opens tracepoint 'config' on 'cpu' for all processes.  Returns the fd,
 * or a negative errno. */
static int
zt_perf_open(uint64_t config, int cpu)
{
    struct perf_event_attr attr;
    long fd;

    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = config;
    attr.sample_period = 1;
    attr.sample_type = PERF_SAMPLE_IDENTIFIER;
    attr.wakeup_events = 1;
    fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1,
                 PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

/* Closes every perf event and ring of 'w'. */
static void
zt_close_all(struct zt_wake *w)
{
    size_t i;

    for (i = 0; i < w->n_rings; i++) {
        munmap(w->rings[i].base, (1 + ZT_RING_PAGES) * w->page_size);
    }
    for (i = 0; i < w->n_fds; i++) {
        close(w->fds[i]);
    }
    free(w->rings);
    free(w->fds);
    free(w->ids);
    free(w->tracefs);
    w->rings = NULL;
    w->fds = NULL;
    w->ids = NULL;
    w->tracefs = NULL;
    w->n_rings = w->n_fds = w->n_ids = 0;
}

/* Records 'fd', of tracepoint 'tp', in 'w'.  Returns 0 or a positive
 * errno. */
static int
zt_add_fd(struct zt_wake *w, int fd, size_t tp)
{
    uint64_t id;

    w->fds = xrealloc(w->fds, (w->n_fds + 1) * sizeof *w->fds);
    w->fds[w->n_fds++] = fd;
    if (ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0) {
        return errno;
    }
    w->ids = xrealloc(w->ids, (w->n_ids + 1) * sizeof *w->ids);
    w->ids[w->n_ids].id = id;
    w->ids[w->n_ids++].tp = tp;
    return 0;
}

/* Opens the tracepoints of 'w' on every online CPU.  Returns NULL, or why
 * it failed (the caller frees it); on failure nothing stays open. */
static char *
zt_open_tracepoints(struct zt_wake *w)
{
    uint64_t configs[ZT_N_TPS];
    long int n_cpus = sysconf(_SC_NPROCESSORS_CONF);
    bool first_cpu = true;
    char *error = NULL;
    size_t i;
    int cpu;

    memcpy(w->tps, zt_tps, sizeof w->tps);
    w->tracefs = zt_find_tracefs();
    if (!w->tracefs) {
        return xstrdup("tracefs is not mounted (mount -t tracefs nodev "
                       "/sys/kernel/tracing)");
    }
    for (i = 0; i < ZT_N_TPS; i++) {
        int retval = zt_tp_id(w->tracefs, &w->tps[i], &configs[i]);

        w->tps[i].open = !retval;
        if (retval && !w->tps[i].optional) {
            error = xasprintf("the kernel has no tracepoint %s:%s under %s "
                              "(%s): is the rdma_cm module loaded?",
                              w->tps[i].system, w->tps[i].name, w->tracefs,
                              ovs_strerror(retval));
            goto fail;
        }
    }
    for (cpu = 0; cpu < n_cpus; cpu++) {
        int leader = -1;

        for (i = 0; i < ZT_N_TPS; i++) {
            int fd, retval;

            if (!w->tps[i].open) {
                continue;
            }
            fd = zt_perf_open(configs[i], cpu);
            if (fd == -ENODEV && leader < 0) {
                break;          /* An offline CPU. */
            } else if (fd < 0 && w->tps[i].optional && first_cpu) {
                w->tps[i].open = false;     /* Not on any CPU, then. */
                continue;
            } else if (fd < 0) {
                error = xasprintf("perf_event_open(%s:%s, cpu %d) failed "
                                  "(%s): ovs-rdmad needs CAP_PERFMON or "
                                  "CAP_SYS_ADMIN", w->tps[i].system,
                                  w->tps[i].name, cpu, ovs_strerror(-fd));
                goto fail;
            }
            retval = zt_add_fd(w, fd, i);
            if (!retval && leader < 0) {
                size_t size = (1 + ZT_RING_PAGES) * w->page_size;
                void *base = mmap(NULL, size, PROT_READ | PROT_WRITE,
                                  MAP_SHARED, fd, 0);

                if (base == MAP_FAILED) {
                    retval = errno;
                } else {
                    w->rings = xrealloc(w->rings,
                                        (w->n_rings + 1) * sizeof *w->rings);
                    w->rings[w->n_rings].fd = fd;
                    w->rings[w->n_rings++].base = base;
                    leader = fd;
                }
            } else if (!retval
                       && ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, leader) < 0) {
                retval = errno;
            }
            if (retval) {
                error = xasprintf("cannot set up the ring of %s:%s on cpu "
                                  "%d (%s)", w->tps[i].system,
                                  w->tps[i].name, cpu, ovs_strerror(retval));
                goto fail;
            }
        }
        first_cpu = first_cpu && leader < 0;
    }
    if (!w->n_rings) {
        error = xstrdup("no online CPU to open the tracepoints on");
        goto fail;
    }
    return NULL;

fail:
    zt_close_all(w);
    return error;
}

/* Tries the tracepoints, setting the mode of 'w' and logging it. */
static void
zt_try_tracepoints(struct zt_wake *w)
{
    char *error = zt_open_tracepoints(w);

    if (!error) {
        w->mode = ZT_WAKE_TRACEPOINTS;
        free(w->reason);
        w->reason = NULL;
        w->next_retry = LLONG_MAX;
        VLOG_INFO("zero-touch binding is woken by the kernel's rdma_cma "
                  "tracepoints (tracefs %s, %"PRIuSIZE" CPUs%s)",
                  w->tracefs, w->n_rings,
                  w->tps[ZT_N_TPS - 1].open ? ", and neigh:neigh_create"
                  : "");
        return;
    }
    if (!w->reason || strcmp(w->reason, error)) {
        VLOG_INFO("zero-touch binding polls only: %s", error);
    }
    free(w->reason);
    w->reason = error;
    w->mode = ZT_WAKE_POLL;
    w->next_retry = time_msec() + ZT_RETRY_MS;
}

/* Creates the wake-up source of the zero-touch watcher: the fake table's
 * changes with --qp-source=fake, else the kernel's tracepoints if they can
 * be opened, else none.  With 'enable' false, none. */
struct zt_wake *
zt_wake_create(bool enable)
{
    struct zt_wake *w = xzalloc(sizeof *w);

    w->enable = enable;
    w->page_size = sysconf(_SC_PAGESIZE);
    w->next_retry = LLONG_MAX;
    if (!enable) {
        w->mode = ZT_WAKE_POLL;
        w->reason = xstrdup("--zero-touch-wake=poll");
        VLOG_INFO("zero-touch binding polls only: %s", w->reason);
    } else if (rdma_qp_source_type() == RDMA_QP_SOURCE_FAKE) {
        w->mode = ZT_WAKE_FAKE;
        w->fake_seqno = seq_read(rdma_qp_fake_seq());
        VLOG_INFO("zero-touch binding is woken by changes of the fake "
                  "kernel tables");
    } else if (rdma_qp_source_type() == RDMA_QP_SOURCE_NETLINK) {
        zt_try_tracepoints(w);
    } else {
        w->mode = ZT_WAKE_POLL;
        w->reason = xstrdup("no kernel to watch (--qp-source=none)");
    }
    return w;
}

/* Destroys 'w', closing its perf events. */
void
zt_wake_destroy(struct zt_wake *w)
{
    if (w) {
        zt_close_all(w);
        free(w->reason);
        free(w);
    }
}

/* Returns how 'w' wakes the watcher. */
enum zt_wake_mode
zt_wake_mode(const struct zt_wake *w)
{
    return w->mode;
}

/* Counts the tracepoint whose perf id is 'id'. */
static void
zt_count(struct zt_wake *w, uint64_t id)
{
    size_t i;

    for (i = 0; i < w->n_ids; i++) {
        if (w->ids[i].id == id) {
            w->tps[w->ids[i].tp].n_events++;
            return;
        }
    }
}

/* Reads the 64-bit word at 'offset' of ring data 'data' of 'size'
 * bytes. */
static uint64_t
zt_ring_u64(const uint8_t *data, size_t size, uint64_t offset)
{
    uint64_t x;

    memcpy(&x, data + offset % size, sizeof x);
    return x;
}

/* Drains ring 'r' of 'w'.  Returns the number of records it held. */
static size_t
zt_drain(struct zt_wake *w, struct zt_ring *r)
{
    struct perf_event_mmap_page *pg = r->base;
    const uint8_t *data = (const uint8_t *) r->base + w->page_size;
    size_t size = ZT_RING_PAGES * w->page_size;
    uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = pg->data_tail;
    size_t n = 0;

    while (tail < head) {
        struct perf_event_header h;

        /* Records are 8-byte aligned and no shorter: a header never wraps
         * around the end of the data pages. */
        memcpy(&h, data + tail % size, sizeof h);
        if (h.size < sizeof h) {
            break;              /* Cannot happen; do not loop forever. */
        }
        if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof h + 8) {
            zt_count(w, zt_ring_u64(data, size, tail + sizeof h));
        } else if (h.type == PERF_RECORD_LOST && h.size >= sizeof h + 16) {
            w->n_lost += zt_ring_u64(data, size, tail + sizeof h + 8);
        }
        n++;
        tail += h.size;
    }
    __atomic_store_n(&pg->data_tail, head, __ATOMIC_RELEASE);
    return n;
}

/* Returns true if something happened since the last call that the
 * watcher should dump for at once. */
bool
zt_wake_run(struct zt_wake *w)
{
    size_t n = 0, i;

    switch (w->mode) {
    case ZT_WAKE_TRACEPOINTS:
        for (i = 0; i < w->n_rings; i++) {
            n += zt_drain(w, &w->rings[i]);
        }
        break;
    case ZT_WAKE_FAKE: {
        uint64_t seqno = seq_read(rdma_qp_fake_seq());

        n = seqno != w->fake_seqno;
        w->fake_seqno = seqno;
        break;
    }
    case ZT_WAKE_POLL:
        if (time_msec() >= w->next_retry) {
            zt_try_tracepoints(w);
        }
        break;
    }
    w->n_wakeups += n > 0;
    return n > 0;
}

/* Arranges for poll_block() to wake when 'w' has news. */
void
zt_wake_wait(const struct zt_wake *w)
{
    size_t i;

    switch (w->mode) {
    case ZT_WAKE_TRACEPOINTS:
        for (i = 0; i < w->n_rings; i++) {
            poll_fd_wait(w->rings[i].fd, POLLIN);
        }
        break;
    case ZT_WAKE_FAKE:
        seq_wait(rdma_qp_fake_seq(), w->fake_seqno);
        break;
    case ZT_WAKE_POLL:
        break;
    }
}

/* Appends to 'ds' what wakes the watcher, in one line without its end. */
void
zt_wake_format(const struct zt_wake *w, struct ds *ds)
{
    size_t i;

    switch (w->mode) {
    case ZT_WAKE_TRACEPOINTS:
        ds_put_format(ds, "wake-up: tracepoints (tracefs %s, %"PRIuSIZE
                      " CPUs), %"PRIu64" wake-ups, %"PRIu64" records lost:",
                      w->tracefs, w->n_rings, w->n_wakeups, w->n_lost);
        for (i = 0; i < ZT_N_TPS; i++) {
            if (w->tps[i].open) {
                ds_put_format(ds, " %s:%s %"PRIu64, w->tps[i].system,
                              w->tps[i].name, w->tps[i].n_events);
            }
        }
        break;
    case ZT_WAKE_FAKE:
        ds_put_format(ds, "wake-up: fake table changes, %"PRIu64
                      " wake-ups", w->n_wakeups);
        break;
    case ZT_WAKE_POLL:
        ds_put_format(ds, "wake-up: none, polling only: %s",
                      w->reason ? w->reason : "");
        break;
    }
}
