// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the event pre-filter: ct_bpf_compile() of a filter
 * drawn from the input, ct_bpf_check() of the result, and ct_bpf_run()
 * (the kernel's semantics, NLATTR loads included) on an event message
 * drawn from the input, against the userspace path (ct_event_dispatch +
 * ct_entry_decode + ct_filter_match). The property: the program never
 * drops a message userspace would show (an expectation event or a
 * conntrack event that decodes and matches). Exact agreement is counted,
 * not required (anomalies are passed on); RAWCT_BPF_STATS=1 prints the
 * counts at exit.
 *
 *   byte 0: bits 0-1 mode: 0 built event, 1 raw skb, 2 random program
 *           (checker + interpreter only), 3 built event then mutated
 *   bytes 1..about 48: the filter (parts, then values from small pools,
 *           so that filters and events meet often; see filter_of)
 *   then: mode 0/3: the event's shape and values, then (mode 3) pairs
 *         (offset, xor) applied to the built message;
 *         mode 1: the skb itself; mode 2: instructions, 8 bytes each
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "ct/event.h"
#include "ct/filter.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

struct rd {
	const uint8_t *p;
	size_t n, off;
};

static uint8_t get(struct rd *r)
{
	return r->off < r->n ? r->p[r->off++] : 0;
}

static uint32_t pick(struct rd *r, const uint32_t *pool, size_t n)
{
	return pool[get(r) % n];
}

#define PICK(r, pool) pick((r), (pool), sizeof(pool) / sizeof((pool)[0]))

static const uint32_t families[] = { AF_INET, AF_INET6, AF_INET, 0, 7 };
static const uint32_t l4s[] = { 6, 17, 1, 58, 47, 132, 2, 33, 136 };
static const uint32_t ports[] = { 0, 10, 20, 80, 0x11, 65535 };
static const uint32_t small[] = { 0, 1, 3, 5, 7, 8, 255 };
static const uint32_t marks[] = { 0, 1, 2, 7, 9, 0xffffffff, 0x80000000 };
static const uint32_t masks[] = { 0xffffffff, 0xff, 3, 0, 0xffff0000 };
static const uint32_t stats[] = { 0, IPS_ASSURED, IPS_SEEN_REPLY,
				  IPS_CONFIRMED, IPS_SRC_NAT_DONE };
static const char *const v4s[] = { "1.1.1.1", "2.2.2.2", "10.0.0.1",
				   "0.0.0.0" };
static const char *const v6s[] = { "2001:db8::1", "2001:db8::2", "::",
				   "::ffff:1.1.1.1", "1.1.1.1::" };

static void addr_of(struct rd *r, uint8_t l3, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (l3 == AF_INET6)
		inet_pton(AF_INET6, v6s[get(r) % 5], a);
	else
		inet_pton(AF_INET, v4s[get(r) % 4], a);
}

static void tuple_of(struct rd *r, struct ct_tuple *t)
{
	t->set = (uint16_t)(get(r) | get(r) << 8) & 0x1ff;
	t->l3 = (uint8_t)PICK(r, families);
	t->l4 = (uint8_t)PICK(r, l4s);
	addr_of(r, t->l3, &t->src);
	addr_of(r, t->l3, &t->dst);
	t->sport = (uint16_t)PICK(r, ports);
	t->dport = (uint16_t)PICK(r, ports);
	t->icmp_type = (uint8_t)PICK(r, small);
	t->icmp_code = (uint8_t)PICK(r, small);
	t->icmp_id = (uint16_t)PICK(r, ports);
	t->zone = (uint16_t)PICK(r, small);
}

static void filter_of(struct rd *r, struct ct_filter *f)
{
	uint8_t parts = get(r), more = get(r);
	static const uint64_t sc[] = { CT_ZONE, CT_SECMARK, CT_ID, CT_TIMEOUT,
				       CT_TCP, CT_SCTP, CT_DCCP };

	memset(f, 0, sizeof(*f));
	f->set = parts & (CT_F_FAMILY | CT_F_CMP | CT_F_MARK | CT_F_STATUS);
	if (parts & 0x10)
		f->set |= CT_F_NET_SRC;
	if (parts & 0x20)
		f->set |= CT_F_NET_DST;
	if ((more & 3) == 3)	/* not compiled: rarely */
		f->set |= (parts & 1) ? CT_F_NAT_ANY : CT_F_LABELS;
	if ((more & 3) == 2)	/* -U's compare of l4 fields */
		f->set |= CT_F_L4_LAX;
	f->family = (uint8_t)PICK(r, families);
	f->mark_value = PICK(r, marks);
	f->mark_mask = PICK(r, masks);
	f->status = PICK(r, stats);
	f->status_mask = PICK(r, stats) | PICK(r, stats);
	f->labels[0] = get(r) & 3;
	for (int i = 0; i < 2; i++) {
		uint8_t plen = get(r);
		struct ct_filter_net *n = &f->net[i];

		n->l3 = (uint8_t)PICK(r, families);
		addr_of(r, n->l3, &n->net);
		for (int b = 0; b < (plen % 129); b++)
			n->mask.v6[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		if (get(r) & 1)		/* usually already masked */
			for (int b = 0; b < 16; b++)
				n->net.v6[b] &= n->mask.v6[b];
	}
	if (parts & 0x40)
		f->tmpl.set |= CT_ORIG;
	if (parts & 0x80)
		f->tmpl.set |= CT_REPLY;
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++)
		if (more & (4 << i))
			f->tmpl.set |= sc[i];
	tuple_of(r, &f->tmpl.orig);
	tuple_of(r, &f->tmpl.reply);
	f->tmpl.zone = (uint16_t)PICK(r, small);
	f->tmpl.secmark = PICK(r, small);
	f->tmpl.id = PICK(r, small);
	f->tmpl.timeout = PICK(r, small);
	f->tmpl.tcp.state = (uint8_t)PICK(r, small);
	f->tmpl.sctp.state = (uint8_t)PICK(r, small);
	f->tmpl.dccp.state = (uint8_t)PICK(r, small);
}

/* ---- building an event ------------------------------------------------ */

static void put_addrs(struct rd *r, struct nl_msg *m, uint8_t fl)
{
	union ct_addr a;

	if (!(fl & 0x10) || (fl & 0x20)) {
		addr_of(r, AF_INET, &a);
		if (fl & 0x04)
			nl_attr_put(m, CTA_IP_V4_SRC, &a, 4);
		addr_of(r, AF_INET, &a);
		if (fl & 0x08)
			nl_attr_put(m, CTA_IP_V4_DST, &a, 4);
	}
	if (fl & 0x10) {
		addr_of(r, AF_INET6, &a);
		if (fl & 0x04)
			nl_attr_put(m, CTA_IP_V6_SRC, &a, 16);
		addr_of(r, AF_INET6, &a);
		if (fl & 0x08)
			nl_attr_put(m, CTA_IP_V6_DST, &a, 16);
	}
}

/* @canon: the shape the kernel sends (family @fam's addresses, the
 * protocol number, no duplicates); values stay random. */
static void put_tuple(struct rd *r, struct nl_msg *m, uint16_t type,
		      int canon, uint8_t fam)
{
	uint8_t fl = get(r), pf = get(r);
	size_t t, n;

	if (canon) {
		fl = (uint8_t)((fl | 0x4f) & ~0x30);
		if (fam == AF_INET6)
			fl |= 0x10;
		pf = (uint8_t)((pf | 1) & ~0x20);
	}
	if (!(fl & 1))
		return;
	nl_attr_nest_begin(m, type, &t);
	if (fl & 2) {
		nl_attr_nest_begin(m, CTA_TUPLE_IP, &n);
		put_addrs(r, m, fl);
		nl_attr_nest_end(m, n);
	}
	if (fl & 0x40) {
		nl_attr_nest_begin(m, CTA_TUPLE_PROTO, &n);
		if (pf & 1)
			nl_attr_put_u8(m, CTA_PROTO_NUM, (uint8_t)PICK(r, l4s));
		if (pf & 2)
			nl_attr_put_be16(m, CTA_PROTO_SRC_PORT,
					 (uint16_t)PICK(r, ports));
		if (pf & 4)
			nl_attr_put_be16(m, CTA_PROTO_DST_PORT,
					 (uint16_t)PICK(r, ports));
		if (pf & 8) {
			nl_attr_put_u8(m, CTA_PROTO_ICMP_TYPE,
				       (uint8_t)PICK(r, small));
			nl_attr_put_u8(m, CTA_PROTO_ICMP_CODE,
				       (uint8_t)PICK(r, small));
			nl_attr_put_be16(m, CTA_PROTO_ICMP_ID,
					 (uint16_t)PICK(r, ports));
		}
		if (pf & 0x10) {
			nl_attr_put_u8(m, CTA_PROTO_ICMPV6_TYPE,
				       (uint8_t)PICK(r, small));
			nl_attr_put_be16(m, CTA_PROTO_ICMPV6_ID,
					 (uint16_t)PICK(r, ports));
		}
		if (pf & 0x20)		/* a duplicate or a wrong size */
			nl_attr_put_u8(m, (uint16_t)(1 + get(r) % 3),
				       (uint8_t)PICK(r, l4s));
		nl_attr_nest_end(m, n);
	}
	if (fl & 0x80)
		nl_attr_put_be16(m, CTA_TUPLE_ZONE, (uint16_t)PICK(r, small));
	nl_attr_nest_end(m, t);
}

static void put_protoinfo(struct rd *r, struct nl_msg *m, uint8_t which)
{
	static const uint16_t nest[3] = { CTA_PROTOINFO_TCP,
					  CTA_PROTOINFO_SCTP,
					  CTA_PROTOINFO_DCCP };
	size_t p, n;

	nl_attr_nest_begin(m, CTA_PROTOINFO, &p);
	nl_attr_nest_begin(m, nest[which % 3], &n);
	nl_attr_put_u8(m, 1, (uint8_t)PICK(r, small));	/* *_STATE */
	nl_attr_nest_end(m, n);
	nl_attr_nest_end(m, p);
}

static size_t build_event(struct rd *r, unsigned char *buf, size_t cap,
			  int *canonical)
{
	static const uint16_t types[] = {
		NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW,
		NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW,
		NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE,
		NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW,
		NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET,
	};
	struct nl_msg m;
	uint8_t h = get(r), sc = get(r), sc2 = get(r);
	uint8_t fam = (uint8_t)PICK(r, families);
	int canon = (h & 0x60) == 0x60;

	if (canon) {
		fam = (h & 1) ? AF_INET6 : AF_INET;
		sc &= 0x7f;
		sc2 = 0;
	}
	*canonical = canon;
	nl_msg_init(&m, buf, cap);
	if (nl_msg_begin_nfnl(&m, (uint8_t)(types[h % 5] >> 8),
			      (uint8_t)types[h % 5],
			      (h & 0x80) ? NLM_F_CREATE : 0, 0, fam) < 0)
		return 0;
	put_tuple(r, &m, CTA_TUPLE_ORIG, canon, fam);
	put_tuple(r, &m, CTA_TUPLE_REPLY, canon, fam);
	if (sc & 1)
		nl_attr_put_be32(&m, CTA_MARK, PICK(r, marks));
	if (sc & 2)
		nl_attr_put_be32(&m, CTA_STATUS, PICK(r, stats) | PICK(r, stats));
	if (sc & 4)
		nl_attr_put_be16(&m, CTA_ZONE, (uint16_t)PICK(r, small));
	if (sc & 8)
		nl_attr_put_be32(&m, CTA_SECMARK, PICK(r, small));
	if (sc & 0x10)
		nl_attr_put_be32(&m, CTA_ID, PICK(r, small));
	if (sc & 0x20)
		nl_attr_put_be32(&m, CTA_TIMEOUT, PICK(r, small));
	if (sc & 0x40)
		put_protoinfo(r, &m, get(r));
	if (sc & 0x80)		/* a top-level duplicate, maybe mis-sized */
		nl_attr_put_be32(&m, (uint16_t)(CTA_STATUS + get(r) % 16),
				 PICK(r, marks));
	if (sc2 & 1)
		nl_attr_put_be16(&m, CTA_MARK, 9);
	if (sc2 & 2)
		put_tuple(r, &m, (uint16_t)(CTA_TUPLE_ORIG + (sc2 >> 7)), 0,
			  fam);
	if (sc2 & 4) {
		uint8_t lab[2] = { get(r), get(r) };

		nl_attr_put(&m, CTA_LABELS, lab, 2);
	}
	nl_msg_end(&m);
	return m.len;
}

/* ---- the userspace verdict -------------------------------------------- */

struct want {
	const struct ct_filter *f;
	int any;
	int decoded;	/* conntrack events that decoded */
};

static int want_cb(const struct ct_event *ev, void *arg)
{
	struct want *w = arg;

	if (ev->kind == CT_EVENT_K_EXPECT)
		w->any = 1;
	else if (ev->entry && ct_filter_match(w->f, ev->entry))
		w->any = 1;
	if (ev->entry)
		w->decoded++;
	return 0;
}

static struct {
	unsigned long runs, agree, extra, programs, valid;
	unsigned long clean, clean_agree;	/* kernel-shaped conntrack
						 * event, filter without
						 * NAT/labels */
	int registered;
} st;

static void print_stats(void)
{
	if (!getenv("RAWCT_BPF_STATS"))
		return;
	fprintf(stderr, "bpf: %lu verdicts, %lu agree (%.2f%%), %lu passed "
		"on that userspace drops; %lu random programs, %lu valid\n",
		st.runs, st.agree,
		st.runs ? 100.0 * (double)st.agree / (double)st.runs : 0.0,
		st.extra, st.programs, st.valid);
	fprintf(stderr, "bpf: kernel-shaped events under compiled filters: "
		"%lu, agree %lu (%.2f%%)\n", st.clean, st.clean_agree,
		st.clean ? 100.0 * (double)st.clean_agree / (double)st.clean
			 : 0.0);
}

static void random_program(const uint8_t *p, size_t n)
{
	struct ct_bpf_insn in[64];
	static const uint8_t pkt[40] = { 40, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 2, 0, 0, 0, 12, 0, 1, 0x80,
					 8, 0, 1, 0, 1, 1, 1, 1, 8, 0, 2, 0,
					 2, 2, 2, 2 };
	size_t len = n / 8 > 64 ? 64 : n / 8;

	for (size_t i = 0; i < len; i++) {
		memcpy(&in[i].code, p + 8 * i, 2);
		in[i].jt = p[8 * i + 2];
		in[i].jf = p[8 * i + 3];
		memcpy(&in[i].k, p + 8 * i + 4, 4);
	}
	st.programs++;
	if (ct_bpf_check(in, len) < 0)
		return;
	st.valid++;
	CHECK(ct_bpf_run(in, len, pkt, sizeof(pkt)) ==
	      ct_bpf_run(in, len, pkt, sizeof(pkt)));
	ct_bpf_run(in, len, pkt, sizeof(pkt) - (p[0] % 40));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ct_bpf_prog prog;
	static unsigned char buf[8192];
	struct rd r = { data, size, 1 };
	struct ct_filter f;
	struct want w = { .f = &f };
	const unsigned char *skb;
	size_t len;
	uint32_t v;
	int mode, rc, canon = 0;

	if (!st.registered) {
		st.registered = 1;
		atexit(print_stats);
	}
	if (size < 1)
		return 0;
	mode = data[0] & 3;
	if (mode == 2) {
		random_program(data + 1, size - 1);
		return 0;
	}
	filter_of(&r, &f);
	rc = ct_bpf_compile(&f, &prog);
	CHECK(rc == 0);
	CHECK(ct_bpf_check(prog.insn, prog.len) == 0);
	if (mode == 1) {
		skb = data + r.off;
		len = size - r.off;
	} else {
		len = build_event(&r, buf, sizeof(buf), &canon);
		while (mode == 3 && r.off + 1 < size && len) {
			uint8_t at = get(&r), x = get(&r);

			buf[at % len] ^= x;
		}
		skb = buf;
	}
	v = ct_bpf_run(prog.insn, prog.len, skb, len);
	CHECK(v == CT_BPF_ACCEPT || v == CT_BPF_DROP);
	ct_event_dispatch(skb, len, 0, want_cb, &w, NULL);
	/* the property: never drop what userspace shows */
	CHECK(!(w.any && v == CT_BPF_DROP));
	st.runs++;
	if ((v == CT_BPF_ACCEPT) == (w.any != 0))
		st.agree++;
	else
		st.extra++;
	if (mode == 0 && canon && w.decoded == 1 &&
	    !(f.set & (CT_F_NAT_ANY | CT_F_LABELS))) {
		st.clean++;
		if ((v == CT_BPF_ACCEPT) == (w.any != 0))
			st.clean_agree++;
	}
	return 0;
}
