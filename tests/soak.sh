#!/bin/sh
# soak.sh: "make soak".  Random binds, unbinds, updates, configuration
# changes (valid and invalid), NIC failures and kills (kill -9 of
# ovs-rdmad, also at a random crash point, of ovsdb-server and of
# ovs-vswitchd) for SOAK_MINUTES minutes (default 5), checking after every
# step that no confirmed binding is lost and that the dummy NIC's table
# (kept in a file, so that it outlives the daemon) equals the QP map.
# Prints the counts; exits 1 at the first violation.  Not part of "make
# check".  Run from the top of the build tree.
#
#   SOAK_MINUTES  how long (default 5)
#   SOAK_SEED     seed for the random choices (default: the PID)
set -e
minutes=${SOAK_MINUTES:-5}
seed=${SOAK_SEED:-$$}
top=$(pwd)
PATH=$top/ofproto-rdma:$top/utilities:$PATH:/usr/sbin:/sbin
rundir=$(mktemp -d)
export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
export OVS_SYSCONFDIR=$rundir OVS_PKGDATADIR=$rundir
RDMAD_OPTIONS="--underlay-poll=100 --enable-fault-injection --provider=dummy:table=$rundir/nic.table"
export RDMAD_OPTIONS
cleanup() {
    "$top"/utilities/ovs-rdma-sandbox --rundir="$rundir" --stop >/dev/null 2>&1
    rm -rf "$rundir"
}
trap cleanup EXIT
utilities/ovs-rdma-sandbox --rundir="$rundir" --keep >/dev/null 2>&1
cd "$rundir"
ovs-appctl tnl/neigh/set br-phy 192.0.2.3 aa:55:aa:55:00:03 >/dev/null
echo 1 > confirmed              # The sandbox's own binding.

# rnd N: sets r to a pseudo-random number in 0...N-1 (0 if N is 0).
rnd() {
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    r=$(( $1 > 0 ? seed / 65536 % $1 : 0 ))
}
# pick: sets id to a random line of "confirmed", or empty.
pick() {
    rnd $(wc -l < confirmed)
    id=$(sed -n "$((r + 1))p" confirmed)
}
# wait_for DESCRIPTION COMMAND...: runs COMMAND until it succeeds (30 s).
wait_for() {
    what=$1; shift
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        if test $i -ge 300; then
            echo "timed out waiting for $what" >&2
            return 1
        fi
        sleep 0.1
    done
}
start_rdmad() {
    rm -f ovs-rdmad.pid
    ovs-rdmad --detach --no-chdir --pidfile --log-file $RDMAD_OPTIONS \
        2>>rdmad-starts.err
    wait_for "ovs-rdmad" sh -c "ovs-appctl -t ovs-rdmad rdma/ovsdb-status | grep -q 'status: connected'"
}
start_ovsdb() {
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$rundir/db.sock" conf.db 2>>daemon-starts.err
}
start_vswitchd() {
    ovs-vswitchd --enable-dummy --disable-system --disable-system-route \
        --detach --no-chdir --pidfile --log-file 2>>daemon-starts.err
    wait_for "ovs-vswitchd" ovs-appctl netdev-dummy/ip4addr br-phy 192.0.2.1/24
    ovs-appctl ovs/route/add 192.0.2.0/24 br-phy >/dev/null
    ovs-appctl tnl/neigh/set br-phy 192.0.2.2 aa:55:aa:55:00:02 >/dev/null
    ovs-appctl tnl/neigh/set br-phy 192.0.2.3 aa:55:aa:55:00:03 >/dev/null
}
# alive PID: succeeds if process PID runs (a zombie does not).
alive() {
    test -n "$1" && test -d /proc/$1 \
        && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status 2>/dev/null
}
# kill9 DAEMON: kill -9 DAEMON and wait for it to be gone.
kill9() {
    pid=$(cat "$1.pid")
    kill -9 "$pid" 2>/dev/null || true
    wait_for "$1 to die" eval "! alive $pid"
    rm -f "$1.pid"
}
# check: prints "lost=L stale=S missing=M" (see tests/faults.at).
check() {
    ovs-appctl -t ovs-rdmad rdma/show-qp-map > map 2>/dev/null || { echo down; return; }
    ovs-appctl -t ovs-rdmad rdma-dummy/show > nic 2>/dev/null
    grep '^cm_id=' map | grep -v state=removing | sed 's/^cm_id=\([0-9]*\) .*/\1/' | sort > map.ids
    grep state=installed map | sed 's/^cm_id=\([0-9]*\) qpn=\([0-9]*\) remote_qpn=\([0-9]*\) .* generation=\([0-9]*\) .*/\1 \2 \3 \4/' | sort > map.entries
    grep '^cm_id=' nic | sed 's/^cm_id=\([0-9]*\) qpn=\([0-9]*\) remote_qpn=\([0-9]*\) gen=\([0-9]*\) .*/\1 \2 \3 \4/' | sort > nic.entries
    echo "lost=$(sort confirmed | comm -23 - map.ids | wc -l) stale=$(comm -13 map.entries nic.entries | wc -l) missing=$(comm -23 map.entries nic.entries | wc -l)"
}
# converged: succeeds if the invariant holds.  A daemon found dead (a crash
# point that fired late) is started again first.
converged() {
    if ! alive "$(cat ovs-rdmad.pid 2>/dev/null)"; then
        start_rdmad; n_crash=$((n_crash + 1))
    fi
    test "$(check)" = "lost=0 stale=0 missing=0"
}

n_steps=0 n_bind=0 n_bind_refused=0 n_unbind=0 n_update=0 n_config=0
n_invalid=0 n_nicfail=0 n_kill_rdmad=0 n_crash=0 n_kill_ovsdb=0
n_kill_vswitchd=0 n_checks=0
points="bind-nic bind-saved unbind-nic unbind-saved update-nic update-saved refresh-nic refresh-saved nic-install nic-modify nic-remove"
deadline=$(( $(date +%s) + minutes * 60 ))
echo "soak: $minutes min, seed $seed, run directory $rundir"
set +e                          # Commands sent to a daemon that dies fail.
while test "$(date +%s)" -lt "$deadline"; do
    n_steps=$((n_steps + 1))
    rnd 400; id=$((r + 2))
    rnd 20
    case $r in
    0|1|2|3|4|5|6)
        if grep -qx "$id" confirmed; then continue; fi
        if ovs-appctl -t ovs-rdmad rdma/bind vm1 10.1.$((id / 200)).$((id % 200 + 2)) \
               dst_mac=02:00:00:00:02:02 cm_id=$id qpn=$id >/dev/null 2>&1; then
            echo $id >> confirmed; n_bind=$((n_bind + 1))
        else
            n_bind_refused=$((n_bind_refused + 1))
        fi ;;
    7|8|9)
        pick
        test -n "$id" || continue
        sed -i "/^$id\$/d" confirmed
        ovs-appctl -t ovs-rdmad rdma/unbind $id >/dev/null 2>&1 || true
        n_unbind=$((n_unbind + 1)) ;;
    10|11)
        pick
        test -n "$id" || continue
        rnd 1000
        ovs-appctl -t ovs-rdmad rdma/update $id remote_qpn=$((r + 1)) >/dev/null 2>&1 || true
        n_update=$((n_update + 1)) ;;
    12)
        rnd 5; key=$((5001 + r)); rnd 2
        ovs-vsctl set interface vx1 options:key=$key \
            options:remote_ip=192.0.2.$((r + 2))
        n_config=$((n_config + 1)) ;;
    13)
        ovs-vsctl set interface vx1 other_config:rdma-peers=10.1.0.0/99
        ovs-vsctl set interface vm1 other_config:rdma-vni=bogus
        n_invalid=$((n_invalid + 1))
        converged || sleep 0.5
        ovs-vsctl set interface vx1 other_config:rdma-peers=10.1.0.0/16 \
            -- remove interface vm1 other_config rdma-vni ;;
    14)
        ops="install modify remove bind-source"
        rnd 4; op=$(echo $ops | cut -d' ' -f$((r + 1)))
        rnd 3
        ovs-appctl -t ovs-rdmad rdma-dummy/fail $((r + 1)) EIO $op >/dev/null
        n_nicfail=$((n_nicfail + 1)) ;;
    15)
        kill9 ovs-rdmad; start_rdmad
        n_kill_rdmad=$((n_kill_rdmad + 1)) ;;
    16)
        rnd 11; point=$(echo $points | cut -d' ' -f$((r + 1)))
        ovs-appctl -t ovs-rdmad rdma/crash-at $point >/dev/null
        pid=$(cat ovs-rdmad.pid)
        case $point in
        bind-*|nic-install)
            ovs-appctl -t ovs-rdmad rdma/bind vm1 10.1.9.$((id % 200 + 2)) \
                dst_mac=02:00:00:00:02:02 cm_id=$((id + 1000)) qpn=$((id + 1000)) \
                >/dev/null 2>&1 && echo $((id + 1000)) >> confirmed ;;
        unbind-*|nic-remove)
            pick; sed -i "/^$id\$/d" confirmed
            ovs-appctl -t ovs-rdmad rdma/unbind "$id" >/dev/null 2>&1 ;;
        update-*)
            pick; rnd 1000
            ovs-appctl -t ovs-rdmad rdma/update "$id" remote_qpn=$((r + 1)) >/dev/null 2>&1 ;;
        *)
            ovs-appctl -t ovs-rdmad rdma/refresh >/dev/null 2>&1
            rnd 5; ovs-vsctl set interface vx1 options:key=$((5001 + r)) ;;
        esac
        # Not every operation passes every point: disarm what did not fire
        # (it may still fire before the disarm arrives: see below).
        ovs-appctl -t ovs-rdmad rdma/crash-at none >/dev/null 2>&1 ;;
    17)
        kill9 ovsdb-server; start_ovsdb
        n_kill_ovsdb=$((n_kill_ovsdb + 1)) ;;
    18)
        kill9 ovs-vswitchd; start_vswitchd
        n_kill_vswitchd=$((n_kill_vswitchd + 1)) ;;
    *)
        ovs-appctl -t ovs-rdmad rdma/refresh >/dev/null 2>&1 || true ;;
    esac
    if ! wait_for "the invariant" converged; then
        echo "soak: INVARIANT VIOLATED after step $n_steps: $(check)" >&2
        echo "soak: the run directory is kept: $rundir" >&2
        trap - EXIT
        exit 1
    fi
    n_checks=$((n_checks + 1))
done
echo "steps $n_steps, invariant checks $n_checks (all: lost=0 stale=0 missing=0)"
echo "binds confirmed $n_bind (refused $n_bind_refused), unbinds $n_unbind, updates $n_update"
echo "config changes $n_config, invalid configs $n_invalid, NIC failure injections $n_nicfail"
echo "kill -9: ovs-rdmad $n_kill_rdmad, at a crash point $n_crash, ovsdb-server $n_kill_ovsdb, ovs-vswitchd $n_kill_vswitchd"
echo "bindings confirmed at the end $(wc -l < confirmed), in the map $(wc -l < map.ids), NIC entries $(wc -l < nic.entries)"
