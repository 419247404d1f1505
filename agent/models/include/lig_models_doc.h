/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's all-in-one configuration document (proto ligato.configurator.Config as its REST API
 * GET/PUT /configuration and agentctl config get/update write it, and its init file):
 *	netallocConfig: {}
 *	linuxConfig: {interfaces: [...], arpEntries: [...], routes: [...]}
 *	vppConfig: {interfaces: [...], bridgeDomains: [...], fibs: [...], xconnectPairs: [...],
 *	            routes: [...], arps: [...], vrfs: [...], ...}
 * as a JSON tree (jansson) <-> (key, value) items of the models Ligature covers: each list
 * element is one model value, decoded with the model's decode and stored under the key
 * lig_model_key_build gives it. Field names in both forms protobuf JSON accepts (vppConfig and
 * vpp_config, bridgeDomains and bridge_domains). */
#ifndef LIG_MODELS_DOC_H
#define LIG_MODELS_DOC_H

#include <stddef.h>

#include <jansson.h>

#include "lig_models.h"

struct lig_model_doc_item {
	const struct lig_model *model;
	char *key;   /* full key with the label given */
	char *value; /* the model's canonical JSON (NUL-terminated) */
};

struct lig_model_doc_items {
	struct lig_model_doc_item *items;
	size_t n, cap;
	json_t *index; /* internal: key -> position, so a repeated key is found at once */
};

/* The items of document doc (a JSON object), keys built with label. Returns 0; -EINVAL with *err
 * (field: the path, e.g. "vppConfig.interfaces[1].ipAddresses") when doc is not an object, a
 * field is unknown to vpp-agent's document or has the wrong JSON type, an element does not
 * decode, or its key cannot be built (e.g. no name); -EOPNOTSUPP when a non-empty field holds a
 * vpp-agent model Ligature does not cover (vppConfig.abfs: vpp.abfs); -ENOMEM. Two elements with
 * the same key: the last wins, as in vpp-agent. out is zeroed first; free it with
 * lig_model_doc_items_free (also after a failure). */
int lig_model_doc_decode(const json_t *doc, const char *label, struct lig_model_doc_items *out,
			 struct lig_model_error *err);
void lig_model_doc_items_free(struct lig_model_doc_items *d);

/* An empty document: {"netallocConfig": {}, "linuxConfig": {}, "vppConfig": {}}. NULL on ENOMEM. */
json_t *lig_model_doc_new(void);
/* Adds the value stored under key (full or short key, size bytes of protobuf JSON) to its list
 * in doc (created on first use, elements in the order added). 0; -ENOENT when the key is not a
 * configuration key of a covered model, -EINVAL when the value does not decode (*err says why),
 * -ENOMEM. */
int lig_model_doc_add(json_t *doc, const char *key, const char *value, size_t size,
		      struct lig_model_error *err);

#endif
