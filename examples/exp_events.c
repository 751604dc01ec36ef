/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exp_events: print expectation events as conntrack -E expect does (the
 * seed's ExampleNfct_Register on the Expected table).
 *   exp_events [--netns PATH] [SECONDS]   (0 or none: until interrupted) */
#include <signal.h>

#include "common.h"

static struct ctnl_handle *h;

static void on_signal(int sig)
{
	(void)sig;
	ctnl_event_stop(h);                /* async-signal-safe */
}

static int print_event(const struct ctnl_event *ev, void *arg)
{
	struct ctnl_render_opts o = { .size = sizeof(o), .flags = CTNL_OUT_EVENT };
	char line[1024];

	(void)arg;
	ctnl_exp_snprintf(line, sizeof(line), ev->exp, &o);
	puts(line);
	fflush(stdout);
	return 0;
}

static void on_error(const struct ctnl_err *e, const void *msg, size_t len, void *arg)
{
	(void)msg;
	(void)len;
	(void)arg;
	fprintf(stderr, "exp_events: %s\n", e->what);  /* e.g. lost events: counted, we go on */
}

int main(int argc, char **argv)
{
	struct ctnl_open_opts o = { .size = sizeof(o), .on_error = on_error, .event_source = 1 };
	struct ctnl_err e = { 0 };
	int rc, secs;

	h = ex_open(&argc, argv, &o);
	if (!h)
		return 1;
	secs = argc > 1 ? atoi(argv[1]) : 0;
	rc = ctnl_event_register(h, CTNL_TABLE_EXPECT, CTNL_EV_EXP_ALL, print_event, NULL, NULL, &e);
	if (rc < 0) {
		ex_fail("register", rc, &e);
		ctnl_close(h);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "listening\n");
	rc = ctnl_event_run(h, secs > 0 ? secs * 1000 : -1, &e);
	if (rc < 0)
		ex_fail("events", rc, &e);
	ctnl_close(h);
	return rc < 0;
}
