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
