/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon as a process: its lock file, going to the background, and
 * telling systemd how it is doing.
 *
 * The lock is held, not merely present: the file is opened (created 0600
 * if missing) and locked with flock(LOCK_EX | LOCK_NB), which the child
 * of sync_daemonize() keeps (fcntl locks would not survive the fork); a
 * second daemon fails to
 * take the lock and is refused with upstream's message, while a lock left
 * by a daemon that died (kill -9) is free again because the kernel drops
 * the dead process's lock. The daemon writes its pid into the file and
 * removes it on a clean exit, as upstream does.
 *
 * systemd's notify protocol is written by hand: one datagram per message
 * to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an abstract
 * name when it starts with '@'); "READY=1", "STOPPING=1", "MAINPID=N",
 * "WATCHDOG=1" (every WATCHDOG_USEC/2 when $WATCHDOG_USEC is set and
 * $WATCHDOG_PID is unset or ours).
 */
#ifndef RAWCT_SYNC_PROCESS_H
#define RAWCT_SYNC_PROCESS_H

#include <stdint.h>
#include <sys/types.h>

struct sync_lock {
	int fd;			/* -1 when not held */
	char path[257];
};

/*
 * sync_lock_take - open and lock @path. Returns 0 (held), -EEXIST when
 * another live process holds it (the caller logs "lockfile `%s' exists,
 * perhaps conntrackd already running?" and exits 1), -ENAMETOOLONG, or
 * another -errno from open/flock (-ELOOP: @path is a symbolic link, not
 * followed). A lock taken on a file its holder unlinked meanwhile does not
 * count and is tried again; -EAGAIN if that keeps happening. @lk->fd is
 * -1 unless 0 is returned.
 */
int sync_lock_take(struct sync_lock *lk, const char *path);

/* Writes @pid (decimal and a newline) into the held lock file, replacing
 * its contents (after daemonising the pid changes). 0, -EBADF when not
 * held, or -errno. */
int sync_lock_write_pid(struct sync_lock *lk, pid_t pid);

/* Unlinks and closes a held lock; no-op when not held. */
void sync_lock_release(struct sync_lock *lk);

/*
 * sync_daemonize - fork; the parent calls @parent_cb(child pid, @arg)
 * (where the daemon sends MAINPID to systemd) and _exit(0)s; the child
 * setsid()s, and returns 0. Does not touch stdin/stdout/stderr (the
 * caller redirects them to /dev/null when it is done with the console).
 * Returns 0 in the child or -errno (fork failed, still the only process).
 */
int sync_daemonize(void (*parent_cb)(pid_t child, void *arg), void *arg);

/* Points fds 0, 1 and 2 at /dev/null. 0 or -errno. */
int sync_detach_stdio(void);

/* systemd notify state (from the environment at sync_notify_init). */
struct sync_notify {
	int fd;				/* datagram socket, -1 if none */
	char path[108];			/* sun_path, '\0'-first if abstract */
	unsigned int path_len;		/* bytes of path used */
	uint64_t watchdog_usec;		/* 0: no watchdog */
};

/* Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (the watchdog is
 * ours when WATCHDOG_PID is unset or equals getpid(); call this before
 * sync_daemonize(), as upstream does, so it stays ours in the child).
 * Without NOTIFY_SOCKET every send is a no-op and there is no watchdog.
 * Returns 0; -EINVAL for a NOTIFY_SOCKET that is not an absolute path or
 * '@' name, or too long (sends are no-ops then); -ERANGE when
 * WATCHDOG_USEC is not a number above 0 (nor infinity, UINT64_MAX) or
 * WATCHDOG_PID is not a pid (sends work, watchdog_usec is 0; upstream
 * warns "failed to get watchdog details from systemd: Invalid argument");
 * -errno from socket(). */
int sync_notify_init(struct sync_notify *n);
/* Sends @state ("READY=1", "STOPPING=1", "WATCHDOG=1", "MAINPID=123") as
 * one datagram, never blocking. Returns 0, or -errno (-EAGAIN when the
 * manager's queue is full; the caller logs and goes on). */
int sync_notify_send(struct sync_notify *n, const char *state);
void sync_notify_close(struct sync_notify *n);

#endif
