/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif messages (module 0x05): memif sockets (socket id -> filename) and memif interfaces
 * memif<socket-id>/<id> of either role, with their connection state, and an event when a
 * peer connects or goes away. Common settings (admin state, MTU, MAC changes) are
 * interface messages; link up/down also arrives as interface_event.
 */
#ifndef LIG_MEMIF_API_H
#define LIG_MEMIF_API_H

#include "../vlib/api_msg.h"

#define LIG_MEMIF_API_SOCKET_CREATE(F, A, V)                                                       \
	F(u32, socket_id, "1..255 (0 is the default socket, beside ligd's CLI socket)")            \
	F(path, filename, "an absolute path, or @name for an abstract socket")

#define LIG_MEMIF_API_SOCKET_DELETE(F, A, V) F(u32, socket_id, "a socket no memif interface uses")

#define LIG_MEMIF_API_SOCKET_DETAILS(F, A, V)                                                      \
	F(u32, socket_id, "the socket id (0: the default socket)")                                 \
	F(path, filename, "its path or @abstract name")                                            \
	F(bool, listening, "(state) ligd listens on it (it has master interfaces)")                \
	F(u32, n_masters, "(state) master interfaces on it")                                       \
	F(u32, n_slaves, "(state) slave interfaces on it")

#define LIG_MEMIF_API_CREATE(F, A, V)                                                              \
	F(u32, id, "interface id on its socket: the interface is memif<socket_id>/<id>")           \
	F(u32, socket_id, "the memif socket (0: the default)")                                     \
	F(u8, role, "0 master (listens on the socket), 1 slave (connects to it)")                  \
	F(u8, mode, "0 ethernet, 1 ip")                                                            \
	F(u8, rx_queues, "1..16; 0: 1")                                                            \
	F(u8, tx_queues, "1..16; 0: 1")                                                            \
	F(u32, ring_size, "slots per ring, a power of 2 in 2..16384; 0: 1024")                     \
	F(u32, buffer_size, "bytes per slot, 128..65536; 0: 2048")                                 \
	F(mac, hw_addr, "ligd's MAC, unicast; 00:00:00:00:00:00: a random local one")              \
	F(str32, secret, "the secret a peer must present, up to 24 characters; empty: none")

#define LIG_MEMIF_API_CREATE_REPLY(F, A, V) F(u32, sw_if_index, "the new interface")

/* memif_create with zero-copy (the fields of memif_create, then zero_copy). */
#define LIG_MEMIF_API_CREATE_V2(F, A, V)                                                           \
	LIG_MEMIF_API_CREATE(F, A, V)                                                              \
	F(bool, zero_copy,                                                                         \
	  "slave only: the master copies straight into and out of ligd's buffers, and can read "   \
	  "and write every one of them (a peer trusted as much as ligd)")

#define LIG_MEMIF_API_DELETE(F, A, V) F(u32, sw_if_index, "the memif interface")

#define LIG_MEMIF_API_SET_RX_MODE(F, A, V)                                                         \
	F(u32, sw_if_index, "the memif interface")                                                 \
	F(u8, rx_mode, "0 polling, 1 interrupt, 2 adaptive (the default)")

#define LIG_MEMIF_API_DUMP(F, A, V) F(u32, sw_if_index, "one memif interface, or 0 for all")

#define LIG_MEMIF_API_DETAILS(F, A, V)                                                             \
	F(u32, sw_if_index, "the interface (memif<socket_id>/<id>)")                               \
	F(u32, id, "its id on the socket")                                                         \
	F(u32, socket_id, "its memif socket")                                                      \
	F(u8, role, "0 master, 1 slave")                                                           \
	F(u8, mode, "0 ethernet, 1 ip")                                                            \
	F(u8, rx_mode, "0 polling, 1 interrupt, 2 adaptive")                                       \
	F(u8, rx_queues, "configured (the handshake may lower it)")                                \
	F(u8, tx_queues, "configured")                                                             \
	F(u32, ring_size, "configured slots per ring")                                             \
	F(u32, buffer_size, "configured bytes per slot")                                           \
	F(mac, hw_addr, "ligd's MAC")                                                              \
	F(bool, secret_set, "a secret is set (the secret itself is never shown)")                  \
	F(u8, state, "(state) 0 down, 1 connecting (handshake), 2 connected")                      \
	F(str128, reason, "(state) why the last disconnect or failed handshake happened")          \
	F(bool, peer_fault, "(state) that was the peer's fault (a bad message, secret, ring...)")  \
	F(str64, peer_name, "(state) the peer's application name")                                 \
	F(str64, peer_if_name, "(state) the peer's interface name")                                \
	F(u64, connects, "(state) connections made")                                               \
	F(u64, disconnects, "(state) connections lost")                                            \
	F(u64, peer_errors, "(state) disconnects for a bad message, secret, region, ring...")      \
	F(u64, bad_desc, "(state) of which a bad descriptor in the datapath")                      \
	F(u64, tx_ring_full, "(state) packets dropped: the peer's ring had no room")               \
	F(u64, rx_no_buffer, "(state) slots left for later: the buffer pool ran dry")              \
	F(u64, rx_too_long, "(state) packets over 65535 bytes dropped")

#define LIG_MEMIF_API_EVENT(F, A, V)                                                               \
	F(u32, sw_if_index, "the memif interface")                                                 \
	F(str64, name, "its name")                                                                 \
	F(bool, connected, "1: a peer connected; 0: the connection went down")                     \
	F(str128, reason, "why it went down (empty when connected)")                               \
	F(bool, peer_fault, "it went down for the peer's fault")                                   \
	F(str64, peer_name, "the peer's application name")

/* memif_dump's details, then zero_copy. */
#define LIG_MEMIF_API_DETAILS_V2(F, A, V)                                                          \
	LIG_MEMIF_API_DETAILS(F, A, V)                                                             \
	F(bool, zero_copy, "a zero-copy slave (memif_create_v2)")

#define LIG_MEMIF_API_MSGS(M)                                                                      \
	M(memif_socket_create, 0x0501, REQUEST, LIG_MEMIF_API_SOCKET_CREATE, LIG_API_NONE,         \
	  "creates memif socket <id> with its filename (ligd listens once a master uses it)")      \
	M(memif_socket_delete, 0x0502, REQUEST, LIG_MEMIF_API_SOCKET_DELETE, LIG_API_NONE,         \
	  "deletes a memif socket no interface uses")                                              \
	M(memif_socket_dump, 0x0503, DUMP, LIG_API_NONE, LIG_MEMIF_API_SOCKET_DETAILS,             \
	  "memif sockets, the default socket 0 included")                                          \
	M(memif_create, 0x0504, REQUEST, LIG_MEMIF_API_CREATE, LIG_MEMIF_API_CREATE_REPLY,         \
	  "creates memif<socket_id>/<id> (admin down; a slave starts connecting at once)")         \
	M(memif_delete, 0x0505, REQUEST, LIG_MEMIF_API_DELETE, LIG_API_NONE,                       \
	  "deletes a memif interface, disconnecting its peer")                                     \
	M(memif_set_rx_mode, 0x0506, REQUEST, LIG_MEMIF_API_SET_RX_MODE, LIG_API_NONE,             \
	  "sets how a memif interface learns of received packets")                                 \
	M(memif_dump, 0x0507, DUMP, LIG_MEMIF_API_DUMP, LIG_MEMIF_API_DETAILS,                     \
	  "memif interfaces: configuration, connection state and counters")                        \
	M(memif_event, 0x0508, EVENT, LIG_MEMIF_API_EVENT, LIG_API_NONE,                           \
	  "a memif interface's peer connected, or the connection went down and why")               \
	M(memif_create_v2, 0x0509, REQUEST, LIG_MEMIF_API_CREATE_V2, LIG_MEMIF_API_CREATE_REPLY,   \
	  "memif_create, and zero-copy for a slave")                                               \
	M(memif_dump_v2, 0x050a, DUMP, LIG_MEMIF_API_DUMP, LIG_MEMIF_API_DETAILS_V2,               \
	  "memif_dump, and whether each interface is zero-copy")

LIG_MEMIF_API_MSGS(LIG_API_DECLARE)

#endif
