/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the ct_args_*.c files of the command-line parser:
 * the parse state, the protocol extension table and the helpers that
 * format upstream's errors. Not for other modules.
 */
#ifndef RAWCT_CMD_CT_ARGS_INT_H
#define RAWCT_CMD_CT_ARGS_INT_H

#include <stdint.h>

#include "cmd/ct_args.h"
#include "cmd/ct_getopt.h"

/* Matrix cells, as upstream's commands_v_options. */
enum { X_ILL = 0, X_REQ = 1, X_OPT = 2, X_TUP = 3 };

/* What a protocol option does. */
enum ct_xop {
	XO_SPORT, XO_DPORT, XO_RSPORT, XO_RDPORT, XO_MSPORT, XO_MDPORT,
	XO_STATE, XO_TSPORT, XO_TDPORT, XO_OVTAG, XO_RVTAG, XO_ROLE,
	XO_ICMP_TYPE, XO_ICMP_CODE, XO_ICMP_ID,
};

struct ct_xopt {
	const char *name;
	uint8_t op;		/* enum ct_xop */
	uint8_t bit;		/* flag bit = matrix column */
};

#define CT_XFLAGS_MAX	12

/* One protocol extension (extensions/libct_proto_*.c). */
struct ct_xproto {
	const char *name;		/* NULL for the "unknown" handler */
	uint8_t num;
	uint8_t kind;			/* enum ct_l4_kind */
	const struct ct_xopt *opts;
	uint8_t nopts;
	const char *const *flagnames;	/* by bit, for the matrix messages */
	uint8_t nflags;
	const uint8_t (*matrix)[CT_XFLAGS_MAX];	/* [CT_CMD_MAX] */
	const char *tuple_msg[2];	/* orig, reply pair missing */
	const char *help;
};

/* cmd/ct_args_xproto.c: the extensions, indexed by struct ct_parse's h */
extern const struct ct_xproto ct_xprotos[];
extern const unsigned int ct_nxprotos;
#define CT_XPROTO_UNKNOWN 0	/* index of the unknown handler */

#define CT_LONGOPT_MAX	320
#define CT_PROTO_VAL	256	/* upstream's OPTION_OFFSET */

struct ct_parse {
	struct ct_args *a;
	struct ct_args_err *err;
	const struct ct_args_env *env;
	struct ct_getopt g;
	struct ct_longopt lo[CT_LONGOPT_MAX];
	int nlo;
	unsigned int merges;		/* -p seen: option offset / 256 */
	uint8_t merged_twice[16];	/* per xproto: segments stored */
	int h;				/* current extension, -1 none */
	unsigned int command;		/* bit mask as upstream */
	uint32_t status, status_neg;	/* -u */
	int unreplied;
	int have_mask[2];		/* --mask-src/dst or CIDR seen */
	const char **labels;		/* -l/--label-add/--label-del args */
	uint8_t *label_mod;		/* per label: modify list? */
	unsigned int nlabels, caplabels;
};

/* Sets the error (printf-style) and returns -1. */
int ct_args_fail(struct ct_parse *p, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds a warning line. */
void ct_args_warn(struct ct_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ct_args_cmd.c */
/* upstream's commands_v_options: per command, an X_* cell per option bit */
extern const uint8_t ct_args_matrix[CT_CMD_MAX][CT_OPT_NUM];
/* the long name of each option bit, as the matrix's messages print it */
extern const char *const ct_args_optflags[CT_OPT_NUM];
/* The command option @c ('L', 'I', ... as getopt returns it) and the
 * table word that may follow it: sets p->command, p->a->cmd and
 * p->a->table. Returns 0, or -1 with the error set (unknown table word,
 * a command the table lacks, a second command). */
int ct_args_command(struct ct_parse *p, int c);

/* ct_args_addr.c */
int ct_args_addr_opt(struct ct_parse *p, int opt, const char *arg);
int ct_args_nat_opt(struct ct_parse *p, int opt);
int ct_args_addr_opt_mask(struct ct_parse *p, int maskopt, int family,
			  const union ct_addr *m);
int ct_args_status(struct ct_parse *p, const char *arg);
int ct_args_enum(struct ct_parse *p, const char *arg, unsigned int *value,
		 int type);
enum { CT_ENUM_EVENT, CT_ENUM_OUTPUT };
int ct_args_set_family(struct ct_parse *p, int family);
/* The long name upstream's get_long_opt() finds for @val. */
const char *ct_args_long_name(const struct ct_parse *p, int val);

/* ct_args_filter.c: the -z/--mask checks and the filter of -L/-D/-U/-E */
int ct_args_build_filter(struct ct_parse *p);

/* ct_args_proto.c */
int ct_args_proto_find(const char *name, int *xproto, uint8_t *num);

/* The name /etc/protocols gives protocol @num, or "unknown", into @buf
 * (thread-safe). */
void ct_args_proto_dbname(uint8_t num, char *buf, size_t len);
int ct_args_proto_opt(struct ct_parse *p, int op_index, const char *arg);
int ct_args_proto_final(struct ct_parse *p, unsigned int cmd);
int ct_args_generic_check(struct ct_parse *p, uint32_t given, int nopts,
			  const uint8_t *row, const char *const *names,
			  const uint32_t *pairs, int *partial);

#endif
