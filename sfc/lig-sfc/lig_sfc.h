/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's internals, shared by its parts:
 *   main.c     options, start-up, --print-world, the event loop
 *   source.c   the sources of the model: the --sfc-config file (watched) and the objects under
 *              /sfc-controller/v2/config/ in the store; the render cycle (assemble, validate,
 *              render, diff-write)
 *   rest.c     the REST API (GET /sfc-controller, /sfc-controller/v2/config/<type>/<name>)
 *   writer.c   the diff writer (sfc_writer.h)
 * Everything runs on the one event-loop thread: no locking. */
#ifndef LIG_SFC_H
#define LIG_SFC_H

#include <stdbool.h>
#include <stddef.h>

#include <cninfra/http.h>
#include <cninfra/kv.h>
#include <cninfra/loop.h>

#include "sfc_model.h"
#include "sfc_writer.h"

#define SFC_ALLOC_KEY SFC_STATUS_PREFIX "allocations"

/* One object from the store (/sfc-controller/v2/config/<type>[/<name>]). */
struct sfc_sobj {
	enum sfc_obj_type type;
	char *name; /* NULL for system-parameters */
	char *value;
	size_t size;
};

struct sfc_daemon {
	struct cninfra_loop *loop;
	struct cninfra_kv *kv;
	struct cninfra_http *http;
	struct cninfra_datasync *ds;
	struct cninfra_kv_watch *drift_watch;
	size_t drifts; /* drift events seen */
	struct sfc_writer *writer;
	struct sfc_alloc *alloc;
	struct cninfra_timer *render_timer;
	bool synced;	/* the store's config objects were listed */
	size_t max_ops; /* per store transaction */
	/* the file */
	char *file;	 /* --sfc-config (NULL: store and REST only) */
	char *file_text; /* the last text that parsed and validated */
	size_t file_size;
	char *file_error; /* why the current file content is refused (NULL: accepted) */
	/* the store's objects */
	struct sfc_sobj *sobj;
	size_t n_sobj;
	/* the last render */
	struct sfc_model model;	  /* assembled, with statuses (GET /sfc-controller) */
	struct sfc_errors errors; /* store objects refused, validation errors */
	size_t renders;
	struct sfc_wstats last;
	int last_rc;
	char *render_error; /* why the last render wrote nothing (NULL: it was applied) */
};

extern struct sfc_daemon D;

void sfc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Files are read with agent_read_file(path, SFC_DOC_MAX, ...) (agent/agent/yaml_json.h). */

/* source.c */
int sfc_file_start(const char *path); /* reads it (a bad file is reported, not fatal), watches */
void sfc_file_stop(void);
int sfc_store_start(void); /* datasync of the config prefix */
void sfc_store_stop(void);
void sfc_render_schedule(void); /* a render soon (changes come in bursts) */
/* Watches the agents' keys: a rendered key changed or deleted by someone else is put back by
 * a render (sfc_writer_observe). */
int sfc_drift_start(void);
void sfc_drift_stop(void);
void sfc_render_now(void);
/* Builds the model from the file's last good text and the store's objects (errors of objects
 * that are refused into *err). 0 or -ENOMEM. */
int sfc_assemble(struct sfc_model *m, struct sfc_errors *err);
/* The config key of an object: SFC_CONFIG_PREFIX "<type>/<name>" (system-parameters alone).
 * -EINVAL when it does not fit. */
int sfc_config_key(enum sfc_obj_type t, const char *name, char *buf, size_t size);

/* rest.c */
int sfc_rest_start(const char *addr, unsigned port);
void sfc_rest_stop(void);

#endif
