// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Seed capture for the fuzzers (run by fuzz/capture.sh, never by a
 * harness): sends a fixed set of ctnetlink requests through nl/ into the
 * network namespace named on the command line and writes what the kernel
 * answers as seeds.
 *
 *   OUT/reply/NAME-N   0x01 0x00 + datagram N of the answer to NAME
 *                      (control bytes: port id = the first message's,
 *                      sequence window = its seq, see fuzz/reply.c)
 *   OUT/attr/NAME-N-M  selector + the attributes of message M, i.e. what
 *                      follows nlmsghdr + nfgenmsg (20 bytes), or the
 *                      extended-ack TLVs of an NLMSG_ERROR (fuzz/attr.c)
 *   OUT/ct_decode/NAME-N-M  0x00 + message M when it is a conntrack
 *                      entry (IPCTNL_MSG_CT_NEW/_DELETE, fuzz/ct_decode.c:
 *                      control byte 0 = default format, no labels)
 *
 * usage: capture NETNS-PATH OUTDIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/msg.h"
#include "nl/sock.h"
#include "nl/uapi.h"

/* fuzz/attr.c selector: flags in bits 0-1, policy index from bit 2. */
#define SEL(pol, flags)	((unsigned char)((pol) << 2 | (flags)))
#define POL_CT		0
#define POL_GSTATS	4
#define POL_CPUSTATS	5
#define POL_EXTACK	6
#define STRICT_DEEP	3

static const char *outdir;

static int write_seed(const char *path, const unsigned char *pre, size_t plen,
		      const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f) {
		fprintf(stderr, "capture: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(pre, 1, plen, f) != plen || fwrite(data, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Attribute seeds for the messages of one datagram. */
static void attr_seeds(const char *name, int dgram,
		       const unsigned char *p, size_t len)
{
	char path[512];
	size_t off = 0;
	int m = 0;

	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		unsigned char sel;
		size_t a = 0, alen = 0;

		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		if (h.nlmsg_type == NLMSG_ERROR &&
		    (h.nlmsg_flags & NLM_F_ACK_TLVS)) {
			struct nlmsghdr req;

			a = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
			memcpy(&req, p + off + NLMSG_HDRLEN + sizeof(int),
			       sizeof(req));
			if (!(h.nlmsg_flags & NLM_F_CAPPED))
				a += NLMSG_ALIGN(req.nlmsg_len - NLMSG_HDRLEN);
			sel = SEL(POL_EXTACK, 0);
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE) {
			static const unsigned char ctl = 0x00;
			uint8_t cmd = NFNL_MSG_TYPE(h.nlmsg_type);

			if (NFNL_SUBSYS_ID(h.nlmsg_type) ==
			    NFNL_SUBSYS_CTNETLINK &&
			    (cmd == IPCTNL_MSG_CT_NEW ||
			     cmd == IPCTNL_MSG_CT_DELETE)) {
				snprintf(path, sizeof(path),
					 "%s/ct_decode/%s-%d-%d", outdir, name,
					 dgram, m);
				write_seed(path, &ctl, 1, p + off,
					   h.nlmsg_len);
			}

			a = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
			sel = cmd == IPCTNL_MSG_CT_GET_STATS ?
			      SEL(POL_GSTATS, STRICT_DEEP) :
			      cmd == IPCTNL_MSG_CT_GET_STATS_CPU ?
			      SEL(POL_CPUSTATS, STRICT_DEEP) :
			      SEL(POL_CT, STRICT_DEEP);
		} else {
			sel = 0;
		}
		if (a && a < h.nlmsg_len) {
			alen = h.nlmsg_len - a;
			snprintf(path, sizeof(path), "%s/attr/%s-%d-%d", outdir,
				 name, dgram, m);
			write_seed(path, &sel, 1, p + off + a, alen);
		}
		m++;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (off >= len)
			break;
	}
}

/* Does the datagram end the answer (NLMSG_DONE or NLMSG_ERROR, or any
 * reply at all to a plain request)? */
static int ends(const unsigned char *p, size_t len, int dump)
{
	size_t off = 0;

	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;

		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR ||
		    !dump)
			return 1;
		if (h.nlmsg_len < NLMSG_HDRLEN)
			return 1;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (off >= len)
			break;
	}
	return 0;
}

/* Sends the request in @m and stores every datagram of the answer. */
static int exchange(struct nl_sock *s, struct nl_msg *m, const char *name,
		    int dump)
{
	static const unsigned char ctl[2] = { 0x01, 0x00 };
	char path[512];
	const void *data;
	ssize_t n;
	int d = 0, rc;

	rc = nl_sock_send(s, m->buf, m->len);
	if (rc < 0) {
		fprintf(stderr, "capture: %s: send: %s\n", name, strerror(-rc));
		return rc;
	}
	do {
		n = nl_sock_recv(s, &data);
		if (n < 0) {
			fprintf(stderr, "capture: %s: recv: %s\n", name,
				strerror((int)-n));
			return (int)n;
		}
		snprintf(path, sizeof(path), "%s/reply/%s-%d", outdir, name, d);
		write_seed(path, ctl, sizeof(ctl), data, (size_t)n);
		attr_seeds(name, d, data, (size_t)n);
		d++;
	} while (!ends(data, (size_t)n, dump) && d < 64);
	printf("capture: %s: %d datagram(s)\n", name, d);
	return 0;
}

static int begin(struct nl_sock *s, struct nl_msg *m, uint8_t cmd,
		 uint16_t flags, uint8_t family)
{
	nl_msg_reset(m);
	return nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTNETLINK, cmd, flags,
				 nl_sock_seq_next(s), family);
}

/* A tuple 10.99.0.1:sport -> 10.99.0.2:dport for @proto. */
static int put_tuple(struct nl_msg *m, uint16_t type, uint8_t proto,
		     uint16_t sport, uint16_t dport)
{
	size_t t, ip, pr;
	int rc = 0;

	rc |= nl_attr_nest_begin(m, type, &t);
	rc |= nl_attr_nest_begin(m, CTA_TUPLE_IP, &ip);
	rc |= nl_attr_put_be32(m, CTA_IP_V4_SRC, 0x0a630001);
	rc |= nl_attr_put_be32(m, CTA_IP_V4_DST, 0x0a630002);
	rc |= nl_attr_nest_end(m, ip);
	rc |= nl_attr_nest_begin(m, CTA_TUPLE_PROTO, &pr);
	rc |= nl_attr_put_u8(m, CTA_PROTO_NUM, proto);
	rc |= nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, sport);
	rc |= nl_attr_put_be16(m, CTA_PROTO_DST_PORT, dport);
	rc |= nl_attr_nest_end(m, pr);
	rc |= nl_attr_nest_end(m, t);
	return rc ? -EMSGSIZE : 0;
}

int main(int argc, char **argv)
{
	static unsigned char buf[8192] __attribute__((aligned(4)));
	struct nl_sock *s = NULL;
	struct nl_msg m;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: capture NETNS-PATH OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	rc = nl_sock_open(&s, argv[1]);
	if (rc < 0) {
		fprintf(stderr, "capture: %s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	nl_msg_init(&m, buf, sizeof(buf));

	/* One entry created through nl/, acknowledged. */
	rc = begin(s, &m, IPCTNL_MSG_CT_NEW,
		   NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, AF_INET);
	rc |= put_tuple(&m, CTA_TUPLE_ORIG, 17, 4000, 5000);
	rc |= nl_attr_put_be32(&m, CTA_TIMEOUT, 300);
	rc |= nl_attr_put_be32(&m, CTA_MARK, 42);
	if (rc == 0)
		rc = exchange(s, &m, "ct-new-ack", 0);

	/* Dumps: IPv4, IPv6, everything. */
	if (begin(s, &m, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_INET) == 0)
		exchange(s, &m, "ct-dump-inet", 1);
	if (begin(s, &m, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_INET6) == 0)
		exchange(s, &m, "ct-dump-inet6", 1);
	if (begin(s, &m, IPCTNL_MSG_CT_GET, NLM_F_DUMP | NLM_F_ACK,
		  AF_UNSPEC) == 0)
		exchange(s, &m, "ct-dump-all-ack", 1);

	/* Statistics: global (one message) and per CPU (a dump). */
	if (begin(s, &m, IPCTNL_MSG_CT_GET_STATS, 0, AF_UNSPEC) == 0)
		exchange(s, &m, "ct-stats", 0);
	if (begin(s, &m, IPCTNL_MSG_CT_GET_STATS_CPU, NLM_F_DUMP,
		  AF_UNSPEC) == 0)
		exchange(s, &m, "ct-stats-cpu", 1);

	/* Refusals: a get for nothing (ENOENT), a duplicate create (EEXIST)
	 * with the request echoed (CAP_ACK off), a malformed attribute. */
	if (begin(s, &m, IPCTNL_MSG_CT_GET, NLM_F_ACK, AF_INET) == 0 &&
	    put_tuple(&m, CTA_TUPLE_ORIG, 6, 1, 2) == 0)
		exchange(s, &m, "ct-get-enoent", 0);
	nl_sock_set_opt(s, NETLINK_CAP_ACK, 0);
	if (begin(s, &m, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL |
		  NLM_F_ACK, AF_INET) == 0 &&
	    put_tuple(&m, CTA_TUPLE_ORIG, 17, 4000, 5000) == 0 &&
	    nl_attr_put_be32(&m, CTA_TIMEOUT, 300) == 0)
		exchange(s, &m, "ct-new-eexist-uncapped", 0);
	nl_sock_set_opt(s, NETLINK_CAP_ACK, 1);
	if (begin(s, &m, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_ACK,
		  AF_INET) == 0 &&
	    put_tuple(&m, CTA_TUPLE_ORIG, 17, 4001, 5001) == 0 &&
	    nl_attr_put_u16(&m, CTA_TIMEOUT, 300) == 0)
		exchange(s, &m, "ct-new-badattr", 0);
	if (begin(s, &m, 0x7f, NLM_F_ACK, AF_INET) == 0)
		exchange(s, &m, "ct-bad-cmd", 0);

	nl_sock_close(s);
	return 0;
}
