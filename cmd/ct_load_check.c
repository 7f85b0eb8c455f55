// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -R's first pass: every line of the file tokenized and parsed,
 * nothing run and nothing printed until the end, where the first bad
 * line is reported by its number (a line upstream would refuse, or a
 * command -R does not take). Files of CHECK_SPLIT bytes or more are
 * checked in two halves at once, the second in a helper thread, the two
 * sharing the label map under a lock. cmd/ct_load.c runs the second pass
 * only when this one found nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/ct_lex.h"
#include "cmd/ct_load_int.h"

static const char *unsupported(unsigned int cmd)
{
	static const struct { unsigned int cmd; const char *text; } t[] = {
		{ CT_CMD_LIST, "-L" }, { CT_CMD_GET, "-G" },
		{ CT_CMD_EVENT, "-E" }, { CT_CMD_VERSION, "-V" },
		{ CT_CMD_HELP, "-h" }, { CT_CMD_EXP_LIST, "-L expect" },
		{ CT_CMD_EXP_CREATE, "-C expect" },
		{ CT_CMD_EXP_DELETE, "-D expect" },
		{ CT_CMD_EXP_GET, "-G expect" },
		{ CT_CMD_EXP_FLUSH, "-F expect" },
		{ CT_CMD_EXP_EVENT, "-E expect" }, { CT_CMD_COUNT, "-C" },
		{ CT_CMD_EXP_COUNT, "-C expect" }, { CT_CMD_STATS, "-S" },
		{ CT_CMD_EXP_STATS, "-S expect" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].cmd == cmd)
			return t[i].text;
	return "unknown";
}

/* The first pass over one part of the file: every line parsed, nothing
 * printed; the first bad line is kept for check_report(). */
struct check {
	struct ct_ctx *c;
	const char *prog;
	const struct ct_args_env *env;
	struct ct_load_reader rd;
	pthread_t tid;
	/* results */
	unsigned int lines;		/* lines read, the bad one included */
	enum { CHK_OK, CHK_IO, CHK_OOM, CHK_LEX, CHK_ARGS, CHK_CMD } bad;
	const char *terr;		/* CHK_LEX */
	struct ct_args a;		/* CHK_ARGS, CHK_CMD */
	struct ct_args_err err;		/* CHK_ARGS */
	struct ct_lex l;
	char line[LINE_BUF];
};

static void check_range(struct check *k)
{
	int r;

	while ((r = ct_load_read_line(&k->rd, k->line)) > 0) {
		k->lines++;
		if (ct_lex_line(&k->l, k->prog, k->line, strlen(k->line),
				&k->terr) < 0) {
			k->bad = CHK_LEX;
			return;
		}
		if (!k->l.argc)
			continue;
		if (ct_args_parse(k->l.argc, k->l.argv, k->env, &k->a,
				  &k->err) < 0) {
			k->bad = CHK_ARGS;
			return;
		}
		if (k->a.cmd != CT_CMD_CREATE && k->a.cmd != CT_CMD_ADD &&
		    k->a.cmd != CT_CMD_UPDATE && k->a.cmd != CT_CMD_DELETE &&
		    k->a.cmd != CT_CMD_FLUSH) {
			k->bad = CHK_CMD;
			return;
		}
	}
	if (r < 0)
		k->bad = CHK_IO;
}

static void *check_thread(void *arg)
{
	check_range(arg);
	return NULL;
}

/* Prints what check_range() found, its lines numbered from @first + 1.
 * Returns the exit status. */
static int check_report(struct check *k, unsigned int first)
{
	unsigned int lineno = first + k->lines;
	char msg[CT_ARGS_MSG_MAX + 24];

	switch (k->bad) {
	case CHK_OK:
		return 0;
	case CHK_IO:
		ct_msg("Failed to read the file");
		return CT_EXIT_OTHER;
	case CHK_OOM:
		ct_msg("OOM");
		return CT_EXIT_OTHER;
	case CHK_LEX:
		ct_msg("line %u: %s", lineno, k->terr);
		return CT_EXIT_PARAM;
	case CHK_ARGS:
		snprintf(msg, sizeof(msg), "line %u: %s", lineno, k->err.msg);
		memcpy(k->err.msg, msg, sizeof(k->err.msg) - 1);
		k->err.msg[sizeof(k->err.msg) - 1] = '\0';
		return ct_report(&k->a, &k->err);
	case CHK_CMD:
		ct_msg("line %u: Cannot use command `%s' with --load-file",
		       lineno, unsupported(k->a.cmd));
		fprintf(stderr, "Try `conntrack -h' or 'conntrack --help' for "
			"more information.\n");
		return CT_EXIT_PARAM;
	}
	return CT_EXIT_OTHER;
}

/* Two threads share the label map, loaded on first use. */
struct shared_labels {
	pthread_mutex_t mu;
	struct ct_ctx *c;
};

static const struct ct_labelmap *locked_labelmap(void *ctx, char *notice,
						 size_t len)
{
	struct shared_labels *sl = ctx;
	const struct ct_labelmap *m;

	pthread_mutex_lock(&sl->mu);
	m = ct_ctx_labelmap(sl->c, notice, len);
	pthread_mutex_unlock(&sl->mu);
	return m;
}

#define CHECK_SPLIT	(1 << 20)	/* a file this big is checked in two
					 * halves at once */

/* The first of the halves @fd splits into at @size / 2: the offset just
 * after the first newline from there, or @size. */
static off_t half_of(int fd, off_t size)
{
	char buf[4096];
	off_t pos = size / 2;
	ssize_t n;

	while (pos < size) {
		n = pread(fd, buf, sizeof(buf), pos);
		if (n <= 0)
			return size;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				return pos + i + 1;
		pos += n;
	}
	return size;
}

int ct_load_check_file(struct ct_ctx *c, int fd, off_t size,
		       const char *prog)
{
	struct shared_labels sl = { .c = c };
	struct ct_args_env env = { ct_ctx_labelmap, c };
	struct ct_args_env shared = { locked_labelmap, &sl };
	struct check *k = calloc(2, sizeof(*k));
	off_t mid = size;
	int two = 0, rc;

	if (!k) {
		ct_msg("OOM");
		return CT_EXIT_OTHER;
	}
	if (!c->no_pipe && size >= CHECK_SPLIT)
		mid = half_of(fd, size);
	for (int i = 0; i < 2; i++) {
		k[i].c = c;
		k[i].prog = prog;
		k[i].env = &env;
	}
	ct_load_reader_init(&k[0].rd, fd, 0, mid);
	ct_load_reader_init(&k[1].rd, fd, mid, size);
	if (mid < size) {
		pthread_mutex_init(&sl.mu, NULL);
		k[0].env = k[1].env = &shared;
		two = pthread_create(&k[1].tid, NULL, check_thread,
				     &k[1]) == 0;
		if (!two)
			k[0].env = k[1].env = &env;
	}
	check_range(&k[0]);
	if (two)
		pthread_join(k[1].tid, NULL);
	else if (!k[0].bad && mid < size)
		check_range(&k[1]);
	if (mid < size)
		pthread_mutex_destroy(&sl.mu);
	rc = check_report(&k[0], 0);
	if (!rc)
		rc = check_report(&k[1], k[0].lines);
	free(k);
	return rc;
}
