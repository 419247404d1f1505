// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the embedded KV store's log replay. The input is the whole kv.log; opening must
// never crash, and whatever the damaged log yields must be durable: a write is acknowledged, and
// on reopen the store holds exactly what it held before plus that write, one revision later.
#include <errno.h>
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

/* The next entry of l at or after *i that is not /fuzz, or NULL. */
static const struct cninfra_kv_pair *
next_other(const struct cninfra_kv_list *l, size_t *i)
{
	while (*i < l->count && !strcmp(l->pairs[*i].key, "/fuzz"))
		(*i)++;
	return *i < l->count ? &l->pairs[(*i)++] : NULL;
}

/* Every key but /fuzz, with its value and revisions, must survive the reopen unchanged. */
static void
check_same(const struct cninfra_kv_list *a, const struct cninfra_kv_list *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		const struct cninfra_kv_pair *p = next_other(a, &i), *q = next_other(b, &j);
		if (!p || !q) {
			if (p || q)
				abort();
			return;
		}
		if (strcmp(p->key, q->key) || p->value_size != q->value_size ||
		    memcmp(p->value, q->value, p->value_size) ||
		    p->mod_revision != q->mod_revision || p->create_revision != q->create_revision)
			abort();
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
	struct cninfra_kv_list before, after;
	if (cninfra_kv_list(kv, "", &before))
		abort();
	int64_t rev = 0;
	int rc = cninfra_kv_put(kv, "/fuzz", "v", 1, &rev);
	/* Only a revision at the ceiling may refuse the write, and then it says so. */
	if (rc && !(rc == -EOVERFLOW && before.revision > 0))
		abort();
	if (!rc && rev != before.revision + 1)
		abort();
	cninfra_kv_close(kv);
	kv = cninfra_kv_open(NULL, &o);
	if (!kv || cninfra_kv_list(kv, "", &after))
		abort();
	check_same(&before, &after);
	if (!rc) {
		struct cninfra_kv_pair *p = NULL;
		if (after.revision != rev || cninfra_kv_get(kv, "/fuzz", &p) ||
		    p->value_size != 1 || p->mod_revision != rev)
			abort();
		cninfra_kv_pair_free(p);
	}
	cninfra_kv_list_release(&before);
	cninfra_kv_list_release(&after);
	cninfra_kv_close(kv);
	return 0;
}
