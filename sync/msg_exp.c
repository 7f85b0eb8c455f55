// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectation messages of the sync protocol (EXP_NEW, EXP_UPD, EXP_DEL):
 * the master's orig tuple, the expected tuple, its mask, then timeout,
 * flags, class, the NAT part and the helper and expectfn names, as
 * upstream's exp2msg() (src/build.c) writes them and msg2exp()
 * (src/parse.c) reads them. Upstream sends the ports of all four tuples
 * only when the MASTER is tcp, udp, sctp or dccp, and the NAT address
 * only for IPv4 (there is no attribute for an IPv6 one); we send ports
 * wherever a tuple has them, except with opts->upstream_compat.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "sync/msg.h"
#include "sync/msg_int.h"

#define PORTS	(CT_TUPLE_SPORT | CT_TUPLE_DPORT)
#define ADDRS	(CT_TUPLE_SRC | CT_TUPLE_DST)

/* ---- building --------------------------------------------------------- */

/* The attribute numbers of one tuple's group. */
struct tuple_attrs {
	uint16_t ip4, ip6, proto, port;
};

static const struct tuple_attrs master_attrs = {
	SYNC_NTA_EXP_MASTER_IPV4, SYNC_NTA_EXP_MASTER_IPV6,
	SYNC_NTA_EXP_MASTER_L4PROTO, SYNC_NTA_EXP_MASTER_PORT
};
static const struct tuple_attrs expect_attrs = {
	SYNC_NTA_EXP_EXPECT_IPV4, SYNC_NTA_EXP_EXPECT_IPV6,
	SYNC_NTA_EXP_EXPECT_L4PROTO, SYNC_NTA_EXP_EXPECT_PORT
};
static const struct tuple_attrs mask_attrs = {
	SYNC_NTA_EXP_MASK_IPV4, SYNC_NTA_EXP_MASK_IPV6,
	SYNC_NTA_EXP_MASK_L4PROTO, SYNC_NTA_EXP_MASK_PORT
};

struct exp_ctx {
	struct sync_wr w;
	const struct ct_expect *x;
	const struct sync_msg_opts *o;
	uint8_t l3;
};

/* upstream decides by the master's protocol, for all four tuples */
static int ports_sent(const struct exp_ctx *c, const struct ct_tuple *t)
{
	if (!(t->set & PORTS))
		return 0;
	return !c->o->upstream_compat ||
	       sync_l4_upstream_ports(c->x->master.l4);
}

static void put_tuple(struct exp_ctx *c, const struct tuple_attrs *ta,
		      const struct ct_tuple *t)
{
	uint8_t l3 = t->l3 ? t->l3 : c->l3;

	if ((t->set & ADDRS) == ADDRS && (l3 == AF_INET || l3 == AF_INET6))
		sync_wr_addrs(&c->w, ta->ip4, ta->ip6, l3, t);
	if (t->set & CT_TUPLE_PROTO)
		sync_wr_u8(&c->w, ta->proto, t->l4);
	if (ports_sent(c, t))
		sync_wr_ports(&c->w, ta->port, t);
}

static void put_nat(struct exp_ctx *c)
{
	const struct ct_tuple *t = &c->x->nat_tuple;
	uint8_t l3 = t->l3 ? t->l3 : c->l3;

	if (!(c->x->set & CT_EXP_NAT))
		return;
	if ((t->set & ADDRS) == ADDRS && l3 == AF_INET)
		sync_wr_addrs(&c->w, SYNC_NTA_EXP_NAT_IPV4, 0, AF_INET, t);
	if (t->set & CT_TUPLE_PROTO)
		sync_wr_u8(&c->w, SYNC_NTA_EXP_NAT_L4PROTO, t->l4);
	if (ports_sent(c, t))
		sync_wr_ports(&c->w, SYNC_NTA_EXP_NAT_PORT, t);
	sync_wr_be32(&c->w, SYNC_NTA_EXP_NAT_DIR, c->x->nat_dir);
}

static void put_str(struct exp_ctx *c, uint32_t bit, uint16_t type,
		    const char *s)
{
	if ((c->x->set & bit) && s)
		sync_wr_bytes(&c->w, type, s, strlen(s) + 1);
}

static int can_build(const struct ct_expect *x, uint8_t l3)
{
	uint32_t need = CT_EXP_MASTER | CT_EXP_TUPLE;

	if ((x->set & need) != need || (x->master.set & ADDRS) != ADDRS ||
	    (x->tuple.set & ADDRS) != ADDRS ||
	    (l3 != AF_INET && l3 != AF_INET6))
		return 0;
	if ((x->set & CT_EXP_HELPER) && x->helper &&
	    strnlen(x->helper, SYNC_HELPER_MAX) >= SYNC_HELPER_MAX)
		return 0;
	return !((x->set & CT_EXP_FN) && x->fn &&
		 strnlen(x->fn, SYNC_EXP_FN_MAX) >= SYNC_EXP_FN_MAX);
}

int sync_msg_build_exp(void *buf, size_t cap, enum sync_msg_type type,
		       const struct ct_expect *x,
		       const struct sync_msg_opts *o)
{
	static const struct sync_msg_opts no_opts;
	struct exp_ctx c = { .x = x, .o = o ? o : &no_opts };

	c.l3 = x->family ? x->family : x->master.l3;
	if (type < SYNC_T_EXP_NEW || type > SYNC_T_EXP_DEL ||
	    !can_build(x, c.l3))
		return -EINVAL;
	sync_wr_begin(&c.w, buf, cap, (uint8_t)type);
	put_tuple(&c, &master_attrs, &x->master);
	put_tuple(&c, &expect_attrs, &x->tuple);
	if (x->set & CT_EXP_MASK)
		put_tuple(&c, &mask_attrs, &x->mask);
	if ((x->set & CT_EXP_TIMEOUT) && !c.o->no_timeout)
		sync_wr_be32(&c.w, SYNC_NTA_EXP_TIMEOUT, x->timeout);
	if (x->set & CT_EXP_FLAGS)
		sync_wr_be32(&c.w, SYNC_NTA_EXP_FLAGS, x->flags);
	if (x->set & CT_EXP_CLASS)
		sync_wr_be32(&c.w, SYNC_NTA_EXP_CLASS, x->class);
	put_nat(&c);
	put_str(&c, CT_EXP_HELPER, SYNC_NTA_EXP_HELPER_NAME, x->helper);
	put_str(&c, CT_EXP_FN, SYNC_NTA_EXP_FN, x->fn);
	return sync_wr_end(&c.w);
}

/* ---- parsing ---------------------------------------------------------- */

#define FIX(n)	{ SYNC_POL_FIXED, (n) }

static const struct sync_pol exp_pol[SYNC_NTA_EXP_MAX] = {
	[SYNC_NTA_EXP_MASTER_IPV4] = FIX(8),
	[SYNC_NTA_EXP_MASTER_IPV6] = FIX(32),
	[SYNC_NTA_EXP_MASTER_L4PROTO] = FIX(1),
	[SYNC_NTA_EXP_MASTER_PORT] = FIX(4),
	[SYNC_NTA_EXP_EXPECT_IPV4] = FIX(8),
	[SYNC_NTA_EXP_EXPECT_IPV6] = FIX(32),
	[SYNC_NTA_EXP_EXPECT_L4PROTO] = FIX(1),
	[SYNC_NTA_EXP_EXPECT_PORT] = FIX(4),
	[SYNC_NTA_EXP_MASK_IPV4] = FIX(8),
	[SYNC_NTA_EXP_MASK_IPV6] = FIX(32),
	[SYNC_NTA_EXP_MASK_L4PROTO] = FIX(1),
	[SYNC_NTA_EXP_MASK_PORT] = FIX(4),
	[SYNC_NTA_EXP_TIMEOUT] = FIX(4),
	[SYNC_NTA_EXP_FLAGS] = FIX(4),
	[SYNC_NTA_EXP_CLASS] = FIX(4),
	[SYNC_NTA_EXP_NAT_IPV4] = FIX(8),
	[SYNC_NTA_EXP_NAT_PORT] = FIX(4),
	[SYNC_NTA_EXP_NAT_L4PROTO] = FIX(1),
	[SYNC_NTA_EXP_NAT_DIR] = FIX(4),
	[SYNC_NTA_EXP_HELPER_NAME] = { SYNC_POL_STR, SYNC_HELPER_MAX },
	[SYNC_NTA_EXP_FN] = { SYNC_POL_STR, SYNC_EXP_FN_MAX },
};

/* The tuple an attribute of the four tuple groups goes to, or NULL;
 * *@what is 0 address, 1 protocol, 2 ports. */
static struct ct_tuple *tuple_of(struct ct_expect *x, uint16_t type,
				 int *what)
{
	struct ct_tuple *t[] = { &x->master, &x->tuple, &x->mask };

	if (type <= SYNC_NTA_EXP_MASK_PORT) {
		*what = type % 4 < 2 ? 0 : type % 4 - 1;
		return t[type / 4];
	}
	switch (type) {
	case SYNC_NTA_EXP_NAT_IPV4:
		*what = 0;
		return &x->nat_tuple;
	case SYNC_NTA_EXP_NAT_L4PROTO:
		*what = 1;
		return &x->nat_tuple;
	case SYNC_NTA_EXP_NAT_PORT:
		*what = 2;
		return &x->nat_tuple;
	}
	return NULL;
}

static void get_tuple_part(const struct sync_attr *a, struct ct_tuple *t,
			   int what)
{
	if (what == 0) {
		sync_get_addrs(a, t);
	} else if (what == 1) {
		t->l4 = a->val[0];
		t->set |= CT_TUPLE_PROTO;
	} else {
		sync_get_ports(a, t);
	}
}

static int get_scalar(const struct sync_attr *a, struct ct_expect *x)
{
	uint32_t v = a->len == 4 ? sync_get_be32(a->val) : 0;

	switch (a->type) {
	case SYNC_NTA_EXP_TIMEOUT:
		x->timeout = v;
		x->set |= CT_EXP_TIMEOUT;
		break;
	case SYNC_NTA_EXP_FLAGS:
		x->flags = v;
		x->set |= CT_EXP_FLAGS;
		break;
	case SYNC_NTA_EXP_CLASS:
		x->class = v;
		x->set |= CT_EXP_CLASS;
		break;
	case SYNC_NTA_EXP_NAT_DIR:
		if (v > CT_DIR_REPLY)	/* the kernel's policy max */
			return -EBADMSG;
		x->nat_dir = (uint8_t)v;
		break;
	case SYNC_NTA_EXP_HELPER_NAME:
		x->helper = (const char *)a->val;
		x->set |= CT_EXP_HELPER;
		break;
	case SYNC_NTA_EXP_FN:
		x->fn = (const char *)a->val;
		x->set |= CT_EXP_FN;
		break;
	}
	return 0;
}

/* Presence bits from what arrived; a tuple without its addresses is
 * dropped (but the NAT one, which may be a port alone). */
static int finish(struct ct_expect *x)
{
	if ((x->master.set & ADDRS) != ADDRS ||
	    (x->tuple.set & ADDRS) != ADDRS)
		return -EBADMSG;
	x->set |= CT_EXP_MASTER | CT_EXP_TUPLE;
	x->family = x->master.l3;
	if ((x->mask.set & ADDRS) == ADDRS)
		x->set |= CT_EXP_MASK;
	else
		memset(&x->mask, 0, sizeof(x->mask));
	if (x->nat_tuple.set)
		x->set |= CT_EXP_NAT;
	else
		x->nat_dir = 0;
	return 0;
}

int sync_msg_parse_exp(const void *msg, size_t len, struct ct_expect *x,
		       struct sync_msg_stats *st)
{
	struct sync_attr a;
	size_t off = SYNC_MSG_HDR_LEN;
	int rc, what = 0;

	memset(x, 0, sizeof(*x));
	if (len < SYNC_MSG_HDR_LEN)
		return sync_bad_payload(st);
	while ((rc = sync_attr_next(msg, len, &off, &a, exp_pol,
				    SYNC_NTA_EXP_MAX)) > 0) {
		struct ct_tuple *t = tuple_of(x, a.type, &what);

		if (t)
			get_tuple_part(&a, t, what);
		else if (get_scalar(&a, x) < 0)
			rc = -EBADMSG;
		if (rc < 0)
			break;
	}
	if (rc < 0 || finish(x) < 0) {
		memset(x, 0, sizeof(*x));
		return sync_bad_payload(st);
	}
	return 0;
}
