// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The privileged parent of conntrackd's privilege separation
 * (sync/privsep.h): the check of every record the child sends, and the
 * small loop that serves them, passes new log descriptors and waits for
 * the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl/sock.h"
#include "nl/uapi.h"
#include "sync/channel.h"
#include "sync/daemon.h"
#include "sync/kernel.h"
#include "sync/keys.h"
#include "sync/loop.h"
#include "sync/privsep_int.h"
#include "sync/syslog.h"

/* ---- the check -------------------------------------------------------- */

static int check_send(const uint8_t *p, size_t len)
{
	struct nlmsghdr h;
	uint8_t sub, cmd;
	size_t off = 0;

	if (len < NLMSG_HDRLEN)
		return -EBADMSG;
	while (off < len) {
		if (len - off < NLMSG_HDRLEN)
			return -EBADMSG;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg) ||
		    h.nlmsg_len > len - off)
			return -EBADMSG;
		sub = (uint8_t)(h.nlmsg_type >> 8);
		cmd = (uint8_t)h.nlmsg_type;
		if ((sub != NFNL_SUBSYS_CTNETLINK &&
		     sub != NFNL_SUBSYS_CTNETLINK_EXP) ||
		    cmd > IPCTNL_MSG_CT_DELETE ||
		    !(h.nlmsg_flags & NLM_F_REQUEST) || h.nlmsg_pid != 0)
			return -EPERM;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (off > len && off - len >= NLMSG_ALIGNTO)
			return -EBADMSG;
	}
	return 0;
}

/* 1 for a socket opened before the fork, 2 for one opened since. */
static int allowed_fd(const struct ps_allow *a, int fd)
{
	for (unsigned int i = 0; i < a->n; i++)
		if (a->fds[i] == fd)
			return i < a->nstatic ? 1 : 2;
	return 0;
}

int sync_privsep_check(const void *rec, size_t len, const struct ps_allow *allow,
		       struct ps_hdr *h)
{
	if (len < sizeof(*h))
		return -EBADMSG;
	memcpy(h, rec, sizeof(*h));
	if (h->len != len - sizeof(*h) || h->len > PS_PAYLOAD_MAX)
		return -EBADMSG;
	switch (h->type) {
	case PS_SEND:
		if (!allowed_fd(allow, h->fd))
			return -EPERM;
		return check_send((const uint8_t *)rec + sizeof(*h), h->len);
	case PS_RCVBUF:
		if (h->len || h->arg <= 0 || !allowed_fd(allow, h->fd))
			return h->len ? -EBADMSG : -EPERM;
		return 0;
	case PS_NOTIFY:
		if (h->len || h->arg < PS_NOTIFY_READY ||
		    h->arg > PS_NOTIFY_STOPPING)
			return -EBADMSG;
		return 0;
	case PS_SOCKET:
		return h->len || h->fd != -1 ? -EBADMSG : 0;
	case PS_STREAM:
		return h->len || h->fd != -1 || h->arg < 0 ||
		       h->arg >= SYNC_CONF_CHAN_MAX ? -EBADMSG : 0;
	case PS_SYSLOG:
		return h->len || h->fd != -1 || h->arg ? -EBADMSG : 0;
	case PS_CLOSE:
		if (h->len)
			return -EBADMSG;
		return allowed_fd(allow, h->fd) == 2 ? 0 : -EPERM;
	}
	return -EBADMSG;
}

/* ---- the parent ------------------------------------------------------- */

static void reply(int fd, int rc)
{
	struct ps_hdr r = { PS_REPLY, 0, -1, rc };

	send(fd, &r, sizeof(r), MSG_NOSIGNAL);
}

/* Reply @r on @fd, with descriptor @s (if >= 0) attached. */
static void reply_fd(int fd, struct ps_hdr *r, int s)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { r, sizeof(*r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (s >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &s, sizeof(int));
	}
	sendmsg(fd, &m, MSG_NOSIGNAL);
}

/* PS_SOCKET: a bound NETLINK_NETFILTER socket, allowed from now on,
 * passed to the child; the reply's arg is our number for it. */
static void give_socket(int fd, struct ps_allow *a)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct ps_hdr r = { PS_REPLY, 0, -1, -EMFILE };
	int s = -1;

	if (a->n < a->nstatic + PS_DYN_MAX) {
		s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			   NETLINK_NETFILTER);
		if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(s);
			s = -1;
		}
		r.arg = s < 0 ? -errno : s;
	}
	if (s >= 0)
		a->fds[a->n++] = s;
	reply_fd(fd, &r, s);
}

/* PS_STREAM: a TCP socket for link @idx as the child's TCP link would
 * open it, its send buffer forced; handed over, not kept: the parent
 * never names it. Anything but a TCP link of the configuration is
 * refused. */
static void give_stream(int fd, const struct sync_conf *conf, int idx)
{
	struct ps_hdr r = { PS_REPLY, 0, -1, -EPERM };
	int s = -1;

	if ((unsigned int)idx < conf->sync.n_chan &&
	    conf->sync.chan[idx].type == SYNC_CHAN_TCP) {
		s = sync_chan_stream_socket(&conf->sync.chan[idx]);
		r.arg = s < 0 ? s : 0;
	}
	reply_fd(fd, &r, s);
	if (s >= 0)
		close(s);
}

/* PS_SYSLOG: a socket connected to /dev/log, which the chrooted child
 * cannot reach, after syslogd made its socket anew; handed over, not
 * kept. */
static void give_syslog(int fd)
{
	struct ps_hdr r = { PS_REPLY, 0, -1, 0 };
	int s = sync_syslog_connect();

	r.arg = s < 0 ? s : 0;
	reply_fd(fd, &r, s);
	if (s >= 0)
		close(s);
}

static void take_socket(struct ps_allow *a, int s)
{
	for (unsigned int i = a->nstatic; i < a->n; i++)
		if (a->fds[i] == s) {
			a->fds[i] = a->fds[--a->n];
			close(s);
			return;
		}
}

static void serve(struct sync_privsep *ps, int fd, struct ps_allow *a,
		  uint8_t *buf)
{
	struct sync_daemon *d = ps->d;
	struct ps_hdr h;
	ssize_t n = recv(fd, buf, sizeof(h) + PS_PAYLOAD_MAX, MSG_TRUNC);
	int rc, v;

	if (n <= 0)
		return;
	rc = n > (ssize_t)(sizeof(h) + PS_PAYLOAD_MAX) ? -EBADMSG :
	     sync_privsep_check(buf, (size_t)n, a, &h);
	if (rc < 0) {
		sync_log(&d->log, SYNC_LOG_WARNING, "privileged process: "
			 "refused a request from the daemon (%s)",
			 strerror(-rc));
		reply(fd, rc);
		return;
	}
	switch (h.type) {
	case PS_SOCKET:
		give_socket(fd, a);
		return;
	case PS_STREAM:
		give_stream(fd, d->conf, h.arg);
		return;
	case PS_SYSLOG:
		give_syslog(fd);
		return;
	case PS_CLOSE:
		take_socket(a, h.fd);
		rc = 0;
		break;
	case PS_SEND:
		rc = send(h.fd, buf + sizeof(h), h.len, 0) == (ssize_t)h.len ?
		     0 : -errno;
		break;
	case PS_RCVBUF:
		v = h.arg;
		rc = setsockopt(h.fd, SOL_SOCKET, SO_RCVBUFFORCE, &v,
				sizeof(v)) < 0 ? -errno : 0;
		break;
	case PS_NOTIFY:
		if (d->conf->systemd)
			sync_notify_send(&d->notify, h.arg == PS_NOTIFY_READY ?
					 "READY=1" : h.arg == PS_NOTIFY_STOPPING ?
					 "STOPPING=1" : "WATCHDOG=1");
		rc = 0;
		break;
	}
	reply(fd, rc);
}

/* SIGHUP: the logs again, for the child (logrotate). arg's bit 0 says
 * the LogFile comes, bit 1 the Stats LogFile, in that order; a log that
 * cannot be opened is not sent and the child keeps the old one. */
static void reopen_logs(struct sync_privsep *ps, int note)
{
	int fds[2], pass[2], n = 0;
	char cbuf[CMSG_SPACE(sizeof(pass))];
	struct ps_hdr h = { PS_LOGS, 0, -1, 0 };
	struct iovec iov = { &h, sizeof(h) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	sync_log_reopen_fds(&ps->d->log, &fds[0], &fds[1]);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0) {
			pass[n++] = fds[i];
			h.arg |= 1 << i;
		}
	if (n) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
		memcpy(CMSG_DATA(c), pass, (size_t)n * sizeof(int));
		sendmsg(note, &m, MSG_NOSIGNAL);
	}
	for (int i = 0; i < n; i++)
		close(pass[i]);
}

/* After a SIGHUP: the key file read again, as root, handed to the child
 * (which cannot open it) in one record, then wiped here. */
static void send_keys(struct sync_privsep *ps, int note)
{
	struct ps_hdr h = { PS_KEYS, sizeof(struct sync_keys), -1, 0 };
	struct sync_keys *k = malloc(sizeof(*k));
	struct iovec iov[2] = { { &h, sizeof(h) }, { k, sizeof(*k) } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (!k) {
		sync_log(&ps->d->log, SYNC_LOG_ERR, "key file not reloaded: "
			 "%s", strerror(ENOMEM));
		return;
	}
	if (sync_daemon_load_keys(ps->d, k) == 0 &&
	    sendmsg(note, &m, MSG_NOSIGNAL) < 0)
		sync_log(&ps->d->log, SYNC_LOG_ERR, "key file not reloaded: "
			 "%s", strerror(errno));
	sync_keys_free(k);
	free(k);
}

int sync_privsep_parent_loop(struct sync_privsep *ps, int req, int note,
		       struct ps_allow *a)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	uint8_t *buf = malloc(sizeof(struct ps_hdr) + PS_PAYLOAD_MAX);
	sigset_t set;
	int sfd, status = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (!buf || sfd < 0) {
		kill(ps->child, SIGTERM);
		waitpid(ps->child, &status, 0);
		free(buf);
		return 1;
	}
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = req, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			serve(ps, req, a, buf);
		if (pfd[1].revents & POLLIN &&
		    read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGHUP) {
				reopen_logs(ps, note);
				send_keys(ps, note);
			}
			else if (si.ssi_signo != SIGCHLD)
				kill(ps->child, (int)si.ssi_signo);
			else if (waitpid(ps->child, &status, WNOHANG) ==
				 ps->child)
				break;
		}
		if ((pfd[0].revents & (POLLHUP | POLLERR)) &&
		    !(pfd[0].revents & POLLIN)) {
			waitpid(ps->child, &status, 0);
			break;
		}
	}
	close(sfd);
	free(buf);
	if (WIFSIGNALED(status)) {
		sync_log(&ps->d->log, SYNC_LOG_ERR, "unprivileged process "
			 "(pid=%d) ended by signal %d", (int)ps->child,
			 WTERMSIG(status));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
