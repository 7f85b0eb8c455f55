/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a parsed conntrack command against the kernel: one function per
 * command in a table (ct_run dispatches), the summaries and the upstream
 * error texts. Only this and the other cmd/ files print.
 */
#ifndef RAWCT_CMD_CT_RUN_H
#define RAWCT_CMD_CT_RUN_H

#include <stddef.h>

#include "cmd/ct_args.h"

struct nl_sock;
struct ct_labelmap;

/* What survives between commands of one process (-R runs many). */
struct ct_ctx {
	const char *prog;		/* argv[0], for -h */
	struct nl_sock *sock;		/* dumps and single requests */
	struct nl_sock *mod;		/* pipelined per-entry requests */
	struct ct_labelmap *labels;
	int labels_tried;
	int load_file;			/* -R: no summaries, 0 matches ok */
	unsigned int lineno;		/* -R: line being run, for errors */
	int no_kfilter;			/* RAWCT_NO_KFILTER set: no kernel
					 * dump filter (test hook) */
	int no_pipe;			/* RAWCT_NO_PIPE set: dumps and
					 * batches in one thread (test hook) */
	unsigned int pipe_hold_us;	/* RAWCT_PIPE_HOLD_US: 0, or how
					 * often a piped dump's caller looks
					 * (test hook) */
	signed char kfilter;		/* CT_KFILTER_* probe result */
};

/* "conntrack v1.4.8 (conntrack-tools): <msg>" on stderr. */
void ct_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The value of environment variable @name, a number of microseconds
 * from 0 to @max; @def when unset, or with a warning when invalid. */
unsigned long ct_env_us(const char *name, unsigned long def,
			unsigned long max);

/* "Operation failed: <text>", prefixed "line N: " while -R runs line N. */
void ct_fail_msg(const struct ct_ctx *c, const char *text);

/* Prints a parse error (and the "Try" line for status 2); returns the
 * exit status. */
int ct_report(const struct ct_args *a, const struct ct_args_err *err);

/* The label map callback of struct ct_args_env (ctx: struct ct_ctx). */
const struct ct_labelmap *ct_ctx_labelmap(void *ctx, char *notice,
					  size_t len);

/* The label names to print @e with, in output @out: the map if it was
 * loaded (upstream prints labels whenever -l, --label-add, --label-del
 * or -o labels loaded it); -o save loads it at the first entry with
 * labels, to save them by name (silently: without a map there are no
 * names to save). */
const struct ct_labelmap *ct_ctx_labels_for(struct ct_ctx *c,
					    unsigned int out,
					    const struct ct_entry *e);

/* Runs @a; returns the exit status. */
int ct_run(struct ct_ctx *c, const struct ct_args *a);

/* Closes the sockets and frees the map. */
void ct_ctx_close(struct ct_ctx *c);

/* upstream's err2str() for command @cmd and positive errno @err. */
const char *ct_err2str(int err, unsigned int cmd);

#endif
