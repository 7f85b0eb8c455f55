// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Our Sync { Authentication { ... } } block (upstream has none, and its
 * parser refuses it): the key file, whether the payload is encrypted, and
 * the allow-list of peer addresses, checked once the links are known
 * (a multicast link has no destination address to default to).
 */
#include <string.h>
#include <sys/socket.h>

#include "sync/config_int.h"

static int auth_keyfile(struct conf_parser *ps, void *base)
{
	struct sync_conf_auth *a = base;
	int r;

	conf_next(ps);
	r = conf_path(ps, a->keyfile, sizeof(a->keyfile), "KeyFile path");
	if (!r)
		conf_next(ps);
	return r;
}

/* Peer <IPv4 or IPv6 address>: each once, at most SYNC_CONF_PEERS_MAX. */
static int auth_peer(struct conf_parser *ps, void *base)
{
	struct sync_conf_auth *a = base;
	const struct conf_token *t = &ps->tok;
	struct sync_conf_peer p;

	conf_next(ps);
	if (t->type != TOK_IP)
		return conf_syntax(ps);
	memset(&p, 0, sizeof(p));
	if (conf_ipv4(t->p, t->len, &p.addr.v4) == 0)
		p.family = AF_INET;
	else if (conf_ipv6(t->p, t->len, p.addr.v6) == 0)
		p.family = AF_INET6;
	else
		return conf_fail(ps, "parsing config file in line (%u), "
				 "`Peer' %.*s is not an address", t->line,
				 (int)t->len, t->p);
	for (unsigned int i = 0; i < a->n_peer; i++)
		if (!memcmp(&a->peer[i], &p, sizeof(p)))
			return conf_fail(ps, "parsing config file in line "
					 "(%u), `Peer' %.*s is given twice",
					 t->line, (int)t->len, t->p);
	if (a->n_peer == SYNC_CONF_PEERS_MAX)
		return conf_fail(ps, "too many `Peer' addresses in "
				 "`Authentication' (Maximum: %d)",
				 SYNC_CONF_PEERS_MAX);
	a->peer[a->n_peer++] = p;
	conf_next(ps);
	return 0;
}

static const struct conf_key auth_keys[] = {
	{ .tok = K_KEYFILE, .kind = KEY_FN, .fn = auth_keyfile },
	{ .tok = K_ENCRYPT, .kind = KEY_BOOL,
	  .off = offsetof(struct sync_conf_auth, encrypt) },
	{ .tok = K_PEER, .kind = KEY_FN, .fn = auth_peer },
};

int conf_auth(struct conf_parser *ps, void *base)
{
	struct sync_conf_auth *a = &ps->c->sync.auth;

	(void)base;
	a->on = 1;
	return conf_section(ps, auth_keys, CONF_N(auth_keys), a, 0);
}

int conf_auth_finish(struct conf_parser *ps)
{
	const struct sync_conf *c = ps->c;
	const struct sync_conf_auth *a = &c->sync.auth;

	if (!a->on)
		return 0;
	if (!a->keyfile[0])
		return conf_fail(ps, "`Authentication' needs a `KeyFile'");
	if (c->sync.n_chan && c->sync.chan[0].type == SYNC_CHAN_MCAST &&
	    !a->n_peer)
		return conf_fail(ps, "`Authentication' over `Multicast' needs "
				 "the `Peer' address of the other node");
	return 0;
}
