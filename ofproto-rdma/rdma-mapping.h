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

#ifndef RDMA_MAPPING_H
#define RDMA_MAPPING_H 1

/* The mapping source: what ovs-rdmad needs to know of the Open vSwitch
 * configuration, as a snapshot taken from the database replica.
 *
 * A snapshot holds the RDMA vports (Interfaces with other_config:rdma=true),
 * the overlay tunnels (Interfaces of type vxlan or geneve, and other tunnel
 * types so that selecting one gives a clear error), the bridges with their
 * datapath types grouped by the patch ports that join them, and every
 * interface by name (MAC, MTU, VLAN tag of its Port, OpenFlow port number)
 * for the underlay lookups.  ovs-rdmad builds a new snapshot whenever the
 * database changes and compares it with the previous one, object by object,
 * to find what changed (rdma_map_vport_equal(), rdma_map_tunnel_equal()).
 *
 * Documentation/design.rst, section "Configuration in OVSDB", describes
 * the configuration. */

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/hmap.h"
#include "openvswitch/types.h"
#include "ovl-tuple.h"
#include "ovl-type.h"

struct ovsdb_idl;

/* A bridge. */
struct rdma_map_bridge {
    struct hmap_node node;      /* In rdma_mapping's 'bridges', by name. */
    char *name;                 /* Bridge name. */
    char *datapath_type;        /* "system", "netdev" or "dummy". */
    int group;                  /* Bridges joined by patch ports share it. */
    const char *group_name;     /* Smallest bridge name in the group: a
                                 * group identity that is stable across
                                 * snapshots. */
};

/* Returns true if 'br' uses the Linux kernel's routing (datapath type
 * "system"), false if Open vSwitch's own tables (userspace datapaths). */
bool rdma_map_bridge_is_system(const struct rdma_map_bridge *);

/* Which resolver chooses a vport's tunnel and computes its overlay fields
 * (other_config:rdma-resolver of the vport, else of the Open_vSwitch
 * record; Documentation/design.rst, section "The pipeline resolver"). */
enum rdma_resolver {
    RDMA_RESOLVER_AUTO,         /* "auto" (default): static, unless a
                                 * tunnel on the vport's bridges takes its
                                 * key or remote_ip from the flows. */
    RDMA_RESOLVER_STATIC,       /* "static": Interface options and
                                 * rdma-peers (rdma-resolve.h). */
    RDMA_RESOLVER_PIPELINE,     /* "pipeline": ofproto/trace through the
                                 * bridge's flows (rdma-pipeline.h). */
};

/* An RDMA-enabled tenant vport. */
struct rdma_map_vport {
    struct hmap_node node;      /* In rdma_mapping's 'vports', by name. */
    char *name;                 /* Interface name. */
    const struct rdma_map_bridge *bridge; /* Its bridge, NULL if none. */
    struct eth_addr mac;        /* external_ids:attached-mac, else zero. */
    bool has_mac;               /* Whether 'mac' was configured. */
    struct in6_addr ip;         /* First of other_config:rdma-ip: the
                                 * default source IP. */
    bool has_ip;                /* Whether 'ip' was configured. */
    struct in6_addr *ips;       /* All of other_config:rdma-ip (a comma- or
                                 * space-separated list): the source IPs a
                                 * tenant may use. */
    size_t n_ips;               /* Number of 'ips'. */
    unsigned int max_conns;     /* other_config:rdma-max-connections. */
    char *device;               /* other_config:rdma-device: the vport's
                                 * RDMA device (its NIC function), or
                                 * NULL. */
    uint32_t vni;               /* other_config:rdma-vni. */
    bool has_vni;               /* Whether the vport is pinned to 'vni'. */
    enum rdma_resolver resolver; /* other_config:rdma-resolver. */
    int tag;                    /* Its Port's VLAN tag, 0 if none. */
    int64_t ofport;             /* OpenFlow port number, -1 if unknown. */
    char *error;                /* Configuration error, or NULL. */
    char *kept_error;           /* Why the database's configuration is
                                 * invalid while the last valid one is
                                 * kept in force (rdma-config-guard.h), or
                                 * NULL. */
};

/* A prefix of tenant addresses behind a tunnel (other_config:rdma-peers). */
/* Default of other_config:rdma-max-connections. */
#define RDMA_DEFAULT_MAX_CONNS 1024

/* Largest other_config:rdma-max-connections. */
#define RDMA_MAX_MAX_CONNS 1000000

struct rdma_map_prefix {
    struct in6_addr ip;         /* Network (IPv4-mapped for IPv4). */
    unsigned int plen;          /* Prefix length, of the 128-bit form. */
};

/* A tunnel interface. */
struct rdma_map_tunnel {
    struct hmap_node node;      /* In rdma_mapping's 'tunnels', by name. */
    char *name;                 /* Interface name. */
    const struct rdma_map_bridge *bridge; /* Its bridge, NULL if none. */
    char *type_name;            /* Interface type, e.g. "vxlan", "gre". */
    enum ovl_type type;         /* Overlay type, if supported. */
    uint32_t vni;               /* options:out_key, else options:key. */
    uint16_t dst_port;          /* options:dst_port, else the default. */
    struct in6_addr remote_ip;  /* options:remote_ip. */
    struct in6_addr local_ip;   /* options:local_ip, or all-zero. */
    struct rdma_map_prefix *peers; /* other_config:rdma-peers. */
    size_t n_peers;             /* Number of 'peers'. */
    bool flow_based;            /* options:key, out_key or remote_ip is
                                 * "flow": only the pipeline resolver can
                                 * use it. */
    struct ovl_tuple *opts;     /* Tunnel options (tos, ttl, df_default,
                                 * csum, in_key), in the option members of
                                 * a tuple (ovl-tuple.h); never NULL. */
    char *error;                /* Why it cannot carry RDMA, or NULL. */
    char *kept_error;           /* As in rdma_map_vport. */
};

/* Any interface, for underlay lookups by device name. */
struct rdma_map_iface {
    struct hmap_node node;      /* In rdma_mapping's 'ifaces', by name. */
    char *name;                 /* Interface name. */
    const struct rdma_map_bridge *bridge; /* Its bridge, NULL if none. */
    struct eth_addr mac;        /* mac_in_use, zero if unknown. */
    int mtu;                    /* mtu, 0 if unknown. */
    int tag;                    /* Its Port's VLAN tag, 0 if none. */
    int64_t ofport;             /* OpenFlow port number, -1 if unknown. */
    char *peer;                 /* Patch port's options:peer, or NULL. */
};

/* A configuration snapshot. */
struct rdma_mapping {
    struct hmap bridges;        /* Contains "struct rdma_map_bridge"s. */
    struct hmap vports;         /* Contains "struct rdma_map_vport"s. */
    struct hmap tunnels;        /* Contains "struct rdma_map_tunnel"s. */
    struct hmap ifaces;         /* Contains "struct rdma_map_iface"s. */
};

void rdma_mapping_init(struct rdma_mapping *);
void rdma_mapping_build(struct rdma_mapping *, const struct ovsdb_idl *);
void rdma_mapping_destroy(struct rdma_mapping *);
void rdma_mapping_swap(struct rdma_mapping *, struct rdma_mapping *);

struct rdma_map_bridge *rdma_mapping_add_bridge(struct rdma_mapping *,
                                                const char *name,
                                                const char *datapath_type);
struct rdma_map_iface *rdma_mapping_add_iface(struct rdma_mapping *,
                                              const struct rdma_map_bridge *,
                                              const char *name);
struct rdma_map_vport *rdma_mapping_add_vport(struct rdma_mapping *,
                                              const struct rdma_map_bridge *,
                                              const char *name);
struct rdma_map_tunnel *rdma_mapping_add_tunnel(
    struct rdma_mapping *, const struct rdma_map_bridge *, const char *name,
    const char *type);

const struct rdma_map_vport *rdma_mapping_find_vport(
    const struct rdma_mapping *, const char *name);
const struct rdma_map_tunnel *rdma_mapping_find_tunnel(
    const struct rdma_mapping *, const char *name);
const struct rdma_map_iface *rdma_mapping_find_iface(
    const struct rdma_mapping *, const char *name);
const struct rdma_map_iface *rdma_mapping_find_iface_by_ofport(
    const struct rdma_mapping *, const struct rdma_map_bridge *,
    int64_t ofport);

char *rdma_map_vport_not_enabled(const char *name);
char *rdma_map_vport_no_mac(const char *name);

bool rdma_map_vport_equal(const struct rdma_map_vport *,
                          const struct rdma_map_vport *);
bool rdma_map_tunnel_equal(const struct rdma_map_tunnel *,
                           const struct rdma_map_tunnel *);
bool rdma_map_tunnel_selection_equal(const struct rdma_map_tunnel *,
                                     const struct rdma_map_tunnel *);
bool rdma_map_iface_equal(const struct rdma_map_iface *,
                          const struct rdma_map_iface *);

#endif /* rdma-mapping.h */
