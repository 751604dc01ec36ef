/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_SELFTEST_REPORT_H
#define CTNL_SELFTEST_REPORT_H

/* Results of a run and their three forms: TAP (kselftest), the summary
 * table, JUnit XML. */

#include <stddef.h>

#include "selftest.h"
#include "st.h"

/* XFAIL: a known kernel bug showed, nothing else failed (kselftest counts it a success). */
enum st_state { ST_PASS = 1, ST_FAIL, ST_SKIP, ST_XFAIL };

struct st_result {
	const struct st_scenario *sc;
	enum st_state state;
	unsigned checks, fails, records;
	int skip, xfail;
	double seconds;
	char *lines;                       /* the child's lines: "F ...", "S ...", "D ...", "N ...", "C ..." */
	char capture[4096];
};

struct st_run {
	const struct ctnl_st_opts *opts;
	struct st_result *results;
	size_t n;
	unsigned pass, fail, skip, xfail;
	double seconds;
};

void st_tap_begin(struct st_run *run);
void st_tap_result(struct st_run *run, const struct st_result *r, size_t index);
/* Totals, the summary table; TAP's last lines. */
void st_tap_end(struct st_run *run);
/* Return: 0 or -1 (errno set). */
int st_junit_write(const struct st_run *run, const char *path);

#endif
