// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack(8)'s commands: the command options (-L, -I, -D, ...) with the
 * table word that may follow them (expect, dying, unconfirmed), and
 * upstream's commands_v_options matrix that says which options each
 * command requires, allows or refuses, with the option names its
 * messages print. cmd/ct_args.c's option loop and final check use them.
 */
#include <string.h>

#include "cmd/ct_args_int.h"

const char *const ct_args_optflags[CT_OPT_NUM] = {
	"src", "dst", "reply-src", "reply-dst", "protonum", "timeout",
	"status", "zero", "event-mask", "tuple-src", "tuple-dst", "mask-src",
	"mask-dst", "nat-range", "mark", "id", "family", "src-nat",
	"dst-nat", "output", "secmark", "buffer-size", "any-nat", "zone",
	"label", "label-add", "label-del", "orig-zone", "reply-zone",
};

/* commands_v_options: 0 illegal, 1 required, 2 optional, 3 tuple rule.
 *           s d r q p t u z e [ ] { } a m i f n g o c b j w l < > ( ) */
#define R(c) [CT_CMD_##c]
const uint8_t ct_args_matrix[CT_CMD_MAX][CT_OPT_NUM] = {
	R(LIST) =   {2,2,2,2,2,0,2,2,0,0,0,2,2,0,2,0,2,2,2,2,2,0,2,2,2,0,0,2,2},
	R(CREATE) = {3,3,3,3,1,1,2,0,0,0,0,0,0,2,2,0,0,2,2,0,0,0,0,2,0,2,0,2,2},
	R(UPDATE) = {2,2,2,2,2,2,2,0,0,0,0,2,2,0,2,2,2,2,2,2,0,0,0,0,2,2,2,0,0},
	R(DELETE) = {2,2,2,2,2,2,2,0,0,0,0,2,2,0,2,2,2,2,2,2,0,0,0,2,2,0,0,2,2},
	R(GET) =    {3,3,3,3,1,0,0,0,0,0,0,0,0,0,0,2,0,0,0,2,0,0,0,0,2,0,0,0,0},
	R(FLUSH) =  {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0,0,0,0,0,0,0,0,0,0},
	R(EVENT) =  {2,2,2,2,2,0,0,0,2,0,0,2,2,0,2,0,2,2,2,2,2,2,2,2,2,0,0,2,2},
	R(HELP) =   {0,0,0,0,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0},
	R(EXP_LIST) = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,0,0,2,0,0,0,0,0,0,0,0,0},
	R(EXP_CREATE) = {1,1,2,2,1,1,2,0,0,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0},
	R(EXP_DELETE) = {1,1,2,2,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0},
	R(EXP_GET) = {1,1,2,2,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0},
	R(EXP_EVENT) = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0,0,0,0,0,0,0},
	R(ADD) =    {3,3,3,3,1,1,2,0,0,0,0,0,0,2,2,0,0,2,2,0,0,0,0,2,0,2,0,2,2},
};
#undef R

const char *ct_args_opt_name(unsigned int bit)
{
	return bit < CT_OPT_NUM ? ct_args_optflags[bit] : "unknown";
}

/* check_type(): the table word after a command. */
static int table_word(struct ct_parse *p, unsigned int *table)
{
	struct ct_getopt *g = &p->g;
	static const struct { const char *name; unsigned int t; } tabs[] = {
		{ "expect", CT_TABLE_EXPECT },
		{ "conntrack", CT_TABLE_CONNTRACK },
		{ "dying", CT_TABLE_DYING },
		{ "unconfirmed", CT_TABLE_UNCONFIRMED },
	};
	const char *w;

	*table = CT_TABLE_CONNTRACK;
	if (g->optarg || g->optind >= g->argc ||
	    g->argv[g->optind][0] == '-' || g->argv[g->optind][0] == '!')
		return 0;
	w = g->argv[g->optind++];
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		if (!strncmp(tabs[i].name, w, strlen(w))) {
			*table = tabs[i].t;
			return 0;
		}
	return ct_args_fail(p, CT_EXIT_PARAM, "unknown type `%s'", w);
}

static const struct { char c; uint8_t ct, exp; } cmds[] = {
	{ 'L', CT_CMD_LIST, CT_CMD_EXP_LIST },
	{ 'I', CT_CMD_CREATE, CT_CMD_EXP_CREATE },
	{ 'D', CT_CMD_DELETE, CT_CMD_EXP_DELETE },
	{ 'G', CT_CMD_GET, CT_CMD_EXP_GET },
	{ 'F', CT_CMD_FLUSH, CT_CMD_EXP_FLUSH },
	{ 'E', CT_CMD_EVENT, CT_CMD_EXP_EVENT },
	{ 'V', CT_CMD_VERSION, CT_CMD_VERSION },
	{ 'h', CT_CMD_HELP, CT_CMD_HELP },
	{ 'C', CT_CMD_COUNT, CT_CMD_EXP_COUNT },
	{ 'S', CT_CMD_STATS, CT_CMD_EXP_STATS },
	{ 'U', CT_CMD_UPDATE, CT_CMD_MAX },
	{ 'A', CT_CMD_ADD, CT_CMD_MAX },
};

int ct_args_command(struct ct_parse *p, int c)
{
	unsigned int table, cmd = CT_CMD_MAX;
	size_t i;

	if (table_word(p, &table) < 0)
		return -1;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].c == c)
			break;
	if (table == CT_TABLE_DYING || table == CT_TABLE_UNCONFIRMED) {
		if (c != 'L')
			return ct_args_fail(p, CT_EXIT_PARAM,
				"Can't do that command with tables `dying' "
				"and `unconfirmed'");
		cmd = CT_CMD_LIST;
	} else {
		cmd = table == CT_TABLE_EXPECT ? cmds[i].exp : cmds[i].ct;
		if (cmd == CT_CMD_MAX)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Can't do --%s on %s",
					    ct_args_long_name(p, c),
					    table == CT_TABLE_CONNTRACK ?
					    "conntrack" : "expectations");
	}
	if (p->command)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Invalid commands combination");
	p->command = 1U << cmd;
	p->a->cmd = cmd;
	p->a->table = table;
	return 0;
}
