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

#ifndef RDMA_NIC_PROVIDER_H
#define RDMA_NIC_PROVIDER_H 1

/* The NIC driver callback interface: what a provider implements.
 *
 * A provider is one kind of overlay-capable RDMA NIC ("dummy", "soft",
 * ...), described by a struct rdma_nic_class and registered with
 * rdma_nic_register_provider().  Clients never call a provider directly:
 * they use the wrappers in rdma-nic.h, which find the provider by type,
 * turn a NULL op into EOPNOTSUPP, and log and count every call.
 *
 *
 * Life cycle
 * ==========
 *
 * rdma_nic_open() parses its spec "TYPE[:key=value,...]" into TYPE and a
 * string map of options and calls TYPE's 'open', which allocates the
 * provider's own structure with a struct rdma_nic as a member, checks the
 * options, and returns the struct rdma_nic.  The wrapper then fills in the
 * base members ('class' and 'type'); providers may read them but must not
 * change them.  After that the client calls any ops, in any order, until
 * rdma_nic_close() calls 'close', which frees everything 'open' allocated.
 * Closing a NIC forgets its table: whether the entries also disappear from
 * real hardware is up to the provider and is documented with it (a daemon
 * that restarts finds them again with 'dump').
 *
 *
 * Ownership
 * =========
 *
 * Arguments are the caller's.  A provider copies whatever it keeps (an
 * entry, a source, an option string) and never holds a pointer into the
 * caller's memory after an op returns.  The one exception is 'dump', which
 * returns an array that the provider allocates with malloc and the caller
 * frees with free().
 *
 *
 * Which ops may be NULL
 * =====================
 *
 * 'type', 'open' and 'close' are required.  Every other member may be NULL
 * ('description' should not be):
 * the wrapper then returns EOPNOTSUPP for an op that returns an int (and
 * for 'get_caps' reports no capabilities, for 'dump' an empty table), and
 * does nothing for 'run' and 'wait'.
 *
 *
 * Synchronous semantics
 * =====================
 *
 * Each op completes before it returns: when 'install' returns 0 the entry
 * is in the NIC's table and in use, and the next 'dump' shows it.  A
 * provider whose hardware completes asynchronously waits for the completion
 * inside the op.  'run' and 'wait' exist for work that no op asks for:
 * receiving frames, aging, noticing that the device went away.  The client
 * calls 'run' once per main-loop iteration and 'wait' just before
 * poll_block(); 'wait' arranges with poll_fd_wait(), poll_timer_wait() and
 * the like for poll_block() to wake up when 'run' has something to do.
 * (The "soft" provider receives, checks and delivers frames there.)
 *
 *
 * Errors
 * ======
 *
 * Every op that can fail returns 0 on success or a positive errno value.
 * The meanings that clients rely on:
 *
 *    EEXIST      'install' of a cm_id that is already installed.
 *    ENOENT      'modify' or 'remove' of a cm_id that the NIC does not know.
 *    ENOSPC      'install' into a full table.
 *    EOPNOTSUPP  the provider does not implement the op, or cannot offload
 *                what the entry asks for (an encapsulation, IPv6 or VLAN
 *                underlay that 'get_caps' does not report).
 *    EINVAL      a malformed argument.
 *
 * Any other errno is a device failure (EIO, EBUSY, ENOMEM, ...), which the
 * client may retry later.
 *
 * An op that fails leaves the table exactly as it was: no entry, bound
 * source or generation changes.  'modify' is make-before-break: until it
 * succeeds the old entry stays in use.
 *
 *
 * Batches
 * =======
 *
 * A client about to issue many ops at once (a refresh that modifies every
 * entry behind a tunnel, a restart that installs a whole table) brackets
 * them with 'batch_begin' and 'batch_commit', so that a provider may push
 * them to the device in one go: one netlink message batch, one doorbell,
 * one table write.  The rules:
 *
 *    - Between 'batch_begin' and 'batch_commit' the client calls only
 *      'bind_source', 'install', 'modify' and 'remove' ('get_caps',
 *      'run' and 'wait' too, which a batch does not affect).  The
 *      wrapper refuses 'dump' and 'get_details' with EBUSY there, since
 *      a provider may not have applied the batch yet.
 *
 *    - An op inside a batch returns at once every error it can find
 *      without the device (EEXIST, ENOENT, ENOSPC, EINVAL, EOPNOTSUPP,
 *      and injected failures); such an op is not part of the batch.  An
 *      op that returns 0 is either done already or queued, at the
 *      provider's choice.
 *
 *    - 'batch_commit' completes every queued op, in the order they were
 *      called.  When it returns, the table is what the ops would have
 *      made of it one by one, except for those that the device refused:
 *      it returns 0 if there were none, otherwise the errno of the first,
 *      and stores the refused ops in '*failedp' (a malloc'd array the
 *      caller frees) and their number in '*n_failedp'.  A refused op
 *      leaves its entry as it was before that op (make-before-break), so
 *      the client retries it as it would retry an op that failed alone.
 *
 *    - Batches do not nest at the provider: rdma_nic_batch_begin() and
 *      rdma_nic_batch_commit() count nested pairs and call the provider
 *      only for the outermost one, so that a function that batches may
 *      call another that does.
 *
 *    - Both may be NULL (together): then there is no batching and every
 *      op completes when it returns, which is always correct.  A provider
 *      that applies ops at once may still implement them, to count
 *      batches or to defer work that a batch needs only once (the dummy
 *      provider saves its table file once per batch).
 *
 *
 * Threads
 * =======
 *
 * A NIC is used from one thread at a time; providers need no locking for
 * their own per-NIC state. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdma-nic.h"

struct smap;

/* An open NIC.  Each provider embeds one in its own structure and uses
 * CONTAINER_OF to get from one to the other. */
struct rdma_nic {
    const struct rdma_nic_class *class; /* Provider, set by rdma_nic_open(). */
    char *type;                         /* Copy of class->type. */
    unsigned int batch_depth;           /* Nested rdma_nic_batch_begin()s
                                         * not yet committed. */
    bool batch_open;                    /* 'batch_begin' succeeded for the
                                         * outermost of them. */
};

/* A kind of NIC: the functions that implement it. */
struct rdma_nic_class {
    /* The TYPE of a spec "TYPE[:key=value,...]", e.g. "dummy".  Must not
     * contain ':' and must be unique among the registered providers. */
    const char *type;

    /* What this provider is and the options its spec takes, in one line
     * of at most 64 characters without a final period, for "ovs-rdmad
     * --help" (rdma_nic_format_provider_help()), e.g. "software overlay
     * RoCE NIC sending real frames: soft:dev=IFNAME".  May be NULL, but every
     * provider should say what it is. */
    const char *description;

    /* Opens a NIC of this type, configured by 'args' (the spec's
     * "key=value" pairs; empty if it had none).  On success stores the new
     * NIC in '*nicp' and returns 0.  On failure returns a positive errno
     * and may store in '*errorp' a malloc'd message that tells the
     * operator what was wrong and what to do, without a "TYPE: " prefix
     * (the caller adds it), e.g. 'unknown option "bar" (options: ...)'.
     * Must reject options it does not know.  Required. */
    int (*open)(const struct smap *args, struct rdma_nic **nicp,
                char **errorp);

    /* Frees 'nic' and everything 'open' allocated for it.  Required. */
    void (*close)(struct rdma_nic *nic);

    /* Stores in '*caps' what 'nic' can offload.  Returns 0 or a positive
     * errno.  May be NULL.
     *
     * Besides what it can encapsulate, a provider says here what of the
     * underlay it leaves to the host kernel: 'kernel_underlay' (its
     * entries hold no underlay MACs, VLAN or MTU, so 'dump' returns none
     * and a change of them costs no 'modify'), and 'resolves_neighbour'
     * (it needs no next-hop MAC: the client installs entries whose next
     * hop has no neighbour entry yet, with 'nexthop_mac' all-zero, instead
     * of leaving them pending until it appears).  A provider that
     * programs the MACs into the hardware itself must leave both false. */
    int (*get_caps)(const struct rdma_nic *nic, struct rdma_nic_caps *caps);

    /* Binds the source side of connection 'cm_id' (local VTEP IP and MAC,
     * underlay VLAN and MTU, tenant source IP), as known at address
     * resolution, replacing a source bound before.  The connection need
     * not be installed yet.  May be NULL. */
    int (*bind_source)(struct rdma_nic *nic, uint64_t cm_id,
                       const struct rdma_nic_source *source);

    /* Adds 'entry' to the table.  Returns EEXIST if 'entry->cm_id' is
     * installed, ENOSPC if the table is full.  May be NULL. */
    int (*install)(struct rdma_nic *nic, const struct rdma_nic_entry *entry);

    /* Replaces the installed entry whose cm_id is 'entry->cm_id' (its
     * tuple, QPNs and generation) by 'entry', make-before-break.  Returns
     * ENOENT if it is not installed.  May be NULL. */
    int (*modify)(struct rdma_nic *nic, const struct rdma_nic_entry *entry);

    /* Removes the entry and the bound source of 'cm_id'.  Returns ENOENT
     * if the NIC knows neither.  May be NULL. */
    int (*remove)(struct rdma_nic *nic, uint64_t cm_id);

    /* Stores in '*entriesp' a malloc'd array of all installed entries, in
     * no particular order, and their number in '*n_entriesp'.  On failure
     * stores NULL and 0.  May be NULL. */
    int (*dump)(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
                size_t *n_entriesp);

    /* Stores in '*detailsp' a new JSON object with what the provider can
     * tell about installed entry 'cm_id' beyond the entry itself: its
     * handles in the device, counters, whether the hardware holds it.
     * "rdma/show-qp-map" shows it as the binding's "nic" member (and in
     * the text form as "nic={...}").  Each member's name and meaning are
     * the provider's own and documented with it.  Returns ENOENT if
     * 'cm_id' is not installed.  May be NULL (nothing shown). */
    int (*get_details)(struct rdma_nic *nic, uint64_t cm_id,
                       struct json **detailsp);

    /* Opens a batch of ops: see "Batches" above.  Returns 0 or a positive
     * errno, in which case there is no batch and the ops that follow
     * complete one by one.  May be NULL, together with 'batch_commit'. */
    int (*batch_begin)(struct rdma_nic *nic);

    /* Completes the ops queued since 'batch_begin' and closes the batch:
     * see "Batches" above.  Returns 0 if the device took them all,
     * otherwise the errno of the first it refused, with every refused op
     * in '*failedp' (malloc'd, or NULL if none) and their number in
     * '*n_failedp'.  May be NULL, together with 'batch_begin'. */
    int (*batch_commit)(struct rdma_nic *nic,
                        struct rdma_nic_batch_failure **failedp,
                        size_t *n_failedp);

    /* Does background work: see "Synchronous semantics" above.  May be
     * NULL. */
    void (*run)(struct rdma_nic *nic);

    /* Arranges for poll_block() to wake up when 'run' has work to do.  May
     * be NULL. */
    void (*wait)(struct rdma_nic *nic);
};

void rdma_nic_register_provider(const struct rdma_nic_class *);

/* Built-in providers. */
extern const struct rdma_nic_class rdma_nic_dummy_class;
extern const struct rdma_nic_class rdma_nic_soft_class;
extern const struct rdma_nic_class rdma_nic_tc_class;

#endif /* rdma-nic-provider.h */
