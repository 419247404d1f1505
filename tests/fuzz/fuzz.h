/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The libFuzzer entry points: every tests/fuzz/fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize); libFuzzer, or replay.c in
 * builds without it, calls them.
 */
#ifndef LIG_FUZZ_H
#define LIG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs the target on one input of size bytes; returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Optional one-time set-up before the first input; may change argc and argv. Returns 0. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
