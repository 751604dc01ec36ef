/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Statistics: per-CPU counters of both tables, the global entry count.
 * Replies are read attribute by attribute after the nfgenmsg (never the
 * nfgenmsg as an attribute: seed bug B9), with every length checked.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include "tr.h"

/* Walk the be32 attributes of a stats message into v[]; -EBADMSG on a bad length. */
static int stats_attrs(const uint8_t *m, size_t len, uint32_t *present, uint32_t *v, unsigned max,
		       struct ctnl_err *e)
{
	size_t at = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN;

	if (len < at)
		return ctnl_tr_fail(e, -EBADMSG, "a stats message of %zu bytes has no nfgenmsg", len);
	while (len - at >= 4) {
		uint16_t l, t;

		memcpy(&l, m + at, 2);
		memcpy(&t, m + at + 2, 2);
		t &= NLA_TYPE_MASK;
		if (l < 4 || l > len - at) {
			ctnl_tr_fail(e, -EBADMSG, "attribute length %u at byte %zu", l, at);
			if (e)
				e->offset = (uint32_t)at;
			return -EBADMSG;
		}
		if (t <= max && t < 32) {
			if (l != 8) {
				ctnl_tr_fail(e, -EBADMSG, "stats attribute %u has length %u, expected 8", t, l);
				if (e) {
					e->offset = (uint32_t)at;
					e->attr_type = t;
				}
				return -EBADMSG;
			}
			v[t] = (uint32_t)m[at + 4] << 24 | (uint32_t)m[at + 5] << 16 | (uint32_t)m[at + 6] << 8 | m[at + 7];
			*present |= 1u << t;
		}
		at += (l + 3u) & ~3u;
	}
	return 0;
}

struct cpu_cb {
	struct ctnl_handle *h;
	struct ctnl_cpu_stats *out;
	size_t cap, n;
	uint16_t type;
	unsigned max;
};

static int cpu_reply(const void *msg, size_t len, void *arg)
{
	struct cpu_cb *c = arg;
	const uint8_t *m = msg;
	struct ctnl_cpu_stats s = { 0 };
	struct ctnl_err e = { 0 };
	uint16_t type;

	memcpy(&type, m + 4, 2);
	if (type != c->type || len < 20)
		return 0;
	s.cpu = (uint16_t)(m[18] << 8 | m[19]);
	if (stats_attrs(m, len, &s.present, s.v, c->max, &e) < 0) {
		e.msg_index = (uint32_t)c->n;
		c->h->cnt.malformed++;
		ctnl_tr_report(c->h, &e, msg, len);
		return 0;
	}
	if (c->n < c->cap)
		c->out[c->n] = s;
	c->n++;
	return 0;
}

int ctnl_cpu_stats(struct ctnl_handle *h, enum ctnl_table table, struct ctnl_cpu_stats *out, size_t cap,
		   struct ctnl_err *err)
{
	struct cpu_cb c = { .h = h, .out = out, .cap = cap };
	struct ctnl_tr_req r = { .msg = h->sbuf, .fn = cpu_reply, .arg = &c };
	uint16_t type;
	int rc;

	if (table == CTNL_TABLE_CONNTRACK) {
		type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS_CPU;
		c.type = type;
		c.max = CTA_STATS_MAX;
	} else if (table == CTNL_TABLE_EXPECT) {
		type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU;
		/* the kernel answers with the CTNETLINK subsystem's number */
		c.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU;
		c.max = CTA_STATS_EXP_MAX;
	} else {
		return ctnl_tr_fail(err, -EINVAL, "no per-CPU statistics for table %d", (int)table);
	}
	r.len = ctnl_tr_hdr(h, h->sbuf, type, NLM_F_DUMP, AF_UNSPEC);
	rc = ctnl_tr_xfer(h, &r, err);
	if (rc < 0)
		return rc;
	return (int)c.n;
}

struct glob_cb {
	struct ctnl_handle *h;
	struct ctnl_global_stats *out;
	int seen;
};

static int glob_reply(const void *msg, size_t len, void *arg)
{
	struct glob_cb *c = arg;
	uint32_t v[CTA_STATS_GLOBAL_MAX + 1] = { 0 };
	struct ctnl_err e = { 0 };
	uint16_t type;

	memcpy(&type, (const uint8_t *)msg + 4, 2);
	if (type != (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS))
		return 0;
	c->out->present = 0;
	if (stats_attrs(msg, len, &c->out->present, v, CTA_STATS_GLOBAL_MAX, &e) < 0) {
		c->h->cnt.malformed++;
		ctnl_tr_report(c->h, &e, msg, len);
		return 0;
	}
	c->out->entries = v[CTA_STATS_GLOBAL_ENTRIES];
	c->out->max_entries = v[CTA_STATS_GLOBAL_MAX_ENTRIES];
	c->seen = 1;
	return 0;
}

int ctnl_global_stats(struct ctnl_handle *h, struct ctnl_global_stats *out, struct ctnl_err *err)
{
	struct glob_cb c = { .h = h, .out = out };
	struct ctnl_tr_req r = { .msg = h->sbuf, .fn = glob_reply, .arg = &c };
	int rc;

	memset(out, 0, sizeof(*out));
	r.len = ctnl_tr_hdr(h, h->sbuf, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, AF_UNSPEC);
	rc = ctnl_tr_xfer(h, &r, err);
	if (rc < 0)
		return rc;
	if (!c.seen)
		return ctnl_tr_fail(err, -ENODATA, "the kernel sent no statistics");
	return 0;
}

static int count_exp(const struct ctnl_exp_msg *m, void *arg)
{
	(void)m;
	(*(long *)arg)++;
	return 0;
}

long ctnl_count(struct ctnl_handle *h, enum ctnl_table table, struct ctnl_err *err)
{
	if (table == CTNL_TABLE_CONNTRACK) {
		struct ctnl_global_stats g;
		int rc = ctnl_global_stats(h, &g, err);

		return rc < 0 ? rc : (long)g.entries;
	}
	if (table == CTNL_TABLE_EXPECT) {
		long n = 0;
		int rc = ctnl_exp_dump(h, AF_UNSPEC, count_exp, &n, err);

		return rc < 0 ? rc : n;
	}
	return ctnl_tr_fail(err, -EINVAL, "no such table %d", (int)table);
}
