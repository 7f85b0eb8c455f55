// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's privilege separation (see sync/privsep.h for the design
 * and the reasons): the fork and the child dropping everything; the
 * child's side of the typed messages is in sync/privsep_child.c, the
 * parent's in sync/privsep_parent.c.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl/sock.h"
#include "sync/daemon.h"
#include "sync/kernel.h"
#include "sync/privsep_int.h"
#include "sync/seccomp.h"

#define CAP_LAST_GUESS	63	/* PR_CAPBSET_DROP past the last: EINVAL */

static int drop_caps_bounding(void)
{
	for (int cap = 0; cap <= CAP_LAST_GUESS; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	return 0;
}

/* An empty root: the configured directory, or one made next to the lock
 * file and removed once we are in it (nothing can be created in a
 * directory that no longer exists). */
static int enter_chroot(const struct sync_conf *c)
{
	char dir[PATH_MAX], *slash;
	int made = 0;

	if (c->privsep.chroot[0]) {
		snprintf(dir, sizeof(dir), "%s", c->privsep.chroot);
	} else {
		snprintf(dir, sizeof(dir), "%s", c->lockfile);
		slash = strrchr(dir, '/');
		if (!slash)
			return -EINVAL;
		snprintf(slash + 1, sizeof(dir) - (size_t)(slash + 1 - dir),
			 "conntrackd-empty.XXXXXX");
		if (!mkdtemp(dir))
			return -errno;
		made = 1;
	}
	if (chdir(dir) < 0)
		return -errno;
	if (made && rmdir(dir) < 0)
		return -errno;
	if (chroot(".") < 0 || chdir("/") < 0)
		return -errno;
	return 0;
}

static int drop(struct sync_privsep *ps, uid_t uid, gid_t gid,
		pid_t parent)
{
	const struct sync_conf *c = ps->d->conf;
	int rc;

	rc = enter_chroot(c);
	if (rc == 0)
		rc = drop_caps_bounding();
	if (rc == 0 && (setgroups(1, &gid) < 0 ||
			setresgid(gid, gid, gid) < 0 ||
			setresuid(uid, uid, uid) < 0))
		rc = -errno;
	if (rc == 0 && (setresuid(0, 0, 0) == 0 || getuid() == 0))
		rc = -EPERM;	/* root came back: refuse to go on */
	if (rc < 0)
		return rc;
	/* a change of credentials clears the parent-death signal: set it
	 * now, then make sure the parent did not already go meanwhile */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0)
		return -errno;
	if (getppid() != parent)
		return -ESRCH;
	/* threads of the loop's now (no_new_privs first, which they
	 * inherit), so that the filter covers them too: only if it can be
	 * applied to every thread */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (sync_seccomp_threads())
		sync_kernel_threads(ps->d->kernel);
	rc = sync_seccomp_apply();
	if (rc == -EOPNOTSUPP) {
		sync_log(&ps->d->log, SYNC_LOG_WARNING, "no seccomp filter "
			 "for this architecture");
		rc = 0;
	}
	return rc;
}

static int resolve(const struct sync_conf *c, uid_t *uid, gid_t *gid)
{
	const char *name = c->privsep.user[0] ? c->privsep.user : "conntrackd";
	struct passwd *pw = getpwnam(name);

	if (!pw && !c->privsep.user[0])
		pw = getpwnam(name = "nobody");
	if (!pw || pw->pw_uid == 0)
		return -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int sync_privsep_prepare(struct sync_daemon *d)
{
	struct sync_privsep *ps;
	uid_t uid;
	gid_t gid;

	if (d->conf->privsep.off)
		return -ENOTSUP;
	if (resolve(d->conf, &uid, &gid) < 0) {
		sync_log(&d->log, SYNC_LOG_ERR, "privilege separation: no "
			 "unprivileged user `%s'", d->conf->privsep.user[0] ?
			 d->conf->privsep.user : "conntrackd' nor `nobody");
		return -ENOENT;
	}
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->d = d;
	ps->req = ps->note = -1;
	ps->uid = uid;
	ps->gid = gid;
	d->privsep = ps;
	return 0;
}

int sync_privsep_start(struct sync_daemon *d, int *status)
{
	struct sync_privsep *ps = d->privsep;
	struct nl_sock *socks[PS_FDS_MAX];
	struct ps_allow a = { .n = 0 };
	int req[2], note[2], rc;
	pid_t pid, parent;

	if (!ps)
		return -ENOTSUP;
	a.n = a.nstatic = sync_kernel_socks(d->kernel, socks, PS_FDS_MAX);
	for (unsigned int i = 0; i < a.n; i++)
		a.fds[i] = nl_sock_fd(socks[i]);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, req) < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, note) < 0) {
		rc = -errno;
		goto err_req;
	}
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto err_note;
	}
	if (pid == 0) {
		close(req[0]);
		close(note[0]);
		/* the lock is the parent's: with it gone (even by SIGKILL),
		 * a new daemon may start while this one is still ending */
		if (d->lock.fd >= 0)
			close(d->lock.fd);
		d->lock.fd = -1;
		ps->req = req[1];
		ps->note = note[1];
		rc = drop(ps, ps->uid, ps->gid, parent);
		if (rc < 0) {
			sync_log(&d->log, SYNC_LOG_ERR, "cannot drop "
				 "privileges: %s", strerror(-rc));
			_exit(1);
		}
		sync_privsep_child_setup(ps);
		return 0;
	}
	close(req[1]);
	close(note[1]);
	ps->child = pid;
	/* the keys of the sync links are the child's alone */
	if (d->mode && d->mode->forget)
		d->mode->forget(d);
	*status = sync_privsep_parent_loop(ps, req[0], note[0], &a);
	close(req[0]);
	close(note[0]);
	d->privsep = NULL;
	free(ps);
	return 1;
err_note:
	close(note[0]);
	close(note[1]);
err_req:
	close(req[0]);
	close(req[1]);
	return rc;
}

void sync_privsep_free(struct sync_privsep *ps)
{
	if (!ps)
		return;
	if (ps->req >= 0)
		close(ps->req);
	if (ps->note >= 0)
		close(ps->note);
	free(ps);
}
