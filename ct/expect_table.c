// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The expectation table operations. Each builds one request in a stack
 * buffer, runs it through nl_query() and decodes the answers in place.
 * The kernel's expectation flush ignores the family (ctnetlink_del_expect
 * iterates over everything), so a per-family flush is a dump and
 * deletes, in bounded batches so that memory stays constant.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ct/encode.h"
#include "ct/expect_codec.h"
#include "ct/expect_table.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/sock.h"

#define REQ_BUF 1024		/* one request: three tuples fit easily */
#define FLUSH_BATCH 64		/* expectations deleted per dump pass */
#define FLUSH_PASSES 1024	/* give up on a table that keeps refilling */

/* ---- dump and get ---------------------------------------------------- */

struct exp_ctx {
	ct_expect_cb cb;
	void *arg;
	uint64_t seen;
	int err;		/* first decode failure */
	struct nl_attr_err ae;
};

static int exp_data(const struct nlmsghdr *nlh, void *arg)
{
	struct exp_ctx *c = arg;
	struct ct_expect x;
	int rc;

	rc = ct_expect_decode(nlh, &x, &c->ae);
	if (rc < 0)
		return c->err = rc;
	c->seen++;
	return c->cb ? c->cb(&x, nlh, c->arg) : 0;
}

static int exp_query(struct nl_sock *s, struct nl_msg *m, struct exp_ctx *c,
		     struct nl_ack *ack)
{
	int rc;

	nl_msg_end(m);
	rc = nl_query(s, m, exp_data, c, ack);
	if (c->err && rc == c->err)
		nl_ack_attr_err(ack, -rc, &c->ae);
	return rc;
}

int ct_expect_dump(struct nl_sock *s, uint8_t family,
		   const struct ct_tuple *master, ct_expect_cb cb, void *arg,
		   uint64_t *seen, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct exp_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	/* the kernel parses the master tuple by nfgen_family */
	if (master && !family)
		family = master->l3;
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			       IPCTNL_MSG_EXP_GET, NLM_F_DUMP,
			       nl_sock_seq_next(s), family);
	if (rc == 0 && master)
		rc = ct_tuple_put(&m, CTA_EXPECT_MASTER, master);
	if (rc < 0)
		return rc;
	rc = exp_query(s, &m, &c, ack);
	if (seen)
		*seen = c.seen;
	return rc;
}

int ct_expect_get(struct nl_sock *s, const struct ct_expect *key,
		  ct_expect_cb cb, void *arg, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct exp_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			       IPCTNL_MSG_EXP_GET, 0, nl_sock_seq_next(s),
			       key->family);
	if (rc == 0)
		rc = ct_expect_put_key(&m, key);
	if (rc < 0)
		return rc;
	return exp_query(s, &m, &c, ack);
}

/* ---- changes ---------------------------------------------------------- */

int ct_expect_create(struct nl_sock *s, const struct ct_expect *x,
		     uint16_t flags, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			       IPCTNL_MSG_EXP_NEW, flags | NLM_F_ACK,
			       nl_sock_seq_next(s), x->family);
	if (rc == 0)
		rc = ct_expect_put_new(&m, x);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, NULL, NULL, ack);
}

int ct_expect_delete(struct nl_sock *s, const struct ct_expect *x,
		     struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	if (!(x->set & CT_EXP_TUPLE))
		return -EINVAL;
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			       IPCTNL_MSG_EXP_DELETE, NLM_F_ACK,
			       nl_sock_seq_next(s), x->family);
	if (rc == 0)
		rc = ct_expect_put_key(&m, x);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, NULL, NULL, ack);
}

/* One pass of a family flush: the keys of up to FLUSH_BATCH expectations
 * (copied: the dump's receive buffer is reused by the deletes). */
struct flush_pass {
	unsigned int n;
	uint64_t total;			/* expectations of the family seen */
	struct {
		struct ct_tuple tuple;
		uint32_t id;
		uint8_t has_id;
	} key[FLUSH_BATCH];
};

static int flush_collect(const struct ct_expect *x,
			 const struct nlmsghdr *nlh, void *arg)
{
	struct flush_pass *p = arg;

	(void)nlh;
	p->total++;
	if (p->n == FLUSH_BATCH || !(x->set & CT_EXP_TUPLE))
		return 0;
	p->key[p->n].tuple = x->tuple;
	p->key[p->n].id = x->id;
	p->key[p->n].has_id = (x->set & CT_EXP_ID) != 0;
	p->n++;
	return 0;
}

static int flush_family(struct nl_sock *s, uint8_t family,
			uint64_t *deleted, struct nl_ack *ack)
{
	struct flush_pass p;
	struct ct_expect k;
	int rc;

	for (unsigned int pass = 0; pass < FLUSH_PASSES; pass++) {
		uint64_t before = *deleted;

		p.n = 0;
		p.total = 0;
		rc = ct_expect_dump(s, family, NULL, flush_collect, &p, NULL,
				    ack);
		if (rc < 0)
			return rc;
		for (unsigned int i = 0; i < p.n; i++) {
			memset(&k, 0, sizeof(k));
			k.family = family;
			k.tuple = p.key[i].tuple;
			k.id = p.key[i].id;
			k.set = CT_EXP_TUPLE | (p.key[i].has_id ? CT_EXP_ID : 0);
			rc = ct_expect_delete(s, &k, ack);
			if (rc == -ENOENT)
				continue;	/* expired meanwhile */
			if (rc < 0)
				return rc;
			(*deleted)++;
		}
		nl_ack_clear(ack);
		/* done once a dump held no more than one batch, or when
		 * nothing could be deleted (zoned expectations: dumps do
		 * not say their zone, so deletes by tuple miss them) */
		if (p.total <= p.n || *deleted == before)
			return 0;
	}
	return -EAGAIN;
}

int ct_expect_flush(struct nl_sock *s, uint8_t family, const char *helper,
		    uint64_t *deleted, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[256];
	uint64_t n = 0;
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	if (family && !helper) {
		rc = flush_family(s, family, &n, ack);
		if (deleted)
			*deleted = n;
		return rc;
	}
	if (deleted)
		*deleted = UINT64_MAX;
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			       IPCTNL_MSG_EXP_DELETE, NLM_F_ACK,
			       nl_sock_seq_next(s), family);
	if (rc == 0 && helper)
		rc = strlen(helper) < CT_EXP_HELPER_MAX ?
		     nl_attr_put_str(&m, CTA_EXPECT_HELP_NAME, helper) :
		     -EINVAL;
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, NULL, NULL, ack);
}

/* ---- count and statistics -------------------------------------------- */

int ct_expect_count(struct nl_sock *s, uint8_t family, uint32_t *count,
		    struct nl_ack *ack)
{
	uint64_t seen = 0;
	int rc;

	rc = ct_expect_dump(s, family, NULL, NULL, NULL, &seen, ack);
	if (rc < 0)
		return rc;
	*count = seen > UINT32_MAX ? UINT32_MAX : (uint32_t)seen;
	return 0;
}
