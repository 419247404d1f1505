/* SPDX-License-Identifier: Apache-2.0 */
/*
 * af_packet messages (module 0x02): host-interfaces (host-<linux-if>) attached to a Linux
 * netdev through AF_PACKET sockets. The ring geometry and socket options are fixed
 * (afpacket.h); what a client chooses is the Linux interface, ligd's MAC and the number
 * of rx queues. Common
 * settings (admin state, MTU, MAC changes) are interface messages.
 */
#ifndef LIG_AFPACKET_API_H
#define LIG_AFPACKET_API_H

#include "../vlib/api_msg.h"

#define LIG_AFPACKET_API_CREATE(F, A, V)                                                           \
	F(str16, host_if_name, "the Linux interface (1..15 characters)")                           \
	F(mac, hw_addr, "ligd's MAC on it, unicast; 00:00:00:00:00:00: a random local one")        \
	F(u32, num_rx_queues,                                                                      \
	  "rx queues, 1..16 (0 is taken as 1); more than one: sockets in one PACKET_FANOUT group")

#define LIG_AFPACKET_API_CREATE_REPLY(F, A, V) F(u32, sw_if_index, "the new host-<linux-if>")

#define LIG_AFPACKET_API_DELETE(F, A, V)                                                           \
	F(u32, sw_if_index, "the host-interface; 0: the one on host_if_name")                      \
	F(str16, host_if_name, "the Linux interface, when sw_if_index is 0")

#define LIG_AFPACKET_API_DUMP(F, A, V) F(u32, sw_if_index, "one host-interface, or 0 for all")

#define LIG_AFPACKET_API_DETAILS(F, A, V)                                                          \
	F(u32, sw_if_index, "the interface (host-<host_if_name>)")                                 \
	F(str16, host_if_name, "the Linux interface")                                              \
	F(mac, hw_addr, "ligd's MAC on it")                                                        \
	F(u32, host_if_index, "(state) the Linux ifindex")                                         \
	F(u32, num_rx_queues, "rx queues (PACKET_FANOUT members when more than one)")

#define LIG_AFPACKET_API_MSGS(M)                                                                   \
	M(af_packet_create, 0x0201, REQUEST, LIG_AFPACKET_API_CREATE,                              \
	  LIG_AFPACKET_API_CREATE_REPLY,                                                           \
	  "attaches ligd to a Linux interface as host-<linux-if> (admin down)")                    \
	M(af_packet_delete, 0x0202, REQUEST, LIG_AFPACKET_API_DELETE, LIG_API_NONE,                \
	  "deletes a host-interface, closing its socket and rings")                                \
	M(af_packet_dump, 0x0203, DUMP, LIG_AFPACKET_API_DUMP, LIG_AFPACKET_API_DETAILS,           \
	  "host-interfaces with the Linux interface each is attached to")

LIG_AFPACKET_API_MSGS(LIG_API_DECLARE)

#endif
