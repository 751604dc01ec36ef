/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conntrack codec against bytes a 6.18 kernel produced (recorded by the
 * seed library's harness, /work/shared/reference/go-conntrack.md section 8)
 * and against the kernel's documented format.  Golden bytes are written
 * here as the kernel sent them, never produced by the code under test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/msg.h>

#include "testutil.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the golden netlink headers below are in x86 (little-endian) host order");

/* IPCTNL_MSG_CT_NEW, NLM_F_MULTI|NLM_F_DUMP_FILTERED: an entry created
 * through ctnetlink, TCP 10.0.0.1:1000 -> 10.0.0.2:80, mark 7, timeout 100,
 * state ESTABLISHED; dumped by Linux 6.18. */
static const char dump_entry_hex[] =
	"f0000000 00012200 00000000 00000000"
	"02000000"
	"34000180 14000180 08000100 0a000001 08000200 0a000002 1c000280 05000100 06000000 06000200 03e80000 06000300 00500000"
	"34000280 14000180 08000100 0a000002 08000200 0a000001 1c000280 05000100 06000000 06000200 00500000 06000300 03e80000"
	"08000300 00000008"
	"08000800 00000007"
	"08000c00 7cb6dd16"
	"08000b00 00000001"
	"08000700 00000064"
	"30000480 2c000180 05000100 03000000 05000200 00000000 05000300 00000000 06000400 00000000 06000500 00000000"
	"1c001880 08000100 00000000 08000200 00000000 08000300 00000000";

/* go-conntrack's TestCreate fixture: what a create request for UDP
 * 1.1.1.1:22 -> 2.2.2.2:10, timeout 100, TCP state 8 looks like on the
 * wire (nfgenmsg res_id 1, nests flagged NLA_F_NESTED). */
static const char create_req_hex[] =
	"94000000 00010506 00000000 00000000"
	"02000001"
	"34000180 14000180 08000100 01010101 08000200 02020202 1c000280 05000100 11000000"
	"06000200 00160000 06000300 000a0000"
	"34000280 14000180 08000100 02020202 08000200 01010101 1c000280 05000100 11000000"
	"06000200 000a0000 06000300 00160000"
	"08000700 00000064"
	"10000480 0c000180 05000100 08000000";

static uint8_t dump_entry[512];
static size_t dump_entry_len;

static int suite_init(void)
{
	dump_entry_len = hex2bin(dump_entry_hex, dump_entry, sizeof(dump_entry));
	return dump_entry_len == 240 ? 0 : -1;
}

static void test_decode_kernel_dump(void)
{
	struct ctnl_ct_msg m;
	struct ctnl_err err = { 0 };
	uint8_t *buf = exact_copy(dump_entry, dump_entry_len);
	const uint8_t a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 2 };

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, dump_entry_len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.hdr.len, 240);
	CU_ASSERT_EQUAL(m.hdr.type, 0x0100);
	CU_ASSERT_EQUAL(m.hdr.flags, 0x22);
	CU_ASSERT_EQUAL(m.hdr.family, 2);
	CU_ASSERT_EQUAL(m.hdr.res_id, 0);

	CU_ASSERT(ctnl_has(&m.ct, CTA_TUPLE_ORIG));
	CU_ASSERT(ctnl_has(&m.ct.orig, CTA_TUPLE_IP));
	CU_ASSERT(ctnl_has(&m.ct.orig.ip, CTA_IP_V4_SRC));
	CU_ASSERT(!ctnl_has(&m.ct.orig.ip, CTA_IP_V6_SRC));
	CU_ASSERT(memcmp(m.ct.orig.ip.v4_src, a1, 4) == 0);
	CU_ASSERT(memcmp(m.ct.orig.ip.v4_dst, a2, 4) == 0);
	CU_ASSERT_EQUAL(m.ct.orig.proto.num, 6);
	CU_ASSERT_EQUAL(m.ct.orig.proto.src_port, 1000);
	CU_ASSERT_EQUAL(m.ct.orig.proto.dst_port, 80);
	CU_ASSERT(!ctnl_has(&m.ct.orig, CTA_TUPLE_ZONE));
	CU_ASSERT(memcmp(m.ct.reply.ip.v4_src, a2, 4) == 0);
	CU_ASSERT_EQUAL(m.ct.reply.proto.src_port, 80);
	CU_ASSERT_EQUAL(m.ct.reply.proto.dst_port, 1000);

	CU_ASSERT_EQUAL(m.ct.status, 0x8);
	CU_ASSERT_EQUAL(m.ct.mark, 7);
	CU_ASSERT_EQUAL(m.ct.id, 0x7cb6dd16);
	CU_ASSERT_EQUAL(m.ct.use, 1);
	CU_ASSERT_EQUAL(m.ct.timeout, 100);
	CU_ASSERT(ctnl_has(&m.ct.protoinfo, CTA_PROTOINFO_TCP));
	CU_ASSERT_EQUAL(m.ct.protoinfo.tcp.state, 3);
	CU_ASSERT_EQUAL(m.ct.protoinfo.tcp.present, 0x3e);
	CU_ASSERT(ctnl_has(&m.ct, CTA_SYNPROXY));
	CU_ASSERT_EQUAL(m.ct.synproxy.present, 0xe);
	CU_ASSERT(!ctnl_has(&m.ct, CTA_ZONE));
	CU_ASSERT(!ctnl_has(&m.ct, CTA_COUNTERS_ORIG));
	CU_ASSERT_EQUAL(m.unknown.count, 0);
	CU_ASSERT_EQUAL(m.norder, 9);
	CU_ASSERT_EQUAL(m.order[0], CTA_TUPLE_ORIG);
	CU_ASSERT_EQUAL(m.order[8], CTA_SYNPROXY);
	free(buf);
}

/* Decoded kernel bytes re-encode to the same bytes. */
static void test_reencode_kernel_dump(void)
{
	struct ctnl_ct_msg m;
	uint8_t out[512];
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(dump_entry, dump_entry_len, &m, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&m, out, sizeof(out), &n, NULL), 0);
	CU_ASSERT_EQUAL(n, dump_entry_len);
	CU_ASSERT(memcmp(out, dump_entry, dump_entry_len) == 0);

	/* without the recorded order, the kernel's dump order is the default */
	m.norder = 0;
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&m, out, sizeof(out), &n, NULL), 0);
	CU_ASSERT_EQUAL(n, dump_entry_len);
	CU_ASSERT(memcmp(out, dump_entry, dump_entry_len) == 0);
}

/* A request built by hand encodes to the documented bytes. */
static void test_encode_create_request(void)
{
	uint8_t want[256], out[256];
	size_t wlen = hex2bin(create_req_hex, want, sizeof(want)), n = 0;
	struct ctnl_ct_msg m;
	struct ctnl_ct_tuple *o = &m.ct.orig, *r = &m.ct.reply;

	ctnl_ct_init(&m);
	m.hdr.type = 0x0100;
	m.hdr.flags = 0x0605;
	m.hdr.family = 2;
	m.hdr.res_id = 1;
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_TIMEOUT | 1u << CTA_PROTOINFO;
	o->present = r->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	o->ip.present = r->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
	memset(o->ip.v4_src, 1, 4);
	memset(o->ip.v4_dst, 2, 4);
	memset(r->ip.v4_src, 2, 4);
	memset(r->ip.v4_dst, 1, 4);
	o->proto.present = r->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
	o->proto.num = r->proto.num = 17;
	o->proto.src_port = r->proto.dst_port = 22;
	o->proto.dst_port = r->proto.src_port = 10;
	m.ct.timeout = 100;
	m.ct.protoinfo.present = 1u << CTA_PROTOINFO_TCP;
	m.ct.protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
	m.ct.protoinfo.tcp.state = 8;

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_encode(&m, out, sizeof(out), &n, NULL), 0);
	CU_ASSERT_EQUAL(n, wlen);
	CU_ASSERT(memcmp(out, want, wlen) == 0);

	/* every capacity short of the message fails cleanly */
	for (size_t cap = 0; cap < wlen; cap++) {
		struct ctnl_err err = { 0 };
		uint8_t *small = malloc(cap ? cap : 1);

		CU_ASSERT_EQUAL(ctnl_ct_encode(&m, small, cap, &n, &err), -ENOSPC);
		CU_ASSERT_EQUAL(err.code, -ENOSPC);
		free(small);
	}
}

/* Cut the message at every byte, telling the header so: each cut either
 * lands between top-level attributes (and decodes what is left) or fails
 * naming an attribute; nothing before the cut is lost, nothing after it
 * is read (ASan watches the exact-size copy). */
static void test_truncation_everywhere(void)
{
	for (size_t cut = 20; cut < dump_entry_len; cut++) {
		struct ctnl_ct_msg m;
		struct ctnl_err err = { 0 };
		uint8_t *buf = exact_copy(dump_entry, cut);
		int rc;

		set_u32(buf, (uint32_t)cut);
		rc = ctnl_ct_decode(buf, cut, &m, &err);
		if (rc == 0) {
			/* cut at an attribute boundary: the attributes before it are all there */
			CU_ASSERT(cut == 20 || m.ct.present != 0);
		} else {
			CU_ASSERT_EQUAL(rc, -EBADMSG);
			CU_ASSERT(err.path[0] != '\0');
			CU_ASSERT(err.offset < cut);
		}
		if (cut > 20 + 52)
			CU_ASSERT(ctnl_has(&m.ct, CTA_TUPLE_ORIG) && m.ct.orig.proto.dst_port == 80);
		free(buf);
	}
	/* and the outer length itself running past the buffer */
	for (size_t cut = 0; cut < dump_entry_len; cut++) {
		struct ctnl_ct_msg m;
		uint8_t *buf = exact_copy(dump_entry, cut);

		CU_ASSERT_EQUAL(ctnl_ct_decode(buf, cut, &m, NULL), -EBADMSG);
		free(buf);
	}
}

/* Offsets inside dump_entry (bytes from the message start). */
#define OFF_ORIG_DPORT (20 + 4 + 20 + 4 + 8 + 8)   /* orig.proto.dst-port */
#define OFF_MARK (20 + 52 + 52 + 8)

static void expect_fault(uint8_t *buf, size_t len, const char *path, const char *what_part, uint32_t at)
{
	struct ctnl_ct_msg m;
	struct ctnl_err err = { 0 };
	char line[256];

	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, len, &m, &err), -EBADMSG);
	CU_ASSERT_STRING_EQUAL(err.path, path);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, what_part));
	CU_ASSERT_EQUAL(err.offset, at);
	ctnl_err_format(&err, line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, path));
}

static void test_bad_lengths(void)
{
	uint8_t buf[512];

	CU_ASSERT_EQUAL_FATAL(get_u16(dump_entry + OFF_ORIG_DPORT + 2), CTA_PROTO_DST_PORT);
	CU_ASSERT_EQUAL_FATAL(get_u16(dump_entry + OFF_MARK + 2), CTA_MARK);

	/* a be16 of 3 bytes (still inside its 4-byte slot) */
	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + OFF_ORIG_DPORT, 7);
	expect_fault(buf, dump_entry_len, "orig.proto.dst-port", "length 3, expected 2", OFF_ORIG_DPORT);

	/* a be32 of 3 bytes */
	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + OFF_MARK, 7);
	expect_fault(buf, dump_entry_len, "mark", "length 3, expected 4", OFF_MARK);

	/* a length below the header */
	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + OFF_MARK, 2);
	expect_fault(buf, dump_entry_len, "mark", "below the 4-byte header", OFF_MARK);

	/* an inner length running past its nest */
	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + OFF_ORIG_DPORT, 12);
	expect_fault(buf, dump_entry_len, "orig.proto.dst-port", "runs past its container", OFF_ORIG_DPORT);

	/* the tuple claiming more than the message has */
	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + 20 + 52 + 52 + 40 + 48, 200);
	expect_fault(buf, dump_entry_len, "synproxy", "runs past its container", 20 + 52 + 52 + 40 + 48);
}

static void test_trailing_bytes(void)
{
	uint8_t buf[512];
	struct ctnl_ct_msg m;
	struct ctnl_err err = { 0 };

	/* two bytes of garbage after the last attribute of the top level */
	memcpy(buf, dump_entry, dump_entry_len);
	buf[240] = 0xaa;
	buf[241] = 0xbb;
	set_u32(buf, 242);
	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, 242, &m, &err), -EBADMSG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.what, "2 trailing bytes"));
	CU_ASSERT_EQUAL(err.offset, 240);
	CU_ASSERT(ctnl_has(&m.ct, CTA_SYNPROXY)); /* all decoded before is kept */
}

/* Unknown attributes, at the top and inside a nest, are kept and reported
 * with their paths; decoding goes on around them. */
static void test_unknown_attributes(void)
{
	uint8_t buf[600];
	size_t len = 0;
	struct ctnl_ct_msg m;
	char path[64];
	/* orig tuple with an extra type-12 attribute inside proto */
	const char *orig_hex =
		"3c000180 14000180 08000100 0a000001 08000200 0a000002 24000280 05000100 06000000"
		"06000200 03e80000 06000300 00500000 08000c00 deadbeef";

	memcpy(buf, dump_entry, 20);
	len = 20;
	len += hex2bin(orig_hex, buf + len, sizeof(buf) - len);
	memcpy(buf + len, dump_entry + 72, dump_entry_len - 72);
	len += dump_entry_len - 72;
	/* a top-level type 40 attribute, as a newer kernel might send */
	len += hex2bin("0c002800 01020304 05060708", buf + len, sizeof(buf) - len);
	set_u32(buf, (uint32_t)len);

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, len, &m, NULL), 0);
	CU_ASSERT_EQUAL(m.unknown.count, 2);
	CU_ASSERT_EQUAL(m.unknown.kept, 2);
	CU_ASSERT_EQUAL(m.unknown.list[0].type, 12);
	CU_ASSERT_EQUAL(m.unknown.list[0].len, 8);
	CU_ASSERT_EQUAL(m.unknown.list[0].offset, 20 + 4 + 20 + 4 + 8 + 8 + 8);
	ctnl_unknown_path(ctnl_ct_desc(), &m.unknown.list[0], path, sizeof(path));
	CU_ASSERT_STRING_EQUAL(path, "orig.proto.12");
	ctnl_unknown_path(ctnl_ct_desc(), &m.unknown.list[1], path, sizeof(path));
	CU_ASSERT_STRING_EQUAL(path, "40");
	CU_ASSERT_EQUAL(m.unknown.list[1].len, 12);
	/* the known ones around them are intact */
	CU_ASSERT_EQUAL(m.ct.orig.proto.dst_port, 80);
	CU_ASSERT_EQUAL(m.ct.mark, 7);
	CU_ASSERT(ctnl_has(&m.ct, CTA_SYNPROXY));

	/* more unknowns than the list holds: all counted, the first kept */
	len = 20;
	memcpy(buf, dump_entry, 20);
	for (int i = 0; i < CTNL_UNKNOWN_MAX + 5; i++)
		len += hex2bin("08002a00 00000000", buf + len, sizeof(buf) - len);
	set_u32(buf, (uint32_t)len);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, len, &m, NULL), 0);
	CU_ASSERT_EQUAL(m.unknown.count, CTNL_UNKNOWN_MAX + 5);
	CU_ASSERT_EQUAL(m.unknown.kept, CTNL_UNKNOWN_MAX);
}

/* The padding a 64-bit value may bring on other architectures. */
static void test_padding(void)
{
	uint8_t buf[128];
	size_t len = 20;
	struct ctnl_ct_msg m;

	memcpy(buf, dump_entry, 20);
	/* COUNTERS_ORIG { PAD, PACKETS 5, BYTES 300 }, then top-level pad type 3 and TIMESTAMP_EVENT */
	len += hex2bin("20000980 04000500 0c000100 00000000 00000005 0c000200 00000000 0000012c"
		       "04000300 0c001b00 00000001 00000002", buf + len, sizeof(buf) - len);
	set_u32(buf, (uint32_t)len);
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(buf, len, &m, NULL), 0);
	CU_ASSERT_EQUAL(m.unknown.pads, 2);
	CU_ASSERT_EQUAL(m.ct.counters_orig.packets, 5);
	CU_ASSERT_EQUAL(m.ct.counters_orig.bytes, 300);
	CU_ASSERT(!ctnl_has(&m.ct, CTA_STATUS));
	CU_ASSERT(ctnl_has(&m.ct, CTNL_CTA_TIMESTAMP_EVENT));
	CU_ASSERT_EQUAL(m.ct.timestamp_event, 0x100000002ull);
}

static void test_wrong_message_type(void)
{
	uint8_t buf[512];
	struct ctnl_ct_msg m;

	memcpy(buf, dump_entry, dump_entry_len);
	set_u16(buf + 4, 0x0104); /* GET_STATS_CPU */
	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, dump_entry_len, &m, NULL), -ENOMSG);
	set_u16(buf + 4, 0x0200); /* expectation */
	CU_ASSERT_EQUAL(ctnl_ct_decode(buf, dump_entry_len, &m, NULL), -ENOMSG);
	for (unsigned t = 0; t < 8; t++)
		CU_ASSERT_EQUAL(ctnl_ct_is_entry_type((uint16_t)(0x0100 | t)), t != 4 && t != 5);
}

static void test_stream(void)
{
	uint8_t buf[1024];
	size_t len = 0;
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t mlen;
	struct ctnl_err err = { 0 };
	int n = 0, rc;

	memcpy(buf, dump_entry, dump_entry_len);
	memcpy(buf + dump_entry_len, dump_entry, dump_entry_len);
	len = 2 * dump_entry_len;
	/* NLMSG_DONE, 20 bytes, NLM_F_MULTI */
	len += hex2bin("14000000 03000200 00000000 00000000 00000000", buf + len, sizeof(buf) - len);
	ctnl_stream_init(&s, buf, len);
	while ((rc = ctnl_stream_next(&s, &msg, &mlen, &err)) == 1)
		n++;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, 3);

	/* a bad length in the second message ends the stream there, naming it */
	set_u32(buf + dump_entry_len, 9);
	ctnl_stream_init(&s, buf, len);
	CU_ASSERT_EQUAL(ctnl_stream_next(&s, &msg, &mlen, &err), 1);
	CU_ASSERT_EQUAL(ctnl_stream_next(&s, &msg, &mlen, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.msg_index, 1);
	CU_ASSERT_EQUAL(err.offset, dump_entry_len);
	CU_ASSERT_EQUAL(ctnl_stream_next(&s, &msg, &mlen, &err), 0);
}

/* NLMSG_ERROR with extended ACK, in the layout 6.18 sent for a 2-byte
 * CTA_TIMEOUT (pcap-and-uapi.md 4.4): -ERANGE, the request echoed, then
 * MSG and OFFS. */
static void test_nlerr(void)
{
	uint8_t buf[256];
	size_t len;
	struct ctnl_nlerr e;
	const char *hex =
		"40000000 02000002 07000000 99000000"     /* NLMSG_ERROR, NLM_F_ACK_TLVS, seq 7, pid 0x99 */
		"deffffff"                                /* -34 */
		"1a000000 00010506 07000000 99000000"     /* the request header: 26 bytes */
		"02000000 06000700 0064 0000"             /* nfgenmsg, CTA_TIMEOUT of 2 bytes, padding */
		"08000100 6f6f7073"                       /* MSG "oops" without a NUL */
		"08000200 14000000";                      /* OFFS 20 */

	len = hex2bin(hex, buf, sizeof(buf));
	set_u32(buf, (uint32_t)len);
	CU_ASSERT_EQUAL_FATAL(ctnl_nlerr_parse(buf, len, &e, NULL), 0);
	CU_ASSERT_EQUAL(e.error, -34);
	CU_ASSERT_EQUAL(e.req.seq, 7);
	CU_ASSERT_EQUAL(e.req.type, 0x0100);
	CU_ASSERT_EQUAL(e.payload.len, 10);
	CU_ASSERT_EQUAL(e.ext_msg.len, 4);
	CU_ASSERT(memcmp(e.ext_msg.ptr, "oops", 4) == 0);
	CU_ASSERT(e.has_ext_offset);
	CU_ASSERT_EQUAL(e.ext_offset, 20);

	/* an ACK: 36 bytes, capped */
	len = hex2bin("24000000 02000001 07000000 99000000 00000000 14000000 00010500 07000000 99000000", buf,
		      sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ctnl_nlerr_parse(buf, len, &e, NULL), 0);
	CU_ASSERT_EQUAL(e.error, 0);
	CU_ASSERT_EQUAL(e.payload.len, 0);
	/* too short */
	set_u32(buf, 30);
	CU_ASSERT_EQUAL(ctnl_nlerr_parse(buf, 30, &e, NULL), -EBADMSG);
}


/* ---- each bad length, everywhere: every fixed-size attribute of every
 * recorded fixture, one byte too long and one too short, must fail with
 * its own path and offset ---- */

static const char *fixtures_dir = "tests/fixtures";
static unsigned lengths_checked;

static void mutate_leaves(const uint8_t *msg, size_t mlen, size_t off, size_t end,
			  const struct ctnl_nest_desc *d, const char *prefix)
{
	while (end - off >= 4) {
		uint16_t l = get_u16(msg + off), t = get_u16(msg + off + 2) & 0x3fff;
		const struct ctnl_attr_desc *a = t <= d->maxtype ? &d->attrs[t] : NULL;
		char path[128];

		if (l < 4 || l > end - off || !a || a->kind == CTNL_K_NONE)
			return;
		snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", a->name);
		if (a->kind == CTNL_K_NEST) {
			mutate_leaves(msg, mlen, off + 4, off + l, a->nest, path);
		} else if (a->kind != CTNL_K_STRING && a->kind != CTNL_K_BINARY && a->kind != CTNL_K_PAD) {
			for (int delta = -1; delta <= 1; delta += 2) {
				uint8_t *copy = exact_copy(msg, mlen);
				struct ctnl_ct_msg m;
				struct ctnl_err err = { 0 };
				char what[512];

				set_u16(copy + off, (uint16_t)(l + delta));
				CU_ASSERT_EQUAL(ctnl_ct_decode(copy, mlen, &m, &err), -EBADMSG);
				snprintf(what, sizeof(what), "%s at %zu, length %+d: got path '%s' at %u (%s)", path,
					 off, delta, err.path, err.offset, err.what);
				if (strcmp(err.path, path) || err.offset != off)
					CU_FAIL(what);
				lengths_checked++;
				free(copy);
			}
		}
		off += (l + 3u) & ~3u;
	}
}

static void test_every_bad_length_in_fixtures(void)
{
	static const char *const scen[] = { "every-settable", "acct", "timestamp", "zone", "labels", "snat", "icmpv6" };

	lengths_checked = 0;
	for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++) {
		char path[256];
		FILE *f;
		static uint8_t data[1 << 16];
		size_t len;
		struct ctnl_stream s;
		const uint8_t *msg;
		size_t mlen;

		snprintf(path, sizeof(path), "%s/%s/dump.bin", fixtures_dir, scen[i]);
		f = fopen(path, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		len = fread(data, 1, sizeof(data), f);
		fclose(f);
		ctnl_stream_init(&s, data, len);
		while (ctnl_stream_next(&s, &msg, &mlen, NULL) == 1)
			if (ctnl_ct_is_entry_type(get_u16(msg + 4)))
				mutate_leaves(msg, mlen, 20, mlen, ctnl_ct_desc(), "");
	}
	CU_ASSERT(lengths_checked > 1000);
	printf("\n  %u bad lengths, each named by path and offset\n", lengths_checked);
}

int main(int argc, char **argv)
{
	CU_pSuite s;

	if (argc > 1)
		fixtures_dir = argv[1];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("ct-codec", suite_init, NULL);
	CU_add_test(s, "decode a 6.18 dump entry", test_decode_kernel_dump);
	CU_add_test(s, "re-encode a 6.18 dump entry byte for byte", test_reencode_kernel_dump);
	CU_add_test(s, "encode a create request", test_encode_create_request);
	CU_add_test(s, "truncation at every byte", test_truncation_everywhere);
	CU_add_test(s, "bad lengths name their attribute", test_bad_lengths);
	CU_add_test(s, "trailing bytes", test_trailing_bytes);
	CU_add_test(s, "unknown attributes are kept", test_unknown_attributes);
	CU_add_test(s, "64-bit padding", test_padding);
	CU_add_test(s, "non-entry message types", test_wrong_message_type);
	CU_add_test(s, "message streams", test_stream);
	CU_add_test(s, "NLMSG_ERROR with extended ACK", test_nlerr);
	CU_add_test(s, "every bad length of every fixture", test_every_bad_length_in_fixtures);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
