// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectation printers: the default line, the XML flow and JSON Lines
 * (contracts in expect_format.h). Tuples are printed by ct/format.c's
 * ct_format_tuple_piece(), so protocol handling lives in one place; this
 * file only lays out the record, through a small bounded writer that
 * counts every byte and stores those that fit, so the result is either
 * the whole text or -ENOSPC with a prefix of it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/expect_format.h"
#include "ct/proto.h"

#define PIECE_MAX 512	/* one tuple piece: addresses, ports, JSON keys */

struct w {
	char *buf;
	size_t len;
	size_t pos;	/* bytes appended, stored or not */
	char last;	/* the last byte appended */
};

static void w_mem(struct w *w, const char *s, size_t n)
{
	if (w->pos < w->len) {
		size_t room = w->len - w->pos;

		memcpy(w->buf + w->pos, s, n < room ? n : room);
	}
	w->pos += n;
	if (n)
		w->last = s[n - 1];
}

static void w_str(struct w *w, const char *s)
{
	w_mem(w, s, strlen(s));
}

static void w_u32(struct w *w, uint32_t v)
{
	char tmp[16];
	int n = snprintf(tmp, sizeof(tmp), "%u", (unsigned int)v);

	w_mem(w, tmp, (size_t)n);
}

static void w_piece(struct w *w, const struct ct_tuple *t,
		    enum ct_fmt_piece piece, const char *prefix)
{
	char tmp[PIECE_MAX];
	int n = ct_format_tuple_piece(tmp, sizeof(tmp), t, piece, prefix);

	if (n > 0)
		w_mem(w, tmp, (size_t)n);
}

static int w_start(struct w *w, char *buf, size_t len)
{
	if (!buf)
		return -EINVAL;
	w->buf = buf;
	w->len = len;
	w->pos = 0;
	w->last = '\0';
	return 0;
}

static int w_end(struct w *w)
{
	if (w->pos < w->len) {
		w->buf[w->pos] = '\0';
		return (int)w->pos;
	}
	if (w->len)
		w->buf[w->len - 1] = '\0';
	return -ENOSPC;
}

static const char *l3_name(uint8_t l3)
{
	return l3 == AF_INET ? "ipv4" : l3 == AF_INET6 ? "ipv6" : "unknown";
}

static const char *l4_name(uint8_t l4)
{
	const struct ct_proto *p = ct_proto_by_num(l4);

	return p->num == l4 && p->num ? p->name : "unknown";
}

static const char *const flag_names[] = {
	"PERMANENT", "INACTIVE", "USERSPACE",
};

#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

/* ---- default ------------------------------------------------------------ */

static const char *const event_tags[] = {
	[CT_FMT_EV_NEW] = "    [NEW] ",
	[CT_FMT_EV_UPDATE] = " [UPDATE] ",
	[CT_FMT_EV_DESTROY] = "[DESTROY] ",
};

int ct_expect_format_default(char *buf, size_t len, const struct ct_expect *x,
			     const struct ct_fmt_opts *o)
{
	const char *delim = "";
	struct w w;

	if (!x || !o || w_start(&w, buf, len))
		return -EINVAL;
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		w_str(&w, event_tags[o->event]);
	w_u32(&w, x->timeout);
	w_str(&w, " proto=");
	w_u32(&w, x->tuple.l4);
	w_str(&w, " ");
	w_piece(&w, &x->tuple, CT_FMT_PIECE_ADDRS, "");
	w_piece(&w, &x->tuple, CT_FMT_PIECE_L4, NULL);
	w_piece(&w, &x->mask, CT_FMT_PIECE_ADDRS, "mask-");
	w_piece(&w, &x->mask, CT_FMT_PIECE_L4, NULL);
	w_piece(&w, &x->master, CT_FMT_PIECE_ADDRS, "master-");
	w_piece(&w, &x->master, CT_FMT_PIECE_L4, NULL);
	if (x->set & CT_EXP_ZONE) {
		w_str(&w, "zone=");
		w_u32(&w, x->zone);
		w_str(&w, " ");
	}
	for (unsigned int i = 0; i < NFLAGS; i++) {
		if (!(x->flags & (1U << i)))
			continue;
		w_str(&w, delim);
		w_str(&w, flag_names[i]);
		delim = ",";
	}
	if (*delim)
		w_str(&w, " ");
	if (x->set & CT_EXP_CLASS) {
		w_str(&w, "class=");
		w_u32(&w, x->class);
		w_str(&w, " ");
	}
	if ((x->set & CT_EXP_HELPER) && x->helper) {
		w_str(&w, "helper=");
		w_str(&w, x->helper);
	}
	if (w.last == ' ')
		w.pos--;	/* upstream drops one trailing blank */
	return w_end(&w);
}

/* ---- xml ---------------------------------------------------------------- */

static void xml_text(struct w *w, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			w_str(w, "&lt;");
		else if (*s == '>')
			w_str(w, "&gt;");
		else if (*s == '&')
			w_str(w, "&amp;");
		else
			w_mem(w, s, 1);
	}
}

static void xml_u32(struct w *w, const char *tag, uint32_t v)
{
	w_str(w, "<");
	w_str(w, tag);
	w_str(w, ">");
	w_u32(w, v);
	w_str(w, "</");
	w_str(w, tag);
	w_str(w, ">");
}

/* <layerN protonum= protoname=><expected>..</expected><mask>..</mask>
 * <master>..</master></layerN> */
static void xml_layer(struct w *w, const struct ct_expect *x, bool l4)
{
	static const char *const part[] = { "expected", "mask", "master" };
	const struct ct_tuple *t[] = { &x->tuple, &x->mask, &x->master };
	enum ct_fmt_piece piece = l4 ? CT_FMT_PIECE_XML_L4 :
				       CT_FMT_PIECE_XML_ADDRS;

	w_str(w, l4 ? "<layer4 protonum=\"" : "<layer3 protonum=\"");
	w_u32(w, l4 ? x->tuple.l4 : x->tuple.l3);
	w_str(w, "\" protoname=\"");
	w_str(w, l4 ? l4_name(x->tuple.l4) : l3_name(x->tuple.l3));
	w_str(w, "\">");
	for (unsigned int i = 0; i < 3; i++) {
		w_str(w, "<");
		w_str(w, part[i]);
		w_str(w, ">");
		w_piece(w, t[i], piece, NULL);
		w_str(w, "</");
		w_str(w, part[i]);
		w_str(w, ">");
	}
	w_str(w, l4 ? "</layer4>" : "</layer3>");
}

static const char *const xml_flag_tags[] = {
	"<permanent/>", "<inactive/>", "<userspace/>",
};

static const char *const xml_flow_open[] = {
	[CT_FMT_EV_NONE] = "<flow>",
	[CT_FMT_EV_NEW] = "<flow type=\"new\">",
	[CT_FMT_EV_UPDATE] = "<flow type=\"update\">",
	[CT_FMT_EV_DESTROY] = "<flow type=\"destroy\">",
};

int ct_expect_format_xml(char *buf, size_t len, const struct ct_expect *x,
			 const struct ct_fmt_opts *o)
{
	char when[PIECE_MAX];
	struct w w;
	int n;

	if (!x || !o || w_start(&w, buf, len))
		return -EINVAL;
	w_str(&w, xml_flow_open[o->event <= CT_FMT_EV_DESTROY ?
				o->event : CT_FMT_EV_NONE]);
	xml_layer(&w, x, false);
	xml_layer(&w, x, true);
	w_str(&w, "<meta>");
	if ((x->set & CT_EXP_HELPER) && x->helper) {
		w_str(&w, "<helper-name>");
		xml_text(&w, x->helper);
		w_str(&w, "</helper-name>");
	}
	if (x->set & CT_EXP_TIMEOUT)
		xml_u32(&w, "timeout", x->timeout);
	if (x->set & CT_EXP_ZONE)
		xml_u32(&w, "zone", x->zone);
	if (x->set & CT_EXP_CLASS)
		xml_u32(&w, "class", x->class);
	if (o->flags & CT_FMT_XML_WHEN) {
		n = ct_format_xml_when(when, sizeof(when), o->now);
		if (n > 0)
			w_mem(&w, when, (size_t)n);
	}
	for (unsigned int i = 0; i < NFLAGS; i++)
		if (x->flags & (1U << i))
			w_str(&w, xml_flag_tags[i]);
	w_str(&w, "</meta></flow>");
	return w_end(&w);
}

/* ---- json --------------------------------------------------------------- */

static void json_str(struct w *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	w_str(w, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };

			w_mem(w, esc, sizeof(esc));
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0',
					hex[*p >> 4], hex[*p & 0xf] };

			w_mem(w, esc, sizeof(esc));
		} else {
			w_mem(w, (const char *)p, 1);
		}
	}
	w_str(w, "\"");
}

/* ,"key": (the comma unless first) */
static void json_key(struct w *w, bool *first, const char *key)
{
	if (!*first)
		w_str(w, ",");
	*first = false;
	w_str(w, "\"");
	w_str(w, key);
	w_str(w, "\":");
}

static void json_u32(struct w *w, bool *first, const char *key, uint32_t v)
{
	json_key(w, first, key);
	w_u32(w, v);
}

static void json_flags(struct w *w, uint32_t flags)
{
	bool first = true;

	w_str(w, "[");
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(flags & (1U << bit)))
			continue;
		if (!first)
			w_str(w, ",");
		first = false;
		if (bit < NFLAGS) {
			json_str(w, flag_names[bit]);
		} else {
			w_str(w, "\"BIT");
			w_u32(w, bit);
			w_str(w, "\"");
		}
	}
	w_str(w, "]");
}

static const char *const json_events[] = {
	[CT_FMT_EV_NEW] = "new",
	[CT_FMT_EV_UPDATE] = "update",
	[CT_FMT_EV_DESTROY] = "destroy",
};

int ct_expect_format_json(char *buf, size_t len, const struct ct_expect *x,
			  const struct ct_fmt_opts *o)
{
	bool first = true;
	uint8_t l3;
	struct w w;

	if (!x || !o || w_start(&w, buf, len))
		return -EINVAL;
	l3 = x->tuple.l3 ? x->tuple.l3 : x->family;
	w_str(&w, "{");
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY) {
		json_key(&w, &first, "event");
		json_str(&w, json_events[o->event]);
	}
	json_key(&w, &first, "family");
	json_str(&w, l3_name(l3));
	json_u32(&w, &first, "l3num", l3);
	json_key(&w, &first, "proto");
	json_str(&w, l4_name(x->tuple.l4));
	json_u32(&w, &first, "protonum", x->tuple.l4);
	if (x->set & CT_EXP_TIMEOUT)
		json_u32(&w, &first, "timeout", x->timeout);
	if (x->set & CT_EXP_TUPLE) {
		json_key(&w, &first, "tuple");
		w_piece(&w, &x->tuple, CT_FMT_PIECE_JSON, NULL);
	}
	if (x->set & CT_EXP_MASK) {
		json_key(&w, &first, "mask");
		w_piece(&w, &x->mask, CT_FMT_PIECE_JSON, NULL);
	}
	if (x->set & CT_EXP_MASTER) {
		json_key(&w, &first, "master");
		w_piece(&w, &x->master, CT_FMT_PIECE_JSON_PROTO, NULL);
	}
	if (x->set & CT_EXP_ZONE)
		json_u32(&w, &first, "zone", x->zone);
	if (x->set & CT_EXP_FLAGS) {
		json_key(&w, &first, "flags");
		json_flags(&w, x->flags);
	}
	if (x->set & CT_EXP_CLASS)
		json_u32(&w, &first, "class", x->class);
	if ((x->set & CT_EXP_HELPER) && x->helper) {
		json_key(&w, &first, "helper");
		json_str(&w, x->helper);
	}
	if (x->set & CT_EXP_NAT) {
		bool inner = true;

		json_key(&w, &first, "nat");
		w_str(&w, "{");
		json_key(&w, &inner, "dir");
		json_str(&w, x->nat_dir == CT_DIR_REPLY ? "reply" :
							   "original");
		json_key(&w, &inner, "tuple");
		w_piece(&w, &x->nat_tuple, CT_FMT_PIECE_JSON, NULL);
		w_str(&w, "}");
	}
	if ((x->set & CT_EXP_FN) && x->fn) {
		json_key(&w, &first, "fn");
		json_str(&w, x->fn);
	}
	if (x->set & CT_EXP_ID)
		json_u32(&w, &first, "id", x->id);
	w_str(&w, "}");
	return w_end(&w);
}
