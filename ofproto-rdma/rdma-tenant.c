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

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage.h"
#include "hash.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "stream.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_tenant);

COVERAGE_DEFINE(rdma_tenant_request);

/* Most connections one vport's socket accepts at once, so that a tenant
 * cannot exhaust the daemon's file descriptors. */
#define MAX_CONNS_PER_VPORT 64

/* Most requests handled per connection per main-loop iteration. */
#define MAX_REQUESTS_PER_RUN 50

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* One vport's listening socket. */
struct tenant_socket {
    struct hmap_node node;      /* In rdma_tenant's 'sockets', by vport. */
    char *vport;                /* The vport it serves. */
    struct pstream *pstream;    /* The listener. */
    struct ovs_list conns;      /* "struct tenant_conn"s. */
    size_t n_conns;             /* Length of 'conns'. */
};

/* A connection from a tenant. */
struct tenant_conn {
    struct ovs_list node;       /* In its socket's 'conns'. */
    struct tenant_socket *socket; /* The socket it came in on. */
    struct jsonrpc *rpc;        /* The connection. */
};

/* The tenants' front end. */
struct rdma_tenant {
    struct rdma_engine *engine; /* What requests act on; not owned. */
    char *dir;                  /* Where the sockets are. */
    struct hmap sockets;        /* "struct tenant_socket"s. */
    unsigned int idl_seqno;     /* Engine configuration last synced. */
    bool synced;                /* Whether synced at all. */
    bool dir_ok;                /* Whether 'dir' exists. */
};

/* Creates the tenants' front end for 'engine', with its sockets in 'dir'
 * (NULL for $OVS_RUNDIR/ovs-rdmad).  Sockets appear at the first
 * rdma_tenant_run() after the engine has read the database. */
struct rdma_tenant *
rdma_tenant_create(struct rdma_engine *engine, const char *dir)
{
    struct rdma_tenant *t = xzalloc(sizeof *t);

    t->engine = engine;
    t->dir = (dir ? abs_file_name(NULL, dir)
              : xasprintf("%s/ovs-rdmad", ovs_rundir()));
    hmap_init(&t->sockets);
    return t;
}

/* Closes 'c' and frees it. */
static void
conn_destroy(struct tenant_conn *c)
{
    ovs_list_remove(&c->node);
    c->socket->n_conns--;
    jsonrpc_close(c->rpc);
    free(c);
}

/* Returns the socket for 'vport', or NULL. */
static struct tenant_socket *
find_socket(const struct rdma_tenant *t, const char *vport)
{
    struct tenant_socket *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(vport, 0), &t->sockets) {
        if (!strcmp(s->vport, vport)) {
            return s;
        }
    }
    return NULL;
}

/* Closes socket 's' (which removes its file) and its connections. */
static void
socket_destroy(struct rdma_tenant *t, struct tenant_socket *s)
{
    struct tenant_conn *c;

    LIST_FOR_EACH_SAFE (c, node, &s->conns) {
        conn_destroy(c);
    }
    hmap_remove(&t->sockets, &s->node);
    pstream_close(s->pstream);
    free(s->vport);
    free(s);
}

/* Returns true if 'name' can be a socket file name in 't''s directory. */
static bool
is_safe_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* Opens the socket for 'vport'. */
static void
socket_create(struct rdma_tenant *t, const char *vport)
{
    struct tenant_socket *s;
    struct pstream *pstream;
    char *name;
    int error;

    if (!is_safe_name(vport)) {
        VLOG_WARN_RL(&rl, "vport %s: no tenant socket (the name cannot be "
                     "a file name)", vport);
        return;
    }
    name = xasprintf("punix:%s/%s.sock", t->dir, vport);
    error = pstream_open(name, &pstream, 0);
    if (error) {
        VLOG_WARN_RL(&rl, "vport %s: cannot listen on %s (%s)", vport,
                     name + 6, ovs_strerror(error));
        free(name);
        return;
    }
    VLOG_INFO("vport %s: tenant socket %s", vport, name + 6);
    free(name);

    s = xzalloc(sizeof *s);
    s->vport = xstrdup(vport);
    s->pstream = pstream;
    ovs_list_init(&s->conns);
    hmap_insert(&t->sockets, &s->node, hash_string(vport, 0));
}

/* Makes the sockets match the engine's RDMA vports. */
static void
sync_sockets(struct rdma_tenant *t)
{
    const struct rdma_mapping *cfg = &t->engine->cfg;
    const struct rdma_map_vport *vp;
    struct tenant_socket *s;

    if (!t->dir_ok) {
        if (mkdir(t->dir, 0755) && errno != EEXIST) {
            VLOG_WARN_RL(&rl, "%s: cannot create the tenant socket "
                         "directory (%s)", t->dir, ovs_strerror(errno));
            return;
        }
        t->dir_ok = true;
    }
    HMAP_FOR_EACH_SAFE (s, node, &t->sockets) {
        if (!rdma_mapping_find_vport(cfg, s->vport)) {
            VLOG_INFO("vport %s: closing its tenant socket (no longer an "
                      "RDMA vport)", s->vport);
            socket_destroy(t, s);
        }
    }
    HMAP_FOR_EACH (vp, node, &cfg->vports) {
        if (!find_socket(t, vp->name)) {
            socket_create(t, vp->name);
        }
    }
    t->idl_seqno = t->engine->idl_seqno;
    t->synced = true;
}

/* Returns the single object parameter of 'request', or NULL after storing
 * an error message in '*errorp'. */
static const struct json *
object_param(const struct jsonrpc_msg *request, char **errorp)
{
    const struct json_array *params = json_array(request->params);

    if (params->n != 1 || params->elems[0]->type != JSON_OBJECT) {
        *errorp = xasprintf("\"%s\" takes one parameter, a JSON object "
                            "(e.g. [{\"dst_ip\": \"10.1.0.2\"}])",
                            request->method);
        return NULL;
    }
    return params->elems[0];
}

/* Handles "resolve" and "bind" on vport 'vport'.  Returns the result, or
 * NULL after storing an error message in '*errorp'. */
static struct json *
handle_resolve_or_bind(struct rdma_engine *e, const char *vport,
                       const struct jsonrpc_msg *request, bool bind,
                       char **errorp)
{
    const struct json *param = object_param(request, errorp);
    struct rdma_request req;
    struct json *result = NULL;

    if (!param) {
        return NULL;
    }
    *errorp = rdma_request_from_json(param, vport,
                                     (bind
                                      ? "dst_mac src_ip qpn remote_qpn cm_id"
                                      : "dst_mac src_ip"), &req);
    if (*errorp) {
        return NULL;
    }
    if (bind) {
        struct rdma_binding *b;

        *errorp = rdma_engine_bind(e, &req, &b);
        if (!*errorp) {
            VLOG_INFO("vport %s: tenant bound cm_id %"PRIu64, vport,
                      b->cm_id);
            result = rdma_binding_to_json(b);
        }
    } else {
        struct rdma_resolution r;

        *errorp = rdma_engine_resolve(e, &req, &r);
        if (!*errorp) {
            result = rdma_resolution_to_json(&r);
            rdma_resolution_destroy(&r);
        }
    }
    return result;
}

/* Parses member "cm_id" of 'param', a JSON integer or string, into
 * '*cm_id'.  Returns NULL or an error message (caller frees). */
static char *
param_cm_id(const struct json *param, uint64_t *cm_id)
{
    const struct json *j = shash_find_data(json_object(param), "cm_id");

    if (!j || (j->type != JSON_INTEGER && j->type != JSON_STRING)) {
        return xstrdup("\"cm_id\" (an integer or a string) is required");
    }
    if (j->type == JSON_INTEGER) {
        *cm_id = json_integer(j);
        return NULL;
    }
    return rdma_request_parse_cm_id(json_string(j), cm_id);
}

/* Handles "update" on vport 'vport': {"cm_id": N, "remote_qpn": N}.
 * Returns the result, or NULL after storing an error message in
 * '*errorp'. */
static struct json *
handle_update(struct rdma_engine *e, const char *vport,
              const struct jsonrpc_msg *request, char **errorp)
{
    const struct json *param = object_param(request, errorp);
    const struct json *rq;
    struct rdma_binding *b;
    uint64_t cm_id;
    char *s;

    if (!param) {
        return NULL;
    }
    rq = shash_find_data(json_object(param), "remote_qpn");
    if (shash_count(json_object(param)) != 2 || !rq
        || (rq->type != JSON_INTEGER && rq->type != JSON_STRING)) {
        *errorp = xstrdup("\"update\" takes {\"cm_id\": N, "
                          "\"remote_qpn\": N} and nothing else");
        return NULL;
    }
    *errorp = param_cm_id(param, &cm_id);
    if (*errorp) {
        return NULL;
    }
    s = (rq->type == JSON_STRING
         ? xasprintf("remote_qpn=%s", json_string(rq))
         : xasprintf("remote_qpn=%"PRId64, json_integer(rq)));
    {
        struct rdma_request req;

        *errorp = rdma_request_parse_update(s, &req);
        free(s);
        if (*errorp) {
            return NULL;
        }
        *errorp = rdma_engine_set_remote_qpn(e, cm_id, vport,
                                             req.remote_qpn, &b);
    }
    return *errorp ? NULL : rdma_binding_to_json(b);
}

/* Handles "unbind" on vport 'vport'.  Returns the result, or NULL after
 * storing an error message in '*errorp'. */
static struct json *
handle_unbind(struct rdma_engine *e, const char *vport,
              const struct jsonrpc_msg *request, char **errorp)
{
    const struct json *param = object_param(request, errorp);
    const struct rdma_binding *b;
    uint64_t cm_id;

    if (!param) {
        return NULL;
    }
    if (shash_count(json_object(param)) != 1) {
        *errorp = xstrdup("\"unbind\" takes {\"cm_id\": N} and nothing "
                          "else");
        return NULL;
    }
    *errorp = param_cm_id(param, &cm_id);
    if (*errorp) {
        return NULL;
    }

    /* A tenant may only ever touch its own vport's connections. */
    b = rdma_qp_map_find(e->map, cm_id);
    if (!b || strcmp(b->vport->name, vport)) {
        *errorp = xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                            cm_id, vport);
        return NULL;
    }
    *errorp = rdma_engine_unbind(e, cm_id);
    if (*errorp) {
        return NULL;
    }
    VLOG_INFO("vport %s: tenant unbound cm_id %"PRIu64, vport, cm_id);
    return json_object_create();
}

/* Handles 'request', received on vport 'vport''s socket, and returns the
 * reply. */
static struct jsonrpc_msg *
handle_request(struct rdma_tenant *t, const char *vport,
               const struct jsonrpc_msg *request)
{
    const char *method = request->method;
    struct json *result = NULL;
    char *error = NULL;

    COVERAGE_INC(rdma_tenant_request);
    if (!strcmp(method, "resolve") || !strcmp(method, "bind")) {
        result = handle_resolve_or_bind(t->engine, vport, request,
                                        !strcmp(method, "bind"), &error);
    } else if (!strcmp(method, "unbind")) {
        result = handle_unbind(t->engine, vport, request, &error);
    } else if (!strcmp(method, "update")) {
        result = handle_update(t->engine, vport, request, &error);
    } else if (!strcmp(method, "list")) {
        if (json_array(request->params)->n) {
            error = xstrdup("\"list\" takes no parameters");
        } else {
            result = rdma_qp_map_to_json(t->engine->map, NULL, NULL, vport);
        }
    } else if (!strcmp(method, "echo")) {
        result = json_clone(request->params);
    } else {
        error = xasprintf("unknown method \"%s\" (methods: resolve, bind, "
                          "update, unbind, list, echo)", method);
    }

    if (error) {
        struct jsonrpc_msg *reply;

        reply = jsonrpc_create_error(json_string_create_nocopy(error),
                                     request->id);
        return reply;
    }
    return jsonrpc_create_reply(result, request->id);
}

/* Runs connection 'c'.  Returns 0, or a positive errno value if it must be
 * closed. */
static int
conn_run(struct rdma_tenant *t, struct tenant_conn *c)
{
    int i;

    jsonrpc_run(c->rpc);
    for (i = 0; i < MAX_REQUESTS_PER_RUN; i++) {
        struct jsonrpc_msg *msg;
        int error;

        if (jsonrpc_get_backlog(c->rpc)) {
            break;              /* Let the client read its replies first. */
        }
        error = jsonrpc_recv(c->rpc, &msg);
        if (error) {
            return error == EAGAIN ? 0 : error;
        }
        if (msg->type == JSONRPC_REQUEST) {
            jsonrpc_send(c->rpc, handle_request(t, c->socket->vport, msg));
        } else if (msg->type != JSONRPC_NOTIFY) {
            VLOG_WARN_RL(&rl, "vport %s: %s: unexpected %s message",
                         c->socket->vport, jsonrpc_get_name(c->rpc),
                         jsonrpc_msg_type_to_string(msg->type));
            jsonrpc_msg_destroy(msg);
            return EPROTO;
        }
        jsonrpc_msg_destroy(msg);
    }
    return jsonrpc_get_status(c->rpc);
}

/* Accepts new connections on 's' and runs its connections. */
static void
socket_run(struct rdma_tenant *t, struct tenant_socket *s)
{
    struct tenant_conn *c;
    int i;

    for (i = 0; i < 10; i++) {
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
        c->rpc = jsonrpc_open(stream);
        ovs_list_push_back(&s->conns, &c->node);
        s->n_conns++;
    }

    LIST_FOR_EACH_SAFE (c, node, &s->conns) {
        int error = conn_run(t, c);

        if (error) {
            if (error != EOF) {
                VLOG_WARN_RL(&rl, "vport %s: %s: closing the connection "
                             "(%s)", s->vport, jsonrpc_get_name(c->rpc),
                             ovs_retval_to_string(error));
            }
            conn_destroy(c);
        }
    }
}

/* Keeps the sockets in step with the vports and serves requests. */
void
rdma_tenant_run(struct rdma_tenant *t)
{
    struct tenant_socket *s;

    if (t->engine->have_cfg
        && (!t->synced || t->idl_seqno != t->engine->idl_seqno
            || !t->dir_ok)) {
        sync_sockets(t);
    }
    HMAP_FOR_EACH (s, node, &t->sockets) {
        socket_run(t, s);
    }
}

/* Arranges for poll_block() to wake up when a socket or connection needs
 * attention. */
void
rdma_tenant_wait(struct rdma_tenant *t)
{
    struct tenant_socket *s;
    struct tenant_conn *c;

    HMAP_FOR_EACH (s, node, &t->sockets) {
        pstream_wait(s->pstream);
        LIST_FOR_EACH (c, node, &s->conns) {
            jsonrpc_wait(c->rpc);
            if (!jsonrpc_get_backlog(c->rpc)) {
                jsonrpc_recv_wait(c->rpc);
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
            socket_destroy(t, s);
        }
        hmap_destroy(&t->sockets);
        free(t->dir);
        free(t);
    }
}
