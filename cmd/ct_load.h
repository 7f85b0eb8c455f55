/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrack -R FILE: the batch file of conntrack command lines.
 */
#ifndef RAWCT_CMD_CT_LOAD_H
#define RAWCT_CMD_CT_LOAD_H

#include "cmd/ct_run.h"

/* Runs the file @path ("-" = stdin) in @c; returns the exit status. */
int ct_load_file(struct ct_ctx *c, const char *prog, const char *path);

#endif
