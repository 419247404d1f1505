/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-configuration snapshots through the API: copy one ligd's configuration onto
 * another, and render a configuration as canonical text (interfaces by name, state left
 * out, lines sorted) so two nodes can be compared.
 *
 * Each module contributes a step (lib/api/snapshot_<module>.c) in order: 100 interfaces
 * are created, 200 interface settings, 300 L2, 400 VRFs and addresses, 500 routes,
 * neighbours and tunnels. A step's copy dumps from s->from and creates on s->to,
 * translating interface indices with lig_snap_if_to(); its text dumps s->from and adds
 * one line per object with lig_snap_json().
 */
#ifndef LIGAPI_SNAPSHOT_H
#define LIGAPI_SNAPSHOT_H

#include "ligapi.h"

struct lig_snap;

struct lig_snap_step {
	const char *name;
	u32 order;
	int (*copy)(struct lig_snap *s);
	int (*text)(struct lig_snap *s);
	struct lig_snap_step *next;
};
void lig_snap_register(struct lig_snap_step *st);
#define LIG_SNAP_STEP(sname, sorder, scopy, stext)                                                 \
	static struct lig_snap_step lig_snap_step_##scopy = {                                      \
	    .name = sname, .order = sorder, .copy = scopy, .text = stext};                         \
	static void __attribute__((constructor)) lig_snap_register_##scopy(void)                   \
	{                                                                                          \
		lig_snap_register(&lig_snap_step_##scopy);                                         \
	}

struct lig_snap {
	struct lig_api_client *from, *to;
	char err[512];
	/* private */
	void *priv;
};

/* Copies every step's objects from `from` to `to`; 0 or -errno with the reason in err
 * (which step, which object, ligd's words). */
int lig_snapshot_copy(struct lig_api_client *from, struct lig_api_client *to, char *err,
		      size_t err_size);
/* The canonical text of c's configuration (malloc'd), or NULL with err. */
char *lig_snapshot_text(struct lig_api_client *c, char *err, size_t err_size);

/* For steps. */
/* The interface of s->to that has the name of s->from's sw_if_index; ~0 if none. */
u32 lig_snap_if_to(struct lig_snap *s, u32 from_sw_if_index);
/* The name of s->from's interface, or NULL. */
const char *lig_snap_if_name(struct lig_snap *s, u32 from_sw_if_index);
/* Forgets the interface names (after a step created interfaces). */
void lig_snap_if_refresh(struct lig_snap *s);
/* Adds a text line "<prefix> <json of the details, interfaces by name, no state>". */
int lig_snap_json(struct lig_snap *s, const char *prefix, u16 msg_id, const void *details,
		  u32 size);
/* Sets s->err and returns rv. */
int lig_snap_fail(struct lig_snap *s, int rv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
