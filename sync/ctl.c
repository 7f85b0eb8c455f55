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

#include "sync/ctl_int.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59	/* Linux 4.13 */
#endif

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
			sync_ctl_client_free(cl);
			continue;
		}
		sync_ctl_client_disconnect(cl);
		sync_ctl_client_maybe_done(cl);
	}
	if (c->clients)
		sync_loop_timer_add(l, &c->sweep, 1000000);
}

int sync_ctl_adopt(struct sync_ctl *c, int fd)
{
	if (c->nclients >= SYNC_CTL_CLIENTS_MAX) {
		c->st.dropped_full++;
		close(fd);
		return -EMFILE;
	}
	return sync_ctl_client_new(c, fd) ? 0 : -ENOMEM;
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
		cl = sync_ctl_client_new(c, cfd);
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
		sync_ctl_client_free(c->clients);
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

/* The client's socket, connected to @path, @code sent; or -errno. */
static int ctl_ask(const char *path, int code)
{
	struct sockaddr_un sa;
	int fd, rc;

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
	return fd;
}

int sync_ctl_ask(const char *path, int code, char *buf, size_t cap)
{
	size_t len = 0;
	char sink[512];
	ssize_t n;
	int fd = ctl_ask(path, code);

	if (fd < 0)
		return fd;
	for (;;) {
		char *to = len + 1 < cap ? buf + len : sink;
		size_t room = len + 1 < cap ? cap - 1 - len : sizeof(sink);

		n = recv(fd, to, room, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (to != sink)
			len += (size_t)n;
	}
	close(fd);
	if (cap)
		buf[len] = '\0';
	return (int)len;
}

int sync_ctl_request(const char *path, int code, int out_fd)
{
	char buf[4096];
	ssize_t n;
	int fd = ctl_ask(path, code), got = 0;

	if (fd < 0)
		return fd;
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
