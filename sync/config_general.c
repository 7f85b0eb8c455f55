// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The General and Stats sections of conntrackd.conf: hash sizes, logging
 * (LogFile on|off|path, Syslog on|off|facility), the lock file, the UNIX
 * control socket, netlink tuning, polling, Nice (deprecated), Scheduler
 * and Systemd, each with upstream's defaults, aliases and messages. The
 * Filter subsection is in config_filter.c.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <sched.h>

#include "sync/config_int.h"

#define OFF(f)	offsetof(struct sync_conf, f)

#define DEFAULT_LOGFILE		"/var/log/conntrackd.log"
#define DEFAULT_STATS_LOGFILE	"/var/log/conntrackd-stats.log"

/*
 * A path value into @dst (@cap bytes): longer than @cap - 1 is upstream's
 * "<what> is longer than N characters"; a control character (a tab, the
 * '\r' of a CRLF file) is refused, where upstream takes it into the name.
 */
int conf_path(struct conf_parser *ps, char *dst, size_t cap,
	      const char *what)
{
	if (ps->tok.type != TOK_PATH)
		return conf_syntax(ps);
	if (ps->tok.len >= cap)
		return conf_fail(ps, "%s is longer than %zu characters", what,
				 cap - 1);
	if (conf_has_ctrl(&ps->tok))
		return conf_fail(ps, "parsing config file in line (%u), %s "
				 "holds a control character", ps->tok.line,
				 what);
	return conf_copy(&ps->tok, dst, cap);
}

/* LogFile on|off|/path; off changes nothing, as upstream. */
static int log_value(struct conf_parser *ps, char *dst, const char *dflt,
		     const char *what)
{
	int r = 0;

	conf_next(ps);
	if (ps->tok.type == TOK_ON) {
		memset(dst, 0, SYNC_CONF_PATH_MAX + 1);
		memcpy(dst, dflt, strlen(dflt));
	}
	else if (ps->tok.type != TOK_OFF)
		r = conf_path(ps, dst, SYNC_CONF_PATH_MAX + 1, what);
	if (!r)
		conf_next(ps);
	return r;
}

static int general_log(struct conf_parser *ps, void *base)
{
	return log_value(ps, ps->c->logfile, DEFAULT_LOGFILE,
			 "LogFile path");
}

static int stats_log(struct conf_parser *ps, void *base)
{
	return log_value(ps, ps->c->stats.logfile, DEFAULT_STATS_LOGFILE,
			 "stats LogFile path");
}

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON }, { "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
};

/* Syslog on|off|facility into *@dst; a facility that differs from the
 * other section's warns (the on form does not, as upstream). */
static int syslog_value(struct conf_parser *ps, int *dst, int other,
			const char *dot)
{
	const struct conf_token *t = &ps->tok;
	size_t i, n = CONF_N(facilities);

	conf_next(ps);
	if (t->type == TOK_ON) {
		*dst = LOG_DAEMON;
	} else if (t->type == TOK_OFF) {
		*dst = -1;
	} else if (t->type == TOK_STRING) {
		for (i = 0; i < n; i++)
			if (strlen(facilities[i].name) == t->len &&
			    !memcmp(facilities[i].name, t->p, t->len))
				break;
		if (i == n) {
			conf_warn(ps, "'%.*s' is not a known syslog facility, "
				  "ignoring%s", (int)t->len, t->p, dot);
		} else {
			*dst = facilities[i].facility;
			if (other != -1 && *dst != other)
				conf_warn(ps, "conflicting Syslog facility "
					  "values, defaulting to General");
		}
	} else {
		return conf_syntax(ps);
	}
	conf_next(ps);
	return 0;
}

static int general_syslog(struct conf_parser *ps, void *base)
{
	return syslog_value(ps, &ps->c->syslog, ps->c->stats.syslog, "");
}

static int stats_syslog(struct conf_parser *ps, void *base)
{
	return syslog_value(ps, &ps->c->stats.syslog, ps->c->syslog, ".");
}

/* A key whose value is a path, nothing else. */
static int path_key(struct conf_parser *ps, char *dst, size_t cap,
		    const char *what)
{
	int r;

	conf_next(ps);
	r = conf_path(ps, dst, cap, what);
	if (!r)
		conf_next(ps);
	return r;
}

static int general_lock(struct conf_parser *ps, void *base)
{
	return path_key(ps, ps->c->lockfile, sizeof(ps->c->lockfile),
			"LockFile path");
}

/* A user or group name (ours). */
static int name_key(struct conf_parser *ps, char *dst, size_t cap,
		    const char *what)
{
	conf_next(ps);
	if (ps->tok.type != TOK_STRING)
		return conf_syntax(ps);
	if (conf_copy(&ps->tok, dst, cap) < 0)
		return conf_fail(ps, "parsing config file in line (%u), %s "
				 "`%.*s' is longer than %zu characters",
				 ps->tok.line, what, (int)ps->tok.len,
				 ps->tok.p, cap - 1);
	conf_next(ps);
	return 0;
}

static int unix_path(struct conf_parser *ps, void *base)
{
	return path_key(ps, ps->c->unix_path, sizeof(ps->c->unix_path), "Path");
}

static int unix_backlog(struct conf_parser *ps, void *base)
{
	return conf_ignored(ps, TOK_NUMBER, "deprecated unix backlog "
			    "configuration, ignoring.");
}

/* ours: UNIX { Group name }, who besides root may use the socket */
static int unix_group(struct conf_parser *ps, void *base)
{
	return name_key(ps, ps->c->unix_group, sizeof(ps->c->unix_group),
			"Group");
}

static const struct conf_key unix_keys[] = {
	{ .tok = K_PATH, .kind = KEY_FN, .fn = unix_path },
	{ .tok = K_GROUP, .kind = KEY_FN, .fn = unix_group },
	{ .tok = K_BACKLOG, .kind = KEY_FN, .fn = unix_backlog },
};

static int general_unix(struct conf_parser *ps, void *base)
{
	return conf_section(ps, unix_keys, CONF_N(unix_keys), base, 0);
}

static int general_poll(struct conf_parser *ps, void *base)
{
	struct conf_token kw = ps->tok;
	int r;

	conf_next(ps);
	r = conf_number(ps, &kw, CONF_INT_MAX, &ps->c->poll_secs);
	if (r < 0)
		return r;
	if (!ps->c->poll_secs)
		return conf_fail(ps, "`PollSecs' clause must be > 0");
	conf_next(ps);
	return 0;
}

/* on = 30 s, off = disabled (0 here), a number (0 = the default 30). */
static int general_overrun(struct conf_parser *ps, void *base)
{
	struct conf_token kw = ps->tok;
	uint32_t v = 30;
	int r;

	conf_next(ps);
	if (ps->tok.type == TOK_OFF) {
		v = 0;
	} else if (ps->tok.type != TOK_ON) {
		r = conf_number(ps, &kw, CONF_INT_MAX, &v);
		if (r < 0)
			return r;
		if (!v)
			v = 30;
	}
	ps->c->nl_overrun_resync = v;
	conf_next(ps);
	return 0;
}

static int general_nice(struct conf_parser *ps, void *base)
{
	return conf_ignored(ps, TOK_SIGNED, "deprecated nice configuration, "
			    "ignoring. The nice value can be set externally "
			    "with nice(1) and renice(1).");
}

static int sched_type(struct conf_parser *ps, void *base)
{
	const struct conf_token *t = &ps->tok;

	conf_next(ps);
	if (t->type != TOK_STRING)
		return conf_syntax(ps);
	if (t->len == 2 && !strncasecmp(t->p, "rr", 2))
		ps->c->sched.type = SCHED_RR;
	else if (t->len == 4 && !strncasecmp(t->p, "fifo", 4))
		ps->c->sched.type = SCHED_FIFO;
	else if (t->len == 5 && !strncasecmp(t->p, "other", 5))
		ps->c->sched.normal = 1;	/* ours */
	else
		return conf_fail(ps, "unknown scheduler `%.*s'", (int)t->len,
				 t->p);
	conf_next(ps);
	return 0;
}

static int sched_prio(struct conf_parser *ps, void *base)
{
	conf_next(ps);
	if (ps->tok.type != TOK_NUMBER)
		return conf_syntax(ps);
	if (ps->tok.num > 99)
		return conf_fail(ps, "`Priority' must be [0, 99]");
	ps->c->sched.prio = (int)ps->tok.num;
	conf_next(ps);
	return 0;
}

static const struct conf_key sched_keys[] = {
	{ .tok = K_TYPE, .kind = KEY_FN, .fn = sched_type },
	{ .tok = K_PRIO, .kind = KEY_FN, .fn = sched_prio },
};

static int general_sched(struct conf_parser *ps, void *base)
{
	ps->c->sched.set = 1;
	return conf_section(ps, sched_keys, CONF_N(sched_keys), base, 0);
}

/* ours: Privsep { Separate on|off; User name; Chroot /dir } */
static int privsep_user(struct conf_parser *ps, void *base)
{
	return name_key(ps, ps->c->privsep.user,
			    sizeof(ps->c->privsep.user), "User");
}


static int privsep_chroot(struct conf_parser *ps, void *base)
{
	return path_key(ps, ps->c->privsep.chroot,
			sizeof(ps->c->privsep.chroot), "Chroot path");
}

static int privsep_separate(struct conf_parser *ps, void *base)
{
	conf_next(ps);
	if (ps->tok.type != TOK_ON && ps->tok.type != TOK_OFF)
		return conf_syntax(ps);
	ps->c->privsep.off = ps->tok.type == TOK_OFF;
	conf_next(ps);
	return 0;
}

static const struct conf_key privsep_keys[] = {
	{ .tok = K_SEPARATE, .kind = KEY_FN, .fn = privsep_separate },
	{ .tok = K_USER, .kind = KEY_FN, .fn = privsep_user },
	{ .tok = K_CHROOT, .kind = KEY_FN, .fn = privsep_chroot },
};

static int general_privsep(struct conf_parser *ps, void *base)
{
	return conf_section(ps, privsep_keys, CONF_N(privsep_keys), base, 0);
}

static const struct conf_key general_keys[] = {
	{ .tok = K_HASHSIZE, .kind = KEY_U32, .off = OFF(hash_size),
	  .max = CONF_INT_MAX, .dflt = 65536 },
	{ .tok = K_HASHLIMIT, .kind = KEY_U32, .off = OFF(hash_limit),
	  .max = CONF_INT_MAX, .dflt = 262144 },
	{ .tok = K_LOG, .kind = KEY_FN, .fn = general_log },
	{ .tok = K_SYSLOG, .kind = KEY_FN, .fn = general_syslog },
	{ .tok = K_LOCK, .kind = KEY_FN, .fn = general_lock },
	{ .tok = K_UNIX, .kind = KEY_FN, .fn = general_unix },
	{ .tok = K_BUFSIZE, .kind = KEY_U32, .off = OFF(nl_bufsize),
	  .max = CONF_INT_MAX },
	{ .tok = K_BUFSIZE_MAX, .kind = KEY_U32, .off = OFF(nl_bufsize_max),
	  .max = CONF_INT_MAX },
	{ .tok = K_EVENT_ITER, .kind = KEY_U32, .off = OFF(event_iter_limit),
	  .max = CONF_INT_MAX, .dflt = 100 },
	{ .tok = K_POLL_SECS, .kind = KEY_FN, .fn = general_poll },
	{ .tok = K_FILTER, .kind = KEY_FN, .fn = conf_filter },
	{ .tok = K_OVERRUN_RESYNC, .kind = KEY_FN, .fn = general_overrun },
	{ .tok = K_EVENTS_RELIABLE, .kind = KEY_BOOL, .off = OFF(nl_reliable) },
	{ .tok = K_NICE, .kind = KEY_FN, .fn = general_nice },
	{ .tok = K_SCHEDULER, .kind = KEY_FN, .fn = general_sched },
	{ .tok = K_SYSTEMD, .kind = KEY_BOOL, .off = OFF(systemd) },
	{ .tok = K_PRIVSEP, .kind = KEY_FN, .fn = general_privsep },
};

int conf_general(struct conf_parser *ps)
{
	return conf_section(ps, general_keys, CONF_N(general_keys), ps->c, 0);
}

static const struct conf_key stats_keys[] = {
	{ .tok = K_LOG, .kind = KEY_FN, .fn = stats_log },
	{ .tok = K_SYSLOG, .kind = KEY_FN, .fn = stats_syslog },
};

int conf_stats(struct conf_parser *ps)
{
	return conf_section(ps, stats_keys, CONF_N(stats_keys), ps->c,
			    SYNC_RUN_STATS);
}
