/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printing expectations the way conntrack(8) does (`-L expect`, `-E
 * expect`): libnetfilter_conntrack 1.0.9's default expectation line and
 * XML flow, and, ours, JSON Lines. Same conventions as ct/format.h: the
 * caller's buffer, the length written or -ENOSPC (the buffer then holds
 * a NUL-terminated prefix) or -EINVAL, no newline, no allocation, no
 * state. The -S expect line is ct_format_stats(..., CT_STATS_EXPECT);
 * timestamp prefixes are ct_format_ts_prefix(..., CT_TS_EXPECT, ...); the
 * XML document frame is ct_format_xml_header/footer(CT_XML_EXPECT).
 */
#ifndef RAWCT_CT_EXPECT_FORMAT_H
#define RAWCT_CT_EXPECT_FORMAT_H

#include <stddef.h>

#include "ct/expect.h"
#include "ct/format.h"

/*
 * ct_expect_format_default - the expectation line, byte-identical to
 * conntrack 1.4.7/1.4.8 with libnetfilter_conntrack 1.0.9:
 *   [event "%9s "] timeout "proto=N " expected src=/dst= + l4,
 *   mask-src=/mask-dst= + mask l4, master-src=/master-dst= + master l4,
 *   "zone=N ", flags "PERMANENT,INACTIVE,USERSPACE ", "class=N ",
 *   "helper=NAME"; one trailing blank removed.
 * As upstream: timeout and proto print as 0 when absent; NAT and
 * expectfn are not printed; o->flags is ignored (there is no -o
 * extended/id for expectations). Example (a real ftp expectation):
 *   299 proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=10000
 *   mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0
 *   dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021
 *   dport=21 class=0 helper=ftp                        (one line)
 */
int ct_expect_format_default(char *buf, size_t len, const struct ct_expect *x,
			     const struct ct_fmt_opts *o);

/*
 * ct_expect_format_xml - one <flow> element, as libnetfilter_conntrack:
 *   <flow [type="new|update|destroy"]>
 *   <layer3 protonum= protoname=><expected><src/><dst/></expected>
 *     <mask>..</mask><master>..</master></layer3>
 *   <layer4 protonum= protoname=><expected><sport/><dport/></expected>
 *     <mask>..</mask><master>..</master></layer4>
 *   <meta><helper-name/><timeout/><zone/><class/>[<when/>]
 *     <permanent/><inactive/><userspace/></meta></flow>
 * layer3/layer4 name the expected tuple's protocols; <when> with
 * CT_FMT_XML_WHEN (o->now). Checked against the reference for the
 * elements a kernel sends (it never dumps the zone: <zone>'s place is
 * from upstream's source order). Helper names are XML-escaped.
 */
int ct_expect_format_xml(char *buf, size_t len, const struct ct_expect *x,
			 const struct ct_fmt_opts *o);

/*
 * ct_expect_format_json - one JSON object (JSON Lines), keys in this
 * order, each only when present, tuple objects as ct_format_json's:
 *
 *   "event":    "new" | "update" | "destroy"     (events only)
 *   "family":   "ipv4" | "ipv6" | "unknown"      (expected tuple l3,
 *                                                  else x->family)
 *   "l3num":    2
 *   "proto":    "tcp", "protonum": 6             (expected tuple l4)
 *   "timeout":  299
 *   "tuple":    {"src":..,"dst":..,"sport":0,"dport":10000}
 *   "mask":     {"src":"255.255.255.255",..,"sport":0,"dport":65535}
 *   "master":   {"protonum":6,"src":..,"dst":..,"sport":..,"dport":21}
 *   "zone":     0
 *   "flags":    ["PERMANENT","INACTIVE","USERSPACE"]  (set bits,
 *                ascending; unknown bits "BIT<n>"; [] when none)
 *   "class":    0
 *   "helper":   "ftp"
 *   "nat":      {"dir":"original"|"reply","tuple":{...}}
 *   "fn":       "nat-follow-master"
 *   "id":       3227302573
 */
int ct_expect_format_json(char *buf, size_t len, const struct ct_expect *x,
			  const struct ct_fmt_opts *o);

#endif
