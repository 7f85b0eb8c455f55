// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/keys.h: the key file text, a passing row per form
 * (comments, blanks, CRLF, `send', several keys, id bounds) and a failing
 * row per rule with its line and message; the accessors; the wipe; then
 * sync_keys_load() on real files in a temporary directory: a root-owned
 * 0600 file loads, and group or other bits, another owner, a directory,
 * a FIFO, a missing file, an oversized file and a parse error are refused
 * with a message naming the file and the rule. The owner rows need root
 * (they chown); they say SKIP otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "sync/keys.h"
#include "tests/unit/suites.h"

#define K1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define K2 "F0E1D2C3B4A5968778695A4B3C2D1E0FF0E1D2C3B4A5968778695A4B3C2D1E0F"
#define KZ "0000000000000000000000000000000000000000000000000000000000000000"

static const struct {
	const char *text;
	int rc;
	unsigned int line;		/* of the error */
	const char *msg;		/* part of it */
	unsigned int count;
	int send;
} rows[] = {
	{ "1 " K1 "\n", 0, 0, NULL, 1, -1 },
	{ "1 " K1, 0, 0, NULL, 1, -1 },			/* no newline */
	{ "0 " K1 " send\n255 " K2 "\n", 0, 0, NULL, 2, 0 },
	{ "# keys\n\n  \t\n7\t" K2 "\tsend # now\n", 0, 0, NULL, 1, 7 },
	{ "3 " K1 "\r\n4 " K2 " send\r\n", 0, 0, NULL, 2, 4 },
	{ "3 " K1 "#c\n", 0, 0, NULL, 1, -1 },
	{ "007 " K1 "\n", 0, 0, NULL, 1, -1 },
	/* failing rows, one per rule */
	{ "", -EINVAL, 0, "no key in the file", 0, -1 },
	{ "# only\n\n", -EINVAL, 0, "no key in the file", 0, -1 },
	{ "256 " K1 "\n", -EINVAL, 1, "key id `256' is not a number", 0, -1 },
	{ "-1 " K1 "\n", -EINVAL, 1, "key id `-1'", 0, -1 },
	{ "1x " K1 "\n", -EINVAL, 1, "key id `1x'", 0, -1 },
	{ "0001 " K1 "\n", -EINVAL, 1, "key id `0001'", 0, -1 },
	{ K1 "\n", -EINVAL, 1, "key id `000102030405060708090a0b0c0d0e0f"
	  "...' is not", 0, -1 },
	{ "1\n", -EINVAL, 1, "key id 1 has no key", 0, -1 },
	{ "1 " K1 "0\n", -EINVAL, 1, "not 64 hexadecimal digits", 0, -1 },
	{ "1 0" K1 "\n", -EINVAL, 1, "not 64 hexadecimal digits", 0, -1 },
	{ "1 " K1 "\n2 g" K1 "\n", -EINVAL, 2, "the key of id 2 is not 64",
	  0, -1 },
	{ "1 " KZ "\n", -EINVAL, 1, "the key of id 1 is all zeros", 0, -1 },
	{ "1 " K1 "\n\n1 " K2 "\n", -EINVAL, 3, "key id 1 is given twice", 0,
	  -1 },
	{ "1 " K1 " sent\n", -EINVAL, 1, "unknown word `sent'", 0, -1 },
	{ "1 " K1 " SEND\n", -EINVAL, 1, "unknown word `SEND'", 0, -1 },
	{ "1 " K1 " send send\n", -EINVAL, 1, "unexpected `send' after", 0,
	  -1 },
	{ "1 " K1 " send\n2 " K2 " send\n", -EINVAL, 2,
	  "a second `send' key (id 1", 0, -1 },
	{ "1 " K1 "\n2 " K2 "\0\n", -EINVAL, 2, "a NUL byte", 0, -1 },
	{ "1 " K1 "\n\x01\x7f" "2 " K2 "\n", -EINVAL, 2, "key id `??2'", 0,
	  -1 },
};

START_TEST(parse_row)
{
	struct sync_keys k;
	struct sync_keys_err err;
	/* the text's length includes an embedded NUL, not the last one */
	size_t len = strlen(rows[_i].text);
	int rc;

	if (strstr(rows[_i].msg ? rows[_i].msg : "", "NUL"))
		len = strlen(rows[_i].text) + 2;
	rc = sync_keys_parse(rows[_i].text, len, &k, &err);
	ck_assert_msg(rc == rows[_i].rc, "row %d: rc %d (%s)", _i, rc, err.msg);
	if (rc) {
		ck_assert_msg(strstr(err.msg, rows[_i].msg), "row %d: `%s'", _i,
			      err.msg);
		ck_assert_uint_eq(err.line, rows[_i].line);
		if (rows[_i].line)
			ck_assert(!strncmp(err.msg, "line ", 5));
		ck_assert_ptr_null(sync_keys_send(&k));
		for (int id = 0; id < 256; id++)
			ck_assert_ptr_null(sync_keys_get(&k, (uint8_t)id));
		return;
	}
	ck_assert_uint_eq(k.count, rows[_i].count);
	ck_assert_int_eq(k.send, rows[_i].send);
	sync_keys_free(&k);
}
END_TEST

START_TEST(accessors_and_wipe)
{
	static const char text[] = "0 " K1 "\n200 " K2 " send\n";
	const struct sync_frame_key *s;
	struct sync_keys k;
	struct sync_keys_err err;
	const uint8_t *p = (const uint8_t *)&k;

	ck_assert_int_eq(sync_keys_parse(text, sizeof(text) - 1, &k, &err), 0);
	ck_assert_ptr_nonnull(sync_keys_get(&k, 0));
	ck_assert_ptr_null(sync_keys_get(&k, 1));
	ck_assert_ptr_null(sync_keys_get(&k, 199));
	s = sync_keys_send(&k);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_eq(s, sync_keys_get(&k, 200));
	ck_assert_uint_eq(s->id, 200);
	ck_assert_uint_eq(s->key[0], 0xf0);
	ck_assert_uint_eq(s->key[31], 0x0f);
	ck_assert_uint_eq(sync_keys_get(&k, 0)->key[31], 0x1f);
	sync_keys_free(&k);
	for (size_t i = 0; i < sizeof(k); i++)
		if (p + i < (const uint8_t *)&k.send ||
		    p + i >= (const uint8_t *)(&k.send + 1))
			ck_assert_msg(!p[i], "byte %zu kept", i);
	ck_assert_ptr_null(sync_keys_send(&k));
	ck_assert_ptr_null(sync_keys_get(&k, 0));
	sync_keys_free(NULL);
}
END_TEST

/* ---- files ------------------------------------------------------------ */

static char dir[64];

static void dir_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rawct-keys-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_teardown(void)
{
	static const char *const names[] = { "k", "fifo", "big", "sub" };
	char p[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (unlink(p))
			rmdir(p);
	}
	rmdir(dir);
}

static const char *file(const char *name, const char *text, mode_t mode)
{
	static char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

static int load(const char *path, struct sync_keys_err *err)
{
	struct sync_keys k;
	int rc = sync_keys_load(path, &k, err);

	sync_keys_free(&k);
	return rc;
}

static void refused(const char *path, int want, const char *part)
{
	struct sync_keys_err err;
	int rc = load(path, &err);

	ck_assert_msg(rc == want, "%s: rc %d, want %d (%s)", path, rc, want,
		      err.msg);
	ck_assert_msg(!strncmp(err.msg, path, strlen(path)) &&
		      strstr(err.msg, part), "message `%s'", err.msg);
}

START_TEST(load_files)
{
	static const mode_t bad_modes[] = { 0640, 0604, 0620, 0602, 0610,
					    0601, 0644, 0666, 0700 | 07 };
	struct sync_keys_err err;
	struct sync_keys k;
	const char *p;
	char big[SYNC_KEYS_FILE_MAX + 2], sub[128];

	p = file("k", "1 " K1 " send\n", 0600);
	if (geteuid() == 0) {
		ck_assert_int_eq(sync_keys_load(p, &k, &err), 0);
		ck_assert_uint_eq(sync_keys_send(&k)->id, 1);
		sync_keys_free(&k);
		ck_assert_int_eq(chmod(p, 0400), 0);
		ck_assert_int_eq(load(p, &err), 0);
		ck_assert_int_eq(chown(p, 1000, 0), 0);
		refused(p, -EPERM, "must be owned by root (uid 0), not uid 1000");
		ck_assert_int_eq(chown(p, 0, 0), 0);
		p = file("k", "1 " K1 "\nbad\n", 0600);
		refused(p, -EINVAL, ": line 2: key id `bad'");
		ck_assert_int_eq(load(p, &err), -EINVAL);
		ck_assert_uint_eq(err.line, 2);
	} else {
		printf("SKIP: check_keys: the owner rows need root\n");
		refused(p, -EPERM, "must be owned by root");
	}
	for (size_t i = 0; i < sizeof(bad_modes) / sizeof(bad_modes[0]); i++) {
		p = file("k", "1 " K1 "\n", bad_modes[i]);
		refused(p, -EPERM, "it must be readable by root only "
			"(chmod 600)");
	}
	refused(file("k", "1 " K1 "\n", 0640), -EPERM, "mode 0640");
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	refused(sub, -EINVAL, "not a regular file");
	snprintf(sub, sizeof(sub), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(sub, 0600), 0);
	refused(sub, -EINVAL, "not a regular file");
	snprintf(sub, sizeof(sub), "%s/none", dir);
	refused(sub, -ENOENT, "No such file");
	if (geteuid() == 0) {
		memset(big, '#', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		refused(file("big", big, 0600), -EFBIG, "larger than");
		big[sizeof(big) - 2] = '\0';	/* exactly the limit */
		refused(file("big", big, 0600), -EINVAL, "no key in the file");
	}
}
END_TEST

Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("parse");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(tc, parse_row, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, accessors_and_wipe);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(files, dir_setup, dir_teardown);
	tcase_add_test(files, load_files);
	suite_add_tcase(s, files);
	return s;
}
