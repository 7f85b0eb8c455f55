/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key file of the authenticated sync frame (sync/frame.h): text, one
 * key a line,
 *
 *     # comment
 *     ID HEX64 [send]
 *
 * ID a decimal key id 0..255 (each once), HEX64 the 32-byte key as 64
 * hexadecimal digits, `send' on at most one line: the key this node seals
 * with (the others are accepted from peers, for a key change). Fields are
 * separated by blanks (space, tab, a CR before the newline); `#' starts
 * a comment wherever it stands; blank lines are ignored; a key of all zeros is refused (a placeholder
 * left in the file). The file must be a regular file owned by root whose
 * mode gives group and others nothing (0600 or 0400), like ssh's private
 * keys: a key others can read authenticates nothing.
 */
#ifndef RAWCT_SYNC_KEYS_H
#define RAWCT_SYNC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "sync/frame.h"

#define SYNC_KEYS_FILE_MAX	(64 * 1024)	/* bytes of a key file */

/* The keys of a file: plain data, key material inside; release with
 * sync_keys_free(), which wipes it. */
struct sync_keys {
	uint8_t have[256 / 8];		/* bit per key id present */
	int send;			/* id of the `send' key, -1 none */
	unsigned int count;
	struct sync_frame_key key[256];	/* by id */
};

/* What was wrong: the file and the rule in one line, and where. */
struct sync_keys_err {
	unsigned int line;		/* 0: the file as a whole */
	char msg[384];
};

/*
 * sync_keys_parse - the key file text @text (@len bytes, need not end in
 * NUL or newline) into @out. Returns 0, or -EINVAL with @err saying
 * "line N: ..." (a bad id, a bad or all-zero key, a duplicate id, a
 * second `send', an unknown word, a NUL byte, no key at all). @out is
 * wiped on failure.
 */
int sync_keys_parse(const char *text, size_t len, struct sync_keys *out,
		    struct sync_keys_err *err);

/*
 * sync_keys_load - opens the file at @path, refuses it unless it is a
 * regular file owned by uid 0 with no permission bit for group or others
 * (checked on the open descriptor), reads it (at most
 * SYNC_KEYS_FILE_MAX bytes) and parses it. Returns 0; -errno of open or
 * read; -EPERM for the owner or mode; -EINVAL for a file that is no
 * regular file, or a parse error; -EFBIG. @err->msg always names @path
 * and the rule broken. The bytes read are wiped from memory.
 */
int sync_keys_load(const char *path, struct sync_keys *out,
		   struct sync_keys_err *err);

/* The key of @id, NULL if the file has none. */
const struct sync_frame_key *sync_keys_get(const struct sync_keys *k,
					   uint8_t id);

/* The `send' key, NULL if none was marked. */
const struct sync_frame_key *sync_keys_send(const struct sync_keys *k);

/* Wipes every key; accepts NULL. */
void sync_keys_free(struct sync_keys *k);

#endif
