/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks shared by the fuzz harnesses that decode and print
 * (fuzz/ct_decode.c, fuzz/labels.c, fuzz/expect.c, fuzz/stats.c, ...): the
 * message made of the input, the decoders' error contract, the
 * ct/format.h return contract over buffers of many sizes, and small JSON
 * and XML well-formedness checkers, and the argv the command-line harnesses
 * make of the input. A violated property calls abort(), like
 * everything in fuzz/.
 */
#ifndef RAWCT_FUZZ_FMT_CHECK_H
#define RAWCT_FUZZ_FMT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FMT_CHECK_MAX 16384	/* no printed entry comes near this */

/* One printer bound to its arguments: writes into @buf of @len bytes,
 * returns as the ct_format_* functions. */
typedef int (*fmt_check_fn)(char *buf, size_t len, const void *arg);

/*
 * fmt_check_run - calls @fn into a FMT_CHECK_MAX buffer, then into
 * buffers of 0, 1, 2, 3, 7, 16, 64 bytes and of n/2, n - 1, n, n + 1,
 * n + 2 bytes (n the full length), each followed by a guard region.
 * Requires: nothing written past buf[len - 1] (nor anything at all for
 * len 0); a result n >= 0 means a NUL at buf[n] and strlen == n; a buffer
 * of <= n bytes gives -ENOSPC and a NUL-terminated prefix of the full
 * text; a buffer of > n bytes gives n and the same text. A negative
 * result other than -ENOSPC must be the same for every size and is
 * returned. On success the full text is copied into @out (@cap bytes).
 */
int fmt_check_run(fmt_check_fn fn, const void *arg, char *out, size_t cap);

struct nl_attr_err;

/*
 * fuzz_msg - a netlink message made of the @len fuzz bytes at @data, for
 * the decoders: 4-byte aligned, zero-padded to at least a header (the
 * decoders read it whole), otherwise exactly @len bytes so ASan sees any
 * overread, nlmsg_len set to @len. Free with free().
 */
uint32_t *fuzz_msg(const uint8_t *data, size_t len);

/*
 * fuzz_check_decode_err - the contract of a failed decode of a @len-byte
 * message whose attributes start at @hdr: @rc is -EBADMSG, -EPROTO,
 * -ERANGE or -EINVAL; @err names what failed, at offset and type 0 when
 * the message is shorter than @hdr or of another subsystem (-EPROTO),
 * else inside the attributes at depth <= @max_depth; and a second decode
 * (@rc2, @err2) failed the same way.
 */
void fuzz_check_decode_err(int rc, const struct nl_attr_err *err, int rc2,
			   const struct nl_attr_err *err2, size_t len,
			   size_t hdr, unsigned int max_depth);

/*
 * fuzz_argv - splits the @len fuzz bytes at @data into command-line words
 * at NUL and newline bytes, after @argv0: at most @max words, each cut to
 * @word_max bytes, stored NUL-terminated in @words (@max rows of
 * @word_max + 1 bytes) and pointed at by @argv (@max + 2 slots, ending
 * in NULL). Returns argc.
 */
int fuzz_argv(const uint8_t *data, size_t len, char *words, size_t max,
	      size_t word_max, char **argv, const char *argv0);

/* Whether @s is exactly one JSON value (RFC 8259), nothing around it. */
bool fmt_check_json(const char *s);

/* Whether @s is a sequence of balanced XML elements and text: tags
 * match, attributes quoted, no raw '<', every '&' starts an entity. */
bool fmt_check_xml(const char *s);

#endif
