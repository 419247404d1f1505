/* SPDX-License-Identifier: Apache-2.0 */
/* Health of an agent: each plugin reports the state of its component, and /liveness and
 * /readiness aggregate them into 200 or 503 with a JSON body. */
#ifndef CNINFRA_HEALTH_H
#define CNINFRA_HEALTH_H

enum cninfra_health_state {
	CNINFRA_HEALTH_INIT,  /* starting: not ready, still alive */
	CNINFRA_HEALTH_OK,    /* ready */
	CNINFRA_HEALTH_ERROR, /* degraded: not ready, still alive (e.g. a peer is unreachable) */
	CNINFRA_HEALTH_FATAL, /* broken: not alive, the orchestrator should restart the agent */
};

struct cninfra_health;

struct cninfra_health *cninfra_health_new(void);
void cninfra_health_free(struct cninfra_health *h);
/* Sets the state of component (copied). reason may be NULL. Thread-safe. Returns 0 or -errno. */
int cninfra_health_report(struct cninfra_health *h, const char *component,
			  enum cninfra_health_state state, const char *reason);
/* Removes a component. Returns 0 or -ENOENT. */
int cninfra_health_forget(struct cninfra_health *h, const char *component);
/* Aggregates: ready when every component is OK (and there is at least one); alive when none is
 * FATAL. */
int cninfra_health_ready(struct cninfra_health *h);
int cninfra_health_alive(struct cninfra_health *h);
/* Returns a malloc'd JSON document {"status":"ok"|"fail","components":{name:{"state","reason"}}}
 * for the readiness (ready != 0) or liveness view, or NULL on ENOMEM. */
char *cninfra_health_json(struct cninfra_health *h, int readiness);
const char *cninfra_health_state_name(enum cninfra_health_state s);

#endif
