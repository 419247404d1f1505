/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agentctl's parts:
 *   main.c    options, commands
 *   client.c  the agent's REST API over libcurl (token, TLS), errors as the user should read them
 *   print.c   tables and the human-readable forms of statuses, transactions and values
 * Exit codes (docs/agent.md, "lig-agentctl"): */
#ifndef LIGAGENTCTL_H
#define LIGAGENTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum ctl_exit {
	CTL_OK = 0,
	CTL_ERR = 1,	     /* the agent (or etcd) answered with an error, or a bad reply */
	CTL_USAGE = 2,	     /* bad command line */
	CTL_UNREACHABLE = 3, /* no answer: connection refused, timeout, TLS failure */
	CTL_UNAUTHORIZED = 4 /* 401: missing or wrong token */
};

struct ctl {
	const char *host; /* as given: host:port or a URL */
	char base[512];	  /* scheme://host:port */
	char *token;	  /* NULL: none */
	const char *cacert;
	long timeout_s;
	bool json;
	const char *etcd_config;
	const char *label;
	bool quiet; /* no error messages (a best-effort question) */
};
extern struct ctl C;

/* A reply: status (0 when none came), body (NUL-terminated), content type. */
struct ctl_reply {
	long status;
	char *body;
	size_t size;
	char ctype[128];
};
void ctl_reply_free(struct ctl_reply *r);

/* client.c */
int ctl_client_init(void);
void ctl_client_fini(void);
/* URL-escapes s into a malloc'd string (NULL on ENOMEM). */
char *ctl_escape(const char *s);
/* method path (with its query, already escaped) and an optional body. Returns CTL_OK with r
 * filled for any HTTP status, or CTL_UNREACHABLE after printing "lig-agentctl: cannot reach the
 * agent at HOST: why". */
int ctl_http(const char *method, const char *path, const char *body, size_t body_size,
	     const char *ctype, struct ctl_reply *r);
/* ctl_http + the status check: 2xx gives CTL_OK; 401 prints the token hint (CTL_UNAUTHORIZED);
 * other statuses print the agent's error (CTL_ERR). */
int ctl_call(const char *method, const char *path, const char *body, size_t body_size,
	     struct ctl_reply *r);
/* The status check of ctl_call on a reply ctl_http got (frees r unless CTL_OK). */
int ctl_check(const char *method, const char *path, struct ctl_reply *r);
/* ctl_call, then the body parsed as JSON (*out owned by the caller). */
int ctl_get_json(const char *path, json_t **out);

/* print.c */
struct table;
struct table *table_new(size_t n_cols, const char *const *headers);
/* Adds a row of n_cols strings (copied; NULL prints "-"). */
void table_row(struct table *t, const char *const *cells);
/* Prints with columns padded to the widest cell (the last one not padded) and frees. */
void table_print(struct table *t);
/* The value JSON compact on one line (malloc'd). */
char *json_compact(const json_t *j);
/* "waits for: a (key), b (key)" / the error and invalid fields / retry info, malloc'd. */
char *status_details(const json_t *st);
/* A transaction as lines: "#seq trigger time duration: ops, errors (description)" and, when ops,
 * one line per operation. */
void print_txn(const json_t *t, bool ops);
/* "2024-05-01 10:00:00.123" local time from ns since the epoch. */
void fmt_time(uint64_t ns, char *buf, size_t n);
void fmt_duration(uint64_t ns, char *buf, size_t n);

#endif
