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

#ifndef FAKE_UNDERLAY_H
#define FAKE_UNDERLAY_H 1

/* A fake underlay for unit tests and benchmarks, which run without
 * ovs-vswitchd or kernel routes: every remote VTEP is on-link on "eth0"
 * from 192.0.2.1 (aa:55:aa:55:00:01), its neighbour's MAC is
 * aa:55:aa:55:00:NN with NN = fake_underlay_nexthop_byte, and the MTU is
 * fake_underlay_mtu; or, if fake_underlay_error is nonzero, every
 * resolution fails with that errno (ECONNREFUSED: ovs-vswitchd is
 * unreachable).  It is an underlay provider (rdma-underlay-provider.h):
 * select it for every bridge with
 * rdma_underlay_set_providers(&fake_underlay_class, &fake_underlay_class)
 * and go back to the real ones with rdma_underlay_set_providers(NULL,
 * NULL). */

#include <stdint.h>

#include "rdma-underlay-provider.h"

extern uint8_t fake_underlay_nexthop_byte;
extern int fake_underlay_mtu;
extern int fake_underlay_error;

extern const struct rdma_underlay_class fake_underlay_class;

#endif /* fake-underlay.h */
