// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory of conntrackd's caches, as a figure to read (never asserted):
 * packs N IPv4 TCP flows the way the daemon caches them (both tuples,
 * status, timeout, mark, TCP state, flags and window scales), adds them
 * to a sync/cache.h cache of HashSize buckets and prints how much the
 * process grew per flow (VmRSS and VmHWM of /proc/self/status, measured
 * from before the cache was made, so the bucket array counts too). Also
 * prints the packed sizes of the usual flows.
 *
 *   build/bench/cache_mem [-n flows] [-b buckets] [-x extra] [-N]
 *
 * -x gives each object an extra area of that many bytes (a sync mode's
 * queue links and timers); -N makes every flow NATed (its reply tuple is
 * not the orig one inverted, so the body is 13 bytes longer).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct/pack.h"
#include "ct/proto.h"
#include "sync/cache.h"
#include "sync/hash.h"

/* VmRSS and VmHWM in kB. */
static int mem_kb(long *rss, long *hwm)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	if (!f)
		return -errno;
	*rss = *hwm = -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			*rss = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "VmHWM:", 6))
			*hwm = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return *rss < 0 || *hwm < 0 ? -EINVAL : 0;
}

static void tuple(struct ct_tuple *t, uint8_t l3, uint8_t l4, uint32_t src,
		  uint32_t dst, uint16_t sp, uint16_t dp)
{
	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->l4 = l4;
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	if (l3 == AF_INET6) {
		t->src.v6[0] = t->dst.v6[0] = 0x20;
		t->src.v6[1] = t->dst.v6[1] = 0x01;
		memcpy(&t->src.v6[12], &src, 4);
		memcpy(&t->dst.v6[12], &dst, 4);
	} else {
		t->src.v4 = src;
		t->dst.v4 = dst;
	}
	if (l4 == IPPROTO_ICMP) {
		t->set |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			  CT_TUPLE_ICMP_ID;
		t->icmp_type = (uint8_t)sp;
		t->icmp_id = dp;
	} else {
		t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		t->sport = sp;
		t->dport = dp;
	}
}

/* Flow @i as the daemon would cache it. */
static void flow(struct ct_entry *e, uint32_t i, uint8_t l3, uint8_t l4,
		 int nat)
{
	uint32_t src = htonl(0x0a000000u + i), dst = htonl(0xc0a80101u);
	uint16_t sp = (uint16_t)(32768 + i % 28000);

	memset(e, 0, sizeof(*e));
	e->family = l3;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS | CT_TIMEOUT | CT_MARK;
	if (l4 == IPPROTO_ICMP) {
		tuple(&e->orig, l3, l4, src, dst, 8, sp);
		tuple(&e->reply, l3, l4, dst, src, 0, sp);
	} else {
		tuple(&e->orig, l3, l4, src, dst, sp, 443);
		tuple(&e->reply, l3, l4, dst, nat ? htonl(0xcb007105u) : src,
		      443, nat ? (uint16_t)(sp + 1) : sp);
	}
	e->status = 0x18e;
	e->timeout = 431999;
	if (l4 == IPPROTO_TCP) {
		e->set |= CT_TCP | CT_TCP_FLAGS | CT_TCP_WSCALE;
		e->tcp.state = 3;
		e->tcp.flags[0] = e->tcp.flags[1] = 0x23;
		e->tcp.wscale[0] = e->tcp.wscale[1] = 7;
	}
}

static void sizes(void)
{
	static const struct { const char *name; uint8_t l3, l4; int nat; }
	rows[] = {
		{ "ipv4 tcp", AF_INET, IPPROTO_TCP, 0 },
		{ "ipv4 tcp, NATed", AF_INET, IPPROTO_TCP, 1 },
		{ "ipv4 udp", AF_INET, IPPROTO_UDP, 0 },
		{ "ipv4 icmp", AF_INET, IPPROTO_ICMP, 0 },
		{ "ipv6 tcp", AF_INET6, IPPROTO_TCP, 0 },
		{ "ipv6 tcp, NATed", AF_INET6, IPPROTO_TCP, 1 },
	};
	uint8_t buf[CT_PACK_MAX], key[CT_KEY_MAX];
	struct ct_entry e;

	printf("packed sizes (body, key):\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		flow(&e, 7, rows[i].l3, rows[i].l4, rows[i].nat);
		printf("  %-16s %3d %3d\n", rows[i].name,
		       ct_entry_pack(buf, sizeof(buf), &e, ~0ULL),
		       ct_entry_key(key, &e));
	}
}

int main(int argc, char **argv)
{
	struct sync_cache_conf cf = { .name = "internal", .buckets = 65536,
				      .limit = 1u << 30 };
	unsigned long n = 100000;
	uint8_t buf[CT_PACK_MAX], key[CT_KEY_MAX];
	long rss0, hwm0, rss1, hwm1;

	struct sync_cache *c;
	struct ct_entry e;
	int opt, nat = 0;

	while ((opt = getopt(argc, argv, "n:b:x:N")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'b': cf.buckets = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'x': cf.extra = strtoul(optarg, NULL, 10); break;
		case 'N': nat = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n flows] [-b buckets] "
				"[-x extra] [-N]\n", argv[0]);
			return 2;
		}
	}
	sizes();
	if (sync_hash_seed(cf.seed) < 0 || mem_kb(&rss0, &hwm0) < 0 ||
	    sync_cache_new(&c, &cf) < 0) {
		fprintf(stderr, "cache_mem: setup failed\n");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		int bl, kl;

		flow(&e, (uint32_t)i, AF_INET, IPPROTO_TCP, nat);
		bl = ct_entry_pack(buf, sizeof(buf), &e, ~0ULL);
		kl = ct_entry_key(key, &e);
		if (bl < 0 || kl < 0 || sync_cache_add(c, key, (size_t)kl,
						       buf, (size_t)bl, 0,
						       NULL) < 0) {
			fprintf(stderr, "cache_mem: flow %lu failed\n", i);
			return 1;
		}
	}
	if (mem_kb(&rss1, &hwm1) < 0)
		return 1;
	printf("%lu ipv4 tcp flows%s, %u buckets, extra %zu bytes, "
	       "object header %zu bytes\n", n, nat ? " (NATed)" : "",
	       cf.buckets, cf.extra, sizeof(struct sync_cache_obj));
	printf("  longest chain %u\n", sync_cache_max_chain(c));
	printf("  VmRSS growth %ld kB = %.1f bytes per flow\n", rss1 - rss0,
	       (double)(rss1 - rss0) * 1024 / (double)n);
	printf("  peak (VmHWM) growth %ld kB = %.1f bytes per flow\n",
	       hwm1 - rss0, (double)(hwm1 - rss0) * 1024 / (double)n);
	sync_cache_free(c);
	return 0;
}
