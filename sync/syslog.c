// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The syslog client of sync/syslog.h: glibc's datagram, its connection
 * made again when syslogd's socket is a new one; a stream socket where
 * /dev/log is one, as glibc does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sync/syslog.h"

#define RETRY_USEC	1000000
#define DGRAM_MAX	(4096 + 128)	/* a log line and its header */

void sync_syslog_init(struct sync_syslog *s, const char *ident)
{
	*s = (struct sync_syslog){ .fd = -1, .ident = ident };
}

static int connect_as(int type)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, err;

	memcpy(a.sun_path, SYNC_SYSLOG_PATH, sizeof(SYNC_SYSLOG_PATH));
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int sync_syslog_connect(void)
{
	int fd = connect_as(SOCK_DGRAM);

	/* a stream socket refuses a datagram one's connect */
	return fd == -EPROTOTYPE ? connect_as(SOCK_STREAM) : fd;
}

/* Whether @fd is a stream socket (else, or unknown: a datagram one). */
static int is_stream(int fd)
{
	int type = 0;
	socklen_t len = sizeof(type);

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       type == SOCK_STREAM;
}

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* A new connection in place of the old one (closed); 0 or -errno. */
static int reconnect(struct sync_syslog *s)
{
	int fd;

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	fd = s->reopen ? s->reopen(s->arg) : sync_syslog_connect();
	if (fd < 0) {
		s->next_try = mono_usec() + RETRY_USEC;
		return fd;
	}
	s->fd = fd;
	s->stream = (uint8_t)is_stream(fd);
	s->next_try = 0;
	return 0;
}

int sync_syslog_open(struct sync_syslog *s)
{
	return reconnect(s);
}

void sync_syslog_set_reopen(struct sync_syslog *s, int (*reopen)(void *arg),
			    void *arg)
{
	s->reopen = reopen;
	s->arg = arg;
}

size_t sync_syslog_format(char *buf, size_t len, int pri, const char *ident,
			  int pid, time_t now, const char *msg)
{
	static const char mon[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm tm;
	int n;

	if (!len)
		return 0;
	if (!localtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	n = snprintf(buf, len, "<%d>%s %2d %02d:%02d:%02d %s[%d]: %s", pri,
		     mon[(unsigned int)tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ident, pid, msg);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < len ? (size_t)n : len - 1;
}

/* Whether a send's error says the connection is dead, not the line. */
static int conn_gone(int err)
{
	return err == ECONNREFUSED || err == ENOTCONN || err == ECONNRESET ||
	       err == EDESTADDRREQ || err == EBADF || err == ENOENT ||
	       err == EPIPE;
}

void sync_syslog_send(struct sync_syslog *s, int pri, const char *msg)
{
	char dgram[DGRAM_MAX];
	size_t n;
	ssize_t w;

	n = sync_syslog_format(dgram, sizeof(dgram), pri, s->ident,
			       (int)getpid(), time(NULL), msg);
	for (int tries = 0; tries < 2; tries++) {
		if (s->fd < 0 && (mono_usec() < s->next_try ||
				  reconnect(s) < 0))
			return;
		/* on a stream, each line ends with its NUL (glibc's
		 * framing) */
		w = send(s->fd, dgram, n + s->stream, MSG_DONTWAIT |
			 MSG_NOSIGNAL);
		if (s->stream && w > 0 && (size_t)w <= n) {
			/* a stream with room for part of the line: the
			 * rest would be framed as a line of its own, so
			 * the connection ends with it (a new one for the
			 * next line) */
			close(s->fd);
			s->fd = -1;
			return;
		}
		if (w >= 0 || !conn_gone(errno))
			return;
		close(s->fd);
		s->fd = -1;
	}
}

void sync_syslog_close(struct sync_syslog *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
