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
#include "rdma-appctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-qp-map.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

/* Largest QP number (24 bits). */
#define QPN_MAX 0xffffff

/* Parses 's' as a decimal or 0x-hex integer no greater than 'max' into
 * '*n'.  Returns true on success. */
static bool
parse_uint(const char *s, uint64_t max, uint64_t *n)
{
    char *end;

    if (!*s || *s == '-') {
        return false;
    }
    errno = 0;
    *n = strtoull(s, &end, 0);
    return !errno && !*end && *n <= max;
}

/* Returns true if 'key' is one of the space-separated words in 'keys'. */
static bool
key_allowed(const char *keys, const char *key)
{
    size_t len = strlen(key);
    const char *p;

    for (p = strstr(keys, key); len && p; p = strstr(p + 1, key)) {
        if ((p == keys || p[-1] == ' ') && (!p[len] || p[len] == ' ')) {
            return true;
        }
    }
    return false;
}

/* Parses "VPORT DST_IP [key=value]..." in argv[1...argc-1] into '*req',
 * accepting the keys in 'keys' (a space-separated list).  Returns NULL or
 * an error message (caller frees). */
static char *
parse_request(int argc, const char *argv[], const char *keys,
              struct rdma_request *req)
{
    int i;

    memset(req, 0, sizeof *req);
    req->vport = argv[1];
    if (!rdma_ip_parse(argv[2], &req->dst_ip)) {
        return xasprintf("\"%s\" is not a valid destination IP address",
                         argv[2]);
    }
    for (i = 3; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        const char *value = eq ? eq + 1 : "";
        char *key = eq ? xmemdup0(argv[i], eq - argv[i]) : xstrdup(argv[i]);
        char *error = NULL;
        uint64_t n;

        if (!eq || !key_allowed(keys, key)) {
            error = xasprintf("unknown argument \"%s\" (expected "
                              "key=value with key one of: %s)", argv[i],
                              keys);
        } else if (!strcmp(key, "dst_mac")) {
            if (!eth_addr_from_string(value, &req->dst_mac)
                || eth_addr_is_zero(req->dst_mac)
                || eth_addr_is_multicast(req->dst_mac)) {
                error = xasprintf("\"%s\" is not a valid unicast MAC "
                                  "address", value);
            }
            req->has_dst_mac = true;
        } else if (!strcmp(key, "src_ip")) {
            if (!rdma_ip_parse(value, &req->src_ip)) {
                error = xasprintf("\"%s\" is not a valid source IP "
                                  "address", value);
            }
            req->has_src_ip = true;
        } else if (!strcmp(key, "qpn")) {
            if (!parse_uint(value, QPN_MAX, &n) || !n) {
                error = xasprintf("qpn \"%s\" is not a QP number (1 to %d)",
                                  value, QPN_MAX);
            }
            req->qpn = n;
            req->has_qpn = true;
        } else if (!strcmp(key, "remote_qpn")) {
            if (!parse_uint(value, QPN_MAX, &n) || !n) {
                error = xasprintf("remote_qpn \"%s\" is not a QP number "
                                  "(1 to %d)", value, QPN_MAX);
            }
            req->remote_qpn = n;
        } else if (!strcmp(key, "cm_id")) {
            if (!parse_uint(value, UINT64_MAX, &n)) {
                error = xasprintf("cm_id \"%s\" is not a non-negative "
                                  "integer", value);
            }
            req->cm_id = n;
            req->has_cm_id = true;
        }
        free(key);
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Replies to 'conn' with 'error' and frees it. */
static void
reply_error(struct unixctl_conn *conn, char *error)
{
    unixctl_command_reply_error(conn, error);
    free(error);
}

/* "rdma/resolve VPORT DST_IP [dst_mac=MAC] [src_ip=IP]": dry run. */
static void
rdma_appctl_resolve(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct rdma_request req;
    char *error;

    error = parse_request(argc, argv, "dst_mac src_ip", &req);
    if (!error) {
        error = rdma_engine_resolve(engine, &req, &ds);
    }
    if (error) {
        reply_error(conn, error);
    } else {
        unixctl_command_reply(conn, ds_cstr(&ds));
    }
    ds_destroy(&ds);
}

/* "rdma/bind VPORT DST_IP [dst_mac=MAC] [src_ip=IP] [qpn=N] [cm_id=N]
 * [remote_qpn=N]": binds a connection and prints its entry. */
static void
rdma_appctl_bind(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct rdma_binding *b = NULL;
    struct rdma_request req;
    char *error;

    error = parse_request(argc, argv,
                          "dst_mac src_ip qpn cm_id remote_qpn", &req);
    if (!error) {
        error = rdma_engine_bind(engine, &req, &b);
    }
    if (error) {
        reply_error(conn, error);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_binding_format(b, &ds);
        ds_put_char(&ds, '\n');
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
    }
}

/* "rdma/unbind CM_ID": removes a binding and its NIC entry. */
static void
rdma_appctl_unbind(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[], void *engine_)
{
    struct rdma_engine *engine = engine_;
    char *error;
    uint64_t cm_id;

    if (!parse_uint(argv[1], UINT64_MAX, &cm_id)) {
        reply_error(conn, xasprintf("cm_id \"%s\" is not a non-negative "
                                    "integer", argv[1]));
        return;
    }
    error = rdma_engine_unbind(engine, cm_id);
    if (error) {
        reply_error(conn, error);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

/* "rdma/refresh": recomputes every path and binding now and reports what
 * it cost. */
static void
rdma_appctl_refresh(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct rdma_engine_stats before = engine->stats;
    const struct rdma_engine_stats *after = &engine->stats;
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_engine_refresh(engine);
    ds_put_format(&ds, "refreshed %"PRIuSIZE" bindings: %"PRIu64" installed, "
                  "%"PRIu64" modified, %"PRIu64" removed, %"PRIu64" NIC "
                  "errors\n", rdma_qp_map_count(engine->map),
                  after->n_install - before.n_install,
                  after->n_modify - before.n_modify,
                  after->n_remove - before.n_remove,
                  after->n_nic_errors - before.n_nic_errors);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* "rdma/show-qp-map [--json] [VPORT]": prints the QP map, or only VPORT's
 * bindings, as text or as JSON. */
static void
rdma_appctl_show_qp_map(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *engine_)
{
    const struct rdma_engine *engine = engine_;
    const char *vport = NULL;
    bool json = false;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (argv[i][0] == '-') {
            reply_error(conn, xasprintf("unknown option \"%s\" (usage: "
                                        "rdma/show-qp-map [--json] "
                                        "[VPORT])", argv[i]));
            return;
        } else if (!vport) {
            vport = argv[i];
        } else {
            unixctl_command_reply_error(conn, "at most one VPORT may be "
                                        "given (usage: rdma/show-qp-map "
                                        "[--json] [VPORT])");
            return;
        }
    }

    if (json) {
        struct json *j = rdma_qp_map_to_json(engine->map, vport);
        char *s = json_to_string(j, JSSF_PRETTY | JSSF_SORT);

        unixctl_command_reply(conn, s);
        free(s);
        json_destroy(j);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_qp_map_format(engine->map, vport, &ds);
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
    }
}

/* Registers the admin commands, which operate on 'engine'. */
void
rdma_appctl_init(struct rdma_engine *engine)
{
    unixctl_command_register("rdma/show-qp-map", "[--json] [VPORT]", 0, 2,
                             rdma_appctl_show_qp_map, engine);
    unixctl_command_register("rdma/resolve",
                             "VPORT DST_IP [dst_mac=MAC] [src_ip=IP]", 2, 4,
                             rdma_appctl_resolve, engine);
    unixctl_command_register("rdma/bind",
                             "VPORT DST_IP [dst_mac=MAC] [src_ip=IP] [qpn=N] "
                             "[cm_id=N] [remote_qpn=N]", 2, 7,
                             rdma_appctl_bind, engine);
    unixctl_command_register("rdma/unbind", "CM_ID", 1, 1,
                             rdma_appctl_unbind, engine);
    unixctl_command_register("rdma/refresh", "", 0, 0,
                             rdma_appctl_refresh, engine);
}
