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


#ifndef RDMA_LAST_CONFIG_H
#define RDMA_LAST_CONFIG_H 1

/* The last valid configuration of each tunnel and vport, kept across a
 * restart of ovs-rdmad.
 *
 * While ovs-rdmad runs, rdma-config-guard.h keeps in force the last valid
 * configuration of a tunnel or vport whose configuration in the database
 * becomes invalid.  A restarted daemon has no configuration of its own
 * yet, so ovs-rdmad writes, next to the state file, in "FILE.config", the
 * configuration in force (the guarded one) of every tunnel and vport
 * whenever it changes, and at the restore takes it as the "last valid"
 * one for those whose configuration in the database is invalid: the
 * connections restored through them keep their entries as they were.
 *
 * The file is one JSON object, rewritten whole by rdma-persist.c as it
 * rewrites the state file (a new file, created with O_EXCL and never
 * through a symbolic link, mode 0600, renamed over the old one):
 *
 *   {"version":1,
 *    "tunnels":[{"name":"vx1","type":"vxlan","vni":5001,"dst_port":4789,
 *                "remote_ip":"192.0.2.2","local_ip":"192.0.2.1",
 *                "peers":["10.1.0.0/16"]}],
 *    "vports":[{"name":"vm1","mac":"02:00:00:00:01:01","ips":["10.0.0.1"],
 *               "vni":5001,"max_conns":1024,"device":"rxe0"}]}
 *
 * "local_ip", "peers", "mac", "ips", "vni" and "device" appear only when
 * configured.  A file that cannot be read is ignored with a warning: then
 * an invalid configuration applies after a restart. */

#include "openvswitch/compiler.h"

struct ds;
struct rdma_mapping;

void rdma_last_config_to_json(const struct rdma_mapping *, struct ds *);
char *rdma_last_config_load(const char *file_name, struct rdma_mapping *)
    OVS_WARN_UNUSED_RESULT;

#endif /* rdma-last-config.h */
