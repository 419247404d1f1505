/* SPDX-License-Identifier: Apache-2.0 */
/* loopback API handlers (api.h): the one front end of loopback.c that the socket, the CLI
 * (cli.c) and the agent all call. */
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "api.h"
#include "loopback.h"

static int
lig_loopback_api_create(struct lig_api_call *c, const lig_api_loopback_create_t *req,
			lig_api_loopback_create_reply_t *rep)
{
	const u8 *m = req->mac;
	bool have_mac = m[0] | m[1] | m[2] | m[3] | m[4] | m[5];
	u32 instance = req->instance_set ? req->instance : LIG_INVALID_INDEX;
	u32 sw = 0;

	if (req->instance_set && req->instance >= LIG_LOOPBACK_MAX)
		return lig_api_error(c, -EINVAL, "loopback instance %u out of range (0..%u)",
				     req->instance, LIG_LOOPBACK_MAX - 1);
	if (have_mac && (m[0] & 1))
		return lig_api_error(c, -EINVAL,
				     "loopback: %02x:%02x:%02x:%02x:%02x:%02x is a multicast MAC, "
				     "not an interface's address",
				     m[0], m[1], m[2], m[3], m[4], m[5]);
	int rv = lig_loopback_create(have_mac ? m : NULL, instance, &sw);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "loop%u already exists", req->instance);
	if (rv == -ENOSPC)
		return lig_api_error(c, rv, "no free loopback instance (all %u are in use)",
				     LIG_LOOPBACK_MAX);
	if (rv < 0)
		return lig_api_error(c, rv, "loopback: cannot create: %s", strerror(-rv));
	rep->sw_if_index = sw;
	return 0;
}
LIG_API_HANDLER(loopback_create, lig_loopback_api_create);

/* Checks that sw_if_index is a loopback; its instance in *instance. */
static int
lig_loopback_api_get(struct lig_api_call *c, u32 sw_if_index, u32 *instance)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", sw_if_index);
	if (lig_loopback_instance(sw_if_index, instance) < 0)
		return lig_api_error(c, -EINVAL, "%s is not a loopback interface", ifp->name);
	return 0;
}

static int
lig_loopback_api_delete(struct lig_api_call *c, const lig_api_loopback_delete_t *req,
			lig_api_loopback_delete_reply_t *rep)
{
	u32 instance;
	(void)rep;

	int rv = lig_loopback_api_get(c, req->sw_if_index, &instance);
	if (rv < 0)
		return rv;
	rv = lig_loopback_delete(req->sw_if_index);
	if (rv < 0)
		return lig_api_error(c, rv, "loop%u: cannot delete: %s", instance, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(loopback_delete, lig_loopback_api_delete);

static int
lig_loopback_api_dump(struct lig_api_call *c, const lig_api_loopback_dump_t *req)
{
	u32 from = 1, to = LIG_IF_MAX, instance;

	if (req->sw_if_index) {
		int rv = lig_loopback_api_get(c, req->sw_if_index, &instance);
		if (rv < 0)
			return rv;
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		if (lig_loopback_instance((u32)i, &instance) < 0)
			continue;
		lig_api_loopback_dump_details_t d = {.sw_if_index = (u32)i, .instance = instance};
		memcpy(d.mac, lig_if_get((u32)i)->mac, 6);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(loopback_dump, lig_loopback_api_dump);
