// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the cthelper decoder cth_helper_decode(), its encoder
 * and its printer (cth/helper.h). Input: one netlink message (nlmsghdr,
 * nfgenmsg, NFCTH_*); its nlmsg_len is replaced by the input length.
 *
 * Properties, each an abort() when violated:
 *  - decoding is deterministic and decides the same with err NULL; a
 *    refusal is -EBADMSG, -EPROTO, -ERANGE or -EINVAL with a message;
 *  - an accepted helper has a NUL-terminated name and class names, one
 *    to CTH_POLICY_MAX classes, and name, queue, tuple, policy and
 *    status present;
 *  - it prints within the buffer contract (fmt_check_run);
 *  - decode -> encode -> decode gives the same helper, field for field,
 *    and the same bytes encoded again; an encode into a message too
 *    small returns -EMSGSIZE and writes nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cth/helper.h"
#include "fuzz/fmt_check.h"
#include "nl/attr.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NEED (CTH_HAS_NAME | CTH_HAS_QUEUE | CTH_HAS_TUPLE | CTH_HAS_POLICY | \
	      CTH_HAS_STATUS)

static int print(char *buf, size_t len, const void *arg)
{
	return cth_helper_format(arg, buf, len);
}

static void roundtrip(const struct cth_helper *h)
{
	static _Alignas(4) unsigned char b1[1024], b2[1024], small[1024];
	struct cth_helper back;
	struct nl_msg m1, m2, ms;

	nl_msg_init(&m1, b1, sizeof(b1));
	CHECK(cth_helper_encode(&m1, NFNL_MSG_CTHELPER_NEW, 0, 1, h) == 0);
	CHECK(cth_helper_decode(nl_msg_hdr(&m1), &back, NULL) == 0);
	CHECK(!memcmp(h, &back, sizeof(back)));
	nl_msg_init(&m2, b2, sizeof(b2));
	CHECK(cth_helper_encode(&m2, NFNL_MSG_CTHELPER_NEW, 0, 1, &back) == 0);
	CHECK(m1.len == m2.len && !memcmp(b1, b2, m1.len));
	for (size_t cap = 0; cap < m1.len; cap += 12) {
		nl_msg_init(&ms, small, cap);
		CHECK(cth_helper_encode(&ms, 0, 0, 1, h) == -EMSGSIZE);
		CHECK(ms.len == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_attr_err err = { 0 }, err2 = { 0 };
	struct cth_helper h, h2;
	static char out[FMT_CHECK_MAX];
	uint32_t *msg;
	int rc, rc2;

	msg = fuzz_msg(data, size);
	if (!msg)
		return 0;
	rc = cth_helper_decode((const struct nlmsghdr *)msg, &h, &err);
	rc2 = cth_helper_decode((const struct nlmsghdr *)msg, &h2, &err2);
	CHECK(rc == rc2);
	CHECK(rc == cth_helper_decode((const struct nlmsghdr *)msg, &h2, NULL));
	if (rc < 0) {
		CHECK(rc == -EBADMSG || rc == -EPROTO || rc == -ERANGE ||
		      rc == -EINVAL);
		CHECK(err.msg && err.msg[0] && err.msg == err2.msg &&
		      err.type == err2.type && err.offset == err2.offset);
		free(msg);
		return 0;
	}
	CHECK(!memcmp(&h, &h2, sizeof(h)));
	CHECK((h.has & NEED) == NEED);
	CHECK(h.npolicy >= 1 && h.npolicy <= CTH_POLICY_MAX);
	CHECK(memchr(h.name, 0, sizeof(h.name)));
	for (uint32_t i = 0; i < h.npolicy; i++)
		CHECK(memchr(h.policy[i].name, 0, sizeof(h.policy[i].name)));
	CHECK(fmt_check_run(print, &h, out, sizeof(out)) > 0);
	roundtrip(&h);
	free(msg);
	return 0;
}
