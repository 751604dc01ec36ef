/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* create: make an ESTABLISHED TCP entry.
 *   create [--netns PATH] SRC SPORT DST DPORT [TIMEOUT [MARK [ZONE]]] */
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct ctnl_handle *h = ex_open(&argc, argv, NULL);
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	int rc;

	if (!h)
		return 1;
	if (argc < 5 || ex_tuple(&m, argv + 1) < 0) {
		fprintf(stderr, "usage: create [--netns PATH] SRC SPORT DST DPORT [TIMEOUT [MARK [ZONE]]]\n");
		ctnl_close(h);
		return 2;
	}
	m.ct.present |= 1u << CTA_TIMEOUT | 1u << CTA_STATUS | 1u << CTA_PROTOINFO;
	m.ct.timeout = argc > 5 ? (uint32_t)atoi(argv[5]) : 120;
	m.ct.status = IPS_CONFIRMED;       /* the kernel insists on it */
	m.ct.protoinfo.present = 1u << CTA_PROTOINFO_TCP;
	m.ct.protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
	m.ct.protoinfo.tcp.state = TCP_CONNTRACK_ESTABLISHED;
	if (argc > 6) {
		m.ct.present |= 1u << CTA_MARK;
		m.ct.mark = (uint32_t)strtoul(argv[6], NULL, 0);
	}
	if (argc > 7) {
		m.ct.present |= 1u << CTA_ZONE;
		m.ct.zone = (uint16_t)atoi(argv[7]);
	}
	rc = ctnl_ct_create(h, &m, &e);
	if (rc < 0)
		ex_fail("create", rc, &e);
	ctnl_close(h);
	return rc < 0;
}
