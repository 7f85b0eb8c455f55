/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the two files of the sync/config unit tests share: parsing a text
 * from an exactly-sized copy with a fake interface lookup (lo, eth0 and
 * eth1 exist, nothing else), collecting the warnings one per line, and
 * checking fields written as "name=value ..." (names in check_config.c's
 * field()).
 */
#ifndef RAWCT_TESTS_UNIT_CHECK_CONFIG_H
#define RAWCT_TESTS_UNIT_CHECK_CONFIG_H

#include <stddef.h>

#include <check.h>

#include "sync/config.h"

struct conf_test_warns {
	char text[8192];	/* each warning and a '\n' */
	size_t len;
};

unsigned int conf_test_ifindex(const char *name);

/* sync_conf_init() then sync_conf_parse_ifindex() of @len bytes of
 * @text; returns what the parse returns. */
int conf_test_parse(struct sync_conf *c, const char *text, size_t len,
		    struct sync_conf_err *err, struct conf_test_warns *w);

/* Fails the test unless every "name=value" of @expect holds in @c; @row
 * names the case in the message. */
void conf_test_fields(const struct sync_conf *c, const char *expect,
		      const char *row);

/* Adds the rule tables' tests (check_config_rules.c) to @tc. */
void conf_test_rules(TCase *tc);

#endif
