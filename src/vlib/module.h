/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Modules: each feature registers one module (LIG_MODULE) with its init function and the
 * modules it depends on. At start-up, after the graph and the main loop exist,
 * lig_run_init_functions() runs the init functions in dependency order, so a module never
 * initializes another defensively and subscribes to interface events after what it
 * depends on (so it hears of a new interface after them and of a deletion before them).
 */
#ifndef LIG_MODULE_H
#define LIG_MODULE_H

#include "../infra/lig_common.h"

#define LIG_MODULE_MAX_DEPENDS 8

struct lig_module_registration {
	const char *name;
	/* Runs once, after every module in depends; adds arcs, timers, fd watches and
	 * interface event subscriptions. Returns 0 or -errno. May be NULL: a module others
	 * only order themselves after (interface, ethernet). */
	int (*init)(void);
	/* Names of the modules that must be initialized first; unused entries are NULL. */
	const char *depends[LIG_MODULE_MAX_DEPENDS];
	/* Set once init has succeeded; a second run skips the module. */
	bool initialized;
	struct lig_module_registration *next_registration;
};

extern struct lig_module_registration *lig_module_registrations;

/*
 * Registers module `id` (its name is the identifier, so dependencies name it as a string)
 * before main(), e.g.
 *   LIG_MODULE(l2, .init = lig_l2_module_init, .depends = {"interface", "ethernet"});
 */
#define LIG_MODULE(id, ...)                                                                        \
	static struct lig_module_registration lig_module_##id = {.name = #id, __VA_ARGS__};        \
	static void LIG_CONSTRUCTOR(200) lig_register_module_##id(void)                            \
	{                                                                                          \
		lig_module_##id.next_registration = lig_module_registrations;                      \
		lig_module_registrations = &lig_module_##id;                                       \
	}                                                                                          \
	_Static_assert(sizeof(#id) > 1, "a module needs a name")

/*
 * Runs the init function of every module of list (chained by next_registration) that has
 * not run yet, in dependency order; modules that do not depend on each other run in name
 * order, so the order never depends on link order. Checks the whole list before running
 * anything and logs what is wrong: -EEXIST (two modules with one name), -ENOENT (a
 * dependency that is not in list), -ELOOP (a dependency cycle, named module by module).
 * Stops at the first init that fails and returns its -errno, logging which.
 */
int lig_modules_init(struct lig_module_registration *list);
/* lig_modules_init() of every module registered with LIG_MODULE. */
int lig_run_init_functions(void);

#endif
