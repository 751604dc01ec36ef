/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Dump and flush requests: exact bytes for the common cases (the seed's
 * Query fixture among them), the CTA_FILTER that scopes every family,
 * and the refusals of filters the kernel would refuse or ignore.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/filter.h>

static uint8_t buf[512];

static int has_bytes(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return 1;
	return 0;
}

static void test_dump_plain(void)
{
	struct ctnl_filter f = { 0 };
	size_t len;
	uint16_t type, flags;

	CU_ASSERT_EQUAL(ctnl_filter_encode(&f, CTNL_FILTER_DUMP, 7, buf, sizeof(buf), &len, NULL), 0);
	CU_ASSERT_EQUAL(len, 20); /* no attribute at all */
	memcpy(&type, buf + 4, 2);
	memcpy(&flags, buf + 6, 2);
	CU_ASSERT_EQUAL(type, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET);
	CU_ASSERT_EQUAL(flags, 0x301);
	CU_ASSERT_EQUAL(buf[16], 0);
}

/* go-conntrack Query(FilterAttr{Mark: 11111111, MarkMask: ffffffff}) */
static void test_seed_query_fixture(void)
{
	static const uint8_t want[] = { 0x08, 0x00, 0x08, 0x00, 0x11, 0x11, 0x11, 0x11,
					0x08, 0x00, 0x15, 0x00, 0xff, 0xff, 0xff, 0xff };
	struct ctnl_filter f = { .has = CTNL_FILTER_HAS_MARK, .mark = 0x11111111, .mark_mask = 0xffffffff };
	size_t len;

	CU_ASSERT_EQUAL(ctnl_filter_encode(&f, CTNL_FILTER_DUMP, 1, buf, sizeof(buf), &len, NULL), 0);
	CU_ASSERT_EQUAL(len, 20 + sizeof(want));
	CU_ASSERT(!memcmp(buf + 20, want, sizeof(want)));
}

/* B18 and conntrack -F -f: a flush of one family carries CTA_FILTER. */
static void test_flush_family_has_filter(void)
{
	/* CTA_FILTER (25 | NLA_F_NESTED) of 20 bytes: ORIG_FLAGS 0, REPLY_FLAGS 0 */
	static const uint8_t want[] = { 0x14, 0x00, 0x19, 0x80, 0x08, 0x00, 0x01, 0x00, 0, 0, 0, 0,
					0x08, 0x00, 0x02, 0x00, 0, 0, 0, 0 };
	struct ctnl_filter f = { .family = 2 };
	struct ctnl_ct_msg m;
	size_t len;
	uint16_t type, flags;

	CU_ASSERT_EQUAL(ctnl_filter_encode(&f, CTNL_FILTER_FLUSH, 1, buf, sizeof(buf), &len, NULL), 0);
	memcpy(&type, buf + 4, 2);
	memcpy(&flags, buf + 6, 2);
	CU_ASSERT_EQUAL(type, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE);
	CU_ASSERT_EQUAL(flags, 0x5);
	CU_ASSERT_EQUAL(buf[16], 2);
	CU_ASSERT_EQUAL(len, 20 + sizeof(want));
	CU_ASSERT(!memcmp(buf + 20, want, sizeof(want)));
	/* it decodes back */
	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, len, &m, NULL), 0);
	CU_ASSERT(ctnl_has(&m.ct, CTA_FILTER));
	/* unspec: nothing to scope, no CTA_FILTER (a flush of everything) */
	f.family = 0;
	CU_ASSERT_EQUAL(ctnl_filter_encode(&f, CTNL_FILTER_FLUSH, 1, buf, sizeof(buf), &len, NULL), 0);
	CU_ASSERT_EQUAL(len, 20);
}

static void test_tuple_filter(void)
{
	struct ctnl_filter f = { .family = 2, .orig_flags = CTNL_FILTER_F_IP_SRC | CTNL_FILTER_F_PROTO_NUM |
							   CTNL_FILTER_F_DST_PORT };
	struct ctnl_ct_msg m;
	size_t len;
	/* host-order flags */
	uint32_t fl = 0x29; /* IP_SRC | PROTO_NUM | DST_PORT */
	uint8_t flag_attr[8] = { 0x08, 0x00, 0x01, 0x00 };

	memcpy(flag_attr + 4, &fl, 4);
	memcpy(f.orig.ip.v4_src, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	memcpy(f.orig.ip.v4_dst, (uint8_t[]){ 9, 9, 9, 9 }, 4); /* not flagged: not sent */
	f.orig.proto.num = 6;
	f.orig.proto.dst_port = 443;
	f.orig.proto.src_port = 1; /* not flagged */
	CU_ASSERT_EQUAL(ctnl_filter_encode(&f, CTNL_FILTER_DUMP, 1, buf, sizeof(buf), &len, NULL), 0);
	CU_ASSERT(has_bytes(buf, len, flag_attr, 8));
	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, len, &m, NULL), 0);
	CU_ASSERT_EQUAL(m.ct.orig.ip.present, 1u << CTA_IP_V4_SRC);
	CU_ASSERT_EQUAL(m.ct.orig.proto.present, 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_DST_PORT);
	CU_ASSERT_EQUAL(m.ct.orig.proto.dst_port, 443);
	CU_ASSERT(!ctnl_has(&m.ct, CTA_TUPLE_REPLY));
	CU_ASSERT_EQUAL(m.ct.filter.orig_flags, 0x29);
}

static void test_refusals(void)
{
	struct ctnl_filter f;
	struct ctnl_ct_msg m;
	struct ctnl_err err;

#define REFUSE(code, init, needle) do { \
		memset(&f, 0, sizeof(f)); memset(&err, 0, sizeof(err)); init; \
		CU_ASSERT_EQUAL(ctnl_filter_build(&f, CTNL_FILTER_FLUSH, 1, &m, &err), code); \
		CU_ASSERT_PTR_NOT_NULL(strstr(err.what, needle)); } while (0)

	REFUSE(-EINVAL, (f.family = 2, f.orig_flags = CTNL_FILTER_F_DST_PORT), "without a protocol");
	REFUSE(-EINVAL, (f.family = 2, f.orig_flags = CTNL_FILTER_F_PROTO_NUM | CTNL_FILTER_F_DST_PORT,
			 f.orig.proto.num = 132), "TCP and UDP only");
	REFUSE(-EINVAL, (f.family = 2, f.reply_flags = CTNL_FILTER_F_PROTO_NUM | CTNL_FILTER_F_ICMP_TYPE,
			 f.reply.proto.num = 6), "ICMP flag");
	REFUSE(-EINVAL, (f.orig_flags = CTNL_FILTER_F_IP_SRC), "needs family");
	REFUSE(-EINVAL, (f.family = 10, f.orig_flags = 1u << 12), "unknown bits");
	REFUSE(-EINVAL, (f.has = CTNL_FILTER_HAS_STATUS, f.status = 2, f.status_mask = 0), "mask 0");
	REFUSE(-EINVAL, (f.has = CTNL_FILTER_HAS_STATUS, f.status = 6, f.status_mask = 2), "outside");
	REFUSE(-EINVAL, (f.has = CTNL_FILTER_HAS_MARK, f.mark = 0x41, f.mark_mask = 0xf0), "outside");
	REFUSE(-EINVAL, (f.family = 2, f.has = CTNL_FILTER_HAS_ZONE, f.orig_flags = CTNL_FILTER_F_TUPLE_ZONE), "one zone");
	REFUSE(-EAFNOSUPPORT, (f.family = 7), "family");
#undef REFUSE
}

int main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("filter", NULL, NULL);
	CU_add_test(s, "plain dump", test_dump_plain);
	CU_add_test(s, "the seed's Query fixture", test_seed_query_fixture);
	CU_add_test(s, "a family-scoped flush carries CTA_FILTER", test_flush_family_has_filter);
	CU_add_test(s, "orig tuple filter: flagged fields only", test_tuple_filter);
	CU_add_test(s, "refusals", test_refusals);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
