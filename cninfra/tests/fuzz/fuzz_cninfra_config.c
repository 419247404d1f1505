// SPDX-License-Identifier: Apache-2.0
// Fuzz target: a plugin's YAML config file (libyaml document walk, typed conversion, error
// messages). Input goes through a memfd so no disk is touched.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "cninfra/config.h"
#include "cninfra/log.h"

struct cfg {
	char *name;
	int64_t port;
	int verbose_pad; /* keeps the bool away from the int for layout variety */
	bool verbose;
	double ratio;
	char *nested;
};

static const struct cninfra_cfg_field fields[] = {
    {.key = "name", .type = CNINFRA_CFG_STR, .offset = offsetof(struct cfg, name), .def = "x"},
    {.key = "port",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct cfg, port),
     .def = "1",
     .min = 1,
     .max = 65535},
    {.key = "verbose", .type = CNINFRA_CFG_BOOL, .offset = offsetof(struct cfg, verbose)},
    {.key = "ratio",
     .type = CNINFRA_CFG_DOUBLE,
     .offset = offsetof(struct cfg, ratio),
     .min = -1,
     .max = 1},
    {.key = "a.b.c", .type = CNINFRA_CFG_STR, .offset = offsetof(struct cfg, nested)},
};

static int fd = -1;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("cfg", 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	struct cfg c = {0};
	char err[256];
	struct cninfra_cfg_sources src = {.file = path, .file_required = true};
	int rc = cninfra_cfg_load(fields, sizeof(fields) / sizeof(fields[0]), &c, &src, err,
				  sizeof(err));
	if (rc && !err[0])
		abort(); /* every failure must explain itself */
	cninfra_cfg_release(fields, sizeof(fields) / sizeof(fields[0]), &c);
	return 0;
}
