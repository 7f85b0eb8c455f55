/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sync/msg unit tests share (tests/unit/sync_check.c): building
 * expected entries, comparing every field, and parsing from heap copies
 * of exactly the message's size so ASan sees any overread. Each
 * comparison fails the running Check test.
 */
#ifndef RAWCT_TESTS_SYNC_CHECK_H
#define RAWCT_TESTS_SYNC_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "ct/entry.h"
#include "ct/expect.h"
#include "sync/msg.h"

struct sync_auth;

/* A node of the authenticated sync (sync/auth.h) with the key file text
 * @keys (NULL: key 1, all 0x01, send), one UDP link to 10.0.0.2 and
 * @peer (NULL: none) on the allow-list; Encrypt @encrypt. Each call is
 * a younger node than the one before. */
struct sync_auth *sc_auth_node(const char *keys, const char *peer,
			       int encrypt);

#define SC_ADDRS (CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO)
#define SC_PORTS (CT_TUPLE_SPORT | CT_TUPLE_DPORT)
#define SC_ICMPS (CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID)

extern const struct sync_msg_stats sc_zero_stats;
extern const struct sync_msg_stats sc_one_payload;	/* one bad payload */

/* A heap copy of @n bytes, exactly. */
uint8_t *sc_dup_exact(const void *p, size_t n);
/* @s (IPv4 or IPv6 text) into @a, zero-padded */
void sc_addr(union ct_addr *a, const char *s);
/* A tuple @src -> @dst of protocol @l4 (SRC|DST|PROTO), zeroed first. */
void sc_tup(struct ct_tuple *t, const char *src, const char *dst,
	    uint8_t l4);
void sc_tup_ports(struct ct_tuple *t, uint16_t sport, uint16_t dport);
/* A flow as the kernel reports it: reply tuple the inverse, ports when
 * @sport or @dport; CT_ORIG|CT_REPLY. */
void sc_flow(struct ct_entry *e, uint8_t l4, const char *src,
	     const char *dst, uint16_t sport, uint16_t dport);
/* status, timeout and mark with their bits */
void sc_scalars(struct ct_entry *e, uint32_t status, uint32_t timeout,
		uint32_t mark);
void sc_ck_tuple(const struct ct_tuple *g, const struct ct_tuple *w,
		 const char *which);
void sc_ck_str(const char *g, const char *w);
void sc_ck_nat(const struct ct_nat *g, const struct ct_nat *w);
/* every field of @g equals @w's */
void sc_ck_entry(const struct ct_entry *g, const struct ct_entry *w);
void sc_ck_exp(const struct ct_expect *g, const struct ct_expect *w);
void sc_ck_stats(const struct sync_msg_stats *g,
		 const struct sync_msg_stats *w);
/* sync_msg_parse_ct/exp on an exact copy of @p, which lives until the
 * next of these calls (parsed strings point into it). */
int sc_parse_ct(const uint8_t *p, size_t n, struct ct_entry *e,
		struct sync_msg_stats *st);
int sc_parse_exp(const uint8_t *p, size_t n, struct ct_expect *x,
		 struct sync_msg_stats *st);
/* Builds @e as CT_NEW, CT_UPD and CT_DEL; each walks and parses back
 * into @want. */
void sc_round_trip(const struct ct_entry *e, const struct ct_entry *want,
		   const struct sync_msg_opts *o);

/* the test cases of check_sync_msg_rt.c and check_sync_msg_bad.c */
TCase *sync_msg_rt_tcase(void);
TCase *sync_msg_bad_tcase(void);

#endif
