/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target stream: a whole receive buffer (one datagram, or a file of
 * several) walked with ctnl_stream_next, each message handed to the
 * decoder of its type: ctnl_ct_decode for conntrack entries (then the
 * renderers), ctnl_nlerr_parse for NLMSG_ERROR, ctnl_msg_parse for the
 * rest.  Expectation and statistics messages join here when their
 * decoders land (fuzz_record_message in fuzz_util.c).
 *
 * Input: the buffer, as read from a netlink socket or a dump file.
 * Oracles: every message lies inside the buffer, indices count up, the
 * stream ends with 0 or -EBADMSG and stays ended, errors format, and
 * every per-message oracle of ct_decode.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_walk w;

	fuzz_walk_buffer(&w, data, size, FUZZ_WALK_RENDER);
	fuzz_walk_free(&w);
	return 0;
}
