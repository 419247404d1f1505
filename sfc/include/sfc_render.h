/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's renderer: a model (sfc_model.h) -> the full desired set of lig-agent keys (the
 * vpp-agent v3 layout, /vnf-agent/<label>/config/...) for every agent of the system: the
 * vswitch agent of each node (label = node name) and the agent of each vppcontainer pod (label
 * = pod name). What is rendered for each connection type, method, pod and interface type is in
 * docs/sfc.md ("Rendering"); it reproduces ligato/sfc-controller's renderers in the new model.
 *
 * Contract:
 *   - sfc_render() computes the WHOLE desired set from the model and the allocator state, never
 *     a delta: the caller diffs it against what it wrote before (keys are unique in the set).
 *   - Deterministic: objects are taken in name order (not document order), the output is
 *     sorted by key and values are compact JSON with a fixed field order: the same model and the
 *     same allocator state give a byte-identical output.
 *   - Allocations (MACs, memif ids, VRF ids, VNIs, IPAM addresses, VXLAN endpoint addresses)
 *     live in struct sfc_alloc, keyed by what they are for (e.g. the pod interface), so a
 *     re-render after sfc_alloc_to_json/sfc_alloc_from_json gives the same keys, and a new
 *     service never moves an existing allocation. Allocations of objects that are no longer in
 *     the model are released by sfc_render (a service that is only down keeps its own).
 *   - A service (or node) that cannot be rendered renders nothing (its allocations made in this
 *     render are rolled back) and has oper OperDown with the reasons; the others render. A key
 *     two services would write with different values is a conflict: the later service (by
 *     name) is down, naming the key and the other service.
 *   - The model may be unvalidated: every reference is checked again here; nothing crashes.
 * Nothing here is thread-safe. */
#ifndef LIG_SFC_RENDER_H
#define LIG_SFC_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sfc_model.h"

#define SFC_AGENT_PREFIX "/vnf-agent/"

/* Allocator state (opaque). */
struct sfc_alloc;

struct sfc_alloc *sfc_alloc_new(void);	  /* NULL: out of memory */
void sfc_alloc_free(struct sfc_alloc *a); /* NULL ok */
/* The state as one compact JSON object, sorted (equal states give equal text); *out malloc'ed
 * and NUL-terminated, *out_size without the NUL. Returns 0 or -ENOMEM. */
int sfc_alloc_to_json(const struct sfc_alloc *a, char **out, size_t *out_size);
/* Parses what sfc_alloc_to_json wrote (hostile input: bounded, checked, duplicate or
 * out-of-range entries refused). Returns 0 with *out set, or -EINVAL with a message in
 * *err (nothing allocated), or -ENOMEM. */
int sfc_alloc_from_json(const char *buf, size_t size, struct sfc_alloc **out,
			struct sfc_errors *err);
/* Number of allocations held (tests, status). */
size_t sfc_alloc_count(const struct sfc_alloc *a);

/* One rendered key. */
struct sfc_rkv {
	char *label; /* the agent: node name or vppcontainer pod name */
	char *key;   /* full key: /vnf-agent/<label>/config/... */
	char *value; /* compact JSON (vpp-agent v3 protojson, proto field names) */
	/* who rendered it, sorted: "network-node/<name>", "network-service/<name>" (a key shared
	 * by several, e.g. a node bridge domain services add members to, lists them all) */
	char **owners;
	size_t n_owners;
};

/* Status of one rendered object (nodes and services). */
struct sfc_robj_status {
	enum sfc_obj_type type; /* SFC_OBJ_NODE or SFC_OBJ_SERVICE */
	char *name;
	enum sfc_oper_status oper; /* SFC_OPER_UP or SFC_OPER_DOWN */
	char **msg;		   /* UP: {"OK"}; DOWN: the reasons */
	size_t n_msg;
	size_t n_keys; /* keys this object rendered (0 when down) */
};

struct sfc_render_out {
	struct sfc_rkv *kv; /* sorted by key */
	size_t n_kv;
	struct sfc_robj_status *status; /* nodes then services, each in name order */
	size_t n_status;
};

/* Renders m with the allocations in alloc (which it updates: new allocations, releases of
 * objects gone from the model). *out is zeroed first; free it with sfc_render_out_free.
 * Returns 0 (services and nodes that failed are in out->status as SFC_OPER_DOWN), or -ENOMEM
 * (out empty, alloc unchanged), or -EINVAL when m or alloc is NULL. */
int sfc_render(const struct sfc_model *m, struct sfc_alloc *alloc, struct sfc_render_out *out);
void sfc_render_out_free(struct sfc_render_out *out); /* NULL ok; leaves it empty */

/* Lookups in a render result (binary search on the sorted keys; linear on status). */
const struct sfc_rkv *sfc_render_find(const struct sfc_render_out *out, const char *key);
const struct sfc_robj_status *sfc_render_status(const struct sfc_render_out *out,
						enum sfc_obj_type type, const char *name);

/* The whole result as text, one "key value" line per key in order (tests, `lig-sfc --dry-run`
 * style dumps); *out malloc'ed. Returns 0 or -ENOMEM. */
int sfc_render_dump(const struct sfc_render_out *out, char **text, size_t *size);

#endif
