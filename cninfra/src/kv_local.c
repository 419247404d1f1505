// SPDX-License-Identifier: Apache-2.0
// The embedded KV backend: no server, durable on disk. Every transaction is one record appended to
// <dir>/kv.log with a CRC and fdatasync()ed before the call returns; open replays the log and
// truncates a torn or corrupt tail; compaction writes the live set to a new file and rename()s it.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "cninfra/loop.h"
#include "kv_internal.h"

#define LOG_NAME "kv.log"
#define TMP_NAME "kv.log.tmp"
#define REC_MAGIC 0x31564b4cu /* "LKV1" */
#define REC_HDR 12u
#define REC_MAX (64u * 1024 * 1024)

/* Revisions read from disk above this are corrupt, not real: a store would need centuries of
 * writes to get there, and trusting one would overflow the next put's revision. */
#define REV_MAX (INT64_MAX / 2)

enum rec_type { REC_TXN = 1, REC_ENTRY = 2, REC_REV = 3 };

struct local {
	char *dir;
	int fd;			   /* kv.log, O_APPEND */
	int dirfd;		   /* for fsync after create/rename, and the flock */
	struct cninfra_kv_pair *e; /* live entries sorted by key */
	size_t n, cap;
	int64_t rev;
	uint64_t log_size, live_size;
	struct lwatch *watches;
	size_t n_watches;
};

/* Watch state: just list membership. */
struct lwatch {
	struct cninfra_kv_watch *w;
	struct lwatch *next;
};

static uint32_t crc_table[256];

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t
crc32_buf(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	if (!crc_table[1])
		crc_init();
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* Little-endian encoding into a growable buffer. */
struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void
wput(struct wbuf *b, const void *src, size_t n)
{
	if (b->err || !n)
		return;
	if (b->len + n > b->cap) {
		size_t nc = (b->len + n) * 2 + 64;
		uint8_t *np = realloc(b->p, nc);
		if (!np) {
			b->err = -ENOMEM;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void
wu8(struct wbuf *b, uint8_t v)
{
	wput(b, &v, 1);
}

static void
wu32(struct wbuf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	wput(b, x, 4);
}

static void
wu64(struct wbuf *b, uint64_t v)
{
	wu32(b, (uint32_t)v);
	wu32(b, (uint32_t)(v >> 32));
}

/* Bounds-checked reader over one record payload. */
struct rbuf {
	const uint8_t *p;
	size_t len, off;
	int bad;
};

static uint32_t
ru32(struct rbuf *r)
{
	if (r->bad || r->len - r->off < 4) {
		r->bad = 1;
		return 0;
	}
	const uint8_t *x = r->p + r->off;
	r->off += 4;
	return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
}

static uint64_t
ru64(struct rbuf *r)
{
	uint64_t lo = ru32(r);
	return lo | (uint64_t)ru32(r) << 32;
}

static uint8_t
ru8(struct rbuf *r)
{
	if (r->bad || r->len - r->off < 1) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->off++];
}

static const char *
rbytes(struct rbuf *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	const char *s = (const char *)r->p + r->off;
	r->off += n;
	return s;
}

/* Sorted array of entries. */

static size_t
lookup(const struct local *l, const char *key, int *found)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->e[mid].key, key);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static int
entry_put(struct local *l, const char *key, size_t klen, const char *val, size_t vlen,
	  int64_t create, int64_t mod, int64_t version)
{
	char kbuf[CNINFRA_KV_MAX_KEY + 1];
	if (klen > CNINFRA_KV_MAX_KEY)
		return -EINVAL;
	memcpy(kbuf, key, klen);
	kbuf[klen] = 0;
	if (strlen(kbuf) != klen)
		return -EINVAL;
	int found;
	size_t i = lookup(l, kbuf, &found);
	if (found) {
		char *nv = malloc(vlen + 1);
		if (!nv)
			return -ENOMEM;
		memcpy(nv, val, vlen);
		nv[vlen] = 0;
		l->live_size -= l->e[i].value_size;
		free(l->e[i].value);
		l->e[i].value = nv;
		l->e[i].value_size = vlen;
		l->e[i].mod_revision = mod;
		l->e[i].version = version ? version : l->e[i].version + 1;
		if (create)
			l->e[i].create_revision = create;
		l->live_size += vlen;
		return 0;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct cninfra_kv_pair *ne = realloc(l->e, nc * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		l->e = ne;
		l->cap = nc;
	}
	struct cninfra_kv_pair p = {0};
	if (kv_pair_set(&p, kbuf, klen, val, vlen))
		return -ENOMEM;
	p.create_revision = create ? create : mod;
	p.mod_revision = mod;
	p.version = version ? version : 1;
	memmove(&l->e[i + 1], &l->e[i], (l->n - i) * sizeof(*l->e));
	l->e[i] = p;
	l->n++;
	l->live_size += klen + vlen;
	return 0;
}

static void
entry_del(struct local *l, size_t i)
{
	l->live_size -= strlen(l->e[i].key) + l->e[i].value_size;
	free(l->e[i].key);
	free(l->e[i].value);
	memmove(&l->e[i], &l->e[i + 1], (l->n - i - 1) * sizeof(*l->e));
	l->n--;
}

/* First index whose key starts with prefix, and one past the last. */
static void
prefix_range(const struct local *l, const char *prefix, size_t *from, size_t *to)
{
	int found;
	size_t i = lookup(l, prefix, &found), j = i;
	while (j < l->n && kv_has_prefix(l->e[j].key, prefix))
		j++;
	*from = i;
	*to = j;
}

/* Queues the event in the batch of every watch whose prefix matches (batches[i] belongs to the
 * i-th watch of the list). */
static void
notify(struct cninfra_kv *kv, enum cninfra_kv_event_type type, const struct cninfra_kv_pair *p,
       int64_t rev, struct kv_batch **batches, size_t nb)
{
	struct local *l = kv->priv;
	size_t i = 0;
	for (struct lwatch *lw = l->watches; lw && i < nb; lw = lw->next, i++) {
		if (!batches[i] || !kv_has_prefix(p->key, lw->w->prefix))
			continue;
		if (type == CNINFRA_KV_DELETE)
			kv_batch_add(batches[i], type, p->key, NULL, 0, 0, rev, 0);
		else
			kv_batch_add(batches[i], type, p->key, p->value, p->value_size,
				     p->create_revision, p->mod_revision, p->version);
	}
}

/* Checks a whole TXN payload (from its op count on) without touching the store. Replay applies a
 * record only after this passed, so a record that passes its CRC but is malformed further in is
 * dropped whole, never half-applied (which would leave memory ahead of the truncated file). */
static int
txn_check(struct rbuf r)
{
	uint32_t nops = ru32(&r);
	for (uint32_t k = 0; k < nops && !r.bad; k++) {
		uint8_t op = ru8(&r);
		uint32_t klen = ru32(&r), vlen = ru32(&r);
		const char *key = rbytes(&r, klen);
		rbytes(&r, vlen);
		if (r.bad || klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE ||
		    memchr(key, 0, klen))
			return -EINVAL;
		if (op == KV_OP_PUT ? klen == 0
				    : (op != KV_OP_DEL && op != KV_OP_DEL_PREFIX) || vlen)
			return -EINVAL;
		if (op == KV_OP_DEL && klen == 0)
			return -EINVAL;
	}
	return r.bad || r.off != r.len ? -EINVAL : 0;
}

/* Applies one decoded TXN payload to memory (replay and live commits share this). When batches is
 * set, events are queued for the watches. Returns the number of keys deleted, or -errno. */
static int
apply_txn(struct cninfra_kv *kv, struct rbuf *r, int64_t rev, struct kv_batch **batches, size_t nb)
{
	struct local *l = kv->priv;
	uint32_t nops = ru32(r);
	int deleted = 0;
	for (uint32_t k = 0; k < nops && !r->bad; k++) {
		uint8_t op = ru8(r);
		uint32_t klen = ru32(r), vlen = ru32(r);
		const char *key = rbytes(r, klen), *val = rbytes(r, vlen);
		if (r->bad || klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE)
			return -EINVAL;
		char kbuf[CNINFRA_KV_MAX_KEY + 1];
		memcpy(kbuf, key, klen);
		kbuf[klen] = 0;
		if (op == KV_OP_PUT) {
			int rc = entry_put(l, key, klen, val, vlen, 0, rev, 0);
			if (rc)
				return rc;
			int found;
			size_t i = lookup(l, kbuf, &found);
			if (batches && found)
				notify(kv, CNINFRA_KV_PUT, &l->e[i], rev, batches, nb);
		} else if (op == KV_OP_DEL || op == KV_OP_DEL_PREFIX) {
			size_t from, to;
			int found;
			if (op == KV_OP_DEL) {
				from = lookup(l, kbuf, &found);
				to = found ? from + 1 : from;
			} else {
				prefix_range(l, kbuf, &from, &to);
			}
			for (size_t i = to; i > from; i--) {
				if (batches)
					notify(kv, CNINFRA_KV_DELETE, &l->e[i - 1], rev, batches,
					       nb);
				entry_del(l, i - 1);
				deleted++;
			}
		} else {
			return -EINVAL;
		}
	}
	return r->bad ? -EINVAL : deleted;
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Frames payload as a record: magic, length, CRC. */
static int
frame(struct wbuf *out, const struct wbuf *payload)
{
	wu32(out, REC_MAGIC);
	wu32(out, (uint32_t)payload->len);
	wu32(out, crc32_buf(payload->p, payload->len));
	wput(out, payload->p, payload->len);
	return out->err;
}

static int
compact(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	struct wbuf out = {0}, pl = {0};
	int rc = 0;
	wu8(&pl, REC_REV);
	wu64(&pl, (uint64_t)l->rev);
	frame(&out, &pl);
	for (size_t i = 0; i < l->n; i++) {
		const struct cninfra_kv_pair *e = &l->e[i];
		pl.len = 0;
		size_t klen = strlen(e->key);
		wu8(&pl, REC_ENTRY);
		wu64(&pl, (uint64_t)l->rev);
		wu64(&pl, (uint64_t)e->create_revision);
		wu64(&pl, (uint64_t)e->mod_revision);
		wu64(&pl, (uint64_t)e->version);
		wu32(&pl, (uint32_t)klen);
		wu32(&pl, (uint32_t)e->value_size);
		wput(&pl, e->key, klen);
		wput(&pl, e->value, e->value_size);
		frame(&out, &pl);
	}
	if (out.err || pl.err) {
		rc = -ENOMEM;
		goto out;
	}
	int fd = openat(l->dirfd, TMP_NAME, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = write_all(fd, out.p, out.len);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	close(fd);
	/* rename() is atomic: a crash leaves either the old log or the new one, never a mix. */
	if (!rc && renameat(l->dirfd, TMP_NAME, l->dirfd, LOG_NAME) < 0)
		rc = -errno;
	if (rc) {
		unlinkat(l->dirfd, TMP_NAME, 0);
		goto out;
	}
	fsync(l->dirfd);
	fd = openat(l->dirfd, LOG_NAME, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	close(l->fd);
	l->fd = fd;
	cninfra_info(kv->log, "compacted embedded store", "dir=\"%s\" old_size=%llu new_size=%zu",
		     l->dir, (unsigned long long)l->log_size, out.len);
	l->log_size = out.len;
out:
	free(out.p);
	free(pl.p);
	return rc;
}

static int
local_txn(struct cninfra_kv *kv, const struct cninfra_kv_txn *txn, int64_t *rev, size_t *deleted)
{
	struct local *l = kv->priv;
	struct wbuf pl = {0}, rec = {0};
	int rc = 0, changes = 0;
	for (size_t i = 0; i < txn->count; i++) {
		const struct kv_op *op = &txn->ops[i];
		if (op->type == KV_OP_PUT) {
			changes = 1;
		} else {
			size_t from, to;
			int found;
			if (op->type == KV_OP_DEL) {
				from = lookup(l, op->key, &found);
				to = found ? from + 1 : from;
			} else {
				prefix_range(l, op->key, &from, &to);
			}
			if (to > from)
				changes = 1;
		}
	}
	*deleted = 0;
	if (!changes) {
		*rev = l->rev;
		return 0;
	}
	if (l->rev >= REV_MAX)
		return -EOVERFLOW;
	int64_t nrev = l->rev + 1;
	wu8(&pl, REC_TXN);
	wu64(&pl, (uint64_t)nrev);
	wu32(&pl, (uint32_t)txn->count);
	for (size_t i = 0; i < txn->count; i++) {
		const struct kv_op *op = &txn->ops[i];
		size_t klen = strlen(op->key);
		wu8(&pl, (uint8_t)op->type);
		wu32(&pl, (uint32_t)klen);
		wu32(&pl, (uint32_t)op->value_size);
		wput(&pl, op->key, klen);
		wput(&pl, op->value, op->value_size);
	}
	if (pl.err || pl.len > REC_MAX || frame(&rec, &pl)) {
		rc = pl.len > REC_MAX ? -E2BIG : -ENOMEM;
		goto out;
	}
	rc = write_all(l->fd, rec.p, rec.len);
	/* Durable before we return: that is the whole promise of put. */
	if (!rc && fdatasync(l->fd) < 0)
		rc = -errno;
	if (rc) {
		/* Drop a partial record so the next append does not follow garbage. */
		if (ftruncate(l->fd, (off_t)l->log_size) == 0)
			fdatasync(l->fd);
		cninfra_error(kv->log, "embedded store write failed", "dir=\"%s\" err=\"%s\"",
			      l->dir, strerror(-rc));
		goto out;
	}
	l->log_size += rec.len;
	l->rev = nrev;
	/* One batch per watch, posted after the whole transaction is applied. */
	size_t nb = l->n_watches, i = 0;
	struct kv_batch **batches = nb ? calloc(nb, sizeof(*batches)) : NULL;
	for (struct lwatch *lw = l->watches; lw && batches; lw = lw->next)
		batches[i++] = kv_batch_new(lw->w);
	struct rbuf r = {.p = pl.p + 9, .len = pl.len - 9};
	int d = apply_txn(kv, &r, nrev, batches, batches ? nb : 0);
	for (i = 0; batches && i < nb; i++)
		if (batches[i])
			kv_batch_post(batches[i]);
	free(batches);
	if (d < 0) {
		/* Only ENOMEM can get here (we encoded the record ourselves). */
		rc = d;
		goto out;
	}
	*deleted = (size_t)d;
	*rev = nrev;
	if (l->log_size > kv->opts.compact_min_size && l->log_size > 2 * l->live_size + 4096) {
		/* A failed compaction loses nothing: the old log is still complete. */
		int crc = compact(kv);
		if (crc)
			cninfra_warn(kv->log, "embedded store compaction failed",
				     "dir=\"%s\" err=\"%s\"", l->dir, strerror(-crc));
	}
out:
	free(pl.p);
	free(rec.p);
	return rc;
}

static int
local_range(struct cninfra_kv *kv, const char *key, bool prefix, struct cninfra_kv_list *out)
{
	struct local *l = kv->priv;
	size_t from, to, cap = 0;
	int found;
	if (prefix) {
		prefix_range(l, key, &from, &to);
	} else {
		from = lookup(l, key, &found);
		to = found ? from + 1 : from;
	}
	out->revision = l->rev;
	for (size_t i = from; i < to; i++) {
		struct cninfra_kv_pair *p = kv_list_push(out, &cap);
		if (!p)
			return -ENOMEM;
		const struct cninfra_kv_pair *e = &l->e[i];
		if (kv_pair_set(p, e->key, strlen(e->key), e->value, e->value_size)) {
			out->count--;
			return -ENOMEM;
		}
		p->create_revision = e->create_revision;
		p->mod_revision = e->mod_revision;
		p->version = e->version;
	}
	return 0;
}

static int
local_watch_start(struct cninfra_kv_watch *w)
{
	struct local *l = w->kv->priv;
	/* No history is kept: a watch can start now or at the next revision, not in the past. */
	if (w->from_rev && w->from_rev <= l->rev)
		return -ERANGE;
	struct lwatch *lw = calloc(1, sizeof(*lw));
	if (!lw)
		return -ENOMEM;
	lw->w = w;
	w->priv = lw;
	lw->next = l->watches;
	l->watches = lw;
	l->n_watches++;
	return 0;
}

static void
local_watch_stop(struct cninfra_kv_watch *w)
{
	struct local *l = w->kv->priv;
	for (struct lwatch **pp = &l->watches; *pp; pp = &(*pp)->next) {
		if ((*pp)->w == w) {
			struct lwatch *lw = *pp;
			*pp = lw->next;
			free(lw);
			l->n_watches--;
			w->priv = NULL;
			return;
		}
	}
}

static void
local_close(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].key);
		free(l->e[i].value);
	}
	free(l->e);
	if (l->fd >= 0)
		close(l->fd);
	if (l->dirfd >= 0)
		close(l->dirfd); /* releases the flock */
	free(l->dir);
	free(l);
}

static const struct kv_ops local_ops = {
    .name = "embedded",
    .range = local_range,
    .txn = local_txn,
    .watch_start = local_watch_start,
    .watch_stop = local_watch_stop,
    .close = local_close,
};

/* Replays the log; a record that does not check out ends it, and the file is cut there. */
static int
replay(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	struct stat st;
	if (fstat(l->fd, &st) < 0)
		return -errno;
	size_t size = (size_t)st.st_size;
	uint8_t *buf = size ? malloc(size) : NULL;
	if (size && !buf)
		return -ENOMEM;
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(l->fd, buf + got, size - got, (off_t)got);
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EIO;
		}
		got += (size_t)n;
	}
	size_t off = 0;
	const char *why = NULL;
	while (off < size) {
		struct rbuf h = {.p = buf + off, .len = size - off};
		uint32_t magic = ru32(&h), len = ru32(&h), crc = ru32(&h);
		if (h.bad) {
			why = "short header";
			break;
		}
		if (magic != REC_MAGIC || len > REC_MAX || len < 9 || len > size - off - REC_HDR) {
			why = magic != REC_MAGIC ? "bad magic" : "bad or short length";
			break;
		}
		const uint8_t *pl = buf + off + REC_HDR;
		if (crc32_buf(pl, len) != crc) {
			why = "CRC mismatch";
			break;
		}
		struct rbuf r = {.p = pl, .len = len};
		uint8_t type = ru8(&r);
		int64_t rev = (int64_t)ru64(&r);
		int rc = 0;
		if (type == REC_TXN) {
			if (rev != l->rev + 1 || rev > REV_MAX) {
				why = "revision out of sequence";
				break;
			}
			rc = txn_check(r);
			if (!rc)
				rc = apply_txn(kv, &r, rev, NULL, 0);
			if (rc >= 0)
				l->rev = rev;
		} else if (type == REC_ENTRY) {
			/* A compacted entry: written after the REC_REV that set l->rev, at or below
			 * it. */
			int64_t c = (int64_t)ru64(&r), m = (int64_t)ru64(&r), v = (int64_t)ru64(&r);
			uint32_t klen = ru32(&r), vlen = ru32(&r);
			const char *k = rbytes(&r, klen), *val = rbytes(&r, vlen);
			if (r.bad || r.off != r.len || rev != l->rev || klen == 0 ||
			    klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE ||
			    memchr(k, 0, klen) || c <= 0 || c > m || m > l->rev || v <= 0 ||
			    v > REV_MAX)
				rc = -EINVAL;
			else
				rc = entry_put(l, k, klen, val, vlen, c, m, v);
		} else if (type == REC_REV) {
			if (r.bad || r.off != r.len || rev < l->rev || rev > REV_MAX)
				rc = -EINVAL;
			else
				l->rev = rev;
		} else {
			rc = -EINVAL;
		}
		if (rc == -ENOMEM) {
			free(buf);
			return rc;
		}
		if (rc < 0 || r.bad || r.off != r.len) {
			why = "malformed record";
			break;
		}
		off += REC_HDR + len;
	}
	free(buf);
	if (why) {
		cninfra_warn(kv->log, "embedded store: dropping torn or corrupt tail",
			     "dir=\"%s\" offset=%zu dropped_bytes=%zu reason=\"%s\"", l->dir, off,
			     size - off, why);
		if (ftruncate(l->fd, (off_t)off) < 0 || fsync(l->fd) < 0)
			return -errno;
	}
	l->log_size = off;
	return 0;
}

int
kv_local_open(struct cninfra_kv *kv, const char *dir)
{
	struct local *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->fd = -1;
	l->dirfd = -1;
	kv->priv = l;
	kv->ops = &local_ops;
	int rc;
	l->dir = strdup(dir);
	if (!l->dir) {
		rc = -ENOMEM;
		goto fail;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		goto fail;
	}
	l->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dirfd < 0) {
		rc = -errno;
		goto fail;
	}
	/* One process per store: a second writer would interleave records. */
	if (flock(l->dirfd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		goto fail;
	}
	unlinkat(l->dirfd, TMP_NAME, 0); /* a compaction that never reached rename() */
	l->fd = openat(l->dirfd, LOG_NAME, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd < 0) {
		rc = -errno;
		goto fail;
	}
	fsync(l->dirfd); /* the file's directory entry must be durable too */
	rc = replay(kv);
	if (rc)
		goto fail;
	cninfra_info(kv->log, "embedded store open", "dir=\"%s\" keys=%zu revision=%lld", dir, l->n,
		     (long long)l->rev);
	return 0;
fail:
	local_close(kv);
	kv->priv = NULL;
	return rc;
}
