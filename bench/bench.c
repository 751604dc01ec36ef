/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl next to libnetfilter_conntrack on the same bytes, in one run:
 * full decode (ctnl_ct_decode vs nfct_nlmsg_parse) and conntrack(8)-format
 * rendering (ctnl_ct_snprintf vs nfct_snprintf), in ns per message, and
 * the ratios.  Input: a file of raw dump replies (bench/run.sh records one
 * from a namespace holding 100,000 real entries).  Each measurement is the
 * best of several passes, to keep scheduler noise out of the ratio.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include <ctnl/ctnl.h>

#define PASSES 11

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	struct ctnl_stream s;
	const uint8_t *msg, **msgs;
	size_t mlen, len, n = 0, cap = 1024, bytes = 0;
	uint8_t *data;
	static char line[4096];
	double best[5] = { 1e30, 1e30, 1e30, 1e30, 1e30 };
	volatile size_t sink = 0;
	struct ctnl_ct_msg *decoded;
	struct nf_conntrack **cts, **fresh;
	struct ctnl_render_opts ro = { .size = sizeof(ro) };
	size_t limit = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;

	if (argc < 2) {
		fprintf(stderr, "usage: ctnl-bench DUMPFILE [MAX_MESSAGES]\n");
		return 2;
	}
	data = read_all(argv[1], &len);
	if (!data) {
		fprintf(stderr, "ctnl-bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	msgs = malloc(cap * sizeof(*msgs));
	ctnl_stream_init(&s, data, len);
	while (n < limit && ctnl_stream_next(&s, &msg, &mlen, NULL) == 1) {
		uint16_t type;

		memcpy(&type, msg + 4, 2);
		if (!ctnl_ct_is_entry_type(type))
			continue;
		if (n == cap)
			msgs = realloc(msgs, (cap *= 2) * sizeof(*msgs));
		msgs[n++] = msg;
		bytes += mlen;
	}
	if (n == 0) {
		fprintf(stderr, "ctnl-bench: no conntrack entries in %s\n", argv[1]);
		return 1;
	}
	decoded = malloc(n * sizeof(*decoded));
	cts = malloc(n * sizeof(*cts));
	fresh = malloc(n * sizeof(*fresh));
	for (size_t i = 0; i < n; i++) {
		cts[i] = nfct_new();
		if (!cts[i] || nfct_nlmsg_parse((const struct nlmsghdr *)msgs[i], cts[i]) < 0) {
			fprintf(stderr, "ctnl-bench: nfct_nlmsg_parse failed on message %zu\n", i);
			return 1;
		}
		if (ctnl_ct_decode(msgs[i], ((const struct nlmsghdr *)msgs[i])->nlmsg_len, &decoded[i], NULL) < 0) {
			fprintf(stderr, "ctnl-bench: ctnl_ct_decode failed on message %zu\n", i);
			return 1;
		}
	}
	ro.now = (int64_t)time(NULL);

	for (int pass = 0; pass < PASSES; pass++) {
		static struct ctnl_ct_msg m;
		double t0, t;

		t0 = now_ns();
		for (size_t i = 0; i < n; i++) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)msgs[i];
			sink += (size_t)ctnl_ct_decode(msgs[i], h->nlmsg_len, &m, NULL) + m.ct.present;
		}
		t = (now_ns() - t0) / (double)n;
		best[0] = t < best[0] ? t : best[0];

		/* the same messages through a decoder that keeps layouts, as
		 * ctnl_ct_dump and ctnl decode use; a fresh one each pass, so
		 * its learning is timed too */
		{
			static struct ctnl_ct_decoder dec;

			ctnl_ct_decoder_init(&dec);
			t0 = now_ns();
			for (size_t i = 0; i < n; i++) {
				const struct nlmsghdr *h = (const struct nlmsghdr *)msgs[i];

				sink += (size_t)ctnl_ct_decode_with(&dec, msgs[i], h->nlmsg_len, &m, NULL) +
					m.ct.present;
			}
			t = (now_ns() - t0) / (double)n;
			best[4] = t < best[4] ? t : best[4];
		}

		/* the parser only adds what it finds, so each message gets a
		 * fresh object, as in its callback API; allocation is untimed */
		for (size_t i = 0; i < n; i++)
			fresh[i] = nfct_new();
		t0 = now_ns();
		for (size_t i = 0; i < n; i++)
			sink += (size_t)nfct_nlmsg_parse((const struct nlmsghdr *)msgs[i], fresh[i]);
		t = (now_ns() - t0) / (double)n;
		best[1] = t < best[1] ? t : best[1];
		for (size_t i = 0; i < n; i++)
			nfct_destroy(fresh[i]);

		t0 = now_ns();
		for (size_t i = 0; i < n; i++)
			sink += (size_t)ctnl_ct_snprintf(line, sizeof(line), &decoded[i], &ro);
		t = (now_ns() - t0) / (double)n;
		best[2] = t < best[2] ? t : best[2];

		t0 = now_ns();
		for (size_t i = 0; i < n; i++)
			sink += (size_t)nfct_snprintf(line, sizeof(line), cts[i], NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0);
		t = (now_ns() - t0) / (double)n;
		best[3] = t < best[3] ? t : best[3];
	}

	printf("ctnl-bench: %zu conntrack messages, %.0f bytes each on average, best of %d passes\n", n,
	       (double)bytes / (double)n, PASSES);
	printf("%-34s %10s %10s %8s\n", "operation", "ctnl ns", "nfct ns", "speedup");
	printf("%-34s %10.1f %10.1f %7.2fx\n", "decode (ctnl_ct_decode / nfct_nlmsg_parse)", best[0], best[1],
	       best[1] / best[0]);
	printf("%-34s %10.1f %10.1f %7.2fx\n", "decode, kept layouts (ctnl_ct_decode_with)", best[4], best[1],
	       best[1] / best[4]);
	printf("%-34s %10.1f %10.1f %7.2fx\n", "render (ctnl_ct_snprintf / nfct_snprintf)", best[2], best[3],
	       best[3] / best[2]);
	printf("memory per decoded entry: ctnl %zu bytes in the caller's struct (views into the buffer, "
	       "no allocation); nfct one heap object from nfct_new() plus allocations for helper info, "
	       "secctx and labels\n", sizeof(struct ctnl_ct_msg));
	printf("(sink %zu)\n", (size_t)sink);
	for (size_t i = 0; i < n; i++)
		nfct_destroy(cts[i]);
	free(cts);
	free(fresh);
	free(decoded);
	free(msgs);
	free(data);
	return 0;
}
