/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the sync/config*.c files of the conntrackd.conf
 * parser: the parse state, the table-driven block walker every section
 * uses, and the helpers that read a value token and report upstream's
 * messages. Not for other modules.
 *
 * The parser is recursive descent with one token of lookahead, which is
 * what upstream's bison grammar needs too: a key's action runs before the
 * token after it is read, so warnings and errors come out in upstream's
 * order, and a syntax error names the first token that cannot continue a
 * valid file.
 */
#ifndef RAWCT_SYNC_CONFIG_INT_H
#define RAWCT_SYNC_CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sync/config.h"
#include "sync/config_lex.h"

#define CONF_INT_MAX	2147483647u	/* upstream's values are atoi() ints */
#define CONF_PENDING_MAX 32	/* Helper settings waiting for a Type */
#define CONF_TYPE_DEPTH	8	/* Type { Type { ... } } nesting */
#define CONF_NETS_MAX	(1u << 20)	/* Filter addresses */
#define CONF_N(a)	(sizeof(a) / sizeof((a)[0]))

/* A QueueNum, QueueLen or Policy read but not yet taken by the `}' of a
 * Type (upstream keeps them on a stack and every Type pops them all). */
struct conf_pending {
	uint8_t kind;		/* K_QUEUE_NUM, K_QUEUE_LEN, K_POLICY */
	uint32_t value;
	char name[SYNC_CONF_HELPER_NAME + 1];	/* Policy: upstream's 16 */
	uint32_t expect_max, expect_timeout;
};

struct conf_parser {
	struct sync_conf *c;
	struct sync_conf_err *err;
	sync_conf_warn_cb warn;
	void *arg;
	sync_conf_ifindex_fn ifindex;
	struct conf_lex lx;
	struct conf_token tok;		/* the lookahead */
	unsigned int modes;		/* 1 << SYNC_MODE_* of Mode blocks */
	uint8_t chan_type;		/* type of the channels so far */
	int default_chan;		/* last `Default' channel, -1 none */
	uint32_t errq_len;		/* ErrorQueueLength: one for all */
	uint8_t expect_last;		/* last ExpectationSync: 0, on, off */
	unsigned int depth;		/* Type nesting */
	struct conf_pending pend[CONF_PENDING_MAX];
	unsigned int n_pend;
	size_t nets_cap;		/* allocated c->filter.nets */
	uint32_t *slots;		/* dedup index of nets: i + 1, 0 free */
	size_t n_slots;			/* power of two, >= 2 * nets_cap */
};

/* What a row of a block table does with its keyword. */
enum {
	KEY_U32,	/* number into a uint32_t; 0 stores @dflt if set */
	KEY_U16,	/* number into a uint16_t (@max <= 65535) */
	KEY_BOOL,	/* on|off into a uint8_t */
	KEY_FN,		/* the row's function reads the value */
};

/* Row flag: the key uses the channel being read, so upstream checks the
 * number of channels first (conf_get_channel()). */
#define KEY_F_CHAN	1

struct conf_key {
	uint8_t tok;
	uint8_t kind;
	uint8_t flags;
	uint16_t off;		/* offset of the field in the block's base */
	uint32_t max;		/* KEY_U32 range [0, max] */
	uint32_t dflt;
	int (*fn)(struct conf_parser *ps, void *base);
};

/* Reads the next token into ps->tok. */
void conf_next(struct conf_parser *ps);

/* Upstream's syntax error at the lookahead. Returns -EINVAL. */
int conf_syntax(struct conf_parser *ps);

/* An error (upstream's text) at the lookahead's line. Returns -EINVAL. */
int conf_fail(struct conf_parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A warning through the caller's callback. */
void conf_warn(struct conf_parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A key upstream reads and ignores: its value must be a @type token;
 * warns @msg and consumes both. */
int conf_ignored(struct conf_parser *ps, int type, const char *msg);

/* The lookahead must be @ch: consume it, else a syntax error. */
int conf_expect(struct conf_parser *ps, char ch);

/*
 * conf_block - walks `{ key value ... }' with the keys of @keys (@n rows)
 * acting on @base. Starts at the '{', stops at the '}' without consuming
 * it, so the caller's closing action runs before the next token is read.
 */
int conf_block(struct conf_parser *ps, const struct conf_key *keys,
	       size_t n, void *base);

/*
 * conf_section - a keyword and its `{ ... }' (conf_block()), consumed to
 * the '}'. @run (SYNC_RUN_*, 0 for a subsection) is set at the '}',
 * where upstream refuses Sync and Stats together.
 */
int conf_section(struct conf_parser *ps, const struct conf_key *keys,
		 size_t n, void *base, unsigned int run);

/*
 * conf_number - the lookahead must be a number of at most @max: stores
 * it in *@v. @kw, the keyword, is named by the out-of-range message (a
 * difference: upstream's atoi() wraps). Does not consume the token.
 */
int conf_number(struct conf_parser *ps, const struct conf_token *kw,
		uint32_t max, uint32_t *v);

/* The lookahead's text into @dst (@cap bytes, the rest zeroed, so that
 * equal configurations are equal bytes); returns 0, or -ENAMETOOLONG
 * (nothing copied) when it does not fit. */
int conf_copy(const struct conf_token *t, char *dst, size_t cap);

/* A path value (the lookahead, not consumed) into @dst (@cap bytes):
 * longer than @cap - 1 is upstream's "<what> is longer than N
 * characters"; a control character is refused. Returns 0 or -EINVAL. */
int conf_path(struct conf_parser *ps, char *dst, size_t cap,
	      const char *what);

/* Whether the token's bytes hold a control character. */
int conf_has_ctrl(const struct conf_token *t);

/* The IPv4 address of a dotted-quad token as inet_aton() reads it (a
 * part with a leading 0 is octal): 0 and *@a (network order), or -1. */
int conf_ipv4(const char *s, size_t len, uint32_t *a);

/* The IPv6 address of @len bytes at @s, as inet_pton(): 0 or -1. */
int conf_ipv6(const char *s, size_t len, uint8_t a[16]);

/* Sections, each entered with the lookahead on its keyword. */
int conf_general(struct conf_parser *ps);
int conf_stats(struct conf_parser *ps);
int conf_sync(struct conf_parser *ps);
int conf_helper(struct conf_parser *ps);
int conf_filter(struct conf_parser *ps, void *base);

/* Sync { Authentication { ... } } (ours, sync/config_auth.c). */
int conf_auth(struct conf_parser *ps, void *base);
/* Its checks once the links are known. Returns 0 or -EINVAL. */
int conf_auth_finish(struct conf_parser *ps);

/* Upstream's checks after the parse (evaluate(), the sync mode), then
 * ours. Returns 0 or -EINVAL. */
int conf_finish(struct conf_parser *ps);

#endif
