/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nl_copy - memcpy for the many short pieces (attribute payloads, words
 * of a -R line, pieces of an output line). Some libcs' memcpy (musl's:
 * rep movs) has a start-up cost many times that of copying a few bytes;
 * up to 16 bytes are copied here without a call (fixed-size memcpy
 * compiles to plain moves; each pair overlaps to cover any length).
 */
#ifndef RAWCT_NL_COPY_H
#define RAWCT_NL_COPY_H

#include <stddef.h>
#include <string.h>

static inline void nl_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

#endif
