/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The offline half of the live event-filter test: given what
 * ctnl-filtertool listen recorded (DIR/all.bin unfiltered, DIR/fN.bin
 * through the kernel with filter N attached, DIR/fN.prog the program),
 * check for every filter that
 *   - the recorded program is what the compiler makes from the spec now;
 *   - the kernel delivered exactly the events, in order and byte for
 *     byte, that the interpreter accepts out of the unfiltered stream;
 *   - the reference evaluator, on each decoded event, agrees.
 *
 *   live_check DIR SPEC...
 *
 * Exit 0 when all agree, 1 otherwise, 2 on usage or I/O errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/bpf.h>
#include <ctnl/ct.h>
#include <ctnl/msg.h>

#include "../tools/filterspec.h"

#define MAXBUF (16u << 20)

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;

	if (!f)
		return NULL;
	b = malloc(MAXBUF);
	*len = b ? fread(b, 1, MAXBUF, f) : 0;
	fclose(f);
	return b;
}

/* The n-th message of a buffer (0-based), or NULL. */
struct msgs {
	const uint8_t *p[8192];
	size_t len[8192];
	size_t n;
};

static int split(const uint8_t *buf, size_t len, struct msgs *out)
{
	struct ctnl_stream s;
	const uint8_t *m;
	size_t l;
	int rc;

	out->n = 0;
	ctnl_stream_init(&s, buf, len);
	while ((rc = ctnl_stream_next(&s, &m, &l, NULL)) == 1) {
		if (out->n >= 8192)
			return -1;
		out->p[out->n] = m;
		out->len[out->n++] = l;
	}
	return rc;
}

static struct msgs all, got;
static struct ctnl_bpf_match ents[4096];
static struct ctnl_bpf_insn prog[CTNL_BPF_MAXINSNS], rec[CTNL_BPF_MAXINSNS];

int main(int argc, char **argv)
{
	char path[4096], why[160];
	size_t alen, total_kept = 0, total_dropped = 0;
	uint8_t *abuf;
	int fail = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: live_check DIR SPEC...\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/all.bin", argv[1]);
	abuf = slurp(path, &alen);
	if (!abuf || split(abuf, alen, &all) < 0) {
		fprintf(stderr, "live_check: cannot read %s\n", path);
		return 2;
	}
	printf("%zu events recorded unfiltered\n", all.n);
	if (all.n < 10) {
		fprintf(stderr, "FAIL: fewer than 10 events: the traffic did not happen\n");
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		unsigned fi = (unsigned)(i - 2);
		struct ctnl_err err = { 0 };
		size_t plen, rlen, glen, want = 0, k = 0;
		uint8_t *gbuf;
		FILE *pf;
		int n = spec_parse(argv[i], ents, 4096, why, sizeof(why));

		if (n < 0 || ctnl_bpf_compile(ents, (size_t)n, prog, CTNL_BPF_MAXINSNS, &plen, &err) < 0) {
			fprintf(stderr, "live_check: filter %u: %s%s\n", fi, n < 0 ? why : "", n < 0 ? "" : err.what);
			return 2;
		}
		snprintf(path, sizeof(path), "%s/f%u.prog", argv[1], fi);
		pf = fopen(path, "rb");
		rlen = pf ? fread(rec, sizeof(rec[0]), CTNL_BPF_MAXINSNS, pf) : 0;
		if (pf)
			fclose(pf);
		if (rlen != plen || memcmp(rec, prog, plen * sizeof(prog[0]))) {
			fprintf(stderr, "FAIL f%u: the attached program is not what the compiler makes now\n", fi);
			fail = 1;
			continue;
		}
		snprintf(path, sizeof(path), "%s/f%u.bin", argv[1], fi);
		gbuf = slurp(path, &glen);
		if (!gbuf || split(gbuf, glen, &got) < 0) {
			fprintf(stderr, "live_check: cannot read %s\n", path);
			return 2;
		}
		for (size_t j = 0; j < all.n; j++) {
			struct ctnl_ct_msg d;
			uint32_t verdict;
			int ev;

			if (ctnl_bpf_run(prog, plen, all.p[j], all.len[j], &verdict, &err) < 0) {
				fprintf(stderr, "FAIL f%u: interpreter: %s\n", fi, err.what);
				fail = 1;
				break;
			}
			if (ctnl_ct_decode(all.p[j], all.len[j], &d, NULL) == 0 && !d.unknown.dups && !d.unknown.pads) {
				ev = ctnl_bpf_match_eval(ents, (size_t)n, &d, NULL);
				if (ev != (verdict != 0)) {
					fprintf(stderr, "FAIL f%u: event %zu: interpreter %u, evaluator %d\n", fi, j, verdict, ev);
					fail = 1;
				}
			}
			if (!verdict)
				continue;
			want++;
			if (k >= got.n || got.len[k] != all.len[j] || memcmp(got.p[k], all.p[j], all.len[j])) {
				fprintf(stderr, "FAIL f%u: event %zu of the unfiltered stream is accepted by the interpreter, "
						"but the kernel delivered %s\n",
					fi, j, k >= got.n ? "nothing more" : "another event in its place");
				fail = 1;
				break;
			}
			k++;
		}
		if (k != got.n && !fail) {
			fprintf(stderr, "FAIL f%u: the kernel delivered %zu events, the interpreter predicts %zu\n", fi, got.n,
				want);
			fail = 1;
		}
		printf("f%-2u %4zu of %zu delivered, as the interpreter predicts: %.70s\n", fi, got.n, all.n, argv[i]);
		total_kept += got.n;
		total_dropped += all.n - got.n;
		free(gbuf);
	}
	if (!total_kept || !total_dropped) {
		fprintf(stderr, "FAIL: the filters %s: the test shows nothing\n", total_kept ? "dropped nothing" : "kept nothing");
		fail = 1;
	}
	free(abuf);
	return fail;
}
