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
#include "ct/format_int.h"
#include "ct/out.h"
#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"

/* ---- shared pieces ------------------------------------------------------ */

/* State @state of protocol @num; out of range prints state 0 ("NONE"). */
const char *ct_fmt_state_name(uint8_t num, unsigned int state)
{
	const struct ct_proto *p = ct_proto_by_num(num);
	const char *s = ct_proto_state_name(p, state);

	if (!s)
		s = ct_proto_state_name(p, 0);
	return s ? s : "NONE";
}

bool ct_fmt_has_status(const struct ct_entry *e, uint32_t bits)
{
	return (e->set & CT_STATUS) && (e->status & bits);
}

/* The label bit is set and (when @map) named. */
const char *ct_fmt_label_name(const struct ct_entry *e,
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

int64_t ct_fmt_now(const struct ct_fmt_opts *o)
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
		const char *name = ct_fmt_label_name(e, map, bit);

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
		ct_out_str(&w, ct_fmt_state_name(IPPROTO_TCP, e->tcp.state));
		ct_out_chr(&w, ' ');
	}
	if (set & CT_SCTP) {
		ct_out_str(&w, ct_fmt_state_name(IPPROTO_SCTP, e->sctp.state));
		ct_out_chr(&w, ' ');
	}
	if (set & CT_DCCP) {
		ct_out_str(&w, ct_fmt_state_name(IPPROTO_DCCP, e->dccp.state));
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
	if (ct_fmt_has_status(e, 1U << IPS_HW_OFFLOAD_BIT))
		ct_out_str(&w, "[HW_OFFLOAD] ");
	else if (ct_fmt_has_status(e, 1U << IPS_OFFLOAD_BIT))
		ct_out_str(&w, "[OFFLOAD] ");
	else if (ct_fmt_has_status(e, IPS_ASSURED))
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
			       (int64_t)(e->ts_stop / NSEC_PER_SEC) : ct_fmt_now(o);

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
		ct_fmt_xml_addrs(&w, t);
		break;
	case CT_FMT_PIECE_XML_L4:
		ct_fmt_xml_l4(&w, t);
		break;
	case CT_FMT_PIECE_JSON:
	case CT_FMT_PIECE_JSON_PROTO:
		ct_fmt_json_tuple(&w, t, piece == CT_FMT_PIECE_JSON_PROTO);
		break;
	default:
		return -EINVAL;
	}
	return ct_out_end(&w);
}
