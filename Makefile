# rawct: conntrack-tools without the libraries. See README.md.
# This one Makefile runs unchanged under GNU make and bmake: explicit source
# lists, suffix rules, explicit header dependencies, no conditionals.

CC = cc
CLANG = clang
MUSLCC = musl-gcc
AFLCC = afl-clang-fast
LLVM_PROFDATA = llvm-profdata
LLVM_COV = llvm-cov
AR = ar
CFLAGS = -O2 -g
LDFLAGS =
WERROR = -Werror
PREFIX = /usr/local
SBINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
DESTDIR =
CHECK_LIBS = -lcheck -lsubunit -lrt -lm -pthread
# seconds per harness in fuzz-smoke, and for `make fuzz-run HARNESS=x SECONDS=n`
SMOKE_SECONDS = 20
HARNESS =
SECONDS = 600

WARN = -std=c11 -Wall -Wextra -Wshadow -Wvla -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	-Wundef -Wno-unused-parameter
# threads: piped dumps and batches (nl/pipe.c); libc's own on glibc and musl
THREADS = -pthread
BASE_CPPFLAGS = -I. -D_GNU_SOURCE $(THREADS)
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD = -pie -Wl,-z,relro -Wl,-z,now
XCFLAGS = $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(HARDEN) $(CFLAGS)
SAN = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# ---- sources ------------------------------------------------------------
NL_SRCS = nl/attr.c nl/msg.c nl/sock.c nl/reply.c nl/batch.c nl/pipe.c
CT_SRCS = ct/proto.c ct/out.c ct/format.c ct/labels.c ct/decode.c ct/encode.c \
	ct/table.c ct/stats.c ct/batch.c ct/filter.c \
	ct/expect_codec.c ct/expect_table.c ct/expect_format.c \
	ct/bpf.c ct/bpf_vm.c ct/event.c
SYNC_SRCS =
LIB_SRCS = $(NL_SRCS) $(CT_SRCS) $(SYNC_SRCS)
# what the programs built straight from sources (tests, sanitizers) see
LIB_HDRS = nl/attr.h nl/batch.h nl/copy.h nl/msg.h nl/pipe.h nl/reply.h \
	nl/sock.h nl/uapi.h ct/batch.h ct/bpf.h ct/decode.h ct/encode.h \
	ct/entry.h ct/event.h ct/expect.h ct/expect_codec.h ct/expect_format.h \
	ct/expect_table.h ct/filter.h ct/format.h ct/labels.h ct/out.h \
	ct/proto.h ct/stats.h ct/table.h
LIB_OBJS = $(LIB_SRCS:.c=.o)

# the command-line parser: no kernel, no I/O, also built into the tests
CT_ARGS_SRCS = cmd/ct_args.c cmd/ct_args_addr.c cmd/ct_args_proto.c \
	cmd/ct_args_filter.c cmd/ct_getopt.c
CONNTRACK_SRCS = cmd/conntrack.c cmd/ct_run.c cmd/ct_modify.c \
	cmd/ct_load.c cmd/ct_lex.c cmd/ct_usage.c cmd/ct_expect.c cmd/ct_event.c \
	$(CT_ARGS_SRCS)
CONNTRACK_OBJS = $(CONNTRACK_SRCS:.c=.o)
PROGS = conntrack

UNIT_SRCS = tests/unit/check_main.c tests/unit/fixture.c tests/unit/check_attr.c \
	tests/unit/check_msg.c tests/unit/check_reply.c \
	tests/unit/check_format.c tests/unit/check_labels.c \
	tests/unit/check_ct_codec.c \
	tests/unit/check_ct_args.c tests/unit/check_filter.c \
	tests/unit/check_expect.c tests/unit/check_bpf.c $(CT_ARGS_SRCS)
NETNS_TOOL_SRCS = tests/netns/nlprobe.c
CTTOOL_SRCS = tests/netns/cttool.c
EXPTOOL_SRCS = tests/netns/exptool.c
EVTOOL_SRCS = tests/netns/evtool.c

# one LLVMFuzzerTestOneInput per file; HARNESSES names them
HARNESSES = attr reply bpf ct_decode ct_args ct_load labels expect event \
	stats
FUZZ_DRIVER = fuzz/driver.c
# linked into every harness: the printing checks, the command-line parser
# and the -R tokenizer
FUZZ_SRCS = fuzz/fmt_check.c cmd/ct_lex.c $(CT_ARGS_SRCS)
# what `make coverage` reports on
COV_SRCS = nl/attr.c nl/reply.c nl/msg.c ct/decode.c ct/encode.c ct/out.c \
	ct/format.c ct/labels.c cmd/ct_args.c cmd/ct_args_addr.c \
	cmd/ct_args_proto.c cmd/ct_args_filter.c cmd/ct_getopt.c cmd/ct_lex.c \
	ct/expect_codec.c ct/expect_format.c ct/event.c ct/stats.c ct/bpf.c \
	ct/bpf_vm.c

MANPAGES = man/conntrack.8

# ---- build --------------------------------------------------------------
all: $(PROGS)

.SUFFIXES: .c .o
.c.o:
	$(CC) $(XCFLAGS) -c -o $@ $<

librawct.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

conntrack: $(CONNTRACK_OBJS) librawct.a
	$(CC) $(CFLAGS) $(THREADS) $(HARDEN_LD) $(LDFLAGS) -o $@ $(CONNTRACK_OBJS) librawct.a

# header dependencies (keep in step with the #includes)
NL_UAPI = nl/uapi.h
nl/attr.o: nl/attr.c nl/attr.h $(NL_UAPI)
nl/msg.o: nl/msg.c nl/msg.h nl/copy.h $(NL_UAPI)
nl/sock.o: nl/sock.c nl/sock.h $(NL_UAPI)
nl/reply.o: nl/reply.c nl/reply.h nl/attr.h nl/msg.h nl/sock.h $(NL_UAPI)
nl/pipe.o: nl/pipe.c nl/pipe.h nl/reply.h nl/msg.h nl/sock.h $(NL_UAPI)
nl/batch.o: nl/batch.c nl/batch.h nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
CT_ARGS_H = cmd/ct_args.h cmd/ct_args_int.h cmd/ct_getopt.h ct/entry.h \
	ct/filter.h
cmd/conntrack.o: cmd/conntrack.c cmd/ct_args.h cmd/ct_load.h cmd/ct_run.h \
	ct/entry.h ct/filter.h
cmd/ct_run.o: cmd/ct_run.c cmd/ct_run.h cmd/ct_usage.h cmd/ct_event.h \
	cmd/ct_expect.h $(CT_ARGS_H) ct/batch.h ct/expect.h ct/format.h \
	ct/labels.h ct/stats.h ct/table.h nl/attr.h nl/sock.h
cmd/ct_expect.o: cmd/ct_expect.c cmd/ct_expect.h cmd/ct_run.h $(CT_ARGS_H) \
	ct/expect.h ct/expect_format.h ct/expect_table.h ct/format.h \
	ct/labels.h ct/stats.h nl/attr.h nl/reply.h nl/sock.h $(NL_UAPI)
cmd/ct_event.o: cmd/ct_event.c cmd/ct_event.h cmd/ct_expect.h cmd/ct_run.h \
	$(CT_ARGS_H) ct/bpf.h ct/event.h ct/expect.h ct/expect_codec.h \
	ct/format.h ct/labels.h ct/stats.h nl/attr.h nl/msg.h $(NL_UAPI)
cmd/ct_modify.o: cmd/ct_modify.c cmd/ct_run.h $(CT_ARGS_H) ct/batch.h \
	ct/format.h ct/proto.h ct/table.h nl/sock.h
cmd/ct_lex.o: cmd/ct_lex.c cmd/ct_lex.h nl/copy.h
cmd/ct_load.o: cmd/ct_load.c cmd/ct_load.h cmd/ct_lex.h cmd/ct_run.h $(CT_ARGS_H) \
	ct/batch.h ct/entry.h nl/batch.h nl/reply.h nl/sock.h
cmd/ct_usage.o: cmd/ct_usage.c cmd/ct_usage.h
cmd/ct_args.o: cmd/ct_args.c $(CT_ARGS_H) ct/labels.h $(NL_UAPI)
cmd/ct_args_addr.o: cmd/ct_args_addr.c $(CT_ARGS_H) $(NL_UAPI)
cmd/ct_args_proto.o: cmd/ct_args_proto.c $(CT_ARGS_H) ct/proto.h $(NL_UAPI)
cmd/ct_args_filter.o: cmd/ct_args_filter.c $(CT_ARGS_H) ct/proto.h
cmd/ct_getopt.o: cmd/ct_getopt.c cmd/ct_getopt.h
ct/filter.o: ct/filter.c ct/filter.h ct/entry.h ct/proto.h ct/table.h \
	$(NL_UAPI)
ct/out.o: ct/out.c ct/out.h ct/entry.h nl/copy.h
ct/format.o: ct/format.c ct/format.h ct/out.h ct/entry.h ct/labels.h ct/proto.h \
	ct/stats.h nl/attr.h nl/reply.h $(NL_UAPI)
ct/labels.o: ct/labels.c ct/labels.h
ct/proto.o: ct/proto.c ct/proto.h ct/entry.h
ct/decode.o: ct/decode.c ct/decode.h ct/entry.h ct/proto.h nl/attr.h nl/copy.h nl/reply.h $(NL_UAPI)
ct/encode.o: ct/encode.c ct/encode.h ct/entry.h ct/proto.h nl/msg.h $(NL_UAPI)
ct/table.o: ct/table.c ct/table.h ct/batch.h ct/stats.h ct/decode.h \
	ct/encode.h ct/entry.h ct/proto.h nl/attr.h nl/batch.h nl/msg.h \
	nl/pipe.h nl/reply.h nl/sock.h $(NL_UAPI)
ct/stats.o: ct/stats.c ct/stats.h nl/attr.h nl/msg.h nl/reply.h nl/sock.h \
	$(NL_UAPI)
ct/batch.o: ct/batch.c ct/batch.h ct/decode.h ct/encode.h ct/entry.h \
	nl/batch.h nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
ct/expect_codec.o: ct/expect_codec.c ct/expect_codec.h ct/expect.h \
	ct/entry.h ct/decode.h ct/encode.h nl/attr.h nl/msg.h nl/reply.h $(NL_UAPI)
ct/expect_table.o: ct/expect_table.c ct/expect_table.h ct/expect_codec.h \
	ct/expect.h ct/entry.h ct/encode.h ct/stats.h nl/attr.h nl/msg.h \
	nl/reply.h nl/sock.h $(NL_UAPI)
ct/bpf.o: ct/bpf.c ct/bpf.h ct/entry.h ct/filter.h ct/proto.h $(NL_UAPI)
ct/bpf_vm.o: ct/bpf_vm.c ct/bpf.h $(NL_UAPI)
ct/event.o: ct/event.c ct/event.h ct/bpf.h ct/decode.h ct/entry.h \
	nl/attr.h nl/sock.h $(NL_UAPI)
ct/expect_format.o: ct/expect_format.c ct/expect_format.h ct/out.h ct/expect.h \
	ct/entry.h ct/format.h ct/labels.h ct/stats.h ct/proto.h

# ---- tests --------------------------------------------------------------
# Everything this machine can run: unit tests (plain and ASan+UBSan), the
# network-namespace tests, the differential tests, fuzz corpus replay and
# (with clang) a short fuzzing smoke run.
test: all check check-asan check-builds check-netns check-threads check-compat \
		fuzz-replay
	@if command -v $(CLANG) >/dev/null 2>&1; then \
		$(MAKE) fuzz-smoke SMOKE_SECONDS=$(SMOKE_SECONDS); \
	else echo "SKIP: fuzz-smoke needs $(CLANG)"; fi

# The other compilers and libcs we promise: clang with our warnings as
# errors, and a static musl binary that must run (-V), link nothing and
# stay under STATIC_MAX bytes (what a minimal distribution would take,
# libc included).
STATIC_MAX = 204800
check-builds:
	mkdir -p build/clang
	@if command -v $(CLANG) >/dev/null 2>&1; then \
		$(CLANG) $(XCFLAGS) $(HARDEN_LD) -o build/clang/conntrack \
			$(CONNTRACK_SRCS) $(LIB_SRCS) || exit 1; \
		build/clang/conntrack -V; \
	else echo "SKIP: clang build: no $(CLANG)"; fi
	@if command -v $(MUSLCC) >/dev/null 2>&1; then \
		$(MAKE) static && build/static/conntrack -V && \
		{ ! ldd build/static/conntrack >/dev/null 2>&1 || \
		  ldd build/static/conntrack 2>&1 | grep -q 'not a dynamic'; } && \
		n=`wc -c <build/static/conntrack` && \
		echo "build/static/conntrack: $$n bytes" && \
		{ [ "$$n" -le $(STATIC_MAX) ] || { \
			echo "build/static/conntrack: over $(STATIC_MAX) bytes"; \
			exit 1; }; }; \
	else echo "SKIP: static build: no $(MUSLCC)"; fi

build/unit/check_all: $(UNIT_SRCS) $(LIB_SRCS) $(LIB_HDRS) tests/unit/suites.h \
		tests/unit/fixture.h
	mkdir -p build/unit
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) -O1 -g -o $@ \
		$(UNIT_SRCS) $(LIB_SRCS) $(CHECK_LIBS)

build/asan/check_all: $(UNIT_SRCS) $(LIB_SRCS) $(LIB_HDRS) tests/unit/suites.h \
		tests/unit/fixture.h
	mkdir -p build/asan
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(SAN) -o $@ \
		$(UNIT_SRCS) $(LIB_SRCS) $(CHECK_LIBS)

check: build/unit/check_all
	CK_FORK=yes build/unit/check_all

check-asan: build/asan/check_all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build/asan/check_all

# nlprobe: the netns tests' probe, talking to ctnetlink only through nl/
build/netns/nlprobe: $(NETNS_TOOL_SRCS) $(LIB_SRCS) nl/attr.h nl/batch.h \
		nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
	mkdir -p build/netns
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ $(NETNS_TOOL_SRCS) $(LIB_SRCS)

# cttool: the ct/table.h operations against the kernel (t_ct_table.sh)
build/netns/cttool: $(CTTOOL_SRCS) $(LIB_SRCS) ct/table.h ct/batch.h \
		ct/stats.h ct/decode.h ct/encode.h ct/entry.h ct/proto.h \
		nl/attr.h nl/batch.h nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
	mkdir -p build/netns
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ $(CTTOOL_SRCS) $(LIB_SRCS)

# real-kernel cases in scratch namespaces (root; SKIP lines otherwise)
# exptool: the ct/expect_table.h operations against a real ftp-helper
# expectation (t_expect.sh)
build/netns/exptool: $(EXPTOOL_SRCS) $(LIB_SRCS) ct/expect_table.h \
		ct/expect_format.h ct/expect_codec.h ct/expect.h ct/entry.h \
		ct/format.h ct/stats.h nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
	mkdir -p build/netns
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ $(EXPTOOL_SRCS) $(LIB_SRCS)

# evtool: ct/event.h and the BPF pre-filter against real events
# (t_event.sh); parses its filter with the conntrack command-line parser
build/netns/evtool: $(EVTOOL_SRCS) $(CT_ARGS_SRCS) $(LIB_SRCS) ct/event.h \
		ct/bpf.h ct/filter.h ct/format.h ct/decode.h ct/entry.h \
		$(CT_ARGS_H) nl/sock.h $(NL_UAPI)
	mkdir -p build/netns
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ $(EVTOOL_SRCS) $(CT_ARGS_SRCS) \
		$(LIB_SRCS)

check-netns: all build/netns/nlprobe build/netns/cttool build/netns/exptool \
		build/netns/evtool
	tests/netns/run.sh

# The netns cases that run the helper threads (piped dumps, asynchronous
# batches, -R checked in halves), with conntrack built under ThreadSanitizer
# and then under ASan+UBSan: any report fails the case.
TSAN = -O1 -g -fsanitize=thread
build/san/conntrack-tsan: $(CONNTRACK_SRCS) $(LIB_SRCS) $(LIB_HDRS)
	mkdir -p build/san
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(TSAN) -o $@ \
		$(CONNTRACK_SRCS) $(LIB_SRCS)
build/san/conntrack-asan: $(CONNTRACK_SRCS) $(LIB_SRCS) $(LIB_HDRS)
	mkdir -p build/san
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(SAN) -o $@ \
		$(CONNTRACK_SRCS) $(LIB_SRCS)
THREAD_CASES = tests/netns/t_cli_bulk.sh tests/netns/t_cli_load.sh \
	tests/netns/t_cli_kfilter.sh
check-threads: build/san/conntrack-tsan build/san/conntrack-asan \
		build/netns/nlprobe
	@if [ "$$(nproc)" -lt 2 ]; then \
		echo "SKIP check-threads: one CPU, conntrack runs no helper threads"; \
		exit 0; fi; \
	CONNTRACK=$$PWD/build/san/conntrack-tsan \
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 tests/netns/run.sh $(THREAD_CASES) && \
	CONNTRACK=$$PWD/build/san/conntrack-asan \
	ASAN_OPTIONS=detect_leaks=1 tests/netns/run.sh $(THREAD_CASES)

# ours against /usr/sbin/conntrack (Debian's 1.4.7), scenario by scenario
check-compat: all build/netns/nlprobe
	tests/compat/run.sh

# ct/format against the reference's -L output for the same entries (root)
build/compat/fmtdump: tests/compat/fmtdump.c $(LIB_SRCS) ct/format.h \
		ct/labels.h ct/table.h
	mkdir -p build/compat
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ tests/compat/fmtdump.c $(LIB_SRCS)

check-format-diff: build/compat/fmtdump
	FMTDUMP=build/compat/fmtdump tests/compat/format_diff.sh
.PHONY: check-format-diff

# build, then create and list flows in a scratch namespace (root)
demo: all
	tests/demo.sh
.PHONY: demo

# ---- fuzzing ------------------------------------------------------------
# fuzz: libFuzzer builds (clang, ASan+UBSan) in build/fuzz; fuzz-replay:
# the same harnesses with the plain driver (gcc, -Werror) run over their
# corpora, no clang needed; fuzz-afl: AFL++ persistent-mode builds in
# build/afl; fuzz-smoke: every harness for SMOKE_SECONDS plus a corpus
# replay under ASan+UBSan; `make fuzz-run HARNESS=attr SECONDS=600` one
# campaign; fuzz-seeds: recapture seeds from the kernel (root, netns);
# coverage: source-based line coverage of COV_SRCS over the corpora.
# See fuzz/README.md.
FUZZ_CFLAGS = $(WARN) $(BASE_CPPFLAGS) $(SAN)
# corpus growth of fuzz-run (and fuzz-smoke), also read by coverage
FUZZ_WORK = build/fuzz/work
# `make fuzz` builds every harness; `make fuzz HARNESS=name SECONDS=n`
# then runs that one campaign (as fuzz-run does).
fuzz: fuzz-build
	@if [ -n "$(HARNESS)" ]; then \
		$(MAKE) fuzz-run HARNESS=$(HARNESS) SECONDS=$(SECONDS); fi

fuzz-build:
	mkdir -p build/fuzz
	for h in $(HARNESSES); do \
		$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
			-o build/fuzz/$$h fuzz/$$h.c $(FUZZ_SRCS) \
			$(LIB_SRCS) || exit 1; \
	done

fuzz-replay:
	mkdir -p build/replay
	for h in $(HARNESSES); do \
		$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) -O1 -g \
			-o build/replay/$$h fuzz/$$h.c $(FUZZ_DRIVER) \
			$(FUZZ_SRCS) $(LIB_SRCS) || exit 1; \
		printf '%s: ' $$h; \
		build/replay/$$h fuzz/corpus/$$h || exit 1; \
	done

fuzz-afl:
	mkdir -p build/afl
	for h in $(HARNESSES); do \
		AFL_QUIET=1 $(AFLCC) $(BASE_CPPFLAGS) -O2 -g -fsanitize=fuzzer \
			-o build/afl/$$h fuzz/$$h.c $(FUZZ_SRCS) \
			$(LIB_SRCS) || exit 1; \
	done

fuzz-smoke: fuzz-build
	fuzz/smoke.sh $(SMOKE_SECONDS) $(HARNESSES)

fuzz-run: fuzz-build
	@[ -n "$(HARNESS)" ] || { echo "fuzz-run: name one: HARNESS=<$(HARNESSES)>"; exit 2; }
	mkdir -p $(FUZZ_WORK)/$(HARNESS) build/fuzz/crash
	build/fuzz/$(HARNESS) -max_total_time=$(SECONDS) -print_final_stats=1 \
		-dict=fuzz/$(HARNESS).dict \
		-artifact_prefix=build/fuzz/crash/$(HARNESS)- \
		$(FUZZ_WORK)/$(HARNESS) fuzz/corpus/$(HARNESS)

build/fuzz-seeds/capture: fuzz/capture.c $(LIB_SRCS)
	mkdir -p build/fuzz-seeds
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ fuzz/capture.c $(LIB_SRCS)

fuzz-seeds: build/fuzz-seeds/capture
	fuzz/capture.sh

coverage:
	mkdir -p build/cov
	rm -f build/cov/*.profraw
	for h in $(HARNESSES); do \
		$(CLANG) $(WARN) $(BASE_CPPFLAGS) -O0 -g \
			-fprofile-instr-generate -fcoverage-mapping \
			-o build/cov/$$h fuzz/$$h.c $(FUZZ_DRIVER) \
			$(FUZZ_SRCS) $(LIB_SRCS) || exit 1; \
		dirs=fuzz/corpus/$$h; \
		if test -d $(FUZZ_WORK)/$$h; then \
			dirs="$$dirs $(FUZZ_WORK)/$$h"; fi; \
		LLVM_PROFILE_FILE=build/cov/$$h.profraw \
			build/cov/$$h $$dirs || exit 1; \
	done
	$(LLVM_PROFDATA) merge -sparse -o build/cov/fuzz.profdata \
		build/cov/*.profraw
	objs=; for h in $(HARNESSES); do \
		if test -z "$$objs"; then objs=build/cov/$$h; \
		else objs="$$objs -object build/cov/$$h"; fi; \
	done; \
	$(LLVM_COV) report -instr-profile=build/cov/fuzz.profdata $$objs \
		$(COV_SRCS)

# ---- other builds -------------------------------------------------------
# static: what a minimal distribution ships: musl; each function and
# object in its own section so the linker drops what no program uses; no
# unwind tables (C without exceptions; the debug copy has .debug_frame)
# nor alignment padding; stripped. -O2 rather than -Os: -Os is 20 KiB
# smaller but runs 5% (-L) to 17% (-R) more instructions (callgrind).
# build/static/<prog>.debug is the same program with its symbols and
# debug info; the stripped one names it in .gnu_debuglink, so gdb finds
# it next to it. A program is one line here and a word in STATIC_PROGS.
STATIC_CFLAGS = -O2 -g -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-align-functions \
	-fno-align-jumps -fno-align-loops -fno-align-labels
STATIC_LDFLAGS = -static -Wl,--gc-sections
STATIC_CC = $(MUSLCC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(STATIC_CFLAGS) \
	$(STATIC_LDFLAGS)
STATIC_PROGS = conntrack
OBJCOPY = objcopy
static:
	mkdir -p build/static
	$(STATIC_CC) -o build/static/conntrack.debug $(CONNTRACK_SRCS) $(LIB_SRCS)
	for p in $(STATIC_PROGS); do \
		$(OBJCOPY) --strip-all --add-gnu-debuglink=build/static/$$p.debug \
			build/static/$$p.debug build/static/$$p || exit 1; \
	done

install: all
	mkdir -p $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	for p in $(PROGS); do \
		install -m 0755 $$p $(DESTDIR)$(SBINDIR)/$$p || exit 1; done
	for m in $(MANPAGES); do \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/ || exit 1; done

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(SBINDIR)/$$p; done
	for m in $(MANPAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man8/`basename $$m`; done

clean:
	rm -f $(LIB_OBJS) $(CONNTRACK_OBJS) librawct.a $(PROGS)
	rm -rf build

.PHONY: all test check check-asan check-builds check-netns check-compat fuzz fuzz-build fuzz-replay \
	fuzz-afl fuzz-smoke fuzz-run fuzz-seeds coverage static install uninstall clean
