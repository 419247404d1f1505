/* SPDX-License-Identifier: Apache-2.0 */
/* Per-plugin typed configuration: defaults, then a YAML file, then environment variables, then
 * command line flags, each overriding the one before. Errors name the file, line and key. */
#ifndef CNINFRA_CONFIG_H
#define CNINFRA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cninfra_cfg_type {
	CNINFRA_CFG_STR,    /* char *, malloc'd; freed by cninfra_cfg_release() */
	CNINFRA_CFG_INT,    /* int64_t, checked against min..max when min < max */
	CNINFRA_CFG_BOOL,   /* bool: true/false/yes/no/on/off/1/0 */
	CNINFRA_CFG_DOUBLE, /* double, checked against min..max when min < max */
};

/* One configuration key. Nested YAML mappings are addressed with dotted keys ("tls.enabled"). */
struct cninfra_cfg_field {
	const char *key; /* [a-z0-9_.]+ */
	enum cninfra_cfg_type type;
	size_t offset;	 /* of the value inside the plugin's config struct */
	const char *def; /* default as text, parsed like any other source; NULL: none */
	const char *help;
	int64_t min, max; /* range for INT/DOUBLE when min < max */
	bool required;	  /* error if no source sets it and def is NULL */
};

/* Where the values come from. Any member may be NULL/0. */
struct cninfra_cfg_sources {
	const char *file; /* YAML file; a missing file is an error only if file_required */
	bool file_required;
	const char *env_prefix; /* env "<PREFIX>_<KEY>" with dots as underscores, upper case */
	int argc; /* flags "--<flag_prefix>.<key>=value" or "--<flag_prefix>.<key> value" */
	char *const *argv;
	const char *flag_prefix;
};

/* Fills cfg (a struct laid out as fields describe) from the sources. On error returns -errno and,
 * when err is not NULL, writes a message like "hello.yaml:3: key 'interval_ms': expected an
 * integer, got 'abc'" into err. Strings already set in cfg are released first; on error cfg
 * keeps whatever was parsed (release it with cninfra_cfg_release()). */
int cninfra_cfg_load(const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg,
		     const struct cninfra_cfg_sources *src, char *err, size_t err_size);
/* Frees the strings of cfg and sets them to NULL. */
void cninfra_cfg_release(const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg);

#define CNINFRA_CFG_FIELD(st, member, k, t, d, h)                                                  \
	{                                                                                          \
		.key = (k), .type = (t), .offset = offsetof(st, member), .def = (d), .help = (h)   \
	}

#endif
