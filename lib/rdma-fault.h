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

#ifndef RDMA_FAULT_H
#define RDMA_FAULT_H 1

/* Named crash points, for the fault-injection tests only.
 *
 * Code that must survive a crash at a given step calls
 * rdma_fault_point("NAME") there.  Nothing happens unless the program
 * enabled fault injection (ovs-rdmad --enable-fault-injection) and a test
 * armed that point (ovs-appctl rdma/crash-at NAME [N]): then the Nth time
 * the point is reached the process kills itself with SIGKILL, exactly as
 * "kill -9" at that step would.  Only one point is armed at a time.
 *
 * A point where a system call can fail also calls rdma_fault_error("NAME")
 * before it: armed with an error instead (rdma/fail-at NAME N ERRNO), the
 * Nth time it returns that errno value once, and the caller takes it for
 * the system call's failure. */

#include <stdbool.h>

void rdma_fault_enable(void);
bool rdma_fault_enabled(void);
int rdma_fault_arm(const char *name, unsigned int n);
int rdma_fault_arm_error(const char *name, unsigned int n, int error);
void rdma_fault_point(const char *name);
int rdma_fault_error(const char *name);
const char *rdma_fault_point_names(void);

#endif /* rdma-fault.h */
