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
#include "rdma-nic.h"
#include "rdma-fault.h"
#include "rdma-nic-provider.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "openvswitch/json.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_nic);

COVERAGE_DEFINE(rdma_nic_open);
COVERAGE_DEFINE(rdma_nic_bind_source);
COVERAGE_DEFINE(rdma_nic_install);
COVERAGE_DEFINE(rdma_nic_modify);
COVERAGE_DEFINE(rdma_nic_remove);
COVERAGE_DEFINE(rdma_nic_dump);
COVERAGE_DEFINE(rdma_nic_op_error);
COVERAGE_DEFINE(rdma_nic_batch);

/* Registered providers: "const struct rdma_nic_class *"s indexed by type. */
static struct shash rdma_nic_classes = SHASH_INITIALIZER(&rdma_nic_classes);

/* Registers the providers built into this library, once. */
static void
rdma_nic_initialize(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        rdma_nic_register_provider(&rdma_nic_dummy_class);
        rdma_nic_register_provider(&rdma_nic_soft_class);
        rdma_nic_register_provider(&rdma_nic_tc_class);
        ovsthread_once_done(&once);
    }
}

/* Makes 'class' available to rdma_nic_open() under 'class->type'.  A
 * second provider with the same type is ignored, with a warning. */
void
rdma_nic_register_provider(const struct rdma_nic_class *class)
{
    ovs_assert(class->type && !strchr(class->type, ':'));
    ovs_assert(class->open && class->close);

    if (!shash_add_once(&rdma_nic_classes, class->type, class)) {
        VLOG_WARN("attempted to register duplicate NIC provider \"%s\"",
                  class->type);
    }
}

/* Appends the types of the registered providers to 'ds', sorted and
 * separated by ", ". */
void
rdma_nic_format_providers(struct ds *ds)
{
    const struct shash_node **nodes;
    size_t i, n;

    rdma_nic_initialize();
    n = shash_count(&rdma_nic_classes);
    nodes = shash_sort(&rdma_nic_classes);
    for (i = 0; i < n; i++) {
        ds_put_format(ds, "%s%s", i ? ", " : "", nodes[i]->name);
    }
    free(nodes);
}

/* Appends to 'ds' one line per registered provider, sorted by type: the
 * type and its description, for --help. */
void
rdma_nic_format_provider_help(struct ds *ds)
{
    const struct shash_node **nodes;
    size_t i, n, width = 0;

    rdma_nic_initialize();
    n = shash_count(&rdma_nic_classes);
    nodes = shash_sort(&rdma_nic_classes);
    for (i = 0; i < n; i++) {
        width = MAX(width, strlen(nodes[i]->name));
    }
    for (i = 0; i < n; i++) {
        const struct rdma_nic_class *class = nodes[i]->data;

        if (class->description) {
            ds_put_format(ds, "  %-*s  %s\n", (int) width, class->type,
                          class->description);
        } else {
            ds_put_format(ds, "  %s\n", class->type);
        }
    }
    free(nodes);
}

/* Parses 'options', the part of a spec after "TYPE:", a comma-separated
 * list of "key=value" pairs, into 'args'.  Returns NULL or a malloc'd error
 * message prefixed by 'type'. */
static char * OVS_WARN_UNUSED_RESULT
rdma_nic_parse_options(const char *type, const char *options,
                       struct smap *args)
{
    char *copy = xstrdup(options);
    char *error = NULL;
    char *save_ptr = NULL;
    char *item;

    if (!*options) {
        free(copy);
        return NULL;
    }
    if (options[0] == ',' || options[strlen(options) - 1] == ','
        || strstr(options, ",,")) {
        free(copy);
        return xasprintf("%s: empty option in \"%s\" (expected "
                         "key=value,...)", type, options);
    }
    for (item = strtok_r(copy, ",", &save_ptr); item;
         item = strtok_r(NULL, ",", &save_ptr)) {
        char *eq = strchr(item, '=');

        if (!eq || eq == item) {
            error = (eq
                     ? xasprintf("%s: option \"%s\" has no name (expected "
                                 "key=value)", type, item)
                     : xasprintf("%s: option \"%s\" has no value (expected "
                                 "%s=VALUE)", type, item, item));
            break;
        }
        *eq = '\0';
        if (!smap_add_once(args, item, eq + 1)) {
            error = xasprintf("%s: option \"%s\" given more than once",
                              type, item);
            break;
        }
    }
    free(copy);
    return error;
}

/* Opens the NIC described by 'spec', "TYPE[:key=value,...]", e.g. "dummy"
 * or "dummy:capacity=4,ipv6=false".  On success stores the NIC in '*nicp'
 * and returns NULL.  On failure stores NULL in '*nicp' and returns a
 * malloc'd message that says what was wrong and what to do; the caller
 * frees it. */
char *
rdma_nic_open(const char *spec, struct rdma_nic **nicp)
{
    const struct rdma_nic_class *class;
    struct smap args = SMAP_INITIALIZER(&args);
    struct rdma_nic *nic = NULL;
    char *type, *options;
    char *error = NULL;
    int retval;

    *nicp = NULL;
    rdma_nic_initialize();
    COVERAGE_INC(rdma_nic_open);

    if (!spec || !*spec || *spec == ':') {
        struct ds available = DS_EMPTY_INITIALIZER;

        rdma_nic_format_providers(&available);
        error = xasprintf("missing NIC provider type (expected "
                          "TYPE[:key=value,...], available types: %s)",
                          ds_cstr(&available));
        ds_destroy(&available);
        return error;
    }

    type = xstrdup(spec);
    options = strchr(type, ':');
    if (options) {
        *options++ = '\0';
    }

    class = shash_find_data(&rdma_nic_classes, type);
    if (!class) {
        struct ds available = DS_EMPTY_INITIALIZER;

        rdma_nic_format_providers(&available);
        error = xasprintf("unknown NIC provider \"%s\" (available: %s)",
                          type, ds_cstr(&available));
        ds_destroy(&available);
        goto exit;
    }

    error = rdma_nic_parse_options(type, options ? options : "", &args);
    if (error) {
        goto exit;
    }

    retval = class->open(&args, &nic, &error);
    if (retval) {
        char *detail = error;

        error = (detail
                 ? xasprintf("%s: %s", type, detail)
                 : xasprintf("%s: cannot open NIC (%s)", type,
                             ovs_strerror(retval)));
        free(detail);
        VLOG_DBG("open \"%s\" failed: %s", spec, error);
        goto exit;
    }
    ovs_assert(nic);
    free(error);                /* A provider should not set it, but... */
    error = NULL;

    nic->class = class;
    nic->type = xstrdup(class->type);
    nic->batch_depth = 0;
    nic->batch_open = false;
    *nicp = nic;
    VLOG_DBG("%s: opened NIC \"%s\"", type, spec);

exit:
    smap_destroy(&args);
    free(type);
    return error;
}

/* Closes 'nic', which may be NULL. */
void
rdma_nic_close(struct rdma_nic *nic)
{
    if (nic) {
        char *type = nic->type;

        VLOG_DBG("%s: closing NIC", type);
        nic->class->close(nic);
        free(type);
    }
}

/* Returns the provider type of 'nic', e.g. "dummy". */
const char *
rdma_nic_get_type(const struct rdma_nic *nic)
{
    return nic->type;
}

/* Logs at debug level that op 'op' with arguments 'args' on 'nic'
 * returned 'error', and counts a failure. */
static void
rdma_nic_log_op(const struct rdma_nic *nic, const char *op,
                const char *args, int error)
{
    if (error) {
        COVERAGE_INC(rdma_nic_op_error);
    }
    VLOG_DBG("%s: %s %s: %s", nic->type, op, args,
             error ? ovs_strerror(error) : "ok");
}

/* Appends 'entry' to 'ds', for logging. */
static void
rdma_nic_format_entry(const struct rdma_nic_entry *entry, struct ds *ds)
{
    ds_put_format(ds, "cm_id=%"PRIu64" qpn=%"PRIu32" remote_qpn=%"PRIu32
                  " gen=%"PRIu64" ", entry->cm_id, entry->qpn,
                  entry->remote_qpn, entry->generation);
    ovl_tuple_format(&entry->tuple, ds);
}

/* Stores in '*caps' what 'nic' can offload.  Returns 0 or a positive errno,
 * in which case '*caps' reports no capabilities. */
int
rdma_nic_get_caps(const struct rdma_nic *nic, struct rdma_nic_caps *caps)
{
    int error;

    memset(caps, 0, sizeof *caps);
    error = (nic->class->get_caps
             ? nic->class->get_caps(nic, caps)
             : EOPNOTSUPP);
    if (error) {
        memset(caps, 0, sizeof *caps);
    }
    if (VLOG_IS_DBG_ENABLED()) {
        char *args = xasprintf("vxlan=%d geneve=%d ipv6=%d vlan=%d "
                               "max_entries=%"PRIu32" kernel_underlay=%d "
                               "resolves_neighbour=%d", caps->vxlan,
                               caps->geneve, caps->ipv6, caps->vlan,
                               caps->max_entries, caps->kernel_underlay,
                               caps->resolves_neighbour);
        rdma_nic_log_op(nic, "get-caps", args, error);
        free(args);
    }
    return error;
}

/* Binds 'source' as the source side of connection 'cm_id' on 'nic'.
 * Returns 0 or a positive errno. */
int
rdma_nic_bind_source(struct rdma_nic *nic, uint64_t cm_id,
                     const struct rdma_nic_source *source)
{
    int error;

    COVERAGE_INC(rdma_nic_bind_source);
    error = (nic->class->bind_source
             ? nic->class->bind_source(nic, cm_id, source)
             : EOPNOTSUPP);
    if (VLOG_IS_DBG_ENABLED()) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        ds_put_format(&ds, "cm_id=%"PRIu64" local_ip=", cm_id);
        ipv6_format_mapped(&source->local_ip, &ds);
        ds_put_format(&ds, " local_mac="ETH_ADDR_FMT" vlan=%"PRIu16
                      " underlay_mtu=%"PRIu16" inner_src_ip=",
                      ETH_ADDR_ARGS(source->local_mac), source->vlan,
                      source->underlay_mtu);
        ipv6_format_mapped(&source->inner_src_ip, &ds);
        rdma_nic_log_op(nic, "bind-source", ds_cstr(&ds), error);
        ds_destroy(&ds);
    }
    return error;
}

/* Installs 'entry' in 'nic''s table.  Returns 0, EEXIST if 'entry->cm_id'
 * is already installed, ENOSPC if the table is full, or another positive
 * errno. */
int
rdma_nic_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    int error;

    COVERAGE_INC(rdma_nic_install);
    error = (nic->class->install
             ? nic->class->install(nic, entry)
             : EOPNOTSUPP);
    if (VLOG_IS_DBG_ENABLED()) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_nic_format_entry(entry, &ds);
        rdma_nic_log_op(nic, "install", ds_cstr(&ds), error);
        ds_destroy(&ds);
    }
    if (!error) {
        rdma_fault_point("nic-install");
    }
    return error;
}

/* Replaces the tuple, QPNs and generation of the entry for 'entry->cm_id'
 * in 'nic''s table by those of 'entry'.  Returns 0, ENOENT if that cm_id is
 * not installed, or another positive errno. */
int
rdma_nic_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    int error;

    COVERAGE_INC(rdma_nic_modify);
    error = (nic->class->modify
             ? nic->class->modify(nic, entry)
             : EOPNOTSUPP);
    if (VLOG_IS_DBG_ENABLED()) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_nic_format_entry(entry, &ds);
        rdma_nic_log_op(nic, "modify", ds_cstr(&ds), error);
        ds_destroy(&ds);
    }
    if (!error) {
        rdma_fault_point("nic-modify");
    }
    return error;
}

/* Removes the entry and the bound source of 'cm_id' from 'nic'.  Returns 0,
 * ENOENT if 'nic' knows neither, or another positive errno. */
int
rdma_nic_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    int error;

    COVERAGE_INC(rdma_nic_remove);
    error = (nic->class->remove
             ? nic->class->remove(nic, cm_id)
             : EOPNOTSUPP);
    if (VLOG_IS_DBG_ENABLED()) {
        char *args = xasprintf("cm_id=%"PRIu64, cm_id);

        rdma_nic_log_op(nic, "remove", args, error);
        free(args);
    }
    if (!error) {
        rdma_fault_point("nic-remove");
    }
    return error;
}

/* Opens a batch of ops on 'nic' (see "Batches" in rdma-nic-provider.h):
 * the provider may defer the work of the 'install', 'modify', 'remove' and
 * 'bind_source' calls that follow until the matching
 * rdma_nic_batch_commit().  Batches nest; only the outermost pair reaches
 * the provider.  With a provider that does not batch, this does nothing
 * and every op completes at once. */
void
rdma_nic_batch_begin(struct rdma_nic *nic)
{
    if (!nic->batch_depth++) {
        int error = 0;

        nic->batch_open = false;
        if (nic->class->batch_begin && nic->class->batch_commit) {
            COVERAGE_INC(rdma_nic_batch);
            error = nic->class->batch_begin(nic);
            nic->batch_open = !error;
            if (VLOG_IS_DBG_ENABLED()) {
                rdma_nic_log_op(nic, "batch-begin", "", error);
            }
        }
    }
}

/* Closes the batch opened by the matching rdma_nic_batch_begin() on 'nic'.
 * For the outermost batch, completes the ops queued in it and returns 0 if
 * the device took them all, otherwise the positive errno of the first it
 * refused, with every refused op in '*failedp' (malloc'd; the caller frees
 * it) and their number in '*n_failedp'; each refused op left its entry as
 * it was.  An inner commit, or a commit with a provider that does not
 * batch, returns 0 and stores NULL and 0 (the ops' own return values said
 * everything). */
int
rdma_nic_batch_commit(struct rdma_nic *nic,
                      struct rdma_nic_batch_failure **failedp,
                      size_t *n_failedp)
{
    int error;

    *failedp = NULL;
    *n_failedp = 0;
    ovs_assert(nic->batch_depth > 0);
    if (--nic->batch_depth || !nic->batch_open) {
        return 0;
    }
    nic->batch_open = false;
    error = nic->class->batch_commit(nic, failedp, n_failedp);
    if (!error) {
        free(*failedp);
        *failedp = NULL;
        *n_failedp = 0;
    }
    if (error || VLOG_IS_DBG_ENABLED()) {
        char *args = xasprintf("%"PRIuSIZE" refused", *n_failedp);

        rdma_nic_log_op(nic, "batch-commit", args, error);
        free(args);
    }
    return error;
}

/* Returns true if 'nic' is inside a batch (between rdma_nic_batch_begin()
 * and its rdma_nic_batch_commit()). */
bool
rdma_nic_in_batch(const struct rdma_nic *nic)
{
    return nic->batch_depth > 0;
}

/* Stores in '*entriesp' a malloc'd array of the entries installed in 'nic',
 * in no particular order, and in '*n_entriesp' their number.  The caller
 * frees '*entriesp'.  Returns 0 or a positive errno (EBUSY inside a batch),
 * in which case it stores NULL and 0. */
int
rdma_nic_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
              size_t *n_entriesp)
{
    int error;

    COVERAGE_INC(rdma_nic_dump);
    *entriesp = NULL;
    *n_entriesp = 0;
    error = (nic->batch_depth ? EBUSY
             : nic->class->dump
             ? nic->class->dump(nic, entriesp, n_entriesp)
             : EOPNOTSUPP);
    if (error) {
        free(*entriesp);
        *entriesp = NULL;
        *n_entriesp = 0;
    }
    if (VLOG_IS_DBG_ENABLED()) {
        char *args = xasprintf("(%"PRIuSIZE" entries)", *n_entriesp);

        rdma_nic_log_op(nic, "dump", args, error);
        free(args);
    }
    return error;
}

/* Returns the hash of 'tuple' as a NIC with capabilities 'caps' holds it:
 * for a NIC that leaves the underlay to the kernel ('kernel_underlay'),
 * only the fields its entries hold count, so that an entry read back with
 * rdma_nic_dump() hashes equal to the tuple it was installed from, and a
 * change of a next-hop MAC (which the kernel follows by itself) costs no
 * NIC operation. */
uint64_t
rdma_nic_entry_hash(const struct rdma_nic_caps *caps,
                    const struct ovl_tuple *tuple)
{
    struct ovl_tuple t;

    if (!caps->kernel_underlay) {
        return ovl_tuple_hash64(tuple);
    }
    t = *tuple;
    t.udp_src = 0;
    t.local_mac = eth_addr_zero;
    t.nexthop_mac = eth_addr_zero;
    t.vlan = 0;
    t.underlay_mtu = 0;
    t.path_mtu = 0;
    /* What such a NIC cannot hold either: DF (the kernel's), and the TTL
     * that it writes for OVS's default (0 means OVL_TTL_DEFAULT). */
    t.no_df = false;
    if (t.ttl == OVL_TTL_DEFAULT) {
        t.ttl = 0;
    }
    return ovl_tuple_hash64(&t);
}

/* Stores in '*detailsp' a new JSON object with the provider's own detail
 * of entry 'cm_id' (see 'get_details' in rdma-nic-provider.h), or NULL.
 * Returns 0 or a positive errno (EOPNOTSUPP if the provider has none,
 * EBUSY inside a batch). */
int
rdma_nic_get_details(struct rdma_nic *nic, uint64_t cm_id,
                     struct json **detailsp)
{
    int error;

    *detailsp = NULL;
    error = (nic->batch_depth ? EBUSY
             : nic->class->get_details
             ? nic->class->get_details(nic, cm_id, detailsp)
             : EOPNOTSUPP);
    if (error && *detailsp) {
        json_destroy(*detailsp);
        *detailsp = NULL;
    }
    return error;
}

/* Lets 'nic' do background work.  Call once per main-loop iteration. */
void
rdma_nic_run(struct rdma_nic *nic)
{
    if (nic->class->run) {
        nic->class->run(nic);
    }
}

/* Arranges for poll_block() to wake up when rdma_nic_run() has work to do
 * for 'nic'. */
void
rdma_nic_wait(struct rdma_nic *nic)
{
    if (nic->class->wait) {
        nic->class->wait(nic);
    }
}
