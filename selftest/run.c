/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runner: each scenario in a forked child with its own namespaces and
 * capture, a timeout, and results back over a pipe.
 *
 * Nothing outlives a run, even one killed with SIGKILL: the namespaces
 * have no name and are held only by descriptors of the child, the veth
 * ends live inside them, the child dies with the runner
 * (PR_SET_PDEATHSIG) and its helpers die with it (ctnl_ns sets the same).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ctnl/pcap.h>

#include "report.h"
#include "selftest.h"
#include "st.h"

const struct st_fault st_faults[] = {
	{ "mark-value", "attr.mark.ctnetlink", "expect mark 0x12 after a masked update where the kernel gives 0x11" },
	{ "drop-reply", "proto.tcp.v4.states", "an nft rule drops every reply-direction packet" },
	{ "exist-errno", "errors.create-exists", "expect ENOENT where creating an existing entry gives EEXIST" },
	{ NULL, NULL, NULL },
};

static const struct st_scenario *const families[] = {
	st_fam_proto, st_fam_nat, st_fam_helper, st_fam_attr, st_fam_events, st_fam_dump, st_fam_errors, NULL,
};

const struct st_scenario *const *st_families(void)
{
	return families;
}

/* ---- inside a scenario (the child) ---- */

static struct st_ctx *current;

static void say(struct st_ctx *c, char kind, const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%c ", kind);

	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	for (int i = 2; i < n; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(c->out, line, (size_t)n) < 0) {
		/* the runner is gone: nothing to report to */
	}
}

static void sayf(struct st_ctx *c, char kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sayf(struct st_ctx *c, char kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, kind, fmt, ap);
	va_end(ap);
}

void st_check(struct st_ctx *c, int ok, const char *fmt, ...)
{
	va_list ap;

	c->checks++;
	if (ok)
		return;
	c->fails++;
	va_start(ap, fmt);
	say(c, 'F', fmt, ap);
	va_end(ap);
}

int st_eq(struct st_ctx *c, const char *what, long long want, long long got)
{
	st_check(c, want == got, "%s: want %lld (0x%llx), got %lld (0x%llx) [capture records up to %u]", what, want,
		 (unsigned long long)want, got, (unsigned long long)got, c->records);
	return want == got;
}

int st_errno(struct st_ctx *c, const char *what, int want, const struct st_reply *r)
{
	int got = r->error;

	st_check(c, want == got, "%s: want %s (%d), got %s (%d) [capture records %u-%u]", what,
		 want ? strerror(-want) : "ACK", want, got == -ETIMEDOUT ? "no answer" : got ? strerror(-got) : "ACK",
		 got, r->req_record, r->last_record);
	return want == got;
}

void st_known_bug(struct st_ctx *c, const char *bug, const char *fmt, ...)
{
	char what[600];
	va_list ap;

	c->checks++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	sayf(c, 'X', "known kernel bug: %s: %s", bug, what);
}

void st_note(struct st_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, 'D', fmt, ap);
	va_end(ap);
}

static __attribute__((noreturn)) void child_end(struct st_ctx *c, int code)
{
	st_wire_close(c);
	if (c->cap)
		ctnl_pcap_writer_close(c->cap);
	c->cap = NULL;
	ctnl_ns_destroy(c->client);
	ctnl_ns_destroy(c->peer);
	ctnl_ns_destroy(c->ns);
	_exit(code);
}

void st_skip(struct st_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(c, 'S', fmt, ap);
	va_end(ap);
	child_end(c, 0);
}

int st_fault_on(const struct st_ctx *c, const char *name)
{
	return c->fault && !strcmp(c->fault, name);
}

static void say_ns(struct st_ctx *c, const char *role, const struct ctnl_ns *ns)
{
	struct stat st;

	if (ns && fstat(ns->fd, &st) == 0)
		sayf(c, 'N', "%s net:[%lu]", role, (unsigned long)st.st_ino);
}

static int make_ns(struct st_ctx *c, struct ctnl_ns **ns, const char *role)
{
	char mark[64];
	int rc = ctnl_ns_create(ns);

	if (rc < 0) {
		sayf(c, 'F', "setup: cannot make the %s namespace: %s", role, strerror(-rc));
		return rc;
	}
	say_ns(c, role, *ns);
	/* a mark anyone can look for: "is a namespace of this run still
	 * alive?" (inode numbers are reused, the mark is not) */
	snprintf(mark, sizeof(mark), "ctnl-selftest:%d", (int)getppid());
	return st_cmd(c, *ns, NULL, "ip", "link", "set", "lo", "alias", mark, NULL);
}

static int topology(struct st_ctx *c)
{
	const struct st_scenario *sc = c->sc;

	if (make_ns(c, &c->ns, "main") < 0)
		return -1;
	if (sc->flags & ST_F_ROUTER) {
		if (make_ns(c, &c->peer, "peer") < 0 || st_link(c, c->ns, c->peer, 2) < 0 ||
		    make_ns(c, &c->client, "client") < 0 || st_link(c, c->client, c->ns, 1) < 0)
			return -1;
		/* client 10.1.0.1 -- 10.1.0.2 router 10.2.0.1 -- 10.2.0.2 server */
		if (ctnl_ns_sysctl(c->ns, "net/ipv4/ip_forward", "1") < 0 ||
		    ctnl_ns_sysctl(c->ns, "net/ipv6/conf/all/forwarding", "1") < 0 ||
		    st_cmd(c, c->client, NULL, "ip", "route", "add", "default", "via", "10.1.0.2", NULL) < 0 ||
		    st_cmd(c, c->client, NULL, "ip", "-6", "route", "add", "default", "via", "fd00:1::2", NULL) < 0 ||
		    st_cmd(c, c->peer, NULL, "ip", "route", "add", "default", "via", "10.2.0.1", NULL) < 0 ||
		    st_cmd(c, c->peer, NULL, "ip", "-6", "route", "add", "default", "via", "fd00:2::1", NULL) < 0)
			return -1;
	}
	return 0;
}

static void child(const struct st_scenario *sc, int out, const char *cap_path, const char *fault)
{
	struct st_ctx c = { .sc = sc, .out = out, .nl = -1, .ev = -1 };
	struct ctnl_pcap_err pe;
	char why[512] = "";
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	current = &c;
	c.fault = fault && !strcmp(st_fault_target(fault), sc->name) ? fault : NULL;
	if (topology(&c) < 0)
		child_end(&c, 0);
	if (ctnl_pcap_writer_open(cap_path, &c.cap, &pe) < 0)
		sayf(&c, 'D', "no capture: %s", pe.what);
	rc = st_wire_open(&c);
	if (rc < 0) {
		sayf(&c, 'F', "setup: no ctnetlink socket in the namespace: %s", strerror(-rc));
		child_end(&c, 0);
	}
	if (sc->probe) {
		rc = sc->probe(&c, why, sizeof(why));
		if (rc > 0)
			st_skip(&c, "%s", why);
		if (rc < 0) {
			sayf(&c, 'F', "probe failed: %s", why);
			child_end(&c, 0);
		}
	}
	if (sc->setup && sc->setup(&c) < 0) {
		sayf(&c, 'F', "setup failed (see the notes)");
		child_end(&c, 0);
	}
	sc->check(&c);
	sayf(&c, 'C', "%u %u %u", c.checks, c.fails, c.records);
	child_end(&c, 0);
}

const char *st_fault_target(const char *fault)
{
	for (const struct st_fault *f = st_faults; f->name; f++)
		if (!strcmp(f->name, fault))
			return f->scenario;
	return "";
}

/* ---- the runner (the parent) ---- */

static int selected(const char *name, const char *filter)
{
	char pat[256];
	const char *p = filter;

	if (!filter || !*filter)
		return 1;
	while (*p) {
		size_t n = strcspn(p, ",");

		snprintf(pat, sizeof(pat), "%.*s", (int)n, p);
		if (*pat && (fnmatch(pat, name, 0) == 0 || (!strpbrk(pat, "*?[") && strstr(name, pat))))
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_line(struct st_result *r, const char *line)
{
	size_t n = strlen(line), have = r->lines ? strlen(r->lines) : 0;
	char *nb = realloc(r->lines, have + n + 2);

	if (!nb)
		return;
	memcpy(nb + have, line, n);
	nb[have + n] = '\n';
	nb[have + n + 1] = '\0';
	r->lines = nb;
}

/* Read the child's lines until it closes the pipe or the time is up. */
static void collect(struct st_result *r, int fd, pid_t pid, unsigned timeout_s)
{
	char buf[8192];
	size_t have = 0;
	double end = now_s() + timeout_s;
	int status = 0, timed_out = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		double left = end - now_s();
		ssize_t n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		for (char *nl; (nl = strchr(buf, '\n')) != NULL;) {
			*nl = '\0';
			add_line(r, buf);
			if (buf[0] == 'F')
				r->fails++;
			else if (buf[0] == 'S')
				r->skip = 1;
			else if (buf[0] == 'X')
				r->xfail = 1;
			else if (buf[0] == 'C')
				sscanf(buf + 2, "%u %*u %u", &r->checks, &r->records);
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have + 1);
		}
		if (have == sizeof(buf) - 1)
			have = 0;          /* a line longer than the buffer: drop it */
	}
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		char l[96];

		snprintf(l, sizeof(l), "F timed out after %u s (killed)", timeout_s);
		add_line(r, l);
		r->fails++;
	} else if (WIFSIGNALED(status)) {
		char l[96];

		snprintf(l, sizeof(l), "F the scenario crashed: signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		add_line(r, l);
		r->fails++;
	} else if (!r->skip && !r->fails && !r->checks && !r->xfail) {
		add_line(r, "F the scenario ended without a result");
		r->fails++;
	}
	r->state = r->fails ? ST_FAIL : r->skip ? ST_SKIP : r->xfail ? ST_XFAIL : ST_PASS;
}

static int mkdirs(const char *dir)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void save_fail_notes(const struct st_result *r)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s.fail", r->capture);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "# ctnl selftest: %s failed; capture %s\n", r->sc->name, r->capture);
	for (const char *l = r->lines; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		if (*l == 'F' || *l == 'D')
			fprintf(f, "%.*s\n", (int)n, l);
		l = e ? e + 1 : l + n;
	}
	fclose(f);
}

static size_t count_selected(const char *filter)
{
	size_t n = 0;

	for (const struct st_scenario *const *fam = families; *fam; fam++)
		for (const struct st_scenario *sc = *fam; sc->name; sc++)
			n += (size_t)selected(sc->name, filter);
	return n;
}

int ctnl_st_run(const struct ctnl_st_opts *o)
{
	unsigned timeout = o->timeout_s ? o->timeout_s : 30;
	struct st_run run = { .opts = o };
	char tmp[4096];
	const char *capdir;
	size_t want = count_selected(o->filter), i = 0;
	double t0 = now_s();
	int rc;

	if (o->fault && !*st_fault_target(o->fault)) {
		fprintf(o->err, "ctnl selftest: no fault '%s'; these are:\n", o->fault);
		ctnl_st_list_faults(o->err);
		return 2;
	}
	if (!want) {
		fprintf(o->err, "ctnl selftest: no scenario matches '%s' (see --list)\n", o->filter);
		return 2;
	}
	{
		static const char *const tools[] = { "ip", "nft", NULL };
		char why[256];

		/* nothing can run: the kselftest way of saying so */
		if (ctnl_ns_why_not(why, sizeof(why), tools) < 0) {
			fprintf(o->out, "TAP version 13\n1..0 # SKIP %s\n", why);
			return CTNL_ST_SKIP;
		}
	}
	if (o->record_dir) {
		capdir = o->record_dir;
	} else if (o->capture_dir) {
		capdir = o->capture_dir;
	} else {
		const char *t = getenv("TMPDIR");

		snprintf(tmp, sizeof(tmp), "%s/ctnl-selftest-%d", t && *t ? t : "/tmp", (int)getpid());
		capdir = tmp;
	}
	rc = mkdirs(capdir);
	if (rc < 0) {
		fprintf(o->err, "ctnl selftest: cannot make %s: %s\n", capdir, strerror(-rc));
		return 2;
	}
	run.results = calloc(want, sizeof(*run.results));
	if (!run.results)
		return 2;
	run.n = want;
	st_tap_begin(&run);
	for (const struct st_scenario *const *fam = families; *fam; fam++) {
		for (const struct st_scenario *sc = *fam; sc->name; sc++) {
			struct st_result *r;
			int p[2];
			pid_t pid;
			double t;

			if (!selected(sc->name, o->filter))
				continue;
			r = &run.results[i++];
			r->sc = sc;
			if (snprintf(r->capture, sizeof(r->capture), "%s/%s.pcap", capdir, sc->name) >=
			    (int)sizeof(r->capture))
				r->capture[0] = '\0';
			t = now_s();
			if (pipe2(p, O_CLOEXEC) < 0) {
				add_line(r, "F pipe failed");
				r->fails = 1;
				r->state = ST_FAIL;
			} else {
				fflush(NULL);
				pid = fork();
				if (pid == 0) {
					close(p[0]);
					child(sc, p[1], r->capture, o->fault);
				}
				close(p[1]);
				if (pid < 0) {
					add_line(r, "F fork failed");
					r->fails = 1;
					r->state = ST_FAIL;
				} else {
					collect(r, p[0], pid, timeout);
				}
				close(p[0]);
			}
			r->seconds = now_s() - t;
			if (r->state == ST_FAIL)
				save_fail_notes(r);
			else if (!o->record_dir && r->state != ST_XFAIL)
				unlink(r->capture);        /* a failure's or a kernel bug's capture stays */
			st_tap_result(&run, r, i);
		}
	}
	run.seconds = now_s() - t0;
	st_tap_end(&run);
	if (o->junit && st_junit_write(&run, o->junit) < 0)
		fprintf(o->err, "ctnl selftest: cannot write %s: %s\n", o->junit, strerror(errno));
	if (!o->record_dir && !o->capture_dir)
		rmdir(capdir);             /* only if no failure left a capture there */
	rc = run.fail ? CTNL_ST_FAIL : run.pass || run.xfail ? CTNL_ST_PASS : CTNL_ST_SKIP;
	for (i = 0; i < run.n; i++)
		free(run.results[i].lines);
	free(run.results);
	return rc;
}

int ctnl_st_list(FILE *out, const char *filter)
{
	int n = 0;

	for (const struct st_scenario *const *fam = families; *fam; fam++)
		for (const struct st_scenario *sc = *fam; sc->name; sc++)
			if (selected(sc->name, filter)) {
				fprintf(out, "%-34s %s\n", sc->name, sc->what);
				n++;
			}
	return n ? 0 : 2;
}

void ctnl_st_list_faults(FILE *out)
{
	for (const struct st_fault *f = st_faults; f->name; f++)
		fprintf(out, "  %-12s in %-26s %s\n", f->name, f->scenario, f->what);
}
