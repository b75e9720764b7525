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
#include "ovs-thread.h"
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

/* 0 if 'armed' crashes; else the errno value rdma_fault_error() returns. */
static int armed_error;

/* Guards 'armed', 'countdown' and 'armed_error': points are also reached
 * in other threads (the state file's sync thread). */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;

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

/* Arms point 'name' to crash the 'n'th time it is reached (n >= 1), if
 * 'error' is 0, or to fail with 'error' then (rdma_fault_error()); or
 * disarms every point if 'name' is "none".  Returns 0, EPERM if fault
 * injection is not enabled, or EINVAL for an unknown name or n == 0. */
int
rdma_fault_arm_error(const char *name, unsigned int n, int error)
{
    if (!enabled) {
        return EPERM;
    }
    if (strcmp(name, "none")
        && (!is_point(name) || !n || strlen(name) >= sizeof armed)) {
        return EINVAL;
    }
    ovs_mutex_lock(&mutex);
    if (!strcmp(name, "none")) {
        armed[0] = '\0';
    } else {
        ovs_strlcpy(armed, name, sizeof armed);
        countdown = n;
        armed_error = error;
    }
    ovs_mutex_unlock(&mutex);
    return 0;
}

/* Arms crash point 'name' to fire the 'n'th time it is reached (n >= 1),
 * or disarms every point if 'name' is "none" (rdma_fault_arm_error()). */
int
rdma_fault_arm(const char *name, unsigned int n)
{
    return rdma_fault_arm_error(name, n, 0);
}

/* Returns true if point 'name' is armed for 'error' (0: a crash) and this
 * is the time it fires; then disarms it.  Call with 'mutex' held. */
static bool
fires(const char *name, bool error)
    OVS_REQUIRES(mutex)
{
    if (armed[0] && !strcmp(name, armed) && !armed_error == !error
        && !--countdown) {
        armed[0] = '\0';
        return true;
    }
    return false;
}

/* Error point 'name': returns 0, or the errno value it is armed with
 * (rdma_fault_arm_error()) when its count is reached, once. */
int
rdma_fault_error(const char *name)
{
    int error = 0;

    if (enabled) {
        ovs_mutex_lock(&mutex);
        if (fires(name, true)) {
            error = armed_error;
            VLOG_WARN("fault point %s reached: failing with %s", name,
                      ovs_strerror(error));
        }
        ovs_mutex_unlock(&mutex);
    }
    return error;
}

/* Crash point 'name': kills the process with SIGKILL if it is armed and
 * its count is reached. */
void
rdma_fault_point(const char *name)
{
    if (enabled) {
        ovs_mutex_lock(&mutex);
        if (fires(name, false)) {
            VLOG_WARN("crash point %s reached: killing myself with SIGKILL",
                      name);
            kill(getpid(), SIGKILL);
            OVS_NOT_REACHED();
        }
        ovs_mutex_unlock(&mutex);
    }
}
