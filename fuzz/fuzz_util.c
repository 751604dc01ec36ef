/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Oracles shared by the fuzz targets (see fuzz.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

int fuzz_known_bug(const char *id)
{
	const char *list = getenv("CTNL_FUZZ_KNOWN_BUGS");
	size_t n = strlen(id);

	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && memcmp(list, id, n) == 0)
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

int fuzz_classify(const uint8_t *msg, size_t len, const struct ctnl_msg *request)
{
	struct ctnl_msg h;

	if (!request && fuzz_known_bug("stats-classify-overread") && ctnl_msg_parse(msg, len, &h, NULL) == 0 &&
	    h.type == 0x0103 && !(h.flags & 1) && h.len >= 20) {
		size_t off = 20;

		while (off + 4 <= h.len) {
			uint16_t l, t;

			memcpy(&l, msg + off, 2);
			memcpy(&t, msg + off + 2, 2);
			if (l != 8 || (t & 0x8000) || (t & 0x3fff) < 1 || (t & 0x3fff) > 3)
				break;
			if (off + 8 > h.len)
				return CTNL_MC_OTHER;
			off += 8;
		}
	}
	return ctnl_msg_classify(msg, len, request);
}

uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	FUZZ_CHECK(p != NULL);
	if (size)
		memcpy(p, data, size);
	return p;
}

void fuzz_text_add(struct fuzz_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = t->cap - t->len;

		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, room, fmt, ap);
		va_end(ap);
		FUZZ_CHECK(n >= 0);
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		FUZZ_CHECK(t->s != NULL);
	}
}

void fuzz_text_free(struct fuzz_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static void canon_hex(struct fuzz_text *t, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fuzz_text_add(t, "%02x", p[i]);
}

void fuzz_canon_nest(struct fuzz_text *t, const struct ctnl_nest_desc *d, const void *obj, const char *prefix)
{
	const uint8_t *base = obj;
	uint32_t present;

	memcpy(&present, base, sizeof(present));
	for (unsigned type = 0; type < 32; type++) {
		const struct ctnl_attr_desc *a;
		const uint8_t *f;

		if (!((present >> type) & 1u))
			continue;
		/* a present bit must have a description behind it */
		FUZZ_CHECKF(type <= d->maxtype && d->attrs[type].kind != CTNL_K_NONE, "%s%s: bit %u has no attribute",
			    prefix, d->name, type);
		a = &d->attrs[type];
		f = base + a->offset;
		switch (a->kind) {
		case CTNL_K_U8:
			fuzz_text_add(t, "%s%s=%u\n", prefix, a->name, f[0]);
			break;
		case CTNL_K_BE16: {
			uint16_t v;

			memcpy(&v, f, 2);
			fuzz_text_add(t, "%s%s=%u\n", prefix, a->name, v);
			break;
		}
		case CTNL_K_BE32:
		case CTNL_K_U32: {
			uint32_t v;

			memcpy(&v, f, 4);
			fuzz_text_add(t, "%s%s=%u\n", prefix, a->name, v);
			break;
		}
		case CTNL_K_BE64: {
			uint64_t v;

			memcpy(&v, f, 8);
			fuzz_text_add(t, "%s%s=%llu\n", prefix, a->name, (unsigned long long)v);
			break;
		}
		case CTNL_K_FIXED:
			fuzz_text_add(t, "%s%s=", prefix, a->name);
			canon_hex(t, f, a->len);
			fuzz_text_add(t, "\n");
			break;
		case CTNL_K_STRING:
		case CTNL_K_BINARY: {
			struct ctnl_view v;

			memcpy(&v, f, sizeof(v));
			fuzz_text_add(t, "%s%s=[%u]", prefix, a->name, v.len);
			FUZZ_CHECK(v.len == 0 || v.ptr != NULL);
			if (v.len)
				canon_hex(t, v.ptr, v.len);
			fuzz_text_add(t, "\n");
			break;
		}
		case CTNL_K_NEST: {
			char sub[128];

			snprintf(sub, sizeof(sub), "%s%s.", prefix, a->name);
			fuzz_text_add(t, "%s%s{\n", prefix, a->name);
			fuzz_canon_nest(t, a->nest, f, sub);
			break;
		}
		default:
			fuzz_fail("%s%s: present bit %u on kind %s", prefix, d->name, type, ctnl_kind_name(a->kind));
		}
	}
}

static void canon_unknowns(struct fuzz_text *t, const struct ctnl_unknowns *un)
{
	fuzz_text_add(t, "unknown count=%u kept=%u pads=%u dups=%u\n", un->count, un->kept, un->pads, un->dups);
	for (unsigned i = 0; i < un->kept && i < CTNL_UNKNOWN_MAX; i++) {
		const struct ctnl_unknown *u = &un->list[i];

		fuzz_text_add(t, "unknown offset=%u type=%u len=%u depth=%u path=", u->offset, u->type, u->len,
			      u->depth);
		for (unsigned j = 0; j < u->depth && j < CTNL_MAX_DEPTH; j++)
			fuzz_text_add(t, "%u.", u->path[j]);
		fuzz_text_add(t, "\n");
	}
}

void fuzz_canon_ct(struct fuzz_text *t, const struct ctnl_ct_msg *m, int with_meta)
{
	fuzz_text_add(t, "hdr type=%u flags=%u seq=%u pid=%u family=%u version=%u res_id=%u\n", m->hdr.type,
		      m->hdr.flags, m->hdr.seq, m->hdr.pid, m->hdr.family, m->hdr.version, m->hdr.res_id);
	fuzz_text_add(t, "order=");
	for (unsigned i = 0; i < m->norder; i++)
		fuzz_text_add(t, "%u,", m->order[i]);
	fuzz_text_add(t, "\n");
	fuzz_canon_nest(t, ctnl_ct_desc(), &m->ct, "");
	if (with_meta)
		canon_unknowns(t, &m->unknown);
}

void fuzz_canon_exp(struct fuzz_text *t, const struct ctnl_exp_msg *m, int with_meta)
{
	fuzz_text_add(t, "hdr type=%u flags=%u seq=%u pid=%u family=%u version=%u res_id=%u\n", m->hdr.type,
		      m->hdr.flags, m->hdr.seq, m->hdr.pid, m->hdr.family, m->hdr.version, m->hdr.res_id);
	fuzz_text_add(t, "order=");
	for (unsigned i = 0; i < m->norder; i++)
		fuzz_text_add(t, "%u,", m->order[i]);
	fuzz_text_add(t, "\n");
	fuzz_canon_nest(t, ctnl_exp_desc(), &m->exp, "");
	if (with_meta)
		canon_unknowns(t, &m->unknown);
}

void fuzz_canon_stats(struct fuzz_text *t, const struct ctnl_stats_msg *m, int with_meta)
{
	fuzz_text_add(t, "hdr type=%u flags=%u seq=%u pid=%u family=%u version=%u res_id=%u kind=%u cpu=%u\n",
		      m->hdr.type, m->hdr.flags, m->hdr.seq, m->hdr.pid, m->hdr.family, m->hdr.version,
		      m->hdr.res_id, m->kind, m->cpu);
	fuzz_canon_nest(t, ctnl_stats_desc(m->kind), &m->u, "");
	if (with_meta)
		canon_unknowns(t, &m->unknown);
}

void fuzz_check_views(const struct ctnl_nest_desc *d, const void *obj, const uint8_t *lo, const uint8_t *hi)
{
	const uint8_t *base = obj;
	uint32_t present;

	memcpy(&present, base, sizeof(present));
	for (unsigned type = 1; type <= d->maxtype && type < 32; type++) {
		const struct ctnl_attr_desc *a = &d->attrs[type];
		struct ctnl_view v;

		if (!((present >> type) & 1u))
			continue;
		if (a->kind == CTNL_K_NEST) {
			fuzz_check_views(a->nest, base + a->offset, lo, hi);
			continue;
		}
		if (a->kind != CTNL_K_STRING && a->kind != CTNL_K_BINARY)
			continue;
		memcpy(&v, base + a->offset, sizeof(v));
		FUZZ_CHECKF(v.len == 0 || (v.ptr >= lo && v.ptr <= hi && (size_t)(hi - v.ptr) >= v.len),
			    "%s.%s: view of %u bytes outside the message", d->name, a->name, v.len);
		FUZZ_CHECKF(!a->len || v.len <= a->len, "%s.%s: %u bytes, limit %u", d->name, a->name, v.len, a->len);
		if (a->kind == CTNL_K_STRING && v.len)
			FUZZ_CHECKF(memchr(v.ptr, '\0', v.len) == NULL, "%s.%s: string view holds a NUL", d->name,
				    a->name);
	}
}

void fuzz_check_err_format(const struct ctnl_err *err)
{
	char full[512], small[16];
	int n, m;

	n = ctnl_err_format(err, full, sizeof(full));
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(full));
	FUZZ_CHECK(strlen(full) == (size_t)n);
	m = ctnl_err_format(err, small, sizeof(small));
	FUZZ_CHECK(m == n);
	FUZZ_CHECK(strlen(small) == sizeof(small) - 1);
	FUZZ_CHECK(memcmp(small, full, sizeof(small) - 1) == 0);
	FUZZ_CHECK(memchr(err->path, '\0', sizeof(err->path)) != NULL);
	FUZZ_CHECK(memchr(err->what, '\0', sizeof(err->what)) != NULL);
}

void fuzz_check_decoded(const struct fuzz_decoded *d, const uint8_t *buf, size_t len, int rc,
			const struct ctnl_err *err)
{
	size_t mlen = d->hdr->len <= len ? d->hdr->len : len;

	FUZZ_CHECKF(rc == 0 || rc == -EBADMSG || rc == -ENOMSG, "rc %d", rc);
	FUZZ_CHECK(!d->order || *d->norder <= d->maxorder);
	for (unsigned i = 0; d->order && i < *d->norder; i++) {
		uint32_t present;

		memcpy(&present, d->obj, sizeof(present));
		FUZZ_CHECKF((present >> d->order[i]) & 1u, "order[%u]=%u not present", i, d->order[i]);
	}
	if (d->desc)
		fuzz_check_views(d->desc, d->obj, buf, buf + mlen);
	if (d->unknown) {
		FUZZ_CHECK(d->unknown->kept <= CTNL_UNKNOWN_MAX && d->unknown->kept <= d->unknown->count);
		for (unsigned i = 0; i < d->unknown->kept; i++) {
			const struct ctnl_unknown *u = &d->unknown->list[i];
			char path[128];
			int n;

			FUZZ_CHECKF((size_t)u->offset + 4 <= mlen && (size_t)u->offset + u->len <= mlen,
				    "unknown at %u, length %u, message %zu", u->offset, u->len, mlen);
			FUZZ_CHECK(u->depth < CTNL_MAX_DEPTH);
			n = ctnl_unknown_path(d->desc, u, path, sizeof(path));
			FUZZ_CHECK(n >= 0 &&
				   strlen(path) == ((size_t)n < sizeof(path) ? (size_t)n : sizeof(path) - 1));
		}
	}
	if (rc < 0) {
		FUZZ_CHECKF(err->code == rc, "err.code %d, rc %d", err->code, rc);
		FUZZ_CHECKF(err->offset <= len, "err.offset %u past %zu bytes", err->offset, len);
		fuzz_check_err_format(err);
	}
}

void fuzz_check_ct_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_ct_msg *m,
			  const struct ctnl_err *err)
{
	struct fuzz_decoded d = { &m->hdr, ctnl_ct_desc(), &m->ct, m->order, &m->norder, CTNL_CTA_MAX + 1,
				  &m->unknown };

	fuzz_check_decoded(&d, buf, len, rc, err);
}

void fuzz_check_exp_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_exp_msg *m,
			   const struct ctnl_err *err)
{
	struct fuzz_decoded d = { &m->hdr, ctnl_exp_desc(), &m->exp, m->order, &m->norder, CTA_EXPECT_MAX + 1,
				  &m->unknown };

	fuzz_check_decoded(&d, buf, len, rc, err);
}

void fuzz_check_stats_result(const uint8_t *buf, size_t len, int rc, const struct ctnl_stats_msg *m,
			     const struct ctnl_err *err)
{
	struct fuzz_decoded d = { &m->hdr, ctnl_stats_desc(m->kind), &m->u, NULL, NULL, 0, &m->unknown };

	FUZZ_CHECKF(rc == 0 || rc == -EBADMSG || rc == -ENOMSG || rc == -EINVAL, "stats rc %d", rc);
	if (rc == -EINVAL) {
		FUZZ_CHECK(ctnl_stats_desc(m->kind) == NULL && err->code == rc);
		return;
	}
	FUZZ_CHECK(d.desc != NULL);
	fuzz_check_decoded(&d, buf, len, rc, err);
	if (rc == 0) {
		FUZZ_CHECK(m->raw.ptr == buf && m->raw.len == m->hdr.len);
		FUZZ_CHECK(m->kind == CTNL_STATS_GLOBAL || m->cpu == m->hdr.res_id);
	}
}

/* ---- a strict JSON checker ---- */

struct json {
	const char *p, *end;
	int depth;
};

static void json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int json_lit(struct json *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static int json_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int json_string(struct json *j)
{
	if (j->p >= j->end || *j->p != '"')
		return 0;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;

		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (j->p >= j->end)
				return 0;
			c = (unsigned char)*j->p++;
			if (c == 'u') {
				if (j->end - j->p < 4)
					return 0;
				for (int i = 0; i < 4; i++)
					if (!json_hex(j->p[i]))
						return 0;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", c)) {
				return 0;
			}
		}
	}
	return 0;
}

static int json_digits(struct json *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static int json_number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!json_digits(j))
		return 0;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!json_digits(j))
			return 0;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!json_digits(j))
			return 0;
	}
	return 1;
}

static int json_value(struct json *j)
{
	int ok = 0;

	if (++j->depth > 64)
		return 0;
	json_ws(j);
	if (j->p >= j->end)
		return 0;
	switch (*j->p) {
	case '{':
		j->p++;
		json_ws(j);
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			ok = 1;
			break;
		}
		for (;;) {
			json_ws(j);
			if (!json_string(j))
				break;
			json_ws(j);
			if (j->p >= j->end || *j->p != ':')
				break;
			j->p++;
			if (!json_value(j))
				break;
			json_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == '}') {
				j->p++;
				ok = 1;
			}
			break;
		}
		break;
	case '[':
		j->p++;
		json_ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			ok = 1;
			break;
		}
		for (;;) {
			if (!json_value(j))
				break;
			json_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == ']') {
				j->p++;
				ok = 1;
			}
			break;
		}
		break;
	case '"':
		ok = json_string(j);
		break;
	case 't':
		ok = json_lit(j, "true");
		break;
	case 'f':
		ok = json_lit(j, "false");
		break;
	case 'n':
		ok = json_lit(j, "null");
		break;
	default:
		ok = json_number(j);
		break;
	}
	j->depth--;
	return ok;
}

int fuzz_json_valid(const char *s, size_t len)
{
	struct json j = { s, s + len, 0 };

	if (!json_value(&j))
		return 0;
	json_ws(&j);
	return j.p == j.end;
}

/* ---- renderers ---- */

/* One renderer of one message type, behind a common signature. */
typedef int (*render_fn)(char *, size_t, const void *, const struct ctnl_render_opts *);

static int r_ct_text(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	return ctnl_ct_snprintf(b, l, m, o);
}
static int r_ct_json(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	return ctnl_ct_json(b, l, m, o);
}
static int r_exp_text(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	return ctnl_exp_snprintf(b, l, m, o);
}
static int r_exp_json(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	return ctnl_exp_json(b, l, m, o);
}
static int r_stats_text(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	(void)o;
	return ctnl_stats_snprintf(b, l, m);
}
static int r_stats_json(char *b, size_t l, const void *m, const struct ctnl_render_opts *o)
{
	(void)o;
	return ctnl_stats_json(b, l, m);
}

/*
 * Render into a block of exactly the size asked for (an overrun is an
 * ASan report); check the length, the NUL, that truncated renders are
 * prefixes of the full one, and, for JSON, the syntax.
 */
static void check_render(render_fn fn, const void *m, const struct ctnl_render_opts *o, int json)
{
	int n = fn(NULL, 0, m, o);
	char *full;
	size_t sizes[3];

	FUZZ_CHECKF(n >= 0, "render returned %d", n);
	full = malloc((size_t)n + 1);
	FUZZ_CHECK(full != NULL);
	memset(full, 0x5a, (size_t)n + 1);
	FUZZ_CHECK(fn(full, (size_t)n + 1, m, o) == n);
	FUZZ_CHECK(full[n] == '\0');
	FUZZ_CHECKF(strlen(full) == (size_t)n, "render wrote a NUL at %zu of %d", strlen(full), n);
	if (json)
		FUZZ_CHECKF(fuzz_json_valid(full, (size_t)n), "invalid JSON: %s", full);
	sizes[0] = 1;
	sizes[1] = (size_t)n / 2 + 1;
	sizes[2] = (size_t)n;
	for (unsigned i = 0; i < 3 && n > 0; i++) {
		size_t sz = sizes[i];
		char *buf = malloc(sz);

		FUZZ_CHECK(buf != NULL);
		FUZZ_CHECK(fn(buf, sz, m, o) == n);
		FUZZ_CHECK(buf[sz - 1] == '\0');
		FUZZ_CHECK(memcmp(buf, full, sz - 1) == 0);
		free(buf);
	}
	free(full);
}

static const char *const label_names[] = { "green", "blue", NULL, "yellow", [64] = "sixtyfour", [127] = "last" };
static const unsigned flag_sets[] = {
	0,
	CTNL_OUT_EXTENDED | CTNL_OUT_ID,
	CTNL_OUT_KTIMESTAMP | CTNL_OUT_LABELS,
	CTNL_OUT_EVENT | CTNL_OUT_EXTENDED | CTNL_OUT_ID | CTNL_OUT_LABELS,
};

static void check_renders(render_fn text, render_fn json, const void *m)
{
	struct ctnl_render_opts o = { .size = sizeof(o), .now = 1700000000, .label_names = label_names,
				       .nlabels = sizeof(label_names) / sizeof(label_names[0]), .tz_offset = 3600 };

	for (unsigned i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		o.flags = flag_sets[i];
		check_render(text, m, &o, 0);
	}
	check_render(text, m, NULL, 0);
	check_render(json, m, &o, 1);
	check_render(json, m, NULL, 1);
}

void fuzz_check_renders(const struct ctnl_ct_msg *m)
{
	check_renders(r_ct_text, r_ct_json, m);
}

void fuzz_check_exp_renders(const struct ctnl_exp_msg *m)
{
	check_renders(r_exp_text, r_exp_json, m);
}

void fuzz_check_stats_renders(const struct ctnl_stats_msg *m)
{
	check_renders(r_stats_text, r_stats_json, m);
}

/* ---- whole buffers ---- */

static void record_err(struct fuzz_text *t, int rc, const struct ctnl_err *err)
{
	fuzz_text_add(t, "rc=%d", rc);
	if (rc < 0)
		fuzz_text_add(t, " at=%u type=%u path=%s what=%s", err->offset, err->attr_type, err->path, err->what);
	fuzz_text_add(t, "\n");
}

static void record_nlerr(struct fuzz_text *t, const uint8_t *msg, size_t len)
{
	struct ctnl_nlerr e;
	struct ctnl_err err = { 0 };
	int rc = ctnl_nlerr_parse(msg, len, &e, &err);

	FUZZ_CHECKF(rc == 0 || rc == -EBADMSG || rc == -ENOMSG, "nlerr rc %d", rc);
	record_err(t, rc, &err);
	if (rc < 0) {
		FUZZ_CHECK(err.code == rc && err.offset <= len);
		fuzz_check_err_format(&err);
		return;
	}
	FUZZ_CHECK(e.payload.len == 0 || (e.payload.ptr >= msg && e.payload.ptr + e.payload.len <= msg + len));
	FUZZ_CHECK(e.ext_msg.len == 0 || (e.ext_msg.ptr >= msg && e.ext_msg.ptr + e.ext_msg.len <= msg + len));
	FUZZ_CHECK(e.ext_msg.len == 0 || memchr(e.ext_msg.ptr, '\0', e.ext_msg.len) == NULL);
	fuzz_text_add(t, "nlerr error=%d req=%u/%u/%u/%u/%u payload=", e.error, e.req.len, e.req.type, e.req.flags,
		      e.req.seq, e.req.pid);
	canon_hex(t, e.payload.ptr, e.payload.len);
	fuzz_text_add(t, " ext_msg=");
	canon_hex(t, e.ext_msg.ptr, e.ext_msg.len);
	fuzz_text_add(t, " ext_offset=%d/%u\n", e.has_ext_offset, e.ext_offset);
}

void fuzz_record_message(struct fuzz_text *t, const uint8_t *msg, size_t len, unsigned flags,
			 const struct ctnl_msg *request)
{
	struct ctnl_msg h;
	struct ctnl_err err = { 0 };
	int rc = ctnl_msg_parse(msg, len, &h, &err), cls;

	FUZZ_CHECKF(rc == 0 || rc == -EBADMSG, "msg_parse rc %d", rc);
	fuzz_text_add(t, "msg ");
	record_err(t, rc, &err);
	if (rc < 0) {
		FUZZ_CHECK(err.offset <= len);
		fuzz_check_err_format(&err);
		FUZZ_CHECK(fuzz_classify(msg, len, request) == -EBADMSG);
		return;
	}
	FUZZ_CHECK(h.len >= 16 && h.len <= len);
	cls = fuzz_classify(msg, len, request);
	fuzz_text_add(t, "class %d\n", cls);
	switch (cls) {
	case CTNL_MC_CT: {
		struct ctnl_ct_msg m;

		FUZZ_CHECK(ctnl_ct_is_entry_type(h.type));
		memset(&err, 0, sizeof(err));
		rc = ctnl_ct_decode(msg, len, &m, &err);
		fuzz_check_ct_result(msg, len, rc, &m, &err);
		FUZZ_CHECK(rc != -ENOMSG);
		record_err(t, rc, &err);
		fuzz_canon_ct(t, &m, 1);
		if (flags & FUZZ_WALK_RENDER)
			fuzz_check_renders(&m);
		break;
	}
	case CTNL_MC_EXP: {
		struct ctnl_exp_msg m;

		FUZZ_CHECK(ctnl_exp_is_entry_type(h.type));
		memset(&err, 0, sizeof(err));
		rc = ctnl_exp_decode(msg, len, &m, &err);
		fuzz_check_exp_result(msg, len, rc, &m, &err);
		FUZZ_CHECK(rc != -ENOMSG);
		record_err(t, rc, &err);
		fuzz_canon_exp(t, &m, 1);
		if (flags & FUZZ_WALK_RENDER)
			fuzz_check_exp_renders(&m);
		break;
	}
	case CTNL_MC_STATS_CPU:
	case CTNL_MC_STATS_EXP_CPU:
	case CTNL_MC_STATS_GLOBAL: {
		struct ctnl_stats_msg m;
		unsigned kind = cls == CTNL_MC_STATS_CPU	  ? CTNL_STATS_CPU
				: cls == CTNL_MC_STATS_EXP_CPU ? CTNL_STATS_EXP_CPU
							       : CTNL_STATS_GLOBAL;

		memset(&err, 0, sizeof(err));
		rc = ctnl_stats_decode(msg, len, kind, &m, &err);
		fuzz_check_stats_result(msg, len, rc, &m, &err);
		FUZZ_CHECKF(rc != -ENOMSG && rc != -EINVAL, "classified as stats kind %u, decode says %d", kind, rc);
		record_err(t, rc, &err);
		fuzz_canon_stats(t, &m, 1);
		if (flags & FUZZ_WALK_RENDER)
			fuzz_check_stats_renders(&m);
		break;
	}
	case CTNL_MC_ERROR:
		FUZZ_CHECK(h.type == 2);
		record_nlerr(t, msg, len);
		break;
	default:
		FUZZ_CHECKF(cls == CTNL_MC_DONE || cls == CTNL_MC_OTHER, "class %d", cls);
		fuzz_text_add(t, "hdr type=%u flags=%u seq=%u pid=%u family=%u version=%u res_id=%u\n", h.type, h.flags,
			      h.seq, h.pid, h.family, h.version, h.res_id);
		break;
	}
}

void fuzz_walk_buffer(struct fuzz_walk *w, const uint8_t *buf, size_t len, unsigned flags)
{
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t mlen;
	struct ctnl_err err = { 0 };
	int rc;

	memset(w, 0, sizeof(*w));
	ctnl_stream_init(&s, buf, len);
	while ((rc = ctnl_stream_next(&s, &msg, &mlen, &err)) == 1) {
		FUZZ_CHECK(msg >= buf && mlen >= 16 && (size_t)(msg - buf) + mlen <= len);
		FUZZ_CHECK(s.index == w->n + 1);
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 16;
			w->pos = realloc(w->pos, w->cap * sizeof(*w->pos));
			w->len = realloc(w->len, w->cap * sizeof(*w->len));
			w->rec_end = realloc(w->rec_end, w->cap * sizeof(*w->rec_end));
			FUZZ_CHECK(w->pos && w->len && w->rec_end);
		}
		w->pos[w->n] = (size_t)(msg - buf);
		w->len[w->n] = mlen;
		/* the decoders get the message alone: nlmsg_len bytes */
		fuzz_record_message(&w->text, msg, mlen, flags, NULL);
		w->rec_end[w->n] = w->text.len;
		w->n++;
	}
	FUZZ_CHECKF(rc == 0 || rc == -EBADMSG, "stream rc %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(err.code == rc && err.msg_index == w->n && err.offset <= len && err.msg_offset <= len);
		fuzz_check_err_format(&err);
	}
	/* the end is sticky */
	FUZZ_CHECK(ctnl_stream_next(&s, &msg, &mlen, NULL) == 0);
	w->end_rc = rc;
}

void fuzz_walk_free(struct fuzz_walk *w)
{
	fuzz_text_free(&w->text);
	free(w->pos);
	free(w->len);
	free(w->rec_end);
	memset(w, 0, sizeof(*w));
}
