// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/format: entries built by hand to match the outputs the
 * reference conntrack (1.4.7 / libnetfilter_conntrack 1.0.9) printed in
 * the spec's captures (§1.2, §1.8, §1.13) and in our own differential runs
 * (tests/compat/format_diff.sh), compared byte for byte; every case is
 * then formatted again into every buffer size from 0 to its length, with
 * a guard zone behind the buffer, to show that nothing is written past
 * the end and that short buffers give -ENOSPC and a terminated prefix.
 * JSON output goes through a small strict RFC 8259 validator. Times are
 * formatted in TZ=UTC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <check.h>

#include "ct/entry.h"
#include "ct/format.h"
#include "ct/labels.h"
#include "nl/uapi.h"
#include "tests/unit/suites.h"

#define ST_REPLIED	(IPS_SEEN_REPLY | IPS_CONFIRMED)
#define ST_ASSURED	(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED)

/* 2026-11-26 21:44:57 UTC, a Thursday */
#define TS_CAPTURE	1795729497ULL

/* ---- entry builders ------------------------------------------------------ */

static void addr(uint8_t l3, const char *s, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_eq(inet_pton(l3 == AF_INET6 ? AF_INET6 : AF_INET, s,
				   a), 1);
}

static void tuple(struct ct_tuple *t, uint8_t l3, uint8_t l4, const char *s,
		  const char *d, uint16_t sp, uint16_t dp)
{
	memset(t, 0, sizeof(*t));
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	t->l3 = l3;
	t->l4 = l4;
	addr(l3, s, &t->src);
	addr(l3, d, &t->dst);
	if (l4 == IPPROTO_TCP || l4 == IPPROTO_UDP || l4 == 132 ||
	    l4 == 47) {
		t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		t->sport = sp;
		t->dport = dp;
	}
}

/* A dumped entry: both tuples (reply mirrored unless given), timeout,
 * status, mark 0, use 1. */
static struct ct_entry entry(uint8_t l3, uint8_t l4, const char *s,
			     const char *d, uint16_t sp, uint16_t dp,
			     uint32_t timeout, uint32_t status)
{
	struct ct_entry e;

	memset(&e, 0, sizeof(e));
	e.family = l3;
	e.set = CT_ORIG | CT_REPLY | CT_TIMEOUT | CT_STATUS | CT_MARK | CT_USE;
	tuple(&e.orig, l3, l4, s, d, sp, dp);
	tuple(&e.reply, l3, l4, d, s, dp, sp);
	e.timeout = timeout;
	e.status = status;
	e.use = 1;
	return e;
}

static void tcp_state(struct ct_entry *e, uint8_t state)
{
	e->set |= CT_TCP;
	e->tcp.state = state;
}

static void counters(struct ct_entry *e, uint64_t op, uint64_t ob,
		     uint64_t rp, uint64_t rb)
{
	e->set |= CT_COUNTERS_ORIG | CT_COUNTERS_REPLY;
	e->counters[0].packets = op;
	e->counters[0].bytes = ob;
	e->counters[1].packets = rp;
	e->counters[1].bytes = rb;
}

static void icmp(struct ct_tuple *t, uint8_t type, uint8_t code, uint16_t id)
{
	t->set |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID;
	t->icmp_type = type;
	t->icmp_code = code;
	t->icmp_id = id;
}

/* -L: tcp 1.1.1.1:10 -> 2.2.2.2:20 ESTABLISHED, mark 7, zone 3 */
static struct ct_entry e_tcp(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "1.1.1.1", "2.2.2.2",
				  10, 20, 49, ST_ASSURED);

	tcp_state(&e, 3);
	e.mark = 7;
	e.set |= CT_ZONE;
	e.zone = 3;
	return e;
}

static struct ct_entry e_udp6(void)
{
	return entry(AF_INET6, IPPROTO_UDP, "2001:db8::1", "2001:db8::2", 1, 2,
		     29, IPS_CONFIRMED);
}

static struct ct_entry e_icmp(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_ICMP, "1.1.1.1", "2.2.2.2",
				  0, 0, 28, ST_REPLIED);

	icmp(&e.orig, 8, 0, 1226);
	icmp(&e.reply, 0, 0, 1226);
	return e;
}

static struct ct_entry e_unknown(void)
{
	return entry(AF_INET, 2, "0.0.0.0", "224.0.0.22", 0, 0, 9,
		     IPS_CONFIRMED);
}

static struct ct_entry e_gre(void)
{
	return entry(AF_INET, 47, "3.3.3.3", "4.4.4.4", 5, 6, 39,
		     IPS_CONFIRMED);
}

/* -I ... --dst-nat 7.7.7.7:80 */
static struct ct_entry e_dnat(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "5.5.5.5", "6.6.6.6",
				  10, 20, 39, IPS_CONFIRMED | IPS_DST_NAT |
				  IPS_DST_NAT_DONE);

	tuple(&e.reply, AF_INET, IPPROTO_TCP, "7.7.7.7", "5.5.5.5", 80, 10);
	tcp_state(&e, 1);
	return e;
}

/* IPv6 DNAT: upstream's save format says -g for IPv6 too (observed) */
static struct ct_entry e_dnat6(void)
{
	struct ct_entry e = entry(AF_INET6, IPPROTO_UDP, "2001:db8:1::9",
				  "2001:db8:2::9", 53, 53, 30, IPS_CONFIRMED |
				  IPS_DST_NAT | IPS_DST_NAT_DONE);

	tuple(&e.reply, AF_INET6, IPPROTO_UDP, "2001:db8:3::1",
	      "2001:db8:1::9", 5353, 53);
	return e;
}

static struct ct_entry e_snat(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "5.5.5.6", "6.6.6.6",
				  10, 20, 36, IPS_ASSURED | IPS_CONFIRMED |
				  IPS_SRC_NAT | IPS_SRC_NAT_DONE);

	tuple(&e.reply, AF_INET, IPPROTO_TCP, "6.6.6.6", "8.8.8.8", 20, 10);
	tcp_state(&e, 7);
	return e;
}

static struct ct_entry e_helper(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "127.0.0.1",
				  "127.0.0.1", 56366, 21, 431999, ST_ASSURED);

	tcp_state(&e, 3);
	e.set |= CT_HELPER;
	e.helper = "ftp";
	return e;
}

static struct ct_entry e_ext(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "9.9.9.9", "8.8.8.8",
				  1000, 22, 119, ST_ASSURED);

	tcp_state(&e, 3);
	counters(&e, 0, 0, 0, 0);
	e.set |= CT_ID | CT_TIMESTAMP_START;
	e.id = 3227302573U;
	e.ts_start = TS_CAPTURE * 1000000000ULL + 123456789;
	return e;
}

static struct ct_entry e_zone_orig(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "4.4.4.1", "4.4.4.2",
				  1, 2, 29, IPS_CONFIRMED);

	tcp_state(&e, 2);
	counters(&e, 0, 0, 0, 0);
	e.orig.set |= CT_TUPLE_ZONE;
	e.orig.zone = 2;
	e.set |= CT_TIMESTAMP_START;
	e.ts_start = TS_CAPTURE * 1000000000ULL;
	return e;
}

static struct ct_entry e_sctp(void)
{
	struct ct_entry e = entry(AF_INET, 132, "3.3.3.3", "4.4.4.4", 5, 6, 36,
				  IPS_CONFIRMED);

	e.set |= CT_SCTP | CT_SCTP_VTAGS;
	e.sctp.state = 4;
	/* what the kernel holds after upstream's double htonl */
	e.sctp.vtag[0] = htonl(100);
	e.sctp.vtag[1] = htonl(200);
	return e;
}

static struct ct_entry e_ev_udp(uint32_t mark)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_UDP, "11.0.0.1", "11.0.0.2",
				  1, 2, 30, IPS_CONFIRMED);

	e.set &= ~CT_USE;
	e.mark = mark;
	return e;
}

static struct ct_entry e_del(void)
{
	struct ct_entry e = entry(AF_INET, IPPROTO_TCP, "7.7.7.1", "7.7.7.3",
				  1, 2, 96, IPS_CONFIRMED);

	tcp_state(&e, 3);
	return e;
}

/* ---- the table ----------------------------------------------------------- */

enum fmt { F_DEFAULT, F_XML, F_SAVE, F_JSON };

struct fcase {
	const char *name;
	struct ct_entry (*make)(void);
	enum fmt fmt;
	unsigned int flags;
	enum ct_fmt_event ev;
	int64_t now;
	const char *want;	/* NULL: only validated (JSON) */
};

static struct ct_entry e_offload(void)
{
	struct ct_entry e = e_tcp();

	e.status |= 1U << IPS_OFFLOAD_BIT;
	return e;
}

static struct ct_entry e_hw_offload(void)
{
	struct ct_entry e = e_offload();

	e.status |= 1U << IPS_HW_OFFLOAD_BIT;
	return e;
}

static struct ct_entry e_stop(void)
{
	struct ct_entry e = e_ext();

	e.set |= CT_TIMESTAMP_STOP;
	e.ts_stop = e.ts_start + 62ULL * 1000000000ULL;
	return e;
}

static struct ct_entry e_ev_udp0(void) { return e_ev_udp(0); }
static struct ct_entry e_ev_udp5(void) { return e_ev_udp(5); }

static struct ct_entry e_ev_destroy(void)
{
	struct ct_entry e = e_ev_udp(5);

	e.timeout = 29;
	counters(&e, 0, 0, 0, 0);
	e.set |= CT_TIMESTAMP_START | CT_TIMESTAMP_STOP;
	e.ts_start = TS_CAPTURE * 1000000000ULL + 5;
	e.ts_stop = TS_CAPTURE * 1000000000ULL + 9;
	return e;
}

static struct ct_entry e_xml_tcp(void)
{
	struct ct_entry e = e_tcp();

	e.timeout = 46;
	e.set |= CT_ID;
	e.id = 1116693897;
	return e;
}

static struct ct_entry e_zone_save(void)
{
	struct ct_entry e = e_tcp();

	e.timeout = 45;
	return e;
}

static struct ct_entry e_icmp_save(void)
{
	struct ct_entry e = e_icmp();

	e.timeout = 25;
	return e;
}

static struct ct_entry e_unknown_save(void)
{
	struct ct_entry e = e_unknown();

	e.timeout = 6;
	return e;
}

static struct ct_entry e_dnat_save(void)
{
	struct ct_entry e = e_dnat();

	e.timeout = 36;
	return e;
}

static struct ct_entry e_upd_save(void)
{
	struct ct_entry e = e_ev_udp(5);

	e.timeout = 29;
	return e;
}

static struct ct_entry e_secctx(void)
{
	struct ct_entry e = e_tcp();

	e.set |= CT_SECCTX | CT_SECMARK;
	e.secctx = "a\"b\\c\n<x>&";
	e.secmark = 9;
	return e;
}

static const struct fcase cases[] = {
	/* §1.8 -L captures */
	{ "tcp", e_tcp, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 49 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 [ASSURED] mark=7 zone=3 use=1" },
	{ "udp6", e_udp6, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "udp      17 29 src=2001:db8::1 dst=2001:db8::2 sport=1 dport=2 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=2 dport=1 mark=0 use=1" },
	{ "icmp", e_icmp, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "icmp     1 28 src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=1226 src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=1226 mark=0 use=1" },
	{ "unknown", e_unknown, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "unknown  2 9 src=0.0.0.0 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=0.0.0.0 mark=0 use=1" },
	{ "gre", e_gre, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "gre      47 39 src=3.3.3.3 dst=4.4.4.4 srckey=0x5 dstkey=0x6 [UNREPLIED] src=4.4.4.4 dst=3.3.3.3 srckey=0x6 dstkey=0x5 mark=0 use=1" },
	{ "dnat", e_dnat, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 39 SYN_SENT src=5.5.5.5 dst=6.6.6.6 sport=10 dport=20 [UNREPLIED] src=7.7.7.7 dst=5.5.5.5 sport=80 dport=10 mark=0 use=1" },
	{ "helper", e_helper, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=56366 dport=21 src=127.0.0.1 dst=127.0.0.1 sport=21 dport=56366 [ASSURED] mark=0 helper=ftp use=1" },
	{ "extended-ktimestamp-id", e_ext, F_DEFAULT,
	  CT_FMT_EXTENDED | CT_FMT_KTIMESTAMP | CT_FMT_ID, CT_FMT_EV_NONE,
	  TS_CAPTURE,
	  "ipv4     2 tcp      6 119 ESTABLISHED src=9.9.9.9 dst=8.8.8.8 sport=1000 dport=22 packets=0 bytes=0 src=8.8.8.8 dst=9.9.9.9 sport=22 dport=1000 packets=0 bytes=0 [ASSURED] mark=0 delta-time=0 [start=Thu Nov 26 21:44:57 2026] use=1 id=3227302573" },
	{ "extended-zone-orig", e_zone_orig, F_DEFAULT, CT_FMT_EXTENDED,
	  CT_FMT_EV_NONE, TS_CAPTURE,
	  "ipv4     2 tcp      6 29 SYN_RECV src=4.4.4.1 dst=4.4.4.2 sport=1 dport=2 zone-orig=2 packets=0 bytes=0 [UNREPLIED] src=4.4.4.2 dst=4.4.4.1 sport=2 dport=1 packets=0 bytes=0 mark=0 delta-time=0 use=1" },
	/* delta-time counts from now, in whole seconds of each */
	{ "delta-now", e_zone_orig, F_DEFAULT, 0, CT_FMT_EV_NONE,
	  TS_CAPTURE + 75,
	  "tcp      6 29 SYN_RECV src=4.4.4.1 dst=4.4.4.2 sport=1 dport=2 zone-orig=2 packets=0 bytes=0 [UNREPLIED] src=4.4.4.2 dst=4.4.4.1 sport=2 dport=1 packets=0 bytes=0 mark=0 delta-time=75 use=1" },
	{ "ktimestamp-stop", e_stop, F_DEFAULT, CT_FMT_KTIMESTAMP,
	  CT_FMT_EV_NONE, TS_CAPTURE + 999,
	  "tcp      6 119 ESTABLISHED src=9.9.9.9 dst=8.8.8.8 sport=1000 dport=22 packets=0 bytes=0 src=8.8.8.8 dst=9.9.9.9 sport=22 dport=1000 packets=0 bytes=0 [ASSURED] mark=0 delta-time=62 [start=Thu Nov 26 21:44:57 2026] [stop=Thu Nov 26 21:45:59 2026] use=1" },
	{ "offload", e_offload, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 49 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 [OFFLOAD] mark=7 zone=3 use=1" },
	{ "hw-offload", e_hw_offload, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 49 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 [HW_OFFLOAD] mark=7 zone=3 use=1" },
	{ "secctx", e_secctx, F_DEFAULT, 0, CT_FMT_EV_NONE, 0,
	  "tcp      6 49 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 [ASSURED] mark=7 secmark=9 secctx=a\"b\\c\n<x>& zone=3 use=1" },
	/* §1.13 events */
	{ "event-new", e_ev_udp0, F_DEFAULT, 0, CT_FMT_EV_NEW, 0,
	  "    [NEW] udp      17 30 src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 mark=0" },
	{ "event-update", e_ev_udp5, F_DEFAULT, 0, CT_FMT_EV_UPDATE, 0,
	  " [UPDATE] udp      17 30 src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 mark=5" },
	{ "event-destroy", e_ev_destroy, F_DEFAULT, 0, CT_FMT_EV_DESTROY, 0,
	  "[DESTROY] udp      17 29 src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 packets=0 bytes=0 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 packets=0 bytes=0 mark=5 delta-time=0" },
	/* §1.8 XML */
	{ "xml", e_xml_tcp, F_XML, 0, CT_FMT_EV_NONE, 0,
	  "<flow><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>10</sport><dport>20</dport></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>20</sport><dport>10</dport></layer4></meta><meta direction=\"independent\"><state>ESTABLISHED</state><timeout>46</timeout><mark>7</mark><zone>3</zone><use>1</use><id>1116693897</id><assured/></meta></flow>" },
	{ "xml-event-ktimestamp", e_ev_destroy, F_XML, CT_FMT_KTIMESTAMP,
	  CT_FMT_EV_DESTROY, 0,
	  "<flow type=\"destroy\"><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>11.0.0.1</src><dst>11.0.0.2</dst></layer3><layer4 protonum=\"17\" protoname=\"udp\"><sport>1</sport><dport>2</dport></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>11.0.0.2</src><dst>11.0.0.1</dst></layer3><layer4 protonum=\"17\" protoname=\"udp\"><sport>2</sport><dport>1</dport></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"independent\"><timeout>29</timeout><mark>5</mark><unreplied/><timestamp><start>1795729497000000005</start><stop>1795729497000000009</stop></timestamp><deltatime>0</deltatime></meta></flow>" },
	{ "xml-icmp-zone-helper", e_helper, F_XML, 0, CT_FMT_EV_NEW, 0,
	  "<flow type=\"new\"><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>127.0.0.1</src><dst>127.0.0.1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>56366</sport><dport>21</dport></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>127.0.0.1</src><dst>127.0.0.1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>21</sport><dport>56366</dport></layer4></meta><meta direction=\"independent\"><state>ESTABLISHED</state><timeout>431999</timeout><mark>0</mark><use>1</use><assured/></meta><helper>ftp</helper></flow>" },
	/* upstream names SCTP states from the TCP table in XML */
	{ "xml-sctp-quirk", e_sctp, F_XML, 0, CT_FMT_EV_NONE, 0,
	  "<flow><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>3.3.3.3</src><dst>4.4.4.4</dst></layer3><layer4 protonum=\"132\" protoname=\"sctp\"><sport>5</sport><dport>6</dport></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>4.4.4.4</src><dst>3.3.3.3</dst></layer3><layer4 protonum=\"132\" protoname=\"sctp\"><sport>6</sport><dport>5</dport></layer4></meta><meta direction=\"independent\"><state>FIN_WAIT</state><timeout>36</timeout><mark>0</mark><use>1</use><unreplied/></meta></flow>" },
	/* §1.8 save captures (upstream-exact with CT_FMT_SAVE_COMPAT) */
	{ "save-zone", e_zone_save, F_SAVE, CT_FMT_SAVE_COMPAT, CT_FMT_EV_NEW,
	  0,
	  "-A -t 45 -u SEEN_REPLY,ASSURED -w 3 -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p tcp --sport 10 --dport 20 --reply-port-src 20 --reply-port-dst 10 --state ESTABLISHED" },
	{ "save-zone-mark", e_zone_save, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 45 -u SEEN_REPLY,ASSURED -w 3 -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p tcp --sport 10 --dport 20 --reply-port-src 20 --reply-port-dst 10 --state ESTABLISHED -m 7" },
	{ "save-dnat", e_dnat_save, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 36 -u UNSET -s 5.5.5.5 -d 6.6.6.6 -g 7.7.7.7 -q 5.5.5.5 -p tcp --sport 10 --dport 20 --reply-port-src 80 --reply-port-dst 10 --state SYN_SENT" },
	{ "save-dnat6", e_dnat6, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 30 -u UNSET -s 2001:db8:1::9 -d 2001:db8:2::9 -g 2001:db8:3::1 -q 2001:db8:1::9 -p udp --sport 53 --dport 53 --reply-port-src 5353 --reply-port-dst 53" },
	{ "save-snat", e_snat, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 36 -u ASSURED -s 5.5.5.6 -d 6.6.6.6 -r 6.6.6.6 -n 8.8.8.8 -p tcp --sport 10 --dport 20 --reply-port-src 20 --reply-port-dst 10 --state TIME_WAIT" },
	{ "save-sctp", e_sctp, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 36 -u UNSET -s 3.3.3.3 -d 4.4.4.4 -r 4.4.4.4 -q 3.3.3.3 -p sctp --sport 5 --dport 6 --reply-port-src 6 --reply-port-dst 5 --state ESTABLISHED --orig-vtag 100 --reply-vtag 200" },
	{ "save-icmp", e_icmp_save, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 25 -u SEEN_REPLY -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1226" },
	{ "save-unknown", e_unknown_save, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 6 -u UNSET -s 0.0.0.0 -d 224.0.0.22 -r 224.0.0.22 -q 0.0.0.0 -p 2" },
	{ "save-orig-zone", e_zone_orig, F_SAVE, 0, CT_FMT_EV_NEW, 0,
	  "-A -t 29 -u UNSET --orig-zone 2 -s 4.4.4.1 -d 4.4.4.2 -r 4.4.4.2 -q 4.4.4.1 -p tcp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --state SYN_RECV" },
	{ "save-delete", e_del, F_SAVE, 0, CT_FMT_EV_DESTROY, 0,
	  "-D -t 96 -u UNSET -s 7.7.7.1 -d 7.7.7.3 -r 7.7.7.3 -q 7.7.7.1 -p tcp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --state ESTABLISHED" },
	{ "save-update-compat", e_upd_save, F_SAVE, CT_FMT_SAVE_COMPAT,
	  CT_FMT_EV_UPDATE, 0,
	  "-U -t 29 -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1" },
	{ "save-update", e_upd_save, F_SAVE, 0, CT_FMT_EV_UPDATE, 0,
	  "-U -t 29 -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 -m 5" },
	{ "save-udp6", e_udp6, F_SAVE, 0, CT_FMT_EV_NONE, 0,
	  "-t 29 -u UNSET -s 2001:db8::1 -d 2001:db8::2 -r 2001:db8::2 -q 2001:db8::1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1" },
	/* JSON */
	{ "json-tcp", e_tcp, F_JSON, 0, CT_FMT_EV_NONE, 0,
	  "{\"family\":\"ipv4\",\"l3num\":2,\"proto\":\"tcp\",\"protonum\":6,\"timeout\":49,\"state\":\"ESTABLISHED\",\"orig\":{\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"sport\":10,\"dport\":20},\"reply\":{\"src\":\"2.2.2.2\",\"dst\":\"1.1.1.1\",\"sport\":20,\"dport\":10},\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\"],\"mark\":7,\"zone\":3,\"use\":1}" },
	{ "json-icmp-event", e_icmp, F_JSON, 0, CT_FMT_EV_NEW, 0,
	  "{\"event\":\"new\",\"family\":\"ipv4\",\"l3num\":2,\"proto\":\"icmp\",\"protonum\":1,\"timeout\":28,\"orig\":{\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"type\":8,\"code\":0,\"id\":1226},\"reply\":{\"src\":\"2.2.2.2\",\"dst\":\"1.1.1.1\",\"type\":0,\"code\":0,\"id\":1226},\"status\":[\"SEEN_REPLY\",\"CONFIRMED\"],\"mark\":0,\"use\":1}" },
	{ "json-secctx-escape", e_secctx, F_JSON, 0, CT_FMT_EV_NONE, 0,
	  "{\"family\":\"ipv4\",\"l3num\":2,\"proto\":\"tcp\",\"protonum\":6,\"timeout\":49,\"state\":\"ESTABLISHED\",\"orig\":{\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"sport\":10,\"dport\":20},\"reply\":{\"src\":\"2.2.2.2\",\"dst\":\"1.1.1.1\",\"sport\":20,\"dport\":10},\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\"],\"mark\":7,\"secmark\":9,\"secctx\":\"a\\\"b\\\\c\\u000a<x>&\",\"zone\":3,\"use\":1}" },
	{ "json-gre", e_gre, F_JSON, 0, CT_FMT_EV_NONE, 0, NULL },
	{ "json-udp6", e_udp6, F_JSON, 0, CT_FMT_EV_NONE, 0, NULL },
	{ "json-destroy", e_ev_destroy, F_JSON, 0, CT_FMT_EV_DESTROY, 0, NULL },
	{ "json-sctp", e_sctp, F_JSON, 0, CT_FMT_EV_NONE, 0, NULL },
	{ "json-ext", e_stop, F_JSON, 0, CT_FMT_EV_NONE, 0, NULL },
	{ "json-unknown", e_unknown, F_JSON, 0, CT_FMT_EV_NONE, 0, NULL },
	{ "json-helper", e_helper, F_JSON, 0, CT_FMT_EV_UPDATE, 0, NULL },
};

/* ---- a strict JSON validator --------------------------------------------- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", p[i]) ||
				    !p[i])
					return NULL;
			p += 4;
		} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *js_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	return p;	/* we print integers only */
}

static const char *js_list(const char *p, int depth, char close, bool obj)
{
	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = js_string(js_ws(p));
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = js_value(p, depth + 1);
		if (!p)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{':
		return js_list(p, depth, '}', true);
	case '[':
		return js_list(p, depth, ']', false);
	case '"':
		return js_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return js_number(p);
	}
}

static bool json_valid(const char *s)
{
	const char *end = js_value(s, 0);

	return end && *s == '{' && !*js_ws(end) && !strchr(s, '\n');
}

/* ---- running a case ------------------------------------------------------ */

static int run_fmt(const struct fcase *c, char *buf, size_t len,
		   const struct ct_labelmap *map)
{
	struct ct_entry e = c->make();
	struct ct_fmt_opts o = {
		.flags = c->flags, .event = c->ev, .now = c->now,
		.labels = map,
	};

	switch (c->fmt) {
	case F_DEFAULT:
		return ct_format_default(buf, len, &e, &o);
	case F_XML:
		return ct_format_xml(buf, len, &e, &o);
	case F_SAVE:
		return ct_format_save(buf, len, &e, &o);
	default:
		return ct_format_json(buf, len, &e, &o);
	}
}

static void set_utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

START_TEST(test_case_exact)
{
	const struct fcase *c = &cases[_i];
	char buf[4096];
	int n;

	set_utc();
	n = run_fmt(c, buf, sizeof(buf), NULL);
	ck_assert_msg(n > 0, "%s: %d", c->name, n);
	ck_assert_int_eq((size_t)n, strlen(buf));
	if (c->want)
		ck_assert_msg(!strcmp(buf, c->want), "%s:\n got %s\nwant %s",
			      c->name, buf, c->want);
	if (c->fmt == F_JSON)
		ck_assert_msg(json_valid(buf), "%s: invalid JSON %s", c->name,
			      buf);
}
END_TEST

/* Every size from 0 to the full length: never a byte past len, -ENOSPC and
 * a terminated prefix when short, the exact text when it fits. */
START_TEST(test_case_sizes)
{
	const struct fcase *c = &cases[_i];
	char full[4096];
	int n;

	set_utc();
	n = run_fmt(c, full, sizeof(full), NULL);
	ck_assert_int_gt(n, 0);
	for (size_t len = 0; len <= (size_t)n + 1; len++) {
		char *buf = malloc(len + 16);
		int r;

		ck_assert_ptr_nonnull(buf);
		memset(buf, 0x5a, len + 16);
		r = run_fmt(c, buf, len, NULL);
		for (size_t i = len; i < len + 16; i++)
			ck_assert_msg((unsigned char)buf[i] == 0x5a,
				      "%s: wrote past %zu", c->name, len);
		if (len > (size_t)n) {
			ck_assert_int_eq(r, n);
			ck_assert_str_eq(buf, full);
		} else {
			ck_assert_int_eq(r, -ENOSPC);
			if (len) {
				ck_assert_uint_eq(strlen(buf), len - 1);
				ck_assert(!memcmp(buf, full, len - 1));
			}
		}
		free(buf);
	}
}
END_TEST

/* ---- labels in the formats ----------------------------------------------- */

static const char labelconf[] =
	"# test map\n0 eth0-in\n1 vpn\n5 two words\n";

static struct ct_labelmap *test_map(void)
{
	struct ct_labelmap *m = NULL;

	ck_assert_int_eq(ct_labelmap_parse(&m, labelconf, strlen(labelconf),
					   CT_LABELMAP_STRICT, NULL), 0);
	return m;
}

static struct ct_entry e_labels(void)
{
	struct ct_entry e = e_zone_orig();

	e.set |= CT_LABELS;
	e.labels_len = 16;
	ct_labels_set(e.labels, 0);
	ct_labels_set(e.labels, 1);
	ct_labels_set(e.labels, 100);	/* unnamed */
	return e;
}

START_TEST(test_labels_default)
{
	struct ct_labelmap *m = test_map();
	struct ct_entry e = e_labels();
	struct ct_fmt_opts o = { .now = TS_CAPTURE + 1, .labels = m };
	char buf[1024];

	ck_assert_int_gt(ct_format_default(buf, sizeof(buf), &e, &o), 0);
	ck_assert_str_eq(buf, "tcp      6 29 SYN_RECV src=4.4.4.1 dst=4.4.4.2 sport=1 dport=2 zone-orig=2 packets=0 bytes=0 [UNREPLIED] src=4.4.4.2 dst=4.4.4.1 sport=2 dport=1 packets=0 bytes=0 mark=0 delta-time=1 use=1 labels=eth0-in,vpn");

	/* without a map nothing; with only unnamed bits upstream's "labels" */
	o.labels = NULL;
	ck_assert_int_gt(ct_format_default(buf, sizeof(buf), &e, &o), 0);
	ck_assert_ptr_null(strstr(buf, "labels"));
	memset(e.labels, 0, sizeof(e.labels));
	ct_labels_set(e.labels, 100);
	o.labels = m;
	ck_assert_int_gt(ct_format_default(buf, sizeof(buf), &e, &o), 0);
	ck_assert_str_eq(buf + strlen(buf) - 12, "use=1 labels");

	ct_labelmap_free(m);
}
END_TEST

START_TEST(test_labels_xml_save_json)
{
	struct ct_labelmap *m = test_map();
	struct ct_entry e = e_labels();
	struct ct_fmt_opts o = { .now = TS_CAPTURE, .labels = m,
				 .event = CT_FMT_EV_NEW };
	char buf[2048];

	ck_assert_int_gt(ct_format_xml(buf, sizeof(buf), &e, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, "<meta direction=\"independent\"><state>SYN_RECV</state><timeout>29</timeout><mark>0</mark><labels><label>eth0-in</label><label>vpn</label></labels><use>1</use><unreplied/><deltatime>0</deltatime></meta>"));

	ck_assert_int_gt(ct_format_save(buf, sizeof(buf), &e, &o), 0);
	ck_assert_str_eq(buf, "-A -t 29 -u UNSET --orig-zone 2 -s 4.4.4.1 -d 4.4.4.2 -r 4.4.4.2 -q 4.4.4.1 -p tcp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --state SYN_RECV --label-add eth0-in,vpn");
	ct_labels_set(e.labels, 5);
	e.mark = 3;
	ck_assert_int_gt(ct_format_save(buf, sizeof(buf), &e, &o), 0);
	ck_assert_str_eq(strstr(buf, "SYN_RECV"), "SYN_RECV -m 3 --label-add \"eth0-in,vpn,two words\"");
	o.event = CT_FMT_EV_DESTROY;
	ck_assert_int_gt(ct_format_save(buf, sizeof(buf), &e, &o), 0);
	ck_assert_str_eq(strstr(buf, "SYN_RECV"), "SYN_RECV");

	ck_assert_int_gt(ct_format_json(buf, sizeof(buf), &e, &o), 0);
	ck_assert(json_valid(buf));
	ck_assert_ptr_nonnull(strstr(buf, ",\"labels\":[\"eth0-in\",\"vpn\",\"two words\",100]}"));
	o.labels = NULL;
	ck_assert_int_gt(ct_format_json(buf, sizeof(buf), &e, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, ",\"labels\":[0,1,5,100]}"));
	ct_labelmap_free(m);
}
END_TEST

/* ---- the rest ------------------------------------------------------------ */

START_TEST(test_xml_frame)
{
	ck_assert_str_eq(ct_format_xml_header(CT_XML_CONNTRACK),
			 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<conntrack>");
	ck_assert_str_eq(ct_format_xml_footer(CT_XML_CONNTRACK),
			 "</conntrack>");
	ck_assert_str_eq(ct_format_xml_header(CT_XML_EXPECT),
			 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<expect>");
	ck_assert_str_eq(ct_format_xml_footer(CT_XML_EXPECT), "</expect>");
}
END_TEST

START_TEST(test_xml_when)
{
	struct ct_entry e = e_gre();
	struct ct_fmt_opts o = { .flags = CT_FMT_XML_WHEN, .now = TS_CAPTURE };
	char buf[2048];

	set_utc();
	ck_assert_int_gt(ct_format_xml(buf, sizeof(buf), &e, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, "<layer4 protonum=\"47\" protoname=\"gre\"><srckey>0x5</srckey><dstkey>0x6</dstkey></layer4>"));
	ck_assert_ptr_nonnull(strstr(buf, "</meta><when><hour>21</hour><min>44</min><sec>57</sec><wday>5</wday><day>26</day><month>11</month><year>2026</year></when></flow>"));
}
END_TEST

START_TEST(test_ts_prefix)
{
	char buf[64];

	ck_assert_int_eq(ct_format_ts_prefix(buf, sizeof(buf), CT_TS_EVENT,
					     1795729502, 274195), 20);
	ck_assert_str_eq(buf, "[1795729502.274195]\t");
	ck_assert_int_gt(ct_format_ts_prefix(buf, sizeof(buf), CT_TS_EVENT,
					     1795729502, 74), 0);
	ck_assert_str_eq(buf, "[1795729502.000074]\t");
	ck_assert_int_gt(ct_format_ts_prefix(buf, sizeof(buf), CT_TS_EXPECT,
					     1795729502, 74), 0);
	ck_assert_str_eq(buf, "[1795729502.74    ]\t");
	ck_assert_int_gt(ct_format_ts_prefix(buf, sizeof(buf), CT_TS_EXPECT,
					     12, 3), 0);
	ck_assert_str_eq(buf, "[12      .3     ]\t");
	ck_assert_int_eq(ct_format_ts_prefix(buf, 5, CT_TS_EVENT, 1, 1),
			 -ENOSPC);
	ck_assert_str_eq(buf, "[000");
}
END_TEST

START_TEST(test_stats)
{
	struct ct_stats_cpu st = { .cpu = 0 };
	static const int present[] = { CTA_STATS_FOUND, CTA_STATS_INVALID,
		CTA_STATS_INSERT, CTA_STATS_INSERT_FAILED, CTA_STATS_DROP,
		CTA_STATS_EARLY_DROP, CTA_STATS_ERROR,
		CTA_STATS_SEARCH_RESTART, CTA_STATS_CLASH_RESOLVE,
		CTA_STATS_CHAIN_TOOLONG };
	char buf[512];

	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		st.present |= 1U << present[i];
	st.val[CTA_STATS_INSERT] = 11;
	ck_assert_int_gt(ct_format_stats(buf, sizeof(buf), &st,
					 CT_STATS_CONNTRACK), 0);
	ck_assert_str_eq(buf, "cpu=0   \tfound=0 invalid=0 insert=11 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 ");

	/* newer kernels' counters as unknownN, beyond that nothing */
	st.cpu = 12345;
	st.present = 1U << 16 | 1U << 19 | 1U << 20 | 1U << 1;
	st.val[16] = 7;
	st.val[1] = 4294967295U;
	ck_assert_int_gt(ct_format_stats(buf, sizeof(buf), &st,
					 CT_STATS_CONNTRACK), 0);
	ck_assert_str_eq(buf, "cpu=12345\tsearched=4294967295 unknown1=7 unknown4=0 ");

	memset(&st, 0, sizeof(st));
	st.cpu = 3;
	st.present = 1U << 1 | 1U << 2 | 1U << 3 | 1U << 4;
	ck_assert_int_gt(ct_format_stats(buf, sizeof(buf), &st,
					 CT_STATS_EXPECT), 0);
	ck_assert_str_eq(buf, "cpu=3   \texpect_new=0 expect_create=0 expect_delete=0 ");
}
END_TEST

START_TEST(test_errors)
{
	struct ct_entry e = e_tcp();
	struct ct_fmt_opts o = { 0 };
	char buf[512];

	ck_assert_int_eq(ct_format_default(NULL, 10, &e, &o), -EINVAL);
	ck_assert_int_eq(ct_format_default(buf, sizeof(buf), NULL, &o),
			 -EINVAL);
	ck_assert_int_eq(ct_format_xml(buf, sizeof(buf), &e, NULL), -EINVAL);
	ck_assert_int_eq(ct_format_stats(buf, sizeof(buf), NULL,
					 CT_STATS_CONNTRACK), -EINVAL);
	e.orig.l3 = e.reply.l3 = 7;
	ck_assert_int_eq(ct_format_save(buf, sizeof(buf), &e, &o),
			 -EAFNOSUPPORT);
	/* states beyond the table print as state 0, like upstream */
	e = e_tcp();
	e.tcp.state = 200;
	ck_assert_int_gt(ct_format_default(buf, sizeof(buf), &e, &o), 0);
	ck_assert(!strncmp(buf, "tcp      6 49 NONE src", 22));
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");
	int n = (int)(sizeof(cases) / sizeof(cases[0]));

	tcase_add_loop_test(tc, test_case_exact, 0, n);
	tcase_add_loop_test(tc, test_case_sizes, 0, n);
	tcase_add_test(tc, test_labels_default);
	tcase_add_test(tc, test_labels_xml_save_json);
	tcase_add_test(tc, test_xml_frame);
	tcase_add_test(tc, test_xml_when);
	tcase_add_test(tc, test_ts_prefix);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
