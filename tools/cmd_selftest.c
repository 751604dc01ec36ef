/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctnl selftest: being written for issue 8; until then it says so. */
#include "cli.h"

int ctnl_cmd_selftest(struct ctnl_io *io, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("ctnl selftest: not available in this build yet (issue 8)\n", io->err);
	return 2;
}
