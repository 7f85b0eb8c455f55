/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A netlink socket (NETLINK_NETFILTER unless asked otherwise): opened in the caller's or a named network
 * namespace, bound, with its port id, a per-request sequence counter and a
 * receive buffer of its own. Sending and receiving are plain datagrams
 * here; nl/reply.h walks what comes back.
 */
#ifndef RAWCT_NL_SOCK_H
#define RAWCT_NL_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nl_sock;

/* Size of the receive buffer each socket owns: the kernel never sends a
 * datagram above 32 KiB to a reader that offers this much. */
#define NL_SOCK_RXBUF	(64 * 1024)

/*
 * nl_sock_open - open and bind a NETLINK_NETFILTER socket.
 * @netns: path of a network namespace (/run/netns/NAME, /proc/PID/ns/net)
 *         to open the socket in, or NULL for the caller's.
 * Turns on NETLINK_EXT_ACK and NETLINK_CAP_ACK where the kernel has them.
 * Returns 0 and *@out, or -errno (-ENOENT for a missing namespace, -EPERM
 * without CAP_SYS_ADMIN to enter it). Free with nl_sock_close().
 */
int nl_sock_open(struct nl_sock **out, const char *netns);

/* nl_sock_open() for netlink protocol @proto (NETLINK_ROUTE...). */
int nl_sock_open_proto(struct nl_sock **out, const char *netns, int proto);

/* Opens another socket (same protocol) in the namespace @s was opened in (for a second
 * request running alongside). Returns as nl_sock_open(). */
int nl_sock_open_sibling(const struct nl_sock *s, struct nl_sock **out);

/* Closes and frees; accepts NULL. */
void nl_sock_close(struct nl_sock *s);

/* A netlink socket someone else opened and bound (@fd, taken over and
 * closed on failure): its port id is read back. Returns 0 or -errno. */
int nl_sock_adopt(struct nl_sock **out, int fd);

int nl_sock_fd(const struct nl_sock *s);
uint32_t nl_sock_portid(const struct nl_sock *s);

/* The next request sequence number: a counter from a random start that
 * never yields 0, so replies to two requests are never confused. */
uint32_t nl_sock_seq_next(struct nl_sock *s);

/* Reserves @count consecutive sequence numbers; returns the first. */
uint32_t nl_sock_seq_reserve(struct nl_sock *s, uint32_t count);

/*
 * nl_sock_set_rcvbuf - size the kernel receive buffer.
 * Tries SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores rmem_max), then
 * SO_RCVBUF; reads back what the kernel set (it doubles the request) into
 * *@actual if not NULL. Returns 0 or -errno.
 */
int nl_sock_set_rcvbuf(struct nl_sock *s, size_t bytes, size_t *actual);

/* Reads the kernel's receive buffer size. Returns 0 or -errno. */
int nl_sock_get_rcvbuf(const struct nl_sock *s, size_t *bytes);

/* Sets a SOL_NETLINK boolean option (NETLINK_NO_ENOBUFS,
 * NETLINK_BROADCAST_ERROR, NETLINK_EXT_ACK, NETLINK_CAP_ACK...). */
int nl_sock_set_opt(struct nl_sock *s, int opt, int on);

/* Joins / leaves multicast group @group (NFNLGRP_*). 0 or -errno. */
int nl_sock_join(struct nl_sock *s, unsigned int group);
int nl_sock_leave(struct nl_sock *s, unsigned int group);

/* Sends @len bytes (one or more messages) to the kernel in one sendmsg.
 * Returns 0, or -errno (-EMSGSIZE if the kernel took less). */
int nl_sock_send(struct nl_sock *s, const void *buf, size_t len);

/*
 * nl_sock_recv - receive one datagram into the socket's own buffer.
 * *@data points at it (valid until the next receive). Returns its length,
 * -ENOBUFS when the kernel dropped messages for lack of buffer space,
 * -EMSGSIZE when the datagram was truncated (MSG_TRUNC), -EPROTO when it
 * came from a sender other than the kernel, -EAGAIN on a non-blocking
 * socket with nothing queued, -EINTR if a signal interrupted it, or
 * another -errno.
 */
ssize_t nl_sock_recv(struct nl_sock *s, const void **data);

/* nl_sock_recv() into the caller's @buf of @cap bytes (NL_SOCK_RXBUF
 * takes any datagram), for a thread other than the socket's user. */
ssize_t nl_sock_recv_buf(struct nl_sock *s, void *buf, size_t cap);

/*
 * Operations that need privilege, done by someone else: a daemon whose
 * unprivileged part keeps the socket routes the sends of requests (which
 * the kernel checks against the sender's capabilities) and forced buffer
 * sizes to its privileged part. Each gets the socket's descriptor and
 * returns 0 or -errno. A NULL @ops restores the direct calls.
 */
struct nl_sock_ops {
	int (*send)(void *arg, int fd, const void *buf, size_t len);
	int (*rcvbuf)(void *arg, int fd, size_t bytes);
	/* optional: a send in two halves (nl_sock_send_start) */
	int (*send_start)(void *arg, int fd, const void *buf, size_t len);
	int (*send_end)(void *arg);
};
void nl_sock_set_ops(struct nl_sock *s, const struct nl_sock_ops *ops,
		     void *arg);

/*
 * nl_sock_send_start - nl_sock_send() that may return before the kernel
 * has run the request: with ops that send elsewhere and have the two
 * halves, @buf is handed over (copied) and the kernel's work runs there
 * while the caller goes on; nl_sock_send_end() then waits for it and
 * gives its result. Without them it is nl_sock_send(), and
 * nl_sock_send_end() returns 0. One started send at a time per process;
 * answers on the socket come only after it. Returns 0 (nothing is
 * pending after an error) or -errno.
 */
int nl_sock_send_start(struct nl_sock *s, const void *buf, size_t len);
int nl_sock_send_end(struct nl_sock *s);

/* Makes receives (non-)blocking. Returns 0 or -errno. */
int nl_sock_set_nonblock(struct nl_sock *s, int on);

#endif
