/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the render tests: a message generator and a strict JSON checker. */
#ifndef CTNL_RTEST_H
#define CTNL_RTEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include <ctnl/ctnl.h>

static inline void set_u16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void set_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* ---- a small deterministic PRNG (xorshift64*) ---- */

static inline uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static inline unsigned rn(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd(s) % n);
}

/* 1 with probability 1/n */
static inline int one_in(uint64_t *s, unsigned n)
{
	return rn(s, n) == 0;
}

#define SET(nest, type) ((nest)->present |= 1u << (type))

/* Bytes the generated strings point into; they live for the whole run. */
struct gen_store {
	uint8_t bytes[64][128];
	unsigned next;
};

static inline struct ctnl_view gen_string(uint64_t *s, struct gen_store *st, unsigned maxlen, int wild)
{
	static const char *const words[] = { "ftp", "sip", "tftp", "irc", "h323", "pptp", "amanda", "snmp",
					     "system_u:object_r:unlabeled_t:s0", "netbios-ns", "sane" };
	uint8_t *b = st->bytes[st->next++ % 64];
	unsigned n;

	if (!wild || one_in(s, 2)) {
		const char *w = words[rn(s, sizeof(words) / sizeof(words[0]))];

		n = (unsigned)strlen(w);
		if (n > maxlen)
			n = maxlen;
		memcpy(b, w, n);
	} else {
		/* anything but NUL: quotes, backslashes, control bytes, UTF-8 and broken UTF-8 */
		static const uint8_t pool[] = { '"', '\\', '\n', '\t', 0x01, 0x1f, 0x7f, 'a', 'Z', ' ', '/',
						0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xc0,
						0xed, 0xa0, 0x80 };

		n = rn(s, maxlen + 1);
		for (unsigned i = 0; i < n; i++)
			b[i] = pool[rn(s, sizeof(pool))];
	}
	return (struct ctnl_view){ b, n };
}

static inline void gen_addr(uint64_t *s, uint8_t *a, unsigned n)
{
	unsigned kind = rn(s, 4);

	for (unsigned i = 0; i < n; i++)
		a[i] = (uint8_t)rnd(s);
	if (n == 16 && kind == 0) {
		/* runs of zero groups, to exercise "::" */
		for (unsigned i = 0; i < 8; i++)
			if (one_in(s, 2))
				a[2 * i] = a[2 * i + 1] = 0;
	} else if (n == 16 && kind == 1) {
		memset(a, 0, 10);
		if (one_in(s, 2))
			a[10] = a[11] = 0xff;
		else if (one_in(s, 2))
			a[10] = a[11] = 0;
	} else if (n == 16 && kind == 2) {
		static const uint8_t doc[16] = { 0x20, 0x01, 0x0d, 0xb8 };

		memcpy(a, doc, 16);
		a[15] = (uint8_t)rn(s, 3);
	}
}

static inline void gen_tuple(uint64_t *s, struct ctnl_ct_tuple *t, uint8_t family, uint8_t proto, int dir)
{
	struct ctnl_ct_ip *ip = &t->ip;
	struct ctnl_ct_proto *p = &t->proto;
	int v6 = family == AF_INET6;

	if (!one_in(s, 40)) {
		SET(t, CTA_TUPLE_IP);
		/* mostly the family's own addresses; sometimes the other kind, or both */
		if (one_in(s, 15) ? !v6 : v6) {
			gen_addr(s, ip->v6_src, 16), SET(ip, CTA_IP_V6_SRC);
			gen_addr(s, ip->v6_dst, 16), SET(ip, CTA_IP_V6_DST);
		} else {
			gen_addr(s, ip->v4_src, 4), SET(ip, CTA_IP_V4_SRC);
			gen_addr(s, ip->v4_dst, 4), SET(ip, CTA_IP_V4_DST);
		}
		if (one_in(s, 30)) {
			gen_addr(s, ip->v4_src, 4), SET(ip, CTA_IP_V4_SRC);
			gen_addr(s, ip->v6_dst, 16), SET(ip, CTA_IP_V6_DST);
		}
		if (one_in(s, 40))
			ip->present &= ~(1u << CTA_IP_V4_DST | 1u << CTA_IP_V6_DST);
	}
	if (!one_in(s, 40)) {
		SET(t, CTA_TUPLE_PROTO);
		if (!one_in(s, 30))
			p->num = proto, SET(p, CTA_PROTO_NUM);
		switch (proto) {
		case IPPROTO_ICMP:
			p->icmp_type = (uint8_t)(one_in(s, 2) ? (dir ? 0 : 8) : rnd(s)), SET(p, CTA_PROTO_ICMP_TYPE);
			p->icmp_code = (uint8_t)(one_in(s, 2) ? 0 : rnd(s)), SET(p, CTA_PROTO_ICMP_CODE);
			p->icmp_id = (uint16_t)rnd(s), SET(p, CTA_PROTO_ICMP_ID);
			if (one_in(s, 20))
				p->present &= ~(1u << CTA_PROTO_ICMP_CODE);
			break;
		case IPPROTO_ICMPV6:
			p->icmpv6_type = (uint8_t)(one_in(s, 2) ? (dir ? 129 : 128) : rnd(s)), SET(p, CTA_PROTO_ICMPV6_TYPE);
			p->icmpv6_code = (uint8_t)rn(s, 3), SET(p, CTA_PROTO_ICMPV6_CODE);
			p->icmpv6_id = (uint16_t)rnd(s), SET(p, CTA_PROTO_ICMPV6_ID);
			break;
		case 0:
		case 99:
			break;
		default:
			p->src_port = (uint16_t)rnd(s), SET(p, CTA_PROTO_SRC_PORT);
			p->dst_port = (uint16_t)(one_in(s, 2) ? rn(s, 1024) : rnd(s)), SET(p, CTA_PROTO_DST_PORT);
			if (one_in(s, 25))
				p->present &= ~(1u << CTA_PROTO_SRC_PORT);
			break;
		}
		/* attributes of the "wrong" protocol: the union emulation must hold */
		if (one_in(s, 25))
			p->icmp_type = (uint8_t)rnd(s), SET(p, CTA_PROTO_ICMP_TYPE);
		if (one_in(s, 25))
			p->src_port = (uint16_t)rnd(s), SET(p, CTA_PROTO_SRC_PORT);
		if (one_in(s, 25))
			p->icmpv6_id = (uint16_t)rnd(s), SET(p, CTA_PROTO_ICMPV6_ID);
	}
	if (dir < 2 && one_in(s, 8))
		t->zone = (uint16_t)(one_in(s, 2) ? rn(s, 10) : rnd(s)), SET(t, CTA_TUPLE_ZONE);
}

static inline void gen_counters(uint64_t *s, struct ctnl_ct_counters *c)
{
	unsigned k = rn(s, 8);

	if (k < 5) {
		c->packets = one_in(s, 2) ? rn(s, 100) : rnd(s), SET(c, CTA_COUNTERS_PACKETS);
		c->bytes = one_in(s, 2) ? rn(s, 100000) : rnd(s), SET(c, CTA_COUNTERS_BYTES);
	} else if (k == 5) {
		c->packets32 = (uint32_t)rnd(s), SET(c, CTA_COUNTERS32_PACKETS);
		c->bytes32 = (uint32_t)rnd(s), SET(c, CTA_COUNTERS32_BYTES);
	} else if (k == 6) {
		c->packets = rnd(s), SET(c, CTA_COUNTERS_PACKETS);
		c->bytes32 = (uint32_t)rnd(s), SET(c, CTA_COUNTERS32_BYTES);
		if (one_in(s, 2))
			c->packets32 = (uint32_t)rnd(s), SET(c, CTA_COUNTERS32_PACKETS);
	} else {
		/* only one of the two: conntrack prints neither */
		c->packets = rnd(s), SET(c, CTA_COUNTERS_PACKETS);
	}
}

/* A random but well-formed conntrack message (what the kernel could send). */
static inline void gen_msg(uint64_t *s, struct ctnl_ct_msg *m, struct gen_store *st)
{
	static const uint8_t protos[] = { 6, 6, 6, 17, 17, 136, 132, 33, 47, 1, 58, 99, 0, 2 };
	static const uint32_t statuses[] = {
		0, IPS_CONFIRMED, IPS_SEEN_REPLY | IPS_CONFIRMED, IPS_ASSURED | IPS_SEEN_REPLY | IPS_CONFIRMED,
		IPS_ASSURED | IPS_CONFIRMED, 0x4000 | IPS_ASSURED | IPS_SEEN_REPLY, 0x8000 | 0x4000 | IPS_SEEN_REPLY,
		0x8000, IPS_SRC_NAT | IPS_SRC_NAT_DONE | IPS_CONFIRMED, IPS_DST_NAT | IPS_DST_NAT_DONE | IPS_SEEN_REPLY,
		IPS_EXPECTED | IPS_HELPER, IPS_DYING | IPS_FIXED_TIMEOUT | IPS_TEMPLATE | 0x1000,
	};
	struct ctnl_ct *ct = &m->ct;
	uint8_t family, proto;

	ctnl_ct_init(m);
	{
		static const uint8_t cmds[] = { IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_DELETE,
						IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_GET_CTRZERO, IPCTNL_MSG_CT_GET_DYING };
		static const uint16_t flags[] = { 0, NLM_F_CREATE | NLM_F_EXCL, NLM_F_MULTI, NLM_F_CREATE,
						  NLM_F_EXCL, NLM_F_MULTI | NLM_F_CREATE };

		m->hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | cmds[rn(s, sizeof(cmds))]);
		m->hdr.flags = flags[rn(s, sizeof(flags) / sizeof(flags[0]))];
		m->hdr.seq = (uint32_t)rnd(s);
		m->hdr.pid = one_in(s, 3) ? (uint32_t)(one_in(s, 2) ? rn(s, 70000) : rnd(s)) : 0;
	}
	{
		unsigned k = rn(s, 20);

		family = k < 9 ? AF_INET : k < 18 ? AF_INET6 : k == 18 ? 7 : 0;
	}
	m->hdr.family = family;
	m->hdr.version = NFNETLINK_V0;
	proto = protos[rn(s, sizeof(protos))];
	if (family == AF_INET6 && proto == 1 && !one_in(s, 5))
		proto = 58;
	if (family == AF_INET && proto == 58 && !one_in(s, 5))
		proto = 1;

	if (!one_in(s, 50)) {
		SET(ct, CTA_TUPLE_ORIG);
		gen_tuple(s, &ct->orig, family, proto, 0);
	}
	if (!one_in(s, 20)) {
		SET(ct, CTA_TUPLE_REPLY);
		gen_tuple(s, &ct->reply, family, one_in(s, 30) ? 17 : proto, 1);
	}
	if (!one_in(s, 10)) {
		SET(ct, CTA_STATUS);
		ct->status = one_in(s, 6) ? (uint32_t)rnd(s) : statuses[rn(s, sizeof(statuses) / sizeof(statuses[0]))];
	}
	if (!one_in(s, 5))
		ct->timeout = one_in(s, 3) ? (uint32_t)rnd(s) : rn(s, 432000), SET(ct, CTA_TIMEOUT);
	if (one_in(s, 2) || proto == 6 || proto == 132 || proto == 33) {
		struct ctnl_ct_protoinfo *pi = &ct->protoinfo;
		unsigned which = proto == 132 ? 3 : proto == 33 ? 2 : proto == 6 ? 1 : 1 + rn(s, 3);

		if (!one_in(s, 6)) {
			SET(ct, CTA_PROTOINFO);
			if (which == 1 || one_in(s, 20)) {
				SET(pi, CTA_PROTOINFO_TCP);
				if (!one_in(s, 10))
					pi->tcp.state = (uint8_t)(one_in(s, 10) ? rn(s, 256) : rn(s, 12)),
					SET(&pi->tcp, CTA_PROTOINFO_TCP_STATE);
				if (!one_in(s, 4)) {
					pi->tcp.wscale_orig = (uint8_t)rn(s, 15), SET(&pi->tcp, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL);
					pi->tcp.wscale_reply = (uint8_t)rn(s, 15), SET(&pi->tcp, CTA_PROTOINFO_TCP_WSCALE_REPLY);
					pi->tcp.flags_orig.flags = (uint8_t)rnd(s);
					pi->tcp.flags_orig.mask = (uint8_t)rnd(s);
					SET(&pi->tcp, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL);
					pi->tcp.flags_reply.flags = (uint8_t)rnd(s);
					pi->tcp.flags_reply.mask = (uint8_t)rnd(s);
					SET(&pi->tcp, CTA_PROTOINFO_TCP_FLAGS_REPLY);
				}
			}
			if (which == 2 || one_in(s, 20)) {
				SET(pi, CTA_PROTOINFO_DCCP);
				if (!one_in(s, 10))
					pi->dccp.state = (uint8_t)(one_in(s, 10) ? rn(s, 256) : rn(s, 11)),
					SET(&pi->dccp, CTA_PROTOINFO_DCCP_STATE);
				if (one_in(s, 2))
					pi->dccp.role = (uint8_t)rn(s, 3), SET(&pi->dccp, CTA_PROTOINFO_DCCP_ROLE);
				if (one_in(s, 2))
					pi->dccp.handshake_seq = rnd(s), SET(&pi->dccp, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ);
			}
			if (which == 3 || one_in(s, 20)) {
				SET(pi, CTA_PROTOINFO_SCTP);
				if (!one_in(s, 10))
					pi->sctp.state = (uint8_t)(one_in(s, 10) ? rn(s, 256) : rn(s, 11)),
					SET(&pi->sctp, CTA_PROTOINFO_SCTP_STATE);
				if (one_in(s, 2)) {
					pi->sctp.vtag_orig = (uint32_t)rnd(s), SET(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL);
					pi->sctp.vtag_reply = (uint32_t)rnd(s), SET(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_REPLY);
				}
			}
		}
	}
	if (!one_in(s, 4))
		ct->mark = one_in(s, 2) ? 0 : (uint32_t)rnd(s), SET(ct, CTA_MARK);
	if (one_in(s, 3)) {
		SET(ct, CTA_COUNTERS_ORIG);
		gen_counters(s, &ct->counters_orig);
	}
	if (one_in(s, 3)) {
		SET(ct, CTA_COUNTERS_REPLY);
		gen_counters(s, &ct->counters_reply);
	}
	if (!one_in(s, 4))
		ct->use = rn(s, 4), SET(ct, CTA_USE);
	if (!one_in(s, 4))
		ct->id = (uint32_t)rnd(s), SET(ct, CTA_ID);
	if (one_in(s, 10)) {
		SET(ct, CTA_TUPLE_MASTER);
		gen_tuple(s, &ct->master, family, 6, 2);
	}
	if (one_in(s, 12)) {
		SET(ct, CTA_SEQ_ADJ_ORIG);
		ct->seqadj_orig.correction_pos = (uint32_t)rnd(s), SET(&ct->seqadj_orig, CTA_SEQADJ_CORRECTION_POS);
		ct->seqadj_orig.offset_before = (uint32_t)rnd(s), SET(&ct->seqadj_orig, CTA_SEQADJ_OFFSET_BEFORE);
		ct->seqadj_orig.offset_after = (uint32_t)rnd(s), SET(&ct->seqadj_orig, CTA_SEQADJ_OFFSET_AFTER);
		if (one_in(s, 2)) {
			SET(ct, CTA_SEQ_ADJ_REPLY);
			ct->seqadj_reply.offset_after = (uint32_t)rnd(s), SET(&ct->seqadj_reply, CTA_SEQADJ_OFFSET_AFTER);
		}
	}
	if (one_in(s, 12))
		ct->secmark = (uint32_t)rnd(s), SET(ct, CTA_SECMARK);
	if (one_in(s, 6))
		ct->zone = (uint16_t)(one_in(s, 2) ? rn(s, 10) : rnd(s)), SET(ct, CTA_ZONE);
	if (one_in(s, 8)) {
		SET(ct, CTA_SECCTX);
		if (!one_in(s, 10))
			ct->secctx.name = gen_string(s, st, 100, 1), SET(&ct->secctx, CTA_SECCTX_NAME);
	}
	if (one_in(s, 2)) {
		struct ctnl_ct_tstamp *ts = &ct->timestamp;

		SET(ct, CTA_TIMESTAMP);
		if (!one_in(s, 10))
			ts->start = 1500000000ull * 1000000000ull + rnd(s) % (400000000ull * 1000000000ull),
			SET(ts, CTA_TIMESTAMP_START);
		if (one_in(s, 3)) {
			SET(ts, CTA_TIMESTAMP_STOP);
			ts->stop = one_in(s, 6) ? 0 : one_in(s, 6) ? rnd(s) % (2000000000ull * 1000000000ull)
							    : ts->start + rnd(s) % (100000ull * 1000000000ull);
		}
	}
	if (one_in(s, 6)) {
		SET(ct, CTA_HELP);
		if (!one_in(s, 10))
			ct->help.name = gen_string(s, st, 15, 1), SET(&ct->help, CTA_HELP_NAME);
		if (one_in(s, 4))
			ct->help.info = gen_string(s, st, 40, 1), SET(&ct->help, CTA_HELP_INFO);
	}
	if (one_in(s, 5)) {
		uint8_t *b = st->bytes[st->next++ % 64];
		static const uint8_t lens[] = { 16, 16, 16, 4, 8, 12, 0, 5 };
		unsigned n = lens[rn(s, sizeof(lens))];

		memset(b, 0, 16);
		for (unsigned i = 0; i < n; i++)
			if (!one_in(s, 4))
				b[i] = (uint8_t)(one_in(s, 2) ? rnd(s) & rnd(s) : 1u << rn(s, 8));
		if (one_in(s, 8))
			memset(b, 0, n);
		ct->labels = (struct ctnl_view){ b, n };
		SET(ct, CTA_LABELS);
	}
	if (one_in(s, 8)) {
		SET(ct, CTA_SYNPROXY);
		ct->synproxy.isn = (uint32_t)rnd(s), SET(&ct->synproxy, CTA_SYNPROXY_ISN);
		ct->synproxy.its = (uint32_t)rnd(s), SET(&ct->synproxy, CTA_SYNPROXY_ITS);
		ct->synproxy.tsoff = (uint32_t)rnd(s), SET(&ct->synproxy, CTA_SYNPROXY_TSOFF);
	}
	if (one_in(s, 6))
		ct->timestamp_event = rnd(s), SET(ct, CTNL_CTA_TIMESTAMP_EVENT);
}

/* A request-only extra: NAT, masks, filter (the JSON test shows them; the
 * kernel never sends them, so they stay out of the libnfct comparison). */
static inline void gen_request_extras(uint64_t *s, struct ctnl_ct_msg *m, struct gen_store *st)
{
	struct ctnl_ct *ct = &m->ct;

	if (one_in(s, 3)) {
		SET(ct, CTA_NAT_SRC);
		gen_addr(s, ct->nat_src.v4_min, 4), SET(&ct->nat_src, CTA_NAT_V4_MINIP);
		if (one_in(s, 2))
			gen_addr(s, ct->nat_src.v4_max, 4), SET(&ct->nat_src, CTA_NAT_V4_MAXIP);
		SET(&ct->nat_src, CTA_NAT_PROTO);
		ct->nat_src.proto.port_min = (uint16_t)rnd(s), SET(&ct->nat_src.proto, CTA_PROTONAT_PORT_MIN);
		ct->nat_src.proto.port_max = (uint16_t)rnd(s), SET(&ct->nat_src.proto, CTA_PROTONAT_PORT_MAX);
	}
	if (one_in(s, 3)) {
		SET(ct, CTA_NAT_DST);
		gen_addr(s, ct->nat_dst.v6_min, 16), SET(&ct->nat_dst, CTA_NAT_V6_MINIP);
		gen_addr(s, ct->nat_dst.v6_max, 16), SET(&ct->nat_dst, CTA_NAT_V6_MAXIP);
	}
	if (one_in(s, 3))
		ct->mark_mask = (uint32_t)rnd(s), SET(ct, CTA_MARK_MASK);
	if (one_in(s, 3))
		ct->status_mask = (uint32_t)rnd(s), SET(ct, CTA_STATUS_MASK);
	if (one_in(s, 3)) {
		uint8_t *b = st->bytes[st->next++ % 64];

		for (unsigned i = 0; i < 16; i++)
			b[i] = (uint8_t)rnd(s);
		ct->labels_mask = (struct ctnl_view){ b, 16 };
		SET(ct, CTA_LABELS_MASK);
	}
	if (one_in(s, 3)) {
		SET(ct, CTA_FILTER);
		ct->filter.orig_flags = (uint32_t)rnd(s) & 0xfff, SET(&ct->filter, CTA_FILTER_ORIG_FLAGS);
		ct->filter.reply_flags = (uint32_t)rnd(s) & 0xfff, SET(&ct->filter, CTA_FILTER_REPLY_FLAGS);
	}
}

/* ---- a strict JSON (RFC 8259) checker, UTF-8 included ---- */

struct jchk {
	const uint8_t *p, *end;
	int depth;
};

static int jc_value(struct jchk *c);

static void jc_ws(struct jchk *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int jc_lit(struct jchk *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return 0;
	c->p += n;
	return 1;
}

static int jc_string(struct jchk *c)
{
	if (c->p >= c->end || *c->p != '"')
		return 0;
	c->p++;
	while (c->p < c->end) {
		uint8_t ch = *c->p;

		if (ch == '"') {
			c->p++;
			return 1;
		}
		if (ch < 0x20)
			return 0;
		if (ch == '\\') {
			c->p++;
			if (c->p >= c->end)
				return 0;
			switch (*c->p) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				c->p++;
				break;
			case 'u':
				for (int i = 1; i <= 4; i++) {
					uint8_t h = c->p + i < c->end ? c->p[i] : 0;

					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
						return 0;
				}
				c->p += 5;
				break;
			default:
				return 0;
			}
			continue;
		}
		if (ch < 0x80) {
			c->p++;
			continue;
		}
		{
			/* strict UTF-8 */
			size_t left = (size_t)(c->end - c->p);
			const uint8_t *q = c->p;
			size_t l;

			if (ch >= 0xc2 && ch <= 0xdf)
				l = 2;
			else if (ch >= 0xe0 && ch <= 0xef)
				l = 3;
			else if (ch >= 0xf0 && ch <= 0xf4)
				l = 4;
			else
				return 0;
			if (left < l)
				return 0;
			for (size_t i = 1; i < l; i++)
				if ((q[i] & 0xc0) != 0x80)
					return 0;
			if ((ch == 0xe0 && q[1] < 0xa0) || (ch == 0xed && q[1] >= 0xa0) || (ch == 0xf0 && q[1] < 0x90) ||
			    (ch == 0xf4 && q[1] >= 0x90))
				return 0;
			c->p += l;
		}
	}
	return 0;
}

static int jc_number(struct jchk *c)
{
	const uint8_t *st = c->p;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end)
		return 0;
	if (*c->p == '0') {
		c->p++;
	} else if (*c->p >= '1' && *c->p <= '9') {
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	} else {
		return 0;
	}
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return 0;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return 0;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	return c->p > st;
}

static int jc_value(struct jchk *c)
{
	jc_ws(c);
	if (c->p >= c->end || ++c->depth > 64)
		return 0;
	switch (*c->p) {
	case '{':
		c->p++;
		jc_ws(c);
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			break;
		}
		for (;;) {
			jc_ws(c);
			if (!jc_string(c))
				return 0;
			jc_ws(c);
			if (c->p >= c->end || *c->p != ':')
				return 0;
			c->p++;
			if (!jc_value(c))
				return 0;
			jc_ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == '}') {
				c->p++;
				break;
			}
			return 0;
		}
		break;
	case '[':
		c->p++;
		jc_ws(c);
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			break;
		}
		for (;;) {
			if (!jc_value(c))
				return 0;
			jc_ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == ']') {
				c->p++;
				break;
			}
			return 0;
		}
		break;
	case '"':
		if (!jc_string(c))
			return 0;
		break;
	case 't':
		if (!jc_lit(c, "true"))
			return 0;
		break;
	case 'f':
		if (!jc_lit(c, "false"))
			return 0;
		break;
	case 'n':
		if (!jc_lit(c, "null"))
			return 0;
		break;
	default:
		if (!jc_number(c))
			return 0;
		break;
	}
	c->depth--;
	return 1;
}

/* 1 if s[0..n) is exactly one valid JSON value (an object, here). */
static inline int json_valid(const char *s, size_t n)
{
	struct jchk c = { (const uint8_t *)s, (const uint8_t *)s + n, 0 };

	if (!n || s[0] != '{' || !jc_value(&c))
		return 0;
	jc_ws(&c);
	return c.p == c.end;
}

#endif
