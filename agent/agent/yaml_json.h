/* SPDX-License-Identifier: Apache-2.0 */
/* YAML <-> JSON trees (libyaml and jansson), as vpp-agent converts its YAML documents to JSON
 * before decoding them: etcd.conf, the --config-file file and REST's /configuration documents.
 * JSON is YAML too, so one parser takes both. */
#ifndef LIGAGENT_YAML_JSON_H
#define LIGAGENT_YAML_JSON_H

#include <stddef.h>

#include <jansson.h>

/* Deepest nesting of mappings and sequences accepted. */
#define AGENT_YAML_DEPTH_MAX 64

/* Parses one YAML document (size bytes of text, not NUL-terminated) into a new JSON tree; the
 * caller owns it. Plain scalars are typed by YAML 1.2's core schema: null (~, null, empty),
 * true/false, integers (decimal, 0x, 0o; out of int64 range they stay strings), floats (no
 * .inf/.nan: they stay strings); quoted and block scalars are strings, as are explicit !!str.
 * Refused: anchors and aliases, tags other than the core schema's, mapping keys that are not
 * scalars, duplicate keys, nesting over AGENT_YAML_DEPTH_MAX, more than one document. An empty
 * text is null. Returns NULL with err filled ("line 3: ...") on any failure. */
json_t *agent_yaml_load(const char *text, size_t size, char *err, size_t err_size);

/* The tree as block-style YAML (strings that would read back as another type are quoted).
 * Returns a malloc'ed NUL-terminated text, or NULL (out of memory, or a value jansson cannot
 * hold). */
char *agent_yaml_dump(const json_t *j);

/* Reads a whole document file of at most max bytes (lig-agent's --config-file, lig-sfc's
 * --sfc-config): 0 with *text malloc'ed and NUL-terminated and its length in *size, or -errno
 * (-ENOENT: missing, -EFBIG: larger than max, -EIO: a read error). */
int agent_read_file(const char *path, size_t max, char **text, size_t *size);

#endif
