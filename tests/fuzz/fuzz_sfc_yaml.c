/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's model parsers on hostile input: the first byte picks the front end (even: a YAML
 * document, odd: a JSON document, and for bytes 0x10-0x1f a single JSON object of the type
 * named by the low bits, as the store and REST hand them in); a document that parses is also
 * validated, dumped as YAML and parsed back (the dump must read back), and every object is
 * written as JSON. Nothing may crash or leak. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sfc_model.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const char *buf = (const char *)data + 1;
	size--;
	struct sfc_model m;
	struct sfc_errors e = {0};
	int rc;
	if (mode >= 0x10 && mode < 0x20) {
		memset(&m, 0, sizeof(m));
		rc = sfc_model_add_json_object(&m, (enum sfc_obj_type)((mode & 0xf) % SFC_OBJ_N),
					       "obj", buf, size, &e);
	} else if (mode & 1) {
		rc = sfc_model_parse_json(buf, size, "fuzz", &m, &e);
	} else {
		rc = sfc_model_parse_yaml(buf, size, "fuzz", &m, &e);
	}
	char msg[2048];
	sfc_errors_join(&e, msg, sizeof(msg));
	sfc_errors_free(&e);
	if (rc) {
		sfc_model_free(&m);
		return 0;
	}
	sfc_model_validate(&m, &e);
	for (size_t i = 0; i < m.n_services; i++)
		sfc_model_validate_service(&m, &m.services[i], &e);
	sfc_errors_free(&e);
	char *y = NULL;
	size_t ys = 0;
	if (sfc_model_dump_yaml(&m, true, &y, &ys) == 0) {
		struct sfc_model back;
		if (sfc_model_parse_yaml(y, ys, "dump", &back, &e) != 0)
			abort(); /* what we write must read back */
		sfc_model_free(&back);
		sfc_errors_free(&e);
		free(y);
	}
	char *j = NULL;
	for (size_t i = 0; i < m.n_services; i++)
		if (sfc_model_object_json(SFC_OBJ_SERVICE, &m.services[i], &j, NULL) == 0)
			free(j);
	for (size_t i = 0; i < m.n_nodes; i++)
		if (sfc_model_object_json(SFC_OBJ_NODE, &m.nodes[i], &j, NULL) == 0)
			free(j);
	if (sfc_model_object_json(SFC_OBJ_SYSTEM_PARAMETERS, &m.sys, &j, NULL) == 0)
		free(j);
	sfc_model_free(&m);
	return 0;
}
