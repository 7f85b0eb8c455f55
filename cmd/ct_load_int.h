/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside conntrack -R (cmd/ct_load.h): the line reader both passes use
 * (cmd/ct_load.c) and the first pass, the check of the whole file
 * (cmd/ct_load_check.c), which the second pass waits for.
 */
#ifndef RAWCT_CMD_CT_LOAD_INT_H
#define RAWCT_CMD_CT_LOAD_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "cmd/ct_load.h"

#define LINE_BUF	10240	/* a longer line is read in pieces, as fgets()
				 * with this buffer does (upstream's too) */

/* Lines of the bytes [pos, end) of a file, read with pread() so that two
 * threads can read two parts of one file. */
struct ct_load_reader {
	int fd;
	off_t pos, end;
	size_t off, have;
	char buf[65536];
};

/* @r reads the bytes [@start, @end) of @fd, from @start. */
void ct_load_reader_init(struct ct_load_reader *r, int fd, off_t start,
			 off_t end);

/* The next line into @line (LINE_BUF bytes; NUL-terminated, its '\n'
 * kept), at most LINE_BUF - 1 bytes like fgets(). Returns 1, 0 at the
 * end, or -errno. */
int ct_load_read_line(struct ct_load_reader *r, char *line);

/*
 * ct_load_check_file - the first pass: every line of @fd (@size bytes)
 * parsed, nothing run; the first bad line reported on stderr as
 * upstream words it. Big files are checked in two halves, the second in
 * a helper thread. Returns the exit status: 0 when every line can run.
 */
int ct_load_check_file(struct ct_ctx *c, int fd, off_t size,
		       const char *prog);

#endif
