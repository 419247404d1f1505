/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig-memif-gen: memif traffic generator and sink on libligmemif. It sends IPv4/UDP
 * frames of a given size as fast as the ring takes them, for a count or a duration, on
 * one memif, and counts what comes back on another (or the same) memif; then prints
 * packets/s and loss. Each frame carries a sequence number; frames are sent in bursts.
 *   lig-memif-gen -s TX-SOCKET [-i ID] [-S RX-SOCKET -I RX-ID] [-m] -l SIZE
 *                 (-n COUNT | -t SECONDS) [-w WAIT-SECONDS] [-k LINGER-SECONDS] [-Q QUEUES]
 *                 [-z [-C]] [-q]
 * With -z it works in place (libligmemif's rx_peek/tx_alloc, as libmemif applications
 * and testpmd's txonly/rxonly do): it writes only the first 64 bytes of each frame, the
 * headers, into the ring's buffer and counts received frames without copying them, so
 * its own cost does not grow with the frame size; the rest of each frame is whatever the
 * buffer held. -C adds the copy out of received frames back (a receiver that reads what
 * the forwarder wrote: where that receiver runs decides how the forwarder's stores fare,
 * infra/copy.h). Without -z it copies whole frames both ways.
 * With -Q N (slave) it asks for N rings each way and sends its bursts round robin over
 * them (receiving on all), so a multi-queue peer spreads the work.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ligmemif.h"

#define BURST 64
#define MAX_FRAME 9216
#define IN_PLACE_HEADER 64 /* bytes written per frame with -z */
#define IN_PLACE_SLOTS 1024

static volatile sig_atomic_t stop;
static const uint8_t src_mac[6] = {0x02, 0x4c, 0x47, 0x00, 0x00, 0x01};
static const uint8_t dst_mac[6] = {0x02, 0x4c, 0x47, 0x00, 0x00, 0x02};

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
build_frame(uint8_t *f, uint32_t len, const uint8_t *dst, const uint8_t *src)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	uint16_t tot = (uint16_t)(len - 14 > 0xffff ? 0xffff : len - 14);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10, ip[15] = 1; /* 10.0.0.1 -> 10.0.0.2 */
	ip[16] = 10, ip[19] = 2;
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
	uint8_t *udp = ip + 20;
	uint16_t ulen = (uint16_t)(tot - 20);
	udp[0] = 0x04, udp[1] = 0xd2; /* 1234 */
	udp[2] = 0x16, udp[3] = 0x2e; /* 5678 */
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
}

static bool
wait_connected(struct ligmemif *m, double deadline)
{
	while (!ligmemif_is_connected(m) && now_s() < deadline && !stop)
		ligmemif_poll(m, 50);
	return ligmemif_is_connected(m);
}

static uint64_t
drain(struct ligmemif *m, struct ligmemif_pkt *pkts, uint8_t (*bufs)[MAX_FRAME])
{
	uint64_t got = 0;

	for (unsigned q = 0; q < ligmemif_rx_queues(m); q++) {
		for (int i = 0; i < BURST; i++)
			pkts[i] = (struct ligmemif_pkt){.data = bufs[i], .size = MAX_FRAME};
		int n = ligmemif_rx_burst(m, (uint16_t)q, pkts, BURST);
		if (n > 0)
			got += (uint64_t)n;
	}
	return got;
}

/* -z: counts the frames in the rx rings without copying them; with -C copies each slot
 * out first, into one of BURST frame buffers in turn. */
static uint64_t
drain_in_place(struct ligmemif *m, bool copy_out)
{
	static struct ligmemif_buf bufs[IN_PLACE_SLOTS];
	static uint8_t out[BURST][MAX_FRAME];
	uint64_t got = 0;

	for (unsigned q = 0; q < ligmemif_rx_queues(m); q++) {
		int n = ligmemif_rx_peek(m, (uint16_t)q, bufs, IN_PLACE_SLOTS);
		for (int i = 0; i < n; i++) {
			if (copy_out)
				memcpy(out[i % BURST], bufs[i].data,
				       bufs[i].len < MAX_FRAME ? bufs[i].len : MAX_FRAME);
			got += !(bufs[i].flags & LIGMEMIF_BUF_NEXT);
		}
		if (n > 0)
			ligmemif_rx_release(m, (uint16_t)q);
	}
	return got;
}

/* -z: up to n frames of `size` bytes into tx queue q, each frame's first
 * IN_PLACE_HEADER bytes from `frame`, chained over as many slots as the peer's buffers
 * need; returns how many fitted. */
static int
send_in_place(struct ligmemif *m, uint16_t q, uint16_t n, uint32_t size, const uint8_t *frame)
{
	static struct ligmemif_buf b[IN_PLACE_SLOTS];
	static uint32_t slot_size = 2048; /* the smallest slot seen, to ask for enough */
	uint32_t want = n * ((size + slot_size - 1) / slot_size);
	int lent =
	    ligmemif_tx_alloc(m, q, b, (uint16_t)(want < IN_PLACE_SLOTS ? want : IN_PLACE_SLOTS));
	int used = 0, frames = 0;

	while (lent > 0 && frames < n) {
		int start = used;
		uint32_t off = 0;
		while (off < size && used < lent) {
			struct ligmemif_buf *s = &b[used++];
			uint32_t k = size - off < s->size ? size - off : s->size;
			if (s->size < slot_size)
				slot_size = s->size;
			if (off < IN_PLACE_HEADER)
				memcpy(s->data, frame + off,
				       k < IN_PLACE_HEADER - off ? k : IN_PLACE_HEADER - off);
			s->len = k;
			off += k;
			s->flags = off < size ? LIGMEMIF_BUF_NEXT : 0;
		}
		if (off < size) {
			used = start;
			break;
		}
		frames++;
	}
	if (lent > 0)
		ligmemif_tx_commit(m, q, b, (uint16_t)used);
	return frames;
}

static void
usage(void)
{
	fprintf(
	    stderr,
	    "usage: lig-memif-gen -s TX-SOCKET [-i ID] [-S RX-SOCKET -I RX-ID] [-m] -l SIZE\n"
	    "                     (-n COUNT | -t SECONDS) [-w WAIT] [-k LINGER] [-d DELAY] [-r "
	    "PPS] [-G FILE] [-D FILE] [-b BUFSIZE] [-R SLOTS] [-Q QUEUES] [-z [-C]] [-q]\n"
	    "  -m  be the master on both sockets (default: slave)\n"
	    "  -l  frame size in bytes (60..9216)\n"
	    "  -w  seconds to wait for the connection(s) (default 10)\n"
	    "  -b  slave: bytes per ring slot (default 2048; larger avoids chaining)\n"
	    "  -R  slave: slots per ring, a power of two (default 1024; fewer keep jumbo\n"
	    "      rings in cache)\n"
	    "  -r  packets per second (default: as fast as the ring takes them)\n"
	    "  -d  seconds to wait after connecting before sending (default 0)\n"
	    "  -G  then wait (up to -w seconds) until FILE exists before sending: a script's\n"
	    "      go signal once the peer is really forwarding\n"
	    "  -D  create FILE once done sending (then linger)\n"
	    "  -k  seconds to keep receiving (and stay connected) after sending (default 0.3);\n"
	    "      SIGINT ends it\n"
	    "  -Q  slave: rings each way to ask for, bursts sent round robin (default 1)\n"
	    "  -z  in place: write only each frame's first 64 bytes (headers) into the ring,\n"
	    "      count received frames without copying them\n"
	    "  -C  with -z: copy each received frame out of its slot all the same (a peer\n"
	    "      that reads what it receives, as VPP's memif in copy mode does)\n"
	    "  -q  print one machine-readable line: tx rx seconds tx_pps rx_pps loss_pct\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct ligmemif_config tc = {.role = LIGMEMIF_ROLE_SLAVE,
				     .app_name = "lig-memif-gen",
				     .rx_mode = LIGMEMIF_RX_POLLING};
	struct ligmemif_config rc;
	const char *rx_socket = NULL, *go_file = NULL, *done_file = NULL;
	uint32_t rx_id = 0, size = 64;
	uint64_t count = 0;
	double duration = 0, wait = 10, linger = 0.3, delay = 0, rate = 0;
	bool quiet = false, in_place = false, copy_out = false;
	int c;

	while ((c = getopt(argc, argv, "s:i:S:I:ml:n:t:w:k:d:G:D:r:R:b:Q:qzCh")) != -1) {
		switch (c) {
		case 's':
			tc.socket_path = optarg;
			break;
		case 'i':
			tc.id = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'S':
			rx_socket = optarg;
			break;
		case 'I':
			rx_id = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'm':
			tc.role = LIGMEMIF_ROLE_MASTER;
			break;
		case 'l':
			size = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 't':
			duration = atof(optarg);
			break;
		case 'w':
			wait = atof(optarg);
			break;
		case 'b':
			tc.buffer_size = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'R':
			tc.ring_size = (uint16_t)strtoul(optarg, NULL, 0);
			break;
		case 'd':
			delay = atof(optarg);
			break;
		case 'k':
			linger = atof(optarg);
			break;
		case 'G':
			go_file = optarg;
			break;
		case 'D':
			done_file = optarg;
			break;
		case 'Q':
			tc.rx_queues = tc.tx_queues = (uint8_t)strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quiet = true;
			break;
		case 'z':
			in_place = true;
			break;
		case 'C':
			copy_out = true;
			break;
		default:
			usage();
		}
	}
	if (!tc.socket_path || size < 60 || size > MAX_FRAME || (!count && duration <= 0))
		usage();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	struct ligmemif *tx = ligmemif_create(&tc, NULL, NULL), *rx = tx;
	if (!tx) {
		perror("ligmemif_create (tx)");
		return 1;
	}
	if (rx_socket) {
		rc = tc;
		rc.socket_path = rx_socket;
		rc.id = rx_id;
		rx = ligmemif_create(&rc, NULL, NULL);
		if (!rx) {
			perror("ligmemif_create (rx)");
			ligmemif_destroy(tx);
			return 1;
		}
	}
	double deadline = now_s() + wait;
	if (!wait_connected(tx, deadline) || !wait_connected(rx, deadline)) {
		fprintf(stderr, "lig-memif-gen: not connected: %s\n",
			ligmemif_disconnect_reason(ligmemif_is_connected(tx) ? rx : tx));
		ligmemif_destroy(tx);
		if (rx != tx)
			ligmemif_destroy(rx);
		return 1;
	}

	static uint8_t frame[MAX_FRAME];
	static uint8_t rxbufs[BURST][MAX_FRAME];
	struct ligmemif_pkt txp[BURST], rxp[BURST];
	uint64_t sent = 0, got = 0;

	/* A frame from the sink's side first, so a learning bridge knows where dst_mac is. */
	if (rx != tx) {
		build_frame(frame, 60, src_mac, dst_mac);
		struct ligmemif_pkt l = {.data = frame, .len = 60};
		ligmemif_tx_burst(rx, 0, &l, 1);
		double t = now_s() + 0.2;
		while (now_s() < t)
			drain(tx, rxp, rxbufs), drain(rx, rxp, rxbufs);
	}
	/* An optional pause after connecting (the peer may still be starting up). */
	for (double t = now_s() + delay, g = t + wait;
	     !stop && (now_s() < t || (go_file && access(go_file, F_OK) != 0 && now_s() < g));) {
		drain(tx, rxp, rxbufs);
		if (rx != tx)
			drain(rx, rxp, rxbufs);
		ligmemif_poll(tx, 1);
	}
	build_frame(frame, size, dst_mac, src_mac);
	for (int i = 0; i < BURST; i++)
		txp[i] = (struct ligmemif_pkt){.data = frame, .len = size};

	double t0 = now_s(), end = duration > 0 ? t0 + duration : 1e300;
	uint32_t iter = 0;
	unsigned nq = ligmemif_tx_queues(tx), q = 0;
	while (!stop && (!count || sent < count)) {
		uint16_t n = BURST;
		if (rate > 0) {
			/* Paced: one packet whenever the schedule allows, receiving meanwhile. */
			n = now_s() >= t0 + (double)sent / rate ? 1 : 0;
		}
		if (count && count - sent < n)
			n = (uint16_t)(count - sent);
		int k = in_place ? send_in_place(tx, (uint16_t)q, n, size, frame)
				 : ligmemif_tx_burst(tx, (uint16_t)q, txp, n);
		q = q + 1 < nq ? q + 1 : 0;
		if (k > 0)
			sent += (uint64_t)k;
		got += in_place ? drain_in_place(rx, copy_out) : drain(rx, rxp, rxbufs);
		if ((++iter & 255) == 0) {
			/* Control events (a disconnect) are noticed here, not per burst. */
			ligmemif_poll(tx, 0);
			if (rx != tx)
				ligmemif_poll(rx, 0);
			if (now_s() >= end)
				break;
			if (!ligmemif_is_connected(tx) || !ligmemif_is_connected(rx)) {
				fprintf(stderr, "lig-memif-gen: disconnected: %s\n",
					ligmemif_disconnect_reason(ligmemif_is_connected(tx) ? rx
											     : tx));
				break;
			}
		}
	}
	double t1 = now_s();
	if (done_file) {
		/* Written whole under another name, then renamed: a reader never sees it half. */
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.tmp", done_file);
		FILE *f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "%llu\n", (unsigned long long)sent);
			fclose(f);
			rename(tmp, done_file);
		}
	}
	/* Whatever is still in flight gets `linger` seconds (default 300 ms) to arrive; the
	 * connection stays up meanwhile, so the peer's counters are still readable. A signal
	 * ends the linger (one during the sending ended only the sending). */
	stop = 0;
	for (double t = now_s() + linger; now_s() < t && !stop;)
		got += in_place ? drain_in_place(rx, copy_out) : drain(rx, rxp, rxbufs);
	double secs = t1 - t0;
	double loss = sent ? 100.0 * (double)(sent > got ? sent - got : 0) / (double)sent : 0;
	if (quiet)
		printf("%llu %llu %.3f %.0f %.0f %.3f\n", (unsigned long long)sent,
		       (unsigned long long)got, secs, sent / secs, got / secs, loss);
	else
		printf("size %u: sent %llu received %llu in %.3f s: tx %.3f Mpps, rx %.3f Mpps"
		       " (%.2f Gbit/s), loss %.3f%%\n",
		       size, (unsigned long long)sent, (unsigned long long)got, secs,
		       sent / secs / 1e6, got / secs / 1e6, got * size * 8.0 / secs / 1e9, loss);
	ligmemif_destroy(tx);
	if (rx != tx)
		ligmemif_destroy(rx);
	return 0;
}
