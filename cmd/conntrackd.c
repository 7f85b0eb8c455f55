// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd(8): parse the command line (cmd/ctd_args) and the
 * configuration (sync/config), then either send one request to the
 * running daemon (client mode) or become the daemon: log, lock file,
 * start-up (sync/daemon), background, systemd readiness, the loop, and a
 * clean shutdown. Exit status and messages are upstream's.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd/ctd_args.h"
#include "sync/config.h"
#include "sync/ctl.h"
#include "sync/daemon.h"
#include "sync/log.h"
#include "sync/privsep.h"
#include "sync/process.h"

#define VERSION "1.4.8"

/* The daemon's state lives here, in cmd/, for the signal-free shutdown
 * path and so that the library below keeps no globals. */
static struct sync_daemon daemon_state;
static struct sync_conf conf;

static void show_usage(const char *prog)
{
	printf("Connection tracking userspace daemon v%s\n", VERSION);
	printf("Usage: %s [commands] [options]\n\n", prog);
	printf("%s\n", ctd_usage_commands());
	fflush(stdout);
}

static void show_version(void)
{
	printf("Connection tracking userspace daemon v%s. Licensed under "
	       "GPLv2.\n(C) 2006-2009 Pablo Neira Ayuso "
	       "<pablo@netfilter.org>\n", VERSION);
	fflush(stdout);
}

static void conf_warning(void *arg, const char *msg)
{
	sync_log(arg, SYNC_LOG_WARNING, "%s", msg);
}

static int load_config(struct sync_log *log, const char *path)
{
	struct sync_conf_err err;
	int rc;

	rc = sync_conf_load(&conf, path, &err, conf_warning, log);
	if (rc == 0)
		return 0;
	if (err.msg[0])
		sync_log(log, SYNC_LOG_ERR, "%s", err.msg);
	else
		sync_log(log, SYNC_LOG_ERR, "can't open config file `%s'",
			 path);
	return rc;
}

/* `Helper' sections need the kernel's nfnetlink_cthelper, which we do
 * not drive: say so instead of starting half of what was asked. */
static int check_helper(struct sync_log *log)
{
	if (!(conf.run & SYNC_RUN_HELPER))
		return 0;
	sync_log(log, SYNC_LOG_ERR, "userspace conntrack helpers (the Helper "
		 "section) are not supported: they need the kernel's "
		 "nfnetlink_cthelper (CONFIG_NF_CT_NETLINK_HELPER) and an "
		 "NFQUEUE helper runtime, which this conntrackd does not "
		 "provide");
	return -EOPNOTSUPP;
}

/* -s health (ours): the daemon's answer, and exit status 0 only for
 * "ok" (a daemon that does not know the request answers nothing). */
static int health(void)
{
	char buf[1024];
	int rc = sync_ctl_ask(conf.unix_path, SYNC_HEALTH, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	if (rc == 0)
		snprintf(buf, sizeof(buf), "not ready: the daemon does not "
			 "answer -s health\n");
	fputs(buf, stdout);
	return strcmp(buf, "ok\n") ? 1 : 0;
}

static int client(struct sync_log *log, int action)
{
	int rc = action == SYNC_HEALTH ? health()
		 : sync_ctl_request(conf.unix_path, action, STDOUT_FILENO);

	if (action == SYNC_HEALTH && rc >= 0)
		return rc ? EXIT_FAILURE : EXIT_SUCCESS;

	/* a commit answers nothing, unless something could not be
	 * committed: then its exit status says so (ours; upstream's daemon
	 * never answers a commit, so this gives 0 with it) */
	if (rc > 0 && (action == SYNC_CT_COMMIT || action == SYNC_EXP_COMMIT ||
		       action == SYNC_ALL_COMMIT))
		return EXIT_FAILURE;
	if (rc >= 0)
		return EXIT_SUCCESS;
	sync_log(log, SYNC_LOG_ERR, "can't connect: is conntrackd running? "
		 "appropriate permissions?");
	return EXIT_FAILURE;
}

/*
 * Real-time only when a Scheduler section asks for it (upstream always
 * takes SCHED_RR 99, the highest, which puts a process that parses what
 * peers send above threaded interrupts and the kernel's watchdogs): a
 * section without a Type gives SCHED_RR at SCHED_PRIO_DEFAULT, below the
 * kernel's own threads; a Type RR or FIFO takes its Priority; `Type
 * OTHER' (ours) and no section keep the normal scheduler. Real time is
 * what keeps events flowing on a busy machine (a daemon that waits for
 * the CPU behind ordinary processes overruns the default event buffer,
 * a couple of hundred events, within milliseconds: measured hundreds of
 * overruns per 100k flows on a busy two-CPU machine); it is the
 * administrator's choice, as is a larger NetlinkBufferSize. The
 * privilege-separated child inherits the policy.
 */
#define SCHED_PRIO_DEFAULT	10

static void set_scheduler(struct sync_log *log)
{
	struct sched_param sp = { .sched_priority = conf.sched.prio };
	int type = conf.sched.type;

	if (conf.sched.normal || !conf.sched.set)
		return;
	if (type == SCHED_OTHER) {
		type = SCHED_RR;
		sp.sched_priority = SCHED_PRIO_DEFAULT;
	}
	/* the system call itself: musl's sched_setscheduler() is a stub
	 * that fails with ENOSYS, by design (POSIX wants the policy of a
	 * process, Linux sets a thread's) */
	if (syscall(SYS_sched_setscheduler, 0, type, &sp) < 0)
		sync_log(log, SYNC_LOG_WARNING, "scheduler configuration "
			 "failed: %s. Likely a bug in conntrackd, please report "
			 "it. Continuing with system default scheduler.",
			 strerror(errno));
}

static void send_mainpid(pid_t child, void *arg)
{
	struct sync_notify *n = arg;
	char msg[32];

	snprintf(msg, sizeof(msg), "MAINPID=%d", (int)child);
	if (conf.systemd)
		sync_notify_send(n, msg);
}

/* Upstream's last word on a failed start; undoes what was done. */
static int cannot_start(struct sync_daemon *d, int initialised)
{
	sync_log(&d->log, SYNC_LOG_ERR, "conntrackd cannot start, please "
		 "review your configuration");
	if (initialised)
		sync_daemon_fini(d);
	sync_lock_release(&d->lock);
	sync_log_close(&d->log);
	return EXIT_FAILURE;
}

static int start(struct sync_daemon *d, int background)
{
	struct sync_log *log = &d->log;
	int rc, status = 0;

	rc = sync_log_open(log, conf.logfile, conf.stats.logfile,
			   conf.syslog, conf.stats.syslog);
	if (rc < 0) {
		fprintf(stderr, "ERROR: can't open logfile `%s'.Reason: %s\n",
			log->path[0] ? log->path : conf.stats.logfile,
			strerror(-rc));
		return EXIT_FAILURE;
	}
	/* as upstream: with -d, once the log is open nothing more goes to
	 * the console */
	if (background)
		sync_log_console(log, 0);
	rc = sync_lock_take(&d->lock, conf.lockfile);
	if (rc < 0) {
		sync_log(log, SYNC_LOG_ERR, "lockfile `%s' exists, perhaps "
			 "conntrackd already running?", conf.lockfile);
		sync_log_close(log);
		return EXIT_FAILURE;
	}
	set_scheduler(log);
	if (sync_daemon_init(d, &conf) < 0)
		return cannot_start(d, 0);
	rc = sync_privsep_prepare(d);
	if (rc < 0 && rc != -ENOTSUP)
		return cannot_start(d, 1);
	if (chdir("/") < 0)
		sync_log(log, SYNC_LOG_WARNING, "Cannot change current "
			 "directory to /: %s", strerror(errno));
	sync_notify_init(&d->notify);
	if (background) {
		rc = sync_daemonize(send_mainpid, &d->notify);
		if (rc < 0) {
			sync_log(log, SYNC_LOG_ERR, "fork has failed: %s",
				 strerror(-rc));
			sync_daemon_fini(d);
			sync_lock_release(&d->lock);
			sync_log_close(log);
			return EXIT_FAILURE;
		}
		sync_detach_stdio();
		sync_log_console(log, 0);
		d->daemonized = 1;
		sync_log(log, SYNC_LOG_NOTICE, "-- starting in daemon mode --");
	} else {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		sync_log(log, SYNC_LOG_NOTICE, "-- starting in console "
			 "mode --");
	}
	sync_lock_write_pid(&d->lock, getpid());
	/* from here on, the loop runs unprivileged in a child; this
	 * process only serves it, and cleans up after it */
	rc = sync_privsep_start(d, &status);
	if (rc == 1) {
		if (conf.unix_path[0])
			unlink(conf.unix_path);
		sync_lock_release(&d->lock);
		sync_log_close(log);
		sync_notify_close(&d->notify);
		return status;
	}
	if (rc < 0 && rc != -ENOTSUP)
		return cannot_start(d, 1);
	sync_daemon_notify(d, "READY=1");
	sync_daemon_run(d);
	sync_daemon_notify(d, "STOPPING=1");
	sync_daemon_fini(d);
	sync_lock_release(&d->lock);
	sync_log(log, SYNC_LOG_NOTICE, "---- shutdown received ----");
	sync_log_close(log);
	sync_notify_close(&d->notify);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct sync_daemon *d = &daemon_state;
	struct ctd_args a;
	int rc;

	sync_log_init(&d->log);
	ctd_args_parse(argc, argv, &a);
	if (a.warning[0])
		sync_log(&d->log, SYNC_LOG_WARNING, "%s", a.warning);
	if (a.version) {
		show_version();
		return EXIT_SUCCESS;
	}
	if (a.help) {
		show_usage(argv[0]);
		return EXIT_SUCCESS;
	}
	if (a.exit >= 0) {
		if (a.usage)
			show_usage(argv[0]);
		sync_log(&d->log, SYNC_LOG_ERR, "%s", a.error);
		return a.exit;
	}
	umask(0177);
	sync_conf_init(&conf);
	rc = load_config(&d->log, a.config ? a.config : SYNC_CONF_DEFAULT_PATH);
	if (rc == 0 && a.run != CTD_RUN_REQUEST && check_helper(&d->log) < 0) {
		sync_log(&d->log, SYNC_LOG_ERR, "conntrackd cannot start, "
			 "please review your configuration");
		rc = -EOPNOTSUPP;
	}
	if (rc < 0) {
		sync_conf_free(&conf);
		return EXIT_FAILURE;
	}
	if (a.config_test) {
		printf("configuration file `%s' is valid\n",
		       a.config ? a.config : SYNC_CONF_DEFAULT_PATH);
		rc = EXIT_SUCCESS;
	} else if (a.run == CTD_RUN_REQUEST) {
		rc = client(&d->log, a.action);
	} else {
		rc = start(d, a.run == CTD_RUN_DAEMON);
	}
	sync_conf_free(&conf);
	return rc;
}
