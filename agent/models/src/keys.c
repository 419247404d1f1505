/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's keys: /vnf-agent/<microservice-label>/ + <class>/<module path>/<version>/<type>/
 * + the model's name template (proto/ligato/.../models.go, pkg/models: keys are built with
 * path.Join, so they are clean paths). Parsing a key finds its model and takes its name apart
 * by the model's template; building one fills the template from a value; checking compares the
 * two. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "models_impl.h"

int lig_key_name_cleaned(const struct lig_model *m,
			 int (*raw)(const void *value, char *buf, size_t size), const void *value,
			 char *buf, size_t size);

int
lig_key_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return (size_t)n >= size ? -ENOSPC : n;
}

void
lig_path_clean(char *path)
{
	size_t n = strlen(path), r = 0, w = 0, dotdot = 0;
	bool rooted = n && path[0] == '/';

	if (!n)
		return;
	if (rooted) {
		w = r = dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' &&
			   (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && path[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					path[w++] = '/';
				path[w++] = '.';
				path[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				path[w++] = '/';
			while (r < n && path[r] != '/')
				path[w++] = path[r++];
		}
	}
	if (!w)
		path[w++] = '.';
	path[w] = 0;
}

int
lig_key_name_cleaned(const struct lig_model *m,
		     int (*raw)(const void *value, char *buf, size_t size), const void *value,
		     char *buf, size_t size)
{
	char full[2 * LIG_MODEL_KEY_MAX];
	size_t plen = strlen(m->key_prefix);
	int n = raw(value, buf, size);

	if (n < 0)
		return n;
	if (plen + (size_t)n + 2 > sizeof(full))
		return -ENOSPC;
	/* path.Join(prefix, name) */
	snprintf(full, sizeof(full), "%s/%s", m->key_prefix, buf);
	lig_path_clean(full);
	if (!strncmp(full, m->key_prefix, plen))
		return lig_key_printf(buf, size, "%s", full + plen);
	if (strlen(full) == plen - 1 && !strncmp(full, m->key_prefix, plen - 1))
		return lig_key_printf(buf, size, "%s", "");
	return n; /* ".." climbed out of the prefix: left as it was (validate refuses such names) */
}

int
lig_model_key_build(const struct lig_model *m, const void *value, const char *label, char *buf,
		    size_t size)
{
	char name[LIG_MODEL_KEY_MAX * 2];
	size_t plen = strlen(m->key_prefix);
	int n;

	if (label && (!*label || strchr(label, '/')))
		return -EINVAL;
	n = m->key_name(value, name, sizeof(name));
	if (n < 0)
		return n;
	/* An empty name: path.Join leaves the prefix without its slash. */
	return lig_key_printf(buf, size, "%s%s%s%.*s%s", label ? LIG_MODEL_KEY_ROOT : "",
			      label ? label : "", label ? "/" : "", (int)(n ? plen : plen - 1),
			      m->key_prefix, name);
}

int
lig_model_vpp_if_status_key(const char *label, const char *if_name, char *buf, size_t size)
{
	if (label && (!*label || strchr(label, '/')))
		return -EINVAL;
	/* vpp-agent's InterfaceStateKey: an empty name is "<invalid>" */
	return lig_key_printf(buf, size, "%s%s%s%s%s", label ? LIG_MODEL_KEY_ROOT : "",
			      label ? label : "", label ? "/" : "", LIG_MODEL_VPP_IF_STATUS_PREFIX,
			      if_name && *if_name ? if_name : "<invalid>");
}

/* ---- parsing ---- */

/* vpp-agent models Ligature does not cover (configuration class), for a precise refusal. */
static const struct {
	const char *name;
	const char *prefix; /* short key prefix without its trailing slash */
} unsupported_models[] = {
    {"vpp.span", "config/vpp/v2/span"},
    {"vpp.proxyarp-global", "config/vpp/v2/proxyarp-global"},
    {"vpp.ipscanneigh-global", "config/vpp/v2/ipscanneigh-global"},
    {"vpp.dhcp-proxy", "config/vpp/v2/dhcp-proxy"},
    {"vpp.l3xconnect", "config/vpp/v2/l3xconnect"},
    {"vpp.teib", "config/vpp/v2/teib"},
    {"vpp.vrrp", "config/vpp/v2/vrrp"},
    {"vpp.ipredirect", "config/vpp/v2/ipredirect"},
    {"vpp.tohost", "config/vpp/v2/tohost"},
    {"vpp.exception", "config/vpp/v2/exception"},
    {"vpp.abfs.abf", "config/vpp/abfs/v2/abf"},
    {"vpp.dns.dnscache", "config/vpp/dns/v1/dnscache"},
    {"vpp.ipfix.ipfix", "config/vpp/ipfix/v2/ipfix"},
    {"vpp.ipfix.flowprobe-params", "config/vpp/ipfix/v2/flowprobe-params"},
    {"vpp.ipfix.flowprobe-feature", "config/vpp/ipfix/v2/flowprobe-feature"},
    {"vpp.ipsec.spd", "config/vpp/ipsec/v2/spd"},
    {"vpp.ipsec.sp", "config/vpp/ipsec/v2/sp"},
    {"vpp.ipsec.sa", "config/vpp/ipsec/v2/sa"},
    {"vpp.ipsec.tun-protect", "config/vpp/ipsec/v2/tun-protect"},
    {"vpp.nat.nat44-vrf", "config/vpp/nat/v2/nat44-vrf"},
    {"vpp.nat.nat44-vrf-route", "config/vpp/nat/v2/nat44-vrf-route"},
    {"vpp.srv6.localsid", "config/vpp/srv6/v2/localsid"},
    {"vpp.srv6.policy", "config/vpp/srv6/v2/policy"},
    {"vpp.srv6.steering", "config/vpp/srv6/v2/steering"},
    {"vpp.srv6.srv6-global", "config/vpp/srv6/v2/srv6-global"},
    {"vpp.stn.rule", "config/vpp/stn/v2/rule"},
    {"vpp.wg.peer", "config/vpp/wg/v1/peer"},
    {"linux.iptables.rulechain", "config/linux/iptables/v2/rulechain"},
    {"netalloc.ip", "config/netalloc/v1/ip"},
};

static int key_fail(struct lig_model_error *err, int rv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
key_fail(struct lig_model_error *err, int rv, const char *fmt, ...)
{
	char msg[LIG_MODEL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lig_model_err_set(err, LIG_MODEL_ERR_KEY, NULL, "%s", msg);
	return rv;
}

/* Copies [s, s+n) into dst (LIG_MODEL_KEY_MAX bytes; callers checked the key's length). */
static void
part(char *dst, const char *s, size_t n)
{
	memcpy(dst, s, n);
	dst[n] = 0;
}

static bool
parse_u32(const char *s, uint32_t *v)
{
	uint64_t x = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
		if (x > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

/* <a>/<b> split at the last slash, both non-empty. */
static bool
split_last(const char *name, char *a, char *b)
{
	const char *slash = strrchr(name, '/');

	if (!slash || slash == name || !slash[1])
		return false;
	part(a, name, (size_t)(slash - name));
	part(b, slash + 1, strlen(slash + 1));
	return true;
}

/* [if/<iface>/]vrf/<vrf>/dst/<ip>/<len>[/gw[/<gw>]] (a trailing slash allowed: vpp-agent's
 * documentation writes a route without next hop as .../gw and parses .../<len>/ too). */
static bool
parse_route(const char *name, struct lig_model_key *k)
{
	char buf[LIG_MODEL_KEY_MAX];
	/* One token per slash plus one: empty tokens count ("a////b"), so up to the length. */
	const char *tok[LIG_MODEL_KEY_MAX];
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", name);
	size_t len = strlen(buf);
	if (len && buf[len - 1] == '/')
		buf[--len] = 0;
	for (char *p = buf;; p++) {
		tok[n++] = p;
		p = strchr(p, '/');
		if (!p)
			break;
		*p = 0;
	}
	static const size_t tails[] = {7, 6, 5};
	for (size_t t = 0; t < 3; t++) {
		if (n < tails[t])
			continue;
		size_t i = n - tails[t];
		const char **x = tok + i;
		if (strcmp(x[0], "vrf") || !parse_u32(x[1], &k->vrf) || strcmp(x[2], "dst") ||
		    !*x[3] || !*x[4])
			continue;
		if (tails[t] >= 6 && strcmp(x[5], "gw"))
			continue;
		if (tails[t] == 7 && !*x[6])
			continue;
		if (i && (i < 2 || strcmp(tok[0], "if")))
			continue;
		/* the interface: tokens 1..i-1 joined again (a name may hold slashes) */
		k->iface[0] = 0;
		for (size_t j = 1; j < i; j++) {
			if (!*tok[j])
				goto next;
			strcat(k->iface, tok[j]);
			if (j + 1 < i)
				strcat(k->iface, "/");
		}
		snprintf(k->dst, sizeof(k->dst), "%s/%s", x[3], x[4]);
		snprintf(k->gw, sizeof(k->gw), "%s", tails[t] == 7 ? x[6] : "");
		return true;
	next:;
	}
	return false;
}

/* Takes a model's key name apart into k's parts. */
static bool
parse_name(const struct lig_model *m, const char *name, struct lig_model_key *k)
{
	const char *s;

	switch (m->id) {
	case LIG_MODEL_VPP_INTERFACE:
	case LIG_MODEL_LINUX_INTERFACE:
	case LIG_MODEL_VPP_XCONNECT:
		part(k->iface, name, strlen(name));
		return true;
	case LIG_MODEL_VPP_BRIDGE_DOMAIN:
		part(k->bd, name, strlen(name));
		return true;
	case LIG_MODEL_VPP_L2_FIB: {
		const char *mac = NULL;
		for (s = strstr(name, "/mac/"); s; s = strstr(s + 1, "/mac/"))
			mac = s;
		if (!mac || mac == name || !mac[5] || strchr(mac + 5, '/'))
			return false;
		part(k->bd, name, (size_t)(mac - name));
		part(k->mac, mac + 5, strlen(mac + 5));
		return true;
	}
	case LIG_MODEL_VPP_VRF_TABLE: {
		char id[16], proto[16];
		const char *p = name;
		if (strncmp(p, "id/", 3))
			return false;
		p += 3;
		s = strchr(p, '/');
		if (!s || (size_t)(s - p) >= sizeof(id) || strncmp(s, "/protocol/", 10))
			return false;
		part(id, p, (size_t)(s - p));
		if (!parse_u32(id, &k->vrf) || strlen(s + 10) >= sizeof(proto))
			return false;
		part(proto, s + 10, strlen(s + 10));
		if (!strcmp(proto, "IPV4"))
			k->protocol = LIG_VPP_VRF_IPV4;
		else if (!strcmp(proto, "IPV6"))
			k->protocol = LIG_VPP_VRF_IPV6;
		else {
			uint32_t v; /* Go prints an enum number it has no name for */
			if (!parse_u32(proto, &v) || v > INT32_MAX)
				return false;
			k->protocol = (int32_t)v;
		}
		return true;
	}
	case LIG_MODEL_VPP_ROUTE:
		return parse_route(name, k);
	case LIG_MODEL_VPP_ARP:
	case LIG_MODEL_LINUX_ARP:
		return split_last(name, k->iface, k->ip);
	case LIG_MODEL_LINUX_ROUTE: {
		/* <ip>/<len>/<iface> */
		const char *a = strchr(name, '/'), *b = a ? strchr(a + 1, '/') : NULL;
		if (!a || a == name || !b || b == a + 1 || !b[1])
			return false;
		part(k->dst, name, (size_t)(b - name));
		part(k->iface, b + 1, strlen(b + 1));
		return true;
	}
	case LIG_MODEL_VPP_ACL: /* the name is the whole of k->name */
	case LIG_MODEL_VPP_DNAT44:
		return !strchr(name, '/');
	case LIG_MODEL_VPP_NAT44_INTERFACE:
		part(k->iface, name, strlen(name));
		return true;
	case LIG_MODEL_VPP_NAT44_POOL: /* a name, or vrf/<vrf>/address/<first>[-<last>] */
		return true;
	case LIG_MODEL_VPP_NAT44_GLOBAL: /* its key has no name */
		return !*name;
	case LIG_MODEL_N:
		break;
	}
	return false;
}

int
lig_model_key_parse(const char *key, struct lig_model_key *out, struct lig_model_error *err)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	const char *rest = key;
	size_t n = strlen(key);

	memset(out, 0, sizeof(*out));
	if (n >= LIG_MODEL_KEY_MAX)
		return key_fail(err, -EINVAL, "the key is %zu bytes; at most %d", n,
				LIG_MODEL_KEY_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			return key_fail(err, -EINVAL, "the key has a control character");
	if (!strncmp(key, LIG_MODEL_KEY_ROOT, strlen(LIG_MODEL_KEY_ROOT))) {
		const char *label = key + strlen(LIG_MODEL_KEY_ROOT);
		const char *slash = strchr(label, '/');
		if (!slash || slash == label)
			return key_fail(
			    err, -EINVAL, "'%s': no microservice label (/vnf-agent/<label>/...)",
			    lig_model_quote(key, n, LIG_MODEL_QUOTE_CHARS, q, sizeof(q)));
		if ((size_t)(slash - label) > LIG_MODEL_LABEL_MAX)
			return key_fail(err, -EINVAL,
					"the microservice label is %zu characters; at "
					"most %d",
					(size_t)(slash - label), LIG_MODEL_LABEL_MAX);
		part(out->label, label, (size_t)(slash - label));
		rest = slash + 1;
	}
	lig_model_quote(rest, strlen(rest), LIG_MODEL_QUOTE_CHARS, q, sizeof(q));
	if (strncmp(rest, "config/", 7))
		return key_fail(err, -ENOENT, "'%s' is not a configuration key (config/...)", q);
	const struct lig_model *m = lig_model_by_key(rest);
	if (!m && !strcmp(rest, "config/vpp/nat/v2/nat44-global")) {
		/* vpp-agent's global model: no name, the key is its prefix without the slash */
		out->model = lig_model_get(LIG_MODEL_VPP_NAT44_GLOBAL);
		return 0;
	}
	if (!m) {
		for (size_t i = 0; i < LIG_MODEL_N; i++) {
			const struct lig_model *x = lig_model_get((enum lig_model_id)i);
			size_t pl = strlen(x->key_prefix) - 1;
			if (!strncmp(rest, x->key_prefix, pl) && !rest[pl])
				return key_fail(err, -EINVAL, "'%s': no name after %s", q,
						x->key_prefix);
		}
		for (size_t i = 0; i < LIG_PB_COUNT(unsupported_models); i++) {
			size_t pl = strlen(unsupported_models[i].prefix);
			if (!strncmp(rest, unsupported_models[i].prefix, pl) &&
			    (!rest[pl] || rest[pl] == '/'))
				return key_fail(err, -EOPNOTSUPP,
						"'%s': vpp-agent's model %s is not supported by "
						"Ligature",
						q, unsupported_models[i].name);
		}
		return key_fail(err, -ENOENT, "'%s' is no key of a vpp-agent model", q);
	}
	const char *name = rest + strlen(m->key_prefix);
	part(out->name, name, strlen(name));
	if (!*name)
		return key_fail(err, -EINVAL, "'%s': no name after %s", q, m->key_prefix);
	out->model = m;
	if (!parse_name(m, name, out)) {
		out->model = NULL;
		return key_fail(err, -EINVAL, "'%s' does not follow %s's key template %s%s", q,
				m->name, m->key_prefix, m->name_template);
	}
	return 0;
}

/* ---- key against value ---- */

/* Normalized destination for comparing: the network of a prefix, or the text. */
static void
norm_dst(const char *s, char *buf, size_t size)
{
	if (!lig_ipnet(s, buf, size) || !strcmp(buf, "<invalid>/0"))
		snprintf(buf, size, "%s", s);
}

static bool
same_mac(const char *a, const char *b)
{
	uint8_t x[6], y[6];

	if (!lig_model_mac_parse(a, x) && !lig_model_mac_parse(b, y))
		return !memcmp(x, y, 6);
	return !strcasecmp(a, b);
}

int
lig_model_key_check(const struct lig_model_key *key, const void *value, struct lig_model_error *err)
{
	const struct lig_model *m = key->model;
	struct lig_model_key *v = calloc(1, sizeof(*v));
	char name[LIG_MODEL_KEY_MAX], q1[LIG_MODEL_QUOTE_SIZE], q2[LIG_MODEL_QUOTE_SIZE];
	char a[LIG_MODEL_KEY_MAX], b[LIG_MODEL_KEY_MAX];
	int rv = 0;

	if (!v)
		return -ENOMEM;
	/* The value's key parts, from the name vpp-agent would store it under. */
	if (m->key_name(value, name, sizeof(name)) < 0 || !parse_name(m, name, v)) {
		rv = key_fail(err, -EINVAL,
			      "the value does not name itself (its key would be %s%s, not %s%s)",
			      m->key_prefix, name, m->key_prefix, key->name);
		goto out;
	}
#define DIFF(field, what, x, y)                                                                    \
	do {                                                                                       \
		rv = -EINVAL;                                                                      \
		lig_model_err_set(                                                                 \
		    err, LIG_MODEL_ERR_KEY, field, "the key names %s '%s' but the value has '%s'", \
		    what, lig_model_quote(x, strlen(x), LIG_MODEL_QUOTE_CHARS, q1, sizeof(q1)),    \
		    lig_model_quote(y, strlen(y), LIG_MODEL_QUOTE_CHARS, q2, sizeof(q2)));         \
		goto out;                                                                          \
	} while (0)
	switch (m->id) {
	case LIG_MODEL_VPP_INTERFACE:
	case LIG_MODEL_LINUX_INTERFACE:
		if (strcmp(key->iface, v->iface))
			DIFF("name", "interface", key->iface, v->iface);
		break;
	case LIG_MODEL_VPP_BRIDGE_DOMAIN:
		if (strcmp(key->bd, v->bd))
			DIFF("name", "bridge domain", key->bd, v->bd);
		break;
	case LIG_MODEL_VPP_XCONNECT:
		if (strcmp(key->iface, v->iface))
			DIFF("receive_interface", "interface", key->iface, v->iface);
		break;
	case LIG_MODEL_VPP_L2_FIB:
		if (strcmp(key->bd, v->bd))
			DIFF("bridge_domain", "bridge domain", key->bd, v->bd);
		if (!same_mac(key->mac, v->mac))
			DIFF("phys_address", "MAC", key->mac, v->mac);
		break;
	case LIG_MODEL_VPP_VRF_TABLE:
		snprintf(a, sizeof(a), "%u", key->vrf);
		snprintf(b, sizeof(b), "%u", v->vrf);
		if (key->vrf != v->vrf)
			DIFF("id", "table", a, b);
		snprintf(a, sizeof(a), "%d", key->protocol);
		snprintf(b, sizeof(b), "%d", v->protocol);
		if (key->protocol != v->protocol)
			DIFF("protocol", "protocol", a, b);
		break;
	case LIG_MODEL_VPP_ROUTE:
	case LIG_MODEL_LINUX_ROUTE:
		if (strcmp(key->iface, v->iface))
			DIFF("outgoing_interface", "interface", key->iface, v->iface);
		snprintf(a, sizeof(a), "%u", key->vrf);
		snprintf(b, sizeof(b), "%u", v->vrf);
		if (key->vrf != v->vrf)
			DIFF("vrf_id", "VRF", a, b);
		norm_dst(key->dst, a, sizeof(a));
		norm_dst(v->dst, b, sizeof(b));
		if (strcmp(a, b))
			DIFF("dst_network", "destination", key->dst, v->dst);
		if (strcmp(key->gw, v->gw))
			DIFF("next_hop_addr", "next hop", key->gw, v->gw);
		break;
	case LIG_MODEL_VPP_ARP:
	case LIG_MODEL_LINUX_ARP:
		if (strcmp(key->iface, v->iface))
			DIFF("interface", "interface", key->iface, v->iface);
		if (strcmp(key->ip, v->ip))
			DIFF("ip_address", "address", key->ip, v->ip);
		break;
	case LIG_MODEL_VPP_ACL:
		if (strcmp(key->name, name))
			DIFF("name", "ACL", key->name, name);
		break;
	case LIG_MODEL_VPP_DNAT44:
		if (strcmp(key->name, name))
			DIFF("label", "DNAT", key->name, name);
		break;
	case LIG_MODEL_VPP_NAT44_INTERFACE:
		if (strcmp(key->iface, v->iface))
			DIFF("name", "interface", key->iface, v->iface);
		break;
	case LIG_MODEL_VPP_NAT44_POOL:
		if (strcmp(key->name, name))
			DIFF("name", "pool", key->name, name);
		break;
	case LIG_MODEL_VPP_NAT44_GLOBAL:
		break;
	case LIG_MODEL_N:
		break;
	}
#undef DIFF
out:
	free(v);
	return rv;
}
