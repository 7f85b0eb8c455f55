/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reentrant getopt_long with glibc's observable behaviour: argument
 * permutation (non-options are skipped, moved behind the options and left
 * for the caller), clustered short options, "::" optional arguments that
 * must be attached, unique-prefix matching of long options with glibc's
 * ambiguity rule, "--" ending the options, a leading ':' in the option
 * string selecting ':' for a missing argument. conntrack(8)'s messages
 * quote argv[optind - 1] and peek at argv[optind], so even the state
 * between calls has to be glibc's; neither glibc's (global state, reset
 * by optind = 0) nor musl's (no permutation of long options the same way,
 * optreset) getopt could give that reproducibly in a loop, hence this.
 * POSIXLY_CORRECT is not consulted. Messages are never printed.
 */
#ifndef RAWCT_CMD_CT_GETOPT_H
#define RAWCT_CMD_CT_GETOPT_H

/* One long option, as struct option of <getopt.h> without the flag
 * pointer. @has_arg: 0 none, 1 required, 2 optional (attached "=arg"). */
struct ct_longopt {
	const char *name;
	int has_arg;
	int val;
};

struct ct_getopt {
	int argc;
	char **argv;		/* permuted in place, as glibc does */
	const char *optstring;
	int optind;		/* next element to scan; the caller may advance
				 * it to consume a word (upstream's "table" and
				 * optional-argument peeks do) */
	const char *optarg;	/* argument of the last option, or NULL */
	int optopt;
	/* private */
	const char *nextchar;
	int first_nonopt, last_nonopt;
};

/* Starts a scan of @argv (@argc elements, argv[argc] must be NULL) with
 * @optstring. */
void ct_getopt_init(struct ct_getopt *g, int argc, char **argv,
		    const char *optstring);

/*
 * ct_getopt_next - the next option, using the @nlong long options @lo
 * (the caller may change the table between calls).
 * Returns the option character or long option val; '?' for an unknown
 * option, an ambiguous abbreviation or an argument given to an option
 * that takes none; ':' (or '?' without a leading ':' in the option
 * string) for a missing argument; -1 at the end (optind then indexes the
 * first non-option, all of them moved to the end).
 */
int ct_getopt_next(struct ct_getopt *g, const struct ct_longopt *lo,
		   int nlong);

#endif
