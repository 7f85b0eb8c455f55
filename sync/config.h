/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd.conf as plain data: the whole 1.4.8 grammar (General with
 * UNIX, Filter and Scheduler; Sync with its mode, channels and Options;
 * Stats; Helper) parsed into one struct with upstream's defaults, then
 * validated completely before the daemon opens anything. The running
 * daemon only reads it. Integers are host order, addresses network order.
 *
 * Warnings that upstream prints and then goes on (deprecated keys, an
 * address that does not parse, `persistent'/`nack' aliases...) are handed
 * to the caller's callback with upstream's text; errors stop the parse
 * and fill struct sync_conf_err with upstream's message.
 */
#ifndef RAWCT_SYNC_CONFIG_H
#define RAWCT_SYNC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"

#define SYNC_CONF_DEFAULT_PATH	"/etc/conntrackd/conntrackd.conf"
#define SYNC_CONF_PATH_MAX	256	/* LogFile, LockFile (upstream) */
#define SYNC_CONF_UNIX_MAX	108	/* sizeof(sun_path) */
#define SYNC_CONF_IFNAME_MAX	16	/* IFNAMSIZ */
#define SYNC_CONF_CHAN_MAX	4	/* "Maximum: 4" dedicated links */
#define SYNC_CONF_HELPER_NAME	16	/* NFCT_HELPER_NAME_MAX */
#define SYNC_CONF_NAME_MAX	33	/* user and group names */
#define SYNC_CONF_EXP_HELPERS	16	/* ExpectationSync { names } */
#define SYNC_CONF_HELPERS	32	/* Helper { Type ... } sections: 12
					 * helper/protocol pairs, both
					 * families */
#define SYNC_CONF_POLICIES	4	/* Policy blocks per Type */
#define SYNC_CONF_PEERS_MAX	8	/* Authentication { Peer ... } */

/* What the daemon runs (sync_conf.run): Sync and Stats exclude each other;
 * Helper may join either; none of them gives an idle daemon, as upstream. */
enum {
	SYNC_RUN_SYNC	= 1 << 0,
	SYNC_RUN_STATS	= 1 << 1,
	SYNC_RUN_HELPER	= 1 << 2,
};

enum sync_conf_mode {
	SYNC_MODE_FTFW = 1,		/* also the default, with a warning */
	SYNC_MODE_ALARM,
	SYNC_MODE_NOTRACK,
};

enum sync_conf_chan_type {
	SYNC_CHAN_MCAST = 1,
	SYNC_CHAN_UDP,
	SYNC_CHAN_TCP,
};

/* One dedicated link: Multicast, UDP or TCP { ... }. */
struct sync_conf_chan {
	uint8_t type;			/* enum sync_conf_chan_type */
	uint8_t is_default;		/* `Multicast Default {'; after the
					 * parse exactly one link has it:
					 * the last marked, else the first */
	uint8_t family;			/* AF_INET or AF_INET6 (0 unset): of
					 * the last valid address given */
	uint8_t checksum;		/* Checksum on|off, default on */
	union ct_addr addr;		/* IPv4_address/IPv6_address: the
					 * group (mcast), the bind address
					 * (udp, tcp server) */
	union ct_addr dest;		/* IPv4/6_Destination_Address */
	union ct_addr ifaddr;		/* IPv4_interface (mcast) */
	char iface[SYNC_CONF_IFNAME_MAX];	/* Interface */
	uint16_t port;			/* Group (mcast) or Port */
	uint32_t sndbuf, rcvbuf;	/* 0 = system default */
	uint32_t errq_len;		/* TCP ErrorQueueLength, 128: one
					 * value for all links in upstream
					 * (the last given), copied into
					 * each */
};

/* ours: Sync { Authentication { KeyFile /path; Encrypt on|off; Peer
 * address ... } }, the authenticated frame of sync/frame.h around every
 * datagram (or piece of the TCP stream); off without the block. */
struct sync_conf_peer {
	uint8_t family;			/* AF_INET or AF_INET6 */
	union ct_addr addr;
};

struct sync_conf_auth {
	uint8_t on;			/* an Authentication block was given */
	uint8_t encrypt;		/* Encrypt on: payload confidential */
	char keyfile[SYNC_CONF_PATH_MAX + 1];	/* KeyFile (sync/keys.h) */
	struct sync_conf_peer peer[SYNC_CONF_PEERS_MAX];	/* the allow-
					 * list; none given: the links'
					 * destination addresses */
	unsigned int n_peer;
};

/* Filter sets (sync_conf_filter.set) */
enum {
	SYNC_FILTER_PROTO	= 1 << 0,
	SYNC_FILTER_ADDR	= 1 << 1,
	SYNC_FILTER_STATE	= 1 << 2,
};

struct sync_conf_net {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t plen;			/* prefix length; 32/128 = host */
	union ct_addr addr;		/* already masked */
};

/* General { Filter [From Userspace|Kernelspace] { ... } } */
struct sync_conf_filter {
	uint8_t set;			/* SYNC_FILTER_* configured */
	uint8_t kernelspace;		/* From Kernelspace: BPF as well */
	uint8_t proto_ignore;		/* Protocol Ignore (else Accept) */
	uint8_t addr_ignore;
	uint8_t state_ignore;
	uint8_t proto[256 / 8];		/* bitmap of l4 protocol numbers:
					 * bit p % 8 of byte p / 8 */
	uint16_t states;		/* bitmap of TCP_CONNTRACK_*: bit 1
					 * SYN_SENT ... 8 CLOSE, 9 LISTEN */
	struct sync_conf_net *nets;	/* owned; n_nets entries, each
					 * once, in the order given */
	size_t n_nets;
};

struct sync_conf_policy {
	char name[SYNC_CONF_HELPER_NAME];
	uint32_t expect_max, expect_timeout;
};

/* Helper { Type <name> <inet|inet6> <tcp|udp> { ... } }: a helper
 * upstream ships for that protocol; policy[] holds the Policy blocks,
 * each replacing the built-in policy of that name whole (a field not
 * given is 0, as upstream). */
struct sync_conf_helper {
	char name[SYNC_CONF_HELPER_NAME];
	uint8_t l3;			/* AF_INET, AF_INET6 */
	uint8_t l4;			/* IPPROTO_TCP, IPPROTO_UDP */
	uint32_t queue_num, queue_len;	/* QueueLen 0 = unset */
	struct sync_conf_policy policy[SYNC_CONF_POLICIES];
	unsigned int n_policy;
};

struct sync_conf {
	unsigned int run;		/* SYNC_RUN_* */

	/* General */
	uint32_t hash_size;		/* 65536 */
	uint32_t hash_limit;		/* 262144 */
	char logfile[SYNC_CONF_PATH_MAX + 1];	/* "" = off; on gives
						 * /var/log/conntrackd.log;
						 * off changes nothing, as
						 * upstream */
	int syslog;			/* facility (LOG_DAEMON...), -1 off */
	char lockfile[SYNC_CONF_PATH_MAX + 1];	/* /var/lock/conntrackd.lock */
	char unix_path[SYNC_CONF_UNIX_MAX];	/* "" = none given */
	char unix_group[SYNC_CONF_NAME_MAX];	/* ours: control clients'
						 * group, "" = root only */
	uint32_t nl_bufsize;		/* NetlinkBufferSize, 0 unset */
	uint32_t nl_bufsize_max;	/* NetlinkBufferSizeMaxGrowth, 0 */
	uint32_t nl_overrun_resync;	/* seconds, 30 (on, or 0 given);
					 * 0 = off */
	uint8_t nl_reliable;		/* NetlinkEventsReliable */
	uint8_t systemd;		/* Systemd on|off; on by default as
					 * in upstream built with systemd */
	uint32_t poll_secs;		/* 0 = event driven */
	uint32_t event_iter_limit;	/* 100 */
	struct {
		uint8_t set;		/* a Scheduler section was given */
		int type;		/* SCHED_RR or SCHED_FIFO; 0
					 * (SCHED_OTHER) without a Type line
					 * or section: the daemon then runs
					 * RR at priority 10 whatever
					 * Priority says (upstream: 99) */
		int prio;		/* 0..99 */
		uint8_t normal;		/* ours: Type OTHER, the normal
					 * scheduler */
	} sched;
	struct sync_conf_filter filter;
	/* ours: General { Privsep { Separate; User; Chroot } } */
	struct {
		uint8_t off;			/* Separate off */
		char user[SYNC_CONF_NAME_MAX];	/* "" = conntrackd, else
						 * nobody */
		char chroot[SYNC_CONF_PATH_MAX + 1];	/* "" = an empty
						 * directory made and
						 * removed at start */
	} privsep;

	/* Sync */
	struct {
		uint8_t mode;			/* enum sync_conf_mode: of
						 * several Mode blocks FTFW,
						 * then ALARM, then NOTRACK;
						 * 0 without Sync */
		uint8_t mode_default;		/* no Mode block: FTFW, and
						 * the daemon warns as it
						 * starts (upstream's
						 * init_sync), not the
						 * parser: clients stay
						 * quiet */
		uint32_t resend_queue_size;	/* 131072 */
		uint32_t commit_timeout;	/* 0 = unset */
		uint32_t purge_timeout;		/* 60 */
		uint32_t ack_window;		/* 300 */
		uint32_t refresh_time;		/* ALARM 60 */
		uint32_t cache_timeout;		/* ALARM 180 */
		uint8_t disable_internal;	/* NOTRACK only */
		uint8_t disable_external;	/* FTFW, NOTRACK */
		uint8_t startup_resync;
		uint8_t tcp_window_tracking;
		uint8_t expect_sync;		/* 0 off, 1 all, 2 by name:
						 * the last of on, off and
						 * { } says on or off; names
						 * of every block count */
		char expect_helpers[SYNC_CONF_EXP_HELPERS]
				   [SYNC_CONF_HELPER_NAME];
		unsigned int n_expect_helpers;
		struct sync_conf_chan chan[SYNC_CONF_CHAN_MAX];
		unsigned int n_chan;
		struct sync_conf_auth auth;	/* ours */
	} sync;

	/* Stats */
	struct {
		/* "" = off; on gives /var/log/conntrackd-stats.log */
		char logfile[SYNC_CONF_PATH_MAX + 1];
		int syslog;			/* facility, -1 off */
	} stats;

	/* Helper */
	struct {
		struct sync_conf_helper type[SYNC_CONF_HELPERS];
		unsigned int n_type;
		uint8_t setup;
	} helper;
};

/* A parse or validation error: upstream's message (for a syntax error,
 * "parsing config file in line (N), symbol 'X': syntax error"). */
struct sync_conf_err {
	unsigned int line;		/* where it was found (upstream's
					 * message names it for syntax
					 * errors only); 0 for the errors
					 * of opening or reading the file */
	char msg[512];
};

/* Receives one warning (upstream's text, no level, no newline). */
typedef void (*sync_conf_warn_cb)(void *arg, const char *msg);

/* Looks an interface up by name as upstream does while parsing (an
 * unknown `Interface' only warns): nonzero if it exists. if_nametoindex()
 * has this type. */
typedef unsigned int (*sync_conf_ifindex_fn)(const char *name);

/* sync_conf_init - upstream's defaults into @c (nothing allocated). */
void sync_conf_init(struct sync_conf *c);

/*
 * sync_conf_parse - parse @len bytes of @text (need not be NUL-terminated)
 * into @c, which sync_conf_init() prepared, then validate the whole.
 * Warnings go to @warn (may be NULL). Returns 0, or -EINVAL with @err
 * filled (syntax error or a rule broken), -ENOMEM. On error @c must still
 * be released with sync_conf_free().
 */
int sync_conf_parse(struct sync_conf *c, const char *text, size_t len,
		    struct sync_conf_err *err, sync_conf_warn_cb warn,
		    void *arg);

/*
 * sync_conf_parse_ifindex - sync_conf_parse() with @ifindex checking the
 * `Interface' names (NULL: if_nametoindex, which sync_conf_parse() uses),
 * so that tests and fuzzers depend on neither the host's interfaces nor
 * a socket.
 */
int sync_conf_parse_ifindex(struct sync_conf *c, const char *text,
			    size_t len, struct sync_conf_err *err,
			    sync_conf_warn_cb warn, void *arg,
			    sync_conf_ifindex_fn ifindex);

/*
 * sync_conf_load - sync_conf_init() and sync_conf_parse() of the file at
 * @path. Returns as sync_conf_parse(), or -errno from opening or reading
 * the file (-EFBIG from 16 MiB on); @err->msg then says which file in
 * upstream's words ("can't open config file `%s'") and the errno why.
 */
int sync_conf_load(struct sync_conf *c, const char *path,
		   struct sync_conf_err *err, sync_conf_warn_cb warn,
		   void *arg);

/* Frees what @c owns (the filter's networks); accepts NULL. */
void sync_conf_free(struct sync_conf *c);

#endif
