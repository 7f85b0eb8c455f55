/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing conntrack entries the way conntrack(8) does: the default line
 * (libnetfilter_conntrack's NFCT_O_DEFAULT), the XML flow element
 * (NFCT_O_XML), the `-o save` command-line syntax (conntrack-tools'
 * ct_save_snprintf) and, ours, JSON Lines; plus the -E/expect timestamp
 * prefixes and the -S per-cpu line. The output of the first three is
 * byte-identical to conntrack-tools 1.4.8 with libnetfilter_conntrack
 * 1.0.9 (differences are listed at each function and are opt-in or fix a
 * documented weakness).
 *
 * Every function writes into a caller-owned buffer like snprintf but with
 * errno-style results: it returns the length written (without the
 * terminating NUL); -ENOSPC when the text does not fit in @len bytes (the
 * buffer then holds a NUL-terminated prefix of it, as upstream's fixed
 * buffers truncate; nothing is ever written past buf[len - 1]); -EINVAL
 * for a NULL argument. No function allocates, prints or keeps state; none
 * appends a newline (the caller prints each result as one line).
 *
 * Upstream's buffer sizes, for callers that want its truncation: 4096
 * bytes for -L/-G lines, 1024 for events, -D/-U and expectations.
 */
#ifndef RAWCT_CT_FORMAT_H
#define RAWCT_CT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/labels.h"
#include "ct/stats.h"

/* Message type of the entry: a dumped entry (NONE) or an event. */
enum ct_fmt_event {
	CT_FMT_EV_NONE,		/* -L/-G/-D/-U output */
	CT_FMT_EV_NEW,		/* "[NEW]", <flow type="new">, save "-A" */
	CT_FMT_EV_UPDATE,	/* "[UPDATE]", type="update", save "-U" */
	CT_FMT_EV_DESTROY,	/* "[DESTROY]", type="destroy", save "-D" */
};

/* Output flags (struct ct_fmt_opts.flags). */
enum {
	CT_FMT_EXTENDED	  = 1 << 0,	/* -o extended: "ipv4     2 " prefix */
	CT_FMT_ID	  = 1 << 1,	/* -o id: "id=N" (default format only;
					 * XML always prints <id>) */
	CT_FMT_KTIMESTAMP = 1 << 2,	/* -o ktimestamp: [start=..] [stop=..],
					 * XML <timestamp> */
	CT_FMT_XML_WHEN	  = 1 << 3,	/* -E -o xml,timestamp: <when> element
					 * (local time of opts.now) */
	CT_FMT_SAVE_COMPAT = 1 << 4,	/* save: exactly upstream, i.e. without
					 * our -m / --label-add additions */
};

struct ct_fmt_opts {
	unsigned int flags;		/* CT_FMT_* */
	enum ct_fmt_event event;
	/* -o labels (default and XML formats; names for save and JSON).
	 * NULL: no labels printed, as upstream without a map. */
	const struct ct_labelmap *labels;
	/* "Now" in seconds since the epoch, for delta-time of entries that
	 * have no stop timestamp and for <when>; 0 means time(NULL). */
	int64_t now;
};

/*
 * ct_format_default - the default (and -o extended/id/ktimestamp/labels)
 * line, field order as libnetfilter_conntrack:
 *   [event "%9s "] [ext "%-8s %u "] "%-8s %u " l4 name/num, timeout,
 *   tcp/sctp/dccp state, orig src/dst + l4, zone-orig=, orig counters,
 *   [UNREPLIED], reply src/dst + l4, zone-reply=, reply counters,
 *   [HW_OFFLOAD] | [OFFLOAD] | [ASSURED] (first that applies), mark=,
 *   secmark=, secctx=, zone=, delta-time=, [start=] [stop=] (ctime(3) in
 *   local time, i.e. TZ), helper=, use=, id=, labels=; last blank removed.
 * Protocol names and state names come from ct/proto (out-of-range states
 * print as the protocol's state 0, "NONE", as upstream). delta-time is
 * (stop or now) / 1e9 - start / 1e9 in whole seconds, printed unsigned.
 * labels= lists the named set bits joined by ","; an entry whose set bits
 * have no names prints the bare word "labels" (an upstream quirk kept).
 * @e->orig/reply addresses print only for l3 AF_INET/AF_INET6.
 */
int ct_format_default(char *buf, size_t len, const struct ct_entry *e,
		      const struct ct_fmt_opts *o);

/*
 * ct_format_xml - one <flow>...</flow> element on one line, as
 * libnetfilter_conntrack's XML printer (including its quirks: <id> always,
 * the reply <counters> shown only when the orig ones are present, SCTP and
 * DCCP <state> named from the TCP state table, <helper> after the
 * independent <meta>). Differences: helper and secctx text is escaped
 * (&lt; &gt; &amp;), which changes nothing for real kernel names.
 */
int ct_format_xml(char *buf, size_t len, const struct ct_entry *e,
		  const struct ct_fmt_opts *o);

enum ct_xml_doc {
	CT_XML_CONNTRACK,	/* <conntrack> ... </conntrack> */
	CT_XML_EXPECT,		/* <expect> ... </expect> */
};

/*
 * The XML document frame, each returned as static text without a final
 * newline (print each as a line, like the flows):
 *   header: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<conntrack>"
 *   footer: "</conntrack>"
 * Upstream prints the header lazily before the first flow, so a dump of
 * zero entries prints nothing, which is not an XML document (spec §5).
 * Printing the header and footer is the caller's decision: -L/-G should
 * print both even for zero entries (our fix); -E prints the header before
 * the first event and the footer on exit; -D/-U print bare flows.
 */
const char *ct_format_xml_header(enum ct_xml_doc doc);
const char *ct_format_xml_footer(enum ct_xml_doc doc);

/*
 * ct_format_save - the entry as conntrack arguments (-o save), prefix by
 * o->event: NEW "-A ", UPDATE "-U ", DESTROY "-D ", NONE none (upstream
 * dumps and the -U reprint pass NEW, -D passes DESTROY). Then as
 * ct_save_snprintf: -t, -u FLAGS|UNSET (EXPECTED, SEEN_REPLY, ASSURED,
 * FIXED_TIMEOUT only), -c, -w, --orig-zone, --reply-zone, -s, -d, -g|-r,
 * -n|-q (IPv4 NAT shown as -g/-n), -p name + protocol options or -p num;
 * trailing blanks trimmed. SCTP vtags are printed as upstream does,
 * ntohl() of the kernel value (upstream byte-swaps them both ways).
 *
 * Our addition (spec §5: save must round-trip through -R), left out with
 * CT_FMT_SAVE_COMPAT: for "-A" lines " -m N" when the mark is not 0, for
 * "-U" lines " -m N" whenever a mark is present; for "-A"/"-U" lines
 * " --label-add a,b" for the set label bits that have names in
 * o->labels (quoted "..." when a name has a space, which -R's tokenizer
 * understands). Nothing is added to "-D" lines (they select by tuple).
 * Unnamed label bits, secctx and helper cannot be expressed as options
 * and are not saved. "-c SECMARK" is printed only with CT_FMT_SAVE_COMPAT:
 * no command -R runs accepts it, so a line with it could not be loaded.
 *
 * Returns -EAFNOSUPPORT when the orig (or else reply) l3 is neither IPv4
 * nor IPv6: upstream then prints
 * "WARNING: unsupported l3proto %d, skipping." to stderr.
 */
int ct_format_save(char *buf, size_t len, const struct ct_entry *e,
		   const struct ct_fmt_opts *o);

/*
 * ct_format_json - one JSON object (JSON Lines: no newline inside), keys
 * in this order, each only when its presence bit is set. No whitespace
 * between tokens. Strings are escaped per RFC 8259 (", \, control
 * characters as \uXXXX; other bytes copied as they are).
 *
 *   "event":     "new" | "update" | "destroy"     (events only)
 *   "family":    "ipv4" | "ipv6" | "unknown"      (orig tuple l3, else
 *                                                   e->family)
 *   "l3num":     2
 *   "proto":     "tcp" | ... | "unknown"          (orig tuple l4)
 *   "protonum":  6
 *   "timeout":   120                              (seconds)
 *   "state":     "ESTABLISHED"                    (tcp, sctp, dccp)
 *   "orig", "reply", "master": tuple objects:
 *       {"src":"1.2.3.4","dst":"5.6.7.8",         (when l3 is v4/v6)
 *        ports:  "sport":1,"dport":2              (tcp udp udplite sctp
 *                                                   dccp)
 *        icmp:   "type":8,"code":0,"id":1         (icmp, icmpv6)
 *        gre:    "srckey":5,"dstkey":6
 *        "zone":2}                                (directional zone)
 *       the master tuple also has "protonum" (first key) since it may
 *       differ from the entry's.
 *   "status":    ["SEEN_REPLY","ASSURED",...]     (IPS_* names without
 *                 the prefix, ascending bit order; unknown bits "BIT<n>")
 *   "mark": 0, "secmark": 0, "secctx": "...", "zone": 0, "use": 1,
 *   "id": 3227302573
 *   "counters":  {"orig":{"packets":1,"bytes":60},
 *                 "reply":{"packets":1,"bytes":60}}  (present directions)
 *   "timestamp": {"start":ns,"stop":ns,"event":ns}   (ns since the epoch)
 *   "helper":    "ftp"
 *   "labels":    ["eth0-in", 7]   (set bits, ascending: the name from
 *                 o->labels, or the bit number when unnamed / no map)
 *
 * Integers are exact decimal; note that values above 2^53 (ns timestamps,
 * large counters) lose precision in parsers that use doubles.
 */
int ct_format_json(char *buf, size_t len, const struct ct_entry *e,
		   const struct ct_fmt_opts *o);

/* Styles of the timestamp prefix printed before a line. */
enum ct_ts_style {
	CT_TS_EVENT,	/* conntrack -E -o timestamp: "[%-.8ld.%-.6ld]\t",
			 * zero-padded: "[1795729502.074195]\t" */
	CT_TS_EXPECT,	/* expect dumps/events: "[%-8ld.%-6ld]\t", left-
			 * aligned and blank-padded: "[1795729502.74195 ]\t" */
};

/* ct_format_ts_prefix - the prefix for @sec.@usec (usec < 1000000) in
 * @style. -E with a kernel event timestamp (CT_TIMESTAMP_EVENT) passes
 * ts_event / 1e9 and (ts_event % 1e9) / 1000; otherwise gettimeofday(). */
int ct_format_ts_prefix(char *buf, size_t len, enum ct_ts_style style,
			int64_t sec, long usec);

enum ct_stats_kind {
	CT_STATS_CONNTRACK,	/* CTA_STATS_SEARCHED .. CHAIN_TOOLONG,
				 * then types 16..19 as unknown1..unknown4 */
	CT_STATS_EXPECT,	/* CTA_STATS_EXP_NEW, _CREATE, _DELETE */
};

/*
 * ct_format_stats - the -S line: "cpu=%-4u\t" then "name=value " for
 * each present counter in type order, the trailing blank kept (as
 * upstream: "cpu=0   \tfound=0 invalid=0 ... chaintoolong=0 "). Types
 * without an upstream name are not printed.
 */
int ct_format_stats(char *buf, size_t len, const struct ct_stats_cpu *st,
		    enum ct_stats_kind kind);

/* Pieces of a tuple as the printers above write them, for printers of
 * other records (ct/expect_format.c) so that protocol handling stays in
 * one place. */
enum ct_fmt_piece {
	CT_FMT_PIECE_ADDRS,	/* default: "<prefix>src=A <prefix>dst=B "
				 * (IPv4/IPv6 tuples only, else nothing) */
	CT_FMT_PIECE_L4,	/* default: "sport=1 dport=2 ",
				 * "srckey=0x5 dstkey=0x6 ",
				 * "type=8 code=0 id=1 " or nothing */
	CT_FMT_PIECE_XML_ADDRS,	/* "<src>A</src><dst>B</dst>" */
	CT_FMT_PIECE_XML_L4,	/* "<sport>1</sport><dport>2</dport>", gre
				 * "<srckey>0x5</srckey><dstkey>..", or
				 * nothing */
	CT_FMT_PIECE_JSON,	/* the tuple object of ct_format_json */
	CT_FMT_PIECE_JSON_PROTO, /* the same with "protonum" first (as its
				 * "master") */
};

/* ct_format_tuple_piece - @piece of @t; @prefix is used by
 * CT_FMT_PIECE_ADDRS only (NULL = ""). Returns as the printers above. */
int ct_format_tuple_piece(char *buf, size_t len, const struct ct_tuple *t,
			  enum ct_fmt_piece piece, const char *prefix);

/* ct_format_xml_when - the <when>...</when> element of CT_FMT_XML_WHEN
 * for @now (seconds since the epoch, local time; 0 = time(NULL)). */
int ct_format_xml_when(char *buf, size_t len, int64_t now);

#endif
