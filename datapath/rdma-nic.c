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
#include "rdma-nic-provider.h"

#include <errno.h>
#include <string.h>

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "rdma-addr.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_nic);

COVERAGE_DEFINE(rdma_nic_bind_source);
COVERAGE_DEFINE(rdma_nic_install);
COVERAGE_DEFINE(rdma_nic_modify);
COVERAGE_DEFINE(rdma_nic_remove);
COVERAGE_DEFINE(rdma_nic_error);

/* Registered providers. */
static const struct rdma_nic_class *classes[16];
static size_t n_classes;

/* Registers the built-in providers, once. */
static void
rdma_nic_initialize(void)
{
    static bool inited;

    if (!inited) {
        inited = true;
        rdma_nic_register_provider(&rdma_nic_dummy_class);
        rdma_nic_dummy_register_commands();
    }
}

/* Makes 'class' available to rdma_nic_open().  Registering a type twice is
 * a programming error. */
void
rdma_nic_register_provider(const struct rdma_nic_class *class)
{
    size_t i;

    for (i = 0; i < n_classes; i++) {
        ovs_assert(strcmp(classes[i]->type, class->type));
    }
    ovs_assert(n_classes < ARRAY_SIZE(classes));
    classes[n_classes++] = class;
}

/* Appends the registered provider types to 'ds', comma-separated. */
void
rdma_nic_format_providers(struct ds *ds)
{
    size_t i;

    rdma_nic_initialize();
    for (i = 0; i < n_classes; i++) {
        ds_put_format(ds, "%s%s", i ? ", " : "", classes[i]->type);
    }
}

/* Opens the NIC that 'spec' ("TYPE[:key=value,...]") describes.  Returns
 * NULL and the NIC in '*nicp', or a malloc'd error message. */
char *
rdma_nic_open(const char *spec, struct rdma_nic **nicp)
{
    const struct rdma_nic_class *class = NULL;
    struct smap args = SMAP_INITIALIZER(&args);
    char *type = xstrdup(spec);
    char *opts = strchr(type, ':');
    char *error = NULL;
    size_t i;

    rdma_nic_initialize();
    *nicp = NULL;
    if (opts) {
        char *save_ptr = NULL;
        char *token;

        *opts++ = '\0';
        for (token = strtok_r(opts, ",", &save_ptr); token;
             token = strtok_r(NULL, ",", &save_ptr)) {
            char *eq = strchr(token, '=');

            if (!eq || eq == token) {
                error = xasprintf("%s: option \"%s\" is not key=value",
                                  type, token);
                goto out;
            }
            *eq = '\0';
            if (!smap_add_once(&args, token, eq + 1)) {
                error = xasprintf("%s: option \"%s\" given twice", type,
                                  token);
                goto out;
            }
        }
    }
    for (i = 0; i < n_classes; i++) {
        if (!strcmp(classes[i]->type, type)) {
            class = classes[i];
        }
    }
    if (!class) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_nic_format_providers(&ds);
        error = xasprintf("unknown NIC provider \"%s\" (available: %s)",
                          type, ds_cstr(&ds));
        ds_destroy(&ds);
        goto out;
    }
    error = class->open(&args, nicp);
    if (!error) {
        (*nicp)->class = class;
        VLOG_DBG("opened NIC provider %s", spec);
    }
out:
    smap_destroy(&args);
    free(type);
    return error;
}

/* Closes 'nic' (which may be NULL). */
void
rdma_nic_close(struct rdma_nic *nic)
{
    if (nic) {
        nic->class->close(nic);
    }
}

/* Returns the type of 'nic', e.g. "dummy". */
const char *
rdma_nic_get_type(const struct rdma_nic *nic)
{
    return nic->class->type;
}

/* Counts and logs a failed operation. */
static int
op_result(const char *op, uint64_t cm_id, int error)
{
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

        COVERAGE_INC(rdma_nic_error);
        VLOG_DBG_RL(&rl, "%s cm_id=%"PRIu64" failed: %s", op, cm_id,
                    ovs_strerror(error));
    }
    return error;
}

/* Stores what 'nic' can offload in '*caps'. */
int
rdma_nic_get_caps(const struct rdma_nic *nic, struct rdma_nic_caps *caps)
{
    memset(caps, 0, sizeof *caps);
    return nic->class->get_caps(nic, caps);
}

/* Binds the source side of connection 'cm_id'. */
int
rdma_nic_bind_source(struct rdma_nic *nic, uint64_t cm_id,
                     const struct rdma_nic_source *src)
{
    COVERAGE_INC(rdma_nic_bind_source);
    if (VLOG_IS_DBG_ENABLED()) {
        char ip[INET6_ADDRSTRLEN];

        VLOG_DBG("bind-source cm_id=%"PRIu64" local_ip=%s", cm_id,
                 rdma_ip_to_string(&src->local_ip, ip));
    }
    return op_result("bind-source", cm_id,
                     (nic->class->bind_source
                      ? nic->class->bind_source(nic, cm_id, src)
                      : EOPNOTSUPP));
}

/* Installs 'entry'. */
int
rdma_nic_install(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    COVERAGE_INC(rdma_nic_install);
    VLOG_DBG("install cm_id=%"PRIu64" qpn=%"PRIu32" gen=%"PRIu64,
             entry->cm_id, entry->qpn, entry->generation);
    return op_result("install", entry->cm_id,
                     nic->class->install(nic, entry));
}

/* Replaces the entry with entry->cm_id by 'entry'. */
int
rdma_nic_modify(struct rdma_nic *nic, const struct rdma_nic_entry *entry)
{
    COVERAGE_INC(rdma_nic_modify);
    VLOG_DBG("modify cm_id=%"PRIu64" qpn=%"PRIu32" gen=%"PRIu64,
             entry->cm_id, entry->qpn, entry->generation);
    return op_result("modify", entry->cm_id,
                     (nic->class->modify
                      ? nic->class->modify(nic, entry)
                      : EOPNOTSUPP));
}

/* Removes the entry of 'cm_id'. */
int
rdma_nic_remove(struct rdma_nic *nic, uint64_t cm_id)
{
    COVERAGE_INC(rdma_nic_remove);
    VLOG_DBG("remove cm_id=%"PRIu64, cm_id);
    return op_result("remove", cm_id, nic->class->remove(nic, cm_id));
}

/* Stores a malloc'd copy of the NIC's entries in '*entriesp' and their
 * number in '*n_entriesp'; on error, stores NULL and 0. */
int
rdma_nic_dump(struct rdma_nic *nic, struct rdma_nic_entry **entriesp,
              size_t *n_entriesp)
{
    int error;

    *entriesp = NULL;
    *n_entriesp = 0;
    error = (nic->class->dump
             ? nic->class->dump(nic, entriesp, n_entriesp)
             : EOPNOTSUPP);
    if (error) {
        free(*entriesp);
        *entriesp = NULL;
        *n_entriesp = 0;
    }
    return error;
}

/* Lets 'nic' do background work. */
void
rdma_nic_run(struct rdma_nic *nic)
{
    if (nic->class->run) {
        nic->class->run(nic);
    }
}

/* Arranges for poll_block() to wake when 'nic' has background work. */
void
rdma_nic_wait(struct rdma_nic *nic)
{
    if (nic->class->wait) {
        nic->class->wait(nic);
    }
}
