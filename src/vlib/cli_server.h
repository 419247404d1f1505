/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CLI socket: a unix stream socket ligctl (and any program) talks to.
 * Request: u32 big-endian length N (1..LIG_CLI_MAX_REQUEST), then N bytes of one command line.
 * Reply: i32 big-endian status (0 or -errno), u32 big-endian length M, then M bytes of text.
 * A connection may carry any number of requests.
 */
#ifndef LIG_CLI_SERVER_H
#define LIG_CLI_SERVER_H

#include <stddef.h>

#define LIG_CLI_MAX_REQUEST 65536
#define LIG_CLI_DEFAULT_SOCKET "/run/ligature/cli.sock"

/* Creates the socket at path (mode 0660, parent directory created 0750); returns 0 or -errno. */
int lig_cli_server_start(const char *path);
/* The socket path in use ("" before start); other sockets of this ligd instance (e.g.
 * memif.sock) go in the same directory so that instances can run side by side. */
const char *lig_cli_server_path(void);
/* Writes "<directory of the CLI socket>/<name>" into buf; returns 0 or -ENAMETOOLONG. */
int lig_runtime_path(const char *name, char *buf, size_t size);

/* Closes every connection and removes the socket file. */
void lig_cli_server_stop(void);

#endif
