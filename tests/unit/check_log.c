// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/log: the exact bytes of upstream's line for each
 * level (in TZ=UTC), lines cut to the buffer and to SYNC_LOG_LINE_MAX
 * still ending in a newline, one write(2) per line (checked by logging
 * into datagram sockets, where each write is one datagram), the LogFile
 * appended to and created 0600, the console lines on stdout or stderr by
 * level and none once mirroring is off, the Stats flow lines, the open
 * errors and a reopen. Files live in a mkdtemp directory removed after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <check.h>

#include "sync/log.h"
#include "tests/unit/suites.h"

static void set_utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

/* ---- sync_log_format ------------------------------------------------- */

struct fmt_case {
	int level;
	int64_t now;
	int pid;
	const char *msg;
	const char *want;
};

static const struct fmt_case fmt_cases[] = {
	{ SYNC_LOG_INFO, 0, 1234, "hello",
	  "[Thu Jan  1 00:00:00 1970] (pid=1234) [info] hello\n" },
	{ SYNC_LOG_NOTICE, 1796000000, 7, "-- starting in console mode --",
	  "[Mon Nov 30 00:53:20 2026] (pid=7) [notice] "
	  "-- starting in console mode --\n" },
	{ SYNC_LOG_WARNING, 1000000000, 99999, "x",
	  "[Sun Sep  9 01:46:40 2001] (pid=99999) [warning] x\n" },
	{ SYNC_LOG_ERR, 951782400, 1, "lockfile `/x' exists, perhaps "
	  "conntrackd already running?",
	  "[Tue Feb 29 00:00:00 2000] (pid=1) [ERROR] lockfile `/x' exists, "
	  "perhaps conntrackd already running?\n" },
	/* upstream's default for any other priority */
	{ 7, 0, 2, "", "[Thu Jan  1 00:00:00 1970] (pid=2) [?] \n" },
	/* a time ctime cannot print */
	{ SYNC_LOG_INFO, INT64_MAX, 3, "m", "[?] (pid=3) [info] m\n" },
	/* the message as given, '%' included */
	{ SYNC_LOG_INFO, 0, 4, "100% %s",
	  "[Thu Jan  1 00:00:00 1970] (pid=4) [info] 100% %s\n" },
};

START_TEST(test_format_exact)
{
	const struct fmt_case *c = &fmt_cases[_i];
	char buf[256];
	int n;

	set_utc();
	memset(buf, 0x55, sizeof(buf));
	n = sync_log_format(buf, sizeof(buf), (enum sync_log_level)c->level,
			    c->now, c->pid, c->msg);
	ck_assert_str_eq(buf, c->want);
	ck_assert_int_eq(n, (int)strlen(c->want));
}
END_TEST

/* Cut to @len: the head of the whole line kept, a newline last,
 * NUL-terminated, nothing written past @len. */
START_TEST(test_format_cut)
{
	static const int lens[] = { 100, 60, 43, 2, 1 };
	char msg[300], want[400], buf[128];
	int len = lens[_i], n;

	set_utc();
	memset(msg, 'a', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	snprintf(want, sizeof(want), "[Thu Jan  1 00:00:00 1970] (pid=1) "
		 "[info] %s\n", msg);
	memset(buf, 0x55, sizeof(buf));
	n = sync_log_format(buf, len, SYNC_LOG_INFO, 0, 1, msg);
	ck_assert_int_eq(n, len - 1);
	ck_assert_int_eq(buf[len - 1], '\0');
	ck_assert_int_eq((unsigned char)buf[len], 0x55);
	if (n > 0) {
		ck_assert_int_eq(memcmp(buf, want, (size_t)n - 1), 0);
		ck_assert_int_eq(buf[n - 1], '\n');
	}
}
END_TEST

/* Nothing is written when there is no room at all. */
START_TEST(test_format_no_room)
{
	char buf[4] = "xyz";

	ck_assert_int_eq(sync_log_format(buf, 0, SYNC_LOG_INFO, 0, 1, "m"), 0);
	ck_assert_str_eq(buf, "xyz");
}
END_TEST

/* ---- one write per line ---------------------------------------------- */

/* A datagram socket pair: [0] is written as a log fd, [1] read. */
static void dgram_pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0,
				    sv), 0);
}

/* The next datagram on @fd into @buf (NUL-terminated); -1 if none. */
static int next_write(int fd, char *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap - 1, 0);

	if (n < 0) {
		ck_assert_int_eq(errno, EAGAIN);
		return -1;
	}
	buf[n] = '\0';
	return (int)n;
}

/* @line starts with one whole line of ours at @level with @msg, written
 * by this process; returns what follows it. */
static const char *assert_line(const char *line, const char *level,
			       const char *msg)
{
	char tail[SYNC_LOG_LINE_MAX + 64];
	const char *p = strstr(line, "] (pid=");
	size_t n;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(line[0], '[');
	ck_assert_uint_eq((size_t)(p - line), 25);	/* ctime's width */
	n = (size_t)snprintf(tail, sizeof(tail), "] (pid=%d) [%s] %s\n",
			     (int)getpid(), level, msg);
	ck_assert_int_eq(strncmp(p, tail, n), 0);
	return p + n;
}

/* Each call is one write of one whole line, %-formatted; the file form
 * of a message longer than the limit is cut to SYNC_LOG_LINE_MAX bytes,
 * newline last. */
START_TEST(test_log_one_write)
{
	struct sync_log l;
	char buf[2 * SYNC_LOG_LINE_MAX], *big = malloc(3 * SYNC_LOG_LINE_MAX);
	int sv[2];

	ck_assert_ptr_nonnull(big);
	dgram_pair(sv);
	sync_log_init(&l);
	sync_log_console(&l, 0);
	l.fd = sv[0];
	sync_log(&l, SYNC_LOG_NOTICE, "initialization %s", "completed");
	sync_log(&l, SYNC_LOG_ERR, "n=%d", 42);
	memset(big, 'b', 3 * SYNC_LOG_LINE_MAX - 1);
	big[3 * SYNC_LOG_LINE_MAX - 1] = '\0';
	sync_log(&l, SYNC_LOG_INFO, "%s", big);
	ck_assert_int_gt(next_write(sv[1], buf, sizeof(buf)), 0);
	assert_line(buf, "notice", "initialization completed");
	ck_assert_int_gt(next_write(sv[1], buf, sizeof(buf)), 0);
	assert_line(buf, "ERROR", "n=42");
	ck_assert_int_eq(next_write(sv[1], buf, sizeof(buf)),
			 SYNC_LOG_LINE_MAX);
	ck_assert_int_eq(buf[SYNC_LOG_LINE_MAX - 1], '\n');
	ck_assert_int_eq(buf[SYNC_LOG_LINE_MAX - 2], 'b');
	ck_assert_int_eq(next_write(sv[1], buf, sizeof(buf)), -1);
	close(sv[0]);
	close(sv[1]);
	free(big);
}
END_TEST

/* ---- console --------------------------------------------------------- */

struct console_case {
	enum sync_log_level level;
	const char *name;
	int out;		/* 1: stdout, 2: stderr */
};

static const struct console_case console_cases[] = {
	{ SYNC_LOG_INFO, "info", 1 },
	{ SYNC_LOG_NOTICE, "notice", 1 },
	{ SYNC_LOG_WARNING, "warning", 2 },
	{ SYNC_LOG_ERR, "ERROR", 2 },
};

/* info and notice go to stdout, warning and ERROR to stderr, one write
 * each; with mirroring off, nowhere. fds 1 and 2 are datagram sockets
 * for the test, restored after. */
START_TEST(test_console)
{
	const struct console_case *c = &console_cases[_i];
	int so[2], se[2], saved[3];
	char buf[512];
	struct sync_log l;

	dgram_pair(so);
	dgram_pair(se);
	saved[1] = dup(1);
	saved[2] = dup(2);
	ck_assert(saved[1] >= 0 && saved[2] >= 0);
	ck_assert_int_eq(dup2(so[0], 1), 1);
	ck_assert_int_eq(dup2(se[0], 2), 2);
	sync_log_init(&l);
	sync_log(&l, c->level, "to the %s", "console");
	sync_log_console(&l, 0);
	sync_log(&l, c->level, "not to the console");
	dup2(saved[1], 1);
	dup2(saved[2], 2);
	ck_assert_int_gt(next_write(c->out == 1 ? so[1] : se[1], buf,
				    sizeof(buf)), 0);
	assert_line(buf, c->name, "to the console");
	ck_assert_int_eq(next_write(so[1], buf, sizeof(buf)), -1);
	ck_assert_int_eq(next_write(se[1], buf, sizeof(buf)), -1);
	for (int i = 0; i < 2; i++) {
		close(so[i]);
		close(se[i]);
	}
	close(saved[1]);
	close(saved[2]);
}
END_TEST

/* ---- files ----------------------------------------------------------- */

struct tmp {
	char dir[64], log[128], flow[128];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/rawct-log-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->log, sizeof(t->log), "%s/log", t->dir);
	snprintf(t->flow, sizeof(t->flow), "%s/flow", t->dir);
}

static void tmp_remove(struct tmp *t)
{
	char moved[160];

	snprintf(moved, sizeof(moved), "%s.1", t->log);
	unlink(t->log);
	unlink(t->flow);
	unlink(moved);
	ck_assert_int_eq(rmdir(t->dir), 0);
}

/* Reads @path whole into @buf. */
static size_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, cap - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	return (size_t)n;
}

/* Appended to what the file held, one line per call, created 0600. */
START_TEST(test_file_append)
{
	struct tmp t;
	struct sync_log l;
	struct stat st;
	char buf[1024];
	const char *rest;
	int fd;

	tmp_make(&t);
	umask(022);
	sync_log_init(&l);
	sync_log_console(&l, 0);
	ck_assert_int_eq(sync_log_open(&l, t.log, NULL, -1, -1), 0);
	ck_assert_int_eq(stat(t.log, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	sync_log_close(&l);
	fd = open(t.log, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(write(fd, "old\n", 4), 4);
	close(fd);
	ck_assert_int_eq(sync_log_open(&l, t.log, "", -1, -1), 0);
	ck_assert_int_eq(l.flow_fd, -1);
	sync_log(&l, SYNC_LOG_NOTICE, "one");
	sync_log(&l, SYNC_LOG_WARNING, "two");
	sync_log_close(&l);
	sync_log_close(&l);
	slurp(t.log, buf, sizeof(buf));
	ck_assert(!strncmp(buf, "old\n", 4));
	rest = assert_line(buf + 4, "notice", "one");
	rest = assert_line(rest, "warning", "two");
	ck_assert_str_eq(rest, "");
	tmp_remove(&t);
}
END_TEST

/* "<ctime>\t<text>\n" per flow, cut with its newline kept. */
START_TEST(test_flow)
{
	struct tmp t;
	struct sync_log l;
	char buf[3 * SYNC_LOG_LINE_MAX], *big = malloc(2 * SYNC_LOG_LINE_MAX);
	size_t n;

	ck_assert_ptr_nonnull(big);
	set_utc();
	tmp_make(&t);
	sync_log_init(&l);
	ck_assert_int_eq(sync_log_open(&l, NULL, t.flow, -1, -1), 0);
	ck_assert_int_eq(l.fd, -1);
	sync_log_flow(&l, "udp      17 src=12.0.0.1 dst=12.0.0.2", 10);
	memset(big, 'f', 2 * SYNC_LOG_LINE_MAX - 1);
	big[2 * SYNC_LOG_LINE_MAX - 1] = '\0';
	sync_log_flow(&l, big, 10);
	sync_log_close(&l);
	n = slurp(t.flow, buf, sizeof(buf));
	ck_assert_int_eq(strncmp(buf, "Thu Jan  1 00:00:10 1970\tudp      17 "
				 "src=12.0.0.1 dst=12.0.0.2\nThu Jan  1 "
				 "00:00:10 1970\tffff", 63 + 29), 0);
	ck_assert_uint_eq(n, 63 + SYNC_LOG_LINE_MAX);
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_int_eq(buf[n - 2], 'f');
	tmp_remove(&t);
	free(big);
}
END_TEST

/* A path too long or not openable fails with its errno and leaves
 * nothing open; a reopen with l->path follows a rotated file. */
START_TEST(test_open_errors)
{
	struct tmp t;
	struct sync_log l;
	char longp[300], moved[160], buf[512];

	tmp_make(&t);
	memset(longp, 'p', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	sync_log_init(&l);
	ck_assert_int_eq(sync_log_open(&l, longp, NULL, -1, -1),
			 -ENAMETOOLONG);
	ck_assert_int_eq(sync_log_open(&l, "/nonexistent-rawct/x", NULL, -1,
				       -1), -ENOENT);
	ck_assert_int_eq(sync_log_open(&l, t.log, "/nonexistent-rawct/y", -1,
				       -1), -ENOENT);
	ck_assert_int_eq(l.fd, -1);
	ck_assert_int_eq(l.flow_fd, -1);
	ck_assert_int_eq(l.syslog_open, 0);

	sync_log_console(&l, 0);
	ck_assert_int_eq(sync_log_open(&l, t.log, NULL, -1, -1), 0);
	snprintf(moved, sizeof(moved), "%s.1", t.log);
	ck_assert_int_eq(rename(t.log, moved), 0);
	ck_assert_int_eq(sync_log_open(&l, l.path, NULL, -1, -1), 0);
	sync_log(&l, SYNC_LOG_INFO, "after");
	sync_log_close(&l);
	ck_assert_uint_eq(slurp(moved, buf, sizeof(buf)), 0);
	slurp(t.log, buf, sizeof(buf));
	ck_assert_str_eq(assert_line(buf, "info", "after"), "");
	tmp_remove(&t);
}
END_TEST

/* syslog is connected when either facility is set, closed at close. */
START_TEST(test_syslog_open)
{
	struct sync_log l;

	sync_log_init(&l);
	ck_assert_int_eq(sync_log_open(&l, NULL, NULL, -1, LOG_LOCAL7), 0);
	ck_assert_int_eq(l.syslog_open, 1);
	ck_assert_int_eq(l.syslog, -1);
	ck_assert_int_eq(l.flow_syslog, LOG_LOCAL7);
	sync_log_close(&l);
	ck_assert_int_eq(l.syslog_open, 0);
	ck_assert_int_eq(sync_log_open(&l, NULL, NULL, -1, -1), 0);
	ck_assert_int_eq(l.syslog_open, 0);
}
END_TEST

/* ---- the syslog client (sync/syslog.h), on socketpairs ---------------- */

/* glibc's datagram: "<PRI>Mmm dd hh:mm:ss ident[pid]: msg", the day
 * space-padded, in local time; cut to fit. */
START_TEST(test_syslog_format)
{
	char buf[128], want[128];
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 6,
			 .tm_hour = 9, .tm_min = 5, .tm_sec = 7,
			 .tm_isdst = -1 };
	time_t t = mktime(&tm);
	size_t n;

	n = sync_syslog_format(buf, sizeof(buf), LOG_DAEMON | LOG_NOTICE,
			       "conntrack-tools", 42, t, "hello");
	snprintf(want, sizeof(want), "<%d>Dec  6 09:05:07 "
		 "conntrack-tools[42]: hello", LOG_DAEMON | LOG_NOTICE);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
	n = sync_syslog_format(buf, 10, LOG_INFO, "x", 1, t, "hello");
	ck_assert_uint_eq(n, 9);
	ck_assert_uint_eq(strlen(buf), 9);
	ck_assert_uint_eq(sync_syslog_format(buf, 0, LOG_INFO, "x", 1, t,
					     "y"), 0);
}
END_TEST

struct reopen_rig {
	int peer[2];		/* the listeners' ends, [1] the next one's */
	int next;		/* a connected socket to hand out, or -1 */
	int calls;
};

static int rig_reopen(void *arg)
{
	struct reopen_rig *r = arg;
	int fd = r->next;

	r->calls++;
	r->next = -1;
	return fd < 0 ? -ENOENT : fd;
}

/* What one datagram on @fd says after its header, or "" if none. */
static const char *heard(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);
	const char *m;

	buf[n > 0 ? n : 0] = '\0';
	m = strstr(buf, "]: ");
	return m ? m + 3 : "";
}

/* syslogd restarted: the send on the old connection fails, the line
 * goes once more on a connection from the reopen callback; a failed
 * reconnect is not tried again within the second, lines dropped. */
START_TEST(test_syslog_reconnect)
{
	struct reopen_rig r = { .next = -1 };
	struct sync_syslog s;
	char buf[256];
	int a[2], b[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, b), 0);
	sync_syslog_init(&s, "t");
	sync_syslog_set_reopen(&s, rig_reopen, &r);
	s.fd = a[0];
	sync_syslog_send(&s, LOG_INFO, "one");
	ck_assert_str_eq(heard(a[1], buf, sizeof(buf)), "one");
	ck_assert_int_eq(r.calls, 0);
	close(a[1]);			/* syslogd gone */
	r.next = b[0];			/* ... and back */
	sync_syslog_send(&s, LOG_INFO, "two");
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(s.fd, b[0]);
	ck_assert_str_eq(heard(b[1], buf, sizeof(buf)), "two");
	close(b[1]);			/* gone, not back yet */
	sync_syslog_send(&s, LOG_INFO, "three");
	ck_assert_int_eq(r.calls, 2);
	ck_assert_int_eq(s.fd, -1);
	sync_syslog_send(&s, LOG_INFO, "four");	/* within the second */
	ck_assert_int_eq(r.calls, 2);
	s.next_try = 0;			/* the second is over */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, a), 0);
	r.next = a[0];
	sync_syslog_send(&s, LOG_INFO, "five");
	ck_assert_int_eq(r.calls, 3);
	ck_assert_str_eq(heard(a[1], buf, sizeof(buf)), "five");
	sync_syslog_close(&s);
	ck_assert_int_eq(s.fd, -1);
	close(a[1]);
}
END_TEST

/* A full syslogd: the line is dropped, the loop does not wait. */
START_TEST(test_syslog_full)
{
	struct reopen_rig r = { .next = -1 };
	struct sync_syslog s;
	char buf[256];
	int a[2], sent = 0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, a), 0);
	sync_syslog_init(&s, "t");
	sync_syslog_set_reopen(&s, rig_reopen, &r);
	s.fd = a[0];
	for (int i = 0; i < 5000; i++)	/* far past the queue's room */
		sync_syslog_send(&s, LOG_INFO, "fill");
	ck_assert_int_eq(r.calls, 0);
	ck_assert_int_eq(s.fd, a[0]);
	while (heard(a[1], buf, sizeof(buf))[0])
		sent++;
	ck_assert_int_gt(sent, 0);
	ck_assert_int_lt(sent, 5000);
	sync_syslog_close(&s);
	close(a[1]);
}
END_TEST

/* A stream connection (/dev/log a stream socket): each line goes with
 * its NUL; a full one drops whole lines (a line is one write the kernel
 * takes whole or not at all, at the default send buffer), so every NUL
 * ends a whole line; a new connection is a stream too. */
START_TEST(test_syslog_stream)
{
	struct reopen_rig r = { .next = -1 };
	struct sync_syslog s;
	static char buf[1 << 21];
	char *p, *end;
	ssize_t n;
	size_t got = 0;
	int a[2], b[2], lines = 0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	sync_syslog_init(&s, "t");
	sync_syslog_set_reopen(&s, rig_reopen, &r);
	s.fd = a[0];
	s.stream = 1;
	sync_syslog_send(&s, LOG_INFO, "one");
	n = recv(a[1], buf, sizeof(buf), MSG_DONTWAIT);
	ck_assert_int_gt(n, 5);
	ck_assert_int_eq(buf[n - 1], '\0');
	ck_assert_str_eq(buf + n - 4, "one");
	for (int i = 0; i < 20000; i++)	/* far past the buffer's room */
		sync_syslog_send(&s, LOG_INFO, "fill the stream's buffer");
	ck_assert_int_eq(s.fd, a[0]);
	ck_assert_int_eq(r.calls, 0);
	while ((n = recv(a[1], buf + got, sizeof(buf) - got,
			 MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	ck_assert_uint_gt(got, 0);
	ck_assert_int_eq(buf[got - 1], '\0');
	for (p = buf, end = buf + got; p < end; p += strlen(p) + 1, lines++)
		ck_assert_str_eq(strstr(p, "]: ") + 3,
				 "fill the stream's buffer");
	ck_assert_int_gt(lines, 1);
	ck_assert_int_lt(lines, 20000);
	close(a[1]);			/* syslogd gone, and back */
	r.next = b[0];
	s.stream = 0;
	sync_syslog_send(&s, LOG_INFO, "two");
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(s.fd, b[0]);
	ck_assert_int_eq(s.stream, 1);	/* the new socket's own type */
	n = recv(b[1], buf, sizeof(buf), MSG_DONTWAIT);
	ck_assert_int_gt(n, 5);
	ck_assert_str_eq(buf + n - 4, "two");
	sync_syslog_close(&s);
	close(b[1]);
}
END_TEST

Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_loop_test(tc, test_format_exact, 0,
			    sizeof(fmt_cases) / sizeof(fmt_cases[0]));
	tcase_add_loop_test(tc, test_format_cut, 0, 5);
	tcase_add_test(tc, test_format_no_room);
	tcase_add_test(tc, test_log_one_write);
	tcase_add_loop_test(tc, test_console, 0,
			    sizeof(console_cases) / sizeof(console_cases[0]));
	tcase_add_test(tc, test_file_append);
	tcase_add_test(tc, test_flow);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_syslog_open);
	tcase_add_test(tc, test_syslog_format);
	tcase_add_test(tc, test_syslog_reconnect);
	tcase_add_test(tc, test_syslog_full);
	tcase_add_test(tc, test_syslog_stream);
	suite_add_tcase(s, tc);
	return s;
}
