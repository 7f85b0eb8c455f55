// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One client of the control socket (sync/ctl_int.h): a small state
 * machine reading its 4-byte request, then answering from a buffer that
 * the request's handler (or its producer, a slice at a time) fills and
 * that is written whenever the socket takes more.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync/ctl_int.h"

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
void sync_ctl_client_disconnect(struct sync_client *cl)
{
	if (cl->fd >= 0) {
		sync_loop_fd_del(cl->ctl->loop, cl->fd);
		close(cl->fd);
		cl->fd = -1;
	}
	client_producer_end(cl);
	cl->len = cl->off = 0;
}

void sync_ctl_client_free(struct sync_client *cl)
{
	struct sync_ctl *c = cl->ctl;

	sync_ctl_client_disconnect(cl);
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
void sync_ctl_client_maybe_done(struct sync_client *cl)
{
	if (cl->state != CL_ANSWERING || cl->held || cl->fill)
		return;
	if (cl->fd >= 0 && cl->off < cl->len)
		return;
	sync_ctl_client_free(cl);
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
		sync_ctl_client_disconnect(cl);
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
	sync_ctl_client_maybe_done(cl);
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
				sync_ctl_client_disconnect(cl);
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
			sync_ctl_client_disconnect(cl);
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
	sync_ctl_client_maybe_done(cl);
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
		sync_ctl_client_free(cl);
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
		sync_ctl_client_free(cl);
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
		sync_ctl_client_disconnect(cl);
		sync_ctl_client_maybe_done(cl);
		return;
	}
	if (revents & POLLIN) {
		/* bytes after the request are ignored; EOF is not an
		 * error while the answer is still coming */
		if (recv(cl->fd, sink, sizeof(sink), MSG_DONTWAIT) == 0 &&
		    !cl->fill && cl->off == cl->len && !cl->held) {
			sync_ctl_client_maybe_done(cl);
			return;
		}
	}
	if (revents & POLLOUT)
		client_pump(cl);
}

struct sync_client *sync_ctl_client_new(struct sync_ctl *c, int fd)
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
