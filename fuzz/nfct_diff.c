/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target nfct_diff: ctnl against libnetfilter_conntrack's parser.
 *
 * Input: one conntrack message.  Every message ctnl_ct_decode accepts is
 * also given to nfct_nlmsg_parse(), and the two must agree on every
 * attribute both know: the three tuples (l3/l4 protocol, addresses,
 * ports, ICMP type/code/id, directional zones), status, timeout, mark,
 * secmark, use, id, zone, counters, TCP/SCTP/DCCP protoinfo, helper name,
 * seq-adj, security context, timestamps, labels and synproxy.  Any
 * disagreement aborts.
 *
 * libnetfilter_conntrack's parser calls exit() on a length it does not
 * expect, so only what ctnl accepts reaches it; inputs in the classes
 * below, where that library misbehaves on messages ctnl rightly accepts,
 * are counted and skipped (docs/fuzzing.md: "libnetfilter_conntrack
 * disagreements"; each class has a kept input in
 * fuzz/regressions/nfct_diff/).  Its storage unions (ports with ICMP ids,
 * IPv4 with IPv6, one protoinfo for TCP, SCTP and DCCP) and its single
 * ICMP attribute for all three tuples are modelled, not skipped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netlink.h>

#include "fuzz.h"

enum skip_class {
	SKIP_NONE = 0,
	SKIP_PROTOINFO_TYPE,   /* A: protoinfo type 4 or 5: out-of-bounds write into tb[] */
	SKIP_EMPTY_STATUS,     /* B: empty CTA_STATUS (6.14+ padding): exit() */
	SKIP_EMPTY_STRING,     /* C: helper or secctx name of 0 bytes: exit() */
	SKIP_UNTERMINATED,     /* D: helper or secctx name with no NUL: reads past the attribute */
};

static const char *const skip_names[] = {
	"", "A protoinfo-type", "B empty-status", "C empty-string", "D unterminated-string",
};

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Call fn for each attribute of p[0..len) (framing already validated by ctnl). */
#define FOR_EACH_ATTR(p, len, a, alen, atype)                                                          \
	for (size_t off_ = 0, alen, atype; off_ + 4 <= (len) && (alen = get16((p) + off_)) >= 4 &&      \
					   off_ + alen <= (len) && ((atype = get16((p) + off_ + 2) & 0x3fff), 1) && \
					   ((a = (p) + off_), 1);                                  \
	     off_ += (alen + 3u) & ~(size_t)3u)

static int name_bad(const uint8_t *nest, size_t nlen, unsigned name_type)
{
	const uint8_t *a;

	FOR_EACH_ATTR(nest, nlen, a, alen, atype) {
		if (atype != name_type)
			continue;
		if (alen == 4)
			return SKIP_EMPTY_STRING;
		if (!memchr(a + 4, '\0', alen - 4))
			return SKIP_UNTERMINATED;
	}
	return SKIP_NONE;
}

static enum skip_class classify(const uint8_t *msg, size_t len)
{
	const uint8_t *top = msg + 20, *a, *b;
	size_t tlen = len - 20;
	int r;

	FOR_EACH_ATTR(top, tlen, a, alen, atype) {
		if (atype == CTA_STATUS && alen == 4)
			return SKIP_EMPTY_STATUS;
		if (atype == CTA_PROTOINFO) {
			FOR_EACH_ATTR(a + 4, alen - 4, b, blen, btype) {
				(void)b;
				(void)blen;
				if (btype == 4 || btype == 5)
					return SKIP_PROTOINFO_TYPE;
			}
		}
		if (atype == CTA_HELP && (r = name_bad(a + 4, alen - 4, CTA_HELP_NAME)))
			return r;
		if (atype == CTA_SECCTX && (r = name_bad(a + 4, alen - 4, CTA_SECCTX_NAME)))
			return r;
	}
	return SKIP_NONE;
}

/* ---- comparison ---- */

#define SAME(what, a, b)                                                                                  \
	FUZZ_CHECKF((uint64_t)(a) == (uint64_t)(b), "%s: ctnl %llu, libnetfilter_conntrack %llu", what, \
		    (unsigned long long)(a), (unsigned long long)(b))

static void same_set(const struct nf_conntrack *ct, int attr, int want, const char *what)
{
	int got = nfct_attr_is_set(ct, attr) > 0;

	FUZZ_CHECKF(got == !!want, "%s: set in ctnl %d, in libnetfilter_conntrack %d", what, !!want, got);
}

struct dir_attrs {
	const char *name;
	int l3, l4, v4src, v4dst, v6src, v6dst, psrc, pdst, zone;
};

static const struct dir_attrs dirs[3] = {
	{ "orig", ATTR_ORIG_L3PROTO, ATTR_ORIG_L4PROTO, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_SRC,
	  ATTR_ORIG_IPV6_DST, ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST, ATTR_ORIG_ZONE },
	{ "reply", ATTR_REPL_L3PROTO, ATTR_REPL_L4PROTO, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_SRC,
	  ATTR_REPL_IPV6_DST, ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST, ATTR_REPL_ZONE },
	{ "master", ATTR_MASTER_L3PROTO, ATTR_MASTER_L4PROTO, ATTR_MASTER_IPV4_SRC, ATTR_MASTER_IPV4_DST,
	  ATTR_MASTER_IPV6_SRC, ATTR_MASTER_IPV6_DST, ATTR_MASTER_PORT_SRC, ATTR_MASTER_PORT_DST, -1 },
};

/* What libnetfilter_conntrack's tuple storage holds after parsing t:
 * l4src is one u16 for the source port and both ICMP ids; l4dst one u16
 * for the destination port and {type, code} of both ICMPs; each address
 * one union of IPv4 and IPv6.  Writes happen in its parse order. */
static void model_l4(const struct ctnl_ct_tuple *t, uint16_t *l4src, uint8_t l4dst[2])
{
	const struct ctnl_ct_proto *p = &t->proto;
	uint16_t v;

	*l4src = 0;
	memset(l4dst, 0, 2);
	if (!ctnl_has(t, CTA_TUPLE_PROTO))
		return;
	if (ctnl_has(p, CTA_PROTO_SRC_PORT))
		*l4src = htons(p->src_port);
	if (ctnl_has(p, CTA_PROTO_DST_PORT)) {
		v = htons(p->dst_port);
		memcpy(l4dst, &v, 2);
	}
	if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
		l4dst[0] = p->icmp_type;
	if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
		l4dst[1] = p->icmp_code;
	if (ctnl_has(p, CTA_PROTO_ICMP_ID))
		*l4src = htons(p->icmp_id);
	if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
		l4dst[0] = p->icmpv6_type;
	if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
		l4dst[1] = p->icmpv6_code;
	if (ctnl_has(p, CTA_PROTO_ICMPV6_ID))
		*l4src = htons(p->icmpv6_id);
}

static void compare_tuple(const struct nf_conntrack *ct, const struct dir_attrs *d, const struct ctnl_ct_msg *m,
			  const struct ctnl_ct_tuple *t, int present)
{
	const struct ctnl_ct_ip *ip = &t->ip;
	const struct ctnl_ct_proto *p = &t->proto;
	int has_ip = present && ctnl_has(t, CTA_TUPLE_IP);
	int has_proto = present && ctnl_has(t, CTA_TUPLE_PROTO);
	uint16_t l4src;
	uint8_t l4dst[2];
	char what[64];

	snprintf(what, sizeof(what), "%s.l3proto", d->name);
	same_set(ct, d->l3, present, what);
	if (present)
		SAME(what, m->hdr.family, nfct_get_attr_u8(ct, d->l3));

	snprintf(what, sizeof(what), "%s.v4-src", d->name);
	same_set(ct, d->v4src, has_ip && ctnl_has(ip, CTA_IP_V4_SRC), what);
	snprintf(what, sizeof(what), "%s.v4-dst", d->name);
	same_set(ct, d->v4dst, has_ip && ctnl_has(ip, CTA_IP_V4_DST), what);
	snprintf(what, sizeof(what), "%s.v6-src", d->name);
	same_set(ct, d->v6src, has_ip && ctnl_has(ip, CTA_IP_V6_SRC), what);
	snprintf(what, sizeof(what), "%s.v6-dst", d->name);
	same_set(ct, d->v6dst, has_ip && ctnl_has(ip, CTA_IP_V6_DST), what);
	if (has_ip) {
		/* one union: the IPv6 address is written after the IPv4 one */
		const uint8_t *src4 = ctnl_has(ip, CTA_IP_V6_SRC) ? ip->v6_src : ip->v4_src;
		const uint8_t *dst4 = ctnl_has(ip, CTA_IP_V6_DST) ? ip->v6_dst : ip->v4_dst;

		if (ctnl_has(ip, CTA_IP_V4_SRC))
			FUZZ_CHECKF(memcmp(nfct_get_attr(ct, d->v4src), src4, 4) == 0, "%s.v4-src differs", d->name);
		if (ctnl_has(ip, CTA_IP_V4_DST))
			FUZZ_CHECKF(memcmp(nfct_get_attr(ct, d->v4dst), dst4, 4) == 0, "%s.v4-dst differs", d->name);
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			FUZZ_CHECKF(memcmp(nfct_get_attr(ct, d->v6src), ip->v6_src, 16) == 0, "%s.v6-src differs", d->name);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			FUZZ_CHECKF(memcmp(nfct_get_attr(ct, d->v6dst), ip->v6_dst, 16) == 0, "%s.v6-dst differs", d->name);
	}

	snprintf(what, sizeof(what), "%s.l4proto", d->name);
	same_set(ct, d->l4, has_proto && ctnl_has(p, CTA_PROTO_NUM), what);
	if (has_proto && ctnl_has(p, CTA_PROTO_NUM))
		SAME(what, p->num, nfct_get_attr_u8(ct, d->l4));

	model_l4(t, &l4src, l4dst);
	snprintf(what, sizeof(what), "%s.src-port", d->name);
	same_set(ct, d->psrc, has_proto && ctnl_has(p, CTA_PROTO_SRC_PORT), what);
	if (has_proto && ctnl_has(p, CTA_PROTO_SRC_PORT))
		SAME(what, l4src, nfct_get_attr_u16(ct, d->psrc));
	snprintf(what, sizeof(what), "%s.dst-port", d->name);
	same_set(ct, d->pdst, has_proto && ctnl_has(p, CTA_PROTO_DST_PORT), what);
	if (has_proto && ctnl_has(p, CTA_PROTO_DST_PORT)) {
		uint16_t v;

		memcpy(&v, l4dst, 2);
		SAME(what, v, nfct_get_attr_u16(ct, d->pdst));
	}

	if (d->zone >= 0) {
		snprintf(what, sizeof(what), "%s.zone", d->name);
		same_set(ct, d->zone, present && ctnl_has(t, CTA_TUPLE_ZONE), what);
		if (present && ctnl_has(t, CTA_TUPLE_ZONE))
			SAME(what, t->zone, nfct_get_attr_u16(ct, d->zone));
	}
}

/* ATTR_ICMP_*: one attribute, set by an ICMP value in any tuple, read
 * from the original tuple's storage. */
static void compare_icmp(const struct nf_conntrack *ct, const struct ctnl_ct_msg *m)
{
	const struct ctnl_ct_tuple *ts[3] = { &m->ct.orig, &m->ct.reply, &m->ct.master };
	static const int tt[3] = { CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TUPLE_MASTER };
	int type = 0, code = 0, id = 0;
	uint16_t l4src = 0;
	uint8_t l4dst[2] = { 0, 0 };

	for (int i = 0; i < 3; i++) {
		const struct ctnl_ct_proto *p = &ts[i]->proto;

		if (!ctnl_has(&m->ct, tt[i]) || !ctnl_has(ts[i], CTA_TUPLE_PROTO))
			continue;
		type |= ctnl_has(p, CTA_PROTO_ICMP_TYPE) || ctnl_has(p, CTA_PROTO_ICMPV6_TYPE);
		code |= ctnl_has(p, CTA_PROTO_ICMP_CODE) || ctnl_has(p, CTA_PROTO_ICMPV6_CODE);
		id |= ctnl_has(p, CTA_PROTO_ICMP_ID) || ctnl_has(p, CTA_PROTO_ICMPV6_ID);
	}
	same_set(ct, ATTR_ICMP_TYPE, type, "icmp-type");
	same_set(ct, ATTR_ICMP_CODE, code, "icmp-code");
	same_set(ct, ATTR_ICMP_ID, id, "icmp-id");
	if (ctnl_has(&m->ct, CTA_TUPLE_ORIG))
		model_l4(&m->ct.orig, &l4src, l4dst);
	if (type)
		SAME("icmp-type (orig storage)", l4dst[0], nfct_get_attr_u8(ct, ATTR_ICMP_TYPE));
	if (code)
		SAME("icmp-code (orig storage)", l4dst[1], nfct_get_attr_u8(ct, ATTR_ICMP_CODE));
	if (id)
		SAME("icmp-id (orig storage)", l4src, nfct_get_attr_u16(ct, ATTR_ICMP_ID));
}

static void compare_u32(const struct nf_conntrack *ct, int attr, int present, uint32_t v, const char *what)
{
	same_set(ct, attr, present, what);
	if (present)
		SAME(what, v, nfct_get_attr_u32(ct, attr));
}

static void compare_counters(const struct nf_conntrack *ct, int has, const struct ctnl_ct_counters *c, int apk,
			     int aby, const char *what)
{
	int pk = has && (ctnl_has(c, CTA_COUNTERS_PACKETS) || ctnl_has(c, CTA_COUNTERS32_PACKETS));
	int by = has && (ctnl_has(c, CTA_COUNTERS_BYTES) || ctnl_has(c, CTA_COUNTERS32_BYTES));

	same_set(ct, apk, pk, what);
	same_set(ct, aby, by, what);
	/* the 64-bit value wins over the 32-bit one */
	if (pk)
		SAME(what, ctnl_has(c, CTA_COUNTERS_PACKETS) ? c->packets : c->packets32, nfct_get_attr_u64(ct, apk));
	if (by)
		SAME(what, ctnl_has(c, CTA_COUNTERS_BYTES) ? c->bytes : c->bytes32, nfct_get_attr_u64(ct, aby));
}

/* One union holds TCP, SCTP and DCCP protoinfo; nfct parses TCP, then
 * SCTP, then DCCP into it.  This is its image after those writes. */
struct pinfo_image {
	uint8_t b[24];
};

static void compare_protoinfo(const struct nf_conntrack *ct, const struct ctnl_ct_msg *m)
{
	const struct ctnl_ct_protoinfo *pi = &m->ct.protoinfo;
	int has = ctnl_has(&m->ct, CTA_PROTOINFO);
	const struct ctnl_ct_tcp *tcp = &pi->tcp;
	const struct ctnl_ct_sctp *sctp = &pi->sctp;
	const struct ctnl_ct_dccp *dccp = &pi->dccp;
	int t = has && ctnl_has(pi, CTA_PROTOINFO_TCP);
	int s = has && ctnl_has(pi, CTA_PROTOINFO_SCTP);
	int d = has && ctnl_has(pi, CTA_PROTOINFO_DCCP);
	struct pinfo_image img;
	uint32_t v32;
	uint64_t v64;

	/* layout of union __nfct_protoinfo (libnetfilter_conntrack 1.0.9):
	 * tcp {state@0, flags[2]{value,mask}@1, wscale[2]@5}
	 * sctp {state@0, vtag[2]@4}, dccp {state@0, role@1, handshake_seq@8} */
	memset(&img, 0, sizeof(img));
	if (t) {
		if (ctnl_has(tcp, CTA_PROTOINFO_TCP_STATE))
			img.b[0] = tcp->state;
		if (ctnl_has(tcp, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL))
			img.b[5] = tcp->wscale_orig;
		if (ctnl_has(tcp, CTA_PROTOINFO_TCP_WSCALE_REPLY))
			img.b[6] = tcp->wscale_reply;
		if (ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL)) {
			img.b[1] = tcp->flags_orig.flags;
			img.b[2] = tcp->flags_orig.mask;
		}
		if (ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_REPLY)) {
			img.b[3] = tcp->flags_reply.flags;
			img.b[4] = tcp->flags_reply.mask;
		}
	}
	if (s) {
		if (ctnl_has(sctp, CTA_PROTOINFO_SCTP_STATE))
			img.b[0] = sctp->state;
		if (ctnl_has(sctp, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL))
			memcpy(img.b + 4, &sctp->vtag_orig, 4);
		if (ctnl_has(sctp, CTA_PROTOINFO_SCTP_VTAG_REPLY))
			memcpy(img.b + 8, &sctp->vtag_reply, 4);
	}
	if (d) {
		if (ctnl_has(dccp, CTA_PROTOINFO_DCCP_STATE))
			img.b[0] = dccp->state;
		if (ctnl_has(dccp, CTA_PROTOINFO_DCCP_ROLE))
			img.b[1] = dccp->role;
		if (ctnl_has(dccp, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ))
			memcpy(img.b + 8, &dccp->handshake_seq, 8);
	}

#define PI_U8(attr, cond, off, what)                                   \
	do {                                                           \
		same_set(ct, attr, cond, what);                        \
		if (cond)                                              \
			SAME(what, img.b[off], nfct_get_attr_u8(ct, attr)); \
	} while (0)
	PI_U8(ATTR_TCP_STATE, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_STATE), 0, "tcp.state");
	PI_U8(ATTR_TCP_WSCALE_ORIG, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL), 5, "tcp.wscale-orig");
	PI_U8(ATTR_TCP_WSCALE_REPL, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_WSCALE_REPLY), 6, "tcp.wscale-reply");
	PI_U8(ATTR_TCP_FLAGS_ORIG, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL), 1, "tcp.flags-orig");
	PI_U8(ATTR_TCP_MASK_ORIG, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL), 2, "tcp.mask-orig");
	PI_U8(ATTR_TCP_FLAGS_REPL, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_REPLY), 3, "tcp.flags-reply");
	PI_U8(ATTR_TCP_MASK_REPL, t && ctnl_has(tcp, CTA_PROTOINFO_TCP_FLAGS_REPLY), 4, "tcp.mask-reply");
	PI_U8(ATTR_SCTP_STATE, s && ctnl_has(sctp, CTA_PROTOINFO_SCTP_STATE), 0, "sctp.state");
	PI_U8(ATTR_DCCP_STATE, d && ctnl_has(dccp, CTA_PROTOINFO_DCCP_STATE), 0, "dccp.state");
	PI_U8(ATTR_DCCP_ROLE, d && ctnl_has(dccp, CTA_PROTOINFO_DCCP_ROLE), 1, "dccp.role");
#undef PI_U8
	memcpy(&v32, img.b + 4, 4);
	compare_u32(ct, ATTR_SCTP_VTAG_ORIG, s && ctnl_has(sctp, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL), v32, "sctp.vtag-orig");
	memcpy(&v32, img.b + 8, 4);
	compare_u32(ct, ATTR_SCTP_VTAG_REPL, s && ctnl_has(sctp, CTA_PROTOINFO_SCTP_VTAG_REPLY), v32, "sctp.vtag-reply");
	memcpy(&v64, img.b + 8, 8);
	same_set(ct, ATTR_DCCP_HANDSHAKE_SEQ, d && ctnl_has(dccp, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ), "dccp.handshake-seq");
	if (d && ctnl_has(dccp, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ))
		SAME("dccp.handshake-seq", v64, nfct_get_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ));
}

static void compare_string(const struct nf_conntrack *ct, int attr, int present, const struct ctnl_view *v,
			   const char *what)
{
	const char *s;

	same_set(ct, attr, present, what);
	if (!present)
		return;
	s = nfct_get_attr(ct, attr);
	FUZZ_CHECKF(s && strlen(s) == v->len && memcmp(s, v->ptr, v->len) == 0, "%s: ctnl \"%.*s\", nfct \"%s\"",
		    what, (int)v->len, (const char *)v->ptr, s ? s : "(null)");
}

static void compare(const struct nf_conntrack *ct, const struct ctnl_ct_msg *m)
{
	const struct ctnl_ct *c = &m->ct;
	const struct ctnl_ct_tuple *ts[3] = { &c->orig, &c->reply, &c->master };
	static const int tt[3] = { CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TUPLE_MASTER };

	for (int i = 0; i < 3; i++)
		compare_tuple(ct, &dirs[i], m, ts[i], ctnl_has(c, tt[i]));
	compare_icmp(ct, m);

	compare_u32(ct, ATTR_STATUS, ctnl_has(c, CTA_STATUS), c->status, "status");
	compare_u32(ct, ATTR_TIMEOUT, ctnl_has(c, CTA_TIMEOUT), c->timeout, "timeout");
	compare_u32(ct, ATTR_MARK, ctnl_has(c, CTA_MARK), c->mark, "mark");
	compare_u32(ct, ATTR_SECMARK, ctnl_has(c, CTA_SECMARK), c->secmark, "secmark");
	compare_u32(ct, ATTR_USE, ctnl_has(c, CTA_USE), c->use, "use");
	compare_u32(ct, ATTR_ID, ctnl_has(c, CTA_ID), c->id, "id");
	same_set(ct, ATTR_ZONE, ctnl_has(c, CTA_ZONE), "zone");
	if (ctnl_has(c, CTA_ZONE))
		SAME("zone", c->zone, nfct_get_attr_u16(ct, ATTR_ZONE));

	compare_counters(ct, ctnl_has(c, CTA_COUNTERS_ORIG), &c->counters_orig, ATTR_ORIG_COUNTER_PACKETS,
			 ATTR_ORIG_COUNTER_BYTES, "counters-orig");
	compare_counters(ct, ctnl_has(c, CTA_COUNTERS_REPLY), &c->counters_reply, ATTR_REPL_COUNTER_PACKETS,
			 ATTR_REPL_COUNTER_BYTES, "counters-reply");

	compare_protoinfo(ct, m);

	/* the helper's info is kept only with its name */
	compare_string(ct, ATTR_HELPER_NAME, ctnl_has(c, CTA_HELP) && ctnl_has(&c->help, CTA_HELP_NAME), &c->help.name,
		       "helper.name");
	same_set(ct, ATTR_HELPER_INFO,
		 ctnl_has(c, CTA_HELP) && ctnl_has(&c->help, CTA_HELP_NAME) && ctnl_has(&c->help, CTA_HELP_INFO),
		 "helper.info");
	compare_string(ct, ATTR_SECCTX, ctnl_has(c, CTA_SECCTX) && ctnl_has(&c->secctx, CTA_SECCTX_NAME), &c->secctx.name,
		       "secctx.name");

	{
		static const struct {
			int tnest, t, attr;
			const char *what;
		} sa[] = {
			{ CTA_SEQ_ADJ_ORIG, CTA_SEQADJ_CORRECTION_POS, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, "seq-adj-orig.correction-pos" },
			{ CTA_SEQ_ADJ_ORIG, CTA_SEQADJ_OFFSET_BEFORE, ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, "seq-adj-orig.offset-before" },
			{ CTA_SEQ_ADJ_ORIG, CTA_SEQADJ_OFFSET_AFTER, ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, "seq-adj-orig.offset-after" },
			{ CTA_SEQ_ADJ_REPLY, CTA_SEQADJ_CORRECTION_POS, ATTR_REPL_NAT_SEQ_CORRECTION_POS, "seq-adj-reply.correction-pos" },
			{ CTA_SEQ_ADJ_REPLY, CTA_SEQADJ_OFFSET_BEFORE, ATTR_REPL_NAT_SEQ_OFFSET_BEFORE, "seq-adj-reply.offset-before" },
			{ CTA_SEQ_ADJ_REPLY, CTA_SEQADJ_OFFSET_AFTER, ATTR_REPL_NAT_SEQ_OFFSET_AFTER, "seq-adj-reply.offset-after" },
		};
		for (size_t i = 0; i < sizeof(sa) / sizeof(sa[0]); i++) {
			const struct ctnl_ct_seqadj *s = sa[i].tnest == CTA_SEQ_ADJ_ORIG ? &c->seqadj_orig : &c->seqadj_reply;
			uint32_t v = sa[i].t == CTA_SEQADJ_CORRECTION_POS ? s->correction_pos
				     : sa[i].t == CTA_SEQADJ_OFFSET_BEFORE ? s->offset_before
									    : s->offset_after;

			compare_u32(ct, sa[i].attr, ctnl_has(c, sa[i].tnest) && ctnl_has(s, sa[i].t), v, sa[i].what);
		}
	}

	same_set(ct, ATTR_TIMESTAMP_START, ctnl_has(c, CTA_TIMESTAMP) && ctnl_has(&c->timestamp, CTA_TIMESTAMP_START),
		 "timestamp.start");
	if (ctnl_has(c, CTA_TIMESTAMP) && ctnl_has(&c->timestamp, CTA_TIMESTAMP_START))
		SAME("timestamp.start", c->timestamp.start, nfct_get_attr_u64(ct, ATTR_TIMESTAMP_START));
	same_set(ct, ATTR_TIMESTAMP_STOP, ctnl_has(c, CTA_TIMESTAMP) && ctnl_has(&c->timestamp, CTA_TIMESTAMP_STOP),
		 "timestamp.stop");
	if (ctnl_has(c, CTA_TIMESTAMP) && ctnl_has(&c->timestamp, CTA_TIMESTAMP_STOP))
		SAME("timestamp.stop", c->timestamp.stop, nfct_get_attr_u64(ct, ATTR_TIMESTAMP_STOP));

	compare_u32(ct, ATTR_SYNPROXY_ISN, ctnl_has(c, CTA_SYNPROXY) && ctnl_has(&c->synproxy, CTA_SYNPROXY_ISN),
		    c->synproxy.isn, "synproxy.isn");
	compare_u32(ct, ATTR_SYNPROXY_ITS, ctnl_has(c, CTA_SYNPROXY) && ctnl_has(&c->synproxy, CTA_SYNPROXY_ITS),
		    c->synproxy.its, "synproxy.its");
	compare_u32(ct, ATTR_SYNPROXY_TSOFF, ctnl_has(c, CTA_SYNPROXY) && ctnl_has(&c->synproxy, CTA_SYNPROXY_TSOFF),
		    c->synproxy.tsoff, "synproxy.tsoff");

	/* labels: an empty CTA_LABELS sets nothing in nfct */
	{
		int has = ctnl_has(c, CTA_LABELS) && c->labels.len > 0;

		same_set(ct, ATTR_CONNLABELS, has, "labels");
		if (has) {
			const struct nfct_bitmask *b = nfct_get_attr(ct, ATTR_CONNLABELS);
			uint32_t words[4] = { 0, 0, 0, 0 };

			FUZZ_CHECK(b != NULL && c->labels.len <= sizeof(words));
			memcpy(words, c->labels.ptr, c->labels.len);
			/* it rounds the bitmap up to whole 32-bit words, zeroed */
			SAME("labels maxbit", (c->labels.len + 3u) / 4u * 32u - 1, nfct_bitmask_maxbit(b));
			for (unsigned bit = 0; bit <= nfct_bitmask_maxbit(b); bit++)
				SAME("labels bit", (words[bit / 32] >> (bit % 32)) & 1u, nfct_bitmask_test_bit(b, bit) != 0);
		}
	}
}

static unsigned long counts[5], agreed;

static void report(void)
{
	fprintf(stderr, "nfct_diff: %lu agreed; skipped A %lu, B %lu, C %lu, D %lu\n", agreed, counts[1], counts[2],
		counts[3], counts[4]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct ctnl_ct_msg m;
	struct ctnl_err err = { 0 };
	struct nf_conntrack *ct;
	enum skip_class k;
	uint8_t *copy;

	if (!once) {
		once = 1;
		if (getenv("CTNL_NFCT_DIFF_STATS"))
			atexit(report);
	}
	if (ctnl_ct_decode(data, size, &m, &err) != 0)
		return 0;
	k = classify(data, m.hdr.len);
	if (k != SKIP_NONE) {
		counts[k]++;
		if (getenv("CTNL_NFCT_DIFF_VERBOSE"))
			fprintf(stderr, "nfct_diff: skipped, class %s\n", skip_names[k]);
		/* CTNL_NFCT_DIFF_UNSAFE=1 hands it over anyway: the evidence
		 * for docs/fuzzing.md (an exit(), or a sanitizer report) */
		if (!getenv("CTNL_NFCT_DIFF_UNSAFE"))
			return 0;
	}
	/* nfct reads the message alone, aligned as a socket buffer is */
	copy = malloc(m.hdr.len);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, m.hdr.len);
	ct = nfct_new();
	FUZZ_CHECK(ct != NULL);
	FUZZ_CHECKF(nfct_nlmsg_parse((const struct nlmsghdr *)copy, ct) == 0, "nfct_nlmsg_parse failed on a message ctnl accepts%s",
		    "");
	compare(ct, &m);
	agreed++;
	nfct_destroy(ct);
	free(copy);
	return 0;
}
