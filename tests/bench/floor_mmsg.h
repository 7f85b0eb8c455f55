/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the floor listeners (tests/bench/ev_floor.c, dgram_floor.c)
 * share: their recvmmsg vectors over one contiguous array of buffers,
 * and the "ready" their scripts wait for before loading.
 */
#ifndef RAWCT_TESTS_BENCH_FLOOR_MMSG_H
#define RAWCT_TESTS_BENCH_FLOOR_MMSG_H

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* @vlen messages, message i into @bufs + i * @len (@len bytes). */
static inline void floor_mmsg_init(struct mmsghdr *mm, struct iovec *iov,
				   void *bufs, size_t len, int vlen)
{
	for (int i = 0; i < vlen; i++) {
		iov[i].iov_base = (char *)bufs + (size_t)i * len;
		iov[i].iov_len = len;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
}

/* Says "ready" on stderr and sets @p to wait for input on @fd. */
static inline void floor_ready(struct pollfd *p, int fd)
{
	fputs("ready\n", stderr);
	p->fd = fd;
	p->events = POLLIN;
}

#endif
