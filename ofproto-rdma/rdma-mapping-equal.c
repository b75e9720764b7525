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

/* Comparing objects of two snapshots: what ovs-rdmad uses to find what a
 * database change changed, object by object. */

#include <config.h>
#include "rdma-mapping.h"

#include <string.h>

#include "ovl-tuple.h"
#include "packets.h"

/* Returns true if 'a' and 'b', which may be NULL, are both NULL or name
 * bridges of the same name, datapath type and group. */
static bool
bridge_equal(const struct rdma_map_bridge *a, const struct rdma_map_bridge *b)
{
    return (a == b
            || (a && b && !strcmp(a->name, b->name)
                && !strcmp(a->datapath_type, b->datapath_type)
                && !strcmp(a->group_name, b->group_name)));
}

/* Returns true if two strings, either of which may be NULL, are equal. */
static bool
nullable_string_equal(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Returns true if 'a' and 'b' are configured the same. */
bool
rdma_map_vport_equal(const struct rdma_map_vport *a,
                     const struct rdma_map_vport *b)
{
    return (!strcmp(a->name, b->name)
            && bridge_equal(a->bridge, b->bridge)
            && a->has_mac == b->has_mac
            && eth_addr_equals(a->mac, b->mac)
            && a->has_ip == b->has_ip
            && ipv6_addr_equals(&a->ip, &b->ip)
            && a->n_ips == b->n_ips
            && (!a->n_ips
                || !memcmp(a->ips, b->ips, a->n_ips * sizeof *a->ips))
            && a->max_conns == b->max_conns
            && nullable_string_equal(a->device, b->device)
            && a->has_vni == b->has_vni
            && a->vni == b->vni
            && a->resolver == b->resolver
            && a->tag == b->tag
            && a->ofport == b->ofport
            && nullable_string_equal(a->error, b->error));
}

/* Returns true if 'a' and 'b' are the same as far as choosing a tunnel for
 * a destination is concerned (Documentation/design.rst, section
 * "Configuration in OVSDB"): same bridge group, VNI, rdma-peers and
 * usability.  Tunnels that differ only in their remote or
 * local IP, UDP port or overlay type are chosen for the same destinations;
 * only their paths differ. */
bool
rdma_map_tunnel_selection_equal(const struct rdma_map_tunnel *a,
                                const struct rdma_map_tunnel *b)
{
    return (bridge_equal(a->bridge, b->bridge)
            && a->vni == b->vni
            && a->n_peers == b->n_peers
            && !memcmp(a->peers, b->peers, a->n_peers * sizeof *a->peers)
            && nullable_string_equal(a->error, b->error));
}

/* Returns true if 'a' and 'b' are configured the same: chosen for the
 * same destinations (rdma_map_tunnel_selection_equal()) and with the same
 * name, type, path and options. */
bool
rdma_map_tunnel_equal(const struct rdma_map_tunnel *a,
                      const struct rdma_map_tunnel *b)
{
    return (rdma_map_tunnel_selection_equal(a, b)
            && !strcmp(a->name, b->name)
            && !strcmp(a->type_name, b->type_name)
            && a->type == b->type
            && a->dst_port == b->dst_port
            && ipv6_addr_equals(&a->remote_ip, &b->remote_ip)
            && ipv6_addr_equals(&a->local_ip, &b->local_ip)
            && a->flow_based == b->flow_based
            && ovl_tuple_options_equal(a->opts, b->opts));
}

/* Returns true if 'a' and 'b' have the same underlay-relevant settings. */
bool
rdma_map_iface_equal(const struct rdma_map_iface *a,
                     const struct rdma_map_iface *b)
{
    return (!strcmp(a->name, b->name)
            && bridge_equal(a->bridge, b->bridge)
            && eth_addr_equals(a->mac, b->mac)
            && a->mtu == b->mtu
            && a->tag == b->tag
            && a->ofport == b->ofport);
}
