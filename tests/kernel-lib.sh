# kernel-lib.sh: guest-side shell functions for the kernel lane's tests.
#
# Sourced by each test's script inside the guest booted by tests/kernel-vm
# (see KERNEL_RUN in tests/kernel-macros.at); runs as root in the test's
# directory, which the host shares writable.  Nothing here runs on the
# host, and nothing needs cleaning up: the guest is thrown away.
#
# The common topology (kl_topology):
#
#   initial namespace                 host h1 (netns)          host h2 (netns)
#   tenant a: ta 10.0.0.1, rxe_a      pa --- br-int --- tun    tun --- br-int --- pb
#          ta <================ veth ====> pa           |      |         pb <== veth ==> tb
#   tenant b: tb 10.0.0.2, rxe_b                   vxlan_sys_4789 ... underlay u1 <-veth-> u2
#
# Each host runs its own ovsdb-server and ovs-vswitchd with br-int on the
# kernel datapath (datapath_type=system) holding the tenant's OVS port
# (pa, pb) and a tunnel port "tun" (VXLAN or Geneve, VNI 5001) to the other
# host's VTEP.  The underlay is the veth u1-u2 (VTEPs 192.0.2.1 and
# 192.0.2.2), optionally over 802.1Q (u1.VID) or through a router namespace
# r (h1 192.0.2.1/24 via 192.0.2.254; h2 198.51.100.2/24 via 198.51.100.254).
#
# The tenants live in the initial namespace, because rdma_rxe on 6.1 works
# only there: each has its own veth end with an rxe device on it, and
# policy routing sends a tenant's locally generated traffic out its own
# veth (local rule moved behind per-tenant tables, accept_local=1,
# rp_filter=0), so a's packets to b cross OVS and the tunnel instead of the
# loopback.
#
# Variables after kl_topology: kl_vtep1 kl_vtep2 (VTEP IPs), kl_ip_a
# kl_ip_b, kl_mac_a kl_mac_b (tenants), kl_rxe_a kl_rxe_b (rxe devices).

# kl_fail MESSAGE: says what failed and exits the test's script with 1.
kl_fail () {
    echo "FAILED: $*" >&2
    exit 1
}

# kl_run COMMAND...: runs COMMAND, failing the script if it fails.
kl_run () {
    "$@" || kl_fail "$*"
}

# kl_init: per-guest set-up: PATH, $kl_dir (the test's directory).
kl_init () {
    kl_dir=$(pwd)
    PATH=$PATH:/usr/sbin:/sbin
    export PATH
    kl_t0=$(date +%s.%N)
}

# kl_modules MODULE...: loads kernel MODULEs.
kl_modules () {
    for kl_m in "$@"; do
        modprobe "$kl_m" || kl_fail "modprobe $kl_m"
    done
}

# kl_wait DESCRIPTION COMMAND...: runs COMMAND until it succeeds, for at most
# $KL_TIMEOUT (default 30) seconds; fails the script if it never does.
kl_wait () {
    kl_what=$1; shift
    echo "kl_wait: $kl_what" >&2
    kl_deadline=$(($(date +%s) + ${KL_TIMEOUT:-30}))
    until "$@"; do
        if test "$(date +%s)" -ge $kl_deadline; then
            kl_fail "timed out after ${KL_TIMEOUT:-30} s waiting for: $kl_what"
        fi
        sleep 0.1
    done
}

# kl_on HOST COMMAND...: runs COMMAND in namespace host HOST, with the
# OVS_*DIR variables pointing at HOST's directories: logs in HOST/ under the
# test's directory (shared with the host), sockets, pidfiles and databases
# in /run/kl/HOST (9p cannot hold Unix sockets).
kl_on () {
    kl_h=$1; shift
    (OVS_RUNDIR=/run/kl/$kl_h; OVS_LOGDIR=$kl_dir/$kl_h
     OVS_DBDIR=$OVS_RUNDIR; OVS_SYSCONFDIR=$OVS_RUNDIR
     export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR
     cd "$OVS_RUNDIR" && ip netns exec "$kl_h" "$@")
}

# kl_host HOST: namespace host HOST with its directory, ovsdb-server and
# ovs-vswitchd (kernel datapath).  ovs-vswitchd starts in a time namespace
# whose monotonic clock is 100 s ahead: OVS 3.1 counts no CPU cores (so
# creates no handler threads, so loses every upcall) until the monotonic
# clock passes 10 s, and the guest has just booted.  The kernel datapath's
# flow "used" times are on the kernel's clock, so every flow looks 100 s
# idle to ovs-vswitchd: max-idle of 200 s keeps the flows (the ones
# "ovs-dpctl dump-flows" shows) from being evicted at once.
kl_host () {
    mkdir -p "$kl_dir/$1" "/run/kl/$1" || kl_fail "mkdir $1"
    kl_run ip netns add "$1"
    kl_run ip -n "$1" link set lo up
    kl_on "$1" sh -c '
        ovsdb-tool create conf.db /usr/share/openvswitch/vswitch.ovsschema &&
        ovsdb-server --detach --no-chdir --pidfile --log-file -vconsole:off \
            --remote=punix:$OVS_RUNDIR/db.sock conf.db &&
        ovs-vsctl --no-wait init -- set open_vswitch . \
            other_config:max-idle=200000 &&
        unshare --time --monotonic 100 --fork \
            ovs-vswitchd --detach --no-chdir --pidfile --log-file \
                -vconsole:off' 2>"$kl_dir/$1/start.err" \
        || kl_fail "starting Open vSwitch on $1"
}

# kl_underlay [direct | vlan VID | routed]: joins h1 and h2 and gives them
# their VTEP addresses: directly on veth u1-u2 (default), on 802.1Q VLAN VID
# over it (devices u1.VID, u2.VID), or through router namespace r.
kl_underlay () {
    if test "${1:-direct}" != routed; then
        kl_run ip link add u1 netns h1 type veth peer name u2 netns h2
        kl_run ip -n h1 link set u1 up
        kl_run ip -n h2 link set u2 up
    fi
    case ${1:-direct} in
        direct)
            kl_vtep1=192.0.2.1 kl_vtep2=192.0.2.2
            kl_run ip -n h1 addr add 192.0.2.1/24 dev u1
            kl_run ip -n h2 addr add 192.0.2.2/24 dev u2
            ;;
        vlan)
            kl_modules 8021q
            kl_vtep1=192.0.2.1 kl_vtep2=192.0.2.2
            for kl_i in 1 2; do
                kl_run ip -n h$kl_i link add link u$kl_i name u$kl_i.$2 \
                    type vlan id "$2"
                kl_run ip -n h$kl_i addr add 192.0.2.$kl_i/24 dev u$kl_i.$2
                kl_run ip -n h$kl_i link set u$kl_i.$2 up
            done
            ;;
        routed)
            # h1 u1 <-veth-> r1 (router r) r2 <-veth-> u2 h2.
            kl_vtep1=192.0.2.1 kl_vtep2=198.51.100.2
            kl_run ip netns add r
            kl_run ip link add u1 netns h1 type veth peer name r1 netns r
            kl_run ip link add u2 netns h2 type veth peer name r2 netns r
            kl_run ip -n r link set r1 up
            kl_run ip -n r link set r2 up
            kl_run ip -n h1 link set u1 up
            kl_run ip -n h2 link set u2 up
            kl_run ip -n r addr add 192.0.2.254/24 dev r1
            kl_run ip -n r addr add 198.51.100.254/24 dev r2
            kl_run ip netns exec r sysctl -q -w net.ipv4.ip_forward=1
            kl_run ip -n h1 addr add 192.0.2.1/24 dev u1
            kl_run ip -n h2 addr add 198.51.100.2/24 dev u2
            kl_run ip -n h1 route add 198.51.100.0/24 via 192.0.2.254
            kl_run ip -n h2 route add 192.0.2.0/24 via 198.51.100.254
            ;;
        *) kl_fail "kl_underlay: unknown underlay $1" ;;
    esac
}

# kl_bridge HOST TYPE REMOTE-IP [SETTINGS...]: br-int on HOST's kernel
# datapath with tunnel port "tun" of TYPE (vxlan, geneve) to REMOTE-IP, VNI
# 5001, plus SETTINGS (ovs-vsctl "column:key=value" words for tun).
kl_bridge () {
    kl_hb=$1 kl_type=$2 kl_remote=$3
    shift 3
    kl_on $kl_hb ovs-vsctl add-br br-int \
        -- set bridge br-int datapath_type=system \
        -- add-port br-int tun -- set interface tun type=$kl_type \
           options:remote_ip=$kl_remote options:key=5001 "$@" \
        || kl_fail "br-int on $kl_hb"
}

# kl_policy_init: lets the initial namespace hold several tenants whose
# traffic to one another leaves by their own veths: the "local" rule goes
# behind the per-tenant rules, local source addresses are accepted on
# input, reverse-path filtering is off.
kl_policy_init () {
    ip rule add pref 1000 lookup local || kl_fail "local rule"
    ip rule del pref 0 lookup local || kl_fail "moving the local rule"
    for kl_k in all default; do
        sysctl -q -w net.ipv4.conf.$kl_k.accept_local=1 \
            net.ipv4.conf.$kl_k.rp_filter=0 >/dev/null
    done
}

# kl_tenant NAME TABLE IP MAC HOST: tenant NAME in the initial namespace:
# veth t<NAME> (IP/24, MAC) with rxe device rxe_<NAME>, whose peer p<NAME>
# is an OVS port on HOST's br-int (external_ids:attached-mac=MAC).  Routing
# table TABLE sends 10.0.0.0/24 out t<NAME> for traffic from IP.
kl_tenant () {
    kl_run ip link add t$1 address $4 type veth peer name p$1 netns $5
    sysctl -q -w net.ipv6.conf.t$1.disable_ipv6=1 \
        net.ipv4.conf.t$1.accept_local=1 net.ipv4.conf.t$1.rp_filter=0 \
        >/dev/null
    kl_run ip addr add $3/24 dev t$1
    kl_run ip link set t$1 up
    kl_run ip -n $5 link set p$1 up
    kl_run ip route add 10.0.0.0/24 dev t$1 src $3 table $2
    kl_run ip rule add pref $((100 + $2)) iif lo from $3 lookup $2
    kl_run rdma link add rxe_$1 type rxe netdev t$1
    kl_on $5 ovs-vsctl add-port br-int p$1 \
        -- set interface p$1 "external_ids:attached-mac=\"$4\"" \
        || kl_fail "adding p$1 to br-int on $5"
}

# kl_tenant_route TABLE IP: sends locally generated traffic to IP that has
# no source address yet by routing table TABLE (a tenant's), so that an
# application that does not bind its source still leaves by that tenant's
# veth.
kl_tenant_route () {
    kl_run ip rule add pref $((200 + $1)) iif lo to $2 lookup $1
}

# kl_topology [TYPE [UNDERLAY [VID]]]: the common topology above, with
# tunnels of TYPE (vxlan, the default, or geneve) over UNDERLAY (see
# kl_underlay); waits until tenant a reaches b across OVS.
kl_topology () {
    kl_modules veth openvswitch rdma_rxe rdma_ucm ib_uverbs ${1:-vxlan}
    # The two hosts start at the same time (their daemons' start-up waits
    # on one another's I/O as much as on the CPU).
    kl_host h1 & kl_p1=$!
    kl_host h2 & kl_p2=$!
    wait $kl_p1 || kl_fail "host h1"
    wait $kl_p2 || kl_fail "host h2"
    kl_underlay ${2:-direct} ${3:-}
    kl_bridge h1 ${1:-vxlan} $kl_vtep2
    kl_bridge h2 ${1:-vxlan} $kl_vtep1
    kl_ip_a=10.0.0.1 kl_mac_a=02:00:00:00:00:0a kl_rxe_a=rxe_a
    kl_ip_b=10.0.0.2 kl_mac_b=02:00:00:00:00:0b kl_rxe_b=rxe_b
    kl_policy_init
    kl_tenant a 1 $kl_ip_a $kl_mac_a h1
    kl_tenant b 2 $kl_ip_b $kl_mac_b h2
    kl_tenant_route 1 $kl_ip_b
    kl_tenant_route 2 $kl_ip_a
    kl_wait "tenant a to reach b across OVS" \
        ping -q -c 1 -W 1 -I $kl_ip_a $kl_ip_b >/dev/null
}

# kl_roce_flow HOST ACTIONS: an OpenFlow rule on HOST's br-int for RoCEv2
# (IPv4 UDP destination port 4791) with ACTIONS ("NORMAL" to count RoCE
# packets that OVS carries, "drop" to keep OVS from carrying them).
kl_roce_flow () {
    kl_on $1 ovs-ofctl add-flow br-int \
        "priority=100,udp,tp_dst=4791,actions=$2" \
        || kl_fail "RoCE flow on $1"
}

# kl_roce_packets HOST: prints how many packets HOST's kl_roce_flow rule
# matched.
kl_roce_packets () {
    kl_on $1 ovs-ofctl dump-flows br-int udp,tp_dst=4791 \
        | sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p'
}

# kl_rping_capture NAME [COUNT]: runs a short rping from tenant a to b
# while capturing the first COUNT (default 4) RoCE-carrying overlay frames
# that h1 sends on its underlay veth u1 into NAME.pcap; then saves h1's
# datapath flows (ovs-dpctl dump-flows) in NAME-dpctl.out.
kl_rping_capture () {
    rm -f "$kl_dir/$1.ready"
    kl_on h1 kernel-capture.py u1 ${2:-4} "$kl_dir/$1.pcap" \
        "$kl_dir/$1.ready" 2>"$kl_dir/$1-capture.err" &
    kl_cap=$!
    kl_bg $1-rping-server rping -s -a $kl_ip_b -C 3 -v -V
    kl_wait "rping to listen" kl_cm_listening 7174
    kl_wait "the capture to start" test -f "$kl_dir/$1.ready"
    rping -c -a $kl_ip_b -I $kl_ip_a -C 3 -v -V >"$kl_dir/$1-rping.out" \
        2>&1 || kl_fail "rping: $(cat "$kl_dir/$1-rping.out")"
    wait $kl_pid || kl_fail "rping server"
    wait $kl_cap || kl_fail "capture: $(cat "$kl_dir/$1-capture.err")"
    kl_on h1 ovs-dpctl dump-flows >"$kl_dir/$1-dpctl.out" \
        || kl_fail "ovs-dpctl dump-flows"
}

# kl_resolve NAME: saves ovs-rdmad's tuple on h1 for tenant a's flow to b
# ("rdma/resolve pa 10.0.0.2") in NAME-resolve.out; fails unless ready.
kl_resolve () {
    kl_on h1 ovs-appctl -t ovs-rdmad rdma/resolve pa $kl_ip_b \
        dst_mac=$kl_mac_b >"$kl_dir/$1-resolve.out" 2>&1 \
    && grep -q state=ready "$kl_dir/$1-resolve.out"
}

# kl_rdmad HOST [OPTIONS...]: starts ovs-rdmad on HOST with OPTIONS (the
# dummy NIC unless they give a --provider) and marks HOST's tenant port (pa
# on h1, pb on h2) for RDMA.
kl_rdmad () {
    kl_hr=$1; shift
    case $kl_hr in
        h1) kl_on h1 ovs-vsctl set interface pa other_config:rdma=true \
                other_config:rdma-ip=$kl_ip_a ;;
        h2) kl_on h2 ovs-vsctl set interface pb other_config:rdma=true \
                other_config:rdma-ip=$kl_ip_b ;;
    esac
    kl_on $kl_hr ovs-rdmad --detach --no-chdir --pidfile --log-file \
        -vconsole:off --provider=dummy "$@" 2>>"$kl_dir/$kl_hr/start.err" \
        || kl_fail "ovs-rdmad on $kl_hr"
}

# kl_shim_a COMMAND... / kl_shim_b COMMAND...: runs COMMAND as an
# application of tenant a (b), with the preload shim and that tenant's
# ovs-rdmad socket (started by kl_rdmad h1, h2).
kl_shim_a () {
    OVS_RDMA_SOCKET=/run/kl/h1/ovs-rdmad/pa.sock \
        LD_PRELOAD=$kl_top_builddir/lib/.libs/librdmaovl-preload.so "$@"
}
kl_shim_b () {
    OVS_RDMA_SOCKET=/run/kl/h2/ovs-rdmad/pb.sock \
        LD_PRELOAD=$kl_top_builddir/lib/.libs/librdmaovl-preload.so "$@"
}

# kl_qp_map HOST: prints ovs-rdmad's bindings on HOST.
kl_qp_map () {
    kl_on $1 ovs-appctl -t ovs-rdmad rdma/show-qp-map
}

# kl_perftest NAME COMMAND...: runs perftest COMMAND (in the background if
# NAME ends in "-server"), output in NAME.out.  Under TCG, perftest's clock
# calibration sometimes fails ("Correlation coefficient r^2 ... < 0.9",
# "Can't produce a report") after the transfer has completed: that counts
# as done, since the figures mean nothing here anyway; any other failure
# fails the script.
kl_perftest () {
    kl_n=$1; shift
    case $kl_n in
        *-server) ("$@" >"$kl_dir/$kl_n.out" 2>&1 || kl_perftest_done $kl_n) &
                  kl_pid=$! ;;
        *) "$@" >"$kl_dir/$kl_n.out" 2>&1 || kl_perftest_done $kl_n \
               || kl_fail "$*: $(cat "$kl_dir/$kl_n.out")" ;;
    esac
}

# kl_perftest_wait PID: waits for perftest server PID to finish after its
# client has; under a loaded TCG guest its closing handshake sometimes
# stalls after the run and the report, so it is killed after 60 s.
kl_perftest_wait () {
    (KL_TIMEOUT=60; kl_wait "the perftest server to finish" \
        sh -c "! kill -0 $1 2>/dev/null") \
        || { echo "kl_perftest_wait: killing $1" >&2; kl_kill9 $1; }
    wait $1 || :
}

# kl_perftest_done NAME: succeeds if perftest's NAME.out shows a completed
# run whose report only its clock calibration prevented.
kl_perftest_done () {
    grep -q '#bytes  *#iterations' "$kl_dir/$1.out" \
        && grep -q "Can't produce a report" "$kl_dir/$1.out"
}

# kl_kill9 PID...: kills each PID and its children with SIGKILL (a job
# started by kl_bg with a shell function, such as kl_shim_a, is a subshell
# whose child is the application).
kl_kill9 () {
    for kl_k in "$@"; do
        kill -9 $(pgrep -P $kl_k) $kl_k 2>/dev/null
    done
}

# kl_bg NAME COMMAND...: starts COMMAND in the background, its output in
# NAME.out and NAME.err, its pid in $kl_pid.
kl_bg () {
    kl_n=$1; shift
    "$@" >"$kl_dir/$kl_n.out" 2>"$kl_dir/$kl_n.err" &
    kl_pid=$!
}

# kl_cm_listening PORT: succeeds once an rdma_cm id listens on PORT.
kl_cm_listening () {
    rdma res show cm_id 2>/dev/null | grep -q "state LISTEN.*:$1 "
}
