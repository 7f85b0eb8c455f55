/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's log, exactly as upstream writes it: each line is
 * "[<ctime without newline>] (pid=<pid>) [<level>] <message>\n" with the
 * level "info", "notice", "warning" or "ERROR", appended to the LogFile
 * (opened O_APPEND, one write(2) per line, so a line is never split),
 * mirrored to stdout (info, notice) or stderr (warning, ERROR) while the
 * daemon runs in the console or has not daemonised yet, and sent to
 * syslog (as openlog "conntrack-tools", LOG_PID, the facility would, but
 * through sync/syslog.h, which reconnects after a syslogd restart) when
 * Syslog is configured.
 *
 * The Stats mode flow log is a second file (Stats { LogFile }) and/or
 * syslog at LOG_INFO: "<ctime>\t<entry>\n", written by sync_log_flow().
 *
 * Nothing here is global: the daemon owns one struct sync_log. A line
 * longer than SYNC_LOG_LINE_MAX is cut, never overflowed.
 */
#ifndef RAWCT_SYNC_LOG_H
#define RAWCT_SYNC_LOG_H

#include <stdarg.h>
#include <stdint.h>

#include "sync/syslog.h"

#define SYNC_LOG_LINE_MAX	4096

/* Levels: the syslog priorities upstream uses. */
enum sync_log_level {
	SYNC_LOG_ERR = 3,	/* LOG_ERR, "ERROR" */
	SYNC_LOG_WARNING = 4,	/* LOG_WARNING, "warning" */
	SYNC_LOG_NOTICE = 5,	/* LOG_NOTICE, "notice" */
	SYNC_LOG_INFO = 6,	/* LOG_INFO, "info" */
};

struct sync_log {
	int fd;			/* LogFile, -1 if none */
	int flow_fd;		/* Stats LogFile, -1 if none */
	int syslog;		/* facility (LOG_DAEMON...) or -1 */
	int flow_syslog;	/* Stats Syslog facility or -1 */
	int console;		/* mirror lines to stdout/stderr */
	int syslog_open;	/* sys connected once (sync_log_open) */
	struct sync_syslog sys;	/* the syslog client */
	char path[257];		/* for reopening (SIGHUP, privsep later) */
	char flow_path[257];
};

/* sync_log_init - nothing open, console mirroring on (as upstream before
 * its log is initialised). */
void sync_log_init(struct sync_log *l);

/*
 * sync_log_open - open @path (LogFile; NULL or "" for none) and
 * @flow_path (Stats LogFile; NULL or "" for none) for appending, created
 * 0600 if missing, and connect to syslog if either facility is not -1.
 * Returns 0 or -errno of the open that failed (-ENAMETOOLONG for a path
 * longer than 256 bytes; the LogFile is closed again then); the caller
 * prints upstream's "ERROR: can't open logfile `%s'.Reason: %s" (sic, no
 * blank). Called again (with l->path and l->flow_path, say, after a
 * rotation), it replaces each file it opens anew. Lines name their own
 * facility: each goes to syslog on the facility it was configured with.
 */
int sync_log_open(struct sync_log *l, const char *path, const char *flow_path,
		  int facility, int flow_facility);

/* Stops (0) or resumes mirroring to stdout/stderr (after daemonising). */
void sync_log_console(struct sync_log *l, int on);

/* Where the syslog client gets a new connection (sync/syslog.h). */
void sync_log_set_syslog_reopen(struct sync_log *l, int (*reopen)(void *arg),
				void *arg);

/* Closes what is open (syslog too); accepts a never-opened log. */
void sync_log_close(struct sync_log *l);

/* One line at @level, printf-style. Never fails; errors are dropped. */
void sync_log(struct sync_log *l, enum sync_log_level level,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sync_log_v(struct sync_log *l, enum sync_log_level level,
		const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * sync_log_flow - one flow log line: "<ctime(now)>\t<text>\n" to the
 * Stats LogFile and "<text>" to syslog (LOG_INFO) on the Stats facility.
 * @now is seconds since the epoch (0: time(NULL)).
 */
void sync_log_flow(struct sync_log *l, const char *text, int64_t now);

/*
 * sync_log_reopen_fds - the open log files opened again by their names
 * (after a rotation): *@fd and *@flow_fd, each -1 if that log is not a
 * file or cannot be opened (the old one then stays).
 */
void sync_log_reopen_fds(const struct sync_log *l, int *fd, int *flow_fd);

/* Both at once, in place (SIGHUP without privilege separation). */
void sync_log_reopen(struct sync_log *l);

/* Puts new descriptors in place of the open log files (the same
 * numbers: dup3), for a reopen done by someone else; -1 leaves one as it
 * is. Takes ownership of @fd and @flow_fd. */
void sync_log_swap(struct sync_log *l, int fd, int flow_fd);

/*
 * sync_log_entry - a flow that an operation failed on, as upstream's
 * dlog_ct() writes it to the main LogFile after the error line:
 * "<ctime>\t<text>\n", and to syslog at LOG_ERR.
 */
void sync_log_entry(struct sync_log *l, const char *text);

/*
 * sync_log_format - the file form of a line into @buf (@len bytes):
 * "[ctime] (pid=N) [level] message\n", cut to fit. For tests and for
 * sync_log itself. Returns the length written.
 */
int sync_log_format(char *buf, int len, enum sync_log_level level,
		    int64_t now, int pid, const char *msg);

#endif
