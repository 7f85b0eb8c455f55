// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack command-line parser: table-driven rows of argv and the
 * expected command and fields, or the exact upstream error and exit code.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "cmd/ct_args.h"
#include "ct/decode.h"
#include "ct/encode.h"
#include "nl/msg.h"
#include "nl/uapi.h"
#include "tests/unit/suites.h"

#define MAXW 32

struct row {
	const char *line;	/* words separated by single blanks */
	int status;		/* 0 ok, else exit code */
	const char *msg;	/* error text, or the expected first warning */
	int cmd;
};

static int split(char *buf, char **argv)
{
	int argc = 0;

	argv[argc++] = "conntrack";
	for (char *t = strtok(buf, " "); t && argc < MAXW; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	return argc;
}

static const struct row rows[] = {
	{ "", 0, NULL, CT_CMD_NONE },
	{ "-L", 0, NULL, CT_CMD_LIST },
	{ "conntrack -L foo-is-table", 2, "unknown type `foo-is-table'", 0 },
	{ "conntrack -L", 0, NULL, CT_CMD_LIST },
	{ "-L e", 0, NULL, CT_CMD_EXP_LIST },
	{ "-L dying", 0, NULL, CT_CMD_LIST },
	{ "-D dying", 2, "Can't do that command with tables `dying' and "
	  "`unconfirmed'", 0 },
	{ "-U expect", 2, "Can't do --update on expectations", 0 },
	{ "-E --overrun-fatal", 0, NULL, CT_CMD_EVENT },
	{ "-E expect --overrun-fatal", 0, NULL, CT_CMD_EXP_EVENT },
	{ "-L --overrun-fatal", 2, "Illegal option `--overrun-fatal' with "
	  "this command", 0 },
	{ "-L -D", 2, "Invalid commands combination", 0 },
	{ "-L --foo", 2, "unknown option `--foo'", 0 },
	{ "-L -o", 2, "option `-o' requires an argument", 0 },
	{ "-L --src", 2, "option `--src' requires an argument", 0 },
	{ "-L --s 1.1.1.1", 2, "unknown option `--s'", 0 },
	{ "-L --zero=1", 2, "unknown option `--zero=1'", 0 },
	{ "-L -p 256", 2, "`256' unsupported protocol", 0 },
	{ "-L -p foo20", 2, "`foo20' unsupported protocol", 0 },
	{ "-L --sport 1", 2, "unknown option `--sport'", 0 },
	{ "-L -p tcp --sport 1", 0, NULL, CT_CMD_LIST },
	{ "-L -p tcp -p udp --sp 1", 2, "unknown option `--sp'", 0 },
	{ "-L -s 1.2.3.4.5", 2, "Invalid IP address `1.2.3.4.5'", 0 },
	{ "-L -s 1.1.1.1 -d ::1", 2, "mismatched address family", 0 },
	{ "-L -s 1.1.1.1/33", 2, "Invalid netmask", 0 },
	{ "-L -r 1.1.1.1/8", 2, "CIDR notation unavailable for `--reply-src'",
	  0 },
	{ "-L -n 1.1.1.1:", 2, "No port specified after `:'", 0 },
	{ "-L -n 1.1.1.1:99999", 2, "Invalid port `99999'", 0 },
	{ "-L -n []:1", 2, "No IPv6 address specified", 0 },
	{ "-L -n [::1", 2, "No closing ']' around IPv6 address", 0 },
	{ "-L -j -n", 2, "cannot specify `--src-nat' or `--dst-nat' with "
	  "`--any-nat'", 0 },
	{ "-L -u FOO", 2, "Bad parameter `FOO'", 0 },
	{ "-L -u S", 0, "WARNING: ignoring SRC_NAT, use --src-nat instead",
	  CT_CMD_LIST },
	{ "-L -o xml,foo,bar", 2, "Bad parameter `foo,bar'", 0 },
	{ "-L -o save,xml", 1, "cannot combine save output with any other "
	  "output type, use -o save only", 0 },
	{ "-L -o json,xml", 1, "cannot combine json output with xml or save "
	  "output", 0 },
	{ "-L -m foo", 1, "unexpected value 'foo' with -m option", 0 },
	{ "-L -w 65536", 1, "unexpected value '65536' with -w option", 0 },
	{ "-L --orig-zone x", 1, "unexpected value 'x' with -( option", 0 },
	{ "-L -f ipv4x", 0, NULL, CT_CMD_LIST },
	{ "-L -f ipv7", 2, "`ipv7' unsupported protocol", 0 },
	{ "-s 1.1.1.1", 2, "Illegal option `--src' with this command", 0 },
	{ "-I -p tcp", 2, "You need to supply the `--timeout' option for this "
	  "command", 0 },
	{ "-I -p tcp -t 1", 2, "you have to specify `--src' and `--dst'", 0 },
	{ "-I -p tcp -t 1 -r 1.1.1.1", 2, "you have to specify `--reply-src' "
	  "and `--reply-dst'", 0 },
	{ "-I -p tcp -t 1 -s 1.1.1.1 -d 2.2.2.2", 2, "You need to supply the "
	  "`--state' option for this command", 0 },
	{ "-I -p tcp -t 1 -s 1.1.1.1 -d 2.2.2.2 --state ESTABLISHED", 2,
	  "you have to specify `--sport' and `--dport'", 0 },
	{ "-I -p udp -t 1 -s 1.1.1.1 -d 2.2.2.2 --reply-port-src 1", 2,
	  "you have to specify `--reply-src-port' and `--reply-dst-port'", 0 },
	{ "-I -p tcp -t 1 -s 1.1.1.1 -d 2.2.2.2 --state ESTABLISHED "
	  "--sport 1 --dport 2", 0, NULL, CT_CMD_CREATE },
	{ "-A -p icmp -t 1 -s 1.1.1.1 -d 2.2.2.2", 2, "You need to supply the "
	  "`--icmp-type' option for this command", 0 },
	{ "-L -p tcp --state FOO", 2, "unknown TCP state `FOO'", 0 },
	{ "-L -p sctp --state HEARTBEAT_SENT", 2, "unknown SCTP state "
	  "`HEARTBEAT_SENT'", 0 },
	{ "-L -p dccp --state X", 2, "Unknown DCCP state `X'", 0 },
	{ "-L -p tcp --sport 70000", 1, "unexpected value '70000' with "
	  "--sport option", 0 },
	/* numbers: decimal or 0x hex, in range, nothing else */
	{ "-L -p tcp --dport 0x50", 0, NULL, CT_CMD_LIST },
	{ "-L -p tcp --dport 0XfFfF", 0, NULL, CT_CMD_LIST },
	{ "-L -p tcp --dport 0x10000", 1, "unexpected value '0x10000' with "
	  "--dport option", 0 },
	{ "-L -p tcp --dport 0x", 1, "unexpected value '0x' with --dport "
	  "option", 0 },
	{ "-L -p tcp --dport 0x0x50", 1, "unexpected value '0x0x50' with "
	  "--dport option", 0 },
	{ "-L -p tcp --dport 0x-1", 1, "unexpected value '0x-1' with --dport "
	  "option", 0 },
	{ "-L -p tcp --dport 0x5g", 1, "unexpected value '0x5g' with --dport "
	  "option", 0 },
	{ "-L -p tcp --dport x50", 1, "unexpected value 'x50' with --dport "
	  "option", 0 },
	{ "-L -p tcp --dport +80", 1, "unexpected value '+80' with --dport "
	  "option", 0 },
	{ "-L -p icmp --icmp-type 0x100", 1, "unexpected value '0x100' with "
	  "--icmp-type option", 0 },
	{ "-L -p sctp --orig-vtag 0x100000000", 1, "unexpected value "
	  "'0x100000000' with --orig-vtag option", 0 },
	{ "-L -w 0x10000", 1, "unexpected value '0x10000' with -w option", 0 },
	{ "-L -m 0x1/0xg", 1, "unexpected value '0x1/0xg' with -m option", 0 },
	{ "-L -z -p tcp", 2, "Can't use -z with filtering parameters", 0 },
	{ "-L --mask-src 255.0.0.0", 2, "Can't use --mask-src without --src",
	  0 },
	{ "-L -l foo", 2, "unknown label 'foo'", 0 },
	{ "-I --label-add a --label-del b", 1, "cannot use --label-add and "
	  "--label-del at the same time", 0 },
	{ "-U -w 1", 2, "Illegal option `--zone' with this command", 0 },
	{ "-C -s 1.1.1.1", 2, "Illegal option `--src' with this command", 0 },
	{ "-h -p tcp", 0, NULL, CT_CMD_HELP },
	{ "-L -a 1", 0, "WARNING: ignoring -a, deprecated option.",
	  CT_CMD_LIST },
	{ "-L -xL", 2, "unknown option `-L'", 0 },
	{ "-L -R x", 2, "unknown option `-R'", 0 },
};

START_TEST(test_rows)
{
	const struct row *r = &rows[_i];
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	char buf[512], *argv[MAXW + 1];
	int argc, rc;

	snprintf(buf, sizeof(buf), "%s", r->line);
	argc = split(buf, argv);
	rc = ct_args_parse(argc, argv, NULL, a, &err);
	if (r->status) {
		ck_assert_msg(rc < 0, "%s: parsed", r->line);
		ck_assert_int_eq(err.status, r->status);
		ck_assert_str_eq(err.msg, r->msg);
	} else {
		ck_assert_msg(rc == 0, "%s: %s", r->line, err.msg);
		ck_assert_int_eq((int)a->cmd, r->cmd);
		if (r->msg) {
			ck_assert_uint_ge(a->nwarn, 1);
			ck_assert_str_eq(a->warn[0], r->msg);
		}
	}
	free(a);
}
END_TEST

START_TEST(test_values)
{
	char line[] = "-L -s 10.0.0.0/8 -p tcp --dport 80 -m 1/3 "
		      "-u ASSURED,!SEEN_REPLY -w 4";
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	char *argv[MAXW + 1];
	int argc = split(line, argv);

	ck_assert_int_eq(ct_args_parse(argc, argv, NULL, a, &err), 0);
	ck_assert_int_eq(a->family, AF_INET);
	ck_assert(a->filter.set & CT_F_NET_SRC);
	ck_assert(!(a->filter.tmpl.orig.set & CT_TUPLE_SRC));
	ck_assert(a->filter.tmpl.orig.set & CT_TUPLE_DPORT);
	ck_assert_int_eq(a->filter.tmpl.orig.dport, 80);
	ck_assert_uint_eq(a->filter.mark_value, 1);
	ck_assert_uint_eq(a->filter.mark_mask, 3);
	ck_assert_uint_eq(a->filter.status, 4);
	ck_assert_uint_eq(a->filter.status_mask, 6);
	ck_assert_uint_eq(a->filter.tmpl.zone, 4);
	free(a);
}
END_TEST

/* Hexadecimal wherever people write it; leading zeros stay decimal
 * (upstream's atoi reads them so), GRE keys are strtoul base 0 as
 * upstream (octal too). */
START_TEST(test_hex)
{
	static const char *const lines[] = {
		"-D -p tcp --sport 0x15 --dport 0X50 --reply-port-src 080 "
		"--reply-port-dst 0xffff -w 0xb -m 0x10/0xf0 -i 0x7",
		"-I expect -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 0x15 --dport 80 "
		"--tuple-src 1.1.1.1 --tuple-dst 2.2.2.2 --mask-src 1.1.1.1 "
		"--mask-dst 1.1.1.1 --tuple-port-src 0x1 --tuple-port-dst 0x2 "
		"--mask-port-src 0 --mask-port-dst 0xffff -t 0x10",
		"-L -p icmp --icmp-type 0x8 --icmp-code 0x0 --icmp-id 0x4ca",
		"-I -p sctp -t 5 -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 "
		"--state ESTABLISHED --orig-vtag 0xffffffff --reply-vtag 010",
		"-L -p gre --srckey 010 --dstkey 0x10",
	};
	char buf[512], *argv[MAXW + 1];
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	const struct ct_tuple *o = &a->tmpl.orig, *r = &a->tmpl.reply;

	for (int i = 0; i < 5; i++) {
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		ck_assert_msg(ct_args_parse(split(buf, argv), argv, NULL, a,
					    &err) == 0, "%s: %s", lines[i],
			      err.msg);
		switch (i) {
		case 0:
			ck_assert_uint_eq(o->sport, 21);
			ck_assert_uint_eq(o->dport, 80);
			ck_assert_uint_eq(r->sport, 80);
			ck_assert_uint_eq(r->dport, 65535);
			ck_assert_uint_eq(a->tmpl.zone, 11);
			ck_assert_uint_eq(a->mark.value, 16);
			ck_assert_uint_eq(a->mark.mask, 0xf0);
			ck_assert_uint_eq(a->tmpl.id, 7);
			break;
		case 1:
			ck_assert_uint_eq(o->sport, 21);
			ck_assert_uint_eq(a->exp_tuple.sport, 1);
			ck_assert_uint_eq(a->exp_tuple.dport, 2);
			ck_assert_uint_eq(a->exp_mask.sport, 0);
			ck_assert_uint_eq(a->exp_mask.dport, 65535);
			ck_assert_uint_eq(a->tmpl.timeout, 0); /* atol, as upstream */
			break;
		case 2:
			ck_assert_uint_eq(o->icmp_type, 8);
			ck_assert_uint_eq(o->icmp_id, 1226);
			break;
		case 3:
			ck_assert_uint_eq(a->tmpl.sctp.vtag[CT_DIR_ORIG],
					  0xffffffff);
			ck_assert_uint_eq(a->tmpl.sctp.vtag[CT_DIR_REPLY],
					  htonl(10));
			break;
		default:
			ck_assert_uint_eq(o->sport, 8);
			ck_assert_uint_eq(o->dport, 16);
			break;
		}
	}
	free(a);
}
END_TEST

/* SCTP vtags reach the kernel byte-swapped, as upstream sends them */
START_TEST(test_sctp_vtag)
{
	char line[] = "-I -p sctp -t 5 -s 1.1.1.1 -d 2.2.2.2 --sport 1 "
		      "--dport 2 --state ESTABLISHED --orig-vtag 7 "
		      "--reply-vtag 256";
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	char *argv[MAXW + 1];
	int argc = split(line, argv);

	ck_assert_int_eq(ct_args_parse(argc, argv, NULL, a, &err), 0);
	ck_assert(a->tmpl.set & CT_SCTP_VTAGS);
	ck_assert_uint_eq(a->tmpl.sctp.vtag[CT_DIR_ORIG], htonl(7));
	free(a);
}
END_TEST

/* sctp/dccp --tuple-port-* set the expected ports, not the protocol
 * (upstream stores the port as the protocol number, spec section 5) */
START_TEST(test_exp_tuple_port)
{
	static const char *const protos[] = { "sctp", "dccp", "tcp", "udp" };
	static const uint8_t nums[] = { 132, 33, 6, 17 };
	const char *proto = protos[_i];
	char *argv[] = {
		"conntrack", "-I", "expect", "-s", "1.1.1.1", "-d", "2.2.2.2",
		"-p", (char *)proto, "--sport", "1", "--dport", "2",
		"--tuple-src", "1.1.1.1", "--tuple-dst", "2.2.2.2",
		"--mask-src", "255.255.255.255", "--mask-dst",
		"255.255.255.255", "--tuple-port-src", "7",
		"--tuple-port-dst", "20000", "--mask-port-src", "0",
		"--mask-port-dst", "65535", "-t", "10",
		"--orig-vtag", "1", "--reply-vtag", "2", "--role", "client",
		NULL,
	};
	/* vtags only for sctp, --role only for dccp */
	int argc = _i == 0 ? 35 : 31;
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;

	if (_i == 1) {
		argv[31] = "--role";
		argv[32] = "client";
		argc = 33;
	}
	argv[argc] = NULL;
	ck_assert_msg(ct_args_parse(argc, argv, NULL, a, &err) == 0, "%s: %s",
		      proto, err.msg);
	ck_assert_int_eq((int)a->cmd, CT_CMD_EXP_CREATE);
	ck_assert_uint_eq(a->exp_tuple.l4, nums[_i]);
	ck_assert(a->exp_tuple.set & CT_TUPLE_SPORT);
	ck_assert(a->exp_tuple.set & CT_TUPLE_DPORT);
	ck_assert_uint_eq(a->exp_tuple.sport, 7);
	ck_assert_uint_eq(a->exp_tuple.dport, 20000);
	ck_assert_uint_eq(a->exp_mask.dport, 65535);
	free(a);
}
END_TEST

START_TEST(test_permutation)
{
	/* stray words are ignored, the table word follows the command */
	char line[] = "foo -L expect bar";
	struct ct_args a;
	struct ct_args_err err;
	char *argv[MAXW + 1];
	int argc = split(line, argv);

	ck_assert_int_eq(ct_args_parse(argc, argv, NULL, &a, &err), 0);
	ck_assert_int_eq((int)a.cmd, CT_CMD_EXP_LIST);
	ck_assert_str_eq(argv[1], "foo");	/* caller's argv untouched */
}
END_TEST

START_TEST(test_complete)
{
	char line[] = "-I -p udp -t 5 -s 1.1.1.1 -d 2.2.2.2 --sport 1 "
		      "--dport 2 -m 9";
	struct ct_args a;
	struct ct_args_err err;
	struct ct_entry e;
	char *argv[MAXW + 1];
	int argc = split(line, argv);

	ck_assert_int_eq(ct_args_parse(argc, argv, NULL, &a, &err), 0);
	ct_args_complete(&a, &e);
	ck_assert(e.set & CT_REPLY);
	ck_assert_int_eq(e.reply.sport, 2);
	ck_assert_int_eq(e.reply.dport, 1);
	ck_assert(!memcmp(&e.reply.src, &e.orig.dst, 4));
	ck_assert_uint_eq(e.mark, 9);
	ck_assert_uint_eq(e.timeout, 5);
}
END_TEST

/*
 * What -I/-A send (ct_args_complete) and what -G asks for (ct_args_key)
 * when the reply tuple, or both, name the entry: the tuple bits each
 * direction ends with, the reply ICMP type, and the tuple that
 * ct_entry_put_key() writes for a lookup.
 */
#define PORTS	(CT_TUPLE_SPORT | CT_TUPLE_DPORT)
#define ICMP	(CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID)
#define ADDRS	(CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO)
static const struct tuple_row {
	const char *line;
	int key;		/* ct_args_key, else ct_args_complete */
	uint16_t oset, rset;	/* tuple bits, zone aside */
	int rtype;		/* reply ICMP type, -1: none */
	int rid;		/* reply ICMP id */
	uint16_t put;		/* CTA_TUPLE_* a lookup sends, 0: not one */
} tuple_rows[] = {
	{ "-I -t 29 -u SEEN_REPLY -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 "
	  "-p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1226", 0,
	  ADDRS | ICMP, ADDRS | ICMP, 0, 1226, CTA_TUPLE_ORIG },
	/* the ICMP options before the addresses: the same */
	{ "-A -t 29 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1226 "
	  "-s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1", 0,
	  ADDRS | ICMP, ADDRS | ICMP, 0, 1226, CTA_TUPLE_ORIG },
	{ "-I -t 29 -w 11 -r 2.2.2.2 -q 1.1.1.1 -p icmp --icmp-type 13 "
	  "--icmp-code 0 --icmp-id 5", 0, ADDRS | ICMP, ADDRS | ICMP, 14, 5,
	  CTA_TUPLE_ORIG },
	{ "-I -t 29 -s 2001:db8::1 -d 2001:db8::2 -r 2001:db8::2 "
	  "-q 2001:db8::1 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 "
	  "--icmpv6-id 9", 0, ADDRS | ICMP, ADDRS | ICMP, 129, 9,
	  CTA_TUPLE_ORIG },
	/* no --icmp-id: 0, as upstream sends it */
	{ "-I -t 29 -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 0 "
	  "--icmp-code 0", 0, ADDRS | ICMP, ADDRS | ICMP, 8, 0,
	  CTA_TUPLE_ORIG },
	/* orig addresses and reply ports: orig ports 0 */
	{ "-I -t 29 -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p tcp "
	  "--reply-port-src 11 --reply-port-dst 21 --state LISTEN", 0,
	  ADDRS | PORTS, ADDRS | PORTS, -1, 0, CTA_TUPLE_ORIG },
	{ "-I -t 29 --reply-zone 3 -r 2.2.2.2 -q 1.1.1.1 -p gre "
	  "--reply-key-src 11 --reply-key-dst 21", 0, ADDRS | PORTS,
	  ADDRS | PORTS, -1, 0, CTA_TUPLE_ORIG },
	{ "-I -t 29 -r 2.2.2.2 -q 1.1.1.1 -p 2", 0, ADDRS, ADDRS, -1, 0,
	  CTA_TUPLE_ORIG },
	/* -G: the complete tuple; the orig one of -p alone is none */
	{ "-G -r 2.2.2.2 -q 1.1.1.1 -p udp --reply-port-src 11 "
	  "--reply-port-dst 21", 1, CT_TUPLE_PROTO, ADDRS | PORTS, -1, 0,
	  CTA_TUPLE_REPLY },
	{ "-G -r 2.2.2.2 -q 1.1.1.1 -p icmp --icmp-type 8 --icmp-code 0 "
	  "--icmp-id 3", 1, CT_TUPLE_PROTO | ICMP, ADDRS | ICMP, 0, 3,
	  CTA_TUPLE_REPLY },
	{ "-G -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p tcp "
	  "--reply-port-src 11 --reply-port-dst 21", 1, ADDRS | PORTS,
	  ADDRS | PORTS, -1, 0, CTA_TUPLE_ORIG },
	{ "-G -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 8 --icmp-code 0", 1,
	  ADDRS | ICMP, 0, -1, 0, CTA_TUPLE_ORIG },
	{ "-G -r 2.2.2.2 -q 1.1.1.1 -p 2", 1, CT_TUPLE_PROTO, ADDRS, -1, 0,
	  CTA_TUPLE_REPLY },
};

/* The tuple ct_entry_put_key writes for @e: CTA_TUPLE_ORIG or _REPLY. */
static uint16_t key_put(const struct ct_entry *e)
{
	_Alignas(4) unsigned char buf[512];
	struct ct_entry back;
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	/* written as a NEW message, which the decoder reads */
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_NEW, 0, 1,
					   e->family), 0);
	ck_assert_int_eq(ct_entry_put_key(&m, e), 0);
	nl_msg_end(&m);
	ck_assert_int_eq(ct_entry_decode(nl_msg_hdr(&m), &back, NULL), 0);
	ck_assert(!(back.set & CT_ORIG) != !(back.set & CT_REPLY));
	return (back.set & CT_ORIG) ? CTA_TUPLE_ORIG : CTA_TUPLE_REPLY;
}

START_TEST(test_tuples)
{
	const struct tuple_row *r = &tuple_rows[_i];
	const uint16_t zone = CT_TUPLE_ZONE;
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	struct ct_entry e;
	char buf[512], *argv[MAXW + 1];
	int argc;

	snprintf(buf, sizeof(buf), "%s", r->line);
	argc = split(buf, argv);
	ck_assert_msg(ct_args_parse(argc, argv, NULL, a, &err) == 0, "%s: %s",
		      r->line, err.msg);
	if (r->key)
		ct_args_key(a, &e);
	else
		ct_args_complete(a, &e);
	ck_assert_msg((e.orig.set & ~zone) == r->oset, "%s: orig %#x",
		      r->line, e.orig.set);
	ck_assert_msg((e.reply.set & ~zone) == r->rset, "%s: reply %#x",
		      r->line, e.reply.set);
	if (r->rtype >= 0) {
		ck_assert_int_eq(e.reply.icmp_type, r->rtype);
		ck_assert_int_eq(e.reply.icmp_id, r->rid);
		ck_assert_int_eq(e.reply.icmp_code, e.orig.icmp_code);
		ck_assert_int_eq(e.reply.l4, e.orig.l4);
	}
	/* orig ports: derived from the reply, else 0 if not given */
	if ((r->oset & PORTS) && !(a->options & CT_OPT_ORIG))
		ck_assert_int_eq(e.orig.sport, e.reply.dport);
	else if ((r->oset & PORTS) && !(a->l4flags & 1))
		ck_assert_int_eq(e.orig.sport, 0);
	if (r->put)
		ck_assert_msg(key_put(&e) == r->put, "%s: put", r->line);
	free(a);
}
END_TEST

/* -D by the reply tuple in a zone can go straight to the entry */
START_TEST(test_reply_key)
{
	char line[] = "-D -w 11 -r 2.2.2.2 -q 1.1.1.1 -p tcp --reply-port-src "
		      "11 --reply-port-dst 21";
	struct ct_args *a = malloc(sizeof(*a));
	struct ct_args_err err;
	char *argv[MAXW + 1];
	int argc = split(line, argv);

	ck_assert_int_eq(ct_args_parse(argc, argv, NULL, a, &err), 0);
	ck_assert(ct_filter_is_key(&a->filter));
	ck_assert_uint_eq(key_put(&a->filter.tmpl), CTA_TUPLE_REPLY);
	free(a);
}
END_TEST

Suite *ct_args_suite(void)
{
	Suite *s = suite_create("ct_args");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_sctp_vtag);
	tcase_add_loop_test(tc, test_exp_tuple_port, 0, 4);
	tcase_add_test(tc, test_permutation);
	tcase_add_test(tc, test_complete);
	tcase_add_loop_test(tc, test_tuples, 0,
			    sizeof(tuple_rows) / sizeof(tuple_rows[0]));
	tcase_add_test(tc, test_reply_key);
	suite_add_tcase(s, tc);
	return s;
}
