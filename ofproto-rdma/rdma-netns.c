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

#include "rdma-netns.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

/* Enters the network namespace of process 'pid', storing in '*selfp' a
 * descriptor of the caller's own, for rdma_netns_leave().  'pid' 0 stays
 * in the caller's namespace ('*selfp' is then -1).  Returns 0 or a positive
 * errno value (then the caller's namespace is unchanged and '*selfp' is
 * -1). */
int
rdma_netns_enter(uint32_t pid, int *selfp)
{
    int self, target, error = 0;
    char path[64];

    *selfp = -1;
    if (!pid) {
        return 0;
    }
    snprintf(path, sizeof path, "/proc/%"PRIu32"/ns/net", pid);
    self = open(RDMA_NETNS_SELF, O_RDONLY | O_CLOEXEC);
    target = open(path, O_RDONLY | O_CLOEXEC);
    if (self < 0 || target < 0 || setns(target, CLONE_NEWNET)) {
        error = errno ? errno : EINVAL;
    }
    if (target >= 0) {
        close(target);
    }
    if (error) {
        if (self >= 0) {
            close(self);
        }
        return error;
    }
    *selfp = self;
    return 0;
}

/* Returns to the namespace that rdma_netns_enter() stored in 'self' (-1:
 * it did not leave it) and closes 'self'.  Not being able to return is
 * fatal: everything after would run in the tenant's namespace. */
void
rdma_netns_leave(int self)
{
    if (self >= 0) {
        if (setns(self, CLONE_NEWNET)) {
            ovs_fatal(errno, "cannot return to ovs-rdmad's network "
                      "namespace");
        }
        close(self);
    }
}
