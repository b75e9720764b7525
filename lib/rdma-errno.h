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

#ifndef RDMA_ERRNO_H
#define RDMA_ERRNO_H 1

/* Symbolic errno names ("EIO", "ENOSPC", ...), for commands that take an
 * errno from the operator (rdma-dummy/fail) and for their replies. */

int rdma_errno_from_string(const char *);
const char *rdma_errno_to_string(int error);

#endif /* rdma-errno.h */
