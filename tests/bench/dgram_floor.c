// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dgram_floor: the cheapest possible bulk transfer over a sync link, for
 * tests/bench/sync_bench.sh. The sender sends COUNT UDP datagrams of
 * SIZE bytes payload as fast as it can, 64 at a time with sendmmsg(2)
 * (blocking when its buffer is full); the receiver takes them 64 at a
 * time with recvmmsg(2) and throws them away. Both sockets get BUF bytes
 * of buffer as the daemons' SndSocketBuffer / RcvSocketBuffer do (forced
 * when root). The same datagrams as a bulk send, with no work per flow:
 * the time and CPU any daemon needs at least to move them.
 *
 *   dgram_floor recv ADDR PORT COUNT BUF   (stops at COUNT datagrams, or
 *                                           500 ms without one after the
 *                                           first, 30 s before it)
 *   dgram_floor send ADDR PORT COUNT SIZE BUF
 *
 * The receiver says "ready" on stderr once bound, and prints "dgrams=N
 * bytes=N first_ns=T last_ns=T cpu_ns=N"; the sender "start_ns=T
 * end_ns=T cpu_ns=N" (T: CLOCK_MONOTONIC, the same in every namespace;
 * cpu_ns: the process's CPU time, user and system).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/bench/floor_mmsg.h"

#define VLEN	64
#define DGRAM	65536

static unsigned long long ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

static int usage(void)
{
	fputs("usage: dgram_floor recv ADDR PORT COUNT BUF\n"
	      "       dgram_floor send ADDR PORT COUNT SIZE BUF\n", stderr);
	return 2;
}

/* A UDP socket with @buf bytes of receive (@rcv) or send buffer. */
static int udp_socket(int rcv, int buf)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("dgram_floor: socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUFFORCE : SO_SNDBUFFORCE,
		       &buf, sizeof(buf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUF : SO_SNDBUF, &buf,
		       sizeof(buf)) < 0) {
		perror("dgram_floor: setsockopt");
		close(fd);
		return -1;
	}
	return fd;
}

static int receiver(const struct sockaddr_in *sa, unsigned long count,
		    int buf)
{
	static char data[VLEN][DGRAM];
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	unsigned long long got = 0, bytes = 0, first = 0, last = 0;
	struct pollfd p;
	int fd = udp_socket(1, buf), n;

	if (fd < 0)
		return 1;
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		perror("dgram_floor: bind");
		return 1;
	}
	floor_mmsg_init(mm, iov, data, DGRAM, VLEN);
	floor_ready(&p, fd);
	while (got < count) {
		n = poll(&p, 1, got ? 500 : 30000);
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR)
			return 1;
		n = recvmmsg(fd, mm, VLEN, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		last = ns(CLOCK_MONOTONIC);
		if (!got)
			first = last;
		got += (unsigned int)n;
		for (int i = 0; i < n; i++)
			bytes += mm[i].msg_len;
	}
	printf("dgrams=%llu bytes=%llu first_ns=%llu last_ns=%llu "
	       "cpu_ns=%llu\n", got, bytes, first, last,
	       ns(CLOCK_PROCESS_CPUTIME_ID));
	return 0;
}

static int sender(const struct sockaddr_in *sa, unsigned long count,
		  size_t size, int buf)
{
	static char data[DGRAM];
	struct mmsghdr mm[VLEN];
	struct iovec iov = { .iov_base = data, .iov_len = size };
	unsigned long long start, sent = 0;
	int fd = udp_socket(0, buf), n;

	if (fd < 0)
		return 1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		perror("dgram_floor: connect");
		return 1;
	}
	for (int i = 0; i < VLEN; i++) {
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	start = ns(CLOCK_MONOTONIC);
	while (sent < count) {
		unsigned int k = count - sent < VLEN ? (unsigned int)(count - sent)
						     : VLEN;

		n = sendmmsg(fd, mm, k, 0);
		if (n < 0 && errno != EINTR && errno != ENOBUFS) {
			perror("dgram_floor: sendmmsg");
			return 1;
		}
		if (n > 0)
			sent += (unsigned int)n;
	}
	printf("start_ns=%llu end_ns=%llu cpu_ns=%llu\n", start,
	       ns(CLOCK_MONOTONIC), ns(CLOCK_PROCESS_CPUTIME_ID));
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int send = argc == 7 && !strcmp(argv[1], "send");
	unsigned long count, size = 0;
	long port, buf;

	if (!send && (argc != 6 || strcmp(argv[1], "recv")))
		return usage();
	port = strtol(argv[3], NULL, 10);
	count = strtoul(argv[4], NULL, 10);
	if (send)
		size = strtoul(argv[5], NULL, 10);
	buf = strtol(argv[send ? 6 : 5], NULL, 10);
	if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1 || port <= 0 ||
	    port > 65535 || !count || size > DGRAM - 8 || buf <= 0 ||
	    buf > 1 << 30 || (send && !size))
		return usage();
	sa.sin_port = htons((uint16_t)port);
	if (send)
		return sender(&sa, count, (size_t)size, (int)buf);
	return receiver(&sa, count, (int)buf);
}
