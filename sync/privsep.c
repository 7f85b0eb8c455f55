// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's privilege separation (see sync/privsep.h for the design
 * and the reasons): the fork, the child dropping everything and its
 * side of the typed messages; the parent's side is in
 * sync/privsep_parent.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl/sock.h"
#include "nl/uapi.h"
#include "sync/daemon.h"
#include "sync/kernel.h"
#include "sync/keys.h"
#include "sync/loop.h"
#include "sync/privsep_int.h"
#include "sync/seccomp.h"

#define CAP_LAST_GUESS	63	/* PR_CAPBSET_DROP past the last: EINVAL */

/* ---- the child's side ------------------------------------------------- */

static int ps_request(struct sync_privsep *ps, const struct ps_hdr *h,
		      const void *payload)
{
	struct iovec iov[2] = {
		{ (void *)h, sizeof(*h) }, { (void *)payload, h->len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = payload ? 2 : 1 };
	ssize_t n;

	do
		n = sendmsg(ps->req, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

static int ps_reply(struct sync_privsep *ps)
{
	struct ps_hdr r;
	ssize_t n;

	do
		n = recv(ps->req, &r, sizeof(r), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r) || r.type != PS_REPLY)
		return -EPIPE;
	return r.arg;
}

/* One request, its reply (the parent answers each at once, in order: a
 * started send's reply comes first and is kept for ps_send_end). */
static int ps_call(struct sync_privsep *ps, const struct ps_hdr *h,
		   const void *payload)
{
	int rc;

	if (ps->pending) {
		ps->early_rc = ps_reply(ps);
		ps->early = 1;
		ps->pending = 0;
	}
	rc = ps_request(ps, h, payload);
	return rc < 0 ? rc : ps_reply(ps);
}

/* The parent's number for the child's socket @fd. */
static int theirs(const struct sync_privsep *ps, int fd)
{
	for (unsigned int i = 0; i < ps->nmap; i++)
		if (ps->map[i].mine == fd)
			return ps->map[i].theirs;
	return fd;		/* opened before the fork: the same */
}

static int ps_send(void *arg, int fd, const void *buf, size_t len)
{
	struct ps_hdr h = { PS_SEND, (uint32_t)len, theirs(arg, fd), 0 };

	if (len > PS_PAYLOAD_MAX)
		return -EMSGSIZE;
	return ps_call(arg, &h, buf);
}

static int ps_rcvbuf(void *arg, int fd, size_t bytes)
{
	struct ps_hdr h = { PS_RCVBUF, 0, theirs(arg, fd),
			    bytes > INT32_MAX ? INT32_MAX : (int32_t)bytes };

	return ps_call(arg, &h, NULL);
}

/* A send whose reply is read later: the parent runs the request (the
 * kernel's work, a commit's creates) while the child goes on. */
static int ps_send_start(void *arg, int fd, const void *buf, size_t len)
{
	struct sync_privsep *ps = arg;
	struct ps_hdr h = { PS_SEND, (uint32_t)len, theirs(arg, fd), 0 };
	int rc;

	if (len > PS_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (ps->pending || ps->early)
		return -EBUSY;
	rc = ps_request(ps, &h, buf);
	if (rc == 0)
		ps->pending = 1;
	return rc;
}

static int ps_send_end(void *arg)
{
	struct sync_privsep *ps = arg;

	if (ps->early) {
		ps->early = 0;
		return ps->early_rc;
	}
	if (!ps->pending)
		return 0;
	ps->pending = 0;
	return ps_reply(ps);
}

static const struct nl_sock_ops ps_ops = {
	.send = ps_send,
	.rcvbuf = ps_rcvbuf,
	.send_start = ps_send_start,
	.send_end = ps_send_end,
};

void sync_privsep_notify(struct sync_privsep *ps, int kind)
{
	struct ps_hdr h = { PS_NOTIFY, 0, -1, kind };

	if (ps && ps->req >= 0)
		ps_call(ps, &h, NULL);
}

/* PS_SOCKET's reply carries the descriptor. */
static int ps_call_fd(struct sync_privsep *ps, int *fd, int *their)
{
	struct ps_hdr h = { PS_SOCKET, 0, -1, 0 }, r;
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;

	if (send(ps->req, &h, sizeof(h), MSG_NOSIGNAL) < 0)
		return -errno;
	do
		n = recvmsg(ps->req, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r) || r.type != PS_REPLY)
		return -EPIPE;
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return r.arg < 0 ? r.arg : -EPIPE;
	memcpy(fd, CMSG_DATA(c), sizeof(int));
	*their = r.arg;
	return 0;
}

int sync_privsep_sock_open(struct sync_privsep *ps, struct nl_sock **out)
{
	int fd = -1, their = -1, rc;

	if (!ps || ps->req < 0)
		return nl_sock_open(out, NULL);
	if (ps->nmap >= PS_DYN_MAX)
		return -EMFILE;
	rc = ps_call_fd(ps, &fd, &their);
	if (rc < 0)
		return rc;
	rc = nl_sock_adopt(out, fd);
	if (rc < 0) {
		struct ps_hdr h = { PS_CLOSE, 0, their, 0 };

		close(fd);
		ps_call(ps, &h, NULL);
		return rc;
	}
	ps->map[ps->nmap].mine = fd;
	ps->map[ps->nmap++].theirs = their;
	nl_sock_set_ops(*out, &ps_ops, ps);
	return 0;
}

void sync_privsep_sock_close(struct sync_privsep *ps, struct nl_sock *s)
{
	int fd;

	if (!s)
		return;
	fd = nl_sock_fd(s);
	for (unsigned int i = 0; ps && i < ps->nmap; i++) {
		struct ps_hdr h = { PS_CLOSE, 0, ps->map[i].theirs, 0 };

		if (ps->map[i].mine != fd)
			continue;
		ps_call(ps, &h, NULL);
		ps->map[i] = ps->map[--ps->nmap];
		break;
	}
	nl_sock_close(s);
}

/* New log descriptors from the parent (after its SIGHUP). */
/* The parent is gone (even by SIGKILL) or confused: without it the lock
 * is free, so a new daemon may be starting. */
static void parent_gone(struct sync_privsep *ps, struct sync_loop *l, int fd)
{
	sync_log(&ps->d->log, SYNC_LOG_ERR, "privileged process gone, "
		 "stopping");
	sync_loop_fd_del(l, fd);
	ps->d->stopping = 1;
	sync_loop_stop(l);
}

/* The descriptors a record passed: the new logs of a PS_LOGS record
 * (@arg's bits say which), closed for any other (@logs 0). */
static void take_logs(struct sync_privsep *ps, int32_t arg, int logs,
		      struct msghdr *m)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(m);
	int got[2] = { -1, -1 }, fds[2] = { -1, -1 }, n = 0, k = 0;

	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
		n = c->cmsg_len == CMSG_LEN(2 * sizeof(int)) ? 2 : 1;
		memcpy(got, CMSG_DATA(c), (size_t)n * sizeof(int));
	}
	for (int i = 0; i < 2; i++)
		if (arg & (1 << i) && k < n)
			fds[i] = got[k++];
	for (; k < n; k++)
		close(got[k]);		/* more than the bits said */
	if (logs)
		sync_log_swap(&ps->d->log, fds[0], fds[1]);
	else
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				close(fds[i]);
}

/* The parent's notices: new log descriptors, or the keys of the key file
 * read again (each one whole SOCK_SEQPACKET record of the exact size). */
static void on_notice(struct sync_loop *l, int fd, unsigned int revents,
		      void *arg)
{
	struct sync_privsep *ps = arg;
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct sync_keys *keys = malloc(sizeof(*keys));
	struct ps_hdr h;
	struct iovec iov[2] = { { &h, sizeof(h) },
				{ keys, keys ? sizeof(*keys) : 0 } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	(void)revents;
	n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		free(keys);
		return;
	}
	if (n >= (ssize_t)sizeof(h) && h.type == PS_KEYS && !keys) {
		sync_log(&ps->d->log, SYNC_LOG_ERR, "key file not reloaded: "
			 "%s", strerror(ENOMEM));
	} else if (n < (ssize_t)sizeof(h) || (m.msg_flags & MSG_TRUNC) ||
		   h.len != (size_t)n - sizeof(h) ||
		   (h.type == PS_LOGS && h.len != 0) ||
		   (h.type == PS_KEYS && h.len != sizeof(*keys)) ||
		   (h.type != PS_LOGS && h.type != PS_KEYS)) {
		if (n > 0)
			take_logs(ps, 3, 0, &m);	/* closed */
		parent_gone(ps, l, fd);
	} else {
		take_logs(ps, h.arg, h.type == PS_LOGS, &m);
		if (h.type == PS_KEYS)
			sync_daemon_rekey(ps->d, keys);	/* wipes them */
	}
	if (keys) {
		sync_keys_free(keys);
		free(keys);
	}
}

static int drop_caps_bounding(void)
{
	for (int cap = 0; cap <= CAP_LAST_GUESS; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	return 0;
}

/* An empty root: the configured directory, or one made next to the lock
 * file and removed once we are in it (nothing can be created in a
 * directory that no longer exists). */
static int enter_chroot(const struct sync_conf *c)
{
	char dir[PATH_MAX], *slash;
	int made = 0;

	if (c->privsep.chroot[0]) {
		snprintf(dir, sizeof(dir), "%s", c->privsep.chroot);
	} else {
		snprintf(dir, sizeof(dir), "%s", c->lockfile);
		slash = strrchr(dir, '/');
		if (!slash)
			return -EINVAL;
		snprintf(slash + 1, sizeof(dir) - (size_t)(slash + 1 - dir),
			 "conntrackd-empty.XXXXXX");
		if (!mkdtemp(dir))
			return -errno;
		made = 1;
	}
	if (chdir(dir) < 0)
		return -errno;
	if (made && rmdir(dir) < 0)
		return -errno;
	if (chroot(".") < 0 || chdir("/") < 0)
		return -errno;
	return 0;
}

static int drop(struct sync_privsep *ps, uid_t uid, gid_t gid,
		pid_t parent)
{
	const struct sync_conf *c = ps->d->conf;
	int rc;

	rc = enter_chroot(c);
	if (rc == 0)
		rc = drop_caps_bounding();
	if (rc == 0 && (setgroups(1, &gid) < 0 ||
			setresgid(gid, gid, gid) < 0 ||
			setresuid(uid, uid, uid) < 0))
		rc = -errno;
	if (rc == 0 && (setresuid(0, 0, 0) == 0 || getuid() == 0))
		rc = -EPERM;	/* root came back: refuse to go on */
	if (rc < 0)
		return rc;
	/* a change of credentials clears the parent-death signal: set it
	 * now, then make sure the parent did not already go meanwhile */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0)
		return -errno;
	if (getppid() != parent)
		return -ESRCH;
	rc = sync_seccomp_apply();
	if (rc == -EOPNOTSUPP) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		sync_log(&ps->d->log, SYNC_LOG_WARNING, "no seccomp filter "
			 "for this architecture");
		rc = 0;
	}
	return rc;
}

static void child_setup(struct sync_privsep *ps)
{
	struct nl_sock *socks[PS_FDS_MAX];
	unsigned int n = sync_kernel_socks(ps->d->kernel, socks, PS_FDS_MAX);

	for (unsigned int i = 0; i < n; i++)
		nl_sock_set_ops(socks[i], &ps_ops, ps);
	sync_loop_fd_add(ps->d->loop, ps->note, POLLIN, on_notice, ps);
	ps->d->privsep = ps;
}

static int resolve(const struct sync_conf *c, uid_t *uid, gid_t *gid)
{
	const char *name = c->privsep.user[0] ? c->privsep.user : "conntrackd";
	struct passwd *pw = getpwnam(name);

	if (!pw && !c->privsep.user[0])
		pw = getpwnam(name = "nobody");
	if (!pw || pw->pw_uid == 0)
		return -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int sync_privsep_prepare(struct sync_daemon *d)
{
	struct sync_privsep *ps;
	uid_t uid;
	gid_t gid;

	if (d->conf->privsep.off)
		return -ENOTSUP;
	if (resolve(d->conf, &uid, &gid) < 0) {
		sync_log(&d->log, SYNC_LOG_ERR, "privilege separation: no "
			 "unprivileged user `%s'", d->conf->privsep.user[0] ?
			 d->conf->privsep.user : "conntrackd' nor `nobody");
		return -ENOENT;
	}
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->d = d;
	ps->req = ps->note = -1;
	ps->uid = uid;
	ps->gid = gid;
	d->privsep = ps;
	return 0;
}

int sync_privsep_start(struct sync_daemon *d, int *status)
{
	struct sync_privsep *ps = d->privsep;
	struct nl_sock *socks[PS_FDS_MAX];
	struct ps_allow a = { .n = 0 };
	int req[2], note[2], rc;
	pid_t pid, parent;

	if (!ps)
		return -ENOTSUP;
	a.n = a.nstatic = sync_kernel_socks(d->kernel, socks, PS_FDS_MAX);
	for (unsigned int i = 0; i < a.n; i++)
		a.fds[i] = nl_sock_fd(socks[i]);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, req) < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, note) < 0) {
		rc = -errno;
		goto err_req;
	}
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto err_note;
	}
	if (pid == 0) {
		close(req[0]);
		close(note[0]);
		/* the lock is the parent's: with it gone (even by SIGKILL),
		 * a new daemon may start while this one is still ending */
		if (d->lock.fd >= 0)
			close(d->lock.fd);
		d->lock.fd = -1;
		ps->req = req[1];
		ps->note = note[1];
		rc = drop(ps, ps->uid, ps->gid, parent);
		if (rc < 0) {
			sync_log(&d->log, SYNC_LOG_ERR, "cannot drop "
				 "privileges: %s", strerror(-rc));
			_exit(1);
		}
		child_setup(ps);
		return 0;
	}
	close(req[1]);
	close(note[1]);
	ps->child = pid;
	/* the keys of the sync links are the child's alone */
	if (d->mode && d->mode->forget)
		d->mode->forget(d);
	*status = sync_privsep_parent_loop(ps, req[0], note[0], &a);
	close(req[0]);
	close(note[0]);
	d->privsep = NULL;
	free(ps);
	return 1;
err_note:
	close(note[0]);
	close(note[1]);
err_req:
	close(req[0]);
	close(req[1]);
	return rc;
}

void sync_privsep_free(struct sync_privsep *ps)
{
	if (!ps)
		return;
	if (ps->req >= 0)
		close(ps->req);
	if (ps->note >= 0)
		close(ps->note);
	free(ps);
}
