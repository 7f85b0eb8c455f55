// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's Filter in userspace: the sets of the configuration built
 * into a struct sync_filter (sync/filter_int.h), and the verdict on a
 * flow with upstream's logic (src/filter.c ct_filter_sanity_check and
 * ct_filter_check). The address sets are looked up, not scanned: one
 * hash probe per distinct prefix length of the flow's family, where
 * upstream walks a vector of networks per flow. Unlike upstream, an IPv6
 * network repeated in the configuration is stored once (upstream looks
 * for the repeat in the IPv4 vector, spec 5). The expectation filter of
 * ExpectationSync is here too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sync/filter.h"
#include "sync/filter_int.h"

void sync_filter_mask(union ct_addr *m, unsigned int plen, unsigned int words)
{
	unsigned int n = plen < 32 * words ? plen : 32 * words;

	memset(m, 0, sizeof(*m));
	memset(m->v6, 0xff, n / 8);
	if (n % 8)
		m->v6[n / 8] = (uint8_t)(0xff << (8 - n % 8));
}

/* @a masked to @plen bits over @words 32-bit words (the rest zero), as
 * sync_filter_mask would mask it, a word at a time: this runs for every
 * prefix length of every flow. */
static void key_of(struct sync_filter_key *k, const union ct_addr *a,
		   unsigned int plen, unsigned int words)
{
	uint32_t w[4] = { 0 };

	memcpy(w, a->v6, 4 * (size_t)words);
	for (unsigned int i = 0; i < words; i++) {
		unsigned int bits = plen > 32 * i ? plen - 32 * i : 0;

		if (bits > 32)
			bits = 32;
		w[i] &= bits ? htonl(0xffffffffu << (32 - bits)) : 0;
	}
	k->plen = (uint8_t)plen;
	memcpy(k->addr.v6, w, sizeof(w));
}

/* Sorted order: longest prefix first, then the address bytes. */
static int key_cmp(const void *x, const void *y)
{
	const struct sync_filter_key *a = x, *b = y;

	if (a->plen != b->plen)
		return a->plen > b->plen ? -1 : 1;
	return memcmp(a->addr.v6, b->addr.v6, sizeof(a->addr.v6));
}

/* A 64-bit multiply-xorshift over the key's words. The sets are fixed
 * when built: whoever picks the flows cannot lengthen a probe sequence,
 * only choose among those the configuration made. */
static size_t key_hash(const struct sync_filter_key *k, size_t nslot)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL * (k->plen + 1U);
	uint32_t w;

	for (int i = 0; i < 4; i++) {
		memcpy(&w, k->addr.v6 + 4 * i, 4);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	return (size_t)h & (nslot - 1);
}

#define SCAN_MAX 16	/* keys: a set up to this is scanned */

static bool addrs_has_key(const struct sync_filter_addrs *s,
			  const struct sync_filter_key *k)
{
	size_t i = key_hash(k, s->nslot);

	while (s->slot[i]) {
		const struct sync_filter_key *c = &s->keys[s->slot[i] - 1];

		if (key_cmp(c, k) == 0)
			return true;
		i = (i + 1) & (s->nslot - 1);
	}
	return false;
}

/* A small set is scanned: each key's words and mask words (s->lin),
 * a masked compare each, cheaper than a hash probe per prefix length. */
static bool addrs_scan(const struct sync_filter_addrs *s,
		       const union ct_addr *a)
{
	unsigned int words = s->words;
	const uint32_t *p = s->lin;
	uint32_t w[4];

	memcpy(w, a->v6, 4 * (size_t)words);
	for (size_t k = 0; k < s->n; k++, p += 2 * words) {
		unsigned int j = 0;

		while (j < words && (w[j] & p[words + j]) == p[j])
			j++;
		if (j == words)
			return true;
	}
	return false;
}

/* Whether @a (of the set's family) is in one of its networks or hosts. */
static bool addrs_has(const struct sync_filter_addrs *s,
		      const union ct_addr *a)
{
	struct sync_filter_key k;

	if (s->lin)
		return addrs_scan(s, a);
	for (unsigned int i = 0; i < s->nplen; i++) {
		key_of(&k, a, s->plen[i], s->words);
		if (addrs_has_key(s, &k))
			return true;
	}
	return false;
}

/* The scan's table of a small set: per key, its address words then its
 * mask words (s->words of each). */
static int addrs_lin(struct sync_filter_addrs *s)
{
	unsigned int words = s->words;
	union ct_addr m;
	uint32_t *p;

	s->lin = calloc(s->n, 2 * (size_t)words * sizeof(*s->lin));
	if (!s->lin)
		return -ENOMEM;
	p = s->lin;
	for (size_t k = 0; k < s->n; k++, p += 2 * words) {
		sync_filter_mask(&m, s->keys[k].plen, words);
		memcpy(p, s->keys[k].addr.v6, 4 * (size_t)words);
		memcpy(p + words, m.v6, 4 * (size_t)words);
	}
	return 0;
}

/* Sorts and dedupes the keys, lists the prefix lengths, fills the hash
 * (and, for a small set, the scan's table). */
static int addrs_index(struct sync_filter_addrs *s)
{
	size_t n = 0;

	if (!s->n)
		return 0;
	qsort(s->keys, s->n, sizeof(*s->keys), key_cmp);
	for (size_t i = 0; i < s->n; i++) {
		if (n && key_cmp(&s->keys[n - 1], &s->keys[i]) == 0)
			continue;
		s->keys[n++] = s->keys[i];
		if (!s->nplen || s->plen[s->nplen - 1] != s->keys[i].plen)
			s->plen[s->nplen++] = s->keys[i].plen;
	}
	s->n = n;
	for (s->nslot = 8; s->nslot < 2 * n; s->nslot *= 2)
		;
	s->slot = calloc(s->nslot, sizeof(*s->slot));
	if (!s->slot)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t at = key_hash(&s->keys[i], s->nslot);

		while (s->slot[at])
			at = (at + 1) & (s->nslot - 1);
		s->slot[at] = (uint32_t)(i + 1);
	}
	return n <= SCAN_MAX ? addrs_lin(s) : 0;
}

static int addrs_build(struct sync_filter *f, const struct sync_conf_filter *cf)
{
	for (int fam = 0; fam < 2; fam++) {
		f->addr[fam].words = fam ? 4 : 1;
		f->addr[fam].keys = calloc(cf->n_nets ? cf->n_nets : 1,
					   sizeof(struct sync_filter_key));
		if (!f->addr[fam].keys)
			return -ENOMEM;
	}
	for (size_t i = 0; i < cf->n_nets; i++) {
		const struct sync_conf_net *c = &cf->nets[i];
		int fam = c->family == AF_INET6;
		struct sync_filter_addrs *s = &f->addr[fam];

		if ((c->family != AF_INET && c->family != AF_INET6) ||
		    c->plen > 32 * s->words)
			return -EINVAL;
		key_of(&s->keys[s->n++], &c->addr, c->plen, s->words);
	}
	for (int fam = 0; fam < 2; fam++) {
		int rc = addrs_index(&f->addr[fam]);

		if (rc < 0)
			return rc;
	}
	return 0;
}

int sync_filter_new(struct sync_filter **out, const struct sync_conf_filter *cf)
{
	struct sync_filter *f;
	int rc;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	if (cf) {
		f->set = cf->set & (SYNC_FILTER_PROTO | SYNC_FILTER_ADDR |
				    SYNC_FILTER_STATE);
		f->proto_ignore = !!cf->proto_ignore;
		f->addr_ignore = !!cf->addr_ignore;
		f->state_ignore = !!cf->state_ignore;
		memcpy(f->proto, cf->proto, sizeof(f->proto));
		f->states = cf->states;
		if (cf->n_nets && !cf->nets) {
			rc = -EINVAL;
			goto free_filter;
		}
		rc = addrs_build(f, cf);
		if (rc < 0)
			goto free_filter;
	}
	*out = f;
	return 0;
free_filter:
	sync_filter_free(f);
	return rc;
}

void sync_filter_free(struct sync_filter *f)
{
	if (!f)
		return;
	for (int fam = 0; fam < 2; fam++) {
		free(f->addr[fam].keys);
		free(f->addr[fam].slot);
		free(f->addr[fam].lin);
	}
	free(f);
}

/* upstream's ct_filter_sanity_check: the flow's family (the orig tuple's)
 * and the source addresses of both directions in it. */
static int flow_family(const struct ct_entry *e)
{
	const struct ct_tuple *o = &e->orig, *r = &e->reply;

	if (!(e->set & CT_ORIG) || !(e->set & CT_REPLY))
		return -1;
	if (o->l3 != AF_INET && o->l3 != AF_INET6)
		return -1;
	if (!(o->set & CT_TUPLE_SRC) || r->l3 != o->l3 ||
	    !(r->set & CT_TUPLE_SRC))
		return -1;
	return o->l3 == AF_INET6;
}

bool sync_filter_match(const struct sync_filter *f, const struct ct_entry *e)
{
	int fam = flow_family(e);
	uint8_t l4;
	bool in;

	if (fam < 0)
		return false;
	if (!f)
		return true;
	l4 = (e->orig.set & CT_TUPLE_PROTO) ? e->orig.l4 : 0;
	if (f->set & SYNC_FILTER_PROTO) {
		in = f->proto[l4 / 8] >> (l4 % 8) & 1;
		if (in == f->proto_ignore)
			return false;
	}
	if (f->set & SYNC_FILTER_ADDR) {
		in = addrs_has(&f->addr[fam], &e->orig.src) ||
		     addrs_has(&f->addr[fam], &e->reply.src);
		if (in == f->addr_ignore)
			return false;
	}
	/* TCP flows with a state only; the others pass */
	if ((f->set & SYNC_FILTER_STATE) && l4 == IPPROTO_TCP &&
	    (e->set & CT_TCP)) {
		in = e->tcp.state < 16 && (f->states >> e->tcp.state & 1);
		if (in == f->state_ignore)
			return false;
	}
	return true;
}

/* upstream's exp_filter_find: a listed name matches every helper name it
 * is a prefix of, case aside ("sip" takes "sip-5060"); an expectation
 * without a helper name matches none. An empty list filters nothing
 * (upstream never creates the filter then). */
bool sync_filter_expect(const struct sync_conf *conf,
			const struct ct_expect *x)
{
	unsigned int n;

	if (!conf || conf->sync.expect_sync == 0)
		return false;
	n = conf->sync.n_expect_helpers;
	if (n > SYNC_CONF_EXP_HELPERS)
		n = SYNC_CONF_EXP_HELPERS;
	if (conf->sync.expect_sync == 1 || n == 0)
		return true;
	if (!(x->set & CT_EXP_HELPER) || !x->helper)
		return false;
	for (unsigned int i = 0; i < n; i++) {
		const char *name = conf->sync.expect_helpers[i];
		size_t len = strnlen(name, SYNC_CONF_HELPER_NAME);

		if (strncasecmp(name, x->helper, len) == 0)
			return true;
	}
	return false;
}
