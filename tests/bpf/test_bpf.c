/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Event-filter compiler, interpreter and disassembler: the error kinds
 * of the seed, the instruction limit, golden disassembly, the kernel's
 * netlink lookups as the interpreter runs them, and one test per seed
 * filter bug (go-conntrack B20-B27) showing ctnl does not have it.
 *
 *   test_bpf GOLDEN_DIR      (CTNL_REGEN_GOLDEN=1 rewrites the goldens)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <ctnl/bpf.h>
#include <ctnl/ct.h>

#include "bpftest.h"
#include "codec/bpf_codes.h"

static const char *golden_dir;
static struct ctnl_bpf_insn prog[CTNL_BPF_MAXINSNS + 8];
static struct ctnl_bpf_match ents[4200];
static char text[(CTNL_BPF_MAXINSNS + 8) * 80];

static const uint8_t V4_A[4] = { 10, 0, 0, 1 }, V4_LO[4] = { 127, 0, 0, 1 };
static const uint8_t V6_FD_A[16] = { 0xfd, [15] = 0x0a }, V6_FE_B[16] = { 0xfe, [15] = 0x0b },
		     V6_FE80_A[16] = { 0xfe, 0x80, [15] = 0x0a }, V6_LO[16] = { [15] = 1 };

/* Build an event as the kernel would and return its encoded length. */
static size_t event(uint8_t *buf, size_t cap, uint8_t family, uint8_t proto, const void *src, uint16_t sport,
		    uint16_t dport, int destroy)
{
	struct ctnl_ct_msg m;
	size_t len;

	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | (destroy ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW);
	m.hdr.flags = destroy ? 0 : 0x600;
	m.hdr.family = family;
	for (int dir = 0; dir < 2; dir++) {
		struct ctnl_ct_tuple *t = dir ? &m.ct.reply : &m.ct.orig;

		t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
		if (family == 10) {
			memcpy(dir ? t->ip.v6_dst : t->ip.v6_src, src, 16);
			memcpy(dir ? t->ip.v6_src : t->ip.v6_dst, V6_LO, 16);
			t->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
		} else {
			memcpy(dir ? t->ip.v4_dst : t->ip.v4_src, src, 4);
			memcpy(dir ? t->ip.v4_src : t->ip.v4_dst, V4_LO, 4);
			t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		}
		t->proto.num = proto;
		t->proto.present = 1u << CTA_PROTO_NUM;
		if (proto == 1) {
			t->proto.icmp_type = dir ? 0 : 8;
			t->proto.icmp_id = 7;
			t->proto.present |= 1u << CTA_PROTO_ICMP_TYPE | 1u << CTA_PROTO_ICMP_CODE | 1u << CTA_PROTO_ICMP_ID;
		} else {
			t->proto.src_port = dir ? dport : sport;
			t->proto.dst_port = dir ? sport : dport;
			t->proto.present |= 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		}
	}
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_STATUS | 1u << CTA_TIMEOUT;
	m.ct.status = 0xa;
	m.ct.timeout = 30;
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&m, buf, cap, &len, NULL), 0);
	return len;
}

/* Compile, run in the interpreter, check the evaluator agrees; return the verdict (0/1). */
static int verdict(const struct ctnl_bpf_match *f, size_t n, const uint8_t *buf, size_t len)
{
	struct ctnl_ct_msg d;
	size_t plen;
	uint32_t v;
	int ev;

	CU_ASSERT_EQUAL_FATAL(ctnl_bpf_compile(f, n, prog, CTNL_BPF_MAXINSNS, &plen, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_bpf_run(prog, plen, buf, len, &v, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, len, &d, NULL), 0);
	ev = ctnl_bpf_match_eval(f, n, &d, NULL);
	CU_ASSERT_EQUAL(ev, v != 0);
	return v != 0;
}

/* ---- errors, as the seed names them ---- */

static void test_errors(void)
{
	struct ctnl_err err;
	struct ctnl_bpf_match e[2];
	size_t plen;

	memset(&err, 0, sizeof(err));
	e[0] = mk(CTNL_BPF_ORIG_PORT_DST, 0, 22);
	e[0].type = CTNL_BPF_TYPE_MAX + 3;
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, CTNL_BPF_MAXINSNS, &plen, &err), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "not implemented"));

	e[0] = mk(CTNL_BPF_ORIG_PORT_DST, 0, 22);
	e[0].len = 4;
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, CTNL_BPF_MAXINSNS, &plen, &err), -ERANGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "incorrect length of filter attribute"));

	e[0] = mk_masked(CTNL_BPF_ORIG_PORT_DST, 0, 22, 0xffff); /* ports take no mask */
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, CTNL_BPF_MAXINSNS, &plen, &err), -EDOM);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "mask"));
	e[0] = mk_addr(CTNL_BPF_ORIG_V4_SRC, 0, V4_A, 24);
	e[0].mask_len = 3;
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, CTNL_BPF_MAXINSNS, &plen, &err), -EDOM);

	e[0] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 6);
	e[1] = mk(CTNL_BPF_ORIG_L4PROTO, 1, 17);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 2, prog, CTNL_BPF_MAXINSNS, &plen, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "mixed"));
	CU_ASSERT_EQUAL(err.offset, 1);
	CU_ASSERT_EQUAL(err.attr_type, CTNL_BPF_ORIG_L4PROTO);

	/* the evaluator validates the same way */
	struct ctnl_ct_msg d;

	ctnl_ct_init(&d);
	CU_ASSERT_EQUAL(ctnl_bpf_match_eval(e, 2, &d, NULL), -EINVAL);

	/* 1400 masked IPv4 addresses: too long, the seed's ErrFilterLength */
	for (unsigned i = 0; i < 1400; i++)
		ents[i] = mk_addr(CTNL_BPF_ORIG_V4_SRC, 0, V4_A, 24);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(ents, 1400, prog, CTNL_BPF_MAXINSNS, &plen, &err), -E2BIG);
	CU_ASSERT(plen > CTNL_BPF_MAXINSNS);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "too high"));

	/* a small buffer: -ENOSPC, and the size it needs */
	e[0] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 6);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, 3, &plen, &err), -ENOSPC);
	CU_ASSERT(plen > 3);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, NULL, 0, &plen, NULL), -ENOSPC);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(e, 1, prog, plen, &plen, NULL), 0);

	/* an empty filter accepts everything: prologue and accept */
	CU_ASSERT_EQUAL(ctnl_bpf_compile(NULL, 0, prog, CTNL_BPF_MAXINSNS, &plen, NULL), 0);
	CU_ASSERT_EQUAL(plen, 4);
}

/* ---- B27: exactly 4096 instructions is allowed ---- */

static void test_limit_4096(void)
{
	size_t plen = 0, k, hit = 0;

	/* port entries are one instruction each, so some count gives 4096 */
	for (k = 3900; k < 4200; k++) {
		for (size_t i = 0; i < k; i++)
			ents[i] = mk(CTNL_BPF_ORIG_PORT_DST, 0, (uint32_t)(i + 1));
		int rc = ctnl_bpf_compile(ents, k, prog, CTNL_BPF_MAXINSNS, &plen, NULL);

		if (plen == CTNL_BPF_MAXINSNS) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(ctnl_bpf_check(prog, plen, NULL), 0);
			hit = k;
		} else if (plen > CTNL_BPF_MAXINSNS) {
			CU_ASSERT_EQUAL(rc, -E2BIG);
			break;
		}
	}
	CU_ASSERT(hit > 0);
	/* the interpreter's check: 4096 yes, 4097 no */
	for (size_t i = 0; i < CTNL_BPF_MAXINSNS + 1; i++)
		prog[i] = (struct ctnl_bpf_insn){ B_LD | B_IMM, 0, 0, 1 };
	prog[CTNL_BPF_MAXINSNS - 1] = (struct ctnl_bpf_insn){ B_RET | B_A, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(prog, CTNL_BPF_MAXINSNS, NULL), 0);
	prog[CTNL_BPF_MAXINSNS] = (struct ctnl_bpf_insn){ B_RET | B_A, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(prog, CTNL_BPF_MAXINSNS + 1, NULL), -EINVAL);
}

/* ---- the seed's bugs ---- */

/* B20: a positive filter passed an event without the attribute and a
 * negated one rejected it.  In ctnl negation is the complement. */
static void test_b20_absence(void)
{
	uint8_t buf[512];
	size_t len = event(buf, sizeof(buf), 10, 17, V6_FD_A, 1000, 53, 0);
	struct ctnl_bpf_match e = mk_addr(CTNL_BPF_ORIG_V4_SRC, 0, V4_A, 32);

	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0); /* an IPv6 event is not "src 10.0.0.1" */
	e.negate = 1;
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 1); /* ... so it is "src != 10.0.0.1" */
	/* mark: absent means 0, for both */
	e = mk(CTNL_BPF_MARK, 0, 0);
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 1);
	e.negate = 1;
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
}

/* B21: the unbounded search matched a port filter of 0x1400 on ICMP
 * events (it read the reply tuple's header), and an IPv6 source filter
 * hit CTA_STATUS of IPv4 events. */
static void test_b21_lookups_stay_in_their_nest(void)
{
	uint8_t buf[512];
	size_t len = event(buf, sizeof(buf), 2, 1, V4_A, 0, 0, 0);
	struct ctnl_bpf_match e = mk(CTNL_BPF_ORIG_PORT_SRC, 0, 0x1400);

	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
	e = mk(CTNL_BPF_ORIG_PORT_DST, 0, 0x1400);
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
	/* every 16-bit value: no port filter matches an ICMP entry */
	for (uint32_t p = 0; p < 0x10000; p += 0x7f) {
		e = mk(CTNL_BPF_ORIG_PORT_SRC, 0, p);
		CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
	}
	/* an IPv6 filter on an IPv4 event: absent, never garbage */
	len = event(buf, sizeof(buf), 2, 6, V4_A, 1, 2, 0);
	e = mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_LO, -1);
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
	e.negate = 1;
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 1);
	/* a TCP state filter on a UDP entry */
	e = mk(CTNL_BPF_TCP_STATE, 0, 0);
	len = event(buf, sizeof(buf), 2, 17, V4_A, 1, 2, 0);
	CU_ASSERT_EQUAL(verdict(&e, 1, buf, len), 0);
}

/* B22: OR of IPv6 addresses dropped alternatives that differ before the
 * last word; a negated address rejected every address differing early. */
static void test_b22_ipv6_alternatives(void)
{
	uint8_t buf[512];
	size_t len = event(buf, sizeof(buf), 10, 17, V6_FE_B, 1, 2, 0);
	struct ctnl_bpf_match e[2] = { mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_FD_A, -1),
				       mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_FE_B, -1) };

	CU_ASSERT_EQUAL(verdict(e, 2, buf, len), 1);
	e[0] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 1, V6_FD_A, -1);
	len = event(buf, sizeof(buf), 10, 17, V6_FE80_A, 1, 2, 0);
	CU_ASSERT_EQUAL(verdict(e, 1, buf, len), 1);
	len = event(buf, sizeof(buf), 10, 17, V6_FD_A, 1, 2, 0);
	CU_ASSERT_EQUAL(verdict(e, 1, buf, len), 0);
	/* prefixes: fd00::/8 holds fd00::a, not fe00::b */
	e[0] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_FD_A, 8);
	CU_ASSERT_EQUAL(verdict(e, 1, buf, len), 1);
	len = event(buf, sizeof(buf), 10, 17, V6_FE_B, 1, 2, 0);
	CU_ASSERT_EQUAL(verdict(e, 1, buf, len), 0);
}

/* B23: jumps over 255 wrapped silently.  300 and 3000 ports, masked
 * IPv4 and IPv6 lists: every entry, and a value in none, decide right. */
static void test_b23_far_jumps(void)
{
	uint8_t buf[512];
	size_t len, plen;
	int far = 0;

	for (unsigned n = 300; n <= 3000; n += 2700) {
		for (int neg = 0; neg < 2; neg++) {
			for (unsigned i = 0; i < n; i++)
				ents[i] = mk(CTNL_BPF_ORIG_PORT_DST, neg, 1000 + i);
			for (unsigned p = 990; p < 1000 + n + 10; p += (p % 97 == 0) ? 1 : 7) {
				len = event(buf, sizeof(buf), 2, 6, V4_A, 5, (uint16_t)p, 0);
				int in = p >= 1000 && p < 1000 + n;

				CU_ASSERT_EQUAL(verdict(ents, n, buf, len), neg ? !in : in);
			}
		}
	}
	/* 300 IPv6 alternatives: 12 instructions each */
	for (unsigned i = 0; i < 300; i++) {
		uint8_t a[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };

		a[4] = (uint8_t)i; /* differs in word 1 too */
		ents[i] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, a, i % 3 ? -1 : 128);
	}
	for (unsigned i = 0; i < 300; i += 13) {
		uint8_t a[16] = { 0xfd, 0, 0, 0, (uint8_t)i, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };

		len = event(buf, sizeof(buf), 10, 17, a, 1, 2, 0);
		CU_ASSERT_EQUAL(verdict(ents, 300, buf, len), 1);
		a[4] ^= 0x80;
		len = event(buf, sizeof(buf), 10, 17, a, 1, 2, 0);
		CU_ASSERT_EQUAL(verdict(ents, 300, buf, len), 0);
	}
	/* the program really has far targets, reached through "ja" */
	CU_ASSERT_EQUAL(ctnl_bpf_compile(ents, 300, prog, CTNL_BPF_MAXINSNS, &plen, NULL), 0);
	for (size_t i = 0; i < plen; i++)
		if (prog[i].code == (B_JMP | B_JA) && prog[i].k > 255)
			far = 1;
	CU_ASSERT(far);
}

/* B24: 8-byte attributes compared only their high word with 0.  ctnl
 * offers no 8-byte match, and an unknown type is an error. */
static void test_b24_no_silent_8_byte_compare(void)
{
	struct ctnl_bpf_match e = mk(CTNL_BPF_MARK, 0, 1);

	for (unsigned t = 0; t < CTNL_BPF_TYPE_MAX; t++) {
		unsigned s = ctnl_bpf_type_info(t)->size;

		CU_ASSERT(s == 1 || s == 2 || s == 4 || s == 16);
	}
	e.type = CTNL_BPF_TYPE_MAX;
	e.len = 8;
	CU_ASSERT_EQUAL(ctnl_bpf_compile(&e, 1, prog, CTNL_BPF_MAXINSNS, NULL, NULL), -EOPNOTSUPP);
}

/* B25: "unspec" types with empty data compiled to nonsense.  An entry
 * without a value is a length error for every type. */
static void test_b25_empty_value(void)
{
	for (unsigned t = 0; t < CTNL_BPF_TYPE_MAX; t++) {
		struct ctnl_bpf_match e = mk(t, 0, 0);

		e.len = 0;
		CU_ASSERT_EQUAL(ctnl_bpf_compile(&e, 1, prog, CTNL_BPF_MAXINSNS, NULL, NULL), -ERANGE);
	}
}

/* B26: the subsystem check read a fixed byte (right on little-endian
 * hosts only).  ctnl reads the high byte of nlmsg_type where this host
 * keeps it, and other subsystems pass. */
static void test_b26_subsystem_byte(void)
{
	uint16_t type = NFNL_SUBSYS_CTNETLINK << 8;
	uint8_t bytes[2], buf[512];
	size_t plen, len;
	struct ctnl_bpf_match e = mk(CTNL_BPF_ORIG_L4PROTO, 0, 6);
	uint32_t v;

	memcpy(bytes, &type, 2);
	CU_ASSERT_EQUAL(ctnl_bpf_compile(&e, 1, prog, CTNL_BPF_MAXINSNS, &plen, NULL), 0);
	CU_ASSERT_EQUAL(prog[0].code, B_LD | B_B | B_ABS);
	CU_ASSERT_EQUAL(prog[0].k, bytes[0] == NFNL_SUBSYS_CTNETLINK ? 4u : 5u);
	len = event(buf, sizeof(buf), 2, 17, V4_A, 1, 2, 0);
	CU_ASSERT_EQUAL(ctnl_bpf_run(prog, plen, buf, len, &v, NULL), 0);
	CU_ASSERT_EQUAL(v, 0); /* UDP, filtered */
	type = NFNL_SUBSYS_CTNETLINK_EXP << 8;
	memcpy(buf + 4, &type, 2);
	CU_ASSERT_EQUAL(ctnl_bpf_run(prog, plen, buf, len, &v, NULL), 0);
	CU_ASSERT_EQUAL(v, CTNL_BPF_ACCEPT); /* an expectation event passes untouched */
}

/* ---- the interpreter: the kernel's lookups and limits ---- */

static void test_interp_nlattr(void)
{
	/* 20 bytes of headers, then: A(type 1, nest, 12 bytes){B(type 5, 8 bytes)}, C(type 5, 8), D(len 2: bad) */
	uint8_t pkt[64] = { 0 };
	uint16_t v;
	uint32_t r;
	size_t len = 20;
#define PUT_ATTR(L, T) do { v = (L); memcpy(pkt + len, &v, 2); v = (T); memcpy(pkt + len + 2, &v, 2); } while (0)
	PUT_ATTR(12, 0x8001); /* A, nested flag set: the type compares without it */
	len += 4;
	PUT_ATTR(8, 5);       /* B inside A */
	len += 8;
	PUT_ATTR(8, 5);       /* C at the top */
	len += 8;
	PUT_ATTR(2, 9);       /* D: nla_len below 4 stops the walk */
	len += 4;
	PUT_ATTR(8, 9);       /* E: unreachable */
	len += 8;
	v = (uint16_t)len;
	memcpy(pkt, &v, 2);

	struct ctnl_bpf_insn q[] = {
		{ B_LD | B_IMM, 0, 0, 20 }, { B_LDX | B_IMM, 0, 0, 5 },
		{ B_LD | B_B | B_ABS, 0, 0, B_AD_OFF + B_AD_NLATTR_NEST }, { B_RET | B_A, 0, 0, 0 },
	};

	/* the walk starts where A says: 20, after the headers */
	struct ctnl_bpf_insn top[] = {
		{ B_LD | B_IMM, 0, 0, 20 }, { B_LDX | B_IMM, 0, 0, 1 },
		{ B_LD | B_W | B_ABS, 0, 0, B_AD_OFF + B_AD_NLATTR }, { B_RET | B_A, 0, 0, 0 },
	};
	CU_ASSERT_EQUAL(ctnl_bpf_run(top, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 20); /* A, found despite NLA_F_NESTED */
	top[1].k = 5;
	CU_ASSERT_EQUAL(ctnl_bpf_run(top, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 32); /* C: the top-level walk does not enter A */
	top[1].k = 9;
	CU_ASSERT_EQUAL(ctnl_bpf_run(top, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0);  /* D stops the walk before E */
	top[0].k = (uint32_t)len - 3;
	CU_ASSERT_EQUAL(ctnl_bpf_run(top, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0);  /* A > len - 4 */
	CU_ASSERT_EQUAL(ctnl_bpf_run(q, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 24); /* B, inside A */
	q[0].k = 32;            /* C is not a nest of a type-5 attribute: its payload is 4 zero bytes */
	CU_ASSERT_EQUAL(ctnl_bpf_run(q, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0);
	q[0].k = 40;            /* D fails nla_ok: 0 */
	CU_ASSERT_EQUAL(ctnl_bpf_run(q, 4, pkt, len, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0);
#undef PUT_ATTR
}

static void test_interp_runtime(void)
{
	uint8_t pkt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t r;
	struct ctnl_bpf_insn oob[] = { { B_LD | B_W | B_ABS, 0, 0, 6 }, { B_RET | B_K, 0, 0, 9 } };
	struct ctnl_bpf_insn be[] = { { B_LD | B_W | B_ABS, 0, 0, 4 }, { B_RET | B_A, 0, 0, 0 } };
	struct ctnl_bpf_insn div[] = { { B_LD | B_IMM, 0, 0, 5 }, { B_ALU | B_DIV | B_X, 0, 0, 0 }, { B_RET | B_K, 0, 0, 9 } };
	struct ctnl_bpf_insn sh[] = { { B_LD | B_IMM, 0, 0, 1 }, { B_LDX | B_IMM, 0, 0, 33 },
				      { B_ALU | B_LSH | B_X, 0, 0, 0 }, { B_RET | B_A, 0, 0, 0 } };
	struct ctnl_bpf_insn mem[] = { { B_LD | B_IMM, 0, 0, 7 }, { B_ST, 0, 0, 3 }, { B_LDX | B_MEM, 0, 0, 3 },
				       { B_MISC | B_TXA, 0, 0, 0 }, { B_RET | B_A, 0, 0, 0 } };

	CU_ASSERT_EQUAL(ctnl_bpf_run(oob, 2, pkt, 8, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0); /* a load past the end: the program returns 0 */
	CU_ASSERT_EQUAL(ctnl_bpf_run(be, 2, pkt, 8, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0x05060708u);
	CU_ASSERT_EQUAL(ctnl_bpf_run(div, 3, pkt, 8, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 0); /* division by X == 0 */
	CU_ASSERT_EQUAL(ctnl_bpf_run(sh, 4, pkt, 8, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 2); /* shift count masked to 5 bits */
	CU_ASSERT_EQUAL(ctnl_bpf_run(mem, 5, pkt, 8, &r, NULL), 0);
	CU_ASSERT_EQUAL(r, 7);
}

static void test_interp_check(void)
{
	struct ctnl_bpf_insn p[4];
	struct ctnl_err err = { 0 };

	memset(p, 0, sizeof(p));

	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 0, NULL), -EINVAL);
	p[0] = (struct ctnl_bpf_insn){ B_ALU | B_DIV | B_K, 0, 0, 0 };
	p[1] = (struct ctnl_bpf_insn){ B_RET | B_K, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, &err), -EINVAL); /* div #0 */
	p[0] = (struct ctnl_bpf_insn){ B_ALU | B_LSH | B_K, 0, 0, 32 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL);
	p[0] = (struct ctnl_bpf_insn){ B_JMP | B_JEQ | B_K, 1, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL); /* jt past the end */
	p[0] = (struct ctnl_bpf_insn){ B_JMP | B_JA, 0, 0, 1 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL);
	p[0] = (struct ctnl_bpf_insn){ B_LD | B_W | B_ABS, 0, 0, B_AD_OFF + 2 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL); /* unknown ancillary */
	p[0] = (struct ctnl_bpf_insn){ B_LD | B_MEM, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL); /* M[0] never written */
	p[0] = (struct ctnl_bpf_insn){ 0xffff, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL);
	p[0] = (struct ctnl_bpf_insn){ B_LD | B_IMM, 0, 0, 0 };
	p[1] = (struct ctnl_bpf_insn){ B_MISC | B_TAX, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), -EINVAL); /* last is not a return */
	p[1] = (struct ctnl_bpf_insn){ B_RET | B_A, 0, 0, 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_check(p, 2, NULL), 0);
	/* a known ancillary the interpreter cannot serve */
	p[0] = (struct ctnl_bpf_insn){ B_LD | B_W | B_ABS, 0, 0, B_AD_OFF + B_AD_IFINDEX };
	uint32_t r;
	uint8_t pkt[20] = { 0 };
	CU_ASSERT_EQUAL(ctnl_bpf_run(p, 2, pkt, 20, &r, NULL), -EOPNOTSUPP);
}

/* ---- goldens ---- */

struct golden {
	const char *name;
	const char *what;
};

static size_t golden_filter(const char *name, struct ctnl_bpf_match *f)
{
	size_t n = 0;

	if (!strcmp(name, "empty"))
		return 0;
	if (!strcmp(name, "tcp-or-udp")) {
		f[n++] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 6);
		f[n++] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 17);
	} else if (!strcmp(name, "not-localhost")) {
		f[n++] = mk_addr(CTNL_BPF_ORIG_V4_SRC, 1, V4_LO, 32);
	} else if (!strcmp(name, "mark-10-50-1000")) {
		f[n++] = mk_masked(CTNL_BPF_MARK, 0, 10, 0xffffffff);
		f[n++] = mk_masked(CTNL_BPF_MARK, 0, 50, 0xffffffff);
		f[n++] = mk_masked(CTNL_BPF_MARK, 0, 1000, 0xffff);
	} else if (!strcmp(name, "conntrack-filter")) {
		/* the seed's TestOldConstructFilter fixture, in ctnl's form */
		f[n++] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 17);
		f[n++] = mk(CTNL_BPF_ORIG_L4PROTO, 0, 6);
		f[n++] = mk(CTNL_BPF_TCP_STATE, 0, 3);
		f[n++] = mk_addr(CTNL_BPF_ORIG_V4_SRC, 1, V4_LO, 32);
		f[n++] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 1, V6_LO, 128);
	} else if (!strcmp(name, "v6-prefixes")) {
		f[n++] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_FD_A, 64);
		f[n++] = mk_addr(CTNL_BPF_ORIG_V6_SRC, 0, V6_FE_B, -1);
	} else if (!strcmp(name, "events-zone-status")) {
		f[n++] = mk(CTNL_BPF_MSG_TYPE, 1, CTNL_BPF_MSG_UPDATE);
		f[n++] = mk(CTNL_BPF_ZONE, 0, 3);
		f[n++] = mk_masked(CTNL_BPF_STATUS, 0, 4, 4);
		f[n++] = mk(CTNL_BPF_FAMILY, 0, 2);
	} else if (!strcmp(name, "ports-300")) {
		for (unsigned i = 0; i < 300; i++)
			f[n++] = mk(CTNL_BPF_ORIG_PORT_DST, 0, 1000 + i);
	}
	return n;
}

static void test_goldens(void)
{
	static const char *const names[] = { "empty", "tcp-or-udp", "not-localhost", "mark-10-50-1000",
					     "conntrack-filter", "v6-prefixes", "events-zone-status", "ports-300" };
	int regen = getenv("CTNL_REGEN_GOLDEN") != NULL;
	static char want[sizeof(text)];

	for (size_t i = 0; i < NELEM(names); i++) {
		char path[4096];
		size_t plen, n = golden_filter(names[i], ents);
		FILE *f;

		CU_ASSERT_EQUAL_FATAL(ctnl_bpf_compile(ents, n, prog, CTNL_BPF_MAXINSNS, &plen, NULL), 0);
		ctnl_bpf_disasm(prog, plen, text, sizeof(text));
		snprintf(path, sizeof(path), "%s/%s.txt", golden_dir, names[i]);
		if (regen) {
			f = fopen(path, "w");
			CU_ASSERT_PTR_NOT_NULL_FATAL(f);
			fputs(text, f);
			fclose(f);
			continue;
		}
		f = fopen(path, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		size_t got = fread(want, 1, sizeof(want) - 1, f);
		want[got] = '\0';
		fclose(f);
		if (strcmp(want, text)) {
			fprintf(stderr, "\ngolden %s differs (CTNL_REGEN_GOLDEN=1 rewrites it):\n%s", path, text);
			CU_FAIL("golden disassembly differs");
		}
	}
}

static void test_disasm_lines(void)
{
	char line[96];
	struct ctnl_bpf_insn i1 = { B_JMP | B_JEQ | B_K, 2, 0, 1 };
	struct ctnl_bpf_insn i2 = { B_LD | B_B | B_ABS, 0, 0, B_AD_OFF + B_AD_NLATTR_NEST };
	struct ctnl_bpf_insn i3 = { B_JMP | B_JA, 0, 0, 300 };

	ctnl_bpf_disasm_insn(&i1, 1, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "0001: jeq   #0x1                 jt 0004 jf 0002");
	ctnl_bpf_disasm_insn(&i2, 7, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "0007: ldb   [nlattr_nest]");
	ctnl_bpf_disasm_insn(&i3, 10, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "0010: ja    0311");
	/* a short buffer stays terminated and reports the full length */
	CU_ASSERT(ctnl_bpf_disasm(&i1, 1, line, 8) > 8);
	CU_ASSERT_EQUAL(strlen(line), 7);
}

int main(int argc, char **argv)
{
	CU_pSuite s;

	golden_dir = argc > 1 ? argv[1] : "tests/bpf/golden";
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("bpf", NULL, NULL);
	CU_add_test(s, "errors of the seed's kinds", test_errors);
	CU_add_test(s, "B27: 4096 instructions allowed, 4097 refused", test_limit_4096);
	CU_add_test(s, "B20: absence is consistent, negation is the complement", test_b20_absence);
	CU_add_test(s, "B21: lookups stay in their nest", test_b21_lookups_stay_in_their_nest);
	CU_add_test(s, "B22: IPv6 alternatives and negation", test_b22_ipv6_alternatives);
	CU_add_test(s, "B23: jumps over 255 instructions", test_b23_far_jumps);
	CU_add_test(s, "B24: no silent 8-byte compares", test_b24_no_silent_8_byte_compare);
	CU_add_test(s, "B25: an entry without a value is an error", test_b25_empty_value);
	CU_add_test(s, "B26: subsystem byte of this host", test_b26_subsystem_byte);
	CU_add_test(s, "interpreter: NLATTR and NLATTR_NEST as the kernel", test_interp_nlattr);
	CU_add_test(s, "interpreter: loads, division, shifts, memory", test_interp_runtime);
	CU_add_test(s, "interpreter: the kernel's program checks", test_interp_check);
	CU_add_test(s, "golden disassembly", test_goldens);
	CU_add_test(s, "disassembler lines", test_disasm_lines);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
