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

/* ovs-rdmad: maps RDMA connections of tenant vports onto Open vSwitch
 * overlay tunnels and programs the NIC to encapsulate them.
 *
 * A small main loop in the style of ovs-vswitchd: every module has
 * x_run() and x_wait(), called in data-flow order, then poll_block(). */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "memory.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "openvswitch/dynamic-string.h"
#include "rdma-ack.h"
#include "rdma-appctl.h"
#include "rdma-errno.h"
#include "rdma-fault.h"
#include "rdma-engine.h"
#include "rdma-nic.h"
#include "rdma-ovsdb.h"
#include "rdma-persist.h"
#include "rdma-qp-map.h"
#include "rdma-status.h"
#include "rdma-qp-source.h"
#include "rdma-request.h"
#include "rdma-tenant.h"
#include "rdma-underlay.h"
#include "rdma-version.h"
#include "rdma-zero-touch.h"
#include "simap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_rdmad);

/* Settings from the command line. */
struct rdmad_options {
    char *unixctl_path;         /* --unixctl, or NULL for the default. */
    const char *provider;       /* --provider: NIC provider spec. */
    const char *vswitchd;       /* --vswitchd: ovs-vswitchd's unixctl. */
    int underlay_poll_ms;       /* --underlay-poll: re-read interval. */
    char *state_file;           /* --state-file, absolute, or NULL for
                                 * the default. */
    const char *tenant_dir;     /* --tenant-dir, or NULL for the
                                 * default. */
    enum rdma_state_sync state_sync; /* --state-sync. */
    gid_t tenant_gid;           /* --tenant-group, or (gid_t) -1. */
    int tenant_idle_ms;         /* --tenant-idle-timeout, in ms. */
    const char *qp_source;      /* --qp-source. */
    int tenant_rate;            /* --tenant-rate. */
    bool zero_touch;            /* --bind-mode=zero-touch. */
    int zero_touch_poll_ms;     /* --zero-touch-poll. */
    bool zero_touch_wake;       /* --zero-touch-wake=auto (not poll). */
};

static char *parse_options(int argc, char *argv[], struct rdmad_options *);
OVS_NO_RETURN static void usage(void);
static unixctl_cb_func ovs_rdmad_exit;
static unixctl_cb_func ovs_rdmad_show_state;
static unixctl_cb_func ovs_rdmad_crash_at;

/* The daemon's modules. */
struct rdmad {
    struct unixctl_server *unixctl; /* The admin's unixctl server. */
    struct rdma_nic *nic;       /* The NIC. */
    struct rdma_qp_map qp_map;  /* The bindings. */
    struct rdma_engine *engine; /* Keeps the map and the NIC in step. */
    struct rdma_persist persist; /* The state file. */
    struct rdma_tenant *tenant; /* The tenants' sockets. */
    struct rdma_zero_touch *zt; /* --bind-mode=zero-touch, or NULL. */
    bool exiting;               /* Whether "exit" was requested. */
    long long int unixctl_due;  /* When the unixctl server must run next
                                 * even if tenants keep the loop busy. */
};

/* Sets up every module of 'd' (whose 'nic' is open) from 'opts', with
 * database 'remote'. */
static void
rdmad_start(struct rdmad *d, const struct rdmad_options *opts,
            const char *remote)
{
    if (unixctl_server_create(opts->unixctl_path, &d->unixctl)) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "", 0, 0, ovs_rdmad_exit, &d->exiting);
    if (rdma_qp_source_init(opts->qp_source)) {
        ovs_fatal(0, "--qp-source=%s: expected netlink, fake or none",
                  opts->qp_source);
    }

    rdma_underlay_init(opts->vswitchd);
    rdma_qp_map_init(&d->qp_map);
    d->engine = rdma_engine_create(&d->qp_map, d->nic,
                                   opts->underlay_poll_ms);
    if (opts->state_file) {
        rdma_persist_init(&d->persist, opts->state_file, opts->state_sync);
    } else {
        char *state_file = xasprintf("%s/ovs-rdmad.state", ovs_rundir());

        rdma_persist_init(&d->persist, state_file, opts->state_sync);
        free(state_file);
    }
    unixctl_command_register("rdma/show-state", "", 0, 0,
                             ovs_rdmad_show_state, &d->persist);
    if (rdma_fault_enabled()) {
        unixctl_command_register("rdma/crash-at", "POINT [N]", 1, 2,
                                 ovs_rdmad_crash_at, NULL);
        unixctl_command_register("rdma/fail-at", "POINT N ERRNO", 3, 3,
                                 ovs_rdmad_crash_at, NULL);
    }
    rdma_ovsdb_init(remote);
    rdma_appctl_init(d->engine);
    d->tenant = rdma_tenant_create(d->engine, opts->tenant_dir,
                                   opts->tenant_gid, opts->tenant_idle_ms);
    rdma_tenant_set_rate(d->tenant, opts->tenant_rate);
    d->zt = NULL;
    if (opts->zero_touch) {
        d->zt = rdma_zero_touch_create(d->engine, &d->qp_map,
                                       opts->zero_touch_poll_ms);
        rdma_zero_touch_set_wake(d->zt, opts->zero_touch_wake);
        rdma_zero_touch_register_commands(d->zt);
        rdma_appctl_set_zero_touch(d->zt);
    }
}

/* Runs each module of 'd' once: one main-loop iteration's work. */
static void
rdmad_run(struct rdmad *d)
{
    int retval;

    memory_run();
    if (memory_should_report()) {
        struct simap usage = SIMAP_INITIALIZER(&usage);

        simap_increase(&usage, "bindings", rdma_qp_map_count(&d->qp_map));
        memory_report(&usage);
        simap_destroy(&usage);
    }
    rdma_ovsdb_run();
    rdma_underlay_run();
    rdma_engine_run(d->engine, rdma_ovsdb_idl());
    rdma_nic_run(d->nic);
    rdma_status_run(rdma_ovsdb_idl(), rdma_ovsdb_txn(), d->engine);
    /* OVS's unixctl_server_run() tries accept() on its socket each time,
     * and Linux fails it with EAGAIN only after allocating a socket: that
     * was the most expensive system call of a tenant's request.  So in the
     * iterations that serve tenants the control socket is run at most once
     * a millisecond; in every other iteration (which is the next one, if
     * only the control socket woke the loop) at once. */
    if (!rdma_tenant_run(d->tenant) || time_msec() >= d->unixctl_due) {
        unixctl_server_run(d->unixctl);
        d->unixctl_due = time_msec() + 1;
    }
    if (d->zt) {
        rdma_zero_touch_run(d->zt, rdma_ovsdb_idl());
    }
    /* Write-ahead: this iteration's records (the engine's and the front
     * ends'), in one write, before the replies that confirm them. */
    retval = rdma_persist_run(&d->persist, d->engine, rdma_ack_any());
    rdma_ack_release(d->engine, retval, d->persist.file_name,
                     d->persist.n_written);
    /* With --state-sync=fdatasync, the replies whose records the sync
     * thread made durable (rdma-syncer.h); all of them without it. */
    rdma_ack_flush(d->persist.n_synced);
    rdma_tenant_flush(d->tenant);
}

/* Arranges for poll_block() to wake up when a module of 'd' has work. */
static void
rdmad_wait(struct rdmad *d)
{
    memory_wait();
    rdma_underlay_wait();
    rdma_engine_wait(d->engine);
    rdma_persist_wait(&d->persist, d->engine);
    rdma_nic_wait(d->nic);
    rdma_ovsdb_wait();
    unixctl_server_wait(d->unixctl);
    rdma_tenant_wait(d->tenant);
    if (d->zt) {
        rdma_zero_touch_wait(d->zt);
    }
    if (d->exiting) {
        poll_immediate_wake();
    }
}

/* Frees every module of 'd'. */
static void
rdmad_stop(struct rdmad *d)
{
    unixctl_server_destroy(d->unixctl);
    rdma_tenant_destroy(d->tenant);
    rdma_zero_touch_destroy(d->zt);
    rdma_ovsdb_destroy();
    rdma_persist_destroy(&d->persist);
    rdma_engine_destroy(d->engine);
    rdma_qp_map_destroy(&d->qp_map);
    rdma_nic_close(d->nic);
    rdma_underlay_destroy();
}

/* Entry point: parses options, daemonizes, and runs the main loop until
 * "exit" is requested over unixctl or a fatal signal arrives. */
int
main(int argc, char *argv[])
{
    struct rdmad_options opts = {
        .vswitchd = "ovs-vswitchd",
        .underlay_poll_ms = 1000,
        .tenant_gid = (gid_t) -1,
        .tenant_idle_ms = RDMA_TENANT_IDLE_MS,
        .qp_source = "netlink",
        .tenant_rate = RDMA_TENANT_RATE,
        .zero_touch_poll_ms = RDMA_ZT_POLL_MS,
        .zero_touch_wake = true,
    };
    struct rdmad d;
    char *remote;
    char *error;

    ovs_cmdl_proctitle_init(argc, argv);
    ovs_set_program_name(argv[0], OVS_RDMA_VERSION);
    remote = parse_options(argc, argv, &opts);
    fatal_ignore_sigpipe();

    /* Open the NIC before detaching, so that a bad --provider is reported
     * on the terminal with a non-zero exit.  There is no default: the
     * in-memory dummy NIC must never run unless someone chose it. */
    if (!opts.provider) {
        ovs_fatal(0, "no NIC provider chosen: give --provider=TYPE (the "
                  "types are in --help; --provider=dummy is the in-memory "
                  "NIC for tests)");
    }
    memset(&d, 0, sizeof d);
    error = rdma_nic_open(opts.provider, &d.nic);
    if (error) {
        ovs_fatal(0, "--provider=%s: %s", opts.provider, error);
    }

    daemonize_start(false);
    rdmad_start(&d, &opts, remote);
    daemonize_complete();
    VLOG_INFO("ovs-rdmad %s (Open vSwitch %s) started, database %s, NIC "
              "provider %s", OVS_RDMA_VERSION, OVS_RDMA_OVS_VERSION, remote,
              opts.provider);

    while (!d.exiting) {
        rdmad_run(&d);
        rdmad_wait(&d);
        poll_block();
    }

    VLOG_INFO("exiting");
    rdmad_stop(&d);
    free(opts.state_file);
    free(remote);
    return 0;
}

/* Parses the command line into '*opts'.  Returns the database remote to
 * connect to (the caller frees it).  Exits with a message on bad input. */
static char *
parse_options(int argc, char *argv[], struct rdmad_options *opts)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_PROVIDER,
        OPT_VSWITCHD,
        OPT_UNDERLAY_POLL,
        OPT_STATE_FILE,
        OPT_TENANT_DIR,
        OPT_STATE_SYNC,
        OPT_ENABLE_FAULT_INJECTION,
        OPT_TENANT_GROUP,
        OPT_TENANT_IDLE_TIMEOUT,
        OPT_QP_SOURCE,
        OPT_TENANT_RATE,
        OPT_BIND_MODE,
        OPT_ZERO_TOUCH_POLL,
        OPT_ZERO_TOUCH_WAKE,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"provider", required_argument, NULL, OPT_PROVIDER},
        {"vswitchd", required_argument, NULL, OPT_VSWITCHD},
        {"underlay-poll", required_argument, NULL, OPT_UNDERLAY_POLL},
        {"state-file", required_argument, NULL, OPT_STATE_FILE},
        {"tenant-dir", required_argument, NULL, OPT_TENANT_DIR},
        {"state-sync", required_argument, NULL, OPT_STATE_SYNC},
        {"enable-fault-injection", no_argument, NULL,
         OPT_ENABLE_FAULT_INJECTION},
        {"tenant-group", required_argument, NULL, OPT_TENANT_GROUP},
        {"tenant-idle-timeout", required_argument, NULL,
         OPT_TENANT_IDLE_TIMEOUT},
        {"qp-source", required_argument, NULL, OPT_QP_SOURCE},
        {"tenant-rate", required_argument, NULL, OPT_TENANT_RATE},
        {"bind-mode", required_argument, NULL, OPT_BIND_MODE},
        {"zero-touch-poll", required_argument, NULL, OPT_ZERO_TOUCH_POLL},
        {"zero-touch-wake", required_argument, NULL, OPT_ZERO_TOUCH_WAKE},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case 'h':
            usage();

        case 'V':
            printf("%s (ovs-rdma) %s\n", program_name, OVS_RDMA_VERSION);
            printf("built against Open vSwitch %s\n", OVS_RDMA_OVS_VERSION);
            exit(EXIT_SUCCESS);

        case OPT_UNIXCTL:
            opts->unixctl_path = optarg;
            break;

        case OPT_PROVIDER:
            opts->provider = optarg;
            break;

        case OPT_VSWITCHD:
            opts->vswitchd = optarg;
            break;

        case OPT_UNDERLAY_POLL:
            if (!str_to_int(optarg, 10, &opts->underlay_poll_ms)
                || opts->underlay_poll_ms < 0) {
                ovs_fatal(0, "--underlay-poll=%s: not a number of "
                          "milliseconds (0 disables polling)", optarg);
            }
            break;

        case OPT_STATE_FILE:
            if (!optarg[0]) {
                ovs_fatal(0, "--state-file needs a file name");
            }
            /* Absolute: --detach changes directory to "/". */
            opts->state_file = abs_file_name(NULL, optarg);
            break;

        case OPT_TENANT_DIR:
            if (!optarg[0]) {
                ovs_fatal(0, "--tenant-dir needs a directory name");
            }
            opts->tenant_dir = optarg;
            break;

        case OPT_STATE_SYNC:
            if (!strcmp(optarg, "none")) {
                opts->state_sync = RDMA_STATE_SYNC_NONE;
            } else if (!strcmp(optarg, "fdatasync")) {
                opts->state_sync = RDMA_STATE_SYNC_FDATASYNC;
            } else {
                ovs_fatal(0, "--state-sync=%s: expected \"none\" or "
                          "\"fdatasync\"", optarg);
            }
            break;

        case OPT_ENABLE_FAULT_INJECTION:
            rdma_fault_enable();
            break;

        case OPT_TENANT_GROUP: {
            struct group *gr = getgrnam(optarg);
            uint64_t gid;
            char *error;

            if (gr) {
                opts->tenant_gid = gr->gr_gid;
            } else if (!(error = rdma_parse_decimal("--tenant-group", optarg,
                                                    0, INT32_MAX, &gid))) {
                opts->tenant_gid = gid;
            } else {
                ovs_fatal(0, "--tenant-group=%s: no such group (give a "
                          "group name or a numeric gid)", optarg);
            }
            break;
        }

        case OPT_QP_SOURCE:
            opts->qp_source = optarg;
            break;

        case OPT_TENANT_RATE: {
            uint64_t rate;
            char *error = rdma_parse_decimal("--tenant-rate", optarg, 1,
                                             1000000, &rate);

            if (error) {
                ovs_fatal(0, "%s (requests per second per connection)",
                          error);
            }
            opts->tenant_rate = rate;
            break;
        }

        case OPT_BIND_MODE:
            if (!strcmp(optarg, "zero-touch")) {
                opts->zero_touch = true;
            } else if (!strcmp(optarg, "tenant")) {
                opts->zero_touch = false;
            } else {
                ovs_fatal(0, "--bind-mode=%s: expected \"tenant\" or "
                          "\"zero-touch\"", optarg);
            }
            break;

        case OPT_ZERO_TOUCH_POLL: {
            uint64_t ms;
            char *error = rdma_parse_decimal("--zero-touch-poll", optarg, 1,
                                             60000, &ms);

            if (error) {
                ovs_fatal(0, "%s (milliseconds between two reads of the "
                          "kernel's rdma_cm connections)", error);
            }
            opts->zero_touch_poll_ms = ms;
            break;
        }

        case OPT_ZERO_TOUCH_WAKE:
            if (!strcmp(optarg, "auto") || !strcmp(optarg, "poll")) {
                opts->zero_touch_wake = !strcmp(optarg, "auto");
            } else {
                ovs_fatal(0, "--zero-touch-wake=%s: expected \"auto\" (the "
                          "kernel's rdma_cma tracepoints when they can be "
                          "opened) or \"poll\" (periodic dumps only)",
                          optarg);
            }
            break;

        case OPT_TENANT_IDLE_TIMEOUT: {
            uint64_t secs;
            char *error = rdma_parse_decimal("--tenant-idle-timeout", optarg,
                                             0, 86400, &secs);

            if (error) {
                ovs_fatal(0, "%s (seconds; 0 disables the timeout)", error);
            }
            opts->tenant_idle_ms = secs * 1000;
            break;
        }

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS

        case '?':
            /* getopt_long() already said what was wrong. */
            fprintf(stderr, "%s: use --help for usage\n", program_name);
            exit(EXIT_FAILURE);

        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    argc -= optind;
    argv += optind;

    switch (argc) {
    case 0:
        return xasprintf("unix:%s/db.sock", ovs_rundir());

    case 1:
        return xstrdup(argv[0]);

    default:
        ovs_fatal(0, "at most one non-option argument (the database) is "
                  "accepted, but %d were given; use --help for usage", argc);
    }
}

/* Prints --help output and exits. */
static void
usage(void)
{
    struct ds providers = DS_EMPTY_INITIALIZER;

    printf("%s: Open vSwitch RDMA overlay daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "where DATABASE is a socket on which ovsdb-server is listening\n"
           "      (default: \"unix:%s/db.sock\").\n",
           program_name, program_name, ovs_rundir());
    daemon_usage();
    vlog_usage();
    printf("\nRDMA options:\n"
           "  --provider=TYPE[:K=V,...]  NIC provider (required)\n"
           "  --vswitchd=TARGET       ovs-vswitchd's unixctl socket or name\n"
           "                          (default: ovs-vswitchd)\n"
           "  --underlay-poll=MS      re-read ovs-vswitchd's routes and\n"
           "                          neighbours every MS ms (default 1000)\n"
           "  --state-file=FILE       keep the bound connections in FILE\n"
           "                          across restarts (default: %s/\n"
           "                          ovs-rdmad.state)\n"
           "  --tenant-dir=DIR        per-vport tenant sockets in DIR\n"
           "                          (DIR/VPORT.sock; default: %s/\n"
           "                          ovs-rdmad)\n"
           "  --state-sync=MODE       confirm a change once its record is\n"
           "                          written (none, the default) or on\n"
           "                          disk (fdatasync)\n"
           "  --enable-fault-injection  accept rdma/crash-at and\n"
           "                            rdma/fail-at (tests only)\n"
           "  --tenant-group=GROUP    group of the tenant socket directory\n"
           "                          and sockets\n"
           "  --tenant-idle-timeout=SECS  close tenant connections that\n"
           "                          hold no bindings after SECS idle\n"
           "                          seconds (default 300, 0: never)\n"
           "  --tenant-rate=N         requests per second per tenant\n"
           "                          connection, after a burst of 100\n"
           "                          (default 500)\n"
           "  --qp-source=netlink|fake|none  where the QPs of vports with\n"
           "                          other_config:rdma-device are checked\n"
           "                          (default: netlink, the kernel)\n"
           "  --bind-mode=tenant|zero-touch  bind only what tenants and\n"
           "                          the administrator ask (default), or\n"
           "                          also every rdma_cm connection the\n"
           "                          kernel shows (zero-touch)\n"
           "  --zero-touch-poll=MS    read the kernel's rdma_cm connections\n"
           "                          every MS ms (default %d; ten times\n"
           "                          less often when woken by tracepoints)\n"
           "  --zero-touch-wake=auto|poll  read them at once when the\n"
           "                          kernel's rdma_cma tracepoints fire\n"
           "                          (default auto: if they can be opened)\n",
           ovs_rundir(), ovs_rundir(), RDMA_ZT_POLL_MS);
    ds_put_cstr(&providers, "\nNIC providers (--provider=TYPE):\n");
    rdma_nic_format_provider_help(&providers);
    fputs(ds_cstr(&providers), stdout);
    ds_destroy(&providers);
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

/* "exit": makes the main loop end. */
static void
ovs_rdmad_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

/* "rdma/show-state": the state file's status. */
static void
ovs_rdmad_show_state(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[] OVS_UNUSED, void *persist_)
{
    struct rdma_persist *persist = persist_;
    struct ds ds = DS_EMPTY_INITIALIZER;

    rdma_persist_format(persist, &ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

/* "rdma/crash-at POINT [N]": arms a crash point; "rdma/fail-at POINT N
 * ERRNO": arms it to fail with ERRNO (an errno name, e.g. EIO) instead, where
 * the point can (tests only). */
static void
ovs_rdmad_crash_at(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *aux OVS_UNUSED)
{
    unsigned int n = 1;
    int error = 0;

    if (argc > 2 && (!str_to_uint(argv[2], 10, &n) || !n)) {
        unixctl_command_reply_error(conn, "N must be a positive integer");
        return;
    }
    if (argc > 3) {
        error = rdma_errno_from_string(argv[3]);
        if (error <= 0) {
            unixctl_command_reply_error(conn, "ERRNO must be an errno name "
                                        "such as EIO");
            return;
        }
    }
    if (rdma_fault_arm_error(argv[1], n, error)) {
        char *msg = xasprintf("unknown crash point \"%s\" (points: none "
                              "%s)", argv[1], rdma_fault_point_names());

        unixctl_command_reply_error(conn, msg);
        free(msg);
        return;
    }
    unixctl_command_reply(conn, NULL);
}
