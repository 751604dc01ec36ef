/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_MSG_H
#define CTNL_MSG_H

/*
 * Netlink framing: message headers and streams of messages.
 *
 *   a receive buffer (one datagram, or a file of several):
 *
 *   +---------+-----+---------+-----+---------+
 *   | nlmsg 0 | pad | nlmsg 1 | pad | nlmsg 2 |   each padded to 4 bytes
 *   +---------+-----+---------+-----+---------+
 *
 * Headers are in host byte order (the capturing host's, for captures).
 */

#include <stddef.h>
#include <stdint.h>

#include <ctnl/attr.h>
#include <ctnl/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTNL_NLMSG_HDRLEN 16u
#define CTNL_NFGEN_HDRLEN 4u

/* The two headers of a netfilter netlink message. */
struct ctnl_msg {
	uint32_t len;                      /* nlmsg_len */
	uint16_t type;                     /* nlmsg_type */
	uint16_t flags;                    /* nlmsg_flags */
	uint32_t seq;
	uint32_t pid;
	uint8_t family;                    /* nfgen_family */
	uint8_t version;                   /* NFNETLINK_V0 */
	uint16_t res_id;                   /* host order (big-endian on the wire) */
};

#define ctnl_msg_subsys(type)  ((uint8_t)((type) >> 8))
#define ctnl_msg_cmd(type)     ((uint8_t)((type) & 0xff))

/**
 * ctnl_msg_parse - read the nlmsghdr (and nfgenmsg, for types >= 16)
 * @buf: start of a message
 * @len: bytes available
 * @out: filled
 * @err: optional; offsets relative to @buf
 *
 * Checks nlmsg_len against 16 and against @len, and for netfilter types
 * that the payload holds an nfgenmsg.
 *
 * Return: 0 or -EBADMSG.
 */
CTNL_EXPORT int ctnl_msg_parse(const void *buf, size_t len, struct ctnl_msg *out, struct ctnl_err *err);

/* A cursor over the messages of a buffer. */
struct ctnl_stream {
	const uint8_t *buf;
	size_t len;
	size_t pos;                        /* next message starts here */
	uint32_t index;                    /* index of the next message */
};

/**
 * ctnl_stream_init - start walking @len bytes of messages at @buf
 */
CTNL_EXPORT void ctnl_stream_init(struct ctnl_stream *s, const void *buf, size_t len);

/**
 * ctnl_stream_next - the next message of a stream
 * @s: the cursor
 * @msg: set to the message's first byte
 * @msg_len: set to its nlmsg_len
 * @err: optional; offsets relative to the stream's buffer
 *
 * A message whose nlmsg_len runs past the buffer, or is below 16, ends
 * the stream with -EBADMSG: without a trustworthy length there is no
 * next message to resynchronise on.
 *
 * Return: 1 when a message was produced; 0 at the end; -EBADMSG.
 */
CTNL_EXPORT int ctnl_stream_next(struct ctnl_stream *s, const uint8_t **msg, size_t *msg_len,
				 struct ctnl_err *err);

/**
 * ctnl_nlerr - the payload of an NLMSG_ERROR message
 */
struct ctnl_nlerr {
	int error;                         /* 0 for an ACK, else -errno */
	struct ctnl_msg req;               /* the header of the request it answers (nfgenmsg not filled) */
	struct ctnl_view payload;          /* the echoed request payload, if not capped */
	struct ctnl_view ext_msg;          /* NLMSGERR_ATTR_MSG, without its NUL */
	uint32_t ext_offset;               /* NLMSGERR_ATTR_OFFS */
	int has_ext_offset;
};

/**
 * ctnl_nlerr_parse - decode an NLMSG_ERROR message, extended ACK included
 * @buf: the message (nlmsg_type NLMSG_ERROR)
 * @len: its length
 * @out: filled
 * @err: optional
 *
 * Return: 0 or -EBADMSG.
 */
CTNL_EXPORT int ctnl_nlerr_parse(const void *buf, size_t len, struct ctnl_nlerr *out, struct ctnl_err *err);

#ifdef __cplusplus
}
#endif

#endif
