// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-flow codec work of a bulk send, a figure to read (never
 * asserted): the sender's (a cache body unpacked, the sync message built
 * from it) and the receiver's (the message parsed, the flow's key and
 * body packed for the external cache), in ns per flow over -n flows
 * like sync_bench's (TCP, established, assured, no NAT), -r times.
 *
 *   build/bench/bulk_codec [-n flows] [-r rounds]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ct/pack.h"
#include "sync/msg.h"

struct flow {
	uint8_t body[CT_PACK_MAX];
	uint8_t msg[256];
	int blen, mlen;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void entry_of(struct ct_entry *e, unsigned int i)
{
	uint32_t a = htonl(0xac100000u | i), b = htonl(0xac140000u | i % 7);

	memset(e, 0, sizeof(*e));
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS | CT_TIMEOUT | CT_MARK |
		 CT_ID | CT_USE | CT_TCP | CT_TCP_FLAGS | CT_TCP_WSCALE |
		 CT_SYNPROXY;	/* as the kernel reports them: 84 bytes sent */
	e->orig.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
		      CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	e->orig.l3 = AF_INET;
	e->orig.l4 = IPPROTO_TCP;
	memcpy(&e->orig.src, &a, 4);
	memcpy(&e->orig.dst, &b, 4);
	e->orig.sport = (uint16_t)(1024 + i % 60000);
	e->orig.dport = 80;
	e->reply = e->orig;
	e->reply.src = e->orig.dst;
	e->reply.dst = e->orig.src;
	e->reply.sport = e->orig.dport;
	e->reply.dport = e->orig.sport;
	e->status = 0x18e;
	e->timeout = 3600;
	e->id = 0x12345678u + i;
	e->use = 1;
	e->tcp.state = 3;
	e->tcp.flags[0] = e->tcp.flags[1] = 0x23;
	e->tcp.mask[0] = e->tcp.mask[1] = 0x23;
	e->tcp.wscale[0] = e->tcp.wscale[1] = 7;
}

int main(int argc, char **argv)
{
	unsigned int n = 100000, rounds = 5;
	struct sync_msg_stats st = { 0 };
	struct flow *f;
	struct ct_entry e;
	uint8_t out[512], key[CT_KEY_MAX], body[CT_PACK_MAX];
	unsigned long sink = 0;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		if (opt == 'n')
			n = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 'r')
			rounds = (unsigned int)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	f = calloc(n ? n : 1, sizeof(*f));
	if (!f)
		return 1;
	for (unsigned int i = 0; i < n; i++) {
		entry_of(&e, i);
		f[i].blen = ct_entry_pack(f[i].body, sizeof(f[i].body), &e,
					  ~(uint64_t)0);
		f[i].mlen = sync_msg_build_ct(f[i].msg, sizeof(f[i].msg),
					      SYNC_T_CT_UPD, &e, NULL);
		if (f[i].blen < 0 || f[i].mlen < 0)
			return 1;
	}
	printf("flow: body %d bytes, message %d bytes\n", f[0].blen, f[0].mlen);
	for (unsigned int r = 0; r < rounds; r++) {
		double t0 = now(), t1, t2;

		for (unsigned int i = 0; i < n; i++) {
			if (ct_entry_unpack(f[i].body, (size_t)f[i].blen, &e))
				return 1;
			sink += (unsigned long)sync_msg_build_ct(
				out, sizeof(out), SYNC_T_CT_UPD, &e, NULL);
		}
		t1 = now();
		for (unsigned int i = 0; i < n; i++) {
			struct sync_msg_hdr h;

			if (sync_msg_next(f[i].msg, (size_t)f[i].mlen, &h, &st) <= 0 ||
			    sync_msg_parse_ct(f[i].msg, h.len, &e, &st))
				return 1;
			sink += (unsigned long)ct_entry_key(key, &e);
			sink += (unsigned long)ct_entry_pack(body, sizeof(body),
							     &e, ~(uint64_t)0);
		}
		t2 = now();
		printf("send %.0f ns/flow  receive %.0f ns/flow\n",
		       (t1 - t0) * 1e9 / n, (t2 - t1) * 1e9 / n);
	}
	free(f);
	return sink == 0;
}
