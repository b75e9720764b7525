# -*- autoconf -*-
# Copyright (c) 2026 The ovs-rdma authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

dnl OVS_RDMA_CHECK_OVS
dnl
dnl Finds the Open vSwitch source tree (--with-ovs-source) and build tree
dnl (--with-ovs-build) to compile against, as OVN does.  Without either,
dnl build-aux/ovs-build.sh unpacks and builds the tree that Debian's
dnl openvswitch-source package ships, in a cache directory outside this
dnl source tree, or reuses it.  Substitutes OVS_SRCDIR, OVS_BUILDDIR,
dnl OVS_LIBDIR and OVS_VERSION.
AC_DEFUN([OVS_RDMA_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
      [Open vSwitch source tree (default: Debian's openvswitch-source,
       built by build-aux/ovs-build.sh)])],
    [OVS_SRCDIR=$withval], [OVS_SRCDIR=])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
      [Open vSwitch build tree (default: the source tree)])],
    [OVS_BUILDDIR=$withval], [OVS_BUILDDIR=])

  if test -z "$OVS_SRCDIR" && test -z "$OVS_BUILDDIR"; then
    AC_MSG_NOTICE([no --with-ovs-source: using Debian's openvswitch-source])
    OVS_SRCDIR=`$SHELL "$srcdir/build-aux/ovs-build.sh" | tail -n 1` \
      || AC_MSG_ERROR([could not build Open vSwitch from Debian's
openvswitch-source package (see the messages above); or pass
--with-ovs-source=DIR])
  fi
  test -n "$OVS_SRCDIR" || OVS_SRCDIR=$OVS_BUILDDIR
  test -n "$OVS_BUILDDIR" || OVS_BUILDDIR=$OVS_SRCDIR
  OVS_SRCDIR=`cd "$OVS_SRCDIR" 2>/dev/null && pwd` \
    || AC_MSG_ERROR([Open vSwitch source tree not found])
  OVS_BUILDDIR=`cd "$OVS_BUILDDIR" 2>/dev/null && pwd` \
    || AC_MSG_ERROR([Open vSwitch build tree not found])

  AC_MSG_CHECKING([for the Open vSwitch source tree])
  if test -f "$OVS_SRCDIR/vswitchd/vswitch.ovsschema" \
     && test -f "$OVS_SRCDIR/lib/ovsdb-idl.h"; then
    AC_MSG_RESULT([$OVS_SRCDIR])
  else
    AC_MSG_ERROR([$OVS_SRCDIR is not an Open vSwitch source tree])
  fi

  AC_MSG_CHECKING([for the Open vSwitch build tree])
  if test -f "$OVS_BUILDDIR/config.h" \
     && test -f "$OVS_BUILDDIR/lib/libopenvswitch.la" \
     && test -f "$OVS_BUILDDIR/lib/vswitch-idl.h"; then
    AC_MSG_RESULT([$OVS_BUILDDIR])
  else
    AC_MSG_ERROR([$OVS_BUILDDIR is not a built Open vSwitch tree: it needs
config.h, lib/vswitch-idl.h and lib/libopenvswitch.la (run "make
lib/libopenvswitch.la" there, or build-aux/ovs-build.sh)])
  fi

  AC_MSG_CHECKING([Open vSwitch version])
  OVS_VERSION=`sed -n 's/^#define VERSION "\(.*\)"$/\1/p' \
               "$OVS_BUILDDIR/config.h"`
  AC_MSG_RESULT([$OVS_VERSION])
  AC_PATH_PROG([OVS_VSWITCHD], [ovs-vswitchd], [no],
               [$PATH$PATH_SEPARATOR/usr/sbin$PATH_SEPARATOR/sbin])
  if test "$OVS_VSWITCHD" != no; then
    ovs_rdma_switch_version=`$OVS_VSWITCHD --version | sed -n '1s/.* //p'`
    if test "$ovs_rdma_switch_version" != "$OVS_VERSION"; then
      AC_MSG_WARN([the Open vSwitch tree is version $OVS_VERSION but the
installed ovs-vswitchd is $ovs_rdma_switch_version: ovs-rdmad speaks to
ovs-vswitchd and shares its schema, so build against the matching tree
(Debian: apt-get install openvswitch-source)])
    fi
  else
    AC_MSG_WARN([ovs-vswitchd not found: install openvswitch-switch to run
ovs-rdmad and its tests])
  fi

  OVS_LIBDIR=$OVS_BUILDDIR/lib
  AC_SUBST([OVS_SRCDIR])
  AC_SUBST([OVS_BUILDDIR])
  AC_SUBST([OVS_LIBDIR])
  AC_SUBST([OVS_VERSION])
])

dnl OVS_RDMA_CHECK_LIBNL
dnl
dnl libnl-3 and libnl-route-3 are required: the Linux underlay backend
dnl keeps route, neighbour and link caches with them.
AC_DEFUN([OVS_RDMA_CHECK_LIBNL], [
  PKG_CHECK_MODULES([LIBNL], [libnl-3.0 libnl-route-3.0], [],
    [AC_MSG_ERROR([libnl-3 not found: apt-get install libnl-3-dev
libnl-route-3-dev])])
])

dnl OVS_RDMA_CHECK_RDMA_CORE
dnl
dnl rdma-core is optional: the librdmacm preload shim (and its test) needs
dnl librdmacm's headers, nothing else does.  Sets the HAVE_RDMACM automake
dnl conditional.  (A provider that needs libibverbs or mlx5dv adds its own
dnl probe together with the code that uses it.)
AC_DEFUN([OVS_RDMA_CHECK_RDMA_CORE], [
  AC_ARG_WITH([rdma-core],
    [AS_HELP_STRING([--without-rdma-core],
      [do not build the parts that need rdma-core (the librdmacm preload
       shim)])],
    [], [with_rdma_core=check])
  have_rdmacm=no
  if test "$with_rdma_core" != no; then
    PKG_CHECK_MODULES([RDMACM], [librdmacm], [have_rdmacm=yes], [:])
    if test "$with_rdma_core" = yes && test $have_rdmacm = no; then
      AC_MSG_ERROR([--with-rdma-core given but librdmacm not found:
apt-get install librdmacm-dev])
    fi
  fi
  AC_MSG_CHECKING([whether to build the librdmacm preload shim])
  AC_MSG_RESULT([$have_rdmacm])
  AM_CONDITIONAL([HAVE_RDMACM], [test $have_rdmacm = yes])
])

dnl OVS_RDMA_CHECK_ZLIB
dnl
dnl zlib is required: its crc32() computes the RoCEv2 ICRC.
AC_DEFUN([OVS_RDMA_CHECK_ZLIB], [
  PKG_CHECK_MODULES([ZLIB], [zlib], [],
    [AC_MSG_ERROR([zlib not found: apt-get install zlib1g-dev])])
])

dnl OVS_RDMA_CHECK_JSONC
dnl
dnl json-c is required: librdmaovl, the applications' client library,
dnl speaks JSON with it rather than with Open vSwitch's library.
AC_DEFUN([OVS_RDMA_CHECK_JSONC], [
  PKG_CHECK_MODULES([JSONC], [json-c], [],
    [AC_MSG_ERROR([json-c not found: apt-get install libjson-c-dev])])
])

dnl OVS_RDMA_ENABLE_WARNINGS
dnl
dnl Compiles with -Wall -Wextra and the warnings Open vSwitch itself uses;
dnl --enable-Werror makes them errors.
AC_DEFUN([OVS_RDMA_ENABLE_WARNINGS], [
  WARNING_FLAGS="-Wall -Wextra -Wno-sign-compare -Wno-unused-parameter \
-Wpointer-arith -Wformat -Wformat-security -Wswitch-enum \
-Wstrict-prototypes -Wold-style-definition -Wmissing-prototypes \
-Wmissing-field-initializers"
  AC_ARG_ENABLE([Werror],
    [AS_HELP_STRING([--enable-Werror], [make compiler warnings errors])],
    [test "$enableval" = yes && WARNING_FLAGS="$WARNING_FLAGS -Werror"])
  AC_SUBST([WARNING_FLAGS])
])
