// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * frametool: the authenticated sync frame (sync/frame.h) for
 * tests/netns/t_sync_auth.sh, which forges frames with it. No network:
 * the script moves the bytes (hex).
 *
 *   frametool seal ID KEYHEX EPOCHHEX ECHOHEX SEQ clear|enc [PAYLOADHEX]
 *                       the frame, as hex
 *   frametool peek FRAMEHEX
 *                       "key=ID len=N epoch=HEX echo=HEX seq=N", exit 1
 *                       when the header does not parse
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/frame.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (n < cap && s[0] && s[1] && sscanf(s, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int seal(int argc, char **argv)
{
	static uint8_t payload[SYNC_FRAME_MAX], out[SYNC_FRAME_MAX];
	uint8_t epoch[SYNC_FRAME_EPOCH_LEN], echo[SYNC_FRAME_EPOCH_LEN];
	struct sync_frame_key k = { .id = (uint8_t)atoi(argv[2]) };
	size_t len = 0;
	int n;

	if (argc < 8 || unhex(argv[3], k.key, sizeof(k.key)) != sizeof(k.key) ||
	    unhex(argv[4], epoch, sizeof(epoch)) != sizeof(epoch) ||
	    unhex(argv[5], echo, sizeof(echo)) != sizeof(echo))
		return 2;
	if (argc > 8)
		len = unhex(argv[8], payload, sizeof(payload));
	n = sync_frame_seal(out, sizeof(out), &k,
			    strcmp(argv[7], "enc") ? 0 : SYNC_FRAME_F_ENCRYPTED,
			    epoch, echo, strtoull(argv[6], NULL, 10), payload,
			    len);
	if (n < 0)
		return 1;
	put_hex(out, (size_t)n);
	printf("\n");
	return 0;
}

static int peek(char **argv)
{
	static uint8_t buf[SYNC_FRAME_MAX + 64];
	struct sync_frame_hdr h;
	size_t n = unhex(argv[2], buf, sizeof(buf));

	if (sync_frame_peek(buf, n, &h) < 0)
		return 1;
	printf("key=%u len=%u epoch=", h.key_id, h.len);
	put_hex(h.epoch, sizeof(h.epoch));
	printf(" echo=");
	put_hex(h.echo, sizeof(h.echo));
	printf(" seq=%" PRIu64 "\n", h.seq);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "peek"))
		return peek(argv);
	if (argc >= 2 && !strcmp(argv[1], "seal"))
		return seal(argc, argv);
	fprintf(stderr, "usage: frametool seal ID KEY EPOCH ECHO SEQ "
		"clear|enc [PAYLOAD] | frametool peek FRAME\n");
	return 2;
}
