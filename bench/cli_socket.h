/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bench programs' client of ligd's CLI socket (api_latency, api_routes): a request is
 * a big-endian u32 length and the command line; a reply a big-endian i32 status, u32
 * length and the text.
 */
#ifndef LIG_BENCH_CLI_SOCKET_H
#define LIG_BENCH_CLI_SOCKET_H

#include <stddef.h>

/* Connects to the CLI socket at path; returns the fd, or -1. */
int cli_connect(const char *path);
/* Sends one command line and reads its reply; the text (cut to out_size) into out unless
 * out is NULL. Returns ligd's status (0 ok, negative errno), or -1 on a broken
 * connection or a line too long to send. */
int cli_call(int fd, const char *line, char *out, size_t out_size);

#endif
