/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

int main(int argc, char **argv)
{
	static char obuf[1 << 16];
	struct ctnl_io io = { stdout, stderr };

	/* A file or pipe gets stdio's 4 KiB buffer: a write(2) per 25 lines
	 * of a listing.  Output was fully buffered there anyway; events
	 * flush each line themselves, as conntrack(8) does. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));

	return ctnl_main(argc, argv, &io);
}
