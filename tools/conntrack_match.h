/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_MATCH_H
#define CTNL_TOOLS_CONNTRACK_MATCH_H

/*
 * Which entries a command line selects, and the kernel filters that
 * select them earlier.
 *
 * conntrack(8) asks the kernel for little (family, mark, status) and
 * filters the rest in user space with libnetfilter_conntrack's compare
 * rules.  ctnl asks the kernel for everything it can express (dump
 * filters with CTA_FILTER, BPF on the event socket) and then applies the
 * same user-space rules, so the kernel filter is only ever a
 * pre-selection: the result is conntrack's, whatever the kernel could or
 * could not do.
 */

#include <ctnl/bpf.h>
#include <ctnl/ct.h>
#include <ctnl/filter.h>

#include "conntrack_req.h"

/* An entry as conntrack's template objects see it. */
void ctc_obj_from_msg(const struct ctnl_ct_msg *m, struct ctc_obj *o);

/**
 * ctc_match - does an entry (dump, get or event) pass the command's filters?
 * @r: the request
 * @m: the decoded entry
 * @for_list: apply the status rule of a kernel dump filter as well (-L)
 * Return: 1 shown, 0 filtered out.
 */
int ctc_match(const struct ctc_req *r, const struct ctnl_ct_msg *m, int for_list);

/* The selection -U makes (tuples, NAT, labels, networks, id only: -m, -u
 * and -t are values to set there). */
int ctc_match_update(const struct ctc_req *r, const struct ctnl_ct_msg *m);

/**
 * ctc_dump_filter - the kernel dump filter for a listing, delete or update
 * @r: the request
 * @f: filled
 * @with_values: also mark and status (not for -U, where they are new values)
 * @with_tuple: also the tuple fields
 */
void ctc_dump_filter(const struct ctc_req *r, struct ctnl_filter *f, int with_values, int with_tuple);

/**
 * ctc_event_filter - BPF matches for an event subscription
 * @m: room for @cap entries
 * Return: how many were written.
 */
size_t ctc_event_filter(const struct ctc_req *r, struct ctnl_bpf_match *m, size_t cap);

#endif
