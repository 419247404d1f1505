// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the embedded KV store's migration of an old data directory. The input is a whole
// kv.log (the former append-only format) in an otherwise empty directory; opening the store must
// never crash or refuse it, must migrate into LMDB exactly what the log's replay yields (keys,
// values, revisions; a damaged tail dropped), keep the log aside byte for byte, and the result
// must be durable: a write is acknowledged one revision later, and on reopen the store holds
// exactly what it held before plus that write.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/kv_codec.h"
#include "../../src/kv_oldlog.h"
#include "cninfra/kv.h"
#include "cninfra/log.h"

static char dir[64];
static const char *const files[] = {"kv.log", "kv.log.migrated", "data.mdb", "lock.mdb"};

static void
path_of(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static void
clean(void)
{
	char p[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(files[i], p, sizeof(p));
		unlink(p);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs when there is one: every input commits to LMDB a few times. */
	snprintf(dir, sizeof(dir), "/dev/shm/cninfra-fuzz-kvlog-XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/cninfra-fuzz-kvlog-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	cninfra_log_set_level(NULL, CNINFRA_LOG_ERROR); /* torn-tail warnings are expected */
	return 0;
}

__attribute__((destructor)) static void
cleanup(void)
{
	if (dir[0]) {
		clean();
		rmdir(dir);
	}
}

/* The store's list must be what the log replays to, pair for pair. */
static void
check_migrated(const struct kv_oldlog *ref, const struct cninfra_kv_list *l)
{
	if (l->revision != ref->rev || l->count != ref->n)
		abort();
	for (size_t i = 0; i < l->count; i++) {
		const struct cninfra_kv_pair *p = &l->pairs[i], *q = &ref->e[i];
		if (strcmp(p->key, q->key) || p->value_size != q->value_size ||
		    memcmp(p->value, q->value, p->value_size) ||
		    p->create_revision != q->create_revision ||
		    p->mod_revision != q->mod_revision || p->version != q->version)
			abort();
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
		    p->mod_revision != q->mod_revision ||
		    p->create_revision != q->create_revision || p->version != q->version)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char p[128];
	clean();
	path_of("kv.log", p, sizeof(p));
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	struct kv_oldlog ref;
	if (kv_oldlog_replay(data, size, &ref))
		abort();

	struct cninfra_kv_opts o = {.endpoint = dir};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		abort(); /* a damaged log is migrated up to the damage, never refused */
	if (access(p, F_OK) == 0)
		abort(); /* renamed aside */
	struct cninfra_kv_list before, after;
	if (cninfra_kv_list(kv, "", &before))
		abort();
	check_migrated(&ref, &before);
	int64_t rev = 0;
	int rc = cninfra_kv_put(kv, "/fuzz", "v", 1, &rev);
	/* Only a revision at the ceiling may refuse the write, and then it says so. */
	if (rc && !(rc == -EOVERFLOW && before.revision >= KV_REV_MAX))
		abort();
	if (!rc && rev != before.revision + 1)
		abort();
	cninfra_kv_close(kv);
	kv = cninfra_kv_open(NULL, &o);
	if (!kv || cninfra_kv_list(kv, "", &after))
		abort();
	check_same(&before, &after);
	if (!rc) {
		struct cninfra_kv_pair *pp = NULL;
		if (after.revision != rev || cninfra_kv_get(kv, "/fuzz", &pp) ||
		    pp->value_size != 1 || pp->mod_revision != rev)
			abort();
		cninfra_kv_pair_free(pp);
	} else if (after.revision != before.revision) {
		abort();
	}
	cninfra_kv_list_release(&before);
	cninfra_kv_list_release(&after);
	cninfra_kv_close(kv);
	kv_oldlog_release(&ref);

	/* The old log is kept whole. */
	path_of("kv.log.migrated", p, sizeof(p));
	fd = open(p, O_RDONLY);
	if (fd < 0)
		abort();
	uint8_t buf[4096];
	size_t off = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (off + (size_t)n > size || memcmp(buf, data + off, (size_t)n))
			abort();
		off += (size_t)n;
	}
	close(fd);
	if (off != size)
		abort();
	return 0;
}
