/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's syslog client: the datagram glibc's syslog(3) sends after
 * openlog(ident, LOG_PID | LOG_NDELAY, facility),
 *   "<PRI>Mmm dd hh:mm:ss ident[pid]: message"
 * on a socket connected to /dev/log, but on a socket it can replace.
 * When syslogd restarts its socket is a new one, and a send on the old
 * connection fails: the line goes again, once, on a new connection, from
 * the reopen callback (the privilege-separated child, chrooted where no
 * /dev/log is, asks its parent) or, without one, connected here. libc's
 * syslog would try to reconnect inside the chroot and lose every line
 * from then on. A failed reconnect is tried again a second later at the
 * soonest, lines meanwhile dropped. Sends never block: a line syslogd
 * has no room for is dropped (the daemon's loop does not wait for it).
 * Where /dev/log is a stream socket (some syslogd configurations), the
 * connection is a stream, each line followed by a NUL as glibc sends it;
 * a line only partly taken ends the connection (the next line makes a
 * new one), so the lines that follow are framed right.
 */
#ifndef RAWCT_SYNC_SYSLOG_H
#define RAWCT_SYNC_SYSLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SYNC_SYSLOG_PATH	"/dev/log"

struct sync_syslog {
	int fd;				/* connected, or -1 */
	uint8_t stream;			/* fd is a SOCK_STREAM */
	const char *ident;		/* static text */
	int (*reopen)(void *arg);	/* a new connected socket, or -errno */
	void *arg;
	uint64_t next_try;		/* CLOCK_MONOTONIC us: no reconnect
					 * before (after a failed one) */
};

void sync_syslog_init(struct sync_syslog *s, const char *ident);

/* Connects now (as LOG_NDELAY). Returns 0 or -errno; lines after a
 * failure try to connect again. */
int sync_syslog_open(struct sync_syslog *s);

/* Where a new connection comes from from now on (NULL: connected here). */
void sync_syslog_set_reopen(struct sync_syslog *s, int (*reopen)(void *arg),
			    void *arg);

/* One line at @pri (facility | level). Errors are dropped. */
void sync_syslog_send(struct sync_syslog *s, int pri, const char *msg);

void sync_syslog_close(struct sync_syslog *s);

/* A datagram socket connected to SYNC_SYSLOG_PATH, or a stream socket
 * if that is one (close-on-exec, non-blocking), or -errno. */
int sync_syslog_connect(void);

/*
 * sync_syslog_format - the datagram of one line into @buf (@len bytes,
 * cut to fit, NUL-terminated): @now in local time as glibc writes it
 * ("%h %e %T", C locale). Returns the datagram's length (without NUL).
 */
size_t sync_syslog_format(char *buf, size_t len, int pri, const char *ident,
			  int pid, time_t now, const char *msg);

#endif
