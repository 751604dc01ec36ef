/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target ct_decode: one conntrack message -> ctnl_ct_decode, then, on
 * what decodes, ctnl_ct_snprintf and ctnl_ct_json.
 *
 * Input: the message bytes (nlmsghdr first), as one datagram holds them.
 * Oracles: no sanitizer report; the return is 0, -EBADMSG or -ENOMSG; a
 * failure fills and formats its error; views and unknowns lie inside the
 * message; decoding is deterministic and does not depend on bytes past
 * nlmsg_len; every renderer returns its length, NUL-terminates, truncates
 * to a prefix, and the JSON is valid.  ctnl_ct_decode_with gives what
 * ctnl_ct_decode gives: on the input learned, on it again (from the kept
 * layout), and on copies with one byte changed after the decoder learned
 * the input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* decode_with against the plain decode, on msg as the decoder now stands */
static void same_as_plain(struct ctnl_ct_decoder *dec, const uint8_t *msg, size_t len)
{
	static struct ctnl_ct_msg a, b;
	struct ctnl_err ea, eb;
	struct fuzz_text ta = { 0 }, tb = { 0 };
	int ra, rb;

	memset(&ea, 0, sizeof(ea));
	memset(&eb, 0, sizeof(eb));
	ra = ctnl_ct_decode(msg, len, &a, &ea);
	rb = ctnl_ct_decode_with(dec, msg, len, &b, &eb);
	FUZZ_CHECKF(ra == rb, "decode_with returned %d, decode %d", rb, ra);
	fuzz_canon_ct(&ta, &a, 1);
	fuzz_canon_ct(&tb, &b, 1);
	FUZZ_CHECKF(fuzz_text_eq(&ta, &tb), "decode_with decoded otherwise:\n%s\n---\n%s", tb.s, ta.s);
	if (ra < 0)
		FUZZ_CHECKF(ea.code == eb.code && ea.offset == eb.offset && ea.attr_type == eb.attr_type &&
				    !strcmp(ea.path, eb.path) && !strcmp(ea.what, eb.what),
			    "decode_with error '%s' %s at %u, decode '%s' %s at %u", eb.what, eb.path, eb.offset,
			    ea.what, ea.path, ea.offset);
	fuzz_text_free(&ta);
	fuzz_text_free(&tb);
}

static void check_decoder(const uint8_t *data, size_t size)
{
	static struct ctnl_ct_decoder dec;

	ctnl_ct_decoder_init(&dec);
	same_as_plain(&dec, data, size);
	same_as_plain(&dec, data, size);
	/* one byte changed, where the input itself says: a value keeps the
	 * layout, a header breaks it */
	for (unsigned k = 0; k < 3 && size > 20; k++) {
		uint8_t *c = fuzz_dup(data, size);
		size_t at = 20 + (size_t)(data[(k * 7) % size] * 31u + k * 101u) % (size - 20);

		c[at] ^= (uint8_t)(0x55u * (k + 1));
		same_as_plain(&dec, c, size);
		free(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_ct_msg m, m2;
	struct ctnl_err err, err2;
	int rc, rc2;

	memset(&err, 0, sizeof(err));
	rc = ctnl_ct_decode(data, size, &m, &err);
	fuzz_check_ct_result(data, size, rc, &m, &err);

	/* Nothing past nlmsg_len matters: the message alone in a block of
	 * its exact size (an over-read is an ASan report), and followed by
	 * garbage, decode the same. */
	if (m.hdr.len >= 16 && m.hdr.len <= size) {
		size_t mlen = m.hdr.len;
		uint8_t *copy = malloc(mlen + 8);
		struct fuzz_text a = { 0 }, b = { 0 };

		FUZZ_CHECK(copy != NULL);
		fuzz_canon_ct(&a, &m, 1);
		for (unsigned pass = 0; pass < 2; pass++) {
			size_t clen = pass ? mlen + 8 : mlen;
			uint8_t *c = pass ? copy : fuzz_dup(data, mlen);

			if (pass) {
				memcpy(copy, data, mlen);
				memset(copy + mlen, 0xa5, 8);
			}
			memset(&err2, 0, sizeof(err2));
			rc2 = ctnl_ct_decode(c, clen, &m2, &err2);
			FUZZ_CHECKF(rc2 == rc, "rc %d on a copy, %d on the input", rc2, rc);
			fuzz_check_ct_result(c, clen, rc2, &m2, &err2);
			b.len = 0;
			fuzz_canon_ct(&b, &m2, 1);
			FUZZ_CHECKF(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
				    "decode depends on bytes past nlmsg_len:\n%s\n---\n%s", a.s, b.s);
			if (!pass)
				free(c);
		}
		fuzz_text_free(&a);
		fuzz_text_free(&b);
		free(copy);
	}

	check_decoder(data, size);

	if (rc == 0) {
		fuzz_check_renders(&m);
	} else if (rc == -EBADMSG && m.hdr.len >= 16 && m.hdr.len <= size) {
		/* what decoded before the fault must render safely too */
		fuzz_check_renders(&m);
	}
	return 0;
}
