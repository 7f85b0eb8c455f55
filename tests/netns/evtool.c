// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * evtool: a conntrack event listener for tests/netns/t_event.sh and for
 * capturing event fixtures. It opens a ct/event.h source, optionally
 * attaches the BPF program compiled from a conntrack command line's
 * filter, and prints each event that passes the userspace filter as
 * "[TYPE] <default conntrack line>", one per line. Run it inside a scratch
 * namespace (ip netns exec).
 *
 *   evtool [-k] [-a] [-x] [-b BYTES] [-B MAX] [-c N] [-t MS] [-d MS]
 *          [-r FILE] [-s] [-- conntrack -E filter options...]
 *   -k       attach the compiled BPF filter (kernel-side pre-filter)
 *   -a       print every received event, userspace verdict first ("+ "/"- ")
 *   -x       print each datagram in hex instead (fixture capture)
 *   -b, -B   initial receive buffer / growth limit (ct_event_opts)
 *   -c N     stop after N printed events;  -t MS  stop after MS idle
 *   -d MS    sleep MS after subscribing, before reading (forces overruns)
 *   -r FILE  create FILE once subscribed (the script waits for it)
 *   -s       at the end print "stats events=N overruns=N grows=N
 *            rcvbuf=N at_max=N filtered=N" on stdout
 * Exit: 0, 1 on an error, 2 on a usage or filter parse error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/ct_args.h"
#include "ct/bpf.h"
#include "ct/event.h"
#include "ct/filter.h"
#include "ct/format.h"

struct run {
	const struct ct_filter *filter;
	int all, hex;
	long printed, limit;
};

static const char *const tags[] = { "?", "NEW", "UPDATE", "DESTROY" };

static int on_event(const struct ct_event *ev, void *arg)
{
	struct run *r = arg;
	struct ct_fmt_opts o = { .event = CT_FMT_EV_NONE };
	char line[1024];
	int ok;

	if (ev->kind != CT_EVENT_K_CONNTRACK || !ev->entry)
		return 0;
	ok = ct_filter_match(r->filter, ev->entry);
	if (!ok && !r->all)
		return 0;
	if (ct_format_default(line, sizeof(line), ev->entry, &o) < 0)
		snprintf(line, sizeof(line), "(format error)");
	printf("%s[%s] %s\n", r->all ? (ok ? "+ " : "- ") : "",
	       tags[ev->type <= 3 ? ev->type : 0], line);
	r->printed++;
	return 0;
}

static void hexdump(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* -x: raw datagrams, read straight from the socket */
static int count_hex(const struct ct_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
	return 0;
}

static int parse_filter(int argc, char **argv, struct ct_args *a)
{
	char *av[64];
	struct ct_args_err err;
	int n = 0;

	av[n++] = "conntrack";
	av[n++] = "-E";
	for (int i = 0; i < argc && n < 63; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	if (ct_args_parse(n, av, NULL, a, &err) < 0) {
		fprintf(stderr, "evtool: filter: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "evtool: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static struct ct_args args;
	static struct ct_bpf_prog prog;
	struct ct_event_opts opts = { .flags = CT_EVENT_F_NONBLOCK };
	struct run r = { .limit = -1 };
	struct ct_event_src *ev = NULL;
	struct ct_event_stats st;
	const char *ready = NULL;
	long idle = 2000, delay = 0;
	int kernel = 0, stats = 0, c, rc, status = 1;

	while ((c = getopt(argc, argv, "kaxb:B:c:t:d:r:s")) != -1) {
		switch (c) {
		case 'k': kernel = 1; break;
		case 'a': r.all = 1; break;
		case 'x': r.hex = 1; break;
		case 'b': opts.rcvbuf = (size_t)num(optarg); break;
		case 'B': opts.rcvbuf_max = (size_t)num(optarg); break;
		case 'c': r.limit = num(optarg); break;
		case 't': idle = num(optarg); break;
		case 'd': delay = num(optarg); break;
		case 'r': ready = optarg; break;
		case 's': stats = 1; break;
		default: return 2;
		}
	}
	if (parse_filter(argc - optind, argv + optind, &args) < 0)
		return 2;
	r.filter = &args.filter;
	if ((args.options & CT_OPT_EVENT_MASK) && args.event_mask)
		opts.groups = args.event_mask & CT_EVENT_CT_ALL;
	rc = ct_event_open(&ev, &opts);
	if (rc < 0) {
		fprintf(stderr, "evtool: open: %s\n", strerror(-rc));
		return 1;
	}
	if (kernel) {
		rc = ct_bpf_compile(&args.filter, &prog);
		if (rc == 0)
			rc = ct_event_set_filter(ev, &prog);
		if (rc < 0) {
			fprintf(stderr, "evtool: bpf: %s\n", strerror(-rc));
			goto out;
		}
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0)
			close(fd);
	}
	if (delay) {
		struct timespec ts = { delay / 1000, (delay % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	for (;;) {
		struct pollfd p = { .fd = ct_event_fd(ev), .events = POLLIN };

		if (r.limit >= 0 && r.printed >= r.limit)
			break;
		rc = poll(&p, 1, (int)idle);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		if (r.hex) {
			char buf[65536];
			ssize_t n = recv(ct_event_fd(ev), buf, sizeof(buf), 0);

			if (n < 0 && errno == EAGAIN)
				continue;
			if (n < 0) {
				fprintf(stderr, "evtool: recv: %s\n",
					strerror(errno));
				goto out;
			}
			hexdump(buf, (size_t)n);
			r.printed += ct_event_dispatch(buf, (size_t)n, 0,
						       count_hex, NULL, NULL);
			continue;
		}
		rc = ct_event_recv(ev, on_event, &r);
		if (rc == -EAGAIN || rc == -ENOBUFS)
			continue;
		if (rc < 0) {
			fprintf(stderr, "evtool: recv: %s\n", strerror(-rc));
			goto out;
		}
		fflush(stdout);
	}
	status = 0;
out:
	if (stats) {
		ct_event_stats(ev, &st);
		printf("stats events=%llu overruns=%llu grows=%llu rcvbuf=%zu "
		       "at_max=%d filtered=%d\n",
		       (unsigned long long)st.events,
		       (unsigned long long)st.overruns,
		       (unsigned long long)st.grows, st.rcvbuf, st.at_max,
		       st.filtered);
	}
	ct_event_close(ev);
	return status;
}
