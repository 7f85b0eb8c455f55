/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dumps received by helper threads. The kernel does the work of a dump
 * (walking the table, filling each message) inside the recvmsg() of
 * whoever reads the socket, one datagram per call; so with one thread the
 * kernel's work and ours (decoding, printing) take turns. Here a helper
 * thread per dump only sends the request and receives, into a small ring
 * of buffers, while the calling thread walks the datagrams and runs the
 * callbacks: the two run at once on two cores. Several dumps, each on its
 * own socket, run at once too (their messages reach the callback in order
 * within a dump, interleaved between dumps, a datagram at a time).
 *
 * The callbacks run one at a time, in order within a dump: with one
 * dump in the calling thread; with several at once in any of the threads,
 * each of which, the caller included, receives one dump (nl/pipe.c,
 * Walking). Receivers take no signals. Memory is the ring, whatever the
 * dumps' size: NL_PIPE_SLOTS datagram buffers for one dump, one more
 * than there are dumps for several.
 */
#ifndef RAWCT_NL_PIPE_H
#define RAWCT_NL_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "nl/reply.h"

struct nl_sock;
struct nl_msg;

#define NL_PIPE_MAX	4	/* dumps at once */
#define NL_PIPE_SLOTS	4	/* buffers in the ring for one dump */

/* One dump: a single request with NLM_F_DUMP, on a socket of its own
 * that nothing else reads until nl_query_piped() returns. */
struct nl_pipe_req {
	struct nl_sock *sock;
	const struct nl_msg *req;
};

/*
 * nl_query_piped - run @n dumps at once, as nl_query() runs one.
 * @on_data gets every data message of every dump, one at a time (above).
 * The caller looks for datagrams every @hold_us microseconds (0: 250);
 * tests stretch it so that, with several dumps, receivers find the ring
 * full and walk it themselves.
 * Returns as nl_query(): 0; the negated kernel errno of the first
 * failure (@err gets its ack); the first callback failure (the dumps are
 * still read to their end); -EINTR if a dump was marked interrupted
 * (NLM_F_DUMP_INTR); a receive error (-ENOBUFS, -EMSGSIZE); -EBADMSG or
 * -EPROTO for a malformed reply (the other dumps are abandoned: their
 * sockets may still hold replies). -EINVAL if a request is not one dump
 * or @n is not 1..NL_PIPE_MAX. If threads cannot be started, the dumps
 * run one after the other in the calling thread, with the same results.
 */
int nl_query_piped(const struct nl_pipe_req *reqs, unsigned int n,
		   unsigned int hold_us, nl_data_cb on_data, void *arg,
		   struct nl_ack *err);

/* The CPUs the calling thread may run on, or 0 if unknown: helper
 * threads only pay with two or more. */
unsigned int nl_cpus(void);

#endif
