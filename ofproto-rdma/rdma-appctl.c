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
#include "rdma-ack.h"
#include "rdma-addr.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "rdma-nic.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-retry.h"
#include "rdma-zero-touch.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

/* Replies to 'conn' with 'error' and frees it. */
static void
reply_error(struct unixctl_conn *conn, char *error)
{
    unixctl_command_reply_error(conn, error);
    free(error);
}

/* A reply held until the state file has the change it confirms. */
struct held_reply {
    struct unixctl_conn *conn;  /* Where it goes. */
    char *text;                 /* The reply, or NULL for none. */
};

/* Sends the held reply 'h_' (see rdma-ack.h). */
static void
send_held(void *h_, const char *error, bool send)
{
    struct held_reply *h = h_;

    if (send) {
        if (error) {
            unixctl_command_reply_error(h->conn, error);
        } else {
            unixctl_command_reply(h->conn, h->text);
        }
    }
    free(h->text);
    free(h);
}

/* Holds reply 'text' (NULL for an empty one; taken over) to 'conn', which
 * confirms 'op' on connection 'cm_id' of 'vport' (NULL for a refresh),
 * until the change is saved. */
static void
hold_reply(struct unixctl_conn *conn, enum rdma_ack_op op, const char *vport,
           uint64_t cm_id, char *text)
{
    struct held_reply *h = xmalloc(sizeof *h);

    h->conn = conn;
    h->text = text;
    rdma_ack_hold(op, vport, cm_id, conn, send_held, h);
}

/* Replies to 'conn' with 'error' (and frees it) if it is nonnull, else,
 * once the change 'op' is saved, with binding 'b' as one line of text. */
static void
reply_binding(struct unixctl_conn *conn, char *error,
              const struct rdma_binding *b, enum rdma_ack_op op)
{
    if (error) {
        reply_error(conn, error);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_binding_format(b, &ds);
        ds_put_char(&ds, '\n');
        hold_reply(conn, op, b->vport->name, b->cm_id, ds_steal_cstr(&ds));
    }
}

/* "rdma/resolve VPORT DST_IP [dst_mac=MAC] [src_ip=IP]": dry run. */
static void
rdma_appctl_resolve(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct rdma_resolution r;
    struct rdma_request req;
    char *error;

    error = rdma_request_from_args(argc, argv, "dst_mac src_ip", &req);
    if (!error) {
        req.admin = true;
        error = rdma_engine_resolve(engine, &req, &r);
    }
    if (error) {
        reply_error(conn, error);
    } else {
        rdma_resolution_format(&r, &ds);
        unixctl_command_reply(conn, ds_cstr(&ds));
        rdma_resolution_destroy(&r);
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

    error = rdma_request_from_args(argc, argv,
                          "dst_mac src_ip qpn cm_id remote_qpn", &req);
    if (!error) {
        req.admin = true;
        error = rdma_engine_bind(engine, &req, &b);
    }
    reply_binding(conn, error, b, RDMA_ACK_BIND);
}

/* "rdma/unbind VPORT/CM_ID": removes a binding and its NIC entry. */
static void
rdma_appctl_unbind(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[], void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct rdma_binding *b;
    char *error;

    error = rdma_engine_find_named(engine, argv[1], &b);
    if (error) {
        reply_error(conn, error);
    } else {
        char *vport = xstrdup(b->vport->name);
        uint64_t cm_id = b->cm_id;

        rdma_engine_release(engine, b);
        hold_reply(conn, RDMA_ACK_UNBIND, vport, cm_id, NULL);
        free(vport);
    }
}

/* "rdma/update VPORT/CM_ID remote_qpn=N": sets a connection's peer QPN
 * and prints its entry. */
static void
rdma_appctl_update(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[], void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct rdma_binding *b = NULL;
    struct rdma_request req;
    char *error;

    error = rdma_engine_find_named(engine, argv[1], &b);
    if (!error) {
        error = rdma_request_parse_update(argv[2], &req);
    }
    if (!error) {
        error = rdma_engine_update(engine, b->vport->name, b->cm_id,
                                   req.remote_qpn, &b);
    }
    reply_binding(conn, error, b, RDMA_ACK_UPDATE);
}

/* "rdma/refresh": recomputes every path and binding now and reports what
 * it cost. */
static void
rdma_appctl_refresh(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *engine_)
{
    struct rdma_engine *engine = engine_;
    struct rdma_engine_stats before = *rdma_engine_get_stats(engine);
    const struct rdma_engine_stats *after = rdma_engine_get_stats(engine);
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_engine_refresh(engine);
    ds_put_format(&ds, "refreshed %"PRIuSIZE" bindings: %"PRIu64" installed, "
                  "%"PRIu64" modified, %"PRIu64" removed, %"PRIu64" NIC "
                  "errors\n", rdma_qp_map_count(rdma_engine_get_map(engine)),
                  after->n_install - before.n_install,
                  after->n_modify - before.n_modify,
                  after->n_remove - before.n_remove,
                  after->n_nic_errors - before.n_nic_errors);
    hold_reply(conn, RDMA_ACK_REFRESH, NULL, 0, ds_steal_cstr(&ds));
}

/* rdma_qp_map_details_func for the admin: the NIC provider's detail. */
static struct json *
nic_details(uint64_t key, void *engine_)
{
    const struct rdma_engine *engine = engine_;
    struct rdma_nic *nic = rdma_engine_get_nic(engine);
    struct json *d;

    return rdma_nic_get_details(nic, key, &d) ? NULL : d;
}

/* The zero-touch watcher, if --bind-mode=zero-touch, else NULL. */
static const struct rdma_zero_touch *zero_touch;

/* Makes "rdma/show-qp-map" also show the kernel connections that 'zt'
 * did not bind. */
void
rdma_appctl_set_zero_touch(const struct rdma_zero_touch *zt)
{
    zero_touch = zt;
}

/* Returns the QP map of 'engine', or only VPORT's bindings if 'vport' is
 * nonnull, as pretty JSON, with the NIC entries still being removed and
 * the kernel's connections not bound.  The caller frees it. */
static char *
show_qp_map_json(const struct rdma_engine *engine, const char *vport)
{
    const struct rdma_retry *retry = rdma_engine_get_retry(engine);
    struct rdma_qp_map *map = rdma_engine_get_map(engine);
    struct json *j = rdma_qp_map_to_json(map, nic_details,
                                         CONST_CAST(void *, engine), vport);
    char *s;

    if (rdma_retry_count(retry, vport)) {
        json_object_put(j, "removing", rdma_retry_to_json(retry, vport));
    }
    if (zero_touch) {
        json_object_put(j, "kernel_not_bound",
                        rdma_zero_touch_unplaced_to_json(zero_touch, vport));
    }
    s = json_to_string(j, JSSF_PRETTY | JSSF_SORT);
    json_destroy(j);
    return s;
}

/* Appends to 'ds' the QP map of 'engine', or only VPORT's bindings if
 * 'vport' is nonnull, as text, with the NIC entries still being removed
 * and the kernel's connections not bound. */
static void
show_qp_map_text(const struct rdma_engine *engine, const char *vport,
                 struct ds *ds)
{
    const struct rdma_retry *retry = rdma_engine_get_retry(engine);
    struct rdma_qp_map *map = rdma_engine_get_map(engine);
    size_t n_removing = rdma_retry_count(retry, vport);

    rdma_qp_map_format(map, vport, nic_details, CONST_CAST(void *, engine),
                       ds);
    if (n_removing) {
        /* The NIC entries still being removed go before the last line,
         * the count, which says how many there are. */
        struct ds count = DS_EMPTY_INITIALIZER;
        const char *last;

        ds_chomp(ds, '\n');
        last = strrchr(ds_cstr(ds), '\n');
        last = last ? last + 1 : ds_cstr(ds);
        ds_put_format(&count, "%s, %"PRIuSIZE" removing\n", last,
                      n_removing);
        ds_truncate(ds, last - ds_cstr(ds));
        rdma_retry_format(retry, vport, ds);
        ds_put_buffer(ds, count.string, count.length);
        ds_destroy(&count);
    }
    if (zero_touch) {
        rdma_zero_touch_format_unplaced(zero_touch, vport, ds);
    }
}

/* "rdma/show-qp-map [--json] [VPORT]": prints the QP map, or only VPORT's
 * bindings, as text or as JSON. */
static void
rdma_appctl_show_qp_map(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *engine_)
{
    const struct rdma_engine *engine = engine_;
    const struct rdma_retry *retry = rdma_engine_get_retry(engine);
    struct rdma_qp_map *map = rdma_engine_get_map(engine);
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

    if (vport && !rdma_qp_map_find_vport(map, vport)
        && !rdma_mapping_find_iface(rdma_engine_get_config(engine), vport)
        && !rdma_retry_count(retry, vport)) {
        reply_error(conn, xasprintf("no interface named %s (see "
                                    "\"ovs-vsctl list-ifaces BRIDGE\")",
                                    vport));
        return;
    }
    if (json) {
        char *s = show_qp_map_json(engine, vport);

        unixctl_command_reply(conn, s);
        free(s);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        show_qp_map_text(engine, vport, &ds);
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
    unixctl_command_register("rdma/unbind", "[VPORT/]CM_ID", 1, 1,
                             rdma_appctl_unbind, engine);
    unixctl_command_register("rdma/update", "[VPORT/]CM_ID remote_qpn=N",
                             2, 2,
                             rdma_appctl_update, engine);
    unixctl_command_register("rdma/refresh", "", 0, 0,
                             rdma_appctl_refresh, engine);
}
