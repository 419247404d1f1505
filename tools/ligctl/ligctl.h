/* SPDX-License-Identifier: Apache-2.0 */
/* ligctl's parts: the CLI client (ligctl.c) and the API front end (api.c). */
#ifndef LIGCTL_H
#define LIGCTL_H

/* `ligctl api <argv...>` against the API socket at api_path; returns the exit status. */
int ligctl_api_main(const char *api_path, int argc, char **argv);

#endif
