// SPDX-License-Identifier: Apache-2.0
// The agent: plugin registry and dependency ordering, start-up (init then after-init), shutdown in
// reverse on SIGTERM/SIGINT under a watchdog, per-plugin config sources, and the two built-in
// plugins "http" (probes, metrics, log levels) and "kv" (the store, embedded or etcd).
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cninfra.h"

#define MAX_PLUGINS 64
#define DEFAULT_HTTP_PORT 9191

enum pstate { P_NEW, P_VISITING, P_ORDERED };

struct plugin {
	struct cninfra_plugin p;
	bool builtin;
	bool needed;
	enum pstate state;
	bool inited;
};

struct http_cfg {
	int64_t port;
	char *addr;
};

struct kv_cfg {
	char *endpoint;
	char *dir;
	int64_t timeout_ms;
	int64_t compact_min_size;
	int64_t probe_ms;
};

struct cninfra_agent {
	char name[64];
	char label[64];
	char *config_dir;
	int argc;
	char *const *argv;
	unsigned stop_timeout_ms;
	struct cninfra_loop *loop;
	struct cninfra_health *health;
	struct cninfra_metrics *metrics;
	struct cninfra_http *http;
	struct cninfra_kv *kv;
	struct cninfra_timer *kv_probe;
	struct cninfra_logger *log;
	struct plugin plugins[MAX_PLUGINS];
	size_t n_plugins;
	struct plugin *order[MAX_PLUGINS];
	const char *order_names[MAX_PLUGINS + 1];
	size_t n_order;
	bool started;
	volatile bool stopping;
	char err[512];
	struct http_cfg http_cfg;
	struct kv_cfg kv_cfg;
};

static void set_err(struct cninfra_agent *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(struct cninfra_agent *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
}

static bool
valid_ident(const char *s, size_t max, bool dots)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      (dots && ((c >= 'A' && c <= 'Z') || c == '.'))))
			return false;
	}
	return true;
}

/* Value of --name=V or --name V on the command line, or NULL. */
static const char *
flag_value(int argc, char *const *argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!a || strncmp(a, "--", 2) || strncmp(a + 2, name, n))
			continue;
		if (a[2 + n] == '=')
			return a + 3 + n;
		if (!a[2 + n] && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

/* Built-in "http" plugin */

static void
h_liveness(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct cninfra_agent *a = arg;
	(void)req;
	char *s = cninfra_health_json(a->health, 0);
	int alive = cninfra_health_alive(a->health);
	if (!s) {
		cninfra_http_reply_text(resp, 500, "out of memory");
		return;
	}
	resp->status = alive ? 200 : 503;
	resp->content_type = "application/json";
	resp->body = s;
	resp->body_size = strlen(s);
}

static void
h_readiness(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct cninfra_agent *a = arg;
	(void)req;
	char *s = cninfra_health_json(a->health, 1);
	int ready = cninfra_health_ready(a->health);
	if (!s) {
		cninfra_http_reply_text(resp, 500, "out of memory");
		return;
	}
	resp->status = ready ? 200 : 503;
	resp->content_type = "application/json";
	resp->body = s;
	resp->body_size = strlen(s);
}

static void
h_metrics(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct cninfra_agent *a = arg;
	(void)req;
	char *s = cninfra_metrics_render(a->metrics);
	if (!s) {
		cninfra_http_reply_text(resp, 500, "out of memory");
		return;
	}
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	resp->body = s;
	resp->body_size = strlen(s);
}

static void
add_logger(const struct cninfra_logger *lg, void *arg)
{
	json_object_set_new(arg, cninfra_log_name(lg),
			    json_string(cninfra_log_level_name(cninfra_log_level(lg))));
}

static void
h_log_list(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *o = json_object();
	cninfra_log_foreach(add_logger, o);
	json_t *root = json_pack("{s:o}", "loggers", o);
	cninfra_http_reply_json(resp, 200, root);
	json_decref(root);
}

/* PUT or POST /log/<logger>/<level> */
static void
h_log_set(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct cninfra_agent *a = arg;
	char name[128];
	const char *rest = req->path + strlen("/log/");
	const char *slash = strchr(rest, '/');
	if (!slash || (size_t)(slash - rest) >= sizeof(name) || slash == rest) {
		cninfra_http_reply_error(resp, 400, "expected /log/<logger>/<level>");
		return;
	}
	memcpy(name, rest, (size_t)(slash - rest));
	name[slash - rest] = 0;
	int level = cninfra_log_level_parse(slash + 1);
	if (level < 0) {
		cninfra_http_reply_error(resp, 400, "level must be debug, info, warn or error");
		return;
	}
	if (cninfra_log_set_level(name, (enum cninfra_log_level)level) < 0) {
		cninfra_http_reply_error(resp, 404, "no such logger");
		return;
	}
	cninfra_info(a->log, "log level changed", "logger=%s level=%s", name,
		     cninfra_log_level_name((enum cninfra_log_level)level));
	json_t *j = json_pack("{s:s,s:s}", "logger", name, "level",
			      cninfra_log_level_name((enum cninfra_log_level)level));
	cninfra_http_reply_json(resp, 200, j);
	json_decref(j);
}

static const struct cninfra_cfg_field http_fields[] = {
    {.key = "port",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct http_cfg, port),
     .def = "9191",
     .help = "TCP port of the HTTP server (0: any free port)",
     .min = 0,
     .max = 65535},
    {.key = "addr",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct http_cfg, addr),
     .def = "127.0.0.1",
     .help = "IPv4 address to listen on"},
};

static int
http_init(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	int rc = cninfra_agent_config(a, CNINFRA_PLUGIN_HTTP, http_fields,
				      sizeof(http_fields) / sizeof(http_fields[0]), &a->http_cfg);
	if (rc)
		return rc;
	a->http = cninfra_http_new(a->loop, a->http_cfg.addr, (uint16_t)a->http_cfg.port);
	if (!a->http) {
		rc = -errno;
		set_err(a, "http: cannot listen on %s:%lld: %s", a->http_cfg.addr,
			(long long)a->http_cfg.port, strerror(errno));
		return rc;
	}
	if ((rc = cninfra_http_handle(a->http, "GET", "/liveness", h_liveness, a)) ||
	    (rc = cninfra_http_handle(a->http, "GET", "/readiness", h_readiness, a)) ||
	    (rc = cninfra_http_handle(a->http, "GET", "/metrics", h_metrics, a)) ||
	    (rc = cninfra_http_handle(a->http, "GET", "/log/list", h_log_list, a)) ||
	    (rc = cninfra_http_handle(a->http, "PUT", "/log/*", h_log_set, a)) ||
	    (rc = cninfra_http_handle(a->http, "POST", "/log/*", h_log_set, a)))
		return rc;
	cninfra_info(a->log, "http server listening", "addr=%s port=%u", a->http_cfg.addr,
		     cninfra_http_port(a->http));
	cninfra_health_report(a->health, CNINFRA_PLUGIN_HTTP, CNINFRA_HEALTH_OK, NULL);
	return 0;
}

static void
http_close(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	cninfra_http_free(a->http);
	a->http = NULL;
	cninfra_cfg_release(http_fields, sizeof(http_fields) / sizeof(http_fields[0]),
			    &a->http_cfg);
}

/* Built-in "kv" plugin */

static const struct cninfra_cfg_field kv_fields[] = {
    {.key = "endpoint",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct kv_cfg, endpoint),
     .def = "",
     .help = "etcd endpoints (http://127.0.0.1:2379,...); empty: embedded store"},
    {.key = "dir",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct kv_cfg, dir),
     .def = NULL,
     .help = "embedded store directory (default /var/lib/ligature/<label>)"},
    {.key = "timeout_ms",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct kv_cfg, timeout_ms),
     .def = "3000",
     .help = "etcd request timeout",
     .min = 1,
     .max = 600000},
    {.key = "compact_min_size",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct kv_cfg, compact_min_size),
     .def = "1048576",
     .help = "embedded: compact the log once it is larger than this",
     .min = 1,
     .max = (int64_t)1 << 40},
    {.key = "probe_ms",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct kv_cfg, probe_ms),
     .def = "2000",
     .help = "etcd: how often health checks the store",
     .min = 100,
     .max = 3600000},
};

static void
kv_probe(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	struct cninfra_agent *a = arg;
	struct cninfra_kv_pair *p = NULL;
	(void)loop;
	(void)t;
	int rc = cninfra_kv_get(a->kv, "/ligature/.probe", &p);
	cninfra_kv_pair_free(p);
	if (rc == 0 || rc == -ENOENT)
		cninfra_health_report(a->health, CNINFRA_PLUGIN_KV, CNINFRA_HEALTH_OK, NULL);
	else
		cninfra_health_report(a->health, CNINFRA_PLUGIN_KV, CNINFRA_HEALTH_ERROR,
				      strerror(-rc));
}

static int
kv_init(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	int rc = cninfra_agent_config(a, CNINFRA_PLUGIN_KV, kv_fields,
				      sizeof(kv_fields) / sizeof(kv_fields[0]), &a->kv_cfg);
	if (rc)
		return rc;
	char dir[512];
	struct cninfra_kv_opts o = {.timeout_ms = (unsigned)a->kv_cfg.timeout_ms,
				    .compact_min_size = (size_t)a->kv_cfg.compact_min_size};
	if (*a->kv_cfg.endpoint) {
		o.endpoint = a->kv_cfg.endpoint;
	} else {
		if (a->kv_cfg.dir) {
			snprintf(dir, sizeof(dir), "%s", a->kv_cfg.dir);
		} else {
			mkdir("/var/lib/ligature", 0755);
			snprintf(dir, sizeof(dir), "/var/lib/ligature/%s", a->label);
		}
		o.endpoint = dir;
	}
	a->kv = cninfra_kv_open(a->loop, &o);
	if (!a->kv) {
		rc = -errno;
		set_err(a, "kv: cannot open store '%s': %s", o.endpoint, strerror(errno));
		return rc;
	}
	cninfra_info(a->log, "kv store open", "backend=%s endpoint=\"%s\"",
		     cninfra_kv_backend(a->kv), o.endpoint);
	cninfra_health_report(a->health, CNINFRA_PLUGIN_KV, CNINFRA_HEALTH_OK, NULL);
	if (!strcmp(cninfra_kv_backend(a->kv), "etcd")) {
		a->kv_probe =
		    cninfra_loop_timer(a->loop, 0, (uint64_t)a->kv_cfg.probe_ms, kv_probe, a);
		if (!a->kv_probe)
			return -errno;
	}
	return 0;
}

static void
kv_close(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	cninfra_timer_free(a->kv_probe);
	a->kv_probe = NULL;
	cninfra_kv_close(a->kv);
	a->kv = NULL;
	cninfra_cfg_release(kv_fields, sizeof(kv_fields) / sizeof(kv_fields[0]), &a->kv_cfg);
}

/* The agent */

static void
on_signal(struct cninfra_loop *loop, int signo, void *arg)
{
	struct cninfra_agent *a = arg;
	cninfra_info(a->log, "signal received, stopping", "signal=%s",
		     signo == SIGTERM  ? "SIGTERM"
		     : signo == SIGINT ? "SIGINT"
				       : "?");
	a->stopping = true;
	cninfra_loop_quit(loop);
}

struct cninfra_agent *
cninfra_agent_new(const struct cninfra_agent_opts *opts)
{
	static const struct cninfra_agent_opts none;
	if (!opts)
		opts = &none;
	struct cninfra_agent *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->argc = opts->argc;
	a->argv = opts->argv;
	a->stop_timeout_ms = opts->stop_timeout_ms ? opts->stop_timeout_ms : 10000;
	a->log = cninfra_log_get("agent");
	const char *label = flag_value(a->argc, a->argv, "label");
	if (!label)
		label = getenv("MICROSERVICE_LABEL");
	if (!label || !*label)
		label = opts->label;
	if (!label || !*label)
		label = opts->name;
	if (!label || !*label)
		label = "cninfra";
	if (!valid_ident(label, sizeof(a->label) - 1, true)) {
		free(a);
		errno = EINVAL;
		return NULL;
	}
	snprintf(a->label, sizeof(a->label), "%s", label);
	snprintf(a->name, sizeof(a->name), "%s", opts->name ? opts->name : a->label);
	/* Default level of every logger: --log-level, else CNINFRA_LOG_LEVEL. */
	const char *lvl = flag_value(a->argc, a->argv, "log-level");
	if (!lvl)
		lvl = getenv("CNINFRA_LOG_LEVEL");
	if (lvl) {
		int l = cninfra_log_level_parse(lvl);
		if (l < 0) {
			free(a);
			errno = EINVAL;
			return NULL;
		}
		cninfra_log_set_level(NULL, (enum cninfra_log_level)l);
	}
	const char *cd = flag_value(a->argc, a->argv, "config-dir");
	if (!cd)
		cd = getenv("CNINFRA_CONFIG_DIR");
	if (cd && !(a->config_dir = strdup(cd)))
		goto fail;
	signal(SIGPIPE, SIG_IGN);
	a->loop = cninfra_loop_new();
	a->health = cninfra_health_new();
	a->metrics = cninfra_metrics_new();
	if (!a->loop || !a->health || !a->metrics)
		goto fail;
	if (cninfra_loop_signal(a->loop, SIGTERM, on_signal, a) ||
	    cninfra_loop_signal(a->loop, SIGINT, on_signal, a))
		goto fail;
	static const struct cninfra_plugin http = {
	    .name = CNINFRA_PLUGIN_HTTP, .init = http_init, .close = http_close};
	static const struct cninfra_plugin kv = {
	    .name = CNINFRA_PLUGIN_KV, .init = kv_init, .close = kv_close};
	a->plugins[0] = (struct plugin){.p = http, .builtin = true, .needed = true};
	a->plugins[1] = (struct plugin){.p = kv, .builtin = true};
	a->n_plugins = 2;
	cninfra_health_report(a->health, "agent", CNINFRA_HEALTH_INIT, "starting");
	const char *const info_labels[] = {"label", "version", NULL};
	struct cninfra_metric *info =
	    cninfra_metrics_gauge(a->metrics, "cninfra_agent_info",
				  "Agent label and library version (always 1)", info_labels);
	const char *const info_vals[] = {a->label, CNINFRA_VERSION};
	cninfra_gauge_set(cninfra_metric_with(info, info_vals), 1);
	return a;
fail:;
	int e = errno ? errno : ENOMEM;
	cninfra_agent_free(a);
	errno = e;
	return NULL;
}

void
cninfra_agent_free(struct cninfra_agent *a)
{
	if (!a)
		return;
	cninfra_agent_close(a);
	cninfra_loop_free(a->loop);
	cninfra_health_free(a->health);
	cninfra_metrics_free(a->metrics);
	free(a->config_dir);
	free(a);
}

int
cninfra_agent_add(struct cninfra_agent *a, const struct cninfra_plugin *p)
{
	if (!a || !p || !valid_ident(p->name, 63, false))
		return -EINVAL;
	if (a->started)
		return -EBUSY;
	for (size_t i = 0; i < a->n_plugins; i++)
		if (!strcmp(a->plugins[i].p.name, p->name))
			return -EEXIST;
	if (a->n_plugins == MAX_PLUGINS)
		return -ENOSPC;
	a->plugins[a->n_plugins++] = (struct plugin){.p = *p, .needed = true};
	return 0;
}

static struct plugin *
find_plugin(struct cninfra_agent *a, const char *name)
{
	for (size_t i = 0; i < a->n_plugins; i++)
		if (!strcmp(a->plugins[i].p.name, name))
			return &a->plugins[i];
	return NULL;
}

/* Depth-first: dependencies are ordered before their users; a grey node seen again is a cycle,
 * reported along the path from it. */
static int
visit(struct cninfra_agent *a, struct plugin *p, struct plugin **stack, size_t depth)
{
	if (p->state == P_ORDERED)
		return 0;
	if (p->state == P_VISITING) {
		char path[400] = "";
		size_t off = 0, start = 0;
		while (start < depth && stack[start] != p)
			start++;
		for (size_t i = start; i < depth && off < sizeof(path); i++)
			off += (size_t)snprintf(path + off, sizeof(path) - off, "%s -> ",
						stack[i]->p.name);
		if (off < sizeof(path))
			snprintf(path + off, sizeof(path) - off, "%s", p->p.name);
		set_err(a, "plugin dependency cycle: %s", path);
		return -ELOOP;
	}
	p->state = P_VISITING;
	stack[depth] = p;
	for (const char *const *d = p->p.deps; d && *d; d++) {
		struct plugin *dep = find_plugin(a, *d);
		if (!dep) {
			set_err(a, "plugin '%s' depends on '%s', which is not registered",
				p->p.name, *d);
			return -ENOENT;
		}
		int rc = visit(a, dep, stack, depth + 1);
		if (rc)
			return rc;
	}
	p->state = P_ORDERED;
	a->order[a->n_order] = p;
	a->order_names[a->n_order++] = p->p.name;
	a->order_names[a->n_order] = NULL;
	return 0;
}

/* Every flag must belong to the agent or to a registered plugin. */
static int
check_flags(struct cninfra_agent *a)
{
	for (int i = 1; i < a->argc; i++) {
		const char *arg = a->argv[i];
		if (!arg || strncmp(arg, "--", 2)) {
			set_err(a, "unexpected argument '%.100s'", arg ? arg : "");
			return -EINVAL;
		}
		const char *name = arg + 2;
		size_t n = strcspn(name, "=");
		bool ok = (n == 5 && !strncmp(name, "label", 5)) ||
			  (n == 10 && !strncmp(name, "config-dir", 10)) ||
			  (n == 9 && !strncmp(name, "log-level", 9));
		for (size_t k = 0; k < a->n_plugins && !ok; k++) {
			size_t pl = strlen(a->plugins[k].p.name);
			if (n > pl && !strncmp(name, a->plugins[k].p.name, pl) &&
			    (name[pl] == '.' || (n == pl + 7 && !strncmp(name + pl, "-config", 7))))
				ok = true;
		}
		if (!ok) {
			set_err(a, "unknown flag '--%.*s'", (int)(n > 100 ? 100 : n), name);
			return -EINVAL;
		}
		if (!name[n])
			i++; /* "--flag value" */
	}
	return 0;
}

int
cninfra_agent_start(struct cninfra_agent *a)
{
	if (!a)
		return -EINVAL;
	if (a->started)
		return -EALREADY;
	a->err[0] = 0;
	int rc = check_flags(a);
	if (rc)
		goto fail_early;
	struct plugin *stack[MAX_PLUGINS + 1];
	a->n_order = 0;
	for (size_t i = 0; i < a->n_plugins; i++)
		a->plugins[i].state = P_NEW;
	/* Built-ins the user plugins do not need are left out ("kv" unless asked for). */
	for (size_t i = 0; i < a->n_plugins && !rc; i++)
		if (a->plugins[i].needed)
			rc = visit(a, &a->plugins[i], stack, 0);
	if (rc)
		goto fail_early;
	a->started = true;
	for (size_t i = 0; i < a->n_order; i++) {
		struct plugin *p = a->order[i];
		cninfra_debug(a->log, "init plugin", "plugin=%s", p->p.name);
		rc = p->p.init ? p->p.init(a, p->p.ctx) : 0;
		if (rc) {
			if (!a->err[0])
				set_err(a, "plugin '%s' init failed: %s", p->p.name, strerror(-rc));
			goto fail;
		}
		p->inited = true;
	}
	for (size_t i = 0; i < a->n_order; i++) {
		struct plugin *p = a->order[i];
		rc = p->p.after_init ? p->p.after_init(a, p->p.ctx) : 0;
		if (rc) {
			if (!a->err[0])
				set_err(a, "plugin '%s' after-init failed: %s", p->p.name,
					strerror(-rc));
			goto fail;
		}
	}
	cninfra_health_report(a->health, "agent", CNINFRA_HEALTH_OK, NULL);
	cninfra_info(a->log, "agent started", "name=%s label=%s plugins=%zu", a->name, a->label,
		     a->n_order);
	return 0;
fail:
	cninfra_error(a->log, "agent start-up failed", "err=\"%s\"", a->err);
	cninfra_agent_close(a);
	return rc;
fail_early:
	cninfra_error(a->log, "agent start-up failed", "err=\"%s\"", a->err);
	return rc;
}

void
cninfra_agent_close(struct cninfra_agent *a)
{
	if (!a || !a->started)
		return;
	cninfra_health_report(a->health, "agent", CNINFRA_HEALTH_ERROR, "stopping");
	for (size_t i = a->n_order; i > 0; i--) {
		struct plugin *p = a->order[i - 1];
		if (!p->inited)
			continue;
		cninfra_debug(a->log, "close plugin", "plugin=%s", p->p.name);
		if (p->p.close)
			p->p.close(a, p->p.ctx);
		p->inited = false;
	}
	a->started = false;
}

/* Shutdown watchdog: if closing hangs, the process must still go away. */
struct watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	unsigned ms;
	struct cninfra_logger *log;
};

static void *
watchdog_thread(void *arg)
{
	struct watchdog *wd = arg;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += wd->ms / 1000;
	ts.tv_nsec += (long)(wd->ms % 1000) * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	pthread_mutex_lock(&wd->mu);
	int rc = 0;
	while (!wd->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&wd->cv, &wd->mu, &ts);
	bool done = wd->done;
	pthread_mutex_unlock(&wd->mu);
	if (!done) {
		cninfra_error(wd->log, "shutdown timed out, exiting", "timeout_ms=%u", wd->ms);
		_exit(124);
	}
	return NULL;
}

int
cninfra_agent_run(struct cninfra_agent *a)
{
	int rc = cninfra_agent_start(a);
	if (rc)
		return rc;
	if (!a->stopping)
		rc = cninfra_loop_run(a->loop);
	struct watchdog wd = {.mu = PTHREAD_MUTEX_INITIALIZER,
			      .cv = PTHREAD_COND_INITIALIZER,
			      .ms = a->stop_timeout_ms,
			      .log = a->log};
	pthread_t th;
	bool have_wd = pthread_create(&th, NULL, watchdog_thread, &wd) == 0;
	cninfra_agent_close(a);
	if (have_wd) {
		pthread_mutex_lock(&wd.mu);
		wd.done = true;
		pthread_cond_signal(&wd.cv);
		pthread_mutex_unlock(&wd.mu);
		pthread_join(th, NULL);
	}
	cninfra_info(a->log, "agent stopped", "name=%s", a->name);
	return rc;
}

void
cninfra_agent_stop(struct cninfra_agent *a)
{
	if (!a)
		return;
	a->stopping = true;
	cninfra_loop_quit(a->loop);
}

const char *
cninfra_agent_error(const struct cninfra_agent *a)
{
	return a ? a->err : "";
}

const char *const *
cninfra_agent_order(const struct cninfra_agent *a)
{
	return a->order_names;
}

int
cninfra_agent_config(struct cninfra_agent *a, const char *plugin,
		     const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg)
{
	if (!a || !plugin || !valid_ident(plugin, 63, false))
		return -EINVAL;
	char flag[96], env[96], path[1024], prefix[80];
	snprintf(prefix, sizeof(prefix), "%s", plugin);
	for (char *p = prefix; *p; p++)
		*p = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	snprintf(flag, sizeof(flag), "%s-config", plugin);
	snprintf(env, sizeof(env), "%s_CONFIG", prefix);
	struct cninfra_cfg_sources src = {
	    .env_prefix = prefix, .argc = a->argc, .argv = a->argv, .flag_prefix = plugin};
	const char *file = flag_value(a->argc, a->argv, flag);
	if (!file)
		file = getenv(env);
	if (file) {
		src.file = file;
		src.file_required = true;
	} else if (a->config_dir) {
		snprintf(path, sizeof(path), "%s/%s.yaml", a->config_dir, plugin);
		src.file = path;
	}
	char err[400];
	int rc = cninfra_cfg_load(fields, n_fields, cfg, &src, err, sizeof(err));
	if (rc) {
		set_err(a, "config of plugin '%s': %s", plugin, err);
		cninfra_error(a->log, "bad configuration", "plugin=%s err=\"%s\"", plugin, err);
	}
	return rc;
}

const char *
cninfra_agent_name(const struct cninfra_agent *a)
{
	return a->name;
}

const char *
cninfra_agent_label(const struct cninfra_agent *a)
{
	return a->label;
}

int
cninfra_agent_key(const struct cninfra_agent *a, const char *suffix, char *buf, size_t size)
{
	int n = snprintf(buf, size, "/ligature/%s/%s", a->label, suffix ? suffix : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

struct cninfra_loop *
cninfra_agent_loop(struct cninfra_agent *a)
{
	return a->loop;
}

struct cninfra_health *
cninfra_agent_health(struct cninfra_agent *a)
{
	return a->health;
}

struct cninfra_metrics *
cninfra_agent_metrics(struct cninfra_agent *a)
{
	return a->metrics;
}

struct cninfra_http *
cninfra_agent_http(struct cninfra_agent *a)
{
	return a->http;
}

struct cninfra_kv *
cninfra_agent_kv(struct cninfra_agent *a)
{
	return a->kv;
}

struct cninfra_logger *
cninfra_agent_logger(struct cninfra_agent *a, const char *name)
{
	(void)a;
	return cninfra_log_get(name);
}
