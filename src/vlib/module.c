/* SPDX-License-Identifier: Apache-2.0 */
/* Module registrations and their initialization in dependency order (see module.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../infra/log.h"
#include "module.h"
#include "str.h"

struct lig_module_registration *lig_module_registrations;

static u32
lig_module_find(struct lig_module_registration *const *mods, u32 n, const char *name)
{
	for (u32 i = 0; i < n; i++)
		if (strcmp(mods[i]->name, name) == 0)
			return i;
	return LIG_INVALID_INDEX;
}

/* The first dependency of module i not placed yet, or LIG_INVALID_INDEX. */
static u32
lig_module_unplaced_dep(const u32 *deps, const bool *placed, u32 i)
{
	for (u32 d = 0; d < LIG_MODULE_MAX_DEPENDS; d++) {
		u32 j = deps[i * LIG_MODULE_MAX_DEPENDS + d];
		if (j != LIG_INVALID_INDEX && !placed[j])
			return j;
	}
	return LIG_INVALID_INDEX;
}

/* Logs the cycle that keeps the unplaced modules from being ordered: each of them has an
 * unplaced dependency, so following those from any of them comes back to one seen before. */
static void
lig_module_log_cycle(struct lig_module_registration *const *mods, u32 n, const u32 *deps,
		     const bool *placed, bool *seen)
{
	struct lig_str path = {0};
	u32 i = 0;

	for (u32 k = 0; k < n; k++)
		seen[k] = false;
	while (placed[i])
		i++;
	for (; !seen[i]; i = lig_module_unplaced_dep(deps, placed, i))
		seen[i] = true;
	/* i is on the cycle: name it in dependency order until it comes round again. */
	u32 first = i;
	do {
		lig_str_printf(&path, "%s -> ", mods[i]->name);
		i = lig_module_unplaced_dep(deps, placed, i);
	} while (i != first);
	lig_err("module", "dependency cycle: %s%s", lig_str_cstr(&path), mods[first]->name);
	lig_str_free(&path);
}

/*
 * Fills order with the n modules so that each comes after its dependencies, choosing the
 * first by name among those ready. Returns 0, -EEXIST, -ENOENT or -ELOOP (logged).
 * mods, placed, seen and order have n entries; deps n * LIG_MODULE_MAX_DEPENDS.
 */
static int
lig_modules_sort(struct lig_module_registration *const *mods, u32 n, u32 *deps, bool *placed,
		 bool *seen, u32 *order)
{
	int rv = 0;

	for (u32 i = 0; i < n; i++) {
		placed[i] = false;
		if (lig_module_find(mods, i, mods[i]->name) != LIG_INVALID_INDEX) {
			lig_err("module", "module %s is registered twice", mods[i]->name);
			rv = -EEXIST;
		}
		for (u32 d = 0; d < LIG_MODULE_MAX_DEPENDS; d++) {
			const char *name = mods[i]->depends[d];
			u32 j = name ? lig_module_find(mods, n, name) : LIG_INVALID_INDEX;
			deps[i * LIG_MODULE_MAX_DEPENDS + d] = j;
			if (name && j == LIG_INVALID_INDEX) {
				lig_err("module", "module %s depends on %s, which does not exist",
					mods[i]->name, name);
				if (rv == 0)
					rv = -ENOENT;
			}
		}
	}
	if (rv < 0)
		return rv;
	for (u32 k = 0; k < n; k++) {
		u32 best = LIG_INVALID_INDEX;
		for (u32 i = 0; i < n; i++) {
			bool ready = !placed[i];
			for (u32 d = 0; ready && d < LIG_MODULE_MAX_DEPENDS; d++) {
				u32 j = deps[i * LIG_MODULE_MAX_DEPENDS + d];
				ready = j == LIG_INVALID_INDEX || placed[j];
			}
			if (ready && (best == LIG_INVALID_INDEX ||
				      strcmp(mods[i]->name, mods[best]->name) < 0))
				best = i;
		}
		if (best == LIG_INVALID_INDEX) {
			lig_module_log_cycle(mods, n, deps, placed, seen);
			return -ELOOP;
		}
		placed[best] = true;
		order[k] = best;
	}
	return 0;
}

int
lig_modules_init(struct lig_module_registration *list)
{
	struct lig_module_registration **mods = NULL;
	u32 *deps = NULL, *order = NULL, n = 0;
	bool *placed = NULL, *seen = NULL;
	int rv = -ENOMEM;

	for (struct lig_module_registration *m = list; m; m = m->next_registration)
		n++;
	if (n == 0)
		return 0;
	mods = calloc(n, sizeof(*mods));
	deps = calloc((size_t)n * LIG_MODULE_MAX_DEPENDS, sizeof(*deps));
	order = calloc(n, sizeof(*order));
	placed = calloc(n, sizeof(*placed));
	seen = calloc(n, sizeof(*seen));
	if (!mods || !deps || !order || !placed || !seen)
		goto done;
	n = 0;
	for (struct lig_module_registration *m = list; m; m = m->next_registration)
		mods[n++] = m;
	rv = lig_modules_sort(mods, n, deps, placed, seen, order);
	if (rv < 0)
		goto done;
	if (lig_log_level >= LIG_LOG_INFO) {
		struct lig_str names = {0};
		for (u32 k = 0; k < n; k++)
			lig_str_printf(&names, "%s%s", k ? " " : "", mods[order[k]]->name);
		lig_info("module", "init order: %s", lig_str_cstr(&names));
		lig_str_free(&names);
	}
	for (u32 k = 0; k < n; k++) {
		struct lig_module_registration *m = mods[order[k]];
		if (m->initialized)
			continue;
		if (m->init) {
			rv = m->init();
			if (rv < 0) {
				lig_err("module", "module %s: init failed: %s", m->name,
					strerror(-rv));
				goto done;
			}
		}
		m->initialized = true;
		lig_debug("module", "%s initialized", m->name);
	}
	rv = 0;
done:
	free(mods);
	free(deps);
	free(order);
	free(placed);
	free(seen);
	return rv;
}

int
lig_run_init_functions(void)
{
	return lig_modules_init(lig_module_registrations);
}
