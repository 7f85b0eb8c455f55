// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/ctl, the control socket's server and client, with
 * socketpairs (and, for the path and the client, a socket in a temporary
 * directory) and a real sync_loop run an iteration at a time: a request
 * assembled from single bytes and the bytes after it ignored; a large
 * direct answer buffered while the peer does not read, the loop never
 * blocking; a producer called only while there is room and not at all
 * while the peer reads nothing; a held client answered and released
 * later, also after its peer left; a peer closing early (producer
 * released once, counted); the stall sweep; SYNC_CTL_CLIENTS_MAX; the
 * socket file's mode and the client of `conntrackd -s`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "sync/ctl.h"
#include "sync/loop.h"
#include "tests/unit/suites.h"

#define BIG	(512 * 1024)		/* a direct answer (code 2) */
#define PRODUCED (3 * 1024 * 1024)	/* a producer's answer (code 3) */

enum {
	REQ_ONE = 1,		/* "one\n" */
	REQ_BIG,		/* BIG bytes of pattern, written at once */
	REQ_PRODUCE,		/* PRODUCED bytes through a producer */
	REQ_HOLD,		/* held, nothing written */
	REQ_FOREVER,		/* a producer that never ends */
	REQ_CRED,		/* "uid pid\n" of the peer */
};

struct fx {
	struct sync_loop *l;
	struct sync_ctl *c;
	int codes[8];
	unsigned int ncodes;
	struct sync_client *held;
	size_t produced;		/* bytes the producer wrote */
	unsigned int calls, no_room, releases;
};

/* The answers' bytes: lines of 64, a letter that moves along. */
static char pat(size_t i)
{
	return i % 64 == 63 ? '\n' : (char)('a' + (i / 64 + i) % 26);
}

static void put_pattern(struct sync_client *cl, size_t from, size_t n)
{
	char buf[4096];

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		for (size_t i = 0; i < k; i++)
			buf[i] = pat(from + i);
		ck_assert_int_eq(sync_client_write(cl, buf, k), 0);
		from += k;
		n -= k;
	}
}

static int produce(struct sync_client *cl, void *arg)
{
	struct fx *f = arg;
	size_t room = sync_client_room(cl), n = PRODUCED - f->produced;

	f->calls++;
	if (!room)
		f->no_room++;
	if (n > room)
		n = room;
	if (n > 5000)
		n = 5000;
	put_pattern(cl, f->produced, n);
	f->produced += n;
	return f->produced < PRODUCED;
}

static int forever(struct sync_client *cl, void *arg)
{
	struct fx *f = arg;

	f->calls++;
	put_pattern(cl, 0, 1000);
	return 1;
}

static void released(void *arg)
{
	((struct fx *)arg)->releases++;
}

static void on_request(struct sync_client *cl, int code, void *arg)
{
	struct fx *f = arg;
	uint32_t uid, gid;
	int32_t pid;

	ck_assert_uint_lt(f->ncodes, 8);
	f->codes[f->ncodes++] = code;
	switch (code) {
	case REQ_ONE:
		sync_client_printf(cl, "one\n");
		break;
	case REQ_BIG:
		put_pattern(cl, 0, BIG);
		break;
	case REQ_PRODUCE:
		sync_client_fill(cl, produce, f, released);
		break;
	case REQ_HOLD:
		f->held = sync_client_hold(cl);
		break;
	case REQ_FOREVER:
		sync_client_fill(cl, forever, f, released);
		break;
	case REQ_CRED:
		ck_assert_int_eq(sync_client_cred(cl, &uid, &gid, &pid), 0);
		sync_client_printf(cl, "%u %d\n", uid, pid);
		break;
	}
}

static void fx_open(struct fx *f)
{
	*f = (struct fx){ 0 };
	ck_assert_int_eq(sync_loop_new(&f->l), 0);
	ck_assert_int_eq(sync_ctl_new(&f->c, f->l, on_request, f), 0);
}

static void fx_close(struct fx *f)
{
	sync_ctl_close(f->c);
	sync_loop_free(f->l);
}

/* A client: our end of a socketpair whose other end the server adopts;
 * @small: both buffers small, so answers do not fit in the socket. */
static int fx_client(struct fx *f, int small)
{
	int sv[2], sz = 4096;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (small) {
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	ck_assert_int_eq(sync_ctl_adopt(f->c, sv[0]), 0);
	return sv[1];
}

static void send_code(int fd, int code)
{
	ck_assert_int_eq(send(fd, &code, sizeof(code), MSG_NOSIGNAL), 4);
}

static void spin(struct fx *f, int n)
{
	while (n--)
		ck_assert_int_ge(sync_loop_run_once(f->l, 0), 0);
}

/* Runs the loop and reads @fd until EOF (at most ~5 s, reads of at
 * most @step bytes); returns the answer (malloc'd, NUL-terminated) and
 * its length in *@len. */
static char *drain(struct fx *f, int fd, size_t step, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);

	ck_assert_ptr_nonnull(buf);
	for (int i = 0; i < 100000; i++) {
		ssize_t r;

		if (cap - n < step) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
		r = recv(fd, buf + n, step, MSG_DONTWAIT);
		if (r == 0) {
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		if (r > 0)
			n += (size_t)r;
		else
			ck_assert_int_ge(sync_loop_run_once(f->l, 50000), 0);
	}
	ck_abort_msg("no EOF after %zu bytes", n);
	return NULL;
}

static int nothing_yet(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void check_pattern(const char *buf, size_t len, size_t want)
{
	ck_assert_uint_eq(len, want);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pat(i))
			ck_abort_msg("byte %zu differs", i);
}

/* ---- requests --------------------------------------------------------- */

/* The request is served once its fourth byte is in, whatever the pieces;
 * what follows it is ignored; SO_PEERCRED names the peer. */
START_TEST(test_request_bytes)
{
	struct fx f;
	int code = REQ_ONE, fd, fd2;
	char *ans, junk[] = "\x01\0\0\0trailing junk";
	size_t len;

	fx_open(&f);
	fd = fx_client(&f, 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(f.ncodes, 0);
		ck_assert_int_eq(send(fd, (char *)&code + i, 1, 0), 1);
		spin(&f, 3);
	}
	ck_assert_uint_eq(f.ncodes, 1);
	ck_assert_int_eq(f.codes[0], REQ_ONE);
	ans = drain(&f, fd, 4096, &len);
	ck_assert_str_eq(ans, "one\n");
	free(ans);
	close(fd);
	fd2 = fx_client(&f, 0);
	ck_assert_int_eq(send(fd2, junk, sizeof(junk), 0), (int)sizeof(junk));
	ans = drain(&f, fd2, 4096, &len);
	ck_assert_str_eq(ans, "one\n");
	ck_assert_uint_eq(f.ncodes, 2);
	free(ans);
	close(fd2);
	fd = fx_client(&f, 0);
	send_code(fd, REQ_CRED);
	ans = drain(&f, fd, 4096, &len);
	ck_assert_uint_eq(strtoul(ans, NULL, 10), getuid());
	ck_assert_int_eq(atoi(strchr(ans, ' ') + 1), getpid());
	free(ans);
	close(fd);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->read_failed, 0);
	fx_close(&f);
}
END_TEST

/* A peer that connects and leaves, or sends part of a request and
 * shuts down, is a failed read; one that sends part and waits gets
 * nothing. */
START_TEST(test_request_partial)
{
	struct fx f;
	int fd1, fd2, fd3;
	size_t len;
	char *ans;

	fx_open(&f);
	fd1 = fx_client(&f, 0);
	fd2 = fx_client(&f, 0);
	fd3 = fx_client(&f, 0);
	close(fd1);
	ck_assert_int_eq(send(fd2, "\x01\x00", 2, 0), 2);
	shutdown(fd2, SHUT_WR);
	ck_assert_int_eq(send(fd3, "\x01\x00\x00", 3, 0), 3);
	spin(&f, 5);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->read_failed, 2);
	ans = drain(&f, fd2, 4096, &len);
	ck_assert_uint_eq(len, 0);
	free(ans);
	ck_assert(nothing_yet(fd3));
	ck_assert_uint_eq(f.ncodes, 0);
	ck_assert_int_eq(send(fd3, "\x00", 1, 0), 1);
	ans = drain(&f, fd3, 4096, &len);
	ck_assert_str_eq(ans, "one\n");
	free(ans);
	close(fd2);
	close(fd3);
	fx_close(&f);
}
END_TEST

/* ---- answers ---------------------------------------------------------- */

/* Half a megabyte answered at once to a peer that reads nothing: the
 * loop goes on (never blocked in a send), and the peer gets every byte
 * in order when it reads, a little at a time. */
START_TEST(test_answer_buffered)
{
	struct fx f;
	uint64_t t0;
	size_t len;
	char *ans;
	int fd;

	fx_open(&f);
	fd = fx_client(&f, 1);
	send_code(fd, REQ_BIG);
	t0 = sync_loop_now();
	spin(&f, 100);
	ck_assert_uint_lt(sync_loop_now() - t0, 2000000);
	ck_assert_uint_eq(f.ncodes, 1);
	ans = drain(&f, fd, 1000, &len);
	check_pattern(ans, len, BIG);
	free(ans);
	close(fd);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_peer, 0);
	fx_close(&f);
}
END_TEST

/* The producer runs while the client's buffer has room, never without:
 * with a peer that reads nothing it stops being called; then the whole
 * answer arrives, and the producer is released once. */
START_TEST(test_producer_room)
{
	struct fx f;
	unsigned int calls;
	size_t len;
	char *ans;
	int fd;

	fx_open(&f);
	fd = fx_client(&f, 1);
	send_code(fd, REQ_PRODUCE);
	spin(&f, 50);
	calls = f.calls;
	ck_assert_uint_gt(calls, 0);
	ck_assert_uint_lt(f.produced, PRODUCED);
	ck_assert_uint_le(f.produced, SYNC_CTL_BUF_SOFT + 5000 + 64 * 1024);
	spin(&f, 200);
	ck_assert_uint_eq(f.calls, calls);
	ck_assert_uint_eq(f.releases, 0);
	ans = drain(&f, fd, 3000, &len);
	check_pattern(ans, len, PRODUCED);
	free(ans);
	ck_assert_uint_eq(f.no_room, 0);
	ck_assert_uint_eq(f.releases, 1);
	close(fd);
	fx_close(&f);
}
END_TEST

/* A held client gets nothing (and no EOF) until the answer comes and
 * the hold ends; a held client whose peer left stays valid until
 * released, its writes discarded. */
START_TEST(test_hold_release)
{
	struct fx f;
	size_t len;
	char *ans;
	int fd;

	fx_open(&f);
	fd = fx_client(&f, 0);
	send_code(fd, REQ_HOLD);
	spin(&f, 20);
	ck_assert_ptr_nonnull(f.held);
	ck_assert(nothing_yet(fd));
	ck_assert_int_eq(sync_client_printf(f.held, "late %d\n", 7), 0);
	spin(&f, 20);
	ck_assert(nothing_yet(fd));
	sync_client_release(f.held);
	ans = drain(&f, fd, 4096, &len);
	ck_assert_str_eq(ans, "late 7\n");
	free(ans);
	close(fd);

	f.held = NULL;
	fd = fx_client(&f, 0);
	send_code(fd, REQ_HOLD);
	spin(&f, 5);
	ck_assert_ptr_nonnull(f.held);
	close(fd);
	spin(&f, 5);
	ck_assert_int_eq(sync_client_printf(f.held, "nobody\n"), 0);
	sync_client_release(f.held);
	spin(&f, 5);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_peer, 0);
	fx_close(&f);
}
END_TEST

/* A peer that closes before its answer is complete: a producer is
 * released once, a direct answer dropped, both counted. */
START_TEST(test_peer_early)
{
	struct fx f;
	char buf[1000];
	int fd;

	fx_open(&f);
	fd = fx_client(&f, 1);
	send_code(fd, REQ_FOREVER);
	close(fd);
	for (int i = 0; i < 1000 && !f.releases; i++)
		spin(&f, 1);
	ck_assert_uint_eq(f.releases, 1);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_peer, 1);
	fd = fx_client(&f, 1);
	send_code(fd, REQ_BIG);
	spin(&f, 5);
	ck_assert_int_eq(recv(fd, buf, sizeof(buf), 0), (int)sizeof(buf));
	close(fd);
	for (int i = 0; i < 1000 &&
	     sync_ctl_stats(f.c)->dropped_peer < 2; i++)
		spin(&f, 1);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_peer, 2);
	spin(&f, 5);
	ck_assert_uint_eq(f.releases, 1);
	fx_close(&f);
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

/* The sweep drops a client that sent nothing and one that takes nothing
 * of its answer for the stall time, not a held client that waits. */
START_TEST(test_stall)
{
	struct fx f;
	uint64_t t0 = sync_loop_now();
	int idle, slow, held;
	size_t len;
	char *ans;

	fx_open(&f);
	sync_ctl_set_stall(f.c, 100);
	idle = fx_client(&f, 0);
	slow = fx_client(&f, 1);
	held = fx_client(&f, 0);
	send_code(slow, REQ_BIG);
	send_code(held, REQ_HOLD);
	while (sync_ctl_stats(f.c)->dropped_stalled < 2 &&
	       sync_loop_now() - t0 < 5000000)
		ck_assert_int_ge(sync_loop_run_once(f.l, 100000), 0);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_stalled, 2);
	ck_assert_uint_ge(sync_loop_now() - t0, 100000);
	ans = drain(&f, idle, 4096, &len);
	ck_assert_uint_eq(len, 0);
	free(ans);
	ans = drain(&f, slow, 4096, &len);
	ck_assert_uint_lt(len, BIG);
	free(ans);
	spin(&f, 5);
	ck_assert(nothing_yet(held));
	sync_client_release(f.held);
	ans = drain(&f, held, 4096, &len);
	ck_assert_uint_eq(len, 0);
	free(ans);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_stalled, 2);
	close(idle);
	close(slow);
	close(held);
	fx_close(&f);
}
END_TEST

/* SYNC_CTL_CLIENTS_MAX clients at once; the next is closed at once and
 * counted; once they are gone there is room again. */
START_TEST(test_clients_max)
{
	struct rlimit rl;
	struct fx f;
	int sv[2];

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < SYNC_CTL_CLIENTS_MAX + 64) {
		rl.rlim_cur = SYNC_CTL_CLIENTS_MAX + 64;
		ck_assert_msg(rl.rlim_cur <= rl.rlim_max,
			      "RLIMIT_NOFILE too low for the test");
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	fx_open(&f);
	for (int i = 0; i < SYNC_CTL_CLIENTS_MAX; i++) {
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		close(sv[1]);	/* the server sees it go once it runs */
		ck_assert_int_eq(sync_ctl_adopt(f.c, sv[0]), 0);
	}
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(sync_ctl_adopt(f.c, sv[0]), -EMFILE);
	errno = 0;
	ck_assert_int_eq(fcntl(sv[0], F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	close(sv[1]);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->dropped_full, 1);
	spin(&f, 3);
	ck_assert_uint_eq(sync_ctl_stats(f.c)->read_failed,
			  SYNC_CTL_CLIENTS_MAX);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(sync_ctl_adopt(f.c, sv[0]), 0);
	close(sv[1]);
	fx_close(&f);
}
END_TEST

/* ---- the socket file and the client ----------------------------------- */

/* sync_ctl_open: the path's limits, mode 0600, unlinked at close; the
 * client gets its answer and refuses what it cannot connect to. */
START_TEST(test_open_request)
{
	char dir[] = "/tmp/rawct-ctl.XXXXXX", path[200], longp[200];
	struct sync_ctl *c;
	struct stat st;
	struct fx f;
	int p[2], status;
	char buf[64];
	pid_t pid;
	ssize_t n;

	fx_open(&f);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sock", dir);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[108] = '\0';
	ck_assert_int_eq(sync_ctl_open(&c, f.l, "", on_request, &f), -EINVAL);
	ck_assert_int_eq(sync_ctl_open(&c, f.l, longp, on_request, &f),
			 -ENAMETOOLONG);
	ck_assert_int_eq(sync_ctl_request(longp, 1, 1), -ENAMETOOLONG);
	ck_assert_int_eq(sync_ctl_request(path, 1, 1), -ENOENT);
	ck_assert_int_eq(sync_ctl_open(&c, f.l, path, on_request, &f), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(sync_ctl_request(path, REQ_ONE, p[1]) == 1 ? 0 : 1);
	close(p[1]);
	while (waitpid(pid, &status, WNOHANG) == 0)
		ck_assert_int_ge(sync_loop_run_once(f.l, 10000), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	n = read(p[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 4);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "one\n");
	close(p[0]);
	ck_assert_uint_eq(sync_ctl_stats(c)->accepted, 1);
	sync_ctl_close(c);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	rmdir(dir);
	fx_close(&f);
}
END_TEST

Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("ctl");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_request_bytes);
	tcase_add_test(tc, test_request_partial);
	tcase_add_test(tc, test_answer_buffered);
	tcase_add_test(tc, test_producer_room);
	tcase_add_test(tc, test_hold_release);
	tcase_add_test(tc, test_peer_early);
	tcase_add_test(tc, test_stall);
	tcase_add_test(tc, test_clients_max);
	tcase_add_test(tc, test_open_request);
	suite_add_tcase(s, tc);
	return s;
}
