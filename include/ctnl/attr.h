/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_ATTR_H
#define CTNL_ATTR_H

/*
 * Attribute descriptions and the errors the codec reports.
 *
 *   netlink attribute (host-order header, value mostly big-endian):
 *
 *   0        2        4
 *   +--------+--------+---------------------------+.....+
 *   | nla_len| nla_typ| value (nla_len - 4 bytes) | pad |   pad to 4 bytes
 *   +--------+--------+---------------------------+.....+
 *             ^ bit 15 NLA_F_NESTED, bit 14 NLA_F_NET_BYTEORDER
 *
 * Every nest of a message is described by one struct ctnl_nest_desc: an
 * array indexed by attribute type, each entry naming the value's kind, its
 * length rule, where it lives in the decoded struct and, for nests, the
 * inner description.  The same tables drive validation, decoding,
 * encoding, printing and the tests that check coverage.
 *
 * Each decoded nest is a struct whose first member is "uint32_t present":
 * bit N is set when attribute type N was seen (types above 31 do not exist
 * in any ctnetlink nest as of Linux 6.18).
 */

#include <stddef.h>
#include <stdint.h>

#include <ctnl/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nest the decoder descends into; the conntrack tables need 3,
 * expectations 4.  Deeper input is rejected, never recursed into. */
#define CTNL_MAX_DEPTH 6

/* How many unknown attributes one decoded message keeps (all are counted). */
#define CTNL_UNKNOWN_MAX 8

enum ctnl_kind {
	CTNL_K_NONE = 0,   /* no such attribute in this nest (unknown) */
	CTNL_K_U8,         /* 1 byte */
	CTNL_K_BE16,       /* 2 bytes, big-endian, stored as host uint16_t */
	CTNL_K_BE32,       /* 4 bytes, big-endian, stored as host uint32_t */
	CTNL_K_BE64,       /* 8 bytes, big-endian, stored as host uint64_t */
	CTNL_K_U32,        /* 4 bytes in host order (CTA_FILTER flags) */
	CTNL_K_STRING,     /* NUL-terminated string, stored as a view without the NUL */
	CTNL_K_BINARY,     /* opaque bytes, stored as a view */
	CTNL_K_FIXED,      /* exactly len bytes, copied into the struct (addresses, TCP flags) */
	CTNL_K_NEST,       /* nested attributes, decoded into an embedded struct */
	CTNL_K_PAD,        /* alignment padding for a following 64-bit value */
	CTNL_K__MAX
};

/* Printing hints: how a FIXED or integer value reads to a person. */
enum ctnl_fmt {
	CTNL_FMT_DEC = 0,
	CTNL_FMT_HEX,
	CTNL_FMT_IPV4,
	CTNL_FMT_IPV6,
	CTNL_FMT_FLAGS2,   /* struct nf_ct_tcp_flags {flags, mask} */
};

/* Descriptor flags. */
#define CTNL_AF_PAD_OK  0x01  /* an empty instance is padding (CTA_TIMESTAMP_EVENT's pad is type 3) */
#define CTNL_AF_INPUT   0x02  /* only sent by user space; the kernel never emits it */
#define CTNL_AF_OBSOLETE 0x04 /* defined in UAPI, used by no current kernel */

struct ctnl_nest_desc;

struct ctnl_attr_desc {
	const char *name;                  /* path component: "dst-port" */
	const char *uapi;                  /* "CTA_PROTO_DST_PORT" */
	uint8_t kind;                      /* enum ctnl_kind */
	uint8_t fmt;                       /* enum ctnl_fmt */
	uint8_t flags;                     /* CTNL_AF_* */
	uint16_t len;                      /* exact length for fixed kinds; maximum for STRING/BINARY (0: none) */
	uint16_t offset;                   /* of the value in the nest's struct */
	const struct ctnl_nest_desc *nest; /* CTNL_K_NEST only */
};

struct ctnl_nest_desc {
	const char *name;                  /* "tuple" */
	uint16_t maxtype;                  /* attrs[] has maxtype + 1 entries */
	uint16_t size;                     /* sizeof the decoded struct */
	const struct ctnl_attr_desc *attrs;
	const uint8_t *order;              /* encoding order (NULL: ascending type) */
	uint8_t norder;
};

/* A borrowed view into the caller's message buffer. */
struct ctnl_view {
	const uint8_t *ptr;
	uint32_t len;
};

/* An attribute the decoder did not know, kept so nothing is lost. */
struct ctnl_unknown {
	uint32_t offset;                   /* of its header, from the start of the message */
	uint16_t type;                     /* including NLA_F_* bits as received */
	uint16_t len;                      /* nla_len */
	uint8_t depth;                     /* number of enclosing nests */
	uint8_t path[CTNL_MAX_DEPTH];      /* their types, outermost first */
	const struct ctnl_nest_desc *nest; /* the nest it was found in */
};

struct ctnl_unknowns {
	uint16_t count;                    /* how many were seen */
	uint16_t kept;                     /* how many are in list[] (<= CTNL_UNKNOWN_MAX) */
	uint16_t pads;                     /* padding attributes skipped */
	uint16_t dups;                     /* attributes seen twice in one nest (the last wins, as in the kernel) */
	struct ctnl_unknown list[CTNL_UNKNOWN_MAX];
};

/*
 * A remembered message layout (codec/shape.c): where each attribute
 * header sits and what it says, and the copies that decode the values.
 * Filled and read only by the codec; the caller owns the memory.
 */
#define CTNL_SHAPE_HDRS 64   /* attribute headers of one layout, nests included */
#define CTNL_SHAPE_OPS 56    /* values copied */
#define CTNL_SHAPE_NESTS 16  /* nests, the top level included */

struct ctnl_shape_op {
	uint16_t src;                      /* the value, from the start of the message */
	uint16_t dst;                      /* the field, from the start of the decoded struct */
	uint8_t kind;                      /* enum ctnl_kind */
	uint8_t unused;
	uint16_t len;                      /* the value's length */
	uint16_t max;                      /* STRING: the description's limit (0: none) */
};

struct ctnl_shape {
	uint32_t msg_len;                  /* 0: an empty slot */
	uint8_t nhdr, nops, nnest, norder;
	uint16_t pads;
	uint16_t hoff[CTNL_SHAPE_HDRS];
	uint32_t hval[CTNL_SHAPE_HDRS];
	struct ctnl_shape_op op[CTNL_SHAPE_OPS];
	uint16_t nest_off[CTNL_SHAPE_NESTS];
	uint32_t nest_present[CTNL_SHAPE_NESTS];
	uint8_t order[32];
};

/*
 * An error: a negative errno-style code plus where it happened.  The
 * library never prints; ctnl_err_format() makes the one-line text.
 */
struct ctnl_err {
	int code;                          /* -EBADMSG, -ENOSPC, -EINVAL, ... */
	uint32_t msg_index;                /* 0-based index of the message in its buffer */
	uint32_t msg_offset;               /* byte offset of that message in its buffer */
	uint32_t offset;                   /* byte offset of the fault from the start of the buffer */
	uint16_t attr_type;                /* the offending attribute's type, if any */
	char path[96];                     /* "orig.proto.dst-port"; empty for header faults */
	char what[96];                     /* "length 3, expected 2" */
};

/**
 * ctnl_err_format - one line of text for an error
 * @err: a filled error
 * @buf: where to write (always NUL-terminated when @len > 0)
 * @len: size of @buf
 *
 * Example: "message 2 (byte 480): orig.proto.dst-port (type 3) at byte 532: length 3, expected 2"
 *
 * Return: the length the full text needs, as snprintf.
 */
CTNL_EXPORT int ctnl_err_format(const struct ctnl_err *err, char *buf, size_t len);

/**
 * ctnl_unknown_path - the dotted path of an unknown attribute
 * @root: the description of the message's top level
 * @u: the unknown attribute
 * @buf: output, NUL-terminated
 * @len: size of @buf
 *
 * Known enclosing nests are named ("orig.proto"), the unknown one by its
 * number ("orig.proto.12").
 *
 * Return: the length the full text needs, as snprintf.
 */
CTNL_EXPORT int ctnl_unknown_path(const struct ctnl_nest_desc *root, const struct ctnl_unknown *u,
				  char *buf, size_t len);

/**
 * ctnl_path_at_offset - name the attribute at a byte offset of a message
 * @root: the description of the message's top level (ctnl_ct_desc())
 * @msg: the message, from its nlmsghdr (netfilter: 20 header bytes)
 * @len: its length
 * @offset: byte offset from @msg (an extended ACK's NLMSGERR_ATTR_OFFS)
 * @buf: the dotted path, NUL-terminated ("orig.proto.dst-port")
 * @buflen: size of @buf
 * @type: optional; the innermost attribute's type
 *
 * Walks the attributes with the same tables the decoder uses; unknown
 * types are named by number.  An offset inside an attribute's value (not
 * its header) names that attribute.
 *
 * Return: the depth of the attribute found (1 = top level); -ENOENT when
 * the offset is in the headers or past the attributes.
 */
CTNL_EXPORT int ctnl_path_at_offset(const struct ctnl_nest_desc *root, const void *msg, size_t len, uint32_t offset,
				    char *buf, size_t buflen, uint16_t *type);

/**
 * ctnl_kind_name - "u8", "be16", "nest", ...
 * Return: a static string; "?" for an out-of-range kind.
 */
CTNL_EXPORT const char *ctnl_kind_name(unsigned kind);

#ifdef __cplusplus
}
#endif

#endif
