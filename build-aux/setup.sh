#!/bin/sh
# setup.sh: everything ovs-rdma needs on a Debian 12 machine, then the build.
#
# Usage: build-aux/setup.sh
#
# As root, installs the Debian packages the build, the tests and the demo
# need (only those missing), builds Open vSwitch's library from Debian's
# openvswitch-source (build-aux/ovs-build.sh, cached outside the tree), and
# configures and builds ovs-rdma in this source tree.  Every step is skipped
# when already done, so running it again is cheap.

set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { echo "setup: $*" >&2; }

# Debian packages: build tools, OVS (switch + matching source tree), libnl,
# json-c (for librdmaovl), rdma-core, and the tools the tests use; the
# kernel lane ("make check-kernel") boots Debian's kernel under QEMU and runs
# rdma-core's tools (rping, rdma_server, ib_send_bw) in it; clang with its
# runtime (libFuzzer, ASan, UBSan) for "make fuzz"; the tools of the
# packaging stage (tests/packaging).
# OVN's central and host parts are for the OVN system test (their services
# are not started; the test runs its own).
packages="build-essential autoconf automake libtool pkg-config
          openvswitch-switch openvswitch-common openvswitch-source
          ovn-central ovn-host
          libnl-3-dev libnl-route-3-dev zlib1g-dev libssl-dev libjson-c-dev
          libcap-ng-dev libunbound-dev
          libibverbs-dev librdmacm-dev rdma-core
          python3 iproute2 procps iputils-ping tshark python3-scapy ethtool
          qemu-system-x86 linux-image-amd64 busybox-static kmod cpio xz-utils
          ibverbs-utils rdmacm-utils perftest
          clang libclang-rt-14-dev
          git debhelper dpkg-dev devscripts lintian rpm rpmlint systemd
          man-db"

missing=
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done
if test -n "$missing"; then
    if test "$(id -u)" != 0; then
        say "error: these Debian packages are missing and installing them \
needs root:$missing"
        exit 1
    fi
    say "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Installing openvswitch-switch would start the system's OVS where an
    # init system exists; the tests use private instances only.
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Open vSwitch's library, from Debian's matching source tree.
ovs_dir=$("$top/build-aux/ovs-build.sh" | tail -n 1)

# This project.
if test ! -x configure; then
    say "generating configure"
    ./boot.sh >/dev/null 2>&1 || ./boot.sh
fi
if test ! -f Makefile || test configure -nt config.status; then
    say "configuring against $ovs_dir"
    ./configure --with-ovs-source="$ovs_dir" --enable-Werror >/dev/null
fi
say "building"
make -s -j"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
