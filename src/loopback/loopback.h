/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loopback interfaces (loop<n>): what is sent out of one comes back in on it, through
 * ethernet-input. A bridge domain's BVI is a loopback. Control in loopback.c (the
 * functions below, which the API handlers and tests call; they return 0 or -errno and
 * depend on neither API nor CLI), datapath (loopback-tx) in node.c, API handlers in api.c
 * (messages in api.h), CLI in cli.c (a front end of the handlers). A loopback's link
 * follows its admin state.
 */
#ifndef LIG_LOOPBACK_H
#define LIG_LOOPBACK_H

#include "../infra/lig_common.h"

/* Instances are 0..LIG_LOOPBACK_MAX - 1. */
#define LIG_LOOPBACK_MAX 1024

/* Creates loop<instance>, or loop<n> with the lowest free n when instance is
 * LIG_INVALID_INDEX, with the given MAC (NULL: one ligd picks). On success
 * *sw_if_index is the new interface. Returns 0, -ENOSPC (no free instance, or instance
 * out of range), -EEXIST (instance in use), -EINVAL (multicast or zero MAC), or the
 * -errno of interface creation. */
int lig_loopback_create(const u8 *mac, u32 instance, u32 *sw_if_index);

/* Deletes a loopback; returns 0, -ENOENT (no such interface, or not a loopback), or the
 * -errno of lig_if_delete(). */
int lig_loopback_delete(u32 sw_if_index);

/* The instance n of loop<n> in *instance; 0, or -ENOENT (no such interface, or not a
 * loopback). */
int lig_loopback_instance(u32 sw_if_index, u32 *instance);

#endif
