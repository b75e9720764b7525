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
#include "rdma-flow-monitor.h"

#include <errno.h>

#include "coverage.h"
#include "dirs.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-monitor.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_flow_monitor);

COVERAGE_DEFINE(rdma_flow_monitor_update);

/* How long to wait before connecting again after a failure. */
#define RETRY_MS 1000

/* One watched bridge. */
struct fm_bridge {
    struct hmap_node node;      /* In 'bridges', by name. */
    char *name;                 /* Bridge name. */
    struct vconn *vconn;        /* Connection, or NULL between attempts. */
    struct ofpbuf *request;     /* Monitor request not yet sent, or NULL. */
    ovs_be32 xid;               /* Transaction id of the request. */
    bool requested;             /* 'request' was made on this connection. */
    bool connected;             /* 'vconn' finished connecting. */
    bool was_live;              /* A previous connection was live. */
    bool live;                  /* ovs-vswitchd answered the request: every
                                 * change from now on is reported. */
    long long int next_try;     /* When to connect again, if !vconn. */
    bool refused;               /* ovs-vswitchd answered with an error. */
};

/* "struct fm_bridge"s by name. */
static struct hmap bridges = HMAP_INITIALIZER(&bridges);

/* Time of the first and of the last update of the burst under way, or
 * LLONG_MIN if none is. */
static long long int burst_first = LLONG_MIN;
static long long int burst_last = LLONG_MIN;

/* Number of settled bursts, and the time from the first update of the
 * last one to when it settled, in ms. */
static unsigned long long int n_settled;
static long long int last_settle_ms = -1;

/* Closes 'br''s connection; the next attempt is in RETRY_MS. */
static void
fm_disconnect(struct fm_bridge *br)
{
    vconn_close(br->vconn);
    br->vconn = NULL;
    ofpbuf_delete(br->request);
    br->request = NULL;
    br->requested = false;
    br->connected = false;
    br->live = false;
    br->next_try = time_msec() + RETRY_MS;
}

/* Records an update now (or a gap in the reports, which may hide one). */
static void
fm_note_update(void)
{
    long long int now = time_msec();

    COVERAGE_INC(rdma_flow_monitor_update);
    if (burst_first == LLONG_MIN) {
        burst_first = now;
    }
    burst_last = now;
}

/* Returns the flow monitor request of "ovs-ofctl monitor BRIDGE
 * watch:!initial" for an OpenFlow 1.0 connection: every table, every
 * flow, additions, deletions and modifications, no initial dump. */
static struct ofpbuf *
fm_make_request(void)
{
    struct ofputil_flow_monitor_request fmr;
    struct ofpbuf *msg = ofpbuf_new(0);

    memset(&fmr, 0, sizeof fmr);
    fmr.id = 1;
    fmr.command = OFPFMC_ADD;
    fmr.flags = OFPFMF_ADD | OFPFMF_REMOVED | OFPFMF_MODIFY;
    fmr.out_port = OFPP_NONE;
    fmr.out_group = OFPG_ANY;
    fmr.table_id = 0xff;
    match_init_catchall(&fmr.match);
    ofputil_append_flow_monitor_request(
        &fmr, msg, ofputil_protocol_from_ofp_version(OFP10_VERSION));
    ofpmsg_update_length(msg);
    return msg;
}

/* Connects 'br' if it is time to; returns true if it is connected. */
static bool
fm_connect(struct fm_bridge *br)
{
    int error;

    if (!br->vconn) {
        char *target;

        if (time_msec() < br->next_try) {
            return false;
        }
        target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), br->name);
        error = vconn_open(target, 1u << OFP10_VERSION, DSCP_DEFAULT,
                           &br->vconn);
        free(target);
        if (error) {
            VLOG_DBG("%s: cannot open the management socket (%s)",
                     br->name, ovs_strerror(error));
            br->vconn = NULL;
            br->next_try = time_msec() + RETRY_MS;
            return false;
        }
    }
    error = br->connected ? 0 : vconn_connect(br->vconn);
    if (error == EAGAIN) {
        return false;
    } else if (error) {
        VLOG_DBG("%s: cannot connect to the management socket (%s)",
                 br->name, ovs_strerror(error));
        fm_disconnect(br);
        return false;
    }
    br->connected = true;
    if (!br->requested) {
        br->requested = true;
        br->request = fm_make_request();
        br->xid = ((struct ofp_header *) br->request->data)->xid;
    }
    return true;
}

/* Sends, receives and handles what 'br''s connection has. */
static void
fm_run_bridge(struct fm_bridge *br)
{
    int i;

    if (br->vconn) {
        vconn_run(br->vconn);
    }
    if (!fm_connect(br)) {
        return;
    }
    if (br->request) {
        int error = vconn_send(br->vconn, br->request);

        if (!error) {
            br->request = NULL;
        } else if (error != EAGAIN) {
            fm_disconnect(br);
            return;
        }
    }
    for (i = 0; i < 50; i++) {
        struct ofpbuf *msg;
        enum ofptype type;
        int error = vconn_recv(br->vconn, &msg);

        if (error == EAGAIN) {
            break;
        } else if (error) {
            VLOG_INFO("%s: flow monitor connection lost (%s); re-tracing "
                      "by polling until it is back", br->name,
                      error == EOF ? "closed" : ovs_strerror(error));
            br->was_live |= br->live;
            fm_disconnect(br);
            return;
        }

        const struct ofp_header *oh = msg->data;
        if (ofptype_decode(&type, oh)) {
            /* Not a message this module knows: ignore it. */
        } else if (type == OFPTYPE_ECHO_REQUEST) {
            struct ofpbuf *reply = ofputil_encode_echo_reply(oh);

            if (vconn_send(br->vconn, reply)) {
                ofpbuf_delete(reply);
            }
        } else if (type == OFPTYPE_ERROR) {
            VLOG_WARN("%s: ovs-vswitchd refused the flow monitor request; "
                      "flow changes are noticed every --underlay-poll only",
                      br->name);
            vconn_close(br->vconn);
            br->vconn = NULL;
            br->next_try = LLONG_MAX;
            br->refused = true;
        } else if (type == OFPTYPE_FLOW_MONITOR_STATS_REPLY
                   && oh->xid == br->xid && !br->live) {
            /* The reply to the request (empty: no initial flows). */
            br->live = true;
            VLOG_DBG("%s: flow monitor live", br->name);
            if (br->was_live) {
                /* The flows may have changed while it was away (an
                 * ovs-vswitchd restart starts with none). */
                fm_note_update();
            }
        } else if (type == OFPTYPE_FLOW_MONITOR_STATS_REPLY
                   || type == OFPTYPE_FLOW_MONITOR_PAUSED
                   || type == OFPTYPE_FLOW_MONITOR_RESUMED) {
            fm_note_update();
        }
        ofpbuf_delete(msg);
        if (!br->vconn) {
            return;
        }
    }
}

/* Watches the flow tables of exactly the bridges named in 'names'. */
void
rdma_flow_monitor_set_bridges(const struct sset *names)
{
    struct fm_bridge *br;
    const char *name;

    HMAP_FOR_EACH_SAFE (br, node, &bridges) {
        if (!sset_contains(names, br->name)) {
            hmap_remove(&bridges, &br->node);
            fm_disconnect(br);
            free(br->name);
            free(br);
        }
    }
    SSET_FOR_EACH (name, names) {
        uint32_t hash = hash_string(name, 0);
        bool found = false;

        HMAP_FOR_EACH_WITH_HASH (br, node, hash, &bridges) {
            found |= !strcmp(br->name, name);
        }
        if (!found) {
            br = xzalloc(sizeof *br);
            br->name = xstrdup(name);
            br->next_try = LLONG_MIN;
            hmap_insert(&bridges, &br->node, hash);
        }
    }
}

/* Runs the monitors.  Returns true when a burst of flow-table changes on a
 * watched bridge has settled: the pipeline paths should be traced again
 * now. */
bool
rdma_flow_monitor_run(void)
{
    struct fm_bridge *br;
    long long int now;

    HMAP_FOR_EACH (br, node, &bridges) {
        fm_run_bridge(br);
    }
    if (burst_first == LLONG_MIN) {
        return false;
    }
    now = time_msec();
    if (now >= burst_last + RDMA_FLOW_MONITOR_QUIET_MS
        || now >= burst_first + RDMA_FLOW_MONITOR_MAX_MS) {
        n_settled++;
        last_settle_ms = now - burst_first;
        burst_first = burst_last = LLONG_MIN;
        return true;
    }
    return false;
}

/* Arranges for poll_block() to wake up when rdma_flow_monitor_run() has
 * something to do. */
void
rdma_flow_monitor_wait(void)
{
    struct fm_bridge *br;

    HMAP_FOR_EACH (br, node, &bridges) {
        if (br->vconn) {
            vconn_run_wait(br->vconn);
            if (br->request) {
                vconn_send_wait(br->vconn);
            }
            if (br->connected) {
                vconn_recv_wait(br->vconn);
            } else {
                vconn_connect_wait(br->vconn);
            }
        } else if (br->next_try != LLONG_MAX) {
            poll_timer_wait_until(br->next_try);
        }
    }
    if (burst_first != LLONG_MIN) {
        poll_timer_wait_until(MIN(burst_last + RDMA_FLOW_MONITOR_QUIET_MS,
                                  burst_first + RDMA_FLOW_MONITOR_MAX_MS));
    }
}

/* Returns true if every watched bridge has a live monitor (and there is at
 * least one), so that no flow change can go unreported. */
bool
rdma_flow_monitor_is_live(void)
{
    struct fm_bridge *br;

    HMAP_FOR_EACH (br, node, &bridges) {
        if (!br->live) {
            return false;
        }
    }
    return !hmap_is_empty(&bridges);
}

/* Closes every monitor. */
void
rdma_flow_monitor_destroy(void)
{
    struct fm_bridge *br;

    HMAP_FOR_EACH_POP (br, node, &bridges) {
        fm_disconnect(br);
        free(br->name);
        free(br);
    }
    burst_first = burst_last = LLONG_MIN;
}

/* Appends to 'ds' the state of each monitor ("BRIDGE: live", "connecting"
 * or "refused"), one a line, then how many flow changes were followed and
 * how long the last one took to settle. */
void
rdma_flow_monitor_format(struct ds *ds)
{
    const struct fm_bridge *br;
    struct sset names = SSET_INITIALIZER(&names);
    const char **sorted;
    size_t i;

    HMAP_FOR_EACH (br, node, &bridges) {
        sset_add(&names, br->name);
    }
    sorted = sset_sort(&names);
    for (i = 0; i < sset_count(&names); i++) {
        HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(sorted[i], 0),
                                 &bridges) {
            if (!strcmp(br->name, sorted[i])) {
                ds_put_format(ds, "%s: %s\n", br->name,
                              (br->live ? "live"
                               : br->refused ? "refused (polling only)"
                               : "connecting (polling only)"));
            }
        }
    }
    free(sorted);
    sset_destroy(&names);
    ds_put_format(ds, "flow changes followed: %llu\n", n_settled);
    if (last_settle_ms >= 0) {
        ds_put_format(ds, "last change settled after: %lld ms\n",
                      last_settle_ms);
    }
}
