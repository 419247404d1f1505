/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The harness of the libligapi tests (tests/test_*.c, each a cmocka program linked with
 * api_testlib.c): ligds of this build (LIG_BIN_DIR) started in a temporary directory,
 * optionally inside a network namespace, with an init script, connected to, driven through
 * ligctl and stopped by PID with SIGTERM and a check of their exit; every ligd started and
 * not yet stopped is known, so a group teardown stops what a failed test left running.
 * Also: shell commands, network namespaces, dumps collected into arrays, events awaited,
 * and the snapshot round trips (copy onto a fresh ligd, running-config replayed on one).
 * Include it first.
 */
#ifndef LIG_API_TESTLIB_H
#define LIG_API_TESTLIB_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "interface/api.h"
#include "ligapi.h"
#include "ligapi_snapshot.h"

/* ---- shell ---- */

/* Runs a shell command (output to /dev/null); returns its exit status, -1 if it did not
 * exit. */
int LIG_PRINTF(1, 2) tsh(const char *fmt, ...);
/* Runs a shell command and keeps its output (stdout and stderr, cut to size) in out;
 * returns its exit status. */
int LIG_PRINTF(3, 4) tsh_out(char *out, size_t size, const char *fmt, ...);
/* The same, its whole output malloc'd (asserts); its exit status in *status if not NULL. */
char *LIG_PRINTF(2, 3) tsh_dup(int *status, const char *fmt, ...);

/* Keeps the lines of text that start with one of the prefixes (NULL-terminated list) in
 * out; asserts that they fit. */
void tlines(const char *text, const char *const *prefixes, char *out, size_t size);

/* An IPv4 address in network order (asserts that s is one). */
u32 tip4(const char *s);

/* ---- network namespaces ---- */

/* Creates netns "li<tag><pid>" (lo up) and writes its name to name. */
int tnetns_add(char *name, size_t size, const char *tag);
/* Deletes it ("" : nothing). */
void tnetns_del(const char *name);

/* ---- ligd ---- */

struct tligd {
	char dir[48], cli[80], api[80];
	char ns[32]; /* "" = the test's own */
	pid_t pid;   /* -1 (or 0, never started): not running */
	struct lig_api_client *c;
};

/* Starts a ligd with its sockets and its log (ligd.log: its stdout and stderr, shown when
 * it does not come up or exits badly) in a fresh directory /tmp/ligapi-<tag>-XXXXXX,
 * inside netns ns (NULL or "": the test's namespace), running the CLI script init first
 * (NULL: none); connects to its API. On failure nothing is left running. */
int tligd_start(struct tligd *l, const char *tag, const char *ns, const char *init);
/* tligd_start, then the sw_if_index of each named interface the init script made: pairs of
 * (const char *name, u32 *sw_if_index) ending with NULL. -1 when the start failed or a name is
 * not there (that ligd is left running for the group teardown, as tligd_start's caller would
 * have). The fixture of the feature tests' group_setup. */
int tligd_start_ifs(struct tligd *l, const char *tag, const char *ns, const char *init, ...)
    __attribute__((sentinel));
/* SIGTERM, and checks that ligd exited cleanly (0, or -1 with the reason and its log on
 * stderr); removes its directory. One that is not running (never started, stopped or
 * killed, or stopped by tligd_stop_all): 0. */
int tligd_stop(struct tligd *l);
/* SIGKILL: a ligd that goes away without a word. */
void tligd_kill(struct tligd *l);
/* tligd_stop of every ligd started and not yet stopped, for a group or test teardown:
 * also those of a test that failed before it stopped them. */
int tligd_stop_all(void);
/* tligd_stop_all as a cmocka (group) teardown. */
int tligd_teardown(void **state);

/* Runs one CLI command through ligctl; its output (stdout and stderr, cut to size) in out;
 * returns ligctl's exit status. */
int LIG_PRINTF(4, 5) tligd_cli(const struct tligd *l, char *out, size_t size, const char *fmt, ...);
/* The same, its whole output malloc'd; ligctl's exit status in *status if not NULL. */
char *LIG_PRINTF(3, 4) tligd_cli_dup(const struct tligd *l, int *status, const char *fmt, ...);
/* show running-config (malloc'd; asserts that it succeeded). */
char *tligd_running_config(const struct tligd *l);
/* Runs the CLI script text through `ligctl exec` (from a file in l's directory); returns
 * ligctl's exit status. */
int tligd_exec(const struct tligd *l, const char *text);

/* ---- dumps ---- */

#define TDUMP_MAX 64
struct tdump {
	u32 n;	  /* details received (also those past TDUMP_MAX, not kept) */
	u32 size; /* the last one's size */
	u8 d[TDUMP_MAX][1024];
};

bool tdump_cb(void *ctx, const void *details, u32 size);

/* Runs dump `name` into *t and returns its status. */
#define TDUMP(cl, name, req, t)                                                                    \
	(memset((t), 0, sizeof(*(t))), LIG_API_CLIENT_DUMP((cl), name, (req), tdump_cb, (t)))
/* The i-th details of t as the dump's details type. */
#define TDETAILS(t, name, i) ((const lig_api_##name##_details_t *)(t)->d[i])

/* The interface details of sw_if_index (asserts that it exists). */
lig_api_sw_interface_dump_details_t tif(struct lig_api_client *c, u32 sw_if_index);
/* The interface details of the interface called name (asserts that it exists). */
lig_api_sw_interface_dump_details_t tif_named(struct lig_api_client *c, const char *name);
/* The sw_if_index of the interface called name, ~0 if there is none. */
u32 tif_index(struct lig_api_client *c, const char *name);

/* ---- events ---- */

#define TEVENTS_MAX 64
struct tevents {
	u32 n;
	struct {
		u16 msg_id;
		u32 size;
		u8 body[512];
	} ev[TEVENTS_MAX];
};

/* The event callback (lig_api_set_event_cb) that keeps every event in a struct tevents. */
void tevents_cb(void *ctx, u16 msg_id, const void *body, u32 size);

typedef bool(tevent_match_fn)(const void *body, const void *arg);

/* Waits up to timeout_ms for an event msg_id that match accepts, looking at the events
 * from index *from on; returns its body (and moves *from past it) or NULL. */
const void *tevents_wait(struct lig_api_client *c, struct tevents *e, u32 *from, u16 msg_id,
			 tevent_match_fn *match, const void *arg, int timeout_ms);

/* On: events msg_id for c, kept in e (tevents_cb); off: no more of them, and no callback.
 * Asserts that ligd agreed. */
void tevents_want(struct lig_api_client *c, struct tevents *e, u16 msg_id, bool on);

/* Waits (as tevents_wait) for an interface_event of this interface, this event (2 admin,
 * 3 link, ...) and this link state (-1: any); returns it or NULL. */
const lig_api_interface_event_t *tif_event_wait(struct lig_api_client *c, struct tevents *e,
						u32 *from, u32 sw_if_index, u8 event, int link_up,
						int timeout_ms);

/* ---- calls that several tests make ---- */

/* ip_table_add_del; the handler's error text in err unless NULL. */
int tip_table(struct lig_api_client *c, u32 id, bool is_add, char *err);

/* ---- snapshots ---- */

/* The canonical text of l's configuration (malloc'd; asserts). */
char *tsnapshot_text(const struct tligd *l);
/* Asserts that two canonical texts are the same; shows both (and the running-config rc,
 * if not NULL) when they are not. */
void tsnapshot_assert_same(const char *what_a, const char *a, const char *what_b, const char *b,
			   const char *rc);
/* Copies a onto the fresh b through the API and checks that both give the same canonical
 * text; returns that text (malloc'd) for further checks. */
char *tsnapshot_round_trip(struct tligd *a, struct tligd *b);
/* Starts c (tag) with the running-config rc as its init script, checks that its canonical
 * text is want, and stops it. */
void tsnapshot_replay(struct tligd *c, const char *tag, const char *rc, const char *want);

#endif
