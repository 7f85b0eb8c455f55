// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -R: two passes over the file so memory stays constant however
 * long it is. The first parses every line (nothing runs if one is bad:
 * the error names the line); the second re-reads the file and runs the
 * lines in order, stopping at the first kernel error. Standard input is
 * spooled to an unlinked temporary file so it can be read twice. Lines
 * are tokenized like upstream (iptables' add_param_to_argv: blanks split,
 * "..." quotes with \ escapes, 255 words, 1023 bytes a word); leading
 * blanks are skipped, empty and # lines ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ct_load.h"

#define MAX_ARGC	255
#define MAX_PARAM	1024

struct line_argv {
	int argc;
	char *argv[MAX_ARGC + 1];
	char store[10240 + MAX_ARGC];
	size_t used;
};

static int add_argv(struct line_argv *l, const char *w, size_t len,
		    const char **err)
{
	if (l->argc + 1 >= MAX_ARGC) {
		*err = "too many arguments";
		return -1;
	}
	l->argv[l->argc] = l->store + l->used;
	memcpy(l->store + l->used, w, len);
	l->store[l->used + len] = '\0';
	l->used += len + 1;
	l->argv[++l->argc] = NULL;
	return 0;
}

/* Returns 0 (l->argc 0 for a line to skip) or -1 with *err. */
static int tokenize(struct line_argv *l, const char *prog, const char *s,
		    const char **err)
{
	char param[MAX_PARAM];
	int quote = 0, esc = 0;
	size_t len = 0;

	l->argc = 0;
	l->used = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\n' || *s == '#' || !*s)
		return 0;
	if (add_argv(l, prog, strlen(prog), err) < 0)
		return -1;
	for (; *s; s++) {
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
			if (!len)
				continue;
			if (add_argv(l, prog, 0, err) < 0)
				return -1;
			l->used--;
			memcpy(l->argv[l->argc - 1], param, len);
			l->argv[l->argc - 1][len] = '\0';
			l->used += len + 1;
			len = 0;
			continue;
		}
		param[len++] = *s;
		if (len >= sizeof(param)) {
			*err = "Parameter too long!";
			return -1;
		}
	}
	if (len && add_argv(l, param, len, err) < 0)
		return -1;
	return 0;
}

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

static int pass(struct ct_ctx *c, FILE *f, const char *prog, int run)
{
	struct ct_args_env env = { ct_ctx_labelmap, c };
	struct line_argv *l = malloc(sizeof(*l));
	struct ct_args *a = malloc(sizeof(*a));
	char buf[10240];
	unsigned int lineno = 0;
	int rc = 0;

	if (!l || !a) {
		ct_msg("OOM");
		rc = CT_EXIT_OTHER;
		goto out;
	}
	while (fgets(buf, sizeof(buf), f)) {
		struct ct_args_err err;
		const char *terr = NULL;

		lineno++;
		if (tokenize(l, prog, buf, &terr) < 0) {
			ct_msg("line %u: %s", lineno, terr);
			rc = CT_EXIT_PARAM;
			break;
		}
		if (!l->argc)
			continue;
		if (ct_args_parse(l->argc, l->argv, &env, a, &err) < 0) {
			char msg[CT_ARGS_MSG_MAX + 24];

			snprintf(msg, sizeof(msg), "line %u: %s", lineno,
				 err.msg);
			memcpy(err.msg, msg, sizeof(err.msg) - 1);
			err.msg[sizeof(err.msg) - 1] = '\0';
			rc = ct_report(a, &err);
			break;
		}
		if (a->cmd != CT_CMD_CREATE && a->cmd != CT_CMD_ADD &&
		    a->cmd != CT_CMD_UPDATE && a->cmd != CT_CMD_DELETE &&
		    a->cmd != CT_CMD_FLUSH) {
			ct_msg("line %u: Cannot use command `%s' with "
			       "--load-file", lineno, unsupported(a->cmd));
			fprintf(stderr, "Try `conntrack -h' or 'conntrack "
				"--help' for more information.\n");
			rc = CT_EXIT_PARAM;
			break;
		}
		if (run && (rc = ct_run(c, a)) != 0) {
			ct_msg("(line %u)", lineno);
			break;
		}
	}
out:
	free(l);
	free(a);
	return rc;
}

int ct_load_file(struct ct_ctx *c, const char *prog, const char *path)
{
	FILE *f;
	int rc;

	if (!strcmp(path, "-")) {
		char buf[65536];
		size_t n;

		f = tmpfile();
		if (!f) {
			ct_msg("Failed to open file %s for reading",
			       "/dev/stdin");
			return CT_EXIT_PARAM;
		}
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			fwrite(buf, 1, n, f);
	} else {
		f = fopen(path, "r");
		if (!f) {
			ct_msg("Failed to open file %s for reading", path);
			fprintf(stderr, "Try `conntrack -h' or 'conntrack "
				"--help' for more information.\n");
			return CT_EXIT_PARAM;
		}
	}
	c->load_file = 1;
	rewind(f);
	rc = pass(c, f, prog, 0);
	if (!rc) {
		rewind(f);
		rc = pass(c, f, prog, 1);
	}
	fclose(f);
	return rc;
}
