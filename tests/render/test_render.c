/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Render tests that need no second decoder:
 *  - the private formatters against libc (inet_ntop, asctime, printf);
 *  - golden lines: conntrack 1.4.7's real output (reference/peers.md §4)
 *    rebuilt from the values it shows;
 *  - golden JSON objects, and validity of every object we can generate;
 *  - snprintf semantics under truncation;
 *  - the kernel fixtures: every message of tests/fixtures/<s>/dump.bin
 *    against the line conntrack -L printed for it.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <CUnit/Basic.h>

#include "codec/fmt.h"
#include "rtest.h"

/* ---- building entries by hand ---- */

static void tuple_v4(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint8_t proto, uint16_t sport,
		     uint16_t dport)
{
	SET(t, CTA_TUPLE_IP);
	inet_pton(AF_INET, src, t->ip.v4_src), SET(&t->ip, CTA_IP_V4_SRC);
	inet_pton(AF_INET, dst, t->ip.v4_dst), SET(&t->ip, CTA_IP_V4_DST);
	SET(t, CTA_TUPLE_PROTO);
	t->proto.num = proto, SET(&t->proto, CTA_PROTO_NUM);
	if (proto == IPPROTO_ICMP) {
		t->proto.icmp_type = (uint8_t)sport, SET(&t->proto, CTA_PROTO_ICMP_TYPE);
		t->proto.icmp_code = 0, SET(&t->proto, CTA_PROTO_ICMP_CODE);
		t->proto.icmp_id = dport, SET(&t->proto, CTA_PROTO_ICMP_ID);
	} else {
		t->proto.src_port = sport, SET(&t->proto, CTA_PROTO_SRC_PORT);
		t->proto.dst_port = dport, SET(&t->proto, CTA_PROTO_DST_PORT);
	}
}

static void tuple_v6(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint8_t proto, uint16_t sport,
		     uint16_t dport)
{
	SET(t, CTA_TUPLE_IP);
	inet_pton(AF_INET6, src, t->ip.v6_src), SET(&t->ip, CTA_IP_V6_SRC);
	inet_pton(AF_INET6, dst, t->ip.v6_dst), SET(&t->ip, CTA_IP_V6_DST);
	SET(t, CTA_TUPLE_PROTO);
	t->proto.num = proto, SET(&t->proto, CTA_PROTO_NUM);
	t->proto.src_port = sport, SET(&t->proto, CTA_PROTO_SRC_PORT);
	t->proto.dst_port = dport, SET(&t->proto, CTA_PROTO_DST_PORT);
}

static void entry(struct ctnl_ct_msg *m, uint8_t family, uint16_t cmd, uint16_t flags)
{
	ctnl_ct_init(m);
	m->hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | cmd);
	m->hdr.flags = flags;
	m->hdr.family = family;
	SET(&m->ct, CTA_TUPLE_ORIG);
	SET(&m->ct, CTA_TUPLE_REPLY);
}

static void counters(struct ctnl_ct_counters *c, uint64_t p, uint64_t b)
{
	c->packets = p, SET(c, CTA_COUNTERS_PACKETS);
	c->bytes = b, SET(c, CTA_COUNTERS_BYTES);
}

static void tcp_state(struct ctnl_ct_msg *m, uint8_t s)
{
	SET(&m->ct, CTA_PROTOINFO);
	SET(&m->ct.protoinfo, CTA_PROTOINFO_TCP);
	m->ct.protoinfo.tcp.state = s, SET(&m->ct.protoinfo.tcp, CTA_PROTOINFO_TCP_STATE);
}

#define U32(m, f, T, v) ((m)->ct.f = (v), SET(&(m)->ct, T))

/* Sun Nov 29 03:30:39 2026 UTC: the start of the entries of peers.md §4.3 */
#define T0 1795923039ull

static void start_at(struct ctnl_ct_msg *m, uint64_t sec)
{
	SET(&m->ct, CTA_TIMESTAMP);
	m->ct.timestamp.start = sec * 1000000000ull + 123456789u, SET(&m->ct.timestamp, CTA_TIMESTAMP_START);
}

static void check_line(const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o, const char *want)
{
	char got[4096];
	int n = ctnl_ct_snprintf(got, sizeof(got), m, o);

	CU_ASSERT_EQUAL(n, (int)strlen(want));
	if (strcmp(got, want)) {
		fprintf(stderr, "\n want [%s]\n got  [%s]\n", want, got);
		CU_FAIL("golden line differs");
	}
}

/* ---- formatters against libc ---- */

static void test_fmt_ip(void)
{
	uint64_t s = 7;
	static const char *const specials[] = {
		"::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0:0", "::0.0.1.2", "1:0:0:1:0:0:0:1",
		"1:0:0:1:0:0:1:1", "0:0:1::", "::ffff:0:1.2.3.4", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8",
		"0:1:0:1:0:1:0:1", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::fffe:1.2.3.4", "0:0:0:0:0:1:1.2.3.4",
	};
	uint8_t a[16];
	char want[64], got[64];
	size_t n;

	for (unsigned i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		CU_ASSERT_FATAL(inet_pton(AF_INET6, specials[i], a) == 1);
		inet_ntop(AF_INET6, a, want, sizeof(want));
		n = ctnl_fmt_ipv6(got, a);
		got[n] = 0;
		CU_ASSERT_STRING_EQUAL(got, want);
	}
	for (unsigned i = 0; i < 300000; i++) {
		gen_addr(&s, a, 16);
		if (one_in(&s, 3))
			for (unsigned k = 0; k < 8; k++)
				if (one_in(&s, 2))
					a[2 * k] = 0, a[2 * k + 1] = (uint8_t)(one_in(&s, 2) ? 0 : rn(&s, 16));
		inet_ntop(AF_INET6, a, want, sizeof(want));
		n = ctnl_fmt_ipv6(got, a);
		got[n] = 0;
		if (strcmp(got, want)) {
			fprintf(stderr, "\n ipv6 want %s got %s\n", want, got);
			CU_FAIL_FATAL("ipv6 text differs from inet_ntop");
		}
	}
	for (unsigned i = 0; i < 100000; i++) {
		gen_addr(&s, a, 4);
		if (one_in(&s, 4))
			a[rn(&s, 4)] = (uint8_t)rn(&s, 12);
		inet_ntop(AF_INET, a, want, sizeof(want));
		n = ctnl_fmt_ipv4(got, a);
		got[n] = 0;
		CU_ASSERT_STRING_EQUAL_FATAL(got, want);
	}
}

static void test_fmt_numbers_dates(void)
{
	uint64_t s = 11;
	char want[128], got[128];
	struct ctnl_w w;

	for (unsigned i = 0; i < 200000; i++) {
		uint64_t v = rnd(&s) >> rn(&s, 64);
		int k = (int)rn(&s, 4);

		ctnl_w_init(&w, got, sizeof(got));
		if (k == 0) {
			ctnl_w_u64(&w, v);
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		} else if (k == 1) {
			ctnl_w_u32(&w, (uint32_t)v);
			snprintf(want, sizeof(want), "%u", (uint32_t)v);
		} else if (k == 2) {
			ctnl_w_hex(&w, (uint32_t)v);
			snprintf(want, sizeof(want), "%x", (uint32_t)v);
		} else {
			ctnl_w_i64(&w, (int64_t)v);
			snprintf(want, sizeof(want), "%lld", (long long)(int64_t)v);
		}
		ctnl_w_end(&w);
		CU_ASSERT_STRING_EQUAL_FATAL(got, want);
	}
	/* dates: asctime of gmtime, whatever the year */
	for (unsigned i = 0; i < 200000; i++) {
		int64_t t = (int64_t)(rnd(&s) % 40000000000ull) - 2000000000;
		time_t tt = (time_t)t;
		struct tm tm;
		char ab[64];
		size_t n;

		if (i < 4)
			t = tt = (time_t[]){ 0, -1, 951782400, 4107542400 }[i]; /* 1970, 1969, 2000-02-29, 2100-03-01 */
		gmtime_r(&tt, &tm);
		asctime_r(&tm, ab);
		ab[strlen(ab) - 1] = 0;
		n = ctnl_fmt_ctime(got, t);
		got[n] = 0;
		if (strcmp(got, ab)) {
			fprintf(stderr, "\n t=%lld want %s got %s\n", (long long)t, ab, got);
			CU_FAIL_FATAL("date differs from asctime");
		}
	}
}

/* Decode our own JSON string escapes back to bytes. */
static size_t unescape(const char *s, size_t n, uint8_t *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = (uint8_t)s[i];
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'u': out[o++] = (uint8_t)strtoul((char[]){ s[i + 3], s[i + 4], 0 }, NULL, 16); i += 4; break;
		default: out[o++] = (uint8_t)s[i]; break;
		}
	}
	return o;
}

static void test_fmt_json_strings(void)
{
	uint64_t s = 5;
	char out[1024];
	uint8_t in[200], back[1024];

	for (unsigned i = 0; i < 100000; i++) {
		struct ctnl_w w;
		size_t n = rn(&s, 40), l;
		char obj[1100];

		for (size_t k = 0; k < n; k++)
			in[k] = (uint8_t)(one_in(&s, 3) ? rn(&s, 256) : 0x20 + rn(&s, 0x5f));
		if (one_in(&s, 3) && n >= 4)
			memcpy(in + rn(&s, (unsigned)n - 3), "\xe2\x82\xac", 3);
		ctnl_w_init(&w, out, sizeof(out));
		ctnl_w_json_str(&w, in, n);
		l = (size_t)ctnl_w_end(&w);
		snprintf(obj, sizeof(obj), "{\"k\":%s}", out);
		CU_ASSERT_FATAL(json_valid(obj, strlen(obj)));
		/* lossless for every byte that is valid UTF-8; \u00XX for the rest */
		CU_ASSERT_FATAL(unescape(out + 1, l - 2, back) == n);
		CU_ASSERT_FATAL(memcmp(back, in, n) == 0);
	}
}

/* ---- golden lines: conntrack 1.4.7's own output (peers.md §4.3, §4.4) ---- */

static void test_golden_lines(void)
{
	struct ctnl_ct_msg m;
	const char *const labels[] = { "blue", "red" };
	struct ctnl_render_opts o = { .size = sizeof(o), .now = (int64_t)T0 + 1 };

	/* conntrack -L: icmp */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 8, 77);
	tuple_v4(&m.ct.reply, "10.0.0.2", "10.0.0.1", IPPROTO_ICMP, 0, 77);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED);
	U32(&m, timeout, CTA_TIMEOUT, 29);
	U32(&m, mark, CTA_MARK, 0);
	U32(&m, use, CTA_USE, 1);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 0, 0);
	SET(&m.ct, CTA_COUNTERS_REPLY), counters(&m.ct.counters_reply, 0, 0);
	start_at(&m, T0);
	check_line(&m, &o,
		   "icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=77 packets=0 bytes=0 [UNREPLIED] "
		   "src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=77 packets=0 bytes=0 mark=0 delta-time=1 use=1");

	/* conntrack -L: tcp with a helper */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 59514, 21);
	tuple_v4(&m.ct.reply, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 21, 59514);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_HELPER);
	U32(&m, timeout, CTA_TIMEOUT, 431998);
	U32(&m, mark, CTA_MARK, 0);
	U32(&m, use, CTA_USE, 1);
	U32(&m, id, CTA_ID, 12345);
	tcp_state(&m, 3);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 5, 274);
	SET(&m.ct, CTA_COUNTERS_REPLY), counters(&m.ct.counters_reply, 4, 270);
	start_at(&m, T0 - 1);
	SET(&m.ct, CTA_HELP);
	m.ct.help.name = (struct ctnl_view){ (const uint8_t *)"ftp", 3 }, SET(&m.ct.help, CTA_HELP_NAME);
	check_line(&m, &o,
		   "tcp      6 431998 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=59514 dport=21 packets=5 bytes=274 "
		   "src=127.0.0.1 dst=127.0.0.1 sport=21 dport=59514 packets=4 bytes=270 [ASSURED] mark=0 delta-time=2 "
		   "helper=ftp use=1");

	/* conntrack -L -o extended,id,ktimestamp,labels: ipv6 udp */
	entry(&m, AF_INET6, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v6(&m.ct.orig, "::1", "::1", IPPROTO_UDP, 59178, 5354);
	tuple_v6(&m.ct.reply, "::1", "::1", IPPROTO_UDP, 5354, 59178);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED);
	U32(&m, timeout, CTA_TIMEOUT, 28);
	U32(&m, mark, CTA_MARK, 0);
	U32(&m, use, CTA_USE, 1);
	U32(&m, id, CTA_ID, 853237575);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 1, 50);
	SET(&m.ct, CTA_COUNTERS_REPLY), counters(&m.ct.counters_reply, 0, 0);
	start_at(&m, T0);
	{
		static const uint8_t bits[16] = { 0x01 };

		m.ct.labels = (struct ctnl_view){ bits, 16 }, SET(&m.ct, CTA_LABELS);
	}
	o.now = (int64_t)T0 + 2;
	o.flags = CTNL_OUT_EXTENDED | CTNL_OUT_ID | CTNL_OUT_KTIMESTAMP | CTNL_OUT_LABELS;
	o.label_names = labels;
	o.nlabels = 2;
	check_line(&m, &o,
		   "ipv6     10 udp      17 28 src=::1 dst=::1 sport=59178 dport=5354 packets=1 bytes=50 [UNREPLIED] "
		   "src=::1 dst=::1 sport=5354 dport=59178 packets=0 bytes=0 mark=0 delta-time=2 "
		   "[start=Sun Nov 29 03:30:39 2026] use=1 id=853237575 labels=blue");
	/* the same, plain */
	o.flags = 0;
	check_line(&m, &o,
		   "udp      17 28 src=::1 dst=::1 sport=59178 dport=5354 packets=1 bytes=50 [UNREPLIED] "
		   "src=::1 dst=::1 sport=5354 dport=59178 packets=0 bytes=0 mark=0 delta-time=2 use=1");
	/* localtime: conntrack's dates follow the zone; UTC+1 */
	o.flags = CTNL_OUT_KTIMESTAMP;
	o.tz_offset = 3600;
	check_line(&m, &o,
		   "udp      17 28 src=::1 dst=::1 sport=59178 dport=5354 packets=1 bytes=50 [UNREPLIED] "
		   "src=::1 dst=::1 sport=5354 dport=59178 packets=0 bytes=0 mark=0 delta-time=2 "
		   "[start=Sun Nov 29 04:30:39 2026] use=1");
	o.tz_offset = 0;

	/* conntrack -L -m: mark and zone */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "10.0.0.1", "10.0.0.2", IPPROTO_TCP, 1234, 443);
	tuple_v4(&m.ct.reply, "10.0.0.2", "10.0.0.1", IPPROTO_TCP, 443, 1234);
	U32(&m, zone, CTA_ZONE, 7);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED);
	U32(&m, mark, CTA_MARK, 66);
	U32(&m, use, CTA_USE, 1);
	U32(&m, timeout, CTA_TIMEOUT, 118);
	tcp_state(&m, 3);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 0, 0);
	SET(&m.ct, CTA_COUNTERS_REPLY), counters(&m.ct.counters_reply, 0, 0);
	start_at(&m, T0 - 2);
	o.flags = 0;
	o.now = (int64_t)T0;
	check_line(&m, &o,
		   "tcp      6 118 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1234 dport=443 packets=0 bytes=0 "
		   "src=10.0.0.2 dst=10.0.0.1 sport=443 dport=1234 packets=0 bytes=0 [ASSURED] mark=66 zone=7 "
		   "delta-time=2 use=1");

	/* conntrack -E: the same entry created by conntrack -I (a user-space port id) */
	m.hdr.flags = NLM_F_CREATE | NLM_F_EXCL;
	m.hdr.pid = 11423;
	m.ct.present &= ~(1u << CTA_COUNTERS_ORIG | 1u << CTA_COUNTERS_REPLY | 1u << CTA_USE | 1u << CTA_TIMESTAMP);
	m.ct.timeout = 120;
	o.flags = CTNL_OUT_EVENT;
	check_line(&m, &o,
		   "    [NEW] tcp      6 120 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1234 dport=443 src=10.0.0.2 "
		   "dst=10.0.0.1 sport=443 dport=1234 [ASSURED] mark=66 zone=7 [USERSPACE] portid=11423");
	/* a listing never shows the port id */
	o.flags = 0;
	check_line(&m, &o,
		   "tcp      6 120 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1234 dport=443 src=10.0.0.2 "
		   "dst=10.0.0.1 sport=443 dport=1234 [ASSURED] mark=66 zone=7");

	/* conntrack -E: ipv6 NAT entry created from user space */
	entry(&m, AF_INET6, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL);
	m.hdr.pid = 11426;
	tuple_v6(&m.ct.orig, "2001:db8::1", "2001:db8::2", IPPROTO_TCP, 1111, 22);
	tuple_v6(&m.ct.reply, "2001:db8::99", "2001:db8::1", IPPROTO_TCP, 2222, 1111);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_SRC_NAT | IPS_DST_NAT);
	U32(&m, timeout, CTA_TIMEOUT, 100);
	U32(&m, mark, CTA_MARK, 0);
	tcp_state(&m, 3);
	o.flags = CTNL_OUT_EVENT;
	check_line(&m, &o,
		   "    [NEW] tcp      6 100 ESTABLISHED src=2001:db8::1 dst=2001:db8::2 sport=1111 dport=22 "
		   "src=2001:db8::99 dst=2001:db8::1 sport=2222 dport=1111 [ASSURED] mark=0 [USERSPACE] portid=11426");

	/* conntrack -E -o id,extended: NEW (kernel flags CREATE|EXCL) then UPDATE without protoinfo */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL);
	tuple_v4(&m.ct.orig, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 33274, 80);
	tuple_v4(&m.ct.reply, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 8080, 33274);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_DST_NAT);
	U32(&m, timeout, CTA_TIMEOUT, 120);
	U32(&m, id, CTA_ID, 2536765245u);
	tcp_state(&m, 1);
	o.flags = CTNL_OUT_EVENT | CTNL_OUT_ID | CTNL_OUT_EXTENDED;
	check_line(&m, &o,
		   "    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 "
		   "[UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274 id=2536765245");
	m.hdr.flags = 0;
	m.ct.present &= ~(1u << CTA_PROTOINFO);
	check_line(&m, &o,
		   " [UPDATE] ipv4     2 tcp      6 120 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 "
		   "[UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274 id=2536765245");
	/* conntrack -E -o labels */
	{
		static const uint8_t bits[16] = { 0x03 };

		m.ct.labels = (struct ctnl_view){ bits, 16 }, SET(&m.ct, CTA_LABELS);
	}
	o.flags = CTNL_OUT_EVENT | CTNL_OUT_LABELS;
	check_line(&m, &o,
		   " [UPDATE] tcp      6 120 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 [UNREPLIED] "
		   "src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274 labels=blue,red");
	/* a bit without a name is skipped; with no named bit, "labels" stays bare */
	{
		static const uint8_t bits[16] = { 0x06 };

		m.ct.labels = (struct ctnl_view){ bits, 16 };
		check_line(&m, &o,
			   " [UPDATE] tcp      6 120 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 [UNREPLIED] "
			   "src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274 labels=red");
	}
	{
		static const uint8_t bits[16] = { 0, 0, 0, 0x80 };

		m.ct.labels = (struct ctnl_view){ bits, 16 };
		check_line(&m, &o,
			   " [UPDATE] tcp      6 120 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 [UNREPLIED] "
			   "src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274 labels");
	}
	/* without a label map (no connlabel.conf) conntrack prints no labels at all */
	o.label_names = NULL;
	check_line(&m, &o,
		   " [UPDATE] tcp      6 120 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 [UNREPLIED] "
		   "src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274");
	o.label_names = labels;

	/* DESTROY */
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;
	o.flags = CTNL_OUT_EVENT;
	m.ct.present &= ~(1u << CTA_LABELS | 1u << CTA_TIMEOUT);
	check_line(&m, &o,
		   "[DESTROY] tcp      6 src=127.0.0.1 dst=127.0.0.1 sport=33274 dport=80 [UNREPLIED] "
		   "src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=33274");
}

static void test_golden_lines_source(void)
{
	/* forms seen in libnetfilter_conntrack's printer rather than in a capture */
	struct ctnl_ct_msg m;
	struct ctnl_render_opts o = { .size = sizeof(o), .now = (int64_t)T0 };

	/* directional zones */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "10.0.0.5", "10.0.0.6", IPPROTO_TCP, 1, 2);
	tuple_v4(&m.ct.reply, "10.0.0.6", "10.0.0.5", IPPROTO_TCP, 2, 1);
	m.ct.orig.zone = 3, SET(&m.ct.orig, CTA_TUPLE_ZONE);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY | 0x4000);
	U32(&m, timeout, CTA_TIMEOUT, 100);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 3, 180);
	check_line(&m, &o,
		   "tcp      6 100 src=10.0.0.5 dst=10.0.0.6 sport=1 dport=2 zone-orig=3 packets=3 bytes=180 "
		   "src=10.0.0.6 dst=10.0.0.5 sport=2 dport=1 [OFFLOAD]");
	m.ct.present &= ~(1u << CTA_COUNTERS_ORIG);
	m.ct.orig.present &= ~(1u << CTA_TUPLE_ZONE);
	m.ct.reply.zone = 4, SET(&m.ct.reply, CTA_TUPLE_ZONE);
	m.ct.status |= 0x8000;
	check_line(&m, &o,
		   "tcp      6 100 src=10.0.0.5 dst=10.0.0.6 sport=1 dport=2 src=10.0.0.6 dst=10.0.0.5 sport=2 "
		   "dport=1 zone-reply=4 [HW_OFFLOAD]");

	/* GRE keys in hex; an unknown protocol prints no ports */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "10.0.0.1", "10.0.0.2", IPPROTO_GRE, 0, 500);
	tuple_v4(&m.ct.reply, "10.0.0.2", "10.0.0.1", IPPROTO_GRE, 500, 0xabcd);
	U32(&m, timeout, CTA_TIMEOUT, 179);
	check_line(&m, &o,
		   "gre      47 179 src=10.0.0.1 dst=10.0.0.2 srckey=0x0 dstkey=0x1f4 src=10.0.0.2 dst=10.0.0.1 "
		   "srckey=0x1f4 dstkey=0xabcd");
	m.ct.orig.proto.num = 99;
	m.ct.reply.proto.num = 99;
	o.flags = CTNL_OUT_EXTENDED;
	check_line(&m, &o, "ipv4     2 unknown  99 179 src=10.0.0.1 dst=10.0.0.2 src=10.0.0.2 dst=10.0.0.1");
	m.hdr.family = 7;
	check_line(&m, &o, "unknown  7 unknown  99 179");

	/* sctp and dccp states; secmark, secctx; a stopped entry's delta-time and dates */
	entry(&m, AF_INET6, IPCTNL_MSG_CT_DELETE, 0);
	tuple_v6(&m.ct.orig, "fe80::1", "ff02::1:2", IPPROTO_SCTP, 5000, 5001);
	tuple_v6(&m.ct.reply, "ff02::1:2", "fe80::1", IPPROTO_SCTP, 5001, 5000);
	SET(&m.ct, CTA_PROTOINFO);
	SET(&m.ct.protoinfo, CTA_PROTOINFO_SCTP);
	m.ct.protoinfo.sctp.state = 7, SET(&m.ct.protoinfo.sctp, CTA_PROTOINFO_SCTP_STATE);
	U32(&m, secmark, CTA_SECMARK, 9);
	SET(&m.ct, CTA_SECCTX);
	m.ct.secctx.name = (struct ctnl_view){ (const uint8_t *)"system_u:object_r:x_t:s0", 24 };
	SET(&m.ct.secctx, CTA_SECCTX_NAME);
	start_at(&m, T0);
	m.ct.timestamp.stop = (T0 + 3661) * 1000000000ull, SET(&m.ct.timestamp, CTA_TIMESTAMP_STOP);
	m.hdr.pid = 0;
	o.flags = CTNL_OUT_EVENT | CTNL_OUT_KTIMESTAMP;
	o.now = 0; /* a stopped entry does not read the clock */
	check_line(&m, &o,
		   "[DESTROY] sctp     132 SHUTDOWN_ACK_SENT src=fe80::1 dst=ff02::1:2 sport=5000 dport=5001 "
		   "src=ff02::1:2 dst=fe80::1 sport=5001 dport=5000 secmark=9 secctx=system_u:object_r:x_t:s0 "
		   "delta-time=3661 [start=Sun Nov 29 03:30:39 2026] [stop=Sun Nov 29 04:31:40 2026]");
	m.ct.protoinfo.present = 1u << CTA_PROTOINFO_DCCP;
	m.ct.protoinfo.dccp.state = 4, SET(&m.ct.protoinfo.dccp, CTA_PROTOINFO_DCCP_STATE);
	m.ct.orig.proto.num = m.ct.reply.proto.num = IPPROTO_DCCP;
	m.ct.present &= ~(1u << CTA_SECCTX | 1u << CTA_SECMARK | 1u << CTA_TIMESTAMP);
	o.flags = 0;
	check_line(&m, &o,
		   "dccp     33 OPEN src=fe80::1 dst=ff02::1:2 sport=5000 dport=5001 src=ff02::1:2 dst=fe80::1 "
		   "sport=5001 dport=5000");

	/* icmpv6 */
	entry(&m, AF_INET6, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v6(&m.ct.orig, "2001:db8::1", "2001:db8::2", IPPROTO_ICMPV6, 0, 0);
	m.ct.orig.proto.present = 1u << CTA_PROTO_NUM;
	m.ct.orig.proto.icmpv6_type = 128, SET(&m.ct.orig.proto, CTA_PROTO_ICMPV6_TYPE);
	m.ct.orig.proto.icmpv6_code = 0, SET(&m.ct.orig.proto, CTA_PROTO_ICMPV6_CODE);
	m.ct.orig.proto.icmpv6_id = 4242, SET(&m.ct.orig.proto, CTA_PROTO_ICMPV6_ID);
	m.ct.present &= ~(1u << CTA_TUPLE_REPLY);
	U32(&m, timeout, CTA_TIMEOUT, 29);
	check_line(&m, &o, "icmpv6   58 29 src=2001:db8::1 dst=2001:db8::2 type=128 code=0 id=4242");

	/* no protocol number in the original tuple: conntrack prints what it
	 * had written before libnetfilter_conntrack gave up */
	m.ct.orig.proto.present &= ~(1u << CTA_PROTO_NUM);
	check_line(&m, &o, "");
	o.flags = CTNL_OUT_EXTENDED;
	check_line(&m, &o, "ipv6     10 ");
	o.flags = CTNL_OUT_EVENT;
	m.hdr.flags = NLM_F_CREATE;
	m.hdr.pid = 77;
	check_line(&m, &o, "    [NEW]  [USERSPACE] portid=77");

	/* NULL options: a plain listing line */
	m.ct.orig.proto.present |= 1u << CTA_PROTO_NUM;
	{
		char a[256], b[256];

		o.flags = 0;
		ctnl_ct_snprintf(a, sizeof(a), &m, NULL);
		ctnl_ct_snprintf(b, sizeof(b), &m, &o);
		CU_ASSERT_STRING_EQUAL(a, b);
	}
}

static void test_is_event(void)
{
	struct ctnl_msg h = { 0 };

	h.flags = NLM_F_MULTI;
	CU_ASSERT_EQUAL(ctnl_ct_is_event(&h), 0);
	h.flags = NLM_F_CREATE | NLM_F_EXCL;
	CU_ASSERT_EQUAL(ctnl_ct_is_event(&h), 1);
	h.flags = 0;
	CU_ASSERT_EQUAL(ctnl_ct_is_event(&h), 1);
}

/* ---- snprintf semantics ---- */

static void test_truncation(void)
{
	struct gen_store st = { 0 };
	uint64_t s = 99;
	static const char *const names[] = { "blue", "red", "green" };
	struct ctnl_render_opts o = { .size = sizeof(o), .now = (int64_t)T0, .label_names = names, .nlabels = 3 };
	char full[8192], part[8192];

	for (unsigned i = 0; i < 3000; i++) {
		struct ctnl_ct_msg m;
		int n, k;
		size_t cap;

		gen_msg(&s, &m, &st);
		o.flags = rn(&s, 32);
		for (int json = 0; json < 2; json++) {
			n = json ? ctnl_ct_json(full, sizeof(full), &m, &o) : ctnl_ct_snprintf(full, sizeof(full), &m, &o);
			CU_ASSERT_FATAL(n >= 0 && n < (int)sizeof(full));
			CU_ASSERT_EQUAL_FATAL((size_t)n, strlen(full));
			cap = rn(&s, (unsigned)n + 2);
			memset(part, 'X', sizeof(part));
			k = json ? ctnl_ct_json(cap ? part : NULL, cap, &m, &o) : ctnl_ct_snprintf(cap ? part : NULL, cap, &m, &o);
			CU_ASSERT_EQUAL_FATAL(k, n);
			if (cap) {
				size_t kept = (size_t)n < cap - 1 ? (size_t)n : cap - 1;

				CU_ASSERT_FATAL(memcmp(part, full, kept) == 0);
				CU_ASSERT_FATAL(part[kept] == 0);
				CU_ASSERT_FATAL(part[kept + 1] == 'X');
			}
		}
	}
}

/* ---- JSON ---- */

static void check_json(const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o, const char *want)
{
	char got[8192];
	int n = ctnl_ct_json(got, sizeof(got), m, o);

	CU_ASSERT_EQUAL(n, (int)strlen(want));
	CU_ASSERT(json_valid(got, (size_t)n));
	if (strcmp(got, want)) {
		fprintf(stderr, "\n want %s\n got  %s\n", want, got);
		CU_FAIL("golden JSON differs");
	}
}

static void test_golden_json(void)
{
	struct ctnl_ct_msg m;
	const char *const labels[] = { "blue", NULL, "red" };
	struct ctnl_render_opts o = { .size = sizeof(o), .now = (int64_t)T0 + 2, .label_names = labels, .nlabels = 3 };

	/* the ftp control connection of peers.md, as a dump entry */
	entry(&m, AF_INET, IPCTNL_MSG_CT_NEW, NLM_F_MULTI);
	tuple_v4(&m.ct.orig, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 59514, 21);
	tuple_v4(&m.ct.reply, "127.0.0.1", "127.0.0.1", IPPROTO_TCP, 21, 59514);
	U32(&m, status, CTA_STATUS, IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_HELPER);
	U32(&m, timeout, CTA_TIMEOUT, 431998);
	U32(&m, mark, CTA_MARK, 0);
	U32(&m, use, CTA_USE, 1);
	U32(&m, id, CTA_ID, 853237575);
	tcp_state(&m, 3);
	m.ct.protoinfo.tcp.wscale_orig = 7, SET(&m.ct.protoinfo.tcp, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL);
	m.ct.protoinfo.tcp.flags_orig = (struct ctnl_ct_tcpflags){ 0x23, 0x23 };
	SET(&m.ct.protoinfo.tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL);
	SET(&m.ct, CTA_COUNTERS_ORIG), counters(&m.ct.counters_orig, 5, 274);
	SET(&m.ct, CTA_COUNTERS_REPLY), counters(&m.ct.counters_reply, 4, 270);
	start_at(&m, T0);
	SET(&m.ct, CTA_HELP);
	m.ct.help.name = (struct ctnl_view){ (const uint8_t *)"ftp", 3 }, SET(&m.ct.help, CTA_HELP_NAME);
	{
		static const uint8_t bits[16] = { 0x0d };

		m.ct.labels = (struct ctnl_view){ bits, 16 }, SET(&m.ct, CTA_LABELS);
	}
	check_json(&m, &o,
		   "{\"type\":\"entry\",\"family\":\"ipv4\",\"family_num\":2,\"proto\":\"tcp\",\"proto_num\":6,"
		   "\"timeout\":431998,\"state\":\"ESTABLISHED\","
		   "\"orig\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\",\"proto\":\"tcp\",\"proto_num\":6,"
		   "\"sport\":59514,\"dport\":21,\"packets\":5,\"bytes\":274},"
		   "\"reply\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\",\"proto\":\"tcp\",\"proto_num\":6,"
		   "\"sport\":21,\"dport\":59514,\"packets\":4,\"bytes\":270},"
		   "\"status\":8206,\"status_flags\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\",\"HELPER\"],"
		   "\"unreplied\":false,\"mark\":0,\"use\":1,\"id\":853237575,\"helper\":\"ftp\","
		   "\"labels\":[{\"bit\":0,\"name\":\"blue\"},{\"bit\":2,\"name\":\"red\"},{\"bit\":3,\"name\":null}],"
		   "\"timestamp\":{\"start\":1795923039123456789,\"delta_time\":2},"
		   "\"protoinfo\":{\"tcp\":{\"state\":\"ESTABLISHED\",\"state_num\":3,\"wscale_orig\":7,"
		   "\"flags_orig\":{\"flags\":35,\"mask\":35,\"names\":[\"WINDOW_SCALE\",\"SACK_PERM\",\"MAXACK_SET\"]}}}}");

	/* an event from user space: ICMP, zones, secctx with bytes JSON must escape */
	entry(&m, AF_INET6, IPCTNL_MSG_CT_DELETE, 0);
	m.hdr.pid = 4711;
	tuple_v6(&m.ct.orig, "::ffff:10.0.0.1", "2001:db8::", IPPROTO_UDP, 53, 5353);
	m.ct.orig.zone = 3, SET(&m.ct.orig, CTA_TUPLE_ZONE);
	m.ct.present &= ~(1u << CTA_TUPLE_REPLY);
	U32(&m, status, CTA_STATUS, 0x10000 | IPS_CONFIRMED);
	U32(&m, zone, CTA_ZONE, 9);
	SET(&m.ct, CTA_SECCTX);
	m.ct.secctx.name = (struct ctnl_view){ (const uint8_t *)"a\"b\\c\n\x01\xff\xc3\xa9", 10 };
	SET(&m.ct.secctx, CTA_SECCTX_NAME);
	SET(&m.ct, CTA_PROTOINFO);
	SET(&m.ct.protoinfo, CTA_PROTOINFO_DCCP);
	m.ct.protoinfo.dccp.state = 200, SET(&m.ct.protoinfo.dccp, CTA_PROTOINFO_DCCP_STATE);
	m.ct.protoinfo.dccp.role = 1, SET(&m.ct.protoinfo.dccp, CTA_PROTOINFO_DCCP_ROLE);
	SET(&m.ct, CTA_TUPLE_MASTER);
	tuple_v4(&m.ct.master, "10.1.1.1", "10.2.2.2", IPPROTO_ICMP, 8, 99);
	SET(&m.ct, CTA_TIMESTAMP);
	m.ct.timestamp.start = 5000000000ull, SET(&m.ct.timestamp, CTA_TIMESTAMP_START);
	m.ct.timestamp.stop = 3000000000ull, SET(&m.ct.timestamp, CTA_TIMESTAMP_STOP);
	m.ct.timestamp_event = 1, SET(&m.ct, CTNL_CTA_TIMESTAMP_EVENT);
	o.flags = 0;
	check_json(&m, &o,
		   "{\"type\":\"destroy\",\"portid\":4711,\"family\":\"ipv6\",\"family_num\":10,\"proto\":\"udp\","
		   "\"proto_num\":17,\"state\":\"NONE\","
		   "\"orig\":{\"src\":\"::ffff:10.0.0.1\",\"dst\":\"2001:db8::\",\"proto\":\"udp\",\"proto_num\":17,"
		   "\"sport\":53,\"dport\":5353,\"zone\":3},"
		   "\"status\":65544,\"status_flags\":[\"CONFIRMED\",\"BIT_16\"],\"unreplied\":true,"
		   "\"secctx\":\"a\\\"b\\\\c\\n\\u0001\\u00ff\xc3\xa9\",\"zone\":9,"
		   "\"timestamp\":{\"start\":5000000000,\"stop\":3000000000,\"delta_time\":-2},\"timestamp_event\":1,"
		   "\"protoinfo\":{\"dccp\":{\"state\":\"NONE\",\"state_num\":200,\"role\":\"server\",\"role_num\":1}},"
		   "\"master\":{\"src\":\"10.1.1.1\",\"dst\":\"10.2.2.2\",\"proto\":\"icmp\",\"proto_num\":1,"
		   "\"type\":8,\"code\":0,\"id\":99}}");

	/* a request: NAT, masks, filter, GRE keys; no tuple protocol */
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_MULTI;
	m.hdr.family = 2;
	SET(&m.ct, CTA_TUPLE_REPLY);
	tuple_v4(&m.ct.reply, "192.0.2.1", "192.0.2.2", IPPROTO_GRE, 1, 2);
	SET(&m.ct, CTA_NAT_SRC);
	inet_pton(AF_INET, "203.0.113.1", m.ct.nat_src.v4_min), SET(&m.ct.nat_src, CTA_NAT_V4_MINIP);
	SET(&m.ct.nat_src, CTA_NAT_PROTO);
	m.ct.nat_src.proto.port_min = 1024, SET(&m.ct.nat_src.proto, CTA_PROTONAT_PORT_MIN);
	U32(&m, mark_mask, CTA_MARK_MASK, 0xff);
	U32(&m, status_mask, CTA_STATUS_MASK, 4);
	SET(&m.ct, CTA_FILTER);
	m.ct.filter.orig_flags = 0xfff, SET(&m.ct.filter, CTA_FILTER_ORIG_FLAGS);
	SET(&m.ct, CTA_SEQ_ADJ_REPLY);
	m.ct.seqadj_reply.offset_after = 12, SET(&m.ct.seqadj_reply, CTA_SEQADJ_OFFSET_AFTER);
	SET(&m.ct, CTA_SYNPROXY);
	m.ct.synproxy.its = 3, SET(&m.ct.synproxy, CTA_SYNPROXY_ITS);
	check_json(&m, &o,
		   "{\"type\":\"request\",\"family\":\"ipv4\",\"family_num\":2,"
		   "\"reply\":{\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\",\"proto\":\"gre\",\"proto_num\":47,"
		   "\"srckey\":1,\"dstkey\":2},"
		   "\"seq_adj\":{\"reply\":{\"offset_after\":12}},\"synproxy\":{\"its\":3},"
		   "\"nat\":{\"src\":{\"min\":\"203.0.113.1\",\"port_min\":1024}},"
		   "\"mark_mask\":255,\"status_mask\":4,\"filter\":{\"orig_flags\":4095}}");
}

/* A message with unknown attributes, written byte by byte. */
static void test_json_unknown(void)
{
	uint32_t b32[64];
	uint8_t *b = (uint8_t *)b32;
	size_t at = 20;
	struct ctnl_ct_msg m;
	char out[2048];
	int n;

#define PUT_ATTR(len, type) (set_u16(b + at, (uint16_t)(len)), set_u16(b + at + 2, (uint16_t)(type)), at += 4)
	memset(b32, 0, sizeof(b32));
	PUT_ATTR(4 + 4 + 16, CTA_TUPLE_ORIG | NLA_F_NESTED);
	PUT_ATTR(4 + 16, CTA_TUPLE_PROTO | NLA_F_NESTED);
	PUT_ATTR(5, CTA_PROTO_NUM);
	b[at] = 6;
	at += 4;
	PUT_ATTR(8, 12);
	at += 4;
	PUT_ATTR(8, 28);
	at += 4;
	set_u32(b, (uint32_t)at);
	set_u16(b + 4, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW);
	set_u16(b + 6, NLM_F_MULTI);
	b[16] = AF_INET;
	CU_ASSERT_FATAL(ctnl_ct_decode(b, at, &m, NULL) == 0);
	CU_ASSERT_EQUAL_FATAL(m.unknown.count, 2);
	n = ctnl_ct_json(out, sizeof(out), &m, NULL);
	CU_ASSERT(json_valid(out, (size_t)n));
	CU_ASSERT_STRING_EQUAL(out,
			       "{\"type\":\"entry\",\"family\":\"ipv4\",\"family_num\":2,\"proto\":\"tcp\",\"proto_num\":6,"
			       "\"orig\":{\"proto\":\"tcp\",\"proto_num\":6},"
			       "\"unknown\":[{\"path\":\"orig.proto.12\",\"type\":12,\"len\":8,\"offset\":36},"
			       "{\"path\":\"28\",\"type\":28,\"len\":8,\"offset\":44}]}");
	/* more unknowns than are kept: the count says so */
	m.unknown.count = 11;
	ctnl_ct_json(out, sizeof(out), &m, NULL);
	CU_ASSERT(strstr(out, "\"unknown_count\":11}") != NULL);
#undef PUT_ATTR
}

static void test_json_valid_everywhere(void)
{
	struct gen_store st = { 0 };
	uint64_t s = 1234;
	static const char *const names[] = { "a\"b", "\xff", "ok", NULL, "" };
	struct ctnl_render_opts o = { .size = sizeof(o), .now = (int64_t)T0, .label_names = names, .nlabels = 5 };
	static uint32_t wire32[2048];
	char out[16384];

	for (unsigned i = 0; i < 30000; i++) {
		struct ctnl_ct_msg m, d;
		size_t len;
		int n;

		gen_msg(&s, &m, &st);
		if (one_in(&s, 3))
			gen_request_extras(&s, &m, &st);
		o.flags = rn(&s, 32);
		n = ctnl_ct_json(out, sizeof(out), &m, &o);
		CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(out));
		if (!json_valid(out, (size_t)n)) {
			fprintf(stderr, "\n invalid: %s\n", out);
			CU_FAIL_FATAL("invalid JSON");
		}
		/* and after a trip through the wire, the same object */
		CU_ASSERT_FATAL(ctnl_ct_encode(&m, wire32, sizeof(wire32), &len, NULL) == 0);
		CU_ASSERT_FATAL(ctnl_ct_decode(wire32, len, &d, NULL) == 0);
		{
			char again[16384];

			ctnl_ct_json(again, sizeof(again), &d, &o);
			CU_ASSERT_STRING_EQUAL_FATAL(again, out);
		}
	}
}

/* ---- kernel fixtures against conntrack -L ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
		rewind(f);
		p = malloc((size_t)n + 1);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		} else if (p) {
			p[n] = 0;
			*len = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

/* Hide the values that change between the dump and conntrack -L: the
 * timeout (the column after "proto num", listings only) and delta-time. */
static void mask_volatile(char *line, int listing)
{
	char *p = line, *d;

	/* skip an optional "ipvN  N " layer-3 column, then "proto  N " */
	for (int col = 0; listing && col < 2; col++) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == ' ')
			p++;
		if (col == 0 && strncmp(line, "ipv", 3) != 0)
			break;
	}
	if (listing && *p >= '0' && *p <= '9') {
		char *e = p;

		while (*e >= '0' && *e <= '9')
			e++;
		if (*e == ' ' || *e == 0) {
			*p = '*';
			memmove(p + 1, e, strlen(e) + 1);
		}
	}
	d = strstr(line, "delta-time=");
	if (d) {
		char *v = d + 11, *e = v;

		while (*e >= '0' && *e <= '9')
			e++;
		*v = '*';
		memmove(v + 1, e, strlen(e) + 1);
	}
}

/* The label names of CTNL_NS_CONNLABELS (netns-harness/ctnl-ns.sh), which
 * the fixtures' conntrack -o labels used. */
static const char *fixture_labels[128];

static unsigned fixture_compare(const char *dir, const char *binname, const char *txtname, unsigned flags)
{
	char path[1024];
	size_t blen = 0, tlen = 0;
	char *bin, *txt, *line, *save = NULL;
	struct ctnl_stream st;
	const uint8_t *msg;
	size_t mlen;
	unsigned lines = 0, bad = 0;
	struct ctnl_render_opts o = { .size = sizeof(o), .flags = flags, .label_names = fixture_labels,
				      .nlabels = 128 };

	snprintf(path, sizeof(path), "%s/%s", dir, binname);
	bin = slurp(path, &blen);
	snprintf(path, sizeof(path), "%s/%s", dir, txtname);
	txt = slurp(path, &tlen);
	if (!bin || !txt) {
		free(bin);
		free(txt);
		return 0;
	}
	line = strtok_r(txt, "\n", &save);
	ctnl_stream_init(&st, bin, blen);
	while (ctnl_stream_next(&st, &msg, &mlen, NULL) == 1) {
		struct ctnl_ct_msg m;
		char got[8192], want[8192];

		if (ctnl_ct_decode(msg, mlen, &m, NULL) != 0)
			continue; /* NLMSG_DONE, errors */
		/* conntrack's summary line goes to stderr, but may have been captured */
		while (line && strncmp(line, "conntrack v", 11) == 0)
			line = strtok_r(NULL, "\n", &save);
		if (!line) {
			fprintf(stderr, "\n %s/%s: more entries than lines\n", dir, txtname);
			bad++;
			break;
		}
		CU_ASSERT_EQUAL(ctnl_ct_is_event(&m.hdr), !!(flags & CTNL_OUT_EVENT));
		ctnl_ct_snprintf(got, sizeof(got), &m, &o);
		snprintf(want, sizeof(want), "%s", line);
		{
			/* conntrack finds the sender's program name in /proc; a pure
			 * renderer cannot, so " progname=X" is the caller's to add */
			char *pn = strstr(want, "] portid=");

			if (pn && (pn = strstr(pn, " progname=")) != NULL)
				*pn = 0;
		}
		mask_volatile(got, !(flags & CTNL_OUT_EVENT));
		mask_volatile(want, !(flags & CTNL_OUT_EVENT));
		if (strcmp(got, want)) {
			fprintf(stderr, "\n %s/%s\n  conntrack: [%s]\n  ctnl:      [%s]\n", dir, txtname, want, got);
			bad++;
		}
		{
			/* and the JSON of every real message is valid */
			char j[16384];
			int n = ctnl_ct_json(j, sizeof(j), &m, &o);

			CU_ASSERT(n > 0 && n < (int)sizeof(j) && json_valid(j, (size_t)n));
		}
		lines++;
		line = strtok_r(NULL, "\n", &save);
	}
	while (line && strncmp(line, "conntrack v", 11) == 0)
		line = strtok_r(NULL, "\n", &save);
	if (line) {
		fprintf(stderr, "\n %s/%s: more lines than entries: [%s]\n", dir, txtname, line);
		bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	free(bin);
	free(txt);
	return lines;
}

static void test_fixtures(void)
{
	static const struct {
		const char *bin, *txt;
		unsigned flags;
	} forms[] = {
		{ "dump.bin", "conntrack-L.txt", 0 },
		{ "dump.bin", "conntrack-L-extended-id.txt", CTNL_OUT_EXTENDED | CTNL_OUT_ID },
		{ "dump.bin", "conntrack-L-labels.txt", CTNL_OUT_LABELS },
		{ "events.bin", "conntrack-E.txt", CTNL_OUT_EVENT },
	};
	const char *root = getenv("CTNL_FIXTURES");
	unsigned scenarios = 0, lines = 0, files = 0;
	struct dirent *e;
	DIR *d;

	fixture_labels[0] = "green";
	fixture_labels[1] = "blue";
	fixture_labels[2] = "red";
	fixture_labels[3] = "yellow";
	fixture_labels[64] = "sixtyfour";
	fixture_labels[127] = "last";
	if (!root || !(d = opendir(root))) {
		fprintf(stderr, "\n  no fixtures directory (CTNL_FIXTURES) ");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char dir[1024];
		struct stat sb;
		unsigned before = lines;

		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		for (unsigned f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			unsigned n = fixture_compare(dir, forms[f].bin, forms[f].txt, forms[f].flags);

			lines += n;
			files += n > 0;
		}
		scenarios += lines > before;
	}
	closedir(d);
	fprintf(stderr, "\n  %u fixture scenarios, %u files, %u lines compared ", scenarios, files, lines);
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("render", NULL, NULL);
	CU_add_test(s, "ipv4/ipv6 text equals inet_ntop", test_fmt_ip);
	CU_add_test(s, "numbers and dates equal printf/asctime", test_fmt_numbers_dates);
	CU_add_test(s, "JSON strings: valid and lossless", test_fmt_json_strings);
	CU_add_test(s, "golden lines from conntrack 1.4.7 output", test_golden_lines);
	CU_add_test(s, "golden lines from the printer's source", test_golden_lines_source);
	CU_add_test(s, "is_event", test_is_event);
	CU_add_test(s, "snprintf truncation", test_truncation);
	CU_add_test(s, "golden JSON", test_golden_json);
	CU_add_test(s, "JSON unknown attributes", test_json_unknown);
	CU_add_test(s, "JSON always valid, stable through the wire", test_json_valid_everywhere);
	CU_add_test(s, "kernel fixtures vs conntrack -L", test_fixtures);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
