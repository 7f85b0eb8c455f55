// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the cttimeout decoder tmo_policy_decode(), its
 * encoder and its printer (tmo/policy.h). Input: one netlink message
 * (nlmsghdr, nfgenmsg, CTA_TIMEOUT_*); its nlmsg_len is replaced by the
 * input length, as nl_reply_parse() would have checked it.
 *
 * Properties, each an abort() when violated:
 *  - decoding is deterministic and decides the same with err NULL; a
 *    refusal keeps the decoders' error contract (fuzz/fmt_check.h);
 *  - an accepted policy has a NUL-terminated name, states only of a
 *    protocol tmo/proto.h names (none without a layer 4 protocol), and
 *    only known presence bits;
 *  - it prints within the buffer contract (fmt_check_run), as one
 *    object ending in "};", named when it has a name;
 *  - decode -> encode -> decode keeps name, protocols and states, and
 *    encoding that again gives the same bytes; an encode into a message
 *    too small returns -EMSGSIZE and writes nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fmt_check.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "tmo/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define HDR (NLMSG_HDRLEN + 4)
#define KNOWN (TMO_HAS_NAME | TMO_HAS_L3 | TMO_HAS_L4 | TMO_HAS_USE)

static int print(char *buf, size_t len, const void *arg)
{
	return tmo_policy_format(arg, buf, len);
}

static void same_policy(const struct tmo_policy *a, const struct tmo_policy *b)
{
	CHECK(b->has == (a->has & ~(unsigned int)TMO_HAS_USE));
	CHECK(!strcmp(a->name, b->name));
	CHECK(a->l3proto == b->l3proto && a->l4proto == b->l4proto);
	CHECK(a->set == b->set);
	for (int i = 0; i < TMO_STATES_MAX; i++)
		CHECK(!(a->set & 1u << i) || a->secs[i] == b->secs[i]);
}

static void roundtrip(const struct tmo_policy *t)
{
	static _Alignas(4) unsigned char b1[1024], b2[1024], small[1024];
	struct tmo_policy back;
	struct nl_msg m1, m2, ms;

	nl_msg_init(&m1, b1, sizeof(b1));
	CHECK(tmo_policy_encode(&m1, IPCTNL_MSG_TIMEOUT_NEW, 0, 1, t) == 0);
	CHECK(tmo_policy_decode(nl_msg_hdr(&m1), &back, NULL) == 0);
	same_policy(t, &back);
	nl_msg_init(&m2, b2, sizeof(b2));
	CHECK(tmo_policy_encode(&m2, IPCTNL_MSG_TIMEOUT_NEW, 0, 1, &back) == 0);
	CHECK(m1.len == m2.len && !memcmp(b1, b2, m1.len));
	for (size_t cap = 0; cap < m1.len; cap += 12) {
		nl_msg_init(&ms, small, cap);
		CHECK(tmo_policy_encode(&ms, 0, 0, 1, t) == -EMSGSIZE);
		CHECK(ms.len == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_attr_err err = { 0 }, err2 = { 0 };
	struct tmo_policy t, t2;
	const struct tmo_proto *pr;
	uint32_t *msg;
	static char out[FMT_CHECK_MAX];
	int rc, rc2;

	msg = fuzz_msg(data, size);
	if (!msg)
		return 0;
	rc = tmo_policy_decode((const struct nlmsghdr *)msg, &t, &err);
	rc2 = tmo_policy_decode((const struct nlmsghdr *)msg, &t2, &err2);
	CHECK(rc == tmo_policy_decode((const struct nlmsghdr *)msg, &t2, NULL));
	if (rc < 0) {
		fuzz_check_decode_err(rc, &err, rc2, &err2, size, HDR,
				      NL_ATTR_DEPTH_MAX);
		free(msg);
		return 0;
	}
	CHECK(rc2 == 0 && !memcmp(&t, &t2, sizeof(t)));
	CHECK(!(t.has & ~KNOWN));
	CHECK(memchr(t.name, 0, sizeof(t.name)));
	CHECK((t.has & TMO_HAS_NAME) || !t.name[0]);
	pr = tmo_proto_find(t.l4proto);
	CHECK(!t.set || ((t.has & TMO_HAS_L4) && pr && !(t.set >> pr->nstates)));
	CHECK(fmt_check_run(print, &t, out, sizeof(out)) > 0);
	CHECK(strlen(out) >= 2 && !strcmp(out + strlen(out) - 2, "};"));
	CHECK(!(t.has & TMO_HAS_NAME) == (out[0] != '.'));
	roundtrip(&t);
	free(msg);
	return 0;
}
