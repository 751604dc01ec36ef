/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target filter_build: bytes -> struct ctnl_filter -> a dump or flush
 * request (ctnl_filter_build, ctnl_filter_encode) -> decoded back.
 *
 * Input: the filter's fields in order, one after the other (family,
 * operation, has bits, mark, mask, status, mask, zone, flags, then both
 * tuples); missing bytes read as 0.
 *
 * Oracles:
 *  - the documented refusals: a family other than unspec/inet/inet6 is
 *    -EAFNOSUPPORT; unknown 'has' bits, flags outside CTNL_FILTER_F_ALL,
 *    a mark or status with bits outside its mask, a status mask of 0 are
 *    -EINVAL; every error formats;
 *  - a built request is a GET+DUMP or DELETE+ACK of the filter's family,
 *    carries mark/mask, status/mask and zone exactly when asked, a tuple
 *    exactly when it has flags, every flagged field in it, and CTA_FILTER
 *    with both flag words whenever a family or a flag is given;
 *  - it encodes (exactly sized, -ENOSPC one byte short), ctnl_filter_encode
 *    writes the same bytes, and they decode to the same values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct cursor {
	const uint8_t *p;
	size_t left;
};

static void take(struct cursor *c, void *out, size_t n)
{
	size_t k = n < c->left ? n : c->left;

	memset(out, 0, n);
	memcpy(out, c->p, k);
	c->p += k;
	c->left -= k;
}

static uint8_t u8(struct cursor *c)
{
	uint8_t v;

	take(c, &v, 1);
	return v;
}

static void take_tuple(struct cursor *c, struct ctnl_ct_tuple *t)
{
	take(c, t->ip.v4_src, 4);
	take(c, t->ip.v4_dst, 4);
	take(c, t->ip.v6_src, 16);
	take(c, t->ip.v6_dst, 16);
	t->proto.num = u8(c);
	take(c, &t->proto.src_port, 2);
	take(c, &t->proto.dst_port, 2);
	t->proto.icmp_type = u8(c);
	t->proto.icmp_code = u8(c);
	take(c, &t->proto.icmp_id, 2);
	t->proto.icmpv6_type = u8(c);
	t->proto.icmpv6_code = u8(c);
	take(c, &t->proto.icmpv6_id, 2);
	take(c, &t->zone, 2);
}

/* Every flagged field is in the built tuple, with its value. */
static void check_tuple(uint32_t flags, uint8_t family, const struct ctnl_ct_tuple *want, const struct ctnl_ct_tuple *got)
{
	const struct ctnl_ct_ip *ip = &got->ip;
	const struct ctnl_ct_proto *p = &got->proto;

	if (flags & (CTNL_FILTER_F_IP_SRC | CTNL_FILTER_F_IP_DST))
		FUZZ_CHECK(ctnl_has(got, CTA_TUPLE_IP));
	if (flags & CTNL_FILTER_F_IP_SRC) {
		if (family == 2)
			FUZZ_CHECK(ctnl_has(ip, CTA_IP_V4_SRC) && !memcmp(ip->v4_src, want->ip.v4_src, 4));
		else
			FUZZ_CHECK(ctnl_has(ip, CTA_IP_V6_SRC) && !memcmp(ip->v6_src, want->ip.v6_src, 16));
	}
	if (flags & CTNL_FILTER_F_IP_DST) {
		if (family == 2)
			FUZZ_CHECK(ctnl_has(ip, CTA_IP_V4_DST) && !memcmp(ip->v4_dst, want->ip.v4_dst, 4));
		else
			FUZZ_CHECK(ctnl_has(ip, CTA_IP_V6_DST) && !memcmp(ip->v6_dst, want->ip.v6_dst, 16));
	}
	if (flags & CTNL_FILTER_F_TUPLE_ZONE)
		FUZZ_CHECK(ctnl_has(got, CTA_TUPLE_ZONE) && got->zone == want->zone);
	if (flags & CTNL_FILTER_F_PROTO_NUM)
		FUZZ_CHECK(ctnl_has(got, CTA_TUPLE_PROTO) && ctnl_has(p, CTA_PROTO_NUM) && p->num == want->proto.num);
	if (flags & CTNL_FILTER_F_SRC_PORT)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_SRC_PORT) && p->src_port == want->proto.src_port);
	if (flags & CTNL_FILTER_F_DST_PORT)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_DST_PORT) && p->dst_port == want->proto.dst_port);
	if (flags & CTNL_FILTER_F_ICMP_TYPE)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMP_TYPE) && p->icmp_type == want->proto.icmp_type);
	if (flags & CTNL_FILTER_F_ICMP_CODE)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMP_CODE) && p->icmp_code == want->proto.icmp_code);
	if (flags & CTNL_FILTER_F_ICMP_ID)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMP_ID) && p->icmp_id == want->proto.icmp_id);
	if (flags & CTNL_FILTER_F_ICMPV6_TYPE)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMPV6_TYPE) && p->icmpv6_type == want->proto.icmpv6_type);
	if (flags & CTNL_FILTER_F_ICMPV6_CODE)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMPV6_CODE) && p->icmpv6_code == want->proto.icmpv6_code);
	if (flags & CTNL_FILTER_F_ICMPV6_ID)
		FUZZ_CHECK(ctnl_has(p, CTA_PROTO_ICMPV6_ID) && p->icmpv6_id == want->proto.icmpv6_id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t families[] = { 0, 2, 10 };
	struct cursor c = { data, size };
	struct ctnl_filter f;
	struct ctnl_ct_msg m, back;
	struct ctnl_err err = { 0 };
	enum ctnl_filter_op op;
	uint8_t fb, ob, *buf, *buf2;
	uint16_t of, rf;
	size_t n = 0, n2 = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	fb = u8(&c);
	f.family = fb < 0xf0 ? families[fb % 3] : fb; /* mostly valid */
	ob = u8(&c);
	op = ob < 0xf0 ? (enum ctnl_filter_op)(ob & 1) : (enum ctnl_filter_op)ob;
	f.has = u8(&c);
	if (f.has < 0xf0)
		f.has &= 7;
	take(&c, &f.mark, 4);
	take(&c, &f.mark_mask, 4);
	take(&c, &f.status, 4);
	take(&c, &f.status_mask, 4);
	take(&c, &f.zone, 2);
	take(&c, &of, 2);
	take(&c, &rf, 2);
	f.orig_flags = of;
	f.reply_flags = rf;
	take_tuple(&c, &f.orig);
	take_tuple(&c, &f.reply);

	rc = ctnl_filter_build(&f, op, 77, &m, &err);
	FUZZ_CHECKF(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP, "build rc %d", rc);
	if (f.family != 0 && f.family != 2 && f.family != 10)
		FUZZ_CHECKF(rc == -EAFNOSUPPORT || rc == -EINVAL, "family %u: %d", f.family, rc);
	if ((f.has & ~15u) || ((f.orig_flags | f.reply_flags) & ~CTNL_FILTER_F_ALL) ||
	    ((f.has & CTNL_FILTER_HAS_MARK) && (f.mark & ~f.mark_mask)) ||
	    ((f.has & CTNL_FILTER_HAS_STATUS) && (f.status_mask == 0 || (f.status & ~f.status_mask))) ||
	    (op != CTNL_FILTER_DUMP && op != CTNL_FILTER_FLUSH))
		FUZZ_CHECKF(rc < 0, "an invalid filter was built (has 0x%x flags 0x%x/0x%x)", f.has, f.orig_flags,
			    f.reply_flags);
	if (rc < 0) {
		FUZZ_CHECK(err.code == rc);
		fuzz_check_err_format(&err);
		FUZZ_CHECK(ctnl_filter_encode(&f, op, 77, NULL, 0, &n, NULL) == rc);
		return 0;
	}

	FUZZ_CHECK(m.hdr.type == (op == CTNL_FILTER_DUMP ? 0x0101 : 0x0102));
	FUZZ_CHECK(m.hdr.flags == (op == CTNL_FILTER_DUMP ? 0x0301 : 0x0005));
	FUZZ_CHECK(m.hdr.family == f.family && m.hdr.seq == 77);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_MARK) == !!(f.has & CTNL_FILTER_HAS_MARK));
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_MARK_MASK) == !!(f.has & CTNL_FILTER_HAS_MARK));
	if (f.has & CTNL_FILTER_HAS_MARK)
		FUZZ_CHECK(m.ct.mark == f.mark && m.ct.mark_mask == f.mark_mask);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_STATUS) == !!(f.has & CTNL_FILTER_HAS_STATUS));
	if (f.has & CTNL_FILTER_HAS_STATUS)
		FUZZ_CHECK(m.ct.status == f.status && m.ct.status_mask == f.status_mask);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_ZONE) == !!(f.has & CTNL_FILTER_HAS_ZONE));
	if (f.has & CTNL_FILTER_HAS_ZONE)
		FUZZ_CHECK(m.ct.zone == f.zone);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_TUPLE_ORIG) == !!f.orig_flags);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_TUPLE_REPLY) == !!f.reply_flags);
	check_tuple(f.orig_flags, f.family, &f.orig, &m.ct.orig);
	check_tuple(f.reply_flags, f.family, &f.reply, &m.ct.reply);
	FUZZ_CHECK(ctnl_has(&m.ct, CTA_FILTER) == (f.family != 0 || f.orig_flags || f.reply_flags));
	if (ctnl_has(&m.ct, CTA_FILTER))
		FUZZ_CHECK(m.ct.filter.orig_flags == f.orig_flags && m.ct.filter.reply_flags == f.reply_flags);

	/* encode, exactly sized; the one-call form writes the same bytes */
	FUZZ_CHECK(ctnl_ct_encode(&m, NULL, 0, &n, NULL) == -ENOSPC);
	buf = malloc(1024);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(ctnl_ct_encode(&m, buf, 1024, &n, &err) == 0 && n >= 20 && n <= 1024);
	buf2 = malloc(n);
	FUZZ_CHECK(buf2 != NULL);
	FUZZ_CHECK(ctnl_filter_encode(&f, op, 77, buf2, n - 1, &n2, NULL) == -ENOSPC);
	FUZZ_CHECK(ctnl_filter_encode(&f, op, 77, buf2, n, &n2, NULL) == 0 && n2 == n);
	FUZZ_CHECK(memcmp(buf, buf2, n) == 0);

	memset(&err, 0, sizeof(err));
	FUZZ_CHECKF(ctnl_ct_decode(buf2, n, &back, &err) == 0, "a built request does not decode: %s", err.what);
	{
		struct fuzz_text a = { 0 }, b = { 0 };

		m.norder = 0;
		back.norder = 0;
		fuzz_canon_ct(&a, &m, 0);
		fuzz_canon_ct(&b, &back, 0);
		/* the built struct has no length in hdr; compare past the header line */
		FUZZ_CHECKF(a.len == b.len && memcmp(a.s, b.s, a.len) == 0, "request changes on the way:\n%s\n---\n%s", a.s,
			    b.s);
		fuzz_text_free(&a);
		fuzz_text_free(&b);
	}
	free(buf);
	free(buf2);
	return 0;
}
