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
struct nl_step;
struct nlmsghdr;
struct sync_kernel;

/* Tables (bit mask) of sync_kernel_resync / sync_kernel_flush. */
enum {
	SYNC_K_CT = 1 << 0,
	SYNC_K_EXP = 1 << 1,
};

/*
 * sync_kernel_open - the kernel side of daemon @d, nothing opened yet:
 * the mode's init may ask sync_kernel_expect() and sync_kernel_sock()
 * before sync_kernel_start() (upstream initialises its mode, with its
 * log lines, before its netlink sockets). Returns 0 and *@out, or
 * -ENOMEM. The functions below accept a NULL @k (a daemon without a
 * kernel side, as the fuzzer builds it) and then do nothing.
 */
int sync_kernel_open(struct sync_kernel **out, struct sync_daemon *d);

/*
 * sync_kernel_start - open the event socket (unless polling), with the
 * buffer of NetlinkBufferSize, reliable delivery, the kernel-space
 * filter; then the dump and flush sockets. The caller queues the initial
 * dump with sync_kernel_resync(); it runs with the loop. Logs upstream's
 * lines. Returns 0 or -errno (logged); sync_kernel_close() undoes a
 * partial start.
 */
int sync_kernel_start(struct sync_kernel *k);
void sync_kernel_close(struct sync_kernel *k);

/*
 * sync_kernel_threads - start the thread that receives the kernel's
 * dumps (nl/bg.h), in the process that runs the loop, before its seccomp
 * filter: the kernel then fills the next datagram of a dump while the
 * loop walks the last one. Without it (it could not start: logged),
 * dumps are received by the loop itself. Returns 0 or -errno.
 */
int sync_kernel_threads(struct sync_kernel *k);

/* Whether the daemon follows flow @e: both tuples have their addresses
 * (else upstream's "missing IPv4 address" line is logged) and the Filter
 * takes it. */
int sync_kernel_ct_wanted(struct sync_daemon *d, const struct ct_entry *e);
/* Whether it follows expectation @x: its helper is one ExpectationSync
 * names and its master would pass the Filter. */
int sync_kernel_exp_wanted(struct sync_daemon *d, const struct ct_expect *x);

/* Sends on @sk the request for a dump of the kernel's conntrack (@exp:
 * expectation) table and prepares @st to walk its replies, @cb getting
 * each entry (nl/step.h). Returns 0 or -errno. */
int sync_kernel_dump_begin(struct nl_step *st, struct nl_sock *sk, int exp,
			   int (*cb)(const struct nlmsghdr *nlh, void *arg),
			   void *arg);

/* Queue a resync dump of @what (SYNC_K_*). */
void sync_kernel_resync(struct sync_kernel *k, unsigned int what);

/* Queue a flush of the kernel's @what: every entry that passes the
 * Filter is deleted (all of them, by one request, without a Filter). */
void sync_kernel_flush(struct sync_kernel *k, unsigned int what);

/* Whether a dump or flush is queued or running. */
int sync_kernel_busy(const struct sync_kernel *k);

/* The event socket's receive buffer now (bytes, as the kernel reports). */
size_t sync_kernel_bufsize(const struct sync_kernel *k);

/* A socket whose events are recognised as @origin (COMMIT or INJECT),
 * opened on first use. NULL if it cannot be opened (logged). */
struct nl_sock *sync_kernel_sock(struct sync_kernel *k,
				 enum sync_origin origin);

/* Whether expectations are followed (ExpectationSync). */
int sync_kernel_expect(const struct sync_kernel *k);

/* The netlink sockets the daemon sends requests on or sizes (dump,
 * flush, commit, inject, the event socket), at most @max into @out.
 * Returns how many. */
unsigned int sync_kernel_socks(struct sync_kernel *k, struct nl_sock **out,
			       unsigned int max);

#endif
