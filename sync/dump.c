// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cache dumps to control clients (see sync/dump.h): a bucket cursor
 * advanced a few dozen objects per producer call, each object unpacked
 * and printed with the ct/ printers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct/entry.h"
#include "ct/expect.h"
#include "ct/expect_format.h"
#include "ct/format.h"
#include "ct/pack.h"
#include "sync/cache.h"
#include "sync/ctl.h"
#include "sync/dump.h"

#define OBJS_PER_CALL	64
#define LINE_MAX_LEN	2048	/* upstream's buffer is 1024 */

struct dump {
	struct sync_cache *c;
	struct sync_dump_opts o;
	uint32_t cursor;
	struct sync_client *cl;
};

/* A dump is text read on a terminal, one flow per line, but the strings
 * of a cached flow (helper name, security context, expectfn) are bytes
 * from the kernel or, in Sync mode, from a peer: the line's controls,
 * DEL and non-ASCII bytes are shown as \xNN (upstream prints them raw).
 * Returns the new length (the line is cut to @len - 1). */
static int dump_escape(char *buf, size_t len, int n)
{
	char tmp[LINE_MAX_LEN];
	size_t o = 0;
	int i;

	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			break;
	if (i == n)
		return n;
	for (i = 0; i < n && o + 4 < sizeof(tmp); i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (ch >= 0x20 && ch <= 0x7e)
			tmp[o++] = (char)ch;
		else
			o += (size_t)snprintf(tmp + o, sizeof(tmp) - o,
					      "\\x%02x", ch);
	}
	if (o >= len)
		o = len - 1;
	memcpy(buf, tmp, o);
	buf[o] = '\0';
	return (int)o;
}

int sync_dump_line(char *buf, size_t len, const struct sync_cache_obj *o,
		   const struct sync_dump_opts *opts)
{
	struct ct_fmt_opts fo = { 0 };
	int n, m;

	if (opts->exp) {
		struct ct_expect x;

		if (ct_expect_unpack(sync_cache_obj_body(o), o->body_len,
				     &x) < 0)
			return -EBADMSG;
		x.set &= ~(uint32_t)CT_EXP_TIMEOUT;
		n = opts->xml ? ct_expect_format_xml(buf, len, &x, &fo)
			      : ct_expect_format_default(buf, len, &x, &fo);
	} else {
		struct ct_entry e;

		if (ct_entry_unpack(sync_cache_obj_body(o), o->body_len,
				    &e) < 0)
			return -EBADMSG;
		e.set &= ~(uint64_t)CT_TIMEOUT;
		if (opts->no_reply) {
			e.set &= ~(uint64_t)CT_REPLY;
			memset(&e.reply, 0, sizeof(e.reply));
		}
		n = opts->xml ? ct_format_xml(buf, len, &e, &fo)
			      : ct_format_default(buf, len, &e, &fo);
	}
	if (n < 0 && n != -ENOSPC)
		return n;
	if (n < 0)
		n = (int)strlen(buf);
	n = dump_escape(buf, len, n);
	if (opts->xml)
		return n;
	if (opts->suffix) {
		m = opts->suffix(o, buf + n, len - (size_t)n, opts->arg);
		if (m > 0 && (size_t)m < len - (size_t)n)
			n += m;
	}
	m = snprintf(buf + n, len - (size_t)n, " [active since %lds]",
		     (long)(opts->now - o->lifetime));
	if (m > 0 && (size_t)m < len - (size_t)n)
		n += m;
	return n;
}

static int dump_obj(struct sync_cache *c, struct sync_cache_obj *o,
		    void *arg)
{
	struct dump *dp = arg;
	char line[LINE_MAX_LEN];
	int n;

	(void)c;
	if (dp->o.hide_dead && o->status == SYNC_OBJ_DEAD)
		return 0;
	n = sync_dump_line(line, sizeof(line) - 1, o, &dp->o);
	if (n < 0)
		return 0;	/* cannot happen for what we packed */
	line[n++] = '\n';
	return sync_client_write(dp->cl, line, (size_t)n);
}

static int dump_fill(struct sync_client *cl, void *arg)
{
	struct dump *dp = arg;

	dp->cl = cl;
	return sync_cache_iter(dp->c, &dp->cursor, OBJS_PER_CALL, dump_obj,
			       dp);
}

int sync_dump_start(struct sync_client *cl, struct sync_cache *c,
		    const struct sync_dump_opts *o)
{
	struct dump *dp = calloc(1, sizeof(*dp));

	if (!dp)
		return -ENOMEM;
	dp->c = c;
	dp->o = *o;
	sync_client_fill(cl, dump_fill, dp, free);
	return 0;
}
