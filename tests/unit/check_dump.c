// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/dump's lines: the default format without the
 * cached timeout and with " [active since Ns]", the XML flow, and the
 * bytes of a flow's strings that a terminal or a line reader would act
 * on (controls, DEL, non-ASCII) shown as \xNN, in both forms.
 */
#include <string.h>

#include <check.h>

#include "ct/pack.h"
#include "sync/cache.h"
#include "sync/dump.h"
#include "tests/unit/suites.h"

/* A cache holding one TCP flow with @helper, added at second 10. */
static struct sync_cache *one_flow(const char *helper,
				   struct sync_cache_obj **o)
{
	struct sync_cache_conf cf = { .name = "t", .buckets = 4, .limit = 4 };
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	struct sync_cache *c;
	struct ct_entry e;
	int kl, bl;

	memset(&e, 0, sizeof(e));
	e.family = 2;
	e.set = CT_ORIG | CT_STATUS | CT_TIMEOUT | CT_HELPER;
	e.orig.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
		     CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	e.orig.l3 = 2;
	e.orig.l4 = 6;
	memcpy(&e.orig.src.v4, "\x0a\x00\x00\x01", 4);
	memcpy(&e.orig.dst.v4, "\x0a\x00\x00\x02", 4);
	e.orig.sport = 1;
	e.orig.dport = 2;
	e.timeout = 77;
	e.helper = helper;
	ck_assert_int_eq(sync_cache_new(&c, &cf), 0);
	kl = ct_entry_key(key, &e);
	bl = ct_entry_pack(body, sizeof(body), &e, ~0ULL);
	ck_assert_int_gt(kl, 0);
	ck_assert_int_gt(bl, 0);
	ck_assert_int_eq(sync_cache_add(c, key, (size_t)kl, body, (size_t)bl,
					10, o), 0);
	return c;
}

static const struct {
	const char *helper;
	int xml;
	const char *line;
} rows[] = {
	{ "ftp", 0, "tcp      6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 "
	  "[UNREPLIED] helper=ftp [active since 5s]" },
	{ "f\x1b[2J\ntp\x7f\xc3\xa9", 0, "tcp      6 src=10.0.0.1 "
	  "dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] helper=f\\x1b[2J\\x0atp\\x7f\\xc3"
	  "\\xa9 [active since 5s]" },
	{ "a\tb", 1, NULL },
};

START_TEST(test_line)
{
	struct sync_dump_opts o = { .now = 15, .xml = (uint8_t)rows[_i].xml };
	struct sync_cache_obj *obj;
	struct sync_cache *c = one_flow(rows[_i].helper, &obj);
	char buf[2048];
	int n = sync_dump_line(buf, sizeof(buf), obj, &o);

	ck_assert_int_eq(n, (int)strlen(buf));
	if (rows[_i].line) {
		ck_assert_str_eq(buf, rows[_i].line);
	} else {
		ck_assert(!strncmp(buf, "<flow>", 6));
		ck_assert_ptr_nonnull(strstr(buf, "a\\x09b"));
		ck_assert_ptr_null(strchr(buf, '\t'));
	}
	/* cut to the buffer, NUL-terminated */
	n = sync_dump_line(buf, 20, obj, &o);
	ck_assert_int_le(n, 19);
	ck_assert_int_eq(n, (int)strlen(buf));
	sync_cache_free(c);
}
END_TEST

Suite *dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *tc = tcase_create("dump");

	tcase_add_loop_test(tc, test_line, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	return s;
}
