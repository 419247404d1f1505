/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to sfc/render: the render context shared by the per-concern files. */
#ifndef LIG_SFC_RENDER_INTERNAL_H
#define LIG_SFC_RENDER_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lig_models.h"
#include "sfc_model.h"
#include "sfc_render.h"

/* ---- util.c ---- */

/* A growing string; oom is sticky (every append after a failure is a no-op). */
struct sb {
	char *p;
	size_t n, cap;
	bool oom;
	/* VXLAN tunnels of the object: "<label>|<src>|<dst>|<vni>" and the interface name, so
	 * two tunnels ligd cannot both hold (same endpoints and VNI) are caught here */
	char **vx_key, **vx_name;
	size_t n_vx;
};
void sb_free(struct sb *b);
void sb_putn(struct sb *b, const char *s, size_t n);
void sb_puts(struct sb *b, const char *s);
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_jstr(struct sb *b, const char *s); /* a JSON string literal (escaped) */
/* Takes the text (NUL-terminated) out of b; NULL on out of memory. */
char *sb_take(struct sb *b);

/* JSON object writer over an sb: fields are written only when not the proto3 default. */
struct jo {
	struct sb *b;
	bool first;
};
void jo_open(struct jo *o, struct sb *b); /* '{' */
void jo_close(struct jo *o);		  /* '}' */
void jo_key(struct jo *o, const char *k); /* "k": (then the caller writes the value) */
void jo_str(struct jo *o, const char *k, const char *v);	     /* skipped when NULL or "" */
void jo_u32(struct jo *o, const char *k, uint32_t v);		     /* skipped when 0 */
void jo_bool(struct jo *o, const char *k, bool v);		     /* skipped when false */
void jo_strs(struct jo *o, const char *k, char *const *v, size_t n); /* skipped when n == 0 */

uint32_t fnv1a32(const char *s);
char *xstrdup(const char *s); /* NULL -> NULL; sets errno */
bool str_empty(const char *s);
int str_cmp(const char *a, const char *b); /* NULL sorts as "" */

/* A logical name for the agent (vpp-agent's limit, LIG_MODEL_NAME_MAX): formatted into buf
 * (size >= LIG_MODEL_NAME_MAX + 1); a longer name keeps its first 54 bytes and ends in
 * "-<8 hex of FNV-1a 32 of the whole name>" (deterministic, unique in practice). */
void rname(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* sfc-controller's constructBaseHostName: a Linux interface name (<= 15 bytes) from the pod
 * and port names. */
void base_host_name(char *buf, size_t size, const char *pod, const char *port);

/* IPv4 helpers. "a.b.c.d" or "a.b.c.d/n" -> host-order address (and length: 32 without). */
int ip4_parse_any(const char *s, uint32_t *addr, uint8_t *len);
void ip4_fmt(char *buf, size_t size, uint32_t addr);

/* Open-addressing map string -> size_t (keys are copied). */
struct smap {
	char **k;
	size_t *v;
	size_t cap, n;
};
void smap_free(struct smap *m);
void smap_clear(struct smap *m);
int smap_put(struct smap *m, const char *k, size_t v); /* replaces; 0 or -ENOMEM */
bool smap_get(const struct smap *m, const char *k, size_t *v);

/* ---- alloc.c ---- */

enum alloc_kind {
	AK_MAC,	   /* key "<parent>/<if>", value the MAC id (02:00:<id>) */
	AK_MEMIF,  /* key "<parent>/<if>", value the memif id */
	AK_VRF,	   /* key "<service>/<conn>", value the VRF id */
	AK_VNI,	   /* key "<overlay>/<service>/<conn>", scope the overlay, value the VNI */
	AK_IP,	   /* key "<scope>|<parent>/<if>", scope the pool scope, value the host number */
	AK_VXADDR, /* key "<pool>/<node>", scope the pool scope, value the host number */
	AK_N
};

/* A mark to roll back to: what an object allocated while it failed is given back. */
struct alloc_mark {
	size_t n;
	uint32_t next_mac, next_memif, next_vrf;
};
void alloc_mark(const struct sfc_alloc *a, struct alloc_mark *mk);
int alloc_rollback(struct sfc_alloc *a, const struct alloc_mark *mk);
/* Look up (and mark live) an allocation; false when absent. */
bool alloc_get(struct sfc_alloc *a, enum alloc_kind k, const char *key, uint32_t *value);
/* Counters (MAC, memif, VRF): the existing value or the next one. 0 or -ENOMEM/-ENOSPC. */
int alloc_counter(struct sfc_alloc *a, enum alloc_kind k, const char *key, const char *owner,
		  uint32_t vrf_start, uint32_t *value);
/* Ranged (VNI, IP, VXADDR): the existing value when it is in [lo, hi] and usable, else the
 * lowest free one in [lo, hi] for which ok(value) holds. -ENOSPC when none is free. */
int alloc_ranged(struct sfc_alloc *a, enum alloc_kind k, const char *key, const char *scope,
		 const char *owner, uint32_t lo, uint32_t hi, bool (*ok)(void *arg, uint32_t v),
		 void *arg, uint32_t *value);
/* Start of a render: every allocation not live. End: drop allocations whose owner is not in
 * keep_owner (owner gone), and those of owners in done_owner (rendered OK) that were not used. */
void alloc_begin(struct sfc_alloc *a);
void alloc_end(struct sfc_alloc *a, const struct smap *existing_owners,
	       const struct smap *ok_owners);

/* ---- the render context ---- */

/* A bridge-domain value being assembled (members merged across owners). */
struct pbd_if {
	char *name;
	bool bvi;
	uint32_t shg;
};
struct pbd {
	char *name;
	bool flood, uu_flood, forward, learn, arp_term;
	uint32_t mac_age;
	struct pbd_if *ifs;
	size_t n_ifs, cap_ifs;
};

/* One value an object renders. */
struct pend {
	char *label;
	enum lig_model_id model;
	char *json;	/* NULL for a bridge domain */
	struct pbd *bd; /* bridge domain */
	char *key;	/* filled when finalised */
	uint32_t conn;	/* 1-based connection index (0: not a connection) */
};

/* The end of a connection: a pod's or a node's interface. */
struct rend {
	const char *parent; /* pod or node name */
	const struct sfc_interface *ifc;
	const struct sfc_pod *pod; /* NULL for a node interface */
	enum sfc_pod_type pod_type;
	const char *node; /* the node it is on */
	/* resolved status */
	char mac[24];
	char **ips; /* "a.b.c.d/n" */
	size_t n_ips;
	bool resolved;
};

struct rctx {
	const struct sfc_model *m;
	struct sfc_alloc *a;
	/* sorted views */
	const struct sfc_node **nodes;
	size_t n_nodes;
	/* static IPv4 addresses of all interfaces (sorted), excluded from IPAM allocation */
	uint32_t *static_ips;
	size_t n_static_ips;
	struct smap pod2node; /* pod name -> index in m->pod_to_node (the first entry) */
	/* the object being rendered */
	char owner[SFC_NAME_MAX * 2 + 32]; /* "network-service/<name>" */
	const struct sfc_service *svc;
	const struct sfc_node *node;
	uint32_t conn_no; /* 1-based, 0 outside a connection */
	const struct sfc_connection *conn;
	char conn_id[SFC_NAME_MAX + 16]; /* connection name, or "#<n>" */
	struct pend *p;
	size_t n_p, cap_p;
	char **msg;
	size_t n_msg;
	char **warn;
	size_t n_warn;
	bool oom;
	/* VXLAN tunnels of the object: "<label>|<src>|<dst>|<vni>" and the interface name, so
	 * two tunnels ligd cannot both hold (same endpoints and VNI) are caught here */
	char **vx_key, **vx_name;
	size_t n_vx;
};

/* Records an error of the current object; returns -1. */
int rerr(struct rctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rwarn(struct rctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a value (json is taken over: freed on error). Returns 0 or -1 (out of memory). */
int emit(struct rctx *c, const char *label, enum lig_model_id model, char *json);
/* A bridge domain with resolved parameters (members appended with bd_member). */
struct pbd *emit_bd(struct rctx *c, const char *label, const char *name,
		    const struct sfc_bd_parms *parms);
int bd_member(struct rctx *c, struct pbd *bd, const char *ifname, bool bvi, uint32_t shg);
void pbd_free(struct pbd *bd);

/* ---- system parameters ---- */
uint32_t sys_mtu(const struct rctx *c, uint32_t mtu);
const char *sys_memif_dir(const struct rctx *c, const struct sfc_interface *ifc);
enum sfc_rx_mode sys_rx_mode(const struct rctx *c, enum sfc_rx_mode m);
uint32_t sys_route_weight(const struct rctx *c);
/* The bridge parameters of an l2bd (template, own parameters or sfc-controller's defaults);
 * NULL with an error when the template does not exist. */
const struct sfc_bd_parms *bd_parms_of(struct rctx *c, const struct sfc_l2bd *l2bd);

/* ---- values.c: builders of agent values ---- */
struct vif {
	const char *name;
	const char *type; /* MEMIF, AF_PACKET, TAP, VXLAN_TUNNEL, SOFTWARE_LOOPBACK */
	bool enabled;
	const char *mac;
	char *const *ips;
	size_t n_ips;
	uint32_t vrf;
	uint32_t mtu;
	enum sfc_rx_mode rx_mode; /* memif only */
	/* memif */
	bool master;
	uint32_t memif_id;
	const char *socket;
	const struct sfc_memif_parms *memif;
	/* af_packet */
	const char *host_if_name;
	/* tap */
	const char *to_microservice;
	/* vxlan */
	const char *src, *dst;
	uint32_t vni;
};
int emit_vpp_if(struct rctx *c, const char *label, const struct vif *v);
int emit_xconnect_pair(struct rctx *c, const char *label, const char *if1, const char *if2);
int emit_route(struct rctx *c, const char *label, uint32_t vrf, const char *dst,
	       const char *next_hop, const char *oif, uint32_t weight);
/* A route to the host address of ip ("a.b.c.d[/n]" -> a.b.c.d/32, sfc-controller's
 * StripSlashAndSubnetIPAddress) through oif. */
int emit_host_route(struct rctx *c, const char *label, uint32_t vrf, const char *ip,
		    const char *oif);
int emit_arp(struct rctx *c, const char *label, const char *ifname, const char *ip,
	     const char *mac);
int emit_vrf_table(struct rctx *c, const char *label, uint32_t vrf);
struct lif {
	const char *name;
	const char *type;	       /* VETH, TAP_TO_VPP */
	const struct sfc_linux_ns *ns; /* NULL: none (the agent's own) */
	const char *ns_microservice;   /* used when ns is NULL and this is set */
	const char *host_if_name;
	bool enabled;
	const char *mac;
	char *const *ips;
	size_t n_ips;
	uint32_t mtu;
	const char *peer;    /* VETH */
	const char *vpp_tap; /* TAP_TO_VPP */
};
int emit_linux_if(struct rctx *c, const char *label, const struct lif *v);
int emit_linux_route(struct rctx *c, const char *label, const char *dst, const char *gw,
		     const char *oif);
int emit_linux_arp(struct rctx *c, const char *label, const char *ifname, const char *ip,
		   const char *mac);

/* ---- nodes.c ---- */
const struct sfc_node *find_node(const struct rctx *c, const char *name);
const struct sfc_interface *node_if(const struct sfc_node *n, const char *name);
bool has_label(const struct sfc_interface *i, const char *label);
int render_node(struct rctx *c, const struct sfc_node *n);

/* ---- pod_if.c ---- */
/* Resolves an end's MAC and addresses (allocating as needed); idempotent per object. */
int end_resolve(struct rctx *c, struct rend *e);
/* The pod-side and vswitch-side interfaces of an end on its node; the vswitch-side name into
 * vsw (ethernet: the node interface itself). */
int render_if_pair(struct rctx *c, struct rend *e, uint32_t vrf, char *vsw, size_t size);
int render_direct_memif_pair(struct rctx *c, struct rend *e0, struct rend *e1);
int render_forwarding(struct rctx *c, struct rend *e);
/* The ends of the current connection, checked (pod mapped, node exists...). */
struct conn_ends {
	struct rend **e;
	size_t n;
	bool static_nodes; /* a node interface was named */
};
int collect_ends(struct rctx *c, bool pp, struct conn_ends *ce);
void conn_ends_free(struct conn_ends *ce);
/* Distinct nodes of the ends, sorted. */
int ends_nodes(struct rctx *c, const struct conn_ends *ce, const char ***nodes, size_t *n);
const char *first_ip(const struct rend *e); /* its first address, or NULL */
/* An address of pool for entity (node or service name, by the pool's scope), allocated under
 * key (AK_IP or AK_VXADDR) for owner; "a.b.c.d/len" into buf. */
int pool_address(struct rctx *c, const struct sfc_ipam_pool *pool, const char *entity,
		 enum alloc_kind kind, const char *key, const char *owner, char *buf, size_t size);
const char *if_type_name(enum sfc_if_type t);

/* ---- overlay.c ---- */
int vxlan_address(struct rctx *c, const struct sfc_vxlan_parms *p, const char *node, char *buf,
		  size_t size);
int vxlan_loopback_and_routes(struct rctx *c, const struct sfc_vxlan_parms *p, const char *from,
			      const char *to, uint32_t vrf, const char *from_addr,
			      const char *to_addr);
int overlay_vni(struct rctx *c, const struct sfc_overlay *ov, uint32_t *vni);
/* l2mp/l3mp over hub and spoke: spokes (sorted) with their members in per-node bridges. */
struct node_bds {
	const char **node;
	struct pbd_if **ifs; /* members to add on that node */
	size_t *n_ifs;
	size_t n;
};
int nbd_add(struct rctx *c, struct node_bds *b, const char *node, const char *ifname, uint32_t shg);
void nbd_free(struct node_bds *b);
int render_l2bd(struct rctx *c, const char *node, const struct node_bds *b);
int render_hub_and_spoke(struct rctx *c, const struct sfc_overlay *ov, const char **spokes,
			 size_t n_spokes, struct node_bds *b);

/* ---- conn_*.c ---- */
int render_l2pp(struct rctx *c);
int render_l2mp(struct rctx *c);
int render_l3pp(struct rctx *c);
int render_l3mp(struct rctx *c);
/* The connection's VRF: its vrf_id, or one allocated for it. */
int conn_vrf(struct rctx *c, uint32_t *vrf);

#endif
