/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CODEC_EXP_DESC_H
#define CTNL_CODEC_EXP_DESC_H

#include <ctnl/attr.h>

/* The expectation and statistics descriptions (exp_desc.c). */
extern const struct ctnl_nest_desc ctnl_exp_top_desc;
extern const struct ctnl_nest_desc ctnl_stats_cpu_desc;
extern const struct ctnl_nest_desc ctnl_stats_exp_desc;
extern const struct ctnl_nest_desc ctnl_stats_global_desc;

#endif
