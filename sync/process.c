// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon as a process (see sync/process.h): the held lock file,
 * forking into the background, stdio on /dev/null, and systemd's notify
 * protocol spoken by hand: one AF_UNIX datagram per state change to
 * $NOTIFY_SOCKET, never blocking (MSG_DONTWAIT: a manager that does not
 * read must not stall the loop).
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "sync/process.h"

/* Tries taking @path's lock once: 1 taken, 0 lost a race with an unlink
 * (try again), or -errno. Between our open() and flock() the holder may
 * have unlinked the file and dropped the lock; the lock we then get is on
 * a name nobody else will open, so it counts only if @path still names
 * the locked inode. */
static int lock_try(struct sync_lock *lk, const char *path)
{
	struct stat held, named;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
		  0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno == EWOULDBLOCK ? -EEXIST : -errno;

		close(fd);
		return err;
	}
	if (fstat(fd, &held) < 0 || stat(path, &named) < 0 ||
	    held.st_dev != named.st_dev || held.st_ino != named.st_ino) {
		close(fd);
		return 0;
	}
	lk->fd = fd;
	return 1;
}

int sync_lock_take(struct sync_lock *lk, const char *path)
{
	size_t n = strlen(path);
	int r = 0;

	lk->fd = -1;
	if (n >= sizeof(lk->path))
		return -ENAMETOOLONG;
	memcpy(lk->path, path, n + 1);
	for (int tries = 0; tries < 16 && !r; tries++)
		r = lock_try(lk, path);
	return r == 1 ? 0 : r ? r : -EAGAIN;
}

int sync_lock_write_pid(struct sync_lock *lk, pid_t pid)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	ssize_t w;

	if (lk->fd < 0)
		return -EBADF;
	if (ftruncate(lk->fd, 0) < 0)
		return -errno;
	w = pwrite(lk->fd, buf, (size_t)n, 0);
	if (w < 0)
		return -errno;
	return w == n ? 0 : -EIO;
}

void sync_lock_release(struct sync_lock *lk)
{
	if (lk->fd < 0)
		return;
	/* unlink while still holding, so no one locks the name meanwhile */
	unlink(lk->path);
	close(lk->fd);
	lk->fd = -1;
}

int sync_daemonize(void (*parent_cb)(pid_t child, void *arg), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid > 0) {
		if (parent_cb)
			parent_cb(pid, arg);
		_exit(0);
	}
	setsid();	/* cannot fail: a fresh child leads no group */
	return 0;
}

int sync_detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_NOCTTY);
	int err = 0;

	if (fd < 0)
		return -errno;
	for (int i = 0; i <= 2; i++)
		if (fd != i && dup2(fd, i) < 0)
			err = -errno;
	if (fd > 2)
		close(fd);
	return err;
}

/* ---- systemd notify --------------------------------------------------- */

/* A decimal number, digits only, no overflow. 0 or -EINVAL. */
static int notify_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The watchdog, as sd_watchdog_enabled() reads it: WATCHDOG_USEC a
 * number other than 0 and infinity; when WATCHDOG_PID is set, a pid that
 * must be ours or the watchdog belongs to another process. */
static int notify_watchdog(struct sync_notify *n)
{
	const char *us = getenv("WATCHDOG_USEC");
	const char *ps = getenv("WATCHDOG_PID");
	uint64_t usec, pid;

	if (!us)
		return 0;
	if (notify_u64(us, &usec) || !usec || usec == UINT64_MAX)
		return -ERANGE;
	if (ps) {
		if (notify_u64(ps, &pid) || !pid || pid > INT_MAX)
			return -ERANGE;
		if (pid != (uint64_t)getpid())
			return 0;
	}
	n->watchdog_usec = usec;
	return 0;
}

int sync_notify_init(struct sync_notify *n)
{
	const char *e = getenv("NOTIFY_SOCKET");
	size_t len;

	*n = (struct sync_notify){ .fd = -1 };
	if (!e)
		return 0;
	len = strlen(e);
	/* a path keeps its NUL, an abstract name ('@' -> '\0') needs none */
	if ((e[0] != '/' && e[0] != '@') || len < 2 ||
	    len + (e[0] == '/') > sizeof(n->path))
		return -EINVAL;
	memcpy(n->path, e, len);
	if (e[0] == '@')
		n->path[0] = '\0';
	else
		n->path[len++] = '\0';
	n->path_len = (unsigned int)len;
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->fd < 0)
		return -errno;
	return notify_watchdog(n);
}

int sync_notify_send(struct sync_notify *n, const char *state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				      n->path_len);

	if (n->fd < 0)
		return 0;
	memcpy(sa.sun_path, n->path, n->path_len);
	if (sendto(n->fd, state, strlen(state), MSG_DONTWAIT | MSG_NOSIGNAL,
		   (struct sockaddr *)&sa, salen) < 0)
		return -errno;
	return 0;
}

void sync_notify_close(struct sync_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
