# kernel-zero-touch.sh: guest-side shell functions for the zero-touch
# kernel-lane tests (tests/kernel-zero-touch.at).  Sourced after
# tests/kernel-lib.sh and tests/kernel-tc.sh, in the guest, once
# kl_topology has built the two namespace hosts.

# kzt_setup: br-int drops RoCEv2 on both hosts (ktc_vport), and ovs-rdmad
# runs with the tc provider and --bind-mode=zero-touch.  h1's tenant port
# names its rxe device (other_config:rdma-device); h2's does not: h2 finds
# rxe_b behind pb, the veth peer of its netdev tb.  Nothing is pre-bound:
# a listener's peers are bound on the GSI QP from the neighbour table
# (Documentation/design.rst, "Zero-touch binding").
#
# tracefs is mounted outside /sys: "ip netns exec" (kl_on) gives each host
# a /sys of its own without it, and ovs-rdmad finds any tracefs mount of
# its mount namespace (the rdma_cma tracepoints wake it: rdma-zt-wake.c).
kzt_setup () {
    kl_modules cls_flower act_tunnel_key act_mirred act_gact
    mkdir -p /run/kzt-tracefs
    mountpoint -q /run/kzt-tracefs ||
        mount -t tracefs nodev /run/kzt-tracefs || kl_fail "mount tracefs"
    ktc_vport h1 pa $kl_ip_a
    ktc_vport h2 pb $kl_ip_b
    kl_on h1 ovs-vsctl set interface pa other_config:rdma-device=$kl_rxe_a \
        || kl_fail "rdma-device on pa"
    kzt_rdmad h1
    kzt_rdmad h2
}

# kzt_listening HOST DEVICE PEER: succeeds once HOST's ovs-rdmad bound a
# listener on DEVICE to PEER (the GSI QP binding, installed).
kzt_listening () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/zero-touch-show 2>/dev/null \
        | grep -q "^$2/listener .* -> $3:0 qpn=1 .* state=bound " &&
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/show-qp-map 2>/dev/null \
        | grep -q "^cm_id=7205[0-9]* qpn=1 .* state=installed"
}

# kzt_roce_drops HOST: prints how many RoCEv2 packets HOST's br-int dropped
# (ktc_vport's OpenFlow rule).
kzt_roce_drops () {
    kl_on $1 ovs-ofctl dump-flows br-int udp,tp_dst=4791 \
        | sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p'
}

# kzt_rdmad HOST: starts ovs-rdmad on HOST (tc provider, zero-touch, a dump
# every 100 ms, or every 1 s when the tracepoints wake it; options
# $KZT_RDMAD_OPTS too, e.g. --zero-touch-wake=poll) and waits until it
# answers.
kzt_rdmad () {
    kl_on $1 sh -c 'ovs-rdmad --detach --no-chdir --pidfile --log-file \
        --provider=tc:offload=sw --bind-mode=zero-touch \
        --zero-touch-poll=100 --state-file=$OVS_RUNDIR/rdmad.state \
        '"$KZT_RDMAD_OPTS"' unix:$OVS_RUNDIR/db.sock' ||
        kl_fail "starting ovs-rdmad on $1"
    kl_wait "ovs-rdmad on $1" kl_on $1 ovs-appctl -t ovs-rdmad rdma-tc/stats \
        >/dev/null 2>&1
}

# kzt_bound HOST N [OP]: succeeds once HOST's ovs-rdmad holds N (or, with
# OP "-ge", at least N) connections bound by zero-touch (listeners' peers
# and the GSI bindings of cm_ids without a QP yet not counted), and every
# zero-touch binding, listeners' too, installed.
kzt_bound () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/zero-touch-show >"$kl_dir/zt.$1" \
        2>&1 || return 1
    kzt_n=$(grep ' state=bound ' "$kl_dir/zt.$1" |
            grep -vc '/listener \|/gsi ')
    kzt_all=$(grep -c ' state=bound ' "$kl_dir/zt.$1")
    test $kzt_n ${3:--eq} $2 || return 1
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/show-qp-map >"$kl_dir/map.$1" \
        2>&1 || return 1
    test "$(grep -c "^cm_id=7205[0-9]* .* state=installed" "$kl_dir/map.$1")" \
        -eq $kzt_all
}

# kzt_not_bound HOST PATTERN: succeeds once HOST's show-qp-map lists a
# kernel connection not bound, whose line matches PATTERN.
kzt_not_bound () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/show-qp-map 2>/dev/null \
        | grep '^kernel ' | grep -q "$2"
}

# kzt_snapshot NAME: saves the kernel's cm_ids and QPs and both hosts' QP
# maps (JSON) and zero-touch tables into NAME.*.
kzt_snapshot () {
    rdma -j res show cm_id >"$kl_dir/$1.cm_id.json" 2>&1
    rdma -j res show qp >"$kl_dir/$1.qp.json" 2>&1
    for kzt_h in h1 h2; do
        kl_on $kzt_h ovs-appctl -t ovs-rdmad rdma/show-qp-map --json \
            >"$kl_dir/$1.$kzt_h.json" 2>&1
        kl_on $kzt_h ovs-appctl -t ovs-rdmad rdma/zero-touch-show \
            >"$kl_dir/$1.$kzt_h.zt" 2>&1
    done
}

# kzt_cpu HOST: prints ovs-rdmad's CPU time on HOST so far, in clock ticks.
kzt_cpu () {
    awk '{print $14 + $15}' /proc/$(cat /run/kl/$1/ovs-rdmad.pid)/stat
}

# kzt_polls HOST: prints how many dumps HOST's ovs-rdmad has read.
kzt_polls () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/zero-touch-show \
        | sed -n 's/.* ms, \([0-9]*\) polls.*/\1/p'
}

# kzt_idle_done T0 P0: succeeds once 20 s have passed since time T0 (s)
# and h1's ovs-rdmad has read at least 5 dumps since it had read P0: the
# window of the idle-cost measurement.
kzt_idle_done () {
    test $(($(date +%s) - $1)) -ge 20 && kzt_polls_ge h1 $(($2 + 5))
}

# kzt_polls_ge HOST N: succeeds once HOST's ovs-rdmad has read N dumps.
kzt_polls_ge () {
    test "$(kzt_polls $1)" -ge $2
}
