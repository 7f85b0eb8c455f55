// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chantool: the dedicated links (sync/channel.h) driven from the command
 * line, for tests/netns/t_sync_chan.sh. It builds a struct sync_conf by
 * hand from -c specs, opens the channels in the namespace it runs in and
 * runs the loop: sending numbered test messages, or given bytes, and/or
 * checking and printing what arrives. conntrackd's log lines go to
 * stdout/stderr as the daemon prints them in console mode.
 *
 *   chantool -t udp|mcast|tcp -c SPEC [-c SPEC]... [-T SECS] [-L SECS]
 *            [-r FILE] MODE [ARGS]
 *   SPEC     comma-separated: if=NAME addr=A dest=A ifaddr=A port=N
 *            default nocsum sndbuf=N rcvbuf=N (the family follows addr)
 *   -T SECS  give up after SECS (default 10): exit 1
 *   -L SECS  after the last send, wait SECS for stragglers (default 0.5)
 *   -r FILE  create FILE once the channels are open
 * Modes:
 *   send N SIZE [GAP_MS]  N test messages of SIZE bytes (sequence 0..N-1,
 *            a pattern after the header), GAP_MS apart (default: all at
 *            once, flushed after each MTU's worth); then waits until the
 *            TCP backlog is written, then -L
 *   hex HEX...            each argument one message, sent and flushed
 *   recv N [any]          until N test messages arrived in sequence from
 *            0 (from whatever comes first with "any"); exit 1 on a gap,
 *            a bad message or the timeout
 *   dump                  print each message in hex until the timeout
 *   run                   do nothing but receive until the timeout
 * Output, one line each: "dgram chan=I bytes=B msgs=K" per receive,
 * "msg chan=I len=L HEX" in dump mode, "event chan=I connected|lost",
 * "recv ok N first=S" at the end of recv, then for every mode the `-s`
 * block, the `-s link` blocks and "stats chan=I ..." lines. SIGUSR1
 * prints the reports at any time. Exit 0, 1 on failure, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sync/channel.h"
#include "sync/config.h"
#include "sync/log.h"
#include "sync/loop.h"

enum mode { M_SEND, M_HEX, M_RECV, M_DUMP, M_RUN };

struct tool {
	struct sync_loop *loop;
	struct sync_chans *chans;
	struct sync_log log;
	enum mode mode;
	long n, size, gap_ms, sent;
	char **hex;
	int nhex, any, failed, done;
	long got, first, next;
	double linger;
	struct sync_loop_timer tick, stop;
};

static int usage(void)
{
	fprintf(stderr, "usage: chantool -t udp|mcast|tcp -c SPEC... "
		"[-T S] [-L S] [-r FILE] send|hex|recv|dump|run ...\n");
	return 2;
}

static int parse_addr(const char *s, union ct_addr *a, uint8_t *family)
{
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->v6) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_spec(char *spec, struct sync_conf_chan *cc)
{
	uint8_t fam;

	cc->checksum = 1;
	cc->errq_len = 128;
	for (char *k = strtok(spec, ","); k; k = strtok(NULL, ",")) {
		char *v = strchr(k, '=');

		if (v)
			*v++ = '\0';
		if (!strcmp(k, "default"))
			cc->is_default = 1;
		else if (!strcmp(k, "nocsum"))
			cc->checksum = 0;
		else if (!v)
			return -1;
		else if (!strcmp(k, "if"))
			snprintf(cc->iface, sizeof(cc->iface), "%s", v);
		else if (!strcmp(k, "addr")) {
			if (parse_addr(v, &cc->addr, &cc->family) < 0)
				return -1;
		} else if (!strcmp(k, "dest")) {
			if (parse_addr(v, &cc->dest, &fam) < 0)
				return -1;
		} else if (!strcmp(k, "ifaddr")) {
			if (parse_addr(v, &cc->ifaddr, &fam) < 0)
				return -1;
		} else if (!strcmp(k, "port"))
			cc->port = (uint16_t)atoi(v);
		else if (!strcmp(k, "sndbuf"))
			cc->sndbuf = (uint32_t)atol(v);
		else if (!strcmp(k, "rcvbuf"))
			cc->rcvbuf = (uint32_t)atol(v);
		else
			return -1;
	}
	return 0;
}

static void print_reports(struct tool *t)
{
	char buf[4096];
	unsigned int n = sync_chans_count(t->chans);

	sync_chans_report(t->chans, buf, sizeof(buf));
	fputs(buf, stdout);
	sync_chans_report_link(t->chans, buf, sizeof(buf));
	fputs(buf, stdout);
	for (unsigned int i = 0; i < n; i++) {
		const struct sync_chan_stats *s = sync_chans_stats(t->chans, i);

		printf("stats chan=%u bytes_sent=%llu pkts_sent=%llu "
		       "bytes_recv=%llu pkts_recv=%llu err_send=%llu "
		       "err_recv=%llu dropped_peer=%llu backlog_overflow=%llu "
		       "backlog_bytes=%llu\n", i,
		       (unsigned long long)s->bytes_sent,
		       (unsigned long long)s->pkts_sent,
		       (unsigned long long)s->bytes_recv,
		       (unsigned long long)s->pkts_recv,
		       (unsigned long long)s->err_send,
		       (unsigned long long)s->err_recv,
		       (unsigned long long)s->dropped_peer,
		       (unsigned long long)s->backlog_overflow,
		       (unsigned long long)s->backlog_bytes);
	}
	fflush(stdout);
}

/* ---- test messages ----------------------------------------------------- */

static void build_msg(unsigned char *p, long size, long seq)
{
	p[0] = 0x10;	/* version 1, CT_NEW */
	p[1] = 0;
	p[2] = (unsigned char)(size >> 8);
	p[3] = (unsigned char)size;
	for (int i = 0; i < 4; i++)
		p[4 + i] = (unsigned char)((unsigned long)seq >> (24 - 8 * i));
	for (long j = 8; j < size; j++)
		p[j] = (unsigned char)(seq + j);
}

/* Checks one received test message; returns 0 or -1 (reported). */
static int check_msg(struct tool *t, const unsigned char *p, size_t len)
{
	long seq = (long)((unsigned long)p[4] << 24 | (unsigned long)p[5] << 16 |
			  (unsigned long)p[6] << 8 | p[7]);

	for (size_t j = 8; j < len; j++)
		if (p[j] != (unsigned char)(seq + (long)j)) {
			printf("recv bad payload seq=%ld at %zu\n", seq, j);
			return -1;
		}
	if (t->got == 0 && t->any)
		t->next = t->first = seq;
	if (seq != t->next) {
		printf("recv gap want=%ld got=%ld\n", t->next, seq);
		return -1;
	}
	t->next++;
	t->got++;
	return 0;
}

static void on_recv(struct sync_chans *m, unsigned int idx, const void *buf,
		    size_t len, void *arg)
{
	struct tool *t = arg;
	const unsigned char *p = buf;
	size_t off = 0, k = 0;

	while (len - off >= 8) {
		size_t l = (size_t)p[off + 2] << 8 | p[off + 3];

		if (l < 8 || l > len - off)
			break;
		if (t->mode == M_DUMP) {
			printf("msg chan=%u len=%zu ", idx, l);
			for (size_t j = 0; j < l; j++)
				printf("%02x", p[off + j]);
			printf("\n");
		} else if (t->mode == M_RECV && !t->done &&
			   check_msg(t, p + off, l) < 0) {
			t->failed = 1;
			sync_loop_stop(t->loop);
		}
		off += l;
		k++;
	}
	printf("dgram chan=%u bytes=%zu msgs=%zu%s\n", idx, len, k,
	       off == len ? "" : " trailing");
	fflush(stdout);
	if (t->mode == M_RECV && !t->done && t->got >= t->n) {
		t->done = 1;
		printf("recv ok %ld first=%ld\n", t->got, t->first);
		sync_loop_timer_add(t->loop, &t->stop,
				    (uint64_t)(t->linger * 1e6));
	}
}

static void on_event(struct sync_chans *m, unsigned int idx,
		     enum sync_chans_event ev, void *arg)
{
	printf("event chan=%u %s\n", idx,
	       ev == SYNC_CHANS_EV_CONNECTED ? "connected" : "lost");
	fflush(stdout);
}

/* ---- sending ----------------------------------------------------------- */

static int hex_msg(const char *h, unsigned char *out, size_t cap)
{
	size_t n = strlen(h) / 2;

	if (strlen(h) % 2 || n > cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (int)n;
}

/* Whether everything sent has left: nothing buffered, no TCP backlog. */
static int drained(const struct tool *t)
{
	if (sync_chans_pending(t->chans))
		return 0;
	for (unsigned int i = 0; i < sync_chans_count(t->chans); i++)
		if (sync_chans_stats(t->chans, i)->backlog_bytes)
			return 0;
	return 1;
}

static void send_one(struct tool *t, const unsigned char *p, size_t len)
{
	int rc = sync_chans_send(t->chans, p, len);

	if (rc < 0)
		printf("send error %s\n", strerror(-rc));
}

static void on_tick(struct sync_loop *l, void *arg)
{
	struct tool *t = arg;
	unsigned char msg[65536];

	if (t->mode == M_HEX && t->sent < t->nhex) {
		for (; t->sent < t->nhex; t->sent++) {
			int n = hex_msg(t->hex[t->sent], msg, sizeof(msg));

			if (n < 8) {
				printf("bad hex message %ld\n", t->sent);
				t->failed = 1;
				sync_loop_stop(l);
				return;
			}
			send_one(t, msg, (size_t)n);
		}
		sync_chans_flush(t->chans);
	} else if (t->mode == M_SEND && t->sent < t->n) {
		do {
			build_msg(msg, t->size, t->sent);
			send_one(t, msg, (size_t)t->size);
			t->sent++;
		} while (!t->gap_ms && t->sent < t->n);
		sync_chans_flush(t->chans);
		if (t->sent < t->n) {
			sync_loop_timer_add(l, &t->tick,
					    (uint64_t)t->gap_ms * 1000);
			return;
		}
	}
	if (!drained(t)) {
		sync_loop_timer_add(l, &t->tick, 10000);
		return;
	}
	printf("sent %ld\n", t->mode == M_HEX ? (long)t->nhex : t->sent);
	fflush(stdout);
	t->done = 1;
	sync_loop_timer_add(l, &t->stop, (uint64_t)(t->linger * 1e6));
}

/* ---- the run ----------------------------------------------------------- */

static void on_stop(struct sync_loop *l, void *arg)
{
	struct tool *t = arg;

	/* the timeout of a mode that waits for something is a failure */
	if (!t->done && t->mode != M_DUMP && t->mode != M_RUN) {
		printf("timeout\n");
		t->failed = 1;
	}
	sync_loop_stop(l);
}

static void on_signal(struct sync_loop *l, int signo, void *arg)
{
	struct tool *t = arg;

	if (signo == SIGUSR1)
		print_reports(t);
	else
		sync_loop_stop(l);
}

static int parse_mode(struct tool *t, int argc, char **argv)
{
	if (argc < 1)
		return -1;
	if (!strcmp(argv[0], "send") && (argc == 3 || argc == 4)) {
		t->mode = M_SEND;
		t->n = atol(argv[1]);
		t->size = atol(argv[2]);
		t->gap_ms = argc == 4 ? atol(argv[3]) : 0;
		return t->size >= 8 && t->size <= 65535 ? 0 : -1;
	}
	if (!strcmp(argv[0], "hex") && argc >= 2) {
		t->mode = M_HEX;
		t->hex = argv + 1;
		t->nhex = argc - 1;
		return 0;
	}
	if (!strcmp(argv[0], "recv") && (argc == 2 || argc == 3)) {
		t->mode = M_RECV;
		t->n = atol(argv[1]);
		t->any = argc == 3 && !strcmp(argv[2], "any");
		return 0;
	}
	if (!strcmp(argv[0], "dump") && argc == 1) {
		t->mode = M_DUMP;
		return 0;
	}
	if (!strcmp(argv[0], "run") && argc == 1) {
		t->mode = M_RUN;
		return 0;
	}
	return -1;
}

static int parse_args(struct tool *t, struct sync_conf *conf, double *secs,
		      const char **ready, int argc, char **argv)
{
	int type = 0, o;

	while ((o = getopt(argc, argv, "+t:c:T:L:r:")) != -1) {
		switch (o) {
		case 't':
			type = !strcmp(optarg, "udp") ? SYNC_CHAN_UDP :
			       !strcmp(optarg, "mcast") ? SYNC_CHAN_MCAST :
			       !strcmp(optarg, "tcp") ? SYNC_CHAN_TCP : 0;
			break;
		case 'c':
			if (conf->sync.n_chan == SYNC_CONF_CHAN_MAX ||
			    parse_spec(optarg,
				       &conf->sync.chan[conf->sync.n_chan]) < 0)
				return -1;
			conf->sync.n_chan++;
			break;
		case 'T':
			*secs = atof(optarg);
			break;
		case 'L':
			t->linger = atof(optarg);
			break;
		case 'r':
			*ready = optarg;
			break;
		default:
			return -1;
		}
	}
	if (!type || !conf->sync.n_chan)
		return -1;
	for (unsigned int i = 0; i < conf->sync.n_chan; i++)
		conf->sync.chan[i].type = (uint8_t)type;
	return parse_mode(t, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	static struct sync_conf conf;
	struct tool t = { .linger = 0.5 };
	const char *ready = NULL;
	double secs = 10;
	int rc;

	if (parse_args(&t, &conf, &secs, &ready, argc, argv) < 0)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	sync_log_init(&t.log);
	if (sync_loop_new(&t.loop) < 0)
		return 1;
	rc = sync_chans_open(&t.chans, &conf, t.loop, &t.log, NULL, on_recv,
			     on_event, &t);
	if (rc < 0) {
		fprintf(stderr, "chantool: open: %s\n", strerror(-rc));
		sync_loop_free(t.loop);
		return 1;
	}
	sync_loop_signal(t.loop, SIGUSR1, on_signal, &t);
	sync_loop_signal(t.loop, SIGTERM, on_signal, &t);
	sync_loop_signal(t.loop, SIGINT, on_signal, &t);
	sync_loop_timer_init(&t.tick, on_tick, &t);
	sync_loop_timer_init(&t.stop, on_stop, &t);
	sync_loop_timer_add(t.loop, &t.stop, (uint64_t)(secs * 1e6));
	if (t.mode == M_SEND || t.mode == M_HEX)
		sync_loop_timer_add(t.loop, &t.tick, 0);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	rc = sync_loop_run(t.loop);
	print_reports(&t);
	sync_chans_close(t.chans);
	sync_loop_free(t.loop);
	return rc < 0 || t.failed ? 1 : 0;
}
