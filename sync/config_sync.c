// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Sync section of conntrackd.conf: the timers that may stand directly
 * in it, `Mode FTFW|ALARM|NOTRACK { ... }' with the keys each mode takes
 * (all writing the same fields, as upstream: a key read in one mode's
 * block is there for whichever mode runs), the dedicated links (Multicast,
 * UDP, TCP, at most four, all of one kind) and Options. A link is read
 * into a scratch struct and kept at its '}', where upstream checks the
 * count and the kind.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "sync/config_int.h"

#define OFF(f)	offsetof(struct sync_conf, f)
#define CH(f)	offsetof(struct sync_conf_chan, f)

/* Interface <name>: at most IFNAMSIZ - 1 bytes (upstream cuts it short
 * with strncpy); a name the host does not know only warns, as upstream. */
static int chan_iface(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	conf_next(ps);
	if (ps->tok.type != TOK_STRING)
		return conf_syntax(ps);
	if (conf_copy(&ps->tok, ch->iface, sizeof(ch->iface)) < 0)
		return conf_fail(ps, "parsing config file in line (%u), "
				 "symbol '%.*s': `Interface' name is longer "
				 "than %d characters", ps->tok.line,
				 (int)ps->tok.len, ps->tok.p,
				 SYNC_CONF_IFNAME_MAX - 1);
	if (!ps->ifindex(ch->iface))
		conf_warn(ps, "%s is an invalid interface", ch->iface);
	conf_next(ps);
	return 0;
}

/*
 * An address of a link into @dst. Multicast links keep one family: an
 * address of the other warns and is dropped (upstream stores part of it
 * over the group), except IPv4_interface, which is kept as upstream does.
 * Upstream's lookup of the multicast IPv6 group as an interface name is
 * not done.
 */
static int chan_addr(struct conf_parser *ps, struct sync_conf_chan *ch,
		     union ct_addr *dst, int family, const char *clash)
{
	const struct conf_token *t = &ps->tok;
	union ct_addr a;
	int r;

	conf_next(ps);
	if (t->type != TOK_IP)
		return conf_syntax(ps);
	memset(&a, 0, sizeof(a));
	r = family == AF_INET ? conf_ipv4(t->p, t->len, &a.v4) :
				conf_ipv6(t->p, t->len, a.v6);
	if (r < 0) {
		conf_warn(ps, "%.*s is not a valid %s address", (int)t->len,
			  t->p, family == AF_INET ? "IPv4" : "IPv6");
	} else if (clash && ch->family && ch->family != family) {
		conf_warn(ps, "%s", clash);
		if (dst == &ch->ifaddr)
			*dst = a;
	} else {
		*dst = a;
		ch->family = (uint8_t)family;
	}
	conf_next(ps);
	return 0;
}

static int mcast_v4(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->addr, AF_INET, "your multicast address "
			 "is IPv4 but is binded to an IPv6 interface? Surely, "
			 "this is not what you want");
}

static int mcast_v6(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->addr, AF_INET6, "your multicast "
			 "address is IPv6 but is binded to an IPv4 interface? "
			 "Surely this is not what you want");
}

static int mcast_if4(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->ifaddr, AF_INET, "your multicast "
			 "interface is IPv4 but is binded to an IPv6 "
			 "interface? Surely, this is not what you want");
}

static int mcast_if6(struct conf_parser *ps, void *base)
{
	return conf_ignored(ps, TOK_IP, "`IPv6_interface' not required, "
			    "ignoring");
}

static int link_v4(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->addr, AF_INET, NULL);
}

static int link_v6(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->addr, AF_INET6, NULL);
}

static int link_dest4(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->dest, AF_INET, NULL);
}

static int link_dest6(struct conf_parser *ps, void *base)
{
	struct sync_conf_chan *ch = base;

	return chan_addr(ps, ch, &ch->dest, AF_INET6, NULL);
}

/* ErrorQueueLength: one value for all links in upstream (the last). */
static int tcp_errq(struct conf_parser *ps, void *base)
{
	struct conf_token kw = ps->tok;
	int r;

	conf_next(ps);
	r = conf_number(ps, &kw, CONF_INT_MAX, &ps->errq_len);
	if (!r)
		conf_next(ps);
	return r;
}

#define CHAN_COMMON \
	{ .tok = K_IFACE, .kind = KEY_FN, .flags = KEY_F_CHAN, \
	  .fn = chan_iface }, \
	{ .tok = K_SNDBUF, .kind = KEY_U32, .flags = KEY_F_CHAN, \
	  .off = CH(sndbuf), .max = CONF_INT_MAX }, \
	{ .tok = K_RCVBUF, .kind = KEY_U32, .flags = KEY_F_CHAN, \
	  .off = CH(rcvbuf), .max = CONF_INT_MAX }, \
	{ .tok = K_CHECKSUM, .kind = KEY_BOOL, .flags = KEY_F_CHAN, \
	  .off = CH(checksum) }

static const struct conf_key mcast_keys[] = {
	{ .tok = K_IPV4_ADDR, .kind = KEY_FN, .flags = KEY_F_CHAN,
	  .fn = mcast_v4 },
	{ .tok = K_IPV6_ADDR, .kind = KEY_FN, .flags = KEY_F_CHAN,
	  .fn = mcast_v6 },
	{ .tok = K_IPV4_IFACE, .kind = KEY_FN, .flags = KEY_F_CHAN,
	  .fn = mcast_if4 },
	{ .tok = K_IPV6_IFACE, .kind = KEY_FN, .fn = mcast_if6 },
	{ .tok = K_GROUP, .kind = KEY_U16, .flags = KEY_F_CHAN,
	  .off = CH(port), .max = 65535 },
	CHAN_COMMON,
};

#define LINK_ADDRS \
	{ .tok = K_IPV4_ADDR, .kind = KEY_FN, .flags = KEY_F_CHAN, \
	  .fn = link_v4 }, \
	{ .tok = K_IPV6_ADDR, .kind = KEY_FN, .flags = KEY_F_CHAN, \
	  .fn = link_v6 }, \
	{ .tok = K_IPV4_DEST, .kind = KEY_FN, .flags = KEY_F_CHAN, \
	  .fn = link_dest4 }, \
	{ .tok = K_IPV6_DEST, .kind = KEY_FN, .flags = KEY_F_CHAN, \
	  .fn = link_dest6 }, \
	{ .tok = K_PORT, .kind = KEY_U16, .flags = KEY_F_CHAN, \
	  .off = CH(port), .max = 65535 }

static const struct conf_key udp_keys[] = { LINK_ADDRS, CHAN_COMMON };

static const struct conf_key tcp_keys[] = {
	LINK_ADDRS, CHAN_COMMON,
	{ .tok = K_ERRQ_LEN, .kind = KEY_FN, .fn = tcp_errq },
};

static const struct {
	uint8_t tok, type;
	const char *name;
	const struct conf_key *keys;
	size_t n;
} links[] = {
	{ K_MULTICAST, SYNC_CHAN_MCAST, "Multicast", mcast_keys,
	  CONF_N(mcast_keys) },
	{ K_UDP, SYNC_CHAN_UDP, "UDP", udp_keys, CONF_N(udp_keys) },
	{ K_TCP, SYNC_CHAN_TCP, "TCP", tcp_keys, CONF_N(tcp_keys) },
};

/* Multicast|UDP|TCP [Default] { ... } */
static int sync_link(struct conf_parser *ps, void *base)
{
	struct sync_conf *c = ps->c;
	struct sync_conf_chan ch;
	size_t i = 0;
	int r;

	while (links[i].tok != ps->tok.type)
		i++;
	memset(&ch, 0, sizeof(ch));
	ch.type = links[i].type;
	ch.checksum = 1;
	conf_next(ps);
	if (ps->tok.type == K_DEFAULT) {
		ch.is_default = 1;
		conf_next(ps);
	}
	r = conf_block(ps, links[i].keys, links[i].n, &ch);
	if (r < 0)
		return r;
	if (c->sync.n_chan >= SYNC_CONF_CHAN_MAX)
		return conf_fail(ps, "too many dedicated links in the "
				 "configuration file (Maximum: %d)",
				 SYNC_CONF_CHAN_MAX);
	if (ps->chan_type && ps->chan_type != ch.type)
		return conf_fail(ps, "cannot use `%s' with other dedicated "
				 "link protocols!", links[i].name);
	ps->chan_type = ch.type;
	if (ch.is_default)
		ps->default_chan = (int)c->sync.n_chan;
	c->sync.chan[c->sync.n_chan++] = ch;
	conf_next(ps);
	return 0;
}

#define MODE_TIMERS \
	{ .tok = K_TIMEOUT, .kind = KEY_U32, .off = OFF(sync.commit_timeout), \
	  .max = CONF_INT_MAX }, \
	{ .tok = K_PURGE, .kind = KEY_U32, .off = OFF(sync.purge_timeout), \
	  .max = CONF_INT_MAX, .dflt = 60 }

#define ALARM_TIMERS \
	{ .tok = K_REFRESH, .kind = KEY_U32, .off = OFF(sync.refresh_time), \
	  .max = CONF_INT_MAX, .dflt = 60 }, \
	{ .tok = K_EXPIRE, .kind = KEY_U32, .off = OFF(sync.cache_timeout), \
	  .max = CONF_INT_MAX, .dflt = 180 }

#define CACHE_KEYS \
	{ .tok = K_DISABLE_EXTERNAL, .kind = KEY_BOOL, \
	  .off = OFF(sync.disable_external) }, \
	{ .tok = K_STARTUP_RESYNC, .kind = KEY_BOOL, \
	  .off = OFF(sync.startup_resync) }

static const struct conf_key ftfw_keys[] = {
	{ .tok = K_RESEND_QUEUE, .kind = KEY_U32,
	  .off = OFF(sync.resend_queue_size), .max = CONF_INT_MAX,
	  .dflt = 131072 },
	{ .tok = K_WINDOWSIZE, .kind = KEY_U32, .off = OFF(sync.ack_window),
	  .max = CONF_INT_MAX, .dflt = 300 },
	MODE_TIMERS, CACHE_KEYS,
};

static const struct conf_key alarm_keys[] = { ALARM_TIMERS, MODE_TIMERS };

static const struct conf_key notrack_keys[] = {
	{ .tok = K_DISABLE_INTERNAL, .kind = KEY_BOOL,
	  .off = OFF(sync.disable_internal) },
	MODE_TIMERS, CACHE_KEYS,
};

/* Mode FTFW|ALARM|NOTRACK { ... } */
static int sync_mode(struct conf_parser *ps, void *base)
{
	const struct conf_key *keys;
	size_t n;
	int mode, r;

	conf_next(ps);
	switch (ps->tok.type) {
	case TOK_FTFW:
		mode = SYNC_MODE_FTFW, keys = ftfw_keys, n = CONF_N(ftfw_keys);
		break;
	case TOK_ALARM:
		mode = SYNC_MODE_ALARM, keys = alarm_keys;
		n = CONF_N(alarm_keys);
		break;
	case TOK_NOTRACK:
		mode = SYNC_MODE_NOTRACK, keys = notrack_keys;
		n = CONF_N(notrack_keys);
		break;
	default:
		return conf_syntax(ps);
	}
	conf_next(ps);
	r = conf_block(ps, keys, n, base);
	if (r < 0)
		return r;
	ps->modes |= 1u << mode;
	conf_next(ps);
	return 0;
}

/* ExpectationSync on|off|{ helper names }: names add up; what it ends as
 * is resolved in conf_finish(). */
static int opt_expect(struct conf_parser *ps, void *base)
{
	struct sync_conf *c = ps->c;
	char name[SYNC_CONF_HELPER_NAME];
	unsigned int i;

	conf_next(ps);
	if (ps->tok.type == TOK_ON || ps->tok.type == TOK_OFF) {
		ps->expect_last = (uint8_t)ps->tok.type;
		conf_next(ps);
		return 0;
	}
	if (conf_expect(ps, '{') < 0)
		return -EINVAL;
	while (!sync_conf_lex_is(&ps->tok, '}')) {
		if (ps->tok.type != TOK_STRING)
			return conf_syntax(ps);
		if (conf_copy(&ps->tok, name, sizeof(name)) < 0)
			return conf_fail(ps, "parsing config file in line "
					 "(%u), symbol '%.*s': `ExpectationSync'"
					 " name is longer than %d characters",
					 ps->tok.line, (int)ps->tok.len,
					 ps->tok.p, SYNC_CONF_HELPER_NAME - 1);
		for (i = 0; i < c->sync.n_expect_helpers; i++)
			if (!strcasecmp(c->sync.expect_helpers[i], name))
				break;
		if (i == c->sync.n_expect_helpers) {
			if (i == SYNC_CONF_EXP_HELPERS)
				return conf_fail(ps, "too many helpers in "
						 "`ExpectationSync' (Maximum: "
						 "%d)", SYNC_CONF_EXP_HELPERS);
			memcpy(c->sync.expect_helpers[i], name, sizeof(name));
			c->sync.n_expect_helpers++;
		}
		conf_next(ps);
	}
	ps->expect_last = TOK_ON;
	conf_next(ps);
	return 0;
}

static const struct conf_key option_keys[] = {
	{ .tok = K_TCP_WINDOW, .kind = KEY_BOOL,
	  .off = OFF(sync.tcp_window_tracking) },
	{ .tok = K_EXPECT_SYNC, .kind = KEY_FN, .fn = opt_expect },
};

static int sync_options(struct conf_parser *ps, void *base)
{
	return conf_section(ps, option_keys, CONF_N(option_keys), base, 0);
}

static const struct conf_key sync_keys[] = {
	ALARM_TIMERS, MODE_TIMERS,
	{ .tok = K_MULTICAST, .kind = KEY_FN, .fn = sync_link },
	{ .tok = K_UDP, .kind = KEY_FN, .fn = sync_link },
	{ .tok = K_TCP, .kind = KEY_FN, .fn = sync_link },
	{ .tok = K_MODE, .kind = KEY_FN, .fn = sync_mode },
	{ .tok = K_OPTIONS, .kind = KEY_FN, .fn = sync_options },
	{ .tok = K_AUTH, .kind = KEY_FN, .fn = conf_auth },	/* ours */
};

int conf_sync(struct conf_parser *ps)
{
	return conf_section(ps, sync_keys, CONF_N(sync_keys), ps->c,
			    SYNC_RUN_SYNC);
}
