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
#include "util.h"

/* Parses 's' as a decimal or 0x-hex integer no greater than 'max' into
 * '*n'.  Returns true on success. */
static bool
parse_uint(const char *s, uint64_t max, uint64_t *n)
{
    char *end;

    if (!*s || *s == '-' || isspace((unsigned char) *s)) {
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

/* Parses 's' as a cm_id into '*cm_id'.  Returns NULL or an error message
 * (caller frees). */
char *
rdma_request_parse_cm_id(const char *s, uint64_t *cm_id)
{
    if (!parse_uint(s, UINT64_MAX, cm_id)) {
        return xasprintf("cm_id \"%s\" is not a non-negative integer", s);
    }
    return NULL;
}

/* Sets optional member 'key' of 'req' from 'value'.  The caller has
 * checked that 'key' is allowed.  Returns NULL or an error message (caller
 * frees). */
static char *
set_key(struct rdma_request *req, const char *key, const char *value)
{
    uint64_t n;

    if (!strcmp(key, "dst_mac")) {
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
        if (!parse_uint(value, RDMA_QPN_MAX, &n) || !n) {
            return xasprintf("qpn \"%s\" is not a QP number (1 to %d)",
                             value, RDMA_QPN_MAX);
        }
        req->qpn = n;
        req->has_qpn = true;
    } else if (!strcmp(key, "remote_qpn")) {
        if (!parse_uint(value, RDMA_QPN_MAX, &n) || !n) {
            return xasprintf("remote_qpn \"%s\" is not a QP number (1 to "
                             "%d)", value, RDMA_QPN_MAX);
        }
        req->remote_qpn = n;
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
    return set_key(req, "remote_qpn", arg + 11);
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

/* Parses "VPORT DST_IP [key=value]..." in argv[1...argc-1] into '*req',
 * accepting the optional keys in 'keys' (a space-separated list).
 * Returns NULL or an error message (caller frees).  'req->vport' points
 * into 'argv'. */
char *
rdma_request_from_args(int argc, const char *argv[], const char *keys,
                       struct rdma_request *req)
{
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
        } else {
            error = set_key(req, key, eq + 1);
        }
        free(key);
    }
    return error;
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
        const struct json *value = node->data;
        char *s;

        if (error) {
            break;
        }
        if (!strcmp(node->name, "dst_ip")) {
            continue;
        }
        if (!key_allowed(keys, node->name)) {
            error = xasprintf("unknown member \"%s\" (expected dst_ip and "
                              "any of: %s)", node->name, keys);
        } else if (value->type == JSON_STRING) {
            error = set_key(req, node->name, json_string(value));
        } else if (value->type == JSON_INTEGER) {
            s = xasprintf("%"PRId64, json_integer(value));
            error = set_key(req, node->name, s);
            free(s);
        } else {
            error = xasprintf("\"%s\" must be a string or an integer",
                              node->name);
        }
    }
    return error;
}
