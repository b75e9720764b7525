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
#include "rdma-errno.h"

#include <errno.h>
#include <strings.h>

#include "util.h"

/* The errno names that rdma_errno_from_string() knows. */
static const struct {
    const char *name;           /* E.g. "EIO". */
    int value;                  /* E.g. EIO. */
} errno_names[] = {
#define E(NAME) { #NAME, NAME }
    E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(EAGAIN),
    E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV),
    E(EINVAL), E(ENFILE), E(EMFILE), E(ENOSPC), E(ERANGE), E(EDEADLK),
    E(ENOSYS), E(ENODATA), E(ETIME), E(EPROTO), E(EOVERFLOW),
    E(EMSGSIZE), E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(EAFNOSUPPORT),
    E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
    E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(ETIMEDOUT),
    E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
    E(EINPROGRESS), E(ESTALE), E(ECANCELED),
#undef E
};

/* Returns the errno that 's' names, either as a symbolic name such as
 * "EIO" (case-insensitive) or as a decimal number between 1 and 4095, or 0
 * if 's' is neither. */
int
rdma_errno_from_string(const char *s)
{
    unsigned int value;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
        if (!strcasecmp(s, errno_names[i].name)) {
            return errno_names[i].value;
        }
    }
    return (str_to_uint(s, 10, &value) && value >= 1 && value <= 4095
            ? value : 0);
}

/* Returns the symbolic name of 'error', e.g. "EIO", or NULL if it has none
 * that rdma_errno_from_string() knows. */
const char *
rdma_errno_to_string(int error)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
        if (errno_names[i].value == error) {
            return errno_names[i].name;
        }
    }
    return NULL;
}
