/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the printers of ct/format*.c share: one definition of each piece
 * that several formats print (state names, status tests, label names, the
 * tuple pieces other records reuse). Internal to ct/format*.c; everything
 * else includes ct/format.h.
 */
#ifndef RAWCT_CT_FORMAT_INT_H
#define RAWCT_CT_FORMAT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/format.h"
#include "ct/labels.h"
#include "ct/out.h"

#define NSEC_PER_SEC 1000000000ULL

/* State @state of protocol @num; out of range prints state 0 ("NONE"). */
const char *ct_fmt_state_name(uint8_t num, unsigned int state);
/* CT_STATUS is present and has one of @bits. */
bool ct_fmt_has_status(const struct ct_entry *e, uint32_t bits);
/* The name of label @bit when it is set in @e and named in @map. */
const char *ct_fmt_label_name(const struct ct_entry *e,
			      const struct ct_labelmap *map, unsigned int bit);
/* o->now, or time(NULL) when it is 0. */
int64_t ct_fmt_now(const struct ct_fmt_opts *o);

/* XML pieces (ct/format_xml.c) */
void ct_fmt_xml_addrs(struct ct_out *w, const struct ct_tuple *t);
void ct_fmt_xml_l4(struct ct_out *w, const struct ct_tuple *t);
void ct_fmt_xml_when(struct ct_out *w, int64_t now);

/* JSON tuple object (ct/format_json.c); @master adds "protonum". */
void ct_fmt_json_tuple(struct ct_out *w, const struct ct_tuple *t,
		       bool master);

#endif
