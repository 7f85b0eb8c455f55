// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for conntrackd's Filter (sync/filter.h): a filter
 * configuration and an event message drawn from the input, then
 *  (a) sync_filter_new() takes the configuration or refuses it with
 *      -EINVAL for a bad network only; sync_filter_bpf() gives 0 or -E2BIG
 *      and its program passes ct_bpf_check();
 *  (b) for a message that is one conntrack event (nlmsg_len = the skb)
 *      and decodes, ct_bpf_run() returns exactly sync_filter_match() of
 *      the decoded entry; when an attribute the program reads is in its
 *      stream twice (the kernel's NLATTR sees the first, the decoder keeps
 *      the last; walked here independently) or CTA_TUPLE_ORIG is missing,
 *      it may accept instead;
 *  (c) whatever the bytes, nothing crashes and the program never drops a
 *      datagram userspace would keep: an expectation event, or a
 *      conntrack event that decodes and passes the filter
 *      (ct_event_dispatch).
 * RAWCT_SYNC_FILTER_STATS=1 prints at exit how many verdicts were checked
 * exactly.
 *
 *   byte 0: bits 0-1 mode: 0 an entry encoded by ct_entry_put_new, 1 the
 *           rest of the input is the skb, 2 an event built attribute by
 *           attribute (duplicates, missing parts, mixed families), 3 as
 *           0 then (offset, xor) byte pairs applied;
 *           bit 2: no filter at all (NULL)
 *   bytes 1..: the filter (see filter_of), then the event
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/event.h"
#include "nl/msg.h"
#include "sync/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NETS_MAX 3000

struct rd {
	const uint8_t *p;
	size_t n, off;
};

static uint8_t get(struct rd *r)
{
	return r->off < r->n ? r->p[r->off++] : 0;
}

static const uint8_t l4s[] = { 6, 17, 1, 58, 132, 47, 0, 255 };
static const char *const v4s[] = { "1.1.1.1", "2.2.2.2", "10.0.0.1",
				   "10.0.0.2", "0.0.0.0", "255.255.255.255",
				   "10.255.0.1", "192.168.1.1" };
static const char *const v6s[] = { "2001:db8::1", "2001:db8::2", "::",
				   "::ffff:1.1.1.1", "2001:db8:0:1::1",
				   "fe80::1", "2001:db9::1", "ffff::ffff" };
/* the last of each is too long: sync_filter_new refuses it */
static const uint8_t plens4[16] = { 32, 32, 32, 32, 24, 24, 8, 0, 31, 1, 16,
				    30, 29, 25, 12, 33 };
static const uint8_t plens6[16] = { 128, 128, 128, 128, 64, 64, 32, 0, 127,
				    1, 48, 65, 96, 33, 100, 129 };

/* An address from the pool, sometimes with one byte changed. */
static void addr_of(struct rd *r, uint8_t l3, union ct_addr *a)
{
	uint8_t b = get(r);

	memset(a, 0, sizeof(*a));
	if (l3 == AF_INET6)
		inet_pton(AF_INET6, v6s[b % 8], a);
	else
		inet_pton(AF_INET, v4s[b % 8], a);
	if (b & 0x80)
		a->v6[(b >> 3) % (l3 == AF_INET6 ? 16 : 4)] ^= get(r);
}

/* A xorshift stream seeded by the input, for large sets. */
static uint32_t xs(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * byte: set bits (0-2) and the three ignore bits (3-5); 4 bytes of the
 * protocol bitmap (protocols 0-7, 16-23, 56-63, 128-135); 2 bytes of
 * states; a count of networks (bit 7: that many times 16, the rest made
 * by a xorshift seeded with the next byte), then per network: family and
 * prefix pool index, address.
 */
static void filter_of(struct rd *r, struct sync_conf_filter *cf,
		      struct sync_conf_net *nets)
{
	uint8_t s = get(r), cnt;
	uint32_t seed;
	size_t n;

	memset(cf, 0, sizeof(*cf));
	cf->set = s & 7;
	cf->proto_ignore = s >> 3 & 1;
	cf->addr_ignore = s >> 4 & 1;
	cf->state_ignore = s >> 5 & 1;
	cf->proto[0] = get(r);
	cf->proto[2] = get(r);
	cf->proto[7] = get(r);
	cf->proto[16] = get(r);
	cf->states = (uint16_t)(get(r) | get(r) << 8);
	cnt = get(r);
	n = cnt & 0x7f;
	if (cnt & 0x80)
		n *= 24;
	if (n > NETS_MAX)
		n = NETS_MAX;
	seed = get(r) * 2654435761U + 1;
	cf->nets = nets;
	cf->n_nets = n;
	for (size_t i = 0; i < n; i++) {
		struct sync_conf_net *x = &nets[i];
		uint8_t k = (cnt & 0x80) && i >= 8 ? (uint8_t)xs(&seed) : get(r);

		x->family = k & 1 ? AF_INET6 : AF_INET;
		x->plen = x->family == AF_INET ? plens4[(k >> 1) % 16] :
						 plens6[(k >> 1) % 16];
		if ((cnt & 0x80) && i >= 8) {
			uint32_t v = xs(&seed);

			memset(&x->addr, 0, sizeof(x->addr));
			memcpy(x->addr.v6, &v, 4);
			x->addr.v6[0] = x->family == AF_INET ? 10 : 0x20;
			if (x->family == AF_INET6)
				memcpy(x->addr.v6 + 12, &v, 4);
			x->plen = x->family == AF_INET ? 32 : 128;
			if (k & 0x80)
				x->plen = (uint8_t)(x->plen - (k >> 4 & 7));
		} else {
			addr_of(r, x->family, &x->addr);
		}
	}
}

/* ---- events ------------------------------------------------------------- */

static void tuple_of(struct rd *r, struct ct_tuple *t, uint8_t l3)
{
	uint8_t fl = get(r);

	memset(t, 0, sizeof(*t));
	t->l3 = fl & 0x40 ? (uint8_t)(l3 == AF_INET ? AF_INET6 : AF_INET) : l3;
	t->l4 = l4s[fl >> 3 & 7];
	t->set = (fl & 1 ? CT_TUPLE_SRC : 0) | (fl & 2 ? CT_TUPLE_DST : 0) |
		 (fl & 4 ? CT_TUPLE_PROTO : 0);
	addr_of(r, t->l3, &t->src);
	addr_of(r, t->l3, &t->dst);
	if (fl & 0x80) {
		t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		t->sport = (uint16_t)(get(r) << 8);
		t->dport = get(r);
	}
}

/* mode 0: an entry through the encoder (usually the shape the kernel
 * sends: both tuples with their source, the protocol, a state) */
static size_t encoded(struct rd *r, unsigned char *buf, size_t cap)
{
	struct ct_entry e;
	struct nl_msg m;
	uint8_t h = get(r), canon = (h & 0x30) != 0x30;

	memset(&e, 0, sizeof(e));
	e.family = h & 1 ? AF_INET6 : AF_INET;
	e.set = (h & 2 ? 0 : CT_ORIG) | (h & 4 ? 0 : CT_REPLY) | CT_STATUS;
	tuple_of(r, &e.orig, e.family);
	tuple_of(r, &e.reply, e.family);
	if (canon) {
		e.set |= CT_ORIG | CT_REPLY;
		e.orig.l3 = e.reply.l3 = e.family;
		e.orig.set |= CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
		e.reply.set |= CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
		e.reply.l4 = e.orig.l4;
	}
	if (h & 8) {
		e.set |= CT_TCP;
		e.tcp.state = get(r) % 18;
	}
	nl_msg_init(&m, buf, cap);
	if (nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, h & 0x40 ?
			      IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW, 0, 0,
			      h & 0x80 ? get(r) : e.family) < 0 ||
	    ct_entry_put_new(&m, &e) < 0)
		return 0;
	nl_msg_end(&m);
	return m.len;
}

/* mode 2: attribute by attribute; each flag byte says what goes in */
static void put_ip(struct rd *r, struct nl_msg *m)
{
	uint8_t fl = get(r);
	union ct_addr a;
	size_t n;

	nl_attr_nest_begin(m, CTA_TUPLE_IP, &n);
	for (int i = 0; i < 4; i++) {
		uint16_t type = (uint16_t)(CTA_IP_V4_SRC + i);
		int v6 = type >= CTA_IP_V6_SRC;

		if (!(fl >> i & 1))
			continue;
		addr_of(r, v6 ? AF_INET6 : AF_INET, &a);
		nl_attr_put(m, type, &a, v6 ? 16 : 4);
		if (fl >> (i + 4) & 1) {	/* twice */
			addr_of(r, v6 ? AF_INET6 : AF_INET, &a);
			nl_attr_put(m, type, &a, v6 ? 16 : 4);
		}
	}
	nl_attr_nest_end(m, n);
}

static void put_tuple(struct rd *r, struct nl_msg *m, uint16_t type)
{
	uint8_t fl = get(r);
	size_t t, n;

	nl_attr_nest_begin(m, type, &t);
	if (fl & 1)
		put_ip(r, m);
	if (fl & 2) {
		nl_attr_nest_begin(m, CTA_TUPLE_PROTO, &n);
		if (fl & 4)
			nl_attr_put_u8(m, CTA_PROTO_NUM, l4s[get(r) % 8]);
		if (fl & 8)
			nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, get(r));
		if (fl & 0x10)
			nl_attr_put_u8(m, CTA_PROTO_NUM, l4s[get(r) % 8]);
		nl_attr_nest_end(m, n);
	}
	if (fl & 0x20)
		put_ip(r, m);
	nl_attr_nest_end(m, t);
}

static void put_protoinfo(struct rd *r, struct nl_msg *m)
{
	uint8_t fl = get(r);
	size_t p, n;

	nl_attr_nest_begin(m, CTA_PROTOINFO, &p);
	if (fl & 1) {
		nl_attr_nest_begin(m, fl & 2 ? CTA_PROTOINFO_SCTP :
				   CTA_PROTOINFO_TCP, &n);
		if (fl & 4)
			nl_attr_put_u8(m, CTA_PROTOINFO_TCP_STATE, get(r) % 18);
		if (fl & 8)
			nl_attr_put_u8(m, CTA_PROTOINFO_TCP_STATE, get(r) % 18);
		nl_attr_nest_end(m, n);
	}
	if (fl & 0x10) {
		nl_attr_nest_begin(m, CTA_PROTOINFO_TCP, &n);
		nl_attr_put_u8(m, CTA_PROTOINFO_TCP_STATE, get(r) % 18);
		nl_attr_nest_end(m, n);
	}
	nl_attr_nest_end(m, p);
}

static size_t built(struct rd *r, unsigned char *buf, size_t cap)
{
	struct nl_msg m;
	uint8_t h = get(r), fl = get(r);

	nl_msg_init(&m, buf, cap);
	if (nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, 0,
			      0, h & 1 ? AF_INET6 : h & 2 ? get(r) : AF_INET))
		return 0;
	if (fl & 1)
		put_tuple(r, &m, CTA_TUPLE_ORIG);
	if (fl & 2)
		put_tuple(r, &m, CTA_TUPLE_REPLY);
	if (fl & 4)
		put_protoinfo(r, &m);
	if (fl & 8)
		nl_attr_put_be32(&m, CTA_MARK, 1);
	if (fl & 0x10)
		put_tuple(r, &m, CTA_TUPLE_ORIG);
	if (fl & 0x20)
		put_tuple(r, &m, CTA_TUPLE_REPLY);
	if (fl & 0x40)
		put_protoinfo(r, &m);
	nl_msg_end(&m);
	return m.len;
}

/* ---- the harness's own walk: attributes present twice --------------------- */

/* The first attribute of @type in the stream, *@count how many there are
 * (up to the first malformed header, where the kernel's walk stops too). */
static const uint8_t *first(const uint8_t *p, size_t len, uint16_t type,
			    int *count)
{
	const uint8_t *hit = NULL;
	size_t off = 0;

	*count = 0;
	while (len - off >= NLA_HDRLEN) {
		struct nlattr h;

		memcpy(&h, p + off, sizeof(h));
		if (h.nla_len < NLA_HDRLEN || h.nla_len > len - off)
			break;
		if ((h.nla_type & NLA_TYPE_MASK) == type && (*count)++ == 0)
			hit = p + off;
		off += NLA_ALIGN((size_t)h.nla_len);
		if (off > len)
			break;
	}
	return hit;
}

/* Whether one of @types is twice in the nest @a's stream (NULL: none). */
static int twice(const uint8_t *a, const uint16_t *types, size_t n)
{
	struct nlattr h;
	int c;

	if (!a)
		return 0;
	memcpy(&h, a, sizeof(h));
	for (size_t i = 0; i < n; i++) {
		first(a + NLA_HDRLEN, h.nla_len - NLA_HDRLEN, types[i], &c);
		if (c > 1)
			return 1;
	}
	return 0;
}

/* The nest of @type inside nest @a (NULL if either is missing). */
static const uint8_t *inside(const uint8_t *a, uint16_t type)
{
	struct nlattr h;
	int c;

	if (!a)
		return NULL;
	memcpy(&h, a, sizeof(h));
	return first(a + NLA_HDRLEN, h.nla_len - NLA_HDRLEN, type, &c);
}

/* What the program may pass on rather than judge: no CTA_TUPLE_ORIG, or
 * an attribute it reads twice in its stream. */
static int anomaly(const uint8_t *msg, size_t len)
{
	static const uint16_t top[] = { CTA_TUPLE_ORIG, CTA_TUPLE_REPLY,
					CTA_PROTOINFO };
	static const uint16_t tuple[] = { CTA_TUPLE_IP, CTA_TUPLE_PROTO };
	static const uint16_t ip[] = { CTA_IP_V4_SRC, CTA_IP_V6_SRC };
	static const uint16_t proto[] = { CTA_PROTO_NUM };
	static const uint16_t pinfo[] = { CTA_PROTOINFO_TCP };
	static const uint16_t tcp[] = { CTA_PROTOINFO_TCP_STATE };
	const uint8_t *a = msg + 20, *t, *pi;
	int c;

	len -= 20;
	for (size_t i = 0; i < 3; i++) {
		first(a, len, top[i], &c);
		if (c > 1 || (i == 0 && c == 0))
			return 1;
	}
	for (uint16_t d = CTA_TUPLE_ORIG; d <= CTA_TUPLE_REPLY; d++) {
		t = first(a, len, d, &c);
		if (twice(t, tuple, 2) || twice(inside(t, CTA_TUPLE_IP), ip, 2) ||
		    twice(inside(t, CTA_TUPLE_PROTO), proto, 1))
			return 1;
	}
	pi = first(a, len, CTA_PROTOINFO, &c);
	return twice(pi, pinfo, 1) ||
	       twice(inside(pi, CTA_PROTOINFO_TCP), tcp, 1);
}

/* ---- the verdicts ---------------------------------------------------------- */

struct keep {
	const struct sync_filter *f;
	int any;
};

static int keep_cb(const struct ct_event *ev, void *arg)
{
	struct keep *k = arg;

	if (ev->kind == CT_EVENT_K_EXPECT ||
	    (ev->entry && sync_filter_match(k->f, ev->entry)))
		k->any = 1;
	return 0;
}

static struct {
	unsigned long runs, exact, anomalies, too_big, refused, programs;
	int registered;
} st;

static void print_stats(void)
{
	if (!getenv("RAWCT_SYNC_FILTER_STATS"))
		return;
	fprintf(stderr, "sync_filter: %lu inputs, %lu filters refused, %lu "
		"programs (%lu too big); %lu events checked exactly, %lu "
		"with anomalies\n", st.runs, st.refused, st.programs,
		st.too_big, st.exact, st.anomalies);
}

static int bad_net(const struct sync_conf_filter *cf)
{
	for (size_t i = 0; i < cf->n_nets; i++)
		if (cf->nets[i].plen > (cf->nets[i].family == AF_INET ? 32 :
					128))
			return 1;
	return 0;
}

static size_t event_of(struct rd *r, int mode, unsigned char *buf,
		       size_t cap)
{
	size_t len;

	if (mode == 1) {
		len = r->n - r->off;
		if (len > cap)
			len = cap;
		memcpy(buf, r->p + r->off, len);
		return len;
	}
	if (mode == 2)
		return built(r, buf, cap);
	len = encoded(r, buf, cap);
	while (mode == 3 && len && r->off + 1 < r->n) {
		uint8_t at = get(r), x = get(r);

		buf[at % len] ^= x;
	}
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ct_bpf_prog prog;
	static struct sync_conf_net nets[NETS_MAX];
	static uint32_t abuf[16384 / 4];	/* aligned for nlmsghdr */
	unsigned char *buf = (unsigned char *)abuf;
	struct rd r = { data, size, 1 };
	struct sync_conf_filter cf;
	struct sync_filter *f = NULL;
	struct keep k = { 0 };
	struct nlmsghdr h;
	struct ct_entry e;
	uint32_t v = CT_BPF_ACCEPT;
	size_t len;
	int rc;

	if (!st.registered) {
		st.registered = 1;
		atexit(print_stats);
	}
	if (size < 1)
		return 0;
	st.runs++;
	filter_of(&r, &cf, nets);
	if (!(data[0] & 4)) {
		rc = sync_filter_new(&f, &cf);
		CHECK(rc == 0 || (rc == -EINVAL && bad_net(&cf)));
		CHECK((rc == 0) == (f != NULL));
		if (rc < 0) {
			st.refused++;
			return 0;
		}
	}
	rc = sync_filter_bpf(f, NULL, 0, &prog);
	CHECK(rc == 0 || rc == -E2BIG);
	st.programs++;
	if (rc == 0)
		CHECK(ct_bpf_check(prog.insn, prog.len) == 0);
	else
		st.too_big++;
	len = event_of(&r, data[0] & 3, buf, sizeof(abuf));
	if (rc == 0) {
		v = ct_bpf_run(prog.insn, prog.len, buf, len);
		CHECK(v == CT_BPF_ACCEPT || v == CT_BPF_DROP);
	}
	/* (b) one conntrack event that decodes: the same verdict */
	if (len >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		if (h.nlmsg_len == len &&
		    ct_entry_decode((const struct nlmsghdr *)(void *)buf, &e,
				    NULL) == 0) {
			uint32_t want = sync_filter_match(f, &e) ?
					CT_BPF_ACCEPT : CT_BPF_DROP;

			if (rc == 0 && anomaly(buf, len)) {
				st.anomalies++;
				CHECK(v == want || v == CT_BPF_ACCEPT);
			} else if (rc == 0) {
				st.exact++;
				CHECK(v == want);
			}
		}
	}
	/* (c) never drop what userspace keeps */
	k.f = f;
	ct_event_dispatch(buf, len, 0, keep_cb, &k, NULL);
	CHECK(!(k.any && v == CT_BPF_DROP));
	sync_filter_free(f);
	return 0;
}
