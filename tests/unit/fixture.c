// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hex fixture loading and link messages shared by the unit suites (see
 * fixture.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/msg.h"
#include "nl/rtnl.h"
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

size_t fixture_text(const char *rel, char *buf, size_t cap)
{
	FILE *f = fixture_open(rel);
	size_t n = fread(buf, 1, cap, f);

	ck_assert_msg(!ferror(f) && n < cap, "%s: unreadable or too big", rel);
	fclose(f);
	buf[n] = '\0';
	return n;
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

void fixture_link(struct nl_msg *m, int type, int family, int index,
		  unsigned int flags, const char *name, unsigned int mtu,
		  int carrier)
{
	struct ifinfomsg ifi = {
		.ifi_family = (unsigned char)family,
		.ifi_index = index, .ifi_flags = flags,
	};

	ck_assert_int_eq(nl_msg_begin(m, (uint16_t)type, 0, 0), 0);
	ck_assert_int_eq(nl_msg_put_fixed(m, &ifi, sizeof(ifi)), 0);
	if (name)
		ck_assert_int_eq(nl_attr_put_str(m, IFLA_IFNAME, name), 0);
	if (mtu)
		ck_assert_int_eq(nl_attr_put_u32(m, IFLA_MTU, mtu), 0);
	if (carrier >= 0)
		ck_assert_int_eq(nl_attr_put_u8(m, IFLA_CARRIER,
						(uint8_t)carrier), 0);
	nl_msg_end(m);
}

void fixture_sync_msg(unsigned char *p, size_t len, uint32_t seq)
{
	p[0] = 0x10;
	p[1] = 0;
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	p[4] = (unsigned char)(seq >> 24);
	p[5] = (unsigned char)(seq >> 16);
	p[6] = (unsigned char)(seq >> 8);
	p[7] = (unsigned char)seq;
	for (size_t j = 8; j < len; j++)
		p[j] = (unsigned char)(seq * 7 + j);
}

uint32_t fixture_sync_seq(const unsigned char *p)
{
	return (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
	       (uint32_t)p[6] << 8 | p[7];
}
