// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hex fixture loading shared by the unit suites (see fixture.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/fixture.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t fixture_unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		while (*s == ' ')
			s++;
		if (n == cap || hexval(s[0]) < 0 || hexval(s[1]) < 0)
			return n;
		out[n++] = (unsigned char)(hexval(s[0]) << 4 | hexval(s[1]));
		s += 2;
	}
}

/* Every datagram loaded stays reachable here for the life of the
 * process: decoded entries borrow strings from them. */
static unsigned char *loaded[256];
static unsigned int nloaded;

/* Opens fixture @rel under RAWCT_TOP (or the current directory), or
 * fails the running test. */
static FILE *fixture_open(const char *rel)
{
	const char *top = getenv("RAWCT_TOP");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s%s", top ? top : "",
		 top ? "/" : "", rel);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s (run from the top or set "
		      "RAWCT_TOP)", path);
	return f;
}

unsigned int fixture_replay(const char *rel, nl_data_cb on_data, void *arg,
			    unsigned char **keep, unsigned int max)
{
	static char line[65536 * 2 + 4];
	unsigned int nd = 0;
	FILE *f = fixture_open(rel);

	while (fgets(line, sizeof(line), f)) {
		struct nl_reply r = { .on_data = on_data, .arg = arg,
				      .nseq = 1 };
		struct nlmsghdr h;
		unsigned char *d;
		size_t n, cap = strlen(line) / 2 + 1;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		/* uint32_t storage keeps the datagram 4-byte aligned */
		d = malloc((cap + 3) / 4 * 4);
		ck_assert_ptr_nonnull(d);
		n = fixture_unhex(line, d, cap);
		ck_assert_uint_ge(n, sizeof(h));
		memcpy(&h, d, sizeof(h));
		r.portid = h.nlmsg_pid;
		r.seq = h.nlmsg_seq;
		ck_assert_int_eq(nl_reply_parse(&r, d, n), 0);
		ck_assert_uint_lt(nloaded, sizeof(loaded) / sizeof(loaded[0]));
		loaded[nloaded++] = d;
		if (keep && nd < max)
			keep[nd] = d;
		nd++;	/* d is kept: decoded strings point into it */
	}
	fclose(f);
	return nd;
}

unsigned int fixture_load(const char *rel, unsigned char **bufs,
			  size_t *lens, unsigned int max)
{
	static char line[65536 * 2 + 4];
	unsigned int nd = 0;
	FILE *f = fixture_open(rel);

	while (fgets(line, sizeof(line), f)) {
		size_t n, cap = strlen(line) / 2 + 1;
		unsigned char *tmp, *d;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		ck_assert_uint_lt(nd, max);
		ck_assert_uint_lt(nloaded, sizeof(loaded) / sizeof(loaded[0]));
		tmp = malloc(cap);
		ck_assert_ptr_nonnull(tmp);
		n = fixture_unhex(line, tmp, cap);
		d = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(d);
		memcpy(d, tmp, n);
		free(tmp);
		loaded[nloaded++] = d;
		bufs[nd] = d;
		lens[nd++] = n;
	}
	fclose(f);
	return nd;
}
