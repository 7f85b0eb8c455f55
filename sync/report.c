// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's statistics texts (see sync/report.h). The formats are
 * upstream's printf formats (src/cache.c cache_stats and
 * cache_stats_extended, src/traffic_stats.c, src/run.c
 * dump_stats_runtime): tabs and widths matter, scripts parse them.
 */
#include <stdio.h>

#include "sync/report.h"

static int clamp(int n)
{
	return n < 0 ? 0 : n;
}

int sync_report_cache(char *buf, size_t len, const char *name,
		      const struct sync_cache_stats *st)
{
	return clamp(snprintf(buf, len, "cache %s:\n"
		"current active connections:\t%12u\n"
		"connections created:\t\t%12u\tfailed:\t%12u\n"
		"connections updated:\t\t%12u\tfailed:\t%12u\n"
		"connections destroyed:\t\t%12u\tfailed:\t%12u\n\n",
		name, st->active, st->add_ok, st->add_fail, st->upd_ok,
		st->upd_fail, st->del_ok, st->del_fail));
}

int sync_report_cache_ext(char *buf, size_t len, const char *name,
			  const struct sync_cache_stats *st, uint32_t total)
{
	return clamp(snprintf(buf, len,
		"cache:%s\tactive objects:\t\t%12u\n"
		"\tactive/total entries:\t\t%12u/%12u\n"
		"\tcreation OK/failed:\t\t%12u/%12u\n"
		"\t\tno memory available:\t%12u\n"
		"\t\tno space left in cache:\t%12u\n"
		"\tupdate OK/failed:\t\t%12u/%12u\n"
		"\t\tentry not found:\t%12u\n"
		"\tdeletion created/failed:\t%12u/%12u\n"
		"\t\tentry not found:\t%12u\n\n",
		name, st->objects, st->active, total, st->add_ok,
		st->add_fail, st->add_fail_enomem, st->add_fail_enospc,
		st->upd_ok, st->upd_fail, st->upd_fail_enoent, st->del_ok,
		st->del_fail, st->del_fail_enoent));
}

int sync_report_traffic(char *buf, size_t len, const struct sync_traffic *t)
{
	return clamp(snprintf(buf, len, "traffic processed:\n"
		"%20llu Bytes      %20llu Pckts\n\n",
		(unsigned long long)t->bytes, (unsigned long long)t->packets));
}

/* "[N day(s) ][H h ]M min", as upstream's uptime() */
static int uptime(char *buf, size_t len, int64_t sec)
{
	int days = (int)(sec / 86400), mins = (int)(sec / 60);
	int hours = (mins / 60) % 24;
	int n = 0;

	mins %= 60;
	if (days)
		n = clamp(snprintf(buf, len, "%d day%s ", days,
				   days != 1 ? "s" : ""));
	if ((size_t)n >= len)
		return n;
	if (hours)
		n += clamp(snprintf(buf + n, len - (size_t)n, "%d h %d min",
				    hours, mins));
	else
		n += clamp(snprintf(buf + n, len - (size_t)n, "%d min", mins));
	return n;
}

int sync_report_runtime(char *buf, size_t len, int64_t uptime_sec,
			const struct sync_runtime_stats *st, size_t bufsize)
{
	char up[64];

	uptime(up, sizeof(up), uptime_sec);
	return clamp(snprintf(buf, len, "daemon uptime: %s\n\n"
		"netlink stats:\n"
		"\tevents received:\t%20llu\n"
		"\tevents filtered:\t%20llu\n"
		"\tevents unknown type:\t\t%12u\n"
		"\tcatch event failed:\t\t%12u\n"
		"\tdump unknown type:\t\t%12u\n"
		"\tnetlink overrun:\t\t%12u\n"
		"\tflush kernel table:\t\t%12u\n"
		"\tresync with kernel table:\t%12u\n"
		"\tcurrent buffer size (in bytes):\t%12u\n\n"
		"runtime stats:\n"
		"\tchild process failed:\t\t%12u\n"
		"\t\tchild process segfault:\t%12u\n"
		"\t\tchild process termsig:\t%12u\n"
		"\tselect failed:\t\t\t%12u\n"
		"\twait failed:\t\t\t%12u\n"
		"\tlocal read failed:\t\t%12u\n"
		"\tlocal unknown request:\t\t%12u\n\n",
		up, (unsigned long long)st->nl_events_received,
		(unsigned long long)st->nl_events_filtered,
		st->nl_events_unknown_type, st->nl_catch_event_failed,
		st->nl_dump_unknown_type, st->nl_overrun,
		st->nl_kernel_table_flush, st->nl_kernel_table_resync,
		(unsigned int)bufsize, 0U, 0U, 0U, st->select_failed, 0U,
		st->local_read_failed, st->local_unknown_request));
}

int sync_report_json_cache(char *buf, size_t len, const char *name,
			   const struct sync_cache_stats *st, uint32_t total)
{
	return clamp(snprintf(buf, len, "\"%s\":{\"active\":%u,"
		"\"objects\":%u,\"entries\":%u,\"created\":%u,"
		"\"create_failed\":%u,\"create_enomem\":%u,"
		"\"create_enospc\":%u,\"updated\":%u,\"update_failed\":%u,"
		"\"update_enoent\":%u,\"destroyed\":%u,\"destroy_failed\":%u,"
		"\"destroy_enoent\":%u,\"committed\":%u,\"commit_failed\":%u,"
		"\"flushes\":%u}", name, st->active, st->objects, total,
		st->add_ok, st->add_fail, st->add_fail_enomem,
		st->add_fail_enospc, st->upd_ok, st->upd_fail,
		st->upd_fail_enoent, st->del_ok, st->del_fail,
		st->del_fail_enoent, st->commit_ok, st->commit_fail,
		st->flush));
}

int sync_report_json_runtime(char *buf, size_t len, int64_t uptime_sec,
			     const struct sync_runtime_stats *st,
			     size_t bufsize, const struct sync_traffic *t)
{
	return clamp(snprintf(buf, len, "\"uptime\":%lld,"
		"\"traffic\":{\"bytes\":%llu,\"packets\":%llu},"
		"\"netlink\":{\"events_received\":%llu,"
		"\"events_filtered\":%llu,\"events_unknown_type\":%u,"
		"\"catch_event_failed\":%u,\"dump_unknown_type\":%u,"
		"\"overruns\":%u,\"kernel_table_flushes\":%u,"
		"\"kernel_table_resyncs\":%u,\"buffer_size\":%zu},"
		"\"runtime\":{\"local_read_failed\":%u,"
		"\"local_unknown_request\":%u,\"local_denied\":%u}",
		(long long)uptime_sec, (unsigned long long)t->bytes,
		(unsigned long long)t->packets,
		(unsigned long long)st->nl_events_received,
		(unsigned long long)st->nl_events_filtered,
		st->nl_events_unknown_type, st->nl_catch_event_failed,
		st->nl_dump_unknown_type, st->nl_overrun,
		st->nl_kernel_table_flush, st->nl_kernel_table_resync,
		bufsize, st->local_read_failed, st->local_unknown_request,
		st->local_denied));
}
