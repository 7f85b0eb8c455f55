// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/labels: connlabel.conf lines upstream accepts (with the
 * meaning strtoul base 0 gives them) and every kind of line it skips, each
 * reported with its line number in strict mode and counted in lenient
 * mode; lookups both ways; comma lists into the bitmap; the file loader.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "ct/labels.h"
#include "tests/unit/suites.h"

static struct ct_labelmap *parse_ok(const char *text, unsigned int flags)
{
	struct ct_labelmap *m = NULL;
	struct ct_labelmap_err err;

	ck_assert_int_eq(ct_labelmap_parse(&m, text, strlen(text), flags,
					   &err), 0);
	ck_assert_ptr_nonnull(m);
	return m;
}

START_TEST(test_accepts)
{
	static const char conf[] =
		"# connlabel.conf\n"
		"0\teth0-in\n"
		"1 vpn   \n"
		"   2    lead-blanks\n"
		"0x10 hex\n"		/* strtoul base 0: 16 */
		"010 octal\n"		/* 8 */
		"+3 plus\n"
		"4two\n"		/* no blank needed: "two" */
		"5 two words\r\n"	/* CRLF, inner blank kept */
		"\n"
		"   \t\n"
		"   # indented comment\n"
		"127 last";		/* no final newline */
	struct ct_labelmap *m = parse_ok(conf, CT_LABELMAP_STRICT);

	ck_assert_uint_eq(ct_labelmap_count(m), 9);
	ck_assert_str_eq(ct_labelmap_name(m, 0), "eth0-in");
	ck_assert_str_eq(ct_labelmap_name(m, 1), "vpn");
	ck_assert_str_eq(ct_labelmap_name(m, 2), "lead-blanks");
	ck_assert_str_eq(ct_labelmap_name(m, 16), "hex");
	ck_assert_str_eq(ct_labelmap_name(m, 8), "octal");
	ck_assert_str_eq(ct_labelmap_name(m, 3), "plus");
	ck_assert_str_eq(ct_labelmap_name(m, 4), "two");
	ck_assert_str_eq(ct_labelmap_name(m, 5), "two words");
	ck_assert_str_eq(ct_labelmap_name(m, 127), "last");
	ck_assert_ptr_null(ct_labelmap_name(m, 6));
	ck_assert_ptr_null(ct_labelmap_name(m, 128));
	ck_assert_ptr_null(ct_labelmap_name(NULL, 0));
	ck_assert_int_eq(ct_labelmap_bit(m, "vpn"), 1);
	ck_assert_int_eq(ct_labelmap_bit(m, "two words"), 5);
	ck_assert_int_eq(ct_labelmap_bit(m, "VPN"), -ENOENT);
	ck_assert_int_eq(ct_labelmap_bit(m, "vp"), -ENOENT);
	ck_assert_int_eq(ct_labelmap_bit(NULL, "vpn"), -ENOENT);
	ct_labelmap_free(m);
	ct_labelmap_free(NULL);
}
END_TEST

/* One bad line each, between good ones: strict fails at its line number,
 * lenient skips it and keeps the rest (as upstream). */
static const struct {
	const char *line;
	const char *reason;
} bad[] = {
	{ "foo bar", "expected a label bit number" },
	{ "128 big", "label bit out of range (0-127)" },
	{ "1023 big", "label bit out of range (0-127)" },
	{ "-1 neg", "label bit out of range (0-127)" },
	{ "99999999999999999999999 huge", "label bit out of range (0-127)" },
	{ "7", "missing label name" },
	{ "7   \t", "missing label name" },
	{ "7 semi;colon", "bad character in label name (allowed: A-Z a-z 0-9 - and blank)" },
	{ "7 under_score", "bad character in label name (allowed: A-Z a-z 0-9 - and blank)" },
	{ "0 again", "label bit defined twice" },
	{ "7 zero", "label name defined twice" },
};

START_TEST(test_bad_line)
{
	char text[256];
	struct ct_labelmap *m = (void *)1;
	struct ct_labelmap_err err;

	snprintf(text, sizeof(text), "0 zero\n# c\n%s\n1 first\n",
		 bad[_i].line);
	ck_assert_int_eq(ct_labelmap_parse(&m, text, strlen(text),
					   CT_LABELMAP_STRICT, &err), -EINVAL);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.reason, bad[_i].reason);

	ck_assert_int_eq(ct_labelmap_parse(&m, text, strlen(text), 0, &err),
			 0);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.skipped, 1);
	ck_assert_str_eq(err.reason, bad[_i].reason);
	ck_assert_uint_eq(ct_labelmap_count(m), 2);
	ck_assert_int_eq(ct_labelmap_bit(m, "first"), 1);
	ck_assert_str_eq(ct_labelmap_name(m, 0), "zero");
	ct_labelmap_free(m);
}
END_TEST

START_TEST(test_limits)
{
	struct ct_labelmap *m = (void *)1;
	struct ct_labelmap_err err;
	char *big;
	size_t n = CT_LABEL_LINE_MAX + 8;

	/* nothing defined: -ENODATA in both modes (upstream: no map) */
	ck_assert_int_eq(ct_labelmap_parse(&m, "# only\n\n", 8, 0, &err),
			 -ENODATA);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(ct_labelmap_parse(&m, "", 0, 0, NULL), -ENODATA);
	ck_assert_int_eq(ct_labelmap_parse(&m, "x\n", 2, 0, &err), -ENODATA);
	ck_assert_uint_eq(err.skipped, 1);
	ck_assert_int_eq(ct_labelmap_parse(NULL, "0 a", 3, 0, NULL), -EINVAL);
	ck_assert_int_eq(ct_labelmap_parse(&m, NULL, 3, 0, NULL), -EINVAL);

	/* a line over upstream's fgets buffer; a NUL inside a line */
	big = malloc(n + 16);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	memcpy(big, "1 ", 2);
	memcpy(big + n, "\n2 ok\n", 6);
	ck_assert_int_eq(ct_labelmap_parse(&m, big, n + 6, CT_LABELMAP_STRICT,
					   &err), -EINVAL);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_str_eq(err.reason, "line too long");
	/* exactly the longest line upstream reads whole */
	big[CT_LABEL_LINE_MAX - 1] = '\n';
	ck_assert_int_eq(ct_labelmap_parse(&m, big, CT_LABEL_LINE_MAX,
					   CT_LABELMAP_STRICT, &err), 0);
	ck_assert_uint_eq(strlen(ct_labelmap_name(m, 1)),
			  CT_LABEL_LINE_MAX - 3);
	ct_labelmap_free(m);
	free(big);
	ck_assert_int_eq(ct_labelmap_parse(&m, "0 a\0b\n", 6,
					   CT_LABELMAP_STRICT, &err), -EINVAL);
	ck_assert_str_eq(err.reason, "NUL byte in line");
}
END_TEST

START_TEST(test_list)
{
	struct ct_labelmap *m = parse_ok("0 a\n1 b\n9 c\n100 d\n5 two words\n",
					 0);
	struct ct_labelmap_err err;
	uint8_t bits[16] = { 0 };
	uint8_t want[16] = { 0 };

	ck_assert_int_eq(ct_labelmap_parse_list(m, "a", bits, &err), 0);
	ck_assert_int_eq(ct_labelmap_parse_list(m, "c,d,two words", bits,
						&err), 100);
	ct_labels_set(want, 0);
	ct_labels_set(want, 9);
	ct_labels_set(want, 100);
	ct_labels_set(want, 5);
	ck_assert(!memcmp(bits, want, sizeof(bits)));
	ck_assert_int_eq(ct_labels_test(bits, 16, 9), 1);
	ck_assert_int_eq(ct_labels_test(bits, 16, 10), 0);
	ck_assert_int_eq(ct_labels_test(bits, 8, 100), 0);	/* beyond len */
	ck_assert_int_eq(ct_labels_test(bits, 2, 9), 1);	/* partial word */
	ck_assert_int_eq(ct_labels_test(NULL, 16, 9), 0);

	/* unknown and empty names fail and leave the bitmap alone */
	ck_assert_int_eq(ct_labelmap_parse_list(m, "a,nosuch,b", bits, &err),
			 -ENOENT);
	ck_assert_str_eq(err.name, "nosuch");
	ck_assert_int_eq(ct_labelmap_parse_list(m, "a,,b", bits, &err),
			 -ENOENT);
	ck_assert_str_eq(err.name, "");
	ck_assert_int_eq(ct_labelmap_parse_list(m, "b,", bits, &err),
			 -ENOENT);
	ck_assert_int_eq(ct_labelmap_parse_list(NULL, "a", bits, &err),
			 -ENOENT);
	ck_assert_str_eq(err.name, "a");
	ck_assert(!memcmp(bits, want, sizeof(bits)));
	ck_assert_int_eq(ct_labelmap_parse_list(m, NULL, bits, NULL),
			 -EINVAL);
	ct_labelmap_free(m);
}
END_TEST

START_TEST(test_load)
{
	char path[] = "/tmp/rawct-labels-XXXXXX";
	struct ct_labelmap *m = NULL;
	struct ct_labelmap_err err;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	/* more than the loader's first read */
	for (int i = 0; i < 128; i++)
		fprintf(f, "%d label-%d-%064d\n", i, i, 0);
	fclose(f);
	ck_assert_int_eq(ct_labelmap_load(&m, path, CT_LABELMAP_STRICT, &err),
			 0);
	ck_assert_uint_eq(ct_labelmap_count(m), 128);
	ck_assert_int_eq(ct_labelmap_bit(m, "label-127-0000000000000000000000000000000000000000000000000000000000000000"), 127);
	ct_labelmap_free(m);
	unlink(path);
	ck_assert_int_eq(ct_labelmap_load(&m, path, 0, &err), -ENOENT);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(ct_labelmap_load(NULL, path, 0, &err), -EINVAL);
}
END_TEST

Suite *labels_suite(void)
{
	Suite *s = suite_create("labels");
	TCase *tc = tcase_create("labels");

	tcase_add_test(tc, test_accepts);
	tcase_add_loop_test(tc, test_bad_line, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return s;
}
