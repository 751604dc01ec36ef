/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Layouts.  A dump or a capture repeats a few message layouts many
 * thousands of times, and the generic walker (attr.c) spends most of a
 * message re-deciding, attribute by attribute, what it decided for the
 * one before.  Once the walker has decoded a message with nothing
 * unusual in it, its layout is kept: the offset and the header word of
 * every attribute, and one copy per value (where it is in the message,
 * where it goes in the struct, its kind).
 *
 * Why a match can skip the walk: a message of the same length whose
 * attribute headers are the same words at the same offsets has, level
 * by level, the same types, lengths and nests, so every check the walker
 * made (lengths against kinds, containers, depth, duplicates, trailing
 * bytes) comes out the same; only the values differ, and the copies
 * take them.  The one check that depends on a value is a string's limit
 * (its NUL may move within the same length): it is made again, and a
 * string that breaks it sends the message back to the walker, which
 * reports it.
 */
#include <string.h>

#include "internal.h"

int ctnl_shape_match(const struct ctnl_shape *s, const uint8_t *m)
{
	for (unsigned i = 0; i < s->nhdr; i++)
		if (ctnl_get_u32(m + s->hoff[i]) != s->hval[i])
			return 0;
	return 1;
}

int ctnl_shape_apply(const struct ctnl_shape *s, const uint8_t *m, uint8_t *obj, uint8_t *order, uint8_t *norder,
		     struct ctnl_unknowns *u)
{
	for (unsigned i = 0; i < s->nops; i++) {
		const struct ctnl_shape_op *o = &s->op[i];
		const uint8_t *v = m + o->src;
		uint8_t *f = obj + o->dst;

		switch (o->kind) {
		case CTNL_K_U8:
			*f = *v;
			break;
		case CTNL_K_BE16: {
			uint16_t x = ctnl_get_be16(v);

			memcpy(f, &x, 2);
			break;
		}
		case CTNL_K_BE32: {
			uint32_t x = ctnl_get_be32(v);

			memcpy(f, &x, 4);
			break;
		}
		case CTNL_K_BE64: {
			uint64_t x = ctnl_get_be64(v);

			memcpy(f, &x, 8);
			break;
		}
		case CTNL_K_STRING: {
			const uint8_t *nul = memchr(v, '\0', o->len);
			uint32_t sl = nul ? (uint32_t)(nul - v) : o->len;

			if (o->max && sl > o->max)
				return -1;
			ctnl_put_view(f, v, sl);
			break;
		}
		case CTNL_K_BINARY:
			ctnl_put_view(f, v, o->len);
			break;
		default: /* U32 and FIXED: bytes as they are */
			if (o->len == 4)
				memcpy(f, v, 4);
			else if (o->len == 16)
				memcpy(f, v, 16);
			else
				memcpy(f, v, o->len);
			break;
		}
	}
	for (unsigned i = 0; i < s->nnest; i++)
		memcpy(obj + s->nest_off[i], &s->nest_present[i], 4);
	if (order) {
		memcpy(order, s->order, s->norder);
		*norder = s->norder;
	}
	if (u)
		u->pads = s->pads;
	return 0;
}

/* One value's copy; 0 when the layout cannot hold it. */
static int add_value(struct ctnl_shape *s, const struct ctnl_attr_desc *a, size_t src, size_t dst, size_t plen)
{
	struct ctnl_shape_op *o;

	switch (a->kind) {
	case CTNL_K_PAD:
		return 1;
	case CTNL_K_STRING:
	case CTNL_K_BINARY:
		break;
	case CTNL_K_U8:
	case CTNL_K_BE16:
	case CTNL_K_BE32:
	case CTNL_K_U32:
	case CTNL_K_BE64:
	case CTNL_K_FIXED:
		if (plen == ctnl_kind_len(a))
			break;
		/* the walker took it as padding */
		return plen == 0 && (a->flags & CTNL_AF_PAD_OK);
	default:
		return 0;
	}
	if (s->nops == CTNL_SHAPE_OPS || src > 0xffff || dst > 0xffff || plen > 0xffff)
		return 0;
	o = &s->op[s->nops++];
	o->src = (uint16_t)src;
	o->dst = (uint16_t)dst;
	o->kind = a->kind;
	o->unused = 0;
	o->len = (uint16_t)plen;
	o->max = a->kind == CTNL_K_STRING ? a->len : 0;
	return 1;
}

static int add_nest(struct ctnl_shape *s, const uint8_t *obj, size_t off)
{
	if (s->nnest == CTNL_SHAPE_NESTS)
		return 0;
	s->nest_off[s->nnest] = (uint16_t)off;
	memcpy(&s->nest_present[s->nnest++], obj + off, 4);
	return 1;
}

/*
 * Learn the layout of a message the walker has just decoded into obj
 * without fault, unknown or repeated attribute.  The walk below follows
 * the walker's own rules of advance (a last attribute may lack its
 * padding) and, for anything it did not expect, leaves the slot empty.
 */
void ctnl_shape_record(struct ctnl_shape *s, const struct ctnl_nest_desc *d, const uint8_t *m, uint32_t msg_len,
		       const uint8_t *obj, const uint8_t *order, unsigned norder, uint16_t pads)
{
	struct rframe {
		const struct ctnl_nest_desc *d;
		size_t base;                       /* the nest's struct, from obj */
		const uint8_t *p, *end;
	} st[CTNL_MAX_DEPTH + 1], f = { d, 0, m + 20, m + msg_len };
	unsigned sp = 0;

	s->msg_len = 0;
	s->nhdr = s->nops = s->nnest = 0;
	if (msg_len < 20 || msg_len > 0xffff || norder > sizeof(s->order) || !add_nest(s, obj, 0))
		return;
	for (;;) {
		while (f.end - f.p >= (ptrdiff_t)CTNL_NLA_HDRLEN) {
			const uint8_t *v = f.p + CTNL_NLA_HDRLEN;
			size_t left = (size_t)(f.end - f.p), adv;
			unsigned nla_len, type;
			const struct ctnl_attr_desc *a;

			ctnl_nla_header(f.p, &nla_len, &type);
			type &= CTNL_NLA_TYPE_MASK;
			if (nla_len < CTNL_NLA_HDRLEN || nla_len > left || type > f.d->maxtype ||
			    s->nhdr == CTNL_SHAPE_HDRS)
				return;
			s->hoff[s->nhdr] = (uint16_t)(f.p - m);
			s->hval[s->nhdr++] = ctnl_get_u32(f.p);
			a = &f.d->attrs[type];
			adv = CTNL_ALIGN4(nla_len);
			if (a->kind == CTNL_K_NEST) {
				size_t base = f.base + a->offset;

				if (sp == CTNL_MAX_DEPTH || !a->nest || !add_nest(s, obj, base))
					return;
				f.p = adv >= left ? f.end : f.p + adv;
				st[sp++] = f;
				f.d = a->nest;
				f.base = base;
				f.p = v;
				f.end = v + (nla_len - CTNL_NLA_HDRLEN);
				continue;
			}
			if (!add_value(s, a, (size_t)(v - m), f.base + a->offset, nla_len - CTNL_NLA_HDRLEN))
				return;
			if (adv >= left) {
				f.p = f.end;
				break;
			}
			f.p += adv;
		}
		if (f.p != f.end)
			return;
		if (sp == 0)
			break;
		f = st[--sp];
	}
	if (norder)
		memcpy(s->order, order, norder);
	s->norder = (uint8_t)norder;
	s->pads = pads;
	s->msg_len = msg_len;
}
