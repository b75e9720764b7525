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


/* librdmaovl-preload: puts the RDMA connections of unmodified librdmacm
 * applications on the tenant's Open vSwitch overlay.
 *
 *     OVS_RDMA_SOCKET=/run/ovs-rdma/vm1.sock \
 *     LD_PRELOAD=librdmaovl-preload.so ib_send_bw ...
 *
 * It wraps librdmacm's calls and, through librdmaovl, asks ovs-rdmad to:
 *
 *   - check the destination at rdma_resolve_addr() or, for an active
 *     endpoint, rdma_create_ep() (a dry run, so that a destination the
 *     overlay cannot reach fails early and says why);
 *   - bind the connection at rdma_connect() (active side) or rdma_accept()
 *     (passive side), when both the QP number and the peer are known: cm_id
 *     is the rdma_cm_id's address, qpn its QP's number, the destination the
 *     peer's address and, from this namespace's ARP table, its MAC;
 *   - record the peer's QP number before the connection's QP can send or
 *     answer anything: on the passive side it comes with the connect
 *     request and is bound at rdma_accept(); on the active side librdmacm
 *     moves the QP to RTR (and RTS, and sends the RTU) inside
 *     rdma_get_cm_event() or a synchronous id's rdma_connect(), before the
 *     application sees ESTABLISHED, so the shim tells ovs-rdmad the peer's
 *     QPN in ibv_modify_qp() (which it wraps), from the RTR transition's
 *     dest_qp_num, and waits for the answer before the QP moves; an
 *     application that moves its own QP (rdma_establish()) goes through
 *     there too.  ESTABLISHED and CONNECT_RESPONSE events are still
 *     watched, for QPs the shim does not see move;
 *   - unbind it at rdma_destroy_qp(), rdma_destroy_id() or
 *     rdma_destroy_ep(), or when the process exits without destroying it
 *     (perftest does, as the kernel lane showed);
 *   - apply the binding's RoCE path MTU to the connection's QP: when
 *     a bound connection's QP moves to RTR, a larger path MTU than the
 *     overlay allows is lowered to the binding's.
 *
 * The peer's MAC comes from this namespace's ARP table.  The kernel has
 * resolved it by the time the shim binds (rdma_resolve_addr() on the
 * active side; the connect request's handling on the passive side), but
 * an entry can be cold or half-way (incomplete, failed): then the shim
 * sends the peer one empty UDP datagram, from the connection's source
 * address, to make the kernel resolve it, and waits for the entry (up to
 * OVS_RDMA_ARP_WAIT_MS ms, default 3000) before it binds without a MAC
 * (ovs-rdmad then keeps the binding pending).
 *
 * Each request to ovs-rdmad waits for the answer up to OVS_RDMA_TIMEOUT_MS
 * ms (default: librdmaovl's, 10 s).
 *
 * OVS_RDMA_PRELOAD=strict (the default) makes rdma_resolve_addr(),
 * rdma_connect() and rdma_accept() fail, with errno set and ovs-rdmad's
 * message on stderr, when ovs-rdmad refuses; OVS_RDMA_PRELOAD=warn only
 * prints the message and lets the connection go ahead.  IPv6 peers are
 * bound without a MAC (pending) since only the IPv4 ARP table is read;
 * so are peers behind a tenant router (their MAC is the router's, which
 * the shim does not look up).
 *
 * A vport with other_config:rdma-device has its QPs checked against the
 * kernel: ovs-rdmad takes the peer's QPN from the kernel, and the shim
 * does not send it. */

#define _GNU_SOURCE 1

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rdma/rdma_cma.h>

#include "rdmaovl.h"

/* Number of buckets of the table of ids. */
#define N_BUCKETS 1024

/* What the shim knows of one rdma_cm_id. */
struct id_state {
    struct id_state *next;      /* Next in its bucket. */
    const struct rdma_cm_id *id; /* The id (only compared, never read). */
    uint32_t remote_qpn;        /* Peer's QPN from a connect request, or
                                 * 0. */
    bool bound;                 /* Whether ovs-rdmad has bound it. */
    const struct ibv_qp *qp;    /* Its QP when bound (only compared), or
                                 * NULL if the application made the QP
                                 * itself (then 'verbs' and 'qpn' say which
                                 * it is). */
    const struct ibv_context *verbs; /* Its device when bound (only
                                      * compared). */
    uint32_t qpn;               /* The bound QP number. */
    uint32_t peer_qpn;          /* The peer QPN the binding carries, or 0. */
    enum ibv_mtu path_mtu;      /* The binding's path MTU, or 0. */
};

/* The real librdmacm functions. */
static int (*real_resolve_addr)(struct rdma_cm_id *, struct sockaddr *,
                                struct sockaddr *, int);
static int (*real_create_ep)(struct rdma_cm_id **, struct rdma_addrinfo *,
                             struct ibv_pd *, struct ibv_qp_init_attr *);
static int (*real_connect)(struct rdma_cm_id *, struct rdma_conn_param *);
static int (*real_accept)(struct rdma_cm_id *, struct rdma_conn_param *);
static int (*real_get_cm_event)(struct rdma_event_channel *,
                                struct rdma_cm_event **);
static void (*real_destroy_qp)(struct rdma_cm_id *);
static int (*real_destroy_id)(struct rdma_cm_id *);
static void (*real_destroy_ep)(struct rdma_cm_id *);
static int (*real_modify_qp)(struct ibv_qp *, struct ibv_qp_attr *, int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static struct rdmaovl *ovl;             /* Guarded by 'mutex'. */
static struct id_state *buckets[N_BUCKETS]; /* Guarded by 'mutex'. */
static bool strict = true;              /* OVS_RDMA_PRELOAD != "warn". */
static int arp_wait_ms = 3000;          /* OVS_RDMA_ARP_WAIT_MS. */
static int timeout_ms = -1;             /* OVS_RDMA_TIMEOUT_MS, or -1 for
                                         * librdmaovl's default. */

/* Set while this thread is inside rdma_create_ep(), whose own
 * rdma_resolve_addr() needs no second check. */
static __thread bool in_create_ep;

/* Prints a message, formatted like printf(), on stderr. */
static void
say(const char *format, ...)
{
    va_list args;

    fputs("librdmaovl-preload: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

/* Finds the real functions and reads the environment, once. */
static void
init(void)
{
    const char *policy = getenv("OVS_RDMA_PRELOAD");
    const char *wait = getenv("OVS_RDMA_ARP_WAIT_MS");
    const char *timeout = getenv("OVS_RDMA_TIMEOUT_MS");

    real_resolve_addr = dlsym(RTLD_NEXT, "rdma_resolve_addr");
    real_create_ep = dlsym(RTLD_NEXT, "rdma_create_ep");
    real_connect = dlsym(RTLD_NEXT, "rdma_connect");
    real_accept = dlsym(RTLD_NEXT, "rdma_accept");
    real_get_cm_event = dlsym(RTLD_NEXT, "rdma_get_cm_event");
    real_destroy_qp = dlsym(RTLD_NEXT, "rdma_destroy_qp");
    real_destroy_id = dlsym(RTLD_NEXT, "rdma_destroy_id");
    real_destroy_ep = dlsym(RTLD_NEXT, "rdma_destroy_ep");
    /* librdmacm calls libibverbs' current version. */
    real_modify_qp = dlvsym(RTLD_NEXT, "ibv_modify_qp", "IBVERBS_1.1");
    if (!real_modify_qp) {
        real_modify_qp = dlsym(RTLD_NEXT, "ibv_modify_qp");
    }
    if (policy && !strcmp(policy, "warn")) {
        strict = false;
    } else if (policy && strcmp(policy, "strict")) {
        say("OVS_RDMA_PRELOAD=%s is neither \"strict\" nor \"warn\": using "
            "strict", policy);
    }
    if (wait && wait[0]) {
        char *end;
        long ms = strtol(wait, &end, 10);

        if (*end || ms < 0 || ms > 60000) {
            say("OVS_RDMA_ARP_WAIT_MS=%s is not a number of ms from 0 to "
                "60000: using %d", wait, arp_wait_ms);
        } else {
            arp_wait_ms = ms;
        }
    }
    if (timeout && timeout[0]) {
        char *end;
        long ms = strtol(timeout, &end, 10);

        if (*end || ms < 1 || ms > 3600000) {
            say("OVS_RDMA_TIMEOUT_MS=%s is not a number of ms from 1 to "
                "3600000: using librdmaovl's default", timeout);
        } else {
            timeout_ms = ms;
        }
    }
}

/* Returns the bucket of 'id'. */
static struct id_state **
bucket(const struct rdma_cm_id *id)
{
    uintptr_t x = (uintptr_t) id;

    return &buckets[(x >> 4 ^ x >> 14) % N_BUCKETS];
}

/* Returns the state of 'id', creating it if 'create'.  Call with 'mutex'
 * held. */
static struct id_state *
find_id(const struct rdma_cm_id *id, bool create)
{
    struct id_state **b = bucket(id), *s;

    for (s = *b; s; s = s->next) {
        if (s->id == id) {
            return s;
        }
    }
    if (create && (s = calloc(1, sizeof *s))) {
        s->id = id;
        s->next = *b;
        *b = s;
    }
    return s;
}

/* Forgets 'id'.  Call with 'mutex' held. */
static void
forget_id(const struct rdma_cm_id *id)
{
    struct id_state **p, *s;

    for (p = bucket(id); (s = *p); p = &s->next) {
        if (s->id == id) {
            *p = s->next;
            free(s);
            return;
        }
    }
}

/* Returns the connection to ovs-rdmad, opening it if needed, or NULL after
 * storing a positive errno in '*errorp'.  Call with 'mutex' held. */
static struct rdmaovl *
get_ovl(int *errorp)
{
    if (!ovl) {
        const char *path = getenv(RDMAOVL_SOCKET_ENV);
        int error = rdmaovl_open(NULL, &ovl);

        if (error) {
            if (!path || !path[0]) {
                say("%s is not set: set it to this vport's ovs-rdmad "
                    "socket", RDMAOVL_SOCKET_ENV);
            } else {
                say("%s: cannot connect to ovs-rdmad (%s)", path,
                    strerror(error));
            }
            *errorp = error;
            return NULL;
        }
        if (timeout_ms > 0) {
            rdmaovl_set_timeout(ovl, timeout_ms);
        }
    }
    return ovl;
}

/* Runs 'error', the outcome of asking ovs-rdmad about connection 'id'
 * during 'what', through the policy: returns 0 to go ahead or -1 with
 * errno set.  Call with 'mutex' held. */
static int
policy(int error, const char *what)
{
    if (!error) {
        return 0;
    }
    if (ovl && error == EREMOTEIO) {
        say("%s: ovs-rdmad: %s", what, rdmaovl_last_error(ovl));
    } else if (ovl) {
        say("%s: %s", what, strerror(error));
        if (error == ECONNRESET || error == EPIPE) {
            /* ovs-rdmad went away: reconnect next time. */
            rdmaovl_close(ovl);
            ovl = NULL;
        }
    }
    if (!strict) {
        return 0;
    }
    errno = error;
    return -1;
}

/* Formats the IP address in 'sa' into 'buf'.  Returns false if 'sa' is not
 * an IP address or is the wildcard. */
static bool
format_ip(const struct sockaddr *sa, char buf[INET6_ADDRSTRLEN])
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) sa;

        return (sin->sin_addr.s_addr != htonl(INADDR_ANY)
                && inet_ntop(AF_INET, &sin->sin_addr, buf, INET6_ADDRSTRLEN));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;

        return (!IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr)
                && inet_ntop(AF_INET6, &sin6->sin6_addr, buf,
                             INET6_ADDRSTRLEN));
    }
    return false;
}

/* Looks up IPv4 address 'ip' in this network namespace's ARP table and
 * stores its MAC in 'mac'.  Returns true if found and complete. */
static bool
arp_lookup(const char *ip, char mac[18])
{
    FILE *f = fopen("/proc/net/arp", "r");
    char line[256];
    bool found = false;

    if (!f) {
        return false;
    }
    while (!found && fgets(line, sizeof line, f)) {
        char addr[64], hw[64];
        unsigned int type, flags;

        if (sscanf(line, "%63s 0x%x 0x%x %63s", addr, &type, &flags, hw) == 4
            && !strcmp(addr, ip) && (flags & 0x2) /* ATF_COM */
            && strlen(hw) == 17 && strcmp(hw, "00:00:00:00:00:00")) {
            memcpy(mac, hw, 18);
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* Returns the current time in ms, from a monotonic clock. */
static long long int
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Makes the kernel resolve IPv4 address 'dst': sends it one empty UDP
 * datagram (to the discard port) from 'src', if it is an address here. */
static void
arp_solicit(const struct sockaddr_in *dst, const struct sockaddr *src)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in to = *dst;

    if (fd < 0) {
        return;
    }
    if (src && src->sa_family == AF_INET) {
        struct sockaddr_in from = *(const struct sockaddr_in *) src;

        from.sin_port = 0;
        (void) bind(fd, (struct sockaddr *) &from, sizeof from);
    }
    to.sin_port = htons(9);
    (void) sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *) &to,
                  sizeof to);
    close(fd);
}

/* Looks up IPv4 address 'ip' (string 'dst', in 'sa') in the ARP table;
 * if it has no complete entry, makes the kernel resolve it, from 'src',
 * and waits up to 'arp_wait_ms' for it.  Returns true, with the MAC in
 * 'mac', if found. */
static bool
arp_resolve(const char *dst, const struct sockaddr *sa,
            const struct sockaddr *src, char mac[18])
{
    long long int deadline;

    if (arp_lookup(dst, mac)) {
        return true;
    }
    if (!arp_wait_ms) {
        return false;
    }
    arp_solicit((const struct sockaddr_in *) sa, src);
    deadline = now_ms() + arp_wait_ms;
    do {
        struct timespec ts = { 0, 10 * 1000 * 1000 };

        nanosleep(&ts, NULL);
        if (arp_lookup(dst, mac)) {
            return true;
        }
    } while (now_ms() < deadline);
    say("%s: no complete ARP entry after %d ms: bound without its MAC, "
        "so ovs-rdmad keeps the connection pending (check that the peer "
        "answers ARP here)", dst, arp_wait_ms);
    return false;
}

/* Fills 'req' for the peer and source of 'id', with 'dst', 'src' and 'mac'
 * as buffers.  Returns false if the peer has no IP address. */
static bool
make_request(const struct rdma_cm_id *id, struct rdmaovl_request *req,
             char dst[INET6_ADDRSTRLEN], char src[INET6_ADDRSTRLEN],
             char mac[18])
{
    memset(req, 0, sizeof *req);
    if (!format_ip(&id->route.addr.dst_addr, dst)) {
        return false;
    }
    req->dst_ip = dst;
    if (format_ip(&id->route.addr.src_addr, src)) {
        req->src_ip = src;
    }
    if (id->route.addr.dst_addr.sa_family == AF_INET
        && arp_resolve(dst, &id->route.addr.dst_addr,
                       req->src_ip ? &id->route.addr.src_addr : NULL, mac)) {
        req->dst_mac = mac;
    }
    return true;
}

/* Returns the verbs MTU for a path MTU of 'bytes', or 0 if none. */
static enum ibv_mtu
mtu_from_bytes(unsigned int bytes)
{
    return (bytes >= 4096 ? IBV_MTU_4096
            : bytes >= 2048 ? IBV_MTU_2048
            : bytes >= 1024 ? IBV_MTU_1024
            : bytes >= 512 ? IBV_MTU_512
            : bytes >= 256 ? IBV_MTU_256
            : 0);
}

/* Binds connection 'id' with local QPN 'qpn' and peer QPN 'remote_qpn' (0
 * if unknown).  Returns 0 or -1 with errno set, per the policy. */
static int
bind_id(struct rdma_cm_id *id, uint32_t qpn, uint32_t remote_qpn,
        const char *what)
{
    char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN], mac[18];
    struct rdmaovl_request req;
    struct rdmaovl_entry entry;
    struct id_state *s;
    int error = 0;

    if (!make_request(id, &req, dst, src, mac)) {
        return 0;               /* Not an IP connection: not ours. */
    }
    req.qpn = qpn;
    req.remote_qpn = remote_qpn;
    req.cm_id = (uintptr_t) id;
    req.has_cm_id = true;

    pthread_mutex_lock(&mutex);
    s = find_id(id, true);
    if (s && s->bound) {
        /* Connecting again (after a reject, say): start afresh. */
        if (get_ovl(&error)) {
            rdmaovl_unbind(ovl, (uintptr_t) id);
        }
        s->bound = false;
    }
    if (get_ovl(&error)) {
        error = rdmaovl_bind(ovl, &req, &entry);
        if (!error && s) {
            s->bound = true;
            s->qp = id->qp;
            s->verbs = id->verbs;
            s->qpn = qpn;
            s->peer_qpn = entry.remote_qpn;
            s->path_mtu = mtu_from_bytes(entry.path_mtu);
        }
    }
    error = policy(error, what);
    pthread_mutex_unlock(&mutex);
    return error;
}

/* Tells ovs-rdmad peer QPN 'remote_qpn' of bound connection 's', unless
 * its binding already carries it, and waits for the answer (also where
 * ovs-rdmad checks the QP against the kernel's: there the kernel has no
 * peer before RTR, and the tenant's word is what puts it in the entry
 * before the first frame).  Returns 0 or -1 with errno set, per the policy,
 * for 'what'.  Call with 'mutex' held. */
static int
set_peer(struct id_state *s, uint32_t remote_qpn, const char *what)
{
    struct rdmaovl_entry entry;
    int error = 0;

    if (!s->bound || !remote_qpn || s->peer_qpn == remote_qpn) {
        return 0;
    }
    if (get_ovl(&error)) {
        error = rdmaovl_update(ovl, (uintptr_t) s->id, remote_qpn, &entry);
        if (!error) {
            s->peer_qpn = remote_qpn;
        }
    }
    return policy(error, what);
}

/* Records peer QPN 'remote_qpn' of 'id', learned from a connect request
 * ('request') or from an event that says the connection is established
 * (which normally comes after the QP's RTR transition has told it). */
static void
learn_remote_qpn(struct rdma_cm_id *id, uint32_t remote_qpn, bool request)
{
    struct id_state *s;

    if (!remote_qpn) {
        return;
    }
    pthread_mutex_lock(&mutex);
    s = find_id(id, request);
    if (s && request) {
        s->remote_qpn = remote_qpn;
    } else if (s) {
        set_peer(s, remote_qpn, "ESTABLISHED");
    }
    pthread_mutex_unlock(&mutex);
}

/* Notes what 'event' tells about its id. */
static void
watch_event(const struct rdma_cm_event *event)
{
    if (event->event == RDMA_CM_EVENT_CONNECT_REQUEST) {
        learn_remote_qpn(event->id, event->param.conn.qp_num, true);
    } else if ((event->event == RDMA_CM_EVENT_ESTABLISHED
                || event->event == RDMA_CM_EVENT_CONNECT_RESPONSE)
               && !event->status) {
        learn_remote_qpn(event->id, event->param.conn.qp_num, false);
    }
}

/* Unbinds 'id' if it is bound, and forgets it if 'forget'. */
static void
unbind_id(struct rdma_cm_id *id, bool forget)
{
    struct id_state *s;
    int error = 0;

    pthread_mutex_lock(&mutex);
    s = find_id(id, false);
    if (s && s->bound) {
        if (get_ovl(&error)) {
            error = rdmaovl_unbind(ovl, (uintptr_t) id);
            if (error) {
                policy(error, "unbind");
            }
        }
        s->bound = false;
    }
    if (forget) {
        forget_id(id);
    }
    pthread_mutex_unlock(&mutex);
}

/* Returns the QPN to bind for 'id': its QP's, else the one in 'param'. */
static uint32_t
local_qpn(const struct rdma_cm_id *id, const struct rdma_conn_param *param)
{
    return id->qp ? id->qp->qp_num : param ? param->qp_num : 0;
}

/* Asks ovs-rdmad whether the overlay reaches 'dst_addr' from 'src_addr'
 * (may be NULL), for 'what'.  Returns 0 or -1 with errno set, per the
 * policy.  Not an IP destination: 0. */
static int
check_destination(const struct sockaddr *src_addr,
                  const struct sockaddr *dst_addr, const char *what)
{
    char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
    struct rdmaovl_request req;
    struct rdmaovl_entry entry;
    int error = 0, retval;

    if (!dst_addr || !format_ip(dst_addr, dst)) {
        return 0;
    }
    memset(&req, 0, sizeof req);
    req.dst_ip = dst;
    if (src_addr && format_ip(src_addr, src)) {
        req.src_ip = src;
    }
    pthread_mutex_lock(&mutex);
    if (get_ovl(&error)) {
        error = rdmaovl_resolve(ovl, &req, &entry);
    }
    retval = policy(error, what);
    pthread_mutex_unlock(&mutex);
    return retval;
}

/* rdma_resolve_addr(): checks the destination with ovs-rdmad first. */
int
rdma_resolve_addr(struct rdma_cm_id *id, struct sockaddr *src_addr,
                  struct sockaddr *dst_addr, int timeout_ms)
{
    pthread_once(&once, init);
    if (!real_resolve_addr) {
        errno = ENOSYS;
        return -1;
    }
    if (!in_create_ep
        && check_destination(src_addr, dst_addr, "rdma_resolve_addr")) {
        return -1;
    }
    return real_resolve_addr(id, src_addr, dst_addr, timeout_ms);
}

/* rdma_create_ep(): for an active endpoint, checks the destination with
 * ovs-rdmad first (librdmacm resolves it inside, without necessarily
 * going through rdma_resolve_addr()).  Its connection is bound at
 * rdma_connect() or rdma_accept(), like any other. */
int
rdma_create_ep(struct rdma_cm_id **id, struct rdma_addrinfo *res,
               struct ibv_pd *pd, struct ibv_qp_init_attr *qp_init_attr)
{
    int retval;

    pthread_once(&once, init);
    if (!real_create_ep) {
        errno = ENOSYS;
        return -1;
    }
    if (res && !(res->ai_flags & RAI_PASSIVE)
        && check_destination(res->ai_src_addr, res->ai_dst_addr,
                             "rdma_create_ep")) {
        return -1;
    }
    in_create_ep = true;
    retval = real_create_ep(id, res, pd, qp_init_attr);
    in_create_ep = false;
    return retval;
}

/* rdma_connect(): binds the connection, then connects. */
int
rdma_connect(struct rdma_cm_id *id, struct rdma_conn_param *conn_param)
{
    int retval;

    pthread_once(&once, init);
    if (!real_connect) {
        errno = ENOSYS;
        return -1;
    }
    if (bind_id(id, local_qpn(id, conn_param), 0, "rdma_connect")) {
        return -1;
    }
    retval = real_connect(id, conn_param);
    if (retval) {
        int error = errno;

        unbind_id(id, false);
        errno = error;
    } else if (id->event && id->event->event == RDMA_CM_EVENT_ESTABLISHED) {
        /* A synchronous id: the event is already here. */
        watch_event(id->event);
    }
    return retval;
}

/* rdma_accept(): binds the connection, with the peer's QPN from its
 * connect request, then accepts. */
int
rdma_accept(struct rdma_cm_id *id, struct rdma_conn_param *conn_param)
{
    uint32_t remote_qpn = 0;
    struct id_state *s;
    int retval;

    pthread_once(&once, init);
    if (!real_accept) {
        errno = ENOSYS;
        return -1;
    }
    if (id->event && id->event->event == RDMA_CM_EVENT_CONNECT_REQUEST) {
        remote_qpn = id->event->param.conn.qp_num;  /* Synchronous id. */
    } else {
        pthread_mutex_lock(&mutex);
        s = find_id(id, false);
        remote_qpn = s ? s->remote_qpn : 0;
        pthread_mutex_unlock(&mutex);
    }
    if (bind_id(id, local_qpn(id, conn_param), remote_qpn, "rdma_accept")) {
        return -1;
    }
    retval = real_accept(id, conn_param);
    if (retval) {
        int error = errno;

        unbind_id(id, false);
        errno = error;
    }
    return retval;
}

/* rdma_get_cm_event(): watches for the peers' QPNs. */
int
rdma_get_cm_event(struct rdma_event_channel *channel,
                  struct rdma_cm_event **event)
{
    int retval;

    pthread_once(&once, init);
    if (!real_get_cm_event) {
        errno = ENOSYS;
        return -1;
    }
    retval = real_get_cm_event(channel, event);
    if (!retval && *event) {
        watch_event(*event);
    }
    return retval;
}

/* Returns the bound connection whose QP is 'qp' (librdmacm's, or one
 * that the application made and bound by number), or NULL.  Call with
 * 'mutex' held. */
static struct id_state *
find_bound_qp(const struct ibv_qp *qp)
{
    size_t i;

    for (i = 0; i < N_BUCKETS; i++) {
        struct id_state *s;

        for (s = buckets[i]; s; s = s->next) {
            if (s->bound
                && (s->qp
                    ? s->qp == qp
                    : s->qpn == qp->qp_num && s->verbs == qp->context)) {
                return s;
            }
        }
    }
    return NULL;
}

/* ibv_modify_qp(): when a bound connection's QP goes to RTR, first tells
 * ovs-rdmad the peer's QPN (the transition's dest_qp_num) and waits for
 * the answer, so that no frame of the connection leaves before its
 * binding carries the peer; and lowers the QP's path MTU to the binding's
 * if it is larger (the overlay's headers must fit in the underlay's MTU).
 * Then modifies the QP.  Under the strict policy, a refused update fails
 * the transition (librdmacm then reports a connection error). */
int
ibv_modify_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr, int attr_mask)
{
    pthread_once(&once, init);
    if (!real_modify_qp) {
        return ENOSYS;
    }
    if (qp && attr && (attr_mask & IBV_QP_STATE)
        && attr->qp_state == IBV_QPS_RTR) {
        struct id_state *s;
        int retval = 0;

        pthread_mutex_lock(&mutex);
        s = find_bound_qp(qp);
        if (s && (attr_mask & IBV_QP_DEST_QPN)
            && set_peer(s, attr->dest_qp_num, "ibv_modify_qp(RTR)")) {
            retval = errno;
        }
        if (s && (attr_mask & IBV_QP_PATH_MTU) && s->path_mtu
            && s->path_mtu < attr->path_mtu) {
            attr->path_mtu = s->path_mtu;
        }
        pthread_mutex_unlock(&mutex);
        if (retval) {
            return retval;
        }
    }
    return real_modify_qp(qp, attr, attr_mask);
}

/* At exit: unbinds the connections that the application left bound. */
static void __attribute__((destructor))
unbind_all_at_exit(void)
{
    size_t i;

    pthread_mutex_lock(&mutex);
    for (i = 0; ovl && i < N_BUCKETS; i++) {
        struct id_state *s;

        for (s = buckets[i]; s; s = s->next) {
            if (s->bound) {
                int error = rdmaovl_unbind(ovl, (uintptr_t) s->id);

                if (error) {
                    policy(error, "unbind at exit");
                }
                s->bound = false;
            }
        }
    }
    pthread_mutex_unlock(&mutex);
}

/* rdma_destroy_qp(): unbinds, then destroys the QP. */
void
rdma_destroy_qp(struct rdma_cm_id *id)
{
    pthread_once(&once, init);
    unbind_id(id, false);
    if (real_destroy_qp) {
        real_destroy_qp(id);
    }
}

/* rdma_destroy_id(): unbinds and forgets the id, then destroys it. */
int
rdma_destroy_id(struct rdma_cm_id *id)
{
    pthread_once(&once, init);
    unbind_id(id, true);
    if (!real_destroy_id) {
        errno = ENOSYS;
        return -1;
    }
    return real_destroy_id(id);
}

/* rdma_destroy_ep(): unbinds and forgets the id, then destroys it. */
void
rdma_destroy_ep(struct rdma_cm_id *id)
{
    pthread_once(&once, init);
    unbind_id(id, true);
    if (real_destroy_ep) {
        real_destroy_ep(id);
    }
}
