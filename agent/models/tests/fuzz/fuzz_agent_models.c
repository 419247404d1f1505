/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: model decoding. Each input is decoded as a value of every model; a value that
 * decodes is validated, checked, encoded, decoded again (it must come back equal and encode to
 * the same text), copied (equal again), and its key built and parsed back (the key of a value
 * that passes lig_model_check must parse to the same model and agree with the value; values
 * Ligature refuses, e.g. with netalloc references, may have keys that do not parse back, as in
 * vpp-agent). The input, as a NUL-terminated string, is also fed to the key parser. Any
 * sanitizer report or broken property aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lig_models.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #cond);          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void
one_model(const struct lig_model *m, const char *json, size_t size)
{
	struct lig_model_error err = {0};
	void *v = lig_model_value_new(m), *w = lig_model_value_new(m), *c = lig_model_value_new(m);
	char *enc = NULL, *enc2 = NULL;

	if (!v || !w || !c)
		goto out;
	int rv = m->decode(json, size, v, &err);
	if (rv < 0) {
		CHECK(err.kind == LIG_MODEL_ERR_JSON || err.kind == LIG_MODEL_ERR_FIELD);
		CHECK(err.text[0]);
		goto out;
	}
	bool valid = m->validate(v, &err) == 0;
	bool usable = valid && m->check_supported(v, &err) == 0;
	CHECK(lig_model_check(m, v, &err) == (usable ? 0 : valid ? -EOPNOTSUPP : -EINVAL));

	enc = m->encode(v);
	CHECK(enc);
	CHECK(m->decode(enc, strlen(enc), w, &err) == 0);
	CHECK(m->equal(v, w));
	enc2 = m->encode(w);
	CHECK(enc2 && !strcmp(enc, enc2));
	CHECK(m->copy(c, v) == 0);
	CHECK(m->equal(c, v));

	char key[2 * LIG_MODEL_KEY_MAX];
	int n = lig_model_key_build(m, v, "vpp1", key, sizeof(key));
	if (n >= 0) {
		struct lig_model_key *k = malloc(sizeof(*k));
		if (k) {
			rv = lig_model_key_parse(key, k, &err);
			if (usable && n < LIG_MODEL_KEY_MAX) {
				/* A usable value's key is one of its model's keys, naming it. */
				CHECK(rv == 0 && k->model == m);
				CHECK(lig_model_key_check(k, v, &err) == 0);
			} else if (!rv) {
				(void)lig_model_key_check(k, v, &err);
			}
			free(k);
		}
	}
out:
	free(enc);
	free(enc2);
	lig_model_value_delete(m, v);
	lig_model_value_delete(m, w);
	lig_model_value_delete(m, c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int i = 0; i < LIG_MODEL_N; i++)
		one_model(lig_model_get((enum lig_model_id)i), (const char *)data, size);

	/* The same bytes as a key. */
	char *key = malloc(size + 1);
	struct lig_model_key *k = malloc(sizeof(*k));
	struct lig_model_error err;
	if (key && k) {
		memcpy(key, data, size);
		key[size] = 0;
		/* Every key names its value, except the global NAT44 model's: its key is the
		 * prefix alone, as in vpp-agent. */
		if (!lig_model_key_parse(key, k, &err))
			CHECK(k->model &&
			      (k->name[0] || k->model->id == LIG_MODEL_VPP_NAT44_GLOBAL));
		else
			CHECK(err.kind == LIG_MODEL_ERR_KEY && err.text[0]);
	}
	free(key);
	free(k);
	return 0;
}
