// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The attribute validator: one pass over a stream, each attribute checked
 * against its policy row before it is indexed, nests recursed into only
 * when asked (NL_PARSE_DEEP), to a fixed depth. Nothing here trusts a
 * length it has not checked against what remains.
 */
#include <errno.h>
#include <string.h>

#include "nl/attr.h"

static int fail(struct nl_attr_err *err, int code, const char *msg,
		uint16_t type, uint32_t offset, uint8_t depth)
{
	if (err) {
		err->msg = msg;
		err->type = type;
		err->offset = offset;
		err->depth = depth;
	}
	return code;
}

static const size_t fixed_len[] = {
	[NL_ATTR_U8] = 1, [NL_ATTR_U16] = 2, [NL_ATTR_U32] = 4,
	[NL_ATTR_U64] = 8, [NL_ATTR_FLAG] = 0,
};

static int validate(const unsigned char *p, size_t len,
		    const struct nl_attr_policy *pol, uint16_t max,
		    const struct nlattr **tb, unsigned int flags,
		    struct nl_attr_err *err, uint8_t depth, uint32_t base);

/* Checks one attribute whose header and payload are known to fit. Out
 * of line: validate() takes the common cases itself (see quick_ok). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int check_one(const struct nlattr *a, const unsigned char *payload,
		     size_t plen, const struct nl_attr_policy *row,
		     unsigned int flags, struct nl_attr_err *err,
		     uint8_t depth, uint32_t off)
{
	uint16_t type = a->nla_type & NLA_TYPE_MASK;
	int nested_flag = !!(a->nla_type & NLA_F_NESTED);

	switch (row->kind) {
	case NL_ATTR_U8: case NL_ATTR_U16: case NL_ATTR_U32:
	case NL_ATTR_U64: case NL_ATTR_FLAG:
		if (plen != fixed_len[row->kind])
			return fail(err, -ERANGE, "wrong attribute size",
				    type, off, depth);
		break;
	case NL_ATTR_STRING:
		if (plen == 0 || memchr(payload, '\0', plen) == NULL)
			return fail(err, -EINVAL, "string not NUL-terminated",
				    type, off, depth);
		if (row->max_len && strlen((const char *)payload) + 1 >
		    row->max_len)
			return fail(err, -ERANGE, "string too long",
				    type, off, depth);
		break;
	case NL_ATTR_BINARY:
		if (plen < row->min_len ||
		    (row->max_len && plen > row->max_len))
			return fail(err, -ERANGE, "wrong attribute size",
				    type, off, depth);
		break;
	case NL_ATTR_NESTED:
		if ((flags & NL_PARSE_STRICT) && !nested_flag)
			return fail(err, -EINVAL, "nested flag missing",
				    type, off, depth);
		if ((flags & NL_PARSE_DEEP) && row->nested) {
			if (depth + 1 > NL_ATTR_DEPTH_MAX)
				return fail(err, -ELOOP, "nesting too deep",
					    type, off, depth);
			return validate(payload, plen, row->nested,
					row->nested_max, NULL, flags, err,
					(uint8_t)(depth + 1), off + NLA_HDRLEN);
		}
		return 0;
	default:
		break;
	}
	if ((flags & NL_PARSE_STRICT) && nested_flag)
		return fail(err, -EINVAL, "nested flag on a non-nest",
			    type, off, depth);
	return 0;
}

/*
 * Whether an attribute of @plen bytes passes its policy @row by what
 * check_one() would check, in the cases that make up nearly every
 * attribute of a conntrack message (integers, addresses, nests not
 * recursed into) and without NL_PARSE_STRICT; 0 sends it to check_one(),
 * which also reports what is wrong.
 */
static inline int quick_ok(const struct nl_attr_policy *row, size_t plen,
			   unsigned int flags)
{
	if (flags & NL_PARSE_STRICT)
		return 0;
	switch (row->kind) {
	case NL_ATTR_U8: case NL_ATTR_U16: case NL_ATTR_U32:
	case NL_ATTR_U64: case NL_ATTR_FLAG:
		return plen == fixed_len[row->kind];
	case NL_ATTR_BINARY:
		return plen >= row->min_len &&
		       (!row->max_len || plen <= row->max_len);
	case NL_ATTR_NESTED:
		return !(flags & NL_PARSE_DEEP) || !row->nested;
	default:
		return 0;
	}
}

static int validate(const unsigned char *p, size_t len,
		    const struct nl_attr_policy *pol, uint16_t max,
		    const struct nlattr **tb, unsigned int flags,
		    struct nl_attr_err *err, uint8_t depth, uint32_t base)
{
	size_t off = 0;

	if (tb)
		memset(tb, 0, sizeof(*tb) * ((size_t)max + 1));
	while (off < len) {
		struct nlattr hdr;
		uint16_t type;
		size_t plen;
		int rc;

		if (len - off < NLA_HDRLEN)
			return fail(err, -EBADMSG, "truncated attribute header",
				    0, base + (uint32_t)off, depth);
		memcpy(&hdr, p + off, sizeof(hdr));
		type = hdr.nla_type & NLA_TYPE_MASK;
		if (hdr.nla_len < NLA_HDRLEN)
			return fail(err, -EBADMSG, "attribute length below 4",
				    type, base + (uint32_t)off, depth);
		if (hdr.nla_len > len - off)
			return fail(err, -EBADMSG, "attribute overruns its container",
				    type, base + (uint32_t)off, depth);
		plen = hdr.nla_len - NLA_HDRLEN;
		if (type > max || pol[type].kind == NL_ATTR_UNSPEC) {
			if (flags & NL_PARSE_STRICT)
				return fail(err, -EOPNOTSUPP,
					    "unknown attribute type", type,
					    base + (uint32_t)off, depth);
		} else {
			if (!quick_ok(&pol[type], plen, flags)) {
				rc = check_one(&hdr, p + off + NLA_HDRLEN,
					       plen, &pol[type], flags, err,
					       depth, base + (uint32_t)off);
				if (rc < 0)
					return rc;
			}
			if (tb)
				tb[type] = (const struct nlattr *)(const void *)(p + off);
		}
		/* The last attribute may omit its alignment padding. */
		off += NLA_ALIGN((size_t)hdr.nla_len);
	}
	return 0;
}

int nl_attr_parse(const void *data, size_t len,
		  const struct nl_attr_policy *pol, uint16_t max,
		  const struct nlattr **tb, unsigned int flags,
		  struct nl_attr_err *err)
{
	if (err)
		err->msg = NULL;
	if (len > UINT32_MAX)
		return fail(err, -EBADMSG, "stream too long", 0, 0, 0);
	return validate(data, len, pol, max, tb, flags, err, 0, 0);
}

int nl_attr_parse_nested(const struct nlattr *nest,
			 const struct nl_attr_policy *pol, uint16_t max,
			 const struct nlattr **tb, unsigned int flags,
			 struct nl_attr_err *err)
{
	return nl_attr_parse(nl_attr_data(nest), nl_attr_payload_len(nest),
			     pol, max, tb, flags, err);
}

const struct nlattr *nl_attr_first(const void *data, size_t len)
{
	const struct nlattr *a = data;
	struct nlattr h;

	if (len < NLA_HDRLEN)
		return NULL;
	h = nl_attr_hdr_(a);
	if (h.nla_len < NLA_HDRLEN || h.nla_len > len)
		return NULL;
	return a;
}

const struct nlattr *nl_attr_next(const void *data, size_t len,
				  const struct nlattr *a)
{
	size_t off = (size_t)((const unsigned char *)a -
			      (const unsigned char *)data);

	off += NLA_ALIGN((size_t)nl_attr_hdr_(a).nla_len);
	if (off >= len)
		return NULL;
	return nl_attr_first((const unsigned char *)data + off, len - off);
}
