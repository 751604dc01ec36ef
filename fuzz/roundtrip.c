/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target roundtrip: decode -> encode -> decode is a fixed point.
 *
 * Input: one conntrack message.
 * For a message that decodes (m1):
 *  - ctnl_ct_encode(m1) succeeds into a buffer of the size it needs and
 *    fails with -ENOSPC, writing nothing past the end, one byte short;
 *  - the encoding (e1) decodes (m2) with no unknowns, no duplicates and
 *    no trailing faults, and m2 equals m1 in every present value, in the
 *    top-level order and in the headers;
 *  - encoding m2 gives e1 again, byte for byte.
 * Unknown attributes and padding are what may be lost on the way: the
 * encoder writes what the struct holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Encode m into a block of exactly the size it needs; return it. */
static uint8_t *encode_exact(const struct ctnl_ct_msg *m, size_t hint, size_t *out_len, int *rc_out)
{
	size_t cap = hint;
	uint8_t *buf;
	struct ctnl_err err = { 0 };
	size_t n = 0;
	int rc;

	/* find the size: grow until it fits */
	for (;;) {
		buf = malloc(cap);
		FUZZ_CHECK(buf != NULL);
		memset(&err, 0, sizeof(err));
		rc = ctnl_ct_encode(m, buf, cap, &n, &err);
		if (rc != -ENOSPC)
			break;
		FUZZ_CHECK(err.code == -ENOSPC);
		free(buf);
		FUZZ_CHECK(cap < ((size_t)1 << 24));
		cap *= 2;
	}
	*rc_out = rc;
	if (rc < 0) {
		FUZZ_CHECKF(rc == -EINVAL && err.code == rc, "encode rc %d", rc);
		fuzz_check_err_format(&err);
		free(buf);
		return NULL;
	}
	FUZZ_CHECK(n >= 20 && n <= cap && n % 4 == 0);
	free(buf);

	/* exactly n bytes: succeeds; n - 1: -ENOSPC, and no overrun (ASan) */
	buf = malloc(n - 1);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(ctnl_ct_encode(m, buf, n - 1, out_len, &err) == -ENOSPC);
	free(buf);
	buf = malloc(n);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(ctnl_ct_encode(m, buf, n, out_len, &err) == 0 && *out_len == n);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_ct_msg m1, m2, m3;
	struct ctnl_err err = { 0 };
	struct fuzz_text t1 = { 0 }, t2 = { 0 };
	uint8_t *e1, *e2;
	size_t n1, n2;
	int rc;

	if (ctnl_ct_decode(data, size, &m1, &err) != 0)
		return 0;

	e1 = encode_exact(&m1, 64, &n1, &rc);
	if (!e1) {
		/* a view that cannot be written back: a string of 65531
		 * bytes has no room for its NUL, or a nest outgrows 65535.
		 * Only a message near that size can hold one. */
		FUZZ_CHECKF(m1.hdr.len > 60000, "decoded message of %u bytes does not encode: %d", m1.hdr.len, rc);
		return 0;
	}

	memset(&err, 0, sizeof(err));
	rc = ctnl_ct_decode(e1, n1, &m2, &err);
	FUZZ_CHECKF(rc == 0, "the encoding does not decode: %s (%s)", err.what, err.path);
	FUZZ_CHECK(m2.unknown.count == 0 && m2.unknown.dups == 0 && m2.unknown.pads == 0);
	FUZZ_CHECK(m2.hdr.len == n1);

	fuzz_canon_ct(&t1, &m1, 0);
	fuzz_canon_ct(&t2, &m2, 0);
	FUZZ_CHECKF(t1.len == t2.len && memcmp(t1.s, t2.s, t1.len) == 0, "decode(encode(m)) != m:\n%s\n--- after:\n%s",
		    t1.s, t2.s);

	e2 = encode_exact(&m2, n1, &n2, &rc);
	FUZZ_CHECKF(e2 != NULL, "re-encode failed: %d", rc);
	FUZZ_CHECKF(n2 == n1 && memcmp(e1, e2, n1) == 0, "encode(decode(e)) != e (%zu vs %zu bytes)", n2, n1);

	/* and the fixed point holds once more, from a struct built by copy */
	m3 = m2;
	m3.norder = 0;
	free(e2);
	e2 = encode_exact(&m3, n1, &n2, &rc);
	FUZZ_CHECK(e2 != NULL && n2 == n1);
	memset(&err, 0, sizeof(err));
	FUZZ_CHECK(ctnl_ct_decode(e2, n2, &m3, &err) == 0);
	t2.len = 0;
	fuzz_canon_nest(&t2, ctnl_ct_desc(), &m3.ct, "");
	t1.len = 0;
	fuzz_canon_nest(&t1, ctnl_ct_desc(), &m2.ct, "");
	FUZZ_CHECKF(t1.len == t2.len && memcmp(t1.s, t2.s, t1.len) == 0, "default-order encode loses values:\n%s\n---\n%s",
		    t1.s, t2.s);

	fuzz_text_free(&t1);
	fuzz_text_free(&t2);
	free(e1);
	free(e2);
	return 0;
}
