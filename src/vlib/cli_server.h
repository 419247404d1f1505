/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CLI socket: a unix stream socket ligctl (and any program) talks to.
 * Request: u32 big-endian length N (1..LIG_CLI_MAX_REQUEST), then N bytes of one command line.
 * Reply: i32 big-endian status (0 or -errno), u32 big-endian length M, then M bytes of text.
 * A connection may carry any number of requests.
 */
#ifndef LIG_CLI_SERVER_H
#define LIG_CLI_SERVER_H

#define LIG_CLI_MAX_REQUEST 65536
#define LIG_CLI_DEFAULT_SOCKET "/run/ligature/cli.sock"

/* Creates the socket at path (mode 0660, parent directory created 0750); returns 0 or -errno. */
int lig_cli_server_start(const char *path);
/* Closes every connection and removes the socket file. */
void lig_cli_server_stop(void);

#endif
