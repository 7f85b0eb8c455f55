// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dedicated links in upstream's statistics, byte for byte (spec 2.5;
 * upstream's {mcast,udp,tcp}_snprintf_stats and _stats2): the active
 * channel's block for `-s` and `-s network`, one block per channel with
 * its device status and role for `-s link`; ours: the authentication
 * block of `-s network' and its JSON object. All write like snprintf:
 * cut to the buffer, returning the length the whole text needs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sync/auth.h"
#include "sync/chan_int.h"
#include "sync/link.h"

/* Appends to @buf (@len bytes) at *@off, which counts what the whole
 * text needs even past the end of the buffer. */
__attribute__((format(printf, 4, 5)))
static void rep_put(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*off < len ? buf + *off : NULL,
		      *off < len ? len - *off : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

static void rep_counters(char *buf, size_t len, size_t *off,
			 const struct sync_chan_stats *s)
{
	rep_put(buf, len, off,
		"%20llu Bytes sent %20llu Bytes recv\n"
		"%20llu Pckts sent %20llu Pckts recv\n"
		"%20llu Error send %20llu Error recv\n\n",
		(unsigned long long)s->bytes_sent,
		(unsigned long long)s->bytes_recv,
		(unsigned long long)s->pkts_sent,
		(unsigned long long)s->pkts_recv,
		(unsigned long long)s->err_send,
		(unsigned long long)s->err_recv);
}

static int rep_end(char *buf, size_t len, size_t off)
{
	if (len && off >= len)
		buf[len - 1] = '\0';
	return off > (size_t)INT32_MAX ? INT32_MAX : (int)off;
}

int sync_chans_report(const struct sync_chans *m, char *buf, size_t len)
{
	const struct chan *c = chans_chan_const(m, sync_chans_active(m));
	char state[64] = "";
	size_t off = 0;

	if (c->ops->state)
		c->ops->state(c, state, sizeof(state));
	rep_put(buf, len, &off, "%s traffic (active device=%s)%s:\n",
		c->ops->name, chans_ifname(m, c), state);
	rep_counters(buf, len, &off, &c->st);
	return rep_end(buf, len, off);
}

/* IFF_UP is the administrative state, IFF_RUNNING the operational one
 * (upstream: "carrier status"). */
static const char *rep_status(unsigned int flags)
{
	if (!(flags & RTNL_IFF_UP))
		return "DOWN";
	return flags & RTNL_IFF_RUNNING ? "RUNNING" : "NO-CARRIER";
}

int sync_chans_report_link(const struct sync_chans *m, char *buf, size_t len)
{
	size_t off = 0;

	for (unsigned int i = 0; i < sync_chans_count(m); i++) {
		const struct chan *c = chans_chan_const(m, i);
		unsigned int f = sync_link_flags(chans_link(m), c->ifindex);

		rep_put(buf, len, &off,
			"%s traffic device=%s status=%s role=%s:\n",
			c->ops->name, chans_ifname(m, c), rep_status(f),
			i == sync_chans_active(m) ? "ACTIVE" : "BACKUP");
		rep_counters(buf, len, &off, &c->st);
	}
	return rep_end(buf, len, off);
}

/* @s as the inside of a JSON string (at most 16 bytes of it, an
 * interface name): quotes, backslashes and controls escaped. */
static void rep_json_name(char dst[6 * 16 + 1], const char *s)
{
	size_t o = 0;

	for (size_t i = 0; i < 16 && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == '"' || ch == '\\') {
			snprintf(dst + o, 7, "\\u%04x", ch);
			o += 6;
		} else {
			dst[o++] = (char)ch;
		}
	}
	dst[o] = '\0';
}

/* Ours: every channel as -s link shows it, and the counters no text
 * statistic of upstream's has room for (senders refused, TCP messages
 * dropped with the backlog full, bytes waiting in it). */
int sync_chans_report_json(const struct sync_chans *m, char *buf, size_t len)
{
	size_t off = 0;

	rep_put(buf, len, &off, "[");
	for (unsigned int i = 0; i < sync_chans_count(m); i++) {
		const struct chan *c = chans_chan_const(m, i);
		const struct sync_chan_stats *s = &c->st;
		unsigned int f = sync_link_flags(chans_link(m), c->ifindex);
		char dev[6 * 16 + 1];

		rep_json_name(dev, chans_ifname(m, c));
		rep_put(buf, len, &off, "%s{\"type\":\"%s\",\"device\":\"%s\","
			"\"status\":\"%s\",\"active\":%s,\"bytes_sent\":%llu,"
			"\"bytes_recv\":%llu,\"pkts_sent\":%llu,"
			"\"pkts_recv\":%llu,\"errors_send\":%llu,"
			"\"errors_recv\":%llu,\"other_sender\":%llu,"
			"\"backlog_dropped\":%llu,\"backlog_bytes\":%llu}",
			i ? "," : "", c->ops->name, dev, rep_status(f),
			i == sync_chans_active(m) ? "true" : "false",
			(unsigned long long)s->bytes_sent,
			(unsigned long long)s->bytes_recv,
			(unsigned long long)s->pkts_sent,
			(unsigned long long)s->pkts_recv,
			(unsigned long long)s->err_send,
			(unsigned long long)s->err_recv,
			(unsigned long long)s->dropped_peer,
			(unsigned long long)s->backlog_overflow,
			(unsigned long long)s->backlog_bytes);
	}
	rep_put(buf, len, &off, "]");
	return rep_end(buf, len, off);
}

static void rep_hex(char *dst, const uint8_t *p)
{
	static const char digits[] = "0123456789abcdef";

	if (!p) {
		memcpy(dst, "-", 2);
		return;
	}
	for (size_t i = 0; i < SYNC_FRAME_EPOCH_LEN; i++) {
		dst[2 * i] = digits[p[i] >> 4];
		dst[2 * i + 1] = digits[p[i] & 15];
	}
	dst[2 * SYNC_FRAME_EPOCH_LEN] = '\0';
}

static const char *rep_auth_mode(const struct sync_auth *a)
{
	if (!a)
		return "off";
	return sync_auth_encrypts(a) ? "on, encrypted" : "on";
}

int sync_chans_report_auth(const struct sync_chans *m, char *buf, size_t len)
{
	const struct sync_auth *a = sync_chans_auth(m);
	const struct sync_auth_stats *st = sync_chans_auth_stats(m);
	char ours[2 * SYNC_FRAME_EPOCH_LEN + 1], peer[sizeof(ours)];
	size_t off = 0;
	int seen = 0;

	for (int v = 0; v < SYNC_AUTH_V_MAX; v++)
		seen |= st->n[v] != 0;
	if (!a && !seen) {
		/* off and nothing to say: -s network as upstream's */
		if (len)
			buf[0] = '\0';
		return 0;
	}
	rep_hex(ours, a ? sync_auth_epoch(a) : NULL);
	rep_hex(peer, a ? sync_auth_peer_epoch(a) : NULL);
	rep_put(buf, len, &off, "authentication (%s):\n"
		"\tepoch:\t\t\t%s\n"
		"\tpeer epoch:\t\t%s (%s)\n"
		"\tsend:\n\t\tFrames sealed:\t\t%20llu\n"
		"\t\tHandshakes:\t\t%20llu\n\trecv:\n",
		rep_auth_mode(a), ours, peer,
		a && sync_auth_established(a) ? "established" : "waiting",
		(unsigned long long)st->sent, (unsigned long long)st->peers);
	for (int v = 0; v < SYNC_AUTH_V_MAX; v++)
		rep_put(buf, len, &off, "\t\t%-24s%20llu\n",
			sync_auth_name((enum sync_auth_verdict)v),
			(unsigned long long)st->n[v]);
	rep_put(buf, len, &off, "\n");
	return rep_end(buf, len, off);
}

int sync_chans_report_auth_json(const struct sync_chans *m, char *buf,
				size_t len)
{
	const struct sync_auth *a = sync_chans_auth(m);
	const struct sync_auth_stats *st = sync_chans_auth_stats(m);
	size_t off = 0;

	rep_put(buf, len, &off, "{\"on\":%s,\"encrypt\":%s,"
		"\"established\":%s,\"sent\":%llu,\"handshakes\":%llu",
		a ? "true" : "false",
		a && sync_auth_encrypts(a) ? "true" : "false",
		a && sync_auth_established(a) ? "true" : "false",
		(unsigned long long)st->sent, (unsigned long long)st->peers);
	for (int v = 0; v < SYNC_AUTH_V_MAX; v++)
		rep_put(buf, len, &off, ",\"%s\":%llu",
			sync_auth_json_name((enum sync_auth_verdict)v),
			(unsigned long long)st->n[v]);
	rep_put(buf, len, &off, "}");
	return rep_end(buf, len, off);
}
