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
#include "rdma-config-guard.h"

#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "rdma-request.h"
#include "rdma-mapping.h"
#include "rdma-resolve.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_config_guard);

/* Returns true if 'a' and 'b' are both NULL or equal strings. */
static bool
same_string(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Logs that 'kind' 'name' keeps its last valid configuration because of
 * 'error', unless 'old_kept' (the previous snapshot's) said so already. */
static void
log_kept(const char *kind, const char *name, const char *error,
         const char *old_kept)
{
    if (!same_string(error, old_kept)) {
        VLOG_WARN("%s %s: invalid configuration (%s): keeping the last "
                  "valid one in force until it is fixed", kind, name, error);
    }
}

/* Gives tunnel 't', whose new configuration is invalid, the configuration
 * of 'last', its last valid one. */
static void
keep_tunnel(struct rdma_map_tunnel *t, const struct rdma_map_tunnel *last)
{
    free(t->kept_error);
    t->kept_error = t->error;
    t->error = NULL;
    t->type = last->type;
    t->vni = last->vni;
    t->dst_port = last->dst_port;
    t->remote_ip = last->remote_ip;
    t->local_ip = last->local_ip;
    free(t->peers);
    t->peers = (last->n_peers
                ? xmemdup(last->peers, last->n_peers * sizeof *t->peers)
                : NULL);
    t->n_peers = last->n_peers;
}

/* Gives vport 'vp', whose new configuration is invalid, the configuration
 * of 'last', its last valid one. */
static void
keep_vport(struct rdma_map_vport *vp, const struct rdma_map_vport *last)
{
    free(vp->kept_error);
    vp->kept_error = vp->error;
    vp->error = NULL;
    vp->mac = last->mac;
    vp->has_mac = last->has_mac;
    vp->ip = last->ip;
    vp->has_ip = last->has_ip;
    vp->vni = last->vni;
    vp->has_vni = last->has_vni;
    free(vp->ips);
    vp->ips = (last->n_ips
               ? xmemdup(last->ips, last->n_ips * sizeof *vp->ips)
               : NULL);
    vp->n_ips = last->n_ips;
    vp->max_conns = last->max_conns;
    free(vp->device);
    vp->device = nullable_xstrdup(last->device);
}

/* Keeps in 'new', a configuration snapshot just built, the last valid
 * configuration (from 'old', the snapshot in force) of every tunnel and
 * vport whose configuration in 'new' is invalid. */
void
rdma_config_guard(const struct rdma_mapping *old, struct rdma_mapping *new)
{
    struct rdma_map_tunnel *t;
    struct rdma_map_vport *vp;

    HMAP_FOR_EACH (t, node, &new->tunnels) {
        const struct rdma_map_tunnel *last;

        last = rdma_mapping_find_tunnel(old, t->name);
        /* A tunnel made flow-based is valid: its error only sends the
         * static resolver's users to the pipeline resolver. */
        if (t->error && !t->flow_based && last && !last->error
            && !strcmp(t->type_name, last->type_name)) {
            log_kept("tunnel", t->name, t->error, last->kept_error);
            keep_tunnel(t, last);
        } else if (!t->error && last && last->kept_error) {
            VLOG_INFO("tunnel %s: configuration valid again: applying it",
                      t->name);
        }
    }
    HMAP_FOR_EACH (vp, node, &new->vports) {
        const struct rdma_map_vport *last;

        last = rdma_mapping_find_vport(old, vp->name);
        if (vp->error && last && !last->error) {
            log_kept("vport", vp->name, vp->error, last->kept_error);
            keep_vport(vp, last);
        } else if (!vp->error && last && last->kept_error) {
            VLOG_INFO("vport %s: configuration valid again: applying it",
                      vp->name);
        }
    }
}

/* Checks that the tunnel that 'req' would go through, from vport 'vp' of
 * configuration 'cfg', has a valid configuration: while it has not, its
 * last valid one stays in force for the connections bound already, but no
 * new ones are bound through it.  Returns NULL or an error message (caller
 * frees). */
char *
rdma_config_guard_check(const struct rdma_mapping *cfg,
                        const struct rdma_request *req,
                        const struct rdma_map_vport *vp)
{
    const struct rdma_map_tunnel *t;
    enum rdma_tunnel_choice choice;
    char *error = NULL;

    t = rdma_resolve_tunnel(cfg, vp, &req->dst_ip,
                            req->has_dst_mac ? &req->dst_mac : NULL,
                            &choice, &error);
    free(error);
    return (t && t->kept_error
            ? xasprintf("tunnel %s cannot carry RDMA: %s", t->name,
                        t->kept_error)
            : NULL);
}
