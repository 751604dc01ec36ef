/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_PRINT_ATTRS_H
#define CTNL_TOOLS_PRINT_ATTRS_H

#include <ctnl/attr.h>

/* path=value for every present attribute of obj, then the unknown ones. */
int ctnl_print_attrs(char *buf, size_t len, const struct ctnl_nest_desc *d, const void *obj,
		     const struct ctnl_unknowns *u);

#endif
