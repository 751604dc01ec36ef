/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target encode: structs built by hand (as an application builds a
 * request), encoded, decoded back and rendered.
 *
 * Input: one byte picks the message (even: conntrack, odd: expectation);
 * then the description tables drive the filling: for each attribute of
 * each nest one byte says whether it is present, then its value (fixed
 * kinds take their size; strings and blobs take a length byte and point
 * into the input, NULs and over-long values included); one more byte may
 * set a present bit that no attribute stands behind.  Missing bytes read
 * as 0.
 *
 * Oracles:
 *  - ctnl_*_encode() refuses with -EINVAL exactly the structs the rules
 *    forbid (a string holding a NUL, a string or blob over its limit, a
 *    present bit with no attribute), with a formatted error naming it;
 *  - what it accepts it writes into a block of exactly its size (and
 *    -ENOSPC one byte short, no overrun); that decodes without unknowns
 *    to the same values;
 *  - and what it accepts renders (exact lengths, prefixes, valid JSON).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct cursor {
	const uint8_t *p;
	size_t left;
};

static uint8_t u8(struct cursor *c)
{
	uint8_t v = 0;

	if (c->left) {
		v = *c->p++;
		c->left--;
	}
	return v;
}

static void take(struct cursor *c, void *out, size_t n)
{
	size_t k = n < c->left ? n : c->left;

	memset(out, 0, n);
	memcpy(out, c->p, k);
	c->p += k;
	c->left -= k;
}

static size_t kind_size(const struct ctnl_attr_desc *a)
{
	switch (a->kind) {
	case CTNL_K_U8: return 1;
	case CTNL_K_BE16: return 2;
	case CTNL_K_BE32:
	case CTNL_K_U32: return 4;
	case CTNL_K_BE64: return 8;
	case CTNL_K_FIXED: return a->len;
	default: return 0;
	}
}

/* Fill obj from the input; return 1 if the encoder must refuse it. */
static int fill(const struct ctnl_nest_desc *d, void *obj, struct cursor *c, unsigned depth)
{
	uint8_t *base = obj;
	uint32_t present = 0;
	int bad = 0;
	uint8_t extra;

	for (unsigned t = 1; t <= d->maxtype && t < 32; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		uint8_t *f = base + a->offset;

		if (a->kind == CTNL_K_NONE || a->kind == CTNL_K_PAD)
			continue;
		if (!(u8(c) & 1))
			continue;
		present |= 1u << t;
		switch (a->kind) {
		case CTNL_K_NEST:
			if (depth >= CTNL_MAX_DEPTH - 1) {
				present &= ~(1u << t);
				break;
			}
			bad |= fill(a->nest, f, c, depth + 1);
			break;
		case CTNL_K_STRING:
		case CTNL_K_BINARY: {
			struct ctnl_view v;

			v.len = u8(c);
			if (v.len > c->left)
				v.len = (uint32_t)c->left;
			v.ptr = c->p;
			c->p += v.len;
			c->left -= v.len;
			memcpy(f, &v, sizeof(v));
			if (a->len && v.len > a->len)
				bad = 1;
			if (a->kind == CTNL_K_STRING && v.len && memchr(v.ptr, '\0', v.len))
				bad = 1;
			break;
		}
		default:
			take(c, f, kind_size(a));
			break;
		}
	}
	/* now and then, a present bit with nothing behind it */
	extra = u8(c);
	if (extra >= 0xf8) {
		unsigned t = extra & 1 ? 0 : (unsigned)d->maxtype + 1u;

		if (t < 32) {
			present |= 1u << t;
			bad = 1;
		}
	}
	memcpy(base, &present, sizeof(present));
	return bad;
}

typedef int (*encode_fn)(const void *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err);

static int enc_ct(const void *m, void *b, size_t c, size_t *n, struct ctnl_err *e) { return ctnl_ct_encode(m, b, c, n, e); }
static int enc_exp(const void *m, void *b, size_t c, size_t *n, struct ctnl_err *e) { return ctnl_exp_encode(m, b, c, n, e); }

/* Encode exactly; return the block (NULL if refused) and the rc. */
static uint8_t *encode_exact(encode_fn fn, const void *m, size_t *n, int *rc)
{
	struct ctnl_err err = { 0 };
	size_t cap = 256;
	uint8_t *buf;

	for (;;) {
		buf = malloc(cap);
		FUZZ_CHECK(buf != NULL);
		*rc = fn(m, buf, cap, n, &err);
		if (*rc != -ENOSPC)
			break;
		free(buf);
		FUZZ_CHECK(cap < (1u << 22));
		cap *= 4;
	}
	if (*rc < 0) {
		FUZZ_CHECKF(*rc == -EINVAL && err.code == -EINVAL, "encode rc %d", *rc);
		fuzz_check_err_format(&err);
		free(buf);
		return NULL;
	}
	free(buf);
	buf = malloc(*n - 1);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fn(m, buf, *n - 1, &cap, NULL) == -ENOSPC);
	free(buf);
	buf = malloc(*n);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fn(m, buf, *n, &cap, NULL) == 0 && cap == *n);
	return buf;
}

static void header(struct cursor *c, struct ctnl_msg *h, uint16_t base_type)
{
	uint8_t cmd = u8(c);

	h->type = (uint16_t)(base_type | (cmd % 3));
	take(c, &h->flags, 2);
	take(c, &h->seq, 4);
	take(c, &h->pid, 4);
	h->family = u8(c);
	h->version = 0;
	take(c, &h->res_id, 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct fuzz_text a = { 0 }, b = { 0 };
	uint8_t *buf;
	size_t n = 0;
	int bad, rc;

	if (size < 1)
		return 0;
	if (!(u8(&c) & 1)) {
		struct ctnl_ct_msg m, back;

		ctnl_ct_init(&m);
		header(&c, &m.hdr, 0x0100);
		m.norder = u8(&c) % (CTNL_CTA_MAX + 2);
		take(&c, m.order, m.norder);
		bad = fill(ctnl_ct_desc(), &m.ct, &c, 0);
		buf = encode_exact(enc_ct, &m, &n, &rc);
		FUZZ_CHECKF((rc == -EINVAL) == bad, "encode %d, the rules say %s", rc, bad ? "refuse" : "accept");
		if (!buf)
			return 0;
		FUZZ_CHECK(ctnl_ct_decode(buf, n, &back, NULL) == 0);
		FUZZ_CHECK(back.unknown.count == 0 && back.unknown.dups == 0);
		m.norder = back.norder = 0;
		fuzz_canon_nest(&a, ctnl_ct_desc(), &m.ct, "");
		fuzz_canon_nest(&b, ctnl_ct_desc(), &back.ct, "");
		FUZZ_CHECKF(fuzz_text_eq(&a, &b), "built and decoded differ:\n%s\n---\n%s", a.s ? a.s : "",
			    b.s ? b.s : "");
		fuzz_check_renders(&m);
		free(buf);
	} else {
		struct ctnl_exp_msg m, back;

		ctnl_exp_init(&m);
		header(&c, &m.hdr, 0x0200);
		m.norder = u8(&c) % (CTA_EXPECT_MAX + 2);
		take(&c, m.order, m.norder);
		bad = fill(ctnl_exp_desc(), &m.exp, &c, 0);
		buf = encode_exact(enc_exp, &m, &n, &rc);
		FUZZ_CHECKF((rc == -EINVAL) == bad, "encode %d, the rules say %s", rc, bad ? "refuse" : "accept");
		if (!buf)
			return 0;
		FUZZ_CHECK(ctnl_exp_decode(buf, n, &back, NULL) == 0);
		FUZZ_CHECK(back.unknown.count == 0 && back.unknown.dups == 0);
		fuzz_canon_nest(&a, ctnl_exp_desc(), &m.exp, "");
		fuzz_canon_nest(&b, ctnl_exp_desc(), &back.exp, "");
		FUZZ_CHECKF(fuzz_text_eq(&a, &b), "built and decoded differ:\n%s\n---\n%s", a.s ? a.s : "",
			    b.s ? b.s : "");
		fuzz_check_exp_renders(&m);
		free(buf);
	}
	fuzz_text_free(&a);
	fuzz_text_free(&b);
	return 0;
}
