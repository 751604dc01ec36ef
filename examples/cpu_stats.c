/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu_stats: per-CPU conntrack statistics as conntrack -S prints them
 * (the seed's ExampleNfct_DumpCPUStats, without its crash on IGNORE,
 * which current kernels no longer send).   cpu_stats [--netns PATH] */
#include "common.h"

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned attr;
	} f[] = {
		{ "found", CTA_STATS_FOUND }, { "invalid", CTA_STATS_INVALID }, { "insert", CTA_STATS_INSERT },
		{ "insert_failed", CTA_STATS_INSERT_FAILED }, { "drop", CTA_STATS_DROP },
		{ "early_drop", CTA_STATS_EARLY_DROP }, { "error", CTA_STATS_ERROR },
		{ "search_restart", CTA_STATS_SEARCH_RESTART }, { "clash_resolve", CTA_STATS_CLASH_RESOLVE },
		{ "chaintoolong", CTA_STATS_CHAIN_TOOLONG },
	};
	struct ctnl_handle *h = ex_open(&argc, argv, NULL);
	struct ctnl_cpu_stats s[1024];
	struct ctnl_err e = { 0 };
	int n;

	if (!h)
		return 1;
	n = ctnl_cpu_stats(h, CTNL_TABLE_CONNTRACK, s, 1024, &e);
	if (n < 0)
		ex_fail("stats", n, &e);
	for (int i = 0; i < n && i < 1024; i++) {
		printf("cpu=%-4u\t", s[i].cpu);
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			if (s[i].present & (1u << f[k].attr))     /* absent counters stay absent */
				printf("%s=%u ", f[k].name, s[i].v[f[k].attr]);
		putchar('\n');
	}
	ctnl_close(h);
	return n < 0;
}
