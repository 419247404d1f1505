/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: its descriptor plugins, in registration order (a key goes to the first descriptor
 * whose prefix matches, so the catch-all comes last). A new model family is a new file and a line
 * here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_linux.h"

/* ---- descriptor: every other configuration key (INVALID with the reason) ---- */

static int
other_validate(void *ctx, const char *key, const void *value, size_t size,
	       struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	struct lig_model_key k;
	struct lig_model_error me = {0};
	if (lig_model_key_parse(key, &k, &me) < 0) {
		lig_sched_err_set(err, "%s", me.text);
		return -EOPNOTSUPP;
	}
	lig_sched_err_set(err, "model %s: not implemented by lig-agent yet", k.model->name);
	return -EOPNOTSUPP;
}

int
agent_unsupported_register(struct lig_sched *sched)
{
	struct lig_sched_descriptor d = {
	    .name = "unsupported", .key_prefix = A.prefix, .validate = other_validate};
	return lig_sched_register(sched, &d);
}

static const struct agent_plugin agent_plugins[] = {
    {"vpp-interface", agent_vpp_interface_register},
    {"vpp-l2", agent_vpp_l2_register},
    {"vpp-l3", agent_vpp_l3_register},
    {"vpp-l2-fib", agent_vpp_l2_fib_register},
    {"vpp-xconnect", agent_vpp_xconnect_register},
    {"vpp-vrf", agent_vpp_vrf_register},
    {"vpp-arp", agent_vpp_arp_register},
    {"vpp-acl", agent_vpp_acl_register},
    {"vpp-nat", agent_vpp_nat_register},
    {"linux-ns", agent_linux_ns_register},
    {"linux-interface", agent_linux_interface_register},
    {"linux-l3", agent_linux_l3_register},
    {"unsupported", agent_unsupported_register},
};

int
agent_plugins_register(struct lig_sched *sched)
{
	for (size_t k = 0; k < sizeof(agent_plugins) / sizeof(agent_plugins[0]); k++) {
		int rc = agent_plugins[k].register_descriptors(sched);
		if (rc < 0) {
			agent_log("plugin %s: %s", agent_plugins[k].name, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

void
agent_plugins_desired_changed(const char *key)
{
	agent_linux_desired_changed(key);
}
