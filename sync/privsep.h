/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's privilege separation, in the manner of OpenBSD's daemons:
 * once everything is open, the daemon forks; the child runs the whole
 * event loop (the kernel's events, the peers' messages, the control
 * clients: every byte that comes from outside is parsed there) as an
 * unprivileged user, in an empty chroot, with no capabilities,
 * no_new_privs and a seccomp filter; the parent keeps root and does only
 * what the kernel will not let the child do, on request, over a
 * socketpair of fixed-size typed messages that it checks one by one.
 *
 * Why this split (what the kernel checks, and when):
 * - Joining the conntrack event groups needs CAP_NET_ADMIN at bind time
 *   only; a socket that joined keeps receiving. The child keeps the event
 *   socket and reads it itself.
 * - Every nfnetlink request is checked at send time against the
 *   capabilities of the socket's opener AND of the task that sends
 *   (netlink_net_capable: file and current). So the child cannot send a
 *   dump, create, delete or flush request even on a socket root opened,
 *   but the parent can send it on the same socket (same descriptor,
 *   inherited) and the child then reads the replies: a dump is continued
 *   on each recvmsg without a second check. Events our requests cause
 *   keep carrying the socket's port id, so the daemon still knows its
 *   own. The parent checks that a request is one or more well-formed
 *   ctnetlink conntrack or expectation NEW, GET or DELETE messages on one
 *   of the daemon's own netlink sockets, and nothing else.
 * - SO_RCVBUFFORCE (event buffer growth beyond net.core.rmem_max) needs
 *   CAP_NET_ADMIN: the parent sets it on the shared socket.
 * - The dedicated links are open before the fork; a TCP link that
 *   reconnects opens a new socket and connects, which needs nothing.
 * - The log files are open before the fork; after a SIGHUP (logrotate)
 *   the parent reopens them and passes the descriptors to the child.
 * - The key file of authenticated sync is root's alone: after a SIGHUP
 *   (key rotation) the parent reads and checks it, hands the keys to the
 *   child in one record, and wipes its copy; it keeps none otherwise.
 * - systemd accepts notifications from the main process, the parent: the
 *   child asks it to send READY, WATCHDOG and STOPPING.
 * - The control socket is bound before the fork; the child accepts and
 *   checks each caller's credentials (SO_PEERCRED, SO_PEERGROUPS): root,
 *   or a member of the configured group.
 *
 * Message: a 16-byte header (type, payload length, descriptor, argument,
 * all native-endian: both ends are this program) and, for a request to
 * send, the request's bytes. Every message is one SOCK_SEQPACKET record,
 * so a record's size is checked against its header exactly.
 */
#ifndef RAWCT_SYNC_PRIVSEP_H
#define RAWCT_SYNC_PRIVSEP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PS_PAYLOAD_MAX	(72 * 1024)	/* a 64 KiB batch and then some */
#define PS_FDS_MAX	8		/* netlink sockets opened before */
#define PS_DYN_MAX	16		/* ... and opened for it since */

enum ps_type {
	PS_SEND = 1,		/* child: send payload on socket fd */
	PS_RCVBUF,		/* child: SO_RCVBUFFORCE arg bytes on fd */
	PS_NOTIFY,		/* child: tell systemd (arg: PS_NOTIFY_*) */
	PS_REPLY,		/* parent: arg = 0 or -errno */
	PS_LOGS,		/* parent: new log descriptors (SCM_RIGHTS) */
	PS_SOCKET,		/* child: a new ctnetlink socket, please */
	PS_CLOSE,		/* child: done with the socket fd */
	PS_KEYS,		/* parent: the key file read again after a
				 * SIGHUP (payload: struct sync_keys) */
	PS_STREAM,		/* child: a new TCP socket for link arg,
				 * its SndSocketBuffer forced (SCM_RIGHTS) */
	PS_SYSLOG,		/* child: a new socket connected to
				 * /dev/log (SCM_RIGHTS) */
};

enum { PS_NOTIFY_READY = 1, PS_NOTIFY_WATCHDOG, PS_NOTIFY_STOPPING };

struct ps_hdr {
	uint32_t type;
	uint32_t len;		/* payload bytes after the header */
	int32_t fd;
	int32_t arg;
};

/* The parent's view: which descriptors the child may name (the
 * parent's numbers): the first nstatic were open before the fork, the
 * others opened on its request (PS_SOCKET) and closable (PS_CLOSE). */
struct ps_allow {
	int fds[PS_FDS_MAX + PS_DYN_MAX];
	unsigned int n, nstatic;
};

/*
 * sync_privsep_check - the parent's check of one record of @len bytes:
 * a header of a known type whose length matches the record, a socket in
 * @allow, and for PS_SEND a payload of whole netlink messages, each an
 * NLM_F_REQUEST of NFNL_SUBSYS_CTNETLINK or _EXP with command NEW, GET or
 * DELETE, addressed to the kernel (pid 0), fitting exactly; PS_SOCKET
 * naming no socket; PS_CLOSE naming one opened by PS_SOCKET; PS_STREAM
 * naming no socket and a link index below SYNC_CONF_CHAN_MAX; PS_SYSLOG
 * naming no socket, arg 0. Pure: the
 * fuzzer calls it. Returns 0 and the header in *@h, or -EBADMSG (shape),
 * -EPERM (a message the parent will not send for the child).
 */
int sync_privsep_check(const void *rec, size_t len, const struct ps_allow *allow,
		       struct ps_hdr *h);

struct nl_sock;
struct sync_privsep;
struct sync_daemon;
struct sync_conf;

/*
 * sync_privsep_prepare - before the daemon detaches: resolve the
 * unprivileged user (User, else conntrackd, else nobody; never uid 0) and
 * keep it in d->privsep. Returns 0, -ENOENT (logged) if there is none,
 * -ENOTSUP with `Privsep { Separate off }`, -ENOMEM.
 */
int sync_privsep_prepare(struct sync_daemon *d);

/*
 * sync_privsep_start - fork. In the child: drop to the configured user in
 * an empty chroot with no capabilities, no_new_privs and the seccomp
 * filter, route the daemon's netlink sends and forced buffer sizes to the
 * parent, and return 0 (the caller runs the loop). In the
 * parent: serve the child until it ends, store its exit status in
 * *@status and return 1 (the caller cleans up what the child could not:
 * the control socket file, the lock). Returns -errno if nothing was
 * forked; -ENOTSUP at once if sync_privsep_prepare() did not succeed.
 */
int sync_privsep_start(struct sync_daemon *d, int *status);

/*
 * sync_privsep_sock_open - a NETLINK_NETFILTER socket whose requests the
 * kernel will take: in the child, opened by the parent (its sends go
 * through the parent like those of the sockets opened before the fork);
 * without privilege separation (@ps NULL), opened directly. Returns 0 and
 * *@out, or -errno (-EMFILE: PS_DYN_MAX open already).
 * sync_privsep_sock_close - closes it (both copies). Accepts NULL @s.
 */
int sync_privsep_sock_open(struct sync_privsep *ps, struct nl_sock **out);
void sync_privsep_sock_close(struct sync_privsep *ps, struct nl_sock *s);

/* In the child: a new TCP socket for link @idx (a TCP link of the
 * configuration), non-blocking, its SndSocketBuffer forced by the parent
 * (past net.core.wmem_max, which needs CAP_NET_ADMIN). Returns the
 * descriptor, -ENOTSUP outside the child (open it yourself), or -errno. */
int sync_privsep_stream(struct sync_privsep *ps, unsigned int idx);

/* The child asks the parent to tell systemd @kind (PS_NOTIFY_*). */
void sync_privsep_notify(struct sync_privsep *ps, int kind);

void sync_privsep_free(struct sync_privsep *ps);

#endif
