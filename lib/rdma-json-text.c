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
#include "rdma-json-text.h"

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"

/* Starts member 'name' of the object being written into 'ds': a comma
 * unless it is the first member (the object's "{" is the last byte), the
 * quoted name and a colon.  'name' must need no escaping. */
void
rdma_json_put_name(struct ds *ds, const char *name)
{
    if (ds->length && ds->string[ds->length - 1] != '{') {
        ds_put_char(ds, ',');
    }
    ds_put_char(ds, '"');
    ds_put_cstr(ds, name);
    ds_put_cstr(ds, "\":");
}

/* Appends 'value' in decimal, as json_to_ds() writes a JSON integer (but
 * without printf()). */
void
rdma_json_put_int(struct ds *ds, long long int value)
{
    unsigned long long int u = value < 0 ? 0ULL - value : value;
    char buf[24], *p = buf + sizeof buf;

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (value < 0) {
        *--p = '-';
    }
    ds_put_buffer(ds, p, buf + sizeof buf - p);
}

/* Appends 's' as a quoted, escaped JSON string. */
void
rdma_json_put_string(struct ds *ds, const char *s)
{
    json_string_escape(s, ds);
}

/* Returns the value of 'm' as a new JSON tree. */
struct json *
rdma_json_member_to_json(const struct rdma_json_member *m)
{
    switch (m->type) {
    case RDMA_JSON_INT:
        return json_integer_create(m->integer);
    case RDMA_JSON_STRING:
        return json_string_create(m->string);
    case RDMA_JSON_BOOL:
        return json_boolean_create(m->integer != 0);
    case RDMA_JSON_NULL:
    default:
        return json_null_create();
    }
}

/* Appends member 'm' (name and value) to the object being written into
 * 'ds'. */
void
rdma_json_put_member(struct ds *ds, const struct rdma_json_member *m)
{
    rdma_json_put_name(ds, m->name);
    switch (m->type) {
    case RDMA_JSON_INT:
        rdma_json_put_int(ds, m->integer);
        break;
    case RDMA_JSON_STRING:
        rdma_json_put_string(ds, m->string);
        break;
    case RDMA_JSON_BOOL:
        ds_put_cstr(ds, m->integer ? "true" : "false");
        break;
    case RDMA_JSON_NULL:
    default:
        ds_put_cstr(ds, "null");
        break;
    }
}
