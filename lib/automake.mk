# lib/libcommon.la: the code that ovs-rdmad, the tools and the tests share
# (overlay tuple, outer headers, trace parser, MTU math, ICRC, addresses,
# errno names, crash points).  Internal; not installed.
noinst_LTLIBRARIES += lib/libcommon.la
lib_libcommon_la_SOURCES = \
	lib/ovl-header.c \
	lib/ovl-header.h \
	lib/ovl-trace.c \
	lib/ovl-trace.h \
	lib/ovl-tuple.c \
	lib/ovl-tuple.h \
	lib/ovl-type.c \
	lib/ovl-type.h \
	lib/rdma-addr.c \
	lib/rdma-addr.h \
	lib/rdma-json-text.c \
	lib/rdma-json-text.h \
	lib/rdma-errno.c \
	lib/rdma-errno.h \
	lib/rdma-mtu.c \
	lib/rdma-mtu.h \
	lib/rdma-fault.c \
	lib/rdma-fault.h \
	lib/roce-frame.c \
	lib/roce-frame.h
lib_libcommon_la_LIBADD = $(ZLIB_LIBS)
nodist_lib_libcommon_la_SOURCES = lib/rdma-version.h
EXTRA_DIST += lib/rdma-version.h.in
DISTCLEANFILES += lib/rdma-version.h

# librdmaovl: the application's client of ovs-rdmad's tenant sockets.
# Installed, with its header and pkg-config file; needs json-c, not OVS.
lib_LTLIBRARIES += lib/librdmaovl.la
lib_librdmaovl_la_SOURCES = lib/rdmaovl.c
lib_librdmaovl_la_CPPFLAGS = $(JSONC_CFLAGS)
lib_librdmaovl_la_LIBADD = $(JSONC_LIBS)
lib_librdmaovl_la_LDFLAGS = -version-info 1:0:1 \
	-export-symbols-regex '^rdmaovl_'
include_HEADERS += lib/rdmaovl.h
pkgconfig_DATA += lib/librdmaovl.pc
DISTCLEANFILES += lib/librdmaovl.pc
EXTRA_DIST += lib/librdmaovl.pc.in

# librdmaovl-preload: LD_PRELOAD shim that binds librdmacm applications'
# connections through librdmaovl.  Needs librdmacm's headers only.  It is
# preloaded, never linked against, so it goes into a private directory,
# $(pkglibdir) (LD_PRELOAD=/usr/$LIB/ovs-rdma/librdmaovl-preload.so).
if HAVE_RDMACM
pkglib_LTLIBRARIES = lib/librdmaovl-preload.la
lib_librdmaovl_preload_la_SOURCES = lib/rdmaovl-preload.c
lib_librdmaovl_preload_la_CPPFLAGS = $(RDMACM_CFLAGS)
lib_librdmaovl_preload_la_LIBADD = lib/librdmaovl.la -ldl -lpthread
lib_librdmaovl_preload_la_LDFLAGS = -avoid-version -module -shared \
	-export-symbols-regex '^(rdma_|ibv_modify_qp$$)'
endif
