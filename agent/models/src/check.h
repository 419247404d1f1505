/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers the models' validate and check_supported functions share: names, addresses, MACs,
 * enum values, each reporting through struct lig_model_error with the field path. Internal to
 * libligagent_models. */
#ifndef LIG_MODELS_CHECK_H
#define LIG_MODELS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lig_models.h"
#include "model_err.h"
#include "pbjson.h"

/* Reports and returns -EINVAL (kind INVALID) or -EOPNOTSUPP (kind UNSUPPORTED). */
int lig_chk_fail(struct lig_model_error *err, enum lig_model_err_kind kind, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define LIG_INVALID(err, field, ...) lig_chk_fail(err, LIG_MODEL_ERR_INVALID, field, __VA_ARGS__)
#define LIG_UNSUPPORTED(err, field, ...)                                                           \
	lig_chk_fail(err, LIG_MODEL_ERR_UNSUPPORTED, field, __VA_ARGS__)

/* s (NULL: "") escaped for a message into buf (a LIG_MODEL_QUOTE_SIZE array). */
#define LIG_Q(s, buf)                                                                              \
	lig_model_quote(lig_model_str(s), strlen(lig_model_str(s)), LIG_MODEL_QUOTE_CHARS, buf,    \
			sizeof(buf))

/* A field path with an index: "<base>[<i>]<suffix>" into buf. Returns buf. */
const char *lig_chk_path(char *buf, size_t size, const char *base, size_t i, const char *suffix);

/* A logical name (interface, bridge domain): required when required, at most
 * LIG_MODEL_NAME_MAX bytes, no control characters, usable as a key part (vpp-agent joins keys
 * with path.Join, which would change a name with an empty, "." or ".." element). what names
 * the thing ("interface name") in the message. */
int lig_chk_name(struct lig_model_error *err, const char *field, const char *s, bool required);

/* A Linux interface name (IFNAMSIZ): 1..15 bytes, no '/', ':' or white space, not "." or "..". */
int lig_chk_ifname(struct lig_model_error *err, const char *field, const char *s);

/* What an address field holds. */
enum lig_addr_kind {
	LIG_ADDR_NONE, /* empty */
	LIG_ADDR_IP4,
	LIG_ADDR_IP6,
	LIG_ADDR_ALLOC, /* a netalloc reference "alloc:..." */
};

#define LIG_CHK_REQUIRED 0x01u /* empty is an error */
#define LIG_CHK_PREFIX 0x02u   /* <ip>/<len> (IP_WITH_MASK); else a plain address */
#define LIG_CHK_NETWORK 0x04u  /* prefix: host bits must be zero */
/* An address a host can have: not 0.0.0.0, multicast or 255.255.255.255. */
#define LIG_CHK_HOST 0x08u
#define LIG_CHK_ALLOC 0x10u   /* a netalloc reference is valid here (vpp-agent allows one) */
#define LIG_CHK_UNICAST 0x20u /* MAC: not multicast */
#define LIG_CHK_NONZERO 0x40u /* MAC: not 00:00:00:00:00:00 */

/* Validates an IP address field per flags; IPv6 is valid syntax here (check_supported refuses
 * it). *kind (may be NULL) gets what it is; ip4/len (may be NULL) the IPv4 address and
 * length. */
int lig_chk_ip(struct lig_model_error *err, const char *field, const char *s, unsigned flags,
	       enum lig_addr_kind *kind, uint8_t ip4[4], uint8_t *len);
/* check_supported for an address validated by lig_chk_ip: IPv6 and netalloc references are
 * not supported. */
int lig_sup_ip4(struct lig_model_error *err, const char *field, const char *s);

/* A MAC address field per flags (LIG_CHK_REQUIRED, LIG_CHK_UNICAST, LIG_CHK_NONZERO). */
int lig_chk_mac(struct lig_model_error *err, const char *field, const char *s, unsigned flags);

/* An enum field's number must be one the enum names. */
int lig_chk_enum(struct lig_model_error *err, const char *field, const struct lig_pb_enum *e,
		 int32_t v);

/* Classifies an address (no validation messages): 0 and *kind, or -EINVAL. */
int lig_addr_parse(const char *s, bool prefix, enum lig_addr_kind *kind, uint8_t ip4[4],
		   uint8_t *len);

/* vpp-agent's "ipnet" template function: the network of a prefix as "<ip>/<len>" with host
 * bits cleared (IPv4 or IPv6), "<invalid>/0" when s is no prefix, NULL (into buf: nothing,
 * returns false) for a netalloc reference. */
bool lig_ipnet(const char *s, char *buf, size_t size);

#endif
