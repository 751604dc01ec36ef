/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The generic attribute engine: one walker validates and decodes any nest
 * from its description, one writer encodes any nest.  It switches on value
 * kinds, never on attribute numbers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ctnl/msg.h>

#include "internal.h"

static const char *const kind_names[CTNL_K__MAX] = {
	[CTNL_K_NONE] = "none",     [CTNL_K_U8] = "u8",         [CTNL_K_BE16] = "be16",
	[CTNL_K_BE32] = "be32",     [CTNL_K_BE64] = "be64",     [CTNL_K_U32] = "u32",
	[CTNL_K_STRING] = "string", [CTNL_K_BINARY] = "binary", [CTNL_K_FIXED] = "fixed",
	[CTNL_K_NEST] = "nest",     [CTNL_K_PAD] = "pad",
};

const char *ctnl_kind_name(unsigned kind)
{
	return kind < CTNL_K__MAX ? kind_names[kind] : "?";
}

size_t ctnl_kind_len(const struct ctnl_attr_desc *a)
{
	switch (a->kind) {
	case CTNL_K_U8: return 1;
	case CTNL_K_BE16: return 2;
	case CTNL_K_BE32:
	case CTNL_K_U32: return 4;
	case CTNL_K_BE64: return 8;
	case CTNL_K_FIXED: return a->len;
	default: return 0;
	}
}

int ctnl_set_err(struct ctnl_err *err, int code, uint32_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->offset = offset;
	err->attr_type = 0;
	err->path[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return code;
}

static size_t append(char *buf, size_t len, size_t pos, const char *s)
{
	size_t n = strlen(s);

	if (pos < len) {
		size_t room = len - pos - 1;
		memcpy(buf + pos, s, n < room ? n : room);
		buf[pos + (n < room ? n : room)] = '\0';
	}
	return pos + n;
}

static size_t append_component(char *buf, size_t len, size_t pos, const struct ctnl_nest_desc *d,
			       uint16_t type)
{
	char num[8];
	const char *name = NULL;

	if (pos)
		pos = append(buf, len, pos, ".");
	if (d && type <= d->maxtype && d->attrs[type].kind != CTNL_K_NONE)
		name = d->attrs[type].name;
	if (!name) {
		snprintf(num, sizeof(num), "%u", type);
		name = num;
	}
	return append(buf, len, pos, name);
}

void ctnl_dctx_path(const struct ctnl_dctx *c, const struct ctnl_nest_desc *d, uint16_t type, char *buf,
		    size_t len)
{
	size_t pos = 0;

	const struct ctnl_nest_desc *n = c->root;

	if (len)
		buf[0] = '\0';
	/* the stack of nests is not kept while decoding (it costs on every
	 * nest); it is found again from the root and the path of types */
	for (unsigned i = 0; i < c->depth; i++) {
		pos = append_component(buf, len, pos, n, c->path[i]);
		n = (n && c->path[i] <= n->maxtype) ? n->attrs[c->path[i]].nest : NULL;
	}
	(void)append_component(buf, len, pos, d, type);
}

int ctnl_unknown_path(const struct ctnl_nest_desc *root, const struct ctnl_unknown *u, char *buf, size_t len)
{
	const struct ctnl_nest_desc *d = root;
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < u->depth && i < CTNL_MAX_DEPTH; i++) {
		uint8_t t = u->path[i];

		pos = append_component(buf, len, pos, d, t);
		d = (d && t <= d->maxtype) ? d->attrs[t].nest : NULL;
	}
	pos = append_component(buf, len, pos, NULL, u->type & CTNL_NLA_TYPE_MASK);
	return (int)pos;
}

static int attr_fault(struct ctnl_dctx *c, const struct ctnl_nest_desc *d, uint16_t type, const uint8_t *at,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int attr_fault(struct ctnl_dctx *c, const struct ctnl_nest_desc *d, uint16_t type, const uint8_t *at,
		      const char *fmt, ...)
{
	va_list ap;
	struct ctnl_err *err = c->err;

	if (!err)
		return -EBADMSG;
	err->code = -EBADMSG;
	err->offset = (uint32_t)(at - c->msg);
	err->attr_type = type;
	ctnl_dctx_path(c, d, type, err->path, sizeof(err->path));
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static void keep_unknown(struct ctnl_dctx *c, const struct ctnl_nest_desc *d, const uint8_t *at,
			 uint16_t raw_type, uint16_t nla_len)
{
	struct ctnl_unknowns *u = c->unknown;
	struct ctnl_unknown *k;

	if (!u)
		return;
	u->count++;
	if (u->kept >= CTNL_UNKNOWN_MAX)
		return;
	k = &u->list[u->kept++];
	k->offset = (uint32_t)(at - c->msg);
	k->type = raw_type;
	k->len = nla_len;
	k->depth = c->depth;
	memcpy(k->path, c->path, sizeof(k->path));
	k->nest = d;
}

/* One level of the nest being walked. */
struct frame {
	const struct ctnl_nest_desc *d;
	uint8_t *base;                     /* the nest's struct */
	const uint8_t *p;                  /* next attribute */
	size_t len;                        /* bytes left in the nest */
	uint32_t present;
	uint8_t *order;                    /* arrival order: top level only */
};

/* The slow path of a length that does not fit its kind: padding, or a fault. */
static int bad_length(struct ctnl_dctx *c, const struct ctnl_nest_desc *d, const uint8_t *p)
{
	unsigned nla_len, raw_type, type;
	const struct ctnl_attr_desc *a;
	size_t plen;

	ctnl_nla_header(p, &nla_len, &raw_type);
	type = raw_type & CTNL_NLA_TYPE_MASK;
	a = &d->attrs[type];
	plen = nla_len - CTNL_NLA_HDRLEN;
	if (plen == 0 && (a->flags & CTNL_AF_PAD_OK)) {
		if (c->unknown)
			c->unknown->pads++;
		return 0;
	}
	return attr_fault(c, d, (uint16_t)type, p, "length %zu, expected %zu (%s)", plen,
			  a->kind == CTNL_K_FIXED ? (size_t)a->len : ctnl_kind_len(a), ctnl_kind_name(a->kind));
}

/* The slow path of a header that does not fit its container. */
static int bad_header(struct ctnl_dctx *c, const struct ctnl_nest_desc *d, const uint8_t *p, size_t len)
{
	unsigned nla_len, raw_type;

	ctnl_nla_header(p, &nla_len, &raw_type);
	if (nla_len < CTNL_NLA_HDRLEN)
		return attr_fault(c, d, (uint16_t)(raw_type & CTNL_NLA_TYPE_MASK), p,
				  "attribute length %u is below the 4-byte header", nla_len);
	return attr_fault(c, d, (uint16_t)(raw_type & CTNL_NLA_TYPE_MASK), p,
			  "attribute length %u runs past its container (%zu bytes left)", nla_len, len);
}

/*
 * The hot loop.  It walks nests with an explicit stack rather than by
 * recursion (a call per nest costs more than the attributes inside a
 * tuple), validates each length against its kind before reading the
 * value, and does the check and the store in one switch.  Everything
 * unusual (faults, unknown types, padding, duplicates) leaves the fast
 * path for a function of its own, so that the loop keeps its values in
 * registers.  It runs once per attribute of every message of a dump:
 * its shape is measured in bench/.
 */
int ctnl_nest_decode(const struct ctnl_nest_desc *d, void *obj, const uint8_t *p, size_t len,
		     struct ctnl_dctx *c)
{
	struct frame stack[CTNL_MAX_DEPTH + 1];
	struct frame f = { d, obj, p, len, 0, c->depth == 0 ? c->order : NULL };
	unsigned sp = 0;
	int rc = 0;

	for (;;) {
		while (f.len >= CTNL_NLA_HDRLEN) {
			unsigned nla_len, raw_type, type;
			const uint8_t *v = f.p + CTNL_NLA_HDRLEN;
			const struct ctnl_attr_desc *a;
			uint8_t *field;
			size_t plen, adv;

			ctnl_nla_header(f.p, &nla_len, &raw_type);
			type = raw_type & CTNL_NLA_TYPE_MASK;
			/* one unsigned compare covers both "below the header"
			 * and "past the container": f.len >= 4 here */
			plen = nla_len - CTNL_NLA_HDRLEN;
			if (__builtin_expect(plen > f.len - CTNL_NLA_HDRLEN, 0)) {
				rc = bad_header(c, f.d, f.p, f.len);
				goto fault;
			}
			if (__builtin_expect(type > f.d->maxtype, 0)) {
				keep_unknown(c, f.d, f.p, (uint16_t)raw_type, (uint16_t)nla_len);
				goto next;
			}
			a = &f.d->attrs[type];
			field = f.base + a->offset;

			switch (a->kind) {
			case CTNL_K_U8:
				if (__builtin_expect(plen != 1, 0))
					goto badlen;
				*field = v[0];
				break;
			case CTNL_K_BE16: {
				uint16_t x;

				if (__builtin_expect(plen != 2, 0))
					goto badlen;
				x = ctnl_get_be16(v);
				memcpy(field, &x, 2);
				break;
			}
			case CTNL_K_BE32: {
				uint32_t x;

				if (__builtin_expect(plen != 4, 0))
					goto badlen;
				x = ctnl_get_be32(v);
				memcpy(field, &x, 4);
				break;
			}
			case CTNL_K_U32:
				if (__builtin_expect(plen != 4, 0))
					goto badlen;
				memcpy(field, v, 4);
				break;
			case CTNL_K_BE64: {
				uint64_t x;

				if (__builtin_expect(plen != 8, 0))
					goto badlen;
				x = ctnl_get_be64(v);
				memcpy(field, &x, 8);
				break;
			}
			case CTNL_K_FIXED:
				if (__builtin_expect(plen != a->len, 0))
					goto badlen;
				/* constant sizes let the compiler use plain moves */
				if (plen == 4)
					memcpy(field, v, 4);
				else if (plen == 16)
					memcpy(field, v, 16);
				else
					memcpy(field, v, plen);
				break;
			case CTNL_K_NEST:
				if (__builtin_expect(c->depth >= c->max_depth, 0)) {
					rc = attr_fault(c, f.d, (uint16_t)type, f.p, "nesting deeper than %u levels",
							c->max_depth);
					goto fault;
				}
				if (__builtin_expect((f.present >> type) & 1u, 0)) {
					if (c->unknown)
						c->unknown->dups++;
				} else if (f.order) {
					f.order[(*c->norder)++] = (uint8_t)type;
				}
				/* the parent resumes after this attribute; the bit
				 * is set now so that a fault inside keeps it */
				f.present |= 1u << type;
				adv = (nla_len + 3u) & ~3u;
				if (adv > f.len)
					adv = f.len;
				f.p += adv;
				f.len -= adv;
				stack[sp++] = f;
				c->path[c->depth++] = (uint8_t)type;
				f.d = a->nest;
				f.base = field;
				f.p = v;
				f.len = plen;
				f.present = 0;
				f.order = NULL;
				continue;
			case CTNL_K_STRING: {
				const uint8_t *nul = memchr(v, '\0', plen);
				uint32_t sl = (uint32_t)(nul ? (size_t)(nul - v) : plen);

				if (a->len && sl > a->len) {
					rc = attr_fault(c, f.d, (uint16_t)type, f.p, "string of %u bytes, at most %u", sl,
							a->len);
					goto fault;
				}
				ctnl_put_view(field, v, sl);
				break;
			}
			case CTNL_K_BINARY: {
				if (a->len && plen > a->len) {
					rc = attr_fault(c, f.d, (uint16_t)type, f.p, "length %zu, at most %u", plen, a->len);
					goto fault;
				}
				ctnl_put_view(field, v, (uint32_t)plen);
				break;
			}
			case CTNL_K_PAD:
				if (c->unknown)
					c->unknown->pads++;
				goto next;
			default: /* CTNL_K_NONE: a hole in the numbering */
				keep_unknown(c, f.d, f.p, (uint16_t)raw_type, (uint16_t)nla_len);
				goto next;
			}

			if (__builtin_expect((f.present >> type) & 1u, 0)) {
				if (c->unknown)
					c->unknown->dups++;
				goto next;
			}
			f.present |= 1u << type;
			if (f.order)
				f.order[(*c->norder)++] = (uint8_t)type;
next:
			adv = (nla_len + 3u) & ~3u;
			if (adv >= f.len) {
				/* the last attribute; its padding may be missing */
				f.len = 0;
				break;
			}
			f.p += adv;
			f.len -= adv;
			continue;
badlen:
			rc = bad_length(c, f.d, f.p);
			if (rc < 0)
				goto fault;
			goto next;
		}
		if (__builtin_expect(f.len != 0, 0)) {
			rc = attr_fault(c, f.d, 0, f.p, "%zu trailing bytes after the last attribute", f.len);
			goto fault;
		}
		memcpy(f.base, &f.present, sizeof(f.present));
		if (sp == 0)
			return 0;
		f = stack[--sp];
		c->depth--;
	}

fault:
	/* keep what every open nest decoded before the fault */
	memcpy(f.base, &f.present, sizeof(f.present));
	while (sp > 0) {
		f = stack[--sp];
		c->depth--;
		memcpy(f.base, &f.present, sizeof(f.present));
	}
	return rc;
}

/* ---- encoding ---- */

void ctnl_b_put(struct ctnl_builder *b, const void *data, size_t n)
{
	size_t padded = CTNL_ALIGN4(n);

	if (b->overflow || padded > b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	if (n)
		memcpy(b->buf + b->len, data, n);
	memset(b->buf + b->len + n, 0, padded - n);
	b->len += padded;
}

static void put_attr(struct ctnl_builder *b, uint16_t type, const void *data, size_t n)
{
	uint8_t hdr[4];
	uint16_t l = (uint16_t)(CTNL_NLA_HDRLEN + n);

	if (n > 0xffff - CTNL_NLA_HDRLEN) {
		b->bad = 1;
		return;
	}
	memcpy(hdr, &l, 2);
	memcpy(hdr + 2, &type, 2);
	ctnl_b_put(b, hdr, sizeof(hdr));
	ctnl_b_put(b, data, n);
	/* the header was padded as a unit of 4: nothing to fix */
}

size_t ctnl_b_nest_start(struct ctnl_builder *b, uint16_t type)
{
	size_t start = b->len;
	uint8_t hdr[4] = { 0 };
	uint16_t t = type | CTNL_NLA_F_NESTED;

	memcpy(hdr + 2, &t, 2);
	ctnl_b_put(b, hdr, sizeof(hdr));
	return start;
}

void ctnl_b_nest_end(struct ctnl_builder *b, size_t start)
{
	size_t n = b->len - start;

	if (b->overflow)
		return;
	if (n > 0xffff) {
		b->bad = 1;
		return;
	}
	uint16_t l = (uint16_t)n;
	memcpy(b->buf + start, &l, 2);
}

static void encode_one(const struct ctnl_nest_desc *d, uint16_t type, const void *obj, struct ctnl_builder *b)
{
	const struct ctnl_attr_desc *a = &d->attrs[type];
	const uint8_t *field = (const uint8_t *)obj + a->offset;
	uint8_t v[8];

	switch (a->kind) {
	case CTNL_K_U8:
		put_attr(b, type, field, 1);
		break;
	case CTNL_K_BE16: {
		uint16_t x;
		memcpy(&x, field, 2);
		ctnl_put_be16(v, x);
		put_attr(b, type, v, 2);
		break;
	}
	case CTNL_K_BE32: {
		uint32_t x;
		memcpy(&x, field, 4);
		ctnl_put_be32(v, x);
		put_attr(b, type, v, 4);
		break;
	}
	case CTNL_K_BE64: {
		uint64_t x;
		memcpy(&x, field, 8);
		ctnl_put_be64(v, x);
		put_attr(b, type, v, 8);
		break;
	}
	case CTNL_K_U32:
	case CTNL_K_FIXED:
		put_attr(b, type, field, ctnl_kind_len(a));
		break;
	case CTNL_K_STRING: {
		struct ctnl_view s;
		uint8_t hdr[4];
		uint16_t l;

		memcpy(&s, field, sizeof(s));
		if ((a->len && s.len > a->len) || s.len > 0xffff - 5u || (s.len && !s.ptr) ||
		    (s.len && memchr(s.ptr, '\0', s.len))) {
			b->bad = 1;
			b->bad_nest = d;
			b->bad_type = type;
			return;
		}
		/* the string and its NUL, as nla_put_string() writes it */
		l = (uint16_t)(CTNL_NLA_HDRLEN + s.len + 1);
		memcpy(hdr, &l, 2);
		memcpy(hdr + 2, &type, 2);
		ctnl_b_put(b, hdr, 4);
		if (b->overflow || CTNL_ALIGN4(s.len + 1u) > b->cap - b->len) {
			b->overflow = 1;
			return;
		}
		if (s.len)
			memcpy(b->buf + b->len, s.ptr, s.len);
		memset(b->buf + b->len + s.len, 0, CTNL_ALIGN4(s.len + 1u) - s.len);
		b->len += CTNL_ALIGN4(s.len + 1u);
		break;
	}
	case CTNL_K_BINARY: {
		struct ctnl_view s;

		memcpy(&s, field, sizeof(s));
		if ((a->len && s.len > a->len) || (s.len && !s.ptr)) {
			b->bad = 1;
			b->bad_nest = d;
			b->bad_type = type;
			return;
		}
		put_attr(b, type, s.ptr, s.len);
		break;
	}
	case CTNL_K_NEST: {
		size_t start = ctnl_b_nest_start(b, type);

		ctnl_nest_encode(a->nest, field, NULL, 0, b);
		ctnl_b_nest_end(b, start);
		break;
	}
	default:
		/* a present bit with no description behind it */
		b->bad = 1;
		b->bad_nest = d;
		b->bad_type = type;
		break;
	}
}

void ctnl_nest_encode(const struct ctnl_nest_desc *d, const void *obj, const uint8_t *order, size_t norder,
		      struct ctnl_builder *b)
{
	uint32_t present;
	uint32_t done = 0;

	memcpy(&present, obj, sizeof(present));
	for (uint16_t t = 0; t < 32; t++) {
		if (((present >> t) & 1u) && (t == 0 || t > d->maxtype || d->attrs[t].kind == CTNL_K_NONE ||
					      d->attrs[t].kind == CTNL_K_PAD)) {
			/* a present bit with no description behind it */
			b->bad = 1;
			b->bad_nest = d;
			b->bad_type = t;
			present &= ~(1u << t);
		}
	}
	for (size_t i = 0; i < norder; i++) {
		uint8_t t = order[i];

		if (t > d->maxtype || !((present >> t) & 1u) || ((done >> t) & 1u))
			continue;
		encode_one(d, t, obj, b);
		done |= 1u << t;
	}
	if (d->order) {
		for (size_t i = 0; i < d->norder; i++) {
			uint8_t t = d->order[i];

			if (!((present >> t) & 1u) || ((done >> t) & 1u))
				continue;
			encode_one(d, t, obj, b);
			done |= 1u << t;
		}
	}
	for (uint16_t t = 1; t <= d->maxtype && t < 32; t++) {
		if (!((present >> t) & 1u) || ((done >> t) & 1u))
			continue;
		encode_one(d, t, obj, b);
	}
}

int ctnl_msg_encode(const struct ctnl_msg *h, const struct ctnl_nest_desc *d, const void *obj, const uint8_t *order,
		    size_t norder, void *buf, size_t cap, size_t *out_len, struct ctnl_err *err)
{
	struct ctnl_builder b = { .buf = buf, .cap = cap };
	uint8_t hdr[CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN] = { 0 };
	uint32_t l;

	memcpy(hdr + 4, &h->type, 2);
	memcpy(hdr + 6, &h->flags, 2);
	memcpy(hdr + 8, &h->seq, 4);
	memcpy(hdr + 12, &h->pid, 4);
	hdr[16] = h->family;
	hdr[17] = h->version;
	ctnl_put_be16(hdr + 18, h->res_id);
	ctnl_b_put(&b, hdr, sizeof(hdr));
	ctnl_nest_encode(d, obj, order, norder, &b);
	if (b.bad) {
		ctnl_set_err(err, -EINVAL, 0, "value does not fit its attribute (too long, or a string with a NUL)");
		if (err && b.bad_nest) {
			const char *an = b.bad_type <= b.bad_nest->maxtype ? b.bad_nest->attrs[b.bad_type].name : NULL;

			err->attr_type = b.bad_type;
			snprintf(err->path, sizeof(err->path), "%s.%s", b.bad_nest->name, an ? an : "?");
		}
		return -EINVAL;
	}
	if (b.overflow)
		return ctnl_set_err(err, -ENOSPC, (uint32_t)cap, "a buffer of %zu bytes is too small", cap);
	l = (uint32_t)b.len;
	memcpy(buf, &l, 4);
	*out_len = b.len;
	return 0;
}
