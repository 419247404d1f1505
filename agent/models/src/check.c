/* SPDX-License-Identifier: Apache-2.0 */
/* Address, MAC and name syntax as vpp-agent's models write them (Go's net.ParseIP,
 * net.ParseCIDR, net.ParseMAC), and the checks the models' validate and check_supported
 * functions share. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

int
lig_chk_fail(struct lig_model_error *err, enum lig_model_err_kind kind, const char *field,
	     const char *fmt, ...)
{
	char msg[LIG_MODEL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lig_model_err_set(err, kind, field, "%s", msg);
	return kind == LIG_MODEL_ERR_UNSUPPORTED ? -EOPNOTSUPP : -EINVAL;
}

const char *
lig_chk_path(char *buf, size_t size, const char *base, size_t i, const char *suffix)
{
	snprintf(buf, size, "%s[%zu]%s", base, i, suffix ? suffix : "");
	return buf;
}

/* "'<s>'" escaped for a message. */
#define Q(s, buf) lig_model_quote((s), strlen(s), LIG_MODEL_QUOTE_CHARS, buf, sizeof(buf))

int
lig_chk_name(struct lig_model_error *err, const char *field, const char *s, bool required)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	size_t n = s ? strlen(s) : 0;

	if (!n)
		return required ? LIG_INVALID(err, field, "missing (a name is required)") : 0;
	if (n > LIG_MODEL_NAME_MAX)
		return LIG_INVALID(err, field, "'%s' is %zu characters; at most %d", Q(s, q), n,
				   LIG_MODEL_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return LIG_INVALID(err, field, "'%s' has a control character", Q(s, q));
	/* Key elements: vpp-agent builds keys with path.Join, which cleans them. */
	const char *e = s;
	while (1) {
		const char *slash = strchr(e, '/');
		size_t el = slash ? (size_t)(slash - e) : strlen(e);
		if (!el || (el == 1 && e[0] == '.') || (el == 2 && e[0] == '.' && e[1] == '.'))
			return LIG_INVALID(err, field,
					   "'%s' cannot be part of a key (an empty, '.' or '..' "
					   "element between '/')",
					   Q(s, q));
		if (!slash)
			break;
		e = slash + 1;
	}
	return 0;
}

int
lig_chk_ifname(struct lig_model_error *err, const char *field, const char *s)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	size_t n = strlen(s);

	if (!n || n > 15)
		return LIG_INVALID(
		    err, field, "'%s' is not 1..15 characters (a Linux interface name)", Q(s, q));
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return LIG_INVALID(err, field, "'%s' is not a Linux interface name", Q(s, q));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
			return LIG_INVALID(err, field,
					   "'%s' is not a Linux interface name (no '/', ':', space "
					   "or control characters)",
					   Q(s, q));
	}
	return 0;
}

/* ---- addresses ---- */

int
lig_model_ip4_parse(const char *s, uint8_t addr[4])
{
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int nd = 0;
		if (i && *p++ != '.')
			return -EINVAL;
		while (*p >= '0' && *p <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(*p++ - '0');
			nd++;
		}
		/* 1..3 digits, no leading zero (Go refuses them: octal ambiguity), at most 255 */
		if (!nd || nd > 3 || v > 255 || (nd > 1 && p[-nd] == '0'))
			return -EINVAL;
		addr[i] = (uint8_t)v;
	}
	return *p ? -EINVAL : 0;
}

/* "/<len>" at s: 0..max, decimal without leading zeros. */
static int
parse_len(const char *s, unsigned max, uint8_t *len)
{
	unsigned v = 0;
	int nd = 0;

	if (!*s)
		return -EINVAL;
	for (; *s >= '0' && *s <= '9' && nd < 4; s++, nd++)
		v = v * 10 + (unsigned)(*s - '0');
	if (*s || !nd || nd > 3 || v > max || (nd > 1 && s[-nd] == '0'))
		return -EINVAL;
	*len = (uint8_t)v;
	return 0;
}

int
lig_model_ip4_prefix_parse(const char *s, uint8_t addr[4], uint8_t *len)
{
	const char *slash = strchr(s, '/');
	char ip[16];

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = 0;
	if (lig_model_ip4_parse(ip, addr) < 0)
		return -EINVAL;
	return parse_len(slash + 1, 32, len);
}

/* An IPv6 address (and length) into a[16]. */
static int
ip6_parse(const char *s, bool prefix, uint8_t a[16], uint8_t *len)
{
	char ip[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (prefix != !!slash || n >= sizeof(ip) || !memchr(s, ':', n))
		return -EINVAL;
	memcpy(ip, s, n);
	ip[n] = 0;
	if (inet_pton(AF_INET6, ip, a) != 1)
		return -EINVAL;
	if (prefix)
		return parse_len(slash + 1, 128, len);
	return 0;
}

bool
lig_model_is_ip6(const char *s, bool prefix_ok)
{
	uint8_t a[16], len;

	return !ip6_parse(s, false, a, &len) || (prefix_ok && !ip6_parse(s, true, a, &len));
}

int
lig_model_mac_parse(const char *s, uint8_t mac[6])
{
	size_t n = strlen(s);
	int hex[12], nh = 0;

	if (n == 17 && (s[2] == ':' || s[2] == '-')) {
		for (size_t i = 0; i < n; i++) {
			if (i % 3 == 2) {
				if (s[i] != s[2])
					return -EINVAL;
				continue;
			}
			hex[nh++] = (unsigned char)s[i];
		}
	} else if (n == 14 && s[4] == '.' && s[9] == '.') {
		for (size_t i = 0; i < n; i++) {
			if (i % 5 == 4)
				continue;
			hex[nh++] = (unsigned char)s[i];
		}
	} else {
		return -EINVAL;
	}
	for (int i = 0; i < 12; i++) {
		int c = hex[i], v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -EINVAL;
		if (i % 2)
			mac[i / 2] = (uint8_t)(mac[i / 2] | v);
		else
			mac[i / 2] = (uint8_t)(v << 4);
	}
	return 0;
}

int
lig_addr_parse(const char *s, bool prefix, enum lig_addr_kind *kind, uint8_t ip4[4], uint8_t *len)
{
	uint8_t a[16], l = 32;

	if (!s || !*s) {
		*kind = LIG_ADDR_NONE;
		return 0;
	}
	if (!strncmp(s, "alloc:", 6)) {
		*kind = LIG_ADDR_ALLOC;
		return s[6] ? 0 : -EINVAL;
	}
	if (!(prefix ? lig_model_ip4_prefix_parse(s, a, &l) : lig_model_ip4_parse(s, a))) {
		*kind = LIG_ADDR_IP4;
		if (ip4)
			memcpy(ip4, a, 4);
		if (len)
			*len = l;
		return 0;
	}
	if (!ip6_parse(s, prefix, a, &l)) {
		*kind = LIG_ADDR_IP6;
		if (len)
			*len = l;
		return 0;
	}
	return -EINVAL;
}

int
lig_chk_ip(struct lig_model_error *err, const char *field, const char *s, unsigned flags,
	   enum lig_addr_kind *kind, uint8_t ip4[4], uint8_t *len)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	enum lig_addr_kind k;
	uint8_t a[4] = {0}, l = 32;
	bool prefix = flags & LIG_CHK_PREFIX;

	if (lig_addr_parse(s, prefix, &k, a, &l) < 0)
		return LIG_INVALID(err, field,
				   prefix ? "'%s' is not an address with a prefix length "
					    "(<IPv4 or IPv6 address>/<length>)"
					  : "'%s' is not an IPv4 or IPv6 address",
				   Q(s, q));
	if (kind)
		*kind = k;
	if (k == LIG_ADDR_NONE)
		return flags & LIG_CHK_REQUIRED ? LIG_INVALID(err, field, "missing (required)") : 0;
	if (k == LIG_ADDR_ALLOC && !(flags & LIG_CHK_ALLOC))
		return LIG_INVALID(err, field, "'%s': a netalloc reference is not valid here",
				   Q(s, q));
	if (k != LIG_ADDR_IP4)
		return 0;
	if (ip4)
		memcpy(ip4, a, 4);
	if (len)
		*len = l;
	if ((flags & LIG_CHK_NETWORK) && l < 32) {
		uint32_t v =
		    (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		uint32_t mask = l ? ~0u << (32 - l) : 0;
		if (v & ~mask) {
			v &= mask;
			return LIG_INVALID(
			    err, field, "'%s' must be a network address (%u.%u.%u.%u/%u)", Q(s, q),
			    v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255, l);
		}
	}
	if (flags & LIG_CHK_HOST) {
		if (!(a[0] | a[1] | a[2] | a[3]))
			return LIG_INVALID(err, field, "'%s': 0.0.0.0 is not a host address",
					   Q(s, q));
		if (a[0] >= 224 && a[0] <= 239)
			return LIG_INVALID(err, field, "'%s' is a multicast address", Q(s, q));
		if ((a[0] & a[1] & a[2] & a[3]) == 255)
			return LIG_INVALID(err, field, "'%s' is the broadcast address", Q(s, q));
		if (prefix && l == 0)
			return LIG_INVALID(err, field,
					   "'%s': an address needs a prefix length 1..32", Q(s, q));
	}
	return 0;
}

int
lig_sup_ip4(struct lig_model_error *err, const char *field, const char *s)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	enum lig_addr_kind k;

	if (lig_addr_parse(s, strchr(s ? s : "", '/') != NULL, &k, NULL, NULL) < 0)
		return 0; /* validate reports it */
	if (k == LIG_ADDR_IP6)
		return LIG_UNSUPPORTED(
		    err, field, "'%s': IPv6 is not supported (Ligature is IPv4 only)", Q(s, q));
	if (k == LIG_ADDR_ALLOC)
		return LIG_UNSUPPORTED(
		    err, field, "'%s': netalloc references (alloc:) are not supported", Q(s, q));
	return 0;
}

int
lig_chk_mac(struct lig_model_error *err, const char *field, const char *s, unsigned flags)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	uint8_t m[6];

	if (!s || !*s)
		return flags & LIG_CHK_REQUIRED ? LIG_INVALID(err, field,
							      "missing (a MAC address is "
							      "required)")
						: 0;
	if (lig_model_mac_parse(s, m) < 0)
		return LIG_INVALID(
		    err, field,
		    "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx, xx-xx-xx-xx-xx-xx "
		    "or xxxx.xxxx.xxxx)",
		    Q(s, q));
	if ((flags & LIG_CHK_UNICAST) && (m[0] & 1))
		return LIG_INVALID(err, field, "'%s' is a multicast MAC; a unicast one is needed",
				   Q(s, q));
	if ((flags & LIG_CHK_NONZERO) && !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return LIG_INVALID(err, field, "'%s': the zero MAC is not an address", Q(s, q));
	return 0;
}

int
lig_chk_enum(struct lig_model_error *err, const char *field, const struct lig_pb_enum *e, int32_t v)
{
	if (lig_pb_enum_name(e, v))
		return 0;
	return LIG_INVALID(err, field, "%d is not a value of %s", v, e->name);
}

bool
lig_ipnet(const char *s, char *buf, size_t size)
{
	uint8_t a[16], len;

	if (!strncmp(s, "alloc:", 6))
		return false;
	if (!lig_model_ip4_prefix_parse(s, a, &len)) {
		uint32_t v =
		    (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		v &= len ? ~0u << (32 - len) : 0;
		snprintf(buf, size, "%u.%u.%u.%u/%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255,
			 v & 255, len);
		return true;
	}
	if (!ip6_parse(s, true, a, &len)) {
		char ip[INET6_ADDRSTRLEN];
		for (unsigned i = 0; i < 16; i++) {
			unsigned keep = len > i * 8 ? len - i * 8 : 0;
			if (keep < 8)
				a[i] &= (uint8_t)(0xff00u >> keep);
		}
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, size, "%s/%u", ip, len);
		return true;
	}
	snprintf(buf, size, "<invalid>/0");
	return true;
}
