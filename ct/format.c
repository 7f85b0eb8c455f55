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
#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"

#define NSEC_PER_SEC 1000000000ULL

/* ---- the bounded writer ----------------------------------------------- */

/* `pos` counts every byte appended, stored or not: bytes at positions
 * below len are stored, the rest only counted, so the final length (after
 * trimming) decides between success and -ENOSPC and the stored bytes are
 * always a prefix of the full text. `last` is the last byte appended. */
struct out {
	char *buf;
	size_t len;
	size_t pos;
	char last;
};

static void out_mem(struct out *w, const char *s, size_t n)
{
	if (!n)
		return;
	if (w->pos < w->len) {
		size_t room = w->len - w->pos;

		memcpy(w->buf + w->pos, s, n < room ? n : room);
	}
	w->pos += n;
	w->last = s[n - 1];
}

static void out_str(struct out *w, const char *s)
{
	out_mem(w, s, strlen(s));
}

static void out_chr(struct out *w, char c)
{
	if (w->pos < w->len)
		w->buf[w->pos] = c;
	w->pos++;
	w->last = c;
}

static void out_u64(struct out *w, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(w, tmp + i, sizeof(tmp) - i);
}

static void out_hex(struct out *w, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[8];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	out_mem(w, tmp + i, sizeof(tmp) - i);
}

/* "name" padded with blanks to @width (printf "%-Ns"). */
static void out_padded(struct out *w, const char *s, size_t width)
{
	size_t n = strlen(s);

	out_mem(w, s, n);
	while (n++ < width)
		out_chr(w, ' ');
}

/* "name=value " */
static void out_kv(struct out *w, const char *key, uint64_t v)
{
	out_str(w, key);
	out_u64(w, v);
	out_chr(w, ' ');
}

static void out_addr(struct out *w, uint8_t l3, const union ct_addr *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (l3 == AF_INET) {
		const uint8_t *b = (const uint8_t *)&a->v4;

		for (int i = 0; i < 4; i++) {
			if (i)
				out_chr(w, '.');
			out_u64(w, b[i]);
		}
	} else if (l3 == AF_INET6) {
		if (inet_ntop(AF_INET6, a->v6, tmp, sizeof(tmp)))
			out_str(w, tmp);
	}
}

/* Escapes for XML text content. */
static void out_xml_text(struct out *w, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			out_str(w, "&lt;");
		else if (*s == '>')
			out_str(w, "&gt;");
		else if (*s == '&')
			out_str(w, "&amp;");
		else
			out_chr(w, *s);
	}
}

static int out_start(struct out *w, char *buf, size_t len)
{
	if (!buf)
		return -EINVAL;
	w->buf = buf;
	w->len = len;
	w->pos = 0;
	w->last = '\0';
	return 0;
}

/* Terminates and gives the result. */
static int out_end(struct out *w)
{
	if (w->pos < w->len) {
		w->buf[w->pos] = '\0';
		return (int)w->pos;
	}
	if (w->len)
		w->buf[w->len - 1] = '\0';
	return -ENOSPC;
}

/* Drops one trailing blank, as upstream's "size--" / trim loop do (our
 * lines never end in more than one). */
static void out_trim(struct out *w)
{
	if (w->pos && w->last == ' ') {
		w->pos--;
		w->last = w->pos && w->pos <= w->len ?
			  w->buf[w->pos - 1] : '\0';
	}
}

/* Replaces the last byte appended (a "," or "=") with @c. */
static void out_replace_last(struct out *w, char c)
{
	if (w->pos) {
		w->pos--;
		out_chr(w, c);
	}
}

/* ---- shared pieces ------------------------------------------------------ */

static const char *l3_name(uint8_t l3)
{
	if (l3 == AF_INET)
		return "ipv4";
	if (l3 == AF_INET6)
		return "ipv6";
	return "unknown";
}

/* libnetfilter_conntrack's proto2str: ct/proto's names, "unknown" for
 * numbers without a descriptor (the unknown row has num 0). */
static const char *l4_name(uint8_t l4)
{
	const struct ct_proto *p = ct_proto_by_num(l4);

	return p->num == l4 && p->num ? p->name : "unknown";
}

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

static void out_ctime(struct out *w, uint64_t ns)
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
	out_str(w, wday[tm.tm_wday]);
	out_chr(w, ' ');
	out_str(w, mon[tm.tm_mon]);
	out_chr(w, ' ');
	if (tm.tm_mday < 10)
		out_chr(w, ' ');
	out_u64(w, (uint64_t)tm.tm_mday);
	out_chr(w, ' ');
	out_chr(w, (char)('0' + tm.tm_hour / 10));
	out_chr(w, (char)('0' + tm.tm_hour % 10));
	out_chr(w, ':');
	out_chr(w, (char)('0' + tm.tm_min / 10));
	out_chr(w, (char)('0' + tm.tm_min % 10));
	out_chr(w, ':');
	out_chr(w, (char)('0' + tm.tm_sec / 10));
	out_chr(w, (char)('0' + tm.tm_sec % 10));
	out_chr(w, ' ');
	out_u64(w, (uint64_t)(tm.tm_year + 1900));
}

static int64_t now_of(const struct ct_fmt_opts *o)
{
	return o->now ? o->now : (int64_t)time(NULL);
}

/* ---- default ------------------------------------------------------------ */

static void default_l4(struct out *w, const struct ct_tuple *t)
{
	switch (ct_proto_by_num(t->l4)->kind) {
	case CT_L4_PORTS:
		if (!ct_proto_by_num(t->l4)->num)
			break;
		out_kv(w, "sport=", t->sport);
		out_kv(w, "dport=", t->dport);
		break;
	case CT_L4_GRE:
		out_str(w, "srckey=0x");
		out_hex(w, t->sport);
		out_str(w, " dstkey=0x");
		out_hex(w, t->dport);
		out_chr(w, ' ');
		break;
	case CT_L4_ICMP:
	case CT_L4_ICMPV6:
		out_kv(w, "type=", t->icmp_type);
		out_kv(w, "code=", t->icmp_code);
		out_kv(w, "id=", t->icmp_id);
		break;
	default:
		break;
	}
}

/* "<prefix>src=A <prefix>dst=B " for IPv4 and IPv6 */
static void default_addrs(struct out *w, const struct ct_tuple *t,
			  const char *prefix)
{
	if (t->l3 == AF_INET || t->l3 == AF_INET6) {
		out_str(w, prefix);
		out_str(w, "src=");
		out_addr(w, t->l3, &t->src);
		out_chr(w, ' ');
		out_str(w, prefix);
		out_str(w, "dst=");
		out_addr(w, t->l3, &t->dst);
		out_chr(w, ' ');
	}
}

static void default_tuple(struct out *w, const struct ct_tuple *t)
{
	default_addrs(w, t, "");
	default_l4(w, t);
}

static void default_counters(struct out *w, const struct ct_counters *c)
{
	out_kv(w, "packets=", c->packets);
	out_kv(w, "bytes=", c->bytes);
}

static void default_labels(struct out *w, const struct ct_entry *e,
			   const struct ct_labelmap *map)
{
	out_str(w, "labels=");
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = label_name(e, map, bit);

		if (!name)
			continue;
		out_str(w, name);
		out_chr(w, ',');
	}
	/* the last "," (or, with no names, the "=") becomes the blank */
	out_replace_last(w, ' ');
}

static const char *const event_tags[] = {
	[CT_FMT_EV_NEW] = "    [NEW] ",
	[CT_FMT_EV_UPDATE] = " [UPDATE] ",
	[CT_FMT_EV_DESTROY] = "[DESTROY] ",
};

int ct_format_default(char *buf, size_t len, const struct ct_entry *e,
		      const struct ct_fmt_opts *o)
{
	struct out w;
	uint64_t set;

	if (!e || !o || out_start(&w, buf, len))
		return -EINVAL;
	set = e->set;

	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		out_str(&w, event_tags[o->event]);
	if (o->flags & CT_FMT_EXTENDED) {
		out_padded(&w, l3_name(e->orig.l3), 8);
		out_chr(&w, ' ');
		out_kv(&w, "", e->orig.l3);
	}
	out_padded(&w, l4_name(e->orig.l4), 8);
	out_chr(&w, ' ');
	out_kv(&w, "", e->orig.l4);
	if (set & CT_TIMEOUT)
		out_kv(&w, "", e->timeout);
	if (set & CT_TCP) {
		out_str(&w, state_name(IPPROTO_TCP, e->tcp.state));
		out_chr(&w, ' ');
	}
	if (set & CT_SCTP) {
		out_str(&w, state_name(IPPROTO_SCTP, e->sctp.state));
		out_chr(&w, ' ');
	}
	if (set & CT_DCCP) {
		out_str(&w, state_name(IPPROTO_DCCP, e->dccp.state));
		out_chr(&w, ' ');
	}
	default_tuple(&w, &e->orig);
	if (e->orig.set & CT_TUPLE_ZONE)
		out_kv(&w, "zone-orig=", e->orig.zone);
	if (set & CT_COUNTERS_ORIG)
		default_counters(&w, &e->counters[CT_DIR_ORIG]);
	if ((set & CT_STATUS) && !(e->status & IPS_SEEN_REPLY))
		out_str(&w, "[UNREPLIED] ");
	default_tuple(&w, &e->reply);
	if (e->reply.set & CT_TUPLE_ZONE)
		out_kv(&w, "zone-reply=", e->reply.zone);
	if (set & CT_COUNTERS_REPLY)
		default_counters(&w, &e->counters[CT_DIR_REPLY]);
	if (has_status(e, 1U << IPS_HW_OFFLOAD_BIT))
		out_str(&w, "[HW_OFFLOAD] ");
	else if (has_status(e, 1U << IPS_OFFLOAD_BIT))
		out_str(&w, "[OFFLOAD] ");
	else if (has_status(e, IPS_ASSURED))
		out_str(&w, "[ASSURED] ");
	if (set & CT_MARK)
		out_kv(&w, "mark=", e->mark);
	if (set & CT_SECMARK)
		out_kv(&w, "secmark=", e->secmark);
	if ((set & CT_SECCTX) && e->secctx) {
		out_str(&w, "secctx=");
		out_str(&w, e->secctx);
		out_chr(&w, ' ');
	}
	if (set & CT_ZONE)
		out_kv(&w, "zone=", e->zone);
	if (set & CT_TIMESTAMP_START) {
		/* whole seconds of stop (or now) minus whole seconds of
		 * start, printed as unsigned like upstream's %llu */
		int64_t stop = (set & CT_TIMESTAMP_STOP) && e->ts_stop ?
			       (int64_t)(e->ts_stop / NSEC_PER_SEC) : now_of(o);

		out_kv(&w, "delta-time=", (uint64_t)(stop -
			(int64_t)(e->ts_start / NSEC_PER_SEC)));
	}
	if (o->flags & CT_FMT_KTIMESTAMP) {
		if (set & CT_TIMESTAMP_START) {
			out_str(&w, "[start=");
			out_ctime(&w, e->ts_start);
			out_str(&w, "] ");
		}
		if (set & CT_TIMESTAMP_STOP) {
			out_str(&w, "[stop=");
			out_ctime(&w, e->ts_stop);
			out_str(&w, "] ");
		}
	}
	if ((set & CT_HELPER) && e->helper) {
		out_str(&w, "helper=");
		out_str(&w, e->helper);
		out_chr(&w, ' ');
	}
	if (set & CT_USE)
		out_kv(&w, "use=", e->use);
	if ((o->flags & CT_FMT_ID) && (set & CT_ID))
		out_kv(&w, "id=", e->id);
	if (o->labels && (set & CT_LABELS))
		default_labels(&w, e, o->labels);
	out_trim(&w);
	return out_end(&w);
}

/* ---- xml ---------------------------------------------------------------- */

static void xml_u64(struct out *w, const char *tag, uint64_t v)
{
	out_chr(w, '<');
	out_str(w, tag);
	out_chr(w, '>');
	out_u64(w, v);
	out_str(w, "</");
	out_str(w, tag);
	out_chr(w, '>');
}

static void xml_text(struct out *w, const char *tag, const char *s)
{
	out_chr(w, '<');
	out_str(w, tag);
	out_chr(w, '>');
	out_xml_text(w, s);
	out_str(w, "</");
	out_str(w, tag);
	out_chr(w, '>');
}

static void xml_addrs(struct out *w, const struct ct_tuple *t)
{
	out_str(w, "<src>");
	out_addr(w, t->l3, &t->src);
	out_str(w, "</src><dst>");
	out_addr(w, t->l3, &t->dst);
	out_str(w, "</dst>");
}

static void xml_l4(struct out *w, const struct ct_tuple *t)
{
	const struct ct_proto *p = ct_proto_by_num(t->l4);

	if (p->num && p->kind == CT_L4_PORTS) {
		xml_u64(w, "sport", t->sport);
		xml_u64(w, "dport", t->dport);
	} else if (p->kind == CT_L4_GRE) {
		out_str(w, "<srckey>0x");
		out_hex(w, t->sport);
		out_str(w, "</srckey><dstkey>0x");
		out_hex(w, t->dport);
		out_str(w, "</dstkey>");
	}
}

static void xml_tuple(struct out *w, const struct ct_entry *e, int dir)
{
	const struct ct_tuple *t = dir == CT_DIR_ORIG ? &e->orig : &e->reply;

	out_str(w, dir == CT_DIR_ORIG ? "<meta direction=\"original\">" :
					"<meta direction=\"reply\">");
	out_str(w, "<layer3 protonum=\"");
	out_u64(w, t->l3);
	out_str(w, "\" protoname=\"");
	out_str(w, l3_name(t->l3));
	out_str(w, "\">");
	xml_addrs(w, t);
	out_str(w, "</layer3><layer4 protonum=\"");
	out_u64(w, t->l4);
	out_str(w, "\" protoname=\"");
	out_str(w, l4_name(t->l4));
	out_str(w, "\">");
	xml_l4(w, t);
	out_str(w, "</layer4>");
	if (t->set & CT_TUPLE_ZONE)
		xml_u64(w, "zone", t->zone);
	/* upstream tests the orig counters for both directions */
	if (e->set & CT_COUNTERS_ORIG) {
		out_str(w, "<counters>");
		xml_u64(w, "packets", e->counters[dir].packets);
		xml_u64(w, "bytes", e->counters[dir].bytes);
		out_str(w, "</counters>");
	}
	out_str(w, "</meta>");
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

static void xml_when(struct out *w, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return;
	out_str(w, "<when>");
	xml_u64(w, "hour", (uint64_t)tm.tm_hour);
	out_str(w, "<min>");
	out_chr(w, (char)('0' + tm.tm_min / 10));
	out_chr(w, (char)('0' + tm.tm_min % 10));
	out_str(w, "</min><sec>");
	out_chr(w, (char)('0' + tm.tm_sec / 10));
	out_chr(w, (char)('0' + tm.tm_sec % 10));
	out_str(w, "</sec>");
	xml_u64(w, "wday", (uint64_t)tm.tm_wday + 1);
	xml_u64(w, "day", (uint64_t)tm.tm_mday);
	xml_u64(w, "month", (uint64_t)tm.tm_mon + 1);
	xml_u64(w, "year", (uint64_t)tm.tm_year + 1900);
	out_str(w, "</when>");
}

static const uint64_t xml_indep = CT_TCP | CT_SCTP | CT_DCCP | CT_TIMEOUT |
	CT_MARK | CT_SECMARK | CT_ZONE | CT_USE | CT_STATUS | CT_ID |
	CT_LABELS | CT_TIMESTAMP_START | CT_TIMESTAMP_STOP;

static void xml_independent(struct out *w, const struct ct_entry *e,
			    const struct ct_fmt_opts *o)
{
	uint64_t set = e->set;

	out_str(w, "<meta direction=\"independent\">");
	if (set & (CT_TCP | CT_SCTP | CT_DCCP))
		xml_text(w, "state", xml_state(e));
	if (set & CT_TIMEOUT)
		xml_u64(w, "timeout", e->timeout);
	if (set & CT_MARK)
		xml_u64(w, "mark", e->mark);
	if (o->labels && (set & CT_LABELS)) {
		out_str(w, "<labels>");
		for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
			const char *name = label_name(e, o->labels, bit);

			if (name)
				xml_text(w, "label", name);
		}
		out_str(w, "</labels>");
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
		out_str(w, "<assured/>");
	if ((set & CT_STATUS) && !(e->status & IPS_SEEN_REPLY))
		out_str(w, "<unreplied/>");
	if ((o->flags & CT_FMT_KTIMESTAMP) &&
	    (set & (CT_TIMESTAMP_START | CT_TIMESTAMP_STOP))) {
		out_str(w, "<timestamp>");
		if (set & CT_TIMESTAMP_START)
			xml_u64(w, "start", e->ts_start);
		if (set & CT_TIMESTAMP_STOP)
			xml_u64(w, "stop", e->ts_stop);
		out_str(w, "</timestamp>");
	}
	if ((set & CT_TIMESTAMP_START) && (set & CT_TIMESTAMP_STOP))
		xml_u64(w, "deltatime",
			(uint64_t)((int64_t)(e->ts_stop - e->ts_start) /
				   (int64_t)NSEC_PER_SEC));
	else if (set & CT_TIMESTAMP_START)
		xml_u64(w, "deltatime", (uint64_t)(now_of(o) -
			(int64_t)(e->ts_start / NSEC_PER_SEC)));
	out_str(w, "</meta>");
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
	struct out w;

	if (!e || !o || out_start(&w, buf, len))
		return -EINVAL;
	out_str(&w, xml_flow_open[o->event <= CT_FMT_EV_DESTROY ?
				  o->event : CT_FMT_EV_NONE]);
	xml_tuple(&w, e, CT_DIR_ORIG);
	xml_tuple(&w, e, CT_DIR_REPLY);
	if (e->set & xml_indep)
		xml_independent(&w, e, o);
	if (o->flags & CT_FMT_XML_WHEN)
		xml_when(&w, now_of(o));
	if ((e->set & CT_HELPER) && e->helper)
		xml_text(&w, "helper", e->helper);
	out_str(&w, "</flow>");
	return out_end(&w);
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

static void save_status_opt(struct out *w, uint32_t status)
{
	bool found = false;

	out_str(w, "-u ");
	for (size_t i = 0; i < sizeof(save_status) / sizeof(save_status[0]);
	     i++) {
		if (!(status & save_status[i].bit))
			continue;
		if (found)
			out_chr(w, ',');
		out_str(w, save_status[i].name);
		found = true;
	}
	out_str(w, found ? " " : "UNSET ");
}

static void save_addr(struct out *w, const char *opt, uint8_t l3,
		      const struct ct_tuple *t, uint16_t bit,
		      const union ct_addr *a)
{
	if (!(t->set & bit))
		return;
	out_str(w, opt);
	out_addr(w, l3, a);
	out_chr(w, ' ');
}

static void save_port(struct out *w, const char *opt, uint16_t set,
		      uint16_t bit, uint64_t v)
{
	if (set & bit)
		out_kv(w, opt, v);
}

static void save_state(struct out *w, uint8_t num, unsigned int state)
{
	out_str(w, "--state ");
	out_str(w, state_name(num, state));
	out_chr(w, ' ');
}

/* The protocol extension's print_opts. */
static void save_l4(struct out *w, const struct ct_entry *e,
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
		out_kv(w, "--orig-vtag ", ntohl(e->sctp.vtag[CT_DIR_ORIG]));
		out_kv(w, "--reply-vtag ", ntohl(e->sctp.vtag[CT_DIR_REPLY]));
	}
	if (p->info == CT_DCCP && (e->set & CT_DCCP)) {
		save_state(w, IPPROTO_DCCP, e->dccp.state);
		out_str(w, "--role ");
		out_str(w, dccp_roles[e->dccp.role < 2 ? e->dccp.role : 0]);
		out_chr(w, ' ');
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
static void save_extra(struct out *w, const struct ct_entry *e,
		       const struct ct_fmt_opts *o)
{
	bool space, first = true;

	if ((e->set & CT_MARK) &&
	    (e->mark || o->event == CT_FMT_EV_UPDATE))
		out_kv(w, "-m ", e->mark);
	if (!(e->set & CT_LABELS) || !o->labels ||
	    !save_has_names(e, o->labels, &space))
		return;
	out_str(w, space ? "--label-add \"" : "--label-add ");
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = label_name(e, o->labels, bit);

		if (!name || !*name)
			continue;
		if (!first)
			out_chr(w, ',');
		out_str(w, name);
		first = false;
	}
	out_str(w, space ? "\" " : " ");
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
	struct out w;
	uint8_t l3;
	bool dnat, snat;

	if (!e || !o || out_start(&w, buf, len))
		return -EINVAL;
	ot = &e->orig;
	rt = &e->reply;
	l3 = ot->l3 ? ot->l3 : rt->l3;
	if (l3 != AF_INET && l3 != AF_INET6)
		return -EAFNOSUPPORT;

	out_str(&w, save_prefix[o->event <= CT_FMT_EV_DESTROY ?
				o->event : CT_FMT_EV_NONE]);
	if (e->set & CT_TIMEOUT)
		out_kv(&w, "-t ", e->timeout);
	if (e->set & CT_STATUS)
		save_status_opt(&w, e->status);
	/* -c cannot be given to -I/-A/-U/-D, so a save line with it could
	 * not be loaded back: only upstream's compatible form keeps it */
	if ((e->set & CT_SECMARK) && (o->flags & CT_FMT_SAVE_COMPAT))
		out_kv(&w, "-c ", e->secmark);
	if (e->set & CT_ZONE)
		out_kv(&w, "-w ", e->zone);
	if (ot->set & CT_TUPLE_ZONE)
		out_kv(&w, "--orig-zone ", ot->zone);
	if (rt->set & CT_TUPLE_ZONE)
		out_kv(&w, "--reply-zone ", rt->zone);

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
		out_str(&w, "-p ");
		out_str(&w, p->name);
		out_chr(&w, ' ');
		save_l4(&w, e, p);
	} else {
		out_kv(&w, "-p ", ot->l4);
	}
	if (!(o->flags & CT_FMT_SAVE_COMPAT) &&
	    (o->event == CT_FMT_EV_NEW || o->event == CT_FMT_EV_UPDATE))
		save_extra(&w, e, o);
	out_trim(&w);
	return out_end(&w);
}

/* ---- json --------------------------------------------------------------- */

static void json_str(struct out *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	out_chr(w, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			out_chr(w, '\\');
			out_chr(w, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0',
					hex[*p >> 4], hex[*p & 0xf] };

			out_mem(w, esc, sizeof(esc));
		} else {
			out_chr(w, (char)*p);
		}
	}
	out_chr(w, '"');
}

/* ,"key": (the comma unless first) */
static void json_key(struct out *w, bool *first, const char *key)
{
	if (!*first)
		out_chr(w, ',');
	*first = false;
	out_chr(w, '"');
	out_str(w, key);
	out_str(w, "\":");
}

static void json_u64(struct out *w, bool *first, const char *key, uint64_t v)
{
	json_key(w, first, key);
	out_u64(w, v);
}

static void json_text(struct out *w, bool *first, const char *key,
		      const char *s)
{
	json_key(w, first, key);
	json_str(w, s);
}

static void json_tuple(struct out *w, const struct ct_tuple *t, bool master)
{
	const struct ct_proto *p = ct_proto_by_num(t->l4);
	bool first = true;

	out_chr(w, '{');
	if (master)
		json_u64(w, &first, "protonum", t->l4);
	if (t->l3 == AF_INET || t->l3 == AF_INET6) {
		json_key(w, &first, "src");
		out_chr(w, '"');
		out_addr(w, t->l3, &t->src);
		out_chr(w, '"');
		json_key(w, &first, "dst");
		out_chr(w, '"');
		out_addr(w, t->l3, &t->dst);
		out_chr(w, '"');
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
	out_chr(w, '}');
}

static const char *const status_names[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT",
	"DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",
	"FIXED_TIMEOUT", "TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD",
	"HW_OFFLOAD",
};

static void json_status(struct out *w, uint32_t status)
{
	bool first = true;

	out_chr(w, '[');
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(status & (1U << bit)))
			continue;
		if (!first)
			out_chr(w, ',');
		first = false;
		if (bit < sizeof(status_names) / sizeof(status_names[0])) {
			json_str(w, status_names[bit]);
		} else {
			out_str(w, "\"BIT");
			out_u64(w, bit);
			out_chr(w, '"');
		}
	}
	out_chr(w, ']');
}

static void json_counters(struct out *w, const struct ct_entry *e)
{
	bool first = true;

	out_chr(w, '{');
	for (int dir = CT_DIR_ORIG; dir <= CT_DIR_REPLY; dir++) {
		bool inner = true;

		if (!(e->set & (dir == CT_DIR_ORIG ? CT_COUNTERS_ORIG :
						     CT_COUNTERS_REPLY)))
			continue;
		json_key(w, &first, dir == CT_DIR_ORIG ? "orig" : "reply");
		out_chr(w, '{');
		json_u64(w, &inner, "packets", e->counters[dir].packets);
		json_u64(w, &inner, "bytes", e->counters[dir].bytes);
		out_chr(w, '}');
	}
	out_chr(w, '}');
}

static void json_timestamps(struct out *w, const struct ct_entry *e)
{
	bool first = true;

	out_chr(w, '{');
	if (e->set & CT_TIMESTAMP_START)
		json_u64(w, &first, "start", e->ts_start);
	if (e->set & CT_TIMESTAMP_STOP)
		json_u64(w, &first, "stop", e->ts_stop);
	if (e->set & CT_TIMESTAMP_EVENT)
		json_u64(w, &first, "event", e->ts_event);
	out_chr(w, '}');
}

static void json_labels(struct out *w, const struct ct_entry *e,
			const struct ct_labelmap *map)
{
	bool first = true;

	out_chr(w, '[');
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name;

		if (!ct_labels_test(e->labels, e->labels_len, bit))
			continue;
		if (!first)
			out_chr(w, ',');
		first = false;
		name = ct_labelmap_name(map, bit);
		if (name)
			json_str(w, name);
		else
			out_u64(w, bit);
	}
	out_chr(w, ']');
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
	struct out w;

	if (!e || !o || out_start(&w, buf, len))
		return -EINVAL;
	set = e->set;
	l3 = e->orig.l3 ? e->orig.l3 : e->family;

	out_chr(&w, '{');
	if (o->event >= CT_FMT_EV_NEW && o->event <= CT_FMT_EV_DESTROY)
		json_text(&w, &first, "event", json_events[o->event]);
	json_text(&w, &first, "family", l3_name(l3));
	json_u64(&w, &first, "l3num", l3);
	json_text(&w, &first, "proto", l4_name(e->orig.l4));
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
	out_chr(&w, '}');
	return out_end(&w);
}

/* ---- prefixes and statistics ------------------------------------------- */

/* @v in decimal, at least @digits digits (zero-padded) or, with @blank,
 * left-aligned in a field of @digits blanks. */
static void out_num_field(struct out *w, int64_t v, int digits, bool blank)
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
			out_chr(w, '-');
			n++;
		}
		out_mem(w, tmp + i, sizeof(tmp) - i);
		for (; n < (size_t)digits; n++)
			out_chr(w, ' ');
		return;
	}
	if (v < 0)
		out_chr(w, '-');
	for (; n < (size_t)digits; n++)
		out_chr(w, '0');
	out_mem(w, tmp + i, sizeof(tmp) - i);
}

int ct_format_ts_prefix(char *buf, size_t len, enum ct_ts_style style,
			int64_t sec, long usec)
{
	bool blank = style == CT_TS_EXPECT;
	struct out w;

	if (out_start(&w, buf, len))
		return -EINVAL;
	out_chr(&w, '[');
	out_num_field(&w, sec, 8, blank);
	out_chr(&w, '.');
	out_num_field(&w, usec, 6, blank);
	out_str(&w, "]\t");
	return out_end(&w);
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
	struct out w;

	if (!st || out_start(&w, buf, len))
		return -EINVAL;
	out_str(&w, "cpu=");
	out_num_field(&w, st->cpu, 4, true);
	out_chr(&w, '\t');
	for (size_t t = 1; t < n && t < CT_STATS_NVAL; t++) {
		if (!(st->present & (1U << t)) || !names[t])
			continue;
		out_str(&w, names[t]);
		out_chr(&w, '=');
		out_u64(&w, st->val[t]);
		out_chr(&w, ' ');
	}
	return out_end(&w);
}

/* ---- pieces for other printers ------------------------------------------ */

int ct_format_tuple_piece(char *buf, size_t len, const struct ct_tuple *t,
			  enum ct_fmt_piece piece, const char *prefix)
{
	struct out w;

	if (!t || out_start(&w, buf, len))
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
	return out_end(&w);
}

int ct_format_xml_when(char *buf, size_t len, int64_t now)
{
	struct out w;

	if (out_start(&w, buf, len))
		return -EINVAL;
	xml_when(&w, now ? now : (int64_t)time(NULL));
	return out_end(&w);
}
