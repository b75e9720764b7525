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

/* The "dummy" NIC provider: an in-memory flow table with fault injection,
 * for the tests and the sandbox.
 *
 * Options (--provider=dummy:key=value,...):
 *
 *   capacity=N          table size (default 0: unlimited); install fails
 *                       with ENOSPC when full
 *   vxlan, geneve, ipv6, vlan=true|false
 *                       capabilities to report (default all true)
 *   log=N               operations kept in the op log (default 10000, 0
 *                       disables it)
 *
 * Commands, on the most recently opened dummy NIC:
 *
 *   rdma-dummy/show                 the table
 *   rdma-dummy/op-log [--verbose]   operations since the last clear
 *   rdma-dummy/op-log-clear         clears the op log
 *   rdma-dummy/fail COUNT ERRNO [OP]
 *                                   makes the next COUNT operations (only
 *                                   OP: bind-source, install, modify or
 *                                   remove, if given) fail with ERRNO
 *   rdma-dummy/set-capacity N       changes the table size */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "packets.h"
#include "rdma-addr.h"
#include "rdma-nic-provider.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

/* An installed entry. */
struct dummy_entry {
    struct hmap_node node;      /* In dummy_nic's 'entries', by cm_id. */
    struct rdma_nic_entry e;    /* The entry. */
};

/* A bound source. */
struct dummy_source {
    struct hmap_node node;      /* In dummy_nic's 'sources', by cm_id. */
    uint64_t cm_id;             /* Connection. */
    struct rdma_nic_source src; /* The source side. */
};

/* A dummy NIC. */
struct dummy_nic {
    struct rdma_nic up;         /* Base; must be first. */
    struct hmap entries;        /* "struct dummy_entry"s. */
    struct hmap sources;        /* "struct dummy_source"s. */
    struct rdma_nic_caps caps;  /* Reported capabilities. */

    /* Op log: the last 'log_max' operations, oldest first, in a ring. */
    char **log;                 /* 'log_max' slots. */
    size_t log_max;             /* Capacity of 'log'. */
    size_t log_start;           /* Index of the oldest line. */
    size_t log_n;               /* Lines in the ring. */
    uint64_t log_seq;           /* Number of the last line logged. */
    uint64_t log_dropped;       /* Lines dropped for lack of room. */

    /* Fault injection. */
    unsigned int fail_count;    /* Operations still to fail. */
    int fail_errno;             /* With this errno. */
    char *fail_op;              /* Only this operation, or NULL for any. */
};

/* The most recently opened dummy NIC, which the commands act on. */
static struct dummy_nic *current;

/* Returns the dummy NIC that 'nic' is. */
static struct dummy_nic *
dummy_nic_cast(const struct rdma_nic *nic)
{
    return CONTAINER_OF(nic, struct dummy_nic, up);
}

/* Appends a line to 'dn''s op log: 'text' (which it takes), and ' -> error:
 * ...' if 'error'. */
static void
dummy_log(struct dummy_nic *dn, char *text, int error, bool injected)
{
    char *line;

    if (!dn->log_max) {
        free(text);
        return;
    }
    dn->log_seq++;
    line = (error
            ? xasprintf("%"PRIu64" %s -> error: %s%s", dn->log_seq, text,
                        ovs_strerror(error), injected ? " (injected)" : "")
            : xasprintf("%"PRIu64" %s", dn->log_seq, text));
    free(text);
    if (dn->log_n == dn->log_max) {
        free(dn->log[dn->log_start]);
        dn->log[dn->log_start] = line;
        dn->log_start = (dn->log_start + 1) % dn->log_max;
        dn->log_dropped++;
    } else {
        dn->log[(dn->log_start + dn->log_n++) % dn->log_max] = line;
    }
}

/* Returns the injected errno for operation 'op', if one is due, else 0. */
static int
dummy_injected(struct dummy_nic *dn, const char *op)
{
    if (dn->fail_count && (!dn->fail_op || !strcmp(dn->fail_op, op))) {
        dn->fail_count--;
        return dn->fail_errno;
    }
    return 0;
}

/* Parses boolean option 'key' of 'args' into '*value'.  Returns NULL or an
 * error message. */
static char *
parse_bool_option(const struct smap *args, const char *key, bool *value)
{
    const char *s = smap_get(args, key);

    if (!s) {
        return NULL;
    } else if (!strcmp(s, "true")) {
        *value = true;
    } else if (!strcmp(s, "false")) {
        *value = false;
    } else {
        return xasprintf("dummy: %s: \"%s\" is not true or false", key, s);
    }
    return NULL;
}

/* Parses non-negative integer option 'key' of 'args' into '*value'. */
static char *
parse_uint_option(const struct smap *args, const char *key, size_t *value)
{
    const char *s = smap_get(args, key);
    char *end;

    if (!s) {
        return NULL;
    }
    errno = 0;
    *value = strtoull(s, &end, 10);
    if (errno || *end || !*s || *s == '-' || *value > UINT32_MAX) {
        return xasprintf("dummy: %s: \"%s\" is not a number", key, s);
    }
    return NULL;
}

/* rdma_nic_class 'open'. */
static char *
dummy_open(const struct smap *args, struct rdma_nic **nicp)
{
    static const char *const known[] = {
        "capacity", "vxlan", "geneve", "ipv6", "vlan", "log",
    };
    struct smap_node *node;
    struct dummy_nic *dn;
    size_t capacity = 0, log_max = 10000;
    struct rdma_nic_caps caps = {
        .vxlan = true, .geneve = true, .ipv6 = true, .vlan = true,
    };
    char *error = NULL;

    SMAP_FOR_EACH (node, args) {
        size_t i;

        for (i = 0; i < ARRAY_SIZE(known); i++) {
            if (!strcmp(node->key, known[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(known)) {
            return xasprintf("dummy: unknown option \"%s\" (options: "
                             "capacity, vxlan, geneve, ipv6, vlan, log)",
                             node->key);
        }
    }
    if ((error = parse_uint_option(args, "capacity", &capacity))
        || (error = parse_uint_option(args, "log", &log_max))
        || (error = parse_bool_option(args, "vxlan", &caps.vxlan))
        || (error = parse_bool_option(args, "geneve", &caps.geneve))
        || (error = parse_bool_option(args, "ipv6", &caps.ipv6))
        || (error = parse_bool_option(args, "vlan", &caps.vlan))) {
        return error;
    }
    caps.max_entries = capacity;

    dn = xzalloc(sizeof *dn);
    hmap_init(&dn->entries);
    hmap_init(&dn->sources);
    dn->caps = caps;
    dn->log_max = log_max;
    dn->log = xcalloc(MAX(log_max, 1), sizeof *dn->log);
    current = dn;
    *nicp = &dn->up;
    return NULL;
}

/* Empties 'dn''s op log. */
static void
dummy_log_clear(struct dummy_nic *dn)
{
    size_t i;

    for (i = 0; i < dn->log_n; i++) {
        free(dn->log[(dn->log_start + i) % dn->log_max]);
    }
    dn->log_start = dn->log_n = 0;
    dn->log_seq = dn->log_dropped = 0;
}

/* rdma_nic_class 'close'. */
static void
dummy_close(struct rdma_nic *nic)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    struct dummy_entry *de;
    struct dummy_source *ds;

    HMAP_FOR_EACH_POP (de, node, &dn->entries) {
        free(de);
    }
    HMAP_FOR_EACH_POP (ds, node, &dn->sources) {
        free(ds);
    }
    hmap_destroy(&dn->entries);
    hmap_destroy(&dn->sources);
    dummy_log_clear(dn);
    free(dn->log);
    free(dn->fail_op);
    if (current == dn) {
        current = NULL;
    }
    free(dn);
}

/* rdma_nic_class 'get_caps'. */
static int
dummy_get_caps(const struct rdma_nic *nic, struct rdma_nic_caps *caps)
{
    *caps = dummy_nic_cast(nic)->caps;
    return 0;
}

/* Returns 'dn''s entry for 'cm_id', or NULL. */
static struct dummy_entry *
find_entry(const struct dummy_nic *dn, uint64_t cm_id)
{
    struct dummy_entry *de;

    HMAP_FOR_EACH_WITH_HASH (de, node, hash_uint64(cm_id), &dn->entries) {
        if (de->e.cm_id == cm_id) {
            return de;
        }
    }
    return NULL;
}

/* Returns 'dn''s bound source for 'cm_id', or NULL. */
static struct dummy_source *
find_source(const struct dummy_nic *dn, uint64_t cm_id)
{
    struct dummy_source *ds;

    HMAP_FOR_EACH_WITH_HASH (ds, node, hash_uint64(cm_id), &dn->sources) {
        if (ds->cm_id == cm_id) {
            return ds;
        }
    }
    return NULL;
}

/* rdma_nic_class 'bind_source'. */
static int
dummy_bind_source(struct rdma_nic *nic, uint64_t cm_id,
                  const struct rdma_nic_source *src)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    char local[INET6_ADDRSTRLEN], inner[INET6_ADDRSTRLEN];
    int error = dummy_injected(dn, "bind-source");
    bool injected = error != 0;

    if (!error) {
        struct dummy_source *ds = find_source(dn, cm_id);

        if (!ds) {
            ds = xzalloc(sizeof *ds);
            ds->cm_id = cm_id;
            hmap_insert(&dn->sources, &ds->node, hash_uint64(cm_id));
        }
        ds->src = *src;
    }
    if (!dn->log_max) {
        return error;
    }
    dummy_log(dn, xasprintf("bind-source cm_id=%"PRIu64" local_ip=%s "
                            "local_mac="ETH_ADDR_FMT" vlan=%"PRIu16" "
                            "underlay_mtu=%"PRIu16" inner_src_ip=%s", cm_id,
                            rdma_ip_to_string(&src->local_ip, local),
                            ETH_ADDR_ARGS(src->local_mac), src->vlan,
                            src->underlay_mtu,
                            rdma_ip_to_string(&src->inner_src_ip, inner)),
              error, injected);
    return error;
}

/* Logs install or modify 'op' of 'entry' with result 'error'. */
static void
log_entry_op(struct dummy_nic *dn, const char *op,
             const struct rdma_nic_entry *entry, int error, bool injected)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (!dn->log_max) {
        return;
    }
    ds_put_format(&ds, "%s cm_id=%"PRIu64" qpn=%"PRIu32" gen=%"PRIu64" | ",
                  op, entry->cm_id, entry->qpn, entry->generation);
    ovl_tuple_format(&entry->tuple, &ds);
    dummy_log(dn, ds_steal_cstr(&ds), error, injected);
}

/* rdma_nic_class 'install'. */
static int
dummy_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    int error = dummy_injected(dn, "install");
    bool injected = error != 0;

    if (!error) {
        if (find_entry(dn, entry->cm_id)) {
            error = EEXIST;
        } else if (dn->caps.max_entries
                   && hmap_count(&dn->entries) >= dn->caps.max_entries) {
            error = ENOSPC;
        } else {
            struct dummy_entry *de = xmalloc(sizeof *de);

            de->e = *entry;
            hmap_insert(&dn->entries, &de->node, hash_uint64(entry->cm_id));
        }
    }
    log_entry_op(dn, "install", entry, error, injected);
    return error;
}

/* rdma_nic_class 'modify'. */
static int
dummy_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    int error = dummy_injected(dn, "modify");
    bool injected = error != 0;

    if (!error) {
        struct dummy_entry *de = find_entry(dn, entry->cm_id);

        if (!de) {
            error = ENOENT;
        } else {
            de->e = *entry;
        }
    }
    log_entry_op(dn, "modify", entry, error, injected);
    return error;
}

/* rdma_nic_class 'remove'. */
static int
dummy_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    int error = dummy_injected(dn, "remove");
    bool injected = error != 0;

    if (!error) {
        struct dummy_entry *de = find_entry(dn, cm_id);
        struct dummy_source *ds = find_source(dn, cm_id);

        if (ds) {
            hmap_remove(&dn->sources, &ds->node);
            free(ds);
        }
        if (de) {
            hmap_remove(&dn->entries, &de->node);
            free(de);
        } else {
            error = ENOENT;
        }
    }
    if (dn->log_max) {
        dummy_log(dn, xasprintf("remove cm_id=%"PRIu64, cm_id), error,
                  injected);
    }
    return error;
}

/* Compares entries by cm_id, for qsort(). */
static int
compare_entries(const void *a_, const void *b_)
{
    const struct rdma_nic_entry *a = a_, *b = b_;

    return a->cm_id < b->cm_id ? -1 : a->cm_id > b->cm_id;
}

/* rdma_nic_class 'dump': the entries in cm_id order. */
static int
dummy_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
           size_t *n_entriesp)
{
    struct dummy_nic *dn = dummy_nic_cast(nic);
    const struct dummy_entry *de;
    size_t n = 0;

    *entriesp = xmalloc(MAX(hmap_count(&dn->entries), 1) * sizeof **entriesp);
    HMAP_FOR_EACH (de, node, &dn->entries) {
        (*entriesp)[n++] = de->e;
    }
    qsort(*entriesp, n, sizeof **entriesp, compare_entries);
    *n_entriesp = n;
    return 0;
}

const struct rdma_nic_class rdma_nic_dummy_class = {
    .type = "dummy",
    .options = "capacity, vxlan, geneve, ipv6, vlan, log",
    .open = dummy_open,
    .close = dummy_close,
    .get_caps = dummy_get_caps,
    .bind_source = dummy_bind_source,
    .install = dummy_install,
    .modify = dummy_modify,
    .remove = dummy_remove,
    .dump = dummy_dump,
};

/* Replies to 'conn' that no dummy NIC is open; returns true if so. */
static bool
no_dummy(struct unixctl_conn *conn)
{
    if (!current) {
        unixctl_command_reply_error(conn, "no dummy NIC is open (start "
                                    "ovs-rdmad with --provider=dummy)");
        return true;
    }
    return false;
}

/* "rdma-dummy/show". */
static void
dummy_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct rdma_nic_entry *entries;
    size_t i, n;

    if (no_dummy(conn)) {
        return;
    }
    dummy_dump(&current->up, &entries, &n);
    for (i = 0; i < n; i++) {
        ds_put_format(&ds, "cm_id=%"PRIu64" qpn=%"PRIu32" remote_qpn=%"PRIu32
                      " gen=%"PRIu64" ", entries[i].cm_id, entries[i].qpn,
                      entries[i].remote_qpn, entries[i].generation);
        ovl_tuple_format(&entries[i].tuple, &ds);
        ds_put_char(&ds, '\n');
    }
    ds_put_format(&ds, "%"PRIuSIZE" entr%s, capacity ", n,
                  n == 1 ? "y" : "ies");
    if (current->caps.max_entries) {
        ds_put_format(&ds, "%"PRIu32"\n", current->caps.max_entries);
    } else {
        ds_put_cstr(&ds, "unlimited\n");
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
    free(entries);
}

/* "rdma-dummy/op-log [--verbose]": without --verbose, the tuples of install
 * and modify lines are left out. */
static void
dummy_unixctl_op_log(struct unixctl_conn *conn, int argc,
                     const char *argv[], void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    bool verbose = false;
    size_t i;

    if (argc > 1) {
        if (strcmp(argv[1], "--verbose")) {
            unixctl_command_reply_error(conn, "usage: rdma-dummy/op-log "
                                        "[--verbose]");
            return;
        }
        verbose = true;
    }
    if (no_dummy(conn)) {
        return;
    }
    if (current->log_dropped) {
        ds_put_format(&ds, "(%"PRIu64" older lines dropped)\n",
                      current->log_dropped);
    }
    for (i = 0; i < current->log_n; i++) {
        const char *line = current->log[(current->log_start + i)
                                        % current->log_max];
        const char *bar = verbose ? NULL : strstr(line, " | ");

        if (bar) {
            const char *err = strstr(bar, " -> error: ");

            ds_put_buffer(&ds, line, bar - line);
            if (err) {
                ds_put_cstr(&ds, err);
            }
        } else {
            ds_put_cstr(&ds, line);
        }
        ds_put_char(&ds, '\n');
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* "rdma-dummy/op-log-clear". */
static void
dummy_unixctl_op_log_clear(struct unixctl_conn *conn, int argc OVS_UNUSED,
                           const char *argv[] OVS_UNUSED,
                           void *aux OVS_UNUSED)
{
    if (!no_dummy(conn)) {
        dummy_log_clear(current);
        unixctl_command_reply(conn, NULL);
    }
}

/* Parses an errno given as a name ("ENOSPC") or a positive number. */
static int
parse_errno(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {
        { "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO },
        { "ENOMEM", ENOMEM }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
        { "ENODEV", ENODEV }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
        { "EAGAIN", EAGAIN }, { "ETIMEDOUT", ETIMEDOUT },
        { "EOPNOTSUPP", EOPNOTSUPP }, { "ENOBUFS", ENOBUFS },
    };
    size_t i;
    int n;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i].name)) {
            return names[i].value;
        }
    }
    return str_to_int(s, 10, &n) && n > 0 && n < 4096 ? n : 0;
}

/* "rdma-dummy/fail COUNT ERRNO [OP]". */
static void
dummy_unixctl_fail(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux OVS_UNUSED)
{
    static const char *const ops[] = {
        "bind-source", "install", "modify", "remove",
    };
    int count, error;

    if (!str_to_int(argv[1], 10, &count) || count < 0) {
        unixctl_command_reply_error(conn, "COUNT must be a non-negative "
                                    "integer");
        return;
    }
    error = parse_errno(argv[2]);
    if (!error) {
        unixctl_command_reply_error(conn, "ERRNO must be an errno name "
                                    "such as ENOSPC or EIO, or a positive "
                                    "number");
        return;
    }
    if (argc > 3) {
        size_t i;

        for (i = 0; i < ARRAY_SIZE(ops); i++) {
            if (!strcmp(argv[3], ops[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(ops)) {
            unixctl_command_reply_error(conn, "OP must be bind-source, "
                                        "install, modify or remove");
            return;
        }
    }
    if (no_dummy(conn)) {
        return;
    }
    current->fail_count = count;
    current->fail_errno = error;
    free(current->fail_op);
    current->fail_op = argc > 3 ? xstrdup(argv[3]) : NULL;
    unixctl_command_reply(conn, NULL);
}

/* "rdma-dummy/set-capacity N". */
static void
dummy_unixctl_set_capacity(struct unixctl_conn *conn, int argc OVS_UNUSED,
                           const char *argv[], void *aux OVS_UNUSED)
{
    int n;

    if (!str_to_int(argv[1], 10, &n) || n < 0) {
        unixctl_command_reply_error(conn, "N must be a non-negative "
                                    "integer (0: unlimited)");
        return;
    }
    if (!no_dummy(conn)) {
        current->caps.max_entries = n;
        unixctl_command_reply(conn, NULL);
    }
}

/* Registers the rdma-dummy/... commands. */
void
rdma_nic_dummy_register_commands(void)
{
    unixctl_command_register("rdma-dummy/show", "", 0, 0,
                             dummy_unixctl_show, NULL);
    unixctl_command_register("rdma-dummy/op-log", "[--verbose]", 0, 1,
                             dummy_unixctl_op_log, NULL);
    unixctl_command_register("rdma-dummy/op-log-clear", "", 0, 0,
                             dummy_unixctl_op_log_clear, NULL);
    unixctl_command_register("rdma-dummy/fail", "COUNT ERRNO [OP]", 2, 3,
                             dummy_unixctl_fail, NULL);
    unixctl_command_register("rdma-dummy/set-capacity", "N", 1, 1,
                             dummy_unixctl_set_capacity, NULL);
}
