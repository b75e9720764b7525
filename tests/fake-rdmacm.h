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


#ifndef FAKE_RDMACM_H
#define FAKE_RDMACM_H 1

/* A stand-in for librdmacm, for testing librdmaovl-preload without RDMA
 * (see fake-rdmacm.c). */

#include <stdint.h>
#include <rdma/rdma_cma.h>

extern int fake_rdmacm_connect_error;

void fake_rdmacm_push_event(struct rdma_cm_id *, enum rdma_cm_event_type,
                            uint32_t qp_num);

#endif /* fake-rdmacm.h */
