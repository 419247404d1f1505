/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `ligctl api ...`: ligd's typed API from the shell, through libligapi. Requests and
 * replies are JSON by the message definitions (docs/api.md); interfaces may be named
 * where a field is a sw_if_index.
 *   api list                        messages of this ligctl and whether ligd agrees
 *   api call <message> [json]       one request, the reply as JSON
 *   api dump <message> [json]       a dump, one JSON object per line
 *   api events [event|all] [count]  prints events as they come (count: stop after that many)
 *   api snapshot                    the configuration as canonical text (for diffs)
 *   api copy <to-api-socket>        applies this ligd's configuration to another ligd
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interface/api.h"
#include "ligapi.h"
#include "ligapi_snapshot.h"
#include "ligctl.h"

struct ligctl_api {
	struct lig_api_client *c;
	char names[4096][64];
	bool names_loaded;
};

static bool
ligctl_api_names_cb(void *ctx, const void *details, u32 size)
{
	struct ligctl_api *a = ctx;
	lig_api_sw_interface_dump_details_t d;

	if (size == sizeof(d)) {
		memcpy(&d, details, sizeof(d));
		if (d.sw_if_index < 4096)
			snprintf(a->names[d.sw_if_index], sizeof(a->names[0]), "%s", d.name);
	}
	return true;
}

static void
ligctl_api_load_names(struct ligctl_api *a)
{
	lig_api_sw_interface_dump_t req = {0};

	if (!a->names_loaded)
		LIG_API_CLIENT_DUMP(a->c, sw_interface_dump, &req, ligctl_api_names_cb, a);
	a->names_loaded = true;
}

static const char *
ligctl_api_if_name(void *ctx, u32 sw_if_index)
{
	struct ligctl_api *a = ctx;

	return sw_if_index < 4096 && a->names[sw_if_index][0] ? a->names[sw_if_index] : NULL;
}

static u32
ligctl_api_if_index(void *ctx, const char *name)
{
	struct ligctl_api *a = ctx;

	for (u32 i = 1; i < 4096; i++)
		if (strcmp(a->names[i], name) == 0)
			return i;
	return ~0u;
}

static const struct lig_api_msg *
ligctl_api_msg(const char *name, enum lig_api_msg_kind kind)
{
	const struct lig_api_msg *m = lig_api_msg_by_name(name);

	if (!m)
		fprintf(stderr, "ligctl: no message '%s' (ligctl api list)\n", name);
	else if (m->kind != kind) {
		fprintf(stderr, "ligctl: %s is a %s; use 'api %s'\n", name,
			m->kind == LIG_API_DUMP	   ? "dump"
			: m->kind == LIG_API_EVENT ? "event"
						   : "request",
			m->kind == LIG_API_DUMP	   ? "dump"
			: m->kind == LIG_API_EVENT ? "events"
						   : "call");
		m = NULL;
	}
	return m;
}

/* The dump being printed (a dump callback gets only the details). */
static u16 ligctl_api_dumping;

static bool
ligctl_api_print_details(void *ctx, const void *details, u32 size)
{
	struct lig_api_json_opts o = {.if_name = ligctl_api_if_name, .ctx = ctx};
	char *s = lig_api_to_json_opts(ligctl_api_dumping, LIG_API_F_DETAILS, details, size, &o);

	printf("%s\n", s ? s : "(unprintable)");
	free(s);
	return true;
}

static void
ligctl_api_print_event(void *ctx, u16 msg_id, const void *body, u32 size)
{
	struct lig_api_json_opts o = {.if_name = ligctl_api_if_name, .ctx = ctx};
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	char *s = lig_api_to_json_opts(msg_id, 0, body, size, &o);

	printf("%s %s\n", m ? m->name : "?", s ? s : "(unprintable)");
	fflush(stdout);
	free(s);
}

static int
ligctl_api_body(struct ligctl_api *a, const struct lig_api_msg *m, const char *json, u8 *body,
		u32 cap)
{
	struct lig_api_json_opts o = {.if_index = ligctl_api_if_index, .ctx = a};
	char err[256];
	int len = lig_api_from_json(m->id, json, body, cap, &o, err, sizeof(err));

	if (len < 0)
		fprintf(stderr, "ligctl: %s: %s\n", m->name, err);
	return len;
}

static int
ligctl_api_call(struct ligctl_api *a, const char *name, const char *json)
{
	const struct lig_api_msg *m = ligctl_api_msg(name, LIG_API_REQUEST);
	static u8 body[LIG_API_MAX_MSG], reply[LIG_API_MAX_MSG];

	if (!m)
		return 2;
	int len = ligctl_api_body(a, m, json, body, sizeof(body));
	if (len < 0)
		return 2;
	u32 rep_size = (u32)sizeof(struct lig_api_status) + m->rep_size;
	int rv = lig_api_call(a->c, m->id, body, (u32)len, reply, rep_size);
	struct lig_api_json_opts o = {.if_name = ligctl_api_if_name, .ctx = a};
	char *s = lig_api_to_json_opts(m->id, LIG_API_F_REPLY, reply, rep_size, &o);
	if (rv < 0 && !((struct lig_api_status *)reply)->error[0])
		fprintf(stderr, "ligctl: %s\n", lig_api_last_error(a->c));
	else
		printf("%s\n", s ? s : "");
	free(s);
	return rv < 0 ? 1 : 0;
}

static int
ligctl_api_dump(struct ligctl_api *a, const char *name, const char *json)
{
	const struct lig_api_msg *m = ligctl_api_msg(name, LIG_API_DUMP);
	static u8 body[LIG_API_MAX_MSG];

	if (!m)
		return 2;
	int len = ligctl_api_body(a, m, json, body, sizeof(body));
	if (len < 0)
		return 2;
	ligctl_api_dumping = m->id;
	int rv = lig_api_dump(a->c, m->id, body, (u32)len, ligctl_api_print_details, a);
	if (rv < 0)
		fprintf(stderr, "ligctl: %s: %s\n", name, lig_api_last_error(a->c));
	return rv < 0 ? 1 : 0;
}

static int
ligctl_api_events(struct ligctl_api *a, const char *which, long count)
{
	const struct lig_api_msg *m = NULL;

	if (which && strcmp(which, "all") != 0 && !(m = ligctl_api_msg(which, LIG_API_EVENT)))
		return 2;
	lig_api_set_event_cb(a->c, ligctl_api_print_event, a);
	if (lig_api_want_events(a->c, m ? m->id : 0, true) < 0) {
		fprintf(stderr, "ligctl: %s\n", lig_api_last_error(a->c));
		return 1;
	}
	/* On stderr, so scripts can tell when events start to count. */
	fprintf(stderr, "ligctl: subscribed\n");
	for (long n = 0; count <= 0 || n < count;) {
		int got = lig_api_poll_events(a->c, -1);
		if (got < 0) {
			fprintf(stderr, "ligctl: %s\n", lig_api_last_error(a->c));
			return 1;
		}
		n += got;
		/* Names may have changed: reload them before the next event. */
		a->names_loaded = false;
		ligctl_api_load_names(a);
	}
	return 0;
}

static int
ligctl_api_list(void)
{
	for (u32 i = 0; i < lig_api_n_msgs; i++) {
		const struct lig_api_msg *m = lig_api_msgs[i];
		printf("0x%04x %-8s %-10s %08x %s\n", m->id,
		       m->kind == LIG_API_DUMP	  ? "dump"
		       : m->kind == LIG_API_EVENT ? "event"
						  : "request",
		       m->module, lig_api_msg_crc(m), m->name);
	}
	return 0;
}

int
ligctl_api_main(const char *api_path, int argc, char **argv)
{
	static struct ligctl_api a;
	char err[512];
	int rv;

	if (argc < 1) {
		fprintf(stderr, "usage: ligctl api list|call|dump|events|snapshot|copy ...\n");
		return 2;
	}
	if (strcmp(argv[0], "list") == 0)
		return ligctl_api_list();
	a.c = lig_api_connect(api_path, err, sizeof(err));
	if (!a.c) {
		fprintf(stderr, "ligctl: %s\n", err);
		return 2;
	}
	ligctl_api_load_names(&a);
	if (strcmp(argv[0], "call") == 0 && (argc == 2 || argc == 3)) {
		rv = ligctl_api_call(&a, argv[1], argc == 3 ? argv[2] : NULL);
	} else if (strcmp(argv[0], "dump") == 0 && (argc == 2 || argc == 3)) {
		rv = ligctl_api_dump(&a, argv[1], argc == 3 ? argv[2] : NULL);
	} else if (strcmp(argv[0], "events") == 0 && argc <= 3) {
		rv = ligctl_api_events(&a, argc > 1 ? argv[1] : NULL, argc > 2 ? atol(argv[2]) : 0);
	} else if (strcmp(argv[0], "snapshot") == 0 && argc == 1) {
		char *text = lig_snapshot_text(a.c, err, sizeof(err));
		if (text)
			fputs(text, stdout);
		else
			fprintf(stderr, "ligctl: snapshot: %s\n", err);
		rv = text ? 0 : 1;
		free(text);
	} else if (strcmp(argv[0], "copy") == 0 && argc == 2) {
		struct lig_api_client *to = lig_api_connect(argv[1], err, sizeof(err));
		if (!to) {
			fprintf(stderr, "ligctl: %s\n", err);
			rv = 2;
		} else {
			rv = lig_snapshot_copy(a.c, to, err, sizeof(err));
			if (rv < 0)
				fprintf(stderr, "ligctl: copy: %s\n", err);
			rv = rv < 0 ? 1 : 0;
			lig_api_disconnect(to);
		}
	} else {
		fprintf(stderr, "ligctl: bad api command (see ligctl -h)\n");
		rv = 2;
	}
	lig_api_disconnect(a.c);
	return rv;
}
