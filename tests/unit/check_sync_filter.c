// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/filter (conntrackd's Filter) and of its BPF program.
 * A table of rows, each a filter, a flow and the verdict upstream's
 * ct_filter_check/ct_filter_sanity_check gives: every set kind with Accept
 * and Ignore, IPv4/IPv6 hosts and networks, the reply source after NAT,
 * TCP states, non-TCP flows under a State set, missing addresses,
 * unconfigured sets and combinations. Each row is checked three ways:
 * sync_filter_match() on the flow as built, on the flow encoded as an
 * event and decoded again, and the compiled program run by ct_bpf_run()
 * on that event. Then real kernel events (tests/data/ct_events.hex),
 * random sets against a linear reference, the size limit, the anomalies
 * the program passes on, the validation of sync_filter_new() and the
 * ExpectationSync filter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/encode.h"
#include "nl/msg.h"
#include "sync/filter.h"
#include "sync/filter_int.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

#define NETS_MAX 8192

/* ---- filters from a line ------------------------------------------------
 * "P+ 6 17; A- 10.0.0.0/8 ::1; S+ 3": Protocol/Address/State, + Accept,
 * - Ignore, then the values; "N ..." gives networks without configuring
 * the Address set. Protocols by number or as tcp, udp, icmp, icmpv6, gre,
 * sctp. */

static struct sync_conf_net nets[NETS_MAX];

static unsigned int proto_num(const char *s)
{
	static const struct { const char *n; unsigned int v; } names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "gre", 47 }, { "sctp", 132 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].n) == 0)
			return names[i].v;
	return (unsigned int)strtoul(s, NULL, 0);
}

static void net_parse(const char *s, struct sync_conf_net *n)
{
	char buf[64];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(n, 0, sizeof(*n));
	n->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(n->family, buf, &n->addr), 1);
	n->plen = (uint8_t)(slash ? atoi(slash + 1) :
			    n->family == AF_INET ? 32 : 128);
}

static void conf_of(const char *spec, struct sync_conf_filter *cf)
{
	char buf[1024], *save = NULL;

	memset(cf, 0, sizeof(*cf));
	cf->nets = nets;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *part = strtok_r(buf, ";", &save); part;
	     part = strtok_r(NULL, ";", &save)) {
		char *s2 = NULL, *kind = strtok_r(part, " ", &s2), *v;
		int ign = kind[1] == '-';

		if (kind[0] == 'P') {
			cf->set |= SYNC_FILTER_PROTO;
			cf->proto_ignore = (uint8_t)ign;
		} else if (kind[0] == 'A') {
			cf->set |= SYNC_FILTER_ADDR;
			cf->addr_ignore = (uint8_t)ign;
		} else if (kind[0] == 'S') {
			cf->set |= SYNC_FILTER_STATE;
			cf->state_ignore = (uint8_t)ign;
		}
		while ((v = strtok_r(NULL, " ", &s2))) {
			unsigned int x;

			switch (kind[0]) {
			case 'P':
				x = proto_num(v);
				cf->proto[x / 8] |= (uint8_t)(1 << x % 8);
				break;
			case 'S':
				cf->states |= (uint16_t)(1 << atoi(v));
				break;
			default:
				net_parse(v, &nets[cf->n_nets++]);
			}
		}
	}
}

/* ---- flows from a line --------------------------------------------------
 * "tcp 1.1.1.1>2.2.2.2 [3.3.3.3>1.1.1.1] [st=3] [noreply]": the protocol
 * ("none": no CTA_PROTO_NUM), the orig addresses (either may be left
 * out), the reply's (default: the orig ones swapped; "-" for a reply
 * tuple without addresses), the TCP state, no reply tuple at all. */

static void addr_set(struct ct_tuple *t, const char *s, int dst)
{
	union ct_addr *a = dst ? &t->dst : &t->src;

	if (!*s)
		return;
	t->l3 = strchr(s, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(t->l3, s, a), 1);
	t->set |= dst ? CT_TUPLE_DST : CT_TUPLE_SRC;
}

static void tuple_addrs(struct ct_tuple *t, const char *s)
{
	char buf[128], *gt;

	snprintf(buf, sizeof(buf), "%s", s);
	gt = strchr(buf, '>');
	ck_assert_ptr_nonnull(gt);
	*gt = '\0';
	addr_set(t, buf, 0);
	addr_set(t, gt + 1, 1);
}

static void flow_of(const char *spec, struct ct_entry *e)
{
	char buf[256], *save = NULL, *tok;
	int ntuples = 0, noreply = 0;

	memset(e, 0, sizeof(*e));
	snprintf(buf, sizeof(buf), "%s", spec);
	tok = strtok_r(buf, " ", &save);
	e->set = CT_ORIG | CT_REPLY | CT_STATUS;
	if (strcmp(tok, "none") != 0) {
		e->orig.set = e->reply.set = CT_TUPLE_PROTO;
		e->orig.l4 = e->reply.l4 = (uint8_t)proto_num(tok);
	}
	while ((tok = strtok_r(NULL, " ", &save))) {
		if (strncmp(tok, "st=", 3) == 0) {
			e->set |= CT_TCP;
			e->tcp.state = (uint8_t)atoi(tok + 3);
		} else if (strcmp(tok, "noreply") == 0) {
			noreply = 1;
		} else if (strcmp(tok, "-") == 0) {
			ntuples++;
		} else {
			tuple_addrs(ntuples++ ? &e->reply : &e->orig, tok);
		}
	}
	if (ntuples == 1) {
		struct ct_tuple *o = &e->orig, *r = &e->reply;

		r->l3 = o->l3;
		r->src = o->dst;
		r->dst = o->src;
		r->set |= (o->set & CT_TUPLE_SRC ? CT_TUPLE_DST : 0) |
			  (o->set & CT_TUPLE_DST ? CT_TUPLE_SRC : 0);
	}
	if (noreply)
		e->set &= ~(uint64_t)CT_REPLY;
	e->family = e->orig.l3 ? e->orig.l3 : AF_INET;
	if (!e->orig.l3)
		e->orig.l3 = e->family;
	if (!e->reply.l3)
		e->reply.l3 = e->family;
}

/* @e as the kernel's event message; returns its length. */
static size_t event_of(const struct ct_entry *e, unsigned char *buf,
		       size_t cap)
{
	struct nl_msg m;

	nl_msg_init(&m, buf, cap);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_NEW, NLM_F_CREATE, 0,
					   e->family), 0);
	ck_assert_int_eq(ct_entry_put_new(&m, e), 0);
	nl_msg_end(&m);
	return m.len;
}

/* ---- the table ---------------------------------------------------------- */

struct row {
	const char *filter;	/* NULL: no filter at all */
	const char *flow;
	int want;
};

#define NAT_IN "tcp 1.1.1.1>203.0.113.1 10.0.0.5>1.1.1.1"	/* DNAT */
#define NAT_OUT "udp 10.0.0.5>8.8.8.8 8.8.8.8>203.0.113.1"	/* SNAT */
#define V6 "2001:db8::1>2001:db8:1::2"

static const struct row rows[] = {
	/* Protocol */
	{ "P+ tcp", "tcp 1.1.1.1>2.2.2.2", 1 },
	{ "P+ tcp", "udp 1.1.1.1>2.2.2.2", 0 },
	{ "P- tcp", "tcp 1.1.1.1>2.2.2.2", 0 },
	{ "P- tcp", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "P+ udp icmp gre 255", "icmp 1.1.1.1>2.2.2.2", 1 },
	{ "P+ udp icmp gre 255", "255 1.1.1.1>2.2.2.2", 1 },
	{ "P+ udp icmp gre 255", "sctp " V6, 0 },
	{ "P- udp icmp gre 255", "sctp " V6, 1 },
	{ "P+ tcp", "none 1.1.1.1>2.2.2.2", 0 },	/* no protocol: 0 */
	{ "P+ 0", "none 1.1.1.1>2.2.2.2", 1 },
	{ "P- tcp", "none 1.1.1.1>2.2.2.2", 1 },
	{ "P+", "tcp 1.1.1.1>2.2.2.2", 0 },		/* empty set */
	{ "P-", "tcp 1.1.1.1>2.2.2.2", 1 },
	/* Address, IPv4: orig source or reply source */
	{ "A+ 1.1.1.1", "tcp 1.1.1.1>2.2.2.2", 1 },
	{ "A+ 1.1.1.1", "tcp 2.2.2.2>1.1.1.1", 1 },	/* reply src */
	{ "A+ 1.1.1.1", "tcp 2.2.2.2>3.3.3.3", 0 },
	{ "A+ 1.1.1.1", "tcp 2.2.2.2>1.1.1.1 3.3.3.3>2.2.2.2", 0 },
	{ "A+ 10.0.0.0/8", NAT_IN, 1 },			/* after DNAT */
	{ "A+ 203.0.113.1", NAT_IN, 0 },		/* orig dst only */
	{ "A- 10.0.0.0/8", NAT_IN, 0 },
	{ "A+ 203.0.113.0/24", NAT_OUT, 0 },		/* reply dst only */
	{ "A+ 8.8.8.8", NAT_OUT, 1 },
	{ "A- 10.0.0.0/8", "tcp 10.1.2.3>2.2.2.2", 0 },
	{ "A- 10.0.0.0/8", "tcp 11.0.0.1>2.2.2.2", 1 },
	{ "A- 1.2.3.4", "udp 1.2.3.4>2.2.2.2", 0 },
	{ "A- 1.2.3.4", "udp 1.2.3.5>2.2.2.2", 1 },
	{ "A+ 1.2.3.4/32", "udp 1.2.3.4>2.2.2.2", 1 },
	{ "A+ 0.0.0.0/0", "udp 9.9.9.9>8.8.8.8", 1 },
	{ "A+ 0.0.0.0/0", "udp " V6, 0 },		/* v4 sets only */
	{ "A+ 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12 5.6.7.8",
	  "tcp 172.31.255.255>1.1.1.1", 1 },
	{ "A+ 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12 5.6.7.8",
	  "tcp 172.32.0.0>1.1.1.1", 0 },
	{ "A+ 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12 5.6.7.8",
	  "tcp 1.1.1.1>5.6.7.8", 1 },
	{ "A+ 128.0.0.0/1", "tcp 127.255.255.255>1.1.1.1", 0 },
	{ "A+ 128.0.0.0/1", "tcp 128.0.0.0>1.1.1.1", 1 },
	{ "A+ 10.0.0.6/31", "tcp 10.0.0.7>1.1.1.1", 1 },
	{ "A+ 10.0.0.6/31", "tcp 10.0.0.8>1.1.1.1", 0 },
	{ "A+ 10.9.9.9/8", "tcp 10.0.0.1>1.1.1.1", 1 },	/* host bits */
	{ "A- 2001:db8::/32", "tcp 1.1.1.1>2.2.2.2", 1 },
	{ "A+ 2001:db8::/32", "tcp 1.1.1.1>2.2.2.2", 0 },
	/* Address, IPv6 */
	{ "A+ 2001:db8::/32", "tcp 2001:db8:1::1>2001:db9::1", 1 },
	{ "A+ 2001:db8::/32", "tcp 2001:db9::1>2001:db7::1", 0 },
	{ "A+ 2001:db8::/32", "tcp 2001:db9::1>2001:db8::7", 1 },
	{ "A+ 2001:db8::1", "udp " V6, 1 },
	{ "A+ 2001:db8::2", "udp " V6, 0 },
	{ "A- 2001:db8:0:1::/64", "udp 2001:db8:0:1::5>::1 ::2>2001:db8::", 0 },
	{ "A- 2001:db8:0:1::/64", "udp 2001:db8:0:2::5>::1 ::2>2001:db8::", 1 },
	{ "A+ ::/0", "udp " V6, 1 },
	{ "A+ ::ffff:1.1.1.1", "tcp 1.1.1.1>2.2.2.2", 0 },
	{ "A+ 1.1.1.1 2001:db8::/32", "tcp 3.3.3.3>4.4.4.4", 0 },
	{ "A+ 1.1.1.1 2001:db8::/32", "tcp 2001:db8::5>::9", 1 },
	{ "A+ 2001:db8:8000::/33", "tcp 2001:db8:7fff::1>::9", 0 },
	{ "A+ 2001:db8:8000::/33", "tcp 2001:db8:8000::1>::9", 1 },
	{ "A+ 2001:db8::1:0:0:0/80 ::1", "tcp 2001:db8::1:0:ff:1>::9", 1 },
	{ "A+ 2001:db8::1:0:0:0/80 ::1", "tcp 2001:db8::2:1:ff:1>::9", 0 },
	{ "A+ 2001:db8::4/127", "tcp 2001:db8::5>::9", 1 },
	{ "A+ 2001:db8::4/127", "tcp 2001:db8::6>::9", 0 },
	{ "A+ fe80::/10 fe80::1 2001:db8::/48 2001:db8::/64",
	  "tcp ff00::1>::9 2001:db8:0:ffff::1>ff00::1", 1 },
	{ "A+ fe80::/10 fe80::1 2001:db8::/48 2001:db8::/64",
	  "tcp ff00::1>::9 2001:db8:1::1>ff00::1", 0 },
	{ "A+", "tcp 1.1.1.1>2.2.2.2", 0 },		/* empty set */
	{ "A-", "tcp " V6, 1 },
	/* State: TCP flows with a state only */
	{ "S+ 3", "tcp 1.1.1.1>2.2.2.2 st=3", 1 },
	{ "S+ 3", "tcp 1.1.1.1>2.2.2.2 st=1", 0 },
	{ "S- 3", "tcp 1.1.1.1>2.2.2.2 st=3", 0 },
	{ "S- 3", "tcp 1.1.1.1>2.2.2.2 st=1", 1 },
	{ "S+ 1 2 3 4 5 6 7 8 9", "tcp " V6 " st=8", 1 },
	{ "S+ 1 2 3 4 5 6 7 8 9", "tcp " V6 " st=0", 0 },
	{ "S+ 3", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "S+ 3", "sctp 1.1.1.1>2.2.2.2 st=1", 1 },	/* a tcp state, no tcp */
	{ "S- 3", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "S+ 3", "tcp 1.1.1.1>2.2.2.2", 1 },		/* no state */
	{ "S+", "tcp 1.1.1.1>2.2.2.2 st=3", 0 },
	{ "S-", "tcp 1.1.1.1>2.2.2.2 st=3", 1 },
	{ "S+ 0 15", "tcp 1.1.1.1>2.2.2.2 st=15", 1 },
	{ "S+ 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
	  "tcp 1.1.1.1>2.2.2.2 st=20", 0 },
	{ "S- 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
	  "tcp 1.1.1.1>2.2.2.2 st=20", 1 },
	/* flows without the addresses of their family: dropped always */
	{ NULL, "tcp 1.1.1.1>2.2.2.2", 1 },
	{ NULL, "tcp 1.1.1.1>2.2.2.2 noreply", 0 },
	{ "", "tcp 1.1.1.1>2.2.2.2 noreply", 0 },
	{ "P+ tcp", "tcp 1.1.1.1>2.2.2.2 -", 0 },
	{ NULL, "tcp >2.2.2.2", 0 },
	{ NULL, "tcp 1.1.1.1>2.2.2.2 >1.1.1.1", 0 },
	{ NULL, "tcp 1.1.1.1>2.2.2.2 2001:db8::1>::1", 0 },
	{ NULL, "tcp 2001:db8::1>::1 1.1.1.1>2.2.2.2", 0 },
	{ NULL, "tcp 2001:db8::1>::1 >2.2.2.2", 0 },
	{ NULL, "tcp 2001:db8::1>::1 ::2>", 1 },
	{ NULL, "none -", 0 },
	/* unconfigured sets pass */
	{ "", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "N 1.1.1.1", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "N 9.9.9.9", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "A+ 9.9.9.9", "udp 1.1.1.1>2.2.2.2", 0 },
	/* combinations: every configured set must pass */
	{ "P+ tcp; A- 10.0.0.0/8; S+ 3", "tcp 1.1.1.1>2.2.2.2 st=3", 1 },
	{ "P+ tcp; A- 10.0.0.0/8; S+ 3", "tcp 10.0.0.1>2.2.2.2 st=3", 0 },
	{ "P+ tcp; A- 10.0.0.0/8; S+ 3", "udp 1.1.1.1>2.2.2.2", 0 },
	{ "P+ tcp; A- 10.0.0.0/8; S+ 3", "tcp 1.1.1.1>2.2.2.2 st=1", 0 },
	{ "P+ tcp udp; S+ 3", "udp 1.1.1.1>2.2.2.2", 1 },
	{ "P- udp; A+ 2001:db8::/32; S- 7",
	  "tcp 2001:db8::1>::1 st=3", 1 },
	{ "P- udp; A+ 2001:db8::/32; S- 7",
	  "tcp 2001:db8::1>::1 st=7", 0 },
	{ "P- udp; A+ 2001:db8::/32; S- 7", "udp 2001:db8::1>::1", 0 },
	{ "P- udp; A+ 2001:db8::/32; S- 7", "icmpv6 ::2>::1", 0 },
	{ "P- udp; A+ 2001:db8::/32; S- 7", "icmpv6 ::2>2001:db8::3", 1 },
};

START_TEST(table_rows)
{
	static struct ct_bpf_prog p;
	const struct row *r = &rows[_i];
	unsigned char buf[1024];
	struct sync_conf_filter cf;
	struct sync_filter *f = NULL;
	struct ct_entry e, d;
	size_t n;

	if (r->filter) {
		conf_of(r->filter, &cf);
		ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	}
	flow_of(r->flow, &e);
	ck_assert_msg(sync_filter_match(f, &e) == r->want, "row %d '%s' / "
		      "'%s': want %d", _i, r->filter, r->flow, r->want);
	n = event_of(&e, buf, sizeof(buf));
	ck_assert_int_eq(ct_entry_decode((const struct nlmsghdr *)(void *)buf,
					 &d, NULL), 0);
	ck_assert_msg(sync_filter_match(f, &d) == r->want, "row %d decoded",
		      _i);
	ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), 0);
	ck_assert_int_eq(ct_bpf_check(p.insn, p.len), 0);
	ck_assert_msg(ct_bpf_run(p.insn, p.len, buf, n) ==
		      (r->want ? CT_BPF_ACCEPT : CT_BPF_DROP),
		      "row %d '%s' / '%s': bpf (%u insns)", _i, r->filter,
		      r->flow, p.len);
	sync_filter_free(f);
}
END_TEST

/* ---- real kernel events --------------------------------------------------
 * tests/data/ct_events.hex (make_events.sh), by index:
 *  0 NEW tcp4 1.1.1.1->2.2.2.2 ESTABLISHED   9 DESTROY #6
 *  1 UPDATE #0                              10 DESTROY #7
 *  2 NEW udp6 2001:db8::1->2001:db8::2      11 NEW udp4 127.0.0.1->127.0.0.1
 *  3 NEW icmp 3.3.3.3->4.4.4.4              12 UPDATE #11
 *  4 DESTROY #0                             13 NEW gre 5.5.5.5->6.6.6.6
 *  5 DESTROY #2                             14 DESTROY #13
 *  6 NEW tcp4 10.0.0.1->10.255.0.1 ESTAB.   15 DESTROY #8
 *  7 NEW tcp4 10.0.0.2->10.255.0.1          16 DESTROY #3
 *  8 NEW tcp4 10.0.0.3->10.255.0.1          17 DESTROY #11
 */
#define EVENTS "tests/data/ct_events.hex"
#define NEV 18
#define ALL_EV 0x3ffffU
#define EV(i) (1U << (i))

static const struct {
	const char *filter;
	uint32_t want;
} ev_rows[] = {
	{ NULL, ALL_EV },
	{ "P+ tcp", EV(0) | EV(1) | EV(4) | EV(6) | EV(7) | EV(8) | EV(9) |
		    EV(10) | EV(15) },
	{ "P- tcp udp", EV(3) | EV(13) | EV(14) | EV(16) },
	{ "A+ 10.0.0.0/8", EV(6) | EV(7) | EV(8) | EV(9) | EV(10) | EV(15) },
	{ "A- 127.0.0.1 5.5.5.0/24", ALL_EV & ~(EV(11) | EV(12) | EV(17) |
						EV(13) | EV(14)) },
	{ "A+ 2001:db8::2", EV(2) | EV(5) },
	{ "A+ 4.4.4.4", EV(3) | EV(16) },
	{ "S+ 3", ALL_EV },
	{ "S- 3", EV(2) | EV(3) | EV(5) | EV(11) | EV(12) | EV(13) | EV(14) |
		  EV(16) | EV(17) },
	{ "P+ tcp icmp; A- 10.0.0.2 10.0.0.3; S+ 3",
	  EV(0) | EV(1) | EV(3) | EV(4) | EV(6) | EV(9) | EV(16) },
};

static int no_data(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return 0;
}

START_TEST(kernel_events)
{
	static struct ct_bpf_prog p;
	static unsigned char *ev[NEV];
	static unsigned int nev;
	struct sync_conf_filter cf;
	struct sync_filter *f = NULL;
	uint32_t user = 0, kern = 0;

	if (!nev)
		nev = fixture_replay(EVENTS, no_data, NULL, ev, NEV);
	ck_assert_uint_eq(nev, NEV);
	if (ev_rows[_i].filter) {
		conf_of(ev_rows[_i].filter, &cf);
		ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	}
	ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), 0);
	for (unsigned int i = 0; i < NEV; i++) {
		const struct nlmsghdr *h = (const void *)ev[i];
		struct ct_entry e;

		ck_assert_int_eq(ct_entry_decode(h, &e, NULL), 0);
		if (sync_filter_match(f, &e))
			user |= EV(i);
		if (ct_bpf_run(p.insn, p.len, ev[i], h->nlmsg_len) ==
		    CT_BPF_ACCEPT)
			kern |= EV(i);
	}
	ck_assert_msg(user == ev_rows[_i].want, "row %d: userspace 0x%x, "
		      "want 0x%x", _i, user, ev_rows[_i].want);
	ck_assert_msg(kern == user, "row %d: bpf 0x%x", _i, kern);
	sync_filter_free(f);
}
END_TEST

/* ---- random sets against a linear reference ------------------------------ */

static uint64_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 16);
}

/* Addresses near a few bases, so that flows and sets meet. */
static void rnd_addr(uint8_t l3, union ct_addr *a)
{
	static const uint8_t base6[3][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 },
		{ 0xfe, 0x80 },
	};
	uint32_t r = rnd();

	memset(a, 0, sizeof(*a));
	if (l3 == AF_INET) {
		a->v6[0] = (uint8_t)(r % 3 ? 10 : 192);
		a->v6[1] = (uint8_t)(rnd() % 4);
		a->v6[2] = (uint8_t)(rnd() % 8);
		a->v6[3] = (uint8_t)(rnd() % 64);
		return;
	}
	memcpy(a->v6, base6[r % 3], 16);
	a->v6[7] |= (uint8_t)(rnd() % 4);
	a->v6[8] = (uint8_t)(rnd() % 4 ? 0 : rnd());
	a->v6[12] = (uint8_t)(rnd() % 2);
	a->v6[15] = (uint8_t)(rnd() % 16);
}

static bool ref_addr(const struct sync_conf_filter *cf, uint8_t l3,
		     const union ct_addr *a)
{
	for (size_t i = 0; i < cf->n_nets; i++) {
		const struct sync_conf_net *n = &cf->nets[i];
		union ct_addr m;
		size_t k;

		if (n->family != l3)
			continue;
		sync_filter_mask(&m, n->plen, l3 == AF_INET ? 1 : 4);
		for (k = 0; k < 16; k++)
			if ((a->v6[k] & m.v6[k]) != (n->addr.v6[k] & m.v6[k]))
				break;
		if (k == 16)
			return true;
	}
	return false;
}

/* upstream's ct_filter_check, written out plainly */
static bool ref_match(const struct sync_conf_filter *cf,
		      const struct ct_entry *e)
{
	uint8_t l4 = e->orig.l4;
	bool in;

	if (cf->set & SYNC_FILTER_PROTO) {
		in = cf->proto[l4 / 8] & (1 << l4 % 8);
		if (in == !!cf->proto_ignore)
			return false;
	}
	if (cf->set & SYNC_FILTER_ADDR) {
		in = ref_addr(cf, e->orig.l3, &e->orig.src) ||
		     ref_addr(cf, e->orig.l3, &e->reply.src);
		if (in == !!cf->addr_ignore)
			return false;
	}
	if ((cf->set & SYNC_FILTER_STATE) && l4 == 6 && (e->set & CT_TCP)) {
		in = e->tcp.state < 16 && (cf->states >> e->tcp.state & 1);
		if (in == !!cf->state_ignore)
			return false;
	}
	return true;
}

static void rnd_conf(struct sync_conf_filter *cf, size_t nnets)
{
	static const uint8_t plen4[] = { 0, 8, 16, 22, 24, 30, 31, 32, 32 };
	static const uint8_t plen6[] = { 16, 32, 48, 63, 64, 65, 96, 127, 128,
					 128 };

	memset(cf, 0, sizeof(*cf));
	cf->set = (uint8_t)(rnd() % 8);
	cf->proto_ignore = rnd() & 1;
	cf->addr_ignore = rnd() & 1;
	cf->state_ignore = rnd() & 1;
	cf->proto[0] = (uint8_t)rnd();		/* 0..7: icmp, tcp */
	cf->proto[2] = (uint8_t)rnd();		/* 16..23: udp */
	cf->states = (uint16_t)rnd();
	cf->nets = nets;
	for (size_t i = 0; i < nnets; i++) {
		struct sync_conf_net *n = &nets[cf->n_nets++];

		n->family = rnd() % 3 ? AF_INET : AF_INET6;
		n->plen = n->family == AF_INET ? plen4[rnd() % 9] :
						  plen6[rnd() % 10];
		if (rnd() % 64 == 0)
			n->plen = (uint8_t)(rnd() % (n->family == AF_INET ?
						     33 : 129));
		rnd_addr(n->family, &n->addr);
	}
}

static void rnd_flow(struct ct_entry *e)
{
	static const uint8_t l4s[] = { 6, 6, 17, 1, 58, 132, 0 };
	uint8_t l3 = rnd() % 3 ? AF_INET : AF_INET6;

	memset(e, 0, sizeof(*e));
	e->family = l3;
	e->set = CT_ORIG | CT_REPLY;
	e->orig.l3 = e->reply.l3 = l3;
	e->orig.l4 = e->reply.l4 = l4s[rnd() % 7];
	e->orig.set = e->reply.set = CT_TUPLE_SRC | CT_TUPLE_DST |
				     (e->orig.l4 ? CT_TUPLE_PROTO : 0);
	rnd_addr(l3, &e->orig.src);
	rnd_addr(l3, &e->orig.dst);
	rnd_addr(l3, &e->reply.src);
	e->reply.dst = e->orig.src;
	if (rnd() % 4) {
		e->set |= CT_TCP;
		e->tcp.state = (uint8_t)(rnd() % 12);
	}
}

START_TEST(random_sets)
{
	static struct ct_bpf_prog p;
	static const size_t sizes[] = { 0, 1, 3, 10, 40, 100, 300, 700 };
	unsigned char buf[1024];

	rnd_state = 0x9e3779b97f4a7c15ULL + (uint64_t)_i;
	for (int round = 0; round < 40; round++) {
		struct sync_conf_filter cf;
		struct sync_filter *f;

		rnd_conf(&cf, sizes[(size_t)round % 8]);
		ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
		ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), 0);
		for (int i = 0; i < 64; i++) {
			struct ct_entry e;
			bool want;
			size_t n;

			rnd_flow(&e);
			want = ref_match(&cf, &e);
			ck_assert_msg(sync_filter_match(f, &e) == want,
				      "seed %d round %d flow %d", _i, round, i);
			n = event_of(&e, buf, sizeof(buf));
			ck_assert_msg(ct_bpf_run(p.insn, p.len, buf, n) ==
				      (want ? CT_BPF_ACCEPT : CT_BPF_DROP),
				      "seed %d round %d flow %d: bpf", _i,
				      round, i);
		}
		sync_filter_free(f);
	}
}
END_TEST

/* ---- the size limit ------------------------------------------------------ */

static void hosts(struct sync_conf_filter *cf, size_t n, int ignore)
{
	memset(cf, 0, sizeof(*cf));
	cf->set = SYNC_FILTER_ADDR;
	cf->addr_ignore = (uint8_t)ignore;
	cf->nets = nets;
	cf->n_nets = n;
	for (size_t i = 0; i < n; i++) {
		uint32_t a = htonl(0x0a000000U + 3 * (uint32_t)i);

		memset(&nets[i], 0, sizeof(nets[i]));
		nets[i].family = AF_INET;
		nets[i].plen = 32;
		memcpy(&nets[i].addr, &a, 4);
	}
}

START_TEST(many_hosts)
{
	static struct ct_bpf_prog p;
	unsigned char buf[512];
	struct sync_conf_filter cf;
	struct sync_filter *f;
	struct ct_entry e;
	size_t n;

	/* 1500 hosts compile; every third address of 10/8 is one */
	hosts(&cf, 1500, 0);
	ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), 0);
	ck_assert_uint_le(p.len, CT_BPF_MAXINSNS);
	for (uint32_t i = 0; i < 4600; i += 7) {
		uint32_t a = htonl(0x0a000000U + i);

		flow_of("tcp 1.1.1.1>2.2.2.2", &e);
		memcpy(&e.orig.src, &a, 4);
		n = event_of(&e, buf, sizeof(buf));
		ck_assert_int_eq(sync_filter_match(f, &e),
				 i % 3 == 0 && i / 3 < 1500);
		ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, buf, n),
				  i % 3 == 0 && i / 3 < 1500 ? CT_BPF_ACCEPT :
				  CT_BPF_DROP);
	}
	sync_filter_free(f);
	/* 4000 do not: the daemon then filters in userspace only */
	hosts(&cf, 4000, 1);
	ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), -E2BIG);
	flow_of("tcp 10.0.46.221>2.2.2.2", &e);		/* 3 * 3999 */
	ck_assert(!sync_filter_match(f, &e));
	flow_of("tcp 10.0.46.222>2.2.2.2", &e);
	ck_assert(sync_filter_match(f, &e));
	sync_filter_free(f);
	ck_assert_int_eq(sync_filter_bpf(NULL, NULL, 0, NULL), -EINVAL);
}
END_TEST

/* ---- what the program passes on ------------------------------------------ */

static void set_len(unsigned char *b, size_t n)
{
	uint32_t len = (uint32_t)n;

	memcpy(b, &len, 4);
}

START_TEST(anomalies)
{
	static struct ct_bpf_prog p;
	unsigned char b[1024], two[2048];
	struct sync_conf_filter cf;
	struct sync_filter *f;
	struct ct_entry e, d;
	struct nl_msg m;
	size_t n;
	uint16_t t;

	conf_of("A- 10.0.0.0/8", &cf);
	ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	ck_assert_int_eq(sync_filter_bpf(f, NULL, 0, &p), 0);
	flow_of("tcp 1.1.1.1>2.2.2.2", &e);
	n = event_of(&e, b, sizeof(b));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);

	/* a second CTA_TUPLE_ORIG from 10.0.0.1: the decoder keeps it and
	 * drops the flow; NLATTR would see the first: not judged */
	nl_msg_init(&m, b, sizeof(b));
	m.len = n;
	m.cur = 0;
	m.open = 1;
	flow_of("tcp 10.0.0.1>2.2.2.2", &d);
	ck_assert_int_eq(ct_tuple_put(&m, CTA_TUPLE_ORIG, &d.orig), 0);
	nl_msg_end(&m);
	ck_assert_int_eq(ct_entry_decode((const void *)b, &d, NULL), 0);
	ck_assert(!sync_filter_match(f, &d));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, m.len), CT_BPF_ACCEPT);

	/* no CTA_TUPLE_ORIG (only a non-linear skb looks so): not judged */
	flow_of("tcp 10.0.0.1>2.2.2.2", &e);
	e.set &= ~(uint64_t)CT_ORIG;
	n = event_of(&e, b, sizeof(b));
	ck_assert_int_eq(ct_entry_decode((const void *)b, &d, NULL), 0);
	ck_assert(!sync_filter_match(f, &d));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);

	/* a flow the filter drops, then the same bytes as something else */
	flow_of("tcp 10.0.0.1>2.2.2.2", &e);
	n = event_of(&e, b, sizeof(b));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	memcpy(two, b, n);
	memcpy(two + n, b, n);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, 2 * n),
			  CT_BPF_ACCEPT);		/* two messages */
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, n + 4),
			  CT_BPF_ACCEPT);		/* trailing bytes */
	set_len(two, n + 4);	/* they are the message's: it is malformed */
	ck_assert_int_lt(ct_entry_decode((const void *)two, &d, NULL), 0);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, 18), CT_BPF_ACCEPT);
	t = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW;
	memcpy(two, b, n);
	memcpy(two + 4, &t, 2);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, n), CT_BPF_ACCEPT);
	t = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	memcpy(two + 4, &t, 2);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, n), CT_BPF_ACCEPT);
	t = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;
	memcpy(two + 4, &t, 2);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, n), CT_BPF_DROP);

	/* CTA_IP_V4_SRC of 5 bytes: the decoder refuses it; not judged */
	memcpy(two, b, n);
	for (size_t i = 20; i + 8 <= n; i += 4)
		if (memcmp(two + i + 4, &e.orig.src, 4) == 0 &&
		    two[i] == 8 && two[i + 2] == CTA_IP_V4_SRC) {
			two[i] = 5;
			break;
		}
	ck_assert_int_eq(ct_entry_decode((const void *)two, &d, NULL),
			 -ERANGE);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, n), CT_BPF_ACCEPT);
	sync_filter_free(f);
}
END_TEST

/* ---- building -------------------------------------------------------------- */

START_TEST(new_rules)
{
	struct sync_conf_filter cf;
	struct sync_filter *f = (void *)&cf;

	/* a failing row per rule */
	conf_of("A+ 1.1.1.1", &cf);
	nets[0].family = 7;
	ck_assert_int_eq(sync_filter_new(&f, &cf), -EINVAL);
	ck_assert_ptr_null(f);
	conf_of("A+ 1.1.1.1", &cf);
	nets[0].plen = 33;
	ck_assert_int_eq(sync_filter_new(&f, &cf), -EINVAL);
	conf_of("A+ ::1", &cf);
	nets[0].plen = 129;
	ck_assert_int_eq(sync_filter_new(&f, &cf), -EINVAL);
	conf_of("A+ ::1", &cf);
	cf.nets = NULL;
	ck_assert_int_eq(sync_filter_new(&f, &cf), -EINVAL);

	/* NULL is the empty filter */
	ck_assert_int_eq(sync_filter_new(&f, NULL), 0);
	ck_assert_uint_eq(f->set, 0);
	sync_filter_free(f);
	sync_filter_free(NULL);

	/* repeats are kept once, IPv6 ones too (upstream looks for an IPv6
	 * network's repeat among the IPv4 ones); 1.2.3.4/24 is 1.2.3.0/24 */
	conf_of("A+ 2001:db8::/32 2001:db8::/32 2001:db8:1::/32 1.2.3.0/24 "
		"1.2.3.4/24 1.2.3.4 1.2.3.4/32 ::1 ::1/128", &cf);
	ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	ck_assert_uint_eq(f->addr[1].n, 2);
	ck_assert_uint_eq(f->addr[1].nplen, 2);
	ck_assert_uint_eq(f->addr[1].plen[0], 128);
	ck_assert_uint_eq(f->addr[1].plen[1], 32);
	ck_assert_uint_eq(f->addr[0].n, 2);
	ck_assert_uint_eq(f->addr[0].nplen, 2);
	sync_filter_free(f);
}
END_TEST

/* ---- ExpectationSync -------------------------------------------------------- */

START_TEST(expectations)
{
	static struct sync_conf c;
	static const struct {
		uint8_t mode;
		const char *helper;	/* NULL: none in the expectation */
		bool want;
	} t[] = {
		{ 0, "ftp", false }, { 1, "ftp", true }, { 1, NULL, true },
		{ 2, "ftp", true }, { 2, "FTP", true }, { 2, "sip-5060", true },
		{ 2, "tftp", false }, { 2, "h323", false }, { 2, NULL, false },
		{ 2, "si", false },
	};
	struct ct_expect x;

	memset(&c, 0, sizeof(c));
	snprintf(c.sync.expect_helpers[0], SYNC_CONF_HELPER_NAME, "ftp");
	snprintf(c.sync.expect_helpers[1], SYNC_CONF_HELPER_NAME, "sip");
	c.sync.n_expect_helpers = 2;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&x, 0, sizeof(x));
		c.sync.expect_sync = t[i].mode;
		if (t[i].helper) {
			x.set = CT_EXP_HELPER;
			x.helper = t[i].helper;
		}
		ck_assert_msg(sync_filter_expect(&c, &x) == t[i].want,
			      "row %zu", i);
	}
	/* `ExpectationSync { }': upstream then filters nothing */
	c.sync.expect_sync = 2;
	c.sync.n_expect_helpers = 0;
	ck_assert(sync_filter_expect(&c, &x));
}
END_TEST

/* ---- the events our own injections cause -------------------------------- */

static void set_portid(unsigned char *b, uint32_t pid)
{
	memcpy(b + 12, &pid, 4);		/* nlmsg_pid */
}

START_TEST(own_portid)
{
	static const uint32_t pid = 0x12345678U, seven = 7;
	static struct ct_bpf_prog p;
	unsigned char b[1024];
	struct sync_conf_filter cf;
	struct sync_filter *f;
	struct ct_entry e;
	size_t n;

	flow_of("tcp 1.1.1.1>2.2.2.2", &e);
	n = event_of(&e, b, sizeof(b));
	/* no Filter: only the drop; the kernel's own events (0) and other
	 * requesters' pass, shorter messages are not judged */
	ck_assert_int_eq(sync_filter_bpf(NULL, &pid, 1, &p), 0);
	ck_assert_uint_le(p.len, 8);
	set_portid(b, 0);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	set_portid(b, 0x78563412U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	set_portid(b, 0x12345678U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, 12), CT_BPF_ACCEPT);
	/* with a Filter: the drop first, then the Filter's verdict */
	conf_of("A- 10.0.0.0/8", &cf);
	ck_assert_int_eq(sync_filter_new(&f, &cf), 0);
	ck_assert_int_eq(sync_filter_bpf(f, &seven, 1, &p), 0);
	set_portid(b, 7);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	set_portid(b, 8);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	flow_of("tcp 10.1.1.1>2.2.2.2", &e);
	n = event_of(&e, b, sizeof(b));
	set_portid(b, 8);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	sync_filter_free(f);
}
END_TEST

/* Two sockets' events dropped (the commit's and the injection's), a 0
 * ignored (the kernel's own events always pass). */
START_TEST(own_portids)
{
	static const uint32_t pids[3] = { 0, 0x1111U, 0x2222U };
	static struct ct_bpf_prog p;
	unsigned char b[1024];
	struct ct_entry e;
	size_t n;

	flow_of("udp 1.1.1.1>2.2.2.2", &e);
	n = event_of(&e, b, sizeof(b));
	ck_assert_int_eq(sync_filter_bpf(NULL, pids, 3, &p), 0);
	ck_assert_int_eq(ct_bpf_check(p.insn, p.len), 0);
	set_portid(b, 0x1111U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	set_portid(b, 0x2222U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);
	set_portid(b, 0);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	set_portid(b, 0x3333U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	/* nothing to skip and no Filter: the same as a NULL list */
	ck_assert_int_eq(sync_filter_bpf(NULL, pids, 1, &p), 0);
	set_portid(b, 0x1111U);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
}
END_TEST

Suite *sync_filter_suite(void)
{
	Suite *s = suite_create("sync_filter");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, table_rows, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_loop_test(tc, kernel_events, 0,
			    (int)(sizeof(ev_rows) / sizeof(ev_rows[0])));
	tcase_add_loop_test(tc, random_sets, 0, 8);
	tcase_add_test(tc, many_hosts);
	tcase_add_test(tc, anomalies);
	tcase_add_test(tc, new_rules);
	tcase_add_test(tc, expectations);
	tcase_add_test(tc, own_portid);
	tcase_add_test(tc, own_portids);
	suite_add_tcase(s, tc);
	return s;
}
