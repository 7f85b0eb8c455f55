/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building netlink requests into a caller-owned buffer. A buffer holds one
 * or more messages back to back (a batch goes out in one sendmsg); every
 * put is bounds-checked and fails with -EMSGSIZE, leaving the message as
 * it was, so a caller can cancel a nest or a whole message and carry on in
 * a fresh buffer.
 */
#ifndef RAWCT_NL_MSG_H
#define RAWCT_NL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "nl/uapi.h"

struct nl_msg {
	unsigned char *buf;	/* caller's buffer, 4-byte aligned */
	size_t cap;		/* its size */
	size_t len;		/* bytes used, all messages */
	size_t cur;		/* offset of the open message's header */
	int open;		/* a message is being built */
};

/* Points @m at @buf (@cap bytes, suitably aligned); no message open. */
void nl_msg_init(struct nl_msg *m, void *buf, size_t cap);

/* Drops all messages; the buffer is reused. */
void nl_msg_reset(struct nl_msg *m);

/*
 * Opens a message: nlmsghdr with @type, NLM_F_REQUEST|@flags and @seq.
 * nlmsg_len follows every put. Returns 0 or -EMSGSIZE.
 */
int nl_msg_begin(struct nl_msg *m, uint16_t type, uint16_t flags,
		 uint32_t seq);

/* Opens an nfnetlink message: header type (@subsys << 8 | @cmd) and an
 * nfgenmsg for @family. Returns 0 or -EMSGSIZE. */
int nl_msg_begin_nfnl(struct nl_msg *m, uint8_t subsys, uint8_t cmd,
		      uint16_t flags, uint32_t seq, uint8_t family);

/* Appends @len bytes of the family's fixed header (struct nfgenmsg,
 * struct ifinfomsg...) to the open message, padded to 4 bytes. Returns 0,
 * -EMSGSIZE (nothing written) or -EINVAL if no message is open. */
int nl_msg_put_fixed(struct nl_msg *m, const void *data, size_t len);

/* Closes the open message; the next begin starts after it. */
void nl_msg_end(struct nl_msg *m);

/* Removes the open message entirely. */
void nl_msg_cancel(struct nl_msg *m);

/* Cuts the open message back to @len bytes of the buffer (a value of
 * m->len taken earlier), undoing the puts since; no-op if not shorter. */
void nl_msg_trim(struct nl_msg *m, size_t len);

/* The open (or last closed) message's header, NULL if none. */
struct nlmsghdr *nl_msg_hdr(const struct nl_msg *m);

/* Attribute puts into the open message. Each returns 0 or -EMSGSIZE
 * (nothing written), -EINVAL if no message is open. be* take host order
 * and write big endian. */
int nl_attr_put(struct nl_msg *m, uint16_t type, const void *data,
		size_t len);
int nl_attr_put_u8(struct nl_msg *m, uint16_t type, uint8_t v);
int nl_attr_put_u16(struct nl_msg *m, uint16_t type, uint16_t v);
int nl_attr_put_u32(struct nl_msg *m, uint16_t type, uint32_t v);
int nl_attr_put_u64(struct nl_msg *m, uint16_t type, uint64_t v);
int nl_attr_put_be16(struct nl_msg *m, uint16_t type, uint16_t v);
int nl_attr_put_be32(struct nl_msg *m, uint16_t type, uint32_t v);
int nl_attr_put_be64(struct nl_msg *m, uint16_t type, uint64_t v);
int nl_attr_put_str(struct nl_msg *m, uint16_t type, const char *s);
int nl_attr_put_flag(struct nl_msg *m, uint16_t type);

/*
 * Nests: nl_attr_nest_begin() writes a header with NLA_F_NESTED and stores
 * its offset in *@tok; nl_attr_nest_end() fixes its length (-EMSGSIZE if
 * the nest grew past 65535 bytes); nl_attr_nest_cancel() removes the nest
 * and everything put inside it.
 */
int nl_attr_nest_begin(struct nl_msg *m, uint16_t type, size_t *tok);
int nl_attr_nest_end(struct nl_msg *m, size_t tok);
void nl_attr_nest_cancel(struct nl_msg *m, size_t tok);

#endif
