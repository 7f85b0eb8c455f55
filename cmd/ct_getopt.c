// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * glibc's getopt_long algorithm (posix/getopt.c, PERMUTE ordering) over
 * a caller-owned state: see ct_getopt.h for why it is reimplemented.
 */
#include <string.h>

#include "cmd/ct_getopt.h"

void ct_getopt_init(struct ct_getopt *g, int argc, char **argv,
		    const char *optstring)
{
	memset(g, 0, sizeof(*g));
	g->argc = argc;
	g->argv = argv;
	g->optstring = optstring;
	g->optind = 1;
	g->first_nonopt = g->last_nonopt = 1;
}

/* Moves the skipped non-options [first_nonopt, last_nonopt) behind the
 * options [last_nonopt, optind) processed since, keeping both orders. */
static void exchange(struct ct_getopt *g)
{
	int bottom = g->first_nonopt, middle = g->last_nonopt;
	int top = g->optind;
	char **argv = g->argv, *tem;

	while (top > middle && middle > bottom) {
		if (top - middle > middle - bottom) {
			int len = middle - bottom;

			for (int i = 0; i < len; i++) {
				tem = argv[bottom + i];
				argv[bottom + i] = argv[top - len + i];
				argv[top - len + i] = tem;
			}
			top -= len;
		} else {
			int len = top - middle;

			for (int i = 0; i < len; i++) {
				tem = argv[bottom + i];
				argv[bottom + i] = argv[middle + i];
				argv[middle + i] = tem;
			}
			bottom += len;
		}
	}
	g->first_nonopt += g->optind - g->last_nonopt;
	g->last_nonopt = g->optind;
}

static int nonoption(const struct ct_getopt *g)
{
	const char *a = g->argv[g->optind];

	return a[0] != '-' || a[1] == '\0';
}

static int long_option(struct ct_getopt *g, const struct ct_longopt *lo,
		       int nlong)
{
	const char *name = g->nextchar, *end = name;
	const struct ct_longopt *found = NULL;
	size_t len;
	int ambig = 0;

	while (*end && *end != '=')
		end++;
	len = (size_t)(end - name);
	/* the first byte is compared inline: this runs for every option of
	 * every -R line, and most names differ there */
	for (int i = 0; i < nlong && len; i++) {
		if (lo[i].name[0] == name[0] &&
		    !strncmp(lo[i].name, name, len) && lo[i].name[len] == '\0') {
			found = &lo[i];
			break;
		}
	}
	if (!found) {
		for (int i = 0; i < nlong; i++) {
			if ((len && lo[i].name[0] != name[0]) ||
			    strncmp(lo[i].name, name, len))
				continue;
			if (!found)
				found = &lo[i];
			else if (found->has_arg != lo[i].has_arg ||
				 found->val != lo[i].val)
				ambig = 1;
		}
		if (ambig) {
			g->nextchar = NULL;
			g->optind++;
			g->optopt = 0;
			return '?';
		}
	}
	if (!found) {
		g->nextchar = NULL;
		g->optind++;
		g->optopt = 0;
		return '?';
	}
	g->optind++;
	g->nextchar = NULL;
	if (*end) {
		if (!found->has_arg) {
			g->optopt = found->val;
			return '?';
		}
		g->optarg = end + 1;
	} else if (found->has_arg == 1) {
		if (g->optind >= g->argc) {
			g->optopt = found->val;
			return g->optstring[0] == ':' ? ':' : '?';
		}
		g->optarg = g->argv[g->optind++];
	}
	return found->val;
}

int ct_getopt_next(struct ct_getopt *g, const struct ct_longopt *lo,
		   int nlong)
{
	const char *optstring = g->optstring, *temp;
	char c;

	g->optarg = NULL;
	if (g->argc < 1)
		return -1;
	if (!g->nextchar || !*g->nextchar) {
		if (g->last_nonopt > g->optind)
			g->last_nonopt = g->optind;
		if (g->first_nonopt > g->optind)
			g->first_nonopt = g->optind;
		if (g->first_nonopt != g->last_nonopt &&
		    g->last_nonopt != g->optind)
			exchange(g);
		else if (g->last_nonopt != g->optind)
			g->first_nonopt = g->optind;
		while (g->optind < g->argc && nonoption(g))
			g->optind++;
		g->last_nonopt = g->optind;

		if (g->optind != g->argc && !strcmp(g->argv[g->optind], "--")) {
			g->optind++;
			if (g->first_nonopt != g->last_nonopt &&
			    g->last_nonopt != g->optind)
				exchange(g);
			else if (g->first_nonopt == g->last_nonopt)
				g->first_nonopt = g->optind;
			g->last_nonopt = g->argc;
			g->optind = g->argc;
		}
		if (g->optind == g->argc) {
			if (g->first_nonopt != g->last_nonopt)
				g->optind = g->first_nonopt;
			return -1;
		}
		if (g->argv[g->optind][1] == '-') {
			g->nextchar = g->argv[g->optind] + 2;
			return long_option(g, lo, nlong);
		}
		g->nextchar = g->argv[g->optind] + 1;
	}

	c = *g->nextchar++;
	if (optstring[0] == ':')
		temp = strchr(optstring + 1, c);
	else
		temp = strchr(optstring, c);
	if (*g->nextchar == '\0')
		g->optind++;
	if (!temp || c == ':' || c == ';') {
		g->optopt = (unsigned char)c;
		return '?';
	}
	if (temp[1] == ':') {
		if (temp[2] == ':') {
			if (*g->nextchar) {
				g->optarg = g->nextchar;
				g->optind++;
			}
		} else if (*g->nextchar) {
			g->optarg = g->nextchar;
			g->optind++;
		} else if (g->optind == g->argc) {
			g->optopt = (unsigned char)c;
			c = optstring[0] == ':' ? ':' : '?';
		} else {
			g->optarg = g->argv[g->optind++];
		}
		g->nextchar = NULL;
	}
	return (unsigned char)c;
}
