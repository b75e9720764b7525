# kernel-zero-touch.sh: guest-side shell functions for the zero-touch
# kernel-lane tests (tests/kernel-zero-touch.at).  Sourced after
# tests/kernel-lib.sh and tests/kernel-tc.sh, in the guest, once
# kl_topology has built the two namespace hosts.

# kzt_setup: br-int drops RoCEv2 on both hosts (ktc_vport), each tenant
# port names its rxe device (other_config:rdma-device), and ovs-rdmad runs
# with the tc provider and --bind-mode=zero-touch.  The listener's side is
# pre-bound on h2 for peer a on QP 1 (the GSI QP, which carries the
# connection manager's requests): before the first request arrives, no
# kernel object names the peer (Documentation/design.rst, "Zero-touch
# binding").
kzt_setup () {
    kl_modules cls_flower act_tunnel_key act_mirred act_gact
    ktc_vport h1 pa $kl_ip_a
    ktc_vport h2 pb $kl_ip_b
    kl_on h1 ovs-vsctl set interface pa other_config:rdma-device=$kl_rxe_a \
        || kl_fail "rdma-device on pa"
    kl_on h2 ovs-vsctl set interface pb other_config:rdma-device=$kl_rxe_b \
        || kl_fail "rdma-device on pb"
    kzt_rdmad h1
    kzt_rdmad h2
    kl_wait "the listener's side pre-bound on h2" \
        kl_on h2 ovs-appctl -t ovs-rdmad rdma/bind pb $kl_ip_a \
        dst_mac=$kl_mac_a qpn=1 cm_id=1
}

# kzt_rdmad HOST: starts ovs-rdmad on HOST (tc provider, zero-touch, a dump
# every 100 ms) and waits until it answers.
kzt_rdmad () {
    kl_on $1 sh -c 'ovs-rdmad --detach --no-chdir --pidfile --log-file \
        --provider=tc:offload=sw --bind-mode=zero-touch \
        --zero-touch-poll=100 --state-file=$OVS_RUNDIR/rdmad.state \
        unix:$OVS_RUNDIR/db.sock' || kl_fail "starting ovs-rdmad on $1"
    kl_wait "ovs-rdmad on $1" kl_on $1 ovs-appctl -t ovs-rdmad rdma-tc/stats \
        >/dev/null 2>&1
}

# kzt_bound HOST N [OP]: succeeds once HOST's ovs-rdmad holds N (or, with
# OP "-ge", at least N) connections bound by zero-touch, all installed.
kzt_bound () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/zero-touch-show >"$kl_dir/zt.$1" \
        2>&1 || return 1
    kzt_n=$(grep -c ' state=bound ' "$kl_dir/zt.$1")
    test $kzt_n ${3:--eq} $2 || return 1
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/show-qp-map >"$kl_dir/map.$1" \
        2>&1 || return 1
    test "$(grep -c "^cm_id=7205[0-9]* .* state=installed" "$kl_dir/map.$1")" \
        -eq $kzt_n
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

# kzt_polls_ge HOST N: succeeds once HOST's ovs-rdmad has read N dumps.
kzt_polls_ge () {
    test "$(kzt_polls $1)" -ge $2
}
