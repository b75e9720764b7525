# kernel-pipeline.sh: guest-side shell functions for the pipeline
# resolver's kernel-lane tests (tests/kernel-pipeline.at).  Sourced after
# tests/kernel-lib.sh, in the guest, once kl_topology has built the two
# namespace hosts.

# kpl_flow_based TYPE VNI [GENEVE-OPTION]: makes tunnel "tun" on h1 and h2
# flow-based (options:remote_ip=flow, key=flow; Geneve with csum=true, as
# OVN's tunnels have), maps Geneve option class 0x102 type 0x80 (OVN's) to
# tun_metadata0, replaces br-int's NORMAL by kpl_flows' flows, and waits
# until tenant a reaches b again.
kpl_flow_based () {
    for kpl_h in h1 h2; do
        kl_on $kpl_h ovs-vsctl set interface tun options:remote_ip=flow \
            options:key=flow || kl_fail "flow-based tun on $kpl_h"
        if test $1 = geneve; then
            kl_on $kpl_h ovs-vsctl set interface tun options:csum=true \
                || kl_fail "csum on $kpl_h"
            kl_on $kpl_h ovs-ofctl add-tlv-map br-int \
                '{class=0x102,type=0x80,len=4}->tun_metadata0' \
                || kl_fail "TLV map on $kpl_h"
        fi
        kl_on $kpl_h ovs-ofctl del-flows br-int || kl_fail "del-flows"
    done
    kpl_flows "$@"
    kl_wait "tenant a to reach b over the flow-based tunnels" \
        ping -q -c 1 -W 1 -I $kl_ip_a $kl_ip_b >/dev/null
}

# kpl_flows TYPE VNI [GENEVE-OPTION]: on each host, br-int's flows send
# what its tenant port sends to the other host's VTEP (set_field ->tun_dst)
# with VNI (set_field ->tun_id) and, for Geneve, GENEVE-OPTION in
# tun_metadata0; what the tunnel receives goes to the tenant port.  The
# tenant's unicast to its peer has a rule of its own, matching both MACs,
# so that the datapath flow of a's packets to b shows them (as
# kernel_dp_tunnel expects).  Rules with the same match replace the old
# ones in place.
kpl_flows () {
    kpl_set="set_field:$2->tun_id"
    if test -n "${3:-}"; then
        kpl_set="$kpl_set,set_field:$3->tun_metadata0"
    fi
    kpl_one h1 pa $kl_vtep2 $kl_mac_a $kl_mac_b "$kpl_set"
    kpl_one h2 pb $kl_vtep1 $kl_mac_b $kl_mac_a "$kpl_set"
}

# kpl_one HOST PORT REMOTE-VTEP MAC PEER-MAC SET-ACTIONS: kpl_flows for one
# host.
kpl_one () {
    kpl_out="set_field:$3->tun_dst,$6,output:tun"
    printf '%s\n' \
        "priority=100,in_port=$2,dl_src=$4,dl_dst=$5,actions=$kpl_out" \
        "priority=50,in_port=$2,actions=$kpl_out" \
        "priority=50,in_port=tun,actions=output:$2" >"$kl_dir/$1.flows"
    kl_on $1 ovs-ofctl add-flows br-int "$kl_dir/$1.flows" \
        || kl_fail "flows on $1"
}

# kpl_ovn_central: OVN's northbound and southbound ovsdb-servers and
# ovn-northd in the initial namespace, on Unix sockets in /run/kl/ovn
# (which every namespace can reach), logs in ovn/ under the test's
# directory; defines kpl_nbctl and kpl_sbctl.
kpl_ovn_central () {
    mkdir -p /run/kl/ovn "$kl_dir/ovn" || kl_fail "mkdir ovn"
    for kpl_db in nb sb; do
        ovsdb-tool create /run/kl/ovn/$kpl_db.db \
            /usr/share/ovn/ovn-$kpl_db.ovsschema \
            || kl_fail "creating the OVN $kpl_db database"
        ovsdb-server --detach --no-chdir \
            --pidfile=/run/kl/ovn/$kpl_db.pid \
            --unixctl=/run/kl/ovn/$kpl_db.ctl \
            --log-file="$kl_dir/ovn/$kpl_db.log" \
            --remote=punix:/run/kl/ovn/$kpl_db.sock /run/kl/ovn/$kpl_db.db \
            || kl_fail "OVN $kpl_db ovsdb-server"
    done
    ovn-northd --detach --no-chdir --pidfile=/run/kl/ovn/northd.pid \
        --unixctl=/run/kl/ovn/northd.ctl \
        --log-file="$kl_dir/ovn/northd.log" \
        --ovnnb-db=unix:/run/kl/ovn/nb.sock \
        --ovnsb-db=unix:/run/kl/ovn/sb.sock || kl_fail "ovn-northd"
}
kpl_nbctl () { ovn-nbctl --db=unix:/run/kl/ovn/nb.sock "$@"; }
kpl_sbctl () { ovn-sbctl --db=unix:/run/kl/ovn/sb.sock "$@"; }

# kpl_ovn_chassis HOST VTEP-IP: makes namespace host HOST an OVN chassis
# ("chassis-HOST", Geneve from VTEP-IP): br-int on the kernel datapath,
# created here so that the tenant ports can join it at once, and an
# ovn-controller (in the same time namespace trick as ovs-vswitchd, see
# kl_host) that programs it.
kpl_ovn_chassis () {
    kl_on $1 ovs-vsctl add-br br-int -- set bridge br-int \
        datapath_type=system fail-mode=secure \
        other-config:disable-in-band=true \
        -- set open . external_ids:system-id=chassis-$1 \
        external_ids:ovn-remote=unix:/run/kl/ovn/sb.sock \
        external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip=$2 \
        external_ids:ovn-bridge-datapath-type=system \
        || kl_fail "OVN settings on $1"
    kl_on $1 env OVN_RUNDIR=/run/kl/$1 OVN_LOGDIR="$kl_dir/$1" \
        unshare --time --monotonic 100 --fork \
        ovn-controller --detach --no-chdir --pidfile --log-file \
        unix:/run/kl/$1/db.sock 2>>"$kl_dir/$1/start.err" \
        || kl_fail "ovn-controller on $1"
}

# kpl_ovn_topology: the kernel lane's two hosts and two rxe tenants (see
# tests/kernel-lib.sh) under a real OVN: logical switch ls1 with logical
# ports lp1 (tenant a, on h1's pa) and lp2 (tenant b, on h2's pb), Geneve
# between the chassis, and a to-lport ACL that drops RoCEv2 (UDP 4791): OVN
# runs a logical port's egress pipeline on the chassis that holds it, so
# OVS carries RoCE through the sending host and the tunnel and drops it at
# the receiving one.  Waits until a reaches b across OVN.
kpl_ovn_topology () {
    kl_modules veth openvswitch rdma_rxe rdma_ucm ib_uverbs geneve
    kl_host h1 & kl_p1=$!
    kl_host h2 & kl_p2=$!
    wait $kl_p1 || kl_fail "host h1"
    wait $kl_p2 || kl_fail "host h2"
    kl_underlay direct
    kpl_ovn_central
    kpl_ovn_chassis h1 $kl_vtep1
    kpl_ovn_chassis h2 $kl_vtep2
    kl_ip_a=10.0.0.1 kl_mac_a=02:00:00:00:00:0a kl_rxe_a=rxe_a
    kl_ip_b=10.0.0.2 kl_mac_b=02:00:00:00:00:0b kl_rxe_b=rxe_b
    kpl_nbctl ls-add ls1 \
        -- lsp-add ls1 lp1 -- lsp-set-addresses lp1 "$kl_mac_a $kl_ip_a" \
        -- lsp-add ls1 lp2 -- lsp-set-addresses lp2 "$kl_mac_b $kl_ip_b" \
        || kl_fail "OVN logical switch"
    kpl_nbctl acl-add ls1 to-lport 1000 'udp.dst == 4791' drop \
        || kl_fail "OVN ACL"
    kl_policy_init
    kl_tenant a 1 $kl_ip_a $kl_mac_a h1
    kl_tenant b 2 $kl_ip_b $kl_mac_b h2
    kl_tenant_route 1 $kl_ip_b
    kl_tenant_route 2 $kl_ip_a
    kl_on h1 ovs-vsctl set interface pa external_ids:iface-id=lp1 \
        || kl_fail "iface-id lp1"
    kl_on h2 ovs-vsctl set interface pb external_ids:iface-id=lp2 \
        || kl_fail "iface-id lp2"
    KL_TIMEOUT=120 kl_wait "tenant a to reach b across OVN" \
        ping -q -c 1 -W 1 -I $kl_ip_a $kl_ip_b >/dev/null
}

# kpl_udp_4791 COUNT: sends COUNT ordinary UDP datagrams from tenant a to b,
# port 4791 (not RoCE: no ovs-rdmad binding covers them).
kpl_udp_4791 () {
    for kpl_i in $(seq $1); do
        bash -c "echo not-roce >/dev/udp/$kl_ip_b/4791" \
            || kl_fail "sending UDP to 4791"
    done
}

# kpl_resolve_b NAME: like kl_resolve, for h2's tenant b toward a.
kpl_resolve_b () {
    kl_on h2 ovs-appctl -t ovs-rdmad rdma/resolve pb $kl_ip_a \
        dst_mac=$kl_mac_a >"$kl_dir/$1-resolve.out" 2>&1 \
    && grep -q state=ready "$kl_dir/$1-resolve.out"
}
