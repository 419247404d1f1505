/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: L2 cross-connects (vpp-agent's vpp.l2.xconnect, key
 * config/vpp/l2/v2/xconnect/<receive_interface>): frames received on one interface are sent out
 * of another (one direction, as VPP's; a pair of keys makes both). Needs both interfaces; its
 * removal puts the receiving interface back to L3. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2/api.h"
#include "vpp_l2l3.h"

static char xc_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(xc, LIG_MODEL_VPP_XCONNECT, struct lig_vpp_xconnect)

static int
xc_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_xconnect *x = xc_decode(value, size, &me);
	if (!x)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(xc_model(), x, &me) < 0)
		rc = agent_model_err(err, &me);
	else if (strcmp(x->receive_interface, x->transmit_interface) == 0) {
		lig_sched_err_field(err, "transmit_interface");
		lig_sched_err_set(err, "transmit_interface: an interface cannot be cross-connected "
				       "to itself");
		rc = -EINVAL;
	}
	xc_free(x);
	return rc;
}

static void
xc_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_xconnect *x = xc_decode(value, size, &me);
	if (!x)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	agent_if_key(k, sizeof(k), lig_model_str(x->receive_interface));
	lig_sched_dep_key(deps, "rx-interface", k);
	agent_if_key(k, sizeof(k), lig_model_str(x->transmit_interface));
	lig_sched_dep_key(deps, "tx-interface", k);
	xc_free(x);
}

static int
xc_set(const void *value, size_t size, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_xconnect *x = xc_decode(value, size, &me);
	if (!x)
		return agent_model_err(err, &me);
	u32 rx = 0, tx = 0;
	int rc = agent_if_index(x->receive_interface, &rx, err);
	if (rc == 0)
		rc = agent_if_index(x->transmit_interface, &tx, err);
	if (rc == 0) {
		lig_api_sw_interface_set_l2_xconnect_t req = {.rx_sw_if_index = rx,
							      .tx_sw_if_index = tx};
		lig_api_sw_interface_set_l2_xconnect_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l2_xconnect, &req, &rep);
		if (rc)
			rc = agent_api_rc(rc, "sw_interface_set_l2_xconnect", rep.error, err);
	}
	xc_free(x);
	return rc;
}

static int
xc_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return xc_set(value, size, err);
}

/* Another transmit interface: cross-connecting again replaces it. */
static int
xc_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)ov;
	(void)os;
	(void)md;
	return xc_set(nv, ns, err);
}

static bool
xc_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_xconnect *o = xc_decode(ov, os, &me), *n = xc_decode(nv, ns, &me);
	bool r = !o || !n ||
		 strcmp(lig_model_str(o->receive_interface), lig_model_str(n->receive_interface));
	xc_free(o);
	xc_free(n);
	return r;
}

static bool
xc_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_xconnect *x = xc_decode(a, as, &me), *y = xc_decode(b, bs, &me);
	bool eq = x && y && xc_model()->equal(x, y);
	xc_free(x);
	xc_free(y);
	return eq;
}

static int
xc_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_xconnect *x = xc_decode(value, size, &me);
	if (!x)
		return agent_model_err(err, &me);
	u32 rx = 0;
	int rc = agent_if_index(x->receive_interface, &rx, err);
	if (rc == 0) {
		lig_api_sw_interface_set_l3_t req = {.sw_if_index = rx};
		lig_api_sw_interface_set_l3_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l3, &req, &rep);
		if (rc && rc != -ENOENT)
			rc = agent_api_rc(rc, "sw_interface_set_l3", rep.error, err);
	}
	xc_free(x);
	return rc == -ENOENT ? 0 : rc; /* the interface is gone, and its cross-connect */
}

/* Retrieve: ligd's cross-connects, each under the key of the desired one with that receiving
 * interface, else under <receive interface>. */
static int
xc_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct l23_map corr = {0};
	int rc = 0;
	for (size_t c = 0; rc == 0 && c < lig_sched_retrieved_count(correlate); c++) {
		const void *v;
		size_t vs;
		const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, NULL);
		struct lig_model_error me;
		struct lig_vpp_xconnect *x = xc_decode(v, vs, &me);
		if (x && x->receive_interface) {
			char *k = strdup(ck);
			if (!k || l23_map_put(&corr, x->receive_interface, k) < 0) {
				free(k);
				rc = -ENOMEM;
			}
		}
		xc_free(x);
	}
	struct l23_ifnames ifn;
	struct l23_dump xcs = {.min = sizeof(lig_api_l2_xconnect_dump_details_t)};
	if (rc == 0)
		rc = l23_ifnames_init(&ifn);
	else
		memset(&ifn, 0, sizeof(ifn));
	if (rc == 0) {
		lig_api_l2_xconnect_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, l2_xconnect_dump, &req, l23_dump_cb, &xcs);
		if (rc)
			rc = agent_api_rc(rc, "l2_xconnect_dump", NULL, NULL);
		else if (xcs.oom)
			rc = -ENOMEM;
	}
	const struct lig_model *m = xc_model();
	for (size_t k = 0; rc == 0 && k < xcs.n; k++) {
		const lig_api_l2_xconnect_dump_details_t *d = xcs.d[k];
		char *rx = NULL, *tx = NULL;
		const char *n = l23_ifname(&ifn, d->rx_sw_if_index);
		if (n)
			rx = strdup(n);
		n = l23_ifname(&ifn, d->tx_sw_if_index);
		if (n)
			tx = strdup(n);
		struct lig_vpp_xconnect x = {.receive_interface = rx, .transmit_interface = tx};
		char *json = rx && tx ? m->encode(&x) : NULL, key[LIG_MODEL_KEY_MAX * 2];
		void *ck = NULL;
		if (json) {
			/* one no desired cross-connect is: the agent's when its receiving
			 * interface is (tagged), so resync removes it; else OBTAINED */
			enum lig_sched_origin origin = LIG_SCHED_ORIGIN_UNKNOWN;
			if (l23_map_get(&corr, rx, &ck))
				snprintf(key, sizeof(key), "%s", (const char *)ck);
			else {
				snprintf(key, sizeof(key), "%s%s", xc_prefix, rx);
				origin = l23_if_ours(&ifn, d->rx_sw_if_index) ? LIG_SCHED_ORIGIN_NB
									      : LIG_SCHED_ORIGIN_SB;
			}
			lig_sched_retrieved_add(out, key, json, strlen(json), origin, NULL);
		}
		free(json);
		free(rx);
		free(tx);
	}
	l23_dump_free(&xcs);
	l23_ifnames_free(&ifn);
	l23_map_free(&corr, free);
	return rc;
}

int
agent_vpp_xconnect_register(struct lig_sched *sched)
{
	static const char *const after[] = {"vpp-interface", NULL};
	agent_model_prefix(LIG_MODEL_VPP_XCONNECT, xc_prefix, sizeof(xc_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-xconnect",
					 .key_prefix = xc_prefix,
					 .validate = xc_validate,
					 .create = xc_create,
					 .update = xc_update,
					 .update_needs_recreate = xc_recreate,
					 .delete = xc_delete,
					 .equivalent = xc_equivalent,
					 .dependencies = xc_deps,
					 .retrieve = xc_retrieve,
					 .retrieve_after = after};
	return lig_sched_register(sched, &d);
}
