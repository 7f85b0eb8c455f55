// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the connlabel.conf parser ct_labelmap_parse() and the
 * label lookups and printers that use a map. The whole input is the file
 * text. Properties, each an abort() when violated:
 *  - lenient and strict parses agree: strict succeeds exactly when the
 *    lenient parse succeeds without skipping a line, and then gives the
 *    same map; a failure returns a documented errno with no map, and a
 *    bad line is reported by number (inside the text) and reason;
 *  - every named bit round trips: name -> bit -> name, the name is
 *    non-empty, trimmed and of [A-Za-z0-9 -], names are unique, and the
 *    count is the number of named bits;
 *  - ct_labelmap_parse_list() of all names (and of each) gives exactly
 *    their bits back and the highest bit; an unknown name is -ENOENT with
 *    the name reported and the bitmap untouched;
 *  - printing an entry with those label bits (and with every bit set)
 *    through the map honours the buffer contract (fuzz/fmt_check.c); the
 *    default line names every named set bit, JSON is valid JSON.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/format.h"
#include "ct/labels.h"
#include "fuzz/fmt_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static unsigned int count_lines(const uint8_t *d, size_t n)
{
	unsigned int lines = 0;

	for (size_t i = 0; i < n; i++)
		if (d[i] == '\n' || i == n - 1)
			lines++;
	return lines;
}

static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == ' ' ||
		      s[i] == '-'))
			return 0;
	return 1;
}

struct fmt_arg {
	const struct ct_entry *e;
	const struct ct_fmt_opts *o;
	int which;
};

static int fmt(char *buf, size_t len, const void *arg)
{
	const struct fmt_arg *a = arg;

	switch (a->which) {
	case 0: return ct_format_default(buf, len, a->e, a->o);
	case 1: return ct_format_xml(buf, len, a->e, a->o);
	case 2: return ct_format_save(buf, len, a->e, a->o);
	default: return ct_format_json(buf, len, a->e, a->o);
	}
}

/* Prints a TCP entry carrying @bits through @map in every format. */
static void check_print(const struct ct_labelmap *map, const uint8_t *bits,
			size_t blen, int sweep)
{
	static char text[FMT_CHECK_MAX];
	struct ct_entry e;
	struct ct_fmt_opts o = { .labels = map, .now = 1700000000,
				 .event = CT_FMT_EV_NEW };
	struct fmt_arg a = { .e = &e, .o = &o };

	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.set = CT_ORIG | CT_REPLY | CT_LABELS | CT_TIMEOUT;
	e.orig.set = e.reply.set = CT_TUPLE_SRC | CT_TUPLE_DST |
				   CT_TUPLE_PROTO | CT_TUPLE_SPORT |
				   CT_TUPLE_DPORT;
	e.orig.l3 = e.reply.l3 = AF_INET;
	e.orig.l4 = e.reply.l4 = 6;
	e.orig.src.v4 = e.reply.dst.v4 = 0x0100000a;
	e.orig.dst.v4 = e.reply.src.v4 = 0x0200000a;
	e.timeout = 30;
	e.labels_len = (uint8_t)blen;
	memcpy(e.labels, bits, blen);

	for (a.which = 0; a.which < 4; a.which++) {
		if (sweep)
			CHECK(fmt_check_run(fmt, &a, text, sizeof(text)) >= 0);
		else
			CHECK(fmt(text, sizeof(text), &a) >= 0);
		if (a.which == 0) {
			for (unsigned int b = 0; b < CT_LABEL_BITS; b++) {
				const char *n = ct_labelmap_name(map, b);

				if (n && ct_labels_test(bits, blen, b))
					CHECK(strstr(text, n) != NULL);
			}
		}
		if (a.which == 1)
			CHECK(fmt_check_xml(text));
		if (a.which == 3)
			CHECK(fmt_check_json(text));
	}
}

static void check_map(const struct ct_labelmap *map)
{
	static char list[CT_LABEL_BITS * (CT_LABEL_LINE_MAX + 1)];
	uint8_t want[16] = { 0 }, got[16], before[16], one[16];
	struct ct_labelmap_err err;
	unsigned int named = 0;
	size_t used = 0;
	int max = -1, r;

	for (unsigned int b = 0; b < CT_LABEL_BITS; b++) {
		const char *n = ct_labelmap_name(map, b);

		if (!n)
			continue;
		named++;
		CHECK(name_ok(n));
		CHECK(ct_labelmap_bit(map, n) == (int)b);
		CHECK(ct_labelmap_name(map, (unsigned int)
				       ct_labelmap_bit(map, n)) == n);
		ct_labels_set(want, b);
		CHECK(ct_labels_test(want, sizeof(want), b) == 1);
		max = (int)b;
		/* each name alone */
		memset(got, 0, sizeof(got));
		memset(one, 0, sizeof(one));
		ct_labels_set(one, b);
		CHECK(ct_labelmap_parse_list(map, n, got, &err) == (int)b);
		CHECK(!memcmp(got, one, sizeof(got)));
		if (used)
			list[used++] = ',';
		memcpy(list + used, n, strlen(n));
		used += strlen(n);
	}
	list[used] = '\0';
	CHECK(named == ct_labelmap_count(map) && named > 0);
	CHECK(ct_labelmap_name(map, CT_LABEL_BITS) == NULL);

	/* all names at once */
	memset(got, 0, sizeof(got));
	CHECK(ct_labelmap_parse_list(map, list, got, &err) == max);
	CHECK(!memcmp(got, want, sizeof(got)));

	/* an unknown name: reported, bitmap untouched */
	memset(before, 0x3c, sizeof(before));
	memcpy(got, before, sizeof(got));
	r = ct_labelmap_parse_list(map, "no,such_label", got, &err);
	CHECK(r == -ENOENT && !memcmp(got, before, sizeof(got)));
	CHECK(err.reason && (!strcmp(err.name, "no") ||
			     !strcmp(err.name, "such_label")));
	/* an empty name too */
	memcpy(got, before, sizeof(got));
	CHECK(ct_labelmap_parse_list(map, "", got, &err) == -ENOENT);
	CHECK(!memcmp(got, before, sizeof(got)));
	CHECK(ct_labelmap_parse_list(map, NULL, got, &err) == -EINVAL);

	/* the buffer sweep once; all bits and a short bitmap in full */
	check_print(map, want, sizeof(want), 1);
	memset(got, 0xff, sizeof(got));
	check_print(map, got, sizeof(got), 0);
	check_print(map, want, 5, 0);
}

static void same_map(const struct ct_labelmap *a, const struct ct_labelmap *b)
{
	CHECK(ct_labelmap_count(a) == ct_labelmap_count(b));
	for (unsigned int i = 0; i < CT_LABEL_BITS; i++) {
		const char *x = ct_labelmap_name(a, i);
		const char *y = ct_labelmap_name(b, i);

		CHECK(!x == !y && (!x || !strcmp(x, y)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_labelmap *lenient = (void *)1, *strict = (void *)1;
	struct ct_labelmap_err le, se;
	unsigned int lines = count_lines(data, size);
	int lr, sr;

	lr = ct_labelmap_parse(&lenient, (const char *)data, size, 0, &le);
	sr = ct_labelmap_parse(&strict, (const char *)data, size,
			       CT_LABELMAP_STRICT, &se);

	CHECK(lr == 0 || lr == -ENODATA);
	CHECK(sr == 0 || sr == -ENODATA || sr == -EINVAL);
	CHECK((lr == 0) == (lenient != NULL) && (sr == 0) == (strict != NULL));
	/* a bad line: its number inside the text, a reason */
	CHECK((le.line != 0) == (le.reason != NULL));
	CHECK((le.line != 0) == (le.skipped != 0) && le.skipped <= lines);
	CHECK(le.line <= lines);
	CHECK(se.skipped == 0 && se.line <= lines);
	CHECK((sr == -EINVAL) == (se.line != 0));
	if (sr == -EINVAL)
		CHECK(se.line == le.line && se.reason == le.reason);
	/* strict succeeds exactly when lenient skipped nothing */
	CHECK((sr == 0) == (lr == 0 && le.skipped == 0));
	if (lr == 0)
		check_map(lenient);
	if (sr == 0)
		same_map(lenient, strict);

	/* no map: every lookup fails, printing still works */
	CHECK(ct_labelmap_bit(NULL, "x") == -ENOENT);
	ct_labelmap_free(lenient);
	ct_labelmap_free(strict);
	return 0;
}
