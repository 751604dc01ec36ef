/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * docs/attributes.md must cover the conntrack description, and name
 * nothing the description lacks.
 *
 *   1. Every attribute reachable from ctnl_ct_desc() (all nests, every
 *      place a shared nest is used) has a row in table (a) of the page
 *      whose UAPI cell names its `uapi` as a whole word, whose path cell
 *      holds its dotted path in backquotes and whose kind cell is its
 *      ctnl_kind_name().
 *   2. Every CTA_* word anywhere on the page is described, or is an alias
 *      of a described attribute (the list below, section (c) of the page),
 *      or is a type-0 placeholder of a described enum, or belongs to the
 *      two families kept outside struct ctnl_ct on purpose: CTA_EXPECT_*
 *      (the expectation codec) and CTA_STATS_* (statistics replies).
 *
 * Usage: test_docs_attributes PATH/TO/docs/attributes.md
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <ctnl/ct.h>

/* Table (a) columns, counted from the empty cell before the first '|'. */
enum { COL_UAPI = 3, COL_PATH = 4, COL_KIND = 6, COL_MIN = 7 };

/* Fewer would mean the walk is broken, not that the page is complete. */
#define MIN_ATTRS 100

#define MAX_LINES 4096
#define MAX_ATTRS 512
#define MAX_NAMES 256

/* Names kept outside struct ctnl_ct on purpose. */
static const char *const outside_prefixes[] = { "CTA_EXPECT_", "CTA_STATS_" };

/* UAPI second names: alias -> the name the description uses. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "CTA_NAT", "CTA_NAT_SRC" },
	{ "CTA_NAT_MINIP", "CTA_NAT_V4_MINIP" },
	{ "CTA_NAT_MAXIP", "CTA_NAT_V4_MAXIP" },
	{ "CTA_NAT_SEQ_ADJ_ORIG", "CTA_SEQ_ADJ_ORIG" },
	{ "CTA_NAT_SEQ_ADJ_REPLY", "CTA_SEQ_ADJ_REPLY" },
	{ "CTA_NAT_SEQ_CORRECTION_POS", "CTA_SEQADJ_CORRECTION_POS" },
	{ "CTA_NAT_SEQ_OFFSET_BEFORE", "CTA_SEQADJ_OFFSET_BEFORE" },
	{ "CTA_NAT_SEQ_OFFSET_AFTER", "CTA_SEQADJ_OFFSET_AFTER" },
};

struct walked {
	char path[128];
	const struct ctnl_attr_desc *a;
};

static const char *doc_path;
static char *doc;                      /* the whole page, NUL-terminated */
static char *lines[MAX_LINES];         /* pointers into a copy, split at '\n' */
static size_t nlines;
static size_t sec_a_begin, sec_a_end;  /* table (a): lines [begin, end) */

static struct walked attrs[MAX_ATTRS];
static size_t nattrs;
static int walk_overflow;

/* Kernel spellings of the described UAPI names ("CTNL_" prefix dropped). */
static const char *names[MAX_NAMES];
static size_t nnames;

static int is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Does @s contain @word with no word character on either side? */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p = s;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == s || !is_word(p[-1])) && !is_word(p[n]))
			return 1;
		p++;
	}
	return 0;
}

static const char *kernel_name(const char *uapi)
{
	/* ctnl/ct.h defines CTNL_CTA_TIMESTAMP_EVENT where the 6.1 headers lack it. */
	return strncmp(uapi, "CTNL_", 5) == 0 ? uapi + 5 : uapi;
}

static void add_name(const char *uapi)
{
	const char *k = kernel_name(uapi);

	for (size_t i = 0; i < nnames; i++)
		if (strcmp(names[i], k) == 0)
			return;
	if (nnames < MAX_NAMES)
		names[nnames++] = k;
	else
		walk_overflow = 1;
}

static int described(const char *name)
{
	for (size_t i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static void walk(const struct ctnl_nest_desc *d, const char *prefix, unsigned depth)
{
	if (depth > CTNL_MAX_DEPTH) {
		walk_overflow = 1;
		return;
	}
	for (unsigned t = 0; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		struct walked *w;

		if (a->kind == CTNL_K_NONE)
			continue;
		if (nattrs == MAX_ATTRS) {
			walk_overflow = 1;
			return;
		}
		w = &attrs[nattrs++];
		w->a = a;
		snprintf(w->path, sizeof(w->path), "%s%s%s", prefix, *prefix ? "." : "",
			 a->name ? a->name : "(null)");
		if (a->uapi)
			add_name(a->uapi);
		if (a->kind == CTNL_K_NEST && a->nest)
			walk(a->nest, w->path, depth + 1);
	}
}

static int load_doc(const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	char *copy, *p;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	doc = malloc((size_t)size + 1);
	copy = malloc((size_t)size + 1);
	if (!doc || !copy || fread(doc, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	doc[size] = '\0';
	memcpy(copy, doc, (size_t)size + 1);

	for (p = copy; *p && nlines < MAX_LINES;) {
		char *nl = strchr(p, '\n');

		lines[nlines++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}

	sec_a_begin = sec_a_end = 0;
	for (size_t i = 0; i < nlines; i++) {
		if (strncmp(lines[i], "## (a)", 6) == 0) {
			sec_a_begin = i + 1;
			sec_a_end = nlines;
		} else if (sec_a_begin && sec_a_end == nlines && strncmp(lines[i], "## ", 3) == 0) {
			sec_a_end = i;
		}
	}
	return 0;
}

/* Split a table row into trimmed cells (modifies @row). */
static size_t cells(char *row, char **out, size_t max)
{
	size_t n = 0;
	char *p = row;

	while (n < max) {
		char *bar = strchr(p, '|');
		char *end = bar ? bar : p + strlen(p);

		while (*p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			end--;
		out[n++] = p;
		if (!bar) {
			*end = '\0';
			break;
		}
		*end = '\0';
		p = bar + 1;
	}
	return n;
}

/* Is there a row of table (a) for this attribute at this path? */
static int documented(const struct walked *w, const char **why)
{
	char tick[sizeof(w->path) + 2];
	int seen_name = 0, seen_path = 0;

	snprintf(tick, sizeof(tick), "`%s`", w->path);
	for (size_t i = sec_a_begin; i < sec_a_end; i++) {
		char row[2048];
		char *c[16];
		size_t n;

		if (lines[i][0] != '|')
			continue;
		snprintf(row, sizeof(row), "%s", lines[i]);
		n = cells(row, c, 16);
		if (n < COL_MIN)
			continue;
		if (!has_word(c[COL_UAPI], w->a->uapi))
			continue;
		seen_name = 1;
		if (!strstr(c[COL_PATH], tick))
			continue;
		seen_path = 1;
		if (strcmp(c[COL_KIND], ctnl_kind_name(w->a->kind)) != 0)
			continue;
		return 1;
	}
	*why = !seen_name ? "no row names it" : !seen_path ? "its row lacks the path" : "its row has another kind";
	return 0;
}

/* CTA_FOO_UNSPEC: allowed when a described name or an alias starts with CTA_FOO_. */
static int unspec_of_known_enum(const char *name)
{
	size_t n = strlen(name), plen;
	char prefix[96];

	if (n < 7 || strcmp(name + n - 6, "UNSPEC") != 0)
		return 0;
	plen = n - 6;                  /* keeps the '_' before UNSPEC */
	if (plen >= sizeof(prefix))
		return 0;
	memcpy(prefix, name, plen);
	prefix[plen] = '\0';
	for (size_t i = 0; i < nnames; i++)
		if (strncmp(names[i], prefix, plen) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strncmp(aliases[i].alias, prefix, plen) == 0)
			return 1;
	return 0;
}

static int allowed_cta(const char *name)
{
	if (described(name) || unspec_of_known_enum(name))
		return 1;
	for (size_t i = 0; i < sizeof(outside_prefixes) / sizeof(outside_prefixes[0]); i++)
		if (strncmp(name, outside_prefixes[i], strlen(outside_prefixes[i])) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i].alias) == 0)
			return described(aliases[i].name);
	return 0;
}

static void test_walk_sane(void)
{
	CU_ASSERT_FALSE(walk_overflow);
	CU_ASSERT(nattrs >= MIN_ATTRS);
	for (size_t i = 0; i < nattrs; i++) {
		CU_ASSERT_PTR_NOT_NULL(attrs[i].a->name);
		CU_ASSERT_PTR_NOT_NULL(attrs[i].a->uapi);
	}
}

static void test_described_are_documented(void)
{
	size_t missing = 0;

	CU_ASSERT_FATAL(sec_a_begin > 0 && sec_a_end > sec_a_begin);
	for (size_t i = 0; i < nattrs; i++) {
		const char *why = NULL;

		if (!attrs[i].a->uapi || !attrs[i].a->name)
			continue;
		if (!documented(&attrs[i], &why)) {
			fprintf(stderr, "%s: %s (%s, %s): %s in table (a)\n", doc_path, attrs[i].path,
				attrs[i].a->uapi, ctnl_kind_name(attrs[i].a->kind), why);
			missing++;
		}
	}
	CU_ASSERT_EQUAL(missing, 0);
}

static void test_documented_are_described(void)
{
	size_t unknown = 0;

	for (const char *p = doc; *p; p++) {
		char name[96];
		size_t n = 0;

		if (strncmp(p, "CTA_", 4) != 0 || (p > doc && is_word(p[-1])))
			continue;
		while (is_word(p[n]))
			n++;
		if (n >= sizeof(name)) {
			fprintf(stderr, "%s: overlong CTA_ name at byte %td\n", doc_path, p - doc);
			unknown++;
			p += n - 1;
			continue;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (!allowed_cta(name)) {
			fprintf(stderr, "%s: %s is named but not in the description\n", doc_path, name);
			unknown++;
		}
		p += n - 1;
	}
	CU_ASSERT_EQUAL(unknown, 0);
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	unsigned failures;

	if (argc != 2) {
		fprintf(stderr, "usage: %s docs/attributes.md\n", argv[0]);
		return 2;
	}
	doc_path = argv[1];
	if (load_doc(doc_path) < 0) {
		perror(doc_path);
		return 1;
	}
	walk(ctnl_ct_desc(), "", 0);

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("docs-attributes", NULL, NULL);
	if (!s || !CU_add_test(s, "description walk", test_walk_sane) ||
	    !CU_add_test(s, "every described attribute has a row", test_described_are_documented) ||
	    !CU_add_test(s, "every CTA_ name on the page is described", test_documented_are_described)) {
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
