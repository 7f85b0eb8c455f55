// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Speed of the authenticated sync frame, a figure to read (never
 * asserted): seals and opens frames of a payload of -s bytes (1400 by
 * default, a datagram's worth of sync messages) for about -t seconds each
 * way, encrypted and in clear, and prints MB/s of payload and frames a
 * second for seal, open and the two together.
 *
 *   build/bench/frame_bench [-s bytes] [-t seconds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sync/frame.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct sync_frame_key key = { .id = 1, .key = { 1, 2, 3 } };
static const uint8_t epoch[16] = { 0, 6, 1, 2 }, echo[16] = { 0 };

/* Frames a second of seal (@open 0) or seal+open (@open 1). */
static double run(uint8_t flags, size_t size, double secs, int open)
{
	static uint8_t payload[SYNC_FRAME_PAYLOAD_MAX], frame[SYNC_FRAME_MAX];
	static uint8_t out[SYNC_FRAME_PAYLOAD_MAX];
	struct sync_frame_hdr h;
	unsigned long n = 0;
	double t0 = now(), t;

	memset(payload, 0x5a, size);
	do {
		for (int i = 0; i < 256; i++, n++) {
			size_t out_len = sizeof(out);
			int len = sync_frame_seal(frame, sizeof(frame), &key,
						  flags, epoch, echo, n,
						  payload, size);

			if (len < 0)
				abort();
			if (open && (sync_frame_peek(frame, (size_t)len, &h) ||
				     sync_frame_open(frame, (size_t)len, &key,
						     &h, out, &out_len)))
				abort();
		}
		t = now() - t0;
	} while (t < secs);
	return (double)n / t;
}

int main(int argc, char **argv)
{
	size_t size = 1400;
	double secs = 2;
	int c;

	while ((c = getopt(argc, argv, "s:t:")) != -1) {
		if (c == 's')
			size = strtoul(optarg, NULL, 10);
		else if (c == 't')
			secs = strtod(optarg, NULL);
		else
			return 2;
	}
	if (size > SYNC_FRAME_PAYLOAD_MAX || secs <= 0)
		return 2;
	for (uint8_t flags = SYNC_FRAME_F_ENCRYPTED;; flags = 0) {
		double seal = run(flags, size, secs, 0);
		double both = run(flags, size, secs, 1);
		double open = 1 / (1 / both - 1 / seal);

		printf("%s, %zu-byte payload: seal %.0f MB/s (%.0f frames/s), "
		       "open %.0f MB/s, seal+open %.0f MB/s (%.0f frames/s)\n",
		       flags ? "encrypted" : "clear", size, seal * size / 1e6,
		       seal, open * size / 1e6, both * size / 1e6, both);
		if (!flags)
			break;
	}
	return 0;
}
