/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dump: print the conntrack table as conntrack -L does, streaming (one
 * callback per entry, constant memory).   dump [--netns PATH] [ipv4|ipv6] */
#include <sys/socket.h>

#include "common.h"

static int print_entry(const struct ctnl_ct_msg *m, void *arg)
{
	char line[1024];

	(void)arg;
	ctnl_ct_snprintf(line, sizeof(line), m, NULL);
	puts(line);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctnl_dump_opts o = { .size = sizeof(o) };
	struct ctnl_handle *h = ex_open(&argc, argv, NULL);
	struct ctnl_err e = { 0 };
	int n;

	if (!h)
		return 1;
	if (argc > 1)
		o.family = strcmp(argv[1], "ipv6") == 0 ? AF_INET6 : AF_INET;
	n = ctnl_ct_dump(h, &o, print_entry, NULL, &e);
	if (n < 0)
		ex_fail("dump", n, &e);
	else
		fprintf(stderr, "%d entries\n", n);
	ctnl_close(h);
	return n < 0;
}
