// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's Filter as a classic BPF socket filter for the event socket
 * (`Filter From Kernelspace`), built with ct/bpf_emit. For a conntrack
 * event it decides exactly what sync_filter_match() decides on the entry
 * ct_entry_decode() makes of it; what it cannot judge it accepts.
 *
 * Program layout:
 *   header    one ctnetlink CT_NEW/CT_DELETE filling the skb, else accept
 *   orig      CTA_TUPLE_ORIG (absent: the kernel always sends it, so the
 *             skb is not linear and NLATTR finds nothing: accept); the l4
 *             protocol into M_L4 when a set needs it (0 without
 *             CTA_PROTO_NUM, as decoded); the family as the decoder picks
 *             it: an IPv4 address in CTA_TUPLE_IP makes it IPv4 (which
 *             then needs CTA_IP_V4_SRC), else CTA_IP_V6_SRC makes it IPv6,
 *             else drop; the source's offset into M_SRC(0)
 *   per family, twice:
 *     reply   CTA_TUPLE_REPLY with the source of the family (IPv6: and no
 *             IPv4 address) into M_SRC(1), else drop
 *     sets    protocol: M_L4 in the set; state: TCP flows with
 *             CTA_PROTOINFO_TCP_STATE only; address: each source masked
 *             per prefix length present, looked up among the keys of the
 *             family (sync/filter_int.h)
 *     accept
 *   drop
 * A set of values compiles to a binary search (jge) down to leaves of
 * compares (jeq); the keys of one prefix length to a trie over their
 * masked 32-bit words, a binary search at the last word, a scan of the
 * distinct values at the words before it, and a row of compares once one
 * key is left. That code is emitted once per source (classic BPF has no
 * calls): about 2.5 instructions per IPv4 host or IPv6 host under a
 * common /96, up to about 20 for IPv6 hosts that share no word.
 * Attributes found twice in their stream or of the wrong size accept
 * (ct_bpf_emit_locate), as the decoder keeps the last one and refuses
 * wrong sizes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "ct/bpf_emit.h"
#include "nl/uapi.h"
#include "sync/filter.h"
#include "sync/filter_int.h"

#define M_L4		(CT_BPF_M_FREE + 0)
#define M_SRC(d)	(CT_BPF_M_FREE + 1 + (d))	/* orig, reply */
#define LEAF		32	/* compares in a row, at most */

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Sorted distinct values: an array, or word w of a range of keys. */
struct vals {
	const uint32_t *arr;
	const struct sync_filter_key *keys;
	unsigned int w;
};

static uint32_t val(const struct vals *v, size_t i)
{
	if (v->arr)
		return v->arr[i];
	return be32_at(v->keys[i].addr.v6 + 4 * v->w);
}

/* A is a value: goto @hit if it is one of v[lo..hi), else goto @miss. */
static void in_set(struct ct_bpf_asm *a, const struct vals *v, size_t lo,
		   size_t hi, struct ct_bpf_label *hit,
		   struct ct_bpf_label *miss)
{
	if (hi - lo > LEAF) {
		size_t mid = lo + (hi - lo) / 2;
		struct ct_bpf_label right = { 0 };

		ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_K, 0, 1,
			    val(v, mid));
		ct_bpf_emit_ja(a, &right);
		in_set(a, v, lo, mid, hit, miss);
		ct_bpf_emit_label(a, &right);
		in_set(a, v, mid, hi, hit, miss);
		return;
	}
	/* each equal compare lands on the `ja hit' after the `ja miss' */
	for (size_t i = lo; i < hi; i++)
		ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K,
			    (uint8_t)(hi - i), 0, val(v, i));
	ct_bpf_emit_ja(a, miss);
	if (hi > lo)
		ct_bpf_emit_ja(a, hit);
}

/* A = word @w of the address attribute at X, masked by @m. */
static void load_word(struct ct_bpf_asm *a, unsigned int w, uint32_t m)
{
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_IND,
			 NLA_HDRLEN + 4 * w);
	if (m != UINT32_MAX)
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_AND | CT_BPF_K, m);
}

static uint32_t mask_word(const struct sync_filter_addrs *s,
			  const union ct_addr *mask, unsigned int w)
{
	return w < s->words ? be32_at(mask->v6 + 4 * w) : 0;
}

/* X = an address attribute, @k the one key left, its first @w words
 * compared: the others in a row, each mismatch to a last `ja miss'. */
static void key_is(struct ct_bpf_asm *a, const struct sync_filter_addrs *s,
		   const struct sync_filter_key *k, unsigned int w,
		   const union ct_addr *mask, struct ct_bpf_label *hit,
		   struct ct_bpf_label *miss)
{
	unsigned int end = w, left = 1;		/* the `ja hit' */

	for (; mask_word(s, mask, end); end++)
		left += mask_word(s, mask, end) == UINT32_MAX ? 2 : 3;
	for (unsigned int u = w; u < end; u++) {
		uint32_t m = mask_word(s, mask, u);

		left -= m == UINT32_MAX ? 2 : 3;
		load_word(a, u, m);
		ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0,
			    (uint8_t)left, be32_at(k->addr.v6 + 4 * u));
	}
	ct_bpf_emit_ja(a, hit);
	if (end > w)
		ct_bpf_emit_ja(a, miss);
}

/* X = an address attribute; keys[lo..hi), all of the prefix whose mask is
 * @mask, share their first @w words: goto @hit if the address masked is
 * one of them, else goto @miss. */
static void keys_in(struct ct_bpf_asm *a, const struct sync_filter_addrs *s,
		    size_t lo, size_t hi, unsigned int w,
		    const union ct_addr *mask, struct ct_bpf_label *hit,
		    struct ct_bpf_label *miss)
{
	struct vals v = { .keys = s->keys, .w = w };
	uint32_t m = mask_word(s, mask, w);

	if (m == 0 || hi - lo == 1) {
		key_is(a, s, &s->keys[lo], w, mask, hit, miss);
		return;
	}
	load_word(a, w, m);
	if (mask_word(s, mask, w + 1) == 0) {
		in_set(a, &v, lo, hi, hit, miss);
		return;
	}
	/* a scan of the groups of equal word w: A keeps that word, since a
	 * group's code is only run, never jumped over into the next one */
	for (size_t i = lo, j; i < hi; i = j) {
		struct ct_bpf_label next = { 0 };
		uint32_t x = val(&v, i), at = a->p->len;

		for (j = i + 1; j < hi && val(&v, j) == x; j++)
			;
		if (j - i == 1) {	/* one key: jf over its few compares */
			ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0, 0,
				    x);
			key_is(a, s, &s->keys[i], w + 1, mask, hit, miss);
			if (!a->err)
				a->p->insn[at].jf =
					(uint8_t)(a->p->len - at - 1);
			continue;
		}
		ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, x);
		ct_bpf_emit_ja(a, &next);
		keys_in(a, s, i, j, w + 1, mask, hit, miss);
		ct_bpf_emit_label(a, &next);
	}
	ct_bpf_emit_ja(a, miss);
}

/* Either source in the family's keys: Accept goes on, Ignore drops. */
static void addresses(struct ct_bpf_asm *a, const struct sync_filter *f,
		      int fam, struct ct_bpf_label *drop)
{
	const struct sync_filter_addrs *s = &f->addr[fam];
	struct ct_bpf_label ok = { 0 };
	struct ct_bpf_label *hit = f->addr_ignore ? drop : &ok;

	for (int d = 0; d < 2; d++) {
		size_t lo = 0, hi;

		for (unsigned int g = 0; g < s->nplen; g++, lo = hi) {
			struct ct_bpf_label miss = { 0 };
			union ct_addr mask;

			for (hi = lo; hi < s->n && s->keys[hi].plen ==
				      s->plen[g]; hi++)
				;
			sync_filter_mask(&mask, s->plen[g], s->words);
			ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_SRC(d));
			keys_in(a, s, lo, hi, 0, &mask, hit, &miss);
			ct_bpf_emit_label(a, &miss);
		}
	}
	if (!f->addr_ignore) {
		ct_bpf_emit_ja(a, drop);
		ct_bpf_emit_label(a, &ok);
	}
}

/* A is a value, @in/@n the set: Accept (@ignore 0) goes on when A is in
 * it and drops otherwise, Ignore the other way round. */
static void set_test(struct ct_bpf_asm *a, const uint32_t *in, size_t n,
		     int ignore, struct ct_bpf_label *drop)
{
	struct vals v = { .arr = in };
	struct ct_bpf_label ok = { 0 };

	if (ignore)
		in_set(a, &v, 0, n, drop, &ok);
	else
		in_set(a, &v, 0, n, &ok, drop);
	ct_bpf_emit_label(a, &ok);
}

static void protocols(struct ct_bpf_asm *a, const struct sync_filter *f,
		      struct ct_bpf_label *drop)
{
	uint32_t in[256];
	size_t n = 0;

	for (unsigned int p = 0; p < 256; p++)
		if (f->proto[p / 8] >> (p % 8) & 1)
			in[n++] = p;
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_MEM, M_L4);
	set_test(a, in, n, f->proto_ignore, drop);
}

/* TCP flows with a state only: the others pass. */
static void states(struct ct_bpf_asm *a, const struct sync_filter *f,
		   struct ct_bpf_label *drop)
{
	struct ct_bpf_label skip = { 0 };
	uint32_t in[16];
	size_t n = 0;

	for (unsigned int s = 0; s < 16; s++)
		if (f->states >> s & 1)
			in[n++] = s;
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_MEM, M_L4);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, IPPROTO_TCP);
	ct_bpf_emit_ja(a, &skip);
	ct_bpf_emit_locate(a, 0, CTA_PROTOINFO, 0, &skip);
	ct_bpf_emit_locate(a, 1, CTA_PROTOINFO_TCP, 0, &skip);
	ct_bpf_emit_locate(a, 2, CTA_PROTOINFO_TCP_STATE, NLA_HDRLEN + 1,
			   &skip);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, NLA_HDRLEN);
	set_test(a, in, n, f->state_ignore, drop);
	ct_bpf_emit_label(a, &skip);
}

/* Drop if attribute @type is present at level @lvl. */
static void drop_if_present(struct ct_bpf_asm *a, int lvl, uint16_t type,
			    struct ct_bpf_label *drop)
{
	ct_bpf_emit_find(a, lvl, type);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, 0);
	ct_bpf_emit_ja(a, drop);
}

/* Everything after the orig tuple, for a flow of family @fam. */
static void flow(struct ct_bpf_asm *a, const struct sync_filter *f, int fam,
		 struct ct_bpf_label *drop)
{
	ct_bpf_emit_locate(a, 0, CTA_TUPLE_REPLY, 0, drop);
	ct_bpf_emit_locate(a, 1, CTA_TUPLE_IP, 0, drop);
	if (fam) {
		drop_if_present(a, 2, CTA_IP_V4_SRC, drop);
		drop_if_present(a, 2, CTA_IP_V4_DST, drop);
		ct_bpf_emit_locate(a, 2, CTA_IP_V6_SRC, NLA_HDRLEN + 16,
				   drop);
	} else {
		ct_bpf_emit_locate(a, 2, CTA_IP_V4_SRC, NLA_HDRLEN + 4, drop);
	}
	ct_bpf_emit_stmt(a, CT_BPF_STX, M_SRC(1));
	if (f && (f->set & SYNC_FILTER_PROTO))
		protocols(a, f, drop);
	if (f && (f->set & SYNC_FILTER_STATE))
		states(a, f, drop);
	if (f && (f->set & SYNC_FILTER_ADDR))
		addresses(a, f, fam, drop);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
}

/* M_L4 = the orig tuple's CTA_PROTO_NUM, 0 without one. */
static void orig_l4(struct ct_bpf_asm *a)
{
	struct ct_bpf_label none = { 0 };

	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_IMM, 0);
	ct_bpf_emit_stmt(a, CT_BPF_ST, M_L4);
	ct_bpf_emit_locate(a, 1, CTA_TUPLE_PROTO, 0, &none);
	ct_bpf_emit_locate(a, 2, CTA_PROTO_NUM, NLA_HDRLEN + 1, &none);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, NLA_HDRLEN);
	ct_bpf_emit_stmt(a, CT_BPF_ST, M_L4);
	ct_bpf_emit_label(a, &none);
}

/* Drops a message whose nlmsg_pid is @portid (an event our own request
 * caused: ctnetlink puts the requester's portid there); shorter ones are
 * accepted (ld would drop them). */
static void skip_portid(struct ct_bpf_asm *a, uint32_t portid)
{
	uint8_t b[4];

	memcpy(b, &portid, sizeof(b));	/* host order, as on the wire */
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_LEN, 0);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_K, 1, 0, 16);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 12);
	ct_bpf_emit_ret_if_eq(a, be32_at(b), CT_BPF_DROP);
}

int sync_filter_bpf(const struct sync_filter *f, const uint32_t *skip,
		    unsigned int nskip, struct ct_bpf_prog *p)
{
	struct ct_bpf_label drop = { 0 }, v6 = { 0 };
	struct ct_bpf_asm a;
	int skipped = 0;

	if (!p)
		return -EINVAL;
	ct_bpf_emit_init(&a, p);
	for (unsigned int i = 0; skip && i < nskip; i++) {
		if (skip[i] == 0)
			continue;
		skip_portid(&a, skip[i]);
		skipped = 1;
	}
	if (skipped) {
		if (!f) {
			ct_bpf_emit_ret(&a, CT_BPF_ACCEPT);
			return ct_bpf_emit_finish(&a);
		}
	}
	ct_bpf_emit_header(&a);
	ct_bpf_emit_locate(&a, 0, CTA_TUPLE_ORIG, 0, NULL);
	if (f && (f->set & (SYNC_FILTER_PROTO | SYNC_FILTER_STATE)))
		orig_l4(&a);
	ct_bpf_emit_locate(&a, 1, CTA_TUPLE_IP, 0, &drop);
	ct_bpf_emit_locate(&a, 2, CTA_IP_V4_SRC, NLA_HDRLEN + 4, &v6);
	ct_bpf_emit_stmt(&a, CT_BPF_STX, M_SRC(0));
	flow(&a, f, 0, &drop);
	ct_bpf_emit_label(&a, &v6);
	drop_if_present(&a, 2, CTA_IP_V4_DST, &drop);
	ct_bpf_emit_locate(&a, 2, CTA_IP_V6_SRC, NLA_HDRLEN + 16, &drop);
	ct_bpf_emit_stmt(&a, CT_BPF_STX, M_SRC(0));
	flow(&a, f, 1, &drop);
	ct_bpf_emit_label(&a, &drop);
	ct_bpf_emit_ret(&a, CT_BPF_DROP);
	return ct_bpf_emit_finish(&a);
}
