/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl_ct_decode_with against ctnl_ct_decode: the decoder that keeps
 * layouts must give, for any message after any other, what the plain
 * walk gives (fields, order, unknowns, error and its place), and must
 * actually take its fast path for a repeated layout.
 *
 * Inputs: every message of the kernel-recorded fixture dumps and every
 * input of the ct_decode fuzz corpus (broken ones included), each
 * decoded after the one before it; each of them with every byte after
 * the nfgenmsg changed three ways after the decoder learned the
 * original (a changed value keeps the layout, a changed header breaks
 * it); and a hand-built message whose string loses its NUL while its
 * layout stays the same.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/msg.h>

#include "testutil.h"

static const char *fixtures_dir, *corpus_dir;

/* Messages of all fixture dumps, copied out one by one. */
#define MAX_MSGS 2048
static uint8_t *msgs[MAX_MSGS];
static size_t msg_len[MAX_MSGS];
static size_t nmsgs;

static void load_dump(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 20];
	struct ctnl_stream s;
	const uint8_t *m;
	size_t len, ml;

	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ctnl_stream_init(&s, buf, len);
	while (nmsgs < MAX_MSGS && ctnl_stream_next(&s, &m, &ml, NULL) > 0) {
		msgs[nmsgs] = exact_copy(m, ml);
		msg_len[nmsgs++] = ml;
	}
}

static void load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[65536];
	size_t len;

	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (nmsgs < MAX_MSGS) {
		msgs[nmsgs] = exact_copy(buf, len);
		msg_len[nmsgs++] = len;
	}
}

/* load(dir/NAME/tail) for each entry NAME of dir ("" for none). */
static int load_each(const char *dir, const char *tail, void (*load)(const char *))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, e->d_name, tail);
		load(path);
	}
	closedir(d);
	return 0;
}

static int load_all(void)
{
	if (load_each(fixtures_dir, "/dump.bin", load_dump) < 0)
		return -1;
	return load_each(corpus_dir, "", load_file);
}

/* Does decode_with equal the plain decode on msg?  Each output starts
 * from different garbage, so a field one of them leaves unwritten shows. */
static int same(struct ctnl_ct_decoder *dec, const uint8_t *msg, size_t len, char *why, size_t wl)
{
	static struct ctnl_ct_msg a, b;
	struct ctnl_err ea, eb;
	size_t ctsize = ctnl_ct_desc()->size;
	int ra, rb;

	memset(&a, 0x5a, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	memset(&ea, 0, sizeof(ea));
	memset(&eb, 0, sizeof(eb));
	ra = ctnl_ct_decode(msg, len, &a, &ea);
	rb = ctnl_ct_decode_with(dec, msg, len, &b, &eb);
	if (ra != rb)
		return snprintf(why, wl, "return %d, plain %d", rb, ra), 0;
	if (memcmp(&a.hdr, &b.hdr, sizeof(a.hdr)))
		return snprintf(why, wl, "header differs"), 0;
	if (memcmp(&a.ct, &b.ct, ctsize))
		return snprintf(why, wl, "decoded fields differ"), 0;
	if (a.norder != b.norder || memcmp(a.order, b.order, a.norder))
		return snprintf(why, wl, "arrival order differs"), 0;
	if (a.unknown.count != b.unknown.count || a.unknown.kept != b.unknown.kept ||
	    a.unknown.pads != b.unknown.pads || a.unknown.dups != b.unknown.dups)
		return snprintf(why, wl, "unknown counters differ"), 0;
	for (unsigned i = 0; i < a.unknown.kept; i++) {
		const struct ctnl_unknown *x = &a.unknown.list[i], *y = &b.unknown.list[i];

		if (x->offset != y->offset || x->type != y->type || x->len != y->len || x->depth != y->depth ||
		    memcmp(x->path, y->path, x->depth) || x->nest != y->nest)
			return snprintf(why, wl, "unknown %u differs", i), 0;
	}
	if (ra < 0 && (ea.code != eb.code || ea.offset != eb.offset || ea.attr_type != eb.attr_type ||
		       strcmp(ea.path, eb.path) || strcmp(ea.what, eb.what)))
		return snprintf(why, wl, "error differs: '%s' at %u vs '%s' at %u", eb.what, eb.offset, ea.what,
				ea.offset), 0;
	return 1;
}

static void test_fixtures_twice(void)
{
	struct ctnl_ct_decoder run, fresh;
	char why[256];
	size_t entries = 0, clean = 0;

	CU_ASSERT_FATAL(nmsgs > 100);
	ctnl_ct_decoder_init(&run);
	for (size_t i = 0; i < nmsgs; i++) {
		struct ctnl_ct_msg m;

		/* after every input before it, whatever they were */
		if (!same(&run, msgs[i], msg_len[i], why, sizeof(why))) {
			fprintf(stderr, "message %zu after the others: %s\n", i, why);
			CU_FAIL("decode_with differs from decode");
		}
		/* learned, then repeated: the second time is a kept layout
		 * whenever the message is clean */
		ctnl_ct_decoder_init(&fresh);
		for (int pass = 0; pass < 2; pass++) {
			if (!same(&fresh, msgs[i], msg_len[i], why, sizeof(why))) {
				fprintf(stderr, "message %zu, pass %d: %s\n", i, pass, why);
				CU_FAIL("decode_with differs from decode");
			}
		}
		if (ctnl_ct_decode(msgs[i], msg_len[i], &m, NULL) != 0)
			continue;
		entries++;
		if (!m.unknown.count && !m.unknown.dups) {
			clean++;
			CU_ASSERT(fresh.hits == 1 && fresh.misses == 1);
		} else {
			CU_ASSERT(fresh.hits == 0);
		}
	}
	printf("  %zu inputs, %zu conntrack entries, %zu clean; in turn: %llu hits, %llu misses\n", nmsgs, entries,
	       clean, (unsigned long long)run.hits, (unsigned long long)run.misses);
	CU_ASSERT(clean >= 50);
	CU_ASSERT(run.hits > 0);
}

static void test_every_byte_changed(void)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	struct ctnl_ct_decoder dec;
	char why[256];
	size_t tried = 0, bad = 0, tried_clean = 0;
	uint64_t hits = 0;

	for (size_t i = 0; i < nmsgs; i++) {
		struct ctnl_ct_msg m;

		int clean;

		if (ctnl_ct_decode(msgs[i], msg_len[i], &m, NULL) != 0)
			continue;
		clean = !m.unknown.count && !m.unknown.dups;
		for (size_t at = 20; at < msg_len[i]; at++) {
			for (unsigned k = 0; k < sizeof(flips); k++) {
				uint8_t *c = exact_copy(msgs[i], msg_len[i]);

				c[at] ^= flips[k];
				ctnl_ct_decoder_init(&dec);
				(void)ctnl_ct_decode_with(&dec, msgs[i], msg_len[i], &m, NULL);
				if (!same(&dec, c, msg_len[i], why, sizeof(why))) {
					if (bad++ < 10)
						fprintf(stderr, "message %zu, byte %zu ^ 0x%02x: %s\n", i, at, flips[k], why);
				}
				hits += dec.hits;
				tried++;
				tried_clean += clean;
				free(c);
			}
		}
	}
	printf("  %zu changed messages, %zu of clean ones, %llu decoded from a kept layout\n", tried, tried_clean,
	       (unsigned long long)hits);
	CU_ASSERT(bad == 0);
	/* only a clean message's layout is kept; in those, values are most
	 * of the bytes, so most changes keep the layout */
	CU_ASSERT(hits > tried_clean / 4);
}

static size_t put_attr(uint8_t *p, uint16_t type, const void *v, size_t n)
{
	set_u16(p, (uint16_t)(4 + n));
	set_u16(p + 2, type);
	memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, (4 - n % 4) % 4);
	return (4 + n + 3) & ~(size_t)3;
}

/* A helper name of 20 bytes whose NUL is at 3: within the limit of 15.
 * The same layout with the NUL gone is 20 characters long: the kept
 * layout must not accept it, and the error must be the walker's. */
static void test_string_limit(void)
{
	uint8_t msg[64] = { 0 }, name[20];
	struct ctnl_ct_decoder dec;
	struct ctnl_ct_msg m;
	struct ctnl_err e;
	size_t len = 20, nest;
	char why[256];

	memset(name, 'A', sizeof(name));
	memcpy(name, "ftp", 4);
	set_u16(msg + 4, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW);
	nest = len;
	len += 4 + put_attr(msg + len + 4, CTA_HELP_NAME, name, sizeof(name));
	set_u16(msg + nest, (uint16_t)(len - nest));
	set_u16(msg + nest + 2, CTA_HELP | 0x8000);
	set_u32(msg, (uint32_t)len);

	ctnl_ct_decoder_init(&dec);
	CU_ASSERT_FATAL(ctnl_ct_decode_with(&dec, msg, len, &m, NULL) == 0);
	CU_ASSERT(m.ct.help.name.len == 3);
	CU_ASSERT(same(&dec, msg, len, why, sizeof(why)));
	CU_ASSERT(dec.hits == 1);

	msg[nest + 8 + 3] = 'A';
	memset(&e, 0, sizeof(e));
	CU_ASSERT(ctnl_ct_decode_with(&dec, msg, len, &m, &e) == -EBADMSG);
	CU_ASSERT(strstr(e.what, "at most 15") != NULL);
	CU_ASSERT(strcmp(e.path, "helper.name") == 0);
	CU_ASSERT(same(&dec, msg, len, why, sizeof(why)));
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	unsigned failed;

	if (argc != 3) {
		fprintf(stderr, "usage: test_shape FIXTURES_DIR CT_DECODE_CORPUS_DIR\n");
		return 2;
	}
	fixtures_dir = argv[1];
	corpus_dir = argv[2];
	if (load_all() < 0) {
		fprintf(stderr, "test_shape: cannot read %s or %s\n", fixtures_dir, corpus_dir);
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("shape", NULL, NULL);
	CU_add_test(s, "fixture messages, learned then repeated", test_fixtures_twice);
	CU_add_test(s, "every byte of every fixture message changed", test_every_byte_changed);
	CU_add_test(s, "a string over its limit in a kept layout", test_string_limit);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	for (size_t i = 0; i < nmsgs; i++)
		free(msgs[i]);
	return failed ? 1 : 0;
}
