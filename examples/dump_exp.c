/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dump_exp: print the expectation table as conntrack -L expect does
 * (the seed's ExampleNfct_Dump on the Expected table).
 *   dump_exp [--netns PATH] */
#include "common.h"

static int print_exp(const struct ctnl_exp_msg *m, void *arg)
{
	char line[1024];

	(void)arg;
	ctnl_exp_snprintf(line, sizeof(line), m, NULL);
	puts(line);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctnl_handle *h = ex_open(&argc, argv, NULL);
	struct ctnl_err e = { 0 };
	int n;

	if (!h)
		return 1;
	n = ctnl_exp_dump(h, 0, print_exp, NULL, &e);
	if (n < 0)
		ex_fail("dump", n, &e);
	else
		fprintf(stderr, "%d expectations\n", n);
	ctnl_close(h);
	return n < 0;
}
