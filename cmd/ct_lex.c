// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -R line tokenizer (see ct_lex.h). Every output byte comes from a
 * distinct input byte, so the words of a line of n bytes need at most
 * n bytes plus one NUL per word: l->store cannot overflow.
 */
#include <errno.h>
#include <string.h>

#include "cmd/ct_lex.h"
#include "nl/copy.h"

static int add_word(struct ct_lex *l, const char *w, size_t n, size_t *used,
		    const char **err)
{
	if (l->argc + 1 >= CT_LEX_ARGC_MAX) {
		*err = "too many arguments";
		return -E2BIG;
	}
	l->argv[l->argc] = l->store + *used;
	nl_copy(l->store + *used, w, n);
	l->store[*used + n] = '\0';
	*used += n + 1;
	l->argv[++l->argc] = NULL;
	return 0;
}

static int lex(struct ct_lex *l, const char *s, const char *end,
	       const char **err)
{
	char param[CT_LEX_PARAM_MAX];
	size_t n = 0, used = 0;
	int quote = 0, esc = 0, rc;

	for (; s < end && *s; s++) {
		if (quote) {
			if (esc) {
				esc = 0;
			} else if (*s == '\\') {
				esc = 1;
				continue;
			} else if (*s == '"') {
				quote = 0;
				goto sep;
			}
		} else if (*s == '"') {
			quote = 1;
			continue;
		} else if (*s == ' ' || *s == '\t' || *s == '\n') {
sep:
			if (!n)
				continue;
			if ((rc = add_word(l, param, n, &used, err)) < 0)
				return rc;
			n = 0;
			continue;
		}
		param[n++] = *s;
		if (n >= sizeof(param)) {
			*err = "Parameter too long!";
			return -ENAMETOOLONG;
		}
	}
	return n ? add_word(l, param, n, &used, err) : 0;
}

int ct_lex_line(struct ct_lex *l, const char *prog, const char *line,
		size_t len, const char **err)
{
	const char *end = line + len;
	int rc;

	l->argc = 0;
	l->argv[0] = NULL;
	if (len > CT_LEX_LINE_MAX) {
		*err = "line too long";
		return -EMSGSIZE;
	}
	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	if (line == end || *line == '\n' || *line == '#' || !*line)
		return 0;
	l->argv[l->argc++] = (char *)prog;
	l->argv[l->argc] = NULL;
	rc = lex(l, line, end, err);
	if (rc < 0) {
		l->argc = 0;
		l->argv[0] = NULL;
	}
	return rc;
}
