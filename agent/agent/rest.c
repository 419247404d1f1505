/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent REST API, with vpp-agent's endpoint names (plugins/kvscheduler/rest.go): scheduler
 * status, transaction history, key timelines, the graph (dot, SVG through Graphviz), dumps of the
 * desired/applied/device views, downstream resync, probes, Prometheus metrics; optional bearer
 * token and HTTPS. Handlers run on the agent's loop; the one slow job (rendering SVG) runs in a
 * child process the loop watches. docs/agent.md ("REST API") lists every endpoint. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cninfra/metrics.h>

#include "agent.h"
#include <jansson.h>

#define TOKEN_ENV "LIG_AGENT_HTTP_TOKEN"
#define TOKEN_MAX 4096
#define GRAPH_TIMEOUT_MS 10000
#define GRAPH_MAX_OUT (32u << 20)
#define GRAPH_MAX_JOBS 2

/* The REST side's own state (the server itself is A.http). */
static struct {
	char *token; /* NULL: no auth */
	struct cninfra_metrics *metrics;
	struct cninfra_metric *m_txns, *m_txn_errors, *m_txn_dur, *m_ops, *m_retries, *m_values,
	    *m_ligd, *m_synced, *m_last_seq, *m_auth_fail, *m_store;
	struct cninfra_series *s_txn_dur, *s_retries, *s_ligd, *s_synced, *s_last_seq, *s_auth_fail,
	    *s_store;
	struct graph_job *jobs;
	unsigned n_jobs;
} R;

/* ---- the store's connection ----
 * libcninfra's etcd watch reconnects by itself and does not say whether it is connected, so a
 * helper thread reads one key every 2 s (etcd requests are serialized inside libcninfra); the
 * loop never waits for it. The embedded store is always there. */
static struct {
	pthread_t thread;
	bool running, stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_int connected; /* 1, 0, -1 not probed yet */
} P = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER, .connected = -1};

#define STORE_PROBE_MS 2000

static void *
probe_main(void *arg)
{
	(void)arg;
	char key[LIG_MODEL_LABEL_MAX + 64];
	snprintf(key, sizeof(key), LIG_MODEL_KEY_ROOT "%s/.lig-agent-probe", A.label);
	pthread_mutex_lock(&P.lock);
	while (!P.stop) {
		pthread_mutex_unlock(&P.lock);
		struct cninfra_kv_pair *p = NULL;
		int rc = cninfra_kv_get(A.kv, key, &p);
		cninfra_kv_pair_free(p);
		atomic_store(&P.connected, rc == 0 || rc == -ENOENT);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += STORE_PROBE_MS / 1000;
		pthread_mutex_lock(&P.lock);
		while (!P.stop && pthread_cond_timedwait(&P.cond, &P.lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&P.lock);
	return NULL;
}

static void
probe_start(void)
{
	if (!A.kv || strcmp(cninfra_kv_backend(A.kv), "etcd") != 0) {
		atomic_store(&P.connected, A.kv != NULL);
		return;
	}
	P.stop = false;
	P.running = pthread_create(&P.thread, NULL, probe_main, NULL) == 0;
}

static void
probe_stop(void)
{
	if (!P.running)
		return;
	pthread_mutex_lock(&P.lock);
	P.stop = true;
	pthread_cond_signal(&P.cond);
	pthread_mutex_unlock(&P.lock);
	pthread_join(P.thread, NULL);
	P.running = false;
}

/* ---- arguments ---- */

/* A decimal uint64 with nothing else around it. */
static int
parse_u64(const char *s, uint64_t *out)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	uint64_t v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int
digits(const char **p, unsigned n, int *out)
{
	int v = 0;
	for (unsigned i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -EINVAL;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* Fraction after '.' (1-9 digits) in nanoseconds. */
static int
fraction_ns(const char **p, uint64_t *ns)
{
	uint64_t v = 0, scale = 100000000;
	unsigned n = 0;
	while (isdigit((unsigned char)**p)) {
		if (++n > 9)
			return -EINVAL;
		v += (uint64_t)(**p - '0') * scale;
		scale /= 10;
		(*p)++;
	}
	*ns = v;
	return n ? 0 : -EINVAL;
}

/* A point in time, in nanoseconds since the epoch: an integer as vpp-agent takes it (nanoseconds;
 * values below 10^12 are taken as seconds, as a human types them), seconds with a fraction
 * ("1700000000.25"), or RFC 3339 ("2024-05-01T10:00:00Z", "...T10:00:00.5+02:00"). */
int
agent_rest_parse_time(const char *s, uint64_t *out)
{
	if (!s || !*s || strlen(s) > 64)
		return -EINVAL;
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (p != s && (*p == 0 || *p == '.')) {
		uint64_t v, frac = 0;
		char ipart[32];
		if ((size_t)(p - s) >= sizeof(ipart))
			return -ERANGE;
		memcpy(ipart, s, (size_t)(p - s));
		ipart[p - s] = 0;
		int rc = parse_u64(ipart, &v);
		if (rc < 0)
			return rc;
		if (*p == '.') {
			p++;
			if (fraction_ns(&p, &frac) < 0 || *p)
				return -EINVAL;
		} else if (v >= 1000000000000ull) {
			*out = v; /* nanoseconds */
			return 0;
		}
		if (v > UINT64_MAX / 1000000000ull - 1)
			return -ERANGE;
		*out = v * 1000000000ull + frac;
		return 0;
	}
	/* RFC 3339 */
	struct tm tm = {0};
	int y, mo, d, h, mi, sec;
	p = s;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return -EINVAL;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
	    digits(&p, 2, &sec))
		return -EINVAL;
	uint64_t frac = 0;
	if (*p == '.') {
		p++;
		if (fraction_ns(&p, &frac) < 0)
			return -EINVAL;
	}
	long off = 0;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
			return -EINVAL;
		off = sign * (oh * 3600L + om * 60L);
	} else
		return -EINVAL;
	if (*p || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d) /* 31 February and the like */
		return -EINVAL;
	long long secs = (long long)t - off;
	if (secs < 0)
		return -ERANGE;
	*out = (uint64_t)secs * 1000000000ull + frac;
	return 0;
}

/* RFC 3339 with nanoseconds, UTC. */
static json_t *
json_time(uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;
	char buf[64];
	if (!gmtime_r(&t, &tm))
		return json_null();
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%09lluZ", (unsigned long long)(ns % 1000000000ull));
	return json_string(buf);
}

/* A string from outside (keys, errors, values) as JSON: bytes that are not UTF-8 become '?'. */
static json_t *
jstr(const char *text)
{
	if (!text)
		return json_null();
	json_t *j = json_string(text);
	if (j)
		return j;
	char *c = strdup(text);
	if (!c)
		return json_null();
	for (char *p = c; *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			*p = '?';
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

/* A rendered value: embedded as JSON when it is JSON (the desired values are canonical JSON),
 * else as a string. */
static json_t *
json_value(const char *text)
{
	if (!text)
		return json_null();
	if (*text == '{' || *text == '[') {
		json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
		if (j)
			return j;
	}
	return jstr(text);
}

static bool
want_text(const struct cninfra_http_req *req, struct cninfra_http_resp *resp)
{
	const char *f = cninfra_http_query(req, "format");
	if (!f || !strcmp(f, "json"))
		return false;
	if (!strcmp(f, "text"))
		return true;
	cninfra_http_reply_error(resp, 400, "format: json or text");
	return false;
}

static bool
query_error(struct cninfra_http_resp *resp, const char *name, const char *value, int rc)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "%s=%.64s%s: %s", name, value, strlen(value) > 64 ? "..." : "",
		 rc == -ERANGE ? "out of range" : "not understood");
	cninfra_http_reply_error(resp, 400, msg);
	return false;
}

/* ---- /scheduler/status ---- */

static json_t *
status_json(const char *key)
{
	struct lig_sched_status *st = lig_sched_status_get(A.sched, key);
	if (!st)
		return NULL;
	json_t *o = json_object();
	json_object_set_new(o, "key", jstr(key));
	json_object_set_new(o, "state", json_string(lig_sched_state_name(st->state)));
	if (st->descriptor)
		json_object_set_new(o, "descriptor", jstr(st->descriptor));
	json_object_set_new(o, "derived", json_boolean(st->derived));
	if (st->derived && st->base_key)
		json_object_set_new(o, "derived_from", jstr(st->base_key));
	if (st->error)
		json_object_set_new(o, "error", jstr(st->error));
	json_t *d = json_array();
	for (size_t k = 0; k < st->n_details; k++)
		json_array_append_new(d, jstr(st->details[k]));
	json_object_set_new(o, "details", d);
	json_object_set_new(o, "last_op", json_string(lig_sched_op_name(st->last_op)));
	json_object_set_new(o, "last_update_seq", json_integer((json_int_t)st->last_update_seq));
	if (st->state == LIG_SCHED_RETRYING) {
		json_object_set_new(o, "retry_attempt", json_integer(st->retry_attempt));
		json_object_set_new(o, "retry_in_ms",
				    json_integer((json_int_t)(st->retry_in_ns / 1000000)));
	}
	lig_sched_status_free(st);
	return o;
}

struct filter {
	const char *descriptor, *prefix;
	unsigned states; /* bit per state; 0: any */
	json_t *out;
};

static int
state_by_name(const char *name)
{
	for (int s = 0; s < LIG_SCHED_N_STATES; s++)
		if (!strcasecmp(name, lig_sched_state_name(s)))
			return s;
	return -1;
}

static bool
filter_pass(const struct filter *f, const struct lig_sched_value_view *v)
{
	if (f->descriptor && (!v->descriptor || strcmp(f->descriptor, v->descriptor)))
		return false;
	if (f->prefix && strncmp(v->key, f->prefix, strlen(f->prefix)))
		return false;
	return !f->states || (f->states & (1u << v->state));
}

static int
status_one(void *ctx, const struct lig_sched_value_view *v)
{
	struct filter *f = ctx;
	if (!filter_pass(f, v))
		return 0;
	json_t *o = status_json(v->key);
	if (o)
		json_array_append_new(f->out, o);
	return 0;
}

static int
by_key(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_string_value(json_object_get(x, "key")) ?: "",
		      json_string_value(json_object_get(y, "key")) ?: "");
}

/* Sorts an array of objects by their "key". */
static json_t *
sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = n ? malloc(n * sizeof(*v)) : NULL;
	if (!v)
		return arr;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), by_key);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

/* Reads descriptor, key-prefix and state; false when a reply (400) was set. */
static bool
filter_args(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, struct filter *f)
{
	f->descriptor = cninfra_http_query(req, "descriptor");
	f->prefix = cninfra_http_query(req, "key-prefix");
	f->states = 0;
	/* state=S or a comma-separated list of states */
	const char *s = cninfra_http_query(req, "state");
	for (const char *p = s; p && *p;) {
		size_t n = strcspn(p, ",");
		char name[32];
		int st = -1;
		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = 0;
			st = state_by_name(name);
		}
		if (st < 0)
			return query_error(resp, "state", s, -EINVAL);
		f->states |= 1u << st;
		p += n + (p[n] == ',');
	}
	if (s && !f->states)
		return query_error(resp, "state", s, -EINVAL);
	if (f->descriptor && !*f->descriptor)
		f->descriptor = NULL;
	if (f->prefix && !*f->prefix)
		f->prefix = NULL;
	return true;
}

/* GET /scheduler/status[?key=K | ?descriptor=D | ?key-prefix=P][&state=S]: one value's status
 * (key) or a list sorted by key. */
static void
h_status(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	const char *key = cninfra_http_query(req, "key");
	if (key) {
		json_t *o = status_json(key);
		if (!o) {
			cninfra_http_reply_error(resp, 500, "out of memory");
			return;
		}
		cninfra_http_reply_json(resp, 200, o);
		json_decref(o);
		return;
	}
	struct filter f;
	if (!filter_args(req, resp, &f))
		return;
	f.out = json_array();
	lig_sched_foreach(A.sched, status_one, &f);
	f.out = sorted(f.out);
	cninfra_http_reply_json(resp, 200, f.out);
	json_decref(f.out);
}

/* ---- /scheduler/txn-history, /scheduler/key-timeline ---- */

static json_t *
op_json(const struct lig_sched_op_record *op)
{
	json_t *j = json_object();
	json_object_set_new(j, "key", jstr(op->key));
	json_object_set_new(j, "op", json_string(lig_sched_op_name(op->op)));
	json_object_set_new(j, "prev_state", json_string(lig_sched_state_name(op->prev_state)));
	json_object_set_new(j, "new_state", json_string(lig_sched_state_name(op->new_state)));
	if (op->prev_value)
		json_object_set_new(j, "prev_value", json_value(op->prev_value));
	if (op->new_value)
		json_object_set_new(j, "new_value", json_value(op->new_value));
	if (op->error)
		json_object_set_new(j, "error", jstr(op->error));
	json_object_set_new(j, "duration_ns", json_integer((json_int_t)op->duration_ns));
	json_object_set_new(j, "noop", json_boolean(op->flags & LIG_SCHED_OPF_NOOP));
	json_object_set_new(j, "derived", json_boolean(op->flags & LIG_SCHED_OPF_DERIVED));
	json_object_set_new(j, "property", json_boolean(op->flags & LIG_SCHED_OPF_PROPERTY));
	json_object_set_new(j, "retry", json_boolean(op->flags & LIG_SCHED_OPF_RETRY));
	json_object_set_new(j, "dependency", json_boolean(op->flags & LIG_SCHED_OPF_DEPENDENCY));
	json_object_set_new(j, "recreate", json_boolean(op->op == LIG_SCHED_OP_RECREATE));
	return j;
}

static json_t *
txn_json(const struct lig_sched_txn_record *r)
{
	json_t *o = json_object(), *ops = json_array();
	json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
	json_object_set_new(o, "trigger", json_string(lig_sched_trigger_name(r->trigger)));
	json_object_set_new(o, "start", json_time(r->start_ns));
	json_object_set_new(o, "end", json_time(r->end_ns));
	json_object_set_new(o, "start_ns", json_integer((json_int_t)r->start_ns));
	json_object_set_new(o, "end_ns", json_integer((json_int_t)r->end_ns));
	json_object_set_new(
	    o, "duration_ns",
	    json_integer((json_int_t)(r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 0)));
	if (r->description)
		json_object_set_new(o, "description", jstr(r->description));
	if (r->trigger == LIG_SCHED_TRIGGER_RETRY) {
		json_object_set_new(o, "retry_for_seq", json_integer((json_int_t)r->retry_for_seq));
		json_object_set_new(o, "retry_attempt", json_integer(r->retry_attempt));
	}
	json_object_set_new(o, "values", json_integer((json_int_t)r->n_values));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
	for (size_t k = 0; k < r->n_ops; k++)
		json_array_append_new(ops, op_json(&r->ops[k]));
	json_object_set_new(o, "ops", ops);
	return o;
}

struct hist_ctx {
	json_t *arr;
	FILE *text;
};

static int
hist_one(void *ctx, const struct lig_sched_txn_record *r)
{
	struct hist_ctx *h = ctx;
	if (h->text)
		lig_sched_txn_print(r, h->text);
	else
		json_array_append_new(h->arr, txn_json(r));
	return 0;
}

/* Replies with the text a memstream collected (closes f, frees *buf). */
static void
reply_stream(struct cninfra_http_resp *resp, FILE *f, char **buf, size_t *n, const char *ctype)
{
	if (fclose(f) != 0 || !*buf)
		cninfra_http_reply_error(resp, 500, "out of memory");
	else
		cninfra_http_reply_data(resp, 200, ctype, *buf, *n);
	free(*buf);
	*buf = NULL;
}

/* GET /scheduler/txn-history[?seq-num=N | ?since=T&until=T][&format=json|text] */
static void
h_history(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	bool text = want_text(req, resp);
	if (resp->status >= 400)
		return;
	char *buf = NULL;
	size_t n = 0;
	struct hist_ctx h = {0};
	const char *seq_s = cninfra_http_query(req, "seq-num");
	if (seq_s) {
		uint64_t seq;
		int rc = parse_u64(seq_s, &seq);
		if (rc < 0) {
			query_error(resp, "seq-num", seq_s, rc);
			return;
		}
		const struct lig_sched_txn_record *r = lig_sched_history_get(A.sched, seq);
		if (!r) {
			cninfra_http_reply_error(
			    resp, 404, "transaction with such sequence number is not recorded");
			return;
		}
		if (!text) {
			json_t *o = txn_json(r);
			cninfra_http_reply_json(resp, 200, o);
			json_decref(o);
			return;
		}
		FILE *f = open_memstream(&buf, &n);
		if (!f) {
			cninfra_http_reply_error(resp, 500, "out of memory");
			return;
		}
		lig_sched_txn_print(r, f);
		reply_stream(resp, f, &buf, &n, "text/plain; charset=utf-8");
		return;
	}
	uint64_t since = 0, until = 0;
	const char *s = cninfra_http_query(req, "since"), *u = cninfra_http_query(req, "until");
	int rc;
	if (s && (rc = agent_rest_parse_time(s, &since)) < 0) {
		query_error(resp, "since", s, rc);
		return;
	}
	if (u && (rc = agent_rest_parse_time(u, &until)) < 0) {
		query_error(resp, "until", u, rc);
		return;
	}
	if (until && since > until) {
		cninfra_http_reply_error(resp, 400, "since is after until");
		return;
	}
	if (text) {
		h.text = open_memstream(&buf, &n);
		if (!h.text) {
			cninfra_http_reply_error(resp, 500, "out of memory");
			return;
		}
		lig_sched_history_foreach(A.sched, since, until, hist_one, &h);
		reply_stream(resp, h.text, &buf, &n, "text/plain; charset=utf-8");
		return;
	}
	h.arr = json_array();
	lig_sched_history_foreach(A.sched, since, until, hist_one, &h);
	cninfra_http_reply_json(resp, 200, h.arr);
	json_decref(h.arr);
}

static int
timeline_one(void *ctx, const struct lig_sched_txn_record *r, const struct lig_sched_op_record *op)
{
	json_t *o = op_json(op);
	json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
	json_object_set_new(o, "trigger", json_string(lig_sched_trigger_name(r->trigger)));
	json_object_set_new(o, "time", json_time(r->start_ns));
	json_object_set_new(o, "time_ns", json_integer((json_int_t)r->start_ns));
	json_array_append_new(ctx, o);
	return 0;
}

/* GET /scheduler/key-timeline?key=K: every recorded operation on K, oldest first. */
static void
h_timeline(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	const char *key = cninfra_http_query(req, "key");
	if (!key || !*key) {
		cninfra_http_reply_error(resp, 400, "missing key argument");
		return;
	}
	json_t *arr = json_array();
	lig_sched_key_timeline(A.sched, key, timeline_one, arr);
	cninfra_http_reply_json(resp, 200, arr);
	json_decref(arr);
}

/* ---- /scheduler/dump ---- */

struct dump_ctx {
	struct filter f;
	json_t *out;
	json_t *names; /* descriptors seen (index) */
	bool applied;  /* cached view: what the scheduler believes the device has */
};

static json_t *
kv_json(const char *key, const void *value, size_t size)
{
	char small[4096];
	int need = lig_sched_format_value(A.sched, key, value, size, small, sizeof(small));
	char *big = NULL;
	const char *text = small;
	if (need >= (int)sizeof(small)) {
		big = malloc((size_t)need + 1);
		if (big) {
			lig_sched_format_value(A.sched, key, value, size, big, (size_t)need + 1);
			text = big;
		}
	} else if (need < 0)
		text = "";
	json_t *o = json_object();
	json_object_set_new(o, "key", jstr(key));
	json_object_set_new(o, "value", json_value(text));
	free(big);
	return o;
}

static int
dump_view_one(void *ctx, const struct lig_sched_value_view *v)
{
	struct dump_ctx *d = ctx;
	if (d->names) {
		if (v->descriptor && !json_object_get(d->names, v->descriptor))
			json_object_set_new(d->names, v->descriptor, json_true());
		return 0;
	}
	if (!filter_pass(&d->f, v))
		return 0;
	const void *val = d->applied ? v->applied : v->desired;
	size_t size = d->applied ? v->applied_size : v->desired_size;
	if (d->applied ? !v->has_applied : !v->has_desired)
		return 0;
	json_t *o = kv_json(v->key, val, size);
	json_object_set_new(o, "state", json_string(lig_sched_state_name(v->state)));
	if (v->descriptor)
		json_object_set_new(o, "descriptor", jstr(v->descriptor));
	if (v->derived && v->base_key)
		json_object_set_new(o, "derived_from", jstr(v->base_key));
	json_object_set_new(o, "origin",
			    json_string(v->state == LIG_SCHED_OBTAINED ? "FromSB" : "FromNB"));
	json_array_append_new(d->out, o);
	return 0;
}

static int
dump_sb_one(void *ctx, const char *key, const void *value, size_t size,
	    enum lig_sched_origin origin)
{
	struct dump_ctx *d = ctx;
	if (d->f.prefix && strncmp(key, d->f.prefix, strlen(d->f.prefix)))
		return 0;
	json_t *o = kv_json(key, value, size);
	json_object_set_new(o, "origin",
			    json_string(origin == LIG_SCHED_ORIGIN_NB	? "FromNB"
					: origin == LIG_SCHED_ORIGIN_SB ? "FromSB"
									: "UnknownOrigin"));
	json_array_append_new(d->out, o);
	return 0;
}

static int
abort_first(void *ctx, const char *key, const void *value, size_t size,
	    enum lig_sched_origin origin)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	(void)origin;
	return 1;
}

/* GET /scheduler/dump: without descriptor/key-prefix an index (descriptors with values, views);
 * ?descriptor=D[&key-prefix=P][&view=SB|NB|cached] (state= and internal are accepted for view=
 * and cached): SB reads the device back through the descriptor's retrieve (default, as vpp-agent),
 * NB is the desired state, cached what the scheduler believes was applied. */
static void
h_dump(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	struct dump_ctx d = {0};
	d.f.descriptor = cninfra_http_query(req, "descriptor");
	d.f.prefix = cninfra_http_query(req, "key-prefix");
	if (d.f.descriptor && !*d.f.descriptor)
		d.f.descriptor = NULL;
	if (d.f.prefix && !*d.f.prefix)
		d.f.prefix = NULL;
	const char *view = cninfra_http_query(req, "view");
	if (!view)
		view = cninfra_http_query(req, "state");
	if (!view || !*view)
		view = "SB";
	bool sb = !strcasecmp(view, "SB"), nb = !strcasecmp(view, "NB");
	bool cached = !strcasecmp(view, "cached") || !strcasecmp(view, "internal");
	if (!sb && !nb && !cached) {
		cninfra_http_reply_error(resp, 400, "unrecognized system view (SB, NB or cached)");
		return;
	}
	if (!d.f.descriptor && !d.f.prefix) {
		d.names = json_object();
		lig_sched_foreach(A.sched, dump_view_one, &d);
		json_t *idx = json_object(), *list = json_array();
		const char *name;
		json_t *v;
		json_object_foreach(d.names, name, v) json_array_append_new(list, jstr(name));
		json_decref(d.names);
		json_object_set_new(idx, "descriptors", list);
		json_object_set_new(idx, "views", json_pack("[sss]", "SB", "NB", "cached"));
		cninfra_http_reply_json(resp, 200, idx);
		json_decref(idx);
		return;
	}
	d.out = json_array();
	int rc = 0;
	if (sb) {
		if (!d.f.descriptor) {
			json_decref(d.out);
			cninfra_http_reply_error(resp, 400, "view SB needs a descriptor");
			return;
		}
		if (!A.api) {
			json_decref(d.out);
			cninfra_http_reply_error(resp, 503, "ligd not connected");
			return;
		}
		rc = lig_sched_retrieve_view(A.sched, d.f.descriptor, dump_sb_one, &d);
		agent_after_txn();
	} else {
		d.applied = cached;
		lig_sched_foreach(A.sched, dump_view_one, &d);
		/* Nothing under that name: is it a descriptor at all? (asks the device once) */
		if (!json_array_size(d.out) && d.f.descriptor && A.api) {
			rc = lig_sched_retrieve_view(A.sched, d.f.descriptor, abort_first, NULL);
			rc = rc == -ENOENT ? rc : 0;
			agent_after_txn();
		}
	}
	if (rc == -ENOENT) {
		json_decref(d.out);
		cninfra_http_reply_error(resp, 404, "unknown descriptor");
		return;
	}
	if (rc == -EOPNOTSUPP) {
		json_decref(d.out);
		cninfra_http_reply_error(resp, 501, "the descriptor cannot read values back");
		return;
	}
	if (rc < 0) {
		json_decref(d.out);
		cninfra_http_reply_error(resp, 502, strerror(-rc));
		return;
	}
	d.out = sorted(d.out);
	cninfra_http_reply_json(resp, 200, d.out);
	json_decref(d.out);
}

/* ---- /scheduler/graph ---- */

struct graph_job {
	struct cninfra_http_deferred *d;
	pid_t pid;
	int fd;
	struct cninfra_watch *w;
	struct cninfra_timer *t;
	char *buf;
	size_t n, cap;
	struct graph_job *next;
};

/* Reaps the child (killing it when it does not exit by itself within ~100 ms); returns its wait
 * status. */
static int
job_reap(struct graph_job *j, bool kill_now)
{
	int st = 0;
	if (j->pid <= 0)
		return -1;
	if (!kill_now)
		for (int i = 0; i < 20; i++) {
			pid_t r = waitpid(j->pid, &st, WNOHANG);
			if (r == j->pid || (r < 0 && errno != EINTR)) {
				j->pid = 0;
				return r < 0 ? -1 : st;
			}
			usleep(5000);
		}
	kill(-j->pid, SIGKILL);
	kill(j->pid, SIGKILL);
	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	j->pid = 0;
	return kill_now ? -1 : st;
}

static void
job_free(struct graph_job *j)
{
	for (struct graph_job **pp = &R.jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			R.n_jobs--;
			break;
		}
	cninfra_loop_unwatch(j->w);
	cninfra_timer_free(j->t);
	if (j->fd >= 0)
		close(j->fd);
	if (j->pid > 0)
		job_reap(j, true);
	free(j->buf);
	free(j);
}

static void
job_finish(struct graph_job *j, unsigned status, const char *error)
{
	struct cninfra_http_resp resp = {0};
	if (error)
		cninfra_http_reply_error(&resp, status, error);
	else
		cninfra_http_reply_data(&resp, 200, "image/svg+xml", j->buf, j->n);
	cninfra_http_complete(j->d, &resp);
	j->d = NULL;
	job_free(j);
}

/* The server stops while dot runs. */
static void
job_cancel(void *arg)
{
	struct graph_job *j = arg;
	j->d = NULL;
	job_free(j);
}

static void
job_timeout(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	struct graph_job *j = arg;
	job_reap(j, true);
	job_finish(j, 504, "dot did not finish in time");
}

static void
job_read(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)events;
	struct graph_job *j = arg;
	for (;;) {
		if (j->cap - j->n < 65536) {
			size_t cap = j->cap ? j->cap * 2 : 262144;
			char *nb = cap <= GRAPH_MAX_OUT + 65536 ? realloc(j->buf, cap) : NULL;
			if (!nb) {
				job_reap(j, true);
				job_finish(j, 500, "the SVG is too large");
				return;
			}
			j->buf = nb;
			j->cap = cap;
		}
		ssize_t r = read(fd, j->buf + j->n, j->cap - j->n);
		if (r > 0) {
			j->n += (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		break; /* EOF or error */
	}
	int st = job_reap(j, false);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || !j->n) {
		char msg[128];
		snprintf(msg, sizeof(msg), "dot failed (%s %d)",
			 st >= 0 && WIFEXITED(st) ? "exit status" : "signal",
			 st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st)
			 : st >= 0		  ? WTERMSIG(st)
						  : -1);
		job_finish(j, 500, msg);
		return;
	}
	job_finish(j, 200, NULL);
}

/* Graphviz's dot on PATH, as an absolute path (the child gets no shell and no PATH search). */
static bool
find_dot(char *out, size_t n)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		if (len && len < n - 5) {
			snprintf(out, n, "%.*s/dot", (int)len, path);
			struct stat sb;
			if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode) && access(out, X_OK) == 0)
				return true;
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

/* Starts `dot -Tsvg` on the dot text; the reply follows when it is done. */
static void
graph_svg(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, const char *dot,
	  size_t n)
{
	char exe[512];
	if (!find_dot(exe, sizeof(exe))) {
		cninfra_http_reply_error(
		    resp, 501, "SVG needs Graphviz (dot is not installed); use format=dot");
		return;
	}
	if (R.n_jobs >= GRAPH_MAX_JOBS) {
		cninfra_http_reply_error(resp, 503, "busy rendering other graphs; retry");
		return;
	}
	int in = memfd_create("lig-agent-graph", MFD_CLOEXEC), pfd[2] = {-1, -1};
	struct graph_job *j = calloc(1, sizeof(*j));
	if (in < 0 || !j || pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0)
		goto fail;
	for (size_t off = 0; off < n;) {
		ssize_t w = write(in, dot + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (lseek(in, 0, SEEK_SET) < 0)
		goto fail;
	j->fd = pfd[0];
	pid_t pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		setpgid(0, 0);
		int null = open("/dev/null", O_WRONLY);
		if (dup2(in, 0) < 0 || dup2(pfd[1], 1) < 0 || null < 0 || dup2(null, 2) < 0)
			_exit(126);
		close_range(3, ~0u, 0);
		struct rlimit cpu = {10, 11}, as = {1ul << 30, 1ul << 30};
		setrlimit(RLIMIT_CPU, &cpu);
		setrlimit(RLIMIT_AS, &as);
		char *const argv[] = {"dot", "-Tsvg", NULL};
		char *const envp[] = {"PATH=/usr/bin:/bin", NULL};
		execve(exe, argv, envp);
		_exit(127);
	}
	j->pid = pid;
	close(pfd[1]);
	pfd[1] = -1;
	close(in);
	in = -1;
	j->w = cninfra_loop_watch_fd(A.loop, j->fd, EPOLLIN, job_read, j);
	j->t = cninfra_loop_timer(A.loop, GRAPH_TIMEOUT_MS, 0, job_timeout, j);
	j->next = R.jobs;
	R.jobs = j;
	R.n_jobs++;
	if (!j->w || !j->t) {
		job_free(j);
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	j->d = cninfra_http_defer(req, job_cancel, j);
	if (!j->d) {
		job_free(j);
		cninfra_http_reply_error(resp, 500, "cannot defer the reply");
	}
	return;
fail:
	cninfra_http_reply_error(resp, 500, strerror(errno));
	if (in >= 0)
		close(in);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(j);
}

/* GET /scheduler/graph[?format=dot|raw|svg]: Graphviz dot (default) or SVG rendered by dot. */
static void
h_graph(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	const char *format = cninfra_http_query(req, "format");
	if (!format || !*format)
		format = "dot";
	bool svg = !strcmp(format, "svg");
	if (!svg && strcmp(format, "dot") && strcmp(format, "raw")) {
		cninfra_http_reply_error(resp, 400, "format: dot, raw or svg");
		return;
	}
	if (cninfra_http_query(req, "txn")) {
		cninfra_http_reply_error(resp, 501,
					 "graphs of past transactions are not kept (no txn=)");
		return;
	}
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f) {
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	int rc = lig_sched_dot(A.sched, f);
	if (fclose(f) != 0 || rc < 0 || !buf) {
		free(buf);
		cninfra_http_reply_error(resp, 500, "cannot render the graph");
		return;
	}
	if (svg)
		graph_svg(req, resp, buf, n);
	else
		cninfra_http_reply_data(resp, 200, "text/vnd.graphviz; charset=utf-8", buf, n);
	free(buf);
}

/* ---- resync, probes ---- */

/* vpp-agent's POST /scheduler/downstream-resync: read ligd back, repair what drifted; replies
 * with the transaction's record. */
static void
h_dresync(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (!A.api || !A.synced) {
		cninfra_http_reply_error(resp, 503,
					 A.api ? "store not listed yet" : "ligd not connected");
		return;
	}
	uint64_t seq = 0;
	int rc = lig_sched_downstream_resync(A.sched, &seq);
	agent_after_txn();
	if (rc < 0) {
		cninfra_http_reply_error(resp, 500, strerror(-rc));
		return;
	}
	const struct lig_sched_txn_record *r = lig_sched_history_get(A.sched, seq);
	json_t *o = r ? txn_json(r) : json_pack("{s:I}", "seq", (json_int_t)seq);
	cninfra_http_reply_json(resp, 200, o);
	json_decref(o);
}

static void
h_live(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	cninfra_http_reply_text(resp, 200, "ok\n");
}

static void
h_ready(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (A.api && A.synced)
		cninfra_http_reply_text(resp, 200, "ok\n");
	else
		cninfra_http_reply_text(resp, 503,
					A.api ? "store not listed yet\n" : "ligd not connected\n");
}

/* ---- /metrics, /scheduler/stats ---- */

static struct cninfra_series *
series1(struct cninfra_metric *m, const char *v)
{
	const char *const vals[] = {v};
	return m ? cninfra_metric_with(m, vals) : NULL;
}

static int
metrics_init(void)
{
	static const char *const trig[] = {"trigger", NULL},
				 *const opres[] = {"op", "result", NULL},
				 *const state[] = {"state", NULL};
	static const double bounds[] = {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
					0.1,	0.25,	0.5,   1,      2.5,   5,    10};
	struct cninfra_metrics *m = R.metrics = cninfra_metrics_new();
	if (!m)
		return -ENOMEM;
	R.m_txns = cninfra_metrics_counter(m, "lig_agent_transactions_total",
					   "Scheduler transactions, by what triggered them.", trig);
	R.m_txn_errors = cninfra_metrics_counter(
	    m, "lig_agent_transaction_errors_total",
	    "Operations that failed or values found invalid, by transaction trigger.", trig);
	R.m_txn_dur = cninfra_metrics_histogram(m, "lig_agent_transaction_duration_seconds",
						"Duration of scheduler transactions.", NULL, bounds,
						sizeof(bounds) / sizeof(bounds[0]));
	R.m_ops = cninfra_metrics_counter(
	    m, "lig_agent_operations_total",
	    "Operations executed (CREATE, UPDATE, DELETE, RECREATE), by result (ok, error, noop).",
	    opres);
	R.m_retries = cninfra_metrics_counter(m, "lig_agent_retries_total",
					      "Operations retried after a failure.", NULL);
	R.m_values = cninfra_metrics_gauge(m, "lig_agent_values",
					   "Values known to the scheduler, by state.", state);
	R.m_ligd = cninfra_metrics_gauge(m, "lig_agent_ligd_connected",
					 "1 while the agent is connected to ligd's API.", NULL);
	R.m_synced = cninfra_metrics_gauge(
	    m, "lig_agent_store_synced",
	    "1 once the agent listed its configuration from the store (etcd or embedded).", NULL);
	R.m_store = cninfra_metrics_gauge(
	    m, "lig_agent_store_connected",
	    "1 while the store answers (etcd: a read every 2 s; -1 before the first).", NULL);
	R.m_last_seq = cninfra_metrics_gauge(m, "lig_agent_last_transaction_seq",
					     "Sequence number of the last transaction.", NULL);
	R.m_auth_fail =
	    cninfra_metrics_counter(m, "lig_agent_http_unauthorized_total",
				    "REST requests refused for a missing or wrong token.", NULL);
	if (!R.m_txns || !R.m_txn_errors || !R.m_txn_dur || !R.m_ops || !R.m_retries ||
	    !R.m_values || !R.m_ligd || !R.m_synced || !R.m_last_seq || !R.m_auth_fail ||
	    !R.m_store)
		return -ENOMEM;
	R.s_txn_dur = cninfra_metric_with(R.m_txn_dur, NULL);
	R.s_retries = cninfra_metric_with(R.m_retries, NULL);
	R.s_ligd = cninfra_metric_with(R.m_ligd, NULL);
	R.s_synced = cninfra_metric_with(R.m_synced, NULL);
	R.s_store = cninfra_metric_with(R.m_store, NULL);
	R.s_last_seq = cninfra_metric_with(R.m_last_seq, NULL);
	R.s_auth_fail = cninfra_metric_with(R.m_auth_fail, NULL);
	/* Every series exists from the start (a scrape shows zeros, not gaps). */
	for (int t = 0; t < LIG_SCHED_N_TRIGGERS; t++) {
		series1(R.m_txns, lig_sched_trigger_name(t));
		series1(R.m_txn_errors, lig_sched_trigger_name(t));
	}
	for (int s = 0; s < LIG_SCHED_N_STATES; s++)
		series1(R.m_values, lig_sched_state_name(s));
	return 0;
}

void
agent_rest_on_txn(const struct lig_sched_txn_record *r)
{
	if (!R.metrics)
		return;
	const char *trig = lig_sched_trigger_name(r->trigger);
	cninfra_counter_inc(series1(R.m_txns, trig));
	cninfra_counter_add(series1(R.m_txn_errors, trig), (double)r->errors);
	cninfra_histogram_observe(
	    R.s_txn_dur, r->end_ns > r->start_ns ? (double)(r->end_ns - r->start_ns) / 1e9 : 0);
	cninfra_gauge_set(R.s_last_seq, (double)r->seq);
	/* Counted here, added once per series (a resync may carry 100k operations). */
	static const char *const results[] = {"ok", "error", "noop"};
	size_t counts[LIG_SCHED_N_OPS][3] = {{0}}, retries = 0;
	for (size_t k = 0; k < r->n_ops; k++) {
		const struct lig_sched_op_record *op = &r->ops[k];
		int res = (op->flags & LIG_SCHED_OPF_NOOP) ? 2 : op->error ? 1 : 0;
		if ((unsigned)op->op < LIG_SCHED_N_OPS)
			counts[op->op][res]++;
		retries += (op->flags & LIG_SCHED_OPF_RETRY) != 0;
	}
	for (int o = 0; o < LIG_SCHED_N_OPS; o++)
		for (int k = 0; k < 3; k++)
			if (counts[o][k]) {
				const char *const vals[] = {lig_sched_op_name(o), results[k]};
				cninfra_counter_add(cninfra_metric_with(R.m_ops, vals),
						    (double)counts[o][k]);
			}
	if (retries)
		cninfra_counter_add(R.s_retries, (double)retries);
}

static void
metrics_refresh(void)
{
	size_t counts[LIG_SCHED_N_STATES] = {0};
	lig_sched_count_states(A.sched, counts);
	for (int s = 0; s < LIG_SCHED_N_STATES; s++)
		cninfra_gauge_set(series1(R.m_values, lig_sched_state_name(s)), (double)counts[s]);
	cninfra_gauge_set(R.s_ligd, A.api ? 1 : 0);
	cninfra_gauge_set(R.s_synced, A.synced ? 1 : 0);
	cninfra_gauge_set(R.s_store, atomic_load(&P.connected));
}

/* GET /metrics: Prometheus text exposition. */
static void
h_metrics(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	metrics_refresh();
	char *text = cninfra_metrics_render(R.metrics);
	if (!text) {
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	cninfra_http_reply_data(resp, 200, "text/plain; version=0.0.4; charset=utf-8", text,
				strlen(text));
	free(text);
}

/* GET /scheduler/stats: the agent at a glance (lig-agentctl status). */
static void
h_stats(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	size_t counts[LIG_SCHED_N_STATES] = {0};
	lig_sched_count_states(A.sched, counts);
	json_t *o = json_object(), *vals = json_object(), *txns = json_object();
	for (int s = 0; s < LIG_SCHED_N_STATES; s++)
		if (counts[s])
			json_object_set_new(vals, lig_sched_state_name(s),
					    json_integer((json_int_t)counts[s]));
	for (int t = 0; t < LIG_SCHED_N_TRIGGERS; t++) {
		double v = cninfra_series_value(series1(R.m_txns, lig_sched_trigger_name(t)));
		if (v > 0)
			json_object_set_new(txns, lig_sched_trigger_name(t),
					    json_integer((json_int_t)v));
	}
	json_object_set_new(o, "label", jstr(A.label));
	json_object_set_new(o, "prefix", jstr(A.prefix));
	json_object_set_new(o, "store", json_string(A.kv ? cninfra_kv_backend(A.kv) : "none"));
	json_object_set_new(o, "store_synced", json_boolean(A.synced));
	int sc = atomic_load(&P.connected);
	json_object_set_new(o, "store_connected", sc < 0 ? json_null() : json_boolean(sc));
	json_object_set_new(o, "ligd_socket", jstr(A.ligd_socket));
	json_object_set_new(o, "ligd_connected", json_boolean(A.api != NULL));
	json_object_set_new(o, "last_seq",
			    json_integer((json_int_t)(lig_sched_next_seq(A.sched) - 1)));
	json_object_set_new(o, "values", vals);
	json_object_set_new(o, "transactions", txns);
	cninfra_http_reply_json(resp, 200, o);
	json_decref(o);
}

/* ---- start, auth, stop ---- */

static unsigned
auth(const struct cninfra_http_req *req, void *arg)
{
	(void)arg;
	/* Orchestrator probes stay open (kubelet sends no token). */
	if (!strcmp(req->path, "/liveness") || !strcmp(req->path, "/readiness"))
		return 0;
	if (cninfra_http_bearer_ok(req, R.token))
		return 0;
	cninfra_counter_inc(R.s_auth_fail);
	return 401;
}

/* The token: the file's first line, or the environment's; printable, no spaces. */
static int
load_token(const char *file, char **out)
{
	char buf[TOKEN_MAX + 2];
	const char *src = getenv(TOKEN_ENV);
	*out = NULL;
	if (file) {
		FILE *f = fopen(file, "re");
		if (!f) {
			fprintf(stderr, "lig-agent: --http-token %s: %s\n", file, strerror(errno));
			return -1;
		}
		struct stat sb;
		if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
			fprintf(
			    stderr,
			    "lig-agent: warning: token file %s is readable by others (mode %03o)\n",
			    file, (unsigned)(sb.st_mode & 0777));
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		if (n > TOKEN_MAX) {
			fprintf(stderr, "lig-agent: --http-token %s: longer than %d bytes\n", file,
				TOKEN_MAX);
			return -1;
		}
		buf[strcspn(buf, "\r\n")] = 0;
		src = buf;
	} else if (!src || !*src)
		return 0;
	size_t n = strlen(src);
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	bool ok = n > 0 && n <= TOKEN_MAX;
	for (size_t i = 0; i < n && ok; i++)
		ok = src[i] > 0x20 && src[i] < 0x7f;
	if (!ok) {
		fprintf(stderr,
			"lig-agent: the HTTP token (%s) must be 1-%d printable characters without "
			"spaces\n",
			file ? file : TOKEN_ENV, TOKEN_MAX);
		return -1;
	}
	*out = strndup(src, n);
	explicit_bzero(buf, sizeof(buf));
	return *out ? 0 : -1;
}

struct cninfra_http *
agent_rest_start(struct cninfra_loop *loop, const struct agent_rest_opts *opts)
{
	if (load_token(opts->token_file, &R.token) < 0)
		return NULL;
	if (metrics_init() < 0) {
		fprintf(stderr, "lig-agent: metrics: out of memory\n");
		return NULL;
	}
	if (!opts->tls_cert_file != !opts->tls_key_file) {
		fprintf(stderr, "lig-agent: --http-cert and --http-key go together\n");
		return NULL;
	}
	struct cninfra_http_opts ho = {.addr = opts->addr,
				       .port = opts->port,
				       .tls_cert_file = opts->tls_cert_file,
				       .tls_key_file = opts->tls_key_file};
	struct cninfra_http *http = cninfra_http_new_opts(loop, &ho);
	if (!http) {
		fprintf(stderr, "lig-agent: http %s:%u%s: %s\n",
			opts->addr ? opts->addr : "127.0.0.1", opts->port,
			opts->tls_cert_file ? " (TLS)" : "", strerror(errno));
		return NULL;
	}
	if (R.token)
		cninfra_http_set_auth(http, auth, NULL);
	probe_start();
	agent_log("REST on %s://%s:%u%s", opts->tls_cert_file ? "https" : "http",
		  opts->addr ? opts->addr : "127.0.0.1", cninfra_http_port(http),
		  R.token ? ", bearer token required (but /liveness, /readiness)" : "");
	return http;
}

void
agent_rest_stop(void)
{
	probe_stop();
	cninfra_http_free(A.http); /* cancels the graph jobs still running */
	A.http = NULL;
	while (R.jobs)
		job_free(R.jobs);
	cninfra_metrics_free(R.metrics);
	if (R.token) {
		explicit_bzero(R.token, strlen(R.token));
		free(R.token);
	}
	memset(&R, 0, sizeof(R));
}

void
agent_rest_register(struct cninfra_http *http)
{
	agent_rest_config_register(http); /* rest_config.c: /configuration */
	cninfra_http_handle(http, "GET", "/scheduler/status", h_status, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/txn-history", h_history, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/key-timeline", h_timeline, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/graph", h_graph, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/dump", h_dump, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/stats", h_stats, NULL);
	cninfra_http_handle(http, "POST", "/scheduler/downstream-resync", h_dresync, NULL);
	cninfra_http_handle(http, "GET", "/liveness", h_live, NULL);
	cninfra_http_handle(http, "GET", "/readiness", h_ready, NULL);
	cninfra_http_handle(http, "GET", "/metrics", h_metrics, NULL);
}
