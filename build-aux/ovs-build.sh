#!/bin/sh
# ovs-build.sh: unpack and build the Open vSwitch tree that ovs-rdma
# compiles against.
#
# Usage: build-aux/ovs-build.sh [--print-dir] [CACHE_DIR]
#
# Takes an Open vSwitch release tarball ($OVS_SOURCE_TARBALL, default the
# one Debian's openvswitch-source package ships,
# /usr/src/openvswitch/openvswitch.tar.gz), unpacks it into CACHE_DIR
# (default: $OVS_RDMA_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/ovs-rdma)
# and builds only what an out-of-tree extension needs: the generated headers
# (the tree's BUILT_SOURCES) and lib/libopenvswitch.la.  A tree that is
# already built is reused.  On success the last line printed is the tree's
# directory, suitable for --with-ovs-source and --with-ovs-build.
#
# The tarball's top directory may have any name (Debian's is
# "openvswitch/", upstream's "openvswitch-X.Y.Z/").  The package builds
# (debian/rules, rhel/ovs-rdma.spec) pass a CACHE_DIR inside their build
# tree, and the compiler flags in CFLAGS, CPPFLAGS and LDFLAGS reach Open
# vSwitch's configure.  The number of make jobs is $OVS_BUILD_JOBS, else
# the number of CPUs; make's own settings inherited from a calling make
# (MAKEFLAGS, MAKELEVEL) are dropped, since they would break the build.
#
# The version of the tree must match the installed ovs-vswitchd, since
# ovs-rdmad talks to it over unixctl and shares its database schema; a
# mismatch is reported and is an error unless OVS_RDMA_ALLOW_MISMATCH=yes.

set -e

# Called from a make (debian/rules, "make deb"): its jobserver and level
# are not ours.
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES

tarball=${OVS_SOURCE_TARBALL:-/usr/src/openvswitch/openvswitch.tar.gz}
print_dir=no
if test "$1" = --print-dir; then
    print_dir=yes
    shift
fi
cache=${1:-${OVS_RDMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ovs-rdma}}

say() { echo "ovs-build: $*" >&2; }
die() { say "error: $*"; exit 1; }

test -r "$tarball" || die "$tarball not found; install Debian's \
openvswitch-source package (apt-get install openvswitch-source) or pass \
--with-ovs-source=DIR to configure"

# The tarball's top directory, and the version of the tree, from its
# configure script (AC_INIT).
top=$(tar tzf "$tarball" | sed -n '1s,^\./,,;1s,/.*,,p')
test -n "$top" || die "$tarball: cannot read its top directory"
tree_version=$(tar xzOf "$tarball" "$top/configure.ac" \
               | sed -n 's/^AC_INIT(openvswitch, *\([^,]*\),.*/\1/p')
test -n "$tree_version" || die "cannot read the version of $tarball"

# The version of the installed switch, if any.
if command -v ovs-vswitchd >/dev/null 2>&1; then
    switch_version=$(ovs-vswitchd --version | sed -n '1s/.* //p')
    if test "$switch_version" != "$tree_version"; then
        msg="$tarball is Open vSwitch $tree_version but the installed \
ovs-vswitchd is $switch_version; install matching openvswitch-source and \
openvswitch-switch packages"
        if test "$OVS_RDMA_ALLOW_MISMATCH" = yes; then
            say "warning: $msg"
        else
            die "$msg (or set OVS_RDMA_ALLOW_MISMATCH=yes)"
        fi
    fi
else
    say "warning: ovs-vswitchd is not installed; install openvswitch-switch \
to run ovs-rdmad and its tests"
fi

dir=$cache/openvswitch-$tree_version
if test -f "$dir/.ovs-rdma-built"; then
    test $print_dir = yes || say "reusing $dir"
    echo "$dir"
    exit 0
fi

say "building Open vSwitch $tree_version in $dir (about 2 minutes)"
# A tree without the marker is a half-finished build: start again.
rm -rf "$dir"
mkdir -p "$dir"
tar xzf "$tarball" -C "$dir" --strip-components=1
jobs=${OVS_BUILD_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
(
    cd "$dir"
    # Debian's python3 has everything OVS's IDL generator needs.
    PYTHON3=${PYTHON3:-/usr/bin/python3}
    export PYTHON3
    ./configure --enable-silent-rules --disable-dependency-tracking \
                --localstatedir=/var --sysconfdir=/etc --prefix=/usr \
                >configure.out 2>&1 \
        || { tail -20 configure.out >&2; exit 1; }
    built=$(printf 'print-built-sources:\n\t@echo $(BUILT_SOURCES)\n' \
            | make -s -f Makefile -f - print-built-sources)
    make -j"$jobs" $built >make.out 2>&1 \
        && make -j"$jobs" lib/libopenvswitch.la >>make.out 2>&1 \
        || { tail -30 make.out >&2; exit 1; }
)
touch "$dir/.ovs-rdma-built"
say "done"
echo "$dir"
