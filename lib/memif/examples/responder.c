/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig-memif-responder: a ping target on a memif (ethernet mode), built on libligmemif.
 * It answers ARP requests and ICMP echo requests for one IPv4 address and ignores the
 * rest. As slave (default) it reconnects by itself when the master goes away.
 *   lig-memif-responder -s /run/ligature/memif.sock [-i id] [-m] [-k secret]
 *                       [-a 02:00:00:00:00:01] 10.0.0.2
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ligmemif.h"

#define BURST 32
#define FRAME 10240

static volatile sig_atomic_t stop;
static uint8_t my_mac[6] = {0x02, 0x4c, 0x49, 0x47, 0x00, 0x01};
static uint32_t my_ip; /* network order */
static uint64_t n_arp, n_icmp;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
on_event(struct ligmemif *m, enum ligmemif_event ev, void *ctx)
{
	(void)ctx;
	if (ev == LIGMEMIF_EVENT_CONNECTED)
		printf("connected to '%s' (%s)\n", ligmemif_peer_name(m), ligmemif_peer_if_name(m));
	else
		printf("disconnected: %s\n", ligmemif_disconnect_reason(m));
	fflush(stdout);
}

static uint16_t
csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Turns the request in f (len bytes) into its reply in place; returns false to ignore. */
static bool
answer(uint8_t *f, uint32_t len)
{
	if (len < 14)
		return false;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == 0x0806 && len >= 42) {
		uint8_t *a = f + 14;
		uint32_t tpa;
		memcpy(&tpa, a + 24, 4);
		/* htype 1, ptype IPv4, hlen 6, plen 4, op request, for us */
		if (a[0] != 0 || a[1] != 1 || a[2] != 8 || a[3] != 0 || a[4] != 6 || a[5] != 4 ||
		    a[6] != 0 || a[7] != 1 || tpa != my_ip)
			return false;
		memcpy(f, f + 6, 6);
		memcpy(f + 6, my_mac, 6);
		a[7] = 2;
		memcpy(a + 18, a + 8, 10); /* target := sender */
		memcpy(a + 8, my_mac, 6);
		memcpy(a + 14, &my_ip, 4);
		n_arp++;
		return true;
	}
	if (type == 0x0800 && len >= 14 + 20 + 8) {
		uint8_t *ip = f + 14;
		uint32_t ihl = (ip[0] & 0xf) * 4u, dst, tot = (uint32_t)(ip[2] << 8 | ip[3]);
		memcpy(&dst, ip + 16, 4);
		if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl + 8 || 14 + tot > len ||
		    ip[9] != 1 || dst != my_ip)
			return false;
		uint8_t *icmp = ip + ihl;
		if (icmp[0] != 8)
			return false;
		memcpy(f, f + 6, 6);
		memcpy(f + 6, my_mac, 6);
		memcpy(ip + 16, ip + 12, 4);
		memcpy(ip + 12, &my_ip, 4);
		ip[8] = 64;
		ip[10] = ip[11] = 0;
		uint16_t c = csum(ip, ihl);
		memcpy(ip + 10, &c, 2);
		icmp[0] = 0;
		icmp[2] = icmp[3] = 0;
		c = csum(icmp, tot - ihl);
		memcpy(icmp + 2, &c, 2);
		n_icmp++;
		return true;
	}
	return false;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: lig-memif-responder -s SOCKET [-i ID] [-m] [-k SECRET] [-a MAC] IPV4\n"
		"  -m  be the master (default: slave)\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct ligmemif_config cfg = {.role = LIGMEMIF_ROLE_SLAVE,
				      .app_name = "lig-memif-responder"};
	static uint8_t bufs[BURST][FRAME];
	struct ligmemif_pkt pkts[BURST], out[BURST];
	int c;

	while ((c = getopt(argc, argv, "s:i:mk:a:h")) != -1) {
		switch (c) {
		case 's':
			cfg.socket_path = optarg;
			break;
		case 'i':
			cfg.id = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'm':
			cfg.role = LIGMEMIF_ROLE_MASTER;
			break;
		case 'k':
			cfg.secret = optarg;
			break;
		case 'a':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &my_mac[0], &my_mac[1],
				   &my_mac[2], &my_mac[3], &my_mac[4], &my_mac[5]) != 6)
				usage();
			break;
		default:
			usage();
		}
	}
	if (!cfg.socket_path || optind != argc - 1 || inet_pton(AF_INET, argv[optind], &my_ip) != 1)
		usage();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct ligmemif *m = ligmemif_create(&cfg, on_event, NULL);
	if (!m) {
		perror("ligmemif_create");
		return 1;
	}
	printf("responder %s on %s id %u (%s)\n", argv[optind], cfg.socket_path, cfg.id,
	       cfg.role == LIGMEMIF_ROLE_MASTER ? "master" : "slave");
	while (!stop) {
		if (ligmemif_poll(m, 100) < 0)
			break;
		for (unsigned q = 0; q < ligmemif_rx_queues(m); q++) {
			int n;
			do {
				for (int i = 0; i < BURST; i++)
					pkts[i] =
					    (struct ligmemif_pkt){.data = bufs[i], .size = FRAME};
				n = ligmemif_rx_burst(m, (uint16_t)q, pkts, BURST);
				int k = 0;
				for (int i = 0; i < n; i++)
					if (answer(pkts[i].data, pkts[i].len))
						out[k++] = pkts[i];
				if (k > 0)
					ligmemif_tx_burst(m, 0, out, (uint16_t)k);
			} while (n == BURST);
		}
	}
	printf("answered %llu arp, %llu icmp echo\n", (unsigned long long)n_arp,
	       (unsigned long long)n_icmp);
	ligmemif_destroy(m);
	return 0;
}
