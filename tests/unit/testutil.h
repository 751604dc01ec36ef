/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TESTUTIL_H
#define CTNL_TESTUTIL_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Hex text (spaces, '|' and newlines ignored) to bytes; returns the count. */
static inline size_t hex2bin(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (!isxdigit((unsigned char)*hex))
			continue;
		v = isdigit((unsigned char)*hex) ? *hex - '0' : (tolower((unsigned char)*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

/* A copy in a heap block of exactly len bytes, so that ASan sees any read past it. */
static inline uint8_t *exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *q = malloc(len ? len : 1);

	if (len)
		memcpy(q, p, len);
	return q;
}

static inline void set_u16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void set_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline uint16_t get_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

#endif
