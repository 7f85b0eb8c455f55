// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the conntrack -R line tokenizer ct_lex_line()
 * (cmd/ct_lex.c). The whole input is one line. Properties, each an
 * abort() when violated:
 *  - the result equals that of a reference tokenizer written here
 *    independently from the upstream rules (words, errors, limits);
 *  - a success has argv[0] the program, argv[argc] NULL, at most 254
 *    entries, every word non-empty, under 1024 bytes, inside l->store,
 *    and the words together no longer than the line; a failure has
 *    argc 0 and one of the three messages;
 *  - the words rejoined, each quoted with \ and " escaped, tokenize to
 *    the same words, and so do words joined by single blanks when no word
 *    holds a blank or a quote (and the first does not start with #);
 *  - tokenizing is deterministic.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ct_lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const char prog[] = "conntrack";

/* ---- the reference: upstream's rules, one word at a time -------------- */

struct ref {
	int rc;
	int skip;	/* empty or comment line: no argv at all */
	int nwords;
	size_t start[CT_LEX_ARGC_MAX], len[CT_LEX_ARGC_MAX];
	char buf[CT_LEX_LINE_MAX + 1];	/* the words' bytes, back to back */
};

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static void ref_lex(struct ref *r, const char *s, size_t n)
{
	size_t i = 0, used = 0, end;

	r->rc = 0;
	r->skip = 0;
	r->nwords = 0;
	if (n > CT_LEX_LINE_MAX) {
		r->rc = -EMSGSIZE;
		return;
	}
	end = memchr(s, '\0', n) ? (size_t)((const char *)memchr(s, '\0', n) - s)
				 : n;
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == end || s[i] == '\n' || s[i] == '#') {
		r->skip = 1;
		return;
	}
	while (i < end) {
		size_t wl = 0;
		int in_word = 0;

		/* one word: unquoted bytes and quoted runs until a blank
		 * outside quotes or the end of a quoted run */
		while (i < end) {
			char c = s[i];

			if (c == '"') {
				i++;
				while (i < end && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < end)
						i++;
					else if (s[i] == '\\') {
						i++;
						break;
					}
					r->buf[used + wl++] = s[i++];
					if (wl >= CT_LEX_PARAM_MAX) {
						r->rc = -ENAMETOOLONG;
						return;
					}
				}
				if (i < end)
					i++;	/* the closing quote */
				in_word = 1;
				break;		/* a closing quote ends a word */
			}
			if (blank(c)) {
				i++;
				break;
			}
			r->buf[used + wl++] = c;
			i++;
			if (wl >= CT_LEX_PARAM_MAX) {
				r->rc = -ENAMETOOLONG;
				return;
			}
		}
		(void)in_word;
		if (!wl)
			continue;
		if (r->nwords + 2 >= CT_LEX_ARGC_MAX) {
			r->rc = -E2BIG;
			return;
		}
		r->start[r->nwords] = used;
		r->len[r->nwords++] = wl;
		used += wl;
	}
}

/* ---- properties ------------------------------------------------------ */

static void check_ok(const struct ct_lex *l, size_t n)
{
	size_t total = 0;

	if (!l->argc)
		return;
	/* a line of only "" has the program name alone, as upstream */
	CHECK(l->argc >= 1 && l->argc < CT_LEX_ARGC_MAX);
	CHECK(l->argv[0] == prog && l->argv[l->argc] == NULL);
	for (int i = 1; i < l->argc; i++) {
		const char *w = l->argv[i];
		size_t wl = strlen(w);

		CHECK(w >= l->store && w + wl < l->store + sizeof(l->store));
		CHECK(wl > 0 && wl < CT_LEX_PARAM_MAX);
		total += wl;
	}
	CHECK(total <= n);
}

static void same_words(const struct ct_lex *a, const struct ct_lex *b)
{
	CHECK(a->argc == b->argc);
	for (int i = 1; i < a->argc; i++)
		CHECK(!strcmp(a->argv[i], b->argv[i]));
}

/* Words back into a line: quoted (@quote) or bare. Returns its length,
 * or 0 when it would be longer than a line may be. */
static size_t rejoin(const struct ct_lex *l, char *out, size_t cap,
		     int quote)
{
	size_t k = 0;

	for (int i = 1; i < l->argc; i++) {
		const char *w = l->argv[i];

		if (k + 2 >= cap)
			return 0;
		if (i > 1)
			out[k++] = ' ';
		if (quote)
			out[k++] = '"';
		for (; *w; w++) {
			if (k + 3 >= cap)
				return 0;
			if (quote && (*w == '"' || *w == '\\'))
				out[k++] = '\\';
			out[k++] = *w;
		}
		if (quote)
			out[k++] = '"';
	}
	return k <= CT_LEX_LINE_MAX ? k : 0;
}

static int bare_ok(const struct ct_lex *l)
{
	if (l->argc < 2 || l->argv[1][0] == '#')
		return 0;
	for (int i = 1; i < l->argc; i++)
		if (strpbrk(l->argv[i], " \t\n\""))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ct_lex l, l2, l3;
	static struct ref r;
	static char line[2 * CT_LEX_LINE_MAX + 8];
	const char *err = NULL, *err2 = NULL;
	const char *s = (const char *)data;
	size_t k;
	int rc;

	rc = ct_lex_line(&l, prog, s, size, &err);
	CHECK(ct_lex_line(&l2, prog, s, size, &err2) == rc);
	ref_lex(&r, s, size);
	CHECK(rc == r.rc);
	if (rc < 0) {
		CHECK(l.argc == 0 && err != NULL && err == err2);
		CHECK((rc == -E2BIG && !strcmp(err, "too many arguments")) ||
		      (rc == -ENAMETOOLONG &&
		       !strcmp(err, "Parameter too long!")) ||
		      (rc == -EMSGSIZE && !strcmp(err, "line too long")));
		return 0;
	}
	CHECK(rc == 0);
	same_words(&l, &l2);
	check_ok(&l, size);
	CHECK(l.argc == (r.skip ? 0 : r.nwords + 1));
	for (int i = 1; i < l.argc; i++)
		CHECK(strlen(l.argv[i]) == r.len[i - 1] &&
		      !memcmp(l.argv[i], r.buf + r.start[i - 1], r.len[i - 1]));

	/* rejoined, quoted: the same words */
	if (l.argc > 1 && (k = rejoin(&l, line, sizeof(line), 1)) > 0) {
		CHECK(ct_lex_line(&l3, prog, line, k, &err2) == 0);
		same_words(&l, &l3);
	}
	/* rejoined bare, when nothing needs quoting */
	if (bare_ok(&l) && (k = rejoin(&l, line, sizeof(line), 0)) > 0) {
		CHECK(ct_lex_line(&l3, prog, line, k, &err2) == 0);
		same_words(&l, &l3);
	}
	return 0;
}
