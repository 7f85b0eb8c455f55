/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a parsed nfct(8) command line: the version banner, the help,
 * or one request to nfnetlink_cttimeout / nfnetlink_cthelper whose
 * replies are printed in upstream's format and whose errors are told in
 * upstream's words.
 */
#ifndef RAWCT_CMD_NFCT_RUN_H
#define RAWCT_CMD_NFCT_RUN_H

#include "cmd/nfct_args.h"

/* Runs @a (@prog is argv[0], for the help); returns the exit status. */
int nfct_run(const char *prog, const struct nfct_args *a);

#endif
