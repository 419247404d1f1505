/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent's models: vpp-agent v3 keys and values as vpp-agent writes them, so existing
 * configurations work. A registry of models (one per vpp-agent ModelSpec Ligature covers), each
 * with its key prefix and a function table to decode protobuf JSON into the C structs of
 * lig_models_types.h, encode them back to canonical JSON, validate them, check that Ligature
 * supports every field they use, compare, copy and free them; plus a key parser and key
 * builders. The scheduler's descriptors (agent/scheduler) are built on this table.
 *
 * Flow for a northbound (key, value) pair:
 *	lig_model_key_parse(key)          -> which model, the label, the key's name and parts
 *	model->decode(json)               -> the struct (protobuf JSON mapping rules)
 *	lig_model_check(model, value)     -> validate, then check_supported
 *	lig_model_key_check(key, value)   -> does the key agree with the value (advisory)
 * Every failure fills a struct lig_model_error naming the field and the reason. */
#ifndef LIG_MODELS_H
#define LIG_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lig_models_types.h"

/* Largest value decode accepts (bytes of JSON), as the KV store's largest value. */
#define LIG_MODEL_VALUE_MAX (1024 * 1024)
/* Longest logical name (interfaces, bridge domains), as vpp-agent's interface names. */
#define LIG_MODEL_NAME_MAX 63
/* Longest microservice label. */
#define LIG_MODEL_LABEL_MAX 63
/* Longest key lig_model_key_parse() takes, and the size of its name buffers. */
#define LIG_MODEL_KEY_MAX 512
/* vpp-agent's key root: full keys are /vnf-agent/<microservice-label>/<short key>. */
#define LIG_MODEL_KEY_ROOT "/vnf-agent/"
/* The default microservice label, as vpp-agent's. */
#define LIG_MODEL_DEFAULT_LABEL "vpp1"
/* Where vpp-agent publishes VPP interface state (status), under the same root and label. */
#define LIG_MODEL_VPP_IF_STATUS_PREFIX "vpp/status/v2/interface/"

enum lig_model_id {
	LIG_MODEL_VPP_INTERFACE,       /* vpp.interfaces */
	LIG_MODEL_VPP_BRIDGE_DOMAIN,   /* vpp.l2.bridge-domain */
	LIG_MODEL_VPP_L2_FIB,	       /* vpp.l2.fib */
	LIG_MODEL_VPP_XCONNECT,	       /* vpp.l2.xconnect */
	LIG_MODEL_VPP_VRF_TABLE,       /* vpp.vrf-table */
	LIG_MODEL_VPP_ROUTE,	       /* vpp.route */
	LIG_MODEL_VPP_ARP,	       /* vpp.arp */
	LIG_MODEL_LINUX_INTERFACE,     /* linux.interfaces.interface */
	LIG_MODEL_LINUX_ROUTE,	       /* linux.l3.route */
	LIG_MODEL_LINUX_ARP,	       /* linux.l3.arp */
	LIG_MODEL_VPP_ACL,	       /* vpp.acls.acl */
	LIG_MODEL_VPP_NAT44_GLOBAL,    /* vpp.nat.nat44-global */
	LIG_MODEL_VPP_DNAT44,	       /* vpp.nat.dnat44 */
	LIG_MODEL_VPP_NAT44_INTERFACE, /* vpp.nat.nat44-interface */
	LIG_MODEL_VPP_NAT44_POOL,      /* vpp.nat.nat44-pool */
	LIG_MODEL_N
};

/* What went wrong, so a caller can tell bad input from unsupported input. */
enum lig_model_err_kind {
	LIG_MODEL_OK = 0,
	LIG_MODEL_ERR_JSON,	   /* not JSON, not an object, too large */
	LIG_MODEL_ERR_FIELD,	   /* unknown field, wrong JSON type, out of range, duplicate */
	LIG_MODEL_ERR_INVALID,	   /* decoded, but the value is not valid */
	LIG_MODEL_ERR_UNSUPPORTED, /* valid, but uses a field or value Ligature does not support */
	LIG_MODEL_ERR_KEY,	   /* the key: malformed, unknown or not matching the value */
};

#define LIG_MODEL_FIELD_MAX 128
#define LIG_MODEL_ERROR_MAX 384

/* An error report. field is the path of the offending field in protobuf field names
 * ("memif.ring_size", "interfaces[2].name"; "" for the value as a whole); text is one sentence
 * that starts with that path ("memif.ring_size: 1 is not a power of 2 in 2..16384"). Input
 * bytes quoted in text are escaped (printable ASCII only) and shortened. */
struct lig_model_error {
	enum lig_model_err_kind kind;
	char field[LIG_MODEL_FIELD_MAX];
	char text[LIG_MODEL_ERROR_MAX];
};

struct lig_model_key;

/* One model: the registry entry the scheduler's descriptor for it is built on. Every function
 * takes the model's own struct (value_size bytes, e.g. struct lig_vpp_interface). None may be
 * NULL. */
struct lig_model {
	enum lig_model_id id;
	const char *name;	/* vpp-agent's model name (agentctl model ls): "vpp.interfaces" */
	const char *proto_name; /* "ligato.vpp.interfaces.Interface" */
	const char *key_prefix; /* "config/vpp/v2/interfaces/" (short key, no root or label) */
	const char *name_template; /* vpp-agent's name template, for documentation */
	size_t value_size;

	/* Decodes size bytes of protobuf JSON (not NUL-terminated) into *value, which must be
	 * zeroed (lig_model_value_new(), or a value released with free). Field names in both
	 * forms protobuf JSON accepts (ip_addresses, ipAddresses), enums by name or number,
	 * integers as numbers or strings, null for a default; unknown fields, wrong types,
	 * duplicates and two members of a oneof are errors. Returns 0; -EINVAL with *err filled
	 * (kind JSON or FIELD); -EFBIG over LIG_MODEL_VALUE_MAX; -ENOMEM. On failure *value holds
	 * what was decoded so far: release it with free. */
	int (*decode)(const char *json, size_t size, void *value, struct lig_model_error *err);
	/* The canonical protobuf JSON of *value as vpp-agent's marshaller writes it: lowerCamelCase
	 * names, declaration order, defaults omitted, enums by name (a number when unnamed),
	 * compact. Returns a malloc'ed NUL-terminated string (the caller frees it), or NULL with
	 * errno: EINVAL when a string of the value is not UTF-8 (only a value built by hand can
	 * have one; decoded values are UTF-8), ENOMEM. */
	char *(*encode)(const void *value);
	/* Is *value valid: required fields, address/prefix/MAC syntax, ranges ligd enforces,
	 * names usable in keys, enum numbers the model names. 0 or -EINVAL with *err (kind
	 * INVALID). */
	int (*validate)(const void *value, struct lig_model_error *err);
	/* Does Ligature support every field *value uses (run after validate): 0 or -EOPNOTSUPP
	 * with *err (kind UNSUPPORTED) naming the first field it does not. */
	int (*check_supported)(const void *value, struct lig_model_error *err);
	/* Releases what *value owns and zeroes it (the struct itself stays the caller's). */
	void (*free)(void *value);
	/* Same configuration: equal field by field (NULL and "" strings are equal). */
	bool (*equal)(const void *a, const void *b);
	/* Deep copy of *src into *dst (dst is overwritten, not freed first). 0 or -ENOMEM (dst
	 * then holds a partial copy: free it). */
	int (*copy)(void *dst, const void *src);
	/* The name part of the key vpp-agent stores *value under (its name template, path-cleaned
	 * as vpp-agent's path.Join does), into buf. Returns the length, or -ENOSPC when it does
	 * not fit size bytes with its NUL. */
	int (*key_name)(const void *value, char *buf, size_t size);
};

/* The registry: LIG_MODEL_N models, indexed by enum lig_model_id. */
const struct lig_model *lig_model_get(enum lig_model_id id);
/* By vpp-agent's model name ("vpp.l2.bridge-domain"), or NULL. */
const struct lig_model *lig_model_by_name(const char *name);
/* The model whose key prefix starts this short key (no root, no label), or NULL. */
const struct lig_model *lig_model_by_key(const char *short_key);

/* validate, then check_supported: 0, -EINVAL (invalid) or -EOPNOTSUPP (unsupported). */
int lig_model_check(const struct lig_model *m, const void *value, struct lig_model_error *err);
/* A zeroed value of the model (calloc), or NULL with errno. */
void *lig_model_value_new(const struct lig_model *m);
/* m->free(value) and free(value). Accepts NULL. */
void lig_model_value_delete(const struct lig_model *m, void *value);

/* A string field's text: "" for NULL. */
static inline const char *
lig_model_str(const char *s)
{
	return s ? s : "";
}

/* ---- keys ---- */

/* A parsed key. The parts are copies (NUL-terminated); "" where the model has no such part. */
struct lig_model_key {
	const struct lig_model *model;
	char label[LIG_MODEL_LABEL_MAX + 1]; /* "" for a short key */
	char name[LIG_MODEL_KEY_MAX];	     /* the key after the model's prefix */
	/* vpp/linux interfaces: name; xconnect: receive interface; vpp/linux ARP: interface;
	 * vpp route: outgoing interface (if/<iface>/, "" without); linux route: interface */
	char iface[LIG_MODEL_KEY_MAX];
	char bd[LIG_MODEL_KEY_MAX];  /* bridge domain: name; L2 FIB: bridge domain */
	char mac[LIG_MODEL_KEY_MAX]; /* L2 FIB: MAC as written */
	char ip[LIG_MODEL_KEY_MAX];  /* vpp/linux ARP: IP address as written */
	char dst[LIG_MODEL_KEY_MAX]; /* vpp/linux route: destination <ip>/<len> as written */
	char gw[LIG_MODEL_KEY_MAX];  /* vpp route: next hop ("" without) */
	uint32_t vrf;		     /* vpp route: VRF; VRF table: id */
	int32_t protocol;	     /* VRF table: enum lig_vpp_vrf_protocol */
};

/* Parses a full key (/vnf-agent/<label>/config/...) or a short one (config/...). Returns 0 with
 * *key filled; -ENOENT when it is not a configuration key of any vpp-agent model;
 * -EOPNOTSUPP when it is one of a vpp-agent model Ligature does not cover (the error names
 * the model); -EINVAL for a malformed key of a covered model (empty label or name, a name
 * that does not follow the model's template, too long). *err (kind KEY) says which. */
int lig_model_key_parse(const char *key, struct lig_model_key *out, struct lig_model_error *err);

/* Builds the key vpp-agent stores *value under: the full key with label (e.g. "vpp1"), or the
 * short key when label is NULL. Returns the length, -ENOSPC when it does not fit in size bytes
 * with its NUL, -EINVAL for an empty label or one with '/'. */
int lig_model_key_build(const struct lig_model *m, const void *value, const char *label, char *buf,
			size_t size);

/* Does the key name the same object as the value (interface name, route destination...)?
 * vpp-agent uses the value and does not compare (its own documentation has examples where
 * they differ), so the result is advice for status and logs, not a reason to refuse. 0 or
 * -EINVAL with *err (kind KEY) naming the first part that differs. */
int lig_model_key_check(const struct lig_model_key *key, const void *value,
			struct lig_model_error *err);

/* The key a VPP interface's state is published under: /vnf-agent/<label>/vpp/status/v2/
 * interface/<name>. Returns the length or -ENOSPC / -EINVAL as lig_model_key_build(). */
int lig_model_vpp_if_status_key(const char *label, const char *if_name, char *buf, size_t size);

/* ---- addresses, as the models write them ---- */

/* A MAC address: six hex octets separated by ':' or '-' (either case), or three groups of four
 * hex digits separated by '.', as Go's net.ParseMAC takes 48-bit addresses. 0 or -EINVAL. */
int lig_model_mac_parse(const char *s, uint8_t mac[6]);
/* A dotted-quad IPv4 address (no leading zeros, as Go's net.ParseIP). 0 or -EINVAL. */
int lig_model_ip4_parse(const char *s, uint8_t addr[4]);
/* <IPv4>/<len> (len 0..32). 0 or -EINVAL. Host bits are kept as written. */
int lig_model_ip4_prefix_parse(const char *s, uint8_t addr[4], uint8_t *len);
/* Is s an IPv6 address (optionally /<len> when prefix_ok)? For "not supported" reports. */
bool lig_model_is_ip6(const char *s, bool prefix_ok);

#endif
