# The autotest suite ("make check") and the unit-test runner it calls.
EXTRA_DIST += \
	$(TESTSUITE_AT) \
	$(TESTSUITE) \
	tests/atlocal.in \
	tests/tenant-raw \
	$(srcdir)/package.m4
TESTSUITE_AT = \
	tests/testsuite.at \
	tests/rdma-macros.at \
	tests/lib.at \
	tests/datapath.at \
	tests/daemon.at \
	tests/mapping.at \
	tests/pipeline.at \
	tests/refresh.at \
	tests/errors.at \
	tests/restart.at \
	tests/faults.at \
	tests/tenant.at \
	tests/trust.at \
	tests/zero-touch.at \
	tests/zero-touch-vf.at \
	tests/preload.at \
	tests/soft.at \
	tests/tc.at \
	tests/underlay-linux.at
TESTSUITE = $(srcdir)/tests/testsuite

# The system tests ("make check-system"): need root, network namespaces,
# tshark and scapy; real userspace Open vSwitch between namespace hosts.
SYSTEM_TESTSUITE_AT = \
	tests/system-testsuite.at \
	tests/rdma-macros.at \
	tests/system-overlay.at \
	tests/system-ovn.at
SYSTEM_TESTSUITE = $(srcdir)/tests/system-testsuite
EXTRA_DIST += $(SYSTEM_TESTSUITE_AT) $(SYSTEM_TESTSUITE)

# The kernel lane ("make check-kernel"): each test boots Debian's kernel in
# a QEMU guest (tests/kernel-vm) and runs there as root: kernel OVS
# datapath, 802.1Q, Geneve, rdma_rxe with the real librdmacm.
KERNEL_TESTSUITE_AT = \
	tests/kernel-testsuite.at \
	tests/rdma-macros.at \
	tests/kernel-macros.at \
	tests/kernel-basic.at \
	tests/kernel-rdma.at \
	tests/kernel-tc.at \
	tests/kernel-datapath.at \
	tests/kernel-vlan.at \
	tests/kernel-preload.at \
	tests/kernel-trust.at \
	tests/kernel-pipeline.at \
	tests/kernel-zero-touch.at
KERNEL_TESTSUITE = $(srcdir)/tests/kernel-testsuite
EXTRA_DIST += $(KERNEL_TESTSUITE_AT) $(KERNEL_TESTSUITE) \
	tests/kernel-vm \
	tests/kernel-lib.sh \
	tests/kernel-tc.sh \
	tests/kernel-pipeline.sh \
	tests/kernel-zero-touch.sh \
	tests/kernel-tc-check.py \
	tests/kernel-capture.py
DISTCLEANFILES += tests/atconfig tests/atlocal
CLEANFILES += tests/kernel-times

# Directories, relative to the top of the build and source trees, that the
# tests find their programs in.
AUTOTEST_PATH = ofproto-rdma:utilities:tests

check-local: tests/atconfig tests/atlocal $(TESTSUITE)
	$(SHELL) '$(TESTSUITE)' -C tests AUTOTEST_PATH=$(AUTOTEST_PATH) \
		$(TESTSUITEFLAGS)

check-system: all tests/atconfig tests/atlocal $(SYSTEM_TESTSUITE)
	$(SHELL) '$(SYSTEM_TESTSUITE)' -C tests AUTOTEST_PATH=$(AUTOTEST_PATH) \
		$(TESTSUITEFLAGS)
.PHONY: check-system

# Ends with the lane's wall time and each test's guest time (kernel-times,
# written by the tests' kernel_timed).
check-kernel: all tests/atconfig tests/atlocal $(KERNEL_TESTSUITE) $(TESTSUITE)
	@$(srcdir)/tests/kernel-vm --check || true
	@rm -f tests/kernel-times
	@t0=`date +%s`; \
	$(SHELL) '$(KERNEL_TESTSUITE)' -C tests AUTOTEST_PATH=$(AUTOTEST_PATH) \
		$(TESTSUITEFLAGS); \
	rc=$$?; \
	echo "kernel lane: wall time $$((`date +%s` - t0)) s; each test's guest:"; \
	sort -n tests/kernel-times 2>/dev/null \
	    | awk '{n = $$1; t = $$2; $$1 = $$2 = ""; sub(/^ +/, ""); \
	            printf "  %4d s  %3d: %s\n", t, n, $$0}'; \
	exit $$rc
.PHONY: check-kernel

$(KERNEL_TESTSUITE): package.m4 $(KERNEL_TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp $@.at && mv $@.tmp $@

$(SYSTEM_TESTSUITE): package.m4 $(SYSTEM_TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp $@.at && mv $@.tmp $@

clean-local: clean-testsuite
clean-testsuite:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean
	test ! -f '$(SYSTEM_TESTSUITE)' \
		|| $(SHELL) '$(SYSTEM_TESTSUITE)' -C tests --clean
	test ! -f '$(KERNEL_TESTSUITE)' \
		|| $(SHELL) '$(KERNEL_TESTSUITE)' -C tests --clean
.PHONY: clean-testsuite

AUTOTEST = $(AUTOM4TE) -l autotest
$(TESTSUITE): package.m4 $(TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp $@.at && mv $@.tmp $@

# The package.m4 that autotest needs, from configure.ac.
$(srcdir)/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN):;{ \
	  echo '# Signature of the current package.' && \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])' && \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])' && \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])' && \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])' && \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} >'$(srcdir)/package.m4'

# The unit-test runner for the C unit tests of lib/, datapath/ and
# ofproto-rdma/ code.
noinst_PROGRAMS += tests/rdma-test
tests_rdma_test_SOURCES = \
	tests/fake-underlay.c \
	tests/fake-underlay.h \
	tests/rdma-test.c \
	tests/rdma-test.h \
	tests/test-addr.c \
	tests/test-engine.c \
	tests/test-hash.c \
	tests/test-header.c \
	tests/test-mtu.c \
	tests/test-nic.c \
	tests/test-roce.c \
	tests/test-trace.c \
	tests/test-tuple.c \
	tests/test-tuple.h \
	tests/test-underlay-linux.c \
	tests/test-zero-touch.c
tests_rdma_test_LDADD = $(OFPROTO_RDMA_LIBS)

# Benchmarks ("make bench"): not part of "make check".  BENCH_SIZES sets
# the numbers of QPs.
noinst_PROGRAMS += tests/rdma-bench
tests_rdma_bench_SOURCES = \
	tests/fake-underlay.c \
	tests/fake-underlay.h \
	tests/rdma-bench.c \
	tests/rdma-bench.h \
	tests/rdma-bench-daemon.c \
	tests/rdma-bench-floor.c
tests_rdma_bench_LDADD = $(OFPROTO_RDMA_LIBS)
noinst_PROGRAMS += tests/soft-bench
tests_soft_bench_SOURCES = \
	tests/soft-bench.c \
	tests/test-tuple.c \
	tests/test-tuple.h
tests_soft_bench_LDADD = $(OFPROTO_RDMA_LIBS)
EXTRA_DIST += tests/bench.sh tests/soak.sh
bench: all
	$(SHELL) $(srcdir)/tests/bench.sh
.PHONY: bench

# The soak test ("make soak", not part of "make check"): random binds,
# unbinds, configuration changes, NIC failures and kills for SOAK_MINUTES
# minutes (default 5), checking the invariant after every step.
soak: all
	$(SHELL) $(srcdir)/tests/soak.sh
.PHONY: soak

# librdmaovl's test driver: links librdmaovl alone, no Open vSwitch.
noinst_PROGRAMS += tests/test-rdmaovl
tests_test_rdmaovl_SOURCES = tests/test-rdmaovl.c
tests_test_rdmaovl_CPPFLAGS = -I$(srcdir)/lib
tests_test_rdmaovl_LDADD = lib/librdmaovl.la

# The preload shim's test: a stand-in librdmacm (a shared library, so that
# the shim, preloaded, comes before it) and an "application".
if HAVE_RDMACM
noinst_LTLIBRARIES += tests/libfake-rdmacm.la
tests_libfake_rdmacm_la_SOURCES = tests/fake-rdmacm.c tests/fake-rdmacm.h
tests_libfake_rdmacm_la_CPPFLAGS = $(RDMACM_CFLAGS)
tests_libfake_rdmacm_la_LDFLAGS = -rpath $(abs_builddir)/tests \
	-avoid-version
noinst_PROGRAMS += tests/test-preload
tests_test_preload_SOURCES = tests/test-preload.c
tests_test_preload_CPPFLAGS = -I$(srcdir)/lib $(RDMACM_CFLAGS)
tests_test_preload_LDADD = tests/libfake-rdmacm.la lib/librdmaovl.la
endif
