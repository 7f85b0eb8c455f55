/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The classic BPF assembler the ctnetlink filter compilers share (ct/bpf.c
 * for conntrack -E, sync/filter_bpf.c for conntrackd's Filter): a program
 * buffer with a sticky error, forward labels patched when placed, and the
 * idioms of judging one ctnetlink event in an skb: the message prologue,
 * finding an attribute with SKF_AD_NLATTR(_NEST) and checking that it is
 * the only one of its type and of the size the decoder insists on,
 * loading host-order netlink lengths. Internal to the compilers, not an
 * API: no program outside ct/ and sync/ includes it.
 *
 * The event layout: nlmsghdr at 0, nfgenmsg at 16, the CTA_* attributes
 * from 20 on. Scratch words used here: M[0..2] the offset of the
 * attribute found at nesting level 0..2, M[3..5] the end of the nest found
 * at that level, M[6] a temporary; M[CT_BPF_M_FREE..15] are the caller's.
 */
#ifndef RAWCT_CT_BPF_EMIT_H
#define RAWCT_CT_BPF_EMIT_H

#include <stdint.h>

#include "ct/bpf.h"

#define CT_BPF_ATTRS_OFF	20	/* nlmsghdr + nfgenmsg */
#define CT_BPF_FAMILY_OFF	16	/* nfgenmsg.nfgen_family */
#define CT_BPF_M_OFF(l)		(l)
#define CT_BPF_M_END(l)		(3 + (l))
#define CT_BPF_M_TMP		6
#define CT_BPF_M_FREE		7

/* A program being assembled. Every emitter does nothing once err is set
 * (-E2BIG: the program is full; -EINVAL: a jump backwards). */
struct ct_bpf_asm {
	struct ct_bpf_prog *p;
	int err;
	int le;			/* the host is little endian */
	uint32_t pending;	/* jumps still waiting for their label */
};

/* A forward label: the jumps to it (ja) chain through their k fields
 * until ct_bpf_emit_label() places it and patches them. Zero-initialise;
 * a label is placed once, after its jumps. */
struct ct_bpf_label {
	uint32_t head;		/* 1 + pc of the last jump to it, 0: none */
	uint8_t placed;
};

/* Starts an empty program in @p. */
void ct_bpf_emit_init(struct ct_bpf_asm *a, struct ct_bpf_prog *p);

/* Ends it: the sticky error, -EINVAL if a jump's label was never placed,
 * else ct_bpf_check() of the program. */
int ct_bpf_emit_finish(struct ct_bpf_asm *a);

/* One instruction; a statement (jt = jf = 0). */
void ct_bpf_emit(struct ct_bpf_asm *a, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k);
void ct_bpf_emit_stmt(struct ct_bpf_asm *a, uint16_t code, uint32_t k);

/* ja to @l (not yet placed); place @l here. */
void ct_bpf_emit_ja(struct ct_bpf_asm *a, struct ct_bpf_label *l);
void ct_bpf_emit_label(struct ct_bpf_asm *a, struct ct_bpf_label *l);

/* return v; if (A == k) return v; if (A != k) return v; if (A == k)
 * goto l. */
void ct_bpf_emit_ret(struct ct_bpf_asm *a, uint32_t v);
void ct_bpf_emit_ret_if_eq(struct ct_bpf_asm *a, uint32_t k, uint32_t v);
void ct_bpf_emit_ret_if_ne(struct ct_bpf_asm *a, uint32_t k, uint32_t v);
void ct_bpf_emit_goto_if_eq(struct ct_bpf_asm *a, uint32_t k,
			    struct ct_bpf_label *l);

/* What ld h gives for a host-order u16 on the wire (nla_len, the
 * nlmsg_type). */
uint32_t ct_bpf_emit_view16(uint16_t v);

/* A = host-order u16 at [X + 0] (an nla_len); clobbers X and M_TMP. */
void ct_bpf_emit_load_host16_x(struct ct_bpf_asm *a);

/* A = host-order nlmsg_len; clobbers X and M_TMP. */
void ct_bpf_emit_load_nlmsg_len(struct ct_bpf_asm *a);

/*
 * The start of every event program: accept (do not judge) unless the skb
 * holds nlmsghdr + nfgenmsg, nlmsg_len is the skb's length (one message)
 * and the type is a ctnetlink IPCTNL_MSG_CT_NEW or _DELETE.
 */
void ct_bpf_emit_header(struct ct_bpf_asm *a);

/* A = NLATTR(ATTRS_OFF, type) at level 0, NLATTR_NEST(M_OFF(lvl - 1),
 * type) below: the offset of the first such attribute, 0 if none. */
void ct_bpf_emit_find(struct ct_bpf_asm *a, int lvl, uint16_t type);

/*
 * ct_bpf_emit_locate - find attribute @type at level @lvl (0: the
 * message's attributes; n: in the nest found at level n - 1), leaving its
 * offset in X and M_OFF(lvl). @len: the exact nla_len of a leaf, or 0 for
 * a nest (whose end goes to M_END(lvl)). Absent: goto @absent, or accept
 * when @absent is NULL. Of another size, or present twice in its stream
 * (the kernel's NLATTR finds the first, our decoder keeps the last):
 * accept.
 */
void ct_bpf_emit_locate(struct ct_bpf_asm *a, int lvl, uint16_t type,
			uint16_t len, struct ct_bpf_label *absent);

/* Accepts unless attribute @type is absent at level @lvl. */
void ct_bpf_emit_require_absent(struct ct_bpf_asm *a, int lvl,
				uint16_t type);

/* A is a value; drop unless (A & mask) == want. */
void ct_bpf_emit_match(struct ct_bpf_asm *a, uint32_t mask, uint32_t want);

#endif
