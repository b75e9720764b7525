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

#include "coverage.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rdma-ack.h"
#include "rdma-engine.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "util.h"

/* The tenants' requests: one JSON-RPC message from a tenant socket in,
 * the engine calls it asks for and the reply out
 * (rdma_tenant_handle_message()).  The sockets and connections that carry
 * the messages are rdma-tenant.c's. */

VLOG_DEFINE_THIS_MODULE(rdma_tenant_request);

COVERAGE_DEFINE(rdma_tenant_request);

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

/* Handles "resolve" and "bind" on vport 'vport' for tenant connection
 * 'owner'.  Returns the result of a resolve; stores a bind's binding in
 * '*boundp' (the result is its JSON) and returns NULL; or returns NULL
 * after storing an error message in '*errorp'. */
static struct json *
handle_resolve_or_bind(struct rdma_engine *e, const char *vport,
                       uint64_t owner, const struct jsonrpc_msg *request,
                       bool bind, const struct rdma_binding **boundp,
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
                                      ? "dst_mac src_ip qpn remote_qpn cm_id "
                                        "persistent"
                                      : "dst_mac src_ip"), &req);
    if (*errorp) {
        return NULL;
    }
    req.owner = owner;
    if (bind) {
        struct rdma_binding *b;

        *errorp = rdma_engine_bind(e, &req, &b);
        if (!*errorp) {
            VLOG_DBG("vport %s: tenant bound cm_id %"PRIu64, vport,
                     b->cm_id);
            *boundp = b;
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

/* Sets member 'name' of 'req' from the required member of the same name
 * of 'param', a JSON integer or a string, with the checks every request
 * gets (rdma_request_set_json()).  Returns NULL or an error message
 * (caller frees). */
static char *
param_set(struct rdma_request *req, const struct json *param,
          const char *name)
{
    const struct json *j = shash_find_data(json_object(param), name);

    if (!j || (j->type != JSON_INTEGER && j->type != JSON_STRING)) {
        return xasprintf("\"%s\" (an integer or a string) is required",
                         name);
    }
    return rdma_request_set_json(req, name, j);
}

/* Handles "update" on vport 'vport': {"cm_id": N, "remote_qpn": N}.
 * Stores the binding in '*boundp' (the result is its JSON), or an error
 * message in '*errorp'. */
static void
handle_update(struct rdma_engine *e, const char *vport,
              const struct jsonrpc_msg *request,
              const struct rdma_binding **boundp, char **errorp)
{
    const struct json *param = object_param(request, errorp);
    struct rdma_request req;
    struct rdma_binding *b;

    if (!param) {
        return;
    }
    if (shash_count(json_object(param)) != 2) {
        *errorp = xstrdup("\"update\" takes {\"cm_id\": N, "
                          "\"remote_qpn\": N} and nothing else");
        return;
    }
    memset(&req, 0, sizeof req);
    *errorp = param_set(&req, param, "cm_id");
    if (!*errorp) {
        *errorp = param_set(&req, param, "remote_qpn");
    }
    if (!*errorp) {
        *errorp = rdma_engine_update(e, vport, req.cm_id, req.remote_qpn,
                                     &b);
    }
    if (!*errorp) {
        *boundp = b;
    }
}

/* Handles "unbind" on vport 'vport', storing the cm_id it names in
 * '*cm_idp'.  Returns the result, or NULL after storing an error message in
 * '*errorp'. */
static struct json *
handle_unbind(struct rdma_engine *e, const char *vport,
              const struct jsonrpc_msg *request, uint64_t *cm_idp,
              char **errorp)
{
    const struct json *param = object_param(request, errorp);
    struct rdma_request req;

    if (!param) {
        return NULL;
    }
    if (shash_count(json_object(param)) != 1) {
        *errorp = xstrdup("\"unbind\" takes {\"cm_id\": N} and nothing "
                          "else");
        return NULL;
    }
    memset(&req, 0, sizeof req);
    *errorp = param_set(&req, param, "cm_id");
    if (!*errorp) {
        /* A tenant only ever names its own vport's connections. */
        *cm_idp = req.cm_id;
        *errorp = rdma_engine_unbind(e, vport, req.cm_id);
    }
    if (*errorp) {
        return NULL;
    }
    VLOG_DBG("vport %s: tenant unbound cm_id %"PRIu64, vport, req.cm_id);
    return json_object_create();
}

/* Handles 'request', received on vport 'vport''s socket over tenant
 * connection 'owner', and returns the reply, or NULL if the reply's result
 * is binding '*boundp' (a bind or an update: the caller writes it as text,
 * rdma_binding_put_json()).  If the request changed the QP map, says so in
 * '*change' (see rdma_tenant_handle_message()). */
static struct jsonrpc_msg *
handle_request(struct rdma_engine *e, const char *vport, uint64_t owner,
               const struct jsonrpc_msg *request,
               struct rdma_tenant_change *change,
               const struct rdma_binding **boundp)
{
    enum rdma_ack_op op = RDMA_ACK_REFRESH;
    const char *method = request->method;
    struct json *result = NULL;
    uint64_t unbound = 0;
    char *error = NULL;

    *boundp = NULL;

    COVERAGE_INC(rdma_tenant_request);
    if (!strcmp(method, "resolve") || !strcmp(method, "bind")) {
        result = handle_resolve_or_bind(e, vport, owner, request,
                                        !strcmp(method, "bind"), boundp,
                                        &error);
        op = !strcmp(method, "bind") ? RDMA_ACK_BIND : op;
    } else if (!strcmp(method, "unbind")) {
        result = handle_unbind(e, vport, request, &unbound, &error);
        op = RDMA_ACK_UNBIND;
    } else if (!strcmp(method, "update")) {
        handle_update(e, vport, request, boundp, &error);
        op = RDMA_ACK_UPDATE;
    } else if (!strcmp(method, "list")) {
        if (json_array(request->params)->n) {
            error = xstrdup("\"list\" takes no parameters");
        } else {
            result = rdma_qp_map_to_json(rdma_engine_get_map(e), NULL, NULL,
                                         vport);
        }
    } else if (!strcmp(method, "echo")) {
        result = json_clone(request->params);
    } else {
        error = xasprintf("unknown method \"%s\" (methods: resolve, bind, "
                          "update, unbind, list, echo)", method);
    }

    if (error) {
        return jsonrpc_create_error(json_string_create_nocopy(error),
                                    request->id);
    }
    if (op != RDMA_ACK_REFRESH) {
        change->changed = true;
        change->op = op;
        /* (A bind or an update that succeeded set '*boundp'.) */
        change->cm_id = op == RDMA_ACK_UNBIND ? unbound : (*boundp)->cm_id;
        change->id = json_clone(request->id);
    }
    return *boundp ? NULL : jsonrpc_create_reply(result, request->id);
}

/* Appends to 'reply' the JSON-RPC reply with id 'id' whose result is
 * binding 'b', as text: what jsonrpc_msg_to_json() and json_to_ds() would
 * write for rdma_binding_to_json(b), without building either tree (they
 * were a third of a pipelined bind's CPU time). */
static void
put_binding_reply(const struct json *id, const struct rdma_binding *b,
                  struct ds *reply)
{
    ds_put_cstr(reply, "{\"id\":");
    json_to_ds(id, 0, reply);
    ds_put_cstr(reply, ",\"result\":");
    rdma_binding_put_json(b, reply);
    ds_put_cstr(reply, ",\"error\":null}");
}

/* Handles one complete message, the 'len' bytes at 'text', that 'scanner'
 * has just scanned, received on vport 'vport''s socket over the tenant
 * connection 'owner' (nonzero; the bindings it makes are released when
 * rdma_engine_release_owner() is called for it).  Appends the reply, if
 * any, to 'reply'.  Returns 0, or a positive errno value if the connection
 * must be closed (a message that is not JSON-RPC), with a message in
 * '*errorp' (caller frees).
 *
 * If the request changed the QP map (a bind, unbind or update that
 * succeeded), sets 'change->changed' and says which connection, with the
 * request's id in 'change->id' (caller frees): the daemon then holds the
 * reply until the change is saved (rdma-ack.h).  Else 'change->changed' is
 * false and 'change->id' NULL.
 *
 * This is the whole of a tenant request's handling after framing: the
 * daemon uses it, and so does the fuzzing harness. */
int
rdma_tenant_handle_message(struct rdma_engine *e, const char *vport,
                           uint64_t owner,
                           const struct rdma_json_scanner *scanner,
                           const char *text, size_t len, struct ds *reply,
                           struct rdma_tenant_change *change, char **errorp)
{
    struct json_parser *parser;
    const struct rdma_binding *bound = NULL;
    struct jsonrpc_msg *msg, *answer;
    struct json *json;
    char *check, *error;

    *errorp = NULL;
    memset(change, 0, sizeof *change);
    parser = json_parser_create(0);
    json_parser_feed(parser, text, len);
    json = json_parser_finish(parser);
    if (json->type == JSON_STRING) {
        *errorp = xasprintf("not JSON: %s", json_string(json));
        json_destroy(json);
        return EPROTO;
    }
    check = rdma_request_check_message(scanner, json);
    error = jsonrpc_msg_from_json(json, &msg);
    if (error) {
        *errorp = error;
        free(check);
        return EPROTO;
    }
    if (msg->type == JSONRPC_NOTIFY) {
        free(check);
        jsonrpc_msg_destroy(msg);
        return 0;
    } else if (msg->type != JSONRPC_REQUEST) {
        *errorp = xasprintf("unexpected %s message",
                            jsonrpc_msg_type_to_string(msg->type));
        free(check);
        jsonrpc_msg_destroy(msg);
        return EPROTO;
    }
    answer = (check
              ? jsonrpc_create_error(json_string_create_nocopy(check),
                                     msg->id)
              : handle_request(e, vport, owner, msg, change, &bound));
    if (answer) {
        json = jsonrpc_msg_to_json(answer);
        json_to_ds(json, 0, reply);
        json_destroy(json);
    } else {
        put_binding_reply(msg->id, bound, reply);
    }
    jsonrpc_msg_destroy(msg);
    return 0;
}
