// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the statistics decoders of ct/stats.h: the global
 * count reply (ct_stats_count_decode), the per-CPU conntrack counters
 * (ct_stats_cpu_decode) and the per-CPU expectation counters
 * (ct_stats_exp_decode), and the -S line printer ct_format_stats. The
 * whole input is one netlink message (nlmsghdr, nfgenmsg, CTA_STATS_*
 * attributes); its nlmsg_len is replaced by the input length, as
 * nl_reply_parse() would have checked it against the datagram. All three
 * decoders run on every input.
 *
 * Properties, each an abort() when violated:
 *  - each decoder agrees with a reference walk written here from the
 *    wire format (not from nl/attr.c): success exactly when the stream is
 *    well formed, every known counter is 4 bytes and (count) the entry
 *    count is there; then the values are the last of each type, the
 *    presence bits exactly the types sent, the cpu the res_id; a refusal
 *    has the errno and err.offset of the first fault, and err.msg set;
 *  - a refusal leaves the outputs untouched (no partial state), and the
 *    count decoder leaves *max alone when the limit is absent;
 *  - decode -> encode (nl_attr_put_be32 per present counter) -> decode
 *    gives the same result;
 *  - ct_format_stats, both kinds, decoded and with every presence bit,
 *    honours the buffer contract (fuzz/fmt_check.c) and prints exactly
 *    "cpu=%-4u\t" and "name=value " per named present counter in type
 *    order, as rebuilt here from upstream's names.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ct/format.h"
#include "ct/stats.h"
#include "fuzz/fmt_check.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/uapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define MSG_CAP 65536
#define HDR (NLMSG_HDRLEN + 4)	/* nlmsghdr + nfgenmsg */

enum { D_COUNT, D_CPU, D_EXP, D_N };

/* The highest counter type each decoder keeps. */
static const unsigned int known_max[D_N] = {
	[D_COUNT] = CTA_STATS_GLOBAL_MAX,
	[D_CPU] = CT_STATS_NVAL - 1,
	[D_EXP] = CTA_STATS_EXP_MAX,
};

/* ---- the reference ------------------------------------------------- */

struct ref {
	int rc;			/* 0, -EBADMSG, -ERANGE */
	uint32_t offset;	/* of the faulty attribute in the stream */
	uint32_t present;
	uint32_t val[CT_STATS_NVAL];
};

/* Walks the stream after the nfgenmsg: nla_len >= 4 and within what is
 * left, the next header at the 4-byte aligned end; types 1..@max (flag
 * bits masked off) must carry exactly 4 bytes; others are skipped. */
static void ref_walk(const unsigned char *p, size_t len, unsigned int max,
		     struct ref *r)
{
	size_t off = 0;

	memset(r, 0, sizeof(*r));
	while (off < len) {
		uint16_t nla_len, nla_type, type;
		uint32_t v;

		if (len - off < 4) {
			r->rc = -EBADMSG;
			r->offset = (uint32_t)off;
			return;
		}
		memcpy(&nla_len, p + off, 2);
		memcpy(&nla_type, p + off + 2, 2);
		type = nla_type & 0x3fff;
		if (nla_len < 4 || nla_len > len - off) {
			r->rc = -EBADMSG;
			r->offset = (uint32_t)off;
			return;
		}
		if (type >= 1 && type <= max) {
			if (nla_len != 8) {
				r->rc = -ERANGE;
				r->offset = (uint32_t)off;
				return;
			}
			memcpy(&v, p + off + 4, 4);
			r->val[type] = ntohl(v);
			r->present |= 1U << type;
		}
		off += ((size_t)nla_len + 3) & ~(size_t)3;
	}
}

/* ---- decode, compare, re-encode ------------------------------------ */

static int decode(int d, const struct nlmsghdr *nlh, struct ct_stats_cpu *st,
		  uint32_t *count, uint32_t *max, struct nl_attr_err *err)
{
	switch (d) {
	case D_COUNT: return ct_stats_count_decode(nlh, count, max, err);
	case D_CPU: return ct_stats_cpu_decode(nlh, st, err);
	case D_EXP: return ct_stats_exp_decode(nlh, st, err);
	default: abort();
	}
}

/* A message carrying what @st (or @count/@max) says, decoded again. */
static void check_reencode(int d, const struct ct_stats_cpu *st,
			   uint32_t count, uint32_t max, int has_max)
{
	static uint32_t buf[1024];
	struct ct_stats_cpu back;
	struct nl_msg m;
	uint32_t c2 = ~count, m2 = ~max;
	uint16_t res_id = htons(st->cpu);

	nl_msg_init(&m, buf, sizeof(buf));
	CHECK(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
				IPCTNL_MSG_CT_GET_STATS_CPU, 0, 1, 0) == 0);
	memcpy((unsigned char *)buf + NLMSG_HDRLEN + 2, &res_id, 2);
	if (d == D_COUNT) {
		CHECK(nl_attr_put_be32(&m, CTA_STATS_GLOBAL_ENTRIES,
				       count) == 0);
		if (has_max)
			CHECK(nl_attr_put_be32(&m, CTA_STATS_GLOBAL_MAX_ENTRIES,
					       max) == 0);
	} else {
		for (unsigned int t = 1; t < CT_STATS_NVAL; t++)
			if (st->present & (1U << t))
				CHECK(nl_attr_put_be32(&m, (uint16_t)t,
						       st->val[t]) == 0);
	}
	nl_msg_end(&m);
	CHECK(decode(d, nl_msg_hdr(&m), &back, &c2, &m2, NULL) == 0);
	if (d == D_COUNT) {
		CHECK(c2 == count && (!has_max || m2 == max));
		CHECK(has_max || m2 == ~max);
	} else {
		CHECK(!memcmp(&back, st, sizeof(back)));
	}
}

/* ---- printing ------------------------------------------------------ */

static const char *const ct_names[] = {
	"", "searched", "found", "new", "invalid", "ignore", "delete",
	"delete_list", "insert", "insert_failed", "drop", "early_drop",
	"error", "search_restart", "clash_resolve", "chaintoolong",
	"unknown1", "unknown2", "unknown3", "unknown4",
};

static const char *const exp_names[] = {
	"", "expect_new", "expect_create", "expect_delete",
};

struct fmt_arg {
	const struct ct_stats_cpu *st;
	enum ct_stats_kind kind;
};

static int fmt(char *buf, size_t len, const void *arg)
{
	const struct fmt_arg *a = arg;

	return ct_format_stats(buf, len, a->st, a->kind);
}

/* The line as upstream's "cpu=%-4u\t" + "%s=%u " per counter. */
static void expected_line(char *out, size_t cap, const struct ct_stats_cpu *st,
			  enum ct_stats_kind kind)
{
	const char *const *names = kind == CT_STATS_EXPECT ? exp_names :
							     ct_names;
	size_t n = kind == CT_STATS_EXPECT ?
		   sizeof(exp_names) / sizeof(exp_names[0]) :
		   sizeof(ct_names) / sizeof(ct_names[0]);
	size_t k;

	k = (size_t)snprintf(out, cap, "cpu=%-4u\t", (unsigned int)st->cpu);
	for (size_t t = 1; t < n; t++)
		if (st->present & (1U << t))
			k += (size_t)snprintf(out + k, cap - k, "%s=%u ",
					      names[t],
					      (unsigned int)st->val[t]);
	CHECK(k < cap);
}

static void check_print(const struct ct_stats_cpu *st)
{
	static char text[FMT_CHECK_MAX], want[FMT_CHECK_MAX];
	struct ct_stats_cpu all = *st;
	struct fmt_arg a;

	all.present = 0xffffffffu;
	for (int v = 0; v < 2; v++) {
		a.st = v ? &all : st;
		for (int k = CT_STATS_CONNTRACK; k <= CT_STATS_EXPECT; k++) {
			a.kind = (enum ct_stats_kind)k;
			CHECK(fmt_check_run(fmt, &a, text, sizeof(text)) > 0);
			expected_line(want, sizeof(want), a.st, a.kind);
			CHECK(!strcmp(text, want));
		}
	}
	CHECK(ct_format_stats(text, sizeof(text), NULL,
			      CT_STATS_CONNTRACK) == -EINVAL);
}

/* ---- one decoder --------------------------------------------------- */

static void check_one(int d, const struct nlmsghdr *nlh, size_t len)
{
	const unsigned char *p = (const unsigned char *)nlh;
	struct ct_stats_cpu st, st2;
	struct nl_attr_err err;
	struct ref r;
	uint32_t count = 0xdeadbeef, max = 0xfeedface, c2, m2;
	uint16_t res_id;
	int rc, want;

	memset(&st, 0x5a, sizeof(st));
	memset(&err, 0x5a, sizeof(err));
	rc = decode(d, nlh, &st, &count, &max, &err);
	memset(&st2, 0x5a, sizeof(st2));
	c2 = 0xdeadbeef;
	m2 = 0xfeedface;
	CHECK(decode(d, nlh, &st2, &c2, &m2, NULL) == rc);

	if (len < HDR) {
		want = -EBADMSG;
		memset(&r, 0, sizeof(r));
	} else {
		ref_walk(p + HDR, len - HDR, known_max[d], &r);
		want = r.rc;
		if (want == 0 && d == D_COUNT &&
		    !(r.present & (1U << CTA_STATS_GLOBAL_ENTRIES)))
			want = -EBADMSG;
	}
	if (rc != want) {
		fprintf(stderr, "decoder %d: rc %d, reference %d\n", d, rc,
			want);
		abort();
	}
	if (rc < 0) {
		CHECK(err.msg != NULL && err.msg[0] != '\0');
		if (r.rc < 0)
			CHECK(err.offset == r.offset);
		/* nothing written */
		CHECK(count == 0xdeadbeef && max == 0xfeedface);
		for (size_t i = 0; i < sizeof(st); i++)
			CHECK(((unsigned char *)&st)[i] == 0x5a);
		return;
	}
	CHECK(!memcmp(&st, &st2, sizeof(st)) && count == c2 && max == m2);
	if (d == D_COUNT) {
		int has_max = !!(r.present &
				 (1U << CTA_STATS_GLOBAL_MAX_ENTRIES));

		CHECK(count == r.val[CTA_STATS_GLOBAL_ENTRIES]);
		CHECK(max == (has_max ? r.val[CTA_STATS_GLOBAL_MAX_ENTRIES]
				      : 0xfeedface));
		memset(&st, 0, sizeof(st));
		check_reencode(d, &st, count, max, has_max);
		return;
	}
	memcpy(&res_id, p + NLMSG_HDRLEN + 2, 2);
	CHECK(st.cpu == ntohs(res_id));
	CHECK(st.present == r.present && !(st.present & 1));
	for (unsigned int t = 0; t < CT_STATS_NVAL; t++)
		CHECK(st.val[t] == ((r.present & (1U << t)) ? r.val[t] : 0));
	check_reencode(d, &st, 0, 0, 0);
	check_print(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t *msg;

	if (size > MSG_CAP)
		return 0;
	msg = fuzz_msg(data, size);
	for (int d = 0; d < D_N; d++)
		check_one(d, (const struct nlmsghdr *)msg, size);
	free(msg);
	return 0;
}
