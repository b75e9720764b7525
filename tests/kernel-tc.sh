# kernel-tc.sh: guest-side shell functions for the tc provider's kernel-lane
# tests (tests/kernel-tc.at).  Sourced after tests/kernel-lib.sh, in the
# guest, once kl_topology has built the two namespace hosts.
#
# ktc_setup [PROVIDER]: loads the tc modules; on both hosts drops RoCEv2
# (UDP 4791) in br-int with an OpenFlow rule, so that only ovs-rdmad's tc
# rules can carry it, makes the tenant ports RDMA vports and starts
# ovs-rdmad with PROVIDER (default tc:offload=sw; a guest has no NIC that
# could offload).  Then tenant b, as a listener does under the tc
# provider, binds its side for peer a through its own tenant socket
# (ktc_tenant_bind): a connection request reaches a vport only through a
# receive rule, and the preload shim binds the listener's connection only
# at rdma_accept(), after the request has arrived.
ktc_setup () {
    ktc_provider=${1:-tc:offload=sw}
    kl_modules cls_flower act_tunnel_key act_mirred act_gact
    ktc_vport h1 pa $kl_ip_a
    ktc_vport h2 pb $kl_ip_b
    ktc_rdmad h1
    ktc_rdmad h2
    ktc_tenant_bind h2 pb $kl_ip_a $kl_mac_a prebind.out
}

# ktc_tenant_bind HOST PORT PEER-IP PEER-MAC OUT: the tenant of PORT binds
# its side of connections with PEER through its tenant socket (as
# ovs-rdma-client, persistent: it outlives the client), the reply in OUT.
ktc_tenant_bind () {
    "$abs_top_builddir/utilities/ovs-rdma-client" \
        --socket="/run/kl/$1/ovs-rdmad/$2.sock" bind $3 dst_mac=$4 \
        >"$kl_dir/$5" 2>&1 \
        || kl_fail "tenant $2 binding for $3 on $1: $(cat "$kl_dir/$5")"
}

# ktc_vport HOST PORT IP: PORT becomes an RDMA vport with inner IP; br-int
# drops UDP 4791.
ktc_vport () {
    kl_on $1 ovs-vsctl set interface $2 other_config:rdma=true \
        other_config:rdma-ip=$3 || kl_fail "rdma on $2"
    kl_on $1 ovs-ofctl add-flow br-int \
        priority=1000,udp,tp_dst=4791,actions=drop \
        || kl_fail "OpenFlow drop rule on $1"
}

# ktc_rdmad HOST: starts ovs-rdmad on HOST with $ktc_provider and waits until
# it answers.
ktc_rdmad () {
    kl_on $1 sh -c 'ovs-rdmad --detach --no-chdir --pidfile --log-file \
        --provider=$0 --state-file=$OVS_RUNDIR/rdmad.state \
        unix:$OVS_RUNDIR/db.sock' "$ktc_provider" \
        || kl_fail "starting ovs-rdmad on $1"
    kl_wait "ovs-rdmad on $1" kl_on $1 ovs-appctl -t ovs-rdmad rdma-tc/stats \
        >/dev/null 2>&1
    kl_wait "the tenant socket on $1" sh -c "ls /run/kl/$1/ovs-rdmad/*.sock \
        >/dev/null 2>&1"
}

# ktc_cold_neighbours: empties both hosts' neighbour caches on the underlay
# (u1, u2): neither VTEP knows the other's MAC until traffic resolves it.
# The tenants' ARP entries for each other become permanent first, so that
# no ARP of theirs crosses the overlay and warms the underlay's again.
ktc_cold_neighbours () {
    kl_run ip neigh replace $kl_ip_b lladdr $kl_mac_b dev ta nud permanent
    kl_run ip neigh replace $kl_ip_a lladdr $kl_mac_a dev tb nud permanent
    kl_wait "cold neighbour caches on the underlay" sh -c '
        ip -n h1 neigh flush dev u1; ip -n h2 neigh flush dev u2
        ! ip -n h1 neigh show dev u1 | grep -q lladdr &&
        ! ip -n h2 neigh show dev u2 | grep -q lladdr'
}

# ktc_sw_csum: computes the underlay's checksums in software (veth offloads
# them by default, and a capture would show a partial outer UDP checksum).
ktc_sw_csum () {
    kl_run ip netns exec h1 ethtool -K u1 tx off >/dev/null
    kl_run ip netns exec h2 ethtool -K u2 tx off >/dev/null
}

# ktc_shim HOST PORT COMMAND...: runs COMMAND as tenant of PORT on HOST,
# through the preload shim.
ktc_shim () {
    ktc_h=$1 ktc_p=$2
    shift 2
    OVS_RDMA_SOCKET="$(kl_on $ktc_h sh -c 'echo $OVS_RUNDIR')/ovs-rdmad/$ktc_p.sock" \
    LD_PRELOAD="$abs_top_builddir/lib/.libs/librdmaovl-preload.so" "$@"
}

# ktc_rping: rping from tenant a to b, 10 iterations, through the shim.
ktc_rping () {
    kl_bg rping-s ktc_shim h2 pb rping -s -a $kl_ip_b -C 10 -v
    ktc_spid=$kl_pid
    kl_wait "rping server listening" kl_cm_listening 7174
    ktc_shim h1 pa rping -c -a $kl_ip_b -I $kl_ip_a -C 10 -v \
        >"$kl_dir/rping-c.out" 2>"$kl_dir/rping-c.err" \
        || kl_fail "rping client: $(cat "$kl_dir/rping-c.err")"
    wait $ktc_spid || kl_fail "rping server: $(cat "$kl_dir/rping-s.err")"
}

# ktc_dump NAME: saves both hosts' QP maps (JSON), the provider's counters,
# the tc rules and br-int's OpenFlow table into NAME.*.
ktc_dump () {
    for ktc_h in h1 h2; do
        kl_on $ktc_h ovs-appctl -t ovs-rdmad rdma/show-qp-map --json \
            >"$kl_dir/$1.$ktc_h.json" 2>&1
        kl_on $ktc_h ovs-appctl -t ovs-rdmad rdma-tc/stats \
            >"$kl_dir/$1.$ktc_h.stats" 2>&1
        for ktc_d in p${ktc_h#h} pa pb vxlan_sys_4789 genev_sys_6081; do
            ip -n $ktc_h link show $ktc_d >/dev/null 2>&1 || continue
            echo "== $ktc_d"
            tc -n $ktc_h -s filter show dev $ktc_d ingress
        done >"$kl_dir/$1.$ktc_h.tc" 2>&1
        kl_on $ktc_h ovs-ofctl dump-flows br-int \
            >"$kl_dir/$1.$ktc_h.flows" 2>&1
    done
}

# ktc_capture_start: captures the underlay (u1 in h1) into underlay.pcap.
ktc_capture_start () {
    ip netns exec h1 dumpcap -q -P -i u1 -f udp -w "$kl_dir/underlay.pcap" \
        >/dev/null 2>"$kl_dir/dumpcap.err" &
    ktc_dumpcap=$!
    # dumpcap is slow to start in a TCG guest on a loaded host.
    (KL_TIMEOUT=120; kl_wait "dumpcap started" \
        grep -q Capturing "$kl_dir/dumpcap.err") || exit 1
}

# ktc_capture_stop: ends the capture, once the last block is written.
ktc_capture_stop () {
    sleep 1.5
    kill $ktc_dumpcap
    wait $ktc_dumpcap 2>/dev/null
}

# ktc_save: copies both daemons' state files (every bind and update, with
# the QPNs) into the test's directory as h1.state and h2.state.
ktc_save () {
    for ktc_h in h1 h2; do
        kl_on $ktc_h sh -c 'cat $OVS_RUNDIR/rdmad.state' \
            >"$kl_dir/$ktc_h.state" 2>/dev/null
    done
}

# ktc_forge VNI: sends from h1's underlay port one VXLAN frame with VNI to
# h2's VTEP, around a RoCEv2 SEND from tenant a to tenant b (QP 0x11).
ktc_forge () {
    ip netns exec h1 /usr/bin/python3 - "$1" \
        "$(ip -n h1 -br link show u1 | awk '{print $3}')" \
        "$(ip -n h2 -br link show u2 | awk '{print $3}')" \
        $kl_vtep1 $kl_vtep2 $kl_mac_a $kl_mac_b $kl_ip_a $kl_ip_b <<'PY' \
        || kl_fail "forging a frame"
import socket, struct, sys
vni, smac, dmac, vsrc, vdst, imac_s, imac_d, isrc, idst = sys.argv[1:]
mac = lambda m: bytes.fromhex(m.replace(':', ''))
ip4 = socket.inet_aton
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ipv4(src, dst, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, 17, 0, ip4(src), ip4(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload
def udp(sport, dport, payload):
    return struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
bth = struct.pack('!BBHII', 0x04, 0x40, 0xffff, 0x11, 0) + b'forged!!' + bytes(4)
inner = mac(imac_d) + mac(imac_s) + b'\x08\x00' + ipv4(isrc, idst, udp(50001, 4791, bth))
vxlan = struct.pack('!II', 0x08000000, int(vni) << 8) + inner
frame = mac(dmac) + mac(smac) + b'\x08\x00' + ipv4(vsrc, vdst, udp(50000, 4789, vxlan))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('u1', 0))
s.send(frame)
PY
}

# ktc_bw_start N: starts ib_send_bw -R -n N between the tenants through the
# shim (server on b, client on a); waits until the client's QP is in RTS.
ktc_bw_start () {
    kl_bg bw-s ktc_shim h2 pb ib_send_bw -R -F -d rxe_b -n $1
    ktc_bws=$kl_pid
    kl_wait "ib_send_bw listening" kl_cm_listening 18515
    kl_bg bw-c ktc_shim h1 pa ib_send_bw -R -F -d rxe_a -n $1 $kl_ip_b
    ktc_bwc=$kl_pid
    kl_wait "ib_send_bw connected" ktc_rts 2
}

# ktc_rts N: succeeds once N RC QPs are in RTS.
ktc_rts () {
    test "$(rdma res show qp 2>/dev/null | grep -c 'type RC.*state RTS')" \
        -ge $1
}

# ktc_bw_wait: waits for ib_send_bw to complete on both sides.  Under TCG,
# perftest may fail to calibrate its clock ("Correlation coefficient r^2"),
# which it finds out only after the transfer, when it reports ("Can't
# produce a report"): that counts as completed.
ktc_bw_wait () {
    wait $ktc_bwc || grep -q "Can't produce a report" "$kl_dir/bw-c.err" \
        || kl_fail "ib_send_bw client: $(cat "$kl_dir/bw-c.err")"
    wait $ktc_bws || grep -q "Can't produce a report" "$kl_dir/bw-s.err" \
        || kl_fail "ib_send_bw server: $(cat "$kl_dir/bw-s.err")"
}

# ktc_rxe_stats NAME: saves both rxe devices' counters into NAME.rxe.
ktc_rxe_stats () {
    rdma statistic show >"$kl_dir/$1.rxe" 2>&1
}

# The fault matrix (tests/kernel-tc.at, "tc - kill -9 ..."): ovs-rdmad on h1
# under fault injection, bindings of vport pa made by the admin, their
# confirmations in $kl_dir/confirmed.

# ktc_fault_start NAME: starts ovs-rdmad on h1 with fault injection and the
# NIC operations logged, its log in h1/rdmad-NAME.log.
ktc_fault_start () {
    kl_on h1 sh -c 'ovs-rdmad --detach --no-chdir --pidfile \
        --log-file=$OVS_LOGDIR/rdmad-$0.log -vrdma_nic:file:dbg \
        --enable-fault-injection --underlay-poll=200 \
        --provider=tc:offload=sw --state-file=$OVS_RUNDIR/rdmad.state \
        unix:$OVS_RUNDIR/db.sock' "$1" \
        || kl_fail "starting ovs-rdmad ($1)"
    kl_wait "ovs-rdmad ($1)" kl_on h1 ovs-appctl -t ovs-rdmad rdma-tc/stats \
        >/dev/null 2>&1
}

# ktc_fault_bind ID: binds cm_id ID (qpn ID) of pa to peer 10.0.0.(100+ID);
# records ID in "confirmed" if the bind is confirmed.
ktc_fault_bind () {
    kl_on h1 ovs-appctl --timeout=20 -t ovs-rdmad rdma/bind pa \
        10.0.0.$((100 + $1)) dst_mac=02:00:00:00:01:$(printf %02x $1) \
        cm_id=$1 qpn=$1 >/dev/null 2>>"$kl_dir/bind.err" \
        && echo $1 >>"$kl_dir/confirmed"
}

# ktc_fault_unbind ID: unbinds cm_id ID, which leaves "confirmed" as soon as
# it is asked for (from then on either outcome is right).
ktc_fault_unbind () {
    sed -i "/^$1\$/d" "$kl_dir/confirmed"
    kl_on h1 ovs-appctl --timeout=20 -t ovs-rdmad rdma/unbind $1 \
        >/dev/null 2>>"$kl_dir/bind.err"
}

# ktc_fault_nic NAME: saves h1's tc rules on pa and vxlan_sys_4789 in
# NAME.pa and NAME.vx, and the NIC table they hold in NAME.nic: "CM_ID QPN
# REMOTE_QPN GENERATION" per connection, from the egress rule's cookie (cm_id,
# generation) and the receive rule's (cm_id, QPNs); a connection with only
# one of its rules is "CM_ID half".
ktc_fault_nic () {
    tc -n h1 filter show dev pa ingress >"$kl_dir/$1.pa" 2>&1
    tc -n h1 filter show dev vxlan_sys_4789 ingress >"$kl_dir/$1.vx" 2>&1
    awk 'function h(s,  i, n) {
             n = 0
             for (i = 1; i <= length(s); i++)
                 n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
             return n
         }
         /^filter / { for (i = 1; i < NF; i++) if ($i == "pref") p = $(i + 1) }
         $1 == "cookie" && p >= 49152 && p < 49152 + 1024 {
             cm = h(substr($2, 1, 16))
             if (FILENAME ~ /\.pa$/) { eg[cm] = h(substr($2, 17, 16)) }
             else { dc[cm] = h(substr($2, 17, 8)) " " h(substr($2, 25, 8)) }
         }
         END {
             for (cm in eg) print cm, (cm in dc ? dc[cm] " " eg[cm] : "half")
             for (cm in dc) if (!(cm in eg)) print cm, "half"
         }' "$kl_dir/$1.pa" "$kl_dir/$1.vx" | sort >"$kl_dir/$1.nic"
}

# ktc_fault_check: prints "lost=L stale=S missing=M": confirmed bindings
# not in h1's QP map, tc connections that no installed binding of the map
# equals (QPNs, generation) or that have only one rule, and installed
# bindings without their rules.
ktc_fault_check () {
    touch "$kl_dir/confirmed"
    kl_on h1 ovs-appctl -t ovs-rdmad rdma/show-qp-map >"$kl_dir/f.map" \
        2>/dev/null || { echo "ovs-rdmad not answering"; return; }
    ktc_fault_nic f
    awk 'FILENAME ~ /confirmed$/ { conf[$1] = 1; next }
         FILENAME ~ /f\.map$/ && /^cm_id=/ {
             for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
             id = substr(v["cm_id"], 1)
             if ($0 !~ /state=removing/) inmap[id] = 1
             if ($0 ~ / state=installed /)
                 want[id " " v["qpn"] " " v["remote_qpn"] " " v["generation"]] = 1
             next
         }
         FILENAME ~ /f\.nic$/ { have[$0] = 1 }
         END {
             for (id in conf) if (!(id in inmap)) lost++
             for (e in have) if (!(e in want)) stale++
             for (e in want) if (!(e in have)) missing++
             printf "lost=%d stale=%d missing=%d\n", lost, stale, missing
         }' "$kl_dir/confirmed" "$kl_dir/f.map" "$kl_dir/f.nic"
}

# ktc_fault_converged: succeeds once ktc_fault_check finds the invariant.
ktc_fault_converged () {
    test "$(ktc_fault_check)" = "lost=0 stale=0 missing=0"
}

# ktc_fault_alive PID: succeeds if process PID runs (a zombie does not).
ktc_fault_alive () {
    test -d /proc/$1 && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status
}

# ktc_fault_crash POINT N COMMAND...: arms crash point POINT for its Nth
# pass, runs COMMAND (whose confirmation the crash must prevent), waits for
# ovs-rdmad to die, saves the rules the kernel kept (POINT.dead.*), starts
# ovs-rdmad again (log h1/rdmad-POINT.log), waits for the invariant and
# saves the rules then (POINT.after.*) and the cm_ids of the NIC operations
# the restarted daemon made (POINT.ops).  Appends "POINT RESULT" to
# "matrix".  With $ktc_label set, files and line are named by it instead.
ktc_fault_crash () {
    ktc_arm=$1 ktc_n=$2 ktc_pt=${ktc_label:-$1}
    shift 2
    kl_on h1 ovs-appctl -t ovs-rdmad rdma/crash-at $ktc_arm $ktc_n \
        || kl_fail "arming $ktc_arm"
    ktc_pid=$(cat /run/kl/h1/ovs-rdmad.pid)
    "$@" && kl_fail "$ktc_pt: '$*' was confirmed by a daemon that was to die"
    kl_wait "ovs-rdmad to die at $ktc_pt" sh -c "! (test -d /proc/$ktc_pid \
        && ! grep -q '^State:[[:space:]]*Z' /proc/$ktc_pid/status)"
    ktc_fault_nic $ktc_pt.dead
    ktc_fault_start $ktc_pt
    (KL_TIMEOUT=60; kl_wait "the invariant after $ktc_pt" ktc_fault_converged) \
        || { echo "$ktc_pt $(ktc_fault_check)" >>"$kl_dir/matrix"; exit 1; }
    ktc_fault_nic $ktc_pt.after
    kl_on h1 ovs-appctl -t ovs-rdmad rdma-tc/stats >"$kl_dir/$ktc_pt.stats"
    sed -n 's/.*|rdma_nic|DBG|tc: \(install\|modify\|remove\) cm_id=\([0-9]*\).*/\2/p' \
        "$kl_dir/h1/rdmad-$ktc_pt.log" | sort -u >"$kl_dir/$ktc_pt.ops"
    echo "$ktc_pt $(ktc_fault_check) confirmed=$(wc -l <"$kl_dir/confirmed")" \
        >>"$kl_dir/matrix"
}
