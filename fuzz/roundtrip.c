/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target roundtrip: decode -> encode -> decode is a fixed point, for
 * every message type with an encoder: conntrack entries, expectations,
 * and the three kinds of statistics.
 *
 * Input: one message; its class (ctnl_msg_classify, no request) picks
 * the codec.  For a message that decodes (m1):
 *  - encode(m1) succeeds into a block of the size it needs, and fails
 *    with -ENOSPC, writing nothing past the end, one byte short;
 *  - the encoding (e1) decodes (m2) with no unknowns, duplicates or
 *    padding, and m2 equals m1 in every present value, the top-level
 *    order and the headers;
 *  - encode(m2) is e1 again, byte for byte;
 *  - with the arrival order cleared (a struct built by hand), the
 *    encoding still decodes to the same values.
 * Unknown attributes and padding are what may be lost on the way: the
 * encoder writes what the struct holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* One codec behind a common shape. */
struct codec {
	const char *name;
	size_t size;                       /* sizeof the message struct */
	int (*decode)(const void *buf, size_t len, void *m, struct ctnl_err *err);
	int (*encode)(const void *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err);
	void (*canon)(struct fuzz_text *t, const void *m, int with_meta);
	const struct ctnl_msg *(*hdr)(const void *m);
	const struct ctnl_unknowns *(*unknown)(const void *m);
	void (*forget_order)(void *m);     /* NULL: the encoder has no arrival order */
};

static int ct_dec(const void *b, size_t l, void *m, struct ctnl_err *e) { return ctnl_ct_decode(b, l, m, e); }
static int ct_enc(const void *m, void *b, size_t c, size_t *n, struct ctnl_err *e) { return ctnl_ct_encode(m, b, c, n, e); }
static void ct_canon(struct fuzz_text *t, const void *m, int meta) { fuzz_canon_ct(t, m, meta); }
static const struct ctnl_msg *ct_hdr(const void *m) { return &((const struct ctnl_ct_msg *)m)->hdr; }
static const struct ctnl_unknowns *ct_unk(const void *m) { return &((const struct ctnl_ct_msg *)m)->unknown; }
static void ct_forget(void *m) { ((struct ctnl_ct_msg *)m)->norder = 0; }

static int exp_dec(const void *b, size_t l, void *m, struct ctnl_err *e) { return ctnl_exp_decode(b, l, m, e); }
static int exp_enc(const void *m, void *b, size_t c, size_t *n, struct ctnl_err *e) { return ctnl_exp_encode(m, b, c, n, e); }
static void exp_canon(struct fuzz_text *t, const void *m, int meta) { fuzz_canon_exp(t, m, meta); }
static const struct ctnl_msg *exp_hdr(const void *m) { return &((const struct ctnl_exp_msg *)m)->hdr; }
static const struct ctnl_unknowns *exp_unk(const void *m) { return &((const struct ctnl_exp_msg *)m)->unknown; }
static void exp_forget(void *m) { ((struct ctnl_exp_msg *)m)->norder = 0; }

static unsigned stats_kind;
static int st_dec(const void *b, size_t l, void *m, struct ctnl_err *e) { return ctnl_stats_decode(b, l, stats_kind, m, e); }
static int st_enc(const void *m, void *b, size_t c, size_t *n, struct ctnl_err *e) { return ctnl_stats_encode(m, b, c, n, e); }
static void st_canon(struct fuzz_text *t, const void *m, int meta) { fuzz_canon_stats(t, m, meta); }
static const struct ctnl_msg *st_hdr(const void *m) { return &((const struct ctnl_stats_msg *)m)->hdr; }
static const struct ctnl_unknowns *st_unk(const void *m) { return &((const struct ctnl_stats_msg *)m)->unknown; }

static const struct codec ct_codec = { "ct", sizeof(struct ctnl_ct_msg), ct_dec, ct_enc, ct_canon, ct_hdr, ct_unk, ct_forget };
static const struct codec exp_codec = { "exp", sizeof(struct ctnl_exp_msg), exp_dec, exp_enc, exp_canon, exp_hdr, exp_unk, exp_forget };
static const struct codec stats_codec = { "stats", sizeof(struct ctnl_stats_msg), st_dec, st_enc, st_canon, st_hdr, st_unk, NULL };

/* Encode m into a block of exactly the size it needs; return it. */
static uint8_t *encode_exact(const struct codec *c, const void *m, size_t hint, size_t *out_len, int *rc_out)
{
	size_t cap = hint, n = 0;
	struct ctnl_err err;
	uint8_t *buf;
	int rc;

	for (;;) {
		buf = malloc(cap);
		FUZZ_CHECK(buf != NULL);
		memset(&err, 0, sizeof(err));
		rc = c->encode(m, buf, cap, &n, &err);
		if (rc != -ENOSPC)
			break;
		FUZZ_CHECK(err.code == -ENOSPC);
		free(buf);
		FUZZ_CHECK(cap < ((size_t)1 << 24));
		cap *= 2;
	}
	*rc_out = rc;
	if (rc < 0) {
		FUZZ_CHECKF(rc == -EINVAL && err.code == rc, "%s encode rc %d", c->name, rc);
		fuzz_check_err_format(&err);
		free(buf);
		return NULL;
	}
	FUZZ_CHECK(n >= 20 && n <= cap && n % 4 == 0);
	free(buf);

	/* exactly n bytes: succeeds; n - 1: -ENOSPC, and no overrun (ASan) */
	buf = malloc(n - 1);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(c->encode(m, buf, n - 1, out_len, &err) == -ENOSPC);
	free(buf);
	buf = malloc(n);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(c->encode(m, buf, n, out_len, &err) == 0 && *out_len == n);
	return buf;
}

static void same_text(const char *what, const struct fuzz_text *a, const struct fuzz_text *b)
{
	FUZZ_CHECKF(a->len == b->len && memcmp(a->s, b->s, a->len) == 0, "%s:\n%s\n--- after:\n%s", what, a->s, b->s);
}

static void roundtrip(const struct codec *c, const uint8_t *data, size_t size)
{
	void *m1 = malloc(c->size), *m2 = malloc(c->size), *m3 = malloc(c->size);
	struct ctnl_err err = { 0 };
	struct fuzz_text t1 = { 0 }, t2 = { 0 };
	const struct ctnl_unknowns *u;
	uint8_t *e1 = NULL, *e2 = NULL;
	size_t n1, n2;
	int rc;

	FUZZ_CHECK(m1 && m2 && m3);
	if (c->decode(data, size, m1, &err) != 0)
		goto out;

	e1 = encode_exact(c, m1, 64, &n1, &rc);
	if (!e1) {
		/* a view that cannot be written back: a string of 65531
		 * bytes has no room for its NUL, or a nest outgrows 65535.
		 * Only a message near that size can hold one. */
		FUZZ_CHECKF(c->hdr(m1)->len > 60000, "%s: decoded message of %u bytes does not encode: %d", c->name,
			    c->hdr(m1)->len, rc);
		goto out;
	}

	memset(&err, 0, sizeof(err));
	rc = c->decode(e1, n1, m2, &err);
	FUZZ_CHECKF(rc == 0, "%s: the encoding does not decode: %s (%s)", c->name, err.what, err.path);
	u = c->unknown(m2);
	FUZZ_CHECK(u->count == 0 && u->dups == 0 && u->pads == 0);
	FUZZ_CHECK(c->hdr(m2)->len == n1);

	c->canon(&t1, m1, 0);
	c->canon(&t2, m2, 0);
	same_text("decode(encode(m)) != m", &t1, &t2);

	e2 = encode_exact(c, m2, n1, &n2, &rc);
	FUZZ_CHECKF(e2 != NULL, "%s: re-encode failed: %d", c->name, rc);
	FUZZ_CHECKF(n2 == n1 && memcmp(e1, e2, n1) == 0, "%s: encode(decode(e)) != e (%zu vs %zu bytes)", c->name, n2,
		    n1);

	if (c->forget_order) {
		/* as built by hand: the default order, the same values */
		memcpy(m3, m2, c->size);
		c->forget_order(m3);
		free(e2);
		e2 = encode_exact(c, m3, n1, &n2, &rc);
		FUZZ_CHECK(e2 != NULL && n2 == n1);
		memset(&err, 0, sizeof(err));
		FUZZ_CHECK(c->decode(e2, n2, m3, &err) == 0);
		c->forget_order(m3);
		c->forget_order(m2);
		t1.len = t2.len = 0;
		c->canon(&t1, m2, 0);
		c->canon(&t2, m3, 0);
		same_text("the default-order encoding changes values", &t1, &t2);
	}
out:
	fuzz_text_free(&t1);
	fuzz_text_free(&t2);
	free(e1);
	free(e2);
	free(m1);
	free(m2);
	free(m3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	switch (fuzz_classify(data, size, NULL)) {
	case CTNL_MC_CT:
		roundtrip(&ct_codec, data, size);
		break;
	case CTNL_MC_EXP:
		roundtrip(&exp_codec, data, size);
		break;
	case CTNL_MC_STATS_CPU:
		stats_kind = CTNL_STATS_CPU;
		roundtrip(&stats_codec, data, size);
		break;
	case CTNL_MC_STATS_EXP_CPU:
		stats_kind = CTNL_STATS_EXP_CPU;
		roundtrip(&stats_codec, data, size);
		break;
	case CTNL_MC_STATS_GLOBAL:
		stats_kind = CTNL_STATS_GLOBAL;
		roundtrip(&stats_codec, data, size);
		break;
	default:
		break;
	}
	return 0;
}
