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
#include "rdma-engine-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-config-guard.h"
#include "rdma-pipeline.h"
#include "rdma-qp-map.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "rdma-resolve.h"
#include "rdma-underlay.h"
#include "rdma-zero-touch.h"
#include "roce-frame.h"
#include "sset.h"
#include "util.h"

/* The engine's requests: resolve, bind, unbind, release and update, with
 * the checks a request passes (its vport, source address, quota) and the
 * request-to-binding step that restores share. */

/* Logs as the engine, module "rdma_engine" (rdma-engine-private.h). */
#define this_module (*VLM_rdma_engine)

/* Checks that a tenant of 'vp' may use 'ip' as its inner source address:
 * it must be one of the vport's own (other_config:rdma-ip).  Returns NULL
 * or an error message (caller frees). */
static char *
check_src_ip(const struct rdma_map_vport *vp, const struct in6_addr *ip)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    char buf[INET6_ADDRSTRLEN + 1];
    size_t i;

    for (i = 0; i < vp->n_ips; i++) {
        if (ipv6_addr_equals(&vp->ips[i], ip)) {
            return NULL;
        }
    }
    if (!vp->n_ips) {
        return xasprintf("src_ip %s is not an address of vport %s: it has "
                         "none configured (the administrator sets "
                         "other_config:rdma-ip on its Interface)",
                         rdma_ip_to_string(ip, buf), vp->name);
    }
    for (i = 0; i < vp->n_ips; i++) {
        ds_put_format(&ds, "%s%s", i ? ", " : "",
                      rdma_ip_to_string(&vp->ips[i], buf));
    }
    char *error = xasprintf("src_ip %s is not an address of vport %s (its "
                            "addresses: %s): leave src_ip out or use one "
                            "of those", rdma_ip_to_string(ip, buf),
                            vp->name, ds_cstr(&ds));
    ds_destroy(&ds);
    return error;
}

/* Checks the vport of 'req' for a bind or resolve.  Returns NULL or an
 * error message (caller frees). */
static char *
check_request(const struct rdma_engine *e, const struct rdma_request *req,
              const struct rdma_map_vport **vpp)
{
    const struct rdma_map_vport *vp;

    vp = rdma_mapping_find_vport(&e->cfg, req->vport);
    if (!vp) {
        if (rdma_mapping_find_iface(&e->cfg, req->vport)) {
            return rdma_map_vport_not_enabled(req->vport);
        }
        return xasprintf("no interface named %s", req->vport);
    }
    if (vp->error || vp->kept_error) {
        /* (With 'kept_error', the last valid configuration stays in force
         * for the connections bound already: rdma-config-guard.h.) */
        return xasprintf("vport %s: %s", vp->name,
                         vp->error ? vp->error : vp->kept_error);
    }
    if (!vp->has_mac) {
        return rdma_map_vport_no_mac(vp->name);
    }
    if (req->has_src_ip && !req->admin) {
        char *error = check_src_ip(vp, &req->src_ip);

        if (error) {
            return error;
        }
    }
    if (!req->has_src_ip && !vp->has_ip) {
        return xasprintf("no source IP for vport %s: give src_ip=IP or set "
                         "other_config:rdma-ip on its Interface", vp->name);
    }
    if (rdma_ip_is_v4(req->has_src_ip ? &req->src_ip : &vp->ip)
        != rdma_ip_is_v4(&req->dst_ip)) {
        return xstrdup("source and destination IP versions differ");
    }
    if (!rdma_ip_is_v4(&req->dst_ip) && !e->caps.ipv6_inner) {
        return xstrdup("the NIC does not support IPv6 inner addresses");
    }
    *vpp = vp;
    return NULL;
}

/* Returns the next automatic QPN on 'device', in 1...RDMA_QPN_MAX (QPN 0 is
 * reserved), wrapping around and skipping those bindings hold, or 0 if
 * every one is taken. */
static uint32_t
alloc_qpn(struct rdma_engine *e, const char *device)
{
    uint32_t i;

    for (i = 0; i <= RDMA_QPN_MAX; i++) {
        uint32_t qpn = e->next_qpn++ & RDMA_QPN_MAX;

        if (qpn && !rdma_qp_map_find_qpn(e->map, device, qpn)) {
            return qpn;
        }
    }
    return 0;
}

/* Checks that a tenant of vport 'vp' may add one more binding: its own
 * limit (other_config:rdma-max-connections), and the NIC table's fair
 * share rule.  Returns NULL or an error message (caller frees).
 *
 * The rule: with C entries in the NIC's table and N RDMA vports, each
 * vport is guaranteed G = C / N of them (or its rdma-max-connections, if
 * smaller).  A vport below its guarantee may always bind (while the table
 * has room).  A vport at or above it may bind only if the table keeps,
 * after the bind, enough free entries for every other vport to reach its
 * own guarantee.  So no tenant can take the last entries from the others;
 * one alone on the NIC may still use the whole table.  The administrator's
 * binds are not limited. */
static char *
check_quota(struct rdma_engine *e, const struct rdma_map_vport *vp)
{
    const struct rdma_qpm_vport *qvp = rdma_qp_map_find_vport(e->map,
                                                              vp->name);
    size_t held = qvp ? qvp->n_bindings : 0;
    const struct rdma_map_vport *other;
    struct rdma_nic_caps caps;
    size_t capacity, n_vports, guarantee, reserve, used;

    if (held >= vp->max_conns) {
        return xasprintf("vport %s has reached its limit of %u connections "
                         "(other_config:rdma-max-connections): unbind one "
                         "first", vp->name, vp->max_conns);
    }
    if (rdma_nic_get_caps(e->nic, &caps) || !caps.max_entries) {
        return NULL;
    }
    capacity = caps.max_entries;
    n_vports = MAX(1, hmap_count(&e->cfg.vports));
    guarantee = capacity / n_vports;
    if (held < MIN(guarantee, vp->max_conns)) {
        return NULL;
    }
    reserve = 0;
    HMAP_FOR_EACH (other, node, &e->cfg.vports) {
        if (other != vp) {
            const struct rdma_qpm_vport *q;
            size_t want = MIN(guarantee, other->max_conns);
            size_t has;

            q = rdma_qp_map_find_vport(e->map, other->name);
            has = q ? q->n_bindings : 0;
            reserve += has < want ? want - has : 0;
        }
    }
    used = rdma_qp_map_count(e->map);
    if (used + 1 + reserve > capacity) {
        return xasprintf("the NIC's table is nearly full and its remaining "
                         "entries are reserved for other vports (vport %s "
                         "holds %"PRIuSIZE" connections, its fair share is "
                         "%"PRIuSIZE" of %"PRIuSIZE"): unbind one first",
                         vp->name, held, guarantee, capacity);
    }
    return NULL;
}

/* Fills binding 'b' of 'map' from 'req': its inner addresses and peer
 * QPN, with 'default_src_ip' as the source if 'req' names none. */
static void
request_to_binding(struct rdma_qp_map *map, const struct rdma_request *req,
                   const struct in6_addr *default_src_ip,
                   struct rdma_binding *b)
{
    rdma_binding_set_ips(map, b,
                         req->has_src_ip ? &req->src_ip : default_src_ip,
                         &req->dst_ip);
    b->dst_mac = req->dst_mac;
    b->has_dst_mac = req->has_dst_mac;
    b->src_ip_given = req->has_src_ip;
    b->remote_qpn = req->remote_qpn;
}

/* Adds to the QP map, under 'key', the binding of connection 'cm_id' that
 * 'req' describes, with QPN 'qpn' and 'default_src_ip' as its source if
 * 'req' names none.  'vp' is the request's vport in the configuration, or
 * NULL if it has none (a restored connection whose vport went away).  The
 * binding still has to be computed (rdma_engine_update_binding()). */
struct rdma_binding *
rdma_engine_add_binding(struct rdma_engine *e, uint64_t key, uint64_t cm_id,
                        const struct rdma_request *req,
                        const struct rdma_map_vport *vp,
                        const struct in6_addr *default_src_ip, uint32_t qpn)
{
    struct rdma_binding *b = rdma_qp_map_add(e->map, key, cm_id, req->vport);

    request_to_binding(e->map, req, default_src_ip, b);
    rdma_binding_set_qpn(e->map, b, vp ? vp->device : NULL, qpn);
    b->reselect = true;
    if (vp) {
        b->vport->mac = vp->mac;
        /* The kernel shows this QP: checked at every poll, released when
         * it is gone. */
        b->qp_checked = (vp->device
                         && rdma_qp_source_type() != RDMA_QP_SOURCE_NONE);
    }
    return b;
}

/* Resolves 'req' without binding anything: stores in '*r' the tunnel and
 * tuple it would get, and whether it would wait (free it with
 * rdma_resolution_destroy()).  Returns NULL, or an error message (caller
 * frees) with nothing stored. */
char *
rdma_engine_resolve(struct rdma_engine *e, const struct rdma_request *req,
                    struct rdma_resolution *r)
{
    const struct rdma_map_vport *vp = NULL;
    const struct rdma_map_tunnel *t;
    enum rdma_tunnel_choice choice;
    enum rdma_resolve_status status;
    struct rdma_qpm_vport qvp;
    struct rdma_path path;
    struct rdma_binding b;
    char *pipeline_via = NULL;
    char *error;

    memset(r, 0, sizeof *r);
    error = check_request(e, req, &vp);
    if (!error) {
        error = rdma_config_guard_check(&e->cfg, req, vp);
    }
    if (error) {
        return error;
    }
    memset(&path, 0, sizeof path);
    rdma_underlay_begin();
    if (rdma_pipeline_wanted(&e->cfg, vp)) {
        struct in6_addr src_ip = req->has_src_ip ? req->src_ip : vp->ip;

        choice = RDMA_CHOICE_PIPELINE;
        status = rdma_pipeline_resolve(&e->cfg, vp, &src_ip, &req->dst_ip,
                                       (req->has_dst_mac ? &req->dst_mac
                                        : NULL), &e->caps, &path.base,
                                       &pipeline_via, &error);
        if (status == RDMA_RESOLVE_FAILED) {
            free(pipeline_via);
            return error;
        }
        path.tunnel = pipeline_via ? pipeline_via : CONST_CAST(char *,
                                                               "none");
    } else {
        t = rdma_resolve_tunnel(&e->cfg, vp, &req->dst_ip,
                                req->has_dst_mac ? &req->dst_mac : NULL,
                                &choice, &error);
        if (!t) {
            return error;
        }
        status = rdma_resolve_path(&e->cfg, t, &e->caps, &path.base,
                                   &error);
        if (status == RDMA_RESOLVE_FAILED) {
            return error;
        }
        path.tunnel = CONST_CAST(char *, t->name);
    }

    memset(&qvp, 0, sizeof qvp);
    qvp.name = vp->name;
    qvp.mac = vp->mac;
    memset(&b, 0, sizeof b);
    b.vport = &qvp;
    b.path = &path;
    request_to_binding(e->map, req, &vp->ip, &b);
    rdma_binding_get_tuple(&b, &r->tuple);
    /* Gives back what 'b' took from the map's address pool. */
    rdma_binding_set_ips(e->map, &b, &in6addr_any, &in6addr_any);

    r->tunnel = xstrdup(path.tunnel);
    free(pipeline_via);
    r->choice = choice;
    r->underlay_known = !error;
    if (error) {
        r->pending = error;
    } else if (!req->has_dst_mac) {
        r->pending = xstrdup("inner destination MAC unknown (bind with "
                             "dst_mac=MAC)");
    }
    return NULL;
}

/* Returns the message that refuses a change, 'what', because the state
 * file cannot be written (caller frees). */
static char *
save_refusal(const struct rdma_engine *e, const char *what)
{
    return xasprintf("cannot write the state file %s (%s): %s; make it "
                     "writable again (e.g. free space on its file system) "
                     "and retry", e->state_file ? e->state_file : "",
                     ovs_strerror(e->save_error), what);
}

/* Returns why 'e' refuses every bind now (no configuration yet, a restore
 * under way, a state file that cannot be written), or NULL. */
static char *
bind_refusal(const struct rdma_engine *e)
{
    if (!e->have_cfg) {
        return xstrdup("ovs-rdmad has not read the database yet (is "
                       "ovsdb-server running?): try again");
    }
    if (e->restoring) {
        return xstrdup("ovs-rdmad is still restoring the connections bound "
                       "before it restarted: try again");
    }
    if (e->save_error) {
        return save_refusal(e, "bind refused, nothing installed");
    }
    return NULL;
}

/* Chooses the cm_id and the QPN of the connection that 'req' binds on
 * vport 'vp': the requested ones if free, else the vport's lowest free
 * cm_id and the next free automatic QPN.  Returns NULL, or an error
 * message (caller frees). */
static char *
bind_choose_ids(struct rdma_engine *e, const struct rdma_request *req,
                const struct rdma_map_vport *vp, uint64_t *cm_idp,
                uint32_t *qpnp)
{
    if (req->has_cm_id) {
        *cm_idp = req->cm_id;
        if (rdma_zero_touch_owns(*cm_idp) && !req->zero_touch) {
            return xasprintf("cm_id %"PRIu64" is reserved for zero-touch "
                             "binding (cm_ids %"PRIu64" to %"PRIu64"): "
                             "choose one below %"PRIu64" or above %"PRIu64,
                             *cm_idp, RDMA_ZT_CM_ID_BASE,
                             2 * RDMA_ZT_CM_ID_BASE - 1, RDMA_ZT_CM_ID_BASE,
                             2 * RDMA_ZT_CM_ID_BASE - 1);
        }
        if (rdma_qp_map_find(e->map, vp->name, *cm_idp)) {
            return xasprintf("cm_id %"PRIu64" is already bound on vport %s "
                             "(unbind it first)", *cm_idp, vp->name);
        }
    } else {
        /* The vport's lowest free one: it says nothing of other vports. */
        struct rdma_qpm_vport *qvp;
        uint64_t cm_id;

        qvp = rdma_qp_map_find_vport(e->map, vp->name);
        cm_id = qvp ? qvp->next_cm_id : 1;
        while (rdma_qp_map_find(e->map, vp->name, cm_id)
               || rdma_zero_touch_owns(cm_id)) {
            /* Zero-touch's range is skipped whole. */
            cm_id = (rdma_zero_touch_owns(cm_id) ? 2 * RDMA_ZT_CM_ID_BASE
                     : cm_id + 1);
        }
        if (qvp) {
            qvp->next_cm_id = cm_id + 1;
        }
        *cm_idp = cm_id;
    }
    if (req->has_qpn) {
        *qpnp = req->qpn;
        /* The GSI QP carries every connection's requests: it may be
         * bound more than once, a binding per peer. */
        if (*qpnp != RDMA_GSI_QPN
            && rdma_qp_map_find_qpn(e->map, vp->device, *qpnp)) {
            return xasprintf("qpn %"PRIu32" is already bound on the RDMA "
                             "function of vport %s (a QP can be bound "
                             "once): bind the QP's own number", *qpnp,
                             vp->name);
        }
    } else {
        *qpnp = alloc_qpn(e, vp->device);
        if (!*qpnp) {
            return xstrdup("no free QP number left on this RDMA function");
        }
    }
    return NULL;
}

/* Binds the connection that 'req' describes: adds it to the QP map and, if
 * everything it needs is known, installs it in the NIC.  On success returns
 * NULL and the binding in '*bp'; on error returns a message (caller frees)
 * and changes nothing.  A binding that waits for an input (a neighbour, a
 * route) is added as pending and completes when the input appears. */
char *
rdma_engine_bind(struct rdma_engine *e, const struct rdma_request *req,
                 struct rdma_binding **bp)
{
    const struct rdma_map_vport *vp = NULL;
    struct rdma_kqp kqp = { 0, 0, 0 };
    struct rdma_binding *b;
    uint64_t cm_id = 0;
    uint32_t qpn = 0;
    char *error;

    error = bind_refusal(e);
    if (!error) {
        error = check_request(e, req, &vp);
    }
    if (!error) {
        error = rdma_config_guard_check(&e->cfg, req, vp);
    }
    if (!error && !req->admin) {
        error = check_quota(e, vp);
    }
    if (!error) {
        error = bind_choose_ids(e, req, vp, &cm_id, &qpn);
    }
    if (!error && vp->device
        && rdma_qp_source_type() != RDMA_QP_SOURCE_NONE) {
        error = rdma_engine_check_qp(vp, req, &kqp);
    }
    if (error) {
        return error;
    }

    b = rdma_engine_add_binding(e, rdma_qp_map_free_key(e->map, cm_id,
                                                         &e->next_key),
                                cm_id, req, vp, &vp->ip, qpn);
    if (b->qp_checked) {
        /* The kernel says who the peer is once it knows; before the QP's
         * RTR transition the tenant's word stands (see
         * rdma_engine_check_peer()). */
        b->qp_state = kqp.state;
        b->remote_qpn = kqp.rqpn ? kqp.rqpn : req->remote_qpn;
    }
    b->persistent = req->persistent;
    b->owner = req->persistent ? 0 : req->owner;
    rdma_underlay_begin();
    rdma_engine_update_binding(e, b);

    if (b->state == RDMA_BINDING_FAILED
        || (b->state == RDMA_BINDING_PENDING && !b->path)) {
        /* Bad input, or the NIC refused it: change nothing. */
        error = xstrdup(b->reason);
        if (b->nic_failed) {
            e->n_nic_failed--;
        }
        rdma_qp_map_remove(e->map, b);
        return error;
    }
    *bp = b;
    return NULL;
}

/* Releases binding 'b': removes its NIC entry and the binding. */
void
rdma_engine_release(struct rdma_engine *e, struct rdma_binding *b)
{
    rdma_engine_apply(e, b, false, NULL, RDMA_BINDING_PENDING, NULL);
    if (b->nic_failed) {
        b->nic_failed = false;
        e->n_nic_failed--;
    }
    rdma_qp_map_remove(e->map, b);
}

/* Unbinds connection 'cm_id' of vport 'vport': removes its NIC entry and
 * its binding.  Returns NULL or an error message (caller frees). */
char *
rdma_engine_unbind(struct rdma_engine *e, const char *vport, uint64_t cm_id)
{
    struct rdma_binding *b = rdma_qp_map_find(e->map, vport, cm_id);

    if (!b) {
        return xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                         cm_id, vport);
    }
    rdma_engine_release(e, b);
    return NULL;
}

/* Releases every binding of vport 'vport' made by tenant connection
 * 'owner' (nonzero), which closed.  Returns how many. */
size_t
rdma_engine_release_owner(struct rdma_engine *e, const char *vport,
                          uint64_t owner)
{
    struct rdma_qpm_vport *qvp = rdma_qp_map_find_vport(e->map, vport);
    struct rdma_binding **owned;
    struct rdma_binding *b;
    size_t n = 0, i;

    if (!qvp || !owner) {
        return 0;
    }
    owned = xmalloc(qvp->n_bindings * sizeof *owned);
    RDMA_QPM_VPORT_FOR_EACH (b, qvp) {
        if (b->owner == owner) {
            owned[n++] = b;
        }
    }
    /* Releasing the last binding frees 'qvp': do not touch it after. */
    for (i = 0; i < n; i++) {
        rdma_engine_release(e, owned[i]);
    }
    free(owned);
    return n;
}

/* Finds the connection named 'name', "VPORT/CM_ID" (or a bare "CM_ID",
 * accepted when exactly one vport has that cm_id), for the administrator.
 * Returns NULL and the binding in '*bp', or an error message (caller
 * frees). */
char *
rdma_engine_find_named(const struct rdma_engine *e, const char *name,
                       struct rdma_binding **bp)
{
    const char *slash = strrchr(name, '/');
    struct rdma_binding *b, *found = NULL;
    struct ds vports = DS_EMPTY_INITIALIZER;
    struct sset names = SSET_INITIALIZER(&names);
    size_t n = 0;
    uint64_t cm_id;
    char *error;

    *bp = NULL;
    error = rdma_request_parse_cm_id(slash ? slash + 1 : name, &cm_id);
    if (error) {
        return error;
    }
    if (slash) {
        char *vport = xmemdup0(name, slash - name);

        *bp = rdma_qp_map_find(e->map, vport, cm_id);
        error = (*bp ? NULL
                 : xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                             cm_id, vport));
        free(vport);
        sset_destroy(&names);
        return error;
    }
    RDMA_QP_MAP_FOR_EACH (b, e->map) {
        if (b->cm_id == cm_id) {
            sset_add(&names, b->vport->name);
            found = b;
            n++;
        }
    }
    if (!n) {
        error = xasprintf("no binding with cm_id %"PRIu64, cm_id);
    } else if (n > 1) {
        const char **sorted = sset_sort(&names);
        size_t i;

        for (i = 0; i < n; i++) {
            ds_put_format(&vports, "%s%s", i ? ", " : "", sorted[i]);
        }
        free(sorted);
        error = xasprintf("cm_id %"PRIu64" is bound on %"PRIuSIZE" vports "
                          "(%s): name the connection as VPORT/%"PRIu64,
                          cm_id, n, ds_cstr(&vports), cm_id);
    } else {
        *bp = found;
    }
    sset_destroy(&names);
    ds_destroy(&vports);
    return error;
}

/* Sets the peer QPN of 'b' to 'remote_qpn' and makes the NIC follow. */
static void
set_remote_qpn(struct rdma_engine *e, struct rdma_binding *b,
               uint32_t remote_qpn)
{
    b->remote_qpn = remote_qpn;
    rdma_binding_note_change(e->map, b);
    if (b->installed) {
        /* The tuple is the same, so make rdma_engine_apply() see a change:
         * a tuple hash of 0 stands for "unknown". */
        b->tuple_hash = 0;
    }
    rdma_engine_update_binding(e, b);
}

/* Remembers the peer QPN of 'b' before an update, to undo the update if
 * its record cannot be saved (rdma_engine_settle_updates()). */
static void
note_unsaved_update(struct rdma_engine *e, const struct rdma_binding *b)
{
    struct rdma_unsaved_update *u;

    if (e->n_unsaved >= e->allocated_unsaved) {
        e->unsaved = x2nrealloc(e->unsaved, &e->allocated_unsaved,
                                sizeof *e->unsaved);
    }
    u = &e->unsaved[e->n_unsaved++];
    u->vport = xstrdup(b->vport->name);
    u->cm_id = b->cm_id;
    u->old_remote_qpn = b->remote_qpn;
}

/* Sets the peer's QP number of connection 'cm_id' of 'vport' to
 * 'remote_qpn' (1 to RDMA_QPN_MAX), as a NIC learns it when the QP moves to
 * RTR; an installed entry is modified (generation + 1), unless nothing
 * changed.  For a connection whose QP the kernel shows, a request (not
 * 'from_kernel') is taken only while the kernel knows no peer or the same
 * one (rdma_engine_check_peer()).  On success returns NULL and the
 * binding in '*bp'; on error returns a message (caller frees) and changes
 * nothing.  Runs within the caller's resolution round. */
char *
rdma_engine_update__(struct rdma_engine *e, const char *vport,
                     uint64_t cm_id, uint32_t remote_qpn, bool from_kernel,
                     struct rdma_binding **bp)
{
    struct rdma_binding *b = rdma_qp_map_find(e->map, vport, cm_id);

    if (!b) {
        return xasprintf("no binding with cm_id %"PRIu64" on vport %s",
                         cm_id, vport);
    }
    if (e->save_error) {
        return save_refusal(e, "update refused, nothing changed");
    }
    if (!remote_qpn || remote_qpn > RDMA_QPN_MAX) {
        return xasprintf("remote_qpn %"PRIu32" is not a QP number (1 to "
                         "%d)", remote_qpn, RDMA_QPN_MAX);
    }
    if (b->qp_checked && !from_kernel) {
        char *msg = rdma_engine_check_peer(b, remote_qpn);

        if (msg) {
            return msg;
        }
    }
    if (b->remote_qpn != remote_qpn) {
        if (!from_kernel) {
            note_unsaved_update(e, b);
        }
        set_remote_qpn(e, b, remote_qpn);
    }
    *bp = b;
    return NULL;
}

/* Settles the updates made since the last write of the state file, now
 * that it is done: if it failed ('saved' false), each is undone, newest
 * first, so that the binding and its NIC entry are as they were before
 * (the file was truncated back: it is, too); the refusal itself is the
 * reply's (rdma-ack.h).  One resolution round. */
void
rdma_engine_settle_updates(struct rdma_engine *e, bool saved)
{
    size_t i;

    if (!saved && e->n_unsaved) {
        rdma_underlay_begin();
    }
    for (i = e->n_unsaved; i > 0; i--) {
        struct rdma_unsaved_update *u = &e->unsaved[i - 1];

        if (!saved) {
            struct rdma_binding *b = rdma_qp_map_find(e->map, u->vport,
                                                      u->cm_id);

            if (b && b->remote_qpn != u->old_remote_qpn) {
                VLOG_WARN("%s/%"PRIu64": update not saved: peer QPN "
                          "back to %"PRIu32, u->vport, u->cm_id,
                          u->old_remote_qpn);
                set_remote_qpn(e, b, u->old_remote_qpn);
            }
        }
        free(u->vport);
    }
    e->n_unsaved = 0;
}

/* Sets the peer's QP number of connection 'cm_id' of 'vport' to
 * 'remote_qpn' (1 to RDMA_QPN_MAX), for a request (see
 * rdma_engine_update__()): one resolution round.  A connection
 * whose QP the kernel shows takes it from there instead. */
char *
rdma_engine_update(struct rdma_engine *e, const char *vport, uint64_t cm_id,
                   uint32_t remote_qpn, struct rdma_binding **bp)
{
    rdma_underlay_begin();
    return rdma_engine_update__(e, vport, cm_id, remote_qpn, false, bp);
}
