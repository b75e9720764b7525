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
#include "rdma-state-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-json-text.h"
#include "rdma-qp-map.h"
#include "rdma-request.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_state_file);

/* How many damaged records rdma_state_report's 'damaged_at' lists. */
#define MAX_DAMAGED_LISTED 10

/* Returns the CRC-32 of the 'n' bytes at 'p'. */
static uint32_t
line_crc(const char *p, size_t n)
{
    return crc32(crc32(0L, Z_NULL, 0), (const Bytef *) p, n);
}

/* Ends the line that began at offset 'start' of 'ds': a space, the CRC-32
 * of its text and a new-line. */
static void
end_line(struct ds *ds, size_t start)
{
    ds_put_format(ds, " %08"PRIx32"\n",
                  line_crc(ds->string + start, ds->length - start));
}

/* Appends 'json' to 'ds' as one checked line: its text (members sorted),
 * a space, its CRC-32 and a new-line.  Frees 'json'. */
static void
put_line(struct json *json, struct ds *ds)
{
    size_t start = ds->length;

    json_to_ds(json, JSSF_SORT, ds);
    end_line(ds, start);
    json_destroy(json);
}

/* Appends the file's header line to 'ds'. */
void
rdma_state_header(struct ds *ds)
{
    struct json *o = json_object_create();

    json_object_put(o, "version", json_integer_create(RDMA_STATE_VERSION));
    put_line(o, ds);
}

/* Appends the "put" record of 'b' to 'ds'.  (Written as text, members in
 * the order JSSF_SORT gives, so that it is the line a JSON tree would
 * give: records are written at every bind and compaction, where the tree
 * cost more than the rest of the record's work.) */
void
rdma_state_put(const struct rdma_binding *b, struct ds *ds)
{
    struct in6_addr dst = rdma_binding_dst_ip(b);
    size_t start = ds->length;
    char buf[46];

    ds_put_cstr(ds, "{\"put\":{");
    rdma_json_put_name(ds, "cm_id");
    rdma_json_put_int(ds, b->cm_id);
    rdma_json_put_name(ds, "dst_ip");
    rdma_json_put_string(ds, rdma_ip_to_string(&dst, buf));
    if (b->has_dst_mac) {
        rdma_json_put_name(ds, "dst_mac");
        rdma_json_put_string(ds, rdma_mac_to_string(b->dst_mac, buf));
    }
    if (b->key != b->cm_id) {
        rdma_json_put_name(ds, "key");
        rdma_json_put_int(ds, b->key);
    }
    rdma_json_put_name(ds, "qpn");
    rdma_json_put_int(ds, b->qpn);
    rdma_json_put_name(ds, "remote_qpn");
    rdma_json_put_int(ds, b->remote_qpn);
    if (b->src_ip_given) {
        struct in6_addr src = rdma_binding_src_ip(b);

        rdma_json_put_name(ds, "src_ip");
        rdma_json_put_string(ds, rdma_ip_to_string(&src, buf));
    }
    if (b->path) {
        rdma_json_put_name(ds, "tunnel");
        rdma_json_put_string(ds, b->path->tunnel);
    }
    rdma_json_put_name(ds, "vport");
    rdma_json_put_string(ds, b->vport->name);
    ds_put_cstr(ds, "}}");
    end_line(ds, start);
}

/* Appends the "del" record of connection ('vport', 'cm_id'), whose key was
 * 'key', to 'ds' (as text, as rdma_state_put()). */
void
rdma_state_del(uint64_t key, uint64_t cm_id, const char *vport,
               struct ds *ds)
{
    size_t start = ds->length;

    ds_put_cstr(ds, "{\"del\":{");
    rdma_json_put_name(ds, "cm_id");
    rdma_json_put_int(ds, cm_id);
    rdma_json_put_name(ds, "key");
    rdma_json_put_int(ds, key);
    rdma_json_put_name(ds, "vport");
    rdma_json_put_string(ds, vport);
    ds_put_cstr(ds, "}}");
    end_line(ds, start);
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

    /* The cm_id and key are written as signed integers (see
     * rdma-state-file.h); every other value is checked as any request's
     * is (rdma_request_set_json()), with the same messages. */
    req->cm_id = (uint64_t) json_integer(cm_id);
    req->has_cm_id = true;
    s->key = key ? (uint64_t) json_integer(key) : req->cm_id;
    if (!json_string(vport)[0]) {
        return xasprintf("cm_id %"PRIu64": empty vport name", req->cm_id);
    }
    const struct {
        const char *name;       /* Request member. */
        const struct json *value; /* Its value, NULL if not saved. */
    } members[] = {
        { "qpn", qpn },
        /* A remote_qpn of 0 means "not known yet". */
        { "remote_qpn", json_integer(remote_qpn) ? remote_qpn : NULL },
        { "dst_ip", dst_ip },
        { "dst_mac", dst_mac },
        { "src_ip", src_ip },
    };
    for (size_t i = 0; i < ARRAY_SIZE(members); i++) {
        if (members[i].value) {
            char *error = rdma_request_set_json(req, members[i].name,
                                                members[i].value);

            if (error) {
                char *msg = xasprintf("cm_id %"PRIu64": %s", req->cm_id,
                                      error);
                free(error);
                return msg;
            }
        }
    }
    req->vport = xstrdup(json_string(vport));
    s->tunnel = tunnel ? xstrdup(json_string(tunnel)) : NULL;
    return NULL;
}

/* A connection being replayed from the log. */
struct replay_node {
    struct hmap_node node;      /* In the replay's 'keys', by key. */
    struct hmap_node name_node; /* In the replay's 'names', by vport and
                                 * cm_id. */
    struct rdma_saved_binding s; /* The connection's latest "put". */
};

/* The connections live so far in a replay. */
struct replay {
    struct hmap keys;           /* "struct replay_node"s, by key. */
    struct hmap names;          /* The same, by vport and cm_id. */
};

/* Returns the hash of connection 'cm_id' of 'vport'. */
static uint32_t
replay_hash_name(const char *vport, uint64_t cm_id)
{
    return hash_string(vport, hash_uint64(cm_id));
}

/* Frees 'node' and what it holds. */
static void
replay_node_free(struct replay_node *node)
{
    free(CONST_CAST(char *, node->s.req.vport));
    free(node->s.tunnel);
    free(node);
}

/* Removes 'node' from 'live' and frees it. */
static void
replay_remove(struct replay *live, struct replay_node *node)
{
    hmap_remove(&live->keys, &node->node);
    hmap_remove(&live->names, &node->name_node);
    replay_node_free(node);
}

/* Removes from 'live' and frees the connection with key 'key', if any. */
static void
replay_delete_key(struct replay *live, uint64_t key)
{
    struct replay_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, hash_uint64(key), &live->keys) {
        if (node->s.key == key) {
            replay_remove(live, node);
            return;
        }
    }
}

/* Removes from 'live' and frees connection ('vport', 'cm_id'), if any. */
static void
replay_delete_name(struct replay *live, uint64_t cm_id, const char *vport)
{
    struct replay_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, name_node, replay_hash_name(vport, cm_id),
                             &live->names) {
        if (node->s.req.cm_id == cm_id && !strcmp(vport, node->s.req.vport)) {
            replay_remove(live, node);
            return;
        }
    }
}

/* Removes from 'live' and frees the connection a version 2 "del" names:
 * the one with key 'key' (if 'has_key') if it is ('vport', 'cm_id'), else
 * ('vport', 'cm_id') whatever its key. */
static void
replay_delete_del(struct replay *live, uint64_t key, bool has_key,
                  uint64_t cm_id, const char *vport)
{
    struct replay_node *node;

    if (has_key) {
        HMAP_FOR_EACH_WITH_HASH (node, node, hash_uint64(key), &live->keys) {
            if (node->s.key == key && node->s.req.cm_id == cm_id
                && !strcmp(vport, node->s.req.vport)) {
                replay_remove(live, node);
                return;
            }
        }
    }
    replay_delete_name(live, cm_id, vport);
}

/* Parses the body of a version 2 "del" record.  Returns NULL or an error
 * message (caller frees). */
static char *
del_from_json(const struct json *json, uint64_t *cm_idp, const char **vportp,
              uint64_t *keyp, bool *has_keyp)
{
    const struct json *cm_id, *vport, *key;
    struct ovsdb_error *error;
    struct ovsdb_parser p;

    ovsdb_parser_init(&p, json, "del");
    cm_id = ovsdb_parser_member(&p, "cm_id", OP_INTEGER);
    vport = ovsdb_parser_member(&p, "vport", OP_STRING);
    key = ovsdb_parser_member(&p, "key", OP_INTEGER | OP_OPTIONAL);
    error = ovsdb_parser_finish(&p);
    if (error) {
        return parser_error_message(error);
    }
    *cm_idp = (uint64_t) json_integer(cm_id);
    *vportp = json_string(vport);
    *has_keyp = key != NULL;
    *keyp = key ? (uint64_t) json_integer(key) : 0;
    return NULL;
}

/* Applies record 'json' of a version 'version' log to 'live'.  Returns
 * NULL or an error message (caller frees). */
static char *
replay_record(const struct json *json, int version, struct replay *live)
{
    const struct json *put, *del;
    struct replay_node *node;
    struct ovsdb_parser p;
    struct ovsdb_error *oerror;
    char *error;

    ovsdb_parser_init(&p, json, "record");
    put = ovsdb_parser_member(&p, "put", OP_OBJECT | OP_OPTIONAL);
    del = ovsdb_parser_member(&p, "del", ((version == 1 ? OP_INTEGER
                                           : OP_OBJECT) | OP_OPTIONAL));
    oerror = ovsdb_parser_finish(&p);
    if (oerror) {
        return parser_error_message(oerror);
    }
    if (!put == !del) {
        return xstrdup("a record must be exactly one of \"put\" and "
                       "\"del\"");
    }
    if (del && version == 1) {
        /* A version 1 "del" names the key (the cm_id, in files written
         * before cm_ids were per vport). */
        replay_delete_key(live, (uint64_t) json_integer(del));
        return NULL;
    } else if (del) {
        const char *vport = NULL;
        uint64_t cm_id = 0, key = 0;
        bool has_key = false;

        error = del_from_json(del, &cm_id, &vport, &key, &has_key);
        if (!error) {
            replay_delete_del(live, key, has_key, cm_id, vport);
        }
        return error;
    }

    node = xmalloc(sizeof *node);
    error = binding_from_json(put, &node->s);
    if (error) {
        free(CONST_CAST(char *, node->s.req.vport));
        free(node);
        return error;
    }
    /* A "put" replaces the connection with the same key and, should a
     * damaged "del" have been skipped, one with the same name. */
    replay_delete_key(live, node->s.key);
    replay_delete_name(live, node->s.req.cm_id, node->s.req.vport);
    hmap_insert(&live->keys, &node->node, hash_uint64(node->s.key));
    hmap_insert(&live->names, &node->name_node,
                replay_hash_name(node->s.req.vport, node->s.req.cm_id));
    return NULL;
}

/* Checks and strips the CRC at the end of 'line' (length 'len').  Returns
 * 1 if it matches, 0 if 'line' has none, -1 if it has one that does not
 * match. */
static int
check_crc(char *line, size_t len)
{
    unsigned int crc;
    char *end;

    if (len < 10 || line[len - 9] != ' ') {
        return 0;
    }
    crc = strtoul(line + len - 8, &end, 16);
    if (*end || strspn(line + len - 8, "0123456789abcdef") != 8) {
        return 0;
    }
    if (crc != line_crc(line, len - 9)) {
        return -1;
    }
    line[len - 9] = '\0';
    return 1;
}

/* Records in 'r' a damaged record at line 'line_number', byte 'offset',
 * for reason 'why', and logs it. */
static void
note_damage(const char *file_name, struct rdma_state_report *r,
            int line_number, long long int offset, const char *why)
{
    VLOG_WARN("%s: line %d (byte %lld): skipping a damaged record (%s)",
              file_name, line_number, offset, why);
    if (r->n_damaged++ < MAX_DAMAGED_LISTED) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        if (r->damaged_at) {
            ds_put_format(&ds, "%s; ", r->damaged_at);
            free(r->damaged_at);
        }
        ds_put_format(&ds, "line %d (byte %lld): %s", line_number, offset,
                      why);
        r->damaged_at = ds_steal_cstr(&ds);
    }
}

/* Parses the header line 'line'.  Returns its version, or 0 if it is not a
 * header, or -1 if it is not JSON at all. */
static int
parse_header(const char *line)
{
    struct json *json = json_from_string(line);
    const struct json *version = NULL;
    int v;

    if (json->type == JSON_OBJECT) {
        version = shash_find_data(json_object(json), "version");
    }
    v = (json->type == JSON_STRING ? -1
         : version && version->type == JSON_INTEGER
         && json_integer(version) > 0 && json_integer(version) < 1000
         ? json_integer(version) : 0);
    json_destroy(json);
    return v;
}

/* Opens 'file_name' for reading, refusing a symbolic link.  Returns the
 * stream or NULL with errno set. */
static FILE *
open_for_read(const char *file_name)
{
    int fd = open(file_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    FILE *stream;

    if (fd < 0) {
        return NULL;
    }
    stream = fdopen(fd, "r");
    if (!stream) {
        int error = errno;

        close(fd);
        errno = error;
    }
    return stream;
}

/* Reads one line from 'stream' into 'line' (cleared first), without its
 * new-line.  Returns '\n' if the line ended with one, else EOF. */
static int
read_line(FILE *stream, struct ds *line)
{
    int c;

    ds_clear(line);
    while ((c = getc(stream)) != EOF && c != '\n') {
        ds_put_char(line, c);
    }
    return c;
}

/* Checks the header line 'line' of 'file_name', whose CRC check gave
 * 'crc' (check_crc()), and stores its version in 'r'.  Returns NULL, or
 * an error message (caller frees) if the file is not a state file this
 * ovs-rdmad reads.  A damaged header is noted in 'r' (the records after
 * it are read as the current version). */
static char *
load_header(const char *file_name, const char *line, int crc,
            struct rdma_state_report *r)
{
    int v = crc < 0 ? -1 : parse_header(line);

    if (v < 0) {
        note_damage(file_name, r, 1, 0, "damaged header");
    } else if (v == 0) {
        return xstrdup("line 1: not an ovs-rdmad state file (no "
                       "\"version\")");
    } else if (v != 1 && v != RDMA_STATE_VERSION) {
        return xasprintf("format version %d is not supported (this "
                         "ovs-rdmad reads versions 1 and %d)", v,
                         RDMA_STATE_VERSION);
    } else {
        r->version = v;
    }
    return NULL;
}

/* Replays record 'line', line 'line_number' of 'file_name' at byte
 * 'start', whose CRC check gave 'crc', into 'live', counting it in 'r',
 * or notes it in 'r' as damaged. */
static void
load_record(const char *file_name, const char *line, int crc,
            int line_number, long long int start,
            struct rdma_state_report *r, struct replay *live)
{
    if (crc < 0) {
        note_damage(file_name, r, line_number, start, "CRC mismatch");
    } else if (!crc && r->version != 1) {
        note_damage(file_name, r, line_number, start, "no CRC");
    } else {
        struct json *json = json_from_string(line);
        char *msg = (json->type == JSON_STRING
                     ? xstrdup(json_string(json))
                     : replay_record(json, r->version, live));

        if (msg) {
            note_damage(file_name, r, line_number, start, msg);
            free(msg);
        } else {
            r->n_records++;
        }
        json_destroy(json);
    }
}

/* Reads every line of 'stream', the log 'file_name', and replays its
 * records into 'live', noting what it finds in 'r'.  Returns NULL or an
 * error message (caller frees). */
static char *
replay_stream(const char *file_name, FILE *stream,
              struct rdma_state_report *r, struct replay *live)
{
    struct ds line = DS_EMPTY_INITIALIZER;
    long long int offset = 0;
    char *error = NULL;
    int line_number = 0;

    for (;;) {
        long long int start = offset;
        int c = read_line(stream, &line);
        size_t len = line.length;
        int crc;

        if (c == EOF && !len) {
            break;
        }
        offset += len + (c == '\n');
        line_number++;
        if (c == EOF) {
            /* Cut short by a crash while it was appended: the changes it
             * held were never acknowledged as saved. */
            VLOG_WARN("%s: line %d (byte %lld): ignoring a last record that "
                      "is incomplete (no new-line)", file_name, line_number,
                      start);
            r->torn_tail = true;
            break;
        }
        crc = check_crc(ds_cstr(&line), len);
        if (line_number == 1) {
            error = load_header(file_name, ds_cstr(&line), crc, r);
            if (error) {
                break;
            }
        } else {
            load_record(file_name, ds_cstr(&line), crc, line_number, start,
                        r, live);
        }
    }
    if (!error && ferror(stream)) {
        error = xasprintf("read error: %s", ovs_strerror(errno));
    }
    if (!error && !line_number) {
        VLOG_WARN("%s: the file is empty (not even a header line): no "
                  "connection to restore", file_name);
    }
    ds_destroy(&line);
    return error;
}

/* Empties 'live' and frees it: into '*sp' and '*np' if 'keep', else
 * freeing its connections too. */
static void
replay_finish(struct replay *live, bool keep,
              struct rdma_saved_binding **sp, size_t *np)
{
    struct replay_node *node;

    if (keep) {
        struct rdma_saved_binding *s;
        size_t n = 0;

        s = xmalloc((hmap_count(&live->keys) ? hmap_count(&live->keys) : 1)
                    * sizeof *s);
        HMAP_FOR_EACH_POP (node, node, &live->keys) {
            s[n++] = node->s;
            free(node);
        }
        *sp = s;
        *np = n;
    } else {
        HMAP_FOR_EACH_POP (node, node, &live->keys) {
            replay_node_free(node);
        }
    }
    hmap_destroy(&live->keys);
    hmap_destroy(&live->names);
}

/* Reads the log 'file_name' and replays it.  On success returns NULL,
 * stores the live connections in '*sp' and '*np' (free them with
 * rdma_saved_bindings_free()) and, if 'r' is nonnull, what it found in
 * '*r' (free it with rdma_state_report_destroy()).  A file that does not
 * exist holds no connections: that is not an error; damaged records are
 * not either (see rdma-state-file.h).  On error (the file cannot be read,
 * or is not a state file this ovs-rdmad reads) returns a message (caller
 * frees) and stores NULL and 0. */
char *
rdma_state_load(const char *file_name, struct rdma_saved_binding **sp,
                size_t *np, struct rdma_state_report *rp)
{
    struct replay live = { HMAP_INITIALIZER(&live.keys),
                           HMAP_INITIALIZER(&live.names) };
    struct rdma_state_report r;
    char *error = NULL;
    FILE *stream;

    memset(&r, 0, sizeof r);
    r.version = RDMA_STATE_VERSION;
    *sp = NULL;
    *np = 0;
    stream = open_for_read(file_name);
    if (stream) {
        error = replay_stream(file_name, stream, &r, &live);
        fclose(stream);
    } else if (errno != ENOENT) {
        error = (errno == ELOOP
                 ? xstrdup("it is a symbolic link (refused)")
                 : xasprintf("cannot open: %s", ovs_strerror(errno)));
    }
    replay_finish(&live, !error, sp, np);
    if (rp) {
        *rp = r;
    } else {
        rdma_state_report_destroy(&r);
    }
    return error;
}

/* Frees what 'r' holds. */
void
rdma_state_report_destroy(struct rdma_state_report *r)
{
    free(r->damaged_at);
    r->damaged_at = NULL;
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
