/* SPDX-License-Identifier: Apache-2.0 */
/* The protobuf JSON mapping as libligagent_models decodes and encodes it: field names in both
 * forms, enums by name and number, integers as numbers or strings, null, oneofs, unknown
 * fields, wrong types, malformed JSON, size limit, canonical encoding, round trips, copies; and
 * the message tables themselves (numbers, names, oneofs) against what protojson requires. */
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
#include "pbjson.h"
#include "schema.h"

static struct lig_model_error err;

static const struct lig_model *
M(enum lig_model_id id)
{
	return lig_model_get(id);
}

/* Decodes json as model id into a new value (returned; *rv gets decode's result). */
static void *
decode(enum lig_model_id id, const char *json, int *rv)
{
	void *v = lig_model_value_new(M(id));
	assert_non_null(v);
	memset(&err, 0, sizeof(err));
	*rv = M(id)->decode(json, strlen(json), v, &err);
	return v;
}

static void *
decode_ok(enum lig_model_id id, const char *json)
{
	int rv;
	void *v = decode(id, json, &rv);
	if (rv)
		fail_msg("decoding %s failed: %s", json, err.text);
	return v;
}

/* Decoding fails with kind, the field path and a message containing what. */
static void
decode_fails(enum lig_model_id id, const char *json, enum lig_model_err_kind kind,
	     const char *field, const char *what)
{
	int rv;
	void *v = decode(id, json, &rv);
	if (rv != -EINVAL || err.kind != kind || strcmp(err.field, field) ||
	    !strstr(err.text, what))
		fail_msg("%s: rv %d kind %d field '%s' text '%s'; expected kind %d field '%s' with "
			 "'%s'",
			 json, rv, err.kind, err.field, err.text, kind, field, what);
	/* The text starts with the field path. */
	if (*field)
		assert_int_equal(strncmp(err.text, field, strlen(field)), 0);
	lig_model_value_delete(M(id), v);
}

static void
assert_encodes(enum lig_model_id id, const void *v, const char *want)
{
	char *s = M(id)->encode(v);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

/* a and b decode to equal values. */
static void
assert_same(enum lig_model_id id, const char *a, const char *b)
{
	void *x = decode_ok(id, a), *y = decode_ok(id, b);
	assert_true(M(id)->equal(x, y));
	lig_model_value_delete(M(id), x);
	lig_model_value_delete(M(id), y);
}

/* ---- the tables ---- */

static void
test_tables(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct lig_pb_message *const *m = lig_pb_all_messages; *m; m++, n++) {
		const struct lig_pb_message *msg = *m;
		assert_true(msg->n_fields > 0 && msg->n_fields <= 64);
		for (size_t i = 0; i < msg->n_fields; i++) {
			const struct lig_pb_field *f = &msg->fields[i];
			char ji[64], jj[64];
			assert_true(f->number > 0);
			assert_true(f->offset < msg->size);
			assert_true(f->oneof <= msg->n_oneofs);
			if (f->type == LIG_PB_MESSAGE)
				assert_non_null(f->message);
			if (f->type == LIG_PB_ENUM)
				assert_non_null(f->enumeration);
			if (f->flags & LIG_PB_REPEATED)
				assert_true(f->count_offset < msg->size && !f->oneof);
			lig_pb_json_name(f->name, ji, sizeof(ji));
			for (size_t j = 0; j < i; j++) {
				const struct lig_pb_field *g = &msg->fields[j];
				lig_pb_json_name(g->name, jj, sizeof(jj));
				/* protoc refuses a message whose numbers, names or JSON names clash
				 */
				assert_true(f->number != g->number);
				assert_string_not_equal(f->name, g->name);
				assert_string_not_equal(ji, jj);
			}
		}
	}
	assert_int_equal(n, 57);

	char j[64];
	lig_pb_json_name("ip6_nd", j, sizeof(j));
	assert_string_equal(j, "ip6Nd");
	lig_pb_json_name("vmx_net3", j, sizeof(j));
	assert_string_equal(j, "vmxNet3");
	lig_pb_json_name("bridged_virtual_interface", j, sizeof(j));
	assert_string_equal(j, "bridgedVirtualInterface");

	/* Every model's registry entry */
	for (int i = 0; i < LIG_MODEL_N; i++) {
		const struct lig_model *m = M((enum lig_model_id)i);
		assert_int_equal(m->id, i);
		assert_ptr_equal(lig_model_by_name(m->name), m);
		assert_true(!strncmp(m->key_prefix, "config/", 7));
		assert_int_equal(m->key_prefix[strlen(m->key_prefix) - 1], '/');
		assert_ptr_equal(lig_model_by_key(m->key_prefix), m);
	}
	assert_null(lig_model_by_name("vpp.abfs.abf"));
	assert_null(lig_model_get(LIG_MODEL_N));
}

/* ---- names ---- */

static void
test_field_names_both_forms(void **state)
{
	(void)state;
	const char *snake =
	    "{\"name\":\"m1\",\"type\":\"MEMIF\",\"enabled\":true,\"phys_address\":"
	    "\"02:00:00:00:00:01\",\"ip_addresses\":[\"10.0.0.1/24\"],\"vrf\":3,\"mtu\":1500,"
	    "\"rx_modes\":[{\"mode\":\"POLLING\",\"default_mode\":true}],"
	    "\"memif\":{\"master\":true,\"id\":7,\"socket_filename\":\"/run/m.sock\","
	    "\"ring_size\":2048,\"buffer_size\":4096,\"rx_queues\":2,\"tx_queues\":2}}";
	const char *camel =
	    "{\"name\":\"m1\",\"type\":\"MEMIF\",\"enabled\":true,\"physAddress\":"
	    "\"02:00:00:00:00:01\",\"ipAddresses\":[\"10.0.0.1/24\"],\"vrf\":3,\"mtu\":1500,"
	    "\"rxModes\":[{\"mode\":\"POLLING\",\"defaultMode\":true}],"
	    "\"memif\":{\"master\":true,\"id\":7,\"socketFilename\":\"/run/m.sock\","
	    "\"ringSize\":2048,\"bufferSize\":4096,\"rxQueues\":2,\"txQueues\":2}}";
	const char *mixed =
	    "{\"name\":\"m1\",\"type\":\"MEMIF\",\"enabled\":true,\"physAddress\":"
	    "\"02:00:00:00:00:01\",\"ip_addresses\":[\"10.0.0.1/24\"],\"vrf\":3,\"mtu\":1500,"
	    "\"rx_modes\":[{\"mode\":\"POLLING\",\"defaultMode\":true}],"
	    "\"memif\":{\"master\":true,\"id\":7,\"socket_filename\":\"/run/m.sock\","
	    "\"ringSize\":2048,\"buffer_size\":4096,\"rxQueues\":2,\"tx_queues\":2}}";
	assert_same(LIG_MODEL_VPP_INTERFACE, snake, camel);
	assert_same(LIG_MODEL_VPP_INTERFACE, snake, mixed);

	struct lig_vpp_interface *v = decode_ok(LIG_MODEL_VPP_INTERFACE, camel);
	assert_string_equal(v->name, "m1");
	assert_int_equal(v->type, LIG_VPP_IF_MEMIF);
	assert_true(v->enabled);
	assert_string_equal(v->phys_address, "02:00:00:00:00:01");
	assert_int_equal(v->n_ip_addresses, 1);
	assert_string_equal(v->ip_addresses[0], "10.0.0.1/24");
	assert_int_equal(v->vrf, 3);
	assert_int_equal(v->mtu, 1500);
	assert_int_equal(v->n_rx_modes, 1);
	assert_int_equal(v->rx_modes[0].mode, LIG_VPP_RX_MODE_POLLING);
	assert_true(v->rx_modes[0].default_mode);
	assert_int_equal(v->link_case, LIG_VPP_IF_LINK_MEMIF);
	assert_true(v->link.memif.master);
	assert_int_equal(v->link.memif.id, 7);
	assert_string_equal(v->link.memif.socket_filename, "/run/m.sock");
	assert_int_equal(v->link.memif.ring_size, 2048);
	assert_int_equal(v->link.memif.buffer_size, 4096);
	assert_int_equal(v->link.memif.rx_queues, 2);
	assert_int_equal(v->link.memif.tx_queues, 2);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);

	/* Every model: a field in both forms at once is a duplicate. */
	decode_fails(LIG_MODEL_VPP_INTERFACE,
		     "{\"ip_addresses\":[\"10.0.0.1/24\"],\"ipAddresses\":[\"10.0.0.2/24\"]}",
		     LIG_MODEL_ERR_FIELD, "ip_addresses", "duplicate field");
	decode_fails(LIG_MODEL_VPP_INTERFACE,
		     "{\"memif\":{\"socketFilename\":\"/a\",\"socket_filename\":\"/b\"}}",
		     LIG_MODEL_ERR_FIELD, "memif.socket_filename", "duplicate field");
	decode_fails(LIG_MODEL_VPP_BRIDGE_DOMAIN,
		     "{\"interfaces\":[{\"name\":\"a\"},{\"split_horizon_group\":1,"
		     "\"splitHorizonGroup\":2}]}",
		     LIG_MODEL_ERR_FIELD, "interfaces[1].split_horizon_group", "duplicate field");
	decode_fails(LIG_MODEL_LINUX_INTERFACE, "{\"hostIfName\":\"a\",\"host_if_name\":\"a\"}",
		     LIG_MODEL_ERR_FIELD, "host_if_name", "duplicate field");
	/* A duplicate is one even when its second value is null (as protojson). */
	decode_fails(LIG_MODEL_VPP_ROUTE, "{\"vrf_id\":1,\"vrfId\":null}", LIG_MODEL_ERR_FIELD,
		     "vrf_id", "duplicate field");
	/* The same name twice is refused by the JSON parser already. */
	decode_fails(LIG_MODEL_VPP_XCONNECT,
		     "{\"receive_interface\":\"a\",\"receive_interface\":\"b\"}",
		     LIG_MODEL_ERR_JSON, "", "duplicate object key");

	/* Only the two forms: other spellings are unknown fields. */
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"IpAddresses\":[]}", LIG_MODEL_ERR_FIELD,
		     "IpAddresses", "unknown field");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"ip-addresses\":[]}", LIG_MODEL_ERR_FIELD,
		     "ip-addresses", "unknown field");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"ipaddresses\":[]}", LIG_MODEL_ERR_FIELD,
		     "ipaddresses", "unknown field");
	/* "static" (a C keyword in the struct) and "namespace" by their model names */
	struct lig_vpp_arp *a = decode_ok(LIG_MODEL_VPP_ARP, "{\"static\":true}");
	assert_true(a->static_);
	lig_model_value_delete(M(LIG_MODEL_VPP_ARP), a);
	struct lig_linux_interface *l = decode_ok(
	    LIG_MODEL_LINUX_INTERFACE, "{\"namespace\":{\"type\":\"PID\",\"reference\":\"1\"}}");
	assert_true(l->has_namespace);
	assert_int_equal(l->namespace_.type, LIG_LINUX_NS_PID);
	lig_model_value_delete(M(LIG_MODEL_LINUX_INTERFACE), l);
}

/* Every field of every model, in both forms: a generic walk of the tables with a sample
 * value per type must decode, and decode the same way under either name. */
static void
test_every_field_both_forms(void **state)
{
	(void)state;
	for (int id = 0; id < LIG_MODEL_N; id++) {
		static const struct lig_pb_message *const top[] = {
		    &lig_pb_vpp_interface,  &lig_pb_vpp_bridge_domain,
		    &lig_pb_vpp_l2_fib,	    &lig_pb_vpp_xconnect,
		    &lig_pb_vpp_vrf_table,  &lig_pb_vpp_route,
		    &lig_pb_vpp_arp,	    &lig_pb_linux_interface,
		    &lig_pb_linux_route,    &lig_pb_linux_arp,
		    &lig_pb_vpp_acl,	    &lig_pb_vpp_nat44_global,
		    &lig_pb_vpp_dnat44,	    &lig_pb_vpp_nat44_interface,
		    &lig_pb_vpp_nat44_pool,
		};
		const struct lig_pb_message *m = top[id];
		assert_int_equal(M((enum lig_model_id)id)->value_size, m->size);
		for (size_t i = 0; i < m->n_fields; i++) {
			const struct lig_pb_field *f = &m->fields[i];
			const char *sample;
			char jname[64], a[256], b[256];
			switch (f->type) {
			case LIG_PB_BOOL:
				sample = "true";
				break;
			case LIG_PB_STRING:
				sample = f->flags & LIG_PB_REPEATED ? "[\"x\",\"y\"]" : "\"x\"";
				break;
			case LIG_PB_ENUM:
				sample = "1";
				break;
			case LIG_PB_MESSAGE:
				sample = f->flags & LIG_PB_REPEATED ? "[{},{}]" : "{}";
				break;
			default:
				sample = "\"42\"";
				break;
			}
			lig_pb_json_name(f->name, jname, sizeof(jname));
			snprintf(a, sizeof(a), "{\"%s\":%s}", f->name, sample);
			snprintf(b, sizeof(b), "{\"%s\":%s}", jname, sample);
			assert_same((enum lig_model_id)id, a, b);
			/* ... and the field is set: the value differs from the default */
			void *x = decode_ok((enum lig_model_id)id, a),
			     *y = decode_ok((enum lig_model_id)id, "{}");
			assert_false(M((enum lig_model_id)id)->equal(x, y));
			lig_model_value_delete(M((enum lig_model_id)id), x);
			lig_model_value_delete(M((enum lig_model_id)id), y);
		}
	}
}

/* ---- enums ---- */

static void
test_enums(void **state)
{
	(void)state;
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"type\":\"TAP\"}", "{\"type\":5}");
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"type\":\"TAP\"}", "{\"type\":5.0}");
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"type\":\"TAP\"}", "{\"type\":5e0}");
	assert_same(LIG_MODEL_VPP_ROUTE, "{\"type\":\"DROP\"}", "{\"type\":2}");
	assert_same(LIG_MODEL_VPP_VRF_TABLE, "{\"protocol\":\"IPV6\"}", "{\"protocol\":1}");
	assert_same(LIG_MODEL_VPP_L2_FIB, "{\"action\":\"DROP\"}", "{\"action\":1}");
	assert_same(LIG_MODEL_LINUX_INTERFACE, "{\"namespace\":{\"type\":\"MICROSERVICE\"}}",
		    "{\"namespace\":{\"type\":4}}");
	assert_same(LIG_MODEL_LINUX_ROUTE, "{\"scope\":\"LINK\"}", "{\"scope\":3}");
	/* The default by name is the default. */
	assert_same(LIG_MODEL_VPP_ROUTE, "{\"type\":\"INTRA_VRF\"}", "{}");

	/* Names are exact; numbers are numbers (a string is looked up as a name). */
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"type\":\"tap\"}", LIG_MODEL_ERR_FIELD, "type",
		     "\"tap\" is not a value of ligato.vpp.interfaces.Interface.Type");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"type\":\"5\"}", LIG_MODEL_ERR_FIELD, "type",
		     "is not a value of");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"type\":5.5}", LIG_MODEL_ERR_FIELD, "type",
		     "not an integer");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"type\":2147483648}", LIG_MODEL_ERR_FIELD, "type",
		     "out of range");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"type\":true}", LIG_MODEL_ERR_FIELD, "type",
		     "expected a name or number");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"memif\":{\"mode\":\"ip\"}}", LIG_MODEL_ERR_FIELD,
		     "memif.mode", "is not a value of ligato.vpp.interfaces.MemifLink.MemifMode");

	/* proto3 enums are open: an unnamed number decodes, keeps its number through
	 * encoding, and validation refuses it. */
	struct lig_vpp_interface *v =
	    decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"x\",\"type\":99}");
	assert_int_equal(v->type, 99);
	assert_encodes(LIG_MODEL_VPP_INTERFACE, v, "{\"name\":\"x\",\"type\":99}");
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->validate(v, &err), -EINVAL);
	assert_int_equal(err.kind, LIG_MODEL_ERR_INVALID);
	assert_string_equal(err.field, "type");
	assert_non_null(
	    strstr(err.text, "99 is not a value of ligato.vpp.interfaces.Interface.Type"));
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"type\":-1}");
	assert_int_equal(v->type, -1);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
}

/* ---- integers ---- */

static void
test_integers(void **state)
{
	(void)state;
	const char *same[] = {"{\"mtu\":1500}",	     "{\"mtu\":\"1500\"}",
			      "{\"mtu\":1500.0}",    "{\"mtu\":1.5e3}",
			      "{\"mtu\":\"1.5e3\"}", "{\"mtu\":\"15E2\"}",
			      "{\"mtu\":150000e-2}", "{\"mtu\":\"150000.00e-2\"}"};
	for (size_t i = 1; i < sizeof(same) / sizeof(same[0]); i++)
		assert_same(LIG_MODEL_VPP_INTERFACE, same[0], same[i]);
	struct lig_vpp_interface *v =
	    decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"vrf\":\"4294967295\"}");
	assert_int_equal(v->vrf, UINT32_MAX);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"vrf\":0}", "{\"vrf\":\"-0\"}");
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"vrf\":0}", "{\"vrf\":\"0e999999\"}");
	/* Exact whatever the length: 15 and 70 zeros, scaled back by 10^68 or 10^71. */
	char json[160], zeros[71];
	memset(zeros, '0', 70);
	zeros[70] = 0;
	snprintf(json, sizeof(json), "{\"mtu\":\"15%se-68\"}", zeros);
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":1500}", json);
	snprintf(json, sizeof(json), "{\"mtu\":\"0.%s15e74\"}", zeros);
	assert_same(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":1500}", json);
	snprintf(json, sizeof(json), "{\"mtu\":\"15%se-71\"}", zeros);
	decode_fails(LIG_MODEL_VPP_INTERFACE, json, LIG_MODEL_ERR_FIELD, "mtu",
		     "is not an integer");
	snprintf(json, sizeof(json), "{\"mtu\":\"15%s\"}", zeros);
	decode_fails(LIG_MODEL_VPP_INTERFACE, json, LIG_MODEL_ERR_FIELD, "mtu", "out of range");

	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":-1}", LIG_MODEL_ERR_FIELD, "mtu",
		     "-1 is out of range for uint32");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":4294967296}", LIG_MODEL_ERR_FIELD, "mtu",
		     "4294967296 is out of range for uint32");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":\"4294967296\"}", LIG_MODEL_ERR_FIELD,
		     "mtu", "out of range for uint32");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":\"1e99999999\"}", LIG_MODEL_ERR_FIELD,
		     "mtu", "out of range");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":1.5}", LIG_MODEL_ERR_FIELD, "mtu",
		     "1.5 is not an integer");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":\"1.5\"}", LIG_MODEL_ERR_FIELD, "mtu",
		     "is not an integer");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":\"15e-1\"}", LIG_MODEL_ERR_FIELD, "mtu",
		     "is not an integer");
	const char *nan[] = {"\"0x10\"", "\" 15\"", "\"15 \"", "\"+15\"", "\"\"",     "\"015\"",
			     "\"1.\"",	 "\".5\"",  "\"1e\"",  "\"--1\"", "\"1_000\""};
	for (size_t i = 0; i < sizeof(nan) / sizeof(nan[0]); i++) {
		char json[64];
		snprintf(json, sizeof(json), "{\"mtu\":%s}", nan[i]);
		decode_fails(LIG_MODEL_VPP_INTERFACE, json, LIG_MODEL_ERR_FIELD, "mtu",
			     "is not a number");
	}
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":true}", LIG_MODEL_ERR_FIELD, "mtu",
		     "expected uint32 (a number or a string), got a boolean");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":[1]}", LIG_MODEL_ERR_FIELD, "mtu",
		     "got an array");
	/* Past 2^53 a JSON number is not exact: use a string. */
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":1e300}", LIG_MODEL_ERR_FIELD, "mtu",
		     "write it as a string");
	/* A number too large for the parser is malformed JSON. */
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"mtu\":1e999}", LIG_MODEL_ERR_JSON, "",
		     "not valid JSON");
}

/* 64-bit integers (no covered model has one; the codec supports them as protojson does):
 * a test message of the codec's own. */
struct t64 {
	int64_t i64;
	uint64_t u64;
	int32_t i32;
	uint32_t *nums;
	size_t n_nums;
};
static const struct lig_pb_field f_t64[] = {
    LIG_PBF_SCALAR(struct t64, i64, "i64", 1, LIG_PB_INT64),
    LIG_PBF_SCALAR(struct t64, u64, "u64", 2, LIG_PB_UINT64),
    LIG_PBF_SCALAR(struct t64, i32, "i32", 3, LIG_PB_INT32),
    {.name = "nums",
     .number = 4,
     .type = LIG_PB_UINT32,
     .flags = LIG_PB_REPEATED,
     .offset = offsetof(struct t64, nums),
     .count_offset = offsetof(struct t64, n_nums)},
};
static const struct lig_pb_message m_t64 = {"test.T64", sizeof(struct t64), f_t64, 4, NULL, 0};

static int
dec64(const char *json, struct t64 *t)
{
	memset(t, 0, sizeof(*t));
	memset(&err, 0, sizeof(err));
	return lig_pb_decode(&m_t64, json, strlen(json), t, &err);
}

static void
test_64bit(void **state)
{
	(void)state;
	struct t64 t;
	char *s;

	assert_int_equal(
	    dec64("{\"u64\":\"18446744073709551615\",\"i64\":\"-9223372036854775808\"}", &t), 0);
	assert_true(t.u64 == UINT64_MAX);
	assert_true(t.i64 == INT64_MIN);
	s = lig_pb_encode(&m_t64, &t);
	/* protojson writes 64-bit integers as strings */
	assert_string_equal(s,
			    "{\"i64\":\"-9223372036854775808\",\"u64\":\"18446744073709551615\"}");
	free(s);
	lig_pb_free(&m_t64, &t);
	assert_int_equal(dec64("{\"i64\":9223372036854775807,\"u64\":123,\"i32\":-2147483648}", &t),
			 0);
	assert_true(t.i64 == INT64_MAX && t.u64 == 123 && t.i32 == INT32_MIN);
	assert_int_equal(dec64("{\"u64\":\"1.8446744073709551615e19\"}", &t), 0);
	assert_true(t.u64 == UINT64_MAX);
	assert_int_equal(dec64("{\"u64\":\"18446744073709551616\"}", &t), -EINVAL);
	assert_non_null(
	    strstr(err.text, "u64: \"18446744073709551616\" is out of range for uint64"));
	assert_int_equal(dec64("{\"i64\":\"9223372036854775808\"}", &t), -EINVAL);
	assert_non_null(strstr(err.text, "out of range for int64"));
	assert_int_equal(dec64("{\"i64\":\"-9223372036854775809\"}", &t), -EINVAL);
	assert_int_equal(dec64("{\"i32\":\"-2147483649\"}", &t), -EINVAL);
	assert_non_null(strstr(err.text, "out of range for int32"));
	/* Beyond 2^63 as a JSON number: jansson cannot hold it (a string works). */
	assert_int_equal(dec64("{\"u64\":18446744073709551615}", &t), -EINVAL);
	assert_int_equal(err.kind, LIG_MODEL_ERR_JSON);
	/* Repeated scalars, with their elements' paths in errors. */
	assert_int_equal(dec64("{\"nums\":[1,\"2\",3e0]}", &t), 0);
	assert_int_equal(t.n_nums, 3);
	assert_int_equal(t.nums[0] + t.nums[1] + t.nums[2], 6);
	s = lig_pb_encode(&m_t64, &t);
	assert_string_equal(s, "{\"nums\":[1,2,3]}");
	free(s);
	lig_pb_free(&m_t64, &t);
	assert_int_equal(dec64("{\"nums\":[1,-2]}", &t), -EINVAL);
	assert_string_equal(err.field, "nums[1]");
	lig_pb_free(&m_t64, &t);
}

/* ---- null, oneofs, messages, lists ---- */

static void
test_null_and_defaults(void **state)
{
	(void)state;
	assert_same(
	    LIG_MODEL_VPP_INTERFACE,
	    "{\"name\":null,\"type\":null,\"enabled\":null,\"ip_addresses\":null,\"mtu\":null,"
	    "\"unnumbered\":null,\"rx_modes\":null,\"memif\":null}",
	    "{}");
	struct lig_vpp_interface *v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"unnumbered\":null}");
	assert_false(v->has_unnumbered);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	/* Defaults written out decode as defaults and are left out of the encoding. */
	v = decode_ok(LIG_MODEL_VPP_INTERFACE,
		      "{\"name\":\"\",\"type\":\"UNDEFINED_TYPE\",\"enabled\":false,\"mtu\":0,"
		      "\"ip_addresses\":[],\"vrf\":\"0\"}");
	assert_null(v->name);
	assert_null(v->ip_addresses);
	assert_encodes(LIG_MODEL_VPP_INTERFACE, v, "{}");
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	/* A message that is present stays present, even empty (proto3 message presence). */
	v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"unnumbered\":{},\"ip6Nd\":{}}");
	assert_true(v->has_unnumbered && v->has_ip6_nd);
	assert_encodes(LIG_MODEL_VPP_INTERFACE, v, "{\"ip6Nd\":{},\"unnumbered\":{}}");
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	/* An empty string inside a list is an element. */
	v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"ip_addresses\":[\"\",\"10.0.0.1/8\"]}");
	assert_int_equal(v->n_ip_addresses, 2);
	assert_string_equal(v->ip_addresses[0], "");
	assert_encodes(LIG_MODEL_VPP_INTERFACE, v, "{\"ipAddresses\":[\"\",\"10.0.0.1/8\"]}");
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);

	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"ip_addresses\":[\"10.0.0.1/8\",null]}",
		     LIG_MODEL_ERR_FIELD, "ip_addresses[1]", "null is not a valid list element");
	decode_fails(LIG_MODEL_VPP_BRIDGE_DOMAIN, "{\"interfaces\":[{\"name\":\"a\"},null]}",
		     LIG_MODEL_ERR_FIELD, "interfaces[1]", "null is not a valid list element");
}

static void
test_oneof(void **state)
{
	(void)state;
	struct lig_vpp_interface *v;

	v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"tap\":{}}");
	assert_int_equal(v->link_case, LIG_VPP_IF_LINK_TAP);
	assert_encodes(LIG_MODEL_VPP_INTERFACE, v, "{\"tap\":{}}");
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	v = decode_ok(LIG_MODEL_VPP_INTERFACE,
		      "{\"memif\":null,\"afpacket\":{\"hostIfName\":\"e\"}}");
	assert_int_equal(v->link_case, LIG_VPP_IF_LINK_AFPACKET);
	assert_string_equal(v->link.afpacket.host_if_name, "e");
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	v = decode_ok(LIG_MODEL_VPP_INTERFACE, "{\"memif\":null}");
	assert_int_equal(v->link_case, LIG_VPP_IF_LINK_NONE);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"memif\":{},\"tap\":{}}", LIG_MODEL_ERR_FIELD,
		     "tap", "oneof 'link' is already set (by 'memif')");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"vxlan\":{\"vni\":1},\"gre\":{}}",
		     LIG_MODEL_ERR_FIELD, "gre", "oneof 'link' is already set (by 'vxlan')");
	decode_fails(LIG_MODEL_LINUX_INTERFACE, "{\"veth\":{},\"vrfDev\":{}}", LIG_MODEL_ERR_FIELD,
		     "vrf_dev", "oneof 'link' is already set (by 'veth')");
	/* Every link of the interface model decodes into its member */
	static const struct {
		const char *json;
		uint32_t link;
	} links[] = {
	    {"{\"sub\":{\"parentName\":\"p\",\"subId\":1,\"tagRwOption\":\"POP1\"}}", 100},
	    {"{\"ipsec\":{\"cryptoAlg\":\"AES_GCM_128\",\"integAlg\":\"SHA1_96\"}}", 105},
	    {"{\"vmxNet3\":{\"rxqSize\":1024}}", 106},
	    {"{\"bond\":{\"id\":1,\"mode\":\"LACP\",\"bondedInterfaces\":[{\"name\":\"a\"}]}}",
	     107},
	    {"{\"gre\":{\"tunnelType\":\"TEB\",\"srcAddr\":\"1.1.1.1\"}}", 108},
	    {"{\"gtpu\":{\"teid\":1,\"remoteTeid\":2,\"decapNext\":\"IP4\"}}", 109},
	    {"{\"ipip\":{\"tunnelMode\":\"POINT_TO_MULTIPOINT\"}}", 110},
	    {"{\"wireguard\":{\"privateKey\":\"k\",\"port\":51820}}", 111},
	    {"{\"rdma\":{\"hostIfName\":\"e\",\"mode\":\"DV\"}}", 112},
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		v = decode_ok(LIG_MODEL_VPP_INTERFACE, links[i].json);
		assert_int_equal(v->link_case, links[i].link);
		/* and encodes back the same (canonical input) */
		assert_encodes(LIG_MODEL_VPP_INTERFACE, v, links[i].json);
		lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	}
}

/* ---- errors ---- */

static void
test_unknown_and_wrong_types(void **state)
{
	(void)state;
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"a\",\"foo\":1}", LIG_MODEL_ERR_FIELD,
		     "foo", "unknown field (ligato.vpp.interfaces.Interface has no such field)");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"memif\":{\"id\":1,\"socket\":\"/x\"}}",
		     LIG_MODEL_ERR_FIELD, "memif.socket",
		     "unknown field (ligato.vpp.interfaces.MemifLink has no such field)");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"vxlan\":{\"gpe\":{\"vrf\":1}}}",
		     LIG_MODEL_ERR_FIELD, "vxlan.gpe.vrf", "unknown field");
	decode_fails(LIG_MODEL_VPP_BRIDGE_DOMAIN,
		     "{\"interfaces\":[{\"name\":\"a\"},{\"name\":\"b\",\"bvi\":true}]}",
		     LIG_MODEL_ERR_FIELD, "interfaces[1].bvi", "unknown field");
	decode_fails(LIG_MODEL_VPP_BRIDGE_DOMAIN,
		     "{\"arp_termination_table\":[{\"ip\":\"1.2.3.4\"}]}", LIG_MODEL_ERR_FIELD,
		     "arp_termination_table[0].ip", "unknown field");
	decode_fails(LIG_MODEL_LINUX_INTERFACE, "{\"namespace\":{\"name\":\"ns1\"}}",
		     LIG_MODEL_ERR_FIELD, "namespace.name",
		     "unknown field (ligato.linux.namespace.NetNamespace has no such field)");
	decode_fails(LIG_MODEL_VPP_ROUTE, "{\"gw\":\"1.1.1.1\"}", LIG_MODEL_ERR_FIELD, "gw",
		     "unknown field");
	/* A field of another model is unknown here. */
	decode_fails(LIG_MODEL_LINUX_ARP, "{\"phys_address\":\"02:00:00:00:00:01\"}",
		     LIG_MODEL_ERR_FIELD, "phys_address", "unknown field");
	/* Outside bytes in a field name are escaped in the report. */
	decode_fails(LIG_MODEL_VPP_ARP, "{\"a\\u0001\\\"b\":1}", LIG_MODEL_ERR_FIELD, "a\\x01\\\"b",
		     "unknown field");

	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"name\":5}", LIG_MODEL_ERR_FIELD, "name",
		     "expected a string, got a number");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"enabled\":\"true\"}", LIG_MODEL_ERR_FIELD,
		     "enabled", "expected true or false, got a string");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"enabled\":1}", LIG_MODEL_ERR_FIELD, "enabled",
		     "expected true or false, got a number");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"ip_addresses\":\"10.0.0.1/24\"}",
		     LIG_MODEL_ERR_FIELD, "ip_addresses", "expected an array");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"ip_addresses\":[1]}", LIG_MODEL_ERR_FIELD,
		     "ip_addresses[0]", "expected a string");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"memif\":[]}", LIG_MODEL_ERR_FIELD, "memif",
		     "expected an object (ligato.vpp.interfaces.MemifLink), got an array");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"unnumbered\":\"eth0\"}", LIG_MODEL_ERR_FIELD,
		     "unnumbered", "expected an object");
	decode_fails(LIG_MODEL_VPP_BRIDGE_DOMAIN, "{\"interfaces\":[\"a\"]}", LIG_MODEL_ERR_FIELD,
		     "interfaces[0]", "expected an object");
	decode_fails(LIG_MODEL_VPP_INTERFACE, "{\"memif\":{\"master\":\"yes\"}}",
		     LIG_MODEL_ERR_FIELD, "memif.master", "expected true or false");
}

static void
test_malformed_json(void **state)
{
	(void)state;
	const char *bad[] = {"",
			     "{",
			     "{\"name\":}",
			     "{\"name\":\"a\"} x",
			     "[]",
			     "[{\"name\":\"a\"}]",
			     "\"loop1\"",
			     "42",
			     "null",
			     "{'name':'a'}",
			     "{\"name\":\"a\",}",
			     "{\"a\":\"\\u0000\"}",
			     "{name:1}",
			     "\xef\xbb\xbf{}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rv;
		void *v = decode(LIG_MODEL_VPP_INTERFACE, bad[i], &rv);
		if (rv != -EINVAL || err.kind != LIG_MODEL_ERR_JSON || err.field[0])
			fail_msg("'%s': rv %d kind %d text %s", bad[i], rv, err.kind, err.text);
		lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	}
	int rv;
	void *v = decode(LIG_MODEL_VPP_INTERFACE, "[1]", &rv);
	assert_non_null(strstr(err.text, "the value is an array, not an object"));
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	v = decode(LIG_MODEL_VPP_INTERFACE, "{\"name\":}", &rv);
	assert_non_null(strstr(err.text, "not valid JSON"));
	assert_non_null(strstr(err.text, "line 1, column"));
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	/* Invalid UTF-8 is refused, and the report stays printable. */
	v = decode(LIG_MODEL_VPP_INTERFACE, "{\"name\":\"\xff\xfe\"}", &rv);
	assert_int_equal(rv, -EINVAL);
	assert_int_equal(err.kind, LIG_MODEL_ERR_JSON);
	for (const char *p = err.text; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	/* Size bytes, not a C string: bytes past size are not read, a NUL inside is refused. */
	struct lig_vpp_interface *x = lig_model_value_new(M(LIG_MODEL_VPP_INTERFACE));
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode("{}garbage", 2, x, &err), 0);
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode("{}\0{}", 5, x, &err), -EINVAL);
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode(NULL, 0, x, &err), -EINVAL);
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), x);
}

static void
test_size_limit(void **state)
{
	(void)state;
	size_t n = LIG_MODEL_VALUE_MAX;
	char *big = malloc(n + 2);
	assert_non_null(big);
	/* Exactly the limit: a value padded with white space decodes. */
	memset(big, ' ', n);
	memcpy(big, "{\"name\":\"loop1\"}", 16);
	struct lig_vpp_interface *v = lig_model_value_new(M(LIG_MODEL_VPP_INTERFACE));
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode(big, n, v, &err), 0);
	assert_string_equal(v->name, "loop1");
	M(LIG_MODEL_VPP_INTERFACE)->free(v);
	/* One byte more is refused before parsing. */
	big[n] = ' ';
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode(big, n + 1, v, &err), -EFBIG);
	assert_int_equal(err.kind, LIG_MODEL_ERR_JSON);
	assert_non_null(strstr(err.text, "the value is 1048577 bytes; at most 1048576"));
	/* A 1 MB list of addresses decodes (and is checked element by element). */
	size_t o = (size_t)sprintf(big, "{\"name\":\"l\",\"type\":\"SOFTWARE_LOOPBACK\","
					"\"ip_addresses\":[");
	unsigned i = 0;
	while (o + 40 < n) {
		o += (size_t)sprintf(big + o, "%s\"10.%u.%u.%u/32\"", i ? "," : "", (i >> 16) & 255,
				     (i >> 8) & 255, (i & 255) | 1);
		i++;
	}
	o += (size_t)sprintf(big + o, "]}");
	assert_int_equal(M(LIG_MODEL_VPP_INTERFACE)->decode(big, o, v, &err), 0);
	assert_int_equal(v->n_ip_addresses, i);
	M(LIG_MODEL_VPP_INTERFACE)->free(v);
	free(v);
	free(big);
}

/* ---- encoding, round trips, copies ---- */

/* A value of every model with most fields set (unsupported ones too), in mixed name forms;
 * and the canonical encoding each must have. */
static const struct {
	enum lig_model_id id;
	const char *json;
	const char *canonical;
} full[] = {
    {LIG_MODEL_VPP_INTERFACE,
     "{\"memif\":{\"ring_size\":1024,\"mode\":\"IP\",\"id\":3,\"master\":true,"
     "\"secret\":\"s\",\"socket_filename\":\"/m\",\"buffer_size\":2048,\"rx_queues\":1,"
     "\"tx_queues\":1},\"mtu\":9000,\"type\":\"MEMIF\",\"name\":\"m\",\"enabled\":true,"
     "\"rx_placements\":[{\"queue\":1,\"worker\":2,\"main_thread\":true}],\"vrf\":2,"
     "\"ip6_nd\":{\"address_autoconfig\":true,\"install_default_routes\":true},"
     "\"set_dhcp_client\":true,\"phys_address\":\"02:00:00:00:00:0a\","
     "\"ip_addresses\":[\"10.0.0.1/24\",\"10.0.1.1/24\"],"
     "\"unnumbered\":{\"interface_with_ip\":\"lo\"},"
     "\"rx_modes\":[{\"queue\":0,\"mode\":\"INTERRUPT\",\"default_mode\":true}]}",
     "{\"name\":\"m\",\"type\":\"MEMIF\",\"enabled\":true,\"physAddress\":\"02:00:00:00:00:0a\","
     "\"ipAddresses\":[\"10.0.0.1/24\",\"10.0.1.1/24\"],\"vrf\":2,\"setDhcpClient\":true,"
     "\"ip6Nd\":{\"addressAutoconfig\":true,\"installDefaultRoutes\":true},\"mtu\":9000,"
     "\"unnumbered\":{\"interfaceWithIp\":\"lo\"},\"rxModes\":[{\"mode\":\"INTERRUPT\","
     "\"defaultMode\":true}],\"rxPlacements\":[{\"queue\":1,\"worker\":2,\"mainThread\":true}],"
     "\"memif\":{\"mode\":\"IP\",\"master\":true,\"id\":3,\"socketFilename\":\"/m\","
     "\"secret\":\"s\",\"ringSize\":1024,\"bufferSize\":2048,\"rxQueues\":1,\"txQueues\":1}}"},
    {LIG_MODEL_VPP_INTERFACE,
     "{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,\"host_if_name\":\"h\","
     "\"to_microservice\":\"ms\",\"rx_ring_size\":256,\"tx_ring_size\":512,"
     "\"enable_gso\":true,\"enable_tunnel\":true}}",
     "{\"name\":\"t\",\"type\":\"TAP\",\"tap\":{\"version\":2,\"hostIfName\":\"h\","
     "\"toMicroservice\":\"ms\",\"rxRingSize\":256,\"txRingSize\":512,\"enableGso\":true,"
     "\"enableTunnel\":true}}"},
    {LIG_MODEL_VPP_INTERFACE,
     "{\"name\":\"x\",\"type\":7,\"vxlan\":{\"vni\":10,\"multicast\":\"m\",\"dst_address\":"
     "\"239.1.1.1\",\"src_address\":\"10.0.0.1\",\"gpe\":{\"protocol\":\"NSH\","
     "\"decap_vrf_id\":4}}}",
     "{\"name\":\"x\",\"type\":\"VXLAN_TUNNEL\",\"vxlan\":{\"srcAddress\":\"10.0.0.1\","
     "\"dstAddress\":\"239.1.1.1\",\"vni\":10,\"multicast\":\"m\",\"gpe\":{\"decapVrfId\":4,"
     "\"protocol\":\"NSH\"}}}"},
    {LIG_MODEL_VPP_INTERFACE,
     "{\"gtpu\":{\"decap_next_node\":8,\"decap_next\":\"IP6\",\"encap_vrf_id\":5,"
     "\"remote_teid\":7,\"teid\":4,\"multicast\":\"m\",\"dst_addr\":\"d\",\"src_addr\":\"s\"}}",
     "{\"gtpu\":{\"srcAddr\":\"s\",\"dstAddr\":\"d\",\"multicast\":\"m\",\"teid\":4,"
     "\"remoteTeid\":7,\"encapVrfId\":5,\"decapNext\":\"IP6\",\"decapNextNode\":8}}"},
    {LIG_MODEL_VPP_BRIDGE_DOMAIN,
     "{\"arp_termination_table\":[{\"phys_address\":\"02:00:00:00:00:01\",\"ip_address\":"
     "\"10.0.0.1\"}],\"interfaces\":[{\"split_horizon_group\":2,\"name\":\"a\"},"
     "{\"name\":\"b\",\"bridged_virtual_interface\":true}],\"mac_age\":10,"
     "\"arp_termination\":true,\"learn\":true,\"forward\":true,\"unknown_unicast_flood\":true,"
     "\"flood\":true,\"name\":\"bd\"}",
     "{\"name\":\"bd\",\"flood\":true,\"unknownUnicastFlood\":true,\"forward\":true,"
     "\"learn\":true,\"arpTermination\":true,\"macAge\":10,\"interfaces\":[{\"name\":\"a\","
     "\"splitHorizonGroup\":2},{\"name\":\"b\",\"bridgedVirtualInterface\":true}],"
     "\"arpTerminationTable\":[{\"ipAddress\":\"10.0.0.1\",\"physAddress\":"
     "\"02:00:00:00:00:01\"}]}"},
    {LIG_MODEL_VPP_L2_FIB,
     "{\"bridged_virtual_interface\":true,\"static_config\":true,\"outgoing_interface\":\"o\","
     "\"action\":1,\"bridge_domain\":\"bd\",\"phys_address\":\"02:00:00:00:00:01\"}",
     "{\"physAddress\":\"02:00:00:00:00:01\",\"bridgeDomain\":\"bd\",\"action\":\"DROP\","
     "\"outgoingInterface\":\"o\",\"staticConfig\":true,\"bridgedVirtualInterface\":true}"},
    {LIG_MODEL_VPP_XCONNECT, "{\"transmit_interface\":\"t\",\"receive_interface\":\"r\"}",
     "{\"receiveInterface\":\"r\",\"transmitInterface\":\"t\"}"},
    {LIG_MODEL_VPP_VRF_TABLE,
     "{\"flow_hash_settings\":{\"symmetric\":true,\"reverse\":true,\"use_protocol\":true,"
     "\"use_dst_port\":true,\"use_src_port\":true,\"use_dst_ip\":true,\"use_src_ip\":true},"
     "\"label\":\"l\",\"protocol\":\"IPV6\",\"id\":\"7\"}",
     "{\"id\":7,\"protocol\":\"IPV6\",\"label\":\"l\",\"flowHashSettings\":{\"useSrcIp\":true,"
     "\"useDstIp\":true,\"useSrcPort\":true,\"useDstPort\":true,\"useProtocol\":true,"
     "\"reverse\":true,\"symmetric\":true}}"},
    {LIG_MODEL_VPP_ROUTE,
     "{\"via_vrf_id\":3,\"preference\":2,\"weight\":5,\"outgoing_interface\":\"o\","
     "\"next_hop_addr\":\"10.0.0.1\",\"dst_network\":\"10.1.0.0/16\",\"vrf_id\":1,"
     "\"type\":\"INTER_VRF\"}",
     "{\"type\":\"INTER_VRF\",\"vrfId\":1,\"dstNetwork\":\"10.1.0.0/16\",\"nextHopAddr\":"
     "\"10.0.0.1\",\"outgoingInterface\":\"o\",\"weight\":5,\"preference\":2,\"viaVrfId\":3}"},
    {LIG_MODEL_VPP_ARP,
     "{\"static\":true,\"phys_address\":\"02:00:00:00:00:01\",\"ip_address\":\"10.0.0.2\","
     "\"interface\":\"i\"}",
     "{\"interface\":\"i\",\"ipAddress\":\"10.0.0.2\",\"physAddress\":\"02:00:00:00:00:01\","
     "\"static\":true}"},
    {LIG_MODEL_LINUX_INTERFACE,
     "{\"vrf_master_interface\":\"v\",\"link_only\":true,\"veth\":{\"tx_checksum_offloading\":"
     "2,\"rx_checksum_offloading\":\"CHKSM_OFFLOAD_ENABLED\",\"peer_if_name\":\"p\"},\"mtu\":"
     "1500,\"phys_address\":\"02:00:00:00:00:01\",\"ip_addresses\":[\"10.0.0.1/24\"],"
     "\"enabled\":true,\"host_if_name\":\"h\",\"namespace\":{\"reference\":\"ns\",\"type\":"
     "\"NSID\"},\"type\":\"VETH\",\"name\":\"n\"}",
     "{\"name\":\"n\",\"type\":\"VETH\",\"namespace\":{\"type\":\"NSID\",\"reference\":\"ns\"},"
     "\"hostIfName\":\"h\",\"enabled\":true,\"ipAddresses\":[\"10.0.0.1/24\"],\"physAddress\":"
     "\"02:00:00:00:00:01\",\"mtu\":1500,\"veth\":{\"peerIfName\":\"p\","
     "\"rxChecksumOffloading\":\"CHKSM_OFFLOAD_ENABLED\",\"txChecksumOffloading\":"
     "\"CHKSM_OFFLOAD_DISABLED\"},\"linkOnly\":true,\"vrfMasterInterface\":\"v\"}"},
    {LIG_MODEL_LINUX_INTERFACE, "{\"vrf_dev\":{\"routing_table\":10},\"type\":\"VRF_DEVICE\"}",
     "{\"type\":\"VRF_DEVICE\",\"vrfDev\":{\"routingTable\":10}}"},
    {LIG_MODEL_LINUX_ROUTE,
     "{\"metric\":7,\"gw_addr\":\"10.0.0.1\",\"dst_network\":\"10.1.0.0/16\",\"scope\":"
     "\"HOST\",\"outgoing_interface\":\"o\"}",
     "{\"outgoingInterface\":\"o\",\"scope\":\"HOST\",\"dstNetwork\":\"10.1.0.0/16\","
     "\"gwAddr\":\"10.0.0.1\",\"metric\":7}"},
    {LIG_MODEL_LINUX_ARP,
     "{\"hw_address\":\"02:00:00:00:00:01\",\"ip_address\":\"10.0.0.1\",\"interface\":\"i\"}",
     "{\"interface\":\"i\",\"ipAddress\":\"10.0.0.1\",\"hwAddress\":\"02:00:00:00:00:01\"}"},
};

static void
test_encode_round_trip_copy(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
		const struct lig_model *m = M(full[i].id);
		void *v = decode_ok(full[i].id, full[i].json);
		assert_encodes(full[i].id, v, full[i].canonical);
		/* the canonical text decodes to the same value */
		void *w = decode_ok(full[i].id, full[i].canonical);
		assert_true(m->equal(v, w));
		/* a deep copy is equal and independent */
		void *c = lig_model_value_new(m);
		assert_int_equal(m->copy(c, v), 0);
		assert_true(m->equal(c, v));
		m->free(v);
		assert_true(m->equal(c, w));
		assert_encodes(full[i].id, c, full[i].canonical);
		lig_model_value_delete(m, c);
		lig_model_value_delete(m, w);
		free(v);
	}
}

/* equal notices a difference anywhere. */
static void
test_equal(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
	    {"{\"memif\":{\"id\":1}}", "{\"memif\":{\"id\":2}}"},
	    {"{\"memif\":{}}", "{\"tap\":{}}"},
	    {"{\"memif\":{}}", "{}"},
	    {"{\"unnumbered\":{}}", "{}"},
	    {"{\"ip_addresses\":[\"a\"]}", "{\"ip_addresses\":[\"a\",\"b\"]}"},
	    {"{\"ip_addresses\":[\"a\",\"b\"]}", "{\"ip_addresses\":[\"b\",\"a\"]}"},
	    {"{\"rx_modes\":[{\"queue\":1}]}", "{\"rx_modes\":[{\"queue\":2}]}"},
	    {"{\"name\":\"a\"}", "{\"name\":\"b\"}"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		void *a = decode_ok(LIG_MODEL_VPP_INTERFACE, pairs[i][0]);
		void *b = decode_ok(LIG_MODEL_VPP_INTERFACE, pairs[i][1]);
		assert_false(M(LIG_MODEL_VPP_INTERFACE)->equal(a, b));
		assert_false(M(LIG_MODEL_VPP_INTERFACE)->equal(b, a));
		assert_true(M(LIG_MODEL_VPP_INTERFACE)->equal(a, a));
		lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), a);
		lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), b);
	}
	/* A string left NULL equals "" (both the default). */
	struct lig_vpp_xconnect x = {0}, y = {.receive_interface = (char *)""};
	assert_true(M(LIG_MODEL_VPP_XCONNECT)->equal(&x, &y));
	/* Strings that are not UTF-8 cannot be encoded (a value built by hand). */
	struct lig_vpp_xconnect z = {.receive_interface = (char *)"\xff"};
	errno = 0;
	assert_null(M(LIG_MODEL_VPP_XCONNECT)->encode(&z));
	assert_int_equal(errno, EINVAL);
}

/* A failed decode leaves what it decoded so far, which free releases (ASan checks). */
static void
test_partial_decode_freed(void **state)
{
	(void)state;
	const char *bad[] = {
	    "{\"name\":\"a\",\"ip_addresses\":[\"1\",\"2\",3]}",
	    "{\"name\":\"a\",\"memif\":{\"secret\":\"s\",\"id\":-1}}",
	    "{\"bond\":{\"bondedInterfaces\":[{\"name\":\"a\"},{\"name\":1}]}}",
	    "{\"rx_modes\":[{\"mode\":\"POLLING\"},{\"mode\":\"X\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rv;
		void *v = decode(LIG_MODEL_VPP_INTERFACE, bad[i], &rv);
		assert_int_equal(rv, -EINVAL);
		lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), v);
	}
	lig_model_value_delete(M(LIG_MODEL_VPP_INTERFACE), NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_field_names_both_forms),
	    cmocka_unit_test(test_every_field_both_forms),
	    cmocka_unit_test(test_enums),
	    cmocka_unit_test(test_integers),
	    cmocka_unit_test(test_64bit),
	    cmocka_unit_test(test_null_and_defaults),
	    cmocka_unit_test(test_oneof),
	    cmocka_unit_test(test_unknown_and_wrong_types),
	    cmocka_unit_test(test_malformed_json),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_encode_round_trip_copy),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_partial_decode_freed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
