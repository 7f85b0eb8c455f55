// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for nfct(8)'s command-line parser nfct_args_parse()
 * (cmd/nfct_args.c), with no kernel or files: the input is split into
 * argv words at NUL and newline bytes (at most ARGS_MAX words of at most
 * WORD_MAX bytes; longer ones are cut), after argv[0] "nfct"; protocol
 * names come from a fixed table. Properties, each an abort() when
 * violated:
 *  - the parse is deterministic and leaves argv as it was;
 *  - an error is one or more lines, each ending in a newline, every one
 *    starting with "nfct v1.4.8: " or "Usage: " or being the syntax or
 *    usage line that follows one, all within NFCT_ERR_MAX;
 *  - a success names a subsystem and, for timeout and helper, a command,
 *    a message type and flags of that subsystem's; its request encodes
 *    (tmo/ or cth/) into a 512-byte message, and a timeout request
 *    decodes back to the same name, protocols and states.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/nfct_args.h"
#include "fuzz/fmt_check.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define ARGS_MAX 16
#define WORD_MAX 64

static int proto_byname(const char *name, void *arg)
{
	static const struct { const char *name; int num; } db[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 },
		{ "gre", 47 }, { "esp", 50 }, { "ipv6-icmp", 58 },
		{ "sctp", 132 }, { "udplite", 136 }, { "mptcp", 262 },
	};

	(void)arg;
	for (size_t i = 0; i < sizeof(db) / sizeof(db[0]); i++)
		if (!strcmp(db[i].name, name))
			return db[i].num;
	return -1;
}

/* Every line of @text is one upstream can print. */
static void check_err(const char *text)
{
	const char *l = text, *nl;

	CHECK(memchr(text, 0, NFCT_ERR_MAX) && *text);
	for (; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		CHECK(nl);
		CHECK(!strncmp(l, "nfct v" NFCT_VERSION ": ", 13) ||
		      !strncmp(l, "Usage: ", 7) || !strncmp(l, "syntax: ", 8) ||
		      !strncmp(l, "nfct ", 5));
	}
}

static void check_request(const struct nfct_args *a)
{
	static _Alignas(4) unsigned char buf[512];
	struct tmo_policy back;
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	if (a->subsys == NFCT_SUBSYS_HELPER) {
		CHECK(a->type <= NFNL_MSG_CTHELPER_DEL);
		CHECK(cth_helper_encode(&m, a->type, a->flags, 1,
					a->has_obj ? &a->cth : NULL) == 0);
		return;
	}
	CHECK(a->type <= IPCTNL_MSG_TIMEOUT_DEFAULT_GET);
	CHECK(tmo_policy_encode(&m, a->type, a->flags, 1,
				a->has_obj ? &a->tmo : NULL) == 0);
	CHECK(tmo_policy_decode(nl_msg_hdr(&m), &back, NULL) == 0);
	if (!a->has_obj)
		return;
	CHECK(back.has == a->tmo.has && !strcmp(back.name, a->tmo.name));
	CHECK(back.l3proto == a->tmo.l3proto && back.l4proto == a->tmo.l4proto);
	CHECK(back.set == a->tmo.set);
	for (int i = 0; i < TMO_STATES_MAX; i++)
		CHECK(!(back.set & 1u << i) || back.secs[i] == a->tmo.secs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char words[ARGS_MAX][WORD_MAX + 1], copy[ARGS_MAX][WORD_MAX + 1];
	static struct nfct_args a1, a2;
	static struct nfct_args_err e1, e2;
	const struct nfct_args_env env = { proto_byname, NULL };
	char *argv[ARGS_MAX + 2];
	int argc, r1, r2;

	argc = fuzz_argv(data, size, &words[0][0], ARGS_MAX, WORD_MAX, argv,
			 "nfct");
	memcpy(copy, words, sizeof(words));
	r1 = nfct_args_parse(argc, argv, &env, &a1, &e1);
	r2 = nfct_args_parse(argc, argv, &env, &a2, &e2);
	CHECK(!memcmp(copy, words, sizeof(words)));
	CHECK(r1 == r2);
	if (r1 < 0) {
		CHECK(r1 == -EINVAL && !strcmp(e1.text, e2.text));
		check_err(e1.text);
		return 0;
	}
	CHECK(r1 == 0 && !memcmp(&a1, &a2, sizeof(a1)));
	CHECK(a1.subsys >= NFCT_SUBSYS_TIMEOUT && a1.subsys <= NFCT_SUBSYS_HELP);
	if (a1.subsys == NFCT_SUBSYS_TIMEOUT || a1.subsys == NFCT_SUBSYS_HELPER) {
		CHECK(a1.cmd >= NFCT_CMD_LIST && a1.cmd <= NFCT_CMD_DEFAULT_GET);
		check_request(&a1);
	}
	return 0;
}
