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
#include "rdma-appctl.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "rdma-qp-map.h"
#include "unixctl.h"
#include "util.h"

/* "rdma/show-qp-map [--json] [VPORT]": prints the QP map, or only VPORT's
 * bindings, as text or as JSON. */
static void
rdma_appctl_show_qp_map(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *map_)
{
    const struct rdma_qp_map *map = map_;
    const char *vport = NULL;
    bool json = false;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (argv[i][0] == '-') {
            struct ds err = DS_EMPTY_INITIALIZER;

            ds_put_format(&err, "unknown option \"%s\" (usage: "
                          "rdma/show-qp-map [--json] [VPORT])", argv[i]);
            unixctl_command_reply_error(conn, ds_cstr(&err));
            ds_destroy(&err);
            return;
        } else if (!vport) {
            vport = argv[i];
        } else {
            unixctl_command_reply_error(conn, "at most one VPORT may be "
                                        "given (usage: rdma/show-qp-map "
                                        "[--json] [VPORT])");
            return;
        }
    }

    if (json) {
        struct json *j = rdma_qp_map_to_json(map, vport);
        char *s = json_to_string(j, JSSF_PRETTY | JSSF_SORT);

        unixctl_command_reply(conn, s);
        free(s);
        json_destroy(j);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;

        rdma_qp_map_format(map, vport, &ds);
        unixctl_command_reply(conn, ds_cstr(&ds));
        ds_destroy(&ds);
    }
}

/* Registers the admin commands, which operate on 'map'. */
void
rdma_appctl_init(struct rdma_qp_map *map)
{
    unixctl_command_register("rdma/show-qp-map", "[--json] [VPORT]", 0, 2,
                             rdma_appctl_show_qp_map, map);
}
