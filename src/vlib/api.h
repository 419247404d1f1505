/* SPDX-License-Identifier: Apache-2.0 */
/* The API's own messages (module byte 0x00): version, message table, events, ping. */
#ifndef LIG_VLIB_API_H
#define LIG_VLIB_API_H

#include "api_msg.h"

#define LIG_VLIB_API_VERSION_REPLY(F, A, V)                                                        \
	F(str32, version, "ligd version")                                                          \
	F(u32, n_msgs, "number of messages ligd knows")                                            \
	F(u32, pid, "ligd's process id")

#define LIG_VLIB_API_MSG_TABLE_DETAILS(F, A, V)                                                    \
	F(u16, msg_id, "message id")                                                               \
	F(u32, crc, "layout CRC")                                                                  \
	F(str64, name, "message name")

#define LIG_VLIB_API_WANT_EVENTS(F, A, V)                                                          \
	F(u16, event_id, "id of an EVENT message (0: every event)")                                \
	F(bool, enable, "1 subscribes, 0 unsubscribes")

#define LIG_VLIB_API_MSGS(M)                                                                       \
	M(api_version, 0x0001, REQUEST, LIG_API_NONE, LIG_VLIB_API_VERSION_REPLY,                  \
	  "ligd's version and the size of its message table")                                      \
	M(api_msg_table, 0x0002, DUMP, LIG_API_NONE, LIG_VLIB_API_MSG_TABLE_DETAILS,               \
	  "every message ligd knows, with its layout CRC: a client checks its own table "          \
	  "against it at connect")                                                                 \
	M(want_events, 0x0003, REQUEST, LIG_VLIB_API_WANT_EVENTS, LIG_API_NONE,                    \
	  "subscribes this connection to an event (or all of them)")                               \
	M(control_ping, 0x0004, REQUEST, LIG_API_NONE, LIG_API_NONE, "does nothing: a round trip")

#define LIG_VLIB_API_TYPES(T)

LIG_VLIB_API_MSGS(LIG_API_DECLARE)

#endif
