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

#ifndef RDMA_SYNCER_H
#define RDMA_SYNCER_H 1

/* Group commit for --state-sync=fdatasync: fdatasync() in a thread.
 *
 * The main loop appends the records of an iteration to the state file
 * with write(), which is quick, and then asks the syncer to make
 * everything written so far durable: rdma_syncer_request() with a
 * "ticket", a number that grows with every write.  A thread calls
 * fdatasync() on (a duplicate of) the file descriptor; while it does, the
 * main loop keeps reading requests and writing their records, whose
 * tickets the next fdatasync() covers.  That one starts as soon as the
 * previous one returns, if anything was asked for meanwhile: every write
 * made while a sync was in flight is made durable by the next single
 * fdatasync(), however many there were (group commit), and nothing waits
 * for a timer.
 *
 * When a sync returns, the thread sets a latch, so that the main loop
 * wakes up and, through rdma_syncer_poll(), learns the highest ticket
 * made durable: the replies held for it can go out (rdma-ack.h).
 *
 * Crash point "state-sync" (fault injection) sits in the thread just
 * before each fdatasync(): records written, none of this batch synced. */

#include <stdbool.h>
#include <stdint.h>

struct rdma_syncer;

struct rdma_syncer *rdma_syncer_create(void);
void rdma_syncer_destroy(struct rdma_syncer *);

int rdma_syncer_request(struct rdma_syncer *, int fd, uint64_t ticket);
void rdma_syncer_poll(struct rdma_syncer *, uint64_t *synced, int *error,
                      uint64_t *error_ticket);
uint64_t rdma_syncer_count(struct rdma_syncer *);
void rdma_syncer_wait(struct rdma_syncer *);

#endif /* rdma-syncer.h */
