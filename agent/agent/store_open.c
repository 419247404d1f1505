/* SPDX-License-Identifier: Apache-2.0 */
/* The KV store lig-agent and lig-sfc start with (etcd_conf.h, agent_etcd_store_open): etcd as
 * an etcd.conf says, or the embedded store in a state directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cninfra/kv.h>

#include "etcd_conf.h"

void
agent_etcd_conf_kv_opts(const struct agent_etcd_conf *c, struct cninfra_kv_opts *o)
{
	o->endpoint = c->endpoints;
	o->timeout_ms = c->op_timeout_ms;
	o->dial_timeout_ms = c->dial_timeout_ms;
	if (c->tls) {
		o->ca_file = c->ca_file;
		o->cert_file = c->cert_file;
		o->key_file = c->key_file;
		o->insecure_skip_verify = c->insecure_skip_verify;
	}
}

struct cninfra_kv *
agent_etcd_store_open(struct cninfra_loop *loop, const char *prog, const char *etcd_config,
		      const char *state_dir, void (*warn)(const char *fmt, ...),
		      struct agent_etcd_conf *ec, char *endpoint, size_t endpoint_size)
{
	struct cninfra_kv_opts kopts = {0};
	char err[600];
	memset(ec, 0, sizeof(*ec));
	if (etcd_config) {
		if (agent_etcd_conf_load(etcd_config, ec, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return NULL;
		}
		for (size_t i = 0; i < ec->n_warnings; i++)
			warn("%s", ec->warnings[i]);
		agent_etcd_conf_kv_opts(ec, &kopts);
		snprintf(endpoint, endpoint_size, "%s", ec->endpoints);
	} else {
		mkdir(state_dir, 0700);
		snprintf(endpoint, endpoint_size, "%s", state_dir);
	}
	kopts.endpoint = endpoint;
	struct cninfra_kv *kv = cninfra_kv_open(loop, &kopts);
	if (!kv)
		fprintf(stderr, "%s: store %s: %s\n", prog, endpoint, strerror(errno));
	return kv;
}
