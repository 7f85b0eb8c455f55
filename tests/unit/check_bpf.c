// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/bpf (the event filter compiler, the checker, the
 * interpreter) and of ct/event's message walk: real kernel events
 * (tests/data/ct_events.hex, see make_events.sh) judged by compiled
 * filters in the interpreter, each verdict asserted and compared with
 * decode + ct_filter_match; the event types and port ids upstream derives;
 * anomalies a pre-filter must pass on (duplicates, wrong sizes, two
 * messages in one skb, other subsystems); the NLATTR ancillary loads on
 * hand-made attribute streams; and a failing row for every checker rule.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/event.h"
#include "ct/filter.h"
#include "tests/unit/suites.h"

#define FIXTURE "tests/data/ct_events.hex"
#define MAX_EV 32

static unsigned char *ev_buf[MAX_EV];
static size_t ev_len[MAX_EV];
static unsigned int nev;

static size_t unhex(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned int b;

	while (s[0] && s[1] && sscanf(s, "%2x", &b) == 1) {
		out[n++] = (unsigned char)b;
		s += 2;
	}
	return n;
}

static void load_events(void)
{
	static char line[16384];
	const char *top = getenv("RAWCT_TOP");
	char path[512];
	FILE *f;

	if (nev)
		return;
	snprintf(path, sizeof(path), "%s%s%s", top ? top : "",
		 top ? "/" : "", FIXTURE);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		ck_assert_uint_lt(nev, MAX_EV);
		ev_buf[nev] = malloc(strlen(line) / 2 + 1);
		ck_assert_ptr_nonnull(ev_buf[nev]);
		ev_len[nev] = unhex(line, ev_buf[nev]);
		nev++;
	}
	fclose(f);
	ck_assert_uint_eq(nev, 18);
}

/* ---- filters over the real events --------------------------------------
 * The fixture, by index (see make_events.sh):
 *  0 NEW tcp4 1.1.1.1:10->2.2.2.2:20 mark 7 zone 3    9 DESTROY tcp4 #6
 *  1 UPDATE same, mark 9                              10 DESTROY tcp4 #7
 *  2 NEW udp6 2001:db8::1:53->::2:5353 orig-zone 5    11 NEW udp4 127.0.0.1
 *  3 NEW icmp 3.3.3.3->4.4.4.4 type 8 id 77              4444->5555 (kernel)
 *  4 DESTROY tcp4 #0 (mark 9)                         12 UPDATE #11 (reply)
 *  5 DESTROY udp6 #2                                  13 NEW gre 5.5.5.5 keys
 *  6 NEW tcp4 10.0.0.1:10000->10.255.0.1:80 zone 7       0x11/0x22
 *  7 NEW tcp4 10.0.0.2:10001->:81 mark 1              14 DESTROY gre
 *  8 NEW tcp4 10.0.0.3:10002->:82 mark 2              15 DESTROY #8
 *                                                     16 DESTROY icmp
 *                                                     17 DESTROY udp4 #11
 */

static void addr(uint8_t l3, const char *s, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_eq(inet_pton(l3, s, a), 1);
}

static void tpl_orig(struct ct_filter *f)
{
	f->set |= CT_F_CMP;
	f->tmpl.set |= CT_ORIG;
}

static void build(int row, struct ct_filter *f)
{
	struct ct_tuple *o = &f->tmpl.orig, *r = &f->tmpl.reply;

	memset(f, 0, sizeof(*f));
	switch (row) {
	case 0:		/* nothing */
		break;
	case 1:		/* -f ipv6 */
		f->set = CT_F_FAMILY;
		f->family = AF_INET6;
		break;
	case 2:		/* -p tcp --dport 20 */
		tpl_orig(f);
		o->set = CT_TUPLE_PROTO | CT_TUPLE_DPORT;
		o->l4 = IPPROTO_TCP;
		o->dport = 20;
		break;
	case 3:		/* -m 9 */
		f->set = CT_F_MARK;
		f->mark_value = 9;
		f->mark_mask = UINT32_MAX;
		break;
	case 4:		/* -m 0 : absent mark counts as 0 */
		f->set = CT_F_MARK;
		f->mark_mask = UINT32_MAX;
		break;
	case 5:		/* -u ASSURED */
		f->set = CT_F_STATUS;
		f->status = f->status_mask = IPS_ASSURED;
		break;
	case 6:		/* -w 7 */
		tpl_orig(f);
		f->tmpl.set = CT_ZONE;
		f->tmpl.zone = 7;
		break;
	case 7:		/* -s 10.0.0.0/30 */
		f->set = CT_F_NET_SRC;
		f->net[0].l3 = AF_INET;
		addr(AF_INET, "10.0.0.0", &f->net[0].net);
		addr(AF_INET, "255.255.255.252", &f->net[0].mask);
		break;
	case 8:		/* --orig-zone 5 */
		tpl_orig(f);
		o->set = CT_TUPLE_ZONE;
		o->zone = 5;
		break;
	case 9:		/* -s 2001:db8::1 */
		tpl_orig(f);
		o->set = CT_TUPLE_SRC;
		o->l3 = AF_INET6;
		addr(AF_INET6, "2001:db8::1", &o->src);
		break;
	case 10:	/* -p icmp --icmp-type 8 --icmp-id 77 */
		tpl_orig(f);
		o->set = CT_TUPLE_PROTO | CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_ID;
		o->l4 = IPPROTO_ICMP;
		o->icmp_type = 8;
		o->icmp_id = 77;
		break;
	case 11:	/* -p gre --srckey 0x11 */
		tpl_orig(f);
		o->set = CT_TUPLE_PROTO | CT_TUPLE_SPORT;
		o->l4 = 47;
		o->sport = 0x11;
		break;
	case 12:	/* -p tcp --reply-port-dst 10001 */
		f->set = CT_F_CMP;
		f->tmpl.set = CT_REPLY;
		r->set = CT_TUPLE_PROTO | CT_TUPLE_DPORT;
		r->l4 = IPPROTO_TCP;
		r->dport = 10001;
		break;
	case 13:	/* -p tcp --state ESTABLISHED -t 300 */
		tpl_orig(f);
		f->tmpl.set |= CT_TCP | CT_TIMEOUT;
		o->set = CT_TUPLE_PROTO;
		o->l4 = IPPROTO_TCP;
		f->tmpl.tcp.state = 3;
		f->tmpl.timeout = 300;
		break;
	case 14:	/* -f ipv4 -s 3.3.3.3 -d 4.4.4.4 (no tuple l3) */
		f->set = CT_F_FAMILY;
		f->family = AF_INET;
		tpl_orig(f);
		o->set = CT_TUPLE_SRC | CT_TUPLE_DST;
		o->l3 = AF_INET;
		addr(AF_INET, "3.3.3.3", &o->src);
		addr(AF_INET, "4.4.4.4", &o->dst);
		break;
	case 15:	/* -p udp -m 0/0xffff -u SEEN_REPLY/SEEN_REPLY */
		tpl_orig(f);
		f->set |= CT_F_MARK | CT_F_STATUS;
		o->set = CT_TUPLE_PROTO;
		o->l4 = IPPROTO_UDP;
		f->mark_mask = 0xffff;
		f->status = f->status_mask = IPS_SEEN_REPLY;
		break;
	case 16:	/* -s ::/0 (any IPv6 source) */
		f->set = CT_F_NET_SRC;
		f->net[0].l3 = AF_INET6;
		break;
	case 17:	/* NAT only: not compiled, everything passes to us */
		f->set = CT_F_NAT_ANY;
		break;
	}
}

/* events each row accepts, bit i = fixture event i */
static const uint32_t expect_rows[] = {
	[0] = 0x3ffff,
	[1] = 1 << 2 | 1 << 5,
	[2] = 1 << 0 | 1 << 1 | 1 << 4,
	[3] = 1 << 1 | 1 << 4,
	[4] = 1 << 2 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 9 | 1 << 11 |
	      1 << 12 | 1 << 13 | 1 << 14 | 1 << 16 | 1 << 17,
	[5] = 1 << 0 | 1 << 1 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 9 |
	      1 << 10 | 1 << 15,
	[6] = 1 << 6 | 1 << 9,
	[7] = 1 << 6 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 15,
	[8] = 1 << 2 | 1 << 5,
	[9] = 1 << 2 | 1 << 5,
	[10] = 1 << 3 | 1 << 16,
	[11] = 1 << 13 | 1 << 14,
	[12] = 1 << 7 | 1 << 10,
	[13] = 1 << 6 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10,
	[14] = 1 << 3 | 1 << 16,
	[15] = 1 << 12 | 1 << 17,
	[16] = 1 << 2 | 1 << 5,
	[17] = 0,	/* (userspace: no NAT in the fixture) */
};

static int user_verdict(const struct ct_filter *f, const unsigned char *b,
			size_t n)
{
	struct ct_entry e;

	if (ct_entry_decode((const struct nlmsghdr *)(const void *)b, &e,
			    NULL) < 0)
		return -1;
	return ct_filter_match(f, &e);
}

START_TEST(fixture_rows)
{
	static struct ct_bpf_prog p;
	struct ct_filter f;
	uint32_t got = 0, user = 0;
	int row = _i;

	load_events();
	build(row, &f);
	ck_assert_int_eq(ct_bpf_compile(&f, &p), 0);
	ck_assert_int_eq(ct_bpf_check(p.insn, p.len), 0);
	for (unsigned int i = 0; i < nev; i++) {
		int u = user_verdict(&f, ev_buf[i], ev_len[i]);

		ck_assert_int_ge(u, 0);
		if (u)
			user |= 1U << i;
		if (ct_bpf_run(p.insn, p.len, ev_buf[i], ev_len[i]) ==
		    CT_BPF_ACCEPT)
			got |= 1U << i;
	}
	ck_assert_msg(user == expect_rows[row], "row %d: userspace 0x%x, "
		      "expected 0x%x", row, user, expect_rows[row]);
	if (row == 17) {	/* not compiled: pre-filter passes all */
		ck_assert_uint_eq(got, 0x3ffff);
		return;
	}
	ck_assert_msg(got == user, "row %d: bpf 0x%x, userspace 0x%x (%u insns)",
		      row, got, user, p.len);
}
END_TEST

struct seen {
	unsigned int n;
	uint8_t type[4];
	uint32_t portid[4];
};

static int on_ev(const struct ct_event *ev, void *arg)
{
	struct seen *s = arg;

	ck_assert_int_eq(ev->kind, CT_EVENT_K_CONNTRACK);
	ck_assert_ptr_nonnull(ev->entry);
	if (s->n < 4) {
		s->type[s->n] = ev->type;
		s->portid[s->n] = ev->portid;
	}
	s->n++;
	return 0;
}

START_TEST(event_types)
{
	static const uint8_t want[18] = {
		CT_EVENT_T_NEW, CT_EVENT_T_UPDATE, CT_EVENT_T_NEW,
		CT_EVENT_T_NEW, CT_EVENT_T_DESTROY, CT_EVENT_T_DESTROY,
		CT_EVENT_T_NEW, CT_EVENT_T_NEW, CT_EVENT_T_NEW,
		CT_EVENT_T_DESTROY, CT_EVENT_T_DESTROY, CT_EVENT_T_NEW,
		CT_EVENT_T_UPDATE, CT_EVENT_T_NEW, CT_EVENT_T_DESTROY,
		CT_EVENT_T_DESTROY, CT_EVENT_T_DESTROY, CT_EVENT_T_DESTROY,
	};
	struct ct_event_stats st = { 0 };

	load_events();
	for (unsigned int i = 0; i < nev; i++) {
		struct seen s = { 0 };

		ck_assert_int_eq(ct_event_dispatch(ev_buf[i], ev_len[i], 0,
						   on_ev, &s, &st), 1);
		ck_assert_uint_eq(s.n, 1);
		ck_assert_uint_eq(s.type[0], want[i]);
		/* kernel-made (traffic) events carry portid 0 */
		if (i == 11 || i == 12)
			ck_assert_uint_eq(s.portid[0], 0);
		else
			ck_assert_uint_ne(s.portid[0], 0);
	}
	ck_assert_uint_eq(st.events, 18);
	ck_assert_uint_eq(st.decode_errors, 0);
}
END_TEST

/* ---- anomalies: the pre-filter passes them on ----------------------- */

static struct nlattr *find_top(unsigned char *b, size_t n, uint16_t type)
{
	for (size_t off = 20; off + 4 <= n;) {
		struct nlattr h;

		memcpy(&h, b + off, 4);
		if (h.nla_len < 4)
			break;
		if ((h.nla_type & NLA_TYPE_MASK) == type)
			return (struct nlattr *)(void *)(b + off);
		off += NLA_ALIGN((size_t)h.nla_len);
	}
	return NULL;
}

START_TEST(anomalies)
{
	static struct ct_bpf_prog p;
	unsigned char b[1024], two[2048];
	struct ct_filter f;
	struct nlattr *a;
	struct nlmsghdr h;
	size_t n;

	load_events();
	build(3, &f);	/* -m 9: event 0 (mark 7) is dropped */
	ck_assert_int_eq(ct_bpf_compile(&f, &p), 0);
	n = ev_len[0];
	memcpy(b, ev_buf[0], n);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_DROP);

	/* CTA_MARK twice (9 appended): the decoder keeps the last -> accept */
	a = find_top(b, n, CTA_MARK);
	ck_assert_ptr_nonnull(a);
	memcpy(b + n, a, 8);
	memcpy(b + n + 4, "\0\0\0\x09", 4);
	n += 8;
	memcpy(&h, b, sizeof(h));
	h.nlmsg_len = (uint32_t)n;
	memcpy(b, &h, sizeof(h));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	ck_assert_int_eq(user_verdict(&f, b, n), 1);

	/* wrong size: CTA_MARK as 2 bytes -> accept (userspace: -ERANGE) */
	n = ev_len[0];
	memcpy(b, ev_buf[0], n);
	a = find_top(b, n, CTA_MARK);
	{
		uint16_t six = 6;

		memcpy(&a->nla_len, &six, 2);
	}
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);
	ck_assert_int_lt(user_verdict(&f, b, n), 0);

	/* two messages in one skb: not judged */
	memcpy(two, ev_buf[0], ev_len[0]);
	memcpy(two + ev_len[0], ev_buf[0], ev_len[0]);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, two, 2 * ev_len[0]),
			  CT_BPF_ACCEPT);

	/* another subsystem (an expectation event): not judged */
	n = ev_len[0];
	memcpy(b, ev_buf[0], n);
	h.nlmsg_type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW;
	memcpy(&h.nlmsg_len, b, 4);
	memcpy((unsigned char *)&h + 6, b + 6, sizeof(h) - 6);
	memcpy(b, &h, sizeof(h));
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, n), CT_BPF_ACCEPT);

	/* too short for nfgenmsg: not judged */
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, ev_buf[0], 18),
			  CT_BPF_ACCEPT);
}
END_TEST

/* An IPv6 event whose tuple also carries IPv4 addresses is decoded as
 * IPv4: the guard must pass it on rather than judge the v6 ones. */
START_TEST(mixed_family_tuple)
{
	static struct ct_bpf_prog p;
	unsigned char b[1024];
	struct ct_filter f;

	load_events();
	build(1, &f);	/* -f ipv6 */
	ck_assert_int_eq(ct_bpf_compile(&f, &p), 0);
	memcpy(b, ev_buf[2], ev_len[2]);
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, ev_len[2]),
			  CT_BPF_ACCEPT);
	/* nfgen_family AF_INET over IPv6 addresses: the decoder still says
	 * IPv6 (addresses decide), so the guard must not judge by the byte */
	b[16] = AF_INET;
	ck_assert_uint_eq(ct_bpf_run(p.insn, p.len, b, ev_len[2]),
			  CT_BPF_ACCEPT);
	ck_assert_int_eq(user_verdict(&f, b, ev_len[2]), 1);
}
END_TEST

/* ---- interpreter: NLATTR ------------------------------------------------ */

START_TEST(nlattr_loads)
{
	/* at 0: a nest {type 1, len 16} holding {type 2, len 8}, then at
	 * 16 a leaf {type 3, len 8} */
	unsigned char pkt[24] = { 0 };
	uint16_t v;
	struct ct_bpf_insn prog[] = {
		{ CT_BPF_LD | CT_BPF_IMM, 0, 0, 0 },
		{ CT_BPF_LDX | CT_BPF_IMM, 0, 0, 3 },
		{ CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0,
		  (uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR) },
		{ CT_BPF_RET | CT_BPF_A, 0, 0, 0 },
	};
	struct ct_bpf_insn nest[] = {
		{ CT_BPF_LD | CT_BPF_IMM, 0, 0, 0 },
		{ CT_BPF_LDX | CT_BPF_IMM, 0, 0, 2 },
		{ CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0,
		  (uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR_NEST) },
		{ CT_BPF_RET | CT_BPF_A, 0, 0, 0 },
	};

	v = 16; memcpy(pkt, &v, 2);
	v = 1 | NLA_F_NESTED; memcpy(pkt + 2, &v, 2);
	v = 8; memcpy(pkt + 4, &v, 2);
	v = 2; memcpy(pkt + 6, &v, 2);
	v = 8; memcpy(pkt + 16, &v, 2);
	v = 3; memcpy(pkt + 18, &v, 2);
	ck_assert_int_eq(ct_bpf_check(prog, 4), 0);
	ck_assert_uint_eq(ct_bpf_run(prog, 4, pkt, 24), 16);
	prog[1].k = 2;		/* inside the nest: not at the top level */
	ck_assert_uint_eq(ct_bpf_run(prog, 4, pkt, 24), 0);
	prog[0].k = 4;		/* but a search from 4 walks into it */
	ck_assert_uint_eq(ct_bpf_run(prog, 4, pkt, 24), 4);
	prog[0].k = 21;		/* start past len - 4 */
	ck_assert_uint_eq(ct_bpf_run(prog, 4, pkt, 24), 0);
	ck_assert_uint_eq(ct_bpf_run(nest, 4, pkt, 24), 4);
	nest[1].k = 3;		/* the leaf is outside the nest */
	ck_assert_uint_eq(ct_bpf_run(nest, 4, pkt, 24), 0);
	nest[1].k = 2;
	v = 28; memcpy(pkt, &v, 2);	/* nest longer than the skb */
	ck_assert_uint_eq(ct_bpf_run(nest, 4, pkt, 24), 0);
	v = 16; memcpy(pkt, &v, 2);
	v = 3; memcpy(pkt + 4, &v, 2);	/* child nla_len < 4 ends the walk */
	ck_assert_uint_eq(ct_bpf_run(nest, 4, pkt, 24), 0);
}
END_TEST

START_TEST(run_semantics)
{
	unsigned char pkt[4] = { 1, 2, 3, 4 };
	struct ct_bpf_insn ld_out[] = {
		{ CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0, 1 },	/* 1..4: out */
		{ CT_BPF_RET | CT_BPF_K, 0, 0, 7 },
	};
	struct ct_bpf_insn div0[] = {
		{ CT_BPF_LD | CT_BPF_IMM, 0, 0, 9 },
		{ CT_BPF_ALU | CT_BPF_DIV | CT_BPF_X, 0, 0, 0 },
		{ CT_BPF_RET | CT_BPF_K, 0, 0, 7 },
	};
	struct ct_bpf_insn be[] = {
		{ CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0, 0 },
		{ CT_BPF_RET | CT_BPF_A, 0, 0, 0 },
	};

	ck_assert_uint_eq(ct_bpf_run(ld_out, 2, pkt, 4), 0);
	ck_assert_uint_eq(ct_bpf_run(div0, 3, pkt, 4), 0);
	ck_assert_uint_eq(ct_bpf_run(be, 2, pkt, 4), 0x01020304);
}
END_TEST

/* ---- the checker --------------------------------------------------------- */

#define I(c, jt, jf, k) { (c), (jt), (jf), (k) }
#define RET0 I(CT_BPF_RET | CT_BPF_K, 0, 0, 0)

static const struct {
	const char *why;
	struct ct_bpf_insn in[4];
	size_t len;
	int rc;
} bad[] = {
	{ "good", { RET0 }, 1, 0 },
	{ "empty", { RET0 }, 0, -E2BIG },
	{ "last not ret", { I(CT_BPF_LD | CT_BPF_IMM, 0, 0, 1) }, 1, -EINVAL },
	{ "unknown opcode", { I(0xff, 0, 0, 0), RET0 }, 2, -EINVAL },
	{ "ret x", { I(CT_BPF_RET | CT_BPF_X, 0, 0, 0), RET0 }, 2, -EINVAL },
	{ "ja past end", { I(CT_BPF_JMP | CT_BPF_JA, 0, 0, 1), RET0 }, 2,
	  -EINVAL },
	{ "ja backwards", { I(CT_BPF_JMP | CT_BPF_JA, 0, 0, 0xffffffff),
			    RET0 }, 2, -EINVAL },
	{ "jt past end", { I(CT_BPF_JMP | CT_BPF_JEQ, 1, 0, 0), RET0 }, 2,
	  -EINVAL },
	{ "jf past end", { I(CT_BPF_JMP | CT_BPF_JGT, 0, 2, 0), RET0, RET0 },
	  3, -EINVAL },
	{ "div by 0", { I(CT_BPF_ALU | CT_BPF_DIV, 0, 0, 0), RET0 }, 2,
	  -EINVAL },
	{ "mod by 0", { I(CT_BPF_ALU | CT_BPF_MOD, 0, 0, 0), RET0 }, 2,
	  -EINVAL },
	{ "shift 32", { I(CT_BPF_ALU | CT_BPF_LSH, 0, 0, 32), RET0 }, 2,
	  -EINVAL },
	{ "scratch 16", { I(CT_BPF_ST, 0, 0, 16), RET0 }, 2, -EINVAL },
	{ "read unset", { I(CT_BPF_LD | CT_BPF_MEM, 0, 0, 3), RET0 }, 2,
	  -EINVAL },
	{ "read set on one path", {
		I(CT_BPF_JMP | CT_BPF_JEQ, 0, 1, 0),
		I(CT_BPF_ST, 0, 0, 3),
		I(CT_BPF_LDX | CT_BPF_MEM, 0, 0, 3), RET0 }, 4, -EINVAL },
	{ "read set before", {
		I(CT_BPF_ST, 0, 0, 3),
		I(CT_BPF_JMP | CT_BPF_JEQ, 0, 0, 0),
		I(CT_BPF_LDX | CT_BPF_MEM, 0, 0, 3), RET0 }, 4, 0 },
	{ "other ancillary", { I(CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0,
				 (uint32_t)(CT_SKF_AD_OFF + 20)), RET0 }, 2,
	  -EINVAL },
	{ "nlattr as ld h", { I(CT_BPF_LD | CT_BPF_H | CT_BPF_ABS, 0, 0,
				(uint32_t)(CT_SKF_AD_OFF + 12)), RET0 }, 2,
	  -EINVAL },
	{ "nlattr", { I(CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0, 0,
			(uint32_t)(CT_SKF_AD_OFF + 12)), RET0 }, 2, 0 },
};

START_TEST(checker_rows)
{
	ck_assert_msg(ct_bpf_check(bad[_i].in, bad[_i].len) == bad[_i].rc,
		      "%s", bad[_i].why);
}
END_TEST

START_TEST(checker_length)
{
	static struct ct_bpf_insn big[CT_BPF_MAXINSNS + 1];

	for (size_t i = 0; i <= CT_BPF_MAXINSNS; i++)
		big[i] = (struct ct_bpf_insn)RET0;
	ck_assert_int_eq(ct_bpf_check(big, CT_BPF_MAXINSNS), 0);
	ck_assert_int_eq(ct_bpf_check(big, CT_BPF_MAXINSNS + 1), -E2BIG);
}
END_TEST

START_TEST(compile_empty_and_null)
{
	static struct ct_bpf_prog p;

	ck_assert_int_eq(ct_bpf_compile(NULL, &p), 0);
	ck_assert_uint_eq(p.len, 1);
	ck_assert_int_eq(ct_bpf_compile(NULL, NULL), -EINVAL);
}
END_TEST

Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *t;

	t = tcase_create("events");
	tcase_add_loop_test(t, fixture_rows, 0,
			    sizeof(expect_rows) / sizeof(expect_rows[0]));
	tcase_add_test(t, event_types);
	tcase_add_test(t, anomalies);
	tcase_add_test(t, mixed_family_tuple);
	suite_add_tcase(s, t);
	t = tcase_create("vm");
	tcase_add_test(t, nlattr_loads);
	tcase_add_test(t, run_semantics);
	tcase_add_loop_test(t, checker_rows, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(t, checker_length);
	tcase_add_test(t, compile_empty_and_null);
	suite_add_tcase(s, t);
	return s;
}
