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

#include "ct/pack_int.h"
#include "ct/proto.h"

/* ---- writing --------------------------------------------------------- */

/* Fields are copied by nl_copy: a copy of a size known only at run time
 * compiles to `rep movs`, whose start-up cost was most of packing an
 * entry. */
static void wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (n <= w->cap && w->len <= w->cap - n)
		nl_copy(w->p + w->len, src, n);
	w->len += n;
}

/* LEB128 straight into the buffer (counted only, past its end). */
static void wr_uv(struct wr *w, uint64_t v)
{
	do {
		uint8_t b = (uint8_t)(v & 0x7f);

		v >>= 7;
		if (v)
			b |= 0x80;
		if (w->len < w->cap)
			w->p[w->len] = b;
		w->len++;
	} while (v);
}

static int put_groups(struct wr *w, const struct group *g, uint64_t rows,
		      const void *base, const struct ctx *c);

/* ct_pack_mirrors() compares by hand what ct_pack_tuple_groups would
 * write. */
_Static_assert(CT_PACK_TUPLE_ROWS == 9,
	       "a tuple row added: ct_pack_mirrors() must compare it too");

/*
 * The full form of @t is the full form of the inverted orig tuple with
 * @t's addresses and ports: the same presence bits and l3, and the same
 * value in every other field present (compared here field by field
 * rather than packed twice: this runs for every flow cached, and for
 * every reply unpacked).
 */
bool ct_pack_mirrors(const struct ct_tuple *t, const struct ct_tuple *orig,
		     uint16_t *delta)
{
	uint16_t set = t->set & TUPLE_KNOWN;
	struct ct_tuple inv;
	size_t n;

	ct_pack_tuple_invert(&inv, orig);
	if (set != (inv.set & TUPLE_KNOWN) || t->l3 != inv.l3 ||
	    ((set & CT_TUPLE_PROTO) && t->l4 != inv.l4) ||
	    ((set & CT_TUPLE_ICMP_TYPE) && t->icmp_type != inv.icmp_type) ||
	    ((set & CT_TUPLE_ICMP_CODE) && t->icmp_code != inv.icmp_code) ||
	    ((set & CT_TUPLE_ICMP_ID) && t->icmp_id != inv.icmp_id) ||
	    ((set & CT_TUPLE_ZONE) && t->zone != inv.zone))
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

int ct_pack_put_tuple(struct wr *w, const struct ct_tuple *t,
		     const struct ctx *c, bool may_mirror)
{
	struct ctx tc = { t->l3, NULL };
	uint16_t set = t->set & TUPLE_KNOWN, delta;

	if (may_mirror && c->orig && ct_pack_mirrors(t, c->orig, &delta)) {
		wr_uv(w, (uint64_t)delta << 2 | T_MIRROR);
		set = delta;
	} else {
		wr_uv(w, (uint64_t)set << 2 |
			 (t->l3 != c->family ? T_L3X : 0));
		if (t->l3 != c->family)
			wr_bytes(w, &t->l3, 1);
	}
	return put_groups(w, ct_pack_tuple_groups,
			  to_rows(ct_pack_tuple_groups,
				  NGROUPS(ct_pack_tuple_groups), set), t, &tc);
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
		return ct_pack_put_tuple(w, (const struct ct_tuple *)(const void *)p,
				 c, it->kind == K_REPLY);
	}
}

/* The groups of @g whose rows are set in @rows (bit i: row i), in order:
 * only those rows are visited. */
static int put_groups(struct wr *w, const struct group *g, uint64_t rows,
		      const void *base, const struct ctx *c)
{
	const uint8_t *b = base;
	int rc;

	for (size_t i = 0; rows; i++, rows >>= 1) {
		if (!(rows & 1))
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

/* @set holds presence bits (those without a row are left out). */
static int pack(void *buf, size_t cap, const struct group *g, size_t n,
		uint64_t set, const void *base, const struct ctx *c)
{
	struct wr w = { buf, cap, 0 };
	uint64_t rows = to_rows(g, n, set);
	int rc;

	wr_uv(&w, rows);
	wr_bytes(&w, &c->family, 1);
	rc = put_groups(&w, g, rows, base, c);
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
	set = e->set & fields;
	c.family = e->family;
	c.orig = set & CT_ORIG ? &e->orig : NULL;
	return pack(buf, cap, ct_pack_entry_groups, NGROUPS(ct_pack_entry_groups), set, e,
		    &c);
}

int ct_expect_pack(void *buf, size_t cap, const struct ct_expect *x,
		   uint32_t fields)
{
	struct ctx c = { 0, NULL };

	if (!buf || !x)
		return -EINVAL;
	c.family = x->family;
	return pack(buf, cap, ct_pack_expect_groups,
		    NGROUPS(ct_pack_expect_groups), x->set & fields, x, &c);
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
