/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `conntrackd -i` and `-e` (and their `expect` and `-x` variants): the
 * objects of a cache written to a control client a slice at a time, as
 * upstream's cache dump writes them: the entry in libnetfilter_conntrack's
 * default format without its cached timeout, what the mode adds (ALARM's
 * " [expires in Ns]"), then " [active since Ns]"; or the XML flow, one per
 * line, without a document around them.
 */
#ifndef RAWCT_SYNC_DUMP_H
#define RAWCT_SYNC_DUMP_H

#include <stddef.h>
#include <stdint.h>

struct sync_cache;
struct sync_cache_obj;
struct sync_client;

struct sync_dump_opts {
	uint8_t exp;		/* the cache holds expectations */
	uint8_t xml;
	uint8_t hide_dead;	/* FTFW: DEAD objects are not shown */
	uint8_t no_reply;	/* external flows: the peer sends only the
				 * original direction, and upstream shows
				 * only what it received */
	/* text after the entry (before [active since]), or NULL */
	int (*suffix)(const struct sync_cache_obj *o, char *buf, size_t len,
		      void *arg);
	void *arg;
	uint32_t now;		/* sync_daemon_now() when the dump starts */
};

/* Starts the dump of @c to @cl (a producer, see sync/ctl.h). The cache
 * must outlive the client (the daemon closes clients first). Returns 0
 * or -ENOMEM (the client then gets nothing). */
int sync_dump_start(struct sync_client *cl, struct sync_cache *c,
		    const struct sync_dump_opts *o);

/* One line (without newline) for object @o into @buf: what the dump
 * writes, for tests. Returns its length or a negative errno. */
int sync_dump_line(char *buf, size_t len, const struct sync_cache_obj *o,
		   const struct sync_dump_opts *opts);

#endif
