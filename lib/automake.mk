# Code shared by the daemon, the tools and the tests.
noinst_LTLIBRARIES += lib/libovsrdma.la
lib_libovsrdma_la_SOURCES = \
	lib/ovl-header.c \
	lib/ovl-header.h \
	lib/ovl-tuple.c \
	lib/ovl-tuple.h \
	lib/rdma-addr.c \
	lib/rdma-addr.h \
	lib/rdma-mtu.c \
	lib/rdma-mtu.h \
	lib/roce-frame.c \
	lib/roce-frame.h
lib_libovsrdma_la_LIBADD = $(ZLIB_LIBS)
nodist_lib_libovsrdma_la_SOURCES = lib/rdma-version.h
EXTRA_DIST += lib/rdma-version.h.in
DISTCLEANFILES += lib/rdma-version.h
