# rawct: conntrack-tools without the libraries. See README.md.
# This one Makefile runs unchanged under GNU make and bmake: explicit source
# lists, suffix rules, explicit header dependencies, no conditionals.

CC = cc
CLANG = clang
MUSLCC = musl-gcc
AFLCC = afl-clang-fast
AR = ar
CFLAGS = -O2 -g
LDFLAGS =
WERROR = -Werror
PREFIX = /usr/local
SBINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
DESTDIR =
CHECK_LIBS = -lcheck -lsubunit -lrt -lm -pthread
# seconds per harness in fuzz-smoke, and for `make fuzz HARNESS=x SECONDS=n`
SMOKE_SECONDS = 30
HARNESS = attr
SECONDS = 600

WARN = -std=c11 -Wall -Wextra -Wshadow -Wvla -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	-Wundef -Wno-unused-parameter
BASE_CPPFLAGS = -I. -D_GNU_SOURCE
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD = -pie -Wl,-z,relro -Wl,-z,now
XCFLAGS = $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(HARDEN) $(CFLAGS)
SAN = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# ---- sources ------------------------------------------------------------
NL_SRCS = nl/attr.c nl/msg.c nl/sock.c nl/reply.c nl/batch.c
CT_SRCS =
SYNC_SRCS =
LIB_SRCS = $(NL_SRCS) $(CT_SRCS) $(SYNC_SRCS)
LIB_OBJS = $(LIB_SRCS:.c=.o)

CONNTRACK_SRCS = cmd/conntrack.c
CONNTRACK_OBJS = $(CONNTRACK_SRCS:.c=.o)
PROGS = conntrack

UNIT_SRCS = tests/unit/check_main.c tests/unit/check_attr.c \
	tests/unit/check_msg.c tests/unit/check_reply.c
NETNS_TOOL_SRCS = tests/netns/nlprobe.c

# one LLVMFuzzerTestOneInput per file; HARNESSES names them
HARNESSES = attr reply
FUZZ_DRIVER = fuzz/driver.c

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
	$(CC) $(CFLAGS) $(HARDEN_LD) $(LDFLAGS) -o $@ $(CONNTRACK_OBJS) librawct.a

# header dependencies (keep in step with the #includes)
NL_UAPI = nl/uapi.h
nl/attr.o: nl/attr.c nl/attr.h $(NL_UAPI)
nl/msg.o: nl/msg.c nl/msg.h $(NL_UAPI)
nl/sock.o: nl/sock.c nl/sock.h $(NL_UAPI)
nl/reply.o: nl/reply.c nl/reply.h nl/attr.h nl/msg.h nl/sock.h $(NL_UAPI)
nl/batch.o: nl/batch.c nl/batch.h nl/msg.h nl/reply.h nl/sock.h $(NL_UAPI)
cmd/conntrack.o: cmd/conntrack.c nl/sock.h nl/msg.h nl/reply.h nl/attr.h $(NL_UAPI)

# ---- tests --------------------------------------------------------------
# Everything this machine can run: unit tests (plain and ASan+UBSan), the
# network-namespace tests, the differential tests, fuzz corpus replay and
# (with clang) a short fuzzing smoke run.
test: all check check-asan check-netns check-compat fuzz-replay
	@if command -v $(CLANG) >/dev/null 2>&1; then \
		$(MAKE) fuzz-smoke SMOKE_SECONDS=$(SMOKE_SECONDS); \
	else echo "SKIP: fuzz-smoke needs $(CLANG)"; fi

build/unit/check_all: $(UNIT_SRCS) $(LIB_SRCS) tests/unit/suites.h
	mkdir -p build/unit
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) -O1 -g -o $@ \
		$(UNIT_SRCS) $(LIB_SRCS) $(CHECK_LIBS)

build/asan/check_all: $(UNIT_SRCS) $(LIB_SRCS) tests/unit/suites.h
	mkdir -p build/asan
	$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) $(SAN) -o $@ \
		$(UNIT_SRCS) $(LIB_SRCS) $(CHECK_LIBS)

check: build/unit/check_all
	CK_FORK=yes build/unit/check_all

check-asan: build/asan/check_all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build/asan/check_all

build/netns/nlprobe: $(NETNS_TOOL_SRCS) $(LIB_SRCS)
	mkdir -p build/netns
	$(CC) $(XCFLAGS) $(HARDEN_LD) -o $@ $(NETNS_TOOL_SRCS) $(LIB_SRCS)

check-netns: all build/netns/nlprobe
	tests/netns/run.sh

check-compat: all
	tests/compat/run.sh

# ---- fuzzing ------------------------------------------------------------
# fuzz: libFuzzer builds (clang, ASan+UBSan); fuzz-replay: the same
# harnesses with a plain driver (gcc) run over their corpora; fuzz-afl:
# AFL++ persistent-mode builds; fuzz-smoke: every harness briefly plus a
# full corpus replay; `make fuzz-run HARNESS=attr SECONDS=600` one campaign.
fuzz:
	mkdir -p build/fuzz
	for h in $(HARNESSES); do \
		$(CLANG) $(WARN) $(BASE_CPPFLAGS) $(SAN) -fsanitize=fuzzer \
			-o build/fuzz/$$h fuzz/$$h.c $(LIB_SRCS) || exit 1; \
	done

fuzz-replay:
	mkdir -p build/replay
	for h in $(HARNESSES); do \
		$(CC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) -O1 -g \
			-o build/replay/$$h fuzz/$$h.c $(FUZZ_DRIVER) \
			$(LIB_SRCS) || exit 1; \
		build/replay/$$h fuzz/corpus/$$h || exit 1; \
	done

fuzz-afl:
	mkdir -p build/afl
	for h in $(HARNESSES); do \
		AFL_QUIET=1 $(AFLCC) $(BASE_CPPFLAGS) -O2 -g -fsanitize=fuzzer \
			-o build/afl/$$h fuzz/$$h.c $(LIB_SRCS) || exit 1; \
	done

fuzz-smoke: fuzz
	for h in $(HARNESSES); do \
		mkdir -p build/fuzz/work/$$h; \
		build/fuzz/$$h -max_total_time=$(SMOKE_SECONDS) \
			-print_final_stats=1 -dict=fuzz/$$h.dict \
			build/fuzz/work/$$h fuzz/corpus/$$h 2>&1 | \
			grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE|==[0-9]+==ERROR)' ; \
		test $${PIPESTATUS:-0} = 0 || true; \
		build/fuzz/$$h -runs=0 fuzz/corpus/$$h build/fuzz/work/$$h \
			>/dev/null 2>build/fuzz/work/$$h.log || \
			{ cat build/fuzz/work/$$h.log; exit 1; }; \
	done

fuzz-run: fuzz
	mkdir -p build/fuzz/work/$(HARNESS)
	build/fuzz/$(HARNESS) -max_total_time=$(SECONDS) -print_final_stats=1 \
		-dict=fuzz/$(HARNESS).dict build/fuzz/work/$(HARNESS) \
		fuzz/corpus/$(HARNESS)

# ---- other builds -------------------------------------------------------
static:
	mkdir -p build/static
	$(MUSLCC) $(WARN) $(WERROR) $(BASE_CPPFLAGS) -O2 -static \
		-o build/static/conntrack $(CONNTRACK_SRCS) $(LIB_SRCS)

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

.PHONY: all test check check-asan check-netns check-compat fuzz fuzz-replay \
	fuzz-afl fuzz-smoke fuzz-run static install uninstall clean
