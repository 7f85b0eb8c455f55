/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Splitting one conntrack -R line into argv, as upstream's
 * add_param_to_argv() (from iptables-restore) does: blanks (space, tab,
 * newline) separate words, "..." quotes a word that may hold blanks,
 * inside quotes a backslash takes the next byte literally, a closing quote
 * ends the word ("a"b is two words, "" none). Lines that are empty or
 * whose first non-blank is '#' give no words. Limits as upstream: words
 * of at most CT_LEX_PARAM_MAX - 1 bytes ("Parameter too long!"), at most
 * CT_LEX_ARGC_MAX - 1 argv entries with the program name ("too many
 * arguments"). A pure function on a caller-owned struct, so cmd/ct_load.c
 * and the fuzzer (fuzz/ct_load.c) share it.
 */
#ifndef RAWCT_CMD_CT_LEX_H
#define RAWCT_CMD_CT_LEX_H

#include <stddef.h>

#define CT_LEX_ARGC_MAX		255
#define CT_LEX_PARAM_MAX	1024
#define CT_LEX_LINE_MAX		10239	/* -R reads 10240-byte fgets lines */

struct ct_lex {
	int argc;			/* 0: nothing to run on this line */
	char *argv[CT_LEX_ARGC_MAX];	/* argv[argc] is NULL */
	char store[CT_LEX_LINE_MAX + CT_LEX_ARGC_MAX + 1];
};

/*
 * ct_lex_line - tokenize @len bytes at @line (stops early at a NUL byte,
 * as a line read with fgets() ends there) into @l: argv[0] is @prog
 * (borrowed, not copied), the words are copied into l->store.
 * Returns 0 (l->argc 0 for a line to skip); -E2BIG with *@err "too many
 * arguments"; -ENAMETOOLONG with *@err "Parameter too long!"; -EMSGSIZE
 * with *@err "line too long" when @len exceeds CT_LEX_LINE_MAX. On
 * failure l->argc is 0.
 */
int ct_lex_line(struct ct_lex *l, const char *prog, const char *line,
		size_t len, const char **err);

#endif
