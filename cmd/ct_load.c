// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -R: two passes over the file so memory stays constant however
 * long it is. The first (cmd/ct_load_check.c) parses every line (nothing
 * runs if one is bad: the error names the line); the second re-reads the
 * file and runs the lines in order. Standard input is spooled to an
 * unlinked temporary file so it can be read twice. Lines are tokenized
 * like upstream (iptables' add_param_to_argv: blanks split, "..." quotes
 * with \ escapes, 255 words, 1023 bytes a word); leading blanks are
 * skipped, empty and # lines ignored.
 *
 * -I and -A lines are pipelined: their creates accumulate in one batch
 * (64 KiB, a few hundred lines) that goes out in one sendmsg when full,
 * and before any -D, -U or -F line (those read or change the table, so
 * everything before them must have happened). Like upstream, the run
 * stops at the first line the kernel refuses, reported as "line N:
 * Operation failed: <upstream text>", exit 1, and earlier lines stay
 * applied. Unlike upstream, the lines after it that were sent in the
 * same batch have been run by the kernel too (netlink has no way to
 * abort the rest of a sendmsg for ctnetlink): a second message names
 * them and says how many of them were applied. Nothing after that batch
 * runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/ct_lex.h"
#include "cmd/ct_load_int.h"
#include "ct/batch.h"
#include "nl/sock.h"

#define LOAD_RING	4096	/* requests in flight, more than a batch
				 * buffer can hold */

/* The pipelined creates of the run pass. */
struct load {
	struct ct_ctx *c;
	struct ct_batch b;
	struct { unsigned int line; unsigned int cmd; } ring[LOAD_RING];
	uint32_t first;		/* index of the first refused request */
	int error;		/* its errno, 0 = none yet */
	uint32_t failed;	/* refused requests in all */
	unsigned char buf[CT_BATCH_BUF];
	unsigned char buf2[CT_BATCH_BUF];	/* filled while buf is out */
};

static void load_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct load *l = arg;

	l->failed++;
	if (!l->error || index < l->first) {
		l->first = index;
		l->error = ack->error;
	}
}

/* After a batch went out: report its first refused request, and what
 * else of that batch the kernel ran. Returns the exit status. */
static int load_report(struct load *l)
{
	uint32_t last = ct_batch_sent(&l->b) - 1, later;
	unsigned int line = l->ring[l->first % LOAD_RING].line;

	l->c->lineno = line;
	ct_fail_msg(l->c, ct_err2str(l->error,
				     l->ring[l->first % LOAD_RING].cmd));
	if (last > l->first) {
		later = last - l->first;
		ct_msg("lines %u-%u were sent in the same batch and run: "
		       "%u applied, %u refused",
		       l->ring[(l->first + 1) % LOAD_RING].line,
		       l->ring[last % LOAD_RING].line,
		       later - (l->failed - 1), l->failed - 1);
	}
	return CT_EXIT_OTHER;
}

static int load_flush(struct load *l)
{
	int rc = ct_batch_flush(&l->b);

	if (l->error)
		return load_report(l);
	if (rc < 0) {
		ct_msg("Operation failed: %s", strerror(-rc));
		return CT_EXIT_OTHER;
	}
	return 0;
}

/* Queues the create of line @lineno. Returns the exit status. */
static int load_create(struct load *l, const struct ct_args *a,
		       unsigned int lineno)
{
	struct ct_entry e;
	uint16_t flags = NLM_F_CREATE;
	uint32_t idx = ct_batch_count(&l->b);
	int rc;

	for (unsigned int i = 0; i < a->nwarn; i++)
		fprintf(stderr, "%s\n", a->warn[i]);
	if (idx - ct_batch_sent(&l->b) >= LOAD_RING - 1) {
		rc = load_flush(l);
		if (rc)
			return rc;
	}
	ct_args_complete(a, &e);
	if (a->cmd == CT_CMD_CREATE)
		flags |= NLM_F_EXCL;
	l->ring[idx % LOAD_RING].line = lineno;
	l->ring[idx % LOAD_RING].cmd = a->cmd;
	rc = ct_batch_create(&l->b, &e, flags);
	if (l->error)			/* a flush on the way found one */
		return load_report(l);
	if (rc < 0) {
		l->c->lineno = lineno;
		ct_fail_msg(l->c, ct_err2str(-rc, a->cmd));
		return CT_EXIT_OTHER;
	}
	return 0;
}

/* Runs line @lineno. Returns the exit status. */
static int load_line(struct load *l, const struct ct_args *a,
		     unsigned int lineno)
{
	int rc;

	if (a->cmd == CT_CMD_CREATE || a->cmd == CT_CMD_ADD)
		return load_create(l, a, lineno);
	/* -D, -U, -F see the table: what came before must be done */
	rc = load_flush(l);
	if (rc)
		return rc;
	l->c->lineno = lineno;
	rc = ct_run(l->c, a);
	l->c->lineno = 0;
	return rc;
}

static struct load *load_new(struct ct_ctx *c)
{
	struct load *l;

	if (!c->mod && nl_sock_open(&c->mod, NULL) < 0) {
		ct_msg("Can't open handler");
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		ct_msg("OOM");
		return NULL;
	}
	l->c = c;
	ct_batch_init(&l->b, c->mod, l->buf, sizeof(l->buf), load_err, l);
	/* the kernel creates one batch's entries (in the sender's sendmsg)
	 * while this thread parses the next; a failure stops the sending
	 * as before: nothing after the failing batch goes out */
	if (!c->no_pipe)
		(void)ct_batch_async(&l->b, l->buf2, 1);
	return l;
}

/* ---- reading lines ------------------------------------------------------ */

void ct_load_reader_init(struct ct_load_reader *r, int fd, off_t start,
			 off_t end)
{
	r->fd = fd;
	r->pos = start;
	r->end = end;
	r->off = r->have = 0;
}

int ct_load_read_line(struct ct_load_reader *r, char *line)
{
	size_t n = 0;

	while (n < LINE_BUF - 1) {
		if (r->off == r->have) {
			size_t want = sizeof(r->buf);
			ssize_t got;

			if (r->end - r->pos < (off_t)want)
				want = (size_t)(r->end - r->pos);
			if (want == 0)
				break;
			got = pread(r->fd, r->buf, want, r->pos);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return -errno;
			if (got == 0)
				break;
			r->pos += got;
			r->have = (size_t)got;
			r->off = 0;
		}
		line[n] = r->buf[r->off++];
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	return n > 0;
}

/* ---- running: the second pass ------------------------------------------ */

/* Runs every line of @fd (@size bytes, all checked already). */
static int run_file(struct ct_ctx *c, int fd, off_t size, const char *prog)
{
	struct ct_args_env env = { ct_ctx_labelmap, c };
	struct ct_lex *l = malloc(sizeof(*l));
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_load_reader *rd = malloc(sizeof(*rd));
	char *line = malloc(LINE_BUF);
	struct load *ld = NULL;
	unsigned int lineno = 0;
	int rc = 0, r;

	if (!l || !a || !rd || !line) {
		ct_msg("OOM");
		rc = CT_EXIT_OTHER;
		goto out;
	}
	if (!(ld = load_new(c))) {
		rc = CT_EXIT_OTHER;
		goto out;
	}
	ct_load_reader_init(rd, fd, 0, size);
	while ((r = ct_load_read_line(rd, line)) > 0) {
		struct ct_args_err err;
		const char *terr = NULL;

		lineno++;
		/* checked in the first pass: a failure here means the file
		 * changed under us */
		if (ct_lex_line(l, prog, line, strlen(line), &terr) < 0 ||
		    (l->argc &&
		     ct_args_parse(l->argc, l->argv, &env, a, &err) < 0)) {
			ct_msg("line %u: the file changed while it was read",
			       lineno);
			rc = CT_EXIT_OTHER;
			break;
		}
		if (!l->argc)
			continue;
		if ((rc = load_line(ld, a, lineno)) != 0)
			break;
	}
	if (r < 0 && !rc) {
		ct_msg("Failed to read the file");
		rc = CT_EXIT_OTHER;
	}
	if (!rc)
		rc = load_flush(ld);
out:
	if (ld)
		ct_batch_finish(&ld->b);
	free(ld);
	free(line);
	free(rd);
	free(l);
	free(a);
	return rc;
}

int ct_load_file(struct ct_ctx *c, const char *prog, const char *path)
{
	struct stat st;
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
			if (fwrite(buf, 1, n, f) != n)
				break;
		if (ferror(stdin) || ferror(f) || fflush(f) != 0) {
			ct_msg("Failed to open file %s for reading",
			       "/dev/stdin");
			fclose(f);
			return CT_EXIT_PARAM;
		}
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
	if (fstat(fileno(f), &st) < 0) {
		ct_msg("Failed to open file %s for reading", path);
		fclose(f);
		return CT_EXIT_PARAM;
	}
	rc = ct_load_check_file(c, fileno(f), st.st_size, prog);
	if (!rc)
		rc = run_file(c, fileno(f), st.st_size, prog);
	fclose(f);
	return rc;
}
