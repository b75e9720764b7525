#!/bin/sh
# bench.sh: the benchmarks behind "make bench".  Prints numbers; asserts
# nothing.  Run from the top of the build tree.
#
#   BENCH_SIZES   QP counts for the refresh benchmark
#                 (default "1000 10000 100000 1000000")
#   BENCH_UNIXCTL number of binds through unixctl (default 10000)
set -e
sizes=${BENCH_SIZES:-1000 10000 100000 1000000}
bench=tests/rdma-bench

echo "== $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "== in-process bind"
$bench bind 100000
echo "== refresh after one tunnel's remote_ip changes"
for n in $sizes; do
    $bench refresh $n
done
echo "== memory"
$bench memory 1000000

echo "== bind through ovs-rdmad's unixctl socket"
rundir=$(mktemp -d)
trap 'utilities/ovs-rdma-sandbox --rundir="$rundir" --stop >/dev/null 2>&1; rm -rf "$rundir"' EXIT
utilities/ovs-rdma-sandbox --rundir="$rundir" --keep >/dev/null 2>&1
pid=$(cat "$rundir/ovs-rdmad.pid")
$bench unixctl ${BENCH_UNIXCTL:-10000} "$rundir/ovs-rdmad.$pid.ctl"
