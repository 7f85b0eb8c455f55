// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Helper section of conntrackd.conf:
 *
 *   Helper {
 *       Type <name> inet|inet6 tcp|udp { QueueNum N; QueueLen N;
 *           Policy <name> { ExpectMax N; ExpectTimeout N } }
 *       Setup on|off
 *   }
 *
 * with upstream's odd but accepted shapes: QueueNum, QueueLen and Policy
 * are pushed on a stack as read, also at the top of Helper and in nested
 * Types, and the '}' of every Type pops the whole stack into itself, the
 * last popped (the first read) winning. The helper must be one upstream
 * ships for that layer 4 protocol (upstream dlopen()s ct_helper_<name>.so)
 * and a Policy must name one of its policies, which carry the helper's
 * name in all of them.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "sync/config_int.h"

static const struct {
	const char *name;
	uint8_t tcp, udp;
} helpers[] = {
	{ "amanda", 0, 1 }, { "dhcpv6", 0, 1 }, { "ftp", 1, 0 },
	{ "mdns", 0, 1 }, { "rpc", 1, 1 }, { "sane", 1, 0 },
	{ "slp", 0, 1 }, { "ssdp", 1, 1 }, { "tftp", 0, 1 }, { "tns", 1, 0 },
};

static int tok_is(const struct conf_token *t, const char *s)
{
	return strlen(s) == t->len && !memcmp(s, t->p, t->len);
}

static int helper_known(const struct conf_token *name, uint8_t l4)
{
	for (size_t i = 0; i < CONF_N(helpers); i++)
		if (tok_is(name, helpers[i].name))
			return l4 == IPPROTO_TCP ? helpers[i].tcp :
						   helpers[i].udp;
	return 0;
}

static int pend_push(struct conf_parser *ps, const struct conf_pending *p)
{
	if (ps->n_pend == CONF_PENDING_MAX)
		return conf_fail(ps, "too many QueueNum, QueueLen and Policy "
				 "settings for one helper (Maximum: %d)",
				 CONF_PENDING_MAX);
	ps->pend[ps->n_pend++] = *p;
	return 0;
}

/* QueueNum (an NFQUEUE number, 16 bits) or QueueLen. */
static int helper_queue(struct conf_parser *ps, void *base)
{
	struct conf_token kw = ps->tok;
	struct conf_pending p = { .kind = (uint8_t)kw.type };
	int r;

	conf_next(ps);
	r = conf_number(ps, &kw, kw.type == K_QUEUE_NUM ? 65535 : CONF_INT_MAX,
			&p.value);
	if (!r)
		r = pend_push(ps, &p);
	if (!r)
		conf_next(ps);
	return r;
}

/* Policy <name> { ExpectMax N; ExpectTimeout N }: a field not given is
 * 0, as upstream replaces the whole built-in policy. */
static int helper_policy(struct conf_parser *ps, void *base)
{
	struct conf_pending p = { .kind = K_POLICY };
	struct conf_token name, kw;
	int seen = 0, r;
	uint32_t *v;

	conf_next(ps);
	if (ps->tok.type != TOK_STRING)
		return conf_syntax(ps);
	name = ps->tok;
	conf_next(ps);
	r = conf_expect(ps, '{');
	while (!r && !sync_conf_lex_is(&ps->tok, '}')) {
		if (ps->tok.type == K_EXPECT_MAX)
			v = &p.expect_max;
		else if (ps->tok.type == K_EXPECT_TIMEOUT)
			v = &p.expect_timeout;
		else
			return conf_syntax(ps);
		kw = ps->tok;
		conf_next(ps);
		r = conf_number(ps, &kw, CONF_INT_MAX, v);
		seen = 1;
		if (!r)
			conf_next(ps);
	}
	if (r < 0)
		return r;
	if (!seen)
		return conf_fail(ps, "Helper policy configuration empty, fix "
				 "your configuration file, please");
	if (name.len > SYNC_CONF_HELPER_NAME)
		return conf_fail(ps, "Helper Policy is longer than %d "
				 "characters", SYNC_CONF_HELPER_NAME);
	conf_copy(&name, p.name, sizeof(p.name));
	r = pend_push(ps, &p);
	if (!r)
		conf_next(ps);
	return r;
}

/* The '}' of a Type: everything pending goes into @h, last read first. */
static int helper_pop(struct conf_parser *ps, struct sync_conf_helper *h)
{
	while (ps->n_pend) {
		const struct conf_pending *p = &ps->pend[--ps->n_pend];
		unsigned int i;

		if (p->kind == K_QUEUE_NUM) {
			h->queue_num = p->value;
			continue;
		}
		if (p->kind == K_QUEUE_LEN) {
			h->queue_len = p->value;
			continue;
		}
		if (strcmp(p->name, h->name))
			return conf_fail(ps, "Unknown policy `%s' in helper "
					 "configuration", p->name);
		for (i = 0; i < h->n_policy; i++)
			if (!strcmp(h->policy[i].name, p->name))
				break;
		if (i == h->n_policy && i < SYNC_CONF_POLICIES)
			h->n_policy++;
		if (i < SYNC_CONF_POLICIES) {
			memcpy(h->policy[i].name, p->name,
			       sizeof(h->policy[i].name));
			h->policy[i].expect_max = p->expect_max;
			h->policy[i].expect_timeout = p->expect_timeout;
		}
	}
	return 0;
}

static int helper_close(struct conf_parser *ps, const struct conf_token *t)
{
	struct sync_conf *c = ps->c;
	struct sync_conf_helper h;

	memset(&h, 0, sizeof(h));
	if (tok_is(&t[1], "inet"))
		h.l3 = AF_INET;
	else if (tok_is(&t[1], "inet6"))
		h.l3 = AF_INET6;
	else
		return conf_fail(ps, "unknown layer 3 protocol");
	if (tok_is(&t[2], "tcp"))
		h.l4 = IPPROTO_TCP;
	else if (tok_is(&t[2], "udp"))
		h.l4 = IPPROTO_UDP;
	else
		return conf_fail(ps, "unknown layer 4 protocol");
	if (!helper_known(&t[0], h.l4))
		return conf_fail(ps, "Unknown `%.*s' helper", (int)t[0].len,
				 t[0].p);
	if (c->helper.n_type == SYNC_CONF_HELPERS)
		return conf_fail(ps, "too many helpers in the configuration "
				 "file (Maximum: %d)", SYNC_CONF_HELPERS);
	conf_copy(&t[0], h.name, sizeof(h.name));
	if (helper_pop(ps, &h) < 0)
		return -EINVAL;
	c->helper.type[c->helper.n_type++] = h;
	return 0;
}

static int helper_type(struct conf_parser *ps, void *base);

static const struct conf_key type_keys[] = {
	{ .tok = K_TYPE, .kind = KEY_FN, .fn = helper_type },
	{ .tok = K_QUEUE_NUM, .kind = KEY_FN, .fn = helper_queue },
	{ .tok = K_QUEUE_LEN, .kind = KEY_FN, .fn = helper_queue },
	{ .tok = K_POLICY, .kind = KEY_FN, .fn = helper_policy },
};

/* Type <name> <l3> <l4> { ... }, which may nest (upstream's grammar
 * allows it), to a bounded depth. */
static int helper_type(struct conf_parser *ps, void *base)
{
	struct conf_token t[3];
	int r;

	if (ps->depth == CONF_TYPE_DEPTH)
		return conf_fail(ps, "parsing config file in line (%u), "
				 "`Type' nested more than %d deep",
				 ps->tok.line, CONF_TYPE_DEPTH);
	for (int i = 0; i < 3; i++) {
		conf_next(ps);
		if (ps->tok.type != TOK_STRING)
			return conf_syntax(ps);
		t[i] = ps->tok;
	}
	conf_next(ps);
	ps->depth++;
	r = conf_block(ps, type_keys, CONF_N(type_keys), base);
	ps->depth--;
	if (!r)
		r = helper_close(ps, t);
	if (!r)
		conf_next(ps);
	return r;
}

static const struct conf_key helper_keys[] = {
	{ .tok = K_TYPE, .kind = KEY_FN, .fn = helper_type },
	{ .tok = K_QUEUE_NUM, .kind = KEY_FN, .fn = helper_queue },
	{ .tok = K_QUEUE_LEN, .kind = KEY_FN, .fn = helper_queue },
	{ .tok = K_POLICY, .kind = KEY_FN, .fn = helper_policy },
	{ .tok = K_SETUP, .kind = KEY_BOOL,
	  .off = offsetof(struct sync_conf, helper.setup) },
};

int conf_helper(struct conf_parser *ps)
{
	return conf_section(ps, helper_keys, CONF_N(helper_keys), ps->c,
			    SYNC_RUN_HELPER);
}
