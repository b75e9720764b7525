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
#include "ovl-type.h"

#include <string.h>

/* Returns the lowercase name of 'type', as OVS's Interface "type" column
 * spells it. */
const char *
ovl_type_to_string(enum ovl_type type)
{
    switch (type) {
    case OVL_VXLAN:
        return "vxlan";
    case OVL_GENEVE:
        return "geneve";
    }
    return "unknown";
}

/* Parses 's', an OVS Interface type such as "vxlan", into '*type'.
 * Returns true if 's' names an overlay that ovs-rdma supports. */
bool
ovl_type_from_string(const char *s, enum ovl_type *type)
{
    if (!strcmp(s, "vxlan")) {
        *type = OVL_VXLAN;
        return true;
    } else if (!strcmp(s, "geneve")) {
        *type = OVL_GENEVE;
        return true;
    }
    return false;
}

/* Returns the outer UDP destination port that OVS uses for 'type' when the
 * tunnel has no options:dst_port. */
uint16_t
ovl_type_default_port(enum ovl_type type)
{
    return type == OVL_VXLAN ? OVL_VXLAN_PORT : OVL_GENEVE_PORT;
}
