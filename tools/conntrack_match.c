/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conntrack(8)'s user-space selection (its nfct_filter() and the update
 * callback's checks, on top of libnetfilter_conntrack's nfct_cmp()), and
 * the kernel filters ctnl sends first (see conntrack_match.h).
 *
 * The compare rule of libnetfilter_conntrack, per attribute of the
 * template: absent from the template, it matches; present in both, the
 * values must agree; present only in the template, "strict" attributes
 * fail and the others (mark, zones) compare against 0.  The update
 * callback compares tuples without that last rule: there an attribute
 * the entry lacks matches.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "conntrack_match.h"

static void tuple_into(const struct ctnl_ct_tuple *t, int family, int repl, struct ctc_obj *o)
{
	const struct ctnl_ct_ip *ip = &t->ip;
	const struct ctnl_ct_proto *p = &t->proto;
	uint8_t *src = repl ? o->rsrc : o->src, *dst = repl ? o->rdst : o->dst;

	CTC_SET(o, repl ? CTC_A_REPL_L3 : CTC_A_ORIG_L3);
	if (repl)
		o->rl3 = (uint8_t)family;
	else
		o->l3 = (uint8_t)family;
	if (family == AF_INET && ctnl_has(ip, CTA_IP_V4_SRC)) {
		memcpy(src, ip->v4_src, 4);
		CTC_SET(o, repl ? CTC_A_REPL_SRC : CTC_A_ORIG_SRC);
	}
	if (family == AF_INET && ctnl_has(ip, CTA_IP_V4_DST)) {
		memcpy(dst, ip->v4_dst, 4);
		CTC_SET(o, repl ? CTC_A_REPL_DST : CTC_A_ORIG_DST);
	}
	if (family == AF_INET6 && ctnl_has(ip, CTA_IP_V6_SRC)) {
		memcpy(src, ip->v6_src, 16);
		CTC_SET(o, repl ? CTC_A_REPL_SRC : CTC_A_ORIG_SRC);
	}
	if (family == AF_INET6 && ctnl_has(ip, CTA_IP_V6_DST)) {
		memcpy(dst, ip->v6_dst, 16);
		CTC_SET(o, repl ? CTC_A_REPL_DST : CTC_A_ORIG_DST);
	}
	if (ctnl_has(p, CTA_PROTO_NUM)) {
		if (repl)
			o->rl4 = p->num;
		else
			o->l4 = p->num;
		CTC_SET(o, repl ? CTC_A_REPL_L4 : CTC_A_ORIG_L4);
	}
	if (ctnl_has(p, CTA_PROTO_SRC_PORT)) {
		*(repl ? &o->rsport : &o->sport) = p->src_port;
		CTC_SET(o, repl ? CTC_A_REPL_SPORT : CTC_A_ORIG_SPORT);
	}
	if (ctnl_has(p, CTA_PROTO_DST_PORT)) {
		*(repl ? &o->rdport : &o->dport) = p->dst_port;
		CTC_SET(o, repl ? CTC_A_REPL_DPORT : CTC_A_ORIG_DPORT);
	}
	/* the ICMP fields exist once, for the original direction */
	if (!repl) {
		if (ctnl_has(p, CTA_PROTO_ICMP_TYPE) || ctnl_has(p, CTA_PROTO_ICMPV6_TYPE)) {
			o->icmp_type = ctnl_has(p, CTA_PROTO_ICMPV6_TYPE) ? p->icmpv6_type : p->icmp_type;
			CTC_SET(o, CTC_A_ICMP_TYPE);
		}
		if (ctnl_has(p, CTA_PROTO_ICMP_CODE) || ctnl_has(p, CTA_PROTO_ICMPV6_CODE)) {
			o->icmp_code = ctnl_has(p, CTA_PROTO_ICMPV6_CODE) ? p->icmpv6_code : p->icmp_code;
			CTC_SET(o, CTC_A_ICMP_CODE);
		}
		if (ctnl_has(p, CTA_PROTO_ICMP_ID) || ctnl_has(p, CTA_PROTO_ICMPV6_ID)) {
			o->icmp_id = ctnl_has(p, CTA_PROTO_ICMPV6_ID) ? p->icmpv6_id : p->icmp_id;
			CTC_SET(o, CTC_A_ICMP_ID);
		}
	}
	if (ctnl_has(t, CTA_TUPLE_ZONE)) {
		*(repl ? &o->repl_zone : &o->orig_zone) = t->zone;
		CTC_SET(o, repl ? CTC_A_REPL_ZONE : CTC_A_ORIG_ZONE);
	}
}

void ctc_obj_from_msg(const struct ctnl_ct_msg *m, struct ctc_obj *o)
{
	const struct ctnl_ct *ct = &m->ct;
	const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;

	memset(o, 0, sizeof(*o));
	if (ctnl_has(ct, CTA_TUPLE_ORIG))
		tuple_into(&ct->orig, m->hdr.family, 0, o);
	if (ctnl_has(ct, CTA_TUPLE_REPLY))
		tuple_into(&ct->reply, m->hdr.family, 1, o);
	if (ctnl_has(ct, CTA_STATUS)) {
		o->status = ct->status;
		CTC_SET(o, CTC_A_STATUS);
	}
	if (ctnl_has(ct, CTA_TIMEOUT)) {
		o->timeout = ct->timeout;
		CTC_SET(o, CTC_A_TIMEOUT);
	}
	if (ctnl_has(ct, CTA_ID)) {
		o->id = ct->id;
		CTC_SET(o, CTC_A_ID);
	}
	if (ctnl_has(ct, CTA_SECMARK)) {
		o->secmark = ct->secmark;
		CTC_SET(o, CTC_A_SECMARK);
	}
	if (ctnl_has(ct, CTA_ZONE)) {
		o->zone = ct->zone;
		CTC_SET(o, CTC_A_ZONE);
	}
	if (ctnl_has(ct, CTA_PROTOINFO)) {
		if (ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE)) {
			o->state = pi->tcp.state;
			CTC_SET(o, CTC_A_TCP_STATE);
		}
		if (ctnl_has(pi, CTA_PROTOINFO_SCTP) && ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE)) {
			o->state = pi->sctp.state;
			CTC_SET(o, CTC_A_SCTP_STATE);
		}
		if (ctnl_has(pi, CTA_PROTOINFO_DCCP) && ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE)) {
			o->state = pi->dccp.state;
			CTC_SET(o, CTC_A_DCCP_STATE);
		}
	}
}

/* One attribute: a in the template, b in the entry. */
static int cmp1(const struct ctc_obj *t, const struct ctc_obj *e, int attr, int eq, int strict, int mask_mode)
{
	if (!CTC_HAS(t, attr))
		return 1;
	if (CTC_HAS(e, attr))
		return eq;
	if (!mask_mode)
		return 1;
	return strict ? 0 : eq;
}

static int alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int cmp_l4(const struct ctc_obj *t, const struct ctc_obj *e, int repl, int mm)
{
	uint8_t proto = repl ? t->rl4 : t->l4;

	switch (proto) {
	case 1:
	case 58:
		return cmp1(t, e, CTC_A_ICMP_ID, t->icmp_id == e->icmp_id, 1, mm) &&
		       cmp1(t, e, CTC_A_ICMP_CODE, t->icmp_code == e->icmp_code, 1, mm) &&
		       cmp1(t, e, CTC_A_ICMP_TYPE, t->icmp_type == e->icmp_type, 1, mm);
	case 6: case 17: case 136: case 33: case 132:
		if (repl)
			return cmp1(t, e, CTC_A_REPL_SPORT, t->rsport == e->rsport, 1, mm) &&
			       cmp1(t, e, CTC_A_REPL_DPORT, t->rdport == e->rdport, 1, mm);
		return cmp1(t, e, CTC_A_ORIG_SPORT, t->sport == e->sport, 1, mm) &&
		       cmp1(t, e, CTC_A_ORIG_DPORT, t->dport == e->dport, 1, mm);
	default:
		return 1;
	}
}

static int cmp_orig(const struct ctc_obj *t, const struct ctc_obj *e, int mm)
{
	int l4 = !CTC_HAS(t, CTC_A_ORIG_L4) || !CTC_HAS(e, CTC_A_ORIG_L4) ||
		 (t->l4 == e->l4 && cmp_l4(t, e, 0, mm));

	return cmp1(t, e, CTC_A_ORIG_L3, t->l3 == e->l3, 1, mm) &&
	       cmp1(t, e, CTC_A_ORIG_L4, l4, 1, mm) &&
	       cmp1(t, e, CTC_A_ORIG_SRC, t->l3 == e->l3 && !memcmp(t->src, e->src, alen(t->l3)), 1, mm) &&
	       cmp1(t, e, CTC_A_ORIG_DST, t->l3 == e->l3 && !memcmp(t->dst, e->dst, alen(t->l3)), 1, mm) &&
	       cmp1(t, e, CTC_A_ORIG_ZONE, t->orig_zone == e->orig_zone, 0, mm);
}

static int cmp_repl(const struct ctc_obj *t, const struct ctc_obj *e, int mm)
{
	int l4 = !CTC_HAS(t, CTC_A_REPL_L4) || !CTC_HAS(e, CTC_A_REPL_L4) ||
		 (t->rl4 == e->rl4 && cmp_l4(t, e, 1, mm));
	int fam = CTC_HAS(t, CTC_A_REPL_L3) ? t->rl3 : t->l3;

	return cmp1(t, e, CTC_A_REPL_L3, t->rl3 == e->rl3, 1, mm) &&
	       cmp1(t, e, CTC_A_REPL_L4, l4, 1, mm) &&
	       cmp1(t, e, CTC_A_REPL_SRC, fam == e->rl3 && !memcmp(t->rsrc, e->rsrc, alen(fam)), 1, mm) &&
	       cmp1(t, e, CTC_A_REPL_DST, fam == e->rl3 && !memcmp(t->rdst, e->rdst, alen(fam)), 1, mm) &&
	       cmp1(t, e, CTC_A_REPL_ZONE, t->repl_zone == e->repl_zone, 0, mm);
}

static int cmp_meta(const struct ctc_obj *t, const struct ctc_obj *e)
{
	return cmp1(t, e, CTC_A_ID, t->id == e->id, 1, 1) &&
	       cmp1(t, e, CTC_A_TIMEOUT, t->timeout == e->timeout, 1, 1) &&
	       cmp1(t, e, CTC_A_STATUS, (t->status & e->status) == t->status, 1, 1) &&
	       cmp1(t, e, CTC_A_TCP_STATE, t->state == e->state, 1, 1) &&
	       cmp1(t, e, CTC_A_SCTP_STATE, t->state == e->state, 1, 1) &&
	       cmp1(t, e, CTC_A_DCCP_STATE, t->state == e->state, 1, 1) &&
	       cmp1(t, e, CTC_A_ZONE, t->zone == e->zone, 0, 1);
}

/* libnetfilter_conntrack's NAT predicates. */
static int is_nat(const struct ctc_obj *e, int src, int family)
{
	if (CTC_HAS(e, CTC_A_STATUS) && !(e->status & (src ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)))
		return 0;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	return src ? memcmp(e->rdst, e->src, alen(family)) != 0 : memcmp(e->rsrc, e->dst, alen(family)) != 0;
}

/* The layer-4 words as that library's unions hold them. */
static uint16_t l4src(const struct ctc_obj *e, int repl)
{
	if (!repl && (e->l4 == 1 || e->l4 == 58))
		return e->icmp_id;
	return repl ? e->rsport : e->sport;
}

static uint16_t l4dst(const struct ctc_obj *e, int repl)
{
	if ((repl ? e->rl4 : e->l4) == 1 || (repl ? e->rl4 : e->l4) == 58)
		return repl ? e->rdport : (uint16_t)(e->icmp_type << 8 | e->icmp_code);
	return repl ? e->rdport : e->dport;
}

static int is_pat(const struct ctc_obj *e, int src)
{
	if (CTC_HAS(e, CTC_A_STATUS) && !(e->status & (src ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)))
		return 0;
	return src ? l4dst(e, 1) != l4src(e, 0) : l4src(e, 1) != l4dst(e, 0);
}

static int nat_side(const struct ctc_req *r, const struct ctc_obj *e, int src)
{
	const struct ctc_obj *t = &r->ct;
	int has = 0, check_addr = 0;
	int family = e->l3;

	if (CTC_HAS(t, src ? CTC_A_SNAT : CTC_A_DNAT) && r->family == AF_INET) {
		check_addr = 1;
		if (is_nat(e, src, family) && family == AF_INET &&
		    !memcmp(src ? t->snat : t->dnat, src ? e->rdst : e->rsrc, 4))
			has = 1;
	}
	if (CTC_HAS(t, src ? CTC_A_SNAT_PORT : CTC_A_DNAT_PORT)) {
		uint16_t want = src ? t->snat_port : t->dnat_port;
		int ok = is_pat(e, src) && want == (src ? e->rdport : e->rsport);

		if (check_addr && has && !ok)
			has = 0;
		if (!check_addr && ok)
			has = 1;
		return has;
	}
	if (!check_addr && (is_nat(e, src, family) || is_pat(e, src)))
		has = 1;
	return has;
}

/* 1: filtered out. */
static int filter_nat(const struct ctc_req *r, const struct ctc_obj *e)
{
	int any = !!(r->options & CTC_BIT(CTC_F_ANY_NAT));
	int chk_s = any || (r->options & CTC_BIT(CTC_F_SRC_NAT));
	int chk_d = any || (r->options & CTC_BIT(CTC_F_DST_NAT));
	int s = chk_s ? nat_side(r, e, 1) : 0, d = chk_d ? nat_side(r, e, 0) : 0;

	if (any)
		return !(s || d);
	if (chk_s && chk_d)
		return !(s && d);
	if (chk_s)
		return !s;
	if (chk_d)
		return !d;
	return 0;
}

static int filter_label(const struct ctc_req *r, const struct ctnl_ct_msg *m)
{
	const struct ctnl_view *l = &m->ct.labels;

	if (!r->label.set)
		return 0;
	if (!ctnl_has(&m->ct, CTA_LABELS))
		return 1;
	for (unsigned i = 0; i <= r->label.maxbit; i++)
		if ((r->label.bits[i / 8] >> (i % 8)) & 1) {
			if (i / 8 >= l->len || !((l->ptr[i / 8] >> (i % 8)) & 1))
				return 1;
		}
	return 0;
}

static int net_miss(const uint8_t *a, const uint8_t *net, const uint8_t *mask, int n)
{
	for (int i = 0; i < n; i++)
		if ((a[i] & mask[i]) != net[i])
			return 1;
	return 0;
}

static int filter_network(const struct ctc_req *r, const struct ctc_obj *e)
{
	int n = alen(r->family);

	if (r->options & CTC_BIT(CTC_F_MASK_SRC))
		if (e->l3 != r->family || net_miss(e->src, r->net_src, r->net_src_mask, n))
			return 1;
	if (r->options & CTC_BIT(CTC_F_MASK_DST))
		if (e->l3 != r->family || net_miss(e->dst, r->net_dst, r->net_dst_mask, n))
			return 1;
	return 0;
}

#define COMPARISON                                                                                         \
	(CTC_BIT(CTC_F_PROTO) | CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST) | CTC_BIT(CTC_F_REPL_SRC) |          \
	 CTC_BIT(CTC_F_REPL_DST) | CTC_BIT(CTC_F_MARK) | CTC_BIT(CTC_F_SECMARK) | CTC_BIT(CTC_F_STATUS) |   \
	 CTC_BIT(CTC_F_ID) | CTC_BIT(CTC_F_ZONE) | CTC_BIT(CTC_F_LABEL) | CTC_BIT(CTC_F_ORIG_ZONE) |        \
	 CTC_BIT(CTC_F_REPL_ZONE))

int ctc_match(const struct ctc_req *r, const struct ctnl_ct_msg *m, int for_list)
{
	struct ctc_obj e;

	ctc_obj_from_msg(m, &e);
	if (filter_nat(r, &e))
		return 0;
	if ((r->options & CTC_BIT(CTC_F_MARK)) &&
	    !(ctnl_has(&m->ct, CTA_MARK) && (m->ct.mark & r->mark_mask) == r->mark_value))
		return 0;
	if (filter_label(r, m) || filter_network(r, &e))
		return 0;
	if ((r->options & COMPARISON) && !(cmp_meta(&r->ct, &e) && cmp_orig(&r->ct, &e, 1) && cmp_repl(&r->ct, &e, 1)))
		return 0;
	/* -L sends the status as a kernel filter: (status & mask) == value */
	if (for_list && r->status_filter && (e.status & r->status_mask) != r->status_value)
		return 0;
	return 1;
}

int ctc_match_update(const struct ctc_req *r, const struct ctnl_ct_msg *m)
{
	struct ctc_obj e;
	unsigned tuple_orig = CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST) | CTC_BIT(CTC_F_PROTO);
	unsigned tuple_repl = CTC_BIT(CTC_F_REPL_SRC) | CTC_BIT(CTC_F_REPL_DST) | CTC_BIT(CTC_F_PROTO);

	ctc_obj_from_msg(m, &e);
	if (filter_nat(r, &e) || filter_label(r, m) || filter_network(r, &e))
		return 0;
	if (CTC_HAS(&r->ct, CTC_A_ID) && CTC_HAS(&e, CTC_A_ID) && r->ct.id != e.id)
		return 0;
	if ((r->options & tuple_orig) && !cmp_orig(&r->ct, &e, 0))
		return 0;
	if ((r->options & tuple_repl) && !cmp_repl(&r->ct, &e, 0))
		return 0;
	return 1;
}

/* ---- kernel filters ---- */

static void put_ip(struct ctnl_ct_tuple *t, int family, const uint8_t *src, const uint8_t *dst)
{
	if (family == AF_INET) {
		if (src)
			memcpy(t->ip.v4_src, src, 4);
		if (dst)
			memcpy(t->ip.v4_dst, dst, 4);
	} else {
		if (src)
			memcpy(t->ip.v6_src, src, 16);
		if (dst)
			memcpy(t->ip.v6_dst, dst, 16);
	}
}

void ctc_dump_filter(const struct ctc_req *r, struct ctnl_filter *f, int with_values, int with_tuple)
{
	const struct ctc_obj *t = &r->ct;
	int fam = r->family;

	memset(f, 0, sizeof(*f));
	f->family = (uint8_t)fam;
	if (with_values && (r->options & CTC_BIT(CTC_F_MARK)) && !(r->mark_value & ~r->mark_mask)) {
		f->has |= CTNL_FILTER_HAS_MARK;
		f->mark = r->mark_value;
		f->mark_mask = r->mark_mask;
	}
	if (with_values && r->status_filter && r->status_mask && !(r->status_value & ~r->status_mask)) {
		f->has |= CTNL_FILTER_HAS_STATUS;
		f->status = r->status_value;
		f->status_mask = r->status_mask;
	}
	if (CTC_HAS(t, CTC_A_ZONE) && t->zone)
		f->has |= CTNL_FILTER_HAS_ZONE, f->zone = t->zone;
	if (!with_tuple || (fam != AF_INET && fam != AF_INET6))
		return;
	/* Linux (since 5.8, still 6.18) inverts the CTA_FILTER match of IPv6
	 * addresses (ctnetlink_filter_match_tuple: !ipv6_addr_cmp): those are
	 * left to the user-space rules, which always run */
	if (fam == AF_INET6)
		goto proto;
	if (CTC_HAS(t, CTC_A_ORIG_SRC)) {
		put_ip(&f->orig, fam, t->src, NULL);
		f->orig_flags |= CTNL_FILTER_F_IP_SRC;
	}
	if (CTC_HAS(t, CTC_A_ORIG_DST)) {
		put_ip(&f->orig, fam, NULL, t->dst);
		f->orig_flags |= CTNL_FILTER_F_IP_DST;
	}
	if (CTC_HAS(t, CTC_A_REPL_SRC)) {
		put_ip(&f->reply, fam, t->rsrc, NULL);
		f->reply_flags |= CTNL_FILTER_F_IP_SRC;
	}
	if (CTC_HAS(t, CTC_A_REPL_DST)) {
		put_ip(&f->reply, fam, NULL, t->rdst);
		f->reply_flags |= CTNL_FILTER_F_IP_DST;
	}
proto:
	if (CTC_HAS(t, CTC_A_ORIG_L4)) {
		f->orig.proto.num = t->l4;
		f->orig_flags |= CTNL_FILTER_F_PROTO_NUM;
		if (t->l4 == 6 || t->l4 == 17) {
			if (CTC_HAS(t, CTC_A_ORIG_SPORT))
				f->orig.proto.src_port = t->sport, f->orig_flags |= CTNL_FILTER_F_SRC_PORT;
			if (CTC_HAS(t, CTC_A_ORIG_DPORT))
				f->orig.proto.dst_port = t->dport, f->orig_flags |= CTNL_FILTER_F_DST_PORT;
		}
		if (t->l4 == 1) {
			if (CTC_HAS(t, CTC_A_ICMP_TYPE))
				f->orig.proto.icmp_type = t->icmp_type, f->orig_flags |= CTNL_FILTER_F_ICMP_TYPE;
			if (CTC_HAS(t, CTC_A_ICMP_CODE))
				f->orig.proto.icmp_code = t->icmp_code, f->orig_flags |= CTNL_FILTER_F_ICMP_CODE;
			if (CTC_HAS(t, CTC_A_ICMP_ID))
				f->orig.proto.icmp_id = t->icmp_id, f->orig_flags |= CTNL_FILTER_F_ICMP_ID;
		}
		if (t->l4 == 58) {
			if (CTC_HAS(t, CTC_A_ICMP_TYPE))
				f->orig.proto.icmpv6_type = t->icmp_type, f->orig_flags |= CTNL_FILTER_F_ICMPV6_TYPE;
			if (CTC_HAS(t, CTC_A_ICMP_CODE))
				f->orig.proto.icmpv6_code = t->icmp_code, f->orig_flags |= CTNL_FILTER_F_ICMPV6_CODE;
			if (CTC_HAS(t, CTC_A_ICMP_ID))
				f->orig.proto.icmpv6_id = t->icmp_id, f->orig_flags |= CTNL_FILTER_F_ICMPV6_ID;
		}
	}
	if (CTC_HAS(t, CTC_A_REPL_L4) && (t->rl4 == 6 || t->rl4 == 17)) {
		f->reply.proto.num = t->rl4;
		f->reply_flags |= CTNL_FILTER_F_PROTO_NUM;
		if (CTC_HAS(t, CTC_A_REPL_SPORT))
			f->reply.proto.src_port = t->rsport, f->reply_flags |= CTNL_FILTER_F_SRC_PORT;
		if (CTC_HAS(t, CTC_A_REPL_DPORT))
			f->reply.proto.dst_port = t->rdport, f->reply_flags |= CTNL_FILTER_F_DST_PORT;
	}
}

static void be(uint8_t *out, uint32_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

static size_t add(struct ctnl_bpf_match *m, size_t n, size_t cap, int type, uint32_t v, const uint8_t *bytes,
		  const uint8_t *mask)
{
	const struct ctnl_bpf_type_info *ti = ctnl_bpf_type_info((unsigned)type);

	if (n >= cap || !ti)
		return n;
	memset(&m[n], 0, sizeof(m[n]));
	m[n].type = (uint16_t)type;
	m[n].len = ti->size;
	if (bytes)
		memcpy(m[n].value, bytes, ti->size);
	else
		be(m[n].value, v, ti->size);
	if (mask) {
		memcpy(m[n].mask, mask, ti->size);
		m[n].mask_len = ti->size;
	}
	return n + 1;
}

size_t ctc_event_filter(const struct ctc_req *r, struct ctnl_bpf_match *m, size_t cap)
{
	const struct ctc_obj *t = &r->ct;
	int v6 = r->family == AF_INET6;
	size_t n = 0;

	if (r->family == AF_INET || r->family == AF_INET6)
		n = add(m, n, cap, CTNL_BPF_FAMILY, (uint32_t)r->family, NULL, NULL);
	if (r->family == AF_INET || r->family == AF_INET6) {
		if (CTC_HAS(t, CTC_A_ORIG_SRC))
			n = add(m, n, cap, v6 ? CTNL_BPF_ORIG_V6_SRC : CTNL_BPF_ORIG_V4_SRC, 0, t->src, NULL);
		else if (r->options & CTC_BIT(CTC_F_MASK_SRC))
			n = add(m, n, cap, v6 ? CTNL_BPF_ORIG_V6_SRC : CTNL_BPF_ORIG_V4_SRC, 0, r->net_src, r->net_src_mask);
		if (CTC_HAS(t, CTC_A_ORIG_DST))
			n = add(m, n, cap, v6 ? CTNL_BPF_ORIG_V6_DST : CTNL_BPF_ORIG_V4_DST, 0, t->dst, NULL);
		else if (r->options & CTC_BIT(CTC_F_MASK_DST))
			n = add(m, n, cap, v6 ? CTNL_BPF_ORIG_V6_DST : CTNL_BPF_ORIG_V4_DST, 0, r->net_dst, r->net_dst_mask);
		if (CTC_HAS(t, CTC_A_REPL_SRC))
			n = add(m, n, cap, v6 ? CTNL_BPF_REPLY_V6_SRC : CTNL_BPF_REPLY_V4_SRC, 0, t->rsrc, NULL);
		if (CTC_HAS(t, CTC_A_REPL_DST))
			n = add(m, n, cap, v6 ? CTNL_BPF_REPLY_V6_DST : CTNL_BPF_REPLY_V4_DST, 0, t->rdst, NULL);
	}
	if (CTC_HAS(t, CTC_A_ORIG_L4)) {
		int ports = t->l4 == 6 || t->l4 == 17 || t->l4 == 136 || t->l4 == 33 || t->l4 == 132;

		n = add(m, n, cap, CTNL_BPF_ORIG_L4PROTO, t->l4, NULL, NULL);
		if (ports && CTC_HAS(t, CTC_A_ORIG_SPORT))
			n = add(m, n, cap, CTNL_BPF_ORIG_PORT_SRC, t->sport, NULL, NULL);
		if (ports && CTC_HAS(t, CTC_A_ORIG_DPORT))
			n = add(m, n, cap, CTNL_BPF_ORIG_PORT_DST, t->dport, NULL, NULL);
		if (t->l4 == 1 || t->l4 == 58) {
			int six = t->l4 == 58;

			if (CTC_HAS(t, CTC_A_ICMP_TYPE))
				n = add(m, n, cap, six ? CTNL_BPF_ICMPV6_TYPE : CTNL_BPF_ICMP_TYPE, t->icmp_type, NULL, NULL);
			if (CTC_HAS(t, CTC_A_ICMP_CODE))
				n = add(m, n, cap, six ? CTNL_BPF_ICMPV6_CODE : CTNL_BPF_ICMP_CODE, t->icmp_code, NULL, NULL);
			if (CTC_HAS(t, CTC_A_ICMP_ID))
				n = add(m, n, cap, six ? CTNL_BPF_ICMPV6_ID : CTNL_BPF_ICMP_ID, t->icmp_id, NULL, NULL);
		}
		if (ports && CTC_HAS(t, CTC_A_REPL_SPORT))
			n = add(m, n, cap, CTNL_BPF_REPLY_PORT_SRC, t->rsport, NULL, NULL);
		if (ports && CTC_HAS(t, CTC_A_REPL_DPORT))
			n = add(m, n, cap, CTNL_BPF_REPLY_PORT_DST, t->rdport, NULL, NULL);
		if (t->l4 == 6 && CTC_HAS(t, CTC_A_TCP_STATE))
			n = add(m, n, cap, CTNL_BPF_TCP_STATE, t->state, NULL, NULL);
	}
	if (r->options & CTC_BIT(CTC_F_MARK)) {
		uint8_t v[4], mk[4];

		be(v, r->mark_value, 4);
		be(mk, r->mark_mask, 4);
		n = add(m, n, cap, CTNL_BPF_MARK, 0, v, mk);
	}
	if (CTC_HAS(t, CTC_A_ZONE))
		n = add(m, n, cap, CTNL_BPF_ZONE, t->zone, NULL, NULL);
	return n;
}
