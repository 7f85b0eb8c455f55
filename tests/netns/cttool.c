// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cttool: drives the ct/table.h operations against the real kernel for
 * tests/netns/t_ct_table.sh, and captures raw dump datagrams as hex for
 * the unit-test fixtures. Run it inside a scratch namespace only: it
 * creates, deletes and flushes conntrack entries.
 *
 *   cttool create N           N generated tcp entries, batched
 *   cttool delete FROM TO STEP  batch-delete generated entries i in range
 *   cttool dump [filter]      "seen=N matched=N kernel=0|1"
 *        --family 4|6 --proto P --dport D --sport S --src A --mark M/MASK
 *        --zone Z --status S/MASK --reply-dport D
 *   cttool get I              "found" or exit 2 for ENOENT
 *   cttool flush [--family 4|6] [--mark M/MASK]
 *   cttool count | stats | probe
 *   cttool fixtures           a varied set of entries via ct_table_create
 *   cttool capture            the dump, one hex line per datagram
 *   cttool show [filter]      each flow's "proto=P sport=S dport=D
 *                             wscale=O,R flags=0xO,0xR seqadj=P,B,A,P,B,A
 *                             labels=HEX" (tcp protoinfo, the NAT
 *                             sequence adjustment of each direction, the
 *                             label bytes; - if absent)
 *   cttool natseq P,B,A P,B,A a tcp flow 10.61.0.1:40000 -> 10.2.2.2:21,
 *                             DNAT to 10.9.9.9:2121, ESTABLISHED, with
 *                             CTA_SEQ_ADJ_ORIG and _REPLY (correction
 *                             position, offsets before and after)
 *
 * Generated entry i: tcp 10.0.(i/250).(i%250+1):(10000+i) ->
 * 10.255.0.1:(80+i%4), ESTABLISHED, mark i%3, zone 7 if i%5==0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/table.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"

static void gen(unsigned int i, struct ct_entry *e)
{
	struct ct_tuple *o = &e->orig, *r = &e->reply;
	char a[32];

	memset(e, 0, sizeof(*e));
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_TIMEOUT | CT_TCP | CT_MARK | CT_STATUS;
	snprintf(a, sizeof(a), "10.0.%u.%u", i / 250, i % 250 + 1);
	o->set = r->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
			  CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	o->l3 = r->l3 = AF_INET;
	o->l4 = r->l4 = IPPROTO_TCP;
	inet_pton(AF_INET, a, &o->src);
	inet_pton(AF_INET, "10.255.0.1", &o->dst);
	o->sport = (uint16_t)(10000 + i);
	o->dport = (uint16_t)(80 + i % 4);
	r->src = o->dst;
	r->dst = o->src;
	r->sport = o->dport;
	r->dport = o->sport;
	e->timeout = 300;
	e->tcp.state = 3;	/* ESTABLISHED */
	e->mark = i % 3;
	e->status = IPS_SEEN_REPLY | IPS_ASSURED;
	if (i % 5 == 0) {
		e->zone = 7;
		e->set |= CT_ZONE;
	}
}

static void report(const char *what, int rc, const struct nl_ack *ack)
{
	fprintf(stderr, "cttool: %s: %s%s%s\n", what, strerror(-rc),
		ack && ack->ext_msg[0] ? ": " : "", ack ? ack->ext_msg : "");
}

static void batch_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	(void)arg;
	fprintf(stderr, "cttool: request %u: %s %s\n", index,
		strerror(ack->error), ack->ext_msg);
}

static int cmd_create(struct nl_sock *s, unsigned int n)
{
	static _Alignas(4) unsigned char buf[CT_BATCH_BUF];
	struct ct_batch b;
	struct ct_entry e;
	int rc;

	ct_batch_init(&b, s, buf, sizeof(buf), batch_err, NULL);
	for (unsigned int i = 0; i < n; i++) {
		gen(i, &e);
		rc = ct_batch_create(&b, &e, NLM_F_CREATE | NLM_F_EXCL);
		if (rc < 0)
			return report("queue", rc, NULL), 1;
	}
	rc = ct_batch_flush(&b);
	if (rc < 0)
		return report("flush", rc, NULL), 1;
	printf("queued=%u failed=%u vanished=%u\n", ct_batch_count(&b),
	       b.failed, b.vanished);
	return 0;
}

static int cmd_delete(struct nl_sock *s, unsigned int from, unsigned int to,
		      unsigned int step)
{
	static _Alignas(4) unsigned char buf[CT_BATCH_BUF];
	struct ct_batch b;
	struct ct_entry e;
	int rc;

	ct_batch_init(&b, s, buf, sizeof(buf), batch_err, NULL);
	for (unsigned int i = from; i < to; i += step ? step : 1) {
		gen(i, &e);
		e.set &= CT_ORIG | CT_ZONE;
		rc = ct_batch_delete(&b, &e);
		if (rc < 0)
			return report("queue", rc, NULL), 1;
	}
	rc = ct_batch_flush(&b);
	if (rc < 0)
		return report("flush", rc, NULL), 1;
	printf("queued=%u failed=%u vanished=%u\n", ct_batch_count(&b),
	       b.failed, b.vanished);
	return 0;
}

static int parse_masked(const char *s, uint32_t *v, uint32_t *mask)
{
	char *end;

	*v = (uint32_t)strtoul(s, &end, 0);
	*mask = UINT32_MAX;
	if (*end == '/')
		*mask = (uint32_t)strtoul(end + 1, &end, 0);
	return *end ? -1 : 0;
}

/* Filter options into @f; returns the index after them or -1. */
static int parse_filter(int argc, char **argv, int i, struct ct_kfilter *f)
{
	for (; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];

		if (!strcmp(o, "--family")) {
			f->family = atoi(v) == 6 ? AF_INET6 : AF_INET;
		} else if (!strcmp(o, "--proto")) {
			f->orig.l4 = (uint8_t)atoi(v);
			f->orig.set |= CT_TUPLE_PROTO;
		} else if (!strcmp(o, "--dport")) {
			f->orig.dport = (uint16_t)atoi(v);
			f->orig.set |= CT_TUPLE_DPORT;
		} else if (!strcmp(o, "--sport")) {
			f->orig.sport = (uint16_t)atoi(v);
			f->orig.set |= CT_TUPLE_SPORT;
		} else if (!strcmp(o, "--reply-dport")) {
			f->reply.dport = (uint16_t)atoi(v);
			f->reply.set |= CT_TUPLE_DPORT | CT_TUPLE_PROTO;
			f->reply.l4 = IPPROTO_TCP;
		} else if (!strcmp(o, "--src")) {
			f->orig.l3 = strchr(v, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(f->orig.l3, v, &f->orig.src) != 1)
				return -1;
			f->orig.set |= CT_TUPLE_SRC;
		} else if (!strcmp(o, "--mark")) {
			if (parse_masked(v, &f->mark, &f->mark_mask))
				return -1;
			f->set |= CT_KF_MARK;
		} else if (!strcmp(o, "--status")) {
			if (parse_masked(v, &f->status, &f->status_mask))
				return -1;
			f->set |= CT_KF_STATUS;
		} else if (!strcmp(o, "--zone")) {
			f->zone = (uint16_t)atoi(v);
			f->set |= CT_KF_ZONE;
		} else {
			return -1;
		}
	}
	return i;
}

static int print_show(const struct ct_entry *e, const struct nlmsghdr *nlh,
		      void *arg)
{
	(void)nlh;
	(void)arg;
	printf("proto=%u sport=%u dport=%u", e->orig.l4, e->orig.sport,
	       e->orig.dport);
	if (e->set & CT_TCP_WSCALE)
		printf(" wscale=%u,%u", e->tcp.wscale[0], e->tcp.wscale[1]);
	else
		printf(" wscale=-");
	if (e->set & CT_TCP_FLAGS)
		printf(" flags=0x%02x,0x%02x", e->tcp.flags[0],
		       e->tcp.flags[1]);
	else
		printf(" flags=-");
	if (e->set & (CT_SEQADJ_ORIG | CT_SEQADJ_REPLY))
		printf(" seqadj=%u,%u,%u,%u,%u,%u",
		       e->seqadj[0].correction_pos, e->seqadj[0].offset_before,
		       e->seqadj[0].offset_after, e->seqadj[1].correction_pos,
		       e->seqadj[1].offset_before, e->seqadj[1].offset_after);
	else
		printf(" seqadj=-");
	printf(" labels=");
	for (unsigned int i = 0; i < e->labels_len; i++)
		printf("%02x", e->labels[i]);
	printf("%s\n", e->labels_len ? "" : "-");
	return 0;
}

/* dump, or with @show each flow's protoinfo and labels */
static int cmd_dump(struct nl_sock *s, struct ct_kfilter *f, int zero,
		    int show)
{
	struct ct_dump d = { .filter = f, .kfilter = CT_KFILTER_UNKNOWN,
			     .retries = 3, .zero = (uint8_t)zero,
			     .cb = show ? print_show : NULL };
	struct nl_ack ack;
	int rc;

	rc = ct_table_dump(s, &d, &ack);
	if (rc < 0)
		return report("dump", rc, &ack), 1;
	if (!show)
		printf("seen=%llu matched=%llu kernel=%d kfilter=%d\n",
		       (unsigned long long)d.seen,
		       (unsigned long long)d.matched, d.kernel_filtered,
		       d.kfilter);
	return 0;
}

static int print_entry(const struct ct_entry *e, const struct nlmsghdr *nlh,
		       void *arg)
{
	(void)nlh;
	(void)arg;
	printf("found mark=%u zone=%u id=%u\n", e->mark, e->zone, e->id);
	return 0;
}

static int cmd_get(struct nl_sock *s, unsigned int i)
{
	struct nl_ack ack;
	struct ct_entry e;
	int rc;

	gen(i, &e);
	e.set &= CT_ORIG | CT_ZONE;
	rc = ct_table_get(s, &e, print_entry, NULL, &ack);
	if (rc == -ENOENT)
		return printf("absent\n"), 2;
	if (rc < 0)
		return report("get", rc, &ack), 1;
	/* also the single-request paths: update the mark, read it back */
	gen(i, &e);
	e.set = CT_ORIG | CT_MARK | (e.set & CT_ZONE);
	e.mark = 4242;
	rc = ct_table_create(s, &e, 0, &ack);
	if (rc < 0)
		return report("update", rc, &ack), 1;
	e.set &= CT_ORIG | CT_ZONE;
	rc = ct_table_get(s, &e, print_entry, NULL, &ack);
	return rc < 0 ? (report("get", rc, &ack), 1) : 0;
}

static int print_stats(const struct ct_stats_cpu *st, void *arg)
{
	unsigned int *n = arg;

	(*n)++;
	if (!(st->present & (1U << CTA_STATS_FOUND)))
		return -EBADMSG;
	return 0;
}

static int cmd_misc(struct nl_sock *s, const char *cmd)
{
	struct nl_ack ack;
	uint32_t count, max;
	unsigned int cpus = 0;
	int rc;

	if (!strcmp(cmd, "count")) {
		rc = ct_table_count(s, &count, &max, &ack);
		if (rc < 0)
			return report("count", rc, &ack), 1;
		printf("%u\n", count);
	} else if (!strcmp(cmd, "stats")) {
		rc = ct_table_stats(s, print_stats, &cpus, &ack);
		if (rc < 0)
			return report("stats", rc, &ack), 1;
		printf("cpus=%u\n", cpus);
	} else {
		rc = ct_table_probe_filter(s);
		if (rc < 0)
			return report("probe", rc, NULL), 1;
		printf("%s\n", rc == CT_KFILTER_YES ? "yes" : "no");
	}
	return 0;
}

static int cmd_flush(struct nl_sock *s, struct ct_kfilter *f, int filtered)
{
	struct nl_ack ack;
	int rc;

	rc = ct_table_flush(s, filtered ? f : NULL, &ack);
	if (rc < 0)
		return report("flush", rc, &ack), 1;
	return 0;
}


/* A tuple pair from text; the reply is the inverse unless given. */
static void tuple(struct ct_tuple *t, uint8_t l3, uint8_t l4,
		  const char *src, const char *dst, uint16_t sp, uint16_t dp)
{
	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->l4 = l4;
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	inet_pton(l3, src, &t->src);
	inet_pton(l3, dst, &t->dst);
	t->sport = sp;
	t->dport = dp;
	if (sp || dp)
		t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
}

static void icmp(struct ct_tuple *t, uint8_t type, uint8_t code,
		 uint16_t id)
{
	t->set |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID;
	t->icmp_type = type;
	t->icmp_code = code;
	t->icmp_id = id;
}

static int fixture(struct nl_sock *s, struct ct_entry *e, const char *what)
{
	struct nl_ack ack;
	int rc;

	e->set |= CT_ORIG | CT_REPLY | CT_TIMEOUT;
	if (!e->timeout)
		e->timeout = 600;
	if (!e->family)
		e->family = e->orig.l3;
	rc = ct_table_create(s, e, NLM_F_CREATE | NLM_F_EXCL, &ack);
	if (rc < 0) {
		report(what, rc, &ack);
		return 1;
	}
	return 0;
}

/*
 * The entries behind tests/data/ct_dump.hex (decoded and asserted by
 * tests/unit/check_ct_codec.c): every l4 kind, both families, zones,
 * marks, NAT, protocol state.
 */
static int cttool_fixtures(struct nl_sock *s)
{
	struct ct_entry e;
	int bad = 0;

	/* tcp v4, zone 3, mark 0x11, ESTABLISHED with wscale and flags */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET, IPPROTO_TCP, "192.0.2.1", "198.51.100.2",
	      40000, 443);
	tuple(&e.reply, AF_INET, IPPROTO_TCP, "198.51.100.2", "192.0.2.1",
	      443, 40000);
	e.set = CT_ZONE | CT_MARK | CT_TCP | CT_TCP_FLAGS | CT_STATUS;
	e.zone = 3;
	e.mark = 0x11;
	e.status = IPS_SEEN_REPLY | IPS_ASSURED;
	e.tcp.state = 3;
	e.tcp.flags[0] = e.tcp.mask[0] = CT_TCP_FLAG_SACK_PERM;
	e.tcp.flags[1] = e.tcp.mask[1] = CT_TCP_FLAG_SACK_PERM;
	bad |= fixture(s, &e, "tcp4");

	/* udp v4 with DNAT to 10.9.9.9:5353 (the reply tuple says so) */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET, IPPROTO_UDP, "192.0.2.10", "203.0.113.53",
	      5000, 53);
	tuple(&e.reply, AF_INET, IPPROTO_UDP, "10.9.9.9", "192.0.2.10",
	      5353, 5000);
	e.set = CT_DNAT | CT_MARK;
	e.mark = 0x22;
	inet_pton(AF_INET, "10.9.9.9", &e.dnat.min_ip);
	e.dnat.max_ip = e.dnat.min_ip;
	e.dnat.min_port = e.dnat.max_port = 5353;
	e.dnat.has_port = 1;
	bad |= fixture(s, &e, "udp4 dnat");

	/* icmp v4 echo */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET, IPPROTO_ICMP, "192.0.2.20", "192.0.2.21", 0, 0);
	tuple(&e.reply, AF_INET, IPPROTO_ICMP, "192.0.2.21", "192.0.2.20", 0, 0);
	icmp(&e.orig, 8, 0, 1234);
	icmp(&e.reply, 0, 0, 1234);
	e.timeout = 30;
	bad |= fixture(s, &e, "icmp");

	/* icmpv6 echo, orig-direction zone 9 */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET6, IPPROTO_ICMPV6, "2001:db8::1", "2001:db8::2",
	      0, 0);
	tuple(&e.reply, AF_INET6, IPPROTO_ICMPV6, "2001:db8::2",
	      "2001:db8::1", 0, 0);
	icmp(&e.orig, 128, 0, 77);
	icmp(&e.reply, 129, 0, 77);
	e.orig.set |= CT_TUPLE_ZONE;
	e.orig.zone = 9;
	bad |= fixture(s, &e, "icmpv6");

	/* sctp v4 ESTABLISHED with vtags */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET, IPPROTO_SCTP, "192.0.2.30", "192.0.2.31",
	      3868, 3868);
	tuple(&e.reply, AF_INET, IPPROTO_SCTP, "192.0.2.31", "192.0.2.30",
	      3868, 3868);
	e.set = CT_SCTP | CT_SCTP_VTAGS;
	e.sctp.state = 4;
	e.sctp.vtag[0] = 0x11223344;
	e.sctp.vtag[1] = 0x55667788;
	bad |= fixture(s, &e, "sctp");

	/* gre v4 with keys */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET, 47, "192.0.2.40", "192.0.2.41", 0x100, 0x200);
	tuple(&e.reply, AF_INET, 47, "192.0.2.41", "192.0.2.40", 0x200, 0x100);
	bad |= fixture(s, &e, "gre");

	/* an unknown protocol over v6, mark 0xffffffff */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET6, 253, "2001:db8::10", "2001:db8::20", 0, 0);
	tuple(&e.reply, AF_INET6, 253, "2001:db8::20", "2001:db8::10", 0, 0);
	e.set = CT_MARK;
	e.mark = UINT32_MAX;
	bad |= fixture(s, &e, "unknown6");

	/* tcp v6 SYN_SENT with SNAT to 2001:db8:ffff::1 port 61000-61010 */
	memset(&e, 0, sizeof(e));
	tuple(&e.orig, AF_INET6, IPPROTO_TCP, "2001:db8:1::1",
	      "2001:db8:2::2", 33000, 22);
	tuple(&e.reply, AF_INET6, IPPROTO_TCP, "2001:db8:2::2",
	      "2001:db8:ffff::1", 22, 61000);
	e.set = CT_TCP | CT_SNAT;
	e.tcp.state = 1;
	inet_pton(AF_INET6, "2001:db8:ffff::1", &e.snat.min_ip);
	e.snat.max_ip = e.snat.min_ip;
	e.snat.min_port = 61000;
	e.snat.max_port = 61000;
	e.snat.has_port = 1;
	bad |= fixture(s, &e, "tcp6 snat");
	return bad;
}

static int parse_seqadj(const char *s, struct ct_seqadj *a)
{
	char end;

	return sscanf(s, "%u,%u,%u%c", &a->correction_pos, &a->offset_before,
		      &a->offset_after, &end) == 3 ? 0 : -1;
}

/* natseq: a DNAT'd ftp control flow whose sequence numbers a helper
 * would have adjusted, given in two "pos,before,after" arguments */
static int cmd_natseq(struct nl_sock *s, const char *orig, const char *repl)
{
	struct ct_entry e;

	memset(&e, 0, sizeof(e));
	if (parse_seqadj(orig, &e.seqadj[0]) < 0 ||
	    parse_seqadj(repl, &e.seqadj[1]) < 0)
		return 64;
	tuple(&e.orig, AF_INET, IPPROTO_TCP, "10.61.0.1", "10.2.2.2",
	      40000, 21);
	tuple(&e.reply, AF_INET, IPPROTO_TCP, "10.9.9.9", "10.61.0.1",
	      2121, 40000);
	e.set = CT_DNAT | CT_TCP | CT_STATUS | CT_SEQADJ_ORIG |
		CT_SEQADJ_REPLY;
	e.status = IPS_SEEN_REPLY | IPS_ASSURED;
	e.tcp.state = 3;
	inet_pton(AF_INET, "10.9.9.9", &e.dnat.min_ip);
	e.dnat.max_ip = e.dnat.min_ip;
	e.dnat.min_port = e.dnat.max_port = 2121;
	e.dnat.has_port = 1;
	return fixture(s, &e, "natseq");
}

static int cmd_capture(struct nl_sock *s)
{
	_Alignas(4) unsigned char buf[64];
	struct nl_msg m;
	const void *data;
	ssize_t n;
	int rc, done = 0;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			       NLM_F_DUMP, nl_sock_seq_next(s), 0);
	if (rc < 0)
		return 1;
	nl_msg_end(&m);
	if (nl_sock_send(s, m.buf, m.len) < 0)
		return 1;
	while (!done) {
		n = nl_sock_recv(s, &data);
		if (n < 0)
			return report("recv", (int)n, NULL), 1;
		for (ssize_t k = 0; k < n; k++)
			printf("%02x", ((const unsigned char *)data)[k]);
		printf("\n");
		/* a dump ends with NLMSG_DONE (or an error) */
		for (size_t off = 0; off + NLMSG_HDRLEN <= (size_t)n;) {
			struct nlmsghdr h;

			memcpy(&h, (const unsigned char *)data + off,
			       sizeof(h));
			if (h.nlmsg_type == NLMSG_DONE ||
			    h.nlmsg_type == NLMSG_ERROR)
				done = 1;
			if (h.nlmsg_len < NLMSG_HDRLEN)
				break;
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ct_kfilter f = { 0 };
	struct nl_sock *s = NULL;
	const char *cmd;
	int rc = 64, i;

	if (argc < 2)
		goto usage;
	cmd = argv[1];
	rc = nl_sock_open(&s, NULL);
	if (rc < 0) {
		report("socket", rc, NULL);
		return 1;
	}
	if (!strcmp(cmd, "create") && argc == 3)
		rc = cmd_create(s, (unsigned int)atoi(argv[2]));
	else if (!strcmp(cmd, "delete") && argc == 5)
		rc = cmd_delete(s, (unsigned int)atoi(argv[2]),
				(unsigned int)atoi(argv[3]),
				(unsigned int)atoi(argv[4]));
	else if ((!strcmp(cmd, "dump") || !strcmp(cmd, "dumpz") ||
		  !strcmp(cmd, "show")) &&
		 (i = parse_filter(argc, argv, 2, &f)) == argc)
		rc = cmd_dump(s, &f, cmd[4] == 'z', cmd[0] == 's');
	else if (!strcmp(cmd, "flush") &&
		 (i = parse_filter(argc, argv, 2, &f)) == argc)
		rc = cmd_flush(s, &f, argc > 2);
	else if (!strcmp(cmd, "get") && argc == 3)
		rc = cmd_get(s, (unsigned int)atoi(argv[2]));
	else if ((!strcmp(cmd, "count") || !strcmp(cmd, "stats") ||
		  !strcmp(cmd, "probe")) && argc == 2)
		rc = cmd_misc(s, cmd);
	else if (!strcmp(cmd, "fixtures") && argc == 2)
		rc = cttool_fixtures(s);
	else if (!strcmp(cmd, "capture") && argc == 2)
		rc = cmd_capture(s);
	else if (!strcmp(cmd, "natseq") && argc == 4)
		rc = cmd_natseq(s, argv[2], argv[3]);
	else
		rc = 64;
	nl_sock_close(s);
	if (rc != 64)
		return rc;
usage:
	fprintf(stderr, "usage: cttool create N | delete FROM TO STEP | "
		"dump [filter] | get I | flush [filter] | count | stats | "
		"probe | fixtures | capture | show [filter] | "
		"natseq P,B,A P,B,A\n");
	return 64;
}
