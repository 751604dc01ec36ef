/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CODEC_CT_DESC_H
#define CTNL_CODEC_CT_DESC_H

#include <ctnl/attr.h>

/* The tuple nest is shared by the expectation codec. */
extern const struct ctnl_nest_desc ctnl_ct_tuple_desc;
extern const struct ctnl_nest_desc ctnl_ct_top_desc;

#endif
