/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_BUILD_H
#define CTNL_TOOLS_CONNTRACK_BUILD_H

/*
 * The requests the conntrack(8)-compatible commands send, made from the
 * parsed templates: an entry to create, the key of a get, the change an
 * update makes to one dumped entry, an expectation.
 */

#include <ctnl/ct.h>
#include <ctnl/exp.h>

#include "conntrack_req.h"

/* A message with the buffers its views point into. */
struct ctc_msgbuf {
	struct ctnl_ct_msg m;
	uint8_t labels[16], labels_mask[16];
};

/* -I, -A: both tuples (the missing one mirrored), timeout, status, mark,
 * labels, zones, protocol state, NAT. */
void ctc_build_create(const struct ctc_req *r, struct ctc_msgbuf *b);

/* -G: the tuple given. */
void ctc_build_get(const struct ctc_req *r, struct ctc_msgbuf *b);

/**
 * ctc_build_update - the change -U makes to one entry
 * @cur: the entry as dumped
 * Return: 1 when it changes something (conntrack sends nothing otherwise).
 */
int ctc_build_update(const struct ctc_req *r, const struct ctnl_ct_msg *cur, struct ctc_msgbuf *b);

/* -I expect: master, expected tuple, mask, timeout. */
void ctc_build_exp_create(const struct ctc_req *r, struct ctnl_exp_msg *e);

/* -G expect, -D expect: the expected tuple (from -s -d -p --sport --dport). */
void ctc_build_exp_key(const struct ctc_req *r, struct ctnl_exp_msg *e);

#endif
