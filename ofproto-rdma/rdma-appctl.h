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

#ifndef RDMA_APPCTL_H
#define RDMA_APPCTL_H 1

/* The admin front end: "rdma/..." commands on ovs-rdmad's unixctl socket
 * ("ovs-appctl -t ovs-rdmad rdma/show-qp-map").  See ovs-rdmad(8). */

struct rdma_engine;
struct rdma_zero_touch;

void rdma_appctl_init(struct rdma_engine *);
void rdma_appctl_set_zero_touch(const struct rdma_zero_touch *);

#endif /* rdma-appctl.h */
