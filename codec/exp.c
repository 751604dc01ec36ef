/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Expectation messages: the headers around the attribute table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>

#include <ctnl/exp.h>

#include "exp_desc.h"
#include "internal.h"


int ctnl_exp_is_entry_type(uint16_t nlmsg_type)
{
	if (ctnl_msg_subsys(nlmsg_type) != NFNL_SUBSYS_CTNETLINK_EXP)
		return 0;
	switch (ctnl_msg_cmd(nlmsg_type)) {
	case IPCTNL_MSG_EXP_NEW:
	case IPCTNL_MSG_EXP_GET:
	case IPCTNL_MSG_EXP_DELETE:
		return 1;
	default:
		return 0;
	}
}

void ctnl_exp_init(struct ctnl_exp_msg *m)
{
	memset(m, 0, sizeof(*m));
}

int ctnl_exp_decode(const void *buf, size_t len, struct ctnl_exp_msg *out, struct ctnl_err *err)
{
	int rc;

	memset(&out->exp, 0, sizeof(out->exp));
	out->norder = 0;
	memset(&out->unknown, 0, offsetof(struct ctnl_unknowns, list));

	rc = ctnl_msg_parse(buf, len, &out->hdr, err);
	if (rc < 0)
		return rc;
	if (!ctnl_exp_is_entry_type(out->hdr.type))
		return ctnl_set_err(err, -ENOMSG, 4, "message type 0x%04x carries no expectation", out->hdr.type);

	return ctnl_msg_decode_attrs(buf, out->hdr.len, &ctnl_exp_top_desc, &out->exp, out->order, &out->norder, &out->unknown, err);
}

/* Shared with stats.c: one message of any top-level description. */
int ctnl_exp_encode(const struct ctnl_exp_msg *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err)
{
	return ctnl_msg_encode(&m->hdr, &ctnl_exp_top_desc, &m->exp, m->order,
				m->norder <= CTA_EXPECT_MAX + 1 ? m->norder : CTA_EXPECT_MAX + 1, buf, cap, out_len, err);
}
