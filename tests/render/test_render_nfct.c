/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential test: ctnl_ct_snprintf() against libnetfilter_conntrack.
 *
 * Each generated message is encoded with ctnl_ct_encode(), then
 *  - parsed by nfct_nlmsg_parse() and printed by nfct_snprintf_labels()
 *    exactly as conntrack(8) 1.4.7 calls it (plus the " [USERSPACE]
 *    portid=N" conntrack appends to events), and
 *  - decoded by ctnl_ct_decode() and printed by ctnl_ct_snprintf().
 * The two lines must be identical, byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "rtest.h"

#define N_MESSAGES 30000

static const char *const label_names[] = { "blue", "red", NULL, NULL, "green-x", "Yellow 2", NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, "b32", NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					   NULL, NULL, NULL, NULL, NULL, NULL, NULL, "last" };

static struct nfct_labelmap *labelmap;
static char labelfile[] = "/tmp/ctnl-render-labels.XXXXXX";

static int setup(void)
{
	int fd = mkstemp(labelfile);
	FILE *f;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fprintf(f, "# test map\n0 blue\n1 red\n4 green-x\n5 Yellow 2\n33 b32\n127 last\n");
	fclose(f);
	labelmap = nfct_labelmap_new(labelfile);
	unlink(labelfile);
	return labelmap ? 0 : -1;
}

static int teardown(void)
{
	if (labelmap)
		nfct_labelmap_destroy(labelmap);
	return 0;
}

/* conntrack's line for one message: nfct plus what conntrack adds. */
static void nfct_line(const uint8_t *msg, unsigned flags, char *out, size_t outlen)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)msg;
	struct nf_conntrack *ct = nfct_new();
	unsigned type = NFCT_T_UNKNOWN, of = 0;
	char buf[8192];
	int r;

	CU_ASSERT_FATAL(ct != NULL);
	CU_ASSERT_FATAL(nfct_nlmsg_parse(nlh, ct) == 0);
	if (flags & CTNL_OUT_EVENT) {
		switch (nlh->nlmsg_type & 0xff) {
		case IPCTNL_MSG_CT_NEW:
			type = (nlh->nlmsg_flags & NLM_F_CREATE) ? NFCT_T_NEW : NFCT_T_UPDATE;
			break;
		case IPCTNL_MSG_CT_DELETE:
			type = NFCT_T_DESTROY;
			break;
		}
	}
	if (flags & CTNL_OUT_EXTENDED)
		of |= NFCT_OF_SHOW_LAYER3;
	if (flags & CTNL_OUT_ID)
		of |= NFCT_OF_ID;
	if (flags & CTNL_OUT_KTIMESTAMP)
		of |= NFCT_OF_TIMESTAMP;
	memset(buf, 0, sizeof(buf));
	r = nfct_snprintf_labels(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT, of,
				 (flags & CTNL_OUT_LABELS) ? labelmap : NULL);
	CU_ASSERT(r < (int)sizeof(buf));
	/* r < 0: conntrack prints what nfct had written before failing */
	if ((flags & CTNL_OUT_EVENT) && nlh->nlmsg_pid)
		snprintf(out, outlen, "%s [USERSPACE] portid=%u", buf, nlh->nlmsg_pid);
	else
		snprintf(out, outlen, "%s", buf);
	nfct_destroy(ct);
}

static unsigned n_compared, n_partial, n_events, n_labels, n_ktime;

static void compare_one(const uint8_t *msg, size_t len, unsigned flags, int tz)
{
	struct ctnl_ct_msg m;
	struct ctnl_render_opts o = { .size = sizeof(o), .flags = flags, .label_names = label_names,
				      .nlabels = sizeof(label_names) / sizeof(label_names[0]), .tz_offset = tz };
	char want[9000], got[9000];
	struct ctnl_err err;
	int n;

	CU_ASSERT_FATAL(ctnl_ct_decode(msg, len, &m, &err) == 0);
	for (int attempt = 0; attempt < 3; attempt++) {
		/* delta-time of a live entry reads the clock: bracket it */
		time_t before = time(NULL);

		nfct_line(msg, flags, want, sizeof(want));
		o.now = before;
		n = ctnl_ct_snprintf(got, sizeof(got), &m, &o);
		if (strcmp(want, got) == 0 || time(NULL) == before)
			break;
	}
	CU_ASSERT_EQUAL(n, (int)strlen(got));
	if (strcmp(want, got) != 0) {
		static int shown;

		if (shown++ < 10)
			fprintf(stderr, "\nflags 0x%x\n nfct: [%s]\n ctnl: [%s]\n", flags, want, got);
		CU_FAIL("line differs from libnetfilter_conntrack");
	}
	n_compared++;
	if (!ctnl_has(&m.ct, CTA_TUPLE_ORIG) || !ctnl_has(&m.ct.orig.proto, CTA_PROTO_NUM))
		n_partial++;
	if (flags & CTNL_OUT_EVENT)
		n_events++;
	if ((flags & CTNL_OUT_LABELS) && ctnl_has(&m.ct, CTA_LABELS))
		n_labels++;
	if ((flags & CTNL_OUT_KTIMESTAMP) && ctnl_has(&m.ct.timestamp, CTA_TIMESTAMP_START))
		n_ktime++;
}

static void test_differential(void)
{
	static uint32_t buf32[4096];
	uint8_t *buf = (uint8_t *)buf32;
	struct gen_store st = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	static const struct {
		const char *tz;
		int off;
	} zones[] = { { "UTC0", 0 }, { "XST-5:30", 19800 }, { "YST8", -28800 } };

	for (unsigned z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		setenv("TZ", zones[z].tz, 1);
		tzset();
		for (unsigned i = 0; i < N_MESSAGES / 3; i++) {
			struct ctnl_ct_msg m;
			struct ctnl_err err;
			size_t len;

			gen_msg(&seed, &m, &st);
			if (ctnl_ct_encode(&m, buf, sizeof(buf32), &len, &err) != 0) {
				fprintf(stderr, "encode: %s %s\n", err.path, err.what);
				CU_FAIL_FATAL("encode failed");
			}
			compare_one(buf, len, rn(&seed, 32), zones[z].off);
			/* the common forms once more, every time */
			compare_one(buf, len, 0, zones[z].off);
			compare_one(buf, len, CTNL_OUT_EVENT, zones[z].off);
		}
	}
	unsetenv("TZ");
	tzset();
	fprintf(stderr, "\n  %u lines compared (%u partial, %u events, %u with labels, %u with dates) ", n_compared,
		n_partial, n_events, n_labels, n_ktime);
	CU_ASSERT(n_partial > 50);
	CU_ASSERT(n_labels > 500);
	CU_ASSERT(n_ktime > 1000);
}

/* Speed, for the record: ns per line for both (not a pass/fail criterion). */
static void test_speed(void)
{
	static uint32_t bufs32[256][512];
	static struct ctnl_ct_msg msgs[256];
	struct nf_conntrack *cts[256];
	struct gen_store st = { 0 };
	uint64_t seed = 42;
	struct ctnl_render_opts o = { .size = sizeof(o), .now = 1795923041 };
	struct timespec a, b;
	char line[4096];
	unsigned long sink = 0;
	const int rounds = 200;
	double t_ctnl, t_nfct;
	unsigned n = 0;

	while (n < 256) {
		size_t len;

		gen_msg(&seed, &msgs[n], &st);
		if (!ctnl_has(&msgs[n].ct, CTA_TUPLE_ORIG) || !ctnl_has(&msgs[n].ct.orig.proto, CTA_PROTO_NUM))
			continue;
		CU_ASSERT_FATAL(ctnl_ct_encode(&msgs[n], bufs32[n], sizeof(bufs32[n]), &len, NULL) == 0);
		CU_ASSERT_FATAL(ctnl_ct_decode(bufs32[n], len, &msgs[n], NULL) == 0);
		cts[n] = nfct_new();
		nfct_nlmsg_parse((const struct nlmsghdr *)bufs32[n], cts[n]);
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (unsigned i = 0; i < n; i++)
			sink += (unsigned long)ctnl_ct_snprintf(line, sizeof(line), &msgs[i], &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t_ctnl = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (rounds * n);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (unsigned i = 0; i < n; i++)
			sink += (unsigned long)nfct_snprintf(line, sizeof(line), cts[i], NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t_nfct = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (rounds * n);
	for (unsigned i = 0; i < n; i++)
		nfct_destroy(cts[i]);
	fprintf(stderr, "\n  ctnl_ct_snprintf %.0f ns/line, nfct_snprintf %.0f ns/line (x%.1f) ", t_ctnl, t_nfct,
		t_nfct / t_ctnl);
	CU_ASSERT(sink > 0);
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("render-nfct", setup, teardown);
	CU_add_test(s, "lines equal libnetfilter_conntrack's", test_differential);
	CU_add_test(s, "speed", test_speed);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
