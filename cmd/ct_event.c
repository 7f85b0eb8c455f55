// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -E and -E expect: the event monitor on top of ct/event.h.
 * The socket joins the groups of -e (all three by default), gets the -b
 * receive buffer (upstream sets it on the wrong socket, spec section 5)
 * and, unless RAWCT_NO_KFILTER is set, the command line's filter compiled
 * to a BPF pre-filter (ct/bpf.h); every event that arrives still goes
 * through ct_filter_match(), so the output never depends on the kernel
 * side. Each event is printed as upstream's event_cb/event_exp_cb print
 * it and stdout is flushed after each burst, so a pipe consumer sees it
 * at once or, while events pour in, within a bounded delay (the loop).
 *
 * Losses are never silent: every ENOBUFS prints upstream's warning plus
 * a count and the (doubled) buffer size, becomes an {"overrun":N,
 * "rcvbuf":B} record in -o json, and the total is repeated at exit.
 * --overrun-fatal (ours) makes the first loss end the monitor, exit 1.
 * Signal handlers only set a flag; the loop waits in ppoll() with SIGINT
 * and SIGTERM unblocked only there, so a signal is never missed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cmd/ct_event.h"
#include "cmd/ct_expect.h"
#include "cmd/ct_progname.h"
#include "cmd/ct_run.h"
#include "ct/bpf.h"
#include "ct/event.h"
#include "ct/expect_codec.h"
#include "ct/filter.h"
#include "ct/format.h"

#define BURST			64	/* datagrams read per wakeup */
/* Without -b: 16 MiB (the kernel reports 32), room for some 20000 queued
 * events, so that a burst that outpaces us for a moment loses nothing.
 * It is a limit, not an allocation. */
#define RCVBUF_DEFAULT		(16U * 1024 * 1024)
/* Coalescing (the loop): the longest an event is held back, the ceiling
 * of RAWCT_EVENT_HOLD_US, and the receive buffer (as the kernel reports
 * it) below which the monitor never holds back, as a held period could
 * then overflow it: 1 MiB queues at least 500 events, 1 ms of 500000/s. */
#define HOLD_US			1000
#define HOLD_US_MAX		100000
#define HOLD_MIN_RCVBUF		(1U << 20)

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct ev_run {
	const struct ct_args *a;
	struct ct_ctx *c;
	struct ct_event_src *src;
	int expect;
	int xml_open;		/* header printed */
	unsigned long counter;
	struct ct_progcache pc;
	uint64_t hold_ns;	/* coalescing delay, 0 = never hold */
	int can_hold;		/* the receive buffer is big enough */
	int overran;		/* ENOBUFS in the last drain */
	uint64_t last;		/* when a wakeup last brought events (ns) */
};

/* ---- printing ---------------------------------------------------------- */

static enum ct_fmt_event fmt_event(uint8_t type)
{
	return type == CT_EVENT_T_NEW ? CT_FMT_EV_NEW :
	       type == CT_EVENT_T_UPDATE ? CT_FMT_EV_UPDATE :
					   CT_FMT_EV_DESTROY;
}

static void xml_header(struct ev_run *r)
{
	if (r->xml_open || !(r->a->output & CT_OUT_XML))
		return;
	printf("%s\n", ct_format_xml_header(r->expect ? CT_XML_EXPECT :
							CT_XML_CONNTRACK));
	r->xml_open = 1;
}

/* The [USERSPACE] suffix, as text or as JSON members (@json is the same
 * for the whole run), "" for none; made once per port id. */
static const char *suffix(struct ev_run *r, uint32_t portid, int json)
{
	char *buf = r->pc.tail, safe[64];
	size_t i, len = sizeof(r->pc.tail);
	const char *prog;

	if (!portid)
		return "";
	prog = ct_progname(&r->pc, portid);
	if (r->pc.tail_ok)
		return buf;
	r->pc.tail_ok = 1;
	if (!json) {
		snprintf(buf, len, " [USERSPACE] portid=%u%s%s", portid,
			 prog ? " progname=" : "", prog ? prog : "");
		return buf;
	}
	for (i = 0; prog && prog[i] && i < sizeof(safe) - 1; i++)
		safe[i] = (prog[i] == '"' || prog[i] == '\\' ||
			   (unsigned char)prog[i] < 0x20) ? '?' : prog[i];
	safe[i] = '\0';
	snprintf(buf, len, ",\"portid\":%u%s%s%s", portid,
		 prog ? ",\"progname\":\"" : "", safe, prog ? "\"" : "");
	return buf;
}

static void print_ct(struct ev_run *r, const struct ct_event *ev)
{
	const struct ct_entry *e = ev->entry;
	struct ct_fmt_opts o = { .event = fmt_event(ev->type) };
	unsigned int out = r->a->output;
	char buf[4096], pre[64] = "", tm[32] = "";
	const char *tail;
	struct timeval tv;
	int n;

	if (out & CT_OUT_EXT)
		o.flags |= CT_FMT_EXTENDED;
	if (out & CT_OUT_ID)
		o.flags |= CT_FMT_ID;
	if (out & CT_OUT_KTMS)
		o.flags |= CT_FMT_KTIMESTAMP;
	o.labels = ct_ctx_labels_for(r->c, out, e);
	if ((out & CT_OUT_TMS) && !(out & CT_OUT_SAVE)) {
		/* the kernel's event time when it sends one (HEAD) */
		if (e->set & CT_TIMESTAMP_EVENT) {
			tv.tv_sec = (time_t)(e->ts_event / 1000000000ULL);
			tv.tv_usec = (suseconds_t)(e->ts_event % 1000000000ULL /
						   1000);
		} else {
			gettimeofday(&tv, NULL);
		}
		if (out & CT_OUT_XML)
			o.flags |= CT_FMT_XML_WHEN;
		else if (out & CT_OUT_JSON)
			snprintf(tm, sizeof(tm), "%lld.%06ld",
				 (long long)tv.tv_sec, (long)tv.tv_usec);
		else
			ct_format_ts_prefix(pre, sizeof(pre), CT_TS_EVENT,
					    tv.tv_sec, tv.tv_usec);
	}
	if (out & CT_OUT_SAVE) {
		n = ct_format_save(buf, 1024, e, &o);
		if (n == -EAFNOSUPPORT) {
			fprintf(stderr, "WARNING: unsupported l3proto %d, "
				"skipping.\n", e->orig.l3 ? e->orig.l3 :
				e->reply.l3);
			return;
		}
	} else if (out & CT_OUT_JSON) {
		n = ct_format_json(buf, sizeof(buf), e, &o);
	} else if (out & CT_OUT_XML) {
		n = ct_format_xml(buf, 1024, e, &o);
	} else {
		n = ct_format_default(buf, 1024, e, &o);
	}
	if (n < 0 && (n != -ENOSPC || (out & CT_OUT_JSON)))
		return;
	xml_header(r);
	/* HEAD: no [USERSPACE] after an XML flow (1.4.7 prints it) */
	tail = suffix(r, (out & CT_OUT_XML) ? 0 : ev->portid,
		      !!(out & CT_OUT_JSON));
	if (out & CT_OUT_JSON) {
		ct_expect_cmd_json(buf, tm[0] ? tm : NULL,
				   tail[0] ? tail : NULL);
	} else {
		/* as printf("%s%s%s\n"), without parsing a format per event */
		fputs(pre, stdout);
		fputs(buf, stdout);
		fputs(tail, stdout);
		putchar('\n');
	}
	r->counter++;
}

static int on_event(const struct ct_event *ev, void *arg)
{
	struct ev_run *r = arg;
	struct ct_expect x;

	if (r->expect) {
		if (ev->kind != CT_EVENT_K_EXPECT ||
		    ct_expect_decode(ev->nlh, &x, NULL) < 0)
			return 0;
		xml_header(r);
		ct_expect_cmd_print(r->a, &x, fmt_event(ev->type));
		r->counter++;
	} else {
		if (ev->kind != CT_EVENT_K_CONNTRACK || !ev->entry ||
		    !ct_filter_match(&r->a->filter, ev->entry))
			return 0;
		print_ct(r, ev);
	}
	return 0;
}

/* ---- the loop ---------------------------------------------------------- */

static int drain_some(struct ev_run *r, unsigned long *got);

static int open_source(struct ev_run *r)
{
	const struct ct_args *a = r->a;
	struct ct_event_opts eo = { 0 };
	struct ct_event_stats st;
	struct ct_bpf_prog *prog;
	unsigned int m = a->event_mask;

	if (r->expect) {
		eo.groups = CT_EVENT_EXP_ALL;
		eo.flags = CT_EVENT_F_NO_DECODE;
	} else if (a->options & CT_OPT_EVENT_MASK) {
		eo.groups = ((m & CT_EV_NEW) ? CT_EVENT_NEW : 0) |
			    ((m & CT_EV_UPDATE) ? CT_EVENT_UPDATE : 0) |
			    ((m & CT_EV_DESTROY) ? CT_EVENT_DESTROY : 0);
	} else {
		eo.groups = CT_EVENT_CT_ALL;
	}
	eo.flags |= CT_EVENT_F_NONBLOCK;
	if (a->overrun_fatal)
		eo.flags |= CT_EVENT_F_FATAL_OVERRUN;
	eo.rcvbuf = RCVBUF_DEFAULT;
	if ((a->options & CT_OPT_BUFFERSIZE) && a->bufsize)
		eo.rcvbuf = a->bufsize;
	if (!eo.groups || ct_event_open(&r->src, &eo) < 0) {
		ct_msg("Can't open handler");
		return -1;
	}
	ct_event_stats(r->src, &st);
	r->can_hold = st.rcvbuf >= HOLD_MIN_RCVBUF;
	if (a->options & CT_OPT_BUFFERSIZE)
		fprintf(stderr, "NOTICE: Netlink socket buffer size has been "
			"set to %zu bytes.\n", st.rcvbuf);
	if (r->expect || r->c->no_kfilter || !a->filter.set)
		return 0;
	/* the kernel pre-filter is an optimisation: without it (too big,
	 * refused) userspace still filters everything */
	prog = malloc(sizeof(*prog));
	if (prog && ct_bpf_compile(&a->filter, prog) == 0)
		(void)ct_event_set_filter(r->src, prog);
	free(prog);
	return 0;
}

static void overrun(struct ev_run *r)
{
	struct ct_event_stats st;

	ct_event_stats(r->src, &st);
	r->overran = 1;
	r->can_hold = st.rcvbuf >= HOLD_MIN_RCVBUF;
	fprintf(stderr, "WARNING: We have hit ENOBUFS! We are losing events.\n"
		"This message means that the current netlink socket buffer "
		"size is too small.\n"
		"Please, check --buffer-size in conntrack(8) manpage.\n");
	fprintf(stderr, "NOTICE: overrun %llu, Netlink socket buffer size "
		"is now %zu bytes%s.\n", (unsigned long long)st.overruns,
		st.rcvbuf, st.at_max ? " (cannot grow)" : "");
	if (r->a->output & CT_OUT_JSON) {
		printf("{\"overrun\":%llu,\"rcvbuf\":%zu}\n",
		       (unsigned long long)st.overruns, st.rcvbuf);
		fflush(stdout);
	}
}

/* Reads what is queued, BURST receives at most, then flushes stdout: all
 * that arrived is written out with one write per burst rather than one
 * per event. *@got counts the events received (before the userspace
 * filter). Returns 0, or the exit status when the monitor must stop. */
static int drain(struct ev_run *r, unsigned long *got)
{
	int rc;

	*got = 0;
	r->overran = 0;
	rc = drain_some(r, got);
	fflush(stdout);
	return rc;
}

static int drain_some(struct ev_run *r, unsigned long *got)
{
	int rc;

	for (int i = 0; i < BURST && !stop_signal; i++) {
		rc = ct_event_recv(r->src, on_event, r);
		if (rc > 0)
			*got += (unsigned long)rc;
		if (rc >= 0 && ct_event_drained(r->src))
			return 0;
		if (rc >= 0 || rc == -EINTR)
			continue;
		if (rc == -EAGAIN)
			return 0;
		if (rc == -ENOBUFS) {
			overrun(r);
			if (r->a->overrun_fatal) {
				ct_msg("events have been lost, exiting "
				       "(--overrun-fatal).");
				return CT_EXIT_OTHER;
			}
			continue;
		}
		if (rc == -EMSGSIZE)	/* a truncated datagram: go on */
			continue;
		ct_msg("failed to received netlink event: %s", strerror(-rc));
		return CT_EXIT_OTHER;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

/* Whether to hold back before the next receive, after a wakeup (@held:
 * a held one) that brought @got events: while they come faster than
 * one per hold period, i.e. two in one period or two in a row less than
 * a period apart. */
static int next_hold(struct ev_run *r, int held, unsigned long got)
{
	uint64_t t, prev = r->last;

	if (!r->hold_ns || !r->can_hold || r->overran || !got)
		return 0;
	t = now_ns();
	r->last = t;
	return got >= 2 || (!held && t - prev < r->hold_ns);
}

/*
 * Coalescing. A wakeup costs much more than an event: a context switch
 * and often an idle CPU's wakeup, 10 to 25 us measured on a VM, against
 * about 1 us to receive, decode and print one event. So at low rates
 * every event wakes the monitor and is written at once, but while they
 * come fast the loop holds back: it sleeps for hold_ns without watching
 * the socket, then takes all that arrived meanwhile in one go and
 * flushes it. An event then waits at most hold_ns (plus the timer slack,
 * 50 us by default) before it is written, and the monitor wakes once per
 * period instead of once per event. Waking per event resumes as soon as
 * a held period brings fewer than two events. Signals end either wait
 * the same way: SIGINT and SIGTERM are unblocked only inside ppoll().
 */
static int loop(struct ev_run *r, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = ct_event_fd(r->src), .events = POLLIN };
	struct timespec hold = {
		.tv_sec = (time_t)(r->hold_ns / 1000000000U),
		.tv_nsec = (long)(r->hold_ns % 1000000000U),
	};
	unsigned long got;
	int rc, held = 0;

	while (!stop_signal) {
		if (held)
			rc = ppoll(NULL, 0, &hold, waitmask);
		else
			rc = ppoll(&pfd, 1, NULL, waitmask);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			ct_msg("failed to received netlink event: %s",
			       strerror(errno));
			return CT_EXIT_OTHER;
		}
		rc = drain(r, &got);
		if (rc)
			return rc;
		held = next_hold(r, held, got);
	}
	return 0;
}

/* The hold period in us: RAWCT_EVENT_HOLD_US if set (0 turns coalescing
 * off), else HOLD_US. */
static unsigned long hold_us(void)
{
	return ct_env_us("RAWCT_EVENT_HOLD_US", HOLD_US, HOLD_US_MAX);
}

int ct_event_cmd_run(struct ct_ctx *c, const struct ct_args *a)
{
	struct ev_run r = { .a = a, .c = c };
	struct sigaction sa = { .sa_handler = on_signal };
	struct ct_event_stats st;
	sigset_t block, waitmask;
	int rc;

	r.expect = a->cmd == CT_CMD_EXP_EVENT;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r.hold_ns = hold_us() * 1000;
	if (open_source(&r) < 0)
		return CT_EXIT_OTHER;
	rc = loop(&r, &waitmask);
	if (r.xml_open)
		printf("%s\n", ct_format_xml_footer(r.expect ? CT_XML_EXPECT :
							       CT_XML_CONNTRACK));
	fflush(stdout);
	ct_event_stats(r.src, &st);
	ct_msg("%lu %s events have been shown.", r.counter,
	       r.expect ? "expectation" : "flow");
	if (st.overruns)
		ct_msg("WARNING: %llu overruns (ENOBUFS): events have been "
		       "lost.", (unsigned long long)st.overruns);
	if (st.decode_errors)	/* upstream skips these without a word */
		ct_msg("WARNING: %llu events could not be decoded and were "
		       "skipped.", (unsigned long long)st.decode_errors);
	ct_event_close(r.src);
	return rc;
}
