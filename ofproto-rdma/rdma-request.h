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


#ifndef RDMA_REQUEST_H
#define RDMA_REQUEST_H 1

/* Parsing the bind and resolve requests that the front ends receive: the
 * admin's "key=value" words (ovs-appctl rdma/bind) and the tenants'
 * JSON objects (the per-vport sockets), with the same checks and the same
 * messages for both.
 *
 * Keys: dst_ip (required), dst_mac, src_ip, qpn, remote_qpn, cm_id,
 * persistent; each caller says which of the optional ones it accepts.
 *
 * One rule for every number, whoever sends it: plain decimal (no sign, no
 * leading zero, no "0x"), range-checked on its digits before conversion
 * (refused, never wrapped), each key at most once; the messages are the
 * same from every front end. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/compiler.h"
#include "openvswitch/types.h"
#include "roce-frame.h"

struct json;

/* A bind or resolve request, as parsed from the admin or tenant front
 * ends, or read back from the state file. */
struct rdma_request {
    const char *vport;          /* Tenant vport name. */
    struct in6_addr dst_ip;     /* Inner destination IP. */
    struct eth_addr dst_mac;    /* Inner destination MAC, if has_dst_mac. */
    bool has_dst_mac;           /* Whether 'dst_mac' was given. */
    struct in6_addr src_ip;     /* Inner source IP, if has_src_ip. */
    bool has_src_ip;            /* Whether 'src_ip' was given. */
    uint64_t cm_id;             /* rdma_cm identifier, if has_cm_id. */
    bool has_cm_id;             /* Whether 'cm_id' was given. */
    uint32_t qpn;               /* Local QPN, if has_qpn. */
    bool has_qpn;               /* Whether 'qpn' was given. */
    uint32_t remote_qpn;        /* Peer's QPN, 0 if unknown. */
    bool persistent;            /* Tenant: keep the binding when the
                                 * connection that made it closes. */
    bool admin;                 /* From the admin: may name any source IP;
                                 * not subject to the tenants' quotas. */
    uint64_t owner;             /* Tenant connection that makes it, or 0. */
    bool zero_touch;            /* From zero-touch binding: the only one
                                 * that may use its cm_id range. */
};

/* Largest request, in bytes, that a tenant socket accepts. */
#define RDMA_REQUEST_MAX_SIZE 65536

/* Deepest nesting of arrays and objects in a tenant request. */
#define RDMA_REQUEST_MAX_DEPTH 32

char *rdma_parse_decimal(const char *what, const char *s, uint64_t min,
                         uint64_t max, uint64_t *n) OVS_WARN_UNUSED_RESULT;
char *rdma_request_duplicate_error(const char *key) OVS_WARN_UNUSED_RESULT;

char *rdma_request_set(struct rdma_request *, const char *key,
                       const char *value) OVS_WARN_UNUSED_RESULT;
char *rdma_request_set_json(struct rdma_request *, const char *key,
                            const struct json *value) OVS_WARN_UNUSED_RESULT;
char *rdma_request_from_args(int argc, const char *argv[], const char *keys,
                             struct rdma_request *) OVS_WARN_UNUSED_RESULT;
char *rdma_request_from_json(const struct json *, const char *vport,
                             const char *keys, struct rdma_request *)
    OVS_WARN_UNUSED_RESULT;
char *rdma_request_parse_cm_id(const char *, uint64_t *cm_id)
    OVS_WARN_UNUSED_RESULT;
char *rdma_request_parse_update(const char *, struct rdma_request *)
    OVS_WARN_UNUSED_RESULT;

/* Splits a stream of JSON-RPC messages into messages before they are
 * parsed, and checks what the parser would hide: see
 * rdma_json_scanner_feed(). */
struct rdma_json_scanner {
    bool started;               /* Seen the message's first byte. */
    bool in_string;             /* Inside a string. */
    bool escape;                /* After a backslash in a string. */
    bool in_number;             /* Inside a number. */
    bool number_too_long;       /* The number exceeds 'number'. */
    int depth;                  /* Open arrays and objects. */
    size_t size;                /* Bytes of the message so far. */
    size_t n_members;           /* Object members (colons) so far. */
    size_t number_len;          /* Length of 'number'. */
    char number[32];            /* The number being scanned. */
    char *error;                /* First error, or NULL. */
};

/* What rdma_json_scanner_feed() found. */
enum rdma_json_scan {
    RDMA_JSON_INCOMPLETE,       /* Needs more bytes. */
    RDMA_JSON_COMPLETE,         /* A message ended. */
    RDMA_JSON_BROKEN,           /* Not a stream of messages: close it. */
};

void rdma_json_scanner_init(struct rdma_json_scanner *);
void rdma_json_scanner_destroy(struct rdma_json_scanner *);
enum rdma_json_scan rdma_json_scanner_feed(struct rdma_json_scanner *,
                                           const char *buf, size_t len,
                                           size_t *used);
char *rdma_request_check_message(const struct rdma_json_scanner *,
                                 const struct json *)
    OVS_WARN_UNUSED_RESULT;

#endif /* rdma-request.h */
