// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the expectation decoder ct_expect_decode(), the
 * encoders that write expectations back (ct_expect_put_new,
 * ct_expect_put_key) and the printers of ct/expect_format.h. Input:
 *
 *   byte 0: bits 0..4 the CT_FMT_* flags of the printers, bits 5..6 the
 *           event (none, new, update, destroy)
 *   byte 1..: one netlink message (nlmsghdr, nfgenmsg, CTA_EXPECT_*);
 *           its nlmsg_len is replaced by the input length, as
 *           nl_reply_parse() would have checked it against the datagram
 *
 * Properties, each an abort() when violated:
 *  - decoding is deterministic and decides the same with err NULL; a
 *    refusal is -EBADMSG/-EPROTO/-ERANGE/-EINVAL with err.msg set and
 *    err.offset inside the attribute stream (0 for the header checks);
 *    an accepted expectation has the message's family, a helper under
 *    CT_EXP_HELPER_MAX bytes and only known presence bits;
 *  - with master, tuple and mask, decode -> ct_expect_put_new -> decode
 *    keeps every field the encoder carries (all but the id), and encoding
 *    the re-decoded expectation gives the same bytes; without them the
 *    encoder refuses with -EINVAL and writes nothing;
 *  - ct_expect_put_key -> decode gives the tuple (or the master), zone
 *    and id back;
 *  - an encode into a message too small returns -EMSGSIZE and leaves it
 *    byte for byte as it was (no partial expectation);
 *  - the default, XML and JSON printers honour the buffer contract over
 *    many buffer sizes (fuzz/fmt_check.c); JSON output is valid JSON and
 *    XML output balanced; the default line under all 32 flag sets.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct/expect_codec.h"
#include "ct/expect_format.h"
#include "ct/format.h"
#include "fuzz/fmt_check.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define NOW 1700000000	/* a fixed "now": output must not depend on time */
#define MSG_CAP 65536
#define HDR (NLMSG_HDRLEN + 4)
#define ALL_BITS 0x7ffu	/* CT_EXP_MASTER .. CT_EXP_FN */
#define NEED (CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK)

/* ---- encode -> decode ------------------------------------------------ */

static int encode(struct nl_msg *m, void *buf, size_t cap, uint8_t cmd,
		  const struct ct_expect *x, int key)
{
	int rc;

	nl_msg_init(m, buf, cap);
	rc = nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTNETLINK_EXP, cmd, 0, 1,
			       x->family);
	if (rc < 0)
		return rc;
	rc = key ? ct_expect_put_key(m, x) : ct_expect_put_new(m, x);
	nl_msg_end(m);
	return rc;
}

static void same_str(const char *a, const char *b)
{
	CHECK(a && b && !strcmp(a, b));
}

/* @b is @a encoded by put_new and decoded again: everything but the id. */
static void same_carried(const struct ct_expect *a, const struct ct_expect *b)
{
	CHECK(b->set == (a->set & ~(uint32_t)CT_EXP_ID));
	CHECK(b->family == a->family);
	CHECK(!memcmp(&a->master, &b->master, sizeof(a->master)));
	CHECK(!memcmp(&a->tuple, &b->tuple, sizeof(a->tuple)));
	CHECK(!memcmp(&a->mask, &b->mask, sizeof(a->mask)));
	if (a->set & CT_EXP_TIMEOUT)
		CHECK(b->timeout == a->timeout);
	if (a->set & CT_EXP_ZONE)
		CHECK(b->zone == a->zone);
	if (a->set & CT_EXP_FLAGS)
		CHECK(b->flags == a->flags);
	if (a->set & CT_EXP_CLASS)
		CHECK(b->class == a->class);
	if (a->set & CT_EXP_HELPER)
		same_str(a->helper, b->helper);
	else
		CHECK(b->helper == NULL);
	if (a->set & CT_EXP_FN)
		same_str(a->fn, b->fn);
	else
		CHECK(b->fn == NULL);
	if (a->set & CT_EXP_NAT)
		CHECK(b->nat_dir == a->nat_dir &&
		      !memcmp(&a->nat_tuple, &b->nat_tuple,
			      sizeof(a->nat_tuple)));
	CHECK(b->id == 0);
}

/* Messages a few bytes too small: -EMSGSIZE and nothing changed. */
static void check_rollback(const struct ct_expect *x, size_t full, int key)
{
	static uint32_t buf[MSG_CAP / 4];
	static unsigned char snap[MSG_CAP];
	size_t cuts[] = { 1, 4, 8, 13, 40, 100 };
	struct nl_msg m;
	size_t before;

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t cap;
		int rc;

		if (cuts[i] > full - HDR)
			break;
		cap = (full - cuts[i] + 3) & ~(size_t)3;
		if (cap >= full)
			continue;
		memset(buf, 0x5a, cap);
		nl_msg_init(&m, buf, cap);
		CHECK(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
					IPCTNL_MSG_EXP_NEW, 0, 1,
					x->family) == 0);
		before = m.len;
		memcpy(snap, buf, before);
		rc = key ? ct_expect_put_key(&m, x) : ct_expect_put_new(&m, x);
		CHECK(rc == -EMSGSIZE);
		CHECK(m.len == before && !memcmp(snap, buf, before));
	}
}

static void check_new(const struct ct_expect *x)
{
	static uint32_t b1[MSG_CAP / 4], b2[MSG_CAP / 4];
	struct ct_expect back;
	struct nl_attr_err err;
	struct nl_msg m1, m2;
	int rc;

	rc = encode(&m1, b1, sizeof(b1), IPCTNL_MSG_EXP_NEW, x, 0);
	if ((x->set & NEED) != NEED) {
		CHECK(rc == -EINVAL && m1.len == HDR);
		return;
	}
	if (rc != 0) {
		fprintf(stderr, "put_new: %d\n", rc);
		abort();
	}
	rc = ct_expect_decode(nl_msg_hdr(&m1), &back, &err);
	if (rc != 0) {
		fprintf(stderr, "re-decode: %d %s at %u\n", rc,
			err.msg ? err.msg : "?", (unsigned int)err.offset);
		abort();
	}
	same_carried(x, &back);
	/* the re-decoded expectation encodes to the same bytes */
	CHECK(encode(&m2, b2, sizeof(b2), IPCTNL_MSG_EXP_NEW, &back, 0) == 0);
	CHECK(m1.len == m2.len && !memcmp(b1, b2, m1.len));
	check_rollback(x, m1.len, 0);
}

static void check_key(const struct ct_expect *x)
{
	static uint32_t buf[1024];
	struct ct_expect back;
	struct nl_msg m;
	int rc;

	rc = encode(&m, buf, sizeof(buf), IPCTNL_MSG_EXP_DELETE, x, 1);
	if (!(x->set & (CT_EXP_TUPLE | CT_EXP_MASTER))) {
		CHECK(rc == -EINVAL && m.len == HDR);
		return;
	}
	CHECK(rc == 0);
	CHECK(ct_expect_decode(nl_msg_hdr(&m), &back, NULL) == 0);
	if (x->set & CT_EXP_TUPLE) {
		CHECK((back.set & (CT_EXP_TUPLE | CT_EXP_MASTER)) ==
		      CT_EXP_TUPLE);
		CHECK(!memcmp(&back.tuple, &x->tuple, sizeof(x->tuple)));
	} else {
		CHECK((back.set & (CT_EXP_TUPLE | CT_EXP_MASTER)) ==
		      CT_EXP_MASTER);
		CHECK(!memcmp(&back.master, &x->master, sizeof(x->master)));
	}
	CHECK((back.set & ~(uint32_t)(CT_EXP_TUPLE | CT_EXP_MASTER)) ==
	      (x->set & (CT_EXP_ZONE | CT_EXP_ID)));
	CHECK(!(x->set & CT_EXP_ZONE) || back.zone == x->zone);
	CHECK(!(x->set & CT_EXP_ID) || back.id == x->id);
	check_rollback(x, m.len, 1);
}

/* ---- printing -------------------------------------------------------- */

struct fmt_arg {
	const struct ct_expect *x;
	const struct ct_fmt_opts *o;
	int which;
};

enum { F_DEFAULT, F_XML, F_JSON };

static int fmt(char *buf, size_t len, const void *arg)
{
	const struct fmt_arg *a = arg;

	switch (a->which) {
	case F_DEFAULT: return ct_expect_format_default(buf, len, a->x, a->o);
	case F_XML: return ct_expect_format_xml(buf, len, a->x, a->o);
	case F_JSON: return ct_expect_format_json(buf, len, a->x, a->o);
	default: abort();
	}
}

static void check_print(const struct ct_expect *x, uint8_t ctl)
{
	static char text[FMT_CHECK_MAX];
	struct ct_fmt_opts o = { .now = NOW };
	struct fmt_arg a = { .x = x, .o = &o };
	int rc;

	o.flags = ctl & 0x1f;
	o.event = (enum ct_fmt_event)(ctl >> 5 & 3);

	a.which = F_DEFAULT;
	CHECK(fmt_check_run(fmt, &a, text, sizeof(text)) >= 0);
	a.which = F_XML;
	CHECK(fmt_check_run(fmt, &a, text, sizeof(text)) >= 0);
	CHECK(fmt_check_xml(text));
	CHECK(!strncmp(text, "<flow", 5));
	a.which = F_JSON;
	CHECK(fmt_check_run(fmt, &a, text, sizeof(text)) >= 0);
	if (!fmt_check_json(text)) {
		fprintf(stderr, "bad JSON: %s\n", text);
		abort();
	}
	CHECK(text[0] == '{');

	/* the default line under every flag set, full buffer only */
	for (unsigned int f = 0; f < 32; f++) {
		struct ct_fmt_opts of = o;

		of.flags = f;
		rc = ct_expect_format_default(text, sizeof(text), x, &of);
		CHECK(rc >= 0 && (size_t)rc == strlen(text));
	}
}

/* ---- entry point ----------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_expect x, x2;
	struct nl_attr_err err, err2;
	uint32_t *msg;
	size_t len;
	uint8_t ctl;
	int rc;

	if (size < 1 || size - 1 > MSG_CAP)
		return 0;
	ctl = data[0];
	len = size - 1;
	msg = fuzz_msg(data + 1, len);

	memset(&err, 0x5a, sizeof(err));
	rc = ct_expect_decode((const struct nlmsghdr *)msg, &x, &err);
	CHECK(ct_expect_decode((const struct nlmsghdr *)msg, &x2, NULL) == rc);
	if (rc < 0) {
		memset(&err2, 0, sizeof(err2));
		fuzz_check_decode_err(rc, &err,
				      ct_expect_decode((const struct nlmsghdr *)msg,
						       &x2, &err2),
				      &err2, len, HDR, 4);
		goto out;
	}
	CHECK(len >= HDR && !memcmp(&x, &x2, sizeof(x)));
	CHECK(x.family == ((const uint8_t *)msg)[NLMSG_HDRLEN]);
	CHECK((x.set & ~ALL_BITS) == 0);
	CHECK(!(x.set & CT_EXP_HELPER) ||
	      strlen(x.helper) < CT_EXP_HELPER_MAX);
	CHECK(!!(x.set & CT_EXP_HELPER) == (x.helper != NULL));
	CHECK(!!(x.set & CT_EXP_FN) == (x.fn != NULL));
	CHECK(!(x.set & CT_EXP_NAT) || x.nat_dir <= CT_DIR_REPLY);
	check_new(&x);
	check_key(&x);
	check_print(&x, ctl);
out:
	free(msg);
	return 0;
}
