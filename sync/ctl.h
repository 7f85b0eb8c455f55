/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's control socket (spec 2.4): an AF_UNIX stream socket at
 * `UNIX { Path }`, mode 0600, on which each client sends one request, a
 * native-endian int action code, reads a text answer until the daemon
 * closes the connection, and is gone. Upstream's protocol exactly, so
 * upstream's client works with our daemon and ours with upstream's.
 *
 * Unlike upstream nothing here blocks or forks: every client socket is
 * non-blocking; a request that arrives in pieces is assembled; answers go
 * to a per-client buffer drained when the client can take it; long
 * answers (a dump of the cache) are produced a slice at a time, only
 * while the client's buffer has room, so a client that stops reading
 * costs one bounded buffer and never stalls the daemon; a client that
 * takes nothing for SYNC_CTL_STALL_SEC seconds is dropped. A request can
 * also keep its client open until work started for it ends (a commit:
 * synchronous for the caller).
 *
 * The client side (what `conntrackd -c` and friends run) is here too.
 */
#ifndef RAWCT_SYNC_CTL_H
#define RAWCT_SYNC_CTL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sync_loop;
struct sync_ctl;
struct sync_client;

/* Action codes (upstream include/conntrackd.h). */
enum sync_ctl_code {
	SYNC_CT_FLUSH_MASTER	= 0,
	SYNC_CT_RESYNC_MASTER	= 1,
	SYNC_CT_DUMP_INTERNAL	= 16,
	SYNC_CT_DUMP_EXTERNAL	= 17,
	SYNC_CT_COMMIT		= 18,
	SYNC_CT_FLUSH_CACHE	= 19,
	SYNC_KILL		= 20,
	SYNC_STATS		= 21,
	SYNC_SEND_BULK		= 22,
	SYNC_REQUEST_DUMP	= 23,
	SYNC_CT_DUMP_INT_XML	= 24,
	SYNC_CT_DUMP_EXT_XML	= 25,
	SYNC_RESET_TIMERS	= 26,
	SYNC_DEBUG_INFO		= 27,
	SYNC_STATS_NETWORK	= 28,
	SYNC_STATS_CACHE	= 29,
	SYNC_STATS_RUNTIME	= 30,
	SYNC_STATS_LINK		= 31,
	SYNC_STATS_RSQUEUE	= 32,
	SYNC_CT_FLUSH_INT_CACHE	= 33,
	SYNC_CT_FLUSH_EXT_CACHE	= 34,
	SYNC_STATS_PROCESS	= 35,
	SYNC_STATS_QUEUE	= 36,
	SYNC_EXP_STATS		= 37,
	SYNC_EXP_FLUSH_MASTER	= 38,
	SYNC_EXP_RESYNC_MASTER	= 39,
	SYNC_EXP_DUMP_INTERNAL	= 40,
	SYNC_EXP_DUMP_EXTERNAL	= 41,
	SYNC_EXP_COMMIT		= 42,
	SYNC_ALL_FLUSH_MASTER	= 43,
	SYNC_ALL_RESYNC_MASTER	= 44,
	SYNC_ALL_FLUSH_CACHE	= 45,
	SYNC_ALL_COMMIT		= 46,
	SYNC_EXP_DUMP_INT_XML	= 47,
	SYNC_EXP_DUMP_EXT_XML	= 48,
	/* ours, never sent by upstream's client */
	SYNC_STATS_JSON		= 0x7200,	/* -s in JSON */
	SYNC_HEALTH		= 0x7201,	/* -s health */
};

#define SYNC_CTL_BACKLOG	100	/* upstream's listen() backlog */
#define SYNC_CTL_BUF_SOFT	(64 * 1024)	/* a producer fills no more */
#define SYNC_CTL_STALL_SEC	30	/* no progress: the client goes */
#define SYNC_CTL_CLIENTS_MAX	1024	/* beyond: accepted and closed */

struct sync_ctl_stats {
	uint32_t accepted;
	uint32_t read_failed;		/* upstream's "local read failed" */
	uint32_t dropped_stalled;	/* took nothing for STALL_SEC */
	uint32_t dropped_full;		/* over CLIENTS_MAX */
	uint32_t dropped_peer;		/* closed before its answer */
	uint32_t denied;		/* neither root nor in the group */
};

/* A request arrived: answer with sync_client_write/printf, start a
 * producer, hold the client, or do nothing (it is closed once its buffer
 * is written). */
typedef void (*sync_ctl_request_cb)(struct sync_client *cl, int code,
				    void *arg);

/*
 * sync_ctl_open - unlink @path, bind, listen and watch it in @l. The
 * socket file gets mode 0600 whatever the umask. Returns 0 and *@out,
 * -ENAMETOOLONG if @path does not fit sun_path (never cut), -EINVAL for
 * an empty path, or -errno from socket/bind/listen.
 */
int sync_ctl_open(struct sync_ctl **out, struct sync_loop *l,
		  const char *path, sync_ctl_request_cb cb, void *arg);

/*
 * sync_ctl_restrict - who may talk to the server: root always; with
 * @group set (not (gid_t)-1), members of @group too, whose primary or
 * supplementary groups (SO_PEERCRED, SO_PEERGROUPS) hold it; the socket
 * file then becomes root:@group, mode 0660. A caller refused is told
 * "permission denied", counted in denied and reported to @deny (may be
 * NULL) with its credentials. Returns 0 or -errno from chown/chmod.
 */
typedef void (*sync_ctl_deny_cb)(uint32_t uid, uint32_t gid, int32_t pid,
				 void *arg);
int sync_ctl_restrict(struct sync_ctl *c, gid_t group, sync_ctl_deny_cb deny,
		      void *arg);

/* A server without a socket file, whose clients come from
 * sync_ctl_adopt() only (tests and the fuzzer, over socketpairs). */
int sync_ctl_new(struct sync_ctl **out, struct sync_loop *l,
		 sync_ctl_request_cb cb, void *arg);

/* Serves the connected stream socket @fd as a client (it is made
 * non-blocking and closed with the client). Returns 0, -ENOMEM, or
 * -EMFILE over SYNC_CTL_CLIENTS_MAX (@fd is then closed). */
int sync_ctl_adopt(struct sync_ctl *c, int fd);

/* Closes every client (their producers released), the socket, and
 * unlinks the path. Accepts NULL. */
void sync_ctl_close(struct sync_ctl *c);

const struct sync_ctl_stats *sync_ctl_stats(const struct sync_ctl *c);

/* Clients that take nothing for @msec milliseconds are dropped, instead
 * of SYNC_CTL_STALL_SEC seconds (tests; the sweep still runs once a
 * second). */
void sync_ctl_set_stall(struct sync_ctl *c, unsigned int msec);

/* Appends to the client's answer (never blocks). Returns 0 or -ENOMEM
 * (the client is then dropped). */
int sync_client_write(struct sync_client *cl, const void *buf, size_t len);
int sync_client_printf(struct sync_client *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bytes a producer may still write before the soft limit. */
size_t sync_client_room(const struct sync_client *cl);

/*
 * A producer: called whenever the client has room, it writes up to
 * sync_client_room() bytes (a little more is fine) and returns 1 to be
 * called again, 0 when the answer is complete (the client is closed once
 * written), or a negative errno to drop the client. @release (may be
 * NULL) is called with @arg exactly once when the producer is finished
 * or the client goes away.
 */
typedef int (*sync_client_fill_cb)(struct sync_client *cl, void *arg);
void sync_client_fill(struct sync_client *cl, sync_client_fill_cb fill,
		      void *arg, void (*release)(void *arg));

/* Keep the client open after the request callback (an answer that comes
 * later); sync_client_release() ends the hold: the client is closed once
 * its buffer is written. Returns a handle that stays valid until
 * released, even if the peer goes away meanwhile. */
struct sync_client *sync_client_hold(struct sync_client *cl);
void sync_client_release(struct sync_client *cl);

/* The request's peer credentials (SO_PEERCRED), for access checks. */
int sync_client_cred(const struct sync_client *cl, uint32_t *uid,
		     uint32_t *gid, int32_t *pid);

/*
 * sync_ctl_request - the client side: connect to @path, send @code,
 * and copy the answer to @out_fd until the daemon closes. Returns 1 if
 * the daemon answered something, 0 if it answered nothing, or -errno of
 * the connect (the caller prints upstream's "can't connect: is
 * conntrackd running? appropriate permissions?"), -ENAMETOOLONG.
 */
int sync_ctl_request(const char *path, int code, int out_fd);

/* sync_ctl_request() into @buf (@cap bytes, NUL-terminated, the rest of
 * a longer answer dropped): the answer's length, or -errno as above. */
int sync_ctl_ask(const char *path, int code, char *buf, size_t cap);

#endif
