// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printing checks of fmt_check.h: the buffer contract of ct/format.h
 * (length or -ENOSPC, NUL-terminated prefix, guard bytes untouched) and
 * recursive-descent JSON and XML checkers, small enough to trust.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fmt_check.h"
#include "nl/attr.h"
#include "nl/uapi.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define GUARD 32
#define FILL 0xa5

/* Calls @fn with a buffer of exactly @len bytes plus a guard after it. */
static int call_sized(fmt_check_fn fn, const void *arg, size_t len,
		      unsigned char *mem)
{
	int rc;

	memset(mem, FILL, len + GUARD);
	rc = fn((char *)mem, len, arg);
	for (size_t i = len; i < len + GUARD; i++)
		CHECK(mem[i] == FILL);
	if (rc >= 0) {
		CHECK((size_t)rc < len && mem[rc] == '\0');
		CHECK(strlen((char *)mem) == (size_t)rc);
	} else if (rc == -ENOSPC && len) {
		CHECK(memchr(mem, '\0', len) != NULL);
	}
	return rc;
}

int fmt_check_run(fmt_check_fn fn, const void *arg, char *out, size_t cap)
{
	static unsigned char mem[FMT_CHECK_MAX + GUARD];
	size_t sizes[12] = { 0, 1, 2, 3, 7, 16, 64 };
	size_t nsizes = 7, n;
	char *full;
	int rc, r;

	rc = call_sized(fn, arg, FMT_CHECK_MAX, mem);
	CHECK(rc != -ENOSPC);
	if (rc < 0) {
		/* a refusal does not depend on the buffer */
		for (size_t i = 0; i < nsizes; i++)
			CHECK(call_sized(fn, arg, sizes[i], mem) == rc);
		return rc;
	}
	n = (size_t)rc;
	full = malloc(n + 1);
	CHECK(full != NULL);
	memcpy(full, mem, n + 1);
	sizes[nsizes++] = n / 2;
	if (n)
		sizes[nsizes++] = n - 1;
	sizes[nsizes++] = n;
	sizes[nsizes++] = n + 1;
	sizes[nsizes++] = n + 2;
	for (size_t i = 0; i < nsizes; i++) {
		size_t s = sizes[i];

		r = call_sized(fn, arg, s, mem);
		if (s > n) {
			CHECK(r == rc && memcmp(mem, full, n + 1) == 0);
		} else {
			CHECK(r == -ENOSPC);
			if (s) {
				size_t k = strlen((char *)mem);

				CHECK(k < s && memcmp(mem, full, k) == 0);
			}
		}
	}
	if (out && cap) {
		size_t k = n < cap - 1 ? n : cap - 1;

		memcpy(out, full, k);
		out[k] = '\0';
	}
	free(full);
	return rc;
}

/* ---- JSON ------------------------------------------------------------ */

static bool json_value(const char **p, unsigned int depth);

static void ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool json_string(const char **p)
{
	const char *s = *p;

	if (*s++ != '"')
		return false;
	for (;;) {
		unsigned char c = (unsigned char)*s++;

		if (c == '"')
			break;
		if (c < 0x20)		/* also the NUL at the end */
			return false;
		if (c != '\\')
			continue;
		c = (unsigned char)*s++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!hex(*s++))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
	*p = s;
	return true;
}

static bool digits(const char **p)
{
	const char *s = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > s;
}

static bool json_number(const char **p)
{
	if (**p == '-')
		(*p)++;
	if (**p == '0')
		(*p)++;
	else if (!digits(p))
		return false;
	if (**p == '.') {
		(*p)++;
		if (!digits(p))
			return false;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (!digits(p))
			return false;
	}
	return true;
}

static bool json_members(const char **p, char close, unsigned int depth)
{
	ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			if (!json_string(p))
				return false;
			ws(p);
			if (*(*p)++ != ':')
				return false;
		}
		if (!json_value(p, depth + 1))
			return false;
		ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (*(*p)++ != ',')
			return false;
		ws(p);
	}
}

static bool json_value(const char **p, unsigned int depth)
{
	static const char *const words[] = { "true", "false", "null" };

	if (depth > 64)
		return false;
	ws(p);
	switch (**p) {
	case '{': (*p)++; return json_members(p, '}', depth);
	case '[': (*p)++; return json_members(p, ']', depth);
	case '"': return json_string(p);
	default: break;
	}
	for (size_t i = 0; i < 3; i++)
		if (!strncmp(*p, words[i], strlen(words[i]))) {
			*p += strlen(words[i]);
			return true;
		}
	return json_number(p);
}

bool fmt_check_json(const char *s)
{
	if (!json_value(&s, 0))
		return false;
	ws(&s);
	return *s == '\0';
}

/* ---- XML ------------------------------------------------------------- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
	       c == '.';
}

static size_t xml_name(const char *s)
{
	size_t n = 0;

	while (name_char(s[n]))
		n++;
	return n;
}

/* An entity after '&': &name; or &#digits; or &#xhex; */
static bool xml_entity(const char **p)
{
	const char *s = *p + 1;

	if (*s == '#') {
		s++;
		if (*s == 'x')
			s++;
		if (!hex(*s))
			return false;
		while (hex(*s))
			s++;
	} else {
		size_t n = xml_name(s);

		if (!n)
			return false;
		s += n;
	}
	if (*s != ';')
		return false;
	*p = s + 1;
	return true;
}

bool fmt_check_xml(const char *s)
{
	const char *stack[32];
	size_t len[32], depth = 0;

	/* an optional declaration first */
	if (!strncmp(s, "<?xml", 5)) {
		s = strstr(s, "?>");
		if (!s)
			return false;
		s += 2;
	}
	while (*s) {
		if (*s == '&') {
			if (!xml_entity(&s))
				return false;
			continue;
		}
		if (*s == '>')
			return false;
		if (*s != '<') {
			s++;
			continue;
		}
		if (s[1] == '/') {
			size_t n = xml_name(s + 2);

			if (!n || !depth || n != len[depth - 1] ||
			    memcmp(s + 2, stack[depth - 1], n) || s[2 + n] != '>')
				return false;
			depth--;
			s += n + 3;
			continue;
		}
		{
			size_t n = xml_name(s + 1);
			const char *name = s + 1;

			if (!n)
				return false;
			s += 1 + n;
			for (;;) {
				size_t an;

				while (*s == ' ' || *s == '\n' || *s == '\t')
					s++;
				if (*s == '>' || (s[0] == '/' && s[1] == '>'))
					break;
				an = xml_name(s);
				if (!an || s[an] != '=' ||
				    (s[an + 1] != '"' && s[an + 1] != '\''))
					return false;
				{
					char q = s[an + 1];
					const char *v = strchr(s + an + 2, q);

					if (!v || memchr(s + an + 2, '<',
							 (size_t)(v - (s + an + 2))))
						return false;
					s = v + 1;
				}
			}
			if (*s == '/') {
				s += 2;
				continue;
			}
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return false;
			stack[depth] = name;
			len[depth++] = n;
			s++;
		}
	}
	return depth == 0;
}

uint32_t *fuzz_msg(const uint8_t *data, size_t len)
{
	size_t alloc = len < NLMSG_HDRLEN ? NLMSG_HDRLEN : len;
	uint32_t *msg = malloc(alloc), len32 = (uint32_t)len;

	if (!msg)
		abort();
	memset(msg, 0, alloc);
	memcpy(msg, data, len);
	memcpy(msg, &len32, sizeof(len32));
	return msg;
}

void fuzz_check_decode_err(int rc, const struct nl_attr_err *err, int rc2,
			   const struct nl_attr_err *err2, size_t len,
			   size_t hdr, unsigned int max_depth)
{
	if (rc != -EBADMSG && rc != -EPROTO && rc != -ERANGE && rc != -EINVAL)
		abort();
	if (!err->msg || !err->msg[0])
		abort();
	if (len < hdr || rc == -EPROTO) {
		if (err->offset != 0 || err->type != 0)
			abort();
	} else if (err->offset >= len - hdr || err->depth > max_depth) {
		abort();
	}
	if (rc2 != rc || err2->msg != err->msg ||
	    err2->offset != err->offset || err2->type != err->type ||
	    err2->depth != err->depth)
		abort();
}

int fuzz_argv(const uint8_t *data, size_t len, char *words, size_t max,
	      size_t word_max, char **argv, const char *argv0)
{
	size_t i = 0, argc = 1;

	argv[0] = (char *)argv0;
	while (i < len && argc <= max) {
		char *w = words + (argc - 1) * (word_max + 1);
		size_t n = 0;

		for (; i < len && data[i] != '\0' && data[i] != '\n'; i++)
			if (n < word_max)
				w[n++] = (char)data[i];
		w[n] = '\0';
		argv[argc++] = w;
		i++;		/* the separator */
	}
	argv[argc] = NULL;
	return (int)argc;
}
