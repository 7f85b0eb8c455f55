/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bounded writer into a caller's buffer, shared by the output formats
 * (ct/format.c, ct/expect_format.c): appends never write past the buffer,
 * and the result is either the whole text or -ENOSPC with a prefix of it.
 */
#ifndef RAWCT_CT_OUT_H
#define RAWCT_CT_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"

/* `pos` counts every byte appended, stored or not: bytes at positions
 * below len are stored, the rest only counted, so the final length (after
 * trimming) decides between success and -ENOSPC and the stored bytes are
 * always a prefix of the full text. `last` is the last byte appended. */
struct ct_out {
	char *buf;
	size_t len;
	size_t pos;
	char last;
};

/* Starts writing into @buf of @len bytes. Returns 0, -EINVAL if !buf. */
int ct_out_start(struct ct_out *w, char *buf, size_t len);
/* NUL-terminates; returns the length, or -ENOSPC (buf holds a prefix). */
int ct_out_end(struct ct_out *w);
void ct_out_mem(struct ct_out *w, const char *s, size_t n);
void ct_out_str(struct ct_out *w, const char *s);
void ct_out_chr(struct ct_out *w, char c);
void ct_out_u64(struct ct_out *w, uint64_t v);		/* decimal */
void ct_out_hex(struct ct_out *w, uint32_t v);		/* lower case, no 0x */
/* @s padded with blanks to @width (printf "%-Ns"). */
void ct_out_padded(struct ct_out *w, const char *s, size_t width);
/* "key" then @v then a blank. */
void ct_out_kv(struct ct_out *w, const char *key, uint64_t v);
/* An address of family @l3 (AF_INET dotted quad, AF_INET6 inet_ntop);
 * nothing for another family. */
void ct_out_addr(struct ct_out *w, uint8_t l3, const union ct_addr *a);
/* @s with <, > and & escaped for XML text. */
void ct_out_xml_text(struct ct_out *w, const char *s);
/* Drops one trailing blank. */
void ct_out_trim(struct ct_out *w);
/* Replaces the last byte appended with @c. */
void ct_out_replace_last(struct ct_out *w, char c);

#endif
