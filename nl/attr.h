/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink attribute validation and access. One policy-driven validator
 * checks every attribute stream before anything reads it: header fit,
 * nla_len >= 4, nla_len <= remaining, exact integer sizes, NUL-terminated
 * strings, the nested flag, a nesting-depth limit. Accessors read with
 * memcpy and convert byte order; they never touch the buffer.
 */
#ifndef RAWCT_NL_ATTR_H
#define RAWCT_NL_ATTR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nl/uapi.h"

/* What an attribute must look like. */
enum nl_attr_kind {
	NL_ATTR_UNSPEC,		/* not expected: skipped, or rejected if strict */
	NL_ATTR_U8,		/* exactly 1 byte */
	NL_ATTR_U16,		/* exactly 2 bytes */
	NL_ATTR_U32,		/* exactly 4 bytes */
	NL_ATTR_U64,		/* exactly 8 bytes */
	NL_ATTR_FLAG,		/* exactly 0 bytes */
	NL_ATTR_STRING,		/* NUL-terminated, at most max_len bytes incl. NUL */
	NL_ATTR_NESTED,		/* a stream of attributes; .nested validates it */
	NL_ATTR_BINARY,		/* min_len..max_len bytes (max 0 = no limit) */
};

struct nl_attr_policy {
	uint8_t kind;				/* enum nl_attr_kind */
	uint16_t min_len;			/* BINARY */
	uint16_t max_len;			/* BINARY, STRING (0 = no limit) */
	const struct nl_attr_policy *nested;	/* NESTED: policy of members */
	uint16_t nested_max;			/* NESTED: highest member type */
};

/* Parse flags. */
#define NL_PARSE_STRICT	0x1	/* reject unknown types and a missing or
				 * spurious NLA_F_NESTED (untrusted peers) */
#define NL_PARSE_DEEP	0x2	/* also validate nests against .nested */

#define NL_ATTR_DEPTH_MAX 8	/* nests deeper than this are rejected */

/* Where validation failed, like the kernel's extended ack. */
struct nl_attr_err {
	const char *msg;	/* static text, NULL if no error */
	uint16_t type;		/* attribute type at fault (0 if none) */
	uint32_t offset;	/* byte offset of that attribute in the input */
	uint8_t depth;		/* nesting depth where it was found */
};

/*
 * nl_attr_parse - validate an attribute stream and index it.
 * @data, @len: the stream (message payload after its fixed header).
 * @pol: policy table indexed by type, @max entries + 1.
 * @tb: filled with a pointer to the last attribute of each type <= @max
 *      (pointers into @data, borrowed), NULL where absent.
 * Returns 0, -EBADMSG for a malformed stream, -ERANGE for a wrong length,
 * -EINVAL for a bad value (string without NUL, wrong nested flag),
 * -EOPNOTSUPP for an unknown type under NL_PARSE_STRICT, -ELOOP when too
 * deep. @err (may be NULL) says which attribute and where.
 */
int nl_attr_parse(const void *data, size_t len,
		  const struct nl_attr_policy *pol, uint16_t max,
		  const struct nlattr **tb, unsigned int flags,
		  struct nl_attr_err *err);

/* nl_attr_parse() on the payload of a nested attribute @nest. Offsets in
 * @err are relative to the nest's payload. */
int nl_attr_parse_nested(const struct nlattr *nest,
			 const struct nl_attr_policy *pol, uint16_t max,
			 const struct nlattr **tb, unsigned int flags,
			 struct nl_attr_err *err);

/* Accessors. Valid only on attributes a policy has sized. Inline: the
 * decoders call them for every attribute of every event. They read with
 * memcpy (no alignment assumed) and never touch the buffer. */
static inline struct nlattr nl_attr_hdr_(const struct nlattr *a)
{
	struct nlattr h;

	memcpy(&h, a, sizeof(h));
	return h;
}

/* without flag bits */
static inline uint16_t nl_attr_type(const struct nlattr *a)
{
	return nl_attr_hdr_(a).nla_type & NLA_TYPE_MASK;
}

static inline uint16_t nl_attr_payload_len(const struct nlattr *a)
{
	return (uint16_t)(nl_attr_hdr_(a).nla_len - NLA_HDRLEN);
}

static inline const void *nl_attr_data(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}

static inline uint8_t nl_attr_get_u8(const struct nlattr *a)
{
	return *(const uint8_t *)nl_attr_data(a);
}

/* host order */
static inline uint16_t nl_attr_get_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

static inline uint32_t nl_attr_get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

static inline uint64_t nl_attr_get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

/* big endian -> host */
static inline uint16_t nl_attr_get_be16(const struct nlattr *a)
{
	const uint8_t *b = nl_attr_data(a);

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t nl_attr_get_be32(const struct nlattr *a)
{
	const uint8_t *b = nl_attr_data(a);

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t nl_attr_get_be64(const struct nlattr *a)
{
	const uint8_t *b = nl_attr_data(a);
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* NUL checked by the policy */
static inline const char *nl_attr_get_str(const struct nlattr *a)
{
	return nl_attr_data(a);
}

/*
 * Iterating over a stream that has already been validated:
 *   for (a = nl_attr_first(d, n); a; a = nl_attr_next(d, n, a))
 * Both return NULL at the end or where the next header does not fit.
 */
const struct nlattr *nl_attr_first(const void *data, size_t len);
const struct nlattr *nl_attr_next(const void *data, size_t len,
				  const struct nlattr *a);

#endif
