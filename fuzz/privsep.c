// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the check conntrackd's privileged parent makes of each
 * record its unprivileged child sends (sync_privsep_check, sync/privsep.c):
 * the whole input is one record. Properties, each an abort() when
 * violated:
 *  - the answer is 0, -EBADMSG or -EPERM, and the same on a second call;
 *  - an accepted record is exactly a header and the payload it announces,
 *    of a type the child may send (PS_SEND, PS_RCVBUF, PS_NOTIFY,
 *    PS_SOCKET, PS_CLOSE, PS_STREAM, PS_SYSLOG), naming one of the
 *    allowed sockets where it names one, and for PS_CLOSE only one the
 *    parent opened since;
 *  - an accepted PS_SEND payload, walked here independently, is a run of
 *    whole netlink messages, each a request to the kernel (pid 0) of the
 *    ctnetlink or ctnetlink_exp subsystem with command NEW, GET or DELETE:
 *    nothing else ever reaches a root-owned socket;
 *  - the header written back is the record's first bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl/uapi.h"
#include "sync/config.h"
#include "sync/privsep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const struct ps_allow allow = { .fds = { 3, 4, 9 }, .n = 3,
				       .nstatic = 2 };

static int allowed(int32_t fd)
{
	return fd == 3 || fd == 4 || fd == 9;
}

static int dynamic(int32_t fd)
{
	return fd == 9;
}

/* The payload's messages, walked without the code under test. */
static void check_payload(const uint8_t *p, size_t len)
{
	struct nlmsghdr h;
	size_t off = 0, step;

	CHECK(len >= NLMSG_HDRLEN);
	while (off < len) {
		CHECK(len - off >= sizeof(h));
		memcpy(&h, p + off, sizeof(h));
		CHECK(h.nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nfgenmsg));
		CHECK(h.nlmsg_len <= len - off);
		CHECK((h.nlmsg_type >> 8) == NFNL_SUBSYS_CTNETLINK ||
		      (h.nlmsg_type >> 8) == NFNL_SUBSYS_CTNETLINK_EXP);
		CHECK((h.nlmsg_type & 0xff) <= IPCTNL_MSG_CT_DELETE);
		CHECK(h.nlmsg_flags & NLM_F_REQUEST);
		CHECK(h.nlmsg_pid == 0);
		step = NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (step > len - off)
			break;		/* the last one's padding may be cut */
		off += step;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_hdr h, again;
	int rc = sync_privsep_check(data, size, &allow, &h);

	CHECK(rc == 0 || rc == -EBADMSG || rc == -EPERM);
	CHECK(sync_privsep_check(data, size, &allow, &again) == rc);
	if (rc)
		return 0;
	CHECK(size >= sizeof(h) && !memcmp(&h, data, sizeof(h)));
	CHECK(h.len == size - sizeof(h) && h.len <= PS_PAYLOAD_MAX);
	switch (h.type) {
	case PS_SEND:
		CHECK(allowed(h.fd));
		check_payload(data + sizeof(h), h.len);
		break;
	case PS_RCVBUF:
		CHECK(allowed(h.fd) && h.len == 0 && h.arg > 0);
		break;
	case PS_NOTIFY:
		CHECK(h.len == 0 && h.arg >= PS_NOTIFY_READY &&
		      h.arg <= PS_NOTIFY_STOPPING);
		break;
	case PS_SOCKET:
		CHECK(h.len == 0 && h.fd == -1);
		break;
	case PS_CLOSE:
		CHECK(h.len == 0 && dynamic(h.fd));
		break;
	case PS_STREAM:
		CHECK(h.len == 0 && h.fd == -1 && h.arg >= 0 &&
		      h.arg < SYNC_CONF_CHAN_MAX);
		break;
	case PS_SYSLOG:
		CHECK(h.len == 0 && h.fd == -1 && h.arg == 0);
		break;
	default:
		CHECK(0);
	}
	return 0;
}
