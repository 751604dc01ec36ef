/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Conntrack messages: the headers around the attribute tables. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ct.h>

#include "ct_desc.h"
#include "internal.h"

int ctnl_ct_is_entry_type(uint16_t nlmsg_type)
{
	if (ctnl_msg_subsys(nlmsg_type) != NFNL_SUBSYS_CTNETLINK)
		return 0;
	switch (ctnl_msg_cmd(nlmsg_type)) {
	case IPCTNL_MSG_CT_NEW:
	case IPCTNL_MSG_CT_GET:
	case IPCTNL_MSG_CT_DELETE:
	case IPCTNL_MSG_CT_GET_CTRZERO:
	case IPCTNL_MSG_CT_GET_DYING:
	case IPCTNL_MSG_CT_GET_UNCONFIRMED:
		return 1;
	default:
		return 0;
	}
}

void ctnl_ct_init(struct ctnl_ct_msg *m)
{
	memset(m, 0, sizeof(*m));
}

int ctnl_ct_decode(const void *buf, size_t len, struct ctnl_ct_msg *out, struct ctnl_err *err)
{
	int rc;

	/* Sized by the descriptor, a value this file cannot see, the clear
	 * stays a call to the C library's vector memset; with sizeof the
	 * compiler inlines "rep stos", which bench/ measured at a third of
	 * the whole decode.  The unknown list is reset by its counters: only
	 * kept[] entries are ever read. */
	memset(&out->ct, 0, ctnl_ct_top_desc.size);
	out->norder = 0;
	memset(&out->unknown, 0, offsetof(struct ctnl_unknowns, list));

	rc = ctnl_msg_parse(buf, len, &out->hdr, err);
	if (rc < 0)
		return rc;
	if (!ctnl_ct_is_entry_type(out->hdr.type))
		return ctnl_set_err(err, -ENOMSG, 4, "message type 0x%04x carries no conntrack entry", out->hdr.type);

	return ctnl_msg_decode_attrs(buf, out->hdr.len, &ctnl_ct_top_desc, &out->ct, out->order, &out->norder, &out->unknown, err);
}

int ctnl_ct_encode(const struct ctnl_ct_msg *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err)
{
	return ctnl_msg_encode(&m->hdr, &ctnl_ct_top_desc, &m->ct, m->order,
			       m->norder <= sizeof(m->order) ? m->norder : sizeof(m->order), buf, cap, out_len, err);
}
