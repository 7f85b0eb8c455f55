/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helpers `nfct add helper` knows how to register: for each name and
 * layer 4 protocol, the expectation classes and private data size of the
 * userspace helper conntrackd runs for it (upstream's built-in table:
 * amanda, dhcpv6, ftp, mdns, rpc over tcp and udp, sane, slp, ssdp over
 * udp and tcp, tftp, tns).
 */
#ifndef RAWCT_CTH_BUILTIN_H
#define RAWCT_CTH_BUILTIN_H

#include <stdint.h>

#include "cth/helper.h"

struct cth_builtin {
	const char *name;
	uint8_t l4proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint32_t priv_data_len;		/* bytes of per-flow helper state */
	struct cth_policy policy;	/* each built-in has one class */
};

/* The built-in helper @name (exact) for @l4proto, or NULL. */
const struct cth_builtin *cth_builtin_find(const char *name, uint8_t l4proto);

/* Sets @h's private data length and expectation classes from @b. */
void cth_builtin_apply(struct cth_helper *h, const struct cth_builtin *b);

#endif
