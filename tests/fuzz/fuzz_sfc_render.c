/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's renderer on hostile input. First byte even: the rest is an allocator state as the
 * store holds it (sfc_alloc_from_json); what loads must write back and load again to the same
 * text. Odd: the rest is a v2 YAML document, parsed but NOT validated (the renderer checks
 * every reference itself), rendered with a fresh allocator; the render must succeed, and
 * rendering again with the same allocator and with the allocator saved and loaded through
 * its JSON must give byte-identical output. Nothing may crash or leak. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sfc_model.h"
#include "sfc_render.h"

static char *
render_dump(const struct sfc_model *m, struct sfc_alloc *a)
{
	struct sfc_render_out out;
	char *t = NULL;
	if (sfc_render(m, a, &out) != 0)
		abort();
	if (sfc_render_dump(&out, &t, NULL) != 0)
		abort();
	sfc_render_out_free(&out);
	return t;
}

static void
alloc_round_trip(const char *buf, size_t size)
{
	struct sfc_alloc *a = NULL, *b = NULL;
	struct sfc_errors e = {0};
	char *j1 = NULL, *j2 = NULL;
	int rc = sfc_alloc_from_json(buf, size, &a, &e);
	sfc_errors_free(&e);
	if (rc)
		return;
	if (sfc_alloc_to_json(a, &j1, NULL) || sfc_alloc_from_json(j1, strlen(j1), &b, &e) ||
	    sfc_alloc_to_json(b, &j2, NULL) || strcmp(j1, j2))
		abort();
	free(j1);
	free(j2);
	sfc_alloc_free(a);
	sfc_alloc_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const char *buf = (const char *)data + 1;
	size--;
	if (!(mode & 1)) {
		alloc_round_trip(buf, size);
		return 0;
	}
	struct sfc_model m;
	struct sfc_errors e = {0};
	int rc = sfc_model_parse_yaml(buf, size, "fuzz", &m, &e);
	sfc_errors_free(&e);
	if (rc)
		return 0;
	struct sfc_alloc *a = sfc_alloc_new(), *b = NULL;
	char *j = NULL;
	if (!a)
		abort();
	char *d1 = render_dump(&m, a);
	char *d2 = render_dump(&m, a);
	if (strcmp(d1, d2) || sfc_alloc_to_json(a, &j, NULL) ||
	    sfc_alloc_from_json(j, strlen(j), &b, &e))
		abort();
	char *d3 = render_dump(&m, b);
	if (strcmp(d1, d3))
		abort();
	free(d1);
	free(d2);
	free(d3);
	free(j);
	sfc_alloc_free(a);
	sfc_alloc_free(b);
	sfc_model_free(&m);
	return 0;
}
