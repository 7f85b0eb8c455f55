// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the conntrack message decoder ct_entry_decode(), the
 * encoder that writes entries back (ct/encode.h) and every printer of
 * ct/format.h. Input layout:
 *
 *   byte 0: bits 0..4 the CT_FMT_* flags of the size sweep, bits 5..6 the
 *           event (none, new, update, destroy), bit 7 print with a label
 *           map (a fixed in-memory one)
 *   byte 1..: one netlink message (nlmsghdr, nfgenmsg, CTA_* attributes);
 *           its nlmsg_len is replaced by the input length, as
 *           nl_reply_parse() would have checked it against the datagram
 *
 * Properties, each an abort() when violated:
 *  - decoding is deterministic and decides the same with err NULL; a
 *    refusal returns a documented errno with err.msg set and err.offset
 *    inside the attribute stream (or 0 for the header checks);
 *  - decode -> ct_entry_put_new -> decode keeps every field the encoder
 *    carries (the comparable subset, see same_carried()), and encoding
 *    the re-decoded entry gives the same bytes (a fixed point);
 *  - ct_tuple_put -> ct_tuple_decode and ct_entry_put_key -> decode give
 *    the tuples, zone and id back;
 *  - an encode that does not fit returns -EMSGSIZE and leaves the message
 *    byte for byte as it was (no partial entry);
 *  - every printer honours the buffer contract over many buffer sizes
 *    (fuzz/fmt_check.c), the default line under all 32 flag sets, JSON
 *    output is valid JSON and XML output is balanced;
 *  - a "-A" save line of a complete entry parses back as a command line
 *    (check_save_parses()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cmd/ct_args.h"
#include "cmd/ct_lex.h"
#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/format.h"
#include "ct/labels.h"
#include "ct/proto.h"
#include "fuzz/fmt_check.h"
#include "nl/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define NOW 1700000000	/* a fixed "now": output must not depend on time */
#define MSG_CAP 65536

/* What ct_entry_put_new() writes (the rest it never sends: secmark, id,
 * use, counters, timestamps, secctx, status mask). */
#define CARRIED (CT_ORIG | CT_REPLY | CT_MASTER | CT_STATUS | CT_TIMEOUT | \
	CT_MARK | CT_MARK_MASK | CT_ZONE | CT_TCP | CT_TCP_FLAGS | \
	CT_TCP_WSCALE | CT_SCTP | CT_SCTP_VTAGS | CT_DCCP | CT_DCCP_HSEQ | \
	CT_HELPER | CT_SNAT | CT_DNAT | CT_LABELS | CT_LABELS_MASK | \
	CT_SEQADJ_ORIG | CT_SEQADJ_REPLY | CT_SYNPROXY)

static const char labelmap_text[] =
	"0 zero\n1 one\n2 two words\n5 five\n31 w0-last\n32 w1-first\n"
	"64 sixty-four\n100 hundred\n127 last\n";

static const struct ct_labelmap *labelmap(void)
{
	static struct ct_labelmap *map;

	if (!map)
		CHECK(ct_labelmap_parse(&map, labelmap_text,
					sizeof(labelmap_text) - 1, 0,
					NULL) == 0);
	return map;
}

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : l3 == AF_INET6 ? 16 : 0;
}

/* ---- encode -> decode ------------------------------------------------ */

static uint8_t nat_family(const struct ct_entry *e)
{
	return e->family ? e->family : e->orig.l3;
}

/* A NEW message for @e in @m (@buf of @cap bytes); returns put_new's rc. */
static int encode_new(struct nl_msg *m, void *buf, size_t cap,
		      const struct ct_entry *e)
{
	int rc;

	nl_msg_init(m, buf, cap);
	rc = nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, 0,
			       1, e->family);
	if (rc < 0)
		return rc;
	rc = ct_entry_put_new(m, e);
	nl_msg_end(m);
	return rc;
}

static void same_nat(const struct ct_nat *a, const struct ct_nat *b,
		     uint8_t l3)
{
	size_t n = addr_len(l3);

	CHECK(!memcmp(&a->min_ip, &b->min_ip, n));
	CHECK(!memcmp(&a->max_ip, &b->max_ip, n));
	CHECK(a->has_port == b->has_port);
	if (a->has_port)
		CHECK(a->min_port == b->min_port && a->max_port == b->max_port);
}

/*
 * @b is @a encoded and decoded again. The comparable subset: presence
 * bits within CARRIED; tuples whole (both come from the same decoder,
 * zeroed, and keep the message family as l3 when they carry no address);
 * status with IPS_CONFIRMED added (the encoder always sends it); the dccp
 * role only next to a dccp state (the encoder writes it only then); NAT
 * addresses in the length of the NAT family (e->family, else the orig
 * l3: a v6 address in a v4 entry goes out as its first 4 bytes); the
 * helper by content. Everything else must be zero in @b.
 */
static void same_carried(const struct ct_entry *a, const struct ct_entry *b)
{
	uint64_t set = a->set & CARRIED;

	CHECK(b->set == set && b->family == a->family);
	if (set & CT_ORIG)
		CHECK(!memcmp(&a->orig, &b->orig, sizeof(a->orig)));
	if (set & CT_REPLY)
		CHECK(!memcmp(&a->reply, &b->reply, sizeof(a->reply)));
	if (set & CT_MASTER)
		CHECK(!memcmp(&a->master, &b->master, sizeof(a->master)));
	if (set & CT_STATUS)
		CHECK(b->status == (a->status | IPS_CONFIRMED));
	if (set & CT_TIMEOUT)
		CHECK(b->timeout == a->timeout);
	if (set & CT_MARK)
		CHECK(b->mark == a->mark);
	if (set & CT_MARK_MASK)
		CHECK(b->mark_mask == a->mark_mask);
	if (set & CT_ZONE)
		CHECK(b->zone == a->zone);
	if (set & CT_TCP)
		CHECK(b->tcp.state == a->tcp.state);
	if (set & CT_TCP_WSCALE)
		CHECK(!memcmp(b->tcp.wscale, a->tcp.wscale, 2));
	if (set & CT_TCP_FLAGS)
		CHECK(!memcmp(b->tcp.flags, a->tcp.flags, 2) &&
		      !memcmp(b->tcp.mask, a->tcp.mask, 2));
	if (set & CT_SCTP)
		CHECK(b->sctp.state == a->sctp.state);
	if (set & CT_SCTP_VTAGS)
		CHECK(b->sctp.vtag[0] == a->sctp.vtag[0] &&
		      b->sctp.vtag[1] == a->sctp.vtag[1]);
	if (set & CT_DCCP)
		CHECK(b->dccp.state == a->dccp.state &&
		      b->dccp.role == a->dccp.role);
	else
		CHECK(b->dccp.state == 0 && b->dccp.role == 0);
	if (set & CT_DCCP_HSEQ)
		CHECK(b->dccp.handshake_seq == a->dccp.handshake_seq);
	if (set & CT_HELPER)
		CHECK(!strcmp(a->helper, b->helper));
	else
		CHECK(b->helper == NULL);
	if (set & CT_SNAT)
		same_nat(&a->snat, &b->snat, nat_family(a));
	if (set & CT_DNAT)
		same_nat(&a->dnat, &b->dnat, nat_family(a));
	if (set & CT_LABELS)
		CHECK(b->labels_len == a->labels_len &&
		      !memcmp(b->labels, a->labels, a->labels_len));
	if (set & CT_LABELS_MASK)
		CHECK(b->labels_mask_len == a->labels_mask_len &&
		      !memcmp(b->labels_mask, a->labels_mask,
			      a->labels_mask_len));
	for (int d = 0; d < 2; d++)
		if (set & (d ? CT_SEQADJ_REPLY : CT_SEQADJ_ORIG))
			CHECK(!memcmp(&b->seqadj[d], &a->seqadj[d],
				      sizeof(a->seqadj[d])));
	if (set & CT_SYNPROXY)
		CHECK(b->synproxy.isn == a->synproxy.isn &&
		      b->synproxy.its == a->synproxy.its &&
		      b->synproxy.tsoff == a->synproxy.tsoff);
	/* never encoded, so never decoded back */
	CHECK(!b->secmark && !b->id && !b->use && !b->secctx && !b->ts_start &&
	      !b->ts_stop && !b->ts_event && !b->status_mask);
	CHECK(!b->counters[0].packets && !b->counters[0].bytes &&
	      !b->counters[1].packets && !b->counters[1].bytes);
}

/* A message too small for @e: -EMSGSIZE and nothing changed. */
static void check_rollback(const struct ct_entry *e, size_t full)
{
	static uint32_t buf[MSG_CAP / 4];
	static unsigned char snap[MSG_CAP];
	const size_t hdr = NLMSG_HDRLEN + 4;
	size_t cuts[] = { 1, 4, 8, 13, 40, 100 };
	struct nl_msg m;
	size_t before;

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t cap;

		if (cuts[i] > full - hdr)
			break;
		cap = (full - cuts[i] + 3) & ~(size_t)3;
		if (cap >= full)
			continue;
		memset(buf, 0x5a, cap);
		nl_msg_init(&m, buf, cap);
		CHECK(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					IPCTNL_MSG_CT_NEW, 0, 1,
					e->family) == 0);
		before = m.len;
		memcpy(snap, buf, before);
		CHECK(ct_entry_put_new(&m, e) == -EMSGSIZE);
		CHECK(m.len == before && !memcmp(snap, buf, before));
	}
}

static void check_tuple_put(const struct ct_tuple *t, uint8_t family)
{
	static uint32_t buf[1024];
	struct nl_msg m;
	struct ct_tuple back;
	struct nl_attr_err err;
	const struct nlattr *nest;

	nl_msg_init(&m, buf, sizeof(buf));
	CHECK(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW,
				0, 1, family) == 0);
	CHECK(ct_tuple_put(&m, CTA_TUPLE_ORIG, t) == 0);
	nest = (const struct nlattr *)(const void *)
	       ((const unsigned char *)buf + NLMSG_HDRLEN + 4);
	CHECK(ct_tuple_decode(nest, family, &back, &err) == 0);
	CHECK(!memcmp(&back, t, sizeof(back)));
}

static void check_key(const struct ct_entry *e)
{
	static uint32_t buf[1024];
	struct ct_entry back;
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	CHECK(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW,
				0, 1, e->family) == 0);
	if (!(e->set & (CT_ORIG | CT_REPLY))) {
		CHECK(ct_entry_put_key(&m, e) == -EINVAL);
		return;
	}
	CHECK(ct_entry_put_key(&m, e) == 0);
	nl_msg_end(&m);
	CHECK(ct_entry_decode(nl_msg_hdr(&m), &back, NULL) == 0);
	/* the orig tuple unless only the reply one is complete or set */
	if ((e->set & CT_ORIG) &&
	    (ct_proto_tuple_complete(&e->orig) || !(e->set & CT_REPLY) ||
	     !ct_proto_tuple_complete(&e->reply))) {
		CHECK((back.set & (CT_ORIG | CT_REPLY)) == CT_ORIG);
		CHECK(!memcmp(&back.orig, &e->orig, sizeof(e->orig)));
	} else {
		CHECK((back.set & (CT_ORIG | CT_REPLY)) == CT_REPLY);
		CHECK(!memcmp(&back.reply, &e->reply, sizeof(e->reply)));
	}
	CHECK(!!(back.set & CT_ZONE) == !!(e->set & CT_ZONE));
	CHECK(!(e->set & CT_ZONE) || back.zone == e->zone);
	CHECK(!!(back.set & CT_ID) == !!(e->set & CT_ID));
	CHECK(!(e->set & CT_ID) || back.id == e->id);
}

static void check_roundtrip(const struct ct_entry *e)
{
	static uint32_t b1[MSG_CAP / 4], b2[MSG_CAP / 4];
	struct nl_msg m1, m2;
	struct ct_entry back;
	struct nl_attr_err err;
	int rc;

	rc = encode_new(&m1, b1, sizeof(b1), e);
	if (rc == -EINVAL) {
		/* only a NAT range of an entry with no usable family */
		CHECK((e->set & (CT_SNAT | CT_DNAT)) &&
		      !addr_len(nat_family(e)));
		CHECK(m1.len == NLMSG_HDRLEN + 4);
		return;
	}
	CHECK(rc == 0);
	CHECK(ct_entry_decode(nl_msg_hdr(&m1), &back, &err) == 0);
	same_carried(e, &back);
	/* the re-decoded entry encodes to the same bytes */
	CHECK(encode_new(&m2, b2, sizeof(b2), &back) == 0);
	CHECK(m1.len == m2.len && !memcmp(b1, b2, m1.len));
	check_rollback(e, m1.len);
	for (int i = 0; i < 3; i++) {
		static const uint64_t bit[3] = { CT_ORIG, CT_REPLY, CT_MASTER };
		const struct ct_tuple *t = i == 0 ? &e->orig :
					   i == 1 ? &e->reply : &e->master;

		if (e->set & bit[i])
			check_tuple_put(t, e->family);
	}
	check_key(e);
}

/* ---- printing -------------------------------------------------------- */

static const struct ct_labelmap *map_cb(void *ctx, char *notice, size_t len)
{
	return labelmap();
}

/* A tuple that names one connection: addresses, protocol and the l4
 * identity its protocol has (what -A requires). */
static int complete(const struct ct_tuple *t)
{
	return ct_proto_tuple_complete(t);
}

/*
 * A "-A ..." save line is a command line (spec: save round-trips through
 * -R): when the entry has a timeout, complete tuples and (tcp) a state,
 * the line tokenizes, parses as -A and gives the timeout and orig
 * addresses back. (Entries without them print lines upstream cannot load
 * either, and so does CT_FMT_SAVE_COMPAT with a secmark: "-c N".)
 */
static void check_save_parses(const struct ct_entry *e, const char *text,
			      unsigned int flags)
{
	static struct ct_lex lx;
	static struct ct_args args;
	struct ct_args_env env = { map_cb, NULL };
	struct ct_args_err aerr;
	const char *lerr;
	size_t n = addr_len(e->orig.l3);

	/* -A -p tcp needs --state; sctp and dccp have more required
	 * options, not modelled here */
	if (e->orig.l4 == IPPROTO_TCP && !(e->set & CT_TCP))
		return;
	if (e->orig.l4 == IPPROTO_SCTP || e->orig.l4 == IPPROTO_DCCP)
		return;
	/* exactly upstream's line: "-c SECMARK", which no command -R runs
	 * accepts (ct/format.h) */
	if ((flags & CT_FMT_SAVE_COMPAT) && (e->set & CT_SECMARK))
		return;
	if (!(e->set & CT_TIMEOUT) || !(e->set & CT_ORIG) ||
	    !complete(&e->orig) ||
	    ((e->set & CT_REPLY) && !complete(&e->reply)))
		return;
	CHECK(ct_lex_line(&lx, "conntrack", text, strlen(text), &lerr) == 0);
	if (ct_args_parse(lx.argc, lx.argv, &env, &args, &aerr) < 0) {
		fprintf(stderr, "save line: %s\nrefused: %s\n", text, aerr.msg);
		abort();
	}
	CHECK(args.cmd == CT_CMD_ADD && args.tmpl.timeout == e->timeout);
	CHECK(!memcmp(&args.tmpl.orig.src, &e->orig.src, n) &&
	      !memcmp(&args.tmpl.orig.dst, &e->orig.dst, n));
}

struct fmt_arg {
	const struct ct_entry *e;
	const struct ct_fmt_opts *o;
	int which;
	const struct ct_tuple *t;
	enum ct_fmt_piece piece;
	int64_t sec;
	long usec;
	const struct ct_stats_cpu *st;
};

enum { F_DEFAULT, F_XML, F_SAVE, F_JSON, F_PIECE, F_TS, F_WHEN, F_STATS };

static int fmt(char *buf, size_t len, const void *arg)
{
	const struct fmt_arg *a = arg;

	switch (a->which) {
	case F_DEFAULT: return ct_format_default(buf, len, a->e, a->o);
	case F_XML: return ct_format_xml(buf, len, a->e, a->o);
	case F_SAVE: return ct_format_save(buf, len, a->e, a->o);
	case F_JSON: return ct_format_json(buf, len, a->e, a->o);
	case F_PIECE:
		return ct_format_tuple_piece(buf, len, a->t, a->piece, "p-");
	case F_TS:
		return ct_format_ts_prefix(buf, len, (enum ct_ts_style)a->piece,
					   a->sec, a->usec);
	case F_WHEN: return ct_format_xml_when(buf, len, a->sec);
	case F_STATS:
		return ct_format_stats(buf, len, a->st,
				       (enum ct_stats_kind)a->piece);
	default: abort();
	}
}

static int run(struct fmt_arg *a, int which, char *out, size_t cap)
{
	a->which = which;
	return fmt_check_run(fmt, a, out, cap);
}

static void check_print(const struct ct_entry *e, uint8_t ctl)
{
	static char text[FMT_CHECK_MAX];
	struct ct_fmt_opts o = { .now = NOW };
	struct fmt_arg a = { .e = e, .o = &o };
	struct ct_stats_cpu st;
	int rc;

	o.flags = ctl & 0x1f;
	o.event = (enum ct_fmt_event)(ctl >> 5 & 3);
	o.labels = (ctl & 0x80) ? labelmap() : NULL;

	CHECK(run(&a, F_DEFAULT, text, sizeof(text)) >= 0);
	CHECK(run(&a, F_XML, text, sizeof(text)) >= 0);
	CHECK(fmt_check_xml(text));
	rc = run(&a, F_SAVE, text, sizeof(text));
	CHECK(rc >= 0 || rc == -EAFNOSUPPORT);
	if (rc == -EAFNOSUPPORT)
		CHECK(e->orig.l3 != AF_INET && e->orig.l3 != AF_INET6);
	if (rc >= 0 && o.event == CT_FMT_EV_NEW)
		check_save_parses(e, text, o.flags);
	CHECK(run(&a, F_JSON, text, sizeof(text)) >= 0);
	CHECK(fmt_check_json(text));
	CHECK(text[0] == '{');

	/* the default line under every flag set, full buffer only */
	for (unsigned int f = 0; f < 32; f++) {
		struct ct_fmt_opts of = o;

		of.flags = f;
		rc = ct_format_default(text, sizeof(text), e, &of);
		CHECK(rc >= 0 && (size_t)rc == strlen(text));
	}

	/* the tuple pieces */
	for (int i = 0; i < 3; i++) {
		a.t = i == 0 ? &e->orig : i == 1 ? &e->reply : &e->master;
		for (int p = CT_FMT_PIECE_ADDRS; p <= CT_FMT_PIECE_JSON_PROTO;
		     p++) {
			a.piece = (enum ct_fmt_piece)p;
			CHECK(run(&a, F_PIECE, text, sizeof(text)) >= 0);
			if (p >= CT_FMT_PIECE_JSON)
				CHECK(fmt_check_json(text));
			if (p == CT_FMT_PIECE_XML_ADDRS ||
			    p == CT_FMT_PIECE_XML_L4)
				CHECK(fmt_check_xml(text));
		}
	}

	/* timestamp prefixes and <when> from the event timestamp */
	a.sec = (int64_t)(e->ts_event / 1000000000u);
	a.usec = (long)(e->ts_event % 1000000000u / 1000);
	for (int s = CT_TS_EVENT; s <= CT_TS_EXPECT; s++) {
		a.piece = (enum ct_fmt_piece)s;
		CHECK(run(&a, F_TS, text, sizeof(text)) > 0);
	}
	a.sec = (int64_t)(e->timeout ? e->timeout : NOW);
	CHECK(run(&a, F_WHEN, text, sizeof(text)) > 0);
	CHECK(fmt_check_xml(text));

	/* a stats line from the entry's bytes */
	memset(&st, 0, sizeof(st));
	memcpy(&st.val, &e->counters, sizeof(e->counters) < sizeof(st.val) ?
	       sizeof(e->counters) : sizeof(st.val));
	st.cpu = (uint16_t)e->id;
	st.present = e->mark;
	a.st = &st;
	for (int k = CT_STATS_CONNTRACK; k <= CT_STATS_EXPECT; k++) {
		a.piece = (enum ct_fmt_piece)k;
		CHECK(run(&a, F_STATS, text, sizeof(text)) > 0);
	}
}

/* ---- entry point ----------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_entry e, e2;
	struct nl_attr_err err, err2;
	struct nlmsghdr h;
	const size_t hdr = NLMSG_HDRLEN + 4;
	uint32_t *msg;
	size_t len;
	uint8_t ctl;
	int rc;

	if (size < 1 || size - 1 > MSG_CAP)
		return 0;
	ctl = data[0];
	len = size - 1;
	msg = fuzz_msg(data + 1, len);
	memcpy(&h, msg, sizeof(h));

	memset(&err, 0x5a, sizeof(err));
	rc = ct_entry_decode((const struct nlmsghdr *)msg, &e, &err);
	CHECK(ct_entry_decode((const struct nlmsghdr *)msg, &e2, NULL) == rc);
	if (rc < 0) {
		memset(&err2, 0, sizeof(err2));
		fuzz_check_decode_err(rc, &err,
				      ct_entry_decode((const struct nlmsghdr *)msg,
						      &e2, &err2),
				      &err2, len, hdr, 3);
		goto out;
	}
	CHECK(len >= hdr && !memcmp(&e, &e2, sizeof(e)));
	CHECK(e.family == ((const uint8_t *)msg)[NLMSG_HDRLEN]);
	CHECK(e.labels_len <= CT_LABELS_BYTES &&
	      e.labels_mask_len <= CT_LABELS_BYTES);
	CHECK(!(e.set & CT_HELPER) || strlen(e.helper) < 16);
	check_roundtrip(&e);
	check_print(&e, ctl);
out:
	free(msg);
	return 0;
}
