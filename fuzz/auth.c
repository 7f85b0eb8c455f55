// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the receiving side of the authenticated sync
 * (sync/auth.h) and the message parser behind it. Each input starts two
 * fresh nodes, A and B, with the same key (id 1), and completes their
 * handshake. Then the first byte picks the mode:
 *
 *  even  the rest is a datagram as B receives it: sync_auth_open() under
 *        B's key; properties: a refusal hands out nothing; an accepted
 *        frame's payload fits the input; and what any input did, B still
 *        accepts A's next genuine frame unless the input moved B's window
 *        past it (which only a frame sealed under the key can do);
 *  odd   the rest is a payload that A seals (in clear when the byte's bit
 *        1 is clear, encrypted when set, both nodes then configured
 *        Encrypt on, as a pair must be) in a genuine frame, which B must
 *        accept, handing out the same bytes; those go through the sync
 *        message walk (sync_msg_walk) and every data message through the
 *        conntrack and expectation parsers, so the parsers behind a valid
 *        tag are reached; then the frame, replayed, must be refused, and
 *        every single-byte change of it must be refused as well.
 *
 * No network, no files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sync/auth.h"
#include "sync/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define BUF	(SYNC_FRAME_MAX + 64)

static const char key_text[] =
	"1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff "
	"send\n";

static struct sync_auth *node(int encrypt)
{
	struct sync_conf c;
	struct sync_keys k;
	struct sync_keys_err err;
	struct sync_auth *a;

	memset(&c, 0, sizeof(c));
	c.sync.auth.on = 1;
	c.sync.auth.encrypt = (uint8_t)encrypt;
	CHECK(sync_keys_parse(key_text, sizeof(key_text) - 1, &k, &err) == 0);
	CHECK(sync_auth_new(&a, &c, &k) == 0);
	sync_keys_free(&k);
	return a;
}

/* @to opens what @from seals (a hello): its verdict. */
static int hello(struct sync_auth *from, struct sync_auth *to, uint8_t *f,
		 uint8_t *out)
{
	size_t olen = BUF;
	unsigned int ev;
	int n = sync_auth_seal_hello(from, f, BUF);

	CHECK(n > 0);
	return sync_auth_open(to, f, (size_t)n, out, &olen, &ev);
}

/* Hellos both ways until each has heard the other echo it. */
static void pair_up(struct sync_auth *a, struct sync_auth *b, uint8_t *f,
		    uint8_t *out)
{
	for (int i = 0; i < 4; i++) {
		hello(a, b, f, out);
		hello(b, a, f, out);
	}
	CHECK(sync_auth_established(a) && sync_auth_established(b));
}

static void parse(void *arg, const struct sync_msg_hdr *h,
		  const uint8_t *msg)
{
	struct sync_msg_stats *st = arg;
	struct ct_entry e;
	struct ct_expect x;

	if (sync_msg_is_data(h)) {
		sync_msg_parse_ct(msg, h->len, &e, st);
		sync_msg_parse_exp(msg, h->len, &x, st);
	}
}

static void walk(const uint8_t *p, size_t len)
{
	struct sync_msg_stats st;

	memset(&st, 0, sizeof(st));
	sync_msg_walk(p, len, &st, parse, &st);
}

static void received(struct sync_auth *a, struct sync_auth *b,
		     const uint8_t *data, size_t size, uint8_t *f,
		     uint8_t *out)
{
	uint8_t *in = malloc(size ? size : 1);
	size_t olen = BUF;
	unsigned int ev;
	int v, n;

	CHECK(in);
	memcpy(in, data, size);
	v = sync_auth_open(b, in, size, out, &olen, &ev);
	CHECK((unsigned int)v < SYNC_AUTH_V_MAX);
	if (v != SYNC_AUTH_ACCEPTED)
		CHECK(olen == 0);
	else
		CHECK(olen + SYNC_FRAME_OVERHEAD <= size);
	CHECK(!memcmp(in, data, size));
	free(in);
	/* a genuine frame of A still gets in, unless a sealed input (the
	 * harness's key) moved B's window */
	memcpy(f + SYNC_FRAME_HDR_LEN, "x", 1);
	n = sync_auth_seal(a, f, BUF, 1);
	CHECK(n > 0);
	olen = BUF;
	v = sync_auth_open(b, f, (size_t)n, out, &olen, &ev);
	if (v != SYNC_AUTH_ACCEPTED)
		CHECK(size >= SYNC_FRAME_OVERHEAD &&
		      !memcmp(data, SYNC_FRAME_MAGIC, 4) && data[6] == 1);
}

static void sealed(struct sync_auth *a, struct sync_auth *b,
		   const uint8_t *data, size_t size, uint8_t *f, uint8_t *out)
{
	size_t olen = BUF;
	unsigned int ev;
	int v, n;

	if (size > SYNC_FRAME_PAYLOAD_MAX)
		size = SYNC_FRAME_PAYLOAD_MAX;
	memcpy(f + SYNC_FRAME_HDR_LEN, data, size);
	n = sync_auth_seal(a, f, BUF, size);
	CHECK(n == (int)(size + SYNC_FRAME_OVERHEAD));
	v = sync_auth_open(b, f, (size_t)n, out, &olen, &ev);
	CHECK(v == SYNC_AUTH_ACCEPTED && olen == size);
	CHECK(!memcmp(out, data, size));
	walk(out, olen);
	olen = BUF;
	CHECK(sync_auth_open(b, f, (size_t)n, out, &olen, &ev) ==
	      SYNC_AUTH_REPLAYED && olen == 0);
	/* a byte changed anywhere (a few positions, to stay fast) */
	for (size_t i = 0; i < (size_t)n; i += 1 + (size_t)n / 16) {
		f[i] ^= 0x40;
		olen = BUF;
		CHECK(sync_auth_open(b, f, (size_t)n, out, &olen, &ev) !=
		      SYNC_AUTH_ACCEPTED && olen == 0);
		f[i] ^= 0x40;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f = malloc(BUF), *out = malloc(BUF);
	struct sync_auth *a, *b;

	CHECK(f && out);
	if (!size)
		goto done;
	a = node(data[0] & 2);
	b = node(data[0] & 2);
	pair_up(a, b, f, out);
	if (data[0] & 1)
		sealed(a, b, data + 1, size - 1, f, out);
	else
		received(a, b, data + 1, size - 1, f, out);
	sync_auth_free(a);
	sync_auth_free(b);
done:
	free(f);
	free(out);
	return 0;
}
