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
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-qp-map.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_persist);

/* Largest QP number (24 bits). */
#define QPN_MAX 0xffffff

/* How long to wait before retrying a write that failed, in ms. */
#define RETRY_MS 1000

/* By default, the log is compacted when it holds more than this many
 * records beyond twice the number of live connections. */
#define COMPACT_SLACK 1000

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
    ps->compact_slack = COMPACT_SLACK;
    error = rdma_persist_load(file_name, &ps->saved, &ps->n_saved, NULL);
    if (error) {
        ps->load_failed = true;
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

/* Compares two cm_ids, for qsort(). */
static int
compare_cm_ids(const void *a_, const void *b_)
{
    const uint64_t *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Sorts the 'n' cm_ids in 'ids' and drops repeats.  Returns the new
 * count. */
static size_t
sort_unique(uint64_t *ids, size_t n)
{
    size_t i, j;

    qsort(ids, n, sizeof *ids, compare_cm_ids);
    for (i = j = 0; i < n; i++) {
        if (!j || ids[i] != ids[j - 1]) {
            ids[j++] = ids[i];
        }
    }
    return j;
}

/* Writes what changed in 'map' since the last call: the whole file if it
 * is due for compaction (or after an error), else the changed records
 * appended.  Returns 0 or a positive errno value. */
static int
persist_write(struct rdma_persist *ps, struct rdma_qp_map *map)
{
    size_t n_live = rdma_qp_map_count(map);
    uint64_t *changes;
    size_t n_changes;
    int error;

    changes = rdma_qp_map_take_changes(map, &n_changes);
    n_changes = sort_unique(changes, n_changes);
    if (!ps->compact && ps->n_records + n_changes
                        > 2 * n_live + ps->compact_slack) {
        ps->compact = true;
    }
    if (ps->compact) {
        error = rdma_persist_save(ps->file_name, map);
        if (!error) {
            ps->compact = false;
            ps->n_records = n_live;
        }
    } else if (n_changes) {
        error = rdma_persist_append(ps->file_name, map, changes, n_changes);
        if (!error) {
            ps->n_records += n_changes;
        } else {
            /* Part of the batch may be in the file: start afresh. */
            ps->compact = true;
        }
    } else {
        error = 0;
    }
    free(changes);
    return error;
}

/* Restores the saved connections into 'engine' as soon as it has its first
 * configuration, then records every change of its connections in the
 * file. */
void
rdma_persist_run(struct rdma_persist *ps, struct rdma_engine *engine)
{
    struct rdma_qp_map *map = engine->map;
    int error;

    if (!ps->restored) {
        struct rdma_restore_stats stats;

        engine->restoring = true;
        if (!engine->have_cfg
            || (ps->retry_at != LLONG_MAX && time_msec() < ps->retry_at)) {
            return;
        }
        rdma_qp_map_track_changes(map);
        error = rdma_engine_restore(engine, ps->saved, ps->n_saved,
                                    !ps->load_failed, &stats);
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "cannot read the NIC's table to restore the "
                         "connections bound before this restart (%s): "
                         "binds are refused until it can; retrying",
                         ovs_strerror(error));
            ps->retry_at = time_msec() + RETRY_MS;
            return;
        }
        ps->retry_at = LLONG_MAX;
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
        engine->restoring = false;
        ps->compact = true;     /* Start with a compact file. */
    }

    if ((ps->compact || map->n_changes)
        && (ps->retry_at == LLONG_MAX || time_msec() >= ps->retry_at)) {
        error = persist_write(ps, map);
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_WARN_RL(&rl, "%s: cannot save the QP map (%s): a restart "
                         "now would lose connections; retrying",
                         ps->file_name, ovs_strerror(error));
            ps->retry_at = time_msec() + RETRY_MS;
        } else {
            ps->retry_at = LLONG_MAX;
        }
    }
}

/* Arranges for poll_block() to wake up when a failed restore or write is
 * due to be retried. */
void
rdma_persist_wait(const struct rdma_persist *ps,
                  const struct rdma_engine *engine)
{
    if (ps->retry_at != LLONG_MAX
        && (!ps->restored || ps->compact || engine->map->n_changes)) {
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

/* Appends to 'ds' the "put" record of 'b', and a new-line. */
static void
put_record(const struct rdma_binding *b, struct ds *ds)
{
    struct json *o = json_object_create();
    struct json *top;
    char buf[46];

    json_object_put(o, "cm_id", json_integer_create(b->cm_id));
    if (b->key != b->cm_id) {
        json_object_put(o, "key", json_integer_create(b->key));
    }
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
    top = json_object_create();
    json_object_put(top, "put", o);
    json_to_ds(top, JSSF_SORT, ds);
    ds_put_char(ds, '\n');
    json_destroy(top);
}

/* Writes 'ds' to 'stream' and flushes it to the kernel.  Returns 0 or a
 * positive errno value.
 *
 * There is no fsync(): the file must outlive the daemon, which the kernel's
 * page cache ensures, not the machine, whose crash takes every RDMA
 * connection with it. */
static int
write_and_flush(const struct ds *ds, FILE *stream)
{
    if (fwrite(ds->string, 1, ds->length, stream) != ds->length
        || fflush(stream)) {
        return errno ? errno : EIO;
    }
    return 0;
}

/* Writes the connections in 'map' to 'file_name' as a new, compact log,
 * atomically: a reader (or a crash) sees the old file or the new one,
 * never a mix.  Returns 0 or a positive errno value, leaving the old file
 * in place on error. */
int
rdma_persist_save(const char *file_name, const struct rdma_qp_map *map)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct rdma_binding *b;
    char *tmp_name;
    FILE *stream;
    int error;

    ds_put_format(&ds, "{\"version\":%d}\n", RDMA_PERSIST_VERSION);
    HMAP_FOR_EACH (b, key_node, &map->bindings) {
        put_record(b, &ds);
    }

    tmp_name = xasprintf("%s.tmp", file_name);
    stream = fopen(tmp_name, "w");
    if (!stream) {
        error = errno;
    } else {
        error = write_and_flush(&ds, stream);
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

/* Appends to the log 'file_name' a record for each of the 'n' binding keys
 * 'cm_ids': a "put" for those in 'map', a "del" for the others.  Returns 0
 * or a positive errno value. */
int
rdma_persist_append(const char *file_name, const struct rdma_qp_map *map,
                    const uint64_t *cm_ids, size_t n)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    FILE *stream;
    size_t i;
    int error, fd;

    for (i = 0; i < n; i++) {
        const struct rdma_binding *b = rdma_qp_map_find_key(map, cm_ids[i]);

        if (b) {
            put_record(b, &ds);
        } else {
            /* Signed, as "put" writes it: see rdma-persist.h. */
            ds_put_format(&ds, "{\"del\":%"PRId64"}\n",
                          (int64_t) cm_ids[i]);
        }
    }
    /* Without O_CREAT: if the file went away, the caller writes a whole
     * new one instead, header included. */
    fd = open(file_name, O_WRONLY | O_APPEND);
    stream = fd < 0 ? NULL : fdopen(fd, "a");
    if (!stream) {
        error = errno;
        if (fd >= 0) {
            close(fd);
        }
    } else {
        error = write_and_flush(&ds, stream);
        if (fclose(stream) && !error) {
            error = errno;
        }
    }
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

/* Parses the body of a "put" record, 'json', into 's'.  Returns NULL or an
 * error message (caller frees). */
static char *
binding_from_json(const struct json *json, struct rdma_saved_binding *s)
{
    const struct json *cm_id, *qpn, *remote_qpn, *vport, *dst_ip, *dst_mac;
    const struct json *src_ip, *tunnel, *key;
    struct rdma_request *req = &s->req;
    struct ovsdb_parser p;
    struct ovsdb_error *error;

    memset(s, 0, sizeof *s);
    ovsdb_parser_init(&p, json, "put");
    cm_id = ovsdb_parser_member(&p, "cm_id", OP_INTEGER);
    qpn = ovsdb_parser_member(&p, "qpn", OP_INTEGER);
    remote_qpn = ovsdb_parser_member(&p, "remote_qpn", OP_INTEGER);
    vport = ovsdb_parser_member(&p, "vport", OP_STRING);
    dst_ip = ovsdb_parser_member(&p, "dst_ip", OP_STRING);
    dst_mac = ovsdb_parser_member(&p, "dst_mac", OP_STRING | OP_OPTIONAL);
    src_ip = ovsdb_parser_member(&p, "src_ip", OP_STRING | OP_OPTIONAL);
    tunnel = ovsdb_parser_member(&p, "tunnel", OP_STRING | OP_OPTIONAL);
    key = ovsdb_parser_member(&p, "key", OP_INTEGER | OP_OPTIONAL);
    error = ovsdb_parser_finish(&p);
    if (error) {
        return parser_error_message(error);
    }

    req->cm_id = (uint64_t) json_integer(cm_id);
    req->has_cm_id = true;
    s->key = key ? (uint64_t) json_integer(key) : req->cm_id;
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

/* A connection being replayed from the log. */
struct replay_node {
    struct hmap_node node;      /* In the replay's hmap, by cm_id. */
    struct rdma_saved_binding s; /* The connection's latest "put". */
};

/* Frees 'node' and what it holds. */
static void
replay_node_free(struct replay_node *node)
{
    free(CONST_CAST(char *, node->s.req.vport));
    free(node->s.tunnel);
    free(node);
}

/* Returns the connection with key 'key' in 'live', or NULL. */
static struct replay_node *
replay_find(const struct hmap *live, uint64_t key)
{
    struct replay_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, hash_uint64(key), live) {
        if (node->s.key == key) {
            return node;
        }
    }
    return NULL;
}

/* Applies record 'json' of the log to 'live'.  Returns NULL or an error
 * message (caller frees). */
static char *
replay_record(const struct json *json, struct hmap *live)
{
    const struct json *put, *del;
    struct replay_node *node, *old;
    struct ovsdb_parser p;
    struct ovsdb_error *oerror;
    char *error;

    ovsdb_parser_init(&p, json, "record");
    put = ovsdb_parser_member(&p, "put", OP_OBJECT | OP_OPTIONAL);
    del = ovsdb_parser_member(&p, "del", OP_INTEGER | OP_OPTIONAL);
    oerror = ovsdb_parser_finish(&p);
    if (oerror) {
        return parser_error_message(oerror);
    }
    if (!put == !del) {
        return xstrdup("a record must be exactly one of \"put\" and "
                       "\"del\"");
    }
    if (del) {
        old = replay_find(live, (uint64_t) json_integer(del));
        if (old) {
            hmap_remove(live, &old->node);
            replay_node_free(old);
        }
        return NULL;
    }

    node = xmalloc(sizeof *node);
    error = binding_from_json(put, &node->s);
    if (error) {
        free(node);
        return error;
    }
    old = replay_find(live, node->s.key);
    if (old) {
        hmap_remove(live, &old->node);
        replay_node_free(old);
    }
    hmap_insert(live, &node->node, hash_uint64(node->s.key));
    return NULL;
}

/* Reads the log 'file_name' and replays it.  On success returns NULL,
 * stores the live connections in '*sp' and '*np' (free them with
 * rdma_saved_bindings_free()) and, if 'n_records' is nonnull, the number
 * of records read in '*n_records'.  A file that does not exist holds no
 * connections: that is not an error.  On error returns a message (caller
 * frees) and stores NULL and 0. */
char *
rdma_persist_load(const char *file_name, struct rdma_saved_binding **sp,
                  size_t *np, size_t *n_records)
{
    struct hmap live = HMAP_INITIALIZER(&live);
    struct ds line = DS_EMPTY_INITIALIZER;
    struct replay_node *node;
    char *error = NULL;
    int line_number = 0;
    size_t n_read = 0;
    FILE *stream;

    *sp = NULL;
    *np = 0;
    if (n_records) {
        *n_records = 0;
    }
    stream = fopen(file_name, "r");
    if (!stream) {
        return errno == ENOENT ? NULL : xasprintf("cannot open: %s",
                                                  ovs_strerror(errno));
    }

    while (!error && !ds_get_line(&line, stream)) {
        bool last = feof(stream) || (ungetc(getc(stream), stream) == EOF);
        struct json *json;

        line_number++;
        json = json_from_string(ds_cstr(&line));
        if (json->type == JSON_STRING) {
            if (last && line_number > 1) {
                /* Cut short by a crash while it was appended: the changes
                 * it held were never acknowledged as saved. */
                VLOG_WARN("%s: line %d: ignoring a last record that is "
                          "incomplete (%s)", file_name, line_number,
                          json_string(json));
            } else {
                error = xasprintf("line %d: %s", line_number,
                                  json_string(json));
            }
        } else if (line_number == 1) {
            const struct json *version = (json->type == JSON_OBJECT
                                          ? shash_find_data(json_object(json),
                                                            "version")
                                          : NULL);

            if (!version || version->type != JSON_INTEGER) {
                error = xstrdup("line 1: not an ovs-rdmad state file (no "
                                "\"version\")");
            } else if (json_integer(version) != RDMA_PERSIST_VERSION) {
                error = xasprintf("format version %"PRId64" is not "
                                  "supported (this ovs-rdmad reads version "
                                  "%d)", json_integer(version),
                                  RDMA_PERSIST_VERSION);
            }
        } else {
            char *msg = replay_record(json, &live);

            if (msg) {
                error = xasprintf("line %d: %s", line_number, msg);
                free(msg);
            }
            n_read++;
        }
        json_destroy(json);
    }
    if (!error && !line_number) {
        error = xstrdup("the file is empty (not even a header line)");
    }
    if (!error && ferror(stream)) {
        error = xasprintf("read error: %s", ovs_strerror(errno));
    }
    fclose(stream);
    ds_destroy(&line);

    if (!error) {
        struct rdma_saved_binding *s;
        size_t n = 0;

        s = xmalloc((hmap_count(&live) ? hmap_count(&live) : 1) * sizeof *s);
        HMAP_FOR_EACH_POP (node, node, &live) {
            s[n++] = node->s;
            free(node);
        }
        *sp = s;
        *np = n;
        if (n_records) {
            *n_records = n_read;
        }
    } else {
        HMAP_FOR_EACH_POP (node, node, &live) {
            replay_node_free(node);
        }
    }
    hmap_destroy(&live);
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
