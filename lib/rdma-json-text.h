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

#ifndef RDMA_JSON_TEXT_H
#define RDMA_JSON_TEXT_H 1

/* JSON text written straight into a "struct ds", for the few hot paths
 * (a tenant's reply to a bind) where building a "struct json" tree and
 * serializing it costs more than the work the reply reports.  The text is
 * what json_to_ds() would write for the same tree, but for the order of
 * object members. */

#include <stdbool.h>
#include <stdint.h>

struct ds;
struct json;

void rdma_json_put_name(struct ds *, const char *name);
void rdma_json_put_int(struct ds *, long long int);
void rdma_json_put_string(struct ds *, const char *);

/* One member of a JSON object whose members a function lists once, for
 * both a tree (rdma_json_member_to_json()) and text
 * (rdma_json_put_member()). */
struct rdma_json_member {
    const char *name;           /* Member name (needs no escaping). */
    enum rdma_json_member_type {
        RDMA_JSON_INT,          /* 'integer'. */
        RDMA_JSON_STRING,       /* 'string'. */
        RDMA_JSON_BOOL,         /* 'integer' != 0. */
        RDMA_JSON_NULL,         /* null. */
    } type;                     /* Which value. */
    const char *string;         /* RDMA_JSON_STRING's value. */
    long long int integer;      /* RDMA_JSON_INT's or _BOOL's value. */
};

/* Initializers of a "struct rdma_json_member". */
#define RDMA_JSON_MEMBER_INT(NAME, VALUE) \
    ((struct rdma_json_member) { NAME, RDMA_JSON_INT, NULL, VALUE })
#define RDMA_JSON_MEMBER_STRING(NAME, VALUE) \
    ((struct rdma_json_member) { NAME, RDMA_JSON_STRING, VALUE, 0 })
#define RDMA_JSON_MEMBER_BOOL(NAME, VALUE) \
    ((struct rdma_json_member) { NAME, RDMA_JSON_BOOL, NULL, VALUE })
#define RDMA_JSON_MEMBER_NULL(NAME) \
    ((struct rdma_json_member) { NAME, RDMA_JSON_NULL, NULL, 0 })

struct json *rdma_json_member_to_json(const struct rdma_json_member *);
void rdma_json_put_member(struct ds *, const struct rdma_json_member *);

#endif /* rdma-json-text.h */
