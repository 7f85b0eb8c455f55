// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Classic BPF outside the compiler: the checker (the rules of the kernel's
 * bpf_check_classic and check_load_and_stores, net/core/filter.c, a bit
 * stricter), an interpreter with the kernel's semantics including the
 * netlink ancillary loads (bpf_skb_get_nlattr, bpf_skb_get_nlattr_nest and
 * nla_find of lib/nlattr.c), for tests and fuzzing, and attaching a
 * program to a socket.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "nl/uapi.h"

#ifndef SO_ATTACH_FILTER
#define SO_ATTACH_FILTER 26
#endif
#ifndef SO_DETACH_FILTER
#define SO_DETACH_FILTER 27
#endif

#define AD_NLATTR	((uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR))
#define AD_NLATTR_NEST	((uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR_NEST))
#define NEG_OFF_MIN	0xffe00000U	/* SKF_LL_OFF: special offsets from here */

/* The opcodes bpf_check_classic() knows (its codes[] table). */
static bool code_known(uint16_t c)
{
	switch (c) {
	case CT_BPF_ALU | CT_BPF_ADD | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_ADD | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_SUB | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_SUB | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_MUL | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_MUL | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_DIV | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_DIV | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_MOD | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_MOD | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_AND | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_AND | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_OR | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_OR | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_XOR | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_XOR | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_LSH | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_RSH | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_RSH | CT_BPF_X:
	case CT_BPF_ALU | CT_BPF_NEG:
	case CT_BPF_LD | CT_BPF_W | CT_BPF_ABS:
	case CT_BPF_LD | CT_BPF_H | CT_BPF_ABS:
	case CT_BPF_LD | CT_BPF_B | CT_BPF_ABS:
	case CT_BPF_LD | CT_BPF_W | CT_BPF_LEN:
	case CT_BPF_LD | CT_BPF_W | CT_BPF_IND:
	case CT_BPF_LD | CT_BPF_H | CT_BPF_IND:
	case CT_BPF_LD | CT_BPF_B | CT_BPF_IND:
	case CT_BPF_LD | CT_BPF_IMM:
	case CT_BPF_LD | CT_BPF_MEM:
	case CT_BPF_LDX | CT_BPF_W | CT_BPF_LEN:
	case CT_BPF_LDX | CT_BPF_B | CT_BPF_MSH:
	case CT_BPF_LDX | CT_BPF_IMM:
	case CT_BPF_LDX | CT_BPF_MEM:
	case CT_BPF_ST:
	case CT_BPF_STX:
	case CT_BPF_MISC | CT_BPF_TAX:
	case CT_BPF_MISC | CT_BPF_TXA:
	case CT_BPF_RET | CT_BPF_K:
	case CT_BPF_RET | CT_BPF_A:
	case CT_BPF_JMP | CT_BPF_JA:
	case CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K:
	case CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_X:
	case CT_BPF_JMP | CT_BPF_JGE | CT_BPF_K:
	case CT_BPF_JMP | CT_BPF_JGE | CT_BPF_X:
	case CT_BPF_JMP | CT_BPF_JGT | CT_BPF_K:
	case CT_BPF_JMP | CT_BPF_JGT | CT_BPF_X:
	case CT_BPF_JMP | CT_BPF_JSET | CT_BPF_K:
	case CT_BPF_JMP | CT_BPF_JSET | CT_BPF_X:
		return true;
	}
	return false;
}

static bool is_cond_jump(uint16_t c)
{
	return CT_BPF_CLASS(c) == CT_BPF_JMP && CT_BPF_OP(c) != CT_BPF_JA;
}

/* One instruction on its own (bpf_check_classic's per-insn switch). */
static int check_insn(const struct ct_bpf_insn *in, size_t pc, size_t len)
{
	uint16_t c = in->code;

	if (!code_known(c))
		return -EINVAL;
	switch (c) {
	case CT_BPF_ALU | CT_BPF_DIV | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_MOD | CT_BPF_K:
		return in->k ? 0 : -EINVAL;
	case CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K:
	case CT_BPF_ALU | CT_BPF_RSH | CT_BPF_K:
		return in->k < 32 ? 0 : -EINVAL;
	case CT_BPF_LD | CT_BPF_MEM:
	case CT_BPF_LDX | CT_BPF_MEM:
	case CT_BPF_ST:
	case CT_BPF_STX:
		return in->k < CT_BPF_MEMWORDS ? 0 : -EINVAL;
	case CT_BPF_JMP | CT_BPF_JA:
		/* forward, inside: k < len - pc - 1 */
		return in->k < len - pc - 1 ? 0 : -EINVAL;
	case CT_BPF_LD | CT_BPF_W | CT_BPF_ABS:
		if (in->k == AD_NLATTR || in->k == AD_NLATTR_NEST)
			return 0;
		return in->k < NEG_OFF_MIN ? 0 : -EINVAL;
	case CT_BPF_LD | CT_BPF_H | CT_BPF_ABS:
	case CT_BPF_LD | CT_BPF_B | CT_BPF_ABS:
	case CT_BPF_LD | CT_BPF_W | CT_BPF_IND:
	case CT_BPF_LD | CT_BPF_H | CT_BPF_IND:
	case CT_BPF_LD | CT_BPF_B | CT_BPF_IND:
	case CT_BPF_LDX | CT_BPF_B | CT_BPF_MSH:
		return in->k < NEG_OFF_MIN ? 0 : -EINVAL;
	}
	if (is_cond_jump(c) &&
	    (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len))
		return -EINVAL;
	return 0;
}

/* check_load_and_stores: no scratch word read before a store on every
 * path to the read. masks[] holds what the jumps to each pc carry. */
static int check_mem(const struct ct_bpf_insn *insn, size_t len)
{
	uint16_t masks[CT_BPF_MAXINSNS];
	uint16_t valid = 0;

	memset(masks, 0xff, sizeof(masks));
	for (size_t pc = 0; pc < len; pc++) {
		const struct ct_bpf_insn *in = &insn[pc];

		valid &= masks[pc];
		switch (in->code) {
		case CT_BPF_ST:
		case CT_BPF_STX:
			valid |= (uint16_t)(1U << in->k);
			break;
		case CT_BPF_LD | CT_BPF_MEM:
		case CT_BPF_LDX | CT_BPF_MEM:
			if (!(valid & (1U << in->k)))
				return -EINVAL;
			break;
		case CT_BPF_JMP | CT_BPF_JA:
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (!is_cond_jump(in->code))
				break;
			masks[pc + 1 + in->jt] &= valid;
			masks[pc + 1 + in->jf] &= valid;
			valid = 0xffff;
			break;
		}
	}
	return 0;
}

int ct_bpf_check(const struct ct_bpf_insn *insn, size_t len)
{
	uint16_t last;

	if (!insn || len == 0 || len > CT_BPF_MAXINSNS)
		return -E2BIG;
	for (size_t pc = 0; pc < len; pc++)
		if (check_insn(&insn[pc], pc, len) < 0)
			return -EINVAL;
	last = insn[len - 1].code;
	if (last != (CT_BPF_RET | CT_BPF_K) && last != (CT_BPF_RET | CT_BPF_A))
		return -EINVAL;
	return check_mem(insn, len);
}

/* ---- interpreter ------------------------------------------------------ */

/* lib/nlattr.c nla_find over @rem bytes from @off; 0 if not found. */
static uint32_t nla_find(const uint8_t *pkt, size_t off, long rem,
			 uint32_t type)
{
	while (rem >= (long)NLA_HDRLEN) {
		struct nlattr h;

		memcpy(&h, pkt + off, sizeof(h));
		if (h.nla_len < NLA_HDRLEN || h.nla_len > rem)
			break;
		if ((uint32_t)(h.nla_type & NLA_TYPE_MASK) == type)
			return (uint32_t)off;
		off += NLA_ALIGN((size_t)h.nla_len);
		rem -= (long)NLA_ALIGN((size_t)h.nla_len);
	}
	return 0;
}

/* bpf_skb_get_nlattr(_nest): A = where, X = type. */
static uint32_t nlattr(const uint8_t *pkt, size_t len, uint32_t a, uint32_t x,
		       bool nest)
{
	struct nlattr h;

	if (len < NLA_HDRLEN || a > len - NLA_HDRLEN)
		return 0;
	if (!nest)
		return nla_find(pkt, a, (long)(len - a), x);
	memcpy(&h, pkt + a, sizeof(h));
	if (h.nla_len > len - a)
		return 0;
	return nla_find(pkt, a + NLA_HDRLEN, (long)h.nla_len - NLA_HDRLEN, x);
}

/* A big-endian load of @size bytes at @off; false when outside. */
static bool load(const uint8_t *pkt, size_t len, uint32_t off, uint16_t size,
		 uint32_t *out)
{
	size_t n = size == CT_BPF_W ? 4 : size == CT_BPF_H ? 2 : 1;
	uint32_t v = 0;

	if (n > len || off > len - n)
		return false;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | pkt[off + i];
	*out = v;
	return true;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v, bool *fail)
{
	switch (op) {
	case CT_BPF_ADD: return a + v;
	case CT_BPF_SUB: return a - v;
	case CT_BPF_MUL: return a * v;
	case CT_BPF_DIV:
		if (!v)
			*fail = true;
		return v ? a / v : 0;
	case CT_BPF_MOD:
		if (!v)
			*fail = true;
		return v ? a % v : 0;
	case CT_BPF_OR: return a | v;
	case CT_BPF_AND: return a & v;
	case CT_BPF_XOR: return a ^ v;
	case CT_BPF_LSH: return a << (v & 31);
	case CT_BPF_RSH: return a >> (v & 31);
	case CT_BPF_NEG: return -a;
	}
	*fail = true;
	return 0;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case CT_BPF_JEQ: return a == v;
	case CT_BPF_JGT: return a > v;
	case CT_BPF_JGE: return a >= v;
	case CT_BPF_JSET: return (a & v) != 0;
	}
	return false;
}

uint32_t ct_bpf_run(const struct ct_bpf_insn *insn, size_t len,
		    const uint8_t *pkt, size_t pktlen)
{
	uint32_t A = 0, X = 0, M[CT_BPF_MEMWORDS] = { 0 };

	for (size_t pc = 0; pc < len; pc++) {
		const struct ct_bpf_insn *in = &insn[pc];
		uint16_t c = in->code;
		uint32_t v = CT_BPF_SRC(c) == CT_BPF_X ? X : in->k;
		bool fail = false;

		switch (CT_BPF_CLASS(c)) {
		case CT_BPF_LD:
			switch (CT_BPF_MODE(c)) {
			case CT_BPF_IMM: A = in->k; break;
			case CT_BPF_MEM: A = M[in->k & 15]; break;
			case CT_BPF_LEN: A = (uint32_t)pktlen; break;
			case CT_BPF_ABS:
				if (in->k == AD_NLATTR || in->k == AD_NLATTR_NEST) {
					A = nlattr(pkt, pktlen, A, X,
						   in->k == AD_NLATTR_NEST);
					break;
				}
				if (!load(pkt, pktlen, in->k, CT_BPF_SIZE(c), &A))
					return 0;
				break;
			case CT_BPF_IND:
				if (!load(pkt, pktlen, X + in->k, CT_BPF_SIZE(c),
					  &A))
					return 0;
				break;
			default:
				return 0;
			}
			break;
		case CT_BPF_LDX:
			switch (CT_BPF_MODE(c)) {
			case CT_BPF_IMM: X = in->k; break;
			case CT_BPF_MEM: X = M[in->k & 15]; break;
			case CT_BPF_LEN: X = (uint32_t)pktlen; break;
			case CT_BPF_MSH:
				if (!load(pkt, pktlen, in->k, CT_BPF_B, &X))
					return 0;
				X = (X & 0xf) << 2;
				break;
			default:
				return 0;
			}
			break;
		case CT_BPF_ST: M[in->k & 15] = A; break;
		case CT_BPF_STX: M[in->k & 15] = X; break;
		case CT_BPF_ALU:
			A = alu(CT_BPF_OP(c), A, v, &fail);
			if (fail)
				return 0;
			break;
		case CT_BPF_JMP:
			if (CT_BPF_OP(c) == CT_BPF_JA)
				pc += in->k;
			else
				pc += jump_taken(CT_BPF_OP(c), A, v) ? in->jt
								     : in->jf;
			break;
		case CT_BPF_RET:
			return CT_BPF_RVAL(c) == CT_BPF_A ? A : in->k;
		case CT_BPF_MISC:
			if (CT_BPF_MISCOP(c) == CT_BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	return 0;
}

/* ---- sockets ---------------------------------------------------------- */

int ct_bpf_attach(int fd, const struct ct_bpf_prog *p)
{
	struct ct_bpf_fprog fp;

	if (!p || p->len == 0 || p->len > CT_BPF_MAXINSNS)
		return -EINVAL;
	fp.len = (unsigned short)p->len;
	fp.filter = (struct ct_bpf_insn *)(uintptr_t)p->insn;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
		return -errno;
	return 0;
}

int ct_bpf_detach(int fd)
{
	int dummy = 0;

	if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy,
		       sizeof(dummy)) < 0)
		return -errno;
	return 0;
}
