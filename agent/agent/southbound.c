/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent southbound: the connection to ligd's API socket. Every (re)connection is a full resync.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include <sys/epoll.h>

bool
agent_api_up(struct lig_sched_err *err)
{
	if (A.api)
		return true;
	lig_sched_err_set(err, "ligd is not connected");
	return false;
}

/* Checks a call's result; a transport error marks the connection lost. */
int
agent_api_rc(int rc, const char *what, const char *text, struct lig_sched_err *err)
{
	if (rc == 0)
		return 0;
	if (rc == -EPIPE || rc == -ECONNRESET || rc == -ENOTCONN || rc == -ETIMEDOUT)
		A.lost_api = true;
	if (err)
		lig_sched_err_set(err, "%s: %s", what,
				  text && *text ? text : lig_api_last_error(A.api));
	return rc;
}

/* ---- southbound: ligd ---- */

void
agent_api_lost(void)
{
	A.lost_api = false;
	if (!A.api)
		return;
	agent_log("ligd went away; reconnecting");
	cninfra_loop_unwatch(A.api_watch);
	A.api_watch = NULL;
	lig_api_disconnect(A.api);
	A.api = NULL;
	agent_status_disconnected();
	/* Tries every 50 ms (a refused connect costs microseconds): a restarted ligd gets its
	 * configuration back that much sooner. */
	cninfra_timer_set(A.connect_timer, 50, 50);
}

static void
api_fd(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)fd;
	(void)arg;
	if ((events & (EPOLLHUP | EPOLLERR)) || lig_api_poll_events(A.api, 0) < 0)
		agent_api_lost();
}

void
agent_connect_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)arg;
	if (A.api)
		return;
	char err[256];
	A.api = lig_api_connect_timeout(A.ligd_socket, 5000, err, sizeof(err));
	if (!A.api) {
		static char last[256];
		if (strcmp(last, err) != 0)
			agent_log("waiting for ligd at %s: %s", A.ligd_socket, err);
		snprintf(last, sizeof(last), "%s", err);
		return;
	}
	cninfra_timer_set(t, 0, 0);
	A.api_watch = cninfra_loop_watch_fd(A.loop, lig_api_fd(A.api), EPOLLIN, api_fd, NULL);
	agent_log("connected to ligd at %s", A.ligd_socket);
	agent_status_connected();
	if (A.synced) {
		lig_sched_txn_free(A.batch);
		A.batch = NULL;
		agent_full_resync("ligd connected");
		agent_after_txn();
	}
}
