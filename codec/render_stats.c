/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Statistics as text: the lines of `conntrack -S`, `conntrack -S expect`
 * and `conntrack -C` (conntrack-tools 1.4.7, src/conntrack.c), and JSON
 * (docs/expect-stats.md).
 *
 * conntrack prints "cpu=%-4u\t" with the res_id, then "name=%u " for each
 * counter attribute in type order -- the names of the description table
 * for the known ones, "unknown1".."unknown4" for types CTA_STATS_MAX+1..+4
 * (16..19) of a newer kernel -- and keeps the trailing blank.  -C prints
 * CTA_STATS_GLOBAL_ENTRIES with "%d", or nothing without it.
 */
#include <stdint.h>
#include <string.h>

#include <ctnl/stats.h>

#include "fmt.h"
#include "internal.h"

/* The value of an unknown top-level 4-byte counter, from the raw message. */
static int unknown_counter(const struct ctnl_stats_msg *m, unsigned type, uint32_t *v)
{
	int found = 0;

	for (unsigned i = 0; i < m->unknown.kept && i < CTNL_UNKNOWN_MAX; i++) {
		const struct ctnl_unknown *u = &m->unknown.list[i];

		if (u->depth != 0 || (u->type & CTNL_NLA_TYPE_MASK) != type || u->len != 8 ||
		    (uint64_t)u->offset + 8 > m->raw.len || !m->raw.ptr)
			continue;
		*v = ctnl_get_be32(m->raw.ptr + u->offset + 4);
		found = 1; /* the last one wins, as in conntrack's table */
	}
	return found;
}

/* "cpu=%-4u\t" */
static void put_cpu(struct ctnl_w *w, uint16_t cpu)
{
	char num[8], tmp[16], *p = ctnl_fmt_u32_rev(num + sizeof(num), cpu);
	size_t n = (size_t)(num + sizeof(num) - p), l = 4;

	memcpy(tmp, "cpu=", 4);
	memcpy(tmp + l, p, n);
	l += n;
	while (n++ < 4)
		tmp[l++] = ' ';
	tmp[l++] = '\t';
	ctnl_w_mem(w, tmp, l);
}

int ctnl_stats_snprintf(char *buf, size_t len, const struct ctnl_stats_msg *m)
{
	const struct ctnl_nest_desc *d = ctnl_stats_desc(m->kind);
	struct ctnl_w w;

	ctnl_w_init(&w, buf, len);
	if (!d)
		return ctnl_w_end(&w);
	if (m->kind == CTNL_STATS_GLOBAL) {
		if (ctnl_has(&m->u.global, CTA_STATS_GLOBAL_ENTRIES)) {
			int32_t v = (int32_t)m->u.global.entries;

			ctnl_w_i64(&w, v);
		}
		return ctnl_w_end(&w);
	}
	put_cpu(&w, m->hdr.res_id);
	{
		uint32_t present;
		const uint8_t *base = (const uint8_t *)&m->u;

		memcpy(&present, base, sizeof(present));
		for (unsigned t = 1; t <= d->maxtype; t++) {
			uint32_t v;

			if (!((present >> t) & 1u) || d->attrs[t].kind != CTNL_K_BE32)
				continue;
			memcpy(&v, base + d->attrs[t].offset, 4);
			ctnl_w_str(&w, d->attrs[t].name);
			ctnl_w_ch(&w, '=');
			ctnl_w_u32(&w, v);
			ctnl_w_ch(&w, ' ');
		}
	}
	if (m->kind == CTNL_STATS_CPU) {
		for (unsigned k = 1; k <= 4; k++) {
			uint32_t v;

			if (!unknown_counter(m, CTA_STATS_CHAIN_TOOLONG + k, &v))
				continue;
			ctnl_w_lit(&w, "unknown");
			ctnl_w_u32(&w, k);
			ctnl_w_ch(&w, '=');
			ctnl_w_u32(&w, v);
			ctnl_w_ch(&w, ' ');
		}
	}
	return ctnl_w_end(&w);
}

int ctnl_stats_json(char *buf, size_t len, const struct ctnl_stats_msg *m)
{
	const struct ctnl_nest_desc *d = ctnl_stats_desc(m->kind);
	struct ctnl_w w;
	uint32_t present;
	const uint8_t *base = (const uint8_t *)&m->u;

	ctnl_w_init(&w, buf, len);
	if (!d)
		return ctnl_w_end(&w);
	ctnl_w_lit(&w, "{\"type\":\"");
	ctnl_w_str(&w, m->hdr.flags & 0x1 /* NLM_F_REQUEST */ ? "request" : "stats");
	ctnl_w_lit(&w, "\",\"object\":\"");
	ctnl_w_str(&w, m->kind == CTNL_STATS_CPU ? "stats_cpu" : m->kind == CTNL_STATS_EXP_CPU ? "stats_exp_cpu" : "stats_global");
	ctnl_w_ch(&w, '"');
	if (m->kind != CTNL_STATS_GLOBAL) {
		ctnl_w_lit(&w, ",\"cpu\":");
		ctnl_w_u32(&w, m->hdr.res_id);
	}
	memcpy(&present, base, sizeof(present));
	for (unsigned t = 1; t <= d->maxtype; t++) {
		uint32_t v;

		if (!((present >> t) & 1u) || d->attrs[t].kind != CTNL_K_BE32)
			continue;
		memcpy(&v, base + d->attrs[t].offset, 4);
		ctnl_w_lit(&w, ",\"");
		ctnl_w_str(&w, d->attrs[t].name);
		ctnl_w_lit(&w, "\":");
		ctnl_w_u32(&w, v);
	}
	if (m->unknown.count) {
		int first = 1;

		ctnl_w_lit(&w, ",\"unknown\":[");
		for (unsigned i = 0; i < m->unknown.kept && i < CTNL_UNKNOWN_MAX; i++) {
			const struct ctnl_unknown *u = &m->unknown.list[i];
			uint32_t v;

			if (!first)
				ctnl_w_ch(&w, ',');
			first = 0;
			ctnl_w_lit(&w, "{\"type\":");
			ctnl_w_u32(&w, u->type & CTNL_NLA_TYPE_MASK);
			ctnl_w_lit(&w, ",\"len\":");
			ctnl_w_u32(&w, u->len);
			ctnl_w_lit(&w, ",\"offset\":");
			ctnl_w_u32(&w, u->offset);
			if (u->depth == 0 && u->len == 8 && m->raw.ptr && (uint64_t)u->offset + 8 <= m->raw.len) {
				v = ctnl_get_be32(m->raw.ptr + u->offset + 4);
				ctnl_w_lit(&w, ",\"value\":");
				ctnl_w_u32(&w, v);
			}
			ctnl_w_ch(&w, '}');
		}
		ctnl_w_ch(&w, ']');
		if (m->unknown.count > m->unknown.kept) {
			ctnl_w_lit(&w, ",\"unknown_count\":");
			ctnl_w_u32(&w, m->unknown.count);
		}
	}
	ctnl_w_ch(&w, '}');
	return ctnl_w_end(&w);
}
