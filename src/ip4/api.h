/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 messages (module 0x07): VRF tables, the IPv4 side of interfaces (table, addresses,
 * proxy ARP), routes with their paths (one at a time, or in bulk), neighbours (ARP) and
 * neighbour aging. Addresses are network order (type ip4), prefix lengths 0..32.
 *
 * Routes of three sources live in a table: "api" (configured here or with ip route),
 * "interface" (the connected and local routes of addresses) and "adjacency" (host
 * routes of resolved neighbours). Only api routes are configuration; the other two are
 * derived and appear in dumps for visibility (dump with source 2 to see the
 * configuration only).
 */
#ifndef LIG_IP4_API_H
#define LIG_IP4_API_H

#include "../vlib/api_msg.h"

/* Path and route item types, in the order of enum lig_fib_path_type. */
#define LIG_IP4_API_PATH_NEXT_HOP 0
#define LIG_IP4_API_PATH_ATTACHED 1
#define LIG_IP4_API_PATH_DROP 2
#define LIG_IP4_API_PATH_LOCAL 3

#define LIG_IP4_API_PATH(F, A, V)                                                                  \
	F(u8, type,                                                                                \
	  "0 next hop (nh, and sw_if_index or ~0 to find the interface through the table), "       \
	  "1 attached (sw_if_index: destinations resolved by ARP on it), 2 drop, 3 local")         \
	F(u8, weight, "share of the ECMP buckets, 1..255 (0 is taken as 1)")                       \
	F(ip4, nh, "next hop (type 0), else 0")                                                    \
	F(u32, sw_if_index, "outgoing interface (types 0 and 1), else ~0")

/* One single-path route of a bulk request: 14 bytes, no field the server has to check
 * one by one, so a 1 MiB message carries about 74 900 routes. */
#define LIG_IP4_API_ROUTE_ITEM(F, A, V)                                                            \
	F(ip4, address, "prefix address (host bits are cleared)")                                  \
	F(u8, len, "prefix length, 0..32")                                                         \
	F(u8, type, "path type, as in ip4_path (weight 1)")                                        \
	F(ip4, nh, "next hop (type 0)")                                                            \
	F(u32, sw_if_index, "outgoing interface, or ~0 (type 0: through the table)")

#define LIG_IP4_API_TYPES(T)                                                                       \
	T(ip4_path, LIG_IP4_API_PATH, "one path of a route")                                       \
	T(ip4_route_item, LIG_IP4_API_ROUTE_ITEM, "a single-path route of a bulk request")

/* VRF tables. */
#define LIG_IP4_API_TABLE_ADD_DEL(F, A, V)                                                         \
	F(u32, table_id, "the table (VRF) id; table 0 always exists")                              \
	F(bool, is_add,                                                                            \
	  "1 creates (if it exists: only a non-empty name is set), 0 deletes it and its routes")   \
	F(str64, name,                                                                             \
	  "add: the client's name for it (VPP's table name, vpp-agent's VRF label): up to 63 of "  \
	  "printable ASCII but '\"'; empty: none (or unchanged)")

#define LIG_IP4_API_TABLE_DETAILS(F, A, V)                                                         \
	F(u32, table_id, "the table (VRF) id")                                                     \
	F(u32, n_routes, "(state) routes of every source in it")                                   \
	F(str64, name, "its name (empty: none)")

/* The IPv4 side of interfaces. */
#define LIG_IP4_API_SET_TABLE(F, A, V)                                                             \
	F(u32, sw_if_index, "the interface (it must have no address)")                             \
	F(u32, table_id, "an existing table")

#define LIG_IP4_API_ADD_DEL_ADDRESS(F, A, V)                                                       \
	F(u32, sw_if_index, "the interface")                                                       \
	F(ip4, address, "the address")                                                             \
	F(u8, len, "prefix length, 1..32")                                                         \
	F(bool, is_add, "1 adds, 0 deletes (address and length must match)")

#define LIG_IP4_API_SET_PROXY_ARP(F, A, V)                                                         \
	F(u32, sw_if_index, "the interface")                                                       \
	F(bool, enable, "answer ARP for destinations routed out of other interfaces")

#define LIG_IP4_API_INTERFACE_DUMP(F, A, V)                                                        \
	F(u32, sw_if_index, "one interface, or 0 for every interface")

#define LIG_IP4_API_INTERFACE_DETAILS(F, A, V)                                                     \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, table_id, "its table (VRF)")                                                        \
	F(bool, proxy_arp, "proxy ARP enabled")                                                    \
	F(u8, n_addresses, "(state) how many addresses it has (ip_address_dump lists them)")

#define LIG_IP4_API_ADDRESS_DUMP(F, A, V)                                                          \
	F(u32, sw_if_index, "one interface's addresses, or 0 for every interface")

#define LIG_IP4_API_ADDRESS_DETAILS(F, A, V)                                                       \
	F(u32, sw_if_index, "the interface")                                                       \
	F(ip4, address, "the address")                                                             \
	F(u8, len, "its prefix length")

/* Routes. */
#define LIG_IP4_API_ROUTE_ADD_DEL(F, A, V)                                                         \
	F(u32, table_id, "the table (VRF)")                                                        \
	F(ip4, address, "prefix address (host bits are cleared)")                                  \
	F(u8, len, "prefix length, 0..32")                                                         \
	F(bool, is_add, "1 adds or changes the route, 0 deletes paths or the route")               \
	F(bool, is_multipath,                                                                      \
	  "add: 1 adds these paths to the route's, 0 makes them the route's only paths; "          \
	  "del: ignored")                                                                          \
	V(ip4_path, paths, "1..16 paths to add; del: the paths to remove, none to remove the route")

#define LIG_IP4_API_ROUTE_BULK(F, A, V)                                                            \
	F(u32, table_id, "the table (VRF) of every route")                                         \
	F(bool, is_add, "1 sets each route to its one path, 0 deletes each route")                 \
	V(ip4_route_item, routes, "the routes, applied in order")

#define LIG_IP4_API_ROUTE_BULK_REPLY(F, A, V)                                                      \
	F(u32, n_done,                                                                             \
	  "routes applied; on an error the first n_done were applied and the error names "         \
	  "route n_done (counting from 0), the rest were not tried")

#define LIG_IP4_API_ROUTE_DUMP(F, A, V)                                                            \
	F(bool, by_table, "1: only the routes of table_id")                                        \
	F(u32, table_id, "the table, when by_table")                                               \
	F(u8, source, "0 every source, 1 adjacency, 2 api (the configured routes), 3 interface")

#define LIG_IP4_API_ROUTE_DETAILS(F, A, V)                                                         \
	F(u32, table_id, "the table (VRF)")                                                        \
	F(ip4, address, "prefix address")                                                          \
	F(u8, len, "prefix length")                                                                \
	F(u8, source, "1 adjacency (a resolved neighbour), 2 api, 3 interface (connected, local)") \
	V(ip4_path, paths, "its paths (a resolved neighbour: its next hop and interface)")

/* Neighbours. */
#define LIG_IP4_API_NEIGHBOR_ADD_DEL(F, A, V)                                                      \
	F(u32, sw_if_index, "the interface")                                                       \
	F(ip4, address, "the neighbour's address")                                                 \
	F(mac, mac, "its MAC (unicast); del: ignored")                                             \
	F(bool, is_static, "never aged nor replaced by what ARP learns")                           \
	F(bool, is_add, "1 adds or updates, 0 deletes")

#define LIG_IP4_API_NEIGHBOR_DUMP(F, A, V)                                                         \
	F(u32, sw_if_index, "one interface's neighbours, or 0 for every interface")                \
	F(bool, static_only, "1: only static entries (the configured ones)")

#define LIG_IP4_API_NEIGHBOR_DETAILS(F, A, V)                                                      \
	F(u32, sw_if_index, "the interface")                                                       \
	F(ip4, address, "the neighbour's address")                                                 \
	F(mac, mac, "its MAC")                                                                     \
	F(bool, is_static, "configured; 0: learned by ARP (state, not configuration)")             \
	F(u64, age_ns, "(state) nanoseconds since it was added, learned or refreshed")

#define LIG_IP4_API_NEIGHBOR_CONFIG(F, A, V)                                                       \
	F(u32, age_seconds, "learned neighbours are forgotten after this long; 0: never")

#define LIG_IP4_API_MSGS(M)                                                                        \
	M(ip_table_add_del, 0x0701, REQUEST, LIG_IP4_API_TABLE_ADD_DEL, LIG_API_NONE,              \
	  "creates or deletes a VRF table; a table bound to an interface with addresses or "       \
	  "used by a tunnel cannot be deleted")                                                    \
	M(ip_table_dump, 0x0702, DUMP, LIG_API_NONE, LIG_IP4_API_TABLE_DETAILS,                    \
	  "the VRF tables, table 0 first")                                                         \
	M(sw_interface_set_table, 0x0703, REQUEST, LIG_IP4_API_SET_TABLE, LIG_API_NONE,            \
	  "binds an interface to a VRF table")                                                     \
	M(sw_interface_add_del_address, 0x0704, REQUEST, LIG_IP4_API_ADD_DEL_ADDRESS,              \
	  LIG_API_NONE,                                                                            \
	  "adds or deletes an IPv4 address of an interface, with its connected and local "         \
	  "routes")                                                                                \
	M(sw_interface_set_proxy_arp, 0x0705, REQUEST, LIG_IP4_API_SET_PROXY_ARP, LIG_API_NONE,    \
	  "enables or disables proxy ARP on an interface")                                         \
	M(ip_interface_dump, 0x0706, DUMP, LIG_IP4_API_INTERFACE_DUMP,                             \
	  LIG_IP4_API_INTERFACE_DETAILS, "the IPv4 settings of interfaces: table, proxy ARP")      \
	M(ip_address_dump, 0x070e, DUMP, LIG_IP4_API_ADDRESS_DUMP, LIG_IP4_API_ADDRESS_DETAILS,    \
	  "IPv4 addresses, by interface, each interface's in the order they were added")           \
	M(ip_route_add_del, 0x0707, REQUEST, LIG_IP4_API_ROUTE_ADD_DEL, LIG_API_NONE,              \
	  "adds, changes or deletes one route with up to 16 paths (ECMP by weight)")               \
	M(ip_route_add_del_bulk, 0x0708, REQUEST, LIG_IP4_API_ROUTE_BULK,                          \
	  LIG_IP4_API_ROUTE_BULK_REPLY,                                                            \
	  "sets or deletes many single-path routes of one table; not atomic: n_done says how "     \
	  "far it got")                                                                            \
	M(ip_route_dump, 0x0709, DUMP, LIG_IP4_API_ROUTE_DUMP, LIG_IP4_API_ROUTE_DETAILS,          \
	  "routes with all their paths; streams any number of routes")                             \
	M(ip_neighbor_add_del, 0x070a, REQUEST, LIG_IP4_API_NEIGHBOR_ADD_DEL, LIG_API_NONE,        \
	  "adds, updates or deletes a neighbour (ARP entry)")                                      \
	M(ip_neighbor_dump, 0x070b, DUMP, LIG_IP4_API_NEIGHBOR_DUMP, LIG_IP4_API_NEIGHBOR_DETAILS, \
	  "neighbours, static and learned")                                                        \
	M(ip_neighbor_config, 0x070c, REQUEST, LIG_IP4_API_NEIGHBOR_CONFIG, LIG_API_NONE,          \
	  "sets neighbour aging")                                                                  \
	M(ip_neighbor_config_dump, 0x070d, DUMP, LIG_API_NONE, LIG_IP4_API_NEIGHBOR_CONFIG,        \
	  "the neighbour aging setting (one details)")

LIG_IP4_API_TYPES(LIG_API_DECLARE_TYPE)
LIG_IP4_API_MSGS(LIG_API_DECLARE)

#endif
