/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers of the filter tests: a deterministic generator of conntrack
 * messages and of filters over the same small pools of values (so that
 * matches are frequent), and shorthands for building entries.
 */
#ifndef CTNL_TESTS_BPFTEST_H
#define CTNL_TESTS_BPFTEST_H

#include <stdint.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/bpf.h>
#include <ctnl/ct.h>

struct rng {
	uint64_t s;
};

static inline uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

static inline unsigned rndn(struct rng *r, unsigned n)
{
	return n ? rnd(r) % n : 0;
}

static inline int chance(struct rng *r, unsigned percent)
{
	return rndn(r, 100) < percent;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t pool_v4[][4] = {
	{ 10, 0, 0, 1 }, { 10, 0, 0, 2 }, { 192, 168, 1, 5 }, { 127, 0, 0, 1 }, { 10, 0, 1, 1 },
};
/* alternatives that differ in word 0, 1, 3 only, and the loopback */
static const uint8_t pool_v6[][16] = {
	{ 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a },
	{ 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b },
	{ 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b },
	{ 0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x0a },
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
};
static const uint16_t pool_port[] = { 22, 53, 80, 443, 0x1400, 1024, 7 }; /* 7: also a zone */
static const uint32_t pool_mark[] = { 0, 0x40, 0x4f, 0x10000040, 7 };
static const uint16_t pool_zone[] = { 0, 3, 7 };
static const uint8_t pool_proto[] = { 6, 17, 1, 58, 132 };

static inline void fill_tuple(struct rng *r, struct ctnl_ct_tuple *t, uint8_t family, uint8_t proto, int reply)
{
	memset(t, 0, sizeof(*t));
	if (!chance(r, 5)) {
		t->present |= 1u << CTA_TUPLE_IP;
		if (family == 10) {
			memcpy(t->ip.v6_src, pool_v6[rndn(r, NELEM(pool_v6))], 16);
			memcpy(t->ip.v6_dst, pool_v6[rndn(r, NELEM(pool_v6))], 16);
			t->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
		} else {
			memcpy(t->ip.v4_src, pool_v4[rndn(r, NELEM(pool_v4))], 4);
			memcpy(t->ip.v4_dst, pool_v4[rndn(r, NELEM(pool_v4))], 4);
			t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		}
		if (chance(r, 5))
			t->ip.present &= ~(1u << (rndn(r, 4) + 1)); /* one address missing (or none) */
	}
	if (!chance(r, 5)) {
		struct ctnl_ct_proto *p = &t->proto;

		t->present |= 1u << CTA_TUPLE_PROTO;
		p->num = proto;
		p->present = 1u << CTA_PROTO_NUM;
		if (proto == 1) {
			p->icmp_type = reply ? 0 : (uint8_t)(chance(r, 50) ? 8 : rndn(r, 4));
			p->icmp_code = (uint8_t)rndn(r, 2);
			p->icmp_id = pool_port[rndn(r, NELEM(pool_port))];
			p->present |= 1u << CTA_PROTO_ICMP_TYPE | 1u << CTA_PROTO_ICMP_CODE | 1u << CTA_PROTO_ICMP_ID;
		} else if (proto == 58) {
			p->icmpv6_type = reply ? 129 : (uint8_t)(chance(r, 50) ? 128 : rndn(r, 4));
			p->icmpv6_code = (uint8_t)rndn(r, 2);
			p->icmpv6_id = pool_port[rndn(r, NELEM(pool_port))];
			p->present |= 1u << CTA_PROTO_ICMPV6_TYPE | 1u << CTA_PROTO_ICMPV6_CODE | 1u << CTA_PROTO_ICMPV6_ID;
		} else {
			p->src_port = pool_port[rndn(r, NELEM(pool_port))];
			p->dst_port = pool_port[rndn(r, NELEM(pool_port))];
			p->present |= 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		}
		if (chance(r, 5))
			p->present &= ~(1u << (rndn(r, 9) + 1));
	}
	if (chance(r, 10)) {
		t->zone = pool_zone[rndn(r, NELEM(pool_zone))];
		t->present |= 1u << CTA_TUPLE_ZONE;
	}
}

/* A random conntrack message: an event (NEW, UPDATE, DESTROY) most of
 * the time, sometimes a dump entry, a GET or another subsystem. */
static inline void gen_msg(struct rng *r, struct ctnl_ct_msg *m)
{
	struct ctnl_ct *ct = &m->ct;
	unsigned kind = rndn(r, 20);
	uint8_t family = chance(r, 50) ? 2 : 10;
	uint8_t proto = pool_proto[rndn(r, NELEM(pool_proto))];

	ctnl_ct_init(m);
	if (chance(r, 3))
		family = (uint8_t)rndn(r, 12);
	if (family == 2 && proto == 58)
		proto = 1;
	if (family == 10 && proto == 1)
		proto = 58;
	m->hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	if (kind < 6) {
		m->hdr.flags = 0x600;                    /* NEW event */
	} else if (kind < 12) {
		m->hdr.flags = 0;                        /* UPDATE event */
	} else if (kind < 17) {
		m->hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE; /* DESTROY */
	} else if (kind == 17) {
		m->hdr.flags = 0x22;                     /* dump entry: MULTI | DUMP_FILTERED */
		m->hdr.seq = rnd(r);
	} else if (kind == 18) {
		m->hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_CTRZERO;
	} else {
		m->hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_CT_NEW; /* decodes, but not ours */
		m->hdr.flags = 0x600;
	}
	m->hdr.family = family;
	if (!chance(r, 3)) {
		fill_tuple(r, &ct->orig, family, proto, 0);
		ct->present |= 1u << CTA_TUPLE_ORIG;
	}
	if (!chance(r, 5)) {
		fill_tuple(r, &ct->reply, family, proto, 1);
		ct->present |= 1u << CTA_TUPLE_REPLY;
	}
	if (!chance(r, 5)) {
		ct->status = rnd(r) & 0x3f;
		ct->present |= 1u << CTA_STATUS;
	}
	if (chance(r, 60)) {
		ct->mark = pool_mark[rndn(r, NELEM(pool_mark))];
		ct->present |= 1u << CTA_MARK;
	}
	if (chance(r, 30)) {
		ct->zone = pool_zone[rndn(r, NELEM(pool_zone))];
		ct->present |= 1u << CTA_ZONE;
	}
	if (chance(r, 70)) {
		ct->timeout = rnd(r) % 500;
		ct->present |= 1u << CTA_TIMEOUT;
	}
	if (chance(r, 70)) {
		ct->id = rnd(r);
		ct->present |= 1u << CTA_ID;
	}
	if (proto == 6 && chance(r, 70)) {
		ct->protoinfo.tcp.state = (uint8_t)rndn(r, 10);
		ct->protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
		if (chance(r, 50)) {
			ct->protoinfo.tcp.wscale_orig = 7;
			ct->protoinfo.tcp.present |= 1u << CTA_PROTOINFO_TCP_WSCALE_ORIGINAL;
		}
		ct->protoinfo.present = 1u << CTA_PROTOINFO_TCP;
		ct->present |= 1u << CTA_PROTOINFO;
	} else if (proto == 132 && chance(r, 70)) {
		/* an SCTP state is type 1 in its own nest: must not pass for TCP's */
		ct->protoinfo.sctp.state = (uint8_t)rndn(r, 10);
		ct->protoinfo.sctp.present = 1u << CTA_PROTOINFO_SCTP_STATE;
		ct->protoinfo.present = 1u << CTA_PROTOINFO_SCTP;
		ct->present |= 1u << CTA_PROTOINFO;
	}
	if (chance(r, 30)) {
		ct->counters_orig.packets = rnd(r);
		ct->counters_orig.bytes = rnd(r);
		ct->counters_orig.present = 1u << CTA_COUNTERS_PACKETS | 1u << CTA_COUNTERS_BYTES;
		ct->present |= 1u << CTA_COUNTERS_ORIG;
	}
	if (chance(r, 30)) {
		ct->use = 1;
		ct->present |= 1u << CTA_USE;
	}
	if (chance(r, 40)) {
		ct->timestamp_event = (uint64_t)rnd(r) << 20;
		ct->present |= 1u << CTNL_CTA_TIMESTAMP_EVENT;
	}
	/* sometimes an unusual order of the top-level attributes */
	if (chance(r, 30)) {
		uint8_t n = 0;

		for (unsigned t = 1; t <= CTNL_CTA_MAX; t++)
			if ((ct->present >> t) & 1u)
				m->order[n++] = (uint8_t)t;
		for (unsigned i = n; i > 1; i--) {
			unsigned j = rndn(r, i);
			uint8_t x = m->order[i - 1];

			m->order[i - 1] = m->order[j];
			m->order[j] = x;
		}
		m->norder = n;
	}
}

static inline void put_be(uint8_t *p, uint32_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

/* An entry with an integer value (1, 2 or 4 bytes, as the type says). */
static inline struct ctnl_bpf_match mk(unsigned type, int negate, uint32_t value)
{
	struct ctnl_bpf_match e;
	const struct ctnl_bpf_type_info *ti = ctnl_bpf_type_info(type);

	memset(&e, 0, sizeof(e));
	e.type = (uint16_t)type;
	e.negate = (uint8_t)negate;
	e.len = ti ? ti->size : 4;
	put_be(e.value, value, e.len > 4 ? 4 : e.len);
	return e;
}

static inline struct ctnl_bpf_match mk_masked(unsigned type, int negate, uint32_t value, uint32_t mask)
{
	struct ctnl_bpf_match e = mk(type, negate, value);

	e.mask_len = e.len;
	put_be(e.mask, mask, e.len);
	return e;
}

/* An address entry with a prefix length (-1: no mask). */
static inline struct ctnl_bpf_match mk_addr(unsigned type, int negate, const uint8_t *addr, int prefix)
{
	struct ctnl_bpf_match e;
	const struct ctnl_bpf_type_info *ti = ctnl_bpf_type_info(type);

	memset(&e, 0, sizeof(e));
	e.type = (uint16_t)type;
	e.negate = (uint8_t)negate;
	e.len = ti->size;
	memcpy(e.value, addr, e.len);
	if (prefix >= 0) {
		e.mask_len = e.len;
		for (int b = 0; b < prefix && b < 8 * e.len; b++)
			e.mask[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	}
	return e;
}

/* A random entry of a given type, drawn from the message pools. */
static inline struct ctnl_bpf_match gen_entry(struct rng *r, unsigned type, int negate)
{
	switch (type) {
	case CTNL_BPF_FAMILY: return mk(type, negate, chance(r, 50) ? 2 : 10);
	case CTNL_BPF_MSG_TYPE: return mk(type, negate, 1 + rndn(r, 3));
	case CTNL_BPF_ORIG_L4PROTO:
	case CTNL_BPF_REPLY_L4PROTO: return mk(type, negate, pool_proto[rndn(r, NELEM(pool_proto))]);
	case CTNL_BPF_ORIG_V4_SRC: case CTNL_BPF_ORIG_V4_DST:
	case CTNL_BPF_REPLY_V4_SRC: case CTNL_BPF_REPLY_V4_DST: {
		static const int prefixes[] = { -1, 32, 24, 16, 8, 0, 31 };

		return mk_addr(type, negate, pool_v4[rndn(r, NELEM(pool_v4))], prefixes[rndn(r, NELEM(prefixes))]);
	}
	case CTNL_BPF_ORIG_V6_SRC: case CTNL_BPF_ORIG_V6_DST:
	case CTNL_BPF_REPLY_V6_SRC: case CTNL_BPF_REPLY_V6_DST: {
		static const int prefixes[] = { -1, 128, 64, 48, 8, 0, 120, 100 };

		return mk_addr(type, negate, pool_v6[rndn(r, NELEM(pool_v6))], prefixes[rndn(r, NELEM(prefixes))]);
	}
	case CTNL_BPF_ORIG_PORT_SRC: case CTNL_BPF_ORIG_PORT_DST:
	case CTNL_BPF_REPLY_PORT_SRC: case CTNL_BPF_REPLY_PORT_DST:
	case CTNL_BPF_ICMP_ID: case CTNL_BPF_ICMPV6_ID:
		return mk(type, negate, pool_port[rndn(r, NELEM(pool_port))]);
	case CTNL_BPF_ICMP_TYPE: return mk(type, negate, chance(r, 50) ? 8 : rndn(r, 4));
	case CTNL_BPF_ICMPV6_TYPE: return mk(type, negate, chance(r, 50) ? 128 : 129);
	case CTNL_BPF_ICMP_CODE: case CTNL_BPF_ICMPV6_CODE: return mk(type, negate, rndn(r, 2));
	case CTNL_BPF_TCP_STATE: return mk(type, negate, rndn(r, 10));
	case CTNL_BPF_MARK:
		if (chance(r, 50))
			return mk(type, negate, pool_mark[rndn(r, NELEM(pool_mark))]);
		return mk_masked(type, negate, pool_mark[rndn(r, NELEM(pool_mark))], chance(r, 50) ? 0xf0 : 0xffff);
	case CTNL_BPF_STATUS: {
		uint32_t bit = 1u << rndn(r, 6);

		return chance(r, 70) ? mk_masked(type, negate, chance(r, 50) ? bit : 0, bit) : mk(type, negate, rnd(r) & 0x3f);
	}
	default: /* CTNL_BPF_ZONE */
		return mk(type, negate, pool_zone[rndn(r, NELEM(pool_zone))]);
	}
}

/* A random filter of 1 to 4 types; @big: one type gets hundreds of entries. */
static inline size_t gen_filter(struct rng *r, struct ctnl_bpf_match *out, size_t cap, int big)
{
	size_t n = 0;
	unsigned ngroups = 1 + rndn(r, 4);

	for (unsigned g = 0; g < ngroups; g++) {
		unsigned type = rndn(r, CTNL_BPF_TYPE_MAX);
		int negate = chance(r, 35);
		unsigned k = 1 + rndn(r, 4);

		/* a type already used keeps its negation */
		for (size_t i = 0; i < n; i++)
			if (out[i].type == type) {
				negate = out[i].negate;
				break;
			}
		if (big && g == 0)
			k = 150 + rndn(r, 350);
		for (unsigned i = 0; i < k && n < cap; i++)
			out[n++] = gen_entry(r, type, negate);
	}
	return n;
}

#endif
