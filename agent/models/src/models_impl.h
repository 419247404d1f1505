/* SPDX-License-Identifier: Apache-2.0 */
/* The per-model functions registry.c puts in the model table: validate, check_supported and
 * key_name of each model (vpp_interface.c, vpp_l2.c, vpp_l3.c, linux.c). Internal to
 * libligagent_models. */
#ifndef LIG_MODELS_IMPL_H
#define LIG_MODELS_IMPL_H

#include <stddef.h>

#include "lig_models.h"

#define LIG_MODEL_FUNCS(prefix)                                                                    \
	int prefix##_validate(const void *value, struct lig_model_error *err);                     \
	int prefix##_supported(const void *value, struct lig_model_error *err);                    \
	int prefix##_key_name(const void *value, char *buf, size_t size)

LIG_MODEL_FUNCS(lig_vpp_interface);
LIG_MODEL_FUNCS(lig_vpp_bridge_domain);
LIG_MODEL_FUNCS(lig_vpp_l2_fib);
LIG_MODEL_FUNCS(lig_vpp_xconnect);
LIG_MODEL_FUNCS(lig_vpp_vrf_table);
LIG_MODEL_FUNCS(lig_vpp_route);
LIG_MODEL_FUNCS(lig_vpp_arp);
LIG_MODEL_FUNCS(lig_linux_interface);
LIG_MODEL_FUNCS(lig_linux_route);
LIG_MODEL_FUNCS(lig_linux_arp);
LIG_MODEL_FUNCS(lig_vpp_acl);
LIG_MODEL_FUNCS(lig_vpp_nat44_global);
LIG_MODEL_FUNCS(lig_vpp_dnat44);
LIG_MODEL_FUNCS(lig_vpp_nat44_interface);
LIG_MODEL_FUNCS(lig_vpp_nat44_pool);

/* snprintf into buf as key_name returns it: the length, or -ENOSPC when it did not fit. */
int lig_key_printf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Cleans a slash-separated path in place as Go's path.Clean (vpp-agent builds keys with
 * path.Join): no empty, "." or resolvable ".." elements, no trailing slash. */
void lig_path_clean(char *path);

/* ligd's limits the checks enforce (docs/api.md). */
#define LIG_LIGD_MTU_MIN 68
#define LIG_LIGD_MTU_MAX 65517
#define LIG_LIGD_MEMIF_RING_MAX 16384
#define LIG_LIGD_MEMIF_BUF_MIN 128
#define LIG_LIGD_MEMIF_BUF_MAX 65536
#define LIG_LIGD_MEMIF_QUEUES_MAX 16
#define LIG_LIGD_MEMIF_SECRET_MAX 24
#define LIG_LIGD_SOCKET_PATH_MAX 107 /* a sockaddr_un path without its NUL */
#define LIG_LIGD_VNI_MAX 16777215
#define LIG_LIGD_BD_MAC_AGE_MAX 255
#define LIG_LIGD_SHG_MAX 255
#define LIG_LIGD_WEIGHT_MAX 255

#endif
