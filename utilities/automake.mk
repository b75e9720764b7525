# Operator tools and the sandbox.
dist_noinst_SCRIPTS = \
	utilities/ovs-rdma-demo \
	utilities/ovs-rdma-netns-demo \
	utilities/ovs-rdma-sandbox
