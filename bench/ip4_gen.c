/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small packet generator for bench/ip4_forward.sh (not part of ligd): blasts
 * prebuilt frames out of one interface with AF_PACKET + sendmmsg, bypassing the qdisc,
 * for a given time, and prints how many it sent. Modes:
 *   ip4:   Ethernet/IPv4/UDP 64-byte frames to random destinations in dst/len
 *   vxlan: the same frames as inner frames of VXLAN (outer src -> outer dst, vni)
 * Built by bench/CMakeLists.txt into <build>/bin (alone: cc -O2 -o ip4_gen ip4_gen.c).
 * Usage: ip4_gen <ifname> <dst-mac> ip4|vxlan <src-ip> <dst-prefix/len> <seconds>
 *                [<outer-src> <outer-dst> <vni> <inner-dst-mac>]
 */
#ifndef _GNU_SOURCE /* the CMake build defines it for every file */
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define N_FRAMES 65536
#define FRAME_SIZE 128
#define BATCH 64

static uint8_t frames[N_FRAMES][FRAME_SIZE];
static uint32_t frame_len;

static uint16_t
csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int
parse_mac(const char *s, uint8_t *m)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4],
		      &m[5]) == 6
		   ? 0
		   : -1;
}

/* Writes IPv4 (20) + UDP (8) + payload at p; returns the IP length. */
static uint32_t
build_ip_udp(uint8_t *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	     uint32_t payload)
{
	uint32_t tl = 20 + 8 + payload;
	memset(p, 0, tl);
	p[0] = 0x45;
	p[2] = (uint8_t)(tl >> 8);
	p[3] = (uint8_t)tl;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	uint16_t c = csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((8 + payload) >> 8);
	p[25] = (uint8_t)(8 + payload);
	return tl;
}

int
main(int argc, char **argv)
{
	uint8_t dmac[6], smac[6], imac[6] = {0};
	uint32_t src, dst, osrc = 0, odst = 0, vni = 0, plen;
	char pfx[64], *slash;
	int vxlan;

	if (argc < 7) {
		fprintf(stderr,
			"usage: %s <if> <dst-mac> ip4|vxlan <src-ip> <dst/len> <seconds> "
			"[<outer-src> <outer-dst> <vni> <inner-dst-mac>]\n",
			argv[0]);
		return 2;
	}
	vxlan = strcmp(argv[3], "vxlan") == 0;
	snprintf(pfx, sizeof(pfx), "%s", argv[5]);
	slash = strchr(pfx, '/');
	if (parse_mac(argv[2], dmac) < 0 || !slash ||
	    (*slash = 0, inet_pton(AF_INET, argv[4], &src) != 1) ||
	    inet_pton(AF_INET, pfx, &dst) != 1)
		return 2;
	plen = (uint32_t)atoi(slash + 1);
	double seconds = atof(argv[6]);
	if (vxlan && (argc < 11 || inet_pton(AF_INET, argv[7], &osrc) != 1 ||
		      inet_pton(AF_INET, argv[8], &odst) != 1 || parse_mac(argv[10], imac) < 0))
		return 2;
	if (vxlan)
		vni = (uint32_t)atoi(argv[9]);

	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	int one = 1;
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_ifindex = (int)if_nametoindex(argv[1])};
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bind");
		return 1;
	}
	socklen_t sl = sizeof(sll);
	struct sockaddr_ll me;
	getsockname(fd, (struct sockaddr *)&me, &sl);
	memcpy(smac, me.sll_addr, 6);

	uint32_t host_mask = plen >= 32 ? 0 : (0xffffffffu >> plen);
	srand(42);
	for (uint32_t k = 0; k < N_FRAMES; k++) {
		uint8_t *f = frames[k];
		uint32_t d = htonl(ntohl(dst) | ((uint32_t)rand() & host_mask));
		uint16_t sport = (uint16_t)(1024 + (k & 0x3fff));
		memcpy(f, dmac, 6);
		memcpy(f + 6, smac, 6);
		f[12] = 0x08;
		f[13] = 0x00;
		if (!vxlan) {
			frame_len = 14 + build_ip_udp(f + 14, src, d, sport, 9, 18); /* 64 bytes */
			continue;
		}
		/* outer IPv4/UDP/VXLAN first (it clears its payload), then the 60-byte inner frame
		 */
		build_ip_udp(f + 14, osrc, odst, (uint16_t)(49152 + (k & 0x3fff)), 4789, 8 + 60);
		uint8_t *vx = f + 14 + 20 + 8;
		vx[0] = 0x08;
		vx[4] = (uint8_t)(vni >> 16);
		vx[5] = (uint8_t)(vni >> 8);
		vx[6] = (uint8_t)vni;
		uint8_t *in = vx + 8;
		memcpy(in, imac, 6);
		memcpy(in + 6, smac, 6);
		in[12] = 0x08;
		in[13] = 0x00;
		uint32_t inner = 14 + build_ip_udp(in + 14, src, d, sport, 9, 18);
		frame_len = 14 + 20 + 8 + 8 + inner;
	}

	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	memset(msgs, 0, sizeof(msgs));
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long sent = 0;
	uint32_t k = 0;
	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			iov[i].iov_base = frames[k++ & (N_FRAMES - 1)];
			iov[i].iov_len = frame_len;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += (unsigned)n;
		if ((sent & 0x3ff) < BATCH) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >=
			    seconds)
				break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	double el = (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sent %llu frames of %u bytes in %.2f s: %.0f pps\n", sent, frame_len, el,
	       sent / el);
	close(fd);
	return 0;
}
