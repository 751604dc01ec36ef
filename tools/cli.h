/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CLI_H
#define CTNL_TOOLS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where a command writes: the real streams, or memory in the tests. */
struct ctnl_io {
	FILE *out;
	FILE *err;
};

/* The whole command line; returns the exit status and never exits, so
 * that tests run it in-process. */
int ctnl_main(int argc, char **argv, struct ctnl_io *io);

int ctnl_cmd_decode(struct ctnl_io *io, int argc, char **argv);
int ctnl_cmd_replay(struct ctnl_io *io, int argc, char **argv);   /* tools/cmd_replay.c (issue 5) */
int ctnl_cmd_selftest(struct ctnl_io *io, int argc, char **argv); /* tools/cmd_selftest.c (issue 8) */

/* Whole file (or "-" for stdin) into a malloc'd buffer; -1 with errno. */
int ctnl_read_file(const char *path, uint8_t **data, size_t *len);

/* "extended,id,ktimestamp,labels" to CTNL_OUT_* bits; -1 on an unknown word. */
int ctnl_parse_output_flags(const char *list, unsigned *flags);

/* connlabel.conf: "bit name" lines, as conntrack(8) reads them. */
#define CTNL_LABELS_MAX 128
struct ctnl_labelmap {
	char *names[CTNL_LABELS_MAX];
};
void ctnl_labelmap_load(struct ctnl_labelmap *lm, const char *path);
void ctnl_labelmap_free(struct ctnl_labelmap *lm);

/* Seconds east of UTC at time t, as localtime() sees it. */
int ctnl_tz_offset(int64_t t);

#endif
