// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlprobe: a test tool that drives ctnetlink through nothing but nl/, so
 * the netns tests check the netlink core against the real kernel before
 * the conntrack CLI exists. Each subcommand is one kernel operation and
 * prints one line of key=value results the shell cases assert on:
 *
 *   stats              entries=N max=N              (CT_GET_STATS)
 *   dump               entries=N intr=0|1           (CT_GET, NLM_F_DUMP)
 *   error KIND         errno=N name=E msg='..' off=N|none  (a refused request)
 *   create N [FIRST]   created=N failed=N           (batched CT_NEW, EXCL)
 *   delete-all         deleted=N failed=N           (dump, batched CT_DELETE)
 *   create-dup         "fail index=I errno=N name=E" per refused request,
 *                      then created=N failed=N (see cmd_create_dup)
 *
 * --netns PATH opens the socket in that namespace (nl_sock_open's netns).
 * Exit status: 0 when the operation did what was asked, 1 otherwise, 2 on
 * a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/attr.h"
#include "nl/batch.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"
#include "tests/netns/nlprobe.h"

#define NFNL_HDRLEN	(NLMSG_HDRLEN + sizeof(struct nfgenmsg))
#define REQ_ROOM	512	/* bytes one create/delete request may take */
#define UDP_TIMEOUT	600	/* seconds: entries outlive any test */

/* The flow of index @i: udp 10.a.b.c:sport -> 192.0.2.1:53, where a.b.c
 * and sport come from @i, so every index gives a distinct tuple. */
struct flow {
	unsigned char src[4], dst[4];
	uint16_t sport, dport;
};

static void flow_of(uint32_t i, struct flow *f)
{
	f->src[0] = 10;
	f->src[1] = (unsigned char)(i >> 16);
	f->src[2] = (unsigned char)(i >> 8);
	f->src[3] = (unsigned char)i;
	f->dst[0] = 192;
	f->dst[1] = 0;
	f->dst[2] = 2;
	f->dst[3] = 1;
	f->sport = (uint16_t)(1024 + i % 60000);
	f->dport = 53;
}

static int put_tuple(struct nl_msg *m, uint16_t type, const unsigned char *src,
		     const unsigned char *dst, uint16_t sport, uint16_t dport)
{
	size_t tup, ip, proto;
	int rc;

	if ((rc = nl_attr_nest_begin(m, type, &tup)) < 0 ||
	    (rc = nl_attr_nest_begin(m, CTA_TUPLE_IP, &ip)) < 0 ||
	    (rc = nl_attr_put(m, CTA_IP_V4_SRC, src, 4)) < 0 ||
	    (rc = nl_attr_put(m, CTA_IP_V4_DST, dst, 4)) < 0 ||
	    (rc = nl_attr_nest_end(m, ip)) < 0 ||
	    (rc = nl_attr_nest_begin(m, CTA_TUPLE_PROTO, &proto)) < 0 ||
	    (rc = nl_attr_put_u8(m, CTA_PROTO_NUM, 17)) < 0 ||
	    (rc = nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, sport)) < 0 ||
	    (rc = nl_attr_put_be16(m, CTA_PROTO_DST_PORT, dport)) < 0 ||
	    (rc = nl_attr_nest_end(m, proto)) < 0)
		return rc;
	return nl_attr_nest_end(m, tup);
}

/* The body of a CT_NEW for flow @i: both tuples and a timeout. */
static int put_flow(struct nl_msg *m, uint32_t i)
{
	struct flow f;
	int rc;

	flow_of(i, &f);
	if ((rc = put_tuple(m, CTA_TUPLE_ORIG, f.src, f.dst, f.sport,
			    f.dport)) < 0 ||
	    (rc = put_tuple(m, CTA_TUPLE_REPLY, f.dst, f.src, f.dport,
			    f.sport)) < 0)
		return rc;
	return nl_attr_put_be32(m, CTA_TIMEOUT, UDP_TIMEOUT);
}

/* The symbolic name of the errno values these requests meet. */
static const char *errname(int e)
{
	switch (e) {
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case ENOENT: return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	default: return "E?";
	}
}

/* ---- stats ------------------------------------------------------------- */

static const struct nl_attr_policy stats_policy[CTA_STATS_GLOBAL_MAX + 1] = {
	[CTA_STATS_GLOBAL_ENTRIES] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = { .kind = NL_ATTR_U32 },
};

struct stats {
	int seen;
	uint32_t entries, max;
};

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1];
	struct stats *st = arg;
	struct nlmsghdr h;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	if (h.nlmsg_len < NFNL_HDRLEN)
		return -EBADMSG;
	rc = nl_attr_parse((const unsigned char *)nlh + NFNL_HDRLEN,
			   h.nlmsg_len - NFNL_HDRLEN, stats_policy,
			   CTA_STATS_GLOBAL_MAX, tb, 0, NULL);
	if (rc < 0)
		return rc;
	if (!tb[CTA_STATS_GLOBAL_ENTRIES])
		return -EBADMSG;
	st->seen = 1;
	st->entries = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_ENTRIES]);
	if (tb[CTA_STATS_GLOBAL_MAX_ENTRIES])
		st->max = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_MAX_ENTRIES]);
	return 0;
}

static int cmd_stats(struct nl_sock *s)
{
	_Alignas(4) unsigned char buf[256];
	struct stats st = { 0 };
	struct nl_msg m;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
			       IPCTNL_MSG_CT_GET_STATS, 0,
			       nl_sock_seq_next(s), AF_UNSPEC);
	if (rc == 0)
		rc = nl_query(s, &m, stats_cb, &st, NULL);
	if (rc == 0 && !st.seen)
		rc = -EBADMSG;
	if (rc < 0) {
		fprintf(stderr, "nlprobe: stats: %s\n", strerror(-rc));
		return 1;
	}
	printf("entries=%u max=%u\n", st.entries, st.max);
	return 0;
}

/* ---- dump -------------------------------------------------------------- */

static const struct nl_attr_policy ct_policy[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = { .kind = NL_ATTR_NESTED },
	[CTA_ZONE] = { .kind = NL_ATTR_U16 },
};

/* What a dump keeps of each entry: its family and the raw payloads of
 * CTA_TUPLE_ORIG and CTA_ZONE, enough to address it in a CT_DELETE. */
struct entry {
	uint8_t family;
	uint16_t tuple_len;
	unsigned char tuple[256];
	int has_zone;
	uint16_t zone;		/* host order */
};

struct dump {
	uint32_t count;
	int keep;		/* collect entries (delete-all) */
	struct entry *v;
	uint32_t cap;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTA_MAX + 1];
	struct dump *d = arg;
	struct nfgenmsg g;
	struct nlmsghdr h;
	struct entry *e;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	if (h.nlmsg_len < NFNL_HDRLEN)
		return -EBADMSG;
	d->count++;
	if (!d->keep)
		return 0;
	memcpy(&g, (const unsigned char *)nlh + NLMSG_HDRLEN, sizeof(g));
	rc = nl_attr_parse((const unsigned char *)nlh + NFNL_HDRLEN,
			   h.nlmsg_len - NFNL_HDRLEN, ct_policy, CTA_MAX, tb,
			   0, NULL);
	if (rc < 0)
		return rc;
	if (!tb[CTA_TUPLE_ORIG] ||
	    nl_attr_payload_len(tb[CTA_TUPLE_ORIG]) > sizeof(e->tuple))
		return -EBADMSG;
	if (d->count > d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		struct entry *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	e = &d->v[d->count - 1];
	e->family = g.nfgen_family;
	e->tuple_len = nl_attr_payload_len(tb[CTA_TUPLE_ORIG]);
	memcpy(e->tuple, nl_attr_data(tb[CTA_TUPLE_ORIG]), e->tuple_len);
	e->has_zone = tb[CTA_ZONE] != NULL;
	e->zone = e->has_zone ? nl_attr_get_be16(tb[CTA_ZONE]) : 0;
	return 0;
}

/* Dumps the table into @d (with @bg_hold >= 0: twice, through nl/bg.c,
 * see nlprobe_bg_query()). Returns 0, -EINTR (interrupted: @d may be
 * inconsistent) or another -errno. */
static int dump_table_via(struct nl_sock *s, struct dump *d, long bg_hold)
{
	_Alignas(4) unsigned char buf[256];
	struct nl_msg m;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			       NLM_F_DUMP, nl_sock_seq_next(s), AF_UNSPEC);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	if (bg_hold >= 0)
		return nlprobe_bg_query(s, &m, (unsigned int)bg_hold, dump_cb,
					d);
	return nl_query(s, &m, dump_cb, d, NULL);
}

static int dump_table(struct nl_sock *s, struct dump *d)
{
	return dump_table_via(s, d, -1);
}

/* dump, or bgdump HOLD_US (two dumps: entries counts both) */
static int cmd_dump(struct nl_sock *s, long bg_hold)
{
	struct dump d = { 0 };
	int rc = dump_table_via(s, &d, bg_hold);

	if (rc < 0 && rc != -EINTR) {
		fprintf(stderr, "nlprobe: dump: %s\n", strerror(-rc));
		return 1;
	}
	printf("entries=%u intr=%d\n", d.count, rc == -EINTR);
	return 0;
}

/* ---- error ------------------------------------------------------------- */

/*
 * Requests the kernel refuses:
 *   notuple     CT_NEW|CREATE without tuples: ctnetlink's own -EINVAL
 *   getnotuple  CT_GET (not a dump) without a tuple: -EINVAL
 *   badlen      CT_NEW with a 2-byte CTA_STATUS: nfnetlink's policy check
 *               fails, -ERANGE with extended-ack text and the offset of
 *               CTA_STATUS (20: nlmsghdr + nfgenmsg) in the request
 */
static int cmd_error(struct nl_sock *s, const char *kind)
{
	_Alignas(4) unsigned char buf[256];
	struct nl_ack ack;
	struct nl_msg m;
	uint8_t cmd = IPCTNL_MSG_CT_NEW;
	uint16_t flags = NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	int rc;

	if (!strcmp(kind, "getnotuple")) {
		cmd = IPCTNL_MSG_CT_GET;
		flags = NLM_F_ACK;
	} else if (strcmp(kind, "notuple") && strcmp(kind, "badlen")) {
		fprintf(stderr, "nlprobe: error: unknown kind '%s'\n", kind);
		return 2;
	}
	memset(&ack, 0, sizeof(ack));
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, cmd, flags,
			       nl_sock_seq_next(s), AF_INET);
	if (rc == 0 && !strcmp(kind, "badlen"))
		rc = nl_attr_put_u16(&m, CTA_STATUS, 0);
	if (rc == 0 && strcmp(kind, "getnotuple"))
		rc = nl_attr_put_be32(&m, CTA_TIMEOUT, UDP_TIMEOUT);
	if (rc < 0) {
		fprintf(stderr, "nlprobe: error: build: %s\n", strerror(-rc));
		return 1;
	}
	rc = nl_query(s, &m, NULL, NULL, &ack);
	if (rc == 0) {
		printf("errno=0\n");
		return 1;
	}
	printf("errno=%d name=%s msg='%s' off=", -rc, errname(-rc),
	       ack.error == -rc ? ack.ext_msg : "?");
	if (ack.error == -rc && ack.ext_off != NL_EXT_OFF_NONE)
		printf("%u\n", ack.ext_off);
	else
		printf("none\n");
	return 0;
}

/* ---- create / delete ----------------------------------------------------- */

struct outcome {
	uint32_t failed;
	int verbose;		/* print each failing index */
	int last_errno;
};

static void batch_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct outcome *o = arg;

	o->failed++;
	o->last_errno = ack->error;
	if (o->verbose)
		printf("fail index=%u errno=%d name=%s\n", index, ack->error,
		       errname(ack->error));
}

/*
 * Creates flows: request k of the batch is flow @flows[k] (or first + k
 * if @flows is NULL). @bufsize bounds the batch buffer, so small values
 * spread the requests over several flushes.
 */
static int create_flows(struct nl_sock *s, uint32_t n, uint32_t first,
			const uint32_t *flows, size_t bufsize,
			struct outcome *o)
{
	static _Alignas(4) unsigned char buf[64 * 1024];
	struct nl_batch b;
	int rc = 0;

	if (bufsize > sizeof(buf))
		bufsize = sizeof(buf);
	nl_batch_init(&b, s, buf, bufsize, batch_err, o);
	for (uint32_t k = 0; k < n && rc == 0; k++) {
		rc = nl_batch_begin(&b, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW,
				    NLM_F_CREATE | NLM_F_EXCL, AF_INET,
				    REQ_ROOM);
		if (rc < 0)
			break;
		rc = put_flow(&b.msg, flows ? flows[k] : first + k);
		if (rc < 0) {
			nl_batch_cancel(&b);
			break;
		}
		nl_batch_end(&b);
	}
	if (rc == 0)
		rc = nl_batch_flush(&b);
	return rc;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int cmd_create(struct nl_sock *s, int argc, char **argv)
{
	struct outcome o = { 0 };
	uint32_t n, first = 0;
	int rc;

	if (argc < 1 || parse_u32(argv[0], &n) < 0 ||
	    (argc > 1 && parse_u32(argv[1], &first) < 0)) {
		fprintf(stderr, "nlprobe: create N [FIRST]\n");
		return 2;
	}
	rc = create_flows(s, n, first, NULL, 64 * 1024, &o);
	if (rc < 0) {
		fprintf(stderr, "nlprobe: create: %s\n", strerror(-rc));
		return 1;
	}
	printf("created=%u failed=%u\n", n - o.failed, o.failed);
	if (o.failed)
		fprintf(stderr, "nlprobe: create: last error %s\n",
			strerror(o.last_errno));
	return o.failed ? 1 : 0;
}

/*
 * 300 requests in 4 KiB batches (about 30 a flush), three of them
 * duplicates of an earlier one: index 40 repeats 5 (another flush), 150
 * repeats 149 (the same flush, just before), 299 repeats 0 (the very last
 * request, which carries the batch's ack). Exactly those three must come
 * back, with EEXIST.
 */
static int cmd_create_dup(struct nl_sock *s)
{
	static const uint32_t dup_of[][2] = { { 40, 5 }, { 150, 149 },
					      { 299, 0 } };
	struct outcome o = { .verbose = 1 };
	uint32_t flows[300];
	uint32_t n = sizeof(flows) / sizeof(flows[0]);
	int rc;

	for (uint32_t k = 0; k < n; k++)
		flows[k] = k;
	for (size_t j = 0; j < sizeof(dup_of) / sizeof(dup_of[0]); j++)
		flows[dup_of[j][0]] = dup_of[j][1];
	rc = create_flows(s, n, 0, flows, 4096, &o);
	if (rc < 0) {
		fprintf(stderr, "nlprobe: create-dup: %s\n", strerror(-rc));
		return 1;
	}
	printf("created=%u failed=%u\n", n - o.failed, o.failed);
	return 0;
}

static int cmd_delete_all(struct nl_sock *s)
{
	static _Alignas(4) unsigned char buf[64 * 1024];
	struct outcome o = { 0 };
	struct dump d = { .keep = 1 };
	struct nl_batch b;
	int rc;

	rc = dump_table(s, &d);
	if (rc < 0)
		goto out;
	nl_batch_init(&b, s, buf, sizeof(buf), batch_err, &o);
	for (uint32_t i = 0; i < d.count && rc == 0; i++) {
		const struct entry *e = &d.v[i];

		rc = nl_batch_begin(&b, NFNL_SUBSYS_CTNETLINK,
				    IPCTNL_MSG_CT_DELETE, 0, e->family,
				    REQ_ROOM);
		if (rc < 0)
			break;
		rc = nl_attr_put(&b.msg, CTA_TUPLE_ORIG | NLA_F_NESTED,
				 e->tuple, e->tuple_len);
		if (rc == 0 && e->has_zone)
			rc = nl_attr_put_be16(&b.msg, CTA_ZONE, e->zone);
		if (rc < 0) {
			nl_batch_cancel(&b);
			break;
		}
		nl_batch_end(&b);
	}
	if (rc == 0)
		rc = nl_batch_flush(&b);
out:
	if (rc < 0) {
		free(d.v);
		fprintf(stderr, "nlprobe: delete-all: %s\n", strerror(-rc));
		return 1;
	}
	printf("deleted=%u failed=%u\n", d.count - o.failed, o.failed);
	free(d.v);
	return o.failed ? 1 : 0;
}

/* ---- main -------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: nlprobe [--netns PATH] stats|dump|delete-all|create-dup\n"
		"       nlprobe [--netns PATH] create N [FIRST]\n"
		"       nlprobe [--netns PATH] bgdump HOLD_US\n"
		"       nlprobe [--netns PATH] error notuple|getnotuple|badlen\n");
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	struct nl_sock *s = NULL;
	const char *cmd;
	int rc, i = 1;

	if (argc > 2 && !strcmp(argv[1], "--netns")) {
		netns = argv[2];
		i = 3;
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	cmd = argv[i++];
	rc = nl_sock_open(&s, netns);
	if (rc < 0) {
		fprintf(stderr, "nlprobe: open%s%s: %s\n", netns ? " " : "",
			netns ? netns : "", strerror(-rc));
		return 1;
	}
	if (!strcmp(cmd, "stats"))
		rc = cmd_stats(s);
	else if (!strcmp(cmd, "dump"))
		rc = cmd_dump(s, -1);
	else if (!strcmp(cmd, "bgdump") && i < argc)
		rc = cmd_dump(s, strtol(argv[i], NULL, 10));
	else if (!strcmp(cmd, "error") && i < argc)
		rc = cmd_error(s, argv[i]);
	else if (!strcmp(cmd, "create"))
		rc = cmd_create(s, argc - i, argv + i);
	else if (!strcmp(cmd, "create-dup"))
		rc = cmd_create_dup(s);
	else if (!strcmp(cmd, "delete-all"))
		rc = cmd_delete_all(s);
	else {
		usage();
		rc = 2;
	}
	nl_sock_close(s);
	return rc;
}
