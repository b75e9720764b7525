# The Linux underlay backend (Documentation/design.rst, section "Underlay
# resolution"), for ovs-rdmad and the tests.
noinst_LTLIBRARIES += ofproto-rdma/libunderlay-linux.la
ofproto_rdma_libunderlay_linux_la_SOURCES = \
	ofproto-rdma/rdma-underlay.h \
	ofproto-rdma/rdma-underlay-linux.c \
	ofproto-rdma/rdma-underlay-linux.h \
	ofproto-rdma/rdma-underlay-linux-private.h \
	ofproto-rdma/rdma-underlay-linux-route.c
ofproto_rdma_libunderlay_linux_la_LIBADD = $(LIBNL_LIBS)

# The control plane's modules, shared by ovs-rdmad, the unit tests and the
# benchmarks.
noinst_LTLIBRARIES += ofproto-rdma/libofproto-rdma.la
ofproto_rdma_libofproto_rdma_la_SOURCES = \
	ofproto-rdma/rdma-ack.c \
	ofproto-rdma/rdma-ack.h \
	ofproto-rdma/rdma-appctl.c \
	ofproto-rdma/rdma-appctl.h \
	ofproto-rdma/rdma-config-guard.c \
	ofproto-rdma/rdma-config-guard.h \
	ofproto-rdma/rdma-last-config.c \
	ofproto-rdma/rdma-last-config.h \
	ofproto-rdma/rdma-engine.c \
	ofproto-rdma/rdma-engine.h \
	ofproto-rdma/rdma-engine-apply.c \
	ofproto-rdma/rdma-engine-config.c \
	ofproto-rdma/rdma-engine-private.h \
	ofproto-rdma/rdma-engine-qp.c \
	ofproto-rdma/rdma-engine-request.c \
	ofproto-rdma/rdma-engine-restore.c \
	ofproto-rdma/rdma-flow-monitor.c \
	ofproto-rdma/rdma-flow-monitor.h \
	ofproto-rdma/rdma-kneigh.c \
	ofproto-rdma/rdma-kneigh.h \
	ofproto-rdma/rdma-mapping.c \
	ofproto-rdma/rdma-mapping.h \
	ofproto-rdma/rdma-mapping-build.c \
	ofproto-rdma/rdma-mapping-equal.c \
	ofproto-rdma/rdma-mapping-parse.c \
	ofproto-rdma/rdma-mapping-private.h \
	ofproto-rdma/rdma-netns.c \
	ofproto-rdma/rdma-netns.h \
	ofproto-rdma/rdma-ovsdb.c \
	ofproto-rdma/rdma-ovsdb.h \
	ofproto-rdma/rdma-persist.c \
	ofproto-rdma/rdma-persist.h \
	ofproto-rdma/rdma-qp-map.c \
	ofproto-rdma/rdma-qp-map-index.c \
	ofproto-rdma/rdma-qp-map-private.h \
	ofproto-rdma/rdma-qp-map-show.c \
	ofproto-rdma/rdma-qp-map.h \
	ofproto-rdma/rdma-qp-fake.c \
	ofproto-rdma/rdma-qp-netlink.c \
	ofproto-rdma/rdma-qp-peer.c \
	ofproto-rdma/rdma-qp-source.c \
	ofproto-rdma/rdma-qp-source.h \
	ofproto-rdma/rdma-qp-source-private.h \
	ofproto-rdma/rdma-request.c \
	ofproto-rdma/rdma-request.h \
	ofproto-rdma/rdma-pipeline.c \
	ofproto-rdma/rdma-pipeline.h \
	ofproto-rdma/rdma-resolve.c \
	ofproto-rdma/rdma-resolve.h \
	ofproto-rdma/rdma-retry.c \
	ofproto-rdma/rdma-retry.h \
	ofproto-rdma/rdma-state-file.c \
	ofproto-rdma/rdma-state-file.h \
	ofproto-rdma/rdma-syncer.c \
	ofproto-rdma/rdma-syncer.h \
	ofproto-rdma/rdma-status.c \
	ofproto-rdma/rdma-status.h \
	ofproto-rdma/rdma-tenant.c \
	ofproto-rdma/rdma-tenant.h \
	ofproto-rdma/rdma-tenant-private.h \
	ofproto-rdma/rdma-tenant-socket.c \
	ofproto-rdma/rdma-tenant-request.c \
	ofproto-rdma/rdma-underlay.c \
	ofproto-rdma/rdma-underlay-ovs.c \
	ofproto-rdma/rdma-underlay-ovs.h \
	ofproto-rdma/rdma-underlay-provider.h \
	ofproto-rdma/rdma-vf-rep.c \
	ofproto-rdma/rdma-vf-rep.h \
	ofproto-rdma/rdma-zero-touch.c \
	ofproto-rdma/rdma-zero-touch.h \
	ofproto-rdma/rdma-zero-touch-private.h \
	ofproto-rdma/rdma-zt-active.c \
	ofproto-rdma/rdma-zt-devmap.c \
	ofproto-rdma/rdma-zt-listen.c \
	ofproto-rdma/rdma-zt-show.c \
	ofproto-rdma/rdma-zt-wake.c \
	ofproto-rdma/rdma-zt-wake.h

# Everything a program that uses the control plane links.
OFPROTO_RDMA_LIBS = \
	ofproto-rdma/libofproto-rdma.la \
	ofproto-rdma/libunderlay-linux.la \
	datapath/libdatapath.la \
	lib/libcommon.la \
	$(OVS_LIBS) \
	$(LIBNL_LIBS) \
	$(ZLIB_LIBS)

# The daemon.
sbin_PROGRAMS += ofproto-rdma/ovs-rdmad
ofproto_rdma_ovs_rdmad_SOURCES = ofproto-rdma/ovs-rdmad.c
ofproto_rdma_ovs_rdmad_LDADD = $(OFPROTO_RDMA_LIBS)
dist_man_MANS += ofproto-rdma/ovs-rdmad.8
