/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of vpp-agent's configuration document <-> key/value items (agent/models doc.c), fed
 * through lig-agent's YAML trees: vpp-agent's own documents verbatim (its e2e tests' init files,
 * which are also what its REST GET/PUT /configuration speak), both field-name forms, the document
 * rebuilt from the items decoding to the same items, and bad documents refused with the path. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lig_models_doc.h"
#include "yaml_json.h"

static int
decode_yaml(const char *y, struct lig_model_doc_items *out, struct lig_model_error *err)
{
	char yerr[256];
	json_t *t = agent_yaml_load(y, strlen(y), yerr, sizeof(yerr));
	if (!t)
		fail_msg("YAML: %s", yerr);
	int rc = lig_model_doc_decode(t, "vpp1", out, err);
	json_decref(t);
	return rc;
}

static const char *
value_of(const struct lig_model_doc_items *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->items[i].key, key))
			return d->items[i].value;
	return NULL;
}

/* The document rebuilt from items (lig_model_doc_add) decodes to the same items. */
static void
round_trip(const struct lig_model_doc_items *d)
{
	json_t *doc = lig_model_doc_new();
	struct lig_model_error err;
	for (size_t i = 0; i < d->n; i++)
		assert_int_equal(lig_model_doc_add(doc, d->items[i].key, d->items[i].value,
						   strlen(d->items[i].value), &err),
				 0);
	/* Through YAML text as GET /configuration writes it. */
	char *y = agent_yaml_dump(doc);
	assert_non_null(y);
	struct lig_model_doc_items back;
	assert_int_equal(decode_yaml(y, &back, &err), 0);
	assert_int_equal(back.n, d->n);
	for (size_t i = 0; i < d->n; i++) {
		const char *v = value_of(&back, d->items[i].key);
		assert_non_null(v);
		assert_string_equal(v, d->items[i].value);
	}
	lig_model_doc_items_free(&back);
	free(y);
	json_decref(doc);
}

/* vpp-agent tests/e2e/001_init_config_test.go, TestInitFromFile's initial-config.yaml. */
static void
test_e2e_init_file(void **state)
{
	(void)state;
	const char *doc = "\n"
			  "netallocConfig: {}\n"
			  "linuxConfig: {}\n"
			  "vppConfig:\n"
			  "  interfaces:\n"
			  "    - name: loop-test-from-init-file\n"
			  "      type: SOFTWARE_LOOPBACK\n"
			  "      enabled: true\n"
			  "      ipAddresses:\n"
			  "        - 10.10.1.1/24\n"
			  "      mtu: 9000\n";
	struct lig_model_doc_items d;
	struct lig_model_error err;
	assert_int_equal(decode_yaml(doc, &d, &err), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].key,
			    "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop-test-from-init-file");
	assert_string_equal(d.items[0].value,
			    "{\"name\":\"loop-test-from-init-file\",\"type\":\"SOFTWARE_LOOPBACK\","
			    "\"enabled\":true,\"ipAddresses\":[\"10.10.1.1/24\"],\"mtu\":9000}");
	assert_int_equal(d.items[0].model->id, LIG_MODEL_VPP_INTERFACE);
	round_trip(&d);
	lig_model_doc_items_free(&d);
}

/* The same test file, TestInitFromFileAndEtcd's document (one-space indentation as written). */
static void
test_e2e_init_file_memifs(void **state)
{
	(void)state;
	const char *doc = "\n"
			  "netallocConfig: {}\n"
			  "linuxConfig: {}\n"
			  "vppConfig:\n"
			  " interfaces:\n"
			  "   - name: memif-from-init-file\n"
			  "     type: MEMIF\n"
			  "     enabled: true\n"
			  "     ipAddresses:\n"
			  "       - 10.10.1.2/32\n"
			  "     mtu: 1500\n"
			  "     memif:\n"
			  "         master: false\n"
			  "         id: 2\n"
			  "         socketFilename: /run/vpp/default.sock\n"
			  "   - name: memif-from-both-sources\n"
			  "     type: MEMIF\n"
			  "     enabled: true\n"
			  "     ipAddresses:\n"
			  "       - 10.10.1.4/32\n"
			  "     mtu: 1500\n"
			  "     memif:\n"
			  "         master: false\n"
			  "         id: 4\n"
			  "         socketFilename: /run/vpp/default.sock\n";
	struct lig_model_doc_items d;
	struct lig_model_error err;
	assert_int_equal(decode_yaml(doc, &d, &err), 0);
	assert_int_equal(d.n, 2);
	const char *v =
	    value_of(&d, "/vnf-agent/vpp1/config/vpp/v2/interfaces/memif-from-both-sources");
	assert_non_null(v);
	assert_non_null(
	    strstr(v, "\"memif\":{\"id\":4,\"socketFilename\":\"/run/vpp/default.sock\"}"));
	round_trip(&d);
	lig_model_doc_items_free(&d);
}

/* Every covered list, with proto field names and JSON: keys follow each model's template. */
static void
test_all_lists_both_name_forms(void **state)
{
	(void)state;
	const char *doc =
	    "{\"vpp_config\": {"
	    "\"interfaces\": [{\"name\": \"loop1\", \"type\": \"SOFTWARE_LOOPBACK\"}],"
	    "\"bridge_domains\": [{\"name\": \"bd1\", \"interfaces\": [{\"name\": \"loop1\", "
	    "\"bridged_virtual_interface\": true}]}],"
	    "\"fibs\": [{\"phys_address\": \"62:89:C6:A3:6D:6F\", \"bridge_domain\": \"bd1\", "
	    "\"outgoing_interface\": \"loop1\", \"action\": \"FORWARD\"}],"
	    "\"xconnect_pairs\": [{\"receive_interface\": \"if1\", \"transmit_interface\": "
	    "\"if2\"}],"
	    "\"routes\": [{\"dst_network\": \"10.1.0.0/16\", \"next_hop_addr\": \"10.0.0.1\", "
	    "\"outgoing_interface\": \"loop1\"}],"
	    "\"arps\": [{\"interface\": \"loop1\", \"ip_address\": \"10.0.0.9\", "
	    "\"phys_address\": \"02:00:00:00:00:09\", \"static\": true}],"
	    "\"vrfs\": [{\"id\": 2, \"label\": \"blue\"}]},"
	    "\"linux_config\": {"
	    "\"interfaces\": [{\"name\": \"veth1\", \"type\": \"VETH\", \"veth\": "
	    "{\"peer_if_name\": "
	    "\"veth2\"}}],"
	    "\"arp_entries\": [{\"interface\": \"veth1\", \"ip_address\": \"10.0.0.2\", "
	    "\"hw_address\": \"02:00:00:00:00:02\"}],"
	    "\"routes\": [{\"outgoing_interface\": \"veth1\", \"dst_network\": \"10.2.0.0/16\", "
	    "\"gw_addr\": \"10.0.0.1\"}]},"
	    "\"netalloc_config\": {}}";
	struct lig_model_doc_items d;
	struct lig_model_error err;
	int rc = decode_yaml(doc, &d, &err);
	if (rc)
		fail_msg("%s", err.text);
	assert_int_equal(d.n, 10);
	static const char *const keys[] = {
	    "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1",
	    "/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/bd1",
	    "/vnf-agent/vpp1/config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:6F",
	    "/vnf-agent/vpp1/config/vpp/l2/v2/xconnect/if1",
	    "/vnf-agent/vpp1/config/vpp/v2/route/if/loop1/vrf/0/dst/10.1.0.0/16/gw/10.0.0.1",
	    "/vnf-agent/vpp1/config/vpp/v2/arp/loop1/10.0.0.9",
	    "/vnf-agent/vpp1/config/vpp/v2/vrf-table/id/2/protocol/IPV4",
	    "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth1",
	    "/vnf-agent/vpp1/config/linux/l3/v2/arp/veth1/10.0.0.2",
	    "/vnf-agent/vpp1/config/linux/l3/v2/route/10.2.0.0/16/veth1",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!value_of(&d, keys[i])) {
			for (size_t j = 0; j < d.n; j++)
				fprintf(stderr, "have %s\n", d.items[j].key);
			fail_msg("missing %s", keys[i]);
		}
	round_trip(&d);
	lig_model_doc_items_free(&d);
}

static void
expect_bad(const char *y, int want, const char *field, const char *text)
{
	struct lig_model_doc_items d;
	struct lig_model_error err;
	int rc = decode_yaml(y, &d, &err);
	lig_model_doc_items_free(&d);
	if (rc != want || strcmp(err.field, field) || !strstr(err.text, text))
		fail_msg("%s: rc %d field \"%s\" text \"%s\"", y, rc, err.field, err.text);
}

static void
test_bad_documents(void **state)
{
	(void)state;
	expect_bad("vppConfig:\n  abfs:\n    - index: 1\n", -EOPNOTSUPP, "vppConfig.abfs",
		   "a vpp-agent model Ligature does not cover");
	expect_bad("vppConfig:\n  interfacez: []\n", -EINVAL, "vppConfig.interfacez",
		   "unknown field");
	expect_bad("vppConfig:\n  interfaces:\n    - name: x\n      colour: red\n", -EINVAL,
		   "vppConfig.interfaces[0].colour", "vppConfig.interfaces[0]: ");
	expect_bad("vppConfig:\n  interfaces: {name: x}\n", -EINVAL, "vppConfig.interfaces",
		   "not a list");
	expect_bad("vppConfig:\n  interfaces: [7]\n", -EINVAL, "vppConfig.interfaces[0]",
		   "not an object");
	expect_bad("vppConfig: {}\nvpp_config: {}\n", -EINVAL, "vppConfig", "given twice");
	expect_bad("kubeConfig: {}\n", -EINVAL, "kubeConfig", "unknown field");
	expect_bad("- a\n", -EINVAL, "", "not an object");
	/* Empty uncovered lists are no configuration: accepted. */
	struct lig_model_doc_items d;
	struct lig_model_error err;
	assert_int_equal(
	    decode_yaml("vppConfig: {abfs: [], spans: []}\nnetallocConfig: {}\n", &d, &err), 0);
	assert_int_equal(d.n, 0);
	lig_model_doc_items_free(&d);
	/* nat44Global is one value, not a list: its key has no name. */
	assert_int_equal(decode_yaml("vppConfig: {nat44Global: {forwarding: true}}\n", &d, &err),
			 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].key, "/vnf-agent/vpp1/config/vpp/nat/v2/nat44-global");
	lig_model_doc_items_free(&d);
	/* A key that is not a covered model's is not added to a document. */
	json_t *doc = lig_model_doc_new();
	assert_int_equal(
	    lig_model_doc_add(
		doc, "/vnf-agent/vpp1/config/vpp/nat/v2/nat44-vrf-route/vrfid/1/destvrfid/2", "{}",
		2, &err),
	    -ENOENT);
	assert_int_equal(
	    lig_model_doc_add(doc, "config/vpp/v2/interfaces/x", "{\"nme\":1}", 9, &err), -EINVAL);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_e2e_init_file),
	    cmocka_unit_test(test_e2e_init_file_memifs),
	    cmocka_unit_test(test_all_lists_both_name_forms),
	    cmocka_unit_test(test_bad_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
