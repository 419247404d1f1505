/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loopback messages (module 0x04): loopback interfaces loop<instance>. Common settings
 * (admin state, MTU, MAC changes) are interface messages.
 */
#ifndef LIG_LOOPBACK_API_H
#define LIG_LOOPBACK_API_H

#include "../vlib/api_msg.h"

#define LIG_LOOPBACK_API_CREATE(F, A, V)                                                           \
	F(mac, mac, "its MAC, unicast; 00:00:00:00:00:00: a random local one")                     \
	F(bool, instance_set, "1: create loop<instance>; 0: the lowest free instance")             \
	F(u32, instance, "0..1023, when instance_set")

#define LIG_LOOPBACK_API_CREATE_REPLY(F, A, V) F(u32, sw_if_index, "the new loop<instance>")

#define LIG_LOOPBACK_API_DELETE(F, A, V) F(u32, sw_if_index, "the loopback")

#define LIG_LOOPBACK_API_DUMP(F, A, V) F(u32, sw_if_index, "one loopback, or 0 for all")

#define LIG_LOOPBACK_API_DETAILS(F, A, V)                                                          \
	F(u32, sw_if_index, "the interface (loop<instance>)")                                      \
	F(u32, instance, "its instance")                                                           \
	F(mac, mac, "its MAC")

#define LIG_LOOPBACK_API_MSGS(M)                                                                   \
	M(loopback_create, 0x0401, REQUEST, LIG_LOOPBACK_API_CREATE,                               \
	  LIG_LOOPBACK_API_CREATE_REPLY, "creates a loopback interface (admin down)")              \
	M(loopback_delete, 0x0402, REQUEST, LIG_LOOPBACK_API_DELETE, LIG_API_NONE,                 \
	  "deletes a loopback interface")                                                          \
	M(loopback_dump, 0x0403, DUMP, LIG_LOOPBACK_API_DUMP, LIG_LOOPBACK_API_DETAILS,            \
	  "loopback interfaces with their instance and MAC")

LIG_LOOPBACK_API_MSGS(LIG_API_DECLARE)

#endif
