/* SPDX-License-Identifier: Apache-2.0 */
/* The agent: owns the shared loop, logging, config sources, the HTTP server, health, metrics and
 * the KV store, and runs plugins in dependency order (init, then after-init), stopping them in
 * reverse on SIGTERM/SIGINT within a timeout. */
#ifndef CNINFRA_AGENT_H
#define CNINFRA_AGENT_H

#include <stddef.h>

#include "config.h"

struct cninfra_agent;
struct cninfra_loop;
struct cninfra_http;
struct cninfra_health;
struct cninfra_metrics;
struct cninfra_kv;
struct cninfra_logger;

/* A plugin. The agent copies the struct, not the strings or deps: they must outlive the agent
 * (string literals and static arrays do). */
struct cninfra_plugin {
	const char *name;	 /* unique, [a-z0-9_-]+ */
	const char *const *deps; /* NULL-terminated names of plugins this one needs; may be NULL */
	/* Called in dependency order. Return 0 or -errno; a failure stops the start-up and closes
	 * the plugins already initialised, in reverse. May be NULL. */
	int (*init)(struct cninfra_agent *agent, void *ctx);
	/* Called in the same order once every init succeeded. May be NULL. */
	int (*after_init)(struct cninfra_agent *agent, void *ctx);
	/* Called in reverse order at shutdown for each plugin whose init succeeded. May be NULL. */
	void (*close)(struct cninfra_agent *agent, void *ctx);
	void *ctx;
};

/* Built-in plugins a plugin may depend on. "http" (server, /liveness, /readiness, /metrics, /log)
 * always starts; "kv" (the KV store, see kv.h) starts only when some plugin depends on it. */
#define CNINFRA_PLUGIN_HTTP "http"
#define CNINFRA_PLUGIN_KV "kv"

struct cninfra_agent_opts {
	const char *name; /* agent (program) name; default label */
	int argc;	  /* command line, kept by reference; may be 0 */
	char *const *argv;
	const char *label;	  /* default when neither --label nor MICROSERVICE_LABEL is set */
	unsigned stop_timeout_ms; /* close budget after SIGTERM/SIGINT; 0: 10000 */
};

/* Parses the agent flags and sets up the loop (SIGTERM and SIGINT are blocked in the calling
 * thread and delivered via the loop from now on). Agent flags: --label=L (else env
 * MICROSERVICE_LABEL), --config-dir=DIR (else env CNINFRA_CONFIG_DIR), --log-level=LEVEL (else env
 * CNINFRA_LOG_LEVEL; default level of every logger). Returns the agent or NULL with errno set
 * (EINVAL: bad label or log level). */
struct cninfra_agent *cninfra_agent_new(const struct cninfra_agent_opts *opts);
/* Closes plugins still running, frees everything. Accepts NULL. */
void cninfra_agent_free(struct cninfra_agent *agent);

/* Registers a plugin (before start). Returns 0, -EEXIST (name taken), -EINVAL, -EBUSY (started). */
int cninfra_agent_add(struct cninfra_agent *agent, const struct cninfra_plugin *plugin);

/* Orders plugins (a missing dependency is -ENOENT, a cycle -ELOOP), checks the command line, and
 * runs init then after_init. On failure returns -errno with a message in
 * cninfra_agent_error() and leaves nothing running. */
int cninfra_agent_start(struct cninfra_agent *agent);
/* Start, run the loop until cninfra_agent_stop() or SIGTERM/SIGINT, then close. Returns 0 after
 * a clean shutdown or -errno (start failure). If closing takes longer than stop_timeout_ms, a
 * watchdog logs it and ends the process with _exit(124): a hung plugin cannot block shutdown. */
int cninfra_agent_run(struct cninfra_agent *agent);
/* Asks a running agent to stop. Safe from any thread. */
void cninfra_agent_stop(struct cninfra_agent *agent);
/* Closes the started plugins in reverse order. Idempotent. */
void cninfra_agent_close(struct cninfra_agent *agent);

/* The last start-up error, or "". */
const char *cninfra_agent_error(const struct cninfra_agent *agent);
/* Names of the started plugins in start order, NULL-terminated (owned by the agent). */
const char *const *cninfra_agent_order(const struct cninfra_agent *agent);

/* Loads the configuration of plugin `plugin` into cfg: defaults < YAML file < env < flags. The
 * file is --<plugin>-config=FILE, else env <PLUGIN>_CONFIG, else <config-dir>/<plugin>.yaml if it
 * exists. Env variables are <PLUGIN>_<KEY>, flags --<plugin>.<key>=V. Returns 0 or -errno; the
 * message is logged and kept in cninfra_agent_error(). */
int cninfra_agent_config(struct cninfra_agent *agent, const char *plugin,
			 const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg);

const char *cninfra_agent_name(const struct cninfra_agent *agent);
/* The service label (MICROSERVICE_LABEL style) this agent's keys live under. */
const char *cninfra_agent_label(const struct cninfra_agent *agent);
/* Writes "/ligature/<label>/<suffix>" into buf. Returns 0 or -ENAMETOOLONG. */
int cninfra_agent_key(const struct cninfra_agent *agent, const char *suffix, char *buf,
		      size_t size);

struct cninfra_loop *cninfra_agent_loop(struct cninfra_agent *agent);
struct cninfra_health *cninfra_agent_health(struct cninfra_agent *agent);
struct cninfra_metrics *cninfra_agent_metrics(struct cninfra_agent *agent);
/* NULL until the "http" / "kv" plugin has been initialised. */
struct cninfra_http *cninfra_agent_http(struct cninfra_agent *agent);
struct cninfra_kv *cninfra_agent_kv(struct cninfra_agent *agent);
/* Shorthand for cninfra_log_get(name). */
struct cninfra_logger *cninfra_agent_logger(struct cninfra_agent *agent, const char *name);

#endif
