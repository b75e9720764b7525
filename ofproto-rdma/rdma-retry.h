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

#ifndef RDMA_RETRY_H
#define RDMA_RETRY_H 1

/* NIC operations that failed, retried until the NIC's table equals the QP
 * map.
 *
 * A failed install or modify leaves its binding marked 'nic_failed'
 * (state failed, with the reason); a failed remove leaves a tombstone: the
 * NIC still holds an entry that no binding owns.  Both are retried with
 * exponential backoff (50 ms doubling to 2 s) until the operation succeeds
 * or, for a binding, until the binding is gone.  A tombstone shows as
 * "removing" in rdma/show-qp-map; a binding that gets its key (NIC entry)
 * again first removes the old entry (and is refused while that still
 * fails).  This module keeps the books; the engine does the retries, at
 * the times they say. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/hmap.h"

struct ds;
struct json;

/* First and largest delay between retries, in ms. */
#define RDMA_RETRY_MIN_MS 50
#define RDMA_RETRY_MAX_MS 2000

/* A NIC entry whose remove failed. */
struct rdma_tombstone {
    struct hmap_node node;      /* In rdma_retry's 'tombstones', by key. */
    uint64_t key;               /* The entry's key in the NIC. */
    uint64_t cm_id;             /* cm_id of its last binding ('key' if
                                 * unknown). */
    char *vport;                /* Vport of its last binding, or NULL. */
    int error;                  /* Last error of the remove. */
    unsigned int n_tries;       /* Removes tried. */
    int backoff;                /* Next delay, in ms. */
    long long int next_try;     /* When to try again. */
};

/* The retries. */
struct rdma_retry {
    struct hmap tombstones;     /* "struct rdma_tombstone"s. */
    int backoff;                /* Next delay for failed bindings, ms. */
    long long int next_try;     /* When to retry failed bindings. */
};

void rdma_retry_init(struct rdma_retry *);
void rdma_retry_destroy(struct rdma_retry *);

void rdma_retry_bury(struct rdma_retry *, uint64_t key, uint64_t cm_id,
                     const char *vport, int error);
struct rdma_tombstone *rdma_retry_find(const struct rdma_retry *,
                                       uint64_t key);
void rdma_retry_unbury(struct rdma_retry *, struct rdma_tombstone *);
void rdma_retry_note_failure(struct rdma_retry *);

void rdma_retry_format(const struct rdma_retry *, const char *vport,
                       struct ds *);
struct json *rdma_retry_to_json(const struct rdma_retry *,
                                const char *vport);
size_t rdma_retry_count(const struct rdma_retry *, const char *vport);

#endif /* rdma-retry.h */
