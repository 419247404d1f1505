/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc: ligato/sfc-controller's v2 configuration rendered into lig-agent's keys and kept
 * rendered. Options, start-up and the event loop; --print-world reads a file and prints its
 * nodes and pods for scripts that build a world from it (examples/sfc/). docs/sfc.md. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etcd_conf.h"
#include "log_line.h"
#include "yaml_json.h"
#include "lig_sfc.h"
#ifndef LIG_SFC_NO_RENDER
#include "sfc_render.h"
#endif

struct sfc_daemon D;

void
sfc_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	agent_vlog_line("lig-sfc", fmt, ap);
	va_end(ap);
}

static void
usage(void)
{
	fprintf(
	    stderr,
	    "usage: lig-sfc --sfc-config FILE [--clean] [--etcd-config FILE] [--state-dir DIR]\n"
	    "               [--http-port N] [--http-addr ADDR] [--txn-max-ops N]\n"
	    "       lig-sfc --print-world FILE\n"
	    "       lig-sfc --check FILE\n");
}

/* Parses and validates a file; prints the errors. 0 when valid. */
static int
load_checked(const char *path, struct sfc_model *m)
{
	char *text = NULL;
	size_t size = 0;
	int rc = agent_read_file(path, SFC_DOC_MAX, &text, &size);
	if (rc < 0) {
		fprintf(stderr, "lig-sfc: %s: %s\n", path, strerror(-rc));
		return 1;
	}
	struct sfc_errors e = {0};
	rc = sfc_model_parse_yaml(text, size, path, m, &e);
	free(text);
	if (!rc)
		sfc_model_validate(m, &e);
	for (size_t i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.msg[i]);
	if (e.n_dropped)
		fprintf(stderr, "(%zu more errors)\n", e.n_dropped);
	rc = e.n || e.n_dropped;
	sfc_errors_free(&e);
	if (rc)
		sfc_model_free(m);
	return rc;
}

/* One line per node and per pod: "node <name>", "pod <name> <type> <node>". */
static int
print_world(const char *path)
{
	struct sfc_model m;
	if (load_checked(path, &m))
		return 1;
	for (size_t i = 0; i < m.n_nodes; i++)
		printf("node %s\n", m.nodes[i].meta.name);
	for (size_t i = 0; i < m.n_services; i++)
		for (size_t k = 0; k < m.services[i].n_pods; k++) {
			const struct sfc_pod *p = &m.services[i].pods[k];
			const char *node = sfc_model_pod_node(&m, p->meta.name);
			printf("pod %s %s %s\n", p->meta.name, sfc_pod_type_name(p->pod_type),
			       node ? node : "-");
		}
	sfc_model_free(&m);
	return 0;
}

#ifndef LIG_SFC_NO_RENDER
/* --render: the keys a file renders with fresh allocations, one "key value" line each, then
 * one "status <type>/<name> <oper> <msg>..." line per rendered object; nothing is stored. */
static int
render_file(const char *path)
{
	struct sfc_model m;
	if (load_checked(path, &m))
		return 1;
	struct sfc_alloc *a = sfc_alloc_new();
	struct sfc_render_out out = {0};
	uint64_t t0 = cninfra_now_ms();
	int rc = a ? sfc_render(&m, a, &out) : -ENOMEM;
	uint64_t ms = cninfra_now_ms() - t0;
	char *text = NULL;
	size_t size = 0;
	if (!rc)
		rc = sfc_render_dump(&out, &text, &size);
	if (!rc) {
		fwrite(text, 1, size, stdout);
		for (size_t i = 0; i < out.n_status; i++) {
			const struct sfc_robj_status *st = &out.status[i];
			printf("status %s/%s %s", sfc_obj_type_name(st->type), st->name,
			       sfc_oper_status_name(st->oper));
			for (size_t k = 0; k < st->n_msg; k++)
				printf("%s%s", k ? "; " : " ", st->msg[k]);
			printf("\n");
		}
		fprintf(stderr, "lig-sfc: %s: %zu keys rendered in %llu ms\n", path, out.n_kv,
			(unsigned long long)ms);
	} else {
		fprintf(stderr, "lig-sfc: %s: render: %s\n", path, strerror(-rc));
	}
	free(text);
	sfc_render_out_free(&out);
	sfc_alloc_free(a);
	sfc_model_free(&m);
	return rc ? 1 : 0;
}
#endif

__attribute__((unused)) static void
on_signal(struct cninfra_loop *loop, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	cninfra_loop_quit(loop);
}

__attribute__((unused)) static void
on_render_timer(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	sfc_render_now();
}

#ifndef LIG_SFC_NO_RENDER
static int
store_open(const char *etcd_config, const char *state_dir)
{
	struct agent_etcd_conf ec;
	char endpoint[1024];
	D.kv = agent_etcd_store_open(D.loop, "lig-sfc", etcd_config, state_dir, sfc_log, &ec,
				     endpoint, sizeof(endpoint));
	agent_etcd_conf_free(&ec);
	if (!D.kv)
		return -1;
	sfc_log("store %s (%s)", endpoint, cninfra_kv_backend(D.kv));
	return 0;
}

/* Allocations persisted by an earlier run: the same input renders the same keys. */
static int
alloc_load(void)
{
	struct cninfra_kv_pair *p = NULL;
	int rc = cninfra_kv_get(D.kv, SFC_ALLOC_KEY, &p);
	if (rc == -ENOENT) {
		D.alloc = sfc_alloc_new();
		return D.alloc ? 0 : -ENOMEM;
	}
	if (rc < 0) {
		fprintf(stderr, "lig-sfc: store: reading %s: %s\n", SFC_ALLOC_KEY, strerror(-rc));
		return rc;
	}
	struct sfc_errors e = {0};
	rc = sfc_alloc_from_json(p->value, p->value_size, &D.alloc, &e);
	cninfra_kv_pair_free(p);
	if (rc) {
		char msg[1024];
		sfc_log("%s: refused (%s): allocating afresh, rendered keys may change",
			SFC_ALLOC_KEY, sfc_errors_join(&e, msg, sizeof(msg)));
		sfc_errors_free(&e);
		D.alloc = sfc_alloc_new();
		return D.alloc ? 0 : -ENOMEM;
	}
	sfc_log("allocations: %zu restored", sfc_alloc_count(D.alloc));
	return 0;
}
#endif

int
main(int argc, char **argv)
{
	const char *sfc_config = NULL, *etcd_config = NULL, *state_dir = "/var/lib/ligature/sfc";
	const char *http_addr = "127.0.0.1";
	unsigned http_port = 9191;
	bool clean = false;
	size_t max_ops = 128;
	static const struct option opts[] = {{"sfc-config", required_argument, 0, 'c'},
					     {"clean", no_argument, 0, 'C'},
					     {"etcd-config", required_argument, 0, 'e'},
					     {"state-dir", required_argument, 0, 's'},
					     {"http-port", required_argument, 0, 'p'},
					     {"http-addr", required_argument, 0, 'a'},
					     {"txn-max-ops", required_argument, 0, 't'},
					     {"print-world", required_argument, 0, 'w'},
					     {"check", required_argument, 0, 'k'},
					     {"render", required_argument, 0, 'r'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			sfc_config = optarg;
			break;
		case 'C':
			clean = true;
			break;
		case 'e':
			etcd_config = optarg;
			break;
		case 's':
			state_dir = optarg;
			break;
		case 'p': {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v > 65535) {
				fprintf(stderr, "lig-sfc: --http-port %s: not a port\n", optarg);
				return 2;
			}
			http_port = (unsigned)v;
			break;
		}
		case 'a':
			http_addr = optarg;
			break;
		case 't': {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v > 1000000) {
				fprintf(stderr, "lig-sfc: --txn-max-ops %s: not a count\n", optarg);
				return 2;
			}
			max_ops = v;
			break;
		}
		case 'w':
			return print_world(optarg);
		case 'r':
#ifdef LIG_SFC_NO_RENDER
			fprintf(stderr, "lig-sfc: built without the renderer (sfc/render)\n");
			return 1;
#else
			return render_file(optarg);
#endif
		case 'k': {
			struct sfc_model m;
			int rc = load_checked(optarg, &m);
			if (!rc)
				sfc_model_free(&m);
			return rc;
		}
		default:
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind < argc) {
		usage();
		return 2;
	}
#ifdef LIG_SFC_NO_RENDER
	(void)clean;
	(void)sfc_config;
	(void)etcd_config;
	(void)state_dir;
	(void)http_addr;
	(void)http_port;
	(void)max_ops;
	fprintf(stderr, "lig-sfc: built without the renderer (sfc/render): only --print-world and "
			"--check work\n");
	return 1;
#else
	int ret = 1;
	D.max_ops = max_ops;
	D.loop = cninfra_loop_new();
	if (!D.loop)
		return 1;
	cninfra_loop_signal(D.loop, SIGTERM, on_signal, NULL);
	cninfra_loop_signal(D.loop, SIGINT, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	D.render_timer = cninfra_loop_timer(D.loop, 0, 0, on_render_timer, NULL);
	if (!D.render_timer || store_open(etcd_config, state_dir) < 0)
		goto out;
	struct sfc_errors e = {0};
	int rc;
	D.writer = sfc_writer_open(D.kv, max_ops, &rc, &e);
	if (!D.writer) {
		char msg[1024];
		fprintf(stderr, "lig-sfc: %s\n", sfc_errors_join(&e, msg, sizeof(msg)));
		sfc_errors_free(&e);
		goto out;
	}
	if (clean) {
		struct sfc_wstats st;
		rc = sfc_writer_clean(D.writer, &st);
		if (rc) {
			fprintf(stderr, "lig-sfc: --clean: %s\n", strerror(-rc));
			goto out;
		}
		sfc_log("--clean: %zu keys deleted", st.deletes);
	}
	if (alloc_load() < 0)
		goto out;
	if (sfc_rest_start(http_addr, http_port) < 0)
		goto out;
	if (sfc_config && sfc_file_start(sfc_config) < 0)
		goto out;
	if (sfc_store_start() < 0 || sfc_drift_start() < 0)
		goto out;
	ret = cninfra_loop_run(D.loop) < 0;
out:
	sfc_drift_stop();
	sfc_store_stop();
	sfc_file_stop();
	sfc_rest_stop();
	cninfra_timer_free(D.render_timer);
	sfc_writer_free(D.writer);
	sfc_alloc_free(D.alloc);
	cninfra_kv_close(D.kv);
	cninfra_loop_free(D.loop);
	sfc_model_free(&D.model);
	sfc_errors_free(&D.errors);
	free(D.file);
	free(D.file_text);
	free(D.file_error);
	free(D.render_error);
	return ret;
#endif
}
