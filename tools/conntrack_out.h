/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_OUT_H
#define CTNL_TOOLS_CONNTRACK_OUT_H

/*
 * What the conntrack(8)-compatible commands print: each entry or
 * expectation as conntrack prints it in that place (a listing, a delete,
 * an update, an event each use their own subset of -o), or as -o save,
 * -o xml, or JSON (--json, one object per line).
 */

#include <ctnl/ct.h>
#include <ctnl/exp.h>

#include "conntrack_req.h"

/* Where an entry is printed: conntrack uses different output flags in each. */
enum ctc_place {
	CTC_PL_LIST = 0,                   /* -L, -G: extended, ktimestamp, id, labels */
	CTC_PL_DELETE,                     /* -D: extended, id; no labels */
	CTC_PL_UPDATE,                     /* -U: extended, id, labels */
	CTC_PL_EVENT,                      /* -E: all of them, timestamp, [USERSPACE] */
};

struct ctc_out {
	struct ctc_ctx *ctx;
	const struct ctc_req *r;
	int xml_open;                      /* the <?xml ...> header has been written */
	const char *xml_root;              /* "conntrack" or "expect" */
	long now;                          /* for delta-time */
};

void ctc_out_init(struct ctc_out *o, struct ctc_ctx *ctx, const struct ctc_req *r, const char *xml_root);

/* One conntrack entry. */
void ctc_out_ct(struct ctc_out *o, const struct ctnl_ct_msg *m, enum ctc_place where);

/* One expectation (listing, or an event when @event). */
void ctc_out_exp(struct ctc_out *o, const struct ctnl_exp_msg *m, int event);

/* Close the XML document if one was opened. */
void ctc_out_end(struct ctc_out *o);

/* -o save: the command line that makes the entry again ("-A -t ..."). */
int ctc_save_line(char *buf, size_t len, const struct ctnl_ct_msg *m, const char *verb, struct ctc_ctx *ctx);

/* -o xml: one <flow> element (XML output of libnetfilter_conntrack). */
int ctc_xml_ct(char *buf, size_t len, const struct ctnl_ct_msg *m, int event_kind, unsigned output, long now);
int ctc_xml_exp(char *buf, size_t len, const struct ctnl_exp_msg *m, int event_kind);

#endif
