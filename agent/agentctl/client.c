/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agentctl's HTTP client: one libcurl handle for the agent's REST API, the bearer token and
 * the CA for HTTPS, and errors worded for the person at the terminal ("cannot reach the agent at
 * 127.0.0.1:9191: connection refused"). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "agentctl.h"

#define REPLY_MAX (512u << 20)

static CURL *curl;

void
ctl_reply_free(struct ctl_reply *r)
{
	if (r) {
		free(r->body);
		r->body = NULL;
		r->size = 0;
	}
}

int
ctl_client_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	curl = curl_easy_init();
	return curl ? 0 : -1;
}

void
ctl_client_fini(void)
{
	if (curl)
		curl_easy_cleanup(curl);
	curl = NULL;
	curl_global_cleanup();
}

char *
ctl_escape(const char *s)
{
	char *e = curl_easy_escape(curl, s, 0);
	char *out = e ? strdup(e) : NULL;
	curl_free(e);
	return out;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct ctl_reply *r = arg;
	size_t n = size * nmemb;
	if (r->size + n > REPLY_MAX)
		return 0; /* aborts the transfer */
	char *nb = realloc(r->body, r->size + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->size, data, n);
	r->body = nb;
	r->size += n;
	r->body[r->size] = 0;
	return n;
}

/* Why the transfer failed, as a short lower-case phrase. */
static void
why(CURLcode c, const char *errbuf, char *out, size_t n)
{
	long os = 0;
	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os);
	switch (c) {
	case CURLE_COULDNT_CONNECT:
		if (os) {
			snprintf(out, n, "%s", strerror((int)os));
			out[0] = (char)tolower((unsigned char)out[0]);
			return;
		}
		snprintf(out, n, "connection failed");
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(out, n, "unknown host");
		return;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(out, n, "no answer within %ld s", C.timeout_s);
		return;
	case CURLE_WRITE_ERROR:
		snprintf(out, n, "reply too large or out of memory");
		return;
	default:
		snprintf(out, n, "%s", errbuf && *errbuf ? errbuf : curl_easy_strerror(c));
	}
}

int
ctl_http(const char *method, const char *path, const char *body, size_t body_size,
	 const char *ctype, struct ctl_reply *r)
{
	memset(r, 0, sizeof(*r));
	char url[4096], errbuf[CURL_ERROR_SIZE] = "";
	if (snprintf(url, sizeof(url), "%s%s", C.base, path) >= (int)sizeof(url)) {
		fprintf(stderr, "lig-agentctl: request too long\n");
		return CTL_USAGE;
	}
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, C.timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, C.timeout_s < 5 ? C.timeout_s : 5L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (C.cacert)
		curl_easy_setopt(curl, CURLOPT_CAINFO, C.cacert);
	struct curl_slist *h = NULL;
	char auth[4200] = "";
	if (C.token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", C.token);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		char ct[160];
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype ? ctype : "application/json");
		h = curl_slist_append(h, ct);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_size);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	if (h)
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	CURLcode c = curl_easy_perform(curl);
	if (auth[0])
		explicit_bzero(auth, sizeof(auth));
	curl_slist_free_all(h);
	if (c != CURLE_OK) {
		char msg[CURL_ERROR_SIZE + 64];
		why(c, errbuf, msg, sizeof(msg));
		if (!C.quiet)
			fprintf(stderr, "lig-agentctl: cannot reach the agent at %s: %s\n", C.host,
				msg);
		ctl_reply_free(r);
		return CTL_UNREACHABLE;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	char *ct = NULL;
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(r->ctype, sizeof(r->ctype), "%s", ct ? ct : "");
	if (!r->body) {
		r->body = calloc(1, 1);
		if (!r->body)
			return CTL_ERR;
	}
	return CTL_OK;
}

/* The agent's {"error": "..."} or the body's first line. */
static void
print_error(const char *method, const char *path, const struct ctl_reply *r)
{
	json_t *j = json_loadb(r->body, r->size, 0, NULL);
	const char *e = json_string_value(json_object_get(j, "error"));
	char line[512];
	if (!e) {
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(r->body, "\n"), r->body);
		e = line;
	}
	char p[128];
	snprintf(p, sizeof(p), "%.*s", (int)strcspn(path, "?"), path);
	fprintf(stderr, "lig-agentctl: %s %s: %ld %s\n", method, p, r->status, e);
	json_decref(j);
}

int
ctl_check(const char *method, const char *path, struct ctl_reply *r)
{
	if (r->status >= 200 && r->status < 300)
		return CTL_OK;
	if (r->status == 401 && C.quiet) {
		ctl_reply_free(r);
		return CTL_UNAUTHORIZED;
	}
	if (r->status == 401) {
		fprintf(stderr, "lig-agentctl: the agent at %s wants a token: %s\n", C.host,
			C.token ? "the one given (--token, $LIG_AGENT_HTTP_TOKEN) is wrong"
				: "give it with --token FILE or $LIG_AGENT_HTTP_TOKEN");
		ctl_reply_free(r);
		return CTL_UNAUTHORIZED;
	}
	if (!C.quiet)
		print_error(method, path, r);
	ctl_reply_free(r);
	return CTL_ERR;
}

int
ctl_call(const char *method, const char *path, const char *body, size_t body_size,
	 struct ctl_reply *r)
{
	int rc = ctl_http(method, path, body, body_size, NULL, r);
	return rc != CTL_OK ? rc : ctl_check(method, path, r);
}

int
ctl_get_json(const char *path, json_t **out)
{
	struct ctl_reply r;
	int rc = ctl_call("GET", path, NULL, 0, &r);
	if (rc != CTL_OK)
		return rc;
	json_error_t e;
	*out = json_loadb(r.body, r.size, 0, &e);
	if (!*out) {
		if (!C.quiet)
			fprintf(stderr, "lig-agentctl: GET %s: the reply is not JSON (%s)\n", path,
				e.text);
		ctl_reply_free(&r);
		return CTL_ERR;
	}
	ctl_reply_free(&r);
	return CTL_OK;
}
