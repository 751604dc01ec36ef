/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default text form of `ctnl decode`: every present attribute as
 * path=value, walked from the description, so a new attribute prints
 * the day it is described.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "print_attrs.h"

struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL, o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void emit_bytes(struct out *o, const uint8_t *p, size_t n, int as_text)
{
	int printable = as_text;

	for (size_t i = 0; i < n && printable; i++)
		printable = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\';
	if (printable) {
		emit(o, "\"%.*s\"", (int)n, (const char *)p);
		return;
	}
	emit(o, "0x");
	for (size_t i = 0; i < n; i++)
		emit(o, "%02x", p[i]);
}

static void walk(struct out *o, const struct ctnl_nest_desc *d, const void *obj, const char *prefix)
{
	uint32_t present;

	memcpy(&present, obj, 4);
	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		const uint8_t *f = (const uint8_t *)obj + a->offset;
		char path[128];

		if (!((present >> t) & 1u))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", a->name);
		if (a->kind == CTNL_K_NEST) {
			walk(o, a->nest, f, path);
			continue;
		}
		emit(o, "%s%s=", o->pos ? " " : "", path);
		switch (a->kind) {
		case CTNL_K_U8:
			emit(o, a->fmt == CTNL_FMT_HEX ? "0x%x" : "%u", f[0]);
			break;
		case CTNL_K_BE16: {
			uint16_t v;
			memcpy(&v, f, 2);
			emit(o, a->fmt == CTNL_FMT_HEX ? "0x%x" : "%u", v);
			break;
		}
		case CTNL_K_BE32:
		case CTNL_K_U32: {
			uint32_t v;
			memcpy(&v, f, 4);
			emit(o, a->fmt == CTNL_FMT_HEX ? "0x%" PRIx32 : "%" PRIu32, v);
			break;
		}
		case CTNL_K_BE64: {
			uint64_t v;
			memcpy(&v, f, 8);
			emit(o, a->fmt == CTNL_FMT_HEX ? "0x%" PRIx64 : "%" PRIu64, v);
			break;
		}
		case CTNL_K_FIXED: {
			char addr[INET6_ADDRSTRLEN];

			if (a->fmt == CTNL_FMT_IPV4 || a->fmt == CTNL_FMT_IPV6) {
				inet_ntop(a->fmt == CTNL_FMT_IPV4 ? AF_INET : AF_INET6, f, addr, sizeof(addr));
				emit(o, "%s", addr);
			} else if (a->fmt == CTNL_FMT_FLAGS2) {
				emit(o, "0x%02x/0x%02x", f[0], f[1]);
			} else {
				emit_bytes(o, f, a->len, 0);
			}
			break;
		}
		case CTNL_K_STRING:
		case CTNL_K_BINARY: {
			struct ctnl_view v;
			memcpy(&v, f, sizeof(v));
			emit_bytes(o, v.ptr, v.len, a->kind == CTNL_K_STRING);
			break;
		}
		default:
			break;
		}
	}
}

int ctnl_print_attrs(char *buf, size_t len, const struct ctnl_nest_desc *d, const void *obj,
		     const struct ctnl_unknowns *u)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	walk(&o, d, obj, "");
	for (unsigned i = 0; u && i < u->kept; i++) {
		char path[128];

		ctnl_unknown_path(d, &u->list[i], path, sizeof(path));
		emit(&o, "%sunknown=%s(len=%u,offset=%u)", o.pos ? " " : "", path, u->list[i].len,
		     u->list[i].offset);
	}
	if (u && u->count > u->kept)
		emit(&o, "%sunknown-not-kept=%u", o.pos ? " " : "", u->count - u->kept);
	return (int)o.pos;
}
