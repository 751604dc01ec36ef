/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Conntrack events, one group at a time and all three together, and the
 * event timestamp (CTA_TIMESTAMP_EVENT, Linux 6.14+).  Expectation events
 * are in sc_helper.c, where a helper makes expectations.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "st.h"


struct ev {
	uint16_t type, flags;
	uint32_t seq, pid;
	struct ctnl_ct_msg m;
};

/* Read up to @max events within @ms; decoded into @out. */
static int events(struct st_ctx *c, struct ev *out, int max, int ms, struct st_reply *r)
{
	const uint8_t *msg;
	size_t pos = 0, len;
	int n = 0, got = st_events_read(c, max, ms, r);

	if (got < 0)
		return got;
	while (n < max && st_reply_next(r, &pos, &msg, &len) == 1) {
		struct nlmsghdr nh;

		memcpy(&nh, msg, sizeof(nh));
		out[n].type = nh.nlmsg_type;
		out[n].flags = nh.nlmsg_flags;
		out[n].seq = nh.nlmsg_seq;
		out[n].pid = nh.nlmsg_pid;
		if (ctnl_ct_decode(msg, len, &out[n].m, NULL) < 0)
			ctnl_ct_init(&out[n].m);
		n++;
	}
	return n;
}

static int open_groups(struct st_ctx *c, unsigned groups)
{
	int rc = st_events_open(c, groups);

	st_check(c, rc == 0, "event socket joined groups 0x%x: %s", groups, strerror(-rc));
	return rc;
}

static void ev_new(struct st_ctx *c)
{
	struct ev e[4];
	struct ctnl_ct_msg m;
	struct st_reply r;
	int n, rc;

	if (open_groups(c, ST_GROUP(NFNLGRP_CONNTRACK_NEW)) < 0)
		return;
	st_entry(&m, 6, "10.4.0.1", 1000, "10.4.0.2", 80);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	n = events(c, e, 1, 1000, &r);
	st_eq(c, "NEW events after a ctnetlink create", 1, n);
	if (n == 1) {
		st_eq(c, "NEW event type", NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW, e[0].type);
		st_eq(c, "NEW event flags (CREATE|EXCL)", NLM_F_CREATE | NLM_F_EXCL, e[0].flags);
		st_eq(c, "NEW event seq", 0, e[0].seq);
		st_eq(c, "NEW event pid (the requester's port id)", c->portid, e[0].pid);
		st_eq(c, "NEW event original destination port", 80, e[0].m.ct.orig.proto.dst_port);
	}
	st_reply_free(&r);
	rc = ctnl_ns_udp(c->ns, "127.0.0.1", 42300, "127.0.0.1", 5700, 1, 0);
	st_check(c, rc == 0, "UDP datagram sent: %s", strerror(-rc));
	n = events(c, e, 1, 1000, &r);
	st_eq(c, "NEW events after a packet", 1, n);
	if (n == 1) {
		st_eq(c, "NEW event pid of a packet-made entry", 0, e[0].pid);
		st_eq(c, "NEW event destination port", 5700, e[0].m.ct.orig.proto.dst_port);
	}
	st_reply_free(&r);
}

static void ev_update(struct st_ctx *c)
{
	struct ev e[4];
	struct ctnl_ct_msg m;
	struct st_reply r;
	int n;

	if (open_groups(c, ST_GROUP(NFNLGRP_CONNTRACK_UPDATE)) < 0)
		return;
	st_entry(&m, 6, "10.4.0.1", 1000, "10.4.0.2", 80);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_MARK;
	m.ct.mark = 0x77;
	st_ct_expect(c, "update mark", IPCTNL_MSG_CT_NEW, ST_ACK, &m, 0);
	n = events(c, e, 2, 500, &r);
	st_eq(c, "UPDATE events (the create is not one)", 1, n);
	if (n >= 1) {
		st_eq(c, "UPDATE event type", NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW, e[0].type);
		st_eq(c, "UPDATE event flags", 0, e[0].flags);
		st_check(c, ctnl_has(&e[0].m.ct, CTA_MARK), "the UPDATE event carries CTA_MARK");
		st_eq(c, "UPDATE event mark", 0x77, e[0].m.ct.mark);
	}
	st_reply_free(&r);
}

static void ev_destroy(struct st_ctx *c)
{
	struct ev e[4];
	struct ctnl_ct_msg m;
	struct st_reply r;
	int n;

	if (open_groups(c, ST_GROUP(NFNLGRP_CONNTRACK_DESTROY)) < 0)
		return;
	st_entry(&m, 17, "10.4.0.1", 1000, "10.4.0.2", 53);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_ct_expect(c, "delete", IPCTNL_MSG_CT_DELETE, ST_ACK, &m, 0);
	n = events(c, e, 2, 500, &r);
	st_eq(c, "DESTROY events (no NEW)", 1, n);
	if (n >= 1) {
		st_eq(c, "DESTROY event type", NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE, e[0].type);
		st_eq(c, "DESTROY event pid (the deleter)", c->portid, e[0].pid);
		st_eq(c, "DESTROY event destination port", 53, e[0].m.ct.orig.proto.dst_port);
	}
	st_reply_free(&r);
}

static void ev_all(struct st_ctx *c)
{
	struct ev e[8];
	struct ctnl_ct_msg m;
	struct st_reply r;
	int n;

	if (open_groups(c, ST_GROUP(NFNLGRP_CONNTRACK_NEW) | ST_GROUP(NFNLGRP_CONNTRACK_UPDATE) | ST_GROUP(NFNLGRP_CONNTRACK_DESTROY)) < 0)
		return;
	st_entry(&m, 6, "10.4.0.1", 1000, "10.4.0.2", 80);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_MARK;
	m.ct.mark = 1;
	st_ct_expect(c, "update", IPCTNL_MSG_CT_NEW, ST_ACK, &m, 0);
	st_ct_expect(c, "delete", IPCTNL_MSG_CT_DELETE, ST_ACK, &m, 0);
	n = events(c, e, 4, 500, &r);
	st_eq(c, "events for create, update, delete", 3, n);
	if (n == 3) {
		st_check(c, e[0].type == 0x100 && e[0].flags == (NLM_F_CREATE | NLM_F_EXCL) && e[1].type == 0x100 &&
				    e[1].flags == 0 && e[2].type == 0x102,
			 "NEW, UPDATE, DESTROY in order: got 0x%x/0x%x 0x%x/0x%x 0x%x/0x%x [capture records %u-%u]",
			 e[0].type, e[0].flags, e[1].type, e[1].flags, e[2].type, e[2].flags, r.first_record,
			 r.last_record);
	}
	st_reply_free(&r);
}

static int tstamp_probe(struct st_ctx *c, char *why, size_t len)
{
	(void)c;
	if (!st_kernel_at_least(6, 14)) {
		snprintf(why, len, "CTA_TIMESTAMP_EVENT is sent since Linux 6.14");
		return 1;
	}
	return 0;
}

static void ev_tstamp(struct st_ctx *c, int sysctl)
{
	struct ev e[4];
	struct ctnl_ct_msg m;
	struct st_reply r;
	int n;

	if (sysctl && ctnl_ns_sysctl(c->ns, "net/netfilter/nf_conntrack_timestamp", "1") < 0)
		st_skip(c, "no net.netfilter.nf_conntrack_timestamp sysctl");
	if (open_groups(c, ST_GROUP(NFNLGRP_CONNTRACK_NEW) | ST_GROUP(NFNLGRP_CONNTRACK_DESTROY)) < 0)
		return;
	st_entry(&m, 17, "10.4.0.1", 1000, "10.4.0.2", 53);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_ct_expect(c, "delete", IPCTNL_MSG_CT_DELETE, ST_ACK, &m, 0);
	n = events(c, e, 2, 1000, &r);
	st_eq(c, "NEW and DESTROY events", 2, n);
	if (n == 2 && !sysctl) {
		st_check(c, !ctnl_has(&e[0].m.ct, CTNL_CTA_TIMESTAMP_EVENT) && !ctnl_has(&e[1].m.ct, CTNL_CTA_TIMESTAMP_EVENT),
			 "no CTA_TIMESTAMP_EVENT while nf_conntrack_timestamp is off [capture records %u-%u]",
			 r.first_record, r.last_record);
	} else if (n == 2) {
		st_check(c, ctnl_has(&e[0].m.ct, CTNL_CTA_TIMESTAMP_EVENT) && ctnl_has(&e[1].m.ct, CTNL_CTA_TIMESTAMP_EVENT),
			 "CTA_TIMESTAMP_EVENT in both events [capture records %u-%u]", r.first_record, r.last_record);
		st_check(c, e[0].m.ct.timestamp_event > 0 && e[1].m.ct.timestamp_event >= e[0].m.ct.timestamp_event,
			 "event timestamps non-zero and in order: %llu then %llu",
			 (unsigned long long)e[0].m.ct.timestamp_event, (unsigned long long)e[1].m.ct.timestamp_event);
	}
	st_reply_free(&r);
}

static void ev_tstamp_default(struct st_ctx *c)
{
	ev_tstamp(c, 0);
}

static void ev_tstamp_on(struct st_ctx *c)
{
	ev_tstamp(c, 1);
}

const struct st_scenario st_fam_events[] = {
	{ "events.ct.new", "NEW group: type, CREATE|EXCL, seq 0, the requester's pid; a packet's entry pid 0", NULL,
	  NULL, ev_new, 0 },
	{ "events.ct.update", "UPDATE group only: a mark update, not the create", NULL, NULL, ev_update, 0 },
	{ "events.ct.destroy", "DESTROY group only: the delete, by the deleter", NULL, NULL, ev_destroy, 0 },
	{ "events.ct.all", "all three groups: NEW, UPDATE, DESTROY in order", NULL, NULL, ev_all, 0 },
	{ "events.timestamp.off", "no CTA_TIMESTAMP_EVENT while nf_conntrack_timestamp=0", tstamp_probe, NULL,
	  ev_tstamp_default, 0 },
	{ "events.timestamp.on", "CTA_TIMESTAMP_EVENT on NEW and DESTROY with nf_conntrack_timestamp=1", tstamp_probe,
	  NULL,
	  ev_tstamp_on, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
