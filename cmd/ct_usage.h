/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrack(8)'s -h text, byte for byte upstream 1.4.8's usage().
 */
#ifndef RAWCT_CMD_CT_USAGE_H
#define RAWCT_CMD_CT_USAGE_H

#include <stdio.h>

#define CT_VERSION "1.4.8"
#define CT_PROGNAME "conntrack"

/* Prints the usage with @prog (argv[0]) in the "Usage:" line. */
void ct_usage(FILE *out, const char *prog);

#endif
