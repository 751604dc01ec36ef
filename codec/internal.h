/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CODEC_INTERNAL_H
#define CTNL_CODEC_INTERNAL_H

/* Shared between the codec's files; not installed. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ctnl/attr.h>

#define CTNL_NLA_HDRLEN 4u
#define CTNL_ALIGN4(x) (((x) + 3u) & ~(size_t)3u)
#define CTNL_NLA_F_NESTED 0x8000u
#define CTNL_NLA_F_NET_BYTEORDER 0x4000u
#define CTNL_NLA_TYPE_MASK 0x3fffu

/* memcpy-based accessors: netlink buffers carry no alignment promise
 * once they come from files or captures. */
static inline uint16_t ctnl_get_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ctnl_get_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint16_t ctnl_get_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t ctnl_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t ctnl_get_be64(const uint8_t *p)
{
	return (uint64_t)ctnl_get_be32(p) << 32 | ctnl_get_be32(p + 4);
}
static inline void ctnl_put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void ctnl_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline void ctnl_put_be64(uint8_t *p, uint64_t v)
{
	ctnl_put_be32(p, (uint32_t)(v >> 32));
	ctnl_put_be32(p + 4, (uint32_t)v);
}

/* Both u16 of an attribute header from one load (they are host order). */
static inline void ctnl_nla_header(const uint8_t *p, unsigned *len, unsigned *raw_type)
{
	uint32_t h = ctnl_get_u32(p);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	*len = h & 0xffffu;
	*raw_type = h >> 16;
#else
	*len = h >> 16;
	*raw_type = h & 0xffffu;
#endif
}

/* A view stored member by member: a whole struct copy would carry the
 * local's padding bytes (indeterminate) into the caller's cleared
 * struct, and two decodes of one message would then differ in memcmp. */
static inline void ctnl_put_view(uint8_t *field, const uint8_t *ptr, uint32_t len)
{
	memcpy(field + offsetof(struct ctnl_view, ptr), &ptr, sizeof(ptr));
	memcpy(field + offsetof(struct ctnl_view, len), &len, sizeof(len));
}

/* State of one message's decode: where we are, for error paths and
 * unknown-attribute records. */
struct ctnl_dctx {
	const uint8_t *msg;                /* offsets are relative to this */
	struct ctnl_unknowns *unknown;
	struct ctnl_err *err;
	uint8_t *order;                    /* top-level arrival order, or NULL */
	uint8_t *norder;
	uint8_t max_depth;
	uint8_t depth;
	uint8_t path[CTNL_MAX_DEPTH];
	const struct ctnl_nest_desc *root;    /* for naming paths in errors */
};

/* Exact payload length of the fixed-size kinds (FIXED: a->len); 0 for the others. */
size_t ctnl_kind_len(const struct ctnl_attr_desc *a);

/* Decode the attributes at p[0..len) into obj, described by d.  The
 * caller has zeroed obj. */
int ctnl_nest_decode(const struct ctnl_nest_desc *d, void *obj, const uint8_t *p, size_t len,
		     struct ctnl_dctx *c);

/* A bounds-checked writer: overflow is sticky and checked once at the end. */
struct ctnl_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int overflow;
	int bad;                           /* a value did not fit its attribute's rule */
	const struct ctnl_nest_desc *bad_nest;
	uint16_t bad_type;
};

void ctnl_b_put(struct ctnl_builder *b, const void *data, size_t n);
size_t ctnl_b_nest_start(struct ctnl_builder *b, uint16_t type);
void ctnl_b_nest_end(struct ctnl_builder *b, size_t start);

/* Encode every present attribute of obj; top-level callers may pass an
 * order (types first, in that order), then the description's own order. */
void ctnl_nest_encode(const struct ctnl_nest_desc *d, const void *obj, const uint8_t *order, size_t norder,
		      struct ctnl_builder *b);

/* One netfilter message: nlmsghdr and nfgenmsg from h (its len is
 * computed), then every present attribute of obj.  -ENOSPC or -EINVAL
 * with the attribute named. */
struct ctnl_msg;
int ctnl_msg_encode(const struct ctnl_msg *h, const struct ctnl_nest_desc *d, const void *obj, const uint8_t *order,
		    size_t norder, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err);

/* The attributes after the nfgenmsg of a message of msg_len bytes at
 * buf, into obj (already cleared by the caller).  Inline: it sits on the
 * per-message path of every dump, where a call and a zeroed context
 * showed in bench/. */
static inline int ctnl_msg_decode_attrs(const void *buf, uint32_t msg_len, const struct ctnl_nest_desc *d,
					void *obj, uint8_t *order, uint8_t *norder, struct ctnl_unknowns *unknown,
					struct ctnl_err *err)
{
	const uint8_t *p = buf;
	struct ctnl_dctx c;

	c.msg = p;
	c.unknown = unknown;
	c.err = err;
	c.order = order;
	c.norder = norder;
	c.max_depth = CTNL_MAX_DEPTH;
	c.depth = 0;
	c.root = d;
	return ctnl_nest_decode(d, obj, p + 20, msg_len - 20, &c);
}

/* Layouts (shape.c): does m have s's layout (m holds s->msg_len bytes);
 * decode m by s into a cleared obj (-1: a string broke its limit, obj
 * half written); learn a cleanly decoded message's layout (s->msg_len
 * stays 0 when it cannot be kept). */
int ctnl_shape_match(const struct ctnl_shape *s, const uint8_t *m);
int ctnl_shape_apply(const struct ctnl_shape *s, const uint8_t *m, uint8_t *obj, uint8_t *order, uint8_t *norder,
		     struct ctnl_unknowns *u);
void ctnl_shape_record(struct ctnl_shape *s, const struct ctnl_nest_desc *d, const uint8_t *m, uint32_t msg_len,
		       const uint8_t *obj, const uint8_t *order, unsigned norder, uint16_t pads);

/* Fill err (if any); returns code. */
int ctnl_set_err(struct ctnl_err *err, int code, uint32_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Where the decoder is, as "orig.proto" (+ ".name" of the attribute). */
void ctnl_dctx_path(const struct ctnl_dctx *c, const struct ctnl_nest_desc *d, uint16_t type, char *buf,
		    size_t len);

#endif
