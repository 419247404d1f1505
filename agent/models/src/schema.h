/* SPDX-License-Identifier: Apache-2.0 */
/* The message and enum tables of every model (schema.c), as in vpp-agent's .proto files.
 * Internal to libligagent_models. */
#ifndef LIG_MODELS_SCHEMA_H
#define LIG_MODELS_SCHEMA_H

#include "pbjson.h"

/* Top-level messages, one per model. */
extern const struct lig_pb_message lig_pb_vpp_interface;
extern const struct lig_pb_message lig_pb_vpp_bridge_domain;
extern const struct lig_pb_message lig_pb_vpp_l2_fib;
extern const struct lig_pb_message lig_pb_vpp_xconnect;
extern const struct lig_pb_message lig_pb_vpp_vrf_table;
extern const struct lig_pb_message lig_pb_vpp_route;
extern const struct lig_pb_message lig_pb_vpp_arp;
extern const struct lig_pb_message lig_pb_linux_interface;
extern const struct lig_pb_message lig_pb_linux_route;
extern const struct lig_pb_message lig_pb_linux_arp;
extern const struct lig_pb_message lig_pb_vpp_acl;
extern const struct lig_pb_enum lig_pb_enum_vpp_acl_action;
extern const struct lig_pb_message lig_pb_vpp_nat44_global;
extern const struct lig_pb_message lig_pb_vpp_dnat44;
extern const struct lig_pb_message lig_pb_vpp_nat44_interface;
extern const struct lig_pb_message lig_pb_vpp_nat44_pool;
extern const struct lig_pb_enum lig_pb_enum_vpp_dnat44_protocol;
extern const struct lig_pb_enum lig_pb_enum_vpp_dnat44_twice_nat;

/* Enums the checks name in their messages. */
extern const struct lig_pb_enum lig_pb_enum_vpp_if_type;
extern const struct lig_pb_enum lig_pb_enum_vpp_rx_mode;
extern const struct lig_pb_enum lig_pb_enum_vpp_memif_mode;
extern const struct lig_pb_enum lig_pb_enum_vpp_fib_action;
extern const struct lig_pb_enum lig_pb_enum_vpp_vrf_protocol;
extern const struct lig_pb_enum lig_pb_enum_vpp_route_type;
extern const struct lig_pb_enum lig_pb_enum_linux_if_type;
extern const struct lig_pb_enum lig_pb_enum_linux_ns_type;
extern const struct lig_pb_enum lig_pb_enum_linux_checksum;
extern const struct lig_pb_enum lig_pb_enum_linux_scope;

/* Every message table (top-level and nested), for table sanity tests. NULL-terminated. */
extern const struct lig_pb_message *const lig_pb_all_messages[];

#endif
