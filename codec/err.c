/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include <ctnl/attr.h>

int ctnl_err_format(const struct ctnl_err *err, char *buf, size_t len)
{
	if (err->path[0])
		return snprintf(buf, len, "message %u (byte %u): %s (type %u) at byte %u: %s", err->msg_index,
				err->msg_offset, err->path, err->attr_type, err->offset, err->what);
	return snprintf(buf, len, "message %u (byte %u): at byte %u: %s", err->msg_index, err->msg_offset,
			err->offset, err->what);
}
