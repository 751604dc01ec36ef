/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replaying a scenario's capture.
 *
 * Offline: every message of the capture, in order, decoded (the request,
 * the kernel's answer, the events), followed by the failure notes saved
 * beside it: the difference the report named is visible in the recorded
 * answer at the record the note gives.
 *
 * Live (--live): the recorded requests are sent again, byte for byte, to
 * the running kernel in a fresh namespace, and each answer is compared
 * with the recorded one after the values that change from run to run are
 * cleared (ids, timeouts, use counts, counters, timestamps): the same
 * kernel reproduces the recorded answers, and another kernel shows where
 * it behaves differently.  Events are not compared, and entries or
 * expectations that packets made in the scenario (rather than requests)
 * do not exist in the replay's namespace: their answers differ by
 * design, and the report says which requests those were.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/pcap.h>
#include <ctnl/render.h>

#include "selftest.h"
#include "st.h"

struct blob {
	uint8_t *p;
	size_t len;
	uint64_t record;
};

struct exchange {
	struct blob req;
	struct blob *ans;                  /* the recorded answers */
	size_t nans;
};

static int blob_set(struct blob *b, const uint8_t *p, size_t len, uint64_t record)
{
	b->p = malloc(len ? len : 1);
	if (!b->p)
		return -ENOMEM;
	memcpy(b->p, p, len);
	b->len = len;
	b->record = record;
	return 0;
}

static const char *cmd_name(uint16_t type)
{
	static char buf[32];
	static const char *const ct[] = { "CT_NEW", "CT_GET", "CT_DELETE", "CT_GET_CTRZERO", "CT_GET_STATS_CPU",
					  "CT_GET_STATS", "CT_GET_DYING", "CT_GET_UNCONFIRMED" };
	static const char *const exp[] = { "EXP_NEW", "EXP_GET", "EXP_DELETE", "EXP_GET_STATS_CPU" };

	if (type == 2)
		return "NLMSG_ERROR";
	if (type == 3)
		return "NLMSG_DONE";
	if (type >> 8 == 1 && (type & 0xff) < 8)
		return ct[type & 0xff];
	if (type >> 8 == 2 && (type & 0xff) < 4)
		return exp[type & 0xff];
	snprintf(buf, sizeof(buf), "type 0x%04x", type);
	return buf;
}

/* One line for a message: its type and flags, then what it holds. */
static void describe(FILE *out, const uint8_t *msg, size_t len, int kind)
{
	struct ctnl_msg h;
	char line[2048] = "";

	if (ctnl_msg_parse(msg, len, &h, NULL) < 0) {
		fprintf(out, "(a malformed netlink header, %zu bytes)", len);
		return;
	}
	fprintf(out, "%s flags 0x%x seq %u", cmd_name(h.type), h.flags, h.seq);
	if (kind == CTNL_PK_CT) {
		struct ctnl_ct_msg m;
		struct ctnl_render_opts o = { .size = sizeof(o), .flags = CTNL_OUT_ID | CTNL_OUT_LABELS };

		if (ctnl_ct_decode(msg, len, &m, NULL) == 0) {
			ctnl_ct_snprintf(line, sizeof(line), &m, &o);
			fprintf(out, ": %s", line[0] ? line : "(no tuple)");
		} else {
			fprintf(out, ": (does not decode)");
		}
	} else if (kind == CTNL_PK_EXP) {
		struct ctnl_exp_msg m;

		if (ctnl_exp_decode(msg, len, &m, NULL) == 0) {
			ctnl_exp_snprintf(line, sizeof(line), &m, NULL);
			fprintf(out, ": %s", line[0] ? line : "(no tuple)");
		}
	} else if (kind == CTNL_PK_ERROR || kind == CTNL_PK_ACK) {
		struct ctnl_nlerr e;

		if (ctnl_nlerr_parse(msg, len, &e, NULL) == 0) {
			fprintf(out, ": %s (%d)", e.error ? strerror(-e.error) : "ACK", e.error);
			if (e.ext_msg.len)
				fprintf(out, ", \"%.*s\"", (int)e.ext_msg.len, (const char *)e.ext_msg.ptr);
			if (e.has_ext_offset)
				fprintf(out, " at offset %u", e.ext_offset);
		}
	}
}

/* Clear what changes between runs; 0 if the message is an entry or an
 * expectation that could be normalised (and re-encoded into @buf). */
static int normalise(const uint8_t *msg, size_t len, uint8_t *buf, size_t cap, size_t *out)
{
	uint16_t type;
	struct ctnl_ct_msg m;
	struct ctnl_exp_msg x;

	memcpy(&type, msg + 4, 2);
	if (ctnl_ct_is_entry_type(type) && ctnl_ct_decode(msg, len, &m, NULL) == 0) {
		m.hdr.seq = m.hdr.pid = 0;
		m.ct.present &= ~(1u << CTA_ID | 1u << CTA_TIMEOUT | 1u << CTA_USE | 1u << CTA_COUNTERS_ORIG |
				  1u << CTA_COUNTERS_REPLY | 1u << CTA_TIMESTAMP | 1u << CTNL_CTA_TIMESTAMP_EVENT);
		m.norder = 0;
		return ctnl_ct_encode(&m, buf, cap, out, NULL);
	}
	if (ctnl_exp_is_entry_type(type) && ctnl_exp_decode(msg, len, &x, NULL) == 0) {
		x.hdr.seq = x.hdr.pid = 0;
		x.exp.present &= ~(1u << CTA_EXPECT_ID | 1u << CTA_EXPECT_TIMEOUT);
		x.norder = 0;
		return ctnl_exp_encode(&x, buf, cap, out, NULL);
	}
	return -ENOMSG;
}

/* Do two answers agree?  Errors by code, entries normalised, the rest by type. */
static int same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	static uint8_t na[8192], nb[8192];
	size_t la, lb;
	uint16_t ta, tb;

	memcpy(&ta, a + 4, 2);
	memcpy(&tb, b + 4, 2);
	if (ta != tb)
		return 0;
	if (ta == 2) {
		int ea, eb;

		memcpy(&ea, a + 16, 4);
		memcpy(&eb, b + 16, 4);
		return ea == eb;
	}
	if (normalise(a, alen, na, sizeof(na), &la) == 0 && normalise(b, blen, nb, sizeof(nb), &lb) == 0)
		return la == lb && !memcmp(na, nb, la);
	return 1;                          /* stats, DONE: the type is what is stable */
}

static int kind_of(const uint8_t *msg, size_t len, const uint8_t *req)
{
	struct ctnl_msg rh;
	uint16_t type;
	int32_t e;

	memcpy(&type, msg + 4, 2);
	if (type == 2) {
		memcpy(&e, msg + 16, 4);
		return e ? CTNL_PK_ERROR : CTNL_PK_ACK;
	}
	if (type == 3)
		return CTNL_PK_DONE;
	if (req && ctnl_msg_parse(req, 20, &rh, NULL) == 0 && ctnl_msg_classify(msg, len, &rh) == CTNL_MC_STATS_EXP_CPU)
		return CTNL_PK_EXP_STATS_CPU;
	if (ctnl_ct_is_entry_type(type))
		return CTNL_PK_CT;
	if (ctnl_exp_is_entry_type(type))
		return CTNL_PK_EXP;
	return CTNL_PK_CONTROL;
}

static void free_all(struct exchange *ex, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ex[i].req.p);
		for (size_t k = 0; k < ex[i].nans; k++)
			free(ex[i].ans[k].p);
		free(ex[i].ans);
	}
	free(ex);
}

/* Is one of the records the failure notes name in this exchange? */
static int named(const uint64_t *notes, size_t nnotes, const struct exchange *e)
{
	uint64_t last = e->nans ? e->ans[e->nans - 1].record : e->req.record;

	for (size_t i = 0; i < nnotes; i++)
		if (notes[i] >= e->req.record && notes[i] <= last)
			return 1;
	return 0;
}

/* The kernel-assigned ids of recorded entries, as the replay's kernel gave them. */
struct idmap {
	uint32_t from[256], to[256];
	unsigned n;
};

/* The top-level id attribute (CTA_ID, CTA_EXPECT_ID) of a message: its value's offset, or 0. */
static size_t id_at(const uint8_t *msg, size_t len)
{
	uint16_t type, want;
	size_t at = 20;

	if (len < 20)
		return 0;
	memcpy(&type, msg + 4, 2);
	want = type >> 8 == 1 ? CTA_ID : type >> 8 == 2 ? CTA_EXPECT_ID : 0;
	while (want && at + 4 <= len) {
		uint16_t alen, atype;

		memcpy(&alen, msg + at, 2);
		memcpy(&atype, msg + at + 2, 2);
		if (alen < 4 || at + alen > len)
			break;
		if ((atype & 0x3fff) == want && alen == 8)
			return at + 4;
		at += (alen + 3u) & ~3u;
	}
	return 0;
}

static void idmap_learn(struct idmap *m, const uint8_t *rec, size_t rlen, const uint8_t *now, size_t nlen)
{
	size_t a = id_at(rec, rlen), b = id_at(now, nlen);

	if (a && b && m->n < 256) {
		memcpy(&m->from[m->n], rec + a, 4);
		memcpy(&m->to[m->n], now + b, 4);
		m->n++;
	}
}

/* A request naming an entry by its recorded id names it by its id here. */
static void idmap_apply(const struct idmap *m, uint8_t *req, size_t len)
{
	size_t at = id_at(req, len);
	uint32_t v;

	if (!at)
		return;
	memcpy(&v, req + at, 4);
	for (unsigned i = m->n; i-- > 0;)
		if (m->from[i] == v) {
			memcpy(req + at, &m->to[i], 4);
			return;
		}
}

static int is_final(const uint8_t *msg)
{
	uint16_t t;

	memcpy(&t, msg + 4, 2);
	return t == 2 || t == 3;
}

static void show(FILE *out, const char *label, const uint8_t *msg, size_t len, const uint8_t *req)
{
	fprintf(out, "  %s", label);
	describe(out, msg, len, kind_of(msg, len, req));
	fputc('\n', out);
}

/* Compare one exchange: answers as a multiset (dumps come in hash order,
 * which differs between namespaces), then the final ACK/error/DONE. */
static int compare(const struct exchange *e, const struct st_reply *r, struct idmap *ids, FILE *out)
{
	const uint8_t *now[4096], *final = NULL, *msg;
	size_t nlen[4096], nn = 0, pos = 0, final_len = 0;
	char used[4096] = { 0 };
	const struct blob *want_final = NULL;
	const char *name = cmd_name(*(uint16_t *)(e->req.p + 4));
	int diff = 0;

	while (pos + 16 <= r->len && nn < 4096) {
		uint32_t l;

		memcpy(&l, r->buf + pos, 4);
		if (l < 16 || pos + l > r->len)
			break;
		msg = r->buf + pos;
		if (is_final(msg))
			final = msg, final_len = l;
		else
			now[nn] = msg, nlen[nn++] = l;
		pos += (l + 3u) & ~3u;
	}
	for (size_t k = 0; k < e->nans; k++) {
		const struct blob *b = &e->ans[k];
		size_t j;

		if (is_final(b->p)) {
			want_final = b;
			continue;
		}
		for (j = 0; j < nn; j++)
			if (!used[j] && same(b->p, b->len, now[j], nlen[j]))
				break;
		if (j < nn) {
			used[j] = 1;
			idmap_learn(ids, b->p, b->len, now[j], nlen[j]);
			continue;
		}
		if (!diff)
			fprintf(out, "record %llu %s:\n", (unsigned long long)e->req.record, name);
		show(out, "recorded, missing now: ", b->p, b->len, e->req.p);
		diff = 1;
	}
	for (size_t j = 0; j < nn; j++) {
		if (used[j])
			continue;
		if (!diff)
			fprintf(out, "record %llu %s:\n", (unsigned long long)e->req.record, name);
		show(out, "now, not recorded:     ", now[j], nlen[j], e->req.p);
		diff = 1;
	}
	if ((want_final != NULL) != (final != NULL) ||
	    (final && !same(want_final->p, want_final->len, final, final_len))) {
		if (!diff)
			fprintf(out, "record %llu %s:\n", (unsigned long long)e->req.record, name);
		if (want_final)
			show(out, "recorded final answer: ", want_final->p, want_final->len, NULL);
		else
			fputs("  recorded final answer: (none)\n", out);
		if (final)
			show(out, "final answer now:      ", final, final_len, NULL);
		else
			fputs("  final answer now:      (none)\n", out);
		diff = 1;
	}
	return diff;
}

static int live(struct exchange *ex, size_t n, const uint64_t *notes, size_t nnotes, FILE *out, FILE *err)
{
	struct st_ctx c = { .nl = -1, .ev = -1, .out = -1 };
	struct st_scenario sc = { .name = "replay" };
	struct idmap ids = { .n = 0 };
	unsigned differ = 0, compared = 0;
	int rc;

	c.sc = &sc;
	rc = ctnl_ns_create(&c.ns);
	if (rc < 0 || st_wire_open(&c) < 0) {
		fprintf(err, "ctnl selftest --replay: no namespace or ctnetlink socket here: %s\n", strerror(-rc));
		ctnl_ns_destroy(c.ns);
		return 2;
	}
	fprintf(out, "#\n# live: the recorded requests sent again to this kernel, in a fresh namespace\n");
	for (size_t i = 0; i < n; i++) {
		struct st_reply r;
		const uint8_t *msg;
		size_t pos = 0, len;
		int diff;

		idmap_apply(&ids, ex[i].req.p, ex[i].req.len);
		c.wait_ms = 500;
		if (st_talk(&c, ex[i].req.p, ex[i].req.len, 1, &r) < 0) {
			fprintf(out, "record %llu: could not be sent\n", (unsigned long long)ex[i].req.record);
			differ++;
			continue;
		}
		compared++;
		diff = compare(&ex[i], &r, &ids, out);
		if (named(notes, nnotes, &ex[i])) {
			/* the exchange a failure note points at: show the answer again */
			fprintf(out, "record %llu %s is named in the failure notes; this kernel answers:\n",
				(unsigned long long)ex[i].req.record, cmd_name(*(uint16_t *)(ex[i].req.p + 4)));
			while (st_reply_next(&r, &pos, &msg, &len) == 1)
				show(out, "now:      ", msg, len, ex[i].req.p);
		}
		if (!diff)
			fprintf(out, "record %llu %s: same answers (%zu)\n", (unsigned long long)ex[i].req.record,
				cmd_name(*(uint16_t *)(ex[i].req.p + 4)), ex[i].nans);
		differ += (unsigned)diff;
		st_reply_free(&r);
	}
	fprintf(out, "# live: %u requests, %u answered differently%s\n", compared, differ,
		differ ? " (what packets made in the scenario is not replayed: see docs/selftest.md)" : "");
	st_wire_close(&c);
	ctnl_ns_destroy(c.ns);
	return differ ? 1 : 0;
}

int ctnl_st_replay(const char *pcap, int live_mode, FILE *out, FILE *err)
{
	struct ctnl_pcap_reader *rd;
	struct ctnl_pcap_err pe;
	struct ctnl_pcap_msg m;
	struct exchange *ex = NULL;
	size_t n = 0, cap = 0;
	char path[4200], line[1024];
	uint64_t named_records[64];
	size_t nnamed = 0;
	FILE *notes;
	int rc;
	/* other subsystems too: a malformed request may name one on purpose */
	struct ctnl_pcap_opts po = { .size = sizeof(po), .flags = CTNL_PCAP_KEEP_OTHER };

	if (ctnl_pcap_open(pcap, &po, &rd, &pe) < 0) {
		fprintf(err, "ctnl selftest --replay: %s: %s\n", pcap, pe.what);
		return 2;
	}
	fprintf(out, "# %s\n", pcap);
	while ((rc = ctnl_pcap_next(rd, &m, &pe)) != 0) {
		if (rc < 0) {
			ctnl_pcap_err_format(&pe, line, sizeof(line));
			fprintf(out, "record %llu: %s\n", (unsigned long long)pe.record, line);
			continue;
		}
		fprintf(out, "record %-4llu %s ", (unsigned long long)m.record,
			m.dir == CTNL_DIR_TO_KERNEL ? "->kernel" : m.role == CTNL_ROLE_EVENT ? "event   " : "<-kernel");
		describe(out, m.data, m.len, m.kind);
		fputc('\n', out);
		if (m.dir == CTNL_DIR_TO_KERNEL) {
			if (n == cap) {
				struct exchange *ne = realloc(ex, (cap = cap ? cap * 2 : 32) * sizeof(*ex));

				if (!ne)
					break;
				ex = ne;
			}
			memset(&ex[n], 0, sizeof(ex[n]));
			if (blob_set(&ex[n].req, m.data, m.len, m.record) < 0)
				break;
			n++;
		} else if (m.role == CTNL_ROLE_REPLY && n) {
			/* an answer belongs to the request with its sequence number */
			struct exchange *e = &ex[n - 1];
			struct blob *nb;

			for (size_t q = n; q-- > 0;) {
				uint32_t seq;

				memcpy(&seq, ex[q].req.p + 8, 4);
				if (ex[q].req.len >= 16 && seq == m.hdr.seq) {
					e = &ex[q];
					break;
				}
			}
			nb = realloc(e->ans, (e->nans + 1) * sizeof(*nb));

			if (!nb)
				break;
			e->ans = nb;
			if (blob_set(&e->ans[e->nans], m.data, m.len, m.record) == 0)
				e->nans++;
		}
	}
	ctnl_pcap_close(rd);
	/* the requests the reader could not show (a header too short for a
	 * netlink message, sent on purpose) are not replayed */
	snprintf(path, sizeof(path), "%s.fail", pcap);
	notes = fopen(path, "r");
	if (notes) {
		fprintf(out, "#\n# failure notes (%s):\n", path);
		while (fgets(line, sizeof(line), notes)) {
			const char *p = strstr(line, "capture record");

			fprintf(out, "#   %s", line);
			if (p && nnamed < sizeof(named_records) / sizeof(named_records[0])) {
				/* "record N", "records A-B", "records up to N": the last number counts */
				unsigned long long last = 0;
				char *end;

				for (; *p && *p != ']'; p++) {
					if (*p >= '0' && *p <= '9') {
						last = strtoull(p, &end, 10);
						p = end - 1;
					}
				}
				if (last)
					named_records[nnamed++] = last;
			}
		}
		fclose(notes);
	}
	rc = live_mode ? live(ex, n, named_records, nnamed, out, err) : 0;
	free_all(ex, n);
	return rc;
}
