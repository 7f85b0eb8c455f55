// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers of the sync/msg unit tests (tests/unit/check_sync_msg*.c): flows
 * made as the kernel reports them, field-by-field comparisons, parsing
 * from exactly-sized copies and build -> parse round trips.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "sync/auth.h"
#include "tests/unit/sync_check.h"

uint8_t *sc_dup_exact(const void *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(d);
	memcpy(d, p, n);
	return d;
}

void sc_addr(union ct_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_eq(inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, a),
			 1);
}

/* A tuple src -> dst of protocol l4. */
void sc_tup(struct ct_tuple *t, const char *src, const char *dst,
		uint8_t l4)
{
	memset(t, 0, sizeof(*t));
	t->l3 = strchr(src, ':') ? AF_INET6 : AF_INET;
	t->l4 = l4;
	sc_addr(&t->src, src);
	sc_addr(&t->dst, dst);
	t->set = SC_ADDRS;
}

void sc_tup_ports(struct ct_tuple *t, uint16_t sport, uint16_t dport)
{
	t->sport = sport;
	t->dport = dport;
	t->set |= SC_PORTS;
}

/* A flow src:sport -> dst:dport as the kernel reports it (reply tuple
 * the inverse), with status and timeout. Ports only when sport|dport. */
void sc_flow(struct ct_entry *e, uint8_t l4, const char *src,
		 const char *dst, uint16_t sport, uint16_t dport)
{
	memset(e, 0, sizeof(*e));
	sc_tup(&e->orig, src, dst, l4);
	sc_tup(&e->reply, dst, src, l4);
	if (sport || dport) {
		sc_tup_ports(&e->orig, sport, dport);
		sc_tup_ports(&e->reply, dport, sport);
	}
	e->family = e->orig.l3;
	e->set = CT_ORIG | CT_REPLY;
}

void sc_scalars(struct ct_entry *e, uint32_t status, uint32_t timeout,
		    uint32_t mark)
{
	e->status = status;
	e->timeout = timeout;
	e->mark = mark;
	e->set |= CT_STATUS | CT_TIMEOUT | CT_MARK;
}

void sc_ck_tuple(const struct ct_tuple *g, const struct ct_tuple *w,
		     const char *which)
{
	ck_assert_msg(g->set == w->set, "%s set %#x want %#x", which, g->set,
		      w->set);
	ck_assert_msg(g->l3 == w->l3 && g->l4 == w->l4, "%s l3/l4 %u/%u",
		      which, g->l3, g->l4);
	ck_assert_msg(!memcmp(&g->src, &w->src, sizeof(g->src)) &&
		      !memcmp(&g->dst, &w->dst, sizeof(g->dst)),
		      "%s addresses differ", which);
	ck_assert_msg(g->sport == w->sport && g->dport == w->dport,
		      "%s ports %u %u want %u %u", which, g->sport, g->dport,
		      w->sport, w->dport);
	ck_assert_msg(g->icmp_type == w->icmp_type &&
		      g->icmp_code == w->icmp_code && g->icmp_id == w->icmp_id,
		      "%s icmp %u/%u/%u", which, g->icmp_type, g->icmp_code,
		      g->icmp_id);
	ck_assert_uint_eq(g->zone, w->zone);
}

void sc_ck_str(const char *g, const char *w)
{
	if (!w) {
		ck_assert_ptr_null(g);
		return;
	}
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g, w);
}

void sc_ck_nat(const struct ct_nat *g, const struct ct_nat *w)
{
	ck_assert(!memcmp(&g->min_ip, &w->min_ip, sizeof(g->min_ip)));
	ck_assert(!memcmp(&g->max_ip, &w->max_ip, sizeof(g->max_ip)));
	ck_assert_uint_eq(g->min_port, w->min_port);
	ck_assert_uint_eq(g->max_port, w->max_port);
	ck_assert_uint_eq(g->has_port, w->has_port);
}

/* Every field of @g equals @w's (unset ones are zero in both). */
void sc_ck_entry(const struct ct_entry *g, const struct ct_entry *w)
{
	ck_assert_msg(g->set == w->set, "set %#llx want %#llx",
		      (unsigned long long)g->set, (unsigned long long)w->set);
	ck_assert_uint_eq(g->family, w->family);
	sc_ck_tuple(&g->orig, &w->orig, "orig");
	sc_ck_tuple(&g->reply, &w->reply, "reply");
	sc_ck_tuple(&g->master, &w->master, "master");
	ck_assert_uint_eq(g->status, w->status);
	ck_assert_uint_eq(g->timeout, w->timeout);
	ck_assert_uint_eq(g->mark, w->mark);
	ck_assert_uint_eq(g->zone, w->zone);
	ck_assert(!memcmp(&g->tcp, &w->tcp, sizeof(g->tcp)));
	ck_assert_uint_eq(g->sctp.state, w->sctp.state);
	ck_assert_uint_eq(g->sctp.vtag[0], w->sctp.vtag[0]);
	ck_assert_uint_eq(g->sctp.vtag[1], w->sctp.vtag[1]);
	ck_assert_uint_eq(g->dccp.state, w->dccp.state);
	ck_assert_uint_eq(g->dccp.role, w->dccp.role);
	sc_ck_str(g->helper, w->helper);
	ck_assert_uint_eq(g->labels_len, w->labels_len);
	ck_assert(!memcmp(g->labels, w->labels, sizeof(g->labels)));
	ck_assert(!memcmp(g->seqadj, w->seqadj, sizeof(g->seqadj)));
	ck_assert(!memcmp(&g->synproxy, &w->synproxy, sizeof(g->synproxy)));
	sc_ck_nat(&g->snat, &w->snat);
	sc_ck_nat(&g->dnat, &w->dnat);
}

void sc_ck_stats(const struct sync_msg_stats *g,
		     const struct sync_msg_stats *w)
{
	ck_assert_uint_eq(g->rcv_malformed, w->rcv_malformed);
	ck_assert_uint_eq(g->rcv_bad_version, w->rcv_bad_version);
	ck_assert_uint_eq(g->rcv_bad_header, w->rcv_bad_header);
	ck_assert_uint_eq(g->rcv_bad_payload, w->rcv_bad_payload);
	ck_assert_uint_eq(g->rcv_bad_type, w->rcv_bad_type);
	ck_assert_uint_eq(g->rcv_truncated, w->rcv_truncated);
	ck_assert_uint_eq(g->rcv_bad_size, w->rcv_bad_size);
	ck_assert_uint_eq(g->snd_malformed, w->snd_malformed);
}

const struct sync_msg_stats sc_zero_stats;
const struct sync_msg_stats sc_one_payload = { .rcv_malformed = 1,
						   .rcv_bad_payload = 1 };

/* The copy the last parse read: its strings point into it, so it lives
 * until the next parse. */
static uint8_t *last_copy;

static uint8_t *fresh_copy(const uint8_t *p, size_t n)
{
	free(last_copy);
	last_copy = sc_dup_exact(p, n);
	return last_copy;
}

int sc_parse_ct(const uint8_t *p, size_t n, struct ct_entry *e,
		struct sync_msg_stats *st)
{
	return sync_msg_parse_ct(fresh_copy(p, n), n, e, st);
}

int sc_parse_exp(const uint8_t *p, size_t n, struct ct_expect *x,
		 struct sync_msg_stats *st)
{
	return sync_msg_parse_exp(fresh_copy(p, n), n, x, st);
}

/* build @e, parse it back: the parse is @want */
void sc_round_trip(const struct ct_entry *e, const struct ct_entry *want,
		       const struct sync_msg_opts *o)
{
	uint8_t buf[SYNC_MSG_MAX];
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	struct ct_entry got;
	int n;

	for (int type = SYNC_T_CT_NEW; type <= SYNC_T_CT_DEL; type++) {
		n = sync_msg_build_ct(buf, sizeof(buf), type, e, o);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(n % 4, 0);
		ck_assert_int_eq(sync_msg_next(buf, (size_t)n, &h, &st), n);
		ck_assert_uint_eq(h.type, type);
		ck_assert(sync_msg_is_data(&h));
		ck_assert_int_eq(sc_parse_ct(buf, (size_t)n, &got, &st), 0);
		sc_ck_entry(&got, want);
	}
	sc_ck_stats(&st, &sc_zero_stats);
}


void sc_ck_exp(const struct ct_expect *g, const struct ct_expect *w)
{
	ck_assert_uint_eq(g->set, w->set);
	ck_assert_uint_eq(g->family, w->family);
	sc_ck_tuple(&g->master, &w->master, "master");
	sc_ck_tuple(&g->tuple, &w->tuple, "tuple");
	sc_ck_tuple(&g->mask, &w->mask, "mask");
	sc_ck_tuple(&g->nat_tuple, &w->nat_tuple, "nat");
	ck_assert_uint_eq(g->timeout, w->timeout);
	ck_assert_uint_eq(g->id, w->id);
	ck_assert_uint_eq(g->flags, w->flags);
	ck_assert_uint_eq(g->class, w->class);
	ck_assert_uint_eq(g->zone, w->zone);
	ck_assert_uint_eq(g->nat_dir, w->nat_dir);
	sc_ck_str(g->helper, w->helper);
	sc_ck_str(g->fn, w->fn);
}

struct sync_auth *sc_auth_node(const char *keys, const char *peer,
			       int encrypt)
{
	static const char key1[] = "1 0101010101010101010101010101010101"
		"010101010101010101010101010101 send\n";
	struct sync_conf c;
	struct sync_keys k;
	struct sync_keys_err err;
	struct sync_auth *a;

	memset(&c, 0, sizeof(c));
	c.sync.n_chan = 1;
	c.sync.chan[0].type = SYNC_CHAN_UDP;
	c.sync.chan[0].family = AF_INET;
	c.sync.chan[0].dest.v4 = htonl(0x0a000002);
	c.sync.auth.on = 1;
	c.sync.auth.encrypt = (uint8_t)encrypt;
	if (peer) {
		c.sync.auth.n_peer = 1;
		c.sync.auth.peer[0].family = AF_INET;
		c.sync.auth.peer[0].addr.v4 = inet_addr(peer);
	}
	keys = keys ? keys : key1;
	ck_assert_int_eq(sync_keys_parse(keys, strlen(keys), &k, &err), 0);
	ck_assert_int_eq(sync_auth_new(&a, &c, &k), 0);
	sync_keys_free(&k);
	/* epochs are the clock (us) then random: the next is younger */
	usleep(2);
	return a;
}
