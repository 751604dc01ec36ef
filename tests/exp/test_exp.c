/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Expectations and statistics: every attribute of the descriptions round
 * trips, every truncation of the recorded messages fails cleanly, kernel
 * messages re-encode byte for byte, ctnl_msg_classify() tells type 0x0103
 * apart by its request, the renderers match goldens, and the recorded
 * fixtures decode to what conntrack(8) printed and what the recording
 * knew (tests/fixtures/<scenario>/facts.txt).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>

#include "codec/internal.h"
#include "../unit/descfill.h"
#include "../unit/testutil.h"

static const char *fixtures = "tests/fixtures";

static struct df_pool pool;

static void test_exp_roundtrip(void)
{
	static struct ctnl_exp_msg a, b;
	uint8_t buf1[4096], buf2[4096];
	size_t l1, l2;
	char where[128] = "";
	struct ctnl_err err = { 0 };

	memset(&pool, 0, sizeof(pool));
	ctnl_exp_init(&a);
	a.hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW;
	a.hdr.flags = NLM_F_REQUEST | NLM_F_CREATE;
	a.hdr.family = 2;
	a.hdr.seq = 7;
	df_fill(&pool, ctnl_exp_desc(), &a.exp, 1);
	CU_ASSERT(pool.leaves >= 3 * 13 + 8);        /* 3 tuples, NAT tuple, the scalars */
	CU_ASSERT_EQUAL_FATAL(ctnl_exp_encode(&a, buf1, sizeof(buf1), &l1, &err), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_exp_decode(buf1, l1, &b, &err), 0);
	CU_ASSERT_EQUAL(b.unknown.count, 0);
	if (!df_same(ctnl_exp_desc(), &a.exp, &b.exp, where, sizeof(where)))
		CU_FAIL(where);
	CU_ASSERT_EQUAL_FATAL(ctnl_exp_encode(&b, buf2, sizeof(buf2), &l2, &err), 0);
	CU_ASSERT_EQUAL(l1, l2);
	CU_ASSERT(memcmp(buf1, buf2, l1) == 0);
	/* every capacity below the size fails with ENOSPC, never writes past */
	for (size_t cap = 0; cap < l1; cap++) {
		uint8_t *small = malloc(cap ? cap : 1);

		CU_ASSERT_EQUAL(ctnl_exp_encode(&a, small, cap, &l2, NULL), -ENOSPC);
		free(small);
	}
	/* a string over its limit is EINVAL */
	b.exp.helper.len = 16;
	CU_ASSERT_EQUAL(ctnl_exp_encode(&b, buf2, sizeof(buf2), &l2, &err), -EINVAL);
}

static void test_stats_roundtrip(void)
{
	for (unsigned kind = CTNL_STATS_CPU; kind <= CTNL_STATS_GLOBAL; kind++) {
		static struct ctnl_stats_msg a, b;
		uint8_t buf1[512], buf2[512];
		size_t l1, l2;
		char where[128] = "";

		memset(&a, 0, sizeof(a));
		a.kind = (uint8_t)kind;
		a.hdr.type = kind == CTNL_STATS_CPU ? 0x0104 : kind == CTNL_STATS_GLOBAL ? 0x0105 : 0x0103;
		a.hdr.flags = NLM_F_MULTI;
		a.hdr.res_id = 3;
		df_fill(&pool, ctnl_stats_desc(kind), &a.u, kind);
		CU_ASSERT_EQUAL_FATAL(ctnl_stats_encode(&a, buf1, sizeof(buf1), &l1, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(buf1, l1, kind, &b, NULL), 0);
		CU_ASSERT_EQUAL(b.cpu, 3);
		if (!df_same(ctnl_stats_desc(kind), &a.u, &b.u, where, sizeof(where)))
			CU_FAIL(where);
		CU_ASSERT_EQUAL_FATAL(ctnl_stats_encode(&b, buf2, sizeof(buf2), &l2, NULL), 0);
		CU_ASSERT(l1 == l2 && memcmp(buf1, buf2, l1) == 0);
		/* the wrong kind for the type */
		CU_ASSERT_EQUAL(ctnl_stats_decode(buf1, l1, kind == CTNL_STATS_CPU ? CTNL_STATS_GLOBAL : CTNL_STATS_CPU,
						  &b, NULL), -ENOMSG);
	}
	CU_ASSERT_PTR_NULL(ctnl_stats_desc(0));
	CU_ASSERT_PTR_NULL(ctnl_stats_desc(9));
}

/* The UAPI *_MAX constants are all described (nothing the headers know is missing). */
static void test_uapi_max(void)
{
	const struct ctnl_nest_desc *d = ctnl_exp_desc();

	CU_ASSERT_EQUAL(d->maxtype, CTA_EXPECT_MAX);
	CU_ASSERT_EQUAL(d->attrs[CTA_EXPECT_NAT].nest->maxtype, CTA_EXPECT_NAT_MAX);
	CU_ASSERT_EQUAL(ctnl_stats_desc(CTNL_STATS_CPU)->maxtype, CTA_STATS_MAX);
	CU_ASSERT_EQUAL(ctnl_stats_desc(CTNL_STATS_EXP_CPU)->maxtype, CTA_STATS_EXP_MAX);
	CU_ASSERT_EQUAL(ctnl_stats_desc(CTNL_STATS_GLOBAL)->maxtype, CTA_STATS_GLOBAL_MAX);
	for (unsigned t = 1; t <= d->maxtype; t++)
		CU_ASSERT(d->attrs[t].kind != CTNL_K_NONE);
}

/* ---- fixtures ---- */

static uint8_t *load(const char *scn, const char *file, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *p;
	long n;

	snprintf(path, sizeof(path), "%s/%s/%s", fixtures, scn, file);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p)
		p[n] = 0;
	*len = (size_t)n;
	return p;
}

/* conntrack's line without the volatile timeout: the first number after
 * the optional event column. */
static void strip_timeout(const char *in, char *out, size_t cap)
{
	const char *p = in;
	size_t pre = 0;

	if (in[0] == ' ' || in[0] == '[') {
		const char *e = strchr(in, ']');

		if (e)
			pre = (size_t)(e - in) + 2;
	}
	p = in + pre;
	while (*p >= '0' && *p <= '9')
		p++;
	snprintf(out, cap, "%.*s<t>%s", (int)pre, in, p);
}

static const char *scenarios[] = { "ftp-expect", "ctnl-expect" };

/* Decode every message of file, render each answer, compare with text line by line. */
static void compare_lines(const char *scn, const char *bin, const char *txt, const struct ctnl_msg *req,
			  int exp_event, int strip)
{
	size_t blen, tlen;
	uint8_t *data = load(scn, bin, &blen), *text = load(scn, txt, &tlen);
	char *line = (char *)text, line_buf[2048], a[2048], b[2048];
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t mlen;
	unsigned printed = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	ctnl_stream_init(&s, data, blen);
	while (ctnl_stream_next(&s, &msg, &mlen, NULL) == 1) {
		int cls = ctnl_msg_classify(msg, mlen, req);
		char *nl;

		line_buf[0] = 0;
		if (cls == CTNL_MC_EXP) {
			static struct ctnl_exp_msg m;
			struct ctnl_render_opts o = { .size = sizeof(o), .flags = exp_event ? CTNL_OUT_EVENT : 0 };

			CU_ASSERT_EQUAL_FATAL(ctnl_exp_decode(msg, mlen, &m, NULL), 0);
			ctnl_exp_snprintf(line_buf, sizeof(line_buf), &m, &o);
		} else if (cls == CTNL_MC_STATS_CPU || cls == CTNL_MC_STATS_EXP_CPU || cls == CTNL_MC_STATS_GLOBAL) {
			static struct ctnl_stats_msg m;
			unsigned kind = cls == CTNL_MC_STATS_CPU ? CTNL_STATS_CPU
					: cls == CTNL_MC_STATS_EXP_CPU ? CTNL_STATS_EXP_CPU : CTNL_STATS_GLOBAL;

			CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(msg, mlen, kind, &m, NULL), 0);
			ctnl_stats_snprintf(line_buf, sizeof(line_buf), &m);
		} else {
			continue;
		}
		if (!line_buf[0])
			continue;
		CU_ASSERT_PTR_NOT_NULL_FATAL(line);
		nl = strchr(line, '\n');
		CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
		*nl = 0;
		if (strip) {
			strip_timeout(line_buf, a, sizeof(a));
			strip_timeout(line, b, sizeof(b));
		} else {
			snprintf(a, sizeof(a), "%s", line_buf);
			snprintf(b, sizeof(b), "%s", line);
		}
		if (strcmp(a, b)) {
			fprintf(stderr, "\n%s/%s:\n  ctnl      '%s'\n  conntrack '%s'\n", scn, bin, a, b);
			CU_FAIL("line differs from conntrack(8)'s");
		}
		line = nl + 1;
		printed++;
	}
	CU_ASSERT(printed > 0);
	CU_ASSERT(line && *line == 0); /* conntrack printed nothing more */
	free(data);
	free(text);
}

static void test_fixture_lines(void)
{
	struct ctnl_msg exp_stats_req = { .type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU,
					  .flags = NLM_F_REQUEST | NLM_F_DUMP };

	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const char *s = scenarios[i];

		compare_lines(s, "expect-dump.bin", "conntrack-L-expect.txt", NULL, 0, 1);
		compare_lines(s, "events.bin", "conntrack-E-expect.txt", NULL, 1, 1);
		compare_lines(s, "stats-cpu.bin", "conntrack-S.txt", NULL, 0, 0);
		compare_lines(s, "exp-stats-cpu.bin", "conntrack-S-expect.txt", &exp_stats_req, 0, 0);
		/* and without the request, by the documented rule */
		compare_lines(s, "exp-stats-cpu.bin", "conntrack-S-expect.txt", NULL, 0, 0);
		compare_lines(s, "stats.bin", "conntrack-C.txt", NULL, 0, 0);
	}
}

/* Every kernel message re-encodes byte for byte; every truncation fails cleanly. */
static void test_fixture_bytes(void)
{
	static const char *files[] = { "expect-dump.bin", "events.bin", "stats-cpu.bin", "exp-stats-cpu.bin",
				       "stats.bin" };

	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		for (unsigned f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			size_t blen;
			uint8_t *data = load(scenarios[i], files[f], &blen);
			struct ctnl_stream s;
			const uint8_t *msg;
			size_t mlen;

			CU_ASSERT_PTR_NOT_NULL_FATAL(data);
			ctnl_stream_init(&s, data, blen);
			while (ctnl_stream_next(&s, &msg, &mlen, NULL) == 1) {
				int cls = ctnl_msg_classify(msg, mlen, NULL);
				uint8_t out[2048];
				size_t olen = 0;

				if (cls == CTNL_MC_EXP) {
					static struct ctnl_exp_msg m;

					CU_ASSERT_EQUAL_FATAL(ctnl_exp_decode(msg, mlen, &m, NULL), 0);
					CU_ASSERT_EQUAL(m.unknown.count, 0);
					CU_ASSERT_EQUAL(ctnl_exp_encode(&m, out, sizeof(out), &olen, NULL), 0);
				} else if (cls >= CTNL_MC_STATS_CPU && cls <= CTNL_MC_STATS_GLOBAL) {
					static struct ctnl_stats_msg m;
					unsigned kind = (unsigned)(cls - CTNL_MC_STATS_CPU + CTNL_STATS_CPU);

					CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(msg, mlen, kind, &m, NULL), 0);
					CU_ASSERT_EQUAL(m.unknown.count, 0);
					CU_ASSERT_EQUAL(ctnl_stats_encode(&m, out, sizeof(out), &olen, NULL), 0);
				} else {
					continue;
				}
				CU_ASSERT(olen == mlen && memcmp(out, msg, mlen) == 0);
				/* a message cut at every byte: an error, never a crash or a read past */
				for (size_t cut = 0; cut < mlen; cut++) {
					uint8_t *c = exact_copy(msg, cut);
					struct ctnl_err e = { 0 };

					memcpy(c, msg, cut);
					if (cut >= 4) {
						uint32_t l = (uint32_t)cut;

						memcpy(c, &l, 4); /* a consistent nlmsg_len: the cut is inside the attributes */
					}
					if (cls == CTNL_MC_EXP) {
						static struct ctnl_exp_msg m;
						int rc = ctnl_exp_decode(c, cut, &m, &e);

						CU_ASSERT(rc == -EBADMSG || (rc == 0 && cut >= 20));
					} else {
						static struct ctnl_stats_msg m;
						unsigned kind = (unsigned)(cls - CTNL_MC_STATS_CPU + CTNL_STATS_CPU);
						int rc = ctnl_stats_decode(c, cut, kind, &m, &e);

						CU_ASSERT(rc == -EBADMSG || rc == 0);
					}
					free(c);
				}
			}
			free(data);
		}
	}
}

/* Each fact of the recordings, on the decoded struct. */
static void test_fixture_facts(void)
{
	unsigned checked = 0;

	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		size_t blen, flen;
		uint8_t *data = load(scenarios[i], "expect-dump.bin", &blen);
		char *facts = (char *)load(scenarios[i], "facts.txt", &flen);
		static struct ctnl_exp_msg m[8];
		unsigned n = 0, expects = 0;
		struct ctnl_stream s;
		const uint8_t *msg;
		size_t mlen;
		char *p;

		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		CU_ASSERT_PTR_NOT_NULL_FATAL(facts);
		ctnl_stream_init(&s, data, blen);
		while (ctnl_stream_next(&s, &msg, &mlen, NULL) == 1) {
			if (ctnl_msg_classify(msg, mlen, NULL) != CTNL_MC_EXP)
				continue;
			CU_ASSERT_FATAL(n < 8);
			CU_ASSERT_EQUAL(ctnl_exp_decode(msg, mlen, &m[n++], NULL), 0);
		}
		p = strstr(facts, "\nexpects=");
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		expects = (unsigned)atoi(p + 9);
		CU_ASSERT_EQUAL(n, expects);
		for (unsigned x = 1; x <= expects; x++) {
			char key[32], *q;
			const struct ctnl_exp_msg *e = NULL;
			unsigned dport;

			snprintf(key, sizeof(key), "\nx%u.dport=", x);
			q = strstr(facts, key);
			CU_ASSERT_PTR_NOT_NULL_FATAL(q);
			dport = (unsigned)atoi(q + strlen(key));
			for (unsigned k = 0; k < n; k++)
				if (m[k].exp.tuple.proto.dst_port == dport)
					e = &m[k];
			CU_ASSERT_PTR_NOT_NULL_FATAL(e);
			for (char *l = strstr(facts, "\nx"); l; l = strstr(l + 1, "\nx")) {
				char pfx[16], *v;
				int pl = snprintf(pfx, sizeof(pfx), "x%u.", x);
				char field[64], val[128];

				if (strncmp(l + 1, pfx, (size_t)pl))
					continue;
				v = strchr(l + 1, '=');
				snprintf(field, sizeof(field), "%.*s", (int)(v - l - 1 - pl), l + 1 + pl);
				snprintf(val, sizeof(val), "%.*s", (int)strcspn(v + 1, "\n"), v + 1);
				if (!strcmp(field, "proto")) {
					CU_ASSERT_EQUAL(e->exp.tuple.proto.num, (unsigned)atoi(val));
				} else if (!strcmp(field, "helper")) {
					CU_ASSERT(e->exp.helper.len == strlen(val) && !memcmp(e->exp.helper.ptr, val, strlen(val)));
				} else if (!strcmp(field, "class")) {
					CU_ASSERT(ctnl_has(&e->exp, CTA_EXPECT_CLASS) && e->exp.exp_class == (unsigned)atoi(val));
				} else if (!strcmp(field, "flags")) {
					uint32_t want = 0;

					if (strstr(val, "PERMANENT"))
						want |= CTNL_EXP_F_PERMANENT;
					if (strstr(val, "INACTIVE"))
						want |= CTNL_EXP_F_INACTIVE;
					if (strstr(val, "USERSPACE"))
						want |= CTNL_EXP_F_USERSPACE;
					CU_ASSERT_EQUAL(e->exp.flags, want);
				} else if (!strcmp(field, "fn")) {
					CU_ASSERT(e->exp.fn.len == strlen(val) && !memcmp(e->exp.fn.ptr, val, strlen(val)));
				} else if (!strcmp(field, "nat.dir")) {
					CU_ASSERT(ctnl_has(&e->exp.nat, CTA_EXPECT_NAT_DIR) && e->exp.nat.dir == (unsigned)atoi(val));
				} else if (!strcmp(field, "nat.src")) {
					char ip[16];
					const uint8_t *a = e->exp.nat.tuple.ip.v4_src;

					snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
					CU_ASSERT_STRING_EQUAL(ip, val);
				} else if (!strcmp(field, "nat.sport")) {
					CU_ASSERT_EQUAL(e->exp.nat.tuple.proto.src_port, (unsigned)atoi(val));
				} else if (!strcmp(field, "dport") || !strcmp(field, "tuple") || !strcmp(field, "master") ||
					   !strcmp(field, "mask")) {
					/* dport found it; tuple, master and mask words are checked on the lines */
				} else {
					fprintf(stderr, "unknown fact %s\n", field);
					CU_FAIL("unknown fact");
				}
				checked++;
			}
		}
		free(data);
		free(facts);
	}
	CU_ASSERT(checked >= 25);
}

/* ---- classification ---- */

static void test_classify(void)
{
	uint8_t m[64];
	size_t n;
	struct ctnl_msg exp_req = { .type = 0x0203, .flags = NLM_F_REQUEST | NLM_F_DUMP };
	struct ctnl_msg ct_req = { .type = 0x0103, .flags = NLM_F_REQUEST | NLM_F_DUMP };

	/* an expectation stats answer: 0x0103, three 4-byte counters */
	n = hex2bin("2c000000 03010200 01000000 07000000 00000001 08000100 00000000 08000200 00000005 08000300 00000002",
		    m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, &exp_req), CTNL_MC_STATS_EXP_CPU);
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, &ct_req), CTNL_MC_CT);
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_STATS_EXP_CPU);
	/* the same bytes as a request: a GET_CTRZERO */
	m[6] |= NLM_F_REQUEST;
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_CT);
	m[6] &= (uint8_t)~NLM_F_REQUEST;
	/* a nested first attribute: a conntrack entry */
	m[23] |= 0x80;
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_CT);
	m[23] &= 0x7f;
	/* type 4 is no expectation counter */
	m[22] = 4;
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_CT);
	/* a counter header whose value the message cuts off: not stats, and no read past */
	n = hex2bin("18000000 03010200 01000000 07000000 00000001 08000100", m, sizeof(m));
	{
		uint8_t *c = exact_copy(m, n);

		CU_ASSERT_EQUAL(ctnl_msg_classify(c, n, NULL), CTNL_MC_CT);
		free(c);
	}
	/* no attributes at all: stats */
	n = hex2bin("14000000 03010200 01000000 07000000 00000001", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_STATS_EXP_CPU);
	n = hex2bin("14000000 04010200 01000000 07000000 00000001", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_STATS_CPU);
	n = hex2bin("14000000 05010200 01000000 07000000 00000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, &exp_req), CTNL_MC_STATS_GLOBAL);
	n = hex2bin("14000000 00020200 01000000 07000000 02000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_EXP);
	n = hex2bin("14000000 03020500 01000000 07000000 00000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_STATS_EXP_CPU);
	n = hex2bin("14000000 00010200 01000000 07000000 02000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, &exp_req), CTNL_MC_CT);
	n = hex2bin("14000000 03000200 01000000 07000000 00000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_DONE);
	n = hex2bin("24000000 02000001 01000000 07000000 00000000 10000000 00000000 00000000 00000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_ERROR);
	n = hex2bin("14000000 00030200 01000000 07000000 00000000", m, sizeof(m));
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, n, NULL), CTNL_MC_OTHER);
	CU_ASSERT_EQUAL(ctnl_msg_classify(m, 10, NULL), -EBADMSG);
	/* ctnl_exp_decode refuses what is not an expectation */
	{
		static struct ctnl_exp_msg e;

		CU_ASSERT_EQUAL(ctnl_exp_decode(m, n, &e, NULL), -ENOMSG);
	}
}

/* ---- renderer goldens (values known without any decoder) ---- */

static void tuple4(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint8_t proto, uint16_t sp, uint16_t dp)
{
	unsigned a[4], b[4];

	memset(t, 0, sizeof(*t));
	sscanf(src, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
	sscanf(dst, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	for (int i = 0; i < 4; i++) {
		t->ip.v4_src[i] = (uint8_t)a[i];
		t->ip.v4_dst[i] = (uint8_t)b[i];
	}
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
	t->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
	t->proto.num = proto;
	t->proto.src_port = sp;
	t->proto.dst_port = dp;
}

static void test_render_goldens(void)
{
	static struct ctnl_exp_msg m;
	struct ctnl_exp *e = &m.exp;
	struct ctnl_render_opts ev = { .size = sizeof(ev), .flags = CTNL_OUT_EVENT };
	char line[1024];
	int n;

	ctnl_exp_init(&m);
	m.hdr.type = 0x0200;
	m.hdr.flags = NLM_F_CREATE | NLM_F_EXCL;
	m.hdr.family = 2;
	tuple4(&e->tuple, "10.0.0.2", "10.0.0.1", 6, 0, 2121);
	tuple4(&e->mask, "255.255.255.255", "255.255.255.255", 6, 0, 65535);
	tuple4(&e->master, "10.0.0.1", "10.0.0.2", 6, 40000, 21);
	e->present = 1u << CTA_EXPECT_TUPLE | 1u << CTA_EXPECT_MASK | 1u << CTA_EXPECT_MASTER |
		     1u << CTA_EXPECT_TIMEOUT | 1u << CTA_EXPECT_FLAGS | 1u << CTA_EXPECT_CLASS |
		     1u << CTA_EXPECT_ZONE;
	e->timeout = 42;
	e->flags = CTNL_EXP_F_PERMANENT | CTNL_EXP_F_USERSPACE;
	e->exp_class = 1;
	e->zone = 9;
	n = ctnl_exp_snprintf(line, sizeof(line), &m, &ev);
	CU_ASSERT_STRING_EQUAL(line, "    [NEW] 42 proto=6 src=10.0.0.2 dst=10.0.0.1 sport=0 dport=2121 "
				     "mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 "
				     "master-src=10.0.0.1 master-dst=10.0.0.2 sport=40000 dport=21 zone=9 "
				     "PERMANENT,USERSPACE class=1");
	CU_ASSERT_EQUAL(n, (int)strlen(line));
	/* truncation: the snprintf contract */
	for (size_t cap = 0; cap < (size_t)n + 2; cap++) {
		char small[1024];

		memset(small, 'x', sizeof(small));
		CU_ASSERT_EQUAL(ctnl_exp_snprintf(small, cap, &m, &ev), n);
		if (cap)
			CU_ASSERT(strlen(small) == (cap - 1 < (size_t)n ? cap - 1 : (size_t)n) &&
				  !strncmp(small, line, strlen(small)));
	}
	/* DESTROY, a flag bit without a name (a blank all the same), a helper */
	m.hdr.type = 0x0202;
	m.hdr.flags = 0;
	e->flags = 0x8;
	e->present &= ~(1u << CTA_EXPECT_ZONE);
	e->present |= 1u << CTA_EXPECT_HELP_NAME;
	e->helper.ptr = (const uint8_t *)"ftp";
	e->helper.len = 3;
	ctnl_exp_snprintf(line, sizeof(line), &m, &ev);
	CU_ASSERT_STRING_EQUAL(line, "[DESTROY] 42 proto=6 src=10.0.0.2 dst=10.0.0.1 sport=0 dport=2121 "
				     "mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 "
				     "master-src=10.0.0.1 master-dst=10.0.0.2 sport=40000 dport=21  class=1 helper=ftp");
	/* no master: the expected tuple prints no addresses, the master's
	 * zero ones do (the library's crosswise layer-3 numbers) */
	e->present &= ~(1u << CTA_EXPECT_MASTER | 1u << CTA_EXPECT_FLAGS | 1u << CTA_EXPECT_TIMEOUT);
	ctnl_exp_snprintf(line, sizeof(line), &m, NULL);
	CU_ASSERT_STRING_EQUAL(line, "proto=6 sport=0 dport=2121 mask-src=255.255.255.255 mask-dst=255.255.255.255 "
				     "sport=0 dport=65535 master-src=0.0.0.0 master-dst=0.0.0.0 class=1 helper=ftp");
	/* JSON */
	e->present |= 1u << CTA_EXPECT_NAT | 1u << CTA_EXPECT_FN;
	e->nat.present = 1u << CTA_EXPECT_NAT_DIR;
	e->nat.dir = 1;
	e->fn.ptr = (const uint8_t *)"nat-follow-master";
	e->fn.len = 17;
	ctnl_exp_json(line, sizeof(line), &m, NULL);
	CU_ASSERT_STRING_EQUAL(line, "{\"type\":\"destroy\",\"object\":\"expect\",\"family\":\"ipv4\",\"family_num\":2,"
				     "\"proto\":\"tcp\",\"proto_num\":6,\"tuple\":{\"src\":\"10.0.0.2\",\"dst\":\"10.0.0.1\","
				     "\"proto\":\"tcp\",\"proto_num\":6,\"sport\":0,\"dport\":2121},\"mask\":{\"src\":"
				     "\"255.255.255.255\",\"dst\":\"255.255.255.255\",\"proto\":\"tcp\",\"proto_num\":6,"
				     "\"sport\":0,\"dport\":65535},\"nat\":{\"dir\":1,\"dir_name\":\"reply\"},\"class\":1,"
				     "\"helper\":\"ftp\",\"fn\":\"nat-follow-master\"}");
}

static void test_stats_render(void)
{
	static struct ctnl_stats_msg m;
	uint8_t b[128];
	size_t n;
	char line[512];

	/* a CPU 12 message with found=1, chain_toolong=2 and a counter 16 of a newer kernel */
	n = hex2bin("2c000000 04010200 01000000 07000000 0000000c 08000200 00000001 08000f00 00000002"
		    "08001000 00000003",
		    b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(b, n, CTNL_STATS_CPU, &m, NULL), 0);
	CU_ASSERT_EQUAL(m.cpu, 12);
	CU_ASSERT_EQUAL(m.unknown.count, 1);
	ctnl_stats_snprintf(line, sizeof(line), &m);
	CU_ASSERT_STRING_EQUAL(line, "cpu=12  \tfound=1 chaintoolong=2 unknown1=3 ");
	ctnl_stats_json(line, sizeof(line), &m);
	CU_ASSERT_STRING_EQUAL(line, "{\"type\":\"stats\",\"object\":\"stats_cpu\",\"cpu\":12,\"found\":1,"
				     "\"chaintoolong\":2,\"unknown\":[{\"type\":16,\"len\":8,\"offset\":36,\"value\":3}]}");
	/* -C: a signed number, or nothing */
	n = hex2bin("1c000000 05010200 01000000 07000000 00000000 08000100 ffffffff", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(b, n, CTNL_STATS_GLOBAL, &m, NULL), 0);
	ctnl_stats_snprintf(line, sizeof(line), &m);
	CU_ASSERT_STRING_EQUAL(line, "-1");
	n = hex2bin("1c000000 05010200 01000000 07000000 00000000 08000200 00000010", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(ctnl_stats_decode(b, n, CTNL_STATS_GLOBAL, &m, NULL), 0);
	CU_ASSERT_EQUAL(ctnl_stats_snprintf(line, sizeof(line), &m), 0);
	/* a bad counter length is a located error */
	{
		struct ctnl_err err = { 0 };
		char text[256];

		n = hex2bin("1c000000 03010200 01000000 07000000 00000000 06000200 00000000", b, sizeof(b));
		CU_ASSERT_EQUAL(ctnl_stats_decode(b, n, CTNL_STATS_EXP_CPU, &m, &err), -EBADMSG);
		ctnl_err_format(&err, text, sizeof(text));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "expect_create"));
	}
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	unsigned fails;

	if (argc > 1)
		fixtures = argv[1];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("exp", NULL, NULL);
	CU_add_test(s, "every expectation attribute round trips", test_exp_roundtrip);
	CU_add_test(s, "every stats counter round trips", test_stats_roundtrip);
	CU_add_test(s, "descriptions cover the UAPI", test_uapi_max);
	CU_add_test(s, "classify: type 0x0103 by its request", test_classify);
	CU_add_test(s, "expectation lines and JSON goldens", test_render_goldens);
	CU_add_test(s, "stats lines and JSON goldens", test_stats_render);
	CU_add_test(s, "fixtures: lines equal conntrack(8)'s", test_fixture_lines);
	CU_add_test(s, "fixtures: re-encode, truncation", test_fixture_bytes);
	CU_add_test(s, "fixtures: the recording's facts", test_fixture_facts);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
