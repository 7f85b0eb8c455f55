// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the conntrack command-line parser ct_args_parse()
 * (cmd/ct_args*.c), with no kernel, files or environment. The input is
 * split into argv words at NUL and newline bytes (at most ARGS_MAX words
 * of at most WORD_MAX bytes; longer ones are cut), after argv[0]
 * "conntrack". The label map, when the parse asks for one, comes from a
 * fixed in-memory connlabel.conf. Properties, each an abort() when
 * violated:
 *  - the parse is deterministic: the same argv twice gives the same
 *    result or error byte for byte, and argv is not modified;
 *  - the map callback runs at most once; when it did not run, parsing
 *    with no map at all gives the same result;
 *  - an error has a non-empty NUL-terminated message and exit status 1 or
 *    2; warnings are NUL-terminated and at most CT_ARGS_WARN_MAX;
 *  - a success has exactly one command (or none) and a table, family and
 *    options within their enums; tmpl.family is the family; the option
 *    rules that cannot be missed hold (-F takes only -f, -I/-A need -p
 *    and -t, -G needs -p); label_add_max is the highest --label-add bit;
 *  - a -I/-A template completes (ct_args_complete) into an entry whose
 *    labels fit and whose orig and reply tuples are both present when
 *    one was given.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/ct_args.h"
#include "fuzz/fmt_check.h"
#include "ct/labels.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define ARGS_MAX 64
#define WORD_MAX 256

static const char labelmap_text[] =
	"0 eth0-in\n1 eth0-out\n2 ppp-in\n3 two words\n31 w0-last\n"
	"32 w1-first\n64 sixty-four\n127 last\n";

struct env_ctx {
	unsigned int calls;
	int null_map;		/* hand out no map, with a notice */
};

static const struct ct_labelmap *get_map(void *ctx, char *notice,
					 size_t len)
{
	static struct ct_labelmap *map;
	struct env_ctx *c = ctx;

	c->calls++;
	if (c->null_map) {
		strncpy(notice, "nfct_labelmap_new: No such file or directory",
			len - 1);
		notice[len - 1] = '\0';
		return NULL;
	}
	if (!map)
		CHECK(ct_labelmap_parse(&map, labelmap_text,
					sizeof(labelmap_text) - 1, 0,
					NULL) == 0);
	return map;
}

static int highest_bit(const uint8_t bits[CT_LABELS_BYTES])
{
	for (int b = CT_LABEL_BITS - 1; b >= 0; b--)
		if (ct_labels_test(bits, CT_LABELS_BYTES, (unsigned int)b))
			return b;
	return -1;
}

static void check_strs(const struct ct_args *a)
{
	CHECK(a->nwarn <= CT_ARGS_WARN_MAX);
	for (unsigned int i = 0; i < a->nwarn; i++)
		CHECK(memchr(a->warn[i], '\0', sizeof(a->warn[i])) &&
		      a->warn[i][0]);
}

static void check_ok(const struct ct_args *a)
{
	struct ct_entry e;

	CHECK(a->cmd <= CT_CMD_NONE);
	CHECK(a->table <= CT_TABLE_UNCONFIRMED);
	CHECK(a->family == AF_UNSPEC || a->family == AF_INET ||
	      a->family == AF_INET6);
	CHECK(a->tmpl.family == (uint8_t)a->family);
	CHECK(!(a->options & ~((1u << CT_OPT_NUM) - 1)));
	CHECK(memchr(a->proto_name, '\0', sizeof(a->proto_name)));
	CHECK(a->label_add_max >= -1 && a->label_add_max < CT_LABEL_BITS);
	CHECK(a->label_add_max == highest_bit(a->label_add));
	switch (a->cmd) {
	case CT_CMD_FLUSH:
		CHECK(!(a->options & ~(uint32_t)CT_OPT_FAMILY));
		break;
	case CT_CMD_CREATE:
	case CT_CMD_ADD:
		CHECK((a->options & CT_OPT_PROTO) &&
		      (a->options & CT_OPT_TIMEOUT));
		CHECK(ct_args_complete(a, &e) == 0);
		CHECK(e.labels_len <= CT_LABELS_BYTES);
		if (a->options & (CT_OPT_ORIG | CT_OPT_REPL))
			CHECK((e.set & (CT_ORIG | CT_REPLY)) ==
			      (CT_ORIG | CT_REPLY));
		break;
	case CT_CMD_GET:
		CHECK(a->options & CT_OPT_PROTO);
		break;
	case CT_CMD_VERSION:
		CHECK(a->options == 0);
		break;
	default:
		break;
	}
	(void)ct_args_proto_help(a);
	for (unsigned int b = 0; b <= CT_OPT_NUM; b++)
		CHECK(ct_args_opt_name(b) != NULL);
}

/* Errors compare by status and message (the buffer past the NUL is not
 * cleared by the parse). */
static int same_err(const struct ct_args_err *x, const struct ct_args_err *y)
{
	return x->status == y->status && !strcmp(x->msg, y->msg);
}

static void check_err(const struct ct_args_err *err)
{
	CHECK(err->status == CT_EXIT_OTHER || err->status == CT_EXIT_PARAM);
	CHECK(memchr(err->msg, '\0', sizeof(err->msg)) && err->msg[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ct_args a1, a2, a3;
	static struct ct_args_err e1, e2, e3;
	static char words[ARGS_MAX][WORD_MAX + 1], copy[ARGS_MAX][WORD_MAX + 1];
	char *argv[ARGS_MAX + 2];
	struct env_ctx c1 = { 0 }, c2 = { 0 }, c3 = { .null_map = 1 };
	struct ct_args_env env1 = { get_map, &c1 }, env2 = { get_map, &c2 };
	struct ct_args_env env3 = { get_map, &c3 };
	int argc, r1, r2, r3;

	argc = fuzz_argv(data, size, &words[0][0], ARGS_MAX, WORD_MAX, argv,
			 "conntrack");
	memcpy(copy, words, sizeof(words));

	r1 = ct_args_parse(argc, argv, &env1, &a1, &e1);
	r2 = ct_args_parse(argc, argv, &env2, &a2, &e2);
	CHECK(r1 == r2 && (r1 == 0 || r1 == -1));
	CHECK(c1.calls <= 1 && c1.calls == c2.calls);
	CHECK(!memcmp(&a1, &a2, sizeof(a1)) && same_err(&e1, &e2));
	CHECK(!memcmp(copy, words, sizeof(words)));
	for (int k = 1; k < argc; k++)
		CHECK(argv[k] == words[k - 1]);
	check_strs(&a1);
	if (r1 < 0)
		check_err(&e1);
	else
		check_ok(&a1);

	/* without a map: the same, unless the map was asked for */
	r2 = ct_args_parse(argc, argv, NULL, &a2, &e2);
	if (!c1.calls)
		CHECK(r2 == r1 && !memcmp(&a1, &a2, sizeof(a1)) &&
		      same_err(&e1, &e2));
	else if (r2 < 0)
		check_err(&e2);

	/* a loader that fails with a notice: it shows up as a warning */
	r3 = ct_args_parse(argc, argv, &env3, &a3, &e3);
	CHECK(c3.calls == c1.calls);
	check_strs(&a3);
	if (r3 < 0)
		check_err(&e3);
	if (c3.calls && a3.nwarn < CT_ARGS_WARN_MAX) {
		int seen = 0;

		for (unsigned int k = 0; k < a3.nwarn; k++)
			seen |= !!strstr(a3.warn[k], "nfct_labelmap_new");
		CHECK(seen);
	}
	return 0;
}
