/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for cninfra's tests: temp dirs, free ports, child processes killed by PID (and on the
 * parent's death), a real curl client, and an etcd server per test. */
#ifndef CNINFRA_TESTUTIL_H
#define CNINFRA_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* mkdtemp under /tmp; returns a malloc'd path or NULL. */
char *tu_tmpdir(const char *tag);
/* rm -rf path (no shell). Accepts NULL. */
void tu_rmrf(const char *path);
/* A TCP port on 127.0.0.1 that was free a moment ago. */
uint16_t tu_free_port(void);
/* fork+exec argv with stdout/stderr to log (NULL: inherit). The child dies with the parent. */
pid_t tu_spawn(char *const argv[], const char *log);
/* SIGKILL (or sig) pid and reap it. Accepts pid <= 0. */
void tu_kill(pid_t pid, int sig);
/* Waits up to timeout_ms for pid to exit; returns its wait status or -1 on timeout. */
int tu_wait_exit(pid_t pid, int timeout_ms);
/* Runs the curl binary: method, url, optional body. Returns the HTTP status (0: no answer) and a
 * malloc'd body in *out (may be NULL). */
int tu_curl(const char *method, const char *url, const char *body, char **out);
/* Starts etcd in dir on fresh ports and waits until it answers. Returns its pid or -1. *port is
 * the client port; pass a non-zero *port (and the same peer_port) to restart on the same ones. */
pid_t tu_etcd_start(const char *dir, uint16_t *port, uint16_t *peer_port);
/* Reads a whole file; returns a malloc'd NUL-terminated buffer or NULL. */
char *tu_read_file(const char *path);
void tu_sleep_ms(unsigned ms);
/* Prints a file (a child's log) to stderr, for failure diagnostics. */
void tu_dump(const char *path);

#endif
