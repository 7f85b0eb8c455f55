// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control socket server and client (see sync/ctl.h). Each client is a
 * small state machine: reading its 4-byte request, then answering from a
 * buffer that the request's handler (or its producer, a slice at a time)
 * fills and that is written whenever the socket takes more. Clients are
 * kept on a list so that closing the server releases them all, and a
 * one-second sweep drops those that took nothing for too long.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sync/ctl.h"
#include "sync/loop.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59	/* Linux 4.13 */
#endif

#define BUF_HARD	(1024 * 1024)	/* a direct answer never exceeds */
#define FILL_SLICE	8		/* producer calls per wakeup */

enum { CL_READING, CL_ANSWERING };

struct sync_client {
	struct sync_ctl *ctl;
	struct sync_client *prev, *next;
	int fd;				/* -1 once the peer is gone */
	uint8_t state;
	uint8_t req_len;
	uint8_t held;
	uint8_t denied;			/* answered "permission denied" */
	uint8_t req[4];
	char *buf;
	size_t len, off, cap;
	sync_client_fill_cb fill;
	void *fill_arg;
	void (*release)(void *arg);
	uint64_t progress;		/* last time bytes went out (usec) */
};

struct sync_ctl {
	struct sync_loop *loop;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	sync_ctl_request_cb cb;
	void *arg;
	struct sync_client *clients;
	unsigned int nclients;
	struct sync_loop_timer sweep;
	uint64_t stall_usec;		/* SYNC_CTL_STALL_SEC */
	struct sync_ctl_stats st;
	gid_t group;			/* (gid_t)-1: root only */
	sync_ctl_deny_cb deny;
	void *deny_arg;
};

static void client_io(struct sync_loop *l, int fd, unsigned int revents,
		      void *arg);

static void client_producer_end(struct sync_client *cl)
{
	void (*release)(void *) = cl->release;
	void *arg = cl->fill_arg;

	cl->fill = NULL;
	cl->release = NULL;
	cl->fill_arg = NULL;
	if (release)
		release(arg);
}

/* The peer is gone or dropped: stop watching, close, keep the struct if
 * someone holds it. */
static void client_disconnect(struct sync_client *cl)
{
	if (cl->fd >= 0) {
		sync_loop_fd_del(cl->ctl->loop, cl->fd);
		close(cl->fd);
		cl->fd = -1;
	}
	client_producer_end(cl);
	cl->len = cl->off = 0;
}

static void client_free(struct sync_client *cl)
{
	struct sync_ctl *c = cl->ctl;

	client_disconnect(cl);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		c->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	c->nclients--;
	free(cl->buf);
	free(cl);
}

/* Closes @cl if it has nothing left to do. */
static void client_maybe_done(struct sync_client *cl)
{
	if (cl->state != CL_ANSWERING || cl->held || cl->fill)
		return;
	if (cl->fd >= 0 && cl->off < cl->len)
		return;
	client_free(cl);
}

static int client_reserve(struct sync_client *cl, size_t more)
{
	size_t need, cap;
	char *p;

	if (cl->off && cl->off == cl->len)
		cl->off = cl->len = 0;
	need = cl->len + more;
	if (need <= cl->cap)
		return 0;
	if (cl->off) {
		memmove(cl->buf, cl->buf + cl->off, cl->len - cl->off);
		cl->len -= cl->off;
		cl->off = 0;
		need = cl->len + more;
		if (need <= cl->cap)
			return 0;
	}
	if (need > BUF_HARD)
		return -ENOMEM;
	cap = cl->cap ? cl->cap : 4096;
	while (cap < need)
		cap *= 2;
	p = realloc(cl->buf, cap);
	if (!p)
		return -ENOMEM;
	cl->buf = p;
	cl->cap = cap;
	return 0;
}

int sync_client_write(struct sync_client *cl, const void *buf, size_t len)
{
	if (cl->fd < 0)
		return 0;	/* nobody to read it: discard */
	if (client_reserve(cl, len) < 0) {
		client_disconnect(cl);
		return -ENOMEM;
	}
	memcpy(cl->buf + cl->len, buf, len);
	cl->len += len;
	return 0;
}

int sync_client_printf(struct sync_client *cl, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	return sync_client_write(cl, tmp, (size_t)n);
}

size_t sync_client_room(const struct sync_client *cl)
{
	size_t pending = cl->len - cl->off;

	return pending >= SYNC_CTL_BUF_SOFT ? 0 : SYNC_CTL_BUF_SOFT - pending;
}

void sync_client_fill(struct sync_client *cl, sync_client_fill_cb fill,
		      void *arg, void (*release)(void *arg))
{
	client_producer_end(cl);
	if (cl->fd < 0) {
		if (release)
			release(arg);
		return;
	}
	cl->fill = fill;
	cl->fill_arg = arg;
	cl->release = release;
}

struct sync_client *sync_client_hold(struct sync_client *cl)
{
	cl->held = 1;
	return cl;
}

void sync_client_release(struct sync_client *cl)
{
	cl->held = 0;
	if (cl->fd >= 0 && cl->off < cl->len)
		sync_loop_fd_mod(cl->ctl->loop, cl->fd, POLLOUT);
	client_maybe_done(cl);
}

int sync_client_cred(const struct sync_client *cl, uint32_t *uid,
		     uint32_t *gid, int32_t *pid)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (cl->fd < 0)
		return -ENOTCONN;
	if (getsockopt(cl->fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return -errno;
	*uid = uc.uid;
	*gid = uc.gid;
	*pid = uc.pid;
	return 0;
}

/* Runs the producer while there is room; returns 0, or -1 if the client
 * was dropped. */
static int client_produce(struct sync_client *cl)
{
	int i, rc;

	for (i = 0; cl->fill && i < FILL_SLICE; i++) {
		if (sync_client_room(cl) == 0)
			break;
		rc = cl->fill(cl, cl->fill_arg);
		if (cl->fd < 0)
			return -1;
		if (rc <= 0) {
			client_producer_end(cl);
			if (rc < 0) {
				client_disconnect(cl);
				return -1;
			}
		}
	}
	return 0;
}

/* Writes what the socket takes. Returns 0, or -1 when the peer is gone. */
static int client_flush(struct sync_client *cl)
{
	while (cl->off < cl->len) {
		ssize_t n = send(cl->fd, cl->buf + cl->off, cl->len - cl->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			cl->ctl->st.dropped_peer++;
			client_disconnect(cl);
			return -1;
		}
		cl->off += (size_t)n;
		cl->progress = sync_loop_now();
	}
	cl->off = cl->len = 0;
	return 0;
}

/* Answer as far as possible now, then wait for POLLOUT if needed. */
static void client_pump(struct sync_client *cl)
{
	for (;;) {
		if (cl->fd < 0)
			break;
		if (client_produce(cl) < 0 || client_flush(cl) < 0)
			break;
		if (cl->off < cl->len || !cl->fill)
			break;
		/* all written and the producer has more: go on */
	}
	if (cl->fd >= 0)
		sync_loop_fd_mod(cl->ctl->loop, cl->fd,
				 cl->off < cl->len ? POLLOUT : 0);
	client_maybe_done(cl);
}

static void client_request(struct sync_client *cl)
{
	int code;

	memcpy(&code, cl->req, sizeof(code));
	cl->state = CL_ANSWERING;
	cl->progress = sync_loop_now();
	if (cl->denied)
		sync_client_printf(cl, "permission denied\n");
	else
		cl->ctl->cb(cl, code, cl->ctl->arg);
	if (cl->fd < 0 && !cl->held) {
		client_free(cl);
		return;
	}
	client_pump(cl);
}

static void client_read(struct sync_client *cl)
{
	ssize_t n = recv(cl->fd, cl->req + cl->req_len,
			 sizeof(cl->req) - cl->req_len, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		cl->ctl->st.read_failed++;
		client_free(cl);
		return;
	}
	cl->req_len += (uint8_t)n;
	if (cl->req_len == sizeof(cl->req))
		client_request(cl);
}

static void client_io(struct sync_loop *l, int fd, unsigned int revents,
		      void *arg)
{
	struct sync_client *cl = arg;
	char sink[256];

	(void)l;
	(void)fd;
	if (cl->state == CL_READING) {
		if (revents & (POLLIN | POLLHUP | POLLERR))
			client_read(cl);
		return;
	}
	if (revents & (POLLERR | POLLHUP)) {
		/* gone before its answer was complete */
		if (cl->off < cl->len || cl->fill)
			cl->ctl->st.dropped_peer++;
		client_disconnect(cl);
		client_maybe_done(cl);
		return;
	}
	if (revents & POLLIN) {
		/* bytes after the request are ignored; EOF is not an
		 * error while the answer is still coming */
		if (recv(cl->fd, sink, sizeof(sink), MSG_DONTWAIT) == 0 &&
		    !cl->fill && cl->off == cl->len && !cl->held) {
			client_maybe_done(cl);
			return;
		}
	}
	if (revents & POLLOUT)
		client_pump(cl);
}

static void ctl_sweep(struct sync_loop *l, void *arg)
{
	struct sync_ctl *c = arg;
	uint64_t now = sync_loop_now(), limit = c->stall_usec;
	struct sync_client *cl, *next;

	for (cl = c->clients; cl; cl = next) {
		next = cl->next;
		if (cl->fd < 0 || now - cl->progress < limit)
			continue;
		/* a held client waiting for work is not stalled */
		if (cl->held && cl->off == cl->len && !cl->fill)
			continue;
		c->st.dropped_stalled++;
		if (cl->state == CL_READING) {
			client_free(cl);
			continue;
		}
		client_disconnect(cl);
		client_maybe_done(cl);
	}
	if (c->clients)
		sync_loop_timer_add(l, &c->sweep, 1000000);
}

/* A new client on @fd, or NULL (counted, @fd closed); its answer comes
 * when its request is read. */
static struct sync_client *client_new(struct sync_ctl *c, int fd)
{
	struct sync_client *cl;
	int fl;

	if (c->nclients >= SYNC_CTL_CLIENTS_MAX) {
		c->st.dropped_full++;
		close(fd);
		return NULL;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		c->st.dropped_full++;
		close(fd);
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	cl->ctl = c;
	cl->fd = fd;
	cl->progress = sync_loop_now();
	if (sync_loop_fd_add(c->loop, fd, POLLIN, client_io, cl) < 0) {
		c->st.dropped_full++;
		close(fd);
		free(cl);
		return NULL;
	}
	cl->next = c->clients;
	if (c->clients)
		c->clients->prev = cl;
	c->clients = cl;
	c->nclients++;
	if (!sync_loop_timer_pending(&c->sweep))
		sync_loop_timer_add(c->loop, &c->sweep, 1000000);
	return cl;
}

int sync_ctl_adopt(struct sync_ctl *c, int fd)
{
	if (c->nclients >= SYNC_CTL_CLIENTS_MAX) {
		c->st.dropped_full++;
		close(fd);
		return -EMFILE;
	}
	return client_new(c, fd) ? 0 : -ENOMEM;
}

static int in_groups(int fd, gid_t group)
{
	gid_t g[256];
	socklen_t len = sizeof(g);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) < 0)
		return 0;
	for (size_t i = 0; i < len / sizeof(g[0]); i++)
		if (g[i] == group)
			return 1;
	return 0;
}

/* 1 if the peer of @fd may use the server; otherwise counts and reports
 * (the client is told once its request is read: closing on an unread
 * request would reset the connection before the answer). */
static int ctl_admit(struct sync_ctl *c, int fd)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		uc = (struct ucred){ .pid = 0, .uid = (uid_t)-1,
				     .gid = (gid_t)-1 };
	else if (uc.uid == 0 || (c->group != (gid_t)-1 &&
				 (uc.gid == c->group ||
				  in_groups(fd, c->group))))
		return 1;
	c->st.denied++;
	if (c->deny)
		c->deny(uc.uid, uc.gid, uc.pid, c->deny_arg);
	return 0;
}

static void ctl_accept(struct sync_loop *l, int fd, unsigned int revents,
		       void *arg)
{
	struct sync_ctl *c = arg;
	struct sync_client *cl;
	int cfd, i;

	(void)l;
	(void)revents;
	for (i = 0; i < 64; i++) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return;
		c->st.accepted++;
		cl = client_new(c, cfd);
		if (cl && !ctl_admit(c, cfd))
			cl->denied = 1;
	}
}

static int ctl_addr(struct sockaddr_un *sa, const char *path)
{
	size_t n = strlen(path);

	if (n == 0)
		return -EINVAL;
	if (n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n + 1);
	return 0;
}

int sync_ctl_new(struct sync_ctl **out, struct sync_loop *l,
		 sync_ctl_request_cb cb, void *arg)
{
	struct sync_ctl *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->loop = l;
	c->cb = cb;
	c->arg = arg;
	c->fd = -1;
	c->group = (gid_t)-1;
	c->stall_usec = (uint64_t)SYNC_CTL_STALL_SEC * 1000000;
	sync_loop_timer_init(&c->sweep, ctl_sweep, c);
	*out = c;
	return 0;
}

int sync_ctl_restrict(struct sync_ctl *c, gid_t group, sync_ctl_deny_cb deny,
		      void *arg)
{
	c->group = group;
	c->deny = deny;
	c->deny_arg = arg;
	if (group == (gid_t)-1 || !c->path[0])
		return 0;
	if (chown(c->path, 0, group) < 0 || chmod(c->path, 0660) < 0)
		return -errno;
	return 0;
}

int sync_ctl_open(struct sync_ctl **out, struct sync_loop *l,
		  const char *path, sync_ctl_request_cb cb, void *arg)
{
	struct sockaddr_un sa;
	struct sync_ctl *c;
	mode_t old;
	int rc, one = 1;

	rc = ctl_addr(&sa, path);
	if (rc < 0)
		return rc;
	rc = sync_ctl_new(&c, l, cb, arg);
	if (rc < 0)
		return rc;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		rc = -errno;
		goto err_free;
	}
	setsockopt(c->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	unlink(path);
	old = umask(0177);
	rc = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(path, 0600) < 0 ||
	    listen(c->fd, SYNC_CTL_BACKLOG) < 0) {
		rc = -errno;
		goto err_unlink;
	}
	rc = sync_loop_fd_add(l, c->fd, POLLIN, ctl_accept, c);
	if (rc < 0)
		goto err_unlink;
	*out = c;
	return 0;
err_unlink:
	unlink(path);
	close(c->fd);
err_free:
	free(c);
	return rc;
}

void sync_ctl_close(struct sync_ctl *c)
{
	if (!c)
		return;
	while (c->clients)
		client_free(c->clients);
	sync_loop_timer_del(c->loop, &c->sweep);
	if (c->fd >= 0) {
		sync_loop_fd_del(c->loop, c->fd);
		close(c->fd);
		unlink(c->path);
	}
	free(c);
}

const struct sync_ctl_stats *sync_ctl_stats(const struct sync_ctl *c)
{
	return &c->st;
}

void sync_ctl_set_stall(struct sync_ctl *c, unsigned int msec)
{
	c->stall_usec = (uint64_t)msec * 1000;
}

int sync_ctl_request(const char *path, int code, int out_fd)
{
	struct sockaddr_un sa;
	char buf[4096];
	ssize_t n;
	int fd, rc, got = 0;

	rc = ctl_addr(&sa, path);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, &code, sizeof(code), MSG_NOSIGNAL) != sizeof(code)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got = 1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out_fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += w;
		}
	}
	close(fd);
	return got;
}
