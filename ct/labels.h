/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection label map (connlabel.conf): which of the 128 conntrack
 * label bits carries which name. One `<bit> <name>` pair per line, `#`
 * comment lines, as libnetfilter_conntrack's nfct_labelmap_new() reads it.
 * The map is a caller-owned object; nothing here keeps global state.
 *
 * Parsing follows upstream's tolerance exactly where upstream accepts a
 * line (strtoul base 0 for the bit, so "0x10" and "010" are hex and octal;
 * the name is the rest of the line with POSIX blanks trimmed, may contain
 * inner spaces, and must consist of [A-Za-z0-9 -]; the first line for a
 * bit and the first line for a name win). Lines upstream silently skips
 * (no number, no name, bad characters, repeated bit or name) are reported:
 * with CT_LABELMAP_STRICT the parse fails at the first one, otherwise they
 * are skipped and counted in the error struct, so the caller can warn.
 * One deliberate difference: upstream accepts bits up to 1023, but the
 * kernel has 128 label bits, so bits >= 128 are bad lines here.
 */
#ifndef RAWCT_CT_LABELS_H
#define RAWCT_CT_LABELS_H

#include <stddef.h>
#include <stdint.h>

#define CT_LABEL_BITS		128
/* Upstream reads lines with a 1024-byte fgets buffer; longer lines are bad
 * lines here. */
#define CT_LABEL_LINE_MAX	1023

/* The file libnetfilter_conntrack reads when no path is given. It is the
 * only place upstream looks (nftables' /etc/connlabel.conf is not read). */
#define CT_LABELMAP_DEFAULT_PATH "/etc/xtables/connlabel.conf"

struct ct_labelmap;

enum {
	CT_LABELMAP_STRICT = 1 << 0,	/* a bad line fails the parse */
};

/* What went wrong, or (lenient mode) what was skipped first. */
struct ct_labelmap_err {
	unsigned int line;	/* 1-based line of the (first) bad line, 0 none */
	unsigned int skipped;	/* bad lines skipped (lenient mode) */
	const char *reason;	/* static text, e.g. "label bit out of range" */
	char name[64];		/* list parsing: the unknown name (truncated) */
};

/* Parses connlabel.conf text @text of @len bytes (need not be
 * NUL-terminated) into a new map stored in *@out (free it with
 * ct_labelmap_free). @err may be NULL; it is cleared first.
 * Returns 0; -EINVAL on a bad line in strict mode (err->line, err->reason
 * say which); -ENODATA when no label was defined (upstream treats this as
 * "no map" too); -ENOMEM. *@out is NULL on failure. */
int ct_labelmap_parse(struct ct_labelmap **out, const char *text, size_t len,
		      unsigned int flags, struct ct_labelmap_err *err);

/* Reads and parses the file @path, or CT_LABELMAP_DEFAULT_PATH when @path
 * is NULL. Returns as ct_labelmap_parse, plus -errno of open/read
 * (-ENOENT for a missing file) and -EFBIG for files over 1 MiB. */
int ct_labelmap_load(struct ct_labelmap **out, const char *path,
		     unsigned int flags, struct ct_labelmap_err *err);

/* Frees @map; NULL is fine. */
void ct_labelmap_free(struct ct_labelmap *map);

/* Number of names defined. */
unsigned int ct_labelmap_count(const struct ct_labelmap *map);

/* Bit of label @name (exact, case-sensitive match), or -ENOENT (also for
 * a NULL map, as upstream with no map loaded). */
int ct_labelmap_bit(const struct ct_labelmap *map, const char *name);

/* Name of @bit, borrowed from the map, or NULL when the bit has no name
 * (or @map is NULL or @bit >= CT_LABEL_BITS). */
const char *ct_labelmap_name(const struct ct_labelmap *map, unsigned int bit);

/* Parses a comma list of names (`-l a,b`, `--label-add a,b`) and ORs
 * their bits into @bits (layout: see ct_labels_test). Returns the highest
 * bit named (>= 0; upstream sizes CTA_LABELS from it: (max / 32 + 1)
 * 32-bit words); -ENOENT for an unknown or empty name (err->name holds it,
 * for upstream's "unknown label 'X'"), also for every name when @map is
 * NULL; -EINVAL for NULL @list or @bits. @bits is untouched on failure. */
int ct_labelmap_parse_list(const struct ct_labelmap *map, const char *list,
			   uint8_t bits[16], struct ct_labelmap_err *err);

/* Bit @bit of a label bitmap of @len bytes (CTA_LABELS as received).
 * Layout as libnetfilter_conntrack reads it: 32-bit words in host order,
 * bit n in word n / 32 at 1 << (n % 32) (on little-endian: byte n / 8,
 * 1 << (n % 8)). Returns 0 or 1; 0 beyond @len. */
int ct_labels_test(const uint8_t *bits, size_t len, unsigned int bit);

/* Sets bit @bit (< 128) in a 16-byte bitmap of that layout. */
void ct_labels_set(uint8_t bits[16], unsigned int bit);

#endif
