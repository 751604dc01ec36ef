/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The transport's tap into a capture: each buffer a handle sends or
 * receives becomes one nlmon record, so a conversation recorded by
 * ctnl_open_opts.tap reads back, and dissects in tshark, as if captured
 * on an nlmon device.  The signature is the transport's ctnl_tap_fn; this
 * file does not need the transport itself.
 */
#include <linux/netlink.h>

#include <ctnl/pcap.h>

#include "replay.h"

void ctnl_pcap_tap(void *writer, const void *buf, size_t len, int to_kernel, const struct timespec *ts)
{
	(void)to_kernel;                   /* the direction is in the bytes: NLM_F_REQUEST */
	if (writer)
		(void)ctnl_pcap_write(writer, buf, len, NETLINK_NETFILTER, ts);
}
