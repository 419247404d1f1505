/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's etcd.conf for lig-agent: the YAML (yaml_json.c) as a JSON tree, each key of
 * cn-infra's etcd configuration checked for its type and range. The result feeds
 * cninfra_kv_opts (endpoints, timeouts, TLS) and the agent's start-up (allow-delayed-start,
 * reconnect-interval). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etcd_conf.h"
#include "yaml_json.h"

#define CONF_SIZE_MAX (1024 * 1024)
#define DURATION_MAX_NS (24ULL * 3600 * 1000000000ULL) /* a day: plenty for any timeout */

int
agent_parse_duration(const char *s, unsigned long long *ns)
{
	static const struct {
		const char *name;
		unsigned long long ns;
	} units[] = {{"ns", 1ULL},	     {"us", 1000ULL},
		     {"\xc2\xb5s", 1000ULL}, /* µs (micro sign) */
		     {"\xce\xbcs", 1000ULL}, /* μs (Greek mu) */
		     {"ms", 1000000ULL},     {"s", 1000000000ULL},
		     {"m", 60000000000ULL},  {"h", 3600000000000ULL}};
	unsigned long long total = 0;
	const char *p = s;
	if (!s || !*s)
		return -EINVAL;
	if (*p == '+')
		p++;
	if (!strcmp(p, "0")) {
		*ns = 0;
		return 0;
	}
	if (!*p)
		return -EINVAL;
	while (*p) {
		unsigned long long whole = 0, frac = 0, scale = 1;
		size_t digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (whole > DURATION_MAX_NS)
				return -EINVAL;
			whole = whole * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9') {
				if (scale < 1000000000000000000ULL) {
					frac = frac * 10 + (unsigned)(*p - '0');
					scale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (!digits)
			return -EINVAL;
		size_t best = 0, best_len = 0;
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			size_t l = strlen(units[u].name);
			if (l > best_len && !strncmp(p, units[u].name, l)) {
				best = u;
				best_len = l;
			}
		}
		if (!best_len)
			return -EINVAL;
		p += best_len;
		unsigned long long un = units[best].ns;
		if (whole > DURATION_MAX_NS / un)
			return -EINVAL;
		/* frac / scale of a unit, rounded down to a nanosecond. */
		unsigned long long f = (unsigned long long)((long double)frac * un / scale);
		total += whole * un + f;
		if (total > DURATION_MAX_NS)
			return -EINVAL;
	}
	*ns = total;
	return 0;
}

/* ---- the file ---- */

struct ctx {
	const char *file;
	char *err;
	size_t err_size;
	struct agent_etcd_conf *c;
};

static int __attribute__((format(printf, 3, 4)))
bad(struct ctx *x, const char *key, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->err_size, "%s: %s: %s", x->file, key, what);
	return -EINVAL;
}

static void __attribute__((format(printf, 3, 4)))
warn(struct ctx *x, const char *key, const char *fmt, ...)
{
	if (x->c->n_warnings == AGENT_ETCD_WARNINGS_MAX)
		return;
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(x->c->warnings[x->c->n_warnings++], sizeof(x->c->warnings[0]), "%s: %.60s: %s",
		 x->file, key, what);
}

static int
get_bool(struct ctx *x, const char *key, const json_t *v, bool *out)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(x, key, "not a boolean (true or false)");
	*out = json_is_true(v);
	return 0;
}

/* A duration: a string in Go's syntax or an integer of nanoseconds (cn-infra's time.Duration). */
static int
get_duration_ms(struct ctx *x, const char *key, const json_t *v, unsigned *out, bool zero_ok)
{
	unsigned long long ns;
	if (json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 ||
		    (unsigned long long)json_integer_value(v) > DURATION_MAX_NS)
			return bad(x, key, "%lld ns is out of range (0 to 24h)",
				   (long long)json_integer_value(v));
		ns = (unsigned long long)json_integer_value(v);
	} else if (json_is_string(v)) {
		if (agent_parse_duration(json_string_value(v), &ns) < 0)
			return bad(
			    x, key,
			    "\"%.40s\" is not a duration (e.g. 500ms, 1s, 1m30s, or nanoseconds "
			    "as a number; at most 24h)",
			    json_string_value(v));
	} else {
		return bad(x, key, "not a duration (e.g. 1s, or nanoseconds as a number)");
	}
	if (!ns && !zero_ok)
		return bad(x, key, "must be more than 0");
	/* Up to a whole millisecond: 100000000 ns is 100 ms, 1 ns is 1 ms, not 0. */
	*out = (unsigned)((ns + 999999) / 1000000);
	return 0;
}

static int
get_path(struct ctx *x, const char *key, const json_t *v, char **out)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(x, key, "not a string (a file path)");
	const char *s = json_string_value(v);
	if (!*s)
		return 0; /* "" is unset, as in cn-infra */
	if (strlen(s) != json_string_length(v) || strlen(s) > 4000)
		return bad(x, key, "not a usable file path");
	free(*out);
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* Checks one endpoint as written (host:port, or with http:// / https://). */
static int
check_endpoint(struct ctx *x, const char *ep)
{
	const char *hp = ep;
	if (!strncmp(ep, "http://", 7))
		hp = ep + 7;
	else if (!strncmp(ep, "https://", 8))
		hp = ep + 8;
	else if (strstr(ep, "://"))
		return bad(x, "endpoints", "\"%.80s\": only http:// and https:// are supported",
			   ep);
	size_t n = strlen(hp);
	while (n && hp[n - 1] == '/')
		n--;
	if (!n || n > 250)
		return bad(x, "endpoints", "\"%.80s\" has no host", ep);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)hp[i];
		if (ch <= ' ' || ch >= 0x7f || ch == ',' || ch == '/' || ch == '?' || ch == '#' ||
		    ch == '@')
			return bad(x, "endpoints", "\"%.80s\" is not host:port", ep);
	}
	return 0;
}

/* Appends one endpoint to c->endpoints as a URL. */
static int
add_endpoint(struct ctx *x, const char *ep)
{
	struct agent_etcd_conf *c = x->c;
	int rc = check_endpoint(x, ep);
	if (rc)
		return rc;
	if (c->n_endpoints == AGENT_ETCD_ENDPOINTS_MAX)
		return bad(x, "endpoints", "more than %d endpoints", AGENT_ETCD_ENDPOINTS_MAX);
	bool has_scheme = !strncmp(ep, "http://", 7) || !strncmp(ep, "https://", 8);
	size_t old = c->endpoints ? strlen(c->endpoints) : 0, add = strlen(ep) + 10;
	char *n = realloc(c->endpoints, old + add + 1);
	if (!n)
		return -ENOMEM;
	c->endpoints = n;
	snprintf(n + old, add + 1, "%s%s%s", old ? "," : "",
		 has_scheme ? "" : (c->tls ? "https://" : "http://"), ep);
	/* Trailing slashes would end up inside the request URLs. */
	size_t l = strlen(n);
	while (l && n[l - 1] == '/')
		n[--l] = 0;
	c->n_endpoints++;
	return 0;
}

static int
endpoints_from_env(struct ctx *x)
{
	const char *env = getenv("ETCD_ENDPOINTS");
	if (!env || !*env)
		env = getenv("ETCDV3_ENDPOINTS");
	if (!env || !*env)
		env = "127.0.0.1:2379";
	char *list = strdup(env), *save = NULL;
	if (!list)
		return -ENOMEM;
	int rc = 0;
	for (char *t = strtok_r(list, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save))
		if (*t)
			rc = add_endpoint(x, t);
	free(list);
	if (!rc && !x->c->n_endpoints)
		rc = bad(x, "endpoints", "none given");
	return rc;
}

/* Keys of cn-infra's etcd configuration (and etcd client settings vpp-agent users write) that
 * lig-agent accepts but does not act on, with the reason given in the warning. */
static const struct {
	const char *key;
	const char *why;
} ignored[] = {
    {"auto-compact", "accepted, has no effect: lig-agent never compacts etcd"},
    {"session-ttl", "accepted, has no effect: lig-agent holds no etcd lease"},
    {"expand-env-variables", "accepted, has no effect"},
    {"auto-sync-interval", "accepted, has no effect: the endpoints are the ones listed"},
};

int
agent_etcd_conf_parse(const char *text, size_t size, const char *file, struct agent_etcd_conf *c,
		      char *err, size_t err_size)
{
	struct ctx x = {
	    .file = file ? file : "etcd.conf", .err = err, .err_size = err_size, .c = c};
	char yerr[200];
	memset(c, 0, sizeof(*c));
	c->dial_timeout_ms = 1000;
	c->op_timeout_ms = 3000;
	c->reconnect_interval_ms = 2000;
	if (err_size)
		err[0] = 0;
	if (size > CONF_SIZE_MAX) {
		snprintf(err, err_size, "%s: larger than %d bytes", x.file, CONF_SIZE_MAX);
		return -EINVAL;
	}
	json_t *root = agent_yaml_load(text, size, yerr, sizeof(yerr));
	if (!root) {
		snprintf(err, err_size, "%s: %s", x.file, yerr);
		return -EINVAL;
	}
	int rc = 0;
	if (json_is_null(root)) {
		/* An empty file: every default. */
	} else if (!json_is_object(root)) {
		snprintf(err, err_size, "%s: not a mapping of keys to values", x.file);
		rc = -EINVAL;
	}
	const json_t *eps = NULL;
	const char *key;
	json_t *v;
	if (!rc)
		json_object_foreach(root, key, v)
		{
			if (!strcmp(key, "endpoints"))
				eps = v;
			else if (!strcmp(key, "dial-timeout"))
				rc = get_duration_ms(&x, key, v, &c->dial_timeout_ms, false);
			else if (!strcmp(key, "operation-timeout"))
				rc = get_duration_ms(&x, key, v, &c->op_timeout_ms, false);
			else if (!strcmp(key, "reconnect-interval"))
				rc = get_duration_ms(&x, key, v, &c->reconnect_interval_ms, false);
			else if (!strcmp(key, "insecure-transport"))
				rc = get_bool(&x, key, v, &c->insecure_transport);
			else if (!strcmp(key, "insecure-skip-tls-verify"))
				rc = get_bool(&x, key, v, &c->insecure_skip_verify);
			else if (!strcmp(key, "allow-delayed-start"))
				rc = get_bool(&x, key, v, &c->allow_delayed_start);
			else if (!strcmp(key, "resync-after-reconnect"))
				rc = get_bool(&x, key, v, &c->resync_after_reconnect);
			else if (!strcmp(key, "ca-file"))
				rc = get_path(&x, key, v, &c->ca_file);
			else if (!strcmp(key, "cert-file"))
				rc = get_path(&x, key, v, &c->cert_file);
			else if (!strcmp(key, "key-file"))
				rc = get_path(&x, key, v, &c->key_file);
			else {
				size_t i;
				for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
					if (!strcmp(key, ignored[i].key))
						break;
				if (i < sizeof(ignored) / sizeof(ignored[0])) {
					/* Still typed: a value cn-infra would refuse is refused. */
					unsigned dummy_ms;
					bool dummy_b;
					if (!strcmp(key, "session-ttl")) {
						if (!json_is_integer(v) && !json_is_null(v))
							rc = bad(&x, key, "not an integer");
					} else if (!strcmp(key, "expand-env-variables"))
						rc = get_bool(&x, key, v, &dummy_b);
					else
						rc = get_duration_ms(&x, key, v, &dummy_ms, true);
					if (!rc)
						warn(&x, key, "%s", ignored[i].why);
				} else {
					warn(&x, key, "unknown key, ignored");
				}
			}
			if (rc)
				break;
		}
	if (!rc && (!c->cert_file) != (!c->key_file))
		rc = bad(&x, c->cert_file ? "cert-file" : "key-file",
			 "cert-file and key-file go together (a client certificate and its key)");
	if (!rc) {
		c->tls = !c->insecure_transport && (c->ca_file || c->cert_file || c->key_file);
		if (c->insecure_transport && (c->ca_file || c->cert_file || c->key_file))
			warn(&x, "insecure-transport",
			     "true: ca-file, cert-file and key-file are not used (no TLS)");
	}
	if (!rc && eps && !json_is_null(eps)) {
		size_t i;
		const json_t *e;
		if (!json_is_array(eps))
			rc = bad(&x, "endpoints", "not a list of \"host:port\" strings");
		else
			json_array_foreach(eps, i, e)
			{
				if (!json_is_string(e)) {
					rc = bad(&x, "endpoints", "item %zu is not a string", i);
					break;
				}
				if ((rc = add_endpoint(&x, json_string_value(e))))
					break;
			}
	}
	if (!rc && !c->n_endpoints)
		rc = endpoints_from_env(&x);
	json_decref(root);
	return rc;
}

static int
readable(const char *conf, const char *key, const char *path, char *err, size_t err_size)
{
	if (!path || access(path, R_OK) == 0)
		return 0;
	int e = errno;
	snprintf(err, err_size, "%s: %s: %s: %s", conf, key, path, strerror(e));
	return -EINVAL;
}

int
agent_etcd_conf_load(const char *path, struct agent_etcd_conf *c, char *err, size_t err_size)
{
	memset(c, 0, sizeof(*c));
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", path, strerror(e));
		return -e;
	}
	char *buf = malloc(CONF_SIZE_MAX + 1);
	size_t n = buf ? fread(buf, 1, CONF_SIZE_MAX + 1, f) : 0;
	int rerr = ferror(f);
	fclose(f);
	if (!buf || rerr) {
		free(buf);
		snprintf(err, err_size, "%s: %s", path, buf ? "read error" : "out of memory");
		return buf ? -EIO : -ENOMEM;
	}
	int rc = agent_etcd_conf_parse(buf, n, path, c, err, err_size);
	free(buf);
	if (!rc && c->tls)
		if ((rc = readable(path, "ca-file", c->ca_file, err, err_size)) == 0 &&
		    (rc = readable(path, "cert-file", c->cert_file, err, err_size)) == 0)
			rc = readable(path, "key-file", c->key_file, err, err_size);
	return rc;
}

void
agent_etcd_conf_free(struct agent_etcd_conf *c)
{
	if (!c)
		return;
	free(c->endpoints);
	free(c->ca_file);
	free(c->cert_file);
	free(c->key_file);
	memset(c, 0, sizeof(*c));
}
