# The Linux underlay backend (DESIGN.md section 4), for ovs-rdmad and the
# tests.
noinst_LTLIBRARIES += ofproto-rdma/libunderlay-linux.la
ofproto_rdma_libunderlay_linux_la_SOURCES = \
	ofproto-rdma/rdma-underlay.h \
	ofproto-rdma/rdma-underlay-linux.c \
	ofproto-rdma/rdma-underlay-linux.h
ofproto_rdma_libunderlay_linux_la_LIBADD = $(LIBNL_LIBS)

# The control plane: the ovs-rdmad daemon.
sbin_PROGRAMS += ofproto-rdma/ovs-rdmad
ofproto_rdma_ovs_rdmad_SOURCES = \
	ofproto-rdma/ovs-rdmad.c \
	ofproto-rdma/rdma-appctl.c \
	ofproto-rdma/rdma-appctl.h \
	ofproto-rdma/rdma-engine.c \
	ofproto-rdma/rdma-engine.h \
	ofproto-rdma/rdma-mapping.c \
	ofproto-rdma/rdma-mapping.h \
	ofproto-rdma/rdma-ovsdb.c \
	ofproto-rdma/rdma-ovsdb.h \
	ofproto-rdma/rdma-qp-map.c \
	ofproto-rdma/rdma-qp-map.h \
	ofproto-rdma/rdma-resolve.c \
	ofproto-rdma/rdma-resolve.h \
	ofproto-rdma/rdma-status.c \
	ofproto-rdma/rdma-status.h \
	ofproto-rdma/rdma-underlay.h \
	ofproto-rdma/rdma-underlay-ovs.c \
	ofproto-rdma/rdma-underlay-ovs.h
ofproto_rdma_ovs_rdmad_LDADD = \
	lib/libovsrdma.la \
	$(OVS_LIBS) \
	$(LIBNL_LIBS) \
	$(ZLIB_LIBS)
dist_man_MANS += ofproto-rdma/ovs-rdmad.8
