/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Expectations as text: the line conntrack(8) 1.4.7 prints (through
 * libnetfilter_conntrack 1.0.9's expectation printer), and JSON
 * (docs/expect-stats.md).
 *
 * The line reproduces what the library does with its intermediate
 * object, habits included:
 *
 *  - every tuple lives in a struct with unions: an IPv6 address
 *    overwrites an IPv4 one, ICMP type/code overlay the destination port,
 *    the ICMP id the source port (as for conntrack entries);
 *  - a tuple prints its addresses when its layer-3 number is the family,
 *    and the parser sets that number crosswise: the expected tuple's when
 *    CTA_EXPECT_MASTER came, the mask's when CTA_EXPECT_TUPLE came, the
 *    master's when CTA_EXPECT_MASK came;
 *  - "proto=" is the expected tuple's protocol number (0 when absent),
 *    and each tuple prints ports, keys or ICMP fields by its own number;
 *  - the flags print from a zeroed field when CTA_EXPECT_FLAGS is absent,
 *    a blank follows the flag words whenever the value is not 0 (also for
 *    bits without a name), and the helper name keeps 15 bytes;
 *  - the last blank of the line is dropped.
 */
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/exp.h>

#include "fmt.h"

struct tv {
	uint8_t src[16], dst[16];
	uint16_t l4src, l4dst;             /* as the wire's two bytes, read big-endian */
	uint8_t protonum;
};

/* t NULL: the tuple was not sent (all zero, as in the library's object). */
static void tview(const struct ctnl_ct_tuple *t, struct tv *v)
{
	const struct ctnl_ct_ip *ip;
	const struct ctnl_ct_proto *p;

	memset(v, 0, sizeof(*v));
	if (!t)
		return;
	ip = &t->ip;
	p = &t->proto;
	if (ctnl_has(t, CTA_TUPLE_IP)) {
		if (ctnl_has(ip, CTA_IP_V4_SRC))
			memcpy(v->src, ip->v4_src, 4);
		if (ctnl_has(ip, CTA_IP_V4_DST))
			memcpy(v->dst, ip->v4_dst, 4);
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			memcpy(v->src, ip->v6_src, 16);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			memcpy(v->dst, ip->v6_dst, 16);
	}
	if (!ctnl_has(t, CTA_TUPLE_PROTO))
		return;
	if (ctnl_has(p, CTA_PROTO_NUM))
		v->protonum = p->num;
	if (ctnl_has(p, CTA_PROTO_SRC_PORT))
		v->l4src = p->src_port;
	if (ctnl_has(p, CTA_PROTO_DST_PORT))
		v->l4dst = p->dst_port;
	if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
		v->l4dst = (uint16_t)((v->l4dst & 0x00ff) | p->icmp_type << 8);
	if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
		v->l4dst = (uint16_t)((v->l4dst & 0xff00) | p->icmp_code);
	if (ctnl_has(p, CTA_PROTO_ICMP_ID))
		v->l4src = p->icmp_id;
	if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
		v->l4dst = (uint16_t)((v->l4dst & 0x00ff) | p->icmpv6_type << 8);
	if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
		v->l4dst = (uint16_t)((v->l4dst & 0xff00) | p->icmpv6_code);
	if (ctnl_has(p, CTA_PROTO_ICMPV6_ID))
		v->l4src = p->icmpv6_id;
}

static void put_addr(struct ctnl_w *w, const char *stag, const char *dtag, uint8_t l3, const struct tv *v)
{
	char tmp[48];
	size_t n;

	if (l3 != 2 && l3 != 10)
		return;
	n = l3 == 2 ? ctnl_fmt_ipv4(tmp, v->src) : ctnl_fmt_ipv6(tmp, v->src);
	ctnl_w_str(w, stag);
	ctnl_w_ch(w, '=');
	ctnl_w_mem(w, tmp, n);
	ctnl_w_ch(w, ' ');
	n = l3 == 2 ? ctnl_fmt_ipv4(tmp, v->dst) : ctnl_fmt_ipv6(tmp, v->dst);
	ctnl_w_str(w, dtag);
	ctnl_w_ch(w, '=');
	ctnl_w_mem(w, tmp, n);
	ctnl_w_ch(w, ' ');
}

static void put_l4(struct ctnl_w *w, const struct tv *v)
{
	switch (v->protonum) {
	case 6: case 17: case 136: case 132: case 33:
		ctnl_w_lit(w, "sport=");
		ctnl_w_u32(w, v->l4src);
		ctnl_w_lit(w, " dport=");
		ctnl_w_u32(w, v->l4dst);
		ctnl_w_ch(w, ' ');
		break;
	case 47:
		ctnl_w_lit(w, "srckey=0x");
		ctnl_w_hex(w, v->l4src);
		ctnl_w_lit(w, " dstkey=0x");
		ctnl_w_hex(w, v->l4dst);
		ctnl_w_ch(w, ' ');
		break;
	case 1: case 58:
		ctnl_w_lit(w, "type=");
		ctnl_w_u32(w, v->l4dst >> 8);
		ctnl_w_lit(w, " code=");
		ctnl_w_u32(w, v->l4dst & 0xff);
		ctnl_w_lit(w, " id=");
		ctnl_w_u32(w, v->l4src);
		ctnl_w_ch(w, ' ');
		break;
	default:
		break;
	}
}

/* 1 NEW, 2 UPDATE, 3 DESTROY, as libnetfilter_conntrack reads an
 * expectation message's type (any of CREATE or EXCL makes a NEW). */
static int exp_event_kind(const struct ctnl_msg *h)
{
	switch (h->type & 0xff) {
	case IPCTNL_MSG_EXP_NEW:
		return (h->flags & (NLM_F_CREATE | NLM_F_EXCL)) ? 1 : 2;
	case IPCTNL_MSG_EXP_DELETE:
		return 3;
	default:
		return 0;
	}
}

int ctnl_exp_snprintf(char *buf, size_t len, const struct ctnl_exp_msg *m, const struct ctnl_render_opts *o)
{
	const struct ctnl_exp *e = &m->exp;
	uint8_t fam = m->hdr.family;
	struct ctnl_w w;
	struct tv exp, mask, master;
	const char *delim = "";

	ctnl_w_init(&w, buf, len);
	if (o && (o->flags & CTNL_OUT_EVENT)) {
		switch (exp_event_kind(&m->hdr)) {
		case 1: ctnl_w_lit(&w, "    [NEW] "); break;
		case 2: ctnl_w_lit(&w, " [UPDATE] "); break;
		case 3: ctnl_w_lit(&w, "[DESTROY] "); break;
		default: break;
		}
	}
	tview(ctnl_has(e, CTA_EXPECT_TUPLE) ? &e->tuple : NULL, &exp);
	tview(ctnl_has(e, CTA_EXPECT_MASK) ? &e->mask : NULL, &mask);
	tview(ctnl_has(e, CTA_EXPECT_MASTER) ? &e->master : NULL, &master);

	if (ctnl_has(e, CTA_EXPECT_TIMEOUT)) {
		ctnl_w_u32(&w, e->timeout);
		ctnl_w_ch(&w, ' ');
	}
	ctnl_w_lit(&w, "proto=");
	ctnl_w_u32(&w, exp.protonum);
	ctnl_w_ch(&w, ' ');

	put_addr(&w, "src", "dst", ctnl_has(e, CTA_EXPECT_MASTER) ? fam : 0, &exp);
	put_l4(&w, &exp);
	put_addr(&w, "mask-src", "mask-dst", ctnl_has(e, CTA_EXPECT_TUPLE) ? fam : 0, &mask);
	put_l4(&w, &mask);
	put_addr(&w, "master-src", "master-dst", ctnl_has(e, CTA_EXPECT_MASK) ? fam : 0, &master);
	put_l4(&w, &master);

	if (ctnl_has(e, CTA_EXPECT_ZONE)) {
		ctnl_w_lit(&w, "zone=");
		ctnl_w_u32(&w, e->zone);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(e, CTA_EXPECT_FLAGS) && e->flags) {
		if (e->flags & CTNL_EXP_F_PERMANENT) {
			ctnl_w_lit(&w, "PERMANENT");
			delim = ",";
		}
		if (e->flags & CTNL_EXP_F_INACTIVE) {
			ctnl_w_str(&w, delim);
			ctnl_w_lit(&w, "INACTIVE");
			delim = ",";
		}
		if (e->flags & CTNL_EXP_F_USERSPACE) {
			ctnl_w_str(&w, delim);
			ctnl_w_lit(&w, "USERSPACE");
		}
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(e, CTA_EXPECT_CLASS)) {
		ctnl_w_lit(&w, "class=");
		ctnl_w_u32(&w, e->exp_class);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(e, CTA_EXPECT_HELP_NAME)) {
		ctnl_w_lit(&w, "helper=");
		ctnl_w_mem(&w, e->helper.ptr, e->helper.len < 15 ? e->helper.len : 15);
	}
	/* the last blank: every field ends in one except the helper name */
	if (!ctnl_has(e, CTA_EXPECT_HELP_NAME) ||
	    (e->helper.len && e->helper.ptr[(e->helper.len < 15 ? e->helper.len : 15) - 1] == ' '))
		ctnl_w_unput(&w);
	return ctnl_w_end(&w);
}

/* ---- JSON ---- */

struct jw {
	struct ctnl_w w;
	int first;
};

static void jkey(struct jw *j, const char *k)
{
	if (!j->first)
		ctnl_w_ch(&j->w, ',');
	j->first = 0;
	ctnl_w_ch(&j->w, '"');
	ctnl_w_str(&j->w, k);
	ctnl_w_lit(&j->w, "\":");
}

static void jopen(struct jw *j, char c)
{
	ctnl_w_ch(&j->w, c);
	j->first = 1;
}

static void jclose(struct jw *j, char c)
{
	ctnl_w_ch(&j->w, c);
	j->first = 0;
}

static void ju(struct jw *j, const char *k, uint64_t v)
{
	jkey(j, k);
	ctnl_w_u64(&j->w, v);
}

static void js(struct jw *j, const char *k, const char *s)
{
	jkey(j, k);
	ctnl_w_json_cstr(&j->w, s);
}

static void jip(struct jw *j, const char *k, const uint8_t *a, int v6)
{
	char tmp[48];
	size_t n = v6 ? ctnl_fmt_ipv6(tmp, a) : ctnl_fmt_ipv4(tmp, a);

	jkey(j, k);
	ctnl_w_ch(&j->w, '"');
	ctnl_w_mem(&j->w, tmp, n);
	ctnl_w_ch(&j->w, '"');
}

/* The tuple object of docs/json.md, as a value of key k. */
static void jtuple(struct jw *j, const char *k, const struct ctnl_ct_tuple *t)
{
	const struct ctnl_ct_ip *ip = &t->ip;
	const struct ctnl_ct_proto *p = &t->proto;

	jkey(j, k);
	jopen(j, '{');
	if (ctnl_has(t, CTA_TUPLE_IP)) {
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			jip(j, "src", ip->v6_src, 1);
		else if (ctnl_has(ip, CTA_IP_V4_SRC))
			jip(j, "src", ip->v4_src, 0);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			jip(j, "dst", ip->v6_dst, 1);
		else if (ctnl_has(ip, CTA_IP_V4_DST))
			jip(j, "dst", ip->v4_dst, 0);
	}
	if (ctnl_has(t, CTA_TUPLE_PROTO)) {
		int gre = ctnl_has(p, CTA_PROTO_NUM) && p->num == 47;

		if (ctnl_has(p, CTA_PROTO_NUM)) {
			const char *n = ctnl_r_proto_name(p->num);

			js(j, "proto", n ? n : "unknown");
			ju(j, "proto_num", p->num);
		}
		if (ctnl_has(p, CTA_PROTO_SRC_PORT))
			ju(j, gre ? "srckey" : "sport", p->src_port);
		if (ctnl_has(p, CTA_PROTO_DST_PORT))
			ju(j, gre ? "dstkey" : "dport", p->dst_port);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
			ju(j, "type", p->icmpv6_type);
		else if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
			ju(j, "type", p->icmp_type);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
			ju(j, "code", p->icmpv6_code);
		else if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
			ju(j, "code", p->icmp_code);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_ID))
			ju(j, "id", p->icmpv6_id);
		else if (ctnl_has(p, CTA_PROTO_ICMP_ID))
			ju(j, "id", p->icmp_id);
	}
	if (ctnl_has(t, CTA_TUPLE_ZONE))
		ju(j, "zone", t->zone);
	jclose(j, '}');
}

int ctnl_exp_json(char *buf, size_t len, const struct ctnl_exp_msg *m, const struct ctnl_render_opts *o)
{
	static const char *const flag_names[3] = { "PERMANENT", "INACTIVE", "USERSPACE" };
	const struct ctnl_exp *e = &m->exp;
	struct jw jw, *j = &jw;
	int kind = 0;

	ctnl_w_init(&j->w, buf, len);
	jopen(j, '{');
	if ((o && (o->flags & CTNL_OUT_EVENT)) ||
	    (!(m->hdr.flags & NLM_F_MULTI) && !(m->hdr.flags & NLM_F_REQUEST)))
		kind = exp_event_kind(&m->hdr);
	if (!kind && (m->hdr.flags & NLM_F_REQUEST))
		js(j, "type", "request");
	else
		js(j, "type", kind == 1 ? "new" : kind == 2 ? "update" : kind == 3 ? "destroy" : "entry");
	js(j, "object", "expect");
	if (kind && m->hdr.pid)
		ju(j, "portid", m->hdr.pid);
	{
		const char *f = ctnl_r_family_name(m->hdr.family);

		js(j, "family", f ? f : "unknown");
		ju(j, "family_num", m->hdr.family);
	}
	if (ctnl_has(e, CTA_EXPECT_TUPLE) && ctnl_has(&e->tuple, CTA_TUPLE_PROTO) &&
	    ctnl_has(&e->tuple.proto, CTA_PROTO_NUM)) {
		const char *n = ctnl_r_proto_name(e->tuple.proto.num);

		js(j, "proto", n ? n : "unknown");
		ju(j, "proto_num", e->tuple.proto.num);
	}
	if (ctnl_has(e, CTA_EXPECT_TIMEOUT))
		ju(j, "timeout", e->timeout);
	if (ctnl_has(e, CTA_EXPECT_TUPLE))
		jtuple(j, "tuple", &e->tuple);
	if (ctnl_has(e, CTA_EXPECT_MASK))
		jtuple(j, "mask", &e->mask);
	if (ctnl_has(e, CTA_EXPECT_MASTER))
		jtuple(j, "master", &e->master);
	if (ctnl_has(e, CTA_EXPECT_NAT)) {
		jkey(j, "nat");
		jopen(j, '{');
		if (ctnl_has(&e->nat, CTA_EXPECT_NAT_DIR)) {
			ju(j, "dir", e->nat.dir);
			js(j, "dir_name", e->nat.dir == 0 ? "orig" : e->nat.dir == 1 ? "reply" : "unknown");
		}
		if (ctnl_has(&e->nat, CTA_EXPECT_NAT_TUPLE))
			jtuple(j, "tuple", &e->nat.tuple);
		jclose(j, '}');
	}
	if (ctnl_has(e, CTA_EXPECT_ID))
		ju(j, "id", e->id);
	if (ctnl_has(e, CTA_EXPECT_FLAGS)) {
		ju(j, "flags", e->flags);
		jkey(j, "flag_names");
		jopen(j, '[');
		for (unsigned b = 0; b < 32; b++) {
			if (!(e->flags & (1u << b)))
				continue;
			if (!j->first)
				ctnl_w_ch(&j->w, ',');
			j->first = 0;
			if (b < 3) {
				ctnl_w_json_cstr(&j->w, flag_names[b]);
			} else {
				ctnl_w_lit(&j->w, "\"BIT_");
				ctnl_w_u32(&j->w, b);
				ctnl_w_ch(&j->w, '"');
			}
		}
		jclose(j, ']');
	}
	if (ctnl_has(e, CTA_EXPECT_CLASS))
		ju(j, "class", e->exp_class);
	if (ctnl_has(e, CTA_EXPECT_HELP_NAME)) {
		jkey(j, "helper");
		ctnl_w_json_str(&j->w, e->helper.ptr, e->helper.len);
	}
	if (ctnl_has(e, CTA_EXPECT_FN)) {
		jkey(j, "fn");
		ctnl_w_json_str(&j->w, e->fn.ptr, e->fn.len);
	}
	if (ctnl_has(e, CTA_EXPECT_ZONE))
		ju(j, "zone", e->zone);
	if (m->unknown.count) {
		jkey(j, "unknown");
		jopen(j, '[');
		for (unsigned i = 0; i < m->unknown.kept && i < CTNL_UNKNOWN_MAX; i++) {
			const struct ctnl_unknown *u = &m->unknown.list[i];
			char path[CTNL_MAX_DEPTH * 24 + 16];

			ctnl_unknown_path(ctnl_exp_desc(), u, path, sizeof(path));
			if (!j->first)
				ctnl_w_ch(&j->w, ',');
			j->first = 0;
			jopen(j, '{');
			js(j, "path", path);
			ju(j, "type", u->type & 0x3fffu);
			ju(j, "len", u->len);
			ju(j, "offset", u->offset);
			jclose(j, '}');
		}
		jclose(j, ']');
		if (m->unknown.count > m->unknown.kept)
			ju(j, "unknown_count", m->unknown.count);
	}
	jclose(j, '}');
	return ctnl_w_end(&j->w);
}
