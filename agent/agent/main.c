/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: vpp-agent's role for ligd. Watches /vnf-agent/<label>/config/ in the KV store
 * (etcd with --etcd-config, else the embedded store in --state-dir), decodes each value with
 * agent/models and applies the desired state to ligd through the scheduler (agent/scheduler),
 * whose descriptors call libligapi. One scheduler transaction per watch batch; the initial list
 * and every (re)connection to ligd is a full resync. REST (vpp-agent's endpoints, optional token
 * and TLS): rest.c. See docs/agent.md ("lig-agent"). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"

struct agent A;

/* ---- the scheduler ---- */

static void
retry_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	lig_sched_run_retries(A.sched);
	agent_after_txn();
}

static void
retry_timer(void *ctx, int64_t delay_ns)
{
	(void)ctx;
	if (delay_ns < 0)
		cninfra_timer_set(A.retry_timer, 0, 0);
	else
		cninfra_timer_set(A.retry_timer, (uint64_t)delay_ns / 1000000 + 1, 0);
}

/* Transactions are logged through a buffered stream of their own on stderr's descriptor
 * (stderr is unbuffered: a record of 100 000 operations was several hundred thousand writes),
 * flushed after each record, so other lines never land inside one. */
static FILE *txn_log;

static void
on_txn(void *ctx, const struct lig_sched_txn_record *r)
{
	(void)ctx;
	if (r->n_ops) {
		FILE *f = txn_log ? txn_log : stderr;
		lig_sched_txn_print(r, f);
		fflush(f);
	}
	agent_rest_on_txn(r);
}

/* ---- start-up ---- */

static void
on_signal(struct cninfra_loop *loop, int signo, void *arg)
{
	(void)arg;
	agent_log("signal %d: stopping", signo);
	cninfra_loop_quit(loop);
}

static void
usage(void)
{
	fprintf(stderr, "usage: MICROSERVICE_LABEL=<label> lig-agent [--etcd-config FILE] "
			"[--state-dir DIR] [--ligd-socket PATH] [--http-port N] "
			"[--status-interval SECONDS] [--config-file FILE]\n");
	fprintf(stderr, "       REST: [--http-addr ADDR] [--http-token FILE] "
			"[--http-cert FILE --http-key FILE]\n");
}

int
main(int argc, char **argv)
{
	const char *etcd_config = NULL, *state_dir = "/var/lib/ligature/agent", *config_file = NULL;
	A.ligd_socket = "/run/ligature/api.sock";
	long http_port = 9191;
	struct agent_rest_opts ropts = {0};
	static const struct option opts[] = {{"etcd-config", required_argument, 0, 'e'},
					     {"state-dir", required_argument, 0, 'd'},
					     {"ligd-socket", required_argument, 0, 's'},
					     {"http-port", required_argument, 0, 'p'},
					     {"http-addr", required_argument, 0, 'A'},
					     {"http-token", required_argument, 0, 'T'},
					     {"http-cert", required_argument, 0, 'C'},
					     {"http-key", required_argument, 0, 'K'},
					     {"status-interval", required_argument, 0, 'S'},
					     {"config-file", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "f:e:d:s:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			etcd_config = optarg;
			break;
		case 'd':
			state_dir = optarg;
			break;
		case 's':
			A.ligd_socket = optarg;
			break;
		case 'p':
			http_port = strtol(optarg, NULL, 10);
			if (http_port < 0 || http_port > 65535) {
				usage();
				return 2;
			}
			break;
		case 'S':
			if (agent_status_set_interval(optarg) < 0) {
				usage();
				return 2;
			}
			break;
		case 'f':
			config_file = optarg;
			break;
		case 'A':
			ropts.addr = optarg;
			break;
		case 'T':
			ropts.token_file = optarg;
			break;
		case 'C':
			ropts.tls_cert_file = optarg;
			break;
		case 'K':
			ropts.tls_key_file = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	const char *label = getenv("MICROSERVICE_LABEL");
	if (!label || !*label)
		label = LIG_MODEL_DEFAULT_LABEL;
	if (strlen(label) > LIG_MODEL_LABEL_MAX || strchr(label, '/')) {
		fprintf(stderr, "lig-agent: bad MICROSERVICE_LABEL %s\n", label);
		return 2;
	}
	snprintf(A.label, sizeof(A.label), "%s", label);
	snprintf(A.prefix, sizeof(A.prefix), LIG_MODEL_KEY_ROOT "%s/config/", A.label);
	snprintf(A.if_prefix, sizeof(A.if_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_INTERFACE)->key_prefix + strlen("config/"));
	snprintf(A.bd_prefix, sizeof(A.bd_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN)->key_prefix + strlen("config/"));

	snprintf(A.rt_prefix, sizeof(A.rt_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_ROUTE)->key_prefix + strlen("config/"));
	int ret = 1;
	A.loop = cninfra_loop_new();
	if (!A.loop)
		return 1;
	cninfra_loop_signal(A.loop, SIGTERM, on_signal, NULL);
	cninfra_loop_signal(A.loop, SIGINT, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	int log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (log_fd >= 0 && !(txn_log = fdopen(log_fd, "w")))
		close(log_fd);
	if (txn_log)
		setvbuf(txn_log, NULL, _IOFBF, 1 << 16);
	struct lig_sched_config scfg = {.retry_timer = retry_timer, .on_txn = on_txn};
	A.sched = lig_sched_new(&scfg);
	A.retry_timer = cninfra_loop_timer(A.loop, 0, 0, retry_fire, NULL);
	A.batch_timer = cninfra_loop_timer(A.loop, 0, 0, agent_batch_fire, NULL);
	A.connect_timer = cninfra_loop_timer(A.loop, 0, 500, agent_connect_fire, NULL);
	if (!A.sched || !A.retry_timer || !A.batch_timer || !A.connect_timer ||
	    agent_plugins_register(A.sched) < 0 || agent_status_init() < 0) {
		fprintf(stderr, "lig-agent: start-up failed: %s\n", strerror(errno));
		goto out;
	}
	cninfra_timer_set(A.retry_timer, 0, 0);
	cninfra_timer_set(A.batch_timer, 0, 0);
	if (agent_store_open(etcd_config, state_dir) < 0)
		goto out;
	ropts.port = (uint16_t)http_port;
	A.http = agent_rest_start(A.loop, &ropts);
	if (!A.http)
		goto out;
	agent_rest_register(A.http);
	if ((config_file && agent_file_source_start(config_file) < 0) || agent_store_watch() < 0)
		goto out;
	agent_log("label %s, ligd %s, http port %u", A.label, A.ligd_socket,
		  cninfra_http_port(A.http));
	ret = cninfra_loop_run(A.loop) < 0;
	agent_log("stopped");
out:
	agent_file_source_stop();
	cninfra_datasync_free(A.ds);
	agent_rest_stop();
	cninfra_kv_close(A.kv);
	lig_sched_txn_free(A.batch);
	if (A.api_watch)
		cninfra_loop_unwatch(A.api_watch);
	if (A.api)
		lig_api_disconnect(A.api);
	cninfra_timer_free(A.retry_timer);
	cninfra_timer_free(A.batch_timer);
	cninfra_timer_free(A.connect_timer);
	agent_status_free();
	lig_sched_free(A.sched);
	A.sched = NULL; /* a commit still posted to the loop runs in cninfra_loop_free: nothing */
	agent_items_clear();
	free(A.items);
	if (txn_log)
		fclose(txn_log);
	cninfra_loop_free(A.loop);
	return ret;
}
