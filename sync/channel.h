/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's dedicated links (spec 2.6; upstream src/channel*.c,
 * mcast.c, udp.c, tcp.c, multichannel.c): up to four channels of one
 * transport (UDP, multicast or TCP) between the replicas, of which one is
 * active for sending; receiving on any channel makes it the active one;
 * when the active channel's interface goes down or loses its carrier
 * (rtnetlink link events) the next one that is up takes over, with
 * upstream's log lines.
 *
 * What travels is sync messages (sync/msg.h). Sending appends a message
 * to the active channel's buffer, which goes out as one datagram (or one
 * stream write) when the next message would not fit the interface's MTU
 * minus the IP/UDP (or TCP) headers, or at sync_chans_flush(). Receiving
 * hands the owner whole datagram payloads (UDP, multicast) or the bytes of
 * the stream with message boundaries restored (TCP), each with the
 * channel it came on; the owner walks the messages with sync_msg_next().
 * One receive buffer per channel, never shared.
 *
 * Unlike upstream: multicast receives only on its group and interface;
 * UDP and multicast drop datagrams whose source is not the configured
 * peer (UDP: the destination address; multicast: any address on the
 * link, but only on the configured interface) and count them; TCP checks
 * the peer address on accept, reconnects with a bounded backoff, never
 * cuts a message in the stream (partial writes are finished before the
 * next), and keeps what was sent while not connected (bounded: a
 * channel whose backlog overflows tells its owner, which resyncs).
 *
 * With authentication (sync/auth.h) every datagram, and every unit of a
 * TCP stream, is a frame (sync/frame.h) sealed when the buffer leaves and
 * opened before anything reaches the owner; the buffer holds the MTU
 * less the headers less SYNC_FRAME_OVERHEAD.
 *
 * Everything is non-blocking and driven by the daemon's loop.
 */
#ifndef RAWCT_SYNC_CHANNEL_H
#define RAWCT_SYNC_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "sync/config.h"

struct sync_loop;
struct sync_log;
struct sync_chans;

/* Counters of one channel (`-s` channel block, `-s link`). */
struct sync_chan_stats {
	uint64_t bytes_sent, bytes_recv;
	uint64_t pkts_sent, pkts_recv;
	uint64_t err_send, err_recv;
	uint64_t dropped_peer;		/* from an address not configured */
	uint64_t backlog_overflow;	/* TCP: messages dropped, backlog full */
	uint64_t backlog_bytes;		/* TCP: bytes waiting to be written
					 * now (a level, not a counter) */
};

/* Called for what arrived on channel @idx: a datagram payload, or for
 * TCP a run of whole messages. @buf is valid during the call only. If
 * the first message's header is sound (version 1, a length that fits)
 * @idx is already the active channel. The callback may send and flush,
 * not close the set. */
typedef void (*sync_chans_recv_cb)(struct sync_chans *m, unsigned int idx,
				   const void *buf, size_t len, void *arg);

/* Events the owner must act on. They are delivered from a step of the
 * loop, never from inside the call that caused them (sync_chans_send,
 * say); one event raised several times before delivery comes once. */
enum sync_chans_event {
	SYNC_CHANS_EV_CONNECTED = 1,	/* TCP: a connection came up */
	SYNC_CHANS_EV_LOST,		/* messages were lost (backlog full,
					 * send error): resync the peer */
	SYNC_CHANS_EV_PEER,		/* authentication: a peer life
					 * completed the handshake (what
					 * was sent before may have been
					 * dropped): resync it */
};
typedef void (*sync_chans_event_cb)(struct sync_chans *m, unsigned int idx,
				    enum sync_chans_event ev, void *arg);

/*
 * sync_chans_open - open the configured channels (conf->sync.chan,
 * n_chan), their sockets bound and registered in @l, the link watcher
 * (rtnetlink) too. With @auth (sync/auth.h; the set takes it, and frees
 * it even when the open fails) every datagram, and every unit of a TCP
 * stream, is an authenticated frame; the first goes out at once. Logs
 * upstream's errors through @log ("can't open channel socket: %s"...).
 * Returns 0 and *@out, or -errno.
 */
struct sync_auth;
int sync_chans_open(struct sync_chans **out, const struct sync_conf *conf,
		    struct sync_loop *l, struct sync_log *log,
		    struct sync_auth *auth, sync_chans_recv_cb recv,
		    sync_chans_event_cb event, void *arg);
void sync_chans_close(struct sync_chans *m);

/*
 * sync_chans_set_stream - where a TCP link's new client sockets come
 * from: @fn(@arg, link index) returns a non-blocking TCP socket with the
 * link's SndSocketBuffer, -ENOTSUP to open it here as at start-up
 * (sync_chan_stream_socket), or -errno. For a process that dropped the
 * privilege to force a buffer past the system's maximum.
 */
void sync_chans_set_stream(struct sync_chans *m,
			   int (*fn)(void *arg, unsigned int idx), void *arg);

/* A TCP link's client socket as link @cc opens it: non-blocking,
 * close-on-exec, its SndSocketBuffer (forced if allowed). Returns the
 * descriptor or -errno. */
int sync_chan_stream_socket(const struct sync_conf_chan *cc);

/*
 * sync_chans_send - append message @msg (@len bytes, a whole sync
 * message) to the active channel's buffer; a full buffer goes out first.
 * Returns 0, -EMSGSIZE for a message larger than a datagram can carry,
 * -EINVAL when @len is not the length its header says (or shorter than
 * a header), or -errno of sending the full buffer (counted as err_send;
 * what that buffer held is lost for datagram channels as upstream loses
 * it, and SYNC_CHANS_EV_LOST follows; @msg itself is buffered). A TCP
 * channel fails only when its backlog is full (-ENOBUFS, counted as
 * backlog_overflow).
 */
int sync_chans_send(struct sync_chans *m, const void *msg, size_t len);

/* The counters of authentication (kept when it is off too: frames that
 * arrive then are counted), and the state, NULL when off. */
struct sync_auth_stats;
const struct sync_auth_stats *sync_chans_auth_stats(const struct sync_chans *m);
const struct sync_auth *sync_chans_auth(const struct sync_chans *m);

/* Wipes the keys (a forked process that does not sync keeps none). */
void sync_chans_forget(struct sync_chans *m);

/* The keys of a reloaded key file replace those in use: see
 * sync_auth_rekey() (-ENOENT also when authentication is off). */
struct sync_keys;
int sync_chans_rekey(struct sync_chans *m, const struct sync_keys *keys);

/* Sends what is buffered. Returns 0 or -errno. */
int sync_chans_flush(struct sync_chans *m);

/* Bytes buffered not yet sent (for the 1 ms coalescing decision). */
size_t sync_chans_pending(const struct sync_chans *m);

/* The largest message payload one datagram carries: the MTU less 28
 * (UDP, multicast) or 40 (TCP) bytes as upstream, 20 more over IPv6. */
size_t sync_chans_mtu(const struct sync_chans *m);

/* Channels configured, the active one, per-channel counters. */
unsigned int sync_chans_count(const struct sync_chans *m);
unsigned int sync_chans_active(const struct sync_chans *m);
const struct sync_chan_stats *sync_chans_stats(const struct sync_chans *m,
					       unsigned int idx);

/*
 * The text blocks of upstream's statistics, written into @buf like
 * snprintf (returns the length needed):
 *   sync_chans_report: the `-s` / `-s network` block of the active
 *     channel: "UDP traffic (active device=%s):\n%20llu Bytes sent
 *     %20llu Bytes recv\n..." (multicast / TCP variants, see spec 2.5);
 *   sync_chans_report_link: `-s link`, one block per channel with its
 *     device status (RUNNING, NO-CARRIER, DOWN) and role (ACTIVE,
 *     BACKUP).
 */
int sync_chans_report(const struct sync_chans *m, char *buf, size_t len);
int sync_chans_report_link(const struct sync_chans *m, char *buf,
			   size_t len);

/* Ours: the authentication block of `-s network' (the mode, both epochs,
 * whether the handshake is done, frames sealed, handshakes, then one
 * line per verdict of sync/auth.h; nothing at all, 0, while
 * authentication is off and no frame came) and its `-s json' object. */
int sync_chans_report_auth(const struct sync_chans *m, char *buf,
			   size_t len);
int sync_chans_report_auth_json(const struct sync_chans *m, char *buf,
				size_t len);

/* Ours: `-s json`'s "links" array, one object per channel: type, device,
 * status, whether active, the counters of -s link and those upstream's
 * text has no line for (other_sender: datagrams from an address not
 * configured; backlog_dropped and backlog_bytes: TCP's write backlog). */
int sync_chans_report_json(const struct sync_chans *m, char *buf,
			   size_t len);

#endif
