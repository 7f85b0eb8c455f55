/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text of conntrackd's statistics answers, byte for byte as upstream
 * prints them (`-s`, `-s cache`, `-s runtime`, the traffic block), and
 * their JSON form (ours: `-s` for monitoring systems, one object). Each
 * function writes into a caller's buffer like snprintf and returns the
 * length it needed (the text is cut, NUL-terminated, when @len is
 * smaller).
 */
#ifndef RAWCT_SYNC_REPORT_H
#define RAWCT_SYNC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "sync/cache.h"
#include "sync/daemon.h"

/* "cache %s:\ncurrent active connections:\t%12u\n..." (4 lines + blank) */
int sync_report_cache(char *buf, size_t len, const char *name,
		      const struct sync_cache_stats *st);
/* `-s cache`: "cache:%s\tactive objects:..." (10 lines + blank); @total
 * is the number of objects in the table (DEAD ones included). */
int sync_report_cache_ext(char *buf, size_t len, const char *name,
			  const struct sync_cache_stats *st, uint32_t total);
/* "traffic processed:\n%20llu Bytes      %20llu Pckts\n\n" */
int sync_report_traffic(char *buf, size_t len, const struct sync_traffic *t);
/* `-s runtime`: uptime, netlink and runtime blocks; @uptime_sec since
 * start, @bufsize the event socket's buffer. */
int sync_report_runtime(char *buf, size_t len, int64_t uptime_sec,
			const struct sync_runtime_stats *st, size_t bufsize);

/* JSON pieces: "name":{...} members, no surrounding braces. */
int sync_report_json_cache(char *buf, size_t len, const char *name,
			   const struct sync_cache_stats *st, uint32_t total);
int sync_report_json_runtime(char *buf, size_t len, int64_t uptime_sec,
			     const struct sync_runtime_stats *st,
			     size_t bufsize, const struct sync_traffic *t);

#endif
