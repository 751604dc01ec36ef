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
 * The table is a ring of a fixed number of slots.  A request is forgotten
 * when its ACK, error or NLMSG_DONE is seen, when a later request takes
 * the same (seq, pid), or, unanswered, when the ring comes round to its
 * slot again (counted as evicted).  Memory never grows with the capture.
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
	t->head = 0;
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
	struct rp_slot *s = rp_table_find(t, req->seq, req->pid);
	int evicted = 0;

	if (!s || s->req.pid != req->pid) {
		s = &t->slot[t->head];
		evicted = s->valid;
		t->head = (t->head + 1) % t->n;
	}
	s->req = *req;
	s->valid = 1;
	return evicted;
}

struct rp_slot *rp_table_find(struct rp_table *t, uint32_t seq, uint32_t pid)
{
	uint32_t i;

	/* newest first: head - 1, head - 2, ... */
	for (i = 1; i <= t->n; i++) {
		struct rp_slot *s = &t->slot[(t->head + t->n - i) % t->n];

		if (s->valid && s->req.seq == seq && (s->req.pid == 0 || s->req.pid == pid))
			return s;
	}
	return NULL;
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
