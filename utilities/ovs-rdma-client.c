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


/* ovs-rdma-client: talks to one vport's tenant socket of ovs-rdmad, the
 * way a tenant (or its orchestration) resolves, binds, lists and unbinds
 * RDMA connections.  See rdma-tenant.h for the protocol. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rdma-version.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

/* Settings from the command line. */
struct client_options {
    const char *socket;         /* --socket, or $OVS_RDMA_SOCKET. */
    int timeout;                /* --timeout, in seconds; 0 = none. */
};

OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[], struct client_options *);
static struct json *make_params(const char *command, int argc,
                                char *argv[]);

/* Entry point: builds the request from the command line, sends it, and
 * prints the result as JSON (exit 0) or the server's error (exit 1). */
int
main(int argc, char *argv[])
{
    struct client_options opts = { .socket = NULL, .timeout = 10 };
    struct jsonrpc_msg *request, *reply;
    struct json *params;
    struct stream *stream;
    struct jsonrpc *rpc;
    const char *method;
    char *name;
    int error;

    ovs_set_program_name(argv[0], OVS_RDMA_VERSION);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    parse_options(argc, argv, &opts);
    argc -= optind;
    argv += optind;
    if (!argc) {
        ovs_fatal(0, "a command is required (resolve, bind, update, unbind, "
                  "list or call); use --help for usage");
    }
    if (!opts.socket) {
        opts.socket = getenv("OVS_RDMA_SOCKET");
        if (!opts.socket || !opts.socket[0]) {
            ovs_fatal(0, "no socket: give --socket=SOCKET or set "
                      "OVS_RDMA_SOCKET to the vport's tenant socket");
        }
    }
    if (opts.timeout) {
        time_alarm(opts.timeout);
    }

    method = !strcmp(argv[0], "call") && argc >= 2 ? argv[1] : argv[0];
    params = make_params(argv[0], argc - 1, argv + 1);

    name = xasprintf("unix:%s", opts.socket);
    error = stream_open_block(stream_open(name, &stream, 0), -1, &stream);
    if (error) {
        ovs_fatal(0, "%s: cannot connect (%s): is ovs-rdmad running, and "
                  "is this an RDMA vport's socket?", opts.socket,
                  ovs_strerror(error));
    }
    free(name);
    rpc = jsonrpc_open(stream);
    request = jsonrpc_create_request(method, params, NULL);
    error = jsonrpc_transact_block(rpc, request, &reply);
    if (error) {
        ovs_fatal(0, "%s: %s", opts.socket, ovs_retval_to_string(error));
    }
    if (reply->error) {
        if (reply->error->type == JSON_STRING) {
            fprintf(stderr, "%s: %s\n", program_name,
                    json_string(reply->error));
        } else {
            char *s = json_to_string(reply->error, JSSF_SORT);

            fprintf(stderr, "%s: %s\n", program_name, s);
            free(s);
        }
        exit(EXIT_FAILURE);
    } else {
        /* OVS's pretty printer spreads an empty object over two lines. */
        bool empty = (reply->result->type == JSON_OBJECT
                      && !shash_count(json_object(reply->result)));
        char *s = json_to_string(reply->result,
                                 empty ? 0 : JSSF_PRETTY | JSSF_SORT);

        puts(s);
        free(s);
    }
    jsonrpc_msg_destroy(reply);
    jsonrpc_close(rpc);
    return 0;
}

/* Returns the params array for 'command' with its 'argc' arguments in
 * 'argv'.  Exits with a message on bad usage. */
static struct json *
make_params(const char *command, int argc, char *argv[])
{
    struct json *object;
    int i, first;

    if (!strcmp(command, "list")) {
        if (argc) {
            ovs_fatal(0, "list takes no arguments");
        }
        return json_array_create_empty();
    } else if (!strcmp(command, "unbind")) {
        if (argc != 1) {
            ovs_fatal(0, "usage: unbind CM_ID");
        }
        object = json_object_create();
        json_object_put_string(object, "cm_id", argv[0]);
        return json_array_create_1(object);
    } else if (!strcmp(command, "update")) {
        if (argc != 2 || strncmp(argv[1], "remote_qpn=", 11)) {
            ovs_fatal(0, "usage: update CM_ID remote_qpn=N");
        }
        object = json_object_create();
        json_object_put_string(object, "cm_id", argv[0]);
        json_object_put_string(object, "remote_qpn", argv[1] + 11);
        return json_array_create_1(object);
    } else if (!strcmp(command, "call")) {
        struct json *json;

        if (argc < 1 || argc > 2) {
            ovs_fatal(0, "usage: call METHOD [PARAMS], PARAMS a JSON array");
        }
        if (argc == 1) {
            return json_array_create_empty();
        }
        json = json_from_string(argv[1]);
        if (json->type == JSON_STRING) {
            ovs_fatal(0, "PARAMS: %s", json_string(json));
        } else if (json->type != JSON_ARRAY) {
            ovs_fatal(0, "PARAMS must be a JSON array, e.g. '[{}]'");
        }
        return json;
    } else if (strcmp(command, "resolve") && strcmp(command, "bind")) {
        ovs_fatal(0, "unknown command \"%s\" (commands: resolve, bind, "
                  "update, unbind, list, call); use --help for usage", command);
    }

    /* resolve and bind: DST_IP [key=value]... */
    if (argc < 1) {
        ovs_fatal(0, "usage: %s DST_IP [key=value]...", command);
    }
    object = json_object_create();
    json_object_put_string(object, "dst_ip", argv[0]);
    for (first = 1, i = first; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        char *key;

        if (!eq || eq == argv[i]) {
            ovs_fatal(0, "\"%s\": expected key=value", argv[i]);
        }
        key = xmemdup0(argv[i], eq - argv[i]);
        if (shash_find(json_object(object), key)) {
            ovs_fatal(0, "duplicate key \"%s\": give each key once", key);
        }
        json_object_put_string(object, key, eq + 1);
        free(key);
    }
    if (!strcmp(command, "bind")
        && !shash_find(json_object(object), "persistent")) {
        /* This program exits right after the bind, which closes its
         * connection: without "persistent", ovs-rdmad would release the
         * binding at once. */
        json_object_put(object, "persistent", json_boolean_create(true));
    }
    return json_array_create_1(object);
}

/* Parses the options in 'argv' into '*opts'.  Exits on bad input. */
static void
parse_options(int argc, char *argv[], struct client_options *opts)
{
    static const struct option long_options[] = {
        {"socket", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);

        if (c == -1) {
            break;
        }
        switch (c) {
        case 's':
            opts->socket = optarg;
            break;

        case 't':
            if (!str_to_int(optarg, 10, &opts->timeout)
                || opts->timeout < 0) {
                ovs_fatal(0, "--timeout=%s: not a number of seconds",
                          optarg);
            }
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (ovs-rdma) %s\n", program_name, OVS_RDMA_VERSION);
            exit(EXIT_SUCCESS);

        case '?':
            fprintf(stderr, "%s: use --help for usage\n", program_name);
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);
}

/* Prints --help output and exits. */
static void
usage(void)
{
    printf("%s: client of ovs-rdmad's per-vport tenant socket\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\nCommands:\n"
           "  resolve DST_IP [dst_mac=MAC] [src_ip=IP]\n"
           "                          the tunnel and tuple a connection "
           "would get\n"
           "  bind DST_IP [dst_mac=MAC] [src_ip=IP] [qpn=N] [remote_qpn=N] "
           "[cm_id=N]\n"
           "       [persistent=false]  binds a connection (persistent\n"
           "                          unless persistent=false)\n"
           "  update CM_ID remote_qpn=N\n"
           "                          sets a connection's peer QP number\n"
           "  unbind CM_ID            unbinds one of this vport's "
           "connections\n"
           "  list                    this vport's connections\n"
           "  call METHOD [PARAMS]    any request, PARAMS a JSON array\n"
           "\nOptions:\n"
           "  -s, --socket=SOCKET     the vport's socket (default: "
           "$OVS_RDMA_SOCKET)\n"
           "  -t, --timeout=SECS      give up after SECS seconds "
           "(default 10, 0: never)\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name);
    exit(EXIT_SUCCESS);
}
