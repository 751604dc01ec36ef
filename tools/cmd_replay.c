/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctnl replay: being written for issue 5; until then it says so. */
#include "cli.h"

int ctnl_cmd_replay(struct ctnl_io *io, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("ctnl replay: not available in this build yet (issue 5)\n", io->err);
	return 2;
}
