/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conntrack(8)-compatible command: parse, open a handle (in the
 * namespace of --netns, recording to the capture of --pcap), run, print
 * the summary line, and -R/--load-file.  Nothing here exits; every path
 * returns the exit status conntrack 1.4.7 would give.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/conntrack.h>
#include <ctnl/pcap.h>

#include "conntrack_run.h"

#define MAX_ARGS 255

void ctc_usage(FILE *f, const char *prog, const struct ctc_proto *proto, int protonum)
{
	fprintf(f, "Command line interface for the connection tracking system (conntrack 1.4.7 compatible).\n");
	fprintf(f, "Usage: %s [commands] [options]\n       %s decode|replay|selftest ... (see %s COMMAND --help)\n\n",
		prog, prog, prog);
	fputs("Commands:\n", f);
	for (size_t i = 0; i < ctc_ncommands; i++)
		fprintf(f, "  %-28s%s\n", ctc_commands[i].usage, ctc_commands[i].help);
	fputs("  -R, --load-file FILE|-      Run -I, -A, -U, -D, -F lines from a file\n\n", f);
	fputs("Tables: conntrack, expect, dying, unconfirmed\n\nOptions:\n", f);
	for (size_t i = 0; i < ctc_nopts; i++) {
		const struct ctc_opt *o = &ctc_opts[i];
		char head[64];

		if (o->hidden || o->kind == CTC_K_COMMAND || o->kind == CTC_K_OTHER)
			continue;
		if (o->val < 128 && o->val > ' ' && o->val != '[' && o->val != ']' && o->val != '{' && o->val != '}' &&
		    o->val != '<' && o->val != '>' && o->val != '(' && o->val != ')')
			snprintf(head, sizeof(head), "-%c, --%s%s%s", o->val, o->lng, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(head, sizeof(head), "    --%s%s%s", o->lng, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-32s%s\n", head, o->help);
	}
	fputs("\nProtocol options (after -p PROTO; '-h -p PROTO' lists them):", f);
	for (size_t i = 0; i < ctc_nprotos; i++)
		fprintf(f, " %s", ctc_protos[i].name);
	fputs("\n", f);
	if (proto) {
		const char *name = proto->name;

		if (proto == &ctc_proto_unknown) {
			struct protoent *pe = getprotobynumber(protonum);

			if (pe)
				name = pe->p_name;
		}
		fprintf(f, "Proto `%s' help:\n", name);
		if (!proto->opts[0].lng)
			fputs("  no options (unsupported)\n", f);
		for (const struct ctc_popt *o = proto->opts; o->lng; o++)
			if (!o->hidden)
				fprintf(f, "  --%-24s%s\n", o->lng, o->help);
	}
}

/* The namespace option: a name under /run/netns, or a path. */
static void netns_path(const char *v, char *buf, size_t len)
{
	if (strchr(v, '/'))
		snprintf(buf, len, "%s", v);
	else
		snprintf(buf, len, "/run/netns/%s", v);
}

/* Lost events are said, counted by the transport, and resynchronised. */
static void on_error(const struct ctnl_err *err, const void *msg, size_t len, void *arg)
{
	struct ctc_ctx *ctx = arg;

	(void)msg;
	(void)len;
	if (err->code == -ENOBUFS)
		fprintf(ctx->io->err, "WARNING: events lost (ENOBUFS, %u so far); resynchronising from a dump.\n",
			err->msg_index);
}

static int open_handle(struct ctc_ctx *ctx, const struct ctc_req *r, struct ctnl_handle **h,
		       struct ctnl_pcap_writer **w)
{
	struct ctnl_open_opts o = { .size = sizeof(o) };
	char path[512];
	int rc;

	*w = NULL;
	if (r->netns) {
		netns_path(r->netns, path, sizeof(path));
		o.netns_path = path;
	}
	if (r->pcap) {
		struct ctnl_pcap_err pe = { 0 };

		if (ctnl_pcap_writer_open(r->pcap, w, &pe) < 0)
			return ctc_error(ctx, CTC_OTHER, "cannot write %s: %s", r->pcap, pe.what);
		o.tap = ctnl_pcap_tap;
		o.tap_arg = *w;
	}
	o.on_error = on_error;
	o.error_arg = ctx;
	if (r->bufsize > 0 && (r->options & CTC_BIT(CTC_F_BUFSIZE)))
		o.event_rcvbuf = (int)(r->bufsize > 0x3fffffff ? 0x3fffffff : r->bufsize);
	rc = ctnl_open(h, &o, NULL);
	if (rc < 0) {
		ctnl_pcap_writer_close(*w);
		*w = NULL;
		if (r->netns)
			return ctc_error(ctx, CTC_OTHER, "cannot enter network namespace %s: %s", path, strerror(-rc));
		return ctc_error(ctx, CTC_OTHER, "Can't open handler");
	}
	return 0;
}

static void close_handle(struct ctnl_handle *h, struct ctnl_pcap_writer *w)
{
	ctnl_close(h);
	ctnl_pcap_writer_close(w);
}

static int needs_kernel(int cmd)
{
	return cmd != CTC_HELP && cmd != CTC_VERSION && cmd != CTC_NCMD;
}

/* Run one parsed command; print the summary. */
static int run_one(struct ctc_ctx *ctx, struct ctc_req *r, struct ctnl_handle *h, int summary)
{
	struct ctc_run rs = { .ctx = ctx, .r = r, .h = h };
	const char *env = getenv("CTNL_EVENT_TIMEOUT_MS");
	int rc;

	if (env)
		rs.event_timeout_ms = atoi(env);
	if ((r->output & CTC_O_SAVE) && !ctx->labels_loaded) {
		/* names for the labels -o save writes; quietly without a map */
		FILE *f = fopen(r->labelmap_path ? r->labelmap_path : "/etc/xtables/connlabel.conf", "r");

		if (f) {
			fclose(f);
			ctc_labels_load(ctx, r);
		}
	}
	rc = ctc_run_command(&rs);
	if (rc)
		return rc;
	if (!summary)
		return 0;
	if (r->command == CTC_EXP_EVENT) {
		fprintf(ctx->io->err, "%s: %d expectation events have been shown.\n", ctc_version, rs.counter);
		return 0;
	}
	if (r->command < CTC_NCMD && ctc_summary[r->command]) {
		fprintf(ctx->io->err, "%s: ", ctc_version);
		fprintf(ctx->io->err, ctc_summary[r->command], rs.counter);
		if (rs.counter == 0 && r->command != CTC_CT_LIST && r->command != CTC_EXP_LIST &&
		    r->command != CTC_CT_ADD && r->command != CTC_CT_EVENT)
			return CTC_OTHER;
	}
	return 0;
}

/* ---- -R FILE: one command per line, quoting as conntrack reads it ---- */

static int split_line(struct ctc_ctx *ctx, char *line, char **argv, int *argc)
{
	char param[1024];
	size_t n = 0;
	int quote = 0, esc = 0;

	for (char *c = line;; c++) {
		int end = !*c;

		if (!end && quote) {
			if (esc) {
				esc = 0;
			} else if (*c == '\\') {
				esc = 1;
				continue;
			} else if (*c == '"') {
				quote = 0;
				continue;
			}
		} else if (!end && *c == '"') {
			quote = 1;
			continue;
		}
		if (end || (!quote && (*c == ' ' || *c == '\t' || *c == '\n'))) {
			if (n) {
				if (*argc + 1 >= MAX_ARGS)
					return ctc_error(ctx, CTC_PARAM, "too many arguments");
				param[n] = '\0';
				argv[(*argc)++] = strdup(param);
				argv[*argc] = NULL;
				n = 0;
			}
			if (end)
				return 0;
			continue;
		}
		param[n++] = *c;
		if (n >= sizeof(param))
			return ctc_error(ctx, CTC_PARAM, "Parameter too long!");
	}
}

static const char *file_cmd_text(int cmd)
{
	switch (cmd) {
	case CTC_CT_LIST: return "-L";
	case CTC_CT_GET: return "-G";
	case CTC_CT_EVENT: return "-E";
	case CTC_VERSION: return "-V";
	case CTC_HELP: return "-h";
	case CTC_EXP_LIST: return "-L expect";
	case CTC_EXP_CREATE: return "-C expect";
	case CTC_EXP_DELETE: return "-D expect";
	case CTC_EXP_GET: return "-G expect";
	case CTC_EXP_FLUSH: return "-F expect";
	case CTC_EXP_EVENT: return "-E expect";
	case CTC_CT_COUNT: return "-C";
	case CTC_EXP_COUNT: return "-C expect";
	case CTC_CT_STATS: return "-S";
	case CTC_EXP_STATS: return "-S expect";
	default: return "unknown";
	}
}

static int load_file(struct ctc_ctx *ctx, const char *file, const struct ctc_req *globals)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	struct ctc_req *reqs = NULL;
	char **args = NULL;
	size_t n = 0, cap = 0, nargs = 0;
	char line[10240];
	int rc = 0;
	struct ctnl_handle *h = NULL;
	struct ctnl_pcap_writer *w = NULL;

	if (!f)
		return ctc_error(ctx, CTC_PARAM, "Failed to open file %s for reading",
				 strcmp(file, "-") ? file : "/dev/stdin");
	while (!rc && fgets(line, sizeof(line), f)) {
		char *argv[MAX_ARGS + 1], *p = line;
		int argc = 1;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || *p == '#')
			continue;
		argv[0] = (char *)ctx->prog;
		argv[1] = NULL;
		rc = split_line(ctx, p, argv, &argc);
		if (!rc) {
			if (n == cap) {
				struct ctc_req *nr = realloc(reqs, (cap = cap ? cap * 2 : 16) * sizeof(*reqs));

				if (!nr) {
					rc = ctc_error(ctx, CTC_OTHER, "OOM");
					break;
				}
				reqs = nr;
			}
			rc = ctc_parse(ctx, &reqs[n], argc, argv);
			if (!rc)
				n++;
		}
		/* the strings stay: the requests point into them */
		char **na = realloc(args, (nargs + (size_t)argc) * sizeof(*args));

		if (na) {
			args = na;
			for (int i = 1; i < argc; i++)
				args[nargs++] = argv[i];
		}
	}
	if (f != stdin)
		fclose(f);
	for (size_t i = 0; !rc && i < n; i++) {
		int c = reqs[i].command;

		if (c != CTC_CT_CREATE && c != CTC_CT_ADD && c != CTC_CT_UPDATE && c != CTC_CT_DELETE &&
		    c != CTC_CT_FLUSH)
			rc = ctc_error(ctx, CTC_PARAM, "Cannot use command `%s' with --load-file", file_cmd_text(c));
	}
	if (!rc && n)
		rc = open_handle(ctx, globals, &h, &w);
	for (size_t i = 0; !rc && i < n; i++)
		rc = run_one(ctx, &reqs[i], h, 0);
	if (h)
		close_handle(h, w);
	for (size_t i = 0; i < nargs; i++)
		free(args[i]);
	free(args);
	free(reqs);
	return rc;
}

/* Global ctnl options given before the command (also for -R). */
static int globals(struct ctc_ctx *ctx, int *argc, char ***argv, struct ctc_req *g)
{
	while (*argc > 1) {
		char *a = (*argv)[1];
		const char **slot = NULL;
		size_t skip = 1;

		if (!strcmp(a, "--json")) {
			g->json = 1;
		} else if (!strncmp(a, "--netns", 7) || !strncmp(a, "--pcap", 6)) {
			int ns = a[2] == 'n';
			const char *eq = strchr(a, '=');

			if (strcmp(a, ns ? "--netns" : "--pcap") && !(eq && eq - a == (ns ? 7 : 6)))
				break;
			slot = ns ? &g->netns : &g->pcap;
			if (eq) {
				*slot = eq + 1;
			} else {
				if (*argc < 3)
					return ctc_error(ctx, CTC_PARAM, "option `%s' requires an argument", a);
				*slot = (*argv)[2];
				skip = 2;
			}
		} else {
			break;
		}
		*argc -= (int)skip;
		*argv += skip;
	}
	return 0;
}

int ctnl_conntrack_main(struct ctnl_io *io, int argc, char **argv)
{
	struct ctc_ctx ctx = { .io = io, .prog = "ctnl" };
	struct ctc_req *r = calloc(1, sizeof(*r)), g = { 0 };
	struct ctnl_handle *h = NULL;
	struct ctnl_pcap_writer *w = NULL;
	char **copy = NULL;
	int rc;

	if (!r)
		return CTC_OTHER;
	rc = globals(&ctx, &argc, &argv, &g);
	if (rc)
		goto out;
	if (argc > 2 && (!strcmp(argv[1], "-R") || !strcmp(argv[1], "--load-file"))) {
		rc = load_file(&ctx, argv[2], &g);
		goto out;
	}
	/* getopt reorders the vector: work on a copy of it */
	copy = calloc((size_t)argc + 1, sizeof(*copy));
	if (!copy) {
		rc = CTC_OTHER;
		goto out;
	}
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	copy[0] = (char *)ctx.prog;
	rc = ctc_parse(&ctx, r, argc, copy);
	if (rc)
		goto out;
	if (g.json)
		r->json = 1;
	if (g.netns && !r->netns)
		r->netns = g.netns;
	if (g.pcap && !r->pcap)
		r->pcap = g.pcap;
	if (!needs_kernel(r->command)) {
		if (r->command == CTC_VERSION)
			fprintf(io->out, "%s (conntrack-tools 1.4.7 compatible)\n", ctc_version);
		else
			ctc_usage(io->out, ctx.prog, r->command == CTC_HELP && (r->options & CTC_BIT(CTC_F_PROTO)) ? r->proto : NULL,
				  r->protonum);
		rc = 0;
		goto out;
	}
	rc = open_handle(&ctx, r, &h, &w);
	if (rc)
		goto out;
	rc = run_one(&ctx, r, h, 1);
	close_handle(h, w);
out:
	fflush(io->out);
	if (ctx.labels) {
		ctnl_labelmap_free(ctx.labels);
		free(ctx.labels);
	}
	free(copy);
	free(r);
	return rc;
}
