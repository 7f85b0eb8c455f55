// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the authenticated sync's glue (sync/auth.h, and its parts
 * in sync/config_auth.c and sync/chan_stream.c): the Authentication block
 * of conntrackd.conf (a failing row per rule), the allow-list matcher,
 * the handshake's rules between two nodes (fresh pair, replays, a
 * reflection, restarts of either side, recorded hellos), the counters'
 * names, and the stream framing of frames (split reads, bad headers, the
 * backlog of whole frames).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "sync/auth.h"
#include "sync/chan_int.h"
#include "sync/config.h"
#include "tests/unit/suites.h"
#include "tests/unit/sync_check.h"

static unsigned int any_if(const char *name)
{
	return 1;
}

/* ---- the configuration ------------------------------------------------- */

static const char conf_head[] =
	"Sync {\n Mode NOTRACK { }\n"
	" UDP { IPv4_address 10.0.0.1\n IPv4_Destination_Address 10.0.0.2\n"
	" Port 3780\n Interface eth0 }\n";

static const struct {
	const char *auth;	/* the block, Sync's closing brace added */
	int ok;
	const char *msg;	/* in the error */
} conf_rows[] = {
	{ "Authentication { KeyFile /k }", 1, NULL },
	{ "Authentication { KeyFile /k\n Encrypt on\n Peer 10.0.0.2\n"
	  " Peer fd00::2 }", 1, NULL },
	{ "Authentication { Encrypt on }", 0, "needs a `KeyFile'" },
	{ "Authentication { KeyFile k }", 0, "syntax error" },
	{ "Authentication { KeyFile /k\n Peer 10.0.0.2\n Peer 10.0.0.2 }",
	  0, "given twice" },
	{ "Authentication { KeyFile /k\n Peer 10.0.0.0/24 }", 0,
	  "is not an address" },
	{ "Authentication { KeyFile /k\n Peer eth0 }", 0, "syntax error" },
	{ "Authentication { KeyFile /k\n Encrypt maybe }", 0, "syntax error" },
	{ "Authentication { KeyFile /k\n Peer 1.0.0.1\n Peer 1.0.0.2\n"
	  " Peer 1.0.0.3\n Peer 1.0.0.4\n Peer 1.0.0.5\n Peer 1.0.0.6\n"
	  " Peer 1.0.0.7\n Peer 1.0.0.8\n Peer 1.0.0.9 }", 0,
	  "too many `Peer'" },
	{ "Authentication { Port 1 }", 0, "syntax error" },
};

START_TEST(test_conf)
{
	char text[1024];
	struct sync_conf c;
	struct sync_conf_err err;
	int rc;

	snprintf(text, sizeof(text), "%s %s\n}\n", conf_head,
		 conf_rows[_i].auth);
	sync_conf_init(&c);
	rc = sync_conf_parse_ifindex(&c, text, strlen(text), &err, NULL, NULL,
				     any_if);
	if (conf_rows[_i].ok) {
		ck_assert_msg(rc == 0, "row %d: %s", _i, err.msg);
		ck_assert_uint_eq(c.sync.auth.on, 1);
		ck_assert_str_eq(c.sync.auth.keyfile, "/k");
	} else {
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_msg(strstr(err.msg, conf_rows[_i].msg),
			      "row %d: %s", _i, err.msg);
	}
	sync_conf_free(&c);
}
END_TEST

/* Off without the block; multicast needs Peer; Encrypt and the peers. */
START_TEST(test_conf_values)
{
	static const char mcast[] =
		"Sync {\n Mode FTFW { }\n Multicast { IPv4_address 225.0.0.50\n"
		" Group 3780\n Interface eth0 }\n"
		" Authentication { KeyFile /etc/k }\n}\n";
	char text[1024];
	struct sync_conf c;
	struct sync_conf_err err;

	snprintf(text, sizeof(text), "%s}\n", conf_head);
	sync_conf_init(&c);
	ck_assert_int_eq(sync_conf_parse_ifindex(&c, text, strlen(text), &err,
						 NULL, NULL, any_if), 0);
	ck_assert_uint_eq(c.sync.auth.on, 0);
	sync_conf_free(&c);
	sync_conf_init(&c);
	ck_assert_int_eq(sync_conf_parse_ifindex(&c, mcast, strlen(mcast),
						 &err, NULL, NULL, any_if),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "needs the `Peer' address"));
	sync_conf_free(&c);
	snprintf(text, sizeof(text), "%s%s\n}\n", conf_head,
		 "Authentication { KeyFile /k\n Encrypt on\n Peer fd00::2 }");
	sync_conf_init(&c);
	ck_assert_int_eq(sync_conf_parse_ifindex(&c, text, strlen(text), &err,
						 NULL, NULL, any_if), 0);
	ck_assert_uint_eq(c.sync.auth.encrypt, 1);
	ck_assert_uint_eq(c.sync.auth.n_peer, 1);
	ck_assert_uint_eq(c.sync.auth.peer[0].family, AF_INET6);
	ck_assert_uint_eq(c.sync.auth.peer[0].addr.v6[0], 0xfd);
	ck_assert_uint_eq(c.sync.auth.peer[0].addr.v6[15], 2);
	sync_conf_free(&c);
}
END_TEST

/* ---- two nodes --------------------------------------------------------- */

static struct sync_auth *node(const char *peer, const char *keys)
{
	return sc_auth_node(keys, peer, 0);
}

struct wire {
	uint8_t f[512];
	size_t len;
};

/* @from seals @msg (NULL: a hello). */
static void seal(struct sync_auth *from, struct wire *w, const char *msg)
{
	int n;

	if (!msg) {
		n = sync_auth_seal_hello(from, w->f, sizeof(w->f));
	} else {
		memcpy(w->f + SYNC_FRAME_HDR_LEN, msg, strlen(msg));
		n = sync_auth_seal(from, w->f, sizeof(w->f), strlen(msg));
	}
	ck_assert_int_gt(n, 0);
	w->len = (size_t)n;
}

/* @to opens @w: the verdict, events in *@ev, the payload in @out. */
static int open_w(struct sync_auth *to, const struct wire *w,
		  unsigned int *ev, char *out)
{
	size_t len = 256;
	int v = sync_auth_open(to, w->f, w->len, out, &len, ev);

	out[len] = '\0';
	return v;
}

START_TEST(test_allowed)
{
	struct sync_auth *a = node(NULL, NULL), *b = node("10.9.9.9", NULL);
	uint32_t v4 = htonl(0x0a000002), other = inet_addr("10.9.9.9");
	uint8_t v6[16] = { 0 };

	ck_assert(sync_auth_allowed(a, AF_INET, &v4));	/* the dest */
	ck_assert(!sync_auth_allowed(a, AF_INET, &other));
	ck_assert(!sync_auth_allowed(a, AF_INET6, v6));
	ck_assert(!sync_auth_allowed(a, AF_UNIX, &v4));
	ck_assert(sync_auth_allowed(b, AF_INET, &other));	/* Peer */
	ck_assert(!sync_auth_allowed(b, AF_INET, &v4));	/* not the dest */
	sync_auth_free(a);
	sync_auth_free(b);
}
END_TEST

/* A fresh pair: the older node's hello is not taken, the younger's is;
 * messages flow once each echoes the other, and a replay, a reflection,
 * a frame of another key, a cut or flipped frame are refused. */
START_TEST(test_handshake)
{
	struct sync_auth *a = node(NULL, NULL), *b = node(NULL, NULL);
	struct sync_auth *x = node(NULL, "1 0202020202020202020202020202020202"
				   "020202020202020202020202020202 send\n");
	struct wire w, data;
	unsigned int ev;
	char out[257];

	seal(a, &w, NULL);	/* echo zero, from the older */
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_HELLO);
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_REPLY);
	ck_assert_ptr_null(sync_auth_peer_epoch(b));
	seal(b, &w, NULL);	/* echo zero: a is older, takes it */
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_HELLO);
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_REPLY);
	ck_assert_mem_eq(sync_auth_peer_epoch(a), sync_auth_epoch(b), 16);
	ck_assert(!sync_auth_established(a));
	seal(a, &w, NULL);	/* echoes b */
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_PEER | SYNC_AUTH_EV_REPLY);
	ck_assert(sync_auth_established(b));
	seal(b, &w, NULL);
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_PEER | SYNC_AUTH_EV_REPLY);
	seal(a, &data, "flows");
	ck_assert_int_eq(open_w(b, &data, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert_uint_eq(ev, 0);
	ck_assert_str_eq(out, "flows");
	/* the refusals */
	ck_assert_int_eq(open_w(b, &data, &ev, out), SYNC_AUTH_REPLAYED);
	ck_assert_str_eq(out, "");
	seal(b, &w, "mine");
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_REPLAYED);
	seal(x, &w, "forged");
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_BAD_TAG);
	seal(a, &w, "flows");
	w.f[w.len - 1] ^= 1;
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_BAD_TAG);
	w.f[w.len - 1] ^= 1;
	w.len--;
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_MALFORMED);
	w.len += 2;
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_MALFORMED);
	w.len--;
	w.f[6] = 9;		/* key id */
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_UNKNOWN_KEY);
	w.f[0] = 0x10;
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_UNAUTHENTICATED);
	ck_assert_uint_eq(ev, 0);
	sync_auth_free(a);
	sync_auth_free(b);
	sync_auth_free(x);
}
END_TEST

/* Complete the handshake of @a and @b (@a the older). */
static void pair_up(struct sync_auth *a, struct sync_auth *b)
{
	struct wire w;
	unsigned int ev;
	char out[257];

	seal(b, &w, NULL);
	open_w(a, &w, &ev, out);
	seal(a, &w, NULL);
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	seal(b, &w, NULL);
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert(sync_auth_established(a) && sync_auth_established(b));
}

/* A restarts: its old frames are of a stale epoch to b, and its first
 * hello of the new life (younger than b) starts it over. b restarts:
 * frames recorded before (their echo is b's old epoch) and the older
 * node's recorded hello teach it nothing and deliver nothing. */
START_TEST(test_restarts)
{
	struct sync_auth *a = node(NULL, NULL), *b = node(NULL, NULL), *a2,
			 *b2;
	struct wire old_hello, old_data, w;
	unsigned int ev;
	char out[257];

	seal(a, &old_hello, NULL);
	pair_up(a, b);
	seal(a, &old_data, "old");
	a2 = node(NULL, NULL);
	seal(a2, &w, NULL);
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_HELLO);
	ck_assert_mem_eq(sync_auth_peer_epoch(b), sync_auth_epoch(a2), 16);
	ck_assert_int_eq(open_w(b, &old_data, &ev, out),
			 SYNC_AUTH_STALE_EPOCH);
	ck_assert_int_eq(open_w(b, &old_hello, &ev, out),
			 SYNC_AUTH_STALE_EPOCH);
	seal(b, &w, NULL);
	ck_assert_int_eq(open_w(a2, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert(ev & SYNC_AUTH_EV_PEER);
	seal(a2, &old_data, "to b");
	b2 = node(NULL, NULL);
	ck_assert_int_eq(open_w(b2, &old_data, &ev, out),
			 SYNC_AUTH_STALE_ECHO);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_REPLY);
	ck_assert_ptr_null(sync_auth_peer_epoch(b2));
	ck_assert_int_eq(open_w(b2, &old_hello, &ev, out), SYNC_AUTH_HELLO);
	ck_assert_ptr_null(sync_auth_peer_epoch(b2));
	/* the answer to a frame b2 does not know echoes zero: a2 takes it
	 * (b2 is younger), answers, and the pair is whole again */
	seal(b2, &w, NULL);
	ck_assert_int_eq(open_w(a2, &w, &ev, out), SYNC_AUTH_HELLO);
	seal(a2, &w, NULL);
	ck_assert_int_eq(open_w(b2, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert(ev & SYNC_AUTH_EV_PEER);
	seal(a2, &w, "again");
	ck_assert_int_eq(open_w(b2, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert_str_eq(out, "again");
	sync_auth_free(a);
	sync_auth_free(a2);
	sync_auth_free(b);
	sync_auth_free(b2);
}
END_TEST

/* Keys forgotten (the privileged parent): nothing seals or opens. */
START_TEST(test_forget)
{
	struct sync_auth *a = node(NULL, NULL), *b = node(NULL, NULL);
	struct wire w;
	unsigned int ev;
	char out[257];

	seal(a, &w, "x");
	sync_auth_forget(b);
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_UNKNOWN_KEY);
	ck_assert_int_eq(sync_auth_seal(b, w.f, sizeof(w.f), 1), -EINVAL);
	sync_auth_free(a);
	sync_auth_free(b);
}
END_TEST

/* The keys of @text, parsed. */
static void keys_of(const char *text, struct sync_keys *k)
{
	struct sync_keys_err err;

	ck_assert_int_eq(sync_keys_parse(text, strlen(text), k, &err), 0);
}

/* A key file read again (SIGHUP): a rotation in three steps between two
 * established nodes, frames flowing after each; a frame sealed with the
 * removed key is then refused; keys without `send' change nothing. */
START_TEST(test_rekey)
{
	static const char k1[] = "1 0101010101010101010101010101010101"
		"010101010101010101010101010101";
	static const char k2[] = "2 0202020202020202020202020202020202"
		"020202020202020202020202020202";
	struct sync_auth *a = node(NULL, NULL), *b = node(NULL, NULL);
	struct sync_keys k;
	struct wire w, old;
	unsigned int ev;
	char text[256], out[257];

	pair_up(a, b);
	seal(a, &old, "key 1");
	for (int i = 0; i < 2; i++) {
		snprintf(text, sizeof(text), "%s%s\n%s%s\n", k1,
			 i ? "" : " send", k2, i ? " send" : "");
		keys_of(text, &k);
		ck_assert_int_eq(sync_auth_rekey(b, &k), 0);
		keys_of(text, &k);
		ck_assert_int_eq(sync_auth_rekey(a, &k), 0);
		seal(a, &w, "step");
		ck_assert_int_eq(w.f[6], 1 + i);	/* the key id sealed */
		ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_ACCEPTED);
		ck_assert_str_eq(out, "step");
	}
	snprintf(text, sizeof(text), "%s send\n", k2);
	keys_of(text, &k);
	ck_assert_int_eq(sync_auth_rekey(b, &k), 0);
	seal(a, &w, "key 2 only");
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	ck_assert_int_eq(open_w(b, &old, &ev, out), SYNC_AUTH_UNKNOWN_KEY);
	keys_of(k1, &k);			/* no `send' key */
	ck_assert_int_eq(sync_auth_rekey(b, &k), -EINVAL);
	sync_keys_free(&k);
	seal(a, &w, "still");
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_ACCEPTED);
	sync_auth_forget(b);
	keys_of(text, &k);
	ck_assert_int_eq(sync_auth_rekey(b, &k), -ENOENT);
	sync_keys_free(&k);
	ck_assert_int_eq(sync_auth_rekey(NULL, &k), -ENOENT);
	sync_auth_free(a);
	sync_auth_free(b);
}
END_TEST

/* Encrypt on takes encrypted frames only: a peer that seals in clear (a
 * misconfigured pair) gets nothing in, not even its hello; with Encrypt
 * off, encrypted frames are taken (the tag covers the flag). */
START_TEST(test_encrypt_policy)
{
	struct sync_auth *a = sc_auth_node(NULL, NULL, 1);
	struct sync_auth *b = sc_auth_node(NULL, NULL, 0);
	struct wire w;
	unsigned int ev;
	char out[257];

	seal(b, &w, NULL);
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_CLEAR);
	ck_assert_uint_eq(ev, 0);
	ck_assert_ptr_null(sync_auth_peer_epoch(a));
	seal(b, &w, "flows");
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_CLEAR);
	ck_assert_str_eq(out, "");
	seal(a, &w, NULL);
	ck_assert_int_eq(open_w(b, &w, &ev, out), SYNC_AUTH_HELLO);
	ck_assert_uint_eq(ev, SYNC_AUTH_EV_REPLY);
	seal(b, &w, NULL);	/* even echoing a's epoch, still clear */
	ck_assert_int_eq(open_w(a, &w, &ev, out), SYNC_AUTH_CLEAR);
	ck_assert(!sync_auth_established(a));
	sync_auth_free(a);
	sync_auth_free(b);
}
END_TEST

START_TEST(test_counters)
{
	struct sync_auth_stats st = { .sent = 0 };

	sync_auth_count(&st, SYNC_AUTH_BAD_TAG);
	sync_auth_count(&st, SYNC_AUTH_BAD_TAG);
	sync_auth_count(&st, SYNC_AUTH_V_MAX);	/* ignored */
	ck_assert_uint_eq(st.n[SYNC_AUTH_BAD_TAG], 2);
	for (int v = 0; v < SYNC_AUTH_V_MAX; v++) {
		ck_assert_str_ne(sync_auth_name(v), "?");
		ck_assert_str_ne(sync_auth_json_name(v), "?");
	}
	ck_assert_str_eq(sync_auth_json_name(SYNC_AUTH_WHILE_OFF),
			 "frame_while_off");
	ck_assert_str_eq(sync_auth_name(SYNC_AUTH_V_MAX), "?");
}
END_TEST

/* ---- frames on a stream ------------------------------------------------ */

static unsigned char taken[4096];
static size_t ntaken, calls;

static void take(void *arg, const void *buf, size_t len)
{
	memcpy(taken + ntaken, buf, len);
	ntaken += len;
	calls++;
}

/* Two frames arriving in pieces of every size come out whole, in order;
 * a header that cannot be one, or no magic, stops the stream. */
START_TEST(test_stream_frames)
{
	struct sync_auth *a = node(NULL, NULL);
	unsigned char stream[1024], rx[CHAN_RX_MAX];
	struct wire w1, w2;
	size_t have = 0, len, step = (size_t)_i + 1;

	seal(a, &w1, "first");
	seal(a, &w2, NULL);
	memcpy(stream, w1.f, w1.len);
	memcpy(stream + w1.len, w2.f, w2.len);
	len = w1.len + w2.len;
	ntaken = calls = 0;
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;

		memcpy(rx + have, stream + off, n);
		ck_assert_int_ge(chan_stream_take_unit(rx, &have, n,
						       chan_unit_frame, take,
						       NULL), 0);
	}
	ck_assert_uint_eq(have, 0);
	ck_assert_uint_eq(ntaken, len);
	ck_assert_mem_eq(taken, stream, len);
	ck_assert_int_eq(chan_unit_frame(stream, 11), 0);
	ck_assert_int_eq(chan_unit_frame(stream, w1.len - 1), 0);
	ck_assert_int_eq(chan_unit_frame(stream, w1.len), (int)w1.len);
	stream[4] = 2;		/* version */
	ck_assert_int_eq(chan_unit_frame(stream, 12), -EBADMSG);
	stream[0] = 0x10;
	ck_assert_int_eq(chan_unit_frame(stream, 1), -EPROTO);
	/* and the other way round: a frame where messages are expected */
	ck_assert_int_eq(chan_unit_msg(w2.f, w2.len), -EPROTO);
	sync_auth_free(a);
}
END_TEST

/* The backlog of a TCP link holds whole frames. */
START_TEST(test_outq_frames)
{
	struct sync_auth *a = node(NULL, NULL);
	struct chan_outq q;
	struct wire w;
	const void *p;

	chan_outq_init(&q, 4096);
	q.unit = chan_unit_frame;
	seal(a, &w, "abc");
	ck_assert_int_eq(chan_outq_push(&q, w.f, w.len), 0);
	ck_assert_int_eq(chan_outq_push(&q, w.f, w.len - 1), -EINVAL);
	ck_assert_uint_eq(chan_outq_peek(&q, &p), w.len);
	chan_outq_consume(&q, 10);
	chan_outq_rewind(&q);
	ck_assert_uint_eq(chan_outq_peek(&q, &p), w.len);
	ck_assert_mem_eq(p, w.f, w.len);
	chan_outq_consume(&q, w.len);
	ck_assert_uint_eq(chan_outq_len(&q), 0);
	chan_outq_free(&q);
	ck_assert(q.unit == chan_unit_frame);
	sync_auth_free(a);
}
END_TEST

Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("auth");

	tcase_add_loop_test(tc, test_conf, 0,
			    (int)(sizeof(conf_rows) / sizeof(conf_rows[0])));
	tcase_add_test(tc, test_conf_values);
	tcase_add_test(tc, test_allowed);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_encrypt_policy);
	tcase_add_test(tc, test_restarts);
	tcase_add_test(tc, test_forget);
	tcase_add_test(tc, test_rekey);
	tcase_add_test(tc, test_counters);
	tcase_add_loop_test(tc, test_stream_frames, 0, 80);
	tcase_add_test(tc, test_outq_frames);
	suite_add_tcase(s, tc);
	return s;
}
