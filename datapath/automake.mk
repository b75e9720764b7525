# The NIC driver callback interface and its providers (Documentation/
# design.rst, sections "The NIC driver callback interface" and "NIC
# providers").
#
# Programs that use it link, in this order, datapath/libdatapath.la,
# lib/libcommon.la and $(OVS_LIBS).
noinst_LTLIBRARIES += datapath/libdatapath.la
datapath_libdatapath_la_SOURCES = \
	datapath/rdma-nic.c \
	datapath/rdma-nic.h \
	datapath/rdma-nic-dummy.c \
	datapath/rdma-nic-dummy.h \
	datapath/rdma-nic-dummy-table.c \
	datapath/rdma-nic-dummy-table.h \
	datapath/rdma-nic-soft.c \
	datapath/rdma-nic-soft.h \
	datapath/rdma-nic-tc.c \
	datapath/rdma-nic-provider.h
