/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CLI core: commands register a path ("show interface") and a handler; input is
 * split into words and matched against paths, each word by unique prefix as in VPP
 * ("sh int"). Handlers parse their arguments with the lig_cli_* helpers, call the one
 * internal function for the operation, and write the reply or a one-line error.
 */
#ifndef LIG_CLI_H
#define LIG_CLI_H

#include "../infra/lig_common.h"
#include "str.h"

#define LIG_CLI_MAX_WORDS 512 /* a line of VPP's ACL syntax holds about 50 rules in 4 KiB */
#define LIG_CLI_MAX_LINE 4096

struct lig_cli_input {
	char *words[LIG_CLI_MAX_WORDS];
	u32 n_words;
	u32 pos;
	char line[LIG_CLI_MAX_LINE];
	const char *command; /* the matched command path, for error messages */
};

/* Returns 0 or -errno; on error the handler wrote one line saying what was wrong. */
typedef int(lig_cli_fn_t)(struct lig_cli_input *in, struct lig_str *out);

struct lig_cli_command {
	const char *path;
	const char *short_help;
	lig_cli_fn_t *function;
	/* Runs without the barrier (VPP's is_mp_safe): the handler only changes what is
	 * published to workers atomically and freed through lig_rcu_call (routes). */
	bool mp_safe;
	struct lig_cli_command *next_command;
};

extern struct lig_cli_command *lig_cli_commands;

#define LIG_CLI_COMMAND(x)                                                                         \
	struct lig_cli_command x;                                                                  \
	static void LIG_CONSTRUCTOR(200) lig_register_cli_##x(void)                                \
	{                                                                                          \
		x.next_command = lig_cli_commands;                                                 \
		lig_cli_commands = &x;                                                             \
	}                                                                                          \
	struct lig_cli_command x

/* Runs one command line; returns the handler's result, -ENOENT for an unknown command,
 * -EINVAL for a malformed line. out gets the reply or a one-line error. */
int lig_cli_execute(const char *line, struct lig_str *out);

/* Runs a file of commands, stopping at the first that fails; returns 0 or its error. */
int lig_cli_exec_file(const char *path, struct lig_str *out);

/* Argument helpers: each consumes the next word only when it matches. */
bool lig_cli_end(const struct lig_cli_input *in);
const char *lig_cli_peek(const struct lig_cli_input *in);
bool lig_cli_keyword(struct lig_cli_input *in, const char *keyword);
const char *lig_cli_word(struct lig_cli_input *in);
bool lig_cli_u32(struct lig_cli_input *in, u32 *value);
bool lig_cli_mac(struct lig_cli_input *in, u8 mac[6]);
bool lig_cli_ip4(struct lig_cli_input *in, u32 *addr_net);
bool lig_cli_ip4_prefix(struct lig_cli_input *in, u32 *addr_net, u8 *len);
/* Parses "0" or "1" (also "on"/"off"). */
bool lig_cli_bool(struct lig_cli_input *in, bool *value);

/* Errors name the command and the offending word: "create bridge-domain: expected <id>,
 * got 'x'". Each returns -EINVAL for `return lig_cli_error(...)`. */
int lig_cli_error(struct lig_cli_input *in, struct lig_str *out, const char *fmt, ...)
    LIG_PRINTF(3, 4);
int lig_cli_expected(struct lig_cli_input *in, struct lig_str *out, const char *what);
int lig_cli_unknown_input(struct lig_cli_input *in, struct lig_str *out);

/* Reports a failed API call (reply status text) as one line naming the command, for
 * `return lig_cli_api_result(in, out, rv, rep.error)`; returns rv. */
int lig_cli_api_result(struct lig_cli_input *in, struct lig_str *out, int rv, const char *error);

/*
 * show running-config: each module renders its configuration as the CLI commands that
 * recreate it, from its own API dump (so CLI, API and running-config cannot drift).
 * Sections run in ascending order: 100 interfaces are created, 200 interface settings
 * (mac, mtu, state), 300 L2 (bridge domains, then ports and xconnects), 400 VRF tables
 * and addresses, 500 routes, neighbours and tunnels, 600 what depends on all of them.
 */
typedef void(lig_running_config_fn_t)(struct lig_str *out);
struct lig_running_config {
	const char *name;
	u32 order;
	lig_running_config_fn_t *fn;
	struct lig_running_config *next;
};
void lig_running_config_register(struct lig_running_config *r);
#define LIG_RUNNING_CONFIG(rname, rorder, rfn)                                                     \
	static struct lig_running_config lig_running_config_##rfn = {                              \
	    .name = rname, .order = rorder, .fn = rfn};                                            \
	static void LIG_CONSTRUCTOR(210) lig_running_config_register_##rfn(void)                   \
	{                                                                                          \
		lig_running_config_register(&lig_running_config_##rfn);                            \
	}

/* Text parsers shared with the startup file and tests; return 0 or -EINVAL. */
int lig_parse_mac(const char *s, u8 mac[6]);
int lig_parse_u32(const char *s, u32 *value);
int lig_parse_ip4(const char *s, u32 *addr_net);

#endif
