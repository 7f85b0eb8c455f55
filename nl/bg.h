/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A receiver thread for an event loop's requests (nl/step.h). The kernel
 * does a dump's work (walking the table, filling each datagram) inside
 * the recvmsg() of whoever reads the socket, so a loop that receives a
 * datagram and then walks it makes the kernel's work and its own take
 * turns. Here a thread of the socket's own receives the replies of one
 * request at a time into a ring of NL_BG_SLOTS buffers, and the loop,
 * woken through a descriptor, walks them: on two CPUs both run at once.
 *
 * The thread is started by nl_bg_new(), parked between requests, and
 * stopped by nl_bg_free(). It takes no signals and makes no system call
 * but poll, recvmsg, write and the futex calls of its mutex, so it may be
 * started before a seccomp filter that is then applied to every thread
 * (sync/seccomp.c). Memory is the ring, whatever the dump's size.
 */
#ifndef RAWCT_NL_BG_H
#define RAWCT_NL_BG_H

#include "nl/step.h"

#define NL_BG_SLOTS	4	/* datagram buffers of NL_SOCK_RXBUF */

struct nl_bg;
struct nl_sock;

/* Starts the receiver of @s (which then belongs to it: nothing else
 * reads @s until nl_bg_free()). Returns 0 or -errno. */
int nl_bg_new(struct nl_bg **out, struct nl_sock *s);

/* Stops and joins the thread, frees everything but the socket. NULL is
 * ignored. */
void nl_bg_free(struct nl_bg *b);

/* Readable while received datagrams wait to be walked (for poll). */
int nl_bg_fd(const struct nl_bg *b);

/* After nl_step_begin(@st) on the socket: the thread receives its
 * replies, until the datagram that ends it (nl_reply_ends()) or a
 * receive error. Datagrams of an earlier request still in the ring are
 * walked as stale by nl_bg_recv(); a receive error still there ends
 * @st, as it would on the socket itself. */
void nl_bg_watch(struct nl_bg *b, const struct nl_step *st);

/* nl_step_recv() for the thread's next datagram: 1 while @st is not
 * answered, 0 or a negative error once it is, -EAGAIN if none is ready
 * (nl_bg_fd() then becomes readable when one is). */
int nl_bg_recv(struct nl_bg *b, struct nl_step *st);

#endif
