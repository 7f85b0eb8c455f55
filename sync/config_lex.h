/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tokenizer of conntrackd.conf, as upstream's flex scanner
 * (src/read_config_lex.l) cuts the text: at each position the longest
 * match of all rules wins, a tie goes to the rule listed first (keywords,
 * booleans, integers, signed integers, IPv4, IPv6, paths, mode names,
 * strings, then any single byte). So "HashSizeX" is a string, "1e5" and
 * "dead" are addresses, "o|" is `on' (the '|' inside upstream's classes is
 * literal), a '#' comment needs a newline after it, '\r' is a blank that
 * does not count as a line. Tokens borrow their text from the input, which
 * need not be NUL-terminated; nothing is allocated. The `persistent' and
 * `nack' mode names are reported through the warning callback when read,
 * as upstream's scanner does.
 */
#ifndef RAWCT_SYNC_CONFIG_LEX_H
#define RAWCT_SYNC_CONFIG_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "sync/config.h"

/* Token types: the value tokens, then one per keyword (upstream's T_*). */
enum conf_tok {
	TOK_EOF,
	TOK_CHAR,		/* any other byte, '{' and '}' included */
	TOK_NUMBER,		/* [0-9]+ */
	TOK_SIGNED,		/* [-+][0-9]+ */
	TOK_IP,			/* IPv4 or IPv6 form, with /n */
	TOK_PATH,		/* '/' and up to a blank, '"' or newline */
	TOK_STRING,		/* [a-zA-Z][a-zA-Z0-9._-]* */
	TOK_ON, TOK_OFF,	/* on yes / off no, any case */
	TOK_ALARM, TOK_FTFW, TOK_NOTRACK,	/* also persistent, nack */
	K_UNIX, K_IPV4_ADDR, K_IPV6_ADDR, K_IPV4_DEST, K_IPV6_DEST,
	K_IPV4_IFACE, K_IPV6_IFACE, K_IFACE, K_MULTICAST, K_UDP, K_TCP,
	K_HASHSIZE, K_REFRESH, K_EXPIRE, K_TIMEOUT, K_HASHLIMIT, K_PATH,
	K_BACKLOG, K_GROUP, K_PORT, K_LOG, K_SYSLOG, K_LOCK, K_GENERAL,
	K_SYNC, K_STATS, K_BUFSIZE, K_BUFSIZE_MAX, K_MODE, K_RESEND_QUEUE,
	K_CHECKSUM, K_WINDOWSIZE, K_FOR, K_SYN_SENT, K_SYN_RECV,
	K_ESTABLISHED, K_FIN_WAIT, K_CLOSE_WAIT, K_LAST_ACK, K_TIME_WAIT,
	K_CLOSE, K_LISTEN, K_SNDBUF, K_RCVBUF, K_FILTER, K_PROTOCOL,
	K_ADDRESS, K_STATE, K_ACCEPT, K_IGNORE, K_PURGE, K_FROM,
	K_USERSPACE, K_KERNELSPACE, K_EVENT_ITER, K_DEFAULT, K_POLL_SECS,
	K_OVERRUN_RESYNC, K_NICE, K_SCHEDULER, K_TYPE, K_PRIO,
	K_EVENTS_RELIABLE, K_DISABLE_INTERNAL, K_DISABLE_EXTERNAL,
	K_OPTIONS, K_TCP_WINDOW, K_EXPECT_SYNC, K_ERRQ_LEN, K_HELPER,
	K_QUEUE_NUM, K_QUEUE_LEN, K_POLICY, K_EXPECT_MAX, K_EXPECT_TIMEOUT,
	K_SYSTEMD, K_STARTUP_RESYNC, K_SETUP,
	K_PRIVSEP, K_USER, K_CHROOT, K_SEPARATE,	/* ours */
	K_AUTH, K_KEYFILE, K_ENCRYPT, K_PEER,		/* ours */
	TOK_MAX
};

struct conf_token {
	int type;		/* enum conf_tok */
	unsigned int line;	/* 1-based, as upstream's yylineno */
	const char *p;		/* the text, borrowed; "" at end of input */
	size_t len;
	uint64_t num;		/* TOK_NUMBER: the value, UINT64_MAX if
				 * it does not fit */
};

struct conf_lex {
	const char *text;
	size_t len, pos;
	unsigned int line;
	sync_conf_warn_cb warn;
	void *arg;
};

/* Starts scanning @len bytes at @text; @warn (may be NULL) receives the
 * `persistent'/`nack' warnings. */
void sync_conf_lex_init(struct conf_lex *lx, const char *text, size_t len,
			sync_conf_warn_cb warn, void *arg);

/* The next token into @t (TOK_EOF at the end, again and again). Never
 * fails: a byte no rule takes is a TOK_CHAR for the parser to refuse. */
void sync_conf_lex_next(struct conf_lex *lx, struct conf_token *t);

/* Whether @t is the single byte @ch. */
int sync_conf_lex_is(const struct conf_token *t, char ch);

#endif
