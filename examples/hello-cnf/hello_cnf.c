// SPDX-License-Identifier: Apache-2.0
// hello-cnf: the example CNF built only on the public APIs of libcninfra and libligapi. It reads
// its configuration from the KV store (/ligature/<label>/config/hello, a JSON object), reacts to
// changes at run time, greets on a timer, reports health and metrics, and attaches to ligd's API
// socket when given one: checks it, counts its interfaces and follows its interface events (not
// ready while ligd is unreachable or stuck, reconnecting in the background).
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <cninfra.h>

/* libligapi, and the messages used here: api_version (vlib), sw_interface_dump and
 * interface_event (interface). */
#include "interface/api.h"
#include "ligapi.h"
#include "vlib/api.h"

/* ---- plugin "hello": config from the KV store ---- */

#define GREETING_MAX 128

/* Static config (YAML hello.yaml < env HELLO_* < flags --hello.*): where to look in the KV store
 * and the defaults used until the store says otherwise. */
struct hello_static {
	char *config_key;    /* under /ligature/<label>/ */
	char *greeting;	     /* default greeting */
	int64_t interval_ms; /* default greeting period */
};

static const struct cninfra_cfg_field hello_fields[] = {
    {.key = "config_key",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct hello_static, config_key),
     .def = "config/hello",
     .help = "KV key (below /ligature/<label>/) holding the JSON run-time config"},
    {.key = "greeting",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct hello_static, greeting),
     .def = "hello",
     .help = "greeting used while the KV store has none"},
    {.key = "interval_ms",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct hello_static, interval_ms),
     .def = "1000",
     .help = "greeting period used while the KV store has none",
     .min = 10,
     .max = 3600000},
};
#define N_HELLO_FIELDS (sizeof(hello_fields) / sizeof(hello_fields[0]))

struct hello {
	struct cninfra_agent *agent;
	struct cninfra_logger *log;
	struct hello_static st;
	char key[512];	      /* full KV key of the run-time config */
	char status_key[512]; /* where we publish what we applied */
	/* The run-time config in force. */
	char greeting[GREETING_MAX + 1];
	int64_t interval_ms;
	int64_t revision; /* KV revision it came from; 0: defaults */
	uint64_t greetings;
	struct cninfra_datasync *sync;
	struct cninfra_timer *timer;
	struct cninfra_series *m_greetings, *m_updates, *m_errors, *m_interval, *m_revision;
};

/* Validates a JSON config; on success fills greeting/interval. Never trusts the input. */
static int
parse_config(const char *text, size_t size, char *greeting, int64_t *interval_ms, char *why,
	     size_t why_size)
{
	json_error_t err;
	json_t *j = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		snprintf(why, why_size, "invalid JSON at line %d: %s", err.line, err.text);
		return -EINVAL;
	}
	int rc = -EINVAL;
	const char *key;
	json_t *v;
	if (!json_is_object(j)) {
		snprintf(why, why_size, "expected a JSON object");
		goto out;
	}
	json_object_foreach(j, key, v)
	{
		if (!strcmp(key, "greeting")) {
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) > GREETING_MAX) {
				snprintf(why, why_size,
					 "greeting: expected a string of 1..%d bytes",
					 GREETING_MAX);
				goto out;
			}
			snprintf(greeting, GREETING_MAX + 1, "%s", json_string_value(v));
		} else if (!strcmp(key, "interval_ms")) {
			if (!json_is_integer(v) || json_integer_value(v) < 10 ||
			    json_integer_value(v) > 3600000) {
				snprintf(why, why_size,
					 "interval_ms: expected an integer 10..3600000");
				goto out;
			}
			*interval_ms = json_integer_value(v);
		} else {
			snprintf(why, why_size, "unknown key '%.64s'", key);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

static void
publish_status(struct hello *h)
{
	json_t *j =
	    json_pack("{s:s,s:I,s:I}", "greeting", h->greeting, "interval_ms",
		      (json_int_t)h->interval_ms, "applied_revision", (json_int_t)h->revision);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!s)
		return;
	int rc = cninfra_kv_put(cninfra_agent_kv(h->agent), h->status_key, s, strlen(s), NULL);
	if (rc)
		cninfra_warn(h->log, "cannot publish status", "key=%s err=\"%s\"", h->status_key,
			     strerror(-rc));
	free(s);
}

static void
apply(struct hello *h, const char *greeting, int64_t interval_ms, int64_t revision)
{
	snprintf(h->greeting, sizeof(h->greeting), "%s", greeting);
	h->revision = revision;
	if (interval_ms != h->interval_ms) {
		h->interval_ms = interval_ms;
		cninfra_timer_set(h->timer, (uint64_t)interval_ms, (uint64_t)interval_ms);
	}
	cninfra_counter_inc(h->m_updates);
	cninfra_gauge_set(h->m_interval, (double)interval_ms);
	cninfra_gauge_set(h->m_revision, (double)revision);
	cninfra_health_report(cninfra_agent_health(h->agent), "hello", CNINFRA_HEALTH_OK, NULL);
	cninfra_info(h->log, "config applied", "greeting=\"%s\" interval_ms=%lld revision=%lld",
		     h->greeting, (long long)interval_ms, (long long)revision);
	publish_status(h);
}

/* One value of our key (NULL: deleted or absent): apply it, or keep what we have and say why. */
static void
on_value(struct hello *h, const struct cninfra_kv_pair *p)
{
	if (!p) {
		apply(h, h->st.greeting, h->st.interval_ms, 0);
		return;
	}
	char greeting[GREETING_MAX + 1], why[200];
	int64_t interval = h->st.interval_ms;
	snprintf(greeting, sizeof(greeting), "%s", h->st.greeting);
	if (parse_config(p->value, p->value_size, greeting, &interval, why, sizeof(why))) {
		char reason[300];
		snprintf(reason, sizeof(reason), "bad config at revision %lld: %s",
			 (long long)p->mod_revision, why);
		cninfra_counter_inc(h->m_errors);
		cninfra_health_report(cninfra_agent_health(h->agent), "hello", CNINFRA_HEALTH_ERROR,
				      reason);
		cninfra_warn(h->log, "config rejected, keeping the previous one",
			     "key=%s revision=%lld err=\"%s\"", h->key, (long long)p->mod_revision,
			     why);
		return;
	}
	apply(h, greeting, interval, p->mod_revision);
}

static void
on_sync(const struct cninfra_datasync_event *ev, void *arg)
{
	struct hello *h = arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		const struct cninfra_kv_pair *found = NULL;
		for (size_t i = 0; i < ev->list->count; i++)
			if (!strcmp(ev->list->pairs[i].key, h->key))
				found = &ev->list->pairs[i];
		on_value(h, found);
		return;
	}
	if (strcmp(ev->ev->kv->key, h->key))
		return;
	on_value(h, ev->ev->type == CNINFRA_KV_PUT ? ev->ev->kv : NULL);
}

static void
greet(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	struct hello *h = arg;
	(void)loop;
	(void)t;
	h->greetings++;
	cninfra_counter_inc(h->m_greetings);
	cninfra_debug(h->log, h->greeting, "count=%llu", (unsigned long long)h->greetings);
}

static void
h_hello(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct hello *h = arg;
	(void)req;
	json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:s}", "greeting", h->greeting, "interval_ms",
			      (json_int_t)h->interval_ms, "revision", (json_int_t)h->revision,
			      "greetings", (json_int_t)h->greetings, "config_key", h->key);
	cninfra_http_reply_json(resp, 200, j);
	json_decref(j);
}

static int
hello_init(struct cninfra_agent *a, void *ctx)
{
	struct hello *h = ctx;
	h->agent = a;
	h->log = cninfra_agent_logger(a, "hello");
	int rc = cninfra_agent_config(a, "hello", hello_fields, N_HELLO_FIELDS, &h->st);
	if (rc)
		return rc;
	if (cninfra_agent_key(a, h->st.config_key, h->key, sizeof(h->key)) ||
	    cninfra_agent_key(a, "status/hello", h->status_key, sizeof(h->status_key)))
		return -ENAMETOOLONG;
	snprintf(h->greeting, sizeof(h->greeting), "%s", h->st.greeting);
	h->interval_ms = h->st.interval_ms;

	struct cninfra_metrics *m = cninfra_agent_metrics(a);
	h->m_greetings = cninfra_metric_with(
	    cninfra_metrics_counter(m, "hello_greetings_total", "Greetings said.", NULL), NULL);
	h->m_updates = cninfra_metric_with(
	    cninfra_metrics_counter(m, "hello_config_updates_total",
				    "Run-time configs applied (including defaults).", NULL),
	    NULL);
	h->m_errors = cninfra_metric_with(
	    cninfra_metrics_counter(m, "hello_config_errors_total",
				    "Run-time configs rejected as invalid.", NULL),
	    NULL);
	h->m_interval = cninfra_metric_with(
	    cninfra_metrics_gauge(m, "hello_interval_ms", "Greeting period in force.", NULL), NULL);
	h->m_revision = cninfra_metric_with(
	    cninfra_metrics_gauge(m, "hello_config_revision",
				  "KV revision of the config in force (0: defaults).", NULL),
	    NULL);
	if (!h->m_greetings || !h->m_updates || !h->m_errors || !h->m_interval || !h->m_revision)
		return -ENOMEM;

	/* Not ready until the first snapshot of the config has been applied. */
	cninfra_health_report(cninfra_agent_health(a), "hello", CNINFRA_HEALTH_INIT,
			      "waiting for config");
	h->timer = cninfra_loop_timer(cninfra_agent_loop(a), (uint64_t)h->interval_ms,
				      (uint64_t)h->interval_ms, greet, h);
	if (!h->timer)
		return -errno;
	return cninfra_http_handle(cninfra_agent_http(a), "GET", "/hello", h_hello, h);
}

static int
hello_after_init(struct cninfra_agent *a, void *ctx)
{
	struct hello *h = ctx;
	/* Watch the parent "directory" so a snapshot arrives first, then every change. */
	char prefix[512];
	snprintf(prefix, sizeof(prefix), "%s", h->key);
	char *slash = strrchr(prefix, '/');
	if (slash)
		slash[1] = 0;
	h->sync = cninfra_datasync_new(cninfra_agent_kv(a), prefix, 1000, on_sync, h);
	if (!h->sync)
		return -errno;
	cninfra_info(h->log, "watching config", "key=%s", h->key);
	return 0;
}

static void
hello_close(struct cninfra_agent *a, void *ctx)
{
	struct hello *h = ctx;
	(void)a;
	cninfra_datasync_free(h->sync);
	h->sync = NULL;
	cninfra_timer_free(h->timer);
	h->timer = NULL;
	cninfra_cfg_release(hello_fields, N_HELLO_FIELDS, &h->st);
}

/* ---- plugin "ligd": attach to ligd's API socket with libligapi ---- */

struct ligd_cfg {
	char *socket; /* ligd's API socket; empty: do not attach */
	int64_t retry_ms;
	int64_t timeout_ms;
};

static const struct cninfra_cfg_field ligd_fields[] = {
    {.key = "socket",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct ligd_cfg, socket),
     .def = "",
     .help = "ligd's API socket (e.g. /run/ligature/api.sock); empty: no ligd"},
    {.key = "retry_ms",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct ligd_cfg, retry_ms),
     .def = "2000",
     .help = "check / reconnect period",
     .min = 50,
     .max = 3600000},
    {.key = "timeout_ms",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct ligd_cfg, timeout_ms),
     .def = "500",
     .help = "per-request timeout; a ligd that does not answer in time counts as lost",
     .min = 10,
     .max = 60000},
};
#define N_LIGD_FIELDS (sizeof(ligd_fields) / sizeof(ligd_fields[0]))

/* interface_event's "event" field, as metric label values (the last: anything newer). */
static const char *const ligd_event_kinds[] = {"add", "delete", "admin", "link",
					       "mac", "mtu",	"other"};
#define N_LIGD_EVENT_KINDS (sizeof(ligd_event_kinds) / sizeof(ligd_event_kinds[0]))

struct ligd {
	struct cninfra_agent *agent;
	struct cninfra_logger *log;
	struct ligd_cfg cfg;
	struct lig_api_client *api;  /* NULL: detached */
	struct cninfra_watch *watch; /* the API socket in the loop, for events */
	/* What the last check saw. */
	char version[33];
	uint32_t pid;
	uint32_t n_msgs;
	uint32_t n_interfaces;
	uint64_t events;     /* interface events seen since start */
	char last_event[96]; /* "add loop1" */
	bool recount;	     /* an interface was added or deleted: dump again */
	char error[512];     /* why we are detached; "" while attached */
	struct cninfra_timer *timer;
	struct cninfra_series *m_attached, *m_ok, *m_fail, *m_interfaces;
	struct cninfra_series *m_events[N_LIGD_EVENT_KINDS];
};

/* An interface event, from lig_api_poll_events() or from inside a call: count and log it.
 * No call on the client from here (a call may be in progress); a recount is only noted. */
static void
ligd_on_event(void *ctx, u16 msg_id, const void *body, u32 size)
{
	struct ligd *l = ctx;
	lig_api_interface_event_t ev;
	if (msg_id != LIG_API_ID_interface_event || size != sizeof(ev))
		return;
	memcpy(&ev, body, sizeof(ev));
	size_t kind = ev.event < N_LIGD_EVENT_KINDS - 1 ? ev.event : N_LIGD_EVENT_KINDS - 1;
	l->events++;
	cninfra_counter_inc(l->m_events[kind]);
	snprintf(l->last_event, sizeof(l->last_event), "%s %.*s", ligd_event_kinds[kind],
		 (int)sizeof(ev.name), ev.name);
	if (ev.event == 0 || ev.event == 1)
		l->recount = true;
	cninfra_info(l->log, "interface event",
		     "event=%s sw_if_index=%u name=%.*s admin_up=%d link_up=%d mtu=%u",
		     ligd_event_kinds[kind], ev.sw_if_index, (int)sizeof(ev.name), ev.name,
		     ev.admin_up, ev.link_up, ev.mtu);
}

static void
ligd_detach(struct ligd *l, const char *what, const char *why)
{
	char error[sizeof(l->error)];
	/* A failed connect's reason names the socket already; a failed request's does not. */
	if (*what)
		snprintf(error, sizeof(error), "ligd unreachable at %s: %s: %s", l->cfg.socket,
			 what, why);
	else
		snprintf(error, sizeof(error), "ligd unreachable: %s", why);
	/* Logged when attached until now or when the reason changes, not on every retry. */
	if (strcmp(error, l->error))
		cninfra_warn(l->log, l->api ? "ligd connection lost" : "cannot attach to ligd",
			     "socket=%s err=\"%s\" retry_ms=%lld", l->cfg.socket, error,
			     (long long)l->cfg.retry_ms);
	snprintf(l->error, sizeof(l->error), "%s", error);
	cninfra_loop_unwatch(l->watch);
	l->watch = NULL;
	lig_api_disconnect(l->api);
	l->api = NULL;
	cninfra_gauge_set(l->m_attached, 0);
	cninfra_counter_inc(l->m_fail);
	cninfra_health_report(cninfra_agent_health(l->agent), "ligd", CNINFRA_HEALTH_ERROR,
			      l->error);
}

static bool
ligd_count_cb(void *ctx, const void *details, u32 size)
{
	(void)details;
	(void)size;
	(*(uint32_t *)ctx)++;
	return true;
}

static int
ligd_count_interfaces(struct ligd *l)
{
	lig_api_sw_interface_dump_t req = {0}; /* all zero: every interface */
	uint32_t n = 0;
	int rc = LIG_API_CLIENT_DUMP(l->api, sw_interface_dump, &req, ligd_count_cb, &n);
	if (rc < 0)
		return rc;
	if (n != l->n_interfaces)
		cninfra_info(l->log, "interfaces counted", "count=%u", n);
	l->n_interfaces = n;
	cninfra_gauge_set(l->m_interfaces, (double)n);
	return 0;
}

/* Dispatches the events a call read along with its reply (the fd does not show those) and
 * those waiting on the socket, and recounts when an interface came or went. A few rounds at
 * most: under a storm of events the rest waits for the next wakeup. */
static int
ligd_drain(struct ligd *l)
{
	for (int round = 0; round < 4; round++) {
		int rc = lig_api_poll_events(l->api, 0);
		if (rc < 0)
			return rc;
		if (!l->recount)
			return 0;
		l->recount = false;
		rc = ligd_count_interfaces(l);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The API socket is readable (events, or ligd went away). */
static void
ligd_on_readable(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	struct ligd *l = arg;
	(void)loop;
	(void)fd;
	(void)events;
	if (l->api && ligd_drain(l) < 0)
		ligd_detach(l, "events", lig_api_last_error(l->api));
}

/* Connects (bounded by timeout_ms), subscribes to interface events and watches the socket
 * in the loop. */
static int
ligd_attach(struct ligd *l)
{
	char err[300];
	l->api = lig_api_connect_timeout(l->cfg.socket, (int)l->cfg.timeout_ms, err, sizeof(err));
	if (!l->api) {
		int rc = -errno;
		ligd_detach(l, "", err);
		return rc;
	}
	lig_api_set_event_cb(l->api, ligd_on_event, l);
	int rc = lig_api_want_events(l->api, LIG_API_ID_interface_event, true);
	if (rc < 0) {
		ligd_detach(l, "want_events", lig_api_last_error(l->api));
		return rc;
	}
	l->watch = cninfra_loop_watch_fd(cninfra_agent_loop(l->agent), lig_api_fd(l->api), EPOLLIN,
					 ligd_on_readable, l);
	if (!l->watch) {
		rc = -errno;
		ligd_detach(l, "watch", strerror(-rc));
		return rc;
	}
	l->recount = true;
	return 0;
}

/* Every retry_ms: attach if detached, then check: api_version and the interface count. A
 * stuck ligd delays the loop by at most timeout_ms per request, then counts as lost. */
static void
ligd_check(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	struct ligd *l = arg;
	(void)loop;
	(void)t;
	if (!l->api && ligd_attach(l) < 0)
		return;
	lig_api_api_version_t vreq;
	lig_api_api_version_reply_t vrep;
	if (LIG_API_CLIENT_CALL(l->api, api_version, &vreq, &vrep) < 0) {
		ligd_detach(l, "api_version", lig_api_last_error(l->api));
		return;
	}
	snprintf(l->version, sizeof(l->version), "%.*s", (int)sizeof(vrep.version), vrep.version);
	l->pid = vrep.pid;
	l->n_msgs = vrep.n_msgs;
	l->recount = false;
	if (ligd_count_interfaces(l) < 0) {
		ligd_detach(l, "sw_interface_dump", lig_api_last_error(l->api));
		return;
	}
	if (ligd_drain(l) < 0) {
		ligd_detach(l, "events", lig_api_last_error(l->api));
		return;
	}
	cninfra_counter_inc(l->m_ok);
	if (l->error[0] || cninfra_series_value(l->m_attached) != 1)
		cninfra_info(l->log, "attached to ligd",
			     "socket=%s version=\"%s\" pid=%u messages=%u interfaces=%u",
			     l->cfg.socket, l->version, l->pid, l->n_msgs, l->n_interfaces);
	l->error[0] = 0;
	cninfra_gauge_set(l->m_attached, 1);
	cninfra_health_report(cninfra_agent_health(l->agent), "ligd", CNINFRA_HEALTH_OK, NULL);
}

static void
h_ligd(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct ligd *l = arg;
	(void)req;
	/* Attached: connected, and the last check succeeded (a failed one detaches). The rest is
	 * what the last check and the events since then said. */
	bool attached = l->api != NULL;
	json_t *j =
	    json_pack("{s:b,s:s,s:s,s:I,s:I,s:I,s:s,s:s}", "attached", attached, "socket",
		      l->cfg.socket, "version", l->version, "pid", (json_int_t)l->pid, "interfaces",
		      (json_int_t)l->n_interfaces, "events", (json_int_t)l->events, "last_event",
		      l->last_event, "error", l->error);
	cninfra_http_reply_json(resp, 200, j);
	json_decref(j);
}

static int
ligd_init(struct cninfra_agent *a, void *ctx)
{
	struct ligd *l = ctx;
	l->agent = a;
	l->log = cninfra_agent_logger(a, "ligd");
	int rc = cninfra_agent_config(a, "ligd", ligd_fields, N_LIGD_FIELDS, &l->cfg);
	if (rc)
		return rc;
	struct cninfra_metrics *m = cninfra_agent_metrics(a);
	const char *const res[] = {"result", NULL};
	struct cninfra_metric *req = cninfra_metrics_counter(
	    m, "hello_ligd_requests_total",
	    "Checks of ligd (api_version + interface dump) by result.", res);
	l->m_ok = cninfra_metric_with(req, (const char *const[]){"ok"});
	l->m_fail = cninfra_metric_with(req, (const char *const[]){"error"});
	l->m_attached = cninfra_metric_with(
	    cninfra_metrics_gauge(m, "hello_ligd_attached", "1 while attached to ligd.", NULL),
	    NULL);
	l->m_interfaces = cninfra_metric_with(
	    cninfra_metrics_gauge(m, "hello_ligd_interfaces",
				  "Interfaces of ligd at the last check or add/delete event.",
				  NULL),
	    NULL);
	const char *const ev[] = {"event", NULL};
	struct cninfra_metric *events = cninfra_metrics_counter(
	    m, "hello_ligd_events_total", "Interface events received from ligd, by kind.", ev);
	if (!l->m_ok || !l->m_fail || !l->m_attached || !l->m_interfaces || !events)
		return -ENOMEM;
	for (size_t i = 0; i < N_LIGD_EVENT_KINDS; i++)
		if (!(l->m_events[i] =
			  cninfra_metric_with(events, (const char *const[]){ligd_event_kinds[i]})))
			return -ENOMEM;
	if (!*l->cfg.socket) {
		cninfra_info(l->log, "no ligd socket configured, running standalone", "%s", "");
		return cninfra_http_handle(cninfra_agent_http(a), "GET", "/ligd", h_ligd, l);
	}
	cninfra_health_report(cninfra_agent_health(a), "ligd", CNINFRA_HEALTH_INIT, "attaching");
	l->timer =
	    cninfra_loop_timer(cninfra_agent_loop(a), 0, (uint64_t)l->cfg.retry_ms, ligd_check, l);
	if (!l->timer)
		return -errno;
	return cninfra_http_handle(cninfra_agent_http(a), "GET", "/ligd", h_ligd, l);
}

static void
ligd_close(struct cninfra_agent *a, void *ctx)
{
	struct ligd *l = ctx;
	(void)a;
	cninfra_timer_free(l->timer);
	l->timer = NULL;
	cninfra_loop_unwatch(l->watch);
	l->watch = NULL;
	lig_api_disconnect(l->api);
	l->api = NULL;
	cninfra_cfg_release(ligd_fields, N_LIGD_FIELDS, &l->cfg);
}

int
main(int argc, char **argv)
{
	static struct hello hello;
	static struct ligd ligd;
	struct cninfra_agent_opts opts = {.name = "hello-cnf",
					  .argc = argc,
					  .argv = argv,
					  .label = "hello-cnf",
					  .stop_timeout_ms = 5000};
	struct cninfra_agent *agent = cninfra_agent_new(&opts);
	if (!agent) {
		fprintf(stderr, "hello-cnf: cannot create agent: %s\n", strerror(errno));
		return 1;
	}
	const struct cninfra_plugin plugins[] = {
	    {.name = "hello",
	     .deps = (const char *const[]){CNINFRA_PLUGIN_KV, CNINFRA_PLUGIN_HTTP, NULL},
	     .init = hello_init,
	     .after_init = hello_after_init,
	     .close = hello_close,
	     .ctx = &hello},
	    {.name = "ligd",
	     .deps = (const char *const[]){CNINFRA_PLUGIN_HTTP, NULL},
	     .init = ligd_init,
	     .close = ligd_close,
	     .ctx = &ligd},
	};
	for (size_t i = 0; i < sizeof(plugins) / sizeof(plugins[0]); i++)
		cninfra_agent_add(agent, &plugins[i]);
	int rc = cninfra_agent_run(agent);
	if (rc)
		fprintf(stderr, "hello-cnf: %s\n", cninfra_agent_error(agent));
	cninfra_agent_free(agent);
	return rc ? 1 : 0;
}
