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

/* The entry, its arrival order and its unknowns reset.  Sized by the
 * descriptor, a value this file cannot see, the clear stays a call to the
 * C library's vector memset; with sizeof the compiler inlines "rep stos",
 * which bench/ measured at a third of the whole decode.  The unknown list
 * is reset by its counters: only kept[] entries are ever read. */
static void ct_clear(struct ctnl_ct_msg *out)
{
	memset(&out->ct, 0, ctnl_ct_top_desc.size);
	out->norder = 0;
	memset(&out->unknown, 0, offsetof(struct ctnl_unknowns, list));
}

/* The header half of a decode, shared by both entry points: out reset,
 * nlmsghdr and nfgenmsg read, the type checked. */
static int ct_begin(const void *buf, size_t len, struct ctnl_ct_msg *out, struct ctnl_err *err)
{
	int rc;

	ct_clear(out);
	rc = ctnl_msg_parse(buf, len, &out->hdr, err);
	if (rc < 0)
		return rc;
	if (!ctnl_ct_is_entry_type(out->hdr.type))
		return ctnl_set_err(err, -ENOMSG, 4, "message type 0x%04x carries no conntrack entry", out->hdr.type);
	return 0;
}

int ctnl_ct_decode(const void *buf, size_t len, struct ctnl_ct_msg *out, struct ctnl_err *err)
{
	int rc = ct_begin(buf, len, out, err);

	if (rc < 0)
		return rc;
	return ctnl_msg_decode_attrs(buf, out->hdr.len, &ctnl_ct_top_desc, &out->ct, out->order, &out->norder, &out->unknown, err);
}

/* Learning a layout costs about a decode.  Each message earns a credit
 * and each layout learned spends LEARN_COST, so input that never repeats
 * (a fuzzer's, or more layouts than slots in turn) pays at most a fifth
 * more than the plain walk, while a dump's few layouts are learned at
 * once from the starting credit. */
#define LEARN_COST 5
#define CREDIT_MAX 64

void ctnl_ct_decoder_init(struct ctnl_ct_decoder *dec)
{
	/* a slot is read only when its key matches, so the keys are all
	 * there is to clear: a get costs 300 bytes of clearing, not 35 KiB */
	memset(dec->key, 0, sizeof(dec->key));
	dec->next = 0;
	dec->credit = CREDIT_MAX;
	dec->hits = dec->misses = 0;
}

/* The filter key of a message's layout: its length and first attribute
 * header, both fixed by the layout (0 marks an empty slot: no message
 * of 0 bytes gets this far). */
static uint64_t shape_key(const uint8_t *m, uint32_t msg_len)
{
	uint32_t first = msg_len >= 24 ? ctnl_get_u32(m + 20) : 0;

	return (uint64_t)msg_len << 32 | first;
}

int ctnl_ct_decode_with(struct ctnl_ct_decoder *dec, const void *buf, size_t len, struct ctnl_ct_msg *out,
			struct ctnl_err *err)
{
	struct ctnl_shape *s;
	uint64_t key;
	int rc = ct_begin(buf, len, out, err);

	if (rc < 0)
		return rc;
	key = shape_key(buf, out->hdr.len);
	if (dec->credit < CREDIT_MAX)
		dec->credit++;
	for (unsigned i = 0; i < CTNL_CT_SHAPES; i++) {
		if (dec->key[i] != key)
			continue;
		s = &dec->shape[i];
		if (!ctnl_shape_match(s, buf))
			continue;
		if (ctnl_shape_apply(s, buf, (uint8_t *)&out->ct, out->order, &out->norder, &out->unknown) == 0) {
			dec->hits++;
			return 0;
		}
		/* a string over its limit: the walker reports it, from a clean start */
		ct_clear(out);
		break;
	}
	dec->misses++;
	rc = ctnl_msg_decode_attrs(buf, out->hdr.len, &ctnl_ct_top_desc, &out->ct, out->order, &out->norder,
				   &out->unknown, err);
	if (rc == 0 && !out->unknown.count && !out->unknown.dups && dec->credit >= LEARN_COST) {
		unsigned i = dec->next;

		dec->credit -= LEARN_COST;
		s = &dec->shape[i];
		ctnl_shape_record(s, &ctnl_ct_top_desc, buf, out->hdr.len, (const uint8_t *)&out->ct, out->order,
				  out->norder, out->unknown.pads);
		dec->key[i] = s->msg_len ? key : 0;
		if (s->msg_len)
			dec->next = (i + 1) % CTNL_CT_SHAPES;
	}
	return rc;
}

int ctnl_ct_encode(const struct ctnl_ct_msg *m, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err)
{
	return ctnl_msg_encode(&m->hdr, &ctnl_ct_top_desc, &m->ct, m->order,
			       m->norder <= sizeof(m->order) ? m->norder : sizeof(m->order), buf, cap, out_len, err);
}
