/* SPDX-License-Identifier: Apache-2.0 */
/* CLI of worker-handoff (worker_handoff.h): set interface handoff. */
#include <errno.h>

#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "../vlib/thread.h"
#include "worker_handoff.h"

/* set interface handoff <if> worker <n> [arc l2-input] [disable] */
static int
lig_cli_set_interface_handoff(struct lig_cli_input *in, struct lig_str *out)
{
	const char *name = lig_cli_word(in);
	enum lig_feature_arc arc = LIG_FEATURE_ARC_L2_INPUT;
	u32 worker = 0;
	bool enable = true, have_worker = false;

	if (!name)
		return lig_cli_expected(in, out, "interface name");
	struct lig_interface *ifp = lig_if_by_name(name);
	if (!ifp)
		return lig_cli_error(in, out, "unknown interface '%.64s'", name);
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "worker")) {
			if (!lig_cli_u32(in, &worker))
				return lig_cli_expected(in, out, "worker number");
			have_worker = true;
		} else if (lig_cli_keyword(in, "arc")) {
			if (lig_cli_keyword(in, "l2-input"))
				arc = LIG_FEATURE_ARC_L2_INPUT;
			else
				return lig_cli_expected(in, out, "l2-input");
		} else if (lig_cli_keyword(in, "disable")) {
			enable = false;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (enable && !have_worker)
		return lig_cli_expected(in, out, "worker <n>");
	int r = lig_worker_handoff_enable(ifp->sw_if_index, arc, worker, enable);
	if (r == -EINVAL)
		return lig_cli_error(in, out, "%s: no worker %u (ligd has %u workers)", ifp->name,
				     worker, lig_n_workers);
	if (r < 0)
		return lig_cli_error(in, out, "%s: cannot %s handoff: %s", ifp->name,
				     enable ? "enable" : "disable", strerror(-r));
	return 0;
}

LIG_CLI_COMMAND(lig_set_interface_handoff_command) = {
    .path = "set interface handoff",
    .short_help = "set interface handoff <if> worker <n> [arc l2-input] [disable]: "
		  "hand every packet the interface receives to worker n (debug)",
    .function = lig_cli_set_interface_handoff,
};
