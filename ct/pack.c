// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packed form of entries and expectations (ct/pack.h). Both structs
 * are described by a table of field groups, one per presence bit, in the
 * order they are written; each group is a few items (a varint, raw bytes,
 * an address sized by l3, a string, a counted byte array, a tuple) at an
 * offset of the struct. A tuple is the same thing one level down, under a
 * header that holds its presence bits. Layout:
 *
 *   entry:  varint groups (bit i = table row i)  u8 family  groups...
 *   expect: varint groups                        u8 family  groups...
 *   tuple:  varint (set << 2 | l3x)  [u8 l3 if l3x]  fields
 *   reply:  a tuple, or varint (delta << 2 | 2)  the delta fields
 *   varint: LEB128, shortest form only, within the field's width
 *   string: varint n, n bytes without NUL, NUL (so unpack can point at it)
 *
 * l3x says the tuple's l3 differs from the family (else it is the family).
 * The second reply form is the orig tuple inverted with the addresses
 * and ports in delta (CT_TUPLE_SRC/DST/SPORT/DPORT bits) replaced: one
 * byte for a flow without NAT, 5 or 7 for a NATed one. It is used
 * whenever the reply differs from the inverted orig tuple in nothing but
 * those values, with exactly the fields that differ. Every choice above
 * has exactly one encoding, and unpack refuses every other (a longer
 * varint, an explicit l3 equal to the family, a reply in the other form
 * or with a delta field that does not differ, unknown bits, a string
 * with a NUL or over its limit), so what unpacks packs again to the same
 * bytes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/pack.h"
#include "ct/proto.h"

enum item_kind {
	K_END,
	K_RAW,		/* len bytes as they are in memory */
	K_UV,		/* unsigned integer of len bytes, as a varint */
	K_ADDR,		/* union ct_addr: 4 bytes for AF_INET, else 16 */
	K_STR,		/* const char *, at most len bytes */
	K_LBYTES,	/* u8 count (<= len) then that many bytes */
	K_TUPLE,	/* struct ct_tuple */
	K_REPLY,	/* struct ct_tuple that may mirror the orig tuple */
};

struct item {
	uint8_t kind, len;
	uint16_t off;
};

#define ITEMS 4

/* A presence bit and its items, up to ITEMS or the first K_END. */
struct group {
	uint64_t bit;
	struct item it[ITEMS];
};

#define AT(type, field) offsetof(type, field)
#define E(field) AT(struct ct_entry, field)
#define X(field) AT(struct ct_expect, field)
#define T(field) AT(struct ct_tuple, field)

#define RAW(o, n) { K_RAW, n, o }
#define UV(o, n) { K_UV, n, o }
#define ADDR(o) { K_ADDR, 16, o }
#define STR(o, n) { K_STR, n, o }
#define LBYTES(o) { K_LBYTES, CT_LABELS_BYTES, o }
#define TUPLE(o) { K_TUPLE, 0, o }

#define TUPLE_KNOWN 0x1ffu	/* CT_TUPLE_SRC .. CT_TUPLE_ZONE */
#define T_MIRROR 2u
#define T_L3X 1u

/* Row i is bit 1 << i of the tuple header, as in struct ct_tuple.set. */
static const struct group tuple_groups[] = {
	{ CT_TUPLE_SRC, { ADDR(T(src)) } },
	{ CT_TUPLE_DST, { ADDR(T(dst)) } },
	{ CT_TUPLE_PROTO, { RAW(T(l4), 1) } },
	{ CT_TUPLE_SPORT, { RAW(T(sport), 2) } },
	{ CT_TUPLE_DPORT, { RAW(T(dport), 2) } },
	{ CT_TUPLE_ICMP_TYPE, { RAW(T(icmp_type), 1) } },
	{ CT_TUPLE_ICMP_CODE, { RAW(T(icmp_code), 1) } },
	{ CT_TUPLE_ICMP_ID, { RAW(T(icmp_id), 2) } },
	{ CT_TUPLE_ZONE, { UV(T(zone), 2) } },
};

/* What most cached flows carry comes first: it fits the first varint
 * byte or two of the group bits. */
static const struct group entry_groups[] = {
	{ CT_ORIG, { TUPLE(E(orig)) } },
	{ CT_REPLY, { { K_REPLY, 0, E(reply) } } },
	{ CT_STATUS, { UV(E(status), 4) } },
	{ CT_TIMEOUT, { UV(E(timeout), 4) } },
	{ CT_MARK, { UV(E(mark), 4) } },
	{ CT_TCP, { RAW(E(tcp.state), 1) } },
	{ CT_TCP_FLAGS, { RAW(E(tcp.flags), 4) } },	/* flags[2], mask[2] */
	{ CT_TCP_WSCALE, { RAW(E(tcp.wscale), 2) } },
	{ CT_ID, { RAW(E(id), 4) } },
	{ CT_ZONE, { UV(E(zone), 2) } },
	{ CT_USE, { UV(E(use), 4) } },
	{ CT_SECMARK, { UV(E(secmark), 4) } },
	{ CT_MASTER, { TUPLE(E(master)) } },
	{ CT_SCTP, { RAW(E(sctp.state), 1) } },
	{ CT_SCTP_VTAGS, { RAW(E(sctp.vtag), 8) } },
	{ CT_DCCP, { RAW(E(dccp.state), 2) } },		/* state, role */
	{ CT_DCCP_HSEQ, { UV(E(dccp.handshake_seq), 8) } },
	{ CT_COUNTERS_ORIG, { UV(E(counters[0].packets), 8),
			      UV(E(counters[0].bytes), 8) } },
	{ CT_COUNTERS_REPLY, { UV(E(counters[1].packets), 8),
			       UV(E(counters[1].bytes), 8) } },
	{ CT_TIMESTAMP_START, { RAW(E(ts_start), 8) } },
	{ CT_TIMESTAMP_STOP, { RAW(E(ts_stop), 8) } },
	{ CT_TIMESTAMP_EVENT, { RAW(E(ts_event), 8) } },
	{ CT_HELPER, { STR(E(helper), CT_PACK_HELPER_MAX) } },
	{ CT_SECCTX, { STR(E(secctx), CT_PACK_SECCTX_MAX) } },
	{ CT_LABELS, { LBYTES(E(labels_len)) } },
	{ CT_LABELS_MASK, { LBYTES(E(labels_mask_len)) } },
	{ CT_MARK_MASK, { UV(E(mark_mask), 4) } },
	{ CT_STATUS_MASK, { UV(E(status_mask), 4) } },
	{ CT_SEQADJ_ORIG, { RAW(E(seqadj[0]), 12) } },
	{ CT_SEQADJ_REPLY, { RAW(E(seqadj[1]), 12) } },
	{ CT_SYNPROXY, { RAW(E(synproxy), 12) } },
	{ CT_SNAT, { ADDR(E(snat.min_ip)), ADDR(E(snat.max_ip)),
		     RAW(E(snat.min_port), 4), RAW(E(snat.has_port), 1) } },
	{ CT_DNAT, { ADDR(E(dnat.min_ip)), ADDR(E(dnat.max_ip)),
		     RAW(E(dnat.min_port), 4), RAW(E(dnat.has_port), 1) } },
};

static const struct group expect_groups[] = {
	{ CT_EXP_MASTER, { TUPLE(X(master)) } },
	{ CT_EXP_TUPLE, { TUPLE(X(tuple)) } },
	{ CT_EXP_MASK, { TUPLE(X(mask)) } },
	{ CT_EXP_TIMEOUT, { UV(X(timeout), 4) } },
	{ CT_EXP_ID, { RAW(X(id), 4) } },
	{ CT_EXP_HELPER, { STR(X(helper), CT_PACK_HELPER_MAX) } },
	{ CT_EXP_ZONE, { UV(X(zone), 2) } },
	{ CT_EXP_FLAGS, { UV(X(flags), 4) } },
	{ CT_EXP_CLASS, { UV(X(class), 4) } },
	{ CT_EXP_NAT, { RAW(X(nat_dir), 1), TUPLE(X(nat_tuple)) } },
	{ CT_EXP_FN, { STR(X(fn), CT_PACK_FN_MAX) } },
};

#define NGROUPS(t) (sizeof(t) / sizeof((t)[0]))

/* The RAW items above span neighbouring fields. */
_Static_assert(E(tcp.mask) == E(tcp.flags) + 2, "tcp flags, mask");
_Static_assert(E(dccp.role) == E(dccp.state) + 1, "dccp state, role");
_Static_assert(E(snat.max_port) == E(snat.min_port) + 2, "nat ports");
_Static_assert(E(labels) == E(labels_len) + 1, "labels");
_Static_assert(E(labels_mask) == E(labels_mask_len) + 1, "labels mask");
_Static_assert(sizeof(struct ct_seqadj) == 12, "seqadj");
_Static_assert(NGROUPS(tuple_groups) == 9, "tuple bits");
_Static_assert(NGROUPS(entry_groups) == 33, "entry bits");
_Static_assert(NGROUPS(expect_groups) == 11, "expect bits");

/* Where a group walk is: the l3 that sizes addresses and, in an entry,
 * the orig tuple the reply may mirror (NULL: not packed). */
struct ctx {
	uint8_t family;
	const struct ct_tuple *orig;
};

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : 16;
}

static uint64_t uv_max(unsigned int len)
{
	return len >= 8 ? UINT64_MAX : (1ULL << (8 * len)) - 1;
}

/* The K_UV integers: 2, 4 or 8 bytes in host order. */
static uint64_t load_uint(const uint8_t *p, unsigned int len)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (len) {
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

static void store_uint(uint8_t *p, unsigned int len, uint64_t v)
{
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	switch (len) {
	case 2: memcpy(p, &v16, 2); break;
	case 4: memcpy(p, &v32, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

/* Group bits of the packed form from presence bits, and back. */
static uint64_t to_rows(const struct group *g, size_t n, uint64_t set)
{
	uint64_t rows = 0;

	for (size_t i = 0; i < n; i++)
		if (set & g[i].bit)
			rows |= 1ULL << i;
	return rows;
}

static uint64_t from_rows(const struct group *g, size_t n, uint64_t rows)
{
	uint64_t set = 0;

	for (size_t i = 0; i < n; i++)
		if (rows & 1ULL << i)
			set |= g[i].bit;
	return set;
}

static void tuple_invert(struct ct_tuple *inv, const struct ct_tuple *t)
{
	static const uint16_t swapped = CT_TUPLE_SRC | CT_TUPLE_DST |
					CT_TUPLE_SPORT | CT_TUPLE_DPORT;

	*inv = *t;
	inv->set = t->set & ~swapped;
	inv->set |= t->set & CT_TUPLE_SRC ? CT_TUPLE_DST : 0;
	inv->set |= t->set & CT_TUPLE_DST ? CT_TUPLE_SRC : 0;
	inv->set |= t->set & CT_TUPLE_SPORT ? CT_TUPLE_DPORT : 0;
	inv->set |= t->set & CT_TUPLE_DPORT ? CT_TUPLE_SPORT : 0;
	inv->src = t->dst;
	inv->dst = t->src;
	inv->sport = t->dport;
	inv->dport = t->sport;
}

/* ---- writing --------------------------------------------------------- */

/* Counts on past @cap so the caller learns it was too small. */
struct wr {
	uint8_t *p;
	size_t cap, len;
};

static void wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (n <= w->cap && w->len <= w->cap - n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void wr_uv(struct wr *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	wr_bytes(w, b, n);
}

static int put_groups(struct wr *w, const struct group *g, size_t n,
		      uint64_t set, const void *base, const struct ctx *c);

/* The full form of @t, no mirror, into @buf (64 bytes hold any). */
static size_t tuple_bytes(uint8_t buf[64], const struct ct_tuple *t,
			  const struct ctx *c);

/*
 * Whether the reply @t can be written as the orig tuple inverted with
 * some of its addresses and ports replaced (a NAT mapping), and which:
 * *@delta gets the CT_TUPLE_* bits of the fields that differ.
 */
static bool mirrors(const struct ct_tuple *t, const struct ct_tuple *orig,
		    const struct ctx *c, uint16_t *delta)
{
	uint8_t mine[64], theirs[64];
	struct ct_tuple inv, m;
	size_t n;

	tuple_invert(&inv, orig);
	m = inv;
	m.src = t->src;
	m.dst = t->dst;
	m.sport = t->sport;
	m.dport = t->dport;
	n = tuple_bytes(mine, t, c);
	if (n != tuple_bytes(theirs, &m, c) || memcmp(mine, theirs, n))
		return false;
	n = addr_len(t->l3);
	*delta = 0;
	if ((t->set & CT_TUPLE_SRC) && memcmp(&t->src, &inv.src, n))
		*delta |= CT_TUPLE_SRC;
	if ((t->set & CT_TUPLE_DST) && memcmp(&t->dst, &inv.dst, n))
		*delta |= CT_TUPLE_DST;
	if ((t->set & CT_TUPLE_SPORT) && t->sport != inv.sport)
		*delta |= CT_TUPLE_SPORT;
	if ((t->set & CT_TUPLE_DPORT) && t->dport != inv.dport)
		*delta |= CT_TUPLE_DPORT;
	return true;
}

static int put_tuple(struct wr *w, const struct ct_tuple *t,
		     const struct ctx *c, bool may_mirror)
{
	struct ctx tc = { t->l3, NULL };
	uint16_t set = t->set & TUPLE_KNOWN, delta;

	if (may_mirror && c->orig && mirrors(t, c->orig, c, &delta)) {
		wr_uv(w, (uint64_t)delta << 2 | T_MIRROR);
		set = delta;
	} else {
		wr_uv(w, (uint64_t)set << 2 |
			 (t->l3 != c->family ? T_L3X : 0));
		if (t->l3 != c->family)
			wr_bytes(w, &t->l3, 1);
	}
	return put_groups(w, tuple_groups, NGROUPS(tuple_groups), set, t,
			  &tc);
}

static size_t tuple_bytes(uint8_t buf[64], const struct ct_tuple *t,
			  const struct ctx *c)
{
	struct wr w = { buf, 64, 0 };

	put_tuple(&w, t, c, false);
	return w.len;
}

static int put_item(struct wr *w, const struct item *it, const uint8_t *p,
		    const struct ctx *c)
{
	const char *s;
	size_t n;

	switch (it->kind) {
	case K_RAW:
		wr_bytes(w, p, it->len);
		return 0;
	case K_UV:
		wr_uv(w, load_uint(p, it->len));
		return 0;
	case K_ADDR:
		wr_bytes(w, p, addr_len(c->family));
		return 0;
	case K_STR:
		memcpy(&s, p, sizeof(s));
		if (!s || (n = strnlen(s, (size_t)it->len + 1)) > it->len)
			return -EINVAL;
		wr_uv(w, n);
		wr_bytes(w, s, n + 1);
		return 0;
	case K_LBYTES:
		if (*p > it->len)
			return -EINVAL;
		wr_bytes(w, p, 1 + (size_t)*p);
		return 0;
	default:
		return put_tuple(w, (const struct ct_tuple *)(const void *)p,
				 c, it->kind == K_REPLY);
	}
}

static int put_groups(struct wr *w, const struct group *g, size_t n,
		      uint64_t set, const void *base, const struct ctx *c)
{
	const uint8_t *b = base;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (!(set & g[i].bit))
			continue;
		for (const struct item *it = g[i].it;
		     it < g[i].it + ITEMS && it->kind != K_END; it++) {
			rc = put_item(w, it, b + it->off, c);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int pack(void *buf, size_t cap, const struct group *g, size_t n,
		uint64_t set, const void *base, const struct ctx *c)
{
	struct wr w = { buf, cap, 0 };
	int rc;

	wr_uv(&w, to_rows(g, n, set));
	wr_bytes(&w, &c->family, 1);
	rc = put_groups(&w, g, n, set, base, c);
	if (rc < 0)
		return rc;
	if (w.len > CT_PACK_MAX)	/* the limits in pack.h prevent it */
		return -EINVAL;
	return w.len > cap ? -ENOSPC : (int)w.len;
}

int ct_entry_pack(void *buf, size_t cap, const struct ct_entry *e,
		  uint64_t fields)
{
	uint64_t set;
	struct ctx c;

	if (!buf || !e)
		return -EINVAL;
	set = e->set & fields & from_rows(entry_groups,
					  NGROUPS(entry_groups), ~0ULL);
	c.family = e->family;
	c.orig = set & CT_ORIG ? &e->orig : NULL;
	return pack(buf, cap, entry_groups, NGROUPS(entry_groups), set, e,
		    &c);
}

int ct_expect_pack(void *buf, size_t cap, const struct ct_expect *x,
		   uint32_t fields)
{
	struct ctx c = { 0, NULL };

	if (!buf || !x)
		return -EINVAL;
	c.family = x->family;
	return pack(buf, cap, expect_groups, NGROUPS(expect_groups),
		    x->set & fields & from_rows(expect_groups,
						NGROUPS(expect_groups), ~0ULL),
		    x, &c);
}

/* ---- reading --------------------------------------------------------- */

/* Once bad, stays bad: every read after a failed one fails too. */
struct rd {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static const uint8_t *rd_take(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

/* The shortest LEB128 form of a value <= @max, or bad. */
static uint64_t rd_uv(struct rd *r, uint64_t max)
{
	const uint8_t *b;
	uint64_t v = 0;

	for (unsigned int shift = 0;; shift += 7) {
		b = rd_take(r, 1);
		if (!b || shift > 63 || (shift == 63 && *b > 1))
			goto bad;
		v |= (uint64_t)(*b & 0x7f) << shift;
		if (*b & 0x80)
			continue;
		if (*b == 0 && shift)
			goto bad;	/* a longer form than needed */
		break;
	}
	if (v > max)
		goto bad;
	return v;
bad:
	r->bad = true;
	return 0;
}

static void get_groups(struct rd *r, const struct group *g, size_t n,
		       uint64_t set, void *base, const struct ctx *c);

static void get_tuple(struct rd *r, struct ct_tuple *t, const struct ctx *c,
		      bool may_mirror)
{
	uint8_t again[64];
	struct wr w = { again, sizeof(again), 0 };
	size_t start = r->off;
	const uint8_t *l3;
	struct ctx tc;
	uint16_t fields;
	uint64_t h;

	h = rd_uv(r, (uint64_t)TUPLE_KNOWN << 2 | T_MIRROR | T_L3X);
	if (h & T_MIRROR) {
		/* the orig tuple inverted, then the fields that differ */
		if (!may_mirror || !c->orig || (h & T_L3X))
			goto bad;
		tuple_invert(t, c->orig);
		fields = (uint16_t)(h >> 2);
		if (fields & ~t->set & TUPLE_KNOWN)
			goto bad;
	} else {
		t->set = fields = (uint16_t)(h >> 2);
		t->l3 = c->family;
		if (h & T_L3X) {
			l3 = rd_take(r, 1);
			if (!l3 || *l3 == c->family)
				goto bad;
			t->l3 = *l3;
		}
	}
	tc.family = t->l3;
	tc.orig = NULL;
	get_groups(r, tuple_groups, NGROUPS(tuple_groups), fields, t, &tc);
	if (r->bad || !may_mirror || !c->orig)
		return;
	/* a reply has one form: the shortest, as put_tuple chooses it */
	put_tuple(&w, t, c, true);
	if (w.len != r->off - start || memcmp(again, r->p + start, w.len))
		goto bad;
	return;
bad:
	r->bad = true;
}

static void get_str(struct rd *r, uint8_t *p, unsigned int max)
{
	size_t n = (size_t)rd_uv(r, max);
	const uint8_t *s = rd_take(r, n + 1);

	if (!s || s[n] || memchr(s, 0, n)) {
		r->bad = true;
		return;
	}
	memcpy(p, &s, sizeof(s));
}

static void get_item(struct rd *r, const struct item *it, uint8_t *p,
		     const struct ctx *c)
{
	const uint8_t *q;
	size_t n;

	switch (it->kind) {
	case K_RAW:
	case K_ADDR:
		n = it->kind == K_RAW ? it->len : addr_len(c->family);
		q = rd_take(r, n);
		if (q)
			memcpy(p, q, n);
		return;
	case K_UV:
		store_uint(p, it->len, rd_uv(r, uv_max(it->len)));
		return;
	case K_STR:
		get_str(r, p, it->len);
		return;
	case K_LBYTES:
		q = rd_take(r, 1);
		if (!q || *q > it->len) {
			r->bad = true;
			return;
		}
		*p = *q;
		q = rd_take(r, *p);
		if (q)
			memcpy(p + 1, q, *p);
		return;
	default:
		get_tuple(r, (struct ct_tuple *)(void *)p, c,
			  it->kind == K_REPLY);
		return;
	}
}

static void get_groups(struct rd *r, const struct group *g, size_t n,
		       uint64_t set, void *base, const struct ctx *c)
{
	uint8_t *b = base;

	for (size_t i = 0; i < n && !r->bad; i++) {
		if (!(set & g[i].bit))
			continue;
		for (const struct item *it = g[i].it;
		     it < g[i].it + ITEMS && it->kind != K_END; it++)
			get_item(r, it, b + it->off, c);
	}
}

/*
 * The group bits, the family and the groups of @len bytes at @buf into
 * @obj (@size bytes, zeroed first and again on failure) by @g; *@set
 * gets the presence bits. @orig: the orig tuple in @obj, which a reply
 * may mirror when CT_ORIG is set (NULL for expectations).
 */
static int unpack(const void *buf, size_t len, const struct group *g,
		  size_t n, void *obj, size_t size, uint64_t *set,
		  uint8_t *family, const struct ct_tuple *orig)
{
	struct rd r = { buf, len, 0, !buf };
	const uint8_t *f;
	struct ctx c;

	memset(obj, 0, size);
	*set = from_rows(g, n, rd_uv(&r, uv_max(8) >> (64 - n)));
	f = rd_take(&r, 1);
	if (!f)
		goto bad;
	*family = c.family = *f;
	c.orig = orig && (*set & CT_ORIG) ? orig : NULL;
	get_groups(&r, g, n, *set, obj, &c);
	if (r.bad || r.off != len)
		goto bad;
	return 0;
bad:
	memset(obj, 0, size);
	*set = 0;
	return -EBADMSG;
}

int ct_entry_unpack(const void *buf, size_t len, struct ct_entry *e)
{
	uint64_t set;
	int rc;

	if (!e)
		return -EINVAL;
	rc = unpack(buf, len, entry_groups, NGROUPS(entry_groups), e,
		    sizeof(*e), &set, &e->family, &e->orig);
	e->set = set;
	return rc;
}

int ct_expect_unpack(const void *buf, size_t len, struct ct_expect *x)
{
	uint64_t set;
	int rc;

	if (!x)
		return -EINVAL;
	rc = unpack(buf, len, expect_groups, NGROUPS(expect_groups), x,
		    sizeof(*x), &set, &x->family, NULL);
	x->set = (uint32_t)set;
	return rc;
}

/* ---- keys ------------------------------------------------------------ */

static size_t key_tuple(uint8_t *k, const struct ct_tuple *t)
{
	size_t alen = addr_len(t->l3), n = 0;
	uint8_t l4 = t->set & CT_TUPLE_PROTO ? t->l4 : 0;
	uint8_t kind = ct_proto_by_num(l4)->kind;
	uint16_t v;

	k[n++] = t->l3;
	k[n++] = l4;
	memset(k + n, 0, 2 * alen + 4);
	if (t->set & CT_TUPLE_SRC)
		memcpy(k + n, &t->src, alen);
	if (t->set & CT_TUPLE_DST)
		memcpy(k + n + alen, &t->dst, alen);
	n += 2 * alen;
	if (kind == CT_L4_ICMP || kind == CT_L4_ICMPV6) {
		if (t->set & CT_TUPLE_ICMP_TYPE)
			k[n] = t->icmp_type;
		if (t->set & CT_TUPLE_ICMP_CODE)
			k[n + 1] = t->icmp_code;
		v = t->set & CT_TUPLE_ICMP_ID ? t->icmp_id : 0;
		memcpy(k + n + 2, &v, 2);
	} else {
		v = t->set & CT_TUPLE_SPORT ? t->sport : 0;
		memcpy(k + n, &v, 2);
		v = t->set & CT_TUPLE_DPORT ? t->dport : 0;
		memcpy(k + n + 2, &v, 2);
	}
	return n + 4;
}

int ct_entry_key(uint8_t buf[CT_KEY_MAX], const struct ct_entry *e)
{
	uint16_t zone;

	if (!buf || !e || !(e->set & CT_ORIG))
		return -EINVAL;
	zone = e->set & CT_ZONE ? e->zone : 0;
	memcpy(buf, &zone, 2);
	return (int)(2 + key_tuple(buf + 2, &e->orig));
}

int ct_expect_key(uint8_t buf[CT_KEY_MAX], const struct ct_expect *x)
{
	const uint32_t need = CT_EXP_TUPLE | CT_EXP_MASTER;
	uint16_t zone;
	size_t n;

	if (!buf || !x || (x->set & need) != need)
		return -EINVAL;
	zone = x->set & CT_EXP_ZONE ? x->zone : 0;
	memcpy(buf, &zone, 2);
	n = 2 + key_tuple(buf + 2, &x->tuple);
	n += key_tuple(buf + n, &x->master);
	return (int)n;
}
