/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * TAP in the kselftest convention, the summary table, JUnit XML.
 *
 *   TAP version 13
 *   1..N
 *   ok 1 proto.tcp.v4.states
 *   ok 9 proto.dccp # SKIP no DCCP connection tracking in this kernel ...
 *   not ok 12 attr.mark.ctnetlink
 *   # attr.mark.ctnetlink: entry.mark: want 2 (0x2), got 1 (0x1) [capture record 9]
 *   # attr.mark.ctnetlink: capture /tmp/ctnl-selftest-123/attr.mark.ctnetlink.pcap
 *   ...
 *   # Totals: pass:50 fail:1 xfail:0 xpass:0 skip:6 error:0
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "report.h"

static void lines_of(FILE *out, const struct st_result *r, const char *kinds, const char *prefix)
{
	for (const char *l = r->lines; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		if (n > 2 && strchr(kinds, *l))
			fprintf(out, "%s%s: %.*s\n", prefix, r->sc->name, (int)(n - 2), l + 2);
		l = e ? e + 1 : l + n;
	}
}

/* The first line of a kind, without its tag. */
static int first_line(const struct st_result *r, char kind, char *buf, size_t len)
{
	for (const char *l = r->lines; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		if (*l == kind && n > 2) {
			snprintf(buf, len, "%.*s", (int)(n - 2), l + 2);
			return 1;
		}
		l = e ? e + 1 : l + n;
	}
	buf[0] = '\0';
	return 0;
}

void st_tap_begin(struct st_run *run)
{
	FILE *out = run->opts->out;
	struct utsname u;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	fprintf(out, "TAP version 13\n");
	fprintf(out, "# ctnl selftest: %zu scenarios on Linux %s (%s)%s%s\n", run->n, u.release, u.machine,
		run->opts->fault ? ", injected fault: " : "", run->opts->fault ? run->opts->fault : "");
	fprintf(out, "1..%zu\n", run->n);
	fflush(out);
}

void st_tap_result(struct st_run *run, const struct st_result *r, size_t index)
{
	FILE *out = run->opts->out;
	char why[512];

	switch (r->state) {
	case ST_PASS:
		run->pass++;
		fprintf(out, "ok %zu %s\n", index, r->sc->name);
		if (run->opts->verbose)
			lines_of(out, r, "DN", "# ");
		break;
	case ST_SKIP:
		run->skip++;
		first_line(r, 'S', why, sizeof(why));
		fprintf(out, "ok %zu %s # SKIP %s\n", index, r->sc->name, why);
		if (run->opts->verbose)
			lines_of(out, r, "N", "# ");
		break;
	case ST_XFAIL:
		run->xfail++;
		first_line(r, 'X', why, sizeof(why));
		fprintf(out, "ok %zu %s # XFAIL %s\n", index, r->sc->name, why);
		fprintf(out, "# %s: capture %s\n", r->sc->name, r->capture);
		break;
	default:
		run->fail++;
		fprintf(out, "not ok %zu %s\n", index, r->sc->name);
		lines_of(out, r, run->opts->verbose ? "FDN" : "FD", "# ");
		fprintf(out, "# %s: capture %s (notes in %s.fail; replay: ctnl selftest --replay %s --live)\n",
			r->sc->name, r->capture, r->capture, r->capture);
		break;
	}
	fflush(out);
}

static const char *state_name(enum st_state s)
{
	return s == ST_PASS ? "PASS" : s == ST_SKIP ? "SKIP" : s == ST_XFAIL ? "XFAIL" : "FAIL";
}

void st_tap_end(struct st_run *run)
{
	FILE *out = run->opts->out;
	const char *fam = "";
	size_t famlen = 0;

	fprintf(out, "#\n# Summary: the matrix on this kernel (scenario, result, checks, records captured, seconds)\n");
	fprintf(out, "# %-34s %-5s %6s %7s %7s  %s\n", "scenario", "", "checks", "records", "seconds", "reason");
	for (size_t i = 0; i < run->n; i++) {
		const struct st_result *r = &run->results[i];
		const char *dot = strchr(r->sc->name, '.');
		size_t fl = dot ? (size_t)(dot - r->sc->name) : strlen(r->sc->name);
		char why[512] = "";

		if (fl != famlen || strncmp(fam, r->sc->name, fl)) {
			fam = r->sc->name;
			famlen = fl;
			fprintf(out, "# [%.*s]\n", (int)fl, fam);
		}
		if (r->state == ST_SKIP)
			first_line(r, 'S', why, sizeof(why));
		else if (r->state == ST_XFAIL)
			first_line(r, 'X', why, sizeof(why));
		else if (r->state == ST_FAIL)
			first_line(r, 'F', why, sizeof(why));
		if (strlen(why) > 90)
			strcpy(why + 87, "...");
		fprintf(out, "# %-34s %-5s %6u %7u %7.2f  %s\n", r->sc->name, state_name(r->state), r->checks,
			r->records, r->seconds, why);
	}
	fprintf(out, "#\n# %zu scenarios in %.1f s: %u PASS, %u FAIL, %u SKIP, %u XFAIL (known kernel bugs)\n", run->n,
		run->seconds, run->pass, run->fail, run->skip, run->xfail);
	fprintf(out, "# Totals: pass:%u fail:%u xfail:%u xpass:0 skip:%u error:0\n", run->pass, run->fail, run->xfail,
		run->skip);
	fflush(out);
}

static void xml_text(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if (ch < 0x20 && ch != '\n' && ch != '\t')
				fprintf(f, "&#x%x;", ch == 0 ? 0x20 : ch);
			else
				fputc(ch, f);
		}
	}
}

static void xml_lines(FILE *f, const struct st_result *r, const char *kinds)
{
	for (const char *l = r->lines; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		if (n > 2 && strchr(kinds, *l)) {
			xml_text(f, l + 2, n - 2);
			fputc('\n', f);
		}
		l = e ? e + 1 : l + n;
	}
}

int st_junit_write(const struct st_run *run, const char *path)
{
	FILE *f = fopen(path, "w");
	struct utsname u;

	if (!f)
		return -1;
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"ctnl-selftest\" tests=\"%zu\" failures=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
		run->n, run->fail, run->skip + run->xfail, run->seconds);
	fprintf(f, "  <testsuite name=\"ctnl-selftest\" hostname=\"");
	xml_text(f, u.nodename, sizeof(u.nodename));
	fprintf(f, "\" tests=\"%zu\" failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"%.3f\">\n", run->n, run->fail,
		run->skip + run->xfail, run->seconds);
	fprintf(f, "    <properties><property name=\"kernel\" value=\"");
	xml_text(f, u.release, sizeof(u.release));
	fprintf(f, "\"/></properties>\n");
	for (size_t i = 0; i < run->n; i++) {
		const struct st_result *r = &run->results[i];
		const char *dot = strchr(r->sc->name, '.');
		char first[512];

		fprintf(f, "    <testcase classname=\"ctnl-selftest.%.*s\" name=\"%s\" time=\"%.3f\">\n",
			(int)(dot ? dot - r->sc->name : 0), r->sc->name, r->sc->name, r->seconds);
		if (r->state == ST_SKIP || r->state == ST_XFAIL) {
			first_line(r, r->state == ST_SKIP ? 'S' : 'X', first, sizeof(first));
			fprintf(f, "      <skipped message=\"%s", r->state == ST_XFAIL ? "XFAIL: " : "");
			xml_text(f, first, sizeof(first));
			fprintf(f, "\"/>\n");
		} else if (r->state == ST_FAIL) {
			first_line(r, 'F', first, sizeof(first));
			fprintf(f, "      <failure message=\"");
			xml_text(f, first, sizeof(first));
			fprintf(f, "\">");
			xml_lines(f, r, "F");
			fprintf(f, "capture: ");
			xml_text(f, r->capture, sizeof(r->capture));
			fprintf(f, "</failure>\n");
		}
		fprintf(f, "      <system-out>");
		xml_lines(f, r, "DN");
		fprintf(f, "</system-out>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return fclose(f) == 0 ? 0 : -1;
}
