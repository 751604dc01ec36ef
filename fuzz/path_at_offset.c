/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target path_at_offset: ctnl_path_at_offset() on any message and offset
 * (the walk that turns an extended ACK's NLMSGERR_ATTR_OFFS into
 * "orig.proto.dst-port").
 *
 * Input: a 2-byte offset (little-endian), one byte choosing the table
 * (even: conntrack, odd: expectations), then the message.
 *
 * Oracles: the return is a depth >= 1 or -ENOENT; the path is
 * NUL-terminated, also in a small buffer, where it is a prefix of the
 * full one; nothing outside the message is read (exact-size block); and
 * for a message that decodes, the offset of every unknown attribute the
 * decoder kept names the path ctnl_unknown_path() gives it, at its
 * depth, with its type.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void check_one(const struct ctnl_nest_desc *root, const uint8_t *msg, size_t len, uint32_t off)
{
	char full[256], small[8];
	uint16_t type = 0xffff;
	int d, d2;

	d = ctnl_path_at_offset(root, msg, len, off, full, sizeof(full), &type);
	FUZZ_CHECKF(d >= 1 || d == -ENOENT, "depth %d", d);
	FUZZ_CHECK(memchr(full, '\0', sizeof(full)) != NULL);
	d2 = ctnl_path_at_offset(root, msg, len, off, small, sizeof(small), NULL);
	FUZZ_CHECK(d2 == d);
	FUZZ_CHECK(memchr(small, '\0', sizeof(small)) != NULL);
	if (d >= 1)
		FUZZ_CHECK(strncmp(small, full, strlen(small)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ctnl_nest_desc *root;
	const struct ctnl_unknowns *unk = NULL;
	struct ctnl_ct_msg ct;
	struct ctnl_exp_msg exp;
	uint8_t *msg;
	size_t len;
	uint32_t off;
	int rc;

	if (size < 3)
		return 0;
	off = (uint32_t)data[0] | (uint32_t)data[1] << 8;
	root = data[2] & 1 ? ctnl_exp_desc() : ctnl_ct_desc();
	len = size - 3;
	msg = fuzz_dup(data + 3, len);

	check_one(root, msg, len, off);
	check_one(root, msg, len, off % (len + 1));

	if (root == ctnl_ct_desc()) {
		rc = ctnl_ct_decode(msg, len, &ct, NULL);
		unk = rc == 0 ? &ct.unknown : NULL;
	} else {
		rc = ctnl_exp_decode(msg, len, &exp, NULL);
		unk = rc == 0 ? &exp.unknown : NULL;
	}
	for (unsigned i = 0; unk && i < unk->kept; i++) {
		const struct ctnl_unknown *u = &unk->list[i];
		char want[256], got[256];
		uint16_t type = 0;
		int d;

		ctnl_unknown_path(root, u, want, sizeof(want));
		d = ctnl_path_at_offset(root, msg, len, u->offset, got, sizeof(got), &type);
		FUZZ_CHECKF(d == u->depth + 1 && strcmp(got, want) == 0 && type == (u->type & 0x3fff),
			    "unknown at %u: decoder says %s (depth %u), path_at_offset %s (depth %d, type %u)", u->offset,
			    want, u->depth + 1, got, d, type);
	}
	free(msg);
	return 0;
}
