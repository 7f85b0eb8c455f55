// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of nl/attr: the policy validator driven by a table with one
 * failing row for every rule (and the passing rows next to them), each row
 * checked for its return code and for the attribute type, offset and depth
 * reported in struct nl_attr_err; then the index, the nested entry point,
 * the depth limit over many depths, the accessors and the iterator. Inputs
 * are hex (little-endian nlattr headers) copied into an exactly-sized heap
 * buffer, so that ASan catches any read past the stream.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "nl/attr.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

/* ---- policies ------------------------------------------------------------ */

/* Member types of T_NEST; I_NEST nests the same policy again. */
enum { I_U32 = 1, I_U8, I_NEST, I_MAX = I_NEST };

static const struct nl_attr_policy inner_pol[I_MAX + 1] = {
	[I_U32] = { .kind = NL_ATTR_U32 },
	[I_U8] = { .kind = NL_ATTR_U8 },
	[I_NEST] = { .kind = NL_ATTR_NESTED, .nested = inner_pol,
		     .nested_max = I_MAX },
};

/* Top-level types: one per kind, a hole (T_HOLE) and a nest whose members
 * are not described (T_RAWNEST); 12 and above are beyond the table. */
enum {
	T_U8 = 1, T_U16, T_U32, T_U64, T_FLAG, T_STR, T_STR4, T_BIN, T_NEST,
	T_HOLE, T_RAWNEST, T_MAX = T_RAWNEST
};

static const struct nl_attr_policy top_pol[T_MAX + 1] = {
	[T_U8] = { .kind = NL_ATTR_U8 },
	[T_U16] = { .kind = NL_ATTR_U16 },
	[T_U32] = { .kind = NL_ATTR_U32 },
	[T_U64] = { .kind = NL_ATTR_U64 },
	[T_FLAG] = { .kind = NL_ATTR_FLAG },
	[T_STR] = { .kind = NL_ATTR_STRING },
	[T_STR4] = { .kind = NL_ATTR_STRING, .max_len = 4 },
	[T_BIN] = { .kind = NL_ATTR_BINARY, .min_len = 2, .max_len = 4 },
	[T_NEST] = { .kind = NL_ATTR_NESTED, .nested = inner_pol,
		     .nested_max = I_MAX },
	[T_RAWNEST] = { .kind = NL_ATTR_NESTED },
};

/* The depth bomb: type 1 is a nest of itself. */
static const struct nl_attr_policy deep_pol[2] = {
	[1] = { .kind = NL_ATTR_NESTED, .nested = deep_pol, .nested_max = 1 },
};

/* ---- helpers ------------------------------------------------------------- */

static unsigned char *from_hex(const char *hex, size_t *len)
{
	unsigned char *out = malloc(strlen(hex) / 2 + 1);
	size_t n, digits = 0;

	ck_assert_ptr_nonnull(out);
	for (const char *p = hex; *p; p++)
		digits += *p != ' ';
	n = fixture_unhex(hex, out, strlen(hex) / 2 + 1);
	ck_assert_msg(n * 2 == digits, "bad hex in fixture row");
	*len = n;
	/* shrink to the exact size so that ASan sees any over-read */
	return realloc(out, n ? n : 1);
}

/* ---- the validator table ------------------------------------------------- */

struct parse_case {
	const char *name;
	const char *hex;
	const struct nl_attr_policy *pol;
	uint16_t max;
	unsigned int flags;
	int rc;			/* expected return */
	uint16_t type;		/* expected err.type, err.offset, err.depth */
	uint32_t off;
	uint8_t depth;
};

#define TOP top_pol, T_MAX
#define DEEPP deep_pol, 1
#define SD (NL_PARSE_STRICT | NL_PARSE_DEEP)
#define PASS 0, 0, 0, 0	/* rc 0; no error to report */

/* Every kind, well formed; the nest carries NLA_F_NESTED. */
#define ALL_KINDS \
	"05000100 2a000000" "06000200 34120000" "08000300 78563412" \
	"0c000400 01020304 05060708" "04000500" "08000600 61626300" \
	"08000700 61626300" "08000800 01020304" \
	"0c000980 08000100 01000000"

#define NEST8 "20000180 1c000180 18000180 14000180 10000180 0c000180 " \
	      "08000180 04000180"
#define NEST9 "24000180 " NEST8

static const struct parse_case parse_cases[] = {
	/* well-formed streams */
	{ "empty stream", "", TOP, 0, PASS },
	{ "every kind", ALL_KINDS, TOP, 0, PASS },
	{ "every kind, strict and deep", ALL_KINDS, TOP, SD, PASS },
	{ "NLA_F_NET_BYTEORDER is masked off", "08000340 78563412", TOP, SD,
	  PASS },
	{ "last u8 without padding", "05000100 2a", TOP, SD, PASS },
	{ "last string without padding", "07000600 616200", TOP, SD, PASS },
	{ "duplicate u32", "08000300 01000000 08000300 02000000", TOP, SD,
	  PASS },

	/* header fit */
	{ "1 byte after the last attribute", "08000300 78563412 01", TOP, 0,
	  -EBADMSG, 0, 8, 0 },
	{ "2 bytes after the last attribute", "08000300 78563412 0100", TOP,
	  0, -EBADMSG, 0, 8, 0 },
	{ "3 bytes after the last attribute", "08000300 78563412 010000",
	  TOP, 0, -EBADMSG, 0, 8, 0 },
	{ "3-byte stream", "080003", TOP, 0, -EBADMSG, 0, 0, 0 },
	{ "trailing zero word", "08000300 78563412 00000000", TOP, 0,
	  -EBADMSG, 0, 8, 0 },
	{ "trailing 0xff word", "08000300 78563412 ffffffff", TOP, 0,
	  -EBADMSG, 0x3fff, 8, 0 },

	/* nla_len >= 4 */
	{ "nla_len 0", "00000300 78563412", TOP, 0, -EBADMSG, 3, 0, 0 },
	{ "nla_len 3 after a good one", "08000300 78563412 03000100 00000000",
	  TOP, 0, -EBADMSG, 1, 8, 0 },

	/* nla_len <= remaining */
	{ "nla_len past the end", "0c000300 78563412", TOP, 0, -EBADMSG, 3,
	  0, 0 },
	{ "second attribute past the end",
	  "05000100 2a000000 09000300 78563412", TOP, 0, -EBADMSG, 3, 8, 0 },
	{ "member overruns its nest, deep",
	  "0c000980 0c000100 78563412 05000100 2a000000", TOP, NL_PARSE_DEEP,
	  -EBADMSG, I_U32, 4, 1 },
	{ "member overruns its nest, not deep",
	  "0c000980 0c000100 78563412 05000100 2a000000", TOP, 0, PASS },
	{ "truncated member header in a nest, deep", "07000980 01020300",
	  TOP, NL_PARSE_DEEP, -EBADMSG, 0, 4, 1 },
	{ "member overruns a nest without policy, deep",
	  "0c000b80 0c000100 78563412", TOP, SD, PASS },

	/* exact integer sizes */
	{ "u8 of 0 bytes", "04000100", TOP, 0, -ERANGE, T_U8, 0, 0 },
	{ "u8 of 2 bytes", "06000100 2a2b0000", TOP, 0, -ERANGE, T_U8, 0, 0 },
	{ "u16 of 1 byte", "05000200 34000000", TOP, 0, -ERANGE, T_U16, 0,
	  0 },
	{ "u16 of 4 bytes", "08000200 34120000", TOP, 0, -ERANGE, T_U16, 0,
	  0 },
	{ "u32 of 2 bytes", "06000300 34120000", TOP, 0, -ERANGE, T_U32, 0,
	  0 },
	{ "u32 of 8 bytes", "0c000300 01020304 05060708", TOP, 0, -ERANGE,
	  T_U32, 0, 0 },
	{ "u32 of 2 bytes after a good one",
	  "08000300 78563412 06000300 34120000", TOP, 0, -ERANGE, T_U32, 8,
	  0 },
	{ "u64 of 4 bytes", "08000400 01020304", TOP, 0, -ERANGE, T_U64, 0,
	  0 },
	{ "u64 of 7 bytes", "0b000400 01020304 05060700", TOP, 0, -ERANGE,
	  T_U64, 0, 0 },
	{ "flag of 1 byte", "05000500 01000000", TOP, 0, -ERANGE, T_FLAG, 0,
	  0 },
	{ "flag of 4 bytes", "08000500 00000000", TOP, 0, -ERANGE, T_FLAG, 0,
	  0 },
	{ "u8 of 2 bytes in a nest, deep", "0c000980 06000200 2a2b0000", TOP,
	  NL_PARSE_DEEP, -ERANGE, I_U8, 4, 1 },
	{ "u8 of 2 bytes in a nest, not deep", "0c000980 06000200 2a2b0000",
	  TOP, NL_PARSE_STRICT, PASS },

	/* strings */
	{ "string without NUL (padding does not count)", "07000600 61626300",
	  TOP, 0, -EINVAL, T_STR, 0, 0 },
	{ "string of 4 bytes without NUL", "08000600 61626364", TOP, 0,
	  -EINVAL, T_STR, 0, 0 },
	{ "empty string payload", "04000600", TOP, 0, -EINVAL, T_STR, 0, 0 },
	{ "string at max_len", "08000700 61626300", TOP, 0, PASS },
	{ "string above max_len", "09000700 61626364 00000000", TOP, 0,
	  -ERANGE, T_STR4, 0, 0 },
	{ "string above max_len after a good one",
	  "05000100 2a000000 0a000700 61626364 65000000", TOP, 0, -ERANGE,
	  T_STR4, 8, 0 },

	/* binary bounds */
	{ "binary at min_len", "06000800 01020000", TOP, 0, PASS },
	{ "binary at max_len", "08000800 01020304", TOP, 0, PASS },
	{ "binary empty", "04000800", TOP, 0, -ERANGE, T_BIN, 0, 0 },
	{ "binary below min_len", "05000800 01000000", TOP, 0, -ERANGE,
	  T_BIN, 0, 0 },
	{ "binary above max_len", "09000800 01020304 05000000", TOP, 0,
	  -ERANGE, T_BIN, 0, 0 },

	/* unknown types */
	{ "type above max skipped", "08000c00 78563412 05000100 2a000000",
	  TOP, 0, PASS },
	{ "type above max rejected when strict",
	  "05000100 2a000000 08000c00 78563412", TOP, NL_PARSE_STRICT,
	  -EOPNOTSUPP, 12, 8, 0 },
	{ "type in a policy hole skipped", "08000a00 78563412", TOP,
	  NL_PARSE_DEEP, PASS },
	{ "type in a policy hole rejected when strict", "08000a00 78563412",
	  TOP, NL_PARSE_STRICT, -EOPNOTSUPP, T_HOLE, 0, 0 },
	{ "type 0 rejected when strict", "04000000", TOP, NL_PARSE_STRICT,
	  -EOPNOTSUPP, 0, 0, 0 },
	{ "unknown member of a nest skipped, deep",
	  "0c000980 08000700 00000000", TOP, NL_PARSE_DEEP, PASS },
	{ "unknown member of a nest rejected, strict deep",
	  "0c000980 08000700 00000000", TOP, SD, -EOPNOTSUPP, 7, 4, 1 },
	{ "unknown type is still length-checked", "0c000c00 78563412", TOP,
	  0, -EBADMSG, 12, 0, 0 },

	/* the nested flag */
	{ "nest without NLA_F_NESTED", "0c000900 08000100 01000000", TOP,
	  NL_PARSE_DEEP, PASS },
	{ "nest without NLA_F_NESTED, strict", "0c000900 08000100 01000000",
	  TOP, NL_PARSE_STRICT, -EINVAL, T_NEST, 0, 0 },
	{ "inner nest without NLA_F_NESTED, strict deep",
	  "10000980 0c000300 08000100 01000000", TOP, SD, -EINVAL, I_NEST, 4,
	  1 },
	{ "NLA_F_NESTED on a u32", "08000380 78563412", TOP, NL_PARSE_DEEP,
	  PASS },
	{ "NLA_F_NESTED on a u32, strict", "08000380 78563412", TOP,
	  NL_PARSE_STRICT, -EINVAL, T_U32, 0, 0 },
	{ "NLA_F_NESTED on a string, strict", "04000500 08000680 61626300",
	  TOP, NL_PARSE_STRICT, -EINVAL, T_STR, 4, 0 },
	{ "NLA_F_NESTED on a flag, strict", "04000580", TOP, SD, -EINVAL,
	  T_FLAG, 0, 0 },

	/* nesting depth */
	{ "8 nested nests", NEST8, DEEPP, SD, PASS },
	{ "9 nested nests, deep", NEST9, DEEPP, NL_PARSE_DEEP, -ELOOP, 1, 32,
	  8 },
	{ "9 nested nests, not deep", NEST9, DEEPP, NL_PARSE_STRICT, PASS },
};

#define N_PARSE_CASES (sizeof(parse_cases) / sizeof(parse_cases[0]))

START_TEST(test_parse_table)
{
	const struct parse_case *c = &parse_cases[_i];
	const struct nlattr *tb[T_MAX + 1];
	struct nl_attr_err err;
	unsigned char *buf;
	size_t len;
	int rc;

	buf = from_hex(c->hex, &len);
	memset(&err, 0xa5, sizeof(err));
	rc = nl_attr_parse(buf, len, c->pol, c->max, tb, c->flags, &err);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	if (c->rc == 0) {
		ck_assert_msg(err.msg == NULL, "%s: msg set on success",
			      c->name);
	} else {
		ck_assert_msg(err.msg != NULL && err.msg[0] != '\0',
			      "%s: no message", c->name);
		ck_assert_msg(err.type == c->type, "%s: type %u, want %u",
			      c->name, err.type, c->type);
		ck_assert_msg(err.offset == c->off, "%s: offset %u, want %u",
			      c->name, err.offset, c->off);
		ck_assert_msg(err.depth == c->depth, "%s: depth %u, want %u",
			      c->name, err.depth, c->depth);
	}
	/* no err struct and no index: same verdict */
	rc = nl_attr_parse(buf, len, c->pol, c->max, NULL, c->flags, NULL);
	ck_assert_msg(rc == c->rc, "%s (no err, no tb): rc %d, want %d",
		      c->name, rc, c->rc);
	free(buf);
}
END_TEST

/* The depth limit for every depth from 1 to 24: a chain of @n empty-ended
 * nests, each the only member of the one before. */
START_TEST(test_depth_limit)
{
	uint32_t n = (uint32_t)_i;
	size_t len = 4 * (size_t)n;
	unsigned char *buf = malloc(len);
	struct nl_attr_err err;
	int rc;

	ck_assert_ptr_nonnull(buf);
	for (uint32_t i = 0; i < n; i++) {
		struct nlattr h = { .nla_len = (uint16_t)(4 * (n - i)),
				    .nla_type = 1 | NLA_F_NESTED };

		memcpy(buf + 4 * i, &h, sizeof(h));
	}
	rc = nl_attr_parse(buf, len, deep_pol, 1, NULL, SD, &err);
	if (n <= NL_ATTR_DEPTH_MAX) {
		ck_assert_int_eq(rc, 0);
	} else {
		ck_assert_int_eq(rc, -ELOOP);
		ck_assert_uint_eq(err.type, 1);
		ck_assert_uint_eq(err.offset, 4 * NL_ATTR_DEPTH_MAX);
		ck_assert_uint_eq(err.depth, NL_ATTR_DEPTH_MAX);
	}
	/* without NL_PARSE_DEEP the chain is never entered */
	ck_assert_int_eq(nl_attr_parse(buf, len, deep_pol, 1, NULL,
				       NL_PARSE_STRICT, NULL), 0);
	free(buf);
}
END_TEST

#if SIZE_MAX > UINT32_MAX
START_TEST(test_stream_too_long)
{
	static const uint32_t word = 0;
	struct nl_attr_err err = { 0 };

	/* refused on length alone, nothing is read */
	ck_assert_int_eq(nl_attr_parse(&word, (size_t)UINT32_MAX + 1, top_pol,
				       T_MAX, NULL, 0, &err), -EBADMSG);
	ck_assert_ptr_nonnull(err.msg);
}
END_TEST
#endif

/* ---- the index ----------------------------------------------------------- */

START_TEST(test_index)
{
	const struct nlattr *tb[T_MAX + 1];
	const struct nlattr *itb[I_MAX + 1];
	unsigned char *buf;
	size_t len;

	buf = from_hex(ALL_KINDS "08000a00 78563412", &len);
	for (size_t i = 0; i <= T_MAX; i++)
		tb[i] = (const struct nlattr *)(const void *)buf;
	ck_assert_int_eq(nl_attr_parse(buf, len, top_pol, T_MAX, tb,
				       NL_PARSE_DEEP, NULL), 0);
	/* absent and unknown types are cleared, not left as they were */
	ck_assert_ptr_null(tb[0]);
	ck_assert_ptr_null(tb[T_HOLE]);
	ck_assert_ptr_null(tb[T_RAWNEST]);
	/* each present type points at its header in the stream */
	ck_assert_ptr_eq(tb[T_U8], buf + 0);
	ck_assert_ptr_eq(tb[T_U16], buf + 8);
	ck_assert_ptr_eq(tb[T_U32], buf + 16);
	ck_assert_ptr_eq(tb[T_U64], buf + 24);
	ck_assert_ptr_eq(tb[T_FLAG], buf + 36);
	ck_assert_ptr_eq(tb[T_STR], buf + 40);
	ck_assert_ptr_eq(tb[T_STR4], buf + 48);
	ck_assert_ptr_eq(tb[T_BIN], buf + 56);
	ck_assert_ptr_eq(tb[T_NEST], buf + 64);
	ck_assert_uint_eq(nl_attr_get_u8(tb[T_U8]), 0x2a);
	ck_assert_uint_eq(nl_attr_get_be64(tb[T_U64]), 0x0102030405060708ULL);
	ck_assert_str_eq(nl_attr_get_str(tb[T_STR]), "abc");
	ck_assert_uint_eq(nl_attr_payload_len(tb[T_FLAG]), 0);
	ck_assert_uint_eq(nl_attr_type(tb[T_NEST]), T_NEST);
	/* the nest's members, indexed through the nested entry point */
	ck_assert_int_eq(nl_attr_parse_nested(tb[T_NEST], inner_pol, I_MAX,
					      itb, NL_PARSE_STRICT, NULL), 0);
	ck_assert_ptr_eq(itb[I_U32], buf + 68);
	ck_assert_ptr_null(itb[I_U8]);
	free(buf);
}
END_TEST

START_TEST(test_duplicate_keeps_last)
{
	const struct nlattr *tb[T_MAX + 1];
	unsigned char *buf;
	size_t len;

	buf = from_hex("08000300 01000000 05000100 07000000 08000300 02000000",
		       &len);
	ck_assert_int_eq(nl_attr_parse(buf, len, top_pol, T_MAX, tb, 0, NULL),
			 0);
	ck_assert_ptr_eq(tb[T_U32], buf + 16);
	ck_assert_uint_eq(nl_attr_get_be32(tb[T_U32]), 0x02000000);
	ck_assert_uint_eq(nl_attr_get_u8(tb[T_U8]), 7);
	free(buf);
}
END_TEST

START_TEST(test_parse_nested_offsets)
{
	const struct nlattr *tb[T_MAX + 1];
	const struct nlattr *itb[I_MAX + 1];
	struct nl_attr_err err;
	unsigned char *buf;
	size_t len;

	/* nest { u32 1, u8 with 2 bytes } */
	buf = from_hex("04000500 14000980 08000100 01000000 06000200 2a2b0000",
		       &len);
	ck_assert_int_eq(nl_attr_parse(buf, len, top_pol, T_MAX, tb, 0, NULL),
			 0);
	ck_assert_ptr_eq(tb[T_NEST], buf + 4);
	/* the bad member is at 8 within the nest's payload (20 in buf) */
	ck_assert_int_eq(nl_attr_parse_nested(tb[T_NEST], inner_pol, I_MAX,
					      itb, 0, &err), -ERANGE);
	ck_assert_uint_eq(err.type, I_U8);
	ck_assert_uint_eq(err.offset, 8);
	ck_assert_uint_eq(err.depth, 0);
	/* deep from the top: the same member, offset from the stream start */
	ck_assert_int_eq(nl_attr_parse(buf, len, top_pol, T_MAX, tb,
				       NL_PARSE_DEEP, &err), -ERANGE);
	ck_assert_uint_eq(err.type, I_U8);
	ck_assert_uint_eq(err.offset, 16);
	ck_assert_uint_eq(err.depth, 1);
	free(buf);
}
END_TEST

/* ---- accessors ----------------------------------------------------------- */

START_TEST(test_get_be)
{
	unsigned char *buf;
	size_t len;
	const struct nlattr *a16, *a32, *a64, *b16, *b32, *b64;

	buf = from_hex("06000100 01020000" "08000200 01020304"
		       "0c000300 01020304 05060708"
		       "06000400 fffe0000" "08000500 80000001"
		       "0c000600 fedcba98 76543210", &len);
	a16 = (const void *)buf;
	a32 = (const void *)(buf + 8);
	a64 = (const void *)(buf + 16);
	b16 = (const void *)(buf + 28);
	b32 = (const void *)(buf + 36);
	b64 = (const void *)(buf + 44);
	ck_assert_uint_eq(len, 56);
	ck_assert_uint_eq(nl_attr_get_be16(a16), 0x0102);
	ck_assert_uint_eq(nl_attr_get_be32(a32), 0x01020304);
	ck_assert_uint_eq(nl_attr_get_be64(a64), 0x0102030405060708ULL);
	ck_assert_uint_eq(nl_attr_get_be16(b16), 0xfffe);
	ck_assert_uint_eq(nl_attr_get_be32(b32), 0x80000001U);
	ck_assert_uint_eq(nl_attr_get_be64(b64), 0xfedcba9876543210ULL);
	/* reading never changes the buffer */
	ck_assert_uint_eq(buf[4], 0x01);
	ck_assert_uint_eq(buf[5], 0x02);
	free(buf);
}
END_TEST

START_TEST(test_get_host)
{
	uint32_t store[16] = { 0 };
	unsigned char *buf = (unsigned char *)store;
	const struct nlattr *a = (const void *)buf;
	struct nlattr h;
	uint16_t v16 = 0xbeef;
	uint32_t v32 = 0xdeadbeefU;
	uint64_t v64 = 0x0123456789abcdefULL;

	h.nla_type = 1;
	h.nla_len = 5;
	memcpy(buf, &h, sizeof(h));
	buf[4] = 0xc3;
	ck_assert_uint_eq(nl_attr_get_u8(a), 0xc3);
	h.nla_len = 6;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + 4, &v16, sizeof(v16));
	ck_assert_uint_eq(nl_attr_get_u16(a), v16);
	h.nla_len = 8;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + 4, &v32, sizeof(v32));
	ck_assert_uint_eq(nl_attr_get_u32(a), v32);
	h.nla_len = 12;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + 4, &v64, sizeof(v64));
	ck_assert_uint_eq(nl_attr_get_u64(a), v64);
}
END_TEST

START_TEST(test_header_accessors)
{
	unsigned char *buf;
	size_t len;
	const struct nlattr *a, *b, *c;

	buf = from_hex("0c000980 08000100 01000000" "08000340 61626300"
		       "05000200 2a", &len);
	a = (const void *)buf;
	b = (const void *)(buf + 12);
	c = (const void *)(buf + 20);
	ck_assert_uint_eq(nl_attr_type(a), 9);
	ck_assert_uint_eq(nl_attr_type(b), 3);
	ck_assert_uint_eq(nl_attr_type(c), 2);
	ck_assert_uint_eq(nl_attr_payload_len(a), 8);
	ck_assert_uint_eq(nl_attr_payload_len(b), 4);
	ck_assert_uint_eq(nl_attr_payload_len(c), 1);
	ck_assert_ptr_eq(nl_attr_data(a), buf + 4);
	ck_assert_ptr_eq(nl_attr_data(c), buf + 24);
	ck_assert_str_eq(nl_attr_get_str(b), "abc");
	free(buf);
}
END_TEST

/* ---- iteration ----------------------------------------------------------- */

struct iter_case {
	const char *name;
	const char *hex;
	unsigned int count;	/* attributes visited */
	uint16_t types[4];
};

static const struct iter_case iter_cases[] = {
	{ "empty", "", 0, { 0 } },
	{ "three", "08000100 01000000 05000200 2a000000 04000380", 3,
	  { 1, 2, 3 } },
	{ "last unpadded", "08000100 01000000 05000200 2a", 2, { 1, 2 } },
	{ "stops at nla_len 2", "08000100 01000000 02000200 05000300", 1,
	  { 1 } },
	{ "stops at nla_len 0", "00000100 08000200 01000000", 0, { 0 } },
	{ "stops at an overrun", "08000100 01000000 0c000200 01000000", 1,
	  { 1 } },
	{ "stops at a truncated header", "08000100 01000000 010203", 1,
	  { 1 } },
	{ "3-byte stream", "080001", 0, { 0 } },
	{ "first overruns", "0c000100 01000000", 0, { 0 } },
};

START_TEST(test_iterate)
{
	const struct iter_case *c = &iter_cases[_i];
	const struct nlattr *a;
	unsigned int n = 0;
	unsigned char *buf;
	size_t len;

	buf = from_hex(c->hex, &len);
	for (a = nl_attr_first(buf, len); a; a = nl_attr_next(buf, len, a)) {
		ck_assert_msg(n < 4, "%s: too many", c->name);
		ck_assert_msg(nl_attr_type(a) == c->types[n],
			      "%s: attribute %u has type %u, want %u", c->name,
			      n, nl_attr_type(a), c->types[n]);
		n++;
	}
	ck_assert_msg(n == c->count, "%s: %u attributes, want %u", c->name,
		      n, c->count);
	free(buf);
}
END_TEST

Suite *attr_suite(void)
{
	Suite *s = suite_create("attr");
	TCase *tc;

	tc = tcase_create("validate");
	tcase_add_loop_test(tc, test_parse_table, 0, (int)N_PARSE_CASES);
	tcase_add_loop_test(tc, test_depth_limit, 1, 25);
#if SIZE_MAX > UINT32_MAX
	tcase_add_test(tc, test_stream_too_long);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("index");
	tcase_add_test(tc, test_index);
	tcase_add_test(tc, test_duplicate_keeps_last);
	tcase_add_test(tc, test_parse_nested_offsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("access");
	tcase_add_test(tc, test_get_be);
	tcase_add_test(tc, test_get_host);
	tcase_add_test(tc, test_header_accessors);
	tcase_add_loop_test(tc, test_iterate, 0,
			    (int)(sizeof(iter_cases) / sizeof(iter_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
