/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Map a byte offset in a request back to the attribute it falls in, with
 * the description tables: how an extended ACK's NLMSGERR_ATTR_OFFS
 * becomes "orig.proto.dst-port".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ctnl/attr.h>
#include <ctnl/msg.h>

#include "internal.h"

static size_t put_component(char *buf, size_t buflen, size_t pos, const struct ctnl_nest_desc *d, uint16_t type)
{
	const char *name = NULL;
	char num[8];
	int n;

	if (d && type <= d->maxtype && d->attrs[type].kind != CTNL_K_NONE)
		name = d->attrs[type].name;
	if (!name) {
		snprintf(num, sizeof(num), "%u", type);
		name = num;
	}
	if (pos >= buflen)
		return pos + strlen(name) + (pos ? 1 : 0);
	n = snprintf(buf + pos, buflen - pos, "%s%s", pos ? "." : "", name);
	return pos + (size_t)(n > 0 ? n : 0);
}

int ctnl_path_at_offset(const struct ctnl_nest_desc *root, const void *msg, size_t len, uint32_t offset, char *buf,
			size_t buflen, uint16_t *type)
{
	const uint8_t *p = msg;
	const struct ctnl_nest_desc *d = root;
	size_t at = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN, end, pos = 0;
	int depth = 0;

	if (buflen)
		buf[0] = '\0';
	if (len < at)
		return -ENOENT;
	end = ctnl_get_u32(p);
	if (end > len)
		end = len;
	while (at + CTNL_NLA_HDRLEN <= end && depth < CTNL_MAX_DEPTH) {
		uint16_t l = ctnl_get_u16(p + at), raw = ctnl_get_u16(p + at + 2);
		uint16_t t = raw & CTNL_NLA_TYPE_MASK;
		size_t stop = at + l;

		if (l < CTNL_NLA_HDRLEN || stop > end)
			break;
		if (offset < at)
			break;
		if (offset >= CTNL_ALIGN4(stop)) {
			at = CTNL_ALIGN4(stop);
			continue;
		}
		/* the offset is in this attribute */
		pos = put_component(buf, buflen, pos, d, t);
		depth++;
		if (type)
			*type = t;
		if (offset < at + CTNL_NLA_HDRLEN || !d || t > d->maxtype || d->attrs[t].kind != CTNL_K_NEST)
			return depth;
		d = d->attrs[t].nest;
		end = stop;
		at += CTNL_NLA_HDRLEN;
	}
	return depth ? depth : -ENOENT;
}
