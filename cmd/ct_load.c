// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -R: two passes over the file so memory stays constant however
 * long it is. The first parses every line (nothing runs if one is bad:
 * the error names the line); the second re-reads the file and runs the
 * lines in order. Standard input is spooled to an unlinked temporary file
 * so it can be read twice. Lines are tokenized like upstream (iptables'
 * add_param_to_argv: blanks split, "..." quotes with \ escapes, 255
 * words, 1023 bytes a word); leading blanks are skipped, empty and #
 * lines ignored.
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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/ct_lex.h"
#include "cmd/ct_load.h"
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

#define LINE_BUF	10240	/* a longer line is read in pieces, as fgets()
				 * with this buffer does (upstream's too) */

/* Lines of the bytes [pos, end) of a file, read with pread() so that two
 * threads can read two parts of one file. */
struct reader {
	int fd;
	off_t pos, end;
	size_t off, have;
	char buf[65536];
};

static void reader_init(struct reader *r, int fd, off_t start, off_t end)
{
	r->fd = fd;
	r->pos = start;
	r->end = end;
	r->off = r->have = 0;
}

/* The next line into @line (NUL-terminated, its '\n' kept), at most
 * LINE_BUF - 1 bytes like fgets(). Returns 1, 0 at the end, or -errno. */
static int read_line(struct reader *r, char *line)
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

/* ---- checking: the first pass ------------------------------------------ */

/* The first pass over one part of the file: every line parsed, nothing
 * printed; the first bad line is kept for check_report(). */
struct check {
	struct ct_ctx *c;
	const char *prog;
	const struct ct_args_env *env;
	struct reader rd;
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

	while ((r = read_line(&k->rd, k->line)) > 0) {
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

/* The first pass: every line of @fd (@size bytes) parsed, nothing run;
 * the first bad line reported. Big files are checked in two halves, the
 * second in a helper thread. Returns the exit status. */
static int check_file(struct ct_ctx *c, int fd, off_t size, const char *prog)
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
	reader_init(&k[0].rd, fd, 0, mid);
	reader_init(&k[1].rd, fd, mid, size);
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

/* ---- running: the second pass ------------------------------------------ */

/* Runs every line of @fd (@size bytes, all checked already). */
static int run_file(struct ct_ctx *c, int fd, off_t size, const char *prog)
{
	struct ct_args_env env = { ct_ctx_labelmap, c };
	struct ct_lex *l = malloc(sizeof(*l));
	struct ct_args *a = malloc(sizeof(*a));
	struct reader *rd = malloc(sizeof(*rd));
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
	reader_init(rd, fd, 0, size);
	while ((r = read_line(rd, line)) > 0) {
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
	rc = check_file(c, fileno(f), st.st_size, prog);
	if (!rc)
		rc = run_file(c, fileno(f), st.st_size, prog);
	fclose(f);
	return rc;
}
