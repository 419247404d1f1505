/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: the agent values (vpp-agent v3 protojson, proto field names, defaults left out).
 * Keys are not built here: the finaliser (render.c) decodes each value with lig-agent's own
 * models and builds the key from it, so a value the agent would refuse never leaves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *
rx_mode_name(enum sfc_rx_mode m)
{
	switch (m) {
	case SFC_RX_POLLING:
		return "POLLING";
	case SFC_RX_INTERRUPT:
		return "INTERRUPT";
	case SFC_RX_ADAPTIVE:
		return "ADAPTIVE";
	default:
		return NULL;
	}
}

int
emit_vpp_if(struct rctx *c, const char *label, const struct vif *v)
{
	struct sb b = {0};
	struct jo o, l;
	jo_open(&o, &b);
	jo_str(&o, "name", v->name);
	jo_str(&o, "type", v->type);
	jo_bool(&o, "enabled", v->enabled);
	jo_str(&o, "phys_address", v->mac);
	jo_strs(&o, "ip_addresses", v->ips, v->n_ips);
	jo_u32(&o, "vrf", v->vrf);
	jo_u32(&o, "mtu", v->mtu);
	if (!strcmp(v->type, "MEMIF")) {
		const char *rx = rx_mode_name(v->rx_mode);
		if (rx) {
			jo_key(&o, "rx_modes");
			sb_printf(&b, "[{\"mode\":\"%s\",\"default_mode\":true}]", rx);
		}
		jo_key(&o, "memif");
		jo_open(&l, &b);
		jo_bool(&l, "master", v->master);
		if (v->memif && v->memif->mode == SFC_MEMIF_MODE_IP)
			jo_str(&l, "mode", "IP");
		else if (v->memif && v->memif->mode == SFC_MEMIF_MODE_PUNTINJECT)
			jo_str(&l, "mode", "PUNT_INJECT");
		jo_u32(&l, "id", v->memif_id);
		jo_str(&l, "socket_filename", v->socket);
		if (v->memif) {
			jo_str(&l, "secret", v->memif->secret);
			jo_u32(&l, "ring_size", v->memif->ring_size);
			jo_u32(&l, "buffer_size", v->memif->buffer_size);
			jo_u32(&l, "rx_queues", v->memif->rx_queues);
			jo_u32(&l, "tx_queues", v->memif->tx_queues);
		}
		jo_close(&l);
	} else if (!strcmp(v->type, "AF_PACKET")) {
		jo_key(&o, "afpacket");
		jo_open(&l, &b);
		jo_str(&l, "host_if_name", v->host_if_name);
		jo_close(&l);
	} else if (!strcmp(v->type, "TAP")) {
		jo_key(&o, "tap");
		jo_open(&l, &b);
		jo_u32(&l, "version", 2);
		jo_str(&l, "host_if_name", v->host_if_name);
		jo_str(&l, "to_microservice", v->to_microservice);
		jo_close(&l);
	} else if (!strcmp(v->type, "VXLAN_TUNNEL")) {
		jo_key(&o, "vxlan");
		jo_open(&l, &b);
		jo_str(&l, "src_address", v->src);
		jo_str(&l, "dst_address", v->dst);
		jo_u32(&l, "vni", v->vni);
		jo_close(&l);
	}
	jo_close(&o);
	if (!strcmp(v->type, "VXLAN_TUNNEL")) {
		char k[256];
		snprintf(k, sizeof(k), "%s|%s|%s|%u", label, v->src ? v->src : "",
			 v->dst ? v->dst : "", v->vni);
		char **nk = realloc(c->vx_key, (c->n_vx + 1) * sizeof(*nk));
		if (nk)
			c->vx_key = nk;
		char **nn = realloc(c->vx_name, (c->n_vx + 1) * sizeof(*nn));
		if (nn)
			c->vx_name = nn;
		if (!nk || !nn || !(nk[c->n_vx] = strdup(k))) {
			c->oom = true;
			sb_free(&b);
			return -1;
		}
		if (!(nn[c->n_vx] = strdup(v->name))) {
			free(nk[c->n_vx]);
			c->oom = true;
			sb_free(&b);
			return -1;
		}
		c->n_vx++;
	}
	return emit(c, label, LIG_MODEL_VPP_INTERFACE, sb_take(&b));
}

static int
emit_xconnect(struct rctx *c, const char *label, const char *rx, const char *tx)
{
	struct sb b = {0};
	struct jo o;
	jo_open(&o, &b);
	jo_str(&o, "receive_interface", rx);
	jo_str(&o, "transmit_interface", tx);
	jo_close(&o);
	return emit(c, label, LIG_MODEL_VPP_XCONNECT, sb_take(&b));
}

int
emit_xconnect_pair(struct rctx *c, const char *label, const char *if1, const char *if2)
{
	if (emit_xconnect(c, label, if1, if2) < 0 || emit_xconnect(c, label, if2, if1) < 0)
		return -1;
	return 0;
}

/* "a.b.c.d[/n]" -> the network "w.x.y.z/n" (a bare address is /32). */
static int
network_of(struct rctx *c, const char *what, const char *s, char *buf, size_t size)
{
	uint32_t a;
	uint8_t len;
	if (ip4_parse_any(s, &a, &len) < 0)
		return rerr(c, "%s '%s': not an IPv4 address or prefix (lig-agent is IPv4 only)",
			    what, s ? s : "");
	uint32_t mask = len ? ~0u << (32 - len) : 0;
	char ip[16];
	ip4_fmt(ip, sizeof(ip), a & mask);
	snprintf(buf, size, "%s/%u", ip, len);
	return 0;
}

/* "a.b.c.d[/n]" -> "a.b.c.d" (sfc-controller's StripSlashAndSubnetIPAddress). */
static int
addr_of(struct rctx *c, const char *what, const char *s, char *buf, size_t size)
{
	uint32_t a;
	if (ip4_parse_any(s, &a, NULL) < 0)
		return rerr(c, "%s '%s': not an IPv4 address (lig-agent is IPv4 only)", what,
			    s ? s : "");
	ip4_fmt(buf, size, a);
	return 0;
}

int
emit_route(struct rctx *c, const char *label, uint32_t vrf, const char *dst, const char *next_hop,
	   const char *oif, uint32_t weight)
{
	char net[32], gw[16] = "";
	if (network_of(c, "route destination", dst, net, sizeof(net)) < 0)
		return -1;
	if (!str_empty(next_hop) && addr_of(c, "route next hop", next_hop, gw, sizeof(gw)) < 0)
		return -1;
	if (vrf && emit_vrf_table(c, label, vrf) < 0)
		return -1;
	struct sb b = {0};
	struct jo o;
	jo_open(&o, &b);
	jo_u32(&o, "vrf_id", vrf);
	jo_str(&o, "dst_network", net);
	jo_str(&o, "next_hop_addr", gw);
	jo_str(&o, "outgoing_interface", oif);
	jo_u32(&o, "weight", weight);
	jo_close(&o);
	return emit(c, label, LIG_MODEL_VPP_ROUTE, sb_take(&b));
}

int
emit_host_route(struct rctx *c, const char *label, uint32_t vrf, const char *ip, const char *oif)
{
	char a[16], dst[24];
	if (addr_of(c, "route destination", ip, a, sizeof(a)) < 0)
		return -1;
	snprintf(dst, sizeof(dst), "%s/32", a);
	return emit_route(c, label, vrf, dst, NULL, oif, 0);
}

int
emit_arp(struct rctx *c, const char *label, const char *ifname, const char *ip, const char *mac)
{
	char a[16];
	if (addr_of(c, "ARP address", ip, a, sizeof(a)) < 0)
		return -1;
	struct sb b = {0};
	struct jo o;
	jo_open(&o, &b);
	jo_str(&o, "interface", ifname);
	jo_str(&o, "ip_address", a);
	jo_str(&o, "phys_address", mac);
	jo_bool(&o, "static", true);
	jo_close(&o);
	return emit(c, label, LIG_MODEL_VPP_ARP, sb_take(&b));
}

int
emit_vrf_table(struct rctx *c, const char *label, uint32_t vrf)
{
	struct sb b = {0};
	sb_printf(&b, "{\"id\":%u}", vrf);
	return emit(c, label, LIG_MODEL_VPP_VRF_TABLE, sb_take(&b));
}

static void
ns_json(struct jo *o, const struct lif *v)
{
	const char *type = NULL, *ref = NULL;
	char pid[16];
	if (v->ns) {
		switch (v->ns->type) {
		case SFC_NS_MICROSERVICE:
			type = "MICROSERVICE";
			ref = v->ns->microservice;
			break;
		case SFC_NS_NAMED:
			type = "NSID";
			ref = v->ns->name;
			break;
		case SFC_NS_PID:
			type = "PID";
			snprintf(pid, sizeof(pid), "%u", v->ns->pid);
			ref = pid;
			break;
		case SFC_NS_FILE:
			type = "FD";
			ref = v->ns->filepath;
			break;
		default:
			break;
		}
	} else if (v->ns_microservice) {
		type = "MICROSERVICE";
		ref = v->ns_microservice;
	}
	if (!type)
		return;
	jo_key(o, "namespace");
	struct jo n;
	jo_open(&n, o->b);
	jo_str(&n, "type", type);
	jo_key(&n, "reference");
	sb_jstr(o->b, ref);
	jo_close(&n);
}

int
emit_linux_if(struct rctx *c, const char *label, const struct lif *v)
{
	struct sb b = {0};
	struct jo o, l;
	jo_open(&o, &b);
	jo_str(&o, "name", v->name);
	jo_str(&o, "type", v->type);
	ns_json(&o, v);
	jo_str(&o, "host_if_name", v->host_if_name);
	jo_bool(&o, "enabled", v->enabled);
	jo_strs(&o, "ip_addresses", v->ips, v->n_ips);
	jo_str(&o, "phys_address", v->mac);
	jo_u32(&o, "mtu", v->mtu);
	if (v->peer) {
		jo_key(&o, "veth");
		jo_open(&l, &b);
		jo_str(&l, "peer_if_name", v->peer);
		jo_close(&l);
	}
	if (v->vpp_tap) {
		jo_key(&o, "tap");
		jo_open(&l, &b);
		jo_str(&l, "vpp_tap_if_name", v->vpp_tap);
		jo_close(&l);
	}
	jo_close(&o);
	return emit(c, label, LIG_MODEL_LINUX_INTERFACE, sb_take(&b));
}

int
emit_linux_route(struct rctx *c, const char *label, const char *dst, const char *gw,
		 const char *oif)
{
	char net[32], g[16] = "";
	if (network_of(c, "route destination", dst, net, sizeof(net)) < 0)
		return -1;
	if (!str_empty(gw) && addr_of(c, "route next hop", gw, g, sizeof(g)) < 0)
		return -1;
	struct sb b = {0};
	struct jo o;
	jo_open(&o, &b);
	jo_str(&o, "outgoing_interface", oif);
	jo_str(&o, "dst_network", net);
	jo_str(&o, "gw_addr", g);
	jo_close(&o);
	return emit(c, label, LIG_MODEL_LINUX_ROUTE, sb_take(&b));
}

int
emit_linux_arp(struct rctx *c, const char *label, const char *ifname, const char *ip,
	       const char *mac)
{
	char a[16];
	if (addr_of(c, "ARP address", ip, a, sizeof(a)) < 0)
		return -1;
	struct sb b = {0};
	struct jo o;
	jo_open(&o, &b);
	jo_str(&o, "interface", ifname);
	jo_str(&o, "ip_address", a);
	jo_str(&o, "hw_address", mac);
	jo_close(&o);
	return emit(c, label, LIG_MODEL_LINUX_ARP, sb_take(&b));
}
