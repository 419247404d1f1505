// SPDX-License-Identifier: Apache-2.0
// Health registry: components report a state; liveness and readiness are aggregates of them,
// rendered as JSON for the Kubernetes probe endpoints.
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cninfra/health.h"

struct comp {
	char *name;
	char *reason;
	enum cninfra_health_state state;
	struct comp *next;
};

struct cninfra_health {
	pthread_mutex_t lock;
	struct comp *comps, **tail;
};

const char *
cninfra_health_state_name(enum cninfra_health_state s)
{
	switch (s) {
	case CNINFRA_HEALTH_INIT:
		return "init";
	case CNINFRA_HEALTH_OK:
		return "ok";
	case CNINFRA_HEALTH_ERROR:
		return "error";
	case CNINFRA_HEALTH_FATAL:
		return "fatal";
	}
	return "unknown";
}

struct cninfra_health *
cninfra_health_new(void)
{
	struct cninfra_health *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	pthread_mutex_init(&h->lock, NULL);
	h->tail = &h->comps;
	return h;
}

static void
comp_free(struct comp *c)
{
	free(c->name);
	free(c->reason);
	free(c);
}

void
cninfra_health_free(struct cninfra_health *h)
{
	if (!h)
		return;
	while (h->comps) {
		struct comp *c = h->comps;
		h->comps = c->next;
		comp_free(c);
	}
	pthread_mutex_destroy(&h->lock);
	free(h);
}

int
cninfra_health_report(struct cninfra_health *h, const char *component,
		      enum cninfra_health_state state, const char *reason)
{
	if (!h || !component || !*component || (unsigned)state > CNINFRA_HEALTH_FATAL)
		return -EINVAL;
	char *r = reason ? strdup(reason) : NULL;
	if (reason && !r)
		return -ENOMEM;
	int rc = 0;
	pthread_mutex_lock(&h->lock);
	struct comp *c;
	for (c = h->comps; c; c = c->next)
		if (!strcmp(c->name, component))
			break;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c || !(c->name = strdup(component))) {
			free(c);
			free(r);
			rc = -ENOMEM;
			goto out;
		}
		*h->tail = c;
		h->tail = &c->next;
	}
	free(c->reason);
	c->reason = r;
	c->state = state;
out:
	pthread_mutex_unlock(&h->lock);
	return rc;
}

int
cninfra_health_forget(struct cninfra_health *h, const char *component)
{
	int rc = -ENOENT;
	pthread_mutex_lock(&h->lock);
	for (struct comp **pp = &h->comps; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->name, component)) {
			struct comp *c = *pp;
			*pp = c->next;
			if (h->tail == &c->next)
				h->tail = pp;
			comp_free(c);
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&h->lock);
	return rc;
}

static int
aggregate(struct cninfra_health *h, int readiness)
{
	int ok = 1, any = 0;
	pthread_mutex_lock(&h->lock);
	for (struct comp *c = h->comps; c; c = c->next) {
		any = 1;
		if (readiness ? c->state != CNINFRA_HEALTH_OK : c->state == CNINFRA_HEALTH_FATAL)
			ok = 0;
	}
	pthread_mutex_unlock(&h->lock);
	return readiness ? ok && any : ok;
}

int
cninfra_health_ready(struct cninfra_health *h)
{
	return aggregate(h, 1);
}

int
cninfra_health_alive(struct cninfra_health *h)
{
	return aggregate(h, 0);
}

char *
cninfra_health_json(struct cninfra_health *h, int readiness)
{
	int ok = aggregate(h, readiness);
	json_t *comps = json_object();
	json_t *root = json_pack("{s:s,s:o}", "status", ok ? "ok" : "fail", "components", comps);
	if (!root)
		return NULL;
	pthread_mutex_lock(&h->lock);
	for (struct comp *c = h->comps; c; c = c->next) {
		json_t *o = json_pack("{s:s,s:s}", "state", cninfra_health_state_name(c->state),
				      "reason", c->reason ? c->reason : "");
		if (o)
			json_object_set_new(comps, c->name, o);
	}
	pthread_mutex_unlock(&h->lock);
	char *s = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(root);
	return s;
}
