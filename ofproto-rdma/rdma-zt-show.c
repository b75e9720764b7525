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

/* What the zero-touch watcher shows: "rdma/zero-touch-show", and the
 * kernel connections it did not bind, for "rdma/show-qp-map". */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "rdma-addr.h"
#include "rdma-zero-touch-private.h"
#include "rdma-zt-wake.h"
#include "unixctl.h"
#include "util.h"

/* Returns the number of kernel connections 'zt' follows, and stores in
 * '*bound' how many of them it bound. */
size_t
rdma_zero_touch_count(const struct rdma_zero_touch *zt, size_t *bound)
{
    const struct zt_conn *c;

    *bound = 0;
    HMAP_FOR_EACH (c, node, &zt->conns) {
        *bound += c->state == ZT_BOUND;
    }
    return hmap_count(&zt->conns);
}

/* Stores the counters of 'zt' in '*stats'. */
void
rdma_zero_touch_get_stats(const struct rdma_zero_touch *zt,
                          struct rdma_zero_touch_stats *stats)
{
    *stats = zt->stats;
}

/* Compares connections by device, then cm_id number, for qsort(). */
int
zt_compare(const void *a_, const void *b_)
{
    const struct zt_conn *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->cm.device, (*b)->cm.device);

    return (cmp ? cmp
            : (*a)->cm.cm_idn < (*b)->cm.cm_idn ? -1
            : (*a)->cm.cm_idn > (*b)->cm.cm_idn);
}

/* Returns the connections of 'zt' that are not bound by it, for vport
 * 'vport' (or all, if NULL), sorted; stores their number in '*np'.  The
 * caller frees the array. */
static const struct zt_conn **
zt_unplaced(const struct rdma_zero_touch *zt, const char *vport, size_t *np)
{
    const struct zt_conn **array;
    const struct zt_conn *c;
    size_t n = 0;

    array = xmalloc(MAX(1, hmap_count(&zt->conns)) * sizeof *array);
    HMAP_FOR_EACH (c, node, &zt->conns) {
        const struct zt_dev *d;

        if (c->state == ZT_BOUND) {
            continue;
        }
        d = zt_dev_get(zt, c->cm.device);
        if (vport && (!d || strcmp(d->iface, vport))) {
            continue;
        }
        array[n++] = c;
    }
    qsort(array, n, sizeof *array, zt_compare);
    *np = n;
    return array;
}

/* Appends to 'ds' the kernel connections that zero-touch did not bind
 * (of 'vport' only, if nonnull), one a line with the reason. */
void
rdma_zero_touch_format_unplaced(const struct rdma_zero_touch *zt,
                                const char *vport, struct ds *ds)
{
    const struct zt_conn **array;
    size_t n, i;

    array = zt_unplaced(zt, vport, &n);
    for (i = 0; i < n; i++) {
        ds_put_cstr(ds, "kernel ");
        zt_format_cm(&array[i]->cm, ds);
        ds_put_format(ds, " state=%s: %s\n",
                      zt_state_names[array[i]->state],
                      array[i]->reason ? array[i]->reason : "");
    }
    ds_put_format(ds, "%"PRIuSIZE" kernel connection%s not bound by "
                  "zero-touch\n", n, n == 1 ? "" : "s");
    free(array);
}

/* Returns a JSON array of the kernel connections that zero-touch did not
 * bind (of 'vport' only, if nonnull): objects with "device", "cm_idn",
 * "src", "dst", "qpn", "pid", "state" and "reason". */
struct json *
rdma_zero_touch_unplaced_to_json(const struct rdma_zero_touch *zt,
                                 const char *vport)
{
    struct json *array = json_array_create_empty();
    const struct zt_conn **conns;
    size_t n, i;

    conns = zt_unplaced(zt, vport, &n);
    for (i = 0; i < n; i++) {
        const struct rdma_kcm *cm = &conns[i]->cm;
        struct json *o = json_object_create();
        char buf[INET6_ADDRSTRLEN + 1];

        json_object_put_string(o, "device", cm->device);
        json_object_put(o, "cm_idn", json_integer_create(cm->cm_idn));
        json_object_put_string(o, "src", zt_ip_to_string(&cm->src, buf));
        json_object_put_string(o, "dst", zt_ip_to_string(&cm->dst, buf));
        json_object_put(o, "qpn", json_integer_create(cm->lqpn));
        json_object_put(o, "pid", json_integer_create(cm->pid));
        json_object_put_string(o, "state",
                               zt_state_names[conns[i]->state]);
        json_object_put_string(o, "reason", (conns[i]->reason
                                             ? conns[i]->reason : ""));
        json_array_add(array, o);
    }
    free(conns);
    return array;
}

/* "rdma/zero-touch-show": the watcher's counters and every kernel
 * connection it follows, with what became of it. */
static void
zt_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
        const char *argv[] OVS_UNUSED, void *zt_)
{
    const struct rdma_zero_touch *zt = zt_;
    const struct rdma_zero_touch_stats *st = &zt->stats;
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct zt_conn **array;
    const struct zt_conn *c;
    size_t n = 0, i;

    ds_put_format(&ds, "poll interval %d ms, %"PRIu64" polls (%"PRIu64
                  " failed, %"PRIu64" woken), last %lld us, mean %lld us\n",
                  zt_interval(zt), st->n_polls, st->n_dump_errors,
                  st->n_woken, st->last_poll_ns / 1000,
                  st->n_polls ? st->total_poll_ns / 1000
                  / (long long int) st->n_polls : 0);
    if (zt->wake) {
        zt_wake_format(zt->wake, &ds);
        ds_put_char(&ds, '\n');
    }
    ds_put_format(&ds, "bound %"PRIu64", unbound %"PRIu64", adopted %"PRIu64
                  ", refused %"PRIu64", orphans released %"PRIu64
                  ", longest QP-to-bound delay %lld ms\n", st->n_bound,
                  st->n_unbound, st->n_adopted, st->n_refused,
                  st->n_orphans, st->max_delay_ms);
    array = xmalloc(MAX(1, hmap_count(&zt->conns)) * sizeof *array);
    HMAP_FOR_EACH (c, node, &zt->conns) {
        array[n++] = c;
    }
    qsort(array, n, sizeof *array, zt_compare);
    for (i = 0; i < n; i++) {
        c = array[i];
        zt_format_cm(&c->cm, &ds);
        ds_put_format(&ds, " state=%s", zt_state_names[c->state]);
        if (c->state == ZT_BOUND) {
            ds_put_format(&ds, " binding=%s/%"PRIu64, c->vport, c->cm_id);
        } else if (c->reason) {
            ds_put_format(&ds, ": %s", c->reason);
        }
        ds_put_char(&ds, '\n');
    }
    free(array);
    if (zt->listeners.length) {
        ds_put_cstr(&ds, "listeners:\n");
        ds_put_buffer(&ds, zt->listeners.string, zt->listeners.length);
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* Registers the watcher's unixctl commands (once per process). */
void
rdma_zero_touch_register_commands(struct rdma_zero_touch *zt)
{
    unixctl_command_register("rdma/zero-touch-show", "", 0, 0, zt_show, zt);
}
