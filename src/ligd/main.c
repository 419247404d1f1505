/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd: the dataplane daemon. Reads an optional startup file, builds the graph, listens
 * on its CLI socket, runs a startup script, then runs the main loop in the foreground
 * until SIGTERM/SIGINT, when it deletes every interface (giving kernel devices back) and
 * removes its socket.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "infra/log.h"
#include "interface/interface.h"
#include "memif/memif.h"
#include "vlib/api_server.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/cli_server.h"
#include "vlib/graph.h"
#include "vlib/loop.h"
#include "vlib/thread.h"

struct ligd_config {
	char socket[108];
	char api_socket[108]; /* "": beside the CLI socket */
	char exec[4096];
	u32 n_buffers;
	u32 buffer_data_size;
	enum lig_log_level log_level;
	u32 idle_spins;
	u32 idle_yield;
	struct lig_thread_config cpu;
};

static void
ligd_usage(FILE *f)
{
	fprintf(f,
		"usage: ligd [-c startup.conf] [-s cli-socket] [-a api-socket] [-b buffers]\n"
		"            [-l log-level] [-e startup-script]\n"
		"  -c FILE   startup file (sections unix { cli-listen, log-level, exec,\n"
		"            poll-idle-spins, poll-idle-yield }, api { socket },\n"
		"            buffers { buffers <n>  default data-size <bytes> },\n"
		"            cpu { main-core <n> corelist-workers <a-b,c> | workers <n> } and\n"
		"            memif { tx-stores auto|cached|streaming })\n"
		"  -s PATH   CLI socket (default " LIG_CLI_DEFAULT_SOCKET ")\n"
		"  -a PATH   API socket (default beside the CLI socket: cli.sock -> api.sock,\n"
		"            X.sock -> X.api.sock)\n"
		"  -b N      number of packet buffers (default %u)\n"
		"  -l LEVEL  err|warn|notice|info|debug\n"
		"  -e FILE   CLI commands to run at start-up\n",
		LIG_BUFFER_DEFAULT_COUNT);
}

/* Applies one "key value" line of section `section`; returns 0 or -EINVAL with msg. */
static int
ligd_config_apply(struct ligd_config *c, const char *section, const char *key, const char *value,
		  char *msg, size_t msg_size)
{
	u32 v;

	if (strcmp(section, "unix") == 0) {
		if (strcmp(key, "cli-listen") == 0) {
			if (strlen(value) >= sizeof(c->socket))
				goto too_long;
			snprintf(c->socket, sizeof(c->socket), "%s", value);
			return 0;
		}
		if (strcmp(key, "exec") == 0 || strcmp(key, "startup-config") == 0) {
			if (strlen(value) >= sizeof(c->exec))
				goto too_long;
			snprintf(c->exec, sizeof(c->exec), "%s", value);
			return 0;
		}
		if (strcmp(key, "log-level") == 0) {
			if (lig_log_level_parse(value, &c->log_level) == 0)
				return 0;
			snprintf(msg, msg_size, "log-level must be err|warn|notice|info|debug");
			return -EINVAL;
		}
		if (strcmp(key, "poll-idle-spins") == 0) {
			if (lig_parse_u32(value, &c->idle_spins) == 0)
				return 0;
			snprintf(msg, msg_size, "poll-idle-spins must be a number");
			return -EINVAL;
		}
		if (strcmp(key, "poll-idle-yield") == 0) {
			if (lig_parse_u32(value, &c->idle_yield) == 0)
				return 0;
			snprintf(msg, msg_size, "poll-idle-yield must be a number (0: never)");
			return -EINVAL;
		}
	} else if (strcmp(section, "api") == 0) {
		if (strcmp(key, "socket") == 0) {
			if (strlen(value) >= sizeof(c->api_socket))
				goto too_long;
			snprintf(c->api_socket, sizeof(c->api_socket), "%s", value);
			return 0;
		}
	} else if (strcmp(section, "buffers") == 0) {
		if (strcmp(key, "buffers") == 0 || strcmp(key, "buffers-per-numa") == 0) {
			if (lig_parse_u32(value, &v) == 0 && v >= 1024 && v <= (1u << 22)) {
				c->n_buffers = v;
				return 0;
			}
			snprintf(msg, msg_size, "buffers must be 1024..4194304");
			return -EINVAL;
		}
		/* VPP's "default data-size N" (its one buffer pool is ours), or "data-size N". */
		if (strcmp(key, "default") == 0 && strncmp(value, "data-size", 9) == 0 &&
		    (value[9] == ' ' || value[9] == '\t')) {
			key = "data-size";
			value += 10;
			while (*value == ' ' || *value == '\t')
				value++;
		}
		if (strcmp(key, "data-size") == 0) {
			if (lig_parse_u32(value, &v) == 0 && lig_buffer_data_size_valid(v)) {
				c->buffer_data_size = v;
				return 0;
			}
			snprintf(msg, msg_size, "data-size must be a multiple of %u in %u..%u",
				 LIG_CACHE_LINE, LIG_BUFFER_MIN_DATA_SIZE,
				 LIG_BUFFER_MAX_DATA_SIZE);
			return -EINVAL;
		}
	} else if (strcmp(section, "cpu") == 0) {
		return lig_thread_config_apply(&c->cpu, key, value, msg, msg_size);
	} else if (strcmp(section, "memif") == 0) {
		return lig_memif_config_apply(key, value, msg, msg_size);
	} else {
		snprintf(msg, msg_size, "unknown section '%.60s'", section);
		return -EINVAL;
	}
	snprintf(msg, msg_size, "unknown key '%.60s' in section '%.30s'", key, section);
	return -EINVAL;
too_long:
	snprintf(msg, msg_size, "value of '%s' too long", key);
	return -EINVAL;
}

/*
 * The startup file in VPP's startup.conf shape:
 *   unix { cli-listen /run/ligature/cli.sock  log-level info  exec /etc/ligature/init.cli }
 *   buffers { buffers 16384  default data-size 2048 }
 *   cpu { main-core 0  corelist-workers 1-2 }      (or: workers 2; none: one thread)
 * One "key value" per line; '#' comments.
 */
static int
ligd_config_read(struct ligd_config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4200], section[64] = "", msg[160];
	u32 lineno = 0;
	int rv = 0;

	if (!f) {
		fprintf(stderr, "ligd: cannot open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (rv == 0 && fgets(line, sizeof(line), f)) {
		char *p = line, *key, *value, *end;
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(msg, sizeof(msg), "line too long");
			rv = -EINVAL;
			break;
		}
		p[strcspn(p, "#\r\n")] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (!*p)
			continue;
		if (strcmp(p, "}") == 0) {
			if (!section[0]) {
				snprintf(msg, sizeof(msg), "'}' without a section");
				rv = -EINVAL;
			}
			section[0] = 0;
			continue;
		}
		if (end[-1] == '{') {
			*--end = 0;
			p[strcspn(p, " \t")] = 0; /* the section name is the first word */
			if (section[0] || !*p || strlen(p) >= sizeof(section)) {
				snprintf(msg, sizeof(msg), "bad section header");
				rv = -EINVAL;
				continue;
			}
			memcpy(section, p, strlen(p) + 1);
			continue;
		}
		if (!section[0]) {
			snprintf(msg, sizeof(msg), "'%.60s' outside a section", p);
			rv = -EINVAL;
			continue;
		}
		key = p;
		value = p + strcspn(p, " \t");
		if (*value) {
			*value++ = 0;
			while (*value == ' ' || *value == '\t')
				value++;
		}
		if (!*value) {
			snprintf(msg, sizeof(msg), "'%.60s' needs a value", key);
			rv = -EINVAL;
			continue;
		}
		rv = ligd_config_apply(c, section, key, value, msg, sizeof(msg));
	}
	if (rv == 0 && section[0]) {
		snprintf(msg, sizeof(msg), "section '%s' not closed", section);
		rv = -EINVAL;
	}
	if (rv == 0)
		rv = lig_thread_config_check(&c->cpu, msg, sizeof(msg));
	fclose(f);
	if (rv < 0)
		fprintf(stderr, "ligd: %s:%u: %s\n", path, lineno, msg);
	return rv;
}

static void
ligd_delete_all_interfaces(void)
{
	/* Highest index first: tunnels and sub-interfaces come after their parents. */
	for (u32 i = LIG_IF_MAX; i-- > 1;)
		if (lig_if_get(i))
			lig_if_delete(i);
}

int
main(int argc, char **argv)
{
	struct ligd_config cfg = {
	    .socket = LIG_CLI_DEFAULT_SOCKET,
	    .n_buffers = LIG_BUFFER_DEFAULT_COUNT,
	    .buffer_data_size = LIG_BUFFER_DEFAULT_DATA_SIZE,
	    .log_level = LIG_LOG_NOTICE,
	    .idle_spins = lig_loop_idle_spins,
	    .cpu = {.main_core = -1},
	};
	const char *opt_socket = NULL, *opt_api = NULL, *opt_exec = NULL, *opt_level = NULL,
		   *opt_buffers = NULL;
	int c, rv;

	while ((c = getopt(argc, argv, "c:s:a:b:l:e:h")) != -1) {
		switch (c) {
		case 'c':
			if (ligd_config_read(&cfg, optarg) < 0)
				return 2;
			break;
		case 's':
			opt_socket = optarg;
			break;
		case 'a':
			opt_api = optarg;
			break;
		case 'b':
			opt_buffers = optarg;
			break;
		case 'l':
			opt_level = optarg;
			break;
		case 'e':
			opt_exec = optarg;
			break;
		case 'h':
			ligd_usage(stdout);
			return 0;
		default:
			ligd_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		ligd_usage(stderr);
		return 2;
	}
	/* Command-line flags override the startup file. */
	if (opt_socket)
		snprintf(cfg.socket, sizeof(cfg.socket), "%s", opt_socket);
	if (opt_api) {
		if (strlen(opt_api) >= sizeof(cfg.api_socket)) {
			fprintf(stderr, "ligd: API socket path too long\n");
			return 2;
		}
		snprintf(cfg.api_socket, sizeof(cfg.api_socket), "%s", opt_api);
	}
	if (opt_exec)
		snprintf(cfg.exec, sizeof(cfg.exec), "%s", opt_exec);
	if (opt_level && lig_log_level_parse(opt_level, &cfg.log_level) < 0) {
		fprintf(stderr, "ligd: bad log level '%s'\n", opt_level);
		return 2;
	}
	if (opt_buffers &&
	    (lig_parse_u32(opt_buffers, &cfg.n_buffers) < 0 || cfg.n_buffers < 1024)) {
		fprintf(stderr, "ligd: bad buffer count '%s' (at least 1024)\n", opt_buffers);
		return 2;
	}
	lig_log_level = cfg.log_level;
	lig_loop_idle_spins = cfg.idle_spins;
	lig_loop_idle_yield = cfg.idle_yield;

	rv = lig_buffer_pool_init_sized(cfg.n_buffers, cfg.buffer_data_size);
	if (rv < 0) {
		lig_err("ligd", "buffer pool of %u x %u bytes: %s", cfg.n_buffers,
			cfg.buffer_data_size, strerror(-rv));
		return 1;
	}
	rv = lig_graph_init();
	if (rv == 0)
		rv = lig_loop_init();
	if (rv == 0)
		rv = lig_run_init_functions();
	/* Workers copy the finished graph; everything after this changes tables under the
	 * barrier (the main loop takes it for every batch of control-plane work). */
	if (rv == 0)
		rv = lig_threads_start(&cfg.cpu);
	if (rv == 0)
		rv = lig_cli_server_start(cfg.socket);
	if (rv == 0 && !cfg.api_socket[0])
		rv = lig_api_default_socket(cfg.socket, cfg.api_socket, sizeof(cfg.api_socket));
	if (rv == 0)
		rv = lig_api_server_start(cfg.api_socket);
	if (rv < 0) {
		lig_err("ligd", "start-up failed: %s", strerror(-rv));
		return 1;
	}
	lig_notice("ligd", "started: %u buffers of %u bytes, %u nodes, tsc %.2f GHz", cfg.n_buffers,
		   cfg.buffer_data_size, lig_graph.n_nodes, lig_tsc_hz() / 1e9);
	if (cfg.exec[0]) {
		struct lig_str out = {0};
		lig_barrier_sync();
		rv = lig_cli_exec_file(cfg.exec, &out);
		lig_barrier_release();
		if (out.len)
			fprintf(stderr, "%s", lig_str_cstr(&out));
		lig_str_free(&out);
		if (rv < 0)
			lig_err("ligd", "startup script %s failed", cfg.exec);
	}
	lig_loop_run();

	lig_threads_stop();
	ligd_delete_all_interfaces();
	lig_threads_free();
	lig_api_server_stop();
	lig_cli_server_stop();
	lig_loop_free();
	lig_graph_free();
	lig_buffer_pool_free();
	lig_notice("ligd", "stopped");
	return 0;
}
