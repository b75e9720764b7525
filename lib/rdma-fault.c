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
#include "rdma-fault.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_fault);

/* Every crash point in the program, space-separated.  Arming another name
 * is an error, so that a typo in a test cannot pass silently. */
static const char point_names[] =
    "bind-nic bind-saved unbind-nic unbind-saved update-nic update-saved "
    "refresh-nic refresh-saved nic-install nic-modify nic-remove state-sync";

/* Whether fault injection is enabled at all. */
static bool enabled;

/* The armed point, or empty. */
static char armed[32];

/* How many more times 'armed' may be reached before the crash. */
static unsigned int countdown;

/* Enables fault injection (crash points stay disarmed until armed). */
void
rdma_fault_enable(void)
{
    enabled = true;
}

/* Returns true if fault injection is enabled. */
bool
rdma_fault_enabled(void)
{
    return enabled;
}

/* Returns the names of all crash points, space-separated. */
const char *
rdma_fault_point_names(void)
{
    return point_names;
}

/* Returns true if 'name' is one of the crash points. */
static bool
is_point(const char *name)
{
    size_t len = strlen(name);
    const char *p;

    for (p = strstr(point_names, name); len && p;
         p = strstr(p + 1, name)) {
        if ((p == point_names || *(p - 1) == ' ')
            && (!p[len] || p[len] == ' ')) {
            return true;
        }
    }
    return false;
}

/* Arms crash point 'name' to fire the 'n'th time it is reached (n >= 1),
 * or disarms every point if 'name' is "none".  Returns 0, EPERM if fault
 * injection is not enabled, or EINVAL for an unknown name or n == 0. */
int
rdma_fault_arm(const char *name, unsigned int n)
{
    if (!enabled) {
        return EPERM;
    }
    if (!strcmp(name, "none")) {
        armed[0] = '\0';
        return 0;
    }
    if (!is_point(name) || !n || strlen(name) >= sizeof armed) {
        return EINVAL;
    }
    ovs_strlcpy(armed, name, sizeof armed);
    countdown = n;
    return 0;
}

/* Crash point 'name': kills the process with SIGKILL if it is armed and
 * its count is reached. */
void
rdma_fault_point(const char *name)
{
    if (enabled && armed[0] && !strcmp(name, armed) && !--countdown) {
        VLOG_WARN("crash point %s reached: killing myself with SIGKILL",
                  name);
        kill(getpid(), SIGKILL);
        OVS_NOT_REACHED();
    }
}
