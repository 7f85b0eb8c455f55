// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The key file of the authenticated sync frame (sync/keys.h): its
 * ownership and mode checked on the open descriptor (no window between a
 * check and the open), its text read whole into a buffer that is wiped
 * afterwards, then parsed line by line into fields. Error messages quote
 * ids and words, never anything that could be a key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync/crypto.h"
#include "sync/keys.h"

#define MAX_FIELDS 4	/* one more than a line may hold */

struct field {
	const char *p;
	size_t len;
};

static void fail(struct sync_keys_err *err, unsigned int line,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct sync_keys_err *err, unsigned int line,
		 const char *fmt, ...)
{
	va_list ap;
	int n;

	err->line = line;
	n = line ? snprintf(err->msg, sizeof(err->msg), "line %u: ", line) : 0;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* @f as printable text for a message, at most 32 characters. */
static const char *show(const struct field *f, char buf[40])
{
	size_t n = f->len < 32 ? f->len : 32;

	for (size_t i = 0; i < n; i++)
		buf[i] = f->p[i] > ' ' && f->p[i] < 127 ? f->p[i] : '?';
	memcpy(buf + n, f->len > 32 ? "..." : "", f->len > 32 ? 4 : 1);
	return buf;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line (no newline) into fields up to a `#'; returns their
 * count, at most MAX_FIELDS. */
static size_t split(const char *p, size_t len, struct field f[MAX_FIELDS])
{
	size_t n = 0, i = 0;

	while (i < len && n < MAX_FIELDS) {
		while (i < len && is_blank(p[i]))
			i++;
		if (i == len || p[i] == '#')
			break;
		f[n].p = p + i;
		while (i < len && !is_blank(p[i]) && p[i] != '#')
			i++;
		f[n].len = (size_t)(p + i - f[n].p);
		n++;
	}
	return n;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The id field: 1-3 decimal digits, at most 255; -1 otherwise. */
static int parse_id(const struct field *f)
{
	int v = 0;

	if (f->len < 1 || f->len > 3)
		return -1;
	for (size_t i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		v = v * 10 + (f->p[i] - '0');
	}
	return v <= 255 ? v : -1;
}

/* The key field into @key: 0, or -1 if it is not 64 hex digits. */
static int parse_key(const struct field *f, uint8_t key[SYNC_FRAME_KEY_LEN])
{
	if (f->len != 2 * SYNC_FRAME_KEY_LEN)
		return -1;
	for (size_t i = 0; i < SYNC_FRAME_KEY_LEN; i++) {
		int hi = hex_digit(f->p[2 * i]), lo = hex_digit(f->p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int all_zero(const uint8_t *p, size_t len)
{
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= p[i];
	return !d;
}

/* One line's fields (@n of them, at least one) into @out. */
static int parse_line(const struct field *f, size_t n, unsigned int line,
		      struct sync_keys *out, struct sync_keys_err *err)
{
	struct sync_frame_key *k;
	char q[40];
	int id = parse_id(&f[0]);

	if (id < 0) {
		fail(err, line, "key id `%s' is not a number from 0 to 255",
		     show(&f[0], q));
		return -EINVAL;
	}
	if (out->have[id / 8] >> (id % 8) & 1) {
		fail(err, line, "key id %d is given twice", id);
		return -EINVAL;
	}
	if (n < 2) {
		fail(err, line, "key id %d has no key", id);
		return -EINVAL;
	}
	k = &out->key[id];
	if (parse_key(&f[1], k->key)) {
		fail(err, line, "the key of id %d is not 64 hexadecimal "
		     "digits (32 bytes)", id);
		return -EINVAL;
	}
	if (all_zero(k->key, sizeof(k->key))) {
		fail(err, line, "the key of id %d is all zeros", id);
		return -EINVAL;
	}
	if (n > 2 && (f[2].len != 4 || memcmp(f[2].p, "send", 4))) {
		fail(err, line, "unknown word `%s' after the key (only "
		     "`send' may follow it)", show(&f[2], q));
		return -EINVAL;
	}
	if (n > 3) {
		fail(err, line, "unexpected `%s' after `send'", show(&f[3], q));
		return -EINVAL;
	}
	if (n > 2 && out->send >= 0) {
		fail(err, line, "a second `send' key (id %d is the one already)",
		     out->send);
		return -EINVAL;
	}
	if (n > 2)
		out->send = id;
	k->id = (uint8_t)id;
	out->have[id / 8] |= (uint8_t)(1u << (id % 8));
	out->count++;
	return 0;
}

int sync_keys_parse(const char *text, size_t len, struct sync_keys *out,
		    struct sync_keys_err *err)
{
	struct field f[MAX_FIELDS];
	unsigned int line = 0;
	size_t pos = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->send = -1;
	memset(err, 0, sizeof(*err));
	while (pos < len && !rc) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n;

		line++;
		if (memchr(text + pos, '\0', end - pos)) {
			fail(err, line, "a NUL byte (not a text file)");
			rc = -EINVAL;
			break;
		}
		n = split(text + pos, end - pos, f);
		if (n)
			rc = parse_line(f, n, line, out, err);
		pos = end + 1;
	}
	if (!rc && !out->count) {
		fail(err, 0, "no key in the file");
		rc = -EINVAL;
	}
	if (rc)
		sync_keys_free(out);
	return rc;
}

/* The whole of @fd into *@text (malloc'd; SYNC_KEYS_FILE_MAX bytes at
 * most, else -EFBIG), its length into *@len. */
static int read_all(int fd, char **text, size_t *len)
{
	char *buf = malloc(SYNC_KEYS_FILE_MAX + 1);
	size_t n = 0;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r = read(fd, buf + n, SYNC_KEYS_FILE_MAX + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r ? -errno : 0;
			break;
		}
		n += (size_t)r;
		if (n > SYNC_KEYS_FILE_MAX) {
			rc = -EFBIG;
			break;
		}
	}
	if (rc) {
		sync_crypto_wipe(buf, n);
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* Owner, type and mode of the opened file, as sync_keys_load() says. */
static int check_file(int fd, const char *path, struct sync_keys_err *err)
{
	struct stat st;

	if (fstat(fd, &st)) {
		int rc = -errno;

		fail(err, 0, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, 0, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (st.st_uid != 0) {
		fail(err, 0, "%s: must be owned by root (uid 0), not uid %u",
		     path, (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & 077) {
		fail(err, 0, "%s: mode %04o lets group or others at the keys; "
		     "it must be readable by root only (chmod 600)", path,
		     (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int sync_keys_load(const char *path, struct sync_keys *out,
		   struct sync_keys_err *err)
{
	char *text = NULL, line_msg[sizeof(err->msg)];
	size_t len = 0, n, k;
	unsigned int line;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	out->send = -1;
	memset(err, 0, sizeof(*err));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		fail(err, 0, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = check_file(fd, path, err);
	if (rc)
		goto close_fd;
	rc = read_all(fd, &text, &len);
	if (rc) {
		fail(err, 0, "%s: %s", path, rc == -EFBIG ?
		     "larger than a key file can be (64 KiB)" : strerror(-rc));
		goto close_fd;
	}
	rc = sync_keys_parse(text, len, out, err);
	if (rc) {
		/* "line N: ..." becomes "PATH: line N: ..." */
		memcpy(line_msg, err->msg, sizeof(line_msg));
		line = err->line;
		fail(err, 0, "%s: ", path);
		n = strlen(err->msg);
		k = strnlen(line_msg, sizeof(err->msg) - 1 - n);
		memcpy(err->msg + n, line_msg, k);
		err->msg[n + k] = '\0';
		err->line = line;
	}
	sync_crypto_wipe(text, len);
	free(text);
close_fd:
	close(fd);
	return rc;
}

const struct sync_frame_key *sync_keys_get(const struct sync_keys *k,
					   uint8_t id)
{
	return k->have[id / 8] >> (id % 8) & 1 ? &k->key[id] : NULL;
}

const struct sync_frame_key *sync_keys_send(const struct sync_keys *k)
{
	return k->send >= 0 && k->send < 256 ? sync_keys_get(k, (uint8_t)k->send)
					     : NULL;
}

void sync_keys_free(struct sync_keys *k)
{
	if (!k)
		return;
	sync_crypto_wipe(k, sizeof(*k));
	k->send = -1;
}
