/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct ctnl_io io = { stdout, stderr };

	return ctnl_main(argc, argv, &io);
}
