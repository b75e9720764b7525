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

/* The NIC driver callback interface: provider side.
 *
 * A provider connects ovs-rdmad to one kind of overlay-capable RDMA NIC: an
 * in-memory table for tests ("dummy"), a software model that puts real
 * frames on a Linux device ("soft"), or real hardware ("mlx5").
 *
 *
 * Life cycle
 * ==========
 *
 * rdma_nic_open() looks the provider up by the type in its spec
 * ("TYPE[:key=value,...]") and calls its 'open' with the options parsed
 * into an smap.  The NIC is then used through the other callbacks until
 * rdma_nic_close() calls 'close', which must release everything the NIC
 * holds, including the entries still installed in hardware: ovs-rdmad
 * removes nothing itself on exit.
 *
 * For each connection ovs-rdmad calls, in order:
 *
 *   - 'bind_source', once the source side is known (at rdma_cm address
 *     resolution): the local VTEP and the tenant's source address;
 *
 *   - 'install', once the whole tuple is known;
 *
 *   - 'modify', zero or more times, whenever an input of the tuple changed
 *     (make-before-break: the NIC must switch the QP to the new tuple
 *     without a window in which its packets leave unencapsulated or with
 *     a mix of old and new headers), with 'generation' one higher each time;
 *
 *   - 'remove', when the connection goes away or can no longer be carried
 *     as configured.  'remove' also forgets the bound source.
 *
 *
 * Ownership and errors
 * ====================
 *
 * The NIC copies what it keeps of the entries and sources it is given; the
 * caller's memory is its own again when a callback returns.  Every callback
 * that can fail returns 0 or a positive errno value and, when it fails,
 * leaves the table exactly as it was.  Conventional errors: EEXIST from
 * 'install' for a cm_id already installed, ENOENT from 'modify' and
 * 'remove' for one not installed, ENOSPC when the table is full,
 * EOPNOTSUPP for a tuple the NIC cannot offload (check 'get_caps' first).
 *
 * Every callback completes before it returns.  A provider that works in
 * the background (receiving frames, waiting for firmware) does that work in
 * 'run' and arranges to be woken in 'wait', which ovs-rdmad calls from its
 * main loop like every other module's.
 *
 *
 * Optional callbacks
 * ==================
 *
 * 'bind_source', 'modify', 'dump', 'run' and 'wait' may be NULL.  The
 * wrappers in rdma-nic.c then return EOPNOTSUPP (or do nothing, for 'run'
 * and 'wait').  'open', 'close', 'get_caps', 'install' and 'remove' are
 * required. */

#include "rdma-nic.h"

struct smap;

/* An open NIC.  Providers embed it at the start of their own structure. */
struct rdma_nic {
    const struct rdma_nic_class *class; /* The provider. */
};

/* A provider. */
struct rdma_nic_class {
    /* Type name, as in --provider=TYPE. */
    const char *type;

    /* One-line description of the options it accepts, for error messages,
     * e.g. "capacity, ipv6, vlan, geneve, log". */
    const char *options;

    /* Opens a NIC with the options in 'args'.  On success stores it in
     * '*nicp' and returns NULL; on failure returns a malloc'd message that
     * says what was wrong and what to do. */
    char *(*open)(const struct smap *args, struct rdma_nic **nicp);

    /* Releases 'nic' and everything it holds. */
    void (*close)(struct rdma_nic *nic);

    /* Stores what 'nic' can offload in '*caps'. */
    int (*get_caps)(const struct rdma_nic *nic, struct rdma_nic_caps *caps);

    /* Binds the source side of connection 'cm_id'.  May be NULL. */
    int (*bind_source)(struct rdma_nic *nic, uint64_t cm_id,
                       const struct rdma_nic_source *src);

    /* Installs 'entry', whose cm_id must not be installed yet. */
    int (*install)(struct rdma_nic *nic, const struct rdma_nic_entry *entry);

    /* Replaces the installed entry with entry->cm_id by 'entry'.  May be
     * NULL. */
    int (*modify)(struct rdma_nic *nic, const struct rdma_nic_entry *entry);

    /* Removes the entry and the bound source of 'cm_id'. */
    int (*remove)(struct rdma_nic *nic, uint64_t cm_id);

    /* Stores a malloc'd copy of every installed entry in '*entriesp' and
     * their number in '*n_entriesp'.  May be NULL. */
    int (*dump)(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
                size_t *n_entriesp);

    /* Does background work.  May be NULL. */
    void (*run)(struct rdma_nic *nic);

    /* Arranges for poll_block() to wake when 'run' has work.  May be
     * NULL. */
    void (*wait)(struct rdma_nic *nic);
};

void rdma_nic_register_provider(const struct rdma_nic_class *);

/* Built-in providers. */
extern const struct rdma_nic_class rdma_nic_dummy_class;

void rdma_nic_dummy_register_commands(void);

#endif /* rdma-nic-provider.h */
