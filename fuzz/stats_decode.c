/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target stats_decode: one statistics message, classified with and
 * without the request it answers, then ctnl_stats_decode and the
 * renderers.
 *
 * Input: one context byte, then the message.  The context byte picks the
 * request header handed to ctnl_msg_classify(): 0 none, 1 EXP
 * GET_STATS_CPU (0x0203), 2 CT GET_CTRZERO (0x0103), 3 CT GET_STATS_CPU
 * (0x0104), 4 CT GET_STATS (0x0105), others CT GET (0x0101).
 *
 * Oracles:
 *  - classification follows the documented rule: with a request, 0x0103
 *    is expectation stats exactly when the request is 0x0203; without
 *    one, exactly when the message is not a request and every top-level
 *    attribute is a 4-byte, non-nested attribute of type 1..3 (or there
 *    is none);
 *  - the decoder of every kind either decodes, or says -ENOMSG for a
 *    type that does not fit the kind, -EINVAL for an unknown kind, or
 *    -EBADMSG with a formatted error; views and unknowns lie inside the
 *    message; renders are exact and the JSON parses.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

static const uint16_t contexts[] = { 0, 0x0203, 0x0103, 0x0104, 0x0105 };

/* The rule of ctnl_msg_classify() for 0x0103 with no request, written
 * again from its documentation. */
static int looks_like_exp_stats(const uint8_t *msg, size_t len)
{
	size_t off = 20;

	while (off + 4 <= len) {
		uint16_t alen, type;

		memcpy(&alen, msg + off, 2);
		memcpy(&type, msg + off + 2, 2);
		if (alen != 8 || (type & 0x8000) || (type & 0x3fff) < 1 || (type & 0x3fff) > 3)
			return 0;
		off += 8;
	}
	return off == len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_msg req = { 0 }, h;
	const struct ctnl_msg *request = NULL;
	struct ctnl_stats_msg m;
	struct ctnl_err err;
	const uint8_t *msg;
	size_t len;
	int cls, rc;

	if (size < 1)
		return 0;
	if (data[0] != 0) {
		req.type = data[0] < sizeof(contexts) / sizeof(contexts[0]) ? contexts[data[0]] : 0x0101;
		req.flags = 0x0301; /* NLM_F_REQUEST | NLM_F_DUMP */
		request = &req;
	}
	msg = data + 1;
	len = size - 1;

	cls = fuzz_classify(msg, len, request);
	if (cls == CTNL_MC_OTHER && fuzz_known_bug("stats-classify-overread"))
		return 0;
	if (ctnl_msg_parse(msg, len, &h, NULL) < 0) {
		FUZZ_CHECK(cls == -EBADMSG);
		return 0;
	}
	FUZZ_CHECK(cls >= 0);
	if (h.type == 0x0103) {
		int want;

		if (request)
			want = req.type == 0x0203;
		else
			want = !(h.flags & 0x1) && looks_like_exp_stats(msg, h.len);
		FUZZ_CHECKF((cls == CTNL_MC_STATS_EXP_CPU) == want, "0x0103 classified %d (flags 0x%x, request 0x%x)",
			    cls, h.flags, request ? req.type : 0);
		FUZZ_CHECK(cls == CTNL_MC_STATS_EXP_CPU || cls == CTNL_MC_CT);
	}

	/* every kind, the invalid ones too */
	for (unsigned kind = 0; kind <= CTNL_STATS_GLOBAL + 1; kind++) {
		int fits = (kind == CTNL_STATS_CPU && cls == CTNL_MC_STATS_CPU) ||
			   (kind == CTNL_STATS_EXP_CPU && cls == CTNL_MC_STATS_EXP_CPU) ||
			   (kind == CTNL_STATS_GLOBAL && cls == CTNL_MC_STATS_GLOBAL);

		memset(&err, 0, sizeof(err));
		rc = ctnl_stats_decode(msg, len, kind, &m, &err);
		fuzz_check_stats_result(msg, len, rc, &m, &err);
		if (kind < CTNL_STATS_CPU || kind > CTNL_STATS_GLOBAL) {
			uint8_t out[64];
			size_t n;

			FUZZ_CHECKF(rc == -EINVAL, "kind %u: %d", kind, rc);
			m.kind = (uint8_t)kind;
			FUZZ_CHECK(ctnl_stats_encode(&m, out, sizeof(out), &n, NULL) == -EINVAL);
			continue;
		}
		if (fits)
			FUZZ_CHECKF(rc == 0 || rc == -EBADMSG, "classified kind %u, decode %d", kind, rc);
		if (rc == 0 || (rc == -EBADMSG && m.hdr.len >= 16 && m.hdr.len <= len && ctnl_stats_desc(kind)))
			fuzz_check_stats_renders(&m);
	}
	return 0;
}
