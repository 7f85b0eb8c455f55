/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hex fixtures for the unit tests: files under tests/data/ holding one
 * captured netlink datagram per line as hex, '#' lines being comments
 * that say how the capture was made. Paths are relative to the top of the
 * tree (the tests run from there, or RAWCT_TOP names it). Also link
 * messages built as the kernel sends them, for the link watcher's tests.
 */
#ifndef RAWCT_TESTS_FIXTURE_H
#define RAWCT_TESTS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "nl/reply.h"

/* Decodes the hex digits of @s into @out (at most @cap bytes), skipping
 * blanks between byte pairs and stopping at the first non-hex pair.
 * Returns the number of bytes written. */
size_t fixture_unhex(const char *s, unsigned char *out, size_t cap);

/*
 * fixture_replay - walks every datagram of fixture file @rel with
 * nl_reply_parse(), its port id and sequence taken from the datagram's
 * first header, calling @on_data for each data message. The datagrams are
 * kept in memory for the life of the process (decoded entries borrow
 * strings from them); the first @max are also stored in @keep (may be
 * NULL). Fails the running Check test on any error. Returns the number of
 * datagrams.
 */
unsigned int fixture_replay(const char *rel, nl_data_cb on_data, void *arg,
			    unsigned char **keep, unsigned int max);

/*
 * fixture_load - the datagrams of hex fixture file @rel (one per line,
 * '#' and blank lines skipped), each in a heap buffer of exactly its
 * size (so ASan sees any overread), kept for the life of the process.
 * Stores up to @max of them in @bufs/@lens; fails the running Check test
 * if the file cannot be read or has more. Returns how many.
 */
unsigned int fixture_load(const char *rel, unsigned char **bufs,
			  size_t *lens, unsigned int max);

/* Reads text file @rel (under RAWCT_TOP, like the fixtures) into @buf
 * of @cap bytes, NUL-terminated; fails the running test if it cannot be
 * read or does not fit. Returns its length. */
size_t fixture_text(const char *rel, char *buf, size_t cap);

struct nl_msg;

/*
 * fixture_link - appends to @m a link message of @type (RTM_NEWLINK,
 * RTM_DELLINK) as rtnetlink sends it: an ifinfomsg of @family, @index and
 * @flags, then IFLA_IFNAME @name, IFLA_MTU @mtu and IFLA_CARRIER
 * @carrier, each left out when NULL, 0 or -1. Fails the running Check
 * test if @m is full.
 */
void fixture_link(struct nl_msg *m, int type, int family, int index,
		  unsigned int flags, const char *name, unsigned int mtu,
		  int carrier);

/* A sync message (sync/msg.h header: version 1, type CT_NEW) of @len
 * bytes (>= 8) with sequence @seq and a payload derived from it. */
void fixture_sync_msg(unsigned char *p, size_t len, uint32_t seq);

/* The sequence number of the sync message at @p. */
uint32_t fixture_sync_seq(const unsigned char *p);

#endif
