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


/* test-preload: drives an "application" through librdmacm's calls, for
 * testing librdmaovl-preload.  It links the stand-in librdmacm of
 * fake-rdmacm.c and is run with LD_PRELOAD=librdmaovl-preload.so and
 * OVS_RDMA_SOCKET set; it checks what the shim did through librdmaovl.
 *
 *   test-preload lifecycle
 *       An active connection (asynchronous id), a passive one, and an
 *       active one on a synchronous id, from bind to unbind; prints the
 *       vport's bindings after each step, ids named id1, id2, id3.
 *   test-preload resolve DST_IP
 *   test-preload connect DST_IP
 *       One call; prints "ok" or "failed: ERRNO-TEXT".
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <infiniband/verbs.h>

#include "fake-rdmacm.h"
#include "rdmaovl.h"

/* The ids of the lifecycle, and their QPs. */
static struct rdma_cm_id ids[3];
static struct ibv_qp qps[3];

/* Returns the name of the id whose address is 'cm_id'. */
static const char *
id_name(uint64_t cm_id)
{
    static const char *names[3] = { "id1", "id2", "id3" };
    int i;

    for (i = 0; i < 3; i++) {
        if (cm_id == (uintptr_t) &ids[i]) {
            return names[i];
        }
    }
    return "unknown";
}

/* Prints the vport's bindings after step 'step'. */
static void
show(const char *step)
{
    struct rdmaovl_entry *entries;
    struct rdmaovl *ovl;
    size_t i, n;
    int error;

    error = rdmaovl_open(NULL, &ovl);
    if (!error) {
        error = rdmaovl_list(ovl, &entries, &n);
    }
    if (error) {
        printf("%s: list failed: %s\n", step, strerror(error));
        exit(1);
    }
    printf("after %s: %zu\n", step, n);
    for (i = 0; i < n; i++) {
        printf("  %s qpn=%#"PRIx32" remote_qpn=%#"PRIx32" state=%s%s%s "
               "dst=%s\n", id_name(entries[i].cm_id), entries[i].qpn,
               entries[i].remote_qpn, entries[i].state,
               entries[i].reason[0] ? ": " : "", entries[i].reason,
               entries[i].inner_dst_ip);
    }
    free(entries);
    rdmaovl_close(ovl);
}

/* Makes 'id' a connection from 10.1.0.1 to 'dst' with a QP numbered
 * 'qpn' (none if 0). */
static void
setup_id(int i, const char *dst, uint32_t qpn)
{
    struct sockaddr_in src_sin, dst_sin;

    memset(&src_sin, 0, sizeof src_sin);
    src_sin.sin_family = AF_INET;
    inet_pton(AF_INET, "10.1.0.1", &src_sin.sin_addr);
    memset(&dst_sin, 0, sizeof dst_sin);
    dst_sin.sin_family = AF_INET;
    inet_pton(AF_INET, dst, &dst_sin.sin_addr);
    memcpy(&ids[i].route.addr.src_addr, &src_sin, sizeof src_sin);
    memcpy(&ids[i].route.addr.dst_addr, &dst_sin, sizeof dst_sin);
    if (qpn) {
        qps[i].qp_num = qpn;
        ids[i].qp = &qps[i];
    }
}

/* Fails the program if 'retval' (from a call named 'what') is not 0. */
static void
check(int retval, const char *what)
{
    if (retval) {
        printf("%s failed: %s\n", what, strerror(errno));
        exit(1);
    }
}

/* The whole life of three connections. */
static void
lifecycle(void)
{
    struct rdma_cm_event *event;
    struct rdma_cm_event sync_event;

    /* id1, active: resolve, connect (bound), then ESTABLISHED brings the
     * peer's QPN. */
    setup_id(0, "10.1.0.2", 0x42);
    check(rdma_resolve_addr(&ids[0], &ids[0].route.addr.src_addr,
                            &ids[0].route.addr.dst_addr, 1000),
          "rdma_resolve_addr");
    check(rdma_connect(&ids[0], NULL), "rdma_connect");
    show("connect");
    fake_rdmacm_push_event(&ids[0], RDMA_CM_EVENT_ESTABLISHED, 0x99);
    check(rdma_get_cm_event(NULL, &event), "rdma_get_cm_event");
    rdma_ack_cm_event(event);
    show("established");

    /* id2, passive: the connect request carries the peer's QPN; no ARP
     * entry for the peer, so it waits for its MAC. */
    setup_id(1, "10.1.0.3", 0);
    fake_rdmacm_push_event(&ids[1], RDMA_CM_EVENT_CONNECT_REQUEST, 0x77);
    check(rdma_get_cm_event(NULL, &event), "rdma_get_cm_event");
    rdma_ack_cm_event(event);
    {
        struct rdma_conn_param param;

        memset(&param, 0, sizeof param);
        param.qp_num = 0x43;    /* No QP on the id: the param's. */
        check(rdma_accept(&ids[1], &param), "rdma_accept");
    }
    show("accept");

    /* id3, active on a synchronous id: the ESTABLISHED event is in
     * id->event when rdma_connect() returns. */
    setup_id(2, "10.1.0.2", 0x44);
    memset(&sync_event, 0, sizeof sync_event);
    sync_event.id = &ids[2];
    sync_event.event = RDMA_CM_EVENT_ESTABLISHED;
    sync_event.param.conn.qp_num = 0x55;
    ids[2].event = &sync_event;
    check(rdma_connect(&ids[2], NULL), "rdma_connect");
    show("sync connect");

    /* Tear-down, each way. */
    rdma_destroy_qp(&ids[1]);
    show("destroy_qp id2");
    check(rdma_destroy_id(&ids[0]), "rdma_destroy_id");
    rdma_destroy_ep(&ids[2]);
    check(rdma_destroy_id(&ids[1]), "rdma_destroy_id");
    show("destroy");

    /* A connect that fails leaves nothing bound. */
    setup_id(0, "10.1.0.2", 0x45);
    fake_rdmacm_connect_error = ETIMEDOUT;
    if (!rdma_connect(&ids[0], NULL) || errno != ETIMEDOUT) {
        printf("failing rdma_connect did not fail with ETIMEDOUT\n");
        exit(1);
    }
    show("failed connect");
}

/* Runs one command: see the comment at the top. */
int
main(int argc, char *argv[])
{
    if (argc == 2 && !strcmp(argv[1], "lifecycle")) {
        lifecycle();
    } else if (argc == 3 && (!strcmp(argv[1], "resolve")
                             || !strcmp(argv[1], "connect"))) {
        struct sockaddr_storage dst;
        int retval;

        setup_id(0, "10.1.0.2", 0x42);
        memset(&dst, 0, sizeof dst);
        if (strchr(argv[2], ':')) {
            struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &dst;

            sin6->sin6_family = AF_INET6;
            inet_pton(AF_INET6, argv[2], &sin6->sin6_addr);
        } else {
            struct sockaddr_in *sin = (struct sockaddr_in *) &dst;

            sin->sin_family = AF_INET;
            inet_pton(AF_INET, argv[2], &sin->sin_addr);
        }
        if (!strcmp(argv[1], "resolve")) {
            retval = rdma_resolve_addr(&ids[0], &ids[0].route.addr.src_addr,
                                       (struct sockaddr *) &dst, 1000);
        } else {
            memcpy(&ids[0].route.addr.dst_storage, &dst, sizeof dst);
            retval = rdma_connect(&ids[0], NULL);
        }
        if (retval) {
            printf("failed: %s\n", strerror(errno));
        } else {
            printf("ok\n");
        }
    } else {
        fprintf(stderr, "usage: %s lifecycle | resolve DST | connect DST\n",
                argv[0]);
        return 2;
    }
    return 0;
}
