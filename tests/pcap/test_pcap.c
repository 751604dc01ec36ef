/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The capture reader and writer (replay/), without tshark:
 *
 *   writer    the conversation of conv.h written, read back byte for byte,
 *             with the file and record headers checked against the format
 *   variants  the same records as LINUX_SLL, LINUX_SLL2, a big-endian pcap
 *             file, an opposite-endian payload, and pcapng with two
 *             interfaces: the same messages come out
 *   swap      a message built by hand in both byte orders: ctnl_nl_swap()
 *             turns one into the other; unknowns counted; bad input refused
 *   matching  replies get their request; the table evicts the oldest;
 *             0x0103 is judged by its request
 *   corrupt   the file cut at every byte, a truncated record, a wrong link
 *             type, a netlink length past its record, zero-length messages,
 *             bad cooked headers: each gives its documented error, names
 *             its record, and the rest of the file is still read
 *
 * argv[1]: tests/fixtures.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <ctnl/exp.h>

#include "conv.h"

static const char *fixtures_dir;
static char tmpdir[] = "/tmp/ctnl-pcap-XXXXXX";
static struct conv conv;
static char conv_path[4200];

/* ---- what the reader gave ---- */

struct gmsg {
	uint64_t record, req_record;
	uint32_t index, len;
	uint8_t kind, role, dir, swapped, guessed, has_req;
	uint16_t pkttype, family, linktype;
	struct timespec ts;
	uint8_t *data;
};

struct got {
	int open_rc;
	size_t n, cap;
	struct gmsg *m;
	size_t nerr;
	struct ctnl_pcap_err err[4096];
	struct ctnl_pcap_stats st;
};

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->m[i].data);
	free(g->m);
	free(g);
}

/* path, or (path NULL) the descriptor fd */
static struct got *read_any(const char *path, int fd, unsigned flags, uint32_t slots)
{
	struct ctnl_pcap_opts o = { .size = sizeof(o), .flags = flags, .req_slots = slots };
	struct got *g = calloc(1, sizeof(*g));
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_err e;
	int rc;

	g->open_rc = path ? ctnl_pcap_open(path, &o, &r, &e) : ctnl_pcap_fdopen(fd, &o, &r, &e);
	if (g->open_rc < 0) {
		g->err[g->nerr++] = e;
		return g;
	}
	while ((rc = ctnl_pcap_next(r, &m, &e)) != 0) {
		struct gmsg *x;

		if (rc < 0) {
			if (g->nerr < sizeof(g->err) / sizeof(g->err[0]))
				g->err[g->nerr] = e;
			g->nerr++;
			continue;
		}
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 256;
			g->m = realloc(g->m, g->cap * sizeof(*g->m));
		}
		x = &g->m[g->n++];
		x->record = m.record;
		x->index = m.index;
		x->len = (uint32_t)m.len;
		x->kind = (uint8_t)m.kind;
		x->role = (uint8_t)m.role;
		x->dir = (uint8_t)m.dir;
		x->swapped = m.swapped;
		x->guessed = m.guessed;
		x->has_req = (uint8_t)m.has_req;
		x->req_record = m.req.record;
		x->pkttype = m.pkttype;
		x->family = m.family;
		x->linktype = m.linktype;
		x->ts = m.ts;
		x->data = malloc(m.len);
		memcpy(x->data, m.data, m.len);
	}
	CU_ASSERT_EQUAL(ctnl_pcap_next(r, &m, &e), 0);       /* stays at the end */
	ctnl_pcap_stats(r, &g->st);
	ctnl_pcap_close(r);
	return g;
}

static struct got *read_all(const char *path, unsigned flags, uint32_t slots)
{
	return read_any(path, -1, flags, slots);
}

/* ---- what the conversation holds ---- */

struct want {
	uint64_t record;
	uint32_t index;
	const uint8_t *data;
	uint32_t len;
};

static size_t want_list(const struct conv *c, struct want **out)
{
	size_t n = 0, cap = 256;
	struct want *w = malloc(cap * sizeof(*w));

	for (size_t i = 0; i < c->n; i++) {
		struct ctnl_stream s;
		const uint8_t *msg;
		size_t ml;

		ctnl_stream_init(&s, c->rec[i].buf, c->rec[i].len);
		while (ctnl_stream_next(&s, &msg, &ml, NULL) == 1) {
			if (n == cap)
				w = realloc(w, (cap *= 2) * sizeof(*w));
			w[n].record = i + 1;
			w[n].index = s.index - 1;
			w[n].data = msg;
			w[n].len = (uint32_t)ml;
			n++;
		}
	}
	*out = w;
	return n;
}

/* ---- raw pcap and pcapng files, written by hand ---- */

static void put(FILE *f, const void *p, size_t n)
{
	CU_ASSERT_FATAL(fwrite(p, 1, n, f) == n);
}

static void put32(FILE *f, uint32_t v, int swap)
{
	v = swap ? __builtin_bswap32(v) : v;
	put(f, &v, 4);
}

static void put16(FILE *f, uint16_t v, int swap)
{
	v = swap ? __builtin_bswap16(v) : v;
	put(f, &v, 2);
}

static void pcap_file_header(FILE *f, uint32_t linktype, int swap)
{
	put32(f, 0xa1b23c4d, swap);                 /* nanosecond pcap */
	put16(f, 2, swap);
	put16(f, 4, swap);
	put32(f, 0, swap);
	put32(f, 0, swap);
	put32(f, CTNL_PCAP_SNAPLEN, swap);
	put32(f, linktype, swap);
}

static void pcap_record(FILE *f, int swap, uint32_t sec, uint32_t nsec, const uint8_t *d, uint32_t caplen,
			uint32_t len)
{
	put32(f, sec, swap);
	put32(f, nsec, swap);
	put32(f, caplen, swap);
	put32(f, len, swap);
	put(f, d, caplen);
}

static void be16put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The link-layer header of one record; returns its length. */
static size_t cooked(uint8_t *o, uint32_t linktype, uint16_t hatype, uint16_t family)
{
	if (linktype == CTNL_LINKTYPE_LINUX_SLL2) {
		memset(o, 0, 20);
		be16put(o, family);
		o[4] = 0, o[5] = 0, o[6] = 0, o[7] = 7;     /* if_index 7 */
		be16put(o + 8, hatype);
		o[10] = 4;                                  /* PACKET_OUTGOING */
		return 20;
	}
	memset(o, 0, 16);
	be16put(o, 4);
	be16put(o + 2, hatype);
	be16put(o + 14, family);
	return 16;
}

/* How a variant changes a record: return 0 to keep it as is. */
struct variant {
	uint32_t linktype;
	int swap_file;                     /* big-endian pcap header fields (on this little-endian host) */
	int swap_payload;                  /* netlink bytes as an opposite-endian host wrote them */
	uint16_t hatype;                   /* 0: 824 */
	/* edit record i (1-based): buffer (cap bytes), its length, what is captured of it */
	void (*edit)(uint64_t rec, uint8_t *buf, size_t *len, size_t *caplen);
};

/* The payload as an opposite-endian host would have written it. */
static size_t swap_payload(const uint8_t *in, size_t len, uint8_t *out)
{
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t ml;

	memcpy(out, in, len);
	ctnl_stream_init(&s, in, len);
	while (ctnl_stream_next(&s, &msg, &ml, NULL) == 1) {
		uint16_t type, flags;
		const struct ctnl_nest_desc *d = NULL;

		memcpy(&type, msg + 4, 2);
		memcpy(&flags, msg + 6, 2);
		if (ctnl_ct_is_entry_type(type) && !(type == 0x0103 && !(flags & NLM_F_REQUEST)))
			d = ctnl_ct_desc();
		else if (ctnl_exp_is_entry_type(type))
			d = ctnl_exp_desc();
		CU_ASSERT_FATAL(ctnl_nl_swap_to_foreign(msg, ml, out + (msg - in), d, NULL, NULL) == 0);
	}
	return len;
}

static void write_variant(const char *path, const struct conv *c, const struct variant *v)
{
	FILE *f = fopen(path, "wb");
	static uint8_t buf[CTNL_PCAP_SNAPLEN + 64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pcap_file_header(f, v->linktype, v->swap_file);
	for (size_t i = 0; i < c->n; i++) {
		size_t hl = cooked(buf, v->linktype, v->hatype ? v->hatype : CTNL_ARPHRD_NETLINK, 12);
		size_t len, caplen;

		if (v->swap_payload)
			len = swap_payload(c->rec[i].buf, c->rec[i].len, buf + hl);
		else
			memcpy(buf + hl, c->rec[i].buf, len = c->rec[i].len);
		len += hl;
		caplen = len;
		if (v->edit)
			v->edit(i + 1, buf, &len, &caplen);
		pcap_record(f, v->swap_file, 1795925776 + (uint32_t)i, 500, buf, (uint32_t)caplen, (uint32_t)len);
	}
	CU_ASSERT_FATAL(fclose(f) == 0);
}

/* Everything in the conversation came out, byte for byte and in order. */
static void check_all_messages(const struct got *g, int swapped)
{
	struct want *w;
	size_t n = want_list(&conv, &w);

	CU_ASSERT_EQUAL(g->open_rc, 0);
	CU_ASSERT_EQUAL(g->nerr, 0);
	for (size_t i = 0; i < g->nerr && i < 5; i++) {
		char line[300];

		ctnl_pcap_err_format(&g->err[i], line, sizeof(line));
		fprintf(stderr, "unexpected: %s\n", line);
	}
	CU_ASSERT_EQUAL_FATAL(g->n, n);
	CU_ASSERT_EQUAL(n, conv.msgs);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(g->m[i].record, w[i].record);
		CU_ASSERT_EQUAL(g->m[i].index, w[i].index);
		CU_ASSERT_EQUAL(g->m[i].swapped, swapped);
		CU_ASSERT_EQUAL_FATAL(g->m[i].len, w[i].len);
		if (memcmp(g->m[i].data, w[i].data, w[i].len) != 0) {
			fprintf(stderr, "record %llu message %u differs\n", (unsigned long long)w[i].record, w[i].index);
			CU_FAIL("message bytes differ");
		}
	}
	CU_ASSERT_EQUAL(g->st.records, conv.n);
	CU_ASSERT_EQUAL(g->st.messages, n);
	CU_ASSERT_EQUAL(g->st.returned, n);
	CU_ASSERT_EQUAL(g->st.records_swapped, swapped ? conv.n : 0);
	CU_ASSERT_EQUAL(g->st.replies_unmatched, 0);
	CU_ASSERT_EQUAL(g->st.requests_evicted, 0);
	CU_ASSERT_EQUAL(g->st.swap_unknown, 0);
	free(w);
}

/* ---- writer ---- */

static void test_writer_roundtrip(void)
{
	struct got *g = read_all(conv_path, 0, 0);
	uint8_t head[24 + 16 + 16];
	FILE *f = fopen(conv_path, "rb");
	uint32_t u32;
	unsigned exp_stats = 0, acks = 0, errors = 0, dones = 0;

	check_all_messages(g, 0);

	/* file header: nanosecond magic, 2.4, snaplen, LINKTYPE_NETLINK;
	 * the first record's cooked header as the nlmon tap makes it */
	CU_ASSERT_FATAL(f && fread(head, 1, sizeof(head), f) == sizeof(head));
	fclose(f);
	memcpy(&u32, head, 4);
	CU_ASSERT_EQUAL(u32, 0xa1b23c4d);
	memcpy(&u32, head + 16, 4);
	CU_ASSERT_EQUAL(u32, CTNL_PCAP_SNAPLEN);
	memcpy(&u32, head + 20, 4);
	CU_ASSERT_EQUAL(u32, 253);
	{
		static const uint8_t want[16] = { 0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12 };

		CU_ASSERT(memcmp(head + 40, want, 16) == 0);
	}

	for (size_t i = 0; i < g->n; i++) {
		const struct gmsg *m = &g->m[i];
		uint16_t type, flags;

		memcpy(&type, m->data + 4, 2);
		memcpy(&flags, m->data + 6, 2);
		CU_ASSERT_EQUAL(m->linktype, 253);
		CU_ASSERT_EQUAL(m->family, 12);
		CU_ASSERT_EQUAL(m->pkttype, 4);
		/* the time stamps conv_write gave, to the nanosecond */
		CU_ASSERT_EQUAL(m->ts.tv_sec, 1795925776 + (time_t)((m->record - 1) / 1000));
		CU_ASSERT_EQUAL(m->ts.tv_nsec, (long)((m->record - 1) % 1000) * 1000000 + 123);
		CU_ASSERT_EQUAL(m->dir, (flags & NLM_F_REQUEST) ? CTNL_DIR_TO_KERNEL : CTNL_DIR_TO_USER);
		if (m->role == CTNL_ROLE_REPLY) {
			CU_ASSERT(m->has_req);
			CU_ASSERT(m->req_record < m->record);
		}
		if (m->role == CTNL_ROLE_EVENT)
			CU_ASSERT(!m->has_req && !(flags & NLM_F_MULTI));
		if (type == 0x0103 && m->role == CTNL_ROLE_REPLY) {
			CU_ASSERT_EQUAL(m->kind, CTNL_PK_EXP_STATS_CPU);
			CU_ASSERT_EQUAL(m->guessed, 0);
			exp_stats++;
		}
		acks += m->kind == CTNL_PK_ACK;
		errors += m->kind == CTNL_PK_ERROR;
		dones += m->kind == CTNL_PK_DONE;
	}
	CU_ASSERT_EQUAL(exp_stats, conv.exp_stats_replies);
	CU_ASSERT_EQUAL(acks, 4);
	CU_ASSERT_EQUAL(errors, 1);
	CU_ASSERT_EQUAL(dones, 17);
	got_free(g);
}

/* A buffer above the snaplen is cut and recorded with its full length;
 * the reader then reports the record as truncated. */
static void test_writer_snaplen(void)
{
	char path[4300];
	struct ctnl_pcap_writer *w;
	size_t big = CTNL_PCAP_SNAPLEN + 1000, at = 0;
	uint8_t *b = calloc(1, big);
	struct got *g;
	unsigned whole = 0;

	/* DONE-sized messages back to back */
	while (at + 20 <= big) {
		conv_hdr(b + at, 20, NLMSG_DONE, NLM_F_MULTI, 1, 2, -1, 0);
		at += 20;
		if (at + 16 <= CTNL_PCAP_SNAPLEN)
			whole++;
	}
	snprintf(path, sizeof(path), "%s/big.pcap", tmpdir);
	CU_ASSERT_EQUAL_FATAL(ctnl_pcap_writer_open(path, &w, NULL), 0);
	CU_ASSERT_EQUAL(ctnl_pcap_write(w, b, at, 12, NULL), 0);
	CU_ASSERT_EQUAL(ctnl_pcap_write(w, NULL, 4, 12, NULL), -EINVAL);
	CU_ASSERT_EQUAL(ctnl_pcap_writer_close(w), 0);
	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->n, (CTNL_PCAP_SNAPLEN - 16) / 20);
	CU_ASSERT_EQUAL_FATAL(g->nerr, 1);
	CU_ASSERT_EQUAL(g->err[0].code, -ENODATA);
	CU_ASSERT_EQUAL(g->err[0].fault, CTNL_PCAP_F_TRUNCATED);
	CU_ASSERT_EQUAL(g->err[0].record, 1);
	(void)whole;
	got_free(g);
	free(b);
}

static void test_open_errors(void)
{
	struct ctnl_pcap_reader *r = (void *)1;
	struct ctnl_pcap_writer *w = (void *)1;
	struct ctnl_pcap_err e;
	struct ctnl_pcap_opts o = { .size = sizeof(o), .req_slots = CTNL_PCAP_REQ_SLOTS_MAX + 1 };
	char path[4300], line[256];
	FILE *f;

	CU_ASSERT_EQUAL(ctnl_pcap_open("/nonexistent/x.pcap", NULL, &r, &e), -ENOENT);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_EQUAL(e.record, 0);
	ctnl_pcap_err_format(&e, line, sizeof(line));
	CU_ASSERT(strstr(line, "capture: /nonexistent/x.pcap") == line);

	snprintf(path, sizeof(path), "%s/text.pcap", tmpdir);
	f = fopen(path, "w");
	fputs("this is not a capture file, just text\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(ctnl_pcap_open(path, NULL, &r, &e), -EINVAL);
	CU_ASSERT(strlen(e.what) > 0);
	CU_ASSERT_EQUAL(ctnl_pcap_open(conv_path, &o, &r, &e), -EINVAL);
	o.size = 4;
	CU_ASSERT_EQUAL(ctnl_pcap_open(conv_path, &o, &r, &e), -EINVAL);
	CU_ASSERT_EQUAL(ctnl_pcap_writer_open("/nonexistent/dir/x.pcap", &w, &e), -ENOENT);
	CU_ASSERT_PTR_NULL(w);
	ctnl_pcap_close(NULL);
	CU_ASSERT_EQUAL(ctnl_pcap_writer_close(NULL), 0);
}

/* A reader on a pipe: streaming needs no seekable file. */
static void test_fdopen_pipe(void)
{
	int fds[2];
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_writer *w;
	struct ctnl_pcap_msg m;
	uint8_t done[20];
	int n = 0, rc;

	CU_ASSERT_FATAL(pipe(fds) == 0);
	CU_ASSERT_EQUAL_FATAL(ctnl_pcap_writer_fdopen(fds[1], &w, NULL), 0);
	conv_hdr(done, 20, NLMSG_DONE, NLM_F_MULTI, 5, 6, -1, 0);
	memset(done + 16, 0, 4);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(ctnl_pcap_write(w, done, 20, 12, NULL), 0);
	CU_ASSERT_EQUAL(ctnl_pcap_writer_close(w), 0);           /* closes fds[1] */
	CU_ASSERT_EQUAL_FATAL(ctnl_pcap_fdopen(fds[0], NULL, &r, NULL), 0);
	while ((rc = ctnl_pcap_next(r, &m, NULL)) == 1) {
		CU_ASSERT_EQUAL(m.kind, CTNL_PK_DONE);
		CU_ASSERT_EQUAL(m.has_req, 0);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, 10);
	ctnl_pcap_close(r);
}

/* ---- the same records in other forms ---- */

static void check_variant(const struct variant *v, int swapped)
{
	char path[4300];
	struct got *g;

	snprintf(path, sizeof(path), "%s/variant.pcap", tmpdir);
	write_variant(path, &conv, v);
	g = read_all(path, 0, 0);
	check_all_messages(g, swapped);
	if (g->n) {
		CU_ASSERT_EQUAL(g->m[0].linktype, v->linktype);
		CU_ASSERT_EQUAL(g->m[0].ts.tv_nsec, 500);
	}
	got_free(g);
}

static void test_variants(void)
{
	struct variant v253 = { .linktype = 253 };
	struct variant sll = { .linktype = 113 };
	struct variant sll2 = { .linktype = 276 };
	struct variant bigfile = { .linktype = 253, .swap_file = 1 };
	struct variant other = { .linktype = 253, .swap_payload = 1 };
	struct variant other_sll2_bigfile = { .linktype = 276, .swap_file = 1, .swap_payload = 1 };

	check_variant(&v253, 0);
	check_variant(&sll, 0);
	check_variant(&sll2, 0);
	check_variant(&bigfile, 0);
	check_variant(&other, 1);
	check_variant(&other_sll2_bigfile, 1);
}

/* The opposite-endian file decodes to the same conntrack entries (the
 * JSON of every message equal), and with CTNL_PCAP_NO_SWAP the bytes stay
 * as captured. */
static void test_swapped_decode(void)
{
	char path[4300];
	struct variant other = { .linktype = 253, .swap_payload = 1 };
	struct got *a, *b, *raw;
	static char ja[65536], jb[65536];
	unsigned decoded = 0;

	snprintf(path, sizeof(path), "%s/other-endian.pcap", tmpdir);
	write_variant(path, &conv, &other);
	a = read_all(conv_path, 0, 0);
	b = read_all(path, 0, 0);
	raw = read_all(path, CTNL_PCAP_NO_SWAP, 0);
	CU_ASSERT_EQUAL_FATAL(a->n, b->n);
	CU_ASSERT_EQUAL_FATAL(a->n, raw->n);
	for (size_t i = 0; i < a->n; i++) {
		struct ctnl_ct_msg ma, mb;

		CU_ASSERT_EQUAL(a->m[i].kind, b->m[i].kind);
		CU_ASSERT_EQUAL(a->m[i].role, b->m[i].role);
		CU_ASSERT_EQUAL(raw->m[i].swapped, 1);
		if (a->m[i].len >= 20)
			CU_ASSERT(memcmp(raw->m[i].data, a->m[i].data, 4) != 0);  /* nlmsg_len as captured */
		if (a->m[i].kind != CTNL_PK_CT)
			continue;
		CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(a->m[i].data, a->m[i].len, &ma, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(b->m[i].data, b->m[i].len, &mb, NULL), 0);
		ctnl_ct_json(ja, sizeof(ja), &ma, NULL);
		ctnl_ct_json(jb, sizeof(jb), &mb, NULL);
		CU_ASSERT_STRING_EQUAL(ja, jb);
		decoded++;
	}
	CU_ASSERT(decoded > 50);
	got_free(a);
	got_free(b);
	got_free(raw);
}

/* pcapng: a section with two nlmon interfaces (nanosecond and the default
 * microsecond resolution), records alternating between them. */
static void pcapng_block(FILE *f, uint32_t type, const uint8_t *body, uint32_t blen)
{
	uint32_t total = 12 + ((blen + 3) & ~3u);
	static const uint8_t zero[4];

	put32(f, type, 0);
	put32(f, total, 0);
	put(f, body, blen);
	put(f, zero, ((blen + 3) & ~3u) - blen);
	put32(f, total, 0);
}

static void write_pcapng(const char *path, uint16_t second_linktype)
{
	FILE *f = fopen(path, "wb");
	uint8_t b[CTNL_PCAP_SNAPLEN + 64];
	uint32_t u;
	uint16_t h;
	uint64_t ll;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	/* SHB: byte-order magic, version 1.0, section length unknown */
	u = 0x1a2b3c4d;
	memcpy(b, &u, 4);
	h = 1;
	memcpy(b + 4, &h, 2);
	h = 0;
	memcpy(b + 6, &h, 2);
	ll = (uint64_t)-1;
	memcpy(b + 8, &ll, 8);
	pcapng_block(f, 0x0a0d0d0a, b, 16);
	/* IDB 0: 253, if_tsresol 9; IDB 1: second_linktype, default (6) */
	for (int i = 0; i < 2; i++) {
		uint32_t n = 8;

		h = i ? second_linktype : 253;
		memcpy(b, &h, 2);
		h = 0;
		memcpy(b + 2, &h, 2);
		u = CTNL_PCAP_SNAPLEN;
		memcpy(b + 4, &u, 4);
		if (i == 0) {
			h = 9;                              /* if_tsresol */
			memcpy(b + n, &h, 2);
			h = 1;
			memcpy(b + n + 2, &h, 2);
			b[n + 4] = 9;
			b[n + 5] = b[n + 6] = b[n + 7] = 0;
			n += 8;
			memset(b + n, 0, 4);                /* opt_endofopt */
			n += 4;
		}
		pcapng_block(f, 1, b, n);
	}
	for (size_t i = 0; i < conv.n; i++) {
		uint32_t ifc = (uint32_t)(i % 2), len = (uint32_t)(16 + conv.rec[i].len);
		/* 1795925776.000000500 s in the interface's units */
		uint64_t t = ifc == 0 ? (1795925776ull + i) * 1000000000ull + 500 : (1795925776ull + i) * 1000000ull;

		memcpy(b, &ifc, 4);
		u = (uint32_t)(t >> 32);
		memcpy(b + 4, &u, 4);
		u = (uint32_t)t;
		memcpy(b + 8, &u, 4);
		memcpy(b + 12, &len, 4);
		memcpy(b + 16, &len, 4);
		cooked(b + 20, 253, CTNL_ARPHRD_NETLINK, 12);
		memcpy(b + 36, conv.rec[i].buf, conv.rec[i].len);
		pcapng_block(f, 6, b, 20 + len);
	}
	CU_ASSERT_FATAL(fclose(f) == 0);
}

static void test_pcapng(void)
{
	char path[4300];
	struct got *g;

	snprintf(path, sizeof(path), "%s/two-idb.pcapng", tmpdir);
	write_pcapng(path, 253);
	g = read_all(path, 0, 0);
	check_all_messages(g, 0);
	for (size_t i = 0; i < g->n; i++) {
		CU_ASSERT_EQUAL(g->m[i].ts.tv_sec, (time_t)(1795925776 + g->m[i].record - 1));
		CU_ASSERT_EQUAL(g->m[i].ts.tv_nsec, (g->m[i].record - 1) % 2 == 0 ? 500 : 0);
	}
	got_free(g);

	/* An Ethernet interface after the nlmon one: libpcap 1.10 refuses a
	 * second link type at its IDB; the reader reports it as a damaged
	 * file after the first record, and stops. */
	write_pcapng(path, 1);
	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->open_rc, 0);
	CU_ASSERT_EQUAL_FATAL(g->nerr, 1);
	CU_ASSERT_EQUAL(g->err[0].fault, CTNL_PCAP_F_FILE);
	CU_ASSERT_EQUAL(g->err[0].code, -EIO);
	got_free(g);
}

/* ---- swap ---- */

/* A tiny builder in either byte order, independent of the library. */
struct mb {
	uint8_t b[512];
	size_t len;
	int be;
	size_t nest[8];
	int depth;
};

static void mb_u16(struct mb *m, uint16_t v)
{
	if (m->be) {
		m->b[m->len] = (uint8_t)(v >> 8);
		m->b[m->len + 1] = (uint8_t)v;
	} else {
		m->b[m->len] = (uint8_t)v;
		m->b[m->len + 1] = (uint8_t)(v >> 8);
	}
	m->len += 2;
}

static void mb_u32(struct mb *m, uint32_t v)
{
	if (m->be) {
		mb_u16(m, (uint16_t)(v >> 16));
		mb_u16(m, (uint16_t)v);
	} else {
		mb_u16(m, (uint16_t)v);
		mb_u16(m, (uint16_t)(v >> 16));
	}
}

static void mb_bytes(struct mb *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
	while (m->len % 4)
		m->b[m->len++] = 0;
}

static void mb_attr(struct mb *m, uint16_t type, const void *p, size_t n)
{
	mb_u16(m, (uint16_t)(4 + n));
	mb_u16(m, type);
	mb_bytes(m, p, n);
}

static void mb_nest(struct mb *m, uint16_t type)
{
	m->nest[m->depth++] = m->len;
	mb_u16(m, 0);
	mb_u16(m, type | 0x8000);
}

static void mb_end(struct mb *m)
{
	size_t at = m->nest[--m->depth], save = m->len;

	m->len = at;
	mb_u16(m, (uint16_t)(save - at));
	m->len = save;
}

static void mb_msg_end(struct mb *m)
{
	size_t save = m->len;

	m->len = 0;
	mb_u32(m, (uint32_t)save);
	m->len = save;
}

/* A conntrack request with tuples, a host-order CTA_FILTER value, an
 * unknown attribute and an unknown nest. */
static void build_ct_request(struct mb *m, int be)
{
	static const uint8_t src[4] = { 1, 2, 3, 4 }, dst[4] = { 5, 6, 7, 8 };
	static const uint8_t tcp = 6, port1[2] = { 0x04, 0xd2 }, port2[2] = { 0, 80 }, be32[4] = { 0, 0, 0, 42 };
	uint8_t flags[4];

	memset(m, 0, sizeof(*m));
	m->be = be;
	mb_u32(m, 0);                                   /* nlmsg_len, set at the end */
	mb_u16(m, 0x0101);
	mb_u16(m, NLM_F_REQUEST | NLM_F_DUMP);
	mb_u32(m, 0x01020304);
	mb_u32(m, 0);
	mb_bytes(m, (const uint8_t[]){ AF_INET, 0, 0, 0 }, 4);
	mb_nest(m, CTA_TUPLE_ORIG);
	mb_nest(m, CTA_TUPLE_IP);
	mb_attr(m, CTA_IP_V4_SRC, src, 4);
	mb_attr(m, CTA_IP_V4_DST, dst, 4);
	mb_end(m);
	mb_nest(m, CTA_TUPLE_PROTO);
	mb_attr(m, CTA_PROTO_NUM, &tcp, 1);
	mb_attr(m, CTA_PROTO_SRC_PORT, port1, 2);
	mb_attr(m, CTA_PROTO_DST_PORT, port2, 2);
	mb_end(m);
	mb_end(m);
	mb_attr(m, CTA_MARK, be32, 4);
	mb_nest(m, CTA_FILTER);
	{
		uint32_t v = 0x0000000f;
		struct mb t = { .be = be };

		mb_u32(&t, v);
		memcpy(flags, t.b, 4);
	}
	mb_attr(m, CTA_FILTER_ORIG_FLAGS, flags, 4);
	mb_end(m);
	mb_attr(m, 29, be32, 4);                        /* unknown, left alone */
	mb_nest(m, 30);                                 /* unknown nest: walked by NLA_F_NESTED */
	mb_attr(m, 1, be32, 4);
	mb_end(m);
	mb_msg_end(m);
}

static void test_swap_known(void)
{
	struct mb be, le;
	uint8_t out[512];
	struct ctnl_swap_info info = { 0 };
	struct ctnl_ct_msg ct;
	struct ctnl_err err = { 0 };

	build_ct_request(&be, 1);
	build_ct_request(&le, 0);
	CU_ASSERT_EQUAL_FATAL(be.len, le.len);
	CU_ASSERT_EQUAL(ctnl_nl_endian(be.b, be.len), 1);
	CU_ASSERT_EQUAL(ctnl_nl_endian(le.b, le.len), 0);
	CU_ASSERT_EQUAL(ctnl_nl_swap(be.b, be.len, out, ctnl_ct_desc(), &info, NULL), 0);
	CU_ASSERT(memcmp(out, le.b, le.len) == 0);
	CU_ASSERT_EQUAL(info.unknown, 2);               /* type 29 and the attribute inside 30 */
	CU_ASSERT_EQUAL(info.attrs, 14);
	/* in place, and back */
	CU_ASSERT_EQUAL(ctnl_nl_swap_to_foreign(out, le.len, out, ctnl_ct_desc(), NULL, NULL), 0);
	CU_ASSERT(memcmp(out, be.b, be.len) == 0);
	CU_ASSERT_EQUAL(ctnl_nl_swap(out, be.len, out, ctnl_ct_desc(), NULL, NULL), 0);
	CU_ASSERT(memcmp(out, le.b, le.len) == 0);

	CU_ASSERT_EQUAL_FATAL(ctnl_ct_decode(le.b, le.len, &ct, &err), 0);
	CU_ASSERT_EQUAL(ct.ct.orig.proto.src_port, 1234);
	CU_ASSERT_EQUAL(ct.ct.mark, 42);
	CU_ASSERT_EQUAL(ct.ct.filter.orig_flags, 0xf);
	CU_ASSERT_EQUAL(ct.hdr.seq, 0x01020304);

	/* without a description the host-order CTA_FILTER value stays as is */
	memset(&info, 0, sizeof(info));
	CU_ASSERT_EQUAL(ctnl_nl_swap(be.b, be.len, out, NULL, &info, NULL), 0);
	CU_ASSERT(memcmp(out, le.b, le.len) != 0);
	CU_ASSERT_EQUAL(info.unknown, 9);              /* every attribute not a nest */
}

static void test_swap_control(void)
{
	struct mb be, le, req;
	uint8_t out[512];
	static const char text[] = "bad";

	/* NLMSG_ERROR: code, echoed request (with attributes), OFFS TLV */
	build_ct_request(&req, 1);
	for (int pass = 0; pass < 2; pass++) {
		struct mb *m = pass ? &le : &be;
		struct mb r;

		build_ct_request(&r, pass == 0);
		memset(m, 0, sizeof(*m));
		m->be = pass == 0;
		mb_u32(m, 0);
		mb_u16(m, NLMSG_ERROR);
		mb_u16(m, NLM_F_ACK_TLVS);
		mb_u32(m, 9);
		mb_u32(m, 77);
		mb_u32(m, (uint32_t)-EINVAL);
		mb_bytes(m, r.b, r.len);
		mb_attr(m, NLMSGERR_ATTR_MSG, text, sizeof(text));
		{
			struct mb t = { .be = pass == 0 };

			mb_u32(&t, 36);
			mb_attr(m, NLMSGERR_ATTR_OFFS, t.b, 4);
		}
		mb_msg_end(m);
	}
	CU_ASSERT_EQUAL(ctnl_nl_swap(be.b, be.len, out, NULL, NULL, NULL), 0);
	CU_ASSERT(memcmp(out, le.b, le.len) == 0);
	CU_ASSERT_EQUAL(ctnl_nl_swap_to_foreign(le.b, le.len, out, NULL, NULL, NULL), 0);
	CU_ASSERT(memcmp(out, be.b, be.len) == 0);
	CU_ASSERT_EQUAL(ctnl_nl_swap(be.b, be.len, out, NULL, NULL, NULL), 0);
	{
		struct ctnl_nlerr e;

		CU_ASSERT_EQUAL_FATAL(ctnl_nlerr_parse(out, le.len, &e, NULL), 0);
		CU_ASSERT_EQUAL(e.error, -EINVAL);
		CU_ASSERT_EQUAL(e.req.seq, 0x01020304);
		CU_ASSERT_EQUAL(e.ext_offset, 36);
	}

	/* NLMSG_DONE: its int */
	for (int pass = 0; pass < 2; pass++) {
		struct mb *m = pass ? &le : &be;

		memset(m, 0, sizeof(*m));
		m->be = pass == 0;
		mb_u32(m, 20);
		mb_u16(m, NLMSG_DONE);
		mb_u16(m, NLM_F_MULTI);
		mb_u32(m, 1);
		mb_u32(m, 2);
		mb_u32(m, (uint32_t)-EINTR);
	}
	CU_ASSERT_EQUAL(ctnl_nl_swap(be.b, be.len, out, NULL, NULL, NULL), 0);
	CU_ASSERT(memcmp(out, le.b, 20) == 0);
}

static void test_swap_bad(void)
{
	struct mb be;
	uint8_t out[512];
	struct ctnl_err err = { 0 };

	build_ct_request(&be, 1);
	/* every shorter length: refused or handled, never read past */
	for (size_t l = 0; l < be.len; l++) {
		uint8_t *copy = malloc(l ? l : 1);
		int rc;

		memcpy(copy, be.b, l);
		rc = ctnl_nl_swap(copy, l, out, ctnl_ct_desc(), NULL, &err);
		CU_ASSERT(rc == 0 || rc == -EBADMSG);
		if (l < 16)
			CU_ASSERT_EQUAL(rc, -EBADMSG);
		free(copy);
	}
	/* an attribute length past its nest */
	memcpy(out, be.b, be.len);
	out[20] = 0x7f;                                     /* CTA_TUPLE_ORIG's nla_len, big-endian high byte */
	CU_ASSERT_EQUAL(ctnl_nl_swap(out, be.len, out, ctnl_ct_desc(), NULL, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.offset, 20);

	/* nests deeper than CTNL_MAX_DEPTH */
	{
		struct mb m = { .be = 1 };
		uint8_t one[4] = { 0 };

		mb_u32(&m, 0);
		mb_u16(&m, 0x0101);
		mb_u16(&m, NLM_F_REQUEST);
		mb_u32(&m, 1);
		mb_u32(&m, 0);
		mb_bytes(&m, one, 4);
		for (int i = 0; i < 8; i++)
			mb_nest(&m, 30);
		mb_attr(&m, 1, one, 4);
		for (int i = 0; i < 8; i++)
			mb_end(&m);
		mb_msg_end(&m);
		CU_ASSERT_EQUAL(ctnl_nl_swap(m.b, m.len, out, NULL, NULL, &err), -EBADMSG);
		CU_ASSERT(strstr(err.what, "deeper") != NULL);
	}
}

/* ---- matching ---- */

static void add_msg(struct conv *c, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid, int stats)
{
	uint8_t b[64];
	size_t n = conv_hdr(b, 0, type, flags, seq, pid, type >= 16 ? AF_INET : -1, 0);

	if (type < 16) {
		memset(b + n, 0, 20);
		n = type == NLMSG_ERROR ? 36 : 20;
	}
	if (stats) {
		n += conv_be32_attr(b + n, 1, 5);
		n += conv_be32_attr(b + n, 2, 3);
	}
	memcpy(b, &(uint32_t){ (uint32_t)n }, 4);
	conv_add(c, b, n);
}

static void test_matching(void)
{
	struct conv c = { 0 };
	char path[4300];
	struct got *g;
	const uint16_t get = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, ctr = 0x0103, expcpu = 0x0203;

	/* 1-3: three unanswered requests in a 2-slot table: seq 1 evicted */
	add_msg(&c, get, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, 0);
	add_msg(&c, get, NLM_F_REQUEST | NLM_F_DUMP, 2, 0, 0);
	add_msg(&c, get, NLM_F_REQUEST | NLM_F_DUMP, 3, 0, 0);
	add_msg(&c, NLMSG_DONE, NLM_F_MULTI, 1, 500, 0);       /* 4: unmatched */
	add_msg(&c, NLMSG_DONE, NLM_F_MULTI, 3, 500, 0);       /* 5: matches 3, frees it */
	add_msg(&c, NLMSG_DONE, NLM_F_MULTI, 3, 500, 0);       /* 6: 3 is answered already */
	/* 7-8: a request with a pid matches only that pid */
	add_msg(&c, expcpu, NLM_F_REQUEST | NLM_F_DUMP, 10, 77, 0);
	add_msg(&c, ctr, NLM_F_MULTI, 10, 78, 1);              /* 8: other pid: unmatched, guessed */
	add_msg(&c, ctr, NLM_F_MULTI, 10, 77, 1);              /* 9: exp stats, by its request */
	add_msg(&c, ctr, NLM_F_REQUEST | NLM_F_DUMP, 11, 0, 0); /* 10: a GET_CTRZERO request */
	add_msg(&c, 0x0100, NLM_F_MULTI, 11, 77, 0);           /* 11: its entry */
	add_msg(&c, 0x0100, 0, 0, 0, 0);                       /* 12: an event */
	add_msg(&c, NLMSG_ERROR, 0, 11, 77, 0);                /* 13: its ACK */

	snprintf(path, sizeof(path), "%s/match.pcap", tmpdir);
	CU_ASSERT_EQUAL_FATAL(conv_write(&c, path), 0);
	g = read_all(path, 0, 2);
	CU_ASSERT_EQUAL_FATAL(g->n, 13);
	CU_ASSERT_EQUAL(g->st.requests, 5);
	CU_ASSERT_EQUAL(g->st.requests_evicted, 2);       /* seq 1 by 3; seq 2 by 11 (10 took 3's slot) */
	CU_ASSERT_EQUAL(g->m[3].has_req, 0);
	CU_ASSERT_EQUAL(g->m[3].kind, CTNL_PK_DONE);
	CU_ASSERT_EQUAL(g->m[4].has_req, 1);
	CU_ASSERT_EQUAL(g->m[4].req_record, 3);
	CU_ASSERT_EQUAL(g->m[5].has_req, 0);
	CU_ASSERT_EQUAL(g->m[6].kind, CTNL_PK_EXP_STATS_CPU);
	CU_ASSERT_EQUAL(g->m[7].has_req, 0);
	CU_ASSERT_EQUAL(g->m[7].guessed, 1);
	CU_ASSERT_EQUAL(g->m[7].kind, CTNL_PK_EXP_STATS_CPU);  /* ctnl_msg_classify: flat BE32 attributes */
	CU_ASSERT_EQUAL(g->m[8].has_req, 1);
	CU_ASSERT_EQUAL(g->m[8].guessed, 0);
	CU_ASSERT_EQUAL(g->m[8].kind, CTNL_PK_EXP_STATS_CPU);
	CU_ASSERT_EQUAL(g->m[9].kind, CTNL_PK_CT);
	CU_ASSERT_EQUAL(g->m[9].role, CTNL_ROLE_REQUEST);
	CU_ASSERT_EQUAL(g->m[10].kind, CTNL_PK_CT);
	CU_ASSERT_EQUAL(g->m[10].req_record, 10);
	CU_ASSERT_EQUAL(g->m[11].role, CTNL_ROLE_EVENT);
	CU_ASSERT_EQUAL(g->m[11].has_req, 0);
	CU_ASSERT_EQUAL(g->m[12].kind, CTNL_PK_ACK);
	CU_ASSERT_EQUAL(g->m[12].req_record, 10);
	CU_ASSERT_EQUAL(g->st.events, 1);
	CU_ASSERT_EQUAL(g->st.replies_matched, 4);
	CU_ASSERT_EQUAL(g->st.replies_unmatched, 3);
	got_free(g);

	/* the default table keeps all five */
	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->st.requests_evicted, 0);
	CU_ASSERT_EQUAL(g->m[3].has_req, 1);
	got_free(g);
	conv_free(&c);
}

/* Other families and subsystems: skipped and counted, or kept on request. */
static void test_skipped(void)
{
	struct conv c = { 0 };
	char path[4300];
	struct ctnl_pcap_writer *w;
	struct got *g;
	uint8_t b[64];

	add_msg(&c, 0x0101, NLM_F_REQUEST, 1, 0, 0);
	add_msg(&c, 0x0a00, NLM_F_REQUEST, 2, 0, 0);           /* nf_tables (subsystem 10) */
	snprintf(path, sizeof(path), "%s/skip.pcap", tmpdir);
	CU_ASSERT_EQUAL_FATAL(ctnl_pcap_writer_open(path, &w, NULL), 0);
	for (size_t i = 0; i < c.n; i++)
		ctnl_pcap_write(w, c.rec[i].buf, c.rec[i].len, 12, NULL);
	conv_hdr(b, 32, 18 /* RTM_GETLINK */, NLM_F_REQUEST | NLM_F_DUMP, 3, 0, -1, 0);
	memset(b + 16, 0, 16);
	ctnl_pcap_write(w, b, 32, 0 /* NETLINK_ROUTE */, NULL);
	CU_ASSERT_EQUAL(ctnl_pcap_writer_close(w), 0);

	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->n, 1);
	CU_ASSERT_EQUAL(g->nerr, 0);
	CU_ASSERT_EQUAL(g->st.messages, 3);
	CU_ASSERT_EQUAL(g->st.skipped_subsys, 1);
	CU_ASSERT_EQUAL(g->st.skipped_family, 1);
	got_free(g);
	g = read_all(path, CTNL_PCAP_KEEP_OTHER, 0);
	CU_ASSERT_EQUAL_FATAL(g->n, 3);
	CU_ASSERT_EQUAL(g->m[1].kind, CTNL_PK_OTHER);
	CU_ASSERT_EQUAL(g->m[2].kind, CTNL_PK_OTHER);
	CU_ASSERT_EQUAL(g->m[2].family, 0);
	CU_ASSERT_EQUAL(g->m[2].dir, CTNL_DIR_TO_KERNEL);
	got_free(g);
	conv_free(&c);
}

/* ---- corrupted captures ---- */

/* Messages of record rec (1-based) in the conversation, and the offset
 * of message i in its payload. */
static unsigned rec_msgs(uint64_t rec, unsigned i, size_t *off)
{
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t ml;
	unsigned n = 0;

	ctnl_stream_init(&s, conv.rec[rec - 1].buf, conv.rec[rec - 1].len);
	while (ctnl_stream_next(&s, &msg, &ml, NULL) == 1) {
		if (n == i && off)
			*off = (size_t)(msg - conv.rec[rec - 1].buf);
		n++;
	}
	return n;
}

/* The first record holding at least n messages. */
static uint64_t rec_with(unsigned n)
{
	for (uint64_t r = 1; r <= conv.n; r++)
		if (rec_msgs(r, 0, NULL) >= n)
			return r;
	CU_FAIL_FATAL("no such record");
	return 0;
}

enum edit_kind { E_NONE, E_CUT_IN_MSG1, E_CUT_AFTER_MSG0, E_CUT_COOKED, E_HATYPE, E_OVERRUN_MSG1, E_ZERO_MSG0,
		 E_ZERO_MSG1, E_ZERO_PAYLOAD, E_TRAILING, E_EMPTY };

static struct {
	uint64_t rec;
	enum edit_kind kind;
} edits[8];

static void set_u32h(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void apply_edits(uint64_t rec, uint8_t *buf, size_t *len, size_t *caplen)
{
	for (int i = 0; i < 8; i++) {
		size_t off = 0, hl = 16;

		if (edits[i].rec != rec)
			continue;
		switch (edits[i].kind) {
		case E_CUT_IN_MSG1:
			rec_msgs(rec, 1, &off);
			*caplen = hl + off + 10;
			break;
		case E_CUT_AFTER_MSG0:
			rec_msgs(rec, 1, &off);
			*caplen = hl + off;
			break;
		case E_CUT_COOKED:
			*caplen = 8;
			break;
		case E_HATYPE:
			buf[2] = 0;
			buf[3] = 1;                             /* ARPHRD_ETHER */
			break;
		case E_OVERRUN_MSG1:
			rec_msgs(rec, 1, &off);
			set_u32h(buf + hl + off, (uint32_t)(*len - hl - off + 4));
			break;
		case E_ZERO_MSG0:
			set_u32h(buf + hl, 0);
			break;
		case E_ZERO_MSG1:
			rec_msgs(rec, 1, &off);
			set_u32h(buf + hl + off, 0);
			break;
		case E_ZERO_PAYLOAD:
			memset(buf + hl, 0, *len - hl);
			break;
		case E_TRAILING:
			memset(buf + *len, 0xee, 8);
			*len += 8;
			*caplen = *len;
			break;
		case E_EMPTY:
			*len = *caplen = hl;
			break;
		case E_NONE:
			break;
		}
	}
}

/* Read a variant with edits; check that every record not edited came out
 * whole, and return the reader's result for the edited ones. */
static struct got *read_edited(uint32_t linktype)
{
	struct variant v = { .linktype = linktype, .edit = apply_edits };
	char path[4300];
	struct want *w;
	size_t n = want_list(&conv, &w), j = 0;
	struct got *g;

	snprintf(path, sizeof(path), "%s/edited.pcap", tmpdir);
	write_variant(path, &conv, &v);
	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->open_rc, 0);
	for (size_t i = 0; i < n; i++) {
		int edited = 0;

		for (int k = 0; k < 8; k++)
			edited |= edits[k].rec == w[i].record;
		while (j < g->n && g->m[j].record < w[i].record)
			j++;
		if (edited)
			continue;
		CU_ASSERT_FATAL(j < g->n);
		CU_ASSERT_EQUAL(g->m[j].record, w[i].record);
		CU_ASSERT_EQUAL(g->m[j].index, w[i].index);
		CU_ASSERT(g->m[j].len == w[i].len && memcmp(g->m[j].data, w[i].data, w[i].len) == 0);
		j++;
	}
	CU_ASSERT_EQUAL(g->st.records, conv.n);
	free(w);
	memset(edits, 0, sizeof(edits));
	return g;
}

static unsigned got_in(const struct got *g, uint64_t rec)
{
	unsigned n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += g->m[i].record == rec;
	return n;
}

static void expect_err(const struct got *g, size_t i, int code, enum ctnl_pcap_fault fault, uint64_t rec,
		       const char *text)
{
	char line[300];

	CU_ASSERT_FATAL(i < g->nerr);
	CU_ASSERT_EQUAL(g->err[i].code, code);
	CU_ASSERT_EQUAL(g->err[i].fault, fault);
	CU_ASSERT_EQUAL(g->err[i].record, rec);
	ctnl_pcap_err_format(&g->err[i], line, sizeof(line));
	if (!strstr(line, text)) {
		fprintf(stderr, "error text \"%s\" lacks \"%s\"\n", line, text);
		CU_FAIL("error text");
	}
	{
		char want[40];

		snprintf(want, sizeof(want), "record %llu: ", (unsigned long long)rec);
		CU_ASSERT(strncmp(line, want, strlen(want)) == 0);
	}
}

static void test_truncated_record(void)
{
	uint64_t a = rec_with(3), b, c = 1;
	struct got *g;

	b = a + 1;
	while (rec_msgs(b, 0, NULL) < 2)
		b++;
	edits[0].rec = a, edits[0].kind = E_CUT_IN_MSG1;
	edits[1].rec = b, edits[1].kind = E_CUT_AFTER_MSG0;
	edits[2].rec = c, edits[2].kind = E_CUT_COOKED;
	g = read_edited(253);
	CU_ASSERT_EQUAL_FATAL(g->nerr, 3);
	expect_err(g, 0, -EBADMSG, CTNL_PCAP_F_COOKED, c, "shorter than the 16-byte");
	expect_err(g, 1, -ENODATA, CTNL_PCAP_F_TRUNCATED, a, "truncated");
	expect_err(g, 2, -ENODATA, CTNL_PCAP_F_TRUNCATED, b, "truncated");
	CU_ASSERT_EQUAL(got_in(g, a), 1);                   /* the whole first message */
	CU_ASSERT_EQUAL(got_in(g, b), 1);
	CU_ASSERT_EQUAL(got_in(g, c), 0);
	CU_ASSERT_EQUAL(g->st.records_bad, 3);
	got_free(g);
}

static void test_bad_netlink(void)
{
	uint64_t a = rec_with(3), b, c, d = 1, e, f;
	struct got *g;

	b = a + 1;
	while (rec_msgs(b, 0, NULL) < 2)
		b++;
	c = b + 1;
	while (rec_msgs(c, 0, NULL) < 2)
		c++;
	e = c + 1;
	f = e + 1;
	edits[5].rec = f, edits[5].kind = E_EMPTY;
	edits[0].rec = a, edits[0].kind = E_OVERRUN_MSG1;
	edits[1].rec = b, edits[1].kind = E_ZERO_MSG0;
	edits[2].rec = c, edits[2].kind = E_ZERO_MSG1;
	edits[3].rec = d, edits[3].kind = E_ZERO_PAYLOAD;
	edits[4].rec = e, edits[4].kind = E_TRAILING;
	g = read_edited(253);
	CU_ASSERT_EQUAL_FATAL(g->nerr, 6);
	expect_err(g, 0, -EBADMSG, CTNL_PCAP_F_NLMSG, d, "message 0 (byte 0): nlmsg_len 0 is below the 16-byte");
	expect_err(g, 1, -EBADMSG, CTNL_PCAP_F_NLMSG, a, "message 1 (byte");
	expect_err(g, 1, -EBADMSG, CTNL_PCAP_F_NLMSG, a, "runs past the record");
	expect_err(g, 2, -EBADMSG, CTNL_PCAP_F_NLMSG, b, "message 0 (byte 0): nlmsg_len 0");
	expect_err(g, 3, -EBADMSG, CTNL_PCAP_F_NLMSG, c, "message 1 (byte");
	expect_err(g, 4, -EBADMSG, CTNL_PCAP_F_NLMSG, e, "8 trailing bytes");
	expect_err(g, 5, -EBADMSG, CTNL_PCAP_F_NLMSG, f, "the record holds no netlink message");
	CU_ASSERT_EQUAL(got_in(g, a), 1);
	CU_ASSERT_EQUAL(got_in(g, b), 0);
	CU_ASSERT_EQUAL(got_in(g, c), 1);
	CU_ASSERT_EQUAL(got_in(g, d), 0);
	CU_ASSERT_EQUAL(got_in(g, e), rec_msgs(e, 0, NULL));
	CU_ASSERT_EQUAL(got_in(g, f), 0);
	CU_ASSERT_EQUAL(g->st.records_bad, 6);
	CU_ASSERT(g->st.records_bad <= g->st.records);
	got_free(g);
}

static void test_bad_linktype(void)
{
	struct variant v = { .linktype = 1 };
	char path[4300];
	struct got *g;
	struct ctnl_pcap_reader *r;

	snprintf(path, sizeof(path), "%s/ether.pcap", tmpdir);
	write_variant(path, &conv, &v);
	g = read_all(path, 0, 0);
	CU_ASSERT_EQUAL(g->open_rc, 0);
	CU_ASSERT_EQUAL(g->n, 0);
	CU_ASSERT_EQUAL_FATAL(g->nerr, conv.n);
	for (size_t i = 0; i < g->nerr; i++)
		expect_err(g, i, -EPROTONOSUPPORT, CTNL_PCAP_F_LINKTYPE, i + 1, "link type 1 (EN10MB) is not netlink");
	got_free(g);
	CU_ASSERT_EQUAL_FATAL(ctnl_pcap_open(path, NULL, &r, NULL), 0);
	CU_ASSERT_EQUAL(ctnl_pcap_linktype(r), 1);
	ctnl_pcap_close(r);

	/* a cooked header that is not netlink: an error on 253 ... */
	edits[0].rec = 2, edits[0].kind = E_HATYPE;
	g = read_edited(253);
	CU_ASSERT_EQUAL_FATAL(g->nerr, 1);
	expect_err(g, 0, -EBADMSG, CTNL_PCAP_F_COOKED, 2, "hatype 1");
	got_free(g);
	/* ... and another interface's packet on the "any" device (113) */
	edits[0].rec = 2, edits[0].kind = E_HATYPE;
	g = read_edited(113);
	CU_ASSERT_EQUAL(g->nerr, 0);
	CU_ASSERT_EQUAL(got_in(g, 2), 0);
	CU_ASSERT_EQUAL(g->st.records_not_netlink, 1);
	got_free(g);
}

/* The file cut at every byte: the records before the cut come out whole;
 * a cut inside a record is one error naming that record, and the end. */
static void test_truncated_file(void)
{
	size_t size, nrec = 0, *ends;
	uint8_t *file = conv_slurp(conv_path, &size);
	struct want *w;
	size_t nwant = want_list(&conv, &w);
	unsigned cuts = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	ends = calloc(conv.n + 1, sizeof(*ends));
	for (size_t at = 24; at + 16 <= size; nrec++) {
		uint32_t caplen;

		memcpy(&caplen, file + at + 8, 4);
		at += 16 + caplen;
		ends[nrec] = at;
	}
	CU_ASSERT_EQUAL_FATAL(nrec, conv.n);
	for (size_t cut = 0; cut < size; cut++) {
		int fd = memfd_create("cut.pcap", 0);
		struct got *g;
		size_t whole = 0, msgs = 0;
		int boundary = cut == 24;

		CU_ASSERT_FATAL(fd >= 0 && write(fd, file, cut) == (ssize_t)cut);
		CU_ASSERT_FATAL(lseek(fd, 0, SEEK_SET) == 0);
		g = read_any(NULL, fd, 0, 0);              /* the reader owns and closes fd */
		cuts++;
		if (cut < 24) {
			CU_ASSERT_EQUAL(g->open_rc, -EINVAL);
			got_free(g);
			continue;
		}
		while (whole < nrec && ends[whole] <= cut) {
			boundary = ends[whole] == cut;
			whole++;
		}
		while (msgs < nwant && w[msgs].record <= whole)
			msgs++;
		CU_ASSERT_EQUAL(g->open_rc, 0);
		CU_ASSERT_EQUAL(g->n, msgs);
		if (boundary) {
			CU_ASSERT_EQUAL(g->nerr, 0);
		} else {
			CU_ASSERT_EQUAL_FATAL(g->nerr, 1);
			CU_ASSERT_EQUAL(g->err[0].code, -EIO);
			CU_ASSERT_EQUAL(g->err[0].fault, CTNL_PCAP_F_FILE);
			CU_ASSERT_EQUAL(g->err[0].record, whole + 1);
		}
		got_free(g);
	}
	CU_ASSERT_EQUAL(cuts, size);
	free(ends);
	free(w);
	free(file);
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	unsigned fails;

	if (argc != 2) {
		fprintf(stderr, "usage: test_pcap FIXTURES_DIR\n");
		return 2;
	}
	fixtures_dir = argv[1];
	if (!mkdtemp(tmpdir) || conv_build(&conv, fixtures_dir) < 0) {
		fprintf(stderr, "test_pcap: cannot set up (%s)\n", strerror(errno));
		return 1;
	}
	snprintf(conv_path, sizeof(conv_path), "%s/conv.pcap", tmpdir);
	if (conv_write(&conv, conv_path) < 0) {
		fprintf(stderr, "test_pcap: cannot write %s\n", conv_path);
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("pcap", NULL, NULL);
	CU_add_test(s, "writer: read back byte for byte, nlmon format", test_writer_roundtrip);
	CU_add_test(s, "writer: buffers above the snaplen", test_writer_snaplen);
	CU_add_test(s, "open errors", test_open_errors);
	CU_add_test(s, "a pipe", test_fdopen_pipe);
	CU_add_test(s, "variants: SLL, SLL2, big-endian file, opposite-endian payload", test_variants);
	CU_add_test(s, "opposite-endian payload decodes the same", test_swapped_decode);
	CU_add_test(s, "pcapng with two interfaces", test_pcapng);
	CU_add_test(s, "swap: both byte orders built by hand", test_swap_known);
	CU_add_test(s, "swap: NLMSG_ERROR and NLMSG_DONE", test_swap_control);
	CU_add_test(s, "swap: bad input", test_swap_bad);
	CU_add_test(s, "matching requests and replies", test_matching);
	CU_add_test(s, "other families and subsystems", test_skipped);
	CU_add_test(s, "corrupt: truncated records", test_truncated_record);
	CU_add_test(s, "corrupt: bad netlink lengths, zero-length messages", test_bad_netlink);
	CU_add_test(s, "corrupt: wrong link type, bad cooked headers", test_bad_linktype);
	CU_add_test(s, "corrupt: the file cut at every byte", test_truncated_file);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures();
	CU_cleanup_registry();
	conv_free(&conv);
	{
		char cmd[4400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (getenv("CTNL_TEST_KEEP"))                /* to look at the files */
			fprintf(stderr, "test_pcap: kept %s\n", tmpdir);
		else if (system(cmd) != 0)
			fprintf(stderr, "test_pcap: could not remove %s\n", tmpdir);
	}
	return fails ? 1 : 0;
}
