/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event monitor's filter as a classic BPF socket filter, so the kernel
 * drops the events nobody asked for before they are queued (and before
 * they can overrun the receive buffer). The program runs on each netlink
 * skb; a ctnetlink event skb holds exactly one message (nfnetlink_send of
 * the skb ctnetlink_conntrack_event/ctnetlink_expect_event built), so the
 * program sees nlmsghdr at offset 0, nfgenmsg at 16 and the CTA_*
 * attributes from 20 on, and finds attributes with the netlink ancillary
 * loads SKF_AD_NLATTR and SKF_AD_NLATTR_NEST.
 *
 * The program is a conservative pre-filter of ct_filter_match(): it never
 * drops an event that filter would accept. Anything it cannot judge
 * exactly (another message type, a message that is not the only one in
 * its skb, an attribute present twice or of the wrong size, a tuple
 * without the addresses of the message's family, filter parts it does
 * not compile: NAT, labels) is passed to userspace, which runs the full
 * filter on everything it receives anyway.
 *
 * Opcode values are the kernel's (include/uapi/linux/bpf_common.h,
 * linux/filter.h); the structures have the layout of struct sock_filter
 * and struct sock_fprog.
 */
#ifndef RAWCT_CT_BPF_H
#define RAWCT_CT_BPF_H

#include <stddef.h>
#include <stdint.h>

struct ct_filter;

/* ---- classic BPF (linux/bpf_common.h, linux/filter.h) ------------------ */

/* instruction classes */
#define CT_BPF_LD	0x00
#define CT_BPF_LDX	0x01
#define CT_BPF_ST	0x02
#define CT_BPF_STX	0x03
#define CT_BPF_ALU	0x04
#define CT_BPF_JMP	0x05
#define CT_BPF_RET	0x06
#define CT_BPF_MISC	0x07
#define CT_BPF_CLASS(c)	((c) & 0x07)
/* ld/ldx sizes */
#define CT_BPF_W	0x00
#define CT_BPF_H	0x08
#define CT_BPF_B	0x10
#define CT_BPF_SIZE(c)	((c) & 0x18)
/* ld/ldx modes */
#define CT_BPF_IMM	0x00
#define CT_BPF_ABS	0x20
#define CT_BPF_IND	0x40
#define CT_BPF_MEM	0x60
#define CT_BPF_LEN	0x80
#define CT_BPF_MSH	0xa0
#define CT_BPF_MODE(c)	((c) & 0xe0)
/* alu and jmp operations */
#define CT_BPF_ADD	0x00
#define CT_BPF_SUB	0x10
#define CT_BPF_MUL	0x20
#define CT_BPF_DIV	0x30
#define CT_BPF_OR	0x40
#define CT_BPF_AND	0x50
#define CT_BPF_LSH	0x60
#define CT_BPF_RSH	0x70
#define CT_BPF_NEG	0x80
#define CT_BPF_MOD	0x90
#define CT_BPF_XOR	0xa0
#define CT_BPF_JA	0x00
#define CT_BPF_JEQ	0x10
#define CT_BPF_JGT	0x20
#define CT_BPF_JGE	0x30
#define CT_BPF_JSET	0x40
#define CT_BPF_OP(c)	((c) & 0xf0)
/* operand source */
#define CT_BPF_K	0x00
#define CT_BPF_X	0x08
#define CT_BPF_SRC(c)	((c) & 0x08)
/* ret operand */
#define CT_BPF_A	0x10
#define CT_BPF_RVAL(c)	((c) & 0x18)
/* misc */
#define CT_BPF_TAX	0x00
#define CT_BPF_TXA	0x80
#define CT_BPF_MISCOP(c) ((c) & 0xf8)

#define CT_BPF_MAXINSNS	4096	/* BPF_MAXINSNS */
#define CT_BPF_MEMWORDS	16	/* BPF_MEMWORDS: scratch M[0..15] */

/* Ancillary loads: ld [SKF_AD_OFF + n] (linux/filter.h). */
#define CT_SKF_AD_OFF		(-0x1000)
#define CT_SKF_AD_NLATTR	12	/* A = offset of the first attribute of
					 * type X in the stream from offset A
					 * to the end of the skb, 0 if none */
#define CT_SKF_AD_NLATTR_NEST	16	/* same inside the nest whose header
					 * is at offset A */

/* struct sock_filter */
struct ct_bpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/* struct sock_fprog */
struct ct_bpf_fprog {
	unsigned short len;
	struct ct_bpf_insn *filter;
};

/* What the compiled program returns: "the whole packet" (a socket filter
 * trims the skb to the returned length), or 0 to drop it. */
#define CT_BPF_ACCEPT	0xffffffffU
#define CT_BPF_DROP	0U

/* A program; the caller owns it (32 KiB, keep it off small stacks). */
struct ct_bpf_prog {
	uint32_t len;
	struct ct_bpf_insn insn[CT_BPF_MAXINSNS];
};

/*
 * ct_bpf_compile - compile @f (the filter ct_filter_match applies to each
 * event) into @p. NULL or empty @f gives a program that accepts all.
 * Compiled: family, the orig/reply tuples of the compare (l3, protocol,
 * addresses, ports/GRE keys, icmp type/code/id, directional zones), CIDR
 * networks, mark/mask, status/mask, zone, secmark, id, timeout, TCP/SCTP/
 * DCCP state. Not compiled (left to userspace): NAT conditions, labels.
 * Returns 0, -E2BIG if the program would exceed CT_BPF_MAXINSNS, -EINVAL
 * for a NULL @p. The result always passes ct_bpf_check().
 */
int ct_bpf_compile(const struct ct_filter *f, struct ct_bpf_prog *p);

/*
 * ct_bpf_check - the kernel's checks of a classic program (bpf_check_classic
 * and check_load_and_stores in net/core/filter.c), plus ours:
 *   1..CT_BPF_MAXINSNS instructions; only opcodes the kernel accepts;
 *   jumps forward and inside the program (ja k < len - pc - 1, pc + jt + 1
 *   and pc + jf + 1 < len); division or modulo by constant 0 and shifts by
 *   32 or more refused; scratch indexes below CT_BPF_MEMWORDS and no
 *   scratch word read on a path where it was not stored first; the last
 *   instruction a return (so every path returns); ancillary loads only
 *   SKF_AD_NLATTR and SKF_AD_NLATTR_NEST as ld w, and no other negative
 *   absolute offset (both stricter than the kernel).
 * Returns 0, -EINVAL naming nothing more (the fuzzer only needs yes/no),
 * or -E2BIG for a bad length.
 */
int ct_bpf_check(const struct ct_bpf_insn *insn, size_t len);

/*
 * ct_bpf_run - run @len instructions of @insn on the packet @pkt (@pktlen
 * bytes, a netlink skb starting at its nlmsghdr) the way the kernel does:
 * A, X and the scratch words start at 0; a load outside the packet or a
 * division by X = 0 ends the program with 0; shifts by X use X & 31;
 * SKF_AD_NLATTR/_NEST follow bpf_skb_get_nlattr/_nest (nla_find). The
 * program must have passed ct_bpf_check(). Returns the program's verdict
 * (0 = drop). Test and fuzz code only; nothing in the programs calls it.
 */
uint32_t ct_bpf_run(const struct ct_bpf_insn *insn, size_t len,
		    const uint8_t *pkt, size_t pktlen);

/*
 * ct_bpf_attach - attach @p to socket @fd (SO_ATTACH_FILTER; replaces a
 * filter already there). The kernel checks the program again. Returns 0
 * or -errno (-EINVAL for a program the kernel refuses, -ENOMEM).
 * ct_bpf_detach - remove it (SO_DETACH_FILTER); 0, or -ENOENT when none.
 */
int ct_bpf_attach(int fd, const struct ct_bpf_prog *p);
int ct_bpf_detach(int fd);

#endif
