/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TEST_DESCFILL_H
#define CTNL_TEST_DESCFILL_H

/*
 * Generic round-trip helpers over a description table: fill every
 * attribute at every depth with a value made from a seed, and compare two
 * decoded structs value by value.  Walking the description (not a list
 * of fields) is what makes an attribute added to a table covered the day
 * it is added.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/attr.h>

/* Where the views of strings and binaries point. */
struct df_pool {
	uint8_t buf[8192];
	size_t used;
	unsigned leaves;                   /* non-nest attributes filled */
};

static inline const uint8_t *df_bytes(struct df_pool *p, size_t n, unsigned seed, int printable)
{
	uint8_t *b = p->buf + p->used;

	if (p->used + n > sizeof(p->buf)) {
		fprintf(stderr, "descfill: pool of %zu bytes is too small\n", sizeof(p->buf));
		abort();
	}
	for (size_t i = 0; i < n; i++)
		b[i] = printable ? (uint8_t)('a' + (seed + i) % 26) : (uint8_t)(seed * 7 + i * 13 + 1);
	p->used += n;
	return b;
}

/* Every attribute of d (but holes and padding) present, each value distinct. */
static inline void df_fill(struct df_pool *p, const struct ctnl_nest_desc *d, void *obj, unsigned seed)
{
	uint32_t *present = obj;

	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		uint8_t *f = (uint8_t *)obj + a->offset;
		unsigned v = seed * 31 + t;

		if (a->kind == CTNL_K_NONE || a->kind == CTNL_K_PAD)
			continue;
		*present |= 1u << t;
		switch (a->kind) {
		case CTNL_K_U8: *f = (uint8_t)v; break;
		case CTNL_K_BE16: { uint16_t x = (uint16_t)(v * 257); memcpy(f, &x, 2); break; }
		case CTNL_K_BE32:
		case CTNL_K_U32: { uint32_t x = v * 0x01010101u + 0x80000000u; memcpy(f, &x, 4); break; }
		case CTNL_K_BE64: { uint64_t x = (uint64_t)v << 40 | 0x123456789ull; memcpy(f, &x, 8); break; }
		case CTNL_K_FIXED: memcpy(f, df_bytes(p, a->len, v, 0), a->len); break;
		case CTNL_K_STRING:
		case CTNL_K_BINARY: {
			int text = a->kind == CTNL_K_STRING;
			struct ctnl_view s = { 0, a->len ? a->len : text ? 40 : 33 };

			s.ptr = df_bytes(p, s.len, v, text);
			memcpy(f, &s, sizeof(s));
			break;
		}
		case CTNL_K_NEST:
			df_fill(p, a->nest, f, v);
			continue;
		default:
			break;
		}
		p->leaves++;
	}
}

/* 1 when x and y hold the same present values (views by content); else 0
 * with the first difference's path in where. */
static inline int df_same(const struct ctnl_nest_desc *d, const void *x, const void *y, char *where, size_t wlen)
{
	uint32_t px, py;

	memcpy(&px, x, 4);
	memcpy(&py, y, 4);
	if (px != py) {
		snprintf(where, wlen, "%s: present 0x%x vs 0x%x", d->name, px, py);
		return 0;
	}
	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		const uint8_t *fx = (const uint8_t *)x + a->offset, *fy = (const uint8_t *)y + a->offset;
		size_t n = 0;

		if (!((px >> t) & 1u))
			continue;
		switch (a->kind) {
		case CTNL_K_U8: n = 1; break;
		case CTNL_K_BE16: n = 2; break;
		case CTNL_K_BE32: case CTNL_K_U32: n = 4; break;
		case CTNL_K_BE64: n = 8; break;
		case CTNL_K_FIXED: n = a->len; break;
		case CTNL_K_STRING:
		case CTNL_K_BINARY: {
			struct ctnl_view vx, vy;

			memcpy(&vx, fx, sizeof(vx));
			memcpy(&vy, fy, sizeof(vy));
			if (vx.len != vy.len || (vx.len && memcmp(vx.ptr, vy.ptr, vx.len))) {
				snprintf(where, wlen, "%s.%s differs", d->name, a->name);
				return 0;
			}
			continue;
		}
		case CTNL_K_NEST:
			if (!df_same(a->nest, fx, fy, where, wlen))
				return 0;
			continue;
		default:
			continue;
		}
		if (memcmp(fx, fy, n)) {
			snprintf(where, wlen, "%s.%s differs", d->name, a->name);
			return 0;
		}
	}
	return 1;
}

#endif
