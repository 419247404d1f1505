/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig-agent's VPP interface descriptor (vpp_interface.c), the parts testable without ligd:
 * logical names as ligd tags (escaping, length), the derived keys (VRF binding, addresses and
 * their VRF), validation (what ligd cannot do refused with the field named), when two values are
 * the same configuration (defaults resolved, unset MAC/MTU), what changes in place and what
 * re-creates, vpp-agent's generated TAP host name, the af_packet linux_interface reference, and
 * the memory of ligd numbers. The file is included so its static functions can be called.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../vpp_interface.c"

/* What vpp_interface.c needs of the rest of the agent (ligd never connected here). */
struct agent A;
static struct agent_item items[4];
static size_t n_items;

bool
agent_api_up(struct lig_sched_err *err)
{
	lig_sched_err_set(err, "ligd is not connected");
	return false;
}

int
agent_api_rc(int rc, const char *what, const char *text, struct lig_sched_err *err)
{
	(void)what;
	(void)text;
	(void)err;
	return rc;
}

struct agent_item *
agent_item_find(const char *key)
{
	for (size_t k = 0; k < n_items; k++)
		if (strcmp(items[k].key, key) == 0)
			return &items[k];
	return NULL;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(A.prefix, sizeof(A.prefix), "/vnf-agent/vpp1/config/");
	snprintf(A.if_prefix, sizeof(A.if_prefix), "/vnf-agent/vpp1/config/vpp/v2/interfaces/");
	return 0;
}

static void
test_tags(void **state)
{
	(void)state;
	char tag[64], name[128];
	assert_int_equal(agent_tag_encode("my-loop", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "my-loop");
	assert_int_equal(agent_tag_encode("lo é \"x\" 100%", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "lo %C3%A9 %22x%22 100%25");
	agent_tag_decode(tag, sizeof(tag), name, sizeof(name));
	assert_string_equal(name, "lo é \"x\" 100%");
	/* 63 plain characters fit, 64 do not; escapes count 3 */
	char n63[64];
	memset(n63, 'a', 63);
	n63[63] = 0;
	assert_int_equal(agent_tag_encode(n63, tag, sizeof(tag)), 0);
	assert_string_equal(tag, n63);
	n63[61] = '%';
	assert_int_equal(agent_tag_encode(n63, tag, sizeof(tag)), -ENAMETOOLONG);
	/* a malformed escape reads as itself */
	agent_tag_decode("a%4", 4, name, sizeof(name));
	assert_string_equal(name, "a%4");
	agent_tag_decode("%zz%41", 7, name, sizeof(name));
	assert_string_equal(name, "%zzA");
	/* a tag filling its field without a NUL stops there */
	char full[4] = {'a', 'b', 'c', 'd'};
	agent_tag_decode(full, sizeof(full), name, sizeof(name));
	assert_string_equal(name, "abcd");
}

static void
test_derived_keys(void **state)
{
	(void)state;
	char name[LIG_MODEL_KEY_MAX];
	u32 vrf = 99;
	assert_true(
	    vrf_key_parse("vpp/interface/a/b/vrf/7/ip-version/v4", name, sizeof(name), &vrf));
	assert_string_equal(name, "a/b");
	assert_int_equal(vrf, 7);
	assert_true(
	    vrf_key_parse("vpp/interface/x/vrf/x/vrf/0/ip-version/v4", name, sizeof(name), &vrf));
	assert_string_equal(name, "x/vrf/x");
	assert_int_equal(vrf, 0);
	assert_true(vrf_key_parse("vpp/interface/x/vrf/4294967295/ip-version/v4", name,
				  sizeof(name), &vrf));
	assert_int_equal(vrf, 4294967295u);
	assert_false(vrf_key_parse("vpp/interface/x/vrf/4294967296/ip-version/v4", name,
				   sizeof(name), &vrf));
	assert_false(vrf_key_parse("vpp/interface/x/vrf//ip-version/v4", name, sizeof(name), &vrf));
	assert_false(vrf_key_parse("vpp/interface/vrf/1/ip-version/v4", name, sizeof(name), &vrf));
	assert_false(
	    vrf_key_parse("vpp/interface/x/vrf/1/ip-version/v6", name, sizeof(name), &vrf));
	assert_false(
	    vrf_key_parse("vpp/interface/x/address/static/1.2.3.4/24", name, sizeof(name), &vrf));
	assert_false(vrf_selector(NULL, "vpp/interface/x/address/static/1.2.3.4/24"));
	assert_true(vrf_selector(NULL, "vpp/interface/x/vrf/3/ip-version/v4"));

	assert_true(
	    addr_key_parse("vpp/interface/a b/address/static/10.0.0.1/24", name, sizeof(name)));
	assert_string_equal(name, "a b");
	assert_int_equal(addr_vrf("10.0.0.1/24", 11), 0);
	assert_int_equal(addr_vrf("10.0.0.1/24 vrf 12", 18), 12);
}

static int
validate(const char *json)
{
	return if_validate(NULL, "k", json, strlen(json), NULL);
}

static void
test_validate(void **state)
{
	(void)state;
	assert_int_equal(validate("{\"name\":\"my loop\",\"type\":\"SOFTWARE_LOOPBACK\"}"), 0);
	assert_int_equal(validate("{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,"
				  "\"enableGso\":true,\"toMicroservice\":\"ns1\"}}"),
			 0);
	/* TAP v1 (the default), a netns path, rings, tunnel mode */
	assert_int_equal(validate("{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{}}"), -EOPNOTSUPP);
	assert_int_equal(validate("{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,"
				  "\"toMicroservice\":\"a/b\"}}"),
			 -EINVAL);
	assert_int_equal(
	    validate(
		"{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,\"rxRingSize\":256}}"),
	    -EOPNOTSUPP);
	assert_int_equal(validate("{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,"
				  "\"enableTunnel\":true}}"),
			 -EOPNOTSUPP);
	/* what ligd has not */
	assert_int_equal(validate("{\"name\":\"u\",\"type\":\"SOFTWARE_LOOPBACK\","
				  "\"unnumbered\":{\"interfaceWithIp\":\"x\"}}"),
			 -EOPNOTSUPP);
	assert_int_equal(validate("{\"name\":\"u\",\"type\":\"SOFTWARE_LOOPBACK\","
				  "\"rxPlacements\":[{\"queue\":0,\"worker\":1}]}"),
			 -EOPNOTSUPP);
	assert_int_equal(validate("{\"name\":\"v\",\"type\":\"VXLAN_TUNNEL\",\"vxlan\":"
				  "{\"srcAddress\":\"::1\",\"dstAddress\":\"::2\",\"vni\":1}}"),
			 -EOPNOTSUPP);
	assert_int_equal(validate("{\"name\":\"d\",\"type\":\"DPDK\"}"), -EOPNOTSUPP);
	/* a name that does not fit ligd's tag once escaped */
	char j[256];
	snprintf(j, sizeof(j), "{\"name\":\"%s\",\"type\":\"SOFTWARE_LOOPBACK\"}",
		 "ééééééééééé"); /* 22 bytes, 66 escaped */
	assert_int_equal(validate(j), -EINVAL);
	/* not JSON of the model */
	assert_int_equal(validate("{\"name\":\"x\",\"type\":\"SOFTWARE_LOOPBACK\",\"bogus\":1}"),
			 -EINVAL);
	assert_int_equal(validate("nope"), -EINVAL);
}

static bool
eq(const char *a, const char *b)
{
	return if_equivalent(NULL, "k", a, strlen(a), b, strlen(b));
}

static bool
recreate(const char *a, const char *b)
{
	return if_recreate(NULL, "k", a, strlen(a), b, strlen(b), NULL);
}

#define LOOP(extra) "{\"name\":\"l\",\"type\":\"SOFTWARE_LOOPBACK\"" extra "}"
#define MEMIF(extra) "{\"name\":\"m\",\"type\":\"MEMIF\",\"memif\":{\"id\":1" extra "}}"

static void
test_equivalent_and_recreate(void **state)
{
	(void)state;
	/* an unset MAC or MTU matches what ligd has; MACs in any case */
	assert_true(eq(LOOP(",\"mtu\":1500,\"physAddress\":\"02:00:00:00:00:01\""), LOOP("")));
	assert_true(eq(LOOP(",\"physAddress\":\"02:AA:00:00:00:01\""),
		       LOOP(",\"physAddress\":\"02:aa:00:00:00:01\"")));
	assert_false(eq(LOOP(",\"physAddress\":\"02:00:00:00:00:01\""),
			LOOP(",\"physAddress\":\"02:00:00:00:00:02\"")));
	assert_false(eq(LOOP(",\"mtu\":1400"), LOOP(",\"mtu\":1500")));
	assert_false(eq(LOOP(",\"enabled\":true"), LOOP("")));
	/* addresses and (but for VXLAN) the VRF are derived values */
	assert_true(eq(LOOP(",\"ipAddresses\":[\"10.0.0.1/24\"],\"vrf\":3"), LOOP("")));
	const char *vx1 = "{\"name\":\"v\",\"type\":\"VXLAN_TUNNEL\",\"vrf\":1,\"vxlan\":"
			  "{\"srcAddress\":\"10.0.0.1\",\"dstAddress\":\"10.0.0.2\",\"vni\":5}}";
	const char *vx0 = "{\"name\":\"v\",\"type\":\"VXLAN_TUNNEL\",\"vxlan\":"
			  "{\"srcAddress\":\"10.0.0.1\",\"dstAddress\":\"10.0.0.2\",\"vni\":5}}";
	assert_false(eq(vx1, vx0));
	assert_true(recreate(vx1, vx0));
	/* memif defaults resolved */
	assert_true(
	    eq(MEMIF(""),
	       MEMIF(",\"ringSize\":1024,\"bufferSize\":2048,\"rxQueues\":1,\"txQueues\":1")));
	assert_false(eq(MEMIF(""), MEMIF(",\"ringSize\":2048")));
	assert_false(eq(MEMIF(""), MEMIF(",\"secret\":\"s\"")));
	/* memif rx mode: none, DEFAULT and ADAPTIVE are ligd's adaptive */
	const char *rx_def =
	    "{\"name\":\"m\",\"type\":\"MEMIF\",\"rxModes\":[{\"mode\":\"DEFAULT\","
	    "\"defaultMode\":true}],\"memif\":{\"id\":1}}";
	const char *rx_poll = "{\"name\":\"m\",\"type\":\"MEMIF\",\"rxModes\":[{\"mode\":"
			      "\"POLLING\",\"defaultMode\":true}],\"memif\":{\"id\":1}}";
	assert_true(eq(MEMIF(""), rx_def));
	assert_false(eq(MEMIF(""), rx_poll));
	assert_false(recreate(MEMIF(""), rx_poll)); /* in place */
	/* in place: MTU, MAC, admin state; re-created: the link, an af_packet's MAC */
	assert_false(recreate(LOOP(",\"mtu\":1400"), LOOP(",\"mtu\":1500,\"enabled\":true")));
	assert_false(recreate(LOOP(",\"physAddress\":\"02:00:00:00:00:01\""),
			      LOOP(",\"physAddress\":\"02:00:00:00:00:02\"")));
	assert_true(recreate(MEMIF(""), MEMIF(",\"master\":true")));
	assert_true(recreate(MEMIF(""), MEMIF(",\"socketFilename\":\"/x\"")));
	assert_true(recreate(LOOP(""), MEMIF("")));
	const char *afp1 = "{\"name\":\"a\",\"type\":\"AF_PACKET\",\"physAddress\":"
			   "\"02:00:00:00:00:01\",\"afpacket\":{\"hostIfName\":\"eth1\"}}";
	const char *afp2 = "{\"name\":\"a\",\"type\":\"AF_PACKET\",\"physAddress\":"
			   "\"02:00:00:00:00:02\",\"afpacket\":{\"hostIfName\":\"eth1\"}}";
	assert_true(recreate(afp1, afp2));
	assert_false(recreate(afp1, afp1));
}

static void
test_tap_and_afpacket_names(void **state)
{
	(void)state;
	char h[64];
	/* vpp-agent's generated name: tap-<FNV-1a 32 of the logical name> */
	struct lig_vpp_interface t = {.name = "a", .type = LIG_VPP_IF_TAP};
	tap_host_name(&t, h, sizeof(h));
	assert_string_equal(h, "tap-3826002220");
	t.link.tap.host_if_name = "tapx";
	tap_host_name(&t, h, sizeof(h));
	assert_string_equal(h, "tapx");
	/* the generated name read back equals the value without one */
	assert_true(eq("{\"name\":\"tap-a\",\"type\":\"TAP\",\"tap\":{\"version\":2}}",
		       "{\"name\":\"tap-a\",\"type\":\"TAP\",\"tap\":{\"version\":2,"
		       "\"hostIfName\":\"tap-655642676\"}}"));
	assert_false(
	    eq("{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2}}",
	       "{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,\"enableGso\":true}}"));

	/* linux_interface: the Linux interface value's host name, else its name */
	struct lig_vpp_interface a = {.name = "a",
				      .type = LIG_VPP_IF_AF_PACKET,
				      .link_case = LIG_VPP_IF_LINK_AFPACKET,
				      .link.afpacket.linux_interface = "veth1"};
	assert_int_equal(afp_host_name(&a, h, sizeof(h), NULL), -ENOENT);
	items[0] = (struct agent_item){
	    .key = "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth1",
	    .value = "{\"name\":\"veth1\",\"type\":\"VETH\",\"hostIfName\":\"v1h\","
		     "\"veth\":{\"peerIfName\":\"veth2\"}}"};
	items[1] = (struct agent_item){
	    .key = "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth2",
	    .value = "{\"name\":\"veth2\",\"type\":\"VETH\",\"namespace\":{\"type\":\"NSID\","
		     "\"reference\":\"ns1\"},\"veth\":{\"peerIfName\":\"veth1\"}}"};
	items[2] = (struct agent_item){
	    .key = "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth3",
	    .value = "{\"name\":\"veth3\",\"type\":\"VETH\",\"veth\":{\"peerIfName\":\"x\"}}"};
	for (size_t k = 0; k < 3; k++)
		items[k].size = strlen(items[k].value);
	n_items = 3;
	assert_int_equal(afp_host_name(&a, h, sizeof(h), NULL), 0);
	assert_string_equal(h, "v1h");
	a.link.afpacket.linux_interface = "veth2";
	assert_int_equal(afp_host_name(&a, h, sizeof(h), NULL), -EINVAL); /* other namespace */
	a.link.afpacket.linux_interface = "veth3";
	assert_int_equal(afp_host_name(&a, h, sizeof(h), NULL), 0);
	assert_string_equal(h, "veth3");
	/* the reference and the host name it leads to are the same configuration */
	assert_true(eq("{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{\"linuxInterface\":"
		       "\"veth1\"}}",
		       "{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{\"hostIfName\":"
		       "\"v1h\"}}"));
	n_items = 0;
}

static void
test_numbers_remembered(void **state)
{
	(void)state;
	u32 n;
	char name[32];
	assert_false(mem_get("x", LIG_VPP_IF_SOFTWARE_LOOPBACK, &n));
	for (u32 k = 0; k < 5000; k++) {
		snprintf(name, sizeof(name), "if-%u", k);
		mem_put(name, LIG_VPP_IF_SOFTWARE_LOOPBACK, k);
		mem_put(name, LIG_VPP_IF_TAP, k + 7);
	}
	mem_put("if-3", LIG_VPP_IF_SOFTWARE_LOOPBACK, 42);
	for (u32 k = 0; k < 5000; k++) {
		snprintf(name, sizeof(name), "if-%u", k);
		assert_true(mem_get(name, LIG_VPP_IF_SOFTWARE_LOOPBACK, &n));
		assert_int_equal(n, k == 3 ? 42 : k);
		assert_true(mem_get(name, LIG_VPP_IF_TAP, &n));
		assert_int_equal(n, k + 7);
	}
	assert_false(mem_get("if-3", LIG_VPP_IF_VXLAN_TUNNEL, &n));
	assert_int_equal(mem.n, 10000);
	assert_true(name_number("loop12", "loop", &n));
	assert_int_equal(n, 12);
	assert_false(name_number("loop", "loop", &n));
	assert_false(name_number("loop1x", "loop", &n));
	assert_false(name_number("memif1/2", "loop", &n));
	for (size_t i = 0; i < mem.cap; i++)
		free(mem.v[i].name);
	free(mem.v);
	memset(&mem, 0, sizeof(mem));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tags),
	    cmocka_unit_test(test_derived_keys),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_equivalent_and_recreate),
	    cmocka_unit_test(test_tap_and_afpacket_names),
	    cmocka_unit_test(test_numbers_remembered),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
