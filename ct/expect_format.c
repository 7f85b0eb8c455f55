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
#include "ct/out.h"
#include "ct/proto.h"

#define PIECE_MAX 512	/* one tuple piece: addresses, ports, JSON keys */

static void w_piece(struct ct_out *w, const struct ct_tuple *t,
		    enum ct_fmt_piece piece, const char *prefix)
{
	char tmp[PIECE_MAX];
	int n = ct_format_tuple_piece(tmp, sizeof(tmp), t, piece, prefix);

	if (n > 0)
		ct_out_mem(w, tmp, (size_t)n);
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
	struct ct_out w;

	if (!x || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		ct_out_str(&w, event_tags[o->event]);
	ct_out_u64(&w, x->timeout);
	ct_out_str(&w, " proto=");
	ct_out_u64(&w, x->tuple.l4);
	ct_out_str(&w, " ");
	w_piece(&w, &x->tuple, CT_FMT_PIECE_ADDRS, "");
	w_piece(&w, &x->tuple, CT_FMT_PIECE_L4, NULL);
	w_piece(&w, &x->mask, CT_FMT_PIECE_ADDRS, "mask-");
	w_piece(&w, &x->mask, CT_FMT_PIECE_L4, NULL);
	w_piece(&w, &x->master, CT_FMT_PIECE_ADDRS, "master-");
	w_piece(&w, &x->master, CT_FMT_PIECE_L4, NULL);
	if (x->set & CT_EXP_ZONE) {
		ct_out_str(&w, "zone=");
		ct_out_u64(&w, x->zone);
		ct_out_str(&w, " ");
	}
	for (unsigned int i = 0; i < NFLAGS; i++) {
		if (!(x->flags & (1U << i)))
			continue;
		ct_out_str(&w, delim);
		ct_out_str(&w, flag_names[i]);
		delim = ",";
	}
	if (*delim)
		ct_out_str(&w, " ");
	if (x->set & CT_EXP_CLASS) {
		ct_out_str(&w, "class=");
		ct_out_u64(&w, x->class);
		ct_out_str(&w, " ");
	}
	if ((x->set & CT_EXP_HELPER) && x->helper) {
		ct_out_str(&w, "helper=");
		ct_out_str(&w, x->helper);
	}
	if (w.last == ' ')
		w.pos--;	/* upstream drops one trailing blank */
	return ct_out_end(&w);
}

/* ---- xml ---------------------------------------------------------------- */

static void xml_u32(struct ct_out *w, const char *tag, uint32_t v)
{
	ct_out_str(w, "<");
	ct_out_str(w, tag);
	ct_out_str(w, ">");
	ct_out_u64(w, v);
	ct_out_str(w, "</");
	ct_out_str(w, tag);
	ct_out_str(w, ">");
}

/* <layerN protonum= protoname=><expected>..</expected><mask>..</mask>
 * <master>..</master></layerN> */
static void xml_layer(struct ct_out *w, const struct ct_expect *x, bool l4)
{
	static const char *const part[] = { "expected", "mask", "master" };
	const struct ct_tuple *t[] = { &x->tuple, &x->mask, &x->master };
	enum ct_fmt_piece piece = l4 ? CT_FMT_PIECE_XML_L4 :
				       CT_FMT_PIECE_XML_ADDRS;

	ct_out_str(w, l4 ? "<layer4 protonum=\"" : "<layer3 protonum=\"");
	ct_out_u64(w, l4 ? x->tuple.l4 : x->tuple.l3);
	ct_out_str(w, "\" protoname=\"");
	ct_out_str(w, l4 ? ct_proto_l4_name(x->tuple.l4) : ct_proto_l3_name(x->tuple.l3));
	ct_out_str(w, "\">");
	for (unsigned int i = 0; i < 3; i++) {
		ct_out_str(w, "<");
		ct_out_str(w, part[i]);
		ct_out_str(w, ">");
		w_piece(w, t[i], piece, NULL);
		ct_out_str(w, "</");
		ct_out_str(w, part[i]);
		ct_out_str(w, ">");
	}
	ct_out_str(w, l4 ? "</layer4>" : "</layer3>");
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
	struct ct_out w;
	int n;

	if (!x || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	ct_out_str(&w, xml_flow_open[o->event <= CT_FMT_EV_DESTROY ?
				o->event : CT_FMT_EV_NONE]);
	xml_layer(&w, x, false);
	xml_layer(&w, x, true);
	ct_out_str(&w, "<meta>");
	if ((x->set & CT_EXP_HELPER) && x->helper) {
		ct_out_str(&w, "<helper-name>");
		ct_out_xml_text(&w, x->helper);
		ct_out_str(&w, "</helper-name>");
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
			ct_out_mem(&w, when, (size_t)n);
	}
	for (unsigned int i = 0; i < NFLAGS; i++)
		if (x->flags & (1U << i))
			ct_out_str(&w, xml_flag_tags[i]);
	ct_out_str(&w, "</meta></flow>");
	return ct_out_end(&w);
}

/* ---- json --------------------------------------------------------------- */

static void json_str(struct ct_out *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	ct_out_str(w, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };

			ct_out_mem(w, esc, sizeof(esc));
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0',
					hex[*p >> 4], hex[*p & 0xf] };

			ct_out_mem(w, esc, sizeof(esc));
		} else {
			ct_out_mem(w, (const char *)p, 1);
		}
	}
	ct_out_str(w, "\"");
}

/* ,"key": (the comma unless first) */
static void json_key(struct ct_out *w, bool *first, const char *key)
{
	if (!*first)
		ct_out_str(w, ",");
	*first = false;
	ct_out_str(w, "\"");
	ct_out_str(w, key);
	ct_out_str(w, "\":");
}

static void json_u32(struct ct_out *w, bool *first, const char *key, uint32_t v)
{
	json_key(w, first, key);
	ct_out_u64(w, v);
}

static void json_flags(struct ct_out *w, uint32_t flags)
{
	bool first = true;

	ct_out_str(w, "[");
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(flags & (1U << bit)))
			continue;
		if (!first)
			ct_out_str(w, ",");
		first = false;
		if (bit < NFLAGS) {
			json_str(w, flag_names[bit]);
		} else {
			ct_out_str(w, "\"BIT");
			ct_out_u64(w, bit);
			ct_out_str(w, "\"");
		}
	}
	ct_out_str(w, "]");
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
	struct ct_out w;

	if (!x || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	l3 = x->tuple.l3 ? x->tuple.l3 : x->family;
	ct_out_str(&w, "{");
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY) {
		json_key(&w, &first, "event");
		json_str(&w, json_events[o->event]);
	}
	json_key(&w, &first, "family");
	json_str(&w, ct_proto_l3_name(l3));
	json_u32(&w, &first, "l3num", l3);
	json_key(&w, &first, "proto");
	json_str(&w, ct_proto_l4_name(x->tuple.l4));
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
		ct_out_str(&w, "{");
		json_key(&w, &inner, "dir");
		json_str(&w, x->nat_dir == CT_DIR_REPLY ? "reply" :
							   "original");
		json_key(&w, &inner, "tuple");
		w_piece(&w, &x->nat_tuple, CT_FMT_PIECE_JSON, NULL);
		ct_out_str(&w, "}");
	}
	if ((x->set & CT_EXP_FN) && x->fn) {
		json_key(&w, &first, "fn");
		json_str(&w, x->fn);
	}
	if (x->set & CT_EXP_ID)
		json_u32(&w, &first, "id", x->id);
	ct_out_str(&w, "}");
	return ct_out_end(&w);
}
