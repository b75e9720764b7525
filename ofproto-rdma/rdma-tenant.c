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

#include "rdma-tenant.h"
#include "rdma-tenant-private.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverage.h"
#include "dirs.h"
#include "hash.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rdma-ack.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_tenant);

COVERAGE_DEFINE(rdma_tenant_throttled);
COVERAGE_DEFINE(rdma_tenant_idle_closed);
COVERAGE_DEFINE(rdma_tenant_released);

/* Most connections one vport's socket accepts at once, so that a tenant
 * cannot exhaust the daemon's file descriptors. */
#define MAX_CONNS_PER_VPORT 64

/* Most requests one vport's socket (all its connections together) handles
 * per main-loop iteration: a tenant flooding its socket delays the admin
 * socket and the other vports by at most this many requests. */
#define REQUESTS_PER_RUN 8

/* Most time, in microseconds, that all tenant sockets together get per
 * main-loop iteration: once it is used up, the remaining sockets wait for
 * the next iteration (they come first then), so that everything else in
 * the loop never waits much longer than this.  (The admin socket, in
 * iterations that serve tenants, runs at least once a millisecond and at
 * once in any iteration that serves none: ovs-rdmad.c.) */
#define USEC_PER_RUN 500

/* Most bytes read from one connection per main-loop iteration. */
#define BYTES_PER_RUN 16384

/* Per-connection rate limit: a bucket of RATE_BURST requests, refilled at
 * the front end's 'rate' (RDMA_TENANT_RATE by default) requests per
 * second.  Requests beyond it wait (they are
 * not refused). */
#define RATE_BURST 100

/* Most reply bytes waiting to be sent before a connection stops being
 * read. */
#define MAX_BACKLOG 65536

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);


/* Creates the tenants' front end for 'engine', with its sockets in 'dir'
 * (NULL for $OVS_RUNDIR/ovs-rdmad), group 'gid' ((gid_t) -1 for the
 * daemon's own) and idle connections closed after 'idle_ms' ms (0:
 * never).  Sockets appear at the first rdma_tenant_run() after the engine
 * has read the database. */
struct rdma_tenant *
rdma_tenant_create(struct rdma_engine *engine, const char *dir, gid_t gid,
                   int idle_ms)
{
    struct rdma_tenant *t = xzalloc(sizeof *t);

    t->engine = engine;
    t->dir = (dir ? abs_file_name(NULL, dir)
              : xasprintf("%s/ovs-rdmad", ovs_rundir()));
    t->gid = gid;
    t->idle_ms = idle_ms;
    t->rate = RDMA_TENANT_RATE;
    t->next_serial = 1;
    hmap_init(&t->sockets);
    ovs_list_init(&t->rr);
    ovs_list_init(&t->to_flush);
    return t;
}

/* Closes 'c' and frees it.  If 'release' (the tenant closed it, or it
 * failed or idled out, as opposed to the daemon exiting), releases the
 * bindings it made that are not persistent. */
void
rdma_tenant_conn_destroy(struct rdma_tenant *t, struct tenant_conn *c,
                         bool release)
{
    size_t n;

    rdma_ack_forget(c);
    n = (release
         ? rdma_engine_release_owner(t->engine, c->socket->vport, c->serial)
         : 0);

    if (n) {
        COVERAGE_ADD(rdma_tenant_released, n);
        VLOG_INFO("vport %s: released %"PRIuSIZE" connection%s bound over "
                  "a tenant connection that closed", c->socket->vport, n,
                  n == 1 ? "" : "s");
    }
    ovs_list_remove(&c->node);
    if (c->flushing) {
        ovs_list_remove(&c->flush_node);
    }
    c->socket->n_conns--;
    stream_close(c->stream);
    rdma_json_scanner_destroy(&c->scanner);
    ds_destroy(&c->rx);
    ds_destroy(&c->msg);
    ds_destroy(&c->tx);
    free(c);
}

/* Refills 'c''s rate-limit bucket at 'rate' requests per second.  Returns
 * true if a request may go now. */
static bool
conn_take_token(struct tenant_conn *c, int rate)
{
    long long int now = time_msec();

    c->tokens = MIN(RATE_BURST,
                    c->tokens + (now - c->refilled) * rate / 1000.0);
    c->refilled = now;
    if (c->tokens >= 1) {
        c->tokens -= 1;
        return true;
    }
    return false;
}

/* Sends what can be sent of 'c''s replies.  Returns 0 or a positive errno
 * value. */
static int
conn_send(struct tenant_conn *c)
{
    while (c->tx_ofs < c->tx.length) {
        int n = stream_send(c->stream, c->tx.string + c->tx_ofs,
                            c->tx.length - c->tx_ofs);

        if (n < 0) {
            return n == -EAGAIN ? 0 : -n;
        }
        c->tx_ofs += n;
    }
    ds_clear(&c->tx);
    c->tx_ofs = 0;
    return 0;
}

/* A reply held until the state file has the change it confirms. */
struct held_reply {
    struct rdma_tenant *t;      /* The front end of... */
    struct tenant_conn *c;      /* ...the connection where it goes. */
    char *reply;                /* The reply, as built. */
    struct json *id;            /* The request's id. */
};

/* Sends the held reply 'h_' (see rdma-ack.h). */
static void
send_held(void *h_, const char *error, bool send)
{
    struct held_reply *h = h_;

    if (send && error) {
        struct jsonrpc_msg *msg;
        struct json *json;

        msg = jsonrpc_create_error(json_string_create(error), h->id);
        json = jsonrpc_msg_to_json(msg);
        json_to_ds(json, 0, &h->c->tx);
        json_destroy(json);
    } else if (send) {
        ds_put_cstr(&h->c->tx, h->reply);
    }
    if (send && !h->c->flushing) {
        /* Sent by rdma_tenant_flush(): the replies released together go
         * out in one send. */
        h->c->flushing = true;
        ovs_list_push_back(&h->t->to_flush, &h->c->flush_node);
    }
    json_destroy(h->id);
    free(h->reply);
    free(h);
}

/* Handles 'c''s complete message.  Returns 0 or a positive errno value. */
static int
conn_handle(struct rdma_tenant *t, struct tenant_conn *c)
{
    struct ds reply = DS_EMPTY_INITIALIZER;
    struct rdma_tenant_change change;
    char *error;
    int retval;

    c->ready = false;
    c->last_active = time_msec();
    t->n_handled++;
    retval = rdma_tenant_handle_message(t->engine, c->socket->vport,
                                        c->serial, &c->scanner,
                                        c->msg.string, c->msg.length,
                                        &reply, &change, &error);
    if (retval) {
        VLOG_WARN_RL(&rl, "vport %s: %s: closing the connection (%s)",
                     c->socket->vport, stream_get_name(c->stream), error);
        free(error);
        ds_destroy(&reply);
        return retval;
    }
    if (change.changed) {
        struct held_reply *h = xmalloc(sizeof *h);

        h->t = t;
        h->c = c;
        h->reply = ds_steal_cstr(&reply);
        h->id = change.id;
        rdma_ack_hold(change.op, c->socket->vport, change.cm_id, c,
                      send_held, h);
    } else {
        ds_put_buffer(&c->tx, reply.string, reply.length);
        ds_destroy(&reply);
    }
    rdma_json_scanner_destroy(&c->scanner);
    rdma_json_scanner_init(&c->scanner);
    ds_clear(&c->msg);
    return 0;
}

/* Reads and handles 'c''s requests, at most '*budget' of them (decrementing
 * it), none after 'deadline' (in microseconds), leaving the replies not
 * held in 'c->tx'.  Returns 0, or a positive errno value (EOF at the end of
 * the stream) if it must be closed. */
static int
conn_serve(struct rdma_tenant *t, struct tenant_conn *c, int *budget,
           long long int deadline)
{
    bool drained = false;       /* A short read emptied the socket. */
    size_t n_read = 0;
    int error;

    while (*budget > 0 && c->tx.length <= MAX_BACKLOG) {
        enum rdma_json_scan scan;
        size_t used;

        if (c->ready) {
            if (time_usec() >= deadline) {
                t->more = true;
                break;
            }
            if (!conn_take_token(c, t->rate)) {
                if (!c->throttled) {
                    COVERAGE_INC(rdma_tenant_throttled);
                    c->throttled = true;
                }
                break;
            }
            c->throttled = false;
            *budget -= 1;
            error = conn_handle(t, c);
            if (error) {
                return error;
            }
            continue;
        }
        if (c->rx_ofs >= c->rx.length) {
            char buf[4096];
            int n;

            if (drained || n_read >= BYTES_PER_RUN) {
                /* (After a short read, another recv() would most likely
                 * find nothing: poll() tells when more comes.) */
                break;
            }
            n = stream_recv(c->stream, buf, sizeof buf);
            if (n == -EAGAIN) {
                break;
            } else if (n <= 0) {
                return n ? -n : EOF;
            }
            drained = n < sizeof buf;
            n_read += n;
            ds_clear(&c->rx);
            ds_put_buffer(&c->rx, buf, n);
            c->rx_ofs = 0;
        }
        scan = rdma_json_scanner_feed(&c->scanner, c->rx.string + c->rx_ofs,
                                      c->rx.length - c->rx_ofs, &used);
        if (scan != RDMA_JSON_INCOMPLETE || c->scanner.started) {
            ds_put_buffer(&c->msg, c->rx.string + c->rx_ofs, used);
        }
        /* (Else it was white space between messages: dropped, so that it
         * neither grows the buffer nor keeps the connection from being
         * idle.) */
        c->rx_ofs += used;
        if (scan == RDMA_JSON_BROKEN) {
            VLOG_WARN_RL(&rl, "vport %s: %s: closing the connection (%s)",
                         c->socket->vport, stream_get_name(c->stream),
                         c->scanner.error);
            return EPROTO;
        } else if (scan == RDMA_JSON_COMPLETE) {
            c->ready = true;
        }
    }
    return 0;
}

/* Runs connection 'c', handling at most '*budget' requests (and
 * decrementing it), none after 'deadline' (in microseconds).  Returns 0,
 * or a positive errno value if it must be closed. */
static int
conn_run(struct rdma_tenant *t, struct tenant_conn *c, int *budget,
         long long int deadline)
{
    int error, send_error;

    stream_run(c->stream);
    error = conn_send(c);
    if (error) {
        return error;
    }
    error = conn_serve(t, c, budget, deadline);
    /* The replies of this run's requests that were not held, in one send;
     * also when 'c' is about to be closed, for the requests that came
     * before its end (a tenant may shut down its side after sending) or
     * before a broken message. */
    send_error = conn_send(c);
    return error ? error : send_error;
}

/* Returns true if 'c' could make progress without waiting for its
 * stream. */
static bool
conn_has_work(const struct tenant_conn *c)
{
    return c->rx_ofs < c->rx.length && c->tx.length <= MAX_BACKLOG
           && !c->ready;
}

/* Returns true if 'c' has been idle for too long and holds no bindings
 * that its closing would release. */
static bool
conn_is_idle(const struct rdma_tenant *t, const struct tenant_conn *c)
{
    const struct rdma_qpm_vport *qvp;
    const struct rdma_binding *b;

    if (!t->idle_ms || time_msec() < c->last_active + t->idle_ms
        || c->msg.length || c->tx.length) {
        return false;
    }
    qvp = rdma_qp_map_find_vport(rdma_engine_get_map(t->engine),
                                 c->socket->vport);
    if (qvp) {
        RDMA_QPM_VPORT_FOR_EACH (b, qvp) {
            if (b->owner == c->serial) {
                return false;
            }
        }
    }
    return true;
}

/* Accepts new connections on 's' and runs its connections, round robin,
 * within the socket's per-iteration budget, until 'deadline' (in
 * microseconds). */
static void
socket_run(struct rdma_tenant *t, struct tenant_socket *s,
           long long int deadline)
{
    struct tenant_conn *c;
    int budget = REQUESTS_PER_RUN;
    size_t i, n;

    for (i = 0; s->readable && i < 10; i++) {
        struct stream *stream;
        int error = pstream_accept(s->pstream, &stream);

        if (error) {
            if (error != EAGAIN) {
                VLOG_WARN_RL(&rl, "vport %s: accept failed: %s", s->vport,
                             ovs_strerror(error));
            }
            break;
        }
        if (s->n_conns >= MAX_CONNS_PER_VPORT) {
            VLOG_WARN_RL(&rl, "vport %s: refusing a connection: already "
                         "%d open", s->vport, MAX_CONNS_PER_VPORT);
            stream_close(stream);
            continue;
        }
        c = xzalloc(sizeof *c);
        c->socket = s;
        c->stream = stream;
        c->serial = t->next_serial++;
        rdma_json_scanner_init(&c->scanner);
        ds_init(&c->rx);
        ds_init(&c->msg);
        ds_init(&c->tx);
        c->tokens = RATE_BURST;
        c->refilled = c->last_active = time_msec();
        ovs_list_push_back(&s->conns, &c->node);
        s->n_conns++;
    }

    /* Serve each connection once, starting where the last run stopped. */
    n = s->n_conns;
    for (i = 0; i < n && !ovs_list_is_empty(&s->conns); i++) {
        int error;

        if (time_usec() >= deadline) {
            t->more = true;
            break;
        }
        c = CONTAINER_OF(ovs_list_front(&s->conns), struct tenant_conn,
                         node);
        ovs_list_remove(&c->node);
        ovs_list_push_back(&s->conns, &c->node);
        error = conn_run(t, c, &budget, deadline);
        if (!error && conn_is_idle(t, c)) {
            COVERAGE_INC(rdma_tenant_idle_closed);
            VLOG_INFO("vport %s: %s: closing an idle connection",
                      s->vport, stream_get_name(c->stream));
            rdma_tenant_conn_destroy(t, c, true);
        } else if (error) {
            if (error != EOF && error != EPROTO) {
                /* (EPROTO was logged with its reason.) */
                VLOG_WARN_RL(&rl, "vport %s: %s: closing the connection "
                             "(%s)", s->vport, stream_get_name(c->stream),
                             ovs_retval_to_string(error));
            }
            rdma_tenant_conn_destroy(t, c, true);
        }
    }
}

/* Sets the per-connection rate limit of 't' to 'rate' (at least 1)
 * requests per second, after a burst of 100. */
void
rdma_tenant_set_rate(struct rdma_tenant *t, int rate)
{
    t->rate = MAX(1, rate);
}

/* Keeps the sockets in step with the vports and serves requests.  Returns
 * the number of requests handled. */
size_t
rdma_tenant_run(struct rdma_tenant *t)
{
    struct tenant_socket *s;

    t->n_handled = 0;

    if (rdma_engine_has_config(t->engine)
        && (!t->synced
            || t->idl_seqno != rdma_engine_get_config_seqno(t->engine)
            || !t->dir_ok)) {
        rdma_tenant_sync_sockets(t);
    }
    /* Which sockets have a connection waiting: one poll() for all of them
     * rather than one accept() each. */
    size_t i, n = ovs_list_size(&t->rr);

    if (n > t->allocated_pfds) {
        t->pfds = xrealloc(t->pfds, n * sizeof *t->pfds);
        t->allocated_pfds = n;
    }
    i = 0;
    LIST_FOR_EACH (s, rr_node, &t->rr) {
        t->pfds[i].fd = s->fd;
        t->pfds[i].events = POLLIN;
        t->pfds[i].revents = 0;
        i++;
    }
    if (n && poll(t->pfds, n, 0) < 0 && errno != EINTR) {
        VLOG_WARN_RL(&rl, "poll of the tenant sockets failed (%s)",
                     ovs_strerror(errno));
    }
    i = 0;
    LIST_FOR_EACH (s, rr_node, &t->rr) {
        s->readable = t->pfds[i++].revents != 0;
    }

    /* Each socket in turn, from where the last run stopped, within the
     * time budget. */
    long long int deadline = time_usec() + USEC_PER_RUN;

    t->more = false;
    for (i = 0; i < n; i++) {
        s = CONTAINER_OF(ovs_list_front(&t->rr), struct tenant_socket,
                         rr_node);
        if (time_usec() >= deadline) {
            t->more = true;
            break;
        }
        ovs_list_remove(&s->rr_node);
        ovs_list_push_back(&t->rr, &s->rr_node);
        socket_run(t, s, deadline);
    }
    return t->n_handled;
}

/* Sends the replies that rdma_ack_flush() released since the last call, one
 * send per connection. */
void
rdma_tenant_flush(struct rdma_tenant *t)
{
    struct tenant_conn *c;

    LIST_FOR_EACH_POP (c, flush_node, &t->to_flush) {
        c->flushing = false;
        if (conn_send(c)) {
            /* The error shows at the connection's next run: make it come
             * now.  (A reply sent, or waiting for room, needs no extra
             * main-loop iteration: rdma_tenant_wait() runs after this and
             * sees it.) */
            poll_immediate_wake();
        }
    }
}

/* Arranges for poll_block() to wake up when a socket or connection needs
 * attention. */
void
rdma_tenant_wait(struct rdma_tenant *t)
{
    struct tenant_socket *s;
    struct tenant_conn *c;

    if (t->more) {
        poll_immediate_wake();
    }
    HMAP_FOR_EACH (s, node, &t->sockets) {
        pstream_wait(s->pstream);
        LIST_FOR_EACH (c, node, &s->conns) {
            stream_run_wait(c->stream);
            if (c->tx.length) {
                stream_send_wait(c->stream);
            }
            if (c->throttled) {
                /* Waiting for the rate limit: one token's time. */
                poll_timer_wait(1000 / t->rate + 1);
            } else if (c->ready || conn_has_work(c)) {
                poll_immediate_wake();
            } else if (c->tx.length <= MAX_BACKLOG) {
                stream_recv_wait(c->stream);
            }
            if (t->idle_ms && time_msec() < c->last_active + t->idle_ms) {
                /* (Past the deadline, a connection still open holds
                 * bindings: it is not closed, so no timer for it.) */
                poll_timer_wait_until(c->last_active + t->idle_ms);
            }
        }
    }
}

/* Closes every socket (removing the files) and frees 't'. */
void
rdma_tenant_destroy(struct rdma_tenant *t)
{
    struct tenant_socket *s;

    if (t) {
        HMAP_FOR_EACH_SAFE (s, node, &t->sockets) {
            rdma_tenant_socket_destroy(t, s);
        }
        hmap_destroy(&t->sockets);
        free(t->pfds);
        free(t->dir);
        free(t);
    }
}
