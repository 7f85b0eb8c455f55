// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack(8)'s do_parse(): the option loop, the values of the options
 * that are neither commands (cmd/ct_args_cmd.c, with the command x
 * option matrix), addresses (cmd/ct_args_addr.c) nor protocol options
 * (cmd/ct_args_proto.c), and the checks once all are read. See
 * ct_args.h for the contract and the deliberate differences.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/ct_args_int.h"
#include "ct/labels.h"
#include "nl/uapi.h"

static const char optstring[] =
	":LIUDGEFAhVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::"
	"w:l:<:>::(:):";

static const struct ct_longopt base_opts[] = {
	{ "dump", 2, 'L' }, { "create", 2, 'I' }, { "add", 2, 'A' },
	{ "delete", 2, 'D' }, { "update", 2, 'U' }, { "get", 2, 'G' },
	{ "flush", 2, 'F' }, { "event", 2, 'E' }, { "counter", 2, 'C' },
	{ "stats", 0, 'S' }, { "version", 0, 'V' }, { "help", 0, 'h' },
	{ "orig-src", 1, 's' }, { "src", 1, 's' }, { "orig-dst", 1, 'd' },
	{ "dst", 1, 'd' }, { "reply-src", 1, 'r' }, { "reply-dst", 1, 'q' },
	{ "protonum", 1, 'p' }, { "timeout", 1, 't' }, { "status", 1, 'u' },
	{ "zero", 0, 'z' }, { "event-mask", 1, 'e' },
	{ "tuple-src", 1, '[' }, { "tuple-dst", 1, ']' },
	{ "mask-src", 1, '{' }, { "mask-dst", 1, '}' },
	{ "nat-range", 1, 'a' }, { "mark", 1, 'm' }, { "secmark", 1, 'c' },
	{ "id", 2, 'i' }, { "family", 1, 'f' }, { "src-nat", 2, 'n' },
	{ "dst-nat", 2, 'g' }, { "output", 1, 'o' },
	{ "buffer-size", 1, 'b' }, { "any-nat", 2, 'j' }, { "zone", 1, 'w' },
	{ "label", 1, 'l' }, { "label-add", 1, '<' },
	{ "label-del", 2, '>' }, { "orig-zone", 1, '(' },
	{ "reply-zone", 1, ')' },
	/* ours, not in upstream's table (so not in -h): -E only */
	{ "overrun-fatal", 0, 'O' },
};
#define NBASE ((int)(sizeof(base_opts) / sizeof(base_opts[0])))

int ct_args_fail(struct ct_parse *p, int status, const char *fmt, ...)
{
	va_list ap;

	p->err->status = status;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void ct_args_warn(struct ct_parse *p, const char *fmt, ...)
{
	struct ct_args *a = p->a;
	va_list ap;

	if (a->nwarn >= CT_ARGS_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(a->warn[a->nwarn++], sizeof(a->warn[0]), fmt, ap);
	va_end(ap);
}

/* parse_value(): strtoul base 0, whole string, at most @max. */
static int parse_value(const char *s, unsigned long max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (end == s || *end || (v == ULONG_MAX && errno == ERANGE) ||
	    v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* parse_u32_mask(): VAL[/MASK]; unlike upstream the mask is checked too. */
static int parse_mark(const char *s, uint32_t *val, uint32_t *mask)
{
	unsigned long v, m = UINT32_MAX;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (end == s || (*end && *end != '/') || errno || v > UINT32_MAX)
		return -1;
	if (*end == '/') {
		const char *ms = end + 1;

		errno = 0;
		m = strtoul(ms, &end, 0);
		if (end == ms || *end || errno || m > UINT32_MAX)
			return -1;
	}
	*val = (uint32_t)v;
	*mask = (uint32_t)m;
	return 0;
}

/* merge_options(): -p appends the extension's options, their values
 * offset by 256 per -p. A set of options already merged twice adds
 * nothing observable (exact matches find the first copy, abbreviations
 * are ambiguous anyway), so only two copies are kept. */
static int proto(struct ct_parse *p, const char *arg)
{
	struct ct_args *a = p->a;
	const struct ct_xproto *x;
	int xi;
	uint8_t num;

	a->options |= CT_OPT_PROTO;
	if (ct_args_proto_find(arg, &xi, &num) < 0)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "`%s' unsupported protocol", arg);
	x = &ct_xprotos[xi];
	p->merges++;
	if (p->merged_twice[xi] < 2 &&
	    p->nlo + x->nopts <= CT_LONGOPT_MAX) {
		p->merged_twice[xi]++;
		for (int i = 0; i < x->nopts; i++) {
			p->lo[p->nlo].name = x->opts[i].name;
			p->lo[p->nlo].has_arg = 1;
			p->lo[p->nlo].val = (int)(p->merges * CT_PROTO_VAL) + i;
			p->nlo++;
		}
	}
	p->h = xi;
	a->xproto = xi;
	a->protonum = num;
	a->tmpl.orig.l4 = num;
	a->tmpl.orig.set |= CT_TUPLE_PROTO;
	a->tmpl.set |= CT_ORIG;
	if (x->name) {
		snprintf(a->proto_name, sizeof(a->proto_name), "%s", x->name);
	} else {
		ct_args_proto_dbname(num, a->proto_name,
				     sizeof(a->proto_name));
	}
	return 0;
}

static int add_label(struct ct_parse *p, const char *name, int modify)
{
	if (p->nlabels == p->caplabels) {
		unsigned int cap = p->caplabels ? p->caplabels * 2 : 8;
		const char **l = realloc(p->labels, cap * sizeof(*l));
		uint8_t *m;

		if (!l)
			return -ENOMEM;
		p->labels = l;
		m = realloc(p->label_mod, cap);
		if (!m)
			return -ENOMEM;
		p->label_mod = m;
		p->caplabels = cap;
	}
	p->labels[p->nlabels] = name;
	p->label_mod[p->nlabels++] = (uint8_t)modify;
	return 0;
}

static int number_opt(struct ct_parse *p, int c, const char *arg)
{
	struct ct_args *a = p->a;
	uint32_t v;

	if (!arg)	/* --id without "=N": upstream crashes */
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "option `--id' requires an argument");
	if (parse_value(arg, (c == 'i' || c == 'c') ? UINT32_MAX : 65535,
			&v) < 0)
		return ct_args_fail(p, CT_EXIT_OTHER,
				    "unexpected value '%s' with -%c option",
				    arg, c);
	switch (c) {
	case 'w':
		a->options |= CT_OPT_ZONE;
		a->tmpl.zone = (uint16_t)v;
		a->tmpl.set |= CT_ZONE;
		break;
	case '(':
	case ')': {
		struct ct_tuple *t = c == '(' ? &a->tmpl.orig : &a->tmpl.reply;

		a->options |= c == '(' ? CT_OPT_ORIG_ZONE : CT_OPT_REPL_ZONE;
		t->zone = (uint16_t)v;
		t->set |= CT_TUPLE_ZONE;
		a->tmpl.set |= c == '(' ? CT_ORIG : CT_REPLY;
		break;
	}
	case 'i':
		a->options |= CT_OPT_ID;
		a->tmpl.id = v;
		a->tmpl.set |= CT_ID;
		break;
	default:
		a->options |= CT_OPT_SECMARK;
		a->tmpl.secmark = v;
		a->tmpl.set |= CT_SECMARK;
		break;
	}
	return 0;
}

static int option(struct ct_parse *p, int c)
{
	struct ct_args *a = p->a;
	struct ct_getopt *g = &p->g;
	const char *arg = g->optarg;

	switch (c) {
	case 'L': case 'I': case 'D': case 'G': case 'F': case 'E':
	case 'V': case 'h': case 'C': case 'S': case 'U': case 'A':
		return ct_args_command(p, c);
	case 's': case 'd': case 'r': case 'q': case '[': case ']':
	case '{': case '}':
		return ct_args_addr_opt(p, c, arg);
	case 'p':
		return proto(p, arg);
	case 't':
		a->options |= CT_OPT_TIMEOUT;
		a->tmpl.timeout = (uint32_t)atol(arg);
		a->tmpl.set |= CT_TIMEOUT;
		return 0;
	case 'u':
		a->options |= CT_OPT_STATUS;
		return ct_args_status(p, arg);
	case 'e':
		a->options |= CT_OPT_EVENT_MASK;
		return ct_args_enum(p, arg, &a->event_mask, CT_ENUM_EVENT);
	case 'o':
		a->options |= CT_OPT_OUTPUT;
		if (ct_args_enum(p, arg, &a->output, CT_ENUM_OUTPUT) < 0)
			return -1;
		if ((a->output & CT_OUT_SAVE) &&
		    (a->output & (CT_OUT_EXT | CT_OUT_TMS | CT_OUT_ID |
				  CT_OUT_KTMS | CT_OUT_LABELS | CT_OUT_XML)))
			return ct_args_fail(p, CT_EXIT_OTHER,
				"cannot combine save output with any other "
				"output type, use -o save only");
		if ((a->output & CT_OUT_JSON) &&
		    (a->output & (CT_OUT_SAVE | CT_OUT_XML)))
			return ct_args_fail(p, CT_EXIT_OTHER,
				"cannot combine json output with xml or save "
				"output");
		return 0;
	case 'z':
		a->options |= CT_OPT_ZERO;
		return 0;
	case 'n': case 'g': case 'j':
		return ct_args_nat_opt(p, c);
	case 'w': case '(': case ')': case 'i': case 'c':
		return number_opt(p, c, arg);
	case 'm':
		a->options |= CT_OPT_MARK;
		if (parse_mark(arg, &a->mark.value, &a->mark.mask) < 0)
			return ct_args_fail(p, CT_EXIT_OTHER,
				"unexpected value '%s' with -%c option", arg, c);
		return 0;
	case 'l': case '<': case '>':
		a->options |= c == 'l' ? CT_OPT_LABEL :
			      c == '<' ? CT_OPT_ADD_LABEL : CT_OPT_DEL_LABEL;
		if ((a->options & (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL)) ==
		    (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL))
			return ct_args_fail(p, CT_EXIT_OTHER,
				"cannot use --label-add and --label-del at "
				"the same time");
		if (c == '>') {
			/* get_optional_arg(): an attached argument is lost */
			if (g->optarg || g->optind >= g->argc ||
			    g->argv[g->optind][0] == '-' ||
			    g->argv[g->optind][0] == '!')
				return 0;
			arg = g->argv[g->optind++];
		}
		if (add_label(p, arg, c != 'l') < 0)
			return ct_args_fail(p, CT_EXIT_OTHER, "OOM");
		return 0;
	case 'a':
		ct_args_warn(p, "WARNING: ignoring -%c, deprecated option.", c);
		return 0;
	case 'f':
		a->options |= CT_OPT_FAMILY;
		if (!strncmp(arg, "ipv4", 4))
			return ct_args_set_family(p, AF_INET);
		if (!strncmp(arg, "ipv6", 4))
			return ct_args_set_family(p, AF_INET6);
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "`%s' unsupported protocol", arg);
	case 'O':
		a->overrun_fatal = 1;
		return 0;
	case 'b':
		a->options |= CT_OPT_BUFFERSIZE;
		a->bufsize = (unsigned long)atol(arg);
		return 0;
	case ':':
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "option `%s' requires an argument",
				    g->argv[g->optind - 1]);
	case '?':
		return ct_args_fail(p, CT_EXIT_PARAM, "unknown option `%s'",
				    g->argv[g->optind - 1]);
	default:
		/* an extension option counts only if it belongs to the
		 * latest -p (upstream subtracts the latest offset) */
		if (p->h >= 0 && c / CT_PROTO_VAL == (int)p->merges)
			return ct_args_proto_opt(p, c % CT_PROTO_VAL, arg);
		return 0;
	}
}

static int resolve_labels(struct ct_parse *p)
{
	const struct ct_labelmap *map = NULL;
	struct ct_args *a = p->a;
	char notice[96] = "";

	if (p->env && p->env->labelmap)
		map = p->env->labelmap(p->env->ctx, notice, sizeof(notice));
	if (notice[0])
		ct_args_warn(p, "%s", notice);
	for (unsigned int i = 0; i < p->nlabels; i++) {
		struct ct_labelmap_err le;
		uint8_t *bits = p->label_mod[i] ? a->label_add :
						  a->filter.labels;
		int r = ct_labelmap_parse_list(map, p->labels[i], bits, &le);

		if (r < 0)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "unknown label '%s'", le.name);
		if (p->label_mod[i]) {
			if (r > a->label_add_max)
				a->label_add_max = r;
		} else {
			a->filter.set |= CT_F_LABELS;
		}
	}
	return 0;
}



static int parse(struct ct_parse *p, int argc, char **argv)
{
	struct ct_args *a = p->a;
	static const uint32_t pairs[2] = { CT_OPT_ORIG, CT_OPT_REPL };
	unsigned int cmd;
	int c, partial = -1, r;

	memcpy(p->lo, base_opts, sizeof(base_opts));
	p->nlo = NBASE;
	p->h = -1;
	ct_getopt_init(&p->g, argc, argv, optstring);
	while ((c = ct_getopt_next(&p->g, p->lo, p->nlo)) != -1)
		if (option(p, c) < 0)
			return -1;

	cmd = a->cmd;
	if (a->family == AF_UNSPEC && cmd != CT_CMD_LIST &&
	    cmd != CT_CMD_UPDATE && cmd != CT_CMD_DELETE &&
	    cmd != CT_CMD_GET && cmd != CT_CMD_FLUSH && cmd != CT_CMD_EVENT)
		a->family = AF_INET;
	a->tmpl.family = (uint8_t)a->family;
	if ((a->options & (CT_OPT_LABEL | CT_OPT_ADD_LABEL |
			   CT_OPT_DEL_LABEL)) ||
	    ((a->options & CT_OPT_OUTPUT) && (a->output & CT_OUT_LABELS)))
		if (resolve_labels(p) < 0)
			return -1;
	if ((a->options & CT_OPT_ANY_NAT) &&
	    (a->options & (CT_OPT_SRC_NAT | CT_OPT_DST_NAT)))
		return ct_args_fail(p, CT_EXIT_PARAM, "cannot specify "
				    "`--src-nat' or `--dst-nat' with "
				    "`--any-nat'");
	r = ct_args_generic_check(p, a->options, CT_OPT_NUM,
				  cmd < CT_CMD_MAX ? ct_args_matrix[cmd] : NULL,
				  ct_args_optflags, pairs, &partial);
	if (r < 0)
		return -1;
	if (r == 0)
		return ct_args_fail(p, CT_EXIT_PARAM, partial == 1 ?
			"you have to specify `--reply-src' and `--reply-dst'" :
			"you have to specify `--src' and `--dst'");
	if (a->overrun_fatal && cmd != CT_CMD_EVENT &&
	    cmd != CT_CMD_EXP_EVENT)
		return ct_args_fail(p, CT_EXIT_PARAM, "Illegal option "
				    "`--overrun-fatal' with this command");
	if (cmd != CT_CMD_HELP && p->h >= 0 &&
	    ct_args_proto_final(p, cmd) < 0)
		return -1;
	if (p->status || p->status_neg || (a->options & CT_OPT_STATUS)) {
		a->tmpl.status = p->status;
		a->tmpl.set |= CT_STATUS;
	}
	return ct_args_build_filter(p);
}

int ct_args_parse(int argc, char **argv, const struct ct_args_env *env,
		  struct ct_args *out, struct ct_args_err *err)
{
	/* on the stack: -R parses every line, and a malloc and free per
	 * line costs an mmap and munmap with some allocators (musl's) */
	struct ct_parse ps, *p = &ps;
	char *av_short[64];
	char **av = av_short;
	int r;

	memset(out, 0, sizeof(*out));
	err->status = 0;	/* not memset: the message buffer is large */
	err->msg[0] = '\0';
	memset(p, 0, sizeof(*p));
	out->cmd = CT_CMD_NONE;
	out->label_add_max = -1;
	if (argc >= (int)(sizeof(av_short) / sizeof(av_short[0])))
		av = calloc((size_t)argc + 1, sizeof(*av));
	if (!av) {
		err->status = CT_EXIT_OTHER;
		snprintf(err->msg, sizeof(err->msg), "OOM");
		return -1;
	}
	for (int i = 0; i < argc; i++)
		av[i] = argv[i];
	av[argc > 0 ? argc : 0] = NULL;
	p->a = out;
	p->err = err;
	p->env = env;
	r = parse(p, argc, av);
	free(p->labels);
	free(p->label_mod);
	if (av != av_short)
		free(av);
	return r < 0 ? -1 : 0;
}
