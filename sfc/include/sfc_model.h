/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's model: the v2 configuration of ligato/sfc-controller (its model/controller.proto)
 * as plain C structs. The parser (sfc/model/parse_*.c) builds it from YAML (the
 * sfc_controller_config_version: 2 file) or from JSON (one object per store key / REST body),
 * the validator checks references between objects, the dumper writes it back as YAML.
 *
 * Conventions for every struct below:
 *   - strings are owned (malloc'ed) and NUL-terminated; NULL means absent (proto3: an empty
 *     string is the same as absent, the parser stores "" as NULL);
 *   - arrays are `T *x; size_t n_x;` owned by the parent, freed by sfc_model_free();
 *   - numbers and bools are 0/false when absent (proto3 semantics); where the difference
 *     matters a `has_` flag says the field was written;
 *   - enumerated strings (conn_type, pod_type, ...) are parsed into enums; 0 (..._UNSET) means
 *     absent; an unknown value is a parse error naming the path;
 *   - `origin` is where the object came from, the path of the object in the file
 *     ("network_services[0].connections[2]") or, for an object from the store/REST,
 *     "<type>/<name>" followed by the path inside it; `line` its 1-based line in the YAML file
 *     (0 when unknown: JSON). Errors about an object start with its origin.
 * Nothing here is thread-safe; a model is built, used and freed by one thread. */
#ifndef LIG_SFC_MODEL_H
#define LIG_SFC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SFC_YAML_VERSION 2

/* Limits enforced by the parser (a hostile file cannot exhaust memory). */
#define SFC_NAME_MAX 63		       /* names of nodes, pods, services, interfaces, pools... */
#define SFC_STR_MAX 1024	       /* any other string */
#define SFC_LIST_MAX 65536	       /* elements of any one list */
#define SFC_OBJECTS_MAX 1000000	       /* all objects of one document together */
#define SFC_DEPTH_MAX 32	       /* nesting of mappings/sequences */
#define SFC_DOC_MAX (64 * 1024 * 1024) /* bytes of one YAML/JSON document */
#define SFC_ERRORS_MAX 100	       /* errors kept per parse/validate; more are counted */

/* Object types: the <type> of /sfc-controller/v2/config/<type>/<name> (sfc-controller's
 * model keys.go and *Mgr.KeyPrefix()). system-parameters has no name. */
enum sfc_obj_type {
	SFC_OBJ_SYSTEM_PARAMETERS, /* system-parameters */
	SFC_OBJ_IPAM_POOL,	   /* ipam-pool/<name> */
	SFC_OBJ_POD_TO_NODE,	   /* network-pod-to-node-map/<pod> */
	SFC_OBJ_NODE,		   /* network-node/<name> */
	SFC_OBJ_OVERLAY,	   /* network-node-overlay/<name> */
	SFC_OBJ_SERVICE,	   /* network-service/<name> */
	SFC_OBJ_N
};

#define SFC_PREFIX "/sfc-controller"
#define SFC_CONFIG_PREFIX "/sfc-controller/v2/config/"
#define SFC_STATUS_PREFIX "/sfc-controller/v2/status/"

enum sfc_if_type {
	SFC_IF_UNSET,
	SFC_IF_ETHERNET, /* ethernet */
	SFC_IF_LOOPBACK, /* loopback */
	SFC_IF_VXLAN,	 /* vxlan_tunnel */
	SFC_IF_MEMIF,	 /* memif */
	SFC_IF_VETH,	 /* veth */
	SFC_IF_TAP,	 /* tap */
};

enum sfc_admin_status {
	SFC_ADMIN_UNSET,
	SFC_ADMIN_ENABLED,  /* enabled */
	SFC_ADMIN_DISABLED, /* disabled */
};

enum sfc_rx_mode {
	SFC_RX_UNSET,
	SFC_RX_POLLING,	  /* polling */
	SFC_RX_INTERRUPT, /* interrupt */
	SFC_RX_ADAPTIVE,  /* adaptive */
};

enum sfc_memif_mode {
	SFC_MEMIF_MODE_UNSET,
	SFC_MEMIF_MODE_ETHERNET,   /* ethernet */
	SFC_MEMIF_MODE_IP,	   /* ip */
	SFC_MEMIF_MODE_PUNTINJECT, /* puntinject */
};

enum sfc_pod_type {
	SFC_POD_UNSET,
	SFC_POD_VPPCONTAINER,	 /* vppcontainer */
	SFC_POD_NONVPPCONTAINER, /* nonvppcontainer */
	SFC_POD_EXTERNAL,	 /* external */
	SFC_POD_VPPVSWITCH,	 /* vppvswitch */
};

enum sfc_node_type {
	SFC_NODE_UNSET,
	SFC_NODE_HOST,	   /* host */
	SFC_NODE_EXTERNAL, /* external */
};

enum sfc_conn_type {
	SFC_CONN_UNSET,
	SFC_CONN_L2PP, /* l2pp */
	SFC_CONN_L2MP, /* l2mp */
	SFC_CONN_L3PP, /* l3pp */
	SFC_CONN_L3MP, /* l3mp */
};

enum sfc_conn_method {
	SFC_METHOD_UNSET,   /* = direct (sfc-controller's default) */
	SFC_METHOD_DIRECT,  /* direct */
	SFC_METHOD_VSWITCH, /* vswitch */
};

enum sfc_mesh_type {
	SFC_MESH_UNSET,
	SFC_MESH_MESH,		/* mesh */
	SFC_MESH_HUB_AND_SPOKE, /* hub_and_spoke */
};

enum sfc_overlay_conn {
	SFC_OVERLAY_CONN_UNSET,
	SFC_OVERLAY_CONN_VXLAN, /* vxlan */
};

enum sfc_ipam_scope {
	SFC_SCOPE_UNSET,
	SFC_SCOPE_SYSTEM,	   /* system */
	SFC_SCOPE_NODE,		   /* node */
	SFC_SCOPE_NETWORK_SERVICE, /* network_service */
};

enum sfc_ns_type {
	SFC_NS_UNSET,
	SFC_NS_PID,	     /* pid */
	SFC_NS_MICROSERVICE, /* microservice */
	SFC_NS_NAMED,	     /* named */
	SFC_NS_FILE,	     /* file */
};

enum sfc_oper_status {
	SFC_OPER_UNKNOWN,
	SFC_OPER_UP,   /* OperUp */
	SFC_OPER_DOWN, /* OperDown */
};

/* One string pair of a map<string,string> (metadata labels). */
struct sfc_kv {
	char *key;
	char *value;
};

/* MetaDataType. */
struct sfc_meta {
	char *name;
	struct sfc_kv *labels;
	size_t n_labels;
};

/* Status of an object as lig-sfc reports it (GET /sfc-controller, the status keys); filled by
 * lig-sfc from the render, never by the parser (a "status" in the input is accepted and
 * ignored: a dump can be fed back). */
struct sfc_status {
	enum sfc_oper_status oper;
	char **msg;
	size_t n_msg;
};

/* L3VRFRoute. */
struct sfc_route {
	uint32_t vrf_id;
	char *description;
	char *dst_ip_addr; /* a.b.c.d/n or v6 */
	char *next_hop_addr;
	char *outgoing_interface;
	uint32_t weight;     /* 0: system_parameters.default_static_route_weight */
	uint32_t preference; /* 0: system_parameters.default_static_route_preference */
	char *origin;
	uint32_t line;
};

/* L3ArpEntry. */
struct sfc_arp {
	char *ip_address;
	char *phys_address;
	char *outgoing_interface;
	char *origin;
	uint32_t line;
};

/* L2FIBEntry. */
struct sfc_l2fib {
	char *dest_mac_address;
	char *bd_name;
	char *outgoing_if;
	char *action; /* forward|drop (validated) */
	bool bvi;
	char *origin;
	uint32_t line;
};

/* BDParms (also system_parameters.l2bd_templates[]). */
struct sfc_bd_parms {
	char *name;
	bool flood;
	bool unknown_unicast_flood;
	bool forward;
	bool learn;
	bool arp_termination;
	uint32_t mac_age_minutes; /* 0: no aging */
	char *origin;
	uint32_t line;
};

/* L2BD: either bd_parms or l2bd_template (not both: validated), or neither (defaults). */
struct sfc_l2bd {
	char *name;
	bool has_bd_parms;
	struct sfc_bd_parms bd_parms;
	char *l2bd_template; /* a system_parameters.l2bd_templates[].name */
	char *origin;
	uint32_t line;
};

/* IPAMPool (metadata + spec; its status is lig-sfc's). */
struct sfc_ipam_pool {
	struct sfc_meta meta;
	enum sfc_ipam_scope scope;
	char *network;	      /* 10.1.1.0/24 (or v6) */
	uint32_t start_range; /* 0: 1 */
	uint32_t end_range;   /* 0: the last host address of network */
	char *origin;
	uint32_t line;
};

/* SystemParameters. present: the document had the object at all. */
struct sfc_sys_params {
	bool present;
	uint32_t mtu;				  /* 0: 1500 */
	char *memif_directory;			  /* NULL: /tmp */
	uint32_t default_static_route_weight;	  /* 0: 5 */
	uint32_t default_static_route_preference; /* 0: 0 */
	struct sfc_bd_parms *l2bd_templates;
	size_t n_l2bd_templates;
	enum sfc_rx_mode rx_mode;
	uint32_t min_vrf_id;
	char *origin;
	uint32_t line;
};

/* NetworkPodToNodeMap. */
struct sfc_pod_node {
	char *pod;
	char *node;
	char *origin;
	uint32_t line;
};

/* Interface.MemIFParms. Sizes/queues are strings in the proto; written as a number or a
 * numeric string, stored as numbers (0: absent, the agent's default). */
struct sfc_memif_parms {
	enum sfc_memif_mode mode;
	char *memif_directory; /* NULL: system_parameters.memif_directory */
	char *secret;
	uint32_t ring_size;
	uint32_t buffer_size;
	uint32_t rx_queues;
	uint32_t tx_queues;
};

/* Interface.TapParms. */
struct sfc_tap_parms {
	char *namespace_; /* "namespace" in the file */
	uint32_t rx_ring_size;
	uint32_t tx_ring_size;
};

/* Interface.LinuxNamespace. */
struct sfc_linux_ns {
	enum sfc_ns_type type;
	uint32_t pid;
	char *microservice;
	char *name;
	char *filepath;
};

/* Interface.RxPlacementSettings. */
struct sfc_rx_placement {
	uint32_t queue;
	uint32_t worker;
	bool is_main;
};

/* Interface (of a node or of a pod). */
struct sfc_interface {
	char *name;
	bool bypass_renderer; /* exists, but nothing is rendered for it */
	enum sfc_if_type if_type;
	char *mac_address; /* NULL: allocated */
	uint32_t mtu;	   /* 0: system_parameters.mtu */
	enum sfc_rx_mode rx_mode;
	char **ip_addresses; /* a.b.c.d/n or v6/n */
	size_t n_ip_addresses;
	char **ipam_pool_names;
	size_t n_ipam_pool_names;
	enum sfc_admin_status admin_status;
	bool has_memif_parms;
	struct sfc_memif_parms memif_parms;
	bool has_tap_parms;
	struct sfc_tap_parms tap_parms;
	char **labels;
	size_t n_labels;
	char *parent; /* internal field of sfc-controller: accepted, kept, not used */
	char *host_port_label;
	/* fwd */
	struct sfc_route *fwd_routes; /* fwd.l3_vrf_route */
	size_t n_fwd_routes;
	struct sfc_arp *fwd_arps; /* fwd.l3_arp */
	size_t n_fwd_arps;
	struct sfc_l2fib *fwd_l2fibs; /* fwd.l2_fib */
	size_t n_fwd_l2fibs;
	bool has_linux_namespace;
	struct sfc_linux_ns linux_namespace;
	bool has_rx_placement;
	struct sfc_rx_placement rx_placement;
	char *origin;
	uint32_t line;
};

/* NetworkPod (inside a service). */
struct sfc_pod {
	struct sfc_meta meta;
	enum sfc_pod_type pod_type;
	struct sfc_interface *interfaces;
	size_t n_interfaces;
	struct sfc_l2bd *l2bds; /* "per pod default l2bds [future]": parsed, not rendered */
	size_t n_l2bds;
	char *origin;
	uint32_t line;
};

/* Connection. */
struct sfc_connection {
	char *name; /* optional */
	enum sfc_conn_type conn_type;
	char *network_node_overlay_name;
	char **pod_interfaces; /* "pod/ifname" */
	size_t n_pod_interfaces;
	char **node_interfaces; /* "node/ifname" */
	size_t n_node_interfaces;
	char **node_interface_labels;
	size_t n_node_interface_labels;
	char *use_node_l2bd; /* l2mp: a network_nodes[].spec.l2bds[].name */
	bool has_l2bd;
	struct sfc_l2bd l2bd;
	uint32_t vrf_id;
	enum sfc_conn_method conn_method;
	char *origin;
	uint32_t line;
};

/* NetworkService. */
struct sfc_service {
	struct sfc_meta meta;
	struct sfc_pod *pods; /* spec.network_pods */
	size_t n_pods;
	struct sfc_connection *connections; /* spec.connections */
	size_t n_connections;
	struct sfc_status status;
	char *origin;
	uint32_t line;
};

/* NetworkNodeOverlaySpec.VxlanHubAndSpokeParms and .VxlanMeshParms, in one struct:
 * hub_node_name and vni belong to hub_and_spoke, vni_range_* to mesh. */
struct sfc_vxlan_parms {
	char *hub_node_name;
	uint32_t vni;
	uint32_t vni_range_start;
	uint32_t vni_range_end;
	char *loopback_ipam_pool_name;
	bool create_loopback_interface;
	bool create_loopback_static_routes;
	char *network_node_interface_label;
};

/* NetworkNodeOverlay. */
struct sfc_overlay {
	struct sfc_meta meta;
	enum sfc_mesh_type service_mesh_type;
	enum sfc_overlay_conn connection_type;
	bool has_hub_and_spoke; /* vxlan_hub_and_spoke_parms written */
	struct sfc_vxlan_parms hub_and_spoke;
	bool has_mesh; /* vxlan_mesh_parms written */
	struct sfc_vxlan_parms mesh;
	struct sfc_status status;
	char *origin;
	uint32_t line;
};

/* NetworkNode. */
struct sfc_node {
	struct sfc_meta meta;
	char *k8s_node_name; /* NULL: meta.name */
	enum sfc_node_type node_type;
	struct sfc_interface *interfaces;
	size_t n_interfaces;
	struct sfc_l2bd *l2bds;
	size_t n_l2bds;
	struct sfc_status status;
	char *origin;
	uint32_t line;
};

/* The whole system (SfcConfigYaml). Arrays keep the document's order (the file's order; for
 * objects from the store, key order). */
struct sfc_model {
	uint32_t version; /* sfc_controller_config_version (2 for a file; 2 when assembled) */
	char *description;
	struct sfc_sys_params sys;
	struct sfc_ipam_pool *ipam_pools;
	size_t n_ipam_pools;
	struct sfc_pod_node *pod_to_node;
	size_t n_pod_to_node;
	struct sfc_node *nodes;
	size_t n_nodes;
	struct sfc_overlay *overlays;
	size_t n_overlays;
	struct sfc_service *services;
	size_t n_services;
};

/* Errors of a parse or validation: each message is "<origin>: <what>[ (line N)]" (the origin
 * of the object or field at fault), or "<name>: line N: <what>" for a document that is not
 * YAML/JSON at all. At most SFC_ERRORS_MAX are kept, n_dropped counts the rest. */
struct sfc_errors {
	char **msg;
	size_t n;
	size_t n_dropped;
};

void sfc_errors_free(struct sfc_errors *e); /* frees the messages, leaves e empty; NULL ok */
/* Appends one message (printf format); never fails loudly: out of memory counts as dropped. */
void sfc_errors_add(struct sfc_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* All messages joined by '\n' into buf (truncated to size); returns buf. */
char *sfc_errors_join(const struct sfc_errors *e, char *buf, size_t size);

/* Frees everything m owns and zeroes it; NULL ok. */
void sfc_model_free(struct sfc_model *m);

/* Parses a whole v2 YAML document (sfc_controller_config_version: 2) of size bytes into *m
 * (zeroed first). name is used in messages of errors without an object ("<name>: ..."), e.g.
 * the file path. Returns 0, or -EINVAL with the errors in *err and *m freed (empty). Unknown
 * fields, type errors, wrong enum values and limits are all errors naming path and line. No
 * semantic validation: call sfc_model_validate(). */
int sfc_model_parse_yaml(const char *buf, size_t size, const char *name, struct sfc_model *m,
			 struct sfc_errors *err);

/* The same for a whole document as JSON (the same fields). */
int sfc_model_parse_json(const char *buf, size_t size, const char *name, struct sfc_model *m,
			 struct sfc_errors *err);

/* Parses one object of type t given as JSON (a store value or a REST body) and appends it to
 * m (for SFC_OBJ_SYSTEM_PARAMETERS: replaces m->sys). name: the key's <name> part; the
 * object's metadata.name (or pod for a pod-to-node entry) must be absent or equal to it (a
 * missing one is set from name). Origin of the object: "<type>/<name>". Returns 0 or -EINVAL
 * (m unchanged, errors in *err). */
int sfc_model_add_json_object(struct sfc_model *m, enum sfc_obj_type t, const char *name,
			      const char *buf, size_t size, struct sfc_errors *err);

/* Removes the object of type t named name (for SFC_OBJ_SYSTEM_PARAMETERS: empties m->sys)
 * and frees it. Returns 0, or -ENOENT when there is none. */
int sfc_model_remove_object(struct sfc_model *m, enum sfc_obj_type t, const char *name);

/* Semantic checks across the model (names unique, references resolve, enum combinations,
 * VNI ranges, addresses...). Returns the number of errors added to *err (0: valid). */
size_t sfc_model_validate(const struct sfc_model *m, struct sfc_errors *err);

/* Semantic check of one service against the rest of the model; errors appended to *err.
 * Returns the number of errors (0: the service can be rendered). A model that has a bad
 * service is otherwise fine: the renderer renders the others and reports this one down. */
size_t sfc_model_validate_service(const struct sfc_model *m, const struct sfc_service *s,
				  struct sfc_errors *err);

/* sfc_model_validate_service for every service at once, with an index of names (n log n for
 * the whole model instead of a linear search per reference): errs[i] (an array of
 * m->n_services zeroed structs) gets service i's errors. Returns the number of services that
 * have errors. */
size_t sfc_model_validate_services(const struct sfc_model *m, struct sfc_errors *errs);

/* Writes the model as a v2 YAML document (statuses included when with_status) into a malloc'ed
 * NUL-terminated buffer (*out, *out_size without the NUL). Returns 0 or -ENOMEM. */
int sfc_model_dump_yaml(const struct sfc_model *m, bool with_status, char **out, size_t *out_size);

/* One object as JSON (the value lig-sfc would store under its key). Returns 0 or -ENOMEM;
 * *out malloc'ed. obj points to the struct matching t (struct sfc_sys_params for
 * SFC_OBJ_SYSTEM_PARAMETERS). */
int sfc_model_object_json(enum sfc_obj_type t, const void *obj, char **out, size_t *out_size);

/* Lookups (linear; NULL when absent). */
const struct sfc_node *sfc_model_find_node(const struct sfc_model *m, const char *name);
const struct sfc_overlay *sfc_model_find_overlay(const struct sfc_model *m, const char *name);
const struct sfc_ipam_pool *sfc_model_find_ipam_pool(const struct sfc_model *m, const char *name);
const struct sfc_service *sfc_model_find_service(const struct sfc_model *m, const char *name);
/* The node a pod is mapped to by network_pod_to_node_map; NULL when unmapped. */
const char *sfc_model_pod_node(const struct sfc_model *m, const char *pod);
/* A pod of a service by name, and an interface of a pod or node by name. */
const struct sfc_pod *sfc_service_find_pod(const struct sfc_service *s, const char *name);
const struct sfc_interface *sfc_pod_find_interface(const struct sfc_pod *p, const char *name);
const struct sfc_interface *sfc_node_find_interface(const struct sfc_node *n, const char *name);
/* A system_parameters l2bd template by name. */
const struct sfc_bd_parms *sfc_model_find_l2bd_template(const struct sfc_model *m,
							const char *name);

/* Names: the strings of the file for each enum value ("" for ..._UNSET), and the store key
 * type of an object type ("network-service"); sfc_obj_type_parse returns -1 when unknown. */
const char *sfc_if_type_name(enum sfc_if_type v);
const char *sfc_admin_status_name(enum sfc_admin_status v);
const char *sfc_rx_mode_name(enum sfc_rx_mode v);
const char *sfc_memif_mode_name(enum sfc_memif_mode v);
const char *sfc_pod_type_name(enum sfc_pod_type v);
const char *sfc_node_type_name(enum sfc_node_type v);
const char *sfc_conn_type_name(enum sfc_conn_type v);
const char *sfc_conn_method_name(enum sfc_conn_method v);
const char *sfc_mesh_type_name(enum sfc_mesh_type v);
const char *sfc_overlay_conn_name(enum sfc_overlay_conn v);
const char *sfc_ipam_scope_name(enum sfc_ipam_scope v);
const char *sfc_ns_type_name(enum sfc_ns_type v);
const char *sfc_oper_status_name(enum sfc_oper_status v);
const char *sfc_obj_type_name(enum sfc_obj_type t);
int sfc_obj_type_parse(const char *s);

#endif
