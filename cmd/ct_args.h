/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack(8) command line as data: ct_args_parse() turns argv into
 * a struct ct_args (command, table, family, the template entry used to
 * create/update/get, the userspace filter, output flags, event mask...)
 * or into the exact upstream error text and exit code. It reproduces
 * conntrack-tools 1.4.8's do_parse(): getopt_long with permutation,
 * table words by prefix, protocol options that exist only after -p, the
 * generic command x option matrix, the per-protocol matrices and final
 * checks, in upstream's order so the first error reported is upstream's.
 *
 * Nothing is printed and nothing global is kept: warnings are returned
 * in the result, labels are resolved through the caller's callback, and
 * the function can run in a loop (-R, the fuzzer). Differences from
 * upstream, all deliberate (spec section 5):
 *  - layer-4 numbers (ports and their masks, keys, vtags, icmp
 *    type/code/id) are checked: decimal digits or 0x and hex digits (GRE
 *    keys: strtoul base 0, as upstream), within the field's range;
 *    otherwise "unexpected value 'X' with --sport option", exit 1, like
 *    HEAD's checks of -m/-w/-c/-i, which take 0x too (upstream atoi()s
 *    garbage and hex to 0);
 *  - SCTP states beyond SHUTDOWN_ACK_SENT (HEARTBEAT_*) are "unknown SCTP
 *    state" (upstream crashes on a NULL table slot);
 *  - -u negation (!ASSURED) is kept as a mask for the userspace filter,
 *    so -D/-U honour it too (upstream only lets the -L kernel filter
 *    see it), and NAT address filters work for IPv6;
 *  - "--mask-src without --src" and "-z with filtering parameters" are
 *    reported at parse time (upstream: when the command runs);
 *  - -o and the label map do not leak from one -R line into the next;
 *  - the ICMP options give a reply tuple its paired type, code and id
 *    whatever the order of the options (upstream: only when -s/-d and
 *    -r/-q come first), so an ICMP entry can be named by its reply
 *    tuple alone.
 */
#ifndef RAWCT_CMD_CT_ARGS_H
#define RAWCT_CMD_CT_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/filter.h"

struct ct_labelmap;

/* Commands, numbered as upstream's command bits (rows of the matrices). */
enum ct_args_cmd {
	CT_CMD_LIST, CT_CMD_CREATE, CT_CMD_UPDATE, CT_CMD_DELETE, CT_CMD_GET,
	CT_CMD_FLUSH, CT_CMD_EVENT, CT_CMD_VERSION, CT_CMD_HELP,
	CT_CMD_EXP_LIST, CT_CMD_EXP_CREATE, CT_CMD_EXP_DELETE,
	CT_CMD_EXP_GET, CT_CMD_EXP_FLUSH, CT_CMD_EXP_EVENT, CT_CMD_COUNT,
	CT_CMD_EXP_COUNT, CT_CMD_STATS, CT_CMD_EXP_STATS, CT_CMD_ADD,
	CT_CMD_MAX,
	CT_CMD_NONE = CT_CMD_MAX,	/* no command: usage, exit 0 */
};

enum ct_args_table {
	CT_TABLE_CONNTRACK, CT_TABLE_EXPECT, CT_TABLE_DYING,
	CT_TABLE_UNCONFIRMED,
};

/* Options given (struct ct_args.options), upstream's CT_OPT_* bits; the
 * bit number indexes ct_args_opt_name(). */
enum {
	CT_OPT_ORIG_SRC = 1 << 0, CT_OPT_ORIG_DST = 1 << 1,
	CT_OPT_ORIG = CT_OPT_ORIG_SRC | CT_OPT_ORIG_DST,
	CT_OPT_REPL_SRC = 1 << 2, CT_OPT_REPL_DST = 1 << 3,
	CT_OPT_REPL = CT_OPT_REPL_SRC | CT_OPT_REPL_DST,
	CT_OPT_PROTO = 1 << 4, CT_OPT_TIMEOUT = 1 << 5,
	CT_OPT_STATUS = 1 << 6, CT_OPT_ZERO = 1 << 7,
	CT_OPT_EVENT_MASK = 1 << 8, CT_OPT_EXP_SRC = 1 << 9,
	CT_OPT_EXP_DST = 1 << 10, CT_OPT_MASK_SRC = 1 << 11,
	CT_OPT_MASK_DST = 1 << 12, CT_OPT_NATRANGE = 1 << 13,
	CT_OPT_MARK = 1 << 14, CT_OPT_ID = 1 << 15, CT_OPT_FAMILY = 1 << 16,
	CT_OPT_SRC_NAT = 1 << 17, CT_OPT_DST_NAT = 1 << 18,
	CT_OPT_OUTPUT = 1 << 19, CT_OPT_SECMARK = 1 << 20,
	CT_OPT_BUFFERSIZE = 1 << 21, CT_OPT_ANY_NAT = 1 << 22,
	CT_OPT_ZONE = 1 << 23, CT_OPT_LABEL = 1 << 24,
	CT_OPT_ADD_LABEL = 1 << 25, CT_OPT_DEL_LABEL = 1 << 26,
	CT_OPT_ORIG_ZONE = 1 << 27, CT_OPT_REPL_ZONE = 1 << 28,
	CT_OPT_NUM = 29,
};

/* Options that make -L/-D/-E compare entries (upstream CT_COMPARISON). */
#define CT_OPT_COMPARISON (CT_OPT_PROTO | CT_OPT_ORIG | CT_OPT_REPL | \
	CT_OPT_MARK | CT_OPT_SECMARK | CT_OPT_STATUS | CT_OPT_ID | \
	CT_OPT_ZONE | CT_OPT_LABEL | CT_OPT_ORIG_ZONE | CT_OPT_REPL_ZONE)

/* -o flags (struct ct_args.output). */
enum {
	CT_OUT_XML = 1 << 0, CT_OUT_EXT = 1 << 1, CT_OUT_TMS = 1 << 2,
	CT_OUT_ID = 1 << 3, CT_OUT_KTMS = 1 << 4, CT_OUT_LABELS = 1 << 5,
	CT_OUT_SAVE = 1 << 6, CT_OUT_JSON = 1 << 7,	/* ours: JSON Lines */
	CT_OUT_USERSPACE = 1 << 8,			/* accepted, no effect */
};

/* -e flags (struct ct_args.event_mask). */
enum {
	CT_EV_NEW = 1 << 0, CT_EV_UPDATE = 1 << 1, CT_EV_DESTROY = 1 << 2,
	CT_EV_ALL = CT_EV_NEW | CT_EV_UPDATE | CT_EV_DESTROY,
};

/* Exit codes (upstream enum exittype). */
enum {
	CT_EXIT_OK = 0, CT_EXIT_OTHER = 1, CT_EXIT_PARAM = 2,
};

#define CT_ARGS_MSG_MAX		4096	/* upstream prints any length; an argument
					 * is cut where this ends */
#define CT_ARGS_WARN_MAX	4

/* A failed parse: print "conntrack v1.4.8 (conntrack-tools): <msg>",
 * plus upstream's "Try `conntrack -h' ..." line when @status is
 * CT_EXIT_PARAM, and exit with @status. */
struct ct_args_err {
	int status;			/* CT_EXIT_PARAM or CT_EXIT_OTHER */
	char msg[CT_ARGS_MSG_MAX];
};

/* How the parse gets the label map: called at most once per parse, and
 * only when label options or -o labels were given (upstream loads the
 * map lazily at that point; the callback may print its perror()-style
 * notice itself). A NULL env, callback or map means no map: every name is
 * then an unknown label. */
struct ct_args_env {
	/* Returns the map or NULL; may write a one-line notice (upstream's
	 * "nfct_labelmap_new: No such file or directory") into @notice,
	 * which the parse adds to the warnings in order. */
	const struct ct_labelmap *(*labelmap)(void *ctx, char *notice,
					      size_t len);
	void *ctx;
};

struct ct_args {
	unsigned int cmd;		/* enum ct_args_cmd */
	unsigned int table;		/* enum ct_args_table */
	uint32_t options;		/* CT_OPT_* given */
	uint32_t l4flags;		/* protocol options given (per proto) */
	int family;			/* AF_INET, AF_INET6, AF_UNSPEC */
	uint8_t protonum;		/* -p; valid with CT_OPT_PROTO */
	char proto_name[32];		/* -p's protocol name for -h output */
	int xproto;			/* -p's extension (internal index) */
	unsigned int output;		/* CT_OUT_* */
	unsigned int event_mask;	/* CT_EV_*; valid with _EVENT_MASK */
	unsigned long bufsize;		/* -b */
	int overrun_fatal;		/* --overrun-fatal (ours, -E only):
					 * the first lost event ends -E */

	/* Values: create/add/update/get. Presence bits say what was given;
	 * -m is in mark (ct_args_complete puts its value into a create), the
	 * missing direction is derived by ct_args_complete, not here. */
	struct ct_entry tmpl;
	struct { uint32_t value, mask; } mark;	/* -m VAL[/MASK] */
	uint8_t label_add[CT_LABELS_BYTES];	/* --label-add / --label-del */
	int label_add_max;			/* highest bit, -1 none */
	/* Expectation parts (-I/-D/-G expect): tuple, mask. */
	struct ct_tuple exp_tuple, exp_mask;

	/* The userspace filter of -L/-G/-D/-U/-E, complete (kernel-side parts
	 * are derived from it by ct_filter_kernel()). */
	struct ct_filter filter;

	unsigned int nwarn;
	char warn[CT_ARGS_WARN_MAX][96];	/* print each on stderr */
};

/*
 * ct_args_parse - parse one conntrack command line.
 * @argv: argc elements and a NULL; argv[0] is the program name. The
 * strings are not modified nor referenced after the call (the pointer
 * array is copied).
 * Returns 0 and fills @out; or -1 with @err filled (exact upstream text
 * and exit status). Warnings are in @out->warn on both paths and come
 * before the error on stderr. Out of memory is status 1, "OOM".
 */
int ct_args_parse(int argc, char **argv, const struct ct_args_env *env,
		  struct ct_args *out, struct ct_args_err *err);

/* The upstream long name of option bit @bit ("src", "dst", ...). */
const char *ct_args_opt_name(unsigned int bit);

/*
 * ct_args_complete - what upstream's create path adds to the template
 * before sending: the missing direction derived from the given one
 * (NFCT_SOPT_SETUP_REPLY/ORIGINAL), the label bits, the l4 fields of
 * each tuple not given, as 0 (libnetfilter_conntrack writes them all:
 * -I -p icmp without --icmp-id creates id 0). Fills @e from @a for
 * -I/-A. Returns 0.
 */
int ct_args_complete(const struct ct_args *a, struct ct_entry *e);

/*
 * ct_args_key - the entry -G asks the kernel for: the template with the
 * family and, as upstream sends them, every l4 field of a tuple with
 * addresses and protocol (0 where not given: -G with orig addresses and
 * reply ports looks up orig ports 0). ct_entry_put_key() then picks the
 * tuple. Fills @e from @a.
 */
void ct_args_key(const struct ct_args *a, struct ct_entry *e);

/* The protocol extension help of -h -p X (text after upstream's
 * "Proto `X' help:" line), or NULL when -p was not given. */
const char *ct_args_proto_help(const struct ct_args *a);

#endif
