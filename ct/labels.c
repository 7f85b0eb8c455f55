// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connlabel.conf parsing and label name lookups. The map is a flat table
 * of 128 optional names in one allocation; lookups by name are a linear
 * scan of at most 128 short strings, which only the command line does.
 * Line rules mirror libnetfilter_conntrack's __labelmap_new() (see
 * labels.h for what is accepted and what is reported).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ct/file.h"
#include "ct/labels.h"

#define LABELMAP_FILE_MAX (1024 * 1024)

struct ct_labelmap {
	unsigned int count;
	char *name[CT_LABEL_BITS];	/* into pool, NULL = unnamed */
	size_t pool_len;
	char pool[];			/* the names, NUL-separated */
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\f' || c == '\r' || c == '\t' || c == '\v';
}

/* [A-Za-z0-9 -], as upstream's label_is_sane() */
static bool name_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == ' ' || c == '-'))
			return false;
	}
	return true;
}

static int find_name(const struct ct_labelmap *m, const char *s, size_t n)
{
	for (unsigned int b = 0; b < CT_LABEL_BITS; b++)
		if (m->name[b] && strlen(m->name[b]) == n &&
		    !memcmp(m->name[b], s, n))
			return (int)b;
	return -ENOENT;
}

/*
 * One line (without its newline, NUL-terminated in @line): adds its label
 * or returns the reason it is bad; *@ignore is set for lines upstream
 * skips that are no error (comments, blank lines).
 */
static const char *parse_line(struct ct_labelmap *m, char *line,
			      size_t *pool_used, bool *ignore)
{
	char *end, *name;
	unsigned long bit;
	size_t n;

	*ignore = false;
	if (line[0] == '#')
		goto skip;
	/* as upstream: strtoul base 0, skips leading blanks and a sign */
	errno = 0;
	bit = strtoul(line, &end, 0);
	if (end == line) {
		for (name = line; is_blank(*name); name++)
			;
		if (!*name || *name == '#')
			goto skip;
		return "expected a label bit number";
	}
	if (errno == ERANGE || bit >= CT_LABEL_BITS)
		return "label bit out of range (0-127)";
	for (name = end; is_blank(*name); name++)
		;
	n = strlen(name);
	while (n && is_blank(name[n - 1]))
		n--;
	if (!n)
		return "missing label name";
	if (!name_ok(name, n))
		return "bad character in label name (allowed: A-Z a-z 0-9 - and blank)";
	if (m->name[bit])
		return "label bit defined twice";
	if (find_name(m, name, n) >= 0)
		return "label name defined twice";
	memcpy(m->pool + *pool_used, name, n);
	m->pool[*pool_used + n] = '\0';
	m->name[bit] = m->pool + *pool_used;
	*pool_used += n + 1;
	m->count++;
	return NULL;
skip:
	*ignore = true;
	return NULL;
}

int ct_labelmap_parse(struct ct_labelmap **out, const char *text, size_t len,
		      unsigned int flags, struct ct_labelmap_err *err)
{
	struct ct_labelmap_err dummy;
	struct ct_labelmap *m;
	char line[CT_LABEL_LINE_MAX + 1];
	size_t pos = 0, pool_used = 0;
	unsigned int lineno = 0;
	int ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!out || (!text && len))
		return -EINVAL;
	*out = NULL;
	/* every name is shorter than its line: len + 1 bytes hold them all */
	m = calloc(1, sizeof(*m) + len + 1);
	if (!m)
		return -ENOMEM;
	m->pool_len = len + 1;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *why;
		bool ignore;

		lineno++;
		if (n > CT_LABEL_LINE_MAX - 1)
			why = "line too long";
		else if (memchr(text + pos, '\0', n))
			why = "NUL byte in line";
		else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			why = parse_line(m, line, &pool_used, &ignore);
		}
		pos += n + (nl ? 1 : 0);
		if (!why)
			continue;
		if (!err->line) {
			err->line = lineno;
			err->reason = why;
		}
		if (flags & CT_LABELMAP_STRICT) {
			ret = -EINVAL;
			goto fail;
		}
		err->skipped++;
	}
	if (!m->count) {
		ret = -ENODATA;
		goto fail;
	}
	*out = m;
	return 0;
fail:
	free(m);
	return ret;
}

int ct_labelmap_load(struct ct_labelmap **out, const char *path,
		     unsigned int flags, struct ct_labelmap_err *err)
{
	size_t len = 0;
	char *text;
	int ret;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!out)
		return -EINVAL;
	*out = NULL;
	ret = ct_file_read(path ? path : CT_LABELMAP_DEFAULT_PATH,
			   LABELMAP_FILE_MAX, &text, &len);
	if (ret < 0)
		return ret;
	ret = ct_labelmap_parse(out, text, len, flags, err);
	free(text);
	return ret;
}

void ct_labelmap_free(struct ct_labelmap *map)
{
	free(map);
}

unsigned int ct_labelmap_count(const struct ct_labelmap *map)
{
	return map ? map->count : 0;
}

int ct_labelmap_bit(const struct ct_labelmap *map, const char *name)
{
	if (!map || !name)
		return -ENOENT;
	return find_name(map, name, strlen(name));
}

const char *ct_labelmap_name(const struct ct_labelmap *map, unsigned int bit)
{
	if (!map || bit >= CT_LABEL_BITS)
		return NULL;
	return map->name[bit];
}

int ct_labelmap_parse_list(const struct ct_labelmap *map, const char *list,
			   uint8_t bits[16], struct ct_labelmap_err *err)
{
	uint8_t acc[CT_LABEL_BITS / 8] = { 0 };
	const char *p = list;
	int max = -1;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!list || !bits)
		return -EINVAL;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int bit = map ? find_name(map, p, n) : -ENOENT;

		if (bit < 0) {
			if (err) {
				size_t m = n < sizeof(err->name) - 1 ?
					   n : sizeof(err->name) - 1;

				memcpy(err->name, p, m);
				err->name[m] = '\0';
				err->reason = "unknown label";
			}
			return -ENOENT;
		}
		ct_labels_set(acc, (unsigned int)bit);
		if (bit > max)
			max = bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	for (size_t i = 0; i < sizeof(acc); i++)
		bits[i] |= acc[i];
	return max;
}

int ct_labels_test(const uint8_t *bits, size_t len, unsigned int bit)
{
	size_t off = (size_t)bit / 32 * 4;
	uint32_t word = 0;

	if (!bits || off >= len)
		return 0;
	memcpy(&word, bits + off, len - off < 4 ? len - off : 4);
	return (word >> (bit % 32)) & 1;
}

void ct_labels_set(uint8_t bits[16], unsigned int bit)
{
	uint32_t word;

	if (bit >= CT_LABEL_BITS)
		return;
	memcpy(&word, bits + bit / 32 * 4, sizeof(word));
	word |= 1U << (bit % 32);
	memcpy(bits + bit / 32 * 4, &word, sizeof(word));
}
