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
 * to a prefix, and the JSON is valid.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

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

	if (rc == 0) {
		fuzz_check_renders(&m);
	} else if (rc == -EBADMSG && m.hdr.len >= 16 && m.hdr.len <= size) {
		/* what decoded before the fault must render safely too */
		fuzz_check_renders(&m);
	}
	return 0;
}
