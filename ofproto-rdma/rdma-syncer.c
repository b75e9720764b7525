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

#include "rdma-syncer.h"

#include <errno.h>
#include <unistd.h>

#include "latch.h"
#include "ovs-thread.h"
#include "rdma-fault.h"
#include "util.h"

/* The syncer: one thread that calls fdatasync() for the main loop. */
struct rdma_syncer {
    struct ovs_mutex mutex;     /* Guards the members below it. */
    pthread_cond_t cond;        /* Signals a request, or 'exiting'. */
    pthread_t thread;           /* The thread, if 'started'. */
    bool started;               /* Whether the thread was created. */
    struct latch latch;         /* Set by the thread when a sync returns,
                                 * to wake the main loop. */
    int pending_fd OVS_GUARDED; /* A duplicate of the file descriptor to
                                 * sync next (the thread closes it), or
                                 * -1 if nothing was asked for. */
    uint64_t pending_ticket OVS_GUARDED; /* What syncing 'pending_fd'
                                 * makes durable. */
    uint64_t synced OVS_GUARDED; /* Highest ticket made durable. */
    int error OVS_GUARDED;      /* First failure not yet polled, or 0. */
    uint64_t error_ticket OVS_GUARDED; /* The ticket it failed for. */
    bool exiting OVS_GUARDED;   /* rdma_syncer_destroy() was called. */
    uint64_t n_syncs OVS_GUARDED; /* fdatasync() calls done. */
};

/* Creates a syncer.  Its thread starts at the first request. */
struct rdma_syncer *
rdma_syncer_create(void)
{
    struct rdma_syncer *s = xzalloc(sizeof *s);

    ovs_mutex_init(&s->mutex);
    xpthread_cond_init(&s->cond, NULL);
    latch_init(&s->latch);
    s->pending_fd = -1;
    return s;
}

/* The thread: syncs whatever was asked for last, as soon as the previous
 * sync returns, until asked to exit (after a last pending sync). */
static void *
syncer_main(void *s_)
{
    struct rdma_syncer *s = s_;

    ovs_mutex_lock(&s->mutex);
    for (;;) {
        uint64_t ticket;
        int error, fd;

        while (s->pending_fd < 0 && !s->exiting) {
            ovs_mutex_cond_wait(&s->cond, &s->mutex);
        }
        if (s->pending_fd < 0) {
            break;
        }
        fd = s->pending_fd;
        ticket = s->pending_ticket;
        s->pending_fd = -1;
        ovs_mutex_unlock(&s->mutex);

        /* The records up to 'ticket' are written, not synced: a reply
         * sent for one of them already would be a bug (tests/faults.at
         * kills the daemon here). */
        rdma_fault_point("state-sync");
        error = rdma_fault_error("state-sync");
        if (!error) {
            error = fdatasync(fd) ? errno : 0;
        }
        close(fd);

        ovs_mutex_lock(&s->mutex);
        s->n_syncs++;
        if (error) {
            if (!s->error) {
                s->error = error;
                s->error_ticket = ticket;
            }
        } else if (ticket > s->synced) {
            s->synced = ticket;
        }
        latch_set(&s->latch);
    }
    ovs_mutex_unlock(&s->mutex);
    return NULL;
}

/* Asks 's' to make durable, with fdatasync(), everything written to 'fd'
 * so far, which 'ticket' (greater than any ticket asked for before)
 * stands for.  If a sync is in flight, this one starts when it returns,
 * and covers every request made meanwhile.  The caller may close 'fd' at
 * once.  Returns 0, or a positive errno value if no sync could be asked
 * for (then the caller syncs by itself). */
int
rdma_syncer_request(struct rdma_syncer *s, int fd, uint64_t ticket)
{
    int old_fd, new_fd;

    new_fd = dup(fd);
    if (new_fd < 0) {
        return errno;
    }
    ovs_mutex_lock(&s->mutex);
    old_fd = s->pending_fd;
    s->pending_fd = new_fd;
    s->pending_ticket = ticket;
    xpthread_cond_signal(&s->cond);
    ovs_mutex_unlock(&s->mutex);
    if (old_fd >= 0) {
        close(old_fd);          /* Superseded: the new request covers it. */
    }
    if (!s->started) {
        s->started = true;
        s->thread = ovs_thread_create("state_sync", syncer_main, s);
    }
    return 0;
}

/* Stores in '*synced' the highest ticket made durable so far.  If a sync
 * failed since the last call, stores its errno in '*error' and its ticket
 * in '*error_ticket', else 0 in '*error'. */
void
rdma_syncer_poll(struct rdma_syncer *s, uint64_t *synced, int *error,
                 uint64_t *error_ticket)
{
    latch_poll(&s->latch);
    ovs_mutex_lock(&s->mutex);
    *synced = s->synced;
    *error = s->error;
    *error_ticket = s->error_ticket;
    s->error = 0;
    ovs_mutex_unlock(&s->mutex);
}

/* Returns the number of fdatasync() calls 's' made. */
uint64_t
rdma_syncer_count(struct rdma_syncer *s)
{
    uint64_t n;

    ovs_mutex_lock(&s->mutex);
    n = s->n_syncs;
    ovs_mutex_unlock(&s->mutex);
    return n;
}

/* Arranges for poll_block() to wake up when a sync returns. */
void
rdma_syncer_wait(struct rdma_syncer *s)
{
    latch_wait(&s->latch);
}

/* Waits for the pending sync, if any, stops the thread and frees 's'. */
void
rdma_syncer_destroy(struct rdma_syncer *s)
{
    if (!s) {
        return;
    }
    if (s->started) {
        ovs_mutex_lock(&s->mutex);
        s->exiting = true;
        xpthread_cond_signal(&s->cond);
        ovs_mutex_unlock(&s->mutex);
        xpthread_join(s->thread, NULL);
    }
    if (s->pending_fd >= 0) {
        close(s->pending_fd);
    }
    latch_destroy(&s->latch);
    xpthread_cond_destroy(&s->cond);
    ovs_mutex_destroy(&s->mutex);
    free(s);
}
