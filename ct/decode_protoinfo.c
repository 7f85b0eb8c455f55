// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack protocol state decoding (ct/decode_int.h): the CTA_PROTOINFO
 * nest and the per-protocol nest inside it, each one policy table deeper,
 *   CTA_PROTOINFO { TCP { STATE, WSCALE_ORIGINAL/REPLY, FLAGS_ORIGINAL/REPLY }
 *                 | SCTP { STATE, VTAG_ORIGINAL/REPLY }
 *                 | DCCP { STATE, ROLE, HANDSHAKE_SEQ } }
 * into the entry's tcp, sctp and dccp parts; the entry decoder
 * (ct/decode.c) calls it for the nest.
 */
#include "ct/decode_int.h"

static const struct nl_attr_policy protoinfo_pol[CTA_PROTOINFO_MAX + 1] = {
	[CTA_PROTOINFO_TCP] = NEST,
	[CTA_PROTOINFO_DCCP] = NEST,
	[CTA_PROTOINFO_SCTP] = NEST,
};

static const struct nl_attr_policy tcp_pol[CTA_PROTOINFO_TCP_MAX + 1] = {
	[CTA_PROTOINFO_TCP_STATE] = U8,
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] = U8,
	[CTA_PROTOINFO_TCP_WSCALE_REPLY] = U8,
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = BIN(2),	/* {flags, mask} */
	[CTA_PROTOINFO_TCP_FLAGS_REPLY] = BIN(2),
};

static const struct nl_attr_policy dccp_pol[CTA_PROTOINFO_DCCP_MAX + 1] = {
	[CTA_PROTOINFO_DCCP_STATE] = U8,
	[CTA_PROTOINFO_DCCP_ROLE] = U8,
	[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ] = U64,
};

static const struct nl_attr_policy sctp_pol[CTA_PROTOINFO_SCTP_MAX + 1] = {
	[CTA_PROTOINFO_SCTP_STATE] = U8,
	[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL] = U32,
	[CTA_PROTOINFO_SCTP_VTAG_REPLY] = U32,
};

static void decode_tcp(const struct nlattr *const *tb, struct ct_entry *e)
{
	static const uint16_t fl[2] = { CTA_PROTOINFO_TCP_FLAGS_ORIGINAL,
					CTA_PROTOINFO_TCP_FLAGS_REPLY };
	const uint8_t *p;

	if (tb[CTA_PROTOINFO_TCP_STATE]) {
		e->tcp.state = nl_attr_get_u8(tb[CTA_PROTOINFO_TCP_STATE]);
		e->set |= CT_TCP;
	}
	if (tb[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] &&
	    tb[CTA_PROTOINFO_TCP_WSCALE_REPLY]) {
		e->tcp.wscale[CT_DIR_ORIG] =
			nl_attr_get_u8(tb[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL]);
		e->tcp.wscale[CT_DIR_REPLY] =
			nl_attr_get_u8(tb[CTA_PROTOINFO_TCP_WSCALE_REPLY]);
		e->set |= CT_TCP_WSCALE;
	}
	if (tb[fl[0]] && tb[fl[1]]) {
		for (int d = 0; d < 2; d++) {
			p = nl_attr_data(tb[fl[d]]);
			e->tcp.flags[d] = p[0];
			e->tcp.mask[d] = p[1];
		}
		e->set |= CT_TCP_FLAGS;
	}
}

static void decode_sctp(const struct nlattr *const *tb, struct ct_entry *e)
{
	if (tb[CTA_PROTOINFO_SCTP_STATE]) {
		e->sctp.state = nl_attr_get_u8(tb[CTA_PROTOINFO_SCTP_STATE]);
		e->set |= CT_SCTP;
	}
	if (tb[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL] &&
	    tb[CTA_PROTOINFO_SCTP_VTAG_REPLY]) {
		e->sctp.vtag[CT_DIR_ORIG] =
		     nl_attr_get_be32(tb[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL]);
		e->sctp.vtag[CT_DIR_REPLY] =
		     nl_attr_get_be32(tb[CTA_PROTOINFO_SCTP_VTAG_REPLY]);
		e->set |= CT_SCTP_VTAGS;
	}
}

static void decode_dccp(const struct nlattr *const *tb, struct ct_entry *e)
{
	if (tb[CTA_PROTOINFO_DCCP_STATE]) {
		e->dccp.state = nl_attr_get_u8(tb[CTA_PROTOINFO_DCCP_STATE]);
		e->set |= CT_DCCP;
	}
	if (tb[CTA_PROTOINFO_DCCP_ROLE])
		e->dccp.role = nl_attr_get_u8(tb[CTA_PROTOINFO_DCCP_ROLE]);
	if (tb[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ]) {
		e->dccp.handshake_seq =
		    nl_attr_get_be64(tb[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ]);
		e->set |= CT_DCCP_HSEQ;
	}
}

_Static_assert(CTA_PROTOINFO_TCP_MAX >= CTA_PROTOINFO_SCTP_MAX &&
	       CTA_PROTOINFO_TCP_MAX >= CTA_PROTOINFO_DCCP_MAX,
	       "protoinfo scratch table too small");

int ct_decode_protoinfo(const struct ct_dctx *c, const struct nlattr *nest,
			struct ct_entry *e)
{
	const struct nlattr *tb[CTA_PROTOINFO_MAX + 1];
	/* big enough for each of tcp, sctp and dccp */
	const struct nlattr *sub[CTA_PROTOINFO_TCP_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, protoinfo_pol, CTA_PROTOINFO_MAX, tb, 1);
	if (rc < 0)
		return rc;
	if (tb[CTA_PROTOINFO_TCP]) {
		rc = ct_decode_nest(c, tb[CTA_PROTOINFO_TCP], tcp_pol,
				CTA_PROTOINFO_TCP_MAX, sub, 2);
		if (rc < 0)
			return rc;
		decode_tcp(sub, e);
	}
	if (tb[CTA_PROTOINFO_SCTP]) {
		rc = ct_decode_nest(c, tb[CTA_PROTOINFO_SCTP], sctp_pol,
				CTA_PROTOINFO_SCTP_MAX, sub, 2);
		if (rc < 0)
			return rc;
		decode_sctp(sub, e);
	}
	if (tb[CTA_PROTOINFO_DCCP]) {
		rc = ct_decode_nest(c, tb[CTA_PROTOINFO_DCCP], dccp_pol,
				CTA_PROTOINFO_DCCP_MAX, sub, 2);
		if (rc < 0)
			return rc;
		decode_dccp(sub, e);
	}
	return 0;
}
