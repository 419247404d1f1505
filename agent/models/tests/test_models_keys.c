/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's keys: parsing each model's template (full and short keys, names with slashes,
 * vpp-agent's own test keys from proto/ligato/vpp/l3/models_test.go and
 * proto/ligato/linux/l3/models_test.go, documented keys of models Ligature does not cover),
 * building keys from values as vpp-agent's name templates and path.Join do, the key/value
 * agreement check, and the interface status key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lig_models.h"
#include "models_impl.h"

static struct lig_model_key key;
static struct lig_model_error err;

static void
parse_ok(const char *k, enum lig_model_id id, const char *label)
{
	memset(&err, 0, sizeof(err));
	if (lig_model_key_parse(k, &key, &err))
		fail_msg("%s: %s", k, err.text);
	assert_ptr_equal(key.model, lig_model_get(id));
	assert_string_equal(key.label, label);
}

static void
parse_fails(const char *k, int rv, const char *what)
{
	memset(&err, 0, sizeof(err));
	int got = lig_model_key_parse(k, &key, &err);
	if (got != rv || err.kind != LIG_MODEL_ERR_KEY || !strstr(err.text, what))
		fail_msg("%s: %d '%s'; expected %d with '%s'", k, got, err.text, rv, what);
}

static void
test_parse_each_template(void **state)
{
	(void)state;
	parse_ok("/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1", LIG_MODEL_VPP_INTERFACE, "vpp1");
	assert_string_equal(key.name, "loop1");
	assert_string_equal(key.iface, "loop1");
	parse_ok("config/vpp/v2/interfaces/GigabitEthernet0/8/0", LIG_MODEL_VPP_INTERFACE, "");
	assert_string_equal(key.iface, "GigabitEthernet0/8/0");
	parse_ok("/vnf-agent/example-agent/config/vpp/v2/interfaces/tap0", LIG_MODEL_VPP_INTERFACE,
		 "example-agent");

	parse_ok("/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/bd1", LIG_MODEL_VPP_BRIDGE_DOMAIN,
		 "vpp1");
	assert_string_equal(key.bd, "bd1");
	parse_ok("/vnf-agent/vpp1/config/vpp/l2/v2/xconnect/if1", LIG_MODEL_VPP_XCONNECT, "vpp1");
	assert_string_equal(key.iface, "if1");

	parse_ok("/vnf-agent/vpp1/config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:5C",
		 LIG_MODEL_VPP_L2_FIB, "vpp1");
	assert_string_equal(key.bd, "bd1");
	assert_string_equal(key.mac, "62:89:C6:A3:6D:5C");
	/* the last /mac/ splits: a bridge domain name may hold one */
	parse_ok("config/vpp/l2/v2/fib/b/mac/d/mac/02:00:00:00:00:01", LIG_MODEL_VPP_L2_FIB, "");
	assert_string_equal(key.bd, "b/mac/d");
	assert_string_equal(key.mac, "02:00:00:00:00:01");

	/* docs/api/api-kvs.md:330,338 */
	parse_ok("config/vpp/v2/vrf-table/id/0/protocol/IPV4", LIG_MODEL_VPP_VRF_TABLE, "");
	assert_int_equal(key.vrf, 0);
	assert_int_equal(key.protocol, LIG_VPP_VRF_IPV4);
	parse_ok("/vnf-agent/agent_vpp_1/config/vpp/v2/vrf-table/id/4294967295/protocol/IPV6",
		 LIG_MODEL_VPP_VRF_TABLE, "agent_vpp_1");
	assert_true(key.vrf == UINT32_MAX);
	assert_int_equal(key.protocol, LIG_VPP_VRF_IPV6);
	parse_ok("config/vpp/v2/vrf-table/id/2/protocol/7", LIG_MODEL_VPP_VRF_TABLE, "");
	assert_int_equal(key.protocol, 7);

	parse_ok("/vnf-agent/vpp1/config/vpp/v2/arp/tap1/192.168.10.21", LIG_MODEL_VPP_ARP, "vpp1");
	assert_string_equal(key.iface, "tap1");
	assert_string_equal(key.ip, "192.168.10.21");
	parse_ok("config/vpp/v2/arp/GigabitEthernet0/8/0/192.168.16.100", LIG_MODEL_VPP_ARP, "");
	assert_string_equal(key.iface, "GigabitEthernet0/8/0");
	assert_string_equal(key.ip, "192.168.16.100");

	parse_ok("/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth1",
		 LIG_MODEL_LINUX_INTERFACE, "vpp1");
	assert_string_equal(key.iface, "veth1");
	parse_ok("/vnf-agent/vpp1/config/linux/l3/v2/arp/veth1/130.0.0.1", LIG_MODEL_LINUX_ARP,
		 "vpp1");
	assert_string_equal(key.iface, "veth1");
	assert_string_equal(key.ip, "130.0.0.1");
	/* proto/ligato/linux/l3/models_test.go TestRouteKey */
	parse_ok("config/linux/l3/v2/route/192.168.1.0/24/memif1", LIG_MODEL_LINUX_ROUTE, "");
	assert_string_equal(key.dst, "192.168.1.0/24");
	assert_string_equal(key.iface, "memif1");
	parse_ok("config/linux/l3/v2/route/alloc:net1/memif2/memif1", LIG_MODEL_LINUX_ROUTE, "");
	assert_string_equal(key.dst, "alloc:net1/memif2");
	assert_string_equal(key.iface, "memif1");
	parse_ok("config/linux/l3/v2/route/0.0.0.0/0/a/b", LIG_MODEL_LINUX_ROUTE, "");
	assert_string_equal(key.iface, "a/b");

	/* the global NAT44 model's key is its prefix without the slash, and has no name */
	parse_ok("/vnf-agent/vpp1/config/vpp/nat/v2/nat44-global", LIG_MODEL_VPP_NAT44_GLOBAL,
		 "vpp1");
	assert_string_equal(key.name, "");
	parse_ok("config/vpp/nat/v2/nat44-global", LIG_MODEL_VPP_NAT44_GLOBAL, "");
	assert_string_equal(key.name, "");
}

/* proto/ligato/vpp/l3/models_test.go TestParseRouteKey, and the documentation's keys. */
static void
test_parse_routes(void **state)
{
	(void)state;
	static const struct {
		const char *key, *iface, *dst, *gw;
		uint32_t vrf;
	} ok[] = {
	    {"config/vpp/v2/route/vrf/0/dst/10.10.0.0/16/gw/0.0.0.0", "", "10.10.0.0/16", "0.0.0.0",
	     0},
	    {"config/vpp/v2/route/if/Gbe0/8/0/vrf/0/dst/10.10.0.0/16/gw/0.0.0.0", "Gbe0/8/0",
	     "10.10.0.0/16", "0.0.0.0", 0},
	    {"config/vpp/v2/route/vrf/0/dst/2001:db8::/32/gw/::", "", "2001:db8::/32", "::", 0},
	    {"config/vpp/v2/route/vrf/0/dst/2001:db8::/32/", "", "2001:db8::/32", "", 0},
	    /* docs/plugins/vpp-plugins.md:1056: a route without next hop written .../gw */
	    {"/vnf-agent/vpp1/config/vpp/v2/route/vrf/0/dst/1.2.3.4/32/gw", "", "1.2.3.4/32", "",
	     0},
	    {"/vnf-agent/vpp1/config/vpp/v2/route/vrf/1/dst/10.1.1.3/32/gw/192.168.1.13", "",
	     "10.1.1.3/32", "192.168.1.13", 1},
	    {"config/vpp/v2/route/vrf/3/dst/10.0.0.0/8", "", "10.0.0.0/8", "", 3},
	    /* an interface whose name looks like route key words */
	    {"config/vpp/v2/route/if/vrf/1/dst/x/8/gw/vrf/0/dst/10.0.0.0/8", "vrf/1/dst/x/8/gw",
	     "10.0.0.0/8", "", 0},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		parse_ok(ok[i].key, LIG_MODEL_VPP_ROUTE,
			 strncmp(ok[i].key, "/vnf", 4) ? "" : "vpp1");
		assert_string_equal(key.iface, ok[i].iface);
		assert_string_equal(key.dst, ok[i].dst);
		assert_string_equal(key.gw, ok[i].gw);
		assert_int_equal(key.vrf, ok[i].vrf);
	}
	const char *bad[] = {
	    "config/vpp/v2/route/vrf/0/10.10.0.0/16/gw/0.0.0.0", /* invalid-key-missing-dst */
	    "config/vpp/v2/route/vrf/x/dst/10.0.0.0/8",
	    "config/vpp/v2/route/vrf/-1/dst/10.0.0.0/8",
	    "config/vpp/v2/route/vrf/4294967296/dst/10.0.0.0/8",
	    "config/vpp/v2/route/vrf/0/dst/10.0.0.0",
	    "config/vpp/v2/route/vrf/0/dst//8",
	    "config/vpp/v2/route/if//vrf/0/dst/10.0.0.0/8",
	    "config/vpp/v2/route/if/vrf/0/dst/10.0.0.0/8",
	    "config/vpp/v2/route/iff/a/vrf/0/dst/10.0.0.0/8",
	    "config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/via/1.1.1.1",
	    "config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/gw/1.1.1.1/x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		parse_fails(bad[i], -EINVAL, "does not follow vpp.route's key template");

	/* Every slash starts a token, empty ones too: 400 slashes in a row are 400 tokens
	 * (fuzz_agent_models overflowed the token array with such a key). */
	char slashes[512];
	int n = snprintf(slashes, sizeof(slashes), "config/vpp/v2/route/if/a");
	for (int i = 0; i < 400; i++)
		slashes[n++] = '/';
	snprintf(slashes + n, sizeof(slashes) - (size_t)n, "vrf/0/dst/10.0.0.0/8");
	parse_fails(slashes, -EINVAL, "does not follow vpp.route's key template");
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("/vnf-agent/vpp1/vpp/status/v2/interface/loop1", -ENOENT,
		    "is not a configuration key");
	parse_fails("vpp/interface/loop1/address/static/10.0.0.1/24", -ENOENT,
		    "is not a configuration key");
	parse_fails("config/vpp/v3/interfaces/loop1", -ENOENT, "is no key of a vpp-agent model");
	parse_fails("config/vpp/v2/interfacesX/loop1", -ENOENT, "is no key of a vpp-agent model");
	parse_fails("", -ENOENT, "not a configuration key");
	/* documented keys of vpp-agent models Ligature does not cover
	 * (docs/plugins/vpp-plugins.md:920, 1158, 1367, 1916, 2099, 2257) */
	static const struct {
		const char *key, *model;
	} unsupported[] = {
	    {"/vnf-agent/vpp1/config/vpp/v2/proxyarp-global/settings", "vpp.proxyarp-global"},
	    {"/vnf-agent/vpp1/config/vpp/v2/ipscanneigh-global/settings", "vpp.ipscanneigh-global"},
	    {"/vnf-agent/vpp1/config/vpp/ipsec/v2/spd/1", "vpp.ipsec.spd"},
	    {"/vnf-agent/vpp1/config/vpp/abfs/v2/abf/1", "vpp.abfs.abf"},
	    {"/vnf-agent/vpp1/config/vpp/nat/v2/nat44-vrf-route/vrfid/1/destvrfid/2",
	     "vpp.nat.nat44-vrf-route"},
	    {"config/vpp/v2/span/a/to/b", "vpp.span"},
	    {"config/linux/iptables/v2/rulechain/r1", "linux.iptables.rulechain"},
	    {"config/netalloc/v1/ip/net1/iface/a", "netalloc.ip"},
	    {"config/vpp/dns/v1/dnscache", "vpp.dns.dnscache"},
	};
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		char what[128];
		snprintf(what, sizeof(what), "vpp-agent's model %s is not supported by Ligature",
			 unsupported[i].model);
		parse_fails(unsupported[i].key, -EOPNOTSUPP, what);
	}
	parse_fails("/vnf-agent//config/vpp/v2/interfaces/loop1", -EINVAL, "no microservice label");
	parse_fails("/vnf-agent/vpp1", -EINVAL, "no microservice label");
	parse_fails(
	    "/vnf-agent/"
	    "0123456789012345678901234567890123456789012345678901234567890123/config/vpp/v2/"
	    "interfaces/a",
	    -EINVAL, "the microservice label is 64 characters; at most 63");
	parse_fails("config/vpp/v2/interfaces/", -EINVAL,
		    "no name after config/vpp/v2/interfaces/");
	parse_fails("config/vpp/v2/interfaces", -EINVAL, "no name after config/vpp/v2/interfaces/");
	parse_fails("config/vpp/l2/v2/fib/bd1/02:00:00:00:00:01", -EINVAL,
		    "does not follow vpp.l2.fib's key template");
	parse_fails("config/vpp/l2/v2/fib/bd1/mac/", -EINVAL, "does not follow");
	parse_fails("config/vpp/l2/v2/fib/mac/02:00:00:00:00:01", -EINVAL, "does not follow");
	parse_fails("config/vpp/v2/vrf-table/id/1/protocol/ipv4", -EINVAL,
		    "does not follow vpp.vrf-table's key template");
	parse_fails("config/vpp/v2/vrf-table/id/01/protocol/IPV4", -EINVAL, "does not follow");
	parse_fails("config/vpp/v2/vrf-table/id/1", -EINVAL, "does not follow");
	parse_fails("config/vpp/v2/arp/tap1", -EINVAL, "does not follow vpp.arp's key template");
	parse_fails("config/vpp/v2/arp/tap1/", -EINVAL, "does not follow");
	parse_fails("config/linux/l3/v2/route/10.0.0.0/8", -EINVAL, "does not follow");
	parse_fails("config/linux/l3/v2/route/10.0.0.0/8/", -EINVAL, "does not follow");
	parse_fails("config/vpp/v2/interfaces/a\x01", -EINVAL, "control character");

	char *big = malloc(LIG_MODEL_KEY_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', LIG_MODEL_KEY_MAX);
	memcpy(big, "config/vpp/v2/interfaces/", 25);
	big[LIG_MODEL_KEY_MAX] = 0;
	parse_fails(big, -EINVAL, "the key is 512 bytes; at most 511");
	big[LIG_MODEL_KEY_MAX - 1] = 0;
	parse_ok(big, LIG_MODEL_VPP_INTERFACE, "");
	free(big);
}

static void *
decode(enum lig_model_id id, const char *json)
{
	const struct lig_model *m = lig_model_get(id);
	void *v = lig_model_value_new(m);
	assert_non_null(v);
	if (m->decode(json, strlen(json), v, &err))
		fail_msg("%s: %s", json, err.text);
	return v;
}

static void
build_is(enum lig_model_id id, const char *json, const char *want)
{
	const struct lig_model *m = lig_model_get(id);
	void *v = decode(id, json);
	char buf[LIG_MODEL_KEY_MAX];
	int n = lig_model_key_build(m, v, NULL, buf, sizeof(buf));
	if (n < 0 || strcmp(buf, want))
		fail_msg("%s: built '%s' (%d), expected '%s'", json, n >= 0 ? buf : "", n, want);
	assert_int_equal((size_t)n, strlen(want));
	lig_model_value_delete(m, v);
}

static void
test_build(void **state)
{
	(void)state;
	/* proto/ligato/vpp/l3/models_test.go TestRouteKey, every case */
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"vrf_id\":0,\"dst_network\":\"10.10.0.0/24\",\"next_hop_addr\":\"0.0.0.0\"}",
		 "config/vpp/v2/route/vrf/0/dst/10.10.0.0/24/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"2001:DB8::0001/32\",\"next_hop_addr\":\"0.0.0.0\"}",
		 "config/vpp/v2/route/vrf/0/dst/2001:db8::/32/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"10.10.0.0/24\",\"next_hop_addr\":\"0.0.0.0\","
		 "\"outgoing_interface\":\"iface1\"}",
		 "config/vpp/v2/route/if/iface1/vrf/0/dst/10.10.0.0/24/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"2001:DB8::0001/32\",\"next_hop_addr\":\"0.0.0.0\","
		 "\"outgoing_interface\":\"iface1\"}",
		 "config/vpp/v2/route/if/iface1/vrf/0/dst/2001:db8::/32/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"INVALID\",\"next_hop_addr\":\"0.0.0.0\"}",
		 "config/vpp/v2/route/vrf/0/dst/<invalid>/0/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"10.10.10.0/32\",\"next_hop_addr\":\"INVALID\"}",
		 "config/vpp/v2/route/vrf/0/dst/10.10.10.0/32/gw/INVALID");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"10.10.0.5/24\",\"next_hop_addr\":\"0.0.0.0\"}",
		 "config/vpp/v2/route/vrf/0/dst/10.10.0.0/24/gw/0.0.0.0");
	build_is(LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"10.0.0.0/8\"}",
		 "config/vpp/v2/route/vrf/0/dst/10.0.0.0/8");
	build_is(LIG_MODEL_VPP_ROUTE, "{\"vrf_id\":3,\"dst_network\":\"10.0.0.0/8\"}",
		 "config/vpp/v2/route/vrf/3/dst/10.0.0.0/8");
	build_is(LIG_MODEL_VPP_ROUTE,
		 "{\"dst_network\":\"alloc:net1\",\"outgoing_interface\":\"Gbe0/8/0\"}",
		 "config/vpp/v2/route/if/Gbe0/8/0/vrf/0/dst/alloc:net1");
	/* proto/ligato/linux/l3/models_test.go TestRouteKey */
	build_is(LIG_MODEL_LINUX_ROUTE,
		 "{\"outgoing_interface\":\"memif1\",\"dst_network\":\"192.168.1.0/24\"}",
		 "config/linux/l3/v2/route/192.168.1.0/24/memif1");
	build_is(LIG_MODEL_LINUX_ROUTE,
		 "{\"outgoing_interface\":\"memif1\",\"dst_network\":\"alloc:net1/memif2\"}",
		 "config/linux/l3/v2/route/alloc:net1/memif2/memif1");
	build_is(LIG_MODEL_LINUX_ROUTE,
		 "{\"outgoing_interface\":\"v\",\"dst_network\":\"10.1.2.3/16\"}",
		 "config/linux/l3/v2/route/10.1.0.0/16/v");
	/* docs/api/api-kvs.md:330,338 */
	build_is(LIG_MODEL_VPP_VRF_TABLE, "{}", "config/vpp/v2/vrf-table/id/0/protocol/IPV4");
	build_is(LIG_MODEL_VPP_VRF_TABLE, "{\"protocol\":\"IPV6\"}",
		 "config/vpp/v2/vrf-table/id/0/protocol/IPV6");
	build_is(LIG_MODEL_VPP_VRF_TABLE, "{\"id\":7,\"protocol\":9}",
		 "config/vpp/v2/vrf-table/id/7/protocol/9");
	build_is(LIG_MODEL_VPP_L2_FIB,
		 "{\"phys_address\":\"62:89:C6:A3:6D:5C\",\"bridge_domain\":\"bd1\"}",
		 "config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:5C");
	build_is(LIG_MODEL_VPP_XCONNECT, "{\"receive_interface\":\"if1\"}",
		 "config/vpp/l2/v2/xconnect/if1");
	build_is(LIG_MODEL_VPP_ARP, "{\"interface\":\"tap1\",\"ip_address\":\"192.168.10.21\"}",
		 "config/vpp/v2/arp/tap1/192.168.10.21");
	build_is(LIG_MODEL_LINUX_ARP, "{\"interface\":\"veth1\",\"ip_address\":\"130.0.0.1\"}",
		 "config/linux/l3/v2/arp/veth1/130.0.0.1");
	build_is(LIG_MODEL_VPP_BRIDGE_DOMAIN, "{\"name\":\"bd1\"}",
		 "config/vpp/l2/v2/bridge-domain/bd1");
	build_is(LIG_MODEL_LINUX_INTERFACE, "{\"name\":\"veth1\"}",
		 "config/linux/interfaces/v2/interface/veth1");
	/* path.Join: an empty name leaves the prefix without its slash; names are cleaned */
	build_is(LIG_MODEL_VPP_INTERFACE, "{}", "config/vpp/v2/interfaces");
	build_is(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"a//b/\"}", "config/vpp/v2/interfaces/a/b");
	build_is(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"./a/./b\"}", "config/vpp/v2/interfaces/a/b");
	build_is(LIG_MODEL_VPP_ARP, "{\"interface\":\"tap1\"}", "config/vpp/v2/arp/tap1");

	/* full keys, labels, buffers */
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_INTERFACE);
	struct lig_vpp_interface *v = decode(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"loop1\"}");
	char buf[64];
	assert_int_equal(lig_model_key_build(m, v, "vpp1", buf, sizeof(buf)), 46);
	assert_string_equal(buf, "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1");
	assert_int_equal(lig_model_key_build(m, v, LIG_MODEL_DEFAULT_LABEL, buf, 47), 46);
	assert_int_equal(lig_model_key_build(m, v, "vpp1", buf, 46), -ENOSPC);
	assert_int_equal(lig_model_key_build(m, v, "", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(lig_model_key_build(m, v, "a/b", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(m->key_name(v, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "loop1");
	assert_int_equal(m->key_name(v, buf, 5), -ENOSPC);
	lig_model_value_delete(m, v);

	assert_int_equal(lig_model_vpp_if_status_key("vpp1", "loop1", buf, sizeof(buf)), 45);
	assert_string_equal(buf, "/vnf-agent/vpp1/vpp/status/v2/interface/loop1");
	assert_int_equal(lig_model_vpp_if_status_key(NULL, "loop1", buf, sizeof(buf)), 29);
	assert_string_equal(buf, "vpp/status/v2/interface/loop1");
	assert_int_equal(lig_model_vpp_if_status_key(NULL, "", buf, sizeof(buf)), 33);
	assert_string_equal(buf, "vpp/status/v2/interface/<invalid>");
	assert_int_equal(lig_model_vpp_if_status_key("x/y", "a", buf, sizeof(buf)), -EINVAL);
}

/* Go's path.Clean cases (src/path/path_test.go), as keys get them from path.Join. */
static void
test_path_clean(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"abc", "abc"},
	    {"abc/def", "abc/def"},
	    {"a/b/c", "a/b/c"},
	    {".", "."},
	    {"..", ".."},
	    {"../..", "../.."},
	    {"../../abc", "../../abc"},
	    {"/abc", "/abc"},
	    {"/", "/"},
	    {"abc/", "abc"},
	    {"abc/def/", "abc/def"},
	    {"a/b/c/", "a/b/c"},
	    {"./", "."},
	    {"../", ".."},
	    {"../../", "../.."},
	    {"/abc/", "/abc"},
	    {"abc//def//ghi", "abc/def/ghi"},
	    {"//abc", "/abc"},
	    {"///abc", "/abc"},
	    {"//abc//", "/abc"},
	    {"abc//", "abc"},
	    {"abc/./def", "abc/def"},
	    {"/./abc/def", "/abc/def"},
	    {"abc/.", "abc"},
	    {"abc/def/ghi/../jkl", "abc/def/jkl"},
	    {"abc/def/../ghi/../jkl", "abc/jkl"},
	    {"abc/def/..", "abc"},
	    {"abc/def/../..", "."},
	    {"/abc/def/../..", "/"},
	    {"abc/def/../../..", ".."},
	    {"/abc/def/../../..", "/"},
	    {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
	    {"abc/./../def", "def"},
	    {"abc//./../def", "def"},
	    {"abc/../../././../def", "../../def"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", cases[i][0]);
		lig_path_clean(buf);
		if (strcmp(buf, cases[i][1]))
			fail_msg("clean(%s) = %s, want %s", cases[i][0], buf, cases[i][1]);
	}
}

/* Keys built from values parse back to the same model and agree with the value; a key that
 * names something else is caught part by part. */
static void
test_key_check(void **state)
{
	(void)state;
	static const struct {
		enum lig_model_id id;
		const char *json;
		const char *other_key; /* a key of the same model naming another object */
		const char *field;     /* the value field check_key names */
	} cases[] = {
	    {LIG_MODEL_VPP_INTERFACE, "{\"name\":\"Gbe0/8/0\"}",
	     "config/vpp/v2/interfaces/Gbe0/8/1", "name"},
	    {LIG_MODEL_VPP_BRIDGE_DOMAIN, "{\"name\":\"bd1\"}",
	     "config/vpp/l2/v2/bridge-domain/bd2", "name"},
	    {LIG_MODEL_VPP_L2_FIB,
	     "{\"phys_address\":\"62:89:c6:a3:6d:5c\",\"bridge_domain\":\"bd1\"}",
	     "config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:5D", "phys_address"},
	    {LIG_MODEL_VPP_L2_FIB,
	     "{\"phys_address\":\"62:89:c6:a3:6d:5c\",\"bridge_domain\":\"bd1\"}",
	     "config/vpp/l2/v2/fib/bd2/mac/62:89:c6:a3:6d:5c", "bridge_domain"},
	    {LIG_MODEL_VPP_XCONNECT, "{\"receive_interface\":\"a\",\"transmit_interface\":\"b\"}",
	     "config/vpp/l2/v2/xconnect/b", "receive_interface"},
	    {LIG_MODEL_VPP_VRF_TABLE, "{\"id\":1}", "config/vpp/v2/vrf-table/id/2/protocol/IPV4",
	     "id"},
	    {LIG_MODEL_VPP_VRF_TABLE, "{\"id\":1}", "config/vpp/v2/vrf-table/id/1/protocol/IPV6",
	     "protocol"},
	    {LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"1.1.1.1\"}",
	     "config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/gw/1.1.1.2", "next_hop_addr"},
	    {LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"1.1.1.1\"}",
	     "config/vpp/v2/route/vrf/0/dst/10.0.0.0/16/gw/1.1.1.1", "dst_network"},
	    {LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"1.1.1.1\"}",
	     "config/vpp/v2/route/if/x/vrf/0/dst/10.0.0.0/8/gw/1.1.1.1", "outgoing_interface"},
	    {LIG_MODEL_VPP_ARP, "{\"interface\":\"a\",\"ip_address\":\"10.0.0.1\"}",
	     "config/vpp/v2/arp/a/10.0.0.2", "ip_address"},
	    {LIG_MODEL_LINUX_INTERFACE, "{\"name\":\"v1\"}",
	     "config/linux/interfaces/v2/interface/v2", "name"},
	    {LIG_MODEL_LINUX_ROUTE, "{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\"}",
	     "config/linux/l3/v2/route/10.0.0.0/8/w", "outgoing_interface"},
	    {LIG_MODEL_LINUX_ARP, "{\"interface\":\"a\",\"ip_address\":\"10.0.0.1\"}",
	     "config/linux/l3/v2/arp/b/10.0.0.1", "interface"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lig_model *m = lig_model_get(cases[i].id);
		void *v = decode(cases[i].id, cases[i].json);
		char buf[LIG_MODEL_KEY_MAX];
		assert_true(lig_model_key_build(m, v, "vpp1", buf, sizeof(buf)) > 0);
		parse_ok(buf, cases[i].id, "vpp1");
		assert_int_equal(lig_model_key_check(&key, v, &err), 0);
		parse_ok(cases[i].other_key, cases[i].id, "");
		assert_int_equal(lig_model_key_check(&key, v, &err), -EINVAL);
		assert_int_equal(err.kind, LIG_MODEL_ERR_KEY);
		if (strcmp(err.field, cases[i].field))
			fail_msg("%s vs %s: %s", cases[i].other_key, cases[i].json, err.text);
		lig_model_value_delete(m, v);
	}
	/* equivalent spellings agree: a MAC's case, a destination's host bits, .../gw */
	struct lig_vpp_route *r =
	    decode(LIG_MODEL_VPP_ROUTE, "{\"dst_network\":\"10.0.0.0/8\",\"vrf_id\":2}");
	parse_ok("config/vpp/v2/route/vrf/2/dst/10.1.0.0/8/gw", LIG_MODEL_VPP_ROUTE, "");
	assert_int_equal(lig_model_key_check(&key, r, &err), 0);
	parse_ok("config/vpp/v2/route/vrf/1/dst/10.0.0.0/8", LIG_MODEL_VPP_ROUTE, "");
	assert_int_equal(lig_model_key_check(&key, r, &err), -EINVAL);
	assert_string_equal(err.field, "vrf_id");
	assert_non_null(strstr(err.text, "the key names VRF '1' but the value has '2'"));
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_ROUTE), r);
	/* a value without a name: the key names what the value does not */
	struct lig_vpp_interface *i = decode(LIG_MODEL_VPP_INTERFACE, "{}");
	parse_ok("config/vpp/v2/interfaces/loop1", LIG_MODEL_VPP_INTERFACE, "");
	assert_int_equal(lig_model_key_check(&key, i, &err), -EINVAL);
	assert_string_equal(err.field, "name");
	assert_non_null(strstr(err.text, "the key names interface 'loop1' but the value has ''"));
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_INTERFACE), i);
	/* a route without a destination: vpp-agent's key for it says <invalid>/0 */
	r = decode(LIG_MODEL_VPP_ROUTE, "{\"next_hop_addr\":\"1.1.1.1\"}");
	parse_ok("config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/gw/1.1.1.1", LIG_MODEL_VPP_ROUTE, "");
	assert_int_equal(lig_model_key_check(&key, r, &err), -EINVAL);
	assert_non_null(strstr(err.text, "the key names destination '10.0.0.0/8' but the value has "
					 "'<invalid>/0'"));
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_ROUTE), r);
	/* an ARP entry without its address has no key of the template at all */
	struct lig_vpp_arp *a = decode(LIG_MODEL_VPP_ARP, "{\"interface\":\"tap1\"}");
	parse_ok("config/vpp/v2/arp/tap1/10.0.0.1", LIG_MODEL_VPP_ARP, "");
	assert_int_equal(lig_model_key_check(&key, a, &err), -EINVAL);
	assert_non_null(strstr(err.text,
			       "the value does not name itself (its key would be "
			       "config/vpp/v2/arp/tap1, not config/vpp/v2/arp/tap1/10.0.0.1)"));
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_ARP), a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_each_template), cmocka_unit_test(test_parse_routes),
	    cmocka_unit_test(test_parse_errors),	cmocka_unit_test(test_build),
	    cmocka_unit_test(test_path_clean),		cmocka_unit_test(test_key_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
