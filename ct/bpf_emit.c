// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared classic BPF assembler of the ctnetlink filter compilers (see
 * ct/bpf_emit.h): instruction and label emitters, and the attribute walk
 * with SKF_AD_NLATTR(_NEST). Every jump it emits goes forward, a
 * conditional one by a few instructions and anything farther by ja, whose
 * offset is 32 bits, so no 8-bit jt/jf ever overflows.
 */
#include <errno.h>
#include <string.h>

#include "ct/bpf_emit.h"
#include "nl/uapi.h"

void ct_bpf_emit_init(struct ct_bpf_asm *a, struct ct_bpf_prog *p)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	*a = (struct ct_bpf_asm){ .p = p, .le = first == 1 };
	p->len = 0;
}

int ct_bpf_emit_finish(struct ct_bpf_asm *a)
{
	if (a->err)
		return a->err;
	if (a->pending)
		return -EINVAL;
	return ct_bpf_check(a->p->insn, a->p->len);
}

void ct_bpf_emit(struct ct_bpf_asm *a, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k)
{
	if (a->err)
		return;
	if (a->p->len >= CT_BPF_MAXINSNS) {
		a->err = -E2BIG;
		return;
	}
	a->p->insn[a->p->len++] = (struct ct_bpf_insn){ code, jt, jf, k };
}

void ct_bpf_emit_stmt(struct ct_bpf_asm *a, uint16_t code, uint32_t k)
{
	ct_bpf_emit(a, code, 0, 0, k);
}

/* The chain: each waiting ja holds in k the previous head (0 ends it). */
void ct_bpf_emit_ja(struct ct_bpf_asm *a, struct ct_bpf_label *l)
{
	if (!a->err && l->placed)
		a->err = -EINVAL;
	ct_bpf_emit_stmt(a, CT_BPF_JMP | CT_BPF_JA, l->head);
	if (a->err)
		return;
	l->head = a->p->len;
	a->pending++;
}

void ct_bpf_emit_label(struct ct_bpf_asm *a, struct ct_bpf_label *l)
{
	uint32_t at = l->head;

	while (!a->err && at) {
		struct ct_bpf_insn *in = &a->p->insn[at - 1];

		at = in->k;
		in->k = a->p->len - (uint32_t)(in - a->p->insn) - 1;
		a->pending--;
	}
	l->head = 0;
	l->placed = 1;
}

void ct_bpf_emit_ret(struct ct_bpf_asm *a, uint32_t v)
{
	ct_bpf_emit_stmt(a, CT_BPF_RET | CT_BPF_K, v);
}

void ct_bpf_emit_ret_if_eq(struct ct_bpf_asm *a, uint32_t k, uint32_t v)
{
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0, 1, k);
	ct_bpf_emit_ret(a, v);
}

void ct_bpf_emit_ret_if_ne(struct ct_bpf_asm *a, uint32_t k, uint32_t v)
{
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, k);
	ct_bpf_emit_ret(a, v);
}

void ct_bpf_emit_goto_if_eq(struct ct_bpf_asm *a, uint32_t k,
			    struct ct_bpf_label *l)
{
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0, 1, k);
	ct_bpf_emit_ja(a, l);
}

uint32_t ct_bpf_emit_view16(uint16_t v)
{
	uint8_t b[2];

	memcpy(b, &v, 2);
	return (uint32_t)b[0] << 8 | b[1];
}

void ct_bpf_emit_load_host16_x(struct ct_bpf_asm *a)
{
	if (!a->le) {
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND, 0);
		return;
	}
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, 0);
	ct_bpf_emit_stmt(a, CT_BPF_ST, CT_BPF_M_TMP);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, 1);
	ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K, 8);
	ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, CT_BPF_M_TMP);
	ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_OR | CT_BPF_X, 0);
}

void ct_bpf_emit_load_nlmsg_len(struct ct_bpf_asm *a)
{
	if (!a->le) {
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0);
		return;
	}
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, 3);
	for (int i = 2; i >= 0; i--) {
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K, 8);
		ct_bpf_emit_stmt(a, CT_BPF_ST, CT_BPF_M_TMP);
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS,
				 (uint32_t)i);
		ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, CT_BPF_M_TMP);
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_OR | CT_BPF_X, 0);
	}
}

void ct_bpf_emit_header(struct ct_bpf_asm *a)
{
	uint16_t ct_new = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	uint16_t ct_del = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;

	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_LEN, 0);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_K, 1, 0,
		    CT_BPF_ATTRS_OFF);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
	ct_bpf_emit_load_nlmsg_len(a);
	ct_bpf_emit_stmt(a, CT_BPF_MISC | CT_BPF_TAX, 0);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_LEN, 0);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_X, 1, 0, 0);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_ABS, 4);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 2, 0,
		    ct_bpf_emit_view16(ct_new));
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0,
		    ct_bpf_emit_view16(ct_del));
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
}

void ct_bpf_emit_find(struct ct_bpf_asm *a, int lvl, uint16_t type)
{
	if (lvl == 0)
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_IMM, CT_BPF_ATTRS_OFF);
	else
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_MEM,
				 CT_BPF_M_OFF(lvl - 1));
	ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_IMM, type);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS,
			 (uint32_t)(CT_SKF_AD_OFF +
				    (lvl ? CT_SKF_AD_NLATTR_NEST :
					   CT_SKF_AD_NLATTR)));
}

/* A = just past the attribute found at @lvl: accept if another of @type
 * follows in its stream. The search runs to the end of the skb, so below
 * the top level a hit at or past the parent nest's end is not in the
 * stream. */
static void unique(struct ct_bpf_asm *a, int lvl, uint16_t type)
{
	ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_IMM, type);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS,
			 (uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR));
	if (lvl == 0) {
		ct_bpf_emit_ret_if_ne(a, 0, CT_BPF_ACCEPT);
		return;
	}
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 3, 0, 0);
	ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, CT_BPF_M_END(lvl - 1));
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_X, 1, 0, 0);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
}

void ct_bpf_emit_locate(struct ct_bpf_asm *a, int lvl, uint16_t type,
			uint16_t len, struct ct_bpf_label *absent)
{
	ct_bpf_emit_find(a, lvl, type);
	if (!absent)
		ct_bpf_emit_ret_if_eq(a, 0, CT_BPF_ACCEPT);
	else
		ct_bpf_emit_goto_if_eq(a, 0, absent);
	ct_bpf_emit_stmt(a, CT_BPF_ST, CT_BPF_M_OFF(lvl));
	ct_bpf_emit_stmt(a, CT_BPF_MISC | CT_BPF_TAX, 0);
	if (len) {
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND, 0);
		ct_bpf_emit_ret_if_ne(a, ct_bpf_emit_view16(len),
				      CT_BPF_ACCEPT);
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_MEM, CT_BPF_M_OFF(lvl));
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_K,
				 NLA_ALIGN(len));
	} else {
		ct_bpf_emit_load_host16_x(a);
		ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, CT_BPF_M_OFF(lvl));
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_X, 0);
		ct_bpf_emit_stmt(a, CT_BPF_ST, CT_BPF_M_END(lvl));
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_K,
				 NLA_ALIGNTO - 1);
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_AND | CT_BPF_K,
				 ~(uint32_t)(NLA_ALIGNTO - 1));
	}
	unique(a, lvl, type);
	ct_bpf_emit_stmt(a, CT_BPF_LDX | CT_BPF_MEM, CT_BPF_M_OFF(lvl));
}

void ct_bpf_emit_require_absent(struct ct_bpf_asm *a, int lvl, uint16_t type)
{
	ct_bpf_emit_find(a, lvl, type);
	ct_bpf_emit_ret_if_ne(a, 0, CT_BPF_ACCEPT);
}

void ct_bpf_emit_match(struct ct_bpf_asm *a, uint32_t mask, uint32_t want)
{
	if (mask != UINT32_MAX)
		ct_bpf_emit_stmt(a, CT_BPF_ALU | CT_BPF_AND | CT_BPF_K, mask);
	ct_bpf_emit_ret_if_ne(a, want, CT_BPF_DROP);
}
