// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for conntrackd's control socket: the client state machine
 * of sync/ctl.c and the requests a Stats-mode daemon answers
 * (sync_daemon_request, sync/stats_mode.c, sync/dump.c, sync/report.c).
 * The daemon is built as sync_daemon_init() would build it but with no
 * kernel side (sync/kernel.c takes a NULL struct sync_kernel) and no log
 * output; its clients are socketpairs handed over with sync_ctl_adopt();
 * the loop runs with sync_loop_run_once() until it is idle. Input:
 *
 *   byte 0: HashLimit of the cache, 1 + (b & 63)
 *   byte 1: the number of flow records, b & 31; each is a length byte
 *           and that many bytes: 0xff then a packed entry (ct/pack.h,
 *           fed as a dump when ct_entry_unpack accepts it), or a flow
 *           built from the bytes (see flow_build) and fed as the kernel
 *           side would: a dump, or a new, update or destroy event
 *   then up to CLIENTS_MAX clients, each a control byte C, a length
 *           byte and that many bytes, which the client sends:
 *           C bits 0-1: all at once, one byte per iteration, in two
 *           halves, or the first byte then the rest once the daemon is
 *           idle; bit 2: shut down its sending side afterwards; bit 3:
 *           close the connection afterwards, reading nothing; bit 4: a
 *           small receive buffer, read only while the daemon is idle;
 *           bit 5: start once every client before it is done
 *
 * Properties, each an abort() when violated: the loop goes idle (or
 * stops, after a kill) within a bound; a request is served once its four
 * bytes are in, whatever the pieces, and bytes after them are ignored; a
 * client with less than four bytes gets nothing, and nothing until it
 * closes its side, when it is counted as a failed read; every answer
 * served is complete text: printable, ending in a newline, closed by the
 * daemon, and of the shape its code asks for (a dump has one line per
 * cached flow, or none after a flush; -s, -s cache and -s runtime their
 * blocks; -s json one JSON value; -s health "ok"; every other code
 * nothing); unknown
 * codes are counted, exactly; a kill stops the loop; after the teardown
 * every connection is closed and nothing leaks (ASan).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct/pack.h"
#include "fuzz/fmt_check.h"
#include "sync/config.h"
#include "sync/ctl.h"
#include "sync/daemon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define CLIENTS_MAX	16
#define ROUNDS_MAX	20000
#define ANSWER_MAX	(1024 * 1024)

enum { SEND_ALL, SEND_BYTES, SEND_HALVES, SEND_IDLE };

struct client {
	int fd;			/* the harness's end, -1 once closed */
	uint8_t ctl;
	const uint8_t *req;
	size_t len, sent;
	int started, done;	/* done: EOF read, or closed by us */
	int served;		/* EOF read before the teardown */
	char *ans;
	size_t ans_len;
};

struct run {
	struct sync_daemon d;
	struct sync_conf conf;
	struct client cl[CLIENTS_MAX];
	unsigned int ncl;
	uint32_t flows;		/* objects cached before the clients */
	int idle;		/* the last iteration did nothing */
};

/* ---- the flows ------------------------------------------------------ */

static const uint8_t protos[8] = { 6, 17, 1, 47, 132, 33, 136, 99 };

/* A flow from @n bytes at @p (zero-filled): byte 0 bits 0-1 how it
 * arrives (dump, new, update, destroy), bit 2 IPv6, bits 3-5 the
 * protocol, bit 6 a mark, bit 7 a reply tuple and counters; then
 * source and destination (4 bytes each), ports or icmp type, code and
 * id (4), the TCP state and the mark (2). */
static int flow_build(const uint8_t *p, size_t n, struct ct_entry *e)
{
	uint8_t b[15] = { 0 };
	uint8_t l4;

	memcpy(b, p, n < sizeof(b) ? n : sizeof(b));
	memset(e, 0, sizeof(*e));
	l4 = protos[(b[0] >> 3) & 7];
	e->family = b[0] & 4 ? 10 : 2;
	if (l4 == 1 && e->family == 10)
		l4 = 58;
	e->set = CT_ORIG | CT_STATUS;
	e->orig.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	e->orig.l3 = e->family;
	e->orig.l4 = l4;
	memcpy(e->family == 2 ? (uint8_t *)&e->orig.src.v4 : e->orig.src.v6 + 12,
	       b + 1, 4);
	memcpy(e->family == 2 ? (uint8_t *)&e->orig.dst.v4 : e->orig.dst.v6 + 12,
	       b + 5, 4);
	if (e->family == 10)
		e->orig.src.v6[0] = e->orig.dst.v6[0] = 0x20;
	if (l4 == 1 || l4 == 58) {
		e->orig.set |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			       CT_TUPLE_ICMP_ID;
		e->orig.icmp_type = b[9];
		e->orig.icmp_code = b[10];
		e->orig.icmp_id = (uint16_t)(b[11] << 8 | b[12]);
	} else if (l4 != 99) {
		e->orig.set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		e->orig.sport = (uint16_t)(b[9] << 8 | b[10]);
		e->orig.dport = (uint16_t)(b[11] << 8 | b[12]);
	}
	if (l4 == 6) {
		e->set |= CT_TCP;
		e->tcp.state = b[13] % 10;
	}
	if (b[0] & 0x40) {
		e->set |= CT_MARK;
		e->mark = b[14];
	}
	e->status = b[13];
	if (b[0] & 0x80) {
		e->set |= CT_REPLY | CT_COUNTERS_ORIG | CT_COUNTERS_REPLY;
		e->reply = e->orig;
		e->reply.src = e->orig.dst;
		e->reply.dst = e->orig.src;
		e->reply.sport = e->orig.dport;
		e->reply.dport = e->orig.sport;
		e->counters[0] = (struct ct_counters){ b[1], b[2] * 100u };
		e->counters[1] = (struct ct_counters){ b[3], b[4] * 100u };
	}
	return b[0] & 3;
}

/* Feeds the flow records; returns the bytes used. */
static size_t flows_feed(struct run *r, const uint8_t *p, size_t n)
{
	const struct sync_mode_ops *m = r->d.mode;
	unsigned int count = n ? p[0] & 31 : 0;
	size_t off = n ? 1 : 0;
	int dumping = 0;

	for (unsigned int i = 0; i < count && off < n; i++) {
		size_t len = p[off++];
		struct ct_entry e;
		int how = 0;

		if (len > n - off)
			len = n - off;
		if (len && p[off] == 0xff) {
			if (ct_entry_unpack(p + off + 1, len - 1, &e) < 0)
				memset(&e, 0, sizeof(e));
		} else {
			how = flow_build(p + off, len, &e);
		}
		off += len;
		if (how == 0 && !dumping) {
			m->dump_begin(&r->d, 0);
			dumping = 1;
		} else if (how != 0 && dumping) {
			m->dump_end(&r->d, 0, 1);
			dumping = 0;
		}
		if (how == 0)
			m->ct_dump(&r->d, &e);
		else
			m->ct_event(&r->d, how == 1 ? CT_EVENT_T_NEW :
				    how == 2 ? CT_EVENT_T_UPDATE :
					       CT_EVENT_T_DESTROY,
				    &e, SYNC_ORIGIN_NOT_ME);
	}
	if (dumping)
		m->dump_end(&r->d, 0, 1);
	return off;
}

/* ---- the clients ---------------------------------------------------- */

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Once everything is sent: close, or shut down the sending side. */
static void client_sent_all(struct client *c)
{
	if (c->sent < c->len || c->fd < 0)
		return;
	if (c->ctl & 8) {
		client_close(c);
		c->done = 1;
	} else if (c->ctl & 4) {
		shutdown(c->fd, SHUT_WR);
	}
}

/* Sends what the client's mode allows now; returns whether it did. */
static int client_send(struct run *r, struct client *c)
{
	size_t want = c->len - c->sent;
	ssize_t n;

	if (c->fd < 0 || c->done || c->sent == c->len)
		return 0;
	switch (c->ctl & 3) {
	case SEND_BYTES:
		want = 1;
		break;
	case SEND_HALVES:
		if (c->sent < c->len / 2)
			want = c->len / 2 - c->sent;
		break;
	case SEND_IDLE:
		if (c->sent && !r->idle)
			return 0;
		if (!c->sent)
			want = 1;
		break;
	}
	n = send(c->fd, c->req + c->sent, want, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n <= 0)
		return 0;	/* the daemon closed it, or its buffer is full */
	c->sent += (size_t)n;
	client_sent_all(c);
	return 1;
}

/* Reads what has arrived; returns whether anything (or EOF) did. */
static int client_read(struct run *r, struct client *c, int teardown)
{
	char buf[4096];
	int got = 0;
	ssize_t n;

	if (c->fd < 0 || c->done)
		return 0;
	if ((c->ctl & 16) && !r->idle && !teardown)
		return 0;
	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		CHECK(c->ans_len + (size_t)n <= ANSWER_MAX);
		c->ans = realloc(c->ans, c->ans_len + (size_t)n + 1);
		CHECK(c->ans);
		memcpy(c->ans + c->ans_len, buf, (size_t)n);
		c->ans_len += (size_t)n;
		c->ans[c->ans_len] = '\0';
		got = 1;
		if (!teardown && (c->ctl & 16))
			break;	/* one buffer per idle round */
	}
	/* the end: EOF, or a reset when the daemon closed with bytes of
	 * ours it had not read (AF_UNIX tells the peer so) */
	if (n == 0 || (n < 0 && errno == ECONNRESET)) {
		c->done = 1;
		c->served = !teardown;
		got = 1;
	}
	return got;
}

static int client_ready(const struct run *r, unsigned int i)
{
	if (!(r->cl[i].ctl & 32))
		return 1;
	for (unsigned int j = 0; j < i; j++)
		if (!r->cl[j].done)
			return 0;
	return 1;
}

static size_t clients_parse(struct run *r, const uint8_t *p, size_t n)
{
	size_t off = 0;

	while (r->ncl < CLIENTS_MAX && n - off >= 2) {
		struct client *c = &r->cl[r->ncl];
		int sv[2];

		c->ctl = p[off];
		c->len = p[off + 1];
		off += 2;
		if (c->len > n - off)
			c->len = n - off;
		c->req = p + off;
		off += c->len;
		CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				 sv) == 0);
		if (c->ctl & 16) {
			int small = 4096;

			setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small,
				   sizeof(small));
			setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small,
				   sizeof(small));
		}
		CHECK(sync_ctl_adopt(r->d.ctl, sv[0]) == 0);
		c->fd = sv[1];
		r->ncl++;
	}
	return off;
}

/* One round of the clients' side; returns whether anything moved. */
static int clients_step(struct run *r)
{
	int moved = 0;

	for (unsigned int i = 0; i < r->ncl; i++) {
		struct client *c = &r->cl[i];

		if (!c->started && client_ready(r, i)) {
			c->started = 1;
			if (!c->len) {
				client_sent_all(c);
				moved = 1;
			}
		}
		if (c->started)
			moved |= client_send(r, c);
		moved |= client_read(r, c, 0);
	}
	return moved;
}

/* ---- the answers ---------------------------------------------------- */

static int code_of(const struct client *c)
{
	int code;

	memcpy(&code, c->req, sizeof(code));
	return code;
}

static int code_unknown(int code)
{
	switch (code) {
	case SYNC_CT_FLUSH_MASTER: case SYNC_CT_RESYNC_MASTER:
	case SYNC_CT_DUMP_INTERNAL: case SYNC_CT_DUMP_INT_XML:
	case SYNC_CT_FLUSH_CACHE: case SYNC_CT_FLUSH_INT_CACHE:
	case SYNC_ALL_FLUSH_CACHE: case SYNC_KILL: case SYNC_STATS:
	case SYNC_STATS_CACHE: case SYNC_STATS_RUNTIME:
	case SYNC_STATS_PROCESS: case SYNC_STATS_JSON: case SYNC_HEALTH:
	case SYNC_EXP_FLUSH_MASTER: case SYNC_EXP_RESYNC_MASTER:
	case SYNC_ALL_FLUSH_MASTER: case SYNC_ALL_RESYNC_MASTER:
		return 0;
	}
	return 1;
}

static int code_flushes(int code)
{
	return code == SYNC_CT_FLUSH_CACHE || code == SYNC_CT_FLUSH_INT_CACHE ||
	       code == SYNC_ALL_FLUSH_CACHE;
}

static unsigned int lines(const char *a)
{
	unsigned int n = 0;

	for (; *a; a++)
		n += *a == '\n';
	return n;
}

static int starts(const char *a, const char *p)
{
	return !strncmp(a, p, strlen(p));
}

static int ends(const char *a, size_t n, const char *p)
{
	size_t m = strlen(p);

	return n >= m && !memcmp(a + n - m, p, m);
}

/* The number after @label in @a (the %12u of a report). */
static unsigned long number_after(const char *a, const char *label)
{
	const char *p = strstr(a, label);

	CHECK(p);
	return strtoul(p + strlen(label), NULL, 10);
}

/* Every line of a dump: the text form or one XML flow. */
static void check_dump(const char *a, int xml)
{
	while (*a) {
		const char *nl = strchr(a, '\n');
		size_t n = (size_t)(nl - a);

		CHECK(nl && n > 0);
		if (xml) {
			CHECK(starts(a, "<flow>") && ends(a, n, "</flow>"));
		} else {
			CHECK(ends(a, n, "s]"));
			CHECK(memmem(a, n, " [active since ", 15));
		}
		a = nl + 1;
	}
}

static void check_answer(const struct client *c, uint32_t total, int flushed)
{
	const char *a = c->ans ? c->ans : "";
	size_t n = c->ans_len;
	unsigned long v;
	char *json;

	for (size_t i = 0; i < n; i++)
		CHECK(a[i] == '\n' || a[i] == '\t' ||
		      (a[i] >= 0x20 && a[i] < 0x7f));
	CHECK(n == 0 || a[n - 1] == '\n');
	switch (code_of(c)) {
	case SYNC_CT_DUMP_INTERNAL:
	case SYNC_CT_DUMP_INT_XML:
		CHECK(lines(a) == total || (flushed && n == 0));
		check_dump(a, code_of(c) == SYNC_CT_DUMP_INT_XML);
		break;
	case SYNC_STATS:
		CHECK(starts(a, "cache stats:\ncurrent active connections:\t"));
		CHECK(strstr(a, "\n\ntraffic processed:\n"));
		CHECK(ends(a, n, " Pckts\n\n") && lines(a) == 9);
		v = number_after(a, "connections:\t");
		CHECK(v == total || (flushed && v == 0));
		break;
	case SYNC_STATS_CACHE:
		CHECK(starts(a, "cache:stats\tactive objects:\t\t"));
		CHECK(ends(a, n, "\n\n") && lines(a) == 10);
		v = number_after(a, "active objects:\t\t");
		CHECK(v == total || (flushed && v == 0));
		break;
	case SYNC_STATS_RUNTIME:
		CHECK(starts(a, "daemon uptime: ") && ends(a, n, "\n\n"));
		CHECK(lines(a) == 22);
		CHECK(strstr(a, "\tlocal unknown request:\t\t"));
		break;
	case SYNC_STATS_JSON:
		CHECK(n >= 2 && starts(a, "{\"uptime\":"));
		CHECK(strstr(a, ",\"caches\":{\"stats\":{\"active\":"));
		json = strndup(a, n - 1);
		CHECK(json && fmt_check_json(json));
		free(json);
		break;
	case SYNC_HEALTH:
		/* no kernel side here: nothing is being dumped */
		CHECK(n == 3 && starts(a, "ok\n"));
		break;
	default:
		CHECK(n == 0);
	}
}

/* The number of cached flows, asked as a client would (-s cache). */
static uint32_t probe_total(struct run *r)
{
	int sv[2], code = SYNC_STATS_CACHE;
	char buf[4096];
	size_t len = 0;
	ssize_t n = -1;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(sync_ctl_adopt(r->d.ctl, sv[0]) == 0);
	CHECK(send(sv[1], &code, sizeof(code), MSG_NOSIGNAL) == 4);
	for (int i = 0; i < 100 && n != 0; i++) {
		CHECK(sync_loop_run_once(r->d.loop, 0) >= 0);
		while ((n = recv(sv[1], buf + len, sizeof(buf) - 1 - len,
				 MSG_DONTWAIT)) > 0)
			len += (size_t)n;
	}
	CHECK(n == 0);
	close(sv[1]);
	buf[len] = '\0';
	return (uint32_t)number_after(buf, "active/total entries:\t\t");
}

/* ---- the run -------------------------------------------------------- */

static int run_setup(struct run *r, uint8_t limit)
{
	sync_conf_init(&r->conf);
	r->conf.run = SYNC_RUN_STATS;
	r->conf.hash_size = 16;
	r->conf.hash_limit = 1 + (limit & 63u);
	r->d.conf = &r->conf;
	sync_log_init(&r->d.log);
	sync_log_console(&r->d.log, 0);
	r->d.start_time = 0;
	r->d.mode = &sync_stats_mode;
	if (sync_loop_new(&r->d.loop) < 0)
		return -1;
	if (sync_ctl_new(&r->d.ctl, r->d.loop, sync_daemon_request, &r->d) < 0)
		return -1;
	return r->d.mode->init(&r->d);
}

/* Runs until idle (twice in a row, so idle-only clients had their
 * turn) or stopped. */
static void run_loop(struct run *r)
{
	for (unsigned int round = 0;; round++) {
		int moved, rc;

		CHECK(round < ROUNDS_MAX);
		moved = clients_step(r);
		rc = sync_loop_run_once(r->d.loop, 0);
		CHECK(rc >= 0);
		if (r->d.stopping)
			return;
		if (rc || moved) {
			r->idle = 0;
		} else if (r->idle) {
			return;
		} else {
			r->idle = 1;
		}
	}
}

/* What the clients saw while the daemon ran. */
static void run_check(struct run *r)
{
	unsigned int unknown = 0, failed = 0, kills = 0, flushed = 0;

	for (unsigned int i = 0; i < r->ncl; i++) {
		const struct client *c = &r->cl[i];

		if (c->sent >= 4) {
			unknown += code_unknown(code_of(c));
			kills += code_of(c) == SYNC_KILL;
			flushed |= code_flushes(code_of(c));
		} else if (c->sent == c->len && c->started &&
			   (c->ctl & 12)) {
			failed++;
		}
	}
	CHECK(!r->d.stopping == !kills);
	for (unsigned int i = 0; i < r->ncl; i++) {
		const struct client *c = &r->cl[i];

		if (c->served && c->sent >= 4)
			check_answer(c, r->flows, (int)flushed);
		else if (c->sent < 4)
			CHECK(c->ans_len == 0);
		/* without a kill every request was served */
		if (!kills && c->sent >= 4 && c->fd >= 0)
			CHECK(c->served);
		if (!kills && c->sent < 4 && !(c->ctl & 12))
			CHECK(!c->done);
	}
	if (kills)
		return;
	CHECK(r->d.st.local_unknown_request == unknown);
	CHECK(sync_ctl_stats(r->d.ctl)->read_failed == failed);
}

static void run_teardown(struct run *r)
{
	sync_ctl_close(r->d.ctl);
	r->d.ctl = NULL;
	if (r->d.mode_priv)
		r->d.mode->fini(&r->d);
	sync_loop_free(r->d.loop);
	for (unsigned int i = 0; i < r->ncl; i++) {
		client_read(r, &r->cl[i], 1);
		CHECK(r->cl[i].done);	/* the daemon closed every one */
		client_close(&r->cl[i]);
		free(r->cl[i].ans);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run *r;
	size_t off;

	if (size < 1)
		return 0;
	r = calloc(1, sizeof(*r));
	CHECK(r);
	for (unsigned int i = 0; i < CLIENTS_MAX; i++)
		r->cl[i].fd = -1;
	CHECK(run_setup(r, data[0]) == 0);
	off = 1 + flows_feed(r, data + 1, size - 1);
	r->flows = probe_total(r);
	CHECK(r->flows <= r->conf.hash_limit);
	clients_parse(r, data + off, size - off);
	run_loop(r);
	run_check(r);
	run_teardown(r);
	sync_conf_free(&r->conf);
	free(r);
	return 0;
}
