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

/* The representor of an RDMA device's SR-IOV VF, found in sysfs
 * (rdma-vf-rep.h). */

#include <config.h>

#include "rdma-vf-rep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "util.h"

/* Largest length of a sysfs attribute that is read, with its NUL. */
#define VF_ATTR_MAX 128

/* Returns the sysfs root: /sys, or the autotests' fake tree named by
 * OVS_RDMA_TEST_SYSFS.  (Only root can set a daemon's environment, and it
 * can write /sys as well: the variable gives nobody anything new.) */
static const char *
rdma_vf_rep_sysfs_root(void)
{
    const char *root = getenv("OVS_RDMA_TEST_SYSFS");

    return root && root[0] ? root : "/sys";
}

/* Reads the sysfs attribute at 'path' into 'buf' (of VF_ATTR_MAX bytes),
 * without its trailing white space.  Returns 0 or a positive errno value
 * (EOPNOTSUPP: the netdev does not have it). */
static int
vf_read_attr(const char *path, char buf[VF_ATTR_MAX])
{
    ssize_t n;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    n = read(fd, buf, VF_ATTR_MAX - 1);
    if (n < 0) {
        int error = errno;

        close(fd);
        return error;
    }
    close(fd);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
        n--;
    }
    buf[n] = '\0';
    return n ? 0 : ENODATA;
}

/* Returns the last component of the target of symlink 'path' (the caller
 * frees it), or NULL if 'path' is no symlink. */
static char *
vf_link_base(const char *path)
{
    char target[PATH_MAX];
    const char *slash;
    ssize_t n;

    n = readlink(path, target, sizeof target - 1);
    if (n <= 0) {
        return NULL;
    }
    target[n] = '\0';
    slash = strrchr(target, '/');
    return xstrdup(slash ? slash + 1 : target);
}

/* Returns true if 's' is "<prefix><decimal>" and stores the number in
 * '*np'. */
static bool
vf_parse_numbered(const char *s, const char *prefix, unsigned int *np)
{
    size_t len = strlen(prefix);
    const char *p = s + len;
    unsigned long n;
    char *end;

    if (strncmp(s, prefix, len) || *p < '0' || *p > '9') {
        return false;
    }
    errno = 0;
    n = strtoul(p, &end, 10);
    if (*end || errno || n > UINT_MAX) {
        return false;
    }
    *np = n;
    return true;
}

/* Finds the index of VF 'vf' among the "virtfnN" links of its PF's
 * directory 'pf_dir'.  Returns true if found, with it in '*np'. */
static bool
vf_find_index(const char *pf_dir, const char *vf, unsigned int *np)
{
    DIR *dir = opendir(pf_dir);
    struct dirent *de;
    bool found = false;

    if (!dir) {
        return false;
    }
    while (!found && (de = readdir(dir)) != NULL) {
        unsigned int n;

        if (vf_parse_numbered(de->d_name, "virtfn", &n)) {
            char *path = xasprintf("%s/%s", pf_dir, de->d_name);
            char *base = vf_link_base(path);

            if (base && !strcmp(base, vf)) {
                *np = n;
                found = true;
            }
            free(base);
            free(path);
        }
    }
    closedir(dir);
    return found;
}

/* The uplink representor of a PF. */
struct vf_uplink {
    char *name;                 /* Its netdev. */
    unsigned int port;          /* P of its phys_port_name "p<P>". */
    char switch_id[VF_ATTR_MAX]; /* Its phys_switch_id. */
};

/* Finds the uplink representor among the netdevs of PF 'pf' (directory
 * 'pf_dir') into '*up'.  Returns NULL, or why not (the caller frees
 * it). */
static char *
vf_find_uplink(const char *pf_dir, const char *pf, struct vf_uplink *up)
{
    char *net_dir = xasprintf("%s/net", pf_dir);
    DIR *dir = opendir(net_dir);
    struct ds names = DS_EMPTY_INITIALIZER;
    struct dirent *de;
    char *error = NULL;

    memset(up, 0, sizeof *up);
    while (dir && !up->name && (de = readdir(dir)) != NULL) {
        char buf[VF_ATTR_MAX];
        char *path;

        if (de->d_name[0] == '.') {
            continue;
        }
        ds_put_format(&names, "%s%s", names.length ? ", " : "", de->d_name);
        path = xasprintf("%s/%s/phys_port_name", net_dir, de->d_name);
        if (!vf_read_attr(path, buf)
            && vf_parse_numbered(buf, "p", &up->port)) {
            up->name = xstrdup(de->d_name);
        }
        free(path);
    }
    if (dir) {
        closedir(dir);
    }
    if (!up->name) {
        error = (names.length
                 ? xasprintf("PF %s is not in switchdev mode: none of its "
                             "netdevs (%s) has a phys_port_name p<N> (its "
                             "uplink representor's)", pf, ds_cstr(&names))
                 : xasprintf("PF %s has no netdev in ovs-rdmad's network "
                             "namespace", pf));
    } else {
        char *path = xasprintf("%s/%s/phys_switch_id", net_dir, up->name);
        int err = vf_read_attr(path, up->switch_id);

        if (err) {
            error = xasprintf("uplink %s of PF %s has no phys_switch_id "
                              "(%s)", up->name, pf, ovs_strerror(err));
        }
        free(path);
    }
    ds_destroy(&names);
    free(net_dir);
    return error;
}

/* Finds the netdev in the sysfs root's class/net whose phys_switch_id is
 * 'switch_id' and whose phys_port_name is 'port_name'.  Returns NULL and
 * its name in '*repp', or why not (the caller frees it). */
static char *
vf_find_rep(const char *switch_id, const char *port_name, char **repp)
{
    char *net_dir = xasprintf("%s/class/net", rdma_vf_rep_sysfs_root());
    DIR *dir = opendir(net_dir);
    struct ds found = DS_EMPTY_INITIALIZER;
    struct dirent *de;
    size_t n = 0;
    char *error;

    *repp = NULL;
    if (!dir) {
        error = xasprintf("cannot read %s (%s)", net_dir,
                          ovs_strerror(errno));
        free(net_dir);
        return error;
    }
    while ((de = readdir(dir)) != NULL) {
        char buf[VF_ATTR_MAX];
        char *path;
        bool match;

        if (de->d_name[0] == '.') {
            continue;
        }
        path = xasprintf("%s/%s/phys_port_name", net_dir, de->d_name);
        match = !vf_read_attr(path, buf) && !strcmp(buf, port_name);
        free(path);
        if (match) {
            path = xasprintf("%s/%s/phys_switch_id", net_dir, de->d_name);
            match = !vf_read_attr(path, buf) && !strcmp(buf, switch_id);
            free(path);
        }
        if (match) {
            ds_put_format(&found, "%s%s", n++ ? ", " : "", de->d_name);
            if (!*repp) {
                *repp = xstrdup(de->d_name);
            }
        }
    }
    closedir(dir);
    free(net_dir);

    error = NULL;
    if (!n) {
        error = xasprintf("no netdev with phys_port_name %s on switch %s "
                          "in ovs-rdmad's network namespace (is the "
                          "representor in another namespace?)", port_name,
                          switch_id);
    } else if (n > 1) {
        error = xasprintf("several netdevs (%s) have phys_port_name %s on "
                          "switch %s", ds_cstr(&found), port_name,
                          switch_id);
        free(*repp);
        *repp = NULL;
    }
    ds_destroy(&found);
    return error;
}

/* Looks for the representor of the SR-IOV VF that RDMA device 'device'
 * sits on (see rdma-vf-rep.h), in sysfs:
 *
 *   - RDMA_VF_REP_FOUND: stores its netdev's name in '*repp' and "VF N of
 *     PF BDF" in '*whatp';
 *
 *   - RDMA_VF_REP_FAILED: the device is on a VF but no single representor
 *     was found; stores why in '*whatp';
 *
 *   - RDMA_VF_REP_NOT_VF: the device is not on a VF; stores in '*whatp'
 *     why, if it is on a PCI function, or NULL if it has none (a software
 *     device such as rxe, or one this namespace's sysfs does not show).
 *
 * The caller frees '*repp' and '*whatp'. */
enum rdma_vf_rep_result
rdma_vf_rep_find(const char *device, char **repp, char **whatp)
{
    enum rdma_vf_rep_result result = RDMA_VF_REP_FAILED;
    char *dev_dir, *pf_dir, *path, *fn, *subsystem, *pf = NULL;
    struct vf_uplink up;
    unsigned int vf_index;
    char *port_name;

    *repp = NULL;
    *whatp = NULL;
    if (!device[0] || strchr(device, '/') || device[0] == '.') {
        return RDMA_VF_REP_NOT_VF;
    }
    dev_dir = xasprintf("%s/class/infiniband/%s/device",
                        rdma_vf_rep_sysfs_root(), device);
    pf_dir = xasprintf("%s/physfn", dev_dir);
    fn = vf_link_base(dev_dir);
    path = xasprintf("%s/subsystem", dev_dir);
    subsystem = vf_link_base(path);
    free(path);
    if (!fn || !subsystem || strcmp(subsystem, "pci")) {
        result = RDMA_VF_REP_NOT_VF;
        goto out;
    }
    pf = vf_link_base(pf_dir);
    if (!pf) {
        *whatp = xasprintf("its PCI function %s is not an SR-IOV VF (it has "
                           "no physfn)", fn);
        result = RDMA_VF_REP_NOT_VF;
        goto out;
    }
    if (!vf_find_index(pf_dir, fn, &vf_index)) {
        *whatp = xasprintf("its PCI function %s is a VF of PF %s but none "
                           "of the PF's virtfn links names it", fn, pf);
        goto out;
    }
    *whatp = vf_find_uplink(pf_dir, pf, &up);
    if (*whatp) {
        char *why = *whatp;

        *whatp = xasprintf("VF %u of PF %s: %s", vf_index, pf, why);
        free(why);
        goto out;
    }
    port_name = xasprintf("pf%uvf%u", up.port, vf_index);
    *whatp = vf_find_rep(up.switch_id, port_name, repp);
    if (*whatp) {
        char *why = *whatp;

        *whatp = xasprintf("VF %u of PF %s: %s", vf_index, pf, why);
        free(why);
    } else {
        *whatp = xasprintf("VF %u of PF %s", vf_index, pf);
        result = RDMA_VF_REP_FOUND;
    }
    free(port_name);
    free(up.name);

out:
    free(pf);
    free(subsystem);
    free(fn);
    free(pf_dir);
    free(dev_dir);
    return result;
}
