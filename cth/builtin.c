// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The built-in helper table (cth/builtin.h). The private data sizes are
 * those of the state structs upstream's helpers keep per flow on the
 * ABIs rawct builds for (ftp: two directions of two sequence numbers
 * plus two counts; rpc: four words; sane: one enum; tns: one bool),
 * so a helper registered here matches one conntrackd registers.
 */
#include <netinet/in.h>
#include <string.h>

#include "cth/builtin.h"

#define B(n, l4, priv, max, secs) \
	{ n, l4, priv, { n, max, secs } }
static const struct cth_builtin builtins[] = {
	B("amanda", IPPROTO_UDP, 0, 3, 180),
	B("dhcpv6", IPPROTO_UDP, 0, 1, 300),
	B("ftp", IPPROTO_TCP, 24, 1, 300),
	B("mdns", IPPROTO_UDP, 0, 8, 30),
	B("rpc", IPPROTO_TCP, 16, 1, 300),
	B("rpc", IPPROTO_UDP, 16, 1, 300),
	B("sane", IPPROTO_TCP, 4, 1, 300),
	B("slp", IPPROTO_UDP, 0, 8, 16),
	B("ssdp", IPPROTO_UDP, 0, 8, 300),
	B("ssdp", IPPROTO_TCP, 0, 8, 300),
	B("tftp", IPPROTO_UDP, 0, 1, 300),
	B("tns", IPPROTO_TCP, 1, 1, 300),
};

const struct cth_builtin *cth_builtin_find(const char *name, uint8_t l4proto)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].l4proto == l4proto &&
		    !strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

void cth_builtin_apply(struct cth_helper *h, const struct cth_builtin *b)
{
	h->priv_data_len = b->priv_data_len;
	h->npolicy = 1;
	h->policy[0] = b->policy;
	h->has |= CTH_HAS_PRIV | CTH_HAS_POLICY;
}
