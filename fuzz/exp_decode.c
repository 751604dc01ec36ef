/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target exp_decode: one expectation message -> ctnl_exp_decode, then,
 * on what decodes (wholly or up to a fault), ctnl_exp_snprintf and
 * ctnl_exp_json.
 *
 * Input: the message bytes (nlmsghdr first).
 * Oracles: as ct_decode: the return is 0, -EBADMSG or -ENOMSG; errors
 * format; views and unknowns lie inside the message; nothing past
 * nlmsg_len is read (the message alone in an exact-size block) or
 * matters (followed by garbage); renders are exact, truncate to
 * prefixes, and the JSON parses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_exp_msg m, m2;
	struct ctnl_err err = { 0 }, err2;
	int rc, rc2;

	rc = ctnl_exp_decode(data, size, &m, &err);
	fuzz_check_exp_result(data, size, rc, &m, &err);
	FUZZ_CHECK(rc != -ENOMSG || !ctnl_exp_is_entry_type(m.hdr.type));

	if (m.hdr.len >= 16 && m.hdr.len <= size) {
		size_t mlen = m.hdr.len;
		struct fuzz_text a = { 0 }, b = { 0 };

		fuzz_canon_exp(&a, &m, 1);
		for (unsigned pass = 0; pass < 2; pass++) {
			size_t clen = pass ? mlen + 8 : mlen;
			uint8_t *c = malloc(clen);

			FUZZ_CHECK(c != NULL);
			memcpy(c, data, mlen);
			memset(c + mlen, 0xa5, clen - mlen);
			memset(&err2, 0, sizeof(err2));
			rc2 = ctnl_exp_decode(c, clen, &m2, &err2);
			FUZZ_CHECKF(rc2 == rc, "rc %d on a copy, %d on the input", rc2, rc);
			fuzz_check_exp_result(c, clen, rc2, &m2, &err2);
			b.len = 0;
			fuzz_canon_exp(&b, &m2, 1);
			FUZZ_CHECKF(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
				    "decode depends on bytes past nlmsg_len:\n%s\n---\n%s", a.s, b.s);
			free(c);
		}
		fuzz_text_free(&a);
		fuzz_text_free(&b);
		if (rc == 0 || rc == -EBADMSG)
			fuzz_check_exp_renders(&m);
	}
	return 0;
}
