/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every attribute of the description, at every depth: filled with a
 * distinct value, encoded, decoded, encoded again.  The walk is generic,
 * so an attribute added to the description is covered the day it is
 * added; the check against the UAPI *_MAX constants fails if the
 * description misses one the kernel headers know.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>

#include "codec/internal.h"
#include "descfill.h"
#include "testutil.h"

static struct df_pool pool;

static void test_every_attribute_round_trip(void)
{
	static struct ctnl_ct_msg a, b;
	static uint8_t buf1[8192], buf2[8192];
	size_t n1 = 0, n2 = 0;
	char where[128] = "";
	struct ctnl_err err = { 0 };

	ctnl_ct_init(&a);
	a.hdr.type = 0x0100;
	a.hdr.flags = 0x0605;
	a.hdr.seq = 42;
	a.hdr.family = 10;
	a.hdr.res_id = 1;
	memset(&pool, 0, sizeof(pool));
	df_fill(&pool, ctnl_ct_desc(), &a.ct, 1);
	CU_ASSERT(pool.leaves > 60);

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&a, buf1, sizeof(buf1), &n1, &err), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf1, n1, &b, &err), 0);
	CU_ASSERT_EQUAL(b.unknown.count, 0);
	CU_ASSERT_EQUAL(b.hdr.seq, 42);
	CU_ASSERT_EQUAL(b.hdr.family, 10);
	CU_ASSERT_EQUAL(b.hdr.res_id, 1);
	CU_ASSERT(df_same(ctnl_ct_desc(), &a.ct, &b.ct, where, sizeof(where)));
	if (where[0])
		fprintf(stderr, "\n  differs at %s\n", where);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&b, buf2, sizeof(buf2), &n2, &err), 0);
	CU_ASSERT_EQUAL(n1, n2);
	CU_ASSERT(memcmp(buf1, buf2, n1) == 0);

	/* a second seed, so that no value is right by accident of its default */
	ctnl_ct_init(&a);
	a.hdr.type = 0x0102;
	df_fill(&pool, ctnl_ct_desc(), &a.ct, 977);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&a, buf1, sizeof(buf1), &n1, &err), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf1, n1, &b, &err), 0);
	CU_ASSERT(df_same(ctnl_ct_desc(), &a.ct, &b.ct, where, sizeof(where)));
}

/* Each attribute alone: the decoded struct has exactly that one leaf. */
static void test_each_attribute_alone(void)
{
	const struct ctnl_nest_desc *top = ctnl_ct_desc();
	static struct ctnl_ct_msg full, one, back;
	static uint8_t buf[8192];
	unsigned tried = 0;

	ctnl_ct_init(&full);
	memset(&pool, 0, sizeof(pool));
	df_fill(&pool, top, &full.ct, 5);
	for (unsigned t = 1; t <= top->maxtype; t++) {
		size_t n;
		char where[128] = "";

		if (top->attrs[t].kind == CTNL_K_NONE || top->attrs[t].kind == CTNL_K_PAD)
			continue;
		ctnl_ct_init(&one);
		one.hdr.type = 0x0100;
		one.ct = full.ct;
		one.ct.present = 1u << t;
		CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&one, buf, sizeof(buf), &n, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, n, &back, NULL), 0);
		CU_ASSERT_EQUAL(back.ct.present, 1u << t);
		if (!df_same(top, &one.ct, &back.ct, where, sizeof(where)))
			CU_FAIL(where);
		tried++;
	}
	CU_ASSERT_EQUAL(tried, CTNL_CTA_MAX);
}

static const struct ctnl_nest_desc *find_nest(const struct ctnl_nest_desc *d, const char *name)
{
	if (!strcmp(d->name, name))
		return d;
	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_nest_desc *r;

		if (d->attrs[t].kind == CTNL_K_NEST && (r = find_nest(d->attrs[t].nest, name)))
			return r;
	}
	return NULL;
}

/* The description against the kernel's own *_MAX constants: a nest that
 * misses an attribute of the UAPI fails here. */
static void test_description_matches_uapi(void)
{
	static const struct { const char *nest; unsigned max; } want[] = {
		{ "ct", CTNL_CTA_MAX },
		{ "tuple", CTA_TUPLE_MAX },
		{ "ip", CTA_IP_MAX },
		{ "proto", CTA_PROTO_MAX },
		{ "protoinfo", CTA_PROTOINFO_MAX },
		{ "tcp", CTA_PROTOINFO_TCP_MAX },
		{ "dccp", CTA_PROTOINFO_DCCP_MAX },
		{ "sctp", CTA_PROTOINFO_SCTP_MAX },
		{ "helper", CTA_HELP_MAX },
		{ "nat", CTA_NAT_MAX },
		{ "counters", CTA_COUNTERS_MAX },
		{ "seq-adj", CTA_SEQADJ_MAX },
		{ "secctx", CTA_SECCTX_MAX },
		{ "timestamp", CTA_TIMESTAMP_MAX },
		{ "synproxy", CTA_SYNPROXY_MAX },
		{ "filter", CTA_FILTER_MAX },
	};
	const struct ctnl_nest_desc *top = ctnl_ct_desc();

	/* the 6.1 headers end at CTA_STATUS_MASK; 6.18 adds one */
	CU_ASSERT(CTA_MAX == CTNL_CTA_MAX || CTA_MAX + 1 == CTNL_CTA_MAX);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ctnl_nest_desc *d = find_nest(top, want[i].nest);

		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(d->maxtype, want[i].max);
		for (unsigned t = 1; t <= d->maxtype; t++) {
			CU_ASSERT(d->attrs[t].kind != CTNL_K_NONE);
			CU_ASSERT_PTR_NOT_NULL(d->attrs[t].name);
			CU_ASSERT_PTR_NOT_NULL(d->attrs[t].uapi);
			if (d->attrs[t].kind == CTNL_K_NEST)
				CU_ASSERT_PTR_NOT_NULL(d->attrs[t].nest);
		}
	}
	/* the protonat nest is named "proto" as well; reach it through nat */
	CU_ASSERT_EQUAL(find_nest(top, "nat")->attrs[CTA_NAT_PROTO].nest->maxtype, CTA_PROTONAT_MAX);
}

/* A nest that contains itself: the engine must stop at its depth bound. */
struct rec {
	uint32_t present;
	uint32_t leaf;
};
static const struct ctnl_nest_desc rec_desc;
static const struct ctnl_attr_desc rec_attrs[] = {
	[1] = { "inner", "REC_INNER", CTNL_K_NEST, 0, 0, 0, 0, &rec_desc },
	[2] = { "leaf", "REC_LEAF", CTNL_K_BE32, 0, 0, 0, 4, NULL },
};
static const struct ctnl_nest_desc rec_desc = { "rec", 2, sizeof(struct rec), rec_attrs, NULL, 0 };

static size_t build_nested(uint8_t *buf, unsigned levels)
{
	/* levels nests, innermost holding a leaf */
	size_t len = 4 * levels + 8;

	for (unsigned i = 0; i < levels; i++) {
		set_u16(buf + 4 * i, (uint16_t)(len - 4 * i));
		set_u16(buf + 4 * i + 2, 0x8001);
	}
	set_u16(buf + 4 * levels, 8);
	set_u16(buf + 4 * levels + 2, 2);
	memset(buf + 4 * levels + 4, 0, 4);
	return len;
}

static void test_nesting_depth_bound(void)
{
	uint8_t buf[256];
	struct rec r;
	struct ctnl_err err = { 0 };
	struct ctnl_dctx c;

	for (unsigned levels = 1; levels <= CTNL_MAX_DEPTH + 3; levels++) {
		size_t len = build_nested(buf, levels);
		int rc;

		memset(&r, 0, sizeof(r));
		memset(&c, 0, sizeof(c));
		c.msg = buf;
		c.err = &err;
		c.max_depth = CTNL_MAX_DEPTH;
		c.root = &rec_desc;
		rc = ctnl_nest_decode(&rec_desc, &r, buf, len, &c);
		if (levels <= CTNL_MAX_DEPTH) {
			CU_ASSERT_EQUAL(rc, 0);
		} else {
			CU_ASSERT_EQUAL(rc, -EBADMSG);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "nesting deeper"));
			CU_ASSERT_PTR_NOT_NULL(strstr(err.path, "inner.inner.inner"));
		}
	}
}

/* Values the attribute rules refuse are refused by the encoder too. */
static void test_encoder_rejects_bad_values(void)
{
	struct ctnl_ct_msg m;
	uint8_t buf[512];
	size_t n;
	struct ctnl_err err = { 0 };
	static const uint8_t seventeen[17];

	ctnl_ct_init(&m);
	m.hdr.type = 0x0100;
	m.ct.present = 1u << CTA_LABELS;
	m.ct.labels.ptr = seventeen;
	m.ct.labels.len = sizeof(seventeen);
	CU_ASSERT_EQUAL(ctnl_ct_encode(&m, buf, sizeof(buf), &n, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.path, "ct.labels");

	ctnl_ct_init(&m);
	m.ct.present = 1u << CTA_HELP;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name.ptr = (const uint8_t *)"a-helper-name-that-is-too-long";
	m.ct.help.name.len = 30;
	CU_ASSERT_EQUAL(ctnl_ct_encode(&m, buf, sizeof(buf), &n, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.path, "helper.name");

	ctnl_ct_init(&m);
	m.ct.present = 1u << 0; /* CTA_UNSPEC: nothing describes it */
	CU_ASSERT_EQUAL(ctnl_ct_encode(&m, buf, sizeof(buf), &n, &err), -EINVAL);
}

int main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("ct-roundtrip", NULL, NULL);
	CU_add_test(s, "every attribute: encode, decode, encode", test_every_attribute_round_trip);
	CU_add_test(s, "each top-level attribute alone", test_each_attribute_alone);
	CU_add_test(s, "description matches the UAPI", test_description_matches_uapi);
	CU_add_test(s, "nesting depth is bounded", test_nesting_depth_bound);
	CU_add_test(s, "encoder rejects bad values", test_encoder_rejects_bad_values);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
