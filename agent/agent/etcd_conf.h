/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's etcd.conf (cn-infra's etcd plugin configuration, YAML) for lig-agent: parsed with
 * libyaml (yaml_json.h), every key typed and checked, unknown keys reported, bad values refused
 * with the file and key named. docs/agent.md ("etcd.conf") lists the keys and what each does. */
#ifndef LIGAGENT_ETCD_CONF_H
#define LIGAGENT_ETCD_CONF_H

#include <stdbool.h>
#include <stddef.h>

/* cninfra's etcd backend takes at most this many endpoints. */
#define AGENT_ETCD_ENDPOINTS_MAX 8
#define AGENT_ETCD_WARNINGS_MAX 8

struct agent_etcd_conf {
	/* The endpoints as cninfra_kv_opts.endpoint takes them: comma-separated URLs, each
	 * "http://host:port" or "https://host:port" (a bare host:port gets https when TLS is on,
	 * see tls). Without an endpoints key: $ETCD_ENDPOINTS, $ETCDV3_ENDPOINTS or
	 * 127.0.0.1:2379, as cn-infra. */
	char *endpoints;
	size_t n_endpoints;
	unsigned dial_timeout_ms;	/* dial-timeout; default 1000 (cn-infra's 1 s) */
	unsigned op_timeout_ms;		/* operation-timeout; default 3000 */
	unsigned reconnect_interval_ms; /* reconnect-interval; default 2000 */
	bool insecure_transport;	/* insecure-transport */
	bool insecure_skip_verify;	/* insecure-skip-tls-verify */
	bool allow_delayed_start;	/* allow-delayed-start */
	bool resync_after_reconnect;	/* resync-after-reconnect */
	bool tls; /* TLS is on: not insecure-transport, and a ca-, cert- or key-file is set */
	char *ca_file, *cert_file, *key_file; /* NULL when unset */
	/* Keys accepted for compatibility that lig-agent does not act on, and unknown keys: one
	 * sentence each, "FILE: KEY: ...". */
	char warnings[AGENT_ETCD_WARNINGS_MAX][256];
	size_t n_warnings;
};

/* Parses size bytes of etcd.conf text (not NUL-terminated); file names it in messages. Fills
 * *c (zeroed first; free it with agent_etcd_conf_free, also after a failure). Returns 0, or
 * -EINVAL with err holding "FILE: KEY: reason" (or "FILE: line N: ..." for bad YAML). Reads no
 * file and no environment except the $ETCD_ENDPOINTS fallback. */
int agent_etcd_conf_parse(const char *text, size_t size, const char *file,
			  struct agent_etcd_conf *c, char *err, size_t err_size);
/* Reads path (at most 1 MiB) and parses it; then checks that the ca/cert/key files it names can
 * be read. 0, -EINVAL (err says why) or -errno of the file. */
int agent_etcd_conf_load(const char *path, struct agent_etcd_conf *c, char *err, size_t err_size);
void agent_etcd_conf_free(struct agent_etcd_conf *c);

/* A Go duration ("1s", "1.5s", "250ms", "1m30s", "0") as etcd.conf writes them, or an integer
 * of nanoseconds. 0 with *ns set, or -EINVAL. */
int agent_parse_duration(const char *s, unsigned long long *ns);

/* store_open.c, for lig-agent, lig-sfc and lig-agentctl (links libcninfra). */
struct cninfra_kv;
struct cninfra_kv_opts;
struct cninfra_loop;
/* Sets o's endpoint, timeouts and (when c->tls) TLS files from c; the pointers point into c,
 * which must outlive cninfra_kv_open. Other fields of o are left alone. */
void agent_etcd_conf_kv_opts(const struct agent_etcd_conf *c, struct cninfra_kv_opts *o);
/* Opens the KV store a daemon starts with: etcd as the etcd.conf at etcd_config says (its
 * warnings go to warn), or without one the embedded store in state_dir (created 0700 when
 * missing). endpoint receives the store's name for log lines. On failure prints "PROG: FILE:
 * KEY: reason" or "PROG: store ENDPOINT: error" to stderr and returns NULL. *ec is the parsed
 * file (zeroed without one): free it with agent_etcd_conf_free in every case. */
struct cninfra_kv *agent_etcd_store_open(struct cninfra_loop *loop, const char *prog,
					 const char *etcd_config, const char *state_dir,
					 void (*warn)(const char *fmt, ...),
					 struct agent_etcd_conf *ec, char *endpoint,
					 size_t endpoint_size);

#endif
