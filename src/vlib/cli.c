/* SPDX-License-Identifier: Apache-2.0 */
/* Command matching and argument parsing for the CLI (see cli.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "thread.h"

struct lig_cli_command *lig_cli_commands;

int
lig_parse_u32(const char *s, u32 *value)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > 0xffffffffull)
		return -EINVAL;
	*value = (u32)v;
	return 0;
}

int
lig_parse_mac(const char *s, u8 mac[6])
{
	unsigned int b[6];
	char tail;

	if (!s || strlen(s) != 17)
		return -EINVAL;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = (u8)b[i];
	}
	return 0;
}

int
lig_parse_ip4(const char *s, u32 *addr_net)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*addr_net = a.s_addr;
	return 0;
}

bool
lig_cli_end(const struct lig_cli_input *in)
{
	return in->pos >= in->n_words;
}

const char *
lig_cli_peek(const struct lig_cli_input *in)
{
	return lig_cli_end(in) ? NULL : in->words[in->pos];
}

bool
lig_cli_keyword(struct lig_cli_input *in, const char *keyword)
{
	if (lig_cli_end(in) || strcmp(in->words[in->pos], keyword) != 0)
		return false;
	in->pos++;
	return true;
}

const char *
lig_cli_word(struct lig_cli_input *in)
{
	return lig_cli_end(in) ? NULL : in->words[in->pos++];
}

bool
lig_cli_u32(struct lig_cli_input *in, u32 *value)
{
	if (lig_cli_end(in) || lig_parse_u32(in->words[in->pos], value) < 0)
		return false;
	in->pos++;
	return true;
}

bool
lig_cli_bool(struct lig_cli_input *in, bool *value)
{
	const char *w = lig_cli_peek(in);

	if (!w)
		return false;
	if (!strcmp(w, "1") || !strcmp(w, "on"))
		*value = true;
	else if (!strcmp(w, "0") || !strcmp(w, "off"))
		*value = false;
	else
		return false;
	in->pos++;
	return true;
}

bool
lig_cli_mac(struct lig_cli_input *in, u8 mac[6])
{
	if (lig_cli_end(in) || lig_parse_mac(in->words[in->pos], mac) < 0)
		return false;
	in->pos++;
	return true;
}

bool
lig_cli_ip4(struct lig_cli_input *in, u32 *addr_net)
{
	if (lig_cli_end(in) || lig_parse_ip4(in->words[in->pos], addr_net) < 0)
		return false;
	in->pos++;
	return true;
}

bool
lig_cli_ip4_prefix(struct lig_cli_input *in, u32 *addr_net, u8 *len)
{
	char buf[32];
	const char *w = lig_cli_peek(in);
	const char *slash;
	u32 l;

	if (!w || !(slash = strchr(w, '/')) || (size_t)(slash - w) >= sizeof(buf))
		return false;
	memcpy(buf, w, (size_t)(slash - w));
	buf[slash - w] = 0;
	if (lig_parse_ip4(buf, addr_net) < 0 || lig_parse_u32(slash + 1, &l) < 0 || l > 32)
		return false;
	*len = (u8)l;
	in->pos++;
	return true;
}

int
lig_cli_error(struct lig_cli_input *in, struct lig_str *out, const char *fmt, ...)
{
	va_list ap;

	if (in && in->command)
		lig_str_printf(out, "%s: ", in->command);
	va_start(ap, fmt);
	lig_str_vprintf(out, fmt, ap);
	va_end(ap);
	lig_str_printf(out, "\n");
	return -EINVAL;
}

int
lig_cli_expected(struct lig_cli_input *in, struct lig_str *out, const char *what)
{
	const char *w = lig_cli_peek(in);

	if (w)
		return lig_cli_error(in, out, "expected %s, got '%s'", what, w);
	return lig_cli_error(in, out, "expected %s at end of line", what);
}

int
lig_cli_unknown_input(struct lig_cli_input *in, struct lig_str *out)
{
	return lig_cli_error(in, out, "unknown input '%s'",
			     lig_cli_peek(in) ? lig_cli_peek(in) : "");
}

/* Splits line into words; '#' starts a comment; "quoted words" keep their spaces. */
static int
lig_cli_split(struct lig_cli_input *in, const char *line, struct lig_str *out)
{
	size_t len = strlen(line);
	char *p;

	if (len >= sizeof(in->line)) {
		lig_str_printf(out, "command line too long (%zu bytes, limit %d)\n", len,
			       LIG_CLI_MAX_LINE - 1);
		return -EINVAL;
	}
	memcpy(in->line, line, len + 1);
	in->n_words = in->pos = 0;
	p = in->line;
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (in->n_words == LIG_CLI_MAX_WORDS) {
			lig_str_printf(out, "too many words (limit %d)\n", LIG_CLI_MAX_WORDS);
			return -EINVAL;
		}
		if (*p == '"') {
			char *end = strchr(p + 1, '"');
			if (!end) {
				lig_str_printf(out, "unterminated quote\n");
				return -EINVAL;
			}
			in->words[in->n_words++] = p + 1;
			*end = 0;
			p = end + 1;
			continue;
		}
		in->words[in->n_words++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = 0;
	}
	for (u32 i = 0; i < in->n_words; i++)
		for (const char *c = in->words[i]; *c; c++)
			if (!isprint((unsigned char)*c)) {
				lig_str_printf(out, "non-printable byte 0x%02x in input\n",
					       (unsigned char)*c);
				return -EINVAL;
			}
	return 0;
}

/* How many input words the path matches (each word may be a prefix of the path word),
 * or 0 if it does not match; *exact counts words matched in full. */
static u32
lig_cli_match_path(const char *path, const struct lig_cli_input *in, u32 *exact)
{
	const char *p = path;
	u32 i = 0;

	*exact = 0;
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t plen = end ? (size_t)(end - p) : strlen(p);
		if (i >= in->n_words)
			return 0;
		size_t wlen = strlen(in->words[i]);
		/* An empty word ("") is a prefix of everything: it matches nothing. */
		if (wlen == 0 || wlen > plen || strncmp(p, in->words[i], wlen) != 0)
			return 0;
		if (wlen == plen)
			(*exact)++;
		i++;
		p += plen;
		while (*p == ' ')
			p++;
	}
	return i;
}

static int
lig_cli_help(struct lig_cli_input *in, struct lig_str *out)
{
	const char *filter = lig_cli_word(in);
	u32 n = 0;

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);

	for (struct lig_cli_command *c = lig_cli_commands; c; c = c->next_command)
		n++;
	struct lig_cli_command **sorted = calloc(n ? n : 1, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	n = 0;
	for (struct lig_cli_command *c = lig_cli_commands; c; c = c->next_command)
		sorted[n++] = c;
	for (u32 i = 1; i < n; i++)
		for (u32 j = i; j > 0 && strcmp(sorted[j - 1]->path, sorted[j]->path) > 0; j--) {
			struct lig_cli_command *t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (u32 i = 0; i < n; i++)
		if (!filter || strncmp(sorted[i]->path, filter, strlen(filter)) == 0)
			lig_str_printf(out, "  %-40s %s\n", sorted[i]->path,
				       sorted[i]->short_help ? sorted[i]->short_help : "");
	free(sorted);
	return 0;
}

LIG_CLI_COMMAND(lig_cli_help_command) = {
    .path = "help",
    .short_help = "help [<prefix>]: list commands",
    .function = lig_cli_help,
    .mp_safe = true, /* the command table, fixed at start-up */
};

int
lig_cli_execute(const char *line, struct lig_str *out)
{
	struct lig_cli_input *in = calloc(1, sizeof(*in));
	struct lig_cli_command *best = NULL;
	u32 best_words = 0, best_exact = 0, n_best = 0;
	int rv;

	if (!in)
		return -ENOMEM;
	rv = lig_cli_split(in, line, out);
	if (rv < 0 || in->n_words == 0)
		goto done;
	for (struct lig_cli_command *c = lig_cli_commands; c; c = c->next_command) {
		u32 exact, words = lig_cli_match_path(c->path, in, &exact);
		if (words == 0)
			continue;
		/* Longest path wins; among equals, more words typed in full; a tie is
		 * ambiguous ("s" could be set or show). */
		if (words > best_words || (words == best_words && exact > best_exact)) {
			best = c;
			best_words = words;
			best_exact = exact;
			n_best = 1;
		} else if (words == best_words && exact == best_exact) {
			n_best++;
		}
	}
	if (!best) {
		lig_str_printf(out, "unknown command: '%s' (try 'help')\n", in->words[0]);
		rv = -ENOENT;
		goto done;
	}
	if (n_best > 1) {
		lig_str_printf(out, "ambiguous command: '%s' matches several commands\n", line);
		rv = -EINVAL;
		goto done;
	}
	in->pos = best_words;
	in->command = best->path;
	/* With workers, every command but the mp-safe ones runs under the barrier (one pause
	 * per command, named after it in show threads); lookup and parsing above do not.
	 * Nests inside a barrier the caller holds. */
	if (best->mp_safe) {
		rv = best->function(in, out);
	} else {
		lig_barrier_sync();
		lig_barrier_kind(best->path);
		rv = best->function(in, out);
		lig_barrier_release();
	}
	if (rv == 0 && !lig_cli_end(in)) {
		/* Handlers stop at what they understand; the rest is the user's mistake. */
		lig_str_reset(out);
		rv = lig_cli_unknown_input(in, out);
	}
done:
	free(in);
	return rv;
}

int
lig_cli_api_result(struct lig_cli_input *in, struct lig_str *out, int rv, const char *error)
{
	if (rv < 0)
		lig_cli_error(in, out, "%s", error && error[0] ? error : strerror(-rv));
	return rv;
}

static struct lig_running_config *lig_running_configs;

void
lig_running_config_register(struct lig_running_config *r)
{
	struct lig_running_config **pp = &lig_running_configs;

	/* Kept sorted by order, then name, so the output is stable. */
	while (*pp && ((*pp)->order < r->order ||
		       ((*pp)->order == r->order && strcmp((*pp)->name, r->name) < 0)))
		pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
}

static int
lig_cli_show_running_config(struct lig_cli_input *in, struct lig_str *out)
{
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	for (struct lig_running_config *r = lig_running_configs; r; r = r->next)
		r->fn(out);
	return 0;
}

LIG_CLI_COMMAND(lig_cli_show_running_config_command) = {
    .path = "show running-config",
    .short_help = "show running-config: the commands that recreate this configuration",
    .function = lig_cli_show_running_config,
    /* Sections read configuration (main's) through the API's dumps; a dump that is not
     * mp-safe takes the barrier for itself (lig_api_dump_local). */
    .mp_safe = true,
};
