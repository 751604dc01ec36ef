/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The man page and the bash completion are generated from the option
 * table the parser uses; this checks the generated files really name
 * every option, every protocol option and every command of the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "conntrack_opts.h"

static char *man, *bash;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = calloc(1, (size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/* groff escapes '-' as '\-'; accept either spelling */
static int in_man(const char *lng)
{
	char a[96], b[160], *p = b;

	snprintf(a, sizeof(a), "--%s", lng);
	for (const char *s = a; *s && p < b + sizeof(b) - 3; s++) {
		if (*s == '-')
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return strstr(man, a) || strstr(man, b);
}

static void check(const char *lng, unsigned *n)
{
	char a[96];

	snprintf(a, sizeof(a), "--%s", lng);
	if (!in_man(lng)) {
		fprintf(stderr, "\n  man page lacks %s", a);
		CU_FAIL("an option is missing from the man page");
	}
	if (!strstr(bash, a)) {
		fprintf(stderr, "\n  completion lacks %s", a);
		CU_FAIL("an option is missing from the completion");
	}
	(*n)++;
}

static void test_every_option(void)
{
	unsigned n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(man);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bash);
	for (size_t i = 0; i < ctc_nopts; i++)
		if (ctc_opts[i].lng && !ctc_opts[i].hidden)
			check(ctc_opts[i].lng, &n);
	for (size_t i = 0; i < ctc_ncommands; i++)
		if (ctc_commands[i].lng)
			check(ctc_commands[i].lng, &n);
	for (size_t p = 0; p < ctc_nprotos; p++)
		for (const struct ctc_popt *o = ctc_protos[p].opts; o && o->lng; o++)
			if (!o->hidden)
				check(o->lng, &n);
	printf("\n  %u options found in both generated files\n", n);
	CU_ASSERT(n > 50);
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	unsigned fails;

	if (argc != 3) {
		fprintf(stderr, "usage: test_gen ctnl.8 ctnl.bash\n");
		return 2;
	}
	man = slurp(argv[1]);
	bash = slurp(argv[2]);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("generated-docs", NULL, NULL);
	CU_add_test(s, "man page and completion name every option", test_every_option);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	free(man);
	free(bash);
	return fails ? 1 : 0;
}
