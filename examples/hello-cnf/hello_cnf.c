// SPDX-License-Identifier: Apache-2.0
// hello-cnf: the example CNF built only on libcninfra's public API. It reads its configuration
// from the KV store (/ligature/<label>/config/hello, a JSON object), reacts to changes at run
// time, greets on a timer, reports health and metrics, and attaches to ligd's CLI socket when
// given one (not ready while ligd is unreachable, retrying in the background).
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <cninfra.h>

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

/* ---- plugin "ligd": attach to ligd's CLI socket ---- */

struct ligd_cfg {
	char *socket;  /* empty: do not attach */
	char *command; /* sent on attach and on every check */
	int64_t retry_ms;
	int64_t timeout_ms;
};

static const struct cninfra_cfg_field ligd_fields[] = {
    {.key = "socket",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct ligd_cfg, socket),
     .def = "",
     .help = "ligd CLI socket (e.g. /run/ligature/cli.sock); empty: no ligd"},
    {.key = "command",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct ligd_cfg, command),
     .def = "show version",
     .help = "CLI command used to check the attachment"},
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
     .help = "per-request timeout",
     .min = 10,
     .max = 60000},
};
#define N_LIGD_FIELDS (sizeof(ligd_fields) / sizeof(ligd_fields[0]))

#define LIGD_MAX_REPLY (1024 * 1024)

struct ligd {
	struct cninfra_agent *agent;
	struct cninfra_logger *log;
	struct ligd_cfg cfg;
	int fd;
	char *reply;	 /* last reply text of the check command */
	int status;	 /* its status */
	char error[256]; /* why we are detached */
	struct cninfra_timer *timer;
	struct cninfra_series *m_attached, *m_ok, *m_fail;
};

static int
io_all(int fd, void *buf, size_t n, bool wr)
{
	char *p = buf;
	while (n) {
		ssize_t r = wr ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (r == 0)
			return -ECONNRESET;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One request/reply on the CLI socket. The sockets have send/receive timeouts, so a stuck ligd
 * delays the loop by at most timeout_ms (a production CNF would make this non-blocking). */
static int
ligd_call(struct ligd *l, const char *cmd, int *status, char **text)
{
	size_t n = strlen(cmd);
	if (n == 0 || n > 65536)
		return -EINVAL;
	uint32_t len = htonl((uint32_t)n);
	int rc = io_all(l->fd, &len, 4, true);
	if (!rc)
		rc = io_all(l->fd, (void *)cmd, n, true);
	uint32_t hdr[2];
	if (!rc)
		rc = io_all(l->fd, hdr, sizeof(hdr), false);
	if (rc)
		return rc;
	uint32_t m = ntohl(hdr[1]);
	if (m > LIGD_MAX_REPLY)
		return -EPROTO; /* hostile or confused peer */
	char *t = malloc(m + 1);
	if (!t)
		return -ENOMEM;
	rc = io_all(l->fd, t, m, false);
	if (rc) {
		free(t);
		return rc;
	}
	t[m] = 0;
	*status = (int32_t)ntohl(hdr[0]);
	*text = t;
	return 0;
}

static void
ligd_detach(struct ligd *l, int err)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	snprintf(l->error, sizeof(l->error), "ligd unreachable at %s: %s", l->cfg.socket,
		 strerror(-err));
	cninfra_gauge_set(l->m_attached, 0);
	cninfra_counter_inc(l->m_fail);
	cninfra_health_report(cninfra_agent_health(l->agent), "ligd", CNINFRA_HEALTH_ERROR,
			      l->error);
}

static void
ligd_check(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	struct ligd *l = arg;
	(void)loop;
	(void)t;
	bool was = l->fd >= 0;
	if (l->fd < 0) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (strlen(l->cfg.socket) >= sizeof(sa.sun_path)) {
			ligd_detach(l, -ENAMETOOLONG);
			return;
		}
		strcpy(sa.sun_path, l->cfg.socket);
		l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct timeval tv = {.tv_sec = l->cfg.timeout_ms / 1000,
				     .tv_usec = (l->cfg.timeout_ms % 1000) * 1000};
		if (l->fd < 0 || setsockopt(l->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
		    setsockopt(l->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
		    connect(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			int e = -errno;
			if (l->error[0] == 0 || was)
				cninfra_warn(l->log, "cannot attach to ligd, will retry",
					     "socket=%s err=\"%s\" retry_ms=%lld", l->cfg.socket,
					     strerror(-e), (long long)l->cfg.retry_ms);
			ligd_detach(l, e);
			return;
		}
	}
	int status = 0;
	char *text = NULL;
	int rc = ligd_call(l, l->cfg.command, &status, &text);
	if (rc) {
		cninfra_warn(l->log, "ligd connection lost", "socket=%s err=\"%s\"", l->cfg.socket,
			     strerror(-rc));
		ligd_detach(l, rc);
		return;
	}
	free(l->reply);
	l->reply = text;
	l->status = status;
	l->error[0] = 0;
	cninfra_counter_inc(l->m_ok);
	if (cninfra_series_value(l->m_attached) != 1)
		cninfra_info(l->log, "attached to ligd", "socket=%s status=%d", l->cfg.socket,
			     status);
	cninfra_gauge_set(l->m_attached, 1);
	cninfra_health_report(cninfra_agent_health(l->agent), "ligd", CNINFRA_HEALTH_OK, NULL);
}

static void
h_ligd(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct ligd *l = arg;
	(void)req;
	json_t *j =
	    json_pack("{s:b,s:s,s:s,s:i,s:s}", "attached", l->fd >= 0, "socket", l->cfg.socket,
		      "reply", l->reply ? l->reply : "", "status", l->status, "error", l->error);
	cninfra_http_reply_json(resp, 200, j);
	json_decref(j);
}

static int
ligd_init(struct cninfra_agent *a, void *ctx)
{
	struct ligd *l = ctx;
	l->agent = a;
	l->fd = -1;
	l->log = cninfra_agent_logger(a, "ligd");
	int rc = cninfra_agent_config(a, "ligd", ligd_fields, N_LIGD_FIELDS, &l->cfg);
	if (rc)
		return rc;
	struct cninfra_metrics *m = cninfra_agent_metrics(a);
	const char *const res[] = {"result", NULL};
	struct cninfra_metric *req = cninfra_metrics_counter(
	    m, "hello_ligd_requests_total", "CLI requests to ligd by result.", res);
	l->m_ok = cninfra_metric_with(req, (const char *const[]){"ok"});
	l->m_fail = cninfra_metric_with(req, (const char *const[]){"error"});
	l->m_attached = cninfra_metric_with(
	    cninfra_metrics_gauge(m, "hello_ligd_attached", "1 while attached to ligd.", NULL),
	    NULL);
	if (!l->m_ok || !l->m_fail || !l->m_attached)
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
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->reply);
	l->reply = NULL;
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
