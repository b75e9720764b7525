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

/* Which vport an RDMA device belongs to, for zero-touch binding: the
 * Interface that names it (other_config:rdma-device), which always wins,
 * or else the OVS port that is the representor of the device's SR-IOV VF
 * (rdma_vf_rep_find(), sysfs), or the veth peer of the device's netdev
 * (rdma_qp_source_device_peer()).  A device found automatically is given
 * to the engine as its vport's device (rdma_engine_set_auto_device()), so
 * that binds there are checked against its QPs as with the explicit
 * setting. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "rdma-engine.h"
#include "rdma-vf-rep.h"
#include "rdma-zero-touch-private.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(rdma_zt_devmap);

/* How often a device that could not be placed is looked for again, in
 * milliseconds. */
#define ZT_DEV_RETRY_MS 1000

/* Empties device table 'devs'. */
static void
zt_devs_clear(struct hmap *devs)
{
    struct zt_dev *d;

    HMAP_FOR_EACH_POP (d, node, devs) {
        free(d->device);
        free(d->iface);
        free(d->conflict);
        free(d->reason);
        free(d);
    }
}

/* Frees the device tables of 'zt'. */
void
zt_devs_destroy(struct rdma_zero_touch *zt)
{
    zt_devs_clear(&zt->devs);
    zt_devs_clear(&zt->auto_devs);
    hmap_destroy(&zt->devs);
    hmap_destroy(&zt->auto_devs);
    smap_destroy(&zt->ifaces);
    smap_destroy(&zt->iface_devices);
}

/* Returns the entry for 'device' in 'devs', or NULL. */
static struct zt_dev *
zt_devs_find(const struct hmap *devs, const char *device)
{
    struct zt_dev *d;

    HMAP_FOR_EACH_WITH_HASH (d, node, hash_string(device, 0), devs) {
        if (!strcmp(d->device, device)) {
            return d;
        }
    }
    return NULL;
}

/* Records that Interface 'iface' names RDMA device 'device' and whether it
 * is RDMA-enabled ('rdma').  For the database and for tests. */
void
rdma_zero_touch_set_device(struct rdma_zero_touch *zt, const char *device,
                           const char *iface, bool rdma)
{
    struct zt_dev *d = zt_devs_find(&zt->devs, device);

    if (d) {
        if (strcmp(d->iface, iface) && !d->conflict) {
            d->conflict = xstrdup(iface);
        }
    } else {
        d = xzalloc(sizeof *d);
        d->device = xstrdup(device);
        d->iface = xstrdup(iface);
        d->rdma = rdma;
        hmap_insert(&zt->devs, &d->node, hash_string(device, 0));
    }
    zt->devs_changed = true;
}

/* Rebuilds the device table from the database 'idl'. */
void
zt_read_devices(struct rdma_zero_touch *zt, const struct ovsdb_idl *idl)
{
    const struct ovsrec_interface *iface;

    zt_devs_clear(&zt->devs);
    zt_devs_clear(&zt->auto_devs);
    smap_clear(&zt->ifaces);
    smap_clear(&zt->iface_devices);
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        const char *device = smap_get(&iface->other_config, "rdma-device");

        smap_replace(&zt->ifaces, iface->name,
                     (smap_get_bool(&iface->other_config, "rdma", false)
                      ? "true" : "false"));
        if (device && device[0]) {
            smap_replace(&zt->iface_devices, iface->name, device);
            rdma_zero_touch_set_device(zt, device, iface->name,
                                       smap_get_bool(&iface->other_config,
                                                     "rdma", false));
        }
    }
    zt->devs_changed = true;
}

/* Returns the vport entry of RDMA device 'device' as last found (explicit,
 * or automatic and found), or NULL. */
const struct zt_dev *
zt_dev_get(const struct rdma_zero_touch *zt, const char *device)
{
    const struct zt_dev *d = zt_devs_find(&zt->devs, device);

    if (!d) {
        d = zt_devs_find(&zt->auto_devs, device);
        if (d && !d->iface) {
            d = NULL;
        }
    }
    return d;
}

/* Looks for the OVS port behind the RDMA device of 'cm' (see above) and
 * records the result in 'd'.  A device on an SR-IOV VF is looked up by
 * its representor only (its netdev is no veth); any other by its netdev's
 * veth peer. */
static void
zt_dev_auto(struct rdma_zero_touch *zt, const struct rdma_kcm *cm,
            struct zt_dev *d)
{
    enum rdma_vf_rep_result vf;
    const char *rdma, *other;
    char *peer = NULL, *what = NULL, *via;

    free(d->iface);
    free(d->reason);
    d->iface = NULL;
    d->reason = NULL;
    d->dev_index = cm->dev_index;
    d->seen = zt->n_dumps;
    /* (Looking costs a read of every netdev's sysfs attributes: a device
     * that stays unplaced is looked for again once a second, not at every
     * dump.  A database change looks again at once: zt_read_devices().) */
    d->retry_at = time_msec() + ZT_DEV_RETRY_MS;
    vf = rdma_vf_rep_find(cm->device, &peer, &what);
    if (vf == RDMA_VF_REP_FAILED) {
        d->reason = what;
        return;
    } else if (vf == RDMA_VF_REP_NOT_VF) {
        d->reason = rdma_qp_source_device_peer(cm->device, cm->pid, &peer);
        if (d->reason) {
            if (what) {
                char *reason = d->reason;

                d->reason = xasprintf("%s; %s", reason, what);
                free(reason);
            }
            free(what);
            return;
        }
        via = xasprintf("its netdev's veth peer %s", peer);
    } else {
        via = xasprintf("the representor %s of its %s", peer, what);
    }
    rdma = smap_get(&zt->ifaces, peer);
    other = smap_get(&zt->iface_devices, peer);
    if (!rdma) {
        d->reason = xasprintf("%s is not an OVS port", via);
    } else if (other) {
        d->reason = xasprintf("%s names RDMA device %s in "
                              "other_config:rdma-device, which wins",
                              via, other);
    } else {
        d->iface = peer;
        peer = NULL;
        d->rdma = !strcmp(rdma, "true");
        if (vf == RDMA_VF_REP_FOUND) {
            VLOG_INFO("RDMA device %s: %s, its representor is vport %s",
                      cm->device, what, d->iface);
        } else {
            VLOG_INFO("RDMA device %s: its netdev's veth peer is vport %s",
                      cm->device, d->iface);
        }
        if (d->rdma) {
            rdma_engine_set_auto_device(zt->engine, d->iface, cm->device);
        }
    }
    free(via);
    free(what);
    free(peer);
}

/* Returns the vport entry of the RDMA device of 'cm': the Interface that
 * names it, or else the one found behind it, if it is RDMA-enabled.  If
 * there is none, returns NULL and why in '*reasonp' (the caller frees
 * it). */
const struct zt_dev *
zt_dev_resolve(struct rdma_zero_touch *zt, const struct rdma_kcm *cm,
               char **reasonp)
{
    struct zt_dev *d = zt_devs_find(&zt->devs, cm->device);

    *reasonp = NULL;
    if (!d) {
        d = zt_devs_find(&zt->auto_devs, cm->device);
        if (!d) {
            d = xzalloc(sizeof *d);
            d->device = xstrdup(cm->device);
            d->automatic = true;
            hmap_insert(&zt->auto_devs, &d->node,
                        hash_string(cm->device, 0));
            zt_dev_auto(zt, cm, d);
        } else if (d->dev_index != cm->dev_index
                   || (!d->iface && d->seen != zt->n_dumps
                       && time_msec() >= d->retry_at)) {
            /* Another device of that name, or not found last time. */
            zt_dev_auto(zt, cm, d);
        }
        if (!d->iface) {
            *reasonp = xasprintf("unknown RDMA device %s: no Interface "
                                 "has other_config:rdma-device=%s and no "
                                 "OVS port was found behind it (%s): set "
                                 "it on the OVS port of the tenant's "
                                 "netdev, its veth peer or representor",
                                 cm->device, cm->device, d->reason);
            return NULL;
        }
    }
    if (d->conflict) {
        *reasonp = xasprintf("RDMA device %s is named by several "
                             "Interfaces (%s, %s): keep "
                             "other_config:rdma-device on one", cm->device,
                             d->iface, d->conflict);
        return NULL;
    }
    if (!d->rdma) {
        *reasonp = xasprintf("vport %s (RDMA device %s) is not "
                             "RDMA-enabled: set other_config:rdma=true on "
                             "its Interface", d->iface, cm->device);
        return NULL;
    }
    return d;
}
