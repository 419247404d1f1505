/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal small-packet generator and sink for bench/bridge_vs_linux.sh: sendmmsg() /
 * recvmmsg() in batches of 64 so that the measurement is limited by the path under test
 * rather than by one syscall per datagram (as with iperf3 -u).
 *
 *   udpgen send <dst-ip> <port> <seconds> [payload-bytes (default 18: a 64-byte frame)]
 *   udpgen sink <bind-ip> <port> <seconds>   prints "<packets> <seconds> <pps>"
 *
 * The sink measures from its first datagram until <seconds> later (or 1 s of silence).
 */
#ifndef _GNU_SOURCE /* the CMake build defines it for every file */
#define _GNU_SOURCE
#endif
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

#define BATCH 64

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	static char bufs[BATCH][2048];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	double secs;
	int fd;

	if (argc < 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "sink"))) {
		fprintf(stderr, "usage: udpgen send|sink <ip> <port> <seconds> [payload]\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[2]);
		return 2;
	}
	secs = atof(argv[4]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	int size = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	size_t payload = argc > 5 ? (size_t)atoi(argv[5]) : 18;
	if (payload > sizeof(bufs[0]))
		payload = sizeof(bufs[0]);
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = argv[1][1] == 'e' ? payload : sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (argv[1][1] == 'e') { /* send */
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			perror("connect");
			return 1;
		}
		unsigned long long sent = 0;
		double end = now() + secs;
		while (now() < end) {
			int n = sendmmsg(fd, msgs, BATCH, 0);
			if (n > 0)
				sent += (unsigned)n;
			else if (n < 0 && errno != ENOBUFS && errno != EAGAIN)
				break;
		}
		printf("%llu sent\n", sent);
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("bind");
		return 1;
	}
	unsigned long long got = 0;
	double start = 0, last = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	for (;;) {
		int timeout = start ? 1000 : 60000;
		if (poll(&pfd, 1, timeout) <= 0)
			break;
		int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		last = now();
		if (!start)
			start = last;
		got += (unsigned)n;
		if (last - start >= secs)
			break;
	}
	double dur = last > start ? last - start : 1;
	printf("%llu %.3f %.0f\n", got, dur, got / dur);
	return 0;
}
