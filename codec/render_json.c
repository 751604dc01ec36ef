/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One JSON object per conntrack message; the schema is docs/json.md.
 *
 * Keys appear in a fixed order, a key is present only when the message
 * carries what it describes, and everything the decoder kept is shown
 * (unknown attributes included), so the object is a lossless view of the
 * decoded struct apart from raw padding.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/render.h>

#include "fmt.h"

#define J_INLINE static inline __attribute__((always_inline))
#define J_SLOW static __attribute__((noinline))

/* ---- constant text ---- */

/* A piece of constant text and its length: 4 to 22 bytes (put_short). */
struct jlit {
	uint8_t len;
	char s[23];
};

#define LIT(s) { sizeof(s) - 1, s }
#define Q(s) LIT("\"" s "\"")

static const struct jlit lit_true = LIT("true"), lit_false = LIT("false"), lit_null = LIT("null");

/* enum ip_conntrack_status bit names (the kernel's, without IPS_). */
static const struct jlit status_q[16] = {
	Q("EXPECTED"), Q("SEEN_REPLY"), Q("ASSURED"), Q("CONFIRMED"),
	Q("SRC_NAT"), Q("DST_NAT"), Q("SEQ_ADJUST"), Q("SRC_NAT_DONE"),
	Q("DST_NAT_DONE"), Q("DYING"), Q("FIXED_TIMEOUT"), Q("TEMPLATE"),
	Q("UNTRACKED"), Q("HELPER"), Q("OFFLOAD"), Q("HW_OFFLOAD"),
};

/* struct nf_ct_tcp_flags bits (IP_CT_TCP_FLAG_*, without the prefix). */
static const struct jlit tcp_flag_q[8] = {
	Q("WINDOW_SCALE"), Q("SACK_PERM"), Q("CLOSE_INIT"), Q("BE_LIBERAL"),
	Q("DATA_UNACKNOWLEDGED"), Q("MAXACK_SET"), Q("EXP_CHALLENGE_ACK"), Q("SIMULTANEOUS_OPEN"),
};

/*
 * conntrack(8)'s names, the ones ctnl_r_proto_name(), ctnl_r_family_name()
 * and ctnl_r_*_state() in render_ct.c return, here quoted and with their
 * lengths; the last state entry is what a number past the table shows.
 */
static const struct jlit tcp_state_q[11] = {
	Q("NONE"), Q("SYN_SENT"), Q("SYN_RECV"), Q("ESTABLISHED"), Q("FIN_WAIT"),
	Q("CLOSE_WAIT"), Q("LAST_ACK"), Q("TIME_WAIT"), Q("CLOSE"), Q("SYN_SENT2"), Q("NONE"),
};

static const struct jlit sctp_state_q[11] = {
	Q("NONE"), Q("CLOSED"), Q("COOKIE_WAIT"), Q("COOKIE_ECHOED"), Q("ESTABLISHED"),
	Q("SHUTDOWN_SENT"), Q("SHUTDOWN_RECD"), Q("SHUTDOWN_ACK_SENT"), Q("HEARTBEAT_SENT"),
	Q("HEARTBEAT_ACKED"), Q("NONE"),
};

static const struct jlit dccp_state_q[11] = {
	Q("NONE"), Q("REQUEST"), Q("RESPOND"), Q("PARTOPEN"), Q("OPEN"),
	Q("CLOSEREQ"), Q("CLOSING"), Q("TIMEWAIT"), Q("IGNORE"), Q("INVALID"), Q("NONE"),
};

static const struct jlit proto_q[9] = {
	Q("unknown"), Q("icmp"), Q("tcp"), Q("udp"), Q("dccp"), Q("gre"), Q("icmpv6"), Q("sctp"), Q("udplite"),
};

/* protocol number -> proto_q index; 0 ("unknown") for the rest */
static const uint8_t proto_ix[256] = {
	[1] = 1, [6] = 2, [17] = 3, [33] = 4, [47] = 5, [58] = 6, [132] = 7, [136] = 8,
};

static const struct jlit family_q[3] = { Q("unknown"), Q("ipv4"), Q("ipv6") };

/* by event kind, 0 for none */
static const struct jlit type_q[4] = { Q("entry"), Q("new"), Q("update"), Q("destroy") };
static const struct jlit type_request = Q("request");

static const struct jlit role_q[3] = { Q("client"), Q("server"), Q("unknown") };

J_INLINE const struct jlit *state_q(const struct jlit tab[11], uint8_t s)
{
	return &tab[s < 10 ? s : 10];
}

J_INLINE const struct jlit *family_name_q(uint8_t f)
{
	return &family_q[f == 2 ? 1 : f == 10 ? 2 : 0];
}

/* ---- the writer ----
 *
 * The object is made by one body run in one of two passes.  The fast pass
 * stores straight into the caller's buffer through a cursor that lives in
 * registers: a key is a token with its comma, `,"src":`, and a name its
 * quoted text, each copied with moves of a fixed size after one check
 * that the longest form of the pair fits.  When one does not, the pass
 * gives up, and the checked pass makes the object again with the ctnl_w
 * calls, which store what fits and count the rest (snprintf's contract).
 * Both passes make the same text, so a buffer that is short gets the
 * checked pass's prefix of it, and every byte the fast pass stored lies
 * inside that prefix.
 *
 * The body and its pieces are always inlined into each pass and never
 * hand the writer's address to a function that is not: that is what
 * keeps the cursor out of memory, which every char store could alias.
 */

struct jw {
	char *d, *end;                     /* fast pass: stores go to [d, end); NULL once one did not fit */
	size_t first;                      /* 1 right after '{' or '[': no comma is due */
	struct ctnl_w *w;                  /* the checked pass's writer; NULL in the fast pass */
};

/*
 * Room for need bytes in the fast pass.  Once something did not fit, d
 * and end are NULL so nothing fits any more (and the text made is thrown
 * away).  The cursor is compared as integers: end - d is never negative
 * while it is live.  need is 64 bits wide so that the room for text of
 * any length a view or a C string can have is counted without wrapping.
 */
J_INLINE int j_fits(struct jw *j, uint64_t need)
{
	if (__builtin_expect((uintptr_t)j->end - (uintptr_t)j->d >= need, 1))
		return 1;
	j->d = j->end = NULL;
	return 0;
}

/* A key as one token, comma included: TOK("src") is ,"src": */
#define TOK(k) ",\"" k "\":"
#define TOKN(k) TOK(k), sizeof(TOK(k)) - 1

/*
 * The key, without its comma when none is due.  All n bytes are copied,
 * from tok + first, so the copy has a constant size: that reads the
 * literal's NUL at most, and the byte it may store past the key is where
 * the value's first byte goes next.
 */
J_INLINE char *put_key(char *d, const char *tok, size_t n, size_t first)
{
	memcpy(d, tok + first, n);
	return d + n - first;
}

/* 4 to 32 bytes as two overlapping moves of one fixed size. */
J_INLINE char *put_short(char *d, const char *s, size_t n)
{
	if (n >= 16) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	}
	return d + n;
}

J_INLINE char *put_lit(char *d, const struct jlit *l)
{
	return put_short(d, l->s, l->len);
}

static const uint64_t pow10_u64[20] = {
	1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
	10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
	1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
	10000000000000000000u,
};

/* Decimal digits in v: log10 from the bit length (1233/4096 is just over
 * log10(2)), which is one too many below the next power of ten. */
J_INLINE unsigned dec_len(uint64_t v)
{
	uint64_t u = v | 1;
	unsigned t = (unsigned)(64 - __builtin_clzll(u)) * 1233u >> 12;

	return t + 1 - (u < pow10_u64[t]);
}

/* Two digits of v < 100 ending at p. */
J_INLINE void put_pair(char *p, unsigned v)
{
	memcpy(p - 2, ctnl_digits2 + 2 * v, 2);
}

/*
 * Decimal v >= 100 in place, written from its end: four digits a step,
 * in 32-bit arithmetic once the rest fits (ports, ids and timeouts do),
 * then the last one to four without leading zeros.
 */
static char *put_u64_long(char *d, uint64_t v)
{
	char *end = d + dec_len(v), *p = end;
	uint32_t w, r;

	while (v > UINT32_MAX) {
		uint64_t q = v / 10000;

		r = (uint32_t)(v - q * 10000);
		put_pair(p, r % 100);
		put_pair(p - 2, r / 100);
		p -= 4;
		v = q;
	}
	for (w = (uint32_t)v; w >= 10000; w /= 10000) {
		r = w % 10000;
		put_pair(p, r % 100);
		put_pair(p - 2, r / 100);
		p -= 4;
	}
	if (w >= 100) {
		put_pair(p, w % 100);
		p -= 2;
		w /= 100;
	}
	if (w >= 10)
		put_pair(p, w);
	else
		p[-1] = (char)('0' + w);
	return end;
}

/* Decimal v in place, at most 20 bytes.  Most numbers here are one or
 * two digits (states, protocol numbers, flags, small counters). */
J_INLINE char *put_u64(char *d, uint64_t v)
{
	if (v < 10) {
		*d = (char)('0' + v);
		return d + 1;
	}
	if (v < 100) {
		memcpy(d, ctnl_digits2 + 2 * v, 2);
		return d + 2;
	}
	return put_u64_long(d, v);
}

/* ---- addresses ---- */

/* "a.b.c.d", quotes included: 9 to 17 bytes. */
static char *put_ip4q(char *d, const uint8_t a[4])
{
	char t[24], *e;

	t[0] = '"';
	e = ctnl_fmt_quad(t + 1, a);
	e[-1] = '"';
	return put_short(d, t, (size_t)(e - t));
}

/* JSON-escaped bytes in the fast pass, which checked 6 * n + 2 bytes of room. */
static char *put_json(char *d, const uint8_t *s, size_t n)
{
	struct ctnl_w w;

	ctnl_w_init(&w, d, 6 * n + 3);
	ctnl_w_json_str(&w, s, n);
	return d + w.pos;
}

/* The checked pass's pieces: key is the token from where it starts. */

J_SLOW void w_ku(struct ctnl_w *w, const char *key, size_t n, uint64_t v)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_u64(w, v);
}

J_SLOW void w_klit(struct ctnl_w *w, const char *key, size_t n, const struct jlit *l)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_mem(w, l->s, l->len);
}

J_SLOW void w_kopen(struct ctnl_w *w, const char *key, size_t n, char c)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_ch(w, c);
}

J_SLOW void w_elit(struct ctnl_w *w, size_t first, const struct jlit *l)
{
	if (!first)
		ctnl_w_ch(w, ',');
	ctnl_w_mem(w, l->s, l->len);
}

J_SLOW void w_eopen(struct ctnl_w *w, size_t first, char c)
{
	if (!first)
		ctnl_w_ch(w, ',');
	ctnl_w_ch(w, c);
}

J_SLOW void w_ebit(struct ctnl_w *w, size_t first, unsigned b)
{
	if (!first)
		ctnl_w_ch(w, ',');
	ctnl_w_lit(w, "\"BIT_");
	ctnl_w_u32(w, b);
	ctnl_w_ch(w, '"');
}

J_SLOW void w_kip(struct ctnl_w *w, const char *key, size_t n, const uint8_t *a, int v6)
{
	char tmp[48];
	size_t l = v6 ? ctnl_fmt_ipv6(tmp, a) : ctnl_fmt_ipv4(tmp, a);

	ctnl_w_mem(w, key, n);
	ctnl_w_ch(w, '"');
	ctnl_w_mem(w, tmp, l);
	ctnl_w_ch(w, '"');
}

J_SLOW void w_ki64(struct ctnl_w *w, const char *key, size_t n, int64_t v)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_i64(w, v);
}

J_SLOW void w_kjson(struct ctnl_w *w, const char *key, size_t n, const uint8_t *s, size_t len)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_json_str(w, s, len);
}

J_SLOW void w_khex(struct ctnl_w *w, const char *key, size_t n, const uint8_t *s, size_t len)
{
	ctnl_w_mem(w, key, n);
	ctnl_w_ch(w, '"');
	for (size_t i = 0; i < len; i++) {
		char h[2] = { ctnl_hexdig[s[i] >> 4], ctnl_hexdig[s[i] & 15] };

		ctnl_w_mem(w, h, 2);
	}
	ctnl_w_ch(w, '"');
}

/*
 * The pieces the body is made of, each for both passes.  In each pass
 * j->w is a constant, so only one side of every test is left.
 */

/* "key":number */
J_INLINE void j_ku(struct jw *j, const char *tok, size_t n, uint64_t v)
{
	if (j->w)
		w_ku(j->w, tok + j->first, n - j->first, v);
	else if (j_fits(j, n + 20))
		j->d = put_u64(put_key(j->d, tok, n, j->first), v);
	j->first = 0;
}

#define KU(j, k, v) j_ku((j), TOKN(k), (v))

/* "key":constant text -- a quoted name, true, false or null */
J_INLINE void j_klit(struct jw *j, const char *tok, size_t n, const struct jlit *l)
{
	if (j->w)
		w_klit(j->w, tok + j->first, n - j->first, l);
	else if (j_fits(j, n + sizeof(l->s)))
		j->d = put_lit(put_key(j->d, tok, n, j->first), l);
	j->first = 0;
}

#define KL(j, k, l) j_klit((j), TOKN(k), (l))

/* "key":{ or "key":[ */
J_INLINE void j_kopen(struct jw *j, const char *tok, size_t n, char c)
{
	if (j->w) {
		w_kopen(j->w, tok + j->first, n - j->first, c);
	} else if (j_fits(j, n + 1)) {
		j->d = put_key(j->d, tok, n, j->first);
		*j->d++ = c;
	}
	j->first = 1;
}

#define KO(j, k, c) j_kopen((j), TOKN(k), (c))

J_INLINE void j_open(struct jw *j, char c)
{
	if (j->w)
		ctnl_w_ch(j->w, c);
	else if (j_fits(j, 1))
		*j->d++ = c;
	j->first = 1;
}

J_INLINE void j_close(struct jw *j, char c)
{
	if (j->w)
		ctnl_w_ch(j->w, c);
	else if (j_fits(j, 1))
		*j->d++ = c;
	j->first = 0;
}

/*
 * An array element.  The fast pass stores the comma either way and moves
 * past it only when one is due; when not, the element overwrites it.
 */
J_INLINE void j_elit(struct jw *j, const struct jlit *l)
{
	if (j->w) {
		w_elit(j->w, j->first, l);
	} else if (j_fits(j, 1 + sizeof(l->s))) {
		*j->d = ',';
		j->d = put_lit(j->d + 1 - j->first, l);
	}
	j->first = 0;
}

J_INLINE void j_eopen(struct jw *j, char c)
{
	if (j->w) {
		w_eopen(j->w, j->first, c);
	} else if (j_fits(j, 2)) {
		*j->d = ',';
		j->d += 1 - j->first;
		*j->d++ = c;
	}
	j->first = 1;
}

/* "BIT_n" for a status bit without a name (n < 32) */
J_INLINE void j_ebit(struct jw *j, unsigned b)
{
	if (j->w) {
		w_ebit(j->w, j->first, b);
	} else if (j_fits(j, 1 + 8)) {
		char *d = j->d;

		*d = ',';
		d += 1 - j->first;
		memcpy(d, "\"BIT_", 5);
		d = put_u64(d + 5, b);
		*d++ = '"';
		j->d = d;
	}
	j->first = 0;
}

/* "key":"a.b.c.d" */
J_INLINE void j_kip4(struct jw *j, const char *tok, size_t n, const uint8_t a[4])
{
	if (j->w)
		w_kip(j->w, tok + j->first, n - j->first, a, 0);
	else if (j_fits(j, n + 17))
		j->d = put_ip4q(put_key(j->d, tok, n, j->first), a);
	j->first = 0;
}

/* "key":"IPv6 address", inet_ntop's text: at most 45 bytes, and the quotes */
J_INLINE void j_kip6(struct jw *j, const char *tok, size_t n, const uint8_t a[16])
{
	if (j->w) {
		w_kip(j->w, tok + j->first, n - j->first, a, 1);
	} else if (j_fits(j, n + 47)) {
		char *d = put_key(j->d, tok, n, j->first);

		*d++ = '"';
		d += ctnl_fmt_ipv6(d, a);
		*d++ = '"';
		j->d = d;
	}
	j->first = 0;
}

#define KIP4(j, k, a) j_kip4((j), TOKN(k), (a))
#define KIP6(j, k, a) j_kip6((j), TOKN(k), (a))

J_INLINE void j_ki64(struct jw *j, const char *tok, size_t n, int64_t v)
{
	if (j->w) {
		w_ki64(j->w, tok + j->first, n - j->first, v);
	} else if (j_fits(j, n + 21)) {
		char *d = put_key(j->d, tok, n, j->first);

		if (v < 0)
			*d++ = '-';
		j->d = put_u64(d, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	}
	j->first = 0;
}

#define KI(j, k, v) j_ki64((j), TOKN(k), (v))

/* "key":"text" for text from the message or the caller: escaped. */
J_INLINE void j_kjson(struct jw *j, const char *tok, size_t n, const uint8_t *s, size_t len)
{
	if (j->w)
		w_kjson(j->w, tok + j->first, n - j->first, s, len);
	else if (j_fits(j, n + 6 * (uint64_t)len + 2))
		j->d = put_json(put_key(j->d, tok, n, j->first), s, len);
	j->first = 0;
}

#define KV(j, k, v) j_kjson((j), TOKN(k), (v)->ptr, (v)->len)
#define KS(j, k, s) j_kjson((j), TOKN(k), (const uint8_t *)(s), strlen(s))

/* "key":"hex digits" */
J_INLINE void j_khex(struct jw *j, const char *tok, size_t n, const struct ctnl_view *v)
{
	if (j->w) {
		w_khex(j->w, tok + j->first, n - j->first, v->ptr, v->len);
	} else if (j_fits(j, n + 2 * (uint64_t)v->len + 2)) {
		char *d = put_key(j->d, tok, n, j->first);

		*d++ = '"';
		for (uint32_t i = 0; i < v->len; i++) {
			*d++ = ctnl_hexdig[v->ptr[i] >> 4];
			*d++ = ctnl_hexdig[v->ptr[i] & 15];
		}
		*d++ = '"';
		j->d = d;
	}
	j->first = 0;
}

#define KH(j, k, v) j_khex((j), TOKN(k), (v))

/* ---- the object ---- */

/* The members of a tuple object (the caller opened it). */
J_INLINE void j_tuple_members(struct jw *j, const struct ctnl_ct_tuple *t)
{
	const struct ctnl_ct_ip *ip = &t->ip;
	const struct ctnl_ct_proto *p = &t->proto;

	if (ctnl_has(t, CTA_TUPLE_IP)) {
		/* an IPv6 attribute wins over an IPv4 one, as in conntrack */
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			KIP6(j, "src", ip->v6_src);
		else if (ctnl_has(ip, CTA_IP_V4_SRC))
			KIP4(j, "src", ip->v4_src);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			KIP6(j, "dst", ip->v6_dst);
		else if (ctnl_has(ip, CTA_IP_V4_DST))
			KIP4(j, "dst", ip->v4_dst);
	}
	if (ctnl_has(t, CTA_TUPLE_PROTO)) {
		int gre = ctnl_has(p, CTA_PROTO_NUM) && p->num == 47;

		if (ctnl_has(p, CTA_PROTO_NUM)) {
			KL(j, "proto", &proto_q[proto_ix[p->num]]);
			KU(j, "proto_num", p->num);
		}
		if (ctnl_has(p, CTA_PROTO_SRC_PORT)) {
			if (gre)
				KU(j, "srckey", p->src_port);
			else
				KU(j, "sport", p->src_port);
		}
		if (ctnl_has(p, CTA_PROTO_DST_PORT)) {
			if (gre)
				KU(j, "dstkey", p->dst_port);
			else
				KU(j, "dport", p->dst_port);
		}
		/* ICMPv6 fields share the ICMP names; v6 wins if both came */
		if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
			KU(j, "type", p->icmpv6_type);
		else if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
			KU(j, "type", p->icmp_type);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
			KU(j, "code", p->icmpv6_code);
		else if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
			KU(j, "code", p->icmp_code);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_ID))
			KU(j, "id", p->icmpv6_id);
		else if (ctnl_has(p, CTA_PROTO_ICMP_ID))
			KU(j, "id", p->icmp_id);
	}
	if (ctnl_has(t, CTA_TUPLE_ZONE))
		KU(j, "zone", t->zone);
}

J_INLINE void j_counters(struct jw *j, const struct ctnl_ct_counters *c)
{
	if (ctnl_has(c, CTA_COUNTERS_PACKETS))
		KU(j, "packets", c->packets);
	else if (ctnl_has(c, CTA_COUNTERS32_PACKETS))
		KU(j, "packets", c->packets32);
	if (ctnl_has(c, CTA_COUNTERS_BYTES))
		KU(j, "bytes", c->bytes);
	else if (ctnl_has(c, CTA_COUNTERS32_BYTES))
		KU(j, "bytes", c->bytes32);
}

/* "orig"/"reply": the tuple and that direction's counters. */
J_INLINE void j_direction(struct jw *j, const char *tok, size_t n, const struct ctnl_ct *ct, int tuple_type,
			int counters_type)
{
	const struct ctnl_ct_tuple *t = tuple_type == CTA_TUPLE_ORIG ? &ct->orig : &ct->reply;
	const struct ctnl_ct_counters *c = counters_type == CTA_COUNTERS_ORIG ? &ct->counters_orig : &ct->counters_reply;
	int has_t = (int)ctnl_has(ct, tuple_type), has_c = (int)ctnl_has(ct, counters_type);

	if (!has_t && !has_c)
		return;
	j_kopen(j, tok, n, '{');
	if (has_t)
		j_tuple_members(j, t);
	if (has_c)
		j_counters(j, c);
	j_close(j, '}');
}

J_INLINE void j_state(struct jw *j, const struct jlit *name, uint8_t num)
{
	KL(j, "state", name);
	KU(j, "state_num", num);
}

J_INLINE void j_tcpflags(struct jw *j, const char *tok, size_t n, const struct ctnl_ct_tcpflags *f)
{
	j_kopen(j, tok, n, '{');
	KU(j, "flags", f->flags);
	KU(j, "mask", f->mask);
	KO(j, "names", '[');
	for (unsigned v = f->flags; v; v &= v - 1)
		j_elit(j, &tcp_flag_q[__builtin_ctz(v)]);
	j_close(j, ']');
	j_close(j, '}');
}

J_INLINE void j_protoinfo(struct jw *j, const struct ctnl_ct_protoinfo *pi)
{
	KO(j, "protoinfo", '{');
	if (ctnl_has(pi, CTA_PROTOINFO_TCP)) {
		const struct ctnl_ct_tcp *t = &pi->tcp;

		KO(j, "tcp", '{');
		if (ctnl_has(t, CTA_PROTOINFO_TCP_STATE))
			j_state(j, state_q(tcp_state_q, t->state), t->state);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL))
			KU(j, "wscale_orig", t->wscale_orig);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_WSCALE_REPLY))
			KU(j, "wscale_reply", t->wscale_reply);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL))
			j_tcpflags(j, TOKN("flags_orig"), &t->flags_orig);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_FLAGS_REPLY))
			j_tcpflags(j, TOKN("flags_reply"), &t->flags_reply);
		j_close(j, '}');
	}
	if (ctnl_has(pi, CTA_PROTOINFO_DCCP)) {
		const struct ctnl_ct_dccp *d = &pi->dccp;

		KO(j, "dccp", '{');
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_STATE))
			j_state(j, state_q(dccp_state_q, d->state), d->state);
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_ROLE)) {
			KL(j, "role", &role_q[d->role < 2 ? d->role : 2]);
			KU(j, "role_num", d->role);
		}
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ))
			KU(j, "handshake_seq", d->handshake_seq);
		j_close(j, '}');
	}
	if (ctnl_has(pi, CTA_PROTOINFO_SCTP)) {
		const struct ctnl_ct_sctp *s = &pi->sctp;

		KO(j, "sctp", '{');
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_STATE))
			j_state(j, state_q(sctp_state_q, s->state), s->state);
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL))
			KU(j, "vtag_orig", s->vtag_orig);
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_VTAG_REPLY))
			KU(j, "vtag_reply", s->vtag_reply);
		j_close(j, '}');
	}
	j_close(j, '}');
}

J_INLINE void j_nat(struct jw *j, const char *tok, size_t n, const struct ctnl_ct_nat *nat)
{
	j_kopen(j, tok, n, '{');
	if (ctnl_has(nat, CTA_NAT_V6_MINIP))
		KIP6(j, "min", nat->v6_min);
	else if (ctnl_has(nat, CTA_NAT_V4_MINIP))
		KIP4(j, "min", nat->v4_min);
	if (ctnl_has(nat, CTA_NAT_V6_MAXIP))
		KIP6(j, "max", nat->v6_max);
	else if (ctnl_has(nat, CTA_NAT_V4_MAXIP))
		KIP4(j, "max", nat->v4_max);
	if (ctnl_has(nat, CTA_NAT_PROTO)) {
		if (ctnl_has(&nat->proto, CTA_PROTONAT_PORT_MIN))
			KU(j, "port_min", nat->proto.port_min);
		if (ctnl_has(&nat->proto, CTA_PROTONAT_PORT_MAX))
			KU(j, "port_max", nat->proto.port_max);
	}
	j_close(j, '}');
}

J_INLINE void j_seqadj(struct jw *j, const char *tok, size_t n, const struct ctnl_ct_seqadj *s)
{
	j_kopen(j, tok, n, '{');
	if (ctnl_has(s, CTA_SEQADJ_CORRECTION_POS))
		KU(j, "correction_pos", s->correction_pos);
	if (ctnl_has(s, CTA_SEQADJ_OFFSET_BEFORE))
		KU(j, "offset_before", s->offset_before);
	if (ctnl_has(s, CTA_SEQADJ_OFFSET_AFTER))
		KU(j, "offset_after", s->offset_after);
	j_close(j, '}');
}

/* [{"bit":N,"name":"x"|null}, ...] for the set bits of a label bitmap. */
J_INLINE void j_labels(struct jw *j, const char *tok, size_t n, const struct ctnl_view *l,
		     const struct ctnl_render_opts *o)
{
	uint32_t nbits = l->len * 8u;

	j_kopen(j, tok, n, '[');
	/* ctnl_r_label_bit()'s reading a word at a time: host-order 32-bit
	 * words, a short last one padded with zero bytes, no bit from nbits
	 * on; set bits in ascending order */
	for (uint64_t base = 0; base < nbits; base += 32) {
		uint32_t at = (uint32_t)(base / 8), v;
		uint8_t word[4] = { 0 };

		memcpy(word, l->ptr + at, l->len - at < 4 ? l->len - at : 4);
		memcpy(&v, word, 4);
		if (nbits - base < 32)
			v &= (1u << (nbits - base)) - 1;
		for (; v; v &= v - 1) {
			unsigned i = (unsigned)base + (unsigned)__builtin_ctz(v);
			const char *name = o->label_names && i < o->nlabels ? o->label_names[i] : NULL;

			j_eopen(j, '{');
			KU(j, "bit", i);
			if (name && name[0])
				KS(j, "name", name);
			else
				KL(j, "name", &lit_null);
			j_close(j, '}');
		}
	}
	j_close(j, ']');
}

J_INLINE void j_status(struct jw *j, uint32_t status)
{
	KU(j, "status", status);
	KO(j, "status_flags", '[');
	for (uint32_t v = status; v; v &= v - 1) {
		unsigned b = (unsigned)__builtin_ctz(v);

		if (b < 16)
			j_elit(j, &status_q[b]);
		else
			j_ebit(j, b);     /* no name in this kernel's enum */
	}
	j_close(j, ']');
	KL(j, "unreplied", status & IPS_SEEN_REPLY ? &lit_false : &lit_true);
}

J_INLINE void j_unknown(struct jw *j, const struct ctnl_ct_msg *m)
{
	const struct ctnl_nest_desc *root = ctnl_ct_desc();

	KO(j, "unknown", '[');
	for (unsigned i = 0; i < m->unknown.kept && i < CTNL_UNKNOWN_MAX; i++) {
		const struct ctnl_unknown *u = &m->unknown.list[i];
		char path[CTNL_MAX_DEPTH * 24 + 16];

		ctnl_unknown_path(root, u, path, sizeof(path));
		j_eopen(j, '{');
		KS(j, "path", path);
		KU(j, "type", u->type & 0x3fffu);
		KU(j, "len", u->len);
		KU(j, "offset", u->offset);
		j_close(j, '}');
	}
	j_close(j, ']');
	if (m->unknown.count > m->unknown.kept)
		KU(j, "unknown_count", m->unknown.count);
}

J_INLINE void j_ct(struct jw *j, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	const struct ctnl_ct *ct = &m->ct;
	int kind = 0;

	j_open(j, '{');

	/* the kernel never sets NLM_F_REQUEST: such a message (from a
	 * capture) is a request, whatever its other flags */
	if ((o->flags & CTNL_OUT_EVENT) || (ctnl_ct_is_event(&m->hdr) && !(m->hdr.flags & NLM_F_REQUEST)))
		kind = ctnl_r_event_kind(m->hdr.type, m->hdr.flags);
	if (!kind && (m->hdr.flags & NLM_F_REQUEST))
		KL(j, "type", &type_request);
	else
		KL(j, "type", &type_q[kind]);
	if (kind && m->hdr.pid)
		KU(j, "portid", m->hdr.pid);
	KL(j, "family", family_name_q(m->hdr.family));
	KU(j, "family_num", m->hdr.family);
	if (ctnl_has(ct, CTA_TUPLE_ORIG) && ctnl_has(&ct->orig, CTA_TUPLE_PROTO) &&
	    ctnl_has(&ct->orig.proto, CTA_PROTO_NUM)) {
		KL(j, "proto", &proto_q[proto_ix[ct->orig.proto.num]]);
		KU(j, "proto_num", ct->orig.proto.num);
	}
	if (ctnl_has(ct, CTA_TIMEOUT))
		KU(j, "timeout", ct->timeout);
	if (ctnl_has(ct, CTA_PROTOINFO)) {
		const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;

		/* the state conntrack prints: TCP, else SCTP, else DCCP */
		if (ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE))
			KL(j, "state", state_q(tcp_state_q, pi->tcp.state));
		else if (ctnl_has(pi, CTA_PROTOINFO_SCTP) && ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE))
			KL(j, "state", state_q(sctp_state_q, pi->sctp.state));
		else if (ctnl_has(pi, CTA_PROTOINFO_DCCP) && ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE))
			KL(j, "state", state_q(dccp_state_q, pi->dccp.state));
	}
	j_direction(j, TOKN("orig"), ct, CTA_TUPLE_ORIG, CTA_COUNTERS_ORIG);
	j_direction(j, TOKN("reply"), ct, CTA_TUPLE_REPLY, CTA_COUNTERS_REPLY);
	if (ctnl_has(ct, CTA_STATUS))
		j_status(j, ct->status);
	if (ctnl_has(ct, CTA_MARK))
		KU(j, "mark", ct->mark);
	if (ctnl_has(ct, CTA_SECMARK))
		KU(j, "secmark", ct->secmark);
	if (ctnl_has(ct, CTA_SECCTX) && ctnl_has(&ct->secctx, CTA_SECCTX_NAME))
		KV(j, "secctx", &ct->secctx.name);
	if (ctnl_has(ct, CTA_ZONE))
		KU(j, "zone", ct->zone);
	if (ctnl_has(ct, CTA_USE))
		KU(j, "use", ct->use);
	if (ctnl_has(ct, CTA_ID))
		KU(j, "id", ct->id);
	if (ctnl_has(ct, CTA_HELP)) {
		if (ctnl_has(&ct->help, CTA_HELP_NAME))
			KV(j, "helper", &ct->help.name);
		if (ctnl_has(&ct->help, CTA_HELP_INFO))
			KH(j, "helper_info", &ct->help.info);
	}
	if (ctnl_has(ct, CTA_LABELS))
		j_labels(j, TOKN("labels"), &ct->labels, o);
	if (ctnl_has(ct, CTA_TIMESTAMP)) {
		const struct ctnl_ct_tstamp *ts = &ct->timestamp;

		KO(j, "timestamp", '{');
		if (ctnl_has(ts, CTA_TIMESTAMP_START))
			KU(j, "start", ts->start);
		if (ctnl_has(ts, CTA_TIMESTAMP_STOP))
			KU(j, "stop", ts->stop);
		if (ctnl_has(ts, CTA_TIMESTAMP_START) && (ts->stop != 0 || o->now != 0))
			KI(j, "delta_time", ctnl_r_delta_time(ts->start, ts->stop, o->now));
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTNL_CTA_TIMESTAMP_EVENT))
		KU(j, "timestamp_event", ct->timestamp_event);
	if (ctnl_has(ct, CTA_PROTOINFO))
		j_protoinfo(j, &ct->protoinfo);
	if (ctnl_has(ct, CTA_TUPLE_MASTER)) {
		KO(j, "master", '{');
		j_tuple_members(j, &ct->master);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_SEQ_ADJ_ORIG) || ctnl_has(ct, CTA_SEQ_ADJ_REPLY)) {
		KO(j, "seq_adj", '{');
		if (ctnl_has(ct, CTA_SEQ_ADJ_ORIG))
			j_seqadj(j, TOKN("orig"), &ct->seqadj_orig);
		if (ctnl_has(ct, CTA_SEQ_ADJ_REPLY))
			j_seqadj(j, TOKN("reply"), &ct->seqadj_reply);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_SYNPROXY)) {
		const struct ctnl_ct_synproxy *s = &ct->synproxy;

		KO(j, "synproxy", '{');
		if (ctnl_has(s, CTA_SYNPROXY_ISN))
			KU(j, "isn", s->isn);
		if (ctnl_has(s, CTA_SYNPROXY_ITS))
			KU(j, "its", s->its);
		if (ctnl_has(s, CTA_SYNPROXY_TSOFF))
			KU(j, "tsoff", s->tsoff);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_NAT_SRC) || ctnl_has(ct, CTA_NAT_DST)) {
		KO(j, "nat", '{');
		if (ctnl_has(ct, CTA_NAT_SRC))
			j_nat(j, TOKN("src"), &ct->nat_src);
		if (ctnl_has(ct, CTA_NAT_DST))
			j_nat(j, TOKN("dst"), &ct->nat_dst);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_MARK_MASK))
		KU(j, "mark_mask", ct->mark_mask);
	if (ctnl_has(ct, CTA_STATUS_MASK))
		KU(j, "status_mask", ct->status_mask);
	if (ctnl_has(ct, CTA_LABELS_MASK))
		j_labels(j, TOKN("labels_mask"), &ct->labels_mask, o);
	if (ctnl_has(ct, CTA_FILTER)) {
		KO(j, "filter", '{');
		if (ctnl_has(&ct->filter, CTA_FILTER_ORIG_FLAGS))
			KU(j, "orig_flags", ct->filter.orig_flags);
		if (ctnl_has(&ct->filter, CTA_FILTER_REPLY_FLAGS))
			KU(j, "reply_flags", ct->filter.reply_flags);
		j_close(j, '}');
	}
	if (m->unknown.count)
		j_unknown(j, m);

	j_close(j, '}');
}

/* The fast pass: the length, or -1 when the text might not have fit. */
static ptrdiff_t ct_json_fast(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	struct jw j = { .d = buf, .end = buf + len - 1 };

	j_ct(&j, m, o);
	if (!j.d)
		return -1;
	*j.d = '\0';
	return j.d - buf;
}

static int ct_json_checked(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	struct ctnl_w w;
	struct jw j = { .w = &w };

	ctnl_w_init(&w, buf, len);
	j_ct(&j, m, o);
	return ctnl_w_end(&w);
}

int ctnl_ct_json(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	struct ctnl_render_opts opts;
	ptrdiff_t n;

	/* the copy only fills in what an older or absent struct lacks */
	if (!o || (o->size && o->size < sizeof(*o)))
		o = ctnl_r_opts(&opts, o);
	/* a buffer too short for a typical object goes straight to the
	 * checked pass rather than failing the fast one first */
	if (len >= 512) {
		n = ct_json_fast(buf, len, m, o);
		if (n >= 0)
			return n > INT32_MAX ? INT32_MAX : (int)n;
	}
	return ct_json_checked(buf, len, m, o);
}
