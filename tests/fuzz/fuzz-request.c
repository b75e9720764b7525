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

/* libFuzzer target for the request parsers (ofproto-rdma/rdma-request.c):
 * the stream scanner that splits and checks tenant messages, the JSON
 * request parser, the admin's key=value parser and the decimal parser.
 *
 * The first input byte sets the size of the chunks the stream is fed in,
 * so that messages split anywhere are tried.  Checked after every call:
 * a decimal is accepted only in canonical form and within range, and the
 * scanner never claims more bytes than it was given. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rdma-request.h"
#include "util.h"

/* Checks rdma_parse_decimal() on 's'. */
static void
check_decimal(const char *s)
{
    uint64_t n, max = strlen(s) % 2 ? UINT64_MAX : RDMA_QPN_MAX;
    char *error = rdma_parse_decimal("n", s, 1, max, &n);

    if (!error) {
        char buf[32];

        snprintf(buf, sizeof buf, "%"PRIu64, n);
        ovs_assert(!strcmp(buf, s));    /* Canonical decimal only. */
        ovs_assert(n >= 1 && n <= max);
    }
    free(error);
}

/* Parses 'json', one complete message, as a tenant's request would be. */
static void
check_message(const struct rdma_json_scanner *scanner, struct json *json)
{
    char *error = rdma_request_check_message(scanner, json);
    const struct json *params;

    free(error);
    if (json->type != JSON_OBJECT) {
        return;
    }
    params = shash_find_data(json_object(json), "params");
    if (params && params->type == JSON_ARRAY && json_array(params)->n) {
        struct rdma_request req;

        error = rdma_request_from_json(json_array(params)->elems[0], "vm1",
                                       "dst_mac src_ip qpn remote_qpn cm_id "
                                       "persistent", &req);
        if (!error) {
            ovs_assert(!req.has_qpn
                       || (req.qpn >= 1 && req.qpn <= RDMA_QPN_MAX));
            ovs_assert(req.remote_qpn <= RDMA_QPN_MAX);
        }
        free(error);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's entry point. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rdma_json_scanner scanner;
    struct ds msg = DS_EMPTY_INITIALIZER;
    size_t chunk, ofs;
    char *text;

    if (!size) {
        return 0;
    }
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    chunk = data[0] % 64 + 1;
    data++;
    size--;

    /* The stream scanner, fed in chunks. */
    rdma_json_scanner_init(&scanner);
    ofs = 0;
    while (ofs < size) {
        size_t n = MIN(chunk, size - ofs), used;
        enum rdma_json_scan scan;

        scan = rdma_json_scanner_feed(&scanner, (const char *) data + ofs, n,
                                      &used);
        ovs_assert(used <= n);
        ds_put_buffer(&msg, (const char *) data + ofs, used);
        ofs += used;
        if (scan == RDMA_JSON_BROKEN) {
            break;
        } else if (scan == RDMA_JSON_COMPLETE) {
            struct json *json;

            ovs_assert(msg.length <= RDMA_REQUEST_MAX_SIZE);
            json = json_from_string(ds_cstr(&msg));
            check_message(&scanner, json);
            json_destroy(json);
            ds_clear(&msg);
            rdma_json_scanner_destroy(&scanner);
            rdma_json_scanner_init(&scanner);
        } else {
            ovs_assert(used == n);
        }
    }
    rdma_json_scanner_destroy(&scanner);
    ds_destroy(&msg);

    /* The admin's words, and the decimal parser. */
    text = xmemdup0((const char *) data, size);
    {
        const char *argv[16];
        char *save_ptr = NULL, *word;
        int argc = 0;

        check_decimal(text);
        argv[argc++] = "rdma/bind";
        for (word = strtok_r(text, " ", &save_ptr); word && argc < 16;
             word = strtok_r(NULL, " ", &save_ptr)) {
            argv[argc++] = word;
        }
        if (argc >= 3) {
            struct rdma_request req;
            char *error = rdma_request_from_args(argc, argv,
                                                 "dst_mac src_ip qpn cm_id "
                                                 "remote_qpn", &req);
            free(error);
        }
    }
    free(text);
    return 0;
}
