// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the embedded KV store's log replay. The input is the whole kv.log; opening must
// never crash, and the store must accept a write and reopen cleanly afterwards.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cninfra/kv.h"
#include "cninfra/log.h"

static char dir[64];
static char logpath[128];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/cninfra-fuzz-kvlog-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(logpath, sizeof(logpath), "%s/kv.log", dir);
	cninfra_log_set_level(NULL, CNINFRA_LOG_ERROR); /* torn-tail warnings are expected */
	return 0;
}

__attribute__((destructor)) static void
cleanup(void)
{
	if (dir[0]) {
		unlink(logpath);
		rmdir(dir);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	struct cninfra_kv_opts o = {.endpoint = dir};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		abort(); /* a damaged log is truncated, never refused */
	struct cninfra_kv_list l;
	if (cninfra_kv_list(kv, "", &l) == 0)
		cninfra_kv_list_release(&l);
	if (cninfra_kv_put(kv, "/fuzz", "v", 1, NULL))
		abort();
	cninfra_kv_close(kv);
	kv = cninfra_kv_open(NULL, &o);
	struct cninfra_kv_pair *p = NULL;
	if (!kv || cninfra_kv_get(kv, "/fuzz", &p) || p->value_size != 1)
		abort();
	cninfra_kv_pair_free(p);
	cninfra_kv_close(kv);
	return 0;
}
