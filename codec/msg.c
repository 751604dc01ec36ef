/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Netlink framing: nlmsghdr, nfgenmsg, streams of messages, NLMSG_ERROR. */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include <ctnl/msg.h>

#include "internal.h"

int ctnl_msg_parse(const void *buf, size_t len, struct ctnl_msg *out, struct ctnl_err *err)
{
	const uint8_t *p = buf;

	memset(out, 0, sizeof(*out));
	if (len < CTNL_NLMSG_HDRLEN)
		return ctnl_set_err(err, -EBADMSG, 0, "%zu bytes, a netlink header needs 16", len);
	out->len = ctnl_get_u32(p);
	out->type = ctnl_get_u16(p + 4);
	out->flags = ctnl_get_u16(p + 6);
	out->seq = ctnl_get_u32(p + 8);
	out->pid = ctnl_get_u32(p + 12);
	if (out->len < CTNL_NLMSG_HDRLEN)
		return ctnl_set_err(err, -EBADMSG, 0, "nlmsg_len %u is below the 16-byte header", out->len);
	if (out->len > len)
		return ctnl_set_err(err, -EBADMSG, 0, "nlmsg_len %u runs past the %zu bytes available", out->len, len);
	if (out->type >= NLMSG_MIN_TYPE) {
		if (out->len < CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN)
			return ctnl_set_err(err, -EBADMSG, CTNL_NLMSG_HDRLEN,
					    "nlmsg_len %u leaves no room for the 4-byte nfgenmsg", out->len);
		out->family = p[16];
		out->version = p[17];
		out->res_id = ctnl_get_be16(p + 18);
	}
	return 0;
}

void ctnl_stream_init(struct ctnl_stream *s, const void *buf, size_t len)
{
	s->buf = buf;
	s->len = len;
	s->pos = 0;
	s->index = 0;
}

int ctnl_stream_next(struct ctnl_stream *s, const uint8_t **msg, size_t *msg_len, struct ctnl_err *err)
{
	size_t left = s->len - s->pos;
	uint32_t l;

	if (left == 0)
		return 0;
	if (err) {
		err->msg_index = s->index;
		err->msg_offset = (uint32_t)s->pos;
	}
	if (left < CTNL_NLMSG_HDRLEN) {
		s->pos = s->len;
		return ctnl_set_err(err, -EBADMSG, (uint32_t)(s->len - left),
				    "%zu trailing bytes, too few for a netlink header", left);
	}
	l = ctnl_get_u32(s->buf + s->pos);
	if (l < CTNL_NLMSG_HDRLEN || l > left) {
		uint32_t at = (uint32_t)s->pos;

		s->pos = s->len;
		return ctnl_set_err(err, -EBADMSG, at, "nlmsg_len %u %s (%zu bytes left)", l,
				    l < CTNL_NLMSG_HDRLEN ? "is below the 16-byte header" : "runs past the buffer", left);
	}
	*msg = s->buf + s->pos;
	*msg_len = l;
	s->pos += CTNL_ALIGN4(l) <= left ? CTNL_ALIGN4(l) : left;
	s->index++;
	return 1;
}

int ctnl_nlerr_parse(const void *buf, size_t len, struct ctnl_nlerr *out, struct ctnl_err *err)
{
	const uint8_t *p = buf;
	struct ctnl_msg h;
	size_t at, end;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctnl_msg_parse(buf, len, &h, err);
	if (rc < 0)
		return rc;
	if (h.type != NLMSG_ERROR)
		return ctnl_set_err(err, -ENOMSG, 4, "message type %u is not NLMSG_ERROR", h.type);
	if (h.len < CTNL_NLMSG_HDRLEN + 4 + CTNL_NLMSG_HDRLEN)
		return ctnl_set_err(err, -EBADMSG, CTNL_NLMSG_HDRLEN,
				    "NLMSG_ERROR of %u bytes, needs 36 (error code and request header)", h.len);
	out->error = (int)ctnl_get_u32(p + 16);
	out->req.len = ctnl_get_u32(p + 20);
	out->req.type = ctnl_get_u16(p + 24);
	out->req.flags = ctnl_get_u16(p + 26);
	out->req.seq = ctnl_get_u32(p + 28);
	out->req.pid = ctnl_get_u32(p + 32);
	at = 36;
	end = h.len;
	if (!(h.flags & NLM_F_CAPPED) && out->req.len > CTNL_NLMSG_HDRLEN) {
		size_t plen = out->req.len - CTNL_NLMSG_HDRLEN;

		if (plen > end - at)
			return ctnl_set_err(err, -EBADMSG, 20,
					    "echoed request of %u bytes runs past the error message", out->req.len);
		out->payload.ptr = p + at;
		out->payload.len = (uint32_t)plen;
		at += CTNL_ALIGN4(plen);
		if (at > end)
			at = end;
	}
	if (!(h.flags & NLM_F_ACK_TLVS))
		return 0;
	while (end - at >= 4) {
		uint16_t l = ctnl_get_u16(p + at), t = ctnl_get_u16(p + at + 2) & CTNL_NLA_TYPE_MASK;

		if (l < 4 || l > end - at)
			return ctnl_set_err(err, -EBADMSG, (uint32_t)at, "extended ACK attribute length %u is invalid", l);
		if (t == NLMSGERR_ATTR_MSG) {
			const uint8_t *s = p + at + 4, *nul = memchr(s, 0, l - 4u);

			out->ext_msg.ptr = s;
			out->ext_msg.len = (uint32_t)(nul ? (size_t)(nul - s) : l - 4u);
		} else if (t == NLMSGERR_ATTR_OFFS) {
			if (l != 8)
				return ctnl_set_err(err, -EBADMSG, (uint32_t)at,
						    "NLMSGERR_ATTR_OFFS length %u, expected 8", l);
			out->ext_offset = ctnl_get_u32(p + at + 4);
			out->has_ext_offset = 1;
		}
		at += CTNL_ALIGN4(l) <= end - at ? CTNL_ALIGN4(l) : end - at;
	}
	return 0;
}
