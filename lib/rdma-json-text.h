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

#include <stdint.h>

struct ds;

void rdma_json_put_name(struct ds *, const char *name);
void rdma_json_put_int(struct ds *, long long int);
void rdma_json_put_string(struct ds *, const char *);

#endif /* rdma-json-text.h */
