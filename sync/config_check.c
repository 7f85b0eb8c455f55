// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What upstream decides once the file is read: CommitTimeout is dropped
 * when the external cache is disabled (run.c evaluate()), the sync mode
 * is the first of FTFW, ALARM, NOTRACK given and FTFW when none is
 * (sync-mode.c init_sync(), whose warning the daemon gives as it
 * starts), the one ErrorQueueLength applies to every link, and one link
 * is the default (the last marked `Default', else the first). Also what
 * ExpectationSync ends as.
 */
#include "sync/config_int.h"

static void finish_mode(struct conf_parser *ps)
{
	struct sync_conf *c = ps->c;
	static const uint8_t order[] = {
		SYNC_MODE_FTFW, SYNC_MODE_ALARM, SYNC_MODE_NOTRACK,
	};

	if (!(c->run & SYNC_RUN_SYNC))
		return;
	for (size_t i = 0; i < CONF_N(order); i++) {
		if (ps->modes & (1u << order[i])) {
			c->sync.mode = order[i];
			return;
		}
	}
	c->sync.mode = SYNC_MODE_FTFW;
	c->sync.mode_default = 1;
}

static void finish_links(struct conf_parser *ps)
{
	struct sync_conf *c = ps->c;
	int def = ps->default_chan >= 0 ? ps->default_chan : 0;

	for (unsigned int i = 0; i < c->sync.n_chan; i++) {
		c->sync.chan[i].errq_len = ps->errq_len ? ps->errq_len : 128;
		c->sync.chan[i].is_default = (int)i == def;
	}
}

int conf_finish(struct conf_parser *ps)
{
	struct sync_conf *c = ps->c;

	if (c->sync.disable_external && c->sync.commit_timeout) {
		conf_warn(ps, "`CommitTimeout' can't be combined with "
			  "`DisableExternalCache', ignoring this option. Fix "
			  "your configuration file.");
		c->sync.commit_timeout = 0;
	}
	finish_mode(ps);
	finish_links(ps);
	if (ps->expect_last == TOK_OFF || !ps->expect_last)
		c->sync.expect_sync = 0;
	else
		c->sync.expect_sync = c->sync.n_expect_helpers ? 2 : 1;
	return conf_auth_finish(ps);
}
