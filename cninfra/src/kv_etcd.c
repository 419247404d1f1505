// SPDX-License-Identifier: Apache-2.0
// The etcd v3 backend, spoken over etcd's HTTP+JSON gateway with libcurl and jansson (keys and
// values base64, int64 fields as JSON strings). Each watch runs a streaming POST /v3/watch on a
// thread of its own and hands event batches to the loop; after a disconnect it reconnects and
// resumes at the last revision it delivered + 1, so an etcd restart loses no change. Several
// endpoints are the members of one cluster: a request or a watch that cannot reach one moves to the
// next, so the store survives a member failure. https endpoints speak TLS (CA file, client
// certificate and key, or no verification at all), with a connect (dial) timeout of their own.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cninfra/loop.h"
#include "kv_internal.h"

#define MAX_REPLY (64u * 1024 * 1024)
#define MAX_STREAM_BUF (16u * 1024 * 1024)
#define MAX_ENDPOINTS 8

struct etcd {
	char *eps[MAX_ENDPOINTS];
	size_t n_eps, cur;
	CURL *easy;
	pthread_mutex_t lock;
	char *ca_file, *cert_file, *key_file; /* copies of the options */
	bool skip_verify;
	long dial_ms, op_ms;
	bool failing; /* the last request failed everywhere: further failures are debug */
};

/* The options every handle of this store shares: protocols, TLS, timeouts (op_ms 0: none, for
 * the watch stream), error text into errbuf (CURL_ERROR_SIZE bytes). */
static void
easy_common(const struct etcd *e, CURL *easy, long op_ms, char *errbuf)
{
	errbuf[0] = 0;
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, e->dial_ms);
	if (op_ms)
		curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, op_ms);
	if (e->ca_file)
		curl_easy_setopt(easy, CURLOPT_CAINFO, e->ca_file);
	if (e->cert_file) {
		curl_easy_setopt(easy, CURLOPT_SSLCERT, e->cert_file);
		curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
	}
	if (e->key_file) {
		curl_easy_setopt(easy, CURLOPT_SSLKEY, e->key_file);
		curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (e->skip_verify) {
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

/* The reason a transfer failed: curl's detailed text when it has one. */
static const char *
curl_reason(CURLcode cc, const char *errbuf)
{
	return errbuf[0] ? errbuf : curl_easy_strerror(cc);
}

/* base64, standard alphabet with padding, as protobuf's JSON mapping uses for bytes. */
static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
b64enc(const void *data, size_t n)
{
	const uint8_t *p = data;
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64chars[(v >> 18) & 63];
		*o++ = b64chars[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64chars[v & 63] : '=';
	}
	*o = 0;
	return out;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decodes s into a malloc'd, NUL-terminated buffer. Returns 0 or -EPROTO/-ENOMEM. */
static int
b64dec(const char *s, char **out, size_t *out_size)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -EPROTO;
	char *buf = malloc(n / 4 * 3 + 3 + 1);
	if (!buf)
		return -ENOMEM;
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(s[i]);
		if (v < 0) {
			free(buf);
			return -EPROTO;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	buf[o] = 0;
	*out = buf;
	*out_size = o;
	return 0;
}

/* The end of the range covering every key that starts with prefix (etcd's "range_end"). */
static size_t
prefix_end(const char *prefix, char *end)
{
	size_t n = strlen(prefix);
	memcpy(end, prefix, n);
	while (n) {
		if ((uint8_t)end[n - 1] < 0xff) {
			end[n - 1]++;
			return n;
		}
		n--;
	}
	end[0] = 0; /* "\0" means "to the end of the keyspace" */
	return 1;
}

/* Adds "key" (and for a prefix "range_end") to obj. */
static int
set_range(json_t *obj, const char *key, bool prefix)
{
	char end[CNINFRA_KV_MAX_KEY + 1];
	char *k = *key ? b64enc(key, strlen(key)) : b64enc("", 1);
	char *e = NULL;
	if (prefix) {
		size_t en = prefix_end(key, end);
		e = b64enc(end, en);
	}
	int rc = 0;
	if (!k || (prefix && !e) || json_object_set_new(obj, "key", json_string(k)) ||
	    (prefix && json_object_set_new(obj, "range_end", json_string(e))))
		rc = -ENOMEM;
	free(k);
	free(e);
	return rc;
}

/* int64 fields come as JSON strings ("42"); zero values are omitted. */
static int
get_i64(const json_t *obj, const char *key, int64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	*out = 0;
	if (!v)
		return 0;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -EPROTO;
	const char *s = json_string_value(v);
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		return -EPROTO;
	*out = x;
	return 0;
}

static int
header_rev(const json_t *reply, int64_t *rev)
{
	const json_t *h = json_object_get(reply, "header");
	if (!json_is_object(h))
		return -EPROTO;
	return get_i64(h, "revision", rev);
}

/* parse_kv's answer for a key etcd holds but this API cannot carry: longer than
 * CNINFRA_KV_MAX_KEY, or with a NUL byte (keys are C strings). Anyone with write access can put
 * one under a watched prefix, so lists and watches skip it (logged, with its revisions filled in)
 * instead of failing: a failed list would be retried forever, and a watch that reconnects would
 * meet the same event again. */
#define KEY_UNFIT (-ENAMETOOLONG)

/* Fills p from an etcd mvccpb.KeyValue in JSON. */
static int
parse_kv(const json_t *j, struct cninfra_kv_pair *p, bool need_value)
{
	const json_t *k = json_object_get(j, "key"), *v = json_object_get(j, "value");
	if (!json_is_string(k) || (v && !json_is_string(v)))
		return -EPROTO;
	char *key = NULL, *val = NULL;
	size_t ksz, vsz = 0;
	int rc = b64dec(json_string_value(k), &key, &ksz);
	if (rc)
		return rc;
	if (ksz == 0 || ksz > CNINFRA_KV_MAX_KEY || strlen(key) != ksz) {
		free(key);
		if (get_i64(j, "create_revision", &p->create_revision) ||
		    get_i64(j, "mod_revision", &p->mod_revision))
			return -EPROTO;
		return ksz ? KEY_UNFIT : -EPROTO;
	}
	if (v && need_value)
		rc = b64dec(json_string_value(v), &val, &vsz);
	else
		val = calloc(1, 1);
	if (rc || !val) {
		free(key);
		return rc ? rc : -ENOMEM;
	}
	p->key = key;
	p->value = val;
	p->value_size = vsz;
	if (get_i64(j, "create_revision", &p->create_revision) ||
	    get_i64(j, "mod_revision", &p->mod_revision) || get_i64(j, "version", &p->version))
		return -EPROTO;
	return 0;
}

struct rbuf {
	char *p;
	size_t len;
	bool overflow;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct rbuf *b = arg;
	size_t n = size * nmemb;
	if (b->len + n > MAX_REPLY) {
		b->overflow = true;
		return 0;
	}
	char *np = realloc(b->p, b->len + n + 1);
	if (!np)
		return 0;
	memcpy(np + b->len, data, n);
	b->p = np;
	b->len += n;
	b->p[b->len] = 0;
	return n;
}

static int
curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OK:
		return 0;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* POSTs body to path on the first endpoint that answers. *reply is the parsed JSON object. */
static int
call(struct cninfra_kv *kv, const char *path, json_t *body, json_t **reply)
{
	struct etcd *e = kv->priv;
	char *req = json_dumps(body, JSON_COMPACT);
	if (!req)
		return -ENOMEM;
	int rc = -EIO;
	long code = 0;
	struct rbuf b = {0};
	char errbuf[CURL_ERROR_SIZE];
	pthread_mutex_lock(&e->lock);
	for (size_t attempt = 0; attempt < e->n_eps; attempt++) {
		const char *ep = e->eps[e->cur];
		char url[512];
		snprintf(url, sizeof(url), "%s%s", ep, path);
		free(b.p);
		b = (struct rbuf){0};
		struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
		curl_easy_reset(e->easy);
		curl_easy_setopt(e->easy, CURLOPT_URL, url);
		curl_easy_setopt(e->easy, CURLOPT_POSTFIELDS, req);
		curl_easy_setopt(e->easy, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(e->easy, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(e->easy, CURLOPT_WRITEDATA, &b);
		easy_common(e, e->easy, e->op_ms, errbuf);
		CURLcode cc = curl_easy_perform(e->easy);
		curl_slist_free_all(hdrs);
		if (cc == CURLE_OK) {
			curl_easy_getinfo(e->easy, CURLINFO_RESPONSE_CODE, &code);
			rc = 0;
			break;
		}
		rc = b.overflow ? -EMSGSIZE : curl_errno(cc);
		e->cur = (e->cur + 1) % e->n_eps;
		/* One warning per endpoint per outage; retries while all are down are debug. */
		cninfra_logf(kv->log, e->failing ? CNINFRA_LOG_DEBUG : CNINFRA_LOG_WARN,
			     attempt + 1 < e->n_eps
				 ? "etcd request failed, trying the next endpoint"
				 : "etcd request failed",
			     "url=\"%s\" err=\"%s\"", url, curl_reason(cc, errbuf));
	}
	e->failing = rc != 0;
	pthread_mutex_unlock(&e->lock);
	free(req);
	if (rc) {
		free(b.p);
		return rc;
	}
	json_error_t jerr;
	json_t *j = b.p ? json_loadb(b.p, b.len, 0, &jerr) : NULL;
	free(b.p);
	if (!json_is_object(j)) {
		json_decref(j);
		cninfra_warn(kv->log, "etcd: malformed reply", "path=%s status=%ld", path, code);
		return -EPROTO;
	}
	if (code != 200) {
		const json_t *msg = json_object_get(j, "message");
		int64_t gcode = 0;
		get_i64(j, "code", &gcode);
		cninfra_warn(kv->log, "etcd: request refused",
			     "path=%s status=%ld code=%lld msg=\"%s\"", path, code,
			     (long long)gcode, json_is_string(msg) ? json_string_value(msg) : "");
		json_decref(j);
		/* gRPC InvalidArgument (3), OutOfRange (11): the request was at fault. */
		return gcode == 3 || gcode == 11 ? -EINVAL : -EIO;
	}
	*reply = j;
	return 0;
}

/* A prefix is listed in pages of ETCD_PAGE keys, every page read at the first one's revision (one
 * consistent snapshot, as a single range): a reply stays a few MB however large the prefix (one
 * reply for 100 000 routes was ~35 MB, so MAX_REPLY made a prefix of ~190 000 unlistable), and
 * one page's parsed tree is all that is held at a time. A compaction between two pages fails the
 * listing (etcd: the revision is compacted); the caller lists again (datasync retries). */
#define ETCD_PAGE 4096

/* Adds the keys of one range reply to out. */
static int
range_page(struct cninfra_kv *kv, const char *key, const json_t *kvs, struct cninfra_kv_list *out,
	   size_t *cap)
{
	if (kvs && !json_is_array(kvs))
		return -EPROTO;
	size_t i;
	const json_t *it;
	json_array_foreach(kvs, i, it)
	{
		struct cninfra_kv_pair *p = kv_list_push(out, cap);
		if (!p)
			return -ENOMEM;
		int rc = parse_kv(it, p, true);
		if (rc) {
			free(p->key);
			free(p->value);
			out->count--;
		}
		if (rc == KEY_UNFIT) {
			cninfra_warn(kv->log, "etcd: key skipped (too long or with a NUL byte)",
				     "prefix=\"%s\" mod_revision=%lld", key,
				     (long long)p->mod_revision);
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* After a page that says more: the first key of the next one (the last key + a NUL byte, raw)
 * into *from. It must not go back (a server that repeats itself would list forever): the last
 * key is at least the page's first, and it grows by a byte at least, up to a bound. */
static int
range_next(const json_t *kvs, char **from, size_t *from_n)
{
	size_t n = json_array_size(kvs);
	const json_t *k = n ? json_object_get(json_array_get(kvs, n - 1), "key") : NULL;
	char *last = NULL;
	size_t ln = 0;
	if (!json_is_string(k) || b64dec(json_string_value(k), &last, &ln))
		return -EPROTO;
	int cmp = *from ? memcmp(last, *from, ln < *from_n ? ln : *from_n) : 1;
	if (ln > 2 * CNINFRA_KV_MAX_KEY || cmp < 0 || (cmp == 0 && ln < *from_n)) {
		free(last);
		return -EPROTO;
	}
	/* b64dec NUL-terminates: last[ln] is the byte that makes the next key */
	free(*from);
	*from = last;
	*from_n = ln + 1;
	return 0;
}

static int
etcd_range(struct cninfra_kv *kv, const char *key, bool prefix, struct cninfra_kv_list *out)
{
	char *from = NULL; /* the next page's first key (raw, from_n bytes); NULL: key */
	size_t from_n = 0, cap = 0;
	int64_t at = 0; /* the first page's revision */
	int rc;
	for (;;) {
		json_t *req = json_object(), *rep = NULL;
		rc = req ? set_range(req, key, prefix) : -ENOMEM;
		if (!rc && from) {
			char *k = b64enc(from, from_n);
			if (!k || json_object_set_new(req, "key", json_string(k)))
				rc = -ENOMEM;
			free(k);
		}
		if (!rc && prefix && json_object_set_new(req, "limit", json_integer(ETCD_PAGE)))
			rc = -ENOMEM;
		if (!rc && at && json_object_set_new(req, "revision", json_integer(at)))
			rc = -ENOMEM;
		if (!rc)
			rc = call(kv, "/v3/kv/range", req, &rep);
		json_decref(req);
		if (rc)
			break;
		int64_t rev = 0;
		rc = header_rev(rep, &rev);
		if (!at)
			at = out->revision = rev;
		const json_t *kvs = json_object_get(rep, "kvs");
		if (!rc)
			rc = range_page(kv, key, kvs, out, &cap);
		bool more = prefix && json_is_true(json_object_get(rep, "more"));
		if (!rc && more)
			rc = range_next(kvs, &from, &from_n);
		json_decref(rep);
		if (rc || !more)
			break;
	}
	free(from);
	return rc;
}

static int
etcd_txn(struct cninfra_kv *kv, const struct cninfra_kv_txn *txn, int64_t *rev, size_t *deleted)
{
	json_t *ops = json_array(), *req = json_pack("{s:o}", "success", ops), *rep = NULL;
	int rc = req ? 0 : -ENOMEM;
	for (size_t i = 0; i < txn->count && !rc; i++) {
		const struct kv_op *op = &txn->ops[i];
		json_t *o = json_object();
		if (!o) {
			rc = -ENOMEM;
			break;
		}
		if (op->type == KV_OP_PUT) {
			char *k = b64enc(op->key, strlen(op->key));
			char *v = b64enc(op->value, op->value_size);
			if (!k || !v || json_object_set_new(o, "key", json_string(k)) ||
			    json_object_set_new(o, "value", json_string(v)))
				rc = -ENOMEM;
			free(k);
			free(v);
			json_array_append_new(ops, json_pack("{s:o}", "request_put", o));
		} else {
			rc = set_range(o, op->key, op->type == KV_OP_DEL_PREFIX);
			json_array_append_new(ops, json_pack("{s:o}", "request_delete_range", o));
		}
	}
	if (!rc)
		rc = call(kv, "/v3/kv/txn", req, &rep);
	json_decref(req);
	if (rc)
		return rc;
	rc = header_rev(rep, rev);
	const json_t *resps = json_object_get(rep, "responses"), *it;
	size_t i;
	*deleted = 0;
	json_array_foreach(resps, i, it)
	{
		const json_t *d = json_object_get(it, "response_delete_range");
		int64_t n = 0;
		if (d && get_i64(d, "deleted", &n) == 0 && n > 0)
			*deleted += (size_t)n;
	}
	json_decref(rep);
	return rc;
}

/* Watches */

struct ewatch {
	struct cninfra_kv_watch *w;
	pthread_t th;
	CURLM *multi;
	CURL *easy;
	atomic_bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int64_t last;	   /* last revision delivered or known to be covered */
	bool have_start;   /* last is meaningful */
	bool created;	   /* this connection's watch was created */
	unsigned failures; /* connection attempts that failed in a row */
	char *buf;
	size_t len;
	size_t ep;     /* index of the endpoint in use (modulo their number) */
	char url[300]; /* that endpoint, for logs */
};

static void
deliver_lost(struct ewatch *ew, int64_t rev)
{
	struct kv_batch *b = kv_batch_new(ew->w);
	if (!b)
		return;
	if (kv_batch_add(b, CNINFRA_KV_LOST, "", NULL, 0, 0, rev, 0) == 0)
		kv_batch_post(b);
	else
		kv_batch_free(b);
}

/* One JSON message of the watch stream. Returns 0, or -1 to drop the connection. */
static int
on_message(struct ewatch *ew, json_t *msg)
{
	struct cninfra_kv *kv = ew->w->kv;
	json_t *res = json_object_get(msg, "result");
	if (!json_is_object(res)) {
		const json_t *err = json_object_get(msg, "error");
		const json_t *m = json_object_get(err, "message");
		cninfra_warn(kv->log, "etcd watch: error from server", "prefix=\"%s\" msg=\"%s\"",
			     ew->w->prefix, json_is_string(m) ? json_string_value(m) : "?");
		return -1;
	}
	int64_t hrev = 0, compact = 0;
	header_rev(res, &hrev);
	get_i64(res, "compact_revision", &compact);
	if (json_is_true(json_object_get(res, "created"))) {
		ew->created = true;
		if (ew->failures)
			cninfra_info(kv->log, "etcd watch resumed",
				     "prefix=\"%s\" endpoint=\"%s\" start_rev=%lld", ew->w->prefix,
				     ew->url, (long long)(ew->last + 1));
		else
			cninfra_info(kv->log, "etcd watch started", "prefix=\"%s\" endpoint=\"%s\"",
				     ew->w->prefix, ew->url);
		ew->failures = 0;
		if (!ew->have_start) {
			ew->last = hrev;
			ew->have_start = true;
		}
	}
	if (compact > 0) {
		cninfra_warn(kv->log, "etcd watch: revisions compacted, changes lost",
			     "prefix=\"%s\" wanted=%lld compact_revision=%lld", ew->w->prefix,
			     (long long)(ew->last + 1), (long long)compact);
		deliver_lost(ew, hrev);
		ew->last = hrev;
		return -1;
	}
	if (json_is_true(json_object_get(res, "canceled")))
		return -1;
	const json_t *evs = json_object_get(res, "events"), *it;
	if (!evs)
		return 0;
	if (!json_is_array(evs))
		return -1;
	struct kv_batch *b = kv_batch_new(ew->w);
	if (!b)
		return -1;
	size_t i;
	int rc = 0;
	/* The events of one etcd transaction share its revision: deliver every event newer than
	 * what was delivered before this message. */
	const int64_t done = ew->last;
	json_array_foreach(evs, i, it)
	{
		const json_t *t = json_object_get(it, "type");
		bool del = (json_is_string(t) && !strcmp(json_string_value(t), "DELETE")) ||
			   (json_is_integer(t) && json_integer_value(t) == 1);
		struct cninfra_kv_pair p = {0};
		int prc = parse_kv(json_object_get(it, "kv"), &p, !del);
		if (prc == KEY_UNFIT) {
			cninfra_warn(kv->log,
				     "etcd watch: key skipped (too long or with a NUL byte)",
				     "prefix=\"%s\" mod_revision=%lld", ew->w->prefix,
				     (long long)p.mod_revision);
			if (p.mod_revision > ew->last)
				ew->last = p.mod_revision;
			continue;
		}
		if (prc) {
			rc = -1;
			break;
		}
		/* A resumed watch may replay what we already delivered. */
		if (p.mod_revision > done) {
			if (kv_batch_add(b, del ? CNINFRA_KV_DELETE : CNINFRA_KV_PUT, p.key,
					 p.value, p.value_size, p.create_revision, p.mod_revision,
					 p.version)) {
				rc = -1;
			} else {
				ew->last = p.mod_revision;
				ew->have_start = true;
			}
		}
		free(p.key);
		free(p.value);
		if (rc)
			break;
	}
	/* Post what parsed; ew->last covers exactly those events. */
	kv_batch_post(b);
	return rc;
}

static size_t
on_stream(char *data, size_t size, size_t nmemb, void *arg)
{
	struct ewatch *ew = arg;
	size_t n = size * nmemb;
	if (atomic_load(&ew->stop) || ew->len + n > MAX_STREAM_BUF)
		return 0;
	char *np = realloc(ew->buf, ew->len + n + 1);
	if (!np)
		return 0;
	ew->buf = np;
	memcpy(ew->buf + ew->len, data, n);
	ew->len += n;
	/* etcd's gateway ends each message with a newline (JSON has none inside strings): until one
	 * arrives (or the data ends like an object) the message is incomplete, and parsing it again
	 * for every chunk would cost the square of its size (a 1 MB value is ~60 chunks). */
	if (n && !memchr(data, '\n', n) && data[n - 1] != '}')
		return n;
	/* Split the stream into JSON objects with the parser itself: it reports how much it read.
	 */
	while (ew->len) {
		size_t ws = 0;
		while (ws < ew->len && (ew->buf[ws] == ' ' || ew->buf[ws] == '\n' ||
					ew->buf[ws] == '\r' || ew->buf[ws] == '\t'))
			ws++;
		if (ws == ew->len) {
			ew->len = 0;
			break;
		}
		json_error_t err;
		json_t *msg = json_loadb(ew->buf + ws, ew->len - ws, JSON_DISABLE_EOF_CHECK, &err);
		if (!msg) {
			if (json_error_code(&err) == json_error_premature_end_of_input)
				break;
			cninfra_warn(ew->w->kv->log, "etcd watch: malformed stream",
				     "prefix=\"%s\" err=\"%s\"", ew->w->prefix, err.text);
			return 0;
		}
		size_t used = ws + (size_t)err.position;
		int rc = json_is_object(msg) ? on_message(ew, msg) : -1;
		json_decref(msg);
		if (used > ew->len)
			used = ew->len;
		memmove(ew->buf, ew->buf + used, ew->len - used);
		ew->len -= used;
		if (rc)
			return 0;
	}
	return n;
}

/* One streaming connection; returns when it ends or stop is set. */
static void
watch_once(struct ewatch *ew)
{
	struct cninfra_kv *kv = ew->w->kv;
	struct etcd *e = kv->priv;
	json_t *cr = json_object();
	if (!cr || set_range(cr, ew->w->prefix, true)) {
		json_decref(cr);
		return;
	}
	if (ew->have_start)
		json_object_set_new(cr, "start_revision", json_integer(ew->last + 1));
	json_t *body = json_pack("{s:o}", "create_request", cr);
	char *req = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!req)
		return;
	char url[512], errbuf[CURL_ERROR_SIZE];
	snprintf(url, sizeof(url), "%s/v3/watch", e->eps[ew->ep % e->n_eps]);
	snprintf(ew->url, sizeof(ew->url), "%s", e->eps[ew->ep % e->n_eps]);
	ew->len = 0;
	ew->created = false;
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_reset(ew->easy);
	curl_easy_setopt(ew->easy, CURLOPT_URL, url);
	curl_easy_setopt(ew->easy, CURLOPT_POSTFIELDS, req);
	curl_easy_setopt(ew->easy, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(ew->easy, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(ew->easy, CURLOPT_WRITEDATA, ew);
	easy_common(e, ew->easy, 0, errbuf);
	curl_easy_setopt(ew->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(ew->easy, CURLOPT_TCP_KEEPIDLE, 5L);
	curl_easy_setopt(ew->easy, CURLOPT_TCP_KEEPINTVL, 5L);
	curl_multi_add_handle(ew->multi, ew->easy);
	int running = 1;
	while (running && !atomic_load(&ew->stop)) {
		if (curl_multi_perform(ew->multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(ew->multi, NULL, 0, 1000, NULL);
	}
	CURLcode result = CURLE_OK;
	int left;
	CURLMsg *m;
	while ((m = curl_multi_info_read(ew->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			result = m->data.result;
	curl_multi_remove_handle(ew->multi, ew->easy);
	curl_slist_free_all(hdrs);
	free(req);
	/* One warning per outage; the retries that follow are debug. */
	if (!atomic_load(&ew->stop))
		cninfra_logf(kv->log, ew->failures ? CNINFRA_LOG_DEBUG : CNINFRA_LOG_WARN,
			     "etcd watch disconnected, will resume",
			     "prefix=\"%s\" url=\"%s\" err=\"%s\" resume_rev=%lld", ew->w->prefix,
			     url, curl_reason(result, errbuf), (long long)(ew->last + 1));
	ew->failures++;
}

static void *
watch_thread(void *arg)
{
	struct ewatch *ew = arg;
	const struct etcd *e = ew->w->kv->priv;
	unsigned backoff = 100;
	while (!atomic_load(&ew->stop)) {
		watch_once(ew);
		if (atomic_load(&ew->stop))
			break;
		if (ew->created) {
			/* It ran and ended: the same member once more (a stream the server closed),
			 * the next one if that fails. */
			backoff = 100;
		} else {
			/* Never got through (member down, refused, TLS failed): the next endpoint
			 * (cluster member) after a pause; the watch resumes there from the last
			 * revision delivered + 1. */
			ew->ep++;
			if (e->n_eps > 1 && ew->ep % e->n_eps)
				backoff = 100;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(backoff % 1000) * 1000000;
		ts.tv_sec += backoff / 1000 + ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		pthread_mutex_lock(&ew->mu);
		if (!atomic_load(&ew->stop))
			pthread_cond_timedwait(&ew->cv, &ew->mu, &ts);
		pthread_mutex_unlock(&ew->mu);
		backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
	}
	return NULL;
}

static void
ewatch_free(struct ewatch *ew)
{
	if (ew->easy)
		curl_easy_cleanup(ew->easy);
	if (ew->multi)
		curl_multi_cleanup(ew->multi);
	pthread_mutex_destroy(&ew->mu);
	pthread_cond_destroy(&ew->cv);
	free(ew->buf);
	free(ew);
}

static int
etcd_watch_start(struct cninfra_kv_watch *w)
{
	struct ewatch *ew = calloc(1, sizeof(*ew));
	if (!ew)
		return -ENOMEM;
	ew->w = w;
	atomic_init(&ew->stop, false);
	pthread_mutex_init(&ew->mu, NULL);
	pthread_cond_init(&ew->cv, NULL);
	if (w->from_rev > 0) {
		ew->last = w->from_rev - 1;
		ew->have_start = true;
	}
	ew->multi = curl_multi_init();
	ew->easy = curl_easy_init();
	if (!ew->multi || !ew->easy) {
		ewatch_free(ew);
		return -ENOMEM;
	}
	int rc = pthread_create(&ew->th, NULL, watch_thread, ew);
	if (rc) {
		ewatch_free(ew);
		return -rc;
	}
	w->priv = ew;
	return 0;
}

static void
etcd_watch_stop(struct cninfra_kv_watch *w)
{
	struct ewatch *ew = w->priv;
	if (!ew)
		return;
	atomic_store(&ew->stop, true);
	curl_multi_wakeup(ew->multi);
	pthread_mutex_lock(&ew->mu);
	pthread_cond_signal(&ew->cv);
	pthread_mutex_unlock(&ew->mu);
	pthread_join(ew->th, NULL);
	ewatch_free(ew);
	w->priv = NULL;
}

static void
etcd_close(struct cninfra_kv *kv)
{
	struct etcd *e = kv->priv;
	if (!e)
		return;
	for (size_t i = 0; i < e->n_eps; i++)
		free(e->eps[i]);
	free(e->ca_file);
	free(e->cert_file);
	free(e->key_file);
	if (e->easy)
		curl_easy_cleanup(e->easy);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

static const struct kv_ops etcd_ops = {
    .name = "etcd",
    .range = etcd_range,
    .txn = etcd_txn,
    .watch_start = etcd_watch_start,
    .watch_stop = etcd_watch_stop,
    .close = etcd_close,
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
kv_etcd_open(struct cninfra_kv *kv)
{
	pthread_once(&curl_once, curl_init);
	struct etcd *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	kv->priv = e;
	kv->ops = &etcd_ops;
	int rc = 0;
	char *list = strdup(kv->opts.endpoint), *save = NULL;
	if (!list) {
		rc = -ENOMEM;
		goto fail;
	}
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (e->n_eps == MAX_ENDPOINTS || strlen(tok) > 256) {
			rc = -EINVAL;
			break;
		}
		bool tls = !strncmp(tok, "https://", 8);
		const char *hostport = !strncmp(tok, "etcd://", 7) || !strncmp(tok, "http://", 7)
					   ? tok + 7
				       : tls ? tok + 8
					     : NULL;
		if (!hostport || !*hostport || strchr(hostport, ' ')) {
			rc = -EINVAL;
			break;
		}
		size_t hl = strlen(hostport);
		while (hl && hostport[hl - 1] == '/')
			hl--;
		char *ep = malloc(hl + 9);
		if (!ep) {
			rc = -ENOMEM;
			break;
		}
		snprintf(ep, hl + 9, "%s://%.*s", tls ? "https" : "http", (int)hl, hostport);
		e->eps[e->n_eps++] = ep;
	}
	free(list);
	if (!rc && !e->n_eps)
		rc = -EINVAL;
	/* A client certificate needs its key and the other way round. */
	if (!rc && (!kv->opts.cert_file != !kv->opts.key_file))
		rc = -EINVAL;
	e->skip_verify = kv->opts.insecure_skip_verify != 0;
	e->op_ms = (long)kv->opts.timeout_ms;
	e->dial_ms = kv->opts.dial_timeout_ms ? (long)kv->opts.dial_timeout_ms : e->op_ms;
	if (!rc && ((kv->opts.ca_file && !(e->ca_file = strdup(kv->opts.ca_file))) ||
		    (kv->opts.cert_file && !(e->cert_file = strdup(kv->opts.cert_file))) ||
		    (kv->opts.key_file && !(e->key_file = strdup(kv->opts.key_file)))))
		rc = -ENOMEM;
	/* kv->opts holds the caller's pointers: only the copies are used from here on. */
	kv->opts.ca_file = kv->opts.cert_file = kv->opts.key_file = NULL;
	if (!rc && !(e->easy = curl_easy_init()))
		rc = -ENOMEM;
	if (rc)
		goto fail;
	return 0;
fail:
	etcd_close(kv);
	kv->priv = NULL;
	return rc;
}
