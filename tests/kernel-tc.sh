# kernel-tc.sh: guest-side shell functions for the tc provider's kernel-lane
# tests (tests/kernel-tc.at).  Sourced after tests/kernel-lib.sh, in the
# guest, once kl_topology has built the two namespace hosts.
#
# ktc_setup [PROVIDER]: loads the tc modules; on both hosts drops RoCEv2
# (UDP 4791) in br-int with an OpenFlow rule, so that only ovs-rdmad's tc
# rules can carry it, makes the tenant ports RDMA vports and starts
# ovs-rdmad with PROVIDER (default tc:offload=sw; a guest has no NIC that
# could offload).  Then pre-binds, on h2, the listener's side of a
# connection from a (a listener cannot be bound before its peer is known:
# the rule carries the connection request of the peer bound here).
ktc_setup () {
    ktc_provider=${1:-tc:offload=sw}
    kl_modules cls_flower act_tunnel_key act_mirred act_gact
    ktc_vport h1 pa $kl_ip_a
    ktc_vport h2 pb $kl_ip_b
    ktc_rdmad h1
    ktc_rdmad h2
    kl_on h2 ovs-appctl -t ovs-rdmad rdma/bind pb $kl_ip_a \
        dst_mac=$kl_mac_a >"$kl_dir/prebind.out" \
        || kl_fail "pre-binding on h2"
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
    kl_wait "dumpcap started" grep -q Capturing "$kl_dir/dumpcap.err"
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
