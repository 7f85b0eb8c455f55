// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON Lines printer of conntrack -o json (ours; the schema is in
 * ct/format.h and conntrack(8)).
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

void ct_fmt_json_tuple(struct ct_out *w, const struct ct_tuple *t, bool master)
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
			  ct_fmt_state_name(IPPROTO_TCP, e->tcp.state));
	else if (set & CT_SCTP)
		json_text(&w, &first, "state",
			  ct_fmt_state_name(IPPROTO_SCTP, e->sctp.state));
	else if (set & CT_DCCP)
		json_text(&w, &first, "state",
			  ct_fmt_state_name(IPPROTO_DCCP, e->dccp.state));
	if (set & CT_ORIG) {
		json_key(&w, &first, "orig");
		ct_fmt_json_tuple(&w, &e->orig, false);
	}
	if (set & CT_REPLY) {
		json_key(&w, &first, "reply");
		ct_fmt_json_tuple(&w, &e->reply, false);
	}
	if (set & CT_MASTER) {
		json_key(&w, &first, "master");
		ct_fmt_json_tuple(&w, &e->master, true);
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
