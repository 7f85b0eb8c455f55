// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sftool: a conntrack event listener under conntrackd's Filter
 * (sync/filter.h) for tests/netns/t_sync_filter.sh. It builds the filter
 * from its options, optionally attaches the compiled BPF program to the
 * event socket (what `Filter From Kernelspace` does), and prints every
 * event it receives with the userspace verdict first: "+ [NEW] <default
 * conntrack line>" kept, "- ..." dropped. Run it inside a scratch
 * namespace (ip netns exec).
 *
 *   sftool [-k] [-p SET] [-a SET] [-S SET] [-g N] [-t MS] [-r FILE] [-s]
 *   -p, -a, -S  Protocol, Address, State: "accept:LIST" or "ignore:LIST",
 *               LIST comma-separated protocol numbers, addresses with an
 *               optional /prefix, TCP state numbers (may be empty)
 *   -g N     N more Address hosts, 10.200.0.0 upwards (a large program)
 *   -k       attach the compiled program (kernel-side filtering)
 *   -t MS    stop after MS without an event (2000)
 *   -r FILE  create FILE once subscribed (the script waits for it)
 *   -s       at the end print "stats events=N insns=N"
 * Exit: 0; 1 on an error; 2 on a usage error; 3 when the program does not
 * fit (sync_filter_bpf -E2BIG, with -k).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct/bpf.h"
#include "ct/event.h"
#include "ct/format.h"
#include "sync/filter.h"

#define NETS_MAX 8192

static struct sync_conf_net nets[NETS_MAX];

static const char *const tags[] = { "?", "NEW", "UPDATE", "DESTROY" };

static int on_event(const struct ct_event *ev, void *arg)
{
	const struct sync_filter *f = arg;
	struct ct_fmt_opts o = { .event = CT_FMT_EV_NONE };
	char line[1024];

	if (ev->kind != CT_EVENT_K_CONNTRACK || !ev->entry)
		return 0;
	if (ct_format_default(line, sizeof(line), ev->entry, &o) < 0)
		snprintf(line, sizeof(line), "(format error)");
	printf("%s [%s] %s\n", sync_filter_match(f, ev->entry) ? "+" : "-",
	       tags[ev->type <= 3 ? ev->type : 0], line);
	return 0;
}

static int add_net(struct sync_conf_filter *cf, const char *s)
{
	struct sync_conf_net *n = &nets[cf->n_nets];
	char buf[64], *slash, *end;
	size_t len = strlen(s);

	if (cf->n_nets >= NETS_MAX || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	n->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(n->family, buf, &n->addr) != 1)
		return -1;
	n->plen = n->family == AF_INET ? 32 : 128;
	if (slash) {
		unsigned long p = strtoul(slash + 1, &end, 10);

		if (*end || p > n->plen)
			return -1;
		n->plen = (uint8_t)p;
	}
	cf->n_nets++;
	return 0;
}

/* "accept:LIST" / "ignore:LIST" of set @kind (P, A, S) into @cf. */
static int parse_set(struct sync_conf_filter *cf, char kind, char *arg)
{
	char *list = strchr(arg, ':'), *tok, *save = NULL;
	int ign;

	if (!list)
		return -1;
	*list++ = '\0';
	if (strcmp(arg, "accept") && strcmp(arg, "ignore"))
		return -1;
	ign = strcmp(arg, "ignore") == 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long v = strtoul(tok, NULL, 10);

		if (kind == 'A' && add_net(cf, tok) < 0)
			return -1;
		if (kind == 'P' && v < 256)
			cf->proto[v / 8] |= (uint8_t)(1 << v % 8);
		if (kind == 'S' && v < 16)
			cf->states |= (uint16_t)(1 << v);
	}
	if (kind == 'P') {
		cf->set |= SYNC_FILTER_PROTO;
		cf->proto_ignore = (uint8_t)ign;
	} else if (kind == 'A') {
		cf->set |= SYNC_FILTER_ADDR;
		cf->addr_ignore = (uint8_t)ign;
	} else {
		cf->set |= SYNC_FILTER_STATE;
		cf->state_ignore = (uint8_t)ign;
	}
	return 0;
}

static int gen_hosts(struct sync_conf_filter *cf, long n)
{
	for (long i = 0; i < n; i++) {
		char a[32];

		snprintf(a, sizeof(a), "10.200.%ld.%ld", i / 250, i % 250 + 1);
		if (add_net(cf, a) < 0)
			return -1;
	}
	return 0;
}

static int listen_events(struct ct_event_src *ev, struct sync_filter *f,
			 long idle)
{
	for (;;) {
		struct pollfd p = { .fd = ct_event_fd(ev), .events = POLLIN };
		int rc = poll(&p, 1, (int)idle);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return 0;
		rc = ct_event_recv(ev, on_event, f);
		if (rc == -EAGAIN)
			continue;
		if (rc == -ENOBUFS) {
			fprintf(stderr, "sftool: events lost (ENOBUFS)\n");
			return -1;
		}
		if (rc < 0) {
			fprintf(stderr, "sftool: recv: %s\n", strerror(-rc));
			return -1;
		}
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	static struct ct_bpf_prog prog;
	struct ct_event_opts opts = { .flags = CT_EVENT_F_NONBLOCK };
	struct sync_conf_filter cf = { .nets = nets };
	struct sync_filter *f = NULL;
	struct ct_event_src *ev = NULL;
	struct ct_event_stats st;
	const char *ready = NULL;
	long idle = 2000, more = 0;
	int kernel = 0, stats = 0, c, rc, status = 1;

	while ((c = getopt(argc, argv, "kp:a:S:g:t:r:s")) != -1) {
		switch (c) {
		case 'k': kernel = 1; break;
		case 'p': case 'a': case 'S':
			if (parse_set(&cf, c == 'S' ? 'S' : c == 'p' ? 'P' :
				      'A', optarg) < 0) {
				fprintf(stderr, "sftool: bad set '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'g': more = strtol(optarg, NULL, 10); break;
		case 't': idle = strtol(optarg, NULL, 10); break;
		case 'r': ready = optarg; break;
		case 's': stats = 1; break;
		default: return 2;
		}
	}
	if (gen_hosts(&cf, more) < 0 || sync_filter_new(&f, &cf) < 0) {
		fprintf(stderr, "sftool: cannot build the filter\n");
		return 2;
	}
	rc = ct_event_open(&ev, &opts);
	if (rc < 0) {
		fprintf(stderr, "sftool: open: %s\n", strerror(-rc));
		goto free_filter;
	}
	if (kernel) {
		rc = sync_filter_bpf(f, NULL, 0, &prog);
		if (rc == -E2BIG) {
			fprintf(stderr, "sftool: program too large\n");
			status = 3;
			goto close_ev;
		}
		if (rc == 0)
			rc = ct_event_set_filter(ev, &prog);
		if (rc < 0) {
			fprintf(stderr, "sftool: bpf: %s\n", strerror(-rc));
			goto close_ev;
		}
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0)
			close(fd);
	}
	if (listen_events(ev, f, idle) == 0)
		status = 0;
	if (stats) {
		ct_event_stats(ev, &st);
		printf("stats events=%llu insns=%u filtered=%d\n",
		       (unsigned long long)st.events, kernel ? prog.len : 0,
		       st.filtered);
	}
close_ev:
	ct_event_close(ev);
free_filter:
	sync_filter_free(f);
	return status;
}
