/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the dedicated links (sync/channel.h), shared by its files and
 * the unit tests, not by other modules:
 *   chans.c        the set: channels, the active one, buffering, failover,
 *                  receiving, deferred events;
 *   chans_auth.c   authentication's receiving side and handshake;
 *   chans_report.c the `-s` and `-s link` texts;
 *   chan_udp.c, chan_mcast.c, chan_tcp.c
 *                  the transports, each a table of operations;
 *   chan_dgram.c   what UDP and multicast share (sockets, the read loop);
 *   chan_stream.c  the TCP byte streams: the bounded backlog of whole
 *                  messages, the boundaries of received messages;
 *   chan_sock.c    socket addresses and options.
 *
 * A transport owns its sockets and registers them in the set's loop;
 * it hands what it received to chan_recv() and raises events with
 * chan_event(). The set owns the send buffer (one datagram, or one write
 * for TCP) and decides when it goes out through ops->send().
 */
#ifndef RAWCT_SYNC_CHAN_INT_H
#define RAWCT_SYNC_CHAN_INT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sync/auth.h"
#include "sync/channel.h"
#include "sync/config.h"
#include "sync/loop.h"

struct chan;
struct sync_link;

/* Receive buffer of a channel: any datagram, or any one message of the
 * stream (its 16-bit length includes the header). */
#define CHAN_RX_MAX		65536
/* Datagrams (or stream reads) handled per wakeup, as upstream's
 * EventIterationLimit default, so one busy link cannot starve others. */
#define CHAN_RX_BURST		100
/* What an IPv6 header takes beyond the IPv4 one in ops->hdr. */
#define CHAN_IPV6_EXTRA		20
/* The header of a sync message (sync/msg.h): length at bytes 2-3. */
#define CHAN_MSG_HDR		8

struct chan_ops {
	const char *name;	/* as reports print it: UDP, multicast, TCP */
	unsigned int hdr;	/* IPv4 + transport headers (28, 40), taken
				 * off the MTU for the payload of a datagram
				 * (IPv6: CHAN_IPV6_EXTRA more) */
	/* Opens the sockets of @c and registers them in its set's loop.
	 * Returns 0 or -errno (nothing left open). */
	int (*open)(struct chan *c);
	/* Unregisters and closes everything; also after a failed open. */
	void (*close)(struct chan *c);
	/* Sends @len bytes of whole messages as one datagram, or queues
	 * them on the stream. Counts its own statistics. Returns 0 or
	 * -errno (the bytes are lost; the set raises SYNC_CHANS_EV_LOST). */
	int (*send)(struct chan *c, const void *buf, size_t len);
	/* Writes the connection states into the report header (TCP:
	 * " server=connected client=disconnected"), as snprintf; NULL for
	 * the datagram transports. */
	int (*state)(const struct chan *c, char *buf, size_t len);
};

extern const struct chan_ops chan_udp_ops;
extern const struct chan_ops chan_mcast_ops;
extern const struct chan_ops chan_tcp_ops;

/* One dedicated link. */
struct chan {
	struct sync_chans *set;
	unsigned int idx;
	struct sync_conf_chan conf;	/* a copy: the set outlives nothing */
	const struct chan_ops *ops;
	unsigned int ifindex;		/* of conf.iface, at open */
	size_t limit;			/* messages in one datagram: MTU - hdr
					 * (- SYNC_FRAME_OVERHEAD with auth) */
	unsigned char *buf;		/* the frame: header, tx, tag room */
	unsigned char *tx;		/* send buffer, @limit bytes (in buf
					 * after the frame's header) */
	size_t tx_len;
	unsigned char *rx;		/* receive buffer, CHAN_RX_MAX bytes */
	struct sync_chan_stats st;
	void *priv;			/* the transport's */
};

/* The set (its fields are for chans*.c only). */
struct sync_chans {
	struct chan chan[SYNC_CONF_CHAN_MAX];
	unsigned int n, active;
	struct sync_loop *loop;
	struct sync_log *log;
	struct sync_link *link;
	int link_fd;			/* registered in the loop, or -1 */
	sync_chans_recv_cb recv;
	sync_chans_event_cb event;
	void *arg;
	unsigned int ev_pending[SYNC_CONF_CHAN_MAX];	/* 1 << event */
	int ev_queued;			/* the step is queued */
	struct sync_auth *auth;		/* NULL: authentication off */
	struct sync_auth_stats ast;	/* sync/auth.h */
	unsigned char *plain;		/* an opened frame's payload */
	int hello_queued;		/* the answer step is queued */
	struct sync_loop_timer hello;	/* until the peer echoes us */
	uint64_t logged[SYNC_AUTH_V_MAX];	/* when, per reason */
	uint64_t unlogged[SYNC_AUTH_V_MAX];	/* refused since */
	int (*stream)(void *arg, unsigned int idx);	/* NULL: here */
	void *stream_arg;
};


/* ---- chans.c: for the transports ------------------------------------- */

struct sync_loop *chan_loop(const struct chan *c);

/* A new client socket for TCP link @c (sync_chans_set_stream). */
int chan_stream_socket(const struct chan *c);

/*
 * chan_recv - @len bytes arrived on @c from its peer: a datagram, or a
 * run of whole messages of the stream, or with authentication one whole
 * frame (of a datagram or the stream), which is opened first
 * (sync/auth.h; refusals counted and logged). If the first message's
 * header is sound (version 1, a length that fits) @c becomes the active
 * channel (upstream's channel_handler), then the owner's callback gets
 * the messages. Returns 0, or -EBADMSG when the frame was refused (a
 * stream is then closed), -EPROTO for a frame while authentication is
 * off.
 */
int chan_recv(struct chan *c, const void *buf, size_t len);

/* The set's authentication, NULL when off. */
struct sync_auth *chan_auth(const struct chan *c);

/* Counts (and logs, at most once per reason every 10 s) a datagram or
 * frame of @c refused as @v (enum sync_auth_verdict). */
void chan_refuse(struct chan *c, int v);

/* Messages for the owner; a sound first header makes @c active. */
void chan_deliver(struct chan *c, const void *buf, size_t len);

/* ---- chans_auth.c ---------------------------------------------------- */

/* One frame received on @c with authentication on: as chan_recv(). */
int chan_recv_frame(struct chan *c, const void *buf, size_t len);
/* The set's authentication state: prepared at open (-ENOMEM), started
 * (the first hello) once the links are open, freed (keys wiped). */
int chans_auth_init(struct sync_chans *m);
int chans_auth_start(struct sync_chans *m);
void chans_auth_fini(struct sync_chans *m);

/* Raises @ev for the owner; delivered from a loop step, so never inside
 * the call that raised it (sync_chans_send, say). Raising one already
 * pending does nothing. */
void chan_event(struct chan *c, enum sync_chans_event ev);

/* ---- chans.c: for the unit tests ------------------------------------- */

/* What sync_chans_open() takes from the system, replaceable. */
struct chans_env {
	/* the transport of each type (SYNC_CHAN_*); NULL: the real one */
	const struct chan_ops *ops[SYNC_CHAN_TCP + 1];
	/* the link table, given to the set (freed by sync_chans_close, or
	 * by a failed open); NULL: sync_link_open() in the caller's
	 * namespace */
	struct sync_link *link;
	/* authentication, given to the set likewise; NULL: off */
	struct sync_auth *auth;
};

/* sync_chans_open() with @env (NULL: all real). */
int chans_open_env(struct sync_chans **out, const struct sync_conf *conf,
		   struct sync_loop *l, struct sync_log *log,
		   sync_chans_recv_cb recv, sync_chans_event_cb event,
		   void *arg, const struct chans_env *env);

/* Upstream's interface_handler: after link events, if the active
 * channel's interface is not both up and running, the first other
 * channel on another interface that is up or running takes over
 * ("device `%s' becomes dedicated link"), else "no dedicated links
 * available!". */
void chans_link_changed(struct sync_chans *m);

struct sync_link *chans_link(const struct sync_chans *m);
struct chan *chans_chan(struct sync_chans *m, unsigned int idx);
const struct chan *chans_chan_const(const struct sync_chans *m,
				    unsigned int idx);
/* The name of @c's interface now (it may have been renamed). */
const char *chans_ifname(const struct sync_chans *m, const struct chan *c);

/* ---- chan_stream.c --------------------------------------------------- */

/*
 * chan_msg_len - the length of the message at @buf when all of it is in
 * the @len bytes there, 0 when more bytes are needed, -EBADMSG when its
 * header says less than a header. (What sync_msg_next() returns, for the
 * framing alone: sync/msg.c checks the rest.)
 */
int chan_msg_len(const void *buf, size_t len);

/* The length of one unit of a stream at @buf (@len bytes there): a
 * message or a frame, 0 while incomplete, <0 when it cannot be one. */
typedef int (*chan_unit_fn)(const void *buf, size_t len);

/* Units: chan_msg_len(); chan_unit_msg() also says -EPROTO for the
 * start of a frame (a peer with authentication while we have none);
 * chan_unit_frame() a frame, -EPROTO without the magic (a peer without
 * authentication), -EBADMSG for a header that cannot be one. */
int chan_unit_msg(const void *buf, size_t len);
int chan_unit_frame(const void *buf, size_t len);

/* How many bytes at the start of @buf are whole units (0 to @len), or
 * the unit's negative errno when one cannot be. */
long chan_unit_whole(const void *buf, size_t len, chan_unit_fn unit);

/*
 * chan_msg_whole - how many bytes at the start of @buf (@len bytes) are
 * whole messages: 0 to @len; -EBADMSG when a header within says less
 * than a header (a stream cannot be resynchronised after that).
 */
long chan_msg_whole(const void *buf, size_t len);

/*
 * chan_stream_take - reassembly: @n bytes were just read to @rx + *@have.
 * The whole messages at the front of the *@have + @n bytes go to @fn in
 * one call (if any); the rest, the start of a message, moves to the front
 * of @rx and *@have says how long it is. Returns the bytes handed over, or
 * -EBADMSG (nothing handed over, *@have unchanged) when a header says
 * less than a header.
 */
typedef void (*chan_take_fn)(void *arg, const void *buf, size_t len);
long chan_stream_take(unsigned char *rx, size_t *have, size_t n,
		      chan_take_fn fn, void *arg);
/* The same with units of @unit; its negative errno is returned. */
long chan_stream_take_unit(unsigned char *rx, size_t *have, size_t n,
			   chan_unit_fn unit, chan_take_fn fn, void *arg);

/* Counts the messages of @len bytes of whole messages. */
size_t chan_msg_count(const void *buf, size_t len);

/*
 * The backlog of a stream: whole messages waiting to be written, at most
 * @max bytes. What a write took is consumed; after a broken connection
 * the message a write had cut is rewound to its start, so the next
 * connection gets it whole.
 */
struct chan_outq {
	chan_unit_fn unit;	/* chan_msg_len unless set after init */
	unsigned char *buf;
	size_t cap, max;
	size_t start;		/* the first message not wholly written */
	size_t head;		/* the next byte to write (>= start) */
	size_t tail;		/* the end of the data */
};

void chan_outq_init(struct chan_outq *q, size_t max);
void chan_outq_free(struct chan_outq *q);
/* Appends @len bytes of whole units (messages, or q->unit's). Returns 0,
 * -ENOBUFS when the backlog would exceed its bound (nothing appended),
 * -EINVAL when @buf is not whole units, -ENOMEM. */
int chan_outq_push(struct chan_outq *q, const void *buf, size_t len);
/* The bytes to write next and how many (0: nothing). */
size_t chan_outq_peek(const struct chan_outq *q, const void **data);
/* @n bytes (at most what peek gave) were written. */
void chan_outq_consume(struct chan_outq *q, size_t n);
/* The connection broke: write the cut message again from its start. */
void chan_outq_rewind(struct chan_outq *q);
/* Bytes held (including a cut message's written part). */
size_t chan_outq_len(const struct chan_outq *q);

/* ---- chan_sock.c ----------------------------------------------------- */

union chan_sa {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	struct sockaddr_storage ss;
};

/* The family of @cc (AF_INET when unset). */
int chan_family(const struct sync_conf_chan *cc);

/* @addr:@port (host order) of @family into @sa; IPv6 gets scope @scope
 * (used by the kernel for link-local addresses only). Returns the
 * address length. */
socklen_t chan_sa_make(union chan_sa *sa, int family,
		       const union ct_addr *addr, uint16_t port,
		       unsigned int scope);

/* Whether @sa (@len bytes) carries address @addr of @family (the port
 * is not compared). */
int chan_sa_is(const union chan_sa *sa, socklen_t len, int family,
	       const union ct_addr *addr);

/* Whether @addr of @family is the unspecified address. */
int chan_addr_any(int family, const union ct_addr *addr);

/* A socket of @family and @type, close-on-exec, non-blocking if @nb.
 * Returns the descriptor or -errno. */
int chan_socket(int family, int type, int nb);

/* setsockopt of an int. Returns 0 or -errno. */
int chan_sockopt(int fd, int level, int name, int val);

/* Sets the send (@rcv 0) or receive buffer to @bytes: forced
 * (SO_*BUFFORCE, CAP_NET_ADMIN) or else capped by the system maximum;
 * @bytes 0 leaves the default. Returns 0 or -errno. */
int chan_sockbuf(int fd, int rcv, uint32_t bytes);

/* bind(2). Returns 0 or -errno. */
int chan_bind(int fd, const union chan_sa *sa, socklen_t len);

/* Closes *@fd (if >= 0) after removing it from @l, and sets it to -1. */
void chan_fd_close(struct sync_loop *l, int *fd);

/* ---- chan_dgram.c ---------------------------------------------------- */

/* The arrival interface of the datagram of @mh (IP_PKTINFO,
 * IPV6_RECVPKTINFO), 0 if not told. */
unsigned int chan_dgram_ifindex(const struct msghdr *mh);

/* Asks for the arrival interfaces of what @fd receives, of @family. */
int chan_dgram_pktinfo(int fd, int family);

/* Whether a datagram (its source and control messages in @mh) is from
 * the configured peer. */
typedef int (*chan_dgram_accept_fn)(const struct chan *c,
				    const struct msghdr *mh);

/*
 * chan_dgram_start - the datagram channel @c from its receive socket @rx
 * (bound, non-blocking) and send socket @tx sending to @dst: registers
 * @rx in the loop; @accept tells a peer's datagram from others (counted
 * dropped_peer). Takes the descriptors (closed on failure). Returns 0 or
 * -errno.
 */
int chan_dgram_start(struct chan *c, int rx, int tx,
		     const union chan_sa *dst, socklen_t dst_len,
		     chan_dgram_accept_fn accept);
void chan_dgram_close(struct chan *c);
int chan_dgram_send(struct chan *c, const void *buf, size_t len);
/* A send socket of @cc's family: non-blocking sends would drop a burst
 * when the buffer is full, so sends wait, but at most 100 ms (then the
 * datagram is lost and counted). Checksum off sets SO_NO_CHECK (IPv4);
 * SndSocketBuffer is applied. Returns the descriptor or -errno. */
int chan_dgram_tx_socket(const struct sync_conf_chan *cc);
/* A receive socket of @cc's family with SO_REUSEADDR (as upstream) and
 * RcvSocketBuffer, non-blocking, bound to @sa. Returns it or -errno. */
int chan_dgram_rx_socket(const struct sync_conf_chan *cc,
			 const union chan_sa *sa, socklen_t len);

#endif
