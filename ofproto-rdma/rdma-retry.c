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
#include "rdma-retry.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "rdma-nic.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_retry);

/* Initializes 'r' with nothing to retry. */
void
rdma_retry_init(struct rdma_retry *r)
{
    hmap_init(&r->tombstones);
    r->backoff = RDMA_RETRY_MIN_MS;
    r->next_try = LLONG_MAX;
}

/* Frees 'ts'. */
static void
tombstone_free(struct rdma_tombstone *ts)
{
    free(ts->vport);
    free(ts);
}

/* Frees what 'r' holds. */
void
rdma_retry_destroy(struct rdma_retry *r)
{
    struct rdma_tombstone *ts;

    HMAP_FOR_EACH_POP (ts, node, &r->tombstones) {
        tombstone_free(ts);
    }
    hmap_destroy(&r->tombstones);
}

/* Returns the tombstone of the NIC entry with 'key' in 'r', or NULL. */
struct rdma_tombstone *
rdma_retry_find(const struct rdma_retry *r, uint64_t key)
{
    struct rdma_tombstone *ts;

    HMAP_FOR_EACH_WITH_HASH (ts, node, hash_uint64(key), &r->tombstones) {
        if (ts->key == key) {
            return ts;
        }
    }
    return NULL;
}

/* Records that removing the NIC's entry with 'key', last bound as
 * connection 'cm_id' on 'vport' (NULL if unknown: then 'cm_id' is the
 * key), failed with 'error', to be retried. */
void
rdma_retry_bury(struct rdma_retry *r, uint64_t key, uint64_t cm_id,
                const char *vport, int error)
{
    struct rdma_tombstone *ts = rdma_retry_find(r, key);

    if (!ts) {
        ts = xzalloc(sizeof *ts);
        ts->key = key;
        ts->cm_id = cm_id;
        ts->vport = nullable_xstrdup(vport);
        ts->backoff = RDMA_RETRY_MIN_MS;
        hmap_insert(&r->tombstones, &ts->node, hash_uint64(key));
        VLOG_WARN("%s/%"PRIu64": NIC remove failed (%s): the entry "
                  "stays as \"removing\" and the remove is retried",
                  vport ? vport : "(unknown)", cm_id, ovs_strerror(error));
    }
    ts->error = error;
    ts->n_tries++;
    ts->next_try = time_msec() + ts->backoff;
    ts->backoff = MIN(ts->backoff * 2, RDMA_RETRY_MAX_MS);
}

/* Forgets tombstone 'ts' of 'r': its NIC entry is gone at last. */
void
rdma_retry_unbury(struct rdma_retry *r, struct rdma_tombstone *ts)
{
    VLOG_INFO("%s/%"PRIu64": NIC entry removed after %u failed attempt%s",
              ts->vport ? ts->vport : "(unknown)", ts->cm_id, ts->n_tries,
              ts->n_tries == 1 ? "" : "s");
    hmap_remove(&r->tombstones, &ts->node);
    tombstone_free(ts);
}

/* Notes that a round of retries of failed bindings happened (or that one
 * failed for the first time): schedules the next one. */
void
rdma_retry_note_failure(struct rdma_retry *r)
{
    r->next_try = time_msec() + r->backoff;
    r->backoff = MIN(r->backoff * 2, RDMA_RETRY_MAX_MS);
}

/* Returns true if 'ts' is to be shown for 'vport' (NULL for all). */
static bool
shown(const struct rdma_tombstone *ts, const char *vport)
{
    return !vport || (ts->vport && !strcmp(ts->vport, vport));
}

/* Compares tombstones by vport (unknown first), then cm_id, for qsort(),
 * the order of rdma/show-qp-map. */
static int
compare_tombstones(const void *a_, const void *b_)
{
    const struct rdma_tombstone *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->vport ? (*a)->vport : "",
                     (*b)->vport ? (*b)->vport : "");

    return (cmp ? cmp
            : (*a)->cm_id < (*b)->cm_id ? -1 : (*a)->cm_id > (*b)->cm_id);
}

/* Returns the tombstones of 'r' shown for 'vport', sorted, in a
 * malloc'd array, and their number in '*n'. */
static const struct rdma_tombstone **
sorted(const struct rdma_retry *r, const char *vport, size_t *n)
{
    const struct rdma_tombstone **array;
    const struct rdma_tombstone *ts;

    array = xmalloc((hmap_count(&r->tombstones) + 1) * sizeof *array);
    *n = 0;
    HMAP_FOR_EACH (ts, node, &r->tombstones) {
        if (shown(ts, vport)) {
            array[(*n)++] = ts;
        }
    }
    qsort(array, *n, sizeof *array, compare_tombstones);
    return array;
}

/* Returns the number of tombstones shown for 'vport' (NULL for all). */
size_t
rdma_retry_count(const struct rdma_retry *r, const char *vport)
{
    const struct rdma_tombstone *ts;
    size_t n = 0;

    HMAP_FOR_EACH (ts, node, &r->tombstones) {
        n += shown(ts, vport);
    }
    return n;
}

/* Appends to 'ds' one line per tombstone shown for 'vport'. */
void
rdma_retry_format(const struct rdma_retry *r, const char *vport,
                  struct ds *ds)
{
    const struct rdma_tombstone **array;
    size_t i, n;

    array = sorted(r, vport, &n);
    for (i = 0; i < n; i++) {
        const struct rdma_tombstone *ts = array[i];

        ds_put_format(ds, "cm_id=%"PRIu64" vport=%s state=removing "
                      "reason=\"NIC remove failed: %s (%u attempts), "
                      "retrying\"\n", ts->cm_id,
                      ts->vport ? ts->vport : "(unknown)",
                      ovs_strerror(ts->error), ts->n_tries);
    }
    free(array);
}

/* Returns the tombstones shown for 'vport' as a JSON array of objects with
 * "cm_id", "vport" and "name" (VPORT/CM_ID) (if known), "state"
 * ("removing") and "reason". */
struct json *
rdma_retry_to_json(const struct rdma_retry *r, const char *vport)
{
    struct json *a = json_array_create_empty();
    const struct rdma_tombstone **array;
    size_t i, n;

    array = sorted(r, vport, &n);
    for (i = 0; i < n; i++) {
        const struct rdma_tombstone *ts = array[i];
        struct json *o = json_object_create();

        json_object_put(o, "cm_id", json_integer_create(ts->cm_id));
        if (ts->vport) {
            json_object_put_string(o, "vport", ts->vport);
            json_object_put_format(o, "name", "%s/%"PRIu64, ts->vport,
                                   ts->cm_id);
        }
        json_object_put_string(o, "state", "removing");
        json_object_put_format(o, "reason", "NIC remove failed: %s",
                               ovs_strerror(ts->error));
        json_array_add(a, o);
    }
    free(array);
    return a;
}
