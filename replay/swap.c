/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Byte order of captured netlink: a capture holds the capturing host's
 * byte order, the codec reads this host's.  Headers are swapped, walking
 * nests with the codec's descriptions; big-endian values stay as they are.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ct.h>
#include <ctnl/exp.h>
#include <ctnl/stats.h>
#include <ctnl/pcap.h>

#include "replay.h"

int ctnl_nl_endian(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t own, other;
	int own_fits, other_fits;

	if (len < NLMSG_HDRLEN)
		return 0;
	own = rp_get32(p, 0);
	other = rp_get32(p, 1);
	own_fits = own >= NLMSG_HDRLEN && own <= len;
	other_fits = other >= NLMSG_HDRLEN && other <= len;
	return other_fits && !own_fits;
}

const struct ctnl_nest_desc *ctnl_nl_swap_desc(enum ctnl_pcap_kind kind)
{
	switch (kind) {
	case CTNL_PK_CT:
		return ctnl_ct_desc();
	case CTNL_PK_EXP:
		return ctnl_exp_desc();
	case CTNL_PK_CT_STATS_CPU:
		return ctnl_stats_desc(CTNL_STATS_CPU);
	case CTNL_PK_CT_STATS:
		return ctnl_stats_desc(CTNL_STATS_GLOBAL);
	case CTNL_PK_EXP_STATS_CPU:
		return ctnl_stats_desc(CTNL_STATS_EXP_CPU);
	default:
		return NULL;
	}
}

void rp_swap_nlmsghdr(uint8_t *p)
{
	rp_swap32(p);
	rp_swap16(p + 4);
	rp_swap16(p + 6);
	rp_swap32(p + 8);
	rp_swap32(p + 12);
}

struct swap_ctx {
	const uint8_t *msg;                /* for offsets in errors */
	int to_foreign;                    /* the input is in this host's order: read lengths first */
	struct ctnl_swap_info *info;
	struct ctnl_err *err;
};

static int swap_err(struct swap_ctx *c, const uint8_t *at, const char *what, unsigned v)
{
	if (c->err) {
		c->err->code = -EBADMSG;
		c->err->offset = (uint32_t)(at - c->msg);
		c->err->path[0] = '\0';
		snprintf(c->err->what, sizeof(c->err->what), what, v);
	}
	return -EBADMSG;
}

/* Swap the attribute headers of p[0..len), described by d (NULL: nests
 * known only by NLA_F_NESTED, values left alone). */
static int swap_attrs(struct swap_ctx *c, uint8_t *p, size_t len, const struct ctnl_nest_desc *d, unsigned depth)
{
	size_t at = 0;

	if (depth > CTNL_MAX_DEPTH)
		return swap_err(c, p, "nesting deeper than %u", CTNL_MAX_DEPTH);
	while (len - at >= 4) {
		uint8_t *a = p + at;
		uint16_t l, t, type;
		const struct ctnl_attr_desc *ad = NULL;
		int rc = 0;

		l = rp_get16(a, !c->to_foreign);
		t = rp_get16(a + 2, !c->to_foreign);
		rp_swap16(a);
		rp_swap16(a + 2);
		if (l < 4 || l > len - at)
			return swap_err(c, a, "attribute length %u runs past its nest", l);
		type = t & RP_NLA_TYPE_MASK;
		if (d && type <= d->maxtype && d->attrs[type].kind != CTNL_K_NONE)
			ad = &d->attrs[type];
		if (c->info)
			c->info->attrs++;
		if (ad && ad->kind == CTNL_K_NEST)
			rc = swap_attrs(c, a + 4, l - 4u, ad->nest, depth + 1);
		else if (ad && ad->kind == CTNL_K_U32 && l == 8)
			rp_swap32(a + 4);
		else if (!ad && (t & RP_NLA_F_NESTED))
			rc = swap_attrs(c, a + 4, l - 4u, NULL, depth + 1);
		else if (!ad && c->info)
			c->info->unknown++;
		if (rc < 0)
			return rc;
		at += RP_ALIGN4(l) <= len - at ? RP_ALIGN4(l) : len - at;
	}
	return 0;
}

/* The extended-ACK TLVs after an NLMSG_ERROR or NLMSG_DONE payload. */
static int swap_ack_tlvs(struct swap_ctx *c, uint8_t *p, size_t len)
{
	size_t at = 0;

	while (len - at >= 4) {
		uint8_t *a = p + at;
		uint16_t l, t;

		l = rp_get16(a, !c->to_foreign);
		t = rp_get16(a + 2, !c->to_foreign);
		rp_swap16(a);
		rp_swap16(a + 2);
		if (l < 4 || l > len - at)
			return swap_err(c, a, "extended ACK attribute length %u runs past the message", l);
		if (c->info)
			c->info->attrs++;
		switch (t & RP_NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
		case NLMSGERR_ATTR_COOKIE:
			break;                     /* bytes */
		case NLMSGERR_ATTR_OFFS:
		case NLMSGERR_ATTR_MISS_TYPE:
		case NLMSGERR_ATTR_MISS_NEST:
			if (l == 8)
				rp_swap32(a + 4);
			break;
		default:
			if (t & RP_NLA_F_NESTED) {
				int rc = swap_attrs(c, a + 4, l - 4u, NULL, 1);

				if (rc < 0)
					return rc;
			} else if (c->info) {
				c->info->unknown++;
			}
		}
		at += RP_ALIGN4(l) <= len - at ? RP_ALIGN4(l) : len - at;
	}
	return 0;
}

/* An echoed request is judged by its type alone: requests are never
 * ambiguous. */
static const struct ctnl_nest_desc *desc_for_type(uint16_t type)
{
	if (ctnl_ct_is_entry_type(type))
		return ctnl_ct_desc();
	if (ctnl_exp_is_entry_type(type))
		return ctnl_exp_desc();
	return NULL;
}

static int swap_msg(const void *in, size_t len, void *out, const struct ctnl_nest_desc *desc, int to_foreign,
		    struct ctnl_swap_info *info, struct ctnl_err *err)
{
	struct swap_ctx c = { .msg = out, .to_foreign = to_foreign, .info = info, .err = err };
	int sw = !to_foreign;                  /* read a field of the input as it will read after the swap */
	uint8_t *p = out;
	uint32_t l;
	uint16_t type, flags;

	if (len < NLMSG_HDRLEN)
		return swap_err(&c, p, "%u bytes, a netlink header needs 16", (unsigned)len);
	if (out != in)
		memcpy(out, in, len);
	l = rp_get32(p, sw);
	type = rp_get16(p + 4, sw);
	flags = rp_get16(p + 6, sw);
	rp_swap_nlmsghdr(p);
	if (l < NLMSG_HDRLEN || l > len)
		return swap_err(&c, p, "nlmsg_len %u does not fit the message", l);

	if (type == NLMSG_ERROR) {
		uint32_t rl;
		uint16_t rtype;
		size_t at = NLMSG_HDRLEN + 4 + NLMSG_HDRLEN;

		if (l < at) {                      /* too short to hold the echoed header */
			if (l >= NLMSG_HDRLEN + 4)
				rp_swap32(p + 16);
			return 0;
		}
		rp_swap32(p + 16);
		rl = rp_get32(p + 20, sw);
		rtype = rp_get16(p + 24, sw);
		rp_swap_nlmsghdr(p + 20);
		if (!(flags & NLM_F_CAPPED) && rl > NLMSG_HDRLEN) {
			size_t plen = rl - NLMSG_HDRLEN;

			if (plen > l - at)
				return swap_err(&c, p + 20, "echoed request of %u bytes runs past the error", rl);
			if (rtype >= NLMSG_MIN_TYPE && plen >= 4) {
				int rc = swap_attrs(&c, p + at + 4, plen - 4, desc_for_type(rtype), 0);

				if (rc < 0)
					return rc;
			}
			at += RP_ALIGN4(plen);
			if (at > l)
				at = l;
		}
		return (flags & NLM_F_ACK_TLVS) ? swap_ack_tlvs(&c, p + at, l - at) : 0;
	}
	if (type == NLMSG_DONE) {
		if (l < NLMSG_HDRLEN + 4)
			return 0;
		rp_swap32(p + 16);
		return (flags & NLM_F_ACK_TLVS) ? swap_ack_tlvs(&c, p + 20, l - 20u) : 0;
	}
	if (type < NLMSG_MIN_TYPE || l < NLMSG_HDRLEN + 4)
		return 0;
	return swap_attrs(&c, p + NLMSG_HDRLEN + 4, l - NLMSG_HDRLEN - 4, desc, 0);
}

int ctnl_nl_swap(const void *in, size_t len, void *out, const struct ctnl_nest_desc *desc,
		 struct ctnl_swap_info *info, struct ctnl_err *err)
{
	return swap_msg(in, len, out, desc, 0, info, err);
}

int ctnl_nl_swap_to_foreign(const void *in, size_t len, void *out, const struct ctnl_nest_desc *desc,
			    struct ctnl_swap_info *info, struct ctnl_err *err)
{
	return swap_msg(in, len, out, desc, 1, info, err);
}
