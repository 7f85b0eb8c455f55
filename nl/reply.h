/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking what the kernel sends back: the messages of one datagram checked
 * for fit, port id and sequence; data handed to a callback; NLMSG_ERROR and
 * NLMSG_DONE decoded with their extended-ack text and offset; dumps marked
 * interrupted. nl_reply_parse() is pure (no socket), so the fuzzer drives
 * it directly; nl_query() is the request/response loop on top of it.
 */
#ifndef RAWCT_NL_REPLY_H
#define RAWCT_NL_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "nl/uapi.h"

struct nl_sock;
struct nl_msg;

#define NL_EXT_MSG_MAX	128
#define NL_EXT_OFF_NONE	UINT32_MAX

/* One acknowledgement or error, for the request with sequence @seq. */
struct nl_ack {
	uint32_t seq;
	int error;			/* 0 = success, else positive errno */
	uint32_t ext_off;		/* offset of the offending attribute in
					 * the request, or NL_EXT_OFF_NONE */
	char ext_msg[NL_EXT_MSG_MAX];	/* kernel's extended-ack text or "" */
};

/* A data message for us. Return 0 to go on, a negative errno to stop the
 * walk (returned by nl_reply_parse). */
typedef int (*nl_data_cb)(const struct nlmsghdr *nlh, void *arg);
/* An ack or error (NLMSG_ERROR), or the status of NLMSG_DONE (with
 * done = 1). Return 0 to go on, a negative errno to stop. */
typedef int (*nl_ack_cb)(const struct nl_ack *ack, int done, void *arg);

struct nl_reply {
	/* set by the caller */
	uint32_t portid;	/* ours; messages to another port are an error */
	uint32_t seq;		/* first sequence number we wait for */
	uint32_t nseq;		/* how many, from seq (1 for a single request) */
	nl_data_cb on_data;	/* may be NULL: data is then an error */
	nl_ack_cb on_ack;	/* may be NULL: acks are only counted */
	void *arg;
	/* results, accumulated over calls */
	uint32_t acks;		/* NLMSG_ERROR messages seen */
	uint32_t dones;		/* NLMSG_DONE messages seen */
	uint32_t datas;		/* data messages seen */
	uint32_t last_seq;	/* seq of the last message seen */
	int dump_intr;		/* a message carried NLM_F_DUMP_INTR */
	int last_multi;		/* the last data message had NLM_F_MULTI */
};

/*
 * nl_reply_parse - walk the netlink messages of one received datagram.
 * Returns 0 when all were handled; -EBADMSG for a malformed message
 * (header does not fit, nlmsg_len below the header or past the end, short
 * error payload); -EPROTO for a message to another port id or with a
 * sequence outside [seq, seq + nseq); or the first negative callback result.
 * NLMSG_NOOP is skipped; NLMSG_OVERRUN gives -EOVERFLOW.
 */
int nl_reply_parse(struct nl_reply *r, const void *buf, size_t len);

/*
 * nl_reply_next - walk the messages of datagram @buf (@len bytes) without
 * the port id and sequence checks of nl_reply_parse() (for multicast
 * events, whose nlmsg_pid names the process that caused them). Start with
 * *@off = 0; each call copies the header of the message at *@off into
 * *@h, moves *@off past it (aligned) and returns the message (borrowed
 * from @buf). Returns NULL at the end, with *@err = 0, or where the rest
 * is not a whole message (a header that does not fit, nlmsg_len below the
 * header or past the end), with *@err = -EBADMSG.
 */
const struct nlmsghdr *nl_reply_next(const void *buf, size_t len,
				     size_t *off, struct nlmsghdr *h,
				     int *err);

/*
 * nl_reply_ends - whether datagram @data (@len bytes) ends the request
 * with sequence @seq (its NLMSG_DONE, NLMSG_ERROR or NLMSG_OVERRUN) or
 * is one that nl_reply_parse() refuses as malformed (so nothing more is
 * worth waiting for), read as the parser reads it: up to the first
 * message of another sequence, which makes the datagram a stale one.
 * For receivers that hand datagrams to another thread to walk.
 */
int nl_reply_ends(const void *data, size_t len, uint32_t seq);

struct nl_attr_err;

/* Empties @ack (no error, no offset, no text); NULL is ignored. */
void nl_ack_clear(struct nl_ack *ack);

/* Keeps the first failing @ack of a query: its error in *@error and the
 * whole ack in @dst (if not NULL), unless *@error is already set. */
void nl_ack_keep_first(int *error, struct nl_ack *dst,
		       const struct nl_ack *ack);

/* Fills @ack (if not NULL) with @error and, as its extended-ack text, the
 * attribute failure @ae: a reply we could not decode, told like a kernel
 * error naming the attribute. */
void nl_ack_attr_err(struct nl_ack *ack, int error,
		     const struct nl_attr_err *ae);

/* Decodes an NLMSG_ERROR or NLMSG_DONE message into @ack. Returns 0 or
 * -EBADMSG. */
int nl_reply_ack_decode(const struct nlmsghdr *nlh, struct nl_ack *ack);

/*
 * nl_nfnl_payload - the attribute stream of nfnetlink message @nlh.
 * Checks that nlmsg_len covers the nfgenmsg and that the message belongs
 * to @subsys; returns its command in *@cmd, the nfgen_family in *@family,
 * and the attributes after the nfgenmsg in *@data / *@len (borrowed).
 * Returns 0, -EBADMSG (too short) or -EPROTO (another subsystem).
 */
int nl_nfnl_payload(const struct nlmsghdr *nlh, uint8_t subsys, uint8_t *cmd,
		    uint8_t *family, const void **data, size_t *len);

/*
 * nl_query - send the request(s) built in @req and collect the replies.
 * @req's messages must use consecutive sequence numbers from the first's.
 * Ends when every request has been answered: a dump by NLMSG_DONE, a
 * request with NLM_F_ACK by its ack, any other by its first reply or
 * error. @on_data gets each data message. The first failing request's
 * ack is copied into @err if not NULL.
 * Returns 0; the negated kernel errno of the first failure (after the
 * replies to every request were read); -EINTR if a dump was interrupted
 * (NLM_F_DUMP_INTR: data seen may be inconsistent, the caller retries);
 * -ENOBUFS if replies were lost; or another -errno from the socket.
 */
int nl_query(struct nl_sock *s, const struct nl_msg *req,
	     nl_data_cb on_data, void *arg, struct nl_ack *err);

#endif
