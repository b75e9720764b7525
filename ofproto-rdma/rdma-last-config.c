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
#include "rdma-last-config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-mapping.h"
#include "util.h"

/* The version of the file's format. */
#define LAST_CONFIG_VERSION 1

/* Returns 'ip' as a JSON string. */
static struct json *
ip_to_json(const struct in6_addr *ip)
{
    char buf[46];

    return json_string_create(rdma_ip_to_string(ip, buf));
}

/* Returns tunnel 't' as a JSON object. */
static struct json *
tunnel_to_json(const struct rdma_map_tunnel *t)
{
    struct json *o = json_object_create();
    size_t i;

    json_object_put_string(o, "name", t->name);
    json_object_put_string(o, "type", t->type_name);
    json_object_put(o, "vni", json_integer_create(t->vni));
    json_object_put(o, "dst_port", json_integer_create(t->dst_port));
    json_object_put(o, "remote_ip", ip_to_json(&t->remote_ip));
    if (rdma_ip_is_set(&t->local_ip)) {
        json_object_put(o, "local_ip", ip_to_json(&t->local_ip));
    }
    if (t->n_peers) {
        struct json *peers = json_array_create_empty();

        for (i = 0; i < t->n_peers; i++) {
            const struct rdma_map_prefix *p = &t->peers[i];
            char buf[46];

            json_array_add(peers, json_string_create_nocopy(xasprintf(
                "%s/%u", rdma_ip_to_string(&p->ip, buf),
                rdma_ip_is_v4(&p->ip) ? p->plen - 96 : p->plen)));
        }
        json_object_put(o, "peers", peers);
    }
    return o;
}

/* Returns vport 'vp' as a JSON object. */
static struct json *
vport_to_json(const struct rdma_map_vport *vp)
{
    struct json *o = json_object_create();
    size_t i;

    json_object_put_string(o, "name", vp->name);
    if (vp->has_mac) {
        json_object_put_format(o, "mac", ETH_ADDR_FMT,
                               ETH_ADDR_ARGS(vp->mac));
    }
    if (vp->has_ip) {
        struct json *ips = json_array_create_empty();

        json_array_add(ips, ip_to_json(&vp->ip));
        for (i = 0; i < vp->n_ips; i++) {
            if (memcmp(&vp->ips[i], &vp->ip, sizeof vp->ip)) {
                json_array_add(ips, ip_to_json(&vp->ips[i]));
            }
        }
        json_object_put(o, "ips", ips);
    }
    if (vp->has_vni) {
        json_object_put(o, "vni", json_integer_create(vp->vni));
    }
    json_object_put(o, "max_conns", json_integer_create(vp->max_conns));
    if (vp->device) {
        json_object_put_string(o, "device", vp->device);
    }
    return o;
}

/* Appends to 'ds' the file's contents for configuration 'cfg': every
 * tunnel and vport whose configuration in force is valid (the last valid
 * one, for those the guard keeps), sorted by name so that an unchanged
 * configuration gives the same text. */
void
rdma_last_config_to_json(const struct rdma_mapping *cfg, struct ds *ds)
{
    struct json *tunnels = json_array_create_empty();
    struct json *vports = json_array_create_empty();
    struct shash sorted = SHASH_INITIALIZER(&sorted);
    const struct rdma_map_tunnel *t;
    const struct rdma_map_vport *vp;
    const struct shash_node **nodes;
    struct json *top;
    size_t i;

    HMAP_FOR_EACH (t, node, &cfg->tunnels) {
        if (!t->error) {
            shash_add(&sorted, t->name, t);
        }
    }
    nodes = shash_sort(&sorted);
    for (i = 0; i < shash_count(&sorted); i++) {
        json_array_add(tunnels, tunnel_to_json(nodes[i]->data));
    }
    free(nodes);
    shash_clear(&sorted);
    HMAP_FOR_EACH (vp, node, &cfg->vports) {
        if (!vp->error) {
            shash_add(&sorted, vp->name, vp);
        }
    }
    nodes = shash_sort(&sorted);
    for (i = 0; i < shash_count(&sorted); i++) {
        json_array_add(vports, vport_to_json(nodes[i]->data));
    }
    free(nodes);
    shash_destroy(&sorted);

    top = json_object_create();
    json_object_put(top, "version", json_integer_create(LAST_CONFIG_VERSION));
    json_object_put(top, "tunnels", tunnels);
    json_object_put(top, "vports", vports);
    json_to_ds(top, JSSF_SORT, ds);
    ds_put_char(ds, '\n');
    json_destroy(top);
}

/* Returns member 'name' of JSON object 'o' if it has type 'type', else
 * NULL. */
static const struct json *
member(const struct json *o, const char *name, enum json_type type)
{
    const struct json *m = shash_find_data(json_object(o), name);

    return m && m->type == type ? m : NULL;
}

/* Parses the IP address in JSON string 'j' into '*ip'.  Returns false if
 * 'j' is not one. */
static bool
ip_from_json(const struct json *j, struct in6_addr *ip)
{
    return j && j->type == JSON_STRING && rdma_ip_parse(json_string(j), ip);
}

/* Adds to 'cfg' the tunnel in JSON object 'o'.  Returns NULL or an error
 * message (caller frees). */
static char *
tunnel_from_json(const struct json *o, struct rdma_mapping *cfg)
{
    const struct json *name = member(o, "name", JSON_STRING);
    const struct json *type = member(o, "type", JSON_STRING);
    const struct json *vni = member(o, "vni", JSON_INTEGER);
    const struct json *port = member(o, "dst_port", JSON_INTEGER);
    const struct json *local = member(o, "local_ip", JSON_STRING);
    const struct json *peers = member(o, "peers", JSON_ARRAY);
    struct rdma_map_tunnel *t;
    size_t i;

    if (!name || !type || !vni || !port
        || rdma_mapping_find_tunnel(cfg, json_string(name))) {
        return xstrdup("a tunnel lacks its name, type, vni or dst_port");
    }
    t = rdma_mapping_add_tunnel(cfg, NULL, json_string(name),
                                json_string(type));
    t->vni = json_integer(vni);
    t->dst_port = json_integer(port);
    if (!ip_from_json(member(o, "remote_ip", JSON_STRING), &t->remote_ip)
        || (local && !ip_from_json(local, &t->local_ip))) {
        return xasprintf("tunnel %s: bad remote_ip or local_ip", t->name);
    }
    if (peers) {
        const struct json_array *a = json_array(peers);

        t->peers = xcalloc(a->n ? a->n : 1, sizeof *t->peers);
        for (i = 0; i < a->n; i++) {
            struct rdma_map_prefix *p = &t->peers[t->n_peers];
            char *error;

            if (a->elems[i]->type != JSON_STRING) {
                return xasprintf("tunnel %s: bad peers", t->name);
            }
            error = rdma_ip_parse_cidr(json_string(a->elems[i]), &p->ip,
                                       &p->plen);
            if (error) {
                return error;
            }
            t->n_peers++;
        }
    }
    return NULL;
}

/* Adds to 'cfg' the vport in JSON object 'o'.  Returns NULL or an error
 * message (caller frees). */
static char *
vport_from_json(const struct json *o, struct rdma_mapping *cfg)
{
    const struct json *name = member(o, "name", JSON_STRING);
    const struct json *mac = member(o, "mac", JSON_STRING);
    const struct json *ips = member(o, "ips", JSON_ARRAY);
    const struct json *vni = member(o, "vni", JSON_INTEGER);
    const struct json *max = member(o, "max_conns", JSON_INTEGER);
    const struct json *device = member(o, "device", JSON_STRING);
    struct rdma_map_vport *vp;
    size_t i;

    if (!name || !max || rdma_mapping_find_vport(cfg, json_string(name))) {
        return xstrdup("a vport lacks its name or max_conns");
    }
    vp = rdma_mapping_add_vport(cfg, NULL, json_string(name));
    vp->max_conns = json_integer(max);
    if (mac) {
        if (!eth_addr_from_string(json_string(mac), &vp->mac)) {
            return xasprintf("vport %s: bad mac", vp->name);
        }
        vp->has_mac = true;
    }
    if (ips) {
        const struct json_array *a = json_array(ips);

        vp->ips = xcalloc(a->n ? a->n : 1, sizeof *vp->ips);
        for (i = 0; i < a->n; i++) {
            if (!ip_from_json(a->elems[i], &vp->ips[vp->n_ips])) {
                return xasprintf("vport %s: bad ips", vp->name);
            }
            vp->n_ips++;
        }
        if (vp->n_ips) {
            vp->ip = vp->ips[0];
            vp->has_ip = true;
        }
    }
    if (vni) {
        vp->vni = json_integer(vni);
        vp->has_vni = true;
    }
    vp->device = device ? xstrdup(json_string(device)) : NULL;
    return NULL;
}

/* Reads 'file_name', as rdma_last_config_to_json() writes it, into 'cfg'
 * (an initialized, empty snapshot): its tunnels and vports, with no
 * bridge.  A missing file gives an empty 'cfg'; a symbolic link is
 * refused.  Returns NULL or an error message (caller frees), leaving 'cfg'
 * partly filled. */
char *
rdma_last_config_load(const char *file_name, struct rdma_mapping *cfg)
{
    const struct json *version, *tunnels, *vports;
    char *error = NULL;
    struct json *json;
    struct stat st;
    size_t i;

    if (lstat(file_name, &st)) {
        return (errno == ENOENT ? NULL
                : xasprintf("cannot stat it (%s)", ovs_strerror(errno)));
    }
    if (S_ISLNK(st.st_mode)) {
        return xstrdup("it is a symbolic link (refused)");
    }
    json = json_from_file(file_name);
    if (json->type == JSON_STRING) {
        error = xstrdup(json_string(json));
        goto out;
    }
    if (json->type != JSON_OBJECT) {
        error = xstrdup("not a JSON object");
        goto out;
    }
    version = member(json, "version", JSON_INTEGER);
    tunnels = member(json, "tunnels", JSON_ARRAY);
    vports = member(json, "vports", JSON_ARRAY);
    if (!version || json_integer(version) != LAST_CONFIG_VERSION
        || !tunnels || !vports) {
        error = xstrdup("unknown format");
        goto out;
    }
    for (i = 0; !error && i < json_array(tunnels)->n; i++) {
        const struct json *o = json_array(tunnels)->elems[i];

        error = (o->type == JSON_OBJECT ? tunnel_from_json(o, cfg)
                 : xstrdup("a tunnel is not an object"));
    }
    for (i = 0; !error && i < json_array(vports)->n; i++) {
        const struct json *o = json_array(vports)->elems[i];

        error = (o->type == JSON_OBJECT ? vport_from_json(o, cfg)
                 : xstrdup("a vport is not an object"));
    }
out:
    json_destroy(json);
    return error;
}
