/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of module initialization (vlib/module.h): dependency order with name order
 * between independent modules, each init once, and the start-up errors (a missing
 * dependency, a cycle, a name registered twice, a failing init) named in the log.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "infra/log.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"
#include "vlib/module.h"

/* The names of the modules whose init ran, in order. */
static char ran[256];
static const char *failing; /* the module whose init returns -EIO */

#define TEST_INIT(x)                                                                               \
	static int init_##x(void)                                                                  \
	{                                                                                          \
		if (failing && strcmp(failing, #x) == 0)                                           \
			return -EIO;                                                               \
		strcat(ran, #x " ");                                                               \
		return 0;                                                                          \
	}
TEST_INIT(a)
TEST_INIT(b)
TEST_INIT(c)
TEST_INIT(d)
TEST_INIT(e)

static struct lig_module_registration mod_a, mod_b, mod_c, mod_d, mod_e;

/* Builds a list of the given modules, in that (registration) order, all fresh. */
static struct lig_module_registration *
chain(struct lig_module_registration *const *mods, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		mods[i]->initialized = false;
		mods[i]->next_registration = i + 1 < n ? mods[i + 1] : NULL;
	}
	ran[0] = 0;
	failing = NULL;
	return mods[0];
}

static void
define(struct lig_module_registration *m, const char *name, int (*init)(void), const char *dep0,
       const char *dep1)
{
	*m = (struct lig_module_registration){.name = name, .init = init};
	m->depends[0] = dep0;
	m->depends[1] = dep1;
}

/* Runs lig_modules_init(list) with stderr captured into log; returns its result. */
static int
init_logged(struct lig_module_registration *list, char *log, size_t size)
{
	FILE *f = tmpfile();
	int saved = dup(2), rv;
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), 2);
	rv = lig_modules_init(list);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(log, 1, size - 1, f);
	log[n] = 0;
	fclose(f);
	return rv;
}

static void
test_order(void **state)
{
	(void)state;
	/* c needs a, b needs c; d and e need nothing: dependencies first, else by name. */
	define(&mod_a, "a", init_a, NULL, NULL);
	define(&mod_b, "b", init_b, "c", NULL);
	define(&mod_c, "c", init_c, "a", NULL);
	define(&mod_d, "d", init_d, NULL, NULL);
	define(&mod_e, "e", NULL, "b", "d");
	struct lig_module_registration *mods[] = {&mod_e, &mod_d, &mod_b, &mod_c, &mod_a};
	struct lig_module_registration *list = chain(mods, 5);

	assert_int_equal(lig_modules_init(list), 0);
	assert_string_equal(ran, "a c b d ");
	for (u32 i = 0; i < 5; i++)
		assert_true(mods[i]->initialized); /* e, without init, too */

	/* Registration order does not matter. */
	struct lig_module_registration *rev[] = {&mod_a, &mod_c, &mod_b, &mod_d, &mod_e};
	list = chain(rev, 5);
	assert_int_equal(lig_modules_init(list), 0);
	assert_string_equal(ran, "a c b d ");

	/* A second run initializes nothing again. */
	ran[0] = 0;
	assert_int_equal(lig_modules_init(list), 0);
	assert_string_equal(ran, "");
}

static void
test_missing_dependency(void **state)
{
	char log[1024];
	(void)state;
	define(&mod_a, "a", init_a, NULL, NULL);
	define(&mod_b, "b", init_b, "a", "nosuch");
	struct lig_module_registration *mods[] = {&mod_a, &mod_b};

	assert_int_equal(init_logged(chain(mods, 2), log, sizeof(log)), -ENOENT);
	assert_string_equal(ran, ""); /* nothing runs when the list is wrong */
	assert_non_null(strstr(log, "module b depends on nosuch, which does not exist"));
}

static void
test_cycle(void **state)
{
	char log[1024];
	(void)state;
	/* a -> b -> c -> a, with d fine on its own and e depending on the cycle. */
	define(&mod_a, "a", init_a, "b", NULL);
	define(&mod_b, "b", init_b, "c", NULL);
	define(&mod_c, "c", init_c, "a", NULL);
	define(&mod_d, "d", init_d, NULL, NULL);
	define(&mod_e, "e", init_e, "d", "a");
	struct lig_module_registration *mods[] = {&mod_e, &mod_d, &mod_c, &mod_b, &mod_a};

	assert_int_equal(init_logged(chain(mods, 5), log, sizeof(log)), -ELOOP);
	assert_string_equal(ran, "");
	assert_non_null(strstr(log, "dependency cycle: "));
	/* However the walk enters it, the cycle is printed whole, in dependency order. */
	assert_true(strstr(log, "a -> b -> c -> a") || strstr(log, "b -> c -> a -> b") ||
		    strstr(log, "c -> a -> b -> c"));
	assert_null(strstr(log, "e ->"));

	/* A module depending on itself is a cycle too. */
	define(&mod_a, "a", init_a, "a", NULL);
	assert_int_equal(init_logged(chain(mods + 4, 1), log, sizeof(log)), -ELOOP);
	assert_non_null(strstr(log, "dependency cycle: a -> a"));
}

static void
test_duplicate(void **state)
{
	char log[1024];
	(void)state;
	define(&mod_a, "a", init_a, NULL, NULL);
	define(&mod_b, "a", init_b, NULL, NULL);
	struct lig_module_registration *mods[] = {&mod_a, &mod_b};

	assert_int_equal(init_logged(chain(mods, 2), log, sizeof(log)), -EEXIST);
	assert_string_equal(ran, "");
	assert_non_null(strstr(log, "module a is registered twice"));
}

static void
test_init_fails(void **state)
{
	char log[1024];
	(void)state;
	define(&mod_a, "a", init_a, NULL, NULL);
	define(&mod_b, "b", init_b, "a", NULL);
	define(&mod_c, "c", init_c, "b", NULL);
	struct lig_module_registration *mods[] = {&mod_c, &mod_b, &mod_a};
	struct lig_module_registration *list = chain(mods, 3);

	failing = "b";
	assert_int_equal(init_logged(list, log, sizeof(log)), -EIO);
	assert_string_equal(ran, "a "); /* c, which needs b, never runs */
	assert_non_null(strstr(log, "module b: init failed"));
	assert_true(mod_a.initialized);
	assert_false(mod_b.initialized);
	assert_false(mod_c.initialized);

	/* Run again once b can start: a is not initialized twice. */
	failing = NULL;
	assert_int_equal(lig_modules_init(list), 0);
	assert_string_equal(ran, "a b c ");
}

/* ligd's own modules (LIG_MODULE) name only modules that exist, form no cycle, and all
 * initialize, as at start-up. */
static void
test_registered(void **state)
{
	u32 n = 0;
	(void)state;

	assert_int_equal(lig_buffer_pool_init(1024), 0);
	assert_int_equal(lig_graph_init(), 0);
	assert_int_equal(lig_loop_init(), 0);
	assert_int_equal(lig_run_init_functions(), 0);
	for (struct lig_module_registration *m = lig_module_registrations; m;
	     m = m->next_registration, n++)
		assert_true(m->initialized);
	assert_true(n >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order),      cmocka_unit_test(test_missing_dependency),
	    cmocka_unit_test(test_cycle),      cmocka_unit_test(test_duplicate),
	    cmocka_unit_test(test_init_fails), cmocka_unit_test(test_registered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
