// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the packed form (ct/pack.h, layout in ct/pack.c): strictly,
 * refusing every encoding but the one ct/pack.c writes, so that what
 * unpacks packs again to the same bytes.
 */
#include <errno.h>

#include "ct/pack_int.h"

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

/* The items of the rows of @g in @rows (bit i = row i), in row order. */
static void get_groups(struct rd *r, const struct group *g, uint64_t rows,
		       void *base, const struct ctx *c);

static void get_tuple(struct rd *r, struct ct_tuple *t, const struct ctx *c,
		      bool may_mirror)
{
	const uint8_t *l3;
	struct ctx tc;
	uint16_t fields, delta;
	uint64_t h;

	h = rd_uv(r, (uint64_t)TUPLE_KNOWN << 2 | T_MIRROR | T_L3X);
	if (h & T_MIRROR) {
		/* the orig tuple inverted, then the fields that differ */
		if (!may_mirror || !c->orig || (h & T_L3X))
			goto bad;
		ct_pack_tuple_invert(t, c->orig);
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
	/* a tuple's rows are its presence bits */
	get_groups(r, ct_pack_tuple_groups, fields, t, &tc);
	if (r->bad || !may_mirror || !c->orig)
		return;
	/* a reply has one form, the shortest, as ct_pack_put_tuple chooses
	 * it: mirrored with exactly the fields that differ, or in full when
	 * it cannot be mirrored */
	if (h & T_MIRROR ? !ct_pack_mirrors(t, c->orig, &delta) ||
			   delta != fields
			 : ct_pack_mirrors(t, c->orig, &delta))
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
			nl_copy(p, q, n);
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

static void get_groups(struct rd *r, const struct group *g, uint64_t rows,
		       void *base, const struct ctx *c)
{
	uint8_t *b = base;

	for (; rows && !r->bad; rows &= rows - 1) {
		size_t i = (size_t)__builtin_ctzll(rows);

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
	uint64_t rows;

	memset(obj, 0, size);
	rows = rd_uv(&r, uv_max(8) >> (64 - n));
	*set = from_rows(g, n, rows);
	f = rd_take(&r, 1);
	if (!f)
		goto bad;
	*family = c.family = *f;
	c.orig = orig && (*set & CT_ORIG) ? orig : NULL;
	get_groups(&r, g, rows, obj, &c);
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
	rc = unpack(buf, len, ct_pack_entry_groups, NGROUPS(ct_pack_entry_groups), e,
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
	rc = unpack(buf, len, ct_pack_expect_groups, NGROUPS(ct_pack_expect_groups), x,
		    sizeof(*x), &set, &x->family, NULL);
	x->set = (uint32_t)set;
	return rc;
}
