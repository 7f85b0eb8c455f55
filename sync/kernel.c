// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's kernel side (see sync/kernel.h): the event socket and its
 * overrun policy, the sockets, and what is wanted from the table; the
 * queue of table jobs is in sync/kernel_jobs.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct/batch.h"
#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/event.h"
#include "ct/expect_codec.h"
#include "ct/expect_table.h"
#include "ct/table.h"
#include "nl/bg.h"
#include "nl/msg.h"
#include "nl/sock.h"
#include "nl/step.h"
#include "nl/uapi.h"
#include "sync/filter.h"
#include "sync/kernel_int.h"
#include "sync/loop.h"

static enum sync_origin origin_of(const struct sync_kernel *k, uint32_t pid)
{
	if (pid == 0)
		return SYNC_ORIGIN_NOT_ME;
	for (int o = SYNC_ORIGIN_FLUSH; o <= SYNC_ORIGIN_INJECT; o++)
		if (k->origin[o] && nl_sock_portid(k->origin[o]) == pid)
			return (enum sync_origin)o;
	return SYNC_ORIGIN_NOT_ME;
}

/* Upstream's sanity check: a flow without the addresses of its family
 * cannot be filtered nor replicated. */
static int ct_sane(struct sync_daemon *d, const struct ct_entry *e)
{
	uint16_t need = CT_TUPLE_SRC;

	if (!(e->set & CT_ORIG) || !(e->set & CT_REPLY))
		return 0;
	if ((e->orig.set & need) && (e->reply.set & need))
		return 1;
	sync_log(&d->log, SYNC_LOG_ERR, "missing %s address. You forgot to "
		 "load nf_conntrack_%s?",
		 e->orig.l3 == AF_INET6 ? "IPv6" : "IPv4",
		 e->orig.l3 == AF_INET6 ? "ipv6" : "ipv4");
	return 0;
}

int sync_kernel_ct_wanted(struct sync_daemon *d, const struct ct_entry *e)
{
	return ct_sane(d, e) && (!d->filter || sync_filter_match(d->filter, e));
}

int sync_kernel_exp_wanted(struct sync_daemon *d, const struct ct_expect *x)
{
	struct ct_entry m;

	if (!sync_filter_expect(d->conf, x))
		return 0;
	if (!d->filter)
		return 1;
	memset(&m, 0, sizeof(m));
	m.set = CT_ORIG | CT_REPLY;
	m.family = x->family;
	m.orig = x->master;
	m.reply = x->master;
	m.reply.src = x->master.dst;
	m.reply.dst = x->master.src;
	return sync_filter_match(d->filter, &m);
}

/* ---- events ------------------------------------------------------------ */

static int on_event(const struct ct_event *ev, void *arg)
{
	struct sync_kernel *k = arg;
	struct sync_daemon *d = k->d;
	enum sync_origin origin = origin_of(k, ev->portid);

	d->st.nl_events_received++;
	if (ev->kind == CT_EVENT_K_EXPECT) {
		struct ct_expect x;

		if (!k->expect || !d->mode->exp_event ||
		    ct_expect_decode(ev->nlh, &x, NULL) < 0) {
			d->st.nl_events_unknown_type++;
			return 0;
		}
		if (!sync_kernel_exp_wanted(d, &x)) {
			d->st.nl_events_filtered++;
			return 0;
		}
		d->mode->exp_event(d, (enum ct_event_type)ev->type, &x, origin);
		return 0;
	}
	if (!ev->entry) {
		d->st.nl_catch_event_failed++;
		return 0;
	}
	if (!sync_kernel_ct_wanted(d, ev->entry)) {
		d->st.nl_events_filtered++;
		return 0;
	}
	d->mode->ct_event(d, (enum ct_event_type)ev->type, ev->entry, origin);
	return 0;
}

/* Upstream's nl_resize_socket_buffer: double until the next doubling
 * would pass NetlinkBufferSizeMaxGrowth, then warn once. */
static void grow_buffer(struct sync_kernel *k)
{
	struct sync_daemon *d = k->d;
	size_t now;

	if (k->warned)
		return;
	if (k->bufsize * 2 > d->conf->nl_bufsize_max) {
		sync_log(&d->log, SYNC_LOG_WARNING, "netlink event socket "
			 "buffer size cannot be doubled further since it will "
			 "exceed NetlinkBufferSizeMaxGrowth. We are likely to "
			 "be losing events, this may lead to unsynchronized "
			 "replicas. Please, consider increasing netlink socket "
			 "buffer size via NetlinkBufferSize and "
			 "NetlinkBufferSizeMaxGrowth clauses in conntrackd.conf");
		k->warned = 1;
		return;
	}
	if (ct_event_set_rcvbuf(k->ev, k->bufsize, &now) == 0)
		k->bufsize = now;
	sync_log(&d->log, SYNC_LOG_NOTICE, "netlink event socket buffer size "
		 "has been doubled to %zu bytes", k->bufsize);
}

#define QUIET_USEC	1000000

static void resync_timeout(struct sync_loop *l, void *arg);

static void on_overrun(struct sync_kernel *k)
{
	struct sync_daemon *d = k->d;

	d->st.nl_catch_event_failed++;
	d->st.nl_overrun++;
	grow_buffer(k);
	if (d->conf->nl_overrun_resync <= 0 || !d->mode->dump_end ||
	    (d->mode->can_resync && !d->mode->can_resync(d)))
		return;
	if (!sync_loop_timer_pending(&k->resync_timer))
		sync_loop_timer_add(d->loop, &k->resync_timer,
				    (uint64_t)d->conf->nl_overrun_resync *
				    1000000);
	sync_loop_timer_add(d->loop, &k->quiet_timer, QUIET_USEC);
}

/*
 * A second without another overrun: the burst that overflowed the event
 * socket is over, resync now rather than wait for the rest of
 * NetlinkOverrunResync (upstream waits the whole of it, 30 s by default,
 * with the peer missing whatever the lost events said). Overruns that go
 * on push this back, never the NetlinkOverrunResync deadline.
 */
static void quiet_timeout(struct sync_loop *l, void *arg)
{
	struct sync_kernel *k = arg;

	if (!sync_loop_timer_pending(&k->resync_timer))
		return;
	sync_loop_timer_del(l, &k->resync_timer);
	resync_timeout(l, k);
}

/*
 * Events come faster than we take them (a wakeup left some queued, every
 * fourth time a look at the buffer): once the queue fills half of the
 * buffer, it is doubled now, within NetlinkBufferSizeMaxGrowth, instead
 * of after the overrun that loses events (upstream's only trigger). A
 * daemon that is not real-time (upstream forces SCHED_RR 99) can be
 * kept off the CPU for tens of milliseconds, long enough for a burst of
 * new flows to fill the configured buffer.
 */
static void watch_backlog(struct sync_kernel *k)
{
	uint32_t used, size;

	if (ct_event_drained(k->ev)) {
		k->busy = 0;
		return;
	}
	if (++k->busy % 4 || k->bufsize * 2 > k->d->conf->nl_bufsize_max)
		return;
	if (ct_event_backlog(k->ev, &used, &size) == 0 && used > size / 2)
		grow_buffer(k);
}

/*
 * Up to EVENT_ROUNDS receives (of up to 32 datagrams each) per wakeup,
 * while the queue keeps filling: a step of other work between two
 * wakeups (a commit's few hundred creates, whose events come back here)
 * must not make events pile up faster than one receive takes them.
 */
#define EVENT_ROUNDS	8

/*
 * A burst of events costs a listener that takes each one as soon as it
 * comes a wakeup per event or two, and the process making the flows an
 * interrupt of the other CPU per wakeup: a do-nothing listener
 * (build/bench/ev_floor) alone in a namespace where 100k flows were
 * made and deleted measured 1.7-2.1 us per event that way, 0.7-0.9 us
 * when it let events gather for 100 us. So once a wakeup has
 * emptied the queue of fewer than NAP_MAX events, the socket is left
 * out of poll's interest for NAP_USEC (an overrun, POLLERR, still wakes
 * the loop) and the next wakeup takes what gathered meanwhile: at the
 * kernel's fastest here, about 70 events, a third of the default
 * buffer. A wakeup that found NAP_MAX or more does not nap: events come
 * fast enough to fill the buffer, and watch_backlog() grows it within
 * NetlinkBufferSizeMaxGrowth. Nor after an overrun (the rest is taken
 * at once), nor while steps of long work are queued (the loop does not
 * sleep then: a nap would only skip the socket while a commit's own
 * events come back to it). Longer naps measured cheaper still and
 * overran the default buffer. Turning naps off for a second after an
 * overrun was tried and measured worse: each event then costs a wakeup
 * again, and the overruns that follow are more, not fewer.
 */
#define NAP_USEC	100
#define NAP_MAX		64

static void nap_timeout(struct sync_loop *l, void *arg)
{
	struct sync_kernel *k = arg;

	sync_loop_fd_mod(l, ct_event_fd(k->ev), POLLIN);
}

static void event_io(struct sync_loop *l, int fd, unsigned int revents,
		     void *arg)
{
	struct sync_kernel *k = arg;
	int rc, i = 0, got = 0, overrun = 0;

	(void)revents;
	do {
		rc = ct_event_recv(k->ev, on_event, k);
		if (rc == -ENOBUFS) {
			/* the kernel drops events until the queue is read
			 * empty: read on */
			on_overrun(k);
			overrun = 1;
		} else if (rc < 0 && rc != -EAGAIN && rc != -EINTR) {
			k->d->st.nl_catch_event_failed++;
		} else if (rc >= 0) {
			watch_backlog(k);
		}
		if (rc > 0)
			got += rc;
	} while ((rc >= 0 || rc == -ENOBUFS) && !ct_event_drained(k->ev) &&
		 ++i < EVENT_ROUNDS);
	if (overrun || sync_loop_busy(l)) {
		/* no nap: take the rest at once; steps keep the loop from
		 * sleeping anyway, so a nap would only skip the socket */
		if (sync_loop_timer_pending(&k->nap_timer)) {
			sync_loop_timer_del(l, &k->nap_timer);
			sync_loop_fd_mod(l, fd, POLLIN);
		}
		return;
	}
	if ((rc == -EAGAIN || (rc >= 0 && ct_event_drained(k->ev))) && got &&
	    got < NAP_MAX && sync_loop_timer_add(l, &k->nap_timer, NAP_USEC) == 0)
		sync_loop_fd_mod(l, fd, 0);
}

static void resync_timeout(struct sync_loop *l, void *arg)
{
	struct sync_kernel *k = arg;

	(void)l;
	k->d->st.nl_kernel_table_resync++;
	sync_kernel_resync(k, SYNC_K_CT | (k->expect ? SYNC_K_EXP : 0));
}

static void poll_timeout(struct sync_loop *l, void *arg)
{
	struct sync_kernel *k = arg;

	sync_kernel_resync(k, SYNC_K_CT | (k->expect ? SYNC_K_EXP : 0));
	sync_loop_timer_add(l, &k->poll_timer,
			    (uint64_t)k->d->conf->poll_secs * 1000000);
}

/* ---- opening ------------------------------------------------------------- */

/*
 * The namespace's net.netfilter.nf_conntrack_events: at 0 the kernel
 * sends no event at all and the daemon would follow nothing; at 2 (the
 * default) a flow made while no ctnetlink listener existed never reports
 * its end (conntrackd(8), BUGS). Upstream says nothing of either.
 */
static void check_events_sysctl(struct sync_log *log)
{
	char v[4] = "";
	ssize_t n;
	int fd;

	fd = open("/proc/sys/net/netfilter/nf_conntrack_events",
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, v, sizeof(v) - 1);
	close(fd);
	if (n > 0 && v[0] == '0')
		sync_log(log, SYNC_LOG_WARNING, "conntrack events are off in "
			 "this namespace (net.netfilter.nf_conntrack_events = "
			 "0): the daemon sees no new, changed or destroyed "
			 "flow; set it to 1");
}

/*
 * The event socket's BPF program: `Filter From Kernelspace` (upstream's),
 * and the drop of the events our commits and (with DisableExternalCache)
 * our injections cause: the daemon knows what it asked for (commit.c
 * puts what it commits into the internal cache itself; upstream takes
 * those events by their origin, and ignores the injections' ones), and a
 * burst of them (a commit of 100k flows) would otherwise fill the event
 * buffer, overrun it, and force a resync that sends them all to the
 * peer as the node's own.
 * Userspace applies the Filter again, so a program that does not fit
 * keeps only the drop.
 */
static void set_filter(struct sync_kernel *k)
{
	const struct sync_conf *c = k->d->conf;
	struct sync_log *log = &k->d->log;
	struct nl_sock *inj = k->origin[SYNC_ORIGIN_INJECT],
		       *cm = k->origin[SYNC_ORIGIN_COMMIT];
	const struct sync_filter *f = c->filter.kernelspace ? k->d->filter :
				      NULL;
	uint32_t skip[2] = {
		cm ? nl_sock_portid(cm) : 0,
		inj && c->sync.disable_external ? nl_sock_portid(inj) : 0,
	};
	struct ct_bpf_prog *p;
	int rc = -ENOMEM, big = 0;

	if (!f && !skip[0] && !skip[1])
		goto told;
	p = malloc(sizeof(*p));
	if (p) {
		rc = sync_filter_bpf(f, skip, 2, p);
		if (rc == -E2BIG && f && (skip[0] || skip[1])) {
			big = 1;	/* the drop alone */
			rc = sync_filter_bpf(NULL, skip, 2, p);
		}
		if (rc == 0)
			rc = ct_event_set_filter(k->ev, p);
		if (rc == 0 && big)
			rc = -E2BIG;
		free(p);
	}
	if (rc < 0)
		sync_log(log, SYNC_LOG_ERR, "cannot set event filtering: %s",
			 strerror(-rc));
told:
	if (f)
		sync_log(log, SYNC_LOG_NOTICE, "using kernel-space event "
			 "filtering");
	else if (k->d->filter)
		sync_log(log, SYNC_LOG_NOTICE, "using user-space event "
			 "filtering");
}

static int open_events(struct sync_kernel *k)
{
	const struct sync_conf *c = k->d->conf;
	struct sync_log *log = &k->d->log;
	struct ct_event_opts o = {
		.groups = CT_EVENT_CT_ALL | (k->expect ? CT_EVENT_EXP_ALL : 0),
		.flags = CT_EVENT_F_NONBLOCK | CT_EVENT_F_SYSTEM_RCVBUF |
			 CT_EVENT_F_NO_GROW |
			 (c->nl_reliable ? CT_EVENT_F_RELIABLE : 0),
		.rcvbuf_max = SIZE_MAX,
		/* ctnetlink sends one event per datagram */
		.batch = c->event_iter_limit,
	};
	int rc;

	rc = ct_event_open(&k->ev, &o);
	if (rc < 0)
		return rc;
	check_events_sysctl(log);
	if (c->nl_reliable)
		sync_log(log, SYNC_LOG_NOTICE, "reliable ctnetlink event "
			 "delivery is ENABLED.");
	set_filter(k);
	if (c->nl_bufsize && c->nl_bufsize <= c->nl_bufsize_max) {
		rc = ct_event_set_rcvbuf(k->ev, c->nl_bufsize / 2, &k->bufsize);
		if (rc < 0)
			return rc;
	} else {
		struct ct_event_stats st;

		sync_log(log, SYNC_LOG_NOTICE, "NetlinkBufferSize is either "
			 "not set or is greater than NetlinkBufferSizeMaxGrowth"
			 ". Using current system buffer size");
		ct_event_stats(k->ev, &st);
		k->bufsize = st.rcvbuf;
	}
	sync_log(log, SYNC_LOG_NOTICE, "netlink event socket buffer size has "
		 "been set to %zu bytes", k->bufsize);
	return sync_loop_fd_add(k->d->loop, ct_event_fd(k->ev), POLLIN,
				event_io, k);
}

int sync_kernel_open(struct sync_kernel **out, struct sync_daemon *d)
{
	struct sync_kernel *k = calloc(1, sizeof(*k));

	if (!k)
		return -ENOMEM;
	k->d = d;
	k->expect = d->conf->sync.expect_sync != 0 &&
		    (d->conf->run & SYNC_RUN_SYNC);
	sync_loop_timer_init(&k->resync_timer, resync_timeout, k);
	sync_loop_timer_init(&k->poll_timer, poll_timeout, k);
	sync_loop_timer_init(&k->quiet_timer, quiet_timeout, k);
	sync_loop_timer_init(&k->nap_timer, nap_timeout, k);
	*out = k;
	return 0;
}

int sync_kernel_start(struct sync_kernel *k)
{
	struct sync_daemon *d = k->d;
	int rc;

	/* the sockets of commits and injections first: the event socket's
	 * filter drops what the injections cause, and an unprivileged part
	 * forked later has them, its privileged parent knows them */
	if ((d->conf->run & SYNC_RUN_SYNC) &&
	    (!sync_kernel_sock(k, SYNC_ORIGIN_COMMIT) ||
	     !sync_kernel_sock(k, SYNC_ORIGIN_INJECT)))
		return -ENOMEM;		/* (logged) */
	if (d->conf->poll_secs) {
		sync_log(&d->log, SYNC_LOG_NOTICE, "running in polling mode");
		rc = sync_loop_timer_add(d->loop, &k->poll_timer,
					 (uint64_t)d->conf->poll_secs *
					 1000000);
	} else {
		rc = open_events(k);
	}
	if (rc == 0)
		rc = nl_sock_open(&k->dump, NULL);
	if (rc == 0)
		rc = nl_sock_set_nonblock(k->dump, 1);
	if (rc == 0)
		rc = nl_sock_open(&k->flush, NULL);
	if (rc < 0) {
		sync_log(&d->log, SYNC_LOG_ERR, "can't open netlink handler: "
			 "%s", strerror(-rc));
		sync_log(&d->log, SYNC_LOG_ERR, "no ctnetlink kernel support?");
		return rc;
	}
	k->origin[SYNC_ORIGIN_FLUSH] = k->flush;
	return 0;
}

void sync_kernel_close(struct sync_kernel *k)
{
	if (!k)
		return;
	if (k->job.kind != JOB_NONE)
		sync_loop_fd_del(k->d->loop, sync_kernel_job_fd(k));
	nl_bg_free(k->bg);
	if (k->ev) {
		sync_loop_fd_del(k->d->loop, ct_event_fd(k->ev));
		ct_event_close(k->ev);
	}
	sync_loop_timer_del(k->d->loop, &k->resync_timer);
	sync_loop_timer_del(k->d->loop, &k->poll_timer);
	sync_loop_timer_del(k->d->loop, &k->quiet_timer);
	sync_loop_timer_del(k->d->loop, &k->nap_timer);
	for (int o = SYNC_ORIGIN_COMMIT; o <= SYNC_ORIGIN_INJECT; o++)
		nl_sock_close(k->origin[o]);
	nl_sock_close(k->flush);
	nl_sock_close(k->dump);
	free(k);
}
