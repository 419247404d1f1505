/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: what the L2 and L3 descriptor files share (vpp_l2.c bridge domains, vpp_l2_fib.c,
 * vpp_xconnect.c, vpp_vrf.c, vpp_l3.c routes, vpp_arp.c): bridge-domain ids and tags, copies of
 * dump details, interface names by index for a retrieve, a string map, address text. */
#ifndef LIGAGENT_VPP_L2L3_H
#define LIGAGENT_VPP_L2L3_H

#include <stdbool.h>
#include <stddef.h>

#include "agent.h"

/* Derived keys of bridge domains: vpp-agent's membership key vpp/bd/<bd>/interface/<if>, and
 * one key per ARP-termination entry, vpp/bd-arp/<bd>/<ip> (our own: vpp-agent keeps the table
 * inside the bridge domain's value). */
#define L23_BD_IF_PREFIX "vpp/bd/"
#define L23_BD_IF_MID "/interface/"
#define L23_BD_ARP_PREFIX "vpp/bd-arp/"

/* Bridge-domain ids. ligd numbers bridge domains (1..16777214) and keeps a tag (bd_tag, as
 * VPP): a domain is the agent's when its tag is its vpp-agent name (written with %XX escapes
 * where ligd's tags cannot hold a byte: printable ASCII but '"', '%' escaped). The agent
 * allocates ids (the lowest id neither in ligd nor remembered for another name) and remembers
 * each name's id for its lifetime; retrieve binds the names read from tags (and the names it
 * gives untagged domains) to their ids and tells which ids ligd has. */
#define L23_BD_ID_MAX 16777214u
/* The id of bridge domain name: true with *id when it has one. */
bool l23_bd_id_find(const char *name, u32 *id);
/* The id of name, allocated when it has none: 0, -ENOSPC or -ENOMEM. */
int l23_bd_id_alloc(const char *name, u32 *id);
/* name is id (retrieve); the id's and the name's other bindings are dropped. 0 or -ENOMEM. */
int l23_bd_id_bind(const char *name, u32 id);
/* Drops name's binding (its id was taken by a domain made outside the agent). */
void l23_bd_id_forget(const char *name);
/* The name bound to id, or NULL. */
const char *l23_bd_name_of(u32 id);
/* Whether ligd has id: set by retrieve (after l23_bd_ids_used_reset), create and delete. */
void l23_bd_id_used(u32 id, bool used);
void l23_bd_ids_used_reset(void);
/* Whether the domain with id is the agent's (tagged: created by it or retrieved with a tag). */
void l23_bd_id_set_ours(u32 id, bool ours);
bool l23_bd_id_ours(u32 id);
/* The name retrieve gives an untagged ligd bridge domain (OBTAINED). */
void l23_bd_fallback_name(u32 bd_id, char *buf, size_t n);
/* The membership key of interface iface in bridge domain bd. */
void l23_bd_if_key(char *buf, size_t n, const char *bd, const char *iface);

/* Copies of a dump's details messages (each size bytes, at least min). */
struct l23_dump {
	void **d;
	u32 *size;
	size_t n, cap;
	u32 min;
	bool oom;
};
/* lig_api_details_cb_t: copies one details message into the l23_dump ctx. */
bool l23_dump_cb(void *ctx, const void *details, u32 size);
void l23_dump_free(struct l23_dump *x);

/* The vpp-agent names of ligd's interfaces for one retrieve: one sw_interface_dump, then each
 * index's name looked up once (through agent_if_name_of). */
struct l23_ifnames {
	struct agent_if_dump ifs;
	struct l23_ifname {
		u32 idx;
		char *name; /* NULL: unknown */
	} * v;
	size_t n, cap;
};
int l23_ifnames_init(struct l23_ifnames *in);
/* The name of sw_if_index idx, NULL when ligd has no such interface. Valid until free. */
const char *l23_ifname(struct l23_ifnames *in, u32 idx);
/* Whether ligd's interface idx is the agent's (it has a tag: the agent tags what it makes). */
bool l23_if_ours(const struct l23_ifnames *in, u32 idx);
void l23_ifnames_free(struct l23_ifnames *in);

/* A map of strings (copied) to pointers (the caller's), open addressing. */
struct l23_map {
	struct l23_map_slot {
		char *key;
		void *val;
	} * slot;
	size_t n, cap;
};
/* Sets key to val (replacing). 0 or -ENOMEM. */
int l23_map_put(struct l23_map *m, const char *key, void *val);
/* true with *val when key is there (val may be NULL). */
bool l23_map_get(const struct l23_map *m, const char *key, void **val);
/* Frees the keys, and each value with free_val when not NULL. */
void l23_map_free(struct l23_map *m, void (*free_val)(void *));

/* Text of an IPv4 address in network order ("10.0.0.1"), buf of 16 bytes at least. */
const char *l23_ip4_text(char *buf, size_t n, lig_api_ip4_t a);
/* The address of s (dotted quad, as the models validate it) in network order: 0 or -EINVAL. */
int l23_ip4(const char *s, lig_api_ip4_t *a);
/* Canonical text of a MAC ("02:00:00:00:00:01"), or "" when s does not parse. */
const char *l23_mac_text(char *buf, size_t n, const char *s);

#endif
