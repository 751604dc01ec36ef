/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_RUN_H
#define CTNL_TOOLS_CONNTRACK_RUN_H

#include <ctnl/conntrack.h>

#include "conntrack_out.h"
#include "conntrack_req.h"

/* One command being run. */
struct ctc_run {
	struct ctc_ctx *ctx;
	const struct ctc_req *r;
	struct ctnl_handle *h;
	struct ctc_out out;
	int counter;                       /* what the summary line counts */
	int place;                         /* enum ctc_place of get callbacks */
	int event_timeout_ms;              /* -E: stop after this long without an event (tests); 0 never */
};

/* Run @rs->r on @rs->h.  Return: 0, or the exit status after printing the error. */
int ctc_run_command(struct ctc_run *rs);

/* Print an updated entry (the get after each update). */
int get_update_cb(const struct ctnl_ct_msg *m, void *arg);

/* The conntrack-compatible command line (conntrack_main.c). */
int ctnl_conntrack_main(struct ctnl_io *io, int argc, char **argv);

/* Help from the option table: usage, and with @proto its options. */
void ctc_usage(FILE *f, const char *prog, const struct ctc_proto *proto, int protonum);

#endif
