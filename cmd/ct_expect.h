/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The expectation commands of conntrack(8): -L/-G/-I/-D/-F/-C/-S expect,
 * one function per command for cmd/ct_run.c's table, and the printer
 * -E expect shares. Messages and exit codes are upstream's except the
 * fixes of spec section 5: -D expect counts what it deleted and exits 0,
 * -L/-G expect -o xml always print a complete document.
 */
#ifndef RAWCT_CMD_CT_EXPECT_H
#define RAWCT_CMD_CT_EXPECT_H

#include <stdint.h>

#include "cmd/ct_args.h"
#include "ct/expect.h"
#include "ct/format.h"

struct ct_ctx;

/* Each returns the exit status (0, CT_EXIT_OTHER). */
int ct_expect_cmd_list(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_get(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_create(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_delete(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_flush(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_count(struct ct_ctx *c, const struct ct_args *a);
int ct_expect_cmd_stats(struct ct_ctx *c, const struct ct_args *a);

/*
 * ct_expect_cmd_print - print @x as one line in the format of @a->output
 * (default, xml, json; save/extended/id are ignored for expectations as
 * upstream), with @ev's tag, after the -o timestamp prefix (time of day)
 * when asked. Does not flush and prints no XML frame.
 */
void ct_expect_cmd_print(const struct ct_args *a, const struct ct_expect *x,
			 enum ct_fmt_event ev);

/*
 * ct_expect_cmd_json - print the JSON object @obj as one line with
 * "time":@time inserted as its first key when @time is not NULL and
 * @tail (",\"k\":v" pairs) appended before its closing brace when not
 * NULL. @obj must be a complete object ("{...}").
 */
void ct_expect_cmd_json(const char *obj, const char *time, const char *tail);

#endif
