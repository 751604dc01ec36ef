/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Requests made from conntrack(8)-style templates (see conntrack_build.h).
 *
 * Where conntrack 1.4.7 sends something wrong, this sends what the
 * options mean (docs/cli.md lists each case): the expected tuple's
 * protocol is the protocol, not a byte of a port; an update names the
 * entry's zone and family, so entries in other zones, and updates given
 * without an address, work.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "conntrack_build.h"

#define SETP(nest, type) ((nest)->present |= 1u << (type))

static void put_ip(struct ctnl_ct_tuple *t, int fam, const uint8_t *src, const uint8_t *dst)
{
	if (!src && !dst)
		return;
	SETP(t, CTA_TUPLE_IP);
	if (fam == AF_INET6) {
		if (src) {
			memcpy(t->ip.v6_src, src, 16);
			SETP(&t->ip, CTA_IP_V6_SRC);
		}
		if (dst) {
			memcpy(t->ip.v6_dst, dst, 16);
			SETP(&t->ip, CTA_IP_V6_DST);
		}
	} else {
		if (src) {
			memcpy(t->ip.v4_src, src, 4);
			SETP(&t->ip, CTA_IP_V4_SRC);
		}
		if (dst) {
			memcpy(t->ip.v4_dst, dst, 4);
			SETP(&t->ip, CTA_IP_V4_DST);
		}
	}
}

static void put_icmp(struct ctnl_ct_tuple *t, uint8_t num, int has_type, uint8_t type, int has_code, uint8_t code,
		     int has_id, uint16_t id)
{
	struct ctnl_ct_proto *p = &t->proto;

	if (num == 58) {
		if (has_type)
			p->icmpv6_type = type, SETP(p, CTA_PROTO_ICMPV6_TYPE);
		if (has_code)
			p->icmpv6_code = code, SETP(p, CTA_PROTO_ICMPV6_CODE);
		if (has_id)
			p->icmpv6_id = id, SETP(p, CTA_PROTO_ICMPV6_ID);
	} else {
		if (has_type)
			p->icmp_type = type, SETP(p, CTA_PROTO_ICMP_TYPE);
		if (has_code)
			p->icmp_code = code, SETP(p, CTA_PROTO_ICMP_CODE);
		if (has_id)
			p->icmp_id = id, SETP(p, CTA_PROTO_ICMP_ID);
	}
}

/* The original (repl 0) or reply tuple of a template object. */
static void obj_tuple(const struct ctc_obj *o, int repl, int fam, struct ctnl_ct_tuple *t)
{
	struct ctnl_ct_proto *p = &t->proto;

	memset(t, 0, sizeof(*t));
	if (!repl) {
		put_ip(t, fam, CTC_HAS(o, CTC_A_ORIG_SRC) ? o->src : NULL, CTC_HAS(o, CTC_A_ORIG_DST) ? o->dst : NULL);
		if (CTC_HAS(o, CTC_A_ORIG_L4)) {
			SETP(t, CTA_TUPLE_PROTO);
			p->num = o->l4, SETP(p, CTA_PROTO_NUM);
			if (o->l4 == 1 || o->l4 == 58) {
				put_icmp(t, o->l4, CTC_HAS(o, CTC_A_ICMP_TYPE), o->icmp_type, CTC_HAS(o, CTC_A_ICMP_CODE),
					 o->icmp_code, CTC_HAS(o, CTC_A_ICMP_ID), o->icmp_id);
			} else {
				if (CTC_HAS(o, CTC_A_ORIG_SPORT))
					p->src_port = o->sport, SETP(p, CTA_PROTO_SRC_PORT);
				if (CTC_HAS(o, CTC_A_ORIG_DPORT))
					p->dst_port = o->dport, SETP(p, CTA_PROTO_DST_PORT);
			}
		}
		if (CTC_HAS(o, CTC_A_ORIG_ZONE))
			t->zone = o->orig_zone, SETP(t, CTA_TUPLE_ZONE);
	} else {
		put_ip(t, fam, CTC_HAS(o, CTC_A_REPL_SRC) ? o->rsrc : NULL, CTC_HAS(o, CTC_A_REPL_DST) ? o->rdst : NULL);
		if (CTC_HAS(o, CTC_A_REPL_L4)) {
			SETP(t, CTA_TUPLE_PROTO);
			p->num = o->rl4, SETP(p, CTA_PROTO_NUM);
			if (o->rl4 == 1 || o->rl4 == 58) {
				put_icmp(t, o->rl4, CTC_HAS(o, CTC_A_ICMP_TYPE), o->icmp_type, CTC_HAS(o, CTC_A_ICMP_CODE),
					 o->icmp_code, CTC_HAS(o, CTC_A_ICMP_ID), o->icmp_id);
			} else {
				if (CTC_HAS(o, CTC_A_REPL_SPORT))
					p->src_port = o->rsport, SETP(p, CTA_PROTO_SRC_PORT);
				if (CTC_HAS(o, CTC_A_REPL_DPORT))
					p->dst_port = o->rdport, SETP(p, CTA_PROTO_DST_PORT);
			}
		}
		if (CTC_HAS(o, CTC_A_REPL_ZONE))
			t->zone = o->repl_zone, SETP(t, CTA_TUPLE_ZONE);
	}
}

/* ICMP requests and their answers, as libnetfilter_conntrack mirrors them
 * (a type without an answer mirrors to 255). */
static uint8_t icmp_answer(uint8_t proto, uint8_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 0, 8 }, { 13, 14 }, { 14, 13 }, { 15, 16 }, { 16, 15 },
					 { 17, 18 }, { 18, 17 } };
	static const uint8_t v6[][2] = { { 128, 129 }, { 129, 128 }, { 130, 131 }, { 131, 130 } };

	if (proto == 58) {
		for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
			if (v6[i][0] == type)
				return v6[i][1];
	} else {
		for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			if (v4[i][0] == type)
				return v4[i][1];
	}
	return 255;
}

/* One tuple mirrored into the other direction. */
static void mirror(const struct ctnl_ct_tuple *in, struct ctnl_ct_tuple *out)
{
	const struct ctnl_ct_proto *p = &in->proto;
	struct ctnl_ct_proto *q = &out->proto;

	memset(out, 0, sizeof(*out));
	out->present = in->present & ((1u << CTA_TUPLE_IP) | (1u << CTA_TUPLE_PROTO));
	memcpy(out->ip.v4_src, in->ip.v4_dst, 4);
	memcpy(out->ip.v4_dst, in->ip.v4_src, 4);
	memcpy(out->ip.v6_src, in->ip.v6_dst, 16);
	memcpy(out->ip.v6_dst, in->ip.v6_src, 16);
	out->ip.present = in->ip.present;
	q->num = p->num;
	q->present = p->present & (1u << CTA_PROTO_NUM);
	if (ctnl_has(p, CTA_PROTO_SRC_PORT) && ctnl_has(p, CTA_PROTO_DST_PORT)) {
		q->src_port = p->dst_port;
		q->dst_port = p->src_port;
		q->present |= (1u << CTA_PROTO_SRC_PORT) | (1u << CTA_PROTO_DST_PORT);
	}
	if (p->num == 1) {
		q->icmp_type = icmp_answer(1, p->icmp_type);
		q->icmp_code = p->icmp_code;
		q->icmp_id = p->icmp_id;
		q->present |= p->present & ((1u << CTA_PROTO_ICMP_TYPE) | (1u << CTA_PROTO_ICMP_CODE) |
					    (1u << CTA_PROTO_ICMP_ID));
	}
	if (p->num == 58) {
		q->icmpv6_type = icmp_answer(58, p->icmpv6_type);
		q->icmpv6_code = p->icmpv6_code;
		q->icmpv6_id = p->icmpv6_id;
		q->present |= p->present & ((1u << CTA_PROTO_ICMPV6_TYPE) | (1u << CTA_PROTO_ICMPV6_CODE) |
					    (1u << CTA_PROTO_ICMPV6_ID));
	}
}

static void labels_of(const struct ctc_labels *l, uint8_t *buf, struct ctnl_view *v)
{
	unsigned words = l->maxbit / 32 + 1;

	memcpy(buf, l->bits, 16);
	v->ptr = buf;
	v->len = words * 4;
}

static void protoinfo(const struct ctc_obj *o, struct ctnl_ct *ct, int with_flags)
{
	struct ctnl_ct_protoinfo *pi = &ct->protoinfo;

	if (CTC_HAS(o, CTC_A_TCP_STATE)) {
		SETP(pi, CTA_PROTOINFO_TCP);
		pi->tcp.state = o->state, SETP(&pi->tcp, CTA_PROTOINFO_TCP_STATE);
		if (with_flags && CTC_HAS(o, CTC_A_TCP_FLAGS)) {
			pi->tcp.flags_orig.flags = pi->tcp.flags_orig.mask = o->tcp_flags;
			pi->tcp.flags_reply.flags = pi->tcp.flags_reply.mask = o->tcp_flags;
			SETP(&pi->tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL);
			SETP(&pi->tcp, CTA_PROTOINFO_TCP_FLAGS_REPLY);
		}
	}
	if (CTC_HAS(o, CTC_A_SCTP_STATE) || CTC_HAS(o, CTC_A_VTAG_ORIG) || CTC_HAS(o, CTC_A_VTAG_REPL)) {
		SETP(pi, CTA_PROTOINFO_SCTP);
		if (CTC_HAS(o, CTC_A_SCTP_STATE))
			pi->sctp.state = o->state, SETP(&pi->sctp, CTA_PROTOINFO_SCTP_STATE);
		if (CTC_HAS(o, CTC_A_VTAG_ORIG))
			pi->sctp.vtag_orig = o->vtag_orig, SETP(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL);
		if (CTC_HAS(o, CTC_A_VTAG_REPL))
			pi->sctp.vtag_reply = o->vtag_repl, SETP(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_REPLY);
	}
	if (CTC_HAS(o, CTC_A_DCCP_STATE) || CTC_HAS(o, CTC_A_DCCP_ROLE)) {
		SETP(pi, CTA_PROTOINFO_DCCP);
		if (CTC_HAS(o, CTC_A_DCCP_STATE))
			pi->dccp.state = o->state, SETP(&pi->dccp, CTA_PROTOINFO_DCCP_STATE);
		if (CTC_HAS(o, CTC_A_DCCP_ROLE))
			pi->dccp.role = o->role, SETP(&pi->dccp, CTA_PROTOINFO_DCCP_ROLE);
	}
	if (pi->present)
		SETP(ct, CTA_PROTOINFO);
}

static void nat(struct ctnl_ct_nat *n, int fam, const uint8_t *a, int has_port, uint16_t port)
{
	if (fam == AF_INET6) {
		memcpy(n->v6_min, a, 16);
		memcpy(n->v6_max, a, 16);
		n->present |= (1u << CTA_NAT_V6_MINIP) | (1u << CTA_NAT_V6_MAXIP);
	} else {
		memcpy(n->v4_min, a, 4);
		memcpy(n->v4_max, a, 4);
		n->present |= (1u << CTA_NAT_V4_MINIP) | (1u << CTA_NAT_V4_MAXIP);
	}
	if (has_port) {
		n->proto.port_min = n->proto.port_max = port;
		n->proto.present |= (1u << CTA_PROTONAT_PORT_MIN) | (1u << CTA_PROTONAT_PORT_MAX);
		n->present |= 1u << CTA_NAT_PROTO;
	}
}

void ctc_build_create(const struct ctc_req *r, struct ctc_msgbuf *b)
{
	const struct ctc_obj *o = &r->ct;
	struct ctnl_ct *ct = &b->m.ct;
	int orig = !!(r->options & (CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST)));
	int repl = !!(r->options & (CTC_BIT(CTC_F_REPL_SRC) | CTC_BIT(CTC_F_REPL_DST)));

	ctnl_ct_init(&b->m);
	b->m.hdr.family = (uint8_t)r->family;
	obj_tuple(o, 0, r->family, &ct->orig);
	obj_tuple(o, 1, r->family, &ct->reply);
	if (orig && !repl) {
		struct ctnl_ct_tuple z = ct->orig;

		mirror(&z, &ct->reply);
		if (CTC_HAS(o, CTC_A_REPL_ZONE))
			ct->reply.zone = o->repl_zone, SETP(&ct->reply, CTA_TUPLE_ZONE);
	} else if (repl && !orig) {
		struct ctnl_ct_tuple z = ct->reply;

		mirror(&z, &ct->orig);
		if (CTC_HAS(o, CTC_A_ORIG_ZONE))
			ct->orig.zone = o->orig_zone, SETP(&ct->orig, CTA_TUPLE_ZONE);
	}
	if (ct->orig.present)
		SETP(ct, CTA_TUPLE_ORIG);
	if (ct->reply.present)
		SETP(ct, CTA_TUPLE_REPLY);
	if (CTC_HAS(o, CTC_A_TIMEOUT))
		ct->timeout = o->timeout, SETP(ct, CTA_TIMEOUT);
	if (CTC_HAS(o, CTC_A_STATUS))
		ct->status = o->status | IPS_CONFIRMED, SETP(ct, CTA_STATUS);
	if (r->options & CTC_BIT(CTC_F_MARK))
		ct->mark = r->mark_value, SETP(ct, CTA_MARK);
	if (CTC_HAS(o, CTC_A_ZONE))
		ct->zone = o->zone, SETP(ct, CTA_ZONE);
	if ((r->options & CTC_BIT(CTC_F_ADD_LABEL)) && r->label_modify.set) {
		labels_of(&r->label_modify, b->labels, &ct->labels);
		SETP(ct, CTA_LABELS);
	}
	protoinfo(o, ct, 1);
	if (CTC_HAS(o, CTC_A_SNAT)) {
		nat(&ct->nat_src, r->family, o->snat, CTC_HAS(o, CTC_A_SNAT_PORT), o->snat_port);
		SETP(ct, CTA_NAT_SRC);
	}
	if (CTC_HAS(o, CTC_A_DNAT)) {
		nat(&ct->nat_dst, r->family, o->dnat, CTC_HAS(o, CTC_A_DNAT_PORT), o->dnat_port);
		SETP(ct, CTA_NAT_DST);
	}
}

void ctc_build_get(const struct ctc_req *r, struct ctc_msgbuf *b)
{
	struct ctnl_ct *ct = &b->m.ct;

	ctnl_ct_init(&b->m);
	b->m.hdr.family = (uint8_t)r->family;
	obj_tuple(&r->ct, 0, r->family, &ct->orig);
	obj_tuple(&r->ct, 1, r->family, &ct->reply);
	if (r->options & (CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST)))
		SETP(ct, CTA_TUPLE_ORIG);
	else
		SETP(ct, CTA_TUPLE_REPLY);
}

static int labels_differ(const struct ctnl_view *a, const uint8_t *b, unsigned blen)
{
	unsigned n = a->len > blen ? a->len : blen;

	for (unsigned i = 0; i < n; i++) {
		uint8_t x = i < a->len ? a->ptr[i] : 0, y = i < blen ? b[i] : 0;

		if (x != y)
			return 1;
	}
	return 0;
}

int ctc_build_update(const struct ctc_req *r, const struct ctnl_ct_msg *cur, struct ctc_msgbuf *b)
{
	const struct ctc_obj *o = &r->ct;
	const struct ctnl_ct *c = &cur->ct;
	struct ctnl_ct *ct = &b->m.ct;
	int changed = 0;

	ctnl_ct_init(&b->m);
	b->m.hdr.family = cur->hdr.family;
	ct->orig = c->orig;
	SETP(ct, CTA_TUPLE_ORIG);
	if (ctnl_has(c, CTA_ZONE))
		ct->zone = c->zone, SETP(ct, CTA_ZONE);
	if (CTC_HAS(o, CTC_A_ID)) {
		ct->id = o->id, SETP(ct, CTA_ID);
		changed |= !ctnl_has(c, CTA_ID) || c->id != o->id;
	}
	if (CTC_HAS(o, CTC_A_TIMEOUT)) {
		ct->timeout = o->timeout, SETP(ct, CTA_TIMEOUT);
		changed |= !ctnl_has(c, CTA_TIMEOUT) || c->timeout != o->timeout;
	}
	if (CTC_HAS(o, CTC_A_STATUS)) {
		ct->status = c->status | o->status | IPS_CONFIRMED;
		SETP(ct, CTA_STATUS);
		changed |= (o->status & c->status) != o->status;
	}
	if (r->options & CTC_BIT(CTC_F_MARK)) {
		uint32_t old = ctnl_has(c, CTA_MARK) ? c->mark : 0;

		ct->mark = (old & ~r->mark_mask) ^ r->mark_value;
		SETP(ct, CTA_MARK);
		changed |= ct->mark != old;
	}
	if (r->options & (CTC_BIT(CTC_F_ADD_LABEL) | CTC_BIT(CTC_F_DEL_LABEL))) {
		int have = ctnl_has(c, CTA_LABELS) && c->labels.len;
		unsigned len = have ? (c->labels.len > 16 ? 16 : c->labels.len) : 0;

		memset(b->labels, 0, sizeof(b->labels));
		memset(b->labels_mask, 0, sizeof(b->labels_mask));
		if (r->options & CTC_BIT(CTC_F_ADD_LABEL)) {
			if (!have) {
				labels_of(&r->label_modify, b->labels, &ct->labels);
				SETP(ct, CTA_LABELS);
				changed = 1;
			} else {
				/* send the entry's size: bits left out would be cleared */
				for (unsigned i = 0; i < len * 8; i++)
					if ((r->label_modify.bits[i / 8] >> (i % 8)) & 1) {
						b->labels[i / 8] |= (uint8_t)(1u << (i % 8));
						b->labels_mask[i / 8] |= (uint8_t)(1u << (i % 8));
					}
				ct->labels.ptr = b->labels, ct->labels.len = len;
				ct->labels_mask.ptr = b->labels_mask, ct->labels_mask.len = len;
				SETP(ct, CTA_LABELS);
				SETP(ct, CTA_LABELS_MASK);
				changed = 1;
			}
		} else if (have) {
			memcpy(b->labels, c->labels.ptr, len);
			if (!r->label_modify.set) {
				/* every label */
				memset(b->labels, 0, len);
				changed |= labels_differ(&c->labels, b->labels, len);
			} else {
				for (unsigned i = 0; i < len * 8; i++)
					if ((r->label_modify.bits[i / 8] >> (i % 8)) & 1)
						b->labels[i / 8] &= (uint8_t)~(1u << (i % 8));
				changed = 1;
			}
			ct->labels.ptr = b->labels, ct->labels.len = len;
			SETP(ct, CTA_LABELS);
		}
	}
	protoinfo(o, ct, 1);
	if (CTC_HAS(o, CTC_A_TCP_STATE))
		changed |= !(ctnl_has(&c->protoinfo, CTA_PROTOINFO_TCP) &&
			     ctnl_has(&c->protoinfo.tcp, CTA_PROTOINFO_TCP_STATE) && c->protoinfo.tcp.state == o->state);
	if (CTC_HAS(o, CTC_A_SCTP_STATE))
		changed |= !(ctnl_has(&c->protoinfo, CTA_PROTOINFO_SCTP) && c->protoinfo.sctp.state == o->state);
	if (CTC_HAS(o, CTC_A_DCCP_STATE))
		changed |= !(ctnl_has(&c->protoinfo, CTA_PROTOINFO_DCCP) && c->protoinfo.dccp.state == o->state);
	return changed;
}

void ctc_build_exp_create(const struct ctc_req *r, struct ctnl_exp_msg *e)
{
	struct ctnl_exp *x = &e->exp;

	ctnl_exp_init(e);
	e->hdr.family = (uint8_t)r->family;
	obj_tuple(&r->ct, 0, r->family, &x->master);
	obj_tuple(&r->exptuple, 0, r->family, &x->tuple);
	obj_tuple(&r->mask, 0, r->family, &x->mask);
	x->present |= (1u << CTA_EXPECT_MASTER) | (1u << CTA_EXPECT_TUPLE) | (1u << CTA_EXPECT_MASK);
	if (CTC_HAS(&r->ct, CTC_A_TIMEOUT))
		x->timeout = r->ct.timeout, x->present |= 1u << CTA_EXPECT_TIMEOUT;
}

void ctc_build_exp_key(const struct ctc_req *r, struct ctnl_exp_msg *e)
{
	struct ctnl_exp *x = &e->exp;

	ctnl_exp_init(e);
	e->hdr.family = (uint8_t)r->family;
	obj_tuple(&r->ct, 0, r->family, &x->tuple);
	x->present |= 1u << CTA_EXPECT_TUPLE;
}
