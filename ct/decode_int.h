/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the conntrack decoders share (ct/decode.c for entries,
 * ct/decode_tuple.c for tuples, ct/decode_protoinfo.c for protocol
 * state): the policy shorthands, the decoding context that turns
 * nest-relative error offsets into absolute ones, and the tuple and
 * protoinfo decoders the entry decoder calls for those nests.
 */
#ifndef RAWCT_CT_DECODE_INT_H
#define RAWCT_CT_DECODE_INT_H

#include "ct/decode.h"
#include "nl/copy.h"

#define BIN(n) { .kind = NL_ATTR_BINARY, .min_len = (n), .max_len = (n) }
#define U8 { .kind = NL_ATTR_U8 }
#define U16 { .kind = NL_ATTR_U16 }
#define U32 { .kind = NL_ATTR_U32 }
#define U64 { .kind = NL_ATTR_U64 }
#define NEST { .kind = NL_ATTR_NESTED }

/* Where the stream being decoded starts, for absolute error offsets. */
struct ct_dctx {
	const unsigned char *base;
	struct nl_attr_err *err;
};

/*
 * ct_decode_nest - parses the nest @a one level down with @pol (@max the
 * highest attribute) into @tb; an error's offset is made absolute and
 * its depth set to @depth. Returns 0 or nl_attr_parse()'s error.
 */
int ct_decode_nest(const struct ct_dctx *c, const struct nlattr *a,
		   const struct nl_attr_policy *pol, uint16_t max,
		   const struct nlattr **tb, uint8_t depth);

/*
 * ct_decode_tuple_nest - @t gets the tuple in the CTA_TUPLE_* nest
 * @nest (cleared first, l3 @family unless the nest says otherwise).
 * Returns 0 or a negative errno from parsing.
 */
int ct_decode_tuple_nest(const struct ct_dctx *c, const struct nlattr *nest,
			 uint8_t family, struct ct_tuple *t, uint8_t depth);

/*
 * ct_decode_protoinfo - @e gets the protocol state in the CTA_PROTOINFO
 * nest @nest (TCP, SCTP and DCCP; the CT_TCP*, CT_SCTP*, CT_DCCP* bits
 * of e->set say what was there). Returns 0 or a negative errno from
 * parsing (*c->err, when given, says where).
 */
int ct_decode_protoinfo(const struct ct_dctx *c, const struct nlattr *nest,
			struct ct_entry *e);

/* @dst gets the address in @a (4 or 16 bytes, as the policy checked). */
static inline void ct_decode_addr(union ct_addr *dst, const struct nlattr *a)
{
	nl_copy(dst, nl_attr_data(a), nl_attr_payload_len(a));
}

#endif
