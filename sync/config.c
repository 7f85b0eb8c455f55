// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd.conf (sync/config.h): upstream's defaults, the entry points,
 * the top level of the grammar (General, Sync, Stats and Helper sections
 * in any order and number) and the machinery every section shares: the
 * one-token lookahead, the table-driven block walker, number and address
 * readers, and the error and warning texts. The sections live in
 * config_general.c, config_filter.c, config_sync.c and config_helper.c,
 * the checks after the parse in config_check.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct/file.h"
#include "sync/config.h"
#include "sync/config_int.h"

#define CONF_FILE_MAX	(16u << 20)	/* sync_conf_load() refuses more */
#define CONF_SYMBOL_MAX	300		/* bytes of a symbol in a message */

void sync_conf_init(struct sync_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->hash_size = 65536;
	c->hash_limit = 262144;
	c->syslog = -1;
	snprintf(c->lockfile, sizeof(c->lockfile), "%s",
		 "/var/lock/conntrackd.lock");
	c->nl_overrun_resync = 30;
	c->systemd = 1;
	c->event_iter_limit = 100;
	c->sync.resend_queue_size = 131072;
	c->sync.purge_timeout = 60;
	c->sync.ack_window = 300;
	c->sync.refresh_time = 60;
	c->sync.cache_timeout = 180;
	c->stats.syslog = -1;
}

void sync_conf_free(struct sync_conf *c)
{
	if (!c)
		return;
	free(c->filter.nets);
	c->filter.nets = NULL;
	c->filter.n_nets = 0;
}

void conf_next(struct conf_parser *ps)
{
	sync_conf_lex_next(&ps->lx, &ps->tok);
}

/* The token as upstream's message shows it, but bytes that are neither
 * printable ASCII nor a tab as \xNN (upstream prints them raw) and long
 * tokens cut. */
static void symbol(char *out, size_t cap, const struct conf_token *t)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < t->len && o + 5 < cap; i++) {
		unsigned char b = (unsigned char)t->p[i];

		if ((b >= 0x20 && b < 0x7f) || b == '\t') {
			out[o++] = (char)b;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[b >> 4];
		out[o++] = hex[b & 15];
	}
	out[o] = '\0';
}

int conf_syntax(struct conf_parser *ps)
{
	char sym[CONF_SYMBOL_MAX];

	symbol(sym, sizeof(sym), &ps->tok);
	return conf_fail(ps, "parsing config file in line (%u), symbol '%s': "
			 "syntax error", ps->tok.line, sym);
}

int conf_fail(struct conf_parser *ps, const char *fmt, ...)
{
	va_list ap;

	ps->err->line = ps->tok.line;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void conf_warn(struct conf_parser *ps, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!ps->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->warn(ps->arg, msg);
}

int conf_expect(struct conf_parser *ps, char ch)
{
	if (!sync_conf_lex_is(&ps->tok, ch))
		return conf_syntax(ps);
	conf_next(ps);
	return 0;
}

int conf_ignored(struct conf_parser *ps, int type, const char *msg)
{
	conf_next(ps);
	if (ps->tok.type != type)
		return conf_syntax(ps);
	conf_warn(ps, "%s", msg);
	conf_next(ps);
	return 0;
}

int conf_number(struct conf_parser *ps, const struct conf_token *kw,
		uint32_t max, uint32_t *v)
{
	char sym[CONF_SYMBOL_MAX];

	if (ps->tok.type != TOK_NUMBER)
		return conf_syntax(ps);
	if (ps->tok.num > max) {
		symbol(sym, sizeof(sym), &ps->tok);
		return conf_fail(ps, "parsing config file in line (%u), "
				 "symbol '%s': `%.*s' must be [0, %u]",
				 ps->tok.line, sym, (int)kw->len, kw->p, max);
	}
	*v = (uint32_t)ps->tok.num;
	return 0;
}

int conf_copy(const struct conf_token *t, char *dst, size_t cap)
{
	if (t->len >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, t->p, t->len);
	memset(dst + t->len, 0, cap - t->len);
	return 0;
}

int conf_has_ctrl(const struct conf_token *t)
{
	for (size_t i = 0; i < t->len; i++)
		if ((unsigned char)t->p[i] < 0x20 || t->p[i] == 0x7f)
			return 1;
	return 0;
}

int conf_ipv4(const char *s, size_t len, uint32_t *a)
{
	uint8_t b[4];
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int base = 10, v = 0;
		size_t start;

		if (part && (i >= len || s[i++] != '.'))
			return -1;
		start = i;
		if (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' &&
		    s[i + 1] <= '9')
			base = 8;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if ((unsigned int)(s[i] - '0') >= base)
				return -1;
			v = v * base + (unsigned int)(s[i] - '0');
			if (v > 255)
				return -1;
		}
		if (i == start)
			return -1;
		b[part] = (uint8_t)v;
	}
	if (i != len)
		return -1;
	memcpy(a, b, 4);
	return 0;
}

int conf_ipv6(const char *s, size_t len, uint8_t a[16])
{
	char buf[64];

	/* no IPv6 text inet_pton() takes is this long */
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, a) == 1 ? 0 : -1;
}

static const struct conf_key *key_find(const struct conf_key *keys, size_t n,
				       int tok)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].tok == tok)
			return &keys[i];
	return NULL;
}

static int key_run(struct conf_parser *ps, const struct conf_key *k,
		   void *base)
{
	struct conf_token kw = ps->tok;
	uint32_t v = 0;
	int r;

	if (k->kind == KEY_FN)
		return k->fn(ps, base);
	conf_next(ps);
	if (k->kind == KEY_BOOL) {
		if (ps->tok.type != TOK_ON && ps->tok.type != TOK_OFF)
			return conf_syntax(ps);
		*((uint8_t *)base + k->off) = ps->tok.type == TOK_ON;
	} else {
		r = conf_number(ps, &kw, k->max, &v);
		if (r < 0)
			return r;
		if (!v && k->dflt)
			v = k->dflt;
		if (k->kind == KEY_U16) {
			uint16_t v16 = (uint16_t)v;

			memcpy((char *)base + k->off, &v16, sizeof(v16));
		} else {
			memcpy((char *)base + k->off, &v, sizeof(v));
		}
	}
	conf_next(ps);
	return 0;
}

int conf_block(struct conf_parser *ps, const struct conf_key *keys,
	       size_t n, void *base)
{
	const struct conf_key *k;
	int r;

	r = conf_expect(ps, '{');
	while (!r && !sync_conf_lex_is(&ps->tok, '}')) {
		k = key_find(keys, n, ps->tok.type);
		if (!k)
			return conf_syntax(ps);
		if ((k->flags & KEY_F_CHAN) &&
		    ps->c->sync.n_chan >= SYNC_CONF_CHAN_MAX)
			return conf_fail(ps, "too many dedicated links in the "
					 "configuration file (Maximum: %d)",
					 SYNC_CONF_CHAN_MAX);
		r = key_run(ps, k, base);
	}
	return r;
}

int conf_section(struct conf_parser *ps, const struct conf_key *keys,
		 size_t n, void *base, unsigned int run)
{
	const unsigned int modes = SYNC_RUN_SYNC | SYNC_RUN_STATS;
	int r;

	conf_next(ps);
	r = conf_block(ps, keys, n, base);
	if (r < 0)
		return r;
	if ((run & modes) && (ps->c->run & modes & ~run))
		return conf_fail(ps, "cannot use both `Stats' and `Sync' "
				 "clauses in conntrackd.conf");
	ps->c->run |= run;
	conf_next(ps);
	return 0;
}

/* configfile: { General | Sync | Stats | Helper }* */
static int conf_top(struct conf_parser *ps)
{
	int r = 0;

	conf_next(ps);
	while (!r && ps->tok.type != TOK_EOF) {
		switch (ps->tok.type) {
		case K_GENERAL:
			r = conf_general(ps);
			break;
		case K_SYNC:
			r = conf_sync(ps);
			break;
		case K_STATS:
			r = conf_stats(ps);
			break;
		case K_HELPER:
			r = conf_helper(ps);
			break;
		default:
			return conf_syntax(ps);
		}
	}
	return r;
}

int sync_conf_parse_ifindex(struct sync_conf *c, const char *text,
			    size_t len, struct sync_conf_err *err,
			    sync_conf_warn_cb warn, void *arg,
			    sync_conf_ifindex_fn ifindex)
{
	struct conf_parser ps;
	int r;

	memset(&ps, 0, sizeof(ps));
	memset(err, 0, sizeof(*err));
	ps.c = c;
	ps.err = err;
	ps.warn = warn;
	ps.arg = arg;
	ps.ifindex = ifindex ? ifindex : if_nametoindex;
	ps.default_chan = -1;
	ps.nets_cap = c->filter.n_nets;
	sync_conf_lex_init(&ps.lx, text, len, warn, arg);
	r = conf_top(&ps);
	if (!r)
		r = conf_finish(&ps);
	free(ps.slots);
	return r;
}

int sync_conf_parse(struct sync_conf *c, const char *text, size_t len,
		    struct sync_conf_err *err, sync_conf_warn_cb warn,
		    void *arg)
{
	return sync_conf_parse_ifindex(c, text, len, err, warn, arg, NULL);
}

int sync_conf_load(struct sync_conf *c, const char *path,
		   struct sync_conf_err *err, sync_conf_warn_cb warn,
		   void *arg)
{
	char *text;
	size_t len = 0;
	int r;

	sync_conf_init(c);
	memset(err, 0, sizeof(*err));
	r = ct_file_read(path, CONF_FILE_MAX, &text, &len);
	if (r < 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "can't open config file `%s'", path);
		return r;
	}
	r = sync_conf_parse(c, text, len, err, warn, arg);
	free(text);
	return r;
}
