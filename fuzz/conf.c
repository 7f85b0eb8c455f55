// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the conntrackd.conf parser sync_conf_parse_ifindex()
 * (sync/config*.c). The whole input is the file text; interfaces are
 * looked up by a fake that knows lo and eth0. Properties, each an abort()
 * when violated:
 *  - the result is 0 or -EINVAL (-ENOMEM never happens here); a failure
 *    has a message and a line inside the text (or one past its last
 *    newline, for the end of input); warnings are non-empty single lines;
 *  - a success leaves a configuration that keeps every rule: at most four
 *    links of one kind, exactly one of them the default, Sync and Stats
 *    not both, a mode exactly with Sync, upstream's defaults instead of
 *    zeros, names and paths NUL-terminated and of the lexer's alphabet,
 *    filter networks unique and masked to their prefix, TCP states 1-9,
 *    helpers from upstream's list with policies of their own name, keys a
 *    mode cannot hold left at their defaults;
 *  - printed back as conntrackd.conf text (written here), it parses to
 *    the same structure, byte for byte;
 *  - parsing is deterministic.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>

#include "sync/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define TEXT_MAX (256 * 1024)

static unsigned int fake_ifindex(const char *name)
{
	return !strcmp(name, "lo") ? 1 : !strcmp(name, "eth0") ? 2 : 0;
}

static void on_warn(void *arg, const char *msg)
{
	unsigned int *n = arg;

	CHECK(msg[0] && !strchr(msg, '\n'));
	(*n)++;
}

/* ---- printing a configuration back --------------------------------- */

struct out {
	char *p;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	CHECK(n >= 0 && (size_t)n < o->cap - o->len);
	o->len += (size_t)n;
}

/* IPv6 in full x:x:x:x:x:x:x:x (inet_ntop may write dotted quads, which
 * are no single token); IPv4 dotted. */
static void put_addr(struct out *o, int family, const union ct_addr *a)
{
	const uint8_t *b = a->v6;

	if (family == AF_INET) {
		put(o, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		return;
	}
	for (int i = 0; i < 16; i += 2)
		put(o, "%s%x", i ? ":" : "", b[i] << 8 | b[i + 1]);
}

static const struct {
	int facility;
	const char *name;
} facilities[] = {
	{ LOG_DAEMON, "daemon" }, { LOG_LOCAL0, "local0" },
	{ LOG_LOCAL1, "local1" }, { LOG_LOCAL2, "local2" },
	{ LOG_LOCAL3, "local3" }, { LOG_LOCAL4, "local4" },
	{ LOG_LOCAL5, "local5" }, { LOG_LOCAL6, "local6" },
	{ LOG_LOCAL7, "local7" },
};

static const char *facility(int f)
{
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (facilities[i].facility == f)
			return facilities[i].name;
	abort();
}

/* Protocol names this harness can print; other numbers are not printed
 * and not compared. */
static const struct {
	uint8_t num;
	const char *name;
} protos[] = {
	{ 0, "ip" }, { 1, "icmp" }, { 2, "igmp" }, { 6, "tcp" },
	{ 17, "udp" }, { 33, "dccp" }, { 41, "ipv6" }, { 47, "gre" },
	{ 50, "esp" }, { 51, "ah" }, { 58, "ipv6-icmp" }, { 112, "vrrp" },
	{ 132, "sctp" }, { 136, "udplite" },
};

static void put_filter(struct out *o, const struct sync_conf_filter *f)
{
	static const char *const states[] = { "", "SYN_SENT", "SYN_RECV",
		"ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK",
		"TIME_WAIT", "CLOSE", "LISTEN" };

	put(o, "Filter From %s {\n", f->kernelspace ? "Kernelspace" :
	    "Userspace");
	if (f->set & SYNC_FILTER_PROTO) {
		put(o, "Protocol %s {\n", f->proto_ignore ? "Ignore" : "Accept");
		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
			if (f->proto[protos[i].num / 8] >> (protos[i].num % 8) & 1)
				put(o, "%s\n", protos[i].name);
		put(o, "}\n");
	}
	if (f->set & SYNC_FILTER_ADDR) {
		put(o, "Address %s {\n", f->addr_ignore ? "Ignore" : "Accept");
		for (size_t i = 0; i < f->n_nets; i++) {
			const struct sync_conf_net *n = &f->nets[i];

			put(o, "IPv%c_address ", n->family == AF_INET ? '4' : '6');
			put_addr(o, n->family, &n->addr);
			put(o, "/%u\n", n->plen);
		}
		put(o, "}\n");
	}
	if (f->set & SYNC_FILTER_STATE) {
		put(o, "State %s {\n", f->state_ignore ? "Ignore" : "Accept");
		for (int s = 1; s <= 9; s++)
			if (f->states >> s & 1)
				put(o, "%s for TCP\n", states[s]);
		put(o, "}\n");
	}
	put(o, "}\n");
}

static void put_general(struct out *o, const struct sync_conf *c)
{
	put(o, "General {\nHashSize %u\nHashLimit %u\n", c->hash_size,
	    c->hash_limit);
	if (c->logfile[0])
		put(o, "LogFile %s\n", c->logfile);
	put(o, "Syslog %s\n", c->syslog < 0 ? "off" : facility(c->syslog));
	put(o, "LockFile %s\n", c->lockfile);
	if (c->unix_path[0])
		put(o, "UNIX {\nPath %s\n}\n", c->unix_path);
	put(o, "NetlinkBufferSize %u\nNetlinkBufferSizeMaxGrowth %u\n",
	    c->nl_bufsize, c->nl_bufsize_max);
	if (c->nl_overrun_resync)
		put(o, "NetlinkOverrunResync %u\n", c->nl_overrun_resync);
	else
		put(o, "NetlinkOverrunResync off\n");
	put(o, "NetlinkEventsReliable %s\nSystemd %s\n",
	    c->nl_reliable ? "on" : "off", c->systemd ? "on" : "off");
	if (c->poll_secs)
		put(o, "PollSecs %u\n", c->poll_secs);
	put(o, "EventIterationLimit %u\n", c->event_iter_limit);
	if (c->sched.set) {
		put(o, "Scheduler {\n");
		if (c->sched.type)
			put(o, "Type %s\n", c->sched.type == SCHED_RR ? "RR" :
			    "FIFO");
		put(o, "Priority %d\n}\n", c->sched.prio);
	}
	put_filter(o, &c->filter);
	put(o, "}\n");
}

static int looks_v4(const union ct_addr *a)
{
	static const uint8_t zero[12];

	return !memcmp(a->v6 + 4, zero, sizeof(zero));
}

/* @key's address in @family's form (IPv4 only when the rest is 0). */
static void put_link_addr(struct out *o, const char *key, int family,
			  const union ct_addr *a)
{
	if (family == AF_INET && !looks_v4(a))
		family = AF_INET6;
	put(o, "IPv%c_%s ", family == AF_INET ? '4' : '6', key);
	put_addr(o, family, a);
	put(o, "\n");
}

/*
 * A link's addresses: the family is the last valid address's, and an
 * IPv4 address writes zeros over the rest, so the one written last is
 * one of the family's form (for IPv4 one that looks IPv4), the other in
 * the form that keeps its bytes. Multicast keeps its first family.
 */
static void put_link_addrs(struct out *o, const struct sync_conf_chan *ch)
{
	int dest_last = ch->family != AF_INET || looks_v4(&ch->dest);

	if (ch->type == SYNC_CHAN_MCAST) {
		put_link_addr(o, "address", ch->family, &ch->addr);
		return;
	}
	if (dest_last) {
		put_link_addr(o, "address", AF_INET, &ch->addr);
		put_link_addr(o, "Destination_Address", ch->family, &ch->dest);
	} else {
		put_link_addr(o, "Destination_Address", AF_INET, &ch->dest);
		put_link_addr(o, "address", ch->family, &ch->addr);
	}
}

static void put_link(struct out *o, const struct sync_conf_chan *ch)
{
	static const char *const kind[] = { "", "Multicast", "UDP", "TCP" };

	put(o, "%s%s {\n", kind[ch->type], ch->is_default ? " Default" : "");
	if (ch->family)
		put_link_addrs(o, ch);
	if (ch->type == SYNC_CHAN_MCAST && ch->ifaddr.v4) {
		put(o, "IPv4_interface ");
		put_addr(o, AF_INET, &ch->ifaddr);
		put(o, "\n");
	}
	if (ch->iface[0])
		put(o, "Interface %s\n", ch->iface);
	put(o, "%s %u\nSndSocketBuffer %u\nRcvSocketBuffer %u\nChecksum %s\n",
	    ch->type == SYNC_CHAN_MCAST ? "Group" : "Port", ch->port,
	    ch->sndbuf, ch->rcvbuf, ch->checksum ? "on" : "off");
	if (ch->type == SYNC_CHAN_TCP)
		put(o, "ErrorQueueLength %u\n", ch->errq_len);
	put(o, "}\n");
}

/* The Mode blocks that give back mode and the keys they hold. */
static void put_modes(struct out *o, const struct sync_conf *c)
{
	static const char *const mode[] = { "", "FTFW", "ALARM", "NOTRACK" };
	int m = c->sync.mode;

	put(o, "Mode %s {\n", mode[m]);
	if (m == SYNC_MODE_FTFW)
		put(o, "ResendQueueSize %u\nACKWindowSize %u\n",
		    c->sync.resend_queue_size, c->sync.ack_window);
	if (m != SYNC_MODE_ALARM)
		put(o, "DisableExternalCache %s\nStartupResync %s\n",
		    c->sync.disable_external ? "on" : "off",
		    c->sync.startup_resync ? "on" : "off");
	if (m == SYNC_MODE_NOTRACK)
		put(o, "DisableInternalCache %s\n",
		    c->sync.disable_internal ? "on" : "off");
	put(o, "}\n");
	/* what only a NOTRACK block holds, where NOTRACK does not run */
	if (m != SYNC_MODE_NOTRACK)
		put(o, "Mode NOTRACK {\nDisableInternalCache %s\n}\n",
		    c->sync.disable_internal ? "on" : "off");
	if (m == SYNC_MODE_ALARM)
		put(o, "Mode NOTRACK {\nDisableExternalCache %s\n"
		    "StartupResync %s\n}\n", c->sync.disable_external ? "on" :
		    "off", c->sync.startup_resync ? "on" : "off");
}

static void put_sync(struct out *o, const struct sync_conf *c)
{
	put(o, "Sync {\nRefreshTime %u\nCacheTimeout %u\nCommitTimeout %u\n"
	    "PurgeTimeout %u\n", c->sync.refresh_time,
	    c->sync.cache_timeout, c->sync.commit_timeout,
	    c->sync.purge_timeout);
	/* no Mode block at all: FT-FW by default, what the blocks hold at
	 * the defaults (check_sync) */
	if (!c->sync.mode_default)
		put_modes(o, c);
	for (unsigned int i = 0; i < c->sync.n_chan; i++)
		put_link(o, &c->sync.chan[i]);
	put(o, "Options {\nTCPWindowTracking %s\n",
	    c->sync.tcp_window_tracking ? "on" : "off");
	if (c->sync.n_expect_helpers) {
		put(o, "ExpectationSync {\n");
		for (unsigned int i = 0; i < c->sync.n_expect_helpers; i++)
			put(o, "%s\n", c->sync.expect_helpers[i]);
		put(o, "}\n");
	}
	put(o, "ExpectationSync %s\n}\n}\n", c->sync.expect_sync ? "on" : "off");
}

static void put_helper(struct out *o, const struct sync_conf *c)
{
	put(o, "Helper {\nSetup %s\n", c->helper.setup ? "on" : "off");
	for (unsigned int i = 0; i < c->helper.n_type; i++) {
		const struct sync_conf_helper *h = &c->helper.type[i];

		put(o, "Type %s %s %s {\nQueueNum %u\nQueueLen %u\n", h->name,
		    h->l3 == AF_INET ? "inet" : "inet6",
		    h->l4 == 6 ? "tcp" : "udp", h->queue_num, h->queue_len);
		for (unsigned int j = 0; j < h->n_policy; j++)
			put(o, "Policy %s {\nExpectMax %u\nExpectTimeout %u\n}\n",
			    h->policy[j].name, h->policy[j].expect_max,
			    h->policy[j].expect_timeout);
		put(o, "}\n");
	}
	put(o, "}\n");
}

static void put_conf(struct out *o, const struct sync_conf *c)
{
	put_general(o, c);
	if (c->run & SYNC_RUN_SYNC)
		put_sync(o, c);
	if (c->run & SYNC_RUN_STATS) {
		put(o, "Stats {\n");
		if (c->stats.logfile[0])
			put(o, "LogFile %s\n", c->stats.logfile);
		put(o, "Syslog %s\n}\n", c->stats.syslog < 0 ? "off" :
		    facility(c->stats.syslog));
	}
	if (c->run & SYNC_RUN_HELPER)
		put_helper(o, c);
}

/* ---- the rules a parsed configuration keeps ------------------------- */

static int name_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (!n || n == cap || !((s[0] >= 'a' && s[0] <= 'z') ||
				(s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789.-_") == n;
}

static int path_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap || (n && s[0] != '/'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == ' ' ||
		    s[i] == '"')
			return 0;
	return 1;
}

static int facility_ok(int f)
{
	if (f == -1)
		return 1;
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (facilities[i].facility == f)
			return 1;
	return 0;
}

static void check_nets(const struct sync_conf_filter *f)
{
	for (size_t i = 0; i < f->n_nets; i++) {
		const struct sync_conf_net *n = &f->nets[i];
		unsigned int bits = n->family == AF_INET ? 32 : 128;

		CHECK(n->family == AF_INET || n->family == AF_INET6);
		CHECK(n->plen <= bits);
		for (unsigned int b = n->plen; b < 128; b++)
			CHECK(!(n->addr.v6[b / 8] & (0x80u >> (b % 8))));
		for (size_t j = 0; j < i; j++)
			CHECK(n->family != f->nets[j].family ||
			      n->plen != f->nets[j].plen ||
			      memcmp(&n->addr, &f->nets[j].addr, 16));
	}
}

static void check_links(const struct sync_conf *c)
{
	unsigned int defaults = 0;

	CHECK(c->sync.n_chan <= SYNC_CONF_CHAN_MAX);
	for (unsigned int i = 0; i < c->sync.n_chan; i++) {
		const struct sync_conf_chan *ch = &c->sync.chan[i];

		CHECK(ch->type >= SYNC_CHAN_MCAST && ch->type <= SYNC_CHAN_TCP);
		CHECK(ch->type == c->sync.chan[0].type);
		CHECK(!ch->family || ch->family == AF_INET ||
		      ch->family == AF_INET6);
		CHECK(!ch->iface[0] || name_ok(ch->iface, sizeof(ch->iface)));
		CHECK(ch->checksum <= 1 && ch->is_default <= 1);
		CHECK(ch->errq_len && ch->errq_len <= 2147483647u);
		CHECK(ch->sndbuf <= 2147483647u && ch->rcvbuf <= 2147483647u);
		CHECK(ch->errq_len == c->sync.chan[0].errq_len);
		if (!ch->family)
			CHECK(!ch->addr.v4 && looks_v4(&ch->addr) &&
			      !ch->dest.v4 && looks_v4(&ch->dest));
		if (ch->type == SYNC_CHAN_MCAST)
			CHECK(!ch->dest.v4 && looks_v4(&ch->dest) &&
			      (ch->family != AF_INET || looks_v4(&ch->addr)));
		else
			CHECK(!ch->ifaddr.v4);
		defaults += ch->is_default;
	}
	CHECK(defaults == (c->sync.n_chan ? 1 : 0));
}

static void check_sync(const struct sync_conf *c)
{
	const unsigned int m = c->sync.mode;

	if (!(c->run & SYNC_RUN_SYNC)) {
		struct sync_conf d;

		sync_conf_init(&d);
		CHECK(!memcmp(&c->sync, &d.sync, sizeof(d.sync)));
		return;
	}
	CHECK(m >= SYNC_MODE_FTFW && m <= SYNC_MODE_NOTRACK);
	/* no Mode block: FT-FW, and every key only a block holds at its
	 * default */
	if (c->sync.mode_default)
		CHECK(m == SYNC_MODE_FTFW &&
		      c->sync.resend_queue_size == 131072 &&
		      c->sync.ack_window == 300 && !c->sync.disable_external &&
		      !c->sync.disable_internal && !c->sync.startup_resync);
	CHECK(c->sync.purge_timeout && c->sync.refresh_time &&
	      c->sync.cache_timeout);
	/* the FTFW keys are only in FTFW blocks, which make the mode FTFW */
	if (m != SYNC_MODE_FTFW)
		CHECK(c->sync.resend_queue_size == 131072 &&
		      c->sync.ack_window == 300);
	CHECK(c->sync.resend_queue_size && c->sync.ack_window);
	CHECK(!(c->sync.commit_timeout && c->sync.disable_external));
	CHECK(c->sync.n_expect_helpers <= SYNC_CONF_EXP_HELPERS);
	CHECK(c->sync.expect_sync <= 2);
	CHECK((c->sync.expect_sync == 2) ==
	      (c->sync.expect_sync && c->sync.n_expect_helpers));
	for (unsigned int i = 0; i < c->sync.n_expect_helpers; i++) {
		CHECK(name_ok(c->sync.expect_helpers[i], SYNC_CONF_HELPER_NAME));
		for (unsigned int j = 0; j < i; j++)
			CHECK(strcasecmp(c->sync.expect_helpers[i],
					 c->sync.expect_helpers[j]));
	}
	check_links(c);
}

static const char *const helper_names[] = {
	"amanda", "dhcpv6", "ftp", "mdns", "rpc", "sane", "slp", "ssdp",
	"tftp", "tns",
};

static void check_helpers(const struct sync_conf *c)
{
	CHECK(c->helper.n_type <= SYNC_CONF_HELPERS && c->helper.setup <= 1);
	if (!(c->run & SYNC_RUN_HELPER))
		CHECK(!c->helper.n_type && !c->helper.setup);
	for (unsigned int i = 0; i < c->helper.n_type; i++) {
		const struct sync_conf_helper *h = &c->helper.type[i];
		size_t k = 0;

		while (k < 10 && strcmp(helper_names[k], h->name))
			k++;
		CHECK(k < 10);
		CHECK(h->l3 == AF_INET || h->l3 == AF_INET6);
		CHECK(h->l4 == 6 || h->l4 == 17);
		CHECK(h->queue_num <= 65535 && h->n_policy <= 1);
		for (unsigned int j = 0; j < h->n_policy; j++)
			CHECK(!strcmp(h->policy[j].name, h->name));
	}
}

static void check_conf(const struct sync_conf *c)
{
	CHECK(!(c->run & ~7u));
	CHECK((c->run & 3) != 3);
	CHECK(c->hash_size && c->hash_limit && c->event_iter_limit);
	CHECK(c->hash_size <= 2147483647u && c->poll_secs <= 2147483647u);
	CHECK(path_ok(c->logfile, sizeof(c->logfile)));
	CHECK(path_ok(c->lockfile, sizeof(c->lockfile)) && c->lockfile[0]);
	CHECK(path_ok(c->unix_path, sizeof(c->unix_path)));
	CHECK(path_ok(c->stats.logfile, sizeof(c->stats.logfile)));
	CHECK(facility_ok(c->syslog) && facility_ok(c->stats.syslog));
	CHECK(c->nl_reliable <= 1 && c->systemd <= 1);
	CHECK(c->sched.set || (!c->sched.type && !c->sched.prio));
	CHECK(c->sched.type == 0 || c->sched.type == SCHED_RR ||
	      c->sched.type == SCHED_FIFO);
	CHECK(c->sched.prio >= 0 && c->sched.prio <= 99);
	CHECK(!(c->filter.set & ~7u) && c->filter.kernelspace <= 1);
	CHECK(!(c->filter.states & ~0x3feu));
	if (!(c->filter.set & SYNC_FILTER_ADDR))
		CHECK(!c->filter.n_nets);
	check_nets(&c->filter);
	check_sync(c);
	check_helpers(c);
	if (!(c->run & SYNC_RUN_STATS))
		CHECK(!c->stats.logfile[0] && c->stats.syslog == -1);
}

/* Both the same, bar the protocols this harness cannot print. */
static void same_conf(struct sync_conf *a, struct sync_conf *b)
{
	uint8_t known[32] = { 0 };
	struct sync_conf_net *nets = b->filter.nets;
	int same;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		known[protos[i].num / 8] |= (uint8_t)(1u << (protos[i].num % 8));
	for (size_t i = 0; i < sizeof(known); i++) {
		a->filter.proto[i] &= known[i];
		b->filter.proto[i] &= known[i];
	}
	CHECK(a->filter.n_nets == b->filter.n_nets);
	for (size_t i = 0; i < a->filter.n_nets; i++)
		CHECK(a->filter.nets[i].family == nets[i].family &&
		      a->filter.nets[i].plen == nets[i].plen &&
		      !memcmp(&a->filter.nets[i].addr, &nets[i].addr, 16));
	b->filter.nets = a->filter.nets;
	same = !memcmp(a, b, sizeof(*a));
	b->filter.nets = nets;
	CHECK(same);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sync_conf c, again, back;
	struct sync_conf_err err, err2;
	unsigned int warns = 0, warns2 = 0, lines = 1;
	struct out o = { .cap = 16384 + 4 * size };
	int r, r2;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	sync_conf_init(&c);
	r = sync_conf_parse_ifindex(&c, (const char *)data, size, &err, on_warn,
				    &warns, fake_ifindex);
	sync_conf_init(&again);
	r2 = sync_conf_parse_ifindex(&again, (const char *)data, size, &err2,
				     on_warn, &warns2, fake_ifindex);
	CHECK(r == 0 || r == -EINVAL);
	CHECK(r == r2 && warns == warns2);
	if (r < 0) {
		CHECK(err.msg[0] && err.line >= 1 && err.line <= lines);
		CHECK(!strcmp(err.msg, err2.msg) && err.line == err2.line);
		goto out;
	}
	check_conf(&c);
	same_conf(&c, &again);

	o.p = malloc(o.cap);
	CHECK(o.p != NULL);
	put_conf(&o, &c);
	sync_conf_init(&back);
	r = sync_conf_parse_ifindex(&back, o.p, o.len, &err, NULL, NULL,
				    fake_ifindex);
	if (r) {
		fprintf(stderr, "%.*s\n%s\n", (int)o.len, o.p, err.msg);
		abort();
	}
	same_conf(&c, &back);
	sync_conf_free(&back);
	free(o.p);
out:
	sync_conf_free(&c);
	sync_conf_free(&again);
	return 0;
}
