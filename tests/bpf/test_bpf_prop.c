/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The property: for random (message, filter) pairs, the compiled program
 * run in the interpreter accepts exactly when the reference evaluator,
 * run on the decoded message, says so.  Messages are built as structs
 * and encoded with ctnl_ct_encode() (events NEW/UPDATE/DESTROY, dump
 * entries, other types and subsystems; IPv4/IPv6; TCP, UDP, ICMP,
 * ICMPv6, SCTP; optional attributes present or not, in shuffled order),
 * then decoded again: the evaluator sees what a listener would decode.
 * Deterministic seeds; a failure prints the filter, the message and
 * the program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <ctnl/bpf.h>
#include <ctnl/ct.h>

#include "bpftest.h"

#define PAIRS 20000
#define BIG_PAIRS 600

static struct ctnl_bpf_insn prog[CTNL_BPF_MAXINSNS];
static struct ctnl_bpf_match filt[600];

static void dump_failure(const struct ctnl_bpf_match *f, size_t nf, const uint8_t *buf, size_t len, size_t plen)
{
	static char text[CTNL_BPF_MAXINSNS * 64];

	fprintf(stderr, "filter (%zu entries):\n", nf);
	for (size_t i = 0; i < nf && i < 12; i++) {
		fprintf(stderr, "  %s%s len %u mask_len %u value", f[i].negate ? "!" : "", ctnl_bpf_type_info(f[i].type)->name,
			f[i].len, f[i].mask_len);
		for (unsigned b = 0; b < f[i].len; b++)
			fprintf(stderr, " %02x", f[i].value[b]);
		fprintf(stderr, "\n");
	}
	fprintf(stderr, "message (%zu bytes):", len);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", buf[i]);
	fprintf(stderr, "\nprogram:\n");
	ctnl_bpf_disasm(prog, plen, text, sizeof(text));
	fputs(text, stderr);
}

static void run_pairs(uint64_t seed, unsigned pairs, int big)
{
	struct rng r = { seed };
	unsigned agree = 0, accepted = 0, too_big = 0;
	uint8_t buf[2048];

	for (unsigned it = 0; it < pairs; it++) {
		struct ctnl_ct_msg m, d;
		struct ctnl_err err = { 0 };
		size_t len, nf, plen;
		uint32_t verdict;
		int rc, want;

		gen_msg(&r, &m);
		rc = ctnl_ct_encode(&m, buf, sizeof(buf), &len, &err);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		rc = ctnl_ct_decode(buf, len, &d, &err);
		if (rc == -ENOMSG && ctnl_msg_subsys(m.hdr.type) != NFNL_SUBSYS_CTNETLINK) {
			/* not a conntrack entry: the header is all a listener has */
			ctnl_ct_init(&d);
			rc = ctnl_msg_parse(buf, len, &d.hdr, &err);
		}
		if (rc != 0)
			fprintf(stderr, "decode: %d %s\n", rc, err.what);
		CU_ASSERT_EQUAL_FATAL(rc, 0);

		nf = gen_filter(&r, filt, NELEM(filt), big);
		rc = ctnl_bpf_compile(filt, nf, prog, NELEM(prog), &plen, &err);
		if (rc == -E2BIG) {
			CU_ASSERT(plen > CTNL_BPF_MAXINSNS);
			too_big++;
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		CU_ASSERT_EQUAL_FATAL(ctnl_bpf_check(prog, plen, &err), 0);
		rc = ctnl_bpf_run(prog, plen, buf, len, &verdict, &err);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		want = ctnl_bpf_match_eval(filt, nf, &d, &err);
		CU_ASSERT_FATAL(want == 0 || want == 1);
		if ((verdict != 0) != want) {
			fprintf(stderr, "\npair %u (seed %llu): program says %s, evaluator says %s\n", it,
				(unsigned long long)seed, verdict ? "accept" : "reject", want ? "accept" : "reject");
			dump_failure(filt, nf, buf, len, plen);
			CU_FAIL_FATAL("program and evaluator disagree");
		}
		CU_ASSERT(verdict == 0 || verdict == CTNL_BPF_ACCEPT);
		agree++;
		accepted += want;

		/* negating a single-type filter gives exactly the complement */
		int single = 1;

		for (size_t i = 1; i < nf; i++)
			single &= filt[i].type == filt[0].type;
		if (single && ctnl_msg_subsys(d.hdr.type) == NFNL_SUBSYS_CTNETLINK) {
			for (size_t i = 0; i < nf; i++)
				filt[i].negate = !filt[i].negate;
			CU_ASSERT_EQUAL(ctnl_bpf_match_eval(filt, nf, &d, NULL), !want);
			CU_ASSERT_EQUAL_FATAL(ctnl_bpf_compile(filt, nf, prog, NELEM(prog), &plen, NULL), 0);
			CU_ASSERT_EQUAL(ctnl_bpf_run(prog, plen, buf, len, &verdict, NULL), 0);
			CU_ASSERT_EQUAL(verdict != 0, !want);
		}
	}
	printf("\n    seed %llu: %u pairs agree (%u accepted, %u rejected), %u filters over 4096 instructions ",
	       (unsigned long long)seed, agree, accepted, agree - accepted, too_big);
	/* both outcomes must be common, or the test proves little */
	CU_ASSERT(accepted > agree / 10);
	CU_ASSERT(agree - accepted > agree / 10);
}

static void test_random_pairs(void)
{
	run_pairs(0x5eed0001u, PAIRS, 0);
}

static void test_random_pairs_other_seed(void)
{
	run_pairs(0x0badcafeu, PAIRS / 2, 0);
}

/* Groups of 150 to 500 entries: compares that need jumps over 255
 * instructions, through trampolines. */
static void test_random_big_filters(void)
{
	run_pairs(0xb16f11u, BIG_PAIRS, 1);
}

int main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("bpf-property", NULL, NULL);
	CU_add_test(s, "program == evaluator on 20000 random pairs", test_random_pairs);
	CU_add_test(s, "program == evaluator, second seed", test_random_pairs_other_seed);
	CU_add_test(s, "program == evaluator with long groups (far jumps)", test_random_big_filters);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
