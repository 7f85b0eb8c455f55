// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XML flow printer of conntrack -o xml and conntrackd -x, field by
 * field as libnetfilter_conntrack's snprintf_xml.c (contracts in
 * ct/format.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ct/entry.h"
#include "ct/format.h"
#include "ct/format_int.h"
#include "ct/out.h"
#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"

/* ---- xml ---------------------------------------------------------------- */

static void xml_u64(struct ct_out *w, const char *tag, uint64_t v)
{
	ct_out_chr(w, '<');
	ct_out_str(w, tag);
	ct_out_chr(w, '>');
	ct_out_u64(w, v);
	ct_out_str(w, "</");
	ct_out_str(w, tag);
	ct_out_chr(w, '>');
}

static void xml_text(struct ct_out *w, const char *tag, const char *s)
{
	ct_out_chr(w, '<');
	ct_out_str(w, tag);
	ct_out_chr(w, '>');
	ct_out_xml_text(w, s);
	ct_out_str(w, "</");
	ct_out_str(w, tag);
	ct_out_chr(w, '>');
}

void ct_fmt_xml_addrs(struct ct_out *w, const struct ct_tuple *t)
{
	ct_out_str(w, "<src>");
	ct_out_addr(w, t->l3, &t->src);
	ct_out_str(w, "</src><dst>");
	ct_out_addr(w, t->l3, &t->dst);
	ct_out_str(w, "</dst>");
}

void ct_fmt_xml_l4(struct ct_out *w, const struct ct_tuple *t)
{
	const struct ct_proto *p = ct_proto_by_num(t->l4);

	if (p->num && p->kind == CT_L4_PORTS) {
		xml_u64(w, "sport", t->sport);
		xml_u64(w, "dport", t->dport);
	} else if (p->kind == CT_L4_GRE) {
		ct_out_str(w, "<srckey>0x");
		ct_out_hex(w, t->sport);
		ct_out_str(w, "</srckey><dstkey>0x");
		ct_out_hex(w, t->dport);
		ct_out_str(w, "</dstkey>");
	}
}

static void xml_tuple(struct ct_out *w, const struct ct_entry *e, int dir)
{
	const struct ct_tuple *t = dir == CT_DIR_ORIG ? &e->orig : &e->reply;

	ct_out_str(w, dir == CT_DIR_ORIG ? "<meta direction=\"original\">" :
					"<meta direction=\"reply\">");
	ct_out_str(w, "<layer3 protonum=\"");
	ct_out_u64(w, t->l3);
	ct_out_str(w, "\" protoname=\"");
	ct_out_str(w, ct_proto_l3_name(t->l3));
	ct_out_str(w, "\">");
	ct_fmt_xml_addrs(w, t);
	ct_out_str(w, "</layer3><layer4 protonum=\"");
	ct_out_u64(w, t->l4);
	ct_out_str(w, "\" protoname=\"");
	ct_out_str(w, ct_proto_l4_name(t->l4));
	ct_out_str(w, "\">");
	ct_fmt_xml_l4(w, t);
	ct_out_str(w, "</layer4>");
	if (t->set & CT_TUPLE_ZONE)
		xml_u64(w, "zone", t->zone);
	/* upstream tests the orig counters for both directions */
	if (e->set & CT_COUNTERS_ORIG) {
		ct_out_str(w, "<counters>");
		xml_u64(w, "packets", e->counters[dir].packets);
		xml_u64(w, "bytes", e->counters[dir].bytes);
		ct_out_str(w, "</counters>");
	}
	ct_out_str(w, "</meta>");
}

/* libnetfilter_conntrack names SCTP and DCCP states from the TCP table in
 * XML (bounded by the SCTP/DCCP state count, both 10 = the TCP count). */
static const char *xml_state(const struct ct_entry *e)
{
	if (e->set & CT_TCP)
		return ct_fmt_state_name(IPPROTO_TCP, e->tcp.state);
	if (e->set & CT_SCTP)
		return ct_fmt_state_name(IPPROTO_TCP, e->sctp.state);
	return ct_fmt_state_name(IPPROTO_TCP, e->dccp.state);
}

void ct_fmt_xml_when(struct ct_out *w, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return;
	ct_out_str(w, "<when>");
	xml_u64(w, "hour", (uint64_t)tm.tm_hour);
	ct_out_str(w, "<min>");
	ct_out_chr(w, (char)('0' + tm.tm_min / 10));
	ct_out_chr(w, (char)('0' + tm.tm_min % 10));
	ct_out_str(w, "</min><sec>");
	ct_out_chr(w, (char)('0' + tm.tm_sec / 10));
	ct_out_chr(w, (char)('0' + tm.tm_sec % 10));
	ct_out_str(w, "</sec>");
	xml_u64(w, "wday", (uint64_t)tm.tm_wday + 1);
	xml_u64(w, "day", (uint64_t)tm.tm_mday);
	xml_u64(w, "month", (uint64_t)tm.tm_mon + 1);
	xml_u64(w, "year", (uint64_t)tm.tm_year + 1900);
	ct_out_str(w, "</when>");
}

static const uint64_t xml_indep = CT_TCP | CT_SCTP | CT_DCCP | CT_TIMEOUT |
	CT_MARK | CT_SECMARK | CT_ZONE | CT_USE | CT_STATUS | CT_ID |
	CT_LABELS | CT_TIMESTAMP_START | CT_TIMESTAMP_STOP;

static void xml_independent(struct ct_out *w, const struct ct_entry *e,
			    const struct ct_fmt_opts *o)
{
	uint64_t set = e->set;

	ct_out_str(w, "<meta direction=\"independent\">");
	if (set & (CT_TCP | CT_SCTP | CT_DCCP))
		xml_text(w, "state", xml_state(e));
	if (set & CT_TIMEOUT)
		xml_u64(w, "timeout", e->timeout);
	if (set & CT_MARK)
		xml_u64(w, "mark", e->mark);
	if (o->labels && (set & CT_LABELS)) {
		ct_out_str(w, "<labels>");
		for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
			const char *name = ct_fmt_label_name(e, o->labels, bit);

			if (name)
				xml_text(w, "label", name);
		}
		ct_out_str(w, "</labels>");
	}
	if (set & CT_SECMARK)
		xml_u64(w, "secmark", e->secmark);
	if ((set & CT_SECCTX) && e->secctx)
		xml_text(w, "secctx", e->secctx);
	if (set & CT_ZONE)
		xml_u64(w, "zone", e->zone);
	if (set & CT_USE)
		xml_u64(w, "use", e->use);
	if (set & CT_ID)
		xml_u64(w, "id", e->id);
	if (ct_fmt_has_status(e, IPS_ASSURED))
		ct_out_str(w, "<assured/>");
	if ((set & CT_STATUS) && !(e->status & IPS_SEEN_REPLY))
		ct_out_str(w, "<unreplied/>");
	if ((o->flags & CT_FMT_KTIMESTAMP) &&
	    (set & (CT_TIMESTAMP_START | CT_TIMESTAMP_STOP))) {
		ct_out_str(w, "<timestamp>");
		if (set & CT_TIMESTAMP_START)
			xml_u64(w, "start", e->ts_start);
		if (set & CT_TIMESTAMP_STOP)
			xml_u64(w, "stop", e->ts_stop);
		ct_out_str(w, "</timestamp>");
	}
	if ((set & CT_TIMESTAMP_START) && (set & CT_TIMESTAMP_STOP))
		xml_u64(w, "deltatime",
			(uint64_t)((int64_t)(e->ts_stop - e->ts_start) /
				   (int64_t)NSEC_PER_SEC));
	else if (set & CT_TIMESTAMP_START)
		xml_u64(w, "deltatime", (uint64_t)(ct_fmt_now(o) -
			(int64_t)(e->ts_start / NSEC_PER_SEC)));
	ct_out_str(w, "</meta>");
}

static const char *const xml_flow_open[] = {
	[CT_FMT_EV_NONE] = "<flow>",
	[CT_FMT_EV_NEW] = "<flow type=\"new\">",
	[CT_FMT_EV_UPDATE] = "<flow type=\"update\">",
	[CT_FMT_EV_DESTROY] = "<flow type=\"destroy\">",
};

int ct_format_xml(char *buf, size_t len, const struct ct_entry *e,
		  const struct ct_fmt_opts *o)
{
	struct ct_out w;

	if (!e || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	ct_out_str(&w, xml_flow_open[o->event <= CT_FMT_EV_DESTROY ?
				  o->event : CT_FMT_EV_NONE]);
	xml_tuple(&w, e, CT_DIR_ORIG);
	xml_tuple(&w, e, CT_DIR_REPLY);
	if (e->set & xml_indep)
		xml_independent(&w, e, o);
	if (o->flags & CT_FMT_XML_WHEN)
		ct_fmt_xml_when(&w, ct_fmt_now(o));
	if ((e->set & CT_HELPER) && e->helper)
		xml_text(&w, "helper", e->helper);
	ct_out_str(&w, "</flow>");
	return ct_out_end(&w);
}

const char *ct_format_xml_header(enum ct_xml_doc doc)
{
	return doc == CT_XML_EXPECT ?
	       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<expect>" :
	       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<conntrack>";
}

const char *ct_format_xml_footer(enum ct_xml_doc doc)
{
	return doc == CT_XML_EXPECT ? "</expect>" : "</conntrack>";
}

int ct_format_xml_when(char *buf, size_t len, int64_t now)
{
	struct ct_out w;

	if (ct_out_start(&w, buf, len))
		return -EINVAL;
	ct_fmt_xml_when(&w, now ? now : (int64_t)time(NULL));
	return ct_out_end(&w);
}
