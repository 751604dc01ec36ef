/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CODEC_FMT_H
#define CTNL_CODEC_FMT_H

/*
 * A tiny text writer for the renderers: decimal and hex numbers, IPv4 and
 * IPv6 addresses (the exact text glibc's inet_ntop gives), JSON string
 * escaping.  No locale, no allocation, no snprintf on the hot path.
 *
 * The writer counts every byte it is asked to write (w.pos) but stores
 * only what fits before the last byte of the buffer, which is kept for
 * the NUL: the snprintf contract.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ctnl_w {
	char *buf;
	size_t cap;                        /* size of buf, NUL included */
	size_t pos;                        /* bytes the full text needs so far */
};

static inline void ctnl_w_init(struct ctnl_w *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->pos = 0;
}

/* NUL-terminate and return the length the full text needs. */
static inline int ctnl_w_end(struct ctnl_w *w)
{
	if (w->cap)
		w->buf[w->pos < w->cap ? w->pos : w->cap - 1] = '\0';
	return w->pos > INT32_MAX ? INT32_MAX : (int)w->pos;
}

static inline void ctnl_w_mem(struct ctnl_w *w, const void *s, size_t n)
{
	if (w->pos + n < w->cap) {
		memcpy(w->buf + w->pos, s, n);
	} else if (w->pos + 1 < w->cap) {
		memcpy(w->buf + w->pos, s, w->cap - 1 - w->pos);
	}
	w->pos += n;
}

static inline void ctnl_w_ch(struct ctnl_w *w, char c)
{
	if (w->pos + 1 < w->cap)
		w->buf[w->pos] = c;
	w->pos++;
}

/* A string literal: its length is known at compile time. */
#define ctnl_w_lit(w, s) ctnl_w_mem((w), (s), sizeof(s) - 1)

static inline void ctnl_w_str(struct ctnl_w *w, const char *s)
{
	ctnl_w_mem(w, s, strlen(s));
}

/* Drop the last byte written (conntrack's "delete the last blank"). */
static inline void ctnl_w_unput(struct ctnl_w *w)
{
	if (w->pos)
		w->pos--;
}

static const char ctnl_digits2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal text of v, written backwards from end; returns the first byte. */
static inline char *ctnl_fmt_u64_rev(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, ctnl_digits2 + 2 * d, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, ctnl_digits2 + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static inline char *ctnl_fmt_u32_rev(char *end, uint32_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned d = v % 100;

		v /= 100;
		p -= 2;
		memcpy(p, ctnl_digits2 + 2 * d, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, ctnl_digits2 + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static inline void ctnl_w_u32(struct ctnl_w *w, uint32_t v)
{
	char tmp[10], *p = ctnl_fmt_u32_rev(tmp + sizeof(tmp), v);

	ctnl_w_mem(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

static inline void ctnl_w_u64(struct ctnl_w *w, uint64_t v)
{
	char tmp[20], *p = ctnl_fmt_u64_rev(tmp + sizeof(tmp), v);

	ctnl_w_mem(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

static inline void ctnl_w_i64(struct ctnl_w *w, int64_t v)
{
	if (v < 0) {
		ctnl_w_ch(w, '-');
		ctnl_w_u64(w, (uint64_t)0 - (uint64_t)v);
	} else {
		ctnl_w_u64(w, (uint64_t)v);
	}
}

static const char ctnl_hexdig[16] = "0123456789abcdef";

/* Lower-case hex without leading zeros, as printf("%x"). */
static inline char *ctnl_fmt_hex_rev(char *end, uint32_t v)
{
	char *p = end;

	do {
		*--p = ctnl_hexdig[v & 15];
		v >>= 4;
	} while (v);
	return p;
}

static inline void ctnl_w_hex(struct ctnl_w *w, uint32_t v)
{
	char tmp[8], *p = ctnl_fmt_hex_rev(tmp + sizeof(tmp), v);

	ctnl_w_mem(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Each octet's decimal text and a dot, in 4 bytes, and how many of them
 * count (digits and dot): a dotted quad is four 4-byte moves. */
struct ctnl_oct {
	char s[4];
	uint32_t n;
};

#define CTNL_OCT(v) { {								\
	(char)((v) >= 100 ? '0' + (v) / 100 : (v) >= 10 ? '0' + (v) / 10 : '0' + (v)),	\
	(char)((v) >= 100 ? '0' + (v) / 10 % 10 : (v) >= 10 ? '0' + (v) % 10 : '.'),	\
	(char)((v) >= 100 ? '0' + (v) % 10 : (v) >= 10 ? '.' : 0),		\
	(char)((v) >= 100 ? '.' : 0) }, 2u + ((v) >= 10) + ((v) >= 100) }
#define CTNL_OCT4(v) CTNL_OCT(v), CTNL_OCT((v) + 1), CTNL_OCT((v) + 2), CTNL_OCT((v) + 3)
#define CTNL_OCT16(v) CTNL_OCT4(v), CTNL_OCT4((v) + 4), CTNL_OCT4((v) + 8), CTNL_OCT4((v) + 12)
#define CTNL_OCT64(v) CTNL_OCT16(v), CTNL_OCT16((v) + 16), CTNL_OCT16((v) + 32), CTNL_OCT16((v) + 48)

static const struct ctnl_oct ctnl_oct_tab[256] = {
	CTNL_OCT64(0), CTNL_OCT64(64), CTNL_OCT64(128), CTNL_OCT64(192),
};

/* "a.b.c." into t, the last dot included: the caller overwrites or drops
 * it.  Each octet is one 4-byte move, so t needs 16 bytes. */
static inline char *ctnl_fmt_quad(char *t, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		memcpy(t, ctnl_oct_tab[a[i]].s, 4);
		t += ctnl_oct_tab[a[i]].n;
	}
	return t;
}

/* Dotted quad of 4 network-order bytes into out (at least 16 bytes);
 * returns the length. */
static inline size_t ctnl_fmt_ipv4(char *out, const uint8_t a[4])
{
	return (size_t)(ctnl_fmt_quad(out, a) - out) - 1;
}

/* Two lower-case hex digits of each byte, made by the compiler. */
#define CTNL_HD(n) ((n) < 10 ? '0' + (n) : 'a' - 10 + (n))
#define CTNL_H2(v) { (char)CTNL_HD((v) >> 4), (char)CTNL_HD((v) & 15) }
#define CTNL_H2_16(v) CTNL_H2(v), CTNL_H2((v) + 1), CTNL_H2((v) + 2), CTNL_H2((v) + 3), CTNL_H2((v) + 4),	\
		      CTNL_H2((v) + 5), CTNL_H2((v) + 6), CTNL_H2((v) + 7), CTNL_H2((v) + 8),		\
		      CTNL_H2((v) + 9), CTNL_H2((v) + 10), CTNL_H2((v) + 11), CTNL_H2((v) + 12),		\
		      CTNL_H2((v) + 13), CTNL_H2((v) + 14), CTNL_H2((v) + 15)

static const char ctnl_hex2[256][2] = {
	CTNL_H2_16(0x00), CTNL_H2_16(0x10), CTNL_H2_16(0x20), CTNL_H2_16(0x30),
	CTNL_H2_16(0x40), CTNL_H2_16(0x50), CTNL_H2_16(0x60), CTNL_H2_16(0x70),
	CTNL_H2_16(0x80), CTNL_H2_16(0x90), CTNL_H2_16(0xa0), CTNL_H2_16(0xb0),
	CTNL_H2_16(0xc0), CTNL_H2_16(0xd0), CTNL_H2_16(0xe0), CTNL_H2_16(0xf0),
};

/* A 16-bit group of an IPv6 address without leading zeros: four digits
 * in one word, shifted so that the first written is the first nonzero.
 * Always stores 4 bytes; returns the end of the digits. */
static inline char *ctnl_fmt_hex16(char *p, unsigned v)
{
	unsigned n = (unsigned)(35 - __builtin_clz(v | 1)) >> 2;
	uint32_t w;

	memcpy(&w, ctnl_hex2[v >> 8], 2);
	memcpy((char *)&w + 2, ctnl_hex2[v & 255], 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w >>= 8 * (4 - n);
#else
	w <<= 8 * (4 - n);
#endif
	memcpy(p, &w, 4);
	return p + n;
}

/*
 * IPv6 text into out (at least 46 bytes), exactly as glibc's inet_ntop:
 * lower-case hex without leading zeros, the first longest run of two or
 * more zero groups shortened to "::", and the last 32 bits as a dotted
 * quad for IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d)
 * addresses.  The zero groups are a bit mask, whose first longest run is
 * found by shrinking the mask (bit i stays while groups i..i+k are all
 * zero).  The 4-byte stores of the groups and the quad stay inside the
 * 46 bytes: the longest text, eight full groups, ends at 39 plus its
 * trailing colon.  Returns the length.
 */
static inline size_t ctnl_fmt_ipv6(char *out, const uint8_t a[16])
{
	unsigned g[8], zero = 0, runs, run = 0, len = 0, i;
	char *p = out;

	for (i = 0; i < 8; i++) {
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		zero |= (unsigned)(g[i] == 0) << i;
	}
	for (runs = zero; runs; runs &= runs >> 1) {
		run = runs;
		len++;
	}
	if (len < 2) {
		for (i = 0; i < 8; i++) {
			p = ctnl_fmt_hex16(p, g[i]);
			*p++ = ':';
		}
		return (size_t)(p - 1 - out);
	}
	run = (unsigned)__builtin_ctz(run);
	for (i = 0; i < run; i++) {
		p = ctnl_fmt_hex16(p, g[i]);
		*p++ = ':';
	}
	if (!run)
		*p++ = ':';
	*p++ = ':';
	/* ::a.b.c.d and ::ffff:a.b.c.d keep the IPv4 address dotted */
	if (run == 0 && (len == 6 || (len == 5 && g[5] == 0xffff))) {
		if (len == 5) {
			memcpy(p, "ffff:", 5);
			p += 5;
		}
		return (size_t)(p - out) + ctnl_fmt_ipv4(p, a + 12);
	}
	for (i = run + len; i < 8; i++) {
		p = ctnl_fmt_hex16(p, g[i]);
		*p++ = ':';
	}
	return (size_t)((run + len == 8 ? p : p - 1) - out);
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
static inline size_t ctnl_utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * A JSON string of n bytes, quotes included.  '"', '\\' and control
 * characters are escaped; bytes that do not form valid UTF-8 are written
 * as \u00XX (their Latin-1 reading), so the output is always valid JSON.
 */
static inline void ctnl_w_json_str(struct ctnl_w *w, const uint8_t *s, size_t n)
{
	size_t i = 0, run = 0;

	ctnl_w_ch(w, '"');
	while (i < n) {
		uint8_t c = s[i];
		size_t l;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (l = ctnl_utf8_len(s + i, n - i)) != 0) {
			i += l;
			continue;
		}
		ctnl_w_mem(w, s + run, i - run);
		switch (c) {
		case '"': ctnl_w_lit(w, "\\\""); break;
		case '\\': ctnl_w_lit(w, "\\\\"); break;
		case '\n': ctnl_w_lit(w, "\\n"); break;
		case '\t': ctnl_w_lit(w, "\\t"); break;
		case '\r': ctnl_w_lit(w, "\\r"); break;
		default: {
			char e[6] = { '\\', 'u', '0', '0', ctnl_hexdig[c >> 4], ctnl_hexdig[c & 15] };

			ctnl_w_mem(w, e, sizeof(e));
			break;
		}
		}
		i++;
		run = i;
	}
	ctnl_w_mem(w, s + run, n - run);
	ctnl_w_ch(w, '"');
}

static inline void ctnl_w_json_cstr(struct ctnl_w *w, const char *s)
{
	ctnl_w_json_str(w, (const uint8_t *)s, strlen(s));
}

/*
 * ctime()'s text without its newline, for t seconds already shifted to
 * local time: "Sun Nov 29 03:30:39 2026" (asctime's
 * "%.3s %.3s%3d %.2d:%.2d:%.2d %d").  out needs 32 bytes; returns the
 * length.
 */
static inline size_t ctnl_fmt_ctime(char *out, int64_t t)
{
	static const char wday[] = "SunMonTueWedThuFriSat";
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z, era, doe, yoe, y, doy, mp, d, m;
	char *p = out, tmp[20], *q;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* days since 1970-01-01 to a proleptic Gregorian civil date */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;

	memcpy(p, wday + 3 * (((days % 7) + 11) % 7), 3); /* 1970-01-01 was a Thursday */
	p += 3;
	*p++ = ' ';
	memcpy(p, mon + 3 * (m - 1), 3);
	p += 3;
	*p++ = ' ';
	*p++ = d >= 10 ? (char)('0' + d / 10) : ' ';
	*p++ = (char)('0' + d % 10);
	*p++ = ' ';
	memcpy(p, ctnl_digits2 + 2 * (secs / 3600), 2);
	p[2] = ':';
	memcpy(p + 3, ctnl_digits2 + 2 * (secs / 60 % 60), 2);
	p[5] = ':';
	memcpy(p + 6, ctnl_digits2 + 2 * (secs % 60), 2);
	p[8] = ' ';
	p += 9;
	if (y < 0) {
		*p++ = '-';
		y = -y;
	}
	q = ctnl_fmt_u64_rev(tmp + sizeof(tmp), (uint64_t)y);
	memcpy(p, q, (size_t)(tmp + sizeof(tmp) - q));
	p += tmp + sizeof(tmp) - q;
	return (size_t)(p - out);
}

/* ---- shared by render_ct.c and render_json.c (hidden, not exported) ---- */

/* conntrack(8)'s names: "tcp", "ipv4", "ESTABLISHED"; NULL when it has none. */
const char *ctnl_r_proto_name(uint8_t num);
const char *ctnl_r_family_name(uint8_t family);
const char *ctnl_r_tcp_state(uint8_t s);
const char *ctnl_r_sctp_state(uint8_t s);
const char *ctnl_r_dccp_state(uint8_t s);

/* Event kind as conntrack -E decides it: 0 none, 1 NEW, 2 UPDATE, 3 DESTROY. */
int ctnl_r_event_kind(uint16_t nlmsg_type, uint16_t nlmsg_flags);

/* delta-time as libnetfilter_conntrack computes it (stop, or now when stop is 0). */
int64_t ctnl_r_delta_time(uint64_t start_ns, uint64_t stop_ns, int64_t now);

/* The caller's options, size-checked, in a local copy (defaults for NULL). */
struct ctnl_render_opts;
const struct ctnl_render_opts *ctnl_r_opts(struct ctnl_render_opts *copy, const struct ctnl_render_opts *o);

/* Is label bit i set in a host-order 32-bit-word bitmap of len bytes? */
int ctnl_r_label_bit(const uint8_t *bits, uint32_t len, unsigned i);

#endif
