// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack message decoding. One policy table per nesting level, each
 * level parsed once with nl_attr_parse() (no NL_PARSE_DEEP: we recurse
 * ourselves and would otherwise validate every nest twice). Errors in a
 * nest are reported with offsets relative to the whole attribute stream
 * and the depth at which they were found.
 *
 *   CTA_TUPLE_ORIG/REPLY/MASTER { CTA_TUPLE_IP { V4/V6 SRC, DST },
 *                                 CTA_TUPLE_PROTO { NUM, ports | icmp },
 *                                 CTA_TUPLE_ZONE }
 *   CTA_PROTOINFO { TCP | SCTP | DCCP { ... } }  (ct/decode_protoinfo.c)
 *   CTA_COUNTERS_ORIG/REPLY, CTA_TIMESTAMP, CTA_HELP, CTA_SECCTX,
 *   CTA_SEQ_ADJ_ORIG/REPLY, CTA_SYNPROXY, CTA_NAT_SRC/DST { ... }
 *   scalars: status, timeout, mark, secmark, id, use, zone, labels...
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/decode_int.h"
#include "ct/proto.h"
#include "nl/reply.h"

static const struct nl_attr_policy counters_pol[CTA_COUNTERS_MAX + 1] = {
	[CTA_COUNTERS_PACKETS] = U64,
	[CTA_COUNTERS_BYTES] = U64,
	[CTA_COUNTERS32_PACKETS] = U32,
	[CTA_COUNTERS32_BYTES] = U32,
};

static const struct nl_attr_policy ts_pol[CTA_TIMESTAMP_MAX + 1] = {
	[CTA_TIMESTAMP_START] = U64,
	[CTA_TIMESTAMP_STOP] = U64,
};

static const struct nl_attr_policy help_pol[CTA_HELP_MAX + 1] = {
	[CTA_HELP_NAME] = { .kind = NL_ATTR_STRING, .max_len = 16 },
};

static const struct nl_attr_policy secctx_pol[CTA_SECCTX_MAX + 1] = {
	[CTA_SECCTX_NAME] = { .kind = NL_ATTR_STRING },
};

static const struct nl_attr_policy seqadj_pol[CTA_SEQADJ_MAX + 1] = {
	[CTA_SEQADJ_CORRECTION_POS] = U32,
	[CTA_SEQADJ_OFFSET_BEFORE] = U32,
	[CTA_SEQADJ_OFFSET_AFTER] = U32,
};

static const struct nl_attr_policy synproxy_pol[CTA_SYNPROXY_MAX + 1] = {
	[CTA_SYNPROXY_ISN] = U32,
	[CTA_SYNPROXY_ITS] = U32,
	[CTA_SYNPROXY_TSOFF] = U32,
};

static const struct nl_attr_policy nat_pol[CTA_NAT_MAX + 1] = {
	[CTA_NAT_V4_MINIP] = BIN(4),
	[CTA_NAT_V4_MAXIP] = BIN(4),
	[CTA_NAT_PROTO] = NEST,
	[CTA_NAT_V6_MINIP] = BIN(16),
	[CTA_NAT_V6_MAXIP] = BIN(16),
};

static const struct nl_attr_policy protonat_pol[CTA_PROTONAT_MAX + 1] = {
	[CTA_PROTONAT_PORT_MIN] = U16,
	[CTA_PROTONAT_PORT_MAX] = U16,
};

static const struct nl_attr_policy ct_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = NEST,
	[CTA_TUPLE_REPLY] = NEST,
	[CTA_STATUS] = U32,
	[CTA_PROTOINFO] = NEST,
	[CTA_HELP] = NEST,
	[CTA_NAT_SRC] = NEST,
	[CTA_TIMEOUT] = U32,
	[CTA_MARK] = U32,
	[CTA_COUNTERS_ORIG] = NEST,
	[CTA_COUNTERS_REPLY] = NEST,
	[CTA_USE] = U32,
	[CTA_ID] = U32,
	[CTA_NAT_DST] = NEST,
	[CTA_TUPLE_MASTER] = NEST,
	[CTA_SEQ_ADJ_ORIG] = NEST,
	[CTA_SEQ_ADJ_REPLY] = NEST,
	[CTA_SECMARK] = U32,
	[CTA_ZONE] = U16,
	[CTA_SECCTX] = NEST,
	[CTA_TIMESTAMP] = NEST,
	[CTA_MARK_MASK] = U32,
	[CTA_LABELS] = { .kind = NL_ATTR_BINARY, .min_len = 1,
			 .max_len = CT_LABELS_BYTES },
	[CTA_LABELS_MASK] = { .kind = NL_ATTR_BINARY, .min_len = 1,
			      .max_len = CT_LABELS_BYTES },
	[CTA_SYNPROXY] = NEST,
	[CTA_STATUS_MASK] = U32,
	[CTA_TIMESTAMP_EVENT] = U64,
};

static int decode_counters(const struct ct_dctx *c, const struct nlattr *nest,
			   struct ct_counters *k)
{
	const struct nlattr *tb[CTA_COUNTERS_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, counters_pol, CTA_COUNTERS_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_COUNTERS_PACKETS])
		k->packets = nl_attr_get_be64(tb[CTA_COUNTERS_PACKETS]);
	else if (tb[CTA_COUNTERS32_PACKETS])
		k->packets = nl_attr_get_be32(tb[CTA_COUNTERS32_PACKETS]);
	if (tb[CTA_COUNTERS_BYTES])
		k->bytes = nl_attr_get_be64(tb[CTA_COUNTERS_BYTES]);
	else if (tb[CTA_COUNTERS32_BYTES])
		k->bytes = nl_attr_get_be32(tb[CTA_COUNTERS32_BYTES]);
	return 0;
}

static int decode_timestamp(const struct ct_dctx *c, const struct nlattr *nest,
			    struct ct_entry *e)
{
	const struct nlattr *tb[CTA_TIMESTAMP_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, ts_pol, CTA_TIMESTAMP_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_TIMESTAMP_START]) {
		e->ts_start = nl_attr_get_be64(tb[CTA_TIMESTAMP_START]);
		e->set |= CT_TIMESTAMP_START;
	}
	if (tb[CTA_TIMESTAMP_STOP]) {
		e->ts_stop = nl_attr_get_be64(tb[CTA_TIMESTAMP_STOP]);
		e->set |= CT_TIMESTAMP_STOP;
	}
	return 0;
}

/* A nest holding one string (CTA_HELP, CTA_SECCTX): *@out points into
 * the message, NULL if the nest has no name. */
static int decode_name(const struct ct_dctx *c, const struct nlattr *nest,
		       const struct nl_attr_policy *pol, const char **out)
{
	const struct nlattr *tb[2];
	int rc;

	rc = ct_decode_nest(c, nest, pol, 1, tb, 1);
	if (rc < 0)
		return rc;
	*out = tb[1] ? nl_attr_get_str(tb[1]) : NULL;
	return 0;
}

static int decode_seqadj(const struct ct_dctx *c, const struct nlattr *nest,
			 struct ct_seqadj *s)
{
	const struct nlattr *tb[CTA_SEQADJ_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, seqadj_pol, CTA_SEQADJ_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_SEQADJ_CORRECTION_POS])
		s->correction_pos =
			nl_attr_get_be32(tb[CTA_SEQADJ_CORRECTION_POS]);
	if (tb[CTA_SEQADJ_OFFSET_BEFORE])
		s->offset_before =
			nl_attr_get_be32(tb[CTA_SEQADJ_OFFSET_BEFORE]);
	if (tb[CTA_SEQADJ_OFFSET_AFTER])
		s->offset_after = nl_attr_get_be32(tb[CTA_SEQADJ_OFFSET_AFTER]);
	return 0;
}

static int decode_synproxy(const struct ct_dctx *c, const struct nlattr *nest,
			   struct ct_entry *e)
{
	const struct nlattr *tb[CTA_SYNPROXY_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, synproxy_pol, CTA_SYNPROXY_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_SYNPROXY_ISN])
		e->synproxy.isn = nl_attr_get_be32(tb[CTA_SYNPROXY_ISN]);
	if (tb[CTA_SYNPROXY_ITS])
		e->synproxy.its = nl_attr_get_be32(tb[CTA_SYNPROXY_ITS]);
	if (tb[CTA_SYNPROXY_TSOFF])
		e->synproxy.tsoff = nl_attr_get_be32(tb[CTA_SYNPROXY_TSOFF]);
	return 0;
}

/* CTA_NAT_SRC/DST as a request carries them (the kernel never sends
 * them; decoding them lets requests round-trip in tests). An absent max
 * means "same as min", as the kernel reads it. */
static int decode_nat(const struct ct_dctx *c, const struct nlattr *nest,
		      struct ct_nat *n)
{
	const struct nlattr *tb[CTA_NAT_MAX + 1];
	const struct nlattr *pt[CTA_PROTONAT_MAX + 1];
	uint16_t mn = CTA_NAT_V4_MINIP, mx = CTA_NAT_V4_MAXIP;
	int rc;

	rc = ct_decode_nest(c, nest, nat_pol, CTA_NAT_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_NAT_V6_MINIP]) {
		mn = CTA_NAT_V6_MINIP;
		mx = CTA_NAT_V6_MAXIP;
	}
	if (tb[mn]) {
		ct_decode_addr(&n->min_ip, tb[mn]);
		n->max_ip = n->min_ip;
	}
	if (tb[mx])
		ct_decode_addr(&n->max_ip, tb[mx]);
	if (tb[CTA_NAT_PROTO]) {
		rc = ct_decode_nest(c, tb[CTA_NAT_PROTO], protonat_pol,
				CTA_PROTONAT_MAX, pt, 2);
		if (rc < 0)
			return rc;
		if (pt[CTA_PROTONAT_PORT_MIN]) {
			n->min_port =
				nl_attr_get_be16(pt[CTA_PROTONAT_PORT_MIN]);
			n->max_port = n->min_port;
			n->has_port = 1;
		}
		if (pt[CTA_PROTONAT_PORT_MAX]) {
			n->max_port =
				nl_attr_get_be16(pt[CTA_PROTONAT_PORT_MAX]);
			n->has_port = 1;
		}
	}
	return 0;
}

/* The three tuples: attribute, presence bit, destination. */
static int decode_tuples(const struct ct_dctx *c, const struct nlattr **tb,
			 struct ct_entry *e)
{
	static const struct {
		uint16_t attr;
		uint64_t bit;
		size_t off;
	} rows[] = {
		{ CTA_TUPLE_ORIG, CT_ORIG, offsetof(struct ct_entry, orig) },
		{ CTA_TUPLE_REPLY, CT_REPLY,
		  offsetof(struct ct_entry, reply) },
		{ CTA_TUPLE_MASTER, CT_MASTER,
		  offsetof(struct ct_entry, master) },
	};
	int rc;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!tb[rows[i].attr])
			continue;
		rc = ct_decode_tuple_nest(c, tb[rows[i].attr], e->family,
				  (struct ct_tuple *)(void *)
				  ((unsigned char *)e + rows[i].off), 1);
		if (rc < 0)
			return rc;
		e->set |= rows[i].bit;
	}
	return 0;
}

/* The be32 scalars: attribute, presence bit, destination. */
static void decode_u32s(const struct nlattr **tb, struct ct_entry *e)
{
	static const struct {
		uint16_t attr;
		uint64_t bit;
		size_t off;
	} rows[] = {
		{ CTA_STATUS, CT_STATUS, offsetof(struct ct_entry, status) },
		{ CTA_STATUS_MASK, CT_STATUS_MASK,
		  offsetof(struct ct_entry, status_mask) },
		{ CTA_TIMEOUT, CT_TIMEOUT,
		  offsetof(struct ct_entry, timeout) },
		{ CTA_MARK, CT_MARK, offsetof(struct ct_entry, mark) },
		{ CTA_MARK_MASK, CT_MARK_MASK,
		  offsetof(struct ct_entry, mark_mask) },
		{ CTA_SECMARK, CT_SECMARK,
		  offsetof(struct ct_entry, secmark) },
		{ CTA_ID, CT_ID, offsetof(struct ct_entry, id) },
		{ CTA_USE, CT_USE, offsetof(struct ct_entry, use) },
	};
	uint32_t v;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!tb[rows[i].attr])
			continue;
		v = nl_attr_get_be32(tb[rows[i].attr]);
		memcpy((unsigned char *)e + rows[i].off, &v, sizeof(v));
		e->set |= rows[i].bit;
	}
}

static void decode_labels(const struct nlattr **tb, struct ct_entry *e)
{
	uint16_t n;

	if (tb[CTA_LABELS]) {
		n = nl_attr_payload_len(tb[CTA_LABELS]);
		memcpy(e->labels, nl_attr_data(tb[CTA_LABELS]), n);
		e->labels_len = (uint8_t)n;
		e->set |= CT_LABELS;
	}
	if (tb[CTA_LABELS_MASK]) {
		n = nl_attr_payload_len(tb[CTA_LABELS_MASK]);
		memcpy(e->labels_mask, nl_attr_data(tb[CTA_LABELS_MASK]), n);
		e->labels_mask_len = (uint8_t)n;
		e->set |= CT_LABELS_MASK;
	}
}

/* The nests other than tuples, in a table so each is one line. */
static int decode_nests(const struct ct_dctx *c, const struct nlattr **tb,
			struct ct_entry *e)
{
	int rc = 0;

	if (tb[CTA_PROTOINFO] &&
	    (rc = ct_decode_protoinfo(c, tb[CTA_PROTOINFO], e)) < 0)
		return rc;
	if (tb[CTA_COUNTERS_ORIG]) {
		rc = decode_counters(c, tb[CTA_COUNTERS_ORIG],
				     &e->counters[CT_DIR_ORIG]);
		if (rc < 0)
			return rc;
		e->set |= CT_COUNTERS_ORIG;
	}
	if (tb[CTA_COUNTERS_REPLY]) {
		rc = decode_counters(c, tb[CTA_COUNTERS_REPLY],
				     &e->counters[CT_DIR_REPLY]);
		if (rc < 0)
			return rc;
		e->set |= CT_COUNTERS_REPLY;
	}
	if (tb[CTA_TIMESTAMP] &&
	    (rc = decode_timestamp(c, tb[CTA_TIMESTAMP], e)) < 0)
		return rc;
	if (tb[CTA_HELP]) {
		rc = decode_name(c, tb[CTA_HELP], help_pol, &e->helper);
		if (rc < 0)
			return rc;
		if (e->helper)
			e->set |= CT_HELPER;
	}
	if (tb[CTA_SECCTX]) {
		rc = decode_name(c, tb[CTA_SECCTX], secctx_pol, &e->secctx);
		if (rc < 0)
			return rc;
		if (e->secctx)
			e->set |= CT_SECCTX;
	}
	if (tb[CTA_SEQ_ADJ_ORIG]) {
		rc = decode_seqadj(c, tb[CTA_SEQ_ADJ_ORIG],
				   &e->seqadj[CT_DIR_ORIG]);
		if (rc < 0)
			return rc;
		e->set |= CT_SEQADJ_ORIG;
	}
	if (tb[CTA_SEQ_ADJ_REPLY]) {
		rc = decode_seqadj(c, tb[CTA_SEQ_ADJ_REPLY],
				   &e->seqadj[CT_DIR_REPLY]);
		if (rc < 0)
			return rc;
		e->set |= CT_SEQADJ_REPLY;
	}
	if (tb[CTA_SYNPROXY]) {
		rc = decode_synproxy(c, tb[CTA_SYNPROXY], e);
		if (rc < 0)
			return rc;
		e->set |= CT_SYNPROXY;
	}
	if (tb[CTA_NAT_SRC]) {
		rc = decode_nat(c, tb[CTA_NAT_SRC], &e->snat);
		if (rc < 0)
			return rc;
		e->set |= CT_SNAT;
	}
	if (tb[CTA_NAT_DST]) {
		rc = decode_nat(c, tb[CTA_NAT_DST], &e->dnat);
		if (rc < 0)
			return rc;
		e->set |= CT_DNAT;
	}
	return 0;
}

int ct_entry_decode_attrs(const void *data, size_t len, uint8_t family,
			  struct ct_entry *e, struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_MAX + 1];
	struct ct_dctx c = { .base = data, .err = err };
	int rc;

	memset(e, 0, sizeof(*e));
	e->family = family;
	rc = nl_attr_parse(data, len, ct_pol, CTA_MAX, tb, 0, err);
	if (rc < 0)
		return rc;
	rc = decode_tuples(&c, tb, e);
	if (rc < 0)
		return rc;
	decode_u32s(tb, e);
	if (tb[CTA_ZONE]) {
		e->zone = nl_attr_get_be16(tb[CTA_ZONE]);
		e->set |= CT_ZONE;
	}
	if (tb[CTA_TIMESTAMP_EVENT]) {
		e->ts_event = nl_attr_get_be64(tb[CTA_TIMESTAMP_EVENT]);
		e->set |= CT_TIMESTAMP_EVENT;
	}
	decode_labels(tb, e);
	return decode_nests(&c, tb, e);
}

int ct_entry_decode(const struct nlmsghdr *nlh, struct ct_entry *e,
		    struct nl_attr_err *err)
{
	const void *data;
	size_t len;
	uint8_t cmd, family;
	int rc;

	rc = nl_nfnl_payload(nlh, NFNL_SUBSYS_CTNETLINK, &cmd, &family, &data, &len);
	if (rc == 0 && cmd != IPCTNL_MSG_CT_NEW && cmd != IPCTNL_MSG_CT_DELETE)
		rc = -EPROTO;
	if (rc < 0) {
		if (err)
			*err = (struct nl_attr_err){ .msg = rc == -EBADMSG ?
				"short message" : "not a conntrack message" };
		return rc;
	}
	return ct_entry_decode_attrs(data, len, family, e, err);
}
