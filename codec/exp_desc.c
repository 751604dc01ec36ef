/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The expectation attribute description: enum ctattr_expect and its NAT
 * nest as of Linux 6.18, with the lengths of exp_nla_policy in
 * nf_conntrack_netlink.c.  The tuples are the conntrack tuple nest.
 */
#include <stddef.h>

#include <ctnl/exp.h>
#include <ctnl/stats.h>

#include "ct_desc.h"
#include "exp_desc.h"
#include "internal.h"

/* Shared with exp.c and stats.c (declared there too: the codec keeps one
 * private header per subsystem out of this change). */

#define ATTR(T, NAME, KIND, FMT, LEN, STRUCT, FIELD, NEST, FLAGS) \
	[T] = { NAME, #T, KIND, FMT, FLAGS, LEN, (uint16_t)offsetof(STRUCT, FIELD), NEST }
#define NEST(NAME, STRUCT, ATTRS, ORDER, NORDER) \
	{ NAME, (uint16_t)(sizeof(ATTRS) / sizeof((ATTRS)[0]) - 1), (uint16_t)sizeof(STRUCT), ATTRS, ORDER, NORDER }

static const struct ctnl_attr_desc nat_attrs[] = {
	ATTR(CTA_EXPECT_NAT_DIR, "dir", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_exp_nat, dir, NULL, 0),
	ATTR(CTA_EXPECT_NAT_TUPLE, "tuple", CTNL_K_NEST, 0, 0, struct ctnl_exp_nat, tuple, &ctnl_ct_tuple_desc, 0),
};
static const struct ctnl_nest_desc nat_desc = NEST("nat", struct ctnl_exp_nat, nat_attrs, NULL, 0);

static const struct ctnl_attr_desc exp_attrs[] = {
	ATTR(CTA_EXPECT_MASTER, "master", CTNL_K_NEST, 0, 0, struct ctnl_exp, master, &ctnl_ct_tuple_desc, 0),
	ATTR(CTA_EXPECT_TUPLE, "tuple", CTNL_K_NEST, 0, 0, struct ctnl_exp, tuple, &ctnl_ct_tuple_desc, 0),
	ATTR(CTA_EXPECT_MASK, "mask", CTNL_K_NEST, 0, 0, struct ctnl_exp, mask, &ctnl_ct_tuple_desc, 0),
	ATTR(CTA_EXPECT_TIMEOUT, "timeout", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_exp, timeout, NULL, 0),
	ATTR(CTA_EXPECT_ID, "id", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_exp, id, NULL, 0),
	/* NF_CT_HELPER_NAME_LEN is 16 with the NUL */
	ATTR(CTA_EXPECT_HELP_NAME, "helper", CTNL_K_STRING, 0, 15, struct ctnl_exp, helper, NULL, 0),
	ATTR(CTA_EXPECT_ZONE, "zone", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_exp, zone, NULL, CTNL_AF_INPUT),
	ATTR(CTA_EXPECT_FLAGS, "flags", CTNL_K_BE32, CTNL_FMT_HEX, 0, struct ctnl_exp, flags, NULL, 0),
	ATTR(CTA_EXPECT_CLASS, "class", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_exp, exp_class, NULL, 0),
	ATTR(CTA_EXPECT_NAT, "nat", CTNL_K_NEST, 0, 0, struct ctnl_exp, nat, &nat_desc, 0),
	/* NLA_NUL_STRING without a maximum in the kernel's policy */
	ATTR(CTA_EXPECT_FN, "fn", CTNL_K_STRING, 0, 0, struct ctnl_exp, fn, NULL, 0),
};

/* The order ctnetlink_exp_dump_expect() writes in (6.18), then ZONE. */
static const uint8_t exp_order[] = {
	CTA_EXPECT_TUPLE, CTA_EXPECT_MASK, CTA_EXPECT_MASTER, CTA_EXPECT_NAT, CTA_EXPECT_TIMEOUT, CTA_EXPECT_ID,
	CTA_EXPECT_FLAGS, CTA_EXPECT_CLASS, CTA_EXPECT_HELP_NAME, CTA_EXPECT_FN, CTA_EXPECT_ZONE,
};

const struct ctnl_nest_desc ctnl_exp_top_desc = NEST("exp", struct ctnl_exp, exp_attrs, exp_order, sizeof(exp_order));

const struct ctnl_nest_desc *ctnl_exp_desc(void)
{
	return &ctnl_exp_top_desc;
}

/* ---- statistics: flat nests of BE32 counters ---- */

static const struct ctnl_attr_desc stats_cpu_attrs[] = {
	ATTR(CTA_STATS_SEARCHED, "searched", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, searched, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_STATS_FOUND, "found", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, found, NULL, 0),
	ATTR(CTA_STATS_NEW, "new", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, new_, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_STATS_INVALID, "invalid", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, invalid, NULL, 0),
	ATTR(CTA_STATS_IGNORE, "ignore", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, ignore, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_STATS_DELETE, "delete", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, delete_, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_STATS_DELETE_LIST, "delete_list", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, delete_list, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_STATS_INSERT, "insert", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, insert, NULL, 0),
	ATTR(CTA_STATS_INSERT_FAILED, "insert_failed", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, insert_failed, NULL, 0),
	ATTR(CTA_STATS_DROP, "drop", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, drop, NULL, 0),
	ATTR(CTA_STATS_EARLY_DROP, "early_drop", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, early_drop, NULL, 0),
	ATTR(CTA_STATS_ERROR, "error", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, error, NULL, 0),
	ATTR(CTA_STATS_SEARCH_RESTART, "search_restart", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, search_restart, NULL, 0),
	ATTR(CTA_STATS_CLASH_RESOLVE, "clash_resolve", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, clash_resolve, NULL, 0),
	/* conntrack(8) prints it as "chaintoolong" */
	ATTR(CTA_STATS_CHAIN_TOOLONG, "chaintoolong", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_cpu, chain_toolong, NULL, 0),
};
const struct ctnl_nest_desc ctnl_stats_cpu_desc = NEST("stats-cpu", struct ctnl_stats_cpu, stats_cpu_attrs, NULL, 0);

static const struct ctnl_attr_desc stats_exp_attrs[] = {
	ATTR(CTA_STATS_EXP_NEW, "expect_new", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_exp_cpu, exp_new, NULL, 0),
	ATTR(CTA_STATS_EXP_CREATE, "expect_create", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_exp_cpu, exp_create, NULL, 0),
	ATTR(CTA_STATS_EXP_DELETE, "expect_delete", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_exp_cpu, exp_delete, NULL, 0),
};
const struct ctnl_nest_desc ctnl_stats_exp_desc = NEST("stats-exp-cpu", struct ctnl_stats_exp_cpu, stats_exp_attrs, NULL, 0);

static const struct ctnl_attr_desc stats_global_attrs[] = {
	ATTR(CTA_STATS_GLOBAL_ENTRIES, "entries", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_global, entries, NULL, 0),
	ATTR(CTA_STATS_GLOBAL_MAX_ENTRIES, "max_entries", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_stats_global, max_entries, NULL, 0),
};
const struct ctnl_nest_desc ctnl_stats_global_desc = NEST("stats-global", struct ctnl_stats_global, stats_global_attrs, NULL, 0);
