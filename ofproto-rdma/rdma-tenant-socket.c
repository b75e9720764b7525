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

#include "rdma-tenant-private.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"
#include "hash.h"
#include "openvswitch/vlog.h"
#include "rdma-engine.h"
#include "rdma-mapping.h"
#include "socket-util.h"
#include "stream.h"
#include "stream-fd.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(rdma_tenant_socket);

/* The tenants' per-vport listening sockets: one per RDMA vport, in a
 * directory that only ovs-rdmad's user can write to. */

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Returns the socket for 'vport', or NULL. */
struct tenant_socket *
rdma_tenant_find_socket(const struct rdma_tenant *t,
                        const char *vport)
{
    struct tenant_socket *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(vport, 0), &t->sockets) {
        if (!strcmp(s->vport, vport)) {
            return s;
        }
    }
    return NULL;
}

/* Closes socket 's' (which removes its file) and its connections. */
void
rdma_tenant_socket_destroy(struct rdma_tenant *t,
                           struct tenant_socket *s)
{
    struct tenant_conn *c;

    LIST_FOR_EACH_SAFE (c, node, &s->conns) {
        rdma_tenant_conn_destroy(t, c, false);
    }
    hmap_remove(&t->sockets, &s->node);
    ovs_list_remove(&s->rr_node);
    pstream_close(s->pstream);
    free(s->vport);
    free(s);
}

/* Returns true if 'name' can be a socket file name in 't''s directory. */
static bool
is_safe_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* Makes a stream for 'fd', a connection accepted on a tenant socket
 * (called by pstream_accept()). */
static int
accept_unix(int fd, const struct sockaddr_storage *ss OVS_UNUSED,
            size_t ss_len OVS_UNUSED, struct stream **streamp)
{
    static unsigned int next_idx;

    return new_fd_stream(xasprintf("unix#%u", next_idx++), fd, 0, AF_UNIX,
                         streamp);
}

/* Listens on 'name' ("punix:PATH", PATH absolute) as pstream_open() would,
 * but also stores the listening socket in '*fdp', so that the front end can
 * poll() all its sockets at once and call accept() only on those with a
 * connection waiting (an accept() that finds nothing still costs the kernel
 * a file).  Returns 0 or a positive errno value. */
static int
listen_unix(const char *name, struct pstream **pstreamp, int *fdp)
{
    char *path = abs_file_name(ovs_rundir(), name + 6);
    int fd, error;

    fd = make_unix_socket(SOCK_STREAM, true, path, NULL);
    if (fd < 0) {
        free(path);
        return -fd;
    }
    if (listen(fd, 64) < 0) {
        error = errno;
        close(fd);
        unlink(path);
        free(path);
        return error;
    }
    *fdp = fd;
    return new_fd_pstream(xstrdup(name), fd, accept_unix, path, pstreamp);
}

/* Opens the socket for 'vport', mode 0660, in the tenant group if any. */
static void
socket_create(struct rdma_tenant *t, const char *vport)
{
    struct tenant_socket *s;
    struct pstream *pstream;
    char *name;
    int error, fd = -1;

    if (!is_safe_name(vport)) {
        VLOG_WARN_RL(&rl, "vport %s: no tenant socket (the name cannot be "
                     "a file name)", vport);
        return;
    }
    name = xasprintf("punix:%s/%s.sock", t->dir, vport);
    error = listen_unix(name, &pstream, &fd);
    if (!error && (chmod(name + 6, 0660)
                   || (t->gid != (gid_t) -1
                       && chown(name + 6, -1, t->gid)))) {
        error = errno;
        pstream_close(pstream);
    }
    if (error) {
        VLOG_WARN_RL(&rl, "vport %s: cannot listen on %s (%s)", vport,
                     name + 6, ovs_strerror(error));
        free(name);
        return;
    }
    VLOG_INFO("vport %s: tenant socket %s", vport, name + 6);
    free(name);

    s = xzalloc(sizeof *s);
    s->vport = xstrdup(vport);
    s->pstream = pstream;
    s->fd = fd;
    ovs_list_init(&s->conns);
    hmap_insert(&t->sockets, &s->node, hash_string(vport, 0));
    ovs_list_push_back(&t->rr, &s->rr_node);
}

/* Makes sure that 'dir' is a directory that only this daemon's user can
 * write to, creating it (mode 0750, group 'gid' if not (gid_t) -1) if it
 * does not exist.  A directory that exists already must be owned by this
 * user, not be writable by its group or others, and not be a symbolic
 * link: anyone else able to write there could replace a tenant's socket
 * and answer its requests.  Returns 0, or a positive errno value after
 * storing a message in '*errorp' (caller frees). */
static int
check_dir(const char *dir, gid_t gid, char **errorp)
{
    struct stat st;

    *errorp = NULL;
    if (!mkdir(dir, 0750)) {
        /* mkdir() applied the umask, which may have removed more. */
        if (chmod(dir, 0750)
            || (gid != (gid_t) -1 && chown(dir, -1, gid))) {
            *errorp = xasprintf("%s: cannot set the mode or group of the "
                                "tenant socket directory (%s)", dir,
                                ovs_strerror(errno));
            return errno;
        }
    } else if (errno != EEXIST) {
        *errorp = xasprintf("%s: cannot create the tenant socket directory "
                            "(%s)", dir, ovs_strerror(errno));
        return errno;
    }
    if (lstat(dir, &st)) {
        *errorp = xasprintf("%s: %s", dir, ovs_strerror(errno));
        return errno;
    }
    if (S_ISLNK(st.st_mode)) {
        *errorp = xasprintf("%s: the tenant socket directory is a symbolic "
                            "link: refusing to use it (remove it, or give "
                            "--tenant-dir a real directory)", dir);
        return ELOOP;
    }
    if (!S_ISDIR(st.st_mode)) {
        *errorp = xasprintf("%s: not a directory: refusing to use it as the "
                            "tenant socket directory", dir);
        return ENOTDIR;
    }
    if (st.st_uid != geteuid()) {
        *errorp = xasprintf("%s: the tenant socket directory is owned by "
                            "uid %u, not by ovs-rdmad's user (uid %u): "
                            "refusing to use it (remove it and ovs-rdmad "
                            "creates its own)", dir, (unsigned) st.st_uid,
                            (unsigned) geteuid());
        return EPERM;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        *errorp = xasprintf("%s: the tenant socket directory is writable by "
                            "its group or by others (mode %04o): refusing "
                            "to use it (chmod go-w it, or remove it)", dir,
                            (unsigned) (st.st_mode & 07777));
        return EPERM;
    }
    if (gid != (gid_t) -1 && st.st_gid != gid && chown(dir, -1, gid)) {
        *errorp = xasprintf("%s: cannot give the tenant socket directory "
                            "group %u (%s)", dir, (unsigned) gid,
                            ovs_strerror(errno));
        return errno;
    }
    return 0;
}

/* Makes the sockets match the engine's RDMA vports. */
void
rdma_tenant_sync_sockets(struct rdma_tenant *t)
{
    const struct rdma_mapping *cfg = rdma_engine_get_config(t->engine);
    const struct rdma_map_vport *vp;
    struct tenant_socket *s;

    if (!t->dir_ok) {
        char *error;

        if (check_dir(t->dir, t->gid, &error)) {
            VLOG_ERR_RL(&rl, "%s; no tenant sockets until it is fixed",
                        error);
            free(error);
            return;
        }
        t->dir_ok = true;
    }
    HMAP_FOR_EACH_SAFE (s, node, &t->sockets) {
        if (!rdma_mapping_find_vport(cfg, s->vport)) {
            VLOG_INFO("vport %s: closing its tenant socket (no longer an "
                      "RDMA vport)", s->vport);
            rdma_tenant_socket_destroy(t, s);
        }
    }
    HMAP_FOR_EACH (vp, node, &cfg->vports) {
        if (!rdma_tenant_find_socket(t, vp->name)) {
            socket_create(t, vp->name);
        }
    }
    t->idl_seqno = rdma_engine_get_config_seqno(t->engine);
    t->synced = true;
}
