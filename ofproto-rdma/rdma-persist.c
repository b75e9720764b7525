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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-qp-map.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_persist);

/* Largest QP number (24 bits). */
#define QPN_MAX 0xffffff

/* How long to wait before retrying a save that failed, in ms. */
#define RETRY_MS 1000

/* Initializes 'ps' for the state file 'file_name' and reads the
 * connections saved there, to be restored by rdma_persist_run().  A file
 * that cannot be read is moved aside to "FILE.bad", with a warning, and
 * the daemon starts with no connection: it does not guess. */
void
rdma_persist_init(struct rdma_persist *ps, const char *file_name)
{
    char *error;

    memset(ps, 0, sizeof *ps);
    ps->file_name = xstrdup(file_name);
    ps->retry_at = LLONG_MAX;
    error = rdma_persist_load(file_name, &ps->saved, &ps->n_saved);
    if (error) {
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
    }
}

/* Restores the saved connections into 'engine' as soon as it has its first
 * configuration, then saves the QP map's connections whenever they
 * change. */
void
rdma_persist_run(struct rdma_persist *ps, struct rdma_engine *engine)
{
    int error;

    if (!ps->restored) {
        struct rdma_restore_stats stats;

        if (!engine->have_cfg) {
            return;
        }
        rdma_engine_restore(engine, ps->saved, ps->n_saved, &stats);
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
        ps->saved_seqno = engine->map->conn_seqno - 1; /* Save now. */
    }

    if (engine->map->conn_seqno != ps->saved_seqno
        && (ps->retry_at == LLONG_MAX || time_msec() >= ps->retry_at)) {
        error = rdma_persist_save(ps->file_name, engine->map);
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "%s: cannot save the QP map (%s): a restart "
                         "now would lose connections; retrying",
                         ps->file_name, ovs_strerror(error));
            ps->retry_at = time_msec() + RETRY_MS;
        } else {
            ps->saved_seqno = engine->map->conn_seqno;
            ps->retry_at = LLONG_MAX;
        }
    }
}

/* Arranges for poll_block() to wake up when a failed save is due to be
 * retried. */
void
rdma_persist_wait(const struct rdma_persist *ps,
                  const struct rdma_engine *engine)
{
    if (ps->restored && engine->map->conn_seqno != ps->saved_seqno
        && ps->retry_at != LLONG_MAX) {
        poll_timer_wait_until(ps->retry_at);
    }
}

/* Frees 'ps' (the file stays, for the next start). */
void
rdma_persist_destroy(struct rdma_persist *ps)
{
    rdma_saved_bindings_free(ps->saved, ps->n_saved);
    free(ps->file_name);
}

/* Returns 'b' as one record of the file. */
static struct json *
binding_to_json(const struct rdma_binding *b)
{
    struct json *o = json_object_create();
    char buf[46];

    json_object_put(o, "cm_id", json_integer_create(b->cm_id));
    json_object_put(o, "qpn", json_integer_create(b->qpn));
    json_object_put(o, "remote_qpn", json_integer_create(b->remote_qpn));
    json_object_put_string(o, "vport", b->vport->name);
    json_object_put_string(o, "dst_ip", rdma_ip_to_string(&b->dst_ip, buf));
    if (b->has_dst_mac) {
        json_object_put_format(o, "dst_mac", ETH_ADDR_FMT,
                               ETH_ADDR_ARGS(b->dst_mac));
    }
    if (b->src_ip_given) {
        json_object_put_string(o, "src_ip",
                               rdma_ip_to_string(&b->src_ip, buf));
    }
    if (b->path) {
        json_object_put_string(o, "tunnel", b->path->tunnel);
    }
    return o;
}

/* Returns the whole file's content for 'map' as JSON. */
struct json *
rdma_persist_to_json(const struct rdma_qp_map *map)
{
    struct json *bindings = json_array_create_empty();
    const struct rdma_binding *b;
    struct json *top;

    HMAP_FOR_EACH (b, cm_id_node, &map->bindings) {
        json_array_add(bindings, binding_to_json(b));
    }
    top = json_object_create();
    json_object_put(top, "version", json_integer_create(RDMA_PERSIST_VERSION));
    json_object_put(top, "bindings", bindings);
    return top;
}

/* Writes the connections in 'map' to 'file_name', atomically: a reader
 * (or a crash) sees the old file or the new one, never a mix.  Returns 0
 * or a positive errno value, leaving the old file in place on error. */
int
rdma_persist_save(const char *file_name, const struct rdma_qp_map *map)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct rdma_binding *b;
    char *tmp_name;
    bool first = true;
    int error = 0;
    FILE *stream;

    /* One connection per line, so that the file reads well and diffs
     * well even with many connections. */
    ds_put_format(&ds, "{\"version\": %d, \"bindings\": [",
                  RDMA_PERSIST_VERSION);
    HMAP_FOR_EACH (b, cm_id_node, &map->bindings) {
        struct json *o = binding_to_json(b);

        ds_put_cstr(&ds, first ? "\n" : ",\n");
        json_to_ds(o, 0, &ds);
        json_destroy(o);
        first = false;
    }
    ds_put_cstr(&ds, "]}\n");

    tmp_name = xasprintf("%s.tmp", file_name);
    stream = fopen(tmp_name, "w");
    if (!stream) {
        error = errno;
    } else {
        if (fwrite(ds.string, 1, ds.length, stream) != ds.length
            || fflush(stream) || fsync(fileno(stream))) {
            error = errno ? errno : EIO;
        }
        if (fclose(stream) && !error) {
            error = errno;
        }
        if (!error && rename(tmp_name, file_name)) {
            error = errno;
        }
        if (error) {
            unlink(tmp_name);
        }
    }
    free(tmp_name);
    ds_destroy(&ds);
    return error;
}

/* Returns the message of 'error', a parser error, without its "Parsing X
 * failed: " prefix and final period, and frees 'error'. */
static char *
parser_error_message(struct ovsdb_error *error)
{
    struct json *json = ovsdb_error_to_json_free(error);
    const struct json *details = shash_find_data(json_object(json),
                                                 "details");
    const char *msg = (details && details->type == JSON_STRING
                       ? json_string(details) : "malformed");
    const char *colon = strstr(msg, " failed: ");
    char *s;

    if (!strncmp(msg, "Parsing ", 8) && colon) {
        msg = colon + 9;
    }
    s = xstrdup(msg);
    if (s[0] && s[strlen(s) - 1] == '.') {
        s[strlen(s) - 1] = '\0';
    }
    json_destroy(json);
    return s;
}

/* Parses one record 'json' into 's'.  Returns NULL or an error message
 * (caller frees). */
static char *
binding_from_json(const struct json *json, struct rdma_saved_binding *s)
{
    const struct json *cm_id, *qpn, *remote_qpn, *vport, *dst_ip, *dst_mac;
    const struct json *src_ip, *tunnel;
    struct ovsdb_parser p;
    struct ovsdb_error *error;
    struct rdma_request *req = &s->req;

    memset(s, 0, sizeof *s);
    ovsdb_parser_init(&p, json, "binding");
    cm_id = ovsdb_parser_member(&p, "cm_id", OP_INTEGER);
    qpn = ovsdb_parser_member(&p, "qpn", OP_INTEGER);
    remote_qpn = ovsdb_parser_member(&p, "remote_qpn", OP_INTEGER);
    vport = ovsdb_parser_member(&p, "vport", OP_STRING);
    dst_ip = ovsdb_parser_member(&p, "dst_ip", OP_STRING);
    dst_mac = ovsdb_parser_member(&p, "dst_mac", OP_STRING | OP_OPTIONAL);
    src_ip = ovsdb_parser_member(&p, "src_ip", OP_STRING | OP_OPTIONAL);
    tunnel = ovsdb_parser_member(&p, "tunnel", OP_STRING | OP_OPTIONAL);
    error = ovsdb_parser_finish(&p);
    if (error) {
        return parser_error_message(error);
    }

    req->cm_id = json_integer(cm_id);
    req->has_cm_id = true;
    if (json_integer(qpn) < 1 || json_integer(qpn) > QPN_MAX) {
        return xasprintf("cm_id %"PRIu64": qpn %"PRId64" is not a QP "
                         "number", req->cm_id, json_integer(qpn));
    }
    req->qpn = json_integer(qpn);
    req->has_qpn = true;
    if (json_integer(remote_qpn) < 0 || json_integer(remote_qpn) > QPN_MAX) {
        return xasprintf("cm_id %"PRIu64": remote_qpn %"PRId64" is not a QP "
                         "number", req->cm_id, json_integer(remote_qpn));
    }
    req->remote_qpn = json_integer(remote_qpn);
    if (!json_string(vport)[0]) {
        return xasprintf("cm_id %"PRIu64": empty vport name", req->cm_id);
    }
    if (!rdma_ip_parse(json_string(dst_ip), &req->dst_ip)) {
        return xasprintf("cm_id %"PRIu64": \"%s\" is not an IP address",
                         req->cm_id, json_string(dst_ip));
    }
    if (dst_mac) {
        if (!eth_addr_from_string(json_string(dst_mac), &req->dst_mac)) {
            return xasprintf("cm_id %"PRIu64": \"%s\" is not a MAC address",
                             req->cm_id, json_string(dst_mac));
        }
        req->has_dst_mac = true;
    }
    if (src_ip) {
        if (!rdma_ip_parse(json_string(src_ip), &req->src_ip)) {
            return xasprintf("cm_id %"PRIu64": \"%s\" is not an IP address",
                             req->cm_id, json_string(src_ip));
        }
        req->has_src_ip = true;
    }
    req->vport = xstrdup(json_string(vport));
    s->tunnel = tunnel ? xstrdup(json_string(tunnel)) : NULL;
    return NULL;
}

/* Compares two cm_ids, for qsort(). */
static int
compare_cm_ids(const void *a_, const void *b_)
{
    const uint64_t *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Returns NULL if the 'n' connections in 's' have distinct cm_ids, else
 * an error message (caller frees). */
static char *
check_unique(const struct rdma_saved_binding *s, size_t n)
{
    uint64_t *ids = xmalloc((n ? n : 1) * sizeof *ids);
    char *error = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        ids[i] = s[i].req.cm_id;
    }
    qsort(ids, n, sizeof *ids, compare_cm_ids);
    for (i = 1; i < n && !error; i++) {
        if (ids[i] == ids[i - 1]) {
            error = xasprintf("cm_id %"PRIu64" appears twice", ids[i]);
        }
    }
    free(ids);
    return error;
}

/* Parses the file's content 'json'.  On success returns NULL and stores
 * the connections in '*sp' and '*np' (free them with
 * rdma_saved_bindings_free()).  On error returns a message (caller frees)
 * and stores NULL and 0. */
char *
rdma_persist_from_json(const struct json *json,
                       struct rdma_saved_binding **sp, size_t *np)
{
    const struct json *version, *bindings;
    const struct json_array *array;
    struct rdma_saved_binding *s;
    struct ovsdb_parser p;
    struct ovsdb_error *oerror;
    char *error = NULL;
    size_t n;

    *sp = NULL;
    *np = 0;
    ovsdb_parser_init(&p, json, "ovs-rdmad state");
    version = ovsdb_parser_member(&p, "version", OP_INTEGER);
    bindings = ovsdb_parser_member(&p, "bindings", OP_ARRAY);
    oerror = ovsdb_parser_finish(&p);
    if (oerror) {
        return parser_error_message(oerror);
    }
    if (json_integer(version) != RDMA_PERSIST_VERSION) {
        return xasprintf("format version %"PRId64" is not supported (this "
                         "ovs-rdmad reads version %d)",
                         json_integer(version), RDMA_PERSIST_VERSION);
    }

    array = json_array(bindings);
    s = xcalloc(array->n ? array->n : 1, sizeof *s);
    for (n = 0; n < array->n; n++) {
        error = binding_from_json(array->elems[n], &s[n]);
        if (error) {
            char *msg = xasprintf("binding %"PRIuSIZE": %s", n + 1, error);

            free(error);
            error = msg;
            break;
        }
    }
    if (!error) {
        error = check_unique(s, n);
    }
    if (error) {
        rdma_saved_bindings_free(s, n);
        return error;
    }
    *sp = s;
    *np = n;
    return NULL;
}

/* Reads the connections saved in 'file_name', as rdma_persist_from_json()
 * does.  A file that does not exist holds no connections: that is not an
 * error. */
char *
rdma_persist_load(const char *file_name, struct rdma_saved_binding **sp,
                  size_t *np)
{
    struct json *json;
    char *error;

    *sp = NULL;
    *np = 0;
    if (access(file_name, F_OK) && errno == ENOENT) {
        return NULL;
    }
    json = json_from_file(file_name);
    if (json->type == JSON_STRING) {
        /* json_from_file() reports errors this way. */
        error = xstrdup(json_string(json));
    } else {
        error = rdma_persist_from_json(json, sp, np);
    }
    json_destroy(json);
    return error;
}

/* Frees the 'n' connections in 's' and 's' itself. */
void
rdma_saved_bindings_free(struct rdma_saved_binding *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(CONST_CAST(char *, s[i].req.vport));
        free(s[i].tunnel);
    }
    free(s);
}
