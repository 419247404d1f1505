/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the fixed-capacity hash: against a reference model under random churn. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "infra/hash64.h"

static void
test_basic(void **state)
{
	struct lig_hash64 h;
	(void)state;

	assert_int_equal(lig_hash64_init(&h, 100), 0);
	assert_null(lig_hash64_lookup(&h, 42));
	assert_int_equal(lig_hash64_set(&h, 42, 7), 0);
	assert_int_equal(lig_hash64_lookup(&h, 42)->value, 7);
	assert_int_equal(lig_hash64_set(&h, 42, 8), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(lig_hash64_lookup(&h, 42)->value, 8);
	assert_int_equal(lig_hash64_set(&h, LIG_HASH64_EMPTY, 1), -EINVAL);
	assert_int_equal(lig_hash64_del(&h, 43), -ENOENT);
	assert_int_equal(lig_hash64_del(&h, 42), 0);
	assert_null(lig_hash64_lookup(&h, 42));
	lig_hash64_free(&h);
}

static void
test_full(void **state)
{
	struct lig_hash64 h;
	(void)state;

	assert_int_equal(lig_hash64_init(&h, 10), 0);
	for (u64 k = 0; k < 10; k++)
		assert_int_equal(lig_hash64_set(&h, k, k), 0);
	assert_int_equal(lig_hash64_set(&h, 99, 1), -ENOSPC);
	/* Updating an existing key still works when full. */
	assert_int_equal(lig_hash64_set(&h, 3, 33), 0);
	lig_hash64_free(&h);
}

/* Random inserts and deletes checked against a plain array after every step: catches a
 * backward-shift deletion that strands a key behind a hole. */
static void
test_random_churn(void **state)
{
	enum { KEYS = 512, OPS = 200000 };
	struct lig_hash64 h;
	u64 model[KEYS];
	bool present[KEYS] = {0};
	(void)state;

	srand(1);
	assert_int_equal(lig_hash64_init(&h, KEYS), 0);
	for (u32 i = 0; i < KEYS; i++)
		model[i] = 0;
	for (u32 op = 0; op < OPS; op++) {
		u32 k = (u32)rand() % KEYS;
		/* Keys chosen to collide often in a small table. */
		u64 key = (u64)k * 0x10000ull;
		if (rand() & 1) {
			u64 v = (u64)rand();
			assert_int_equal(lig_hash64_set(&h, key, v), 0);
			model[k] = v;
			present[k] = true;
		} else {
			assert_int_equal(lig_hash64_del(&h, key), present[k] ? 0 : -ENOENT);
			present[k] = false;
		}
		if (op % 997 == 0) {
			u32 n = 0;
			for (u32 i = 0; i < KEYS; i++) {
				struct lig_hash64_slot *s =
				    lig_hash64_lookup(&h, (u64)i * 0x10000ull);
				if (present[i]) {
					assert_non_null(s);
					assert_int_equal(s->value, model[i]);
					n++;
				} else {
					assert_null(s);
				}
			}
			assert_int_equal(h.count, n);
		}
	}
	u32 cursor = 0, seen = 0;
	struct lig_hash64_slot *slot;
	while (lig_hash64_next(&h, &cursor, &slot))
		seen++;
	assert_int_equal(seen, h.count);
	lig_hash64_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_random_churn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
