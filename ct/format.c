// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entry printers: the default line, the XML flow, the -o save arguments,
 * JSON Lines, the -E timestamp prefixes and the -S line. Text is built by
 * direct appends into the caller's buffer through a small bounded writer
 * (no snprintf per field, no allocation), because a dump of a million
 * entries calls these a million times. Field rules follow
 * libnetfilter_conntrack's snprintf_default.c / snprintf_xml.c and
 * conntrack-tools' ct_save_snprintf (see format.h for the contracts).
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
#include "ct/out.h"
#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"

#define NSEC_PER_SEC 1000000000ULL

/* ---- shared pieces ------------------------------------------------------ */

/* State @state of protocol @num; out of range prints state 0 ("NONE"). */
static const char *state_name(uint8_t num, unsigned int state)
{
	const struct ct_proto *p = ct_proto_by_num(num);
	const char *s = ct_proto_state_name(p, state);

	if (!s)
		s = ct_proto_state_name(p, 0);
	return s ? s : "NONE";
}

static bool has_status(const struct ct_entry *e, uint32_t bits)
{
	return (e->set & CT_STATUS) && (e->status & bits);
}

/* The label bit is set and (when @map) named. */
static const char *label_name(const struct ct_entry *e,
			      const struct ct_labelmap *map, unsigned int bit)
{
	if (!ct_labels_test(e->labels, e->labels_len, bit))
		return NULL;
	return ct_labelmap_name(map, bit);
}

static void out_ctime(struct ct_out *w, uint64_t ns)
{
	static const char wday[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
					"Fri", "Sat" };
	static const char mon[][4] = { "Jan", "Feb", "Mar", "Apr", "May",
				       "Jun", "Jul", "Aug", "Sep", "Oct",
				       "Nov", "Dec" };
	time_t t = (time_t)(ns / NSEC_PER_SEC);
	struct tm tm;

	/* ctime(3): "%.3s %.3s%3d %.2d:%.2d:%.2d %d" in local time */
	if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return;
	ct_out_str(w, wday[tm.tm_wday]);
	ct_out_chr(w, ' ');
	ct_out_str(w, mon[tm.tm_mon]);
	ct_out_chr(w, ' ');
	if (tm.tm_mday < 10)
		ct_out_chr(w, ' ');
	ct_out_u64(w, (uint64_t)tm.tm_mday);
	ct_out_chr(w, ' ');
	ct_out_chr(w, (char)('0' + tm.tm_hour / 10));
	ct_out_chr(w, (char)('0' + tm.tm_hour % 10));
	ct_out_chr(w, ':');
	ct_out_chr(w, (char)('0' + tm.tm_min / 10));
	ct_out_chr(w, (char)('0' + tm.tm_min % 10));
	ct_out_chr(w, ':');
	ct_out_chr(w, (char)('0' + tm.tm_sec / 10));
	ct_out_chr(w, (char)('0' + tm.tm_sec % 10));
	ct_out_chr(w, ' ');
	ct_out_u64(w, (uint64_t)(tm.tm_year + 1900));
}

static int64_t now_of(const struct ct_fmt_opts *o)
{
	return o->now ? o->now : (int64_t)time(NULL);
}

/* ---- default ------------------------------------------------------------ */

static void default_l4(struct ct_out *w, const struct ct_tuple *t)
{
	switch (ct_proto_by_num(t->l4)->kind) {
	case CT_L4_PORTS:
		if (!ct_proto_by_num(t->l4)->num)
			break;
		ct_out_kv(w, "sport=", t->sport);
		ct_out_kv(w, "dport=", t->dport);
		break;
	case CT_L4_GRE:
		ct_out_str(w, "srckey=0x");
		ct_out_hex(w, t->sport);
		ct_out_str(w, " dstkey=0x");
		ct_out_hex(w, t->dport);
		ct_out_chr(w, ' ');
		break;
	case CT_L4_ICMP:
	case CT_L4_ICMPV6:
		ct_out_kv(w, "type=", t->icmp_type);
		ct_out_kv(w, "code=", t->icmp_code);
		ct_out_kv(w, "id=", t->icmp_id);
		break;
	default:
		break;
	}
}

/* "<prefix>src=A <prefix>dst=B " for IPv4 and IPv6 */
static void default_addrs(struct ct_out *w, const struct ct_tuple *t,
			  const char *prefix)
{
	if (t->l3 == AF_INET || t->l3 == AF_INET6) {
		ct_out_str(w, prefix);
		ct_out_str(w, "src=");
		ct_out_addr(w, t->l3, &t->src);
		ct_out_chr(w, ' ');
		ct_out_str(w, prefix);
		ct_out_str(w, "dst=");
		ct_out_addr(w, t->l3, &t->dst);
		ct_out_chr(w, ' ');
	}
}

static void default_tuple(struct ct_out *w, const struct ct_tuple *t)
{
	default_addrs(w, t, "");
	default_l4(w, t);
}

static void default_counters(struct ct_out *w, const struct ct_counters *c)
{
	ct_out_kv(w, "packets=", c->packets);
	ct_out_kv(w, "bytes=", c->bytes);
}

static void default_labels(struct ct_out *w, const struct ct_entry *e,
			   const struct ct_labelmap *map)
{
	ct_out_str(w, "labels=");
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = label_name(e, map, bit);

		if (!name)
			continue;
		ct_out_str(w, name);
		ct_out_chr(w, ',');
	}
	/* the last "," (or, with no names, the "=") becomes the blank */
	ct_out_replace_last(w, ' ');
}

static const char *const event_tags[] = {
	[CT_FMT_EV_NEW] = "    [NEW] ",
	[CT_FMT_EV_UPDATE] = " [UPDATE] ",
	[CT_FMT_EV_DESTROY] = "[DESTROY] ",
};

int ct_format_default(char *buf, size_t len, const struct ct_entry *e,
		      const struct ct_fmt_opts *o)
{
	struct ct_out w;
	uint64_t set;

	if (!e || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	set = e->set;

	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		ct_out_str(&w, event_tags[o->event]);
	if (o->flags & CT_FMT_EXTENDED) {
		ct_out_padded(&w, ct_proto_l3_name(e->orig.l3), 8);
		ct_out_chr(&w, ' ');
		ct_out_kv(&w, "", e->orig.l3);
	}
	ct_out_padded(&w, ct_proto_l4_name(e->orig.l4), 8);
	ct_out_chr(&w, ' ');
	ct_out_kv(&w, "", e->orig.l4);
	if (set & CT_TIMEOUT)
		ct_out_kv(&w, "", e->timeout);
	if (set & CT_TCP) {
		ct_out_str(&w, state_name(IPPROTO_TCP, e->tcp.state));
		ct_out_chr(&w, ' ');
	}
	if (set & CT_SCTP) {
		ct_out_str(&w, state_name(IPPROTO_SCTP, e->sctp.state));
		ct_out_chr(&w, ' ');
	}
	if (set & CT_DCCP) {
		ct_out_str(&w, state_name(IPPROTO_DCCP, e->dccp.state));
		ct_out_chr(&w, ' ');
	}
	default_tuple(&w, &e->orig);
	if (e->orig.set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "zone-orig=", e->orig.zone);
	if (set & CT_COUNTERS_ORIG)
		default_counters(&w, &e->counters[CT_DIR_ORIG]);
	if ((set & CT_STATUS) && !(e->status & IPS_SEEN_REPLY))
		ct_out_str(&w, "[UNREPLIED] ");
	default_tuple(&w, &e->reply);
	if (e->reply.set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "zone-reply=", e->reply.zone);
	if (set & CT_COUNTERS_REPLY)
		default_counters(&w, &e->counters[CT_DIR_REPLY]);
	if (has_status(e, 1U << IPS_HW_OFFLOAD_BIT))
		ct_out_str(&w, "[HW_OFFLOAD] ");
	else if (has_status(e, 1U << IPS_OFFLOAD_BIT))
		ct_out_str(&w, "[OFFLOAD] ");
	else if (has_status(e, IPS_ASSURED))
		ct_out_str(&w, "[ASSURED] ");
	if (set & CT_MARK)
		ct_out_kv(&w, "mark=", e->mark);
	if (set & CT_SECMARK)
		ct_out_kv(&w, "secmark=", e->secmark);
	if ((set & CT_SECCTX) && e->secctx) {
		ct_out_str(&w, "secctx=");
		ct_out_str(&w, e->secctx);
		ct_out_chr(&w, ' ');
	}
	if (set & CT_ZONE)
		ct_out_kv(&w, "zone=", e->zone);
	if (set & CT_TIMESTAMP_START) {
		/* whole seconds of stop (or now) minus whole seconds of
		 * start, printed as unsigned like upstream's %llu */
		int64_t stop = (set & CT_TIMESTAMP_STOP) && e->ts_stop ?
			       (int64_t)(e->ts_stop / NSEC_PER_SEC) : now_of(o);

		ct_out_kv(&w, "delta-time=", (uint64_t)(stop -
			(int64_t)(e->ts_start / NSEC_PER_SEC)));
	}
	if (o->flags & CT_FMT_KTIMESTAMP) {
		if (set & CT_TIMESTAMP_START) {
			ct_out_str(&w, "[start=");
			out_ctime(&w, e->ts_start);
			ct_out_str(&w, "] ");
		}
		if (set & CT_TIMESTAMP_STOP) {
			ct_out_str(&w, "[stop=");
			out_ctime(&w, e->ts_stop);
			ct_out_str(&w, "] ");
		}
	}
	if ((set & CT_HELPER) && e->helper) {
		ct_out_str(&w, "helper=");
		ct_out_str(&w, e->helper);
		ct_out_chr(&w, ' ');
	}
	if (set & CT_USE)
		ct_out_kv(&w, "use=", e->use);
	if ((o->flags & CT_FMT_ID) && (set & CT_ID))
		ct_out_kv(&w, "id=", e->id);
	if (o->labels && (set & CT_LABELS))
		default_labels(&w, e, o->labels);
	ct_out_trim(&w);
	return ct_out_end(&w);
}

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

static void xml_addrs(struct ct_out *w, const struct ct_tuple *t)
{
	ct_out_str(w, "<src>");
	ct_out_addr(w, t->l3, &t->src);
	ct_out_str(w, "</src><dst>");
	ct_out_addr(w, t->l3, &t->dst);
	ct_out_str(w, "</dst>");
}

static void xml_l4(struct ct_out *w, const struct ct_tuple *t)
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
	xml_addrs(w, t);
	ct_out_str(w, "</layer3><layer4 protonum=\"");
	ct_out_u64(w, t->l4);
	ct_out_str(w, "\" protoname=\"");
	ct_out_str(w, ct_proto_l4_name(t->l4));
	ct_out_str(w, "\">");
	xml_l4(w, t);
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
		return state_name(IPPROTO_TCP, e->tcp.state);
	if (e->set & CT_SCTP)
		return state_name(IPPROTO_TCP, e->sctp.state);
	return state_name(IPPROTO_TCP, e->dccp.state);
}

static void xml_when(struct ct_out *w, int64_t now)
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
			const char *name = label_name(e, o->labels, bit);

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
	if (has_status(e, IPS_ASSURED))
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
		xml_u64(w, "deltatime", (uint64_t)(now_of(o) -
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
		xml_when(&w, now_of(o));
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

/* ---- save --------------------------------------------------------------- */

/* conntrack_status_map of conntrack-tools: the bits -u can set. */
static const struct {
	uint32_t bit;
	const char *name;
} save_status[] = {
	{ IPS_EXPECTED, "EXPECTED" },
	{ IPS_SEEN_REPLY, "SEEN_REPLY" },
	{ IPS_ASSURED, "ASSURED" },
	{ IPS_FIXED_TIMEOUT, "FIXED_TIMEOUT" },
};

static void save_status_opt(struct ct_out *w, uint32_t status)
{
	bool found = false;

	ct_out_str(w, "-u ");
	for (size_t i = 0; i < sizeof(save_status) / sizeof(save_status[0]);
	     i++) {
		if (!(status & save_status[i].bit))
			continue;
		if (found)
			ct_out_chr(w, ',');
		ct_out_str(w, save_status[i].name);
		found = true;
	}
	ct_out_str(w, found ? " " : "UNSET ");
}

static void save_addr(struct ct_out *w, const char *opt, uint8_t l3,
		      const struct ct_tuple *t, uint16_t bit,
		      const union ct_addr *a)
{
	if (!(t->set & bit))
		return;
	ct_out_str(w, opt);
	ct_out_addr(w, l3, a);
	ct_out_chr(w, ' ');
}

static void save_port(struct ct_out *w, const char *opt, uint16_t set,
		      uint16_t bit, uint64_t v)
{
	if (set & bit)
		ct_out_kv(w, opt, v);
}

static void save_state(struct ct_out *w, uint8_t num, unsigned int state)
{
	ct_out_str(w, "--state ");
	ct_out_str(w, state_name(num, state));
	ct_out_chr(w, ' ');
}

/* The protocol extension's print_opts. */
static void save_l4(struct ct_out *w, const struct ct_entry *e,
		    const struct ct_proto *p)
{
	const struct ct_tuple *o = &e->orig, *r = &e->reply;
	static const char *const dccp_roles[] = { "client", "server" };

	if (p->kind == CT_L4_PORTS || p->kind == CT_L4_GRE) {
		bool gre = p->kind == CT_L4_GRE;

		save_port(w, gre ? "--srckey " : "--sport ", o->set,
			  CT_TUPLE_SPORT, o->sport);
		save_port(w, gre ? "--dstkey " : "--dport ", o->set,
			  CT_TUPLE_DPORT, o->dport);
		save_port(w, gre ? "--reply-key-src " : "--reply-port-src ",
			  r->set, CT_TUPLE_SPORT, r->sport);
		save_port(w, gre ? "--reply-key-dst " : "--reply-port-dst ",
			  r->set, CT_TUPLE_DPORT, r->dport);
	} else if (p->kind == CT_L4_ICMP || p->kind == CT_L4_ICMPV6) {
		bool v6 = p->kind == CT_L4_ICMPV6;

		save_port(w, v6 ? "--icmpv6-type " : "--icmp-type ", o->set,
			  CT_TUPLE_ICMP_TYPE, o->icmp_type);
		save_port(w, v6 ? "--icmpv6-code " : "--icmp-code ", o->set,
			  CT_TUPLE_ICMP_CODE, o->icmp_code);
		save_port(w, v6 ? "--icmpv6-id " : "--icmp-id ", o->set,
			  CT_TUPLE_ICMP_ID, o->icmp_id);
	}
	if (p->info == CT_TCP && (e->set & CT_TCP))
		save_state(w, IPPROTO_TCP, e->tcp.state);
	if (p->info == CT_SCTP && (e->set & CT_SCTP))
		save_state(w, IPPROTO_SCTP, e->sctp.state);
	if (p->info == CT_SCTP && (e->set & CT_SCTP_VTAGS)) {
		/* upstream prints ntohl() of the kernel's value */
		ct_out_kv(w, "--orig-vtag ", ntohl(e->sctp.vtag[CT_DIR_ORIG]));
		ct_out_kv(w, "--reply-vtag ", ntohl(e->sctp.vtag[CT_DIR_REPLY]));
	}
	if (p->info == CT_DCCP && (e->set & CT_DCCP)) {
		save_state(w, IPPROTO_DCCP, e->dccp.state);
		ct_out_str(w, "--role ");
		ct_out_str(w, dccp_roles[e->dccp.role < 2 ? e->dccp.role : 0]);
		ct_out_chr(w, ' ');
	}
}

static bool save_has_names(const struct ct_entry *e,
			   const struct ct_labelmap *map, bool *space)
{
	bool any = false;

	*space = false;
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = label_name(e, map, bit);

		if (!name || !*name)
			continue;
		any = true;
		if (strchr(name, ' '))
			*space = true;
	}
	return any;
}

/* Our additions: what -A/-U accept to restore mark and labels. */
static void save_extra(struct ct_out *w, const struct ct_entry *e,
		       const struct ct_fmt_opts *o)
{
	bool space, first = true;

	if ((e->set & CT_MARK) &&
	    (e->mark || o->event == CT_FMT_EV_UPDATE))
		ct_out_kv(w, "-m ", e->mark);
	if (!(e->set & CT_LABELS) || !o->labels ||
	    !save_has_names(e, o->labels, &space))
		return;
	ct_out_str(w, space ? "--label-add \"" : "--label-add ");
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = label_name(e, o->labels, bit);

		if (!name || !*name)
			continue;
		if (!first)
			ct_out_chr(w, ',');
		ct_out_str(w, name);
		first = false;
	}
	ct_out_str(w, space ? "\" " : " ");
}

static const char *const save_prefix[] = {
	[CT_FMT_EV_NONE] = "",
	[CT_FMT_EV_NEW] = "-A ",
	[CT_FMT_EV_UPDATE] = "-U ",
	[CT_FMT_EV_DESTROY] = "-D ",
};

/* Whether two addresses of family @l3 (AF_INET or AF_INET6) are equal. */
static bool addr_eq(uint8_t l3, const union ct_addr *a, const union ct_addr *b)
{
	if (l3 == AF_INET6)
		return memcmp(a->v6, b->v6, sizeof(a->v6)) == 0;
	return a->v4 == b->v4;
}

int ct_format_save(char *buf, size_t len, const struct ct_entry *e,
		   const struct ct_fmt_opts *o)
{
	const struct ct_tuple *ot, *rt;
	const struct ct_proto *p;
	struct ct_out w;
	uint8_t l3;
	bool dnat, snat;

	if (!e || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	ot = &e->orig;
	rt = &e->reply;
	l3 = ot->l3 ? ot->l3 : rt->l3;
	if (l3 != AF_INET && l3 != AF_INET6)
		return -EAFNOSUPPORT;

	ct_out_str(&w, save_prefix[o->event <= CT_FMT_EV_DESTROY ?
				o->event : CT_FMT_EV_NONE]);
	if (e->set & CT_TIMEOUT)
		ct_out_kv(&w, "-t ", e->timeout);
	if (e->set & CT_STATUS)
		save_status_opt(&w, e->status);
	/* -c cannot be given to -I/-A/-U/-D, so a save line with it could
	 * not be loaded back: only upstream's compatible form keeps it */
	if ((e->set & CT_SECMARK) && (o->flags & CT_FMT_SAVE_COMPAT))
		ct_out_kv(&w, "-c ", e->secmark);
	if (e->set & CT_ZONE)
		ct_out_kv(&w, "-w ", e->zone);
	if (ot->set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "--orig-zone ", ot->zone);
	if (rt->set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "--reply-zone ", rt->zone);

	/* nfct_getobjopt(NFCT_GOPT_IS_DNAT/SNAT), which compares IPv6
	 * addresses too (libnetfilter_conntrack 1.0.9 prints -g/-n for a
	 * NATed IPv6 flow) */
	dnat = has_status(e, IPS_DST_NAT_DONE) &&
	       !addr_eq(ot->l3, &rt->src, &ot->dst);
	snat = has_status(e, IPS_SRC_NAT_DONE) &&
	       !addr_eq(ot->l3, &rt->dst, &ot->src);
	save_addr(&w, "-s ", l3, ot, CT_TUPLE_SRC, &ot->src);
	save_addr(&w, "-d ", l3, ot, CT_TUPLE_DST, &ot->dst);
	save_addr(&w, dnat ? "-g " : "-r ", l3, rt, CT_TUPLE_SRC, &rt->src);
	save_addr(&w, snat ? "-n " : "-q ", l3, rt, CT_TUPLE_DST, &rt->dst);

	p = ct_proto_by_num(ot->l4);
	if (p->num && p->num == ot->l4) {
		ct_out_str(&w, "-p ");
		ct_out_str(&w, p->name);
		ct_out_chr(&w, ' ');
		save_l4(&w, e, p);
	} else {
		ct_out_kv(&w, "-p ", ot->l4);
	}
	if (!(o->flags & CT_FMT_SAVE_COMPAT) &&
	    (o->event == CT_FMT_EV_NEW || o->event == CT_FMT_EV_UPDATE))
		save_extra(&w, e, o);
	ct_out_trim(&w);
	return ct_out_end(&w);
}

/* ---- json --------------------------------------------------------------- */

static void json_str(struct ct_out *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	ct_out_chr(w, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			ct_out_chr(w, '\\');
			ct_out_chr(w, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0',
					hex[*p >> 4], hex[*p & 0xf] };

			ct_out_mem(w, esc, sizeof(esc));
		} else {
			ct_out_chr(w, (char)*p);
		}
	}
	ct_out_chr(w, '"');
}

/* ,"key": (the comma unless first) */
static void json_key(struct ct_out *w, bool *first, const char *key)
{
	if (!*first)
		ct_out_chr(w, ',');
	*first = false;
	ct_out_chr(w, '"');
	ct_out_str(w, key);
	ct_out_str(w, "\":");
}

static void json_u64(struct ct_out *w, bool *first, const char *key, uint64_t v)
{
	json_key(w, first, key);
	ct_out_u64(w, v);
}

static void json_text(struct ct_out *w, bool *first, const char *key,
		      const char *s)
{
	json_key(w, first, key);
	json_str(w, s);
}

static void json_tuple(struct ct_out *w, const struct ct_tuple *t, bool master)
{
	const struct ct_proto *p = ct_proto_by_num(t->l4);
	bool first = true;

	ct_out_chr(w, '{');
	if (master)
		json_u64(w, &first, "protonum", t->l4);
	if (t->l3 == AF_INET || t->l3 == AF_INET6) {
		json_key(w, &first, "src");
		ct_out_chr(w, '"');
		ct_out_addr(w, t->l3, &t->src);
		ct_out_chr(w, '"');
		json_key(w, &first, "dst");
		ct_out_chr(w, '"');
		ct_out_addr(w, t->l3, &t->dst);
		ct_out_chr(w, '"');
	}
	if (p->num && p->kind == CT_L4_PORTS) {
		json_u64(w, &first, "sport", t->sport);
		json_u64(w, &first, "dport", t->dport);
	} else if (p->kind == CT_L4_ICMP || p->kind == CT_L4_ICMPV6) {
		json_u64(w, &first, "type", t->icmp_type);
		json_u64(w, &first, "code", t->icmp_code);
		json_u64(w, &first, "id", t->icmp_id);
	} else if (p->kind == CT_L4_GRE) {
		json_u64(w, &first, "srckey", t->sport);
		json_u64(w, &first, "dstkey", t->dport);
	}
	if (t->set & CT_TUPLE_ZONE)
		json_u64(w, &first, "zone", t->zone);
	ct_out_chr(w, '}');
}

static const char *const status_names[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT",
	"DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",
	"FIXED_TIMEOUT", "TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD",
	"HW_OFFLOAD",
};

static void json_status(struct ct_out *w, uint32_t status)
{
	bool first = true;

	ct_out_chr(w, '[');
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(status & (1U << bit)))
			continue;
		if (!first)
			ct_out_chr(w, ',');
		first = false;
		if (bit < sizeof(status_names) / sizeof(status_names[0])) {
			json_str(w, status_names[bit]);
		} else {
			ct_out_str(w, "\"BIT");
			ct_out_u64(w, bit);
			ct_out_chr(w, '"');
		}
	}
	ct_out_chr(w, ']');
}

static void json_counters(struct ct_out *w, const struct ct_entry *e)
{
	bool first = true;

	ct_out_chr(w, '{');
	for (int dir = CT_DIR_ORIG; dir <= CT_DIR_REPLY; dir++) {
		bool inner = true;

		if (!(e->set & (dir == CT_DIR_ORIG ? CT_COUNTERS_ORIG :
						     CT_COUNTERS_REPLY)))
			continue;
		json_key(w, &first, dir == CT_DIR_ORIG ? "orig" : "reply");
		ct_out_chr(w, '{');
		json_u64(w, &inner, "packets", e->counters[dir].packets);
		json_u64(w, &inner, "bytes", e->counters[dir].bytes);
		ct_out_chr(w, '}');
	}
	ct_out_chr(w, '}');
}

static void json_timestamps(struct ct_out *w, const struct ct_entry *e)
{
	bool first = true;

	ct_out_chr(w, '{');
	if (e->set & CT_TIMESTAMP_START)
		json_u64(w, &first, "start", e->ts_start);
	if (e->set & CT_TIMESTAMP_STOP)
		json_u64(w, &first, "stop", e->ts_stop);
	if (e->set & CT_TIMESTAMP_EVENT)
		json_u64(w, &first, "event", e->ts_event);
	ct_out_chr(w, '}');
}

static void json_labels(struct ct_out *w, const struct ct_entry *e,
			const struct ct_labelmap *map)
{
	bool first = true;

	ct_out_chr(w, '[');
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name;

		if (!ct_labels_test(e->labels, e->labels_len, bit))
			continue;
		if (!first)
			ct_out_chr(w, ',');
		first = false;
		name = ct_labelmap_name(map, bit);
		if (name)
			json_str(w, name);
		else
			ct_out_u64(w, bit);
	}
	ct_out_chr(w, ']');
}

static const char *const json_events[] = {
	[CT_FMT_EV_NEW] = "new",
	[CT_FMT_EV_UPDATE] = "update",
	[CT_FMT_EV_DESTROY] = "destroy",
};

int ct_format_json(char *buf, size_t len, const struct ct_entry *e,
		   const struct ct_fmt_opts *o)
{
	uint64_t set, ts = CT_TIMESTAMP_START | CT_TIMESTAMP_STOP |
			   CT_TIMESTAMP_EVENT;
	bool first = true;
	uint8_t l3;
	struct ct_out w;

	if (!e || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	set = e->set;
	l3 = e->orig.l3 ? e->orig.l3 : e->family;

	ct_out_chr(&w, '{');
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		json_text(&w, &first, "event", json_events[o->event]);
	json_text(&w, &first, "family", ct_proto_l3_name(l3));
	json_u64(&w, &first, "l3num", l3);
	json_text(&w, &first, "proto", ct_proto_l4_name(e->orig.l4));
	json_u64(&w, &first, "protonum", e->orig.l4);
	if (set & CT_TIMEOUT)
		json_u64(&w, &first, "timeout", e->timeout);
	if (set & CT_TCP)
		json_text(&w, &first, "state",
			  state_name(IPPROTO_TCP, e->tcp.state));
	else if (set & CT_SCTP)
		json_text(&w, &first, "state",
			  state_name(IPPROTO_SCTP, e->sctp.state));
	else if (set & CT_DCCP)
		json_text(&w, &first, "state",
			  state_name(IPPROTO_DCCP, e->dccp.state));
	if (set & CT_ORIG) {
		json_key(&w, &first, "orig");
		json_tuple(&w, &e->orig, false);
	}
	if (set & CT_REPLY) {
		json_key(&w, &first, "reply");
		json_tuple(&w, &e->reply, false);
	}
	if (set & CT_MASTER) {
		json_key(&w, &first, "master");
		json_tuple(&w, &e->master, true);
	}
	if (set & CT_STATUS) {
		json_key(&w, &first, "status");
		json_status(&w, e->status);
	}
	if (set & CT_MARK)
		json_u64(&w, &first, "mark", e->mark);
	if (set & CT_SECMARK)
		json_u64(&w, &first, "secmark", e->secmark);
	if ((set & CT_SECCTX) && e->secctx)
		json_text(&w, &first, "secctx", e->secctx);
	if (set & CT_ZONE)
		json_u64(&w, &first, "zone", e->zone);
	if (set & CT_USE)
		json_u64(&w, &first, "use", e->use);
	if (set & CT_ID)
		json_u64(&w, &first, "id", e->id);
	if (set & (CT_COUNTERS_ORIG | CT_COUNTERS_REPLY)) {
		json_key(&w, &first, "counters");
		json_counters(&w, e);
	}
	if (set & ts) {
		json_key(&w, &first, "timestamp");
		json_timestamps(&w, e);
	}
	if ((set & CT_HELPER) && e->helper)
		json_text(&w, &first, "helper", e->helper);
	if (set & CT_LABELS) {
		json_key(&w, &first, "labels");
		json_labels(&w, e, o->labels);
	}
	ct_out_chr(&w, '}');
	return ct_out_end(&w);
}

/* ---- prefixes and statistics ------------------------------------------- */

/* @v in decimal, at least @digits digits (zero-padded) or, with @blank,
 * left-aligned in a field of @digits blanks. */
static void out_num_field(struct ct_out *w, int64_t v, int digits, bool blank)
{
	char tmp[24];
	size_t i = sizeof(tmp), n;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	n = sizeof(tmp) - i;
	if (blank) {
		if (v < 0) {
			ct_out_chr(w, '-');
			n++;
		}
		ct_out_mem(w, tmp + i, sizeof(tmp) - i);
		for (; n < (size_t)digits; n++)
			ct_out_chr(w, ' ');
		return;
	}
	if (v < 0)
		ct_out_chr(w, '-');
	for (; n < (size_t)digits; n++)
		ct_out_chr(w, '0');
	ct_out_mem(w, tmp + i, sizeof(tmp) - i);
}

int ct_format_ts_prefix(char *buf, size_t len, enum ct_ts_style style,
			int64_t sec, long usec)
{
	bool blank = style == CT_TS_EXPECT;
	struct ct_out w;

	if (ct_out_start(&w, buf, len))
		return -EINVAL;
	ct_out_chr(&w, '[');
	out_num_field(&w, sec, 8, blank);
	ct_out_chr(&w, '.');
	out_num_field(&w, usec, 6, blank);
	ct_out_str(&w, "]\t");
	return ct_out_end(&w);
}

static const char *const ct_stat_names[] = {
	[CTA_STATS_SEARCHED] = "searched",
	[CTA_STATS_FOUND] = "found",
	[CTA_STATS_NEW] = "new",
	[CTA_STATS_INVALID] = "invalid",
	[CTA_STATS_IGNORE] = "ignore",
	[CTA_STATS_DELETE] = "delete",
	[CTA_STATS_DELETE_LIST] = "delete_list",
	[CTA_STATS_INSERT] = "insert",
	[CTA_STATS_INSERT_FAILED] = "insert_failed",
	[CTA_STATS_DROP] = "drop",
	[CTA_STATS_EARLY_DROP] = "early_drop",
	[CTA_STATS_ERROR] = "error",
	[CTA_STATS_SEARCH_RESTART] = "search_restart",
	[CTA_STATS_CLASH_RESOLVE] = "clash_resolve",
	[CTA_STATS_CHAIN_TOOLONG] = "chaintoolong",
	[CTA_STATS_MAX + 1] = "unknown1",
	[CTA_STATS_MAX + 2] = "unknown2",
	[CTA_STATS_MAX + 3] = "unknown3",
	[CTA_STATS_MAX + 4] = "unknown4",
};

static const char *const exp_stat_names[] = {
	[CTA_STATS_EXP_NEW] = "expect_new",
	[CTA_STATS_EXP_CREATE] = "expect_create",
	[CTA_STATS_EXP_DELETE] = "expect_delete",
};

int ct_format_stats(char *buf, size_t len, const struct ct_stats_cpu *st,
		    enum ct_stats_kind kind)
{
	const char *const *names = kind == CT_STATS_EXPECT ? exp_stat_names :
							     ct_stat_names;
	size_t n = kind == CT_STATS_EXPECT ?
		   sizeof(exp_stat_names) / sizeof(exp_stat_names[0]) :
		   sizeof(ct_stat_names) / sizeof(ct_stat_names[0]);
	struct ct_out w;

	if (!st || ct_out_start(&w, buf, len))
		return -EINVAL;
	ct_out_str(&w, "cpu=");
	out_num_field(&w, st->cpu, 4, true);
	ct_out_chr(&w, '\t');
	for (size_t t = 1; t < n && t < CT_STATS_NVAL; t++) {
		if (!(st->present & (1U << t)) || !names[t])
			continue;
		ct_out_str(&w, names[t]);
		ct_out_chr(&w, '=');
		ct_out_u64(&w, st->val[t]);
		ct_out_chr(&w, ' ');
	}
	return ct_out_end(&w);
}

/* ---- pieces for other printers ------------------------------------------ */

int ct_format_tuple_piece(char *buf, size_t len, const struct ct_tuple *t,
			  enum ct_fmt_piece piece, const char *prefix)
{
	struct ct_out w;

	if (!t || ct_out_start(&w, buf, len))
		return -EINVAL;
	switch (piece) {
	case CT_FMT_PIECE_ADDRS:
		default_addrs(&w, t, prefix ? prefix : "");
		break;
	case CT_FMT_PIECE_L4:
		default_l4(&w, t);
		break;
	case CT_FMT_PIECE_XML_ADDRS:
		xml_addrs(&w, t);
		break;
	case CT_FMT_PIECE_XML_L4:
		xml_l4(&w, t);
		break;
	case CT_FMT_PIECE_JSON:
	case CT_FMT_PIECE_JSON_PROTO:
		json_tuple(&w, t, piece == CT_FMT_PIECE_JSON_PROTO);
		break;
	default:
		return -EINVAL;
	}
	return ct_out_end(&w);
}

int ct_format_xml_when(char *buf, size_t len, int64_t now)
{
	struct ct_out w;

	if (ct_out_start(&w, buf, len))
		return -EINVAL;
	xml_when(&w, now ? now : (int64_t)time(NULL));
	return ct_out_end(&w);
}
