// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the attribute validator nl_attr_parse(). The first input
 * byte selects the parse flags and a policy; the rest is the attribute
 * stream:
 *
 *   byte 0: bit 0 NL_PARSE_STRICT, bit 1 NL_PARSE_DEEP,
 *           bits 2..7 policy index (modulo the number of policies)
 *   byte 1..: attributes, as after nlmsghdr + nfgenmsg in a message
 *
 * Beyond "does not crash" it checks properties and aborts when one fails:
 * on success every indexed attribute lies inside the input with a length
 * that fits and a payload its policy row allows, iteration with
 * nl_attr_first/next stays in bounds and finds the same attributes, and
 * re-encoding with nl_attr_put()/nests parses again to the same payloads;
 * on failure the error names an aligned offset inside the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl/attr.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TB_MAX 63	/* every policy's max stays below this */

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* ---- policies: a ctnetlink-like set, every kind, pure recursion ---- */

static const struct nl_attr_policy ip_pol[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 4, .max_len = 4 },
	[CTA_IP_V4_DST] = { .kind = NL_ATTR_BINARY, .min_len = 4, .max_len = 4 },
	[CTA_IP_V6_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 16, .max_len = 16 },
	[CTA_IP_V6_DST] = { .kind = NL_ATTR_BINARY, .min_len = 16, .max_len = 16 },
};

static const struct nl_attr_policy proto_pol[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_SRC_PORT] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_DST_PORT] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_ICMP_ID] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_ICMP_TYPE] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_ICMP_CODE] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_ICMPV6_ID] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_ICMPV6_TYPE] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_ICMPV6_CODE] = { .kind = NL_ATTR_U8 },
};

static const struct nl_attr_policy tuple_pol[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = { .kind = NL_ATTR_NESTED, .nested = ip_pol,
			   .nested_max = CTA_IP_MAX },
	[CTA_TUPLE_PROTO] = { .kind = NL_ATTR_NESTED, .nested = proto_pol,
			      .nested_max = CTA_PROTO_MAX },
	[CTA_TUPLE_ZONE] = { .kind = NL_ATTR_U16 },
};

static const struct nl_attr_policy tcp_pol[CTA_PROTOINFO_TCP_MAX + 1] = {
	[CTA_PROTOINFO_TCP_STATE] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_REPLY] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = { .kind = NL_ATTR_BINARY,
					       .min_len = 2, .max_len = 2 },
	[CTA_PROTOINFO_TCP_FLAGS_REPLY] = { .kind = NL_ATTR_BINARY,
					    .min_len = 2, .max_len = 2 },
};

static const struct nl_attr_policy protoinfo_pol[CTA_PROTOINFO_MAX + 1] = {
	[CTA_PROTOINFO_TCP] = { .kind = NL_ATTR_NESTED, .nested = tcp_pol,
				.nested_max = CTA_PROTOINFO_TCP_MAX },
	[CTA_PROTOINFO_DCCP] = { .kind = NL_ATTR_NESTED },
	[CTA_PROTOINFO_SCTP] = { .kind = NL_ATTR_NESTED },
};

static const struct nl_attr_policy counters_pol[CTA_COUNTERS_MAX + 1] = {
	[CTA_COUNTERS_PACKETS] = { .kind = NL_ATTR_U64 },
	[CTA_COUNTERS_BYTES] = { .kind = NL_ATTR_U64 },
	[CTA_COUNTERS32_PACKETS] = { .kind = NL_ATTR_U32 },
	[CTA_COUNTERS32_BYTES] = { .kind = NL_ATTR_U32 },
	[CTA_COUNTERS_PAD] = { .kind = NL_ATTR_BINARY },
};

static const struct nl_attr_policy tstamp_pol[CTA_TIMESTAMP_MAX + 1] = {
	[CTA_TIMESTAMP_START] = { .kind = NL_ATTR_U64 },
	[CTA_TIMESTAMP_STOP] = { .kind = NL_ATTR_U64 },
	[CTA_TIMESTAMP_PAD] = { .kind = NL_ATTR_BINARY },
};

static const struct nl_attr_policy help_pol[CTA_HELP_MAX + 1] = {
	[CTA_HELP_NAME] = { .kind = NL_ATTR_STRING, .max_len = 16 },
};

static const struct nl_attr_policy seqadj_pol[CTA_SEQADJ_MAX + 1] = {
	[CTA_SEQADJ_CORRECTION_POS] = { .kind = NL_ATTR_U32 },
	[CTA_SEQADJ_OFFSET_BEFORE] = { .kind = NL_ATTR_U32 },
	[CTA_SEQADJ_OFFSET_AFTER] = { .kind = NL_ATTR_U32 },
};

static const struct nl_attr_policy synproxy_pol[CTA_SYNPROXY_MAX + 1] = {
	[CTA_SYNPROXY_ISN] = { .kind = NL_ATTR_U32 },
	[CTA_SYNPROXY_ITS] = { .kind = NL_ATTR_U32 },
	[CTA_SYNPROXY_TSOFF] = { .kind = NL_ATTR_U32 },
};

#define NEST(p, m) { .kind = NL_ATTR_NESTED, .nested = (p), .nested_max = (m) }

static const struct nl_attr_policy ct_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = NEST(tuple_pol, CTA_TUPLE_MAX),
	[CTA_TUPLE_REPLY] = NEST(tuple_pol, CTA_TUPLE_MAX),
	[CTA_TUPLE_MASTER] = NEST(tuple_pol, CTA_TUPLE_MAX),
	[CTA_STATUS] = { .kind = NL_ATTR_U32 },
	[CTA_PROTOINFO] = NEST(protoinfo_pol, CTA_PROTOINFO_MAX),
	[CTA_HELP] = NEST(help_pol, CTA_HELP_MAX),
	[CTA_TIMEOUT] = { .kind = NL_ATTR_U32 },
	[CTA_MARK] = { .kind = NL_ATTR_U32 },
	[CTA_COUNTERS_ORIG] = NEST(counters_pol, CTA_COUNTERS_MAX),
	[CTA_COUNTERS_REPLY] = NEST(counters_pol, CTA_COUNTERS_MAX),
	[CTA_USE] = { .kind = NL_ATTR_U32 },
	[CTA_ID] = { .kind = NL_ATTR_U32 },
	[CTA_SEQ_ADJ_ORIG] = NEST(seqadj_pol, CTA_SEQADJ_MAX),
	[CTA_SEQ_ADJ_REPLY] = NEST(seqadj_pol, CTA_SEQADJ_MAX),
	[CTA_ZONE] = { .kind = NL_ATTR_U16 },
	[CTA_SECCTX] = { .kind = NL_ATTR_NESTED },
	[CTA_TIMESTAMP] = NEST(tstamp_pol, CTA_TIMESTAMP_MAX),
	[CTA_LABELS] = { .kind = NL_ATTR_BINARY, .min_len = 4, .max_len = 16 },
	[CTA_LABELS_MASK] = { .kind = NL_ATTR_BINARY, .min_len = 4,
			      .max_len = 16 },
	[CTA_SYNPROXY] = NEST(synproxy_pol, CTA_SYNPROXY_MAX),
	[CTA_STATUS_MASK] = { .kind = NL_ATTR_U32 },
	[CTA_TIMESTAMP_EVENT] = { .kind = NL_ATTR_U64 },
};

/* Global statistics (IPCTNL_MSG_CT_GET_STATS) and per-CPU ones. */
static const struct nl_attr_policy gstats_pol[CTA_STATS_GLOBAL_MAX + 1] = {
	[CTA_STATS_GLOBAL_ENTRIES] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = { .kind = NL_ATTR_U32 },
};

static const struct nl_attr_policy cpustats_pol[CTA_STATS_MAX + 1] = {
	[CTA_STATS_SEARCHED] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_FOUND] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_INVALID] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_INSERT] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_INSERT_FAILED] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_DROP] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_EARLY_DROP] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_ERROR] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_SEARCH_RESTART] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_CLASH_RESOLVE] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_CHAIN_TOOLONG] = { .kind = NL_ATTR_U32 },
};

/* Every kind once, with a self-recursive nest and an opaque one. */
enum { K_U8 = 1, K_U16, K_U32, K_U64, K_FLAG, K_STR8, K_STR, K_BIN26,
       K_BIN, K_SELF, K_OPAQUE, K_GAP, K_BIN0_4, K_MAX = K_BIN0_4 };

static const struct nl_attr_policy kinds_pol[K_MAX + 1] = {
	[K_U8] = { .kind = NL_ATTR_U8 },
	[K_U16] = { .kind = NL_ATTR_U16 },
	[K_U32] = { .kind = NL_ATTR_U32 },
	[K_U64] = { .kind = NL_ATTR_U64 },
	[K_FLAG] = { .kind = NL_ATTR_FLAG },
	[K_STR8] = { .kind = NL_ATTR_STRING, .max_len = 8 },
	[K_STR] = { .kind = NL_ATTR_STRING },
	[K_BIN26] = { .kind = NL_ATTR_BINARY, .min_len = 2, .max_len = 6 },
	[K_BIN] = { .kind = NL_ATTR_BINARY },
	[K_SELF] = NEST(kinds_pol, K_MAX),
	[K_OPAQUE] = { .kind = NL_ATTR_NESTED },
	[K_BIN0_4] = { .kind = NL_ATTR_BINARY, .max_len = 4 },
};

/* Nothing but nests of itself and a counter: exercises the depth limit. */
static const struct nl_attr_policy deep_pol[3] = {
	[1] = NEST(deep_pol, 2),
	[2] = { .kind = NL_ATTR_U32 },
};

/* The extended-ack TLVs after an NLMSG_ERROR. */
static const struct nl_attr_policy extack_pol[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .kind = NL_ATTR_STRING },
	[NLMSGERR_ATTR_OFFS] = { .kind = NL_ATTR_U32 },
	[NLMSGERR_ATTR_MISS_TYPE] = { .kind = NL_ATTR_U32 },
	[NLMSGERR_ATTR_MISS_NEST] = { .kind = NL_ATTR_U32 },
};

/* Only type 0, which is never expected: everything is unknown. */
static const struct nl_attr_policy none_pol[1];

static const struct {
	const struct nl_attr_policy *pol;
	uint16_t max;
} policies[] = {
	{ ct_pol, CTA_MAX },
	{ kinds_pol, K_MAX },
	{ deep_pol, 2 },
	{ tuple_pol, CTA_TUPLE_MAX },
	{ gstats_pol, CTA_STATS_GLOBAL_MAX },
	{ cpustats_pol, CTA_STATS_MAX },
	{ extack_pol, NLMSGERR_ATTR_MAX },
	{ none_pol, 0 },
};

#define NPOLICIES (sizeof(policies) / sizeof(policies[0]))

/* ---- properties ------------------------------------------------------ */

static struct nlattr hdr(const struct nlattr *a)
{
	struct nlattr h;

	memcpy(&h, a, sizeof(h));
	return h;
}

/* The policy row for @a, or NULL when the parser skips it. */
static const struct nl_attr_policy *row_of(const struct nl_attr_policy *pol,
					   uint16_t max, const struct nlattr *a)
{
	uint16_t t = nl_attr_type(a);

	if (t > max || pol[t].kind == NL_ATTR_UNSPEC)
		return NULL;
	return &pol[t];
}

/* A nest the parser validated as a stream (so we may walk into it). */
static int walked_nest(const struct nl_attr_policy *row, unsigned int flags)
{
	return row && row->kind == NL_ATTR_NESTED && row->nested &&
	       (flags & NL_PARSE_DEEP);
}

/* One attribute the parser accepted against @row. */
static void check_row(const struct nlattr *a, const struct nl_attr_policy *row,
		      unsigned int flags)
{
	struct nlattr h = hdr(a);
	size_t plen = nl_attr_payload_len(a);
	const char *s;

	const unsigned char *b = nl_attr_data(a);
	uint16_t v16;
	uint32_t v32;
	uint64_t v64, be = 0;

	CHECK(plen == (size_t)h.nla_len - NLA_HDRLEN);
	CHECK(b == (const unsigned char *)a + NLA_HDRLEN);
	/* Accessors agree with a byte-wise reading of the payload. */
	if (row->kind >= NL_ATTR_U8 && row->kind <= NL_ATTR_U64)
		for (size_t i = 0; i < plen && i < 8; i++)
			be = be << 8 | b[i];
	switch (row->kind) {
	case NL_ATTR_U8:
		CHECK(plen == 1 && nl_attr_get_u8(a) == b[0]);
		break;
	case NL_ATTR_U16:
		CHECK(plen == 2);
		memcpy(&v16, b, 2);
		CHECK(nl_attr_get_u16(a) == v16 && nl_attr_get_be16(a) == be);
		break;
	case NL_ATTR_U32:
		CHECK(plen == 4);
		memcpy(&v32, b, 4);
		CHECK(nl_attr_get_u32(a) == v32 && nl_attr_get_be32(a) == be);
		break;
	case NL_ATTR_U64:
		CHECK(plen == 8);
		memcpy(&v64, b, 8);
		CHECK(nl_attr_get_u64(a) == v64 && nl_attr_get_be64(a) == be);
		break;
	case NL_ATTR_FLAG: CHECK(plen == 0); break;
	case NL_ATTR_STRING:
		s = nl_attr_get_str(a);
		CHECK(plen > 0 && memchr(s, '\0', plen) != NULL);
		CHECK(!row->max_len || strlen(s) + 1 <= row->max_len);
		break;
	case NL_ATTR_BINARY:
		CHECK(plen >= row->min_len);
		CHECK(!row->max_len || plen <= row->max_len);
		break;
	case NL_ATTR_NESTED:
		if (flags & NL_PARSE_STRICT)
			CHECK(h.nla_type & NLA_F_NESTED);
		return;
	default:
		abort();
	}
	if (flags & NL_PARSE_STRICT)
		CHECK(!(h.nla_type & NLA_F_NESTED));
}

/*
 * Checks a stream the parser accepted, [@p, @p + @len) inside the input
 * [@lo, @hi): index, iteration, every row, and nests recursively.
 */
static void check_stream(const unsigned char *lo, const unsigned char *hi,
			 const unsigned char *p, size_t len,
			 const struct nl_attr_policy *pol, uint16_t max,
			 unsigned int flags, unsigned int depth)
{
	const struct nlattr *tb[TB_MAX + 1], *last[TB_MAX + 1];
	const struct nlattr *a;
	struct nl_attr_err err;
	size_t n = 0, end = 0;

	CHECK(depth <= NL_ATTR_DEPTH_MAX && max <= TB_MAX);
	CHECK(nl_attr_parse(p, len, pol, max, tb, flags, &err) == 0);
	CHECK(err.msg == NULL);
	memset(last, 0, sizeof(last));
	for (a = nl_attr_first(p, len); a; a = nl_attr_next(p, len, a)) {
		const unsigned char *ap = (const unsigned char *)a;
		const struct nl_attr_policy *row = row_of(pol, max, a);
		struct nlattr h = hdr(a);

		CHECK(ap >= p && (size_t)(ap - p) % NLA_ALIGNTO == 0);
		CHECK(ap >= lo && hi - ap >= (ptrdiff_t)NLA_HDRLEN);
		CHECK(h.nla_len >= NLA_HDRLEN && h.nla_len <= len - (size_t)(ap - p));
		CHECK(++n <= len / NLA_HDRLEN);
		end = (size_t)(ap - p) + NLA_ALIGN((size_t)h.nla_len);
		if (!row)
			continue;
		check_row(a, row, flags);
		last[nl_attr_type(a)] = a;
		if (walked_nest(row, flags)) {
			CHECK(nl_attr_parse_nested(a, row->nested,
						   row->nested_max, NULL,
						   flags, NULL) == 0);
			check_stream(lo, hi, nl_attr_data(a),
				     nl_attr_payload_len(a), row->nested,
				     row->nested_max, flags, depth + 1);
		}
	}
	/* The walk reached the end the parser reached. */
	CHECK(end >= len && (len == 0 || end - len < NLA_ALIGNTO));
	for (unsigned int t = 0; t <= max; t++)
		CHECK(tb[t] == last[t]);
}

/* Puts @a again through the typed put for its kind (the value read back
 * with the matching accessor), verbatim when none fits exactly. */
static int put_typed(struct nl_msg *m, const struct nlattr *a,
		     const struct nl_attr_policy *row)
{
	uint16_t type = hdr(a).nla_type;
	size_t plen = nl_attr_payload_len(a);

	switch (row->kind) {
	case NL_ATTR_U8: return nl_attr_put_u8(m, type, nl_attr_get_u8(a));
	case NL_ATTR_U16: return nl_attr_put_be16(m, type, nl_attr_get_be16(a));
	case NL_ATTR_U32: return nl_attr_put_be32(m, type, nl_attr_get_be32(a));
	case NL_ATTR_U64: return nl_attr_put_be64(m, type, nl_attr_get_be64(a));
	case NL_ATTR_FLAG: return nl_attr_put_flag(m, type);
	case NL_ATTR_STRING:
		if (strlen(nl_attr_get_str(a)) + 1 == plen)
			return nl_attr_put_str(m, type, nl_attr_get_str(a));
		break;
	default:
		break;
	}
	return nl_attr_put(m, type, nl_attr_data(a), plen);
}

/*
 * Re-encodes the stream [@p, @p + @len) into @m: verbatim with
 * nl_attr_put(), or when @nests the nests the parser walked through
 * nl_attr_nest_begin/end and known kinds through their typed puts.
 */
static int encode(struct nl_msg *m, const unsigned char *p, size_t len,
		  const struct nl_attr_policy *pol, uint16_t max,
		  unsigned int flags, int nests)
{
	const struct nlattr *a;
	size_t tok;
	int rc;

	for (a = nl_attr_first(p, len); a; a = nl_attr_next(p, len, a)) {
		const struct nl_attr_policy *row = row_of(pol, max, a);
		uint16_t type = hdr(a).nla_type;

		if (nests && walked_nest(row, flags)) {
			rc = nl_attr_nest_begin(m, (uint16_t)(type & ~NLA_F_NESTED),
						&tok);
			if (rc == 0)
				rc = encode(m, nl_attr_data(a),
					    nl_attr_payload_len(a), row->nested,
					    row->nested_max, flags, nests);
			if (rc == 0)
				rc = nl_attr_nest_end(m, tok);
		} else if (nests && row) {
			rc = put_typed(m, a, row);
		} else {
			rc = nl_attr_put(m, type, nl_attr_data(a),
					 nl_attr_payload_len(a));
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Two accepted streams carry the same attributes, in order, with the same
 * payloads (nests compared member by member, padding ignored). */
static void check_same(const unsigned char *p, size_t plen,
		       const unsigned char *q, size_t qlen,
		       const struct nl_attr_policy *pol, uint16_t max,
		       unsigned int flags)
{
	const struct nlattr *a = nl_attr_first(p, plen);
	const struct nlattr *b = nl_attr_first(q, qlen);

	for (; a && b; a = nl_attr_next(p, plen, a), b = nl_attr_next(q, qlen, b)) {
		const struct nl_attr_policy *row = row_of(pol, max, a);

		CHECK(nl_attr_type(a) == nl_attr_type(b));
		if (walked_nest(row, flags)) {
			check_same(nl_attr_data(a), nl_attr_payload_len(a),
				   nl_attr_data(b), nl_attr_payload_len(b),
				   row->nested, row->nested_max, flags);
			continue;
		}
		CHECK(nl_attr_payload_len(a) == nl_attr_payload_len(b));
		CHECK(memcmp(nl_attr_data(a), nl_attr_data(b),
			     nl_attr_payload_len(a)) == 0);
	}
	CHECK(!a && !b);
}

/* decode -> encode -> decode gives the same attributes. */
static void check_roundtrip(const unsigned char *p, size_t len,
			    const struct nl_attr_policy *pol, uint16_t max,
			    unsigned int flags, int nests)
{
	const struct nlattr *tb[TB_MAX + 1];
	struct nl_msg m;
	size_t cap = 2 * len + 64;
	unsigned char *buf = malloc(cap);
	const unsigned char *q;
	size_t qlen;

	CHECK(buf != NULL);
	nl_msg_init(&m, buf, cap);
	CHECK(nl_msg_begin(&m, 0x100, 0, 1) == 0);
	if (encode(&m, p, len, pol, max, flags, nests) < 0) {
		/* Only a nest grown past 65535 by re-added padding may fail. */
		CHECK(nests);
		goto out;
	}
	nl_msg_end(&m);
	q = buf + NLMSG_HDRLEN;
	qlen = m.len - NLMSG_HDRLEN;
	CHECK(nl_attr_parse(q, qlen, pol, max, tb, flags, NULL) == 0);
	check_stream(q, q + qlen, q, qlen, pol, max, flags, 0);
	check_same(p, len, q, qlen, pol, max, flags);
out:
	free(buf);
}

static void check_error(int rc, const struct nl_attr_err *err, size_t len,
			unsigned int flags)
{
	CHECK(rc == -EBADMSG || rc == -ERANGE || rc == -EINVAL ||
	      rc == -EOPNOTSUPP || rc == -ELOOP);
	CHECK(err->msg != NULL && err->msg[0] != '\0');
	/* The failing attribute (or truncated header) starts in the input. */
	CHECK(len > 0 && err->offset < len);
	CHECK(err->offset % NLA_ALIGNTO == 0);
	CHECK(err->depth <= NL_ATTR_DEPTH_MAX);
	if (rc == -EOPNOTSUPP)
		CHECK(flags & NL_PARSE_STRICT);
	if (rc == -ELOOP)
		CHECK((flags & NL_PARSE_DEEP) && err->depth == NL_ATTR_DEPTH_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlattr *tb[TB_MAX + 1], *a;
	struct nl_attr_err err = { .msg = "stale" };
	const struct nl_attr_policy *pol;
	unsigned int flags;
	unsigned char *p;
	size_t len, n = 0;
	uint16_t max;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0] & (NL_PARSE_STRICT | NL_PARSE_DEEP);
	pol = policies[(data[0] >> 2) % NPOLICIES].pol;
	max = policies[(data[0] >> 2) % NPOLICIES].max;
	len = size - 1;
	/* An aligned copy of exactly len bytes, so ASan sees any overread. */
	p = malloc(len ? len : 1);
	CHECK(p != NULL);
	memcpy(p, data + 1, len);

	rc = nl_attr_parse(p, len, pol, max, tb, flags, &err);
	/* Without tb or err it decides the same way. */
	CHECK(nl_attr_parse(p, len, pol, max, NULL, flags, NULL) == rc);
	if (rc == 0) {
		CHECK(err.msg == NULL);
		check_stream(p, p + len, p, len, pol, max, flags, 0);
		check_roundtrip(p, len, pol, max, flags, 0);
		check_roundtrip(p, len, pol, max, flags, 1);
	} else {
		check_error(rc, &err, len, flags);
	}
	/* Iterating never leaves the buffer, valid or not. */
	for (a = nl_attr_first(p, len); a; a = nl_attr_next(p, len, a)) {
		size_t off = (size_t)((const unsigned char *)a - p);

		CHECK(off < len && len - off >= hdr(a).nla_len);
		CHECK(hdr(a).nla_len >= NLA_HDRLEN && ++n <= len / NLA_HDRLEN);
	}
	free(p);
	return 0;
}
