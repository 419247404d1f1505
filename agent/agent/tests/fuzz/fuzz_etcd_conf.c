/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: etcd.conf and the YAML->JSON trees under it, and vpp-agent's configuration
 * document (REST PUT /configuration bodies, --config-file). Each input is parsed as etcd.conf: a
 * success has 1..8 endpoints, each an http:// or https:// URL, positive timeouts, and cert and key
 * together; a failure names the file. The same bytes as a YAML document: a tree that loads dumps
 * to YAML that loads back to an equal tree (and dumps to the same text); as a configuration
 * document, items that decode are added to a new document (lig_model_doc_add) that decodes to
 * the same items. Any sanitizer report or broken property aborts. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etcd_conf.h"
#include "lig_models_doc.h"
#include "yaml_json.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #cond);          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_etcd_conf c;
	char err[512];
	if (agent_etcd_conf_parse((const char *)data, size, "f.conf", &c, err, sizeof(err)) == 0) {
		CHECK(c.n_endpoints >= 1 && c.n_endpoints <= AGENT_ETCD_ENDPOINTS_MAX);
		size_t commas = 0;
		for (const char *p = c.endpoints; *p; p++)
			commas += *p == ',';
		CHECK(commas == c.n_endpoints - 1);
		char *list = strdup(c.endpoints), *save = NULL;
		CHECK(list);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			CHECK(!strncmp(t, "http://", 7) || !strncmp(t, "https://", 8));
		free(list);
		CHECK(c.dial_timeout_ms > 0 && c.op_timeout_ms > 0 && c.reconnect_interval_ms > 0);
		CHECK(!c.cert_file == !c.key_file);
		CHECK(c.n_warnings <= AGENT_ETCD_WARNINGS_MAX);
	} else {
		CHECK(!strncmp(err, "f.conf: ", 8));
	}
	agent_etcd_conf_free(&c);

	json_t *t = agent_yaml_load((const char *)data, size, err, sizeof(err));
	if (!t) {
		CHECK(err[0]);
		return 0;
	}
	struct lig_model_doc_items d, back;
	struct lig_model_error me;
	if (lig_model_doc_decode(t, "vpp1", &d, &me) == 0) {
		json_t *doc = lig_model_doc_new();
		CHECK(doc);
		/* Values Ligature refuses may have keys that do not parse back (as in vpp-agent):
		 * those cannot be added; every usable one must be. */
		size_t added = 0;
		for (size_t i = 0; i < d.n; i++) {
			const struct lig_model *m = d.items[i].model;
			void *v = lig_model_value_new(m);
			CHECK(v);
			CHECK(m->decode(d.items[i].value, strlen(d.items[i].value), v, &me) == 0);
			bool usable = lig_model_check(m, v, &me) == 0;
			lig_model_value_delete(m, v);
			int rc = lig_model_doc_add(doc, d.items[i].key, d.items[i].value,
						   strlen(d.items[i].value), &me);
			CHECK(rc == 0 || (!usable && rc == -ENOENT));
			struct lig_model_doc_item it = d.items[i];
			d.items[i] = (struct lig_model_doc_item){0};
			if (rc == 0) {
				d.items[added++] = it;
			} else {
				free(it.key);
				free(it.value);
			}
		}
		d.n = added;
		CHECK(lig_model_doc_decode(doc, "vpp1", &back, &me) == 0);
		CHECK(back.n == added);
		for (size_t i = 0; i < added; i++) {
			size_t j = 0;
			while (j < back.n && strcmp(back.items[j].key, d.items[i].key))
				j++;
			CHECK(j < back.n && !strcmp(back.items[j].value, d.items[i].value));
		}
		lig_model_doc_items_free(&back);
		json_decref(doc);
	} else {
		CHECK(me.text[0]);
	}
	lig_model_doc_items_free(&d);

	char *y = agent_yaml_dump(t);
	if (y) {
		json_t *u = agent_yaml_load(y, strlen(y), err, sizeof(err));
		if (!u)
			fprintf(stderr, "reload failed: %s\n%s\n", err, y);
		CHECK(u);
		CHECK(json_equal(t, u));
		char *y2 = agent_yaml_dump(u);
		CHECK(y2 && !strcmp(y, y2));
		free(y2);
		json_decref(u);
		free(y);
	}
	json_decref(t);
	return 0;
}
