// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfct(8)'s command-line parser (cmd/nfct_args.h). The words and their
 * order, the argument counts each command checks and the messages are
 * upstream's (src/nfct.c, src/nfct-extensions/{timeout,helper}.c);
 * where upstream is wrong the fix is declared in nfct(8): an error names
 * the word at fault, a subsystem spelt out in full wins over a longer one
 * it prefixes (so `help` is reachable), `nfct help` and `nfct version`
 * work alone, timeouts are decimal numbers that fit 32 bits, and names
 * too long for the kernel are refused rather than cut.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/nfct_args.h"
#include "cth/builtin.h"
#include "nl/cthelper.h"
#include "nl/cttimeout.h"
#include "nl/uapi.h"

#define PFX "nfct v" NFCT_VERSION ": "

/* In upstream's order: the first that the word prefixes wins. */
static const char *const cmds[] = {
	[NFCT_CMD_LIST] = "list", [NFCT_CMD_ADD] = "add",
	[NFCT_CMD_DELETE] = "delete", [NFCT_CMD_GET] = "get",
	[NFCT_CMD_FLUSH] = "flush", [NFCT_CMD_DISABLE] = "disable",
	[NFCT_CMD_DEFAULT_SET] = "default-set",
	[NFCT_CMD_DEFAULT_GET] = "default-get",
};
static const char *const subsystems[] = {
	[NFCT_SUBSYS_TIMEOUT] = "timeout", [NFCT_SUBSYS_HELPER] = "helper",
	[NFCT_SUBSYS_VERSION] = "version", [NFCT_SUBSYS_HELP] = "help",
};

struct parse {
	int argc;
	char *const *argv;
	const struct nfct_args_env *env;
	struct nfct_args *a;
	struct nfct_args_err *err;
	int cmd_word;		/* argv index of the command word */
	size_t len;		/* of err->text */
};

/* Appends a line (or lines) to the error text; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
static int say(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->len >= sizeof(p->err->text) - 1)
		return -EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(p->err->text + p->len, sizeof(p->err->text) - p->len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len += (size_t)n;
	if (p->len > sizeof(p->err->text) - 1)
		p->len = sizeof(p->err->text) - 1;
	return -EINVAL;
}

static int usage(struct parse *p)
{
	return say(p, "Usage: %s command subsystem [parameters]...\n",
		   p->argv[0]);
}

/* The index of the first of @n words that @w prefixes, or -1; with
 * @exact, a word equal to @w wins over an earlier one it prefixes. */
static int lookup(const char *const *words, int n, const char *w, int exact)
{
	size_t len = strlen(w);

	for (int i = 1; exact && i < n; i++)
		if (!strcmp(words[i], w))
			return i;
	for (int i = 1; i < n; i++)
		if (!strncmp(words[i], w, len))
			return i;
	return -1;
}

#define NWORDS(t) ((int)(sizeof(t) / sizeof(t[0])))

static int l3_parse(struct parse *p, const char *w, uint16_t *l3)
{
	if (!strcmp(w, "inet"))
		*l3 = AF_INET;
	else if (!strcmp(w, "inet6"))
		*l3 = AF_INET6;
	else
		return say(p, PFX "unknown layer 3 protocol\n");
	return 0;
}

/* /etc/protocols (or, where the libc has no such file or a short
 * built-in list, its names of the protocols with timeout states), then
 * upstream's two extra names. */
static int l4_parse(struct parse *p, const char *w, uint8_t *l4)
{
	int num = p->env && p->env->proto_byname ?
		  p->env->proto_byname(w, p->env->arg) : -1;
	const struct tmo_proto *pr = tmo_proto_byname(w);

	if (num < 0 && pr)
		num = pr->l4proto;
	if (num < 0 && !strcmp(w, "icmpv6"))
		num = IPPROTO_ICMPV6;
	else if (num < 0 && !strcmp(w, "generic"))
		num = TMO_PROTO_GENERIC;
	if (num < 0 || num > 255)
		return say(p, PFX "unknown layer 4 protocol\n");
	*l4 = (uint8_t)num;
	return 0;
}

/* Seconds: decimal digits only, within 32 bits. */
static int secs_parse(const char *w, uint32_t *v)
{
	unsigned long long n = 0;

	if (!*w)
		return -EINVAL;
	for (; *w; w++) {
		if (*w < '0' || *w > '9')
			return -EINVAL;
		n = n * 10 + (unsigned int)(*w - '0');
		if (n > UINT32_MAX)
			return -ERANGE;
	}
	*v = (uint32_t)n;
	return 0;
}

/* FAMILY PROTO [STATE SECS]... from argv[@i] on. */
static int tmo_states(struct parse *p, int i)
{
	struct tmo_policy *t = &p->a->tmo;
	const struct tmo_proto *pr;
	const char *proto = p->argv[i + 1];
	int s;

	if (l3_parse(p, p->argv[i], &t->l3proto) < 0 ||
	    l4_parse(p, proto, &t->l4proto) < 0)
		return -EINVAL;
	t->has |= TMO_HAS_L3 | TMO_HAS_L4;
	pr = tmo_proto_find(t->l4proto);
	for (i += 2; i + 1 < p->argc; i += 2) {
		s = pr ? tmo_proto_state(pr, p->argv[i]) : -ENOENT;
		if (s < 0)
			return say(p, PFX "Wrong state name: `%s' for protocol "
				   "`%s'\n", p->argv[i], proto);
		if (secs_parse(p->argv[i + 1], &t->secs[s]) < 0)
			return say(p, PFX "Wrong timeout value: `%s' for state "
				   "`%s'\n", p->argv[i + 1], p->argv[i]);
		t->set |= 1u << s;
	}
	if (i < p->argc)
		return say(p, PFX "missing value for this timeout\n");
	return 0;
}

static int tmo_name(struct parse *p, const char *name)
{
	if (tmo_policy_set_name(&p->a->tmo, name) < 0)
		return say(p, PFX "timeout policy name too long: `%s' (at most "
			   "%d characters)\n", name, CTNL_TIMEOUT_NAME_MAX - 1);
	return 0;
}

/* argc at most @max, else "too many arguments". */
static int most(struct parse *p, int max)
{
	return p->argc > max ? say(p, PFX "too many arguments\n") : 0;
}

static int no_params(struct parse *p)
{
	return most(p, 3);
}

/* delete and get: NAME and nothing else. */
static int tmo_named(struct parse *p)
{
	if (p->argc < 4)
		return say(p, PFX "missing timeout policy name\n");
	return most(p, 4) < 0 ? -EINVAL : tmo_name(p, p->argv[3]);
}

static int tmo_add(struct parse *p)
{
	if (p->argc < 6)
		return say(p, PFX "missing parameters\nsyntax: nfct add timeout "
			   "name family protocol state1 timeout1 ...\n");
	return tmo_name(p, p->argv[3]) < 0 ? -EINVAL : tmo_states(p, 4);
}

static int tmo_default_set(struct parse *p)
{
	if (p->argc < 6)
		return say(p, PFX "missing parameters\nsyntax: nfct default-set "
			   "timeout family protocol state1 timeout1...\n");
	return tmo_states(p, 3);
}

/* (upstream ignores words after the protocol) */
static int tmo_default_get(struct parse *p)
{
	struct tmo_policy *t = &p->a->tmo;

	if (p->argc < 5)
		return say(p, PFX "missing parameters\nsyntax: nfct default-get "
			   "timeout family protocol\n");
	if (l3_parse(p, p->argv[3], &t->l3proto) < 0 ||
	    l4_parse(p, p->argv[4], &t->l4proto) < 0)
		return -EINVAL;
	t->has |= TMO_HAS_L3 | TMO_HAS_L4;
	return 0;
}

/* Upstream's helpers speak tcp or udp only. */
static int cth_l4(struct parse *p, const char *w)
{
	if (!strcmp(w, "tcp"))
		p->a->cth.l4proto = IPPROTO_TCP;
	else if (!strcmp(w, "udp"))
		p->a->cth.l4proto = IPPROTO_UDP;
	else
		return say(p, PFX "unsupported layer 4 protocol\n");
	return 0;
}

/* add, disable: NAME FAMILY PROTO of a built-in helper. */
static int cth_builtin(struct parse *p)
{
	struct cth_helper *h = &p->a->cth;
	const struct cth_builtin *b;

	if (p->argc < 6)
		return say(p, PFX "missing parameters\nsyntax: nfct %s helper "
			   "name family protocol\n", cmds[p->a->cmd]);
	if (l3_parse(p, p->argv[4], &h->l3proto) < 0 ||
	    cth_l4(p, p->argv[5]) < 0)
		return -EINVAL;
	b = cth_builtin_find(p->argv[3], h->l4proto);
	if (!b)
		return say(p, PFX "that helper is not supported\n");
	/* (a built-in's name always fits) */
	cth_helper_set_name(h, p->argv[3]);
	h->has |= CTH_HAS_TUPLE;
	if (p->a->cmd == NFCT_CMD_ADD) {
		cth_builtin_apply(h, b);
	} else {
		h->status = NFCT_HELPER_STATUS_DISABLED;
		h->has |= CTH_HAS_STATUS;
	}
	return 0;
}

/* delete, get: NAME [FAMILY [PROTO]]. */
static int cth_named(struct parse *p)
{
	struct cth_helper *h = &p->a->cth;

	if (p->argc < 4)
		return say(p, PFX "missing helper policy name\n");
	if (most(p, 6) < 0)
		return -EINVAL;
	if (cth_helper_set_name(h, p->argv[3]) < 0)
		return say(p, PFX "helper name too long: `%s' (at most %d "
			   "characters)\n", p->argv[3],
			   NF_CT_HELPER_NAME_LEN - 1);
	if (p->argc >= 5 && l3_parse(p, p->argv[4], &h->l3proto) < 0)
		return -EINVAL;
	if (p->argc == 6 && cth_l4(p, p->argv[5]) < 0)
		return -EINVAL;
	if (p->argc >= 5)
		h->has |= CTH_HAS_TUPLE;
	return 0;
}

/* What each command of a subsystem sends, and how its words parse. */
struct verb {
	int cmd;
	uint8_t type;
	uint16_t flags;
	uint8_t has_obj, prints;
	int (*parse)(struct parse *p);
};

#define ACK NLM_F_ACK
#define CRACK (NLM_F_CREATE | NLM_F_ACK)
static const struct verb tmo_verbs[] = {
	{ NFCT_CMD_LIST, IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP, 0, 1, no_params },
	{ NFCT_CMD_ADD, IPCTNL_MSG_TIMEOUT_NEW, CRACK, 1, 0, tmo_add },
	{ NFCT_CMD_DELETE, IPCTNL_MSG_TIMEOUT_DELETE, ACK, 1, 0, tmo_named },
	{ NFCT_CMD_GET, IPCTNL_MSG_TIMEOUT_GET, ACK, 1, 1, tmo_named },
	{ NFCT_CMD_FLUSH, IPCTNL_MSG_TIMEOUT_DELETE, ACK, 0, 0, no_params },
	{ NFCT_CMD_DEFAULT_SET, IPCTNL_MSG_TIMEOUT_DEFAULT_SET, ACK, 1, 1,
	  tmo_default_set },
	{ NFCT_CMD_DEFAULT_GET, IPCTNL_MSG_TIMEOUT_DEFAULT_GET, ACK, 1, 1,
	  tmo_default_get },
};
static const struct verb cth_verbs[] = {
	{ NFCT_CMD_LIST, NFNL_MSG_CTHELPER_GET, NLM_F_DUMP, 0, 1, no_params },
	{ NFCT_CMD_ADD, NFNL_MSG_CTHELPER_NEW, CRACK, 1, 0, cth_builtin },
	{ NFCT_CMD_DELETE, NFNL_MSG_CTHELPER_DEL, ACK, 1, 0, cth_named },
	{ NFCT_CMD_GET, NFNL_MSG_CTHELPER_GET, ACK, 1, 1, cth_named },
	{ NFCT_CMD_FLUSH, NFNL_MSG_CTHELPER_DEL, ACK, 0, 0, no_params },
	{ NFCT_CMD_DISABLE, NFNL_MSG_CTHELPER_NEW, CRACK, 1, 0, cth_builtin },
};

static const struct verb *verb_find(const struct verb *v, size_t n, int cmd)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].cmd == cmd)
			return &v[i];
	return NULL;
}

/* The subsystem's command, or upstream's complaint about it. */
static int verb_run(struct parse *p)
{
	struct nfct_args *a = p->a;
	const struct verb *v;

	if (a->subsys == NFCT_SUBSYS_TIMEOUT)
		v = verb_find(tmo_verbs, NWORDS(tmo_verbs), a->cmd);
	else
		v = verb_find(cth_verbs, NWORDS(cth_verbs), a->cmd);
	if (!v && a->subsys == NFCT_SUBSYS_TIMEOUT)
		return say(p, PFX "Missing command\n%s <list|add|delete|get|"
			   "default-set|default-get|flush> timeout "
			   "[<parameters>, ...]\n", p->argv[0]);
	if (!v) {
		say(p, PFX "Unknown command: %s\n", p->argv[p->cmd_word]);
		return say(p, PFX "Missing command\n%s helper list|add|delete|"
			   "disable|get|flush [parameters...]\n", p->argv[0]);
	}
	a->type = v->type;
	a->flags = v->flags;
	a->has_obj = v->has_obj;
	a->prints = v->prints;
	return v->parse(p);
}

/* COMMAND SUBSYSTEM, or SUBSYSTEM COMMAND as older nfct took them. */
static int words(struct parse *p)
{
	struct nfct_args *a = p->a;
	char *const *argv = p->argv;

	a->cmd = lookup(cmds, NWORDS(cmds), argv[1], 0);
	if (a->cmd > 0) {
		p->cmd_word = 1;
		a->subsys = lookup(subsystems, NWORDS(subsystems), argv[2], 1);
		if (a->subsys < 0) {
			say(p, PFX "Unknown subsystem: %s\n", argv[2]);
			return usage(p);
		}
		return 0;
	}
	a->subsys = lookup(subsystems, NWORDS(subsystems), argv[1], 1);
	if (a->subsys < 0) {
		say(p, PFX "Unknown subsystem: %s\n", argv[1]);
		return usage(p);
	}
	p->cmd_word = 2;
	a->cmd = lookup(cmds, NWORDS(cmds), argv[2], 0);
	if (a->cmd < 0) {
		say(p, PFX "Unknown command: %s\n", argv[2]);
		return usage(p);
	}
	return 0;
}

int nfct_args_parse(int argc, char *const *argv,
		    const struct nfct_args_env *env, struct nfct_args *a,
		    struct nfct_args_err *err)
{
	struct parse p = { argc, argv, env, a, err, 0, 0 };
	const char *prog = argc > 0 && argv[0] ? argv[0] : "nfct";
	char *const none[] = { (char *)prog, NULL };

	memset(a, 0, sizeof(*a));
	err->text[0] = '\0';
	if (argc < 1)
		p.argv = none;
	if (argc == 2 && !strcmp(argv[1], "help")) {
		a->subsys = NFCT_SUBSYS_HELP;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "version")) {
		a->subsys = NFCT_SUBSYS_VERSION;
		return 0;
	}
	if (argc < 3)
		return usage(&p);
	if (words(&p) < 0)
		return -EINVAL;
	if (a->subsys == NFCT_SUBSYS_TIMEOUT ||
	    a->subsys == NFCT_SUBSYS_HELPER)
		return verb_run(&p);
	return 0;
}
