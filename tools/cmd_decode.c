/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl decode FILE: raw netlink bytes (messages as the kernel returns
 * them, back to back) to text, conntrack(8) lines or JSON: conntrack
 * entries, expectations and statistics.  A bad message is reported on
 * stderr with its index, byte offset and attribute path; the messages
 * around it are still printed.
 *
 * Type 0x0103 is a conntrack entry or expectation per-CPU stats depending
 * on the request it answers (ctnl/stats.h): a request earlier in the file
 * with the same seq decides, else --request TYPE, else ctnl_msg_classify()'s
 * fixed rule.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>

#include "cli.h"
#include "print_attrs.h"

enum fmt { FMT_TEXT, FMT_CONNTRACK, FMT_JSON };

struct decode_opts {
	enum fmt fmt;
	unsigned out_flags;
	int64_t now;
	const char *labelmap;
	int has_request;
	struct ctnl_msg request;           /* --request: what the file's replies answer */
};

/* The requests seen so far in the file, by seq, to classify their answers. */
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

/* "exp.get-stats-cpu" (as type_name() writes it) or a number (0x0203). */
static int parse_type(const char *s, uint16_t *type)
{
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
	v = strtoul(s, &end, 0);
	if (*s && !*end && v <= 0xffff) {
		*type = (uint16_t)v;
		return 0;
	}
	return -1;
}

static const char *family_name(uint8_t f)
{
	switch (f) {
	case 0: return "unspec";
	case 2: return "ipv4";
	case 10: return "ipv6";
	default: return "other";
	}
}

static void report(struct ctnl_io *io, const char *file, const struct ctnl_err *e)
{
	char line[512];

	ctnl_err_format(e, line, sizeof(line));
	fprintf(io->err, "ctnl decode: %s: %s\n", file, line);
}

/* Print one message in the chosen format; returns 0, or -1 if it was bad. */
static void text_line(struct ctnl_io *io, uint32_t index, const struct ctnl_msg *h, const char *tname, int bad,
		      const char *attrs)
{
	fprintf(io->out, "#%" PRIu32 " %s %s flags=0x%04x seq=%" PRIu32 " pid=%" PRIu32 " family=%s res_id=%u%s %s\n",
		index, (h->flags & NLM_F_REQUEST) ? "user->kernel" : "kernel->user", tname, h->flags, h->seq, h->pid,
		family_name(h->family), h->res_id, bad ? " (partial)" : "", attrs);
}

/* An expectation, in the chosen format; returns 0, or -1 if it was bad. */
static int decode_exp(struct ctnl_io *io, const char *file, const struct decode_opts *o,
		      const struct ctnl_render_opts *ro, const uint8_t *msg, size_t len, uint32_t index,
		      struct ctnl_err *e, const struct ctnl_msg *h, const char *tname, char *line, size_t cap)
{
	static struct ctnl_exp_msg m;
	int bad = 0;

	if (ctnl_exp_decode(msg, len, &m, e) < 0) {
		e->offset += e->msg_offset;
		report(io, file, e);
		bad = 1;
	}
	switch (o->fmt) {
	case FMT_CONNTRACK: {
		struct ctnl_render_opts r = *ro;

		if (bad || (h->flags & NLM_F_REQUEST))
			break;
		if (ctnl_ct_is_event(h))
			r.flags |= CTNL_OUT_EVENT;
		ctnl_exp_snprintf(line, cap, &m, &r);
		fprintf(io->out, "%s\n", line);
		break;
	}
	case FMT_JSON:
		if (bad)
			break;
		ctnl_exp_json(line, cap, &m, ro);
		fprintf(io->out, "%s\n", line);
		break;
	case FMT_TEXT:
		ctnl_print_attrs(line, cap, ctnl_exp_desc(), &m.exp, &m.unknown);
		text_line(io, index, h, tname, bad, line);
		break;
	}
	return bad ? -1 : 0;
}

/* A stats message of a known kind; returns 0, or -1 if it was bad. */
static int decode_stats(struct ctnl_io *io, const char *file, const struct decode_opts *o, const uint8_t *msg,
			size_t len, uint32_t index, unsigned kind, struct ctnl_err *e, const struct ctnl_msg *h,
			const char *tname, char *line, size_t cap)
{
	static struct ctnl_stats_msg m;
	int bad = 0;

	if (ctnl_stats_decode(msg, len, kind, &m, e) < 0) {
		e->offset += e->msg_offset;
		report(io, file, e);
		bad = 1;
	}
	switch (o->fmt) {
	case FMT_CONNTRACK:
		/* conntrack -S / -S expect / -C print the answers, never the requests */
		if (bad || (h->flags & NLM_F_REQUEST))
			break;
		if (ctnl_stats_snprintf(line, cap, &m) > 0)
			fprintf(io->out, "%s\n", line);
		break;
	case FMT_JSON:
		if (bad)
			break;
		ctnl_stats_json(line, cap, &m);
		fprintf(io->out, "%s\n", line);
		break;
	case FMT_TEXT: {
		char name[48];

		if (kind == CTNL_STATS_EXP_CPU && h->type != (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU))
			snprintf(name, sizeof(name), "%s=exp.stats-cpu", tname); /* the 0x0103 answer */
		else
			snprintf(name, sizeof(name), "%s", tname);
		ctnl_print_attrs(line, cap, ctnl_stats_desc(kind), &m.u, &m.unknown);
		text_line(io, index, h, name, bad, line);
		break;
	}
	}
	return bad ? -1 : 0;
}

/* Print one message in the chosen format; returns 0, or -1 if it was bad. */
static int decode_one(struct ctnl_io *io, const char *file, const struct decode_opts *o,
		      const struct ctnl_render_opts *ro, struct seen *sn, const uint8_t *msg, size_t len,
		      uint32_t index, uint32_t offset)
{
	static struct ctnl_ct_msg m;
	static char line[65536];
	struct ctnl_err e = { .msg_index = index, .msg_offset = offset };
	struct ctnl_msg h;
	char tname[32];
	int rc, bad = 0, cls;

	rc = ctnl_msg_parse(msg, len, &h, &e);
	if (rc < 0) {
		e.offset += offset;
		report(io, file, &e);
		return -1;
	}
	type_name(h.type, tname, sizeof(tname));
	cls = ctnl_msg_classify(msg, len, find_request(sn, o, &h));
	remember_request(sn, &h);

	switch (cls) {
	case CTNL_MC_EXP:
		return decode_exp(io, file, o, ro, msg, len, index, &e, &h, tname, line, sizeof(line));
	case CTNL_MC_STATS_CPU:
		return decode_stats(io, file, o, msg, len, index, CTNL_STATS_CPU, &e, &h, tname, line, sizeof(line));
	case CTNL_MC_STATS_EXP_CPU:
		return decode_stats(io, file, o, msg, len, index, CTNL_STATS_EXP_CPU, &e, &h, tname, line, sizeof(line));
	case CTNL_MC_STATS_GLOBAL:
		return decode_stats(io, file, o, msg, len, index, CTNL_STATS_GLOBAL, &e, &h, tname, line, sizeof(line));
	default:
		break;
	}

	if (cls == CTNL_MC_CT) {
		rc = ctnl_ct_decode(msg, len, &m, &e);
		if (rc < 0) {
			e.offset += offset;
			report(io, file, &e);
			bad = 1;
		}
		switch (o->fmt) {
		case FMT_CONNTRACK: {
			struct ctnl_render_opts r = *ro;

			/* conntrack(8) prints what the kernel sends, never requests,
			 * and nothing it could not parse */
			if (bad || (h.flags & NLM_F_REQUEST))
				break;
			if (ctnl_ct_is_event(&h))
				r.flags |= CTNL_OUT_EVENT;
			ctnl_ct_snprintf(line, sizeof(line), &m, &r);
			fprintf(io->out, "%s\n", line);
			break;
		}
		case FMT_JSON:
			if (bad)
				break;
			ctnl_ct_json(line, sizeof(line), &m, ro);
			fprintf(io->out, "%s\n", line);
			break;
		case FMT_TEXT:
			ctnl_print_attrs(line, sizeof(line), ctnl_ct_desc(), &m.ct, &m.unknown);
			text_line(io, index, &h, tname, bad, line);
			break;
		}
		return bad ? -1 : 0;
	}

	if (o->fmt == FMT_CONNTRACK)
		return 0;
	if (h.type == NLMSG_ERROR) {
		struct ctnl_nlerr ne;

		rc = ctnl_nlerr_parse(msg, len, &ne, &e);
		if (rc < 0) {
			e.offset += offset;
			report(io, file, &e);
			return -1;
		}
		if (o->fmt == FMT_JSON)
			fprintf(io->out, "{\"msg\":\"error\",\"index\":%" PRIu32 ",\"errno\":%d,\"seq\":%" PRIu32
				",\"request_type\":%u%s%.*s%s}\n",
				index, ne.error, ne.req.seq, ne.req.type, ne.ext_msg.len ? ",\"ext_msg\":\"" : "",
				(int)ne.ext_msg.len, ne.ext_msg.len ? (const char *)ne.ext_msg.ptr : "",
				ne.ext_msg.len ? "\"" : "");
		else
			fprintf(io->out, "#%" PRIu32 " kernel->user error flags=0x%04x seq=%" PRIu32 " pid=%" PRIu32
				" errno=%d (%s)%s%.*s%s\n",
				index, h.flags, h.seq, h.pid, ne.error, ne.error ? strerror(-ne.error) : "ack",
				ne.ext_msg.len ? " ext_msg=\"" : "", (int)ne.ext_msg.len,
				ne.ext_msg.len ? (const char *)ne.ext_msg.ptr : "", ne.ext_msg.len ? "\"" : "");
		return 0;
	}
	if (o->fmt == FMT_JSON)
		fprintf(io->out, "{\"msg\":\"%s\",\"index\":%" PRIu32 ",\"type\":%u,\"flags\":%u,\"seq\":%" PRIu32 "}\n",
			tname, index, h.type, h.flags, h.seq);
	else
		fprintf(io->out, "#%" PRIu32 " %s %s flags=0x%04x seq=%" PRIu32 " pid=%" PRIu32 "%s\n", index,
			(h.flags & NLM_F_REQUEST) ? "user->kernel" : "kernel->user", tname, h.flags, h.seq, h.pid,
			h.type >= NLMSG_MIN_TYPE ? " (not decoded)" : "");
	return 0;
}

static void usage(FILE *f)
{
	fputs("Usage: ctnl decode [--format=text|conntrack|json] [-o extended,id,ktimestamp,labels]\n"
	      "                   [--labelmap FILE] [--now SECONDS] [--request TYPE] FILE|-\n"
	      "Decode raw netlink messages (a stream as the kernel returns them): conntrack\n"
	      "entries, expectations and statistics.\n"
	      "  --format=text       one line per message: index, direction, type, flags, seq, attributes\n"
	      "  --format=conntrack  entries, expectations and stats exactly as conntrack(8) prints them\n"
	      "                      (-L, -E, -L expect, -E expect, -S, -S expect, -C), nothing else\n"
	      "  --format=json       one JSON object per message (docs/json.md)\n"
	      "  -o LIST             conntrack(8) output options for --format=conntrack\n"
	      "  --labelmap FILE     label names (default /etc/xtables/connlabel.conf)\n"
	      "  --now SECONDS       the time delta-time is counted to (default: now)\n"
	      "  --request TYPE      the request the file's replies answer, when the file does not hold\n"
	      "                      it: exp.get-stats-cpu (or 0x0203) makes type 0x0103 expectation stats\n"
	      "Exit status: 0, 1 if any message was malformed (the others are still printed), 2 for usage.\n",
	      f);
}

int ctnl_cmd_decode(struct ctnl_io *io, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' }, { "output", required_argument, NULL, 'o' },
		{ "labelmap", required_argument, NULL, 'L' }, { "now", required_argument, NULL, 'N' },
		{ "request", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	struct decode_opts o = { .fmt = FMT_TEXT, .now = -1 };
	struct ctnl_render_opts ro = { .size = sizeof(ro) };
	struct ctnl_labelmap lm;
	static struct seen sn;
	struct ctnl_stream s;
	uint8_t *data = NULL;
	size_t len = 0;
	const uint8_t *msg;
	size_t mlen;
	int c, rc, status = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (c) {
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
	if (ctnl_read_file(argv[optind], &data, &len) < 0) {
		fprintf(io->err, "ctnl decode: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}

	ctnl_labelmap_load(&lm, o.labelmap);
	ro.flags = o.out_flags;
	ro.now = o.now >= 0 ? o.now : (int64_t)time(NULL);
	ro.label_names = (const char *const *)lm.names;
	ro.nlabels = CTNL_LABELS_MAX;
	ro.tz_offset = ctnl_tz_offset(ro.now);

	memset(&sn, 0, sizeof(sn));
	ctnl_stream_init(&s, data, len);
	for (;;) {
		struct ctnl_err e = { 0 };
		uint32_t index = s.index, offset = (uint32_t)s.pos;

		rc = ctnl_stream_next(&s, &msg, &mlen, &e);
		if (rc == 0)
			break;
		if (rc < 0) {
			report(io, argv[optind], &e);
			status = 1;
			break;
		}
		if (decode_one(io, argv[optind], &o, &ro, &sn, msg, mlen, index, offset) < 0)
			status = 1;
	}
	fflush(io->out);
	ctnl_labelmap_free(&lm);
	free(data);
	return status;
}
