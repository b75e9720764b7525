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

#ifndef RDMA_ACK_H
#define RDMA_ACK_H 1

/* Write-ahead acknowledgements.
 *
 * A bind, unbind, update or refresh changes the QP map (and the NIC) at
 * once, but its reply, to the admin or to a tenant, is held here until
 * the change's record is in the state file: the front end builds its
 * reply, then calls rdma_ack_hold() instead of sending it.  Once per
 * main-loop iteration, after the front ends have run, ovs-rdmad writes
 * every record of the iteration in one write (rdma_persist_run()) and
 * then calls rdma_ack_release() with the outcome, which settles each
 * held reply:
 *
 *   - written: the reply as built;
 *
 *   - not written (disk full, I/O error): each bind is undone (its NIC
 *     entry removed, its binding dropped) and refused with an error that
 *     names the file and the reason; an update is undone likewise (the
 *     engine puts the old peer QPN back in the map and the NIC:
 *     rdma_engine_set_save_error()) and refused; an unbind has taken
 *     effect and is confirmed, while its record keeps being retried.
 *
 * A settled reply goes out, through rdma_ack_flush(), once the write it
 * was settled with is durable: at once with --state-sync=none, after the
 * fdatasync() that covers it with --state-sync=fdatasync (rdma-syncer.h:
 * meanwhile the main loop goes on with the next requests).  Replies go
 * out in the order their requests came in, refusals included.

 * The crash points "OP-nic" (the NIC holds the change, the file does not)
 * and "OP-saved" (the file holds it, no reply was sent) sit here, for OP
 * in bind, unbind, update and refresh. */

#include <stdbool.h>
#include <stdint.h>

struct rdma_engine;

/* What a held reply confirms. */
enum rdma_ack_op {
    RDMA_ACK_BIND,
    RDMA_ACK_UNBIND,
    RDMA_ACK_UPDATE,
    RDMA_ACK_REFRESH,
};

/* Sends a held reply: the reply as built if 'error' is NULL, else 'error'
 * (the change was not saved).  If 'send' is false the connection went away
 * and the callback only frees 'aux'. */
typedef void rdma_ack_cb(void *aux, const char *error, bool send);

void rdma_ack_hold(enum rdma_ack_op, const char *vport, uint64_t cm_id,
                   const void *owner, rdma_ack_cb *, void *aux);
void rdma_ack_forget(const void *owner);
bool rdma_ack_any(void);
void rdma_ack_release(struct rdma_engine *, int save_error,
                      const char *file_name, uint64_t ticket);
void rdma_ack_flush(uint64_t synced);

#endif /* rdma-ack.h */
