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


/* librdmaovl: see rdmaovl.h.  Speaks JSON-RPC 1.0 over a Unix socket as
 * Open vSwitch does (one JSON object per message, no framing), with
 * json-c, so that applications need nothing from Open vSwitch. */

#include "rdmaovl.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

/* Default time to wait for an answer, in ms. */
#define DEFAULT_TIMEOUT_MS 10000

/* A connection to a tenant socket. */
struct rdmaovl {
    int fd;                     /* The connected socket. */
    int timeout_ms;             /* Per-request timeout, < 0 for none. */
    uint64_t next_id;           /* Id of the next request. */
    struct json_tokener *tok;   /* Parses the incoming stream. */
    char buf[4096];             /* Received but not yet parsed. */
    size_t buf_ofs, buf_len;    /* Unparsed part of 'buf'. */
    char error[512];            /* Last error message, "" if none. */
    bool qp_checked;            /* Whether the entry of the last bind or
                                 * update has its QP checked against the
                                 * kernel (see rdmaovl_qp_checked()). */
};

/* Stores a message, formatted like printf(), as 'ovl''s last error. */
static void
set_error(struct rdmaovl *ovl, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vsnprintf(ovl->error, sizeof ovl->error, format, args);
    va_end(args);
}

/* Connects to the tenant socket 'socket_path' (NULL: the one that
 * $OVS_RDMA_SOCKET names) and stores the connection in '*ovlp'.  Returns 0
 * or a positive errno value (EINVAL if no socket is named, ENAMETOOLONG if
 * the path does not fit a socket address). */
int
rdmaovl_open(const char *socket_path, struct rdmaovl **ovlp)
{
    struct sockaddr_un sun;
    struct rdmaovl *ovl;
    int fd, error;

    *ovlp = NULL;
    if (!socket_path) {
        socket_path = getenv(RDMAOVL_SOCKET_ENV);
    }
    if (!socket_path || !socket_path[0]) {
        return EINVAL;
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (strlen(socket_path) >= sizeof sun.sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(sun.sun_path, socket_path);

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        error = errno;
        close(fd);
        return error;
    }

    ovl = calloc(1, sizeof *ovl);
    if (!ovl || !(ovl->tok = json_tokener_new())) {
        free(ovl);
        close(fd);
        return ENOMEM;
    }
    ovl->fd = fd;
    ovl->timeout_ms = DEFAULT_TIMEOUT_MS;
    ovl->next_id = 1;
    *ovlp = ovl;
    return 0;
}

/* Closes 'ovl' and frees it.  Bindings stay: unbind them first if they
 * should go. */
void
rdmaovl_close(struct rdmaovl *ovl)
{
    if (ovl) {
        close(ovl->fd);
        json_tokener_free(ovl->tok);
        free(ovl);
    }
}

/* Makes requests on 'ovl' give up with ETIMEDOUT after 'timeout_ms'
 * milliseconds (negative: wait forever).  The default is 10 s. */
void
rdmaovl_set_timeout(struct rdmaovl *ovl, int timeout_ms)
{
    ovl->timeout_ms = timeout_ms;
}

/* Returns why the last request failed, or "" after a success.  The string
 * is 'ovl''s and changes with the next request. */
const char *
rdmaovl_last_error(const struct rdmaovl *ovl)
{
    return ovl->error;
}

/* Returns true if the entry that the last successful rdmaovl_bind() or
 * rdmaovl_update() on 'ovl' stored has its QP checked against the kernel's
 * (its vport has other_config:rdma-device): ovs-rdmad then takes the QP's
 * state from the kernel, and its peer's QP number too once the kernel
 * knows it; rdmaovl_update() is accepted before the QP's RTR transition
 * (so the entry carries the peer before the first frame) and afterwards
 * only with the kernel's value.  False after any other call or a
 * failure. */
bool
rdmaovl_qp_checked(const struct rdmaovl *ovl)
{
    return ovl->qp_checked;
}

/* Returns the current time in ms, from a monotonic clock. */
static long long int
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until 'fd' is ready for 'events' or 'deadline' (ms, LLONG_MAX for
 * never) passes.  Returns 0, ETIMEDOUT or another errno value. */
static int
wait_fd(int fd, short events, long long int deadline)
{
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = events };
        long long int left = deadline == LLONG_MAX ? -1 : deadline - now_ms();
        int n;

        if (deadline != LLONG_MAX && left <= 0) {
            return ETIMEDOUT;
        }
        n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int) left);
        if (n > 0) {
            return 0;
        } else if (n < 0 && errno != EINTR) {
            return errno;
        }
    }
}

/* Sends all of 's' on 'ovl'.  Returns 0 or a positive errno value. */
static int
send_all(struct rdmaovl *ovl, const char *s, long long int deadline)
{
    size_t len = strlen(s), ofs = 0;

    while (ofs < len) {
        ssize_t n = send(ovl->fd, s + ofs, len - ofs,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n > 0) {
            ofs += n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            int error = wait_fd(ovl->fd, POLLOUT, deadline);

            if (error) {
                return error;
            }
        } else {
            return n < 0 && errno != EPIPE ? errno : ECONNRESET;
        }
    }
    return 0;
}

/* Receives the next complete JSON message on 'ovl' into '*msgp'.  Returns
 * 0 or a positive errno value. */
static int
recv_msg(struct rdmaovl *ovl, struct json_object **msgp,
         long long int deadline)
{
    *msgp = NULL;
    for (;;) {
        /* Parse what is buffered. */
        while (ovl->buf_len) {
            struct json_object *obj;
            size_t used;

            obj = json_tokener_parse_ex(ovl->tok, ovl->buf + ovl->buf_ofs,
                                        ovl->buf_len);
            used = json_tokener_get_parse_end(ovl->tok);
            if (obj) {
                ovl->buf_ofs += used;
                ovl->buf_len -= used;
                json_tokener_reset(ovl->tok);
                *msgp = obj;
                return 0;
            } else if (json_tokener_get_error(ovl->tok)
                       != json_tokener_continue) {
                set_error(ovl, "ovs-rdmad sent malformed JSON (%s)",
                          json_tokener_error_desc(
                              json_tokener_get_error(ovl->tok)));
                json_tokener_reset(ovl->tok);
                ovl->buf_len = 0;
                return EPROTO;
            }
            ovl->buf_len = 0;   /* All consumed, object incomplete. */
        }

        /* Read more. */
        ssize_t n = recv(ovl->fd, ovl->buf, sizeof ovl->buf, MSG_DONTWAIT);
        if (n > 0) {
            ovl->buf_ofs = 0;
            ovl->buf_len = n;
        } else if (n == 0) {
            return ECONNRESET;
        } else if (errno == EAGAIN || errno == EINTR) {
            int error = wait_fd(ovl->fd, POLLIN, deadline);

            if (error) {
                return error;
            }
        } else {
            return errno;
        }
    }
}

/* Sends request 'method' with 'params' (which it takes) and waits for its
 * reply.  On success stores the reply's "result" in '*resultp' (the caller
 * puts it) and returns 0.  Returns EREMOTEIO, with the message in
 * ovl->error, if ovs-rdmad answered with an error. */
static int
transact(struct rdmaovl *ovl, const char *method, struct json_object *params,
         struct json_object **resultp)
{
    long long int deadline = (ovl->timeout_ms < 0 ? LLONG_MAX
                              : now_ms() + ovl->timeout_ms);
    struct json_object *request = json_object_new_object();
    uint64_t id = ovl->next_id++;
    int error;

    *resultp = NULL;
    ovl->error[0] = '\0';
    json_object_object_add(request, "method", json_object_new_string(method));
    json_object_object_add(request, "params", params);
    json_object_object_add(request, "id", json_object_new_int64(id));
    error = send_all(ovl, json_object_to_json_string_ext(
                         request, JSON_C_TO_STRING_PLAIN), deadline);
    json_object_put(request);
    if (error) {
        goto out;
    }

    for (;;) {
        struct json_object *reply, *reply_id, *result, *err;

        error = recv_msg(ovl, &reply, deadline);
        if (error) {
            goto out;
        }
        if (!json_object_object_get_ex(reply, "id", &reply_id)
            || json_object_get_type(reply_id) != json_type_int
            || (uint64_t) json_object_get_int64(reply_id) != id) {
            /* Not the reply to this request (e.g. a notification). */
            json_object_put(reply);
            continue;
        }
        if (json_object_object_get_ex(reply, "error", &err)
            && err && json_object_get_type(err) != json_type_null) {
            set_error(ovl, "%s",
                      (json_object_get_type(err) == json_type_string
                       ? json_object_get_string(err)
                       : json_object_to_json_string(err)));
            error = EREMOTEIO;
        } else if (json_object_object_get_ex(reply, "result", &result)) {
            *resultp = json_object_get(result);
        } else {
            set_error(ovl, "reply to \"%s\" has neither result nor error",
                      method);
            error = EPROTO;
        }
        json_object_put(reply);
        goto out;
    }

out:
    if (error && error != EREMOTEIO && !ovl->error[0]) {
        set_error(ovl, "%s", strerror(error));
    }
    return error;
}

/* Returns 'req' as the single-object params array of a request, with the
 * bind-only members if 'bind'. */
static struct json_object *
request_params(const struct rdmaovl_request *req, bool bind)
{
    struct json_object *o = json_object_new_object();
    struct json_object *params = json_object_new_array();

    json_object_object_add(o, "dst_ip",
                           json_object_new_string(req->dst_ip
                                                  ? req->dst_ip : ""));
    if (req->dst_mac) {
        json_object_object_add(o, "dst_mac",
                               json_object_new_string(req->dst_mac));
    }
    if (req->src_ip) {
        json_object_object_add(o, "src_ip",
                               json_object_new_string(req->src_ip));
    }
    if (bind) {
        if (req->qpn) {
            json_object_object_add(o, "qpn", json_object_new_int64(req->qpn));
        }
        if (req->remote_qpn) {
            json_object_object_add(o, "remote_qpn",
                                   json_object_new_int64(req->remote_qpn));
        }
        if (req->has_cm_id) {
            char s[24];

            /* As a string: ovs-rdmad reads JSON integers above INT64_MAX
             * as reals. */
            snprintf(s, sizeof s, "%"PRIu64, req->cm_id);
            json_object_object_add(o, "cm_id", json_object_new_string(s));
        }
        if (req->persistent) {
            json_object_object_add(o, "persistent",
                                   json_object_new_boolean(1));
        }
    }
    json_object_array_add(params, o);
    return params;
}

/* Copies string member 'name' of 'o' into 'dst' of 'size' bytes ("" if
 * absent). */
static void
get_string(struct json_object *o, const char *name, char *dst, size_t size)
{
    struct json_object *v;

    dst[0] = '\0';
    if (json_object_object_get_ex(o, name, &v)
        && json_object_get_type(v) == json_type_string) {
        snprintf(dst, size, "%s", json_object_get_string(v));
    }
}

/* Returns integer member 'name' of 'o', 0 if absent. */
static uint64_t
get_uint(struct json_object *o, const char *name)
{
    struct json_object *v;

    if (json_object_object_get_ex(o, name, &v)
        && json_object_get_type(v) == json_type_int) {
        return (uint64_t) json_object_get_int64(v);
    }
    return 0;
}

/* Fills '*e' from 'o', a binding or resolution object. */
static void
parse_entry(struct json_object *o, struct rdmaovl_entry *e)
{
    memset(e, 0, sizeof *e);
    e->cm_id = get_uint(o, "cm_id");
    e->qpn = get_uint(o, "qpn");
    e->remote_qpn = get_uint(o, "remote_qpn");
    e->generation = get_uint(o, "generation");
    get_string(o, "state", e->state, sizeof e->state);
    get_string(o, "reason", e->reason, sizeof e->reason);
    get_string(o, "tunnel", e->tunnel, sizeof e->tunnel);
    get_string(o, "type", e->type, sizeof e->type);
    e->vni = get_uint(o, "vni");
    e->udp_src = get_uint(o, "udp_src");
    e->udp_dst = get_uint(o, "udp_dst");
    get_string(o, "local_ip", e->local_ip, sizeof e->local_ip);
    get_string(o, "remote_ip", e->remote_ip, sizeof e->remote_ip);
    get_string(o, "local_mac", e->local_mac, sizeof e->local_mac);
    get_string(o, "nexthop_mac", e->nexthop_mac, sizeof e->nexthop_mac);
    e->vlan = get_uint(o, "vlan");
    e->underlay_mtu = get_uint(o, "underlay_mtu");
    e->path_mtu = get_uint(o, "path_mtu");
    get_string(o, "inner_src_ip", e->inner_src_ip, sizeof e->inner_src_ip);
    get_string(o, "inner_dst_ip", e->inner_dst_ip, sizeof e->inner_dst_ip);
}

/* Sends request 'method' with 'params' (which it takes) and stores the
 * entry that it returns in '*e'. */
static int
transact_entry(struct rdmaovl *ovl, const char *method,
               struct json_object *params, struct rdmaovl_entry *e)
{
    struct json_object *result;
    int error;

    memset(e, 0, sizeof *e);
    ovl->qp_checked = false;
    error = transact(ovl, method, params, &result);
    if (!error) {
        if (json_object_get_type(result) == json_type_object) {
            struct json_object *v;

            parse_entry(result, e);
            /* ovs-rdmad gives a QP's state only when the kernel shows it. */
            ovl->qp_checked = json_object_object_get_ex(result, "qp_state",
                                                        &v);
        } else {
            set_error(ovl, "\"%s\" returned no object", method);
            error = EPROTO;
        }
        json_object_put(result);
    }
    return error;
}

/* Asks which tunnel and tuple a connection described by 'req' would get,
 * without binding it, and stores the answer in '*e': 'state' "ready", or
 * "pending" with the 'reason'. */
int
rdmaovl_resolve(struct rdmaovl *ovl, const struct rdmaovl_request *req,
                struct rdmaovl_entry *e)
{
    return transact_entry(ovl, "resolve", request_params(req, false), e);
}

/* Binds the connection described by 'req' and stores its entry in '*e'.
 * The connection may come back "pending" (e.g. the underlay neighbour is
 * not known yet): ovs-rdmad installs it as soon as it can. */
int
rdmaovl_bind(struct rdmaovl *ovl, const struct rdmaovl_request *req,
             struct rdmaovl_entry *e)
{
    return transact_entry(ovl, "bind", request_params(req, true), e);
}

/* Updates connection 'cm_id' with the peer's QP number, once known (when
 * the QP moves to RTR): the protocol's "update".  Stores the updated entry
 * in '*e'. */
int
rdmaovl_update(struct rdmaovl *ovl, uint64_t cm_id, uint32_t remote_qpn,
               struct rdmaovl_entry *e)
{
    struct json_object *params = json_object_new_array();
    struct json_object *o = json_object_new_object();
    char s[24];

    snprintf(s, sizeof s, "%"PRIu64, cm_id);
    json_object_object_add(o, "cm_id", json_object_new_string(s));
    json_object_object_add(o, "remote_qpn",
                           json_object_new_int64(remote_qpn));
    json_object_array_add(params, o);
    return transact_entry(ovl, "update", params, e);
}

/* The name rdmaovl_update() had in librdmaovl 0.1.0, kept so that programs
 * linked against that release keep working.  New code calls
 * rdmaovl_update(). */
int
rdmaovl_set_remote_qpn(struct rdmaovl *ovl, uint64_t cm_id,
                       uint32_t remote_qpn, struct rdmaovl_entry *e)
{
    return rdmaovl_update(ovl, cm_id, remote_qpn, e);
}

/* Unbinds connection 'cm_id' of this vport. */
int
rdmaovl_unbind(struct rdmaovl *ovl, uint64_t cm_id)
{
    struct json_object *params = json_object_new_array();
    struct json_object *o = json_object_new_object();
    struct json_object *result;
    char s[24];
    int error;

    snprintf(s, sizeof s, "%"PRIu64, cm_id);
    json_object_object_add(o, "cm_id", json_object_new_string(s));
    json_object_array_add(params, o);
    error = transact(ovl, "unbind", params, &result);
    json_object_put(result);
    return error;
}

/* Stores this vport's connections in '*entriesp', a malloc'd array the
 * caller frees, and their number in '*n_entriesp'. */
int
rdmaovl_list(struct rdmaovl *ovl, struct rdmaovl_entry **entriesp,
             size_t *n_entriesp)
{
    struct json_object *result, *bindings;
    int error;
    size_t i, n;

    *entriesp = NULL;
    *n_entriesp = 0;
    error = transact(ovl, "list", json_object_new_array(), &result);
    if (error) {
        return error;
    }
    if (!json_object_object_get_ex(result, "bindings", &bindings)
        || json_object_get_type(bindings) != json_type_array) {
        set_error(ovl, "\"list\" returned no \"bindings\" array");
        json_object_put(result);
        return EPROTO;
    }
    n = json_object_array_length(bindings);
    *entriesp = calloc(n ? n : 1, sizeof **entriesp);
    if (!*entriesp) {
        json_object_put(result);
        return ENOMEM;
    }
    for (i = 0; i < n; i++) {
        parse_entry(json_object_array_get_idx(bindings, i), &(*entriesp)[i]);
    }
    *n_entriesp = n;
    json_object_put(result);
    return 0;
}

/* Sends any request: 'method' with 'params', a JSON array in text form
 * (NULL for "[]").  On success stores the result as JSON text in
 * '*resultp' (the caller frees it). */
int
rdmaovl_call(struct rdmaovl *ovl, const char *method, const char *params,
             char **resultp)
{
    struct json_object *p, *result;
    int error;

    *resultp = NULL;
    p = json_tokener_parse(params ? params : "[]");
    if (!p || json_object_get_type(p) != json_type_array) {
        json_object_put(p);
        set_error(ovl, "the parameters must be a JSON array");
        return EINVAL;
    }
    error = transact(ovl, method, p, &result);
    if (!error) {
        *resultp = strdup(json_object_to_json_string_ext(
                              result, JSON_C_TO_STRING_PLAIN));
        json_object_put(result);
        if (!*resultp) {
            return ENOMEM;
        }
    }
    return error;
}
