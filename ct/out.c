// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bounded writer every output format appends through (see ct/out.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/out.h"
#include "nl/copy.h"


void ct_out_mem(struct ct_out *w, const char *s, size_t n)
{
	if (!n)
		return;
	if (w->pos < w->len) {
		size_t room = w->len - w->pos;

		nl_copy(w->buf + w->pos, s, n < room ? n : room);
	}
	w->pos += n;
	w->last = s[n - 1];
}

void ct_out_str(struct ct_out *w, const char *s)
{
	ct_out_mem(w, s, strlen(s));
}

void ct_out_chr(struct ct_out *w, char c)
{
	if (w->pos < w->len)
		w->buf[w->pos] = c;
	w->pos++;
	w->last = c;
}

void ct_out_u64(struct ct_out *w, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ct_out_mem(w, tmp + i, sizeof(tmp) - i);
}

void ct_out_hex(struct ct_out *w, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[8];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	ct_out_mem(w, tmp + i, sizeof(tmp) - i);
}

/* "name" padded with blanks to @width (printf "%-Ns"). */
void ct_out_padded(struct ct_out *w, const char *s, size_t width)
{
	size_t n = strlen(s);

	ct_out_mem(w, s, n);
	while (n++ < width)
		ct_out_chr(w, ' ');
}

/* "name=value " */
void ct_out_kv(struct ct_out *w, const char *key, uint64_t v)
{
	ct_out_str(w, key);
	ct_out_u64(w, v);
	ct_out_chr(w, ' ');
}

void ct_out_addr(struct ct_out *w, uint8_t l3, const union ct_addr *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (l3 == AF_INET) {
		const uint8_t *b = (const uint8_t *)&a->v4;

		for (int i = 0; i < 4; i++) {
			if (i)
				ct_out_chr(w, '.');
			ct_out_u64(w, b[i]);
		}
	} else if (l3 == AF_INET6) {
		if (inet_ntop(AF_INET6, a->v6, tmp, sizeof(tmp)))
			ct_out_str(w, tmp);
	}
}

/* Escapes for XML text content. */
void ct_out_xml_text(struct ct_out *w, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			ct_out_str(w, "&lt;");
		else if (*s == '>')
			ct_out_str(w, "&gt;");
		else if (*s == '&')
			ct_out_str(w, "&amp;");
		else
			ct_out_chr(w, *s);
	}
}

int ct_out_start(struct ct_out *w, char *buf, size_t len)
{
	if (!buf)
		return -EINVAL;
	w->buf = buf;
	w->len = len;
	w->pos = 0;
	w->last = '\0';
	return 0;
}

/* Terminates and gives the result. */
int ct_out_end(struct ct_out *w)
{
	if (w->pos < w->len) {
		w->buf[w->pos] = '\0';
		return (int)w->pos;
	}
	if (w->len)
		w->buf[w->len - 1] = '\0';
	return -ENOSPC;
}

/* Drops one trailing blank, as upstream's "size--" / trim loop do (our
 * lines never end in more than one). */
void ct_out_trim(struct ct_out *w)
{
	if (w->pos && w->last == ' ') {
		w->pos--;
		w->last = w->pos && w->pos <= w->len ?
			  w->buf[w->pos - 1] : '\0';
	}
}

/* Replaces the last byte appended (a "," or "=") with @c. */
void ct_out_replace_last(struct ct_out *w, char c)
{
	if (w->pos) {
		w->pos--;
		ct_out_chr(w, c);
	}
}
