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
 * RDMA connections.  See rdma-tenant.h for the protocol.
 *
 * Built on librdmaovl and json-c alone, not on Open vSwitch, so that it
 * can go into tenant containers.  The request's parameters are built here
 * generically (key=value words become string members), so members the
 * server learns later need no change here. */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rdma-version.h"
#include "rdmaovl.h"

/* Settings from the command line. */
struct client_options {
    const char *socket;         /* --socket, or $OVS_RDMA_SOCKET. */
    int timeout;                /* --timeout, in seconds; 0 = none. */
};

/* The program's name, for messages. */
static const char *program_name = "ovs-rdma-client";

static void usage(void) __attribute__((noreturn));
static void fatal(const char *format, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
static void parse_options(int argc, char *argv[], struct client_options *);
static struct json_object *make_params(const char *command, int argc,
                                       char *argv[]);
static void print_json(struct json_object *, FILE *);

/* Entry point: builds the request from the command line, sends it, and
 * prints the result as JSON (exit 0) or the server's error (exit 1). */
int
main(int argc, char *argv[])
{
    struct client_options opts = { .socket = NULL, .timeout = 10 };
    struct json_object *params, *result;
    const char *method, *slash;
    struct rdmaovl *ovl;
    char *result_s;
    int error;

    slash = strrchr(argv[0], '/');
    program_name = slash ? slash + 1 : argv[0];
    parse_options(argc, argv, &opts);
    argc -= optind;
    argv += optind;
    if (!argc) {
        fatal("a command is required (resolve, bind, update, unbind, "
              "list or call); use --help for usage");
    }
    if (!opts.socket) {
        opts.socket = getenv(RDMAOVL_SOCKET_ENV);
        if (!opts.socket || !opts.socket[0]) {
            fatal("no socket: give --socket=SOCKET or set "
                  "OVS_RDMA_SOCKET to the vport's tenant socket");
        }
    }

    method = !strcmp(argv[0], "call") && argc >= 2 ? argv[1] : argv[0];
    params = make_params(argv[0], argc - 1, argv + 1);

    error = rdmaovl_open(opts.socket, &ovl);
    if (error) {
        fatal("%s: cannot connect (%s): is ovs-rdmad running, and is this "
              "an RDMA vport's socket?", opts.socket, strerror(error));
    }
    rdmaovl_set_timeout(ovl, opts.timeout ? opts.timeout * 1000 : -1);
    error = rdmaovl_call(ovl, method,
                         json_object_to_json_string_ext(
                             params, JSON_C_TO_STRING_PLAIN),
                         &result_s);
    json_object_put(params);
    if (error == EREMOTEIO) {
        fprintf(stderr, "%s: %s\n", program_name, rdmaovl_last_error(ovl));
        exit(EXIT_FAILURE);
    } else if (error) {
        fatal("%s: %s", opts.socket,
              error == ECONNRESET ? "End of file" : strerror(error));
    }
    rdmaovl_close(ovl);

    result = json_tokener_parse(result_s);
    if (!result && strcmp(result_s, "null")) {
        fatal("%s: ovs-rdmad's answer is not JSON", opts.socket);
    }
    print_json(result, stdout);
    json_object_put(result);
    free(result_s);
    return 0;
}

/* Prints a message, formatted like printf(), prefixed by the program's
 * name, and exits with failure. */
static void
fatal(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

/* Returns a new object with the single member 'key': 'value' (a string). */
static struct json_object *
object_1(const char *key, const char *value)
{
    struct json_object *object = json_object_new_object();

    json_object_object_add(object, key, json_object_new_string(value));
    return object;
}

/* Returns a new array holding 'elem' (which it takes). */
static struct json_object *
array_1(struct json_object *elem)
{
    struct json_object *array = json_object_new_array();

    json_object_array_add(array, elem);
    return array;
}

/* Returns the params array for 'command' with its 'argc' arguments in
 * 'argv'.  Exits with a message on bad usage. */
static struct json_object *
make_params(const char *command, int argc, char *argv[])
{
    struct json_object *object;
    int i;

    if (!strcmp(command, "list")) {
        if (argc) {
            fatal("list takes no arguments");
        }
        return json_object_new_array();
    } else if (!strcmp(command, "unbind")) {
        if (argc != 1) {
            fatal("usage: unbind CM_ID");
        }
        return array_1(object_1("cm_id", argv[0]));
    } else if (!strcmp(command, "update")) {
        if (argc != 2 || strncmp(argv[1], "remote_qpn=", 11)) {
            fatal("usage: update CM_ID remote_qpn=N");
        }
        object = object_1("cm_id", argv[0]);
        json_object_object_add(object, "remote_qpn",
                               json_object_new_string(argv[1] + 11));
        return array_1(object);
    } else if (!strcmp(command, "call")) {
        struct json_tokener *tok;
        struct json_object *json;

        if (argc < 1 || argc > 2) {
            fatal("usage: call METHOD [PARAMS], PARAMS a JSON array");
        }
        if (argc == 1) {
            return json_object_new_array();
        }
        tok = json_tokener_new();
        json = json_tokener_parse_ex(tok, argv[1], strlen(argv[1]) + 1);
        if (!json) {
            fatal("PARAMS: %s", json_tokener_error_desc(
                      json_tokener_get_error(tok)));
        }
        json_tokener_free(tok);
        if (json_object_get_type(json) != json_type_array) {
            fatal("PARAMS must be a JSON array, e.g. '[{}]'");
        }
        return json;
    } else if (strcmp(command, "resolve") && strcmp(command, "bind")) {
        fatal("unknown command \"%s\" (commands: resolve, bind, update, "
              "unbind, list, call); use --help for usage", command);
    }

    /* resolve and bind: DST_IP [key=value]... */
    if (argc < 1) {
        fatal("usage: %s DST_IP [key=value]...", command);
    }
    object = object_1("dst_ip", argv[0]);
    for (i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        char *key;

        if (!eq || eq == argv[i]) {
            fatal("\"%s\": expected key=value", argv[i]);
        }
        key = strndup(argv[i], eq - argv[i]);
        if (!key) {
            fatal("out of memory");
        }
        if (json_object_object_get_ex(object, key, NULL)) {
            fatal("duplicate key \"%s\": give each key once", key);
        }
        json_object_object_add(object, key, json_object_new_string(eq + 1));
        free(key);
    }
    if (!strcmp(command, "bind")
        && !json_object_object_get_ex(object, "persistent", NULL)) {
        /* This program exits right after the bind, which closes its
         * connection: without "persistent", ovs-rdmad would release the
         * binding at once. */
        json_object_object_add(object, "persistent",
                               json_object_new_boolean(1));
    }
    return array_1(object);
}

/* Prints 's' as a JSON string to 'out', escaped as Open vSwitch does. */
static void
print_string(const char *s, FILE *out)
{
    putc('"', out);
    for (; *s; s++) {
        unsigned char c = *s;

        switch (c) {
        case '"':  fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20) {
                fprintf(out, "\\u%04x", c);
            } else {
                putc(c, out);
            }
        }
    }
    putc('"', out);
}

/* Starts a new line indented for nesting 'depth'. */
static void
indent(int depth, FILE *out)
{
    fprintf(out, "\n%*s", 2 * depth, "");
}

/* qsort() comparison of object member names. */
static int
compare_keys(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;

    return strcmp(*a, *b);
}

/* Prints 'json' at nesting 'depth' to 'out' in Open vSwitch's pretty
 * format (members sorted, two spaces per level, closing brackets on the
 * last member's line), which the tenants' scripts already parse. */
static void
print_value(struct json_object *json, int depth, FILE *out)
{
    size_t i, n;

    switch (json_object_get_type(json)) {
    case json_type_object: {
        struct json_object_iterator it, end;
        const char **keys;

        n = json_object_object_length(json);
        keys = calloc(n ? n : 1, sizeof *keys);
        if (!keys) {
            fatal("out of memory");
        }
        i = 0;
        it = json_object_iter_begin(json);
        end = json_object_iter_end(json);
        for (; !json_object_iter_equal(&it, &end);
             json_object_iter_next(&it)) {
            keys[i++] = json_object_iter_peek_name(&it);
        }
        qsort(keys, n, sizeof *keys, compare_keys);
        putc('{', out);
        indent(depth + 1, out);
        for (i = 0; i < n; i++) {
            if (i) {
                putc(',', out);
                indent(depth + 1, out);
            }
            print_string(keys[i], out);
            fputs(": ", out);
            print_value(json_object_object_get(json, keys[i]), depth + 1,
                        out);
        }
        putc('}', out);
        free(keys);
        break;
    }

    case json_type_array:
        n = json_object_array_length(json);
        putc('[', out);
        for (i = 0; i < n; i++) {
            if (i) {
                putc(',', out);
            }
            indent(depth + 1, out);
            print_value(json_object_array_get_idx(json, i), depth + 1, out);
        }
        putc(']', out);
        break;

    case json_type_string:
        print_string(json_object_get_string(json), out);
        break;

    case json_type_null:
        fputs("null", out);
        break;

    case json_type_boolean:
    case json_type_int:
    case json_type_double:
    default:
        fputs(json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN),
              out);
        break;
    }
}

/* Prints 'json', a reply's result, and a new line to 'out'.  An empty
 * object prints as "{}". */
static void
print_json(struct json_object *json, FILE *out)
{
    if (json_object_get_type(json) == json_type_object
        && !json_object_object_length(json)) {
        fputs("{}", out);
    } else {
        print_value(json, 0, out);
    }
    putc('\n', out);
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

    for (;;) {
        int c = getopt_long(argc, argv, "s:t:hV", long_options, NULL);
        char *end;
        long n;

        if (c == -1) {
            break;
        }
        switch (c) {
        case 's':
            opts->socket = optarg;
            break;

        case 't':
            errno = 0;
            n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 0
                || n > INT_MAX / 1000) {
                fatal("--timeout=%s: not a number of seconds", optarg);
            }
            opts->timeout = n;
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
