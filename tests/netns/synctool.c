// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * synctool: the sync codec (sync/msg.h) for tests/netns/t_sync_msg_ref.sh,
 * which checks it against the Debian conntrackd 1.4.7. Datagrams are hex,
 * one per line ('#' lines and blank lines skipped). No network, no
 * kernel: the script moves the bytes.
 *
 *   synctool decode     every message of every datagram on stdin, one
 *                       line each: "ct ...", "exp ...", "ctl ..." with
 *                       key=value fields; exit 1 if any is refused
 *   synctool rebuild    every data message parsed and built again with
 *                       upstream_compat and wscale, stamped with its
 *                       seq and flags: "same ..." when the bytes are
 *                       equal, else "differs ..." with both; exit 1 then
 *   synctool build [--compat] KEY=VALUE...
 *                       one CT_NEW message as hex. Keys: seq, src, dst
 *                       (the family follows), proto (number), sport,
 *                       dport, status, timeout, mark, zone, state (tcp);
 *                       snat, dnat (addresses) and spat, dpat (ports) put
 *                       the NAT into the reply tuple and the NAT_DONE
 *                       status bits
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/entry.h"
#include "ct/expect.h"
#include "nl/uapi.h"
#include "sync/msg.h"

#define DGRAM_MAX 65536

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (n < cap && sscanf(s, "%2x", &b) == 1 && s[0] && s[1]) {
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static const char *addr(const union ct_addr *a, uint8_t l3, char *buf)
{
	if (!inet_ntop(l3 == AF_INET6 ? AF_INET6 : AF_INET, a, buf,
		       INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

static void put_tuple(const char *pfx, const struct ct_tuple *t, uint8_t l3)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	printf(" %ssrc=%s %sdst=%s", pfx, addr(&t->src, l3, a), pfx,
	       addr(&t->dst, l3, b));
	if (t->set & CT_TUPLE_PROTO)
		printf(" %sproto=%u", pfx, t->l4);
	if (t->set & (CT_TUPLE_SPORT | CT_TUPLE_DPORT))
		printf(" %ssport=%u %sdport=%u", pfx, t->sport, pfx, t->dport);
	if (t->set & CT_TUPLE_ICMP_TYPE)
		printf(" %stype=%u", pfx, t->icmp_type);
	if (t->set & CT_TUPLE_ICMP_CODE)
		printf(" %scode=%u", pfx, t->icmp_code);
	if (t->set & CT_TUPLE_ICMP_ID)
		printf(" %sid=%u", pfx, t->icmp_id);
}

static void put_nat(const char *name, const struct ct_nat *n, uint8_t l3)
{
	char a[INET6_ADDRSTRLEN];

	printf(" %s=%s", name, addr(&n->min_ip, l3, a));
	if (n->has_port)
		printf(":%u", n->min_port);
}

static void put_ct_state(const struct ct_entry *e)
{
	if (e->set & CT_STATUS)
		printf(" status=0x%x", e->status);
	if (e->set & CT_TIMEOUT)
		printf(" timeout=%u", e->timeout);
	if (e->set & CT_MARK)
		printf(" mark=%u", e->mark);
	if (e->set & CT_ZONE)
		printf(" zone=%u", e->zone);
	if (e->set & CT_TCP)
		printf(" tcp_state=%u", e->tcp.state);
	if (e->set & CT_TCP_WSCALE)
		printf(" wscale=%u,%u", e->tcp.wscale[0], e->tcp.wscale[1]);
	if (e->set & CT_SCTP)
		printf(" sctp_state=%u", e->sctp.state);
	if (e->set & CT_SCTP_VTAGS)
		printf(" vtags=%u,%u", e->sctp.vtag[0], e->sctp.vtag[1]);
	if (e->set & CT_DCCP)
		printf(" dccp_state=%u dccp_role=%u", e->dccp.state,
		       e->dccp.role);
	if (e->set & CT_SEQADJ_ORIG)
		printf(" seqadj=%u,%u,%u,%u,%u,%u",
		       e->seqadj[0].correction_pos, e->seqadj[0].offset_before,
		       e->seqadj[0].offset_after, e->seqadj[1].correction_pos,
		       e->seqadj[1].offset_before, e->seqadj[1].offset_after);
	if (e->set & CT_HELPER)
		printf(" helper=%s", e->helper);
	if (e->set & CT_LABELS) {
		printf(" labels=");
		put_hex(e->labels, e->labels_len);
	}
	if (e->set & CT_SYNPROXY)
		printf(" synproxy=%u,%u,%u", e->synproxy.its, e->synproxy.isn,
		       e->synproxy.tsoff);
}

static void put_ct(const struct sync_msg_hdr *h, const struct ct_entry *e)
{
	printf("ct type=%u seq=%" PRIu32 " flags=0x%x family=%u", h->type,
	       h->seq, h->flags, e->family);
	put_tuple("", &e->orig, e->family);
	put_tuple("r", &e->reply, e->family);
	put_ct_state(e);
	if (e->set & CT_MASTER)
		put_tuple("m", &e->master, e->master.l3);
	if (e->set & CT_SNAT)
		put_nat("snat", &e->snat, e->family);
	if (e->set & CT_DNAT)
		put_nat("dnat", &e->dnat, e->family);
	printf("\n");
}

static void put_exp(const struct sync_msg_hdr *h, const struct ct_expect *x)
{
	printf("exp type=%u seq=%" PRIu32 " flags=0x%x family=%u", h->type,
	       h->seq, h->flags, x->family);
	put_tuple("m", &x->master, x->master.l3);
	put_tuple("t", &x->tuple, x->tuple.l3);
	if (x->set & CT_EXP_MASK)
		put_tuple("k", &x->mask, x->mask.l3);
	if (x->set & CT_EXP_TIMEOUT)
		printf(" timeout=%u", x->timeout);
	if (x->set & CT_EXP_FLAGS)
		printf(" xflags=%u", x->flags);
	if (x->set & CT_EXP_CLASS)
		printf(" class=%u", x->class);
	if (x->set & CT_EXP_NAT) {
		printf(" natdir=%u", x->nat_dir);
		put_tuple("n", &x->nat_tuple, AF_INET);
	}
	if (x->set & CT_EXP_HELPER)
		printf(" helper=%s", x->helper);
	if (x->set & CT_EXP_FN)
		printf(" fn=%s", x->fn);
	printf("\n");
}

/* Parses the data message @p of @h->len bytes; 0 or -EBADMSG. */
static int parse(const uint8_t *p, const struct sync_msg_hdr *h,
		 struct ct_entry *e, struct ct_expect *x,
		 struct sync_msg_stats *st)
{
	if (h->type <= SYNC_T_CT_DEL)
		return sync_msg_parse_ct(p, h->len, e, st);
	return sync_msg_parse_exp(p, h->len, x, st);
}

static int rebuild(const uint8_t *p, const struct sync_msg_hdr *h,
		   const struct ct_entry *e, const struct ct_expect *x)
{
	static const struct sync_msg_opts o = { .wscale = 1,
						.upstream_compat = 1 };
	uint8_t out[SYNC_MSG_MAX];
	int n;

	if (h->type <= SYNC_T_CT_DEL)
		n = sync_msg_build_ct(out, sizeof(out), h->type, e, &o);
	else
		n = sync_msg_build_exp(out, sizeof(out), h->type, x, &o);
	if (n > 0)
		sync_msg_stamp(out, h->seq, h->flags);
	if (n == h->len && !memcmp(out, p, (size_t)n)) {
		printf("same type=%u len=%u\n", h->type, h->len);
		return 0;
	}
	printf("differs type=%u rc=%d theirs=", h->type, n);
	put_hex(p, h->len);
	printf(" ours=");
	if (n > 0)
		put_hex(out, (size_t)n);
	printf("\n");
	return -1;
}

static int walk(const uint8_t *buf, size_t len, int do_rebuild)
{
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	struct ct_entry e;
	struct ct_expect x;
	int bad = 0, n;

	for (size_t off = 0; off < len; off += (size_t)n) {
		n = sync_msg_next(buf + off, len - off, &h, &st);
		if (n <= 0) {
			printf("error at %zu: next=%d\n", off, n);
			return -1;
		}
		if (!sync_msg_is_data(&h)) {
			if (!do_rebuild)
				printf("ctl seq=%" PRIu32 " flags=0x%x from=%"
				       PRIu32 " to=%" PRIu32 "\n", h.seq,
				       h.flags, h.from, h.to);
			continue;
		}
		if (parse(buf + off, &h, &e, &x, &st) < 0) {
			printf("error type=%u: refused: ", h.type);
			put_hex(buf + off, h.len);
			printf("\n");
			bad = 1;
		} else if (do_rebuild) {
			bad |= rebuild(buf + off, &h, &e, &x) < 0;
		} else if (h.type <= SYNC_T_CT_DEL) {
			put_ct(&h, &e);
		} else {
			put_exp(&h, &x);
		}
	}
	return bad ? -1 : 0;
}

static int cmd_walk(int do_rebuild)
{
	static char line[2 * DGRAM_MAX + 16];
	static uint8_t buf[DGRAM_MAX];
	int rc = 0;

	while (fgets(line, sizeof(line), stdin)) {
		size_t n;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = unhex(line, buf, sizeof(buf));
		if (walk(buf, n, do_rebuild) < 0)
			rc = 1;
	}
	return rc;
}

/* ---- build ------------------------------------------------------------- */

static int set_addr(const char *v, union ct_addr *a, uint8_t *l3)
{
	*l3 = strchr(v, ':') ? AF_INET6 : AF_INET;
	return inet_pton(*l3, v, a) == 1 ? 0 : -1;
}

static int set_key(struct ct_entry *e, const char *k, const char *v,
		   uint32_t *seq)
{
	unsigned long n = strtoul(v, NULL, 0);
	uint8_t l3;

	if (!strcmp(k, "src") || !strcmp(k, "dst")) {
		union ct_addr *a = k[0] == 's' ? &e->orig.src : &e->orig.dst;

		if (set_addr(v, a, &e->orig.l3) < 0)
			return -1;
		e->family = e->orig.l3;
		e->orig.set |= k[0] == 's' ? CT_TUPLE_SRC : CT_TUPLE_DST;
	} else if (!strcmp(k, "proto")) {
		e->orig.l4 = (uint8_t)n;
		e->orig.set |= CT_TUPLE_PROTO;
	} else if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
		*(k[0] == 's' ? &e->orig.sport : &e->orig.dport) = (uint16_t)n;
		e->orig.set |= k[0] == 's' ? CT_TUPLE_SPORT : CT_TUPLE_DPORT;
	} else if (!strcmp(k, "status")) {
		e->status |= (uint32_t)n;
		e->set |= CT_STATUS;
	} else if (!strcmp(k, "timeout")) {
		e->timeout = (uint32_t)n;
		e->set |= CT_TIMEOUT;
	} else if (!strcmp(k, "mark")) {
		e->mark = (uint32_t)n;
		e->set |= CT_MARK;
	} else if (!strcmp(k, "zone")) {
		e->zone = (uint16_t)n;
		e->set |= CT_ZONE;
	} else if (!strcmp(k, "state")) {
		e->tcp.state = (uint8_t)n;
		e->set |= CT_TCP;
	} else if (!strcmp(k, "snat") || !strcmp(k, "dnat")) {
		union ct_addr *a = k[0] == 's' ? &e->snat.min_ip :
						 &e->dnat.min_ip;

		if (set_addr(v, a, &l3) < 0)
			return -1;
		e->set |= k[0] == 's' ? CT_SNAT : CT_DNAT;
	} else if (!strcmp(k, "spat") || !strcmp(k, "dpat")) {
		struct ct_nat *t = k[0] == 's' ? &e->snat : &e->dnat;

		t->has_port = 1;
		t->min_port = (uint16_t)n;
	} else if (!strcmp(k, "seq")) {
		*seq = (uint32_t)n;
	} else {
		return -1;
	}
	return 0;
}

/* The reply tuple the kernel would report: the inverse of the orig one
 * with the NAT in it, and the NAT_DONE bits. */
static void make_reply(struct ct_entry *e)
{
	struct ct_tuple *o = &e->orig, *r = &e->reply;

	*r = *o;
	r->src = o->dst;
	r->dst = o->src;
	r->sport = o->dport;
	r->dport = o->sport;
	e->set |= CT_ORIG | CT_REPLY;
	if (e->set & CT_SNAT) {
		r->dst = e->snat.min_ip;
		e->status |= IPS_SRC_NAT | IPS_SRC_NAT_DONE;
	}
	if (e->set & CT_DNAT) {
		r->src = e->dnat.min_ip;
		e->status |= IPS_DST_NAT | IPS_DST_NAT_DONE;
	}
	if (e->snat.has_port)
		r->dport = e->snat.min_port;
	if (e->dnat.has_port)
		r->sport = e->dnat.min_port;
	/* the kernel's entries carry no NAT request, only its result */
	e->set &= ~(uint64_t)(CT_SNAT | CT_DNAT);
}

static int cmd_build(int argc, char **argv)
{
	struct sync_msg_opts o = { 0 };
	struct ct_entry e;
	uint8_t out[SYNC_MSG_MAX];
	uint32_t seq = 1;
	int n;

	memset(&e, 0, sizeof(e));
	for (int i = 2; i < argc; i++) {
		char k[32], *eq = strchr(argv[i], '=');

		if (!strcmp(argv[i], "--compat")) {
			o.upstream_compat = 1;
			continue;
		}
		if (!eq || (size_t)(eq - argv[i]) >= sizeof(k)) {
			fprintf(stderr, "synctool: bad argument %s\n", argv[i]);
			return 64;
		}
		memcpy(k, argv[i], (size_t)(eq - argv[i]));
		k[eq - argv[i]] = 0;
		if (set_key(&e, k, eq + 1, &seq) < 0) {
			fprintf(stderr, "synctool: bad argument %s\n", argv[i]);
			return 64;
		}
	}
	make_reply(&e);
	n = sync_msg_build_ct(out, sizeof(out), SYNC_T_CT_NEW, &e, &o);
	if (n < 0) {
		fprintf(stderr, "synctool: build: %s\n", strerror(-n));
		return 1;
	}
	sync_msg_stamp(out, seq, 0);
	put_hex(out, (size_t)n);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "decode"))
		return cmd_walk(0);
	if (argc == 2 && !strcmp(argv[1], "rebuild"))
		return cmd_walk(1);
	if (argc >= 2 && !strcmp(argv[1], "build"))
		return cmd_build(argc, argv);
	fprintf(stderr, "usage: synctool decode|rebuild|build [--compat] "
		"KEY=VALUE...\n");
	return 64;
}
