/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's kernel side: the conntrack (and, with ExpectationSync,
 * expectation) event socket, dumps of the kernel tables into the mode,
 * the selective flush, and the sockets whose events the daemon must
 * recognise as its own (origins).
 *
 * The event socket is opened before the initial dump, so a flow created
 * while the table is being dumped is seen by one or the other (upstream
 * dumps first and loses that window). A dump is read a few datagrams per
 * loop wakeup on a socket of its own, so events keep flowing and clients
 * keep being served during a long dump; dumps and flushes queue and run
 * one after the other.
 *
 * Overruns: each ENOBUFS is counted (`-s runtime` netlink overrun) and
 * the receive buffer doubled up to NetlinkBufferSizeMaxGrowth with
 * upstream's log lines; then, when NetlinkOverrunResync is not off, a
 * resync dump is scheduled that many seconds later, after which the
 * mode's view equals the kernel table again. In polling mode (PollSecs)
 * there is no event socket and a resync dump runs every PollSecs.
 */
#ifndef RAWCT_SYNC_KERNEL_H
#define RAWCT_SYNC_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "sync/daemon.h"

struct nl_sock;
struct sync_kernel;

/* Tables (bit mask) of sync_kernel_resync / sync_kernel_flush. */
enum {
	SYNC_K_CT = 1 << 0,
	SYNC_K_EXP = 1 << 1,
};

/*
 * sync_kernel_open - open the event socket (unless polling), with the
 * buffer of NetlinkBufferSize, reliable delivery, the kernel-space
 * filter; then the dump socket. The caller queues the initial dump with
 * sync_kernel_resync() once its mode is ready; it runs with the loop. Logs upstream's lines. Returns 0 and *@out or
 * -errno (logged). The functions below accept a NULL @k (a daemon
 * without a kernel side, as the fuzzer builds it) and then do nothing.
 */
int sync_kernel_open(struct sync_kernel **out, struct sync_daemon *d);
void sync_kernel_close(struct sync_kernel *k);

/* Queue a resync dump of @what (SYNC_K_*). */
void sync_kernel_resync(struct sync_kernel *k, unsigned int what);

/* Queue a flush of the kernel's @what: every entry that passes the
 * Filter is deleted (all of them, by one request, without a Filter). */
void sync_kernel_flush(struct sync_kernel *k, unsigned int what);

/*
 * sync_kernel_visit - queue a dump of the kernel's conntrack (@exp 0) or
 * expectation table whose entries that pass the Filter go to @cb (@e or
 * @x set, borrowed for the call), then @done(@arg, ok) once, also when
 * the kernel side closes first. For dumps that are not the mode's own
 * (-i without an internal cache). Returns 0, -ENOMEM, -ENODEV (no
 * kernel side; @done is not called).
 */
typedef void (*sync_kernel_visit_cb)(void *arg, const struct ct_entry *e,
				     const struct ct_expect *x);
int sync_kernel_visit(struct sync_kernel *k, int exp, sync_kernel_visit_cb cb,
		      void (*done)(void *arg, int ok), void *arg);

/* Whether a dump or flush is queued or running. */
int sync_kernel_busy(const struct sync_kernel *k);

/* The event socket's receive buffer now (bytes, as the kernel reports). */
size_t sync_kernel_bufsize(const struct sync_kernel *k);

/* A socket whose events are recognised as @origin (COMMIT or INJECT),
 * opened on first use. NULL if it cannot be opened (logged). */
struct nl_sock *sync_kernel_sock(struct sync_kernel *k,
				 enum sync_origin origin);

/* The netlink sockets the daemon sends requests on or sizes (dump,
 * flush, commit, inject, the event socket), at most @max into @out.
 * Returns how many. */
unsigned int sync_kernel_socks(struct sync_kernel *k, struct nl_sock **out,
			       unsigned int max);

/* Whether expectations are followed (ExpectationSync). */
int sync_kernel_expect(const struct sync_kernel *k);

#endif
