/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Printing entries and expectations for the conntrack(8)-compatible
 * commands.  The conntrack lines come from the codec's renderers
 * (ctnl_ct_snprintf, ctnl_exp_snprintf); this file chooses their flags
 * the way conntrack chooses them in each place, and adds what conntrack
 * adds around them: the -o timestamp column of events, the program name
 * after [USERSPACE], the XML header and footer.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <ctnl/render.h>

#include "conntrack_out.h"

void ctc_out_init(struct ctc_out *o, struct ctc_ctx *ctx, const struct ctc_req *r, const char *xml_root)
{
	memset(o, 0, sizeof(*o));
	o->ctx = ctx;
	o->r = r;
	o->xml_root = xml_root;
	o->now = (long)time(NULL);
}

static void xml_header(struct ctc_out *o)
{
	if (o->xml_open)
		return;
	o->xml_open = 1;
	fprintf(o->ctx->io->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>\n", o->xml_root);
}

void ctc_out_end(struct ctc_out *o)
{
	if (o->xml_open) {
		fprintf(o->ctx->io->out, "</%s>\n", o->xml_root);
		o->xml_open = 0;
	}
	fflush(o->ctx->io->out);
}

/* The program behind a netlink port id, as conntrack finds it: the
 * socket's inode in /proc/net/netlink, then the process holding it. */
static int progname(uint32_t portid, char *name, size_t len)
{
	FILE *f = fopen("/proc/net/netlink", "r");
	char line[256], path[64], link[128];
	unsigned long inode = 0, ino;
	unsigned pid_check;
	int prot, found = 0;
	DIR *d;
	struct dirent *de;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*x %d %u %*x %*d %*d %*x %*d %*u %lu", &prot, &pid_check, &inode) == 3 &&
		    pid_check == portid && prot == NETLINK_NETFILTER) {
			found = 1;
			break;
		}
	fclose(f);
	if (!found)
		return -1;
	d = opendir("/proc");
	if (!d)
		return -1;
	found = 0;
	while (!found && (de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		DIR *fd;
		struct dirent *fe;

		if (*end || pid <= 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%lu/fd", pid);
		fd = opendir(path);
		if (!fd)
			continue;
		while ((fe = readdir(fd))) {
			char p2[320];
			ssize_t n;

			snprintf(p2, sizeof(p2), "/proc/%lu/fd/%s", pid, fe->d_name);
			n = readlink(p2, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (sscanf(link, "socket:[%lu]", &ino) == 1 && ino == inode) {
				FILE *st;

				snprintf(p2, sizeof(p2), "/proc/%lu/stat", pid);
				st = fopen(p2, "r");
				if (st) {
					found = fscanf(st, "%*u (%127[^)]", link) == 1;
					fclose(st);
				}
				if (found)
					snprintf(name, len, "%s", link);
				break;
			}
		}
		closedir(fd);
	}
	closedir(d);
	return found ? 0 : -1;
}

static int event_kind(const struct ctnl_msg *h)
{
	if ((h->type & 0xff) == IPCTNL_MSG_CT_NEW)
		return (h->flags & (NLM_F_CREATE | NLM_F_EXCL)) ? 1 : 2;
	if ((h->type & 0xff) == IPCTNL_MSG_CT_DELETE)
		return 3;
	return 0;
}

void ctc_out_ct(struct ctc_out *o, const struct ctnl_ct_msg *m, enum ctc_place where)
{
	const struct ctc_req *r = o->r;
	struct ctc_ctx *ctx = o->ctx;
	FILE *out = ctx->io->out;
	struct ctnl_render_opts ro = { .size = sizeof(ro) };
	char buf[4096];
	int userspace = where == CTC_PL_EVENT && m->hdr.pid;

	ro.now = o->now;
	if (where == CTC_PL_EVENT)
		ro.now = (long)time(NULL);
	if (ctx->labels && where != CTC_PL_DELETE) {
		ro.label_names = (const char *const *)ctx->labels->names;
		ro.nlabels = CTNL_LABELS_MAX;
		ro.flags |= CTNL_OUT_LABELS;
	}
	if (r->json) {
		ctnl_ct_json(buf, sizeof(buf), m, &ro);
		fprintf(out, "%s\n", buf);
		if (where == CTC_PL_EVENT)
			fflush(out);
		return;
	}
	if (r->output & CTC_O_SAVE) {
		const char *verb = "-A";

		if (where == CTC_PL_DELETE)
			verb = "-D";
		else if (where == CTC_PL_EVENT)
			verb = event_kind(&m->hdr) == 2 ? "-U" : event_kind(&m->hdr) == 3 ? "-D" : "-A";
		ctc_save_line(buf, sizeof(buf), m, verb, ctx);
	} else if (r->output & CTC_O_XML) {
		if (where == CTC_PL_LIST || where == CTC_PL_EVENT)
			xml_header(o);
		ctc_xml_ct(buf, sizeof(buf), m, where == CTC_PL_EVENT ? event_kind(&m->hdr) : 0, r->output, ro.now);
	} else {
		if (r->output & CTC_O_EXT)
			ro.flags |= CTNL_OUT_EXTENDED;
		if (r->output & CTC_O_ID)
			ro.flags |= CTNL_OUT_ID;
		if ((r->output & CTC_O_KTMS) && (where == CTC_PL_LIST || where == CTC_PL_EVENT)) {
			ro.flags |= CTNL_OUT_KTIMESTAMP;
			ro.tz_offset = ctnl_tz_offset(ro.now);
		}
		if (where == CTC_PL_EVENT) {
			struct ctnl_ct_msg copy;

			if ((r->output & CTC_O_TMS)) {
				struct timeval tv;

				gettimeofday(&tv, NULL);
				fprintf(out, "[%-.8ld.%-.6ld]\t", (long)tv.tv_sec, (long)tv.tv_usec);
			}
			/* the [USERSPACE] suffix is added below, with the program name */
			copy = *m;
			copy.hdr.pid = 0;
			ro.flags |= CTNL_OUT_EVENT;
			ctnl_ct_snprintf(buf, sizeof(buf), &copy, &ro);
		} else {
			ctnl_ct_snprintf(buf, sizeof(buf), m, &ro);
		}
	}
	if (userspace) {
		char name[128];

		if (progname(m->hdr.pid, name, sizeof(name)) == 0)
			fprintf(out, "%s [USERSPACE] portid=%u progname=%s\n", buf, m->hdr.pid, name);
		else
			fprintf(out, "%s [USERSPACE] portid=%u\n", buf, m->hdr.pid);
	} else {
		/* a listing writes this a million times: fprintf's format
		 * parsing cost more than the line's rendering */
		fwrite(buf, 1, strlen(buf), out);
		putc('\n', out);
	}
	if (where == CTC_PL_EVENT)
		fflush(out);
}

void ctc_out_exp(struct ctc_out *o, const struct ctnl_exp_msg *m, int event)
{
	const struct ctc_req *r = o->r;
	FILE *out = o->ctx->io->out;
	struct ctnl_render_opts ro = { .size = sizeof(ro) };
	char buf[2048];

	if (event)
		ro.flags |= CTNL_OUT_EVENT;
	if (r->json) {
		ctnl_exp_json(buf, sizeof(buf), m, &ro);
		fprintf(out, "%s\n", buf);
		if (event)
			fflush(out);
		return;
	}
	if (r->output & CTC_O_XML)
		xml_header(o);
	if (r->output & CTC_O_TMS) {
		if (!(r->output & CTC_O_XML)) {
			struct timeval tv;

			gettimeofday(&tv, NULL);
			fprintf(out, "[%-8ld.%-6ld]\t", (long)tv.tv_sec, (long)tv.tv_usec);
		}
	}
	if (r->output & CTC_O_XML) {
		int kind = 0;

		if (event)
			kind = (m->hdr.type & 0xff) == IPCTNL_MSG_EXP_DELETE ? 3 :
			       (m->hdr.flags & (NLM_F_CREATE | NLM_F_EXCL)) ? 1 : 2;
		ctc_xml_exp(buf, sizeof(buf), m, kind);
	} else {
		ctnl_exp_snprintf(buf, sizeof(buf), m, &ro);
	}
	fprintf(out, "%s\n", buf);
	if (event)
		fflush(out);
}
