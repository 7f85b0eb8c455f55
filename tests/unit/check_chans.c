// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the dedicated links (sync/channel.h) without a kernel:
 * the set is opened through chans_open_env() with a transport that
 * records what it is given (named and sized as the real ones) and a link
 * table fed by hand (sync/link.h). Covered: buffering up to the MTU less
 * the transport's headers, refused messages and failed sends, opening
 * (Default, bad configurations with upstream's log line), the active
 * channel (receiving, failover with upstream's choice and log lines,
 * buffered messages following it), deferred events, and the `-s` /
 * `-s link` texts byte for byte as the reference daemon prints them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "nl/msg.h"
#include "nl/rtnl.h"
#include "sync/chan_int.h"
#include "sync/link.h"
#include "sync/log.h"
#include "sync/auth.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"
#include "tests/unit/sync_check.h"


/* ---- the set, over a recording transport ------------------------------ */

#define SENT_MAX	128
#define SENT_DATA	16384

/* What the transport was given, and what the owner was told. */
struct rec {
	unsigned int idx[SENT_MAX];
	size_t len[SENT_MAX];
	unsigned char data[SENT_MAX][SENT_DATA];
	size_t n;
	int send_rc;		/* what the next sends return */
	unsigned int got_idx[16];
	size_t got_len[16], ngot;
	unsigned int ev_idx[16], ev[16], nev;
};

static struct rec *rec;

static int rec_open(struct chan *c)
{
	return 0;
}

static void rec_close(struct chan *c)
{
}

static int rec_send(struct chan *c, const void *buf, size_t len)
{
	ck_assert_uint_lt(rec->n, SENT_MAX);
	ck_assert_uint_le(len, SENT_DATA);
	if (rec->send_rc < 0) {
		c->st.err_send++;
		return rec->send_rc;
	}
	rec->idx[rec->n] = c->idx;
	rec->len[rec->n] = len;
	memcpy(rec->data[rec->n], buf, len);
	rec->n++;
	c->st.bytes_sent += len;
	c->st.pkts_sent++;
	return 0;
}

static int rec_state(const struct chan *c, char *buf, size_t len)
{
	return snprintf(buf, len, " server=connected client=disconnected");
}

static void rec_recv(struct sync_chans *m, unsigned int idx, const void *buf,
		     size_t len, void *arg)
{
	ck_assert_uint_lt(rec->ngot, 16);
	rec->got_idx[rec->ngot] = idx;
	rec->got_len[rec->ngot++] = len;
}

static void rec_event(struct sync_chans *m, unsigned int idx,
		      enum sync_chans_event ev, void *arg)
{
	ck_assert_uint_lt(rec->nev, 16);
	rec->ev_idx[rec->nev] = idx;
	rec->ev[rec->nev++] = ev;
}

/* An interface of the fake namespace. */
struct nif {
	int index;
	const char *name;
	unsigned int mtu, flags;
};

#define UPRUN (RTNL_IFF_UP | RTNL_IFF_RUNNING | RTNL_IFF_LOWER_UP)

static const struct nif nifs[] = {
	{ 1, "lo", 65536, UPRUN },
	{ 2, "a", 1500, UPRUN },
	{ 3, "b", 1500, UPRUN },
	{ 4, "c", 9000, UPRUN },
	{ 5, "small", 576, UPRUN },
	{ 6, "tiny", 35, UPRUN },
};

/* Tells the table that interface @index now has @flags (and @name). */
static void link_set(struct sync_link *k, int index, const char *name,
		     unsigned int flags)
{
	unsigned char buf[256] __attribute__((aligned(4)));
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	fixture_link(&m, RTM_NEWLINK, AF_UNSPEC, index, flags, name, 0, -1);
	ck_assert_int_eq(sync_link_apply(k, buf, m.len), 1);
}

static struct sync_link *mk_links(void)
{
	unsigned char buf[1024] __attribute__((aligned(4)));
	struct sync_link *k;
	struct nl_msg m;

	ck_assert_int_eq(sync_link_new(&k), 0);
	nl_msg_init(&m, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(nifs) / sizeof(nifs[0]); i++)
		fixture_link(&m, RTM_NEWLINK, AF_UNSPEC, nifs[i].index,
			     nifs[i].flags, nifs[i].name, nifs[i].mtu, 1);
	ck_assert_int_eq(sync_link_apply(k, buf, m.len),
			 (int)(sizeof(nifs) / sizeof(nifs[0])));
	return k;
}

struct rig {
	struct sync_loop *loop;
	struct sync_log log;
	char logpath[64];
	struct chan_ops ops;
	struct sync_conf conf;
	struct sync_chans *m;
};

/* The base transport whose name and headers the recorder takes. */
static const struct chan_ops *const base_ops[] = {
	[SYNC_CHAN_MCAST] = &chan_mcast_ops,
	[SYNC_CHAN_UDP] = &chan_udp_ops,
	[SYNC_CHAN_TCP] = &chan_tcp_ops,
};

/* Channels of @type on the interfaces named in @ifaces (a space-separated
 * list; a '*' suffix marks Default, a "6:" prefix IPv6). Returns
 * chans_open_env()'s result. */
static int rig_open(struct rig *r, int type, const char *ifaces)
{
	struct chans_env env = { .ops = { NULL } };
	char list[128], *save = NULL;
	int fd;

	memset(r, 0, sizeof(*r));
	rec = calloc(1, sizeof(*rec));
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(sync_loop_new(&r->loop), 0);
	sync_log_init(&r->log);
	r->log.console = 0;
	snprintf(r->logpath, sizeof(r->logpath), "/tmp/rawct-chans.XXXXXX");
	fd = mkstemp(r->logpath);
	ck_assert_int_ge(fd, 0);
	r->log.fd = fd;
	r->ops = *base_ops[type];
	r->ops.open = rec_open;
	r->ops.close = rec_close;
	r->ops.send = rec_send;
	r->ops.state = type == SYNC_CHAN_TCP ? rec_state : NULL;
	env.ops[type] = &r->ops;
	env.link = mk_links();
	snprintf(list, sizeof(list), "%s", ifaces);
	for (char *w = strtok_r(list, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		struct sync_conf_chan *cc;
		size_t l = strlen(w);

		if (r->conf.sync.n_chan == SYNC_CONF_CHAN_MAX) {
			r->conf.sync.n_chan++;	/* one too many */
			break;
		}
		cc = &r->conf.sync.chan[r->conf.sync.n_chan++];
		if (strncmp(w, "6:", 2) == 0) {
			cc->family = AF_INET6;
			w += 2;
			l -= 2;
		}
		cc->type = (uint8_t)type;
		cc->is_default = w[l - 1] == '*';
		snprintf(cc->iface, sizeof(cc->iface), "%.*s",
			 (int)(l - cc->is_default), w);
	}
	return chans_open_env(&r->m, &r->conf, r->loop, &r->log, rec_recv,
			      rec_event, NULL, &env);
}

/* What was logged. */
static const char *rig_logged(struct rig *r)
{
	static char text[4096];
	ssize_t n = pread(r->log.fd, text, sizeof(text) - 1, 0);

	text[n > 0 ? n : 0] = '\0';
	return text;
}

static void rig_close(struct rig *r)
{
	sync_chans_close(r->m);
	sync_loop_free(r->loop);
	close(r->log.fd);
	unlink(r->logpath);
	free(rec);
	rec = NULL;
}

static int stop_step(struct sync_loop *l, void *arg)
{
	sync_loop_stop(l);
	return 0;
}

/* One iteration of the loop: the steps queued so far run. */
static void rig_step(struct rig *r)
{
	ck_assert_int_eq(sync_loop_step_add(r->loop, stop_step, NULL), 0);
	ck_assert_int_eq(sync_loop_run(r->loop), 0);
}

/* ---- buffering up to the MTU ------------------------------------------ */

struct mtu_case {
	int type;
	const char *iface;
	size_t size, count;		/* messages sent, then a flush */
	size_t want[8], nwant;		/* the datagrams */
};

static const struct mtu_case mtu_cases[] = {
	/* 1500 - 28 = 1472: seven of 200 fit, an eighth does not */
	{ SYNC_CHAN_UDP, "a", 200, 10, { 1400, 600 }, 2 },
	/* exactly 1472 is one datagram */
	{ SYNC_CHAN_UDP, "a", 368, 4, { 1472 }, 1 },
	{ SYNC_CHAN_UDP, "a", 368, 5, { 1472, 368 }, 2 },
	/* TCP: 1500 - 40 = 1460 */
	{ SYNC_CHAN_TCP, "a", 368, 4, { 1104, 368 }, 2 },
	{ SYNC_CHAN_TCP, "a", 365, 4, { 1460 }, 1 },
	/* multicast on a jumbo link: 8972 */
	{ SYNC_CHAN_MCAST, "c", 1000, 20, { 8000, 8000, 4000 }, 3 },
	/* 576 - 28 = 548 */
	{ SYNC_CHAN_UDP, "small", 548, 3, { 548, 548, 548 }, 3 },
	{ SYNC_CHAN_UDP, "small", 8, 69, { 544, 8 }, 2 },
	/* lo: 65536 - 28, capped to what one datagram carries */
	{ SYNC_CHAN_UDP, "lo", 4000, 3, { 12000 }, 1 },
};

START_TEST(test_mtu)
{
	const struct mtu_case *c = &mtu_cases[_i];
	unsigned char m[SENT_DATA], all[SENT_DATA * 4];
	size_t off = 0;
	struct rig r;

	ck_assert_int_eq(rig_open(&r, c->type, c->iface), 0);
	for (size_t i = 0; i < c->count; i++) {
		fixture_sync_msg(m, c->size, (uint32_t)i);
		memcpy(all + i * c->size, m, c->size);
		ck_assert_int_eq(sync_chans_send(r.m, m, c->size), 0);
	}
	ck_assert_int_eq(sync_chans_flush(r.m), 0);
	ck_assert_uint_eq(sync_chans_pending(r.m), 0);
	ck_assert_uint_eq(rec->n, c->nwant);
	for (size_t i = 0; i < rec->n; i++) {
		ck_assert_uint_eq(rec->len[i], c->want[i]);
		ck_assert_uint_le(rec->len[i], sync_chans_mtu(r.m));
		ck_assert_mem_eq(rec->data[i], all + off, rec->len[i]);
		off += rec->len[i];
	}
	ck_assert_uint_eq(off, c->size * c->count);
	/* nothing buffered: a flush sends nothing */
	ck_assert_int_eq(sync_chans_flush(r.m), 0);
	ck_assert_uint_eq(rec->n, c->nwant);
	rig_close(&r);
}
END_TEST

START_TEST(test_mtu_values)
{
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 1472);
	rig_close(&r);
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_TCP, "c"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 8960);
	rig_close(&r);
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_MCAST, "lo"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 65536 - 28);
	rig_close(&r);
	/* IPv6: its header is 20 bytes longer (upstream forgets) */
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "6:a"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 1452);
	rig_close(&r);
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_TCP, "6:b"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 1440);
	rig_close(&r);
}
END_TEST

/* Refused messages, and a send that fails. */
START_TEST(test_send_errors)
{
	unsigned char m[2000];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	fixture_sync_msg(m, 1473, 1);
	ck_assert_int_eq(sync_chans_send(r.m, m, 1473), -EMSGSIZE);
	ck_assert_int_eq(sync_chans_send(r.m, m, 7), -EINVAL);
	fixture_sync_msg(m, 100, 1);
	ck_assert_int_eq(sync_chans_send(r.m, m, 99), -EINVAL);
	ck_assert_int_eq(sync_chans_send(r.m, m, 101), -EINVAL);
	ck_assert_uint_eq(sync_chans_pending(r.m), 0);
	fixture_sync_msg(m, 1000, 2);
	ck_assert_int_eq(sync_chans_send(r.m, m, 1000), 0);
	rec->send_rc = -ENETUNREACH;
	/* the buffer goes out (and fails) first, the new message waits */
	ck_assert_int_eq(sync_chans_send(r.m, m, 1000), -ENETUNREACH);
	ck_assert_uint_eq(sync_chans_pending(r.m), 1000);
	ck_assert_uint_eq(sync_chans_stats(r.m, 0)->err_send, 1);
	/* told later, once, though it failed twice */
	ck_assert_int_eq(sync_chans_flush(r.m), -ENETUNREACH);
	ck_assert_uint_eq(rec->nev, 0);
	rig_step(&r);
	ck_assert_uint_eq(rec->nev, 1);
	ck_assert_uint_eq(rec->ev[0], SYNC_CHANS_EV_LOST);
	ck_assert_uint_eq(rec->ev_idx[0], 0);
	rig_step(&r);
	ck_assert_uint_eq(rec->nev, 1);
	rig_close(&r);
}
END_TEST

/* ---- opening ----------------------------------------------------------- */

START_TEST(test_open)
{
	struct rig r;

	/* the Default channel is the first active one, else the first */
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a b* c"), 0);
	ck_assert_uint_eq(sync_chans_count(r.m), 3);
	ck_assert_uint_eq(sync_chans_active(r.m), 1);
	ck_assert_ptr_null(sync_chans_stats(r.m, 3));
	rig_close(&r);
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_TCP, "c a"), 0);
	ck_assert_uint_eq(sync_chans_active(r.m), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 8960);
	rig_close(&r);
}
END_TEST

struct open_bad {
	const char *what;
	int type;
	const char *ifaces;
	int want;
	const char *log;
};

static const struct open_bad open_bads[] = {
	{ "no such interface", SYNC_CHAN_UDP, "a nope", -ENODEV,
	  "[ERROR] can't open channel socket: No such device\n" },
	{ "no interface", SYNC_CHAN_UDP, "", -EINVAL, "" },
	{ "MTU too small", SYNC_CHAN_TCP, "tiny", -EINVAL,
	  "[ERROR] can't open channel socket: Invalid argument\n" },
	{ "five links", SYNC_CHAN_UDP, "a b c lo small", -EINVAL, "" },
};

START_TEST(test_open_bad)
{
	const struct open_bad *c = &open_bads[_i];
	struct rig r;
	int rc = rig_open(&r, c->type, c->ifaces);

	ck_assert_msg(rc == c->want, "%s: %d", c->what, rc);
	ck_assert_msg(strstr(rig_logged(&r), c->log), "%s: logged '%s'",
		      c->what, rig_logged(&r));
	r.m = NULL;
	rig_close(&r);
}
END_TEST

/* All channels are of one transport. */
START_TEST(test_open_mixed)
{
	struct chans_env env = { .ops = { NULL } };
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a b"), 0);
	sync_chans_close(r.m);
	r.conf.sync.chan[1].type = SYNC_CHAN_TCP;
	env.ops[SYNC_CHAN_UDP] = &r.ops;
	env.ops[SYNC_CHAN_TCP] = &r.ops;
	env.link = mk_links();
	ck_assert_int_eq(chans_open_env(&r.m, &r.conf, r.loop, &r.log, NULL,
					NULL, NULL, &env), -EINVAL);
	r.m = NULL;
	rig_close(&r);
}
END_TEST

/* ---- the active channel ------------------------------------------------ */

/* A sound message arriving makes its channel active; the owner gets the
 * bytes either way. */
START_TEST(test_recv_active)
{
	unsigned char m[64];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a b c"), 0);
	fixture_sync_msg(m, 20, 1);
	m[0] = 0x20;		/* version 2 */
	chan_recv(chans_chan(r.m, 2), m, 20);
	ck_assert_uint_eq(sync_chans_active(r.m), 0);
	m[0] = 0x10;
	chan_recv(chans_chan(r.m, 2), m, 19);	/* says 20, has 19 */
	ck_assert_uint_eq(sync_chans_active(r.m), 0);
	chan_recv(chans_chan(r.m, 2), m, 4);
	ck_assert_uint_eq(sync_chans_active(r.m), 0);
	chan_recv(chans_chan(r.m, 2), m, 20);
	ck_assert_uint_eq(sync_chans_active(r.m), 2);
	ck_assert_uint_eq(rec->ngot, 4);
	ck_assert_uint_eq(rec->got_idx[3], 2);
	ck_assert_uint_eq(rec->got_len[3], 20);
	/* a control message counts too (upstream: MSG_CTL) */
	fixture_sync_msg(m, 8, 2);
	m[0] = 0x1a;
	chan_recv(chans_chan(r.m, 1), m, 8);
	ck_assert_uint_eq(sync_chans_active(r.m), 1);
	rig_close(&r);
}
END_TEST

/* What waits in the old active channel's buffer leaves by the new one,
 * in order, before what is sent after the switch. */
START_TEST(test_buffer_follows)
{
	unsigned char m[1500];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "c a"), 0);
	for (uint32_t i = 0; i < 3; i++) {
		fixture_sync_msg(m, 1000, i);
		ck_assert_int_eq(sync_chans_send(r.m, m, 1000), 0);
	}
	ck_assert_uint_eq(sync_chans_pending(r.m), 3000);	/* 9000 MTU */
	fixture_sync_msg(m, 8, 99);
	chan_recv(chans_chan(r.m, 1), m, 8);
	ck_assert_uint_eq(sync_chans_active(r.m), 1);
	/* 1472 on a: the first went out when the second did not fit */
	ck_assert_uint_eq(rec->n, 2);
	fixture_sync_msg(m, 400, 3);
	ck_assert_int_eq(sync_chans_send(r.m, m, 400), 0);
	ck_assert_int_eq(sync_chans_flush(r.m), 0);
	ck_assert_uint_eq(rec->n, 3);
	for (size_t i = 0; i < rec->n; i++)
		ck_assert_uint_eq(rec->idx[i], 1);
	ck_assert_uint_eq(fixture_sync_seq(rec->data[0]), 0);
	ck_assert_uint_eq(fixture_sync_seq(rec->data[1]), 1);
	ck_assert_uint_eq(fixture_sync_seq(rec->data[2]), 2);
	ck_assert_uint_eq(fixture_sync_seq(rec->data[2] + 1000), 3);
	ck_assert_uint_eq(sync_chans_stats(r.m, 0)->pkts_sent, 0);
	rig_close(&r);
}
END_TEST

/* ---- failover (upstream's interface_handler / interface_candidate) ---- */

struct fo_case {
	const char *what;
	const char *ifaces;		/* channels */
	unsigned int flags[3];		/* a, b, c after the change */
	unsigned int want;		/* active after */
	const char *log;		/* logged, or "" */
};

#define UP	RTNL_IFF_UP
#define RUN	RTNL_IFF_RUNNING

static const struct fo_case fo_cases[] = {
	{ "active down: next up", "a b c", { 0, UPRUN, UPRUN }, 1,
	  "[notice] device `b' becomes dedicated link\n" },
	{ "no carrier counts as down", "a b c", { UP, UPRUN, UPRUN }, 1,
	  "[notice] device `b' becomes dedicated link\n" },
	{ "not running either", "a b c", { RUN, UPRUN, UPRUN }, 1,
	  "[notice] device `b' becomes dedicated link\n" },
	/* upstream takes a candidate with either flag */
	{ "candidate up, no carrier", "a b c", { 0, UP, UPRUN }, 1,
	  "[notice] device `b' becomes dedicated link\n" },
	{ "candidate down: the next", "a b c", { 0, 0, UPRUN }, 2,
	  "[notice] device `c' becomes dedicated link\n" },
	{ "none left", "a b c", { 0, 0, 0 }, 0,
	  "[ERROR] no dedicated links available!\n" },
	{ "active fine: nothing", "a b c", { UPRUN, 0, 0 }, 0, "" },
	/* channels on the active interface are no candidates */
	{ "same interface skipped", "a a c", { 0, UPRUN, UPRUN }, 2,
	  "[notice] device `c' becomes dedicated link\n" },
	{ "from the Default", "a b* c", { UPRUN, 0, UPRUN }, 0,
	  "[notice] device `a' becomes dedicated link\n" },
};

START_TEST(test_failover)
{
	const struct fo_case *c = &fo_cases[_i];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, c->ifaces), 0);
	link_set(chans_link(r.m), 2, "a", c->flags[0]);
	link_set(chans_link(r.m), 3, "b", c->flags[1]);
	link_set(chans_link(r.m), 4, "c", c->flags[2]);
	chans_link_changed(r.m);
	ck_assert_msg(sync_chans_active(r.m) == c->want, "%s: active %u",
		      c->what, sync_chans_active(r.m));
	ck_assert_msg(strstr(rig_logged(&r), c->log), "%s: logged '%s'",
		      c->what, rig_logged(&r));
	if (!c->log[0])
		ck_assert_str_eq(rig_logged(&r), "");
	rig_close(&r);
}
END_TEST

/* Removed interfaces are down; every look while the active one is down
 * logs again, as upstream does for every event. */
START_TEST(test_failover_removed)
{
	unsigned char buf[64] __attribute__((aligned(4)));
	struct nl_msg m;
	struct rig r;
	const char *log;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "b a"), 0);
	link_set(chans_link(r.m), 2, "a", 0);
	nl_msg_init(&m, buf, sizeof(buf));
	fixture_link(&m, RTM_DELLINK, AF_UNSPEC, 3, 0, NULL, 0, -1);
	ck_assert_int_eq(sync_link_apply(chans_link(r.m), buf, m.len), 1);
	chans_link_changed(r.m);
	chans_link_changed(r.m);
	log = rig_logged(&r);
	ck_assert_ptr_nonnull(strstr(log, "no dedicated links available!"));
	ck_assert_ptr_nonnull(strstr(strstr(log, "available!") + 1,
				     "no dedicated links available!"));
	/* a comes back: it takes over at the next event */
	link_set(chans_link(r.m), 2, "a", UP);
	chans_link_changed(r.m);
	ck_assert_uint_eq(sync_chans_active(r.m), 1);
	ck_assert_ptr_nonnull(strstr(rig_logged(&r),
		"device `a' becomes dedicated link"));
	rig_close(&r);
}
END_TEST

/* ---- events ------------------------------------------------------------ */

START_TEST(test_events)
{
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_TCP, "a b"), 0);
	chan_event(chans_chan(r.m, 1), SYNC_CHANS_EV_CONNECTED);
	chan_event(chans_chan(r.m, 1), SYNC_CHANS_EV_CONNECTED);
	chan_event(chans_chan(r.m, 0), SYNC_CHANS_EV_LOST);
	ck_assert_uint_eq(rec->nev, 0);
	rig_step(&r);
	ck_assert_uint_eq(rec->nev, 2);
	ck_assert_uint_eq(rec->ev_idx[0], 0);
	ck_assert_uint_eq(rec->ev[0], SYNC_CHANS_EV_LOST);
	ck_assert_uint_eq(rec->ev_idx[1], 1);
	ck_assert_uint_eq(rec->ev[1], SYNC_CHANS_EV_CONNECTED);
	rig_step(&r);
	ck_assert_uint_eq(rec->nev, 2);
	/* pending at close: dropped, no call after */
	chan_event(chans_chan(r.m, 1), SYNC_CHANS_EV_LOST);
	rig_close(&r);
}
END_TEST

/* ---- reports, as the reference daemon prints them ---------------------- */

static void set_stats(struct sync_chan_stats *s, uint64_t bs, uint64_t br,
		      uint64_t ps, uint64_t pr, uint64_t es, uint64_t er)
{
	*s = (struct sync_chan_stats){ .bytes_sent = bs, .bytes_recv = br,
		.pkts_sent = ps, .pkts_recv = pr, .err_send = es,
		.err_recv = er };
}

/* Captured from /usr/sbin/conntrackd -s (1.4.7, spec 2.5). */
static const char udp_block[] =
	"UDP traffic (active device=a):\n"
	"                 308 Bytes sent                   48 Bytes recv\n"
	"                   6 Pckts sent                    3 Pckts recv\n"
	"                   0 Error send                    0 Error recv\n"
	"\n";

START_TEST(test_report)
{
	char buf[1024];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	set_stats(&chans_chan(r.m, 0)->st, 308, 48, 6, 3, 0, 0);
	ck_assert_int_eq(sync_chans_report(r.m, buf, sizeof(buf)),
			 (int)strlen(udp_block));
	ck_assert_str_eq(buf, udp_block);
	/* cut like snprintf, the length needed still returned */
	ck_assert_int_eq(sync_chans_report(r.m, buf, 10),
			 (int)strlen(udp_block));
	ck_assert_str_eq(buf, "UDP traff");
	ck_assert_int_eq(sync_chans_report(r.m, NULL, 0),
			 (int)strlen(udp_block));
	rig_close(&r);
}
END_TEST

/* Captured from the reference daemon's -s for multicast and TCP (this
 * machine, 1.4.7), with every counter field's largest value. */
START_TEST(test_report_kinds)
{
	char buf[1024];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_MCAST, "b"), 0);
	set_stats(&chans_chan(r.m, 0)->st, 100, 24, 3, 3, 0, 0);
	sync_chans_report(r.m, buf, sizeof(buf));
	ck_assert_str_eq(buf,
		"multicast traffic (active device=b):\n"
		"                 100 Bytes sent                   24 Bytes recv\n"
		"                   3 Pckts sent                    3 Pckts recv\n"
		"                   0 Error send                    0 Error recv\n"
		"\n");
	rig_close(&r);
	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_TCP, "a"), 0);
	set_stats(&chans_chan(r.m, 0)->st, 0, 24, 0, 3, 1, UINT64_MAX);
	sync_chans_report(r.m, buf, sizeof(buf));
	ck_assert_str_eq(buf,
		"TCP traffic (active device=a) server=connected "
		"client=disconnected:\n"
		"                   0 Bytes sent                   24 Bytes recv\n"
		"                   0 Pckts sent                    3 Pckts recv\n"
		"                   1 Error send 18446744073709551615 Error recv\n"
		"\n");
	rig_close(&r);
}
END_TEST

START_TEST(test_report_link)
{
	char buf[2048];
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a b c"), 0);
	link_set(chans_link(r.m), 3, "b", UP);
	link_set(chans_link(r.m), 4, "c", 0);
	chans_link_changed(r.m);	/* a is fine: stays active */
	set_stats(&chans_chan(r.m, 0)->st, 100, 24, 3, 3, 0, 0);
	set_stats(&chans_chan(r.m, 2)->st, 8, 8, 1, 1, 1, 0);
	ck_assert_int_eq(sync_chans_report_link(r.m, buf, sizeof(buf)),
			 (int)strlen(buf));
	ck_assert_str_eq(buf,
		"UDP traffic device=a status=RUNNING role=ACTIVE:\n"
		"                 100 Bytes sent                   24 Bytes recv\n"
		"                   3 Pckts sent                    3 Pckts recv\n"
		"                   0 Error send                    0 Error recv\n"
		"\n"
		"UDP traffic device=b status=NO-CARRIER role=BACKUP:\n"
		"                   0 Bytes sent                    0 Bytes recv\n"
		"                   0 Pckts sent                    0 Pckts recv\n"
		"                   0 Error send                    0 Error recv\n"
		"\n"
		"UDP traffic device=c status=DOWN role=BACKUP:\n"
		"                   8 Bytes sent                    8 Bytes recv\n"
		"                   1 Pckts sent                    1 Pckts recv\n"
		"                   1 Error send                    0 Error recv\n"
		"\n");
	rig_close(&r);
}
END_TEST

/* The device is named as the kernel names it now (upstream:
 * if_indextoname), the configured name once it is gone. */
START_TEST(test_report_renamed)
{
	unsigned char buf[64] __attribute__((aligned(4)));
	char text[512];
	struct nl_msg m;
	struct rig r;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	link_set(chans_link(r.m), 2, "sync0", UPRUN);
	sync_chans_report(r.m, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "(active device=sync0):\n"));
	nl_msg_init(&m, buf, sizeof(buf));
	fixture_link(&m, RTM_DELLINK, AF_UNSPEC, 2, 0, NULL, 0, -1);
	ck_assert_int_eq(sync_link_apply(chans_link(r.m), buf, m.len), 1);
	sync_chans_report_link(r.m, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text,
				     "device=a status=DOWN role=ACTIVE:\n"));
	rig_close(&r);
}
END_TEST

/* ---- authentication ---------------------------------------------------- */

/* @r's set again with authentication (@auth taken). */
static void rig_auth(struct rig *r, struct sync_auth *auth)
{
	struct chans_env env = { .ops = { NULL } };

	sync_chans_close(r->m);
	env.ops[SYNC_CHAN_UDP] = &r->ops;
	env.link = mk_links();
	env.auth = auth;
	ck_assert_int_eq(chans_open_env(&r->m, &r->conf, r->loop, &r->log,
					rec_recv, rec_event, NULL, &env), 0);
}

/* With authentication, the budget of a datagram loses the frame's 68
 * bytes, and what leaves is one frame of the messages (in clear here);
 * plain messages are refused and counted, nothing handed over; a frame
 * to a set without authentication as well; one log line per reason. */
START_TEST(test_auth_frames)
{
	unsigned char m[2048];
	const struct sync_auth_stats *st;
	struct sync_frame_hdr h;
	struct sync_auth *peer = sc_auth_node(NULL, NULL, 0);
	size_t room;
	struct rig r;
	int n;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	ck_assert_uint_eq(sync_chans_mtu(r.m), 1500 - 28);
	rig_auth(&r, sc_auth_node(NULL, NULL, 0));
	room = 1500 - 28 - SYNC_FRAME_OVERHEAD;
	ck_assert_uint_eq(sync_chans_mtu(r.m), room);
	fixture_sync_msg(m, (uint16_t)room, 1);
	ck_assert_int_eq(sync_chans_send(r.m, m, room), 0);
	ck_assert_int_eq(sync_chans_send(r.m, m, room + 1), -EINVAL);
	ck_assert_int_eq(sync_chans_flush(r.m), 0);
	ck_assert_uint_eq(rec->n, 1);
	ck_assert_uint_eq(rec->len[0], 1500 - 28);
	ck_assert_int_eq(sync_frame_peek(rec->data[0], rec->len[0], &h), 0);
	ck_assert_uint_eq(h.payload_len, room);
	ck_assert_mem_eq(rec->data[0] + SYNC_FRAME_HDR_LEN, m, room);
	ck_assert_uint_eq(sync_chans_auth_stats(r.m)->sent, 1);
	/* refusals */
	fixture_sync_msg(m, 20, 2);
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), m, 20), -EBADMSG);
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), m, 20), -EBADMSG);
	n = sync_auth_seal(peer, m, sizeof(m), 0);
	ck_assert_int_gt(n, 0);
	m[n - 1] ^= 1;
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), m, (size_t)n),
			 -EBADMSG);
	st = sync_chans_auth_stats(r.m);
	ck_assert_uint_eq(st->n[SYNC_AUTH_UNAUTHENTICATED], 2);
	ck_assert_uint_eq(st->n[SYNC_AUTH_BAD_TAG], 1);
	ck_assert_uint_eq(rec->ngot, 0);
	ck_assert_ptr_nonnull(strstr(rig_logged(&r), "dropped 1 datagram(s) "
				     "on `a': sync messages without "
				     "authentication"));
	ck_assert_ptr_null(strstr(rig_logged(&r), "dropped 2"));
	ck_assert_ptr_nonnull(strstr(rig_logged(&r), "Bad tag"));
	/* a set without authentication */
	rig_auth(&r, NULL);
	m[n - 1] ^= 1;
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), m, (size_t)n), -EPROTO);
	ck_assert_uint_eq(sync_chans_auth_stats(r.m)->n[SYNC_AUTH_WHILE_OFF],
			  1);
	ck_assert_uint_eq(rec->ngot, 0);
	ck_assert_ptr_nonnull(strstr(rig_logged(&r), "authentication is off "
				     "on this node"));
	sync_auth_free(peer);
	rig_close(&r);
}
END_TEST

/* The handshake through the set: the first hello leaves as the loop
 * runs; a peer's hello is answered, and once the peer echoes us, its
 * messages are handed over and the owner hears SYNC_CHANS_EV_PEER. */
START_TEST(test_auth_handshake)
{
	unsigned char f[512], out[512];
	struct sync_auth *peer;
	struct rig r;
	size_t olen;
	unsigned int ev;
	int n;

	ck_assert_int_eq(rig_open(&r, SYNC_CHAN_UDP, "a"), 0);
	rig_auth(&r, sc_auth_node(NULL, NULL, 1));
	peer = sc_auth_node(NULL, NULL, 1);	/* the younger */
	rig_step(&r);
	ck_assert_uint_eq(rec->n, 1);		/* the first hello */
	ck_assert_uint_eq(rec->len[0], SYNC_FRAME_OVERHEAD);
	n = sync_auth_seal_hello(peer, f, sizeof(f));
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), f, (size_t)n), 0);
	rig_step(&r);
	ck_assert_uint_eq(rec->n, 2);		/* the answer echoes peer */
	olen = sizeof(out);
	ck_assert_int_eq(sync_auth_open(peer, rec->data[1], rec->len[1], out,
					&olen, &ev), SYNC_AUTH_ACCEPTED);
	fixture_sync_msg(f + SYNC_FRAME_HDR_LEN, 20, 7);
	n = sync_auth_seal(peer, f, sizeof(f), 20);
	ck_assert_int_eq(chan_recv(chans_chan(r.m, 0), f, (size_t)n), 0);
	ck_assert_uint_eq(rec->ngot, 1);
	ck_assert_uint_eq(rec->got_len[0], 20);
	rig_step(&r);
	ck_assert_uint_eq(rec->nev, 1);
	ck_assert_uint_eq(rec->ev[0], SYNC_CHANS_EV_PEER);
	ck_assert_uint_eq(sync_chans_auth_stats(r.m)->peers, 1);
	ck_assert_uint_eq(sync_chans_auth_stats(r.m)->n[SYNC_AUTH_HELLO], 1);
	sync_auth_free(peer);
	rig_close(&r);
}
END_TEST

Suite *chans_suite(void)
{
	Suite *s = suite_create("chans");
	TCase *tc = tcase_create("set");

	tcase_add_loop_test(tc, test_mtu, 0,
			    sizeof(mtu_cases) / sizeof(mtu_cases[0]));
	tcase_add_test(tc, test_mtu_values);
	tcase_add_test(tc, test_send_errors);
	tcase_add_test(tc, test_open);
	tcase_add_loop_test(tc, test_open_bad, 0,
			    sizeof(open_bads) / sizeof(open_bads[0]));
	tcase_add_test(tc, test_open_mixed);
	tcase_add_test(tc, test_recv_active);
	tcase_add_test(tc, test_buffer_follows);
	tcase_add_loop_test(tc, test_failover, 0,
			    sizeof(fo_cases) / sizeof(fo_cases[0]));
	tcase_add_test(tc, test_failover_removed);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_report_kinds);
	tcase_add_test(tc, test_report_link);
	tcase_add_test(tc, test_report_renamed);
	tcase_add_test(tc, test_auth_frames);
	tcase_add_test(tc, test_auth_handshake);
	suite_add_tcase(s, tc);
	return s;
}
