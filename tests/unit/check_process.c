// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/process: the lock file taken (0600, our pid written
 * and rewritten), refused to a second taker in this process and in a
 * forked child, free again once its holder is killed with SIGKILL, and
 * unlinked at release; its failing rows (too long, missing directory, a
 * symbolic link); daemonising (the parent's callback gets the child's pid,
 * the child leads a new session) and stdio on /dev/null; and systemd's
 * notify protocol against our own AF_UNIX datagram socket, by path and by
 * abstract name, with a row per NOTIFY_SOCKET and WATCHDOG_USEC /
 * WATCHDOG_PID rule. Files live in a mkdtemp directory removed after.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>

#include "sync/process.h"
#include "tests/unit/suites.h"

struct tmp {
	char dir[64], lock[128];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/rawct-proc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->lock, sizeof(t->lock), "%s/lock", t->dir);
}

static void tmp_remove(struct tmp *t)
{
	unlink(t->lock);
	ck_assert_int_eq(rmdir(t->dir), 0);
}

static void assert_file(const char *path, const char *want)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, want);
}

/* Waits for @pid; returns its exit status, failing if it was killed. */
static int reap(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* ---- lock ------------------------------------------------------------ */

/* Taken: 0600, our pid written, then replaced by a shorter one; a second
 * open file in this process is refused; release unlinks, twice is fine. */
START_TEST(test_lock_take)
{
	struct tmp t;
	struct sync_lock lk, other;
	struct stat st;
	char want[32];

	tmp_make(&t);
	umask(022);
	ck_assert_int_eq(sync_lock_take(&lk, t.lock), 0);
	ck_assert_int_ge(lk.fd, 0);
	ck_assert_str_eq(lk.path, t.lock);
	ck_assert_int_eq(stat(t.lock, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(sync_lock_write_pid(&lk, getpid()), 0);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	assert_file(t.lock, want);
	ck_assert_int_eq(sync_lock_write_pid(&lk, 7), 0);
	assert_file(t.lock, "7\n");
	ck_assert_int_eq(sync_lock_take(&other, t.lock), -EEXIST);
	ck_assert_int_eq(other.fd, -1);
	sync_lock_release(&lk);
	ck_assert_int_eq(lk.fd, -1);
	ck_assert_int_eq(stat(t.lock, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	sync_lock_release(&lk);
	ck_assert_int_eq(sync_lock_write_pid(&lk, 1), -EBADF);
	tmp_remove(&t);
}
END_TEST

/* A forked child cannot take the lock we hold, nor release it. */
START_TEST(test_lock_child)
{
	struct tmp t;
	struct sync_lock lk;
	pid_t pid;

	tmp_make(&t);
	ck_assert_int_eq(sync_lock_take(&lk, t.lock), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sync_lock mine;

		_exit(sync_lock_take(&mine, t.lock) == -EEXIST ? 0 : 1);
	}
	ck_assert_int_eq(reap(pid), 0);
	ck_assert_int_eq(access(t.lock, F_OK), 0);
	sync_lock_release(&lk);
	tmp_remove(&t);
}
END_TEST

/* Held by a child that is then killed with SIGKILL: refused while it
 * lives, ours once it is dead, though its file (and pid) stayed. */
START_TEST(test_lock_sigkill)
{
	struct tmp t;
	struct sync_lock lk;
	int p[2], st;
	char c = 0, want[32];
	pid_t pid;

	tmp_make(&t);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sync_lock mine;

		if (sync_lock_take(&mine, t.lock) ||
		    sync_lock_write_pid(&mine, getpid()))
			_exit(1);
		if (write(p[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(sync_lock_take(&lk, t.lock), -EEXIST);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
	snprintf(want, sizeof(want), "%d\n", (int)pid);
	assert_file(t.lock, want);
	ck_assert_int_eq(sync_lock_take(&lk, t.lock), 0);
	ck_assert_int_eq(sync_lock_write_pid(&lk, getpid()), 0);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	assert_file(t.lock, want);
	sync_lock_release(&lk);
	close(p[0]);
	close(p[1]);
	tmp_remove(&t);
}
END_TEST

/* Failing rows: a path longer than the struct holds, a missing
 * directory, a symbolic link (not followed). */
START_TEST(test_lock_errors)
{
	struct tmp t;
	struct sync_lock lk;
	char longp[300], link[160];

	tmp_make(&t);
	memset(longp, 'l', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ck_assert_int_eq(sync_lock_take(&lk, longp), -ENAMETOOLONG);
	ck_assert_int_eq(lk.fd, -1);
	ck_assert_int_eq(sync_lock_take(&lk, "/nonexistent-rawct/lock"),
			 -ENOENT);
	snprintf(link, sizeof(link), "%s/link", t.dir);
	ck_assert_int_eq(symlink(t.lock, link), 0);
	ck_assert_int_eq(sync_lock_take(&lk, link), -ELOOP);
	ck_assert_int_eq(access(t.lock, F_OK), -1);
	unlink(link);
	tmp_remove(&t);
}
END_TEST

/* ---- process --------------------------------------------------------- */

static void note_child(pid_t child, void *arg)
{
	int fd = *(int *)arg;
	long v = child;

	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(3);
}

/* A child of ours daemonises: its parent's callback gets the daemon's
 * pid and exits 0; the daemon leads a new session. (Two pipes: the
 * callback and the daemon write in either order.) */
START_TEST(test_daemonize)
{
	int cb[2], dm[2];
	long child, me[2];
	pid_t pid;

	ck_assert_int_eq(pipe(cb), 0);
	ck_assert_int_eq(pipe(dm), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (sync_daemonize(note_child, &cb[1]))
			_exit(2);
		me[0] = getpid();
		me[1] = getsid(0);
		_exit(write(dm[1], me, sizeof(me)) == sizeof(me) ? 0 : 4);
	}
	ck_assert_int_eq(reap(pid), 0);
	ck_assert_int_eq(read(cb[0], &child, sizeof(child)), sizeof(child));
	ck_assert_int_eq(read(dm[0], me, sizeof(me)), sizeof(me));
	ck_assert_int_ne(child, pid);
	ck_assert_int_eq(me[0], child);
	ck_assert_int_eq(me[1], child);
	for (int i = 0; i < 2; i++) {
		close(cb[i]);
		close(dm[i]);
	}
}
END_TEST

/* fds 0, 1 and 2 all on /dev/null afterwards, and no other descriptor
 * left open (in a child). */
START_TEST(test_detach_stdio)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct stat null, st;
		int spare = open("/dev/null", O_RDONLY);

		/* the lowest free number, where /dev/null opens next */
		if (spare < 3 || close(spare) || stat("/dev/null", &null) ||
		    sync_detach_stdio())
			_exit(1);
		for (int fd = 0; fd <= 2; fd++)
			if (fstat(fd, &st) || st.st_rdev != null.st_rdev ||
			    !S_ISCHR(st.st_mode))
				_exit(2);
		_exit(fcntl(spare, F_GETFD) < 0 && errno == EBADF ? 0 : 3);
	}
	ck_assert_int_eq(reap(pid), 0);
}
END_TEST

/* ---- systemd notify -------------------------------------------------- */

/* Our end of the notify socket: bound at @name (path, or abstract when
 * it starts with '@'); NOTIFY_SOCKET set to @name. */
static int notify_listen(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa,
			      (socklen_t)(offsetof(struct sockaddr_un,
						   sun_path) + len)), 0);
	ck_assert_int_eq(setenv("NOTIFY_SOCKET", name, 1), 0);
	return fd;
}

/* Each state arrives as one datagram of exactly its bytes. */
static void assert_states(int srv)
{
	static const char *const states[] = {
		"MAINPID=4242", "READY=1", "WATCHDOG=1", "STOPPING=1",
	};
	struct sync_notify n;
	char buf[64];

	unsetenv("WATCHDOG_USEC");
	ck_assert_int_eq(sync_notify_init(&n), 0);
	ck_assert_int_ge(n.fd, 0);
	ck_assert_uint_eq(n.watchdog_usec, 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(sync_notify_send(&n, states[i]), 0);
	for (size_t i = 0; i < 4; i++) {
		ssize_t r = recv(srv, buf, sizeof(buf) - 1, 0);

		ck_assert_int_eq(r, (ssize_t)strlen(states[i]));
		buf[r] = '\0';
		ck_assert_str_eq(buf, states[i]);
	}
	ck_assert_int_eq(recv(srv, buf, sizeof(buf), 0), -1);
	sync_notify_close(&n);
	ck_assert_int_eq(n.fd, -1);
	sync_notify_close(&n);
}

START_TEST(test_notify_path)
{
	struct tmp t;
	char path[128];
	int srv;

	tmp_make(&t);
	snprintf(path, sizeof(path), "%s/notify", t.dir);
	srv = notify_listen(path);
	assert_states(srv);
	close(srv);
	unlink(path);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_notify_abstract)
{
	char name[64];
	int srv;

	snprintf(name, sizeof(name), "@rawct-notify-%d-%u", (int)getpid(),
		 (unsigned int)random());
	srv = notify_listen(name);
	assert_states(srv);
	close(srv);
}
END_TEST

/* Without NOTIFY_SOCKET nothing is opened and sends do nothing, even
 * with a watchdog asked for. */
START_TEST(test_notify_unset)
{
	struct sync_notify n;

	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "1000000", 1);
	ck_assert_int_eq(sync_notify_init(&n), 0);
	ck_assert_int_eq(n.fd, -1);
	ck_assert_uint_eq(n.watchdog_usec, 0);
	ck_assert_int_eq(sync_notify_send(&n, "READY=1"), 0);
	sync_notify_close(&n);
}
END_TEST

/* NOTIFY_SOCKET rows: a path keeps room for its NUL (107 bytes at
 * most), an abstract name needs none (108). */
struct sock_case {
	char first;		/* '/', '@' or another */
	size_t len;		/* total length */
	int err;
};

static const struct sock_case sock_cases[] = {
	{ '/', 107, 0 },
	{ '/', 108, -EINVAL },
	{ '@', 108, 0 },
	{ '@', 109, -EINVAL },
	{ '@', 1, -EINVAL },
	{ 'r', 10, -EINVAL },		/* relative */
	{ '\0', 0, -EINVAL },		/* empty */
};

START_TEST(test_notify_socket_rows)
{
	const struct sock_case *c = &sock_cases[_i];
	struct sync_notify n;
	char v[128] = "";

	if (c->len) {
		memset(v, 'x', c->len);
		v[0] = c->first;
		v[c->len] = '\0';
	}
	unsetenv("WATCHDOG_USEC");
	setenv("NOTIFY_SOCKET", v, 1);
	ck_assert_int_eq(sync_notify_init(&n), c->err);
	if (c->err) {
		ck_assert_int_eq(n.fd, -1);
		return;
	}
	ck_assert_int_ge(n.fd, 0);
	ck_assert_uint_eq(n.path_len, c->len + (c->first == '/'));
	ck_assert_int_eq(n.path[0], c->first == '@' ? '\0' : '/');
	sync_notify_close(&n);
}
END_TEST

/* WATCHDOG_USEC / WATCHDOG_PID rows, as sd_watchdog_enabled() reads
 * them; "self" and "other" stand for our pid and our parent's. */
struct wd_case {
	const char *usec, *pid;
	uint64_t want;
	int err;
};

static const struct wd_case wd_cases[] = {
	{ "30000000", NULL, 30000000, 0 },
	{ "30000000", "self", 30000000, 0 },
	{ "30000000", "other", 0, 0 },
	{ NULL, "self", 0, 0 },
	{ "1", NULL, 1, 0 },
	{ "18446744073709551614", NULL, 18446744073709551614u, 0 },
	{ "18446744073709551615", NULL, 0, -ERANGE },	/* infinity */
	{ "18446744073709551616", NULL, 0, -ERANGE },	/* overflow */
	{ "0", NULL, 0, -ERANGE },
	{ "", NULL, 0, -ERANGE },
	{ "12x", NULL, 0, -ERANGE },
	{ "-5", NULL, 0, -ERANGE },
	{ " 5", NULL, 0, -ERANGE },
	{ "1000", "abc", 0, -ERANGE },
	{ "1000", "0", 0, -ERANGE },
	{ "1000", "99999999999", 0, -ERANGE },
};

START_TEST(test_watchdog_rows)
{
	const struct wd_case *c = &wd_cases[_i];
	struct sync_notify n;
	char pid[24];

	setenv("NOTIFY_SOCKET", "/nonexistent-rawct/notify", 1);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (c->usec)
		setenv("WATCHDOG_USEC", c->usec, 1);
	if (c->pid) {
		if (!strcmp(c->pid, "self") || !strcmp(c->pid, "other"))
			snprintf(pid, sizeof(pid), "%d",
				 (int)(c->pid[0] == 's' ? getpid() :
				       getppid()));
		else
			snprintf(pid, sizeof(pid), "%s", c->pid);
		setenv("WATCHDOG_PID", pid, 1);
	}
	ck_assert_int_eq(sync_notify_init(&n), c->err);
	ck_assert_int_ge(n.fd, 0);
	ck_assert_uint_eq(n.watchdog_usec, c->want);
	sync_notify_close(&n);
}
END_TEST

Suite *process_suite(void)
{
	Suite *s = suite_create("process");
	TCase *tc = tcase_create("process");

	tcase_add_test(tc, test_lock_take);
	tcase_add_test(tc, test_lock_child);
	tcase_add_test(tc, test_lock_sigkill);
	tcase_add_test(tc, test_lock_errors);
	tcase_add_test(tc, test_daemonize);
	tcase_add_test(tc, test_detach_stdio);
	tcase_add_test(tc, test_notify_path);
	tcase_add_test(tc, test_notify_abstract);
	tcase_add_test(tc, test_notify_unset);
	tcase_add_loop_test(tc, test_notify_socket_rows, 0,
			    sizeof(sock_cases) / sizeof(sock_cases[0]));
	tcase_add_loop_test(tc, test_watchdog_rows, 0,
			    sizeof(wd_cases) / sizeof(wd_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
