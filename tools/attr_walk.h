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

static inline char *aw_dec_raw(char *p, uint64_t v)
{
	/* most values fit 32 bits, whose division by 100 is cheaper */
	char tmp[40], *s = v <= UINT32_MAX ? ctnl_fmt_u32_rev(tmp + 20, (uint32_t)v) : ctnl_fmt_u64_rev(tmp + 20, v);

	/* a constant-size copy is two moves; the bytes past the digits are
	 * overwritten by what comes next */
	memcpy(p, s, 20);
	return p + (tmp + 20 - s);
}

static inline char *aw_hex_raw(char *p, uint64_t v, int width)
{
	char tmp[40], *s = tmp + 20;
	int n = 0;

	do {
		*--s = ctnl_hexdig[v & 15];
		v >>= 4;
		n++;
	} while (v || n < width);
	p[0] = '0';
	p[1] = 'x';
	memcpy(p + 2, s, 16);
	return p + 2 + n;
}

#endif
