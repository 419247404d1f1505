/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loopback interfaces (loop<n>): what is sent out of one comes back in on it. As a
 * bridge domain's BVI that is the bridge's routed port: L3 transmits on loop0, the frame
 * re-enters ethernet-input on loop0 and, loop0 being a bridge port, is bridged.
 */
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/trace.h"
#include "loopback.h"

enum {
	LIG_LOOP_NEXT_ETHERNET_INPUT,
	LIG_LOOP_N_NEXT,
};

#define LIG_LOOP_MAX 1024
static u8 lig_loop_used[LIG_LOOP_MAX];

static const struct lig_if_class lig_loopback_class;

static u32
lig_loopback_tx_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 n = frame->n_vectors;

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(frame->buffers[i]);
		struct lig_interface *ifp = lig_if_get(b->sw_if_index[LIG_TX]);
		b->sw_if_index[LIG_RX] = b->sw_if_index[LIG_TX];
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (ifp) {
			ifp->counters.rx_packets++;
			ifp->counters.rx_bytes += lig_buffer_length_in_chain(b);
		}
	}
	lig_enqueue_n(node, LIG_LOOP_NEXT_ETHERNET_INPUT, frame->buffers, n);
	return n;
}

LIG_REGISTER_NODE(lig_loopback_tx_node) = {
    .name = "loopback-tx",
    .function = lig_loopback_tx_fn,
    .n_next_nodes = LIG_LOOP_N_NEXT,
    .next_nodes = {[LIG_LOOP_NEXT_ETHERNET_INPUT] = "ethernet-input"},
};

static int
lig_loopback_admin(struct lig_interface *ifp, bool up)
{
	lig_if_set_link(ifp->sw_if_index, up); /* a loopback's link follows its admin state */
	return 0;
}

static void
lig_loopback_destroy(struct lig_interface *ifp)
{
	if (ifp->dev_instance < LIG_LOOP_MAX)
		lig_loop_used[ifp->dev_instance] = 0;
}

static const struct lig_if_class lig_loopback_class = {
    .name = "loopback",
    .tx_node_name = "loopback-tx",
    .admin_up_down = lig_loopback_admin,
    .destroy = lig_loopback_destroy,
};

int
lig_loopback_create(const u8 *mac, u32 instance, u32 *sw_if_index)
{
	char name[32];

	if (instance == LIG_INVALID_INDEX) {
		for (instance = 0; instance < LIG_LOOP_MAX && lig_loop_used[instance]; instance++)
			;
	}
	if (instance >= LIG_LOOP_MAX)
		return -ENOSPC;
	if (lig_loop_used[instance])
		return -EEXIST;
	/* As lig_if_set_mac: ethernet-input would drop every frame it sent (bad-src-mac). */
	if (mac && ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])))
		return -EINVAL;
	snprintf(name, sizeof(name), "loop%u", instance);
	struct lig_interface *ifp = lig_if_create(&lig_loopback_class, name, NULL, mac);
	if (!ifp)
		return -errno;
	ifp->dev_instance = instance;
	lig_loop_used[instance] = 1;
	*sw_if_index = ifp->sw_if_index;
	return 0;
}

int
lig_loopback_delete(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp || ifp->class != &lig_loopback_class)
		return -ENOENT;
	return lig_if_delete(sw_if_index);
}

static int
lig_loopback_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	u8 mac[6];
	bool have_mac = false;
	u32 instance = LIG_INVALID_INDEX, sw;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "mac")) {
			if (!lig_cli_mac(in, mac))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
			have_mac = true;
		} else if (lig_cli_keyword(in, "instance")) {
			if (!lig_cli_u32(in, &instance) || instance >= LIG_LOOP_MAX)
				return lig_cli_expected(in, out, "<instance> (0..1023)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	int rv = lig_loopback_create(have_mac ? mac : NULL, instance, &sw);
	if (rv < 0)
		return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
	lig_str_printf(out, "%s\n", lig_if_get(sw)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_loopback_create_command) = {
    .path = "loopback create-interface",
    .short_help = "loopback create-interface [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

/* VPP accepts both spellings; so do we. */
LIG_CLI_COMMAND(lig_loopback_create_short_command) = {
    .path = "loopback create",
    .short_help = "loopback create [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

LIG_CLI_COMMAND(lig_create_loopback_command) = {
    .path = "create loopback interface",
    .short_help = "create loopback interface [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

static int
lig_loopback_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw;

	if (!lig_cli_keyword(in, "intfc"))
		return lig_cli_expected(in, out, "intfc <interface>");
	int rv = lig_cli_expect_interface(in, out, &sw);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_loopback_delete(sw);
	if (rv < 0)
		return lig_cli_error(in, out, "not a loopback interface"), rv;
	return 0;
}

LIG_CLI_COMMAND(lig_loopback_delete_command) = {
    .path = "loopback delete-interface",
    .short_help = "loopback delete-interface intfc <interface>",
    .function = lig_loopback_cli_delete,
};

LIG_MODULE(loopback, .depends = {"interface", "ethernet"});
