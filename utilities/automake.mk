# Operator tools and the sandbox.
dist_noinst_SCRIPTS = \
	utilities/ovs-rdma-demo \
	utilities/ovs-rdma-netns-demo \
	utilities/ovs-rdma-sandbox \
	utilities/ovs-rdma-scale-model

# The tenants' command-line client of ovs-rdmad's per-vport sockets.  It
# goes into tenant containers, so it is built on librdmaovl and json-c
# alone, without Open vSwitch's headers or library.
bin_PROGRAMS += utilities/ovs-rdma-client
utilities_ovs_rdma_client_SOURCES = utilities/ovs-rdma-client.c
utilities_ovs_rdma_client_CPPFLAGS = -I$(builddir)/lib -I$(srcdir)/lib \
	$(JSONC_CFLAGS)
utilities_ovs_rdma_client_LDADD = lib/librdmaovl.la $(JSONC_LIBS)
dist_man_MANS += utilities/ovs-rdma-client.1
