// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's log lines, byte for byte as upstream writes them (see
 * sync/log.h), but each formatted whole into a buffer first and written
 * with one write(2): to the LogFile opened O_APPEND, so two processes (or
 * a rotated file) never interleave half lines, and to fd 1 or 2 for the
 * console, bypassing stdio so nothing waits in a buffer across a fork.
 * syslog goes through our own client (sync/syslog.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sync/log.h"

#define LOG_IDENT	"conntrack-tools"	/* upstream's PACKAGE */

void sync_log_init(struct sync_log *l)
{
	*l = (struct sync_log){
		.fd = -1, .flow_fd = -1, .syslog = -1, .flow_syslog = -1,
		.console = 1,
	};
	sync_syslog_init(&l->sys, LOG_IDENT);
	tzset();	/* ctime_r's zone, read once while it can be */
}

static const char *log_level_name(enum sync_log_level level)
{
	switch (level) {
	case SYNC_LOG_INFO:
		return "info";
	case SYNC_LOG_NOTICE:
		return "notice";
	case SYNC_LOG_WARNING:
		return "warning";
	case SYNC_LOG_ERR:
		return "ERROR";
	}
	return "?";
}

/* ctime of @now without its newline, into @out (at least 26 bytes). */
static void log_ctime(char *out, size_t len, int64_t now)
{
	time_t t = (time_t)now;
	char *nl;

	if (!ctime_r(&t, out)) {
		snprintf(out, len, "?");
		return;
	}
	nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
}

/* After an snprintf that returned @n into @buf of @len bytes: the length
 * of what is there, a cut line ending in '\n' again. */
static int log_fit(char *buf, int len, int n)
{
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	if (n < len)
		return n;
	n = len - 1;
	if (n > 0)
		buf[n - 1] = '\n';
	return n;
}

int sync_log_format(char *buf, int len, enum sync_log_level level,
		    int64_t now, int pid, const char *msg)
{
	char when[64];

	if (len <= 0)
		return 0;
	log_ctime(when, sizeof(when), now);
	return log_fit(buf, len, snprintf(buf, (size_t)len,
					  "[%s] (pid=%d) [%s] %s\n", when,
					  pid, log_level_name(level), msg));
}

/* One write(2) of the whole line; errors are dropped (nowhere to say). */
static void log_put(int fd, const char *buf, int len)
{
	ssize_t r;

	if (fd < 0 || len <= 0)
		return;
	do
		r = write(fd, buf, (size_t)len);
	while (r < 0 && errno == EINTR);
}

void sync_log_v(struct sync_log *l, enum sync_log_level level,
		const char *fmt, va_list ap)
{
	char msg[SYNC_LOG_LINE_MAX], line[SYNC_LOG_LINE_MAX + 1];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = sync_log_format(line, sizeof(line), level, time(NULL), getpid(),
			    msg);
	if (l->console)
		log_put(level == SYNC_LOG_INFO || level == SYNC_LOG_NOTICE ?
			STDOUT_FILENO : STDERR_FILENO, line, n);
	log_put(l->fd, line, n);
	if (l->syslog != -1 && l->syslog_open)
		sync_syslog_send(&l->sys, (int)level | l->syslog, msg);
}

void sync_log(struct sync_log *l, enum sync_log_level level,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sync_log_v(l, level, fmt, ap);
	va_end(ap);
}

void sync_log_flow(struct sync_log *l, const char *text, int64_t now)
{
	char when[64], line[SYNC_LOG_LINE_MAX + 1];
	int n;

	if (l->flow_fd >= 0) {
		log_ctime(when, sizeof(when), now ? now : time(NULL));
		n = log_fit(line, sizeof(line),
			    snprintf(line, sizeof(line), "%s\t%s\n", when,
				     text));
		log_put(l->flow_fd, line, n);
	}
	if (l->flow_syslog != -1 && l->syslog_open)
		sync_syslog_send(&l->sys, LOG_INFO | l->flow_syslog, text);
}

static int log_reopen_one(const char *path)
{
	return path[0] ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			      0600) : -1;
}

void sync_log_reopen_fds(const struct sync_log *l, int *fd, int *flow_fd)
{
	*fd = l->fd >= 0 ? log_reopen_one(l->path) : -1;
	*flow_fd = l->flow_fd >= 0 ? log_reopen_one(l->flow_path) : -1;
}

void sync_log_reopen(struct sync_log *l)
{
	int fd, flow_fd;

	sync_log_reopen_fds(l, &fd, &flow_fd);
	sync_log_swap(l, fd, flow_fd);
}

/* @fd's file in place of @slot's (same number), if both are open. */
static void log_swap_one(int slot, int fd)
{
	if (fd < 0)
		return;
	if (slot >= 0)
		dup3(fd, slot, O_CLOEXEC);
	close(fd);
}

void sync_log_swap(struct sync_log *l, int fd, int flow_fd)
{
	log_swap_one(l->fd, fd);
	log_swap_one(l->flow_fd, flow_fd);
}

void sync_log_entry(struct sync_log *l, const char *text)
{
	char when[64], line[SYNC_LOG_LINE_MAX + 1];
	int n;

	if (l->fd >= 0) {
		log_ctime(when, sizeof(when), time(NULL));
		n = log_fit(line, sizeof(line),
			    snprintf(line, sizeof(line), "%s\t%s\n", when,
				     text));
		log_put(l->fd, line, n);
	}
	if (l->syslog != -1 && l->syslog_open)
		sync_syslog_send(&l->sys, LOG_ERR | l->syslog, text);
}

static int log_open_one(const char *path, int *fd, char *keep, size_t cap)
{
	size_t n;
	int nfd;

	if (!path || !*path)
		return 0;
	n = strlen(path);
	if (n >= cap)
		return -ENAMETOOLONG;
	nfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
		   0600);
	if (nfd < 0)
		return -errno;
	if (*fd >= 0)
		close(*fd);
	*fd = nfd;
	memmove(keep, path, n + 1);	/* a reopen passes l->path */
	return 0;
}

int sync_log_open(struct sync_log *l, const char *path, const char *flow_path,
		  int facility, int flow_facility)
{
	int err;

	err = log_open_one(path, &l->fd, l->path, sizeof(l->path));
	if (err)
		return err;
	err = log_open_one(flow_path, &l->flow_fd, l->flow_path,
			   sizeof(l->flow_path));
	if (err)
		goto close_log;
	l->syslog = facility;
	l->flow_syslog = flow_facility;
	if ((facility != -1 || flow_facility != -1) && !l->syslog_open) {
		/* each line names its facility. Connected now (LOG_NDELAY),
		 * not at the first line: the unprivileged child, chrooted
		 * where there is no /dev/log, inherits the connection (and
		 * asks its parent for a new one, sync_log_set_syslog_reopen) */
		sync_syslog_open(&l->sys);
		l->syslog_open = 1;
	}
	return 0;
close_log:
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	return err;
}

void sync_log_console(struct sync_log *l, int on)
{
	l->console = on;
}

void sync_log_set_syslog_reopen(struct sync_log *l, int (*reopen)(void *arg),
				void *arg)
{
	sync_syslog_set_reopen(&l->sys, reopen, arg);
}

void sync_log_close(struct sync_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->flow_fd >= 0)
		close(l->flow_fd);
	sync_syslog_close(&l->sys);
	l->fd = -1;
	l->flow_fd = -1;
	l->syslog_open = 0;
}
