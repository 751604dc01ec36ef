/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl decode FILE: netlink messages to text, conntrack(8) lines or JSON:
 * conntrack entries, expectations and statistics.  FILE is either raw
 * netlink bytes (messages as the kernel returns them, back to back) or an
 * nlmon capture (pcap or pcapng, told by its magic number), and is read
 * as a stream: a chunk (raw) or a record (capture) at a time, so memory
 * does not grow with the file.  A bad message is reported on stderr with
 * its index (and record), byte offset and attribute path; the messages
 * around it are still printed.
 *
 * Type 0x0103 is a conntrack entry or expectation per-CPU stats depending
 * on the request it answers (ctnl/stats.h): in a capture the reader's
 * request table decides; in a raw file a request earlier in the file with
 * the same seq, else --request TYPE, else ctnl_msg_classify()'s fixed rule.
 *
 * The default text is written without printf (attr_walk.h): a capture of
 * a million dump messages decodes in about a second.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>
#include <ctnl/pcap.h>

#include "attr_walk.h"
#include "cli.h"

enum fmt { FMT_TEXT, FMT_CONNTRACK, FMT_JSON };

/* Filter bits. */
#define TB_CT    0x1u
#define TB_EXP   0x2u
#define TB_STATS 0x4u
#define DIR_K    0x1u                  /* to the kernel */
#define DIR_U    0x2u                  /* to user space */

struct decode_opts {
	enum fmt fmt;
	unsigned out_flags;
	int64_t now;
	const char *labelmap;
	int has_request;
	struct ctnl_msg request;           /* --request: what the file's replies answer */
	int stats;                         /* --stats: a summary instead of the messages */
	/* filters; 0 (or ntypes 0) lets everything through */
	uint16_t types[32];
	unsigned ntypes;
	unsigned tables;                   /* TB_* */
	int families[8];
	unsigned nfamilies;
	unsigned dirs;                     /* DIR_* */
};

/* Where a message is: its index in the file, and in a capture its record. */
struct where {
	uint32_t index;                    /* 0-based among all messages of the file */
	uint64_t offset;                   /* raw: byte offset in the file; capture: in the record */
	int capture;
	uint64_t record;                   /* 1-based */
	uint32_t rindex;                   /* message index in the record */
	struct timespec ts;
	int to_kernel;
};

/* ---- output: one large buffer, written with fwrite ---- */

#define OUT_CAP (1u << 20)
#define OUT_FLUSH (OUT_CAP - 256u * 1024u)  /* flush above this: a message's text always fits after */

struct outbuf {
	FILE *f;
	char *buf;
	size_t len;
};

static void out_flush(struct outbuf *ob)
{
	if (ob->len)
		fwrite(ob->buf, 1, ob->len, ob->f);
	ob->len = 0;
}

/* Before a line on stderr: everything decoded so far is out, so that a
 * log taking both streams shows the error after the messages before it. */
static void out_sync(struct outbuf *ob)
{
	out_flush(ob);
	fflush(ob->f);
}

static struct aw_out out_begin(struct outbuf *ob)
{
	struct aw_out o;

	if (ob->len > OUT_FLUSH)
		out_flush(ob);
	o.p = ob->buf + ob->len;
	o.end = ob->buf + OUT_CAP;
	o.over = 0;
	return o;
}

/* Keep what was written, or, if it did not fit, say so in its place. */
static void out_end(struct outbuf *ob, struct aw_out *o)
{
	if (o->over) {
		static const char cut[] = " ...(line cut: longer than 768 KiB)\n";

		if ((size_t)(ob->buf + OUT_CAP - o->p) < sizeof(cut))
			o->p = ob->buf + OUT_CAP - sizeof(cut);
		memcpy(o->p, cut, sizeof(cut) - 1);
		o->p += sizeof(cut) - 1;
	}
	ob->len = (size_t)(o->p - ob->buf);
}

/* ---- the requests seen so far in a raw file, by seq ---- */

#define SEEN_MAX 16
struct seen {
	struct ctnl_msg req[SEEN_MAX];
	unsigned n, next;
};

static const struct ctnl_msg *find_request(const struct seen *sn, const struct decode_opts *o,
					   const struct ctnl_msg *h)
{
	if (!(h->flags & NLM_F_REQUEST) && h->seq) {
		for (unsigned i = 0; i < sn->n; i++)
			if (sn->req[i].seq == h->seq)
				return &sn->req[i];
	}
	return o->has_request ? &o->request : NULL;
}

static void remember_request(struct seen *sn, const struct ctnl_msg *h)
{
	if (!(h->flags & NLM_F_REQUEST))
		return;
	sn->req[sn->next] = *h;
	sn->next = (sn->next + 1) % SEEN_MAX;
	if (sn->n < SEEN_MAX)
		sn->n++;
}

/* ---- names ---- */

static const char *const ct_cmds[] = { "new", "get", "delete", "get-ctrzero", "get-stats-cpu", "get-stats",
				       "get-dying", "get-unconfirmed" };
static const char *const exp_cmds[] = { "new", "get", "delete", "get-stats-cpu" };

static void type_name(uint16_t type, char *buf, size_t len)
{
	uint8_t sub = ctnl_msg_subsys(type), cmd = ctnl_msg_cmd(type);

	switch (type) {
	case NLMSG_NOOP: snprintf(buf, len, "noop"); return;
	case NLMSG_ERROR: snprintf(buf, len, "error"); return;
	case NLMSG_DONE: snprintf(buf, len, "done"); return;
	case NLMSG_OVERRUN: snprintf(buf, len, "overrun"); return;
	}
	if (sub == NFNL_SUBSYS_CTNETLINK && cmd < sizeof(ct_cmds) / sizeof(ct_cmds[0]))
		snprintf(buf, len, "ct.%s", ct_cmds[cmd]);
	else if (sub == NFNL_SUBSYS_CTNETLINK_EXP && cmd < sizeof(exp_cmds) / sizeof(exp_cmds[0]))
		snprintf(buf, len, "exp.%s", exp_cmds[cmd]);
	else
		snprintf(buf, len, "0x%04x", type);
}

/*
 * The names of all 65536 types, each made the first time it is needed:
 * type_name() per message would cost a snprintf each.  A name lives in a
 * slot of TNAME_SZ bytes that keeps its length in the last byte: text_head
 * copies a slot as one block, with no strlen.  The 0x0103 answer's name
 * ("ct.get-ctrzero=exp.stats-cpu") is made in a slot too.
 */
#define TNAME_SZ 64

static const char *tname_of(uint16_t type)
{
	static const char unknown[TNAME_SZ] = { '?', [TNAME_SZ - 1] = 1 };
	static char (*names)[TNAME_SZ];

	if (!names) {
		names = calloc(65536, sizeof(*names));
		if (!names)
			return unknown;
	}
	if (!names[type][0]) {
		type_name(type, names[type], TNAME_SZ - 1);
		names[type][TNAME_SZ - 1] = (char)strlen(names[type]);
	}
	return names[type];
}

/* The length a name slot keeps. */
static size_t tname_len(const char *slot)
{
	return (uint8_t)slot[TNAME_SZ - 1];
}

/* "exp.get-stats-cpu" (as type_name() writes it), "error", or a number (0x0203). */
static int parse_type(const char *s, uint16_t *type)
{
	static const char *const ctl[] = { "noop", "error", "done", "overrun" };
	char *end;
	unsigned long v;

	for (unsigned i = 0; i < sizeof(ct_cmds) / sizeof(ct_cmds[0]); i++)
		if (!strncmp(s, "ct.", 3) && !strcmp(s + 3, ct_cmds[i])) {
			*type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | i);
			return 0;
		}
	for (unsigned i = 0; i < sizeof(exp_cmds) / sizeof(exp_cmds[0]); i++)
		if (!strncmp(s, "exp.", 4) && !strcmp(s + 4, exp_cmds[i])) {
			*type = (uint16_t)(NFNL_SUBSYS_CTNETLINK_EXP << 8 | i);
			return 0;
		}
	for (unsigned i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++)
		if (!strcmp(s, ctl[i]) || (i == 1 && !strcmp(s, "ack"))) {
			*type = (uint16_t)(i + 1);
			return 0;
		}
	v = strtoul(s, &end, 0);
	if (*s && !*end && v <= 0xffff) {
		*type = (uint16_t)v;
		return 0;
	}
	return -1;
}

/* ---- filters ---- */

/* Calls fn on each comma-separated word; -1 at the first it refuses. */
static int each_word(const char *list, int (*fn)(const char *w, struct decode_opts *o), struct decode_opts *o)
{
	char buf[256], *save = NULL, *w;

	snprintf(buf, sizeof(buf), "%s", list);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (fn(w, o) < 0)
			return -1;
	return 0;
}

static int add_type(const char *w, struct decode_opts *o)
{
	uint16_t t;

	if (o->ntypes >= sizeof(o->types) / sizeof(o->types[0]) || parse_type(w, &t) < 0)
		return -1;
	o->types[o->ntypes++] = t;
	return 0;
}

static int add_table(const char *w, struct decode_opts *o)
{
	if (!strcmp(w, "ct") || !strcmp(w, "conntrack"))
		o->tables |= TB_CT;
	else if (!strcmp(w, "exp") || !strcmp(w, "expect"))
		o->tables |= TB_EXP;
	else if (!strcmp(w, "stats"))
		o->tables |= TB_STATS;
	else
		return -1;
	return 0;
}

static int add_family(const char *w, struct decode_opts *o)
{
	char *end;
	long v;

	if (o->nfamilies >= sizeof(o->families) / sizeof(o->families[0]))
		return -1;
	if (!strcmp(w, "ipv4") || !strcmp(w, "inet"))
		v = 2;
	else if (!strcmp(w, "ipv6") || !strcmp(w, "inet6"))
		v = 10;
	else if (!strcmp(w, "unspec"))
		v = 0;
	else {
		v = strtol(w, &end, 0);
		if (!*w || *end || v < 0 || v > 255)
			return -1;
	}
	o->families[o->nfamilies++] = (int)v;
	return 0;
}

static int add_dir(const char *w, struct decode_opts *o)
{
	if (!strcmp(w, "to-kernel") || !strcmp(w, "request"))
		o->dirs |= DIR_K;
	else if (!strcmp(w, "to-user") || !strcmp(w, "reply"))
		o->dirs |= DIR_U;
	else
		return -1;
	return 0;
}

/* The table a message belongs to: its own class, or for ACKs, errors and
 * NLMSG_DONE the table of the request they answer (req_type; 0: unknown). */
static unsigned table_of(int cls, uint16_t req_type)
{
	switch (cls) {
	case CTNL_MC_CT: return TB_CT;
	case CTNL_MC_EXP: return TB_EXP;
	case CTNL_MC_STATS_CPU:
	case CTNL_MC_STATS_EXP_CPU:
	case CTNL_MC_STATS_GLOBAL: return TB_STATS;
	default: break;
	}
	if (req_type == (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS_CPU) ||
	    req_type == (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS) ||
	    req_type == (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU))
		return TB_STATS;
	if (ctnl_msg_subsys(req_type) == NFNL_SUBSYS_CTNETLINK)
		return TB_CT;
	if (ctnl_msg_subsys(req_type) == NFNL_SUBSYS_CTNETLINK_EXP)
		return TB_EXP;
	return 0;
}

static int passes(const struct decode_opts *o, const struct ctnl_msg *h, int cls, uint16_t req_type, int to_kernel)
{
	if (o->dirs && !(o->dirs & (to_kernel ? DIR_K : DIR_U)))
		return 0;
	if (o->ntypes) {
		unsigned i;

		for (i = 0; i < o->ntypes && o->types[i] != h->type; i++)
			;
		if (i == o->ntypes)
			return 0;
	}
	if (o->tables && !(o->tables & table_of(cls, req_type)))
		return 0;
	if (o->nfamilies) {
		unsigned i;

		if (h->type < NLMSG_MIN_TYPE)
			return 0;          /* ACKs, errors, done: no family */
		for (i = 0; i < o->nfamilies && o->families[i] != h->family; i++)
			;
		if (i == o->nfamilies)
			return 0;
	}
	return 1;
}

/* ---- --stats: what the file holds ---- */

/* One node per attribute path, children found by type. */
struct anode {
	const char *name;
	uint16_t type;
	uint32_t parent;                   /* index; 0 is no parent (the roots hang from node 0) */
	uint32_t first_child, next_sibling;
	uint64_t count;
};

struct unk {
	char path[112];
	uint64_t count;
};

struct stats {
	uint64_t records, messages, to_kernel, to_user, skipped, printed;
	uint64_t malformed, framing, bad_records, unknown_total;
	uint64_t types[65536];
	uint64_t exp_stats_0103;           /* 0x0103 answers that are expectation stats */
	struct anode *nodes;
	uint32_t nnodes, cap;
	uint32_t roots[8];                 /* per class: CTNL_MC_* */
	struct unk unknown[64];
	unsigned nunknown;
	uint64_t unknown_other;            /* paths past the 64 kept */
};

static uint32_t node_child(struct stats *st, uint32_t parent, uint16_t type, const char *name)
{
	uint32_t i;

	for (i = parent != UINT32_MAX ? st->nodes[parent].first_child : 0; i; i = st->nodes[i].next_sibling)
		if (st->nodes[i].type == type)
			return i;
	if (st->nnodes == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 256;
		struct anode *n = realloc(st->nodes, cap * sizeof(*n));

		if (!n)
			return 0;
		st->nodes = n;
		st->cap = cap;
	}
	i = st->nnodes++;
	st->nodes[i] = (struct anode){ .name = name, .type = type, .parent = parent };
	if (parent != UINT32_MAX && i) {
		/* append, so children list in type order of first sight */
		uint32_t *link = &st->nodes[parent].first_child;

		while (*link)
			link = &st->nodes[*link].next_sibling;
		*link = i;
	}
	return i;
}

static void count_walk(struct stats *st, uint32_t node, const struct ctnl_nest_desc *d, const void *obj)
{
	uint32_t present;

	memcpy(&present, obj, 4);
	for (unsigned t = 1; t <= d->maxtype && present >> t; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		uint32_t c;

		if (!((present >> t) & 1u))
			continue;
		c = node_child(st, node, (uint16_t)t, a->name);
		if (!c)
			return;
		st->nodes[c].count++;
		if (a->kind == CTNL_K_NEST)
			count_walk(st, c, a->nest, (const uint8_t *)obj + a->offset);
	}
}

static const char *const class_names[] = { "other", "ct", "exp", "stats-cpu", "exp-stats-cpu", "stats", "error",
					   "done" };

static void count_attrs(struct stats *st, int cls, const struct ctnl_nest_desc *d, const void *obj,
			const struct ctnl_unknowns *u)
{
	if (!st->nnodes)
		node_child(st, UINT32_MAX, 0, "");  /* node 0: the root of roots */
	if (!st->roots[cls]) {
		st->roots[cls] = node_child(st, 0, (uint16_t)(100 + cls), class_names[cls]);
		if (!st->roots[cls])
			return;
	}
	count_walk(st, st->roots[cls], d, obj);
	st->unknown_total += u->count;
	for (unsigned i = 0; i < u->kept; i++) {
		char path[112];
		unsigned k;

		snprintf(path, sizeof(path), "%s:", class_names[cls]);
		ctnl_unknown_path(d, &u->list[i], path + strlen(path), sizeof(path) - strlen(path));
		for (k = 0; k < st->nunknown && strcmp(st->unknown[k].path, path); k++)
			;
		if (k == st->nunknown) {
			if (k == sizeof(st->unknown) / sizeof(st->unknown[0])) {
				st->unknown_other++;
				continue;
			}
			snprintf(st->unknown[k].path, sizeof(st->unknown[k].path), "%s", path);
			st->nunknown++;
		}
		st->unknown[k].count++;
	}
	if (u->count > u->kept)
		st->unknown_other += u->count - u->kept;
}

static void node_path(const struct stats *st, uint32_t i, char *buf, size_t len)
{
	uint32_t chain[CTNL_MAX_DEPTH + 2];
	unsigned n = 0;
	size_t at = 0;

	for (; i && st->nodes[i].parent && n < sizeof(chain) / sizeof(chain[0]); i = st->nodes[i].parent)
		chain[n++] = i;
	buf[0] = '\0';
	while (n--) {
		int w = snprintf(buf + at, at < len ? len - at : 0, "%s%s", at ? "." : "", st->nodes[chain[n]].name);

		if (w > 0)
			at += (size_t)w;
	}
}

static void stats_print_nodes(FILE *f, const struct stats *st, uint32_t i, int json, int *first)
{
	for (; i; i = st->nodes[i].next_sibling) {
		char path[160];

		node_path(st, i, path, sizeof(path));
		if (json)
			fprintf(f, "%s\"%s\":%" PRIu64, *first ? "" : ",", path, st->nodes[i].count);
		else
			fprintf(f, "  %-40s %" PRIu64 "\n", path, st->nodes[i].count);
		*first = 0;
		stats_print_nodes(f, st, st->nodes[i].first_child, json, first);
	}
}

static void stats_print(FILE *f, const struct stats *st, int json)
{
	int first = 1;

	if (json) {
		fprintf(f, "{\"records\":%" PRIu64 ",\"messages\":%" PRIu64 ",\"to_kernel\":%" PRIu64
			",\"to_user\":%" PRIu64 ",\"filtered_out\":%" PRIu64 ",\"types\":{",
			st->records, st->messages, st->to_kernel, st->to_user, st->skipped);
		for (unsigned t = 0; t < 65536; t++)
			if (st->types[t]) {
				fprintf(f, "%s\"%s\":%" PRIu64, first ? "" : ",", tname_of((uint16_t)t), st->types[t]);
				first = 0;
			}
		if (st->exp_stats_0103)
			fprintf(f, "%s\"ct.get-ctrzero=exp.stats-cpu\":%" PRIu64, first ? "" : ",", st->exp_stats_0103);
		fputs("},\"attributes\":{", f);
		first = 1;
		if (st->nnodes)
			for (uint32_t r = st->nodes[0].first_child; r; r = st->nodes[r].next_sibling) {
				int f2 = 1;

				fprintf(f, "%s\"%s\":{", first ? "" : ",", st->nodes[r].name);
				stats_print_nodes(f, st, st->nodes[r].first_child, 1, &f2);
				fputc('}', f);
				first = 0;
			}
		fputs("},\"unknown\":{", f);
		for (unsigned k = 0; k < st->nunknown; k++)
			fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", st->unknown[k].path, st->unknown[k].count);
		fprintf(f, "},\"unknown_total\":%" PRIu64 ",\"errors\":{\"malformed_messages\":%" PRIu64
			",\"framing\":%" PRIu64 ",\"bad_records\":%" PRIu64 "}}\n",
			st->unknown_total, st->malformed, st->framing, st->bad_records);
		return;
	}
	if (st->records)
		fprintf(f, "records: %" PRIu64 "\n", st->records);
	fprintf(f, "messages: %" PRIu64 " (to-kernel %" PRIu64 ", to-user %" PRIu64 ")", st->messages, st->to_kernel,
		st->to_user);
	if (st->skipped)
		fprintf(f, ", %" PRIu64 " filtered out", st->skipped);
	fputs("\nmessage types:\n", f);
	for (unsigned t = 0; t < 65536; t++)
		if (st->types[t])
			fprintf(f, "  %-40s %" PRIu64 "\n", tname_of((uint16_t)t), st->types[t]);
	if (st->exp_stats_0103)
		fprintf(f, "  %-40s %" PRIu64 "\n", "(of which ct.get-ctrzero=exp.stats-cpu)", st->exp_stats_0103);
	fputs("attributes seen (messages carrying each):\n", f);
	if (st->nnodes)
		for (uint32_t r = st->nodes[0].first_child; r; r = st->nodes[r].next_sibling) {
			fprintf(f, " %s:\n", st->nodes[r].name);
			stats_print_nodes(f, st, st->nodes[r].first_child, 0, &first);
		}
	fprintf(f, "unknown attributes: %" PRIu64 "\n", st->unknown_total);
	for (unsigned k = 0; k < st->nunknown; k++)
		fprintf(f, "  %-40s %" PRIu64 "\n", st->unknown[k].path, st->unknown[k].count);
	if (st->unknown_other)
		fprintf(f, "  %-40s %" PRIu64 "\n", "(not kept)", st->unknown_other);
	fprintf(f, "errors: %" PRIu64 " (malformed messages %" PRIu64 ", broken framing %" PRIu64
		", bad records %" PRIu64 ")\n",
		st->malformed + st->framing + st->bad_records, st->malformed, st->framing, st->bad_records);
}

/* ---- the default text form ---- */

struct ctx {
	struct ctnl_io *io;
	const char *file;
	const struct decode_opts *o;
	struct ctnl_render_opts ro;
	struct outbuf ob;
	struct stats *st;                  /* --stats */
	struct seen sn;
	uint64_t ts_record;                /* the record whose time text is cached */
	char ts_text[48];
	size_t ts_len;
	struct ctnl_ct_msg ct;
	struct ctnl_ct_decoder ctdec;      /* captures repeat a few layouts */
	struct ctnl_exp_msg exp;
	struct ctnl_stats_msg stm;
};

/*
 * The text of a place in the description tree, made the first time a
 * message reaches it: each attribute's whole key (" orig.ip.v4-src=")
 * is kept ready, so an attribute costs one short copy and its value
 * rather than a walk up its path (path building was a third of the
 * text's cost).  A nest description used at several places (tuples under
 * orig, reply and master) gets a plan per place.
 */
#define TP_KEY_MAX 176                 /* a path of 160 plus " " and "=", rounded up to 16 */

/* How a value is written, chosen once per place from its description. */
enum tp_writer {
	TW_NONE, TW_NEST, TW_U8, TW_U16, TW_U32, TW_U64, TW_IPV4, TW_IPV6, TW_FLAGS2, TW_OTHER,
};

struct tplan {
	const struct ctnl_nest_desc *d;
	uint32_t named;                    /* types with a name and a field */
	uint32_t hex;                      /* integers written as 0x.. */
	uint8_t klen[32];                  /* " path=" */
	uint8_t writer[32];                /* enum tp_writer */
	uint16_t off[32];                  /* of the field in the nest's struct */
	struct tplan *child[32];           /* nests, made when first met */
	char (*key)[TP_KEY_MAX];           /* 16-byte multiples, zero padded */
};

static uint8_t tp_writer_of(const struct ctnl_attr_desc *a)
{
	switch (a->kind) {
	case CTNL_K_NEST: return TW_NEST;
	case CTNL_K_U8: return TW_U8;
	case CTNL_K_BE16: return TW_U16;
	case CTNL_K_BE32:
	case CTNL_K_U32: return TW_U32;
	case CTNL_K_BE64: return TW_U64;
	case CTNL_K_FIXED:
		if (a->fmt == CTNL_FMT_IPV4 && a->len == 4)
			return TW_IPV4;
		if (a->fmt == CTNL_FMT_IPV6 && a->len == 16)
			return TW_IPV6;
		if (a->fmt == CTNL_FMT_FLAGS2 && a->len == 2)
			return TW_FLAGS2;
		return TW_OTHER;
	case CTNL_K_STRING:
	case CTNL_K_BINARY: return TW_OTHER;
	default: return TW_NONE;
	}
}

static struct tplan *tplan_new(const struct ctnl_nest_desc *d, const char *prefix, size_t plen)
{
	struct tplan *p = calloc(1, sizeof(*p));
	unsigned max = d->maxtype < 31 ? d->maxtype : 31;

	if (!p)
		return NULL;
	p->key = calloc(max + 1, sizeof(*p->key));
	if (!p->key) {
		free(p);
		return NULL;
	}
	p->d = d;
	for (unsigned t = 1; t <= max; t++) {
		const struct ctnl_attr_desc *a = &d->attrs[t];
		size_t nl = a->name ? strlen(a->name) : 0;
		char *k = p->key[t];

		/* the old writer left out paths of 160 bytes or more; so do we */
		if (!nl || plen + (plen ? 1 : 0) + nl >= 160)
			continue;
		p->writer[t] = tp_writer_of(a);
		p->off[t] = a->offset;
		if (a->fmt == CTNL_FMT_HEX)
			p->hex |= 1u << t;
		if (p->writer[t] == TW_NONE)
			continue;
		k[0] = ' ';
		memcpy(k + 1, prefix, plen);
		if (plen)
			k[1 + plen] = '.';
		memcpy(k + 1 + plen + (plen ? 1 : 0), a->name, nl);
		p->klen[t] = (uint8_t)(1 + plen + (plen ? 1 : 0) + nl);
		k[p->klen[t]] = '=';
		p->klen[t]++;
		p->named |= 1u << t;
	}
	return p;
}

/* The plan of nest attribute t's place below p: its keys' prefix is t's
 * key without the leading blank and the '='. */
static struct tplan *tplan_child(struct tplan *p, unsigned t)
{
	if (!p->child[t])
		p->child[t] = tplan_new(p->d->attrs[t].nest, p->key[t] + 1, (size_t)p->klen[t] - 2);
	return p->child[t];
}

static void tplan_free(struct tplan *p)
{
	if (!p)
		return;
	for (unsigned t = 0; t < 32; t++)
		tplan_free(p->child[t]);
	free(p->key);
	free(p);
}

/* The root plans, one per top-level description. */
static struct tplan *tplan_roots[8];

static struct tplan *tplan_root(const struct ctnl_nest_desc *d)
{
	unsigned i;

	for (i = 0; i < sizeof(tplan_roots) / sizeof(tplan_roots[0]) && tplan_roots[i]; i++)
		if (tplan_roots[i]->d == d)
			return tplan_roots[i];
	if (i == sizeof(tplan_roots) / sizeof(tplan_roots[0]))
		return NULL;
	tplan_roots[i] = tplan_new(d, "", 0);
	return tplan_roots[i];
}

static void tplan_free_all(void)
{
	for (unsigned i = 0; i < sizeof(tplan_roots) / sizeof(tplan_roots[0]); i++) {
		tplan_free(tplan_roots[i]);
		tplan_roots[i] = NULL;
	}
}

/* Room a fixed-size value can take: a 64-bit decimal, an IPv6 address,
 * hex of a FIXED field up to 16 bytes (and the raw writers' slack). */
#define TP_VALUE_MAX AW_FIXED_MAX

/* How a value is written, as both walks below write it: a walker's kind,
 * with the hex forms of the integers split out. */
enum ts_kind {
	TS_U8, TS_U16, TS_U32, TS_U64, TS_X8, TS_X16, TS_X32, TS_X64,
	TS_IPV4, TS_IPV6, TS_FLAGS2, TS_OTHER,
};

static const uint8_t ts_kind_of[] = {
	[TW_NONE] = TS_OTHER, [TW_NEST] = TS_OTHER, [TW_U8] = TS_U8, [TW_U16] = TS_U16, [TW_U32] = TS_U32, [TW_U64] = TS_U64,
	[TW_IPV4] = TS_IPV4, [TW_IPV6] = TS_IPV6, [TW_FLAGS2] = TS_FLAGS2, [TW_OTHER] = TS_OTHER,
};

/* The value at f, after its key; NULL when an unbounded one (TS_OTHER,
 * written by aw_value) would pass end.  The fixed-size ones need no
 * check: their room was counted before the key. */
static inline __attribute__((always_inline)) char *ts_value(char *q, char *end, unsigned kind, const uint8_t *f,
							  const struct ctnl_attr_desc *a)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (kind) {
	case TS_U8: return aw_dec_raw(q, f[0]);
	case TS_U16: memcpy(&v16, f, 2); return aw_dec_raw(q, v16);
	case TS_U32: memcpy(&v32, f, 4); return aw_dec_raw(q, v32);
	case TS_U64: memcpy(&v64, f, 8); return aw_dec_raw(q, v64);
	case TS_X8: return aw_hex_raw(q, f[0], 1);
	case TS_X16: memcpy(&v16, f, 2); return aw_hex_raw(q, v16, 1);
	case TS_X32: memcpy(&v32, f, 4); return aw_hex_raw(q, v32, 1);
	case TS_X64: memcpy(&v64, f, 8); return aw_hex_raw(q, v64, 1);
	case TS_IPV4: return q + ctnl_fmt_ipv4(q, f);
	case TS_IPV6: return q + ctnl_fmt_ipv6(q, f);
	case TS_FLAGS2:
		q = aw_hex_raw(q, f[0], 2);
		*q++ = '/';
		return aw_hex_raw(q, f[1], 2);
	default: {
		struct aw_out o = { q, end, 0 };

		aw_value(&o, a, f);
		return o.over ? NULL : o.p;
	}
	}
}

/* " path=value" for each present attribute below plan p, from q; returns
 * the new end, or NULL when end came first.  The write position lives in
 * a register through the whole walk. */
static char *text_walk(char *q, char *end, struct tplan *p, const void *obj)
{
	const uint8_t *base = obj;
	uint32_t present;

	memcpy(&present, obj, 4);
	present &= p->named;
	while (present) {
		unsigned t = (unsigned)__builtin_ctz(present);
		const uint8_t *f = base + p->off[t];
		unsigned w = p->writer[t];
		size_t need = TP_KEY_MAX + TP_VALUE_MAX, kl;
		const char *k;
		unsigned kind;

		present &= present - 1;
		if (w == TW_NEST) {
			struct tplan *c = tplan_child(p, t);

			if (c && !(q = text_walk(q, end, c, f)))
				return NULL;
			continue;
		}
		if (w == TW_OTHER) {
			const struct ctnl_attr_desc *a = &p->d->attrs[t];
			struct ctnl_view vw;

			memcpy(&vw, f, sizeof(vw));
			need += 2 * (size_t)(a->kind == CTNL_K_FIXED ? a->len : vw.len);
		}
		if ((size_t)(end - q) < need)
			return NULL;
		/* whole 16-byte blocks: the key array is padded, and room was
		 * checked for the key's full size */
		k = p->key[t];
		kl = p->klen[t];
		memcpy(q, k, 16);
		for (size_t i = 16; i < kl; i += 16)
			memcpy(q + i, k + i, 16);
		q += kl;
		kind = ts_kind_of[w];
		if (kind <= TS_U64 && ((p->hex >> t) & 1u))
			kind += TS_X8 - TS_U8;
		q = ts_value(q, end, kind, f, &p->d->attrs[t]);
		if (!q)
			return NULL;
	}
	return q;
}

/*
 * The walk made flat, per shape.  A dump repeats a handful of shapes
 * (TCP over IPv4 with counters, UDP over IPv6, ...): which attributes a
 * message has, at every level.  The first message of a shape records its
 * walk as a list of steps, each a ready key and where its value is; the
 * messages after it replay that list, without the recursion, the bit
 * scans and the per-attribute room checks (the walk's overhead was more
 * than its writing).
 *
 * A shape is told by its root's present bits (the hash key) and a guard
 * per nest it enters: the nest's present bits must be what they were.  A
 * nest is entered only when its parent's bits say so, so when every guard
 * holds the walk would write the same keys from the same places.  The
 * words are compared whole, bits the walk leaves out included: the same
 * in practice, and one operation less per nest.  Anything else (no
 * memory, too many shapes, too little room) goes to text_walk, which
 * stays the reference.
 */
struct tstep {
	const char *key;                   /* a slot of a plan's key array: TP_KEY_MAX bytes */
	const struct ctnl_attr_desc *a;    /* TS_OTHER: written by aw_value() */
	uint32_t off;                      /* of the value, from the root struct */
	uint8_t klen;
	uint8_t kind;                      /* enum ts_kind */
};

struct tguard {
	uint32_t off;                      /* of a nest's present bits, from the root struct */
	uint32_t want;
};

struct tshape {
	struct tshape *next;               /* in its hash bucket */
	const struct ctnl_nest_desc *d;
	uint32_t top;                      /* the root's present bits */
	uint16_t nstep, nguard, nother;
	size_t room;                       /* for all fixed-size steps, and text_walk's margin */
	struct tstep *step;
	struct tguard *guard;
	uint16_t *other;                   /* the TS_OTHER steps, whose room depends on the value */
};

/* Fuzzed input has endless shapes: past this many the walk serves. */
#define TS_SHAPES_MAX 1024
#define TS_STEP_MAX 256
#define TS_GUARD_MAX 64
#define TS_HASH_BITS 8

/* Room one step may take: its key copied in whole 16-byte blocks (32 at
 * least), then a value of up to TP_VALUE_MAX bytes with the raw writers'
 * slack; a TS_OTHER value adds its bytes as hex. */
#define TS_STEP_ROOM(klen) ((size_t)(klen) + 32 + TP_VALUE_MAX)

static struct tshape *tshape_tab[1u << TS_HASH_BITS];
static unsigned tshape_count;

static unsigned tshape_hash(const struct ctnl_nest_desc *d, uint32_t top)
{
	uint32_t h = (top ^ (uint32_t)((uintptr_t)d >> 4)) * 0x9e3779b1u;

	return h >> (32 - TS_HASH_BITS);
}

struct ts_build {
	struct tstep step[TS_STEP_MAX];
	struct tguard guard[TS_GUARD_MAX];
	uint16_t other[TS_STEP_MAX];
	unsigned nstep, nguard, nother;
	size_t room;
};

/* Record the walk of plan p over the nest at base + off, as text_walk
 * would take it; -1 when it does not fit the builder or memory ran out. */
static int tshape_record(struct ts_build *b, struct tplan *p, const uint8_t *base, uint32_t off)
{
	uint32_t present;

	memcpy(&present, base + off, 4);
	present &= p->named;
	while (present) {
		unsigned t = (unsigned)__builtin_ctz(present);
		unsigned w = p->writer[t];
		struct tstep *s;

		present &= present - 1;
		if (w == TW_NEST) {
			struct tplan *c = tplan_child(p, t);
			uint32_t cp;

			if (!c || b->nguard == TS_GUARD_MAX)
				return -1;
			memcpy(&cp, base + off + p->off[t], 4);
			b->guard[b->nguard++] = (struct tguard){ off + p->off[t], cp };
			if (tshape_record(b, c, base, off + p->off[t]) < 0)
				return -1;
			continue;
		}
		if (b->nstep == TS_STEP_MAX)
			return -1;
		s = &b->step[b->nstep];
		s->key = p->key[t];
		s->a = &p->d->attrs[t];
		s->off = off + p->off[t];
		s->klen = p->klen[t];
		s->kind = ts_kind_of[w];
		if (w <= TW_U64 && ((p->hex >> t) & 1u))
			s->kind += TS_X8 - TS_U8;
		if (s->kind == TS_OTHER)
			b->other[b->nother++] = (uint16_t)b->nstep;
		b->room += TS_STEP_ROOM(s->klen);
		b->nstep++;
	}
	return 0;
}

/* A new shape for the message at obj, in its hash bucket; NULL if none can be made. */
static struct tshape *tshape_new(struct tplan *p, const uint8_t *obj, uint32_t top, unsigned h)
{
	static struct ts_build b;
	struct tshape *s;
	size_t sz;

	if (tshape_count == TS_SHAPES_MAX)
		return NULL;
	b.nstep = b.nguard = b.nother = 0;
	b.room = TP_KEY_MAX + TP_VALUE_MAX;
	if (tshape_record(&b, p, obj, 0) < 0)
		return NULL;
	sz = sizeof(*s) + b.nstep * sizeof(*s->step) + b.nguard * sizeof(*s->guard) + b.nother * sizeof(*s->other);
	s = malloc(sz);
	if (!s)
		return NULL;
	s->step = (struct tstep *)(s + 1);
	s->guard = (struct tguard *)(s->step + b.nstep);
	s->other = (uint16_t *)(s->guard + b.nguard);
	memcpy(s->step, b.step, b.nstep * sizeof(*s->step));
	memcpy(s->guard, b.guard, b.nguard * sizeof(*s->guard));
	memcpy(s->other, b.other, b.nother * sizeof(*s->other));
	s->nstep = (uint16_t)b.nstep;
	s->nguard = (uint16_t)b.nguard;
	s->nother = (uint16_t)b.nother;
	s->room = b.room;
	s->d = p->d;
	s->top = top;
	s->next = tshape_tab[h];
	tshape_tab[h] = s;
	tshape_count++;
	return s;
}

static int tshape_fits(const struct tshape *s, const uint8_t *obj)
{
	for (const struct tguard *g = s->guard, *e = g + s->nguard; g < e; g++) {
		uint32_t v;

		memcpy(&v, obj + g->off, 4);
		if (v != g->want)
			return 0;
	}
	return 1;
}

/* The shape of the message at obj under root plan p, made if new. */
static const struct tshape *tshape_of(struct tplan *p, const uint8_t *obj)
{
	uint32_t top;
	unsigned h;

	memcpy(&top, obj, 4);
	h = tshape_hash(p->d, top);
	for (const struct tshape *s = tshape_tab[h]; s; s = s->next)
		if (s->top == top && s->d == p->d && tshape_fits(s, obj))
			return s;
	return tshape_new(p, obj, top, h);
}

/* Stops when the count says all are gone: formats other than text make none. */
static void tshape_free_all(void)
{
	for (unsigned i = 0; tshape_count && i < sizeof(tshape_tab) / sizeof(tshape_tab[0]); i++) {
		while (tshape_tab[i]) {
			struct tshape *s = tshape_tab[i];

			tshape_tab[i] = s->next;
			free(s);
			tshape_count--;
		}
	}
}

/* Room a TS_OTHER value may take beyond TS_STEP_ROOM, twice: once for
 * its hex and once for the margin text_walk checks before it. */
static size_t ts_other_room(const struct tstep *s, const uint8_t *base)
{
	struct ctnl_view vw;

	if (s->a->kind == CTNL_K_FIXED)
		return 4 * (size_t)s->a->len;
	memcpy(&vw, base + s->off, sizeof(vw));
	return 4 * (size_t)vw.len;
}

/*
 * Replay shape s over the message at base, from q; NULL when it cannot
 * (then text_walk decides, from the same q).  One room check covers the
 * line: if each step had its worst case, and text_walk's margin were
 * still left before the last, there is room; so text_walk would not have
 * cut the line either.
 */
static char *text_flat(char *q, char *end, const struct tshape *s, const uint8_t *base)
{
	size_t need = s->room;

	for (unsigned i = 0; i < s->nother; i++)
		need += ts_other_room(&s->step[s->other[i]], base);
	if ((size_t)(end - q) < need)
		return NULL;
	for (const struct tstep *t = s->step, *e = t + s->nstep; t < e; t++) {
		const uint8_t *f = base + t->off;

		memcpy(q, t->key, 32);
		for (size_t i = 32; i < t->klen; i += 16)
			memcpy(q + i, t->key + i, 16);
		q += t->klen;
		q = ts_value(q, end, t->kind, f, t->a);
		if (!q)
			return NULL;
	}
	return q;
}

/* The attributes after the head, which ends in a blank: each is written
 * as " path=value", so the head's blank goes, and comes back when the
 * line has nothing else. */
static void text_attrs(struct aw_out *o, const struct ctnl_nest_desc *d, const void *obj, const struct ctnl_unknowns *u)
{
	struct tplan *p = tplan_root(d);
	char *start;

	if (o->over)
		return;
	start = --o->p;
	if (p) {
		const struct tshape *s = tshape_of(p, obj);
		char *q = s ? text_flat(o->p, o->end, s, obj) : NULL;

		if (!q)
			q = text_walk(o->p, o->end, p, obj);

		if (!q) {
			o->over = 1;
			return;
		}
		o->p = q;
	}
	for (unsigned i = 0; u && i < u->kept; i++) {
		char up[128];

		ctnl_unknown_path(d, &u->list[i], up, sizeof(up));
		aw_lit(o, " unknown=");
		aw_str(o, up);
		aw_lit(o, "(len=");
		aw_u64(o, u->list[i].len);
		aw_lit(o, ",offset=");
		aw_u64(o, u->list[i].offset);
		aw_ch(o, ')');
	}
	if (u && u->count > u->kept) {
		aw_lit(o, " unknown-not-kept=");
		aw_u64(o, (uint64_t)(u->count - u->kept));
	}
	if (o->p == start)
		aw_ch(o, ' ');
}

/* A record's time as "1700000000.000001000", raw (room for 32 bytes). */
static char *ts_raw(char *p, const struct timespec *ts)
{
	long v = ts->tv_nsec;

	if (ts->tv_sec < 0) {
		*p++ = '-';
		p = aw_dec_raw(p, (uint64_t)0 - (uint64_t)ts->tv_sec);
	} else {
		p = aw_dec_raw(p, (uint64_t)ts->tv_sec);
	}
	*p++ = '.';
	for (int i = 8; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + 9;
}

/* "#3 " for raw files; "#12.0 1700000000.000001000 " for captures;
 * p has room for TH_ROOM bytes. */
#define TH_ROOM 320

static char *text_where(struct ctx *c, char *p, const struct where *w)
{
	*p++ = '#';
	if (!w->capture) {
		p = aw_dec_raw(p, w->index);
		*p++ = ' ';
		return p;
	}
	p = aw_dec_raw(p, w->record);
	*p++ = '.';
	p = aw_dec_raw(p, w->rindex);
	*p++ = ' ';
	if (c->ts_record != w->record || !c->ts_len) {
		/* sizeof(ts_text) covers a signed 64-bit second, '.', nine digits
		 * and a blank, plus the raw writer's slack */
		char *t = ts_raw(c->ts_text, &w->ts);

		*t++ = ' ';
		c->ts_len = (size_t)(t - c->ts_text);
		c->ts_record = w->record;
	}
	memcpy(p, c->ts_text, 32);
	return p + c->ts_len;
}

/* tname is a name slot (tname_of()). */
static void text_head(struct ctx *c, struct aw_out *o, const struct where *w, const struct ctnl_msg *h,
		      const char *tname, int with_nfgen, int bad)
{
	size_t tl = tname_len(tname);
	char *p;

	if (!aw_room(o, TH_ROOM + tl))
		return;
	p = text_where(c, o->p, w);
	if (w->to_kernel)
		memcpy(p, "user->kernel ", 13);
	else
		memcpy(p, "kernel->user ", 13);
	p += 13;
	memcpy(p, tname, TNAME_SZ);
	p += tl;
	/* flags are 16 bits: always four digits */
	memcpy(p, " flags=0x", 9);
	memcpy(p + 9, ctnl_hex2[h->flags >> 8], 2);
	memcpy(p + 11, ctnl_hex2[h->flags & 255], 2);
	memcpy(p + 13, " seq=", 5);
	p = aw_dec_raw(p + 18, h->seq);
	memcpy(p, " pid=", 5);
	p = aw_dec_raw(p + 5, h->pid);
	if (with_nfgen) {
		/* the family and the next key, as one block */
		static const char fam[4][24] = {
			" family=unspec res_id=", " family=ipv4 res_id=", " family=ipv6 res_id=", " family=other res_id=",
		};
		static const uint8_t flen[4] = { 22, 20, 20, 21 };
		unsigned fi = h->family == 0 ? 0 : h->family == 2 ? 1 : h->family == 10 ? 2 : 3;

		memcpy(p, fam[fi], 24);
		p = aw_dec_raw(p + flen[fi], h->res_id);
		if (bad) {
			memcpy(p, " (partial)", 10);
			p += 10;
		}
		*p++ = ' ';
	}
	o->p = p;
}

/* JSON: a capture's objects begin with where the message was:
 * {"record":3,"record_index":0,"time":1700000000.000001000,"dir":"to-user"
 * (no closing brace); raw files' objects have no such fields. */
static void json_prefix(struct aw_out *o, const struct where *w)
{
	char *p;

	if (!aw_room(o, 160))
		return;
	p = o->p;
	memcpy(p, "{\"record\":", 10);
	p = aw_dec_raw(p + 10, w->record);
	memcpy(p, ",\"record_index\":", 16);
	p = aw_dec_raw(p + 16, w->rindex);
	memcpy(p, ",\"time\":", 8);
	p += 8;
	p = ts_raw(p, &w->ts);
	if (w->to_kernel) {
		memcpy(p, ",\"dir\":\"to-kernel\"", 18);
		p += 18;
	} else {
		memcpy(p, ",\"dir\":\"to-user\"", 16);
		p += 16;
	}
	o->p = p;
}

/* The start of one of our own objects, ready for its first key. */
static void json_open(struct aw_out *o, const struct where *w)
{
	if (w->capture) {
		json_prefix(o, w);
		aw_ch(o, ',');
	} else {
		aw_ch(o, '{');
	}
}

/* An object from one of the codec's writers, after the capture's fields. */
typedef int (*json_fn)(char *buf, size_t len, const void *m, const struct ctnl_render_opts *ro);

static int json_ct(char *b, size_t l, const void *m, const struct ctnl_render_opts *ro)
{
	return ctnl_ct_json(b, l, m, ro);
}

static int json_exp(char *b, size_t l, const void *m, const struct ctnl_render_opts *ro)
{
	return ctnl_exp_json(b, l, m, ro);
}

static int json_stats(char *b, size_t l, const void *m, const struct ctnl_render_opts *ro)
{
	(void)ro;
	return ctnl_stats_json(b, l, m);
}

static void json_obj(struct ctx *c, const struct where *w, json_fn fn, const void *m)
{
	struct aw_out o = out_begin(&c->ob);
	size_t room;
	int n;

	if (w->capture)
		json_prefix(&o, w);
	room = (size_t)(o.end - o.p);
	if (!o.over) {
		n = fn(o.p, room, m, &c->ro);     /* "{...}" */
		if (n < 2 || (size_t)n >= room) {
			o.over = 1;
		} else {
			if (w->capture)
				o.p[0] = ',';      /* its '{' continues our object */
			o.p += n;
		}
	}
	aw_ch(&o, '\n');
	out_end(&c->ob, &o);
}

static void report(struct ctx *c, const struct where *w, const struct ctnl_err *e)
{
	char line[512];

	ctnl_err_format(e, line, sizeof(line));
	out_sync(&c->ob);
	if (w && w->capture)
		fprintf(c->io->err, "ctnl decode: %s: record %" PRIu64 ": %s\n", c->file, w->record, line);
	else
		fprintf(c->io->err, "ctnl decode: %s: %s\n", c->file, line);
}

/* ---- one message ---- */

/* Decode and print one message of class cls; returns 0, or -1 if it was bad. */
static int decode_one(struct ctx *c, const uint8_t *msg, size_t len, const struct where *w, int cls,
		      const struct ctnl_msg *h, uint16_t req_type)
{
	const struct decode_opts *o = c->o;
	struct ctnl_err e = { .msg_index = w->capture ? w->rindex : w->index, .msg_offset = (uint32_t)w->offset };
	const char *tname = NULL;          /* a name slot, made only where it is written */
	char tbuf[TNAME_SZ];
	int bad = 0, rc;
	const struct ctnl_nest_desc *desc = NULL;
	const void *obj = NULL;
	const struct ctnl_unknowns *unk = NULL;
	unsigned skind = 0;

	if (!passes(o, h, cls, req_type, w->to_kernel)) {
		if (c->st)
			c->st->skipped++;
		return 0;
	}
	if (c->st) {
		c->st->messages++;
		if (w->to_kernel)
			c->st->to_kernel++;
		else
			c->st->to_user++;
		c->st->types[h->type]++;
	}

	switch (cls) {
	case CTNL_MC_CT:
		rc = ctnl_ct_decode_with(&c->ctdec, msg, len, &c->ct, &e);
		desc = ctnl_ct_desc();
		obj = &c->ct.ct;
		unk = &c->ct.unknown;
		break;
	case CTNL_MC_EXP:
		rc = ctnl_exp_decode(msg, len, &c->exp, &e);
		desc = ctnl_exp_desc();
		obj = &c->exp.exp;
		unk = &c->exp.unknown;
		break;
	case CTNL_MC_STATS_CPU:
	case CTNL_MC_STATS_EXP_CPU:
	case CTNL_MC_STATS_GLOBAL:
		skind = cls == CTNL_MC_STATS_CPU ? CTNL_STATS_CPU
			: cls == CTNL_MC_STATS_EXP_CPU ? CTNL_STATS_EXP_CPU : CTNL_STATS_GLOBAL;
		rc = ctnl_stats_decode(msg, len, skind, &c->stm, &e);
		desc = ctnl_stats_desc(skind);
		obj = &c->stm.u;
		unk = &c->stm.unknown;
		if (skind == CTNL_STATS_EXP_CPU &&
		    h->type != (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU)) {
			/* the 0x0103 answer */
			snprintf(tbuf, TNAME_SZ - 1, "%s=exp.stats-cpu", tname_of(h->type));
			tbuf[TNAME_SZ - 1] = (char)strlen(tbuf);
			tname = tbuf;
			if (c->st)
				c->st->exp_stats_0103++;
		}
		break;
	default:
		rc = 0;
		break;
	}
	if (rc < 0) {
		e.offset += e.msg_offset;
		bad = 1;
		if (c->st)
			c->st->malformed++;
		else
			report(c, w, &e);
	}
	if (c->st) {
		if (desc && !bad)
			count_attrs(c->st, cls, desc, obj, unk);
		return bad ? -1 : 0;
	}

	if (desc) {
		struct aw_out ao;

		switch (o->fmt) {
		case FMT_CONNTRACK: {
			struct ctnl_render_opts r = c->ro;
			char *line;
			int n;

			/* conntrack(8) prints what the kernel sends, never requests,
			 * and nothing it could not parse */
			if (bad || (h->flags & NLM_F_REQUEST))
				break;
			if (ctnl_ct_is_event(h))
				r.flags |= CTNL_OUT_EVENT;
			ao = out_begin(&c->ob);
			line = ao.p;
			if (cls == CTNL_MC_CT)
				n = ctnl_ct_snprintf(line, (size_t)(ao.end - line), &c->ct, &r);
			else if (cls == CTNL_MC_EXP)
				n = ctnl_exp_snprintf(line, (size_t)(ao.end - line), &c->exp, &r);
			else
				n = ctnl_stats_snprintf(line, (size_t)(ao.end - line), &c->stm);
			if (n <= 0 && cls != CTNL_MC_CT && cls != CTNL_MC_EXP)
				break;     /* conntrack -C without a count prints nothing */
			if (n < 0 || n >= ao.end - line)
				ao.over = 1;
			else
				ao.p += n;
			aw_ch(&ao, '\n');
			out_end(&c->ob, &ao);
			break;
		}
		case FMT_JSON:
			if (bad)
				break;
			if (cls == CTNL_MC_CT)
				json_obj(c, w, json_ct, &c->ct);
			else if (cls == CTNL_MC_EXP)
				json_obj(c, w, json_exp, &c->exp);
			else
				json_obj(c, w, json_stats, &c->stm);
			break;
		case FMT_TEXT:
			ao = out_begin(&c->ob);
			text_head(c, &ao, w, h, tname ? tname : tname_of(h->type), 1, bad);
			text_attrs(&ao, desc, obj, unk);
			aw_ch(&ao, '\n');
			out_end(&c->ob, &ao);
			break;
		}
		return bad ? -1 : 0;
	}

	if (o->fmt == FMT_CONNTRACK)
		return 0;
	if (!tname)
		tname = tname_of(h->type);
	if (h->type == NLMSG_ERROR) {
		struct ctnl_nlerr ne;
		struct aw_out ao;

		rc = ctnl_nlerr_parse(msg, len, &ne, &e);
		if (rc < 0) {
			e.offset += e.msg_offset;
			report(c, w, &e);
			return -1;
		}
		ao = out_begin(&c->ob);
		if (o->fmt == FMT_JSON) {
			json_open(&ao, w);
			aw_lit(&ao, "\"msg\":\"error\",\"index\":");
			aw_u64(&ao, w->index);
			aw_lit(&ao, ",\"errno\":");
			aw_i64(&ao, ne.error);
			aw_lit(&ao, ",\"seq\":");
			aw_u64(&ao, ne.req.seq);
			aw_lit(&ao, ",\"request_type\":");
			aw_u64(&ao, ne.req.type);
			if (ne.ext_msg.len) {
				aw_lit(&ao, ",\"ext_msg\":\"");
				aw_mem(&ao, ne.ext_msg.ptr, ne.ext_msg.len);
				aw_ch(&ao, '"');
			}
			aw_lit(&ao, "}\n");
		} else {
			static const char error[TNAME_SZ] = { 'e', 'r', 'r', 'o', 'r', [TNAME_SZ - 1] = 5 };

			text_head(c, &ao, w, h, error, 0, 0);
			aw_lit(&ao, " errno=");
			aw_i64(&ao, ne.error);
			aw_lit(&ao, " (");
			aw_str(&ao, ne.error ? strerror(-ne.error) : "ack");
			aw_ch(&ao, ')');
			if (ne.ext_msg.len) {
				aw_lit(&ao, " ext_msg=\"");
				aw_mem(&ao, ne.ext_msg.ptr, ne.ext_msg.len);
				aw_ch(&ao, '"');
			}
			aw_ch(&ao, '\n');
		}
		out_end(&c->ob, &ao);
		return 0;
	}
	{
		struct aw_out ao = out_begin(&c->ob);

		if (o->fmt == FMT_JSON) {
			json_open(&ao, w);
			aw_lit(&ao, "\"msg\":\"");
			aw_str(&ao, tname);
			aw_lit(&ao, "\",\"index\":");
			aw_u64(&ao, w->index);
			aw_lit(&ao, ",\"type\":");
			aw_u64(&ao, h->type);
			aw_lit(&ao, ",\"flags\":");
			aw_u64(&ao, h->flags);
			aw_lit(&ao, ",\"seq\":");
			aw_u64(&ao, h->seq);
			aw_lit(&ao, "}\n");
		} else {
			text_head(c, &ao, w, h, tname, 0, 0);
			if (h->type >= NLMSG_MIN_TYPE)
				aw_lit(&ao, " (not decoded)");
			aw_ch(&ao, '\n');
		}
		out_end(&c->ob, &ao);
	}
	return 0;
}

/* ---- raw files, a chunk at a time ---- */

#define RAW_CHUNK (1u << 20)
#define RAW_MSG_MAX (64u << 20)            /* longer nlmsg_len values are not waited for */

struct raw_in {
	FILE *f;
	uint8_t *buf;
	size_t cap, len, pos;
	uint64_t base;                     /* file offset of buf[0] */
	int eof;
};

/* Make at least `need` bytes available from pos on, unless the file ends. */
static int raw_fill(struct raw_in *r, size_t need)
{
	if (r->len - r->pos >= need || r->eof)
		return 0;
	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->base += r->pos;
		r->len -= r->pos;
		r->pos = 0;
	}
	if (need > r->cap) {
		uint8_t *nb = realloc(r->buf, need);

		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = need;
	}
	while (!r->eof && r->len < need) {
		size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);

		if (n == 0) {
			if (ferror(r->f))
				return -EIO;
			r->eof = 1;
		}
		r->len += n;
	}
	return 0;
}

/* head: the first bytes of the file, already read to tell its kind. */
static int decode_raw(struct ctx *c, FILE *f, const uint8_t *head, size_t nhead)
{
	struct raw_in r = { .f = f, .cap = RAW_CHUNK };
	uint32_t index = 0;
	int status = 0;

	r.buf = malloc(r.cap);
	if (!r.buf)
		return -ENOMEM;
	memcpy(r.buf, head, nhead);
	r.len = nhead;
	for (;;) {
		struct ctnl_stream s;
		struct ctnl_err e = { 0 };
		const uint8_t *msg;
		size_t mlen;
		uint32_t l;
		int rc;

		if (raw_fill(&r, CTNL_NLMSG_HDRLEN) < 0)
			goto io_error;
		if (r.len - r.pos >= CTNL_NLMSG_HDRLEN) {
			memcpy(&l, r.buf + r.pos, 4);
			if (l >= CTNL_NLMSG_HDRLEN && l <= RAW_MSG_MAX && raw_fill(&r, ((size_t)l + 3) & ~(size_t)3) < 0)
				goto io_error;
		}
		ctnl_stream_init(&s, r.buf + r.pos, r.len - r.pos);
		s.index = index;
		rc = ctnl_stream_next(&s, &msg, &mlen, &e);
		if (rc == 0)
			break;
		if (rc < 0) {
			e.msg_offset += (uint32_t)(r.base + r.pos);
			e.offset += (uint32_t)(r.base + r.pos);
			if (c->st)
				c->st->framing++;
			else
				report(c, NULL, &e);
			status = 1;
			break;
		}
		{
			struct where w = { .index = index, .offset = r.base + r.pos };
			struct ctnl_err pe = { .msg_index = index, .msg_offset = (uint32_t)w.offset };
			struct ctnl_msg h;
			const struct ctnl_msg *req;
			int cls;

			if (ctnl_msg_parse(msg, mlen, &h, &pe) < 0) {
				pe.offset += pe.msg_offset;
				if (c->st)
					c->st->malformed++;
				else
					report(c, NULL, &pe);
				status = 1;
			} else {
				w.to_kernel = !!(h.flags & NLM_F_REQUEST);
				req = find_request(&c->sn, c->o, &h);
				cls = ctnl_msg_classify(msg, mlen, req);
				remember_request(&c->sn, &h);
				if (decode_one(c, msg, mlen, &w, cls, &h, h.type == NLMSG_ERROR && mlen >= 36
					       ? (uint16_t)(msg[24] | msg[25] << 8) : req ? req->type : 0) < 0)
					status = 1;
			}
		}
		index++;
		r.pos += s.pos;
	}
	free(r.buf);
	return status;
io_error:
	free(r.buf);
	out_sync(&c->ob);
	fprintf(c->io->err, "ctnl decode: %s: %s\n", c->file, strerror(errno ? errno : EIO));
	return 1;
}

/* ---- captures, a record at a time ---- */

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

static int decode_capture(struct ctx *c, struct ctnl_pcap_reader *r)
{
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_err pe;
	struct ctnl_pcap_stats ps;
	uint64_t rec = 0, roff = 0;
	uint32_t index = 0;
	int status = 0, rc;

	while ((rc = ctnl_pcap_next(r, &m, &pe)) != 0) {
		struct where w;
		uint16_t req_type;

		if (rc < 0) {
			char line[256];

			status = 1;
			if (c->st)
				continue;      /* counted by the reader (records_bad) */
			ctnl_pcap_err_format(&pe, line, sizeof(line));
			out_sync(&c->ob);
			fprintf(c->io->err, "ctnl decode: %s: %s\n", c->file, line);
			continue;
		}
		if (m.record != rec) {
			rec = m.record;
			roff = 0;
		}
		w.index = index++;
		w.offset = roff;
		w.capture = 1;
		w.record = m.record;
		w.rindex = m.index;
		w.ts = m.ts;
		w.to_kernel = m.dir == CTNL_DIR_TO_KERNEL;
		roff += (m.len + 3) & ~(size_t)3;
		if (m.kind == CTNL_PK_OTHER)
			continue;          /* another family or subsystem */
		req_type = m.has_req ? m.req.type : 0;
		if (m.kind == CTNL_PK_ACK || m.kind == CTNL_PK_ERROR) {
			if (!req_type && m.len >= 36)
				memcpy(&req_type, m.data + 24, 2);
		}
		if (decode_one(c, m.data, m.len, &w, class_of_kind(m.kind), &m.hdr, req_type) < 0)
			status = 1;
	}
	ctnl_pcap_stats(r, &ps);
	if (c->st) {
		c->st->records = ps.records;
		c->st->bad_records = ps.records_bad;
	}
	return status;
}

/* ---- input ---- */

static int is_capture_magic(const uint8_t *b, size_t n)
{
	static const uint32_t magics[] = { 0xa1b2c3d4u, 0xd4c3b2a1u, 0xa1b23c4du, 0x4d3cb2a1u, 0x0a0d0d0au };
	uint32_t v;

	if (n < 4)
		return 0;
	memcpy(&v, b, 4);
	for (unsigned i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (v == magics[i])
			return 1;
	return 0;
}

/* Standard input that is a capture: a child copies the bytes already
 * read and the rest of stdin into a pipe the reader can take. */
static int stdin_pipe(const uint8_t *head, size_t n, pid_t *child)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = -errno;

		close(p[0]);
		close(p[1]);
		return e;
	}
	if (pid == 0) {
		uint8_t buf[65536];
		ssize_t k;

		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		if (write(p[1], head, n) != (ssize_t)n)
			_exit(1);
		while ((k = read(0, buf, sizeof(buf))) > 0)
			if (write(p[1], buf, (size_t)k) != k)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	*child = pid;
	return p[0];
}

static void usage(FILE *f)
{
	fputs("Usage: ctnl decode [--format=text|conntrack|json] [-o extended,id,ktimestamp,labels]\n"
	      "                   [--labelmap FILE] [--now SECONDS] [--request TYPE]\n"
	      "                   [--type LIST] [--table LIST] [--family LIST] [--direction DIR]\n"
	      "                   [--stats] FILE|-\n"
	      "Decode netlink messages: an nlmon capture (pcap or pcapng: tcpdump -i nlmon0,\n"
	      "ctnl --pcap, the selftest) or raw bytes (messages back to back as the kernel\n"
	      "returns them): conntrack entries, expectations and statistics.\n"
	      "  --format=text       one line per message: number (#RECORD.INDEX and time for a\n"
	      "                      capture), direction, type, flags, seq, pid, then the attributes\n"
	      "  --format=conntrack  entries, expectations and stats exactly as conntrack(8) prints them\n"
	      "                      (-L, -E, -L expect, -E expect, -S, -S expect, -C), nothing else\n"
	      "  --format=json       one JSON object per message (docs/json.md; a capture's objects\n"
	      "                      begin with record, record_index, time and dir)\n"
	      "  -o LIST             conntrack(8) output options for --format=conntrack\n"
	      "  --labelmap FILE     label names (default /etc/xtables/connlabel.conf)\n"
	      "  --now SECONDS       the time delta-time is counted to (default: now)\n"
	      "  --request TYPE      the request a raw file's replies answer, when the file does not\n"
	      "                      hold it: exp.get-stats-cpu (or 0x0203) makes type 0x0103 expectation stats\n"
	      "  --type LIST         only these message types: ct.new, ct.get, ct.delete, exp.new, ...,\n"
	      "                      error (ACKs too), done, or numbers (0x0103)\n"
	      "  --table LIST        only these tables: ct, exp, stats (ACKs, errors and done go with\n"
	      "                      the request they answer)\n"
	      "  --family LIST       only these nfgen families: ipv4, ipv6, unspec, or numbers\n"
	      "                      (ACKs, errors and done have none and are left out)\n"
	      "  --direction DIR     to-kernel (requests) or to-user (replies, ACKs, events)\n"
	      "  --stats             instead of the messages, a summary: message types, attributes seen,\n"
	      "                      unknown attributes, errors (JSON with --format=json)\n"
	      "Exit status: 0, 1 if any message or record was malformed (the others are still\n"
	      "printed), 2 for usage.\n",
	      f);
}

int ctnl_cmd_decode(struct ctnl_io *io, int argc, char **argv)
{
	enum { O_TYPE = 256, O_TABLE, O_FAMILY, O_DIR, O_STATS };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' }, { "output", required_argument, NULL, 'o' },
		{ "labelmap", required_argument, NULL, 'L' }, { "now", required_argument, NULL, 'N' },
		{ "request", required_argument, NULL, 'R' }, { "type", required_argument, NULL, O_TYPE },
		{ "table", required_argument, NULL, O_TABLE }, { "family", required_argument, NULL, O_FAMILY },
		{ "direction", required_argument, NULL, O_DIR }, { "stats", no_argument, NULL, O_STATS },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	struct decode_opts o = { .fmt = FMT_TEXT, .now = -1 };
	struct ctnl_labelmap lm;
	struct ctx *c;
	const char *path;
	FILE *f = NULL;
	uint8_t head[4];
	size_t nhead = 0;
	pid_t child = -1;
	int ch, status = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if (!strcmp(optarg, "text"))
				o.fmt = FMT_TEXT;
			else if (!strcmp(optarg, "conntrack"))
				o.fmt = FMT_CONNTRACK;
			else if (!strcmp(optarg, "json"))
				o.fmt = FMT_JSON;
			else {
				fprintf(io->err, "ctnl decode: unknown format '%s'\n", optarg);
				return 2;
			}
			break;
		case 'o':
			if (ctnl_parse_output_flags(optarg, &o.out_flags) < 0) {
				fprintf(io->err, "ctnl decode: unknown output option in '%s'\n", optarg);
				return 2;
			}
			break;
		case 'L':
			o.labelmap = optarg;
			break;
		case 'N': {
			char *end;
			o.now = strtoll(optarg, &end, 10);
			if (*end || o.now < 0) {
				fprintf(io->err, "ctnl decode: --now takes seconds since the epoch\n");
				return 2;
			}
			break;
		}
		case 'R':
			if (parse_type(optarg, &o.request.type) < 0) {
				fprintf(io->err, "ctnl decode: --request takes a type such as exp.get-stats-cpu or 0x0203\n");
				return 2;
			}
			o.request.flags = NLM_F_REQUEST;
			o.has_request = 1;
			break;
		case O_TYPE:
			if (each_word(optarg, add_type, &o) < 0) {
				fprintf(io->err, "ctnl decode: --type takes types such as ct.new,ct.delete,error or 0x0103\n");
				return 2;
			}
			break;
		case O_TABLE:
			if (each_word(optarg, add_table, &o) < 0) {
				fprintf(io->err, "ctnl decode: --table takes ct, exp or stats\n");
				return 2;
			}
			break;
		case O_FAMILY:
			if (each_word(optarg, add_family, &o) < 0) {
				fprintf(io->err, "ctnl decode: --family takes ipv4, ipv6, unspec or a number\n");
				return 2;
			}
			break;
		case O_DIR:
			if (each_word(optarg, add_dir, &o) < 0) {
				fprintf(io->err, "ctnl decode: --direction takes to-kernel or to-user\n");
				return 2;
			}
			break;
		case O_STATS:
			o.stats = 1;
			break;
		case 'h':
			usage(io->out);
			return 0;
		default:
			fprintf(io->err, "ctnl decode: unknown option '%s'\n", argv[optind - 1]);
			usage(io->err);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(io->err);
		return 2;
	}
	path = argv[optind];
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(io->err, "ctnl decode: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (f == stdin) {
		/* not through stdio: its buffer would swallow what a capture's
		 * reader (on a pipe of its own) must see */
		ssize_t k;

		while (nhead < sizeof(head) && (k = read(0, head + nhead, sizeof(head) - nhead)) > 0)
			nhead += (size_t)k;
	} else {
		nhead = fread(head, 1, sizeof(head), f);
	}

	c = calloc(1, sizeof(*c));
	if (!c || !(c->ob.buf = malloc(OUT_CAP)) || (o.stats && !(c->st = calloc(1, sizeof(*c->st))))) {
		fprintf(io->err, "ctnl decode: out of memory\n");
		status = 1;
		goto out;
	}
	c->io = io;
	c->file = path;
	ctnl_ct_decoder_init(&c->ctdec);
	c->o = &o;
	c->ob.f = io->out;
	ctnl_labelmap_load(&lm, o.labelmap);
	c->ro.size = sizeof(c->ro);
	c->ro.flags = o.out_flags;
	c->ro.now = o.now >= 0 ? o.now : (int64_t)time(NULL);
	c->ro.label_names = (const char *const *)lm.names;
	c->ro.nlabels = CTNL_LABELS_MAX;
	c->ro.tz_offset = ctnl_tz_offset(c->ro.now);

	if (is_capture_magic(head, nhead)) {
		struct ctnl_pcap_opts po = { .size = sizeof(po), .flags = CTNL_PCAP_KEEP_OTHER };
		struct ctnl_pcap_reader *r;
		struct ctnl_pcap_err pe;
		int fd, rc;

		if (f == stdin) {
			fd = stdin_pipe(head, nhead, &child);
			rc = fd < 0 ? fd : ctnl_pcap_fdopen(fd, &po, &r, &pe);
		} else {
			fclose(f);
			f = NULL;
			rc = ctnl_pcap_open(path, &po, &r, &pe);
		}
		if (rc < 0) {
			char line[256];

			ctnl_pcap_err_format(&pe, line, sizeof(line));
			fprintf(io->err, "ctnl decode: %s: %s\n", path, line);
			status = 1;
		} else {
			status = decode_capture(c, r);
			ctnl_pcap_close(r);
		}
	} else {
		status = decode_raw(c, f, head, nhead);
		if (status < 0) {
			fprintf(io->err, "ctnl decode: out of memory\n");
			status = 1;
		}
	}
	if (c->st)
		stats_print(io->out, c->st, o.fmt == FMT_JSON);
	out_flush(&c->ob);
	fflush(io->out);
	ctnl_labelmap_free(&lm);
out:
	if (f && f != stdin)
		fclose(f);
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (c) {
		free(c->ob.buf);
		if (c->st)
			free(c->st->nodes);
		free(c->st);
		free(c);
	}
	tshape_free_all();
	tplan_free_all();
	return status;
}
