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

#ifndef OVL_TYPE_H
#define OVL_TYPE_H 1

/* Overlay encapsulations, their names as OVS's Interface "type" column
 * spells them, and their default outer UDP destination ports. */

#include <stdbool.h>
#include <stdint.h>

/* Overlay encapsulations. */
enum ovl_type {
    OVL_VXLAN,                  /* VXLAN, RFC 7348. */
    OVL_GENEVE,                 /* Geneve, RFC 8926. */
};

/* Default outer UDP destination ports, as OVS uses them. */
#define OVL_VXLAN_PORT 4789
#define OVL_GENEVE_PORT 6081

const char *ovl_type_to_string(enum ovl_type);
bool ovl_type_from_string(const char *, enum ovl_type *);
uint16_t ovl_type_default_port(enum ovl_type);

#endif /* ovl-type.h */
