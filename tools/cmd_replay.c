/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl replay FILE: send a capture's requests again, to this kernel, in a
 * fresh network namespace, and compare the kernel's answers with the
 * recorded ones.
 *
 *   capture --reader--> requests, each with its recorded replies and its
 *                       ACK / error / NLMSG_DONE (matched by the reader)
 *   each request --transport--> kernel (namespace made here, or --netns)
 *   now replies vs recorded replies: decoded with the codec, matched by
 *   key (orig tuple and zone; expectation tuple; CPU), then walked
 *   attribute by attribute with the description tables
 *
 * The capture's own creates and updates set the state up, so a capture of
 * a scenario whose entries came from requests replays anywhere.  Values
 * that legitimately change from run to run are not compared (the
 * volatile rule, docs/captures.md): sequence numbers and port ids; of
 * conntrack entries id, timeout, use, counters-orig, counters-reply,
 * timestamp, timestamp-event; of expectations id and timeout; every
 * per-CPU statistics counter; the table size (max_entries).
 * --keep-volatile compares them too (all but seq and pid).  Ids in
 * requests (a delete or get by a dumped entry) are rewritten to the id
 * the same entry has now.  Requests go one at a time, each with NLM_F_ACK
 * (a batch's messages, which ask for no ACK but the last, included).
 *
 * Each difference is one line:
 *   message 7 (record 5): mark: recorded 8, now 7
 * where message is the recorded message's index in the file (as `ctnl
 * decode` numbers them) and record its capture record.
 * Exit status: 0 when nothing differs, 1 when something does (or the
 * replay could not be done), 2 for usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/conntrack.h>
#include <ctnl/ctnl.h>
#include <ctnl/pcap.h>

#include "attr_walk.h"
#include "cli.h"
#include "ctnl_ns.h"

/* One recorded or live message, as bytes. */
struct rmsg {
	uint8_t *data;
	uint32_t len;
	uint32_t index;                    /* in the file (recorded); in the reply (now) */
	uint64_t record;
	int cls;                           /* CTNL_MC_* */
	int used;                          /* matched */
	char *key;                         /* key_of(), made when first needed */
};

struct mlist {
	struct rmsg *v;
	size_t n, cap;
};

/* A request and what the kernel answered when it was recorded. */
struct exch {
	struct rmsg req;
	struct ctnl_msg hdr;
	struct mlist replies;              /* entries, expectations, stats: not ACK/error/done */
	int has_status;                    /* an ACK or error was recorded */
	int status;                        /* its code (0: ACK) */
	char ext_msg[128];                 /* its extended ACK text */
	uint32_t status_index;
	uint64_t status_record;
};

struct idmap {
	uint32_t rec, now;
	uint8_t table;
};

struct rctx {
	struct ctnl_io *io;
	const char *file;
	int keep_volatile, json;
	struct exch *x;
	size_t nx, capx;
	uint64_t events, unmatched, bad_records;
	uint64_t diffs, compared;
	struct idmap *ids;
	size_t nids, capids;
	/* decoded scratch */
	struct ctnl_ct_msg ct[2];
	struct ctnl_exp_msg exp[2];
	struct ctnl_stats_msg st[2];
};

static int list_add(struct mlist *l, const void *data, size_t len, uint32_t index, uint64_t record, int cls)
{
	struct rmsg *m;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct rmsg *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	m = &l->v[l->n];
	m->data = malloc(len ? len : 1);
	if (!m->data)
		return -ENOMEM;
	memcpy(m->data, data, len);
	m->len = (uint32_t)len;
	m->index = index;
	m->record = record;
	m->cls = cls;
	m->used = 0;
	m->key = NULL;
	l->n++;
	return 0;
}

static void list_free(struct mlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].data);
		free(l->v[i].key);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int class_of_kind(enum ctnl_pcap_kind k)
{
	switch (k) {
	case CTNL_PK_CT: return CTNL_MC_CT;
	case CTNL_PK_CT_STATS_CPU: return CTNL_MC_STATS_CPU;
	case CTNL_PK_CT_STATS: return CTNL_MC_STATS_GLOBAL;
	case CTNL_PK_EXP: return CTNL_MC_EXP;
	case CTNL_PK_EXP_STATS_CPU: return CTNL_MC_STATS_EXP_CPU;
	case CTNL_PK_ACK:
	case CTNL_PK_ERROR: return CTNL_MC_ERROR;
	case CTNL_PK_DONE: return CTNL_MC_DONE;
	default: return CTNL_MC_OTHER;
	}
}

/* ---- reading the capture ---- */

static struct exch *find_exch(struct rctx *c, const struct ctnl_pcap_req *r)
{
	for (size_t i = c->nx; i-- > 0;) {
		struct exch *x = &c->x[i];

		if (x->req.record == r->record && x->hdr.seq == r->seq)
			return x;
		if (c->nx - i > 4096)
			break;
	}
	return NULL;
}

static int load(struct rctx *c, const char *path)
{
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_err pe;
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_stats ps;
	char line[256];
	uint32_t index = 0;
	int rc;

	if (ctnl_pcap_open(path, NULL, &r, &pe) < 0) {
		ctnl_pcap_err_format(&pe, line, sizeof(line));
		fprintf(c->io->err, "ctnl replay: %s: %s\n", path, line);
		return -1;
	}
	while ((rc = ctnl_pcap_next(r, &m, &pe)) != 0) {
		struct exch *x;
		uint32_t at = index++;

		if (rc < 0) {
			ctnl_pcap_err_format(&pe, line, sizeof(line));
			fprintf(c->io->err, "ctnl replay: %s: %s\n", path, line);
			continue;
		}
		if (m.dir == CTNL_DIR_TO_KERNEL) {
			if (c->nx == c->capx) {
				size_t cap = c->capx ? c->capx * 2 : 32;
				struct exch *v = realloc(c->x, cap * sizeof(*v));

				if (!v)
					goto nomem;
				c->x = v;
				c->capx = cap;
			}
			x = &c->x[c->nx];
			memset(x, 0, sizeof(*x));
			x->req.data = malloc(m.len);
			if (!x->req.data)
				goto nomem;
			memcpy(x->req.data, m.data, m.len);
			x->req.len = (uint32_t)m.len;
			x->req.index = at;
			x->req.record = m.record;
			x->req.cls = class_of_kind(m.kind);
			x->hdr = m.hdr;
			c->nx++;
			continue;
		}
		if (m.role == CTNL_ROLE_EVENT) {
			c->events++;
			continue;
		}
		x = m.has_req ? find_exch(c, &m.req) : NULL;
		if (!x) {
			c->unmatched++;
			continue;
		}
		if (m.kind == CTNL_PK_ACK || m.kind == CTNL_PK_ERROR) {
			struct ctnl_nlerr ne;

			if (ctnl_nlerr_parse(m.data, m.len, &ne, NULL) == 0) {
				x->has_status = 1;
				x->status = ne.error;
				snprintf(x->ext_msg, sizeof(x->ext_msg), "%.*s", (int)ne.ext_msg.len,
					 ne.ext_msg.len ? (const char *)ne.ext_msg.ptr : "");
				x->status_index = at;
				x->status_record = m.record;
			}
			continue;
		}
		if (m.kind == CTNL_PK_DONE)
			continue;
		if (list_add(&x->replies, m.data, m.len, at, m.record, class_of_kind(m.kind)) < 0)
			goto nomem;
	}
	ctnl_pcap_stats(r, &ps);
	c->bad_records = ps.records_bad;
	ctnl_pcap_close(r);
	return 0;
nomem:
	ctnl_pcap_close(r);
	fprintf(c->io->err, "ctnl replay: out of memory\n");
	return -1;
}

/* ---- ids: a recorded id stands for the entry that has another id now ---- */

static void id_learn(struct rctx *c, uint8_t table, uint32_t rec, uint32_t now)
{
	for (size_t i = 0; i < c->nids; i++)
		if (c->ids[i].table == table && c->ids[i].rec == rec) {
			c->ids[i].now = now;
			return;
		}
	if (c->nids == c->capids) {
		size_t cap = c->capids ? c->capids * 2 : 32;
		struct idmap *v = realloc(c->ids, cap * sizeof(*v));

		if (!v)
			return;
		c->ids = v;
		c->capids = cap;
	}
	c->ids[c->nids++] = (struct idmap){ .rec = rec, .now = now, .table = table };
}

/* Rewrite a request's top-level CTA_ID / CTA_EXPECT_ID (big-endian). */
static void id_rewrite(struct rctx *c, uint8_t *req, uint32_t len)
{
	uint16_t type;
	uint8_t sub;
	uint16_t want;
	uint32_t at = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN;

	memcpy(&type, req + 4, 2);
	sub = ctnl_msg_subsys(type);
	if (sub == NFNL_SUBSYS_CTNETLINK)
		want = CTA_ID;
	else if (sub == NFNL_SUBSYS_CTNETLINK_EXP)
		want = CTA_EXPECT_ID;
	else
		return;
	while (at + 4 <= len) {
		uint16_t alen, atype;

		memcpy(&alen, req + at, 2);
		memcpy(&atype, req + at + 2, 2);
		if (alen < 4 || at + alen > len)
			return;
		if ((atype & NLA_TYPE_MASK) == want && alen == 8) {
			uint32_t be, id;

			memcpy(&be, req + at + 4, 4);
			id = ntohl(be);
			for (size_t i = 0; i < c->nids; i++)
				if (c->ids[i].table == sub && c->ids[i].rec == id) {
					be = htonl(c->ids[i].now);
					memcpy(req + at + 4, &be, 4);
					break;
				}
			return;
		}
		at += (alen + 3u) & ~3u;
	}
}

/* ---- the volatile rule ---- */

static const char *const vol_ct[] = { "id", "timeout", "use", "counters-orig", "counters-reply", "timestamp",
				      "timestamp-event", NULL };
static const char *const vol_exp[] = { "id", "timeout", NULL };
static const char *const vol_global[] = { "max_entries", NULL };

/* Is this path (or a nest above it) volatile for messages of class cls? */
static int is_volatile(const struct rctx *c, int cls, const char *path)
{
	const char *const *list;

	if (c->keep_volatile)
		return 0;
	switch (cls) {
	case CTNL_MC_CT: list = vol_ct; break;
	case CTNL_MC_EXP: list = vol_exp; break;
	case CTNL_MC_STATS_CPU:
	case CTNL_MC_STATS_EXP_CPU: return 1;   /* every counter depends on history */
	case CTNL_MC_STATS_GLOBAL: list = vol_global; break;
	default: return 0;
	}
	for (; *list; list++) {
		size_t n = strlen(*list);

		if (!strncmp(path, *list, n) && (path[n] == '\0' || path[n] == '.'))
			return 1;
	}
	return 0;
}

/* ---- output ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void difference(struct rctx *c, uint32_t index, uint64_t record, const char *path, const char *rec,
		       const char *now)
{
	c->diffs++;
	if (c->json) {
		fprintf(c->io->out, "{\"message\":%" PRIu32 ",\"record\":%" PRIu64 ",\"path\":", index, record);
		json_str(c->io->out, path);
		fputs(",\"recorded\":", c->io->out);
		json_str(c->io->out, rec);
		fputs(",\"now\":", c->io->out);
		json_str(c->io->out, now);
		fputs("}\n", c->io->out);
		return;
	}
	fprintf(c->io->out, "message %" PRIu32 " (record %" PRIu64 "): %s: recorded %s, now %s\n", index, record, path,
		rec, now);
}

static void value_text(const struct ctnl_attr_desc *a, const uint8_t *f, char *buf, size_t len)
{
	struct aw_out o = { buf, buf + len - 1, 0 };

	aw_value(&o, a, f);
	if (o.over)
		snprintf(buf, len, "(%u bytes)", (unsigned)len);
	else
		*o.p = '\0';
}

/* ---- the generic walker: two decoded structs, one description ---- */

static int value_equal(const struct ctnl_attr_desc *a, const uint8_t *x, const uint8_t *y)
{
	switch (a->kind) {
	case CTNL_K_U8: return x[0] == y[0];
	case CTNL_K_BE16: return !memcmp(x, y, 2);
	case CTNL_K_BE32:
	case CTNL_K_U32: return !memcmp(x, y, 4);
	case CTNL_K_BE64: return !memcmp(x, y, 8);
	case CTNL_K_FIXED: return !memcmp(x, y, a->len);
	case CTNL_K_STRING:
	case CTNL_K_BINARY: {
		struct ctnl_view vx, vy;

		memcpy(&vx, x, sizeof(vx));
		memcpy(&vy, y, sizeof(vy));
		return vx.len == vy.len && (!vx.len || !memcmp(vx.ptr, vy.ptr, vx.len));
	}
	default:
		return 1;
	}
}

static void diff_walk(struct rctx *c, const struct rmsg *rm, int cls, const struct ctnl_nest_desc *d, const void *a,
		      const void *b, const char *prefix)
{
	uint32_t pa, pb;

	memcpy(&pa, a, 4);
	memcpy(&pb, b, 4);
	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *ad = &d->attrs[t];
		int ha = (pa >> t) & 1u, hb = (pb >> t) & 1u;
		const uint8_t *fa = (const uint8_t *)a + ad->offset, *fb = (const uint8_t *)b + ad->offset;
		char path[192], va[160], vb[160];

		if (!ha && !hb)
			continue;
		if (ad->kind == CTNL_K_PAD || !ad->name)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", ad->name);
		if (is_volatile(c, cls, path))
			continue;
		if (ha && hb) {
			if (ad->kind == CTNL_K_NEST) {
				diff_walk(c, rm, cls, ad->nest, fa, fb, path);
				continue;
			}
			if (value_equal(ad, fa, fb))
				continue;
			value_text(ad, fa, va, sizeof(va));
			value_text(ad, fb, vb, sizeof(vb));
			difference(c, rm->index, rm->record, path, va, vb);
			continue;
		}
		if (ad->kind == CTNL_K_NEST) {
			snprintf(ha ? va : vb, sizeof(va), "present");
		} else if (ha) {
			value_text(ad, fa, va, sizeof(va));
		} else {
			value_text(ad, fb, vb, sizeof(vb));
		}
		difference(c, rm->index, rm->record, path, ha ? va : "absent", hb ? vb : "absent");
	}
}

static void diff_unknown(struct rctx *c, const struct rmsg *rm, const struct ctnl_nest_desc *d,
			 const struct ctnl_unknowns *a, const struct ctnl_unknowns *b)
{
	char pa[256] = "", pb[256] = "";

	for (unsigned i = 0; i < a->kept; i++) {
		size_t l = strlen(pa);

		ctnl_unknown_path(d, &a->list[i], pa + l, sizeof(pa) - l);
		if (strlen(pa) + 2 < sizeof(pa))
			strcat(pa, ",");
	}
	for (unsigned i = 0; i < b->kept; i++) {
		size_t l = strlen(pb);

		ctnl_unknown_path(d, &b->list[i], pb + l, sizeof(pb) - l);
		if (strlen(pb) + 2 < sizeof(pb))
			strcat(pb, ",");
	}
	if (a->count != b->count || strcmp(pa, pb)) {
		char va[280], vb[280];

		snprintf(va, sizeof(va), "%u [%s]", a->count, pa);
		snprintf(vb, sizeof(vb), "%u [%s]", b->count, pb);
		difference(c, rm->index, rm->record, "unknown", va, vb);
	}
}

/* ---- one message: decode both, compare ---- */

/* Decode into slot s; returns the description and fills obj/unk, or NULL. */
static const struct ctnl_nest_desc *decode(struct rctx *c, int s, int cls, const struct rmsg *m, const void **obj,
					   const struct ctnl_unknowns **unk, struct ctnl_msg *hdr)
{
	switch (cls) {
	case CTNL_MC_CT:
		if (ctnl_ct_decode(m->data, m->len, &c->ct[s], NULL) < 0)
			return NULL;
		*obj = &c->ct[s].ct;
		*unk = &c->ct[s].unknown;
		*hdr = c->ct[s].hdr;
		return ctnl_ct_desc();
	case CTNL_MC_EXP:
		if (ctnl_exp_decode(m->data, m->len, &c->exp[s], NULL) < 0)
			return NULL;
		*obj = &c->exp[s].exp;
		*unk = &c->exp[s].unknown;
		*hdr = c->exp[s].hdr;
		return ctnl_exp_desc();
	case CTNL_MC_STATS_CPU:
	case CTNL_MC_STATS_EXP_CPU:
	case CTNL_MC_STATS_GLOBAL: {
		unsigned k = cls == CTNL_MC_STATS_CPU ? CTNL_STATS_CPU
			: cls == CTNL_MC_STATS_EXP_CPU ? CTNL_STATS_EXP_CPU : CTNL_STATS_GLOBAL;

		if (ctnl_stats_decode(m->data, m->len, k, &c->st[s], NULL) < 0)
			return NULL;
		*obj = &c->st[s].u;
		*unk = &c->st[s].unknown;
		*hdr = c->st[s].hdr;
		return ctnl_stats_desc(k);
	}
	default:
		return NULL;
	}
}

/* What identifies a reply among its siblings: the original tuple and zone
 * of an entry, the tuple and zone of an expectation, the CPU of stats. */
static void tuple_text(struct aw_out *o, const struct ctnl_nest_desc *d, const void *obj, const char *prefix)
{
	uint32_t p;

	memcpy(&p, obj, 4);
	for (unsigned t = 1; t <= d->maxtype; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];

		if (!((p >> t) & 1u) || !a->name)
			continue;
		if (a->kind == CTNL_K_NEST) {
			char sub[96];

			snprintf(sub, sizeof(sub), "%s%s%s", prefix, prefix[0] ? "." : "", a->name);
			tuple_text(o, a->nest, (const uint8_t *)obj + a->offset, sub);
			continue;
		}
		aw_ch(o, ' ');
		aw_str(o, prefix);
		if (prefix[0])
			aw_ch(o, '.');
		aw_str(o, a->name);
		aw_ch(o, '=');
		aw_value(o, a, (const uint8_t *)obj + a->offset);
	}
}

static int key_of(struct rctx *c, int cls, const struct rmsg *m, char *buf, size_t len)
{
	struct aw_out o = { buf, buf + len - 1, 0 };
	const struct ctnl_nest_desc *d;
	const void *obj;
	const struct ctnl_unknowns *unk;
	struct ctnl_msg h;

	buf[0] = '\0';
	d = decode(c, 0, cls, m, &obj, &unk, &h);
	if (!d)
		return -1;
	if (cls == CTNL_MC_CT) {
		const struct ctnl_ct *ct = obj;

		aw_lit(&o, "entry");
		if (ctnl_has(ct, CTA_TUPLE_ORIG))
			tuple_text(&o, d->attrs[CTA_TUPLE_ORIG].nest, &ct->orig, "orig");
		if (ctnl_has(ct, CTA_ZONE)) {
			aw_lit(&o, " zone=");
			aw_u64(&o, ct->zone);
		}
	} else if (cls == CTNL_MC_EXP) {
		const struct ctnl_exp *e = obj;

		aw_lit(&o, "expectation");
		if (ctnl_has(e, CTA_EXPECT_TUPLE))
			tuple_text(&o, d->attrs[CTA_EXPECT_TUPLE].nest, &e->tuple, "tuple");
		if (ctnl_has(e, CTA_EXPECT_ZONE)) {
			aw_lit(&o, " zone=");
			aw_u64(&o, e->zone);
		}
	} else {
		aw_lit(&o, "stats cpu=");
		aw_u64(&o, h.res_id);
	}
	if (o.over)
		return -1;
	*o.p = '\0';
	return 0;
}

static uint32_t id_of(struct rctx *c, int s, int cls)
{
	if (cls == CTNL_MC_CT && ctnl_has(&c->ct[s].ct, CTA_ID))
		return c->ct[s].ct.id;
	if (cls == CTNL_MC_EXP && ctnl_has(&c->exp[s].exp, CTA_EXPECT_ID))
		return c->exp[s].exp.id;
	return 0;
}

static void compare(struct rctx *c, const struct rmsg *rec, const struct rmsg *now)
{
	const struct ctnl_nest_desc *d;
	const void *oa, *ob;
	const struct ctnl_unknowns *ua, *ub;
	struct ctnl_msg ha, hb;
	char va[32], vb[32];

	c->compared++;
	d = decode(c, 0, rec->cls, rec, &oa, &ua, &ha);
	if (!d || !decode(c, 1, rec->cls, now, &ob, &ub, &hb)) {
		difference(c, rec->index, rec->record, "decode", d ? "ok" : "malformed", "malformed");
		return;
	}
	if (ha.type != hb.type) {
		snprintf(va, sizeof(va), "0x%04x", ha.type);
		snprintf(vb, sizeof(vb), "0x%04x", hb.type);
		difference(c, rec->index, rec->record, "nlmsg_type", va, vb);
	}
	if (ha.flags != hb.flags) {
		snprintf(va, sizeof(va), "0x%04x", ha.flags);
		snprintf(vb, sizeof(vb), "0x%04x", hb.flags);
		difference(c, rec->index, rec->record, "nlmsg_flags", va, vb);
	}
	if (ha.family != hb.family) {
		snprintf(va, sizeof(va), "%u", ha.family);
		snprintf(vb, sizeof(vb), "%u", hb.family);
		difference(c, rec->index, rec->record, "nfgen_family", va, vb);
	}
	diff_walk(c, rec, rec->cls, d, oa, ob, "");
	diff_unknown(c, rec, d, ua, ub);
	{
		uint32_t ra = id_of(c, 0, rec->cls), rb = id_of(c, 1, rec->cls);

		if (ra && rb)
			id_learn(c, rec->cls == CTNL_MC_CT ? NFNL_SUBSYS_CTNETLINK : NFNL_SUBSYS_CTNETLINK_EXP, ra, rb);
	}
}

/* ---- one exchange ---- */

struct collect {
	struct mlist *l;
	struct ctnl_msg req;
	int failed;
};

static int collect_fn(const void *msg, size_t len, void *arg)
{
	struct collect *k = arg;
	int cls = ctnl_msg_classify(msg, len, &k->req);

	if (list_add(k->l, msg, len, (uint32_t)k->l->n, 0, cls < 0 ? CTNL_MC_OTHER : cls) < 0)
		k->failed = 1;
	return 0;
}

static void code_text(int code, const char *ext, char *buf, size_t len)
{
	if (!code)
		snprintf(buf, len, "0 (ack)");
	else if (ext && ext[0])
		snprintf(buf, len, "%d (%s: %s)", code, strerror(-code), ext);
	else
		snprintf(buf, len, "%d (%s)", code, strerror(-code));
}

static int run_one(struct rctx *c, struct ctnl_handle *h, struct exch *x)
{
	struct mlist now = { 0 };
	struct collect k = { .l = &now, .req = x->hdr };
	struct ctnl_err e = { 0 };
	int rc, recorded;
	uint8_t *req = x->req.data;

	id_rewrite(c, req, x->req.len);
	if ((x->hdr.flags & NLM_F_DUMP) != NLM_F_DUMP && !(x->hdr.flags & NLM_F_ACK)) {
		/* a batch asks for one ACK, on its last message; the others
		 * answer only when they fail.  Sent alone, every request asks
		 * for its ACK, so that silence is never waited out */
		uint16_t fl = x->hdr.flags | NLM_F_ACK;

		memcpy(req + 6, &fl, 2);
	}
	rc = ctnl_request(h, req, x->req.len, collect_fn, &k, &e);
	if (k.failed) {
		list_free(&now);
		fprintf(c->io->err, "ctnl replay: out of memory\n");
		return -1;
	}
	if (rc == -ETIMEDOUT || rc == -EMSGSIZE) {
		char what[200];

		snprintf(what, sizeof(what), "no answer (%s)", e.what[0] ? e.what : strerror(-rc));
		difference(c, x->req.index, x->req.record, "request", "answered", what);
		list_free(&now);
		return 0;
	}
	/* the outcome: ACK or error */
	recorded = x->has_status ? x->status : 0;
	if (recorded != rc) {
		char va[200], vb[200];

		code_text(recorded, x->ext_msg, va, sizeof(va));
		code_text(rc, rc < 0 && strcmp(e.what, strerror(-rc)) ? e.what : NULL, vb, sizeof(vb));
		difference(c, x->has_status ? x->status_index : x->req.index,
			   x->has_status ? x->status_record : x->req.record, "error", va, vb);
	} else if (rc < 0 && x->ext_msg[0] && strcmp(x->ext_msg, e.what)) {
		difference(c, x->status_index, x->status_record, "error.message", x->ext_msg, e.what);
	}

	/* the replies, matched by key */
	for (size_t i = 0; i < x->replies.n; i++) {
		struct rmsg *r = &x->replies.v[i];
		char kr[512], kn[512];
		size_t j;

		if (key_of(c, r->cls, r, kr, sizeof(kr)) < 0) {
			difference(c, r->index, r->record, "decode", "malformed", "not compared");
			continue;
		}
		for (j = 0; j < now.n; j++) {
			struct rmsg *n = &now.v[j];

			if (n->used || n->cls != r->cls)
				continue;
			if (!n->key && key_of(c, n->cls, n, kn, sizeof(kn)) == 0)
				n->key = strdup(kn);
			if (n->key && !strcmp(kr, n->key))
				break;
		}
		if (j == now.n) {
			difference(c, r->index, r->record, kr, "present", "missing");
			continue;
		}
		now.v[j].used = 1;
		compare(c, r, &now.v[j]);
	}
	for (size_t j = 0; j < now.n; j++) {
		char kn[512];

		if (now.v[j].used)
			continue;
		if (key_of(c, now.v[j].cls, &now.v[j], kn, sizeof(kn)) < 0) {
			uint16_t t;

			memcpy(&t, now.v[j].data + 4, 2);
			snprintf(kn, sizeof(kn), "reply %zu (type 0x%04x)", j, t);
		}
		difference(c, x->req.index, x->req.record, kn, "absent", "present");
	}
	list_free(&now);
	return 0;
}

static void usage(FILE *f)
{
	fputs("Usage: ctnl replay [--netns PATH] [--keep-volatile] [--json] FILE\n"
	      "Send the requests of an nlmon capture (ctnl --pcap, the selftest, tcpdump -i nlmon0)\n"
	      "again, in a fresh network namespace (needs root), and compare this kernel's answers\n"
	      "with the recorded ones, attribute by attribute.  The capture's own creates and\n"
	      "updates set the state up.  Each difference is printed as\n"
	      "  message N (record R): PATH: recorded X, now Y\n"
	      "  --netns PATH       replay in this namespace (/run/netns/NAME) instead of a new one\n"
	      "  --keep-volatile    compare what changes from run to run too: ids, timeouts, use,\n"
	      "                     counters, timestamps, per-CPU statistics, the table size\n"
	      "                     (sequence numbers and port ids never are)\n"
	      "  --json             one JSON object per difference, and a summary object\n"
	      "Exit status: 0 no difference, 1 differences (or the replay failed), 2 usage.\n",
	      f);
}

int ctnl_cmd_replay(struct ctnl_io *io, int argc, char **argv)
{
	enum { O_NETNS = 256, O_KEEP, O_JSON };
	static const struct option longopts[] = {
		{ "netns", required_argument, NULL, O_NETNS }, { "keep-volatile", no_argument, NULL, O_KEEP },
		{ "json", no_argument, NULL, O_JSON },        { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rctx *c;
	const char *netns = NULL;
	struct ctnl_ns *ns = NULL;
	struct ctnl_handle *h = NULL;
	struct ctnl_open_opts oo = { .size = sizeof(oo), .read_timeout_ms = 5000, .write_timeout_ms = 5000 };
	struct ctnl_err e = { 0 };
	int opt, status = 1, keep = 0, json = 0, rc;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case O_NETNS:
			netns = optarg;
			break;
		case O_KEEP:
			keep = 1;
			break;
		case O_JSON:
			json = 1;
			break;
		case 'h':
			usage(io->out);
			return 0;
		default:
			fprintf(io->err, "ctnl replay: unknown option '%s'\n", argv[optind - 1]);
			usage(io->err);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(io->err);
		return 2;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		fprintf(io->err, "ctnl replay: out of memory\n");
		return 1;
	}
	c->io = io;
	c->file = argv[optind];
	c->keep_volatile = keep;
	c->json = json;
	if (load(c, c->file) < 0)
		goto out;
	if (netns) {
		oo.netns_path = netns;
	} else {
		rc = ctnl_ns_create(&ns);
		if (rc < 0) {
			fprintf(io->err, "ctnl replay: cannot make a network namespace: %s%s\n", strerror(-rc),
				rc == -EPERM ? " (needs root)" : "");
			goto out;
		}
		oo.netns_fd = ns->fd;
	}
	rc = ctnl_open(&h, &oo, &e);
	if (rc < 0) {
		fprintf(io->err, "ctnl replay: %s\n", e.what);
		goto out;
	}
	for (size_t i = 0; i < c->nx; i++)
		if (run_one(c, h, &c->x[i]) < 0)
			goto out;
	if (json)
		fprintf(io->out, "{\"summary\":{\"file\":\"%s\",\"requests\":%zu,\"replies_compared\":%" PRIu64
			",\"events_not_compared\":%" PRIu64 ",\"bad_records\":%" PRIu64 ",\"differences\":%" PRIu64 "}}\n",
			c->file, c->nx, c->compared, c->events, c->bad_records, c->diffs);
	else
		fprintf(io->out, "%s: %zu requests replayed, %" PRIu64 " replies compared, %" PRIu64
			" events not compared, %" PRIu64 " difference%s\n",
			c->file, c->nx, c->compared, c->events, c->diffs, c->diffs == 1 ? "" : "s");
	status = c->diffs || c->bad_records ? 1 : 0;
out:
	fflush(io->out);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
	for (size_t i = 0; i < c->nx; i++) {
		free(c->x[i].req.data);
		list_free(&c->x[i].replies);
	}
	free(c->x);
	free(c->ids);
	free(c);
	return status;
}
