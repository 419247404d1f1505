/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VXLAN control plane: tunnel create/delete (the one function every front end calls:
 * the API handler in api.c, so the CLI and the tests too), the decap lookup table and the
 * "vxlan" interface class.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../infra/hash64.h"
#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "vxlan.h"

struct lig_vxlan_main lig_vxlan_main;

/* Decap: vni << 32 | remote (network order) -> instance; the local end is checked after. */
static struct lig_hash64 vxlan_decap;

static inline u64
decap_key(u32 remote, u32 vni)
{
	return (u64)vni << 32 | remote;
}

struct lig_vxlan_tunnel *
lig_vxlan_tunnel_to(u32 remote, u32 vni)
{
	struct lig_hash64_slot *s = lig_hash64_lookup(&vxlan_decap, decap_key(remote, vni));

	return s ? &lig_vxlan_main.tunnels[s->value] : NULL;
}

struct lig_vxlan_tunnel *
lig_vxlan_tunnel_lookup(u32 local, u32 remote, u32 vni)
{
	struct lig_vxlan_tunnel *t = lig_vxlan_tunnel_to(remote, vni);

	return t && t->src == local ? t : NULL;
}

static void
vxlan_destroy(struct lig_interface *ifp)
{
	struct lig_vxlan_tunnel *t;

	if (ifp->dev_instance >= LIG_VXLAN_MAX_TUNNELS)
		return;
	t = &lig_vxlan_main.tunnels[ifp->dev_instance];
	lig_hash64_del(&vxlan_decap, decap_key(t->dst, t->vni));
	if (t->in_use)
		lig_fib_main.tables[t->encap_fib_index].n_interfaces--;
	memset(t, 0, sizeof(*t));
}

static int
vxlan_admin(struct lig_interface *ifp, bool up)
{
	lig_if_set_link(ifp->sw_if_index, up); /* a tunnel has no carrier of its own */
	return 0;
}

static void
vxlan_format_hw(struct lig_str *s, const struct lig_interface *ifp)
{
	const struct lig_vxlan_tunnel *t = &lig_vxlan_main.tunnels[ifp->dev_instance];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->src, a, sizeof(a));
	inet_ntop(AF_INET, &t->dst, b, sizeof(b));
	lig_str_printf(s, "    VXLAN tunnel: src %s dst %s vni %u\n", a, b, t->vni);
}

static const struct lig_if_class lig_vxlan_class = {
    .name = "vxlan",
    .tx_node_name = "vxlan4-encap",
    .admin_up_down = vxlan_admin,
    .format_hw = vxlan_format_hw,
    .destroy = vxlan_destroy,
};

/* Fills the outer headers that never change for a tunnel. */
static void
vxlan_build_rewrite(struct lig_vxlan_tunnel *t)
{
	struct lig_ip4_header *ip = (void *)t->rewrite;
	struct lig_udp_header *udp = (void *)(ip + 1);
	struct lig_vxlan_header *vx = (void *)(udp + 1);

	memset(t->rewrite, 0, sizeof(t->rewrite));
	ip->ver_ihl = 0x45;
	ip->ttl = 254;
	ip->proto = LIG_IP_PROTO_UDP;
	ip->frag = htons(LIG_IP4_DF);
	ip->src = t->src;
	ip->dst = t->dst;
	udp->dst_port = htons(LIG_VXLAN_UDP_PORT);
	vx->flags = 0x08;
	vx->vni[0] = (u8)(t->vni >> 16);
	vx->vni[1] = (u8)(t->vni >> 8);
	vx->vni[2] = (u8)t->vni;
}

int
lig_vxlan_add_del_tunnel(const struct lig_vxlan_tunnel_args *a, u32 *sw_if_index)
{
	struct lig_vxlan_main *vm = &lig_vxlan_main;
	struct lig_hash64_slot *s;
	struct lig_vxlan_tunnel *t;
	u32 fi, inst;
	u8 mac[6];
	char name[LIG_IF_NAME_SIZE];
	int rv;

	if (a->vni > LIG_VXLAN_VNI_MAX || a->src == a->dst || !a->src || !a->dst)
		return -EINVAL;
	s = lig_hash64_lookup(&vxlan_decap, decap_key(a->dst, a->vni));
	if (!a->is_add) {
		if (!s || vm->tunnels[s->value].src != a->src)
			return -ENOENT;
		if (sw_if_index)
			*sw_if_index = vm->tunnels[s->value].sw_if_index;
		return lig_if_delete(vm->tunnels[s->value].sw_if_index);
	}
	if (((const u8 *)&a->src)[0] >= 224 || ((const u8 *)&a->dst)[0] >= 224)
		return -EINVAL; /* multicast underlay is not supported */
	if (a->decap_next != LIG_VXLAN_DECAP_NEXT_L2)
		return -EINVAL;
	if (s)
		return -EEXIST;
	fi = lig_fib_table_find(a->encap_table_id);
	if (fi == LIG_INVALID_INDEX)
		return -ENOENT;
	inst = a->instance;
	if (inst == LIG_INVALID_INDEX) {
		for (inst = 0; inst < LIG_VXLAN_MAX_TUNNELS && vm->tunnels[inst].in_use; inst++)
			;
	}
	if (inst >= LIG_VXLAN_MAX_TUNNELS)
		return -ENOSPC;
	if (vm->tunnels[inst].in_use)
		return -EEXIST;
	snprintf(name, sizeof(name), "vxlan_tunnel%u", inst);
	lig_if_random_mac(mac);
	struct lig_interface *ifp = lig_if_create(&lig_vxlan_class, name, NULL, mac);
	if (!ifp)
		return -errno;
	t = &vm->tunnels[inst];
	memset(t, 0, sizeof(*t));
	t->src = a->src;
	t->dst = a->dst;
	t->vni = a->vni;
	t->encap_fib_index = fi;
	t->sw_if_index = ifp->sw_if_index;
	t->instance = inst;
	t->in_use = 1;
	/* The encap VRF cannot be deleted under the tunnel. */
	lig_fib_main.tables[fi].n_interfaces++;
	vxlan_build_rewrite(t);
	ifp->dev_instance = inst;
	rv = lig_hash64_set(&vxlan_decap, decap_key(a->dst, a->vni), inst);
	if (rv < 0) {
		lig_if_delete(ifp->sw_if_index);
		return rv;
	}
	lig_if_set_admin(ifp->sw_if_index, true);
	if (sw_if_index)
		*sw_if_index = ifp->sw_if_index;
	return 0;
}

static int
lig_vxlan_init(void)
{
	int rv = lig_hash64_init(&vxlan_decap, LIG_VXLAN_MAX_TUNNELS);
	if (rv == 0)
		rv = lig_ip4_register_udp_port(LIG_VXLAN_UDP_PORT, "vxlan4-input");
	return rv;
}

/* After ip4 (its UDP port table, the encap FIB) and l2 (tunnels are bridge ports). */
LIG_MODULE(vxlan, .init = lig_vxlan_init, .depends = {"interface", "ip4_fib", "ip4", "l2"});
