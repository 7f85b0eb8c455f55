// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's privilege separation, the unprivileged child's side of
 * the typed messages (sync/privsep.h): its kernel requests sent through
 * the parent, the sockets the parent opens for it, systemd notices, and
 * the parent's notices (new log descriptors, reloaded keys, its end).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl/sock.h"
#include "sync/daemon.h"
#include "sync/kernel.h"
#include "sync/keys.h"
#include "sync/loop.h"
#include "sync/privsep_int.h"

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

/* Request @h (PS_SOCKET, PS_STREAM), whose reply carries a descriptor:
 * *@fd, and the reply's arg in *@their. */
static int ps_call_fd(struct sync_privsep *ps, const struct ps_hdr *h,
		      int *fd, int *their)
{
	struct ps_hdr r;
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;

	if (ps->pending) {	/* a started send's reply comes first */
		ps->early_rc = ps_reply(ps);
		ps->early = 1;
		ps->pending = 0;
	}
	if (send(ps->req, h, sizeof(*h), MSG_NOSIGNAL) < 0)
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
	struct ps_hdr req = { PS_SOCKET, 0, -1, 0 };
	int fd = -1, their = -1, rc;

	if (!ps || ps->req < 0)
		return nl_sock_open(out, NULL);
	if (ps->nmap >= PS_DYN_MAX)
		return -EMFILE;
	rc = ps_call_fd(ps, &req, &fd, &their);
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

int sync_privsep_stream(struct sync_privsep *ps, unsigned int idx)
{
	struct ps_hdr h = { PS_STREAM, 0, -1, (int32_t)idx };
	int fd = -1, their, rc;

	if (!ps || ps->req < 0)
		return -ENOTSUP;
	rc = ps_call_fd(ps, &h, &fd, &their);
	return rc < 0 ? rc : fd;
}

/* The log's syslog client, after a send on the old connection failed
 * (syslogd restarted): a new connection from the parent. */
static int syslog_reopen(void *arg)
{
	struct sync_privsep *ps = arg;
	struct ps_hdr h = { PS_SYSLOG, 0, -1, 0 };
	int fd = -1, their, rc;

	if (ps->req < 0)
		return -ENOTCONN;
	rc = ps_call_fd(ps, &h, &fd, &their);
	return rc < 0 ? rc : fd;
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

void sync_privsep_child_setup(struct sync_privsep *ps)
{
	struct nl_sock *socks[PS_FDS_MAX];
	unsigned int n = sync_kernel_socks(ps->d->kernel, socks, PS_FDS_MAX);

	for (unsigned int i = 0; i < n; i++)
		nl_sock_set_ops(socks[i], &ps_ops, ps);
	sync_loop_fd_add(ps->d->loop, ps->note, POLLIN, on_notice, ps);
	sync_log_set_syslog_reopen(&ps->d->log, syslog_reopen, ps);
	ps->d->privsep = ps;
}
