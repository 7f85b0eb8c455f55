// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of conntrackd's privilege separation: the parent's check of
 * each record the unprivileged child sends (sync_privsep_check), one row
 * per rule, a passing record and one failing record for each; and the
 * seccomp filter, applied in a forked process: what the loop needs still
 * works there, opening a file, executing, tracing and regaining root are
 * refused with EPERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "ct/bpf.h"
#include "nl/uapi.h"
#include "sync/privsep.h"
#include "sync/seccomp.h"
#include "tests/unit/suites.h"

#define FD_OK	7
#define REC_MAX	256

/* One netlink message of @type/@flags/@pid and @len bytes (at least the
 * headers) at @p; returns its aligned size. */
static size_t put_nlmsg(uint8_t *p, uint16_t type, uint16_t flags,
			uint32_t pid, uint32_t len)
{
	struct nlmsghdr h = { .nlmsg_len = len, .nlmsg_type = type,
			      .nlmsg_flags = flags, .nlmsg_pid = pid };
	struct nfgenmsg g = { .nfgen_family = 2 };

	memset(p, 0, NLMSG_ALIGN(len));
	memcpy(p, &h, sizeof(h));
	if (len >= NLMSG_HDRLEN + sizeof(g))
		memcpy(p + NLMSG_HDRLEN, &g, sizeof(g));
	return NLMSG_ALIGN(len);
}

#define CT(cmd)		(uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | (cmd))
#define EXP(cmd)	(uint16_t)(NFNL_SUBSYS_CTNETLINK_EXP << 8 | (cmd))
#define REQ		NLM_F_REQUEST
#define MINLEN		(uint32_t)(NLMSG_HDRLEN + sizeof(struct nfgenmsg))

struct msg_row {
	uint16_t type, flags;
	uint32_t pid, len;
};

struct send_row {
	const char *what;
	int32_t fd;
	struct msg_row m[2];	/* len 0: absent */
	int trail;		/* bytes after the messages */
	int want;
};

static const struct send_row send_rows[] = {
	{ "one create", FD_OK, { { CT(IPCTNL_MSG_CT_NEW), REQ | NLM_F_CREATE,
				    0, MINLEN + 40 } }, 0, 0 },
	{ "dump and flush", FD_OK,
	  { { CT(IPCTNL_MSG_CT_GET), REQ | NLM_F_DUMP, 0, MINLEN },
	    { CT(IPCTNL_MSG_CT_DELETE), REQ | NLM_F_ACK, 0, MINLEN } }, 0, 0 },
	{ "expectation get", FD_OK,
	  { { EXP(IPCTNL_MSG_EXP_GET), REQ, 0, MINLEN + 3 } }, 0, 0 },
	{ "a socket not ours", FD_OK + 1,
	  { { CT(IPCTNL_MSG_CT_GET), REQ, 0, MINLEN } }, 0, -EPERM },
	{ "counters zeroed (GET_CTRZERO)", FD_OK,
	  { { CT(3), REQ, 0, MINLEN } }, 0, -EPERM },
	{ "another subsystem (cttimeout)", FD_OK,
	  { { (uint16_t)(8 << 8), REQ, 0, MINLEN } }, 0, -EPERM },
	{ "a route message", FD_OK, { { 24, REQ, 0, MINLEN } }, 0, -EPERM },
	{ "second message of another subsystem", FD_OK,
	  { { CT(IPCTNL_MSG_CT_GET), REQ, 0, MINLEN },
	    { (uint16_t)(12 << 8), REQ, 0, MINLEN } }, 0, -EPERM },
	{ "not a request", FD_OK,
	  { { CT(IPCTNL_MSG_CT_NEW), 0, 0, MINLEN } }, 0, -EPERM },
	{ "to a user process", FD_OK,
	  { { CT(IPCTNL_MSG_CT_NEW), REQ, 1234, MINLEN } }, 0, -EPERM },
	{ "shorter than its headers", FD_OK,
	  { { CT(IPCTNL_MSG_CT_NEW), REQ, 0, NLMSG_HDRLEN } }, 0, -EBADMSG },
	{ "bytes after the last message", FD_OK,
	  { { CT(IPCTNL_MSG_CT_NEW), REQ, 0, MINLEN } }, 3, -EBADMSG },
	{ "a second message longer than the record", FD_OK,
	  { { CT(IPCTNL_MSG_CT_NEW), REQ, 0, MINLEN } }, NLMSG_HDRLEN + 4,
	  -EBADMSG },
};

/* Builds the record of @r into @rec; returns its size. */
static size_t build_send(const struct send_row *r, uint8_t *rec)
{
	struct ps_hdr h = { .type = PS_SEND, .fd = r->fd };
	size_t off = sizeof(h);

	for (int i = 0; i < 2 && r->m[i].len; i++)
		off += put_nlmsg(rec + off, r->m[i].type, r->m[i].flags,
				 r->m[i].pid, r->m[i].len);
	memset(rec + off, 0xab, (size_t)r->trail);
	off += (size_t)r->trail;
	h.len = (uint32_t)(off - sizeof(h));
	memcpy(rec, &h, sizeof(h));
	return off;
}

#define FD_DYN	11	/* opened by the parent for the child */
static const struct ps_allow allow = { .fds = { 3, FD_OK, FD_DYN }, .n = 3,
				       .nstatic = 2 };

START_TEST(test_send)
{
	const struct send_row *r = &send_rows[_i];
	uint8_t rec[REC_MAX];
	struct ps_hdr h;
	size_t len = build_send(r, rec);

	ck_assert_msg(sync_privsep_check(rec, len, &allow, &h) == r->want,
		      "%s: got %d, want %d", r->what,
		      sync_privsep_check(rec, len, &allow, &h), r->want);
	if (r->want == 0) {
		ck_assert_uint_eq(h.type, PS_SEND);
		ck_assert_int_eq(h.fd, r->fd);
	}
}
END_TEST

struct hdr_row {
	const char *what;
	struct ps_hdr h;
	size_t extra;		/* payload bytes really in the record */
	size_t cut;		/* record shorter than the header by */
	int want;
};

static const struct hdr_row hdr_rows[] = {
	{ "buffer growth", { PS_RCVBUF, 0, FD_OK, 1 << 20 }, 0, 0, 0 },
	{ "buffer growth with a payload", { PS_RCVBUF, 4, FD_OK, 1 }, 4, 0,
	  -EBADMSG },
	{ "buffer growth of nothing", { PS_RCVBUF, 0, FD_OK, 0 }, 0, 0,
	  -EPERM },
	{ "buffer growth of a socket not ours", { PS_RCVBUF, 0, 0, 1 }, 0, 0,
	  -EPERM },
	{ "ready", { PS_NOTIFY, 0, -1, PS_NOTIFY_READY }, 0, 0, 0 },
	{ "stopping", { PS_NOTIFY, 0, -1, PS_NOTIFY_STOPPING }, 0, 0, 0 },
	{ "notify of nothing", { PS_NOTIFY, 0, -1, 0 }, 0, 0, -EBADMSG },
	{ "notify past the last", { PS_NOTIFY, 0, -1, PS_NOTIFY_STOPPING + 1 },
	  0, 0, -EBADMSG },
	{ "a reply from the child", { PS_REPLY, 0, -1, 0 }, 0, 0, -EBADMSG },
	{ "logs from the child", { PS_LOGS, 0, -1, 0 }, 0, 0, -EBADMSG },
	{ "an unknown type", { 99, 0, -1, 0 }, 0, 0, -EBADMSG },
	{ "a length past the record", { PS_SEND, 40, FD_OK, 0 }, 8, 0,
	  -EBADMSG },
	{ "a length past the limit", { PS_SEND, PS_PAYLOAD_MAX + 1, FD_OK, 0 },
	  0, 0, -EBADMSG },
	{ "an empty send", { PS_SEND, 0, FD_OK, 0 }, 0, 0, -EBADMSG },
	{ "half a header", { PS_NOTIFY, 0, -1, 1 }, 0, 8, -EBADMSG },
	{ "a new socket", { PS_SOCKET, 0, -1, 0 }, 0, 0, 0 },
	{ "a new socket naming one", { PS_SOCKET, 0, FD_OK, 0 }, 0, 0,
	  -EBADMSG },
	{ "a new socket with a payload", { PS_SOCKET, 4, -1, 0 }, 4, 0,
	  -EBADMSG },
	{ "closing a socket opened for it", { PS_CLOSE, 0, FD_DYN, 0 }, 0, 0,
	  0 },
	{ "closing a socket opened before", { PS_CLOSE, 0, FD_OK, 0 }, 0, 0,
	  -EPERM },
	{ "closing a socket not ours", { PS_CLOSE, 0, 0, 0 }, 0, 0, -EPERM },
	{ "sending on a socket opened for it",
	  { PS_RCVBUF, 0, FD_DYN, 1 }, 0, 0, 0 },
};

START_TEST(test_hdr)
{
	const struct hdr_row *r = &hdr_rows[_i];
	uint8_t rec[REC_MAX];
	struct ps_hdr h;
	size_t len = sizeof(r->h) + r->extra - r->cut;

	memset(rec, 0, sizeof(rec));
	memcpy(rec, &r->h, sizeof(r->h));
	ck_assert_msg(sync_privsep_check(rec, len, &allow, &h) == r->want,
		      "%s: got %d, want %d", r->what,
		      sync_privsep_check(rec, len, &allow, &h), r->want);
}
END_TEST

/* ---- the seccomp filter ---------------------------------------------- */

/* In a forked process under the filter: exit 0 if everything went as
 * expected, else the number of the first surprise. */
static int filtered_child(void)
{
	char *argv[] = { "/bin/true", NULL };
	struct timespec ts;
	int fd;
	char b = 'x';

	if (sync_seccomp_apply() < 0)
		return 1;
	/* what the loop uses */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0 || getpid() <= 0)
		return 2;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || write(fd, &b, 1) >= 0 || close(fd) < 0)
		return 3;	/* (not connected: the write fails) */
	/* what it must never do */
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 || errno != EPERM)
		return 4;
	execve(argv[0], argv, NULL);
	if (errno != EPERM)
		return 5;
	if (syscall(SYS_ptrace, 0, 0, 0, 0) >= 0 || errno != EPERM)
		return 6;
	if (syscall(SYS_setuid, 0) >= 0 || errno != EPERM)
		return 7;
	if (syscall(SYS_chroot, "/") >= 0 || errno != EPERM)
		return 8;
	return 0;
}

START_TEST(test_seccomp)
{
	struct ct_bpf_insn p[512];
	int status;
	pid_t pid;

	if (sync_seccomp_build(p, 512) == -EOPNOTSUPP)
		return;		/* no table for this architecture */
	ck_assert_int_eq(sync_seccomp_build(p, 4), -ENOSPC);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(filtered_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "filtered child: status %#x", status);
}
END_TEST

Suite *privsep_suite(void)
{
	Suite *s = suite_create("privsep");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_send, 0,
			    sizeof(send_rows) / sizeof(send_rows[0]));
	tcase_add_loop_test(tc, test_hdr, 0,
			    sizeof(hdr_rows) / sizeof(hdr_rows[0]));
	tcase_add_test(tc, test_seccomp);
	suite_add_tcase(s, tc);
	return s;
}
