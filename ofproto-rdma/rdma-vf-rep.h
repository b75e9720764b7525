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

#ifndef RDMA_VF_REP_H
#define RDMA_VF_REP_H 1

/* The representor of an RDMA device's SR-IOV VF, for zero-touch binding.
 *
 * A container that gets a VF has the VF's RDMA device (e.g. mlx5_3) and
 * its netdev in its own network namespace; the OVS port is the VF's
 * representor netdev in the host's, with the NIC's eswitch in switchdev
 * mode.  The two share no link attribute; sysfs links them:
 *
 *   - /sys/class/infiniband/DEV/device is the RDMA device's PCI function;
 *     it is a VF if it has a "physfn" link (to its PF), and it is VF N of
 *     that PF if the PF's "virtfnN" link points to it;
 *
 *   - the PF's uplink representor is the PF's netdev (under its "net"
 *     directory) whose phys_port_name is "p<P>" (the devlink port's
 *     physical port number, which mlx5 sets to the same PF index as the
 *     pfnum of its VF ports); its phys_switch_id names the eswitch;
 *
 *   - the VF's representor is the netdev in /sys/class/net (ovs-rdmad's
 *     network namespace) on the same switch (equal phys_switch_id) whose
 *     phys_port_name is "pf<P>vf<N>", the kernel's devlink name of a PCI VF
 *     port of the local controller (devlink_port_attrs_pci_vf_set()).
 *
 * The sysfs root is /sys, or, for the autotests only, the directory in
 * the environment variable OVS_RDMA_TEST_SYSFS, a fake tree of the same
 * shape. */

/* What rdma_vf_rep_find() found. */
enum rdma_vf_rep_result {
    RDMA_VF_REP_NOT_VF,         /* The device is not on an SR-IOV VF. */
    RDMA_VF_REP_FOUND,          /* The VF's representor was found. */
    RDMA_VF_REP_FAILED,         /* A VF, but its representor was not
                                 * found. */
};

enum rdma_vf_rep_result rdma_vf_rep_find(const char *device, char **repp,
                                         char **whatp);

#endif /* rdma-vf-rep.h */
