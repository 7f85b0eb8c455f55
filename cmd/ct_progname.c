// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program behind a netlink port id (cmd/ct_progname.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/ct_progname.h"

#define NETLINK_NETFILTER_PROTO	12	/* the Eth column of /proc/net/netlink */

/* Column @n (from 0) of a /proc/net/netlink @line as a decimal number
 * (no sscanf: it would bring musl's whole scanf and float scanner into
 * the static binary). -1 if there is no such number. */
static int column(const char *line, int n, unsigned long *v)
{
	const char *p = line;
	char *end;

	for (int i = 0;; i++) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			return -1;
		if (i == n)
			break;
		p += strcspn(p, " \t\n");
	}
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*v = strtoul(p, &end, 10);
	return errno || !strchr(" \t\n", *end) ? -1 : 0;
}

/* The inode of the netfilter netlink socket bound to @portid, 0 if none.
 * Columns: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode. */
static unsigned long portid_inode(uint32_t portid)
{
	char line[256];
	unsigned long inode = 0, ino, pid, proto;
	FILE *f = fopen("/proc/net/netlink", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!column(line, 1, &proto) && !column(line, 2, &pid) &&
		    !column(line, 9, &ino) &&
		    proto == NETLINK_NETFILTER_PROTO && pid == portid) {
			inode = ino;
			break;
		}
	fclose(f);
	return inode;
}

/* Whether process directory @pid has a descriptor on socket @want. */
static int has_socket(int procfd, const char *pid, const char *want)
{
	char path[300], link[64];
	struct dirent *d;
	DIR *dir;
	int fd, found = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	while (!found && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		n = readlinkat(fd, d->d_name, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = !strcmp(link, want);
		}
	}
	closedir(dir);
	return found;
}

/* The comm of the process holding @inode into @name ("" if none). */
static void inode_owner(unsigned long inode, char *name, size_t len)
{
	char want[48], path[300];
	struct dirent *d;
	DIR *proc;
	FILE *f;

	name[0] = '\0';
	proc = opendir("/proc");
	if (!proc)
		return;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    !has_socket(dirfd(proc), d->d_name, want))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "re");
		if (f) {
			if (fgets(name, (int)len, f))
				name[strcspn(name, "\n")] = '\0';
			fclose(f);
		}
		break;
	}
	closedir(proc);
}

const char *ct_progname(struct ct_progcache *pc, uint32_t portid)
{
	unsigned long inode;

	if (!pc->known || pc->portid != portid) {
		pc->portid = portid;
		pc->known = 1;
		pc->tail_ok = 0;
		pc->name[0] = '\0';
		inode = portid_inode(portid);
		if (inode)
			inode_owner(inode, pc->name, sizeof(pc->name));
	}
	return pc->name[0] ? pc->name : NULL;
}
