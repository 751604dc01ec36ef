/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Requests and the replies that answer them.
 *
 * The kernel answers a request with its nlmsg_seq and sends it to the
 * requester's port id; the request itself often carries pid 0 (the kernel
 * fills the sender's port from the socket, not from the header).  So a
 * reply matches the newest remembered request with the same seq whose pid
 * is 0 or the reply's pid.
 *
 * The table has a fixed number of slots (CTNL_PCAP_REQ_SLOTS_DEFAULT, or
 * what the options ask).  A request is forgotten when its ACK, error or
 * NLMSG_DONE is seen, or when a later request has the same (seq, pid).
 * A new request takes a free slot; when none is free, the oldest request
 * still unanswered is evicted (counted).  Memory never grows with the
 * capture.  Lookups cost one comparison when a reply answers the same
 * request as the one before (a dump), else one pass over the slots.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "replay.h"

int rp_table_init(struct rp_table *t, uint32_t n)
{
	t->slot = calloc(n, sizeof(*t->slot));
	if (!t->slot)
		return -ENOMEM;
	t->n = n;
	t->last = 0;
	t->clock = 0;
	return 0;
}

void rp_table_free(struct rp_table *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = 0;
}

int rp_table_add(struct rp_table *t, const struct ctnl_pcap_req *req)
{
	struct rp_slot *s = rp_table_find(t, req->seq, req->pid), *oldest = NULL;
	int evicted = 0;
	uint32_t i;

	if (!s || s->req.pid != req->pid) {
		s = NULL;
		for (i = 0; i < t->n && !s; i++) {
			struct rp_slot *x = &t->slot[i];

			if (!x->age)
				s = x;
			else if (!oldest || x->age < oldest->age)
				oldest = x;
		}
		if (!s) {
			s = oldest;
			evicted = 1;
		}
	}
	s->req = *req;
	s->age = ++t->clock;
	t->last = (uint32_t)(s - t->slot);
	return evicted;
}

static int slot_matches(const struct rp_slot *s, uint32_t seq, uint32_t pid)
{
	return s->age && s->req.seq == seq && (s->req.pid == 0 || s->req.pid == pid);
}

struct rp_slot *rp_table_find(struct rp_table *t, uint32_t seq, uint32_t pid)
{
	struct rp_slot *best = NULL;
	uint32_t i;

	/* last is the newest request matching its key: every add moves it
	 * to the new request, every slow lookup to the newest match */
	if (slot_matches(&t->slot[t->last], seq, pid))
		return &t->slot[t->last];
	for (i = 0; i < t->n; i++)
		if (slot_matches(&t->slot[i], seq, pid) && (!best || t->slot[i].age > best->age))
			best = &t->slot[i];
	if (best)
		t->last = (uint32_t)(best - t->slot);
	return best;
}

enum ctnl_pcap_kind rp_kind_of_type(uint16_t type, int nlerr_code)
{
	if (type < NLMSG_MIN_TYPE) {
		if (type == NLMSG_ERROR)
			return nlerr_code ? CTNL_PK_ERROR : CTNL_PK_ACK;
		return type == NLMSG_DONE ? CTNL_PK_DONE : CTNL_PK_CONTROL;
	}
	switch (type >> 8) {
	case NFNL_SUBSYS_CTNETLINK:
		switch (type & 0xff) {
		case IPCTNL_MSG_CT_NEW:
		case IPCTNL_MSG_CT_GET:
		case IPCTNL_MSG_CT_DELETE:
		case IPCTNL_MSG_CT_GET_CTRZERO:
		case IPCTNL_MSG_CT_GET_DYING:
		case IPCTNL_MSG_CT_GET_UNCONFIRMED:
			return CTNL_PK_CT;
		case IPCTNL_MSG_CT_GET_STATS_CPU:
			return CTNL_PK_CT_STATS_CPU;
		case IPCTNL_MSG_CT_GET_STATS:
			return CTNL_PK_CT_STATS;
		default:
			return CTNL_PK_CT_UNKNOWN;
		}
	case NFNL_SUBSYS_CTNETLINK_EXP:
		switch (type & 0xff) {
		case IPCTNL_MSG_EXP_NEW:
		case IPCTNL_MSG_EXP_GET:
		case IPCTNL_MSG_EXP_DELETE:
			return CTNL_PK_EXP;
		case IPCTNL_MSG_EXP_GET_STATS_CPU:
			return CTNL_PK_EXP_STATS_CPU;
		default:
			return CTNL_PK_CT_UNKNOWN;
		}
	default:
		return CTNL_PK_OTHER;
	}
}

const char *ctnl_pcap_kind_name(enum ctnl_pcap_kind kind)
{
	static const char *const names[] = {
		[CTNL_PK_CT] = "ct",
		[CTNL_PK_CT_STATS_CPU] = "ct-stats-cpu",
		[CTNL_PK_CT_STATS] = "ct-stats",
		[CTNL_PK_EXP] = "exp",
		[CTNL_PK_EXP_STATS_CPU] = "exp-stats-cpu",
		[CTNL_PK_CT_UNKNOWN] = "ct-unknown",
		[CTNL_PK_ACK] = "ack",
		[CTNL_PK_ERROR] = "error",
		[CTNL_PK_DONE] = "done",
		[CTNL_PK_CONTROL] = "control",
		[CTNL_PK_OTHER] = "other",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]) || !names[kind])
		return "?";
	return names[kind];
}
