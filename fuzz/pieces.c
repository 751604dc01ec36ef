/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target pieces: decoding a buffer whole equals decoding it in pieces.
 *
 * Input: two control bytes, then a receive buffer.  The control bytes
 * seed the choice of cut points.
 *
 * Property 1 (message boundaries): cut the buffer where the whole walk
 * found messages starting, as datagrams of one dump arrive; walking each
 * piece (each in a heap block of its exact size) gives, end to end, the
 * same records as the whole, and the last piece ends as the whole did.
 *
 * Property 2 (any byte): a prefix of c bytes gives exactly the records of
 * the k whole messages that fit in it, then ends cleanly if c is at a
 * boundary or in the padding after message k, and with -EBADMSG if a
 * message is cut.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void same_records(const char *what, const struct fuzz_text *got, size_t got_len,
			 const struct fuzz_text *want, size_t want_len)
{
	FUZZ_CHECKF(got_len == want_len && (got_len == 0 || memcmp(got->s, want->s, got_len) == 0),
		    "%s: records differ:\n%.*s\n--- whole:\n%.*s", what, (int)got_len, got->s ? got->s : "",
		    (int)want_len, want->s ? want->s : "");
}

static void check_prefix(const struct fuzz_walk *whole, const uint8_t *buf, size_t c)
{
	struct fuzz_walk p;
	uint8_t *copy = fuzz_dup(buf, c);
	size_t k = 0, next = 0;

	while (k < whole->n && whole->pos[k] + whole->len[k] <= c)
		k++;
	if (k > 0) {
		size_t end = whole->pos[k - 1] + ((whole->len[k - 1] + 3u) & ~(size_t)3u);

		next = end;
	}
	fuzz_walk_buffer(&p, copy, c, 0);
	FUZZ_CHECKF(p.n == k, "prefix of %zu bytes: %zu messages, expected %zu", c, p.n, k);
	same_records("prefix", &p.text, p.text.len, &whole->text, k ? whole->rec_end[k - 1] : 0);
	if (c <= next || c == 0)
		FUZZ_CHECKF(p.end_rc == 0, "prefix of %zu bytes ends with %d, expected 0", c, p.end_rc);
	else
		FUZZ_CHECKF(p.end_rc == -EBADMSG, "prefix of %zu bytes ends with %d, expected -EBADMSG", c, p.end_rc);
	fuzz_walk_free(&p);
	free(copy);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_walk whole;
	uint32_t seed;
	const uint8_t *buf;
	size_t len, cuts[4];
	unsigned ncuts = 0;

	if (size < 2)
		return 0;
	seed = (uint32_t)data[0] << 8 | data[1];
	buf = data + 2;
	len = size - 2;
	fuzz_walk_buffer(&whole, buf, len, 0);

	/* property 1: pieces at message boundaries */
	if (whole.n > 1) {
		unsigned want = 1 + fuzz_rand(&seed) % 3;

		for (unsigned i = 0; i < want; i++)
			cuts[ncuts++] = whole.pos[1 + fuzz_rand(&seed) % (whole.n - 1)];
		qsort(cuts, ncuts, sizeof(cuts[0]), cmp_size);

		struct fuzz_text all = { 0 };
		size_t start = 0, nmsg = 0;
		int end_rc = 0;

		for (unsigned i = 0; i <= ncuts; i++) {
			size_t stop = i < ncuts ? cuts[i] : len;
			struct fuzz_walk p;
			uint8_t *copy;

			if (stop == start)
				continue;
			copy = fuzz_dup(buf + start, stop - start);
			fuzz_walk_buffer(&p, copy, stop - start, 0);
			if (i < ncuts)
				FUZZ_CHECKF(p.end_rc == 0, "piece [%zu,%zu) ends with %d", start, stop, p.end_rc);
			end_rc = p.end_rc;
			if (p.text.len)
				fuzz_text_add(&all, "%.*s", (int)p.text.len, p.text.s);
			nmsg += p.n;
			fuzz_walk_free(&p);
			free(copy);
			start = stop;
		}
		FUZZ_CHECKF(nmsg == whole.n, "pieces gave %zu messages, whole %zu", nmsg, whole.n);
		same_records("pieces", &all, all.len, &whole.text, whole.text.len);
		FUZZ_CHECKF(end_rc == whole.end_rc, "pieces end with %d, whole with %d", end_rc, whole.end_rc);
		fuzz_text_free(&all);
	}

	/* property 2: prefixes at any byte (a few, and the ends of messages) */
	if (len) {
		check_prefix(&whole, buf, fuzz_rand(&seed) % (len + 1));
		check_prefix(&whole, buf, fuzz_rand(&seed) % (len + 1));
	}
	for (size_t i = 0; i < whole.n && i < 8; i++) {
		check_prefix(&whole, buf, whole.pos[i] + whole.len[i]);
		if (whole.len[i] > 1)
			check_prefix(&whole, buf, whole.pos[i] + whole.len[i] - 1);
	}
	fuzz_walk_free(&whole);
	return 0;
}
