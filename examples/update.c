/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* update: set the mark (and timeout) of an entry, in any zone.
 *   update [--netns PATH] SRC SPORT DST DPORT MARK [TIMEOUT [ZONE]] */
#include "common.h"

int main(int argc, char **argv)
{
	struct ctnl_handle *h = ex_open(&argc, argv, NULL);
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	int rc;

	if (!h)
		return 1;
	if (argc < 6 || ex_tuple(&m, argv + 1) < 0) {
		fprintf(stderr, "usage: update [--netns PATH] SRC SPORT DST DPORT MARK [TIMEOUT [ZONE]]\n");
		ctnl_close(h);
		return 2;
	}
	m.ct.present |= 1u << CTA_MARK;
	m.ct.mark = (uint32_t)strtoul(argv[5], NULL, 0);
	if (argc > 6) {
		m.ct.present |= 1u << CTA_TIMEOUT;
		m.ct.timeout = (uint32_t)atoi(argv[6]);
	}
	if (argc > 7) {
		m.ct.present |= 1u << CTA_ZONE;
		m.ct.zone = (uint16_t)atoi(argv[7]);
	}
	rc = ctnl_ct_update(h, &m, &e);
	if (rc < 0)
		ex_fail("update", rc, &e);
	ctnl_close(h);
	return rc < 0;
}
