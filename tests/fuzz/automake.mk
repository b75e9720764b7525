# Fuzzing ("make fuzz"): libFuzzer targets for the request parsers and the
# tenant request handler, built with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (Debian's clang and libclang-rt-14-dev).  Our
# sources are compiled into each target with the sanitizers; the Open
# vSwitch library is linked as built.
#
#   make fuzz                     each target for FUZZ_TIME seconds (20)
#   make fuzz FUZZ_TIME=3600      longer
#   make fuzz-build               only build them
#
# Each target starts from the seeds in tests/fuzz/corpus-NAME and keeps what
# it finds in tests/fuzz/NAME.corpus (not distributed); a crash leaves its
# input as tests/fuzz/NAME-crash-* and fails the target.  The execs count
# is on the last "DONE" line of each run.
FUZZ_CC = clang
FUZZ_TIME = 20
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS = tests/fuzz/fuzz-request tests/fuzz/fuzz-tenant
FUZZ_SRCS = \
	$(filter %.c,$(lib_libcommon_la_SOURCES)) \
	$(filter %.c,$(datapath_libdatapath_la_SOURCES)) \
	$(filter %.c,$(ofproto_rdma_libofproto_rdma_la_SOURCES)) \
	$(filter %.c,$(ofproto_rdma_libunderlay_linux_la_SOURCES)) \
	tests/fake-underlay.c
FUZZ_LIBS = $(OVS_LIBDIR)/.libs/libopenvswitch.a \
	$(OVS_LIBDIR)/.libs/libopenvswitchavx512.a \
	-lssl -lcrypto -lcap-ng -latomic -lm -lunbound $(LIBNL_LIBS) \
	$(ZLIB_LIBS) -lpthread
EXTRA_DIST += \
	tests/fuzz/fuzz-request.c \
	tests/fuzz/fuzz-tenant.c \
	tests/fuzz/corpus-request/args \
	tests/fuzz/corpus-request/bind \
	tests/fuzz/corpus-request/two \
	tests/fuzz/corpus-tenant/session \
	tests/fuzz/corpus-tenant/spoof \
	tests/fuzz/run-fuzz.sh
CLEANFILES += $(FUZZ_TARGETS)

$(FUZZ_TARGETS): %: %.c $(FUZZ_SRCS:%=$(srcdir)/%) lib/rdma-version.h
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) $(DEFS) $(DEFAULT_INCLUDES) \
		$(AM_CPPFLAGS) $(CPPFLAGS) -I$(srcdir)/tests \
		-Wno-unused-command-line-argument \
		-o $@ $(srcdir)/$@.c $(FUZZ_SRCS:%=$(srcdir)/%) $(FUZZ_LIBS)

fuzz-build: $(FUZZ_TARGETS)
fuzz: fuzz-build
	$(SHELL) $(srcdir)/tests/fuzz/run-fuzz.sh $(FUZZ_TIME) \
		$(srcdir)/tests/fuzz $(FUZZ_TARGETS)
.PHONY: fuzz fuzz-build
