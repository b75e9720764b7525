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

#include "rdma-request.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "rdma-addr.h"
#include "sset.h"
#include "util.h"

/* Returns true if 's' is a decimal integer with no sign, no leading zero
 * (except "0" itself) and nothing else, of at most 20 digits. */
static bool
is_plain_decimal(const char *s)
{
    size_t len = strspn(s, "0123456789");

    return len && !s[len] && len <= 20 && (s[0] != '0' || len == 1);
}

/* Parses 's', a decimal integer from 'min' to 'max', into '*n'.  Only
 * plain decimal is accepted: no sign, no leading zero (so never octal), no
 * "0x", no spaces.  The range is checked on the digits, before anything is
 * converted, so that nothing can wrap.  Returns NULL, or an error message
 * (caller frees) naming 'what', worded the same for every caller. */
char *
rdma_parse_decimal(const char *what, const char *s, uint64_t min,
                   uint64_t max, uint64_t *n)
{
    char max_text[21];
    size_t len = strlen(s);

    snprintf(max_text, sizeof max_text, "%"PRIu64, max);
    if (!is_plain_decimal(s)
        || len > strlen(max_text)
        || (len == strlen(max_text) && strcmp(s, max_text) > 0)) {
        goto error;
    }
    *n = strtoull(s, NULL, 10);
    if (*n < min) {
        goto error;
    }
    return NULL;

error:
    return xasprintf("invalid %s \"%s\": expected a decimal integer from "
                     "%"PRIu64" to %"PRIu64, what, s, min, max);
}

/* Returns true if 'key' is one of the space-separated words in 'keys'. */
static bool
key_allowed(const char *keys, const char *key)
{
    size_t len = strlen(key);
    const char *p;

    for (p = strstr(keys, key); len && p; p = strstr(p + 1, key)) {
        if ((p == keys || *(p - 1) == ' ')
            && (!p[len] || p[len] == ' ')) {
            return true;
        }
    }
    return false;
}

/* Parses 's' as a cm_id into '*cm_id'.  Returns NULL or an error message
 * (caller frees). */
char *
rdma_request_parse_cm_id(const char *s, uint64_t *cm_id)
{
    return rdma_parse_decimal("cm_id", s, 0, UINT64_MAX, cm_id);
}

/* Sets the destination IP of 'req' from 'value'.  Returns NULL or an error
 * message (caller frees). */
static char *
set_dst_ip(struct rdma_request *req, const char *value)
{
    if (!rdma_ip_parse(value, &req->dst_ip)) {
        return xasprintf("\"%s\" is not a valid destination IP address",
                         value);
    }
    return NULL;
}

/* Sets member 'key' of 'req' from 'value', its text form.  This is the
 * one place where a request's values are checked, with the same rules and
 * messages however the request arrives: admin arguments ("key=value"),
 * tenant JSON (rdma_request_set_json()) or a state file record.  The
 * caller has checked that 'key' is allowed where it comes from.  Returns
 * NULL or an error message (caller frees). */
char *
rdma_request_set(struct rdma_request *req, const char *key,
                 const char *value)
{
    uint64_t n;

    if (!strcmp(key, "dst_ip")) {
        return set_dst_ip(req, value);
    } else if (!strcmp(key, "dst_mac")) {
        if (!eth_addr_from_string(value, &req->dst_mac)
            || eth_addr_is_zero(req->dst_mac)
            || eth_addr_is_multicast(req->dst_mac)) {
            return xasprintf("\"%s\" is not a valid unicast MAC address",
                             value);
        }
        req->has_dst_mac = true;
    } else if (!strcmp(key, "src_ip")) {
        if (!rdma_ip_parse(value, &req->src_ip)) {
            return xasprintf("\"%s\" is not a valid source IP address",
                             value);
        }
        req->has_src_ip = true;
    } else if (!strcmp(key, "qpn")) {
        char *error = rdma_parse_decimal("qpn", value, 1, RDMA_QPN_MAX, &n);

        if (error) {
            return error;
        }
        req->qpn = n;
        req->has_qpn = true;
    } else if (!strcmp(key, "remote_qpn")) {
        char *error = rdma_parse_decimal("remote_qpn", value, 1,
                                         RDMA_QPN_MAX, &n);

        if (error) {
            return error;
        }
        req->remote_qpn = n;
    } else if (!strcmp(key, "persistent")) {
        if (!strcmp(value, "true")) {
            req->persistent = true;
        } else if (strcmp(value, "false")) {
            return xasprintf("invalid persistent \"%s\": expected true or "
                             "false", value);
        }
    } else if (!strcmp(key, "cm_id")) {
        char *error = rdma_request_parse_cm_id(value, &req->cm_id);

        if (error) {
            return error;
        }
        req->has_cm_id = true;
    } else {
        OVS_NOT_REACHED();
    }
    return NULL;
}

/* Parses 'arg', which must be "remote_qpn=N", into 'req->remote_qpn' (the
 * rest of '*req' is zeroed).  Returns NULL or an error message (caller
 * frees). */
char *
rdma_request_parse_update(const char *arg, struct rdma_request *req)
{
    memset(req, 0, sizeof *req);
    if (strncmp(arg, "remote_qpn=", 11)) {
        return xasprintf("unknown argument \"%s\" (expected "
                         "remote_qpn=N)", arg);
    }
    return rdma_request_set(req, "remote_qpn", arg + 11);
}

/* Parses "VPORT DST_IP [key=value]..." in argv[1...argc-1] into '*req',
 * accepting the optional keys in 'keys' (a space-separated list).
 * Returns NULL or an error message (caller frees).  'req->vport' points
 * into 'argv'. */
char *
rdma_request_from_args(int argc, const char *argv[], const char *keys,
                       struct rdma_request *req)
{
    struct sset seen = SSET_INITIALIZER(&seen);
    char *error;
    int i;

    memset(req, 0, sizeof *req);
    req->vport = argv[1];
    error = set_dst_ip(req, argv[2]);
    for (i = 3; i < argc && !error; i++) {
        const char *eq = strchr(argv[i], '=');
        char *key = eq ? xmemdup0(argv[i], eq - argv[i]) : NULL;

        if (!key || !key_allowed(keys, key)) {
            error = xasprintf("unknown argument \"%s\" (expected "
                              "key=value with key one of: %s)", argv[i],
                              keys);
        } else if (!sset_add(&seen, key)) {
            error = rdma_request_duplicate_error(key);
        } else {
            error = rdma_request_set(req, key, eq + 1);
        }
        free(key);
    }
    sset_destroy(&seen);
    return error;
}

/* Sets member 'key' of 'req' from JSON value 'value': a string, an
 * integer (for the numeric keys) or, for "persistent", a boolean, checked
 * as rdma_request_set() checks its text form.  Returns NULL or an error
 * message (caller frees). */
char *
rdma_request_set_json(struct rdma_request *req, const char *key,
                      const struct json *value)
{
    char *error, *s;

    if (value->type == JSON_STRING) {
        return rdma_request_set(req, key, json_string(value));
    } else if (value->type == JSON_INTEGER) {
        s = xasprintf("%"PRId64, json_integer(value));
        error = rdma_request_set(req, key, s);
        free(s);
        return error;
    } else if ((value->type == JSON_TRUE || value->type == JSON_FALSE)
               && !strcmp(key, "persistent")) {
        return rdma_request_set(req, key,
                                value->type == JSON_TRUE ? "true" : "false");
    }
    return xasprintf("\"%s\" must be a string or an integer", key);
}

/* Parses 'json', a JSON object such as {"dst_ip": "10.1.0.2", "qpn": 17},
 * into '*req' for vport 'vport', accepting the optional keys in 'keys'.
 * Values are strings, or integers for the numeric keys.  Returns NULL or
 * an error message (caller frees).  'req->vport' is 'vport' and the other
 * strings are copied. */
char *
rdma_request_from_json(const struct json *json, const char *vport,
                       const char *keys, struct rdma_request *req)
{
    const struct shash_node *node;
    const struct json *dst_ip;
    char *error = NULL;

    memset(req, 0, sizeof *req);
    req->vport = vport;
    if (json->type != JSON_OBJECT) {
        return xstrdup("the parameter must be a JSON object such as "
                       "{\"dst_ip\": \"10.1.0.2\"}");
    }
    dst_ip = shash_find_data(json_object(json), "dst_ip");
    if (!dst_ip || dst_ip->type != JSON_STRING) {
        return xstrdup("\"dst_ip\" (a string) is required");
    }
    error = set_dst_ip(req, json_string(dst_ip));

    SHASH_FOR_EACH (node, json_object(json)) {
        if (error) {
            break;
        }
        if (!strcmp(node->name, "dst_ip")) {
            continue;
        }
        if (!key_allowed(keys, node->name)) {
            error = xasprintf("unknown member \"%s\" (expected dst_ip and "
                              "any of: %s)", node->name, keys);
        } else {
            error = rdma_request_set_json(req, node->name, node->data);
        }
    }
    return error;
}

/* Returns the message for a key given twice, the same for every front
 * end (caller frees). */
char *
rdma_request_duplicate_error(const char *key)
{
    return (key
            ? xasprintf("duplicate key \"%s\": give each key once", key)
            : xstrdup("duplicate key in a JSON object: give each key once"));
}

/* Initializes 's' to scan a new message. */
void
rdma_json_scanner_init(struct rdma_json_scanner *s)
{
    memset(s, 0, sizeof *s);
}

/* Frees what 's' holds. */
void
rdma_json_scanner_destroy(struct rdma_json_scanner *s)
{
    free(s->error);
    s->error = NULL;
}

/* Records 'error' as the first content error of the message being
 * scanned (or frees it, if there is one already). */
static void
scanner_content_error(struct rdma_json_scanner *s, char *error)
{
    if (!s->error) {
        s->error = error;
    } else {
        free(error);
    }
}

/* Checks the number token the scanner has just finished: an integer,
 * without fraction or exponent, that a 64-bit signed integer holds exactly
 * (OVS 3.1's JSON lexer silently wraps larger ones, so this looks at the
 * text before the lexer does). */
static void
scanner_check_number(struct rdma_json_scanner *s)
{
    const char *t = s->number;
    bool negative = *t == '-';
    const char *digits = t + negative;
    const char *limit = negative ? "9223372036854775808"
                                 : "9223372036854775807";
    size_t len = strlen(digits);

    if (s->number_too_long) {
        scanner_content_error(s, xstrdup("a number is too long: integers "
                                         "must fit in 64 bits (give larger "
                                         "values as decimal strings)"));
    } else if (strspn(digits, "0123456789") != len || !len) {
        scanner_content_error(s, xasprintf("number %s is not an integer: "
                                           "numbers must be decimal "
                                           "integers, without fraction or "
                                           "exponent", t));
    } else if (len > 19 || (len == 19 && strcmp(digits, limit) > 0)) {
        scanner_content_error(s, xasprintf("number %s is out of range: "
                                           "integers must fit in 64 signed "
                                           "bits (give larger values as "
                                           "decimal strings)", t));
    }
    s->in_number = false;
    s->number_len = 0;
    s->number_too_long = false;
}

/* Stores 'error' as the reason why the stream of 's' cannot be a sequence
 * of JSON-RPC messages, found at byte 'i' of the current buffer, in
 * 's->error' and 'i' in '*used', and returns RDMA_JSON_BROKEN. */
static enum rdma_json_scan
scanner_broken(struct rdma_json_scanner *s, char *error, size_t i,
               size_t *used)
{
    free(s->error);
    s->error = error;
    *used = i;
    return RDMA_JSON_BROKEN;
}

/* Scans 'c' if it is part of the string or number that 's' is in.
 * Returns true if it was, false if 'c' is the first byte after it (or
 * 's' is in neither). */
static bool
scanner_token_byte(struct rdma_json_scanner *s, unsigned char c)
{
    if (s->in_string) {
        if (s->escape) {
            s->escape = false;
        } else if (c == '\\') {
            s->escape = true;
        } else if (c == '"') {
            s->in_string = false;
        }
        return true;
    }
    if (s->in_number) {
        if (strchr("0123456789+-.eE", c) && c) {
            if (s->number_len < sizeof s->number - 1) {
                s->number[s->number_len++] = c;
                s->number[s->number_len] = '\0';
            } else {
                s->number_too_long = true;
            }
            return true;
        }
        scanner_check_number(s);
    }
    return false;
}

/* Scans the 'len' bytes in 'buf', the next part of a message on a stream
 * of JSON-RPC messages.  Returns:
 *
 *   - RDMA_JSON_INCOMPLETE: every byte was used and the message is not
 *     complete yet (or nothing but white space was seen).
 *
 *   - RDMA_JSON_COMPLETE: the message ended; '*used' is the number of bytes
 *     of 'buf' that belong to it.  Any content error (a number out of
 *     range, say) is in 's->error', for the caller's reply.
 *
 *   - RDMA_JSON_BROKEN: the stream cannot be a sequence of JSON-RPC
 *     messages (a message that is not an object, nested too deeply, larger
 *     than RDMA_REQUEST_MAX_SIZE bytes): 's->error' says why, and the
 *     caller closes the connection.  '*used' is then the number of bytes
 *     scanned before the problem.
 *
 * The scanner counts the members of every object, for
 * rdma_request_check_message(), which finds duplicate keys with it.  It
 * does not check the rest of the syntax: the JSON parser does that. */
enum rdma_json_scan
rdma_json_scanner_feed(struct rdma_json_scanner *s, const char *buf,
                       size_t len, size_t *used)
{
    size_t i;

    *used = 0;
    for (i = 0; i < len; i++) {
        unsigned char c = buf[i];

        if (s->started && ++s->size > RDMA_REQUEST_MAX_SIZE) {
            return scanner_broken(s, xasprintf("request larger than %d bytes",
                                               RDMA_REQUEST_MAX_SIZE),
                                  i, used);
        }
        if (scanner_token_byte(s, c)) {
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        if (!s->started) {
            if (c != '{') {
                return scanner_broken(s, xstrdup("a JSON-RPC message must "
                                                 "be a JSON object"),
                                      i, used);
            }
            s->started = true;
            s->size = 1;
        }
        switch (c) {
        case '{':
        case '[':
            if (++s->depth > RDMA_REQUEST_MAX_DEPTH) {
                return scanner_broken(s, xasprintf("request nested more "
                                                   "than %d deep",
                                                   RDMA_REQUEST_MAX_DEPTH),
                                      i, used);
            }
            break;
        case '}':
        case ']':
            if (!--s->depth) {
                *used = i + 1;
                return RDMA_JSON_COMPLETE;
            }
            break;
        case '"':
            s->in_string = true;
            break;
        case ':':
            s->n_members++;
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                s->in_number = true;
                s->number[0] = c;
                s->number[1] = '\0';
                s->number_len = 1;
            }
            break;
        }
    }
    *used = len;
    return RDMA_JSON_INCOMPLETE;
}

/* Returns the number of object members in 'json', recursively. */
static size_t
count_members(const struct json *json)
{
    const struct shash_node *node;
    size_t n = 0, i;

    if (json->type == JSON_OBJECT) {
        SHASH_FOR_EACH (node, json_object(json)) {
            n += 1 + count_members(node->data);
        }
    } else if (json->type == JSON_ARRAY) {
        const struct json_array *a = json_array(json);

        for (i = 0; i < a->n; i++) {
            n += count_members(a->elems[i]);
        }
    }
    return n;
}

/* Checks 'json', the message that 's' has just scanned completely, as
 * parsed: returns NULL, or the content error the reply must carry (caller
 * frees): a number the parser could not hold exactly, or a key given twice
 * in an object (the parser keeps the last one; the text has more members
 * than the parsed objects then). */
char *
rdma_request_check_message(const struct rdma_json_scanner *s,
                           const struct json *json)
{
    if (s->error) {
        return xstrdup(s->error);
    }
    if (count_members(json) != s->n_members) {
        return rdma_request_duplicate_error(NULL);
    }
    return NULL;
}
