// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the key file parser sync_keys_parse() (sync/keys.c).
 * The whole input is the file's text. Properties, each an abort() when
 * violated:
 *  - the result is 0 or -EINVAL; a refusal has a one-line message that
 *    starts "line N: " with N at most the number of lines, or no line for
 *    "no key in the file", and leaves nothing behind: no key, no `send',
 *    the key material wiped;
 *  - a success has a key count equal to the ids present, at least one,
 *    each key filed under its own id and not all zeros, a `send' id that
 *    is present (or none);
 *  - printed back as a key file (written here, with other spacing and a
 *    comment), it parses to the same structure, byte for byte;
 *  - parsing is deterministic.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static size_t lines_of(const uint8_t *p, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += p[i] == '\n';
	return n;
}

static void refused(const uint8_t *data, size_t size,
		    const struct sync_keys *k, const struct sync_keys_err *err)
{
	const uint8_t *b = (const uint8_t *)k;
	size_t mlen = strnlen(err->msg, sizeof(err->msg));

	CHECK(mlen > 0 && mlen < sizeof(err->msg));
	CHECK(!strchr(err->msg, '\n'));
	if (err->line) {
		char head[32];

		CHECK(err->line <= lines_of(data, size));
		snprintf(head, sizeof(head), "line %u: ", err->line);
		CHECK(!strncmp(err->msg, head, strlen(head)));
	} else {
		CHECK(!strcmp(err->msg, "no key in the file"));
	}
	CHECK(!sync_keys_send(k) && k->count == 0);
	for (size_t i = 0; i < sizeof(*k); i++)
		if (b + i < (const uint8_t *)&k->send ||
		    b + i >= (const uint8_t *)(&k->send + 1))
			CHECK(!b[i]);
}

static void accepted(const struct sync_keys *k)
{
	unsigned int n = 0;

	for (int id = 0; id < 256; id++) {
		const struct sync_frame_key *key = sync_keys_get(k, (uint8_t)id);
		uint8_t d = 0;

		if (!key)
			continue;
		n++;
		CHECK(key == &k->key[id] && key->id == id);
		for (int i = 0; i < SYNC_FRAME_KEY_LEN; i++)
			d |= key->key[i];
		CHECK(d);
	}
	CHECK(n && n == k->count);
	CHECK(k->send == -1 || sync_keys_get(k, (uint8_t)k->send));
}

/* @k as a key file, ids in order, upper-case hex, tabs, a comment. */
static size_t print(const struct sync_keys *k, char *out, size_t cap)
{
	size_t len = 0;
	int n = snprintf(out, cap, "# printed back\r\n");

	CHECK(n > 0 && (size_t)n < cap);
	len = (size_t)n;
	for (int id = 0; id < 256; id++) {
		const struct sync_frame_key *key = sync_keys_get(k, (uint8_t)id);

		if (!key)
			continue;
		n = snprintf(out + len, cap - len, "\t%d  ", id);
		CHECK(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
		for (int i = 0; i < SYNC_FRAME_KEY_LEN; i++) {
			n = snprintf(out + len, cap - len, "%02X", key->key[i]);
			CHECK(n == 2);
			len += 2;
		}
		n = snprintf(out + len, cap - len, "%s#k\n",
			     k->send == id ? " send " : "");
		CHECK(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sync_keys k, k2;
	static char text[256 * 100 + 64];
	struct sync_keys_err err, err2;
	size_t len;
	int rc;

	if (size > SYNC_KEYS_FILE_MAX)
		return 0;
	rc = sync_keys_parse((const char *)data, size, &k, &err);
	CHECK(rc == 0 || rc == -EINVAL);
	CHECK(sync_keys_parse((const char *)data, size, &k2, &err2) == rc);
	CHECK(!memcmp(&k, &k2, sizeof(k)));
	CHECK(err.line == err2.line && !strcmp(err.msg, err2.msg));
	if (rc) {
		refused(data, size, &k, &err);
		return 0;
	}
	accepted(&k);
	len = print(&k, text, sizeof(text));
	CHECK(sync_keys_parse(text, len, &k2, &err2) == 0);
	CHECK(!memcmp(&k, &k2, sizeof(k)));
	sync_keys_free(&k);
	sync_keys_free(&k2);
	return 0;
}
