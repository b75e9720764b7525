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

/* The "dummy" NIC provider: an in-memory flow table with fault injection
 * and an op log, for the autotests.  See rdma-nic-dummy.h. */

#include <config.h>
#include "rdma-nic-dummy.h"
#include "rdma-nic-dummy-table.h"
#include "rdma-nic-provider.h"
#include "rdma-errno.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_nic_dummy);

/* Default length of the op log. */
#define DUMMY_LOG_DEFAULT 10000

/* The ops that fault injection and the op log cover. */
enum dummy_op {
    DUMMY_OP_BIND_SOURCE,       /* rdma_nic_bind_source(). */
    DUMMY_OP_INSTALL,           /* rdma_nic_install(). */
    DUMMY_OP_MODIFY,            /* rdma_nic_modify(). */
    DUMMY_OP_REMOVE,            /* rdma_nic_remove(). */
    DUMMY_OP_DUMP,              /* rdma_nic_dump(): fails only when named,
                                 * and is not logged. */
    DUMMY_N_OPS
};

/* Names of the ops, as the op log and "rdma-dummy/fail" spell them. */
static const char *const dummy_op_names[DUMMY_N_OPS] = {
    [DUMMY_OP_BIND_SOURCE] = "bind-source",
    [DUMMY_OP_INSTALL] = "install",
    [DUMMY_OP_MODIFY] = "modify",
    [DUMMY_OP_REMOVE] = "remove",
    [DUMMY_OP_DUMP] = "dump",
};

/* An installed entry. */
struct dummy_entry {
    struct hmap_node hmap_node; /* In dummy_nic's 'entries', by cm_id. */
    struct rdma_nic_entry entry; /* The caller's entry, copied. */
};

/* A bound source. */
struct dummy_source {
    struct hmap_node hmap_node; /* In dummy_nic's 'sources', by cm_id. */
    uint64_t cm_id;             /* The connection. */
    struct rdma_nic_source source; /* The caller's source, copied. */
};

/* One op in the op log. */
struct dummy_log_rec {
    struct ovs_list list_node;  /* In dummy_nic's 'log'. */
    unsigned long long int seq; /* Number, 1 for the first after a clear. */
    enum dummy_op op;           /* What was done. */
    uint64_t cm_id;             /* The connection. */
    struct rdma_nic_entry entry; /* For install and modify. */
    struct rdma_nic_source source; /* For bind-source. */
    int error;                  /* 0 or the positive errno returned. */
    bool injected;              /* Whether 'error' was injected. */
};

/* A dummy NIC. */
struct dummy_nic {
    struct rdma_nic up;         /* Base, see rdma-nic-provider.h. */
    struct ovs_list list_node;  /* In 'dummy_nics'. */

    struct hmap entries;        /* Contains "struct dummy_entry"s. */
    struct dummy_entry **by_key; /* Compact index: 'by_key[K]' is the entry
                                 * with cm_id K, or NULL, for every K below
                                 * 'n_by_key' (a device's table indexed by
                                 * handle: no hash lookup for the dense
                                 * keys ovs-rdmad hands out). */
    size_t n_by_key;            /* Keys 'by_key' covers. */
    struct hmap sources;        /* Contains "struct dummy_source"s. */
    struct rdma_nic_caps caps;  /* Capabilities; max_entries = capacity. */
    char *table_file;           /* "table=FILE": where the table lives
                                 * across restarts, or NULL. */

    /* Op log. */
    struct ovs_list log;        /* Contains "struct dummy_log_rec"s. */
    size_t n_log;               /* Number of records in 'log'. */
    size_t log_max;             /* Largest 'n_log', 0 = log disabled. */
    unsigned long long int log_seq; /* Ops logged since the last clear. */

    /* Batches (see "Batches" in rdma-nic-provider.h).  The dummy applies
     * every op at once, counts batches for the tests, and writes its
     * table file once per batch. */
    bool in_batch;              /* Between batch_begin and batch_commit. */
    bool table_dirty;           /* The table file needs writing at
                                 * commit. */
    struct rdma_nic_dummy_batch_stats batch; /* Counters. */

    /* Fault injection. */
    unsigned int fail_count;    /* Number of ops still to fail. */
    int fail_error;             /* Positive errno they fail with. */
    int fail_op;                /* An enum dummy_op, or -1 for any op. */
};

/* All open dummy NICs, the most recently opened last.  The unixctl
 * commands act on the last one. */
static struct ovs_list dummy_nics = OVS_LIST_INITIALIZER(&dummy_nics);

static void dummy_unixctl_register(void);
static void dummy_count_op(struct dummy_nic *);
static void dummy_index_add(struct dummy_nic *, struct dummy_entry *);

/* Returns the dummy_nic that contains 'nic'. */
static struct dummy_nic *
dummy_nic_cast(const struct rdma_nic *nic)
{
    ovs_assert(rdma_nic_is_dummy(nic));
    return CONTAINER_OF(nic, struct dummy_nic, up);
}

/* Returns true if 'nic' was opened with the dummy provider. */
bool
rdma_nic_is_dummy(const struct rdma_nic *nic)
{
    return nic->class == &rdma_nic_dummy_class;
}

/* Returns the most recently opened dummy NIC that is still open, or NULL if
 * none is. */
struct rdma_nic *
rdma_nic_dummy_get_current(void)
{
    return (ovs_list_is_empty(&dummy_nics)
            ? NULL
            : &CONTAINER_OF(ovs_list_back(&dummy_nics), struct dummy_nic,
                            list_node)->up);
}

/* Returns the enum dummy_op that 'name' names, or -1. */
static int
dummy_op_from_string(const char *name)
{
    int i;

    for (i = 0; i < DUMMY_N_OPS; i++) {
        if (!strcmp(name, dummy_op_names[i])) {
            return i;
        }
    }
    return -1;
}

/* Parses 'value', the value of option 'name', as a boolean into '*b'.
 * Returns NULL or a malloc'd error message. */
static char *
dummy_parse_bool(const char *name, const char *value, bool *b)
{
    if (!strcmp(value, "true")) {
        *b = true;
    } else if (!strcmp(value, "false")) {
        *b = false;
    } else {
        return xasprintf("%s: \"%s\" is not true or false", name, value);
    }
    return NULL;
}

/* Parses 'value', the value of option 'name', as a nonnegative decimal
 * number into '*n'.  Returns NULL or a malloc'd error message. */
static char *
dummy_parse_uint(const char *name, const char *value, unsigned int *n)
{
    return (str_to_uint(value, 10, n)
            ? NULL
            : xasprintf("%s: \"%s\" is not a number", name, value));
}

/* Parses the dummy NIC's options 'args' into '*caps', '*log_max' and
 * '*table_file' (each left as it is if not given).  Returns NULL or a
 * malloc'd error message. */
static char *
dummy_parse_args(const struct smap *args, struct rdma_nic_caps *caps,
                 unsigned int *log_max, const char **table_file)
{
    struct smap_node *node;

    SMAP_FOR_EACH (node, args) {
        const char *key = node->key;
        const char *value = node->value;
        unsigned int n;
        char *error;

        if (!strcmp(key, "capacity")) {
            error = dummy_parse_uint(key, value, &n);
            caps->max_entries = n;
        } else if (!strcmp(key, "ipv6")) {
            /* Both: an IPv6 underlay and IPv6 tenant addresses. */
            error = dummy_parse_bool(key, value, &caps->ipv6_underlay);
            caps->ipv6_inner = caps->ipv6_underlay;
        } else if (!strcmp(key, "vlan")) {
            error = dummy_parse_bool(key, value, &caps->vlan);
        } else if (!strcmp(key, "vxlan")) {
            error = dummy_parse_bool(key, value, &caps->vxlan);
        } else if (!strcmp(key, "geneve")) {
            error = dummy_parse_bool(key, value, &caps->geneve);
        } else if (!strcmp(key, "resolves_neighbour")) {
            error = dummy_parse_bool(key, value, &caps->resolves_neighbour);
        } else if (!strcmp(key, "log")) {
            error = dummy_parse_uint(key, value, log_max);
        } else if (!strcmp(key, "table")) {
            *table_file = value;
            error = NULL;
        } else {
            error = xasprintf("unknown option \"%s\" (options: capacity, "
                              "ipv6, vlan, vxlan, geneve, resolves_neighbour, "
                              "log, table)", key);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Fills the table of 'dummy' from 'table_file' (option table=FILE), which
 * it also remembers.  Returns 0, or an errno with a message in
 * '*errorp'. */
static int
dummy_load_table(struct dummy_nic *dummy, const char *table_file,
                 char **errorp)
{
    struct rdma_nic_entry *entries;
    size_t i, n;
    int error;

    error = rdma_nic_dummy_table_load(table_file, &entries, &n);
    if (error) {
        *errorp = xasprintf("table=%s: cannot read (%s)", table_file,
                            ovs_strerror(error));
        return error;
    }
    for (i = 0; i < n; i++) {
        struct dummy_entry *e = xmalloc(sizeof *e);

        e->entry = entries[i];
        hmap_insert(&dummy->entries, &e->hmap_node,
                    hash_uint64(e->entry.cm_id));
        dummy_index_add(dummy, e);
    }
    free(entries);
    dummy->table_file = abs_file_name(NULL, table_file);
    return 0;
}

/* The 'open' op: see rdma-nic-provider.h. */
static int
dummy_open(const struct smap *args, struct rdma_nic **nicp, char **errorp)
{
    struct rdma_nic_caps caps = {
        .vxlan = true, .geneve = true, .ipv6_underlay = true,
        .ipv6_inner = true, .vlan = true, .max_entries = 0,
    };
    unsigned int log_max = DUMMY_LOG_DEFAULT;
    const char *table_file = NULL;
    struct dummy_nic *dummy;
    char *error;

    error = dummy_parse_args(args, &caps, &log_max, &table_file);
    if (error) {
        *errorp = error;
        return EINVAL;
    }

    dummy = xzalloc(sizeof *dummy);
    hmap_init(&dummy->entries);
    hmap_init(&dummy->sources);
    dummy->caps = caps;
    ovs_list_init(&dummy->log);
    dummy->log_max = log_max;
    dummy->fail_op = -1;
    if (table_file) {
        int err = dummy_load_table(dummy, table_file, errorp);

        if (err) {
            hmap_destroy(&dummy->entries);
            hmap_destroy(&dummy->sources);
            free(dummy);
            return err;
        }
    }
    ovs_list_push_back(&dummy_nics, &dummy->list_node);
    dummy_unixctl_register();

    *nicp = &dummy->up;
    return 0;
}

/* The 'close' op: see rdma-nic-provider.h. */
static void
dummy_close(struct rdma_nic *nic)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    struct dummy_source *source;
    struct dummy_entry *entry;

    ovs_list_remove(&dummy->list_node);
    HMAP_FOR_EACH_POP (entry, hmap_node, &dummy->entries) {
        free(entry);
    }
    hmap_destroy(&dummy->entries);
    free(dummy->by_key);
    HMAP_FOR_EACH_POP (source, hmap_node, &dummy->sources) {
        free(source);
    }
    hmap_destroy(&dummy->sources);
    rdma_nic_dummy_clear_log(nic);
    free(dummy->table_file);
    free(dummy);
}

/* The 'get_caps' op: see rdma-nic-provider.h. */
static int
dummy_get_caps(const struct rdma_nic *nic, struct rdma_nic_caps *caps)
{
    *caps = dummy_nic_cast(nic)->caps;
    return 0;
}

/* Returns the entry installed for 'cm_id' in 'dummy', or NULL. */
static struct dummy_entry *
dummy_find_entry(const struct dummy_nic *dummy, uint64_t cm_id)
{
    struct dummy_entry *e;

    if (cm_id < dummy->n_by_key) {
        return dummy->by_key[cm_id];
    }
    HMAP_FOR_EACH_WITH_HASH (e, hmap_node, hash_uint64(cm_id),
                             &dummy->entries) {
        if (e->entry.cm_id == cm_id) {
            return e;
        }
    }
    return NULL;
}

/* Adds entry 'e', just inserted into 'dummy''s 'entries', to the compact
 * index, growing the index to cover its key if the key is dense enough
 * (below twice the number of entries plus 64k), so that the index takes
 * at most a few pointers per entry. */
static void
dummy_index_add(struct dummy_nic *dummy, struct dummy_entry *e)
{
    uint64_t key = e->entry.cm_id;

    if (key >= dummy->n_by_key
        && key < 2 * (uint64_t) hmap_count(&dummy->entries) + 65536) {
        size_t old = dummy->n_by_key;
        size_t n = MAX(2 * old, key + 1);
        struct dummy_entry *other;

        n = MAX(n, 1024);
        dummy->by_key = xrealloc(dummy->by_key, n * sizeof *dummy->by_key);
        memset(&dummy->by_key[old], 0,
               (n - old) * sizeof *dummy->by_key);
        dummy->n_by_key = n;
        HMAP_FOR_EACH (other, hmap_node, &dummy->entries) {
            if (other->entry.cm_id >= old && other->entry.cm_id < n) {
                dummy->by_key[other->entry.cm_id] = other;
            }
        }
    } else if (key < dummy->n_by_key) {
        dummy->by_key[key] = e;
    }
}

/* Removes entry 'e' from 'dummy''s 'entries' and compact index. */
static void
dummy_index_remove(struct dummy_nic *dummy, struct dummy_entry *e)
{
    if (e->entry.cm_id < dummy->n_by_key) {
        dummy->by_key[e->entry.cm_id] = NULL;
    }
    hmap_remove(&dummy->entries, &e->hmap_node);
}

/* Returns the source bound for 'cm_id' in 'dummy', or NULL. */
static struct dummy_source *
dummy_find_source(const struct dummy_nic *dummy, uint64_t cm_id)
{
    struct dummy_source *s;

    HMAP_FOR_EACH_WITH_HASH (s, hmap_node, hash_uint64(cm_id),
                             &dummy->sources) {
        if (s->cm_id == cm_id) {
            return s;
        }
    }
    return NULL;
}

/* If fault injection wants op 'op' to fail, consumes one injected failure
 * and returns its errno, otherwise returns 0. */
static int
dummy_injected_error(struct dummy_nic *dummy, enum dummy_op op)
{
    if (dummy->fail_count
        && (dummy->fail_op == (int) op
            || (dummy->fail_op < 0 && op != DUMMY_OP_DUMP))) {
        dummy->fail_count--;
        return dummy->fail_error;
    }
    return 0;
}

/* Appends op 'op' on 'cm_id' with 'entry' (for install and modify) or
 * 'source' (for bind-source), which returned 'error' ('injected' if fault
 * injection caused it), to 'dummy''s op log. */
static void
dummy_log_op(struct dummy_nic *dummy, enum dummy_op op, uint64_t cm_id,
             const struct rdma_nic_entry *entry,
             const struct rdma_nic_source *source, int error, bool injected)
{
    struct dummy_log_rec *rec;

    dummy->log_seq++;
    if (!dummy->log_max) {
        return;
    }
    if (dummy->n_log >= dummy->log_max) {
        rec = CONTAINER_OF(ovs_list_pop_front(&dummy->log),
                           struct dummy_log_rec, list_node);
        dummy->n_log--;
    } else {
        rec = xmalloc(sizeof *rec);
    }
    memset(rec, 0, sizeof *rec);
    rec->seq = dummy->log_seq;
    rec->op = op;
    rec->cm_id = cm_id;
    if (entry) {
        rec->entry = *entry;
    }
    if (source) {
        rec->source = *source;
    }
    rec->error = error;
    rec->injected = injected;
    ovs_list_push_back(&dummy->log, &rec->list_node);
    dummy->n_log++;
}

/* Returns true if 'ip' is an IPv6 address, false if it is IPv4-mapped or
 * unset. */
static bool
dummy_is_ipv6(const struct in6_addr *ip)
{
    return ipv6_addr_is_set(ip) && !IN6_IS_ADDR_V4MAPPED(ip);
}

/* Returns EOPNOTSUPP if 'dummy' cannot offload 'tuple', otherwise 0. */
static int
dummy_check_tuple(const struct dummy_nic *dummy, const struct ovl_tuple *t)
{
    if ((t->type == OVL_GENEVE && !dummy->caps.geneve)
        || (t->type == OVL_VXLAN && !dummy->caps.vxlan)
        || (t->vlan && !dummy->caps.vlan)
        || ((dummy_is_ipv6(&t->local_ip) || dummy_is_ipv6(&t->remote_ip))
            && !dummy->caps.ipv6_underlay)) {
        return EOPNOTSUPP;
    }
    return 0;
}

/* The 'bind_source' op: see rdma-nic-provider.h. */
static int
dummy_bind_source(struct rdma_nic *nic, uint64_t cm_id,
                  const struct rdma_nic_source *source)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int error = dummy_injected_error(dummy, DUMMY_OP_BIND_SOURCE);
    bool injected = error != 0;

    if (!error
        && ((source->vlan && !dummy->caps.vlan)
            || (dummy_is_ipv6(&source->local_ip)
                && !dummy->caps.ipv6_underlay))) {
        error = EOPNOTSUPP;
    }
    if (!error) {
        struct dummy_source *s = dummy_find_source(dummy, cm_id);

        if (!s) {
            s = xmalloc(sizeof *s);
            s->cm_id = cm_id;
            hmap_insert(&dummy->sources, &s->hmap_node, hash_uint64(cm_id));
        }
        s->source = *source;
    }
    dummy_log_op(dummy, DUMMY_OP_BIND_SOURCE, cm_id, NULL, source, error,
                 injected);
    if (!error) {
        dummy_count_op(dummy);
    }
    return error;
}

static void dummy_get_sorted(const struct dummy_nic *,
                             struct rdma_nic_entry **, size_t *);
static void dummy_save_table(struct dummy_nic *);

/* Counts a successful op of 'dummy', in its batch if one is open. */
static void
dummy_count_op(struct dummy_nic *dummy)
{
    if (dummy->in_batch) {
        dummy->batch.n_batched_ops++;
        dummy->batch.cur_ops++;
    } else {
        dummy->batch.n_unbatched_ops++;
    }
}

/* Writes the table to its file, if it has one ("table=FILE"); inside a
 * batch, only once, at commit. */
static void
dummy_save_table(struct dummy_nic *dummy)
{
    if (dummy->in_batch) {
        dummy->table_dirty = true;
    } else if (dummy->table_file) {
        struct rdma_nic_entry *entries;
        size_t n;
        int error;

        dummy_get_sorted(dummy, &entries, &n);
        error = rdma_nic_dummy_table_save(dummy->table_file, entries, n);
        if (error) {
            VLOG_WARN("table=%s: cannot write (%s)", dummy->table_file,
                      ovs_strerror(error));
        }
        free(entries);
    }
}

/* The 'install' op: see rdma-nic-provider.h. */
static int
dummy_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int error = dummy_injected_error(dummy, DUMMY_OP_INSTALL);
    bool injected = error != 0;

    if (!error) {
        error = dummy_check_tuple(dummy, &entry->tuple);
    }
    if (!error && dummy_find_entry(dummy, entry->cm_id)) {
        error = EEXIST;
    }
    if (!error && dummy->caps.max_entries
        && hmap_count(&dummy->entries) >= dummy->caps.max_entries) {
        error = ENOSPC;
    }
    if (!error) {
        struct dummy_entry *e = xmalloc(sizeof *e);

        e->entry = *entry;
        hmap_insert(&dummy->entries, &e->hmap_node,
                    hash_uint64(entry->cm_id));
        dummy_index_add(dummy, e);
    }
    dummy_log_op(dummy, DUMMY_OP_INSTALL, entry->cm_id, entry, NULL, error,
                 injected);
    if (!error) {
        dummy->batch.n_installs++;
        dummy_count_op(dummy);
        dummy_save_table(dummy);
    }
    return error;
}

/* The 'modify' op: see rdma-nic-provider.h. */
static int
dummy_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int error = dummy_injected_error(dummy, DUMMY_OP_MODIFY);
    bool injected = error != 0;
    struct dummy_entry *e = NULL;

    if (!error) {
        e = dummy_find_entry(dummy, entry->cm_id);
        if (!e) {
            error = ENOENT;
        }
    }
    if (!error) {
        error = dummy_check_tuple(dummy, &entry->tuple);
    }
    if (!error) {
        e->entry = *entry;
    }
    dummy_log_op(dummy, DUMMY_OP_MODIFY, entry->cm_id, entry, NULL, error,
                 injected);
    if (!error) {
        dummy->batch.n_modifies++;
        dummy_count_op(dummy);
        dummy_save_table(dummy);
    }
    return error;
}

/* The 'remove' op: see rdma-nic-provider.h. */
static int
dummy_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int error = dummy_injected_error(dummy, DUMMY_OP_REMOVE);
    bool injected = error != 0;

    if (!error) {
        struct dummy_entry *e = dummy_find_entry(dummy, cm_id);
        struct dummy_source *s = dummy_find_source(dummy, cm_id);

        if (!e && !s) {
            error = ENOENT;
        }
        if (e) {
            dummy_index_remove(dummy, e);
            free(e);
        }
        if (s) {
            hmap_remove(&dummy->sources, &s->hmap_node);
            free(s);
        }
    }
    dummy_log_op(dummy, DUMMY_OP_REMOVE, cm_id, NULL, NULL, error, injected);
    if (!error) {
        dummy->batch.n_removes++;
        dummy_count_op(dummy);
        dummy_save_table(dummy);
    }
    return error;
}

/* The 'batch_begin' op: see rdma-nic-provider.h. */
static int
dummy_batch_begin(struct rdma_nic *nic)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);

    dummy->in_batch = true;
    dummy->batch.cur_ops = 0;
    return 0;
}

/* The 'batch_commit' op: see rdma-nic-provider.h.  Every op was applied
 * when it was called, so none is refused here; the table file is written
 * once if an op changed it. */
static int
dummy_batch_commit(struct rdma_nic *nic,
                   struct rdma_nic_batch_failure **failedp OVS_UNUSED,
                   size_t *n_failedp OVS_UNUSED)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);

    dummy->in_batch = false;
    dummy->batch.n_batches++;
    dummy->batch.max_ops = MAX(dummy->batch.max_ops, dummy->batch.cur_ops);
    dummy->batch.cur_ops = 0;
    if (dummy->table_dirty) {
        dummy->table_dirty = false;
        dummy_save_table(dummy);
    }
    return 0;
}

/* Compares the entries that 'a_' and 'b_' point to by cm_id, for qsort(). */
static int
dummy_compare_entries(const void *a_, const void *b_)
{
    const struct rdma_nic_entry *a = a_;
    const struct rdma_nic_entry *b = b_;

    return a->cm_id < b->cm_id ? -1 : a->cm_id > b->cm_id;
}

/* Stores in '*entriesp' a malloc'd array of the entries in 'dummy', sorted
 * by cm_id, and their number in '*n_entriesp'. */
static void
dummy_get_sorted(const struct dummy_nic *dummy,
                 struct rdma_nic_entry **entriesp, size_t *n_entriesp)
{
    size_t n = hmap_count(&dummy->entries);
    struct rdma_nic_entry *entries = xmalloc((n ? n : 1) * sizeof *entries);
    const struct dummy_entry *e;
    size_t i = 0;

    HMAP_FOR_EACH (e, hmap_node, &dummy->entries) {
        entries[i++] = e->entry;
    }
    qsort(entries, n, sizeof *entries, dummy_compare_entries);
    *entriesp = entries;
    *n_entriesp = n;
}

/* The 'dump' op: see rdma-nic-provider.h.  The dummy provider happens to
 * dump in cm_id order. */
static int
dummy_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
           size_t *n_entriesp)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int error = dummy_injected_error(dummy, DUMMY_OP_DUMP);

    if (error) {
        *entriesp = NULL;
        *n_entriesp = 0;
        return error;
    }
    dummy_get_sorted(dummy, entriesp, n_entriesp);
    return 0;
}

/* The dummy provider. */
const struct rdma_nic_class rdma_nic_dummy_class = {
    .type = "dummy",
    .description = "in-memory table with fault injection, for tests and "
                   "demos",
    .open = dummy_open,
    .close = dummy_close,
    .get_caps = dummy_get_caps,
    .bind_source = dummy_bind_source,
    .install = dummy_install,
    .modify = dummy_modify,
    .remove = dummy_remove,
    .dump = dummy_dump,
    .batch_begin = dummy_batch_begin,
    .batch_commit = dummy_batch_commit,
    .run = NULL,
    .wait = NULL,
};

/* Test hooks. */

/* Makes the next 'count' ops on 'nic' that are named 'op' ("bind-source",
 * "install", "modify", "remove" or "dump"; NULL for any of them but
 * "dump") fail with positive
 * errno 'error', replacing any failures still pending.  A 'count' of 0
 * cancels pending failures.  Returns 0, or EINVAL if 'op' or 'error' is
 * invalid, in which case nothing changes. */
int
rdma_nic_dummy_fail(struct rdma_nic *nic, unsigned int count, int error,
                    const char *op)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    int op_idx = op ? dummy_op_from_string(op) : -1;

    if ((op && op_idx < 0) || (count && error <= 0)) {
        return EINVAL;
    }
    dummy->fail_count = count;
    dummy->fail_error = error;
    dummy->fail_op = op_idx;
    return 0;
}

/* Sets the capacity of 'nic' to 'capacity' entries, 0 for no limit.
 * Entries already installed beyond a smaller capacity stay. */
void
rdma_nic_dummy_set_capacity(struct rdma_nic *nic, uint32_t capacity)
{
    dummy_nic_cast(nic)->caps.max_entries = capacity;
}

/* Appends the table of 'nic' to 'ds': one line per entry, sorted by cm_id,
 * then a summary line. */
void
rdma_nic_dummy_format_table(const struct rdma_nic *nic, struct ds *ds)
{
    const struct dummy_nic *dummy = dummy_nic_cast(nic);
    struct rdma_nic_entry *entries;
    size_t i, n;

    dummy_get_sorted(dummy, &entries, &n);
    for (i = 0; i < n; i++) {
        const struct rdma_nic_entry *e = &entries[i];

        ds_put_format(ds, "cm_id=%"PRIu64" qpn=%"PRIu32" remote_qpn=%"PRIu32
                      " gen=%"PRIu64" ", e->cm_id, e->qpn, e->remote_qpn,
                      e->generation);
        ovl_tuple_format(&e->tuple, ds);
        ds_put_char(ds, '\n');
    }
    free(entries);

    ds_put_format(ds, "%"PRIuSIZE" %s, capacity ", n,
                  n == 1 ? "entry" : "entries");
    if (dummy->caps.max_entries) {
        ds_put_format(ds, "%"PRIu32"\n", dummy->caps.max_entries);
    } else {
        ds_put_cstr(ds, "unlimited\n");
    }
}

/* Stores in '*stats' the op and batch counters of dummy NIC 'nic'. */
void
rdma_nic_dummy_get_batch_stats(const struct rdma_nic *nic,
                               struct rdma_nic_dummy_batch_stats *stats)
{
    *stats = dummy_nic_cast(nic)->batch;
}

/* Appends the op and batch counters of dummy NIC 'nic' to 'ds', as
 * "rdma-dummy/stats" shows them. */
static void
dummy_format_stats(const struct rdma_nic *nic, struct ds *ds)
{
    const struct dummy_nic *dummy = dummy_nic_cast(nic);
    const struct rdma_nic_dummy_batch_stats *b = &dummy->batch;

    ds_put_format(ds, "installs: %llu\nmodifies: %llu\nremoves: %llu\n",
                  b->n_installs, b->n_modifies, b->n_removes);
    ds_put_format(ds, "batches: %llu\n"
                  "ops in batches: %llu\n"
                  "largest batch: %llu ops\n"
                  "ops outside batches: %llu\n"
                  "entries: %"PRIuSIZE"\n",
                  b->n_batches, b->n_batched_ops, b->max_ops,
                  b->n_unbatched_ops, hmap_count(&dummy->entries));
}

/* Appends 'rec' to 'ds' as one line, with the tuple if 'verbose'. */
static void
dummy_format_log_rec(const struct dummy_log_rec *rec, bool verbose,
                     struct ds *ds)
{
    ds_put_format(ds, "%llu %s cm_id=%"PRIu64, rec->seq,
                  dummy_op_names[rec->op], rec->cm_id);
    switch (rec->op) {
    case DUMMY_OP_BIND_SOURCE:
        ds_put_cstr(ds, " local_ip=");
        ipv6_format_mapped(&rec->source.local_ip, ds);
        ds_put_format(ds, " local_mac="ETH_ADDR_FMT" vlan=%"PRIu16
                      " underlay_mtu=%"PRIu16" inner_src_ip=",
                      ETH_ADDR_ARGS(rec->source.local_mac), rec->source.vlan,
                      rec->source.underlay_mtu);
        ipv6_format_mapped(&rec->source.inner_src_ip, ds);
        break;

    case DUMMY_OP_INSTALL:
    case DUMMY_OP_MODIFY:
        ds_put_format(ds, " qpn=%"PRIu32" gen=%"PRIu64,
                      rec->entry.qpn, rec->entry.generation);
        if (verbose) {
            ds_put_format(ds, " remote_qpn=%"PRIu32" ",
                          rec->entry.remote_qpn);
            ovl_tuple_format(&rec->entry.tuple, ds);
        }
        break;

    case DUMMY_OP_REMOVE:
    case DUMMY_OP_DUMP:
    case DUMMY_N_OPS:
        break;
    }
    if (rec->error) {
        ds_put_format(ds, " -> error: %s%s", ovs_strerror(rec->error),
                      rec->injected ? " (injected)" : "");
    }
    ds_put_char(ds, '\n');
}

/* Appends the op log of 'nic' to 'ds', one numbered line per op since the
 * last clear that the log still holds, with tuples if 'verbose'. */
void
rdma_nic_dummy_format_log(const struct rdma_nic *nic, bool verbose,
                          struct ds *ds)
{
    const struct dummy_nic *dummy = dummy_nic_cast(nic);
    const struct dummy_log_rec *rec;

    LIST_FOR_EACH (rec, list_node, &dummy->log) {
        dummy_format_log_rec(rec, verbose, ds);
    }
}

/* Clears the op log of 'nic' and restarts its numbering at 1. */
void
rdma_nic_dummy_clear_log(struct rdma_nic *nic)
{
    struct dummy_nic *dummy = dummy_nic_cast(nic);
    struct dummy_log_rec *rec;

    LIST_FOR_EACH_POP (rec, list_node, &dummy->log) {
        free(rec);
    }
    dummy->n_log = 0;
    dummy->log_seq = 0;
}

/* If a source is bound for 'cm_id' on 'nic', stores it in '*source' and
 * returns true, otherwise returns false. */
bool
rdma_nic_dummy_get_source(const struct rdma_nic *nic, uint64_t cm_id,
                          struct rdma_nic_source *source)
{
    const struct dummy_source *s = dummy_find_source(dummy_nic_cast(nic),
                                                     cm_id);

    if (s) {
        *source = s->source;
    }
    return s != NULL;
}

/* "rdma-dummy/fail COUNT ERRNO [OP]" with 'argc' and 'argv' excluding the
 * command name.  Returns NULL or a malloc'd error message. */
static char *
dummy_command_fail(struct rdma_nic *nic, int argc, const char *argv[],
                   struct ds *reply)
{
    static const char usage[] = "(usage: rdma-dummy/fail COUNT ERRNO "
                                "[bind-source|install|modify|remove|dump])";
    unsigned int count;
    int error;

    if (argc < 2 || argc > 3) {
        return xasprintf("expected 2 or 3 arguments %s", usage);
    }
    if (!str_to_uint(argv[0], 10, &count)) {
        return xasprintf("COUNT: \"%s\" is not a number %s", argv[0], usage);
    }
    error = rdma_errno_from_string(argv[1]);
    if (!error) {
        return xasprintf("ERRNO: \"%s\" is not an errno name (such as EIO, "
                         "ENOSPC, EBUSY) or number %s", argv[1], usage);
    }
    if (argc > 2 && dummy_op_from_string(argv[2]) < 0) {
        return xasprintf("OP: unknown op \"%s\" %s", argv[2], usage);
    }
    rdma_nic_dummy_fail(nic, count, error, argc > 2 ? argv[2] : NULL);
    if (!count) {
        ds_put_cstr(reply, "injected failures cancelled\n");
    } else {
        const char *name = rdma_errno_to_string(error);

        ds_put_format(reply, "next %u %s%s will fail with ", count,
                      argc > 2 ? argv[2] : "op",
                      count == 1 ? "" : "s");
        if (name) {
            ds_put_format(reply, "%s (%s)\n", name, ovs_strerror(error));
        } else {
            ds_put_format(reply, "%s\n", ovs_strerror(error));
        }
    }
    return NULL;
}

/* Executes the dummy unixctl command 'argv[0]' (e.g. "rdma-dummy/show")
 * with arguments 'argv[1]' to 'argv[argc - 1]' on 'nic', which may be NULL
 * if no dummy NIC is open.  Appends the command's output to 'reply' and
 * returns NULL on success, otherwise returns a malloc'd error message. */
char *
rdma_nic_dummy_command(struct rdma_nic *nic, int argc, const char *argv[],
                       struct ds *reply)
{
    const char *cmd = argv[0];

    if (!nic) {
        return xstrdup("no dummy NIC is open (the daemon must use the "
                       "\"dummy\" NIC provider)");
    }

    if (!strcmp(cmd, "rdma-dummy/show")) {
        if (argc > 1) {
            return xstrdup("rdma-dummy/show takes no arguments");
        }
        rdma_nic_dummy_format_table(nic, reply);
    } else if (!strcmp(cmd, "rdma-dummy/stats")) {
        if (argc > 1) {
            return xstrdup("rdma-dummy/stats takes no arguments");
        }
        dummy_format_stats(nic, reply);
    } else if (!strcmp(cmd, "rdma-dummy/op-log")) {
        bool verbose;

        if (argc > 2 || (argc == 2 && strcmp(argv[1], "--verbose"))) {
            return xasprintf("unknown argument \"%s\" (usage: "
                             "rdma-dummy/op-log [--verbose])",
                             argv[argc - 1]);
        }
        verbose = argc == 2;
        rdma_nic_dummy_format_log(nic, verbose, reply);
    } else if (!strcmp(cmd, "rdma-dummy/op-log-clear")) {
        if (argc > 1) {
            return xstrdup("rdma-dummy/op-log-clear takes no arguments");
        }
        rdma_nic_dummy_clear_log(nic);
    } else if (!strcmp(cmd, "rdma-dummy/fail")) {
        return dummy_command_fail(nic, argc - 1, argv + 1, reply);
    } else if (!strcmp(cmd, "rdma-dummy/set-capacity")) {
        unsigned int capacity;

        if (argc != 2) {
            return xstrdup("expected 1 argument (usage: "
                           "rdma-dummy/set-capacity N, 0 = unlimited)");
        }
        if (!str_to_uint(argv[1], 10, &capacity)) {
            return xasprintf("N: \"%s\" is not a number (usage: "
                             "rdma-dummy/set-capacity N, 0 = unlimited)",
                             argv[1]);
        }
        rdma_nic_dummy_set_capacity(nic, capacity);
    } else {
        return xasprintf("unknown command \"%s\"", cmd);
    }
    return NULL;
}

/* The unixctl callback for every "rdma-dummy/" command. */
static void
dummy_unixctl(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux OVS_UNUSED)
{
    struct ds reply = DS_EMPTY_INITIALIZER;
    char *error;

    error = rdma_nic_dummy_command(rdma_nic_dummy_get_current(), argc, argv,
                                   &reply);
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, ds_cstr(&reply));
    }
    ds_destroy(&reply);
}

/* Registers the "rdma-dummy/" unixctl commands, the first time it is
 * called. */
static void
dummy_unixctl_register(void)
{
    static bool registered;

    if (registered) {
        return;
    }
    registered = true;
    unixctl_command_register("rdma-dummy/show", "", 0, 0,
                             dummy_unixctl, NULL);
    unixctl_command_register("rdma-dummy/stats", "", 0, 0,
                             dummy_unixctl, NULL);
    unixctl_command_register("rdma-dummy/op-log", "[--verbose]", 0, 1,
                             dummy_unixctl, NULL);
    unixctl_command_register("rdma-dummy/op-log-clear", "", 0, 0,
                             dummy_unixctl, NULL);
    unixctl_command_register("rdma-dummy/fail", "COUNT ERRNO [OP]", 2, 3,
                             dummy_unixctl, NULL);
    unixctl_command_register("rdma-dummy/set-capacity", "N", 1, 1,
                             dummy_unixctl, NULL);
}
