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

/* rdma-bench's floor of the tenant path: the same sequential client as
 * "rdma-bench tenant", against servers that do nothing but answer, so that
 * what ovs-rdmad adds can be told from what the machine costs.  Three
 * servers, each a forked child on a Unix socket:
 *
 *   - "blocking": read() and write() on the connection, no poll loop;
 *   - "poll loop": OVS's stream library and poll_block(), as ovs-rdmad's
 *     main loop uses them, with a canned reply;
 *   - "jsonrpc": OVS's jsonrpc library on top (each request parsed into a
 *     JSON tree, each reply built as one and serialized).
 *
 * Each reply has the size of ovs-rdmad's reply to a bind. */

#include <config.h>

#include "rdma-bench.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "util.h"

/* The size of ovs-rdmad's reply to a tenant's bind, in bytes. */
#define FLOOR_REPLY_SIZE 522

/* Which server a floor measurement runs. */
enum floor_kind {
    FLOOR_BLOCKING,             /* read()/write(), no poll loop. */
    FLOOR_POLL_LOOP,            /* OVS stream + poll_block(). */
    FLOOR_JSONRPC,              /* OVS jsonrpc + poll_block(). */
};

/* Formats into 'reply' (FLOOR_REPLY_SIZE + 1 bytes) a reply padded to
 * FLOOR_REPLY_SIZE bytes, with "error":null as the client expects. */
static void
floor_canned_reply(char *reply)
{
    static const char head[] = "{\"id\":0,\"result\":{\"pad\":\"";
    static const char tail[] = "\"},\"error\":null}";
    size_t pad = FLOOR_REPLY_SIZE - strlen(head) - strlen(tail);

    memcpy(reply, head, strlen(head));
    memset(reply + strlen(head), 'x', pad);
    strcpy(reply + strlen(head) + pad, tail);
}

/* Counts the top-level JSON objects that end in 'buf' ('len' bytes),
 * carrying the nesting depth in '*depth' (requests have no braces inside
 * strings). */
static int
floor_count_objects(const char *buf, size_t len, int *depth)
{
    int n = 0;

    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '{') {
            ++*depth;
        } else if (buf[i] == '}' && !--*depth) {
            n++;
        }
    }
    return n;
}

/* Server of kind 'kind' on connection 'fd': answers every request until
 * the client closes it. */
static void OVS_NO_RETURN
floor_serve_blocking(int fd)
{
    char reply[FLOOR_REPLY_SIZE + 1], buf[65536];
    int depth = 0;

    floor_canned_reply(reply);
    for (;;) {
        ssize_t len = read(fd, buf, sizeof buf);
        int n;

        if (len <= 0) {
            _exit(0);
        }
        for (n = floor_count_objects(buf, len, &depth); n > 0; n--) {
            if (write(fd, reply, FLOOR_REPLY_SIZE) != FLOOR_REPLY_SIZE) {
                _exit(1);
            }
        }
    }
}

/* Answers every request on 'stream' with a canned reply, in OVS's poll
 * loop, until the client closes it. */
static void OVS_NO_RETURN
floor_serve_poll_loop(struct stream *stream)
{
    char reply[FLOOR_REPLY_SIZE + 1], buf[65536];
    int depth = 0;

    floor_canned_reply(reply);
    for (;;) {
        int len = stream_recv(stream, buf, sizeof buf);

        if (len > 0) {
            for (int n = floor_count_objects(buf, len, &depth); n > 0; n--) {
                if (stream_send(stream, reply, FLOOR_REPLY_SIZE)
                    != FLOOR_REPLY_SIZE) {
                    _exit(1);
                }
            }
        } else if (len != -EAGAIN) {
            _exit(0);
        }
        stream_run(stream);
        stream_recv_wait(stream);
        poll_block();
    }
}

/* Answers every JSON-RPC request on 'stream' with a reply built as a JSON
 * tree of the canned reply's size, through OVS's jsonrpc library, until
 * the client closes it. */
static void OVS_NO_RETURN
floor_serve_jsonrpc(struct stream *stream)
{
    struct jsonrpc *rpc = jsonrpc_open(stream);
    char pad[FLOOR_REPLY_SIZE];

    memset(pad, 'x', sizeof pad);
    pad[FLOOR_REPLY_SIZE - 40] = '\0';
    for (;;) {
        struct jsonrpc_msg *msg;
        int error = jsonrpc_recv(rpc, &msg);

        if (!error) {
            struct json *result = json_object_create();

            json_object_put_string(result, "pad", pad);
            jsonrpc_send(rpc, jsonrpc_create_reply(result, msg->id));
            jsonrpc_msg_destroy(msg);
        } else if (error != EAGAIN) {
            _exit(0);
        }
        jsonrpc_run(rpc);
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        poll_block();
    }
}

/* Returns a Unix socket listening on 'path', for the blocking server. */
static int
floor_listen_blocking(const char *path)
{
    int fd = make_unix_socket(SOCK_STREAM, false, path, NULL);

    if (fd < 0) {
        ovs_fatal(-fd, "%s", path);
    }
    if (listen(fd, 1)) {
        ovs_fatal(errno, "%s: listen", path);
    }
    return fd;
}

/* Forks a server of kind 'kind' that listens on 'path' for one connection
 * and answers it, and connects to it.  Returns its pid and stores the
 * client's end in '*fdp'. */
static pid_t
floor_start(enum floor_kind kind, const char *path, int *fdp)
{
    struct pstream *listener = NULL;
    int fd = -1;
    pid_t pid;

    unlink(path);
    if (kind == FLOOR_BLOCKING) {
        fd = floor_listen_blocking(path);
    } else {
        char *name = xasprintf("punix:%s", path);
        int error = pstream_open(name, &listener, 0);

        if (error) {
            ovs_fatal(error, "%s", name);
        }
        free(name);
    }
    pid = fork();
    if (pid < 0) {
        ovs_fatal(errno, "fork");
    } else if (!pid) {
        struct stream *stream;

        if (kind == FLOOR_BLOCKING) {
            floor_serve_blocking(accept(fd, NULL, NULL));
        }
        while (pstream_accept(listener, &stream) == EAGAIN) {
            pstream_wait(listener);
            poll_block();
        }
        if (kind == FLOOR_POLL_LOOP) {
            floor_serve_poll_loop(stream);
        }
        floor_serve_jsonrpc(stream);
    }
    /* Closing a "punix" listener removes its file: connect first. */
    *fdp = connect_unix(path);
    if (listener) {
        pstream_close(listener);
    } else {
        close(fd);
    }
    return pid;
}

/* Runs 'n' sequential requests against each floor server (sockets in
 * directory 'dir') and prints rate, latency and the server's CPU per
 * request. */
void
run_floor(long long int n, const char *dir)
{
    static const char *const names[] = {
        [FLOOR_BLOCKING] = "blocking read/write",
        [FLOOR_POLL_LOOP] = "OVS stream + poll loop",
        [FLOOR_JSONRPC] = "OVS jsonrpc + poll loop",
    };
    long long int *lat = xmalloc(n * sizeof *lat);
    char *path = xasprintf("%s/floor.sock", dir);

    for (int kind = FLOOR_BLOCKING; kind <= FLOOR_JSONRPC; kind++) {
        int fd;
        pid_t pid = floor_start(kind, path, &fd);
        long long int cpu0 = process_cpu_ns(pid), t;
        int status;

        t = tenant_pipeline(fd, true, 2000000, n, 1, lat);
        qsort(lat, n, sizeof *lat, compare_ll);
        printf("floor of the tenant path, %s server answering a %d-byte "
               "reply, one client, sequential: %.0f requests/s, median "
               "%.1f us, p99 %.1f us, server CPU per request %.1f us\n",
               names[kind], FLOOR_REPLY_SIZE, n / (t / 1e9),
               lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3,
               (process_cpu_ns(pid) - cpu0) / 1e3 / n);
        close(fd);
        waitpid(pid, &status, 0);
    }
    unlink(path);
    free(path);
    free(lat);
}
