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
#include "rdma-nic-dummy-table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* First bytes of the file. */
static const char magic[8] = "rdmadt1";

/* Writes the 'n' entries in 'entries' to 'file_name', atomically.
 * Returns 0 or a positive errno. */
int
rdma_nic_dummy_table_save(const char *file_name,
                          const struct rdma_nic_entry *entries, size_t n)
{
    char *tmp = xasprintf("%s.tmp", file_name);
    FILE *f = fopen(tmp, "wb");
    int error = 0;

    if (!f) {
        error = errno;
    } else {
        uint64_t n64 = n;

        if (fwrite(magic, sizeof magic, 1, f) != 1
            || fwrite(&n64, sizeof n64, 1, f) != 1
            || (n && fwrite(entries, sizeof *entries, n, f) != n)) {
            error = errno ? errno : EIO;
        }
        if (fclose(f) && !error) {
            error = errno;
        }
        if (!error && rename(tmp, file_name)) {
            error = errno;
        }
    }
    free(tmp);
    return error;
}

/* Reads the entries saved in 'file_name' into a malloc'd '*entriesp' and
 * their number into '*np'.  A missing file holds none.  Returns 0 or a
 * positive errno (EINVAL for a file that is not such a table). */
int
rdma_nic_dummy_table_load(const char *file_name,
                          struct rdma_nic_entry **entriesp, size_t *np)
{
    FILE *f = fopen(file_name, "rb");
    char buf[sizeof magic];
    uint64_t n64;
    int error = 0;

    *entriesp = NULL;
    *np = 0;
    if (!f) {
        return errno == ENOENT ? 0 : errno;
    }
    if (fread(buf, sizeof buf, 1, f) != 1 || memcmp(buf, magic, sizeof buf)
        || fread(&n64, sizeof n64, 1, f) != 1 || n64 > 100000000) {
        error = EINVAL;
    } else if (n64) {
        *entriesp = xmalloc(n64 * sizeof **entriesp);
        if (fread(*entriesp, sizeof **entriesp, n64, f) != n64) {
            free(*entriesp);
            *entriesp = NULL;
            error = EINVAL;
        } else {
            *np = n64;
        }
    }
    fclose(f);
    return error;
}
