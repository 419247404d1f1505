/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent's internals, shared by its parts:
 *   main.c        options, start-up, the event loop
 *   northbound.c  the desired state from the store (datasync), watch batches, full resyncs
 *   southbound.c  the connection to ligd (libligapi): connect, loss, call results
 *   rest.c        the REST API (vpp-agent's endpoint names)
 *   plugins.c     the table of descriptor plugins, in registration order
 *   status_publish.c  interface state published to the store; ligd events as drift signal
 *   vpp_*.c, ...  one file per model family: its scheduler descriptors
 * Everything runs on the one event-loop thread: no locking. */
#ifndef LIGAGENT_AGENT_H
#define LIGAGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cninfra/http.h>
#include <cninfra/kv.h>
#include <cninfra/loop.h>

#include "interface/api.h"
#include "ligagent/scheduler.h"
#include "lig_models.h"
#include "ligapi.h"

/* Northbound sources, in ascending precedence: a key's desired value is the one of the highest
 * source that has it (docs/agent.md, "Sources"). */
enum agent_source {
	AGENT_SRC_FILE,	 /* --config-file */
	AGENT_SRC_STORE, /* etcd or the embedded store */
	AGENT_SRC_REST,	 /* PUT /configuration... */
	AGENT_SRC_N
};

/* One northbound key: the full key (/vnf-agent/<label>/config/...), each source's value
 * (canonical JSON where it decodes; NULL: that source does not have the key), and the desired
 * value = the highest source's (value/size alias src_value[src]; never freed through them). */
struct agent_item {
	char *key;
	char *value;
	size_t size;
	enum agent_source src;
	char *src_value[AGENT_SRC_N];
	size_t src_size[AGENT_SRC_N];
	uint8_t stale; /* bit per source: not seen in that source's current reload */
};

struct agent {
	struct cninfra_loop *loop;
	struct cninfra_kv *kv;
	struct cninfra_datasync *ds;
	struct cninfra_http *http;
	struct lig_sched *sched;
	struct lig_api_client *api; /* NULL while ligd is not connected */
	struct cninfra_watch *api_watch;
	struct cninfra_timer *connect_timer;
	struct cninfra_timer *retry_timer;
	struct cninfra_timer *batch_timer;
	const char *ligd_socket;
	char label[LIG_MODEL_LABEL_MAX + 1];
	char prefix[256];    /* /vnf-agent/<label>/config/ */
	char if_prefix[256]; /* ...config/vpp/v2/interfaces/ */
	char bd_prefix[256]; /* ...config/vpp/l2/v2/bridge-domain/ */
	char rt_prefix[256]; /* ...config/vpp/v2/route/ */
	/* The desired state as in the store. */
	struct agent_item *items;
	size_t n_items, cap_items;
	bool synced;		     /* the initial list arrived */
	bool need_resync;	     /* a full resync is due (ligd (re)connected) */
	bool lost_api;		     /* a call saw the connection go */
	struct lig_sched_txn *batch; /* changes of the current watch batch */
};

/* The agent: one per process. */
extern struct agent A;

/* common.c */
void agent_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Decodes a value of model m; NULL with *err filled when it does not decode. */
void *agent_decode(const struct lig_model *m, const void *v, size_t n, struct lig_model_error *err);
/* Canonical JSON of a northbound value (equal configurations are equal bytes), or a copy. */
char *agent_canonical(const char *key, const char *v, size_t n, size_t *out_n);
/* The full key prefix of model id: /vnf-agent/<label>/config/... */
void agent_model_prefix(enum lig_model_id id, char *buf, size_t n);
void agent_fmt_mac(char *buf, size_t n, const u8 *mac);
/* Defines name_model(), name_decode() and name_free() for the values of model id (C type T),
 * the three accessors every descriptor file needs. */
#define AGENT_MODEL_VALUE(name, id, T)                                                             \
	static inline const struct lig_model *name##_model(void)                                   \
	{                                                                                          \
		return lig_model_get(id);                                                          \
	}                                                                                          \
	static inline T *name##_decode(const void *v, size_t n, struct lig_model_error *me)        \
	{                                                                                          \
		return agent_decode(lig_model_get(id), v, n, me);                                  \
	}                                                                                          \
	static inline void name##_free(T *value)                                                   \
	{                                                                                          \
		lig_model_value_delete(lig_model_get(id), value);                                  \
	}
/* Defines name_create(), name_update() and name_delete(), the descriptor callbacks of a
 * value that is one add/del call: static int apply(const void *v, size_t n, bool is_add,
 * struct lig_sched_err *err). Create adds, delete deletes, update deletes the old value
 * and adds the new one. */
#define AGENT_ADD_DEL_CALLBACKS(name, apply)                                                       \
	static int name##_create(void *ctx, const char *key, const void *v, size_t n, void **md,   \
				 struct lig_sched_err *err)                                        \
	{                                                                                          \
		(void)ctx;                                                                         \
		(void)key;                                                                         \
		(void)md;                                                                          \
		return apply(v, n, true, err);                                                     \
	}                                                                                          \
	static int name##_update(void *ctx, const char *key, const void *ov, size_t os,            \
				 const void *nv, size_t ns, void **md, struct lig_sched_err *err)  \
	{                                                                                          \
		(void)ctx;                                                                         \
		(void)key;                                                                         \
		(void)md;                                                                          \
		int rc = apply(ov, os, false, err);                                                \
		return rc ? rc : apply(nv, ns, true, err);                                         \
	}                                                                                          \
	static int name##_delete(void *ctx, const char *key, const void *v, size_t n, void *md,    \
				 struct lig_sched_err *err)                                        \
	{                                                                                          \
		(void)ctx;                                                                         \
		(void)key;                                                                         \
		(void)md;                                                                          \
		return apply(v, n, false, err);                                                    \
	}
/* The ligd tag of a vpp-agent name (interfaces, bridge domains): 0, or -ENAMETOOLONG when its
 * escaped form does not fit size. */
int agent_tag_encode(const char *name, char *tag, size_t size);
/* The name a tag stands for (tag_size: the tag field's size; a malformed escape is kept). */
void agent_tag_decode(const char *tag, size_t tag_size, char *name, size_t size);
/* Fills err from a models error; -EINVAL. */
int agent_model_err(struct lig_sched_err *err, const struct lig_model_error *me);
/* A field of a supported model that the agent does not apply: -EOPNOTSUPP, field named. */
int agent_not_yet(struct lig_sched_err *err, const char *field);

/* southbound.c */
/* true when ligd is connected, else err says so. */
bool agent_api_up(struct lig_sched_err *err);
/* Checks a call's result (0 passes); a transport error marks the connection lost. text is the
 * reply's error text (NULL or "" for the client's last error). */
int agent_api_rc(int rc, const char *what, const char *text, struct lig_sched_err *err);
void agent_api_lost(void);
void agent_connect_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg);

/* northbound.c: the desired-state map every source feeds (A.items) */
struct agent_item *agent_item_find(const char *key);
const char *agent_source_name(enum agent_source src);
/* Source src sets key (full key) to v (n bytes; canonicalized) or, with v NULL, drops its value.
 * A change of the desired value joins the current batch (one transaction per loop turn).
 * 0 or -ENOMEM. */
int agent_source_set(enum agent_source src, const char *key, const char *v, size_t n);
/* A full reload of src: begin marks all its values stale, set unmarks, end drops the stale. */
void agent_source_reload_begin(enum agent_source src);
void agent_source_reload_end(enum agent_source src);
/* Commits the pending batch now (REST: the reply follows the transaction). 0 with *seq, or
 * -EAGAIN when nothing is applied yet (store not listed, full resync due). */
int agent_commit_now(uint64_t *seq);
/* A key as a file or REST writes it, "config/..." or "/vnf-agent/<label>/config/...", to the
 * full key in buf; -EINVAL with err when it is neither or names another label. */
int agent_key_full(const char *key, char *buf, size_t n, char *err, size_t err_n);
/* Opens the store: --etcd-config FILE (etcd.conf) or the embedded store in state_dir. Prints why
 * and returns -1 on failure (allow-delayed-start false and etcd unreachable too). */
int agent_store_open(const char *etcd_config, const char *state_dir);
/* The store's datasync watch. 0 or -1 (printed). */
int agent_store_watch(void);
void agent_items_clear(void);
void agent_full_resync(const char *why);
/* After anything that ran descriptors: handles a lost ligd connection. */
void agent_after_txn(void);
void agent_batch_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg);
void agent_on_datasync(const struct cninfra_datasync_event *ev, void *arg);

/* status_publish.c: interface state to the store (vpp-agent's status keys), the drift signal. */
int agent_status_set_interval(const char *seconds); /* --status-interval; 0 disables */
int agent_status_init(void);
void agent_status_connected(void);    /* after ligd connected, before the resync */
void agent_status_disconnected(void); /* ligd went away */
void agent_status_after_calls(void);  /* dispatches events read along with replies */
void agent_status_free(void);

/* source_file.c: --config-file, re-read on change (inotify on its directory) */
int agent_file_source_start(const char *path);
void agent_file_source_stop(void);
/* The items of a document (the file's or REST's: vpp-agent's vppConfig/linuxConfig document,
 * a list of {key, value}, or a map key -> value) into *keys/values (full keys, JSON texts,
 * malloc'ed; free with agent_doc_items_free). 0 or -EINVAL/-EOPNOTSUPP with err. */
struct agent_doc_items {
	char **keys, **values;
	size_t n, cap;
	json_t *index; /* key -> position (a repeated key replaces the value) */
};
int agent_doc_items(const json_t *doc, struct agent_doc_items *out, char *err, size_t err_n);
void agent_doc_items_free(struct agent_doc_items *d);

/* rest_config.c: GET/PUT /configuration, PUT/DELETE /configuration/<key> */
void agent_rest_config_register(struct cninfra_http *http);

/* rest.c */
struct agent_rest_opts {
	const char *addr;	/* NULL: 127.0.0.1 */
	uint16_t port;		/* 0: any free port */
	const char *token_file; /* bearer token (first line); NULL: $LIG_AGENT_HTTP_TOKEN or none */
	const char *tls_cert_file, *tls_key_file; /* PEM; both or neither (HTTPS) */
};
/* Starts the REST server (token, TLS); NULL after printing why. agent_rest_register() adds the
 * handlers. */
struct cninfra_http *agent_rest_start(struct cninfra_loop *loop,
				      const struct agent_rest_opts *opts);
void agent_rest_register(struct cninfra_http *http);
/* Every recorded transaction (metrics). */
void agent_rest_on_txn(const struct lig_sched_txn_record *r);
/* Frees A.http and the REST state (graph renderings still running are stopped). */
void agent_rest_stop(void);
/* since/until of the history: ns since the epoch from an integer (ns; below 10^12: seconds),
 * seconds with a fraction, or RFC 3339. 0 or -EINVAL/-ERANGE. */
int agent_rest_parse_time(const char *s, uint64_t *ns);

/* vpp_interface.c: interface names and indexes for the other descriptors. */
struct agent_if_dump {
	lig_api_sw_interface_dump_details_t *d;
	size_t n, cap;
};
/* The key of the vpp-agent interface named name. */
void agent_if_key(char *buf, size_t n, const char *name);
/* sw_if_index of the vpp-agent interface named logical: 0, -ENOENT or a transport error. */
int agent_if_index(const char *logical, u32 *sw_if_index, struct lig_sched_err *err);
/* The same from the scheduler's metadata alone, never a call to ligd (a caller with requests
 * in flight needs no drain first): 0, or -ENOENT when the scheduler has none. */
int agent_if_index_known(const char *logical, u32 *sw_if_index);
/* The same for the ligd interface named name. */
int agent_if_index_raw(const char *name, u32 *sw_if_index, struct lig_sched_err *err);
/* All of ligd's interfaces, into ifs (free ifs->d). */
int agent_dump_interfaces(struct agent_if_dump *ifs);
/* The vpp-agent name of ligd's interface idx, in buf (NULL when unknown). */
const char *agent_if_name_of(const struct agent_if_dump *ifs, u32 idx, char *buf, size_t n);

/* plugins.c: each plugin registers its descriptors with A.sched. */
struct agent_plugin {
	const char *name;
	int (*register_descriptors)(struct lig_sched *sched);
};
int agent_plugins_register(struct lig_sched *sched);
/* The desired value of key changed (key NULL: the whole map was listed again), before the change
 * is committed to the scheduler: plugins that notify what they derive from it look (linux_*.c). */
void agent_plugins_desired_changed(const char *key);
int agent_vpp_interface_register(struct lig_sched *sched);
int agent_vpp_l2_register(struct lig_sched *sched);
int agent_vpp_l3_register(struct lig_sched *sched);
int agent_vpp_l2_fib_register(struct lig_sched *sched);
int agent_vpp_xconnect_register(struct lig_sched *sched);
int agent_vpp_vrf_register(struct lig_sched *sched);
int agent_vpp_arp_register(struct lig_sched *sched);
int agent_vpp_acl_register(struct lig_sched *sched);
int agent_vpp_nat_register(struct lig_sched *sched);
int agent_unsupported_register(struct lig_sched *sched);

#endif
