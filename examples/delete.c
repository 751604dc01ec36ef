/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* delete: remove one entry, in any zone.
 *   delete [--netns PATH] SRC SPORT DST DPORT [ZONE] */
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
		fprintf(stderr, "usage: delete [--netns PATH] SRC SPORT DST DPORT [ZONE]\n");
		ctnl_close(h);
		return 2;
	}
	if (argc > 5) {
		m.ct.present |= 1u << CTA_ZONE;
		m.ct.zone = (uint16_t)atoi(argv[5]);
	}
	rc = ctnl_ct_delete(h, &m, &e);
	if (rc < 0)
		ex_fail("delete", rc, &e);
	ctnl_close(h);
	return rc < 0;
}
