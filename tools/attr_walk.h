/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_ATTR_WALK_H
#define CTNL_TOOLS_ATTR_WALK_H

/*
 * Values of decoded attributes as text, without printf: the writers
 * behind `ctnl decode`'s default form (which must be fast: a million
 * messages a second) and `ctnl replay`'s differences.  The text is that
 * of print_attrs.c: integers in decimal (or 0x.. where the description
 * says hex), addresses as inet_ntop writes them, TCP flags as
 * 0xFF/0xMM, printable strings quoted, other bytes as 0x and hex.
 *
 * Every writer takes a struct aw_out and checks room first: when the
 * buffer is full it sets `over` and writes nothing more, so a caller can
 * flush and try again, or accept a cut line.
 */

#include <stdint.h>
#include <string.h>

#include <ctnl/attr.h>

/* The codec's own number and address formatters (header-only, no
 * state): inet_ntop and its sprintf per group were an eighth of the
 * text's cost, and the two writers must print addresses alike. */
#include "codec/fmt.h"

struct aw_out {
	char *p;
	char *end;
	int over;
};

static inline int aw_room(struct aw_out *o, size_t n)
{
	if (o->over || (size_t)(o->end - o->p) < n) {
		o->over = 1;
		return 0;
	}
	return 1;
}

static inline void aw_mem(struct aw_out *o, const void *s, size_t n)
{
	if (!aw_room(o, n))
		return;
	memcpy(o->p, s, n);
	o->p += n;
}

#define aw_lit(o, s) aw_mem((o), (s), sizeof(s) - 1)

static inline void aw_str(struct aw_out *o, const char *s)
{
	aw_mem(o, s, strlen(s));
}

static inline void aw_ch(struct aw_out *o, char c)
{
	if (aw_room(o, 1))
		*o->p++ = c;
}

static inline void aw_u64(struct aw_out *o, uint64_t v)
{
	char tmp[20], *s = ctnl_fmt_u64_rev(tmp + sizeof(tmp), v);

	aw_mem(o, s, (size_t)(tmp + sizeof(tmp) - s));
}

static inline void aw_i64(struct aw_out *o, int64_t v)
{
	if (v < 0) {
		aw_ch(o, '-');
		aw_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		aw_u64(o, (uint64_t)v);
	}
}

/* 0x and lower-case hex, no leading zeros beyond `width` digits. */
static inline void aw_hex(struct aw_out *o, uint64_t v, int width)
{
	static const char hx[] = "0123456789abcdef";
	char tmp[20];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = hx[v & 15];
		v >>= 4;
	} while (v || n < width);
	aw_lit(o, "0x");
	aw_mem(o, tmp + sizeof(tmp) - n, (size_t)n);
}

static inline void aw_ipv4(struct aw_out *o, const uint8_t *a)
{
	if (aw_room(o, 16))
		o->p += ctnl_fmt_ipv4(o->p, a);
}

static inline void aw_ipv6(struct aw_out *o, const uint8_t *a)
{
	if (aw_room(o, 46))
		o->p += ctnl_fmt_ipv6(o->p, a);
}

static inline void aw_bytes(struct aw_out *o, const uint8_t *b, size_t n, int as_text)
{
	static const char hx[] = "0123456789abcdef";
	int printable = as_text;

	for (size_t i = 0; i < n && printable; i++)
		printable = b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\';
	if (printable) {
		if (!aw_room(o, n + 2))
			return;
		*o->p++ = '"';
		memcpy(o->p, b, n);
		o->p += n;
		*o->p++ = '"';
		return;
	}
	if (!aw_room(o, 2 + 2 * n))
		return;
	*o->p++ = '0';
	*o->p++ = 'x';
	for (size_t i = 0; i < n; i++) {
		*o->p++ = hx[b[i] >> 4];
		*o->p++ = hx[b[i] & 15];
	}
}

/* The value of one present, non-nest attribute; f points at its field. */
static inline void aw_value(struct aw_out *o, const struct ctnl_attr_desc *a, const uint8_t *f)
{
	switch (a->kind) {
	case CTNL_K_U8:
		if (a->fmt == CTNL_FMT_HEX)
			aw_hex(o, f[0], 1);
		else
			aw_u64(o, f[0]);
		break;
	case CTNL_K_BE16: {
		uint16_t v;

		memcpy(&v, f, 2);
		if (a->fmt == CTNL_FMT_HEX)
			aw_hex(o, v, 1);
		else
			aw_u64(o, v);
		break;
	}
	case CTNL_K_BE32:
	case CTNL_K_U32: {
		uint32_t v;

		memcpy(&v, f, 4);
		if (a->fmt == CTNL_FMT_HEX)
			aw_hex(o, v, 1);
		else
			aw_u64(o, v);
		break;
	}
	case CTNL_K_BE64: {
		uint64_t v;

		memcpy(&v, f, 8);
		if (a->fmt == CTNL_FMT_HEX)
			aw_hex(o, v, 1);
		else
			aw_u64(o, v);
		break;
	}
	case CTNL_K_FIXED:
		if (a->fmt == CTNL_FMT_IPV4) {
			aw_ipv4(o, f);
		} else if (a->fmt == CTNL_FMT_IPV6) {
			aw_ipv6(o, f);
		} else if (a->fmt == CTNL_FMT_FLAGS2) {
			aw_hex(o, f[0], 2);
			aw_ch(o, '/');
			aw_hex(o, f[1], 2);
		} else {
			aw_bytes(o, f, a->len, 0);
		}
		break;
	case CTNL_K_STRING:
	case CTNL_K_BINARY: {
		struct ctnl_view v;

		memcpy(&v, f, sizeof(v));
		aw_bytes(o, v.ptr, v.len, a->kind == CTNL_K_STRING);
		break;
	}
	default:
		break;
	}
}

/*
 * Raw writers: no room checks, the caller has made sure of AW_FIXED_MAX
 * bytes (they may store past the text they return the end of: that is
 * overwritten by what comes next).
 */
#define AW_FIXED_MAX 64

/* Four decimal digits of each number below 10000, zero padded, made by
 * the compiler: a number is written a 4-digit block at a time, which
 * halves the divisions of the 2-digit table's loop. */
#define AW_D4(v) { (char)('0' + (v) / 1000), (char)('0' + (v) / 100 % 10),		\
		   (char)('0' + (v) / 10 % 10), (char)('0' + (v) % 10) }
#define AW_D4_10(v) AW_D4(v), AW_D4((v) + 1), AW_D4((v) + 2), AW_D4((v) + 3), AW_D4((v) + 4),	\
		    AW_D4((v) + 5), AW_D4((v) + 6), AW_D4((v) + 7), AW_D4((v) + 8), AW_D4((v) + 9)
#define AW_D4_100(v) AW_D4_10(v), AW_D4_10((v) + 10), AW_D4_10((v) + 20), AW_D4_10((v) + 30),	\
		     AW_D4_10((v) + 40), AW_D4_10((v) + 50), AW_D4_10((v) + 60), AW_D4_10((v) + 70),	\
		     AW_D4_10((v) + 80), AW_D4_10((v) + 90)
#define AW_D4_1000(v) AW_D4_100(v), AW_D4_100((v) + 100), AW_D4_100((v) + 200), AW_D4_100((v) + 300),	\
		      AW_D4_100((v) + 400), AW_D4_100((v) + 500), AW_D4_100((v) + 600),		\
		      AW_D4_100((v) + 700), AW_D4_100((v) + 800), AW_D4_100((v) + 900)

static const char aw_dig4[10000][4] = {
	AW_D4_1000(0), AW_D4_1000(1000), AW_D4_1000(2000), AW_D4_1000(3000), AW_D4_1000(4000),
	AW_D4_1000(5000), AW_D4_1000(6000), AW_D4_1000(7000), AW_D4_1000(8000), AW_D4_1000(9000),
};

/* v (below 10000) without leading zeros: one 4-byte move from its block
 * (the bytes past it are the next block's, and are overwritten). */
static inline char *aw_dec4_raw(char *p, uint32_t v)
{
	uint32_t n = v >= 100 ? 3 + (v >= 1000) : 1 + (v >= 10);

	memcpy(p, aw_dig4[v] + 4 - n, 4);
	return p + n;
}

static inline char *aw_dec_raw(char *p, uint64_t v)
{
	/* the 4-digit blocks below the leading one, backwards from tmp + 24:
	 * at most four, and the 16-byte copy at the end may read 12 past */
	char tmp[40], *s = tmp + 24;

	if (v < 10000)
		return aw_dec4_raw(p, (uint32_t)v);
	while (v > UINT32_MAX) {
		uint64_t q = v / 10000;

		s -= 4;
		memcpy(s, aw_dig4[v - q * 10000], 4);
		v = q;
	}
	/* most values fit 32 bits, whose division is cheaper */
	for (uint32_t x = (uint32_t)v; ; ) {
		uint32_t q = x / 10000;

		s -= 4;
		memcpy(s, aw_dig4[x - q * 10000], 4);
		if (q < 10000) {
			p = aw_dec4_raw(p, q);
			break;
		}
		x = q;
	}
	/* a constant-size copy is two moves */
	memcpy(p, s, 16);
	return p + (tmp + 24 - s);
}

/* 0x and v's hex digits, at least width of them (width up to 16); a byte
 * at a time from the right, then the odd digit left over. */
static inline char *aw_hex_raw(char *p, uint64_t v, int width)
{
	int n = (64 - __builtin_clzll(v | 1) + 3) >> 2;
	char *e, *q;

	if (n < width)
		n = width;
	p[0] = '0';
	p[1] = 'x';
	e = q = p + 2 + n;
	for (; q - p >= 4; v >>= 8) {
		q -= 2;
		memcpy(q, ctnl_hex2[v & 255], 2);
	}
	if (q - p == 3)
		q[-1] = ctnl_hexdig[v & 15];
	return e;
}

#endif
