/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Statistics messages, and the classification of replies by the request
 * they answer (the expectation per-CPU stats reply is type 0x0103, the
 * number of a conntrack GET_CTRZERO: see ctnl/stats.h).
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ct.h>
#include <ctnl/exp.h>
#include <ctnl/stats.h>

#include "exp_desc.h"
#include "internal.h"



#define CT_TYPE(cmd) ((uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | (cmd)))
#define EXP_TYPE(cmd) ((uint16_t)(NFNL_SUBSYS_CTNETLINK_EXP << 8 | (cmd)))

const struct ctnl_nest_desc *ctnl_stats_desc(unsigned kind)
{
	switch (kind) {
	case CTNL_STATS_CPU: return &ctnl_stats_cpu_desc;
	case CTNL_STATS_EXP_CPU: return &ctnl_stats_exp_desc;
	case CTNL_STATS_GLOBAL: return &ctnl_stats_global_desc;
	default: return NULL;
	}
}

/* Without a request: is the payload of a kernel->user 0x0103 the flat
 * list of 4-byte CTA_STATS_EXP_* counters?  (ctnl/stats.h states the rule.) */
static int looks_like_exp_stats(const uint8_t *p, size_t len)
{
	while (len >= CTNL_NLA_HDRLEN) {
		uint16_t l = ctnl_get_u16(p), t = ctnl_get_u16(p + 2);

		if (l != CTNL_NLA_HDRLEN + 4 || len < 8 || (t & CTNL_NLA_F_NESTED) ||
		    (t & CTNL_NLA_TYPE_MASK) < CTA_STATS_EXP_NEW || (t & CTNL_NLA_TYPE_MASK) > CTA_STATS_EXP_DELETE)
			return 0;
		p += 8;
		len -= 8;
	}
	return len == 0;
}

int ctnl_msg_classify(const void *buf, size_t len, const struct ctnl_msg *request)
{
	struct ctnl_msg h;
	int rc = ctnl_msg_parse(buf, len, &h, NULL);

	if (rc < 0)
		return rc;
	switch (h.type) {
	case NLMSG_ERROR: return CTNL_MC_ERROR;
	case NLMSG_DONE: return CTNL_MC_DONE;
	case CT_TYPE(IPCTNL_MSG_CT_GET_STATS_CPU): return CTNL_MC_STATS_CPU;
	case CT_TYPE(IPCTNL_MSG_CT_GET_STATS): return CTNL_MC_STATS_GLOBAL;
	case EXP_TYPE(IPCTNL_MSG_EXP_GET_STATS_CPU): return CTNL_MC_STATS_EXP_CPU;
	case CT_TYPE(IPCTNL_MSG_CT_GET_CTRZERO):
		if (request)
			return request->type == EXP_TYPE(IPCTNL_MSG_EXP_GET_STATS_CPU) ? CTNL_MC_STATS_EXP_CPU : CTNL_MC_CT;
		if (h.flags & NLM_F_REQUEST)
			return CTNL_MC_CT;
		return looks_like_exp_stats((const uint8_t *)buf + CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN,
					    h.len - CTNL_NLMSG_HDRLEN - CTNL_NFGEN_HDRLEN)
			       ? CTNL_MC_STATS_EXP_CPU
			       : CTNL_MC_CT;
	default:
		break;
	}
	if (ctnl_ct_is_entry_type(h.type))
		return CTNL_MC_CT;
	if (ctnl_exp_is_entry_type(h.type))
		return CTNL_MC_EXP;
	return CTNL_MC_OTHER;
}

static int type_fits(unsigned kind, uint16_t type)
{
	switch (kind) {
	case CTNL_STATS_CPU: return type == CT_TYPE(IPCTNL_MSG_CT_GET_STATS_CPU);
	case CTNL_STATS_GLOBAL: return type == CT_TYPE(IPCTNL_MSG_CT_GET_STATS);
	case CTNL_STATS_EXP_CPU:
		return type == CT_TYPE(IPCTNL_MSG_CT_GET_CTRZERO) || type == EXP_TYPE(IPCTNL_MSG_EXP_GET_STATS_CPU);
	default: return 0;
	}
}

int ctnl_stats_decode(const void *buf, size_t len, unsigned kind, struct ctnl_stats_msg *out, struct ctnl_err *err)
{
	const struct ctnl_nest_desc *d = ctnl_stats_desc(kind);
	int rc;

	memset(&out->u, 0, sizeof(out->u));
	memset(&out->unknown, 0, offsetof(struct ctnl_unknowns, list));
	out->kind = (uint8_t)kind;
	out->cpu = 0;
	out->raw.ptr = buf;
	out->raw.len = 0;
	if (!d)
		return ctnl_set_err(err, -EINVAL, 0, "unknown stats kind %u", kind);
	rc = ctnl_msg_parse(buf, len, &out->hdr, err);
	if (rc < 0)
		return rc;
	out->raw.len = out->hdr.len;
	out->cpu = out->hdr.res_id;
	if (!type_fits(kind, out->hdr.type))
		return ctnl_set_err(err, -ENOMSG, 4, "message type 0x%04x does not carry %s", out->hdr.type, d->name);

	return ctnl_msg_decode_attrs(buf, out->hdr.len, d, &out->u, NULL, NULL, &out->unknown, err);
}

int ctnl_stats_encode(const struct ctnl_stats_msg *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err)
{
	const struct ctnl_nest_desc *d = ctnl_stats_desc(m->kind);

	if (!d)
		return ctnl_set_err(err, -EINVAL, 0, "unknown stats kind %u", m->kind);
	return ctnl_msg_encode(&m->hdr, d, &m->u, NULL, 0, buf, cap, out_len, err);
}
