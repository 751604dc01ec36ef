/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential: expectation messages, generated at random and encoded by
 * the codec, printed by libnetfilter_conntrack (nfexp_nlmsg_parse() and
 * nfexp_snprintf(), as conntrack 1.4.7 calls them for -L expect and
 * -E expect) and by ctnl_exp_snprintf(): the lines must be equal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>

#define ROUNDS 20000

static uint32_t rng = 0x2545f491u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void rtuple(struct ctnl_ct_tuple *t, uint8_t family)
{
	static const uint8_t protos[] = { 6, 17, 1, 58, 47, 132, 136, 33, 99 };
	struct ctnl_ct_proto *p = &t->proto;

	memset(t, 0, sizeof(*t));
	if (rnd() % 8) {
		int v6 = family == 10 ? (rnd() % 6 != 0) : (rnd() % 6 == 0);

		t->present |= 1u << CTA_TUPLE_IP;
		for (int i = 0; i < 16; i++) {
			t->ip.v6_src[i] = (uint8_t)(rnd() % 3 ? 0 : rnd());
			t->ip.v6_dst[i] = (uint8_t)(rnd() % 3 ? 0 : rnd());
		}
		for (int i = 0; i < 4; i++) {
			t->ip.v4_src[i] = (uint8_t)rnd();
			t->ip.v4_dst[i] = (uint8_t)rnd();
		}
		if (rnd() % 5)
			t->ip.present |= 1u << (v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC);
		if (rnd() % 5)
			t->ip.present |= 1u << (v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST);
	}
	if (rnd() % 8) {
		t->present |= 1u << CTA_TUPLE_PROTO;
		if (rnd() % 8) {
			p->present |= 1u << CTA_PROTO_NUM;
			p->num = protos[rnd() % sizeof(protos)];
		}
		p->src_port = (uint16_t)rnd();
		p->dst_port = (uint16_t)rnd();
		p->icmp_id = p->icmpv6_id = (uint16_t)rnd();
		p->icmp_type = p->icmpv6_type = (uint8_t)rnd();
		p->icmp_code = p->icmpv6_code = (uint8_t)rnd();
		if (p->num == 1 || p->num == 58) {
			int v6 = p->num == 58;

			if (rnd() % 4)
				p->present |= 1u << (v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE);
			if (rnd() % 4)
				p->present |= 1u << (v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE);
			if (rnd() % 4)
				p->present |= 1u << (v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID);
		} else {
			if (rnd() % 4)
				p->present |= 1u << CTA_PROTO_SRC_PORT;
			if (rnd() % 4)
				p->present |= 1u << CTA_PROTO_DST_PORT;
		}
	}
}

static void test_nfexp_snprintf(void)
{
	static const char *const names[] = { "ftp", "sip", "h245", "a-helper-name15", "", "x y " };
	static const char *const fns[] = { "nat-follow-master", "sip", "f" };
	unsigned compared = 0, events = 0;

	for (unsigned r = 0; r < ROUNDS; r++) {
		static struct ctnl_exp_msg m, d;
		struct ctnl_exp *e = &m.exp;
		uint8_t buf[2048];
		char a[2048], b[2048];
		size_t len;
		struct nf_expect *x;
		int ev = rnd() % 3 == 0, type = NFCT_T_UNKNOWN;
		struct ctnl_render_opts o = { .size = sizeof(o), .flags = ev ? CTNL_OUT_EVENT : 0 };

		ctnl_exp_init(&m);
		m.hdr.family = rnd() % 10 ? (rnd() % 2 ? 2 : 10) : (uint8_t)(rnd() % 12);
		switch (rnd() % 4) {
		case 0: m.hdr.type = 0x0200; m.hdr.flags = NLM_F_CREATE | NLM_F_EXCL; break;
		case 1: m.hdr.type = 0x0200; m.hdr.flags = 0; break;
		case 2: m.hdr.type = 0x0202; m.hdr.flags = 0; break;
		default: m.hdr.type = 0x0200; m.hdr.flags = NLM_F_MULTI; break;
		}
		if (rnd() % 6) { e->present |= 1u << CTA_EXPECT_TUPLE; rtuple(&e->tuple, m.hdr.family); }
		if (rnd() % 6) { e->present |= 1u << CTA_EXPECT_MASK; rtuple(&e->mask, m.hdr.family); }
		if (rnd() % 6) { e->present |= 1u << CTA_EXPECT_MASTER; rtuple(&e->master, m.hdr.family); }
		if (rnd() % 3) { e->present |= 1u << CTA_EXPECT_TIMEOUT; e->timeout = rnd() % 4 ? rnd() % 1000 : rnd(); }
		if (rnd() % 3) { e->present |= 1u << CTA_EXPECT_ID; e->id = rnd(); }
		if (rnd() % 3) {
			const char *n = names[rnd() % (sizeof(names) / sizeof(names[0]))];

			e->present |= 1u << CTA_EXPECT_HELP_NAME;
			e->helper.ptr = (const uint8_t *)n;
			e->helper.len = (uint32_t)strlen(n);
		}
		if (rnd() % 4 == 0) { e->present |= 1u << CTA_EXPECT_ZONE; e->zone = (uint16_t)rnd(); }
		if (rnd() % 2) { e->present |= 1u << CTA_EXPECT_FLAGS; e->flags = rnd() % 5 ? rnd() % 8 : rnd(); }
		if (rnd() % 2) { e->present |= 1u << CTA_EXPECT_CLASS; e->exp_class = rnd() % 4; }
		if (rnd() % 4 == 0) {
			e->present |= 1u << CTA_EXPECT_NAT;
			e->nat.present = 1u << CTA_EXPECT_NAT_DIR | 1u << CTA_EXPECT_NAT_TUPLE;
			e->nat.dir = rnd() % 2;
			rtuple(&e->nat.tuple, m.hdr.family);
		}
		if (rnd() % 4 == 0) {
			const char *n = fns[rnd() % 3];

			e->present |= 1u << CTA_EXPECT_FN;
			e->fn.ptr = (const uint8_t *)n;
			e->fn.len = (uint32_t)strlen(n);
		}
		CU_ASSERT_EQUAL_FATAL(ctnl_exp_encode(&m, buf, sizeof(buf), &len, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(ctnl_exp_decode(buf, len, &d, NULL), 0);

		x = nfexp_new();
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT_EQUAL_FATAL(nfexp_nlmsg_parse((const struct nlmsghdr *)buf, x), 0);
		if (ev) {
			/* as libnetfilter_conntrack's callback decides the event */
			if ((d.hdr.type & 0xff) == 0)
				type = (d.hdr.flags & (NLM_F_CREATE | NLM_F_EXCL)) ? NFCT_T_NEW : NFCT_T_UPDATE;
			else if ((d.hdr.type & 0xff) == 2)
				type = NFCT_T_DESTROY;
			events++;
		}
		nfexp_snprintf(b, sizeof(b), x, (unsigned)type, NFCT_O_DEFAULT, 0);
		nfexp_destroy(x);
		ctnl_exp_snprintf(a, sizeof(a), &d, &o);
		if (strcmp(a, b)) {
			fprintf(stderr, "\nround %u:\n  ctnl '%s'\n  nfct '%s'\n", r, a, b);
			CU_FAIL("ctnl_exp_snprintf differs from nfexp_snprintf");
			break;
		}
		if (getenv("CTNL_SHOW") && r < 5)
			fprintf(stderr, "%s\n", a);
		compared++;
	}
	CU_ASSERT_EQUAL(compared, ROUNDS);
	CU_ASSERT(events > ROUNDS / 4);
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("exp-nfct", NULL, NULL);
	CU_add_test(s, "ctnl_exp_snprintf equals nfexp_snprintf", test_nfexp_snprintf);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
