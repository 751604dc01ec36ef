/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_FUZZ_H
#define CTNL_FUZZ_H

/*
 * Shared by the fuzz targets (fuzz/<target>.c): oracles that any target
 * may apply to what the codec produced.
 *
 * A target is one C file defining LLVMFuzzerTestOneInput().  The same
 * file links three ways: with libFuzzer (-fsanitize=fuzzer), with AFL++'s
 * driver (libAFLDriver.a), and with replay.c, the plain driver that
 * `meson test --suite fuzz-regress` runs over fuzz/corpus/<target>/ and
 * fuzz/regressions/<target>/.  A broken property calls fuzz_fail(),
 * which prints what broke and aborts: every engine reports that as a
 * crash and keeps the input.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ctnl/ctnl.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: <what>" and abort(). */
__attribute__((noreturn, format(printf, 1, 2))) void fuzz_fail(const char *fmt, ...);

#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond))                                                          \
			fuzz_fail("%s:%d: %s", __FILE__, __LINE__, #cond);            \
	} while (0)
#define FUZZ_CHECKF(cond, fmt, ...)                                                   \
	do {                                                                          \
		if (!(cond))                                                          \
			fuzz_fail("%s:%d: %s: " fmt, __FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

/* A growable text buffer (fuzz code may allocate; the codec may not). */
struct fuzz_text {
	char *s;
	size_t len, cap;
};

void fuzz_text_add(struct fuzz_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fuzz_text_free(struct fuzz_text *t);

static inline int fuzz_text_eq(const struct fuzz_text *a, const struct fuzz_text *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

/*
 * Canonical text of a decoded nest, driven by its description: one
 * "path=value" per present attribute, integers in decimal, fixed bytes,
 * strings and blobs in hex (so two decodes of different buffers compare
 * equal when their values are equal, wherever their views point).
 */
void fuzz_canon_nest(struct fuzz_text *t, const struct ctnl_nest_desc *d, const void *obj, const char *prefix);

/* Headers (type, flags, seq, pid, family, version, res_id; not len),
 * the entry, the arrival order, and, with with_meta, the unknown list,
 * pad and duplicate counts. */
void fuzz_canon_ct(struct fuzz_text *t, const struct ctnl_ct_msg *m, int with_meta);

/*
 * Check what a decode of buf[0..len) left behind, whatever it returned:
 * every present view lies inside the message, the arrival order names
 * present types, unknowns lie inside the message and do not outnumber
 * what was counted, and on failure the error is filled and formats.
 */
struct fuzz_decoded {
	const struct ctnl_msg *hdr;
	const struct ctnl_nest_desc *desc;  /* the top-level table */
	const void *obj;                    /* the decoded top-level struct */
	const uint8_t *order;               /* arrival order, or NULL */
	const uint8_t *norder;
	unsigned maxorder;
	const struct ctnl_unknowns *unknown;
};

void fuzz_check_decoded(const struct fuzz_decoded *d, const uint8_t *buf, size_t len, int rc,
			const struct ctnl_err *err);
void fuzz_check_ct_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_ct_msg *m,
			  const struct ctnl_err *err);
void fuzz_check_exp_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_exp_msg *m,
			   const struct ctnl_err *err);
void fuzz_check_stats_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_stats_msg *m,
			     const struct ctnl_err *err);

/* Canonical text of decoded expectation and stats messages (as fuzz_canon_ct). */
void fuzz_canon_exp(struct fuzz_text *t, const struct ctnl_exp_msg *m, int with_meta);
void fuzz_canon_stats(struct fuzz_text *t, const struct ctnl_stats_msg *m, int with_meta);

/* Check views of a nest against [lo, hi). */
void fuzz_check_views(const struct ctnl_nest_desc *d, const void *obj, const uint8_t *lo, const uint8_t *hi);

/* The error formats, NUL-terminated, with the length it reports, also
 * into buffers too small for it. */
void fuzz_check_err_format(const struct ctnl_err *err);

/* Is s[0..len) one valid JSON value (RFC 8259), and nothing else? */
int fuzz_json_valid(const char *s, size_t len);

/*
 * Render m every way (text with each option set, JSON) into a buffer of
 * the exact size asked for (so ASan sees any overrun), check the returned
 * length, the NUL, that a truncated render is a prefix of the full one,
 * and that the JSON is valid.
 */
void fuzz_check_renders(const struct ctnl_ct_msg *m);
void fuzz_check_exp_renders(const struct ctnl_exp_msg *m);
void fuzz_check_stats_renders(const struct ctnl_stats_msg *m);

/*
 * Walk a whole receive buffer as an application does: ctnl_stream_next,
 * then the decoder its type calls for (conntrack entry, NLMSG_ERROR,
 * any other header).  Each message leaves one record in text: its type,
 * what its decoder returned and decoded, in canonical form, with no
 * position in the buffer, so that records of two buffers compare.  The
 * stream's end (0, or its error code) is kept apart in end_rc.
 */
#define FUZZ_WALK_RENDER 0x1u   /* also run the renderers on each entry */

struct fuzz_walk {
	struct fuzz_text text;
	size_t n;                          /* messages produced */
	size_t cap;
	size_t *pos;                       /* where message i starts in the buffer */
	size_t *len;                       /* its nlmsg_len */
	size_t *rec_end;                   /* where its record ends in text */
	int end_rc;                        /* what the last ctnl_stream_next returned */
};

void fuzz_walk_buffer(struct fuzz_walk *w, const uint8_t *buf, size_t len, unsigned flags);
void fuzz_walk_free(struct fuzz_walk *w);

/* Decode one message by its class into a record (used by fuzz_walk_buffer);
 * request: the header of the request it answers, or NULL. */
void fuzz_record_message(struct fuzz_text *t, const uint8_t *msg, size_t len, unsigned flags,
			 const struct ctnl_msg *request);

/*
 * Open bugs (docs/fuzzing.md, "Findings"): a long campaign can step
 * around one by naming it in CTNL_FUZZ_KNOWN_BUGS (comma-separated), so
 * that it goes on finding others.  CI and fuzz-regress never set it.
 */
int fuzz_known_bug(const char *id);

/* ctnl_msg_classify(), except that with the known bug
 * "stats-classify-overread" set it does not call it on a message that
 * would read past its end (a 0x0103 message whose attributes end in a
 * 4-byte header that claims 8), and returns CTNL_MC_OTHER. */
int fuzz_classify(const uint8_t *msg, size_t len, const struct ctnl_msg *request);

/* A small deterministic generator for targets that take decisions from
 * their input. */
static inline uint32_t fuzz_rand(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A copy of data in a heap block of exactly size bytes: reading one byte
 * past the end is an ASan report. */
uint8_t *fuzz_dup(const uint8_t *data, size_t size);

#endif
