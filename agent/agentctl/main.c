/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agentctl: vpp-agent's agentctl for lig-agent. Reads the agent's state through its REST API
 * (status, values with their pending reasons, transaction history, dumps, the graph, metrics),
 * watches transactions as they happen, and changes the configuration: through the agent's REST
 * /configuration endpoints, or straight in etcd when given the agent's etcd.conf. Tables for
 * people, --json for programs; exit codes in agentctl.h and docs/agent.md ("lig-agentctl"). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cninfra/kv.h>

#include "agentctl.h"
#include "etcd_conf.h"

struct ctl C;

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: lig-agentctl [OPTIONS] COMMAND [ARGS]\n"
	    "options:\n"
	    "  -H, --host HOST:PORT|URL  the agent's REST API ($AGENT_HOST; 127.0.0.1:9191)\n"
	    "  -t, --token FILE          bearer token file ($LIG_AGENT_HTTP_TOKEN: the token)\n"
	    "      --cacert FILE         CA certificate of the agent's HTTPS (implies https)\n"
	    "  -e, --etcd-config FILE    the agent's etcd.conf: config put/delete/get go to etcd\n"
	    "  -l, --label LABEL         microservice label ($MICROSERVICE_LABEL; the agent's)\n"
	    "      --timeout SECONDS     per request (10)\n"
	    "  -j, --json                raw JSON instead of tables\n"
	    "commands:\n"
	    "  status                    the agent: ligd, store, values per state, problems\n"
	    "  values [--state S[,S...]] [--descriptor D] [KEY-PREFIX]\n"
	    "                            every value's state and why (pending reasons, errors)\n"
	    "  config get [KEY]          the configuration (or one key's value)\n"
	    "  config put KEY VALUE      set a key (VALUE is JSON; - reads stdin)\n"
	    "  config delete KEY         delete a key\n"
	    "  config history [--since T] [--until T] [--seq N]\n"
	    "                            transactions (T: unix seconds, ns, or RFC 3339)\n"
	    "  config resync             downstream resync: read ligd back, repair drift\n"
	    "  dump DESCRIPTOR [--view SB|NB|cached]\n"
	    "                            values of a descriptor (default: read from ligd)\n"
	    "  graph [--svg FILE]        the scheduler's graph as dot (stdout) or SVG\n"
	    "  watch [--interval MS] [--count N]\n"
	    "                            print transactions as they happen\n"
	    "  metrics [MATCH]           Prometheus metrics (lines containing MATCH)\n"
	    "KEY: the full key (/vnf-agent/<label>/config/...), config/..., or the part after\n"
	    "config/ (vpp/v2/interfaces/loop1).\n"
	    "exit: 0 ok, 1 the agent or etcd refused, 2 usage, 3 agent unreachable, 4 bad token\n");
}

/* ---- helpers ---- */

static int
bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "lig-agentctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(lig-agentctl --help lists the commands)\n");
	return CTL_USAGE;
}

/* Sub-command options: --name VALUE or --name=VALUE; positional arguments kept in pos. */
struct subopt {
	const char *name;
	const char **value;
};

static int
subopts(int argc, char **argv, const struct subopt *opts, const char **pos, size_t max_pos,
	size_t *n_pos)
{
	*n_pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const struct subopt *o = opts;
			size_t len = strcspn(a + 2, "=");
			for (; o && o->name; o++)
				if (strlen(o->name) == len && !strncmp(o->name, a + 2, len))
					break;
			if (!o || !o->name)
				return bad_usage("unknown option %s", a);
			if (a[2 + len] == '=')
				*o->value = a + 3 + len;
			else if (i + 1 < argc)
				*o->value = argv[++i];
			else
				return bad_usage("%s needs a value", a);
			continue;
		}
		if (*n_pos == max_pos)
			return bad_usage("unexpected argument %s", a);
		pos[(*n_pos)++] = a;
	}
	return CTL_OK;
}

static int
print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!s)
		return CTL_ERR;
	puts(s);
	free(s);
	return CTL_OK;
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The agent's label: --label, $MICROSERVICE_LABEL, else the agent's own (asked quietly), else
 * vpp1. */
static const char *
label(void)
{
	static char asked[128];
	if (C.label)
		return C.label;
	if (asked[0])
		return asked;
	json_t *st = NULL;
	C.quiet = true;
	if (ctl_get_json("/scheduler/stats", &st) == CTL_OK && jstr(st, "label"))
		snprintf(asked, sizeof(asked), "%s", jstr(st, "label"));
	else
		snprintf(asked, sizeof(asked), "vpp1");
	C.quiet = false;
	json_decref(st);
	return asked;
}

/* KEY as the user wrote it -> the full key. */
static int
full_key(const char *key, char *buf, size_t n)
{
	if (!*key)
		return bad_usage("%sempty key", "");
	int w;
	if (key[0] == '/')
		w = snprintf(buf, n, "%s", key);
	else if (!strncmp(key, "config/", 7))
		w = snprintf(buf, n, "/vnf-agent/%s/%s", label(), key);
	else
		w = snprintf(buf, n, "/vnf-agent/%s/config/%s", label(), key);
	if (w < 0 || (size_t)w >= n)
		return bad_usage("key too long: %.80s...", key);
	return CTL_OK;
}

/* ---- status, values ---- */

static int
cmd_values(int argc, char **argv)
{
	const char *state = NULL, *descriptor = NULL, *pos[1];
	size_t n_pos;
	const struct subopt o[] = {{"state", &state}, {"descriptor", &descriptor}, {NULL, NULL}};
	int rc = subopts(argc, argv, o, pos, 1, &n_pos);
	if (rc)
		return rc;
	char path[2048] = "/scheduler/status?";
	const char *names[] = {"state", "descriptor", "key-prefix"};
	const char *vals[] = {state, descriptor, n_pos ? pos[0] : NULL};
	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		char *e = ctl_escape(vals[i]);
		if (!e)
			return CTL_ERR;
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, "%s%s=%s", path[l - 1] == '?' ? "" : "&",
			 names[i], e);
		free(e);
	}
	json_t *arr;
	if ((rc = ctl_get_json(path, &arr)))
		return rc;
	if (C.json) {
		rc = print_json(arr);
		json_decref(arr);
		return rc;
	}
	static const char *const hdr[] = {"STATE", "KEY", "LAST OP", "DETAILS"};
	struct table *t = table_new(4, hdr);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *v = json_array_get(arr, i);
		char *d = status_details(v);
		const char *row[] = {jstr(v, "state"), jstr(v, "key"), jstr(v, "last_op"), d};
		table_row(t, row);
		free(d);
	}
	table_print(t);
	json_decref(arr);
	return CTL_OK;
}

static int
cmd_status(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return bad_usage("status takes no argument (%s)", argv[0]);
	json_t *st, *vals = NULL;
	int rc = ctl_get_json("/scheduler/stats", &st);
	if (rc)
		return rc;
	struct ctl_reply ready;
	rc = ctl_http("GET", "/readiness", NULL, 0, NULL, &ready);
	if (rc) {
		json_decref(st);
		return rc;
	}
	/* Only the values that are not where they should be (the list may be long otherwise). */
	if ((rc = ctl_get_json("/scheduler/status?state=MISSING,UNIMPLEMENTED,DISCOVERED,PENDING,"
			       "INVALID,FAILED,RETRYING",
			       &vals))) {
		json_decref(st);
		ctl_reply_free(&ready);
		return rc;
	}
	if (C.json) {
		json_object_set_new(st, "ready", json_boolean(ready.status == 200));
		json_object_set(st, "problems", vals);
		rc = print_json(st);
		goto out;
	}
	char *rdy = ready.body ? ready.body : "";
	rdy[strcspn(rdy, "\r\n")] = 0;
	printf("Agent       %s (label %s)\n", C.host, jstr(st, "label") ?: "?");
	printf("Ready       %s\n", ready.status == 200 ? "yes" : rdy);
	printf("ligd        %s (%s)\n",
	       json_is_true(json_object_get(st, "ligd_connected")) ? "connected" : "NOT connected",
	       jstr(st, "ligd_socket") ?: "?");
	const json_t *conn = json_object_get(st, "store_connected");
	printf("Store       %s, %s%s\n", jstr(st, "store") ?: "?",
	       json_is_true(json_object_get(st, "store_synced")) ? "listed" : "NOT listed yet",
	       json_is_true(conn)    ? ", connected"
	       : json_is_false(conn) ? ", NOT reachable now"
				     : "");
	printf("Last txn    #%lld\n", json_integer_value(json_object_get(st, "last_seq")));
	printf("Values     ");
	const char *k;
	json_t *v;
	size_t total = 0;
	json_object_foreach(json_object_get(st, "values"), k, v)
	{
		printf(" %s %lld", k, json_integer_value(v));
		total += (size_t)json_integer_value(v);
	}
	printf("%s\n", total ? "" : " none");
	printf("Txns       ");
	total = 0;
	json_object_foreach(json_object_get(st, "transactions"), k, v)
	{
		printf(" %s %lld", k, json_integer_value(v));
		total++;
	}
	printf("%s\n", total ? "" : " none");
	static const char *const hdr[] = {"STATE", "KEY", "DETAILS"};
	struct table *t = NULL;
	for (size_t i = 0; i < json_array_size(vals); i++) {
		const json_t *val = json_array_get(vals, i);
		const char *s = jstr(val, "state") ?: "";
		if (!t) {
			printf("\nNot configured:\n");
			t = table_new(3, hdr);
		}
		char *d = status_details(val);
		const char *row[] = {s, jstr(val, "key"), d};
		table_row(t, row);
		free(d);
	}
	table_print(t);
out:
	json_decref(st);
	json_decref(vals);
	ctl_reply_free(&ready);
	return rc;
}

/* ---- config ---- */

/* etcd through libcninfra's KV store, configured by the agent's etcd.conf. */
static struct cninfra_kv *
etcd_open(void)
{
	struct agent_etcd_conf ec;
	char err[512];
	int rc = agent_etcd_conf_load(C.etcd_config, &ec, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "lig-agentctl: %s\n", rc == -EINVAL ? err : strerror(-rc));
		agent_etcd_conf_free(&ec);
		return NULL;
	}
	struct cninfra_kv_opts o = {0};
	agent_etcd_conf_kv_opts(&ec, &o);
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		fprintf(stderr, "lig-agentctl: etcd %s: %s\n", ec.endpoints, strerror(errno));
	agent_etcd_conf_free(&ec);
	return kv;
}

static int
etcd_error(const char *what, const char *key, int rc)
{
	fprintf(stderr, "lig-agentctl: etcd %s %s: %s\n", what, key,
		rc == -EIO || rc == -ETIMEDOUT ? "etcd unreachable" : strerror(-rc));
	return rc == -EIO || rc == -ETIMEDOUT ? CTL_UNREACHABLE : CTL_ERR;
}

/* Reads VALUE ("-": stdin), checks it is JSON (as the agent's models are). */
static char *
read_value(const char *arg, size_t *n)
{
	char *buf = NULL;
	if (strcmp(arg, "-") == 0) {
		size_t cap = 0;
		*n = 0;
		for (;;) {
			if (*n + 4096 + 1 > cap) {
				cap = cap ? cap * 2 : 8192;
				char *nb = cap <= (2u << 20) ? realloc(buf, cap) : NULL;
				if (!nb) {
					free(buf);
					fprintf(stderr, "lig-agentctl: value too large\n");
					return NULL;
				}
				buf = nb;
			}
			size_t r = fread(buf + *n, 1, cap - *n - 1, stdin);
			*n += r;
			if (r == 0)
				break;
		}
		buf[*n] = 0;
	} else {
		buf = strdup(arg);
		*n = buf ? strlen(buf) : 0;
	}
	json_error_t e;
	json_t *j = buf ? json_loadb(buf, *n, JSON_DECODE_ANY, &e) : NULL;
	if (buf && !j) {
		fprintf(stderr, "lig-agentctl: the value is not JSON: %s (line %d)\n", e.text,
			e.line);
		free(buf);
		return NULL;
	}
	json_decref(j);
	return buf;
}

/* "/configuration/<KEY as given>" (the agent takes the full key, config/... or the part after
 * config/, and refuses another label's), bytes outside a URL path's escaped. */
static int
config_path(const char *key, char *buf, size_t n)
{
	const char *rel = key;
	if (!*key)
		return bad_usage("%sempty key", "");
	static const char hex[] = "0123456789ABCDEF";
	size_t w = (size_t)snprintf(buf, n, "/configuration/");
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if (w + 4 >= n)
			return bad_usage("key too long: %.80s...", key);
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/:@", *p))
			buf[w++] = (char)*p;
		else {
			buf[w++] = '%';
			buf[w++] = hex[*p >> 4];
			buf[w++] = hex[*p & 15];
		}
	}
	buf[w] = 0;
	return CTL_OK;
}

/* An agent without the route answers cninfra's own 404 "not found" / 405. */
static bool
no_route(const struct ctl_reply *r)
{
	if (r->status == 405)
		return true;
	if (r->status != 404)
		return false;
	json_t *j = json_loadb(r->body, r->size, 0, NULL);
	bool nf = j && json_object_size(j) == 1 && jstr(j, "error") &&
		  !strcmp(jstr(j, "error"), "not found");
	json_decref(j);
	return nf;
}

static int
config_put_delete(bool put, int argc, char **argv)
{
	if (argc != (put ? 2 : 1))
		return bad_usage(put ? "config put KEY VALUE%s" : "config delete KEY%s", "");
	char key[4096];
	int rc;
	size_t n = 0;
	char *value = put ? read_value(argv[1], &n) : NULL;
	if (put && !value)
		return CTL_USAGE;
	if (C.etcd_config) {
		if ((rc = full_key(argv[0], key, sizeof(key)))) {
			free(value);
			return rc;
		}
		struct cninfra_kv *kv = etcd_open();
		if (!kv) {
			free(value);
			return CTL_UNREACHABLE;
		}
		size_t deleted = 0;
		rc = put ? cninfra_kv_put(kv, key, value, n, NULL)
			 : cninfra_kv_delete(kv, key, 0, &deleted);
		cninfra_kv_close(kv);
		free(value);
		if (rc < 0)
			return etcd_error(put ? "put" : "delete", key, rc);
		if (!put && !deleted) {
			fprintf(stderr, "lig-agentctl: %s: no such key in etcd\n", key);
			return CTL_ERR;
		}
		if (!C.json)
			printf("%s %s (etcd)\n", put ? "put" : "deleted", key);
		return CTL_OK;
	}
	/* The agent's REST config endpoint. */
	char path[8192];
	struct ctl_reply r;
	const char *method = put ? "PUT" : "DELETE";
	snprintf(key, sizeof(key), "%s", argv[0]);
	if ((rc = config_path(key, path, sizeof(path))) ||
	    (rc = ctl_http(method, path, value, n, "application/json", &r))) {
		free(value);
		return rc;
	}
	free(value);
	if (no_route(&r)) {
		ctl_reply_free(&r);
		fprintf(stderr,
			"lig-agentctl: the agent at %s has no REST configuration endpoint; give "
			"--etcd-config FILE to write to etcd\n",
			C.host);
		return CTL_ERR;
	}
	bool foreign = !put && r.status == 404;
	if ((rc = ctl_check(method, path, &r))) {
		if (foreign)
			fprintf(stderr, "lig-agentctl: REST deletes only what REST set; a key from "
					"etcd goes with --etcd-config FILE\n");
		return rc;
	}
	json_t *j = json_loadb(r.body, r.size, 0, NULL);
	if (C.json || !j)
		fwrite(r.body, 1, r.size, stdout);
	else {
		printf("%s %s (agent REST", put ? "put" : "deleted", key);
		if (json_integer_value(json_object_get(j, "transaction")))
			printf(", transaction #%lld",
			       json_integer_value(json_object_get(j, "transaction")));
		printf(")%s%s\n", jstr(j, "note") ? ": " : "",
		       jstr(j, "note") ? jstr(j, "note") : "");
	}
	json_decref(j);
	ctl_reply_free(&r);
	return CTL_OK;
}

static int
config_get(int argc, char **argv)
{
	if (argc > 1)
		return bad_usage("config get [KEY]%s", "");
	char key[4096] = "";
	int rc;
	if (C.etcd_config) {
		if (argc && (rc = full_key(argv[0], key, sizeof(key))))
			return rc;
		struct cninfra_kv *kv = etcd_open();
		if (!kv)
			return CTL_UNREACHABLE;
		char prefix[256];
		snprintf(prefix, sizeof(prefix), "/vnf-agent/%s/config/", label());
		struct cninfra_kv_list l = {0};
		rc = cninfra_kv_list(kv, argc ? key : prefix, &l);
		cninfra_kv_close(kv);
		if (rc < 0)
			return etcd_error("get", argc ? key : prefix, rc);
		json_t *out = json_object();
		for (size_t i = 0; i < l.count; i++) {
			if (argc && strcmp(l.pairs[i].key, key))
				continue; /* the list was by prefix */
			json_t *v = json_loadb(l.pairs[i].value, l.pairs[i].value_size,
					       JSON_DECODE_ANY, NULL);
			json_object_set_new(
			    out, l.pairs[i].key,
			    v ? v : json_stringn(l.pairs[i].value, l.pairs[i].value_size));
		}
		cninfra_kv_list_release(&l);
		if (argc && !json_object_size(out)) {
			json_decref(out);
			fprintf(stderr, "lig-agentctl: %s: no such key in etcd\n", key);
			return CTL_ERR;
		}
		if (C.json || argc) {
			rc = print_json(argc ? json_object_get(out, key) : out);
		} else {
			const char *k;
			json_t *v;
			json_object_foreach(out, k, v)
			{
				char *s = json_compact(v);
				printf("%s  %s\n", k, s ? s : "?");
				free(s);
			}
		}
		json_decref(out);
		return rc;
	}
	/* The agent's desired state: vpp-agent's document (YAML; JSON with --json), or one key's
	 * value and the sources that have it. */
	struct ctl_reply r;
	char path[8192];
	if (argc) {
		if ((rc = config_path(argv[0], path, sizeof(path))))
			return rc;
	} else
		snprintf(path, sizeof(path), "/configuration%s", C.json ? "?format=json" : "");
	rc = ctl_call("GET", path, NULL, 0, &r);
	if (rc)
		return rc;
	json_t *j = argc ? json_loadb(r.body, r.size, 0, NULL) : NULL;
	if (j && !C.json)
		rc = print_json(json_object_get(j, "value"));
	else {
		fwrite(r.body, 1, r.size, stdout);
		if (r.size && r.body[r.size - 1] != '\n')
			putchar('\n');
	}
	json_decref(j);
	ctl_reply_free(&r);
	return rc;
}

static int
config_history(int argc, char **argv)
{
	const char *since = NULL, *until = NULL, *seq = NULL, *pos[1];
	size_t n_pos;
	const struct subopt o[] = {
	    {"since", &since}, {"until", &until}, {"seq", &seq}, {NULL, NULL}};
	int rc = subopts(argc, argv, o, pos, 0, &n_pos);
	if (rc)
		return rc;
	char path[1024] = "/scheduler/txn-history?";
	const char *names[] = {"since", "until", "seq-num"};
	const char *vals[] = {since, until, seq};
	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		char *e = ctl_escape(vals[i]);
		if (!e)
			return CTL_ERR;
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, "%s%s=%.200s", path[l - 1] == '?' ? "" : "&",
			 names[i], e);
		free(e);
	}
	json_t *j;
	if ((rc = ctl_get_json(path, &j)))
		return rc;
	if (C.json)
		rc = print_json(j);
	else if (seq)
		print_txn(j, true);
	else
		for (size_t i = 0; i < json_array_size(j); i++)
			print_txn(json_array_get(j, i), false);
	json_decref(j);
	return rc;
}

static int
config_resync(int argc, char **argv)
{
	if (argc)
		return bad_usage("config resync takes no argument (%s)", argv[0]);
	struct ctl_reply r;
	int rc = ctl_call("POST", "/scheduler/downstream-resync", NULL, 0, &r);
	if (rc)
		return rc;
	json_t *j = json_loadb(r.body, r.size, 0, NULL);
	if (C.json || !j)
		fwrite(r.body, 1, r.size, stdout);
	else
		print_txn(j, true);
	json_decref(j);
	ctl_reply_free(&r);
	return CTL_OK;
}

static int
cmd_config(int argc, char **argv)
{
	if (!argc)
		return bad_usage("config: get, put, delete, history or resync%s", "");
	const char *sub = argv[0];
	if (!strcmp(sub, "get"))
		return config_get(argc - 1, argv + 1);
	if (!strcmp(sub, "put"))
		return config_put_delete(true, argc - 1, argv + 1);
	if (!strcmp(sub, "delete") || !strcmp(sub, "del"))
		return config_put_delete(false, argc - 1, argv + 1);
	if (!strcmp(sub, "history"))
		return config_history(argc - 1, argv + 1);
	if (!strcmp(sub, "resync"))
		return config_resync(argc - 1, argv + 1);
	return bad_usage("config: unknown sub-command %s", sub);
}

/* ---- dump, graph, watch, metrics ---- */

static int
cmd_dump(int argc, char **argv)
{
	const char *view = NULL, *pos[1];
	size_t n_pos;
	const struct subopt o[] = {{"view", &view}, {NULL, NULL}};
	int rc = subopts(argc, argv, o, pos, 1, &n_pos);
	if (rc)
		return rc;
	char path[1024];
	if (!n_pos) {
		/* The index: descriptors and views. */
		json_t *idx;
		if ((rc = ctl_get_json("/scheduler/dump", &idx)))
			return rc;
		if (C.json)
			rc = print_json(idx);
		else {
			printf("descriptors (with values):");
			for (size_t i = 0; i < json_array_size(json_object_get(idx, "descriptors"));
			     i++)
				printf(" %s", json_string_value(json_array_get(
						  json_object_get(idx, "descriptors"), i)));
			printf("\nviews: SB (read from ligd), NB (desired), cached (applied)\n");
		}
		json_decref(idx);
		return rc;
	}
	char *d = ctl_escape(pos[0]), *v = ctl_escape(view ? view : "SB");
	if (!d || !v) {
		free(d);
		free(v);
		return CTL_ERR;
	}
	snprintf(path, sizeof(path), "/scheduler/dump?descriptor=%.300s&view=%.20s", d, v);
	free(d);
	free(v);
	json_t *arr;
	if ((rc = ctl_get_json(path, &arr)))
		return rc;
	if (C.json) {
		rc = print_json(arr);
		json_decref(arr);
		return rc;
	}
	static const char *const hdr[] = {"KEY", "ORIGIN", "VALUE"};
	struct table *t = table_new(3, hdr);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		char *val = json_compact(json_object_get(e, "value"));
		const char *row[] = {jstr(e, "key"), jstr(e, "state") ?: jstr(e, "origin"), val};
		table_row(t, row);
		free(val);
	}
	table_print(t);
	json_decref(arr);
	return CTL_OK;
}

static int
cmd_graph(int argc, char **argv)
{
	const char *svg = NULL, *pos[1];
	size_t n_pos;
	const struct subopt o[] = {{"svg", &svg}, {NULL, NULL}};
	int rc = subopts(argc, argv, o, pos, 0, &n_pos);
	if (rc)
		return rc;
	struct ctl_reply r;
	rc = ctl_call("GET", svg ? "/scheduler/graph?format=svg" : "/scheduler/graph?format=dot",
		      NULL, 0, &r);
	if (rc)
		return rc;
	if (!svg) {
		fwrite(r.body, 1, r.size, stdout);
		ctl_reply_free(&r);
		return CTL_OK;
	}
	FILE *f = strcmp(svg, "-") ? fopen(svg, "w") : stdout;
	if (!f || fwrite(r.body, 1, r.size, f) != r.size || (f != stdout && fclose(f) != 0)) {
		fprintf(stderr, "lig-agentctl: %s: %s\n", svg, strerror(errno));
		ctl_reply_free(&r);
		return CTL_ERR;
	}
	if (f != stdout)
		fprintf(stderr, "lig-agentctl: graph written to %s (%zu bytes)\n", svg, r.size);
	ctl_reply_free(&r);
	return CTL_OK;
}

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int
cmd_watch(int argc, char **argv)
{
	const char *interval_s = NULL, *count_s = NULL, *pos[1];
	size_t n_pos;
	const struct subopt o[] = {{"interval", &interval_s}, {"count", &count_s}, {NULL, NULL}};
	int rc = subopts(argc, argv, o, pos, 0, &n_pos);
	if (rc)
		return rc;
	char *end;
	long interval = interval_s ? strtol(interval_s, &end, 10) : 500;
	if (interval_s && (*end || interval < 10 || interval > 3600000))
		return bad_usage("--interval: 10..3600000 ms, not %s", interval_s);
	long count = count_s ? strtol(count_s, &end, 10) : 0;
	if (count_s && (*end || count < 1))
		return bad_usage("--count: a positive number, not %s", count_s);
	/* Start after the last transaction recorded now. */
	json_t *st;
	if ((rc = ctl_get_json("/scheduler/stats", &st)))
		return rc;
	json_int_t last = json_integer_value(json_object_get(st, "last_seq"));
	json_decref(st);
	uint64_t since = 0;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	if (!C.json)
		fprintf(stderr, "lig-agentctl: watching %s from transaction #%lld (Ctrl-C stops)\n",
			C.host, (long long)last + 1);
	fflush(stderr);
	long shown = 0;
	while (!stop) {
		char path[128];
		if (since)
			snprintf(path, sizeof(path), "/scheduler/txn-history?since=%llu",
				 (unsigned long long)since);
		else
			snprintf(path, sizeof(path), "/scheduler/txn-history");
		json_t *h;
		if ((rc = ctl_get_json(path, &h)))
			return stop ? CTL_OK : rc;
		for (size_t i = 0; i < json_array_size(h); i++) {
			const json_t *t = json_array_get(h, i);
			json_int_t seq = json_integer_value(json_object_get(t, "seq"));
			if (seq <= last)
				continue;
			last = seq;
			json_int_t start = json_integer_value(json_object_get(t, "start_ns"));
			if (start > 0)
				since = (uint64_t)start; /* history is in start order */
			if (C.json) {
				char *s = json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS);
				if (s)
					puts(s);
				free(s);
			} else
				print_txn(t, true);
			fflush(stdout);
			if (count && ++shown >= count) {
				json_decref(h);
				return CTL_OK;
			}
		}
		json_decref(h);
		struct timespec ts = {interval / 1000, (interval % 1000) * 1000000};
		nanosleep(&ts, NULL);
	}
	return CTL_OK;
}

static int
cmd_metrics(int argc, char **argv)
{
	if (argc > 1)
		return bad_usage("metrics [MATCH]%s", "");
	struct ctl_reply r;
	int rc = ctl_call("GET", "/metrics", NULL, 0, &r);
	if (rc)
		return rc;
	for (char *line = r.body, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!argc || strstr(line, argv[0]))
			puts(line);
	}
	ctl_reply_free(&r);
	return CTL_OK;
}

/* ---- main ---- */

static int
load_token(const char *file)
{
	const char *env = getenv("LIG_AGENT_HTTP_TOKEN");
	if (!file) {
		if (env && *env)
			C.token = strdup(env);
		return CTL_OK;
	}
	FILE *f = fopen(file, "re");
	char buf[4100];
	if (!f) {
		fprintf(stderr, "lig-agentctl: --token %s: %s\n", file, strerror(errno));
		return CTL_USAGE;
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = 0;
	if (!n) {
		fprintf(stderr, "lig-agentctl: --token %s: empty\n", file);
		return CTL_USAGE;
	}
	C.token = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return CTL_OK;
}

static int
set_base(void)
{
	const char *h = C.host;
	if (strstr(h, "://")) {
		if (strncmp(h, "http://", 7) && strncmp(h, "https://", 8))
			return bad_usage("--host: http:// or https:// only (%s)", h);
		snprintf(C.base, sizeof(C.base), "%s", h);
	} else
		snprintf(C.base, sizeof(C.base), "%s://%s", C.cacert ? "https" : "http", h);
	size_t n = strlen(C.base);
	while (n && C.base[n - 1] == '/')
		C.base[--n] = 0;
	return CTL_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {{"host", required_argument, 0, 'H'},
					     {"token", required_argument, 0, 't'},
					     {"cacert", required_argument, 0, 'c'},
					     {"etcd-config", required_argument, 0, 'e'},
					     {"label", required_argument, 0, 'l'},
					     {"timeout", required_argument, 0, 'T'},
					     {"json", no_argument, 0, 'j'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *token_file = NULL;
	C.host = getenv("AGENT_HOST");
	C.label = getenv("MICROSERVICE_LABEL");
	if (C.label && !*C.label)
		C.label = NULL;
	C.timeout_s = 10;
	int c;
	/* "+": options end at the command; the command's own options follow it. */
	while ((c = getopt_long(argc, argv, "+H:t:e:l:jh", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'H':
			C.host = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'c':
			C.cacert = optarg;
			break;
		case 'e':
			C.etcd_config = optarg;
			break;
		case 'l':
			C.label = optarg;
			break;
		case 'T':
			C.timeout_s = strtol(optarg, &end, 10);
			if (*end || C.timeout_s < 1 || C.timeout_s > 3600)
				return bad_usage("--timeout: 1..3600 seconds, not %s", optarg);
			break;
		case 'j':
			C.json = true;
			break;
		case 'h':
			usage(stdout);
			return CTL_OK;
		default:
			usage(stderr);
			return CTL_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	if (!C.host || !*C.host)
		C.host = "127.0.0.1:9191";
	int rc = set_base();
	if (rc || (rc = load_token(token_file)))
		return rc;
	if (ctl_client_init() < 0) {
		fprintf(stderr, "lig-agentctl: libcurl failed to start\n");
		return CTL_ERR;
	}
	const char *cmd = argv[optind];
	int n = argc - optind - 1;
	char **args = argv + optind + 1;
	if (!strcmp(cmd, "status"))
		rc = cmd_status(n, args);
	else if (!strcmp(cmd, "values"))
		rc = cmd_values(n, args);
	else if (!strcmp(cmd, "config"))
		rc = cmd_config(n, args);
	else if (!strcmp(cmd, "dump"))
		rc = cmd_dump(n, args);
	else if (!strcmp(cmd, "graph"))
		rc = cmd_graph(n, args);
	else if (!strcmp(cmd, "watch"))
		rc = cmd_watch(n, args);
	else if (!strcmp(cmd, "metrics"))
		rc = cmd_metrics(n, args);
	else if (!strcmp(cmd, "help")) {
		usage(stdout);
		rc = CTL_OK;
	} else
		rc = bad_usage("unknown command %s", cmd);
	ctl_client_fini();
	if (C.token) {
		explicit_bzero(C.token, strlen(C.token));
		free(C.token);
	}
	return rc;
}
