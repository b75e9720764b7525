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
 * Keys: dst_ip (required), dst_mac, src_ip, qpn, remote_qpn, cm_id; each
 * caller says which of the optional ones it accepts. */

#include <stdint.h>

#include "openvswitch/compiler.h"
#include "rdma-engine.h"

struct json;

/* Largest QP number (24 bits). */
#define RDMA_QPN_MAX 0xffffff

char *rdma_request_from_args(int argc, const char *argv[], const char *keys,
                             struct rdma_request *) OVS_WARN_UNUSED_RESULT;
char *rdma_request_from_json(const struct json *, const char *vport,
                             const char *keys, struct rdma_request *)
    OVS_WARN_UNUSED_RESULT;
char *rdma_request_parse_cm_id(const char *, uint64_t *cm_id)
    OVS_WARN_UNUSED_RESULT;
char *rdma_request_parse_update(const char *, struct rdma_request *)
    OVS_WARN_UNUSED_RESULT;

#endif /* rdma-request.h */
