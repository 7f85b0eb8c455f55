// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ev_floor: the cheapest possible conntrack event listener, for
 * tests/bench/ctd_bench.sh and sync_bench.sh. It subscribes to the conntrack event groups
 * with the system's default receive buffer (as both daemons do there),
 * takes datagrams 32 at a time with recvmmsg(2) and throws them away:
 * what it costs per event is what receiving alone costs, a floor under
 * any daemon's CPU per event. After a receive that emptied the queue it
 * sleeps NAP_US before it polls again, as the daemon does
 * (sync/kernel.c, NAP_USEC); 0 takes each event as it comes. It stops
 * after IDLE ms without an event once it has seen one (30 s before the
 * first), and prints "events=N overruns=N cpu_ns=N" (its CPU time, user
 * and system).
 *
 *   ev_floor [IDLE_MS [NAP_US]]   (default 2000 100; run it inside the
 *                                  namespace)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl/uapi.h"
#include "tests/bench/floor_mmsg.h"

#define VLEN	32
#define DGRAM	8192

int main(int argc, char **argv)
{
	static char buf[VLEN][DGRAM];
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned long long events = 0, overruns = 0;
	int idle = argc > 1 ? atoi(argv[1]) : 2000;
	struct timespec ts;
	struct pollfd p;
	long nap = argc > 2 ? atol(argv[2]) : 100;
	int fd, n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0) {
		perror("ev_floor: socket");
		return 1;
	}
	sa.nl_groups = 1u << (NFNLGRP_CONNTRACK_NEW - 1) |
		       1u << (NFNLGRP_CONNTRACK_UPDATE - 1) |
		       1u << (NFNLGRP_CONNTRACK_DESTROY - 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("ev_floor: bind");
		return 1;
	}
	floor_mmsg_init(mm, iov, buf, DGRAM, VLEN);
	floor_ready(&p, fd);
	for (;;) {
		n = poll(&p, 1, events ? idle : 30000);
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR)
			return 1;
		n = recvmmsg(fd, mm, VLEN, MSG_DONTWAIT, NULL);
		if (n > 0)
			events += (unsigned int)n;
		if (n > 0 && n < VLEN && nap > 0 && nap < 1000000) {
			struct timespec z = { 0, nap * 1000 };

			nanosleep(&z, NULL);
		}
		else if (n < 0 && errno == ENOBUFS)
			overruns++;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	printf("events=%llu overruns=%llu cpu_ns=%lld\n", events, overruns,
	       (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
